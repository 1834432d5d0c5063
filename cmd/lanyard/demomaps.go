package main

import (
	"context"
	"fmt"

	"github.com/lanyardhq/lanyard/internal/demo"
	"github.com/lanyardhq/lanyard/internal/floorplan"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/shuttle"
	"github.com/lanyardhq/lanyard/internal/store"
)

// seedMaps gives the demo event its shuttle routes and a generated floor
// plan per venue with every room marked, stored as an upload would be.
func seedMaps(ctx context.Context, db *store.DB, ev *lanyard.Event) error {
	routes := demo.Shuttles(*ev)
	loc, err := ev.Location()
	if err != nil {
		return err
	}
	if _, err := shuttle.Compile(routes, loc); err != nil {
		return fmt.Errorf("demo shuttles: %w", err)
	}
	if err := db.ReplaceShuttleRoutes(ctx, ev.ID, routes); err != nil {
		return err
	}
	venues, _, err := db.FindVenues(ctx, ev.ID)
	if err != nil {
		return err
	}
	for _, vp := range demo.Plans(venues) {
		p, err := floorplan.Read(vp.Plan.SVG)
		if err != nil {
			return fmt.Errorf("demo plan of %s: %w", vp.Venue, err)
		}
		id, err := db.SavePlan(ctx, ev.ID, store.NewPlan{Venue: vp.Venue, Name: vp.Name, Format: p.Format, Data: p.Data,
			MinX: p.Box.MinX, MinY: p.Box.MinY, Width: p.Box.Width, Height: p.Box.Height})
		if err != nil {
			return err
		}
		var marks []lanyard.PlanRoom
		for _, v := range venues {
			if v.Code != vp.Venue {
				continue
			}
			for _, r := range v.Rooms {
				if at, ok := vp.Plan.Rooms[r.Name]; ok {
					marks = append(marks, lanyard.PlanRoom{RoomID: r.ID, X: at.X, Y: at.Y, W: at.W, H: at.H})
				}
			}
		}
		if err := db.MarkRooms(ctx, ev.ID, id, marks); err != nil {
			return err
		}
	}
	return nil
}
