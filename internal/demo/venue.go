package demo

import (
	"fmt"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// roomKind says which sessions a room takes.
type roomKind int

const (
	keynoteHall roomKind = iota
	sessionRoom
	chalkRoom
	workshopRoom
	buildersRoom
	lounge // meetups and dev chats, in the expo halls
	numRoomKinds
)

// roomGroup is a run of rooms of one kind, such as "Level 3, San Polo 3501"
// to "Level 3, San Polo 3506". Format takes the number (%d) or letter (%c)
// counted from first; a group with first 0 is one room named by format.
type roomGroup struct {
	kind         roomKind
	format       string
	first, count int
	minSeats     int
	maxSeats     int
}

// venueSpec is one building of the campus.
type venueSpec struct {
	code, name string
	rooms      []roomGroup
}

// campus is modelled on re:Invent's Las Vegas campus, north to south along
// the Strip. Room names follow the hotels' own; seat counts are plausible,
// not real. The keynote hall is the only room that takes keynotes.
var campus = []venueSpec{
	{"venetian", "Venetian", []roomGroup{
		{keynoteHall, "Level 2, Venetian Hall A–D", 0, 1, 11500, 11500},
		{sessionRoom, "Level 5, Palazzo Ballroom %c", 'A', 4, 700, 1200},
		{sessionRoom, "Level 4, Delfino %d", 4001, 5, 250, 500},
		{sessionRoom, "Level 3, Lido %d", 3001, 3, 150, 250},
		{chalkRoom, "Level 3, San Polo %d", 3501, 6, 40, 80},
		{chalkRoom, "Level 3, Murano %d", 3301, 4, 40, 80},
		{workshopRoom, "Level 4, Marcello %d", 4401, 6, 70, 150},
		{workshopRoom, "Level 4, Lando %d", 4201, 2, 70, 150},
		{buildersRoom, "Level 2, Titian %d", 2201, 8, 45, 55},
		{lounge, "Level 2, Expo Hall, Developer Lounge", 0, 1, 150, 150},
		{lounge, "Level 2, Expo Hall, Community Lounge", 0, 1, 120, 120},
	}},
	{"wynn", "Wynn", []roomGroup{
		{sessionRoom, "Convention Promenade, Latour %d", 1, 5, 250, 600},
		{chalkRoom, "Convention Promenade, Lafite %d", 1, 5, 40, 80},
		{workshopRoom, "Convention Promenade, Cristal %d", 1, 4, 70, 150},
		{buildersRoom, "Convention Promenade, Margaux %d", 1, 4, 45, 55},
	}},
	{"encore", "Encore", []roomGroup{
		{sessionRoom, "Level 1, Lilac %c", 'A', 4, 200, 500},
		{chalkRoom, "Level 1, Bluebell %d", 1, 4, 40, 80},
		{workshopRoom, "Level 1, Azalea %d", 1, 4, 70, 150},
		{buildersRoom, "Level 1, Camellia %d", 1, 4, 45, 55},
	}},
	{"caesars-forum", "Caesars Forum", []roomGroup{
		{sessionRoom, "Level 1, Forum %d", 121, 6, 300, 900},
		{chalkRoom, "Level 1, Alliance %d", 305, 5, 40, 80},
		{workshopRoom, "Level 1, Academy %d", 413, 5, 70, 150},
		{buildersRoom, "Level 2, Summit %d", 232, 6, 45, 55},
		{lounge, "Level 1, Forum Plaza Lounge", 0, 1, 150, 150},
	}},
	{"mgm", "MGM Grand", []roomGroup{
		{sessionRoom, "Level 1, Grand %d", 118, 5, 400, 900},
		{sessionRoom, "Level 3, Premier %d", 316, 3, 200, 400},
		{chalkRoom, "Level 3, Chairman's %d", 352, 6, 40, 80},
		{workshopRoom, "Level 3, South Concourse %d", 304, 7, 70, 150},
		{buildersRoom, "Level 1, Boulevard %d", 161, 7, 45, 55},
		{lounge, "Level 1, Studio Lounge", 0, 1, 120, 120},
	}},
	{"mandalay", "Mandalay Bay", []roomGroup{
		{sessionRoom, "Level 2 South, Oceanside %c", 'A', 4, 300, 700},
		{sessionRoom, "Level 2 South, Mandalay Bay Ballroom %c", 'E', 5, 500, 1000},
		{chalkRoom, "Level 2 South, Lagoon %c", 'A', 6, 40, 80},
		{workshopRoom, "Level 3 South, Jasmine %c", 'A', 8, 70, 150},
		{buildersRoom, "Level 2 South, Breakers %c", 'A', 7, 45, 55},
		{lounge, "Level 1, Bayside Lounge", 0, 1, 120, 120},
	}},
}

// stages are the rooms that host only the happenings (see happenings): the
// expo hall and the parties' venues. The scheduler never places a session in
// them, and their seats are fixed, so they draw nothing from the random
// stream; each comes after its venue's other rooms, so adding one leaves the
// rest of a seed's event as it was.
var stages = []struct {
	venue, name string
	seats       int
}{
	{"venetian", "Level 2, Expo Hall", 20000},
	{"mgm", "Level 1, Casino Bars", 5000},
	{"mgm", "re:Play, Grand Garden Arena", 16000},
}

// travel lists each pair of venues once. Walks follow the Strip and the
// casino floors; shuttles loop, so some trips back take longer.
var travel = []struct {
	a, b                 string
	walk                 int
	shuttleAB, shuttleBA int
}{
	{"venetian", "wynn", 12, 15, 15},
	{"venetian", "encore", 15, 15, 15},
	{"venetian", "caesars-forum", 12, 15, 15},
	{"venetian", "mgm", 40, 25, 30},
	{"venetian", "mandalay", 60, 30, 35},
	{"wynn", "encore", 5, 15, 15},
	{"wynn", "caesars-forum", 22, 20, 20},
	{"wynn", "mgm", 50, 30, 30},
	{"wynn", "mandalay", 70, 35, 35},
	{"encore", "caesars-forum", 25, 20, 20},
	{"encore", "mgm", 55, 30, 30},
	{"encore", "mandalay", 75, 35, 35},
	{"caesars-forum", "mgm", 30, 20, 25},
	{"caesars-forum", "mandalay", 50, 30, 30},
	{"mgm", "mandalay", 22, 15, 20},
}

// travelTimes returns the matrix for every ordered pair of venues, in
// campus order.
func travelTimes() []lanyard.TravelTime {
	out := make([]lanyard.TravelTime, 0, len(campus)*(len(campus)-1))
	for _, from := range campus {
		for _, to := range campus {
			if from.code == to.code {
				continue
			}
			for _, t := range travel {
				switch {
				case t.a == from.code && t.b == to.code:
					out = append(out, lanyard.TravelTime{From: from.code, To: to.code, WalkMinutes: t.walk, ShuttleMinutes: t.shuttleAB})
				case t.b == from.code && t.a == to.code:
					out = append(out, lanyard.TravelTime{From: from.code, To: to.code, WalkMinutes: t.walk, ShuttleMinutes: t.shuttleBA})
				}
			}
		}
	}
	return out
}

// room is a room as the scheduler sees it. Each day a room runs on a grid:
// sessions start at phase, phase + (length + changeover), and so on, so
// rooms fill without gaps too short to use, and start times still vary from
// room to room and day to day.
type room struct {
	venue int // index into campus
	name  string
	seats int
	phase [days]int
	busy  [days]uint32 // bit i: the half hour from 08:00 + i×30 min is taken
}

// venues builds the campus with seat counts drawn from the seed, and the
// stages. It also returns the rooms by kind and venue (rooms[kind][venue])
// for the scheduler, stages left out.
func (g *catalogGen) venues() ([]lanyard.Venue, [numRoomKinds][][]*room) {
	var rooms [numRoomKinds][][]*room
	for k := range rooms {
		rooms[k] = make([][]*room, len(campus))
	}
	out := make([]lanyard.Venue, len(campus))
	for vi, spec := range campus {
		v := lanyard.Venue{Code: spec.code, Name: spec.name}
		for _, grp := range spec.rooms {
			for i := range grp.count {
				rm := &room{venue: vi, name: grp.format, seats: g.seats(grp.minSeats, grp.maxSeats)}
				if grp.first != 0 {
					rm.name = fmt.Sprintf(grp.format, grp.first+i)
				}
				for d := range rm.phase {
					// 60 is a multiple of every pitch (2 to 6 half hours),
					// so phase % pitch is uniform.
					rm.phase[d] = g.r.IntN(60)
				}
				v.Rooms = append(v.Rooms, lanyard.Room{Name: rm.name, Capacity: rm.seats})
				rooms[grp.kind][vi] = append(rooms[grp.kind][vi], rm)
			}
		}
		for _, st := range stages {
			if st.venue == spec.code {
				v.Rooms = append(v.Rooms, lanyard.Room{Name: st.name, Capacity: st.seats})
			}
		}
		out[vi] = v
	}
	return out, rooms
}

// seats draws a room size in [lo, hi], rounded as a venue would quote it.
func (g *catalogGen) seats(lo, hi int) int {
	n := lo + g.r.IntN(hi-lo+1)
	step := 5
	switch {
	case hi >= 1000:
		step = 50
	case hi >= 200:
		step = 10
	}
	return max(lo, n/step*step)
}
