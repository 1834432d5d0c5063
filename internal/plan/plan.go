package plan

import (
	"slices"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// TravelFunc returns the time to get from one venue to another, and false
// when the pair is unknown. (*catalog.Catalog).TravelTime has this shape.
type TravelFunc func(from, to string) (lanyard.TravelTime, bool)

// Entry is one session on an attendee's agenda.
type Entry struct {
	Session *lanyard.Session
	// Waitlisted is true when the attendee is on the session's waitlist
	// rather than holding a seat.
	Waitlisted bool
	// Position is the 1-based place on the waitlist, for a waitlisted entry.
	Position int
	// Marker is true for a fixed event item shown but not reserved: a
	// keynote, the expo opening, a party.
	Marker bool
}

// Held reports whether the entry is a seat the attendee holds: neither
// waitlisted nor a marker. Only held entries count for gaps and warnings.
func (e Entry) Held() bool { return !e.Waitlisted && !e.Marker }

// The travel modes of a Gap.
const (
	ModeWalk    = "walk"
	ModeShuttle = "shuttle"
)

// Gap is the time between two consecutive held sessions on one day.
type Gap struct {
	From, To *lanyard.Session
	// Minutes is the free time from From.End to To.Start, in whole minutes.
	Minutes int
	// Travel is the minutes needed to get from From's venue to To's: the
	// faster of walking and the shuttle. It is 0 for the same venue, and
	// when either venue is unknown or the pair is not in the travel matrix.
	Travel int
	// Mode is how Travel is made, ModeWalk or ModeShuttle; "" when Travel is 0.
	// Walking wins a tie.
	Mode string
	// Enough reports whether Minutes covers Travel.
	Enough bool
}

// The warning codes. Warning.Minutes holds the value each one measures.
const (
	// WarnBackToBack is a run of more than 4 hours of held sessions with
	// breaks of less than 15 minutes between them. Minutes is the length of
	// the run, from the first start to the last end.
	WarnBackToBack = "back_to_back"
	// WarnNoLunch is a day whose held sessions leave no free 30 minutes
	// between 11:00 and 14:00 local time. Minutes is the longest free stretch
	// in that window.
	WarnNoLunch = "no_lunch"
	// WarnTravel is a gap too short to get to the next venue. Minutes is the gap.
	WarnTravel = "travel"
	// WarnOverlap is two held sessions that overlap, which waitlist
	// promotions can cause. Minutes is how long they overlap.
	WarnOverlap = "overlap"
)

// The thresholds of the warnings.
const (
	backToBackRun   = 4 * time.Hour
	backToBackBreak = 15 * time.Minute
	lunchFrom       = 11 // hour, local
	lunchTo         = 14 // hour, local
	lunchBreak      = 30 * time.Minute
)

// Warning is advice about one day of an agenda.
type Warning struct {
	Code    string // one of the Warn constants
	Day     string // the civil date, as Day.Date
	Minutes int
	// From and To are the sessions concerned: the two of an overlap or a
	// travel gap, the first and the last of a back-to-back run. Both are nil
	// for no_lunch.
	From, To *lanyard.Session
	// Need and Mode are, for a travel warning, the minutes the trip takes
	// and how (ModeWalk or ModeShuttle), so the page can say it.
	Need int
	Mode string
}

// Fix is another time of a session that would clear a warning: give up
// the seat of Drop and take Take, a repeat of the same content.
type Fix struct {
	Drop, Take *lanyard.Session
}

// Fixes returns the repeats that would clear an overlap or a travel
// warning: for each of its two sessions, the earliest other time of the
// same content that Fits the held sessions once that session is given up.
// repeats returns a repeat group's sessions; ok, when not nil, keeps only
// candidates it accepts (say, those with seats left). Other warnings have
// no fix.
func Fixes(loc *time.Location, w Warning, held []*lanyard.Session, repeats func(group string) []*lanyard.Session, travel TravelFunc, ok func(*lanyard.Session) bool) []Fix {
	if (w.Code != WarnTravel && w.Code != WarnOverlap) || w.From == nil || w.To == nil || repeats == nil {
		return nil
	}
	var out []Fix
	for _, drop := range []*lanyard.Session{w.From, w.To} {
		if drop.RepeatGroup == "" {
			continue
		}
		rest := make([]*lanyard.Session, 0, len(held))
		for _, h := range held {
			if h != drop && h.Code != drop.Code {
				rest = append(rest, h)
			}
		}
		cands := slices.Clone(repeats(drop.RepeatGroup))
		slices.SortFunc(cands, order)
		for _, c := range cands {
			if c.Code == drop.Code || !c.Scheduled() || (ok != nil && !ok(c)) {
				continue
			}
			if Fits(loc, c, rest, travel) {
				out = append(out, Fix{Drop: drop, Take: c})
				break
			}
		}
	}
	return out
}

// Day is one civil day, in the event's zone, of an agenda.
type Day struct {
	Date string // "2026-12-01"
	// Entries are the day's entries of every kind, by start.
	Entries []Entry
	// Gaps are between consecutive held entries that do not overlap, by time.
	Gaps []Gap
	// Warnings are overlaps and travel shortfalls by time, then back-to-back
	// runs, then no_lunch.
	Warnings []Warning
	// First and Last span the day's entries (markers and waitlists
	// included): the earliest start and the latest end.
	First, Last time.Time
}

// Build groups an agenda by civil day in loc, the event's zone, and works
// out each day's gaps and warnings. A session belongs to the day it starts
// on; days come in order and only days with entries appear. Unscheduled
// sessions and entries without a session are left out. A nil travel knows
// no pair.
func Build(loc *time.Location, entries []Entry, travel TravelFunc) []Day {
	list := make([]Entry, 0, len(entries))
	for _, e := range entries {
		if e.Session != nil && e.Session.Scheduled() {
			list = append(list, e)
		}
	}
	slices.SortStableFunc(list, func(a, b Entry) int { return order(a.Session, b.Session) })

	// Dates only grow with the start, so days come out in order.
	var days []Day
	var held []*lanyard.Session
	var dayIndex []int // of each held session
	for _, e := range list {
		s := e.Session
		date := dayOf(loc, s)
		if len(days) == 0 || days[len(days)-1].Date != date {
			days = append(days, Day{Date: date, First: s.Start, Last: s.End})
		}
		d := &days[len(days)-1]
		d.Entries = append(d.Entries, e)
		if s.End.After(d.Last) {
			d.Last = s.End
		}
		if e.Held() {
			held = append(held, s)
			dayIndex = append(dayIndex, len(days)-1)
		}
	}

	// One sweep over the held sessions by start. prev is the one that ends
	// last so far: a session starting before prev ends overlaps it (and
	// anything else it overlaps ends no later). placed is the same among
	// sessions with a venue: where the attendee comes from, as the
	// reservation engine judges trips (a session with no venue is no
	// place). Fits picks the same sessions (see neighbours).
	var prev, placed *lanyard.Session
	var placedDay int
	for i, s := range held {
		d := &days[dayIndex[i]]
		if prev != nil && s.Start.Before(prev.End) {
			d.Warnings = append(d.Warnings, Warning{Code: WarnOverlap, Day: d.Date,
				Minutes: minutes(minTime(s.End, prev.End).Sub(s.Start)), From: prev, To: s})
		}
		// The trip from the last place, whatever else overlaps (as the engine judges it).
		if placed != nil && s.Venue != "" && placedDay == dayIndex[i] && !s.Start.Before(placed.End) {
			g := gap(placed, s, travel)
			d.Gaps = append(d.Gaps, g)
			if !g.Enough {
				d.Warnings = append(d.Warnings, Warning{Code: WarnTravel, Day: d.Date, Minutes: g.Minutes, From: placed, To: s,
					Need: g.Travel, Mode: g.Mode})
			}
		}
		if prev == nil || !s.End.Before(prev.End) {
			prev = s
		}
		if s.Venue != "" && (placed == nil || !s.End.Before(placed.End)) {
			placed, placedDay = s, dayIndex[i]
		}
	}

	for i := range days {
		d := &days[i]
		var today []*lanyard.Session
		for _, e := range d.Entries {
			if e.Held() {
				today = append(today, e.Session)
			}
		}
		d.Warnings = append(d.Warnings, backToBack(d.Date, today)...)
		if w, ok := noLunch(loc, d.Date, d.First, held); ok {
			d.Warnings = append(d.Warnings, w)
		}
	}
	return days
}

// backToBack returns a warning for each run of held sessions (by start, on
// one day) longer than backToBackRun with every break shorter than
// backToBackBreak. Overlapping sessions continue a run.
func backToBack(date string, held []*lanyard.Session) []Warning {
	var out []Warning
	var first, last *lanyard.Session // last is the run's session that ends last
	flush := func() {
		if first != nil && last.End.Sub(first.Start) > backToBackRun {
			out = append(out, Warning{Code: WarnBackToBack, Day: date, Minutes: minutes(last.End.Sub(first.Start)), From: first, To: last})
		}
	}
	for _, s := range held {
		if first != nil && s.Start.Sub(last.End) < backToBackBreak {
			if !s.End.Before(last.End) {
				last = s
			}
			continue
		}
		flush()
		first, last = s, s
	}
	flush()
	return out
}

// noLunch reports a warning when held sessions (by start, of any day) cover
// the lunch window of the day that starts with first, leaving no free stretch
// of lunchBreak. Free time at the window's edges counts: a session that ends
// at 13:30 leaves lunch until 14:00.
func noLunch(loc *time.Location, date string, first time.Time, held []*lanyard.Session) (Warning, bool) {
	y, m, dd := first.In(loc).Date()
	from := time.Date(y, m, dd, lunchFrom, 0, 0, 0, loc)
	to := time.Date(y, m, dd, lunchTo, 0, 0, 0, loc)
	free, cursor, busy := time.Duration(0), from, false
	for _, s := range held {
		if !s.End.After(from) || !s.Start.Before(to) {
			continue
		}
		busy = true
		if s.Start.After(cursor) {
			free = max(free, s.Start.Sub(cursor))
		}
		if s.End.After(cursor) {
			cursor = s.End
		}
	}
	if cursor.Before(to) {
		free = max(free, to.Sub(cursor))
	}
	if !busy || free >= lunchBreak {
		return Warning{}, false
	}
	return Warning{Code: WarnNoLunch, Day: date, Minutes: minutes(free)}, true
}

// Fits reports whether s could join the held sessions: it overlaps none of
// them, there is enough time to travel to it from the held session before
// it, and enough to travel from it to the held session after it, when those
// are on the same civil day in loc. It is the test of the catalog's "fits my
// agenda" facet, and agrees with Build: Build of held plus s then shows no
// overlap with s and no gap to or from s that is not Enough.
//
// held are the sessions whose seats the attendee holds (not waitlists or
// markers). A held session with s's code is s itself and is ignored, so a
// session already held fits. An unscheduled s clashes with nothing and
// fits. Repeat groups are not considered.
func Fits(loc *time.Location, s *lanyard.Session, held []*lanyard.Session, travel TravelFunc) bool {
	if !s.Scheduled() {
		return true
	}
	prev, next, ok := neighbours(s, held)
	if !ok {
		return false
	}
	date := dayOf(loc, s)
	if prev != nil && dayOf(loc, prev) == date && !gap(prev, s, travel).Enough {
		return false
	}
	if next != nil && dayOf(loc, next) == date && !gap(s, next, travel).Enough {
		return false
	}
	return true
}

// neighbours returns the held sessions just before and just after s, the
// ones Build's sweep would pair s with, or false if s overlaps one. Every
// held session that does not overlap s ends by its start or starts after its
// end. Before: the one that ends last, the later by order on a tie (the
// sweep keeps the later one). After: the first by order.
func neighbours(s *lanyard.Session, held []*lanyard.Session) (prev, next *lanyard.Session, ok bool) {
	for _, h := range held {
		if h == nil || !h.Scheduled() || h == s || (s.Code != "" && h.Code == s.Code) {
			continue
		}
		switch {
		case s.Overlaps(h):
			return nil, nil, false
		case h.Venue == "" || s.Venue == "":
			// No place, no trip: it overlaps nothing, and that is all it can do.
		case !h.End.After(s.Start):
			if prev == nil || h.End.After(prev.End) || (h.End.Equal(prev.End) && order(h, prev) > 0) {
				prev = h
			}
		case next == nil || order(h, next) < 0:
			next = h
		}
	}
	return prev, next, true
}

// gap measures the time from a to b and what it takes to move between them.
func gap(a, b *lanyard.Session, travel TravelFunc) Gap {
	g := Gap{From: a, To: b, Minutes: minutes(b.Start.Sub(a.End))}
	g.Travel, g.Mode = need(a.Venue, b.Venue, travel)
	g.Enough = g.Minutes >= g.Travel
	return g
}

// need returns the minutes and the mode to get from one venue to another,
// by TravelTime.Fastest, as the reservation engine judges trips.
func need(from, to string, travel TravelFunc) (int, string) {
	if from == "" || to == "" || from == to || travel == nil {
		return 0, ""
	}
	t, ok := travel(from, to)
	if !ok {
		return 0, ""
	}
	switch m, walk := t.Fastest(); {
	case m == 0:
		return 0, ""
	case walk:
		return m, ModeWalk
	default:
		return m, ModeShuttle
	}
}

// order sorts scheduled sessions by start, then end, then code.
func order(a, b *lanyard.Session) int {
	if c := a.Start.Compare(b.Start); c != 0 {
		return c
	}
	if c := a.End.Compare(b.End); c != 0 {
		return c
	}
	return strings.Compare(a.Code, b.Code)
}

// dayOf returns the civil date a scheduled session starts on in loc.
func dayOf(loc *time.Location, s *lanyard.Session) string {
	return s.Start.In(loc).Format(time.DateOnly)
}

// minutes truncates d to whole minutes, as the reservation engine does:
// 9m59s is 9 minutes.
func minutes(d time.Duration) int { return int(d / time.Minute) }

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
