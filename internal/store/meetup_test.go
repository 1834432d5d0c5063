package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

func meetupWords(m lanyard.Meetup, to store.MeetupRecipient, kind string) (string, string) {
	return kind + ": " + m.Title, "Hello " + to.Name
}

func newMeetup(t *testing.T, db *store.DB, eventID, organizer int64, capacity int) lanyard.Meetup {
	t.Helper()
	start := time.Date(2026, 12, 1, 20, 0, 0, 0, time.UTC)
	m := lanyard.Meetup{EventID: eventID, OrganizerID: organizer, Title: "Korean speakers", Language: "ko", Topic: "AWS Korea User Group",
		PlaceKind: lanyard.MeetupBar, Venue: "venetian", Place: "Rosina bar", Start: start, End: start.Add(90 * time.Minute), Cap: capacity}
	if err := m.Validate(db.Now()); err != nil {
		t.Fatal(err)
	}
	m, err := db.MeetupCreate(context.Background(), m, meetupWords)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// pendingReminders counts the unsent reminders of a meetup by attendee.
func pendingReminders(t *testing.T, db *store.DB, eventID int64) map[int64]int {
	t.Helper()
	msgs, err := db.Messages(context.Background(), eventID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]int{}
	for _, m := range msgs {
		if m.Kind == lanyard.KindMeetupReminder && m.State == lanyard.MessagePending {
			out[m.AttendeeID]++
		}
	}
	return out
}

// RSVPs fill a meetup to its cap, then the waitlist; leaving promotes the
// first waiting; reminders follow who is going, due before the start.
func TestMeetupRSVP(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		db.Now = func() time.Time { return time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC) }
		ev := mustImport(t, db, testCatalog())
		org := mustCreateAttendee(t, db, ev.ID, "Kim Min-ji", "minji@example.com")
		m := newMeetup(t, db, ev.ID, org.ID, 3)
		var people []*lanyard.Attendee
		for i := range 4 {
			people = append(people, mustCreateAttendee(t, db, ev.ID, fmt.Sprintf("P%d", i), fmt.Sprintf("p%d@example.com", i)))
		}
		want := []lanyard.RSVP{{Status: lanyard.RSVPGoing}, {Status: lanyard.RSVPGoing}, {Status: lanyard.RSVPWaitlist, Position: 1}, {Status: lanyard.RSVPWaitlist, Position: 2}}
		for i, p := range people {
			r, already, err := db.MeetupRSVP(ctx, ev.ID, m.ID, p.ID, meetupWords)
			if err != nil || already || r.Status != want[i].Status || r.Position != want[i].Position {
				t.Fatalf("rsvp %d = %+v, %v, %v; want %+v", i, r, already, err, want[i])
			}
		}
		if r, already, err := db.MeetupRSVP(ctx, ev.ID, m.ID, people[0].ID, meetupWords); err != nil || !already || r.Status != lanyard.RSVPGoing {
			t.Fatalf("again = %+v, %v, %v", r, already, err)
		}
		got, err := db.Meetup(ctx, ev.ID, m.ID)
		if err != nil || got.Going != 3 || got.Waiting != 2 || !got.Full() {
			t.Fatalf("meetup = %+v, %v", got, err)
		}
		// The second lock: the database itself refuses a going row past the cap.
		if err := db.Exec(ctx, `UPDATE meetup_rsvps SET status = 'going' WHERE meetup_id = ? AND attendee_id = ?`, m.ID, people[2].ID); err == nil {
			t.Fatal("the database let a fourth person go to a meetup of 3")
		}
		if err := db.Exec(ctx, `DELETE FROM meetup_rsvps WHERE meetup_id = ? AND attendee_id = ?`, m.ID, people[3].ID); err != nil {
			t.Fatal(err)
		}
		if err := db.Exec(ctx, `INSERT INTO meetup_rsvps (meetup_id, attendee_id, status, seq, created_at) VALUES (?, ?, 'going', 99, ?)`, m.ID, people[3].ID, db.Now()); err == nil {
			t.Fatal("the database let a fourth person go to a meetup of 3")
		}
		if _, _, err := db.MeetupRSVP(ctx, ev.ID, m.ID, people[3].ID, meetupWords); err != nil {
			t.Fatal(err)
		}
		rem := pendingReminders(t, db, ev.ID)
		if len(rem) != 3 || rem[org.ID] != 1 || rem[people[0].ID] != 1 || rem[people[2].ID] != 0 {
			t.Fatalf("reminders = %v", rem)
		}
		msgs, _ := db.Messages(ctx, ev.ID)
		for _, msg := range msgs {
			if msg.Kind == lanyard.KindMeetupReminder && !msg.NextAttemptAt.Equal(m.Start.Add(-lanyard.MeetupReminderBefore)) {
				t.Fatalf("reminder due %v, want 30 min before %v", msg.NextAttemptAt, m.Start)
			}
		}
		// Leaving drops the reminder and promotes the first waiting.
		promoted, err := db.MeetupLeave(ctx, ev.ID, m.ID, people[0].ID, meetupWords)
		if err != nil || promoted != people[2].ID {
			t.Fatalf("leave = %d, %v; want %d promoted", promoted, err, people[2].ID)
		}
		rem = pendingReminders(t, db, ev.ID)
		if rem[people[0].ID] != 0 || rem[people[2].ID] != 1 || len(rem) != 3 {
			t.Fatalf("reminders after leave = %v", rem)
		}
		if r, err := db.MeetupRSVPOf(ctx, m.ID, people[3].ID); err != nil || r.Position != 1 {
			t.Fatalf("the last one moved up: %+v, %v", r, err)
		}
		if _, err := db.MeetupLeave(ctx, ev.ID, m.ID, people[0].ID, meetupWords); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Fatalf("leaving twice: %v", err)
		}
		// Rejoining writes a fresh reminder (the old one was deleted).
		if r, _, err := db.MeetupRSVP(ctx, ev.ID, m.ID, people[0].ID, meetupWords); err != nil || r.Position != 2 {
			t.Fatalf("rejoin = %+v, %v", r, err)
		}
		mine, err := db.MeetupsOf(ctx, ev.ID, people[2].ID)
		if err != nil || len(mine) != 1 || mine[0].RSVP.Status != lanyard.RSVPGoing {
			t.Fatalf("MeetupsOf = %+v, %v", mine, err)
		}
		// Hidden: off the list, no RSVP, a report is kept.
		if err := db.MeetupReport(ctx, ev.ID, m.ID, people[1].ID, "spam"); err != nil {
			t.Fatal(err)
		}
		if err := db.MeetupHide(ctx, ev.ID, m.ID, true, lanyard.AuditEntry{ActorID: org.ID, Action: "meetup.hide"}); err != nil {
			t.Fatal(err)
		}
		if list, err := db.Meetups(ctx, ev.ID, lanyard.MeetupFilter{}); err != nil || len(list) != 0 {
			t.Fatalf("a hidden meetup is listed: %+v, %v", list, err)
		}
		if list, err := db.Meetups(ctx, ev.ID, lanyard.MeetupFilter{Hidden: true}); err != nil || len(list) != 1 || list[0].Reports != 1 {
			t.Fatalf("console list = %+v, %v", list, err)
		}
		late := mustCreateAttendee(t, db, ev.ID, "Late", "late@example.com")
		if _, _, err := db.MeetupRSVP(ctx, ev.ID, m.ID, late.ID, meetupWords); lanyard.ErrorCode(err) != lanyard.EMeetupHidden {
			t.Fatalf("rsvp to hidden: %v", err)
		}
		if err := db.MeetupReport(ctx, ev.ID, m.ID+100, late.ID, "x"); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Fatalf("report unknown: %v", err)
		}
		// One person starts at most MeetupsPerOrganizer meetups.
		for i := 1; i < store.MeetupsPerOrganizer; i++ {
			newMeetup(t, db, ev.ID, org.ID, 5)
		}
		if _, err := db.MeetupCreate(ctx, m, nil); lanyard.ErrorCode(err) != lanyard.EMeetupLimit {
			t.Fatalf("meetup past the limit: %v", err)
		}
	})
}

