package importer

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// hostileTitle is the title the import was probed with: a bidi override, a
// NUL and 200,000 characters.
var hostileTitle = "\u202e\x00" + strings.Repeat("x", 200_000)

// Strict formats refuse bad text and bad codes, naming the record and field.
func TestStrictFormatsRefuseText(t *testing.T) {
	jsonCatalog := func(code, title string) []byte {
		c, _ := json.Marshal(code)
		ti, _ := json.Marshal(title)
		return fmt.Appendf(nil, `{"event": {"slug": "e", "name": "E", "time_zone": "UTC", "start_date": "2025-01-01", "days": 1},
			"venues": [], "travel_times": [], "sessions": [{"code": %s, "title": %s, "abstract": "", "type": "session", "topics": [], "speakers": [], "reservable": true}]}`, c, ti)
	}
	csvSessions := func(code, title string) []byte {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.WriteAll([][]string{{"code", "title", "type"}, {code, title, "session"}})
		return b.Bytes()
	}
	tests := []struct {
		name   string
		format Format
		data   []byte
		field  string
	}{
		{"json title", FormatLanyardJSON, jsonCatalog("A1", hostileTitle), "title"},
		{"json title zero-width", FormatLanyardJSON, jsonCatalog("A1", "\u200b"), "title"},
		{"json code path", FormatLanyardJSON, jsonCatalog("../../etc/passwd", "T"), "code"},
		{"json code query", FormatLanyardJSON, jsonCatalog("a b/c?d#e", "T"), "code"},
		{"csv title", FormatLanyardCSV, csvSessions("A1", "Ti\x1btle"), "title"},
		{"json code with an escape", FormatLanyardJSON, jsonCatalog("A\x1b[2J", "T"), "code"},
		{"csv code path", FormatLanyardCSV, csvSessions("../../etc/passwd", "T"), "code"},
		{"csv code query", FormatLanyardCSV, csvSessions("a b/c?d#e", "T"), "code"},
		{"csv speaker", FormatLanyardCSV, []byte("code,title,type,speakers\nA1,T,session,Ada\u202eLovelace\n"), "speakers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := mustReject(t, tt.data, tt.format, Options{})
			found := false
			for _, p := range e.Problems {
				found = found || p.Field == tt.field
				if lanyard.CheckText("record", p.Record, lanyard.TextRule{}) != nil {
					t.Errorf("problem record %q holds what a terminal would act on", p.Record)
				}
			}
			if !found {
				t.Errorf("problems %v name no field %q", e.Problems, tt.field)
			}
		})
	}
}

// Lenient formats import the record cleaned, or skip it, and report it.
func TestLenientFormatsCleanText(t *testing.T) {
	title, _ := json.Marshal(hostileTitle)
	ok, _ := json.Marshal("Fine \u200fعلي")
	doc := fmt.Sprintf(`{"schedule": {"version": "1", "conference": {"acronym": "odd", "title": "Odd\u202e", "start": "2025-01-01", "daysCount": 1, "time_zone_name": "UTC",
"days": [{"date": "2025-01-01", "rooms": {"Hall\u0000 A": [
 {"id": 1, "date": "2025-01-01T10:00:00Z", "duration": "00:30", "slug": "odd-1", "title": %s, "type": "talk", "abstract": "one\u0007\ntwo"},
 {"id": 2, "date": "2025-01-01T11:00:00Z", "duration": "00:30", "slug": "odd-2\"><svg onload=alert(1)>", "title": %s, "type": "talk"},
 {"id": 3, "date": "2025-01-01T12:00:00Z", "duration": "00:30", "slug": "odd-3", "title": "\u200b", "type": "talk"}
]}}]}}}`, title, ok)
	cat, rep := mustReadSchedule(t, []byte(doc), FormatVOCJSON, Options{})
	if got, want := len(cat.Sessions), 2; got != want {
		t.Fatalf("sessions=%d, want %d; problems %v", got, want, rep.Problems)
	}
	s := cat.Sessions[0]
	if got, want := s.Title, strings.Repeat("x", lanyard.RuleTitle.Max); got != want {
		t.Errorf("title is %d characters starting %q, want %d x's", utf8.RuneCountInString(got), got[:min(len(got), 8)], lanyard.RuleTitle.Max)
	}
	if got, want := s.Abstract, "one\ntwo"; got != want {
		t.Errorf("abstract=%q, want %q", got, want)
	}
	if got, want := s.Room, "Hall A"; got != want {
		t.Errorf("room=%q, want %q", got, want)
	}
	if got, want := cat.Venues[0].Rooms[0].Name, "Hall A"; got != want {
		t.Errorf("venue room=%q, want %q", got, want)
	}
	if got, want := cat.Event.Name, "Odd"; got != want {
		t.Errorf("event name=%q, want %q", got, want)
	}
	if got, want := cat.Sessions[1].Code, "odd-2-svg-onload-alert-1"; got != want {
		t.Errorf("code=%q, want %q", got, want)
	}
	if got, want := cat.Sessions[1].Title, "Fine \u200fعلي"; got != want {
		t.Errorf("title=%q, want %q (RLM is allowed)", got, want)
	}
	for _, p := range []struct {
		record, field, text string
		skipped             bool
	}{
		{"#1", "title", "bidirectional override", false},
		{"#1", "abstract", "control character", false},
		{"#2", "slug", `imported as "odd-2-svg-onload-alert-1"`, false},
		{"#3", "title", "visible character", true},
		{"conference", "title", "bidirectional override", false},
	} {
		if !hasProblem(rep, p.record, p.field, p.text, p.skipped) {
			t.Errorf("no problem %+v in %v", p, rep.Problems)
		}
	}
	for _, s := range cat.Sessions {
		if err := s.Validate(); err != nil {
			t.Errorf("imported session does not validate: %v", err)
		}
	}
	for _, p := range rep.Problems {
		if lanyard.CheckText("record", p.Record, lanyard.TextRule{}) != nil {
			t.Errorf("report record %q holds what a terminal would act on", p.Record)
		}
	}
}

