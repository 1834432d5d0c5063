package importer

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

func TestRead33C3(t *testing.T) {
	tests := []struct {
		file   string
		format Format
	}{
		{"ccc-33c3.frab.schedule.xml", FormatFrabXML},
		{"ccc-33c3.frab.schedule.json", FormatVOCJSON},
	}
	cats := make([]*lanyard.Catalog, len(tests))
	for i, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data := mustReadScheduleData(t, tt.file)
			if got, want := mustDetect(t, data), tt.format; got != want {
				t.Fatalf("Detect=%q, want %q", got, want)
			}
			cat, rep := mustReadSchedule(t, data, FormatAuto, Options{})
			cats[i] = cat

			if got, want := [3]int{rep.Records, rep.Imported, rep.Skipped}, [3]int{150, 150, 0}; got != want {
				t.Errorf("Records, Imported, Skipped=%v, want %v; problems %v", got, want, rep.Problems)
			}
			if got, want := cat.Event, (lanyard.Event{Slug: "33c3", Name: "33. Chaos Communication Congress", TimeZone: "Europe/Berlin", StartDate: "2016-12-27", Days: 4}); got != want {
				t.Errorf("Event=%+v, want %+v", got, want)
			}
			var rooms []string
			for _, r := range cat.Venues[0].Rooms {
				rooms = append(rooms, r.Name)
			}
			if got, want := strings.Join(rooms, ","), "Saal 1,Saal 2,Saal G,Saal 6,dradio"; got != want {
				t.Errorf("rooms=%q, want %q", got, want)
			}
			// No zone name, only +01:00 offsets: a guess, and said so.
			if !hasProblem(rep, "conference", "time_zone_name", "Europe/Berlin", false) {
				t.Errorf("no doubt about the guessed zone in %v", rep.Problems)
			}
			if !hasProblem(rep, "#", "type", `unknown type "performance" on 3 records`, false) {
				t.Errorf("no doubt about the performance type in %v", rep.Problems)
			}

			// Dated 2016-12-28T00:15:00+01:00 but listed under the day before.
			s := findSession(t, cat, "33c3-8116-nicht_offentlich")
			if got, want := s.Start, time.Date(2016, 12, 27, 23, 15, 0, 0, time.UTC); !got.Equal(want) {
				t.Errorf("after-midnight Start=%v, want %v", got, want)
			}
			// Slugs longer than 64 characters give way to the id.
			long := findSession(t, cat, "E8288")
			if got, want := long.Title, "Bonsai Kitten waren mir lieber - Rechte Falschmeldungen in sozialen Netzwerken"; got != want {
				t.Errorf("E8288 Title=%q, want %q", got, want)
			}
		})
	}
	if t.Failed() {
		return
	}

	// The two files are the same schedule, and must import as the same sessions.
	xml, json := cats[0].Sessions, cats[1].Sessions
	if got, want := len(json), len(xml); got != want {
		t.Fatalf("JSON sessions=%d, XML %d", got, want)
	}
	for i := range xml {
		x, j := xml[i], json[i]
		if x.Code != j.Code || !x.Start.Equal(j.Start) || !x.End.Equal(j.End) || x.Room != j.Room || x.Title != j.Title || x.Type != j.Type ||
			!slices.Equal(x.Topics, j.Topics) || !slices.Equal(x.Speakers, j.Speakers) {
			t.Errorf("session %d differs:\nXML  %s %v–%v %q %q %s\nJSON %s %v–%v %q %q %s", i,
				x.Code, x.Start, x.End, x.Room, x.Title, x.Type, j.Code, j.Start, j.End, j.Room, j.Title, j.Type)
		}
		// The JSON writes \r\n where the XML parser gives \n; both import as \n.
		if x.Abstract != j.Abstract {
			t.Errorf("session %s: abstracts differ:\nXML  %.100q\nJSON %.100q", x.Code, x.Abstract, j.Abstract)
		}
	}
}

func TestReadVOCJSONDemocon(t *testing.T) {
	data := mustReadScheduleData(t, "voc-schedule__json_examples_pretalx-democon.json")
	cat, rep := mustReadSchedule(t, data, FormatAuto, Options{})

	if got, want := rep.Format, FormatVOCJSON; got != want {
		t.Errorf("Format=%q, want %q", got, want)
	}
	if got, want := [3]int{rep.Records, rep.Imported, rep.Skipped}, [3]int{36, 36, 0}; got != want {
		t.Errorf("Records, Imported, Skipped=%v, want %v; problems %v", got, want, rep.Problems)
	}
	if got, want := cat.Event, (lanyard.Event{Slug: "democon", Name: "DemoCon", TimeZone: "UTC", StartDate: "2020-12-14", Days: 3}); got != want {
		t.Errorf("Event=%+v, want %+v", got, want)
	}
	if got, want := len(cat.Venues[0].Rooms), 2; got != want {
		t.Errorf("rooms=%d, want %d", got, want)
	}
	s := findSession(t, cat, "democon-25-focused-5thgeneration-hardware")
	if got, want := s.Start, time.Date(2020, 12, 14, 8, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Start=%v, want %v", got, want)
	}
	if got, want := s.Speakers, []lanyard.Speaker{{Name: "Brian Robinson"}}; !slices.Equal(got, want) {
		t.Errorf("Speakers=%v, want %v", got, want)
	}
	for _, s := range cat.Sessions {
		if s.Type != lanyard.TypeSession && s.Type != lanyard.TypeWorkshop {
			t.Errorf("session %s: Type=%q, want session or workshop", s.Code, s.Type)
		}
	}
}

