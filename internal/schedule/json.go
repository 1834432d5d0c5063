package schedule

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// The schedule.json objects, with the names of the C3VOC JSON schema.
// Properties the schema requires are never omitted, even when empty.
type (
	jsonDoc struct {
		Generator jsonGenerator `json:"generator"`
		Schedule  jsonSchedule  `json:"schedule"`
	}
	jsonGenerator struct {
		Name string `json:"name"`
	}
	jsonSchedule struct {
		Version    string         `json:"version"`
		BaseURL    string         `json:"base_url"`
		Conference jsonConference `json:"conference"`
	}
	jsonConference struct {
		Acronym          string     `json:"acronym"`
		Title            string     `json:"title"`
		Start            string     `json:"start"`
		End              string     `json:"end"`
		DaysCount        int        `json:"daysCount"`
		TimeslotDuration string     `json:"timeslot_duration"`
		TimeZoneName     string     `json:"time_zone_name,omitempty"`
		Rooms            []jsonRoom `json:"rooms"`
		Days             []jsonDay  `json:"days"`
	}
	jsonRoom struct {
		Name     string `json:"name"`
		GUID     string `json:"guid"`
		Capacity int    `json:"capacity,omitempty"`
	}
	jsonDay struct {
		Index    int          `json:"index"`
		Date     string       `json:"date"`
		DayStart string       `json:"day_start"`
		DayEnd   string       `json:"day_end"`
		Rooms    jsonDayRooms `json:"rooms"`
	}
	jsonEvent struct {
		GUID     string       `json:"guid"`
		ID       int64        `json:"id"`
		Date     string       `json:"date"`
		Start    string       `json:"start"`
		End      string       `json:"end"`
		Duration string       `json:"duration"`
		Room     string       `json:"room"`
		Slug     string       `json:"slug"`
		URL      string       `json:"url"`
		Title    string       `json:"title"`
		Subtitle string       `json:"subtitle"`
		Track    string       `json:"track"`
		Type     string       `json:"type"`
		Language string       `json:"language"`
		Abstract string       `json:"abstract"`
		Persons  []jsonPerson `json:"persons"`
		Links    []struct{}   `json:"links"`
	}
	// jsonPerson is a pretalx person (a name) that also carries frab's
	// public_name, which older apps read. It has no id, so that it matches
	// exactly one of the schema's two person shapes.
	jsonPerson struct {
		Name       string `json:"name"`
		PublicName string `json:"public_name"`
	}
)

// jsonDayRooms is a day's rooms: an object of room name to events, written
// in the plan's room order (a Go map would sort the names).
type jsonDayRooms []planDayRoom

// MarshalJSON implements json.Marshaler.
func (rs jsonDayRooms) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // as WriteJSON: the caller's setting does not reach in here
	b.WriteByte('{')
	for i, r := range rs {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := enc.Encode(r.name); err != nil {
			return nil, err
		}
		b.WriteByte(':')
		events := make([]jsonEvent, 0, len(r.events))
		for _, e := range r.events {
			events = append(events, jsonEvent{
				GUID:     e.guid,
				ID:       e.id,
				Date:     e.start.Format(time.RFC3339),
				Start:    e.start.Format("15:04"),
				End:      e.end.Format(time.RFC3339),
				Duration: e.duration,
				Room:     e.room,
				Slug:     e.slug,
				URL:      e.url,
				Title:    e.title,
				Track:    e.track,
				Type:     e.typ,
				Language: "en",
				Abstract: e.abstract,
				Persons:  jsonPersons(e.persons),
				Links:    []struct{}{},
			})
		}
		if err := enc.Encode(events); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func jsonPersons(names []string) []jsonPerson {
	ps := make([]jsonPerson, 0, len(names))
	for _, n := range names {
		ps = append(ps, jsonPerson{Name: n, PublicName: n})
	}
	return ps
}

// WriteJSON writes the scheduled sessions of c as a C3VOC schedule.json.
// Returns EINVALID if opt.BaseURL is not an absolute http(s) URL or the
// event's zone or dates are invalid.
func WriteJSON(w io.Writer, c *lanyard.Catalog, opt Options) error {
	p, err := newPlan(c, opt)
	if err != nil {
		return fmt.Errorf("schedule: write json: %w", err)
	}
	doc := jsonDoc{
		Generator: jsonGenerator{Name: "lanyard"},
		Schedule: jsonSchedule{
			Version: p.version,
			BaseURL: p.baseURL + "/",
			Conference: jsonConference{
				Acronym:          p.acronym,
				Title:            p.title,
				Start:            p.start,
				End:              p.end,
				DaysCount:        len(p.days),
				TimeslotDuration: p.timeslot,
				Rooms:            []jsonRoom{},
				Days:             []jsonDay{},
			},
		},
	}
	if zonePattern.MatchString(p.zone) {
		doc.Schedule.Conference.TimeZoneName = p.zone
	}
	for _, r := range p.rooms {
		doc.Schedule.Conference.Rooms = append(doc.Schedule.Conference.Rooms, jsonRoom{Name: r.name, GUID: r.guid, Capacity: r.capacity})
	}
	for _, d := range p.days {
		doc.Schedule.Conference.Days = append(doc.Schedule.Conference.Days, jsonDay{
			Index:    d.index,
			Date:     d.date,
			DayStart: d.start.Format(time.RFC3339),
			DayEnd:   d.end.Format(time.RFC3339),
			Rooms:    jsonDayRooms(d.rooms),
		})
	}

	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // abstracts are text; "<" is not a threat in a file
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("schedule: write json: %w", err)
	}
	return nil
}
