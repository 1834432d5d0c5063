package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

func TestContactExchange(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := fixedClock(db)
		ev := mustImport(t, db, testCatalog())
		ada := mustCreateAttendee(t, db, ev.ID, "Ada", "ada@example.com")
		bo := mustCreateAttendee(t, db, ev.ID, "Bo", "bo@example.com")
		cy := mustCreateAttendee(t, db, ev.ID, "Cy", "cy@example.com")
		// Bo shares email and a phone; Cy keeps the defaults.
		if err := db.PutSharing(ctx, lanyard.Sharing{AttendeeID: bo.ID, Fields: []string{lanyard.FieldEmail, lanyard.FieldPhone}, Phone: "+1 555", Exchange: lanyard.ExchangeTwoWay}); err != nil {
			t.Fatal(err)
		}
		where := lanyard.ContactWhere{Kind: lanyard.WhereBooth, Ref: "acme", Label: "Acme"}
		scan := store.ContactScan{EventID: ev.ID, ScannerID: ada.ID, OtherID: bo.ID, Nonce: "nonce-0001", Where: where, At: now.Add(-time.Minute), TwoWay: true}
		res, err := db.ContactExchange(ctx, scan)
		if err != nil {
			t.Fatal(err)
		}
		if !res.New || res.Replay || res.ContactID == 0 {
			t.Fatalf("first scan: %+v", res)
		}
		// The same upload again: the same answer, nothing new.
		again, err := db.ContactExchange(ctx, store.ContactScan{EventID: ev.ID, ScannerID: ada.ID, OtherID: cy.ID, Nonce: "nonce-0001", TwoWay: true})
		if err != nil {
			t.Fatal(err)
		}
		if !again.Replay || again.New || again.ContactID != res.ContactID || again.OtherID != bo.ID {
			t.Fatalf("replay: %+v, want contact %d of %d", again, res.ContactID, bo.ID)
		}
		// A new scan of someone already a contact keeps the first meeting.
		later, err := db.ContactExchange(ctx, store.ContactScan{EventID: ev.ID, ScannerID: ada.ID, OtherID: bo.ID, Nonce: "nonce-0002", TwoWay: true})
		if err != nil {
			t.Fatal(err)
		}
		if later.New || later.Replay || later.ContactID != res.ContactID {
			t.Fatalf("second scan: %+v", later)
		}
		// One-way: Ada scans Cy, who does not get Ada's card.
		if _, err := db.ContactExchange(ctx, store.ContactScan{EventID: ev.ID, ScannerID: ada.ID, OtherID: cy.ID, Nonce: "nonce-0003", TwoWay: false}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ContactExchange(ctx, store.ContactScan{EventID: ev.ID, ScannerID: ada.ID, OtherID: ada.ID, Nonce: "nonce-0004"}); lanyard.ErrorCode(err) != lanyard.EINVALID {
			t.Fatalf("self scan: %v, want EINVALID", err)
		}

		mine, err := db.Contacts(ctx, ada.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(mine), 2; got != want {
			t.Fatalf("Ada has %d contacts, want %d", got, want)
		}
		c, err := db.Contact(ctx, ada.ID, res.ContactID)
		if err != nil {
			t.Fatal(err)
		}
		want := lanyard.Card{AttendeeID: bo.ID, Name: "Bo", Email: "bo@example.com", Phone: "+1 555"}
		if c.Card != want || !c.Scanned || c.Where != where || c.Stage != lanyard.StageMet || !c.MetAt.Equal(now.Add(-time.Minute)) {
			t.Fatalf("contact %+v, want card %+v scanned at the booth", c, want)
		}
		// Two-way: Bo has Ada's card; one-way: Cy has nothing.
		bos, _ := db.Contacts(ctx, bo.ID)
		if len(bos) != 1 || bos[0].Card.Name != "Ada" || bos[0].Scanned {
			t.Fatalf("Bo's contacts: %+v", bos)
		}
		if cys, _ := db.Contacts(ctx, cy.ID); len(cys) != 0 {
			t.Fatalf("Cy (one-way) has contacts: %+v", cys)
		}
		// Another attendee never reads Ada's contact.
		if _, err := db.Contact(ctx, bo.ID, res.ContactID); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Fatalf("Bo reads Ada's contact: %v, want ENOTFOUND", err)
		}
		// Bo narrows his sharing: Ada's card follows at once.
		if err := db.PutSharing(ctx, lanyard.Sharing{AttendeeID: bo.ID, Fields: nil, Exchange: lanyard.ExchangeTwoWay}); err != nil {
			t.Fatal(err)
		}
		c, _ = db.Contact(ctx, ada.ID, res.ContactID)
		if got, want := c.Card, (lanyard.Card{AttendeeID: bo.ID, Name: "Bo"}); got != want {
			t.Fatalf("card after narrowing: %+v, want %+v", got, want)
		}
	})
}

