package door_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/badge"
	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/door"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/route/routetest"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
	"github.com/lanyardhq/lanyard/internal/web"
	"github.com/lanyardhq/lanyard/internal/web/webtest"
)

var vegas, _ = time.LoadLocation("America/Los_Angeles")

func at(day, h, m int) time.Time { return time.Date(2026, 12, day, h, m, 0, 0, vegas).UTC() }

// The sessions: A in room Ten (10 seats, 20% held for walk-ups: 8
// reservable, 2 walk-up seats) with the overflow room Two (2 seats) at
// the Wynn, a 12-minute walk; B at the same time in Hall.
func testCatalog() *lanyard.Catalog {
	s := func(code, title string, room string, start time.Time) lanyard.Session {
		return lanyard.Session{Code: code, Title: title, Type: lanyard.TypeSession, Topics: []string{"t"}, Venue: "venetian", Room: room,
			Start: start, End: start.Add(time.Hour), Reservable: true}
	}
	return &lanyard.Catalog{
		Event: lanyard.Event{Slug: "door-conf", Name: "Door Conf", TimeZone: "America/Los_Angeles", StartDate: "2026-12-01", Days: 3},
		Venues: []lanyard.Venue{
			{Code: "venetian", Name: "Venetian", Rooms: []lanyard.Room{{Name: "Ten", Capacity: 10}, {Name: "Hall", Capacity: 100}}},
			{Code: "wynn", Name: "Wynn", Rooms: []lanyard.Room{{Name: "Two", Capacity: 2}}},
		},
		Travel: []lanyard.TravelTime{{From: "venetian", To: "wynn", WalkMinutes: 12, ShuttleMinutes: 10}, {From: "wynn", To: "venetian", WalkMinutes: 12, ShuttleMinutes: 10}},
		Sessions: []lanyard.Session{
			s("A", "Serverless APIs", "Ten", at(2, 10, 0)),
			s("B", "Databases", "Hall", at(2, 10, 0)),
		},
	}
}

// env is the web app and the door app over TLS on a fresh database, with
// a clock the test moves.
type env struct {
	t      *testing.T
	db     *store.DB
	eng    *reserve.Engine
	ev     *lanyard.Event
	srv    *httptest.Server
	routes *route.Table
	badges *badge.Service
	clock  *atomic.Pointer[time.Time]
	people map[string]*lanyard.Attendee
}

