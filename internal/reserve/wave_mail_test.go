package reserve_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// A wave's release writes, in its batch, a message to each attendee it
// seats and, when it announces, to each one still waiting; an announce
// setting survives a restart.
func TestWaveReleaseWritesMessages(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 5)
		e := f.open(t, nil)
		f.openWindows(t, e)
		release := f.clock.Now().Add(20 * time.Hour)
		// 100 seats: 1 released by the announcing wave, 97 later.
		if _, err := e.AddWave(ctx, 0, "", lanyard.Wave{Session: "K", Seats: 1, At: release, Announce: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.AddWave(ctx, 0, "", lanyard.Wave{Session: "K", Seats: 97, At: release.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		for _, s := range []step{
			{0, "reserve", []string{"K"}, "reserved"},
			{1, "reserve", []string{"K"}, "reserved"},
			{2, "wait", []string{"K"}, "waitlisted"},
			{3, "wait", []string{"K"}, "waitlisted"},
		} {
			s.run(t, e, f)
		}
		e.Close()
		e = f.open(t, nil) // the announce setting is stored
		defer e.Close()
		f.clock.Set(release)
		if err := e.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		ev, err := db.FindEventBySlug(ctx, f.slug)
		if err != nil {
			t.Fatal(err)
		}
		msgs, err := db.Messages(ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range msgs {
			who := map[int64]string{f.people[2]: "p2", f.people[3]: "p3"}[m.AttendeeID]
			got = append(got, who+" "+m.Kind+" "+m.Params["code"]+" reserved="+m.Params["reserved"])
			if !m.Mail || !m.App || m.State != lanyard.MessagePending {
				t.Errorf("message %+v: want by mail and in the app, pending", m)
			}
		}
		sort.Strings(got)
		want := []string{"p2 wave_released K reserved=true", "p3 wave_released K reserved="}
		if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("messages %q, want %q", got, want)
		}
	})
}
