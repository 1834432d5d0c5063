package ical

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"
)

var stamp = time.Date(2025, 10, 1, 12, 0, 0, 0, time.UTC)

func mustLoad(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

// mustWrite writes c and returns the stream.
func mustWrite(tb testing.TB, c Calendar) string {
	tb.Helper()
	var b bytes.Buffer
	if err := Write(&b, c); err != nil {
		tb.Fatalf("Write: %v", err)
	}
	return b.String()
}

// mustParse parses s with golang-ical's parser.
func mustParse(tb testing.TB, s string) *ics.Calendar {
	tb.Helper()
	cal, err := ics.ParseCalendar(strings.NewReader(s))
	if err != nil {
		tb.Fatalf("ParseCalendar: %v\n%s", err, s)
	}
	return cal
}

// observance is one STANDARD or DAYLIGHT sub-component as parsed back.
type observance struct {
	kind     string // "STANDARD" or "DAYLIGHT"
	from, to string // TZOFFSETFROM, TZOFFSETTO as written
	onset    time.Time
	fromSecs int
	toSecs   int
}

// zoneDef is a VTIMEZONE as parsed back, able to resolve local times the
// way RFC 5545 says a client must.
type zoneDef struct {
	tzid string
	obs  []observance // by onset
}

func prop(tb testing.TB, cb *ics.ComponentBase, p ics.Property) string {
	tb.Helper()
	v := cb.GetProperty(ics.ComponentProperty(p))
	if v == nil {
		tb.Fatalf("missing %s", p)
	}
	return v.Value
}

func parseOffset(tb testing.TB, s string) int {
	tb.Helper()
	var h, m, sec int
	if len(s) != 5 && len(s) != 7 || s[0] != '+' && s[0] != '-' {
		tb.Fatalf("bad UTC-OFFSET %q", s)
	}
	if _, err := fmt.Sscanf(s[1:5], "%02d%02d", &h, &m); err != nil {
		tb.Fatalf("bad UTC-OFFSET %q: %v", s, err)
	}
	if len(s) == 7 {
		if _, err := fmt.Sscanf(s[5:], "%02d", &sec); err != nil {
			tb.Fatalf("bad UTC-OFFSET %q: %v", s, err)
		}
	}
	n := h*3600 + m*60 + sec
	if s[0] == '-' {
		n = -n
	}
	return n
}

// zones returns the calendar's VTIMEZONEs by TZID.
func zones(tb testing.TB, cal *ics.Calendar) map[string]*zoneDef {
	tb.Helper()
	out := map[string]*zoneDef{}
	for _, tz := range cal.Timezones() {
		z := &zoneDef{tzid: prop(tb, &tz.ComponentBase, ics.PropertyTzid)}
		for _, c := range tz.Components {
			var o observance
			var cb *ics.ComponentBase
			switch c := c.(type) {
			case *ics.Standard:
				o.kind, cb = "STANDARD", &c.ComponentBase
			case *ics.Daylight:
				o.kind, cb = "DAYLIGHT", &c.ComponentBase
			default:
				tb.Fatalf("VTIMEZONE holds %T", c)
			}
			o.from = prop(tb, cb, ics.PropertyTzoffsetfrom)
			o.to = prop(tb, cb, ics.PropertyTzoffsetto)
			o.fromSecs, o.toSecs = parseOffset(tb, o.from), parseOffset(tb, o.to)
			wall, err := time.Parse(localLayout, prop(tb, cb, ics.PropertyDtstart))
			if err != nil {
				tb.Fatalf("observance DTSTART: %v", err)
			}
			// DTSTART is the local time in the offset before the change.
			o.onset = wall.Add(-time.Duration(o.fromSecs) * time.Second)
			z.obs = append(z.obs, o)
		}
		sort.Slice(z.obs, func(i, j int) bool { return z.obs[i].onset.Before(z.obs[j].onset) })
		out[z.tzid] = z
	}
	return out
}

// resolve returns the instant a client reads for the local time wall
// (given as a UTC time with the same fields): the first occurrence under
// the observances, as RFC 5545 §3.3.5 says.
func (z *zoneDef) resolve(wall time.Time) (time.Time, error) {
	for i, o := range z.obs {
		u := wall.Add(-time.Duration(o.toSecs) * time.Second)
		if u.Before(o.onset) {
			continue
		}
		if i+1 < len(z.obs) && !u.Before(z.obs[i+1].onset) {
			continue
		}
		return u, nil // observances are in order, so the first match is earliest
	}
	return time.Time{}, fmt.Errorf("%s: no observance covers %s", z.tzid, wall.Format(localLayout))
}

// instant resolves event property p both with the VTIMEZONE that was
// written and with Go's own tz data, and checks they agree.
func instant(tb testing.TB, ev *ics.VEvent, p ics.Property, zs map[string]*zoneDef, zone string) (t time.Time, utc bool) {
	tb.Helper()
	v := ev.GetProperty(ics.ComponentProperty(p))
	if v == nil {
		tb.Fatalf("%s: missing %s", ev.Id(), p)
	}
	tzid := v.ICalParameters[string(ics.ParameterTzid)]
	if strings.HasSuffix(v.Value, "Z") {
		if tzid != nil {
			tb.Fatalf("%s: %s has TZID=%v and a UTC value %s", ev.Id(), p, tzid, v.Value)
		}
		t, err := time.Parse(utcLayout, v.Value)
		if err != nil {
			tb.Fatalf("%s: %s: %v", ev.Id(), p, err)
		}
		return t, true
	}
	if got, want := strings.Join(tzid, ","), zone; got != want {
		tb.Fatalf("%s: %s TZID=%q, want %q", ev.Id(), p, got, want)
	}
	z := zs[zone]
	if z == nil {
		tb.Fatalf("no VTIMEZONE for TZID %q", zone)
	}
	wall, err := time.Parse(localLayout, v.Value)
	if err != nil {
		tb.Fatalf("%s: %s: %v", ev.Id(), p, err)
	}
	t, err = z.resolve(wall)
	if err != nil {
		tb.Fatalf("%s: %s: %v", ev.Id(), p, err)
	}
	// The library resolves TZID with time.LoadLocation.
	var lib time.Time
	if p == ics.PropertyDtstart {
		lib, err = ev.GetStartAt()
	} else {
		lib, err = ev.GetEndAt()
	}
	if err != nil {
		tb.Fatalf("%s: library %s: %v", ev.Id(), p, err)
	}
	if !lib.Equal(t) {
		tb.Fatalf("%s: %s %s: VTIMEZONE gives %v, time.LoadLocation gives %v", ev.Id(), p, v.Value, t, lib)
	}
	return t, false
}

func TestWrite(t *testing.T) {
	type obs struct{ kind, from, to string }
	la := mustLoad(t, "America/Los_Angeles")
	seoul := mustLoad(t, "Asia/Seoul")
	sydney := mustLoad(t, "Australia/Sydney")
	at := func(loc *time.Location, y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, loc)
	}
	tests := []struct {
		name   string
		zone   *time.Location
		events []Event
		want   []obs
	}{
		{
			name: "LosAngelesDecember",
			zone: la,
			events: []Event{
				{UID: "KEY101@reinvent-2025.lanyard", Summary: "Keynote", Start: at(la, 2025, 12, 2, 8, 0), End: at(la, 2025, 12, 2, 10, 30), Status: "CONFIRMED"},
				{UID: "SVS301@reinvent-2025.lanyard", Summary: "Serverless", Start: at(la, 2025, 12, 3, 13, 0), End: at(la, 2025, 12, 3, 14, 0), Status: "TENTATIVE"},
			},
			want: []obs{{"STANDARD", "-0700", "-0800"}},
		},
		{
			name: "LosAngelesJuly",
			zone: la,
			events: []Event{
				{UID: "A@summit.lanyard", Start: at(la, 2026, 7, 14, 9, 0), End: at(la, 2026, 7, 14, 10, 0)},
			},
			want: []obs{{"DAYLIGHT", "-0800", "-0700"}},
		},
		{
			name: "LosAngelesAcrossTransitions",
			zone: la,
			events: []Event{
				{UID: "A@x.lanyard", Start: at(la, 2026, 2, 1, 9, 0), End: at(la, 2026, 2, 1, 10, 0)},
				{UID: "B@x.lanyard", Start: at(la, 2026, 7, 1, 9, 0), End: at(la, 2026, 7, 1, 10, 0)},
				{UID: "C@x.lanyard", Start: at(la, 2026, 12, 1, 9, 0), End: at(la, 2026, 12, 1, 10, 0)},
			},
			want: []obs{{"STANDARD", "-0700", "-0800"}, {"DAYLIGHT", "-0800", "-0700"}, {"STANDARD", "-0700", "-0800"}},
		},
		{
			name: "Seoul",
			zone: seoul,
			events: []Event{
				{UID: "K1@devcon-seoul.lanyard", Summary: "서버리스 아키텍처", Start: at(seoul, 2026, 3, 8, 10, 0), End: at(seoul, 2026, 3, 8, 11, 0)},
				{UID: "K2@devcon-seoul.lanyard", Summary: "쿠버네티스", Start: at(seoul, 2026, 11, 1, 10, 0), End: at(seoul, 2026, 11, 1, 11, 0)},
			},
			// Korea last changed its clocks in 1988, from +1000 (KDT).
			want: []obs{{"STANDARD", "+1000", "+0900"}},
		},
		{
			name: "SydneyDecemberIsDaylight",
			zone: sydney,
			events: []Event{
				{UID: "S@x.lanyard", Start: at(sydney, 2025, 12, 10, 9, 0), End: at(sydney, 2025, 12, 10, 10, 0)},
			},
			want: []obs{{"DAYLIGHT", "+1000", "+1100"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := mustWrite(t, Calendar{Name: tt.name, Zone: tt.zone, Stamp: stamp, Events: tt.events})
			cal := mustParse(t, out)
			zs := zones(t, cal)

			z := zs[tt.zone.String()]
			if z == nil || len(zs) != 1 {
				t.Fatalf("VTIMEZONEs %v, want one with TZID %s", zs, tt.zone)
			}
			var got []obs
			for _, o := range z.obs {
				got = append(got, obs{o.kind, o.from, o.to})
				// Each onset is the zone's real transition, to the second.
				if _, off := o.onset.Add(-time.Second).In(tt.zone).Zone(); off != o.fromSecs {
					t.Errorf("%s at %v: offset just before is %d, TZOFFSETFROM %s", o.kind, o.onset, off, o.from)
				}
				if _, off := o.onset.In(tt.zone).Zone(); off != o.toSecs {
					t.Errorf("%s at %v: offset at onset is %d, TZOFFSETTO %s", o.kind, o.onset, off, o.to)
				}
				if got, want := o.kind == "DAYLIGHT", o.onset.In(tt.zone).IsDST(); got != want {
					t.Errorf("%s at %v: IsDST=%v", o.kind, o.onset, want)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Fatalf("observances %v, want %v", got, tt.want)
			}

			evs := cal.Events()
			if got, want := len(evs), len(tt.events); got != want {
				t.Fatalf("%d events, want %d", got, want)
			}
			uids := map[string]bool{}
			for i, ev := range evs {
				in := tt.events[i]
				if got, want := ev.Id(), in.UID; got != want {
					t.Errorf("UID=%q, want %q", got, want)
				}
				if uids[ev.Id()] {
					t.Errorf("UID %q twice", ev.Id())
				}
				uids[ev.Id()] = true
				for _, c := range []struct {
					p    ics.Property
					want time.Time
				}{{ics.PropertyDtstart, in.Start}, {ics.PropertyDtend, in.End}} {
					got, utc := instant(t, ev, c.p, zs, tt.zone.String())
					if utc {
						t.Errorf("%s %s written in UTC", ev.Id(), c.p)
					}
					if !got.Equal(c.want) {
						t.Errorf("%s %s=%v, want %v", ev.Id(), c.p, got, c.want)
					}
				}
				if in.Summary != "" {
					if got, want := prop(t, &ev.ComponentBase, ics.PropertySummary), in.Summary; got != want {
						t.Errorf("SUMMARY=%q, want %q", got, want)
					}
				}
				if in.Status != "" {
					if got, want := prop(t, &ev.ComponentBase, ics.PropertyStatus), in.Status; got != want {
						t.Errorf("STATUS=%q, want %q", got, want)
					}
				} else if ev.HasProperty(ics.ComponentPropertyStatus) {
					t.Errorf("%s: STATUS written for an empty Status", ev.Id())
				}
				dtstamp, err := ev.GetDtStampTime()
				if err != nil || !dtstamp.Equal(stamp) {
					t.Errorf("DTSTAMP=%v (%v), want %v", dtstamp, err, stamp)
				}
			}
		})
	}
}

func TestEscaping(t *testing.T) {
	la := mustLoad(t, "America/Los_Angeles")
	long := strings.Repeat("서버리스 아키텍처, 그리고 이벤트 기반 설계; ", 8)
	tests := []struct {
		name, in, want string
	}{
		{"Brief", "Serverless, 서버리스; \"quotes\"\nnew line", "Serverless, 서버리스; \"quotes\"\nnew line"},
		{"Backslash", `C:\path\n is not a newline`, `C:\path\n is not a newline`},
		{"Colon", "Room: 101", "Room: 101"},
		{"CRLF", "line one\r\nline two\rline three", "line one\nline two\nline three"},
		{"Controls", "bell\a tab\t nul\x00", "bell tab\t nul"},
		{"LongKorean", long, long},
		{"LongNoSpaces", strings.Repeat("서버리스", 40), strings.Repeat("서버리스", 40)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Date(2025, 12, 1, 9, 0, 0, 0, la)
			out := mustWrite(t, Calendar{Name: tt.in, Zone: la, Stamp: stamp, Events: []Event{{
				UID: "X@y.lanyard", Summary: tt.in, Description: tt.in, Location: tt.in,
				Start: start, End: start.Add(time.Hour),
			}}})
			cal := mustParse(t, out)
			ev := cal.Events()[0]
			for _, p := range []ics.Property{ics.PropertySummary, ics.PropertyDescription, ics.PropertyLocation} {
				if got := prop(t, &ev.ComponentBase, p); got != tt.want {
					t.Errorf("%s=%q, want %q", p, got, tt.want)
				}
			}
			for _, p := range cal.CalendarProperties {
				if p.IANAToken == string(ics.PropertyXWRCalName) && p.Value != tt.want {
					t.Errorf("X-WR-CALNAME=%q, want %q", p.Value, tt.want)
				}
			}
			checkLines(t, out)
		})
	}

	t.Run("Wire", func(t *testing.T) {
		start := time.Date(2025, 12, 1, 9, 0, 0, 0, la)
		out := mustWrite(t, Calendar{Zone: la, Stamp: stamp, Events: []Event{{
			UID: "X@y.lanyard", Summary: "Serverless, 서버리스; \"quotes\"\nnew line",
			Start: start, End: start.Add(time.Hour),
		}}})
		if want := "SUMMARY:Serverless\\, 서버리스\\; \"quotes\"\\nnew line\r\n"; !strings.Contains(out, want) {
			t.Fatalf("output lacks %q:\n%s", want, out)
		}
	})
}

// checkLines checks the RFC 5545 §3.1 line format: CRLF endings, no bare CR
// or LF, at most 75 octets before the CRLF, folds on UTF-8 boundaries.
func checkLines(tb testing.TB, out string) {
	tb.Helper()
	if !strings.HasSuffix(out, "\r\n") {
		tb.Fatalf("output does not end in CRLF")
	}
	for i, line := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if strings.ContainsAny(line, "\r\n") {
			tb.Errorf("line %d has a bare CR or LF: %q", i+1, line)
		}
		if len(line) > 75 {
			tb.Errorf("line %d is %d octets: %q", i+1, len(line), line)
		}
		if !utf8.ValidString(line) {
			tb.Errorf("line %d splits a UTF-8 sequence: %q", i+1, line)
		}
	}
}

