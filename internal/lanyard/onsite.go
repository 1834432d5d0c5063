package lanyard

import "time"

// On-site refusal codes: the door app shows each as its own reason, in the
// staff member's language.
const (
	// ENotEntitled refuses a place the attendee has no right to enter (the
	// certification lounge without a verified certification, a partner
	// lounge off its invite list).
	ENotEntitled = "not_entitled"
	// EBadgeReplaced refuses a badge whose version a reprint voided.
	EBadgeReplaced = "badge_replaced"
	// EAlreadyInside refuses a second entry without an exit in between.
	EAlreadyInside = "already_inside"
	// EPlaceFull refuses entry to a place at its capacity.
	EPlaceFull = "place_full"
	// ELineNotOpen refuses joining a session's walk-up line before it opens
	// (LineOpensMinutes before the start) or after the session began.
	ELineNotOpen = "line_not_open"
	// ELineSlotTaken refuses a second walk-up line in one time slot: an
	// attendee stands in one line at a time.
	ELineSlotTaken = "line_slot_taken"
	// ENotCalled refuses a walk-up at the door while the line has people
	// waiting who were not this attendee: they go to the end of the line.
	ENotCalled = "not_called"
)

// On-site outcomes.
const (
	OutcomeInLine   = "in_line"   // joined (or is in) a walk-up line
	OutcomeLeftLine = "left_line" // left a walk-up line
	OutcomeCalled   = "called"    // called from the line: come to the door
	OutcomeExpired  = "expired"   // a call not answered in time
	OutcomeEntered  = "entered"   // entered a place
	OutcomeExited   = "exited"    // left a place
)

// PlaceKind is what a place with a door that is not a session is.
type PlaceKind string

// Place kinds.
const (
	PlaceLounge PlaceKind = "lounge" // the certification lounge, partner lounges
	PlaceExpo   PlaceKind = "expo"   // the expo entrance
	PlaceParty  PlaceKind = "party"  // parties and receptions
)

// Place is a room with a door that is not a session's: a lounge, the expo
// entrance, a party. Its occupancy is the engine's, like seats.
type Place struct {
	ID       int64     `json:"-"`
	Code     string    `json:"code"` // CheckCode's alphabet
	Name     string    `json:"name"`
	Kind     PlaceKind `json:"kind"`
	Venue    string    `json:"venue,omitempty"` // venue code
	Room     string    `json:"room,omitempty"`
	Capacity int       `json:"capacity"` // 0: no limit
	// Entitlement names who may enter: "" anyone with a badge, otherwise
	// an entitlement key ("certified", "invite:partner-x").
	Entitlement string    `json:"entitlement,omitempty"`
	Opens       time.Time `json:"opens,omitzero"`
	Closes      time.Time `json:"closes,omitzero"`
}

// Occupancy is a place's live count.
type Occupancy struct {
	Place    string `json:"place"`
	Inside   int    `json:"inside"`
	Capacity int    `json:"capacity"` // 0: no limit
	Full     bool   `json:"full"`
}

// LineStatus is one attendee's place in a session's walk-up line.
type LineStatus struct {
	Session string `json:"session"`
	// Outcome is in_line, called, checked_in, expired or left_line.
	Outcome string `json:"outcome"`
	// Position is the 1-based place among those still waiting; 0 once called.
	Position int `json:"position,omitempty"`
	// Chance is the estimated probability (0–1) of being called, from the
	// seats held back and the reservations not yet claimed.
	Chance float64 `json:"chance"`
	// CalledUntil is when a call lapses if the attendee has not scanned in.
	CalledUntil time.Time `json:"called_until,omitzero"`
	Already     bool      `json:"already,omitempty"`
	// The session, for a page listing an attendee's lines.
	Title string    `json:"title,omitempty"`
	Venue string    `json:"venue,omitempty"`
	Room  string    `json:"room,omitempty"`
	Start time.Time `json:"start,omitzero"`
}
