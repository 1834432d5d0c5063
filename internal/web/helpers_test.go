package web_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
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

// The fixture event runs 2026-12-01 to 2026-12-03 in Las Vegas; the engine's
// clock stands at noon the day before, with every window open.
var vegas, _ = time.LoadLocation("America/Los_Angeles")

func at(day, h, m int) time.Time { return time.Date(2026, 12, day, h, m, 0, 0, vegas).UTC() }

var engineNow = at(1, 12, 0).Add(-24 * time.Hour)

// testPassword is every fixture attendee's password.
const testPassword = "correct horse battery"

// passwordHash is testPassword hashed once for the package: argon2 takes
// ~100 ms, so fixture attendees share it.
var passwordHash = sync.OnceValue(func() string {
	h, err := auth.NewHasher(1).Hash(context.Background(), testPassword)
	if err != nil {
		panic(err)
	}
	return h
})

// fillers are enough one-time sessions to make the catalog two pages long.
const fillers = 40

// testCatalog is a small event with a session for each thing the pages show:
//
//	K1     keynote, a marker on every agenda
//	A-R1/2 one content at two times (a repeat group), Venetian then MGM
//	B      at MGM 10 minutes after A-R1 ends: the 25-minute shuttle does not fit
//	O      overlaps A-R1
//	E      at the Venetian an hour after B: the trip fits
//	C      a chalk talk with one seat, to fill and wait for
//	D      a workshop on the last day
//	EXPO   walk-in only, a marker
//	F01…   fillers in the annex on the last day
func testCatalog() *lanyard.Catalog {
	s := func(code, title, group string, typ lanyard.SessionType, level int, topic, venue, room string, start, end time.Time) lanyard.Session {
		return lanyard.Session{Code: code, Title: title, Abstract: "All about " + strings.ToLower(title) + ".", Type: typ, Level: level,
			Topics: []string{topic}, Venue: venue, Room: room, Start: start, End: end, RepeatGroup: group, Reservable: true}
	}
	c := &lanyard.Catalog{
		Event: lanyard.Event{Slug: "test-conf", Name: "Test Conf", TimeZone: "America/Los_Angeles", StartDate: "2026-12-01", Days: 3},
		Venues: []lanyard.Venue{
			{Code: "venetian", Name: "Venetian", Rooms: []lanyard.Room{{Name: "Ten", Capacity: 10}, {Name: "Hall", Capacity: 100}, {Name: "Tiny", Capacity: 1}}},
			{Code: "mgm", Name: "MGM Grand", Rooms: []lanyard.Room{{Name: "Ten", Capacity: 10}, {Name: "Twenty", Capacity: 20}}},
			{Code: "annex", Name: "Annex", Rooms: []lanyard.Room{{Name: "Booth", Capacity: 5}}},
		},
		Travel: []lanyard.TravelTime{
			{From: "venetian", To: "mgm", WalkMinutes: 40, ShuttleMinutes: 25},
			{From: "mgm", To: "venetian", WalkMinutes: 40, ShuttleMinutes: 25},
		},
		Sessions: []lanyard.Session{
			s("K1", "Opening keynote", "", lanyard.TypeKeynote, 100, "leadership", "venetian", "Hall", at(1, 8, 0), at(1, 9, 30)),
			s("A-R1", "Building serverless APIs", "A", lanyard.TypeSession, 200, "serverless", "venetian", "Ten", at(1, 10, 0), at(1, 11, 0)),
			s("A-R2", "Building serverless APIs", "A", lanyard.TypeSession, 200, "serverless", "mgm", "Ten", at(2, 10, 0), at(2, 11, 0)),
			s("B", "Scaling databases", "", lanyard.TypeSession, 300, "databases", "mgm", "Twenty", at(1, 11, 10), at(1, 12, 0)),
			s("O", "Event sourcing in practice", "", lanyard.TypeSession, 200, "architecture", "mgm", "Twenty", at(1, 10, 30), at(1, 11, 0)),
			s("E", "Lunch and learn", "", lanyard.TypeSession, 100, "ai", "venetian", "Ten", at(1, 13, 0), at(1, 13, 45)),
			s("C", "Kubernetes whiteboard", "", lanyard.TypeChalk, 400, "containers", "venetian", "Tiny", at(1, 14, 0), at(1, 15, 0)),
			s("D", "Hands-on machine learning", "", lanyard.TypeWorkshop, 300, "ai", "mgm", "Twenty", at(3, 9, 0), at(3, 11, 0)),
			s("EXPO", "Expo hall opening", "", lanyard.TypeOther, 0, "expo", "venetian", "Hall", at(1, 17, 0), at(1, 19, 0)),
		},
	}
	expo := &c.Sessions[len(c.Sessions)-1]
	expo.Reservable, expo.CapacityOverride = false, 5000 // a happening for everyone
	for i := range fillers {
		start := at(3, 8, 0).Add(time.Duration(i) * 15 * time.Minute)
		c.Sessions = append(c.Sessions, s(fmt.Sprintf("F%02d", i+1), fmt.Sprintf("Filler %d", i+1), "", lanyard.TypeBuilders, 100, "filler",
			"annex", "Booth", start, start.Add(15*time.Minute)))
	}
	return c
}

