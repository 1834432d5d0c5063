package store_test

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// mustAppMessage writes a message for the app (and mail) to attendee.
func mustAppMessage(t *testing.T, db *store.DB, eventID, attendee int64, kind string, at time.Time) {
	t.Helper()
	err := db.Exec(context.Background(), `INSERT INTO messages (event_id, attendee_id, kind, by_mail, in_app, template, params, state, created_at)
		VALUES (?, ?, ?, TRUE, TRUE, ?, '{"code":"K","title":"T"}', 'pending', ?)`, eventID, attendee, kind, kind, at)
	if err != nil {
		t.Fatal(err)
	}
}

func TestNotifications(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		a := mustCreateAttendee(t, db, ev.ID, "Ada", "ada@example.com")
		b := mustCreateAttendee(t, db, ev.ID, "Bo", "bo@example.com")
		t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		for i := range 5 {
			mustAppMessage(t, db, ev.ID, a.ID, lanyard.KindWaitlistPromoted, t0.Add(time.Duration(i)*time.Minute))
		}
		mustAppMessage(t, db, ev.ID, a.ID, lanyard.KindAnnouncement, t0.Add(10*time.Minute))
		mustAppMessage(t, db, ev.ID, b.ID, lanyard.KindWaitlistPromoted, t0)

		if got, err := db.UnreadCount(ctx, a.ID); err != nil || got != 6 {
			t.Fatalf("UnreadCount(a)=%d, %v; want 6", got, err)
		}
		page1, err := db.Notifications(ctx, a.ID, 0, 4)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(page1), 4; got != want {
			t.Fatalf("%d on page 1, want %d", got, want)
		}
		if got, want := page1[0].Kind, lanyard.KindAnnouncement; got != want {
			t.Errorf("newest kind=%q, want %q", got, want)
		}
		if page1[0].Params["code"] != "K" || !page1[0].Mail {
			t.Errorf("newest=%+v, want its params and channels", page1[0])
		}
		page2, err := db.Notifications(ctx, a.ID, page1[3].ID, 4)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(page2), 2; got != want {
			t.Fatalf("%d on page 2, want %d", got, want)
		}
		for i := 1; i < len(page1); i++ {
			if page1[i].ID >= page1[i-1].ID {
				t.Errorf("page 1 not newest first: %d after %d", page1[i].ID, page1[i-1].ID)
			}
		}

		// Marking a's messages read up to b's message ID (or any) never touches b's.
		if n, err := db.MarkRead(ctx, a.ID, 1<<62); err != nil || n != 6 {
			t.Fatalf("MarkRead=%d, %v; want 6", n, err)
		}
		if got, _ := db.UnreadCount(ctx, a.ID); got != 0 {
			t.Errorf("UnreadCount(a)=%d after MarkRead, want 0", got)
		}
		if got, _ := db.UnreadCount(ctx, b.ID); got != 1 {
			t.Errorf("UnreadCount(b)=%d after a's MarkRead, want 1", got)
		}

		// A kind turned off in the app is neither listed nor counted.
		mustAppMessage(t, db, ev.ID, a.ID, lanyard.KindAnnouncement, t0.Add(20*time.Minute))
		mustAppMessage(t, db, ev.ID, a.ID, lanyard.KindWaitlistPromoted, t0.Add(21*time.Minute))
		if err := db.SetMessagePreferences(ctx, a.ID, map[string]lanyard.Channels{lanyard.KindAnnouncement: {Mail: true}}); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.UnreadCount(ctx, a.ID); got != 1 {
			t.Errorf("UnreadCount(a)=%d with announcements off in the app, want 1", got)
		}
		all, _ := db.Notifications(ctx, a.ID, 0, 100)
		for _, m := range all {
			if m.Kind == lanyard.KindAnnouncement {
				t.Errorf("an announcement is listed though turned off in the app: %+v", m)
			}
		}

		// The live feed learns who got new messages.
		_, last, err := db.AppMessagesAfter(ctx, -1)
		if err != nil {
			t.Fatal(err)
		}
		mustAppMessage(t, db, ev.ID, b.ID, lanyard.KindWaveReleased, t0)
		who, last2, err := db.AppMessagesAfter(ctx, last)
		if err != nil {
			t.Fatal(err)
		}
		if len(who) != 1 || who[0] != b.ID || last2 <= last {
			t.Errorf("AppMessagesAfter=%v, %d; want [%d] and an ID after %d", who, last2, b.ID, last)
		}
	})
}

