package shuttle

import "time"

// Latest returns the shuttle trip from venue from to venue to that leaves
// last while still arriving by arriveBy: when to leave for a session that
// starts then. ok is false when no bus arrives in time on any day.
// Between trips leaving together, the one arriving first wins.
func Latest(routes []Route, from, to string, arriveBy time.Time) (dep, arr time.Time, route string, ok bool) {
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
				// The last bus of the run that reaches stop j by arriveBy.
				latest := arriveBy.Add(-r.offsets[j])
				if latest.Before(ru.first) {
					continue
				}
				if latest.After(ru.last) {
					latest = ru.last
				}
				start := ru.first.Add(latest.Sub(ru.first) / r.every * r.every)
				d, a := start.Add(r.offsets[i]), start.Add(r.offsets[j])
				if !ok || d.After(dep) || (d.Equal(dep) && a.Before(arr)) {
					dep, arr, route, ok = d, a, r.Name, true
				}
			}
		}
	}
	return dep, arr, route, ok
}

// Way is how to get from one venue to another: on foot, or by a shuttle.
type Way struct {
	Walk   bool
	Route  string // the shuttle's route, when not on foot
	Leave  time.Time
	Arrive time.Time
}

// Best is the quicker way from from to to leaving at or after after: on
// foot (walkMinutes, 0 when unknown or too far to walk) or by the shuttle
// that arrives first. Walking wins a tie: it needs no bus. ok is false
// when neither way is known.
func Best(routes []Route, walkMinutes int, from, to string, after time.Time) (w Way, ok bool) {
	if walkMinutes > 0 {
		w = Way{Walk: true, Leave: after, Arrive: after.Add(time.Duration(walkMinutes) * time.Minute)}
		ok = true
	}
	if dep, arr, name, found := Next(routes, from, to, after); found && (!ok || arr.Before(w.Arrive)) {
		w, ok = Way{Route: name, Leave: dep, Arrive: arr}, true
	}
	return w, ok
}

// LeaveBy is the latest way to get from from to to and arrive by
// arriveBy: on foot (walkMinutes, 0 when unknown) or by the shuttle that
// leaves last in time. Between the two, the later departure wins (less
// waiting around); walking wins a tie. ok is false when neither arrives
// in time.
func LeaveBy(routes []Route, walkMinutes int, from, to string, arriveBy time.Time) (w Way, ok bool) {
	if walkMinutes > 0 {
		d := time.Duration(walkMinutes) * time.Minute
		w = Way{Walk: true, Leave: arriveBy.Add(-d), Arrive: arriveBy}
		ok = true
	}
	if dep, arr, name, found := Latest(routes, from, to, arriveBy); found && (!ok || dep.After(w.Leave)) {
		w, ok = Way{Route: name, Leave: dep, Arrive: arr}, true
	}
	return w, ok
}
