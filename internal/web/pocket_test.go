package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/badge"
	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
	"github.com/lanyardhq/lanyard/internal/web"
)

// clock is a test's movable time, shared by the engine (door windows)
// and the pages ("now and next").
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// newPocketEnv is newEnv with a clock the test moves: reservations are
// made the day before, check-ins and "now and next" on the day.
func newPocketEnv(t *testing.T) (*env, *clock) {
	t.Helper()
	ctx := context.Background()
	clk := &clock{t: engineNow}
	db := storetest.OpenSQLite(t)
	lc := testCatalog()
	if _, err := db.ImportCatalog(ctx, lc); err != nil {
		t.Fatal(err)
	}
	ev, err := db.FindEventBySlug(ctx, lc.Event.Slug)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Load(ctx, db, ev)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := reserve.Open(ctx, db, cat, reserve.Options{Now: clk.Now, Tick: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(eng.Close)
	settings := lanyard.DefaultReservationSettings()
	settings.FairSeconds = 0
	if err := eng.SetSettings(ctx, settings); err != nil {
		t.Fatal(err)
	}
	for _, typ := range lanyard.SessionTypes {
		w := lanyard.Window{SessionType: typ, Opens: engineNow.Add(-time.Hour), Closes: at(4, 0, 0)}
		if _, err := eng.AddWindow(ctx, 0, "", w); err != nil {
			t.Fatal(err)
		}
	}
	var cur atomic.Pointer[catalog.Catalog]
	cur.Store(cat)
	logs := &syncBuffer{}
	h := &web.Handler{Catalog: &cur, Engine: eng, Store: db, Sessions: web.NewSessions(store.SessionStore{DB: db}),
		Badges: &badge.Service{DB: db, Event: ev}, Now: clk.Now,
		Hasher: auth.NewHasher(2), Log: slog.New(slog.NewTextHandler(logs, nil))}
	mux := http.NewServeMux()
	h.Routes(&route.Table{Mux: mux})
	srv := httptest.NewTLSServer(mux)
	h.BaseURL = srv.URL
	t.Cleanup(func() {
		if s := logs.String(); strings.Contains(s, "level=ERROR") {
			t.Errorf("the handler logged errors:\n%s", s)
		}
	})
	t.Cleanup(srv.Close)
	return &env{t: t, db: db, eng: eng, cat: cat, ev: ev, h: h, srv: srv, log: logs}, clk
}

// checkIn admits an attendee at a session's door, as staff would.
func (e *env) checkIn(id int64, code string) {
	e.t.Helper()
	res, err := e.eng.CheckIn(context.Background(), 0, id, code, "")
	if err != nil || res.Outcome != lanyard.OutcomeCheckedIn {
		e.t.Fatalf("check in %d to %s: %+v %v", id, code, res, err)
	}
}

func (e *env) ratingsBy(id int64) map[string]lanyard.Rating {
	e.t.Helper()
	m, err := e.db.RatingsBy(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

// A rating needs a check-in at the door; afterwards one tap rates, a
// second replaces it, and the agenda shows it.
func TestRateAfterCheckIn(t *testing.T) {
	e, clk := newPocketEnv(t)
	ann := e.attendee("Ann", "ann@example.com")
	e.reserve(ann.ID, "A-R1", "E")
	c := e.signIn("ann@example.com")

	r := c.post("/rate/A-R1", url.Values{"score": {"4"}, "back": {"/agenda"}})
	if r.status != http.StatusForbidden || r.header.Get("X-Lanyard-Code") != lanyard.ENotCheckedIn {
		t.Fatalf("rating before check-in: %d %q, want 403 not_checked_in\n%s", r.status, r.header.Get("X-Lanyard-Code"), r.text())
	}
	if !strings.Contains(r.body, "checked in at its door") {
		t.Errorf("the refusal does not say why:\n%s", r.text())
	}
	if got := e.ratingsBy(ann.ID); len(got) != 0 {
		t.Fatalf("a refused rating was stored: %v", got)
	}
	if strings.Contains(c.get("/agenda").body, `data-rate="A-R1"`) {
		t.Error("the agenda offers a rating before check-in")
	}

	clk.Set(at(1, 9, 40))
	e.checkIn(ann.ID, "A-R1")
	if !strings.Contains(c.get("/agenda").body, `data-rate="A-R1"`) {
		t.Fatal("the agenda offers no rating after check-in")
	}
	if strings.Contains(c.get("/agenda").body, `data-rate="E"`) {
		t.Error("the agenda offers a rating for a session not checked in to")
	}
	if got := c.postOK("/rate/A-R1", url.Values{"score": {"4"}, "back": {"/agenda"}}, "/agenda#r-A-R1"); !strings.Contains(got, "4 of 5") {
		t.Errorf("flash %q does not confirm the rating", got)
	}
	c.postOK("/rate/A-R1", url.Values{"score": {"2"}, "comment": {"  Too fast.\nSlides unreadable.  "}, "back": {"/agenda"}}, "/agenda#r-A-R1")
	got := e.ratingsBy(ann.ID)
	if len(got) != 1 || got["A-R1"].Score != 2 || got["A-R1"].Comment != "Too fast.\nSlides unreadable." {
		t.Fatalf("ratings after a change = %+v, want A-R1 2 with the trimmed comment", got)
	}
	if sp := c.get("/sessions/A-R1").body; !strings.Contains(sp, `aria-pressed="true" aria-label="Rate 2 of 5" data-score="2"`) ||
		!strings.Contains(sp, `name="back" value="/sessions/A-R1"`) {
		t.Error("the session's page does not offer the rating, with the choice made")
	}
	if strings.Contains(c.get("/sessions/E").body, `data-rate="E"`) {
		t.Error("the page of a session not checked in to offers a rating")
	}
	page := c.get("/agenda").body
	if !regexp.MustCompile(`data-score="2"[^>]*>|aria-pressed="true"[^>]*data-score="2"`).MatchString(page) ||
		!strings.Contains(page, `aria-pressed="true" aria-label="Rate 2 of 5" data-score="2"`) {
		t.Errorf("the agenda does not show the rating 2 as chosen")
	}
	if !strings.Contains(page, "Slides unreadable.") {
		t.Error("the agenda does not show the comment back")
	}
}

// A walk-up was in the room without a reservation: the session's page
// offers the rating (the agenda has no entry for it).
func TestRateAsWalkup(t *testing.T) {
	e, clk := newPocketEnv(t)
	cy := e.attendee("Cy", "cy@example.com")
	c := e.signIn("cy@example.com")
	clk.Set(at(1, 12, 55)) // E at 13:00: the door is open and the reserved seats released
	if res, err := e.eng.AdmitWalkup(context.Background(), 0, cy.ID, "E", ""); err != nil || res.Outcome != lanyard.OutcomeWalkup {
		t.Fatalf("walk-up: %+v %v", res, err)
	}
	if !strings.Contains(c.get("/sessions/E").body, `data-rate="E"`) {
		t.Fatal("the walk-up's session page offers no rating")
	}
	if strings.Contains(c.get("/sessions/B").body, `data-rate="B"`) {
		t.Error("a session not attended offers a rating")
	}
	c.postOK("/rate/E", url.Values{"score": {"5"}, "back": {"/sessions/E"}}, "/sessions/E#r-E")
	if got := e.ratingsBy(cy.ID); got["E"].Score != 5 {
		t.Errorf("walk-up's rating = %+v", got)
	}
}

// Another attendee can neither see nor change someone's rating; bad
// input is refused and changes nothing.
func TestRateRefusals(t *testing.T) {
	e, clk := newPocketEnv(t)
	ann := e.attendee("Ann", "ann@example.com")
	bob := e.attendee("Bob", "bob@example.com")
	e.reserve(ann.ID, "A-R1")
	e.reserve(bob.ID, "A-R1")
	clk.Set(at(1, 9, 40))
	e.checkIn(ann.ID, "A-R1")
	ca, cb := e.signIn("ann@example.com"), e.signIn("bob@example.com")
	ca.postOK("/rate/A-R1", url.Values{"score": {"5"}, "comment": {"Ann's secret remark"}, "back": {"/agenda"}}, "/agenda#r-A-R1")

	// Bob holds a seat but was not admitted: refused, and Ann's stays.
	if r := cb.post("/rate/A-R1", url.Values{"score": {"1"}}); r.status != http.StatusForbidden {
		t.Fatalf("Bob rating without check-in: %d, want 403", r.status)
	}
	for _, path := range []string{"/agenda", "/now", "/sessions/A-R1"} {
		if b := cb.get(path).body; strings.Contains(b, "secret remark") {
			t.Errorf("Bob sees Ann's comment on %s", path)
		}
	}
	// Checked in, Bob's rating is his own row: Ann's does not change.
	e.checkIn(bob.ID, "A-R1")
	cb.postOK("/rate/A-R1", url.Values{"score": {"1"}, "back": {"/agenda"}}, "/agenda#r-A-R1")
	if got := e.ratingsBy(ann.ID)["A-R1"]; got.Score != 5 || got.Comment != "Ann's secret remark" {
		t.Fatalf("Ann's rating after Bob's = %+v", got)
	}
	if b := cb.get("/agenda").body; strings.Contains(b, "secret remark") {
		t.Error("Bob's agenda shows Ann's comment")
	}

	tests := []struct {
		name   string
		path   string
		form   url.Values
		status int
	}{
		{"score zero", "/rate/A-R1", url.Values{"score": {"0"}}, http.StatusBadRequest},
		{"score six", "/rate/A-R1", url.Values{"score": {"6"}}, http.StatusBadRequest},
		{"score not a number", "/rate/A-R1", url.Values{"score": {"five"}}, http.StatusBadRequest},
		{"no score", "/rate/A-R1", url.Values{"comment": {"hi"}}, http.StatusBadRequest},
		{"bidi override", "/rate/A-R1", url.Values{"score": {"3"}, "comment": {"nice \u202egnp.exe"}}, http.StatusBadRequest},
		{"too long", "/rate/A-R1", url.Values{"score": {"3"}, "comment": {strings.Repeat("a", 2001)}}, http.StatusBadRequest},
		{"unknown session", "/rate/NOPE", url.Values{"score": {"3"}}, http.StatusNotFound},
		{"not checked in", "/rate/E", url.Values{"score": {"3"}}, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := ca.post(tt.path, tt.form); r.status != tt.status {
				t.Fatalf("POST %s %v: %d, want %d\n%s", tt.path, tt.form, r.status, tt.status, r.text())
			}
			if got := e.ratingsBy(ann.ID); len(got) != 1 || got["A-R1"].Score != 5 {
				t.Fatalf("a refused rating changed Ann's: %+v", got)
			}
		})
	}
	// Signed out: no rating at all.
	anon := e.client()
	if r := anon.post("/rate/A-R1", url.Values{"score": {"3"}}); r.status != http.StatusUnauthorized {
		t.Errorf("anonymous rating: %d, want 401", r.status)
	}
}

// "Now and next" names where to be, how to get there from the session
// before, and when to leave, in the venue's zone and the home zone.
func TestNowAndNext(t *testing.T) {
	e, clk := newPocketEnv(t)
	ann := e.attendee("Ann", "ann@example.com")
	if err := e.db.SetPreferences(context.Background(), ann.ID, "en", lanyard.ZonePrimaryVenue, "Asia/Seoul"); err != nil {
		t.Fatal(err)
	}
	e.reserve(ann.ID, "A-R1", "B", "E")
	c := e.signIn("ann@example.com")

	tests := []struct {
		name    string
		now     time.Time
		current string
		next    []string
		want    []string // texts the block must hold
	}{
		// In A-R1 at the Venetian: B at MGM next, by shuttle (25 < 40 on
		// foot), leaving at 10:45 to be there at 11:10; then E back.
		{"during A-R1", at(1, 10, 20), "A-R1", []string{"B", "E"},
			[]string{"Shuttle from Venetian: 25 min", "On foot 40 min · by shuttle 25 min", "Leave by", "10:45 AM PST", "3:45 AM KST", "Shuttle from MGM Grand: 25 min", "12:35 PM PST", "Next · in 50 min", "Later · in 2 h 40 min"}},
		// Between B and E: from MGM (the session before), E next.
		{"after B", at(1, 12, 10), "", []string{"E", "EXPO"}, []string{"Shuttle from MGM Grand: 25 min", "12:35 PM PST"}},
		// Past the time to leave.
		{"late for E", at(1, 12, 40), "", []string{"E"}, []string{"Leave now"}},
		{"after the last", at(3, 23, 0), "", nil, []string{"Nothing more on your agenda."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk.Set(tt.now)
			r := c.get("/now")
			if r.status != http.StatusOK {
				t.Fatalf("/now: %d\n%s", r.status, r.text())
			}
			cur := ""
			if m := regexp.MustCompile(`id="now-current" data-session="([^"]+)"`).FindStringSubmatch(r.body); m != nil {
				cur = m[1]
			}
			if cur != tt.current {
				t.Errorf("current = %q, want %q", cur, tt.current)
			}
			var next []string
			for _, m := range regexp.MustCompile(`id="now-next-\d" data-session="([^"]+)"`).FindAllStringSubmatch(r.body, -1) {
				next = append(next, m[1])
			}
			if len(tt.next) > 0 && (len(next) < len(tt.next) || strings.Join(next[:len(tt.next)], ",") != strings.Join(tt.next, ",")) {
				t.Errorf("next = %v, want %v first", next, tt.next)
			}
			text := html2text(r.body)
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("the block lacks %q:\n%s", w, text)
				}
			}
		})
	}

	// The script's refresh gets the block alone; the agenda's compact one
	// names the next stop and links the page.
	clk.Set(at(1, 10, 20))
	frag := c.get("/now?fragment=1&compact=1").body
	if strings.Contains(frag, "<html") || !strings.Contains(frag, `id="now-next-0" data-session="B"`) || strings.Contains(frag, "now-next-1") {
		t.Errorf("compact fragment:\n%s", frag)
	}
	if ag := c.get("/agenda").body; !strings.Contains(ag, `class="now compact"`) || !strings.Contains(ag, `href="/now"`) {
		t.Error("the agenda has no compact now-and-next block")
	}
	// In Korean.
	c.setCookie("lang", "ko")
	if text := html2text(c.get("/now").body); !strings.Contains(text, "Venetian에서 셔틀로 25분") || !strings.Contains(text, "출발 시각") || !strings.Contains(text, "오전 10:45") || !strings.Contains(text, "2시간 40분 후") {
		t.Errorf("Korean block:\n%s", text)
	}
	// Signed out: to sign in.
	if r := e.client().get("/now"); r.status != http.StatusSeeOther {
		t.Errorf("anonymous /now: %d, want 303", r.status)
	}
}

// With shuttle timetables, "now and next" names the bus: the last one
// that still arrives in time, its route and departure in both zones, and
// leave by its departure; when the last bus in time has gone (or leaves
// before the attendee is at the stop) it says so and walks.
func TestNowAndNextShuttle(t *testing.T) {
	e, clk := newPocketEnv(t)
	ctx := context.Background()
	// Venetian → MGM (15 min) → Venetian (15 min), every 20 minutes from
	// 7:10 to 10:50 on day 1: the 10:50 reaches MGM at 11:05, before B
	// (11:10); the last bus from MGM leaves at 11:05, before B starts.
	strip := lanyard.ShuttleRoute{Name: "Strip", Every: 20,
		Stops: []lanyard.ShuttleStop{{Venue: "venetian"}, {Venue: "mgm", RideMinutes: 15}, {Venue: "venetian", RideMinutes: 15}},
		Days:  []lanyard.ShuttleDay{{Date: "2026-12-01", First: "07:10", Last: "10:50"}}}
	if _, err := e.db.SaveShuttleRoute(ctx, e.ev.ID, strip); err != nil {
		t.Fatal(err)
	}
	ann := e.attendee("Ann", "ann@example.com")
	if err := e.db.SetPreferences(ctx, ann.ID, "en", lanyard.ZonePrimaryVenue, "Asia/Seoul"); err != nil {
		t.Fatal(err)
	}
	e.reserve(ann.ID, "A-R1", "B", "E")
	c := e.signIn("ann@example.com")

	tests := []struct {
		name    string
		now     time.Time
		stop    int    // index of the next stop checked
		session string // its session
		want    []string
		absent  []string
	}{
		// The timetable, not the matrix: the 10:50 Strip bus (the matrix
		// alone said leave at 10:45 for a 25-minute ride).
		{"shuttle to B", at(1, 10, 20), 0, "B",
			[]string{"Shuttle from Venetian: 15 min", "Take the Strip shuttle leaving Venetian at", "10:50 AM PST (", "3:50 AM KST)", "arriving", "11:05 AM PST", "Leave by"},
			[]string{"No shuttle arrives in time", "10:45 AM"}},
		// No bus from MGM once she is there: walk, and say why.
		{"no shuttle to E, later", at(1, 10, 20), 1, "E",
			[]string{"Walk from MGM Grand: 40 min", "No shuttle arrives in time", "Leave by", "12:20 PM PST"},
			[]string{"Take the"}},
		{"no shuttle to E, after B", at(1, 12, 10), 0, "E",
			[]string{"Walk from MGM Grand: 40 min", "No shuttle arrives in time", "12:20 PM PST"},
			[]string{"Take the", "12:35 PM"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk.Set(tt.now)
			r := c.get("/now")
			if r.status != http.StatusOK {
				t.Fatalf("/now: %d\n%s", r.status, r.text())
			}
			m := regexp.MustCompile(`(?s)id="now-next-` + strconv.Itoa(tt.stop) + `" data-session="([^"]+)".*?</div>`).FindStringSubmatch(r.body)
			if m == nil || m[1] != tt.session {
				t.Fatalf("next stop %d is not %s:\n%s", tt.stop, tt.session, html2text(r.body))
			}
			text := html2text(m[0])
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("the stop lacks %q:\n%s", w, text)
				}
			}
			for _, w := range tt.absent {
				if strings.Contains(text, w) {
					t.Errorf("the stop says %q:\n%s", w, text)
				}
			}
		})
	}
	// The route's name is marked for scripts, and leave-by is the bus's
	// departure.
	clk.Set(at(1, 10, 20))
	page := c.get("/now").body
	if !strings.Contains(page, `id="shuttle-0" data-route="Strip"`) || !strings.Contains(page, `datetime="`+at(1, 10, 50).Format(time.RFC3339)+`"`) {
		t.Errorf("no marked route or leave-by at the bus's departure:\n%s", html2text(page))
	}
	// In Korean.
	c.setCookie("lang", "ko")
	if text := html2text(c.get("/now").body); !strings.Contains(text, "Strip 셔틀을 타세요") || !strings.Contains(text, "제시간에 도착하는 셔틀이 없습니다") {
		t.Errorf("Korean block:\n%s", text)
	}
}

