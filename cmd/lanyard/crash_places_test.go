package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// TestCrashPlacesLosesNothing kills `lanyard serve` with SIGKILL while
// door staff scan attendees in and out of a lounge through the API, four
// times: after each restart every acknowledged entry and exit is stored,
// the lounge's count agrees with who is inside, and replaying the stored
// scans in order never finds more inside than its capacity.
func TestCrashPlacesLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a server; skipped with -short")
	}
	bin := buildBinary(t)
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		crashPlaces(t, bin, dir, filepath.Join(dir, "crash.db"), "sqlite")
	})
	t.Run("postgres", func(t *testing.T) {
		crashPlaces(t, bin, t.TempDir(), storetest.PostgresURL(t), "pgx")
	})
}

// scanKey is one attendee's entry (in) or exit at the lounge.
type scanKey struct {
	attendee int64
	in       bool
}

func crashPlaces(t *testing.T, bin, dir, db, driver string) {
	const capacity = 25
	if code, _, stderr := runCmd(t, "demo", "--db", db, "--attendees", "200", "--serve=false", "--tokens", filepath.Join(dir, "tokens.csv")); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	tokens := readTokens(t, filepath.Join(dir, "tokens.csv"))
	organizer := tokens["organizer@demo.lanyard.dev"]
	var staff []string
	for i := 1; i <= 5; i++ {
		if tok := tokens[fmt.Sprintf("staff%02d@demo.lanyard.dev", i)]; tok != "" {
			staff = append(staff, tok)
		}
	}
	sdb, err := sql.Open(driver, db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	var people []int64
	rows, err := sdb.Query("SELECT id FROM attendees WHERE role = 'attendee' ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		people = append(people, id)
	}
	rows.Close()
	if len(people) < 100 || len(staff) == 0 {
		t.Fatalf("the demo has %d attendees and %d staff tokens", len(people), len(staff))
	}

	acked := map[scanKey]int{}
	var mu sync.Mutex
	refused, scans := 0, 0
	for round := range 4 {
		cmd, base := startProcess(t, bin, "serve", "--db", db, "--addr", "127.0.0.1:0", "--log-level", "error")
		if round == 0 {
			call(t, "PUT", base+"/api/v1/admin/places/crash-lounge", organizer, map[string]any{"name": "Crash lounge", "kind": "lounge", "capacity": capacity}, nil, 200, nil)
		}
		ctx, stop := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for w := range 24 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(round), uint64(w)))
				client := &http.Client{Timeout: 5 * time.Second}
				for n := 0; ctx.Err() == nil; n++ {
					who := people[r.IntN(len(people))]
					verb := "enter"
					if r.IntN(5) < 2 {
						verb = "exit"
					}
					body, _ := json.Marshal(map[string]int64{"attendee_id": who})
					req, _ := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/door/places/crash-lounge/"+verb, bytes.NewReader(body))
					req.Header.Set("Authorization", "Bearer "+staff[w%len(staff)])
					req.Header.Set("Idempotency-Key", fmt.Sprintf("p%d-w%d-%d", round, w, n))
					resp, err := client.Do(req)
					if err != nil {
						continue // the server is gone: not acknowledged
					}
					var res struct {
						Outcome string
						Already bool
						Error   *struct{ Code string }
					}
					err = json.NewDecoder(resp.Body).Decode(&res)
					resp.Body.Close()
					if err != nil {
						continue
					}
					mu.Lock()
					switch {
					case resp.StatusCode == 200 && !res.Already:
						acked[scanKey{who, verb == "enter"}]++
						scans++
					case res.Error != nil && (res.Error.Code == "place_full" || res.Error.Code == "already_inside"):
						refused++
					}
					mu.Unlock()
				}
			}()
		}
		killAfter(cmd, time.Duration(400+100*round)*time.Millisecond, 40, func() int { mu.Lock(); defer mu.Unlock(); return scans })
		stop()
		wg.Wait()
	}
	if len(acked) == 0 || refused == 0 {
		t.Fatalf("%d scans acknowledged, %d refused before the kills: the lounge never filled", len(acked), refused)
	}

	// Restart once more: the engine rebuilds from the store.
	_, base := startProcess(t, bin, "serve", "--db", db, "--addr", "127.0.0.1:0", "--log-level", "error")
	var occ struct {
		Inside, Capacity int
		Full             bool
	}
	getJSON(t, base+"/api/v1/places/crash-lounge/occupancy", "", 200, &occ)

	// Every acknowledged scan is stored (as often as acknowledged, or more:
	// a scan committed whose answer the kill lost).
	stored := map[scanKey]int{}
	rows, err = sdb.Query("SELECT attendee_id, dir FROM place_scans WHERE place = 'crash-lounge' ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	inside, most := map[int64]bool{}, 0
	for rows.Next() {
		var id int64
		var dir string
		if err := rows.Scan(&id, &dir); err != nil {
			t.Fatal(err)
		}
		stored[scanKey{id, dir == "in"}]++
		// Replayed in order, the scans never put more inside than the capacity.
		if dir == "in" {
			if inside[id] {
				t.Fatalf("attendee %d entered twice without leaving", id)
			}
			inside[id] = true
		} else {
			if !inside[id] {
				t.Fatalf("attendee %d left without entering", id)
			}
			delete(inside, id)
		}
		most = max(most, len(inside))
	}
	rows.Close()
	if most > capacity {
		t.Fatalf("%d inside at once, capacity %d", most, capacity)
	}
	lost := 0
	total := 0
	for k, n := range acked {
		total += n
		if stored[k] < n {
			lost++
			t.Errorf("attendee %d: %d acknowledged %v scans, %d stored", k.attendee, n, k.in, stored[k])
		}
	}
	var rowInside, rowsInside int
	if err := sdb.QueryRow("SELECT inside FROM places WHERE code = 'crash-lounge'").Scan(&rowInside); err != nil {
		t.Fatal(err)
	}
	if err := sdb.QueryRow("SELECT COUNT(*) FROM place_inside WHERE place = 'crash-lounge'").Scan(&rowsInside); err != nil {
		t.Fatal(err)
	}
	if rowInside != rowsInside || rowsInside != len(inside) || occ.Inside != len(inside) || occ.Capacity != capacity {
		t.Fatalf("inside: places row %d, inside rows %d, scans replayed %d, occupancy %+v", rowInside, rowsInside, len(inside), occ)
	}
	t.Logf("%d acknowledged scans survived 4 SIGKILLs (%d refused full or inside); at most %d inside of %d; %d inside now", total, refused, most, capacity, occ.Inside)
}
