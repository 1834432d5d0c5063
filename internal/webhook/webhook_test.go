package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
	"github.com/lanyardhq/lanyard/internal/webhook"
)

// receiver is a webhook endpoint that verifies every request with the
// Standard Webhooks reference library (not our code) and counts them by
// webhook-id; status says what it answers.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	got      map[string]int // webhook-id → times received
	types    []string
	bad      int // requests whose signature did not verify
	status   func(n int) int
	n        int
	secret   string
	verifier *standardwebhooks.Webhook
}

func newReceiver(t testing.TB, secret string, status func(n int) int) *receiver {
	t.Helper()
	v, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	r := &receiver{got: map[string]int{}, status: status, secret: secret, verifier: v}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		if err := r.verifier.Verify(body, req.Header); err != nil {
			r.bad++
			http.Error(w, "bad signature", http.StatusBadRequest)
			return
		}
		var p struct{ Type string }
		json.Unmarshal(body, &p)
		r.got[req.Header.Get("webhook-id")]++
		r.types = append(r.types, p.Type)
		r.n++
		code := http.StatusOK
		if r.status != nil {
			code = r.status(r.n)
		}
		w.WriteHeader(code)
		fmt.Fprintf(w, "answer %d", r.n)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

func newEvent(t testing.TB, db *store.DB) int64 {
	t.Helper()
	c := &lanyard.Catalog{Event: lanyard.Event{Slug: "hooks-2026", Name: "Hooks conf", TimeZone: "UTC", StartDate: "2026-11-30", Days: 1}}
	if _, err := db.ImportCatalog(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c.Event.ID
}

func newEndpoint(t testing.TB, db *store.DB, ev int64, r *receiver, events ...string) lanyard.WebhookEndpoint {
	t.Helper()
	e := lanyard.WebhookEndpoint{EventID: ev, URL: r.URL, Events: events, Secret: r.secret}
	if err := db.CreateWebhookEndpoint(context.Background(), &e); err != nil {
		t.Fatal(err)
	}
	return e
}

// hooked makes an event and a receiver registered as its endpoint for events.
func hooked(t testing.TB, db *store.DB, status func(int) int, events ...string) (int64, lanyard.WebhookEndpoint, *receiver) {
	t.Helper()
	ev := newEvent(t, db)
	secret := webhook.NewSecret()
	r := newReceiver(t, secret, status)
	e := lanyard.WebhookEndpoint{EventID: ev, URL: r.URL + "/hook", Events: events, Secret: secret}
	if err := db.CreateWebhookEndpoint(context.Background(), &e); err != nil {
		t.Fatal(err)
	}
	return ev, e, r
}

func dispatcher(db *store.DB) *webhook.Dispatcher {
	return &webhook.Dispatcher{Store: db, Client: webhook.NewClient(true), Backoff: time.Second, MaxBackoff: time.Minute}
}

func deliveries(t testing.TB, db *store.DB, ev, endpoint int64) []lanyard.WebhookDelivery {
	t.Helper()
	ds, err := db.WebhookDeliveries(context.Background(), ev, endpoint, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func TestSignMatchesReferenceLibrary(t *testing.T) {
	secret := webhook.NewSecret()
	ts := time.Unix(1700000000, 0)
	body := []byte(`{"type":"reservation.created"}`)
	got, err := webhook.Sign(secret, "msg_1", ts, body)
	if err != nil {
		t.Fatal(err)
	}
	v, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	want, err := v.Sign("msg_1", ts, body)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("Sign=%q, want %q", got, want)
	}
	if _, err := webhook.Sign("whsec_not base64!", "msg_1", ts, body); err == nil {
		t.Fatal("Sign with a bad secret: no error")
	}
}

func TestPublic(t *testing.T) {
	for _, tt := range []struct {
		ip   string
		want bool
	}{
		{"127.0.0.1", false}, {"::1", false}, {"10.1.2.3", false}, {"192.168.0.1", false}, {"172.16.0.1", false},
		{"169.254.169.254", false}, {"fe80::1", false}, {"fd00::1", false}, {"0.0.0.0", false}, {"100.64.0.1", false},
		{"::ffff:127.0.0.1", false}, {"93.184.216.34", true}, {"2606:4700::1111", true},
	} {
		t.Run(tt.ip, func(t *testing.T) {
			if got := webhook.Public(netipMust(tt.ip)); got != tt.want {
				t.Fatalf("Public(%s)=%v, want %v", tt.ip, got, tt.want)
			}
		})
	}
}

func TestAttendeeCreatedDelivered(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev, e, r := hooked(t, db, nil, lanyard.EventAttendeeCreated)
		if err := db.CreateAttendees(ctx, ev, []*lanyard.Attendee{{Name: "Ada", Email: "ada@example.com"}}); err != nil {
			t.Fatal(err)
		}
		if n, err := dispatcher(db).Once(ctx); err != nil || n != 1 {
			t.Fatalf("Once=%d, %v; want 1", n, err)
		}
		if got, want := r.count(), 1; got != want {
			t.Fatalf("received %d, want %d (bad signatures %d)", got, want, r.bad)
		}
		if r.bad != 0 || r.types[0] != lanyard.EventAttendeeCreated {
			t.Fatalf("bad=%d types=%v", r.bad, r.types)
		}
		ds := deliveries(t, db, ev, e.ID)
		if len(ds) != 1 || ds[0].State != lanyard.MessageSent || ds[0].LastStatus != 200 {
			t.Fatalf("deliveries=%+v", ds)
		}
		// A creation that rolls back (the second email is taken) writes no event.
		err := db.CreateAttendees(ctx, ev, []*lanyard.Attendee{{Name: "Bo", Email: "bo@example.com"}, {Name: "Ada again", Email: "ada@example.com"}})
		if err == nil {
			t.Fatal("a taken email was accepted")
		}
		if got := deliveries(t, db, ev, e.ID); len(got) != 1 {
			t.Fatalf("after a rolled-back creation: %d deliveries, want 1", len(got))
		}
		log, err := db.WebhookAttempts(ctx, ev, ds[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(log) != 1 || log[0].Status != 200 || log[0].Response != "answer 1" {
			t.Fatalf("log=%+v", log)
		}
	})
}

// batch is a committed-looking batch of log rows only.
func batch(ev, id int64, rows ...reserve.LogRow) *reserve.Batch {
	for i := range rows {
		rows[i].Seq = id*100 + int64(i)
	}
	return &reserve.Batch{EventID: ev, ID: id, At: time.Now(), Log: rows}
}

func TestBatchEventsOnlyWhenCommitted(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev, e, r := hooked(t, db, nil, lanyard.WebhookEvents...)
		b := batch(ev, 1,
			reserve.LogRow{AttendeeID: 1, Command: "reserve", SessionID: 1, Outcome: lanyard.OutcomeReserved},
			reserve.LogRow{AttendeeID: 1, Command: "reserve", SessionID: 2, Outcome: lanyard.OutcomeRefused, Detail: "full"},
			reserve.LogRow{AttendeeID: 2, Command: "cancel", SessionID: 1, Outcome: lanyard.OutcomeCancelled},
			reserve.LogRow{AttendeeID: 3, Command: "promote", SessionID: 1, Outcome: lanyard.OutcomePromoted},
			reserve.LogRow{AttendeeID: 3, Command: "check_in", SessionID: 1, Outcome: lanyard.OutcomeCheckedIn},
			reserve.LogRow{Command: "change", SessionID: 1, Outcome: "changed", Detail: "time"},
			reserve.LogRow{Command: "settings", Outcome: lanyard.OutcomeSettings},
		)
		if err := db.CommitBatch(ctx, b); err != nil {
			t.Fatal(err)
		}
		// A batch that rolls back (it cancels a reservation nobody holds)
		// writes no delivery.
		bad := batch(ev, 2, reserve.LogRow{AttendeeID: 9, Command: "reserve", SessionID: 1, Outcome: lanyard.OutcomeReserved})
		bad.Cancel = []reserve.KeyRow{{SessionID: 424242, AttendeeID: 9}}
		if err := db.CommitBatch(ctx, bad); err == nil {
			t.Fatal("bad batch committed")
		}
		ds := deliveries(t, db, ev, e.ID)
		var got []string
		for i := len(ds) - 1; i >= 0; i-- {
			got = append(got, ds[i].Type)
		}
		want := []string{lanyard.EventReservationCreated, lanyard.EventReservationCancelled, lanyard.EventWaitlistPromoted,
			lanyard.EventCheckinCreated, lanyard.EventSessionChanged}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("delivery types=%v, want %v", got, want)
		}
		// The body is built from the log row when read or delivered.
		var first struct {
			Type string
			Data store.HookLogData
		}
		if err := json.Unmarshal([]byte(ds[len(ds)-1].Payload), &first); err != nil {
			t.Fatalf("payload %q: %v", ds[len(ds)-1].Payload, err)
		}
		if first.Type != lanyard.EventReservationCreated || first.Data.Command != "reserve" || first.Data.AttendeeID != 1 || first.Data.Seq != 100 || first.Data.BatchID != 1 {
			t.Fatalf("payload %+v", first)
		}
		for ran := 0; ran < 3; ran++ {
			dispatcher(db).Once(ctx)
		}
		if got, want := r.count(), 5; got != want || r.bad != 0 {
			t.Fatalf("received %d (bad %d), want %d", got, r.bad, want)
		}
	})
}