func newEnv(t *testing.T, db *store.DB) *env {
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
	clock := &atomic.Pointer[time.Time]{}
	start := at(1, 12, 0)
	clock.Store(&start)
	now := func() time.Time { return *clock.Load() }
	eng, err := reserve.Open(ctx, db, cat, reserve.Options{Now: now, Tick: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(eng.Close)
	if _, err := eng.AddWindow(ctx, 0, "", lanyard.Window{SessionType: lanyard.TypeSession, Opens: start.Add(-time.Hour), Closes: at(3, 0, 0)}); err != nil {
		t.Fatal(err)
	}
	if err := eng.SetHoldback(ctx, lanyard.TypeSession, 20); err != nil {
		t.Fatal(err)
	}
	if err := eng.AddOverflow(ctx, "A", "wynn", "Two"); err != nil {
		t.Fatal(err)
	}
	var cur atomic.Pointer[catalog.Catalog]
	cur.Store(cat)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	badges := &badge.Service{DB: db, Event: ev}
	pages := &web.Handler{Catalog: &cur, Engine: eng, Store: db, Sessions: web.NewSessions(store.SessionStore{DB: db}),
		Hasher: auth.NewHasher(2), Log: log, Badges: badges}
	mux := http.NewServeMux()
	rt := &route.Table{Mux: mux}
	pages.Routes(rt)
	shell, err := door.NewShell(pages)
	if err != nil {
		t.Fatal(err)
	}
	(&door.Handler{Shell: shell, Catalog: &cur, Engine: eng, Store: db, Places: db, Badges: badges, Log: log, Now: now}).Routes(rt)
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	e := &env{t: t, db: db, eng: eng, ev: ev, srv: srv, routes: rt, badges: badges, clock: clock, people: map[string]*lanyard.Attendee{}}
	for _, p := range []struct {
		key  string
		role lanyard.Role
	}{{"attendee", lanyard.RoleAttendee}, {"exhibitor", lanyard.RoleExhibitor}, {"staff", lanyard.RoleStaff}, {"staff2", lanyard.RoleStaff},
		{"organizer", lanyard.RoleOrganizer}, {"ana", lanyard.RoleAttendee}, {"bo", lanyard.RoleAttendee}, {"cy", lanyard.RoleAttendee},
		{"dee", lanyard.RoleAttendee}, {"eve", lanyard.RoleAttendee}, {"fay", lanyard.RoleAttendee}} {
		a := &lanyard.Attendee{Name: "Person " + p.key, Email: p.key + "@example.com", Company: "Acme", Role: p.role}
		webtest.SignUp(t, db, ev.ID, a)
		e.people[p.key] = a
	}
	// ana holds a seat in A; bo holds B (same time).
	e.reserve("ana", "A")
	e.reserve("bo", "B")
	// The door of A opens 30 minutes before its 10:00 start.
	e.setClock(at(2, 9, 45))
	return e
}

func (e *env) setClock(t time.Time) { e.clock.Store(&t) }

func (e *env) reserve(who, code string) {
	e.t.Helper()
	rs, err := e.eng.Reserve(context.Background(), e.people[who].ID, []string{code}, false, "")
	if err != nil || rs[0].Outcome != lanyard.OutcomeReserved {
		e.t.Fatalf("reserve %s for %s: %+v %v", code, who, rs, err)
	}
}

func (e *env) token(who string) string {
	e.t.Helper()
	tok, _, err := e.badges.Token(context.Background(), e.people[who])
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// client is one browser of the test server.
type client struct{ *webtest.Client }

func (e *env) client() *client { return &client{webtest.NewClient(e.t, e.srv)} }

func (e *env) signIn(who string) *client {
	e.t.Helper()
	c := e.client()
	c.SignIn(e.people[who].Email, webtest.Password)
	return c
}

func (c *client) scan(req door.ScanRequest) (door.Verdict, *webtest.Resp) {
	c.TB.Helper()
	r := c.PostJSON("/door/api/scan", req)
	var v door.Verdict
	if r.Status == http.StatusOK {
		if err := json.Unmarshal([]byte(r.Body), &v); err != nil {
			c.TB.Fatalf("scan answer %q: %v", r.Body, err)
		}
	}
	return v, r
}

func errorCode(t *testing.T, r *webtest.Resp) string {
	t.Helper()
	var body struct {
		Error lanyard.Error `json:"error"`
	}
	if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
		t.Fatalf("error body %q: %v", r.Body, err)
	}
	return body.Error.Code
}

var nonces atomic.Int64

func nonce() string { return fmt.Sprintf("test-nonce-%06d", nonces.Add(1)) }

// Every door route refuses anyone but staff and organizers, on every
// request; the conflicts page is the organizers'. The routes come from
// the route table, not a list kept here.
func TestAuthorization(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	anon := e.client()
	clients := map[string]*client{"anonymous": anon}
	for _, who := range []string{"attendee", "exhibitor", "staff", "organizer"} {
		clients[who] = e.signIn(who)
	}
	seen := 0
	for _, rt := range e.routes.Routes() {
		method, path, _ := strings.Cut(rt.Pattern, " ")
		if !strings.HasPrefix(path, "/door") || strings.HasPrefix(path, "/door/static/") || path == "/door/sw.js" || path == "/door/manifest.webmanifest" {
			continue
		}
		seen++
		for who, c := range clients {
			var r *webtest.Resp
			if method == "POST" {
				r = c.PostJSON(path, map[string]any{})
			} else {
				r = c.Get(path + "?door=s:A&q=person")
			}
			allowed := who == "organizer" || who == "staff" && path != "/door/conflicts"
			switch {
			case who == "anonymous" && strings.HasPrefix(path, "/door/api/"):
				if r.Status != http.StatusUnauthorized || errorCode(t, r) != lanyard.EUNAUTHORIZED {
					t.Errorf("%s %s as %s: %d %s, want 401 unauthorized", method, path, who, r.Status, r.Body)
				}
			case who == "anonymous":
				if r.Status != http.StatusSeeOther {
					t.Errorf("%s %s as %s: %d, want a redirect to sign in", method, path, who, r.Status)
				}
			case !allowed:
				if r.Status != http.StatusForbidden {
					t.Errorf("%s %s as %s: %d, want 403", method, path, who, r.Status)
				}
				if strings.HasPrefix(path, "/door/api/") && errorCode(t, r) != lanyard.EFORBIDDEN {
					t.Errorf("%s %s as %s: code %s, want forbidden", method, path, who, errorCode(t, r))
				}
			default:
				if r.Status == http.StatusForbidden || r.Status == http.StatusUnauthorized || r.Status >= 500 {
					t.Errorf("%s %s as %s: %d %s", method, path, who, r.Status, r.Body)
				}
			}
		}
	}
	if seen < 9 {
		t.Errorf("walked %d door routes, want at least 9", seen)
	}
	// The app's files hold no data and are served to anyone: the manifest
	// is fetched without cookies.
	for _, p := range []string{"/door/manifest.webmanifest", "/door/sw.js"} {
		if r := anon.Get(p); r.Status != http.StatusOK {
			t.Errorf("GET %s: %d", p, r.Status)
		}
	}
}

// A scan answers with the verdict the engine's rules give, in the staff
// member's language; a retried scan (same nonce) answers the same and
// admits nobody twice.
func TestScanVerdicts(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) { testscanverdicts(t, db) })
}