func TestContactUpdateReminder(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := fixedClock(db)
		ev := mustImport(t, db, testCatalog())
		ada := mustCreateAttendee(t, db, ev.ID, "Ada", "ada@example.com")
		bo := mustCreateAttendee(t, db, ev.ID, "Bo", "bo@example.com")
		res, err := db.ContactExchange(ctx, store.ContactScan{EventID: ev.ID, ScannerID: ada.ID, OtherID: bo.ID, Nonce: "nonce-0001", TwoWay: true})
		if err != nil {
			t.Fatal(err)
		}
		due := now.Add(30 * 24 * time.Hour)
		remind := func(date string) *lanyard.Message {
			return &lanyard.Message{Subject: "Follow up with Bo", Body: "Bo, met " + date, NextAttemptAt: due}
		}
		pending := func() []lanyard.Message {
			t.Helper()
			all, err := db.Messages(ctx, ev.ID)
			if err != nil {
				t.Fatal(err)
			}
			var out []lanyard.Message
			for _, m := range all {
				if m.Kind == lanyard.KindContactFollowUp && m.State == lanyard.MessagePending {
					out = append(out, m)
				}
			}
			return out
		}
		u := lanyard.ContactUpdate{Notes: "Hiring Go people", Tags: []string{"Go", "hiring", "go"}, FollowUp: "2026-12-15", Stage: lanyard.StageInTalks}
		if err := u.Validate(); err != nil {
			t.Fatal(err)
		}
		if err := db.ContactUpdate(ctx, ada.ID, res.ContactID, u, remind(u.FollowUp)); err != nil {
			t.Fatal(err)
		}
		c, _ := db.Contact(ctx, ada.ID, res.ContactID)
		if c.Notes != "Hiring Go people" || len(c.Tags) != 2 || c.Tags[0] != "go" || c.FollowUp != "2026-12-15" || c.Stage != lanyard.StageInTalks {
			t.Fatalf("after update: %+v", c)
		}
		p := pending()
		if len(p) != 1 || p[0].AttendeeID != ada.ID || !p[0].Mail || !p[0].NextAttemptAt.Equal(due) {
			t.Fatalf("pending reminders %+v, want one for Ada due %v", p, due)
		}
		// Saved again with the same date: still one.
		if err := db.ContactUpdate(ctx, ada.ID, res.ContactID, u, remind(u.FollowUp)); err != nil {
			t.Fatal(err)
		}
		if got := len(pending()); got != 1 {
			t.Fatalf("%d reminders after saving twice, want 1", got)
		}
		// A new date replaces it; no date drops it.
		u.FollowUp = "2026-12-20"
		if err := db.ContactUpdate(ctx, ada.ID, res.ContactID, u, remind(u.FollowUp)); err != nil {
			t.Fatal(err)
		}
		if p := pending(); len(p) != 1 || p[0].Body != "Bo, met 2026-12-20" {
			t.Fatalf("after a new date: %+v", p)
		}
		u.FollowUp = ""
		if err := db.ContactUpdate(ctx, ada.ID, res.ContactID, u, nil); err != nil {
			t.Fatal(err)
		}
		if p := pending(); len(p) != 0 {
			t.Fatalf("after clearing the date: %+v", p)
		}
		// Bo cannot change Ada's contact, and nothing is written.
		if err := db.ContactUpdate(ctx, bo.ID, res.ContactID, lanyard.ContactUpdate{Stage: lanyard.StageApplied, FollowUp: "2026-12-21"}, remind("x")); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Fatalf("Bo updates Ada's contact: %v, want ENOTFOUND", err)
		}
		if p := pending(); len(p) != 0 {
			t.Fatalf("a refused update wrote %+v", p)
		}
		// Deleting the contact drops its pending reminder; Bo's record of Ada stays.
		if err := db.ContactDelete(ctx, bo.ID, res.ContactID); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Fatalf("Bo deletes Ada's contact: %v, want ENOTFOUND", err)
		}
		if err := db.ContactUpdate(ctx, ada.ID, res.ContactID, lanyard.ContactUpdate{Stage: lanyard.StageMet, FollowUp: "2026-12-22"}, remind("2026-12-22")); err != nil {
			t.Fatal(err)
		}
		if got := len(pending()); got != 1 {
			t.Fatalf("%d reminders before deleting, want 1", got)
		}
		if err := db.ContactDelete(ctx, ada.ID, res.ContactID); err != nil {
			t.Fatal(err)
		}
		if p := pending(); len(p) != 0 {
			t.Fatalf("after deleting: %+v", p)
		}
		if cs, _ := db.Contacts(ctx, bo.ID); len(cs) != 1 {
			t.Fatalf("Bo's contacts after Ada deleted hers: %+v", cs)
		}
		// The deleted scan's upload again: refused, not made again; a new scan adds it back.
		if _, err := db.ContactExchange(ctx, store.ContactScan{EventID: ev.ID, ScannerID: ada.ID, OtherID: bo.ID, Nonce: "nonce-0001", TwoWay: true}); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Fatalf("replay after delete: %v, want ENOTFOUND", err)
		}
		back, err := db.ContactExchange(ctx, store.ContactScan{EventID: ev.ID, ScannerID: ada.ID, OtherID: bo.ID, Nonce: "nonce-0009", TwoWay: true})
		if err != nil || !back.New {
			t.Fatalf("scan after delete: %+v, %v", back, err)
		}
		if err := db.ContactUpdate(ctx, ada.ID, res.ContactID, u, nil); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Fatalf("update of a deleted contact: %v", err)
		}
	})
}

func TestContactUpdateValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		u     lanyard.ContactUpdate
		field string
	}{
		{"ok", lanyard.ContactUpdate{Notes: " hi ", Tags: []string{"a"}, FollowUp: "2026-12-01", Stage: lanyard.StageApplied}, ""},
		{"empty stage is met", lanyard.ContactUpdate{}, ""},
		{"bad stage", lanyard.ContactUpdate{Stage: "hired"}, "stage"},
		{"bad date", lanyard.ContactUpdate{FollowUp: "12/01/2026"}, "follow_up"},
		{"comma tag", lanyard.ContactUpdate{Tags: []string{"a,b"}}, "tags"},
		{"long tag", lanyard.ContactUpdate{Tags: []string{"abcdefghijabcdefghijabcdefghijx"}}, "tags"},
		{"too many tags", lanyard.ContactUpdate{Tags: []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"}}, "tags"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.u.Validate()
			if got := lanyard.ErrorField(err); got != tc.field {
				t.Fatalf("field=%q (%v), want %q", got, err, tc.field)
			}
		})
	}
}

func TestContactReservedSessions(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		evID, ada, bo, _ := segmentFixture(t, db) // Ada holds KEY001 and ARC301-R2; Bo only waits
		got, err := db.ContactReservedSessions(ctx, ada.ID)
		if err != nil {
			t.Fatal(err)
		}
		sessions, err := db.FindSessions(ctx, evID)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64]bool{}
		for _, s := range sessions {
			if s.Code == "KEY001" || s.Code == "ARC301-R2" {
				want[s.ID] = true
			}
		}
		if len(got) != 2 || !want[got[0]] || !want[got[1]] {
			t.Fatalf("Ada holds %v, want the IDs of KEY001 and ARC301-R2 %v", got, want)
		}
		if got, err := db.ContactReservedSessions(ctx, bo.ID); err != nil || len(got) != 0 {
			t.Fatalf("Bo holds %v, %v; want none (a waitlist is no seat)", got, err)
		}
	})
}

// TestContactExchangeConcurrent: a queue uploaded from two tabs at once,
// and one person scanned by many at once, make each contact exactly once.
func TestContactExchangeConcurrent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		ada := mustCreateAttendee(t, db, ev.ID, "Ada", "ada@example.com")
		bo := mustCreateAttendee(t, db, ev.ID, "Bo", "bo@example.com")
		const n = 12
		type out struct {
			res store.ContactScanResult
			err error
		}
		run := func(scan func(i int) store.ContactScan) []out {
			results := make([]out, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					res, err := db.ContactExchange(ctx, scan(i))
					results[i] = out{res, err}
				})
			}
			wg.Wait()
			return results
		}
		// The same nonce n times: one makes it, the rest replay it.
		same := run(func(int) store.ContactScan {
			return store.ContactScan{EventID: ev.ID, ScannerID: ada.ID, OtherID: bo.ID, Nonce: "same-nonce-1", TwoWay: true}
		})
		// n other nonces for the same pair: still one contact each way.
		other := run(func(i int) store.ContactScan {
			return store.ContactScan{EventID: ev.ID, ScannerID: bo.ID, OtherID: ada.ID, Nonce: fmt.Sprintf("bo-nonce-%d", i), TwoWay: true}
		})
		news := 0
		for _, o := range same {
			if o.err != nil {
				t.Fatal(o.err)
			}
			if o.res.New {
				news++
			}
			if o.res.ContactID != same[0].res.ContactID {
				t.Fatalf("contacts %d and %d for one scan", o.res.ContactID, same[0].res.ContactID)
			}
		}
		if news != 1 {
			t.Fatalf("%d uploads of one scan made a contact, want 1", news)
		}
		for _, o := range other {
			if o.err != nil {
				t.Fatal(o.err)
			}
			if o.res.New {
				t.Fatalf("Bo's scan made a new contact though the exchange gave him Ada's: %+v", o.res)
			}
		}
		for _, who := range []*lanyard.Attendee{ada, bo} {
			if cs, _ := db.Contacts(ctx, who.ID); len(cs) != 1 {
				t.Fatalf("%s has %d contacts, want 1", who.Name, len(cs))
			}
		}
	})
}
