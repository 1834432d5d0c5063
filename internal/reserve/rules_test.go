package reserve_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// step is one command of a rules scenario and the outcome it must get:
// an outcome (reserved, waitlisted, cancelled, …) or a refusal code.
type step struct {
	who  int // attendee index
	op   string
	args []string
	want string
}

func (s step) run(t *testing.T, e *reserve.Engine, f *fixture) lanyard.SeatResult {
	t.Helper()
	ctx := context.Background()
	id := f.people[s.who]
	var r lanyard.SeatResult
	var err error
	switch s.op {
	case "clock": // args: a session and an offset from its start ("-15m")
		ss, err := f.cat.Session(s.args[0])
		if err != nil {
			t.Fatal(err)
		}
		d, err := time.ParseDuration(s.args[1])
		if err != nil {
			t.Fatal(err)
		}
		f.clock.Set(ss.Start.Add(d))
		return r
	case "reserve":
		var rs []lanyard.SeatResult
		rs, err = e.Reserve(ctx, id, s.args, false, "")
		if err == nil {
			r = rs[0]
		}
	case "reserve+wait":
		var rs []lanyard.SeatResult
		rs, err = e.Reserve(ctx, id, s.args, true, "")
		if err == nil {
			r = rs[0]
		}
	case "cancel":
		r, err = e.Cancel(ctx, id, s.args[0], "")
	case "switch":
		var rs []lanyard.SeatResult
		rs, err = e.Switch(ctx, id, s.args[0], s.args[1], "")
		if len(rs) > 0 {
			r = rs[len(rs)-1]
		}
	case "wait":
		r, err = e.JoinWaitlist(ctx, id, s.args[0], "")
	case "leave":
		r, err = e.LeaveWaitlist(ctx, id, s.args[0], "")
	case "checkin":
		r, err = e.CheckIn(ctx, 0, id, s.args[0], "")
	case "walkup":
		r, err = e.AdmitWalkup(ctx, 0, id, s.args[0], "")
	default:
		t.Fatalf("unknown op %q", s.op)
	}
	got := resultCode(r)
	if err != nil && r.Error == nil {
		got = codeOf(err)
	}
	if got != s.want {
		t.Fatalf("%d %s %v: got %s (%v), want %s", s.who, s.op, s.args, got, err, s.want)
	}
	return r
}

