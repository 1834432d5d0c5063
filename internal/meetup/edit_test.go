package meetup_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// meetupMessages are the event's messages of kind, by attendee.
func (e *env) meetupMessages(kind string, pending bool) map[int64][]lanyard.Message {
	e.t.Helper()
	msgs, err := e.db.Messages(context.Background(), e.ev.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[int64][]lanyard.Message{}
	for _, m := range msgs {
		if m.Kind == kind && (!pending || m.State == lanyard.MessagePending) {
			out[m.AttendeeID] = append(out[m.AttendeeID], m)
		}
	}
	return out
}

func (e *env) meetup(id int64) lanyard.Meetup {
	e.t.Helper()
	m, err := e.db.Meetup(context.Background(), e.ev.ID, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

func editForm(mod func(url.Values)) url.Values {
	f := validForm()
	f.Set("cap", "3")
	if mod != nil {
		mod(f)
	}
	return f
}

// The starter edits and cancels; others get 403 with a code; bad input
// (a cap below those going, a bad title, a cancel unconfirmed) changes
// nothing; a new time moves everyone's reminder and tells the guests by
// mail and in the app; a raised cap promotes the waitlist; a cancel drops
// the reminders and tells everyone. On both databases.
func TestEditAndCancel(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ana := e.signIn("ana")
		if r := ana.Post("/meetups", editForm(nil)); r.Status != http.StatusSeeOther {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		id := e.meetups()[0].ID
		path := fmt.Sprintf("/meetups/%d", id)
		for _, k := range []string{"bo", "cy", "di"} {
			if r := e.signIn(k).Post(path+"/rsvp", nil); r.Status != http.StatusSeeOther {
				t.Fatalf("rsvp %s: %d", k, r.Status)
			}
		}
		if m := e.meetup(id); m.Going != 3 || m.Waiting != 1 {
			t.Fatalf("before: %+v", m)
		}

		// Authorization: only the starter edits; the starter or an
		// organizer cancels; staff moderate (hide) but do not cancel.
		bo, staff, org := e.signIn("bo"), e.signIn("staff"), e.signIn("org")
		if r := e.client().Post(path+"/edit", editForm(nil)); r.Status != http.StatusUnauthorized {
			t.Errorf("anonymous edit: %d", r.Status)
		}
		if r := bo.Get(fmt.Sprintf("/meetups/edit/%d", id)); r.Status != http.StatusForbidden || r.Code() != lanyard.EMeetupNotYours {
			t.Errorf("another's edit page: %d %q", r.Status, r.Code())
		}
		if r := org.Post(path+"/edit", editForm(func(f url.Values) { f.Set("title", "Taken over") })); r.Status != http.StatusForbidden || r.Code() != lanyard.EMeetupNotYours {
			t.Errorf("organizer edits another's: %d %q", r.Status, r.Code())
		}
		for who, c := range map[string]*client{"bo": bo, "staff": staff} {
			if r := c.Post(path+"/cancel", url.Values{"confirm": {"1"}}); r.Status != http.StatusForbidden || r.Code() != lanyard.EMeetupNotYours {
				t.Errorf("%s cancels: %d %q", who, r.Status, r.Code())
			}
		}
		if r := ana.Get(fmt.Sprintf("/meetups/edit/%d", id)); r.Status != http.StatusOK || !strings.Contains(r.Body, `value="Korean speakers"`) {
			t.Errorf("own edit page: %d", r.Status)
		}

		// Bad input changes nothing.
		reminders := e.meetupMessages(lanyard.KindMeetupReminder, true)
		for _, c := range []struct {
			name, code string
			status     int
			form       url.Values
		}{
			{"cap below going", lanyard.EMeetupCapBelowGoing, http.StatusUnprocessableEntity, editForm(func(f url.Values) { f.Set("cap", "2"); f.Set("start", "2026-12-01T21:00") })},
			{"bad title", lanyard.EINVALID, http.StatusUnprocessableEntity, editForm(func(f url.Values) { f.Set("title", "x"); f.Set("start", "2026-12-01T21:00") })},
			{"past start", lanyard.EINVALID, http.StatusUnprocessableEntity, editForm(func(f url.Values) { f.Set("start", "2026-10-01T21:00") })},
			{"bad cap", lanyard.EINVALID, http.StatusUnprocessableEntity, editForm(func(f url.Values) { f.Set("cap", "lots") })},
		} {
			r := ana.Post(path+"/edit", c.form)
			if r.Status != c.status || r.Code() != c.code {
				t.Errorf("%s: %d %q, want %d %q", c.name, r.Status, r.Code(), c.status, c.code)
			}
			if m := e.meetup(id); m.Cap != 3 || m.Title != "Korean speakers" || m.Start.Hour() != 3 {
				t.Errorf("%s changed the meetup: %+v", c.name, m)
			}
		}
		if r := ana.Post(path+"/edit", editForm(func(f url.Values) { f.Set("cap", "2") })); !strings.Contains(r.Body, "3 people are going already") {
			t.Errorf("the cap error does not say how many go: %s", r.Body)
		}
		if r := ana.Post(path+"/cancel", url.Values{}); r.Status != http.StatusUnprocessableEntity || e.meetup(id).Canceled {
			t.Errorf("unconfirmed cancel: %d", r.Status)
		}
		if got := e.meetupMessages(lanyard.KindMeetupChanged, false); len(got) != 0 {
			t.Fatalf("refused edits told guests: %v", got)
		}
		if got := e.meetupMessages(lanyard.KindMeetupReminder, true); len(got) != len(reminders) {
			t.Fatalf("refused edits moved reminders: %v", got)
		}

		// A new time (19:00 → 21:00 venue time, 05:00 UTC) moves the
		// reminders of those going and tells every guest but the starter.
		// bo reads Korean: the time in his message is in Korean words.
		if err := db.SetPreferences(context.Background(), e.people["bo"].ID, "ko", lanyard.ZonePrimaryVenue, "Asia/Seoul"); err != nil {
			t.Fatal(err)
		}
		if r := ana.Post(path+"/edit", editForm(func(f url.Values) { f.Set("start", "2026-12-01T21:00"); f.Set("place", "Roof bar") })); r.Status != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", r.Status, r.Body)
		}
		m := e.meetup(id)
		if want := time.Date(2026, 12, 2, 5, 0, 0, 0, time.UTC); !m.Start.Equal(want) || m.Place != "Roof bar" {
			t.Fatalf("after edit: %v %q", m.Start, m.Place)
		}
		rem := e.meetupMessages(lanyard.KindMeetupReminder, true)
		if len(rem) != 3 || len(rem[e.people["di"].ID]) != 0 {
			t.Fatalf("reminders after the move: %v", rem)
		}
		for who, ms := range rem {
			if len(ms) != 1 || !ms[0].NextAttemptAt.Equal(m.Start.Add(-lanyard.MeetupReminderBefore)) || !strings.Contains(ms[0].Body, "Roof bar") {
				t.Errorf("reminder of %d: %+v", who, ms)
			}
		}
		changed := e.meetupMessages(lanyard.KindMeetupChanged, false)
		if len(changed) != 3 || changed[e.people["ana"].ID] != nil {
			t.Fatalf("changed told %v, want bo, cy and di", changed)
		}
		for _, k := range []string{"bo", "cy", "di"} {
			ms := changed[e.people[k].ID]
			want := "Tue, Dec 1, 9:00–10:30 PM PST"
			if k == "bo" {
				want = "12월 1일 (화) 오후 9:00–10:30 PST · 12월 2일 (수) 오후 2:00–3:30 KST"
			}
			if len(ms) != 1 || !ms[0].Mail || !ms[0].App || !strings.Contains(ms[0].Body, want) || !strings.Contains(ms[0].Body, "Roof bar") {
				t.Errorf("%s's change message lacks %q: %+v", k, want, ms)
			}
		}

		// A raised cap gives the waitlist its place, with a reminder.
		if r := ana.Post(path+"/edit", editForm(func(f url.Values) { f.Set("start", "2026-12-01T21:00"); f.Set("place", "Roof bar"); f.Set("cap", "4") })); r.Status != http.StatusSeeOther {
			t.Fatalf("raise cap: %d", r.Status)
		}
		if m := e.meetup(id); m.Going != 4 || m.Waiting != 0 {
			t.Fatalf("after the raise: %+v", m)
		}
		if rem := e.meetupMessages(lanyard.KindMeetupReminder, true); len(rem[e.people["di"].ID]) != 1 {
			t.Fatalf("promoted without a reminder: %v", rem)
		}
		if got := len(e.meetupMessages(lanyard.KindMeetupChanged, false)[e.people["bo"].ID]); got != 1 {
			t.Fatalf("a cap change told guests of a change: %d", got)
		}

		// The console offers the cancel to organizers, not to staff.
		cancelButton := fmt.Sprintf(`id="meetup-cancel-%d"`, id)
		if r := org.Get("/console/meetups"); r.Status != http.StatusOK || !strings.Contains(r.Body, cancelButton) {
			t.Errorf("the organizer's console has no cancel: %d", r.Status)
		}
		if r := staff.Get("/console/meetups"); r.Status != http.StatusOK || strings.Contains(r.Body, cancelButton) {
			t.Errorf("the staff console offers a cancel staff may not make: %d", r.Status)
		}
		// An organizer cancels: reminders dropped, everyone told.
		if r := org.Post(path+"/cancel", url.Values{"confirm": {"1"}, "from": {"console"}}); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/console/meetups" {
			t.Fatalf("cancel: %d %s", r.Status, r.Header.Get("Location"))
		}
		if !e.meetup(id).Canceled {
			t.Fatal("not cancelled")
		}
		if rem := e.meetupMessages(lanyard.KindMeetupReminder, true); len(rem) != 0 {
			t.Fatalf("reminders left after the cancel: %v", rem)
		}
		canceled := e.meetupMessages(lanyard.KindMeetupCanceled, false)
		for _, k := range []string{"ana", "bo", "cy", "di"} {
			if ms := canceled[e.people[k].ID]; len(ms) != 1 || !ms[0].Mail || !ms[0].App {
				t.Errorf("%s's cancel message: %+v", k, ms)
			}
		}
		if len(e.meetups()) != 1 {
			t.Fatal("the console lost the cancelled meetup")
		}
		list, err := db.Meetups(context.Background(), e.ev.ID, lanyard.MeetupFilter{})
		if err != nil || len(list) != 0 {
			t.Fatalf("a cancelled meetup is listed: %v %v", list, err)
		}
		// After the cancel: no RSVP, no edit, no second cancel.
		if r := e.signIn("staff").Post(path+"/rsvp", nil); r.Status != http.StatusConflict || r.Code() != lanyard.EMeetupCanceled {
			t.Errorf("rsvp to cancelled: %d %q", r.Status, r.Code())
		}
		if r := ana.Post(path+"/edit", editForm(nil)); r.Status != http.StatusConflict || r.Code() != lanyard.EMeetupCanceled {
			t.Errorf("edit cancelled: %d %q", r.Status, r.Code())
		}
		if r := ana.Post(path+"/cancel", url.Values{"confirm": {"1"}}); r.Status != http.StatusConflict || r.Code() != lanyard.EMeetupCanceled {
			t.Errorf("cancel twice: %d %q", r.Status, r.Code())
		}
		if r := ana.Get(path); r.Status != http.StatusOK || !strings.Contains(r.Body, `id="meetup-canceled"`) || strings.Contains(r.Body, `id="meetup-rsvp-button"`) {
			t.Errorf("cancelled page: %d", r.Status)
		}
		// Nobody is "going" to a cancelled meetup: not on its page, not
		// on its card under "My meetups".
		if r := ana.Get(path); strings.Contains(r.Body, `id="rsvp-state"`) {
			t.Error("the cancelled meetup's page still says the starter is going")
		}
		card := regexp.MustCompile(`(?s)data-meetup="` + strconv.FormatInt(id, 10) + `">.*?</li>`).FindString(ana.Get("/meetups").Body)
		if !strings.Contains(card, "Cancelled") || strings.Contains(card, `badge ok`) {
			t.Errorf("the cancelled meetup's card under My meetups:\n%s", card)
		}
	})
}
