package reserve_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/demo"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// rushFixture is the demo event in a real database, with reservations open.
type rushFixture struct {
	db       *store.DB
	cat      *catalog.Catalog
	people   []int64
	sessions []*lanyard.Session
	cdf      []float64 // popularity, cumulative, over sessions
	stats    *timedStore
}

const benchAttendees = 20000

func newRush(b *testing.B, db *store.DB) *rushFixture {
	b.Helper()
	ctx := context.Background()
	// The engine's clock stands demo.LeadTime before the event (engine
	// below), so every session is still ahead and every window open.
	gen := demo.Generate(demo.Options{Seed: 1, Attendees: benchAttendees})
	if _, err := db.ImportCatalog(ctx, gen.Catalog); err != nil {
		b.Fatal(err)
	}
	people := make([]*lanyard.Attendee, len(gen.Attendees))
	for i := range gen.Attendees {
		people[i] = &gen.Attendees[i]
	}
	if err := db.CreateAttendees(ctx, gen.Catalog.Event.ID, people); err != nil {
		b.Fatal(err)
	}
	f := &rushFixture{db: db}
	for _, p := range people {
		f.people = append(f.people, p.ID)
	}
	ev := &gen.Catalog.Event
	cat, err := catalog.Load(ctx, db, ev)
	if err != nil {
		b.Fatal(err)
	}
	f.cat = cat
	sum := 0.0
	for _, s := range cat.Sessions() {
		if s.Reservable && s.Scheduled() {
			f.sessions = append(f.sessions, s)
			sum += gen.Popularity[s.Code]
			f.cdf = append(f.cdf, sum)
		}
	}
	return f
}

// pick draws a session by popularity: the demo's Zipf-like skew.
func (f *rushFixture) pick(r *rand.Rand) *lanyard.Session {
	x := r.Float64() * f.cdf[len(f.cdf)-1]
	return f.sessions[sort.SearchFloat64s(f.cdf, x)]
}

func (f *rushFixture) engine(b *testing.B) *reserve.Engine {
	b.Helper()
	ctx := context.Background()
	first, err := time.Parse(time.DateOnly, f.cat.Event.StartDate)
	if err != nil {
		b.Fatal(err)
	}
	start := first.Add(-demo.LeadTime)
	f.stats = &timedStore{Store: f.db}
	e, err := reserve.Open(ctx, f.stats, f.cat, reserve.Options{Tick: -1, Now: func() time.Time { return start }})
	if err != nil {
		b.Fatal(err)
	}
	s := lanyard.DefaultReservationSettings()
	s.FairSeconds = 0
	if err := e.SetSettings(ctx, s); err != nil {
		b.Fatal(err)
	}
	for _, t := range lanyard.SessionTypes {
		if _, err := e.AddWindow(ctx, 0, "", lanyard.Window{SessionType: t, Opens: start.Add(-time.Hour), Closes: start.Add(1000 * time.Hour)}); err != nil {
			b.Fatal(err)
		}
	}
	return e
}

// rush runs b.N reserve commands from `clients` goroutines, each command
// one attendee reserving one session drawn by popularity, and reports
// commands/s and latency percentiles. A command that fails (the naive
// design's SQLite connections give up after busy_timeout when the write
// lock never comes their way) is counted, reported, and returned.
func rush(b *testing.B, f *rushFixture, clients int, do func(ctx context.Context, attendee int64, s *lanyard.Session) error) (failed int64) {
	var next, errs atomic.Int64
	var once sync.Once
	var firstErr error
	lat := make([][]time.Duration, clients)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(c), 7))
			for next.Add(1) <= int64(b.N) {
				who := f.people[r.IntN(len(f.people))]
				s := f.pick(r)
				t := time.Now()
				if err := do(context.Background(), who, s); err != nil {
					errs.Add(1)
					once.Do(func() { firstErr = err })
					continue
				}
				lat[c] = append(lat[c], time.Since(t))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if n := errs.Load(); n > 0 {
		b.Logf("%d of %d commands failed, the first with: %v", n, b.N, firstErr)
	}
	b.ReportMetric(float64(errs.Load()), "failed")
	all := slices.Concat(lat...)
	slices.Sort(all)
	if len(all) == 0 {
		return errs.Load()
	}
	b.ReportMetric(float64(int64(b.N)-errs.Load())/elapsed.Seconds(), "cmds/s") // answered ones only
	b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(0, "ns/op") // the latency percentiles say more than a mean
	return errs.Load()
}