// The filters of /meetups: language, topic (or title), time.
func TestMeetupsFilter(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		db.Now = func() time.Time { return time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC) }
		ev := mustImport(t, db, testCatalog())
		org := mustCreateAttendee(t, db, ev.ID, "Org", "org@example.com")
		ko := newMeetup(t, db, ev.ID, org.ID, 10)
		start := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
		en := lanyard.Meetup{EventID: ev.ID, OrganizerID: org.ID, Title: "Serverless lunch 50%", Language: "en", Topic: "Serverless",
			PlaceKind: lanyard.MeetupRoom, Venue: "mgm", Place: "Room 101", Start: start, End: start.Add(time.Hour), Cap: 20}
		if err := en.Validate(db.Now()); err != nil {
			t.Fatal(err)
		}
		en, err := db.MeetupCreate(ctx, en, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			f    lanyard.MeetupFilter
			want []int64
		}{
			{"all", lanyard.MeetupFilter{}, []int64{ko.ID, en.ID}},
			{"korean", lanyard.MeetupFilter{Language: "ko"}, []int64{ko.ID}},
			{"topic any case", lanyard.MeetupFilter{Topic: "user GROUP"}, []int64{ko.ID}},
			{"title", lanyard.MeetupFilter{Topic: "lunch"}, []int64{en.ID}},
			{"percent is literal", lanyard.MeetupFilter{Topic: "50%"}, []int64{en.ID}},
			{"underscore is literal", lanyard.MeetupFilter{Topic: "_"}, nil},
			{"from", lanyard.MeetupFilter{From: start}, []int64{en.ID}},
			{"to", lanyard.MeetupFilter{To: start}, []int64{ko.ID}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := db.Meetups(ctx, ev.ID, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				var ids []int64
				for _, m := range got {
					ids = append(ids, m.ID)
				}
				if fmt.Sprint(ids) != fmt.Sprint(tc.want) {
					t.Fatalf("ids = %v, want %v", ids, tc.want)
				}
			})
		}
	})
}

