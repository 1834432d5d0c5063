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

// TestCrashSwagLosesNothing kills `lanyard serve` with SIGKILL while booth
// staff hand out swag through the API, four times. Each round makes a hot
// item of stock 50 (a quarter of the claims, so it runs out early) and 30
// roomy ones (stock 500: claims go on until the kill), claimed for 500
// attendees at random. After the restarts every acknowledged claim is
// stored, no item has more claims than its stock or two for one attendee,
// and each item's count agrees with its claim rows and with what the
// server answers.
func TestCrashSwagLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a server; skipped with -short")
	}
	bin := buildBinary(t)
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		crashSwag(t, bin, dir, filepath.Join(dir, "crash.db"), "sqlite")
	})
	t.Run("postgres", func(t *testing.T) {
		crashSwag(t, bin, t.TempDir(), storetest.PostgresURL(t), "pgx")
	})
}

// claimKey is one attendee's claim of one item.
type claimKey struct{ item, attendee int64 }

// demoPeople returns the demo's attendees (role attendee) and an exhibitor's ID.
func demoPeople(t *testing.T, sdb *sql.DB) ([]int64, int64) {
	t.Helper()
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
	var exhibitor int64
	if err := sdb.QueryRow("SELECT MIN(id) FROM exhibitors").Scan(&exhibitor); err != nil {
		t.Fatal(err)
	}
	return people, exhibitor
}

// newSwagItem creates an item through the API and returns its ID.
func newSwagItem(t *testing.T, base, token string, exhibitor int64, name string, stock int) int64 {
	t.Helper()
	var it struct{ ID int64 }
	call(t, "POST", base+"/api/v1/exhibitor/swag", token, map[string]any{"exhibitor_id": exhibitor, "name": name, "stock": stock}, nil, 201, &it)
	return it.ID
}

