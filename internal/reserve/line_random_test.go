package reserve_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// TestRandomLineCommands drives walk-up lines with random joins, leaves,
// staff adds, check-ins, walk-ups, ticks and a clock that moves through the
// release and past lapsing calls, from many goroutines. Then it replays the
// audit log through a sequential model that checks, entry by entry, that no
// room or overflow room admitted more than its capacity, that every call
// went to the head of the line (join order among those still waiting),
// that no walk-up overtook a waiting line, and that every acknowledged
// change is logged; and that the store (LoadLedger) and a restarted engine
// hold exactly the lines the model ends with.
func TestRandomLineCommands(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const workers, perWorker, people = 8, 200, 30
		f := newFixture(t, db, people)
		e := f.open(t, nil)
		f.openWindows(t, e)
		// T is full by a 100% holdback; S and S2 (2 seats each) by P0–P3.
		if err := e.SetHoldback(ctx, lanyard.TypeSession, 100); err != nil {
			t.Fatal(err)
		}
		for k, code := range []string{"S", "S", "S2", "S2"} {
			if _, err := e.Reserve(ctx, f.people[k], []string{code}, false, ""); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.AddOverflow(ctx, "S", "venetian", "Overflow"); err != nil { // 3 more seats for S
			t.Fatal(err)
		}
		s, _ := f.cat.Session("S")
		f.clock.Set(s.Start.Add(-60 * time.Minute))
		end := s.Start.Add(70 * time.Minute)
		codes := []string{"S", "S2", "T"}

		var mu sync.Mutex
		var acks []ack
		var wg sync.WaitGroup
		seed := rand.Uint64()
		t.Logf("seed %d", seed)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(seed, uint64(w)))
				for range perWorker {
					who := f.people[r.IntN(people)]
					code := codes[r.IntN(len(codes))]
					var got []ack
					var err error
					switch op := r.IntN(20); {
					case op < 6:
						var st lanyard.LineStatus
						if st, err = e.JoinLine(ctx, who, code, ""); err == nil && !st.Already {
							got = append(got, ack{who, code, lanyard.OutcomeInLine})
						}
					case op < 8:
						var st lanyard.LineStatus
						if st, err = e.AddToLine(ctx, 1, who, code, ""); err == nil && !st.Already {
							got = append(got, ack{who, code, lanyard.OutcomeInLine})
						}
					case op < 10:
						if _, err = e.LeaveLine(ctx, who, code, ""); err == nil {
							got = append(got, ack{who, code, lanyard.OutcomeLeftLine})
						}
					case op < 14:
						var res lanyard.SeatResult
						if res, err = e.CheckIn(ctx, 1, who, code, ""); res.Error == nil && !res.Already && res.Outcome != "" {
							got = append(got, ack{who, code, res.Outcome})
						}
					case op < 16:
						var res lanyard.SeatResult
						if res, err = e.AdmitWalkup(ctx, 1, who, code, ""); res.Error == nil && !res.Already && res.Outcome != "" {
							got = append(got, ack{who, code, res.Outcome})
						}
					case op < 18:
						err = e.Tick(ctx)
					default:
						if f.clock.Now().Before(end) {
							f.clock.Add(time.Minute)
						}
					}
					if err != nil && (lanyard.ErrorCode(err) == lanyard.EINTERNAL || lanyard.ErrorCode(err) == lanyard.EUNAVAILABLE) {
						t.Errorf("command failed: %v", err)
						return
					}
					mu.Lock()
					acks = append(acks, got...)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()

		log, err := db.ReservationLog(ctx, f.cat.Event.ID)
		if err != nil {
			t.Fatal(err)
		}
		snap, err := db.LoadLedger(ctx, f.cat.Event.ID)
		if err != nil {
			t.Fatal(err)
		}
		m := replayLines(t, f, log)
		calls := 0
		for _, l := range log {
			if l.Outcome == lanyard.OutcomeCalled {
				calls++
			}
		}
		if calls == 0 {
			t.Errorf("nobody was called: the test exercised no calls")
		}

		// The store holds the model's lines, waiting ones in join order.
		stored := map[int64]*lineModel{}
		for _, r := range snap.Line {
			lm := stored[r.SessionID]
			if lm == nil {
				lm = newLineModel()
				stored[r.SessionID] = lm
			}
			switch r.State {
			case "waiting":
				lm.waiting = append(lm.waiting, r.AttendeeID)
			default:
				lm.state[r.AttendeeID] = r.State
			}
		}
		for sid, lm := range m.lines {
			st := stored[sid]
			if st == nil {
				st = newLineModel()
			}
			if !slices.Equal(st.waiting, lm.waiting) {
				t.Errorf("%s: stored line %v, log replay %v", m.code[sid], st.waiting, lm.waiting)
			}
			for who, state := range lm.state {
				if st.state[who] != state {
					t.Errorf("%s: attendee %d stored %q, log replay %q", m.code[sid], who, st.state[who], state)
				}
			}
			if len(st.state) != len(lm.state) {
				t.Errorf("%s: stored %d ended or called places, log replay %d", m.code[sid], len(st.state), len(lm.state))
			}
		}
		// A restarted engine agrees, place by place.
		e.Close()
		e2 := f.open(t, nil)
		for sid, lm := range m.lines {
			code := m.code[sid]
			for k, who := range lm.waiting {
				if got := lineOf(t, e2, who, code); got.Outcome != lanyard.OutcomeInLine || got.Position != k+1 {
					t.Errorf("after restart, %d in %s's line: %+v, want place %d", who, code, got, k+1)
				}
			}
			for who, state := range lm.state {
				want := map[string]string{"called": lanyard.OutcomeCalled, "expired": lanyard.OutcomeExpired, "admitted": lanyard.OutcomeCheckedIn}[state]
				if got := lineOf(t, e2, who, code); got.Outcome != want {
					t.Errorf("after restart, %d in %s's line: %+v, want %s", who, code, got, want)
				}
			}
		}
		// Every acknowledged change is in the log, as often as acknowledged.
		logged := map[ack]int{}
		for _, l := range log {
			if l.AttendeeID != 0 && l.SessionID != 0 {
				logged[ack{l.AttendeeID, m.code[l.SessionID], l.Outcome}]++
			}
		}
		for _, a := range acks {
			if logged[a] == 0 {
				t.Fatalf("acknowledged %+v is not in the audit log", a)
			}
			logged[a]--
		}
		t.Logf("%d changes acknowledged, %d log rows, %d calls", len(acks), len(log), calls)
	})
}

