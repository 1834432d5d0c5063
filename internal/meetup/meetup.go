// Package meetup serves attendee-made meetups and "people to meet".
//
// Any signed-in attendee starts a meetup (a title, a language, a topic or
// community, a place — a catalog room, a bar in a venue, or a map pin — a
// time and a cap); others find them at /meetups by language, topic and
// day, and RSVP up to the cap, then on a waitlist. The cap is the
// database's to keep (see store/meetup.go). A meetup one is going to is on
// their agenda like a session, with the trip to it (AgendaEntries). A
// reminder is written in the RSVP's transaction, due half an hour before
// the start, and dropped if they leave. Organizers hide a meetup from the
// console (/console/meetups); attendees report one.
//
// /people suggests people to meet to attendees who opted in
// (lanyard.Sharing.MeetOptIn): others who opted in, from other companies,
// who hold the same sessions, share topics, wait in the same walk-up line
// or speak the same language, each with the reason.
//
// It shares the web app's layout, translations, sign-in session and CSRF
// protection through web.Shell, like internal/desk, with its own
// templates, messages and stylesheet.
package meetup

import (
	"context"
	"embed"
	"encoding/json"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/web"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed locales/*.json
var localeFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Store is what meetups read and write.
type Store interface {
	MeetupCreate(ctx context.Context, m lanyard.Meetup, words store.MeetupWords) (lanyard.Meetup, error)
	Meetup(ctx context.Context, eventID, id int64) (lanyard.Meetup, error)
	Meetups(ctx context.Context, eventID int64, f lanyard.MeetupFilter) ([]lanyard.Meetup, error)
	MeetupRSVPOf(ctx context.Context, meetupID, attendeeID int64) (lanyard.RSVP, error)
	MeetupRSVP(ctx context.Context, eventID, meetupID, attendeeID int64, words store.MeetupWords) (lanyard.RSVP, bool, error)
	MeetupLeave(ctx context.Context, eventID, meetupID, attendeeID int64, words store.MeetupWords) (int64, error)
	MeetupsOf(ctx context.Context, eventID, attendeeID int64) ([]store.MyMeetup, error)
	MeetupEdit(ctx context.Context, actorID int64, m lanyard.Meetup, words store.MeetupWords) (lanyard.Meetup, error)
	MeetupCancel(ctx context.Context, eventID, id, actorID int64, moderator bool, audit *lanyard.AuditEntry, words store.MeetupWords) (lanyard.Meetup, error)
	MeetupHide(ctx context.Context, eventID, id int64, hidden bool, audit lanyard.AuditEntry) error
	MeetupReport(ctx context.Context, eventID, id, attendeeID int64, reason string) error
	MeetupReports(ctx context.Context, id int64) ([]store.MeetupReportReason, error)
	MeetupPeople(ctx context.Context, eventID, attendeeID int64, limit int) (store.MeetupPeople, error)
	FindAttendeeByID(ctx context.Context, id int64) (*lanyard.Attendee, error)
	Sharing(ctx context.Context, attendeeID int64) (lanyard.Sharing, error)
	PutSharing(ctx context.Context, s lanyard.Sharing) error
}

var _ Store = (*store.DB)(nil)

// Handler serves the meetups of one event. It never calls the reservation
// engine, so every route is route.Any.
type Handler struct {
	Shell   *web.Shell
	Catalog *atomic.Pointer[catalog.Catalog]
	Store   Store
	Log     *slog.Logger
	// BaseURL makes the links in reminders absolute.
	BaseURL string
	// Now is the clock; nil is the wall clock.
	Now func() time.Time
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// NewShell returns the web app's shell with the meetups' templates, and
// merges their messages into the translations.
func NewShell(pages *web.Handler) (*web.Shell, error) {
	return pages.RoleShell("meetup", templateFiles, localeFiles, template.FuncMap{"meetupStatic": staticURL})
}

// Routes registers the meetups, the console's meetup page and /people on t.
func (h *Handler) Routes(t *route.Table) {
	t.Handle("GET /meetups/static/{name}", route.Any, assets)
	h.handle(t, "GET /meetups", anyone, h.listPage)
	h.handle(t, "GET /meetups/new", anyone, h.newPage)
	h.handle(t, "POST /meetups", anyone, h.create)
	h.handle(t, "GET /meetups/{id}", anyone, h.showPage)
	h.handle(t, "POST /meetups/{id}/rsvp", anyone, h.rsvp)
	h.handle(t, "POST /meetups/{id}/leave", anyone, h.leave)
	h.handle(t, "POST /meetups/{id}/report", anyone, h.report)
	h.handle(t, "GET /meetups/edit/{id}", anyone, h.editPage)
	h.handle(t, "POST /meetups/{id}/edit", anyone, h.edit)
	h.handle(t, "POST /meetups/{id}/cancel", anyone, h.cancel)
	h.handle(t, "GET /people", anyone, h.peoplePage)
	h.handle(t, "POST /people/opt-in", anyone, h.optIn)
	h.handle(t, "GET /console/meetups", organizers, h.consolePage)
	h.handle(t, "POST /console/meetups/{id}/hide", organizers, h.hide)
}

type access int

const (
	anyone     access = iota // any signed-in account
	organizers               // organizers and staff
)

// handle registers fn for pattern behind the sign-in session, CSRF
// protection and the role check, on every request.
func (h *Handler) handle(t *route.Table, pattern string, need access, fn http.HandlerFunc) {
	t.Handle(pattern, route.Any, h.Shell.Wrap(h.require(need, fn)))
}

// Moderates reports whether role may hide meetups: organizers and staff.
func Moderates(role lanyard.Role) bool {
	return role == lanyard.RoleOrganizer || role == lanyard.RoleStaff
}

func (h *Handler) require(need access, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u := h.Shell.User(r)
		switch {
		case u == nil && r.Method == http.MethodGet:
			http.Redirect(w, r, h.Shell.SignInURL(r), http.StatusSeeOther)
		case u == nil:
			h.refuse(w, r, http.StatusUnauthorized, lanyard.EUNAUTHORIZED, "error.signin_needed")
		case need == organizers && !Moderates(u.Role):
			h.refuse(w, r, http.StatusForbidden, lanyard.EFORBIDDEN, "meetup.forbidden")
		default:
			next(w, r)
		}
	}
}

// codeHeader carries a refusal's machine-readable code on a page.
const codeHeader = "X-Lanyard-Code"

func (h *Handler) nav(r *http.Request) []web.NavItem {
	if !strings.HasPrefix(r.URL.Path, "/console") {
		return nil // the attendee app's own links
	}
	return []web.NavItem{
		{Href: "/console", Label: h.Shell.T(r, "meetup.nav.console")},
		{Href: "/console/meetups", Label: h.Shell.T(r, "meetup.nav.meetups"), Current: true},
		{Href: "/meetups", Label: h.Shell.T(r, "meetup.nav.app")},
	}
}

func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name, titleID string, data any) {
	p := h.Shell.Page(r, titleID, h.nav(r), data)
	h.Shell.Render(w, r, status, name, p)
}

