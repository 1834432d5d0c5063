package deliver_test

import (
	"context"
	"os"
	"runtime"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/deliver"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/mail/mailtest"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// BenchmarkWaveAnnouncement65k mails a wave announcement to 65,000
// attendees through the dispatcher to an in-process SMTP sink over TCP,
// on SQLite (and PostgreSQL when LANYARD_TEST_POSTGRES is set). Each
// iteration is the whole announcement. Reports mails/s, the heap in use at
// the end and the process's max RSS.
func BenchmarkWaveAnnouncement65k(b *testing.B) {
	backends := map[string]func(testing.TB) *store.DB{"sqlite": storetest.OpenSQLite}
	if os.Getenv(storetest.EnvPostgres) != "" {
		backends["postgres"] = storetest.OpenPostgres
	}
	for name, open := range backends {
		b.Run(name, func(b *testing.B) {
			const n = 65_000
			for b.Loop() {
				b.StopTimer()
				db := open(b)
				ev := setup(b, db, n, lanyard.KindWaveReleased)
				srv := mailtest.Start(b)
				srv.Discard = true
				cfg := smtpConfig(b, srv)
				cs := &countingStore{DB: db}
				d := &deliver.Dispatcher{Store: cs, Dial: deliver.SMTP(cfg), Poll: 10 * time.Millisecond, Markers: deliver.MarkersFor(db.Dialect())}
				ctx, cancel := context.WithCancel(context.Background())
				runtime.GC()
				b.StartTimer()
				start := time.Now()
				done := make(chan struct{})
				go func() { d.Run(ctx); close(done) }()
				for srv.Count() < n {
					time.Sleep(2 * time.Millisecond)
				}
				elapsed := time.Since(start)
				b.StopTimer()
				cancel()
				<-done
				if c, _ := db.MailCounts(context.Background(), ev); c[lanyard.MessageSent] != n {
					b.Fatalf("states %v, want %d sent", c, n)
				}
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				var ru syscall.Rusage
				syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
				b.ReportMetric(float64(n)/elapsed.Seconds(), "mails/s")
				b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heapMB")
				b.ReportMetric(float64(ru.Maxrss)/1024, "maxRSSMB")
				b.ReportMetric(float64(cs.commits.Load())/n, "sentCommits/mail")
				b.Logf("%s: %d mails in %v (%.0f/s), heap in use %d MB, max RSS %d MB", name, n, elapsed.Round(time.Millisecond),
					float64(n)/elapsed.Seconds(), ms.HeapInuse>>20, ru.Maxrss>>10)
				db.Close()
				b.StartTimer()
			}
		})
	}
}

// BenchmarkWriterHold measures how long the dispatcher holds SQLite's one
// writer, which the engine's group commit also needs: per mail marked
// sent, and per claim of 256.
func BenchmarkWriterHold(b *testing.B) {
	db := storetest.OpenSQLite(b)
	ctx := context.Background()
	setup(b, db, 100_000, lanyard.KindWaveReleased)
	b.Run("claim256", func(b *testing.B) {
		for b.Loop() {
			if ms, err := db.ClaimMail(ctx, time.Now(), time.Hour, 256); err != nil || len(ms) != 256 {
				b.Fatal(len(ms), err)
			}
		}
	})
	b.Run("sent", func(b *testing.B) {
		id := int64(1)
		for b.Loop() {
			if err := db.MailSent(ctx, []int64{id}, time.Now()); err != nil {
				b.Fatal(err)
			}
			id++
		}
	})
}

// countingStore counts the commits that mark mail sent.
type countingStore struct {
	*store.DB
	commits atomic.Int64
}

func (c *countingStore) MailSent(ctx context.Context, ids []int64, at time.Time) error {
	c.commits.Add(1)
	return c.DB.MailSent(ctx, ids, at)
}
