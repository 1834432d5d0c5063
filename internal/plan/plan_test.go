package plan_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/plan"
)

// la is the event's zone. Las Vegas is 8 hours behind UTC in December, so a
// session at 17:00 local starts on the next day in UTC.
var la = func() *time.Location {
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		panic(err)
	}
	return loc
}()

// at returns December day, hh:mm in the event's zone.
func at(day, hh, mm int) time.Time { return time.Date(2026, 12, day, hh, mm, 0, 0, la) }

// sess returns a session on December 1 from h1:m1 to h2:m2 local.
func sess(code, venue string, h1, m1, h2, m2 int) *lanyard.Session {
	return &lanyard.Session{Code: code, Title: code, Type: lanyard.TypeSession, Venue: venue, Start: at(1, h1, m1), End: at(1, h2, m2)}
}

func held(ss ...*lanyard.Session) []plan.Entry {
	out := make([]plan.Entry, len(ss))
	for i, s := range ss {
		out[i] = plan.Entry{Session: s}
	}
	return out
}

// matrix is the test's travel times. Caesars is in no pair.
//
//	venetian → mgm:      walk 30, shuttle 20: the shuttle is faster
//	mgm → venetian:      walk 30, no shuttle (the loop does not run back)
//	venetian → wynn:     walk 10, shuttle 15: walking is faster
//	wynn → venetian:     walk 15, shuttle 15: a tie goes to walking
var matrix = travelFunc([]lanyard.TravelTime{
	{From: "venetian", To: "mgm", WalkMinutes: 30, ShuttleMinutes: 20},
	{From: "mgm", To: "venetian", WalkMinutes: 30},
	{From: "venetian", To: "wynn", WalkMinutes: 10, ShuttleMinutes: 15},
	{From: "wynn", To: "venetian", WalkMinutes: 15, ShuttleMinutes: 15},
})

func travelFunc(tt []lanyard.TravelTime) plan.TravelFunc {
	m := map[[2]string]lanyard.TravelTime{}
	for _, t := range tt {
		m[[2]string{t.From, t.To}] = t
	}
	return func(from, to string) (lanyard.TravelTime, bool) {
		t, ok := m[[2]string{from, to}]
		return t, ok
	}
}