func TestMessagePreferences(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		a := mustCreateAttendee(t, db, ev.ID, "Ada", "ada@example.com")
		got, err := db.MessagePreferences(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c := got[lanyard.KindWaveReleased]; !c.Mail || !c.App {
			t.Errorf("default channels=%+v, want both", c)
		}
		if _, ok := got[lanyard.KindPasswordReset]; ok {
			t.Errorf("password reset is configurable: %v", got)
		}
		want := map[string]lanyard.Channels{lanyard.KindWaveReleased: {App: true}, lanyard.KindAnnouncement: {Mail: true}, lanyard.KindSessionChanged: {Mail: true, App: true}}
		if err := db.SetMessagePreferences(ctx, a.ID, want); err != nil {
			t.Fatal(err)
		}
		got, _ = db.MessagePreferences(ctx, a.ID)
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%s=%+v, want %+v", k, got[k], w)
			}
		}
		if c, _ := db.ChannelsFor(ctx, a.ID, lanyard.KindWaveReleased); c != (lanyard.Channels{App: true}) {
			t.Errorf("ChannelsFor(wave)=%+v, want app only", c)
		}
		if c, _ := db.ChannelsFor(ctx, a.ID, lanyard.KindPasswordReset); c != (lanyard.Channels{Mail: true}) {
			t.Errorf("ChannelsFor(reset)=%+v, want mail only", c)
		}
		if c, _ := db.ChannelsFor(ctx, a.ID, lanyard.KindWaitlistPromoted); c != (lanyard.Channels{Mail: true, App: true}) {
			t.Errorf("ChannelsFor(promoted)=%+v, want both", c)
		}

		// Bad input changes nothing.
		for name, bad := range map[string]map[string]lanyard.Channels{
			"neither":   {lanyard.KindWaveReleased: {Mail: true}, lanyard.KindAnnouncement: {}},
			"mail-only": {lanyard.KindWaveReleased: {Mail: true}, lanyard.KindInvitation: {App: true}},
			"unknown":   {"nope": {Mail: true}},
		} {
			if err := db.SetMessagePreferences(ctx, a.ID, bad); lanyard.ErrorCode(err) != lanyard.EINVALID {
				t.Errorf("%s: err=%v, want EINVALID", name, err)
			}
		}
		if c, _ := db.ChannelsFor(ctx, a.ID, lanyard.KindWaveReleased); c != (lanyard.Channels{App: true}) {
			t.Errorf("after bad input ChannelsFor(wave)=%+v, want app only still", c)
		}
	})
}

// Mail of a kind the attendee turned off by mail is not claimed for
// sending: it stays in the app alone, as sent; others' mail of that kind,
// and the attendee's other kinds, still go.
func TestClaimMailSkipsTurnedOff(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		a := mustCreateAttendee(t, db, ev.ID, "Ada", "ada@example.com")
		b := mustCreateAttendee(t, db, ev.ID, "Bo", "bo@example.com")
		if err := db.SetMessagePreferences(ctx, a.ID, map[string]lanyard.Channels{lanyard.KindWaveReleased: {App: true}}); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		msg := func(who int64, kind string) lanyard.Message {
			return lanyard.Message{EventID: ev.ID, AttendeeID: who, Kind: kind, Mail: true, App: true, Template: kind,
				Params: map[string]string{"code": "X"}, State: lanyard.MessagePending, NextAttemptAt: now, CreatedAt: now}
		}
		if err := db.AddMessages(ctx, []lanyard.Message{msg(a.ID, lanyard.KindWaveReleased), msg(b.ID, lanyard.KindWaveReleased), msg(a.ID, lanyard.KindWaitlistPromoted)}); err != nil {
			t.Fatal(err)
		}
		claimed, err := db.ClaimMail(ctx, now.Add(time.Second), time.Minute, 10)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range claimed {
			got = append(got, m.To+" "+m.Kind)
		}
		sort.Strings(got)
		want := []string{"ada@example.com waitlist_promoted", "bo@example.com wave_released"}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("claimed %q, want %q", got, want)
		}
		// Still in Ada's notifications.
		if n, err := db.UnreadCount(ctx, a.ID); err != nil || n != 2 {
			t.Errorf("Ada's unread count=%d (%v), want 2", n, err)
		}
	})
}

