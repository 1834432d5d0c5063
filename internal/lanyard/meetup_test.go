package lanyard

import (
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var meetupNow = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

func goodMeetup() Meetup {
	start := meetupNow.Add(72 * time.Hour)
	return Meetup{Title: "Korean speakers", Language: "ko", Topic: "AWSKRUG", PlaceKind: MeetupBar, Venue: "venetian", Place: "Lobby bar",
		Start: start, End: start.Add(time.Hour), Cap: 10}
}

func TestMeetupValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(m *Meetup)
		field string
	}{
		{"good", func(*Meetup) {}, ""},
		{"trimmed title", func(m *Meetup) { m.Title = "  Hi all  " }, ""},
		{"short title", func(m *Meetup) { m.Title = "Hi" }, "title"},
		{"two-line title", func(m *Meetup) { m.Title = "Hi\nall" }, "title"},
		{"long title", func(m *Meetup) { m.Title = strings.Repeat("가", 101) }, "title"},
		{"100 Korean letters", func(m *Meetup) { m.Title = strings.Repeat("가", 100) }, ""},
		{"invalid UTF-8", func(m *Meetup) { m.Title = "bad \xff title" }, "title"},
		{"language", func(m *Meetup) { m.Language = "klingon" }, "language"},
		{"no venue", func(m *Meetup) { m.Venue = "" }, "venue"},
		{"no place", func(m *Meetup) { m.Place = "" }, "place"},
		{"pin", func(m *Meetup) { m.PlaceKind, m.Venue, m.Lat, m.Lng = MeetupPin, "", 36.11, -115.17 }, ""},
		{"pin at 0,0", func(m *Meetup) { m.PlaceKind = MeetupPin }, "lat"},
		{"pin off the globe", func(m *Meetup) { m.PlaceKind, m.Lat, m.Lng = MeetupPin, 91, 0 }, "lat"},
		{"pin NaN", func(m *Meetup) { m.PlaceKind, m.Lat, m.Lng = MeetupPin, math.NaN(), 1 }, "lat"},
		{"kind", func(m *Meetup) { m.PlaceKind = "castle" }, "place_kind"},
		{"past", func(m *Meetup) { m.Start, m.End = meetupNow.Add(-time.Hour), meetupNow }, "start"},
		{"too short", func(m *Meetup) { m.End = m.Start.Add(10 * time.Minute) }, "minutes"},
		{"too long", func(m *Meetup) { m.End = m.Start.Add(9 * time.Hour) }, "minutes"},
		{"cap 1", func(m *Meetup) { m.Cap = 1 }, "cap"},
		{"cap 501", func(m *Meetup) { m.Cap = 501 }, "cap"},
		{"long topic", func(m *Meetup) { m.Topic = strings.Repeat("x", 61) }, "topic"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := goodMeetup()
			tc.edit(&m)
			err := m.Validate(meetupNow)
			if got := ErrorField(err); got != tc.field || (tc.field == "") != (err == nil) {
				t.Fatalf("Validate = %v (field %q), want field %q", err, got, tc.field)
			}
			if err != nil && ErrorCode(err) != EINVALID {
				t.Fatalf("code %s", ErrorCode(err))
			}
		})
	}
}

// FuzzMeetupValidate: whatever the fields, Validate never panics, and a
// meetup it accepts keeps every rule.
func FuzzMeetupValidate(f *testing.F) {
	f.Add("Korean speakers", "ko", "AWSKRUG", "bar", "venetian", "Lobby bar", 0.0, 0.0, int64(60), 10)
	f.Add("Run", "en", "", "pin", "", "Fountains", 36.1, -115.1, int64(45), 25)
	f.Add("x\x00y", "zz", "t", "room", "v", "R", math.Inf(1), math.NaN(), int64(-5), -1)
	f.Fuzz(func(t *testing.T, title, lang, topic, kind, venue, place string, lat, lng float64, minutes int64, capacity int) {
		start := meetupNow.Add(24 * time.Hour)
		m := Meetup{Title: title, Language: lang, Topic: topic, PlaceKind: kind, Venue: venue, Place: place, Lat: lat, Lng: lng,
			Start: start, End: start.Add(time.Duration(minutes) * time.Minute), Cap: capacity}
		if m.Validate(meetupNow) != nil {
			return
		}
		if n := utf8.RuneCountInString(m.Title); n < 3 || n > 100 || strings.ContainsAny(m.Title, "\n\r\t\x00") || !utf8.ValidString(m.Title) {
			t.Fatalf("accepted title %q", m.Title)
		}
		if m.Cap < MeetupMinCap || m.Cap > MeetupMaxCap || m.Minutes() < MeetupMinMinutes || m.Minutes() > MeetupMaxMinutes {
			t.Fatalf("accepted cap %d, %d minutes", m.Cap, m.Minutes())
		}
		if !isMeetupLanguage(m.Language) || m.Place == "" || (m.PlaceKind != MeetupPin && m.Venue == "") {
			t.Fatalf("accepted %+v", m)
		}
		if m.PlaceKind == MeetupPin && (math.IsNaN(m.Lat) || math.Abs(m.Lat) > 90 || math.Abs(m.Lng) > 180) {
			t.Fatalf("accepted pin %v,%v", m.Lat, m.Lng)
		}
	})
}
