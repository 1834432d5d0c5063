package expo_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/expo"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
	"github.com/lanyardhq/lanyard/internal/web"
	"github.com/lanyardhq/lanyard/internal/web/webtest"

	_ "modernc.org/sqlite"
)

// env is the web app and the expo over TLS on a fresh database, with one
// person of each role (the exhibitor staffs Acme) and a second exhibitor
// account staffing Bolt.
type env struct {
	t      testing.TB
	db     *store.DB
	ev     *lanyard.Event
	srv    *httptest.Server
	people map[string]*lanyard.Attendee
	acme   lanyard.Exhibitor
	bolt   lanyard.Exhibitor
	engine *reserve.Engine
}

func newEnv(t testing.TB, db *store.DB) *env { return newEnvOn(t, db, false) }

// newEnvOn is newEnv; with clusterNode the handler holds no engine and
// each request carries one, as a cluster node serves a ledger route.
func newEnvOn(t testing.TB, db *store.DB, clusterNode bool) *env {
	t.Helper()
	ctx := context.Background()
	lc := &lanyard.Catalog{
		Event:  lanyard.Event{Slug: "expo-conf", Name: "Expo Conf", TimeZone: "America/Los_Angeles", StartDate: "2026-12-01", Days: 3},
		Venues: []lanyard.Venue{{Code: "v", Name: "Venue", Rooms: []lanyard.Room{{Name: "Hall", Capacity: 100}}}},
	}
	ev, cur := webtest.Import(t, db, lc)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	pages := &web.Handler{Catalog: cur, Store: db, Sessions: web.NewSessions(store.SessionStore{DB: db}), Hasher: auth.NewHasher(2), Log: log}
	mux := http.NewServeMux()
	rt := &route.Table{Mux: mux}
	pages.Routes(rt)
	shell, err := expo.NewShell(pages)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := reserve.Open(ctx, db, cur.Load(), reserve.Options{Tick: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(eng.Close)
	h := &expo.Handler{Shell: shell, Catalog: cur, Store: db, Log: log, Engine: eng}
	var serve http.Handler = mux
	if clusterNode {
		h.Engine = nil
		serve = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mux.ServeHTTP(w, r.WithContext(reserve.NewContext(r.Context(), eng)))
		})
	}
	h.Routes(rt)
	srv := httptest.NewTLSServer(serve)
	t.Cleanup(srv.Close)
	e := &env{t: t, db: db, ev: ev, srv: srv, people: map[string]*lanyard.Attendee{}, engine: eng}
	for name, role := range map[string]lanyard.Role{"attendee": lanyard.RoleAttendee, "exhibitor": lanyard.RoleExhibitor, "exhibitor2": lanyard.RoleExhibitor,
		"loner": lanyard.RoleExhibitor, "staff": lanyard.RoleStaff, "organizer": lanyard.RoleOrganizer} {
		a := &lanyard.Attendee{Name: "Person " + name, Email: name + "@example.com", Company: "Acme", Role: role}
		webtest.SignUp(t, db, ev.ID, a)
		e.people[name] = a
	}
	if e.acme, err = db.PutExhibitor(ctx, ev.ID, lanyard.Exhibitor{Code: "acme", Name: "Acme Cloud", Booth: "101", Categories: []string{"AI", "Storage"}, Description: "Disks that think"}); err != nil {
		t.Fatal(err)
	}
	if e.bolt, err = db.PutExhibitor(ctx, ev.ID, lanyard.Exhibitor{Code: "bolt", Name: "Bolt Security", Booth: "102", Categories: []string{"Security"}}); err != nil {
		t.Fatal(err)
	}
	db.SetExhibitorStaff(ctx, e.acme.ID, e.people["exhibitor"].ID)
	db.SetExhibitorStaff(ctx, e.bolt.ID, e.people["exhibitor2"].ID)
	return e
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

func (c *client) upload(path string, data []byte) *webtest.Resp {
	c.TB.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("plan", "hall.svg")
	fw.Write(data)
	mw.Close()
	return c.Send("POST", path, mw.FormDataContentType(), &buf)
}

// Who may open what: every route of the expo for every kind of visitor.
func TestAuthorization(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		acme := "/console/exhibitors/" + strconv.FormatInt(e.acme.ID, 10)
		clients := map[string]*client{"anonymous": e.client()}
		for _, n := range []string{"attendee", "exhibitor", "loner", "staff", "organizer"} {
			clients[n] = e.signIn(n)
		}
		// want: the status for anonymous, attendee, exhibitor (Acme's staff),
		// loner (exhibitor role, no company), staff, organizer.
		cases := []struct {
			method, path string
			want         [6]int
		}{
			{"GET", "/expo", [6]int{200, 200, 200, 200, 200, 200}},
			{"GET", "/expo/acme", [6]int{200, 200, 200, 200, 200, 200}},
			{"GET", "/expo/route", [6]int{303, 200, 200, 200, 200, 200}},
			{"GET", "/exhibitor", [6]int{303, 403, 200, 403, 403, 403}},
			{"POST", "/exhibitor/details", [6]int{401, 403, 303, 403, 403, 403}},
			{"GET", "/console/exhibitors", [6]int{303, 403, 403, 403, 403, 200}},
			{"GET", acme, [6]int{303, 403, 403, 403, 403, 200}},
			{"POST", "/console/exhibitors", [6]int{401, 403, 403, 403, 403, 422}},
			{"POST", acme + "/staff", [6]int{401, 403, 403, 403, 403, 422}},
			{"POST", "/expo/acme/favorite", [6]int{401, 400, 400, 400, 400, 400}},
		}
		for _, tc := range cases {
			for i, who := range []string{"anonymous", "attendee", "exhibitor", "loner", "staff", "organizer"} {
				var r *webtest.Resp
				if tc.method == "GET" {
					r = clients[who].Get(tc.path)
				} else {
					r = clients[who].Post(tc.path, url.Values{})
				}
				if r.Status != tc.want[i] {
					t.Errorf("%s %s as %s = %d, want %d", tc.method, tc.path, who, r.Status, tc.want[i])
				}
				if r.Status == 403 && r.Code() == "" {
					t.Errorf("%s %s as %s: 403 without a code", tc.method, tc.path, who)
				}
			}
		}
		if r := clients["loner"].Get("/exhibitor"); r.Code() != "no_exhibitor" {
			t.Errorf("an exhibitor of no company: code %q", r.Code())
		}
		// A cross-site form post is refused before anything runs.
		req, _ := http.NewRequest("POST", e.srv.URL+"/expo/acme/favorite", strings.NewReader("on=1"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		res, err := clients["attendee"].HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site favorite = %d, want 403", res.StatusCode)
		}
	})
}

