package lanyard

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
