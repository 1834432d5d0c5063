package reserve_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/message"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// edit returns session code of the fixture as a change to fill in.
func (f *fixture) edit(t *testing.T, code string) lanyard.SessionChange {
	t.Helper()
	s, err := f.cat.Session(code)
	if err != nil {
		t.Fatal(err)
	}
	return lanyard.SessionChange{Session: *s}
}

func reasons(p lanyard.ChangePreview, attendee int64) []string {
	var out []string
	for _, a := range p.Affected {
		if a.Attendee == attendee {
			out = append(out, a.Reason+":"+a.Other)
		}
	}
	return out
}

// Moving a session previews the clash and the short trip it makes, then
// saves: the engine's rules see the new time, the holder gets a message in
// the batch, the log says "change", the schedule gets a version, and all of
// it survives a restart.
func TestChangeSessionMoves(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 3)
		e := f.open(t, nil)
		f.openWindows(t, e)
		for _, s := range []step{
			{0, "reserve", []string{"D"}, "reserved"},
			{0, "reserve", []string{"C"}, "reserved"}, // mgm 11:10–12:00
			{1, "reserve", []string{"D"}, "reserved"},
		} {
			s.run(t, e, f)
		}
		ch := f.edit(t, "D") // venetian Ten, 14:00–15:00
		ch.Session.Start, ch.Session.End = at(1, 11, 30), at(1, 12, 30)
		p, err := e.PreviewChange(ctx, ch)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := reasons(p, f.people[0]), []string{"moved:", "clash:C"}; !slices.Equal(got, want) {
			t.Errorf("p0 affected %q, want %q", got, want)
		}
		if got, want := reasons(p, f.people[1]), []string{"moved:"}; !slices.Equal(got, want) {
			t.Errorf("p1 affected %q, want %q", got, want)
		}
		if got, want := p.Changes, []string{"start", "end"}; !slices.Equal(got, want) {
			t.Errorf("changes %q, want %q", got, want)
		}
		// A preview changes nothing.
		if got := f.held(t, e, 2); len(got) != 0 {
			t.Fatalf("p2 holds %v", got)
		}

		// Trips too short: D ends at 15:00 and E starts at 16:00 in the
		// Venetian, 25 minutes by shuttle from C, moved to the MGM 15:20–15:50.
		ch2 := f.edit(t, "C")
		ch2.Session.Start, ch2.Session.End = at(1, 15, 20), at(1, 15, 50)
		step{0, "reserve", []string{"E"}, "reserved"}.run(t, e, f)
		p2, err := e.PreviewChange(ctx, ch2)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := reasons(p2, f.people[0]), []string{"moved:", "travel:D", "travel:E"}; !slices.Equal(got, want) {
			t.Errorf("p0 affected by moving C %q, want %q", got, want)
		}

		res, err := e.ChangeSession(ctx, 0, "", ch)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := res.Notified, []int64{f.people[1], f.people[0]}; !slices.Equal(sorted(got), sorted(want)) {
			t.Errorf("notified %v, want %v", got, want)
		}
		if s, _ := res.Catalog.Session("D"); !s.Start.Equal(at(1, 11, 30)) {
			t.Errorf("catalog has D at %v", s.Start)
		}
		// The rules see the new time at once: D now overlaps C.
		step{2, "reserve", []string{"C"}, "reserved"}.run(t, e, f)
		step{2, "reserve", []string{"D"}, lanyard.ETimeConflict}.run(t, e, f)

		msgs, err := db.Messages(ctx, f.cat.Event.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, m := range msgs {
			if m.Kind != lanyard.KindSessionChanged {
				continue
			}
			var cp message.ChangedParams
			if err := message.Decode(m.Params, &cp); err != nil {
				t.Fatal(err)
			}
			if cp.Change != message.ChangeMoved || !cp.OldStart.Equal(at(1, 14, 0)) || !cp.Start.Equal(at(1, 11, 30)) || cp.Code != "D" {
				t.Errorf("message params %+v", cp)
			}
			got = append(got, m.AttendeeID)
		}
		if want := []int64{f.people[0], f.people[1]}; !slices.Equal(sorted(got), sorted(want)) {
			t.Errorf("messages to %v, want %v", got, want)
		}
		log, err := db.ReservationLog(ctx, f.cat.Event.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(log, func(l reserve.LogRow) bool {
			return l.Command == "change" && l.Outcome == lanyard.OutcomeChanged && l.Detail == "start,end"
		}) {
			t.Errorf("no change in the log: %+v", log)
		}
		v, err := db.ScheduleVersion(ctx, f.cat.Event.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v != 2 {
			t.Errorf("schedule version %d, want 2", v)
		}
		cl, err := db.ScheduleChanges(ctx, f.cat.Event.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(cl) != 1 || cl[0].Version != 2 || cl[0].Code != "D" || !cl[0].OldStart.Equal(at(1, 14, 0)) {
			t.Errorf("changelog %+v", cl)
		}

		// A restart reads the moved session from the store.
		e.Close()
		f.cat = f.loadCatalog(t)
		if s, _ := f.cat.Session("D"); !s.Start.Equal(at(1, 11, 30)) || !s.End.Equal(at(1, 12, 30)) {
			t.Errorf("stored D at %v–%v", s.Start, s.End)
		}
		e = f.open(t, nil)
		step{2, "reserve", []string{"D"}, lanyard.ETimeConflict}.run(t, e, f)
	})
}

func (f *fixture) held(t *testing.T, e *reserve.Engine, who int) []string {
	t.Helper()
	a, err := e.Agenda(context.Background(), f.people[who])
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range a.Reservations {
		out = append(out, r.Session)
	}
	return out
}

// Lowering a capacity under the seats taken does what the organizer chose
// with the latest reservations: keeps them, moves them to the waitlist, or
// cancels them; the counts stay right, in the engine and after a restart.
func TestChangeSessionLowersCapacity(t *testing.T) {
	tests := []struct {
		over             lanyard.OverCapacity
		taken, waiting   int
		left, waitlisted []int  // attendee indexes
		told             string // the change p3 and p4 are told of; "": none
	}{
		{over: lanyard.OverKeep, taken: 5, waiting: 0, left: []int{0, 1, 2, 3, 4}},
		{over: lanyard.OverWaitlist, taken: 3, waiting: 2, left: []int{0, 1, 2}, waitlisted: []int{3, 4}, told: "seat_waitlisted"},
		{over: lanyard.OverCancel, taken: 3, waiting: 0, left: []int{0, 1, 2}, told: "seat_released"},
	}
	for _, tt := range tests {
		t.Run(string(tt.over), func(t *testing.T) {
			storetest.ForEach(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				f := newFixture(t, db, 5)
				e := f.open(t, nil)
				f.openWindows(t, e)
				for i := range 5 { // p0 first, p4 last
					step{i, "reserve", []string{"D"}, "reserved"}.run(t, e, f)
				}
				ch := f.edit(t, "D")
				ch.Session.CapacityOverride = 3
				ch.Over = tt.over
				latest, err := db.SessionHolders(ctx, ch.Session.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := latest[:2], []int64{f.people[4], f.people[3]}; !slices.Equal(got, want) {
					t.Fatalf("latest holders %v, want %v first", latest, want)
				}
				ch.Latest = latest
				p, err := e.PreviewChange(ctx, ch)
				if err != nil {
					t.Fatal(err)
				}
				if p.Over != 2 || !slices.Equal(reasons(p, f.people[4]), []string{"over:"}) || len(reasons(p, f.people[0])) != 0 {
					t.Errorf("preview over=%d affected %+v", p.Over, p.Affected)
				}
				if _, err := e.ChangeSession(ctx, 0, "", ch); err != nil {
					t.Fatal(err)
				}
				check := func(e *reserve.Engine) {
					t.Helper()
					c, err := e.Seats("D")
					if err != nil {
						t.Fatal(err)
					}
					if c.Taken != tt.taken || c.WaitlistLength != tt.waiting || c.Capacity != 3 {
						t.Errorf("counts %+v, want taken %d waiting %d capacity 3", c, tt.taken, tt.waiting)
					}
					if tt.over != lanyard.OverKeep && c.Taken > c.Reservable {
						t.Errorf("overbooked: %+v", c)
					}
					for i := range 5 {
						holds := len(f.held(t, e, i)) == 1
						if want := slices.Contains(tt.left, i); holds != want {
							t.Errorf("p%d holds D: %v, want %v", i, holds, want)
						}
					}
					for _, i := range tt.waitlisted {
						a, err := e.Agenda(ctx, f.people[i])
						if err != nil {
							t.Fatal(err)
						}
						if len(a.Waitlists) != 1 {
							t.Errorf("p%d waitlists %+v, want D", i, a.Waitlists)
						}
					}
				}
				check(e)
				msgs, err := db.Messages(ctx, f.cat.Event.ID)
				if err != nil {
					t.Fatal(err)
				}
				var told []string
				for _, m := range msgs {
					told = append(told, fmt.Sprint(slices.Index(f.people, m.AttendeeID), " ", m.Params["change"]))
				}
				var want []string
				if tt.told != "" {
					want = []string{"3 " + tt.told, "4 " + tt.told}
				}
				slices.Sort(told)
				if !slices.Equal(told, want) {
					t.Errorf("messages %q, want %q", told, want)
				}
				// The store agrees: a restarted engine counts the same.
				e.Close()
				f.cat = f.loadCatalog(t)
				e = f.open(t, nil)
				check(e)
				snap, err := db.LoadLedger(ctx, f.cat.Event.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range snap.Seats {
					if s.SessionID == ch.Session.ID && s.Taken != tt.taken {
						t.Errorf("stored taken %d, want %d", s.Taken, tt.taken)
					}
				}
			})
		})
	}
}

// Cancelling a session frees every seat and place, tells each holder, and
// keeps the session in the catalog, marked and closed to reservations.
func TestChangeSessionCancels(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 3)
		e := f.open(t, nil)
		f.openWindows(t, e)
		step{0, "reserve", []string{"A-R1"}, "reserved"}.run(t, e, f)
		ch := f.edit(t, "A-R1")
		ch.Cancel = true
		res, err := e.ChangeSession(ctx, 0, "", ch)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.held(t, e, 0); len(got) != 0 {
			t.Errorf("p0 still holds %v", got)
		}
		step{1, "reserve", []string{"A-R1"}, lanyard.ENotReservable}.run(t, e, f)
		if len(res.Notified) != 1 {
			t.Errorf("notified %v", res.Notified)
		}
		msgs, err := db.Messages(ctx, f.cat.Event.ID)
		if err != nil {
			t.Fatal(err)
		}
		var cp message.ChangedParams
		if len(msgs) != 1 || message.Decode(msgs[0].Params, &cp) != nil || cp.Change != message.ChangeCancelled {
			t.Fatalf("messages %+v", msgs)
		}
		// The repeat that fits is offered.
		if len(cp.Repeats) != 1 || cp.Repeats[0].Code != "A-R2" {
			t.Errorf("repeats %+v, want A-R2", cp.Repeats)
		}
		f.cat = f.loadCatalog(t)
		if s, _ := f.cat.Session("A-R1"); !s.Cancelled || s.Reservable {
			t.Errorf("stored A-R1 %+v, want cancelled", s)
		}
		if _, err := e.ChangeSession(ctx, 0, "", ch); codeOf(err) != lanyard.EINVALID {
			t.Errorf("changing a cancelled session: %v, want invalid", err)
		}
	})
}

