package lanyard

import "time"

// Webhook event types. To add one: a constant here, in WebhookEvents, and
// either a case in WebhookEventFor (for an engine command) or a call to
// the store's webhook writer where the change is written (see
// docs/ARCHITECTURE.md "Webhooks").
const (
	EventReservationCreated   = "reservation.created"
	EventReservationCancelled = "reservation.cancelled"
	EventWaitlistPromoted     = "waitlist.promoted"
	EventSessionChanged       = "session.changed"
	EventCheckinCreated       = "checkin.created"
	EventAttendeeCreated      = "attendee.created"
	// EventTest is what "send a test event" sends; no change emits it.
	EventTest = "webhook.test"
)

// WebhookEvents lists the event types an endpoint may subscribe to.
var WebhookEvents = []string{EventReservationCreated, EventReservationCancelled, EventWaitlistPromoted,
	EventSessionChanged, EventCheckinCreated, EventAttendeeCreated}

// WebhookEventFor maps an applied reservation_log command and its outcome
// to the webhook event it emits, if any. Refusals emit nothing. A switch
// logs a cancel and a reserve; a draft's seat is a reservation.
func WebhookEventFor(command, outcome string) (string, bool) {
	switch {
	case outcome == OutcomeReserved && (command == "reserve" || command == "switch" || command == "draft"):
		return EventReservationCreated, true
	case outcome == OutcomeCancelled && (command == "cancel" || command == "switch"):
		return EventReservationCancelled, true
	case command == "promote" && outcome == OutcomePromoted:
		return EventWaitlistPromoted, true
	case command == "check_in" && outcome == OutcomeCheckedIn,
		command == "walkup" && (outcome == OutcomeWalkup || outcome == OutcomeOverflow):
		return EventCheckinCreated, true
	case command == "change" && outcome != OutcomeRefused:
		return EventSessionChanged, true
	}
	return "", false
}

// ValidWebhookEvent reports whether t is an event type endpoints subscribe to.
func ValidWebhookEvent(t string) bool {
	for _, e := range WebhookEvents {
		if e == t {
			return true
		}
	}
	return false
}

// WebhookEndpoint is where an organizer wants events posted.
type WebhookEndpoint struct {
	ID          int64
	EventID     int64
	URL         string
	Description string
	Events      []string
	Secret      string // "whsec_" + base64 of the key
	Enabled     bool
	// DisabledReason says why delivery stopped ("410 Gone"); "" when an
	// organizer disabled it.
	DisabledReason string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// WebhookDelivery is one event for one endpoint, and its state.
type WebhookDelivery struct {
	ID         int64
	EndpointID int64
	MsgID      string // the webhook-id header
	Type       string
	Payload    string // the JSON body
	State      MessageState
	Attempts   int
	LastStatus int
	LastError  string
	CreatedAt  time.Time
	SentAt     time.Time
	NextAt     time.Time
}

// WebhookAttempt is one try to deliver, for the delivery log.
type WebhookAttempt struct {
	ID         int64
	DeliveryID int64
	At         time.Time
	Status     int // HTTP status; 0 when no answer came
	Latency    time.Duration
	Response   string // at most 1 KB of the answer's body
	Error      string
}
