package demo

import (
	"time"

	"github.com/lanyardhq/lanyard/internal/floorplan"
	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Shuttles are the demo event's shuttle routes, modelled on re:Invent's:
// the Venetian is the hub, with a loop to each other hotel every 10–15
// minutes from 7:00 to 21:00, two cross-town loops in the south every 20
// minutes, and the party night's shuttle to re:Play running past midnight.
// Rides are a little shorter than the travel matrix's shuttle minutes,
// which count the wait at the stop too.
func Shuttles(ev lanyard.Event) []lanyard.ShuttleRoute {
	start, err := time.Parse(time.DateOnly, ev.StartDate)
	if err != nil {
		return nil
	}
	days := func(first, last string, only ...int) []lanyard.ShuttleDay {
		var out []lanyard.ShuttleDay
		for i := 0; i < ev.Days; i++ {
			if len(only) > 0 && only[0] != i {
				continue
			}
			out = append(out, lanyard.ShuttleDay{Date: start.AddDate(0, 0, i).Format(time.DateOnly), First: first, Last: last})
		}
		return out
	}
	loop := func(name string, every int, stops ...any) lanyard.ShuttleRoute {
		r := lanyard.ShuttleRoute{Name: name, Every: every, Days: days("07:00", "21:00")}
		for i := 0; i < len(stops); i += 2 {
			r.Stops = append(r.Stops, lanyard.ShuttleStop{Venue: stops[i].(string), RideMinutes: stops[i+1].(int)})
		}
		return r
	}
	routes := []lanyard.ShuttleRoute{
		loop("Venetian – Wynn – Encore", 10, "venetian", 0, "wynn", 8, "encore", 4, "venetian", 10),
		loop("Venetian – Caesars Forum", 10, "venetian", 0, "caesars-forum", 10, "venetian", 10),
		loop("Venetian – MGM Grand", 15, "venetian", 0, "mgm", 20, "venetian", 22),
		loop("Venetian – Mandalay Bay", 15, "venetian", 0, "mandalay", 25, "venetian", 27),
		loop("MGM Grand – Mandalay Bay", 20, "mgm", 0, "mandalay", 10, "mgm", 12),
		loop("Caesars Forum – MGM Grand", 20, "caesars-forum", 0, "mgm", 15, "caesars-forum", 17),
	}
	if ev.Days >= 4 {
		party := loop("re:Play party", 10, "venetian", 0, "mgm", 20, "venetian", 22)
		party.Days = days("18:30", "00:30", 3) // Thursday night, past midnight
		routes = append(routes, party)
	}
	return routes
}

// VenuePlan is a generated floor plan for one of the demo's venues.
type VenuePlan struct {
	Venue, Name string
	Plan        floorplan.DemoPlan
}

// Plans draws one floor plan per venue with every room on it.
func Plans(venues []lanyard.Venue) []VenuePlan {
	out := make([]VenuePlan, 0, len(venues))
	for _, v := range venues {
		names := make([]string, len(v.Rooms))
		for i, r := range v.Rooms {
			names[i] = r.Name
		}
		out = append(out, VenuePlan{Venue: v.Code, Name: "Conference level", Plan: floorplan.Demo(v.Name, names)})
	}
	return out
}
