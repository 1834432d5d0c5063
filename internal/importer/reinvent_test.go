package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/realdata"
)

// mustReadRealCatalog reads one of the real catalogs in ../shared/data.
func mustReadRealCatalog(tb testing.TB, name string) []byte {
	tb.Helper()
	return realdata.Read(tb, name)
}

func mustReadFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// mustImport reads data and fails the test on an error.
func mustImport(tb testing.TB, data []byte, f Format, opt Options) (*lanyard.Catalog, *Report) {
	tb.Helper()
	cat, rep, err := Read(bytes.NewReader(data), f, opt)
	if err != nil {
		tb.Fatalf("Read: %v", err)
	}
	return cat, rep
}

// mustReject reads data and returns the *Error it must fail with.
func mustReject(tb testing.TB, data []byte, f Format, opt Options) *Error {
	tb.Helper()
	_, _, err := Read(bytes.NewReader(data), f, opt)
	var ierr *Error
	if !errors.As(err, &ierr) {
		tb.Fatalf("Read err=%v, want an *Error", err)
	}
	if got, want := lanyard.ErrorCode(err), lanyard.EINVALID; got != want {
		tb.Fatalf("ErrorCode=%q, want %q", got, want)
	}
	return ierr
}

// mustSession returns the session with the given code.
func mustSession(tb testing.TB, cat *lanyard.Catalog, code string) lanyard.Session {
	tb.Helper()
	for _, s := range cat.Sessions {
		if s.Code == code {
			return s
		}
	}
	tb.Fatalf("no session %s", code)
	return lanyard.Session{}
}

// problemsAbout returns the problems in field whose reason contains text.
func problemsAbout(rep *Report, field, text string) []Problem {
	var out []Problem
	for _, p := range rep.Problems {
		if p.Field == field && strings.Contains(p.Reason, text) {
			out = append(out, p)
		}
	}
	return out
}

func typeCounts(cat *lanyard.Catalog) map[lanyard.SessionType]int {
	n := map[lanyard.SessionType]int{}
	for _, s := range cat.Sessions {
		n[s.Type]++
	}
	return n
}

func venueCodes(cat *lanyard.Catalog) []string {
	var codes []string
	for _, v := range cat.Venues {
		codes = append(codes, v.Code)
	}
	return codes
}

func mustValidSessions(tb testing.TB, cat *lanyard.Catalog) {
	tb.Helper()
	for _, s := range cat.Sessions {
		if err := s.Validate(); err != nil {
			tb.Errorf("session %s: %v", s.Code, err)
		}
	}
	if err := cat.Event.Validate(); err != nil {
		tb.Errorf("event: %v", err)
	}
}

// rawReinvent is the part of a scraped record the tests count by.
type rawReinvent struct {
	Abbr  string `json:"abbr"`
	Type  string `json:"type"`
	Times string `json:"times"`
	Rooms string `json:"rooms"`
	Title string `json:"title"`
}

// laterDuplicates maps the position of each record whose code an earlier
// record has to that earlier record's position (both 1-based).
func laterDuplicates(raw []rawReinvent) map[int]int {
	first := map[string]int{}
	dups := map[int]int{}
	for i, r := range raw {
		if p, ok := first[r.Abbr]; ok {
			dups[i+1] = p
		} else {
			first[r.Abbr] = i + 1
		}
	}
	return dups
}

