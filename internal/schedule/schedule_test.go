package schedule

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/lanyardhq/lanyard/internal/importer"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/realdata"
	"github.com/lanyardhq/lanyard/internal/testenv"
)

// schedulesDir returns ../shared/data/schedules: the published schedules
// and the schemas they follow.
func schedulesDir(tb testing.TB) string {
	tb.Helper()
	return filepath.Dir(realdata.Path(tb, "schedules/voc-schedule__json_schema.json"))
}

// mustValidateXML checks data against the C3VOC XSD with xmllint.
func mustValidateXML(tb testing.TB, data []byte) {
	tb.Helper()
	xmllint := testenv.LookPath(tb, "xmllint", "apt-get install libxml2-utils to check exports against the XSD")
	file := filepath.Join(tb.TempDir(), "schedule.xml")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		tb.Fatal(err)
	}
	xsd := filepath.Join(schedulesDir(tb), "voc-schedule__xsd_schedule.xml.xsd")
	if out, err := exec.Command(xmllint, "--noout", "--schema", xsd, file).CombinedOutput(); err != nil {
		tb.Fatalf("xmllint: %v\n%.3000s", err, out)
	}
}

// mustValidateJSON checks data against the C3VOC JSON schema.
func mustValidateJSON(tb testing.TB, data []byte) {
	tb.Helper()
	const id = "https://c3voc.de/schedule/schema.json" // the schema's $id
	f, err := os.Open(filepath.Join(schedulesDir(tb), "voc-schedule__json_schema.json"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		tb.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(id, doc); err != nil {
		tb.Fatal(err)
	}
	sch, err := c.Compile(id)
	if err != nil {
		tb.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("export is not JSON: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		tb.Fatalf("export does not meet the JSON schema: %.3000v", err)
	}
}

// writers are the two exports, by name.
var writers = []struct {
	name     string
	write    func(*bytes.Buffer, *lanyard.Catalog, Options) error
	validate func(testing.TB, []byte)
}{
	{"xml", func(b *bytes.Buffer, c *lanyard.Catalog, o Options) error { return WriteXML(b, c, o) }, mustValidateXML},
	{"json", func(b *bytes.Buffer, c *lanyard.Catalog, o Options) error { return WriteJSON(b, c, o) }, mustValidateJSON},
}

var testOptions = Options{BaseURL: "https://demo.example/", Version: "2025-11-30T12:00:00Z"}

// testCatalog is a small catalog with what an export must get right: two
// venues with a room name in common, a session past midnight, one without a
// room, one unscheduled, codes that are no slugs and two that make the same
// slug, and speakers and topics.
func testCatalog(tb testing.TB) *lanyard.Catalog {
	tb.Helper()
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		tb.Fatal(err)
	}
	at := func(day, hour, minute int) time.Time { return time.Date(2025, 12, day, hour, minute, 0, 0, loc).UTC() }
	return &lanyard.Catalog{
		Event: lanyard.Event{Slug: "demo-2025", Name: "Demo & Co <2025>", TimeZone: "America/Los_Angeles", StartDate: "2025-12-01", Days: 3},
		Venues: []lanyard.Venue{
			{Code: "venetian", Name: "Venetian", Rooms: []lanyard.Room{{Name: "Ballroom A", Capacity: 500}, {Name: "Ballroom B", Capacity: 200}}},
			{Code: "mirage", Name: "Mirage", Rooms: []lanyard.Room{{Name: "Ballroom A", Capacity: 300}}},
		},
		Sessions: []lanyard.Session{
			{ID: 11, Code: "ARC301-R1", Title: "Queues", Abstract: "Why queues & caches fail.\n\nSecond paragraph.", Type: lanyard.TypeSession,
				Topics: []string{"Architecture", "Serverless"}, Speakers: []lanyard.Speaker{{Name: "Ada Lovelace"}, {Name: "Grace Hopper", Company: "Navy"}},
				Venue: "venetian", Room: "Ballroom A", Start: at(1, 9, 0), End: at(1, 10, 0), Reservable: true},
			{Code: "ARC301-R2", Title: "Queues (repeat)", Type: lanyard.TypeWorkshop, Venue: "mirage", Room: "Ballroom A", Start: at(2, 23, 30), End: at(3, 0, 30)},
			{Code: "a_1", Title: "After midnight", Type: lanyard.TypeOther, Venue: "venetian", Room: "Ballroom B", Start: at(3, 1, 0), End: at(3, 1, 45)},
			{Code: "A.1", Title: "Chalk", Abstract: "Compare a<b with <em>markup</em> & &amp; as they are.", Type: lanyard.TypeChalk, Venue: "venetian", Room: "Ballroom B", Start: at(1, 14, 0), End: at(1, 15, 0)},
			{Code: "NOROOM-1", Title: "Somewhere", Type: lanyard.TypeKeynote, Start: at(1, 8, 0), End: at(1, 8, 45)},
			{Code: "UNSCHED", Title: "Not yet", Type: lanyard.TypeSession},
			{Code: "sfkntz-welcome_to_demo", Title: "Welcome", Type: lanyard.TypeBuilders, Venue: "mirage", Room: "Ballroom A", Start: at(3, 9, 0), End: at(3, 9, 20)},
			{Code: "X/Y 1", Title: "Odd code", Type: lanyard.TypeSession, Venue: "mirage", Room: "Ballroom A", Start: at(3, 10, 0), End: at(3, 10, 30)},
		},
	}
}

// mustImportFile imports one of the published schedules.
func mustImportFile(tb testing.TB, name string) *lanyard.Catalog {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(schedulesDir(tb), name))
	if err != nil {
		tb.Fatal(err)
	}
	return mustImport(tb, data)
}

func mustImport(tb testing.TB, data []byte) *lanyard.Catalog {
	tb.Helper()
	cat, _, err := importer.Read(bytes.NewReader(data), importer.FormatAuto, importer.Options{})
	if err != nil {
		tb.Fatalf("importer.Read: %v", err)
	}
	return cat
}

func TestExportValidates(t *testing.T) {
	catalogs := []struct {
		name    string
		catalog func(testing.TB) *lanyard.Catalog
	}{
		{"hand-built", testCatalog},
		{"fosdem-2026", func(tb testing.TB) *lanyard.Catalog { return mustImportFile(tb, "fosdem-2026.schedule.xml") }},
		{"33c3", func(tb testing.TB) *lanyard.Catalog { return mustImportFile(tb, "ccc-33c3.frab.schedule.json") }},
	}
	for _, c := range catalogs {
		cat := c.catalog(t)
		for _, w := range writers {
			t.Run(c.name+"/"+w.name, func(t *testing.T) {
				var b bytes.Buffer
				if err := w.write(&b, cat, testOptions); err != nil {
					t.Fatalf("write: %v", err)
				}
				// The same catalog gives the same bytes, guids included.
				var again bytes.Buffer
				if err := w.write(&again, cat, testOptions); err != nil {
					t.Fatalf("write: %v", err)
				}
				if !bytes.Equal(b.Bytes(), again.Bytes()) {
					t.Errorf("two exports of one catalog differ")
				}
				// Last, as it may skip when the validator is missing.
				w.validate(t, b.Bytes())
			})
		}
	}
}

// An export imports again as the sessions it was made of: same codes, same
// instants, same titles and rooms.
func TestExportRoundTrip(t *testing.T) {
	catalogs := []struct {
		name    string
		catalog func(testing.TB) *lanyard.Catalog
	}{
		{"hand-built", testCatalog},
		{"fosdem-2026", func(tb testing.TB) *lanyard.Catalog { return mustImportFile(tb, "fosdem-2026.schedule.xml") }},
	}
	for _, c := range catalogs {
		cat := c.catalog(t)
		var want []lanyard.Session
		for _, s := range cat.Sessions {
			if s.Scheduled() {
				want = append(want, s)
			}
		}
		for _, w := range writers {
			t.Run(c.name+"/"+w.name, func(t *testing.T) {
				var b bytes.Buffer
				if err := w.write(&b, cat, testOptions); err != nil {
					t.Fatalf("write: %v", err)
				}
				got := mustImport(t, b.Bytes())

				if got, want := got.Event, cat.Event; got.Slug != want.Slug || got.TimeZone != want.TimeZone || got.StartDate != want.StartDate || got.Days != want.Days {
					t.Errorf("Event=%+v, want %+v", got, want)
				}
				if got, want := len(got.Sessions), len(want); got != want {
					t.Fatalf("sessions=%d, want %d", got, want)
				}
				byCode := map[string]lanyard.Session{}
				for _, s := range got.Sessions {
					byCode[s.Code] = s
				}
				for _, w := range want {
					// A code from before codes had a safe alphabet ("X/Y 1")
					// comes back as the safe code derived from it.
					code := w.Code
					if lanyard.CheckCode(code) != nil {
						code = lanyard.CleanCode(code)
					}
					g, ok := byCode[code]
					switch {
					case !ok:
						t.Errorf("session %q lost", w.Code)
					case !g.Start.Equal(w.Start) || !g.End.Equal(w.End):
						t.Errorf("session %q: %v–%v, want %v–%v", w.Code, g.Start, g.End, w.Start, w.End)
					case g.Title != w.Title || g.Type != w.Type || g.Abstract != w.Abstract:
						t.Errorf("session %q: title, type, abstract %q %q %.40q, want %q %q %.40q", w.Code, g.Title, g.Type, g.Abstract, w.Title, w.Type, w.Abstract)
					case !strings.HasSuffix(g.Room, w.Room):
						t.Errorf("session %q: room %q, want one named after %q", w.Code, g.Room, w.Room)
					}
				}
			})
		}
	}
}

// TestExportLayout checks the JSON export of the hand-built catalog in
// detail; the XML is built from the same plan.
func TestExportLayout(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, testCatalog(t), testOptions); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Generator struct{ Name string }
		Schedule  struct {
			Version    string
			Conference struct {
				Acronym          string
				TimeZoneName     string `json:"time_zone_name"`
				TimeslotDuration string `json:"timeslot_duration"`
				Rooms            []struct {
					Name     string
					Capacity int
				}
				Days []struct {
					Index    int
					Date     string
					DayStart string `json:"day_start"`
					Rooms    map[string][]struct {
						ID       int64
						GUID     string
						Date     string
						Duration string
						Slug     string
						URL      string
						Type     string
						Track    string
						Persons  []struct{ Name string }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	conf := doc.Schedule.Conference
	if got, want := doc.Generator.Name, "lanyard"; got != want {
		t.Errorf("generator=%q, want %q", got, want)
	}
	if got, want := doc.Schedule.Version, testOptions.Version; got != want {
		t.Errorf("version=%q, want %q", got, want)
	}
	if got, want := conf.Acronym, "demo_2025"; got != want {
		t.Errorf("acronym=%q, want %q", got, want)
	}
	if got, want := conf.TimeZoneName, "America/Los_Angeles"; got != want {
		t.Errorf("time_zone_name=%q, want %q", got, want)
	}
	// Starts on the quarter hour, a 20-minute session: a 5-minute grid.
	if got, want := conf.TimeslotDuration, "00:05"; got != want {
		t.Errorf("timeslot_duration=%q, want %q", got, want)
	}
	var rooms []string
	for _, r := range conf.Rooms {
		rooms = append(rooms, r.Name)
	}
	if got, want := rooms, []string{"Venetian – Ballroom A", "Venetian – Ballroom B", "Mirage – Ballroom A", "TBA"}; !slices.Equal(got, want) {
		t.Errorf("rooms=%q, want %q", got, want)
	}
	if got, want := conf.Rooms[0].Capacity, 500; got != want {
		t.Errorf("capacity=%d, want %d", got, want)
	}
	if got, want := len(conf.Days), 3; got != want {
		t.Fatalf("days=%d, want %d", got, want)
	}
	if got, want := conf.Days[0].DayStart, "2025-12-01T04:00:00-08:00"; got != want {
		t.Errorf("day_start=%q, want %q", got, want)
	}

	type placed struct {
		day  int
		room string
	}
	where := map[string]placed{} // by code, from the URL
	slugs := map[string]string{} // by code
	ids := map[string]int64{}    // by code
	n := 0
	for _, d := range conf.Days {
		for room, events := range d.Rooms {
			for _, e := range events {
				n++
				code := strings.TrimPrefix(e.URL, "https://demo.example/sessions/")
				where[code] = placed{d.Index, room}
				slugs[code] = e.Slug
				ids[code] = e.ID
				if code == "ARC301-R1" {
					if got, want := e.Type, "talk"; got != want {
						t.Errorf("ARC301-R1 type=%q, want %q", got, want)
					}
					if got, want := e.Track, "Architecture"; got != want {
						t.Errorf("ARC301-R1 track=%q, want %q", got, want)
					}
					if got, want := len(e.Persons), 2; got != want {
						t.Errorf("ARC301-R1 persons=%d, want %d", got, want)
					}
					if got, want := e.Date, "2025-12-01T09:00:00-08:00"; got != want {
						t.Errorf("ARC301-R1 date=%q, want %q", got, want)
					}
					if got, want := e.Duration, "01:00"; got != want {
						t.Errorf("ARC301-R1 duration=%q, want %q", got, want)
					}
				}
			}
		}
	}
	if got, want := n, 7; got != want {
		t.Errorf("events=%d, want %d (the unscheduled one left out)", got, want)
	}
	for code, want := range map[string]placed{
		"ARC301-R1":              {1, "Venetian – Ballroom A"},
		"NOROOM-1":               {1, "TBA"},
		"ARC301-R2":              {2, "Mirage – Ballroom A"},
		"a_1":                    {2, "Venetian – Ballroom B"}, // 01:00 on the 3rd is the night of the 2nd
		"X%2FY%201":              {3, "Mirage – Ballroom A"},
		"sfkntz-welcome_to_demo": {3, "Mirage – Ballroom A"},
	} {
		if got := where[code]; got != want {
			t.Errorf("%s placed %+v, want %+v", code, got, want)
		}
	}
	// One session has a database ID and the others none, so all are
	// numbered by their place in time.
	for code, want := range map[string]int64{"NOROOM-1": 1, "ARC301-R1": 2, "A.1": 3, "ARC301-R2": 4, "a_1": 5, "sfkntz-welcome_to_demo": 6, "X%2FY%201": 7} {
		if got := ids[code]; got != want {
			t.Errorf("%s id=%d, want %d", code, got, want)
		}
	}
	for code, want := range map[string]string{
		"ARC301-R1":              "demo_2025-arc301-r1",
		"sfkntz-welcome_to_demo": "sfkntz-welcome_to_demo",
		"A.1":                    "demo_2025-session-a_1",
		"a_1":                    "demo_2025-session-a_1-5", // after A.1, with its id
		"X%2FY%201":              "demo_2025-x_y_1",
	} {
		if got := slugs[code]; got != want {
			t.Errorf("%s slug=%q, want %q", code, got, want)
		}
	}
}

func TestExportErrors(t *testing.T) {
	badZone := testCatalog(t)
	badZone.Event.TimeZone = "Mars/Olympus"
	tests := []struct {
		name string
		cat  *lanyard.Catalog
		opt  Options
	}{
		{"no base URL", testCatalog(t), Options{}},
		{"relative base URL", testCatalog(t), Options{BaseURL: "/schedule"}},
		{"ftp base URL", testCatalog(t), Options{BaseURL: "ftp://demo.example"}},
		{"bad zone", badZone, testOptions},
	}
	for _, tt := range tests {
		for _, w := range writers {
			t.Run(tt.name+"/"+w.name, func(t *testing.T) {
				var b bytes.Buffer
				err := w.write(&b, tt.cat, tt.opt)
				if got, want := lanyard.ErrorCode(err), lanyard.EINVALID; got != want {
					t.Errorf("ErrorCode(%v)=%q, want %q", err, got, want)
				}
				if err != nil && !strings.HasPrefix(err.Error(), "schedule: write "+w.name+": ") {
					t.Errorf("err=%q, want the schedule: write %s prefix", err, w.name)
				}
				if b.Len() != 0 {
					t.Errorf("wrote %d bytes before failing", b.Len())
				}
			})
		}
	}
}

func TestAcronym(t *testing.T) {
	tests := []struct{ in, want string }{
		{"33c3", "33c3"},
		{"fosdem-2026", "fosdem_2026"},
		{"reinvent-2019", "reinvent_2019"},
		{"ab", "ab__"},
		{"Ünï", "_n__"},
		{"", "____"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := acronym(tt.in); got != tt.want {
				t.Errorf("acronym(%q)=%q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestEventSlug(t *testing.T) {
	tests := []struct{ code, want string }{
		{"33c3-8429-33c3_opening_ceremony", "33c3-8429-33c3_opening_ceremony"},
		{"SFKNTZ-welcome_to_fosdem_2026", "sfkntz-welcome_to_fosdem_2026"},
		{"E8376", "acro-e8376"},
		{"ARC301-R1", "acro-arc301-r1"},
		{"a", "acro-session-a"},
		{"--", "acro-session"},
		{"Ünïcode_", "acro-_n_code"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			got := eventSlug("acro", tt.code)
			if got != tt.want {
				t.Errorf("eventSlug(%q)=%q, want %q", tt.code, got, tt.want)
			}
			if !validSlug(got) {
				t.Errorf("eventSlug(%q)=%q, not a valid slug", tt.code, got)
			}
		})
	}
}

func TestSessionIDs(t *testing.T) {
	tests := []struct {
		name string
		ids  []int64
		want []int64
	}{
		{"all set", []int64{7, 3, 9}, []int64{7, 3, 9}},
		{"one missing", []int64{7, 0, 9}, []int64{1, 2, 3}},
		{"duplicate", []int64{7, 7}, []int64{1, 2}},
		{"none", nil, []int64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ss []*lanyard.Session
			for _, id := range tt.ids {
				ss = append(ss, &lanyard.Session{ID: id})
			}
			if got := sessionIDs(ss); !slices.Equal(got, tt.want) {
				t.Errorf("sessionIDs(%v)=%v, want %v", tt.ids, got, tt.want)
			}
		})
	}
}

func TestDayIndex(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	dates := []string{"2016-12-27", "2016-12-28", "2016-12-29"}
	tests := []struct {
		name string
		at   time.Time
		want int
	}{
		{"morning", time.Date(2016, 12, 27, 10, 0, 0, 0, loc), 0},
		{"late evening", time.Date(2016, 12, 27, 23, 59, 0, 0, loc), 0},
		{"after midnight", time.Date(2016, 12, 28, 0, 15, 0, 0, loc), 0},
		{"day change", time.Date(2016, 12, 28, 4, 0, 0, 0, loc), 1},
		{"last day", time.Date(2016, 12, 29, 12, 0, 0, 0, loc), 2},
		{"night after the last day", time.Date(2016, 12, 30, 1, 0, 0, 0, loc), 2},
		{"after the event", time.Date(2017, 1, 5, 12, 0, 0, 0, loc), 2},
		{"before the event", time.Date(2016, 12, 27, 2, 0, 0, 0, loc), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := dayIndex(dates, tt.at); got != tt.want {
				t.Errorf("dayIndex(%v)=%d, want %d", tt.at, got, tt.want)
			}
		})
	}
}
