package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// Parties: never more RSVPs than the capacity under concurrency, an
// invitation list is held, cancelling frees a place, a capacity cannot
// drop below those going, and a dinner's seats are stored and read back.
func TestParty(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		p, err := db.PartyPut(ctx, ev.ID, lanyard.Party{Code: "gala", Title: "Gala dinner", Kind: lanyard.KindDinner, Starts: time.Date(2026, 12, 1, 19, 0, 0, 0, time.UTC), Capacity: 10, TableSize: 5})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.PartyPut(ctx, ev.ID, lanyard.Party{Code: "gala", Title: "Again", Kind: lanyard.KindParty, Starts: p.Starts, Capacity: 3}); lanyard.ErrorCode(err) != lanyard.ECONFLICT {
			t.Errorf("a taken code: %v", err)
		}
		var guests []*lanyard.Attendee
		for i := 0; i < 30; i++ {
			guests = append(guests, mustCreateAttendee(t, db, ev.ID, fmt.Sprintf("Guest %d", i), fmt.Sprintf("g%d@example.com", i)))
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, full := 0, 0
		for _, g := range guests {
			wg.Add(1)
			go func() {
				defer wg.Done()
				created, err := db.PartyRSVPPut(ctx, p.ID, lanyard.PartyRSVP{AttendeeID: g.ID, Languages: []string{"en"}})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil && created:
					ok++
				case lanyard.ErrorCode(err) == lanyard.EPartyFull:
					full++
				default:
					t.Errorf("rsvp: %v created=%v", err, created)
				}
			}()
		}
		wg.Wait()
		if ok != 10 || full != 20 {
			t.Fatalf("ok=%d full=%d, want 10 and 20", ok, full)
		}
		gs, err := db.PartyGuests(ctx, p.ID)
		if err != nil || len(gs) != 10 {
			t.Fatalf("guests = %d, %v", len(gs), err)
		}
		if got, _ := db.Party(ctx, ev.ID, "gala"); got.Going != 10 {
			t.Errorf("going = %d", got.Going)
		}
		// The booths a guest saved on the expo are interests too.
		x, err := db.PutExhibitor(ctx, ev.ID, lanyard.Exhibitor{Code: "acme", Name: "Acme"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.ExpoFavoriteBooth(ctx, ev.ID, gs[2].AttendeeID, x.ID, true); err != nil {
			t.Fatal(err)
		}
		if b, err := db.PartyBoothInterests(ctx, p.ID); err != nil || len(b) != 1 || len(b[gs[2].AttendeeID]) != 1 || b[gs[2].AttendeeID][0] != "acme" {
			t.Errorf("booth interests = %v, %v", b, err)
		}
		// A guest changing their answers takes no second place.
		first := gs[0].AttendeeID
		if created, err := db.PartyRSVPPut(ctx, p.ID, lanyard.PartyRSVP{AttendeeID: first, Languages: []string{"en", "ko"}, Dietary: "vegan", SeatWith: []int64{gs[1].AttendeeID}}); err != nil || created {
			t.Errorf("update: created=%v %v", created, err)
		}
		if g, err := db.PartyGuestOf(ctx, p.ID, first); err != nil || g.Dietary != "vegan" || len(g.Languages) != 2 || len(g.SeatWith) != 1 {
			t.Errorf("guest = %+v, %v", g, err)
		}
		p.Capacity = 9
		if _, err := db.PartyPut(ctx, ev.ID, p); lanyard.ErrorCode(err) != lanyard.ECONFLICT {
			t.Errorf("capacity below going: %v", err)
		}
		if gone, err := db.PartyRSVPCancel(ctx, p.ID, first); err != nil || !gone {
			t.Fatalf("cancel: %v %v", gone, err)
		}
		if gone, _ := db.PartyRSVPCancel(ctx, p.ID, first); gone {
			t.Error("cancel twice")
		}
		var outside *lanyard.Attendee
		for _, g := range guests {
			if _, err := db.PartyGuestOf(ctx, p.ID, g.ID); errors.Is(err, lanyard.Errorf(lanyard.ENOTFOUND, "")) || lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
				if g.ID != first {
					outside = g
					break
				}
			}
		}
		if created, err := db.PartyRSVPPut(ctx, p.ID, lanyard.PartyRSVP{AttendeeID: outside.ID, Languages: []string{"en"}}); err != nil || !created {
			t.Fatalf("the freed place: %v %v", created, err)
		}
		// Seats.
		gs, _ = db.PartyGuests(ctx, p.ID)
		seats := map[int64]int{}
		for i, g := range gs {
			seats[g.AttendeeID] = 1 + i%2
		}
		if err := db.PartySeatsSet(ctx, p.ID, seats, time.Now()); err != nil {
			t.Fatal(err)
		}
		mine, err := db.PartiesOf(ctx, outside.ID)
		if err != nil || mine["gala"] != seats[outside.ID] {
			t.Errorf("PartiesOf = %v, %v", mine, err)
		}
		if got, _ := db.Party(ctx, ev.ID, "gala"); got.SeatedAt.IsZero() {
			t.Error("not marked seated")
		}
		// Invitation only.
		inv, err := db.PartyPut(ctx, ev.ID, lanyard.Party{Code: "vip", Title: "Partner party", Kind: lanyard.KindParty, Starts: p.Starts, Capacity: 50, InviteOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.PartyInvitesSet(ctx, inv.ID, []string{"G3@example.com", " g4@example.com", "g3@example.com"}); err != nil {
			t.Fatal(err)
		}
		if l, _ := db.PartyInvites(ctx, inv.ID); len(l) != 2 {
			t.Errorf("invites = %v", l)
		}
		if _, err := db.PartyRSVPPut(ctx, inv.ID, lanyard.PartyRSVP{AttendeeID: guests[5].ID, Languages: []string{"en"}}); lanyard.ErrorCode(err) != lanyard.EFORBIDDEN {
			t.Errorf("not invited: %v", err)
		}
		if _, err := db.PartyRSVPPut(ctx, inv.ID, lanyard.PartyRSVP{AttendeeID: guests[3].ID, Languages: []string{"en"}}); err != nil {
			t.Errorf("invited: %v", err)
		}
		if ps, err := db.Parties(ctx, ev.ID); err != nil || len(ps) != 2 {
			t.Errorf("parties = %d %v", len(ps), err)
		}
	})
}
