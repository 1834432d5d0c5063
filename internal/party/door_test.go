package party_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"testing"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/party"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
	"github.com/lanyardhq/lanyard/internal/web/webtest"
)

// doorAgrees fails the test unless the engine lets in exactly the party's
// guests: entry granted ⇔ RSVP going. It returns how many are going.
func doorAgrees(t *testing.T, db *store.DB, eng *reserve.Engine, p lanyard.Party, when string) int {
	t.Helper()
	ctx := context.Background()
	guests, err := db.PartyGuests(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var want []int64
	for _, g := range guests {
		want = append(want, g.AttendeeID)
	}
	slices.Sort(want)
	got, err := eng.EntitledTo(ctx, lanyard.InviteKey(party.DoorList(p.Code)))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: the door lets in %v, the guests are %v", when, got, want)
	}
	return len(want)
}

// reopen opens a second engine on the store, as a restarted node would.
func reopen(t *testing.T, db *store.DB, ev *lanyard.Event) *reserve.Engine {
	t.Helper()
	ctx := context.Background()
	cat, err := catalog.Load(ctx, db, ev)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := reserve.Open(ctx, db, cat, reserve.Options{Tick: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(eng.Close)
	return eng
}

// TestPartyDoorFollowsRSVPs: 16 attendees, each from two browsers at once,
// RSVP to and withdraw from a party of 6 at random, so an RSVP and a
// withdrawal of one attendee race each other to the store and to the
// engine. When the dust settles the door lets in exactly the guests. Then
// changes committed in the store alone (a crash between the two steps, or
// an RSVP while the engine is down, which is not acknowledged) are in the
// door of an engine that loads afterwards, and a change that reaches the
// engine late never undoes a newer one.
func TestPartyDoorFollowsRSVPs(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		org := e.signIn("org")
		open := url.Values{"code": {"mixer"}, "title": {"Mixer"}, "kind": {"party"}, "starts": {"2026-12-01T21:00"}, "capacity": {"6"}}
		e.expect(org.Post("/parties", open), http.StatusSeeOther, "")
		var people []*lanyard.Attendee
		for i := range 16 {
			a := &lanyard.Attendee{Name: fmt.Sprintf("Guest %02d", i), Email: fmt.Sprintf("g%02d@example.com", i), Role: lanyard.RoleAttendee}
			webtest.SignUp(t, db, e.ev.ID, a)
			people = append(people, a)
		}
		var mu sync.Mutex
		counts := map[string]int{}
		var wg sync.WaitGroup
		for i, a := range people {
			for browser := range 2 {
				c := webtest.NewClient(t, e.srv)
				c.SignIn(a.Email, webtest.Password)
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := rand.New(rand.NewPCG(uint64(i), uint64(browser)))
					for range 12 {
						verb := "rsvp"
						if r.IntN(5) < 2 {
							verb = "cancel"
						}
						res := c.Post("/parties/mixer/"+verb, url.Values{"languages": {"en"}})
						outcome := fmt.Sprint(verb, " ", res.Status, " ", res.Code())
						mu.Lock()
						counts[outcome]++
						mu.Unlock()
						if res.Status != http.StatusSeeOther && (verb != "rsvp" || res.Status != http.StatusConflict || res.Code() != lanyard.EPartyFull) {
							t.Errorf("%s: %d %s", verb, res.Status, res.Code())
							return
						}
					}
				}()
			}
		}
		wg.Wait()
		if counts["rsvp 409 "+lanyard.EPartyFull] == 0 || counts["cancel 303 "] == 0 {
			t.Fatalf("the party never filled, or no one withdrew: %v", counts)
		}
		p := mustParty(t, db, e, "mixer")
		n := doorAgrees(t, db, e.eng, p, "after the race")
		if p.Going != n || n > 6 {
			t.Fatalf("going counter %d, %d guests", p.Going, n)
		}
		// A guest's badge opens the door; someone else's does not.
		guests, _ := db.PartyGuests(ctx, p.ID)
		if _, err := e.eng.Enter(ctx, e.people["org"].ID, guests[0].AttendeeID, "mixer", "door-1"); err != nil {
			t.Errorf("a guest at the door: %v", err)
		}
		if _, err := e.eng.Enter(ctx, e.people["org"].ID, e.people["ed"].ID, "mixer", "door-2"); lanyard.ErrorCode(err) != lanyard.ENotEntitled {
			t.Errorf("someone without an RSVP at the door: %v", err)
		}

		// Committed in the store, the engine never told: a kill between
		// the two steps. The engine that loads next has them.
		var seqs []int64
		for _, g := range guests[:3] {
			_, seq, err := db.PartyLeave(ctx, p.ID, g.AttendeeID)
			if err != nil {
				t.Fatal(err)
			}
			seqs = append(seqs, seq)
		}
		// The engine down: an RSVP is saved and not acknowledged (503 with
		// a code), since the door has not heard of it.
		e.eng.Close()
		e.expect(e.signIn("ed").Post("/parties/mixer/rsvp", url.Values{"languages": {"en"}}), http.StatusServiceUnavailable, lanyard.EUNAVAILABLE)
		if _, err := db.PartyGuestOf(ctx, p.ID, e.people["ed"].ID); err != nil {
			t.Fatalf("the RSVP with the engine down: %v", err)
		}
		eng := reopen(t, db, e.ev)
		doorAgrees(t, db, eng, p, "after a restart")

		// Late or repeated changes: an RSVP's sync arriving after the
		// withdrawal that followed it changes nothing, and so does one
		// the load holds already.
		bo := e.people["bo"].ID
		_, s1, err := db.PartyAnswer(ctx, p.ID, lanyard.PartyRSVP{AttendeeID: bo, Languages: []string{"en"}})
		if err != nil {
			t.Fatal(err)
		}
		_, s2, err := db.PartyLeave(ctx, p.ID, bo)
		if err != nil || s2 <= s1 {
			t.Fatalf("leave: seq %d after %d, %v", s2, s1, err)
		}
		key := lanyard.InviteKey(party.DoorList("mixer"))
		if ok, err := eng.SyncEntitlement(ctx, key, bo, false, s2); err != nil || !ok {
			t.Fatalf("the withdrawal: %v %v", ok, err)
		}
		if ok, err := eng.SyncEntitlement(ctx, key, bo, true, s1); err != nil || ok {
			t.Errorf("a stale RSVP applied after the withdrawal: %v %v", ok, err)
		}
		if ok, _ := eng.SyncEntitlement(ctx, key, guests[0].AttendeeID, true, seqs[0]); ok {
			t.Error("a change the load holds was applied again")
		}
		if _, err := eng.SyncEntitlement(ctx, key, bo, true, 0); lanyard.ErrorCode(err) != lanyard.EINVALID {
			t.Errorf("a change without a sequence number: %v", err)
		}
		doorAgrees(t, db, eng, p, "after late changes")
	})
}

// A party's door is the place of its code, so a new party may not take a
// lounge's code: the form is refused (409, nothing stored) and the lounge
// keeps its kind and capacity.
func TestPartyCodeOfAPlace(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		if _, err := e.eng.PutPlace(ctx, 0, "", lanyard.Place{Code: "lounge", Name: "Certified lounge", Kind: lanyard.PlaceLounge, Capacity: 40}); err != nil {
			t.Fatal(err)
		}
		org := e.signIn("org")
		form := url.Values{"code": {"lounge"}, "title": {"Lounge party"}, "kind": {"party"}, "starts": {"2026-12-01T21:00"}, "capacity": {"6"}}
		e.expect(org.Post("/parties", form), http.StatusConflict, lanyard.ECONFLICT)
		if _, err := db.Party(ctx, e.ev.ID, "lounge"); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("the refused party was stored: %v", err)
		}
		places, err := db.Places(ctx, e.ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(places, func(p lanyard.Place) bool {
			return p.Code == "lounge" && p.Kind == lanyard.PlaceLounge && p.Capacity == 40
		}) {
			t.Errorf("the lounge after the refused party: %+v", places)
		}
		form.Set("code", "lounge-party")
		e.expect(org.Post("/parties", form), http.StatusSeeOther, "")
	})
}
