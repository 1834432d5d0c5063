package shuttle_test

import (
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/shuttle"
)

func TestLatestAndWays(t *testing.T) {
	day := func(date string) lanyard.ShuttleDay {
		return lanyard.ShuttleDay{Date: date, First: "07:00", Last: "21:00"}
	}
	routes, err := shuttle.Compile([]lanyard.ShuttleRoute{
		route("South", 15, stops("venetian", 0, "mgm", 20, "venetian", 22), day("2026-11-30"), day("2026-12-01")),
	}, vegas)
	if err != nil {
		t.Fatal(err)
	}
	clock := func(tm time.Time) string { return tm.In(vegas).Format("Jan 2 15:04") }
	latest := []struct {
		name     string
		by       time.Time
		dep, arr string
		none     bool
	}{
		{"exactly on time", at("2026-11-30", "10:20"), "Nov 30 10:00", "Nov 30 10:20", false},
		{"between buses", at("2026-11-30", "10:34"), "Nov 30 10:00", "Nov 30 10:20", false},
		{"the last bus of the day", at("2026-11-30", "23:00"), "Nov 30 21:00", "Nov 30 21:20", false},
		{"before the first bus arrives: the day before", at("2026-12-01", "07:10"), "Nov 30 21:00", "Nov 30 21:20", false},
		{"before any service", at("2026-11-30", "07:19"), "", "", true},
	}
	for _, tt := range latest {
		dep, arr, _, ok := shuttle.Latest(routes, "venetian", "mgm", tt.by)
		if ok == tt.none || (ok && (clock(dep) != tt.dep || clock(arr) != tt.arr)) {
			t.Errorf("%s: %v %s→%s, want %s→%s", tt.name, ok, clock(dep), clock(arr), tt.dep, tt.arr)
		}
	}
	// MGM to the Venetian is 40 minutes on foot, 22 by the loop's second half.
	now := at("2026-11-30", "10:01")
	if w, ok := shuttle.Best(routes, 40, "mgm", "venetian", now); !ok || w.Walk || w.Route != "South" || clock(w.Leave) != "Nov 30 10:05" || clock(w.Arrive) != "Nov 30 10:27" {
		t.Errorf("best at 10:01: %+v", w)
	}
	// The last bus leaves MGM at 21:20 (the Venetian at 21:00): after it, walk.
	if w, ok := shuttle.Best(routes, 40, "mgm", "venetian", at("2026-11-30", "21:21")); !ok || !w.Walk || clock(w.Arrive) != "Nov 30 22:01" {
		t.Errorf("best after the last bus: %+v", w)
	}
	if _, ok := shuttle.Best(routes, 0, "mgm", "wynn", now); ok {
		t.Error("a way with neither a walk nor a route")
	}
	// To be at the Venetian by 11:00: the bus leaving MGM at 10:35 beats
	// walking out at 10:20.
	if w, ok := shuttle.LeaveBy(routes, 40, "mgm", "venetian", at("2026-11-30", "11:00")); !ok || w.Walk || clock(w.Leave) != "Nov 30 10:35" {
		t.Errorf("leave by 11:00: %+v", w)
	}
	// A 10-minute walk beats any bus.
	if w, ok := shuttle.LeaveBy(routes, 10, "mgm", "venetian", at("2026-11-30", "11:00")); !ok || !w.Walk || clock(w.Leave) != "Nov 30 10:50" {
		t.Errorf("leave by 11:00 on foot: %+v", w)
	}
}
