package reserve_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// lineStep is one command of a walk-up line story and the code it answers.
type lineStep struct {
	who  int
	op   string // clock, join, leave, add, checkin, walkup, tick, reserve, overflow
	arg  string // a session, or the clock's offset from S's start
	want string // an outcome or an error code
	pos  int    // for join/add: the place expected (0: not checked)
}

func (s lineStep) run(t *testing.T, e *reserve.Engine, f *fixture) {
	t.Helper()
	ctx := context.Background()
	id := f.people[s.who]
	var got string
	var st lanyard.LineStatus
	var err error
	switch s.op {
	case "clock":
		ss, _ := f.cat.Session("S")
		d, perr := time.ParseDuration(s.arg)
		if perr != nil {
			t.Fatal(perr)
		}
		f.clock.Set(ss.Start.Add(d))
		return
	case "tick":
		if err := e.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		return
	case "overflow":
		if err := e.AddOverflow(ctx, s.arg, "venetian", "Overflow"); err != nil {
			t.Fatal(err)
		}
		return
	case "join":
		st, err = e.JoinLine(ctx, id, s.arg, "")
		got = st.Outcome
	case "leave":
		st, err = e.LeaveLine(ctx, id, s.arg, "")
		got = st.Outcome
	case "add":
		st, err = e.AddToLine(ctx, 999, id, s.arg, "")
		got = st.Outcome
	case "reserve":
		var rs []lanyard.SeatResult
		if rs, err = e.Reserve(ctx, id, []string{s.arg}, false, ""); err == nil {
			got = resultCode(rs[0])
		}
	case "checkin", "walkup":
		var r lanyard.SeatResult
		if s.op == "checkin" {
			r, err = e.CheckIn(ctx, 0, id, s.arg, "")
		} else {
			r, err = e.AdmitWalkup(ctx, 0, id, s.arg, "")
		}
		got = resultCode(r)
	default:
		t.Fatalf("unknown op %q", s.op)
	}
	if err != nil && (got == "" || got == lanyard.OutcomeRefused) {
		got = codeOf(err)
	}
	if got != s.want {
		t.Fatalf("P%d %s %s: %s (%v), want %s", s.who, s.op, s.arg, got, err, s.want)
	}
	if s.pos != 0 && st.Position != s.pos {
		t.Fatalf("P%d %s %s: place %d, want %d", s.who, s.op, s.arg, st.Position, s.pos)
	}
}

// lineOf returns attendee who's status in code's line.
func lineOf(t *testing.T, e *reserve.Engine, who int64, code string) lanyard.LineStatus {
	t.Helper()
	ls, err := e.Lines(context.Background(), who)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if l.Session == code {
			return l
		}
	}
	return lanyard.LineStatus{Session: code}
}

// The walk-up line's story: joins in the line's window, one line per slot,
// the release calling the first, a lapsed call going to the next, the door
// admitting only the called, an overflow room calling more, and every place
// surviving a restart.
func TestWalkupLine(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 8)
		e := f.open(t, nil)
		f.openWindows(t, e)
		// T (overlapping S) is full by a 100% holdback; S (2 seats) by P0 and P1.
		if err := e.SetHoldback(ctx, lanyard.TypeSession, 100); err != nil {
			t.Fatal(err)
		}
		for _, s := range []lineStep{
			{0, "reserve", "S", "reserved", 0},
			{1, "reserve", "S", "reserved", 0},
			{2, "clock", "-61m", "", 0},
			{2, "join", "S", lanyard.ELineNotOpen, 0},
			{2, "clock", "-60m", "", 0},
			{2, "join", "S", "in_line", 1},
			{3, "join", "S", "in_line", 2},
			{4, "join", "S", "in_line", 3},
			{0, "join", "S", lanyard.ECONFLICT, 0},      // holds a seat
			{2, "clock", "-25m", "", 0},                 // T's line opened at S-30m
			{2, "join", "T", lanyard.ELineSlotTaken, 0}, // in S's line, which T overlaps
			{5, "join", "T", "in_line", 1},              // T is full by its holdback
			{4, "leave", "S", "left_line", 0},           // and back, at the end
			{4, "join", "S", "in_line", 3},              //
			{4, "leave", "K", lanyard.ENOTFOUND, 0},     // never joined
			{5, "clock", "-20m", "", 0},                 // the door is open
			{5, "walkup", "S", lanyard.ENotCalled, 0},   // three wait
			{0, "checkin", "S", "checked_in", 0},        // a reserved seat is claimed
			{0, "clock", "-10m", "", 0},                 // release: P1's unclaimed seat…
			{0, "tick", "", "", 0},                      // …goes to P2
			{3, "walkup", "S", lanyard.ENotCalled, 0},   // P3 was not called
			{1, "checkin", "S", lanyard.ENotCalled, 0},  // P1's seat was released to the line
			{0, "clock", "-4m", "", 0},                  // P2's call lapsed…
			{0, "tick", "", "", 0},                      // …and P3 is called
			{2, "checkin", "S", lanyard.ENotCalled, 0},  // too late
			{3, "checkin", "S", "walkup", 0},            // answered the call
			{0, "overflow", "S", "", 0},                 // 3 more seats next door…
			{0, "tick", "", "", 0},                      // …call P4
			{6, "add", "S", "called", 0},                // staff add: nobody waits and seats are free
			{7, "walkup", "S", "overflow", 0},           // one seat left beyond the two calls
			{2, "walkup", "S", lanyard.ESessionFull, 0}, // the last seats are the calls'
		} {
			s.run(t, e, f)
		}
		p := f.people
		check := func(e *reserve.Engine, when string) {
			t.Helper()
			for _, c := range []struct {
				who     int64
				code    string
				outcome string
			}{{p[2], "S", "expired"}, {p[3], "S", "checked_in"}, {p[4], "S", "called"}, {p[6], "S", "called"}, {p[5], "T", "in_line"}} {
				if got := lineOf(t, e, c.who, c.code); got.Outcome != c.outcome {
					t.Errorf("%s: %d in %s's line: %+v, want %s", when, c.who, c.code, got, c.outcome)
				}
			}
			if got := lineOf(t, e, p[4], "S"); !got.CalledUntil.Equal(f.clock.Now().Add(5*time.Minute)) || got.Chance != 1 {
				t.Errorf("%s: P4's call %+v, want until now+5m", when, got)
			}
		}
		check(e, "before restart")
		// Every call wrote a message in its batch.
		msgs, err := db.Messages(ctx, f.cat.Event.ID)
		if err != nil {
			t.Fatal(err)
		}
		called := map[int64]int{}
		for _, m := range msgs {
			if m.Kind == lanyard.KindLineCalled {
				called[m.AttendeeID]++
				if m.Params["code"] != "S" || m.Params["until"] == "" || m.Params["room"] != "Two" {
					t.Errorf("line_called params %v", m.Params)
				}
			}
		}
		for _, who := range []int64{p[2], p[3], p[4], p[6]} {
			if called[who] != 1 {
				t.Errorf("attendee %d got %d line_called messages, want 1", who, called[who])
			}
		}
		e.Close()
		check(f.open(t, nil), "after restart")
	})
}

