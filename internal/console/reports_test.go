package console_test

import (
	"context"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/console"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
	"github.com/lanyardhq/lanyard/internal/web/webtest"
)

// crowd signs up n attendees and returns them.
func (e *env) crowd(prefix string, n int) []*lanyard.Attendee {
	e.t.Helper()
	var out []*lanyard.Attendee
	for i := range n {
		a := &lanyard.Attendee{Name: fmt.Sprintf("%s %d", prefix, i), Email: fmt.Sprintf("%s%d@example.com", prefix, i)}
		webtest.SignUp(e.t, e.db, e.ev.ID, a)
		out = append(out, a)
	}
	return out
}

func (e *env) reserve(a *lanyard.Attendee, codes ...string) {
	e.t.Helper()
	if _, err := e.eng.Reserve(context.Background(), a.ID, codes, true, ""); err != nil {
		e.t.Fatalf("reserve %v for %s: %v", codes, a.Name, err)
	}
}

// hotChalk makes C (two seats in room Two, day 2 at 10:00) wanted by five:
// two hold it, three wait, and the three waiting hold the day-1 keynote at
// 8:00. Returns the holders and the waiting.
func (e *env) hotChalk() (holders, waiting []*lanyard.Attendee) {
	holders, waiting = e.crowd("holder", 2), e.crowd("waiter", 3)
	for _, a := range holders {
		e.reserve(a, "C")
	}
	for _, a := range waiting {
		e.reserve(a, "K1", "C")
	}
	return holders, waiting
}

// wellFormedSVGs decodes every inline SVG of body as XML and returns their
// titles.
func wellFormedSVGs(t *testing.T, body string) []string {
	t.Helper()
	var titles []string
	for _, svg := range regexp.MustCompile(`(?s)<svg .*?</svg>`).FindAllString(body, -1) {
		d := xml.NewDecoder(strings.NewReader(svg))
		inTitle := false
		for {
			tok, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("SVG is not well-formed XML: %v\n%s", err, svg)
			}
			switch x := tok.(type) {
			case xml.StartElement:
				inTitle = x.Name.Local == "title"
			case xml.CharData:
				if inTitle {
					titles = append(titles, string(x))
				}
			case xml.EndElement:
				inTitle = false
			}
		}
	}
	return titles
}

func TestReportsPage(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	e.hotChalk()
	for _, lang := range []string{"en", "ko"} {
		c := e.signIn(lanyard.RoleOrganizer)
		c.Lang = lang
		r := c.Get("/console/reports")
		if r.Status != http.StatusOK {
			t.Fatalf("%s: reports = %d", lang, r.Status)
		}
		titles := wellFormedSVGs(t, r.Body)
		// Every report with rows has its chart: no session is over and no
		// mail was written yet, so attendance and mail have none.
		if got, want := len(titles), 5; got != want {
			t.Errorf("%s: %d charts (%q), want %d", lang, got, titles, want)
		}
		wantTitle := map[string]string{"en": "Demand against seats", "ko": "좌석 대비 수요"}[lang]
		if !strings.Contains(strings.Join(titles, "|"), wantTitle) {
			t.Errorf("%s: chart titles %q lack %q", lang, titles, wantTitle)
		}
		for _, id := range []string{"csv-demand", "csv-repeats", "csv-fill-type", "csv-fill-day", "csv-fill-venue", "csv-attendance", "csv-mail"} {
			if !strings.Contains(r.Body, `id="`+id+`"`) {
				t.Errorf("%s: no %s link", lang, id)
			}
		}
	}
	// The repeat: the waiting hold the keynote at 8:00 on day 1, so the
	// first time they are all free is 10:00; room Ten has A then, Two
	// (two seats) would hold the session's capacity but not the three
	// waiting, Hall holds them all.
	r := e.signIn(lanyard.RoleOrganizer).Get("/console/reports")
	row := regexp.MustCompile(`(?s)<table class="data" id="table-repeats">.*?</table>`).FindString(r.Body)
	for _, want := range []string{">C<", "2026-12-01 10:00", ">Hall<", "3/3", `href="/console/sessions/C?repeat_start=2026-12-01T18%3A00%3A00Z&amp;room=Hall&amp;venue=venetian#repeat"`} {
		if !strings.Contains(row, want) {
			t.Errorf("repeats table lacks %q:\n%s", want, row)
		}
	}
	// The link opens the session's page with the add-a-repeat form filled
	// in: that time in the venue's zone, as long as the session, in Hall.
	form := e.signIn(lanyard.RoleOrganizer).Get("/console/sessions/C?repeat_start=2026-12-01T18%3A00%3A00Z&room=Hall&venue=venetian").Body
	for _, want := range []string{`id="repeat_start" name="repeat_start" type="datetime-local" value="2026-12-01T10:00"`, `value="venetian/Hall" selected`} {
		if !strings.Contains(form, want) {
			t.Errorf("the suggested repeat's form lacks %q", want)
		}
	}
}

