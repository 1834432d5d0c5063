package reserve_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// BenchmarkLineRelease measures the release of 1,000 seats to a 5,000-long
// walk-up line (issue 13: every call sent within 1 s). One op is the tick
// that releases the session: it calls the first 1,000 in line, and returns
// once the batch carrying the 1,000 calls, their line rows, their audit
// log rows and their line_called messages has committed, so every call is
// durable and its message queued for mail and the app. Reported: ns/op,
// calls/op, and target-ratio (the op's time over the 1 s target; below 1
// meets it).
//
//	go test -run '^$' -bench BenchmarkLineRelease -benchtime 3x ./internal/reserve/
func BenchmarkLineRelease(b *testing.B) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		b.Run(dialect, func(b *testing.B) {
			if dialect == "postgres" && os.Getenv(storetest.EnvPostgres) == "" {
				b.Skip("LANYARD_TEST_POSTGRES is not set")
			}
			const seats, line = 1000, 5000
			ctx := context.Background()
			var total time.Duration
			for n := range b.N {
				b.StopTimer()
				var db *store.DB
				if dialect == "sqlite" {
					db = storetest.OpenSQLite(b)
				} else {
					db = storetest.OpenPostgres(b)
				}
				e, clock, start := lineBenchEngine(b, db, fmt.Sprintf("lb%d", n), seats, line)
				clock.Set(start.Add(-10 * time.Minute)) // the release
				b.StartTimer()
				t0 := time.Now()
				if err := e.Tick(ctx); err != nil {
					b.Fatal(err)
				}
				took := time.Since(t0)
				b.StopTimer()
				total += took
				waiting, called, err := e.LineLength(ctx, "KEY")
				if err != nil {
					b.Fatal(err)
				}
				if called != seats || waiting != line-seats {
					b.Fatalf("after the release: %d called, %d waiting; want %d, %d", called, waiting, seats, line-seats)
				}
				e.Close()
				b.StartTimer()
			}
			per := total / time.Duration(b.N)
			b.ReportMetric(float64(seats), "calls/op")
			b.ReportMetric(per.Seconds()/1.0, "target-ratio")
		})
	}
}

// lineBenchEngine makes an event with one keynote of capacity seats, all
// held back for walk-ups, and lineLen attendees in its walk-up line.
func lineBenchEngine(b *testing.B, db *store.DB, slug string, seats, lineLen int) (*reserve.Engine, *clock, time.Time) {
	b.Helper()
	ctx := context.Background()
	start := time.Date(2026, 12, 2, 16, 0, 0, 0, time.UTC)
	c := &lanyard.Catalog{
		Event:  lanyard.Event{Slug: slug, Name: "Line bench", TimeZone: "America/Los_Angeles", StartDate: "2026-12-01", Days: 3},
		Venues: []lanyard.Venue{{Code: "hall", Name: "Hall", Rooms: []lanyard.Room{{Name: "Main", Capacity: seats}}}},
		Sessions: []lanyard.Session{{Code: "KEY", Title: "Keynote", Type: lanyard.TypeKeynote, Level: 100, Venue: "hall", Room: "Main",
			Start: start, End: start.Add(90 * time.Minute), Reservable: true}},
	}
	if _, err := db.ImportCatalog(ctx, c); err != nil {
		b.Fatal(err)
	}
	people := make([]*lanyard.Attendee, lineLen)
	for i := range people {
		people[i] = &lanyard.Attendee{Name: fmt.Sprint("A", i), Email: fmt.Sprintf("a%d@%s.example.com", i, slug)}
	}
	if err := db.CreateAttendees(ctx, c.Event.ID, people); err != nil {
		b.Fatal(err)
	}
	ev, err := db.FindEventBySlug(ctx, slug)
	if err != nil {
		b.Fatal(err)
	}
	cat, err := catalog.Load(ctx, db, ev)
	if err != nil {
		b.Fatal(err)
	}
	clk := &clock{t: start.Add(-time.Hour)}
	e, err := reserve.Open(ctx, db, cat, reserve.Options{Now: clk.Now, Tick: -1})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(e.Close)
	if err := e.SetHoldback(ctx, lanyard.TypeKeynote, 100); err != nil { // every seat is a walk-up seat: the keynote is "full"
		b.Fatal(err)
	}
	// Join from many goroutines, as phones do; the line's order is the engine's.
	var wg sync.WaitGroup
	errs := make(chan error, 1)
	for w := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := w; k < lineLen; k += 32 {
				if _, err := e.JoinLine(ctx, people[k].ID, "KEY", ""); err != nil {
					select {
					case errs <- err:
					default:
					}
					return
				}
			}
		}()
	}
	wg.Wait()
	select {
	case err := <-errs:
		b.Fatal(err)
	default:
	}
	return e, clk, start
}