// Before the release the chance counts the seats held back and a share of
// the unclaimed reservations; a retried join answers the same.
func TestLineChanceAndRetry(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 14)
		e := f.open(t, nil)
		f.openWindows(t, e)
		if err := e.SetHoldback(ctx, lanyard.TypeSession, 20); err != nil { // D: 10 seats, 8 reservable, 2 held back
			t.Fatal(err)
		}
		for k := range 8 {
			step{k, "reserve", []string{"D"}, "reserved"}.run(t, e, f)
		}
		step{0, "clock", []string{"D", "-50m"}, ""}.run(t, e, f)
		var last lanyard.LineStatus
		for k := 8; k < 14; k++ {
			st, err := e.JoinLine(ctx, f.people[k], "D", "key-1")
			if err != nil {
				t.Fatal(err)
			}
			last = st
		}
		// 2 held back + 0.3 × 8 unclaimed = 4.4 expected seats, for place 6.
		if last.Position != 6 || last.Chance != 0.73 {
			t.Errorf("last in line: %+v, want place 6, chance 0.73", last)
		}
		if first := lineOf(t, e, f.people[8], "D"); first.Chance != 1 || first.Position != 1 {
			t.Errorf("first in line: %+v, want chance 1", first)
		}
		again, err := e.JoinLine(ctx, f.people[13], "D", "key-1")
		if err != nil || again.Position != 6 {
			t.Errorf("retried join: %+v, %v", again, err)
		}
		if _, err := e.JoinLine(ctx, f.people[13], "E", "key-1"); codeOf(err) != lanyard.EINVALID {
			t.Errorf("key reused for another session: %v, want invalid", err)
		}
		f.clock.Set(at(1, 15, 10)) // E's line is open, and it has free seats
		_, err = e.JoinLine(ctx, f.people[9], "E", "")
		if codeOf(err) != lanyard.ECONFLICT || !strings.Contains(err.Error(), "free seats") {
			t.Errorf("join a session with free seats: %v, want conflict", err)
		}
	})
}

// A cancelled ticket ends its holder's places in walk-up lines, and their
// running call goes to the next in line.
func TestCancelledTicketLeavesLines(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 4)
		e := f.open(t, nil)
		f.openWindows(t, e)
		for _, s := range []lineStep{
			{0, "reserve", "S", "reserved", 0},
			{1, "reserve", "S", "reserved", 0},
			{0, "clock", "-20m", "", 0},
			{2, "join", "S", "in_line", 1},
			{3, "join", "S", "in_line", 2},
			{0, "checkin", "S", "checked_in", 0},
			{0, "clock", "-10m", "", 0},
			{0, "tick", "", "", 0}, // P1's unclaimed seat: P2 is called
		} {
			s.run(t, e, f)
		}
		if _, err := e.CancelTicket(ctx, 0, f.people[2], ""); err != nil {
			t.Fatal(err)
		}
		if got := lineOf(t, e, f.people[2], "S"); got.Outcome != "" {
			t.Errorf("the cancelled ticket's place is still listed: %+v", got)
		}
		if got := lineOf(t, e, f.people[3], "S"); got.Outcome != lanyard.OutcomeCalled {
			t.Errorf("the next in line: %+v, want called", got)
		}
	})
}