// The directory searches and filters by category; favorites make the route.
func TestDirectoryAndFavorites(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		c := e.signIn("attendee")
		r := c.Get("/expo?q=disks")
		if !strings.Contains(r.Body, `data-exhibitor="acme"`) || strings.Contains(r.Body, `data-exhibitor="bolt"`) {
			t.Errorf("search for disks: %s", r.Body)
		}
		r = c.Get("/expo?cat=Security")
		if strings.Contains(r.Body, `data-exhibitor="acme"`) || !strings.Contains(r.Body, `data-exhibitor="bolt"`) {
			t.Error("facet Security shows the wrong exhibitors")
		}
		if !strings.Contains(r.Body, `value="Security" checked`) {
			t.Error("the chosen facet is not checked")
		}
		if r := c.Get("/expo?q=" + strings.Repeat("x", 201)); r.Status != 400 || r.Code() != "query_too_long" {
			t.Errorf("a long search = %d %q", r.Status, r.Code())
		}
		if r := c.Get("/expo/nope"); r.Status != 404 || r.Code() != lanyard.ENOTFOUND {
			t.Errorf("unknown booth = %d %q", r.Status, r.Code())
		}
		for _, bad := range []url.Values{{}, {"on": {"yes"}}} {
			if r := c.Post("/expo/acme/favorite", bad); r.Status != 400 || r.Code() != "invalid_on" {
				t.Errorf("favorite %v = %d %q", bad, r.Status, r.Code())
			}
		}
		if r := c.Post("/expo/nope/favorite", url.Values{"on": {"1"}}); r.Status != 404 {
			t.Errorf("favorite unknown = %d", r.Status)
		}
		if ids, _ := db.ExpoFavoriteBooths(ctx, e.ev.ID, e.people["attendee"].ID); len(ids) != 0 {
			t.Fatalf("bad input changed favorites: %v", ids)
		}
		// A map and marks: the route goes from the entrance to both booths.
		org := e.signIn("organizer")
		svg := `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 600"><rect x="0" y="0" width="1000" height="600" fill="#eee"/><script>alert(1)</script></svg>`
		if r := org.upload("/console/exhibitors/map", []byte(svg)); r.Status != 303 {
			t.Fatalf("map upload = %d %s", r.Status, r.Body)
		}
		for id, xy := range map[int64][2]string{e.acme.ID: {"100", "100"}, e.bolt.ID: {"800", "100"}} {
			if r := org.Post("/console/exhibitors/"+strconv.FormatInt(id, 10)+"/mark", url.Values{"x": {xy[0]}, "y": {xy[1]}, "w": {"50"}, "h": {"40"}}); r.Status != 303 {
				t.Fatalf("mark = %d %s", r.Status, r.Body)
			}
		}
		for _, code := range []string{"acme", "bolt"} {
			if r := c.Post("/expo/"+code+"/favorite", url.Values{"on": {"1"}, "next": {"https://evil.example/"}}); r.Status != 303 || r.Header.Get("Location") != "/" {
				t.Errorf("favorite %s = %d → %q", code, r.Status, r.Header.Get("Location"))
			}
		}
		r = c.Get("/expo/route")
		if !strings.Contains(r.Body, `id="walk-line"`) || strings.Count(r.Body, `class="stop"`) != 2 {
			t.Errorf("route page has no walk of two stops: %s", r.Body)
		}
		// From the bottom middle (500, 600): Bolt (825, 120) and Acme
		// (125, 120) are as far; the walk takes the nearer first, then the other.
		if i, j := strings.Index(r.Body, `<li data-booth="acme"`), strings.Index(r.Body, `<li data-booth="bolt"`); i < 0 || j < 0 {
			t.Errorf("route stops missing")
		}
		img := e.client().Get("/expo/map.img")
		if img.Status != 200 || !strings.Contains(img.Header.Get("Content-Security-Policy"), "sandbox") || img.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("map served = %d %v", img.Status, img.Header)
		}
		if strings.Contains(strings.ToLower(img.Body), "<script") {
			t.Errorf("the map kept its script: %s", img.Body)
		}
	})
}