// BenchmarkRush compares the ledger (one writer, group commit) with the
// naive design (one transaction per request with a conditional UPDATE) on
// the same data and workload, on SQLite (synchronous=FULL) and PostgreSQL.
func BenchmarkRush(b *testing.B) {
	dbs := []struct {
		name string
		open func(testing.TB) *store.DB
	}{
		{"sqlite", storetest.OpenSQLite},
		{"postgres", func(tb testing.TB) *store.DB {
			// 64 connections, as a web app tuned for a rush would have; the
			// ledger uses a few, the naive design as many as it gets.
			return storetest.Open(tb, storetest.PostgresURL(tb)+"&pool_max_conns=64")
		}},
	}
	for _, d := range dbs {
		for _, clients := range []int{256, 1000, 4000} {
			b.Run(fmt.Sprintf("ledger/%s/clients=%d", d.name, clients), func(b *testing.B) {
				f := newRush(b, d.open(b))
				e := f.engine(b)
				defer e.Close()
				f.stats.batches.Store(0)
				f.stats.logRows.Store(0)
				f.stats.nanos.Store(0)
				if failed := rush(b, f, clients, func(ctx context.Context, who int64, s *lanyard.Session) error {
					rs, err := e.Reserve(ctx, who, []string{s.Code}, false, "")
					if err != nil {
						return err
					}
					// A rush is refused for full sessions, overlaps and repeats,
					// never for time: a closed window or a started session means
					// the fixture's clock is wrong and the figures measure refusals.
					if e := rs[0].Error; e != nil && (e.Code == lanyard.EChangesClosed || e.Code == lanyard.EWindowClosed) {
						return e
					}
					return nil
				}); failed > 0 {
					b.Errorf("the ledger failed %d commands", failed)
				}
				if n := f.stats.batches.Load(); n > 0 {
					b.ReportMetric(float64(f.stats.logRows.Load())/float64(n), "cmds/batch")
					b.ReportMetric(float64(f.stats.nanos.Load())/float64(n)/1e6, "ms/commit")
				}
				checkNotOverbooked(b, f)
			})
			b.Run(fmt.Sprintf("naive/%s/clients=%d", d.name, clients), func(b *testing.B) {
				f := newRush(b, d.open(b))
				e := f.engine(b) // writes the seat rows the naive design updates
				e.Close()
				rush(b, f, clients, func(ctx context.Context, who int64, s *lanyard.Session) error {
					_, err := f.db.ReserveNaive(ctx, s.ID, who)
					return err
				})
				checkNotOverbooked(b, f)
			})
		}
	}
}

func checkNotOverbooked(b *testing.B, f *rushFixture) {
	b.Helper()
	snap, err := f.db.LoadLedger(context.Background(), f.cat.Event.ID)
	if err != nil {
		b.Fatal(err)
	}
	reservable := map[int64]int{}
	for _, s := range snap.Seats {
		reservable[s.SessionID] = s.Reservable
	}
	held := map[int64]int{}
	for _, r := range snap.Reservations {
		held[r.SessionID]++
	}
	for id, n := range held {
		if n > reservable[id] {
			b.Fatalf("session %d overbooked: %d > %d", id, n, reservable[id])
		}
	}
	b.Logf("%d reservations held in %d sessions", len(snap.Reservations), len(held))
}