func TestRules(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, e *reserve.Engine, f *fixture)
		steps []step
	}{
		{"reserve, and again is the same seat", nil, []step{
			{0, "reserve", []string{"A-R1"}, "reserved"},
			{0, "reserve", []string{"A-R1"}, "reserved"},
		}},
		{"unknown session", nil, []step{{0, "reserve", []string{"NOPE"}, "not_found"}}},
		{"not reservable", nil, []step{{0, "reserve", []string{"N"}, "not_reservable"}}},
		{"full, then the waitlist", nil, []step{
			{0, "reserve", []string{"S"}, "reserved"},
			{1, "reserve", []string{"S"}, "reserved"},
			{2, "reserve", []string{"S"}, "session_full"},
			{2, "reserve+wait", []string{"S"}, "waitlisted"},
			{3, "wait", []string{"S"}, "waitlisted"},
			{2, "reserve+wait", []string{"S"}, "waitlisted"}, // already on it
		}},
		{"time overlap names the clash", nil, []step{
			{0, "reserve", []string{"A-R1"}, "reserved"},
			{0, "reserve", []string{"B"}, "time_conflict"},
		}},
		{"one per repeat group, then switch", nil, []step{
			{0, "reserve", []string{"A-R1"}, "reserved"},
			{0, "reserve", []string{"A-R2"}, "repeat_group_taken"},
			{0, "switch", []string{"A-R1", "A-R2"}, "reserved"},
			{0, "reserve", []string{"B"}, "reserved"}, // A-R1 no longer blocks it
		}},
		{"switch to a full session keeps the old seat", nil, []step{
			{1, "reserve", []string{"S"}, "reserved"},
			{2, "reserve", []string{"S"}, "reserved"},
			{0, "reserve", []string{"S2"}, "reserved"},
			{0, "switch", []string{"S2", "S"}, "session_full"},
			{0, "reserve", []string{"S2"}, "reserved"}, // still held
		}},
		{"switch from a session not held", nil, []step{{0, "switch", []string{"A-R1", "A-R2"}, "not_reserved"}}},
		{"cancel promotes the head of the waitlist", nil, []step{
			{0, "reserve", []string{"S"}, "reserved"},
			{1, "reserve", []string{"S"}, "reserved"},
			{2, "wait", []string{"S"}, "waitlisted"},
			{3, "wait", []string{"S"}, "waitlisted"},
			{0, "cancel", []string{"S"}, "cancelled"},
			{2, "reserve", []string{"S"}, "reserved"}, // promoted: already holds it
			{3, "leave", []string{"S"}, "left_waitlist"},
			{3, "leave", []string{"S"}, "not_found"},
		}},
		{"promotion skips a waiter it would clash with, who keeps their place", nil, []step{
			{0, "reserve", []string{"S"}, "reserved"},
			{1, "reserve", []string{"S"}, "reserved"},
			{2, "wait", []string{"S"}, "waitlisted"},
			{2, "reserve", []string{"T"}, "reserved"}, // T overlaps S
			{3, "wait", []string{"S"}, "waitlisted"},
			{0, "cancel", []string{"S"}, "cancelled"},
			{3, "cancel", []string{"S"}, "cancelled"}, // 3 was promoted over 2
			{2, "cancel", []string{"T"}, "cancelled"}, // 2 is still first in line, and now fits
			{1, "cancel", []string{"S"}, "cancelled"},
			{2, "cancel", []string{"S"}, "cancelled"},
		}},
		{"cancel what is not held", nil, []step{{0, "cancel", []string{"A-R1"}, "not_reserved"}}},
		{"window closed", func(t *testing.T, e *reserve.Engine, f *fixture) {
			// A session's own window replaces its type's: D opens tomorrow.
			if _, err := e.AddWindow(context.Background(), 0, "", lanyard.Window{Session: "D", Opens: f.clock.Now().Add(24 * time.Hour), Closes: at(4, 0, 0)}); err != nil {
				t.Fatal(err)
			}
		}, []step{
			{0, "reserve", []string{"D"}, "window_closed"},
			{0, "reserve", []string{"E"}, "reserved"},
		}},
		{"changes close 30 minutes before start", func(t *testing.T, e *reserve.Engine, f *fixture) {
			f.clock.Set(at(1, 9, 31))
		}, []step{
			{0, "reserve", []string{"A-R1"}, "changes_closed"},
			{0, "reserve", []string{"D"}, "reserved"},
		}},
		{"limits per attendee", func(t *testing.T, e *reserve.Engine, f *fixture) {
			s := lanyard.DefaultReservationSettings()
			s.FairSeconds, s.MaxReservations, s.MaxPerDay, s.MaxWaitlists = 0, 3, 2, 1
			if err := e.SetSettings(context.Background(), s); err != nil {
				t.Fatal(err)
			}
		}, []step{
			{0, "reserve", []string{"A-R1"}, "reserved"},
			{0, "reserve", []string{"D"}, "reserved"},
			{0, "reserve", []string{"E"}, "limit_reached"}, // a third on day 1
			{0, "reserve", []string{"K"}, "reserved"},
			{0, "reserve", []string{"S"}, "limit_reached"}, // a fourth in all
			{1, "reserve", []string{"S"}, "reserved"},
			{2, "reserve", []string{"S"}, "reserved"},
			{3, "wait", []string{"S"}, "waitlisted"},
			{3, "reserve", []string{"S2"}, "reserved"},
			{4, "reserve", []string{"S2"}, "reserved"},
			{5, "wait", []string{"S"}, "waitlisted"},
			{5, "wait", []string{"S2"}, "limit_reached"}, // one waitlist each
		}},
		{"travel shortfall blocks when the organizer says so", func(t *testing.T, e *reserve.Engine, f *fixture) {
			s := lanyard.DefaultReservationSettings()
			s.FairSeconds, s.TravelBlocks = 0, true
			if err := e.SetSettings(context.Background(), s); err != nil {
				t.Fatal(err)
			}
		}, []step{
			{0, "reserve", []string{"A-R1"}, "reserved"},
			{0, "reserve", []string{"C"}, "travel_time"},
		}},
		{"door: reserved check-in, walk-ups to the holdback, then overflow", func(t *testing.T, e *reserve.Engine, f *fixture) {
			ctx := context.Background()
			if err := e.SetHoldback(ctx, lanyard.TypeChalk, 50); err != nil { // S: 2 seats, 1 reservable
				t.Fatal(err)
			}
			if err := e.AddOverflow(ctx, "S", "venetian", "Overflow"); err != nil {
				t.Fatal(err)
			}
		}, []step{
			{0, "reserve", []string{"S"}, "reserved"},
			{1, "reserve", []string{"S"}, "session_full"},
			{0, "clock", []string{"S", "-15m"}, ""}, // the door is open, the seats not yet released
			{0, "checkin", []string{"S"}, "checked_in"},
			{0, "checkin", []string{"S"}, "checked_in"}, // twice is once
			{1, "walkup", []string{"S"}, "walkup"},
			{2, "checkin", []string{"S"}, "overflow"}, // no reservation: the walk-up line, then overflow
			{3, "walkup", []string{"S"}, "overflow"},
			{4, "walkup", []string{"S"}, "overflow"},
			{5, "walkup", []string{"S"}, "session_full"},
		}},
		// The door takes check-ins and walk-ups from 30 minutes (by
		// default) before the start to the end, whoever holds a seat.
		{"door: closed before its window and after the end", nil, []step{
			{0, "reserve", []string{"S"}, "reserved"},
			{0, "checkin", []string{"S"}, "door_not_open"}, // days before
			{1, "walkup", []string{"S"}, "door_not_open"},  // days before
			{0, "clock", []string{"S", "-31m"}, ""},
			{0, "checkin", []string{"S"}, "door_not_open"},
			{0, "clock", []string{"S", "-30m"}, ""},
			{0, "checkin", []string{"S"}, "checked_in"},
			{0, "clock", []string{"S", "59m"}, ""},
			{1, "walkup", []string{"S"}, "walkup"},
			{0, "clock", []string{"S", "60m"}, ""},
			{2, "walkup", []string{"S"}, "door_closed"},
			{0, "checkin", []string{"S"}, "checked_in"}, // a retried scan still answers as the first
		}},
		{"door: its window is the organizer's", func(t *testing.T, e *reserve.Engine, f *fixture) {
			if _, err := e.UpdateSettings(context.Background(), func(s *lanyard.ReservationSettings) error {
				s.DoorOpensMinutes = 90
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}, []step{
			{0, "clock", []string{"S", "-91m"}, ""},
			{0, "walkup", []string{"S"}, "door_not_open"},
			{0, "clock", []string{"S", "-90m"}, ""},
			{0, "walkup", []string{"S"}, "walkup_full"}, // the door is open; its seats are held until the release
		}},
		{"door: walk-ups taken while reservable seats are held", func(t *testing.T, e *reserve.Engine, f *fixture) {
			if err := e.SetHoldback(context.Background(), lanyard.TypeSession, 20); err != nil { // D: 10 seats, 8 reservable
				t.Fatal(err)
			}
		}, []step{
			{0, "reserve", []string{"D"}, "reserved"},
			{0, "clock", []string{"D", "-20m"}, ""},
			{1, "walkup", []string{"D"}, "walkup"},
			{2, "walkup", []string{"D"}, "walkup"},
			{3, "walkup", []string{"D"}, "walkup_full"}, // 7 free seats are held, not full
			{0, "clock", []string{"D", "-10m"}, ""},     // the release
			{3, "walkup", []string{"D"}, "walkup"},
		}},
	}
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				// Each scenario gets its own event in the same database.
				f := newFixtureIn(t, db, tt.name, 8)
				e := f.open(t, nil)
				f.openWindows(t, e)
				if tt.setup != nil {
					tt.setup(t, e, f)
				}
				for _, s := range tt.steps {
					s.run(t, e, f)
				}
			})
		}
	})
}

