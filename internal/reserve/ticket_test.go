package reserve_test

import (
	"context"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// A cancelled ticket gives back every seat and waitlist place, even past
// the change cutoff; the first waiter is promoted with their message; the
// log says why; a retry with the same key changes nothing more; and after
// a restart the state is the same.
func TestCancelTicket(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 4)
		e := f.open(t, nil)
		f.openWindows(t, e)
		gone, a, b := f.people[0], f.people[1], f.people[2]
		// S (a room of two): gone and a hold it, b waits. gone also waits for nothing else but holds D.
		for _, p := range []int64{gone, a} {
			if _, err := e.Reserve(ctx, p, []string{"S", "D"}, false, ""); err != nil {
				t.Fatal(err)
			}
		}
		if r, err := e.JoinWaitlist(ctx, b, "S", ""); err != nil || r.Outcome != lanyard.OutcomeWaitlisted {
			t.Fatalf("b joins S's waitlist: %+v, %v", r, err)
		}
		if r, err := e.JoinWaitlist(ctx, gone, "S2", ""); err == nil && r.Outcome == lanyard.OutcomeWaitlisted {
			t.Fatalf("S2 has free seats; the test wants gone on no other list: %+v", r)
		}
		rs, err := e.CancelTicket(ctx, f.people[3], gone, "k1")
		if err != nil {
			t.Fatal(err)
		}
		if got := len(rs); got != 3 { // S, D, and the S2 seat just taken
			t.Errorf("results %+v; want 3 seats given back", rs)
		}
		ag, _ := e.Agenda(ctx, gone)
		if len(ag.Reservations) != 0 || len(ag.Waitlists) != 0 {
			t.Errorf("the cancelled attendee still holds %+v / waits %+v", ag.Reservations, ag.Waitlists)
		}
		bg, _ := e.Agenda(ctx, b)
		if len(bg.Reservations) != 1 || bg.Reservations[0].Session != "S" {
			t.Errorf("b after the cancel: %+v; want promoted into S", bg.Reservations)
		}
		msgs, _ := db.Messages(ctx, f.cat.Event.ID)
		promoted := 0
		for _, m := range msgs {
			if m.Kind == lanyard.KindWaitlistPromoted && m.AttendeeID == b {
				promoted++
			}
		}
		if promoted != 1 {
			t.Errorf("b has %d promotion messages, want 1", promoted)
		}
		again, err := e.CancelTicket(ctx, f.people[3], gone, "k1")
		if err != nil || len(again) != len(rs) {
			t.Errorf("retry with the same key: %+v, %v; want the first answer", again, err)
		}
		cmds, err := db.FindCommands(ctx, f.cat.Event.ID, store.CommandFilter{AttendeeID: gone})
		if err != nil {
			t.Fatal(err)
		}
		cancels := 0
		for _, c := range cmds {
			if c.Detail == reserve.TicketCancelled {
				cancels++
			}
		}
		if cancels != 3 {
			t.Errorf("%d log rows name the cancelled ticket, want 3", cancels)
		}
		e.Close()
		e2 := f.open(t, nil)
		if ag, _ := e2.Agenda(ctx, gone); len(ag.Reservations) != 0 {
			t.Errorf("after a restart the cancelled attendee holds %+v", ag.Reservations)
		}
		if c, _ := e2.Seats("S"); c.Taken != 2 {
			t.Errorf("S after restart: %+v; want 2 taken (a and b)", c)
		}
	})
}
