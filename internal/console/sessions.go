package console

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
)

// SessionStore is what the catalog change pages read: who holds a session
// (most recent first, for a lowered capacity) and the schedule's versions.
type SessionStore interface {
	SessionHolders(ctx context.Context, sessionID int64) ([]int64, error)
	ScheduleChanges(ctx context.Context, eventID int64) ([]lanyard.ScheduleChange, error)
	ScheduleVersion(ctx context.Context, eventID int64) (int, error)
	CreateSession(ctx context.Context, eventID int64, s *lanyard.Session) error
}

var _ SessionStore = (*store.DB)(nil)

// maxListed caps the sessions list and the affected attendees a preview
// names (it counts them all).
const maxListed = 200

// sessionsData is the sessions list: a filter and what it matches.
type sessionsData struct {
	Q        string
	Sessions []*lanyard.Session
	More     bool
}

// sessionsPage lists the catalog's sessions, filtered by code or title, to
// pick one to change.
func (h *Handler) sessionsPage(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	d := &sessionsData{Q: q}
	lq := strings.ToLower(q)
	for _, s := range h.Catalog.Load().Sessions() {
		if q != "" && !strings.Contains(strings.ToLower(s.Code), lq) && !strings.Contains(strings.ToLower(s.Title), lq) {
			continue
		}
		if len(d.Sessions) == maxListed {
			d.More = true
			break
		}
		d.Sessions = append(d.Sessions, s)
	}
	h.render(w, r, http.StatusOK, "sessionlist", "console.sessions.title", d)
}

// sessionData is one session's change page: the form, and after a
// preview what the change would do and to whom.
type sessionData struct {
	Session *lanyard.Session
	Rooms   []roomOption
	Types   []lanyard.SessionType
	Form    *form
	Preview *lanyard.ChangePreview
	// Affected are the preview's attendees, named, at most maxListed.
	Affected []affectedRow
	// People is how many attendees the change concerns.
	People int
	Key    string
	// Repeat is the add-a-repeat form.
	Repeat *form
}

type roomOption struct {
	Value, Label string
	Capacity     int
}

type affectedRow struct {
	lanyard.Affected
	Name, Email string
}

// Changed reports whether the preview changes field name.
func (d *sessionData) Changed(name string) bool {
	return d.Preview != nil && slices.Contains(d.Preview.Changes, name)
}

func (h *Handler) sessionPage(w http.ResponseWriter, r *http.Request) {
	s, err := h.Catalog.Load().Session(r.PathValue("code"))
	if err != nil {
		h.notFound(w, r)
		return
	}
	h.renderSession(w, r, http.StatusOK, h.sessionForm(s), s, nil, suggestedRepeat(r, s, h.Catalog.Load().Loc))
}

// suggestedRepeat fills the add-a-repeat form from the reports' "add a
// repeat here" link (repeat_start, an instant, and venue and room), as long
// as the session; nil without a suggestion.
func suggestedRepeat(r *http.Request, s *lanyard.Session, loc *time.Location) *form {
	q := r.URL.Query()
	start, err := time.Parse(time.RFC3339, q.Get("repeat_start"))
	if err != nil || !s.Scheduled() {
		return nil
	}
	f := newForm()
	f.Values["repeat_start"] = start.In(loc).Format(localLayout)
	f.Values["repeat_end"] = start.Add(s.End.Sub(s.Start)).In(loc).Format(localLayout)
	if v, rm := q.Get("venue"), q.Get("room"); v != "" && rm != "" {
		f.Values["repeat_room"] = v + "/" + rm
	}
	return f
}

// sessionForm is the change form filled with s as it is.
func (h *Handler) sessionForm(s *lanyard.Session) *form {
	f := newForm()
	loc := h.Catalog.Load().Loc
	if s.Scheduled() {
		f.Values["start"], f.Values["end"] = s.Start.In(loc).Format(localLayout), s.End.In(loc).Format(localLayout)
	}
	if s.Room != "" {
		f.Values["room"] = s.Venue + "/" + s.Room
	}
	f.Values["capacity"] = strconv.Itoa(s.CapacityOverride)
	f.Values["type"], f.Values["title"], f.Values["abstract"] = string(s.Type), s.Title, s.Abstract
	var sp []string
	for _, p := range s.Speakers {
		sp = append(sp, strings.Join(slices.DeleteFunc([]string{p.Name, p.JobTitle, p.Company}, func(x string) bool { return x == "" }), ", "))
	}
	f.Values["speakers"] = strings.Join(sp, "\n")
	f.Values["over"] = string(lanyard.OverKeep)
	return f
}