// A bad change is refused with its code and changes nothing.
func TestChangeSessionRefuses(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 1)
		e := f.open(t, nil)
		f.openWindows(t, e)
		tests := []struct {
			name string
			edit func(*lanyard.SessionChange)
			want string
		}{
			{"unknown session", func(c *lanyard.SessionChange) { c.Session.Code = "NOPE" }, lanyard.ENOTFOUND},
			{"unknown room", func(c *lanyard.SessionChange) { c.Session.Room = "Attic" }, lanyard.ENOTFOUND},
			{"ends before it starts", func(c *lanyard.SessionChange) { c.Session.End = c.Session.Start.Add(-time.Hour) }, lanyard.EINVALID},
			{"negative capacity", func(c *lanyard.SessionChange) { c.Session.CapacityOverride = -1 }, lanyard.EINVALID},
			{"unknown choice", func(c *lanyard.SessionChange) { c.Over = "drop" }, lanyard.EINVALID},
		}
		for _, tt := range tests {
			ch := f.edit(t, "D")
			tt.edit(&ch)
			if _, err := e.PreviewChange(ctx, ch); codeOf(err) != tt.want {
				t.Errorf("%s: preview %v, want %s", tt.name, err, tt.want)
			}
			if _, err := e.ChangeSession(ctx, 0, "", ch); codeOf(err) != tt.want {
				t.Errorf("%s: change %v, want %s", tt.name, err, tt.want)
			}
		}
		if v, _ := db.ScheduleVersion(ctx, f.cat.Event.ID); v != 1 {
			t.Errorf("schedule version %d after refusals, want 1", v)
		}
	})
}

