package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/party"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
)

// Demo parties (issue 14).
const (
	demoDinner = "builders-dinner"
	demoParty  = "community-party"
)

// seedParties gives the demo a seated dinner hosted by the organizers —
// 60 guests from many companies, some Korean speakers, a few dietary
// needs and seat-me-with requests, favorites giving them interests,
// seated already with the sample attendee at a table — and an open party
// to RSVP to. Both have a door (a place of kind party) that only their
// guests enter.
func seedParties(ctx context.Context, db *store.DB, ev *lanyard.Event, people []*lanyard.Attendee, sampleEmail string, now time.Time) error {
	cat, err := catalog.Load(ctx, db, ev)
	if err != nil {
		return err
	}
	e, err := reserve.Open(ctx, db, cat, reserve.Options{Tick: -1})
	if err != nil {
		return err
	}
	defer e.Close()
	days, _ := ev.DayDates()
	day := func(i, h, m int) time.Time {
		d, _ := time.ParseInLocation(time.DateOnly, days[min(i, len(days)-1)], cat.Loc)
		return d.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute).UTC()
	}
	parties := []lanyard.Party{
		{Code: demoDinner, Title: "Builders' dinner", Kind: lanyard.KindDinner, Location: "Wynn, Lafite ballroom", Starts: day(1, 19, 30), Capacity: 64, TableSize: 8},
		{Code: demoParty, Title: "Community party", Kind: lanyard.KindParty, Location: "Venetian, Tao Beach", Starts: day(2, 20, 0), Capacity: 300},
	}
	for i, p := range parties {
		if parties[i], err = db.PartyPut(ctx, ev.ID, p); err != nil {
			return fmt.Errorf("demo party %s: %w", p.Code, err)
		}
		if _, err := e.PutPlace(ctx, 0, "", lanyard.Place{Code: p.Code, Name: p.Title, Kind: lanyard.PlaceParty, Room: p.Location, Capacity: p.Capacity,
			Entitlement: lanyard.InviteKey(party.DoorList(p.Code))}); err != nil {
			return fmt.Errorf("demo party place %s: %w", p.Code, err)
		}
	}
	// Guests: the sample attendee and 59 others, spread over the list.
	var guests []*lanyard.Attendee
	for _, a := range people {
		if a.Email == sampleEmail {
			guests = append([]*lanyard.Attendee{a}, guests...)
		}
	}
	step := max(1, len(people)/70)
	for i := 0; i < len(people) && len(guests) < 60; i += step {
		if a := people[i]; a.Role == lanyard.RoleAttendee && a.Email != sampleEmail {
			guests = append(guests, a)
		}
	}
	// Interests: four favorites each from a pool of 40 sessions.
	rng := rand.New(rand.NewPCG(14, 0xd1))
	sessions := cat.Sessions()
	var pool []string
	for i := 0; i < len(sessions) && len(pool) < 40; i += max(1, len(sessions)/40) {
		if sessions[i].Reservable {
			pool = append(pool, sessions[i].Code)
		}
	}
	for i, a := range guests {
		if a.Email != sampleEmail && len(pool) >= 4 {
			picks := rng.Perm(len(pool))[:4]
			codes := make([]string, len(picks))
			for k, j := range picks {
				codes[k] = pool[j]
			}
			if _, err := e.SetWishlist(ctx, a.ID, codes, ""); err != nil {
				return fmt.Errorf("demo dinner favorites: %w", err)
			}
		}
		r := lanyard.PartyRSVP{AttendeeID: a.ID, Languages: []string{"en"}}
		switch {
		case i%11 == 5:
			r.Languages = []string{"ko"}
		case i%5 == 2:
			r.Languages = []string{"en", "ko"}
		}
		if i%17 == 4 && r.Languages[0] == "ko" { // asked for by the guest before: they share English
			r.Languages = []string{"en", "ko"}
		}
		if i%9 == 4 {
			r.Dietary = "vegetarian"
		}
		if i%17 == 3 && i+1 < len(guests) {
			r.SeatWith = []int64{guests[i+1].ID}
			r.Languages = []string{"en"}
		}
		if _, err := db.PartyRSVPPut(ctx, parties[0].ID, r); err != nil {
			return fmt.Errorf("demo dinner rsvp: %w", err)
		}
	}
	// The guests' door entry is derived from these RSVPs when the engine loads.
	dinner, err := db.Party(ctx, ev.ID, demoDinner)
	if err != nil {
		return err
	}
	if _, err := party.Seat(ctx, db, cat, dinner, now); err != nil {
		return fmt.Errorf("demo dinner seating: %w", err)
	}
	return nil
}
