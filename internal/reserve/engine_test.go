package reserve_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// 50 attendees rush a 10-seat session: exactly 10 get a seat.
func TestRushNeverOverbooks(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, 50)
		e := f.open(t, nil)
		f.openWindows(t, e)
		var reserved, full atomic.Int32
		var wg sync.WaitGroup
		for _, id := range f.people {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rs, err := e.Reserve(context.Background(), id, []string{"A-R1"}, false, "")
				switch {
				case err != nil:
					t.Error(err)
				case rs[0].Outcome == lanyard.OutcomeReserved:
					reserved.Add(1)
				case rs[0].Error != nil && rs[0].Error.Code == lanyard.ESessionFull:
					full.Add(1)
				default:
					t.Errorf("unexpected result %+v", rs[0])
				}
			}()
		}
		wg.Wait()
		if reserved.Load() != 10 || full.Load() != 40 {
			t.Fatalf("%d reserved and %d full, want 10 and 40", reserved.Load(), full.Load())
		}
		c, _ := e.Seats("A-R1")
		if c.Taken != 10 || c.SeatsLeft != 0 {
			t.Fatalf("seats %+v", c)
		}
		snap, err := db.LoadLedger(context.Background(), f.cat.Event.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(snap.Reservations); got != 10 {
			t.Fatalf("store has %d active reservations, want 10", got)
		}
	})
}

// failingStore makes commits fail on demand, to test the undo path.
type failingStore struct {
	reserve.Store
	fail atomic.Bool
}

func (s *failingStore) CommitBatch(ctx context.Context, b *reserve.Batch) error {
	if s.fail.Load() {
		return errors.New("disk on fire")
	}
	return s.Store.CommitBatch(ctx, b)
}

func TestFailedCommitUndoes(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 3)
		fs := &failingStore{Store: db}
		e := f.open(t, fs)
		f.openWindows(t, e)
		if _, err := e.Reserve(ctx, f.people[0], []string{"S"}, false, ""); err != nil {
			t.Fatal(err)
		}
		fs.fail.Store(true)
		if _, err := e.Reserve(ctx, f.people[1], []string{"S"}, false, ""); err == nil {
			t.Fatal("reserve acknowledged although its commit failed")
		}
		if _, err := e.Cancel(ctx, f.people[0], "S", ""); err == nil {
			t.Fatal("cancel acknowledged although its commit failed")
		}
		fs.fail.Store(false)
		c, _ := e.Seats("S")
		if c.Taken != 1 {
			t.Fatalf("taken=%d after failed commits, want 1", c.Taken)
		}
		ag, err := e.Agenda(ctx, f.people[1])
		if err != nil {
			t.Fatal(err)
		}
		if len(ag.Reservations) != 0 {
			t.Fatalf("a failed reserve left %v in the agenda", ag.Reservations)
		}
		ag, _ = e.Agenda(ctx, f.people[0])
		if len(ag.Reservations) != 1 {
			t.Fatalf("a failed cancel removed the seat: %v", ag.Reservations)
		}
		// The engine carries on: both seats can be taken.
		for _, p := range f.people[1:] {
			rs, err := e.Reserve(ctx, p, []string{"S"}, false, "")
			if err != nil {
				t.Fatal(err)
			}
			if p == f.people[1] && rs[0].Outcome != lanyard.OutcomeReserved {
				t.Fatalf("after recovery: %+v", rs[0])
			}
		}
	})
}

func TestRestartRebuilds(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 4)
		e := f.open(t, nil)
		f.openWindows(t, e)
		steps := []step{
			{0, "reserve", []string{"S"}, "reserved"},
			{1, "reserve", []string{"S"}, "reserved"},
			{2, "wait", []string{"S"}, "waitlisted"},
			{3, "wait", []string{"S"}, "waitlisted"},
			{0, "reserve", []string{"A-R1"}, "reserved"},
			{0, "clock", []string{"A-R1", "-20m"}, ""}, // the door is open
			{0, "checkin", []string{"A-R1"}, "checked_in"},
		}
		for _, s := range steps {
			s.run(t, e, f)
		}
		if err := e.SetHoldback(ctx, lanyard.TypeKeynote, 20); err != nil {
			t.Fatal(err)
		}
		before := map[int64]*lanyard.Agenda{}
		for _, p := range f.people {
			before[p], _ = e.Agenda(ctx, p)
		}
		e.Close()

		e2 := f.open(t, nil)
		for _, p := range f.people {
			after, err := e2.Agenda(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(after) != fmt.Sprint(before[p]) {
				t.Fatalf("attendee %d: agenda %v after restart, %v before", p, after, before[p])
			}
		}
		if c, _ := e2.Seats("K"); c.Reservable != 80 {
			t.Fatalf("keynote reservable %d after restart, want 80 (20%% holdback)", c.Reservable)
		}
		// The rules still hold: the waitlist order survived.
		for _, s := range []step{
			{0, "cancel", []string{"S"}, "cancelled"},
			{2, "reserve", []string{"S"}, "reserved"}, // promoted first
			{3, "wait", []string{"S"}, "waitlisted"},
			{0, "checkin", []string{"A-R1"}, "checked_in"},
		} {
			s.run(t, e2, f)
		}
	})
}

