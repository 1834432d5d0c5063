package reserve

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// The walk-up line (issue 13). An attendee joins a full session's line
// from LineOpensMinutes before its start until the start; door staff add
// someone standing in the physical line (AddToLine) while the door is
// open. Nobody is called before the session's release (ReleaseMinutes
// before the start, or a door's ReleaseUnclaimed): then as many waiting
// attendees are called, in join order, as the room and its overflow rooms
// have seats for walk-ups, less the seats kept for calls still running.
// A call lasts CallMinutes; the called attendee scans in at the door
// (Door.CheckIn or AdmitWalkup), a lapsed call expires at the next tick
// and the next in line is called. While anyone waits, a walk-up who was
// not called is refused (not_called): the seats are the line's.
//
// Seats: a called attendee's seat is kept for them, so an uncalled walk-up
// (once nobody waits) only takes walkupFree + overflow free − running
// calls; every admission still checks the room's and the overflow rooms'
// capacity, so a call can never seat more than the rooms hold.

// noShowRate is the share of unclaimed reservations (and of running calls)
// the chance estimate expects to come free: conference sessions lose about
// a third of their reservations to no-shows.
const noShowRate = 0.3

// Line row states, as stored.
const (
	lineWaiting  = "waiting"
	lineCalled   = "called"
	lineExpired  = "expired"
	lineAdmitted = "admitted"
)

// lineEntry is a waiting attendee; seq is the audit log seq of their join.
type lineEntry struct {
	attendee int64
	seq      int64
}

// lineCall is a running call.
type lineCall struct {
	attendee int64
	seq      int64
	until    time.Time
}

// lineDone is how an attendee's place in a line ended: expired or admitted.
type lineDone struct {
	state string
	seq   int64
}

// walkLine is a session's walk-up line.
type walkLine struct {
	waiting []lineEntry     // in join order: the head is called next
	seqs    map[int64]int64 // waiting attendee → seq
	calls   []lineCall      // running calls, in call order
	done    map[int64]lineDone
}

func (s *seat) lineOf() *walkLine {
	if s.line == nil {
		s.line = &walkLine{seqs: map[int64]int64{}, done: map[int64]lineDone{}}
	}
	return s.line
}

// position is the 1-based place of a waiting attendee, or 0.
func (l *walkLine) position(attendee int64) int {
	seq, ok := l.seqs[attendee]
	if !ok {
		return 0
	}
	return sort.Search(len(l.waiting), func(k int) bool { return l.waiting[k].seq >= seq }) + 1
}

// call returns attendee's running call, or -1.
func (l *walkLine) call(attendee int64) int {
	if l == nil {
		return -1
	}
	return slices.IndexFunc(l.calls, func(c lineCall) bool { return c.attendee == attendee })
}

// active reports whether attendee waits in or was called by the line.
func (l *walkLine) active(attendee int64) bool {
	if l == nil {
		return false
	}
	_, waiting := l.seqs[attendee]
	return waiting || l.call(attendee) >= 0
}

// row is attendee's stored line row, if they have one.
func (l *walkLine) row(attendee int64) (LineRow, bool) {
	if l == nil {
		return LineRow{}, false
	}
	if seq, ok := l.seqs[attendee]; ok {
		return LineRow{AttendeeID: attendee, Seq: seq, State: lineWaiting}, true
	}
	if k := l.call(attendee); k >= 0 {
		return LineRow{AttendeeID: attendee, Seq: l.calls[k].seq, State: lineCalled, CalledUntil: l.calls[k].until}, true
	}
	if d, ok := l.done[attendee]; ok {
		return LineRow{AttendeeID: attendee, Seq: d.seq, State: d.state}, true
	}
	return LineRow{}, false
}

// overflowFree is how many more the session's overflow rooms can take.
func (s *seat) overflowFree() int {
	n := 0
	for _, o := range s.overflow {
		n += max(o.capacity-o.admitted, 0)
	}
	return n
}

// lineFree is how many seats can still be called: the walk-up seats of the
// room and its overflow rooms, less the seats running calls keep.
func (s *seat) lineFree() int {
	n := max(s.walkupFree(), 0) + s.overflowFree()
	if s.line != nil {
		n -= len(s.line.calls)
	}
	return max(n, 0)
}

