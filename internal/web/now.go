package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/plan"
	"github.com/lanyardhq/lanyard/internal/shuttle"
)

// "Now and next": where the attendee should be now, where next, how to
// get there from where they are (the venue of their current or previous
// stop) and when to leave, in the venue's zone and their home zone. Built
// from the engine's agenda, the event's fixed happenings (keynotes, the
// expo) and the other features' entries (AgendaSources: meetups, parties,
// favorite booth events), like the agenda page; trips are judged by
// plan.Trip, as the agenda judges them.

// nowNext is how many stops after the current one the page lists.
const nowNext = 3

// nowRefresh is how often the page's script fetches a fresh block.
const nowRefresh = time.Minute

// nowData is the "now and next" block.
type nowData struct {
	Current *nowStop
	Next    []nowStop
	// Empty: nothing on the agenda from now on.
	Empty bool
	// Compact is the block on the agenda page: the current stop and the
	// next one, with a link to the page.
	Compact bool
	// Refresh is the seconds between the script's refreshes.
	Refresh int
	// Back is where a rating form comes back to.
	Back string
}

// nowStop is one place to be.
type nowStop struct {
	S         *lanyard.Session
	VenueName string
	// Held is a seat the attendee holds; Marker a keynote or happening;
	// Walkin a happening without seats (the expo, a party).
	Held, Marker, Walkin bool
	// CheckedIn: the door admitted them (the engine's agenda), so they
	// may rate it; Rating is theirs, if any.
	CheckedIn bool
	Rating    *lanyard.Rating
	// Link and Label: an entry of another feature (a meetup, a party, a
	// booth event), which links to its own page (AgendaExtra).
	Link, Label string
	// In is the minutes until it starts (0 when under way).
	In   int
	Trip *nowTrip
}

// InHours and InMinutes split In for a wait of an hour or more, which
// reads "in 3 h 5 min" rather than "in 185 min".
func (st nowStop) InHours() int   { return st.In / 60 }
func (st nowStop) InMinutes() int { return st.In % 60 }

// nowTrip is how to get to a stop from the stop before it.
type nowTrip struct {
	From string // venue name
	// Mode is plan.ModeWalk or plan.ModeShuttle; "" for the same venue or
	// an unknown pair.
	Mode    string
	Minutes int
	// Walk and Shuttle are both ways' minutes, when known (0: none).
	Walk, Shuttle int
	LeaveBy       clocks
	LeaveByISO    string
	// Late: the time to leave has passed.
	Late bool
	// Same: both stops are in one venue.
	Same bool
	// Route names the shuttle to take (by the timetables), leaving From
	// at Depart and arriving at Arrive; "" when no route is known.
	Route          string
	Depart, Arrive clocks
	// NoShuttle: routes link the two venues but no bus still to come
	// arrives in time.
	NoShuttle bool
}

// now is the handler's clock: Now, else the wall clock.
func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// nowPage shows where to be now and next; the script fetches the block
// alone (?fragment=1) every minute.
func (h *Handler) nowPage(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "now.title")
	ag, err := h.engine(r).Agenda(r.Context(), p.User.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	entries, extras, err := h.agendaExtras(r.Context(), p.User.ID, p.Lang(), h.agendaEntries(ag, true))
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	// compact=1: the agenda page's block refreshing itself.
	d, err := h.nowAndNext(r, p, ag, entries, extras, r.URL.Query().Get("compact") == "1")
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	p.Data = d
	if r.URL.Query().Get("fragment") == "1" {
		if d.Compact {
			d.Back = "/agenda"
		}
		h.renderBlock(w, r, http.StatusOK, "now", "now-fragment", p)
		return
	}
	h.render(w, r, http.StatusOK, "now", p)
}

