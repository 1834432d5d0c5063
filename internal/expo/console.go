package expo

import (
	"errors"
	"io"
	"net/http"
	"net/mail"
	"strconv"
	"strings"

	"github.com/lanyardhq/lanyard/internal/floorplan"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
)

type consoleListData struct {
	Booths   []store.ExpoBooth
	Map      *mapView
	New      lanyard.Exhibitor
	Error    string
	ErrField string
}

// consoleList is /console/exhibitors: every exhibitor, a form for a new
// one, and the expo map (upload or replace; booths marked on it).
func (h *Handler) consoleList(w http.ResponseWriter, r *http.Request) {
	h.renderList(w, r, http.StatusOK, lanyard.Exhibitor{}, nil, "")
}

func (h *Handler) renderList(w http.ResponseWriter, r *http.Request, status int, x lanyard.Exhibitor, ierr *inputError, msg string) {
	booths, err := h.Store.ExpoBooths(r.Context(), h.event().ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	d := consoleListData{Booths: booths, New: x}
	if d.Map, err = h.mapOf(r.Context(), booths, nil); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	if ierr != nil {
		w.Header().Set(codeHeader, ierr.Code)
		d.Error, d.ErrField = h.Shell.T(r, ierr.MsgID), ierr.Field
	}
	if msg != "" {
		d.Error = msg
	}
	h.render(w, r, status, "console", "expo.console.title", d)
}

func (h *Handler) audit(r *http.Request, action, detail string) {
	// The change is made; an audit row that fails is logged, not undone.
	if err := h.Store.AddAudit(r.Context(), h.event().ID, lanyard.AuditEntry{ActorID: h.Shell.User(r).ID, Action: action, Detail: detail}); err != nil {
		h.Log.Warn("expo audit not written", "action", action, "err", err)
	}
}

func (h *Handler) consoleCreate(w http.ResponseWriter, r *http.Request) {
	x, ierr := ParseExhibitor(r.PostFormValue("code"), r.PostFormValue("name"), r.PostFormValue("booth"))
	if ierr != nil {
		h.renderList(w, r, http.StatusUnprocessableEntity, x, ierr, "")
		return
	}
	saved, err := h.Store.PutExhibitor(r.Context(), h.event().ID, x)
	if lanyard.ErrorCode(err) == lanyard.ECONFLICT {
		h.renderList(w, r, http.StatusConflict, x, bad("code_taken", "code", "expo.input.code_taken"), "")
		return
	}
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.audit(r, "exhibitor_create", saved.Code)
	h.Shell.Flash(r, "ok", h.Shell.T(r, "expo.console.created", "Name", saved.Name))
	http.Redirect(w, r, "/console/exhibitors/"+strconv.FormatInt(saved.ID, 10), http.StatusSeeOther)
}

// consoleMap takes the expo map's upload (multipart "plan"): an SVG is
// sanitized, an image kept as it is; refused as floorplan.Read says.
func (h *Handler) consoleMap(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, floorplan.MaxBytes+1<<20)
	f, _, err := r.FormFile("plan")
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		w.Header().Set(codeHeader, lanyard.EPlanTooLarge)
		h.Shell.Error(w, r, http.StatusRequestEntityTooLarge, h.nav(r), "expo.console.map_refused", "Reason", h.Shell.T(r, "expo.console.map_too_large"))
		return
	}
	if err != nil {
		h.refuse(w, r, http.StatusBadRequest, "plan_missing", "expo.console.map_missing")
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, floorplan.MaxBytes+1))
	if err != nil {
		h.refuse(w, r, http.StatusBadRequest, "plan_missing", "expo.console.map_missing")
		return
	}
	p, err := floorplan.Read(data)
	if err != nil {
		status := http.StatusBadRequest
		switch lanyard.ErrorCode(err) {
		case lanyard.EPlanTooLarge:
			status = http.StatusRequestEntityTooLarge
		case lanyard.EPlanUnsupported:
			status = http.StatusUnsupportedMediaType
		}
		w.Header().Set(codeHeader, lanyard.ErrorCode(err))
		h.Shell.Error(w, r, status, h.nav(r), "expo.console.map_refused", "Reason", lanyard.ErrorMessage(err))
		return
	}
	if err := h.Store.ExpoSaveMap(r.Context(), h.event().ID, p.Format, p.Data, p.Box.MinX, p.Box.MinY, p.Box.Width, p.Box.Height); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.audit(r, "expo_map", p.Format)
	h.Shell.Flash(r, "ok", h.Shell.T(r, "expo.console.map_saved"))
	http.Redirect(w, r, "/console/exhibitors", http.StatusSeeOther)
}