func testscanverdicts(t *testing.T, db *store.DB) {
	e := newEnv(t, db)
	staff := e.signIn("staff")
	ctx := context.Background()

	first, r := staff.scan(door.ScanRequest{Door: "s:A", Token: e.token("ana"), Nonce: "retry-nonce-1"})
	if r.Status != http.StatusOK || first.Verdict != door.VerdictAdmit || first.Name != "Person ana" || first.Inside != 1 {
		t.Fatalf("reserved ana: %d %+v", r.Status, first)
	}
	again, _ := staff.scan(door.ScanRequest{Door: "s:A", Token: e.token("ana"), Nonce: "retry-nonce-1"})
	if again.Verdict != door.VerdictAdmit || again.Inside != 1 {
		t.Errorf("retried scan: %+v, want the first answer and one inside", again)
	}
	if v, _ := staff.scan(door.ScanRequest{Door: "s:A", Token: e.token("ana"), Nonce: nonce()}); v.Verdict != door.VerdictDeny || v.Code != lanyard.EAlreadyInside {
		t.Errorf("second scan of ana: %+v, want already_inside", v)
	}
	// bo holds B at the same time: not here.
	if v, _ := staff.scan(door.ScanRequest{Door: "s:A", Token: e.token("bo"), Nonce: nonce()}); v.Verdict != door.VerdictAdmitWalkup {
		// A has walk-up seats: bo may come in as a walk-up.
		t.Errorf("bo at A with walk-up seats: %+v", v)
	}
	if v, _ := staff.scan(door.ScanRequest{Door: "s:A", AttendeeID: e.people["cy"].ID, Nonce: nonce()}); v.Verdict != door.VerdictAdmitWalkup || v.SeatsLeft != 0 {
		t.Errorf("cy, the last walk-up seat: %+v", v)
	}
	// The room's walk-up seats are taken: to the overflow room at the Wynn.
	for _, who := range []string{"dee", "eve"} {
		v, _ := staff.scan(door.ScanRequest{Door: "s:A", Token: e.token(who), Nonce: nonce()})
		if v.Verdict != door.VerdictOverflow || v.Room != "Two" || v.WalkMinutes != 12 || !strings.Contains(v.Message, "12 min") {
			t.Errorf("%s: %+v, want overflow to Two, 12 min", who, v)
		}
	}
	// At the overflow room's own door, dee (sent there) comes in, once;
	// ana, admitted to the main room, does not.
	for _, tc := range []struct{ who, verdict, code string }{
		{"dee", door.VerdictAdmit, ""}, {"dee", door.VerdictDeny, lanyard.EAlreadyInside}, {"ana", door.VerdictDeny, lanyard.EAlreadyInside},
	} {
		v, r := staff.scan(door.ScanRequest{Door: "o:A:Two", Token: e.token(tc.who), Nonce: nonce()})
		if v.Verdict != tc.verdict || v.Code != tc.code {
			t.Errorf("%s at the overflow door: %d %+v, want %s %s", tc.who, r.Status, v, tc.verdict, tc.code)
		}
	}
	// Overflow full too: denied, in Korean for a Korean staff member.
	staff.Lang = "ko"
	v, _ := staff.scan(door.ScanRequest{Door: "s:A", Token: e.token("fay"), Nonce: nonce()})
	if v.Verdict != door.VerdictDeny || v.Code != lanyard.EWalkupFull || !strings.Contains(v.Message, "현장 좌석") {
		t.Errorf("fay with every seat taken: %+v, want a deny in Korean", v)
	}
	staff.Lang = ""
	// A replaced badge: the old one no longer admits.
	old := e.token("organizer")
	if _, err := e.db.ReplaceBadge(ctx, e.people["organizer"].ID); err != nil {
		t.Fatal(err)
	}
	if v, _ := staff.scan(door.ScanRequest{Door: "s:B", Token: old, Nonce: nonce()}); v.Verdict != door.VerdictDeny || v.Code != lanyard.EBadgeReplaced {
		t.Errorf("replaced badge: %+v", v)
	}
	// Outside the window: B's door after it ended.
	e.setClock(at(2, 11, 5))
	if v, _ := staff.scan(door.ScanRequest{Door: "s:B", Token: e.token("bo"), Nonce: nonce()}); v.Verdict != door.VerdictDeny || v.Code != lanyard.EDoorClosed {
		t.Errorf("after the end: %+v", v)
	}
	n, err := e.db.DoorScanCount(ctx, e.ev.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if n != 12 {
		t.Errorf("door_scans rows: %d, want 12 (the retry is one)", n)
	}
}

// Bad input is refused with a status and a code, and changes nothing.
func TestScanBadInput(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	staff := e.signIn("staff")
	forged := []byte(e.token("ana"))
	forged[len(forged)-2] ^= 1
	for _, tc := range []struct {
		name   string
		req    any
		status int
		code   string
	}{
		{"forged token", door.ScanRequest{Door: "s:A", Token: string(forged), Nonce: nonce()}, 400, lanyard.EBadgeInvalid},
		{"not a token", door.ScanRequest{Door: "s:A", Token: "HELLO", Nonce: nonce()}, 400, lanyard.EBadgeInvalid},
		{"long token", door.ScanRequest{Door: "s:A", Token: strings.Repeat("A", 500), Nonce: nonce()}, 400, lanyard.EBadgeInvalid},
		{"no nonce", door.ScanRequest{Door: "s:A", Token: e.token("ana")}, 400, lanyard.EINVALID},
		{"short nonce", door.ScanRequest{Door: "s:A", Token: e.token("ana"), Nonce: "abc"}, 400, lanyard.EINVALID},
		{"no badge", door.ScanRequest{Door: "s:A", Nonce: nonce()}, 400, lanyard.EINVALID},
		{"bad door", door.ScanRequest{Door: "x:A", Token: e.token("ana"), Nonce: nonce()}, 400, lanyard.EINVALID},
		{"unknown session", door.ScanRequest{Door: "s:NOPE", Token: e.token("ana"), Nonce: nonce()}, 404, lanyard.ENOTFOUND},
		{"unknown overflow", door.ScanRequest{Door: "o:A:Hall", Token: e.token("ana"), Nonce: nonce()}, 404, lanyard.ENOTFOUND},
		{"unknown attendee", door.ScanRequest{Door: "s:A", AttendeeID: 99999, Nonce: nonce()}, 404, lanyard.ENOTFOUND},
		{"out at a session", door.ScanRequest{Door: "s:A", Token: e.token("ana"), Nonce: nonce(), Mode: "out"}, 400, lanyard.EINVALID},
		{"place without places", door.ScanRequest{Door: "p:lounge", Token: e.token("ana"), Nonce: nonce()}, 404, lanyard.ENOTFOUND},
		{"unknown field", map[string]any{"door": "s:A", "nonce": nonce(), "attendee_id": 1, "admit": true}, 400, lanyard.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := staff.PostJSON("/door/api/scan", tc.req)
			if r.Status != tc.status || errorCode(t, r) != tc.code {
				t.Errorf("%d %s, want %d %s", r.Status, r.Body, tc.status, tc.code)
			}
		})
	}
	if r := staff.Send("POST", "/door/api/scan", "application/json", strings.NewReader("{")); r.Status != 400 {
		t.Errorf("broken JSON: %d", r.Status)
	}
	n, _ := e.db.DoorScanCount(context.Background(), e.ev.ID, "")
	st, _ := e.eng.DoorState(context.Background(), "A")
	if n != 0 || st.Inside != 0 {
		t.Errorf("after bad input: %d scans recorded, %d inside; want nothing", n, st.Inside)
	}
}

