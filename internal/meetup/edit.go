package meetup

import (
	"net/http"
	"strconv"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Editing and cancelling (issue 14 follow-up). The starter edits their
// meetup (/meetups/edit/{id}, posted to /meetups/{id}/edit) and cancels it; organizers cancel any from
// the meetup's page or the console. The store does the change, the
// messages to those going or waitlisted and the reminders' move in one
// transaction (store/meetup_edit.go).

// mayCancel reports whether u may cancel m: its starter, or an organizer.
func mayCancel(u *lanyard.Attendee, m lanyard.Meetup) bool {
	return m.OrganizerID == u.ID || u.Role == lanyard.RoleOrganizer
}

// formOf is m as the form shows it.
func (h *Handler) formOf(m lanyard.Meetup) form {
	c := h.Catalog.Load()
	f := form{Title: m.Title, Description: m.Description, Language: m.Language, Topic: m.Topic, PlaceKind: m.PlaceKind,
		Venue: m.Venue, Place: m.Place, Start: m.Start.In(c.Loc).Format("2006-01-02T15:04"), Minutes: strconv.Itoa(m.Minutes()),
		Cap: strconv.Itoa(m.Cap), Errors: map[string]string{}}
	switch m.PlaceKind {
	case lanyard.MeetupRoom:
		f.Room = m.Venue + "|" + m.Place
	case lanyard.MeetupPin:
		f.Lat, f.Lng = strconv.FormatFloat(m.Lat, 'f', -1, 64), strconv.FormatFloat(m.Lng, 'f', -1, 64)
	}
	return f
}

// editable reads the path's meetup for its starter: 404 for none (or a
// hidden one to an attendee), meetup_not_yours (403) for another's,
// meetup_canceled and meetup_started (409) once it cannot change.
func (h *Handler) editable(w http.ResponseWriter, r *http.Request) (lanyard.Meetup, bool) {
	m, ok := h.meetup(w, r)
	if !ok {
		return m, false
	}
	u := h.Shell.User(r)
	switch {
	case m.Hidden && !Moderates(u.Role):
		h.refuse(w, r, http.StatusNotFound, lanyard.ENOTFOUND, "meetup.not_found")
	case m.OrganizerID != u.ID:
		h.refuse(w, r, http.StatusForbidden, lanyard.EMeetupNotYours, "meetup.error.not_yours")
	case m.Canceled:
		h.refuse(w, r, http.StatusConflict, lanyard.EMeetupCanceled, "meetup.error.canceled_meetup")
	case !m.Start.After(h.now()):
		h.refuse(w, r, http.StatusConflict, lanyard.EMeetupStarted, "meetup.error.started")
	default:
		return m, true
	}
	return m, false
}

func (h *Handler) editData(r *http.Request, m lanyard.Meetup, f form) newData {
	d := h.newData(r, f)
	d.Edit, d.Action, d.ID = true, meetupPath(m.ID)+"/edit", m.ID
	d.Going, d.CanCancel = m.Going, mayCancel(h.Shell.User(r), m)
	if f.Minutes != "" {
		found := false
		for _, o := range d.Durations {
			found = found || o.Value == f.Minutes
		}
		if !found {
			n, _ := strconv.Atoi(f.Minutes)
			d.Durations = append(d.Durations, option{Value: f.Minutes, Label: h.Shell.T(r, "meetup.minutes", "Minutes", n), Selected: true})
		}
	}
	return d
}

func (h *Handler) editPage(w http.ResponseWriter, r *http.Request) {
	m, ok := h.editable(w, r)
	if !ok {
		return
	}
	h.render(w, r, http.StatusOK, "new", "meetup.edit.title", h.editData(r, m, h.formOf(m)))
}

func (h *Handler) edit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	old, ok := h.editable(w, r)
	if !ok {
		return
	}
	m, f, err := h.parseForm(r)
	if err == nil {
		m.ID, m.OrganizerID = old.ID, old.OrganizerID
		_, err = h.Store.MeetupEdit(r.Context(), h.Shell.User(r).ID, m, h.words)
		if lanyard.ErrorCode(err) == lanyard.EMeetupCapBelowGoing {
			// The row may have moved since the page was read: say the
			// count the store saw, in the visitor's language.
			going := old.Going
			if now, err := h.Store.Meetup(r.Context(), h.event().ID, old.ID); err == nil {
				going = now.Going
			}
			f.Errors["cap"] = h.Shell.T(r, "meetup.error.cap_below_going", "Count", going)
		}
	}
	switch code := lanyard.ErrorCode(err); {
	case err == nil:
	case code == lanyard.EINVALID || code == lanyard.EMeetupCapBelowGoing:
		w.Header().Set(codeHeader, code)
		if wantsJSON(r) {
			msg := err.Error()
			if field := lanyard.ErrorField(err); f.Errors[field] != "" {
				msg = f.Errors[field]
			}
			writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": map[string]string{"code": code, "field": lanyard.ErrorField(err), "message": msg}})
			return
		}
		h.render(w, r, http.StatusUnprocessableEntity, "new", "meetup.edit.title", h.editData(r, old, f))
		return
	default:
		h.storeRefusal(w, r, err)
		return
	}
	if wantsJSON(r) {
		writeJSON(w, http.StatusOK, map[string]any{"id": old.ID})
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "meetup.edited"))
	http.Redirect(w, r, meetupPath(old.ID), http.StatusSeeOther)
}

// cancel is the starter's (or an organizer's) cancel from the meetup's
// page; the console's comes back to the console.
func (h *Handler) cancel(w http.ResponseWriter, r *http.Request) {
	m, ok := h.meetup(w, r)
	if !ok {
		return
	}
	u := h.Shell.User(r)
	if m.Hidden && !Moderates(u.Role) {
		h.refuse(w, r, http.StatusNotFound, lanyard.ENOTFOUND, "meetup.not_found")
		return
	}
	if !mayCancel(u, m) {
		h.refuse(w, r, http.StatusForbidden, lanyard.EMeetupNotYours, "meetup.error.not_yours")
		return
	}
	if r.PostFormValue("confirm") != "1" {
		h.refuse(w, r, http.StatusUnprocessableEntity, lanyard.EINVALID, "meetup.error.confirm")
		return
	}
	moderator := m.OrganizerID != u.ID
	var audit *lanyard.AuditEntry
	if moderator {
		audit = &lanyard.AuditEntry{At: h.now().UTC(), ActorID: u.ID, Action: "meetup.cancel", AttendeeID: m.OrganizerID, Detail: m.Title}
	}
	if _, err := h.Store.MeetupCancel(r.Context(), h.event().ID, m.ID, u.ID, moderator, audit, h.words); err != nil {
		h.storeRefusal(w, r, err)
		return
	}
	if wantsJSON(r) {
		writeJSON(w, http.StatusOK, map[string]any{"canceled": true})
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "meetup.canceled", "Title", m.Title))
	back := meetupPath(m.ID)
	if r.PostFormValue("from") == "console" && Moderates(u.Role) {
		back = "/console/meetups"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