// touchLine records that attendee's line row of session i may change.
func (b *builder) touchLine(i int32, attendee int64) {
	k := rowKey{i, attendee}
	if _, ok := b.line[k]; !ok {
		_, had := b.st.seats[i].line.row(attendee)
		b.line[k] = had
	}
}

// finishLine turns the touched line rows into the batch's net changes.
func (b *builder) finishLine() {
	for k, had := range b.line {
		s := &b.st.seats[k.seat]
		r, ok := s.line.row(k.attendee)
		switch {
		case ok:
			r.SessionID = s.s.ID
			b.b.Line = append(b.b.Line, r)
		case had:
			b.b.LineDel = append(b.b.LineDel, KeyRow{s.s.ID, k.attendee})
		}
	}
}

// joinLine puts attendee at the end of session i's line: from the app
// (byStaff 0) or by door staff byStaff, who add someone standing at the door.
func (b *builder) joinLine(attendee int64, i int32, byStaff int64) (lanyard.LineStatus, error) {
	st := b.st
	s := &st.seats[i]
	p := st.person(attendee)
	command := "line_join"
	if byStaff != 0 {
		command = "line_add"
	}
	refuse := func(err *lanyard.Error) (lanyard.LineStatus, error) {
		b.log(attendee, command, i, lanyard.OutcomeRefused, err.Code)
		return lanyard.LineStatus{}, err
	}
	if s.line.active(attendee) {
		out := st.lineStatus(i, attendee)
		out.Already = true
		return out, nil
	}
	if p.wasAdmitted(i) {
		return refuse(lanyard.Errorf(lanyard.EAlreadyInside, "You were already admitted to %s.", s.s.Code))
	}
	if !s.s.Reservable || !s.s.Scheduled() || s.s.Cancelled {
		return refuse(lanyard.Errorf(lanyard.ENotReservable, "%s takes no reservations and has no walk-up line; walk up at the door.", s.s.Code))
	}
	if p.holds(i) && !s.released {
		return refuse(lanyard.Errorf(lanyard.ECONFLICT, "You hold a seat in %s: scan in at the door, no need to line up.", s.s.Code))
	}
	if byStaff != 0 {
		b.releaseIfDue(i)
		if err := st.doorOpen(i, b.now); err != nil {
			return refuse(err)
		}
	} else {
		opens := s.s.Start.Add(-time.Duration(st.settings.LineOpens()) * time.Minute)
		switch {
		case b.now.Before(opens):
			return refuse(lanyard.Errorf(lanyard.ELineNotOpen, "The walk-up line of %s opens at %s, %d minutes before its start.",
				s.s.Code, st.local(opens), st.settings.LineOpens()))
		case !b.now.Before(s.s.Start):
			return refuse(lanyard.Errorf(lanyard.ELineNotOpen, "%s has started; its walk-up line is closed. The door staff can still add you.", s.s.Code))
		}
		if !s.released && s.seatsLeft() > 0 && st.changesOpen(i, b.now) == nil {
			return refuse(lanyard.Errorf(lanyard.ECONFLICT, "%s has %d free seats: reserve one instead of lining up.", s.s.Code, s.seatsLeft()))
		}
	}
	// One line per time slot: an attendee stands in one line at a time.
	for _, j := range slices.Clone(p.lines) {
		if j == i || !st.seats[j].line.active(attendee) || !st.seats[j].s.Overlaps(s.s) {
			continue
		}
		if byStaff == 0 {
			o := st.seats[j].s
			return refuse(lanyard.Errorf(lanyard.ELineSlotTaken, "You are in the walk-up line of %s (%s–%s); leave it to join this one.",
				o.Code, st.local(o.Start), st.clock(o.End)))
		}
		// They stand at this door: their place in the other line goes.
		b.dropFromLine(attendee, j, "moved")
	}
	l := s.lineOf()
	b.touchLine(i, attendee)
	detail := ""
	if byStaff != 0 {
		detail = "staff=" + strconv.FormatInt(byStaff, 10)
	}
	b.log(attendee, command, i, lanyard.OutcomeInLine, detail)
	delete(l.done, attendee) // a lapsed call's attendee may line up again, at the end
	l.waiting = append(l.waiting, lineEntry{attendee, st.seq})
	l.seqs[attendee] = st.seq
	if !slices.Contains(p.lines, i) {
		p.lines = append(p.lines, i)
	}
	b.callLine(i)
	return st.lineStatus(i, attendee), nil
}

