package deliver_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/lanyardhq/lanyard/internal/deliver"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/mail"
	"github.com/lanyardhq/lanyard/internal/mail/mailtest"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// setup makes an event with n attendees, each with one pending mail
// rendered when written (as a password reset is).
func setup(tb testing.TB, db *store.DB, n int, kind string) int64 {
	tb.Helper()
	ctx := context.Background()
	c := &lanyard.Catalog{Event: lanyard.Event{Slug: "mail-2026", Name: "Mail conf", TimeZone: "UTC", StartDate: "2026-11-30", Days: 1}}
	if _, err := db.ImportCatalog(ctx, c); err != nil {
		tb.Fatal(err)
	}
	ev := c.Event.ID
	as := make([]*lanyard.Attendee, n)
	for i := range as {
		as[i] = &lanyard.Attendee{Name: fmt.Sprintf("A%d", i), Email: fmt.Sprintf("a%d@example.com", i)}
	}
	if err := db.CreateAttendees(ctx, ev, as); err != nil {
		tb.Fatal(err)
	}
	msgs := make([]lanyard.Message, n)
	for i, a := range as {
		msgs[i] = lanyard.Message{EventID: ev, AttendeeID: a.ID, Kind: kind, Mail: true, Subject: "Seats released",
			Body: "Hello " + a.Name, CreatedAt: time.Now().Add(-time.Second)}
	}
	if err := db.AddMessages(ctx, msgs); err != nil {
		tb.Fatal(err)
	}
	return ev
}

func smtpConfig(tb testing.TB, s *mailtest.Server) mail.Config {
	cfg, err := mail.ParseURL(s.URL())
	if err != nil {
		tb.Fatal(err)
	}
	cfg.Timeout = 5 * time.Second
	return cfg
}

// runUntil runs d until cond holds or 10 s pass.
func runUntil(t *testing.T, d *deliver.Dispatcher, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	if !cond() {
		t.Fatal("condition not reached in 10 s")
	}
}

func states(t *testing.T, db *store.DB, ev int64) map[lanyard.MessageState]int {
	t.Helper()
	c, err := db.MailCounts(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDeliverRetriesAndFails(t *testing.T) {
	tests := []struct {
		name   string
		refuse func(n int, to string) *smtp.SMTPError
		// want: mails received, message state, attempts, last error fragment
		received int
		state    lanyard.MessageState
		attempts int
		lastErr  string
		counts   string // the metrics: sent, retry, failed
	}{
		{"accepted", nil, 1, lanyard.MessageSent, 1, "", "1 0 0"},
		{"421 then 451 then accepted", func(n int, _ string) *smtp.SMTPError {
			switch n {
			case 1:
				return &smtp.SMTPError{Code: 421, Message: "try later"}
			case 2:
				return &smtp.SMTPError{Code: 451, Message: "greylisted"}
			}
			return nil
		}, 1, lanyard.MessageSent, 3, "", "1 2 0"},
		{"550 fails at once", func(int, string) *smtp.SMTPError {
			return &smtp.SMTPError{Code: 550, Message: "no such user"}
		}, 0, lanyard.MessageFailed, 1, "no such user", "0 0 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.ForEach(t, func(t *testing.T, db *store.DB) {
				srv := mailtest.Start(t)
				srv.Refuse = tt.refuse
				ev := setup(t, db, 1, lanyard.KindWaveReleased)
				d := &deliver.Dispatcher{Store: db, Dial: deliver.SMTP(smtpConfig(t, srv)), Domain: "test.example",
					Poll: 5 * time.Millisecond, Backoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}
				reg := prometheus.NewRegistry()
				d.Metrics = deliver.NewMetrics(reg)
				runUntil(t, d, func() bool {
					c := states(t, db, ev)
					return c[lanyard.MessagePending] == 0
				})
				msgs, _ := db.Messages(context.Background(), ev)
				m := msgs[0]
				if got := mailMetrics(t, reg); got != tt.counts {
					t.Errorf("metrics sent/retry/failed %s, want %s", got, tt.counts)
				}
				if got := len(srv.Received()); got != tt.received {
					t.Errorf("received %d mails, want %d", got, tt.received)
				}
				if m.State != tt.state || m.Attempts != tt.attempts {
					t.Errorf("state %s after %d attempts, want %s after %d", m.State, m.Attempts, tt.state, tt.attempts)
				}
				if !strings.Contains(m.LastError, tt.lastErr) || (tt.lastErr == "" && m.LastError != "") {
					t.Errorf("last error %q, want %q", m.LastError, tt.lastErr)
				}
				if tt.received == 1 {
					got := srv.Received()[0]
					if want := fmt.Sprintf("<m%d@test.example>", m.ID); got.MessageID != want {
						t.Errorf("Message-ID %q, want %q", got.MessageID, want)
					}
					if got.To != "a0@example.com" {
						t.Errorf("to %q, want the attendee's address", got.To)
					}
				}
			})
		})
	}
}