func TestReadReinvent2019(t *testing.T) {
	data := mustReadRealCatalog(t, "reinvent2019_gplassard_sessions.json")
	if got, err := Detect(data); err != nil || got != FormatReinvent {
		t.Fatalf("Detect=%q, %v, want %q", got, err, FormatReinvent)
	}
	cat, rep := mustImport(t, data, FormatAuto, Options{})
	var raw []rawReinvent
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}

	if got, want := rep.Records, 3285; got != want {
		t.Fatalf("Records=%d, want %d", got, want)
	}
	// The README's type counts are of the file's records.
	readme := map[string]int{"Builders Session": 853, "Session": 807, "Chalk Talk": 715, "Overflow": 547, "Workshop": 363}
	rawTypes := map[string]int{}
	for _, r := range raw {
		rawTypes[r.Type]++
	}
	for typ, want := range readme {
		if got := rawTypes[typ]; got != want {
			t.Errorf("records of type %q=%d, want %d (README)", typ, got, want)
		}
	}

	// 9 codes appear twice; the later record of each is skipped, naming both positions.
	dups := laterDuplicates(raw)
	if got, want := len(dups), 9; got != want {
		t.Fatalf("duplicate records=%d, want %d", got, want)
	}
	if got, want := rep.Skipped, 9; got != want {
		t.Errorf("Skipped=%d, want %d", got, want)
	}
	dupTypes := map[string]int{}
	for later, first := range dups {
		code := raw[later-1].Abbr
		dupTypes[raw[later-1].Type]++
		wantRecord := fmt.Sprintf("#%d %s", later, code)
		i := slices.IndexFunc(rep.Problems, func(p Problem) bool { return p.Record == wantRecord })
		if i < 0 {
			t.Errorf("no problem for %s", wantRecord)
			continue
		}
		p := rep.Problems[i]
		if !p.Skipped || p.Field != "abbr" || !strings.Contains(p.Reason, fmt.Sprintf("#%d", first)) {
			t.Errorf("problem %+v, want a skip in abbr naming #%d", p, first)
		}
	}
	if got, want := len(slices.DeleteFunc(slices.Clone(rep.Problems), func(p Problem) bool { return !p.Skipped })), 9; got != want {
		t.Errorf("skip problems=%d, want %d", got, want)
	}
	// The skipped duplicates are 5 builders sessions, 3 chalk talks and 1 session.
	if got, want := dupTypes, map[string]int{"Builders Session": 5, "Chalk Talk": 3, "Session": 1}; !maps.Equal(got, want) {
		t.Errorf("types of skipped duplicates=%v, want %v", got, want)
	}
	wantTypes := map[lanyard.SessionType]int{
		lanyard.TypeBuilders: 853 - 5,
		lanyard.TypeSession:  807 - 1,
		lanyard.TypeChalk:    715 - 3,
		lanyard.TypeOther:    547, // Overflow
		lanyard.TypeWorkshop: 363,
	}
	mapped := map[string]lanyard.SessionType{"Builders Session": lanyard.TypeBuilders, "Session": lanyard.TypeSession,
		"Chalk Talk": lanyard.TypeChalk, "Overflow": lanyard.TypeOther, "Workshop": lanyard.TypeWorkshop}
	derived := map[lanyard.SessionType]int{}
	for typ, n := range readme {
		derived[mapped[typ]] += n - dupTypes[typ]
	}
	if !maps.Equal(derived, wantTypes) {
		t.Errorf("README counts minus skipped duplicates=%v, want %v", derived, wantTypes)
	}
	if got := typeCounts(cat); !maps.Equal(got, wantTypes) {
		t.Errorf("catalog types=%v, want %v", got, wantTypes)
	}
	if got, want := rep.Imported, 3285-9; got != want {
		t.Errorf("Imported=%d, want %d", got, want)
	}
	notReservable := 0
	for _, s := range cat.Sessions {
		if !s.Reservable {
			notReservable++
			if s.Type != lanyard.TypeOther {
				t.Errorf("session %s is not reservable but is a %s", s.Code, s.Type)
			}
		}
	}
	if got, want := notReservable, 547; got != want {
		t.Errorf("sessions not reservable=%d, want %d (the overflow rooms)", got, want)
	}

	// 117 records have no time: 79 with an empty times string, 38 with "There
	// aren't any available sessions at this time."; none is a skipped duplicate.
	var emptyTimes, noneAvailable, noRoom int
	for i, r := range raw {
		if _, dup := dups[i+1]; dup {
			continue
		}
		switch {
		case r.Times == "":
			emptyTimes++
		case strings.Contains(r.Times, "There aren't any available sessions"):
			noneAvailable++
		}
		if r.Rooms == "" {
			noRoom++
		}
	}
	if emptyTimes != 79 || noneAvailable != 38 {
		t.Errorf("records without time: %d empty, %d none available; want 79, 38", emptyTimes, noneAvailable)
	}
	unscheduled := 0
	for _, s := range cat.Sessions {
		if !s.Scheduled() {
			unscheduled++
		}
	}
	if got, want := unscheduled, 79+38; got != want {
		t.Errorf("unscheduled=%d, want %d", got, want)
	}
	if got, want := len(problemsAbout(rep, "times", "imported unscheduled")), 79+38; got != want {
		t.Errorf("time doubts=%d, want %d", got, want)
	}
	// 657 records have no room and an unknown hotel.
	if got, want := noRoom, 657; got != want {
		t.Errorf("records without room=%d, want %d", got, want)
	}
	if got, want := len(problemsAbout(rep, "rooms", "no room or hotel")), 657; got != want {
		t.Errorf("no-venue doubts=%d, want %d", got, want)
	}
	if got := len(problemsAbout(rep, "hotel", "")); got != 0 {
		t.Errorf("hotel doubts=%d, want 0 (2019's hotel agrees with rooms)", got)
	}

	// Venues come from rooms; the format has no capacities, said once.
	if got, want := venueCodes(cat), []string{"aria", "bellagio", "mgm", "mirage", "venetian"}; !slices.Equal(got, want) {
		t.Errorf("venues=%v, want %v", got, want)
	}
	for _, v := range cat.Venues {
		for _, r := range v.Rooms {
			if r.Capacity != 0 {
				t.Errorf("room %s/%s capacity=%d, want 0", v.Code, r.Name, r.Capacity)
			}
		}
	}
	if got, want := len(problemsAbout(rep, "rooms", "no room capacities")), 1; got != want {
		t.Errorf("capacity notes=%d, want %d", got, want)
	}

	if got, want := cat.Event, (lanyard.Event{Slug: "reinvent-2019", Name: "AWS re:Invent 2019", TimeZone: "America/Los_Angeles", StartDate: "2019-12-02", Days: 5}); got != want {
		t.Errorf("Event=%+v, want %+v", got, want)
	}
	mustValidSessions(t, cat)
	for _, s := range cat.Sessions {
		if strings.HasPrefix(s.Title, "[REPEAT") || strings.HasPrefix(s.Title, "[OVERFLOW") || s.Title != strings.TrimSpace(s.Title) {
			t.Errorf("session %s: title %q not cleaned", s.Code, s.Title)
		}
	}

	s := mustSession(t, cat, "AIM331-R1")
	want := lanyard.Session{
		Code:        "AIM331-R1",
		Title:       "Choose the proper algorithm in Amazon SageMaker",
		Type:        lanyard.TypeChalk,
		Level:       300,
		Topics:      []string{"Artificial Intelligence & Machine Learning"},
		Start:       time.Date(2019, 12, 6, 16, 30, 0, 0, time.UTC),
		End:         time.Date(2019, 12, 6, 17, 30, 0, 0, time.UTC),
		RepeatGroup: "AIM331",
		Reservable:  true,
	}
	s.Abstract = ""
	if !sessionsEqual(s, want) {
		t.Errorf("AIM331-R1=%+v\nwant %+v", s, want)
	}
	// "This session is fullWednesday, Dec 4, 4:00 PM - 5:00 PM – " in Las Vegas;
	// start is null on this record.
	s = mustSession(t, cat, "CMP316")
	if got, want := s.Start, time.Date(2019, 12, 5, 0, 0, 0, 0, time.UTC); !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("CMP316 Start=%v, want %v", got, want)
	}
	if got, want := s.End, time.Date(2019, 12, 5, 1, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("CMP316 End=%v, want %v", got, want)
	}
	if got, want := s.Venue+" / "+s.Room, "aria / Level 3 West, Starvine 1"; got != want {
		t.Errorf("CMP316 place=%q, want %q", got, want)
	}
	s = mustSession(t, cat, "AIM326-R1OFA")
	if got, want := s.Title, "Implement ML workflows with Kubernetes and Amazon SageMaker (Blue-Aria)"; got != want {
		t.Errorf("overflow title=%q, want %q", got, want)
	}
	if s.Type != lanyard.TypeOther || s.Reservable || s.RepeatGroup != "" || !s.Start.Equal(time.Date(2019, 12, 5, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("overflow session=%+v, want type other, not reservable, no repeat group, at 2019-12-05T00:00Z", s)
	}
}