// Randomized concurrent RSVPs and leaves on small meetups: never more
// going than the cap, nobody waits while a place is free, the counter
// agrees with the rows, each one's last acknowledged answer stands, and
// exactly those going have one pending reminder.
func TestMeetupRSVPConcurrent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		db.Now = func() time.Time { return time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC) }
		ev := mustImport(t, db, testCatalog())
		org := mustCreateAttendee(t, db, ev.ID, "Org", "org@example.com")
		var meetups []lanyard.Meetup
		for i := range 3 {
			meetups = append(meetups, newMeetup(t, db, ev.ID, org.ID, 3+2*i))
		}
		const workers, each, ops = 8, 5, 40
		people := make([][]int64, workers)
		for w := range workers {
			for i := range each {
				people[w] = append(people[w], mustCreateAttendee(t, db, ev.ID, "P", fmt.Sprintf("w%d-%d@example.com", w, i)).ID)
			}
		}
		type key struct{ m, a int64 }
		final := make([]map[key]bool, workers) // each worker's attendees are its own: their last answer is known
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := range workers {
			final[w] = map[key]bool{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(7, uint64(w)))
				for range ops {
					m := meetups[r.IntN(len(meetups))]
					a := people[w][r.IntN(each)]
					if r.IntN(3) < 2 {
						if _, _, err := db.MeetupRSVP(ctx, ev.ID, m.ID, a, meetupWords); err != nil {
							errs <- err
							return
						}
						final[w][key{m.ID, a}] = true
					} else {
						_, err := db.MeetupLeave(ctx, ev.ID, m.ID, a, meetupWords)
						if err != nil && lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
							errs <- err
							return
						}
						final[w][key{m.ID, a}] = false
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		rem := pendingReminders(t, db, ev.ID)
		goingAll := 0
		for _, m := range meetups {
			got, err := db.Meetup(ctx, ev.ID, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Going > got.Cap || (got.Waiting > 0 && got.Going != got.Cap) {
				t.Fatalf("meetup %d: %d going of %d, %d waiting", m.ID, got.Going, got.Cap, got.Waiting)
			}
			going, waiting := 0, 0
			for w := range workers {
				for _, a := range people[w] {
					r, err := db.MeetupRSVPOf(ctx, m.ID, a)
					has := err == nil
					if has != final[w][key{m.ID, a}] {
						t.Fatalf("attendee %d meetup %d: RSVP %v, last acknowledged answer %v", a, m.ID, has, final[w][key{m.ID, a}])
					}
					switch {
					case has && r.Status == lanyard.RSVPGoing:
						going++
						if rem[a] == 0 {
							t.Fatalf("attendee %d goes to %d without a reminder", a, m.ID)
						}
					case has:
						waiting++
					}
				}
			}
			if going+1 != got.Going || waiting != got.Waiting { // +1: the organizer
				t.Fatalf("meetup %d: rows %d going %d waiting, counter %d/%d", m.ID, going+1, waiting, got.Going, got.Waiting)
			}
			goingAll += got.Going
		}
		total := 0
		for _, n := range rem {
			total += n
		}
		if total != goingAll {
			t.Fatalf("%d pending reminders for %d going", total, goingAll)
		}
	})
}

