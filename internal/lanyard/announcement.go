package lanyard

import "time"

// Segment kinds: who an announcement goes to.
const (
	SegmentAll        = "all"        // every attendee of the event
	SegmentReserved   = "reserved"   // holding a seat in one session (Value: its code)
	SegmentWaitlisted = "waitlisted" // on one session's waitlist (Value: its code)
	SegmentType       = "type"       // of one attendee type from the ticket shop (Value)
	SegmentRole       = "role"       // of one role (Value)
	SegmentVenue      = "venue"      // holding a seat at one venue (Value: its code) on the day of sending
)

// SegmentKinds lists the segment kinds in the order forms offer them.
var SegmentKinds = []string{SegmentAll, SegmentReserved, SegmentWaitlisted, SegmentType, SegmentRole, SegmentVenue}

// Segment selects an announcement's recipients. For SegmentVenue, From and
// To bound the day (the sessions starting in it).
type Segment struct {
	Kind     string
	Value    string
	From, To time.Time
}

// Announcement states.
const (
	AnnouncementScheduled = "scheduled"
	AnnouncementSent      = "sent"
)

// Announcement is an organizer's message to a segment, in both languages,
// sent at SendAt (now, or scheduled).
type Announcement struct {
	ID                int64
	EventID           int64
	Segment           string
	SegmentValue      string
	SubjectEn, BodyEn string
	SubjectKo, BodyKo string
	SendAt            time.Time
	State             string
	Recipients        int
	CreatedBy         int64
	CreatedAt, SentAt time.Time
	// Key is the form's idempotency key: one announcement per key.
	Key string
	// Delivery counts the announcement's messages by mail state (filled by
	// the store's Announcements).
	Delivery map[string]int
}
