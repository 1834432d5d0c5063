package reserve

import (
	"context"
	"fmt"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Door rules. The door takes check-ins and walk-ups from DoorOpensMinutes
// before a session's start until its end (door_not_open, door_closed).
// Until a session's unclaimed seats are released (ReleaseMinutes before it
// starts), every reservable seat is held for reservations and walk-ups get
// only the holdback (walkup_full while reservable seats are free). After the
// release, seats of reserved attendees who have not checked in go to the
// walk-up line too. When the room is full, walk-ups go to its overflow rooms
// while they have space.

// doorOpen refuses a check-in or walk-up for session i outside its door's
// window. An unscheduled session has no window.
func (st *state) doorOpen(i int32, now time.Time) *lanyard.Error {
	s := st.seats[i].s
	if !s.Scheduled() {
		return nil
	}
	opens := s.Start.Add(-time.Duration(st.settings.DoorOpensMinutes) * time.Minute)
	switch {
	case now.Before(opens):
		return lanyard.Errorf(lanyard.EDoorNotOpen, "The door of %s opens at %s, %d minutes before its start.",
			s.Code, st.local(opens), st.settings.DoorOpensMinutes)
	case !now.Before(s.End):
		return lanyard.Errorf(lanyard.EDoorClosed, "%s ended at %s; its door is closed.", s.Code, st.local(s.End))
	}
	return nil
}

// releaseUnclaimed sends the unclaimed reserved seats of session i to the walk-up line.
func (b *builder) releaseUnclaimed(i int32) lanyard.SeatResult {
	s := &b.st.seats[i]
	if s.released {
		return lanyard.SeatResult{Session: s.s.Code, Outcome: lanyard.OutcomeReleased, Already: true}
	}
	s.released = true
	b.hit[i] = true
	b.log(0, "release", i, lanyard.OutcomeReleased, fmt.Sprintf("unclaimed=%d", s.taken-s.checkedIn))
	b.callLine(i) // === line: the released seats go to the walk-up line first
	return lanyard.SeatResult{Session: s.s.Code, Outcome: lanyard.OutcomeReleased}
}

// releaseIfDue releases session i's unclaimed seats if their time has come
// and the timed work (Engine.Tick) has not got to it yet, so that the door
// never answers by a release that is overdue.
func (b *builder) releaseIfDue(i int32) {
	s := &b.st.seats[i]
	release := time.Duration(b.st.settings.ReleaseMinutes) * time.Minute
	if !s.released && s.s.Scheduled() && s.s.Reservable && !b.now.Before(s.s.Start.Add(-release)) {
		b.releaseUnclaimed(i)
	}
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
	if err := st.doorOpen(i, b.now); err != nil {
		b.log(attendee, "check_in", i, lanyard.OutcomeRefused, err.Code)
		return refused(s.s.Code, err)
	}
	b.releaseIfDue(i)
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
	if err := st.doorOpen(i, b.now); err != nil {
		b.log(attendee, "walkup", i, lanyard.OutcomeRefused, err.Code)
		return refused(s.s.Code, err)
	}
	b.releaseIfDue(i)
	// === line: a called attendee takes a seat kept for them; while others
	// wait, an uncalled walk-up is refused; seats kept for running calls
	// are not an uncalled walk-up's.
	b.lineDue(i)
	called, keep, lineErr := b.lineGate(attendee, i)
	if lineErr != nil {
		b.log(attendee, "walkup", i, lanyard.OutcomeRefused, lineErr.Code)
		return refused(s.s.Code, lineErr)
	}
	if keep > 0 && s.lineFree() <= 0 {
		err := lanyard.Errorf(lanyard.ESessionFull, "%s is full: its last seats are kept for the attendees its walk-up line called.", s.s.Code)
		b.log(attendee, "walkup", i, lanyard.OutcomeRefused, err.Code)
		return refused(s.s.Code, err)
	}
	// === end line
	if s.walkupFree() > 0 {
		if called { // === line: the call is answered only by a seat
			b.answered(attendee, i)
		}
		st.admit(i, attendee, kindWalkup, "")
		b.b.Admit = append(b.b.Admit, AdmitRow{SessionID: s.s.ID, AttendeeID: attendee, Kind: kindWalkup})
		b.log(attendee, "walkup", i, lanyard.OutcomeWalkup, "")
		return lanyard.SeatResult{Session: s.s.Code, Outcome: lanyard.OutcomeWalkup}
	}
	for _, o := range s.overflow {
		if o.admitted < o.capacity {
			if called { // === line
				b.answered(attendee, i)
			}
			st.admit(i, attendee, kindOverflow, o.name)
			b.b.Admit = append(b.b.Admit, AdmitRow{SessionID: s.s.ID, AttendeeID: attendee, Kind: kindOverflow})
			b.log(attendee, "walkup", i, lanyard.OutcomeOverflow, o.name)
			return lanyard.SeatResult{Session: s.s.Code, Outcome: lanyard.OutcomeOverflow, Room: o.name}
		}
	}
	err := lanyard.Errorf(lanyard.ESessionFull, "%s is full", s.s.Code)
	if held := s.reservable - s.taken; !s.released && held > 0 {
		// Not full: say what is true, and when the held seats free up.
		release := s.s.Start.Add(-time.Duration(st.settings.ReleaseMinutes) * time.Minute)
		err = lanyard.Errorf(lanyard.EWalkupFull, "The walk-up seats of %s are taken; its %d free seats are held for reservations until %s (%d minutes before the start), then go to the walk-up line",
			s.s.Code, held, st.clock(release), st.settings.ReleaseMinutes)
		if !s.s.Scheduled() {
			err.Message = fmt.Sprintf("The walk-up seats of %s are taken; its %d free seats are held for reservations until they are released", s.s.Code, held)
		}
	}
	if len(s.overflow) > 0 {
		err.Message += ", and its overflow rooms are full"
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
