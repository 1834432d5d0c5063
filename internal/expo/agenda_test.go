package expo_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/expo"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
	"github.com/lanyardhq/lanyard/internal/web"
	"github.com/lanyardhq/lanyard/internal/web/webtest"
)

// clock is the tests' movable time, for the engine and "now and next".
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// agendaEnv is an event in two venues a 12-minute walk apart: sessions
// at the Venue, the expo hall (the expo place) in the Convention Center,
// and Acme's booth events there; the attendee holds S1 and S2.
type agendaEnv struct {
	*env
	clk               *clock
	giveaway, demoEvt int64
}

func newAgendaEnv(t *testing.T, db *store.DB) *agendaEnv {
	t.Helper()
	ctx := context.Background()
	la, _ := time.LoadLocation("America/Los_Angeles")
	at := func(h, m int) time.Time { return time.Date(2026, 12, 1, h, m, 0, 0, la) }
	sess := func(code, title string, start time.Time) lanyard.Session {
		return lanyard.Session{Code: code, Title: title, Type: lanyard.TypeSession, Venue: "v", Room: "Hall", Start: start, End: start.Add(time.Hour), Reservable: true}
	}
	lc := &lanyard.Catalog{
		Event: lanyard.Event{Slug: "expo-conf", Name: "Expo Conf", TimeZone: "America/Los_Angeles", StartDate: "2026-12-01", Days: 3},
		Venues: []lanyard.Venue{{Code: "v", Name: "Venue", Rooms: []lanyard.Room{{Name: "Hall", Capacity: 100}}},
			{Code: "c", Name: "Convention Center", Rooms: []lanyard.Room{{Name: "Hall B", Capacity: 5000}}}},
		Travel:   []lanyard.TravelTime{{From: "v", To: "c", WalkMinutes: 12}, {From: "c", To: "v", WalkMinutes: 12}},
		Sessions: []lanyard.Session{sess("S1", "Serverless at scale", at(10, 0)), sess("S2", "Databases in practice", at(14, 0))},
	}
	ev, cur := webtest.Import(t, db, lc)
	clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	eng, err := reserve.Open(ctx, db, cur.Load(), reserve.Options{Now: clk.Now, Tick: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(eng.Close)
	settings := lanyard.DefaultReservationSettings()
	settings.FairSeconds = 0
	if err := eng.SetSettings(ctx, settings); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.AddWindow(ctx, 0, "", lanyard.Window{SessionType: lanyard.TypeSession, Opens: clk.Now().Add(-time.Hour), Closes: at(0, 0)}); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.PutPlace(ctx, 0, "", lanyard.Place{Code: "expo", Name: "Expo Hall", Kind: lanyard.PlaceExpo, Venue: "c", Room: "Hall B"}); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	pages := &web.Handler{Catalog: cur, Engine: eng, Store: db, Sessions: web.NewSessions(store.SessionStore{DB: db}), Hasher: auth.NewHasher(2), Log: log, Now: clk.Now}
	mux := http.NewServeMux()
	rt := &route.Table{Mux: mux}
	pages.Routes(rt)
	shell, err := expo.NewShell(pages)
	if err != nil {
		t.Fatal(err)
	}
	h := &expo.Handler{Shell: shell, Catalog: cur, Store: db, Log: log}
	h.Routes(rt)
	pages.AgendaSources = append(pages.AgendaSources, h.AgendaEntries)
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	e := &agendaEnv{env: &env{t: t, db: db, ev: ev, srv: srv, people: map[string]*lanyard.Attendee{}}, clk: clk}
	for _, name := range []string{"attendee", "other"} {
		a := &lanyard.Attendee{Name: "Person " + name, Email: name + "@example.com", Role: lanyard.RoleAttendee}
		webtest.SignUp(t, db, ev.ID, a)
		e.people[name] = a
	}
	if e.acme, err = db.PutExhibitor(ctx, ev.ID, lanyard.Exhibitor{Code: "acme", Name: "Acme Cloud", Booth: "101"}); err != nil {
		t.Fatal(err)
	}
	// The giveaway is 30 minutes after S1, a 12-minute walk away; the
	// demo overlaps S2.
	if e.giveaway, err = db.ExpoPutEvent(ctx, ev.ID, store.ExpoEvent{ExhibitorID: e.acme.ID, Kind: store.ExpoGiveaway, Title: "Glow-in-the-dark stickers", Starts: at(11, 30), Ends: at(12, 0)}); err != nil {
		t.Fatal(err)
	}
	if e.demoEvt, err = db.ExpoPutEvent(ctx, ev.ID, store.ExpoEvent{ExhibitorID: e.acme.ID, Kind: store.ExpoDemo, Title: "Live failover", Starts: at(14, 30), Ends: at(15, 0)}); err != nil {
		t.Fatal(err)
	}
	rs, err := eng.Reserve(ctx, e.people["attendee"].ID, []string{"S1", "S2"}, false, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Outcome != lanyard.OutcomeReserved {
			t.Fatalf("reserve %s: %+v", r.Session, r)
		}
	}
	return e
}

// agendaItem returns the text of the agenda grid's entry for code ("" when
// none), and
// of the trip line drawn just before it ("" when none).
func agendaItem(t *testing.T, body, code string) (item, tripBefore string) {
	t.Helper()
	loc := regexp.MustCompile(`<li class="item[^"]*" data-session="` + regexp.QuoteMeta(code) + `"`).FindStringIndex(body)
	if loc == nil {
		return "", ""
	}
	start := loc[0]
	end := start + strings.Index(body[start:], "\n    </li>")
	if j := strings.LastIndex(body[:start], `<li class="trip`); j >= 0 && !strings.Contains(body[j:start], `class="item`) {
		tripBefore = text(body[j:start])
	}
	return text(body[start:end]), tripBefore
}

var tags = regexp.MustCompile(`<[^>]*>`)

func text(s string) string {
	return strings.Join(strings.Fields(html.UnescapeString(tags.ReplaceAllString(s, " "))), " ")
}

// Favorite booth events are on the attendee's agenda like a meetup: on
// the day's grid with the walk to the expo hall and the clash with a
// session, linked to the booth; in the .ics download and the private
// feed; in "now and next" with where to go and when to leave; in both
// languages; on nobody else's agenda; gone when unfavorited.
func TestBoothEventsOnAgenda(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAgendaEnv(t, db)
		c := e.signIn("attendee")
		giveaway, demo := "BOOTH-"+strconv.FormatInt(e.giveaway, 10), "BOOTH-"+strconv.FormatInt(e.demoEvt, 10)
		for _, id := range []int64{e.giveaway, e.demoEvt} {
			if r := c.Post("/expo/events/"+strconv.FormatInt(id, 10)+"/favorite", url.Values{"on": {"1"}}); r.Status != http.StatusSeeOther {
				t.Fatalf("favorite %d: %d %s", id, r.Status, r.Body)
			}
		}

		// The grid: the walk from S1's venue to the hall, the booth's link.
		ag := c.Get("/agenda")
		if ag.Status != http.StatusOK {
			t.Fatalf("/agenda: %d", ag.Status)
		}
		item, trip := agendaItem(t, ag.Body, giveaway)
		for _, want := range []string{"Glow-in-the-dark stickers · Acme Cloud", "Hall B · Booth 101, Convention Center", "Booth event · Giveaway"} {
			if !strings.Contains(item, want) {
				t.Errorf("the giveaway on the grid lacks %q: %q", want, item)
			}
		}
		if !strings.Contains(ag.Body, `<a href="/expo/acme" title="Glow-in-the-dark stickers · Acme Cloud">`) {
			t.Error("the giveaway does not link to the booth")
		}
		if trip != "✓ 12 min walk to Convention Center · 30 min free" {
			t.Errorf("the trip to the giveaway = %q", trip)
		}
		if item, _ := agendaItem(t, ag.Body, demo); !strings.Contains(item, "Clashes with S2") {
			t.Errorf("the demo over S2 is not marked a clash: %q", item)
		}
		if s2, _ := agendaItem(t, ag.Body, "S2"); !strings.Contains(s2, "Clashes with “Live failover · Acme Cloud”") {
			t.Errorf("S2 does not name the demo it clashes with: %q", s2)
		}
		if strings.Contains(ag.Body, `id="agenda-expo"`) {
			t.Error("the booth events still have a section of their own")
		}

		// The .ics download, parsed.
		cal := c.Get("/agenda.ics")
		if cal.Status != http.StatusOK {
			t.Fatalf("/agenda.ics: %d", cal.Status)
		}
		ev := icsEvent(t, cal.Body, giveaway+"@expo-conf.lanyard")
		for p, want := range map[ics.ComponentProperty]string{
			ics.ComponentPropertySummary:  "Glow-in-the-dark stickers · Acme Cloud",
			ics.ComponentPropertyLocation: "Hall B · Booth 101, Convention Center",
			ics.ComponentPropertyDtStart:  "20261201T113000",
			ics.ComponentPropertyDtEnd:    "20261201T120000",
		} {
			if got := ev.GetProperty(p); got == nil || got.Value != want {
				t.Errorf("the giveaway's %s = %v, want %q", p, got, want)
			}
		}
		if u := ev.GetProperty(ics.ComponentPropertyUrl); u == nil || !strings.HasSuffix(u.Value, "/expo/acme") {
			t.Errorf("the giveaway's URL = %v", u)
		}
		if tz := ev.GetProperty(ics.ComponentPropertyDtStart).ICalParameters["TZID"]; len(tz) != 1 || tz[0] != "America/Los_Angeles" {
			t.Errorf("DTSTART's zone = %v", tz)
		}

		// The private feed, read by a calendar app without a session.
		if r := c.Post("/agenda/feed", url.Values{"action": {"create"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("create feed: %d", r.Status)
		}
		m := regexp.MustCompile(`id="feed-url" readonly value="[^"]*(/calendar/[^"]+\.ics)"`).FindStringSubmatch(c.Get("/agenda").Body)
		if m == nil {
			t.Fatal("no feed URL on the agenda")
		}
		feed := e.client().Get(m[1])
		icsEvent(t, feed.Body, giveaway+"@expo-conf.lanyard")
		icsEvent(t, feed.Body, demo+"@expo-conf.lanyard")

		// Now and next during S1: the giveaway next, the walk to the hall.
		e.clk.Set(time.Date(2026, 12, 1, 18, 20, 0, 0, time.UTC)) // 10:20 in Las Vegas
		now := c.Get("/now")
		if !strings.Contains(now.Body, `id="now-current" data-session="S1"`) || !strings.Contains(now.Body, `id="now-next-0" data-session="`+giveaway+`"`) {
			t.Fatalf("now and next at 10:20:\n%s", text(now.Body))
		}
		next := text(now.Body[strings.Index(now.Body, `id="now-next-0"`):strings.Index(now.Body, `id="now-next-1"`)])
		for _, want := range []string{"Glow-in-the-dark stickers · Acme Cloud", "Hall B · Booth 101, Convention Center", "Booth event · Giveaway", "Walk from Venue: 12 min", "Leave by Tue 11:18 AM PST"} {
			if !strings.Contains(next, want) {
				t.Errorf("the next stop lacks %q: %q", want, next)
			}
		}
		if !strings.Contains(now.Body, `<a href="/expo/acme">Glow-in-the-dark stickers · Acme Cloud</a>`) {
			t.Error("now and next does not link the giveaway to its booth")
		}
		// The refresh the script fetches says the same.
		if frag := c.Get("/now?fragment=1&compact=1").Body; !strings.Contains(frag, `id="now-next-0" data-session="`+giveaway+`"`) || strings.Contains(frag, "<html") {
			t.Errorf("the compact fragment:\n%s", frag)
		}

		// In Korean.
		c.Lang = "ko"
		if item, trip := agendaItem(t, c.Get("/agenda").Body, giveaway); !strings.Contains(item, "부스 이벤트 · 경품") || !strings.Contains(item, "Hall B · 부스 101") || !strings.Contains(trip, "Convention Center까지 도보 12분") {
			t.Errorf("the Korean agenda: %q, trip %q", item, trip)
		}
		if item, _ := agendaItem(t, c.Get("/agenda").Body, giveaway); !strings.Contains(item, "내 일정에서 삭제") {
			t.Errorf("the Korean agenda's undo button: %q", item)
		}
		if next := text(c.Get("/now").Body); !strings.Contains(next, "부스 이벤트 · 경품") || !strings.Contains(next, "Venue에서 걸어서 12분") {
			t.Errorf("the Korean now and next:\n%s", next)
		}
		c.Lang = ""

		// Nobody else's; gone when unfavorited.
		if body := e.signIn("other").Get("/agenda").Body; strings.Contains(body, "BOOTH-") {
			t.Error("another attendee's agenda shows the booth events")
		}
		// Taken off from the agenda itself: the entry's own form, posted
		// as the page has it, comes back to the agenda.
		form := regexp.MustCompile(`<form method="post" action="([^"]+)" class="inline">((?:<input type="hidden" name="[^"]+" value="[^"]*">)+)\s*<button[^>]* data-undo="` + giveaway + `">([^<]+)</button>`).FindStringSubmatch(c.Get("/agenda").Body)
		if form == nil || form[3] != "Remove from my agenda" {
			t.Fatalf("no undo form for the giveaway on the agenda: %v", form)
		}
		fields := url.Values{}
		for _, f := range regexp.MustCompile(`name="([^"]+)" value="([^"]*)"`).FindAllStringSubmatch(form[2], -1) {
			fields.Set(f[1], f[2])
		}
		if r := c.Post(form[1], fields); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/agenda" {
			t.Fatalf("unfavorite from the agenda: %d to %q", r.Status, r.Header.Get("Location"))
		}
		if body := c.Get("/agenda").Body; strings.Contains(body, `data-session="`+giveaway+`"`) || !strings.Contains(body, `data-session="`+demo+`"`) {
			t.Error("the unfavorited giveaway is still on the agenda, or the demo is gone")
		}
		if body := c.Get("/agenda.ics").Body; strings.Contains(body, giveaway+"@") {
			t.Error("the unfavorited giveaway is still in the .ics")
		}
	})
}

// icsEvent parses body as a calendar and returns its event uid.
func icsEvent(t *testing.T, body, uid string) *ics.VEvent {
	t.Helper()
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse the calendar: %v\n%s", err, body)
	}
	for _, ev := range cal.Events() {
		if ev.Id() == uid {
			return ev
		}
	}
	t.Fatalf("no event %s in:\n%s", uid, body)
	return nil
}
