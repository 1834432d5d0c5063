package webhook_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
	"github.com/lanyardhq/lanyard/internal/webhook"
)

// BenchmarkFanOut delivers b.N events, written by one engine batch, to a
// receiver on loopback: claims, signed posts over kept-alive connections,
// and the delivery log's commits. Reports deliveries/s.
//
//	go test ./internal/webhook -run '^$' -bench FanOut -benchtime 5000x
func BenchmarkFanOut(b *testing.B) {
	for _, d := range []struct {
		name string
		open func(testing.TB) *store.DB
	}{{"sqlite", storetest.OpenSQLite}, {"postgres", storetest.OpenPostgres}} {
		b.Run(d.name, func(b *testing.B) {
			db := d.open(b)
			ctx := context.Background()
			var got atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				got.Add(1)
			}))
			defer srv.Close()
			ev := newEvent(b, db)
			ep := lanyard.WebhookEndpoint{EventID: ev, URL: srv.URL, Events: []string{lanyard.EventReservationCreated}, Secret: webhook.NewSecret()}
			if err := db.CreateWebhookEndpoint(ctx, &ep); err != nil {
				b.Fatal(err)
			}
			rows := make([]reserve.LogRow, b.N)
			for i := range rows {
				rows[i] = reserve.LogRow{Seq: int64(i + 1), AttendeeID: int64(i + 1), Command: "reserve", SessionID: 1, Outcome: lanyard.OutcomeReserved}
			}
			if err := db.CommitBatch(ctx, &reserve.Batch{EventID: ev, ID: 1, At: time.Now().Add(-time.Second), Log: rows}); err != nil {
				b.Fatal(err)
			}
			d := &webhook.Dispatcher{Store: db, Client: webhook.NewClient(true)}
			b.ResetTimer()
			start := time.Now()
			for got.Load() < int64(b.N) {
				if n, err := d.Once(ctx); err != nil {
					b.Fatal(err)
				} else if n == 0 {
					break
				}
			}
			el := time.Since(start)
			b.StopTimer()
			if got.Load() != int64(b.N) {
				b.Fatalf("received %d, want %d", got.Load(), b.N)
			}
			b.ReportMetric(float64(b.N)/el.Seconds(), "deliveries/s")
			b.ReportMetric(0, "ns/op")
		})
	}
}