// Staff see fill and attendance (they run the doors), not demand, repeats
// or mail; the CSV of an organizer's report refuses them.
func TestReportsForStaff(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	c := e.signIn(lanyard.RoleStaff)
	r := c.Get("/console/reports")
	if r.Status != http.StatusOK {
		t.Fatalf("staff reports = %d", r.Status)
	}
	for id, want := range map[string]bool{"report-fill-type": true, "report-attendance": true, "report-demand": false, "report-repeats": false, "report-mail": false} {
		if got := strings.Contains(r.Body, `id="`+id+`"`); got != want {
			t.Errorf("staff page has %s = %v, want %v", id, got, want)
		}
	}
	if got := c.Get("/console/reports/demand.csv").Status; got != http.StatusForbidden {
		t.Errorf("staff demand.csv = %d, want 403", got)
	}
	if got := c.Get("/console/reports/fill-type.csv").Status; got != http.StatusOK {
		t.Errorf("staff fill-type.csv = %d, want 200", got)
	}
}

func TestReportCSV(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	e.hotChalk()
	r := e.signIn(lanyard.RoleOrganizer).Get("/console/reports/demand.csv")
	if r.Status != http.StatusOK {
		t.Fatalf("demand.csv = %d", r.Status)
	}
	if got, want := r.Header.Get("Content-Type"), "text/csv; charset=utf-8"; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
	if got, want := r.Header.Get("Content-Disposition"), `attachment; filename="test-conf-demand.csv"`; got != want {
		t.Errorf("Content-Disposition = %q, want %q", got, want)
	}
	recs, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(recs[0], ","), "session,title,type,day,venue,reserved,waitlisted,seats,percent"; got != want {
		t.Errorf("header = %s, want %s", got, want)
	}
	if got, want := len(recs), 4; got != want { // header and the three sessions
		t.Fatalf("%d records, want %d", got, want)
	}
	if got, want := strings.Join(recs[1], ","), "C,Whiteboard,chalk-talk,2026-12-02,Venetian,2,3,2,250"; got != want {
		t.Errorf("first row = %s, want %s", got, want)
	}
	rp := e.signIn(lanyard.RoleOrganizer).Get("/console/reports/repeats.csv")
	recs, err = csv.NewReader(strings.NewReader(rp.Body)).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("repeats.csv = %q, %v", rp.Body, err)
	}
	if got := recs[1][len(recs[1])-1]; !strings.HasPrefix(got, "/console/sessions/C?") {
		t.Errorf("repeats.csv link = %q", got)
	}
}