// Random capacity changes amid random reservations never overbook a session
// whose organizer chose the waitlist or cancelling, and the engine, the
// store and a restarted engine agree on every count.
func TestChangeSessionRandomCapacity(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const people = 12
		f := newFixture(t, db, people)
		e := f.open(t, nil)
		f.openWindows(t, e)
		seed := rand.Uint64()
		t.Logf("seed %d", seed)
		r := rand.New(rand.NewPCG(seed, 1))
		codes := []string{"D", "E", "S2"}
		policy := map[string]lanyard.OverCapacity{}
		for range 300 {
			code := codes[r.IntN(len(codes))]
			who := f.people[r.IntN(people)]
			switch r.IntN(5) {
			case 0, 1:
				if _, err := e.Reserve(ctx, who, []string{code}, r.IntN(2) == 0, ""); err != nil {
					t.Fatal(err)
				}
			case 2:
				e.Cancel(ctx, who, code, "") // a refusal is fine
			default:
				s, err := f.cat.Session(code)
				if err != nil {
					t.Fatal(err)
				}
				ch := lanyard.SessionChange{Session: *s, Over: []lanyard.OverCapacity{lanyard.OverKeep, lanyard.OverWaitlist, lanyard.OverCancel}[r.IntN(3)]}
				ch.Session.CapacityOverride = 1 + r.IntN(8)
				if ch.Latest, err = db.SessionHolders(ctx, s.ID); err != nil {
					t.Fatal(err)
				}
				res, err := e.ChangeSession(ctx, 0, "", ch)
				if err != nil {
					t.Fatal(err)
				}
				f.cat = res.Catalog
				policy[code] = ch.Over
				c, _ := e.Seats(code)
				if ch.Over != lanyard.OverKeep && c.Taken > c.Capacity {
					t.Fatalf("%s overbooked after %s: %+v", code, ch.Over, c)
				}
			}
			for _, code := range codes {
				c, _ := e.Seats(code)
				if c.Taken > c.Reservable {
					t.Fatalf("%s: taken %d over reservable %d", code, c.Taken, c.Reservable)
				}
				if c.Taken > c.Capacity && policy[code] != lanyard.OverKeep {
					t.Fatalf("%s: taken %d over capacity %d", code, c.Taken, c.Capacity)
				}
			}
		}
		before := map[string]lanyard.SeatCount{}
		for _, code := range codes {
			before[code], _ = e.Seats(code)
		}
		e.Close()
		f.cat = f.loadCatalog(t)
		e = f.open(t, nil)
		for _, code := range codes {
			got, _ := e.Seats(code)
			if fmt.Sprint(got) != fmt.Sprint(before[code]) {
				t.Errorf("%s after restart %+v, before %+v", code, got, before[code])
			}
		}
	})
}

