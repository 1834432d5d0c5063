package lanyard

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// KindContactFollowUp is the mail that reminds an attendee to follow up
// with a contact on the date they chose (never before the event is over).
// It is written with its words when the date is set, in the attendee's
// language, and due on the date. Mail only.
const KindContactFollowUp = "contact_followup"

// Contact stages: where a follow-up stands, for those recruiting or
// selling. Every contact starts at "met".
const (
	StageMet        = "met"
	StageFollowedUp = "followed_up"
	StageInTalks    = "in_talks"
	StageApplied    = "applied"
)

// ContactStages lists the stages in the order pages show them.
var ContactStages = []string{StageMet, StageFollowedUp, StageInTalks, StageApplied}

// Where a contact was made: the session on the scanner's agenda at the
// time, or a booth or meetup the scan page was opened for.
const (
	WhereSession = "session"
	WhereBooth   = "booth"
	WhereMeetup  = "meetup"
)

// ContactWhere is where two attendees met: Kind is one of the Where
// constants or "" (unknown), Ref its code, Label what pages show.
type ContactWhere struct {
	Kind  string `json:"kind,omitempty"`
	Ref   string `json:"ref,omitempty"`
	Label string `json:"label,omitempty"`
}

// Contact is one attendee's record of another: the other's card (read
// through the other's current sharing choices, never a copy past them),
// where and when they met, and the owner's own notes, tags, follow-up date
// and stage.
type Contact struct {
	ID      int64 `json:"id"`
	OwnerID int64 `json:"-"`
	Card    Card  `json:"card"`
	// Scanned: the owner scanned the other; false when the other scanned
	// the owner (a two-way exchange gave the owner the card back).
	Scanned  bool         `json:"scanned"`
	Where    ContactWhere `json:"where"`
	MetAt    time.Time    `json:"met_at"`
	Notes    string       `json:"notes"`
	Tags     []string     `json:"tags"`
	FollowUp string       `json:"follow_up,omitempty"` // a civil date "2026-12-15", or ""
	Stage    string       `json:"stage"`
	// UpdatedAt is when the owner last changed notes, tags, date or stage.
	UpdatedAt time.Time `json:"updated_at"`
}

// ContactUpdate is what the owner may change of a contact.
type ContactUpdate struct {
	Notes    string
	Tags     []string
	FollowUp string
	Stage    string
}

// Limits of a contact's owner fields.
const (
	MaxContactNotes = 4000
	MaxContactTags  = 10
	MaxContactTag   = 30
)

// Validate trims and checks the update; tags are lowercased, made unique
// and sorted. Returns EINVALID with the field.
func (u *ContactUpdate) Validate() error {
	u.Notes = strings.TrimSpace(strings.ReplaceAll(u.Notes, "\r\n", "\n"))
	if !utf8.ValidString(u.Notes) || utf8.RuneCountInString(u.Notes) > MaxContactNotes || strings.ContainsRune(u.Notes, 0) {
		return &Error{Code: EINVALID, Field: "notes", Message: "Notes are at most 4,000 characters of text."}
	}
	var tags []string
	for _, t := range u.Tags {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "" {
			continue
		}
		if !utf8.ValidString(t) || utf8.RuneCountInString(t) > MaxContactTag || strings.ContainsAny(t, ",\r\n\t\x00<>") {
			return &Error{Code: EINVALID, Field: "tags", Message: "A tag is at most 30 characters, without commas or line breaks."}
		}
		if !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	if len(tags) > MaxContactTags {
		return &Error{Code: EINVALID, Field: "tags", Message: "A contact has at most 10 tags."}
	}
	slices.Sort(tags)
	u.Tags = tags
	u.FollowUp = strings.TrimSpace(u.FollowUp)
	if u.FollowUp != "" {
		d, err := time.Parse(time.DateOnly, u.FollowUp)
		if err != nil || d.Year() < 2000 || d.Year() > 2100 {
			return &Error{Code: EINVALID, Field: "follow_up", Message: "A follow-up date is a date such as 2026-12-15."}
		}
	}
	if u.Stage == "" {
		u.Stage = StageMet
	}
	if !slices.Contains(ContactStages, u.Stage) {
		return &Error{Code: EINVALID, Field: "stage", Message: "A stage is met, followed_up, in_talks or applied."}
	}
	return nil
}

// SplitTags reads tags typed in one field, separated by commas.
func SplitTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}
