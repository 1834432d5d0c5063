package lanyard

import "time"

// Activity is what the organizer console's dashboard shows of the
// reservation log and the mail queue: recent minutes only, so reading it
// costs the same at the rush's peak as before.
type Activity struct {
	// Since is the start of the first minute counted.
	Since time.Time
	// PerMinute counts reservations made in each minute from Since, oldest first.
	PerMinute []int
	// Refusals counts the engine's refusals since Since, by rule code.
	Refusals map[string]int
	// Mail counts the messages to be mailed, by delivery state.
	Mail map[MessageState]int
}

// AuditEntry is one organizer or staff action recorded in the audit log.
type AuditEntry struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	ActorID    int64     `json:"actor_id,omitempty"`
	Action     string    `json:"action"`
	AttendeeID int64     `json:"attendee_id,omitempty"`
	Session    string    `json:"session,omitempty"`
	Detail     string    `json:"detail,omitempty"`
	// Key is the form's idempotency key, if any: one entry per key and actor.
	Key string `json:"-"`
}