// The speakers' link shows one session's results, and only with its
// signature; comments come without names.
func TestSpeakerResults(t *testing.T) {
	e, clk := newPocketEnv(t)
	ctx := context.Background()
	var raters []*lanyard.Attendee
	for i := range 3 {
		a := e.attendee("Rater", "r"+string(rune('a'+i))+"@example.com")
		e.reserve(a.ID, "A-R1")
		raters = append(raters, a)
	}
	clk.Set(at(1, 9, 40))
	for i, score := range []int{5, 4, 4} {
		a := raters[i]
		e.checkIn(a.ID, "A-R1")
		s, _ := e.cat.Session("A-R1")
		comment := ""
		if i == 0 {
			comment = "Loved the <demo>"
		}
		if _, err := e.db.PutRating(ctx, a.ID, s.ID, lanyard.Rating{Session: "A-R1", Score: score, Comment: comment}); err != nil {
			t.Fatal(err)
		}
	}
	key, err := e.db.RatingLinkKey(ctx, e.ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := e.db.RatingLinkKey(ctx, e.ev.ID)
	if string(key) != string(again) || len(key) != 32 {
		t.Fatalf("the link key is not kept: %x then %x", key, again)
	}
	sig := web.RatingsSig(key, e.ev.ID, "A-R1")
	c := e.client()
	r := c.get("/ratings/A-R1?sig=" + sig)
	if r.status != http.StatusOK {
		t.Fatalf("results: %d\n%s", r.status, r.text())
	}
	if got, want := byID(r.body, "rating-summary"), "Average 4.3 of 5 from 3 ratings"; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
	if !strings.Contains(r.body, "Loved the &lt;demo&gt;") || strings.Contains(r.body, "Rater") {
		t.Errorf("comments: escaped text without names expected\n%s", r.text())
	}
	for _, bad := range []string{"/ratings/A-R1", "/ratings/A-R1?sig=" + flipLast(sig), "/ratings/E?sig=" + sig, "/ratings/NOPE?sig=" + sig} {
		if r := c.get(bad); r.status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", bad, r.status)
		}
	}
	if sig == web.RatingsSig(key, e.ev.ID+1, "A-R1") || sig == web.RatingsSig([]byte("other"), e.ev.ID, "A-R1") {
		t.Error("the signature does not depend on the event and the key")
	}
}