func TestAnnouncementPreviewAndSend(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		holders, _ := e.hotChalk()
		c := e.signIn(lanyard.RoleOrganizer)
		form := url.Values{"segment": {"reserved"}, "session": {"c"}, "subject_en": {"Room change"}, "body_en": {"C moves to <Hall>."},
			"subject_ko": {"강의실 변경"}, "body_ko": {"C는 홀로 옮깁니다."}, "when": {"now"}, "key": {"k1"}, "action": {"preview"}}
		r := c.Post("/console/announcements", form)
		if r.Status != http.StatusOK {
			t.Fatalf("preview = %d", r.Status)
		}
		for _, want := range []string{`id="preview-en"`, `id="preview-ko"`, "Room change", "강의실 변경", "C moves to &lt;Hall&gt;.", "C는 홀로 옮깁니다.", "Recipients now: 2"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("preview lacks %q", want)
			}
		}
		if n := e.countMessages(); n != 0 {
			t.Fatalf("preview wrote %d messages", n)
		}
		form.Set("action", "send")
		if r := c.Post("/console/announcements", form); r.Status != http.StatusSeeOther {
			t.Fatalf("send = %d: %s", r.Status, byID(r.Body, "announce-form"))
		}
		if got := c.Get("/console/announcements").Body; !strings.Contains(got, "Announcement sent. Recipients: 2.") {
			t.Errorf("no flash with the recipients after sending")
		}
		// Posted twice (a double click): one announcement, and the same words.
		c.Post("/console/announcements", form)
		if got := c.Get("/console/announcements").Body; !strings.Contains(got, "Announcement sent. Recipients: 2.") {
			t.Errorf("the second post's flash lacks the first sending's recipients")
		}
		msgs := e.announcementMessages()
		if got, want := len(msgs), len(holders); got != want {
			t.Fatalf("%d messages, want %d", got, want)
		}
		for _, h := range holders {
			if msgs[h.ID] == 0 {
				t.Errorf("holder %s got no message", h.Name)
			}
		}
		page := c.Get("/console/announcements")
		if !strings.Contains(page.Body, `data-state="sent"`) || !strings.Contains(page.Body, "Room change") {
			t.Errorf("the list lacks the sent announcement")
		}
	})
}

func TestAnnouncementRefusesBadInput(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	c := e.signIn(lanyard.RoleOrganizer)
	tests := []struct {
		name  string
		form  url.Values
		field string
	}{
		{"no korean", url.Values{"segment": {"all"}, "subject_en": {"S"}, "body_en": {"B"}, "body_ko": {"본문"}, "when": {"now"}}, "subject_ko-error"},
		{"unknown session", url.Values{"segment": {"waitlisted"}, "session": {"NOPE"}, "subject_en": {"S"}, "body_en": {"B"}, "subject_ko": {"제"}, "body_ko": {"본"}, "when": {"now"}}, "session-error"},
		{"past time", url.Values{"segment": {"all"}, "subject_en": {"S"}, "body_en": {"B"}, "subject_ko": {"제"}, "body_ko": {"본"}, "when": {"later"}, "send_at": {"2020-01-01T10:00"}}, "send_at-error"},
		{"bad segment", url.Values{"segment": {"friends"}, "subject_en": {"S"}, "body_en": {"B"}, "subject_ko": {"제"}, "body_ko": {"본"}, "when": {"now"}}, "segment-error"},
		{"no venue", url.Values{"segment": {"venue"}, "subject_en": {"S"}, "body_en": {"B"}, "subject_ko": {"제"}, "body_ko": {"본"}, "when": {"now"}}, "venue-error"},
	}
	for _, tt := range tests {
		r := c.Post("/console/announcements", tt.form)
		if r.Status != http.StatusUnprocessableEntity || r.Code() != lanyard.EINVALID {
			t.Errorf("%s: %d %q, want 422 invalid", tt.name, r.Status, r.Code())
		}
		if byID(r.Body, tt.field) == "" {
			t.Errorf("%s: no message at %s", tt.name, tt.field)
		}
	}
	if n := e.countMessages(); n != 0 {
		t.Errorf("refused forms wrote %d messages", n)
	}
	if list, _ := e.db.Announcements(context.Background(), e.ev.ID, 10); len(list) != 0 {
		t.Errorf("refused forms wrote %d announcements", len(list))
	}
}

