package reserve_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// ack is a command's acknowledged effect: what the caller was told happened.
type ack struct {
	attendee int64
	session  string
	outcome  string
}

// TestRandomCommandsMatchTheLog drives the engine with thousands of random
// seat commands from many goroutines, then replays the audit log through a
// plain sequential model and checks that the model, the store and the
// engine agree, that the invariants hold, and that every acknowledged
// change is in the log.
func TestRandomCommandsMatchTheLog(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const workers, perWorker, people = 16, 250, 40
		f := newFixture(t, db, people)
		e := f.open(t, nil)
		f.openWindows(t, e)
		s := lanyard.DefaultReservationSettings()
		s.FairSeconds, s.MaxWaitlists, s.MaxReservations = 0, 3, 5
		s.DoorOpensMinutes = 7 * 24 * 60 // the clock is a day before the sessions: keep the door open to check in
		if err := e.SetSettings(ctx, s); err != nil {
			t.Fatal(err)
		}
		codes := []string{"A-R1", "A-R2", "B", "C", "D", "E", "K", "S", "S2", "T", "N"}

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
					var rs []lanyard.SeatResult
					var err error
					switch op := r.IntN(10); {
					case op < 4:
						rs, err = e.Reserve(ctx, who, []string{code, codes[r.IntN(len(codes))]}, r.IntN(2) == 0, "")
						if err != nil && lanyard.ErrorCode(err) == lanyard.EINVALID {
							continue // the same code twice
						}
					case op < 6:
						var res lanyard.SeatResult
						res, err = e.Cancel(ctx, who, code, "")
						rs = []lanyard.SeatResult{res}
					case op < 7:
						rs, err = e.Switch(ctx, who, code, codes[r.IntN(len(codes))], "")
					case op < 8:
						var res lanyard.SeatResult
						res, err = e.LeaveWaitlist(ctx, who, code, "")
						rs = []lanyard.SeatResult{res}
					default:
						var res lanyard.SeatResult
						res, err = e.CheckIn(ctx, 0, who, code, "")
						rs = []lanyard.SeatResult{res}
					}
					if err != nil && lanyard.ErrorCode(err) == lanyard.EINTERNAL {
						t.Errorf("command failed: %v", err)
						return
					}
					mu.Lock()
					for _, res := range rs {
						if res.Error == nil && !res.Already && res.Outcome != "" {
							acks = append(acks, ack{who, res.Session, res.Outcome})
						}
					}
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
		m := replay(t, f, log, snap)

		// The store agrees with the model.
		storeHolders := map[int64][]int64{}
		for _, r := range snap.Reservations {
			storeHolders[r.SessionID] = append(storeHolders[r.SessionID], r.AttendeeID)
		}
		storeWaits := map[int64][]int64{}
		for _, w := range snap.Waitlist {
			storeWaits[w.SessionID] = append(storeWaits[w.SessionID], w.AttendeeID)
		}
		for _, sess := range f.cat.Sessions() {
			got, want := sorted(storeHolders[sess.ID]), sorted(keys(m.holders[sess.ID]))
			if !slices.Equal(got, want) {
				t.Errorf("%s: store holders %v, log replay %v", sess.Code, got, want)
			}
			if got, want := storeWaits[sess.ID], m.waits[sess.ID]; !slices.Equal(got, want) {
				t.Errorf("%s: store waitlist %v, log replay (FIFO) %v", sess.Code, got, want)
			}
			c, _ := e.Seats(sess.Code)
			if c.Taken != len(want) || c.Taken > c.Reservable {
				t.Errorf("%s: engine counts %+v, replay holds %d", sess.Code, c, len(want))
			}
		}
		// The engine agrees, and no attendee holds two overlapping sessions.
		for _, p := range f.people {
			ag, err := e.Agenda(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			for k, it := range ag.Reservations {
				sess, _ := f.cat.Session(it.Session)
				if !m.holders[sess.ID][p] {
					t.Errorf("attendee %d: engine agenda has %s, the log does not", p, it.Session)
				}
				for _, o := range ag.Reservations[k+1:] {
					os, _ := f.cat.Session(o.Session)
					if sess.Overlaps(os) {
						t.Errorf("attendee %d holds overlapping %s and %s", p, sess.Code, os.Code)
					}
				}
			}
		}
		// Every acknowledged change is in the log, as often as it was acknowledged.
		logged := map[ack]int{}
		for _, l := range log {
			if l.AttendeeID != 0 && l.Command != "promote" && l.SessionID != 0 {
				logged[ack{l.AttendeeID, m.code[l.SessionID], l.Outcome}]++
			}
		}
		for _, a := range acks {
			if logged[a] == 0 {
				t.Fatalf("acknowledged %+v is not in the audit log", a)
			}
			logged[a]--
		}
		t.Logf("%d commands acknowledged, %d log rows", len(acks), len(log))
	})
}

// model is the sequential reading of the audit log.
type model struct {
	holders map[int64]map[int64]bool // session ID → attendees holding it
	waits   map[int64][]int64        // session ID → waitlist in order
	code    map[int64]string
}

// replay applies the log in order to a model, checking each entry against
// the model's state: a reservation only into a free seat, a cancel only of
// a held seat, a promotion only of someone waiting.
func replay(t *testing.T, f *fixture, log []reserve.LogRow, snap *reserve.Snapshot) *model {
	t.Helper()
	m := &model{holders: map[int64]map[int64]bool{}, waits: map[int64][]int64{}, code: map[int64]string{}}
	reservable := map[int64]int{}
	for _, s := range snap.Seats {
		reservable[s.SessionID] = s.Reservable
	}
	for _, s := range f.cat.Sessions() {
		m.holders[s.ID] = map[int64]bool{}
		m.code[s.ID] = s.Code
	}
	for _, l := range log {
		sid, who := l.SessionID, l.AttendeeID
		fail := func(why string) { t.Fatalf("log seq %d %+v: %s", l.Seq, l, why) }
		switch l.Outcome {
		case lanyard.OutcomeReserved, lanyard.OutcomePromoted:
			if m.holders[sid][who] {
				fail("reserved twice")
			}
			if l.Outcome == lanyard.OutcomePromoted && !slices.Contains(m.waits[sid], who) {
				fail("promoted without waiting")
			}
			m.holders[sid][who] = true
			m.waits[sid] = slices.DeleteFunc(m.waits[sid], func(a int64) bool { return a == who })
			if len(m.holders[sid]) > reservable[sid] {
				fail(fmt.Sprintf("overbooked: %d holders, %d reservable", len(m.holders[sid]), reservable[sid]))
			}
		case lanyard.OutcomeCancelled:
			if !m.holders[sid][who] {
				fail("cancelled a seat not held")
			}
			delete(m.holders[sid], who)
		case lanyard.OutcomeWaitlisted:
			if slices.Contains(m.waits[sid], who) || m.holders[sid][who] {
				fail("waitlisted while waiting or holding")
			}
			m.waits[sid] = append(m.waits[sid], who)
		case lanyard.OutcomeLeftWaitlist:
			if !slices.Contains(m.waits[sid], who) {
				fail("left a waitlist not joined")
			}
			m.waits[sid] = slices.DeleteFunc(m.waits[sid], func(a int64) bool { return a == who })
		case lanyard.OutcomeCheckedIn:
			if !m.holders[sid][who] {
				fail("checked in without a reservation")
			}
		}
	}
	return m
}

func keys(m map[int64]bool) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func sorted(s []int64) []int64 {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
