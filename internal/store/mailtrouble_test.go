package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// The organizer sees failed and retrying mail apart, paged, and a retry
// makes a failed mail due again, once, with its audit entry.
func TestMailTroubleAndRetry(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		var msgs []lanyard.Message
		for _, to := range []string{"a@example.com", "b@example.com", "c@example.com", "d@example.com"} {
			msgs = append(msgs, lanyard.Message{EventID: ev.ID, Kind: "password_reset", Mail: true, Recipient: to, Subject: "s", Body: "b"})
		}
		if err := db.AddMessages(ctx, msgs); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Second)
		claimed, err := db.ClaimMail(ctx, now, time.Minute, 10)
		if err != nil || len(claimed) != 4 {
			t.Fatalf("claimed %d, %v; want 4", len(claimed), err)
		}
		ids := map[string]int64{}
		for _, m := range claimed {
			ids[m.To] = m.ID
		}
		for _, to := range []string{"a@example.com", "b@example.com"} {
			if err := db.MailFailed(ctx, ids[to], "550 no such user"); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.MailRetry(ctx, ids["c@example.com"], "451 try later", now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := db.MailSent(ctx, []int64{ids["d@example.com"]}, now); err != nil {
			t.Fatal(err)
		}

		failed, more, err := db.MailTrouble(ctx, ev.ID, lanyard.MessageFailed, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(failed) != 1 || !more || failed[0].To != "b@example.com" || failed[0].LastError != "550 no such user" || failed[0].Attempts != 1 {
			t.Fatalf("first page of failed %+v more %v; want b@example.com (newest), 1 attempt, more", failed, more)
		}
		failed, more, _ = db.MailTrouble(ctx, ev.ID, lanyard.MessageFailed, 1, 1)
		if len(failed) != 1 || more || failed[0].To != "a@example.com" {
			t.Fatalf("second page of failed %+v more %v; want a@example.com, no more", failed, more)
		}
		retrying, _, _ := db.MailTrouble(ctx, ev.ID, lanyard.MessagePending, 0, 10)
		if len(retrying) != 1 || retrying[0].To != "c@example.com" {
			t.Fatalf("retrying %+v; want c@example.com alone", retrying)
		}

		later := now.Add(time.Minute)
		audit := lanyard.AuditEntry{Action: "mail_retry", Detail: "a@example.com"}
		if err := db.RetryMail(ctx, ev.ID, ids["a@example.com"], later, audit); err != nil {
			t.Fatal(err)
		}
		// Twice is refused: it is pending now.
		if err := db.RetryMail(ctx, ev.ID, ids["a@example.com"], later, audit); lanyard.ErrorCode(err) != lanyard.EINVALID {
			t.Errorf("second retry: %v; want EINVALID", err)
		}
		// Sent mail and another event's are refused.
		if err := db.RetryMail(ctx, ev.ID, ids["d@example.com"], later, audit); lanyard.ErrorCode(err) != lanyard.EINVALID {
			t.Errorf("retry of sent mail: %v; want EINVALID", err)
		}
		if err := db.RetryMail(ctx, ev.ID+1, ids["b@example.com"], later, audit); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("retry in another event: %v; want ENOTFOUND", err)
		}
		again, err := db.ClaimMail(ctx, later, time.Minute, 10)
		if err != nil || len(again) != 1 || again[0].To != "a@example.com" || again[0].Attempts != 1 {
			t.Fatalf("claimed after retry %+v, %v; want a@example.com due now, attempt 1", again, err)
		}
		entries, err := db.FindAudit(ctx, ev.ID, store.AuditFilter{})
		if err != nil || len(entries) != 1 || entries[0].Action != "mail_retry" {
			t.Fatalf("audit %+v, %v; want one mail_retry entry", entries, err)
		}
	})
}
