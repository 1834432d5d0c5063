package importer

import (
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// 33C3 (Berlin, 2016-12-27 to 30) moved to 2027-03-01: every session keeps
// its day's offset and its local time of day.
func TestMoveStart33C3(t *testing.T) {
	data := mustReadScheduleData(t, "ccc-33c3.frab.schedule.json")
	orig, _ := mustReadSchedule(t, data, FormatVOCJSON, Options{})
	cat, _ := mustReadSchedule(t, data, FormatVOCJSON, Options{})
	if err := MoveStart(cat, "2027-03-01"); err != nil {
		t.Fatal(err)
	}
	if got, want := cat.Event.StartDate, "2027-03-01"; got != want {
		t.Errorf("StartDate=%s, want %s", got, want)
	}
	if got, want := cat.Event.Days, orig.Event.Days; got != want {
		t.Errorf("Days=%d, want %d", got, want)
	}
	loc, err := cat.Event.Location()
	if err != nil {
		t.Fatal(err)
	}
	first := map[string]bool{}
	for i, s := range cat.Sessions {
		o := orig.Sessions[i]
		if !o.Scheduled() {
			continue
		}
		ol, nl := o.Start.In(loc), s.Start.In(loc)
		if got, want := nl.Format("15:04"), ol.Format("15:04"); got != want {
			t.Fatalf("%s starts at %s, want %s", s.Code, got, want)
		}
		oday := int(time.Date(ol.Year(), ol.Month(), ol.Day(), 0, 0, 0, 0, time.UTC).Sub(time.Date(2016, 12, 27, 0, 0, 0, 0, time.UTC)).Hours() / 24)
		if got, want := nl.Format(time.DateOnly), time.Date(2027, 3, 1+oday, 0, 0, 0, 0, time.UTC).Format(time.DateOnly); got != want {
			t.Fatalf("%s is on %s, want %s", s.Code, got, want)
		}
		if got, want := s.Duration(), o.Duration(); got != want {
			t.Fatalf("%s lasts %v, want %v", s.Code, got, want)
		}
		first[nl.Format(time.DateOnly)] = true
	}
	if !first["2027-03-01"] {
		t.Errorf("no session on the new first day; days %v", first)
	}
}

// Moved across a change of clocks, a session keeps its wall-clock time.
func TestMoveStartAcrossDST(t *testing.T) {
	loc, _ := time.LoadLocation("America/Los_Angeles")
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, loc) // PST
	cat := &lanyard.Catalog{
		Event:    lanyard.Event{Slug: "e", Name: "E", TimeZone: "America/Los_Angeles", StartDate: "2026-12-01", Days: 1},
		Sessions: []lanyard.Session{{Code: "A", Title: "A", Type: lanyard.TypeSession, Start: start.UTC(), End: start.Add(time.Hour).UTC()}},
	}
	if err := MoveStart(cat, "2027-07-01"); err != nil { // PDT
		t.Fatal(err)
	}
	s := cat.Sessions[0]
	if got, want := s.Start.In(loc).Format("2006-01-02 15:04 MST"), "2027-07-01 10:00 PDT"; got != want {
		t.Errorf("start %s, want %s", got, want)
	}
	if got, want := s.Duration(), time.Hour; got != want {
		t.Errorf("duration %v, want %v", got, want)
	}
	if err := MoveStart(cat, "2027-02-30"); lanyard.ErrorCode(err) != lanyard.EINVALID {
		t.Errorf("MoveStart to 2027-02-30: %v, want invalid", err)
	}
}
