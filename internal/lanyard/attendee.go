package lanyard

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// Role is what a person may do at the event.
type Role string

// The roles.
const (
	RoleAttendee  Role = "attendee"
	RoleStaff     Role = "staff"
	RoleExhibitor Role = "exhibitor"
	RoleOrganizer Role = "organizer"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleAttendee, RoleStaff, RoleExhibitor, RoleOrganizer:
		return true
	}
	return false
}

// Attendee is a person registered for an event. Staff, exhibitors and
// organizers are attendees with another role: one identity, one badge.
type Attendee struct {
	ID       int64  `json:"id"`
	EventID  int64  `json:"-"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Company  string `json:"company,omitempty"`
	JobTitle string `json:"job_title,omitempty"`
	// HomeZone is the IANA zone the attendee lives in ("Asia/Seoul"); times are
	// shown in it beside the venue's.
	HomeZone       string    `json:"home_zone"`
	Certifications []string  `json:"certifications"`
	Role           Role      `json:"role"`
	CreatedAt      time.Time `json:"created_at"`
	// Canceled: the ticket was cancelled (a registration import voided
	// it). The attendee may sign in and read their messages, but holds and
	// takes no seat.
	Canceled bool `json:"canceled,omitempty"`
}

// TextFields lists the attendee's free-text fields with their rules;
// optional ones only when set.
func (a *Attendee) TextFields() []TextField {
	out := []TextField{{"name", &a.Name, RuleName}}
	if a.Company != "" {
		out = append(out, TextField{"company", &a.Company, RuleLabel})
	}
	if a.JobTitle != "" {
		out = append(out, TextField{"job_title", &a.JobTitle, RuleLabel})
	}
	for i := range a.Certifications {
		out = append(out, TextField{fmt.Sprintf("certifications[%d]", i), &a.Certifications[i], RuleLabel})
	}
	return out
}

// NormalizeEmail lowercases and trims an address so that one person has one account.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate reports the first problem with the attendee's fields.
func (a *Attendee) Validate() error {
	if strings.TrimSpace(a.Name) == "" {
		return &Error{Code: EINVALID, Field: "name", Message: "Name is required."}
	}
	if err := CheckTextFields(a.TextFields()); err != nil {
		return err
	}
	if addr, err := mail.ParseAddress(a.Email); err != nil || addr.Address != a.Email {
		return Errorf(EINVALID, "%q is not an email address.", a.Email)
	}
	if !a.Role.Valid() {
		return Errorf(EINVALID, "Unknown role %q.", a.Role)
	}
	if a.HomeZone != "" {
		if _, err := LoadZone(a.HomeZone); err != nil {
			return Errorf(EINVALID, "Unknown home time zone %q.", a.HomeZone)
		}
	}
	return nil
}
