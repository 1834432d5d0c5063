package reserve_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// A walk-up refused while reservable seats are free says so, and when they
// are released, instead of calling the session full.
func TestWalkupFullSaysWhy(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 3)
		e := f.open(t, nil)
		f.openWindows(t, e)
		if err := e.SetHoldback(ctx, lanyard.TypeSession, 10); err != nil { // D: 10 seats, 9 reservable
			t.Fatal(err)
		}
		for _, s := range []step{
			{0, "clock", []string{"D", "-25m"}, ""},
			{0, "walkup", []string{"D"}, "walkup"},
		} {
			s.run(t, e, f)
		}
		r := step{1, "walkup", []string{"D"}, "walkup_full"}.run(t, e, f)
		for _, want := range []string{"walk-up seats of D are taken", "9 free seats are held for reservations until 13:50", "10 minutes before the start"} {
			if !strings.Contains(r.Error.Message, want) {
				t.Errorf("message %q does not say %q", r.Error.Message, want)
			}
		}
		if strings.Contains(r.Error.Message, "full") {
			t.Errorf("message %q calls the session full", r.Error.Message)
		}
	})
}

// The door's window is a setting that survives a restart, and one that is
// out of range is refused.
func TestDoorOpensSetting(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 1)
		e := f.open(t, nil)
		if got, want := lanyard.DefaultReservationSettings().DoorOpensMinutes, 30; got != want {
			t.Errorf("default door_opens_minutes %d, want %d", got, want)
		}
		set := func(m int) error {
			_, err := e.UpdateSettings(ctx, func(s *lanyard.ReservationSettings) error { s.DoorOpensMinutes = m; return nil })
			return err
		}
		if err := set(-1); lanyard.ErrorCode(err) != lanyard.EINVALID {
			t.Errorf("door_opens_minutes -1: %v, want invalid", err)
		}
		if err := set(45); err != nil {
			t.Fatal(err)
		}
		e.Close()
		e2 := f.open(t, nil)
		s, err := e2.Settings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := s.DoorOpensMinutes, 45; got != want {
			t.Errorf("door_opens_minutes after restart %d, want %d", got, want)
		}
		for _, s := range []step{
			{0, "clock", []string{"E", "-46m"}, ""},
			{0, "walkup", []string{"E"}, "door_not_open"},
		} {
			s.run(t, e2, f)
		}
	})
}
