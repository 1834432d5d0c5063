package web

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/ical"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/plan"
)

// The agenda's grid on a wide screen is a CSS grid with a row for each
// slot of a day: rows grow to fit what they hold, so a block never cuts
// off its actions, and what comes later moves down with it.
const (
	// rowTime is a row's length of time.
	rowTime = 5 * time.Minute
	// minFold is the shortest free stretch folded into one row: whole free
	// hours (a walk-in happening past its first hour counts as free), so an
	// all-day expo or a late party does not make the day as tall as the
	// evening. A free hour is worth seeing.
	minFold = 2 * time.Hour
	// maxCols is the grid's columns for entries: overlapping entries share
	// them, two, three, four or six abreast (its divisors).
	maxCols = 12
)

// timeline maps the instants of a day to the lines of its grid.
type timeline struct {
	first, last time.Time
	folds       [][2]time.Time // by start, each whole hours
}

// newTimeline folds the whole free hours between first and last, busy
// being the stretches that keep their scale.
func newTimeline(first, last time.Time, busy [][2]time.Time) timeline {
	slices.SortFunc(busy, func(a, b [2]time.Time) int { return a[0].Compare(b[0]) })
	tl := timeline{first: first, last: last}
	free := first
	fold := func(from, to time.Time) {
		// Truncate rounds absolute time: whole hours in zones of whole-hour offsets.
		from = from.Add(time.Hour - time.Nanosecond).Truncate(time.Hour)
		if to = to.Truncate(time.Hour); to.Sub(from) >= minFold {
			tl.folds = append(tl.folds, [2]time.Time{from, to})
		}
	}
	for _, b := range busy {
		if b[0].After(free) {
			fold(free, b[0])
		}
		if b[1].After(free) {
			free = b[1]
		}
	}
	if last.After(free) {
		fold(free, last)
	}
	return tl
}

// line is the grid line (from 1) at tm, rounded down to a row: a row
// per rowTime, one for a fold.
func (tl timeline) line(tm time.Time) int {
	n, at := 1, tl.first
	for _, f := range tl.folds {
		if tm.Before(f[0]) {
			break
		}
		n += int(f[0].Sub(at) / rowTime)
		if tm.Before(f[1]) {
			return n
		}
		n++
		at = f[1]
	}
	return n + int(tm.Sub(at)/rowTime)
}

// folded reports whether tm lies inside a fold, not at its edge.
func (tl timeline) folded(tm time.Time) bool {
	for _, f := range tl.folds {
		if tm.After(f[0]) && tm.Before(f[1]) {
			return true
		}
	}
	return false
}

type agendaData struct {
	Days    []agendaDay
	Empty   bool
	Key     string
	FeedURL string // the private subscription URL, if one exists
	// Calendar adds the feed to Google, Apple or Outlook in one click.
	Calendar *calendarLinks
	Venues   []venueKey
	// Now is the compact "now and next" block (now.go).
	Now *nowData
}

type venueKey struct {
	Name string
	Ix   int
}

// agendaDay is one day: a single list of its entries and the trips
// between them, in time order. Each row carries its place on the time
// grid, which the stylesheet uses on a wide screen; on a phone the same
// list reads top to bottom.
type agendaDay struct {
	Date string
	Name string // the date in the primary zone
	// Also is the date in the other zone, when it differs: a venue's day
	// can fall on one or two dates at home.
	Also string
	// Slots is the grid's rows, Cols its columns for entries.
	Slots, Cols int
	Hours       []hourMark
	Folds       []int // the lines of the folded stretches, one row each
	Rows        []agendaRow
	Warnings    []agendaWarning
}

// agendaRow is one line of the day: an entry, or the trip after one.
type agendaRow struct {
	Item *agendaItem
	Gap  *agendaGap
}

type hourMark struct {
	Label string
	Line  int
}

// The seat states of a marker (a keynote, the expo, a party).
const (
	seatHeld   = "held"   // the attendee holds a seat
	seatNone   = "none"   // it takes a reservation the attendee does not hold
	seatWalkin = "walkin" // no seat to reserve: walk in
)

