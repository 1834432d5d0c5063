package lanyard

import (
	"fmt"
	"strings"
	"time"
)

// SessionType is the kind of a session. The set is fixed so that holdback
// percentages and reservation windows can be set per type.
type SessionType string

// The session types.
const (
	TypeKeynote  SessionType = "keynote"
	TypeSession  SessionType = "session"
	TypeChalk    SessionType = "chalk-talk"
	TypeWorkshop SessionType = "workshop"
	TypeBuilders SessionType = "builders-session"
	TypeOther    SessionType = "other"
)

// SessionTypes lists every type, in the order pages show them.
var SessionTypes = []SessionType{TypeKeynote, TypeSession, TypeChalk, TypeWorkshop, TypeBuilders, TypeOther}

// Valid reports whether t is one of SessionTypes.
func (t SessionType) Valid() bool {
	for _, v := range SessionTypes {
		if v == t {
			return true
		}
	}
	return false
}

// ParseSessionType maps the many spellings found in real catalogs ("Chalk
// Talk", "chalk_talk", "Builders' session", "Breakout") to a type. The second
// result is false when the name was not recognised and TypeOther was chosen.
func ParseSessionType(s string) (SessionType, bool) {
	k := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return -1
	}, s)
	switch k {
	case "keynote", "leadershipsession", "keynotesession":
		return TypeKeynote, true
	case "session", "breakout", "breakoutsession", "talk", "lecture", "lightningtalk", "codetalk", "innovationtalk":
		return TypeSession, true
	case "chalktalk":
		return TypeChalk, true
	case "workshop", "handsonworkshop", "gameday", "bootcamp", "interactivetraining", "gamifiedlearning", "examprep":
		return TypeWorkshop, true
	case "builderssession", "builderession", "builders":
		return TypeBuilders, true
	case "other":
		return TypeOther, true
	}
	return TypeOther, false
}

// Speaker is a person presenting a session.
type Speaker struct {
	Name     string `json:"name"`
	JobTitle string `json:"job_title,omitempty"`
	Company  string `json:"company,omitempty"`
}

// Session is one scheduled (or not yet scheduled) session of the catalog.
type Session struct {
	ID      int64 `json:"-"`
	EventID int64 `json:"-"`
	// Code identifies the session within its event ("ARC301-R1").
	Code     string      `json:"code"`
	Title    string      `json:"title"`
	Abstract string      `json:"abstract"`
	Type     SessionType `json:"type"`
	// Level is 100 (introductory) to 400 (expert); 0 when the catalog gives none.
	Level    int       `json:"level,omitempty"`
	Topics   []string  `json:"topics"`
	Speakers []Speaker `json:"speakers"`
	// Venue and Room name where the session runs; empty when unknown.
	Venue  string `json:"venue,omitempty"`
	Room   string `json:"room,omitempty"`
	RoomID int64  `json:"-"`
	// Start and End are UTC instants; both zero for an unscheduled session.
	Start time.Time `json:"start,omitzero"`
	End   time.Time `json:"end,omitzero"`
	// CapacityOverride replaces the room's capacity when non-zero.
	CapacityOverride int `json:"capacity_override,omitempty"`
	// Capacity is the effective capacity: the override, or else the room's.
	Capacity int `json:"capacity"`
	// RepeatGroup ties repeats of the same content ("ARC301" for ARC301-R1 and
	// ARC301-R2); empty when the session is not repeated.
	RepeatGroup string `json:"repeat_group,omitempty"`
	// Reservable is false for sessions that only take walk-ins (and overflow rooms).
	Reservable bool `json:"reservable"`
	// Cancelled is set when an organizer cancelled the session: it stays
	// in the catalog, marked, and takes no reservations.
	Cancelled bool `json:"cancelled,omitempty"`
}

// Scheduled reports whether the session has a time.
func (s *Session) Scheduled() bool { return !s.Start.IsZero() }

// Duration is how long the session runs; zero when unscheduled.
func (s *Session) Duration() time.Duration { return s.End.Sub(s.Start) }

// Overlaps reports whether two scheduled sessions share any instant. Sessions
// that merely touch (one ends when the other starts) do not overlap.
func (s *Session) Overlaps(o *Session) bool {
	return s.Scheduled() && o.Scheduled() && s.Start.Before(o.End) && o.Start.Before(s.End)
}

// Validate reports the first problem with the session's fields.
func (s *Session) Validate() error {
	if err := CheckCode(s.Code); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(s.Title) == "":
		return Errorf(EINVALID, "Session %s: title is required.", s.Code)
	case !s.Type.Valid():
		return Errorf(EINVALID, "Session %s: unknown type %q.", s.Code, s.Type)
	case s.Level != 0 && (s.Level < 100 || s.Level > 400 || s.Level%100 != 0):
		return Errorf(EINVALID, "Session %s: level must be 100, 200, 300 or 400, not %d.", s.Code, s.Level)
	case s.Start.IsZero() != s.End.IsZero():
		return Errorf(EINVALID, "Session %s: start and end must both be set or both be empty.", s.Code)
	case s.Scheduled() && !s.End.After(s.Start):
		return Errorf(EINVALID, "Session %s: end %s is not after start %s.", s.Code, s.End.Format(time.RFC3339), s.Start.Format(time.RFC3339))
	case s.CapacityOverride < 0:
		return Errorf(EINVALID, "Session %s: capacity must not be negative.", s.Code)
	case s.Room != "" && s.Venue == "":
		return Errorf(EINVALID, "Session %s: room %q is given without a venue.", s.Code, s.Room)
	}
	if err := CheckTextFields(s.TextFields()); err != nil {
		return &Error{Code: EINVALID, Field: ErrorField(err), Message: fmt.Sprintf("Session %s: %s", s.Code, ErrorMessage(err))}
	}
	return nil
}

// SessionFilter selects sessions in a catalog search. Zero fields match
// everything. A facet with several values matches any of them; facets, and
// the query, must all match.
type SessionFilter struct {
	Query  string        // full text over code, title, abstract, speakers and topics, with synonyms
	Days   []string      // civil dates in the event's zone ("2019-12-03")
	Venues []string      // venue codes
	Types  []SessionType //
	Levels []int         // 100–400
	Topics []string      // exact topics, case-insensitive
	Sort   string        // SortRelevance (""), SortTime or SortTitle
	Offset int
	Limit  int
}

// The orders a catalog search can return. Relevance puts sessions with the
// query's words in their code, title or topics first, then time; with no
// query it is time.
const (
	SortRelevance = ""
	SortTime      = "time"
	SortTitle     = "title"
)