// nowAndNext builds the block from the attendee's agenda: entries are its
// sessions, markers and extras (agendaEntries, agendaExtras), ag says
// which seats the door checked in.
func (h *Handler) nowAndNext(r *http.Request, p *page, ag *lanyard.Agenda, entries []plan.Entry, extras map[string]AgendaExtra, compact bool) (*nowData, error) {
	c := h.Catalog.Load()
	now := h.now()
	routes, err := h.shuttleRoutes(r.Context(), c)
	if err != nil {
		return nil, err
	}
	checked := map[string]bool{}
	for _, it := range ag.Reservations {
		checked[it.Session] = it.CheckedIn
	}
	var stops []plan.Entry
	for _, e := range entries {
		if e.Session.Scheduled() && !e.Waitlisted && !e.Session.Cancelled {
			stops = append(stops, e)
		}
	}
	slices.SortStableFunc(stops, func(a, b plan.Entry) int { return a.Session.Start.Compare(b.Session.Start) })

	d := &nowData{Compact: compact, Refresh: int(nowRefresh / time.Second), Back: r.URL.Path}
	// Where they are: the current stop (a held seat before a happening),
	// else the last stop that ended before now, on the same day.
	var cur, prev *plan.Entry
	for i := range stops {
		e := &stops[i]
		s := e.Session
		switch {
		case !s.Start.After(now) && now.Before(s.End):
			if cur == nil || (e.Held() && !cur.Held()) || (walkin(*cur) && !walkin(*e)) {
				cur = e
			}
		case !s.End.After(now) && dayOf(c.Loc, s) == dayOf(c.Loc, &lanyard.Session{Start: now}):
			if !walkin(*e) {
				prev = e
			}
		}
	}
	stop := func(e *plan.Entry) nowStop {
		s := e.Session
		st := nowStop{S: s, VenueName: c.VenueName(s.Venue), Held: e.Held(), Marker: e.Marker, Walkin: walkin(*e), CheckedIn: checked[s.Code]}
		if x, ok := extras[s.Code]; ok {
			st.Link, st.Label = x.Link, x.Label
		}
		if s.Start.After(now) {
			st.In = int((s.Start.Sub(now) + time.Minute - 1) / time.Minute)
		}
		return st
	}
	from := prev
	if cur != nil {
		st := stop(cur)
		d.Current = &st
		from = cur
	}
	want := nowNext
	if compact {
		want = 1
	}
	for i := range stops {
		e := &stops[i]
		if !e.Session.Start.After(now) || len(d.Next) == want {
			continue
		}
		st := stop(e)
		// A stop with no venue (a party at a free-text place) has no trip
		// from it to say.
		if from != nil && from.Session.Venue != "" {
			st.Trip = h.trip(p, routes, from.Session, e.Session, now)
		}
		d.Next = append(d.Next, st)
		// A walk-in happening (the expo) is a drop-in: the trip after it
		// still leaves from the last place with a time to be there.
		if !walkin(*e) {
			from = e
		}
	}
	d.Empty = d.Current == nil && len(d.Next) == 0
	if d.Current != nil && d.Current.CheckedIn {
		mine, err := h.Store.RatingsBy(r.Context(), p.User.ID)
		if err != nil {
			return nil, err
		}
		if rt, ok := mine[d.Current.S.Code]; ok {
			d.Current.Rating = &rt
		}
	}
	return d, nil
}

// trip words the way from one stop to the next: by plan.Trip (the faster
// way, as the agenda judges it), leaving so as to arrive at the start.
// When that is the shuttle and routes link the two venues, the timetables
// say which bus: the last one that still arrives in time (shuttle.LeaveBy),
// or walking when that leaves later; a bus that leaves before now, or
// before the attendee is at the venue (from's start), is no longer theirs.
func (h *Handler) trip(p *page, routes []shuttle.Route, from, to *lanyard.Session, now time.Time) *nowTrip {
	c := h.Catalog.Load()
	g := plan.Trip(from, to, c.TravelTime)
	t := &nowTrip{From: c.VenueName(from.Venue), Mode: g.Mode, Minutes: g.Travel, Same: from.Venue == to.Venue}
	if tt, ok := c.TravelTime(from.Venue, to.Venue); ok && from.Venue != to.Venue {
		t.Walk, t.Shuttle = tt.WalkMinutes, tt.ShuttleMinutes
	}
	leave := to.Start.Add(-time.Duration(g.Travel) * time.Minute)
	if g.Mode == plan.ModeShuttle && serves(routes, from.Venue, to.Venue) {
		earliest := now
		if from.Start.After(earliest) {
			earliest = from.Start
		}
		// The last bus in time gone (or leaving before they are there)
		// means every earlier one is too: then walk, if walking is known.
		usable := routes
		if dep, _, _, found := shuttle.Latest(routes, from.Venue, to.Venue, to.Start); !found || dep.Before(earliest) {
			t.NoShuttle, usable = true, nil
		}
		w, ok := shuttle.LeaveBy(usable, t.Walk, from.Venue, to.Venue, to.Start)
		switch {
		case ok && w.Walk:
			t.Mode, t.Minutes, leave = plan.ModeWalk, t.Walk, w.Leave
		case ok:
			t.Route, t.Depart, t.Arrive = w.Route, p.When(w.Leave), p.When(w.Arrive)
			t.Minutes = int(w.Arrive.Sub(w.Leave) / time.Minute)
			leave = w.Leave
		}
		// Neither way arrives in time: the matrix's words stay, with the
		// note that no bus does.
	}
	t.LeaveBy, t.LeaveByISO, t.Late = p.When(leave), leave.UTC().Format(time.RFC3339), now.After(leave)
	return t
}

// dayOf is a session's civil date in loc.
func dayOf(loc *time.Location, s *lanyard.Session) string {
	return s.Start.In(loc).Format(time.DateOnly)
}

// SavedAt is the time a page is rendered, in both zones: the offline note
// says how old a kept copy is.
func (p *page) SavedAt() clocks { return p.When(time.Now()) }

// Scores are a rating's choices, lowest first.
func (p *page) Scores() []int { return []int{1, 2, 3, 4, 5} }
