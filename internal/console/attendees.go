package console

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
)

// AttendeeStore is what the attendee pages read and change.
type AttendeeStore interface {
	SearchAttendees(ctx context.Context, eventID int64, q string, offset, limit int) ([]*lanyard.Attendee, bool, error)
	FindAttendeeByID(ctx context.Context, id int64) (*lanyard.Attendee, error)
	FindAttendeeByEmail(ctx context.Context, eventID int64, email string) (*lanyard.Attendee, error)
	BadgeState(ctx context.Context, attendeeID int64) (lanyard.BadgeState, error)
	Photo(ctx context.Context, attendeeID int64) (*lanyard.Photo, error)
	Entitlements(ctx context.Context, attendeeID int64) ([]string, error)
	MessagesTo(ctx context.Context, attendeeID int64, limit int) ([]lanyard.Message, error)
	SetRole(ctx context.Context, attendeeID int64, role lanyard.Role, audit lanyard.AuditEntry) error
	GrantEntitlement(ctx context.Context, attendeeID int64, name string, audit lanyard.AuditEntry) error
	ReplaceBadgeAudited(ctx context.Context, attendeeID int64, audit lanyard.AuditEntry) (lanyard.BadgeState, error)
	MissingPhotos(ctx context.Context, eventID int64, offset, limit int) ([]store.PhotoStatus, bool, error)
	FindAudit(ctx context.Context, eventID int64, f store.AuditFilter) ([]lanyard.AuditEntry, error)
}

// pageSize is how many rows a console list shows at once.
const pageSize = 50

// minStaffQuery: staff search for someone, they do not browse everyone.
const minStaffQuery = 2

type searchData struct {
	Q         string
	Error     string
	Results   []*lanyard.Attendee
	Searched  bool
	Prev      int // offset of the previous page, or -1
	Next      int // offset of the next page, or -1
	Organizer bool
}

// Page links keep the query.
func (d *searchData) PageURL(offset int) string {
	return "/console/attendees?q=" + urlQuery(d.Q) + "&from=" + strconv.Itoa(offset)
}

func (h *Handler) attendeesPage(w http.ResponseWriter, r *http.Request) {
	u := h.Shell.User(r)
	d := &searchData{Q: strings.TrimSpace(r.URL.Query().Get("q")), Prev: -1, Next: -1, Organizer: u.Role == lanyard.RoleOrganizer}
	from, _ := strconv.Atoi(r.URL.Query().Get("from"))
	from = max(from, 0)
	status := http.StatusOK
	switch {
	case d.Q == "" && !d.Organizer:
		// Staff start with an empty search box.
	case utf8.RuneCountInString(d.Q) < minStaffQuery && !d.Organizer:
		d.Error = h.Shell.T(r, "console.attendees.query_short", "Min", minStaffQuery)
		status = http.StatusUnprocessableEntity
	default:
		res, more, err := h.Store.SearchAttendees(r.Context(), h.event().ID, d.Q, from, pageSize)
		if err != nil {
			h.Shell.ServerError(w, r, err)
			return
		}
		d.Results, d.Searched = res, true
		if from > 0 {
			d.Prev = max(from-pageSize, 0)
		}
		if more {
			d.Next = from + pageSize
		}
	}
	h.render(w, r, status, "attendees", "console.attendees.title", d)
}

type attendeeData struct {
	A            *lanyard.Attendee
	Agenda       *lanyard.Agenda
	Badge        lanyard.BadgeState
	Photo        string // missing, flagged, ok
	Entitlements []string
	Messages     []lanyard.Message
	Audit        []lanyard.AuditEntry
	Roles        []lanyard.Role
	Organizer    bool
	Self         bool
	Form         *form
	CheckIns     []lanyard.AgendaItem
	// Cert is the certification they entered, if any (places, issue 13).
	Cert *lanyard.Certification
}

// attendee reads the {id} of the path; it answers 404 itself when there
// is no such attendee of this event.
func (h *Handler) attendee(w http.ResponseWriter, r *http.Request) *lanyard.Attendee {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var a *lanyard.Attendee
	if err == nil {
		a, err = h.Store.FindAttendeeByID(r.Context(), id)
	}
	if err != nil || a.EventID != h.event().ID {
		if err != nil && lanyard.ErrorCode(err) != lanyard.ENOTFOUND && lanyard.ErrorCode(err) != lanyard.EINVALID {
			if _, perr := strconv.ParseInt(r.PathValue("id"), 10, 64); perr == nil {
				h.Shell.ServerError(w, r, err)
				return nil
			}
		}
		h.Shell.Error(w, r, http.StatusNotFound, h.nav(r, h.Shell.User(r)), "console.attendees.not_found")
		return nil
	}
	return a
}

func (h *Handler) attendeePage(w http.ResponseWriter, r *http.Request) {
	a := h.attendee(w, r)
	if a == nil {
		return
	}
	h.renderAttendee(w, r, http.StatusOK, a, nil)
}