func TestCalendarProperties(t *testing.T) {
	la := mustLoad(t, "America/Los_Angeles")
	start := time.Date(2025, 12, 1, 9, 0, 0, 0, la)
	events := []Event{{UID: "A@b.lanyard", Start: start, End: start.Add(time.Hour), URL: "https://lanyard.example/s/A?x=1,2"}}
	tests := []struct {
		name    string
		refresh time.Duration
		want    map[string]string // property → value; "" means absent
	}{
		{"NoRefresh", 0, map[string]string{"REFRESH-INTERVAL": "", "X-PUBLISHED-TTL": ""}},
		{"Hourly", time.Hour, map[string]string{"REFRESH-INTERVAL": "PT1H", "X-PUBLISHED-TTL": "PT1H"}},
		{"Daily", 24 * time.Hour, map[string]string{"REFRESH-INTERVAL": "P1D", "X-PUBLISHED-TTL": "P1D"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := mustWrite(t, Calendar{Name: "Ada's agenda", Zone: la, Refresh: tt.refresh, Stamp: stamp, Events: events})
			checkLines(t, out)
			cal := mustParse(t, out)
			got := map[string]string{}
			for _, p := range cal.CalendarProperties {
				got[p.IANAToken] = p.Value
				if p.IANAToken == "REFRESH-INTERVAL" {
					if v := strings.Join(p.ICalParameters["VALUE"], ","); v != "DURATION" {
						t.Errorf("REFRESH-INTERVAL VALUE=%q, want DURATION", v)
					}
				}
			}
			want := map[string]string{
				"PRODID":       prodID,
				"VERSION":      "2.0",
				"CALSCALE":     "GREGORIAN",
				"METHOD":       "PUBLISH",
				"X-WR-CALNAME": "Ada's agenda",
			}
			for k, v := range tt.want {
				want[k] = v
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s=%q, want %q", k, got[k], v)
				}
			}
			if got, want := prop(t, &cal.Events()[0].ComponentBase, ics.PropertyUrl), events[0].URL; got != want {
				t.Errorf("URL=%q, want %q", got, want)
			}
		})
	}
}

