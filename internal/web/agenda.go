package web

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/ical"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/plan"
)

// pxPerMinute is the agenda grid's vertical scale.
const pxPerMinute = 1

type agendaData struct {
	Days    []agendaDay
	Empty   bool
	Key     string
	FeedURL string // the private subscription URL, if one exists
	Venues  []venueKey
}

type venueKey struct {
	Name string
	Ix   int
}

type agendaDay struct {
	Date     string
	Name     string
	Height   int
	Hours    []hourMark
	Items    []agendaItem
	Gaps     []agendaGap
	Warnings []string
	// Rows are the items and gaps in time order: the list under the grid,
	// which screen readers and phones use and which holds the actions.
	Rows []agendaRow
}

// agendaRow is one line of the day's list: an item, or the trip after one.
type agendaRow struct {
	Item *agendaItem
	Gap  *agendaGap
}

type hourMark struct {
	Label string
	Top   int
}

type agendaItem struct {
	S          *lanyard.Session
	Top        int
	Height     int
	Left       int // percent
	Width      int // percent
	VenueIx    int
	VenueName  string
	Waitlisted bool
	Position   int
	Marker     bool
	Repeats    []*lanyard.Session // other times of the same content, to switch to
}

type agendaGap struct {
	Top    int
	Enough bool
	Text   string
	// Short is the grid's label when the gap has no room for Text: the
	// minutes the trip needs; the list under the grid says it in full.
	Short string
}

// gapLabelPx is the height a gap needs on the grid for its full text.
const gapLabelPx = 34

func (h *Handler) agendaPage(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "agenda.title")
	c := h.Catalog.Load()
	dv := h.derive()
	ag, err := h.Engine.Agenda(r.Context(), p.User.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	entries := h.agendaEntries(ag, true)
	d := agendaData{Key: newKey(), Empty: len(ag.Reservations) == 0 && len(ag.Waitlists) == 0}
	for _, v := range c.Venues {
		d.Venues = append(d.Venues, venueKey{Name: v.Name, Ix: dv.venueIx[v.Code]})
	}
	if acc := userAccount(r); acc != nil && acc.CalendarToken != "" {
		d.FeedURL = h.siteURL(r) + "/calendar/" + acc.CalendarToken + ".ics"
	}
	for _, day := range plan.Build(c.Loc, entries, c.TravelTime) {
		d.Days = append(d.Days, h.layoutDay(p, day, dv))
	}
	p.Data = d
	h.render(w, r, http.StatusOK, "agenda", p)
}

// agendaEntries turns the engine's agenda into plan entries, with the
// event's fixed happenings as markers when withMarkers.
func (h *Handler) agendaEntries(ag *lanyard.Agenda, withMarkers bool) []plan.Entry {
	c := h.Catalog.Load()
	var entries []plan.Entry
	mine := map[string]bool{}
	for _, it := range ag.Reservations {
		if s, err := c.Session(it.Session); err == nil {
			entries = append(entries, plan.Entry{Session: s})
			mine[s.Code] = true
		}
	}
	for _, it := range ag.Waitlists {
		if s, err := c.Session(it.Session); err == nil {
			entries = append(entries, plan.Entry{Session: s, Waitlisted: true, Position: it.Position})
			mine[s.Code] = true
		}
	}
	if withMarkers {
		for _, s := range h.derive().markers {
			if !mine[s.Code] {
				entries = append(entries, plan.Entry{Session: s, Marker: true})
			}
		}
	}
	return entries
}