func TestReadReinvent2018(t *testing.T) {
	data := mustReadRealCatalog(t, "reinvent2018_gplassard_sessions.json")
	cat, rep := mustImport(t, data, FormatAuto, Options{})
	if got, want := rep.Format, FormatReinvent; got != want {
		t.Fatalf("Format=%q, want %q", got, want)
	}
	if got, want := rep.Records, 1944; got != want {
		t.Errorf("Records=%d, want %d", got, want)
	}
	// DEV318-R1 is records #6 and #863.
	if got, want := rep.Skipped, 1; got != want {
		t.Errorf("Skipped=%d, want %d", got, want)
	}
	if got := problemsAbout(rep, "abbr", "also record #6's"); len(got) != 1 || got[0].Record != "#863 DEV318-R1" || !got[0].Skipped {
		t.Errorf("duplicate problems=%+v, want one skip of #863 DEV318-R1", got)
	}
	if got, want := rep.Imported, 1943; got != want {
		t.Errorf("Imported=%d, want %d", got, want)
	}
	if got, want := len(problemsAbout(rep, "hotel", "disagrees with rooms")), 145; got != want {
		t.Errorf("hotel/rooms disagreements=%d, want %d", got, want)
	}
	// 19 records have no time; their start is the scrape date and is not trusted.
	if got, want := len(problemsAbout(rep, "times", "not trusted; imported unscheduled")), 19; got != want {
		t.Errorf("time doubts=%d, want %d", got, want)
	}
	unscheduled := 0
	for _, s := range cat.Sessions {
		if !s.Scheduled() {
			unscheduled++
		}
		if strings.ContainsAny(s.Title, "\t\n") || strings.ContainsRune(s.Abstract, '\u00a0') {
			t.Errorf("session %s: title %q or abstract not cleaned", s.Code, s.Title)
		}
	}
	if got, want := unscheduled, 19; got != want {
		t.Errorf("unscheduled=%d, want %d", got, want)
	}
	// Raw: Builders 606, Session 562, Chalk 551, Workshop 224, Lightning Talk 1;
	// the skipped DEV318-R1 is a Session, and a lightning talk is a session.
	want := map[lanyard.SessionType]int{lanyard.TypeBuilders: 606, lanyard.TypeSession: 562 + 1 - 1, lanyard.TypeChalk: 551, lanyard.TypeWorkshop: 224}
	if got := typeCounts(cat); !maps.Equal(got, want) {
		t.Errorf("types=%v, want %v", got, want)
	}
	// "Aria West" and "Aria East" are wings of the Aria, not venues.
	if got, want := venueCodes(cat), []string{"aria", "bellagio", "mgm", "mirage", "venetian"}; !slices.Equal(got, want) {
		t.Errorf("venues=%v, want %v", got, want)
	}
	if got, want := cat.Event, (lanyard.Event{Slug: "reinvent-2018", Name: "AWS re:Invent 2018", TimeZone: "America/Los_Angeles", StartDate: "2018-11-26", Days: 5}); got != want {
		t.Errorf("Event=%+v, want %+v", got, want)
	}
	if got := len(problemsAbout(rep, "level", "")); got != 0 {
		t.Errorf("level doubts=%d, want 0", got)
	}
	mustValidSessions(t, cat)

	s := mustSession(t, cat, "DEV303-R1")
	if got, want := s.Title, "Instrumenting Kubernetes for Observability Using AWS X-Ray and Amazon CloudWatch"; got != want {
		t.Errorf("Title=%q, want %q", got, want)
	}
	if got, want := s.Start, time.Date(2018, 11, 30, 16, 30, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Start=%v, want %v", got, want)
	}
	if s.Venue != "bellagio" || s.RepeatGroup != "DEV303" || s.Level != 300 {
		t.Errorf("DEV303-R1 venue=%q group=%q level=%d, want bellagio, DEV303, 300", s.Venue, s.RepeatGroup, s.Level)
	}
}

