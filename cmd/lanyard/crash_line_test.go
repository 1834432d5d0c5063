package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// TestLineCrashLosesNothingAcknowledged runs the walk-up line end to end on
// `lanyard serve`, killed with SIGKILL at its worst moments: twenty
// attendees join a full session's line (killed in the middle of the
// joins), door staff release the unclaimed seats and the first are called
// (killed right after), two of them scan in, the other two let their
// one-minute calls lapse (killed while the calls run) and the next two are
// called. After each restart every acknowledged join, call and admission
// is there, the line keeps its order, the room never takes more than its
// seats, and every call wrote its line_called message.
func TestLineCrashLosesNothingAcknowledged(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a server and waits for a call to lapse; skipped with -short")
	}
	bin := buildBinary(t)
	t.Run("sqlite", func(t *testing.T) {
		lineCrash(t, bin, filepath.Join(t.TempDir(), "line.db"), "sqlite")
	})
	t.Run("postgres", func(t *testing.T) {
		lineCrash(t, bin, storetest.PostgresURL(t), "pgx")
	})
}

// lineEvent is a one-session event whose session starts in 20 minutes,
// with 4 seats, and 20 attendees, door staff and an organizer with tokens.
type lineEvent struct {
	code      string
	attendees []int64
	tokens    []string
	staff     string
	organizer string
}

func newLineEvent(t *testing.T, dsn string) *lineEvent {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	start := time.Now().UTC().Add(20 * time.Minute).Truncate(time.Minute)
	c := &lanyard.Catalog{
		Event:  lanyard.Event{Slug: "linecrash", Name: "Line crash", TimeZone: "America/Los_Angeles", StartDate: start.Format(time.DateOnly), Days: 2},
		Venues: []lanyard.Venue{{Code: "hall", Name: "Hall", Rooms: []lanyard.Room{{Name: "Small", Capacity: 4}}}},
		Sessions: []lanyard.Session{{Code: "LC1", Title: "Popular talk", Type: lanyard.TypeSession, Level: 200, Venue: "hall", Room: "Small",
			Start: start, End: start.Add(time.Hour), Reservable: true}},
	}
	if _, err := db.ImportCatalog(ctx, c); err != nil {
		t.Fatal(err)
	}
	people := []*lanyard.Attendee{}
	for i := range 20 {
		people = append(people, &lanyard.Attendee{Name: fmt.Sprint("Walker ", i), Email: fmt.Sprintf("w%d@line.example.com", i)})
	}
	people = append(people, &lanyard.Attendee{Name: "Door", Email: "door@line.example.com", Role: lanyard.RoleStaff},
		&lanyard.Attendee{Name: "Org", Email: "org@line.example.com", Role: lanyard.RoleOrganizer})
	if err := db.CreateAttendees(ctx, c.Event.ID, people); err != nil {
		t.Fatal(err)
	}
	ev := &lineEvent{code: "LC1"}
	var toks []store.Token
	for k, p := range people {
		tok, hash := auth.NewToken()
		toks = append(toks, store.Token{AttendeeID: p.ID, Hash: hash, Name: "test"})
		switch {
		case k < 20:
			ev.attendees, ev.tokens = append(ev.attendees, p.ID), append(ev.tokens, tok)
		case p.Role == lanyard.RoleStaff:
			ev.staff = tok
		default:
			ev.organizer = tok
		}
	}
	if err := db.CreateTokens(ctx, toks); err != nil {
		t.Fatal(err)
	}
	return ev
}

// lineReq sends one API request and decodes a 200 answer into v; it
// returns the status, or 0 when the server did not answer.
func lineReq(method, url, token, idem string, body any, v any) (int, string) {
	var rd *bytes.Reader
	if body == nil {
		rd = bytes.NewReader(nil)
	} else {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	if idem != "" {
		req.Header.Set("Idempotency-Key", idem)
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return 0, ""
	}
	defer resp.Body.Close()
	var e struct{ Error struct{ Code string } }
	if resp.StatusCode != 200 {
		json.NewDecoder(resp.Body).Decode(&e)
		return resp.StatusCode, e.Error.Code
	}
	if v != nil {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			return 0, ""
		}
	}
	return 200, ""
}