// leaveLine takes attendee out of session i's line; a running call they
// give up goes to the next in line.
func (b *builder) leaveLine(attendee int64, i int32) (lanyard.LineStatus, error) {
	s := &b.st.seats[i]
	if !s.line.active(attendee) {
		return lanyard.LineStatus{}, lanyard.Errorf(lanyard.ENOTFOUND, "You are not in the walk-up line of %s.", s.s.Code)
	}
	b.dropFromLine(attendee, i, "")
	b.callLine(i)
	return lanyard.LineStatus{Session: s.s.Code, Outcome: lanyard.OutcomeLeftLine}, nil
}

// dropFromLine removes attendee (waiting or called) from session i's line,
// logging left_line with detail.
func (b *builder) dropFromLine(attendee int64, i int32, detail string) {
	s := &b.st.seats[i]
	l := s.line
	b.touchLine(i, attendee)
	if k := l.position(attendee); k > 0 {
		l.waiting = slices.Delete(l.waiting, k-1, k)
		delete(l.seqs, attendee)
	}
	if k := l.call(attendee); k >= 0 {
		l.calls = slices.Delete(l.calls, k, k+1)
	}
	p := b.st.person(attendee)
	p.lines = remove(p.lines, i)
	b.log(attendee, "line_leave", i, lanyard.OutcomeLeftLine, detail)
}

// leaveLineForSeat takes attendee out of session i's line when they get a
// reserved seat in it (a waitlist promotion): they need no call.
func (b *builder) leaveLineForSeat(attendee int64, i int32) {
	if l := b.st.seats[i].line; l.active(attendee) {
		b.dropFromLine(attendee, i, "reserved")
		b.callLine(i)
	}
}

// callLine calls waiting attendees of session i, in join order, while its
// released seats are not all kept for calls.
func (b *builder) callLine(i int32) {
	st := b.st
	s := &st.seats[i]
	l := s.line
	if l == nil || len(l.waiting) == 0 || !s.released || !b.now.Before(s.s.End) || s.s.Cancelled {
		return
	}
	until := b.now.Add(time.Duration(st.settings.Call()) * time.Minute)
	for n := s.lineFree(); n > 0 && len(l.waiting) > 0; n-- {
		e := l.waiting[0]
		b.touchLine(i, e.attendee)
		l.waiting = l.waiting[1:]
		delete(l.seqs, e.attendee)
		l.calls = append(l.calls, lineCall{e.attendee, e.seq, until})
		b.log(e.attendee, "line_call", i, lanyard.OutcomeCalled, until.UTC().Format(time.RFC3339))
		b.b.Messages = append(b.b.Messages, Message{AttendeeID: e.attendee, Kind: lanyard.KindLineCalled, SessionID: s.s.ID,
			Params: map[string]string{"code": s.s.Code, "title": s.s.Title, "room": s.s.Room,
				"until": until.UTC().Format(time.RFC3339), "minutes": strconv.Itoa(st.settings.Call())}})
	}
}

// expireCalls ends the calls of session i that lapsed, then calls the next.
func (b *builder) expireCalls(i int32) {
	l := b.st.seats[i].line
	if l == nil {
		return
	}
	var lapsed []lineCall
	for _, c := range l.calls {
		if !b.now.Before(c.until) {
			lapsed = append(lapsed, c)
			b.touchLine(i, c.attendee) // while the call is in the state, so its row is known to exist
		}
	}
	if len(lapsed) > 0 {
		l.calls = slices.DeleteFunc(l.calls, func(c lineCall) bool { return !b.now.Before(c.until) })
	}
	for _, c := range lapsed {
		// The session stays in the attendee's lines, to show the lapsed call.
		l.done[c.attendee] = lineDone{lineExpired, c.seq}
		b.log(c.attendee, "line_expire", i, lanyard.OutcomeExpired, "")
	}
	b.callLine(i)
}