// newFixtureIn is newFixture with the event renamed, so several scenarios share one database.
func newFixtureIn(t *testing.T, db *store.DB, name string, n int) *fixture {
	t.Helper()
	slug := strings.NewReplacer(" ", "-", ",", "", ":", "").Replace(name)
	return newFixtureSlug(t, db, slug, n)
}

func TestTravelWarning(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, 2)
		e := f.open(t, nil)
		f.openWindows(t, e)
		ctx := context.Background()
		if _, err := e.Reserve(ctx, f.people[0], []string{"A-R1"}, false, ""); err != nil {
			t.Fatal(err)
		}
		rs, err := e.Reserve(ctx, f.people[0], []string{"C"}, false, "")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := rs[0].Outcome, lanyard.OutcomeReserved; got != want {
			t.Fatalf("outcome %s, want %s (a shortfall only warns by default)", got, want)
		}
		if len(rs[0].Warnings) != 1 {
			t.Fatalf("warnings %+v, want one", rs[0].Warnings)
		}
		w := rs[0].Warnings[0]
		if w.NeedMinute != 25 || w.GapMinute != 10 || !strings.Contains(w.Message, "Venetian → MGM Grand: 25 min by shuttle, 10 min between A-R1 and C") {
			t.Fatalf("warning %+v", w)
		}
		ag, err := e.Agenda(ctx, f.people[0])
		if err != nil {
			t.Fatal(err)
		}
		if len(ag.Reservations) != 2 || len(ag.Warnings) != 1 || ag.Reservations[0].Session != "A-R1" {
			t.Fatalf("agenda %+v", ag)
		}
	})
}

func TestSeveralSessionsOneRequest(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, 2)
		e := f.open(t, nil)
		f.openWindows(t, e)
		rs, err := e.Reserve(context.Background(), f.people[0], []string{"A-R1", "B", "N", "K", "NOPE"}, false, "")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rs {
			got = append(got, resultCode(r))
		}
		if want := "reserved time_conflict not_reservable reserved not_found"; strings.Join(got, " ") != want {
			t.Fatalf("results %v, want %s", got, want)
		}
		for _, bad := range [][]string{{}, {"A-R1", "A-R1"}, make([]string, 11)} {
			if _, err := e.Reserve(context.Background(), f.people[1], bad, false, ""); codeOf(err) != lanyard.EINVALID {
				t.Fatalf("Reserve(%v): err=%v, want EINVALID", bad, err)
			}
		}
	})
}