// lineModel is one session's line as the log tells it.
type lineModel struct {
	waiting []int64          // in join order
	state   map[int64]string // called, expired, admitted
}

func newLineModel() *lineModel { return &lineModel{state: map[int64]string{}} }

type linesModel struct {
	lines map[int64]*lineModel
	code  map[int64]string
}

// replayLines applies the log in order, failing at the first entry that
// breaks a rule of the line or a room's capacity.
func replayLines(t *testing.T, f *fixture, log []reserve.LogRow) *linesModel {
	t.Helper()
	m := &linesModel{lines: map[int64]*lineModel{}, code: map[int64]string{}}
	capacity, room := map[int64]int{}, map[int64]int{}
	overflowCap, overflow := map[int64]int{}, map[int64]int{}
	for _, s := range f.cat.Sessions() {
		m.code[s.ID] = s.Code
		m.lines[s.ID] = newLineModel()
		capacity[s.ID] = s.Capacity
		if s.Code == "S" {
			overflowCap[s.ID] = 3
		}
	}
	for _, l := range log {
		sid, who := l.SessionID, l.AttendeeID
		lm := m.lines[sid]
		fail := func(why string) { t.Fatalf("log seq %d %+v: %s", l.Seq, l, why) }
		switch l.Outcome {
		case lanyard.OutcomeInLine:
			if slices.Contains(lm.waiting, who) || lm.state[who] == "called" {
				fail("joined a line twice")
			}
			delete(lm.state, who)
			lm.waiting = append(lm.waiting, who)
		case lanyard.OutcomeLeftLine:
			switch {
			case slices.Contains(lm.waiting, who):
				lm.waiting = slices.DeleteFunc(lm.waiting, func(a int64) bool { return a == who })
			case lm.state[who] == "called":
				delete(lm.state, who)
			default:
				fail("left a line not joined")
			}
		case lanyard.OutcomeCalled:
			if len(lm.waiting) == 0 || lm.waiting[0] != who {
				fail(fmt.Sprintf("called out of order: the line is %v", lm.waiting))
			}
			lm.waiting = lm.waiting[1:]
			lm.state[who] = "called"
		case lanyard.OutcomeExpired:
			if lm.state[who] != "called" {
				fail("a call lapsed that was not made")
			}
			lm.state[who] = "expired"
		case lanyard.OutcomeWalkup, lanyard.OutcomeOverflow:
			if lm.state[who] == "called" {
				lm.state[who] = "admitted"
			} else if len(lm.waiting) > 0 {
				fail(fmt.Sprintf("an uncalled walk-up overtook the line %v", lm.waiting))
			}
			if l.Outcome == lanyard.OutcomeWalkup {
				room[sid]++
			} else {
				overflow[sid]++
			}
		case lanyard.OutcomeCheckedIn:
			room[sid]++
		}
		if room[sid] > capacity[sid] || overflow[sid] > overflowCap[sid] {
			fail(fmt.Sprintf("over capacity: room %d/%d, overflow %d/%d", room[sid], capacity[sid], overflow[sid], overflowCap[sid]))
		}
	}
	return m
}
