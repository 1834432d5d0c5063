package party_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/message"
	"github.com/lanyardhq/lanyard/internal/party"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

func cancelNotices(t *testing.T, db *store.DB, eventID int64) []lanyard.Message {
	t.Helper()
	msgs, err := db.Messages(context.Background(), eventID)
	if err != nil {
		t.Fatal(err)
	}
	var out []lanyard.Message
	for _, m := range msgs {
		if m.Kind == lanyard.KindPartyCancelled {
			out = append(out, m)
		}
	}
	return out
}

// TestPartyCancel: only the host cancels (an organizer, or the hosting
// exhibitor's staff), after a confirmation page; the party leaves lists
// and agendas, its door admits no one (also after a restart), every guest
// gets one notice by mail and in the app, in English or Korean; bad input
// (no confirmation, an unknown party, a second cancel) changes nothing.
func TestPartyCancel(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		ana, bo, org, acme, other := e.signIn("ana"), e.signIn("bo"), e.signIn("org"), e.signIn("acme"), e.signIn("other")
		night := url.Values{"code": {"acme-night"}, "title": {"Acme night"}, "kind": {"party"}, "starts": {"2026-12-01T21:00"}, "location": {"Roof"}, "capacity": {"50"}}
		e.expect(acme.Post("/parties", night), http.StatusSeeOther, "")
		e.expect(org.Post("/parties", dinner("gala", 8, 4)), http.StatusSeeOther, "")
		for _, c := range []*client{ana, bo} {
			e.expect(c.Post("/parties/acme-night/rsvp", url.Values{"languages": {"en"}}), http.StatusSeeOther, "")
			e.expect(c.Post("/parties/gala/rsvp", url.Values{"languages": {"en"}}), http.StatusSeeOther, "")
		}

		// Not the host: a guest, another exhibitor (403 with a code);
		// an unknown party 404. Nothing changes.
		for _, c := range []*client{ana, other} {
			e.expect(c.Get("/parties/acme-night/cancel-party"), http.StatusForbidden, lanyard.EFORBIDDEN)
			e.expect(c.Post("/parties/acme-night/cancel-party", url.Values{"confirm": {"yes"}}), http.StatusForbidden, lanyard.EFORBIDDEN)
		}
		e.expect(org.Post("/parties/no-such-party/cancel-party", url.Values{"confirm": {"yes"}}), http.StatusNotFound, lanyard.ENOTFOUND)
		// The host, without confirming: refused, nothing changes.
		e.expect(acme.Post("/parties/acme-night/cancel-party", url.Values{}), http.StatusBadRequest, lanyard.EINVALID)
		if p := mustParty(t, db, e, "acme-night"); p.Cancelled() || len(cancelNotices(t, db, e.ev.ID)) != 0 {
			t.Fatalf("refused cancels changed the party: %+v", p)
		}
		// The confirmation page says what will happen; the party page links it for the host only.
		if r := acme.Get("/parties/acme-night"); !strings.Contains(r.Body, `href="/parties/acme-night/cancel-party"`) {
			t.Error("the host's page has no cancel link")
		}
		if r := ana.Get("/parties/acme-night"); strings.Contains(r.Body, "cancel-party") {
			t.Error("a guest's page has the cancel link")
		}
		confirm := acme.Get("/parties/acme-night/cancel-party")
		e.expect(confirm, http.StatusOK, "")
		if !strings.Contains(confirm.Body, `id="party-cancel-party-form"`) || !strings.Contains(confirm.Body, "2 guests said yes") {
			t.Errorf("confirmation page: %.2000s", confirm.Body)
		}
		acme.Lang = "ko"
		if r := acme.Get("/parties/acme-night/cancel-party"); !strings.Contains(r.Body, "손님 2명") {
			t.Errorf("Korean confirmation page: %.2000s", r.Body)
		}
		acme.Lang = ""

		// The hosting exhibitor cancels.
		e.expect(acme.Post("/parties/acme-night/cancel-party", url.Values{"confirm": {"yes"}}), http.StatusSeeOther, "")
		p := mustParty(t, db, e, "acme-night")
		if !p.Cancelled() {
			t.Fatalf("not cancelled: %+v", p)
		}
		notices := cancelNotices(t, db, e.ev.ID)
		to := map[int64]bool{}
		for _, m := range notices {
			to[m.AttendeeID] = true
			if !m.Mail || !m.App || m.State != lanyard.MessagePending {
				t.Errorf("notice %+v: want mail and app, pending", m)
			}
			for lang, want := range map[string]string{"en": "Acme night, hosted by Acme, is cancelled", "ko": "Acme에서 주최하는 Acme night이(가) 취소되었습니다"} {
				r, err := message.Render(m, lang)
				if err != nil || !strings.Contains(r.Text, want) || r.Link != "/parties" {
					t.Errorf("notice in %s: %+v %v", lang, r, err)
				}
			}
		}
		if len(notices) != 2 || !to[e.people["ana"].ID] || !to[e.people["bo"].ID] {
			t.Fatalf("notices to %v, want ana and bo once each", to)
		}
		// Gone from lists and agendas; the page says so; no RSVP, no door.
		if l := ana.Get("/parties"); strings.Contains(l.Body, "acme-night") || !strings.Contains(l.Body, `href="/parties/gala"`) {
			t.Error("the list still shows the cancelled party, or lost the other")
		}
		if a := ana.Get("/agenda"); strings.Contains(a.Body, `href="/parties/acme-night"`) || !strings.Contains(a.Body, `href="/parties/gala"`) {
			t.Error("the agenda still shows the cancelled party, or lost the other")
		}
		if r := ana.Get("/parties/acme-night"); !strings.Contains(r.Body, `id="party-cancelled"`) || strings.Contains(r.Body, `id="party-rsvp"`) {
			t.Errorf("the cancelled party's page: %.2000s", r.Body)
		}
		e.expect(e.signIn("cy").Post("/parties/acme-night/rsvp", url.Values{"languages": {"en"}}), http.StatusConflict, lanyard.EPartyCancelled)
		e.expect(ana.Post("/parties/acme-night/cancel", url.Values{}), http.StatusConflict, lanyard.EPartyCancelled)
		key := lanyard.InviteKey(party.DoorList("acme-night"))
		if who, _ := e.eng.EntitledTo(ctx, key); len(who) != 0 {
			t.Errorf("the cancelled party's door still lets in %v", who)
		}
		if _, err := e.eng.Enter(ctx, e.people["org"].ID, e.people["ana"].ID, "acme-night", "door-ana"); err == nil {
			t.Error("the door admitted a guest of a cancelled party")
		}
		// A second cancel: 409, and no second notice.
		e.expect(acme.Post("/parties/acme-night/cancel-party", url.Values{"confirm": {"yes"}}), http.StatusConflict, lanyard.EPartyCancelled)
		e.expect(org.Post("/parties/acme-night/edit", night), http.StatusConflict, lanyard.EPartyCancelled)
		if n := len(cancelNotices(t, db, e.ev.ID)); n != 2 {
			t.Errorf("%d notices after a second cancel", n)
		}
		// A restarted engine derives no entry for it, and keeps the other party's.
		e.eng.Close()
		eng := reopen(t, db, e.ev)
		if who, _ := eng.EntitledTo(ctx, key); len(who) != 0 {
			t.Errorf("after a restart the cancelled party's door lets in %v", who)
		}
		doorAgrees(t, db, eng, mustParty(t, db, e, "gala"), "the other party after a restart")
		// An organizer cancels a party too (theirs here).
		e.expect(org.Post("/parties/gala/cancel-party", url.Values{"confirm": {"yes"}}), http.StatusSeeOther, "")
		if n := len(cancelNotices(t, db, e.ev.ID)); n != 4 {
			t.Errorf("%d notices after the gala's cancel, want 4", n)
		}
	})
}