// A scheduled announcement is sent when due, once, even by two schedulers
// (two nodes, or one restarted) over the same database.
func TestScheduledAnnouncementSentOnce(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		var now atomic.Pointer[time.Time]
		t0 := engineNow
		now.Store(&t0)
		clock := func() time.Time { return *now.Load() }
		e := newEnvAt(t, db, clock)
		e.crowd("guest", 3)
		c := e.signIn(lanyard.RoleOrganizer)
		form := url.Values{"segment": {"all"}, "subject_en": {"Doors"}, "body_en": {"Open at 9."}, "subject_ko": {"입장"}, "body_ko": {"9시에 엽니다."},
			"when": {"later"}, "send_at": {t0.In(vegas).Add(time.Hour).Format("2006-01-02T15:04")}, "key": {"k2"}, "action": {"send"}}
		if r := c.Post("/console/announcements", form); r.Status != http.StatusSeeOther {
			t.Fatalf("schedule = %d", r.Status)
		}
		ctx := context.Background()
		if err := e.h.SendDue(ctx); err != nil {
			t.Fatal(err)
		}
		if n := e.countMessages(); n != 0 {
			t.Fatalf("sent %d messages before the time", n)
		}
		later := t0.Add(61 * time.Minute)
		now.Store(&later)
		// Another node (or this one after a restart): its own handler on the same database.
		other := &console.Handler{Shell: e.h.Shell, Catalog: e.h.Catalog, Store: db, Log: e.h.Log, Now: clock}
		errs := make(chan error, 2)
		for _, h := range []*console.Handler{e.h, other} {
			go func() { errs <- h.SendDue(ctx) }()
		}
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		if err := other.SendDue(ctx); err != nil {
			t.Fatal(err)
		}
		msgs := e.announcementMessages()
		if got, want := len(msgs), 7; got != want { // the 3 guests and the 4 people of newEnv
			t.Errorf("%d recipients, want %d", got, want)
		}
		for id, n := range msgs {
			if n != 1 {
				t.Errorf("attendee %d got %d messages, want 1", id, n)
			}
		}
	})
}

