package reserve

import (
	"context"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
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

// DoorState returns a session's door count as of the last commit. Returns
// ENOTFOUND for an unknown code.
func (e *Engine) DoorState(ctx context.Context, code string) (DoorState, error) {
	var out DoorState
	var lookup error
	err := e.read(ctx, func(st *state) {
		i, err := st.session(code)
		if err != nil {
			lookup = err
			return
		}
		out = st.doorState(i, e.now())
	})
	if err == nil {
		err = lookup
	}
	return out, err
}

// doorState is session i's door count. A release that is due but not done
// yet counts as done, as the next door command would do it first
// (releaseIfDue).
func (st *state) doorState(i int32, now time.Time) DoorState {
	s := &st.seats[i]
	released := s.released
	release := time.Duration(st.settings.ReleaseMinutes) * time.Minute
	if !released && s.s.Scheduled() && s.s.Reservable && !now.Before(s.s.Start.Add(-release)) {
		released = true
	}
	held := s.reservable
	if released {
		held = s.checkedIn
	}
	out := DoorState{Capacity: s.s.Capacity, Inside: s.checkedIn + s.walkups, CheckedIn: s.checkedIn, Walkups: s.walkups,
		WalkupLeft: max(s.s.Capacity-held-s.walkups, 0), Released: released}
	for _, o := range s.overflow {
		out.Overflow = append(out.Overflow, OverflowCount{Room: o.name, Capacity: o.capacity, Admitted: o.admitted})
	}
	return out
}

// DoorAnswer is a door check-in's result with the room's count after it.
type DoorAnswer struct {
	Result lanyard.SeatResult `json:"result"`
	State  DoorState          `json:"state"`
}

// DoorCheckIn is Door.CheckIn with the room's count after it, from the
// same command: the door app shows both, and a second trip through the
// loop would wait for a second commit. A retry with idemKey gets the first
// answer, count included. Its idempotency request differs from CheckIn's,
// so one key cannot be used for both.
func (e *Engine) DoorCheckIn(ctx context.Context, caller, attendee int64, code, idemKey string) (DoorAnswer, error) {
	r, err := as[DoorAnswer](e.do(ctx, caller, idemKey, request("door_check_in", attendee, code), func(b *builder) (any, error) {
		i, err := b.st.session(code)
		if err != nil {
			return nil, err
		}
		res := b.checkIn(attendee, i)
		return DoorAnswer{Result: res, State: b.st.doorState(i, b.now)}, nil
	}))
	if err == nil && r.Result.Error != nil {
		err = r.Result.Error
	}
	return r, err
}