func TestUnsubscribedBatchWritesNothing(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev, e, _ := hooked(t, db, nil, lanyard.EventAttendeeCreated)
		if err := db.CommitBatch(ctx, batch(ev, 1, reserve.LogRow{AttendeeID: 1, Command: "reserve", SessionID: 1, Outcome: lanyard.OutcomeReserved})); err != nil {
			t.Fatal(err)
		}
		if ds := deliveries(t, db, ev, e.ID); len(ds) != 0 {
			t.Fatalf("deliveries=%+v, want none", ds)
		}
		// Disabled endpoints get nothing either.
		e.Enabled, e.Events = false, []string{lanyard.EventReservationCreated}
		if err := db.UpdateWebhookEndpoint(ctx, &e); err != nil {
			t.Fatal(err)
		}
		if err := db.CommitBatch(ctx, batch(ev, 2, reserve.LogRow{AttendeeID: 1, Command: "reserve", SessionID: 2, Outcome: lanyard.OutcomeReserved})); err != nil {
			t.Fatal(err)
		}
		if ds := deliveries(t, db, ev, e.ID); len(ds) != 0 {
			t.Fatalf("deliveries to a disabled endpoint=%+v, want none", ds)
		}
	})
}

func TestRetryBackoffAndGone(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// 503 first, then 200.
		ev, e, r := hooked(t, db, func(n int) int {
			if n == 1 {
				return http.StatusServiceUnavailable
			}
			return http.StatusOK
		}, lanyard.EventAttendeeCreated)
		if err := db.CreateAttendees(ctx, ev, []*lanyard.Attendee{{Name: "Ada", Email: "ada@example.com"}}); err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		d := dispatcher(db)
		d.Now = func() time.Time { return now }
		d.Once(ctx)
		ds := deliveries(t, db, ev, e.ID)
		if ds[0].State != lanyard.MessagePending || ds[0].LastStatus != 503 || !ds[0].NextAt.After(now) {
			t.Fatalf("after 503: %+v", ds[0])
		}
		if n, _ := d.Once(ctx); n != 0 {
			t.Fatalf("claimed %d before the backoff ended", n)
		}
		now = now.Add(time.Minute)
		if n, _ := d.Once(ctx); n != 1 {
			t.Fatalf("claimed %d after the backoff, want 1", n)
		}
		if ds = deliveries(t, db, ev, e.ID); ds[0].State != lanyard.MessageSent || r.count() != 2 {
			t.Fatalf("after retry: %+v, received %d", ds[0], r.count())
		}
		if log, _ := db.WebhookAttempts(ctx, ev, ds[0].ID); len(log) != 2 || log[1].Status != 503 {
			t.Fatalf("log=%+v", log)
		}

		// 410 disables the endpoint.
		gone := newReceiver(t, webhook.NewSecret(), func(int) int { return http.StatusGone })
		g := newEndpoint(t, db, ev, gone, lanyard.EventAttendeeCreated)
		if err := db.CreateAttendees(ctx, ev, []*lanyard.Attendee{{Name: "Bo", Email: "bo@example.com"}}); err != nil {
			t.Fatal(err)
		}
		d.Once(ctx)
		got, err := db.WebhookEndpoint(ctx, ev, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Enabled || got.DisabledReason != "410 Gone" {
			t.Fatalf("after 410: enabled=%v reason=%q", got.Enabled, got.DisabledReason)
		}
		gs := deliveries(t, db, ev, g.ID)
		if len(gs) != 1 || gs[0].State != lanyard.MessageFailed {
			t.Fatalf("deliveries to the 410 endpoint=%+v", gs)
		}
	})
}