// BenchmarkMeetupRSVP measures RSVPs and leaves on one hot meetup of 50
// from 16 goroutines, each op its own transaction with its reminder (an
// RSVP, then that attendee's leave, which promotes the first waiting).
func BenchmarkMeetupRSVP(b *testing.B) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.OpenSQLite(b)
			if dialect == "postgres" {
				db = storetest.OpenPostgres(b)
			}
			ctx := context.Background()
			db.Now = func() time.Time { return time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC) }
			ev := mustImport(b, db, testCatalog())
			var ids []int64
			for i := range 400 {
				ids = append(ids, mustCreateAttendee(b, db, ev.ID, "P", fmt.Sprintf("b%d@example.com", i)).ID)
			}
			start := time.Date(2026, 12, 1, 20, 0, 0, 0, time.UTC)
			m, err := db.MeetupCreate(ctx, lanyard.Meetup{EventID: ev.ID, OrganizerID: ids[0], Title: "Hot", Language: "en", PlaceKind: lanyard.MeetupBar,
				Venue: "venetian", Place: "Bar", Start: start, End: start.Add(time.Hour), Cap: 50}, meetupWords)
			if err != nil {
				b.Fatal(err)
			}
			var next atomic.Int64
			b.SetParallelism(8) // 8 × GOMAXPROCS goroutines
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					a := ids[1+next.Add(1)%int64(len(ids)-1)]
					if _, _, err := db.MeetupRSVP(ctx, ev.ID, m.ID, a, meetupWords); err != nil {
						b.Error(err)
						return
					}
					if _, err := db.MeetupLeave(ctx, ev.ID, m.ID, a, meetupWords); err != nil && lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
						b.Error(err)
						return
					}
				}
			})
			b.StopTimer()
			b.ReportMetric(float64(2*b.N)/b.Elapsed().Seconds(), "ops/s")
			got, err := db.Meetup(ctx, ev.ID, m.ID)
			if err != nil || got.Going > got.Cap {
				b.Fatalf("%+v, %v", got, err)
			}
		})
	}
}
