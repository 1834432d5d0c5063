package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
)

// The walk-up line on the attendee's phone (issue 13): "My lines" shows
// each line's place and chance, or the call in large ("You're called: go
// to Room by 9:55"), and keeps itself current: the line_called message
// nudges it over the notifications stream (/live/inbox) at once, and it
// rereads itself every 20 seconds for what sends no message (a call
// lapsing, places moving up). A full session's page offers to join.

// lineRole returns the request's engine as a Line, if it has the role.
func (h *Handler) lineRole(r *http.Request) (reserve.Line, bool) {
	l, ok := h.engine(r).(reserve.Line)
	return l, ok
}

// lineRow is one line on the page.
type lineRow struct {
	lanyard.LineStatus
	When     clocks // the session's time
	Until    string // the call's end, a clock time in the venue's zone
	UntilISO string
	Percent  int
	Back     string
}

type linesData struct {
	Lines []lineRow
	Key   string
}

func (h *Handler) linesPage(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "lines.title")
	ln, ok := h.lineRole(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	ls, err := ln.Lines(r.Context(), p.User.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d := linesData{Key: newKey()}
	for _, l := range ls {
		row := lineRow{LineStatus: l, Percent: int(l.Chance*100 + 0.5), Back: "/lines"}
		if !l.Start.IsZero() {
			row.When = p.When(l.Start)
		}
		if !l.CalledUntil.IsZero() {
			row.Until = p.Clock(l.CalledUntil.In(p.Venue))
			row.UntilISO = l.CalledUntil.UTC().Format(time.RFC3339)
		}
		d.Lines = append(d.Lines, row)
	}
	p.Data = d
	h.render(w, r, http.StatusOK, "lines", p)
}

// lineOffer is what a session's page says of its walk-up line to the
// signed-in attendee: their place in it, or a button to join it.
type lineOffer struct {
	Code    string
	Status  *lineRow // in the line (waiting or called)
	CanJoin bool
	Opens   string // when the line opens, if later today
	Key     string
}

// offerLine returns the session page's line offer, or nil: for a signed-in
// attendee who does not hold the session, when it is full (or in its
// line's window already, since a late seat is not reservable either).
func (h *Handler) offerLine(r *http.Request, p *page, s *lanyard.Session, held bool, key string) *lineOffer {
	// Anonymous visitors are served by any node, which may hold no engine:
	// ask it only for a signed-in attendee.
	if p.User == nil || held || !s.Reservable || !s.Scheduled() {
		return nil
	}
	ln, ok := h.lineRole(r)
	if !ok {
		return nil
	}
	o := &lineOffer{Code: s.Code, Key: key}
	if ls, err := ln.Lines(r.Context(), p.User.ID); err == nil {
		for _, l := range ls {
			if l.Session == s.Code && (l.Outcome == lanyard.OutcomeInLine || l.Outcome == lanyard.OutcomeCalled) {
				row := lineRow{LineStatus: l, Percent: int(l.Chance*100 + 0.5)}
				if !l.CalledUntil.IsZero() {
					row.Until = p.Clock(l.CalledUntil.In(p.Venue))
				}
				o.Status = &row
				return o
			}
		}
	}
	now := time.Now()
	if c, ok := h.engine(r).(interface{ Clock() time.Time }); ok {
		now = c.Clock() // the engine's rules' time
	}
	if !now.Before(s.Start) {
		return nil
	}
	if c, err := h.counts().Seats(s.Code); err != nil || c.SeatsLeft > 0 {
		return nil // reserve a seat instead
	}
	opensMin := lanyard.DefaultReservationSettings().LineOpensMinutes
	if org, ok := h.engine(r).(reserve.Organizer); ok {
		if set, err := org.Settings(r.Context()); err == nil {
			opensMin = set.LineOpens()
		}
	}
	opens := s.Start.Add(-time.Duration(opensMin) * time.Minute)
	if now.Before(opens) {
		o.Opens = p.When(opens).Primary
		return o
	}
	o.CanJoin = true
	return o
}

// joinLine and leaveLine are the forms of the session page and My lines.
func (h *Handler) joinLine(w http.ResponseWriter, r *http.Request) {
	h.lineAction(w, r, func(ln reserve.Line, a *lanyard.Attendee, code string) (lanyard.LineStatus, error) {
		return ln.JoinLine(r.Context(), a.ID, code, idem(r, "line", code))
	})
}

func (h *Handler) leaveLine(w http.ResponseWriter, r *http.Request) {
	h.lineAction(w, r, func(ln reserve.Line, a *lanyard.Attendee, code string) (lanyard.LineStatus, error) {
		return ln.LeaveLine(r.Context(), a.ID, code, idem(r, "unline", code))
	})
}

func (h *Handler) lineAction(w http.ResponseWriter, r *http.Request, do func(ln reserve.Line, a *lanyard.Attendee, code string) (lanyard.LineStatus, error)) {
	t := translatorFor(pickLanguage(r))
	s, err := h.Catalog.Load().Session(r.PathValue("code"))
	ln, ok := h.lineRole(r)
	if err != nil || !ok {
		h.errorPage(w, r, http.StatusNotFound, "error.no_session")
		return
	}
	st, err := do(ln, user(r), s.Code)
	var le *lanyard.Error
	switch {
	case err == nil:
		msg := t.T("lines.left")
		switch st.Outcome {
		case lanyard.OutcomeInLine:
			msg = t.T("lines.joined", "Position", st.Position)
		case lanyard.OutcomeCalled:
			msg = t.T("lines.called", "Venue", st.Room, "When", t.Clock(st.CalledUntil.In(h.Catalog.Load().Loc)))
		}
		h.flashAt(r, "ok", s.Code+" · "+s.Title+": "+msg, s.Code)
	case errors.As(err, &le) && le.Code != lanyard.EINTERNAL:
		h.flash(r, "error", s.Code+" · "+s.Title+": "+refusal(t, le))
	default:
		h.serverError(w, r, err)
		return
	}
	back := r.PostFormValue("back")
	if back == "" {
		back = "/lines"
	}
	http.Redirect(w, r, localPath(back), http.StatusSeeOther)
}
