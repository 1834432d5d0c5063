package console_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/console"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
	"github.com/lanyardhq/lanyard/internal/web"
	"github.com/lanyardhq/lanyard/internal/web/webtest"
)

var vegas, _ = time.LoadLocation("America/Los_Angeles")

func at(day, h int) time.Time { return time.Date(2026, 12, day, h, 0, 0, 0, vegas).UTC() }

var engineNow = at(1, 12).Add(-24 * time.Hour)

func testCatalog() *lanyard.Catalog {
	s := func(code, title string, typ lanyard.SessionType, room string, start time.Time) lanyard.Session {
		return lanyard.Session{Code: code, Title: title, Type: typ, Topics: []string{"t"}, Venue: "venetian", Room: room,
			Start: start, End: start.Add(time.Hour), Reservable: true}
	}
	return &lanyard.Catalog{
		Event:  lanyard.Event{Slug: "test-conf", Name: "Test Conf", TimeZone: "America/Los_Angeles", StartDate: "2026-12-01", Days: 3},
		Venues: []lanyard.Venue{{Code: "venetian", Name: "Venetian", Rooms: []lanyard.Room{{Name: "Ten", Capacity: 10}, {Name: "Hall", Capacity: 100}, {Name: "Two", Capacity: 2}}}},
		Sessions: []lanyard.Session{
			s("K1", "Opening keynote", lanyard.TypeKeynote, "Hall", at(1, 8)),
			s("A", "Serverless APIs", lanyard.TypeSession, "Ten", at(1, 10)),
			s("C", "Whiteboard", lanyard.TypeChalk, "Two", at(2, 10)),
		},
	}
}

// env is the web app and the console over TLS on a fresh database.
type env struct {
	t      *testing.T
	db     *store.DB
	eng    *reserve.Engine
	ev     *lanyard.Event
	srv    *httptest.Server
	routes *route.Table
	h      *console.Handler
	people map[lanyard.Role]*lanyard.Attendee
}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	return newEnvAt(t, db, func() time.Time { return engineNow })
}