func TestAnnouncementHasListUnsubscribe(t *testing.T) {
	db := storetest.OpenSQLite(t)
	srv := mailtest.Start(t)
	ev := setup(t, db, 1, lanyard.KindAnnouncement)
	d := &deliver.Dispatcher{Store: db, Dial: deliver.SMTP(smtpConfig(t, srv)), Poll: 5 * time.Millisecond,
		Unsubscribe: func(m store.Mail) string { return fmt.Sprintf("https://example.com/settings?a=%d", m.AttendeeID) }}
	runUntil(t, d, func() bool { return states(t, db, ev)[lanyard.MessageSent] == 1 })
	got := srv.Received()[0].Header.Get("List-Unsubscribe")
	if !strings.HasPrefix(got, "<https://example.com/settings?a=") {
		t.Errorf("List-Unsubscribe %q, want the settings URL in angle brackets", got)
	}
}

// Two dispatchers (two nodes) on one database send each message once.
func TestTwoDispatchersSendEachOnce(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		const n = 300
		srv := mailtest.Start(t)
		ev := setup(t, db, n, lanyard.KindWaveReleased)
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for range 2 {
			d := &deliver.Dispatcher{Store: db, Dial: deliver.SMTP(smtpConfig(t, srv)), Poll: 5 * time.Millisecond, Batch: 16, Workers: 4}
			wg.Go(func() { d.Run(ctx) })
		}
		deadline := time.Now().Add(20 * time.Second)
		for srv.Count() < n && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond) // a duplicate would arrive now
		cancel()
		wg.Wait()
		seen := map[string]int{}
		for _, r := range srv.Received() {
			seen[r.MessageID]++
		}
		if len(seen) != n || srv.Count() != n {
			t.Errorf("%d mails, %d distinct, want %d each", srv.Count(), len(seen), n)
		}
		if c := states(t, db, ev); c[lanyard.MessageSent] != n {
			t.Errorf("states %v, want %d sent", c, n)
		}
	})
}

func TestParseURL(t *testing.T) {
	tests := []struct {
		in      string
		want    string // Redacted, or "" for an error
		implict bool
	}{
		{"smtp://u:secret@mail.example.com", "smtp://u:xxxxx@mail.example.com:587", false},
		{"smtps://u:secret@mail.example.com", "smtps://u:xxxxx@mail.example.com:465", true},
		{"smtp://mail.example.com:2525", "smtp://mail.example.com:2525", false},
		{"http://mail.example.com", "", false},
		{"smtp://", "", false},
		{"smtp://h:99999", "", false},
		{"smtps://h?tls=none", "", false},
	}
	for _, tt := range tests {
		c, err := mail.ParseURL(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("ParseURL(%q) = %v, want an error", tt.in, c)
			}
			continue
		}
		if err != nil || c.Redacted() != tt.want || c.ImplicitTLS != tt.implict {
			t.Errorf("ParseURL(%q) = %q implicit %v, %v; want %q implicit %v", tt.in, c.Redacted(), c.ImplicitTLS, err, tt.want, tt.implict)
		}
	}
}

func TestBackoffGrowsWithJitter(t *testing.T) {
	for attempt, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 10: 8 * time.Second} {
		for range 20 {
			got := deliver.Backoff(attempt, time.Second, 8*time.Second)
			if got < want/2 || got > want {
				t.Errorf("Backoff(%d) = %v, want in [%v, %v]", attempt, got, want/2, want)
			}
		}
	}
}

// mailMetrics returns lanyard_mail_total's sent, retry and failed counts.
func mailMetrics(t *testing.T, reg *prometheus.Registry) string {
	t.Helper()
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]float64{}
	for _, f := range fams {
		for _, m := range f.GetMetric() {
			n[m.GetLabel()[0].GetValue()] = m.GetCounter().GetValue()
		}
	}
	return fmt.Sprintf("%g %g %g", n["sent"], n["retry"], n["failed"])
}
