package lanyard

import "time"

// Reservation refusal codes. Each is answered with HTTP 409 and names the
// rule that refused, so a client can offer the next step (the waitlist for
// session_full, a switch for repeat_group_taken).
const (
	ESessionFull      = "session_full"
	ETimeConflict     = "time_conflict"
	EWindowClosed     = "window_closed"
	ERepeatGroupTaken = "repeat_group_taken"
	ELimitReached     = "limit_reached"
	EChangesClosed    = "changes_closed"
	ENotReservable    = "not_reservable"
	ETravelTime       = "travel_time"
	ENotReserved      = "not_reserved"

	// At the door: check-in and walk-up admission are taken only from
	// DoorOpensMinutes before a session's start to its end.
	EDoorNotOpen = "door_not_open"
	EDoorClosed  = "door_closed"
	// EWalkupFull refuses a walk-up when the walk-up seats are taken but the
	// room still has free seats held for reservations until their release.
	EWalkupFull = "walkup_full"
	// ETicketCanceled refuses a seat to an attendee whose ticket was
	// cancelled (a registration import voided it).
	ETicketCanceled = "ticket_canceled"
)

// Outcomes of seat commands, as the API and the audit log name them.
const (
	OutcomeReserved     = "reserved"
	OutcomeWaitlisted   = "waitlisted"
	OutcomeCancelled    = "cancelled"
	OutcomeLeftWaitlist = "left_waitlist"
	OutcomePromoted     = "promoted"
	OutcomeRefused      = "refused"
	OutcomeCheckedIn    = "checked_in"
	OutcomeWalkup       = "walkup"
	OutcomeOverflow     = "overflow"
	OutcomeReleased     = "released"
	OutcomeSettings     = "settings"
)

// Warning is advice that does not refuse a command, such as too little time
// to travel between two venues.
type Warning struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// For travel warnings: the two sessions, the minutes needed and the minutes there are.
	From       string `json:"from,omitempty"`
	To         string `json:"to,omitempty"`
	NeedMinute int    `json:"need_minutes,omitempty"`
	GapMinute  int    `json:"gap_minutes,omitempty"`
}

// SeatResult is the answer for one session of a seat command.
type SeatResult struct {
	Session string `json:"session"`
	// Outcome is reserved, waitlisted, cancelled, left_waitlist, checked_in,
	// walkup, overflow, or refused (then Error says why).
	Outcome string `json:"outcome"`
	// Already is true when the command found its effect already in place
	// (reserving a session held already); nothing changed.
	Already bool `json:"already,omitempty"`
	// Position is the 1-based place in the waitlist, for waitlisted.
	Position int `json:"position,omitempty"`
	// Room names the overflow room, for overflow.
	Room     string    `json:"room,omitempty"`
	Error    *Error    `json:"error,omitempty"`
	Warnings []Warning `json:"warnings,omitempty"`
}

// AgendaItem is one reserved session in an attendee's agenda.
type AgendaItem struct {
	Session   string    `json:"session"`
	Title     string    `json:"title"`
	Venue     string    `json:"venue,omitempty"`
	Room      string    `json:"room,omitempty"`
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	CheckedIn bool      `json:"checked_in,omitempty"`
}

// WaitItem is one waitlist an attendee is on.
type WaitItem struct {
	Session  string    `json:"session"`
	Title    string    `json:"title"`
	Position int       `json:"position"`
	Start    time.Time `json:"start"`
}

// Agenda is an attendee's reservations (by start), waitlists and warnings.
type Agenda struct {
	Reservations []AgendaItem `json:"reservations"`
	Waitlists    []WaitItem   `json:"waitlists"`
	Warnings     []Warning    `json:"warnings"`
}

// ReservationSettings are an event's organizer-set reservation rules.
type ReservationSettings struct {
	// ChangesCloseMinutes: reserve, cancel and switch close this long before a start.
	ChangesCloseMinutes int `json:"changes_close_minutes"`
	// ReleaseMinutes: unclaimed reserved seats go to the walk-up line this long before a start.
	ReleaseMinutes int `json:"release_minutes"`
	// FairSeconds: requests in the first seconds of a window are pooled and drawn in random order.
	FairSeconds int `json:"fair_seconds"`
	// MaxReservations and MaxPerDay limit one attendee; 0 means no limit.
	MaxReservations int `json:"max_reservations"`
	MaxPerDay       int `json:"max_per_day"`
	// MaxWaitlists limits how many waitlists one attendee may join; 0 means none at all.
	MaxWaitlists int `json:"max_waitlists"`
	// TravelBlocks makes a travel-time shortfall a refusal instead of a warning.
	TravelBlocks bool `json:"travel_blocks"`
	// DoorOpensMinutes: the door takes check-ins and walk-ups from this long
	// before a start until the session's end.
	DoorOpensMinutes int `json:"door_opens_minutes"`
	// === line: the walk-up line (issue 13) ===
	// LineOpensMinutes: attendees may join a full session's walk-up line
	// from this long before its start until the start; 0 means the
	// default, 60 (settings saved before the line existed carry 0).
	LineOpensMinutes int `json:"line_opens_minutes"`
	// CallMinutes: a call from the walk-up line lasts this long; an
	// attendee who has not scanned in by then loses it to the next. 0
	// means the default, 5.
	CallMinutes int `json:"call_minutes"`
}