// Exhibitor staff edit only their own booth and events; bad input changes nothing.
func TestExhibitorHome(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		x := e.signIn("exhibitor")
		r := x.Get("/exhibitor")
		if r.Status != 200 || !strings.Contains(r.Body, `data-exhibitor="acme"`) {
			t.Fatalf("home = %d", r.Status)
		}
		for _, tc := range []struct {
			form url.Values
			code string
		}{
			{url.Values{"website": {"javascript:alert(1)"}}, "invalid_website"},
			{url.Values{"hours": {"Mon\nTue"}}, "invalid_hours"},
			{url.Values{"categories": {"a,b,c,d,e,f,g,h,i"}}, "invalid_categories"},
		} {
			if r := x.Post("/exhibitor/details", tc.form); r.Status != 422 || r.Code() != tc.code {
				t.Errorf("details %v = %d %q", tc.form, r.Status, r.Code())
			}
		}
		if r := x.Post("/exhibitor/details", url.Values{"description": {"New words"}, "website": {"https://acme.example"}, "categories": {"AI, Robots, AI"}, "hours": {"Tue 10–6"}}); r.Status != 303 {
			t.Fatalf("details = %d %s", r.Status, r.Body)
		}
		b, _ := db.ExpoBooth(ctx, e.ev.ID, "acme")
		if b.Description != "New words" || b.Hours != "Tue 10–6" || strings.Join(b.Categories, ",") != "AI,Robots" || b.Name != "Acme Cloud" || b.Booth != "101" {
			t.Errorf("saved booth = %+v", b)
		}
		good := url.Values{"kind": {"giveaway"}, "title": {"Socks"}, "starts": {"2026-12-01T16:00"}, "ends": {"2026-12-01T17:00"}}
		for _, tc := range []struct {
			change map[string]string
			code   string
		}{
			{map[string]string{"kind": "party"}, "invalid_kind"},
			{map[string]string{"title": ""}, "invalid_title"},
			{map[string]string{"starts": "tomorrow"}, "invalid_time"},
			{map[string]string{"ends": "2026-12-01T15:00"}, "invalid_span"},
			{map[string]string{"starts": "2026-12-09T10:00", "ends": "2026-12-09T11:00"}, "outside_event"},
		} {
			f := url.Values{}
			for k, v := range good {
				f[k] = v
			}
			for k, v := range tc.change {
				f.Set(k, v)
			}
			if r := x.Post("/exhibitor/events", f); r.Status != 422 || r.Code() != tc.code {
				t.Errorf("event %v = %d %q", tc.change, r.Status, r.Code())
			}
		}
		if evs, _ := db.ExpoEvents(ctx, e.ev.ID, 0); len(evs) != 0 {
			t.Fatalf("bad events stored: %+v", evs)
		}
		if r := x.Post("/exhibitor/events", good); r.Status != 303 {
			t.Fatalf("event = %d %s", r.Status, r.Body)
		}
		evs, _ := db.ExpoEvents(ctx, e.ev.ID, 0)
		if len(evs) != 1 || evs[0].ExhibitorID != e.acme.ID || evs[0].Starts.Format(time.RFC3339) != "2026-12-02T00:00:00Z" {
			t.Fatalf("events = %+v", evs)
		}
		id := strconv.FormatInt(evs[0].ID, 10)
		if r := e.client().Get("/expo/acme"); !strings.Contains(r.Body, "Socks") || !strings.Contains(r.Body, "First day only") {
			t.Error("the booth page does not show the first-day giveaway")
		}
		// Bolt's staff can neither edit nor delete Acme's event.
		y := e.signIn("exhibitor2")
		f := url.Values{"id": {id}}
		for k, v := range good {
			f[k] = v
		}
		f.Set("title", "Stolen")
		if r := y.Post("/exhibitor/events", f); r.Status != 404 {
			t.Errorf("edit another's event = %d", r.Status)
		}
		if r := y.Post("/exhibitor/events/"+id+"/delete", nil); r.Status != 404 {
			t.Errorf("delete another's event = %d", r.Status)
		}
		if evs, _ := db.ExpoEvents(ctx, e.ev.ID, 0); len(evs) != 1 || evs[0].Title != "Socks" {
			t.Errorf("after another's attempts: %+v", evs)
		}
		// An attendee favorites it: it is theirs to see.
		a := e.signIn("attendee")
		if r := a.Post("/expo/events/"+id+"/favorite", url.Values{"on": {"1"}}); r.Status != 303 {
			t.Errorf("favorite event = %d", r.Status)
		}
		if r := a.Post("/expo/events/999999/favorite", url.Values{"on": {"1"}}); r.Status != 404 {
			t.Errorf("favorite unknown event = %d", r.Status)
		}
		if fav, _ := db.ExpoFavoriteEvents(ctx, e.ev.ID, e.people["attendee"].ID); len(fav) != 1 {
			t.Errorf("favorites = %+v", fav)
		}
		if r := x.Post("/exhibitor/events/"+id+"/delete", nil); r.Status != 303 {
			t.Errorf("delete = %d", r.Status)
		}
	})
}