type agendaItem struct {
	S *lanyard.Session
	// Row and Col are the grid lines the entry spans: from its start to
	// its end, and its lane among the entries it overlaps.
	Row0, Row1, Col0, Col1 int
	VenueIx                int
	VenueName              string
	Waitlisted             bool
	Position               int
	// Marker is a keynote, the expo or a party; Seat says whether the
	// attendee holds a seat for it (a seat* constant), Full whether the
	// seats are gone (reserving joins the waitlist).
	Marker bool
	Seat   string
	Full   bool
	// Clashes are the entries this one overlaps where either is a seat
	// the attendee holds.
	Clashes []*lanyard.Session
	// LateTrip marks an entry reached by a trip too short to draw on the
	// grid; the day's warnings say it in full.
	LateTrip bool
	Repeats  []*lanyard.Session // other times of the same content, to switch to
	// CheckedIn: admitted at the door, so it can be rated; Rating is the
	// attendee's (rate.go).
	CheckedIn bool
	Rating    *lanyard.Rating
	// Link and Label: an entry of another feature (a meetup), which links
	// to its own page and has none of a session's actions but Undo's.
	Link, Label string
	Undo        *AgendaUndo
}

func (it *agendaItem) codeOrEmpty() string {
	if it == nil {
		return ""
	}
	return it.S.Code
}

// ClashCodes lists the codes of the entries it clashes with.
func (it *agendaItem) ClashCodes() string {
	codes := make([]string, len(it.Clashes))
	for i, s := range it.Clashes {
		codes[i] = entryName(s)
	}
	return strings.Join(codes, ", ")
}

type agendaGap struct {
	// The grid lines of the free time, in the lane of the entry the trip
	// goes to.
	Row0, Row1, Col0, Col1 int
	Enough                 bool
	Text                   string
	// Tight is a trip with no room on the grid for its line; the entry it
	// leads to is marked instead.
	Tight bool
}

// tripRows is the free time a trip needs on the grid for its line.
const tripRows = 2

// agendaWarning is one warning of a day, with the switches that clear it.
type agendaWarning struct {
	Code  string
	Text  string
	Fixes []fixOffer
}

// fixOffer is a switch to another time of one session that clears a warning.
type fixOffer struct {
	Drop, Take string // session codes
	Label      string
}

