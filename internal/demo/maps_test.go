package demo_test

import (
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/demo"
	"github.com/lanyardhq/lanyard/internal/floorplan"
	"github.com/lanyardhq/lanyard/internal/shuttle"
)

// The demo's shuttles link every venue to the hub and back, every 10–20
// minutes through the day; its plans mark every room and survive the
// sanitizer unchanged in content.
func TestDemoMaps(t *testing.T) {
	g := demo.Generate(demo.Options{Seed: 1, Attendees: 1, StartDate: "2026-11-30"})
	ev := g.Catalog.Event
	loc, _ := ev.Location()
	routes, err := shuttle.Compile(demo.Shuttles(ev), loc)
	if err != nil {
		t.Fatal(err)
	}
	morning := time.Date(2026, 12, 1, 8, 0, 0, 0, loc)
	for _, v := range g.Catalog.Venues {
		if v.Code == "venetian" {
			continue
		}
		for _, trip := range [][2]string{{"venetian", v.Code}, {v.Code, "venetian"}} {
			dep, arr, name, ok := shuttle.Next(routes, trip[0], trip[1], morning)
			if !ok || dep.Sub(morning) > 20*time.Minute || arr.Sub(dep) > 30*time.Minute {
				t.Errorf("%s → %s at 8:00: %v %s %s–%s", trip[0], trip[1], ok, name, dep.In(loc).Format("15:04"), arr.In(loc).Format("15:04"))
			}
		}
	}
	// After 21:00 only the party shuttle runs, and only on Thursday.
	if _, _, name, ok := shuttle.Next(routes, "venetian", "mgm", time.Date(2026, 12, 3, 23, 55, 0, 0, loc)); !ok || name != "re:Play party" {
		t.Errorf("Thursday 23:55 to MGM: %v %q", ok, name)
	}
	plans := demo.Plans(g.Catalog.Venues)
	if len(plans) != len(g.Catalog.Venues) {
		t.Fatalf("%d plans for %d venues", len(plans), len(g.Catalog.Venues))
	}
	for i, p := range plans {
		if len(p.Plan.Rooms) != len(g.Catalog.Venues[i].Rooms) {
			t.Errorf("%s: %d rooms drawn of %d", p.Venue, len(p.Plan.Rooms), len(g.Catalog.Venues[i].Rooms))
		}
		got, err := floorplan.Read(p.Plan.SVG)
		if err != nil {
			t.Fatalf("%s: %v", p.Venue, err)
		}
		if got.Box != p.Plan.Box || len(got.Data) < len(p.Plan.SVG)*9/10 {
			t.Errorf("%s: the sanitizer took %d of %d bytes ", p.Venue, len(got.Data), len(p.Plan.SVG))
		}
	}
}
