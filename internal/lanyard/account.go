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
}

// OutboxMessage is an email waiting in the outbox, written in the same
// transaction as what caused it (a password reset) and sent later.
type OutboxMessage struct {
	ID         int64
	EventID    int64
	AttendeeID int64  // 0 when the message is not about an attendee
	Kind       string // what it is, such as "password_reset"
	Recipient  string // the email address
	Subject    string
	Body       string
	CreatedAt  time.Time
}
