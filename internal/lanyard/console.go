package lanyard

import "time"

// ActivityDelta is what the reservation log gained after a sequence
// number: reservations and refusals counted by minute, for the console's
// dashboard, which keeps the running counts.
type ActivityDelta struct {
	// LastSeq is the last sequence number read: the next call's start.
	LastSeq int64
	Counts  []ActivityCount
}

// ActivityCount is how many commands of one outcome (reserved, refused)
// and rule (Detail: the refusal's code) one minute saw.
type ActivityCount struct {
	Minute          time.Time
	Outcome, Detail string
	N               int
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