// lineDue does session i's line work whose time has come, so that the
// door never answers by a call that lapsed or one not yet made.
func (b *builder) lineDue(i int32) {
	if b.st.seats[i].line != nil {
		b.expireCalls(i)
	}
}

// lineGate decides a walk-up's admission by session i's line: called says
// attendee holds a running call (now answered: the call ends as admitted),
// keep is how many seats running calls keep from an uncalled walk-up, and
// err refuses an uncalled walk-up while others wait.
func (b *builder) lineGate(attendee int64, i int32) (called bool, keep int, err *lanyard.Error) {
	s := &b.st.seats[i]
	l := s.line
	if l == nil {
		return false, 0, nil
	}
	if k := l.call(attendee); k >= 0 {
		return true, 0, nil
	}
	if len(l.waiting) > 0 {
		return false, 0, lanyard.Errorf(lanyard.ENotCalled, "%d people wait in the walk-up line of %s and are called first; join the end of the line (door staff can add you).",
			len(l.waiting), s.s.Code)
	}
	return false, len(l.calls), nil
}

// answered ends attendee's running call of session i: they were admitted.
func (b *builder) answered(attendee int64, i int32) {
	l := b.st.seats[i].line
	k := l.call(attendee)
	if k < 0 {
		return
	}
	b.touchLine(i, attendee)
	l.done[attendee] = lineDone{lineAdmitted, l.calls[k].seq}
	l.calls = slices.Delete(l.calls, k, k+1)
}

// lineStatus is attendee's place in session i's line and their chance.
func (st *state) lineStatus(i int32, attendee int64) lanyard.LineStatus {
	s := &st.seats[i]
	out := lanyard.LineStatus{Session: s.s.Code, Outcome: lanyard.OutcomeLeftLine, Title: s.s.Title, Venue: s.s.Venue, Room: s.s.Room, Start: s.s.Start}
	r, ok := s.line.row(attendee)
	if !ok {
		return out
	}
	switch r.State {
	case lineWaiting:
		out.Outcome = lanyard.OutcomeInLine
		out.Position = s.line.position(attendee)
		out.Chance = chance(s.expectedSeats(), out.Position)
	case lineCalled:
		out.Outcome, out.CalledUntil, out.Chance = lanyard.OutcomeCalled, r.CalledUntil, 1
	case lineExpired:
		out.Outcome = lanyard.OutcomeExpired
	case lineAdmitted:
		out.Outcome, out.Chance = lanyard.OutcomeCheckedIn, 1
	}
	return out
}

// expectedSeats is how many seats the line can expect from now on: before
// the release, the walk-up seats held back and a share of the reservations
// not yet claimed at the door; after it, the seats not kept for calls and
// a share of the running calls (some lapse).
func (s *seat) expectedSeats() float64 {
	calls := 0
	if s.line != nil {
		calls = len(s.line.calls)
	}
	if s.released {
		return float64(s.lineFree()) + noShowRate*float64(calls)
	}
	return float64(max(s.walkupFree(), 0)+s.overflowFree()) + noShowRate*float64(max(s.taken-s.checkedIn, 0))
}

// chance is the estimated probability that place pos is called when
// expected seats come: 1 within them, falling off beyond, in hundredths.
func chance(expected float64, pos int) float64 {
	if pos <= 0 {
		return 0
	}
	c := min(expected/float64(pos), 1)
	return math.Round(c*100) / 100
}

// lines is every line attendee is or was in, by session start.
func (st *state) lines(attendee int64) []lanyard.LineStatus {
	out := []lanyard.LineStatus{}
	p, ok := st.people[attendee]
	if !ok {
		return out
	}
	for _, i := range p.lines {
		out = append(out, st.lineStatus(i, attendee))
	}
	slices.SortFunc(out, func(a, b lanyard.LineStatus) int { return a.Start.Compare(b.Start) })
	return out
}

