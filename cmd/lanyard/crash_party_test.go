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

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// TestCrashPartyDoorFollowsRSVPs kills `lanyard serve` with SIGKILL while
// 40 signed-in attendees RSVP to and withdraw from a party of 20 through
// the web app, four times; then, with the server down, it commits a few
// RSVPs and withdrawals in the store alone (what a kill between an RSVP's
// commit and the engine hearing of it leaves). After the last restart each
// attendee's last acknowledged answer stands, and the party's door, asked
// through the door API, admits exactly those with an RSVP: entry granted
// ⇔ RSVP going.
func TestCrashPartyDoorFollowsRSVPs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a server; skipped with -short")
	}
	bin := buildBinary(t)
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		crashPartyDoor(t, bin, dir, filepath.Join(dir, "crash.db"), "sqlite")
	})
	t.Run("postgres", func(t *testing.T) {
		crashPartyDoor(t, bin, t.TempDir(), storetest.PostgresURL(t), "pgx")
	})
}

func crashPartyDoor(t *testing.T, bin, dir, dsn, driver string) {
	// minPerRound answers a round are enough for the party to fill: about
	// two in three answers are RSVPs, so 27 of the 40 want to go.
	const capacity, people, code, minPerRound = 20, 40, "crash-party", 50
	db, ev, emails, ids := crashPeople(t, dir, dsn, people)
	ctx := context.Background()
	tokens := readTokens(t, filepath.Join(dir, "tokens.csv"))
	staff := tokens["staff01@demo.lanyard.dev"]
	if staff == "" {
		t.Fatal("the demo wrote no token for staff01")
	}
	start, _ := time.Parse(time.DateOnly, ev.StartDate)
	// Written straight to the store: the engine has no door place for it
	// yet, and the first RSVP makes one.
	p, err := db.PartyPut(ctx, ev.ID, lanyard.Party{Code: code, Title: "Crash party", Kind: lanyard.KindParty, Location: "Roof",
		Starts: start.Add(44 * time.Hour), Capacity: capacity})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	answers := make([]answer, people)
	var cookies []string
	acked, full := 0, 0
	var mu sync.Mutex
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for round := range 4 {
		cmd, base := startProcess(t, bin, "serve", "--db", dsn, "--addr", "127.0.0.1:0", "--log-level", "error")
		if round == 0 {
			cookies = signInAll(t, base, emails)
		}
		ctx, stop := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		const workers = 10
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(round), uint64(w)))
				client := &http.Client{Timeout: 5 * time.Second, CheckRedirect: noRedirect}
				for ctx.Err() == nil {
					i := w + workers*r.IntN(people/workers) // attendee i is worker i%workers's alone
					going := r.IntN(3) < 2
					verb := "cancel"
					if going {
						verb = "rsvp"
					}
					req, _ := http.NewRequestWithContext(ctx, "POST", base+"/parties/"+code+"/"+verb, bytes.NewReader([]byte("languages=en")))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					req.Header.Set("Cookie", cookies[i])
					resp, err := client.Do(req)
					status, refusal := 0, ""
					if err == nil {
						status, refusal = resp.StatusCode, resp.Header.Get("X-Lanyard-Code")
						resp.Body.Close()
					}
					mu.Lock()
					switch {
					case err != nil: // not acknowledged: it may or may not have been done
						answers[i].unsure = true
					case status == http.StatusSeeOther:
						answers[i] = answer{going: going, set: true}
						acked++
					case status == http.StatusConflict && refusal == lanyard.EPartyFull && going: // refused: nothing changed
						full++
					default:
						mu.Unlock()
						t.Errorf("%s: %d %s", verb, status, refusal)
						return
					}
					mu.Unlock()
				}
			}()
		}
		killAfter(cmd, time.Duration(500+150*round)*time.Millisecond, minPerRound, func() int { mu.Lock(); defer mu.Unlock(); return acked })
		stop()
		wg.Wait()
	}
	if acked == 0 || full == 0 {
		t.Fatalf("%d answers acknowledged, %d refused as full: the party never filled", acked, full)
	}

	// The server is down: RSVPs and withdrawals committed without the
	// engine hearing of them, as a kill between the two steps leaves them.
	db, err = store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	storeOnly := 0
	for i := range people {
		if storeOnly == 6 {
			break
		}
		if _, err := db.PartyGuestOf(ctx, p.ID, ids[i]); err == nil {
			if _, _, err := db.PartyLeave(ctx, p.ID, ids[i]); err != nil {
				t.Fatal(err)
			}
			answers[i], storeOnly = answer{going: false, set: true}, storeOnly+1
		} else if _, _, err := db.PartyAnswer(ctx, p.ID, lanyard.PartyRSVP{AttendeeID: ids[i], Languages: []string{"en"}}); err == nil {
			answers[i], storeOnly = answer{going: true, set: true}, storeOnly+1
		} else if lanyard.ErrorCode(err) != lanyard.EPartyFull {
			t.Fatal(err)
		}
	}
	db.Close()

	_, base := startProcess(t, bin, "serve", "--db", dsn, "--addr", "127.0.0.1:0", "--log-level", "error")
	sdb, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	going := map[int64]bool{}
	rows, err := sdb.Query(`SELECT attendee_id FROM party_rsvps WHERE party_id = ` + fmt.Sprint(p.ID))
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		going[id] = true
	}
	rows.Close()
	var counter int
	if err := sdb.QueryRow(`SELECT going FROM parties WHERE id = ` + fmt.Sprint(p.ID)).Scan(&counter); err != nil {
		t.Fatal(err)
	}
	if counter != len(going) || counter > capacity {
		t.Fatalf("going counter %d, %d RSVP rows, capacity %d", counter, len(going), capacity)
	}
	for i, a := range answers {
		if a.set && !a.unsure && going[ids[i]] != a.going {
			t.Errorf("attendee %d: last acknowledged answer going=%v, stored RSVP %v", ids[i], a.going, going[ids[i]])
		}
	}
	// The door: each of the 40 scanned in through the door API.
	client := &http.Client{Timeout: 10 * time.Second}
	admitted := 0
	for i, id := range ids {
		body, _ := json.Marshal(map[string]int64{"attendee_id": id})
		req, _ := http.NewRequest("POST", base+"/api/v1/door/places/"+code+"/enter", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+staff)
		req.Header.Set("Idempotency-Key", fmt.Sprintf("final-%d", i))
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var res struct {
			Outcome string
			Error   *struct{ Code string }
		}
		err = json.NewDecoder(resp.Body).Decode(&res)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("enter %d: %d %v", id, resp.StatusCode, err)
		}
		in := resp.StatusCode == http.StatusOK && res.Outcome == lanyard.OutcomeEntered
		if in {
			admitted++
		}
		switch {
		case going[id] && !in:
			t.Errorf("attendee %d has an RSVP and the door refuses them: %d %+v", id, resp.StatusCode, res.Error)
		case !going[id] && (in || res.Error == nil || res.Error.Code != lanyard.ENotEntitled):
			t.Errorf("attendee %d has no RSVP and the door answers %d %s %+v", id, resp.StatusCode, res.Outcome, res.Error)
		}
	}
	t.Logf("%d acknowledged answers (%d refused as full) over 4 SIGKILLs, %d more in the store alone; %d going of %d, the door admitted %d and refused %d",
		acked, full, storeOnly, len(going), capacity, admitted, people-admitted)
}