// summary renders days as lines, for comparison:
//
//	day 2026-12-01 08:00-12:00 A W(wait 3) K(marker)
//	gap A>B 30/20 shuttle
//	gap A>B 10/20 shuttle SHORT
//	warn travel 10 A>B
func summary(days []plan.Day) string {
	var b strings.Builder
	for _, d := range days {
		fmt.Fprintf(&b, "day %s %s-%s", d.Date, d.First.In(la).Format("15:04"), d.Last.In(la).Format("15:04"))
		for _, e := range d.Entries {
			b.WriteString(" " + e.Session.Code)
			switch {
			case e.Marker:
				b.WriteString("(marker)")
			case e.Waitlisted:
				fmt.Fprintf(&b, "(wait %d)", e.Position)
			}
		}
		b.WriteString("\n")
		for _, g := range d.Gaps {
			fmt.Fprintf(&b, "gap %s>%s %d/%d", g.From.Code, g.To.Code, g.Minutes, g.Travel)
			if g.Mode != "" {
				b.WriteString(" " + g.Mode)
			}
			if !g.Enough {
				b.WriteString(" SHORT")
			}
			b.WriteString("\n")
		}
		for _, w := range d.Warnings {
			if w.Day != d.Date {
				fmt.Fprintf(&b, "warning on %s listed under %s\n", w.Day, d.Date)
			}
			fmt.Fprintf(&b, "warn %s %d", w.Code, w.Minutes)
			if w.From != nil {
				fmt.Fprintf(&b, " %s>%s", w.From.Code, w.To.Code)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

func lines(ss ...string) string {
	if len(ss) == 0 {
		return ""
	}
	return strings.Join(ss, "\n") + "\n"
}

func TestBuild(t *testing.T) {
	tests := []struct {
		name    string
		entries []plan.Entry
		want    string
	}{
		{"empty", nil, ""},
		{"same venue back to back needs no travel",
			held(sess("A", "venetian", 9, 0, 10, 0), sess("B", "venetian", 10, 0, 11, 0)),
			lines("day 2026-12-01 09:00-11:00 A B", "gap A>B 0/0")},
		{"given in any order",
			held(sess("B", "venetian", 10, 0, 11, 0), sess("A", "venetian", 9, 0, 10, 0)),
			lines("day 2026-12-01 09:00-11:00 A B", "gap A>B 0/0")},
		{"venue change with enough time",
			held(sess("A", "venetian", 9, 0, 10, 0), sess("B", "mgm", 10, 30, 11, 30)),
			lines("day 2026-12-01 09:00-11:30 A B", "gap A>B 30/20 shuttle")},
		{"venue change with exactly enough time",
			held(sess("A", "venetian", 9, 0, 10, 0), sess("B", "mgm", 10, 20, 11, 30)),
			lines("day 2026-12-01 09:00-11:30 A B", "gap A>B 20/20 shuttle")},
		{"venue change with too little time",
			held(sess("A", "venetian", 9, 0, 10, 0), sess("B", "mgm", 10, 10, 11, 0)),
			lines("day 2026-12-01 09:00-11:00 A B", "gap A>B 10/20 shuttle SHORT", "warn travel 10 A>B")},
		{"walk, shuttle, walk only, and a tie",
			held(
				sess("A", "venetian", 8, 0, 8, 30), // → mgm: shuttle 20 beats walk 30
				sess("B", "mgm", 9, 0, 9, 30),      // → venetian: walk only
				sess("C", "venetian", 10, 0, 10, 30),
				sess("D", "wynn", 16, 0, 16, 30),      // venetian → wynn: walk 10 beats shuttle 15
				sess("E", "venetian", 17, 0, 17, 30)), // wynn → venetian: 15 either way, walk
			lines("day 2026-12-01 08:00-17:30 A B C D E",
				"gap A>B 30/20 shuttle", "gap B>C 30/30 walk", "gap C>D 330/10 walk", "gap D>E 30/15 walk")},
		{"pair missing from the matrix needs no time; a session with no venue is no place",
			held(sess("A", "venetian", 9, 0, 10, 0), sess("B", "caesars", 10, 0, 11, 0), sess("C", "", 11, 0, 12, 0), sess("D", "mgm", 12, 0, 12, 30)),
			lines("day 2026-12-01 09:00-12:30 A B C D", "gap A>B 0/0", "gap B>D 60/0")},
		{"the trip is judged from the last place, past a session with no venue (as the engine does)",
			held(sess("A", "venetian", 9, 0, 10, 0), sess("B", "", 10, 0, 10, 5), sess("C", "mgm", 10, 10, 11, 0)),
			lines("day 2026-12-01 09:00-11:00 A B C", "gap A>C 10/20 shuttle SHORT", "warn travel 10 A>C")},
		{"back to back over 4 hours",
			held(sess("A", "venetian", 8, 0, 10, 0), sess("B", "venetian", 10, 10, 12, 0), sess("C", "venetian", 12, 5, 12, 30)),
			lines("day 2026-12-01 08:00-12:30 A B C", "gap A>B 10/0", "gap B>C 5/0", "warn back_to_back 270 A>C")},
		{"back to back of exactly 4 hours is fine",
			held(sess("A", "venetian", 8, 0, 10, 0), sess("B", "venetian", 10, 10, 12, 0)),
			lines("day 2026-12-01 08:00-12:00 A B", "gap A>B 10/0")},
		{"a 15 minute break ends a run",
			held(sess("A", "venetian", 7, 0, 10, 0), sess("B", "venetian", 10, 15, 12, 0), sess("C", "venetian", 14, 0, 18, 0)),
			lines("day 2026-12-01 07:00-18:00 A B C", "gap A>B 15/0", "gap B>C 120/0")},
		{"no lunch",
			held(sess("A", "venetian", 10, 0, 12, 0), sess("B", "venetian", 12, 15, 15, 0)),
			lines("day 2026-12-01 10:00-15:00 A B", "gap A>B 15/0", "warn no_lunch 15")},
		{"a lunch gap of 30 minutes",
			held(sess("A", "venetian", 10, 0, 12, 0), sess("B", "venetian", 12, 30, 15, 0)),
			lines("day 2026-12-01 10:00-15:00 A B", "gap A>B 30/0")},
		{"lunch at the edge of the window",
			held(sess("A", "venetian", 11, 30, 14, 0)),
			lines("day 2026-12-01 11:30-14:00 A")},
		{"no lunch when both edges are short",
			held(sess("A", "venetian", 11, 20, 13, 40)),
			lines("day 2026-12-01 11:20-13:40 A", "warn no_lunch 20")},
		{"waitlisted sessions are shown but not counted",
			[]plan.Entry{
				{Session: sess("A", "venetian", 9, 0, 10, 0)},
				{Session: sess("W", "mgm", 9, 30, 10, 30), Waitlisted: true, Position: 3},
				{Session: sess("B", "venetian", 10, 30, 11, 0)},
				{Session: sess("X", "mgm", 11, 0, 15, 0), Waitlisted: true, Position: 1},
			},
			lines("day 2026-12-01 09:00-15:00 A W(wait 3) B X(wait 1)", "gap A>B 30/0")},
		{"markers are shown but not counted",
			[]plan.Entry{
				{Session: sess("K", "mgm", 8, 0, 11, 0), Marker: true},
				{Session: sess("A", "venetian", 10, 0, 11, 0)},
				{Session: sess("B", "venetian", 11, 0, 12, 0)},
				{Session: sess("P", "wynn", 11, 0, 20, 0), Marker: true},
			},
			lines("day 2026-12-01 08:00-20:00 K(marker) A B P(marker)", "gap A>B 0/0")},
		{"overlap",
			held(sess("A", "venetian", 9, 0, 10, 0), sess("B", "venetian", 9, 30, 10, 30), sess("C", "mgm", 10, 30, 11, 0)),
			lines("day 2026-12-01 09:00-11:00 A B C", "gap B>C 0/20 shuttle SHORT", "warn overlap 30 A>B", "warn travel 0 B>C")},
		{"the session that ends last is the one before",
			held(sess("A", "mgm", 9, 0, 12, 0), sess("B", "venetian", 10, 0, 11, 0), sess("C", "venetian", 12, 0, 13, 0)),
			lines("day 2026-12-01 09:00-13:00 A B C", "gap A>C 0/30 walk SHORT",
				"warn overlap 60 A>B", "warn travel 0 A>C")},
		{"unscheduled and empty entries are left out",
			[]plan.Entry{{Session: &lanyard.Session{Code: "TBA", Title: "TBA"}}, {}, {Session: sess("A", "venetian", 9, 0, 10, 0)}},
			lines("day 2026-12-01 09:00-10:00 A")},
		{"days split at local midnight, not UTC",
			held(
				sess("A", "venetian", 9, 0, 10, 0),
				// 17:00 in Las Vegas is 01:00 UTC on December 2; still December 1 here.
				sess("B", "venetian", 17, 0, 18, 0),
				&lanyard.Session{Code: "C", Venue: "venetian", Start: at(1, 23, 0), End: at(1, 23, 50)},
				// Five minutes after C, but on the next day: no gap, no travel warning.
				&lanyard.Session{Code: "D", Venue: "mgm", Start: at(1, 23, 55), End: at(2, 0, 30)},
				&lanyard.Session{Code: "E", Venue: "mgm", Start: at(2, 0, 35), End: at(2, 1, 0)},
				&lanyard.Session{Code: "F", Venue: "mgm", Start: at(2, 8, 0), End: at(2, 9, 0)}),
			lines("day 2026-12-01 09:00-00:30 A B C D",
				"gap A>B 420/0", "gap B>C 300/0", "gap C>D 5/20 shuttle SHORT", "warn travel 5 C>D",
				"day 2026-12-02 00:35-09:00 E F", "gap E>F 420/0")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := summary(plan.Build(la, tt.entries, matrix)), tt.want; got != want {
				t.Fatalf("Build:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestBuildDayInUTC(t *testing.T) {
	// The same sessions fall on two days in UTC: the zone decides.
	entries := held(sess("A", "venetian", 9, 0, 10, 0), sess("B", "venetian", 17, 0, 18, 0))
	if got, want := len(plan.Build(la, entries, matrix)), 1; got != want {
		t.Fatalf("days in Los Angeles=%d, want %d", got, want)
	}
	if got, want := len(plan.Build(time.UTC, entries, matrix)), 2; got != want {
		t.Fatalf("days in UTC=%d, want %d", got, want)
	}
}

func TestBuildNilTravel(t *testing.T) {
	days := plan.Build(la, held(sess("A", "venetian", 9, 0, 10, 0), sess("B", "mgm", 10, 0, 11, 0)), nil)
	if got, want := summary(days), lines("day 2026-12-01 09:00-11:00 A B", "gap A>B 0/0"); got != want {
		t.Fatalf("Build:\n%s\nwant:\n%s", got, want)
	}
}

func TestFits(t *testing.T) {
	a := sess("A", "venetian", 9, 0, 10, 0)
	b := sess("B", "mgm", 11, 0, 12, 0)
	late := &lanyard.Session{Code: "L", Venue: "mgm", Start: at(1, 23, 0), End: at(1, 23, 50)}
	tests := []struct {
		name string
		s    *lanyard.Session
		held []*lanyard.Session
		want bool
	}{
		{"empty agenda", sess("S", "mgm", 9, 0, 10, 0), nil, true},
		{"overlap", sess("S", "venetian", 9, 30, 10, 30), []*lanyard.Session{a, b}, false},
		{"overlap on another day's late session", &lanyard.Session{Code: "S", Venue: "mgm", Start: at(1, 23, 30), End: at(2, 0, 30)}, []*lanyard.Session{late}, false},
		{"touching, same venue", sess("S", "venetian", 10, 0, 10, 30), []*lanyard.Session{a}, true},
		{"travel shortfall before", sess("S", "mgm", 10, 10, 10, 40), []*lanyard.Session{a}, false},
		{"travel shortfall after", sess("S", "venetian", 10, 0, 10, 50), []*lanyard.Session{b}, false},
		{"fits with exactly enough time on both sides", sess("S", "venetian", 10, 0, 10, 40), []*lanyard.Session{b, a}, true},
		{"only the session just before counts", sess("S", "mgm", 10, 40, 10, 50), []*lanyard.Session{
			a, sess("M", "mgm", 10, 0, 10, 30)}, true},
		{"the next day is not travelled to", &lanyard.Session{Code: "S", Venue: "venetian", Start: at(2, 0, 0), End: at(2, 0, 45)},
			[]*lanyard.Session{late}, true},
		{"unscheduled", &lanyard.Session{Code: "S"}, []*lanyard.Session{a, b}, true},
		{"already held", a, []*lanyard.Session{a, b}, true},
		{"already held, another copy", sess("A", "venetian", 9, 0, 10, 0), []*lanyard.Session{a}, true},
		{"unscheduled held sessions are skipped", sess("S", "mgm", 9, 0, 10, 0), []*lanyard.Session{{Code: "TBA"}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := plan.Fits(la, tt.s, tt.held, matrix), tt.want; got != want {
				t.Fatalf("Fits=%v, want %v", got, want)
			}
		})
	}
}

// TestFitsRandom checks Fits against Build on random agendas: s fits exactly
// when it overlaps no held session and Build of held plus s shows no gap to
// or from s that is not Enough. When held is itself a clean agenda (built by
// adding only what fits), that is: Build(held+s) has no overlap and no
// short gap at all.
func TestFitsRandom(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 0x1a2b))
	venues := []string{"venetian", "mgm", "wynn", "caesars", "mandalay", ""}

	n := 3000
	if testing.Short() {
		n = 300
	}
	for iter := range n {
		var tt []lanyard.TravelTime
		for _, from := range venues[:5] {
			for _, to := range venues[:5] {
				if from != to && r.IntN(4) > 0 {
					tt = append(tt, lanyard.TravelTime{From: from, To: to, WalkMinutes: r.IntN(5) * 10, ShuttleMinutes: r.IntN(4) * 10})
				}
			}
		}
		travel := travelFunc(tt)
		code := 0
		gen := func() *lanyard.Session {
			code++
			s := &lanyard.Session{Code: fmt.Sprintf("S%02d", code), Venue: venues[r.IntN(len(venues))]}
			if r.IntN(30) == 0 {
				return s // unscheduled
			}
			// Starts in 5-minute steps: a crowded morning, around local
			// midnight (so neighbours fall on two days), or anywhere in two
			// days; a few start half a minute late. Lengths in quarter hours
			// make sessions end together, so ties come up.
			switch r.IntN(3) {
			case 0:
				s.Start = at(1, 9, 0).Add(time.Duration(r.IntN(4*12)) * 5 * time.Minute)
			case 1:
				s.Start = at(1, 22, 0).Add(time.Duration(r.IntN(4*12)) * 5 * time.Minute)
			default:
				s.Start = at(1, 0, 0).Add(time.Duration(r.IntN(2*24*12)) * 5 * time.Minute)
			}
			if r.IntN(10) == 0 {
				s.Start = s.Start.Add(30 * time.Second)
			}
			s.End = s.Start.Add(time.Duration(1+r.IntN(8)) * 15 * time.Minute)
			return s
		}

		// Messy: held sessions may overlap and leave short gaps among themselves.
		var messy []*lanyard.Session
		for range r.IntN(10) {
			messy = append(messy, gen())
		}
		s := gen()
		if got, want := plan.Fits(la, s, messy, travel), fitsByBuild(s, messy, travel); got != want {
			t.Fatalf("iteration %d: Fits(%s)=%v, Build says %v\nheld:\n%s\nbuild:\n%s", iter, describe(s), got, want, describeAll(messy),
				summary(plan.Build(la, held(append(messy, s)...), travel)))
		}
		checkShape(t, plan.Build(la, held(append(messy, s)...), travel))

		// Clean: an agenda built by adding only what fits.
		var clean []*lanyard.Session
		for range 4 + r.IntN(20) {
			if c := gen(); plan.Fits(la, c, clean, travel) {
				clean = append(clean, c)
			}
		}
		if w, ok := problem(plan.Build(la, held(clean...), travel)); ok {
			t.Fatalf("iteration %d: agenda of sessions that fit has %s\nheld:\n%s", iter, w, describeAll(clean))
		}
		s = gen()
		_, bad := problem(plan.Build(la, held(append(clean, s)...), travel))
		if got, want := plan.Fits(la, s, clean, travel), !bad; got != want {
			t.Fatalf("iteration %d: Fits(%s)=%v, Build says %v\nheld:\n%s", iter, describe(s), got, want, describeAll(clean))
		}
	}
}

// fitsByBuild is the definition Fits must agree with.
func fitsByBuild(s *lanyard.Session, hs []*lanyard.Session, travel plan.TravelFunc) bool {
	for _, h := range hs {
		if h.Overlaps(s) {
			return false
		}
	}
	for _, d := range plan.Build(la, held(append(hs, s)...), travel) {
		for _, g := range d.Gaps {
			if (g.From == s || g.To == s) && !g.Enough {
				return false
			}
		}
	}
	return true
}

// problem returns the first overlap or short gap of an agenda.
func problem(days []plan.Day) (string, bool) {
	for _, d := range days {
		for _, w := range d.Warnings {
			if w.Code == plan.WarnOverlap {
				return fmt.Sprintf("an overlap of %s and %s", w.From.Code, w.To.Code), true
			}
		}
		for _, g := range d.Gaps {
			if !g.Enough {
				return fmt.Sprintf("a short gap %s>%s %d/%d", g.From.Code, g.To.Code, g.Minutes, g.Travel), true
			}
		}
	}
	return "", false
}

// checkShape checks what holds for any Build: days in order, entries by
// start on their own local date, gaps between held sessions of the day that
// do not overlap, travel warnings for exactly the short gaps.
func checkShape(t *testing.T, days []plan.Day) {
	t.Helper()
	for i, d := range days {
		if i > 0 && days[i-1].Date >= d.Date {
			t.Fatalf("day %s after %s", d.Date, days[i-1].Date)
		}
		for j, e := range d.Entries {
			if got := e.Session.Start.In(la).Format(time.DateOnly); got != d.Date {
				t.Fatalf("%s starts on %s, listed on %s", e.Session.Code, got, d.Date)
			}
			if j > 0 && e.Session.Start.Before(d.Entries[j-1].Session.Start) {
				t.Fatalf("%s listed after %s", e.Session.Code, d.Entries[j-1].Session.Code)
			}
			if e.Session.Start.Before(d.First) || e.Session.End.After(d.Last) {
				t.Fatalf("%s outside the day's span", e.Session.Code)
			}
		}
		short := 0
		for _, g := range d.Gaps {
			if g.From.End.After(g.To.Start) || g.Minutes < 0 || g.Enough != (g.Minutes >= g.Travel) {
				t.Fatalf("bad gap %+v", g)
			}
			if !g.Enough {
				short++
			}
		}
		for _, w := range d.Warnings {
			if w.Code == plan.WarnTravel {
				short--
			}
		}
		if short != 0 {
			t.Fatalf("day %s: travel warnings do not match short gaps", d.Date)
		}
	}
}

func describe(s *lanyard.Session) string {
	if !s.Scheduled() {
		return s.Code + " unscheduled"
	}
	return fmt.Sprintf("%s %s %s-%s", s.Code, s.Venue, s.Start.In(la).Format("Jan 2 15:04:05"), s.End.In(la).Format("Jan 2 15:04:05"))
}

func describeAll(ss []*lanyard.Session) string {
	var b strings.Builder
	for _, s := range ss {
		b.WriteString("  " + describe(s) + "\n")
	}
	return b.String()
}

// TestTravelWarningSaysTheTrip: a travel warning carries what the page
// must say: the minutes needed and how, besides the minutes there are.
func TestTravelWarningSaysTheTrip(t *testing.T) {
	a, b := sess("A", "venetian", 9, 0, 10, 0), sess("B", "mgm", 10, 5, 11, 0)
	days := plan.Build(la, held(a, b), matrix)
	if len(days) != 1 || len(days[0].Warnings) != 1 {
		t.Fatalf("warnings %+v", days)
	}
	w := days[0].Warnings[0]
	if got, want := fmt.Sprintf("%s %s→%s gap %d need %d %s", w.Code, w.From.Code, w.To.Code, w.Minutes, w.Need, w.Mode),
		"travel A→B gap 5 need 20 shuttle"; got != want {
		t.Errorf("warning %q, want %q", got, want)
	}
}

func TestFixes(t *testing.T) {
	rep := func(code, group, venue string, day, h1, m1, h2, m2 int) *lanyard.Session {
		return &lanyard.Session{Code: code, Title: code, RepeatGroup: group, Venue: venue, Start: at(day, h1, m1), End: at(day, h2, m2)}
	}
	// A at the Venetian 9–10, B at MGM 10:05–11: 5 minutes for a 20-minute trip.
	a1 := rep("A-R1", "A", "venetian", 1, 9, 0, 10, 0)
	b1 := rep("B-R1", "B", "mgm", 1, 10, 5, 11, 0)
	a2 := rep("A-R2", "A", "venetian", 1, 10, 30, 11, 30) // overlaps B: no fix
	a3 := rep("A-R3", "A", "mgm", 1, 8, 0, 9, 0)          // same venue as B, well before: fixes
	a4 := rep("A-R4", "A", "venetian", 2, 9, 0, 10, 0)    // another day: fixes, but later than A-R3
	b2 := rep("B-R2", "B", "mgm", 1, 10, 20, 11, 15)      // 20 minutes after A: fixes
	b3 := rep("B-R3", "B", "mgm", 1, 9, 30, 10, 30)       // overlaps A: no fix
	c := rep("C", "", "mgm", 1, 11, 30, 12, 0)            // held, no repeats
	groups := map[string][]*lanyard.Session{"A": {a1, a2, a3, a4}, "B": {b3, b1, b2}}
	repeats := func(g string) []*lanyard.Session { return groups[g] }
	hs := []*lanyard.Session{a1, b1, c}
	travel := plan.Warning{Code: plan.WarnTravel, From: a1, To: b1}

	for _, tc := range []struct {
		name string
		w    plan.Warning
		hs   []*lanyard.Session
		ok   func(*lanyard.Session) bool
		want string
	}{
		{"both sessions", travel, hs, nil, "A-R1→A-R3 B-R1→B-R2"},
		{"seats filter", travel, hs, func(s *lanyard.Session) bool { return s.Code != "A-R3" && s.Code != "B-R2" }, "A-R1→A-R4"},
		{"none fits", travel, hs, func(s *lanyard.Session) bool { return false }, ""},
		// B-R3 overlaps A-R1; B-R1 would leave 5 minutes for the trip, B-R2 twenty.
		{"overlap", plan.Warning{Code: plan.WarnOverlap, From: a1, To: b3}, []*lanyard.Session{a1, b3, c}, nil, "A-R1→A-R3 B-R3→B-R2"},
		{"one side repeats", plan.Warning{Code: plan.WarnTravel, From: b1, To: c}, hs, nil, "B-R1→B-R2"},
		{"not a trip", plan.Warning{Code: plan.WarnBackToBack, From: a1, To: b1}, hs, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, f := range plan.Fixes(la, tc.w, tc.hs, repeats, matrix, tc.ok) {
				got = append(got, f.Drop.Code+"→"+f.Take.Code)
			}
			if got, want := strings.Join(got, " "), tc.want; got != want {
				t.Errorf("fixes %q, want %q", got, want)
			}
		})
	}
}
