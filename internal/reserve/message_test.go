package reserve_test

import (
	"context"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// A promotion from the waitlist writes a message with its batch, for mail
// and the app, rendered later from the template of its kind.
func TestPromotionWritesMessage(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 6)
		e := f.open(t, nil)
		f.openWindows(t, e)
		waiter := int64(0)
		for _, p := range f.people {
			rs, err := e.Reserve(ctx, p, []string{"S"}, true, "")
			if err != nil {
				t.Fatal(err)
			}
			if rs[0].Outcome == lanyard.OutcomeWaitlisted {
				waiter = p
				break
			}
		}
		if waiter == 0 {
			t.Fatal("nobody waitlisted for S")
		}
		if _, err := e.Cancel(ctx, f.people[0], "S", ""); err != nil {
			t.Fatal(err)
		}
		msgs, err := db.Messages(ctx, f.cat.Event.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(msgs), 1; got != want {
			t.Fatalf("%d messages, want %d: %+v", got, want, msgs)
		}
		m := msgs[0]
		s, _ := f.cat.Session("S")
		if m.AttendeeID != waiter || m.Kind != "waitlist_promoted" || m.SessionID != s.ID || !m.Mail || !m.App ||
			m.Template != "waitlist_promoted" || m.Params["code"] != "S" || m.Params["title"] != s.Title ||
			m.State != lanyard.MessagePending || m.NextAttemptAt.IsZero() || m.Body != "" {
			t.Fatalf("promotion message %+v", m)
		}
	})
}