func (h *Handler) renderSession(w http.ResponseWriter, r *http.Request, status int, f *form, s *lanyard.Session, p *lanyard.ChangePreview, repeat *form) {
	cat := h.Catalog.Load()
	if repeat == nil {
		repeat = newForm()
	}
	d := &sessionData{Session: s, Types: lanyard.SessionTypes, Form: f, Preview: p, Key: f.V("key"), Repeat: repeat}
	if f.V("form") == "repeat" {
		d.Form, d.Repeat = h.sessionForm(s), f
	}
	if d.Key == "" {
		d.Key = newKey()
	}
	for _, v := range cat.Venues {
		for _, rm := range v.Rooms {
			d.Rooms = append(d.Rooms, roomOption{Value: v.Code + "/" + rm.Name, Label: v.Name + " · " + rm.Name, Capacity: rm.Capacity})
		}
	}
	if p != nil {
		seen := map[int64]bool{}
		for _, a := range p.Affected {
			if !seen[a.Attendee] {
				seen[a.Attendee] = true
				d.People++
			}
			if len(d.Affected) == maxListed {
				continue
			}
			row := affectedRow{Affected: a}
			if at, err := h.Store.FindAttendeeByID(r.Context(), a.Attendee); err == nil {
				row.Name, row.Email = at.Name, at.Email
			}
			d.Affected = append(d.Affected, row)
		}
	}
	h.render(w, r, status, "sessionedit", "console.session.title", d)
}

// readChange reads the change form of session s into a change, with an
// error per bad field.
func (h *Handler) readChange(r *http.Request, s *lanyard.Session) (lanyard.SessionChange, *form) {
	f := newForm()
	for _, k := range []string{"start", "end", "room", "capacity", "type", "title", "abstract", "speakers", "cancel", "over", "key"} {
		v := r.PostFormValue(k)
		if k != "abstract" && k != "speakers" {
			v = strings.TrimSpace(v)
		}
		f.Values[k] = v
	}
	ch := lanyard.SessionChange{Session: *s, Cancel: f.V("cancel") != "", Over: lanyard.OverCapacity(f.V("over"))}
	n := &ch.Session
	if f.V("start") != "" || f.V("end") != "" || s.Scheduled() {
		n.Start = h.localTime(r, f, "start")
		n.End = h.localTime(r, f, "end")
		if f.Errors["start"] == "" && f.Errors["end"] == "" && !n.End.After(n.Start) {
			f.Errors["end"] = h.Shell.T(r, "console.session.end_after")
		}
	}
	if v := f.V("room"); v != "" {
		venue, room, _ := strings.Cut(v, "/")
		if _, ok := h.Catalog.Load().Room(venue, room); !ok {
			f.Errors["room"] = h.Shell.T(r, "console.setup.unknown_room")
		}
		n.Venue, n.Room = venue, room
	}
	if c, err := strconv.Atoi(f.V("capacity")); err != nil || c < 0 {
		f.Errors["capacity"] = h.Shell.T(r, "console.session.capacity_number")
	} else {
		n.CapacityOverride = c
	}
	n.Type = lanyard.SessionType(f.V("type"))
	if !n.Type.Valid() {
		f.Errors["type"] = h.Shell.T(r, "console.session.type_choose")
	}
	if n.Title = f.V("title"); n.Title == "" {
		f.Errors["title"] = h.Shell.T(r, "console.session.title_required")
	}
	n.Abstract = strings.TrimSpace(f.V("abstract"))
	n.Speakers = nil
	for _, line := range strings.Split(f.V("speakers"), "\n") {
		parts := strings.Split(line, ",")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		switch len(parts) {
		case 1:
			if parts[0] != "" {
				n.Speakers = append(n.Speakers, lanyard.Speaker{Name: parts[0]})
			}
		case 2:
			n.Speakers = append(n.Speakers, lanyard.Speaker{Name: parts[0], Company: parts[1]})
		case 3:
			n.Speakers = append(n.Speakers, lanyard.Speaker{Name: parts[0], JobTitle: parts[1], Company: parts[2]})
		default:
			f.Errors["speakers"] = h.Shell.T(r, "console.session.speaker_format")
		}
	}
	if !ch.Over.Valid() {
		f.Errors["over"] = h.Shell.T(r, "console.session.over_choose")
	}
	return ch, f
}

// previewSession shows what the change in the form would do, and to whom,
// with the form to save it.
func (h *Handler) previewSession(w http.ResponseWriter, r *http.Request) {
	h.changeSession(w, r, false)
}

// saveSession saves the change: an engine command, with the messages to
// those it concerns and a new schedule version in the same batch.
func (h *Handler) saveSession(w http.ResponseWriter, r *http.Request) {
	h.changeSession(w, r, true)
}

