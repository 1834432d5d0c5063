package reserve

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/message"
)

// ChangeResult is what a saved session change did.
type ChangeResult struct {
	Preview lanyard.ChangePreview
	// Catalog is the catalog with the change, for the pages to swap in.
	Catalog *catalog.Catalog
	// Waitlisted and Cancelled are the holders over the new capacity the
	// organizer's choice moved to the waitlist or cancelled.
	Waitlisted, Cancelled []int64
	// Notified are the attendees written a message.
	Notified []int64
}

// PreviewChange tells what ch would do, and to whom, without doing it.
func (e *Engine) PreviewChange(ctx context.Context, ch lanyard.SessionChange) (lanyard.ChangePreview, error) {
	var out lanyard.ChangePreview
	var perr error
	err := e.read(ctx, func(st *state) {
		var i int32
		var after *lanyard.Session
		if i, after, perr = st.changed(ch); perr == nil {
			out = st.preview(i, after, ch)
		}
	})
	if err != nil {
		return out, err
	}
	return out, perr
}

// ChangeSession changes a session's time, room, capacity, type or text, or
// cancels it, in the loop: the engine's rules see the new times at once,
// the holders over a lowered capacity go as ch.Over says, and every holder
// whose session moved or was cancelled gets a message in the same batch.
// The change is logged as command "change" (outcome "changed") and makes a
// new schedule version. Returns EINVALID for a bad change, ENOTFOUND for an
// unknown session or room.
func (e *Engine) ChangeSession(ctx context.Context, caller int64, idemKey string, ch lanyard.SessionChange) (ChangeResult, error) {
	return as[ChangeResult](e.do(ctx, caller, idemKey, request("change", ch.Session.Code), func(b *builder) (any, error) {
		return b.change(ch)
	}))
}

// changed checks ch against the state and returns the session's index and
// the session as it would be.
func (st *state) changed(ch lanyard.SessionChange) (int32, *lanyard.Session, error) {
	i, err := st.session(ch.Session.Code)
	if err != nil {
		return 0, nil, err
	}
	old := st.seats[i].s
	if old.Cancelled {
		return 0, nil, lanyard.Errorf(lanyard.EINVALID, "%s is cancelled; it cannot change.", old.Code)
	}
	n := ch.Session
	a := *old // the catalog's sessions are shared with readers: never change one in place
	a.Title, a.Abstract, a.Speakers, a.Type = n.Title, n.Abstract, slices.Clone(n.Speakers), n.Type
	a.Start, a.End = n.Start.UTC(), n.End.UTC()
	a.CapacityOverride = n.CapacityOverride
	if ch.Over == "" {
		ch.Over = lanyard.OverKeep
	}
	if !ch.Over.Valid() {
		return 0, nil, lanyard.Errorf(lanyard.EINVALID, "Unknown choice %q for reservations over the capacity.", ch.Over)
	}
	if n.Room != old.Room || n.Venue != old.Venue {
		r, ok := st.cat.Room(n.Venue, n.Room)
		if !ok {
			return 0, nil, lanyard.Errorf(lanyard.ENOTFOUND, "No room %q in venue %q.", n.Room, n.Venue)
		}
		a.Venue, a.Room, a.RoomID = n.Venue, r.Name, r.ID
		a.Capacity = r.Capacity
	} else if old.CapacityOverride > 0 {
		// Capacity is the override's; find the room's own again.
		if r, ok := st.cat.Room(old.Venue, old.Room); ok {
			a.Capacity = r.Capacity
		}
	}
	if a.CapacityOverride < 0 {
		return 0, nil, lanyard.Errorf(lanyard.EINVALID, "A capacity cannot be negative.")
	}
	if a.CapacityOverride > 0 {
		a.Capacity = a.CapacityOverride
	}
	if ch.Cancel {
		a.Cancelled, a.Reservable = true, false
	}
	if err := a.Validate(); err != nil {
		return 0, nil, err
	}
	return i, &a, nil
}

// fieldsChanged names what differs between a session and its change.
func fieldsChanged(a, b *lanyard.Session) []string {
	var out []string
	add := func(name string, differ bool) {
		if differ {
			out = append(out, name)
		}
	}
	add("start", !a.Start.Equal(b.Start))
	add("end", !a.End.Equal(b.End))
	add("room", a.Venue != b.Venue || a.Room != b.Room)
	add("capacity", a.Capacity != b.Capacity)
	add("type", a.Type != b.Type)
	add("title", a.Title != b.Title)
	add("abstract", a.Abstract != b.Abstract)
	add("speakers", !slices.Equal(a.Speakers, b.Speakers))
	add("cancelled", a.Cancelled != b.Cancelled)
	return out
}