func TestIdempotencyKey(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 2)
		e := f.open(t, nil)
		f.openWindows(t, e)
		first, err := e.Reserve(ctx, f.people[0], []string{"S"}, false, "key-1")
		if err != nil {
			t.Fatal(err)
		}
		// A cancel in between: a retry of the reserve must still get its first answer, not a new seat.
		if _, err := e.Cancel(ctx, f.people[0], "S", ""); err != nil {
			t.Fatal(err)
		}
		again, err := e.Reserve(ctx, f.people[0], []string{"S"}, false, "key-1")
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(first) != fmt.Sprint(again) {
			t.Fatalf("retry answered %v, first %v", again, first)
		}
		if c, _ := e.Seats("S"); c.Taken != 0 {
			t.Fatalf("retry took a seat: taken=%d", c.Taken)
		}
		if _, err := e.Reserve(ctx, f.people[0], []string{"S2"}, false, "key-1"); codeOf(err) != lanyard.EINVALID {
			t.Fatalf("key reused for another request: err=%v, want EINVALID", err)
		}
		// Keys are per attendee.
		other, err := e.Reserve(ctx, f.people[1], []string{"S"}, false, "key-1")
		if err != nil || other[0].Outcome != lanyard.OutcomeReserved {
			t.Fatalf("another attendee's key-1: %v %v", other, err)
		}
		e.Close()
		e2 := f.open(t, nil)
		after, err := e2.Reserve(ctx, f.people[0], []string{"S"}, false, "key-1")
		if err != nil || fmt.Sprint(after) != fmt.Sprint(first) {
			t.Fatalf("after restart the retry answered %v (%v), first %v", after, err, first)
		}
	})
}

func TestWaveGoesToWaitlistFirst(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 6)
		e := f.open(t, nil)
		f.openWindows(t, e)
		// The keynote hall has 100 seats; 98 are withheld for a second chance tomorrow.
		release := f.clock.Now().Add(20 * time.Hour)
		if _, err := e.AddWave(ctx, 0, "", lanyard.Wave{Session: "K", Seats: 98, At: release}); err != nil {
			t.Fatal(err)
		}
		for _, s := range []step{
			{0, "reserve", []string{"K"}, "reserved"},
			{1, "reserve", []string{"K"}, "reserved"},
			{2, "reserve", []string{"K"}, "session_full"},
			{2, "wait", []string{"K"}, "waitlisted"},
			{3, "wait", []string{"K"}, "waitlisted"},
		} {
			s.run(t, e, f)
		}
		if err := e.Tick(ctx); err != nil { // not yet
			t.Fatal(err)
		}
		if c, _ := e.Seats("K"); c.Reservable != 2 || c.WaitlistLength != 2 {
			t.Fatalf("before the wave: %+v", c)
		}
		f.clock.Set(release)
		if err := e.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		c, _ := e.Seats("K")
		if c.Reservable != 100 || c.Taken != 4 || c.WaitlistLength != 0 {
			t.Fatalf("after the wave: %+v, want the 2 waiters promoted", c)
		}
		step{4, "reserve", []string{"K"}, "reserved"}.run(t, e, f)
		waves, _ := e.Waves(ctx)
		if len(waves) != 1 || !waves[0].Released {
			t.Fatalf("waves %+v", waves)
		}
	})
}