// env is a running web app over TLS (the session cookie is Secure) on a
// fresh SQLite database, with its engine and handler.
type env struct {
	t   *testing.T
	db  *store.DB
	eng *reserve.Engine
	cat *catalog.Catalog
	ev  *lanyard.Event
	h   *web.Handler
	srv *httptest.Server
	log *syncBuffer
}

// syncBuffer collects the handler's log for the end-of-test check.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newEnv starts the web app on the test catalog. Sign-ins are limited to
// five a minute per client address, and every client here is 127.0.0.1: a
// test that signs in more often needs another env.
func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvOn(t, storetest.OpenSQLite(t), nil)
}

// newEnvOn is newEnv on db, calling afterImport (if not nil) once the test
// catalog is in the database and before anything reads it.
func newEnvOn(t *testing.T, db *store.DB, afterImport func()) *env {
	t.Helper()
	ctx := context.Background()
	lc := testCatalog()
	if _, err := db.ImportCatalog(ctx, lc); err != nil {
		t.Fatal(err)
	}
	if afterImport != nil {
		afterImport()
	}
	ev, err := db.FindEventBySlug(ctx, lc.Event.Slug)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Load(ctx, db, ev)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := reserve.Open(ctx, db, cat, reserve.Options{Now: func() time.Time { return engineNow }, Tick: -1})
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
		Badges: &badge.Service{DB: db, Event: ev},
		Hasher: auth.NewHasher(2), Log: slog.New(slog.NewTextHandler(logs, nil))}
	mux := http.NewServeMux()
	h.Routes(&route.Table{Mux: mux})
	srv := httptest.NewTLSServer(mux)
	h.BaseURL = srv.URL // as serve sets --public-url: links never come from a request's Host
	// Cleanups run last first: the server stops, then its log is checked.
	t.Cleanup(func() {
		if s := logs.String(); strings.Contains(s, "level=ERROR") {
			t.Errorf("the handler logged errors:\n%s", s)
		}
	})
	t.Cleanup(srv.Close)
	return &env{t: t, db: db, eng: eng, cat: cat, ev: ev, h: h, srv: srv, log: logs}
}

// attendee registers an attendee with an account whose password is testPassword.
func (e *env) attendee(name, email string) *lanyard.Attendee {
	e.t.Helper()
	a := &lanyard.Attendee{Name: name, Email: email}
	if err := e.db.SignUp(context.Background(), e.ev.ID, a, passwordHash()); err != nil {
		e.t.Fatal(err)
	}
	return a
}

// client is a browser without JavaScript: it keeps cookies and does not
// follow redirects, so tests see each answer.
type client struct {
	t   *testing.T
	e   *env
	jar *cookiejar.Jar
	hc  *http.Client
	// header is sent with every request.
	header http.Header
}

func (e *env) client() *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	hc := &http.Client{Transport: e.srv.Client().Transport, Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &client{t: e.t, e: e, jar: jar, hc: hc, header: http.Header{}}
}

// signIn returns a client signed in as email.
func (e *env) signIn(email string) *client {
	e.t.Helper()
	c := e.client()
	r := c.post("/signin", url.Values{"email": {email}, "password": {testPassword}})
	if r.status != http.StatusSeeOther {
		e.t.Fatalf("sign in as %s: %d\n%s", email, r.status, r.text())
	}
	return c
}

// resp is a whole answer.
type resp struct {
	status int
	header http.Header
	body   string
}

