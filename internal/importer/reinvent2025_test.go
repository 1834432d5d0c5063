package importer

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

func TestReadReinvent2025(t *testing.T) {
	data := mustReadRealCatalog(t, "reinvent2025_manu-mishra_sessions.json")
	if got, err := Detect(data); err != nil || got != FormatReinvent2025 {
		t.Fatalf("Detect=%q, %v, want %q", got, err, FormatReinvent2025)
	}
	cat, rep := mustImport(t, data, FormatAuto, Options{})
	if got, want := rep.Records, 1843; got != want {
		t.Fatalf("Records=%d, want %d", got, want)
	}
	if rep.Imported != 1843 || rep.Skipped != 0 {
		t.Errorf("Imported=%d Skipped=%d, want 1843, 0", rep.Imported, rep.Skipped)
	}
	if got, want := cat.Event, (lanyard.Event{Slug: "reinvent-2025", Name: "AWS re:Invent 2025", TimeZone: "America/Los_Angeles", StartDate: "2025-12-01", Days: 5}); got != want {
		t.Errorf("Event=%+v, want %+v", got, want)
	}
	if len(cat.Venues) != 0 {
		t.Errorf("Venues=%v, want none", cat.Venues)
	}
	mustValidSessions(t, cat)

	// Levels: 300 – Advanced 1057, 200 – Intermediate 393, 400 – Expert 303,
	// 100 – Foundational 73, and 500 – Distinguished 17, which becomes 400 with a doubt.
	levels := map[int]int{}
	speakers := 0
	for _, s := range cat.Sessions {
		if s.Scheduled() || s.Venue != "" || s.Room != "" {
			t.Errorf("session %s is scheduled or placed: %+v", s.Code, s)
		}
		levels[s.Level]++
		speakers += len(s.Speakers)
	}
	if want := map[int]int{100: 73, 200: 393, 300: 1057, 400: 303 + 17}; !maps.Equal(levels, want) {
		t.Errorf("levels=%v, want %v", levels, want)
	}
	if got, want := len(problemsAbout(rep, "level", "500 – Distinguished")), 17; got != want {
		t.Errorf("level doubts=%d, want %d", got, want)
	}
	// Bootcamp 15, Interactive training 14, Gamified learning 11 and Exam prep 4
	// are hands-on formats: workshops.
	if got, want := len(problemsAbout(rep, "type", "unknown type")), 0; got != want {
		t.Errorf("type doubts=%d, want %d", got, want)
	}
	if got, want := len(rep.Problems), 17; got != want {
		t.Errorf("problems=%d, want %d", got, want)
	}
	// Breakout 554 + Lightning talk 229 + Code talk 82 + Innovation talk 13 are sessions.
	wantTypes := map[lanyard.SessionType]int{lanyard.TypeSession: 554 + 229 + 82 + 13, lanyard.TypeChalk: 524,
		lanyard.TypeWorkshop: 234 + 15 + 14 + 11 + 4, lanyard.TypeBuilders: 163}
	if got := typeCounts(cat); !maps.Equal(got, wantTypes) {
		t.Errorf("types=%v, want %v", got, wantTypes)
	}
	// 135 records name 172 speakers, every one with a name.
	if got, want := speakers, 172; got != want {
		t.Errorf("speakers=%d, want %d", got, want)
	}

	s := mustSession(t, cat, "DVT222-S")
	if got, want := s.Speakers, []lanyard.Speaker{{Name: "Jad Naous", JobTitle: "CEO", Company: "Grepr"}}; !slices.Equal(got, want) {
		t.Errorf("speakers=%+v, want %+v", got, want)
	}
	if got, want := s.Topics, []string{"Developer Tools"}; !slices.Equal(got, want) {
		t.Errorf("topics=%v, want %v", got, want)
	}
	if s.Type != lanyard.TypeSession || s.Level != 200 || !s.Reservable {
		t.Errorf("DVT222-S type=%s level=%d reservable=%v", s.Type, s.Level, s.Reservable)
	}
	for _, s := range cat.Sessions {
		if s.Title != strings.TrimSpace(s.Title) {
			t.Errorf("session %s: title %q not trimmed", s.Code, s.Title)
		}
	}
}

