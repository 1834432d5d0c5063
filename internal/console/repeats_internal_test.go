package console

import (
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
)

func TestSuggestRepeats(t *testing.T) {
	day := time.Date(2026, 12, 1, 16, 0, 0, 0, time.UTC) // 8:00 in Las Vegas
	hour := func(h int) time.Time { return day.Add(time.Duration(h) * time.Hour) }
	mk := func(code, venue, room string, start int, capacity int) *lanyard.Session {
		return &lanyard.Session{Code: code, Title: code, Type: lanyard.TypeSession, Venue: venue, Room: room,
			Start: hour(start), End: hour(start + 1), Capacity: capacity, Reservable: true}
	}
	ev := &lanyard.Event{Slug: "t", Name: "T", TimeZone: "America/Los_Angeles", StartDate: "2026-12-01", Days: 1}
	venues := []lanyard.Venue{
		{Code: "v", Name: "V", Rooms: []lanyard.Room{{Name: "Small", Capacity: 5}, {Name: "Big", Capacity: 100}, {Name: "Mid", Capacity: 30}}},
		{Code: "w", Name: "W", Rooms: []lanyard.Room{{Name: "Tiny", Capacity: 20}}},
	}
	hot := mk("HOT", "v", "Small", 0, 5)
	sessions := []*lanyard.Session{hot, mk("B1", "v", "Big", 1, 100), mk("M1", "v", "Mid", 1, 30), mk("M2", "v", "Mid", 2, 30), mk("X", "w", "Tiny", 3, 20)}
	cat, err := catalog.New(ev, venues, nil, sessions)
	if err != nil {
		t.Fatal(err)
	}
	row := demandRow{s: hot, n: lanyard.SeatCount{Reservable: 5, Taken: 5, WaitlistLength: 20}}
	busyAt := func(hs ...int) []reserve.Span {
		var out []reserve.Span
		for _, h := range hs {
			out = append(out, reserve.Span{Start: hour(h), End: hour(h + 1)})
		}
		return out
	}
	tests := []struct {
		name      string
		waiting   [][]reserve.Span
		now       time.Time
		wantFound bool
		wantStart time.Time
		wantRoom  string
	}{
		// Most are free at 1:00: Big and Mid are booked then, Small too
		// small for the waitlist (20 > 5), so W's Tiny (20) it is.
		{"free at 1, another venue", [][]reserve.Span{busyAt(2, 3), busyAt(2), busyAt(3)}, hour(-1), true, hour(1), "Tiny"},
		// Busy at 1: at 2 Mid is booked, Big is free (same venue first).
		{"free at 2, same venue", [][]reserve.Span{busyAt(1, 3), busyAt(1), nil}, hour(-1), true, hour(2), "Big"},
		// Everyone is busy at every other time: no suggestion.
		{"never free", [][]reserve.Span{busyAt(1, 2, 3), busyAt(1, 2, 3)}, hour(-1), false, time.Time{}, ""},
		// Times already past are not offered.
		{"past", [][]reserve.Span{nil}, hour(5), false, time.Time{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := suggestRepeats(cat, []demandRow{row}, map[string][][]reserve.Span{"HOT": tt.waiting}, tt.now)
			if len(got) != 1 {
				t.Fatalf("%d suggestions, want 1", len(got))
			}
			rp := got[0]
			if rp.Found != tt.wantFound || !rp.Start.Equal(tt.wantStart) || rp.Room != tt.wantRoom {
				t.Errorf("got found=%v %s %q, want found=%v %s %q", rp.Found, rp.Start, rp.Room, tt.wantFound, tt.wantStart, tt.wantRoom)
			}
		})
	}
}