// The service worker is served from the root with the app's versioned
// files and the attendee's own pages, and the pages load its script.
func TestServiceWorker(t *testing.T) {
	e, _ := newPocketEnv(t)
	e.attendee("Ann", "ann@example.com")
	c := e.signIn("ann@example.com")
	r := c.get("/sw.js")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/javascript") || r.header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("/sw.js: %d %q %q", r.status, r.header.Get("Content-Type"), r.header.Get("Cache-Control"))
	}
	if strings.Contains(r.body, "__") || !regexp.MustCompile(`/static/app\.css\?v=[0-9a-f]+`).MatchString(r.body) ||
		!strings.Contains(r.body, `"/agenda","/now","/photo","/badge.png","/photo.jpg"`) {
		t.Errorf("the worker's lists are not filled in:\n%.600s", r.body)
	}
	page := c.get("/agenda").body
	if !regexp.MustCompile(`<script src="/static/pocket\.js\?v=[0-9a-f]+" defer>`).MatchString(page) {
		t.Error("the page does not load pocket.js")
	}
	if !strings.Contains(page, `id="offline-note" role="status" hidden>Offline: as of`) {
		t.Error("the page has no hidden offline note")
	}
	// Nobody signed in: no note (nothing of theirs is kept).
	if strings.Contains(e.client().get("/").body, "offline-note") {
		t.Error("an anonymous page carries the offline note")
	}
}

