package plan_test

import (
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/plan"
)

// Trip judges any two sessions as Build judges held ones.
func TestTrip(t *testing.T) {
	travel := func(from, to string) (lanyard.TravelTime, bool) {
		return lanyard.TravelTime{From: from, To: to, WalkMinutes: 40, ShuttleMinutes: 25}, from != to
	}
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	a := &lanyard.Session{Code: "A", Venue: "venetian", Start: day.Add(9 * time.Hour), End: day.Add(10 * time.Hour)}
	tests := []struct {
		name   string
		to     *lanyard.Session
		travel int
		mode   string
		enough bool
	}{
		{"shuttle fits", &lanyard.Session{Code: "B", Venue: "mgm", Start: day.Add(10*time.Hour + 30*time.Minute)}, 25, plan.ModeShuttle, true},
		{"shuttle too slow", &lanyard.Session{Code: "C", Venue: "mgm", Start: day.Add(10*time.Hour + 10*time.Minute)}, 25, plan.ModeShuttle, false},
		{"same venue", &lanyard.Session{Code: "D", Venue: "venetian", Start: day.Add(10 * time.Hour)}, 0, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := plan.Trip(a, tt.to, travel)
			if g.Travel != tt.travel || g.Mode != tt.mode || g.Enough != tt.enough {
				t.Fatalf("Trip = %d %q enough=%v, want %d %q %v", g.Travel, g.Mode, g.Enough, tt.travel, tt.mode, tt.enough)
			}
		})
	}
}