// layoutDay places a day's entries on the grid: minutes from the first
// hour down, overlapping entries side by side.
func (h *Handler) layoutDay(p *page, day plan.Day, dv *derived) agendaDay {
	c := h.Catalog.Load()
	loc := p.Venue
	if p.Home != nil && p.HomeFirst {
		loc = p.Home
	}
	first := day.First.In(loc).Truncate(time.Hour)
	last := day.Last.In(loc)
	if last.After(last.Truncate(time.Hour)) {
		last = last.Truncate(time.Hour).Add(time.Hour)
	}
	top := func(tm time.Time) int { return int(tm.Sub(first).Minutes()) * pxPerMinute }
	dayTime, _ := time.ParseInLocation(time.DateOnly, day.Date, c.Loc)
	out := agendaDay{Date: day.Date, Name: p.Day(dayTime), Height: top(last)}
	for tm := first; !tm.After(last); tm = tm.Add(time.Hour) {
		out.Hours = append(out.Hours, hourMark{Label: p.Clock(tm), Top: top(tm)})
	}
	// Lanes: each entry takes the first lane free at its start.
	var laneEnds []time.Time
	lanes := make([]int, len(day.Entries))
	for i, e := range day.Entries {
		lane := 0
		for lane < len(laneEnds) && laneEnds[lane].After(e.Session.Start) {
			lane++
		}
		if lane == len(laneEnds) {
			laneEnds = append(laneEnds, time.Time{})
		}
		laneEnds[lane] = e.Session.End
		lanes[i] = lane
	}
	width := 100 / max(1, len(laneEnds))
	for i, e := range day.Entries {
		s := e.Session
		it := agendaItem{S: s, Top: top(s.Start), Height: max(24, int(s.End.Sub(s.Start).Minutes())*pxPerMinute),
			Left: lanes[i] * width, Width: width, VenueIx: dv.venueIx[s.Venue], VenueName: c.VenueName(s.Venue),
			Waitlisted: e.Waitlisted, Position: e.Position, Marker: e.Marker}
		if !e.Marker && !e.Waitlisted && s.RepeatGroup != "" {
			for _, o := range dv.repeats[s.RepeatGroup] {
				if o.Code != s.Code {
					it.Repeats = append(it.Repeats, o)
				}
			}
		}
		out.Items = append(out.Items, it)
	}
	gapAfter := map[string]int{} // index in out.Gaps by the session before it
	for _, g := range day.Gaps {
		gap := agendaGap{Top: top(g.From.End) + g.Minutes*pxPerMinute/2, Enough: g.Enough}
		switch {
		case g.Mode == "":
			continue // same venue: nothing to say
		case g.Enough:
			gap.Text = p.T("agenda.travel_ok", "Mode", p.T("agenda.mode_"+g.Mode), "Minutes", g.Travel, "Venue", c.VenueName(g.To.Venue), "Gap", g.Minutes)
		default:
			gap.Text = p.T("agenda.travel_short", "Mode", p.T("agenda.mode_"+g.Mode), "Minutes", g.Travel, "Venue", c.VenueName(g.To.Venue), "Gap", g.Minutes)
		}
		if g.Minutes*pxPerMinute < gapLabelPx {
			gap.Short = p.T("agenda.travel_brief", "Minutes", g.Travel)
		}
		gapAfter[g.From.Code] = len(out.Gaps)
		out.Gaps = append(out.Gaps, gap)
	}
	for i := range out.Items {
		it := &out.Items[i]
		out.Rows = append(out.Rows, agendaRow{Item: it})
		if k, ok := gapAfter[it.S.Code]; ok && !it.Marker && !it.Waitlisted {
			out.Rows = append(out.Rows, agendaRow{Gap: &out.Gaps[k]})
		}
	}
	for _, wn := range day.Warnings {
		out.Warnings = append(out.Warnings, p.T("agenda.warn_"+wn.Code, "Minutes", wn.Minutes, "Hours", float64(wn.Minutes)/60))
	}
	return out
}

// cancel gives back a seat.
func (h *Handler) cancel(w http.ResponseWriter, r *http.Request) {
	h.seatAction(w, r, func(a *lanyard.Attendee, s *lanyard.Session) (lanyard.SeatResult, error) {
		return h.Engine.Cancel(r.Context(), a.ID, s.Code, idem(r, "cancel", s.Code))
	})
}

// leaveWaitlist takes the attendee off a waitlist.
func (h *Handler) leaveWaitlist(w http.ResponseWriter, r *http.Request) {
	h.seatAction(w, r, func(a *lanyard.Attendee, s *lanyard.Session) (lanyard.SeatResult, error) {
		return h.Engine.LeaveWaitlist(r.Context(), a.ID, s.Code, idem(r, "leave", s.Code))
	})
}

// switchRepeat trades a seat for one at another time of the same content.
func (h *Handler) switchRepeat(w http.ResponseWriter, r *http.Request) {
	h.seatAction(w, r, func(a *lanyard.Attendee, s *lanyard.Session) (lanyard.SeatResult, error) {
		to, err := h.Catalog.Load().Session(r.PostFormValue("to"))
		if err != nil || to.RepeatGroup == "" || to.RepeatGroup != s.RepeatGroup {
			return lanyard.SeatResult{}, lanyard.Errorf(lanyard.EINVALID, "%s", translatorFor(pickLanguage(r)).T("agenda.switch_invalid"))
		}
		rs, err := h.Engine.Switch(r.Context(), a.ID, s.Code, to.Code, idem(r, "switch", s.Code, to.Code))
		for _, res := range rs {
			if res.Session == to.Code {
				return res, nil
			}
		}
		if err == nil {
			err = lanyard.Errorf(lanyard.EINTERNAL, "switch answered nothing for %s", to.Code)
		}
		return lanyard.SeatResult{}, err
	})
}

