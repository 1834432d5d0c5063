package web

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/plan"
)

var layoutZone, _ = time.LoadLocation("America/Los_Angeles")

// hm is December 1 at h:m in Las Vegas.
func hm(h, m int) time.Time { return time.Date(2026, 12, 1, h, m, 0, 0, layoutZone) }

// entry makes an agenda entry from h1:m1 to h2:m2; kind is held, wait,
// marker (a keynote to reserve) or walkin (the expo).
func entry(code, kind string, h1, m1, h2, m2 int) plan.Entry {
	s := &lanyard.Session{Code: code, Title: code, Venue: "v", Start: hm(h1, m1), End: hm(h2, m2), Reservable: kind != "walkin"}
	switch kind {
	case "wait":
		return plan.Entry{Session: s, Waitlisted: true, Position: 1}
	case "marker", "walkin":
		return plan.Entry{Session: s, Marker: true}
	}
	return plan.Entry{Session: s}
}

// TestClashes: a keynote the attendee holds no seat for, over a session
// they reserved, is a clash on both; a walk-in expo over it is not.
func TestClashes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		entries []plan.Entry
		want    string
	}{
		{"keynote over a reservation", []plan.Entry{entry("K", "marker", 8, 0, 9, 30), entry("A", "held", 9, 0, 10, 0)}, "K:A A:K"},
		{"two reservations", []plan.Entry{entry("A", "held", 9, 0, 10, 0), entry("B", "held", 9, 30, 10, 30)}, "A:B B:A"},
		{"waitlist over a reservation", []plan.Entry{entry("A", "held", 9, 0, 10, 0), entry("W", "wait", 9, 0, 10, 0)}, "A:W W:A"},
		{"walk-in expo", []plan.Entry{entry("X", "walkin", 8, 0, 18, 0), entry("A", "held", 9, 0, 10, 0)}, "X: A:"},
		{"keynote over a waitlist", []plan.Entry{entry("K", "marker", 8, 0, 9, 30), entry("W", "wait", 9, 0, 10, 0)}, "K: W:"},
		{"back to back", []plan.Entry{entry("A", "held", 9, 0, 10, 0), entry("B", "held", 10, 0, 11, 0)}, "A: B:"},
		{"one over two", []plan.Entry{entry("L", "held", 9, 0, 12, 0), entry("A", "marker", 9, 30, 10, 0), entry("B", "marker", 11, 0, 11, 30)}, "L:A,B A:L B:L"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for i, cs := range clashes(tc.entries) {
				var codes []string
				for _, s := range cs {
					codes = append(codes, s.Code)
				}
				got = append(got, tc.entries[i].Session.Code+":"+strings.Join(codes, ","))
			}
			if got, want := strings.Join(got, " "), tc.want; got != want {
				t.Errorf("clashes %q, want %q", got, want)
			}
		})
	}
}

// TestLay: entries share the width only with those they overlap.
func TestLay(t *testing.T) {
	entries := []plan.Entry{
		entry("A", "held", 8, 0, 9, 0),  // alone
		entry("B", "held", 9, 0, 11, 0), // B, C and D overlap in a chain
		entry("C", "held", 9, 30, 10, 0),
		entry("D", "held", 10, 30, 11, 30),
		entry("E", "held", 12, 0, 13, 0), // alone again
	}
	lane, lanes := lay(entries)
	var got []string
	for i, e := range entries {
		got = append(got, fmt.Sprintf("%s%d/%d", e.Session.Code, lane[i], lanes[i]))
	}
	if got, want := strings.Join(got, " "), "A0/1 B0/2 C1/2 D1/2 E0/1"; got != want {
		t.Errorf("lanes %q, want %q", got, want)
	}
}

// TestTimeline: two or more free hours fold into one row; busy time keeps
// a row per five minutes on both sides of it.
func TestTimeline(t *testing.T) {
	tl := newTimeline(hm(8, 0), hm(19, 0), [][2]time.Time{{hm(8, 0), hm(9, 30)}, {hm(14, 0), hm(15, 0)}, {hm(17, 0), hm(18, 0)}})
	// Free 9:30–14:00 folds 10:00–14:00; free 15:00–17:00 folds; 18:00–19:00 is one hour and stays.
	if got, want := fmt.Sprint(len(tl.folds)), "2"; got != want {
		t.Fatalf("%s folds, want %s: %v", got, want, tl.folds)
	}
	for _, tc := range []struct {
		at   time.Time
		want int
	}{
		{hm(8, 0), 1},
		{hm(8, 4), 1}, // rounded down to a row
		{hm(9, 30), 19},
		{hm(10, 0), 25},
		{hm(12, 0), 25}, // inside the fold: its row
		{hm(14, 0), 26},
		{hm(15, 0), 38},
		{hm(17, 0), 39},
		{hm(19, 0), 63},
	} {
		if got := tl.line(tc.at); got != tc.want {
			t.Errorf("line(%s) = %d, want %d", tc.at.Format("15:04"), got, tc.want)
		}
	}
	if !tl.folded(hm(11, 0)) || tl.folded(hm(10, 0)) || tl.folded(hm(18, 30)) {
		t.Error("folded() disagrees with the folds")
	}
}