// line runs a line command on one session.
func (e *Engine) line(ctx context.Context, caller int64, idemKey, req, code string, fn func(b *builder, i int32) (lanyard.LineStatus, error)) (lanyard.LineStatus, error) {
	return as[lanyard.LineStatus](e.do(ctx, caller, idemKey, req, func(b *builder) (any, error) {
		i, err := b.st.session(code)
		if err != nil {
			return nil, err
		}
		b.releaseIfDue(i)
		b.lineDue(i)
		return fn(b, i)
	}))
}

// JoinLine puts the attendee at the end of a full session's walk-up line.
// Returns ELineNotOpen outside LineOpensMinutes before the start,
// ELineSlotTaken while in the line of an overlapping session, ECONFLICT
// for a session with free seats or one the attendee holds.
func (e *Engine) JoinLine(ctx context.Context, attendee int64, code, idemKey string) (lanyard.LineStatus, error) {
	return e.line(ctx, attendee, idemKey, request("line_join", code), code, func(b *builder, i int32) (lanyard.LineStatus, error) {
		return b.joinLine(attendee, i, 0)
	})
}

// LeaveLine takes the attendee out of a session's walk-up line (a running
// call goes to the next). Returns ENOTFOUND if not in it.
func (e *Engine) LeaveLine(ctx context.Context, attendee int64, code, idemKey string) (lanyard.LineStatus, error) {
	return e.line(ctx, attendee, idemKey, request("line_leave", code), code, func(b *builder, i int32) (lanyard.LineStatus, error) {
		return b.leaveLine(attendee, i)
	})
}

// AddToLine puts an attendee standing at the door at the end of the
// session's line; caller is the staff member. Their place in an
// overlapping session's line goes.
func (e *Engine) AddToLine(ctx context.Context, caller, attendee int64, code, idemKey string) (lanyard.LineStatus, error) {
	return e.line(ctx, caller, idemKey, request("line_add", attendee, code), code, func(b *builder, i int32) (lanyard.LineStatus, error) {
		return b.joinLine(attendee, i, caller)
	})
}

// Lines returns the attendee's walk-up lines (waiting, called, lapsed or
// admitted), by session start, as of the last commit.
func (e *Engine) Lines(ctx context.Context, attendee int64) ([]lanyard.LineStatus, error) {
	var out []lanyard.LineStatus
	err := e.read(ctx, func(st *state) { out = st.lines(attendee) })
	return out, err
}

// LineLength returns how many wait in a session's line and how many calls
// run, for door staff. Returns ENOTFOUND for an unknown code.
func (e *Engine) LineLength(ctx context.Context, code string) (waiting, called int, err error) {
	err = e.read(ctx, func(st *state) {
		i, ok := st.byCode[code]
		if !ok {
			err = lanyard.Errorf(lanyard.ENOTFOUND, "No session %q.", code)
			return
		}
		if l := st.seats[i].line; l != nil {
			waiting, called = len(l.waiting), len(l.calls)
		}
	})
	return waiting, called, err
}

// Clock returns the engine's time: a page deciding whether a line is open
// asks it, so that it agrees with the engine's rules (tests set the clock).
func (e *Engine) Clock() time.Time { return e.now() }

// loadLine rebuilds the lines from their stored rows, in seq order.
func (st *state) loadLine(rows []LineRow, idx func(int64) (int32, error)) error {
	for _, r := range rows {
		i, err := idx(r.SessionID)
		if err != nil {
			return err
		}
		l := st.seats[i].lineOf()
		switch r.State {
		case lineWaiting:
			l.waiting = append(l.waiting, lineEntry{r.AttendeeID, r.Seq})
			l.seqs[r.AttendeeID] = r.Seq
		case lineCalled:
			l.calls = append(l.calls, lineCall{r.AttendeeID, r.Seq, r.CalledUntil.UTC()})
		case lineExpired, lineAdmitted:
			l.done[r.AttendeeID] = lineDone{r.State, r.Seq}
		default:
			return fmt.Errorf("reserve: line row of session %d has state %q", r.SessionID, r.State)
		}
		p := st.person(r.AttendeeID)
		if !slices.Contains(p.lines, i) {
			p.lines = append(p.lines, i)
		}
	}
	return nil
}