// seatAction runs one seat command on the session named in the path and
// returns to the page the form was on with what happened.
func (h *Handler) seatAction(w http.ResponseWriter, r *http.Request, do func(a *lanyard.Attendee, s *lanyard.Session) (lanyard.SeatResult, error)) {
	t := translatorFor(pickLanguage(r))
	s, err := h.Catalog.Load().Session(r.PathValue("code"))
	if err != nil {
		h.errorPage(w, r, http.StatusNotFound, "error.no_session")
		return
	}
	res, err := do(user(r), s)
	var le *lanyard.Error
	switch {
	case err == nil:
		if res.Session != s.Code {
			if to, err := h.Catalog.Load().Session(res.Session); err == nil {
				s = to
			}
		}
		h.flashOutcome(r, t, s, res)
	case errors.As(err, &le) && le.Code != lanyard.EINTERNAL:
		h.flash(r, "error", s.Code+" · "+s.Title+": "+refusal(t, le))
	default:
		h.serverError(w, r, err)
		return
	}
	back := r.PostFormValue("back")
	if back == "" {
		back = "/agenda"
	}
	http.Redirect(w, r, localPath(back), http.StatusSeeOther)
}

// agendaICS downloads the agenda as an iCalendar file.
func (h *Handler) agendaICS(w http.ResponseWriter, r *http.Request) {
	h.writeCalendar(w, r, user(r), true)
}

// calendarFeed serves the agenda to calendar apps, found by the feed's
// secret token; they poll it, so it stays current.
func (h *Handler) calendarFeed(w http.ResponseWriter, r *http.Request) {
	tok := strings.TrimSuffix(r.PathValue("token"), ".ics")
	a, err := h.Store.FindAttendeeByCalendarToken(r.Context(), tok)
	if err != nil || a.EventID != h.Catalog.Load().Event.ID {
		http.Error(w, "No such calendar: the link may have been replaced or turned off.", http.StatusNotFound)
		return
	}
	h.writeCalendar(w, r, a, false)
}

func (h *Handler) writeCalendar(w http.ResponseWriter, r *http.Request, a *lanyard.Attendee, download bool) {
	c := h.Catalog.Load()
	ag, err := h.Engine.Agenda(r.Context(), a.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	site := h.siteURL(r)
	cal := ical.Calendar{Name: c.Event.Name, Zone: c.Loc, Refresh: time.Hour}
	for _, e := range h.agendaEntries(ag, false) {
		s := e.Session
		if !s.Scheduled() {
			continue
		}
		ev := ical.Event{UID: s.Code + "@" + c.Event.Slug + ".lanyard", Summary: s.Code + " · " + s.Title, Description: s.Abstract,
			Location: strings.TrimPrefix(s.Room+", "+c.VenueName(s.Venue), ", "), URL: site + "/sessions/" + url.PathEscape(s.Code),
			Start: s.Start, End: s.End, Status: "CONFIRMED"}
		if e.Waitlisted {
			ev.Status = "TENTATIVE"
		}
		cal.Events = append(cal.Events, ev)
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, no-cache")
	if download {
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": c.Event.Slug + "-agenda.ics"}))
	}
	// ical.Write builds the whole feed before writing, so a failure writes nothing.
	if err := ical.Write(w, cal); err != nil {
		for _, k := range []string{"Content-Type", "Cache-Control", "Content-Disposition"} {
			w.Header().Del(k)
		}
		h.serverError(w, r, err)
	}
}

// feedToken creates, replaces or turns off the private calendar URL.
func (h *Handler) feedToken(w http.ResponseWriter, r *http.Request) {
	a := user(r)
	t := translatorFor(pickLanguage(r))
	tok := ""
	switch r.PostFormValue("action") {
	case "create":
		b := make([]byte, 24)
		rand.Read(b)
		tok = base64.RawURLEncoding.EncodeToString(b)
	case "revoke":
	default:
		h.errorPage(w, r, http.StatusBadRequest, "error.bad_action")
		return
	}
	if err := h.Store.SetCalendarToken(r.Context(), a.ID, tok); err != nil {
		h.serverError(w, r, err)
		return
	}
	if tok == "" {
		h.flash(r, "ok", t.T("agenda.feed_revoked"))
	} else {
		h.flash(r, "ok", t.T("agenda.feed_created"))
	}
	http.Redirect(w, r, "/agenda#calendar", http.StatusSeeOther)
}