// wantsJSON: a script (or a test) asks for the outcome as JSON.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// refuse answers a refusal: JSON {"error":{code,message}} to a script, else
// the error page in the visitor's language, the code in codeHeader.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, status int, code, id string, args ...any) {
	w.Header().Set(codeHeader, code)
	if wantsJSON(r) {
		writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": h.Shell.T(r, id, args...)}})
		return
	}
	h.Shell.Error(w, r, status, h.nav(r), id, args...)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (h *Handler) event() *lanyard.Event { return h.Catalog.Load().Event }

// meetup reads the {id} of the path; it answers 404 itself when the event
// has no such meetup, or when it is hidden from someone who may not moderate.
func (h *Handler) meetup(w http.ResponseWriter, r *http.Request) (lanyard.Meetup, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.refuse(w, r, http.StatusNotFound, lanyard.ENOTFOUND, "meetup.not_found")
		return lanyard.Meetup{}, false
	}
	m, err := h.Store.Meetup(r.Context(), h.event().ID, id)
	switch {
	case lanyard.ErrorCode(err) == lanyard.ENOTFOUND:
		h.refuse(w, r, http.StatusNotFound, lanyard.ENOTFOUND, "meetup.not_found")
		return m, false
	case err != nil:
		h.Shell.ServerError(w, r, err)
		return m, false
	}
	return m, true
}

func meetupPath(id int64) string { return "/meetups/" + strconv.FormatInt(id, 10) }

// words writes the reminder and the promotion note in the recipient's
// language, with the meetup's time in the venue's zone and their home's.
func (h *Handler) words(m lanyard.Meetup, to store.MeetupRecipient, kind string) (string, string) {
	lang := to.Language
	if lang != "ko" {
		lang = "en"
	}
	c := h.Catalog.Load()
	t := func(id string, args ...any) string { return web.Translate(lang, id, args...) }
	// The time in the recipient's words ("12월 8일 (화) 오후 6:00–7:30 PST"
	// in Korean), not Go's English layout.
	var home *time.Location
	if z, err := lanyard.LoadZone(to.HomeZone); err == nil && to.HomeZone != "" {
		home = z
	}
	when := web.Span(lang, m.Start, m.End, c.Loc, home)
	where := placeText(c, m)
	link := strings.TrimSuffix(h.BaseURL, "/") + meetupPath(m.ID)
	args := []any{"Title", m.Title, "When", when, "Where", where, "Name", to.Name, "Link", link}
	switch kind {
	case lanyard.KindMeetupPromoted:
		return t("meetup.mail.promoted_subject", args...), t("meetup.mail.promoted_body", args...)
	case lanyard.KindMeetupChanged:
		return t("meetup.mail.changed_subject", args...), t("meetup.mail.changed_body", args...)
	case lanyard.KindMeetupCanceled:
		return t("meetup.mail.canceled_subject", args...), t("meetup.mail.canceled_body", args...)
	default:
		return t("meetup.mail.reminder_subject", args...), t("meetup.mail.reminder_body", args...)
	}
}

// placeText is where a meetup is, in words.
func placeText(c *catalog.Catalog, m lanyard.Meetup) string {
	if m.Venue == "" {
		return m.Place
	}
	return m.Place + ", " + c.VenueName(m.Venue)
}

// assets are the package's static files, served at /meetups/static/.
var assets = web.NewAssets(staticFiles, "static", "/meetups/static/")

// staticURL is an asset's versioned URL, for the templates.
func staticURL(name string) string { return assets.URL(name) }
