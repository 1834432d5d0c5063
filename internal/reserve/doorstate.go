package reserve

import (
	"context"
	"time"
)

// DoorState is what a door shows beside each verdict: who is inside and
// how many walk-ups the room (and each overflow room) can still take.
type DoorState struct {
	Capacity   int             `json:"capacity"`
	Inside     int             `json:"inside"`      // reserved checked in + walk-ups, in the room itself
	CheckedIn  int             `json:"checked_in"`  // reserved attendees admitted
	Walkups    int             `json:"walkups"`     // walk-ups admitted to the room
	WalkupLeft int             `json:"walkup_left"` // walk-ups the room can still take
	Released   bool            `json:"released"`    // unclaimed reserved seats went to the walk-up line
	Overflow   []OverflowCount `json:"overflow,omitempty"`
}

// OverflowCount is one overflow room's count.
type OverflowCount struct {
	Room     string `json:"room"`
	Capacity int    `json:"capacity"`
	Admitted int    `json:"admitted"`
}

// DoorStater gives a session's door count. *Engine implements it (the
// door app type-asserts the request's engine, so a baseline without it
// shows the published seat counts only).
type DoorStater interface {
	DoorState(ctx context.Context, code string) (DoorState, error)
}

var _ DoorStater = (*Engine)(nil)

// DoorState returns a session's door count as of the last commit. A
// release that is due but not done yet counts as done, as the next door
// command would do it first (releaseIfDue). Returns ENOTFOUND for an
// unknown code.
func (e *Engine) DoorState(ctx context.Context, code string) (DoorState, error) {
	var out DoorState
	var lookup error
	err := e.read(ctx, func(st *state) {
		i, err := st.session(code)
		if err != nil {
			lookup = err
			return
		}
		s := &st.seats[i]
		released := s.released
		release := time.Duration(st.settings.ReleaseMinutes) * time.Minute
		if !released && s.s.Scheduled() && s.s.Reservable && !e.now().Before(s.s.Start.Add(-release)) {
			released = true
		}
		held := s.reservable
		if released {
			held = s.checkedIn
		}
		out = DoorState{Capacity: s.s.Capacity, Inside: s.checkedIn + s.walkups, CheckedIn: s.checkedIn, Walkups: s.walkups,
			WalkupLeft: max(s.s.Capacity-held-s.walkups, 0), Released: released}
		for _, o := range s.overflow {
			out.Overflow = append(out.Overflow, OverflowCount{Room: o.name, Capacity: o.capacity, Admitted: o.admitted})
		}
	})
	if err == nil {
		err = lookup
	}
	return out, err
}