// Organizers make exhibitors, upload the map, mark booths, add staff.
func TestConsole(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		o := e.signIn("organizer")
		for _, tc := range []struct {
			form   url.Values
			status int
			code   string
		}{
			{url.Values{"code": {"Bad Code"}, "name": {"X"}}, 422, "invalid_code"},
			{url.Values{"code": {"route"}, "name": {"X"}}, 422, "invalid_code"},
			{url.Values{"code": {"new"}, "name": {""}}, 422, "invalid_name"},
			{url.Values{"code": {"acme"}, "name": {"Again"}}, 409, "code_taken"},
		} {
			if r := o.Post("/console/exhibitors", tc.form); r.Status != tc.status || r.Code() != tc.code {
				t.Errorf("create %v = %d %q", tc.form, r.Status, r.Code())
			}
		}
		if r := o.Post("/console/exhibitors", url.Values{"code": {"cog"}, "name": {"Cog Works"}, "booth": {"300"}}); r.Status != 303 {
			t.Fatalf("create = %d", r.Status)
		}
		cog, err := db.ExpoBooth(ctx, e.ev.ID, "cog")
		if err != nil {
			t.Fatal(err)
		}
		base := "/console/exhibitors/" + strconv.FormatInt(cog.ID, 10)
		if r := o.Post(base+"/mark", url.Values{"x": {"1"}, "y": {"1"}}); r.Status != 409 || r.Code() != "no_map" {
			t.Errorf("mark without a map = %d %q", r.Status, r.Code())
		}
		if r := o.upload("/console/exhibitors/map", []byte("plain text, not a plan")); r.Status < 400 || r.Code() == "" {
			t.Errorf("a bad map = %d %q", r.Status, r.Code())
		}
		if r := o.upload("/console/exhibitors/map", bytes.Repeat([]byte("x"), 10<<20)); r.Status != 413 || r.Code() != lanyard.EPlanTooLarge {
			t.Errorf("a 10 MB map = %d %q", r.Status, r.Code())
		}
		if r := o.Post("/console/exhibitors/map", url.Values{}); r.Status != 400 || r.Code() != "plan_missing" {
			t.Errorf("no map file = %d %q", r.Status, r.Code())
		}
		if _, err := db.ExpoMap(ctx, e.ev.ID); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Error("a refused map was stored")
		}
		if r := o.upload("/console/exhibitors/map", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><rect width="10" height="10" onclick="alert(1)"/></svg>`)); r.Status != 303 {
			t.Fatalf("map = %d", r.Status)
		}
		for _, bad := range []url.Values{{"x": {"abc"}, "y": {"1"}}, {"x": {"390"}, "y": {"1"}, "w": {"20"}}, {"x": {"-5"}, "y": {"1"}}, {"x": {"NaN"}, "y": {"1"}}} {
			if r := o.Post(base+"/mark", bad); r.Status != 422 || r.Code() != "invalid_mark" {
				t.Errorf("mark %v = %d %q", bad, r.Status, r.Code())
			}
		}
		if r := o.Post(base+"/mark", url.Values{"x": {"10"}, "y": {"20"}, "w": {"30"}, "h": {""}}); r.Status != 303 {
			t.Errorf("mark = %d", r.Status)
		}
		if b, _ := db.ExpoBooth(ctx, e.ev.ID, "cog"); !b.Marked || b.X != 10 || b.W != 30 || b.H != 0 {
			t.Errorf("mark stored = %+v", b)
		}
		// Staff: an organizer's account is refused; a new email needs a name.
		if r := o.Post(base+"/staff", url.Values{"email": {"organizer@example.com"}}); r.Status != 409 || r.Code() != "role_taken" {
			t.Errorf("organizer as staff = %d %q", r.Status, r.Code())
		}
		if r := o.Post(base+"/staff", url.Values{"email": {"new@cog.example"}}); r.Status != 422 || r.Code() != "name_needed" {
			t.Errorf("new email without a name = %d %q", r.Status, r.Code())
		}
		if r := o.Post(base+"/staff", url.Values{"email": {"Not an email"}}); r.Status != 422 || r.Code() != "invalid_email" {
			t.Errorf("bad email = %d %q", r.Status, r.Code())
		}
		if r := o.Post(base+"/staff", url.Values{"email": {"new@cog.example"}, "name": {"Nia Cog"}}); r.Status != 303 {
			t.Fatalf("new staff = %d", r.Status)
		}
		if r := o.Post(base+"/staff", url.Values{"email": {"attendee@example.com"}}); r.Status != 303 {
			t.Fatalf("attendee as staff = %d", r.Status)
		}
		for _, email := range []string{"new@cog.example", "attendee@example.com"} {
			a, err := db.FindAttendeeByEmail(ctx, e.ev.ID, email)
			if err != nil || a.Role != lanyard.RoleExhibitor {
				t.Errorf("%s = %+v, %v", email, a, err)
				continue
			}
			if x, err := db.ExhibitorOf(ctx, e.ev.ID, a.ID); err != nil || x.Code != "cog" {
				t.Errorf("%s staffs %+v, %v", email, x, err)
			}
		}
		att := e.people["attendee"]
		if r := o.Post(base+"/staff/"+strconv.FormatInt(att.ID, 10)+"/remove", nil); r.Status != 303 {
			t.Errorf("remove staff = %d", r.Status)
		}
		if a, _ := db.FindAttendeeByID(ctx, att.ID); a.Role != lanyard.RoleAttendee {
			t.Errorf("removed staff's role = %s", a.Role)
		}
		if r := o.Post(base+"/staff/"+strconv.FormatInt(att.ID, 10)+"/remove", nil); r.Status != 404 {
			t.Errorf("remove again = %d", r.Status)
		}
		if r := o.Get("/console/exhibitors/999999"); r.Status != 404 {
			t.Errorf("unknown exhibitor = %d", r.Status)
		}
	})
}

// benchEnv is newEnv with n more exhibitors, all marked on a map, and the
// attendee's favorites on fav of them.
func benchEnv(b *testing.B, n, fav int) (*env, *client) {
	db := storetest.OpenSQLite(b)
	e := newEnv(b, db)
	ctx := context.Background()
	if err := db.ExpoSaveMap(ctx, e.ev.ID, lanyard.PlanSVG, []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2000 2000"/>`), 0, 0, 2000, 2000); err != nil {
		b.Fatal(err)
	}
	cats := []string{"AI", "Storage", "Security", "Databases", "DevOps", "Networking"}
	for i := range n {
		x, err := db.PutExhibitor(ctx, e.ev.ID, lanyard.Exhibitor{Code: "x" + strconv.Itoa(i), Name: "Company " + strconv.Itoa(i), Booth: strconv.Itoa(1000 + i),
			Categories: []string{cats[i%len(cats)], cats[(i/7)%len(cats)]}, Description: "We make cloud things for everyone, booth " + strconv.Itoa(i)})
		if err != nil {
			b.Fatal(err)
		}
		db.ExpoMarkBooth(ctx, e.ev.ID, x.ID, true, float64(i%25)*80, float64(i/25)*80, 60, 60)
		if i < fav {
			db.ExpoFavoriteBooth(ctx, e.ev.ID, e.people["attendee"].ID, x.ID, true)
		}
	}
	return e, e.signIn("attendee")
}

// BenchmarkDirectory: /expo searched and filtered, 500 exhibitors.
func BenchmarkDirectory(b *testing.B) {
	_, c := benchEnv(b, 500, 0)
	for b.Loop() {
		if r := c.Get("/expo?q=cloud&cat=AI&cat=Storage"); r.Status != 200 {
			b.Fatal(r.Status)
		}
	}
}

// BenchmarkRoute: /expo/route with 30 favorite booths of 500 on the map.
func BenchmarkRoute(b *testing.B) {
	_, c := benchEnv(b, 500, 30)
	for b.Loop() {
		if r := c.Get("/expo/route"); r.Status != 200 || !strings.Contains(r.Body, "walk-line") {
			b.Fatal(r.Status)
		}
	}
}