func TestReadVOCJSONOddRecords(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "voc_odd_records.json"))
	if err != nil {
		t.Fatal(err)
	}
	cat, rep := mustReadSchedule(t, data, FormatVOCJSON, Options{})

	if got, want := [3]int{rep.Records, rep.Imported, rep.Skipped}, [3]int{6, 2, 4}; got != want {
		t.Errorf("Records, Imported, Skipped=%v, want %v; problems %v", got, want, rep.Problems)
	}
	if got, want := cat.Event.Days, 1; got != want {
		t.Errorf("Days=%d, want %d (daysCount as a string)", got, want)
	}
	var rooms []string
	for _, r := range cat.Venues[0].Rooms {
		rooms = append(rooms, r.Name)
	}
	if got, want := strings.Join(rooms, ","), "Zeta,Alpha"; got != want {
		t.Errorf("rooms=%q, want %q (the file's order)", got, want)
	}
	first := findSession(t, cat, "oddcon-first")
	if got, want := first.Speakers, []lanyard.Speaker{{Name: "Pretalx Person"}, {Name: "Frab Person"}}; !slices.Equal(got, want) {
		t.Errorf("Speakers=%v, want %v", got, want)
	}
	if got, want := first.End.Sub(first.Start), 45*time.Minute; got != want {
		t.Errorf("duration=%v, want %v", got, want)
	}
	if got, want := len(first.Topics), 0; got != want {
		t.Errorf("Topics=%v for a null track", first.Topics)
	}
	findSession(t, cat, "oddcon-last")

	for _, p := range []struct {
		record, field, text string
		skipped             bool
	}{
		{"#2 oddcon-object-title", "title", "a JSON object where text was expected", true},
		{"#3 oddcon-bad-date", "date", `"March 1st" is not a date`, true},
		{"#4 oddcon-zero", "duration", "not positive", true},
		{"#5 oddcon-persons", "persons", "a JSON string where an array was expected", true},
		{"#6 oddcon-last", "type", `unknown type "meetup"`, false},
		{"conference", "time_zone_name", "offset +02:00, but UTC was assumed", false},
	} {
		if !hasProblem(rep, p.record, p.field, p.text, p.skipped) {
			t.Errorf("no problem %+v in %v", p, rep.Problems)
		}
	}
}

// lanyard's own exports carry the session code in each event's URL, and
// importing one gives back the codes, whatever the slugs say.
func TestReadScheduleLanyardCodes(t *testing.T) {
	const doc = `{"generator": {"name": "%s"}, "schedule": {"version": "1", "conference": {"acronym": "lany", "title": "L", "start": "2025-01-01", "daysCount": 1, "time_zone_name": "UTC",
"days": [{"date": "2025-01-01", "rooms": {"A": [
 {"id": 1, "date": "2025-01-01T10:00:00Z", "duration": "00:30", "slug": "lany-arc301-r1", "url": "https://l.example/sessions/ARC301-R1", "title": "T1", "type": "talk"},
 {"id": 2, "date": "2025-01-01T11:00:00Z", "duration": "00:30", "slug": "lany-a-b", "url": "https://l.example/sessions/A%%2FB%%20C", "title": "T2", "type": "talk"},
 {"id": 3, "date": "2025-01-01T12:00:00Z", "duration": "00:30", "slug": "lany-other", "url": "https://l.example/talks/X", "title": "T3", "type": "talk"}
]}}]}}}`
	tests := []struct {
		generator string
		want      []string
	}{
		{"lanyard", []string{"ARC301-R1", "A-B-C", "lany-other"}}, // "A/B C" is not a safe code
		{"frab", []string{"lany-arc301-r1", "lany-a-b", "lany-other"}},
	}
	for _, tt := range tests {
		t.Run(tt.generator, func(t *testing.T) {
			data := []byte(strings.ReplaceAll(strings.Replace(doc, "%s", tt.generator, 1), "%%", "%"))
			cat, _ := mustReadSchedule(t, data, FormatVOCJSON, Options{})
			var got []string
			for _, s := range cat.Sessions {
				got = append(got, s.Code)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("codes=%q, want %q", got, tt.want)
			}
		})
	}
}