// A sync applies a device's queued scans once: sent again, it changes
// nothing. An offline admission the engine refuses (admitted at another
// door first; more walk-ups than seats) is a conflict on the
// supervisor's page, never forced through.
func TestSync(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) { testsync(t, db) })
}

func testsync(t *testing.T, db *store.DB) {
	e := newEnv(t, db)
	ctx := context.Background()
	staff, other := e.signIn("staff"), e.signIn("staff2")
	// Another door admitted cy first.
	if v, _ := other.scan(door.ScanRequest{Door: "s:A", Token: e.token("cy"), Nonce: nonce()}); v.Verdict != door.VerdictAdmitWalkup {
		t.Fatalf("cy at the other door: %+v", v)
	}
	scanned := e.clock.Load().Add(-time.Minute)
	items := []door.SyncItem{
		{ScanRequest: door.ScanRequest{Door: "s:A", Token: e.token("ana"), Nonce: nonce(), ScannedAt: scanned, Verdict: door.VerdictAdmit}},
		{ScanRequest: door.ScanRequest{Door: "s:A", Token: e.token("cy"), Nonce: nonce(), ScannedAt: scanned, Verdict: door.VerdictAdmitWalkup}},
		{ScanRequest: door.ScanRequest{Door: "s:A", Token: e.token("dee"), Nonce: nonce(), ScannedAt: scanned, Verdict: door.VerdictAdmitWalkup}},
		{ScanRequest: door.ScanRequest{Door: "s:A", Token: "LY1BOGUS", Nonce: nonce(), ScannedAt: scanned, Verdict: door.VerdictDeny}, Code: "badge_invalid"},
	}
	sync := func() []door.SyncResult {
		t.Helper()
		r := staff.PostJSON("/door/api/sync", map[string]any{"scans": items})
		if r.Status != http.StatusOK {
			t.Fatalf("sync: %d %s", r.Status, r.Body)
		}
		var body struct{ Results []door.SyncResult }
		if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
			t.Fatal(err)
		}
		return body.Results
	}
	first := sync()
	want := []struct{ verdict, conflict string }{
		{door.VerdictAdmit, ""}, {door.VerdictDeny, door.ConflictTwoDoors}, {door.VerdictAdmitWalkup, ""}, {door.VerdictDeny, ""},
	}
	for i, w := range want {
		if first[i].Verdict == nil || first[i].Verdict.Verdict != w.verdict || first[i].Conflict != w.conflict {
			t.Errorf("scan %d: %+v %+v, want %s %q", i, first[i], first[i].Verdict, w.verdict, w.conflict)
		}
	}
	state := func() (int, int, int) {
		n, _ := e.db.DoorScanCount(ctx, e.ev.ID, "s:A")
		c, _ := e.db.DoorConflictCount(ctx, e.ev.ID)
		st, _ := e.eng.DoorState(ctx, "A")
		return n, c, st.Inside
	}
	s1, c1, in1 := state()
	if s1 != 5 || c1 != 1 || in1 != 3 {
		t.Errorf("after sync: %d scans, %d conflicts, %d inside; want 5, 1, 3", s1, c1, in1)
	}
	second := sync()
	for i := range first {
		a, b := first[i].Verdict, second[i].Verdict
		if a.Verdict != b.Verdict || a.Code != b.Code || a.AttendeeID != b.AttendeeID || first[i].Conflict != second[i].Conflict {
			t.Errorf("scan %d synced again: %+v, first %+v", i, second[i].Verdict, first[i].Verdict)
		}
	}
	if s2, c2, in2 := state(); s2 != s1 || c2 != c1 || in2 != in1 {
		t.Errorf("a repeated sync changed something: %d/%d/%d, was %d/%d/%d", s2, c2, in2, s1, c1, in1)
	}
	// More walk-ups than seats: A's room has none left, its overflow two.
	more := []door.SyncItem{}
	for _, who := range []string{"eve", "fay", "bo"} {
		more = append(more, door.SyncItem{ScanRequest: door.ScanRequest{Door: "s:A", Token: e.token(who), Nonce: nonce(), ScannedAt: scanned, Verdict: door.VerdictAdmitWalkup}})
	}
	items = more
	res := sync()
	if res[2].Conflict != door.ConflictWalkupsOver {
		t.Errorf("the walk-up past every seat: %+v, want walkups_over", res[2])
	}
	// The supervisor sees both; staff may not.
	page := e.signIn("organizer").Get("/door/conflicts")
	if page.Status != 200 || strings.Count(page.Body, `data-kind="`) != 2 || !strings.Contains(page.Body, "Person cy") || !strings.Contains(page.Body, "Admitted at two doors") {
		t.Errorf("conflicts page: %d\n%s", page.Status, page.Body)
	}
	if r := staff.Get("/door/conflicts"); r.Status != http.StatusForbidden {
		t.Errorf("staff on the conflicts page: %d", r.Status)
	}
	// Too many, or none.
	if r := staff.PostJSON("/door/api/sync", map[string]any{"scans": []any{}}); r.Status != 400 {
		t.Errorf("empty sync: %d", r.Status)
	}
	if r := staff.PostJSON("/door/api/sync", map[string]any{"scans": []map[string]any{{"door": "s:A", "nonce": nonce(), "attendee_id": 1, "verdict": "maybe"}}}); !strings.Contains(r.Body, `"invalid"`) {
		t.Errorf("unknown device verdict: %s", r.Body)
	}
}

