package lanyard

import (
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// Meetups (issue 14): informal gatherings any attendee starts — a
// community's evening, "Korean speakers at the bar" — that others find by
// language, topic and time and RSVP to up to a cap, with a waitlist.

// The places a meetup can be.
const (
	MeetupRoom = "room" // a room of the catalog: Venue and Place name it
	MeetupBar  = "bar"  // a bar or café in a venue: Venue, and Place names the bar
	MeetupPin  = "pin"  // a map pin: Lat, Lng and Place as its label; Venue optional (the nearest)
)

// RSVP states.
const (
	RSVPGoing    = "going"
	RSVPWaitlist = "waitlist"
)

// MessageKind of a meetup's reminder and of a waitlist promotion. Both are
// written with their words (Subject and Body), not a template.
const (
	KindMeetupReminder = "meetup_reminder"
	KindMeetupPromoted = "meetup_promoted"
)

// MeetupReminderBefore is how long before its start a meetup's reminder is due.
const MeetupReminderBefore = 30 * time.Minute

// Limits of a meetup's fields.
const (
	MeetupMaxCap      = 500
	MeetupMinCap      = 2
	MeetupMaxMinutes  = 8 * 60
	MeetupMinMinutes  = 15
	meetupTitleMax    = 100
	meetupTopicMax    = 60
	meetupPlaceMax    = 100
	meetupDescribeMax = 2000
)

// MeetupLanguages are the languages a meetup may be held in (BCP 47
// primary subtags), in the order the pages offer them.
var MeetupLanguages = []string{"en", "ko", "ja", "zh", "es", "pt", "fr", "de", "hi", "vi", "id", "th"}

// Meetup is one attendee-made meetup.
type Meetup struct {
	ID          int64
	EventID     int64
	OrganizerID int64
	Title       string
	Description string
	Language    string // one of MeetupLanguages
	Topic       string // the topic or community ("Kubernetes", "AWS Korea User Group")
	PlaceKind   string // MeetupRoom, MeetupBar or MeetupPin
	Venue       string // a venue code; "" for a pin away from every venue
	Place       string // the room, the bar, or the pin's label
	Lat, Lng    float64
	Start, End  time.Time
	Cap         int
	Going       int // RSVPs going; never more than Cap
	Waiting     int // on the waitlist
	Hidden      bool
	Canceled    bool // by its starter or an organizer: off the list, no RSVP
	Reports     int  // attendees' reports (the console's list)
	CreatedAt   time.Time
	// Key is the creating request's idempotency key, if any: a starter's
	// key makes one meetup, and the same request again returns it.
	Key string
}

// Minutes is how long the meetup runs.
func (m Meetup) Minutes() int { return int(m.End.Sub(m.Start) / time.Minute) }

// Full reports whether every place is taken: an RSVP now joins the waitlist.
func (m Meetup) Full() bool { return m.Going >= m.Cap }

// Validate checks a new meetup's fields (trimming its text), naming the
// field at fault. now is the clock: a meetup starts in the future.
func (m *Meetup) Validate(now time.Time) error {
	m.Title = strings.TrimSpace(m.Title)
	m.Topic = strings.TrimSpace(m.Topic)
	m.Place = strings.TrimSpace(m.Place)
	m.Description = strings.TrimSpace(m.Description)
	bad := func(field, format string, args ...any) error {
		e := Errorf(EINVALID, format, args...)
		e.Field = field
		return e
	}
	text := func(field, v string, lo, hi int) error {
		n := utf8.RuneCountInString(v)
		if !utf8.ValidString(v) || n < lo || n > hi || strings.ContainsAny(v, "\x00\r") {
			return bad(field, "The %s must be %d to %d characters.", strings.ReplaceAll(field, "_", " "), lo, hi)
		}
		return nil
	}
	if err := text("title", m.Title, 3, meetupTitleMax); err != nil {
		return err
	}
	if strings.ContainsAny(m.Title, "\n\t") {
		return bad("title", "The title must be one line.")
	}
	if err := text("topic", m.Topic, 0, meetupTopicMax); err != nil {
		return err
	}
	if err := text("description", m.Description, 0, meetupDescribeMax); err != nil {
		return err
	}
	if !isMeetupLanguage(m.Language) {
		return bad("language", "Choose a language from the list.")
	}
	switch m.PlaceKind {
	case MeetupRoom, MeetupBar:
		if m.Venue == "" {
			return bad("venue", "Choose the venue.")
		}
		lo := 2
		if m.PlaceKind == MeetupRoom {
			lo = 1 // the catalog's name ("A" is a room), checked against it
		}
		if err := text("place", m.Place, lo, meetupPlaceMax); err != nil {
			return err
		}
		m.Lat, m.Lng = 0, 0
	case MeetupPin:
		if math.IsNaN(m.Lat) || math.IsNaN(m.Lng) || m.Lat < -90 || m.Lat > 90 || m.Lng < -180 || m.Lng > 180 || (m.Lat == 0 && m.Lng == 0) {
			return bad("lat", "A pin needs a latitude (-90 to 90) and a longitude (-180 to 180).")
		}
		if err := text("place", m.Place, 2, meetupPlaceMax); err != nil {
			return err
		}
	default:
		return bad("place_kind", "Choose a room, a bar in a venue or a pin.")
	}
	if m.Start.IsZero() || !m.Start.After(now) {
		return bad("start", "A meetup starts in the future.")
	}
	if d := m.End.Sub(m.Start); d < MeetupMinMinutes*time.Minute || d > MeetupMaxMinutes*time.Minute {
		return bad("minutes", "A meetup lasts %d minutes to %d hours.", MeetupMinMinutes, MeetupMaxMinutes/60)
	}
	if m.Cap < MeetupMinCap || m.Cap > MeetupMaxCap {
		return bad("cap", "The cap is %d to %d people.", MeetupMinCap, MeetupMaxCap)
	}
	return nil
}

func isMeetupLanguage(l string) bool {
	for _, x := range MeetupLanguages {
		if x == l {
			return true
		}
	}
	return false
}

// MeetupFilter selects meetups for /meetups.
type MeetupFilter struct {
	Language string    // "" any
	Topic    string    // "" any; else a case-insensitive part of the topic or title
	From     time.Time // starting at or after; zero: any
	To       time.Time // starting before; zero: any
	Hidden   bool      // include hidden ones (the console)
	Limit    int       // 0: 200
}

// RSVP is one attendee's answer to a meetup.
type RSVP struct {
	MeetupID   int64
	AttendeeID int64
	Status     string // RSVPGoing or RSVPWaitlist
	Position   int    // 1-based place on the waitlist; 0 when going
}

// Codes of refused meetup actions.
const (
	// EMeetupLimit refuses a meetup past the most one person may start (429).
	EMeetupLimit = "meetup_limit"
	// EMeetupHidden refuses an RSVP to a meetup the organizers hid (403).
	EMeetupHidden = "meetup_hidden"
	// EMeetupStarted refuses an RSVP to a meetup that has started (409).
	EMeetupStarted = "meetup_started"
)