// DefaultReservationSettings are the settings of an event no organizer has changed.
func DefaultReservationSettings() ReservationSettings {
	return ReservationSettings{ChangesCloseMinutes: 30, ReleaseMinutes: 10, FairSeconds: 5, MaxWaitlists: 10, DoorOpensMinutes: 30,
		LineOpensMinutes: 60, CallMinutes: 5}
}

// Validate reports the first setting out of range.
func (s *ReservationSettings) Validate() error {
	switch {
	case s.ChangesCloseMinutes < 0 || s.ChangesCloseMinutes > 7*24*60:
		return Errorf(EINVALID, "changes_close_minutes must be between 0 and a week.")
	case s.ReleaseMinutes < 0 || s.ReleaseMinutes > 24*60:
		return Errorf(EINVALID, "release_minutes must be between 0 and a day.")
	case s.FairSeconds < 0 || s.FairSeconds > 600:
		return Errorf(EINVALID, "fair_seconds must be between 0 and 600.")
	case s.MaxReservations < 0 || s.MaxPerDay < 0 || s.MaxWaitlists < 0:
		return Errorf(EINVALID, "Limits must not be negative.")
	case s.DoorOpensMinutes < 0 || s.DoorOpensMinutes > 7*24*60:
		return Errorf(EINVALID, "door_opens_minutes must be between 0 and a week.")
	case s.LineOpensMinutes < 0 || s.LineOpensMinutes > 7*24*60:
		return Errorf(EINVALID, "line_opens_minutes must be between 0 and a week.")
	case s.CallMinutes < 0 || s.CallMinutes > 120:
		return Errorf(EINVALID, "call_minutes must be between 1 and 120 (0: the default, 5).")
	}
	return nil
}

// LineOpens returns LineOpensMinutes, with 0 as the default.
func (s *ReservationSettings) LineOpens() int {
	if s.LineOpensMinutes == 0 {
		return DefaultReservationSettings().LineOpensMinutes
	}
	return s.LineOpensMinutes
}

// Call returns CallMinutes, with 0 as the default.
func (s *ReservationSettings) Call() int {
	if s.CallMinutes == 0 {
		return DefaultReservationSettings().CallMinutes
	}
	return s.CallMinutes
}

// Window is a period in which sessions of one type, or one session, can be reserved.
type Window struct {
	ID          int64       `json:"id"`
	SessionType SessionType `json:"session_type,omitempty"`
	Session     string      `json:"session,omitempty"` // a session's window wins over its type's
	Opens       time.Time   `json:"opens"`
	Closes      time.Time   `json:"closes"`
	// Draft opens the window by a snake draft over the attendees' ranked
	// wishlists, before first come, first served.
	Draft bool `json:"draft,omitempty"`
}

// Validate reports the first problem with the window.
func (w *Window) Validate() error {
	switch {
	case (w.SessionType == "") == (w.Session == ""):
		return Errorf(EINVALID, "A window is for a session type or for one session: give exactly one.")
	case w.SessionType != "" && !w.SessionType.Valid():
		return Errorf(EINVALID, "Unknown session type %q.", w.SessionType)
	case w.Opens.IsZero() || !w.Closes.After(w.Opens):
		return Errorf(EINVALID, "A window must close after it opens.")
	}
	return nil
}

// Wave withholds seats of a session until an instant, then releases them:
// to the waitlist first, in order, then to everyone.
type Wave struct {
	ID       int64     `json:"id"`
	Session  string    `json:"session"`
	Seats    int       `json:"seats"`
	At       time.Time `json:"at"`
	Released bool      `json:"released"`
	// Announce mails everyone still on the waitlist when the seats are
	// released; those promoted are mailed either way.
	Announce bool `json:"announce"`
}

// Validate reports the first problem with the wave.
func (w *Wave) Validate() error {
	switch {
	case w.Session == "":
		return Errorf(EINVALID, "A wave needs a session.")
	case w.Seats < 1:
		return Errorf(EINVALID, "A wave releases at least one seat.")
	case w.At.IsZero():
		return Errorf(EINVALID, "A wave needs a release instant.")
	}
	return nil
}

// SeatCount is the live seat state of a session.
type SeatCount struct {
	Capacity       int `json:"capacity"`
	Reservable     int `json:"reservable"`
	Taken          int `json:"taken"`
	SeatsLeft      int `json:"seats_left"`
	WaitlistLength int `json:"waitlist_length"`
}
