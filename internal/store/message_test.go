package store_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// Migration 8 moves the engine's notifications and the outbox's mail into
// messages, oldest first, each with the channels and state it had.
func TestMessagesMigrationMovesRows(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			dsn := filepath.Join(t.TempDir(), "lanyard.db")
			if backend == "postgres" {
				dsn = storetest.PostgresURL(t)
			}
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.MigrateTo(ctx, 7); err != nil {
				t.Fatal(err)
			}
			ev := mustImport(t, db, testCatalog())
			a := mustCreateAttendee(t, db, ev.ID, "Ada", "ada@example.com")
			var session int64
			if err := db.QueryRowForTest(ctx, `SELECT id FROM sessions WHERE code = 'KEY001'`, &session); err != nil {
				t.Fatal(err)
			}
			t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
			for _, q := range []struct {
				sql  string
				args []any
			}{
				{`INSERT INTO notifications (attendee_id, kind, session_id, body, created_at, sent_at) VALUES (?, 'waitlist_promoted', ?, 'A seat is yours.', ?, NULL)`,
					[]any{a.ID, session, t0.Add(2 * time.Minute)}},
				{`INSERT INTO outbox (event_id, attendee_id, kind, recipient, subject, body, created_at, sent_at) VALUES (?, ?, 'password_reset', 'ada@example.com', 'Reset', 'Open /reset/x', ?, ?)`,
					[]any{ev.ID, a.ID, t0.Add(time.Minute), t0.Add(90 * time.Second)}},
			} {
				if err := db.Exec(ctx, q.sql, q.args...); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			msgs, err := db.Messages(ctx, ev.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(msgs), 2; got != want {
				t.Fatalf("%d messages after the migration, want %d: %+v", got, want, msgs)
			}
			reset, promo := msgs[0], msgs[1] // oldest first
			if reset.Kind != "password_reset" || !reset.Mail || reset.App || reset.Recipient != "ada@example.com" ||
				reset.Subject != "Reset" || reset.Body != "Open /reset/x" || reset.State != lanyard.MessageSent ||
				!reset.SentAt.Equal(t0.Add(90*time.Second)) || !reset.CreatedAt.Equal(t0.Add(time.Minute)) {
				t.Errorf("moved reset mail %+v", reset)
			}
			if promo.Kind != "waitlist_promoted" || !promo.Mail || !promo.App || promo.AttendeeID != a.ID || promo.SessionID != session ||
				promo.Body != "A seat is yours." || promo.Language != "en" || promo.State != lanyard.MessagePending ||
				!promo.NextAttemptAt.Equal(t0.Add(2*time.Minute)) || promo.EventID != ev.ID {
				t.Errorf("moved promotion %+v", promo)
			}
		})
	}
}

// A message needs a channel, and mail needs someone to go to: the table
// refuses the rest rather than keep what can never be delivered.
func TestMessageNeedsChannelAndRecipient(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		a := mustCreateAttendee(t, db, ev.ID, "Ada", "ada@example.com")
		for name, q := range map[string]string{
			"no channel":         `INSERT INTO messages (event_id, attendee_id, kind, by_mail, in_app, created_at) VALUES (?, ?, 'k', FALSE, FALSE, ?)`,
			"app without anyone": `INSERT INTO messages (event_id, attendee_id, kind, by_mail, in_app, created_at) VALUES (?, NULL, 'k', FALSE, TRUE, ?)`,
			"mail to no one":     `INSERT INTO messages (event_id, attendee_id, kind, by_mail, in_app, created_at) VALUES (?, NULL, 'k', TRUE, FALSE, ?)`,
		} {
			args := []any{ev.ID, a.ID, time.Now().UTC()}
			if name != "no channel" {
				args = []any{ev.ID, time.Now().UTC()}
			}
			if err := db.Exec(ctx, q, args...); err == nil {
				t.Errorf("%s: stored", name)
			}
		}
		msgs, _ := db.Messages(ctx, ev.ID)
		if len(msgs) != 0 {
			t.Fatalf("%d messages stored, want 0", len(msgs))
		}
	})
}
