package reserve

import (
	"fmt"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// builder applies commands to the state and records their durable effects.
type builder struct {
	st   *state
	now  time.Time
	b    *Batch
	res  map[rowKey]bool  // touched reservations → active when the batch began
	wait map[rowKey]int64 // touched waitlist entries → seq when the batch began (0: absent)
	hit  map[int32]bool   // touched seats
	pl   *placeBuilder    // === places (issue 13): places.go; nil until a place is touched
	line map[rowKey]bool  // === line: touched line rows → stored when the batch began
	swag map[int64]int    // === swag (issue 14): touched items → claims added; nil until one is
}

type rowKey struct {
	seat     int32
	attendee int64
}

func newBuilder(st *state, eventID int64, now time.Time) *builder {
	return &builder{
		st:   st,
		now:  now,
		b:    &Batch{EventID: eventID, ID: st.batch + 1, At: now},
		res:  map[rowKey]bool{},
		wait: map[rowKey]int64{},
		hit:  map[int32]bool{},
		line: map[rowKey]bool{},
	}
}

func (b *builder) touchRes(i int32, attendee int64) {
	k := rowKey{i, attendee}
	if _, ok := b.res[k]; !ok {
		b.res[k] = b.st.person(attendee).holds(i)
	}
	b.hit[i] = true
}

func (b *builder) touchWait(i int32, attendee int64) {
	k := rowKey{i, attendee}
	if _, ok := b.wait[k]; !ok {
		b.wait[k] = b.st.seats[i].waitSeq(attendee)
	}
	b.hit[i] = true // the waitlist length is published with the seat counts
}

// waitSeq returns attendee's place in the log order of the waitlist, or 0.
func (s *seat) waitSeq(attendee int64) int64 { return s.waitSeqs[attendee] }

// addWaiter appends attendee to the waitlist with seq.
func (s *seat) addWaiter(attendee, seq int64) {
	s.waitlist = append(s.waitlist, waiter{attendee, seq})
	if s.waitSeqs == nil {
		s.waitSeqs = map[int64]int64{}
	}
	s.waitSeqs[attendee] = seq
}

func (b *builder) log(attendee int64, command string, i int32, outcome, detail string) {
	b.st.seq++
	var sid int64
	if i >= 0 {
		sid = b.st.seats[i].s.ID
	}
	b.b.Log = append(b.b.Log, LogRow{Seq: b.st.seq, AttendeeID: attendee, Command: command, SessionID: sid, Outcome: outcome, Detail: detail})
}

// finish turns the touched rows into the batch's net changes.
func (b *builder) finish() *Batch {
	delta := map[int32]int{}
	for k, was := range b.res {
		now := b.st.person(k.attendee).holds(k.seat)
		row := KeyRow{b.st.seats[k.seat].s.ID, k.attendee}
		switch {
		case now && !was:
			b.b.Insert = append(b.b.Insert, row)
			delta[k.seat]++
		case was && !now:
			b.b.Cancel = append(b.b.Cancel, row)
			delta[k.seat]--
		}
	}
	for k, was := range b.wait {
		now := b.st.seats[k.seat].waitSeq(k.attendee)
		if now == was {
			continue
		}
		id := b.st.seats[k.seat].s.ID
		if was != 0 {
			b.b.WaitDel = append(b.b.WaitDel, KeyRow{id, k.attendee})
		}
		if now != 0 {
			b.b.WaitAdd = append(b.b.WaitAdd, WaitRow{id, k.attendee, now})
		}
	}
	b.finishLine() // === line
	for i := range b.hit {
		s := &b.st.seats[i]
		b.b.Seats = append(b.b.Seats, SeatDelta{SessionID: s.s.ID, TakenDelta: delta[i], Reservable: s.reservable, Released: s.released})
	}
	b.finishPlaces() // === places (issue 13)
	b.finishSwag()   // === swag (issue 14)
	return b.b
}

func refused(code string, err *lanyard.Error) lanyard.SeatResult {
	return lanyard.SeatResult{Session: code, Outcome: lanyard.OutcomeRefused, Error: err}
}

// take gives attendee a seat of session i.
func (b *builder) take(attendee int64, i int32) {
	b.touchRes(i, attendee)
	s := &b.st.seats[i]
	p := b.st.person(attendee)
	if p.waiting(i) {
		b.dropWaiter(attendee, i)
	}
	s.taken++
	p.held = append(p.held, i)
	if len(p.lines) > 0 { // === line: a seat ends their place in its line
		b.leaveLineForSeat(attendee, i)
	}
}

// give back attendee's seat of session i.
func (b *builder) giveBack(attendee int64, i int32) {
	b.touchRes(i, attendee)
	p := b.st.person(attendee)
	p.held = remove(p.held, i)
	b.st.seats[i].taken--
	// A raised holdback or a new wave may have kept reservable at the seats
	// then taken; a freed seat returns to where the settings say it belongs.
	b.st.seats[i].reservable = b.st.computeReservable(i)
}

func (b *builder) dropWaiter(attendee int64, i int32) {
	b.touchWait(i, attendee)
	s := &b.st.seats[i]
	if k := s.position(attendee); k > 0 {
		s.waitlist = append(s.waitlist[:k-1], s.waitlist[k:]...)
		delete(s.waitSeqs, attendee)
	}
	p := b.st.person(attendee)
	p.waits = remove(p.waits, i)
}

// reserve is the rule set of taking a seat, with the waitlist as fallback
// when asked for.
func (b *builder) reserve(attendee int64, i int32, waitlist bool) lanyard.SeatResult {
	st := b.st
	s := &st.seats[i]
	code := s.s.Code
	p := st.person(attendee)
	if p.holds(i) {
		return lanyard.SeatResult{Session: code, Outcome: lanyard.OutcomeReserved, Already: true}
	}
	if err := st.reservable(i, b.now); err != nil {
		b.log(attendee, "reserve", i, lanyard.OutcomeRefused, err.Code)
		return refused(code, err)
	}
	if err := st.fits(attendee, i, -1); err != nil {
		b.log(attendee, "reserve", i, lanyard.OutcomeRefused, err.Code)
		return refused(code, err)
	}
	warnings := st.travel(attendee, i, -1)
	if len(warnings) > 0 && st.settings.TravelBlocks {
		err := lanyard.Errorf(lanyard.ETravelTime, "%s", warnings[0].Message)
		b.log(attendee, "reserve", i, lanyard.OutcomeRefused, err.Code)
		return refused(code, err)
	}
	if s.taken >= s.reservable {
		if !waitlist {
			err := lanyard.Errorf(lanyard.ESessionFull, "%s is full. Join its waitlist to get the next free seat.", code)
			b.log(attendee, "reserve", i, lanyard.OutcomeRefused, err.Code)
			return refused(code, err)
		}
		return b.joinWaitlist(attendee, i)
	}
	b.take(attendee, i)
	b.log(attendee, "reserve", i, lanyard.OutcomeReserved, "")
	return lanyard.SeatResult{Session: code, Outcome: lanyard.OutcomeReserved, Warnings: warnings}
}

// joinWaitlist puts attendee at the end of session i's waitlist. The caller
// has checked that the session is full and the attendee may hold it.
func (b *builder) joinWaitlist(attendee int64, i int32) lanyard.SeatResult {
	st := b.st
	s := &st.seats[i]
	p := st.person(attendee)
	if p.waiting(i) {
		return lanyard.SeatResult{Session: s.s.Code, Outcome: lanyard.OutcomeWaitlisted, Already: true, Position: s.position(attendee)}
	}
	if len(p.waits) >= st.settings.MaxWaitlists {
		err := lanyard.Errorf(lanyard.ELimitReached, "You are on %d waitlists, the most allowed. Leave one to join %s's.", len(p.waits), s.s.Code)
		b.log(attendee, "waitlist", i, lanyard.OutcomeRefused, err.Code)
		return refused(s.s.Code, err)
	}
	b.touchWait(i, attendee)
	b.log(attendee, "waitlist", i, lanyard.OutcomeWaitlisted, "")
	s.addWaiter(attendee, st.seq) // the waitlist order is the log order
	p.waits = append(p.waits, i)
	return lanyard.SeatResult{Session: s.s.Code, Outcome: lanyard.OutcomeWaitlisted, Position: len(s.waitlist)}
}

// cancel gives a seat back and promotes from the waitlist.
func (b *builder) cancel(attendee int64, i int32) lanyard.SeatResult {
	st := b.st
	s := &st.seats[i]
	if !st.person(attendee).holds(i) {
		err := lanyard.Errorf(lanyard.ENotReserved, "You hold no reservation for %s.", s.s.Code)
		return refused(s.s.Code, err)
	}
	if err := st.changesOpen(i, b.now); err != nil {
		b.log(attendee, "cancel", i, lanyard.OutcomeRefused, err.Code)
		return refused(s.s.Code, err)
	}
	b.giveBack(attendee, i)
	b.log(attendee, "cancel", i, lanyard.OutcomeCancelled, "")
	b.promote(i)
	return lanyard.SeatResult{Session: s.s.Code, Outcome: lanyard.OutcomeCancelled}
}

// switchSeat trades attendee's seat in from for one in to, atomically: both
// happen or neither.
func (b *builder) switchSeat(attendee int64, from, to int32) []lanyard.SeatResult {
	st := b.st
	fs, ts := &st.seats[from], &st.seats[to]
	p := st.person(attendee)
	fail := func(err *lanyard.Error) []lanyard.SeatResult {
		b.log(attendee, "switch", to, lanyard.OutcomeRefused, err.Code)
		return []lanyard.SeatResult{refused(ts.s.Code, err)}
	}
	if !p.holds(from) {
		return []lanyard.SeatResult{refused(fs.s.Code, lanyard.Errorf(lanyard.ENotReserved, "You hold no reservation for %s to switch from.", fs.s.Code))}
	}
	if p.holds(to) {
		return []lanyard.SeatResult{{Session: ts.s.Code, Outcome: lanyard.OutcomeReserved, Already: true}}
	}
	if err := st.changesOpen(from, b.now); err != nil {
		return fail(err)
	}
	if err := st.reservable(to, b.now); err != nil {
		return fail(err)
	}
	if w, _ := st.openWindow(to, b.now); w != nil && !w.drawn {
		// Its window is in its fair seconds (or its draft): a switch must
		// not overtake the pooled requests.
		return fail(lanyard.Errorf(lanyard.EWindowClosed, "%s has just opened and its first requests are being drawn; try again in a few seconds.", ts.s.Code))
	}
	if err := st.fits(attendee, to, from); err != nil {
		return fail(err)
	}
	warnings := st.travel(attendee, to, from)
	if len(warnings) > 0 && st.settings.TravelBlocks {
		return fail(lanyard.Errorf(lanyard.ETravelTime, "%s", warnings[0].Message))
	}
	if ts.taken >= ts.reservable {
		return fail(lanyard.Errorf(lanyard.ESessionFull, "%s is full; you keep your seat in %s.", ts.s.Code, fs.s.Code))
	}
	b.giveBack(attendee, from)
	b.take(attendee, to)
	b.log(attendee, "switch", from, lanyard.OutcomeCancelled, ts.s.Code)
	b.log(attendee, "switch", to, lanyard.OutcomeReserved, fs.s.Code)
	b.promote(from)
	return []lanyard.SeatResult{
		{Session: fs.s.Code, Outcome: lanyard.OutcomeCancelled},
		{Session: ts.s.Code, Outcome: lanyard.OutcomeReserved, Warnings: warnings},
	}
}

// leaveWaitlist takes attendee off session i's waitlist.
func (b *builder) leaveWaitlist(attendee int64, i int32) lanyard.SeatResult {
	s := &b.st.seats[i]
	if !b.st.person(attendee).waiting(i) {
		return refused(s.s.Code, lanyard.Errorf(lanyard.ENOTFOUND, "You are not on the waitlist for %s.", s.s.Code))
	}
	b.dropWaiter(attendee, i)
	b.log(attendee, "leave_waitlist", i, lanyard.OutcomeLeftWaitlist, "")
	return lanyard.SeatResult{Session: s.s.Code, Outcome: lanyard.OutcomeLeftWaitlist}
}

// promote fills free seats of session i from its waitlist, first come first
// served. A waiter the seat no longer fits (it would clash with their
// agenda) is skipped and keeps their place.
func (b *builder) promote(i int32) { b.promoteAs(i, lanyard.KindWaitlistPromoted, nil) }

// promoteAs promotes as promote does, writing each promoted attendee a
// message of kind with the session's code and title and the params extra.
func (b *builder) promoteAs(i int32, kind string, extra map[string]string) {
	st := b.st
	s := &st.seats[i]
	if st.changesOpen(i, b.now) != nil {
		return // the door rules apply now; free seats go to the walk-up line
	}
	for k := 0; k < len(s.waitlist) && s.taken < s.reservable; {
		w := s.waitlist[k].attendee
		if st.fits(w, i, -1) != nil || (st.settings.TravelBlocks && len(st.travel(w, i, -1)) > 0) {
			k++
			continue
		}
		b.take(w, i) // removes w from the waitlist, so k now names the next waiter
		b.log(w, "promote", i, lanyard.OutcomePromoted, "")
		params := map[string]string{"code": s.s.Code, "title": s.s.Title}
		for k, v := range extra {
			params[k] = v
		}
		b.b.Messages = append(b.b.Messages, Message{AttendeeID: w, Kind: kind, SessionID: s.s.ID, Params: params})
	}
}

// reservable checks that session i can be reserved now: it takes
// reservations, its window is open and changes are not closed.
func (st *state) reservable(i int32, now time.Time) *lanyard.Error {
	s := &st.seats[i]
	if !s.s.Reservable || !s.s.Scheduled() {
		return lanyard.Errorf(lanyard.ENotReservable, "%s takes no reservations; walk up at the door.", s.s.Code)
	}
	if _, err := st.openWindow(i, now); err != nil {
		return err
	}
	return st.changesOpen(i, now)
}

// changesOpen refuses changes to session i once it is about to start.
func (st *state) changesOpen(i int32, now time.Time) *lanyard.Error {
	s := &st.seats[i]
	if !s.s.Scheduled() {
		return nil
	}
	close := s.s.Start.Add(-time.Duration(st.settings.ChangesCloseMinutes) * time.Minute)
	if !now.Before(close) {
		return lanyard.Errorf(lanyard.EChangesClosed, "Reservations for %s can no longer change: it starts at %s. The door staff can still let you in.",
			s.s.Code, st.local(s.s.Start))
	}
	return nil
}

// openWindow returns the window under which session i can be reserved now.
// A session's own windows replace those of its type.
func (st *state) openWindow(i int32, now time.Time) (*window, *lanyard.Error) {
	s := &st.seats[i]
	var next *window
	own := false
	for _, w := range st.windows {
		if w.session == i {
			own = true
			break
		}
	}
	for _, w := range st.windows {
		if (own && w.session != i) || (!own && (w.session != -1 || w.typ != s.s.Type)) {
			continue
		}
		if !now.Before(w.opens) && now.Before(w.closes) {
			return w, nil
		}
		if now.Before(w.opens) && (next == nil || w.opens.Before(next.opens)) {
			next = w
		}
	}
	if next != nil {
		return nil, lanyard.Errorf(lanyard.EWindowClosed, "Reservations for %s open at %s.", s.s.Code, st.local(next.opens))
	}
	return nil, lanyard.Errorf(lanyard.EWindowClosed, "Reservations for %s are not open.", s.s.Code)
}

// fits checks the attendee's agenda rules for taking session i, ignoring
// the held session except (a switch's from; -1 for none).
func (st *state) fits(attendee int64, i, except int32) *lanyard.Error {
	s := st.seats[i].s
	p := st.person(attendee)
	count, sameDay := 0, 0
	for _, h := range p.held {
		if h == except {
			continue
		}
		o := st.seats[h].s
		count++
		if st.seats[h].day == st.seats[i].day {
			sameDay++
		}
		if s.RepeatGroup != "" && o.RepeatGroup == s.RepeatGroup {
			return lanyard.Errorf(lanyard.ERepeatGroupTaken, "You already hold %s, a repeat of %s. Switch to it instead to change the time.", o.Code, s.Code)
		}
		if s.Overlaps(o) {
			return lanyard.Errorf(lanyard.ETimeConflict, "%s overlaps %s (%s–%s), which you hold.", s.Code, o.Code, st.local(o.Start), st.clock(o.End))
		}
	}
	if m := st.settings.MaxReservations; m > 0 && count >= m {
		return lanyard.Errorf(lanyard.ELimitReached, "You hold %d reservations, the most allowed.", count)
	}
	if m := st.settings.MaxPerDay; m > 0 && sameDay >= m {
		return lanyard.Errorf(lanyard.ELimitReached, "You hold %d reservations on %s, the most allowed per day.", sameDay, st.seats[i].day)
	}
	return nil
}

// travel returns warnings for too little time to get to session i from the
// attendee's session before it, and from it to the one after, on the same day.
func (st *state) travel(attendee int64, i, except int32) []lanyard.Warning {
	s := st.seats[i].s
	if !s.Scheduled() || s.Venue == "" {
		return nil
	}
	var prev, next *lanyard.Session
	for _, h := range st.person(attendee).held {
		o := st.seats[h].s
		if h == except || h == i || st.seats[h].day != st.seats[i].day || o.Venue == "" {
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

// shortfall reports whether a and then b leave too little time to travel.
func (st *state) shortfall(a, b *lanyard.Session) (lanyard.Warning, bool) {
	if a == nil || b == nil || a.Venue == b.Venue {
		return lanyard.Warning{}, false
	}
	t, ok := st.cat.TravelTime(a.Venue, b.Venue)
	if !ok {
		return lanyard.Warning{}, false
	}
	need, walk := t.Fastest()
	how := "by shuttle"
	if walk {
		how = "on foot"
	}
	gap := int(b.Start.Sub(a.End) / time.Minute)
	if need == 0 || gap >= need {
		return lanyard.Warning{}, false
	}
	return lanyard.Warning{
		Code: lanyard.ETravelTime,
		Message: fmt.Sprintf("%s → %s: %d min %s, %d min between %s and %s.",
			st.cat.VenueName(a.Venue), st.cat.VenueName(b.Venue), need, how, gap, a.Code, b.Code),
		From: a.Code, To: b.Code, NeedMinute: need, GapMinute: gap,
	}, true
}

// local formats an instant in the event's zone for messages.
func (st *state) local(t time.Time) string { return t.In(st.cat.Loc).Format("Mon Jan 2 15:04 MST") }
func (st *state) clock(t time.Time) string { return t.In(st.cat.Loc).Format("15:04") }