// Reminders (a meetup's, a contact's follow-up) are written for mail long
// before they are due; the attendee's choice applies when they come due:
// app alone (no mail, one new message in the app), mail alone (no app
// message), both (the default). A reminder claimed again after its lease
// lapsed gets no second app message.
func TestClaimMailReminderChoice(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		app := mustCreateAttendee(t, db, ev.ID, "App", "app@example.com")
		mail := mustCreateAttendee(t, db, ev.ID, "Mail", "mail@example.com")
		both := mustCreateAttendee(t, db, ev.ID, "Both", "both@example.com")
		for who, c := range map[int64]lanyard.Channels{app.ID: {App: true}, mail.ID: {Mail: true}} {
			prefs := map[string]lanyard.Channels{lanyard.KindMeetupReminder: c, lanyard.KindContactFollowUp: c}
			if err := db.SetMessagePreferences(ctx, who, prefs); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SetMessagePreferences(ctx, both.ID, map[string]lanyard.Channels{lanyard.KindMeetupReminder: {}}); lanyard.ErrorCode(err) != lanyard.EINVALID {
			t.Errorf("a reminder by neither channel: %v, want EINVALID", err)
		}
		now := time.Now().UTC().Truncate(time.Second)
		due := now.Add(time.Hour)
		var msgs []lanyard.Message
		for _, who := range []*lanyard.Attendee{app, mail, both} {
			for _, kind := range lanyard.ReminderKinds {
				// As the meetup and contact stores write them: mail, due later.
				m := lanyard.Message{EventID: ev.ID, AttendeeID: who.ID, Kind: kind, Mail: true, Subject: kind + " for " + who.Name, Body: "Soon.",
					DedupeKey: kind + ":" + who.Name, NextAttemptAt: due, CreatedAt: now}
				msgs = append(msgs, m)
			}
		}
		if err := db.AddMessages(ctx, msgs); err != nil {
			t.Fatal(err)
		}
		if err := db.Exec(ctx, `UPDATE messages SET next_attempt_at = ? WHERE event_id = ?`, due, ev.ID); err != nil {
			t.Fatal(err)
		}
		unread := func(a *lanyard.Attendee) int {
			t.Helper()
			n, err := db.UnreadCount(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if claimed, err := db.ClaimMail(ctx, now, time.Minute, 10); err != nil || len(claimed) != 0 {
			t.Fatalf("before due: claimed %d (%v)", len(claimed), err)
		}
		for _, a := range []*lanyard.Attendee{app, mail, both} {
			if n := unread(a); n != 0 {
				t.Errorf("%s before due: %d unread, want 0", a.Name, n)
			}
		}
		claimed, err := db.ClaimMail(ctx, due, time.Minute, 20)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range claimed {
			got = append(got, m.To+" "+m.Kind)
		}
		sort.Strings(got)
		want := []string{"mail@example.com contact_followup", "mail@example.com meetup_reminder"}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("claimed %q, want %q", got, want)
		}
		// Both's were written again for the app and mail: their mail goes
		// at the next claim, and only then.
		claimed, err = db.ClaimMail(ctx, due, time.Minute, 20)
		got = nil
		for _, m := range claimed {
			got = append(got, m.To+" "+m.Kind)
		}
		sort.Strings(got)
		want = []string{"both@example.com contact_followup", "both@example.com meetup_reminder"}
		if err != nil || strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("next claim: %q (%v), want %q", got, err, want)
		}
		for a, n := range map[*lanyard.Attendee]int{app: 2, mail: 0, both: 2} {
			if got := unread(a); got != n {
				t.Errorf("%s after due: %d unread, want %d", a.Name, got, n)
			}
		}
		ns, err := db.Notifications(ctx, app.ID, 0, 10)
		if err != nil || len(ns) != 2 || !strings.HasSuffix(ns[0].Subject, "for App") || ns[0].Mail {
			t.Errorf("App's notifications: %+v %v", ns, err)
		}
		// The leases lapse unsent: claimed again, no second app message.
		again, err := db.ClaimMail(ctx, due.Add(2*time.Minute), time.Minute, 20)
		if err != nil || len(again) != 4 {
			t.Errorf("claimed again: %d (%v), want 4", len(again), err)
		}
		if got := unread(both); got != 2 {
			t.Errorf("Both after a second claim: %d unread, want 2", got)
		}
	})
}
