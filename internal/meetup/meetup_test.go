package meetup_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/meetup"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
	"github.com/lanyardhq/lanyard/internal/web"
	"github.com/lanyardhq/lanyard/internal/web/webtest"
)

// now is the tests' clock: a month before the event.
var now = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

type env struct {
	t      *testing.T
	db     *store.DB
	ev     *lanyard.Event
	srv    *httptest.Server
	people map[string]*lanyard.Attendee
	// onSite is the clock of "now and next" (web.Handler.Now), which the
	// test moves to the event's days; the store and meetups keep now.
	onSite *clock
}

// clock is a time a test moves.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	db.Now = func() time.Time { return now }
	lc := &lanyard.Catalog{
		Event: lanyard.Event{Slug: "meet-conf", Name: "Meet Conf", TimeZone: "America/Los_Angeles", StartDate: "2026-12-01", Days: 2},
		Venues: []lanyard.Venue{{Code: "v", Name: "Venue", Rooms: []lanyard.Room{{Name: "Hall", Capacity: 100}}},
			{Code: "w", Name: "West", Rooms: []lanyard.Room{{Name: "Room 1", Capacity: 50}}}},
		Travel: []lanyard.TravelTime{{From: "v", To: "w", WalkMinutes: 12}, {From: "w", To: "v", WalkMinutes: 12}},
	}
	ev, cur := webtest.Import(t, db, lc)
	eng, err := reserve.Open(context.Background(), db, cur.Load(), reserve.Options{Tick: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(eng.Close)
	onSite := &clock{t: now}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	pages := &web.Handler{Catalog: cur, Engine: eng, Store: db, Sessions: web.NewSessions(store.SessionStore{DB: db}), Hasher: auth.NewHasher(2), Log: log, Now: onSite.Now}
	mux := http.NewServeMux()
	rt := &route.Table{Mux: mux}
	pages.Routes(rt)
	shell, err := meetup.NewShell(pages)
	if err != nil {
		t.Fatal(err)
	}
	h := &meetup.Handler{Shell: shell, Catalog: cur, Store: db, Log: log, BaseURL: "https://meet.example", Now: func() time.Time { return now }}
	h.Routes(rt)
	pages.AgendaSources = append(pages.AgendaSources, h.AgendaEntries)
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	e := &env{t: t, db: db, ev: ev, srv: srv, people: map[string]*lanyard.Attendee{}, onSite: onSite}
	for _, p := range []struct {
		key, company string
		role         lanyard.Role
	}{{"ana", "Acme", lanyard.RoleAttendee}, {"bo", "Beta", lanyard.RoleAttendee}, {"cy", "Acme", lanyard.RoleAttendee},
		{"di", "Delta", lanyard.RoleAttendee}, {"staff", "Org", lanyard.RoleStaff}, {"org", "Org", lanyard.RoleOrganizer}} {
		a := &lanyard.Attendee{Name: "Person " + p.key, Email: p.key + "@example.com", Company: p.company, Role: p.role}
		webtest.SignUp(t, db, ev.ID, a)
		e.people[p.key] = a
	}
	return e
}

// client is one browser of the test server.
type client struct{ *webtest.Client }

func (e *env) client() *client { return &client{webtest.NewClient(e.t, e.srv)} }

func (e *env) signIn(key string) *client {
	e.t.Helper()
	c := e.client()
	c.SignIn(e.people[key].Email, webtest.Password)
	return c
}

// postAccepting posts form to path asking for the accept type, as the
// pages' scripts do.
func (c *client) postAccepting(path string, form url.Values, accept string) *webtest.Resp {
	c.TB.Helper()
	req, err := http.NewRequest("POST", c.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.TB.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", accept)
	return c.Do(req)
}

func validForm() url.Values {
	return url.Values{"title": {"Korean speakers"}, "language": {"ko"}, "topic": {"AWSKRUG"}, "place_kind": {"bar"}, "venue": {"v"},
		"place": {"Lobby bar"}, "start": {"2026-12-01T19:00"}, "minutes": {"90"}, "cap": {"2"}}
}

func (e *env) meetups() []lanyard.Meetup {
	e.t.Helper()
	list, err := e.db.Meetups(context.Background(), e.ev.ID, lanyard.MeetupFilter{Hidden: true})
	if err != nil {
		e.t.Fatal(err)
	}
	return list
}

// Every route checks who asks: anonymous pages go to sign in, anonymous
// posts get 401, attendees never reach the console page or its action.
func TestAuthorization(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	anon := e.client()
	for _, p := range []string{"/meetups", "/meetups/new", "/meetups/1", "/people", "/console/meetups"} {
		if r := anon.Get(p); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/signin") {
			t.Errorf("anonymous GET %s: %d %s", p, r.Status, r.Header.Get("Location"))
		}
	}
	for _, p := range []string{"/meetups", "/meetups/1/rsvp", "/meetups/1/leave", "/meetups/1/report", "/people/opt-in", "/console/meetups/1/hide"} {
		if r := anon.Post(p, url.Values{}); r.Status != http.StatusUnauthorized {
			t.Errorf("anonymous POST %s: %d", p, r.Status)
		}
	}
	ana := e.signIn("ana")
	if r := ana.Post("/meetups", validForm()); r.Status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	id := e.meetups()[0].ID
	for _, p := range []string{"/console/meetups"} {
		if r := ana.Get(p); r.Status != http.StatusForbidden || r.Code() != lanyard.EFORBIDDEN {
			t.Errorf("attendee GET %s: %d", p, r.Status)
		}
	}
	if r := ana.Post(fmt.Sprintf("/console/meetups/%d/hide", id), url.Values{"hidden": {"1"}}); r.Status != http.StatusForbidden {
		t.Errorf("attendee hides: %d", r.Status)
	}
	if e.meetups()[0].Hidden {
		t.Fatal("an attendee hid a meetup")
	}
	for _, who := range []string{"staff", "org"} {
		if r := e.signIn(who).Get("/console/meetups"); r.Status != http.StatusOK || !strings.Contains(r.Body, "Korean speakers") {
			t.Errorf("%s console: %d", who, r.Status)
		}
	}
	// A cross-site form post is refused (the shell's CSRF protection).
	req, _ := http.NewRequest("POST", e.srv.URL+fmt.Sprintf("/meetups/%d/rsvp", id), nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := e.signIn("bo").HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site RSVP: %d", res.StatusCode)
	}
}

// Bad input comes back beside its field with 422, and nothing is stored.
func TestCreateRefusesBadInput(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	ana := e.signIn("ana")
	for _, tc := range []struct {
		name, field, value, errID string
	}{
		{"short title", "title", "x", "title-error"},
		{"unknown language", "language", "xx", "language-error"},
		{"past start", "start", "2026-10-01T19:00", "start-error"},
		{"bad start", "start", "tomorrow", "start-error"},
		{"cap 1", "cap", "1", "cap-error"},
		{"cap huge", "cap", "100000", "cap-error"},
		{"no place kind", "place_kind", "castle", "place_kind-error"},
		{"unknown venue", "venue", "nowhere", "venue-error"},
		{"long duration", "minutes", "10000", "minutes-error"},
		{"room not in catalog", "place_kind", "room", "room-error"},
		{"pin without coordinates", "place_kind", "pin", "lat-error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := validForm()
			f.Set(tc.field, tc.value)
			r := ana.Post("/meetups", f)
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="`+tc.errID+`"`) || r.Code() != lanyard.EINVALID {
				t.Fatalf("status %d, want 422 with %s", r.Status, tc.errID)
			}
			r = ana.postAccepting("/meetups", f, "application/json")
			var out struct{ Error struct{ Code, Field string } }
			if json.Unmarshal([]byte(r.Body), &out); r.Status != http.StatusUnprocessableEntity || out.Error.Code != lanyard.EINVALID {
				t.Fatalf("JSON: %d %s", r.Status, r.Body)
			}
		})
	}
	if n := len(e.meetups()); n != 0 {
		t.Fatalf("%d meetups stored from bad forms", n)
	}
	// A room from the catalog and a pin are places too.
	f := validForm()
	f.Set("place_kind", "room")
	f.Set("room", "w|Room 1")
	if r := ana.Post("/meetups", f); r.Status != http.StatusSeeOther {
		t.Fatalf("room meetup: %d", r.Status)
	}
	f = validForm()
	f.Set("place_kind", "pin")
	f.Set("venue", "")
	f.Set("lat", "36.1126")
	f.Set("lng", "-115.1767")
	if r := ana.Post("/meetups", f); r.Status != http.StatusSeeOther {
		t.Fatalf("pin meetup: %d", r.Status)
	}
	// Past the limit a person may start: 429, nothing stored.
	bo := e.signIn("bo")
	for i := range store.MeetupsPerOrganizer + 1 {
		r := bo.Post("/meetups", validForm())
		if want := map[bool]int{true: http.StatusTooManyRequests, false: http.StatusSeeOther}[i == store.MeetupsPerOrganizer]; r.Status != want {
			t.Fatalf("meetup %d: %d, want %d", i+1, r.Status, want)
		}
	}
	list := e.meetups()[:0]
	for _, m := range e.meetups() {
		if m.OrganizerID == e.people["ana"].ID {
			list = append(list, m)
		}
	}
	if len(list) != 2 || list[0].Venue != "w" || list[0].Place != "Room 1" || list[1].Lat != 36.1126 || list[1].Venue != "" {
		t.Fatalf("stored %+v", list)
	}
}

// The journey on both databases: start a meetup (the organizer goes),
// others RSVP up to the cap and then wait; leaving promotes the first
// waiting; reminders in each one's language; the list filters; a hidden
// meetup leaves the list and refuses RSVPs; reports reach the console.
func TestMeetupJourney(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		ana, bo, cy, di := e.signIn("ana"), e.signIn("bo"), e.signIn("cy"), e.signIn("di")
		if err := db.SetPreferences(ctx, e.people["bo"].ID, "ko", "venue", "Asia/Seoul"); err != nil {
			t.Fatal(err)
		}
		if r := ana.Post("/meetups", validForm()); r.Status != http.StatusSeeOther {
			t.Fatalf("create: %d", r.Status)
		}
		m := e.meetups()[0]
		path := fmt.Sprintf("/meetups/%d", m.ID)
		rsvp := func(c *client) (status string, position int) {
			t.Helper()
			r := c.postAccepting(path+"/rsvp", nil, "application/json")
			var out struct {
				Status   string
				Position int
			}
			if err := json.Unmarshal([]byte(r.Body), &out); err != nil || r.Status != http.StatusOK {
				t.Fatalf("rsvp: %d %s", r.Status, r.Body)
			}
			return out.Status, out.Position
		}
		if s, _ := rsvp(bo); s != lanyard.RSVPGoing {
			t.Fatalf("bo: %s", s)
		}
		if s, p := rsvp(cy); s != lanyard.RSVPWaitlist || p != 1 {
			t.Fatalf("cy: %s %d", s, p)
		}
		if r := di.Post(path+"/rsvp", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("di form rsvp: %d", r.Status)
		}
		if page := di.Get(path); !strings.Contains(page.Body, `data-status="waitlist"`) || !strings.Contains(page.Body, "Waitlist #2") {
			t.Fatalf("di's page does not say waitlist #2")
		}
		msgs, _ := db.Messages(ctx, e.ev.ID)
		var koSubject string
		for _, msg := range msgs {
			if msg.AttendeeID == e.people["bo"].ID && msg.Kind == lanyard.KindMeetupReminder {
				koSubject = msg.Subject
				if !strings.Contains(msg.Body, "https://meet.example"+path) {
					t.Errorf("reminder body without the link: %q", msg.Body)
				}
			}
		}
		if !strings.Contains(koSubject, "곧 시작") {
			t.Errorf("bo's reminder subject %q is not in Korean", koSubject)
		}
		// bo leaves: cy goes, di moves up.
		if r := bo.Post(path+"/leave", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("leave: %d", r.Status)
		}
		if page := cy.Get(path); !strings.Contains(page.Body, `data-status="going"`) {
			t.Fatal("cy was not promoted")
		}
		if page := di.Get(path); !strings.Contains(page.Body, "Waitlist #1") {
			t.Fatal("di did not move up")
		}
		// Filters.
		for _, tc := range []struct {
			q    string
			want bool
		}{{"", true}, {"lang=ko", true}, {"lang=en", false}, {"topic=awskrug", true}, {"topic=serverless", false},
			{"day=2026-12-01", true}, {"day=2026-12-02", false}} {
			r := di.Get("/meetups?" + tc.q)
			if r.Status != http.StatusOK || strings.Contains(r.Body, `id="meetup-list"`) != tc.want {
				t.Errorf("/meetups?%s: %d, listed %v, want %v", tc.q, r.Status, !tc.want, tc.want)
			}
		}
		if r := di.Get("/meetups?lang=zz"); r.Status != http.StatusBadRequest {
			t.Errorf("unknown language filter: %d", r.Status)
		}
		// Reports, then the organizers hide it.
		if r := di.Post(path+"/report", url.Values{"reason": {"x"}}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("short report: %d", r.Status)
		}
		if r := di.Post(path+"/report", url.Values{"reason": {"This is an ad for a timeshare"}}); r.Status != http.StatusSeeOther {
			t.Errorf("report: %d", r.Status)
		}
		org := e.signIn("org")
		if page := org.Get("/console/meetups"); !strings.Contains(page.Body, "timeshare") {
			t.Error("the console does not show the report")
		}
		if r := org.Post(fmt.Sprintf("/console/meetups/%d/hide", m.ID), url.Values{"hidden": {"1"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("hide: %d", r.Status)
		}
		if r := bo.Get("/meetups"); strings.Contains(r.Body, "Korean speakers") {
			t.Error("a hidden meetup is listed")
		}
		if r := bo.Get(path); r.Status != http.StatusNotFound {
			t.Errorf("a hidden meetup's page: %d", r.Status)
		}
		if r := bo.postAccepting(path+"/rsvp", nil, "application/json"); r.Status != http.StatusForbidden || !strings.Contains(r.Body, lanyard.EMeetupHidden) {
			t.Errorf("rsvp to hidden: %d %s", r.Status, r.Body)
		}
		if r := bo.postAccepting("/meetups/999999/rsvp", nil, "application/json"); r.Status != http.StatusNotFound {
			t.Errorf("rsvp to unknown: %d", r.Status)
		}
		got := e.meetups()[0]
		if got.Going != 2 || got.Waiting != 1 || !got.Hidden || got.Reports != 1 {
			t.Fatalf("meetup %+v", got)
		}
	})
}

// People to meet: only for those who opted in, only others who opted in
// and work elsewhere, with the reason shown.
func TestPeopleToMeet(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ana, bo, cy, di := e.signIn("ana"), e.signIn("bo"), e.signIn("cy"), e.signIn("di")
		if r := ana.Post("/meetups", validForm()); r.Status != http.StatusSeeOther {
			t.Fatal(r.Status)
		}
		m := e.meetups()[0]
		for _, c := range []*client{bo, cy} {
			c.Post(fmt.Sprintf("/meetups/%d/rsvp", m.ID), nil)
		}
		if r := ana.Get("/people"); !strings.Contains(r.Body, `id="people-opt-in"`) || strings.Contains(r.Body, `id="people"`) {
			t.Fatal("people shown before opting in")
		}
		for _, c := range []*client{ana, cy, di} {
			if r := c.Post("/people/opt-in", url.Values{"opt_in": {"1"}}); r.Status != http.StatusSeeOther {
				t.Fatalf("opt in: %d", r.Status)
			}
		}
		r := ana.Get("/people")
		// cy works at Acme too, bo did not opt in, di shares nothing.
		if strings.Contains(r.Body, "Person cy") || strings.Contains(r.Body, "Person bo") || strings.Contains(r.Body, "Person di") {
			t.Fatalf("wrong suggestions: %s", r.Body)
		}
		bo.Post("/people/opt-in", url.Values{"opt_in": {"1"}})
		r = ana.Get("/people")
		if !strings.Contains(r.Body, "Person bo") || !strings.Contains(r.Body, "Also speaks Korean") {
			t.Fatalf("bo (going to the same Korean meetup) is not suggested with the reason")
		}
		if sh, err := db.Sharing(context.Background(), e.people["bo"].ID); err != nil || !sh.MeetOptIn {
			t.Fatalf("sharing %+v, %v", sh, err)
		}
	})
}

// The day filter names each day as a date alone: no comma left over from
// the date-and-time form ("Tue, Dec 1," was how it read).
func TestDayFilterLabels(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		body := e.signIn("ana").Get("/meetups").Body
		for _, want := range []string{`<option value="2026-12-01">Tue, Dec 1</option>`, `<option value="2026-12-02">Wed, Dec 2</option>`} {
			if !strings.Contains(body, want) {
				t.Errorf("the day filter lacks %s", want)
			}
		}
	})
}

// The new-meetup form carries a key: posted twice (a double click, a retry
// on a bad connection) it starts one meetup, and both answers lead to it;
// taken back and changed, it starts another.
func TestCreateFormPostedTwice(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ana := e.signIn("ana")
		page := ana.Get("/meetups/new")
		m := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(page.Body)
		if page.Status != http.StatusOK || m == nil {
			t.Fatalf("the form: %d, key %v", page.Status, m)
		}
		f := validForm()
		f.Set("key", m[1])
		first, again := ana.Post("/meetups", f), ana.Post("/meetups", f)
		if first.Status != http.StatusSeeOther || again.Status != http.StatusSeeOther || first.Header.Get("Location") != again.Header.Get("Location") {
			t.Fatalf("posted twice: %d %q, then %d %q", first.Status, first.Header.Get("Location"), again.Status, again.Header.Get("Location"))
		}
		if n := len(e.meetups()); n != 1 {
			t.Fatalf("%d meetups after the form was posted twice, want 1", n)
		}
		f.Set("title", "Korean speakers, second round")
		if r := ana.Post("/meetups", f); r.Status != http.StatusSeeOther || r.Header.Get("Location") == first.Header.Get("Location") {
			t.Fatalf("changed and posted: %d %q", r.Status, r.Header.Get("Location"))
		}
		// Another form's key is another meetup, even with the same fields.
		f = validForm()
		f.Set("key", "another-form")
		if r := ana.Post("/meetups", f); r.Status != http.StatusSeeOther {
			t.Fatalf("another form: %d", r.Status)
		}
		if n := len(e.meetups()); n != 3 {
			t.Fatalf("%d meetups, want 3", n)
		}
	})
}
