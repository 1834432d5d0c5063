package store_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// A plan is kept per venue with its bytes; rooms of its venue (only) are
// marked on it, a new mark replaces the old; a re-import keeps plan and
// marks; deleting the plan takes its marks.
func TestVenuePlans(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50" width="100" height="50"></svg>`)
		if _, err := db.SavePlan(ctx, ev.ID, store.NewPlan{Venue: "bellagio", Name: "L1", Format: "svg", Data: svg, Width: 1, Height: 1}); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("a plan for a venue the event lacks: %v", err)
		}
		id, err := db.SavePlan(ctx, ev.ID, store.NewPlan{Venue: "venetian", Name: "Level 2", Format: "svg", Data: svg, MinX: -5, Width: 100, Height: 50})
		if err != nil {
			t.Fatal(err)
		}
		rooms := map[string]int64{}
		venues, _, err := db.FindVenues(ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range venues {
			for _, r := range v.Rooms {
				rooms[r.Name] = r.ID
			}
		}
		if err := db.MarkRoom(ctx, ev.ID, id, lanyard.PlanRoom{RoomID: rooms["Hall A"], X: 1, Y: 2, W: 30, H: 20}); err != nil {
			t.Fatal(err)
		}
		if err := db.MarkRoom(ctx, ev.ID, id, lanyard.PlanRoom{RoomID: rooms["San Polo 3501"], X: 9, Y: 9}); err != nil {
			t.Fatal(err)
		}
		if err := db.MarkRoom(ctx, ev.ID, id, lanyard.PlanRoom{RoomID: rooms["San Polo 3501"], X: 50, Y: 25}); err != nil {
			t.Fatal(err)
		}
		if err := db.MarkRoom(ctx, ev.ID, id, lanyard.PlanRoom{RoomID: rooms["Room 101"], X: 1, Y: 1}); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("marking another venue's room: %v", err)
		}
		if err := db.MarkRoom(ctx, ev.ID+1, id, lanyard.PlanRoom{RoomID: rooms["Hall A"], X: 1, Y: 1}); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("marking through another event: %v", err)
		}
		// A re-import updates venues and rooms in place.
		mustImport(t, db, testCatalog())
		p, err := db.Plan(ctx, ev.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		if p.Venue != "venetian" || p.Name != "Level 2" || p.MinX != -5 || p.Width != 100 || p.Height != 50 || p.Version == 0 {
			t.Errorf("plan %+v", p)
		}
		want := []lanyard.PlanRoom{{RoomID: rooms["Hall A"], Room: "Hall A", X: 1, Y: 2, W: 30, H: 20}, {RoomID: rooms["San Polo 3501"], Room: "San Polo 3501", X: 50, Y: 25}}
		if len(p.Rooms) != 2 || p.Rooms[0] != want[0] || p.Rooms[1] != want[1] {
			t.Errorf("rooms %+v, want %+v", p.Rooms, want)
		}
		format, data, version, err := db.PlanData(ctx, ev.ID, id)
		if err != nil || format != "svg" || !bytes.Equal(data, svg) || version != p.Version {
			t.Errorf("data %s %q %d %v", format, data, version, err)
		}
		if _, _, _, err := db.PlanData(ctx, ev.ID+1, id); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("another event's plan: %v", err)
		}
		if all, err := db.VenuePlans(ctx, ev.ID, ""); err != nil || len(all) != 1 {
			t.Errorf("all plans: %d, %v", len(all), err)
		}
		if mgm, err := db.VenuePlans(ctx, ev.ID, "mgm"); err != nil || len(mgm) != 0 {
			t.Errorf("MGM's plans: %d, %v", len(mgm), err)
		}
		if err := db.UnmarkRoom(ctx, ev.ID, id, rooms["Hall A"]); err != nil {
			t.Fatal(err)
		}
		if p, _ := db.Plan(ctx, ev.ID, id); len(p.Rooms) != 1 {
			t.Errorf("after unmarking: %+v", p.Rooms)
		}
		if err := db.DeletePlan(ctx, ev.ID, id); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Plan(ctx, ev.ID, id); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("deleted plan: %v", err)
		}
	})
}

func TestShuttleRoutes(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		r := lanyard.ShuttleRoute{Name: "South", Every: 15,
			Stops: []lanyard.ShuttleStop{{Venue: "venetian"}, {Venue: "mgm", RideMinutes: 25}},
			Days:  []lanyard.ShuttleDay{{Date: "2026-11-30", First: "07:00", Last: "21:00"}}}
		id, err := db.SaveShuttleRoute(ctx, ev.ID, r)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.SaveShuttleRoute(ctx, ev.ID, r); lanyard.ErrorCode(err) != lanyard.ECONFLICT {
			t.Errorf("a second route of the same name: %v", err)
		}
		r.ID, r.Every = id, 20
		if _, err := db.SaveShuttleRoute(ctx, ev.ID, r); err != nil {
			t.Fatal(err)
		}
		got, err := db.ShuttleRoutes(ctx, ev.ID)
		if err != nil || len(got) != 1 || got[0].Every != 20 || got[0].Stops[1].RideMinutes != 25 || got[0].Days[0].Last != "21:00" {
			t.Fatalf("routes %+v, %v", got, err)
		}
		if err := db.ReplaceShuttleRoutes(ctx, ev.ID, []lanyard.ShuttleRoute{r, {Name: "North", Every: 10, Stops: r.Stops, Days: r.Days}}); err != nil {
			t.Fatal(err)
		}
		got, _ = db.ShuttleRoutes(ctx, ev.ID)
		if len(got) != 2 || got[0].Name != "North" {
			t.Fatalf("after replace: %+v", got)
		}
		if err := db.DeleteShuttleRoute(ctx, ev.ID+1, got[0].ID); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("deleting through another event: %v", err)
		}
		if err := db.DeleteShuttleRoute(ctx, ev.ID, got[0].ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.ShuttleRoutes(ctx, ev.ID); len(got) != 1 || got[0].Name != "South" {
			t.Errorf("after delete: %+v", got)
		}
	})
}