func TestReadReinvent2025Sample(t *testing.T) {
	cat, rep := mustImport(t, mustReadFixture(t, "reinvent_2025_sample.json"), FormatAuto, Options{TimeZone: "UTC"})
	if got, want := cat.Event.TimeZone, "UTC"; got != want {
		t.Errorf("TimeZone=%q, want %q", got, want)
	}
	s := mustSession(t, cat, "DVT222-S")
	// The session's spelling wins; the profile fills what it leaves empty.
	want := []lanyard.Speaker{
		{Name: "Jad Naous", JobTitle: "CEO", Company: "Grepr"},
		{Name: "Matt Healy", JobTitle: "Sr. Director, Product Marketing", Company: "Pegasystems"},
	}
	if !slices.Equal(s.Speakers, want) {
		t.Errorf("speakers=%+v, want %+v", s.Speakers, want)
	}
	if got, want := s.Title, "100% Observability at 10% the Cost"; got != want {
		t.Errorf("title=%q, want %q", got, want)
	}
	if got, want := mustSession(t, cat, "AIM401").Topics, []string{"Artificial Intelligence"}; !slices.Equal(got, want) {
		t.Errorf("topics=%v, want %v", got, want)
	}
	for code, level := range map[string]int{"DVT222-S": 200, "AIM401": 400, "INV515": 400, "TNC305": 300, "BLD101": 100} {
		if got := mustSession(t, cat, code).Level; got != level {
			t.Errorf("%s level=%d, want %d", code, got, level)
		}
	}
	if got, want := mustSession(t, cat, "BLD101").Type, lanyard.TypeBuilders; got != want {
		t.Errorf("BLD101 type=%s, want %s", got, want)
	}
	var got []string
	for _, p := range rep.Problems {
		got = append(got, p.Record+"|"+p.Field)
	}
	if want := []string{"#3 INV515|level"}; !slices.Equal(got, want) {
		t.Errorf("problems=%v, want %v", got, want)
	}
}

func TestReadReinvent2025Malformed(t *testing.T) {
	if e := mustReject(t, []byte(`{"code": "X"}`), FormatReinvent2025, Options{}); e.Problems[0].Record != "file" {
		t.Errorf("object: %v", e)
	}
	if e := mustReject(t, []byte(`[{"code": "X", "title": "T"}]`), FormatReinvent2025, Options{TimeZone: "Nowhere/Else"}); e.Problems[0].Field != "time_zone" {
		t.Errorf("bad zone: %v", e)
	}
	data := []byte(`[
		{"code": "A1", "title": "Fine", "type": "Workshop"},
		{"code": "A1", "title": "Again", "type": "Workshop"},
		{"code": "", "title": "No code"},
		{"code": "B1", "title": "  "},
		{"code": "C1", "title": "Typed", "attributes": {"level": "300 – Advanced"}},
		{"code": "D1", "title": "Nameless speaker", "type": "Workshop", "speakers": [{"companyName": "ACME"}]}
	]`)
	cat, rep := mustImport(t, data, FormatReinvent2025, Options{})
	if got, want := len(cat.Sessions), 2; got != want {
		t.Fatalf("sessions=%d, want %d", got, want)
	}
	var got []string
	for _, p := range rep.Problems {
		got = append(got, p.Record+"|"+p.Field)
	}
	want := []string{"#2 A1|code", "#3|code", "#4 B1|title", "#5 C1|attributes.level", "#6 D1|speakers[0]"}
	if !slices.Equal(got, want) {
		t.Errorf("problems=%v, want %v", got, want)
	}
	if p := problemsAbout(rep, "code", "also record #1's"); len(p) != 1 {
		t.Errorf("duplicate problem=%v", p)
	}
	if got, want := rep.Skipped, 4; got != want {
		t.Errorf("Skipped=%d, want %d", got, want)
	}
}
