package shuttle_test

import (
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/shuttle"
)

var vegas = mustZone("America/Los_Angeles")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at is a wall-clock time in Las Vegas; for an hour the clocks repeat,
// the first (PDT) is meant.
func at(date, clock string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", date+" "+clock, vegas)
	if err != nil {
		panic(err)
	}
	return t
}

func route(name string, every int, stops []lanyard.ShuttleStop, days ...lanyard.ShuttleDay) lanyard.ShuttleRoute {
	return lanyard.ShuttleRoute{Name: name, Every: every, Stops: stops, Days: days}
}

func stops(venues ...any) []lanyard.ShuttleStop {
	var out []lanyard.ShuttleStop
	for i := 0; i < len(venues); i += 2 {
		out = append(out, lanyard.ShuttleStop{Venue: venues[i].(string), RideMinutes: venues[i+1].(int)})
	}
	return out
}

func TestNext(t *testing.T) {
	day := func(date, first, last string) lanyard.ShuttleDay {
		return lanyard.ShuttleDay{Date: date, First: first, Last: last}
	}
	north := route("North loop", 15, stops("venetian", 0, "wynn", 8, "encore", 4, "venetian", 10),
		day("2026-11-30", "07:00", "21:00"), day("2026-12-01", "07:00", "21:00"), day("2026-12-03", "07:00", "21:00"))
	late := route("Party", 20, stops("venetian", 0, "mgm", 25), day("2026-12-01", "18:00", "01:00"))
	fast := route("Express", 30, stops("venetian", 0, "encore", 6), day("2026-11-30", "07:10", "20:40"))
	// The night the clocks fall back (1 Nov 2026, 02:00 PDT → 01:00 PST)
	// and the night they spring forward (8 Mar 2026, 02:00 PST → 03:00 PDT).
	fall := route("Fall", 30, stops("a", 0, "b", 10), day("2026-11-01", "00:30", "03:00"))
	spring := route("Spring", 30, stops("a", 0, "b", 10), day("2026-03-08", "01:00", "04:00"))
	routes, err := shuttle.Compile([]lanyard.ShuttleRoute{north, late, fast, fall, spring}, vegas)
	if err != nil {
		t.Fatal(err)
	}
	utc := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	tests := []struct {
		name     string
		from, to string
		after    time.Time
		dep, arr time.Time
		route    string
		none     bool
	}{
		{"on the dot", "venetian", "wynn", at("2026-11-30", "07:00"), at("2026-11-30", "07:00"), at("2026-11-30", "07:08"), "North loop", false},
		{"just missed", "venetian", "wynn", at("2026-11-30", "07:01"), at("2026-11-30", "07:15"), at("2026-11-30", "07:23"), "North loop", false},
		{"from a middle stop", "wynn", "encore", at("2026-11-30", "09:00"), at("2026-11-30", "09:08"), at("2026-11-30", "09:12"), "North loop", false},
		{"loop back to the start", "encore", "venetian", at("2026-11-30", "09:00"), at("2026-11-30", "09:12"), at("2026-11-30", "09:22"), "North loop", false},
		{"earliest arrival wins", "venetian", "encore", at("2026-11-30", "07:02"), at("2026-11-30", "07:10"), at("2026-11-30", "07:16"), "Express", false},
		{"slower route arrives first", "venetian", "encore", at("2026-11-30", "07:11"), at("2026-11-30", "07:15"), at("2026-11-30", "07:27"), "North loop", false},
		{"last bus", "venetian", "wynn", at("2026-11-30", "20:59"), at("2026-11-30", "21:00"), at("2026-11-30", "21:08"), "North loop", false},
		{"after the last bus: next morning", "venetian", "wynn", at("2026-11-30", "21:01"), at("2026-12-01", "07:00"), at("2026-12-01", "07:08"), "North loop", false},
		{"a day without service is skipped", "venetian", "wynn", at("2026-12-01", "22:00"), at("2026-12-03", "07:00"), at("2026-12-03", "07:08"), "North loop", false},
		{"the last bus reaches a later stop after its last departure", "encore", "venetian", at("2026-11-30", "21:05"), at("2026-11-30", "21:12"), at("2026-11-30", "21:22"), "North loop", false},
		{"service past midnight", "venetian", "mgm", at("2026-12-02", "00:45"), at("2026-12-02", "01:00"), at("2026-12-02", "01:25"), "Party", false},
		{"ride across midnight", "venetian", "mgm", at("2026-12-01", "23:41"), at("2026-12-02", "00:00"), at("2026-12-02", "00:25"), "Party", false},
		{"after the last day", "venetian", "wynn", at("2026-12-03", "21:30"), time.Time{}, time.Time{}, "", true},
		{"wrong direction", "mgm", "venetian", at("2026-12-01", "18:00"), time.Time{}, time.Time{}, "", true},
		{"unknown venue", "bellagio", "wynn", at("2026-12-01", "18:00"), time.Time{}, time.Time{}, "", true},
		{"asked in UTC, answered at the same instant", "venetian", "wynn", utc("2026-11-30T15:07:00Z"), utc("2026-11-30T15:15:00Z"), utc("2026-11-30T15:23:00Z"), "North loop", false},
		// Fall back: buses keep leaving every 30 real minutes through the
		// repeated hour: 01:30 PDT, then 01:00 PST (30 minutes later).
		{"fall back: first 01:30", "a", "b", utc("2026-11-01T08:20:00Z"), utc("2026-11-01T08:30:00Z"), utc("2026-11-01T08:40:00Z"), "Fall", false},
		{"fall back: the repeated 01:00", "a", "b", utc("2026-11-01T08:31:00Z"), utc("2026-11-01T09:00:00Z"), utc("2026-11-01T09:10:00Z"), "Fall", false},
		{"fall back: last at 03:00 PST", "a", "b", utc("2026-11-01T10:45:00Z"), utc("2026-11-01T11:00:00Z"), utc("2026-11-01T11:10:00Z"), "Fall", false},
		{"fall back: none after", "a", "b", utc("2026-11-01T11:01:00Z"), time.Time{}, time.Time{}, "", true},
		// Spring forward: 01:30 PST is followed 30 minutes later by 03:00
		// PDT; 02:xx never shows.
		{"spring forward: across the gap", "a", "b", at("2026-03-08", "01:45"), utc("2026-03-08T10:00:00Z"), utc("2026-03-08T10:10:00Z"), "Spring", false},
		{"spring forward: last at 04:00 PDT", "a", "b", at("2026-03-08", "03:31"), at("2026-03-08", "04:00"), at("2026-03-08", "04:10"), "Spring", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dep, arr, name, ok := shuttle.Next(routes, tt.from, tt.to, tt.after)
			if ok == tt.none {
				t.Fatalf("ok=%v, want %v (%s %s %s)", ok, !tt.none, name, dep.In(vegas), arr.In(vegas))
			}
			if tt.none {
				return
			}
			if !dep.Equal(tt.dep) || !arr.Equal(tt.arr) || name != tt.route {
				t.Errorf("got %s %s→%s, want %s %s→%s", name, dep.In(vegas).Format("Jan 2 15:04 MST"), arr.In(vegas).Format("15:04 MST"),
					tt.route, tt.dep.In(vegas).Format("Jan 2 15:04 MST"), tt.arr.In(vegas).Format("15:04 MST"))
			}
		})
	}
	// The spring-forward departure shows at 03:00 on the wall, never 02:xx.
	dep, _, _, _ := shuttle.Next(routes, "a", "b", at("2026-03-08", "01:45"))
	if got := dep.In(vegas).Format("15:04 MST"); got != "03:00 PDT" {
		t.Errorf("after the gap the bus leaves at %s, want 03:00 PDT", got)
	}
}