// html2text drops tags and collapses space, for checks on what a page says.
func html2text(s string) string {
	s = regexp.MustCompile(`(?s)<[^>]*>`).ReplaceAllString(s, " ")
	s = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#39;", "'", "&quot;", `"`).Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// flipLast changes a signature's last character.
func flipLast(s string) string {
	last := "A"
	if strings.HasSuffix(s, "A") {
		last = "B"
	}
	return s[:len(s)-1] + last
}

// The service worker's own fetches (to keep pages for offline use) leave
// the flash for the page the attendee opens next: a background fetch that
// took it would leave the attendee without the message.
func TestWarmFetchKeepsFlash(t *testing.T) {
	e, _ := newPocketEnv(t)
	e.attendee("Ann", "ann@example.com")
	c := e.signIn("ann@example.com")
	if r := c.post("/agenda/feed", url.Values{"action": {"create"}}); r.status != http.StatusSeeOther {
		t.Fatalf("POST /agenda/feed: %d", r.status)
	}
	req, err := http.NewRequest("GET", e.srv.URL+"/agenda", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(web.WarmHeader, "1")
	if got := flash(c.do(req).body); got != "" {
		t.Errorf("the worker's fetch shows the flash %q", got)
	}
	if got := flash(c.get("/agenda").body); got != "Your new calendar address is ready." {
		t.Errorf("the page opened next shows %q, want the flash", got)
	}
}