func TestWriteStampDefaultsToNow(t *testing.T) {
	la := mustLoad(t, "America/Los_Angeles")
	start := time.Date(2025, 12, 1, 9, 0, 0, 0, la)
	before := time.Now().Truncate(time.Second)
	cal := mustParse(t, mustWrite(t, Calendar{Zone: la, Events: []Event{{UID: "A", Start: start, End: start}}}))
	after := time.Now()
	got, err := cal.Events()[0].GetDtStampTime()
	if err != nil {
		t.Fatal(err)
	}
	if got.Before(before) || got.After(after) {
		t.Fatalf("DTSTAMP=%v, want between %v and %v", got, before, after)
	}
}

func TestWriteNoEvents(t *testing.T) {
	out := mustWrite(t, Calendar{Name: "Empty", Zone: mustLoad(t, "Asia/Seoul"), Stamp: stamp})
	cal := mustParse(t, out)
	if n := len(cal.Components); n != 0 {
		t.Fatalf("%d components, want none", n)
	}
}

func TestWriteErrors(t *testing.T) {
	la := mustLoad(t, "America/Los_Angeles")
	start := time.Date(2025, 12, 1, 9, 0, 0, 0, la)
	ok := Event{UID: "A", Start: start, End: start.Add(time.Hour)}
	with := func(f func(*Event)) []Event {
		e := ok
		f(&e)
		return []Event{e}
	}
	tests := []struct {
		name string
		c    Calendar
	}{
		{"NilZone", Calendar{Events: []Event{ok}}},
		{"LocalZone", Calendar{Zone: time.Local, Events: []Event{ok}}},
		{"NegativeRefresh", Calendar{Zone: la, Refresh: -time.Hour}},
		{"NoUID", Calendar{Zone: la, Events: with(func(e *Event) { e.UID = "" })}},
		{"DuplicateUID", Calendar{Zone: la, Events: []Event{ok, ok}}},
		{"NoStart", Calendar{Zone: la, Events: with(func(e *Event) { e.Start = time.Time{} })}},
		{"NoEnd", Calendar{Zone: la, Events: with(func(e *Event) { e.End = time.Time{} })}},
		{"EndBeforeStart", Calendar{Zone: la, Events: with(func(e *Event) { e.End = e.Start.Add(-time.Minute) })}},
		{"BadStatus", Calendar{Zone: la, Events: with(func(e *Event) { e.Status = "WAITLISTED" })}},
		{"RelativeURL", Calendar{Zone: la, Events: with(func(e *Event) { e.URL = "/s/A" })}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, tt.c); err == nil {
				t.Fatalf("Write succeeded:\n%s", b.String())
			}
			if b.Len() != 0 {
				t.Fatalf("Write failed but wrote %d bytes", b.Len())
			}
		})
	}
}

