package console

import (
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
)

// repeat is a place and time where a repeat of a session would fit: a
// room big enough for its waitlist, free then, at a time when Free of the
// Sample waitlisted attendees read hold nothing.
type repeat struct {
	Session      *lanyard.Session
	Demand       int
	Seats        int
	Waiting      int
	Venue, Room  string
	Capacity     int
	Start, End   time.Time
	Free, Sample int
	Found        bool
}

// hotSessions are the sessions whose demand is at least hotRatio times
// their seats and who have someone waiting, most wanted first, at most maxHot.
func (rc *reportContext) hotSessions() []demandRow {
	var hot []demandRow
	for _, d := range rc.demand() {
		if len(hot) == maxHot {
			break
		}
		if d.s.Scheduled() && d.n.WaitlistLength > 0 && d.n.Taken+d.n.WaitlistLength >= hotRatio*max(d.n.Reservable, 1) {
			hot = append(hot, d)
		}
	}
	return hot
}

// suggestRepeats finds, for each hot session, the start time (among the
// catalog's start times, after now) when most of its sampled waitlisted
// attendees are free, and at that time a free room: one that seats the
// whole waitlist if any (in the same venue first, then the smallest), else
// the biggest that seats at least the session's capacity. Its cost is bounded: maxHot sessions ×
// the catalog's distinct start times × waitSample agendas, plus the rooms
// tried at the few best times.
func suggestRepeats(cat *catalog.Catalog, hot []demandRow, busy map[string][][]reserve.Span, now time.Time) []repeat {
	// Each room's booked times, and the catalog's start times.
	type roomKey struct{ venue, room string }
	booked := map[roomKey][]reserve.Span{}
	var starts []time.Time
	for _, s := range cat.Sessions() {
		if !s.Scheduled() {
			continue
		}
		k := roomKey{s.Venue, s.Room}
		booked[k] = append(booked[k], reserve.Span{Start: s.Start, End: s.End})
		if n := len(starts); s.Start.After(now) && (n == 0 || !starts[n-1].Equal(s.Start)) {
			starts = append(starts, s.Start) // sessions are sorted by start
		}
	}
	starts = slices.CompactFunc(starts, func(a, b time.Time) bool { return a.Equal(b) })
	overlaps := func(spans []reserve.Span, from, to time.Time) bool {
		for _, sp := range spans {
			if sp.Start.Before(to) && from.Before(sp.End) {
				return true
			}
		}
		return false
	}
	type room struct {
		venue string
		r     lanyard.Room
	}
	var rooms []room
	for _, v := range cat.Venues {
		for _, r := range v.Rooms {
			rooms = append(rooms, room{v.Code, r})
		}
	}
	var out []repeat
	for _, d := range hot {
		s := d.s
		rp := repeat{Session: s, Demand: d.n.Taken + d.n.WaitlistLength, Seats: d.n.Reservable, Waiting: d.n.WaitlistLength}
		sample := busy[s.Code]
		rp.Sample = len(sample)
		dur := s.End.Sub(s.Start)
		// A room that seats the whole waitlist is best; one as big as the
		// session (or the waitlist, if smaller) will do.
		minNeed := min(d.n.WaitlistLength, s.Capacity)
		type slot struct {
			at   time.Time
			free int
		}
		var slots []slot
		for _, at := range starts {
			if at.Equal(s.Start) {
				continue
			}
			free := 0
			for _, spans := range sample {
				if !overlaps(spans, at, at.Add(dur)) {
					free++
				}
			}
			if 2*free > len(sample) { // most of them
				slots = append(slots, slot{at, free})
			}
		}
		slices.SortStableFunc(slots, func(a, b slot) int { return b.free - a.free })
		for _, sl := range slots {
			best, bestFits := -1, false
			for i, r := range rooms {
				if r.r.Capacity < minNeed || overlaps(booked[roomKey{r.venue, r.r.Name}], sl.at, sl.at.Add(dur)) {
					continue
				}
				fits := r.r.Capacity >= d.n.WaitlistLength
				if best < 0 || better(fits, r.venue == s.Venue, r.r.Capacity, bestFits, rooms[best].venue == s.Venue, rooms[best].r.Capacity) {
					best, bestFits = i, fits
				}
			}
			if best >= 0 {
				rp.Venue, rp.Room, rp.Capacity = rooms[best].venue, rooms[best].r.Name, rooms[best].r.Capacity
				rp.Start, rp.End, rp.Free, rp.Found = sl.at, sl.at.Add(dur), sl.free, true
				break
			}
		}
		out = append(out, rp)
	}
	return out
}

// better reports whether room A beats room B: one that seats the whole
// waitlist, then one in the session's venue, then the smallest that seats
// the waitlist (or, when neither does, the biggest).
func better(fitsA, sameA bool, capA int, fitsB, sameB bool, capB int) bool {
	if fitsA != fitsB {
		return fitsA
	}
	if sameA != sameB {
		return sameA
	}
	if fitsA {
		return capA < capB
	}
	return capA > capB
}

// repeatHref links the console's session page with the suggestion, where
// the organizer adds the repeat.
func repeatHref(rp repeat) string {
	v := url.Values{"repeat_start": {rp.Start.UTC().Format(time.RFC3339)}, "venue": {rp.Venue}, "room": {rp.Room}}
	return sessionHref(rp.Session.Code) + "?" + v.Encode() + "#repeat"
}

func (h *Handler) repeatReport(rc *reportContext) (*table, []bar, error) {
	hot := rc.hotSessions()
	busy := map[string][][]reserve.Span{}
	if e, ok := rc.engine.(waitlistBusy); ok && len(hot) > 0 {
		codes := make([]string, len(hot))
		for i, d := range hot {
			codes[i] = d.s.Code
		}
		var err error
		if busy, err = e.WaitlistBusy(rc.ctx, codes, waitSample); err != nil {
			return nil, nil, err
		}
	}
	t := &table{Columns: []string{"session", "title", "demand", "seats", "waitlisted", "repeat_venue", "repeat_room", "repeat_capacity", "repeat_start", "repeat_end", "free_of_waiting", "add_repeat"}}
	var bars []bar
	for _, rp := range suggestRepeats(rc.cat, hot, busy, rc.now) {
		row := []cell{link(rp.Session.Code, sessionHref(rp.Session.Code)), txt(rp.Session.Title), num(rp.Demand), num(rp.Seats), num(rp.Waiting)}
		if rp.Found {
			loc := rc.cat.Loc
			row = append(row, txt(rc.cat.VenueName(rp.Venue)), txt(rp.Room), num(rp.Capacity),
				txt(rp.Start.In(loc).Format("2006-01-02 15:04")), txt(rp.End.In(loc).Format("15:04")),
				txt(fmt.Sprintf("%d/%d", rp.Free, rp.Sample)), link(h.Shell.T(rc.r, "console.reports.add_repeat"), repeatHref(rp)))
		} else {
			row = append(row, txt(h.Shell.T(rc.r, "console.reports.no_room")), txt(""), txt(""), txt(""), txt(""), txt(""), txt(""))
		}
		t.add(row...)
		bars = append(bars, bar{Label: rp.Session.Code, Value: rp.Demand, Ref: rp.Seats, Text: fmt.Sprintf("%d / %d", rp.Demand, rp.Seats)})
	}
	return t, bars, nil
}