func TestReadReinventSample(t *testing.T) {
	cat, rep := mustImport(t, mustReadFixture(t, "reinvent_2019_sample.json"), FormatAuto, Options{})
	if got, want := rep.Records, 9; got != want {
		t.Fatalf("Records=%d, want %d", got, want)
	}
	var got []string
	for _, p := range rep.Problems {
		got = append(got, fmt.Sprintf("%v|%s|%s", p.Skipped, p.Record, p.Field))
	}
	want := []string{
		"true|#5 AIM331-R1|abbr", // a duplicate of #1
		"false|#4 STG225-R|rooms",
		"false|#4 STG225-R|times",
		"false|#6 ANT402|hotel",
		"false|#7 HAK101|level",
		"false|#7 HAK101|type",
		"false|#7 HAK101|rooms",
		"false|#7 HAK101|times",
		"true|#8|abbr",
		"true|#9 NOT001|title",
		"false|file|rooms",
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if p := problemsAbout(rep, "abbr", "also record #1's"); len(p) != 1 {
		t.Errorf("duplicate problem=%+v, want it to name #1", p)
	}
	if got, want := rep.Skipped, 3; got != want {
		t.Errorf("Skipped=%d, want %d", got, want)
	}
	mustValidSessions(t, cat)

	for _, tc := range []struct {
		code, title, venue, room, group string
		typ                             lanyard.SessionType
		level                           int
		start                           string
		reservable                      bool
	}{
		{"AIM331-R1", "Choose the proper algorithm in Amazon SageMaker", "aria", "Level 3 West, Juniper 4", "AIM331", lanyard.TypeChalk, 300, "2019-12-06T16:30:00Z", true},
		{"AIM331-R", "Choose the proper algorithm in Amazon SageMaker", "aria", "Level 1 West, Bristlecone 2 - Table 1", "AIM331", lanyard.TypeChalk, 300, "2019-12-05T00:00:00Z", true},
		{"AIM331-R1OFMGM", "Choose the proper algorithm in Amazon SageMaker (Blue-MGM)", "mgm", "Level 1, Boulevard Ballroom 170, Content Hub, Theater 1, Blue", "", lanyard.TypeOther, 300, "2019-12-06T16:30:00Z", false},
		{"STG225-R", "Storage deep dive", "", "", "", lanyard.TypeWorkshop, 200, "", true},
		{"ANT402", "Lift and shift an Apache Kafka cluster", "venetian", "Level 4, Delfino 4005", "", lanyard.TypeBuilders, 400, "2019-12-02T20:00:00Z", true},
		{"HAK101", "Hack the planet", "", "", "", lanyard.TypeOther, 0, "", true},
	} {
		s := mustSession(t, cat, tc.code)
		start := ""
		if s.Scheduled() {
			start = s.Start.Format(time.RFC3339)
		}
		if s.Title != tc.title || s.Venue != tc.venue || s.Room != tc.room || s.RepeatGroup != tc.group ||
			s.Type != tc.typ || s.Level != tc.level || start != tc.start || s.Reservable != tc.reservable {
			t.Errorf("%s=%+v\nwant %+v", tc.code, s, tc)
		}
	}
	if got, want := mustSession(t, cat, "STG225-R").Abstract, "Bring a laptop."; got != want {
		t.Errorf("Abstract=%q, want %q", got, want)
	}
	if got, want := cat.Event.StartDate+fmt.Sprint(cat.Event.Days), "2019-12-025"; got != want {
		t.Errorf("event dates=%q, want %q", got, want)
	}
}

func TestReadReinvent2018Sample(t *testing.T) {
	cat, rep := mustImport(t, mustReadFixture(t, "reinvent_2018_sample.json"), FormatReinvent, Options{})
	if got, want := venueCodes(cat), []string{"aria", "bellagio", "mirage"}; !slices.Equal(got, want) {
		t.Errorf("venues=%v, want %v", got, want)
	}
	s := mustSession(t, cat, "DEV303-R")
	if s.Venue != "aria" || s.Room != "West, Level 3, Starvine 3, Table 3, T1" || s.RepeatGroup != "DEV303" {
		t.Errorf("DEV303-R venue=%q room=%q group=%q", s.Venue, s.Room, s.RepeatGroup)
	}
	s = mustSession(t, cat, "ENT327")
	if s.Venue != "mirage" || s.Room != "" || s.Scheduled() || s.Type != lanyard.TypeSession {
		t.Errorf("ENT327=%+v, want venue mirage from hotel, unscheduled lightning talk as session", s)
	}
	if got := problemsAbout(rep, "hotel", "disagrees"); len(got) != 2 {
		t.Errorf("hotel doubts=%+v, want DEV303-R1 (Bellagio) and SEC301 (Encore)", got)
	}
	if got := problemsAbout(rep, "times", `start "2018-10-10T08:00:00.000Z" is not trusted`); len(got) != 1 || got[0].Record != "#3 ENT327" {
		t.Errorf("time doubts=%+v, want one for #3 ENT327", got)
	}
	if got, want := cat.Event.StartDate, "2018-11-26"; got != want {
		t.Errorf("StartDate=%q, want %q", got, want)
	}
	mustValidSessions(t, cat)
}

func TestReadReinventOptions(t *testing.T) {
	one := []byte(`[{"abbr": "X1", "title": "T", "type": "Session", "rooms": "Aria, Juniper 4",
		"times": "Wednesday, Dec 4, 4:00 PM - 5:00 PM"}]`)
	if e := mustReject(t, one, FormatReinvent, Options{}); e.Problems[0].Field != "start" {
		t.Errorf("without a year: %v, want a rejection naming start", e)
	}
	cat, rep := mustImport(t, one, FormatReinvent, Options{Year: 2019})
	if got, want := mustSession(t, cat, "X1").Start, time.Date(2019, 12, 5, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Start=%v, want %v", got, want)
	}
	if got := rep.Problems; len(got) != 1 || got[0].Record != "file" {
		t.Errorf("problems=%v, want only the note on capacities", got)
	}
	// Dec 4 2020 is a Friday: the year is doubted, the time kept.
	cat, rep = mustImport(t, one, FormatReinvent, Options{Year: 2020})
	if got := problemsAbout(rep, "times", "is a Friday, not a Wednesday"); len(got) != 1 || !cat.Sessions[0].Scheduled() {
		t.Errorf("problems=%v, want a weekday doubt", rep.Problems)
	}
	cat, _ = mustImport(t, one, FormatReinvent, Options{Year: 2019, TimeZone: "Europe/Brussels"})
	if got, want := cat.Sessions[0].Start, time.Date(2019, 12, 4, 15, 0, 0, 0, time.UTC); !got.Equal(want) || cat.Event.TimeZone != "Europe/Brussels" {
		t.Errorf("Start=%v zone=%q, want %v in Europe/Brussels", got, cat.Event.TimeZone, want)
	}
	if e := mustReject(t, one, FormatReinvent, Options{Year: 2019, TimeZone: "Mars/Olympus"}); e.Problems[0].Field != "time_zone" {
		t.Errorf("bad zone: %v", e)
	}
	// No session has a time: the event's dates are guessed, and doubted.
	cat, rep = mustImport(t, []byte(`[{"abbr": "X1", "title": "T", "start": "2019-10-10T08:00:00.000Z"}]`), FormatReinvent, Options{})
	if got, want := cat.Event.StartDate, "2019-12-01"; got != want || len(problemsAbout(rep, "start_date", "guessed")) != 1 {
		t.Errorf("StartDate=%q problems=%v, want %q and a doubt", got, rep.Problems, want)
	}
	// The most common year among start fields wins.
	cat, _ = mustImport(t, []byte(`[{"abbr":"A","title":"T","start":"2018-10-10T08:00:00Z"},
		{"abbr":"B","title":"T","start":"2019-12-02T08:00:00","times":"Monday, Dec 2, 8:00 AM - 9:00 AM"},
		{"abbr":"C","title":"T","start":"2019-12-02T08:00:00"}]`), FormatReinvent, Options{})
	if got, want := cat.Event.Slug, "reinvent-2019"; got != want {
		t.Errorf("Slug=%q, want %q", got, want)
	}
}

func TestReadReinventMalformed(t *testing.T) {
	for _, tc := range []struct {
		name          string
		data          string
		record, field string
		reason        string
	}{
		{"syntax", "[\n {\"abbr\": \"X1\",\n  \"title\": \"T\",]\n", "file", "", "line 3, column 16"},
		{"truncated", `[{"abbr": "X1"`, "file", "", "line 1, column 14 (byte 14): unexpected end"},
		{"object", `{"abbr": "X1"}`, "file", "", "JSON object at line 1, column 1"},
		{"null", `null`, "file", "", "null"},
		{"not objects", `[{"abbr": "X1", "title": "T", "start": "2019-12-01"}, 7]`, "#2", "", "a number, not an object"},
		{"year span", `[{"abbr":"A","title":"T","start":"2019-01-02","times":"Wednesday, Jan 2, 8:00 AM - 9:00 AM"},
			{"abbr":"B","title":"T","times":"Wednesday, Dec 4, 8:00 AM - 9:00 AM"}]`, "event", "times", "337 days"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := mustReject(t, []byte(tc.data), FormatReinvent, Options{})
			p := e.Problems[0]
			if p.Record != tc.record || p.Field != tc.field || !strings.Contains(p.Reason, tc.reason) {
				t.Errorf("problem=%+v, want record %q field %q reason containing %q", p, tc.record, tc.field, tc.reason)
			}
		})
	}
}