// claimOnce sends one claim; it returns the status (0: no answer) and the
// error code of a refusal.
func claimOnce(ctx context.Context, client *http.Client, base, token string, item, who int64, key string) (int, string) {
	body, _ := json.Marshal(map[string]int64{"attendee_id": who})
	req, _ := http.NewRequestWithContext(ctx, "POST", fmt.Sprintf("%s/api/v1/exhibitor/swag/%d/claim", base, item), bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", key)
	resp, err := client.Do(req)
	if err != nil {
		return 0, ""
	}
	defer resp.Body.Close()
	var res struct {
		Outcome string
		Error   *struct{ Code string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		return 0, ""
	}
	if res.Error != nil {
		return resp.StatusCode, res.Error.Code
	}
	if res.Outcome != "claimed" {
		return 0, ""
	}
	return resp.StatusCode, ""
}

// checkSwagStore checks the stored claims of items against the stock and
// the acknowledged claims, and returns how many are stored.
func checkSwagStore(t *testing.T, sdb *sql.DB, items map[int64]int, acked map[claimKey]bool) int {
	t.Helper()
	stored := map[claimKey]bool{}
	per := map[int64]int{}
	rows, err := sdb.Query("SELECT item_id, attendee_id FROM swag_claims ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k claimKey
		if err := rows.Scan(&k.item, &k.attendee); err != nil {
			t.Fatal(err)
		}
		if stored[k] {
			t.Fatalf("attendee %d holds two of item %d", k.attendee, k.item)
		}
		stored[k] = true
		per[k.item]++
	}
	rows.Close()
	for id, stock := range items {
		var claimed, st int
		if err := sdb.QueryRow("SELECT claimed, stock FROM swag_items WHERE id = $1", id).Scan(&claimed, &st); err != nil {
			t.Fatal(err)
		}
		if per[id] > stock || st != stock || claimed != per[id] {
			t.Fatalf("item %d: %d claim rows, its row says %d claimed of %d (stock %d)", id, per[id], claimed, st, stock)
		}
	}
	for k := range acked {
		if !stored[k] {
			t.Errorf("acknowledged claim of item %d by %d is not stored", k.item, k.attendee)
		}
	}
	return len(stored)
}

func crashSwag(t *testing.T, bin, dir, db, driver string) {
	const hot, roomy, perRound = 50, 500, 30
	if code, _, stderr := runCmd(t, "demo", "--db", db, "--attendees", "520", "--serve=false", "--tokens", filepath.Join(dir, "tokens.csv")); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	tokens := readTokens(t, filepath.Join(dir, "tokens.csv"))
	organizer := tokens["organizer@demo.lanyard.dev"]
	sdb, err := sql.Open(driver, db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	people, exhibitor := demoPeople(t, sdb)
	if len(people) < 500 || exhibitor == 0 {
		t.Fatalf("the demo has %d attendees and exhibitor %d", len(people), exhibitor)
	}
	people = people[:500]
	acked := map[claimKey]bool{}
	items := map[int64]int{}
	var mu sync.Mutex
	answered := 0 // acknowledged claims, counted for killAfter
	refused := map[string]int{}
	for round := range 4 {
		cmd, base := startProcess(t, bin, "serve", "--db", db, "--addr", "127.0.0.1:0", "--log-level", "error")
		hotItem := newSwagItem(t, base, organizer, exhibitor, fmt.Sprintf("Hot item %d", round), hot)
		items[hotItem] = hot
		var mine []int64
		for i := range perRound {
			id := newSwagItem(t, base, organizer, exhibitor, fmt.Sprintf("Crash item %d.%d", round, i), roomy)
			items[id] = roomy
			mine = append(mine, id)
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
					who, item := people[r.IntN(len(people))], mine[r.IntN(len(mine))]
					if r.IntN(4) == 0 {
						item = hotItem
					}
					status, code := claimOnce(ctx, client, base, organizer, item, who, fmt.Sprintf("s%d-w%d-%d", round, w, n))
					mu.Lock()
					switch {
					case status == 200:
						acked[claimKey{item, who}] = true
						answered++
					case code != "":
						refused[code]++
					}
					mu.Unlock()
				}
			}()
		}
		killAfter(cmd, time.Duration(300+100*round)*time.Millisecond, 40, func() int { mu.Lock(); defer mu.Unlock(); return answered })
		stop()
		wg.Wait()
	}
	if len(acked) == 0 || refused["already_claimed"]+refused["out_of_stock"] == 0 {
		t.Fatalf("%d claims acknowledged, refusals %v: the rounds never hit a rule", len(acked), refused)
	}
	// Restart once more: the engine rebuilds from the store.
	_, base := startProcess(t, bin, "serve", "--db", db, "--addr", "127.0.0.1:0", "--log-level", "error")
	n := checkSwagStore(t, sdb, items, acked)
	for id, stock := range items {
		var v struct{ Claimed, Stock int }
		getJSON(t, fmt.Sprintf("%s/api/v1/swag/%d", base, id), "", 200, &v)
		var rowsN int
		if err := sdb.QueryRow("SELECT COUNT(*) FROM swag_claims WHERE item_id = $1", id).Scan(&rowsN); err != nil {
			t.Fatal(err)
		}
		if v.Claimed != rowsN || v.Stock != stock {
			t.Fatalf("item %d: the server says %d of %d, the rows %d", id, v.Claimed, v.Stock, rowsN)
		}
	}
	// The engine after the restart holds every stored claim: a repeat is refused.
	for k := range acked {
		status, code := claimOnce(context.Background(), &http.Client{Timeout: 5 * time.Second}, base, organizer, k.item, k.attendee, "after-"+fmt.Sprint(k))
		if status != 409 || code != "already_claimed" {
			t.Fatalf("claim of item %d by %d again after the restart: %d %s", k.item, k.attendee, status, code)
		}
		break
	}
	t.Logf("%d acknowledged claims survived 4 SIGKILLs (%d stored, refusals %v)", len(acked), n, refused)
}
