package reserve_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// BenchmarkRushWebhooks is BenchmarkRush's ledger with one webhook
// endpoint subscribed to reservation.created (and cancelled): every
// reservation also writes a delivery row in its batch. Compare it with
// BenchmarkRush/ledger at the same clients, where nobody subscribed.
func BenchmarkRushWebhooks(b *testing.B) {
	dbs := []struct {
		name string
		open func(testing.TB) *store.DB
	}{
		{"sqlite", storetest.OpenSQLite},
		{"postgres", func(tb testing.TB) *store.DB {
			return storetest.Open(tb, storetest.PostgresURL(tb)+"&pool_max_conns=64")
		}},
	}
	for _, d := range dbs {
		b.Run(fmt.Sprintf("ledger/%s/clients=1000", d.name), func(b *testing.B) {
			f := newRush(b, d.open(b))
			ep := lanyard.WebhookEndpoint{EventID: f.cat.Event.ID, URL: "https://hooks.example.com/lanyard",
				Events: []string{lanyard.EventReservationCreated, lanyard.EventReservationCancelled}, Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}
			if err := f.db.CreateWebhookEndpoint(context.Background(), &ep); err != nil {
				b.Fatal(err)
			}
			e := f.engine(b)
			defer e.Close()
			f.stats.batches.Store(0)
			f.stats.logRows.Store(0)
			f.stats.nanos.Store(0)
			rush(b, f, 1000, func(ctx context.Context, who int64, s *lanyard.Session) error {
				_, err := e.Reserve(ctx, who, []string{s.Code}, false, "")
				return err
			})
			if n := f.stats.batches.Load(); n > 0 {
				b.ReportMetric(float64(f.stats.logRows.Load())/float64(n), "cmds/batch")
				b.ReportMetric(float64(f.stats.nanos.Load())/float64(n)/1e6, "ms/commit")
			}
		})
	}
}
