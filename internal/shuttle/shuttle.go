// Package shuttle answers when the next shuttle leaves between two venues,
// from the routes organizers enter (stops in order, first and last
// departure per day, how often, ride minutes between stops). The attendee's
// "now and next" and the overflow directions use Next; the map page lists
// Departures.
//
// Departures are counted in real time from the day's first departure, not
// on the wall clock: on a night the clocks change a bus still leaves every
// N minutes, and a local time the change skips is never shown.
package shuttle

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Route is a route ready to answer questions: its stops and the instants
// of its service.
type Route struct {
	ID      int64
	Name    string
	Stops   []string        // venue codes, in order
	offsets []time.Duration // from leaving the first stop to reaching stop i
	every   time.Duration
	runs    []run // one per day of service, in order
}

// run is one day's service: the first and last departures from the first
// stop.
type run struct{ first, last time.Time }

// Limits on what an organizer enters.
const (
	maxEvery = 12 * 60 // minutes between buses
	maxRide  = 6 * 60  // minutes between two stops
	maxStops = 30
)

// Validate checks a route as entered: a name, two stops or more, each
// with a ride from the one before, a frequency, and days with times.
// Returns EINVALID naming the field at fault.
func Validate(r lanyard.ShuttleRoute) error {
	bad := func(field, format string, args ...any) error {
		e := lanyard.Errorf(lanyard.EINVALID, format, args...)
		e.Field = field
		return e
	}
	switch {
	case strings.TrimSpace(r.Name) == "":
		return bad("name", "The route needs a name.")
	case len(r.Stops) < 2:
		return bad("stops", "A route has two stops or more.")
	case len(r.Stops) > maxStops:
		return bad("stops", "A route has at most %d stops.", maxStops)
	case r.Every < 1 || r.Every > maxEvery:
		return bad("every", "Buses leave every 1 to %d minutes.", maxEvery)
	case len(r.Days) == 0:
		return bad("days", "The route needs at least one day of service.")
	}
	for i, s := range r.Stops {
		if s.Venue == "" {
			return bad("stops", "Stop %d has no venue.", i+1)
		}
		if i > 0 && s.Venue == r.Stops[i-1].Venue {
			return bad("stops", "Stop %d is the venue of the stop before it.", i+1)
		}
		if i > 0 && (s.RideMinutes < 1 || s.RideMinutes > maxRide) {
			return bad("stops", "The ride to stop %d takes 1 to %d minutes.", i+1, maxRide)
		}
	}
	seen := map[string]bool{}
	for _, d := range r.Days {
		if _, err := time.Parse(time.DateOnly, d.Date); err != nil {
			return bad("days", "%q is not a date (YYYY-MM-DD).", d.Date)
		}
		if seen[d.Date] {
			return bad("days", "%s is listed twice.", d.Date)
		}
		seen[d.Date] = true
		for _, c := range []string{d.First, d.Last} {
			if _, _, ok := clock(c); !ok {
				return bad("days", "%q is not a time of day (HH:MM).", c)
			}
		}
	}
	return nil
}

// clock parses "HH:MM".
func clock(s string) (h, m int, ok bool) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, 0, false
	}
	return t.Hour(), t.Minute(), true
}

