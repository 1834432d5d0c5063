package message

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Params are a kind's template parameters, as typed structs. Every field
// encodes as a JSON string, so a struct is exactly a message row's params
// (a map of strings): times as RFC 3339 UTC instants, numbers with the
// ",string" option, lists as JSON text in one string (Repeats).

// Zones name where times are written: the venue's IANA zone and the
// attendee's home zone ("" or the same zone writes one time).
type Zones struct {
	VenueZone string `json:"venue_zone,omitempty"`
	HomeZone  string `json:"home_zone,omitempty"`
}

// AccountParams are the params of KindInvitation and
// KindEmailVerification: Link is the absolute set-password or verification
// URL (it carries a token only the writer knows).
type AccountParams struct {
	Event   string    `json:"event,omitempty"`
	Name    string    `json:"name,omitempty"`
	Link    string    `json:"link"`
	Expires time.Time `json:"expires,omitzero"` // when the link stops working
	Zones
}

// PromotedParams are the params of KindWaitlistPromoted. The engine writes
// Code and Title; the rest are optional.
type PromotedParams struct {
	Code  string    `json:"code"`
	Title string    `json:"title"`
	Start time.Time `json:"start,omitzero"`
	End   time.Time `json:"end,omitzero"`
	Room  string    `json:"room,omitempty"`
	Zones
}

// WaveParams are the params of KindWaveReleased: Seats seats of the
// session were released at Start's session; Reserved says whether this
// attendee got one (served from the waitlist first), else they may reserve
// one now.
type WaveParams struct {
	Code     string    `json:"code"`
	Title    string    `json:"title"`
	Seats    int       `json:"seats,string"`
	Reserved bool      `json:"reserved,string"`
	Start    time.Time `json:"start,omitzero"`
	End      time.Time `json:"end,omitzero"`
	Zones
}

// LineCalledParams are the params of KindLineCalled: the walk-up line of
// the session called the attendee, who has until Until (Minutes after the
// call) to scan in at Room's door. The engine writes all but the times of
// the session and the zones.
type LineCalledParams struct {
	Code    string    `json:"code"`
	Title   string    `json:"title"`
	Room    string    `json:"room,omitempty"`
	Until   time.Time `json:"until"`
	Minutes int       `json:"minutes,string"`
	Start   time.Time `json:"start,omitzero"`
	End     time.Time `json:"end,omitzero"`
	Zones
}

// PartyCancelledParams are the params of KindPartyCancelled: the party
// (or dinner) a guest said yes to, which its host cancelled. Host is the
// hosting exhibitor's name ("" for the organizers).
type PartyCancelledParams struct {
	Code     string    `json:"code"`
	Title    string    `json:"title"`
	Start    time.Time `json:"start,omitzero"`
	Location string    `json:"location,omitempty"`
	Host     string    `json:"host,omitempty"`
	Zones
}

// Change says what happened to a held session.
type Change string

// Session changes.
const (
	ChangeMoved     Change = "moved"     // new time or room
	ChangeCancelled Change = "cancelled" // the session will not take place
	// A lowered capacity took the attendee's seat (theirs was among the
	// latest reservations): released, or moved to the waitlist.
	ChangeSeatReleased   Change = "seat_released"
	ChangeSeatWaitlisted Change = "seat_waitlisted"
)

// ChangedParams are the params of KindSessionChanged: the session's old
// and new time and room, and the repeats that would fit the attendee's
// agenda.
type ChangedParams struct {
	Code     string    `json:"code"`
	Title    string    `json:"title"`
	Change   Change    `json:"change"`
	OldStart time.Time `json:"old_start,omitzero"`
	OldEnd   time.Time `json:"old_end,omitzero"`
	OldRoom  string    `json:"old_room,omitempty"`
	Start    time.Time `json:"start,omitzero"` // zero when cancelled
	End      time.Time `json:"end,omitzero"`
	Room     string    `json:"room,omitempty"`
	Repeats  Repeats   `json:"repeats,omitempty"`
	Zones
}

// Repeat is another run of a session.
type Repeat struct {
	Code  string    `json:"code"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	Room  string    `json:"room,omitempty"`
}

// Repeats encode as one string param holding a JSON list.
type Repeats []Repeat

// MarshalJSON writes the list as a JSON string of JSON text.
func (r Repeats) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal([]Repeat(r))
	if err != nil {
		return nil, err
	}
	return json.Marshal(string(b))
}

// UnmarshalJSON reads what MarshalJSON writes.
func (r *Repeats) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	return json.Unmarshal([]byte(s), (*[]Repeat)(r))
}

// AnnouncementParams are the params of KindAnnouncement: the organizer's
// words in both languages (one may be empty: the other is shown), and the
// unsubscribe link (a path or URL; "" links to the settings).
type AnnouncementParams struct {
	SubjectEn   string `json:"subject_en"`
	BodyEn      string `json:"body_en"`
	SubjectKo   string `json:"subject_ko"`
	BodyKo      string `json:"body_ko"`
	Unsubscribe string `json:"unsubscribe,omitempty"`
}

// Encode returns p (one of the params structs) as a message row's params.
func Encode(p any) (map[string]string, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("message: encode params: %w", err)
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("message: encode params: %T has a field that is not a string: %w", p, err)
	}
	return m, nil
}

// Decode reads a message row's params into p, a pointer to a params struct.
func Decode(m map[string]string, p any) error {
	b, _ := json.Marshal(m) // a map of strings always encodes
	if err := json.Unmarshal(b, p); err != nil {
		return fmt.Errorf("message: decode params: %w", err)
	}
	return nil
}

// WithZones returns m with the zones times are written in set where its
// writer left them out: the engine's batch knows neither the venue's zone
// (cheaply) nor the attendee's home; delivery and the app do.
func WithZones(m lanyard.Message, z Zones) lanyard.Message {
	return with(m, map[string]string{"venue_zone": z.VenueZone, "home_zone": z.HomeZone})
}

// WithSession returns m with the session's time and room set where its
// writer left them out (a promotion carries only the session's code and
// title): delivery looks the session up by code in its catalog.
func WithSession(m lanyard.Message, start, end time.Time, room string) lanyard.Message {
	add := map[string]string{"room": room}
	if !start.IsZero() {
		add["start"] = start.UTC().Format(time.RFC3339)
	}
	if !end.IsZero() {
		add["end"] = end.UTC().Format(time.RFC3339)
	}
	return with(m, add)
}

// with copies m's params (shared with whoever holds m) and adds the
// non-empty values of add whose keys are missing.
func with(m lanyard.Message, add map[string]string) lanyard.Message {
	p := make(map[string]string, len(m.Params)+len(add))
	for k, v := range m.Params {
		p[k] = v
	}
	for k, v := range add {
		if _, ok := p[k]; !ok && v != "" {
			p[k] = v
		}
	}
	m.Params = p
	return m
}
