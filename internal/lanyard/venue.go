package lanyard

import "fmt"

// Venue is a building (a hotel) with rooms. Venues are far apart at a large
// conference, so the travel time between them matters to an agenda.
type Venue struct {
	ID      int64  `json:"id"`
	EventID int64  `json:"-"`
	Code    string `json:"code"` // short, stable key used by imports and filters ("venetian")
	Name    string `json:"name"`
	Rooms   []Room `json:"rooms"`
}

// TextFields lists the venue's name and its rooms' names with their rules.
func (v *Venue) TextFields() []TextField {
	out := []TextField{{"name", &v.Name, RuleLabel}}
	for i := range v.Rooms {
		out = append(out, TextField{fmt.Sprintf("rooms[%d].name", i), &v.Rooms[i].Name, RuleLabel})
	}
	return out
}

// Room is a place where sessions run.
type Room struct {
	ID       int64  `json:"id"`
	VenueID  int64  `json:"-"`
	Name     string `json:"name"`
	Capacity int    `json:"capacity"`
}

// TravelTime is how long it takes to get from one venue to another. The
// matrix need not be symmetric: shuttles loop.
type TravelTime struct {
	From           string `json:"from"` // venue code
	To             string `json:"to"`   // venue code
	WalkMinutes    int    `json:"walk_minutes"`
	ShuttleMinutes int    `json:"shuttle_minutes"`
}

// Fastest returns the minutes of the quicker way and whether it is on foot
// (walking wins a tie), ignoring a way given as 0 (unknown). 0 minutes: no
// way is known. The agenda and the reservation rules both judge trips by it.
func (t TravelTime) Fastest() (minutes int, walk bool) {
	switch {
	case t.WalkMinutes > 0 && (t.ShuttleMinutes <= 0 || t.WalkMinutes <= t.ShuttleMinutes):
		return t.WalkMinutes, true
	case t.ShuttleMinutes > 0:
		return t.ShuttleMinutes, false
	}
	return 0, false
}