type failWriter struct{}

var errWrite = errors.New("disk full")

func (failWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestWriteReturnsWriterError(t *testing.T) {
	err := Write(failWriter{}, Calendar{Zone: time.UTC})
	if !errors.Is(err, errWrite) {
		t.Fatalf("err=%v, want %v", err, errWrite)
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{time.Second, "PT1S"},
		{time.Millisecond, "PT1S"},
		{15 * time.Minute, "PT15M"},
		{time.Hour, "PT1H"},
		{time.Hour + 30*time.Second, "PT1H0M30S"},
		{90 * time.Minute, "PT1H30M"},
		{24 * time.Hour, "P1D"},
		{7 * 24 * time.Hour, "P7D"},
		{26*time.Hour + 5*time.Second, "P1DT2H0M5S"},
		{24*time.Hour + 61*time.Second, "P1DT1M1S"},
	}
	for _, tt := range tests {
		t.Run(tt.in.String(), func(t *testing.T) {
			if got := duration(tt.in); got != tt.want {
				t.Fatalf("duration(%v)=%q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestUTCOffset(t *testing.T) {
	tests := []struct {
		in   int
		want string
	}{
		{0, "+0000"},
		{-8 * 3600, "-0800"},
		{9 * 3600, "+0900"},
		{5*3600 + 30*60, "+0530"},
		{-(7*3600 + 52*60 + 58), "-075258"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := utcOffset(tt.in); got != tt.want {
				t.Fatalf("utcOffset(%d)=%q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFirstOccurrence(t *testing.T) {
	utc := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name string
		zone string
		at   time.Time
		want bool
	}{
		// Los Angeles falls back at 2025-11-02 09:00Z: 01:00–02:00 local twice.
		{"LAFirst0130", "America/Los_Angeles", utc("2025-11-02T08:30:00Z"), true},
		{"LASecond0130", "America/Los_Angeles", utc("2025-11-02T09:30:00Z"), false},
		{"LASecond0100", "America/Los_Angeles", utc("2025-11-02T09:00:00Z"), false},
		{"LASecond0159", "America/Los_Angeles", utc("2025-11-02T09:59:59Z"), false},
		{"LAAfter0200", "America/Los_Angeles", utc("2025-11-02T10:00:00Z"), true},
		{"LASpringForward", "America/Los_Angeles", utc("2025-03-09T10:00:00Z"), true},
		// Berlin falls back at 2025-10-26 01:00Z: 02:00–03:00 local twice.
		{"BerlinFirst", "Europe/Berlin", utc("2025-10-26T00:30:00Z"), true},
		{"BerlinSecond", "Europe/Berlin", utc("2025-10-26T01:30:00Z"), false},
		{"Seoul", "Asia/Seoul", utc("2026-03-08T01:00:00Z"), true},
		{"UTC", "UTC", utc("2026-03-08T01:00:00Z"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := firstOccurrence(tt.at, mustLoad(t, tt.zone)); got != tt.want {
				t.Fatalf("firstOccurrence(%v in %s)=%v, want %v", tt.at, tt.zone, got, tt.want)
			}
		})
	}
}

// TestRoundTripRandomLosAngeles writes random instants across a year in
// Los Angeles, crowded around the DST transitions, and checks that every
// one reads back as the same instant.
func TestRoundTripRandomLosAngeles(t *testing.T) {
	la := mustLoad(t, "America/Los_Angeles")
	rng := rand.New(rand.NewPCG(2026, 5545))
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, la)
	to := time.Date(2027, 1, 1, 0, 0, 0, 0, la)
	// The 2026 transitions, found independently of the code under test.
	var edges []time.Time
	for h := from; h.Before(to); h = h.Add(time.Hour) {
		if _, a := h.Zone(); func() bool { _, b := h.Add(time.Hour).Zone(); return a != b }() {
			lo, hi := h.Unix(), h.Add(time.Hour).Unix()
			_, a := h.Zone()
			for hi-lo > 1 {
				mid := (lo + hi) / 2
				if _, o := time.Unix(mid, 0).In(la).Zone(); o == a {
					lo = mid
				} else {
					hi = mid
				}
			}
			edges = append(edges, time.Unix(hi, 0))
		}
	}
	if len(edges) != 2 {
		t.Fatalf("found transitions %v, want 2", edges)
	}

	var events []Event
	add := func(start time.Time) {
		end := start.Add(time.Duration(rng.Int64N(int64(3*time.Hour)/int64(time.Second))) * time.Second)
		events = append(events, Event{UID: fmt.Sprintf("R%d@random.lanyard", len(events)), Start: start, End: end})
	}
	span := to.Unix() - from.Unix()
	for range 1000 {
		add(time.Unix(from.Unix()+rng.Int64N(span), 0))
	}
	for _, e := range edges {
		for _, d := range []time.Duration{-time.Hour, -time.Second, 0, time.Second, 30 * time.Minute, time.Hour - time.Second, time.Hour} {
			add(e.Add(d))
		}
		for range 200 { // two hours either side
			add(e.Add(time.Duration(rng.Int64N(4*3600)-2*3600) * time.Second))
		}
	}

	out := mustWrite(t, Calendar{Zone: la, Stamp: stamp, Events: events})
	checkLines(t, out)
	cal := mustParse(t, out)
	zs := zones(t, cal)
	evs := cal.Events()
	if got, want := len(evs), len(events); got != want {
		t.Fatalf("%d events, want %d", got, want)
	}
	var inUTC int
	for i, ev := range evs {
		in := events[i]
		for _, c := range []struct {
			p    ics.Property
			want time.Time
		}{{ics.PropertyDtstart, in.Start}, {ics.PropertyDtend, in.End}} {
			got, utc := instant(t, ev, c.p, zs, "America/Los_Angeles")
			if !got.Equal(c.want) {
				t.Errorf("%s %s=%v, want %v", ev.Id(), c.p, got, c.want)
			}
			if utc {
				inUTC++
				// Only the second pass through the repeated hour needs UTC.
				if edge := edges[1]; c.want.Before(edge) || !c.want.Before(edge.Add(time.Hour)) {
					t.Errorf("%s %s=%v written in UTC outside the repeated hour", ev.Id(), c.p, c.want)
				}
			}
		}
	}
	if inUTC == 0 {
		t.Errorf("no time fell in the repeated hour; the test lost its edge cases")
	}
}
