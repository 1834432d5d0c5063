package main

import (
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
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// TestCrashMeetupsLosesNothing kills `lanyard serve` with SIGKILL while
// 40 signed-in attendees RSVP to and leave a meetup of 8 through the web
// app, four times: after each restart each attendee's last acknowledged
// answer stands (unless a later one was cut off by the kill), the meetup
// never has more going than its cap, nobody waits while a place is free,
// the count agrees with the rows, and exactly those going have one unsent
// reminder.
func TestCrashMeetupsLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a server; skipped with -short")
	}
	bin := buildBinary(t)
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		crashMeetups(t, bin, dir, filepath.Join(dir, "crash.db"), "sqlite")
	})
	t.Run("postgres", func(t *testing.T) {
		crashMeetups(t, bin, t.TempDir(), storetest.PostgresURL(t), "pgx")
	})
}

// answer is what an attendee last asked: to go (true) or to leave, and
// whether a later request's outcome is unknown (the kill cut it off).
type answer struct {
	going, unsure bool
	set           bool
}

func crashMeetups(t *testing.T, bin, dir, dsn, driver string) {
	const capacity, people = 8, 40
	// Passwords for 40 attendees and a meetup, written straight to the store.
	db, ev, emails, ids := crashPeople(t, dir, dsn, people)
	ctx := context.Background()
	start, _ := time.Parse(time.DateOnly, ev.StartDate)
	m, err := db.MeetupCreate(ctx, lanyard.Meetup{EventID: ev.ID, OrganizerID: ids[0], Title: "Crash meetup", Language: "en", PlaceKind: lanyard.MeetupBar,
		Venue: "venetian", Place: "Bar", Start: start.Add(44 * time.Hour), End: start.Add(45 * time.Hour), Cap: capacity}, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	sdb, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()

	// ids[0] organizes (and goes); the others answer, each from one worker.
	answers := make([]answer, people)
	answers[0] = answer{going: true, set: true}
	var cookies []string
	acked, refusedFull := 0, 0
	var mu sync.Mutex
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for round := range 4 {
		cmd, base := startProcess(t, bin, "serve", "--db", dsn, "--addr", "127.0.0.1:0", "--log-level", "error")
		if round == 0 { // ids[0] organizes: the others sign in
			cookies = append([]string{""}, signInAll(t, base, emails[1:])...)
		}
		ctx, stop := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		const workers = 13
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(round), uint64(w)))
				client := &http.Client{Timeout: 5 * time.Second, CheckRedirect: noRedirect}
				for ctx.Err() == nil {
					i := 1 + w + workers*r.IntN((people-1-w+workers-1)/workers) // attendee i is worker (i-1)%workers's alone
					if i >= people {
						continue
					}
					going := r.IntN(3) < 2
					verb := "leave"
					if going {
						verb = "rsvp"
					}
					req, _ := http.NewRequestWithContext(ctx, "POST", fmt.Sprintf("%s/meetups/%d/%s", base, m.ID, verb), nil)
					req.Header.Set("Cookie", cookies[i])
					req.Header.Set("Accept", "application/json")
					resp, err := client.Do(req)
					var out struct {
						Status string
						Error  *struct{ Code string }
					}
					if err == nil {
						err = json.NewDecoder(resp.Body).Decode(&out)
						resp.Body.Close()
					}
					mu.Lock()
					switch {
					case err != nil: // not acknowledged: it may or may not have been done
						answers[i].unsure = true
					case resp.StatusCode == 200:
						answers[i] = answer{going: going, set: true}
						acked++
						if out.Status == lanyard.RSVPWaitlist {
							refusedFull++
						}
					case resp.StatusCode == 404 && !going: // leaving without an RSVP: nothing changed
						if !answers[i].unsure {
							answers[i] = answer{going: false, set: true}
						}
					default:
						mu.Unlock()
						t.Errorf("%s: %d %+v", verb, resp.StatusCode, out.Error)
						return
					}
					mu.Unlock()
				}
			}()
		}
		killAfter(cmd, time.Duration(500+150*round)*time.Millisecond, 30, func() int { mu.Lock(); defer mu.Unlock(); return acked })
		stop()
		wg.Wait()
	}
	if acked == 0 || refusedFull == 0 {
		t.Fatalf("%d answers acknowledged, %d waitlisted: the meetup never filled", acked, refusedFull)
	}
	startProcess(t, bin, "serve", "--db", dsn, "--addr", "127.0.0.1:0", "--log-level", "error") // the store opens cleanly again

	var going, waiting, counter, rcap int
	if err := sdb.QueryRow(`SELECT going, cap FROM meetups WHERE id = `+fmt.Sprint(m.ID)).Scan(&counter, &rcap); err != nil {
		t.Fatal(err)
	}
	rows, err := sdb.Query(`SELECT attendee_id, status FROM meetup_rsvps WHERE meetup_id = ` + fmt.Sprint(m.ID))
	if err != nil {
		t.Fatal(err)
	}
	status := map[int64]string{}
	for rows.Next() {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			t.Fatal(err)
		}
		status[id] = s
		if s == lanyard.RSVPGoing {
			going++
		} else {
			waiting++
		}
	}
	rows.Close()
	if going > capacity || counter != going || (waiting > 0 && going != capacity) || rcap != capacity {
		t.Fatalf("%d going (counter %d) of %d, %d waiting", going, counter, capacity, waiting)
	}
	lost := 0
	for i, a := range answers {
		if !a.set || a.unsure {
			continue
		}
		if _, has := status[ids[i]]; has != a.going {
			lost++
			t.Errorf("attendee %d: last acknowledged answer going=%v, stored RSVP %v", ids[i], a.going, has)
		}
	}
	reminders := map[int64]int{}
	rows, err = sdb.Query(`SELECT attendee_id FROM messages WHERE kind = 'meetup_reminder' AND state = 'pending' AND dedupe_key LIKE 'meetup:` + fmt.Sprint(m.ID) + `:%'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		reminders[id]++
	}
	rows.Close()
	for id, s := range status {
		if want := map[bool]int{true: 1}[s == lanyard.RSVPGoing && id != ids[0]]; reminders[id] != want {
			t.Errorf("attendee %d (%s): %d pending reminders, want %d", id, s, reminders[id], want)
		}
	}
	for id := range reminders {
		if status[id] != lanyard.RSVPGoing {
			t.Errorf("attendee %d has a reminder and no place", id)
		}
	}
	if lost > 0 {
		return
	}
	t.Logf("%d acknowledged answers survived 4 SIGKILLs (%d to the waitlist); %d going of %d, %d waiting", acked, refusedFull, going, capacity, waiting)
}
