package lanyard

// Edits organizers, exhibitors and attendees expect (issue 14 follow-up).
// Meetups: its starter edits
// it and cancels it; organizers may cancel it too. A change of time or
// place, and a cancel, tell everyone going or waitlisted.

// MessageKind of a meetup's change of time or place and of its cancel,
// to those going or waitlisted, by mail and in the app. Both are written
// with their words (Subject and Body), like KindMeetupReminder.
const (
	KindMeetupChanged  = "meetup_changed"
	KindMeetupCanceled = "meetup_canceled"
)

// Codes of refused meetup edits.
const (
	// EMeetupCanceled refuses an RSVP, an edit or a second cancel of a
	// cancelled meetup (409).
	EMeetupCanceled = "meetup_canceled"
	// EMeetupCapBelowGoing refuses a cap below the number already going
	// (422): nobody's place is taken back.
	EMeetupCapBelowGoing = "cap_below_going"
	// EMeetupNotYours refuses an edit or a cancel by someone who did not
	// start the meetup (403; organizers may cancel).
	EMeetupNotYours = "meetup_not_yours"
)

// ESwagRetired refuses a claim of (or a change to) a swag item its
// exhibitor or an organizer retired (409).
const ESwagRetired = "swag_retired"

// EExhibitorRemoved refuses what names an exhibitor an organizer removed
// (404: it is gone from the expo).
const EExhibitorRemoved = "exhibitor_removed"