func TestReadReinventBadRecords(t *testing.T) {
	data := []byte(`[
		{"abbr": "OK1", "title": "Fine", "start": "2019-12-02T08:00:00", "times": "Monday, Dec 2, 8:00 AM - 9:00 AM"},
		{"abbr": "T1", "title": 5},
		{"abbr": "T2", "title": "Bad clock", "times": "Monday, Dec 2, 13:00 PM - 2:00 PM"},
		{"abbr": "T3", "title": "Zero length", "times": "Monday, Dec 2, 1:00 PM - 1:00 PM"},
		{"abbr": "T4", "title": "No such day", "times": "Monday, Feb 30, 1:00 PM - 2:00 PM"},
		{"abbr": "` + strings.Repeat("X", 65) + `", "title": "Long code"},
		{"abbr": "T5", "title": "Late", "times": "Monday, Dec 2, 11:30 PM - 12:30 AM", "start": "2019-12-02T22:00:00"}
	]`)
	cat, rep := mustImport(t, data, FormatReinvent, Options{})
	if got, want := len(cat.Sessions), 5; got != want {
		t.Fatalf("sessions=%d, want %d", got, want)
	}
	for _, tc := range []struct{ record, field, reason string }{
		{"#2 T1", "title", "JSON number where a string belongs"},
		{"#3 T2", "times", "13:00 PM is not a time of day"},
		{"#4 T3", "times", "ends when it starts"},
		{"#5 T4", "times", "February 30, 2019 is not a date"},
		{"#6 " + strings.Repeat("X", 65), "abbr", "longer than 64"},
		{"#7 T5", "start", "disagrees with times"},
	} {
		if !slices.ContainsFunc(rep.Problems, func(p Problem) bool {
			return p.Record == tc.record && p.Field == tc.field && strings.Contains(p.Reason, tc.reason)
		}) {
			t.Errorf("no problem %+v in %v", tc, rep.Problems)
		}
	}
	if got, want := mustSession(t, cat, "T5").End, time.Date(2019, 12, 3, 8, 30, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("T5 End=%v, want %v (past midnight)", got, want)
	}
	mustValidSessions(t, cat)
}