// Compile turns routes as entered (times of day in loc, the event's zone)
// into routes that answer Next and Departures. A route that fails
// Validate is an error.
func Compile(rs []lanyard.ShuttleRoute, loc *time.Location) ([]Route, error) {
	if loc == nil {
		loc = time.UTC
	}
	out := make([]Route, 0, len(rs))
	for _, r := range rs {
		if err := Validate(r); err != nil {
			return nil, fmt.Errorf("shuttle: route %q: %w", r.Name, err)
		}
		c := Route{ID: r.ID, Name: r.Name, every: time.Duration(r.Every) * time.Minute}
		var off time.Duration
		for _, s := range r.Stops {
			off += time.Duration(s.RideMinutes) * time.Minute
			c.Stops = append(c.Stops, s.Venue)
			c.offsets = append(c.offsets, off)
		}
		c.offsets[0] = 0
		for _, d := range r.Days {
			day, _ := time.ParseInLocation(time.DateOnly, d.Date, loc)
			fh, fm, _ := clock(d.First)
			lh, lm, _ := clock(d.Last)
			first := time.Date(day.Year(), day.Month(), day.Day(), fh, fm, 0, 0, loc)
			lastDay := day
			if lh*60+lm < fh*60+fm {
				lastDay = day.AddDate(0, 0, 1) // runs past midnight
			}
			last := time.Date(lastDay.Year(), lastDay.Month(), lastDay.Day(), lh, lm, 0, 0, loc)
			c.runs = append(c.runs, run{first, last})
		}
		sort.Slice(c.runs, func(i, j int) bool { return c.runs[i].first.Before(c.runs[j].first) })
		out = append(out, c)
	}
	return out, nil
}

// leave is the first bus of run that leaves stop i at or after t: the
// instant it left the first stop, and whether there is one.
func (r *Route) leave(ru run, i int, t time.Time) (time.Time, bool) {
	base := ru.first.Add(r.offsets[i])
	k := int64(0)
	if t.After(base) {
		k = int64((t.Sub(base) + r.every - 1) / r.every)
	}
	start := ru.first.Add(time.Duration(k) * r.every)
	if start.After(ru.last) {
		return time.Time{}, false
	}
	return start, true
}

// Next returns the shuttle trip from venue from to venue to that arrives
// first, among those leaving from at or after after: when it leaves,
// when it arrives and the route's name. ok is false when no route links
// the two venues in that direction, or no bus is left on any day.
// Between trips arriving together, the one leaving later wins (less
// waiting at the stop).
func Next(routes []Route, from, to string, after time.Time) (dep, arr time.Time, route string, ok bool) {
	for ri := range routes {
		r := &routes[ri]
		for i, s := range r.Stops {
			if s != from {
				continue
			}
			j := i + 1
			for j < len(r.Stops) && r.Stops[j] != to {
				j++
			}
			if j == len(r.Stops) {
				continue
			}
			for _, ru := range r.runs {
				start, found := r.leave(ru, i, after)
				if !found {
					continue
				}
				d, a := start.Add(r.offsets[i]), start.Add(r.offsets[j])
				if !ok || a.Before(arr) || (a.Equal(arr) && d.After(dep)) {
					dep, arr, route, ok = d, a, r.Name, true
				}
				break // later days only arrive later
			}
		}
	}
	return dep, arr, route, ok
}

// Departure is a bus leaving a stop, and the stops it calls at next.
type Departure struct {
	Route string
	At    time.Time
	Calls []Call
}

// Call is a later stop of a departure and when the bus reaches it.
type Call struct {
	Venue string
	At    time.Time
}

// Departures lists the next n buses leaving venue from at or after after,
// on every route, in order of leaving.
func Departures(routes []Route, from string, after time.Time, n int) []Departure {
	var out []Departure
	for ri := range routes {
		r := &routes[ri]
		for i, s := range r.Stops {
			if s != from || i == len(r.Stops)-1 {
				continue
			}
			got := 0
			for _, ru := range r.runs {
				t := after
				for got < n {
					start, found := r.leave(ru, i, t)
					if !found {
						break
					}
					d := Departure{Route: r.Name, At: start.Add(r.offsets[i])}
					for j := i + 1; j < len(r.Stops); j++ {
						d.Calls = append(d.Calls, Call{r.Stops[j], start.Add(r.offsets[j])})
					}
					out = append(out, d)
					got++
					t = d.At.Add(time.Nanosecond)
				}
				if got >= n {
					break
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	if len(out) > n {
		out = out[:n]
	}
	return out
}
