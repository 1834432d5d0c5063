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
	// KindPartyCancelled tells a guest who said yes that the party's host
	// cancelled it.
	KindPartyCancelled = "party_cancelled"
)

// MessageKinds lists every kind, in the order settings show them.
var MessageKinds = []string{KindWaitlistPromoted, KindWaveReleased, KindLineCalled, KindSessionChanged, KindPartyCancelled, KindAnnouncement,
	KindPasswordReset, KindInvitation, KindEmailVerification}

// ReminderKinds are reminders: written with their words when their cause
// happens (an RSVP, a follow-up date) and due later, so they carry no
// template. Their channels are the attendee's choice like any kind's,
// applied when they come due (store.ClaimMail), not when written.
var ReminderKinds = []string{KindMeetupReminder, KindContactFollowUp}

// ChoiceKinds lists the kinds an attendee chooses channels for, in the
// order settings show them.
func ChoiceKinds() []string {
	var out []string
	for _, k := range MessageKinds {
		if !MailOnly(k) {
			out = append(out, k)
		}
	}
	return append(out, ReminderKinds...)
}

// IsReminder reports whether kind is one of ReminderKinds.
func IsReminder(kind string) bool { return kind == KindMeetupReminder || kind == KindContactFollowUp }

// MailOnly reports whether messages of kind go by mail alone, whatever the
// attendee prefers: they carry a secret link for the mailbox's owner.
func MailOnly(kind string) bool {
	return kind == KindPasswordReset || kind == KindInvitation || kind == KindEmailVerification
}

// Channels are where an attendee wants messages of one kind.
type Channels struct {
	Mail, App bool
}