type consoleExhibitorData struct {
	Booth    store.ExpoBooth
	Staff    []*lanyard.Attendee
	Map      *mapView
	Error    string
	ErrField string
}

// exhibitorOf reads {id}; it answers 404 itself when the event has none.
func (h *Handler) exhibitorOf(w http.ResponseWriter, r *http.Request) (store.ExpoBooth, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var x lanyard.Exhibitor
	if err == nil {
		x, err = h.Store.Exhibitor(r.Context(), h.event().ID, id)
	} else {
		err = lanyard.Errorf(lanyard.ENOTFOUND, "no such exhibitor")
	}
	if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
		h.refuse(w, r, http.StatusNotFound, lanyard.ENOTFOUND, "expo.booth.not_found", "Code", r.PathValue("id"))
		return store.ExpoBooth{}, false
	}
	var b store.ExpoBooth
	if err == nil {
		b, err = h.Store.ExpoBooth(r.Context(), h.event().ID, x.Code)
	}
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return b, false
	}
	return b, true
}

func (h *Handler) consoleExhibitor(w http.ResponseWriter, r *http.Request) {
	b, ok := h.exhibitorOf(w, r)
	if ok {
		h.renderExhibitor(w, r, http.StatusOK, b, nil)
	}
}

func (h *Handler) renderExhibitor(w http.ResponseWriter, r *http.Request, status int, b store.ExpoBooth, ierr *inputError) {
	staff, err := h.Store.ExpoStaff(r.Context(), b.ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	booths, err := h.Store.ExpoBooths(r.Context(), h.event().ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	d := consoleExhibitorData{Booth: b, Staff: staff}
	if d.Map, err = h.mapOf(r.Context(), booths, func(o store.ExpoBooth) bool { return o.ID == b.ID }); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	if ierr != nil {
		w.Header().Set(codeHeader, ierr.Code)
		d.Error, d.ErrField = h.Shell.T(r, ierr.MsgID), ierr.Field
	}
	p := h.Shell.Page(r, "expo.console.exhibitor_title", h.nav(r), d)
	p.Title = b.Name
	h.Shell.Render(w, r, status, "console_exhibitor", p)
}

func (h *Handler) consoleUpdate(w http.ResponseWriter, r *http.Request) {
	b, ok := h.exhibitorOf(w, r)
	if !ok {
		return
	}
	x, ierr := ParseExhibitor(r.PostFormValue("code"), r.PostFormValue("name"), r.PostFormValue("booth"))
	var det Details
	if ierr == nil {
		det, ierr = ParseDetails(r.PostFormValue("description"), r.PostFormValue("website"), r.PostFormValue("categories"), r.PostFormValue("hours"))
	}
	if ierr != nil {
		h.renderExhibitor(w, r, http.StatusUnprocessableEntity, b, ierr)
		return
	}
	x.ID, x.Description, x.Website, x.Categories = b.ID, det.Description, det.Website, det.Categories
	_, err := h.Store.PutExhibitor(r.Context(), h.event().ID, x)
	if lanyard.ErrorCode(err) == lanyard.ECONFLICT {
		h.renderExhibitor(w, r, http.StatusConflict, b, bad("code_taken", "code", "expo.input.code_taken"))
		return
	}
	if err == nil {
		err = h.Store.ExpoSetHours(r.Context(), b.ID, det.Hours)
	}
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.audit(r, "exhibitor_update", x.Code)
	h.Shell.Flash(r, "ok", h.Shell.T(r, "expo.exhibitor.saved"))
	http.Redirect(w, r, "/console/exhibitors/"+strconv.FormatInt(b.ID, 10), http.StatusSeeOther)
}

// consoleMark puts the booth on the map: x, y (a point) and w, h (a
// rectangle) in the map's coordinates, inside the map; "clear" takes it off.
func (h *Handler) consoleMark(w http.ResponseWriter, r *http.Request) {
	b, ok := h.exhibitorOf(w, r)
	if !ok {
		return
	}
	m, err := h.Store.ExpoMap(r.Context(), h.event().ID)
	if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
		h.renderExhibitor(w, r, http.StatusConflict, b, bad("no_map", "x", "expo.console.no_map"))
		return
	}
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	if r.PostFormValue("clear") != "" {
		err = h.Store.ExpoMarkBooth(r.Context(), h.event().ID, b.ID, false, 0, 0, 0, 0)
	} else {
		num := func(name string) (float64, bool) {
			s := strings.TrimSpace(r.PostFormValue(name))
			if s == "" && (name == "w" || name == "h") {
				return 0, true
			}
			v, err := strconv.ParseFloat(s, 64)
			return v, err == nil && v == v && v >= -1e9 && v <= 1e9
		}
		x, ok1 := num("x")
		y, ok2 := num("y")
		wd, ok3 := num("w")
		ht, ok4 := num("h")
		inside := x >= m.MinX && y >= m.MinY && wd >= 0 && ht >= 0 && x+wd <= m.MinX+m.Width+1e-6 && y+ht <= m.MinY+m.Height+1e-6
		if !ok1 || !ok2 || !ok3 || !ok4 || !inside {
			h.renderExhibitor(w, r, http.StatusUnprocessableEntity, b, bad("invalid_mark", "x", "expo.console.bad_mark"))
			return
		}
		err = h.Store.ExpoMarkBooth(r.Context(), h.event().ID, b.ID, true, x, y, wd, ht)
	}
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.audit(r, "booth_mark", b.Code)
	h.Shell.Flash(r, "ok", h.Shell.T(r, "expo.console.marked"))
	http.Redirect(w, r, "/console/exhibitors/"+strconv.FormatInt(b.ID, 10), http.StatusSeeOther)
}

// consoleAddStaff makes an account one of the exhibitor's staff with the
// exhibitor role: an existing account by email (an attendee's; never an
// organizer's or staff member's), or a new account with the name given,
// who sets a password through "forgot password" like any imported attendee.
func (h *Handler) consoleAddStaff(w http.ResponseWriter, r *http.Request) {
	b, ok := h.exhibitorOf(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	addr, err := mail.ParseAddress(strings.TrimSpace(r.PostFormValue("email")))
	if err != nil || addr.Name != "" || len(addr.Address) > 254 {
		h.renderExhibitor(w, r, http.StatusUnprocessableEntity, b, bad("invalid_email", "email", "expo.input.email"))
		return
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	a, err := h.Store.FindAttendeeByEmail(ctx, h.event().ID, addr.Address)
	switch {
	case lanyard.ErrorCode(err) == lanyard.ENOTFOUND:
		if name == "" || len(name) > 120 || !oneLine(name) {
			h.renderExhibitor(w, r, http.StatusUnprocessableEntity, b, bad("name_needed", "name", "expo.input.staff_name"))
			return
		}
		a = &lanyard.Attendee{Name: name, Email: addr.Address, Company: b.Name, Role: lanyard.RoleExhibitor, Certifications: []string{}}
		if err := h.Store.CreateAttendees(ctx, h.event().ID, []*lanyard.Attendee{a}); err != nil {
			h.Shell.ServerError(w, r, err)
			return
		}
	case err != nil:
		h.Shell.ServerError(w, r, err)
		return
	case a.Role == lanyard.RoleOrganizer || a.Role == lanyard.RoleStaff:
		h.renderExhibitor(w, r, http.StatusConflict, b, bad("role_taken", "email", "expo.input.role_taken"))
		return
	}
	if err := h.Store.SetExhibitorStaff(ctx, b.ID, a.ID); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	if a.Role != lanyard.RoleExhibitor {
		if err := h.Store.SetRole(ctx, a.ID, lanyard.RoleExhibitor, lanyard.AuditEntry{ActorID: h.Shell.User(r).ID, Action: "role",
			Detail: string(a.Role) + " → exhibitor (" + b.Code + ")"}); err != nil {
			h.Shell.ServerError(w, r, err)
			return
		}
	} else {
		h.audit(r, "exhibitor_staff", b.Code+": "+a.Email)
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "expo.console.staff_added", "Email", a.Email))
	http.Redirect(w, r, "/console/exhibitors/"+strconv.FormatInt(b.ID, 10), http.StatusSeeOther)
}

// consoleRemoveStaff takes an account off the staff and back to the
// attendee role.
func (h *Handler) consoleRemoveStaff(w http.ResponseWriter, r *http.Request) {
	b, ok := h.exhibitorOf(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("attendee"), 10, 64)
	if err == nil {
		err = h.Store.ExpoRemoveStaff(r.Context(), b.ID, id)
	} else {
		err = lanyard.Errorf(lanyard.ENOTFOUND, "no such staff")
	}
	if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
		h.refuse(w, r, http.StatusNotFound, lanyard.ENOTFOUND, "expo.console.not_staff")
		return
	}
	if err == nil {
		err = h.Store.SetRole(r.Context(), id, lanyard.RoleAttendee, lanyard.AuditEntry{ActorID: h.Shell.User(r).ID, Action: "role", Detail: "exhibitor → attendee (" + b.Code + ")"})
	}
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "expo.console.staff_removed"))
	http.Redirect(w, r, "/console/exhibitors/"+strconv.FormatInt(b.ID, 10), http.StatusSeeOther)
}
