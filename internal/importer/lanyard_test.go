package importer

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// problemKeys lists problems as "record|field", the part tests pin down.
func problemKeys(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Record+"|"+p.Field)
	}
	return out
}

func TestReadLanyardJSONRoundTrip(t *testing.T) {
	data := mustReadFixture(t, "lanyard_catalog.json")
	cat, rep := mustImport(t, data, FormatAuto, Options{})
	if got, want := rep.Format, FormatLanyardJSON; got != want {
		t.Fatalf("Format=%q, want %q", got, want)
	}
	if rep.Records != 3 || rep.Imported != 3 || len(rep.Problems) != 0 {
		t.Errorf("report=%+v, want 3 records imported without problems", rep)
	}
	if got, want := len(cat.Venues), 2; got != want {
		t.Errorf("venues=%d, want %d", got, want)
	}
	if got, want := cat.Travel, []lanyard.TravelTime{{From: "aria", To: "mgm", WalkMinutes: 25, ShuttleMinutes: 15}, {From: "mgm", To: "aria", WalkMinutes: 25, ShuttleMinutes: 20}}; !slices.Equal(got, want) {
		t.Errorf("travel=%v, want %v", got, want)
	}
	s := mustSession(t, cat, "ARC319-R1")
	// 16:00 in -08:00 is midnight UTC, and is held as UTC.
	if got, want := s.Start, time.Date(2019, 12, 5, 0, 0, 0, 0, time.UTC); got != want {
		t.Errorf("Start=%v, want %v", got, want)
	}
	if s.CapacityOverride != 10 || s.Venue != "aria" || len(s.Speakers) != 1 || s.Speakers[0].Company != "AWS" {
		t.Errorf("ARC319-R1=%+v", s)
	}
	if k := mustSession(t, cat, "KEY01"); k.Scheduled() || k.Reservable || k.Type != lanyard.TypeKeynote {
		t.Errorf("KEY01=%+v, want an unscheduled, unreservable keynote", k)
	}

	out, err := json.MarshalIndent(cat, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := mustImport(t, out, FormatLanyardJSON, Options{})
	if !reflect.DeepEqual(again, cat) {
		t.Errorf("round trip changed the catalog:\n%s", out)
	}
}

func TestReadLanyardJSONMalformed(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []string // record|field of every problem
	}{
		{"lanyard_bad_syntax.json", []string{"file|"}},
		{"lanyard_unknown_field.json", []string{"venue #1 aria|rooms[1].seats", "session #2 ARC319-R2|speaker_notes"}},
		{"lanyard_bad_level.json", []string{"session #2 ARC319-R2|level"}},
		{"lanyard_end_before_start.json", []string{"session #1 ARC319-R1|end"}},
		{"lanyard_unknown_room.json", []string{"session #2 ARC319-R2|room"}},
		{"lanyard_duplicate_code.json", []string{"session #3 ARC319-R1|code"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			e := mustReject(t, mustReadFixture(t, tc.file), FormatAuto, Options{})
			if got, want := e.Format, FormatLanyardJSON; got != want {
				t.Errorf("Format=%q, want %q", got, want)
			}
			if got := problemKeys(e.Problems); !slices.Equal(got, tc.want) {
				t.Errorf("problems=%v, want %v\n%v", got, tc.want, e)
			}
		})
	}
	e := mustReject(t, mustReadFixture(t, "lanyard_bad_syntax.json"), FormatLanyardJSON, Options{})
	if got, want := e.Problems[0].Reason, "line 8, column 5"; !strings.Contains(got, want) {
		t.Errorf("syntax reason=%q, want it to contain %q", got, want)
	}
	e = mustReject(t, mustReadFixture(t, "lanyard_duplicate_code.json"), FormatLanyardJSON, Options{})
	if got, want := e.Problems[0].Reason, "session #1's"; !strings.Contains(got, want) {
		t.Errorf("duplicate reason=%q, want it to contain %q", got, want)
	}
}

// TestReadLanyardJSONAllProblems checks that a strict read reports every
// problem in the file, not only the first.
func TestReadLanyardJSONAllProblems(t *testing.T) {
	data := []byte(`{
		"event": {"slug": "", "name": "X", "time_zone": "Mars/Base", "start_date": "2019-12-02", "days": 0},
		"venues": [
			{"code": "aria", "name": "Aria", "rooms": [{"name": "A", "capacity": -1}, {"name": "A", "capacity": 5}]},
			{"code": "aria", "name": "", "rooms": []}
		],
		"travel_times": [{"from": "aria", "to": "wynn", "walk_minutes": -5, "shuttle_minutes": 0}],
		"sessions": [
			{"code": "S1", "title": "T", "type": "talk", "level": "high", "start": "tomorrow", "end": "2019-12-02T10:00:00Z", "venue": "wynn", "reservable": true},
			{"Code": "S2", "code": "S2", "title": "", "type": "session", "capacity_override": -3, "capacity": -1, "room": "A", "speakers": [{"name": "A", "bio": "?"}]},
			null,
			{"code": "S3", "title": "T", "type": "session", "start": "2019-12-02T10:00:00Z"}
		],
		"extra": 1
	}`)
	e := mustReject(t, data, FormatLanyardJSON, Options{})
	want := []string{
		"file|extra",
		"event|slug",
		"event|days",
		"event|time_zone",
		"venue #1 aria|rooms[0].capacity",
		"venue #1 aria|rooms[1].name",
		"venue #2 aria|code",
		"venue #2 aria|name",
		"travel time #1 aria-wynn|to",
		"travel time #1 aria-wynn|walk_minutes",
		"session #1 S1|level",
		"session #1 S1|start",
		"session #1 S1|type",
		"session #1 S1|venue",
		"session #2 S2|Code",
		"session #2 S2|speakers[0].bio",
		"session #2 S2|title",
		"session #2 S2|capacity_override",
		"session #2 S2|venue",
		"session #2 S2|capacity",
		"session #3|",
		"session #4 S3|end",
	}
	if got := problemKeys(e.Problems); !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, p := range e.Problems {
		if !p.Skipped || p.Reason == "" {
			t.Errorf("problem %+v: want skipped with a reason", p)
		}
	}
}

