package plan

import "github.com/lanyardhq/lanyard/internal/lanyard"

// Trip is the Gap from a to b as the agenda and the reservation engine
// judge it (the faster of walking and the shuttle, walking on a tie), for
// any two sessions, held or not: "now and next" words the trip to a
// keynote the attendee walks in to the same way as one to a reservation.
func Trip(a, b *lanyard.Session, travel TravelFunc) Gap { return gap(a, b, travel) }
