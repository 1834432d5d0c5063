package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// The cap holds while the starter edits it and RSVPs race: an edit
// below those going is refused with cap_below_going, a raise promotes
// the waitlist, and at the end going never passes the cap and equals the
// going rows; the CHECK refuses a cap below going whatever the code
// does. On both databases.
func TestMeetupEditCapRace(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		db.Now = func() time.Time { return time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC) }
		ev := mustImport(t, db, testCatalog())
		org := mustCreateAttendee(t, db, ev.ID, "Kim Min-ji", "minji@example.com")
		m := newMeetup(t, db, ev.ID, org.ID, 5)
		const n = 24
		var people []int64
		for i := range n {
			people = append(people, mustCreateAttendee(t, db, ev.ID, fmt.Sprintf("P%d", i), fmt.Sprintf("p%d@example.com", i)).ID)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 2*n)
		for i, p := range people {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, _, err := db.MeetupRSVP(ctx, ev.ID, m.ID, p, meetupWords); err != nil {
					errs <- fmt.Errorf("rsvp %d: %w", i, err)
				}
			}()
		}
		caps := []int{3, 8, 4, 12, 6, 2, 15}
		refused := 0
		var mu sync.Mutex
		for _, c := range caps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				e := m
				e.Cap = c
				_, err := db.MeetupEdit(ctx, org.ID, e, meetupWords)
				switch lanyard.ErrorCode(err) {
				case lanyard.EMeetupCapBelowGoing:
					mu.Lock()
					refused++
					mu.Unlock()
				default:
					if err != nil {
						errs <- fmt.Errorf("edit cap %d: %w", c, err)
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		got, err := db.Meetup(ctx, ev.ID, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		var rows int
		if err := db.QueryRowForTest(ctx, fmt.Sprintf(`SELECT COUNT(*) FROM meetup_rsvps WHERE meetup_id = %d AND status = 'going'`, m.ID), &rows); err != nil {
			t.Fatal(err)
		}
		if got.Going > got.Cap || got.Going != rows || got.Going+got.Waiting != n+1 {
			t.Fatalf("after the race: going %d (rows %d) of cap %d, %d waiting", got.Going, rows, got.Cap, got.Waiting)
		}
		if got.Waiting > 0 && got.Going != got.Cap {
			t.Fatalf("a place is free while %d wait: going %d of %d", got.Waiting, got.Going, got.Cap)
		}
		if err := db.Exec(ctx, `UPDATE meetups SET cap = going - 1 WHERE id = ?`, m.ID); err == nil {
			t.Fatal("the database let the cap go below those going")
		}
		// Each going person holds one pending reminder.
		if rem := pendingReminders(t, db, ev.ID); len(rem) != got.Going {
			t.Fatalf("%d reminders for %d going", len(rem), got.Going)
		}
		t.Logf("cap %d, going %d, waiting %d, %d edits refused below going", got.Cap, got.Going, got.Waiting, refused)
	})
}