func (e *env) countMessages() int {
	e.t.Helper()
	msgs, err := e.db.Messages(context.Background(), e.ev.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return len(msgs)
}

// announcementMessages counts the announcement messages per attendee.
func (e *env) announcementMessages() map[int64]int {
	e.t.Helper()
	msgs, err := e.db.Messages(context.Background(), e.ev.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[int64]int{}
	for _, m := range msgs {
		if m.Kind == lanyard.KindAnnouncement {
			out[m.AttendeeID]++
		}
	}
	return out
}

// No-shows and walk-ups come from the engine's door counts: of A's two
// reserved seats one was checked in; one walk-up came; the report, read
// after A ended, shows one no-show in A's type.
func TestReportsAttendance(t *testing.T) {
	var now atomic.Pointer[time.Time]
	t0 := engineNow
	now.Store(&t0)
	e := newEnvAt(t, storetest.OpenSQLite(t), func() time.Time { return *now.Load() })
	people := e.crowd("guest", 3)
	e.reserve(people[0], "A")
	e.reserve(people[1], "A")
	door := at(1, 10).Add(-15 * time.Minute) // doors open, reserved seats not yet released
	now.Store(&door)
	ctx := context.Background()
	staff := e.people[lanyard.RoleStaff].ID
	if _, err := e.eng.CheckIn(ctx, staff, people[0].ID, "A", ""); err != nil {
		t.Fatalf("check in: %v", err)
	}
	released := at(1, 10).Add(-5 * time.Minute) // the walk-up line takes the unclaimed seats
	now.Store(&released)
	if _, err := e.eng.AdmitWalkup(ctx, staff, people[2].ID, "A", ""); err != nil {
		t.Fatalf("walk-up: %v", err)
	}
	after := at(1, 12)
	now.Store(&after)
	r := e.signIn(lanyard.RoleStaff).Get("/console/reports/attendance.csv")
	recs, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(recs), "[[type reserved checked_in no_shows percent walkups] [Breakout sessions 2 1 1 50 1]]"; got != want {
		t.Errorf("attendance.csv = %s, want %s", got, want)
	}
}

// Today's sessions at a venue: on day 1 the three who hold the 8:00
// keynote; the day before, no one (the form says so and sends nothing).
func TestAnnouncementToVenueToday(t *testing.T) {
	var now atomic.Pointer[time.Time]
	day1 := at(1, 7)
	now.Store(&day1)
	e := newEnvAt(t, storetest.OpenSQLite(t), func() time.Time { return *now.Load() })
	e.hotChalk()
	c := e.signIn(lanyard.RoleOrganizer)
	form := url.Values{"segment": {"venue"}, "venue": {"venetian"}, "subject_en": {"Doors"}, "body_en": {"Use door 3."},
		"subject_ko": {"입구"}, "body_ko": {"3번 문을 이용하세요."}, "when": {"now"}, "action": {"preview"}}
	if r := c.Post("/console/announcements", form); !strings.Contains(r.Body, "Recipients now: 3") {
		t.Errorf("day 1 preview: %d, %q", r.Status, byID(r.Body, "recipients"))
	}
	before := at(0, 12)
	now.Store(&before)
	form.Set("action", "send")
	r := c.Post("/console/announcements", form)
	if r.Status != http.StatusUnprocessableEntity || byID(r.Body, "segment-error") == "" {
		t.Errorf("the day before: %d, segment error %q; want 422 and a message", r.Status, byID(r.Body, "segment-error"))
	}
	if n := e.countMessages(); n != 0 {
		t.Errorf("%d messages written for an empty segment", n)
	}
}

// The door report, per session: of A's two reserved seats one was checked
// in and one walk-up came, so after A ended it shows one no-show of two.
// The offline sync's conflicts are counted for organizers with a link to
// the door's conflicts page; staff, who cannot open that page, see the
// table without it.
func TestReportsDoor(t *testing.T) {
	var now atomic.Pointer[time.Time]
	t0 := engineNow
	now.Store(&t0)
	e := newEnvAt(t, storetest.OpenSQLite(t), func() time.Time { return *now.Load() })
	people := e.crowd("guest", 3)
	e.reserve(people[0], "A")
	e.reserve(people[1], "A")
	ctx := context.Background()
	staff := e.people[lanyard.RoleStaff].ID
	door := at(1, 10).Add(-15 * time.Minute)
	now.Store(&door)
	if _, err := e.eng.CheckIn(ctx, staff, people[0].ID, "A", ""); err != nil {
		t.Fatalf("check in: %v", err)
	}
	released := at(1, 10).Add(-5 * time.Minute)
	now.Store(&released)
	if _, err := e.eng.AdmitWalkup(ctx, staff, people[2].ID, "A", ""); err != nil {
		t.Fatalf("walk-up: %v", err)
	}

	// While A runs, its holders may still come: no no-shows yet.
	running := at(1, 10).Add(10 * time.Minute)
	now.Store(&running)
	org := e.signIn(lanyard.RoleOrganizer)
	doorCSV := func() [][]string {
		t.Helper()
		r := org.Get("/console/reports/door.csv")
		if r.Status != http.StatusOK {
			t.Fatalf("door.csv = %d", r.Status)
		}
		recs, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	pick := func(recs [][]string) string {
		var out []string
		for _, rec := range recs {
			// session, reserved, checked_in, walkups, no_shows, percent
			out = append(out, strings.Join([]string{rec[0], rec[3], rec[4], rec[5], rec[6], rec[7]}, " "))
		}
		return strings.Join(out, "; ")
	}
	if got, want := pick(doorCSV()), "session reserved checked_in walkups no_shows percent; A 2 1 1  "; got != want {
		t.Errorf("door.csv while A runs = %q, want %q", got, want)
	}
	after := at(1, 12)
	now.Store(&after)
	if got, want := pick(doorCSV()), "session reserved checked_in walkups no_shows percent; A 2 1 1 1 50"; got != want {
		t.Errorf("door.csv after A = %q, want %q", got, want)
	}

	page := org.Get("/console/reports")
	if !strings.Contains(page.Body, `id="report-door"`) || !strings.Contains(page.Body, `id="door-conflicts" data-count="0"`) {
		t.Errorf("the organizer's page lacks the door report or its conflict count of 0:\n%s", byID(page.Body, "report-door"))
	}
	if _, err := e.db.AddDoorConflict(ctx, store.DoorConflict{EventID: e.ev.ID, StaffID: staff, Nonce: "n-1", Door: "s:A", AttendeeID: people[1].ID,
		Kind: "two_doors", DeviceVerdict: "admit", Code: "already_inside", Message: "Already inside", ScannedAt: running}); err != nil {
		t.Fatal(err)
	}
	page = org.Get("/console/reports")
	for _, want := range []string{`id="door-conflicts" data-count="1">Offline check-ins refused at sync: 1.`, `<a href="/door/conflicts" id="door-conflicts-link">Review the door conflicts</a>`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the organizer's page lacks %s", want)
		}
	}
	staffPage := e.signIn(lanyard.RoleStaff).Get("/console/reports")
	if !strings.Contains(staffPage.Body, `id="report-door"`) || strings.Contains(staffPage.Body, "/door/conflicts") {
		t.Errorf("staff: want the door report without the organizers' conflicts link")
	}
}
