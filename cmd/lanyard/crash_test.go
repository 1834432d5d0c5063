package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// buildBinary compiles lanyard once for tests that run it as a process.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "lanyard")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startProcess runs `lanyard serve` as a child and returns its base URL.
func startProcess(t *testing.T, bin string, args ...string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		re := regexp.MustCompile(`serving .* at (http://\S+)`)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case url := <-found:
		return cmd, url
	case <-time.After(30 * time.Second):
		t.Fatal("lanyard serve did not start")
	}
	return nil, ""
}

// killAfter kills cmd with SIGKILL once d has passed and count has grown by
// n since the call, or after a minute. Time alone is not enough: on
// PostgreSQL a restarted server answers only once the killed one's engine
// lease runs out (cluster.TTL), and on a busy machine a round could end
// before it had done anything.
func killAfter(cmd *exec.Cmd, d time.Duration, n int, count func() int) {
	from := count()
	time.Sleep(d)
	for deadline := time.Now().Add(time.Minute); count()-from < n && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
}

// TestCrashLosesNothingAcknowledged kills `lanyard serve` with SIGKILL in
// the middle of a stream of reservations, several times: after each
// restart every acknowledged reservation is there and no session holds
// more reservations than seats.
func TestCrashLosesNothingAcknowledged(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a server; skipped with -short")
	}
	bin := buildBinary(t)
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		crashRounds(t, bin, dir, filepath.Join(dir, "crash.db"), "sqlite")
	})
	t.Run("postgres", func(t *testing.T) {
		crashRounds(t, bin, t.TempDir(), storetest.PostgresURL(t), "pgx")
	})
}

func crashRounds(t *testing.T, bin, dir, db, driver string) {
	if code, _, stderr := runCmd(t, "demo", "--db", db, "--attendees", "300", "--serve=false", "--tokens", filepath.Join(dir, "tokens.csv")); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	tokens := readTokens(t, filepath.Join(dir, "tokens.csv"))
	var people []string
	for _, tok := range tokens {
		people = append(people, tok)
	}

	acked := map[key]bool{}
	var mu sync.Mutex
	answered := 0 // acknowledged reservations, counted for killAfter
	for round := range 4 {
		cmd, base := startProcess(t, bin, "serve", "--db", db, "--addr", "127.0.0.1:0", "--log-level", "error")
		var list struct{ Sessions []struct{ Code string } }
		getJSON(t, base+"/api/v1/sessions?type=chalk-talk&limit=40", "", 200, &list)
		ctx, stop := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for w := range 32 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(round), uint64(w)))
				client := &http.Client{Timeout: 5 * time.Second}
				for n := 0; ctx.Err() == nil; n++ {
					tok := people[r.IntN(len(people))]
					codes := []string{list.Sessions[r.IntN(len(list.Sessions))].Code}
					body, _ := json.Marshal(map[string]any{"sessions": codes})
					req, _ := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/reservations", bytes.NewReader(body))
					req.Header.Set("Authorization", "Bearer "+tok)
					req.Header.Set("Idempotency-Key", fmt.Sprintf("r%d-w%d-%d", round, w, n))
					resp, err := client.Do(req)
					if err != nil {
						continue // the server is gone: not acknowledged
					}
					var res struct {
						Results []struct{ Session, Outcome string }
					}
					err = json.NewDecoder(resp.Body).Decode(&res)
					resp.Body.Close()
					if err != nil || resp.StatusCode != 200 {
						continue
					}
					mu.Lock()
					for _, x := range res.Results {
						if x.Outcome == "reserved" {
							acked[key{tok, x.Session}] = true
							answered++
						}
					}
					mu.Unlock()
				}
			}()
		}
		killAfter(cmd, time.Duration(300+100*round)*time.Millisecond, 30, func() int { mu.Lock(); defer mu.Unlock(); return answered })
		stop()
		wg.Wait()
	}
	if len(acked) == 0 {
		t.Fatal("no reservation was acknowledged before the kills")
	}

	// Restart once more and ask the server: every acknowledged seat is held.
	_, base := startProcess(t, bin, "serve", "--db", db, "--addr", "127.0.0.1:0", "--log-level", "error")
	held := heldSeats(t, base, people)
	for k := range acked {
		if !held[k] {
			t.Errorf("acknowledged reservation of %s lost after SIGKILL", k.session)
		}
	}
	// And the store agrees with itself: no session over its seats.
	sdb, err := sql.Open(driver, db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	var bad int
	err = sdb.QueryRow(`SELECT COUNT(*) FROM session_seats ss
		WHERE ss.taken > ss.reservable
		   OR ss.taken <> (SELECT COUNT(*) FROM reservations r WHERE r.session_id = ss.session_id)`).Scan(&bad)
	if err != nil {
		t.Fatal(err)
	}
	if bad != 0 {
		t.Fatalf("%d sessions overbooked or miscounted", bad)
	}
	t.Logf("%d acknowledged reservations survived 4 SIGKILLs; %d held", len(acked), len(held))
}

