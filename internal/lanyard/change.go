package lanyard

import "time"

// OutcomeChanged is the audit log outcome of an organizer's session
// change (command "change"; webhooks send it as session.changed).
const OutcomeChanged = "changed"

// OverCapacity is what happens to reservations beyond a lowered capacity.
type OverCapacity string

// The choices for reservations over a lowered capacity. The latest
// reservations go first: those made most recently lose least.
const (
	// OverKeep keeps every reservation; the room is overbooked until
	// some cancel (nobody new gets in).
	OverKeep OverCapacity = "keep"
	// OverWaitlist moves the latest reservations to the waitlist.
	OverWaitlist OverCapacity = "waitlist"
	// OverCancel cancels the latest reservations.
	OverCancel OverCapacity = "cancel"
)

// Valid reports whether o is one of the choices.
func (o OverCapacity) Valid() bool { return o == OverKeep || o == OverWaitlist || o == OverCancel }

// SessionChange is an organizer's change of a session: the session as it
// should be (its code names it; ID, event and repeat group are kept), or
// its cancellation.
type SessionChange struct {
	Session Session
	Cancel  bool
	// Over says what happens to reservations over a lowered capacity.
	Over OverCapacity
	// Latest lists the session's holders, most recent reservation first
	// (store.SessionHolders); holders it lacks count as the most recent.
	Latest []int64
}

// Affected reasons: why a change concerns an attendee.
const (
	AffectedMoved     = "moved"     // holds the session, whose time or room changes
	AffectedCancelled = "cancelled" // holds the session, which is cancelled
	AffectedClash     = "clash"     // would overlap another session they hold
	AffectedTravel    = "travel"    // too little time to travel to or from it
	AffectedOver      = "over"      // over the lowered capacity
)

// Affected is one attendee a change concerns, and why.
type Affected struct {
	Attendee int64  `json:"attendee"`
	Reason   string `json:"reason"`
	// Other is the other session of a clash or a short trip.
	Other string `json:"other,omitempty"`
	// NeedMinute and GapMinute describe a short trip.
	NeedMinute int `json:"need_minute,omitempty"`
	GapMinute  int `json:"gap_minute,omitempty"`
}

// ChangePreview is what a change would do, before it is saved.
type ChangePreview struct {
	Before, After Session
	Cancel        bool
	Holders       int // reservations held now
	Waiting       int // on the waitlist now
	// Over is how many reservations exceed the new capacity.
	Over int
	// Affected lists each concerned attendee once per reason.
	Affected []Affected
	// Changes names the fields that change (start, end, room, capacity,
	// type, title, abstract, speakers, cancelled); empty: nothing changes.
	Changes []string
}

// ScheduleChange is one entry of the schedule's changelog: the schedule
// version a saved change made, and what it changed.
type ScheduleChange struct {
	Version int       `json:"version"`
	At      time.Time `json:"at"`
	Code    string    `json:"code"`
	Title   string    `json:"title"`
	// Changes names the changed fields, as ChangePreview.Changes.
	Changes   []string  `json:"changes"`
	OldStart  time.Time `json:"old_start,omitzero"`
	OldEnd    time.Time `json:"old_end,omitzero"`
	Start     time.Time `json:"start,omitzero"`
	End       time.Time `json:"end,omitzero"`
	OldRoom   string    `json:"old_room,omitempty"`
	Room      string    `json:"room,omitempty"`
	OldCap    int       `json:"old_capacity,omitempty"`
	Cap       int       `json:"capacity,omitempty"`
	Cancelled bool      `json:"cancelled,omitempty"`
}