func TestLenientFormatsSafeCodes(t *testing.T) {
	data := []byte(`[{"abbr": "../../etc/passwd", "title": "T", "start": "2019-12-02T08:00:00", "times": "Monday, Dec 2, 8:00 AM - 9:00 AM"},
		{"abbr": "ARC301", "title": "Ti\u0000tle", "abstract": "\u202eA", "start": "2019-12-02T08:00:00", "times": "Monday, Dec 2, 8:00 AM - 9:00 AM"}]`)
	cat, rep := mustImport(t, data, FormatReinvent, Options{})
	if got, want := len(cat.Sessions), 2; got != want {
		t.Fatalf("sessions=%d, want %d; problems %v", got, want, rep.Problems)
	}
	if got, want := cat.Sessions[0].Code, "etc-passwd"; got != want {
		t.Errorf("code=%q, want %q", got, want)
	}
	if got, want := cat.Sessions[1].Title+"|"+cat.Sessions[1].Abstract, "Title|A"; got != want {
		t.Errorf("title|abstract=%q, want %q", got, want)
	}
	if !hasProblem(rep, "#1", "abbr", `imported as "etc-passwd"`, false) || !hasProblem(rep, "#2", "title", "control character", false) {
		t.Errorf("problems %v do not report the cleaning", rep.Problems)
	}
}

// A frab slug that would be markup becomes a safe code, reported; a title
// with a bidi override is cleaned.
func TestFrabXMLSafeCode(t *testing.T) {
	const doc = `<?xml version="1.0" encoding="UTF-8"?>
<schedule><version>1</version>
  <conference><acronym>x</acronym><title>X</title><start>2025-06-06</start><end>2025-06-06</end><time_zone_name>UTC</time_zone_name></conference>
  <day index="1" date="2025-06-06"><room name="Hall">
    <event id="1"><date>2025-06-06T10:00:00Z</date><duration>00:30</duration>
      <slug>x-1&quot;&gt;&lt;svg onload=alert(1)&gt;</slug><title>&#x202E;Talk</title><type>Talk</type></event>
  </room></day>
</schedule>`
	cat, rep := mustReadSchedule(t, []byte(doc), FormatFrabXML, Options{})
	if len(cat.Sessions) != 1 {
		t.Fatalf("sessions %d, problems %v", len(cat.Sessions), rep.Problems)
	}
	s := cat.Sessions[0]
	if got, want := s.Code+"|"+s.Title, "x-1-svg-onload-alert-1|Talk"; got != want {
		t.Errorf("code|title = %q, want %q", got, want)
	}
	if !hasProblem(rep, "#1", "slug", "not a safe session code", false) || !hasProblem(rep, "#1", "title", "bidirectional", false) {
		t.Errorf("problems %v do not report the code and the title", rep.Problems)
	}
}