func TestParseReinventTimes(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		in         string
		year       int
		start, end string // UTC, RFC 3339
		weekday    time.Weekday
		err        string
	}{
		{"plain", "Wednesday, Dec 4, 4:00 PM - 5:00 PM", 2019, "2019-12-05T00:00:00Z", "2019-12-05T01:00:00Z", time.Wednesday, ""},
		{"session full", "This session is fullWednesday, Dec 4, 4:00 PM - 5:00 PM – ", 2019, "2019-12-05T00:00:00Z", "2019-12-05T01:00:00Z", time.Wednesday, ""},
		{"conflict", "You have a conflict with this session time in your schedule.Tuesday, Dec 3, 10:45 AM - 12:15 PM – ", 2019, "2019-12-03T18:45:00Z", "2019-12-03T20:15:00Z", time.Tuesday, ""},
		{"noon", "Add to PlannerMonday, Dec 2, 12:00 PM - 1:00 PM", 2019, "2019-12-02T20:00:00Z", "2019-12-02T21:00:00Z", time.Monday, ""},
		{"midnight", "Tuesday, Dec 3, 12:00 AM - 12:30 AM", 2019, "2019-12-03T08:00:00Z", "2019-12-03T08:30:00Z", time.Tuesday, ""},
		{"past midnight", "Thursday, Dec 5, 11:30 PM - 12:30 AM", 2019, "2019-12-06T07:30:00Z", "2019-12-06T08:30:00Z", time.Thursday, ""},
		{"2018", "Friday, Nov 30, 8:30 AM - 10:45 AM", 2018, "2018-11-30T16:30:00Z", "2018-11-30T18:45:00Z", time.Friday, ""},
		{"loose spacing and case", "friday,Nov 30,  8:30am – 10:45 am", 2018, "2018-11-30T16:30:00Z", "2018-11-30T18:45:00Z", time.Friday, ""},
		{"stated weekday kept", "Wednesday, Dec 4, 4:00 PM - 5:00 PM", 2020, "2020-12-05T00:00:00Z", "2020-12-05T01:00:00Z", time.Wednesday, ""},
		{"empty", "", 2019, "", "", 0, "no session time"},
		{"none available", "There aren't any available sessions at this time.", 2019, "", "", 0, "no session time"},
		{"hour 13", "Monday, Dec 2, 13:00 PM - 2:00 PM", 2019, "", "", 0, "not a time of day"},
		{"hour 0", "Monday, Dec 2, 0:30 AM - 2:00 AM", 2019, "", "", 0, "not a time of day"},
		{"minute 75", "Monday, Dec 2, 1:75 PM - 2:00 PM", 2019, "", "", 0, "not a time of day"},
		{"no such date", "Monday, Feb 30, 1:00 PM - 2:00 PM", 2019, "", "", 0, "not a date"},
		{"zero length", "Monday, Dec 2, 1:00 PM - 1:00 PM", 2019, "", "", 0, "ends when it starts"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start, end, stated, err := parseReinventTimes(tc.in, tc.year, la)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err=%v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got, want := start.UTC().Format(time.RFC3339), tc.start; got != want {
				t.Errorf("start=%s, want %s", got, want)
			}
			if got, want := end.UTC().Format(time.RFC3339), tc.end; got != want {
				t.Errorf("end=%s, want %s", got, want)
			}
			if got, want := stated, tc.weekday; got != want {
				t.Errorf("stated weekday=%v, want %v", got, want)
			}
		})
	}
}

