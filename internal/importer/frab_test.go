package importer

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/realdata"
)

// mustReadScheduleData reads a published schedule from ../shared/data/schedules.
func mustReadScheduleData(tb testing.TB, name string) []byte {
	tb.Helper()
	return realdata.Read(tb, filepath.Join("schedules", name))
}

// mustReadSchedule imports data in format f and fails the test on an error.
func mustReadSchedule(tb testing.TB, data []byte, f Format, opt Options) (*lanyard.Catalog, *Report) {
	tb.Helper()
	cat, rep, err := Read(bytes.NewReader(data), f, opt)
	if err != nil {
		tb.Fatalf("Read: %v", err)
	}
	return cat, rep
}

// findSession returns the session with the given code.
func findSession(tb testing.TB, cat *lanyard.Catalog, code string) lanyard.Session {
	tb.Helper()
	for _, s := range cat.Sessions {
		if s.Code == code {
			return s
		}
	}
	tb.Fatalf("no session %q", code)
	return lanyard.Session{}
}

// hasProblem reports whether the report has a problem with the given
// record prefix and field whose reason contains text.
func hasProblem(rep *Report, record, field, text string, skipped bool) bool {
	for _, p := range rep.Problems {
		if strings.HasPrefix(p.Record, record) && p.Field == field && strings.Contains(p.Reason, text) && p.Skipped == skipped {
			return true
		}
	}
	return false
}

func TestReadFrabXMLFOSDEM(t *testing.T) {
	data := mustReadScheduleData(t, "fosdem-2026.schedule.xml")
	if got, want := mustDetect(t, data), FormatFrabXML; got != want {
		t.Fatalf("Detect=%q, want %q", got, want)
	}
	cat, rep := mustReadSchedule(t, data, FormatAuto, Options{})

	if got, want := rep.Records, 883; got != want {
		t.Errorf("Records=%d, want %d", got, want)
	}
	if got, want := rep.Imported+rep.Skipped, 883; got != want {
		t.Errorf("Imported+Skipped=%d, want %d", got, want)
	}
	if got, want := len(cat.Sessions), rep.Imported; got != want {
		t.Errorf("len(Sessions)=%d, want Imported %d", got, want)
	}
	if got, want := cat.Event, (lanyard.Event{Slug: "fosdem-2026", Name: "FOSDEM 2026", TimeZone: "Europe/Brussels", StartDate: "2026-01-31", Days: 2}); got != want {
		t.Errorf("Event=%+v, want %+v", got, want)
	}
	if got, want := len(cat.Venues), 1; got != want {
		t.Fatalf("len(Venues)=%d, want %d", got, want)
	}
	if got, want := len(cat.Venues[0].Rooms), 30; got != want {
		t.Errorf("rooms=%d, want %d", got, want)
	}
	// FOSDEM files its talks as "devroom" and "maintrack": talks, not unknowns.
	if hasProblem(rep, "", "type", "unknown type", false) {
		t.Errorf("unexpected unknown type in %v", rep.Problems)
	}

	for _, s := range cat.Sessions {
		if err := s.Validate(); err != nil {
			t.Errorf("session %s: %v", s.Code, err)
		}
		if strings.Contains(s.Abstract, "<p>") || strings.Contains(s.Abstract, "&lt;") || strings.Contains(s.Abstract, "&amp;") {
			t.Errorf("session %s: HTML left in abstract %.80q", s.Code, s.Abstract)
		}
		if len(s.Code) > 64 {
			t.Errorf("session %s: code longer than 64", s.Code)
		}
	}

	s := findSession(t, cat, "SFKNTZ-welcome_to_fosdem_2026")
	if got, want := s.Start, time.Date(2026, 1, 31, 8, 30, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Start=%v, want %v", got, want)
	}
	if got, want := s.End, time.Date(2026, 1, 31, 8, 50, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("End=%v, want %v", got, want)
	}
	if got, want := s.Abstract, "FOSDEM welcome and opening talk."; got != want {
		t.Errorf("Abstract=%q, want %q", got, want)
	}
	if got, want := s.Room, "Janson"; got != want {
		t.Errorf("Room=%q, want %q", got, want)
	}
	if got, want := s.Type, lanyard.TypeSession; got != want {
		t.Errorf("Type=%q, want %q", got, want)
	}

	// The abstract is "&lt;p&gt;… algorithms &amp;amp; data …" in the file:
	// escaped HTML that itself escapes the ampersand.
	office := findSession(t, cat, "VZXKQW-officesuitechallenges")
	if got, want := office.Abstract, "Why Office is not as easy as you might hope. Come and hear about office algorithms & data structures,"; !strings.HasPrefix(got, want) {
		t.Errorf("Abstract=%.120q, want prefix %q", got, want)
	}
	if !strings.Contains(office.Abstract, "Office experience.\n\nHear how") {
		t.Errorf("Abstract=%.300q, want paragraphs kept", office.Abstract)
	}
}