// holders returns session i's holders, most recent reservation first:
// those latest lacks (reserved since it was read) first, then latest's.
func (st *state) holders(i int32, latest []int64) []int64 {
	known := make(map[int64]bool, len(latest))
	for _, a := range latest {
		known[a] = true
	}
	var out, rest []int64
	for id, p := range st.people {
		if p.holds(i) && !known[id] {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	slices.Reverse(out) // among the unknown, newer accounts first: a stable order
	for _, a := range latest {
		if st.person(a).holds(i) {
			rest = append(rest, a)
		}
	}
	return append(out, rest...)
}

// target is the reservable seats of session i as s would make it, before
// the floor at the seats taken.
func (st *state) target(i int32, s *lanyard.Session) int {
	if !s.Reservable || !s.Scheduled() || s.Cancelled {
		return 0
	}
	n := s.Capacity - s.Capacity*st.holdback[s.Type]/100
	for _, w := range st.waves {
		if w.session == i && !w.released {
			n -= w.seats
		}
	}
	return max(n, 0)
}

// preview lists what changing session i to after would do.
func (st *state) preview(i int32, after *lanyard.Session, ch lanyard.SessionChange) lanyard.ChangePreview {
	s := &st.seats[i]
	p := lanyard.ChangePreview{Before: *s.s, After: *after, Cancel: ch.Cancel, Holders: s.taken, Waiting: len(s.waitlist),
		Changes: fieldsChanged(s.s, after)}
	holders := st.holders(i, ch.Latest)
	moved := !s.s.Start.Equal(after.Start) || !s.s.End.Equal(after.End) || s.s.Room != after.Room || s.s.Venue != after.Venue
	over := 0
	if !ch.Cancel {
		over = max(s.taken-st.target(i, after), 0)
	}
	p.Over = over
	// The over-capacity holders are the most recent: the head of holders.
	for k, a := range holders {
		switch {
		case ch.Cancel:
			p.Affected = append(p.Affected, lanyard.Affected{Attendee: a, Reason: lanyard.AffectedCancelled})
			continue
		case moved:
			p.Affected = append(p.Affected, lanyard.Affected{Attendee: a, Reason: lanyard.AffectedMoved})
		}
		if k < over {
			p.Affected = append(p.Affected, lanyard.Affected{Attendee: a, Reason: lanyard.AffectedOver})
		}
		for _, h := range st.person(a).held {
			if h == i {
				continue
			}
			if o := st.seats[h].s; after.Overlaps(o) {
				p.Affected = append(p.Affected, lanyard.Affected{Attendee: a, Reason: lanyard.AffectedClash, Other: o.Code})
			}
		}
		for _, w := range st.travelAs(a, i, after) {
			other := w.To
			if other == after.Code {
				other = w.From
			}
			p.Affected = append(p.Affected, lanyard.Affected{Attendee: a, Reason: lanyard.AffectedTravel, Other: other,
				NeedMinute: w.NeedMinute, GapMinute: w.GapMinute})
		}
	}
	return p
}

// travelAs returns the short trips attendee would have if session i were s.
func (st *state) travelAs(attendee int64, i int32, s *lanyard.Session) []lanyard.Warning {
	if !s.Scheduled() || s.Venue == "" {
		return nil
	}
	day := st.cat.Day(s)
	var prev, next *lanyard.Session
	for _, h := range st.person(attendee).held {
		o := st.seats[h].s
		if h == i || st.seats[h].day != day || o.Venue == "" {
			continue
		}
		if !o.End.After(s.Start) && (prev == nil || o.End.After(prev.End)) {
			prev = o
		}
		if !o.Start.Before(s.End) && (next == nil || o.Start.Before(next.Start)) {
			next = o
		}
	}
	var out []lanyard.Warning
	for _, pair := range [][2]*lanyard.Session{{prev, s}, {s, next}} {
		if w, ok := st.shortfall(pair[0], pair[1]); ok {
			out = append(out, w)
		}
	}
	return out
}

// change applies ch in the loop.
func (b *builder) change(ch lanyard.SessionChange) (any, error) {
	st := b.st
	i, after, err := st.changed(ch)
	if err != nil {
		return nil, err
	}
	if ch.Over == "" {
		ch.Over = lanyard.OverKeep
	}
	pv := st.preview(i, after, ch)
	edited := len(pv.Changes) > 0
	if !edited && (pv.Over == 0 || ch.Over == lanyard.OverKeep) {
		return ChangeResult{Preview: pv, Catalog: st.cat}, nil
	}
	s := &st.seats[i]
	before := s.s
	holders := st.holders(i, ch.Latest)
	b.hit[i] = true
	if edited {
		sessions := slices.Clone(st.cat.Sessions())
		for k, o := range sessions {
			if o == before {
				sessions[k] = after
			}
		}
		cat, err := catalog.New(st.cat.Event, st.cat.Venues, st.cat.Travel, sessions)
		if err != nil {
			return nil, fmt.Errorf("reserve: change %s: %w", after.Code, err)
		}
		st.cat = cat
		s.s, s.day = after, cat.Day(after)
	}
	res := ChangeResult{Preview: pv, Catalog: st.cat}
	switch {
	case ch.Cancel:
		// Every seat and place goes; the session takes no reservations.
		for _, a := range holders {
			b.giveBack(a, i)
			b.log(a, "cancel", i, lanyard.OutcomeCancelled, "session cancelled")
		}
		for len(s.waitlist) > 0 {
			b.dropWaiter(s.waitlist[0].attendee, i)
		}
	case pv.Over > 0 && ch.Over != lanyard.OverKeep:
		for _, a := range holders[:pv.Over] {
			b.giveBack(a, i)
			if ch.Over == lanyard.OverWaitlist {
				// The waitlist limit does not apply: the organizer moved them.
				b.touchWait(i, a)
				b.log(a, "waitlist", i, lanyard.OutcomeWaitlisted, "over capacity")
				s.addWaiter(a, st.seq)
				st.person(a).waits = append(st.person(a).waits, i)
				res.Waitlisted = append(res.Waitlisted, a)
			} else {
				b.log(a, "cancel", i, lanyard.OutcomeCancelled, "over capacity")
				res.Cancelled = append(res.Cancelled, a)
			}
		}
	}
	s.reservable = st.computeReservable(i)
	b.promote(i) // a raised capacity seats the waitlist
	if !edited {
		// Only the organizer's choice for the seats over the capacity.
		b.log(0, "change", i, lanyard.OutcomeChanged, "over_capacity")
	} else {
		b.b.Sessions = append(b.b.Sessions, *after)
		b.b.Schedule = append(b.b.Schedule, lanyard.ScheduleChange{At: b.now, Code: after.Code, Title: after.Title, Changes: pv.Changes,
			OldStart: before.Start, OldEnd: before.End, Start: after.Start, End: after.End, OldRoom: before.Room, Room: after.Room,
			OldCap: before.Capacity, Cap: after.Capacity, Cancelled: after.Cancelled})
		b.log(0, "change", i, lanyard.OutcomeChanged, strings.Join(pv.Changes, ","))
	}
	moved := slices.ContainsFunc(pv.Changes, func(c string) bool { return c == "start" || c == "end" || c == "room" })
	lost := map[int64]message.Change{}
	for _, a := range res.Waitlisted {
		lost[a] = message.ChangeSeatWaitlisted
	}
	for _, a := range res.Cancelled {
		lost[a] = message.ChangeSeatReleased
	}
	for _, a := range holders {
		change, ok := lost[a]
		switch {
		case ch.Cancel:
			change = message.ChangeCancelled
		case ok: // the seat they lost is what they need to hear
		case moved:
			change = message.ChangeMoved
		default:
			continue
		}
		p := message.ChangedParams{Code: after.Code, Title: after.Title, Change: change,
			OldStart: before.Start, OldEnd: before.End, OldRoom: before.Room, Start: after.Start, End: after.End, Room: after.Room,
			Repeats: st.repeatsFor(a, i), Zones: message.Zones{VenueZone: st.cat.Event.TimeZone}}
		if ch.Cancel {
			p.Start, p.End, p.Room = time.Time{}, time.Time{}, ""
		}
		params, err := message.Encode(p)
		if err != nil {
			return nil, fmt.Errorf("reserve: change %s: %w", after.Code, err)
		}
		b.b.Messages = append(b.b.Messages, Message{AttendeeID: a, Kind: lanyard.KindSessionChanged, SessionID: after.ID, Params: params})
		res.Notified = append(res.Notified, a)
	}
	return res, nil
}

// repeatsFor returns the other runs of session i that would fit attendee's
// agenda and have a free seat.
func (st *state) repeatsFor(attendee int64, i int32) message.Repeats {
	g := st.seats[i].s.RepeatGroup
	if g == "" {
		return nil
	}
	var out message.Repeats
	for j := range st.seats {
		r := &st.seats[j]
		if int32(j) == i || r.s.RepeatGroup != g || r.s.Cancelled || !r.s.Reservable || !r.s.Scheduled() || r.seatsLeft() == 0 {
			continue
		}
		if st.fits(attendee, int32(j), i) != nil {
			continue
		}
		out = append(out, message.Repeat{Code: r.s.Code, Start: r.s.Start, End: r.s.End, Room: r.s.Room})
	}
	return out
}

// AddSession takes in a session the store has just created (a repeat an
// organizer adds: store.CreateSession gave it its ID): its seats, the
// catalog with it, and a schedule version. from, if set, is the session it
// repeats; one not yet in a repeat group joins one named by its code.
// Returns EINVALID for a bad session, ECONFLICT for a code or ID the
// engine already has, ENOTFOUND for an unknown room or from.
func (e *Engine) AddSession(ctx context.Context, caller int64, idemKey, from string, s lanyard.Session) (ChangeResult, error) {
	return as[ChangeResult](e.do(ctx, caller, idemKey, request("add_session", s.Code), func(b *builder) (any, error) {
		return b.addSession(from, s)
	}))
}

func (b *builder) addSession(from string, n lanyard.Session) (any, error) {
	st := b.st
	if _, ok := st.byCode[n.Code]; ok || n.ID == 0 {
		return nil, lanyard.Errorf(lanyard.ECONFLICT, "Session %s already exists.", n.Code)
	}
	if _, ok := st.byID[n.ID]; ok {
		return nil, lanyard.Errorf(lanyard.ECONFLICT, "Session %s already exists.", n.Code)
	}
	r, ok := st.cat.Room(n.Venue, n.Room)
	if !ok {
		return nil, lanyard.Errorf(lanyard.ENOTFOUND, "No room %q in venue %q.", n.Room, n.Venue)
	}
	s := n
	s.RoomID, s.Capacity, s.EventID = r.ID, r.Capacity, st.cat.Event.ID
	if s.CapacityOverride > 0 {
		s.Capacity = s.CapacityOverride
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	sessions := slices.Clone(st.cat.Sessions())
	var orig *lanyard.Session
	if from != "" {
		i, err := st.session(from)
		if err != nil {
			return nil, err
		}
		if o := st.seats[i].s; o.RepeatGroup == "" {
			// The original joins the group its code names.
			c := *o
			c.RepeatGroup = o.Code
			orig = &c
			for k, x := range sessions {
				if x == o {
					sessions[k] = orig
				}
			}
			st.seats[i].s = orig
			b.b.Sessions = append(b.b.Sessions, c)
		}
		s.RepeatGroup = st.seats[i].s.RepeatGroup
	}
	sessions = append(sessions, &s)
	cat, err := catalog.New(st.cat.Event, st.cat.Venues, st.cat.Travel, sessions)
	if err != nil {
		return nil, fmt.Errorf("reserve: add %s: %w", s.Code, err)
	}
	st.cat = cat
	i := int32(len(st.seats))
	st.seats = append(st.seats, seat{s: &s, day: cat.Day(&s)})
	st.byCode[s.Code] = i
	st.byID[s.ID] = i
	st.seats[i].reservable = st.computeReservable(i)
	b.hit[i] = true
	b.b.NewSeats = append(b.b.NewSeats, s.ID)
	b.b.Schedule = append(b.b.Schedule, lanyard.ScheduleChange{At: b.now, Code: s.Code, Title: s.Title, Changes: []string{"added"},
		Start: s.Start, End: s.End, Room: s.Room, Cap: s.Capacity})
	b.log(0, "change", i, lanyard.OutcomeChanged, "added")
	return ChangeResult{Catalog: cat, Preview: lanyard.ChangePreview{After: s, Changes: []string{"added"}}}, nil
}
