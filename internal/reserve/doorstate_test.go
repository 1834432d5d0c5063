package reserve_test

import (
	"context"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// DoorCheckIn answers the check-in with the room's count after it; a retry
// with its key gets the first answer, count included, and admits nobody
// twice; the key cannot be reused for another attendee. DoorState counts
// a due release as done.
func TestDoorCheckIn(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 3)
		e := f.open(t, nil)
		f.openWindows(t, e)
		if err := e.SetHoldback(ctx, lanyard.TypeSession, 20); err != nil { // D: 10 seats, 8 reservable, 2 walk-ups
			t.Fatal(err)
		}
		if _, err := e.Reserve(ctx, f.people[0], []string{"D"}, false, ""); err != nil {
			t.Fatal(err)
		}
		f.clock.Set(at(1, 13, 45)) // the door is open; the release is at 13:50
		staff := f.people[2]
		a, err := e.DoorCheckIn(ctx, staff, f.people[0], "D", "k1")
		if err != nil || a.Result.Outcome != lanyard.OutcomeCheckedIn || a.State.Inside != 1 || a.State.CheckedIn != 1 || a.State.WalkupLeft != 2 {
			t.Fatalf("reserved check-in: %+v %v", a, err)
		}
		w, err := e.DoorCheckIn(ctx, staff, f.people[1], "D", "k2")
		if err != nil || w.Result.Outcome != lanyard.OutcomeWalkup || w.State.Inside != 2 || w.State.WalkupLeft != 1 {
			t.Fatalf("walk-up: %+v %v", w, err)
		}
		again, err := e.DoorCheckIn(ctx, staff, f.people[1], "D", "k2")
		if err != nil || again.Result.Already || again.State.Inside != 2 {
			t.Errorf("retried: %+v %v, want the first answer", again, err)
		}
		if _, err := e.DoorCheckIn(ctx, staff, f.people[0], "D", "k2"); lanyard.ErrorCode(err) != lanyard.EINVALID {
			t.Errorf("key reused for another attendee: %v, want invalid", err)
		}
		st, err := e.DoorState(ctx, "D")
		if err != nil || st.Inside != 2 || st.Released {
			t.Errorf("door state: %+v %v", st, err)
		}
		f.clock.Set(at(1, 13, 55)) // past the release, before the tick did it
		st, err = e.DoorState(ctx, "D")
		if err != nil || !st.Released || st.WalkupLeft != 10-1-1 {
			t.Errorf("door state after the release is due: %+v %v, want released with 8 walk-up seats", st, err)
		}
		if _, err := e.DoorState(ctx, "NOPE"); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("unknown session: %v", err)
		}
	})
}