func TestReadLanyardJSONShape(t *testing.T) {
	for _, tc := range []struct {
		name, data, field, reason string
	}{
		{"array", `[{"event": {}}]`, "", "JSON array at line 1, column 1"},
		{"null", `null`, "", "null"},
		{"trailing", `{"event": {}} {}`, "", "after top-level value"},
		{"venues not a list", `{"venues": 5}`, "venues", "JSON number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := mustReject(t, []byte(tc.data), FormatLanyardJSON, Options{})
			p := e.Problems[0]
			if p.Record != "file" || p.Field != tc.field || !strings.Contains(p.Reason, tc.reason) {
				t.Errorf("problem=%+v, want file, field %q, reason containing %q", p, tc.field, tc.reason)
			}
		})
	}
	// No event at all.
	e := mustReject(t, []byte(`{"venues": [], "sessions": []}`), FormatLanyardJSON, Options{})
	if got, want := problemKeys(e.Problems), []string{"event|"}; !slices.Equal(got, want) {
		t.Errorf("problems=%v, want %v", got, want)
	}
}

func TestSessionIssues(t *testing.T) {
	ok := lanyard.Session{Code: "A1", Title: "T", Type: lanyard.TypeSession}
	at := time.Date(2019, 12, 2, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		change func(*lanyard.Session)
		fields []string
	}{
		{"valid", func(*lanyard.Session) {}, nil},
		{"no code", func(s *lanyard.Session) { s.Code = " " }, []string{"code"}},
		{"long code", func(s *lanyard.Session) { s.Code = strings.Repeat("x", 65) }, []string{"code"}},
		{"no title", func(s *lanyard.Session) { s.Title = "" }, []string{"title"}},
		{"bad type", func(s *lanyard.Session) { s.Type = "Chalk Talk" }, []string{"type"}},
		{"level 50", func(s *lanyard.Session) { s.Level = 50 }, []string{"level"}},
		{"level 500", func(s *lanyard.Session) { s.Level = 500 }, []string{"level"}},
		{"only start", func(s *lanyard.Session) { s.Start = at }, []string{"end"}},
		{"only end", func(s *lanyard.Session) { s.End = at }, []string{"start"}},
		{"end at start", func(s *lanyard.Session) { s.Start, s.End = at, at }, []string{"end"}},
		{"negative override", func(s *lanyard.Session) { s.CapacityOverride = -1 }, []string{"capacity_override"}},
		{"room without venue", func(s *lanyard.Session) { s.Room = "A" }, []string{"venue"}},
		{"several", func(s *lanyard.Session) { s.Title, s.Level = "", 7 }, []string{"title", "level"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := ok
			tc.change(&s)
			var got []string
			for _, is := range sessionIssues(&s) {
				got = append(got, is.field)
			}
			if !slices.Equal(got, tc.fields) {
				t.Errorf("fields=%v, want %v", got, tc.fields)
			}
			// Whatever Validate refuses, sessionIssues reports.
			if (s.Validate() != nil) != (len(got) > 0) {
				t.Errorf("Validate=%v but issues=%v", s.Validate(), got)
			}
		})
	}
}

func TestUnknownFields(t *testing.T) {
	raw := []byte(`{"code": "A", "Title": "x", "speakers": [{"name": "a"}, {"name": "b", "bio": "c"}], "start": "", "x": {"y": 1}}`)
	var got []string
	for _, is := range unknownFields(raw, reflect.TypeFor[sessionFile]()) {
		got = append(got, is.field)
	}
	if want := []string{"Title", "speakers[1].bio", "x"}; !slices.Equal(got, want) {
		t.Errorf("unknown=%v, want %v", got, want)
	}
	if got := unknownFields([]byte(`[1]`), reflect.TypeFor[lanyard.Session]()); got != nil {
		t.Errorf("unknown in a non-object=%v, want none", got)
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		in   string
		want Format
	}{
		{`{"schedule":{"version":"1"}}`, FormatVOCJSON},
		{`{"event":{"name":"schedule"},"sessions":[{"title":"schedule"}]}`, FormatLanyardJSON},
		{`{"$schema":"x","schedule":{}}`, FormatVOCJSON},
		{` <?xml version="1.0"?><schedule/>`, FormatFrabXML},
		{`[{"abbr":"A-1"}]`, FormatReinvent},
		{`[{"code":"A1"}]`, FormatReinvent2025},
		{"code,title,type\n", FormatLanyardCSV},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Detect([]byte(tt.in))
			if err != nil || got != tt.want {
				t.Fatalf("Detect=%q,%v, want %q", got, err, tt.want)
			}
		})
	}
	if _, err := Detect([]byte("  ")); err == nil {
		t.Fatal("empty input detected as a format")
	}
}