// text is the body for failure messages: the page's main part, if any.
func (r *resp) text() string {
	b := r.body
	if i := strings.Index(b, "<main"); i >= 0 {
		b = b[i:]
	}
	if len(b) > 3000 {
		b = b[:3000] + "…"
	}
	return b
}

func (r *resp) location() string { return r.header.Get("Location") }

func (c *client) do(req *http.Request) *resp {
	c.t.Helper()
	for k, vs := range c.header {
		req.Header[k] = vs
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	return &resp{status: res.StatusCode, header: res.Header, body: string(b)}
}

func (c *client) get(path string) *resp {
	c.t.Helper()
	req, err := http.NewRequest("GET", c.e.srv.URL+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

// post sends a form; header is name, value pairs.
func (c *client) post(path string, form url.Values, header ...string) *resp {
	c.t.Helper()
	req, err := http.NewRequest("POST", c.e.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return c.do(req)
}

// postOK posts a form that must answer with a redirect to want, and returns
// the flash message the next page shows.
func (c *client) postOK(path string, form url.Values, want string) string {
	c.t.Helper()
	r := c.post(path, form)
	if r.status != http.StatusSeeOther || r.location() != want {
		c.t.Fatalf("POST %s %v: %d to %q, want 303 to %q\n%s", path, form, r.status, r.location(), want, r.text())
	}
	return flash(c.get(want).body)
}

// cookie returns the value of the client's cookie name, or "".
func (c *client) cookie(name string) string {
	u, _ := url.Parse(c.e.srv.URL)
	for _, ck := range c.jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

func (c *client) setCookie(name, value string) {
	u, _ := url.Parse(c.e.srv.URL)
	c.jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/", Secure: true}})
}

// The pages' parts tests look at, by the ids and data attributes the
// templates give them.
var (
	flashRe   = regexp.MustCompile(`(?s)<p class="flash (?:ok|error)" role="status" id="flash">(.*?)</p>`)
	sessionRe = regexp.MustCompile(`data-session="([^"]+)"`)
)

// flash returns the page's flash message, unescaped, or "".
func flash(body string) string {
	m := flashRe.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// byID returns the unescaped text of the element with the given id, or "".
func byID(body, id string) string {
	re := regexp.MustCompile(`(?s)id="` + regexp.QuoteMeta(id) + `"[^>]*>(.*?)</`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(html.UnescapeString(m[1]))
}

// fieldErrors returns the message shown under each form field.
func fieldErrors(body string) map[string]string {
	re := regexp.MustCompile(`<p class="field-error" id="([a-z_]+)-error">([^<]*)</p>`)
	out := map[string]string{}
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		out[m[1]] = html.UnescapeString(m[2])
	}
	return out
}

// inputValue returns the value of the input with the given id.
func inputValue(body, id string) string {
	re := regexp.MustCompile(`<input id="` + regexp.QuoteMeta(id) + `"[^>]*?value="([^"]*)"`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return "<no input " + id + ">"
	}
	return html.UnescapeString(m[1])
}

// codes returns the session codes the page shows (data-session), in order,
// each once.
func codes(body string) []string {
	var out []string
	for _, m := range sessionRe.FindAllStringSubmatch(body, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

// agendaOf returns what the engine holds for an attendee: reserved codes
// and waitlisted codes, sorted.
func (e *env) agendaOf(id int64) (held, waiting []string) {
	e.t.Helper()
	ag, err := e.eng.Agenda(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, it := range ag.Reservations {
		held = append(held, it.Session)
	}
	for _, it := range ag.Waitlists {
		waiting = append(waiting, it.Session)
	}
	slices.Sort(held)
	slices.Sort(waiting)
	return held, waiting
}

// reserve reserves codes for an attendee straight through the engine.
func (e *env) reserve(id int64, codes ...string) {
	e.t.Helper()
	rs, err := e.eng.Reserve(context.Background(), id, codes, false, "")
	if err != nil {
		e.t.Fatal(err)
	}
	for _, r := range rs {
		if r.Outcome != lanyard.OutcomeReserved {
			e.t.Fatalf("reserve %s: %+v", r.Session, r)
		}
	}
}

// wishlist returns an attendee's favorites as the engine ranks them.
func (e *env) wishlist(id int64) []string {
	e.t.Helper()
	list, err := e.eng.Wishlist(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return list
}
