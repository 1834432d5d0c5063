package main

import (
	"context"
	"fmt"
	"time"

	"github.com/lanyardhq/lanyard/internal/demo"
	"github.com/lanyardhq/lanyard/internal/floorplan"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
)

// seedExpo gives the demo its expo floor (issue 14): a generated hall map,
// the exhibitors of demo.Expo with their booths marked on it and their
// booth events, the demo's exhibitor accounts on their employer's staff,
// and the sample attendee's four favorite booths (their walking route; no
// booth events, which they add themselves: the agenda stays as it was).
// It returns the exhibitor account the banner prints (its password set).
func seedExpo(ctx context.Context, db *store.DB, ev *lanyard.Event, people []*lanyard.Attendee, sampleEmail string) (string, error) {
	xs := demo.Expo()
	labels := make([]string, len(xs))
	for i, x := range xs {
		labels[i] = x.Booth + ", " + x.Name
	}
	plan := floorplan.Demo("Expo Hall · Venetian Level 2", labels)
	// Through the same check as an upload: what is stored is what an
	// organizer's upload would be.
	p, err := floorplan.Read(plan.SVG)
	if err != nil {
		return "", fmt.Errorf("demo expo map: %w", err)
	}
	if err := db.ExpoSaveMap(ctx, ev.ID, p.Format, p.Data, p.Box.MinX, p.Box.MinY, p.Box.Width, p.Box.Height); err != nil {
		return "", err
	}
	loc, err := time.LoadLocation(ev.TimeZone)
	if err != nil {
		return "", err
	}
	days, _ := ev.DayDates()
	byName := map[string]int64{}
	var boothIDs []int64
	for i, x := range xs {
		saved, err := db.PutExhibitor(ctx, ev.ID, x.Exhibitor)
		if err != nil {
			return "", fmt.Errorf("demo exhibitor %s: %w", x.Code, err)
		}
		byName[x.Name] = saved.ID
		boothIDs = append(boothIDs, saved.ID)
		if err := db.ExpoSetHours(ctx, saved.ID, x.Hours); err != nil {
			return "", err
		}
		r := plan.Rooms[labels[i]]
		if err := db.ExpoMarkBooth(ctx, ev.ID, saved.ID, true, r.X, r.Y, r.W, r.H); err != nil {
			return "", err
		}
		for _, e := range x.Events {
			d, err := time.ParseInLocation(time.DateOnly, days[min(e.Day, len(days)-1)], loc)
			if err != nil {
				return "", err
			}
			start := d.Add(time.Duration(e.Hour)*time.Hour + time.Duration(e.Minute)*time.Minute)
			_, err = db.ExpoPutEvent(ctx, ev.ID, store.ExpoEvent{ExhibitorID: saved.ID, Kind: e.Kind, Title: e.Title, Description: e.Description,
				Starts: start, Ends: start.Add(time.Duration(e.Minutes) * time.Minute)})
			if err != nil {
				return "", fmt.Errorf("demo booth event %q: %w", e.Title, err)
			}
		}
	}
	account := ""
	for _, a := range people {
		switch {
		case a.Role == lanyard.RoleExhibitor && byName[a.Company] != 0:
			if err := db.SetExhibitorStaff(ctx, byName[a.Company], a.ID); err != nil {
				return "", err
			}
			if account == "" {
				account = a.Email
			}
		case a.Email == sampleEmail:
			for _, i := range []int{3, 10, 17, 21} { // not the first sponsor: its staff is the account the banner prints
				if err := db.ExpoFavoriteBooth(ctx, ev.ID, a.ID, boothIDs[i%len(boothIDs)], true); err != nil {
					return "", err
				}
			}
		}
	}
	if account != "" {
		if err := setDemoPassword(ctx, db, ev.ID, account); err != nil {
			return "", err
		}
	}
	return account, nil
}