func TestPrivateAddressRefused(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev, e, r := hooked(t, db, nil, lanyard.EventAttendeeCreated)
		d := dispatcher(db)
		d.Client = webhook.NewClient(false)
		if err := db.CreateAttendees(ctx, ev, []*lanyard.Attendee{{Name: "Ada", Email: "ada@example.com"}}); err != nil {
			t.Fatal(err)
		}
		d.Once(ctx)
		if r.count() != 0 {
			t.Fatal("the loopback receiver was reached")
		}
		ds := deliveries(t, db, ev, e.ID)
		if ds[0].State != lanyard.MessageFailed || ds[0].LastError == "" {
			t.Fatalf("delivery=%+v, want failed", ds[0])
		}
		if !strings.Contains(ds[0].LastError, "loopback, link-local or private") {
			t.Fatalf("last error %q does not say why", ds[0].LastError)
		}
		// A name is checked at dial time, after it resolves: localhost too.
		name := lanyard.WebhookEndpoint{EventID: ev, URL: strings.Replace(r.URL, "127.0.0.1", "localhost", 1), Events: []string{lanyard.EventAttendeeCreated}, Secret: r.secret}
		if err := db.CreateWebhookEndpoint(ctx, &name); err != nil {
			t.Fatal(err)
		}
		if _, err := db.EnqueueWebhook(ctx, name.ID, lanyard.EventTest, "msg_t", nil); err != nil {
			t.Fatal(err)
		}
		d.Once(ctx)
		if got := deliveries(t, db, ev, name.ID); got[0].State != lanyard.MessageFailed || r.count() != 0 {
			t.Fatalf("delivery to localhost=%+v, received %d", got[0], r.count())
		}
		// Redelivery with private addresses allowed reaches it.
		if err := db.Redeliver(ctx, ev, ds[0].ID); err != nil {
			t.Fatal(err)
		}
		dispatcher(db).Once(ctx)
		if r.count() != 1 {
			t.Fatalf("after redelivery received %d, want 1", r.count())
		}
		if err := db.Redeliver(ctx, ev+1, ds[0].ID); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Fatalf("redeliver of another event's delivery: %v, want ENOTFOUND", err)
		}
	})
}

