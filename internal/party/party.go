// Package party serves parties and dinners: organizers and exhibitors
// (partners) create them, open to RSVP or by invitation, with a capacity
// the database holds; attendees RSVP with their dietary needs, the
// languages they are happy to talk in and whom they want to sit with; the
// door app admits guests by badge scan (each party is a place of kind
// party whose entitlement, the invite list DoorList, the engine derives
// from the RSVP rows: see door); a dinner is seated by internal/seating,
// guests see their table, and hosts print table cards. A host cancels a
// party after a confirmation page (cancel.go); its guests are told.
//
// Every route checks who asks on every request: anyone signed in may see
// the parties open to them and answer; only the host (an organizer, or
// staff of the hosting exhibitor) sees guests, edits, seats and prints.
package party

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/seating"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/web"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed locales/*.json
var localeFiles embed.FS

// Store is what the party pages read and write. *store.DB implements it.
type Store interface {
	PartyPut(ctx context.Context, eventID int64, p lanyard.Party) (lanyard.Party, error)
	Party(ctx context.Context, eventID int64, code string) (lanyard.Party, error)
	Parties(ctx context.Context, eventID int64) ([]lanyard.Party, error)
	PartyInvitesSet(ctx context.Context, partyID int64, emails []string) error
	PartyInvites(ctx context.Context, partyID int64) ([]string, error)
	PartyAnswer(ctx context.Context, partyID int64, r lanyard.PartyRSVP) (bool, int64, error)
	PartyLeave(ctx context.Context, partyID, attendeeID int64) (bool, int64, error)
	PartyCancel(ctx context.Context, eventID int64, code string, now time.Time, params func(p lanyard.Party, venueZone, homeZone string) (map[string]string, error)) (store.PartyCancelled, error)
	PartyGuests(ctx context.Context, partyID int64) ([]store.PartyGuest, error)
	PartyGuestOf(ctx context.Context, partyID, attendeeID int64) (store.PartyGuest, error)
	PartyInterests(ctx context.Context, partyID int64) (map[int64][]int64, error)
	PartyBoothInterests(ctx context.Context, partyID int64) (map[int64][]string, error)
	PartySeatsSet(ctx context.Context, partyID int64, tables map[int64]int, now time.Time) error
	PartiesOf(ctx context.Context, attendeeID int64) (map[string]int, error)
	ExhibitorOf(ctx context.Context, eventID, attendeeID int64) (lanyard.Exhibitor, error)
	Exhibitor(ctx context.Context, eventID, id int64) (lanyard.Exhibitor, error)
	FindAttendeeByEmail(ctx context.Context, eventID int64, email string) (*lanyard.Attendee, error)
	Places(ctx context.Context, eventID int64) ([]lanyard.Place, error)
}

var _ Store = (*store.DB)(nil)

// Handler serves the party pages of one event.
type Handler struct {
	Shell   *web.Shell
	Catalog *atomic.Pointer[catalog.Catalog]
	Store   Store
	// Engine grants door entry (reserve.Places); nil on a cluster node,
	// where each ledger request's context carries the engine.
	Engine reserve.Seats
	Log    *slog.Logger
	Now    func() time.Time
}

// NewShell returns the web app's shell with the party templates, and
// merges the party messages into the translations.
func NewShell(pages *web.Handler) (*web.Shell, error) {
	return pages.RoleShell("party", templateFiles, localeFiles, template.FuncMap{"has": func(l []string, s string) bool { return slices.Contains(l, s) }})
}

// Routes registers the party pages on t. Writes that grant or take door
// entry call the engine, so they are route.Ledger.
func (h *Handler) Routes(t *route.Table) {
	h.handle(t, "GET /parties", route.Any, h.listPage)
	h.handle(t, "GET /parties/{code}", route.Any, h.partyPage)
	h.handle(t, "GET /parties/{code}/cards.pdf", route.Any, h.cardsPDF)
	h.handle(t, "POST /parties", route.Ledger, h.create)
	h.handle(t, "POST /parties/{code}/edit", route.Ledger, h.edit)
	h.handle(t, "POST /parties/{code}/rsvp", route.Ledger, h.rsvp)
	h.handle(t, "POST /parties/{code}/cancel", route.Ledger, h.cancel)
	h.handle(t, "GET /parties/{code}/cancel-party", route.Any, h.cancelPartyPage)
	h.handle(t, "POST /parties/{code}/cancel-party", route.Ledger, h.cancelParty)
	h.handle(t, "POST /parties/{code}/invites", route.Any, h.invites)
	h.handle(t, "POST /parties/{code}/seat", route.Any, h.seat)
}

// codeHeader carries a refusal's machine-readable code, as the console's.
const codeHeader = "X-Lanyard-Code"

// handle registers fn behind the sign-in session and CSRF protection;
// every party page needs someone signed in.
func (h *Handler) handle(t *route.Table, pattern string, need route.Need, fn http.HandlerFunc) {
	t.Handle(pattern, need, h.Shell.Wrap(func(w http.ResponseWriter, r *http.Request) {
		u := h.Shell.User(r)
		switch {
		case u == nil && r.Method == http.MethodGet:
			http.Redirect(w, r, h.Shell.SignInURL(r), http.StatusSeeOther)
		case u == nil:
			h.refuse(w, r, http.StatusUnauthorized, lanyard.EUNAUTHORIZED, "error.signin_needed")
		default:
			fn(w, r)
		}
	}))
}

func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, status int, code, id string, args ...any) {
	w.Header().Set(codeHeader, code)
	h.Shell.Error(w, r, status, nil, id, args...)
}

// fail answers a domain error as a page with its status, code and message.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var e *lanyard.Error
	if !errors.As(err, &e) {
		h.Shell.ServerError(w, r, err)
		return
	}
	status := http.StatusBadRequest
	switch e.Code {
	case lanyard.ENOTFOUND:
		status = http.StatusNotFound
	case lanyard.EFORBIDDEN:
		status = http.StatusForbidden
	case lanyard.ECONFLICT, lanyard.EPartyFull, lanyard.EPartyCancelled:
		status = http.StatusConflict
	case lanyard.EUNAUTHORIZED:
		status = http.StatusUnauthorized
	case lanyard.EUNAVAILABLE:
		status = http.StatusServiceUnavailable
	}
	w.Header().Set(codeHeader, e.Code)
	h.Shell.Error(w, r, status, nil, "party.error", "Message", e.Message)
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Handler) event() *lanyard.Event { return h.Catalog.Load().Event }

// hostOf returns the exhibitor the user may host for (0: the organizers)
// and whether they may host at all: organizers and exhibitor staff.
func (h *Handler) hostOf(r *http.Request) (int64, bool) {
	return hostOf(r.Context(), h.Store, h.event().ID, h.Shell.User(r))
}

func hostOf(ctx context.Context, st Store, eventID int64, u *lanyard.Attendee) (int64, bool) {
	switch u.Role {
	case lanyard.RoleOrganizer:
		return 0, true
	case lanyard.RoleExhibitor:
		x, err := st.ExhibitorOf(ctx, eventID, u.ID)
		if err != nil {
			return 0, false
		}
		return x.ID, true
	}
	return 0, false
}

// hosts reports whether the user may run party p: organizers any, an
// exhibitor's staff their own company's.
func (h *Handler) hosts(r *http.Request, p lanyard.Party) bool {
	return hosts(r.Context(), h.Store, h.event().ID, h.Shell.User(r), p)
}

func hosts(ctx context.Context, st Store, eventID int64, u *lanyard.Attendee, p lanyard.Party) bool {
	if u.Role == lanyard.RoleOrganizer {
		return true
	}
	x, ok := hostOf(ctx, st, eventID, u)
	return ok && u.Role == lanyard.RoleExhibitor && p.ExhibitorID != 0 && x == p.ExhibitorID
}

// invited reports whether the user may see and answer p.
func (h *Handler) invited(r *http.Request, p lanyard.Party) bool {
	return Visible(r.Context(), h.Store, h.event().ID, h.Shell.User(r), p)
}

// Visible reports whether u may see and answer p: open parties,
// invite-only ones if their email is listed (or they host it). The pages
// and the JSON API (internal/api) both ask it.
func Visible(ctx context.Context, st Store, eventID int64, u *lanyard.Attendee, p lanyard.Party) bool {
	if !p.InviteOnly || hosts(ctx, st, eventID, u, p) {
		return true
	}
	list, err := st.PartyInvites(ctx, p.ID)
	if err != nil {
		return false
	}
	return slices.Contains(list, strings.ToLower(u.Email))
}

// party loads {code}; it answers 404 itself when there is none or the
// user may not see it.
func (h *Handler) party(w http.ResponseWriter, r *http.Request) (lanyard.Party, bool) {
	p, err := h.Store.Party(r.Context(), h.event().ID, r.PathValue("code"))
	if err != nil {
		h.fail(w, r, err)
		return p, false
	}
	if !h.invited(r, p) {
		h.fail(w, r, lanyard.Errorf(lanyard.ENOTFOUND, "No party %q.", p.Code))
		return p, false
	}
	return p, true
}

// places returns the engine's Places role for r, or nil when the engine
// has none (the naive baseline).
func (h *Handler) places(r *http.Request) reserve.Places {
	e := reserve.ForRequest(r.Context(), h.Engine, r.Pattern)
	pl, _ := e.(reserve.Places)
	return pl
}

// engineSync returns the engine's EntitlementSync role for r.
func (h *Handler) engineSync(r *http.Request) (reserve.EntitlementSync, bool) {
	sync, ok := reserve.ForRequest(r.Context(), h.Engine, r.Pattern).(reserve.EntitlementSync)
	return sync, ok
}

// DoorList is the invite list whose entitlement lets a party's guests in.
// Who holds it is derived from the party's RSVP rows (see store.PartyAnswer
// and reserve.EntitlementSync), never written as invite rows.
func DoorList(code string) string { return lanyard.PartyDoorPrefix + code }

// openDoor makes the party a place of kind party at the door app, which
// only its guests (the invite list DoorList) may enter.
func (h *Handler) openDoor(r *http.Request, p lanyard.Party) error {
	return h.door(r).open(r.Context(), p)
}

// door is the engine's side of p's door for r's route, acting for the
// signed-in user.
func (h *Handler) door(r *http.Request) Door {
	e := reserve.ForRequest(r.Context(), h.Engine, r.Pattern)
	d := DoorOf(e)
	if u := h.Shell.User(r); u != nil {
		d.By = u.ID
	}
	return d
}

// Languages are the languages a guest may choose at RSVP.
var Languages = []string{"en", "ko", "ja", "zh"}

type listRow struct {
	P     lanyard.Party
	Host  string
	Going bool
	Table int
	Mine  bool
}

type listData struct {
	Rows     []listRow
	CanHost  bool
	Venue    *time.Location
	Defaults lanyard.Party
}

func (h *Handler) listPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ps, err := h.Store.Parties(ctx, h.event().ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	mine, err := h.Store.PartiesOf(ctx, h.Shell.User(r).ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	d := listData{Venue: h.venue()}
	_, d.CanHost = h.hostOf(r)
	for _, p := range ps {
		table, going := mine[p.Code]
		if !going && !h.invited(r, p) {
			continue
		}
		d.Rows = append(d.Rows, listRow{P: p, Host: h.hostName(ctx, p), Going: going, Table: table, Mine: h.hosts(r, p)})
	}
	h.Shell.Render(w, r, http.StatusOK, "list", h.Shell.Page(r, "party.list.title", nil, d))
}

func (h *Handler) venue() *time.Location {
	if loc, err := time.LoadLocation(h.event().TimeZone); err == nil {
		return loc
	}
	return time.UTC
}

func (h *Handler) hostName(ctx context.Context, p lanyard.Party) string {
	if p.ExhibitorID == 0 {
		return ""
	}
	x, err := h.Store.Exhibitor(ctx, h.event().ID, p.ExhibitorID)
	if err != nil {
		return ""
	}
	return x.Name
}

// create makes a party hosted by the user's side: the organizers, or the
// exhibitor they staff.
func (h *Handler) create(w http.ResponseWriter, r *http.Request) {
	host, ok := h.hostOf(r)
	if !ok {
		h.refuse(w, r, http.StatusForbidden, lanyard.EFORBIDDEN, "party.forbidden")
		return
	}
	p, err := h.readParty(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.ExhibitorID = host
	if p, err = Put(r.Context(), h.Store, h.door(r), h.log(), h.event().ID, p); err != nil {
		h.fail(w, r, err)
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "party.created"))
	http.Redirect(w, r, "/parties/"+p.Code, http.StatusSeeOther)
}

// hostedParty is the party of the request's {code} when its host asks;
// anyone else is refused (403), an unknown code 404.
func (h *Handler) hostedParty(w http.ResponseWriter, r *http.Request) (lanyard.Party, bool) {
	p, ok := h.party(w, r)
	if !ok {
		return p, false
	}
	if !h.hosts(r, p) {
		h.refuse(w, r, http.StatusForbidden, lanyard.EFORBIDDEN, "party.forbidden")
		return p, false
	}
	if p.Cancelled() {
		h.fail(w, r, lanyard.Errorf(lanyard.EPartyCancelled, "This party was cancelled."))
		return p, false
	}
	return p, true
}

// edit changes a party's details (host only); its code, kind and host
// stay. A capacity below those going is refused (409) and changes nothing.
func (h *Handler) edit(w http.ResponseWriter, r *http.Request) {
	old, ok := h.hostedParty(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, &lanyard.Error{Code: lanyard.EINVALID, Message: "The form could not be read."})
		return
	}
	r.PostForm.Set("code", old.Code)
	r.PostForm.Set("kind", string(old.Kind))
	p, err := h.readParty(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.ID, p.ExhibitorID = old.ID, old.ExhibitorID
	if p, err = Put(r.Context(), h.Store, h.door(r), h.log(), h.event().ID, p); err != nil {
		h.fail(w, r, err)
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "party.saved"))
	http.Redirect(w, r, "/parties/"+p.Code, http.StatusSeeOther)
}

func (h *Handler) readParty(r *http.Request) (lanyard.Party, error) {
	p := lanyard.Party{
		Code:       strings.TrimSpace(r.PostFormValue("code")),
		Title:      strings.TrimSpace(r.PostFormValue("title")),
		Kind:       lanyard.PartyKind(r.PostFormValue("kind")),
		Location:   strings.TrimSpace(r.PostFormValue("location")),
		InviteOnly: r.PostFormValue("invite_only") == "1",
	}
	var err error
	if p.Starts, err = time.ParseInLocation("2006-01-02T15:04", r.PostFormValue("starts"), h.venue()); err != nil {
		return p, &lanyard.Error{Code: lanyard.EINVALID, Field: "starts", Message: "A start time looks like 2026-12-01T19:00."}
	}
	if p.Capacity, err = strconv.Atoi(r.PostFormValue("capacity")); err != nil {
		return p, &lanyard.Error{Code: lanyard.EINVALID, Field: "capacity", Message: "A capacity is a number."}
	}
	if p.Kind == lanyard.KindDinner {
		if p.TableSize, err = strconv.Atoi(r.PostFormValue("table_size")); err != nil {
			return p, &lanyard.Error{Code: lanyard.EINVALID, Field: "table_size", Message: "A table size is a number."}
		}
	}
	return p, p.Validate()
}

type mate struct {
	Name, Company string
}

type tableView struct {
	No     int
	Guests []store.PartyGuest
}

type partyData struct {
	P         lanyard.Party
	Host      string
	Venue     *time.Location
	Me        *store.PartyGuest
	Mates     []mate
	SeatWith  string
	Languages []string
	Hosting   bool
	Guests    []store.PartyGuest
	Tables    []tableView
	Unseated  int
	Invites   string
	Dietary   []string
	Starts    string // the start in the venue's zone, for the edit form
}

func (h *Handler) partyPage(w http.ResponseWriter, r *http.Request) {
	p, ok := h.party(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	u := h.Shell.User(r)
	d := partyData{P: p, Host: h.hostName(ctx, p), Venue: h.venue(), Languages: Languages, Hosting: h.hosts(r, p)}
	if g, err := h.Store.PartyGuestOf(ctx, p.ID, u.ID); err == nil {
		d.Me = &g
	} else if lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
		h.Shell.ServerError(w, r, err)
		return
	}
	var guests []store.PartyGuest
	if d.Me != nil || d.Hosting {
		var err error
		if guests, err = h.Store.PartyGuests(ctx, p.ID); err != nil {
			h.Shell.ServerError(w, r, err)
			return
		}
	}
	if d.Me != nil {
		var emails []string
		for _, g := range guests {
			if slices.Contains(d.Me.SeatWith, g.AttendeeID) {
				emails = append(emails, g.Email)
			}
			if d.Me.Table > 0 && g.Table == d.Me.Table && g.AttendeeID != u.ID {
				d.Mates = append(d.Mates, mate{g.Name, g.Company})
			}
		}
		d.SeatWith = strings.Join(emails, ", ")
	}
	if d.Hosting {
		d.Starts = p.Starts.In(d.Venue).Format("2006-01-02T15:04")
		d.Guests = guests
		d.Tables = tablesOf(guests)
		for _, g := range guests {
			if g.Table == 0 {
				d.Unseated++
			}
			if g.Dietary != "" {
				d.Dietary = append(d.Dietary, g.Name+": "+g.Dietary)
			}
		}
		if p.InviteOnly {
			list, err := h.Store.PartyInvites(ctx, p.ID)
			if err != nil {
				h.Shell.ServerError(w, r, err)
				return
			}
			d.Invites = strings.Join(list, "\n")
		}
	}
	pg := h.Shell.Page(r, "party.page.title", nil, d)
	pg.Title = p.Title // the tab says which party, not "Party" (a dinner too)
	h.Shell.Render(w, r, http.StatusOK, "party", pg)
}

func tablesOf(guests []store.PartyGuest) []tableView {
	var out []tableView
	for _, g := range guests {
		if g.Table == 0 {
			continue
		}
		if len(out) == 0 || out[len(out)-1].No != g.Table {
			out = append(out, tableView{No: g.Table})
		}
		out[len(out)-1].Guests = append(out[len(out)-1].Guests, g)
	}
	return out
}

// rsvp records or updates the user's answer and grants them the door.
func (h *Handler) rsvp(w http.ResponseWriter, r *http.Request) {
	p, ok := h.party(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	u := h.Shell.User(r)
	_ = r.ParseForm()
	ans, err := ParseRSVP(ctx, h.Store, h.event().ID, u, r.PostFormValue("dietary"), r.PostForm["languages"],
		strings.FieldsFunc(r.PostFormValue("seat_with"), func(c rune) bool { return c == ',' || c == ' ' || c == '\n' || c == ';' }))
	if err == nil {
		err = Answer(ctx, h.Store, h.door(r), h.Log, u, p, ans)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "party.rsvp.done"))
	http.Redirect(w, r, "/parties/"+p.Code, http.StatusSeeOther)
}

// cancel takes the user off the guest list (and their door entry).
func (h *Handler) cancel(w http.ResponseWriter, r *http.Request) {
	p, ok := h.party(w, r)
	if !ok {
		return
	}
	u := h.Shell.User(r)
	if _, err := Withdraw(r.Context(), h.Store, h.door(r), h.Log, u, p); err != nil {
		h.fail(w, r, err)
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "party.rsvp.cancelled"))
	http.Redirect(w, r, "/parties/"+p.Code, http.StatusSeeOther)
}

// invites replaces an invite-only party's list (host only).
func (h *Handler) invites(w http.ResponseWriter, r *http.Request) {
	p, ok := h.hostedParty(w, r)
	if !ok {
		return
	}
	var emails []string
	for _, e := range strings.FieldsFunc(r.PostFormValue("emails"), func(c rune) bool { return c == ',' || c == ' ' || c == '\n' || c == '\r' || c == ';' }) {
		if !strings.Contains(e, "@") || len(e) > 254 {
			h.fail(w, r, &lanyard.Error{Code: lanyard.EINVALID, Field: "emails", Message: fmt.Sprintf("%q is not an email address.", e)})
			return
		}
		emails = append(emails, e)
	}
	if len(emails) > 5000 {
		h.fail(w, r, &lanyard.Error{Code: lanyard.EINVALID, Field: "emails", Message: "At most 5,000 invitations."})
		return
	}
	if err := h.Store.PartyInvitesSet(r.Context(), p.ID, emails); err != nil {
		h.fail(w, r, err)
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "party.invites.saved"))
	http.Redirect(w, r, "/parties/"+p.Code, http.StatusSeeOther)
}

// seat seats a dinner's guests (host only) and stores the plan.
func (h *Handler) seat(w http.ResponseWriter, r *http.Request) {
	p, ok := h.hostedParty(w, r)
	if !ok {
		return
	}
	if p.Kind != lanyard.KindDinner {
		h.fail(w, r, &lanyard.Error{Code: lanyard.ECONFLICT, Message: "Only dinners are seated."})
		return
	}
	if _, err := Seat(r.Context(), h.Store, h.Catalog.Load(), p, h.now()); err != nil {
		h.fail(w, r, err)
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "party.seat.done"))
	http.Redirect(w, r, "/parties/"+p.Code, http.StatusSeeOther)
}

// Seat seats a dinner's guests with internal/seating (seeded by the
// party's ID, so seating again the same guests gives the same plan) and
// stores the plan. Interests are the sessions on each guest's agenda and
// favorites, their repeat groups and topics, and the booths they saved on
// the expo. It returns the plan's measure.
func Seat(ctx context.Context, st Store, cat *catalog.Catalog, p lanyard.Party, now time.Time) (seating.Measure, error) {
	guests, err := st.PartyGuests(ctx, p.ID)
	if err != nil {
		return seating.Measure{}, err
	}
	interests, err := st.PartyInterests(ctx, p.ID)
	if err != nil {
		return seating.Measure{}, err
	}
	booths, err := st.PartyBoothInterests(ctx, p.ID)
	if err != nil {
		return seating.Measure{}, err
	}
	byID := map[int64]*lanyard.Session{}
	for _, s := range cat.Sessions() {
		byID[s.ID] = s
	}
	pr := seating.Problem{Tables: make([]int, p.Tables())}
	for i := range pr.Tables {
		pr.Tables[i] = p.TableSize
	}
	for _, g := range guests {
		sg := seating.Guest{ID: g.AttendeeID, Company: strings.ToLower(strings.TrimSpace(g.Company)), Languages: g.Languages, With: g.SeatWith}
		if len(sg.Languages) == 0 {
			sg.Languages = []string{"en"}
		}
		for _, sid := range interests[g.AttendeeID] {
			s := byID[sid]
			if s == nil {
				continue
			}
			key := s.Code
			if s.RepeatGroup != "" {
				key = s.RepeatGroup
			}
			sg.Interests = append(sg.Interests, "s:"+key)
			for _, t := range s.Topics {
				sg.Interests = append(sg.Interests, "t:"+strings.ToLower(t))
			}
		}
		for _, code := range booths[g.AttendeeID] { // the same booths saved on the expo
			sg.Interests = append(sg.Interests, "b:"+code)
		}
		pr.Guests = append(pr.Guests, sg)
	}
	plan, err := seating.Seat(pr, uint64(p.ID), seating.Options{})
	if err != nil {
		return seating.Measure{}, &lanyard.Error{Code: lanyard.ECONFLICT, Message: seatingMessage(err)}
	}
	tables := make(map[int64]int, len(guests))
	for i, g := range pr.Guests {
		tables[g.ID] = plan.Table[i] + 1
	}
	if err := st.PartySeatsSet(ctx, p.ID, tables, now); err != nil {
		return seating.Measure{}, err
	}
	return seating.Score(pr, plan), nil
}

func seatingMessage(err error) string {
	switch {
	case errors.Is(err, seating.ErrNoSeats):
		return "More guests than seats."
	case errors.Is(err, seating.ErrGroupTooLarge):
		return "A seat-me-with group is larger than a table."
	case errors.Is(err, seating.ErrNoLanguage):
		return "A seat-me-with group shares no language."
	case errors.Is(err, seating.ErrLanguageTables):
		return "The guests do not fit the tables with a language shared at each."
	}
	return "The guests cannot be seated."
}

func (h *Handler) log() *slog.Logger {
	if h.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return h.Log
}
