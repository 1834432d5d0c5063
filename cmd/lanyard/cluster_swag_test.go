package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// TestClusterSwagClaims runs two `lanyard serve` nodes on one PostgreSQL
// and claims an item of stock 50 for 500 attendees at random through both
// at once (each attendee tried several times, on either node): the node
// without the lease forwards its claims to the holder, so exactly 50 are
// claimed, never two for one attendee, every acknowledged claim is stored,
// and both nodes answer the same live stock.
func TestClusterSwagClaims(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two server processes; skipped with -short")
	}
	url := storetest.PostgresURL(t)
	bin := buildBinary(t)
	dir := t.TempDir()
	if code, _, stderr := runCmd(t, "demo", "--db", url, "--attendees", "520", "--serve=false", "--tokens", filepath.Join(dir, "tokens.csv")); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	tokens := readTokens(t, filepath.Join(dir, "tokens.csv"))
	organizer := tokens["organizer@demo.lanyard.dev"]
	nodes := make([]*nodeProc, 2)
	for i := range nodes {
		cmd, base := startProcess(t, bin, "serve", "--db", url, "--addr", "127.0.0.1:0", "--log-level", "warn")
		nodes[i] = &nodeProc{cmd, base}
	}
	ctx := context.Background()
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ev, err := findEvent(ctx, db, "")
	if err != nil {
		t.Fatal(err)
	}
	lease := waitLease(t, db, ev.ID, "")
	holder := -1
	for i, n := range nodes {
		if n.base == lease.URL {
			holder = i
		}
	}
	if holder < 0 {
		t.Fatalf("lease holder %s is none of the nodes", lease.URL)
	}
	follower := nodes[1-holder].base
	sdb, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	people, exhibitor := demoPeople(t, sdb)
	people = people[:500]
	// Made through the node without the lease: forwarded to the holder.
	const stock = 50
	item := newSwagItem(t, follower, organizer, exhibitor, "Cluster hoodie", stock)

	acked := map[claimKey]bool{}
	var mu sync.Mutex
	refused := map[string]int{}
	byNode := map[string]int{}
	var wg sync.WaitGroup
	for w := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(14, uint64(w)))
			client := &http.Client{Timeout: 20 * time.Second}
			for n := range 40 {
				who := people[r.IntN(len(people))]
				target := nodes[r.IntN(2)].base
				status, code := claimOnce(ctx, client, target, organizer, item, who, fmt.Sprintf("c-w%d-%d", w, n))
				mu.Lock()
				switch {
				case status == 200:
					acked[claimKey{item, who}] = true
					byNode[target]++
				case code == "already_claimed" || code == "out_of_stock":
					refused[code]++
				default:
					t.Errorf("claim on %s: %d %q", target, status, code)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(acked) != stock {
		t.Fatalf("%d claims acknowledged, stock %d", len(acked), stock)
	}
	if byNode[follower] == 0 || refused["out_of_stock"] == 0 || refused["already_claimed"] == 0 {
		t.Fatalf("acks by node %v, refusals %v: the run never went through the follower or hit both rules", byNode, refused)
	}
	if n := checkSwagStore(t, sdb, map[int64]int{item: stock}, acked); n < stock {
		t.Fatalf("%d claims stored", n)
	}
	var rows int
	if err := sdb.QueryRow("SELECT COUNT(*) FROM swag_claims WHERE item_id = $1", item).Scan(&rows); err != nil || rows != stock {
		t.Fatalf("%d claim rows (%v), stock %d", rows, err, stock)
	}
	// Both nodes answer the same live stock.
	for _, n := range nodes {
		var v struct{ Claimed, Left int }
		getJSON(t, fmt.Sprintf("%s/api/v1/swag/%d", n.base, item), "", 200, &v)
		if v.Claimed != stock || v.Left != 0 {
			t.Fatalf("%s says %d claimed, %d left", n.base, v.Claimed, v.Left)
		}
	}
	t.Logf("%d of %d claimed through two nodes (acks by node %v), refusals %v", len(acked), stock, byNode, refused)
}