// The stats page counts scans per minute, admitted by kind and denials by
// reason.
func TestStats(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	staff := e.signIn("staff")
	staff.scan(door.ScanRequest{Door: "s:A", Token: e.token("ana"), Nonce: nonce()})
	staff.scan(door.ScanRequest{Door: "s:A", Token: e.token("ana"), Nonce: nonce()})
	staff.scan(door.ScanRequest{Door: "s:A", Token: e.token("cy"), Nonce: nonce()})
	r := staff.Get("/door/stats?door=s:A")
	if r.Status != 200 {
		t.Fatalf("stats: %d", r.Status)
	}
	for _, want := range []string{"in the last hour: 3", "<th>Reserved</th><td class=\"num\">1</td>", "<th>Walk-up</th><td class=\"num\">1</td>", "Already inside"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("stats page lacks %q", want)
		}
	}
	if r := staff.Get("/door/stats?door=zz"); r.Status != 400 {
		t.Errorf("stats of no door: %d", r.Status)
	}
}

// Name search needs three characters and returns at most ten.
func TestSearch(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	staff := e.signIn("staff")
	if r := staff.Get("/door/api/search?q=Pe"); r.Status != 400 || errorCode(t, r) != lanyard.EINVALID {
		t.Errorf("two characters: %d %s", r.Status, r.Body)
	}
	r := staff.Get("/door/api/search?q=person")
	var body struct{ Results []struct{ ID int64 } }
	json.Unmarshal([]byte(r.Body), &body)
	if r.Status != 200 || len(body.Results) != 10 {
		t.Errorf("search of 11 people: %d, %d results, want 10", r.Status, len(body.Results))
	}
}

