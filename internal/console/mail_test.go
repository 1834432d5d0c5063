package console_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// The organizer sees a refused mail in words (its kind, the server's
// answer), retries it, and the retry is audited; a second retry is told,
// not done again.
func TestMailPageRetry(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		ann := e.people[lanyard.RoleAttendee]
		err := db.AddMessages(ctx, []lanyard.Message{{EventID: e.ev.ID, AttendeeID: ann.ID, Kind: lanyard.KindInvitation, Mail: true, Subject: "s", Body: "b"}})
		if err != nil {
			t.Fatal(err)
		}
		claimed, err := db.ClaimMail(ctx, engineNow, 0, 10)
		if err != nil || len(claimed) != 1 {
			t.Fatalf("claimed %d, %v", len(claimed), err)
		}
		id := claimed[0].ID
		if err := db.MailFailed(ctx, id, "550 5.1.1 mailbox unavailable"); err != nil {
			t.Fatal(err)
		}

		for lang, want := range map[string]string{"en": "Invitation", "ko": "초대"} {
			c := e.signIn(lanyard.RoleOrganizer)
			c.Lang = lang
			r := c.Get("/console/mail")
			if r.Status != http.StatusOK {
				t.Fatalf("%s mail page: %d", lang, r.Status)
			}
			row := r.Body[strings.Index(r.Body, `data-message="`+strconv.FormatInt(id, 10)+`"`):]
			row = row[:strings.Index(row, "</tr>")]
			for _, s := range []string{ann.Email, "<td>" + want + "</td>", "550 5.1.1 mailbox unavailable", `id="retry-` + strconv.FormatInt(id, 10)} {
				if !strings.Contains(row, s) {
					t.Errorf("%s failed row %q lacks %q", lang, row, s)
				}
			}
			if byID(r.Body, "retrying-none") == "" {
				t.Errorf("%s: no mail retrying, and no word saying so", lang)
			}
		}

		c := e.signIn(lanyard.RoleOrganizer)
		path := "/console/mail/" + strconv.FormatInt(id, 10) + "/retry"
		if r := c.Post(path, url.Values{}); r.Status != http.StatusSeeOther {
			t.Fatalf("retry: %d %s", r.Status, byID(r.Body, "error-message"))
		}
		if r := c.Get("/console/mail"); byID(r.Body, "failed-none") == "" || !strings.Contains(r.Body, "sent again in a moment") {
			t.Errorf("after retry the mail is still listed as failed, or no word of the retry")
		}
		due, err := db.ClaimMail(ctx, engineNow, 0, 10)
		if err != nil || len(due) != 1 || due[0].ID != id {
			t.Fatalf("due after retry %+v, %v; want the retried mail", due, err)
		}
		// Retried again while pending: said, and no second audit entry.
		c.Post(path, url.Values{})
		if r := c.Get("/console/mail"); !strings.Contains(r.Body, "no longer failed") {
			t.Errorf("a second retry is not explained")
		}
		entries, _ := db.FindAudit(ctx, e.ev.ID, store.AuditFilter{ActorID: e.people[lanyard.RoleOrganizer].ID})
		if len(entries) != 1 || entries[0].Action != "mail_retry" || entries[0].AttendeeID != ann.ID {
			t.Errorf("audit %+v; want one mail_retry naming the recipient", entries)
		}
		if r := c.Post("/console/mail/999999/retry", url.Values{}); r.Status != http.StatusNotFound {
			t.Errorf("retry of no mail: %d, want 404", r.Status)
		}
	})
}

// Every message kind, refusal code and command outcome has words in both
// languages: the console never shows a raw code for one.
func TestCodesHaveWords(t *testing.T) {
	codes := []string{}
	for _, k := range lanyard.MessageKinds {
		codes = append(codes, "console.kind."+k)
	}
	for _, c := range []string{lanyard.ESessionFull, lanyard.ETimeConflict, lanyard.EWindowClosed, lanyard.ERepeatGroupTaken,
		lanyard.ELimitReached, lanyard.EChangesClosed, lanyard.ENotReservable, lanyard.ETravelTime, lanyard.ENotReserved,
		lanyard.EDoorNotOpen, lanyard.EDoorClosed, lanyard.EWalkupFull} {
		codes = append(codes, "console.refusal."+c)
	}
	for _, lang := range []string{"en", "ko"} {
		b, err := os.ReadFile("locales/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		for _, o := range []string{lanyard.OutcomeReserved, lanyard.OutcomeWaitlisted, lanyard.OutcomeCancelled, lanyard.OutcomeLeftWaitlist,
			lanyard.OutcomePromoted, lanyard.OutcomeRefused, lanyard.OutcomeCheckedIn, lanyard.OutcomeWalkup, lanyard.OutcomeOverflow,
			lanyard.OutcomeReleased, lanyard.OutcomeSettings} {
			codes = append(codes, "console.outcome."+o)
		}
		for _, k := range codes {
			if s, _ := m[k].(string); s == "" {
				t.Errorf("%s: no words for %s", lang, k)
			}
		}
	}
}
