package lanyard

import (
	"fmt"
	"strings"
	"time"
)

// Entitlement keys (Place.Entitlement).
const (
	// EntitlementCertified is held by attendees whose certification an
	// organizer verified (or imported).
	EntitlementCertified = "certified"
	// invitePrefix starts the key of a partner lounge's invite list.
	invitePrefix = "invite:"
)

// InviteKey is the entitlement key of the invite list named list.
func InviteKey(list string) string { return invitePrefix + list }

// InviteList returns the list an "invite:<list>" key names.
func InviteList(key string) (string, bool) {
	return strings.CutPrefix(key, invitePrefix)
}

// CheckEntitlement returns nil if key is "", "certified" or
// "invite:<list>" with list in CheckCode's alphabet.
func CheckEntitlement(key string) error {
	if key == "" || key == EntitlementCertified {
		return nil
	}
	list, ok := InviteList(key)
	if !ok || CheckCode(list) != nil {
		return &Error{Code: EINVALID, Field: "entitlement", Message: fmt.Sprintf("Entitlement %q is neither %q nor \"invite:<list>\" with a list name of letters, digits, '-', '_' and '.'.", key, EntitlementCertified)}
	}
	return nil
}

// Valid reports whether k is a place kind.
func (k PlaceKind) Valid() bool {
	return k == PlaceLounge || k == PlaceExpo || k == PlaceParty
}

// MaxPlaceCapacity bounds a place's capacity (the largest hall holds less).
const MaxPlaceCapacity = 100000

// Validate checks a place an organizer creates or edits.
func (p *Place) Validate() error {
	if err := CheckCode(p.Code); err != nil {
		e := err.(*Error)
		e.Message = strings.Replace(e.Message, "Session code", "Place code", 1)
		return e
	}
	p.Name = strings.TrimSpace(p.Name)
	switch {
	case p.Name == "":
		return &Error{Code: EINVALID, Field: "name", Message: "A place needs a name."}
	case len(p.Name) > 200:
		return &Error{Code: EINVALID, Field: "name", Message: "A place's name is at most 200 characters."}
	case !p.Kind.Valid():
		return &Error{Code: EINVALID, Field: "kind", Message: fmt.Sprintf("Unknown place kind %q: lounge, expo or party.", p.Kind)}
	case p.Capacity < 0 || p.Capacity > MaxPlaceCapacity:
		return &Error{Code: EINVALID, Field: "capacity", Message: fmt.Sprintf("Capacity is between 0 (no limit) and %d.", MaxPlaceCapacity)}
	case !p.Opens.IsZero() && !p.Closes.IsZero() && !p.Closes.After(p.Opens):
		return &Error{Code: EINVALID, Field: "closes", Message: "A place closes after it opens."}
	}
	if err := CheckEntitlement(p.Entitlement); err != nil {
		return err
	}
	if !p.Opens.IsZero() {
		p.Opens = p.Opens.UTC()
	}
	if !p.Closes.IsZero() {
		p.Closes = p.Closes.UTC()
	}
	return nil
}

// Certification states.
const (
	CertPending  = "pending"
	CertVerified = "verified"
	CertRejected = "rejected"
)

// MaxCertNumber bounds a certification validation number's length.
const MaxCertNumber = 64

// CleanCertNumber trims a validation number and checks it: letters,
// digits and '-', 4 to MaxCertNumber characters (AWS's are 32 hex digits).
func CleanCertNumber(s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) < 4 || len(s) > MaxCertNumber {
		return "", &Error{Code: EINVALID, Field: "number", Message: fmt.Sprintf("A validation number has 4 to %d letters and digits.", MaxCertNumber)}
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return "", &Error{Code: EINVALID, Field: "number", Message: "A validation number holds only letters, digits and '-'."}
		}
	}
	return s, nil
}

// Certification is an attendee's certification validation number and the
// organizer's decision on it.
type Certification struct {
	AttendeeID  int64     `json:"attendee_id"`
	Name        string    `json:"name,omitempty"`
	Email       string    `json:"email,omitempty"`
	Number      string    `json:"number"`
	State       string    `json:"state"` // pending, verified, rejected
	Source      string    `json:"source,omitempty"`
	SubmittedAt time.Time `json:"submitted_at"`
	DecidedAt   time.Time `json:"decided_at,omitzero"`
}

// CertDecision is an organizer's decision on one attendee's certification:
// verified or rejected, or verified by an import (Number then names the
// number imported, or is empty for an import by email).
type CertDecision struct {
	AttendeeID int64  `json:"attendee_id"`
	Verified   bool   `json:"verified"`
	Number     string `json:"number,omitempty"`
	Source     string `json:"source,omitempty"` // organizer, import
}

// Invite is one entry of a partner lounge's invite list: an email, and the
// attendee registered with it (0 while no one is).
type Invite struct {
	Email      string `json:"email"`
	AttendeeID int64  `json:"attendee_id,omitempty"`
}

// PlaceView is a place with its live count, as lists show it.
type PlaceView struct {
	Place
	Occupancy Occupancy `json:"occupancy"`
}

// OpenAt reports whether the place's door is open at t.
func (p *Place) OpenAt(t time.Time) bool {
	return (p.Opens.IsZero() || !t.Before(p.Opens)) && (p.Closes.IsZero() || t.Before(p.Closes))
}
