package main

import (
	"database/sql"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/mail/mailtest"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// TestMailCrashSendsNothingTwice kills `lanyard serve` with SIGKILL while
// it mails a wave's promotions to a real SMTP server over TCP. After a
// restart every message has arrived, and a message arrived twice only if
// its acceptance was in flight at the kill: at most one per sending
// connection, with the same Message-ID.
func TestMailCrashSendsNothingTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a server; skipped with -short")
	}
	bin := buildBinary(t)
	t.Setenv("LANYARD_MAIL_LEASE", "2s") // the killed node's claims lapse quickly
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		mailCrash(t, bin, dir, filepath.Join(dir, "mail.db"), "sqlite", "?1")
	})
	t.Run("postgres", func(t *testing.T) {
		mailCrash(t, bin, t.TempDir(), storetest.PostgresURL(t), "pgx", "$1")
	})
}

func mailCrash(t *testing.T, bin, dir, db, driver, param string) {
	const attendees, workers = 1000, 8 // 8: the dispatcher's default connections
	if code, _, stderr := runCmd(t, "demo", "--db", db, "--attendees", "1000", "--serve=false", "--tokens", filepath.Join(dir, "tokens.csv")); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	sdb, err := sql.Open(driver, db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	// A wave's mail, as the engine's batch writes it: one message per
	// promoted attendee, by mail and in the app, rendered at delivery.
	if _, err := sdb.Exec(`INSERT INTO messages (event_id, attendee_id, session_id, kind, by_mail, in_app, template, params, state, next_attempt_at, created_at)
		SELECT event_id, id, NULL, 'wave_released', TRUE, TRUE, 'wave_released', '{"code":"KEY001","reserved":"true"}', 'pending', `+param+`, `+param+` FROM attendees`,
		time.Now().UTC().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	// The test is about mail due now: the demo also schedules reminders
	// for later (a meetup's, a contact's follow-up), which would wait.
	if _, err := sdb.Exec(`DELETE FROM messages WHERE next_attempt_at > `+param, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	var total int
	if err := sdb.QueryRow(`SELECT COUNT(*) FROM messages WHERE state = 'pending'`).Scan(&total); err != nil || total < attendees {
		t.Fatalf("%d pending messages (%v), want at least %d", total, err, attendees)
	}

	srv := mailtest.Start(t)
	args := []string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--log-level", "error", "--smtp-url", srv.URL(), "--mail-rate", "400"}
	cmd, _ := startProcess(t, bin, args...)
	deadline := time.Now().Add(30 * time.Second)
	for srv.Count() < total/3 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	atKill := srv.Count()
	if atKill == 0 || atKill >= total {
		t.Fatalf("%d of %d mails sent at the kill: the kill was not during the mail", atKill, total)
	}

	startProcess(t, bin, args...)
	deadline = time.Now().Add(60 * time.Second)
	pending := total
	for pending > 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		if err := sdb.QueryRow(`SELECT COUNT(*) FROM messages WHERE state <> 'sent'`).Scan(&pending); err != nil {
			t.Fatal(err)
		}
	}
	if pending > 0 {
		t.Fatalf("%d messages not sent a minute after the restart", pending)
	}
	time.Sleep(100 * time.Millisecond)
	seen := map[string]int{}
	for _, r := range srv.Received() {
		seen[r.MessageID]++
	}
	dups := 0
	for id, n := range seen {
		if n > 2 {
			t.Errorf("%s arrived %d times", id, n)
		}
		dups += n - 1
	}
	if len(seen) != total {
		t.Errorf("%d distinct mails arrived, want %d", len(seen), total)
	}
	if dups > workers {
		t.Errorf("%d mails arrived twice; at most %d (one in flight per connection) may", dups, workers)
	}
	t.Logf("%d mails, %d sent before the SIGKILL, %d arrived twice (same Message-ID)", total, atKill, dups)
}
