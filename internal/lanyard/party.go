package lanyard

import (
	"strings"
	"time"
	"unicode/utf8"
)

// PartyKind is a party (standing, no tables) or a dinner (seated at tables).
type PartyKind string

// Party kinds.
const (
	KindParty  PartyKind = "party"
	KindDinner PartyKind = "dinner"
)

// Party is a party or dinner hosted by the organizers (ExhibitorID 0) or by
// an exhibitor. Going never passes Capacity: the database refuses it.
type Party struct {
	ID          int64     `json:"-"`
	Code        string    `json:"code"` // CheckCode's alphabet; also the door place's code
	Title       string    `json:"title"`
	Kind        PartyKind `json:"kind"`
	ExhibitorID int64     `json:"exhibitor_id,omitempty"`
	Location    string    `json:"location,omitempty"`
	Starts      time.Time `json:"starts"`
	InviteOnly  bool      `json:"invite_only"`
	Capacity    int       `json:"capacity"`
	Going       int       `json:"going"`
	TableSize   int       `json:"table_size,omitempty"` // dinners
	SeatedAt    time.Time `json:"seated_at,omitzero"`
	// CancelledAt is when its host cancelled it (zero: it takes place).
	CancelledAt time.Time `json:"cancelled_at,omitzero"`
}

// Cancelled reports whether the party's host cancelled it.
func (p *Party) Cancelled() bool { return !p.CancelledAt.IsZero() }

// Tables is how many tables a dinner sets for its capacity.
func (p *Party) Tables() int {
	if p.Kind != KindDinner || p.TableSize <= 0 {
		return 0
	}
	return (p.Capacity + p.TableSize - 1) / p.TableSize
}

// Validate reports the first problem with the party's fields.
func (p *Party) Validate() error {
	if err := CheckCode(p.Code); err != nil {
		return &Error{Code: EINVALID, Field: "code", Message: "A party's code is 1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit."}
	}
	switch {
	case strings.TrimSpace(p.Title) == "" || utf8.RuneCountInString(p.Title) > 200:
		return &Error{Code: EINVALID, Field: "title", Message: "A title is 1 to 200 characters."}
	case p.Kind != KindParty && p.Kind != KindDinner:
		return &Error{Code: EINVALID, Field: "kind", Message: "A party is a party or a dinner."}
	case utf8.RuneCountInString(p.Location) > 200:
		return &Error{Code: EINVALID, Field: "location", Message: "A location is at most 200 characters."}
	case p.Starts.IsZero():
		return &Error{Code: EINVALID, Field: "starts", Message: "A party needs a start time."}
	case p.Capacity < 1 || p.Capacity > 5000:
		return &Error{Code: EINVALID, Field: "capacity", Message: "A capacity is 1 to 5,000 guests."}
	case p.Kind == KindDinner && (p.TableSize < 2 || p.TableSize > 30):
		return &Error{Code: EINVALID, Field: "table_size", Message: "A dinner's tables seat 2 to 30."}
	case p.Kind == KindParty && p.TableSize != 0:
		return &Error{Code: EINVALID, Field: "table_size", Message: "Only dinners have tables."}
	}
	return nil
}

// PartyDoorPrefix starts the invite list of a party's door: the party's
// guests hold "invite:party-<code>", derived from their RSVPs.
const PartyDoorPrefix = "party-"

// EPartyFull refuses an RSVP to a party at its capacity (HTTP 409).
const EPartyFull = "party_full"

// EPartyCancelled refuses an RSVP to, or a second cancel of, a party its
// host cancelled (HTTP 409).
const EPartyCancelled = "party_cancelled"

// PartyRSVP is one guest's answer: dietary needs, the languages they are
// happy to talk in, and whom they want to sit with (attendee IDs).
type PartyRSVP struct {
	PartyID    int64    `json:"-"`
	AttendeeID int64    `json:"attendee_id"`
	Dietary    string   `json:"dietary,omitempty"`
	Languages  []string `json:"languages"`
	SeatWith   []int64  `json:"seat_with,omitempty"`
}

// MaxSeatWith is how many people one guest may ask to sit with.
const MaxSeatWith = 3

// Validate reports the first problem with the RSVP's fields.
func (r *PartyRSVP) Validate() error {
	switch {
	case utf8.RuneCountInString(r.Dietary) > 200:
		return &Error{Code: EINVALID, Field: "dietary", Message: "Dietary needs are at most 200 characters."}
	case len(r.Languages) == 0 || len(r.Languages) > 8:
		return &Error{Code: EINVALID, Field: "languages", Message: "Choose 1 to 8 languages you are happy to talk in."}
	case len(r.SeatWith) > MaxSeatWith:
		return &Error{Code: EINVALID, Field: "seat_with", Message: "Ask to sit with at most 3 people."}
	}
	for _, l := range r.Languages {
		if l == "" || len(l) > 12 || strings.ContainsAny(l, ", ") {
			return &Error{Code: EINVALID, Field: "languages", Message: "A language is a short code such as en or ko."}
		}
	}
	for _, w := range r.SeatWith {
		if w == r.AttendeeID {
			return &Error{Code: EINVALID, Field: "seat_with", Message: "You always sit with yourself."}
		}
	}
	return nil
}
