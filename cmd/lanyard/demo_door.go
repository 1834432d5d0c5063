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

// The demo's event is weeks ahead, so no door is open; --door-now adds two
// sessions around now for the door app (issue 13): DOOR-101 starts in 25
// minutes (its door opened 5 minutes ago; its reserved seats are held
// for 15 more), 20 seats of which 2 are walk-ups, with an overflow
// room at the Wynn; DOOR-102 began twenty minutes ago. The sample attendee
// and a few others hold seats, so a scan shows each verdict.

// doorDemoCodes are the sessions --door-now adds.
var doorDemoCodes = []string{"DOOR-101", "DOOR-102"}

// addDoorSessions adds the door demo's sessions to the generated catalog.
func addDoorSessions(c *lanyard.Catalog, now time.Time) {
	start := now.Add(25 * time.Minute).Truncate(time.Minute)
	add := func(code, title, room string, start time.Time, capacity int) {
		c.Sessions = append(c.Sessions, lanyard.Session{Code: code, Title: title, Type: lanyard.TypeSession, Level: 100,
			Topics: []string{"Door demo"}, Venue: "venetian", Room: room, Start: start.UTC(), End: start.Add(90 * time.Minute).UTC(),
			Reservable: true, CapacityOverride: capacity, Abstract: "A session happening now, for trying the door app: scan badges at /door."})
	}
	add(doorDemoCodes[0], "Door demo: scan me in", "Level 3, Lido 3001", start, 20)
	add(doorDemoCodes[1], "Door demo: already started", "Level 3, Lido 3002", start.Add(-45*time.Minute), 10)
}

// reserveDoorSessions gives the door demo's sessions their overflow room
// and reservations. Reservations close before a start, so they are made
// on an engine whose clock is two hours back, in a window of their own.
func reserveDoorSessions(ctx context.Context, db *store.DB, ev *lanyard.Event, now time.Time, people []*lanyard.Attendee, sample string) error {
	cat, err := catalog.Load(ctx, db, ev)
	if err != nil {
		return err
	}
	then := now.Add(-2 * time.Hour)
	e, err := reserve.Open(ctx, db, cat, reserve.Options{Tick: -1, Now: func() time.Time { return then }})
	if err != nil {
		return err
	}
	defer e.Close()
	for _, code := range doorDemoCodes {
		if _, err := e.AddWindow(ctx, 0, "", lanyard.Window{Session: code, Opens: then.Add(-time.Hour), Closes: now.Add(24 * time.Hour)}); err != nil {
			return fmt.Errorf("door demo window: %w", err)
		}
	}
	if err := e.AddOverflow(ctx, doorDemoCodes[0], "wynn", "Convention Promenade, Latour 1"); err != nil {
		return fmt.Errorf("door demo overflow: %w", err)
	}
	n := 0
	for _, a := range people {
		if a.Role != lanyard.RoleAttendee {
			continue
		}
		code := doorDemoCodes[0]
		if a.Email != sample && n%2 == 1 {
			code = doorDemoCodes[1]
		}
		if a.Email == sample || n < 12 {
			if _, err := e.Reserve(ctx, a.ID, []string{code}, false, ""); err != nil {
				return fmt.Errorf("door demo reservation: %w", err)
			}
			n++
		}
	}
	return nil
}