func (h *Handler) renderAttendee(w http.ResponseWriter, r *http.Request, status int, a *lanyard.Attendee, f *form) {
	ctx := r.Context()
	u := h.Shell.User(r)
	d := &attendeeData{A: a, Roles: []lanyard.Role{lanyard.RoleAttendee, lanyard.RoleExhibitor, lanyard.RoleStaff, lanyard.RoleOrganizer},
		Organizer: u.Role == lanyard.RoleOrganizer, Self: u.ID == a.ID, Form: f}
	if d.Form == nil {
		d.Form = newForm()
	}
	var err error
	if d.Agenda, err = h.engine(r).Agenda(ctx, a.ID); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	for _, it := range d.Agenda.Reservations {
		if it.CheckedIn {
			d.CheckIns = append(d.CheckIns, it)
		}
	}
	if d.Badge, err = h.Store.BadgeState(ctx, a.ID); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	switch p, err := h.Store.Photo(ctx, a.ID); {
	case lanyard.ErrorCode(err) == lanyard.ENOTFOUND:
		d.Photo = "missing"
	case err != nil:
		h.Shell.ServerError(w, r, err)
		return
	case p.Flagged:
		d.Photo = "flagged"
	default:
		d.Photo = "ok"
	}
	if d.Entitlements, err = h.Store.Entitlements(ctx, a.ID); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	if c, err := h.Store.Certification(ctx, h.event().ID, a.ID); err == nil { // === places (issue 13)
		d.Cert = &c
	}
	if d.Messages, err = h.Store.MessagesTo(ctx, a.ID, 20); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	if d.Organizer {
		if d.Audit, err = h.Store.FindAudit(ctx, h.event().ID, store.AuditFilter{AttendeeID: a.ID, Limit: 20}); err != nil {
			h.Shell.ServerError(w, r, err)
			return
		}
	}
	h.render(w, r, status, "attendee", "console.attendee.title", d)
}

// changeRole gives an attendee another role. An organizer cannot change
// their own, so the event never loses its last organizer by a slip.
func (h *Handler) changeRole(w http.ResponseWriter, r *http.Request) {
	a := h.attendee(w, r)
	if a == nil {
		return
	}
	f := newForm()
	role := lanyard.Role(r.PostFormValue("role"))
	f.Values["role"] = string(role)
	switch {
	case !role.Valid():
		f.Errors["role"] = h.Shell.T(r, "console.attendee.role_unknown")
	case a.ID == h.actor(r):
		f.Errors["role"] = h.Shell.T(r, "console.attendee.role_self")
	}
	if !f.ok() {
		h.renderAttendee(w, r, http.StatusUnprocessableEntity, a, f)
		return
	}
	if role != a.Role {
		err := h.Store.SetRole(r.Context(), a.ID, role, lanyard.AuditEntry{ActorID: h.actor(r), Action: "role", Detail: string(a.Role) + " → " + string(role)})
		if err != nil {
			h.Shell.ServerError(w, r, err)
			return
		}
	}
	h.backToAttendee(w, r, a, "console.attendee.role_saved")
}

// grantEntitlement gives an attendee a lounge, a certification's perks.
func (h *Handler) grantEntitlement(w http.ResponseWriter, r *http.Request) {
	a := h.attendee(w, r)
	if a == nil {
		return
	}
	f := newForm()
	name := strings.TrimSpace(r.PostFormValue("entitlement"))
	f.Values["entitlement"] = name
	if name == "" || lanyard.CheckText("entitlement", name, lanyard.RuleLabel) != nil {
		f.Errors["entitlement"] = h.Shell.T(r, "console.attendee.entitlement_invalid")
		h.renderAttendee(w, r, http.StatusUnprocessableEntity, a, f)
		return
	}
	// Through the engine (issue 13), so the doors of places see it at once.
	added, err := h.engine(r).Grant(r.Context(), h.actor(r), a.ID, name, "")
	if err == nil && added {
		err = h.Store.AddAudit(r.Context(), h.event().ID, lanyard.AuditEntry{ActorID: h.actor(r), Action: "entitlement", AttendeeID: a.ID, Detail: name})
	}
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.backToAttendee(w, r, a, "console.attendee.entitlement_saved")
}

// replaceBadge voids the attendee's badge (lost, stolen) and issues the
// next: the old one's code stops verifying at the doors.
func (h *Handler) replaceBadge(w http.ResponseWriter, r *http.Request) {
	a := h.attendee(w, r)
	if a == nil {
		return
	}
	st, err := h.Store.ReplaceBadgeAudited(r.Context(), a.ID, lanyard.AuditEntry{ActorID: h.actor(r), Action: "badge_replaced"})
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "console.attendee.badge_replaced", "Version", st.Version))
	http.Redirect(w, r, "/console/attendees/"+strconv.FormatInt(a.ID, 10)+"#badge", http.StatusSeeOther)
}

func (h *Handler) backToAttendee(w http.ResponseWriter, r *http.Request, a *lanyard.Attendee, msgID string) {
	h.Shell.Flash(r, "ok", h.Shell.T(r, msgID))
	http.Redirect(w, r, "/console/attendees/"+strconv.FormatInt(a.ID, 10), http.StatusSeeOther)
}

type photosData struct {
	Rows       []store.PhotoStatus
	Prev, Next int
	From       int
}

// photosPage lists the attendees without a usable badge photo, a page at a time.
func (h *Handler) photosPage(w http.ResponseWriter, r *http.Request) {
	from, _ := strconv.Atoi(r.URL.Query().Get("from"))
	from = max(from, 0)
	rows, more, err := h.Store.MissingPhotos(r.Context(), h.event().ID, from, pageSize)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	d := &photosData{Rows: rows, Prev: -1, Next: -1, From: from}
	if from > 0 {
		d.Prev = max(from-pageSize, 0)
	}
	if more {
		d.Next = from + pageSize
	}
	h.render(w, r, http.StatusOK, "photos", "console.photos.title", d)
}
