package lanyard

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Lead is an attendee an exhibitor's staff scanned at the booth, with what
// the exhibitor added. Card is never stored: it is built when the lead is
// read, through CardOf with the attendee's current consent and the
// organizer's current cap, so a narrower choice or a lower cap reaches
// every list and export at once.
type Lead struct {
	ID          int64     `json:"id"`
	ExhibitorID int64     `json:"-"`
	AttendeeID  int64     `json:"attendee_id"`
	ScannedBy   int64     `json:"scanned_by,omitempty"`
	Nonce       string    `json:"-"`
	ScannedAt   time.Time `json:"scanned_at"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Rating      int       `json:"rating"` // 0 (none) to 5
	Notes       string    `json:"notes"`
	Tags        []string  `json:"tags"`
	// Answers are the answers to the exhibitor's qualifying questions, by
	// question ID: one value for text and single choice, any for multiple.
	Answers map[int64][]string `json:"answers"`
	Card    Card               `json:"card"`
}

// Kinds of a qualifying question.
const (
	LeadQuestionText     = "text"
	LeadQuestionSingle   = "single"
	LeadQuestionMultiple = "multiple"
)

// LeadQuestion is one of an exhibitor's own qualifying questions.
type LeadQuestion struct {
	ID          int64    `json:"id"`
	ExhibitorID int64    `json:"-"`
	Position    int      `json:"position"`
	Kind        string   `json:"kind"`
	Prompt      string   `json:"prompt"`
	Choices     []string `json:"choices,omitempty"`
}

// Limits of what an exhibitor writes on a lead.
const (
	LeadMaxNotes     = 4000
	LeadMaxTags      = 20
	LeadMaxTag       = 40
	LeadMaxAnswer    = 1000
	LeadMaxQuestions = 30
	LeadMaxChoices   = 20
)

// Validate trims the question and checks its kind, prompt and choices.
// Returns EINVALID naming the field.
func (q *LeadQuestion) Validate() error {
	q.Prompt = strings.TrimSpace(q.Prompt)
	if err := CheckText("prompt", q.Prompt, TextRule{Max: 200, Visible: true}); err != nil {
		return err
	}
	switch q.Kind {
	case LeadQuestionText:
		q.Choices = nil
		return nil
	case LeadQuestionSingle, LeadQuestionMultiple:
	default:
		return &Error{Code: EINVALID, Field: "kind", Message: "A question is text, single or multiple choice."}
	}
	var out []string
	for _, c := range q.Choices {
		c = strings.TrimSpace(c)
		if c == "" || slices.Contains(out, c) {
			continue
		}
		if err := CheckText("choices", c, TextRule{Max: 100, Visible: true}); err != nil {
			return err
		}
		out = append(out, c)
	}
	if len(out) < 2 || len(out) > LeadMaxChoices {
		return &Error{Code: EINVALID, Field: "choices", Message: fmt.Sprintf("A choice question has 2 to %d choices, one per line.", LeadMaxChoices)}
	}
	q.Choices = out
	return nil
}

// CheckAnswer checks values as an answer to q and returns them cleaned:
// one line of text, one of the choices, or some of them in q's order. No
// values (or empty text) clears the answer. Returns EINVALID.
func (q LeadQuestion) CheckAnswer(values []string) ([]string, error) {
	field := fmt.Sprintf("q%d", q.ID)
	var vs []string
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			vs = append(vs, v)
		}
	}
	if len(vs) == 0 {
		return nil, nil
	}
	switch q.Kind {
	case LeadQuestionText:
		if len(vs) > 1 {
			return nil, &Error{Code: EINVALID, Field: field, Message: "A text answer is one value."}
		}
		if err := CheckText(field, vs[0], TextRule{Max: LeadMaxAnswer, MultiLine: true}); err != nil {
			return nil, err
		}
		return vs, nil
	case LeadQuestionSingle:
		if len(vs) > 1 || !slices.Contains(q.Choices, vs[0]) {
			return nil, &Error{Code: EINVALID, Field: field, Message: "Choose one of the question's choices."}
		}
		return vs, nil
	default:
		var out []string
		for _, v := range vs {
			if !slices.Contains(q.Choices, v) {
				return nil, &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf("%q is not one of the question's choices.", v)}
			}
		}
		for _, c := range q.Choices { // the question's order, each once
			if slices.Contains(vs, c) {
				out = append(out, c)
			}
		}
		return out, nil
	}
}

// ParseLeadTags reads tags as typed ("hot, follow up; Java"): split at
// commas and semicolons, trimmed, lower-cased, each at most LeadMaxTag
// characters, sorted, each once, at most LeadMaxTags. Returns EINVALID.
func ParseLeadTags(s string) ([]string, error) {
	if !utf8.ValidString(s) {
		return nil, &Error{Code: EINVALID, Field: "tags", Message: "Tags are not valid UTF-8 text."}
	}
	var out []string
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' }) {
		t = strings.ToLower(strings.Join(strings.Fields(t), " "))
		if t == "" || slices.Contains(out, t) {
			continue
		}
		if utf8.RuneCountInString(t) > LeadMaxTag {
			return nil, &Error{Code: EINVALID, Field: "tags", Message: fmt.Sprintf("A tag is at most %d characters.", LeadMaxTag)}
		}
		if err := CheckText("tags", t, TextRule{Max: LeadMaxTag, Visible: true}); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	if len(out) > LeadMaxTags {
		return nil, &Error{Code: EINVALID, Field: "tags", Message: fmt.Sprintf("A lead has at most %d tags.", LeadMaxTags)}
	}
	slices.Sort(out)
	return out, nil
}

// LeadUpdate is what an exhibitor changes on a lead; nil fields stay.
type LeadUpdate struct {
	Rating  *int
	Notes   *string
	Tags    *[]string
	Answers map[int64][]string // question ID → values (checked against the questions); nil values clear
}

// Validate checks the rating and notes. Returns EINVALID.
func (u *LeadUpdate) Validate() error {
	if u.Rating != nil && (*u.Rating < 0 || *u.Rating > 5) {
		return &Error{Code: EINVALID, Field: "rating", Message: "A rating is 0 (none) to 5."}
	}
	if u.Notes != nil {
		n := strings.TrimSpace(*u.Notes)
		u.Notes = &n
		if err := CheckText("notes", n, TextRule{Max: LeadMaxNotes, MultiLine: true}); err != nil {
			return err
		}
	}
	return nil
}

// Outcomes of a lead scan.
const (
	LeadCreated   = "created"   // a new lead (also the answer to the same scan uploaded again)
	LeadExists    = "exists"    // the exhibitor already had this attendee: nothing changed
	LeadWithdrawn = "withdrawn" // the attendee withdrew from this exhibitor: no lead
)

// Webhook events of leads, sent to the exhibitor's own endpoint only
// (never to the organizer's endpoints).
const (
	EventLeadCreated   = "lead.created"
	EventLeadUpdated   = "lead.updated"
	EventLeadWithdrawn = "lead.withdrawn"
)