func (h *Handler) changeSession(w http.ResponseWriter, r *http.Request, save bool) {
	s, err := h.Catalog.Load().Session(r.PathValue("code"))
	if err != nil {
		h.notFound(w, r)
		return
	}
	ch, f := h.readChange(r, s)
	if !f.ok() {
		h.renderSession(w, r, http.StatusUnprocessableEntity, f, s, nil, nil)
		return
	}
	if ch.Latest, err = h.Store.SessionHolders(r.Context(), s.ID); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	e := h.engine(r)
	if !save {
		p, err := e.PreviewChange(r.Context(), ch)
		if err != nil {
			h.refusedChange(w, r, f, s, err)
			return
		}
		h.renderSession(w, r, http.StatusOK, f, s, &p, nil)
		return
	}
	res, err := e.ChangeSession(r.Context(), h.actor(r), f.V("key"), ch)
	if err != nil {
		h.refusedChange(w, r, f, s, err)
		return
	}
	// The pages read the catalog the engine now decides on.
	h.Catalog.Store(res.Catalog)
	h.audit(r, "session_change", 0, s.Code, fmt.Sprintf("%s over=%s notified=%d waitlisted=%d cancelled=%d",
		strings.Join(res.Preview.Changes, ","), ch.Over, len(res.Notified), len(res.Waitlisted), len(res.Cancelled)))
	msg := "console.session.saved"
	if len(res.Preview.Changes) == 0 && len(res.Waitlisted)+len(res.Cancelled) == 0 {
		msg = "console.session.unchanged"
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, msg, "Count", len(res.Notified)))
	http.Redirect(w, r, "/console/sessions/"+s.Code, http.StatusSeeOther)
}

// refusedChange shows the engine's refusal above the form.
func (h *Handler) refusedChange(w http.ResponseWriter, r *http.Request, f *form, s *lanyard.Session, err error) {
	if c := lanyard.ErrorCode(err); c != lanyard.EINVALID && c != lanyard.ENOTFOUND && c != lanyard.ECONFLICT {
		h.Shell.ServerError(w, r, err)
		return
	}
	f.Error = lanyard.ErrorMessage(err)
	h.renderSession(w, r, http.StatusUnprocessableEntity, f, s, nil, nil)
}

// changelogData is the public changelog: the schedule's version and its
// changes, newest first.
type changelogData struct {
	Version int
	Changes []lanyard.ScheduleChange
}

// Has reports whether c changed field name.
func (changelogData) Has(c lanyard.ScheduleChange, name string) bool {
	return slices.Contains(c.Changes, name)
}

// changelogPage is the schedule's public changelog (as pretalx has): what
// changed in each version, for anyone, signed in or not.
func (h *Handler) changelogPage(w http.ResponseWriter, r *http.Request) {
	ev := h.event()
	d := &changelogData{}
	var err error
	if d.Version, err = h.Store.ScheduleVersion(r.Context(), ev.ID); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	if d.Changes, err = h.Store.ScheduleChanges(r.Context(), ev.ID); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	p := h.Shell.Page(r, "console.changelog.title", nil, d)
	h.Shell.Render(w, r, http.StatusOK, "changelog", p)
}

// addRepeat adds another run of a session: a new session row (its code the
// group's next "-R<n>"), then the engine takes it in.
func (h *Handler) addRepeat(w http.ResponseWriter, r *http.Request) {
	cat := h.Catalog.Load()
	s, err := cat.Session(r.PathValue("code"))
	if err != nil {
		h.notFound(w, r)
		return
	}
	f := newForm()
	for _, k := range []string{"repeat_start", "repeat_end", "repeat_room", "key"} {
		f.Values[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	f.Values["form"] = "repeat"
	n := lanyard.Session{Title: s.Title, Abstract: s.Abstract, Type: s.Type, Level: s.Level, Topics: s.Topics, Speakers: s.Speakers,
		Reservable: s.Reservable}
	n.Start, n.End = h.localTime(r, f, "repeat_start"), h.localTime(r, f, "repeat_end")
	if f.Errors["repeat_start"] == "" && f.Errors["repeat_end"] == "" && !n.End.After(n.Start) {
		f.Errors["repeat_end"] = h.Shell.T(r, "console.session.end_after")
	}
	venue, room, _ := strings.Cut(f.V("repeat_room"), "/")
	if _, ok := cat.Room(venue, room); !ok {
		f.Errors["repeat_room"] = h.Shell.T(r, "console.setup.unknown_room")
	}
	n.Venue, n.Room = venue, room
	if !f.ok() {
		h.renderSession(w, r, http.StatusUnprocessableEntity, f, s, nil, nil)
		return
	}
	group := s.RepeatGroup
	if group == "" {
		group = s.Code
	}
	for k := 2; ; k++ {
		n.Code = fmt.Sprintf("%s-R%d", group, k)
		if _, err := cat.Session(n.Code); err != nil {
			break
		}
	}
	n.RepeatGroup = group
	if err := h.Store.CreateSession(r.Context(), cat.Event.ID, &n); err != nil {
		h.refusedChange(w, r, f, s, err)
		return
	}
	res, err := h.engine(r).AddSession(r.Context(), h.actor(r), f.V("key"), s.Code, n)
	if err != nil {
		h.refusedChange(w, r, f, s, err)
		return
	}
	h.Catalog.Store(res.Catalog)
	h.audit(r, "session_repeat", 0, n.Code, "repeats "+s.Code)
	h.Shell.Flash(r, "ok", h.Shell.T(r, "console.session.repeat_added", "Code", n.Code))
	http.Redirect(w, r, "/console/sessions/"+n.Code, http.StatusSeeOther)
}
