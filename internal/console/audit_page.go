package console

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
)

// CommandStore finds the engine's commands in the reservation log.
type CommandStore interface {
	FindCommands(ctx context.Context, eventID int64, f store.CommandFilter) ([]store.Command, error)
}

type auditData struct {
	Form     *form
	Entries  []auditRow
	Commands []commandRow
	// Older pages back: the query with before= the last ID shown.
	OlderEntries, OlderCommands string
}

type auditRow struct {
	lanyard.AuditEntry
	Actor, Attendee string
}

type commandRow struct {
	store.Command
	Attendee, Session string
}

// auditPage finds organizer actions (the audit log) and engine commands
// (the reservation log) by attendee, session, actor and time, newest first.
func (h *Handler) auditPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	f := newForm()
	for _, k := range []string{"attendee", "session", "actor", "from", "to"} {
		f.Values[k] = strings.TrimSpace(q.Get(k))
	}
	ev := h.event()
	af := store.AuditFilter{Limit: pageSize}
	cf := store.CommandFilter{Limit: pageSize}
	person := func(field string) int64 {
		v := f.V(field)
		if v == "" {
			return 0
		}
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			return id
		}
		a, err := h.Store.FindAttendeeByEmail(ctx, ev.ID, v)
		if err != nil {
			f.Errors[field] = h.Shell.T(r, "console.audit.no_person", "Who", v)
			return 0
		}
		return a.ID
	}
	af.AttendeeID = person("attendee")
	cf.AttendeeID = af.AttendeeID
	af.ActorID = person("actor")
	if code := strings.ToUpper(f.V("session")); code != "" {
		s, err := h.Catalog.Load().Session(code)
		if err != nil {
			f.Errors["session"] = h.Shell.T(r, "console.setup.unknown_session", "Code", code)
		} else {
			af.Session, cf.SessionID = s.Code, s.ID
		}
	}
	loc := h.Catalog.Load().Loc
	for _, k := range []string{"from", "to"} {
		if f.V(k) == "" {
			continue
		}
		t, err := time.ParseInLocation(localLayout, f.V(k), loc)
		if err != nil {
			if t, err = time.ParseInLocation(time.DateOnly, f.V(k), loc); err != nil {
				f.Errors[k] = h.Shell.T(r, "console.form.datetime")
				continue
			}
		}
		if k == "from" {
			af.From, cf.From = t, t
		} else {
			af.To, cf.To = t, t
		}
	}
	af.Before, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	cf.BeforeSeq, _ = strconv.ParseInt(q.Get("before_seq"), 10, 64)
	d := &auditData{Form: f}
	if !f.ok() {
		h.render(w, r, http.StatusUnprocessableEntity, "audit", "console.audit.title", d)
		return
	}
	entries, err := h.Store.FindAudit(ctx, ev.ID, af)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	names := map[int64]string{}
	name := func(id int64) string {
		if id == 0 {
			return ""
		}
		if n, ok := names[id]; ok {
			return n
		}
		n := "#" + strconv.FormatInt(id, 10)
		if a, err := h.Store.FindAttendeeByID(ctx, id); err == nil {
			n = a.Name
		}
		names[id] = n
		return n
	}
	for _, e := range entries {
		d.Entries = append(d.Entries, auditRow{e, name(e.ActorID), name(e.AttendeeID)})
	}
	// Engine commands: the organizer's settings have no attendee; an actor
	// filter is about the audit log alone.
	if af.ActorID == 0 {
		cmds, err := h.Store.FindCommands(ctx, ev.ID, cf)
		if err != nil {
			h.Shell.ServerError(w, r, err)
			return
		}
		codes := map[int64]string{}
		for _, s := range h.Catalog.Load().Sessions() {
			if cf.SessionID == 0 || s.ID == cf.SessionID {
				codes[s.ID] = s.Code
			}
		}
		for _, c := range cmds {
			d.Commands = append(d.Commands, commandRow{c, name(c.AttendeeID), codes[c.SessionID]})
		}
		if len(cmds) == cf.Limit {
			d.OlderCommands = h.auditURL(q, "before_seq", cmds[len(cmds)-1].Seq)
		}
	}
	if len(entries) == af.Limit {
		d.OlderEntries = h.auditURL(q, "before", entries[len(entries)-1].ID)
	}
	h.render(w, r, http.StatusOK, "audit", "console.audit.title", d)
}

func (h *Handler) auditURL(q map[string][]string, key string, v int64) string {
	out := map[string][]string{}
	for k, vs := range q {
		out[k] = vs
	}
	out[key] = []string{strconv.FormatInt(v, 10)}
	return "/console/audit?" + encode(out)
}
