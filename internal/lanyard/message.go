package lanyard

// Message kinds written by registration: the account links mailed to a person.
const (
	// KindInvitation invites an imported attendee to set a password (a
	// single-use, expiring link).
	KindInvitation = "invitation"
	// KindEmailVerification asks a new account to confirm its address.
	KindEmailVerification = "email_verification"
)

// Sign-up modes of an event.
const (
	// SignUpOpen lets anyone sign up.
	SignUpOpen = "open"
	// SignUpInvitation lets only imported attendees in, through the
	// set-password link of their invitation.
	SignUpInvitation = "invitation"
)

// ValidSignUpMode reports whether m is a known sign-up mode.
func ValidSignUpMode(m string) bool { return m == SignUpOpen || m == SignUpInvitation }