func TestCleanTitle(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"[REPEAT 1] Choose the proper algorithm", "Choose the proper algorithm"},
		{"[REPEAT] Deep dive", "Deep dive"},
		{"[OVERFLOW] [REPEAT 2] Fundamentals (Red-Aria)", "Fundamentals (Red-Aria)"},
		{"[NEW LAUNCH!] Amazon Braket", "[NEW LAUNCH!] Amazon Braket"},
		{"Instrumenting Kubernetes\n\t\t\t\t\t\t\n\t\t\t\t\t", "Instrumenting Kubernetes"},
		{"Trailing spaces   ", "Trailing spaces"},
		{"Non\u00a0breaking\u202fspaces", "Non breaking spaces"},
		{"Café à la carte", "Café à la carte"},
		{"[REPEAT 3]", ""},
		{"A [REPEAT] inside", "A [REPEAT] inside"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := cleanTitle(tc.in); got != tc.want {
				t.Errorf("cleanTitle(%q)=%q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestSplitRooms(t *testing.T) {
	hotels := map[string]bool{"Bellagio": true, "Venetian": true, "Mirage": true, "Aria": true, "MGM": true, "Aria Sky": true}
	for _, tc := range []struct{ in, venue, room string }{
		{"Aria, Level 1 West, Bristlecone 2 - Table 1", "Aria", "Level 1 West, Bristlecone 2 - Table 1"},
		{"MGM, Level 3, South Concourse 301", "MGM", "Level 3, South Concourse 301"},
		{"Bellagio, Grand Ballroom 5 Black", "Bellagio", "Grand Ballroom 5 Black"},
		{"Aria West, Level 3, Starvine 3, Table 3, T1", "Aria", "West, Level 3, Starvine 3, Table 3, T1"},
		{"Aria East", "Aria", "East"},
		{"Aria Sky Suites, Level 2", "Aria Sky", "Suites, Level 2"},
		{"Aria Sky, Level 2", "Aria Sky", "Level 2"},
		{"Encore, Level 2, Lafite 1", "Encore", "Level 2, Lafite 1"},
		{"Mirage", "Mirage", ""},
		{"", "", ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			venue, room := splitRooms(tc.in, hotels)
			if venue != tc.venue || room != tc.room {
				t.Errorf("splitRooms(%q)=%q, %q; want %q, %q", tc.in, venue, room, tc.venue, tc.room)
			}
		})
	}
}

func TestVenueSlug(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"MGM", "mgm"},
		{"Aria", "aria"},
		{"Aria West", "aria-west"},
		{"  Caesars  Forum! ", "caesars-forum"},
		{"Café Roma", "café-roma"},
		{"—", ""},
	} {
		if got := venueSlug(tc.in); got != tc.want {
			t.Errorf("venueSlug(%q)=%q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSessionLevel(t *testing.T) {
	for _, tc := range []struct {
		in    string
		want  int
		doubt bool
	}{
		{"Introductory", 100, false},
		{"Intermediate", 200, false},
		{"Advanced", 300, false},
		{"Expert", 400, false},
		{"200 – Intermediate", 200, false},
		{"100 – Foundational", 100, false},
		{"500 – Distinguished", 400, true},
		{"", 0, false},
		{"Wizard", 0, true},
		{"250", 0, true},
		{"99999999999999999999999", 0, true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			var rep Report
			if got := sessionLevel(tc.in, "#1 X", &rep); got != tc.want {
				t.Errorf("level=%d, want %d", got, tc.want)
			}
			if got := len(rep.Problems) > 0; got != tc.doubt {
				t.Errorf("doubted=%v, want %v (%v)", got, tc.doubt, rep.Problems)
			}
		})
	}
}

func TestReinventRepeatGroup(t *testing.T) {
	ptr := func(s string) *string { return &s }
	for _, tc := range []struct {
		id   *string
		code string
		want string
	}{
		{ptr("AIM331-R"), "AIM331-R1", "AIM331"},
		{ptr("AIM331-R"), "AIM331-R", "AIM331"},
		{ptr("ANT402"), "ANT402", ""},
		{ptr("SEC205-ROFA"), "SEC205-R2OFA", ""},
		{ptr(""), "X-R1", ""},
		{nil, "DEV303-R1", "DEV303"}, // 2018 has no repeatId
		{nil, "DEV303-R", "DEV303"},
		{nil, "GPSTEC302", ""},
	} {
		if got := reinventRepeatGroup(tc.id, tc.code); got != tc.want {
			t.Errorf("reinventRepeatGroup(%v, %q)=%q, want %q", tc.id, tc.code, got, tc.want)
		}
	}
}

// sessionsEqual compares sessions field by field (they hold slices).
func sessionsEqual(a, b lanyard.Session) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb) && a.Start.Equal(b.Start) && a.End.Equal(b.End)
}
