package main

import (
	"context"
	"fmt"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
)

// openSwag gives the demo's booths limited swag and booth events (issue
// 14) and a booth passport. It runs after the expo's demo made the
// exhibitors; without any, it makes three of its own. Demo exhibitor
// accounts that staff no company are given one, round robin. A few
// attendees have claimed already, so the stock is visibly moving, and the
// sample attendee holds one item and two passport stamps.
func openSwag(ctx context.Context, db *store.DB, ev *lanyard.Event, people []*lanyard.Attendee, sampleEmail string, now time.Time) error {
	xs, err := db.Exhibitors(ctx, ev.ID)
	if err != nil {
		return err
	}
	if len(xs) == 0 {
		for _, x := range []lanyard.Exhibitor{
			{Code: "anycompany", Name: "AnyCompany Cloud", Booth: "1001", Description: "Cloud tooling."},
			{Code: "example-corp", Name: "Example Corp", Booth: "1104", Description: "Observability."},
			{Code: "octank", Name: "Octank", Booth: "1210", Description: "Data platforms."},
		} {
			made, err := db.PutExhibitor(ctx, ev.ID, x)
			if err != nil {
				return err
			}
			xs = append(xs, made)
		}
	}
	var sample *lanyard.Attendee
	var attendees []*lanyard.Attendee
	k := 0
	for _, a := range people {
		switch {
		case a.Email == sampleEmail:
			sample = a
		case a.Role == lanyard.RoleAttendee:
			attendees = append(attendees, a)
		case a.Role == lanyard.RoleExhibitor:
			if _, err := db.ExhibitorOf(ctx, ev.ID, a.ID); lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
				if err := db.SetExhibitorStaff(ctx, xs[k%len(xs)].ID, a.ID); err != nil {
					return err
				}
				k++
			} else if err != nil {
				return err
			}
		}
	}
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
	expo, _ := time.ParseInLocation(time.DateOnly, days[0], cat.Loc)
	var first lanyard.SwagItem
	for i, x := range xs[:min(len(xs), 4)] {
		items := []lanyard.SwagItem{
			{ExhibitorID: x.ID, Kind: lanyard.SwagThing, Name: "Limited hoodie", Stock: 50},
			{ExhibitorID: x.ID, Kind: lanyard.SwagThing, Name: "Sticker pack", Stock: 500},
			{ExhibitorID: x.ID, Kind: lanyard.SwagEvent, Name: "First-day live demo", Stock: 30, Starts: expo.Add(time.Duration(16*60+30+15*i) * time.Minute)},
		}
		for j, it := range items {
			made, err := e.SwagPut(ctx, 0, 0, "", it)
			if err != nil {
				return fmt.Errorf("demo swag %s: %w", it.Name, err)
			}
			if i == 0 && j == 1 {
				first = made
			}
			// Some have been handed out already: the hoodies run low.
			n := []int{35 - 8*i, 40, 12}[j]
			for a := 0; a < n && a < len(attendees); a++ {
				who := attendees[(a*7+i*13+j)%len(attendees)]
				if _, err := e.SwagClaim(ctx, 0, 0, who.ID, made.ID, ""); err != nil && lanyard.ErrorCode(err) != lanyard.ESwagClaimed {
					return err
				}
			}
		}
	}
	booths := make([]int64, 0, len(xs))
	for _, x := range xs {
		booths = append(booths, x.ID)
	}
	p := lanyard.Passport{Name: "Expo passport", Prize: "A re:Play t-shirt", Needed: min(5, len(booths)), Booths: booths}
	if err := db.PassportPut(ctx, ev.ID, p); err != nil {
		return err
	}
	// The first exhibitor account signs in with the demo password (the
	// expo's demo prints it), to hand out swag at /exhibitor/swag.
	for _, a := range people {
		if a.Role == lanyard.RoleExhibitor {
			if err := setDemoPassword(ctx, db, ev.ID, a.Email); err != nil {
				return err
			}
			break
		}
	}
	if sample != nil && first.ID != 0 {
		if _, err := e.SwagClaim(ctx, 0, 0, sample.ID, first.ID, ""); err != nil && lanyard.ErrorCode(err) != lanyard.ESwagClaimed {
			return err
		}
		for _, b := range booths[:min(2, len(booths))] {
			if _, err := db.PassportStamp(ctx, ev.ID, sample.ID, b, 0, now); err != nil {
				return err
			}
		}
	}
	return nil
}