// Handlers take the engine from the request, never from the Engine field.
func TestEngineFromRequest(t *testing.T) {
	routetest.EngineFieldCalls(t, ".")
}

// On a cluster node (Engine nil), the routes that call the engine are
// forwarded to the lease holder, and the others answer without one.
func TestClusterNode(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	ctx := context.Background()
	var cur atomic.Pointer[catalog.Catalog]
	cat, err := catalog.Load(ctx, e.db, e.ev)
	if err != nil {
		t.Fatal(err)
	}
	cur.Store(cat)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	pages := &web.Handler{Catalog: &cur, Store: e.db, Sessions: web.NewSessions(store.SessionStore{DB: e.db}), Hasher: auth.NewHasher(2), Log: log, Badges: e.badges}
	var forwarded atomic.Int64
	mux := http.NewServeMux()
	rt := &route.Table{Mux: mux, Forward: func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			forwarded.Add(1) // the holder serves it with its engine
			next.ServeHTTP(w, r.WithContext(reserve.NewContext(r.Context(), e.eng)))
		})
	}}
	pages.Routes(rt)
	shell, err := door.NewShell(pages)
	if err != nil {
		t.Fatal(err)
	}
	(&door.Handler{Shell: shell, Catalog: &cur, Store: e.db, Badges: e.badges, Log: log}).Routes(rt)
	srv := httptest.NewTLSServer(mux)
	defer srv.Close()
	node := *e
	node.srv = srv
	staff := node.signIn("organizer")
	for _, r := range rt.Routes() {
		method, path, _ := strings.Cut(r.Pattern, " ")
		if !strings.HasPrefix(path, "/door") || strings.Contains(path, "{") {
			continue
		}
		before := forwarded.Load()
		var res *webtest.Resp
		if method == "POST" {
			res = staff.PostJSON(path, map[string]any{"door": "s:A", "nonce": nonce(), "attendee_id": e.people["ana"].ID, "scans": nil})
		} else {
			res = staff.Get(path + "?door=s:A&q=person")
		}
		if res.Status >= 500 {
			t.Errorf("%s on a node without an engine: %d %s", r.Pattern, res.Status, res.Body)
		}
		if got := forwarded.Load() > before; got != r.Need.Ledger(httptest.NewRequest(method, path, nil)) {
			t.Errorf("%s: forwarded %v", r.Pattern, got)
		}
	}
}