// The confirmation and the flash count guests in words that fit: none
// ("0 guests said yes. Each gets…" read oddly), one, or more, in both
// languages.
func TestPartyCancelCounts(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ana, org := e.signIn("ana"), e.signIn("org")
		night := url.Values{"code": {"quiet"}, "title": {"Quiet night"}, "kind": {"party"}, "starts": {"2026-12-01T21:00"}, "location": {"Roof"}, "capacity": {"50"}}
		e.expect(org.Post("/parties", night), http.StatusSeeOther, "")
		if r := org.Get("/parties/quiet/cancel-party"); !strings.Contains(r.Body, "No guest has said yes yet.") || strings.Contains(r.Body, "0 guests") {
			t.Errorf("no guests: %.2000s", r.Body)
		}
		e.expect(ana.Post("/parties/quiet/rsvp", url.Values{"languages": {"en"}}), http.StatusSeeOther, "")
		if r := org.Get("/parties/quiet/cancel-party"); !strings.Contains(r.Body, "1 guest said yes, and gets") {
			t.Errorf("one guest: %.2000s", r.Body)
		}
		org.Lang = "ko"
		if r := org.Get("/parties/quiet/cancel-party"); !strings.Contains(r.Body, "손님 1명") {
			t.Errorf("one guest, in Korean: %.2000s", r.Body)
		}
		org.Lang = ""
		e.expect(org.Post("/parties/quiet/cancel-party", url.Values{"confirm": {"yes"}}), http.StatusSeeOther, "")
		if r := org.Get("/parties"); !strings.Contains(r.Body, "The party is cancelled; its 1 guest is being told.") {
			t.Errorf("the flash after the cancel: %.3000s", r.Body)
		}
	})
}

// A party's time reads as a meetup's and a session's do: with its zone,
// and in the attendee's home zone beside it (it had the venue's clock
// alone, no zone).
func TestPartyTimeInBothZones(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		org := e.signIn("org")
		night := url.Values{"code": {"late"}, "title": {"Late night"}, "kind": {"party"}, "starts": {"2026-12-01T21:00"}, "location": {"Roof"}, "capacity": {"50"}}
		e.expect(org.Post("/parties", night), http.StatusSeeOther, "")
		if err := db.SetPreferences(context.Background(), e.people["ana"].ID, "en", lanyard.ZonePrimaryVenue, "America/Los_Angeles"); err != nil {
			t.Fatal(err)
		}
		ana := e.signIn("ana")
		want := "Tue, Dec 1, 9:00 PM KST · Tue, Dec 1, 4:00 AM PST"
		for _, path := range []string{"/parties/late", "/parties"} {
			body := ana.Get(path).Body
			got := strings.Join(strings.Fields(html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(body, " "))), " ")
			if !strings.Contains(got, want) {
				t.Errorf("%s lacks %q:\n%s", path, want, got)
			}
			// On the list, when and who each take their own line, not one
			// run-on line at a phone's width.
			if path == "/parties" && strings.Count(body, `<div class="muted">`) != 2 {
				t.Errorf("/parties: the row's facts are not one block each:\n%s", body)
			}
		}
	})
}
