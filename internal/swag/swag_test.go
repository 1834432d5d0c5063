package swag_test

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
	"sync/atomic"
	"testing"

	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/badge"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/route/routetest"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
	"github.com/lanyardhq/lanyard/internal/swag"
	"github.com/lanyardhq/lanyard/internal/web"
	"github.com/lanyardhq/lanyard/internal/web/webtest"
)

// env is the web app and the swag pages over TLS on a fresh database with
// an engine, two exhibitors (acme staffed by "exhibitor", globex by
// "exhibitor2"), an exhibitor staffing none, and attendees.
type env struct {
	t      *testing.T
	db     *store.DB
	ev     *lanyard.Event
	badges *badge.Service
	engine *reserve.Engine
	srv    *httptest.Server
	people map[string]*lanyard.Attendee
	acme   lanyard.Exhibitor
	globex lanyard.Exhibitor
	routes *route.Table
}

func newEnv(t *testing.T, db *store.DB) *env { return newEnvEngine(t, db, true) }

// newEnvEngine is newEnv; without withEngine the pages are served as a
// cluster node without the lease serves them: no engine, so only the
// any-node routes may answer.
func newEnvEngine(t *testing.T, db *store.DB, withEngine bool) *env {
	t.Helper()
	ctx := context.Background()
	lc := &lanyard.Catalog{
		Event:  lanyard.Event{Slug: "swag-conf", Name: "Swag Conf", TimeZone: "America/Los_Angeles", StartDate: "2026-12-01", Days: 2},
		Venues: []lanyard.Venue{{Code: "v", Name: "Venue", Rooms: []lanyard.Room{{Name: "Hall", Capacity: 100}}}},
	}
	ev, cur := webtest.Import(t, db, lc)
	cat := cur.Load()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	eng, err := reserve.Open(ctx, db, cat, reserve.Options{Tick: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(eng.Close)
	badges := &badge.Service{DB: db, Event: ev}
	var engine reserve.Seats = eng
	if !withEngine {
		engine = nil
	}
	pages := &web.Handler{Catalog: cur, Engine: engine, Store: db, Sessions: web.NewSessions(store.SessionStore{DB: db}), Hasher: auth.NewHasher(2), Badges: badges, Log: log}
	mux := http.NewServeMux()
	rt := &route.Table{Mux: mux}
	pages.Routes(rt)
	shell, err := swag.NewShell(pages)
	if err != nil {
		t.Fatal(err)
	}
	(&swag.Handler{Shell: shell, Catalog: cur, Engine: engine, Store: db, Badges: badges, Log: log}).Routes(rt)
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	e := &env{t: t, db: db, ev: ev, badges: badges, engine: eng, srv: srv, people: map[string]*lanyard.Attendee{}, routes: rt}
	for _, p := range []struct {
		name string
		role lanyard.Role
	}{{"a", lanyard.RoleAttendee}, {"b", lanyard.RoleAttendee}, {"c", lanyard.RoleAttendee}, {"exhibitor", lanyard.RoleExhibitor},
		{"exhibitor2", lanyard.RoleExhibitor}, {"loner", lanyard.RoleExhibitor}, {"staff", lanyard.RoleStaff}, {"organizer", lanyard.RoleOrganizer}} {
		a := &lanyard.Attendee{Name: "Person " + p.name, Email: p.name + "@example.com", Role: p.role}
		webtest.SignUp(t, db, ev.ID, a)
		e.people[p.name] = a
	}
	if e.acme, err = db.PutExhibitor(ctx, ev.ID, lanyard.Exhibitor{Code: "acme", Name: "Acme", Booth: "101"}); err != nil {
		t.Fatal(err)
	}
	if e.globex, err = db.PutExhibitor(ctx, ev.ID, lanyard.Exhibitor{Code: "globex", Name: "Globex", Booth: "202"}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetExhibitorStaff(ctx, e.acme.ID, e.people["exhibitor"].ID); err != nil {
		t.Fatal(err)
	}
	if err := db.SetExhibitorStaff(ctx, e.globex.ID, e.people["exhibitor2"].ID); err != nil {
		t.Fatal(err)
	}
	return e
}

// token is the current badge token of a person.
func (e *env) token(name string) string {
	e.t.Helper()
	tok, _, err := e.badges.Token(context.Background(), e.people[name])
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// client is one browser of the test server.
type client struct{ *webtest.Client }

func (e *env) client() *client { return &client{webtest.NewClient(e.t, e.srv)} }

func (e *env) signIn(name string) *client {
	e.t.Helper()
	c := e.client()
	c.SignIn(e.people[name].Email, webtest.Password)
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

func dataCode(body, id string) string {
	m := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*data-code="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

func (e *env) item(name string, stock int) lanyard.SwagItem {
	e.t.Helper()
	items, err := e.db.SwagItemsOf(context.Background(), e.ev.ID, e.acme.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, v := range items {
		if v.Name == name && v.Stock == stock {
			return v.SwagItem
		}
	}
	e.t.Fatalf("no item %s (stock %d) in %+v", name, stock, items)
	return lanyard.SwagItem{}
}

// TestExhibitorClaims: an exhibitor adds an item, claims it by scanning
// badges until the stock is gone, and sees each rule refuse; the
// attendee's page shows the stock and their own claim.
func TestExhibitorClaims(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		x := e.signIn("exhibitor")
		if r := x.Post("/exhibitor/swag/items", url.Values{"kind": {"item"}, "name": {"Socks"}, "stock": {"2"}, "nonce": {"n1"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("add item: %d %s", r.Status, byID(r.Body, "item-error"))
		}
		for _, bad := range []url.Values{
			{"kind": {"item"}, "name": {""}, "stock": {"2"}},
			{"kind": {"item"}, "name": {"Hat"}, "stock": {"-1"}},
			{"kind": {"gift"}, "name": {"Hat"}, "stock": {"1"}},
			{"kind": {"item"}, "name": {"Hat"}, "stock": {"many"}},
		} {
			if r := x.Post("/exhibitor/swag/items", bad); r.Status != http.StatusUnprocessableEntity || r.Code() != lanyard.EINVALID {
				t.Fatalf("bad item %v: %d %s", bad, r.Status, r.Code())
			}
		}
		socks := e.item("Socks", 2)
		page := x.Get("/exhibitor/swag")
		if page.Status != 200 || !strings.Contains(page.Body, `data-item="`+fmt.Sprint(socks.ID)+`"`) {
			t.Fatalf("exhibitor page: %d", page.Status)
		}
		steps := []struct {
			name, code  string
			status      int
			want        string
			wantClaimed int
		}{
			{"first", e.token("a"), 200, "claimed", 1},
			{"again", e.token("a"), 409, lanyard.ESwagClaimed, 1},
			{"in a link, lower-cased by a wedge", "https://x.example/b/" + strings.ToLower(e.token("b")), 200, "claimed", 2},
			{"none left", e.token("c"), 409, lanyard.ESwagOutOfStock, 2},
			{"not a badge", "hello", 400, lanyard.EBadgeInvalid, 2},
			{"empty", "", 400, lanyard.EINVALID, 2},
		}
		for i, s := range steps {
			r := x.Post("/exhibitor/swag/claim", url.Values{"item": {fmt.Sprint(socks.ID)}, "code": {s.code}, "nonce": {fmt.Sprint("c", i)}})
			if r.Status != s.status || dataCode(r.Body, "swag-verdict") != s.want {
				t.Fatalf("%s: %d %q (%s)", s.name, r.Status, dataCode(r.Body, "swag-verdict"), byID(r.Body, "swag-verdict"))
			}
			if v, _ := db.SwagItem(context.Background(), e.ev.ID, socks.ID); v.Claimed != s.wantClaimed {
				t.Fatalf("%s: %d claimed, want %d", s.name, v.Claimed, s.wantClaimed)
			}
		}
		// A resent form (same nonce) answers the first verdict.
		if r := x.Post("/exhibitor/swag/claim", url.Values{"item": {fmt.Sprint(socks.ID)}, "code": {e.token("a")}, "nonce": {"c0"}}); r.Status != 200 || dataCode(r.Body, "swag-verdict") != "claimed" {
			t.Fatalf("resent form: %d %s", r.Status, dataCode(r.Body, "swag-verdict"))
		}
		// The attendee sees the stock and their claim; anyone reads the counts.
		a := e.signIn("a")
		booth := a.Get("/swag/acme")
		if booth.Status != 200 || !strings.Contains(booth.Body, "swag-mine") || !strings.Contains(booth.Body, `<span class="left">0</span>`) {
			t.Fatalf("booth page: %d %s", booth.Status, booth.Body)
		}
		if c := e.signIn("c").Get("/swag/acme"); strings.Contains(c.Body, "swag-mine") {
			t.Fatal("c sees a claim they never made")
		}
		var stock struct{ Items []lanyard.SwagStock }
		s := e.client().Get("/swag/acme/stock")
		if err := json.Unmarshal([]byte(s.Body), &stock); err != nil || s.Status != 200 || len(stock.Items) != 1 || stock.Items[0] != lanyard.StockOf(socks.ID, 2, 2) {
			t.Fatalf("stock json: %d %s", s.Status, s.Body)
		}
		if r := a.Get("/swag/nobody"); r.Status != 404 {
			t.Fatalf("unknown booth: %d", r.Status)
		}
		// Restocking: never below the claims.
		if r := x.Post("/exhibitor/swag/items", url.Values{"id": {fmt.Sprint(socks.ID)}, "kind": {"item"}, "name": {"Socks"}, "stock": {"1"}}); r.Status != 422 {
			t.Fatalf("stock below claims: %d", r.Status)
		}
		if r := x.Post("/exhibitor/swag/items", url.Values{"id": {fmt.Sprint(socks.ID)}, "kind": {"item"}, "name": {"Socks"}, "stock": {"3"}}); r.Status != 303 {
			t.Fatalf("restock: %d", r.Status)
		}
		if r := x.Post("/exhibitor/swag/claim", url.Values{"item": {fmt.Sprint(socks.ID)}, "code": {e.token("c")}}); r.Status != 200 {
			t.Fatalf("claim after restock: %d", r.Status)
		}
		// Another company's staff cannot touch acme's item.
		x2 := e.signIn("exhibitor2")
		if r := x2.Post("/exhibitor/swag/claim", url.Values{"item": {fmt.Sprint(socks.ID)}, "code": {e.token("b")}}); r.Status != 404 {
			t.Fatalf("globex claims acme's item: %d", r.Status)
		}
		if r := x2.Post("/exhibitor/swag/items", url.Values{"id": {fmt.Sprint(socks.ID)}, "kind": {"item"}, "name": {"Mine now"}, "stock": {"9"}}); r.Status != 404 && r.Status != 403 {
			t.Fatalf("globex edits acme's item: %d", r.Status)
		}
		if v, _ := db.SwagItem(context.Background(), e.ev.ID, socks.ID); v.Name != "Socks" || v.Stock != 3 || v.Claimed != 3 {
			t.Fatalf("acme's item after globex tried: %+v", v)
		}
	})
}

// TestScanAPIAndSync: the JSON claim answers a verdict, and a sync of
// queued scans is idempotent by nonce.
func TestScanAPIAndSync(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		it, err := e.engine.SwagPut(context.Background(), 0, 0, "", lanyard.SwagItem{ExhibitorID: e.acme.ID, Name: "Mug", Stock: 2})
		if err != nil {
			t.Fatal(err)
		}
		x := e.signIn("exhibitor")
		var v swag.Verdict
		r := x.PostJSON("/exhibitor/swag/api/claim", swag.ScanRequest{Item: it.ID, Code: e.token("a"), Nonce: "n-a"})
		if json.Unmarshal([]byte(r.Body), &v); r.Status != 200 || !v.OK || v.Left != 1 || v.Name != "Person a" {
			t.Fatalf("api claim: %d %s", r.Status, r.Body)
		}
		if r := x.PostJSON("/exhibitor/swag/api/claim", swag.ScanRequest{Item: it.ID, Code: "nope"}); r.Status != 400 || !strings.Contains(r.Body, lanyard.EBadgeInvalid) {
			t.Fatalf("api bad badge: %d %s", r.Status, r.Body)
		}
		if r := x.Send("POST", "/exhibitor/swag/api/claim", "application/json", strings.NewReader("{")); r.Status != 400 {
			t.Fatalf("api bad json: %d", r.Status)
		}
		scans := map[string]any{"scans": []swag.ScanRequest{
			{Item: it.ID, Token: e.token("a"), Nonce: "n-a"}, // the online scan again
			{Item: it.ID, Token: e.token("b"), Nonce: "n-b"},
			{Item: it.ID, Token: e.token("c"), Nonce: "n-c"},
			{Item: it.ID, Token: "garbage", Nonce: "n-d"},
		}}
		want := []string{"claimed", "claimed", lanyard.ESwagOutOfStock, lanyard.EBadgeInvalid}
		for round := range 2 {
			var out struct{ Results []swag.Verdict }
			r := x.PostJSON("/exhibitor/swag/api/sync", scans)
			if err := json.Unmarshal([]byte(r.Body), &out); err != nil || r.Status != 200 || len(out.Results) != len(want) {
				t.Fatalf("sync %d: %d %s", round, r.Status, r.Body)
			}
			for i, w := range want {
				if out.Results[i].Code != w {
					t.Fatalf("sync %d scan %d: %+v, want %s", round, i, out.Results[i], w)
				}
			}
		}
		if v, _ := db.SwagItem(context.Background(), e.ev.ID, it.ID); v.Claimed != 2 {
			t.Fatalf("%d claimed after two syncs", v.Claimed)
		}
		if r := e.signIn("a").PostJSON("/exhibitor/swag/api/claim", swag.ScanRequest{Item: it.ID, Code: e.token("b")}); r.Status != 403 {
			t.Fatalf("an attendee's api claim: %d", r.Status)
		}
		if r := e.client().PostJSON("/exhibitor/swag/api/claim", swag.ScanRequest{Item: it.ID, Code: e.token("b")}); r.Status != 401 {
			t.Fatalf("anonymous api claim: %d", r.Status)
		}
	})
}

// TestAuthorization walks every swag page for each kind of visitor.
func TestAuthorization(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		cases := []struct {
			who, method, path string
			want              int
		}{
			{"", "GET", "/exhibitor/swag", 303},
			{"", "POST", "/exhibitor/swag/claim", 401},
			{"", "GET", "/passport", 303},
			{"", "GET", "/swag/acme", 303},
			{"a", "GET", "/exhibitor/swag", 403},
			{"a", "POST", "/exhibitor/swag/items", 403},
			{"a", "POST", "/exhibitor/swag/stamp", 403},
			{"a", "GET", "/passport/setup", 403},
			{"a", "GET", "/passport/desk", 403},
			{"a", "POST", "/passport/desk", 403},
			{"exhibitor", "GET", "/passport/desk", 403},
			{"exhibitor", "POST", "/passport/setup", 403},
			{"staff", "GET", "/exhibitor/swag", 403},
			{"staff", "POST", "/passport/setup", 403},
			{"staff", "GET", "/passport/desk", 200},
			{"loner", "GET", "/exhibitor/swag", 403},
			{"loner", "POST", "/exhibitor/swag/claim", 403},
			{"organizer", "GET", "/passport/setup", 200},
			{"exhibitor", "GET", "/exhibitor/swag", 200},
			{"a", "GET", "/swag/acme", 200},
			{"", "GET", "/swag/acme/stock", 200},
		}
		clients := map[string]*client{"": e.client()}
		for _, c := range cases {
			cl, ok := clients[c.who]
			if !ok {
				cl = e.signIn(c.who)
				clients[c.who] = cl
			}
			r := cl.Send(c.method, c.path, "application/x-www-form-urlencoded", strings.NewReader(""))
			if r.Status != c.want {
				t.Errorf("%s %s as %q: %d, want %d", c.method, c.path, c.who, r.Status, c.want)
			}
		}
	})
}

// TestPassport: organizers set it up; booth staff stamp by scan; the desk
// hands the prize once, and only when earned.
func TestPassport(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		a := e.signIn("a")
		if r := a.Get("/passport"); r.Status != 404 {
			t.Fatalf("no passport yet: %d", r.Status)
		}
		org := e.signIn("organizer")
		if r := org.Post("/passport/setup", url.Values{"name": {"Expo passport"}, "prize": {"A hoodie"}, "needed": {"3"}, "booth": {fmt.Sprint(e.acme.ID), fmt.Sprint(e.globex.ID)}}); r.Status != 422 {
			t.Fatalf("needs more than listed: %d", r.Status)
		}
		if r := org.Post("/passport/setup", url.Values{"name": {"Expo passport"}, "prize": {"A hoodie"}, "needed": {"2"}, "booth": {fmt.Sprint(e.acme.ID), fmt.Sprint(e.globex.ID)}}); r.Status != 303 {
			t.Fatalf("setup: %d", r.Status)
		}
		if r := org.Get("/passport/setup"); !strings.Contains(r.Body, `value="`+fmt.Sprint(e.acme.ID)+`" checked`) {
			t.Fatal("the setup page does not show acme listed")
		}
		staff := e.signIn("staff")
		hand := func(name string) *webtest.Resp {
			return staff.Post("/passport/desk", url.Values{"code": {e.token(name)}})
		}
		if r := hand("a"); r.Status != 409 || dataCode(r.Body, "desk-verdict") != lanyard.EPrizeNotEarned {
			t.Fatalf("prize before stamps: %d %s", r.Status, dataCode(r.Body, "desk-verdict"))
		}
		x, x2 := e.signIn("exhibitor"), e.signIn("exhibitor2")
		if r := x.Post("/exhibitor/swag/stamp", url.Values{"code": {e.token("a")}}); r.Status != 200 || dataCode(r.Body, "stamp-verdict") != "stamped" {
			t.Fatalf("stamp: %d %s", r.Status, byID(r.Body, "stamp-verdict"))
		}
		x.Post("/exhibitor/swag/stamp", url.Values{"code": {e.token("a")}}) // twice counts once
		if r := hand("a"); r.Status != 409 {
			t.Fatalf("prize with one booth of two: %d", r.Status)
		}
		if r := a.Get("/passport"); r.Status != 200 || !strings.Contains(byID(r.Body, "passport-progress"), "1 of 2") {
			t.Fatalf("progress: %d %q", r.Status, byID(r.Body, "passport-progress"))
		}
		if r := x2.Post("/exhibitor/swag/stamp", url.Values{"code": {e.token("a")}}); r.Status != 200 {
			t.Fatalf("second stamp: %d", r.Status)
		}
		if r := hand("a"); r.Status != 200 || dataCode(r.Body, "desk-verdict") != "handed" {
			t.Fatalf("prize: %d %s", r.Status, byID(r.Body, "desk-verdict"))
		}
		if r := hand("a"); r.Status != 409 || dataCode(r.Body, "desk-verdict") != lanyard.EPrizeHanded {
			t.Fatalf("prize twice: %d %s", r.Status, dataCode(r.Body, "desk-verdict"))
		}
		if r := a.Get("/passport"); byID(r.Body, "passport-handed") == "" {
			t.Fatal("the passport does not say the prize was handed")
		}
		// Two desks scanning one earned badge at once hand one prize.
		x.Post("/exhibitor/swag/stamp", url.Values{"code": {e.token("b")}})
		x2.Post("/exhibitor/swag/stamp", url.Values{"code": {e.token("b")}})
		var wg sync.WaitGroup
		var handed atomic.Int32
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if hand("b").Status == 200 {
					handed.Add(1)
				}
			}()
		}
		wg.Wait()
		if handed.Load() != 1 {
			t.Fatalf("%d prizes handed to b", handed.Load())
		}
		// A booth off the list cannot stamp.
		if err := db.PassportPut(context.Background(), e.ev.ID, lanyard.Passport{Name: "P", Prize: "Q", Needed: 1, Booths: []int64{e.acme.ID}}); err != nil {
			t.Fatal(err)
		}
		if r := x2.Post("/exhibitor/swag/stamp", url.Values{"code": {e.token("c")}}); r.Status != 400 || byID(r.Body, "stamp-verdict") == "" {
			t.Fatalf("stamp off the list: %d", r.Status)
		}
	})
}