func (h *Handler) agendaPage(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "agenda.title")
	c := h.Catalog.Load()
	dv := h.derive()
	ag, err := h.engine(r).Agenda(r.Context(), p.User.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	entries := h.agendaEntries(ag, true)
	entries, extras, err := h.agendaExtras(r.Context(), p.User.ID, p.Lang(), entries) // meetups, parties, booth events (issue 14)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d := agendaData{Key: newKey(), Empty: len(ag.Reservations) == 0 && len(ag.Waitlists) == 0 && len(extras) == 0}
	for _, v := range c.Venues {
		d.Venues = append(d.Venues, venueKey{Name: v.Name, Ix: dv.venueIx[v.Code]})
	}
	if acc := userAccount(r); acc != nil && acc.CalendarToken != "" {
		d.FeedURL = h.siteURL(r) + "/calendar/" + acc.CalendarToken + ".ics"
		d.Calendar = newCalendarLinks(d.FeedURL, p.Event.Name)
	}
	var held []*lanyard.Session
	for _, e := range entries {
		if e.Held() {
			held = append(held, e.Session)
		}
	}
	for _, day := range plan.Build(c.Loc, entries, c.TravelTime) {
		d.Days = append(d.Days, h.layoutDay(p, day, dv, held))
	}
	for _, day := range d.Days { // the extra entries link to their own pages (issue 14)
		for _, row := range day.Rows {
			if x, ok := extras[row.Item.codeOrEmpty()]; ok {
				row.Item.Link, row.Item.Label, row.Item.Undo = x.Link, x.Label, x.Undo
			}
		}
	}
	if err := h.ratable(r, &d, ag); err != nil {
		h.serverError(w, r, err)
		return
	}
	if d.Now, err = h.nowAndNext(r, p, ag, entries, extras, true); err != nil {
		h.serverError(w, r, err)
		return
	}
	if d.Now.Empty {
		d.Now = nil // the agenda says so itself
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

// layoutDay places a day's entries on the time grid (a row per rowTime
// from the first hour down, overlapping entries side by side) and words
// its trips and warnings. held are the seats the attendee holds, on every day.
func (h *Handler) layoutDay(p *page, day plan.Day, dv *derived, held []*lanyard.Session) agendaDay {
	c := h.Catalog.Load()
	primary, other := p.zones()
	first := day.First.In(primary).Truncate(time.Hour)
	last := day.Last.In(primary)
	if last.After(last.Truncate(time.Hour)) {
		last = last.Truncate(time.Hour).Add(time.Hour)
	}
	var busy [][2]time.Time
	for _, e := range day.Entries {
		end := e.Session.End
		if walkin(e) {
			end = minTime(end, e.Session.Start.Add(time.Hour))
		}
		busy = append(busy, [2]time.Time{e.Session.Start, end})
	}
	tl := newTimeline(first, last, busy)
	out := agendaDay{Date: day.Date, Slots: tl.line(last) - 1, Cols: maxCols}
	out.Name, out.Also = p.dayNames(day, primary, other)
	for tm := first; !tm.After(last); tm = tm.Add(time.Hour) {
		if tl.folded(tm) {
			continue
		}
		label := p.Clock(tm)
		if tm.Hour() == 0 && tm.After(first) {
			label = p.ShortDay(tm) + " " + label // the grid crosses midnight in this zone
		}
		out.Hours = append(out.Hours, hourMark{Label: label, Line: tl.line(tm)})
	}
	for _, f := range tl.folds {
		out.Folds = append(out.Folds, tl.line(f[0]))
	}

	items := make([]agendaItem, len(day.Entries))
	lane, lanes := lay(day.Entries)
	for i, e := range day.Entries {
		s := e.Session
		r0 := tl.line(s.Start)
		w := max(1, maxCols/lanes[i])       // past maxCols lanes, entries overlap
		c0 := 2 + min(lane[i]*w, maxCols-w) // column 1 holds the hours
		it := agendaItem{S: s, Row0: r0, Row1: max(r0+1, tl.line(s.End)), Col0: c0, Col1: c0 + w, VenueIx: dv.venueIx[s.Venue], VenueName: c.VenueName(s.Venue),
			Waitlisted: e.Waitlisted, Position: e.Position, Marker: isMarker(s)}
		switch {
		case !it.Marker:
		case e.Held():
			it.Seat = seatHeld
		case e.Waitlisted:
		case s.Reservable:
			it.Seat = seatNone
			seats, _ := h.counts().Seats(s.Code)
			it.Full = seats.SeatsLeft <= 0
		default:
			it.Seat = seatWalkin
		}
		if e.Held() && s.RepeatGroup != "" {
			for _, o := range dv.repeats[s.RepeatGroup] {
				if o.Code != s.Code {
					it.Repeats = append(it.Repeats, o)
				}
			}
		}
		items[i] = it
	}
	for i, cs := range clashes(day.Entries) {
		items[i].Clashes = cs
	}

	index := map[string]int{}
	for i, e := range day.Entries {
		index[e.Session.Code] = i
	}
	gapAfter := map[string]*agendaGap{} // by the code of the session before it
	for _, g := range day.Gaps {
		if g.Mode == "" {
			continue // same venue: nothing to say
		}
		to := items[index[g.To.Code]]
		gap := &agendaGap{Row0: tl.line(g.From.End), Row1: tl.line(g.To.Start), Col0: to.Col0, Col1: to.Col1, Enough: g.Enough}
		key := "agenda.travel_ok"
		if !g.Enough {
			key = "agenda.travel_short"
		}
		gap.Text = p.T(key, "Mode", p.T("agenda.mode_"+g.Mode), "Minutes", g.Travel, "Venue", c.VenueName(g.To.Venue), "Gap", g.Minutes)
		if gap.Row1-gap.Row0 < tripRows {
			gap.Tight = true
			if !g.Enough {
				items[index[g.To.Code]].LateTrip = true
			}
		}
		gapAfter[g.From.Code] = gap
	}
	for i := range items {
		it := &items[i]
		out.Rows = append(out.Rows, agendaRow{Item: it})
		if g, ok := gapAfter[it.S.Code]; ok && !it.Waitlisted && (!it.Marker || it.Seat == seatHeld) {
			out.Rows = append(out.Rows, agendaRow{Gap: g})
		}
	}

	seen := map[string]bool{}
	for _, wn := range day.Warnings {
		k := wn.Code
		if wn.From != nil && wn.To != nil {
			k += "/" + wn.From.Code + "/" + wn.To.Code
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		out.Warnings = append(out.Warnings, h.agendaWarning(p, wn, held, dv))
	}
	return out
}

// clashes returns, for each entry (by start), the entries it overlaps
// where either is a seat held: a marker or a waitlist over a reserved
// session, or two reservations. A walk-in happening (the expo, a party) is
// a drop-in, not a clash.
func clashes(entries []plan.Entry) [][]*lanyard.Session {
	out := make([][]*lanyard.Session, len(entries))
	for i, a := range entries {
		for j := i + 1; j < len(entries); j++ {
			b := entries[j]
			if !b.Session.Start.Before(a.Session.End) {
				break // entries come by start
			}
			if (a.Held() || b.Held()) && !walkin(a) && !walkin(b) {
				out[i] = append(out[i], b.Session)
				out[j] = append(out[j], a.Session)
			}
		}
	}
	return out
}

// walkin reports whether e is a happening to walk in to: a marker with
// no seat to reserve.
func walkin(e plan.Entry) bool { return e.Marker && !e.Session.Reservable }

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// lay gives each entry (by start) a lane among the entries it overlaps,
// directly or through others, and the number of lanes of that cluster:
// entries overlapping nothing take the whole width.
func lay(entries []plan.Entry) (lane, lanes []int) {
	lane, lanes = make([]int, len(entries)), make([]int, len(entries))
	var ends []time.Time // of each lane in the current cluster
	var clusterEnd time.Time
	from := 0
	flush := func(to int) {
		for k := from; k < to; k++ {
			lanes[k] = len(ends)
		}
		ends, from = ends[:0], to
	}
	for i, e := range entries {
		s := e.Session
		if i > from && !s.Start.Before(clusterEnd) {
			flush(i)
		}
		if i == from || s.End.After(clusterEnd) {
			clusterEnd = s.End
		}
		l := 0
		for l < len(ends) && ends[l].After(s.Start) {
			l++
		}
		if l == len(ends) {
			ends = append(ends, time.Time{})
		}
		ends[l], lane[i] = s.End, l
	}
	flush(len(entries))
	return lane, lanes
}

// dayNames are a day's heading: its date in the primary zone and, when
// the other zone's date differs, that date too. The day itself is the
// venue's: where the attendee is, which the trips and lunch follow.
func (p *page) dayNames(day plan.Day, primary, other *time.Location) (name, also string) {
	dates := func(loc *time.Location) string {
		a, b := day.First.In(loc), day.Last.Add(-time.Minute).In(loc)
		s := p.Day(a)
		if b.YearDay() != a.YearDay() {
			s += " – " + p.Day(b)
		}
		return s
	}
	name = dates(primary)
	if other == nil {
		return name, ""
	}
	also = dates(other)
	if also == name {
		return name, ""
	}
	return name + " " + zoneName(day.First.In(primary)), also + " " + zoneName(day.First.In(other))
}

// sessionRef names a session in a sentence: its code and title.
// entryName is how a warning names an entry: a session by its code, a
// meetup or party on the agenda (no session type) by its title.
func entryName(s *lanyard.Session) string {
	if !s.Type.Valid() {
		return "“" + s.Title + "”"
	}
	return s.Code
}

func sessionRef(s *lanyard.Session) string {
	if !s.Type.Valid() { // a meetup or party on the agenda: its code is only a key
		return "“" + s.Title + "”"
	}
	return s.Code + " “" + s.Title + "”"
}

// travelWarning words a trip too short between two sessions: which
// sessions, which venues, the minutes there are and the minutes the trip
// takes, and how. The agenda and a reservation's outcome say it alike.
func travelWarning(t *translator, c *catalog.Catalog, from, to *lanyard.Session, gap, need int, mode string) string {
	return t.T("agenda.warn_travel", "From", sessionRef(from), "FromVenue", c.VenueName(from.Venue),
		"To", sessionRef(to), "ToVenue", c.VenueName(to.Venue), "Gap", gap, "Need", need, "Mode", t.T("agenda.by_"+mode))
}

// agendaWarning words one of a day's warnings, naming its sessions, and
// offers the switches to another time that would clear it (plan.Fixes),
// to times with seats left.
func (h *Handler) agendaWarning(p *page, wn plan.Warning, held []*lanyard.Session, dv *derived) agendaWarning {
	c := h.Catalog.Load()
	primary, _ := p.zones()
	out := agendaWarning{Code: wn.Code}
	switch wn.Code {
	case plan.WarnTravel:
		out.Text = travelWarning(p.translator, c, wn.From, wn.To, wn.Minutes, wn.Need, wn.Mode)
	case plan.WarnOverlap:
		out.Text = p.T("agenda.warn_overlap", "From", sessionRef(wn.From), "To", sessionRef(wn.To), "Minutes", wn.Minutes)
	case plan.WarnBackToBack:
		out.Text = p.T("agenda.warn_back_to_back", "Hours", float64(wn.Minutes)/60, "From", entryName(wn.From), "To", entryName(wn.To),
			"Start", p.Clock(wn.From.Start.In(primary)), "End", p.Clock(wn.To.End.In(primary)))
	default:
		out.Text = p.T("agenda.warn_"+wn.Code, "Minutes", wn.Minutes)
	}
	seatsLeft := func(s *lanyard.Session) bool {
		if !s.Reservable {
			return false
		}
		n, err := h.counts().Seats(s.Code)
		return err == nil && n.SeatsLeft > 0
	}
	repeats := func(g string) []*lanyard.Session { return dv.repeats[g] }
	for _, f := range plan.Fixes(c.Loc, wn, held, repeats, c.TravelTime, seatsLeft) {
		out.Fixes = append(out.Fixes, fixOffer{Drop: f.Drop.Code, Take: f.Take.Code,
			Label: p.T("agenda.fix_switch", "From", f.Drop.Code, "To", f.Take.Code, "When", p.Span(f.Take.Start, f.Take.End).Primary)})
	}
	return out
}

// cancel gives back a seat.
func (h *Handler) cancel(w http.ResponseWriter, r *http.Request) {
	h.seatAction(w, r, func(a *lanyard.Attendee, s *lanyard.Session) (lanyard.SeatResult, error) {
		return h.engine(r).Cancel(r.Context(), a.ID, s.Code, idem(r, "cancel", s.Code))
	})
}

// leaveWaitlist takes the attendee off a waitlist.
func (h *Handler) leaveWaitlist(w http.ResponseWriter, r *http.Request) {
	h.seatAction(w, r, func(a *lanyard.Attendee, s *lanyard.Session) (lanyard.SeatResult, error) {
		return h.engine(r).LeaveWaitlist(r.Context(), a.ID, s.Code, idem(r, "leave", s.Code))
	})
}

// switchRepeat trades a seat for one at another time of the same content.
func (h *Handler) switchRepeat(w http.ResponseWriter, r *http.Request) {
	h.seatAction(w, r, func(a *lanyard.Attendee, s *lanyard.Session) (lanyard.SeatResult, error) {
		to, err := h.Catalog.Load().Session(r.PostFormValue("to"))
		if err != nil || to.RepeatGroup == "" || to.RepeatGroup != s.RepeatGroup {
			return lanyard.SeatResult{}, lanyard.Errorf(lanyard.EINVALID, "%s", translatorFor(pickLanguage(r)).T("agenda.switch_invalid"))
		}
		rs, err := h.plans(r).Switch(r.Context(), a.ID, s.Code, to.Code, idem(r, "switch", s.Code, to.Code))
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
	ag, err := h.engine(r).Agenda(r.Context(), a.ID)
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
	extra, err := h.calendarExtras(r.Context(), a.ID, site, c) // meetups, parties, booth events (issue 14)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	cal.Events = append(cal.Events, extra...)
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