// The door's words exist in English and Korean alike.
func TestLocalesMatch(t *testing.T) {
	keys := func(lang string) map[string]bool {
		b, err := os.ReadFile("locales/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for k := range m {
			out[k] = true
		}
		return out
	}
	en, ko := keys("en"), keys("ko")
	for k := range en {
		if !ko[k] {
			t.Errorf("%s: in en.json, not in ko.json", k)
		}
	}
	for k := range ko {
		if !en[k] {
			t.Errorf("%s: in ko.json, not in en.json", k)
		}
	}
}

// The scanner page carries the script's words in the staff member's
// language, placeholders for the script to fill.
func TestAppPageWords(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	staff := e.signIn("staff")
	staff.Lang = "ko"
	r := staff.Get("/door/app?door=s:A")
	if r.Status != 200 {
		t.Fatalf("app page: %d", r.Status)
	}
	m := regexp.MustCompile(`(?s)<script type="application/json" id="door-words">(.*?)</script>`).FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatal("no words for the script")
	}
	var words map[string]string
	if err := json.Unmarshal([]byte(m[1]), &words); err != nil {
		t.Fatalf("words %q: %v", m[1], err)
	}
	for k, want := range map[string]string{"admit_walkup": "{left}", "overflow": "{room}", "door_not_open": "{time}", "other_session": "{session}", "word_deny": "거절"} {
		if !strings.Contains(words[k], want) {
			t.Errorf("%s = %q, want it to hold %q", k, words[k], want)
		}
	}
	for k, w := range words {
		if strings.Contains(w, "<no value>") || strings.HasPrefix(w, "door.") {
			t.Errorf("%s = %q: a missing word", k, w)
		}
	}
	if !strings.Contains(r.Body, `<html lang="ko">`) || !strings.Contains(r.Body, `rel="manifest"`) {
		t.Error("the page is not in Korean, or has no manifest")
	}
}
