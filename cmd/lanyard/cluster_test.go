package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// TestClusterFailover runs three `lanyard serve` nodes on one PostgreSQL,
// rushes all three, and SIGKILLs the lease holder in the middle: the lease
// moves, every acknowledged reservation is there, nothing is overbooked,
// and seat counts reach every node.
func TestClusterFailover(t *testing.T) {
	if testing.Short() {
		t.Skip("runs three server processes; skipped with -short")
	}
	url := storetest.PostgresURL(t)
	bin := buildBinary(t)
	dir := t.TempDir()
	if code, _, stderr := runCmd(t, "demo", "--db", url, "--attendees", "400", "--serve=false", "--tokens", filepath.Join(dir, "tokens.csv")); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	var people []string
	for _, tok := range readTokens(t, filepath.Join(dir, "tokens.csv")) {
		people = append(people, tok)
	}
	nodes := make([]*nodeProc, 3)
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
	before := waitLease(t, db, ev.ID, "")
	leader := -1
	for i, n := range nodes {
		if n.base == before.URL {
			leader = i
		}
	}
	if leader < 0 {
		t.Fatalf("lease holder %s is none of the nodes", before.URL)
	}

	// Seat counts reach a node that does not hold the lease.
	follower := nodes[(leader+1)%3].base
	var s struct {
		SeatsLeft int `json:"seats_left"`
	}
	getJSON(t, follower+"/api/v1/sessions/KEY002", "", 200, &s)
	var res struct{ Results []seatResult }
	call(t, "POST", nodes[leader].base+"/api/v1/reservations", people[0], map[string]any{"sessions": []string{"KEY002"}}, nil, 200, &res)
	if res.Results[0].Outcome != "reserved" {
		t.Fatalf("reserve on the holder: %+v", res.Results)
	}
	waitFor(t, 3*time.Second, "seat count fan-out", func() bool {
		var after struct {
			SeatsLeft int `json:"seats_left"`
		}
		getJSON(t, follower+"/api/v1/sessions/KEY002", "", 200, &after)
		return after.SeatsLeft == s.SeatsLeft-1
	})

	// Rush all three nodes; kill the holder in the middle.
	var list struct{ Sessions []struct{ Code string } }
	getJSON(t, follower+"/api/v1/sessions?type=chalk-talk&limit=40", "", 200, &list)
	acked := map[key]bool{{people[0], "KEY002"}: true}
	var mu sync.Mutex
	rctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	var afterKill, errorsSeen, survivorErrors int
	killed := make(chan time.Time, 1)
	for w := range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(3, uint64(w)))
			client := &http.Client{Timeout: 20 * time.Second}
			target := nodes[w%3].base
			for n := 0; rctx.Err() == nil; n++ {
				tok := people[r.IntN(len(people))]
				code := list.Sessions[r.IntN(len(list.Sessions))].Code
				body, _ := json.Marshal(map[string]any{"sessions": []string{code}})
				req, _ := http.NewRequestWithContext(rctx, "POST", target+"/api/v1/reservations", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+tok)
				req.Header.Set("Idempotency-Key", fmt.Sprintf("w%d-%d", w, n))
				resp, err := client.Do(req)
				if err != nil && rctx.Err() != nil {
					return // the test is over; the request was cut short by it
				}
				if err != nil {
					mu.Lock()
					errorsSeen++
					if target != nodes[leader].base {
						survivorErrors++
					}
					mu.Unlock()
					time.Sleep(50 * time.Millisecond)
					continue
				}
				var out struct {
					Results []struct{ Session, Outcome string }
				}
				raw, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				err = json.Unmarshal(raw, &out)
				if resp.StatusCode >= 500 && target != nodes[leader].base {
					t.Logf("survivor %s answered %d: %s", target, resp.StatusCode, raw)
				}
				mu.Lock()
				if err == nil && resp.StatusCode == 200 {
					for _, x := range out.Results {
						if x.Outcome == "reserved" {
							acked[key{tok, x.Session}] = true
							select {
							case at := <-killed:
								killed <- at
								if target != nodes[leader].base {
									afterKill++
								}
							default:
							}
						}
					}
				} else if resp.StatusCode >= 500 {
					errorsSeen++
					if target != nodes[leader].base {
						survivorErrors++
					}
				}
				mu.Unlock()
			}
		}()
	}
	time.Sleep(time.Second)
	nodes[leader].cmd.Process.Signal(syscall.SIGKILL)
	nodes[leader].cmd.Wait()
	killed <- time.Now()
	after := waitLease(t, db, ev.ID, before.Holder)
	moved := time.Since(<-killed)
	killed <- time.Now()
	time.Sleep(2 * time.Second)
	stop()
	wg.Wait()

	if after.Epoch <= before.Epoch || after.URL == before.URL {
		t.Fatalf("lease did not move: before %+v, after %+v", before, after)
	}
	t.Logf("lease moved to %s (epoch %d→%d) %.1fs after the kill", after.URL, before.Epoch, after.Epoch, moved.Seconds())
	if moved > 5*time.Second {
		t.Errorf("the lease took %s to move, want under 5 s", moved)
	}
	if survivorErrors != 0 {
		t.Errorf("%d requests to the surviving nodes failed; forwarding should have hidden the failover", survivorErrors)
	}
	if afterKill == 0 {
		t.Error("no reservation was acknowledged by the surviving nodes after the kill")
	}
	// Every acknowledged reservation is held, as a surviving node sees it.
	survivor := nodes[(leader+1)%3].base
	held := heldSeats(t, survivor, people)
	for k := range acked {
		if !held[k] {
			t.Errorf("acknowledged reservation of %s lost in the failover", k.session)
		}
	}
	if n, err := db.Overbooked(ctx, ev.ID); err != nil || n != 0 {
		t.Fatalf("overbooked sessions: %d (%v)", n, err)
	}
	t.Logf("%d acknowledged (%d by survivors after the kill), %d held; %d requests failed (those sent to the killed node)", len(acked), afterKill, len(held), errorsSeen)
}

type nodeProc struct {
	cmd  *exec.Cmd
	base string
}

// waitLease waits until the event's lease is held by someone other than not.
func waitLease(t *testing.T, db *store.DB, eventID int64, not string) store.Lease {
	t.Helper()
	var l store.Lease
	waitFor(t, 15*time.Second, "a lease holder", func() bool {
		var err error
		l, err = db.FindLease(context.Background(), eventID)
		return err == nil && l.Holder != not && l.URL != ""
	})
	return l
}

func waitFor(t *testing.T, d time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", d, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
