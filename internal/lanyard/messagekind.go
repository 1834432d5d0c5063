package lanyard

// Message kinds: what a message is about, and the key of its templates
// (internal/message renders each in English and Korean). Every writer of a
// message names one of these; the params each takes are documented on its
// params type in internal/message.
const (
	// KindPasswordReset is a reset link, rendered when written (the link
	// is kept nowhere else). Mail only.
	KindPasswordReset = "password_reset"
	// KindInvitation invites an imported attendee to set a password. Mail only.
	KindInvitation = "invitation"
	// KindEmailVerification asks a new account to confirm its address. Mail only.
	KindEmailVerification = "email_verification"
	// KindWaitlistPromoted tells an attendee a waitlist gave them a seat.
	KindWaitlistPromoted = "waitlist_promoted"
	// KindWaveReleased tells of a wave of seats released (the keynote's
	// second chance).
	KindWaveReleased = "wave_released"
	// KindLineCalled tells an attendee their walk-up line called them: come
	// to the door before the call lapses.
	KindLineCalled = "line_called"
	// KindSessionChanged tells an attendee a session they hold moved or was
	// cancelled.
	KindSessionChanged = "session_changed"
	// KindAnnouncement is an organizer's announcement.
	KindAnnouncement = "announcement"
)

// MessageKinds lists every kind, in the order settings show them.
var MessageKinds = []string{KindWaitlistPromoted, KindWaveReleased, KindLineCalled, KindSessionChanged, KindAnnouncement,
	KindPasswordReset, KindInvitation, KindEmailVerification}

// MailOnly reports whether messages of kind go by mail alone, whatever the
// attendee prefers: they carry a secret link for the mailbox's owner.
func MailOnly(kind string) bool {
	return kind == KindPasswordReset || kind == KindInvitation || kind == KindEmailVerification
}

// Channels are where an attendee wants messages of one kind.
type Channels struct {
	Mail, App bool
}