// Handlers take the engine from the request, never from the Engine field
// (nil on a cluster node).
func TestEngineFromRequest(t *testing.T) { routetest.EngineFieldCalls(t, ".") }

// The any-node routes answer on a node that holds no engine (a cluster
// node without the lease), and every page refuses an anonymous visitor.
func TestAnyNodeRoutesAndAnonymous(t *testing.T) {
	db := storetest.OpenSQLite(t)
	e := newEnvEngine(t, db, false)
	for _, c := range []struct{ who, path string }{
		{"exhibitor", "/exhibitor/swag"}, {"a", "/swag/acme"}, {"", "/swag/acme/stock"},
		{"staff", "/passport/desk"}, {"organizer", "/passport/setup"},
	} {
		cl := e.client()
		if c.who != "" {
			cl = e.signIn(c.who)
		}
		if r := cl.Get(c.path); r.Status != 200 {
			t.Errorf("%s as %q on a node without an engine: %d", c.path, c.who, r.Status)
		}
	}
	full := newEnv(t, storetest.OpenSQLite(t))
	anon := full.client()
	for _, p := range full.routes.Patterns() {
		method, path, _ := strings.Cut(p, " ")
		if !strings.HasPrefix(path, "/exhibitor/swag") && !strings.HasPrefix(path, "/passport") && !strings.HasPrefix(path, "/swag/{code}") {
			continue
		}
		path = strings.ReplaceAll(path, "{code}", "acme")
		r := anon.Send(method, path, "application/x-www-form-urlencoded", strings.NewReader(""))
		if path == "/swag/acme/stock" {
			continue // counts only: public
		}
		if r.Status != 303 && r.Status != 401 {
			t.Errorf("%s %s anonymous: %d", method, path, r.Status)
		}
	}
}