// newEnvAt is newEnv with the engine's clock at now.
func newEnvAt(t *testing.T, db *store.DB, now func() time.Time) *env {
	t.Helper()
	ctx := context.Background()
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
	eng, err := reserve.Open(ctx, db, cat, reserve.Options{Now: now, Tick: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(eng.Close)
	for _, typ := range lanyard.SessionTypes {
		if _, err := eng.AddWindow(ctx, 0, "", lanyard.Window{SessionType: typ, Opens: now().Add(-time.Hour), Closes: at(4, 0)}); err != nil {
			t.Fatal(err)
		}
	}
	var cur atomic.Pointer[catalog.Catalog]
	cur.Store(cat)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	pages := &web.Handler{Catalog: &cur, Engine: eng, Store: db, Sessions: web.NewSessions(store.SessionStore{DB: db}),
		Hasher: auth.NewHasher(2), Log: log}
	mux := http.NewServeMux()
	rt := &route.Table{Mux: mux}
	pages.Routes(rt)
	shell, err := console.NewShell(pages)
	if err != nil {
		t.Fatal(err)
	}
	var requests atomic.Int64
	h := &console.Handler{Shell: shell, Catalog: &cur, Engine: eng, Store: db, Log: log, Requests: requests.Load, Now: now}
	h.Routes(rt)
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	e := &env{t: t, db: db, eng: eng, ev: ev, srv: srv, routes: rt, h: h, people: map[lanyard.Role]*lanyard.Attendee{}}
	for _, role := range []lanyard.Role{lanyard.RoleAttendee, lanyard.RoleExhibitor, lanyard.RoleStaff, lanyard.RoleOrganizer} {
		a := &lanyard.Attendee{Name: "Person " + string(role), Email: string(role) + "@example.com", Company: "Acme", Role: role}
		webtest.SignUp(t, db, ev.ID, a)
		e.people[role] = a
	}
	return e
}

// client is one browser of the test server.
type client struct{ *webtest.Client }

func (e *env) client() *client { return &client{webtest.NewClient(e.t, e.srv)} }

// signIn returns a client signed in as the person of role.
func (e *env) signIn(role lanyard.Role) *client {
	e.t.Helper()
	c := e.client()
	c.SignIn(e.people[role].Email, webtest.Password)
	return c
}

// byID returns the text of the element with the given id, or "".
func byID(body, id string) string {
	m := regexp.MustCompile(`(?s)id="` + regexp.QuoteMeta(id) + `"[^>]*>(.*?)</`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(m[1])
}

// Organizers, staff and exhibitors sign in with the attendees' accounts:
// organizers and staff land on the console, exhibitors on their booth
// (/exhibitor); attendees keep the attendee app.
func TestSignInLands(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	for role, want := range map[lanyard.Role]string{
		lanyard.RoleAttendee: "/", lanyard.RoleExhibitor: "/exhibitor", lanyard.RoleStaff: "/console", lanyard.RoleOrganizer: "/console",
	} {
		r := e.client().Post("/signin", url.Values{"email": {e.people[role].Email}, "password": {webtest.Password}})
		if got := r.Header.Get("Location"); r.Status != http.StatusSeeOther || got != want {
			t.Errorf("%s signs in: %d to %q, want 303 to %q", role, r.Status, got, want)
		}
	}
	// Where they were going wins.
	r := e.client().Post("/signin", url.Values{"email": {"organizer@example.com"}, "password": {webtest.Password}, "next": {"/agenda"}})
	if got, want := r.Header.Get("Location"), "/agenda"; got != want {
		t.Errorf("organizer with next: to %q, want %q", got, want)
	}
	if got, want := e.signIn(lanyard.RoleStaff).Get("/console").Header.Get("Location"), "/console/dashboard"; got != want {
		t.Errorf("staff at /console: to %q, want %q", got, want)
	}
	ex := e.signIn(lanyard.RoleExhibitor).Get("/console")
	if ex.Status != http.StatusOK || byID(ex.Body, "exhibitor-intro") == "" {
		t.Errorf("exhibitor at /console: %d, no exhibitor page", ex.Status)
	}
}

// samplePath fills a route pattern's wildcards with values that exist.
func (e *env) samplePath(pattern string) (method, path string) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = "GET", pattern
	}
	path = strings.TrimSuffix(path, "{$}")
	path = strings.ReplaceAll(path, "{id}", "1")
	path = strings.ReplaceAll(path, "{code}", "A")
	if strings.HasSuffix(path, "/") {
		path += "nothing-here"
	}
	return method, path
}

// The authorization matrix: every console route in the route table, for
// every role. An anonymous visitor is sent to sign in (or refused a post),
// an attendee never gets through, and the others get exactly what the
// route's access allows, with a 403 page in their language otherwise.
func TestAuthorizationMatrix(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	declared := map[string]console.Access{}
	for _, r := range e.h.ConsoleRoutes() {
		declared[r.Pattern] = r.Access
	}
	clients := map[string]*client{"anonymous": e.client()}
	for _, role := range []lanyard.Role{lanyard.RoleAttendee, lanyard.RoleExhibitor, lanyard.RoleStaff, lanyard.RoleOrganizer} {
		clients[string(role)] = e.signIn(role)
	}
	clients["attendee-ko"] = e.signIn(lanyard.RoleAttendee)
	clients["attendee-ko"].Lang = "ko"
	var walked int
	for _, pattern := range e.routes.Patterns() {
		_, p, _ := strings.Cut(pattern, " ")
		if p == "" {
			p = pattern
		}
		if !strings.HasPrefix(p, "/console") {
			continue
		}
		walked++
		access, ok := declared[pattern]
		if !ok {
			t.Errorf("%s is in the route table but declares no access", pattern)
			continue
		}
		method, path := e.samplePath(pattern)
		for who, c := range clients {
			var r *webtest.Resp
			if method == "POST" {
				r = c.Post(path, url.Values{})
			} else {
				r = c.Send(method, path, "", nil)
			}
			role := lanyard.Role(strings.TrimSuffix(who, "-ko"))
			switch {
			case who == "anonymous" && method == "GET":
				if loc := r.Header.Get("Location"); r.Status != http.StatusSeeOther || !strings.HasPrefix(loc, "/signin?next=") {
					t.Errorf("anonymous %s %s: %d to %q, want to sign in", method, path, r.Status, loc)
				}
			case who == "anonymous":
				if r.Status != http.StatusUnauthorized {
					t.Errorf("anonymous %s %s: %d, want 401", method, path, r.Status)
				}
			case !access.Allows(role):
				if r.Status != http.StatusForbidden || r.Code() != "forbidden" {
					t.Errorf("%s %s %s: %d, want 403", who, method, path, r.Status)
				}
				want := "This page is for organizers. Your account cannot open it."
				if who == "attendee-ko" {
					want = "이 페이지는 주최 측 전용입니다. 이 계정으로는 열 수 없습니다."
				}
				if got := byID(r.Body, "error-message"); got != want {
					t.Errorf("%s %s %s: message %q, want %q", who, method, path, got, want)
				}
			default:
				if r.Status == http.StatusForbidden || r.Status == http.StatusUnauthorized || r.Status >= 500 {
					t.Errorf("%s %s %s: %d, want through", who, method, path, r.Status)
				}
			}
			if role == lanyard.RoleAttendee && r.Status < 400 {
				t.Errorf("an attendee reached %s %s: %d", method, path, r.Status)
			}
		}
	}
	if walked < 3 {
		t.Fatalf("walked %d console routes", walked)
	}
}

// What each access allows, spelled out: organizers everything, staff the
// staff parts, exhibitors their own page, attendees nothing.
func TestAccessAllows(t *testing.T) {
	tests := []struct {
		access console.Access
		role   lanyard.Role
		want   bool
	}{
		{console.Members, lanyard.RoleAttendee, false},
		{console.Members, lanyard.RoleExhibitor, true},
		{console.Members, lanyard.RoleStaff, true},
		{console.Staff, lanyard.RoleExhibitor, false},
		{console.Staff, lanyard.RoleStaff, true},
		{console.Staff, lanyard.RoleAttendee, false},
		{console.Organizers, lanyard.RoleStaff, false},
		{console.Organizers, lanyard.RoleOrganizer, true},
		{console.Organizers, lanyard.Role(""), false},
	}
	for _, tt := range tests {
		if got := tt.access.Allows(tt.role); got != tt.want {
			t.Errorf("Access(%d).Allows(%q)=%v, want %v", tt.access, tt.role, got, tt.want)
		}
	}
}

// The dashboard shows reservations of the last minutes, fill by type and
// the sessions in most demand, in English and Korean.
func TestDashboard(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		if _, err := e.eng.Reserve(ctx, e.people[lanyard.RoleAttendee].ID, []string{"C"}, false, ""); err != nil {
			t.Fatal(err)
		}
		c := e.signIn(lanyard.RoleOrganizer)
		r := c.Get("/console/dashboard")
		if r.Status != http.StatusOK {
			t.Fatalf("dashboard: %d", r.Status)
		}
		if !strings.Contains(r.Body, `<tr data-session="C">`) {
			t.Error("the dashboard's demand list lacks C")
		}
		if !strings.Contains(r.Body, `<tr data-type="chalk-talk"><td>Chalk talks</td><td class="num">1</td><td class="num">1 / 2</td><td class="num">50</td></tr>`) {
			t.Errorf("fill by type wrong:\n%s", r.Body)
		}
		c.Lang = "ko"
		if got := c.Get("/console/live"); !strings.Contains(got.Body, "칠판 토크") || strings.Contains(got.Body, "<html") {
			t.Errorf("live fragment in Korean: %d", got.Status)
		}
	})
}