func TestDepartures(t *testing.T) {
	rs, err := shuttle.Compile([]lanyard.ShuttleRoute{
		route("North", 20, stops("venetian", 0, "wynn", 8, "encore", 4), lanyard.ShuttleDay{Date: "2026-11-30", First: "07:00", Last: "08:00"}),
		route("South", 30, stops("venetian", 0, "mgm", 25), lanyard.ShuttleDay{Date: "2026-11-30", First: "07:15", Last: "20:00"}),
		route("Back", 15, stops("wynn", 0, "venetian", 8), lanyard.ShuttleDay{Date: "2026-11-30", First: "07:00", Last: "20:00"}),
	}, vegas)
	if err != nil {
		t.Fatal(err)
	}
	got := shuttle.Departures(rs, "venetian", at("2026-11-30", "07:30"), 4)
	want := []string{"07:40 North wynn 07:48 encore 07:52", "07:45 South mgm 08:10", "08:00 North wynn 08:08 encore 08:12", "08:15 South mgm 08:40"}
	if len(got) != len(want) {
		t.Fatalf("%d departures, want %d: %+v", len(got), len(want), got)
	}
	for i, d := range got {
		s := d.At.In(vegas).Format("15:04") + " " + d.Route
		for _, c := range d.Calls {
			s += " " + c.Venue + " " + c.At.In(vegas).Format("15:04")
		}
		if s != want[i] {
			t.Errorf("departure %d: %q, want %q", i, s, want[i])
		}
	}
	// The last stop of a route is not a departure of it.
	if got := shuttle.Departures(rs, "mgm", at("2026-11-30", "07:00"), 5); len(got) != 0 {
		t.Errorf("departures from a terminus: %+v", got)
	}
}

func TestValidate(t *testing.T) {
	ok := route("R", 15, stops("a", 0, "b", 10), lanyard.ShuttleDay{Date: "2026-12-01", First: "07:00", Last: "21:00"})
	tests := []struct {
		name  string
		edit  func(r *lanyard.ShuttleRoute)
		field string
	}{
		{"valid", func(*lanyard.ShuttleRoute) {}, ""},
		{"no name", func(r *lanyard.ShuttleRoute) { r.Name = " " }, "name"},
		{"one stop", func(r *lanyard.ShuttleRoute) { r.Stops = r.Stops[:1] }, "stops"},
		{"same venue twice in a row", func(r *lanyard.ShuttleRoute) { r.Stops[1].Venue = "a" }, "stops"},
		{"no ride time", func(r *lanyard.ShuttleRoute) { r.Stops[1].RideMinutes = 0 }, "stops"},
		{"never", func(r *lanyard.ShuttleRoute) { r.Every = 0 }, "every"},
		{"no days", func(r *lanyard.ShuttleRoute) { r.Days = nil }, "days"},
		{"bad date", func(r *lanyard.ShuttleRoute) { r.Days[0].Date = "12/01/2026" }, "days"},
		{"bad time", func(r *lanyard.ShuttleRoute) { r.Days[0].Last = "25:00" }, "days"},
	}
	for _, tt := range tests {
		r := ok
		r.Stops = append([]lanyard.ShuttleStop(nil), ok.Stops...)
		r.Days = append([]lanyard.ShuttleDay(nil), ok.Days...)
		tt.edit(&r)
		err := shuttle.Validate(r)
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if lanyard.ErrorCode(err) != lanyard.EINVALID || lanyard.ErrorField(err) != tt.field {
			t.Errorf("%s: %v (field %q), want invalid %s", tt.name, err, lanyard.ErrorField(err), tt.field)
		}
	}
}
