package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// readVOCJSON reads a C3VOC schedule.json (pretalx, frab). It is
// schedule.xml written as JSON, so it decodes into the same schedule and maps
// with the same rules (see buildSchedule in frab.go).
func readVOCJSON(data []byte, opt Options, rep *Report) (*lanyard.Catalog, error) {
	var doc struct {
		Generator *struct {
			Name vocText `json:"name"`
		} `json:"generator"`
		Schedule *struct {
			Conference *struct {
				Acronym      vocText `json:"acronym"`
				Title        vocText `json:"title"`
				Start        vocText `json:"start"`
				End          vocText `json:"end"`
				DaysCount    vocText `json:"daysCount"`
				TimeZoneName vocText `json:"time_zone_name"`
				Days         []struct {
					Date     vocText         `json:"date"`
					DayStart vocText         `json:"day_start"`
					Rooms    json.RawMessage `json:"rooms"`
				} `json:"days"`
			} `json:"conference"`
		} `json:"schedule"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		record, field, reason := jsonProblem(data, err)
		return nil, reject(FormatVOCJSON, record, field, "%s", reason)
	}
	switch {
	case doc.Schedule == nil:
		return nil, reject(FormatVOCJSON, "file", "schedule", "no schedule object")
	case doc.Schedule.Conference == nil:
		return nil, reject(FormatVOCJSON, "file", "schedule.conference", "no conference object")
	case len(doc.Schedule.Conference.Days) == 0:
		return nil, reject(FormatVOCJSON, "file", "schedule.conference.days", "no days")
	}
	c := doc.Schedule.Conference
	s := &schedule{
		acronym: string(c.Acronym),
		title:   string(c.Title),
		zone:    string(c.TimeZoneName),
		start:   string(c.Start),
		end:     string(c.End),
		days:    string(c.DaysCount),
	}
	if doc.Generator != nil {
		s.generator = string(doc.Generator.Name)
	}
	for i, d := range c.Days {
		day := scheduleDay{date: string(d.Date), start: string(d.DayStart)}
		rooms, err := vocRooms(d.Rooms)
		if err != nil {
			return nil, reject(FormatVOCJSON, fmt.Sprintf("day %d", i+1), fmt.Sprintf("schedule.conference.days.%d.rooms", i), "%s", err.Error())
		}
		for _, r := range rooms {
			room := scheduleRoom{name: r.name}
			for _, raw := range r.events {
				room.events = append(room.events, vocEvent(raw))
			}
			day.rooms = append(day.rooms, room)
		}
		s.dayList = append(s.dayList, day)
	}
	return buildSchedule(FormatVOCJSON, s, opt, rep)
}

// vocEvent decodes one event. A record of the wrong shape comes back with
// bad set, so that it is skipped on its own rather than failing the file.
func vocEvent(raw []byte) scheduleEvent {
	var e struct {
		ID          vocText `json:"id"`
		Date        vocText `json:"date"`
		Start       vocText `json:"start"`
		Duration    vocText `json:"duration"`
		Slug        vocText `json:"slug"`
		URL         vocText `json:"url"`
		Title       vocText `json:"title"`
		Type        vocText `json:"type"`
		Track       vocText `json:"track"`
		Abstract    vocText `json:"abstract"`
		Description vocText `json:"description"`
		Persons     []struct {
			Name       vocText `json:"name"`
			PublicName vocText `json:"public_name"` // frab's; pretalx writes name
		} `json:"persons"`
	}
	if err := json.Unmarshal(raw, &e); err != nil {
		_, field, reason := jsonProblem(raw, err)
		// Keep what names the record, if that much can be read.
		var name struct {
			ID   vocText `json:"id"`
			Slug vocText `json:"slug"`
		}
		_ = json.Unmarshal(raw, &name) // a partial read is all it is for
		return scheduleEvent{id: string(name.ID), slug: string(name.Slug), bad: &Problem{Field: field, Reason: reason}}
	}
	out := scheduleEvent{
		id: string(e.ID), slug: string(e.Slug), url: string(e.URL),
		title: string(e.Title), typ: string(e.Type), track: string(e.Track),
		abstract: string(e.Abstract), description: string(e.Description),
		date: string(e.Date), start: string(e.Start), duration: string(e.Duration),
	}
	for _, p := range e.Persons {
		name := string(p.PublicName)
		if clean(name) == "" {
			name = string(p.Name)
		}
		out.persons = append(out.persons, name)
	}
	return out
}

type vocRoom struct {
	name   string
	events []json.RawMessage
}

// vocRooms decodes a day's rooms object, keeping the rooms in the file's
// order (a Go map would lose it, and the order is the one people know).
func vocRooms(raw json.RawMessage) ([]vocRoom, error) {
	if len(bytes.TrimSpace(raw)) == 0 || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("rooms is not an object of room name to events")
	}
	var rooms []vocRoom
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("rooms: %w", err)
		}
		r := vocRoom{name: t.(string)} // object keys are always strings
		if err := dec.Decode(&r.events); err != nil {
			return nil, fmt.Errorf("room %q is not an array of events", r.name)
		}
		rooms = append(rooms, r)
	}
	return rooms, nil
}

// vocText is a scalar read as text: real files write ids and counts as
// numbers or strings, and optional fields as null.
type vocText string

// UnmarshalJSON implements json.Unmarshaler.
func (t *vocText) UnmarshalJSON(b []byte) error {
	switch {
	case bytes.Equal(b, []byte("null")):
		*t = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = vocText(s)
	case b[0] == '{':
		return &json.UnmarshalTypeError{Value: "object", Type: reflect.TypeFor[string]()}
	case b[0] == '[':
		return &json.UnmarshalTypeError{Value: "array", Type: reflect.TypeFor[string]()}
	default: // a number, true or false
		*t = vocText(b)
	}
	return nil
}

// jsonProblem says where and why JSON could not be decoded: the line of a
// syntax error, the field of a value of the wrong type.
func jsonProblem(data []byte, err error) (record, field, reason string) {
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		line := bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n")) + 1
		return "line " + strconv.Itoa(line), "", "not valid JSON: " + se.Error()
	}
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		field := te.Field
		if field == "" {
			field = "schedule"
		}
		line := bytes.Count(data[:min(int(te.Offset), len(data))], []byte("\n")) + 1
		want := map[reflect.Kind]string{reflect.Slice: "an array", reflect.Struct: "an object", reflect.Map: "an object", reflect.String: "text"}[te.Type.Kind()]
		if want == "" {
			want = te.Type.Kind().String()
		}
		return "line " + strconv.Itoa(line), field, fmt.Sprintf("a JSON %s where %s was expected", te.Value, want)
	}
	return "file", "", "cannot read as JSON: " + err.Error()
}