// The dashboard counts this minute's reservations and refusals by rule, and
// the mail queue, from the database.
func TestDashboardActivity(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		a, x := e.people[lanyard.RoleAttendee], e.people[lanyard.RoleExhibitor]
		for _, id := range []int64{a.ID, x.ID, e.people[lanyard.RoleStaff].ID} {
			e.eng.Reserve(ctx, id, []string{"C"}, false, "") // two seats: the third is refused
		}
		e.eng.Reserve(ctx, a.ID, []string{"A"}, false, "")
		c := e.signIn(lanyard.RoleStaff)
		check := func(when string, reserved, full int) {
			t.Helper()
			got := c.Get("/console/live").Body
			if want := fmt.Sprintf(`<tr data-code="session_full"><td>Session full</td><td class="num">%d</td></tr>`, full); !strings.Contains(got, want) {
				t.Errorf("%s: the live figures lack %s:\n%s", when, want, got)
			}
			if want := fmt.Sprintf(`<b>%d</b></li></ol>`, reserved); !strings.Contains(strings.ReplaceAll(got, "\n", ""), want) {
				t.Errorf("%s: this minute's bar is not %d", when, reserved)
			}
		}
		check("first view", 3, 1)
		// What happens next is added to what was counted.
		e.eng.Reserve(ctx, e.people[lanyard.RoleOrganizer].ID, []string{"C", "K1"}, false, "")
		check("second view", 4, 2)
	})
}

// The header shows each role the sections it may open, and no others. The
// door and the badge desk, registered by their own packages on the same
// route table, are linked for staff and organizers when they are there.
func TestNavFollowsRole(t *testing.T) {
	links := func(body string) []string {
		var out []string
		for _, m := range regexp.MustCompile(`<a href="(/(?:console|door|desk)[^"]*)"`).FindAllStringSubmatch(body[:strings.Index(body, "</nav>")], -1) {
			out = append(out, m[1])
		}
		return out
	}
	const (
		organizer = "/console/dashboard /console/setup /console/sessions /console/attendees /console/import /console/photos /console/reports /console/announcements /console/audit /console/webhooks /console/mail /console/maps /console/places /console/certifications"
		staff     = "/console/dashboard /console/attendees /console/photos /console/reports /console/places"
	)
	tests := []struct {
		name string
		// apps registers the other apps' pages, as cmd/lanyard does after
		// the console's routes.
		apps bool
		want map[lanyard.Role]string
	}{
		{"console alone", false, map[lanyard.Role]string{lanyard.RoleOrganizer: organizer, lanyard.RoleStaff: staff, lanyard.RoleExhibitor: "/console"}},
		{"with door and desk", true, map[lanyard.Role]string{lanyard.RoleOrganizer: organizer + " /door /desk", lanyard.RoleStaff: staff + " /door /desk",
			lanyard.RoleExhibitor: "/console"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, storetest.OpenSQLite(t))
			if tt.apps {
				for _, p := range []string{"GET /door", "GET /door/app", "GET /desk"} {
					e.routes.Handle(p, route.Any, http.NotFoundHandler())
				}
			}
			for role, want := range tt.want {
				r := e.signIn(role).Get("/console/dashboard")
				if role == lanyard.RoleExhibitor {
					r = e.signIn(role).Get("/console")
				}
				if got := strings.Join(links(r.Body), " "); got != want {
					t.Errorf("%s's nav: %s, want %s", role, got, want)
				}
			}
		})
	}
}