func TestFairOpeningPoolsTheFirstSeconds(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 20)
		e := f.open(t, nil)
		opens := f.clock.Now().Add(time.Hour)
		if _, err := e.AddWindow(ctx, 0, "", lanyard.Window{SessionType: lanyard.TypeChalk, Opens: opens, Closes: opens.Add(48 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		step{0, "reserve", []string{"S"}, "window_closed"}.run(t, e, f)
		f.clock.Set(opens.Add(time.Second)) // inside the default 5 fair seconds
		results := make(chan lanyard.SeatResult, len(f.people))
		var wg sync.WaitGroup
		for _, p := range f.people {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rs, err := e.Reserve(ctx, p, []string{"S"}, false, "")
				if err != nil {
					t.Error(err)
					return
				}
				results <- rs[0]
			}()
		}
		// Every request is pooled: none is answered before the draw.
		deadline := time.Now().Add(5 * time.Second)
		for {
			if err := e.Tick(ctx); err != nil {
				t.Fatal(err)
			}
			if len(results) > 0 {
				t.Fatalf("a request was answered before the fair interval ended: %+v", <-results)
			}
			if e.PooledForTest() == len(f.people) || time.Now().After(deadline) {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		f.clock.Set(opens.Add(6 * time.Second))
		if err := e.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		close(results)
		reserved := 0
		for r := range results {
			if r.Outcome == lanyard.OutcomeReserved {
				reserved++
			}
		}
		if reserved != 2 {
			t.Fatalf("%d reserved, want the 2 seats", reserved)
		}
		log, err := db.ReservationLog(ctx, f.cat.Event.ID)
		if err != nil {
			t.Fatal(err)
		}
		draws := slices.IndexFunc(log, func(l reserve.LogRow) bool { return l.Command == "fair_draw" })
		if draws < 0 {
			t.Fatal("no fair_draw with its seed in the audit log")
		}
		if want := fmt.Sprintf("requests=%d seed=", len(f.people)); !strings.Contains(log[draws].Detail, want) {
			t.Fatalf("draw detail %q, want %q", log[draws].Detail, want)
		}
	})
}

func TestReleaseUnclaimedAtStart(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 4)
		e := f.open(t, nil)
		f.openWindows(t, e)
		for _, s := range []step{
			{0, "reserve", []string{"S"}, "reserved"},
			{1, "reserve", []string{"S"}, "reserved"},
			{0, "clock", []string{"S", "-20m"}, ""}, // the door is open
			{0, "checkin", []string{"S"}, "checked_in"},
			{2, "walkup", []string{"S"}, "session_full"}, // both seats held for reservations
		} {
			s.run(t, e, f)
		}
		f.clock.Set(at(3, 8, 50)) // 10 minutes before S
		if err := e.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		for _, s := range []step{
			{2, "walkup", []string{"S"}, "walkup"},        // 1's unclaimed seat
			{1, "checkin", []string{"S"}, "session_full"}, // 1 came late: their seat is gone
		} {
			s.run(t, e, f)
		}
	})
}

// Requests waiting in a fair pool are answered, not stranded, when the
// engine closes (a node losing its lease closes its engine).
func TestCloseAnswersPooledRequests(t *testing.T) {
	db := storetest.OpenSQLite(t)
	ctx := context.Background()
	f := newFixture(t, db, 2)
	e := f.open(t, nil)
	if _, err := e.AddWindow(ctx, 0, "", lanyard.Window{SessionType: lanyard.TypeChalk, Opens: f.clock.Now(), Closes: f.clock.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	answered := make(chan error, 1)
	go func() {
		_, err := e.Reserve(ctx, f.people[0], []string{"S"}, false, "")
		answered <- err
	}()
	for e.PooledForTest() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	e.Close()
	select {
	case err := <-answered:
		if lanyard.ErrorCode(err) != lanyard.EUNAVAILABLE {
			t.Fatalf("pooled request answered %v, want EUNAVAILABLE", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a pooled request was never answered after Close")
	}
	if _, err := e.Agenda(ctx, f.people[0]); lanyard.ErrorCode(err) != lanyard.EUNAVAILABLE {
		t.Fatalf("command after Close: %v", err)
	}
}

// An idempotent answer that changed nothing (the seat was held already) is
// still stored: after a restart the retry gets the same answer.
func TestIdempotentNoOpSurvivesRestart(t *testing.T) {
	db := storetest.OpenSQLite(t)
	ctx := context.Background()
	f := newFixture(t, db, 1)
	e := f.open(t, nil)
	f.openWindows(t, e)
	step{0, "reserve", []string{"S"}, "reserved"}.run(t, e, f)
	first, err := e.Reserve(ctx, f.people[0], []string{"S"}, false, "k")
	if err != nil || !first[0].Already {
		t.Fatalf("second reserve: %+v %v", first, err)
	}
	step{0, "cancel", []string{"S"}, "cancelled"}.run(t, e, f)
	e.Close()
	e = f.open(t, nil)
	again, err := e.Reserve(ctx, f.people[0], []string{"S"}, false, "k")
	if err != nil || !again[0].Already {
		t.Fatalf("retry after restart: %+v %v, want the first answer (already)", again, err)
	}
	if c, _ := e.Seats("S"); c.Taken != 0 {
		t.Fatalf("the retry took a seat: %+v", c)
	}
}