func mustDetect(tb testing.TB, data []byte) Format {
	tb.Helper()
	f, err := Detect(data)
	if err != nil {
		tb.Fatalf("Detect: %v", err)
	}
	return f
}

func TestReadFrabXMLNoDates(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "frab_no_dates.xml"))
	if err != nil {
		t.Fatal(err)
	}
	cat, rep := mustReadSchedule(t, data, FormatFrabXML, Options{TimeZone: "Europe/Amsterdam"})

	if got, want := cat.Event, (lanyard.Event{Slug: "night-con", Name: "Night Con", TimeZone: "Europe/Amsterdam", StartDate: "2025-06-06", Days: 2}); got != want {
		t.Errorf("Event=%+v, want %+v", got, want)
	}
	if got, want := [3]int{rep.Records, rep.Imported, rep.Skipped}, [3]int{6, 4, 2}; got != want {
		t.Errorf("Records, Imported, Skipped=%v, want %v; problems %v", got, want, rep.Problems)
	}
	if hasProblem(rep, "conference", "time_zone_name", "", false) {
		t.Errorf("doubted the zone the caller named: %v", rep.Problems)
	}

	opening := findSession(t, cat, "nightcon-opening")
	if got, want := opening.Start, time.Date(2025, 6, 6, 20, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("opening Start=%v, want %v", got, want)
	}
	if got, want := opening.Abstract, "Tea & cake.\n\n- one\n- two\n\nPlain text, where a<b is not a tag."; got != want {
		t.Errorf("opening Abstract=%q, want %q", got, want)
	}
	if got, want := len(opening.Speakers), 1; got != want {
		t.Errorf("opening speakers=%d, want %d (a blank person is dropped)", got, want)
	}
	if got, want := strings.Join(opening.Topics, ","), "Main"; got != want {
		t.Errorf("opening Topics=%q, want %q", got, want)
	}

	// 00:30 on the day of 2025-06-06, which began at 18:00, is the night
	// after: 2025-06-07 00:30 in Amsterdam.
	night := findSession(t, cat, "nightcon-after-midnight")
	if got, want := night.Start, time.Date(2025, 6, 6, 22, 30, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("after-midnight Start=%v, want %v", got, want)
	}
	if got, want := night.Type, lanyard.TypeOther; got != want {
		t.Errorf("after-midnight Type=%q, want %q", got, want)
	}

	findSession(t, cat, "E3") // no slug: "E" and the id
	if got, want := findSession(t, cat, "E6").Title, "Same slug as the opening"; got != want {
		t.Errorf("E6 Title=%q, want %q", got, want)
	}

	for _, p := range []struct {
		record, field, text string
		skipped             bool
	}{
		{"#4 nightcon-bad-duration", "duration", "not HH:MM", true},
		{"#5 nightcon-no-time", "date", "no date and no start", true},
		{"#2 nightcon-after-midnight", "type", `unknown type "concert" on 2 records`, false},
		{"rooms", "capacity", "capacity 0", false},
	} {
		if !hasProblem(rep, p.record, p.field, p.text, p.skipped) {
			t.Errorf("no problem %+v in %v", p, rep.Problems)
		}
	}
	unknown := 0
	for _, p := range rep.Problems {
		if p.Field == "type" {
			unknown++
		}
	}
	if got, want := unknown, 1; got != want {
		t.Errorf("type problems=%d, want %d (once per type, not per record)", got, want)
	}
}

