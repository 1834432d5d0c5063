package lanyard

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestParseSessionType(t *testing.T) {
	tests := []struct {
		in   string
		want SessionType
		ok   bool
	}{
		{"Chalk Talk", TypeChalk, true},
		{"chalk_talk", TypeChalk, true},
		{"Builders' session", TypeBuilders, true},
		{"Breakout", TypeSession, true},
		{"Lightning talk", TypeSession, true},
		{"Keynote", TypeKeynote, true},
		{"workshop", TypeWorkshop, true},
		{"Overflow", TypeOther, false},
		{"", TypeOther, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseSessionType(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("ParseSessionType(%q)=%q,%v, want %q,%v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestSessionValidate(t *testing.T) {
	start := time.Date(2026, 12, 1, 17, 0, 0, 0, time.UTC)
	good := Session{Code: "ARC301-R1", Title: "T", Type: TypeSession, Level: 300, Venue: "v", Room: "r", Start: start, End: start.Add(time.Hour)}
	tests := []struct {
		name   string
		mutate func(*Session)
		ok     bool
	}{
		{"good", func(*Session) {}, true},
		{"unscheduled", func(s *Session) { s.Start, s.End = time.Time{}, time.Time{} }, true},
		{"no code", func(s *Session) { s.Code = " " }, false},
		{"no title", func(s *Session) { s.Title = "" }, false},
		{"bad type", func(s *Session) { s.Type = "party" }, false},
		{"bad level", func(s *Session) { s.Level = 150 }, false},
		{"only start", func(s *Session) { s.End = time.Time{} }, false},
		{"end before start", func(s *Session) { s.End = start.Add(-time.Minute) }, false},
		{"negative capacity", func(s *Session) { s.CapacityOverride = -1 }, false},
		{"room without venue", func(s *Session) { s.Venue = "" }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := good
			tt.mutate(&s)
			err := s.Validate()
			if (err == nil) != tt.ok {
				t.Fatalf("Validate()=%v, want ok=%v", err, tt.ok)
			}
			if err != nil && ErrorCode(err) != EINVALID {
				t.Fatalf("code %s, want EINVALID", ErrorCode(err))
			}
		})
	}
}

func TestOverlaps(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 12, 1, h, 0, 0, 0, time.UTC) }
	a := &Session{Start: at(9), End: at(10)}
	tests := []struct {
		name string
		b    *Session
		want bool
	}{
		{"same", &Session{Start: at(9), End: at(10)}, true},
		{"inside", &Session{Start: at(9), End: at(9).Add(30 * time.Minute)}, true},
		{"touching", &Session{Start: at(10), End: at(11)}, false},
		{"before", &Session{Start: at(7), End: at(8)}, false},
		{"unscheduled", &Session{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := a.Overlaps(tt.b); got != tt.want {
				t.Fatalf("Overlaps=%v, want %v", got, tt.want)
			}
			if got := tt.b.Overlaps(a); got != tt.want {
				t.Fatalf("reverse Overlaps=%v, want %v", got, tt.want)
			}
		})
	}
}

func TestAttendeeValidate(t *testing.T) {
	tests := []struct {
		a  Attendee
		ok bool
	}{
		{Attendee{Name: "지현", Email: "a@example.com", Role: RoleAttendee, HomeZone: "Asia/Seoul"}, true},
		{Attendee{Name: "", Email: "a@example.com", Role: RoleAttendee}, false},
		{Attendee{Name: "A", Email: "A <a@example.com>", Role: RoleAttendee}, false},
		{Attendee{Name: "A", Email: "a@example.com", Role: "king"}, false},
		{Attendee{Name: "A", Email: "a@example.com", Role: RoleStaff, HomeZone: "Mars/Base"}, false},
		{Attendee{Name: "A", Email: "a@example.com", Role: RoleStaff, HomeZone: "Local"}, false},
	}
	for i, tt := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			if err := tt.a.Validate(); (err == nil) != tt.ok {
				t.Fatalf("Validate(%+v)=%v, want ok=%v", tt.a, err, tt.ok)
			}
		})
	}
}

func TestEvent(t *testing.T) {
	e := Event{Slug: "x", Name: "X", TimeZone: "America/Los_Angeles", StartDate: "2026-11-30", Days: 3}
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
	days, _ := e.DayDates()
	if got, want := fmt.Sprint(days), "[2026-11-30 2026-12-01 2026-12-02]"; got != want {
		t.Fatalf("days %s, want %s", got, want)
	}
	for _, bad := range []Event{
		{Slug: "", Name: "X", TimeZone: "UTC", StartDate: "2026-11-30", Days: 1},
		{Slug: "x", Name: "X", TimeZone: "UTC", StartDate: "30/11/2026", Days: 1},
		{Slug: "x", Name: "X", TimeZone: "UTC", StartDate: "2026-11-30", Days: 0},
		{Slug: "x", Name: "X", TimeZone: "PST", StartDate: "2026-11-30", Days: 1},
	} {
		if err := bad.Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("Validate(%+v)=%v, want EINVALID", bad, err)
		}
	}
}

func TestErrorIs(t *testing.T) {
	err := fmt.Errorf("store: x: %w", Errorf(ENOTFOUND, "No session."))
	if !errors.Is(err, &Error{Code: ENOTFOUND}) {
		t.Fatal("wrapped not-found does not match by code")
	}
	if errors.Is(err, &Error{Code: ECONFLICT}) {
		t.Fatal("not-found matches conflict")
	}
	if got, want := ErrorMessage(errors.New("secret")), "Internal error."; got != want {
		t.Fatalf("message %q, want %q", got, want)
	}
}