type lineState struct {
	Session     string
	Outcome     string
	Position    int
	Chance      float64
	CalledUntil time.Time `json:"called_until"`
}

// linesOf reads every attendee's status in the session's line.
func (ev *lineEvent) linesOf(t *testing.T, base string) []lineState {
	t.Helper()
	out := make([]lineState, len(ev.tokens))
	for k, tok := range ev.tokens {
		var res struct{ Lines []lineState }
		if st, code := lineReq("GET", base+"/api/v1/me/lines", tok, "", nil, &res); st != 200 {
			t.Fatalf("GET /api/v1/me/lines: %d %s", st, code)
		}
		for _, l := range res.Lines {
			if l.Session == ev.code {
				out[k] = l
			}
		}
	}
	return out
}

func lineCrash(t *testing.T, bin, dsn, driver string) {
	ev := newLineEvent(t, dsn)
	serve := func() (kill func(), base string) {
		cmd, base := startProcess(t, bin, "serve", "--db", dsn, "--addr", "127.0.0.1:0", "--log-level", "error")
		return func() { cmd.Process.Signal(syscall.SIGKILL); cmd.Wait() }, base
	}
	kill, base := serve()
	// One-minute calls, and every seat of the session type held back for
	// walk-ups: the session is full to reservations, its line open.
	if st, code := lineReq("PUT", base+"/api/v1/admin/settings", ev.organizer, "", map[string]any{"call_minutes": 1}, nil); st != 200 {
		t.Fatalf("settings: %d %s", st, code)
	}
	if st, code := lineReq("PUT", base+"/api/v1/admin/holdbacks/session", ev.organizer, "", map[string]any{"percent": 100}, nil); st != 200 {
		t.Fatalf("holdback: %d %s", st, code)
	}
	if st, code := lineReq("POST", base+"/api/v1/door/LC1/line", ev.tokens[0], "", map[string]any{"attendee_id": ev.attendees[1]}, nil); st != 403 {
		t.Errorf("an attendee adding another to the line: %d %s, want 403", st, code)
	}

	// 1. Twenty join at once; the server dies in the middle.
	join := func(base string, acked1 chan<- struct{}) map[int]lineState {
		acked := map[int]lineState{}
		var mu sync.Mutex
		var once sync.Once
		var wg sync.WaitGroup
		for k, tok := range ev.tokens {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var st lineState
				if code, _ := lineReq("POST", base+"/api/v1/sessions/LC1/line", tok, fmt.Sprintf("join-%d", k), nil, &st); code == 200 {
					mu.Lock()
					acked[k] = st
					mu.Unlock()
					if acked1 != nil {
						once.Do(func() { close(acked1) })
					}
				}
			}()
		}
		return func() map[int]lineState { wg.Wait(); return acked }()
	}
	done, acked1 := make(chan map[int]lineState, 1), make(chan struct{})
	go func() { done <- join(base, acked1) }()
	select { // kill once the first join is acknowledged, others in flight
	case <-acked1:
	case <-time.After(10 * time.Second):
	}
	kill()
	first := <-done
	kill, base = serve()
	lines := ev.linesOf(t, base)
	for k, st := range first {
		if lines[k].Outcome != lanyard.OutcomeInLine {
			t.Fatalf("acknowledged join of attendee %d (place %d) lost after SIGKILL: %+v", k, st.Position, lines[k])
		}
	}
	// The rest join now; a retried join answers its first answer.
	second := join(base, nil)
	if len(second) != 20 {
		t.Fatalf("%d of 20 joins answered after the restart", len(second))
	}
	lines = ev.linesOf(t, base)
	order := make([]int, 21) // place → attendee index
	for k, l := range lines {
		if l.Outcome != lanyard.OutcomeInLine || l.Position < 1 || l.Position > 20 || order[l.Position] != 0 {
			t.Fatalf("attendee %d: %+v: not a distinct place in line", k, l)
		}
		order[l.Position] = k + 1
		if st, ok := first[k]; ok && second[k].Position != st.Position {
			t.Errorf("attendee %d: retried join answered place %d, first answer %d", k, second[k].Position, st.Position)
		}
	}
	at := func(place int) int { return order[place] - 1 } // attendee index at a place
	t.Logf("%d joins acknowledged before the first kill", len(first))

	// 2. The release calls the first four; the server dies at once.
	if st, code := lineReq("POST", base+"/api/v1/door/LC1/release", ev.staff, "release-1", nil, nil); st != 200 {
		t.Fatalf("release: %d %s", st, code)
	}
	kill()
	kill, base = serve()
	lines = ev.linesOf(t, base)
	for place := 1; place <= 20; place++ {
		want := lanyard.OutcomeInLine
		if place <= 4 {
			want = lanyard.OutcomeCalled
		}
		if got := lines[at(place)]; got.Outcome != want || (want == lanyard.OutcomeInLine && got.Position != place-4) {
			t.Fatalf("after the release and a kill, place %d: %+v, want %s", place, got, want)
		}
	}

	// 3. Two of the called scan in; one not called is refused.
	door := func(who int, idem string) (int, string) {
		var res struct{ Outcome string }
		st, code := lineReq("POST", base+"/api/v1/door/LC1/checkin", ev.staff, idem, map[string]any{"attendee_id": ev.attendees[who]}, &res)
		if st == 200 {
			code = res.Outcome
		}
		return st, code
	}
	for _, place := range []int{1, 3} {
		if st, got := door(at(place), fmt.Sprint("scan-", place)); st != 200 || got != lanyard.OutcomeWalkup {
			t.Fatalf("called place %d scans in: %d %s", place, st, got)
		}
	}
	if st, got := door(at(9), "scan-9"); st != 409 || got != lanyard.ENotCalled {
		t.Errorf("place 9, not called, scans in: %d %s, want 409 not_called", st, got)
	}

	// 4. The other two calls run; the server dies while they do.
	time.Sleep(20 * time.Second)
	kill()
	kill, base = serve()
	defer kill()
	deadline := time.Now().Add(90 * time.Second)
	for {
		lines = ev.linesOf(t, base)
		if lines[at(2)].Outcome == lanyard.OutcomeExpired && lines[at(4)].Outcome == lanyard.OutcomeExpired &&
			lines[at(5)].Outcome == lanyard.OutcomeCalled && lines[at(6)].Outcome == lanyard.OutcomeCalled {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the lapsed calls did not pass on: places 2, 4, 5, 6: %+v %+v %+v %+v", lines[at(2)], lines[at(4)], lines[at(5)], lines[at(6)])
		}
		time.Sleep(time.Second)
	}
	for place, want := range map[int]string{1: "checked_in", 3: "checked_in", 7: "in_line", 20: "in_line"} {
		if got := lines[at(place)]; got.Outcome != want {
			t.Errorf("place %d: %+v, want %s", place, got, want)
		}
	}
	if got := lines[at(7)].Position; got != 1 {
		t.Errorf("place 7 is now place %d, want 1", got)
	}
	if st, got := door(at(5), "scan-5"); st != 200 || got != lanyard.OutcomeWalkup {
		t.Errorf("called place 5 scans in: %d %s", st, got)
	}

	// The store agrees: four admitted at most, a message for every call.
	sdb, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	var admitted, calls, messages int
	if err := sdb.QueryRow(`SELECT COUNT(*) FROM admissions`).Scan(&admitted); err != nil {
		t.Fatal(err)
	}
	if err := sdb.QueryRow(`SELECT COUNT(*) FROM reservation_log WHERE outcome = 'called'`).Scan(&calls); err != nil {
		t.Fatal(err)
	}
	if err := sdb.QueryRow(`SELECT COUNT(*) FROM messages WHERE kind = 'line_called'`).Scan(&messages); err != nil {
		t.Fatal(err)
	}
	if admitted != 3 || calls != 6 || messages != 6 {
		t.Errorf("store: %d admitted (want 3), %d calls logged (want 6), %d line_called messages (want 6)", admitted, calls, messages)
	}
}