// A repeat added by an organizer is reservable at once, joins the group of
// the session it repeats (which joins one if it had none), makes a schedule
// version, and is there after a restart.
func TestAddSessionRepeat(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 2)
		e := f.open(t, nil)
		f.openWindows(t, e)
		step{0, "reserve", []string{"D"}, "reserved"}.run(t, e, f)
		n := lanyard.Session{Code: "D-R2", Title: "Title of D", Type: lanyard.TypeSession, Level: 200, Venue: "mgm", Room: "Twenty",
			Start: at(2, 14, 0), End: at(2, 15, 0), Reservable: true}
		if err := db.CreateSession(ctx, f.cat.Event.ID, &n); err != nil {
			t.Fatal(err)
		}
		res, err := e.AddSession(ctx, 0, "", "D", n)
		if err != nil {
			t.Fatal(err)
		}
		if s, err := res.Catalog.Session("D-R2"); err != nil || s.RepeatGroup != "D" || s.Capacity != 20 {
			t.Fatalf("catalog D-R2 %+v %v", s, err)
		}
		step{1, "reserve", []string{"D-R2"}, "reserved"}.run(t, e, f)
		// D and D-R2 are one group now: holding D, p0 cannot take D-R2 too.
		step{0, "reserve", []string{"D-R2"}, lanyard.ERepeatGroupTaken}.run(t, e, f)
		if _, err := e.AddSession(ctx, 0, "", "D", n); codeOf(err) != lanyard.ECONFLICT {
			t.Errorf("adding D-R2 again: %v, want conflict", err)
		}
		if v, _ := db.ScheduleVersion(ctx, f.cat.Event.ID); v != 2 {
			t.Errorf("schedule version %d, want 2", v)
		}
		e.Close()
		f.cat = f.loadCatalog(t)
		if s, err := f.cat.Session("D"); err != nil || s.RepeatGroup != "D" {
			t.Errorf("stored D %+v %v, want group D", s, err)
		}
		e = f.open(t, nil)
		if c, err := e.Seats("D-R2"); err != nil || c.Taken != 1 || c.Capacity != 20 {
			t.Errorf("D-R2 after restart %+v %v", c, err)
		}
	})
}