func TestExactlyOnceAcrossTwoDispatchers(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev, e, r := hooked(t, db, nil, lanyard.EventAttendeeCreated)
		const n = 300
		as := make([]*lanyard.Attendee, n)
		for i := range as {
			as[i] = &lanyard.Attendee{Name: fmt.Sprintf("A%d", i), Email: fmt.Sprintf("a%d@example.com", i)}
		}
		if err := db.CreateAttendees(ctx, ev, as); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d := dispatcher(db)
				d.Batch = 16
				for {
					k, err := d.Once(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					if k == 0 {
						return
					}
				}
			}()
		}
		wg.Wait()
		r.mu.Lock()
		defer r.mu.Unlock()
		if len(r.got) != n {
			t.Fatalf("received %d distinct messages, want %d", len(r.got), n)
		}
		for id, k := range r.got {
			if k != 1 {
				t.Fatalf("%s received %d times", id, k)
			}
		}
		for _, dl := range deliveries(t, db, ev, e.ID) {
			if dl.State != lanyard.MessageSent {
				t.Fatalf("delivery %d is %s", dl.ID, dl.State)
			}
		}
	})
}

func TestSweep(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev, e, _ := hooked(t, db, nil, lanyard.EventAttendeeCreated)
		if err := db.CreateAttendees(ctx, ev, []*lanyard.Attendee{{Name: "Ada", Email: "ada@example.com"}}); err != nil {
			t.Fatal(err)
		}
		dispatcher(db).Once(ctx)
		if n, err := db.SweepWebhooks(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
			t.Fatalf("sweep of nothing old: %d, %v", n, err)
		}
		if n, err := db.SweepWebhooks(ctx, time.Now().Add(time.Hour)); err != nil || n != 2 {
			t.Fatalf("sweep: %d, %v; want 2 rows (attempt and delivery)", n, err)
		}
		if ds := deliveries(t, db, ev, e.ID); len(ds) != 0 {
			t.Fatalf("deliveries after sweep=%+v", ds)
		}
	})
}

// Sign-up and the registration import emit attendee.created; an import's
// dry run (rolled back) emits nothing.
func TestAttendeeCreatedBySignUpAndImport(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev, e, _ := hooked(t, db, nil, lanyard.EventAttendeeCreated)
		if err := db.SignUp(ctx, ev, &lanyard.Attendee{Name: "Ada", Email: "ada@example.com"}, "argon2id$x"); err != nil {
			t.Fatal(err)
		}
		regs := []store.Registration{{Row: 1, Name: "Bo", Email: "bo@example.com"}, {Row: 2, Name: "Cy", Email: "cy@example.com"}}
		if _, err := db.ApplyRegistrations(ctx, ev, regs, nil, true); !errors.Is(err, store.ErrRolledBack) {
			t.Fatalf("dry run: %v, want ErrRolledBack", err)
		}
		if got := len(deliveries(t, db, ev, e.ID)); got != 1 {
			t.Fatalf("after sign-up and a dry run: %d deliveries, want 1", got)
		}
		if _, err := db.ApplyRegistrations(ctx, ev, regs, nil, false); err != nil {
			t.Fatal(err)
		}
		ds := deliveries(t, db, ev, e.ID)
		if len(ds) != 3 {
			t.Fatalf("after the import: %d deliveries, want 3", len(ds))
		}
		var data struct{ Data store.HookAttendeeData }
		if err := json.Unmarshal([]byte(ds[0].Payload), &data); err != nil || data.Data.Email != "cy@example.com" || data.Data.AttendeeID == 0 {
			t.Fatalf("payload %s: %+v, %v", ds[0].Payload, data, err)
		}
	})
}
