package reserve

import (
	"slices"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// agenda builds an attendee's agenda, with a travel warning for every pair
// of consecutive sessions on a day that leaves too little time to move.
func (st *state) agenda(attendee int64) *lanyard.Agenda {
	out := &lanyard.Agenda{Reservations: []lanyard.AgendaItem{}, Waitlists: []lanyard.WaitItem{}, Warnings: []lanyard.Warning{}}
	p, ok := st.people[attendee]
	if !ok {
		return out
	}
	held := slices.Clone(p.held)
	slices.SortFunc(held, func(a, b int32) int { return st.seats[a].s.Start.Compare(st.seats[b].s.Start) })
	for k, i := range held {
		s := st.seats[i].s
		out.Reservations = append(out.Reservations, lanyard.AgendaItem{Session: s.Code, Title: s.Title, Venue: s.Venue, Room: s.Room,
			Start: s.Start, End: s.End, CheckedIn: p.wasAdmitted(i)})
		if k > 0 && st.seats[held[k-1]].day == st.seats[i].day {
			if w, ok := st.shortfall(st.seats[held[k-1]].s, s); ok {
				out.Warnings = append(out.Warnings, w)
			}
		}
	}
	for _, i := range p.waits {
		s := st.seats[i].s
		out.Waitlists = append(out.Waitlists, lanyard.WaitItem{Session: s.Code, Title: s.Title, Position: st.seats[i].position(attendee), Start: s.Start})
	}
	slices.SortFunc(out.Waitlists, func(a, b lanyard.WaitItem) int { return a.Start.Compare(b.Start) })
	return out
}