// SIGTERM stops `lanyard serve` gracefully: it exits 0, and what it had
// acknowledged is there on the next start.
func TestSIGTERMShutsDownGracefully(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a server binary; skipped with -short")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "term.db")
	if code, _, stderr := runCmd(t, "demo", "--db", db, "--attendees", "5", "--serve=false"); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	tok := readTokens(t, filepath.Join(dir, "tokens.csv"))["attendee00001@demo.lanyard.dev"]
	cmd, base := startProcess(t, bin, "serve", "--db", db, "--addr", "127.0.0.1:0")
	var res struct{ Results []seatResult }
	call(t, "POST", base+"/api/v1/reservations", tok, map[string]any{"sessions": []string{"KEY001"}}, nil, 200, &res)
	if res.Results[0].Outcome != "reserved" {
		t.Fatalf("reserve: %+v", res.Results)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no exit 20 s after SIGTERM")
	}
	_, base = startProcess(t, bin, "serve", "--db", db, "--addr", "127.0.0.1:0")
	var ag struct{ Reservations []struct{ Session string } }
	getJSON(t, base+"/api/v1/me/agenda", tok, 200, &ag)
	if len(ag.Reservations) != 1 || ag.Reservations[0].Session != "KEY001" {
		t.Fatalf("agenda after restart: %+v", ag)
	}
}

// key names one attendee's reservation of one session.
type key struct{ token, session string }

// heldSeats asks the server at base for every attendee's agenda.
func heldSeats(t *testing.T, base string, tokens []string) map[key]bool {
	t.Helper()
	held := map[key]bool{}
	for _, tok := range tokens {
		var ag struct{ Reservations []struct{ Session string } }
		getJSON(t, base+"/api/v1/me/agenda", tok, 200, &ag)
		for _, r := range ag.Reservations {
			held[key{tok, r.Session}] = true
		}
	}
	return held
}

// crashPeople runs the demo into dsn (its tokens in dir/tokens.csv) and
// gives n of its attendees, from attendee00100 on, the demo password: the
// people the crash tests sign in. It returns the open store, the event,
// and their emails and IDs.
func crashPeople(t *testing.T, dir, dsn string, n int) (*store.DB, *lanyard.Event, []string, []int64) {
	t.Helper()
	if code, _, stderr := runCmd(t, "demo", "--db", dsn, "--attendees", "200", "--serve=false", "--tokens", filepath.Join(dir, "tokens.csv")); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := db.FindEventBySlug(ctx, "reinvent-demo")
	if err != nil {
		t.Fatal(err)
	}
	hash, err := auth.NewHasher(1).Hash(ctx, demoPassword)
	if err != nil {
		t.Fatal(err)
	}
	var emails []string
	var ids []int64
	for i := 100; len(emails) < n; i++ {
		a, err := db.FindAttendeeByEmail(ctx, ev.ID, fmt.Sprintf("attendee%05d@demo.lanyard.dev", i))
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetPassword(ctx, a.ID, hash); err != nil {
			t.Fatal(err)
		}
		emails, ids = append(emails, a.Email), append(ids, a.ID)
	}
	return db, ev, emails, ids
}

// signInAll signs each of emails in on base with the demo password and
// returns their session cookies ("name=value"), in order. Web sessions
// are in the database: they outlive the kills.
func signInAll(t *testing.T, base string, emails []string) []string {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	cookies := make([]string, len(emails))
	for i, email := range emails {
		resp, err := client.PostForm(base+"/signin", url.Values{"email": {email}, "password": {demoPassword}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		for _, c := range resp.Cookies() {
			if c.Value != "" {
				cookies[i] = c.Name + "=" + c.Value
			}
		}
		if resp.StatusCode != http.StatusSeeOther || cookies[i] == "" {
			t.Fatalf("sign in %s: %d", email, resp.StatusCode)
		}
	}
	return cookies
}
