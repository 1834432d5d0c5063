package lanyard

import "time"

// Where an account shows times first: in the venue's zone or the attendee's home zone.
const (
	ZonePrimaryVenue = "venue"
	ZonePrimaryHome  = "home"
)

// Account is an attendee's sign-in to the web app and its preferences.
// An attendee has at most one; imported attendees have none until they sign
// up or set a password through a reset.
type Account struct {
	AttendeeID   int64
	PasswordHash string // the password hash, encoded with its parameters; never the password
	// PasswordChangedAt voids sign-in sessions begun before it.
	PasswordChangedAt time.Time
	Language          string // the language of the pages ("ko"); "" follows the browser
	ZonePrimary       string // ZonePrimaryVenue or ZonePrimaryHome
	// CalendarToken is the secret of the private iCal subscription URL;
	// "" when there is none.
	CalendarToken string
	// EmailVerifiedAt is when the address was proven by following a mailed
	// link; zero until then. An unverified attendee browses and signs in but
	// cannot reserve.
	EmailVerifiedAt time.Time
}

// Verified reports whether the account's email address has been proven.
func (a *Account) Verified() bool { return !a.EmailVerifiedAt.IsZero() }

// Message is a message to a person: a mail, an entry of the app's
// notifications, or both. It is written in the same transaction as what
// caused it (a password reset, the engine's batch), so a committed change
// always has its messages and a rolled-back one none; delivery reads them
// later.
type Message struct {
	ID         int64
	EventID    int64
	AttendeeID int64  // the recipient; 0 for mail to an address alone
	SessionID  int64  // the session it is about; 0 for none
	Kind       string // what it is, such as "password_reset"
	// Channels: at least one.
	Mail, App bool
	Recipient string // the email address; "" sends to the attendee's at delivery
	Language  string // "en", "ko"; "" renders in the attendee's language at delivery
	// Template is a key rendered at delivery with Params; "" when Subject
	// and Body were rendered when written.
	Template string
	Params   map[string]string
	Subject  string
	Body     string
	// DedupeKey, when set, is unique per event: one cause, one message.
	DedupeKey string
	// Delivery by mail.
	State         MessageState
	Attempts      int
	LastError     string
	NextAttemptAt time.Time // zero when nothing is due
	CreatedAt     time.Time
	SentAt        time.Time // zero until sent
	ReadAt        time.Time // zero until read in the app
}

// MessageState is where a message's mail delivery stands.
type MessageState string

// Mail delivery states. A message for the app alone is sent when written.
const (
	MessagePending MessageState = "pending"
	MessageSent    MessageState = "sent"
	MessageFailed  MessageState = "failed"
)
