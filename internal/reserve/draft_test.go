package reserve_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

func TestDraftOpensTheWindow(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 6)
		e := f.open(t, nil)
		opens := f.clock.Now().Add(time.Hour)
		if _, err := e.AddWindow(ctx, 0, "", lanyard.Window{SessionType: lanyard.TypeChalk, Opens: opens, Closes: opens.Add(72 * time.Hour), Draft: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.AddWindow(ctx, 0, "", lanyard.Window{SessionType: lanyard.TypeSession, Opens: f.clock.Now().Add(-time.Hour), Closes: opens, Draft: true}); lanyard.ErrorCode(err) != lanyard.EINVALID {
			t.Fatalf("a draft window already open: err=%v, want EINVALID", err)
		}
		// Everyone wants S (2 seats) most, then S2 (2 seats); one wants only a
		// session of another window, which the draft leaves alone.
		for _, p := range f.people[:5] {
			if _, err := e.SetWishlist(ctx, p, []string{"S", "S2"}, ""); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.SetWishlist(ctx, f.people[5], []string{"A-R1"}, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := e.SetWishlist(ctx, f.people[0], []string{"S", "S"}, ""); lanyard.ErrorCode(err) != lanyard.EINVALID {
			t.Fatalf("a session ranked twice: err=%v", err)
		}
		e.Close()
		e = f.open(t, nil) // wishlists and the draft window survive a restart
		if got, _ := e.Wishlist(ctx, f.people[1]); !slices.Equal(got, []string{"S", "S2"}) {
			t.Fatalf("wishlist after restart: %v", got)
		}
		f.clock.Set(opens.Add(10 * time.Second))
		if err := e.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		held, first := 0, 0
		for _, p := range f.people[:5] {
			ag, _ := e.Agenda(ctx, p)
			held += len(ag.Reservations)
			if len(ag.Reservations) > 1 {
				t.Fatalf("attendee %d got %d sessions from two overlapping-free wishes of one round each", p, len(ag.Reservations))
			}
			if len(ag.Reservations) == 1 && ag.Reservations[0].Session == "S" {
				first++
			}
		}
		// Round 1 gives S to two entrants and S2 to the next two; round 2
		// (backwards) has nothing left: 4 seats, 4 attendees served.
		if held != 4 || first != 2 {
			t.Fatalf("%d seats drafted (%d first choices), want 4 (2)", held, first)
		}
		if ag, _ := e.Agenda(ctx, f.people[5]); len(ag.Reservations) != 0 {
			t.Fatalf("the draft gave a session of another window: %v", ag.Reservations)
		}
		log, _ := db.ReservationLog(ctx, f.cat.Event.ID)
		i := slices.IndexFunc(log, func(l reserve.LogRow) bool { return l.Command == "draft" && l.Outcome == "drawn" })
		if i < 0 || !strings.Contains(log[i].Detail, "entrants=5 seed=") {
			t.Fatalf("no draft seed in the log")
		}
	})
}

// A draft whose batch fails runs again: its window is marked drafted only
// by the batch that commits the draft.
func TestFailedDraftRunsAgain(t *testing.T) {
	db := storetest.OpenSQLite(t)
	ctx := context.Background()
	f := newFixture(t, db, 3)
	fs := &failingStore{Store: db}
	e := f.open(t, fs)
	opens := f.clock.Now().Add(time.Hour)
	if _, err := e.AddWindow(ctx, 0, "", lanyard.Window{SessionType: lanyard.TypeChalk, Opens: opens, Closes: opens.Add(72 * time.Hour), Draft: true}); err != nil {
		t.Fatal(err)
	}
	for _, p := range f.people {
		if _, err := e.SetWishlist(ctx, p, []string{"S", "S2"}, ""); err != nil {
			t.Fatal(err)
		}
	}
	f.clock.Set(opens.Add(10 * time.Second))
	fs.fail.Store(true)
	if err := e.Tick(ctx); err == nil {
		t.Fatal("the failing draft batch reported success")
	}
	fs.fail.Store(false)
	if err := e.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	held := 0
	for _, p := range f.people {
		ag, _ := e.Agenda(ctx, p)
		held += len(ag.Reservations)
	}
	if held != 4 { // S and S2 have 2 seats each and do not overlap
		t.Fatalf("%d seats after the draft ran again, want all 4", held)
	}
}
