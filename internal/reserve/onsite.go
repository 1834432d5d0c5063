package reserve

import (
	"context"
	"fmt"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Door rules. Until a session's unclaimed seats are released (ReleaseMinutes
// before it starts), every reservable seat is held for reservations and
// walk-ups get only the holdback. After the release, seats of reserved
// attendees who have not checked in go to the walk-up line too. When the
// room is full, walk-ups go to its overflow rooms while they have space.

// releaseUnclaimed sends the unclaimed reserved seats of session i to the walk-up line.
func (b *builder) releaseUnclaimed(i int32) lanyard.SeatResult {
	s := &b.st.seats[i]
	if s.released {
		return lanyard.SeatResult{Session: s.s.Code, Outcome: lanyard.OutcomeReleased, Already: true}
	}
	s.released = true
	b.hit[i] = true
	b.log(0, "release", i, lanyard.OutcomeReleased, fmt.Sprintf("unclaimed=%d", s.taken-s.checkedIn))
	return lanyard.SeatResult{Session: s.s.Code, Outcome: lanyard.OutcomeReleased}
}

// walkupFree is how many walk-ups the room itself can still take.
func (s *seat) walkupFree() int {
	held := s.reservable
	if s.released {
		held = s.checkedIn
	}
	return s.s.Capacity - held - s.walkups
}

// checkIn admits attendee at the door of session i: with their reservation
// if they hold one that has not been released, else from the walk-up line.
func (b *builder) checkIn(attendee int64, i int32) lanyard.SeatResult {
	st := b.st
	s := &st.seats[i]
	p := st.person(attendee)
	if p.wasAdmitted(i) {
		return lanyard.SeatResult{Session: s.s.Code, Outcome: lanyard.OutcomeCheckedIn, Already: true}
	}
	if p.holds(i) && !s.released {
		st.admit(i, attendee, kindReserved, "")
		b.b.Admit = append(b.b.Admit, AdmitRow{SessionID: s.s.ID, AttendeeID: attendee, Kind: kindReserved})
		b.log(attendee, "check_in", i, lanyard.OutcomeCheckedIn, "")
		return lanyard.SeatResult{Session: s.s.Code, Outcome: lanyard.OutcomeCheckedIn}
	}
	return b.admitWalkup(attendee, i)
}

// admitWalkup admits attendee from the walk-up line while seats remain,
// then to an overflow room with space.
func (b *builder) admitWalkup(attendee int64, i int32) lanyard.SeatResult {
	st := b.st
	s := &st.seats[i]
	if st.person(attendee).wasAdmitted(i) {
		return lanyard.SeatResult{Session: s.s.Code, Outcome: lanyard.OutcomeWalkup, Already: true}
	}
	if s.walkupFree() > 0 {
		st.admit(i, attendee, kindWalkup, "")
		b.b.Admit = append(b.b.Admit, AdmitRow{SessionID: s.s.ID, AttendeeID: attendee, Kind: kindWalkup})
		b.log(attendee, "walkup", i, lanyard.OutcomeWalkup, "")
		return lanyard.SeatResult{Session: s.s.Code, Outcome: lanyard.OutcomeWalkup}
	}
	for _, o := range s.overflow {
		if o.admitted < o.capacity {
			st.admit(i, attendee, kindOverflow, o.name)
			b.b.Admit = append(b.b.Admit, AdmitRow{SessionID: s.s.ID, AttendeeID: attendee, Kind: kindOverflow})
			b.log(attendee, "walkup", i, lanyard.OutcomeOverflow, o.name)
			return lanyard.SeatResult{Session: s.s.Code, Outcome: lanyard.OutcomeOverflow, Room: o.name}
		}
	}
	err := lanyard.Errorf(lanyard.ESessionFull, "%s is full", s.s.Code)
	if len(s.overflow) > 0 {
		err.Message += ", and so are its overflow rooms"
	}
	err.Message += "."
	b.log(attendee, "walkup", i, lanyard.OutcomeRefused, err.Code)
	return refused(s.s.Code, err)
}

// CheckIn admits an attendee at a session's door. caller is the staff
// member, whose idemKey makes a retried scan answer the same.
func (e *Engine) CheckIn(ctx context.Context, caller, attendee int64, code, idemKey string) (lanyard.SeatResult, error) {
	return e.one(ctx, caller, idemKey, request("check_in", attendee, code), code, func(b *builder, i int32) lanyard.SeatResult { return b.checkIn(attendee, i) })
}

// AdmitWalkup admits an attendee from a session's walk-up line.
func (e *Engine) AdmitWalkup(ctx context.Context, caller, attendee int64, code, idemKey string) (lanyard.SeatResult, error) {
	return e.one(ctx, caller, idemKey, request("walkup", attendee, code), code, func(b *builder, i int32) lanyard.SeatResult { return b.admitWalkup(attendee, i) })
}

// ReleaseUnclaimed sends a session's unclaimed reserved seats to the walk-up
// line now, before the automatic release.
func (e *Engine) ReleaseUnclaimed(ctx context.Context, caller int64, code, idemKey string) (lanyard.SeatResult, error) {
	return e.one(ctx, caller, idemKey, request("release", code), code, func(b *builder, i int32) lanyard.SeatResult { return b.releaseUnclaimed(i) })
}
