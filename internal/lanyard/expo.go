package lanyard

import (
	"slices"
	"strings"
)

// Exhibitor is a company with a booth on the expo floor. Its staff are
// attendees with the exhibitor role, linked by the exhibitor_staff table.
type Exhibitor struct {
	ID          int64    `json:"id"`
	Code        string   `json:"code"` // short and stable, in URLs: "acme"
	Name        string   `json:"name"`
	Booth       string   `json:"booth"` // the booth's number on the floor: "1204"
	Description string   `json:"description"`
	Categories  []string `json:"categories"`
	Website     string   `json:"website,omitempty"`
}

// Card fields: what a badge scan may share, with an exhibitor or with
// another attendee. The name always goes with a card.
const (
	FieldCompany  = "company"
	FieldTitle    = "title"
	FieldEmail    = "email"
	FieldPhone    = "phone"
	FieldLinkedIn = "linkedin"
)

// CardFields lists every field a card may carry besides the name, in the
// order pages show them.
var CardFields = []string{FieldCompany, FieldTitle, FieldEmail, FieldPhone, FieldLinkedIn}

// DefaultShared is what a scan shares until the attendee chooses: name,
// company and title.
var DefaultShared = []string{FieldCompany, FieldTitle}

// Sharing is an attendee's consent: which fields a scan of their badge or
// personal QR shares, and their own contact details that only ever leave
// through a card. Exchange "one_way" means someone who scans them gets
// their card but they do not get the scanner's.
type Sharing struct {
	AttendeeID int64    `json:"-"`
	Fields     []string `json:"fields"` // a subset of CardFields
	Phone      string   `json:"phone"`
	LinkedIn   string   `json:"linkedin"`
	Exchange   string   `json:"exchange"` // "two_way" (the default) or "one_way"
	// MeetOptIn: the attendee appears in others' "people to meet" and sees
	// their own suggestions.
	MeetOptIn bool `json:"meet_opt_in"`
}

// Exchange modes of a contact exchange.
const (
	ExchangeTwoWay = "two_way"
	ExchangeOneWay = "one_way"
)

// DefaultSharing is an attendee's consent before they choose.
func DefaultSharing(attendeeID int64) Sharing {
	return Sharing{AttendeeID: attendeeID, Fields: slices.Clone(DefaultShared), Exchange: ExchangeTwoWay}
}

// Shares reports whether the attendee shares field.
func (s Sharing) Shares(field string) bool { return slices.Contains(s.Fields, field) }

// Validate keeps only known fields, in CardFields order, and checks the
// exchange mode and the contact details. Returns EINVALID with the field.
func (s *Sharing) Validate() error {
	var fields []string
	for _, f := range CardFields {
		if slices.Contains(s.Fields, f) {
			fields = append(fields, f)
		}
	}
	for _, f := range s.Fields {
		if !slices.Contains(CardFields, f) {
			return &Error{Code: EINVALID, Field: "fields", Message: "Unknown field " + f + ": one of company, title, email, phone, linkedin."}
		}
	}
	s.Fields = fields
	s.Phone = strings.TrimSpace(s.Phone)
	s.LinkedIn = strings.TrimSpace(s.LinkedIn)
	if s.Exchange == "" {
		s.Exchange = ExchangeTwoWay
	}
	if s.Exchange != ExchangeTwoWay && s.Exchange != ExchangeOneWay {
		return &Error{Code: EINVALID, Field: "exchange", Message: "exchange is two_way or one_way."}
	}
	if len(s.Phone) > 40 || strings.ContainsAny(s.Phone, "\r\n<>") {
		return &Error{Code: EINVALID, Field: "phone", Message: "A phone number is at most 40 characters on one line."}
	}
	if s.LinkedIn != "" && !(strings.HasPrefix(s.LinkedIn, "https://www.linkedin.com/") || strings.HasPrefix(s.LinkedIn, "https://linkedin.com/")) {
		return &Error{Code: EINVALID, Field: "linkedin", Message: "A LinkedIn profile is an address starting https://www.linkedin.com/."}
	}
	if len(s.LinkedIn) > 200 {
		return &Error{Code: EINVALID, Field: "linkedin", Message: "A LinkedIn address is at most 200 characters."}
	}
	return nil
}

// Card is what one person's scan gives another: the name and the fields
// the person chose to share (and, for an exhibitor, the organizer allows).
// Empty fields were not shared or are not known.
type Card struct {
	AttendeeID int64  `json:"attendee_id"`
	Name       string `json:"name"`
	Company    string `json:"company,omitempty"`
	Title      string `json:"title,omitempty"`
	Email      string `json:"email,omitempty"`
	Phone      string `json:"phone,omitempty"`
	LinkedIn   string `json:"linkedin,omitempty"`
}

// CardOf builds a's card from their sharing choices, limited to allowed
// (nil: no limit beyond the attendee's own choice). Exhibitors get
// allowed = the organizer's cap; attendees exchanging contacts get nil.
func CardOf(a *Attendee, s Sharing, allowed []string) Card {
	c := Card{AttendeeID: a.ID, Name: a.Name}
	ok := func(f string) bool { return s.Shares(f) && (allowed == nil || slices.Contains(allowed, f)) }
	if ok(FieldCompany) {
		c.Company = a.Company
	}
	if ok(FieldTitle) {
		c.Title = a.JobTitle
	}
	if ok(FieldEmail) {
		c.Email = a.Email
	}
	if ok(FieldPhone) {
		c.Phone = s.Phone
	}
	if ok(FieldLinkedIn) {
		c.LinkedIn = s.LinkedIn
	}
	return c
}