func TestReadFrabXMLZoneGuess(t *testing.T) {
	const doc = `<schedule><conference><acronym>zone</acronym><title>Zone</title><start>2025-01-10</start><days>1</days>%s</conference>
<day date="2025-01-10"><room name="A"><event id="1"><date>2025-01-10T10:00:00%s</date><duration>00:30</duration><slug>zone-talk</slug><title>Talk</title><type>talk</type></event></room></day></schedule>`
	tests := []struct {
		name, zoneElem, offset string
		opt                    Options
		wantZone, wantDoubt    string
	}{
		{"named", "<time_zone_name>Asia/Tokyo</time_zone_name>", "+09:00", Options{TimeZone: "Europe/Paris"}, "Asia/Tokyo", ""},
		{"option", "", "+09:00", Options{TimeZone: "Asia/Tokyo"}, "Asia/Tokyo", ""},
		{"plus one", "", "+01:00", Options{}, "Europe/Berlin", "Europe/Berlin was assumed"},
		{"other offset", "", "+09:00", Options{}, "UTC", "offset +09:00, but UTC was assumed"},
		{"unknown name", "<time_zone_name>Mars/Olympus</time_zone_name>", "Z", Options{}, "UTC", `unknown time zone "Mars/Olympus"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(strings.Replace(strings.Replace(doc, "%s", tt.zoneElem, 1), "%s", tt.offset, 1))
			cat, rep := mustReadSchedule(t, data, FormatFrabXML, tt.opt)
			if got, want := cat.Event.TimeZone, tt.wantZone; got != want {
				t.Errorf("TimeZone=%q, want %q", got, want)
			}
			if got, want := hasProblem(rep, "conference", "time_zone_name", tt.wantDoubt, false), tt.wantDoubt != ""; got != want {
				t.Errorf("zone doubt %q: %v, want %v; problems %v", tt.wantDoubt, got, want, rep.Problems)
			}
			// Whatever the zone, the instant is the one the file wrote.
			s := findSession(t, cat, "zone-talk")
			want, _ := time.Parse(time.RFC3339, "2025-01-10T10:00:00"+tt.offset)
			if !s.Start.Equal(want) {
				t.Errorf("Start=%v, want %v", s.Start, want)
			}
		})
	}
}

func TestReadScheduleMalformed(t *testing.T) {
	tests := []struct {
		name         string
		format       Format
		data         string
		record, fld  string
		reasonSubstr string
	}{
		{"xml syntax", FormatFrabXML, "<schedule>\n<conference>\n<title>x</title>\n</schedule>", "line 4", "", "not well-formed"},
		{"xml root", FormatFrabXML, "<timetable><day/></timetable>", "file", "schedule", "<timetable>"},
		{"xml no conference", FormatFrabXML, "<schedule><day date='2025-01-01'/></schedule>", "file", "conference", "no <conference>"},
		{"xml no day", FormatFrabXML, "<schedule><conference><acronym>abcd</acronym></conference></schedule>", "file", "day", "no <day>"},
		{"xml no start date", FormatFrabXML, "<schedule><conference><acronym>abcd</acronym></conference><day/></schedule>", "conference", "start", "no start date"},
		{"xml bad option zone", FormatFrabXML, "<schedule><conference><acronym>abcd</acronym></conference><day date='2025-01-01'/></schedule>", "options", "time zone", "Nowhere/Land"},
		{"json syntax", FormatVOCJSON, "{\"schedule\":\n{\"conference\": [}}", "line 2", "", "not valid JSON"},
		{"json array", FormatVOCJSON, `[{"schedule": {}}]`, "line 1", "schedule", "a JSON array where an object was expected"},
		{"json schedule string", FormatVOCJSON, `{"schedule": "soon"}`, "line 1", "schedule", "a JSON string where an object was expected"},
		{"json no schedule", FormatVOCJSON, `{"conference": {}}`, "file", "schedule", "no schedule"},
		{"json no conference", FormatVOCJSON, `{"schedule": {"version": "1"}}`, "file", "schedule.conference", "no conference"},
		{"json no days", FormatVOCJSON, `{"schedule": {"conference": {"acronym": "abcd", "days": []}}}`, "file", "schedule.conference.days", "no days"},
		{"json days object", FormatVOCJSON, `{"schedule": {"conference": {"acronym": "abcd", "days": {}}}}`, "line 1", "schedule.conference.days", "a JSON object where an array was expected"},
		{"json rooms array", FormatVOCJSON, `{"schedule": {"conference": {"acronym": "abcd", "days": [{"date": "2025-01-01", "rooms": []}]}}}`, "day 1", "schedule.conference.days.0.rooms", "not an object"},
		{"json room not list", FormatVOCJSON, `{"schedule": {"conference": {"acronym": "abcd", "days": [{"date": "2025-01-01", "rooms": {"A": {}}}]}}}`, "day 1", "schedule.conference.days.0.rooms", `room "A" is not an array`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := Options{}
			if strings.Contains(tt.name, "option") {
				opt.TimeZone = "Nowhere/Land"
			}
			cat, rep, err := Read(strings.NewReader(tt.data), tt.format, opt)
			if cat != nil || rep != nil {
				t.Errorf("Read returned a catalog or report with an error")
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err=%v, want *Error", err)
			}
			if got, want := len(e.Problems), 1; got != want {
				t.Fatalf("problems=%d, want %d", got, want)
			}
			p := e.Problems[0]
			if p.Record != tt.record || p.Field != tt.fld || !strings.Contains(p.Reason, tt.reasonSubstr) {
				t.Errorf("problem=%+v, want record %q, field %q, reason with %q", p, tt.record, tt.fld, tt.reasonSubstr)
			}
			if got, want := lanyard.ErrorCode(err), lanyard.EINVALID; got != want {
				t.Errorf("ErrorCode=%q, want %q", got, want)
			}
		})
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", ""},
		{"plain", "  Line one\r\nline two  ", "Line one\nline two"},
		{"plain entity", "Q&amp;A, AT&T", "Q&A, AT&T"},
		{"plain less-than", "if a<b then 1 < 2", "if a<b then 1 < 2"},
		{"markdown autolink", "see <https://example.org>", "see <https://example.org>"},
		{"paragraphs", "<p>One\n  two.</p>\n<p>Three &amp; <em>four</em>.</p>", "One two.\n\nThree & four."},
		{"break and rule", "a<br>b<hr/>c", "a\nb\n\nc"},
		{"list", "<ul>\n<li>x</li>\n<li>y <a href=\"https://e.org\">link</a></li>\n</ul>", "- x\n- y link"},
		{"script hidden", "<p>Hi</p><script>alert(1)</script><style>p{}</style>", "Hi"},
		{"pre kept", "<pre>a\n  b</pre>", "a\nb"},
		{"nbsp", "<p>a&nbsp;b</p>", "a\u00a0b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := plainText(tt.in); got != tt.want {
				t.Errorf("plainText(%q)=%q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"00:30", 30 * time.Minute, true},
		{"0:45", 45 * time.Minute, true},
		{"01:30:15", 90*time.Minute + 15*time.Second, true},
		{"25:00", 25 * time.Hour, true},
		{"00:00", 0, false},
		{"00:60", 0, false},
		{"00:5", 0, false},
		{"30", 0, false},
		{"", 0, false},
		{"-1:00", 0, false},
		{"PT30M", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseDuration(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("parseDuration(%q)=%v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
			}
		})
	}
}

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"33c3", "33c3"},
		{"fosdem-2026", "fosdem-2026"},
		{"fosdem_2026", "fosdem-2026"},
		{"  Night  Con! ", "night-con"},
		{"Ünïcode", "n-code"},
		{"---", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := slugify(tt.in); got != tt.want {
				t.Errorf("slugify(%q)=%q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
