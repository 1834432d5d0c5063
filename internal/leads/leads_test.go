package leads_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/badge"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/leads"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
	"github.com/lanyardhq/lanyard/internal/web"
	"github.com/lanyardhq/lanyard/internal/web/webtest"
	"github.com/lanyardhq/lanyard/internal/webhook"
)

type env struct {
	t      *testing.T
	db     *store.DB
	ev     *lanyard.Event
	srv    *httptest.Server
	routes *route.Table
	badges *badge.Service
	acme   lanyard.Exhibitor
	globex lanyard.Exhibitor
	people map[string]*lanyard.Attendee
}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	ctx := context.Background()
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	lc := &lanyard.Catalog{
		Event:  lanyard.Event{Slug: "expo-conf", Name: "Expo Conf", TimeZone: "America/Los_Angeles", StartDate: "2026-12-01", Days: 2},
		Venues: []lanyard.Venue{{Code: "hall", Name: "Hall", Rooms: []lanyard.Room{{Name: "Expo", Capacity: 1000}}}},
		Sessions: []lanyard.Session{{Code: "K1", Title: "Keynote", Type: lanyard.TypeSession, Topics: []string{"t"}, Venue: "hall", Room: "Expo",
			Start: start, End: start.Add(time.Hour)}},
	}
	ev, cur := webtest.Import(t, db, lc)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	badges := &badge.Service{DB: db, Event: ev}
	pages := &web.Handler{Catalog: cur, Store: db, Sessions: web.NewSessions(store.SessionStore{DB: db}), Hasher: auth.NewHasher(2), Log: log, Badges: badges}
	mux := http.NewServeMux()
	rt := &route.Table{Mux: mux}
	pages.Routes(rt)
	shell, err := leads.NewShell(pages)
	if err != nil {
		t.Fatal(err)
	}
	h := &leads.Handler{Shell: shell, Catalog: cur, Store: db, Badges: badges, Log: log}
	h.Routes(rt)
	pages.SettingsSections = append(pages.SettingsSections, h.SettingsSection)
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	e := &env{t: t, db: db, ev: ev, srv: srv, routes: rt, badges: badges, people: map[string]*lanyard.Attendee{}}
	if e.acme, err = db.PutExhibitor(ctx, ev.ID, lanyard.Exhibitor{Code: "acme", Name: "Acme", Booth: "101"}); err != nil {
		t.Fatal(err)
	}
	if e.globex, err = db.PutExhibitor(ctx, ev.ID, lanyard.Exhibitor{Code: "globex", Name: "Globex", Booth: "202"}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		key  string
		role lanyard.Role
	}{{"attendee", lanyard.RoleAttendee}, {"ana", lanyard.RoleAttendee}, {"bo", lanyard.RoleAttendee}, {"cy", lanyard.RoleAttendee},
		{"acme", lanyard.RoleExhibitor}, {"acme2", lanyard.RoleExhibitor}, {"globex", lanyard.RoleExhibitor}, {"nobody", lanyard.RoleExhibitor},
		{"staff", lanyard.RoleStaff}, {"organizer", lanyard.RoleOrganizer}} {
		a := &lanyard.Attendee{Name: "Person " + p.key, Email: p.key + "@example.com", Company: "Co " + p.key, JobTitle: "Engineer", Role: p.role}
		webtest.SignUp(t, db, ev.ID, a)
		e.people[p.key] = a
	}
	for who, x := range map[string]lanyard.Exhibitor{"acme": e.acme, "acme2": e.acme, "globex": e.globex} {
		if err := db.SetExhibitorStaff(ctx, x.ID, e.people[who].ID); err != nil {
			t.Fatal(err)
		}
	}
	return e
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

var nonces atomic.Int64

func nonce() string { return fmt.Sprintf("nonce-%08d", nonces.Add(1)) }

// sync uploads scans and returns the answers.
func (c *client) sync(items ...leads.SyncItem) []leads.SyncResult {
	c.TB.Helper()
	r := c.PostJSON("/exhibitor/leads/sync", map[string]any{"scans": items})
	if r.Status != http.StatusOK {
		c.TB.Fatalf("sync: %d %s", r.Status, r.Body)
	}
	var body struct{ Results []leads.SyncResult }
	if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
		c.TB.Fatal(err)
	}
	return body.Results
}

func (c *client) csv() [][]string {
	c.TB.Helper()
	r := c.Get("/exhibitor/leads.csv")
	if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		c.TB.Fatalf("csv: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
	if err != nil {
		c.TB.Fatal(err)
	}
	return rows
}

func names(rows [][]string) []string {
	var out []string
	for _, r := range rows[1:] {
		out = append(out, r[1])
	}
	return out
}

// Every route checks who asks on every request: exhibitor pages need an
// exhibitor account that staffs a company; /privacy and the sharing form
// any signed-in person; the cap organizers. The routes come from the
// route table.
func TestAuthorization(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	clients := map[string]*client{"anonymous": e.client()}
	for _, who := range []string{"attendee", "acme", "nobody", "staff", "organizer"} {
		clients[who] = e.signIn(who)
	}
	seen := 0
	for _, rt := range e.routes.Routes() {
		method, path, _ := strings.Cut(rt.Pattern, " ")
		var allowed func(who string) bool
		switch {
		case path == "/exhibitor/leads/sw.js": // the scanner's service worker: no data, public
			continue
		case strings.HasPrefix(path, "/exhibitor/"):
			allowed = func(who string) bool { return who == "acme" }
		case path == "/privacy" || path == "/privacy/withdraw" || path == "/settings/sharing":
			allowed = func(who string) bool { return who != "anonymous" }
		case path == "/console/leads":
			allowed = func(who string) bool { return who == "organizer" }
		default:
			continue
		}
		seen++
		path = strings.ReplaceAll(path, "{id}", "1")
		for who, c := range clients {
			var r *webtest.Resp
			if method == "POST" && path == "/exhibitor/leads/sync" {
				r = c.PostJSON(path, map[string]any{})
			} else if method == "POST" {
				r = c.Post(path, url.Values{})
			} else {
				r = c.Get(path)
			}
			switch {
			case allowed(who):
				if r.Status == http.StatusUnauthorized || r.Status == http.StatusForbidden || r.Status >= 500 {
					t.Errorf("%s %s as %s: %d, want allowed", method, path, who, r.Status)
				}
			case who == "anonymous":
				if r.Status != http.StatusSeeOther && r.Status != http.StatusUnauthorized {
					t.Errorf("%s %s anonymous: %d, want sign-in", method, path, r.Status)
				}
			default:
				if r.Status != http.StatusForbidden {
					t.Errorf("%s %s as %s: %d, want 403", method, path, who, r.Status)
				}
			}
		}
	}
	if seen < 15 {
		t.Errorf("only %d routes checked", seen)
	}
}

// The scan page hands its script its words as a JSON object (a JSON
// string would leave every button and status of the scanner blank).
func TestScanPageWords(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	r := e.signIn("acme").Get("/exhibitor/leads/scan")
	_, rest, ok := strings.Cut(r.Body, `id="leads-words">`)
	raw, _, _ := strings.Cut(rest, "</script>")
	var words map[string]string
	if !ok || json.Unmarshal([]byte(raw), &words) != nil || words["camera_start"] == "" || words["online"] == "" {
		t.Errorf("the scan page's words are %q", raw)
	}
}

// Scans upload idempotently: the first creates the lead, the same scan
// again answers the same and changes nothing, another scan of the same
// badge says it exists; bad scans are answered one by one, a bad body as
// a whole with 400 and a code.
func TestSync(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.signIn("acme")
		first := leads.SyncItem{Nonce: nonce(), Token: e.token("ana"), ScannedAt: time.Now().Add(-time.Hour).Format(time.RFC3339)}
		bad := leads.SyncItem{Nonce: nonce(), Token: "LY1NOTABADGE"}
		res := c.sync(first, leads.SyncItem{Nonce: nonce(), Token: strings.ToLower(e.token("bo"))}, bad, leads.SyncItem{Nonce: "x", Token: e.token("cy")})
		if len(res) != 4 || res[0].Outcome != lanyard.LeadCreated || res[0].Name != "Person ana" || res[1].Outcome != lanyard.LeadCreated {
			t.Fatalf("results: %+v", res)
		}
		if res[2].Error == nil || res[2].Error.Code != lanyard.EBadgeInvalid || res[3].Error == nil || res[3].Error.Field != "nonce" {
			t.Errorf("bad scans: %+v %+v", res[2], res[3])
		}
		again := c.sync(first)
		if again[0].Outcome != lanyard.LeadCreated || again[0].LeadID != res[0].LeadID {
			t.Errorf("the same scan again: %+v", again[0])
		}
		other := c.sync(leads.SyncItem{Nonce: nonce(), Token: e.token("ana")})
		if other[0].Outcome != lanyard.LeadExists || other[0].LeadID != res[0].LeadID {
			t.Errorf("another scan of ana: %+v", other[0])
		}
		if got := names(c.csv()); len(got) != 2 {
			t.Errorf("csv names: %v", got)
		}
		for name, body := range map[string]any{
			"no scans":      map[string]any{"scans": []any{}},
			"unknown field": map[string]any{"scans": []any{map[string]any{"nonce": nonce(), "token": "x", "door": "y"}}},
			"501 scans":     map[string]any{"scans": make([]leads.SyncItem, 501)},
		} {
			r := c.PostJSON("/exhibitor/leads/sync", body)
			var eb struct{ Error lanyard.Error }
			json.Unmarshal([]byte(r.Body), &eb)
			if r.Status != http.StatusBadRequest || eb.Error.Code != lanyard.EINVALID {
				t.Errorf("%s: %d %s", name, r.Status, r.Body)
			}
		}
		if got := names(c.csv()); len(got) != 2 {
			t.Errorf("after bad uploads, csv names: %v", got)
		}
	})
}

// An exhibitor sees, changes and exports only their own company's leads:
// another company's lead is not found, by URL or by form.
func TestOwnCompanyOnly(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		acme, acme2, globex := e.signIn("acme"), e.signIn("acme2"), e.signIn("globex")
		ana := acme.sync(leads.SyncItem{Nonce: nonce(), Token: e.token("ana")})[0]
		bo := globex.sync(leads.SyncItem{Nonce: nonce(), Token: e.token("bo")})[0]
		// Two staff of one company share its leads.
		if r := acme2.Get(fmt.Sprintf("/exhibitor/leads/%d", ana.LeadID)); r.Status != 200 || !strings.Contains(r.Body, "Person ana") {
			t.Errorf("a colleague's lead: %d", r.Status)
		}
		if r := acme.Get(fmt.Sprintf("/exhibitor/leads/%d", bo.LeadID)); r.Status != http.StatusNotFound || strings.Contains(r.Body, "Person bo") {
			t.Errorf("another company's lead: %d", r.Status)
		}
		if r := acme.Post(fmt.Sprintf("/exhibitor/leads/%d", bo.LeadID), url.Values{"rating": {"1"}}); r.Status != http.StatusNotFound {
			t.Errorf("rate another company's lead: %d", r.Status)
		}
		if l, _ := db.Lead(context.Background(), e.ev.ID, e.globex.ID, bo.LeadID); l.Rating != 0 {
			t.Errorf("another company changed the rating to %d", l.Rating)
		}
		if got := names(acme.csv()); len(got) != 1 || got[0] != "Person ana" {
			t.Errorf("acme's export: %v", got)
		}
		if r := acme.Get("/exhibitor/leads"); strings.Contains(r.Body, "Person bo") || !strings.Contains(r.Body, "Person ana") {
			t.Errorf("acme's list shows %q", r.Body)
		}
		// Another company's question cannot be deleted or answered.
		q, err := db.LeadQuestionPut(context.Background(), lanyard.LeadQuestion{ExhibitorID: e.globex.ID, Kind: "text", Prompt: "Globex only"})
		if err != nil {
			t.Fatal(err)
		}
		if r := acme.Post(fmt.Sprintf("/exhibitor/questions/%d/delete", q.ID), nil); r.Status != http.StatusNotFound {
			t.Errorf("delete another's question: %d", r.Status)
		}
		if r := acme.Get("/exhibitor/questions"); strings.Contains(r.Body, "Globex only") {
			t.Error("acme sees globex's question")
		}
	})
}

// Rating, tags, notes and answers are saved from the form; bad input
// answers 422 with a code and the message, and nothing changes.
func TestEditLead(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.signIn("acme")
		for _, form := range []url.Values{
			{"prompt": {"Budget"}, "kind": {"single"}, "choices": {"small\nlarge"}},
			{"prompt": {"Stack"}, "kind": {"multiple"}, "choices": {"Go\nJava\nRust"}},
		} {
			if r := c.Post("/exhibitor/questions", form); r.Status != http.StatusSeeOther {
				t.Fatalf("add question: %d %s", r.Status, r.Body)
			}
		}
		if r := c.Post("/exhibitor/questions", url.Values{"prompt": {"Bad"}, "kind": {"single"}, "choices": {"only"}}); r.Status != http.StatusUnprocessableEntity ||
			r.Code() != lanyard.EINVALID || !strings.Contains(r.Body, "2 to 20 choices") {
			t.Errorf("a single choice with one choice: %d %s", r.Status, r.Code())
		}
		qs, _ := db.LeadQuestions(context.Background(), e.acme.ID)
		if len(qs) != 2 {
			t.Fatalf("questions: %+v", qs)
		}
		id := c.sync(leads.SyncItem{Nonce: nonce(), Token: e.token("ana")})[0].LeadID
		path := fmt.Sprintf("/exhibitor/leads/%d", id)
		ok := url.Values{"rating": {"4"}, "tags": {"Hot, follow up"}, "notes": {"Demo Tuesday"},
			fmt.Sprintf("q%d", qs[0].ID): {"large"}, fmt.Sprintf("q%d", qs[1].ID): {"Rust", "Go"}}
		if r := c.Post(path, ok); r.Status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", r.Status, r.Body)
		}
		rows := c.csv()
		want := []string{fmt.Sprint(id), "Person ana", "Co ana", "Engineer", "", "", "", "4", "follow up; hot", "Demo Tuesday"}
		if got := rows[1][:10]; fmt.Sprint(got) != fmt.Sprint(want) || rows[0][11] != "Budget" || rows[1][11] != "large" || rows[1][12] != "Go; Rust" {
			t.Errorf("csv:\n%v\n%v", rows[0], rows[1])
		}
		for name, form := range map[string]url.Values{
			"rating 9":     {"rating": {"9"}, "tags": {"x"}},
			"no rating":    {"tags": {"x"}},
			"not a choice": {"rating": {"1"}, fmt.Sprintf("q%d", qs[0].ID): {"huge"}},
			"long tag":     {"rating": {"1"}, "tags": {strings.Repeat("x", 41)}},
		} {
			r := c.Post(path, form)
			if r.Status != http.StatusUnprocessableEntity || r.Code() != lanyard.EINVALID || !strings.Contains(r.Body, `role="alert"`) {
				t.Errorf("%s: %d %q", name, r.Status, r.Code())
			}
		}
		if got := c.csv(); fmt.Sprint(got) != fmt.Sprint(rows) {
			t.Errorf("refused edits changed the lead:\n%v\n%v", got, rows)
		}
		// The list filters by tag.
		if r := c.Get("/exhibitor/leads?tag=hot"); !strings.Contains(r.Body, `data-shown="1"`) {
			t.Error("tag filter: the lead is not shown")
		}
		if r := c.Get("/exhibitor/leads?tag=cold"); !strings.Contains(r.Body, `data-shown="0"`) {
			t.Error("tag filter: an untagged lead is shown")
		}
	})
}

// The attendee's sharing choices are a section of /settings; the card an
// exhibitor sees follows them and the organizer's cap at once; /privacy
// lists who holds it, and a withdrawal takes it out of the list and the
// export and tells the exhibitor's endpoint.
func TestConsentAndWithdrawal(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		exh, ana, org := e.signIn("acme"), e.signIn("ana"), e.signIn("organizer")
		if r := exh.Post("/exhibitor/leads/webhook", url.Values{"url": {"https://crm.acme.example/leads"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("webhook: %d", r.Status)
		}
		exh.sync(leads.SyncItem{Nonce: nonce(), Token: e.token("ana")}, leads.SyncItem{Nonce: nonce(), Token: e.token("bo")})
		set := ana.Get("/settings")
		if set.Status != 200 || !strings.Contains(set.Body, `id="sharing"`) || !strings.Contains(set.Body, `id="share-company" checked`) {
			t.Fatalf("settings: %d, no sharing section", set.Status)
		}
		// Bad input: 422, nothing saved.
		r := ana.Post("/settings/sharing", url.Values{"field": {"email"}, "linkedin": {"https://evil.example/me"}, "exchange": {"two_way"}})
		if r.Status != http.StatusUnprocessableEntity || r.Code() != lanyard.EINVALID || !strings.Contains(r.Body, "linkedin-error") {
			t.Errorf("a bad LinkedIn: %d", r.Status)
		}
		if s, _ := db.Sharing(ctx, e.people["ana"].ID); s.Shares("email") {
			t.Error("a refused form was saved")
		}
		r = ana.Post("/settings/sharing", url.Values{"field": {"email", "phone"}, "phone": {"+82 10 5555 0000"}, "exchange": {"one_way"}, "meet_opt_in": {"on"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("save sharing: %d %s", r.Status, r.Body)
		}
		row := func() []string {
			for _, r := range exh.csv()[1:] {
				if r[1] == "Person ana" {
					return r
				}
			}
			return nil
		}
		// Consent email+phone, cap company+title: only the name.
		if got := row(); got == nil || got[2] != "" || got[4] != "" || got[5] != "" {
			t.Errorf("with the default cap: %v", got)
		}
		if r := org.Post("/console/leads", url.Values{"field": {"email", "company"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("cap: %d", r.Status)
		}
		if r := org.Post("/console/leads", url.Values{"field": {"password"}}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("an unknown cap field: %d", r.Status)
		}
		if got := row(); got == nil || got[4] != "ana@example.com" || got[5] != "" || got[2] != "" {
			t.Errorf("with cap email+company and consent email+phone: %v", got)
		}
		p := ana.Get("/privacy")
		if p.Status != 200 || !strings.Contains(p.Body, `data-exhibitor="acme"`) || !strings.Contains(p.Body, "ana@example.com") {
			t.Fatalf("privacy: %d %s", p.Status, p.Body)
		}
		if r := ana.Post("/privacy/withdraw", url.Values{"exhibitor": {fmt.Sprint(e.globex.ID)}}); r.Status != http.StatusNotFound {
			t.Errorf("withdraw from an exhibitor holding nothing: %d", r.Status)
		}
		if r := ana.Post("/privacy/withdraw", url.Values{"exhibitor": {fmt.Sprint(e.acme.ID)}}); r.Status != http.StatusSeeOther {
			t.Fatalf("withdraw: %d", r.Status)
		}
		if got := names(exh.csv()); len(got) != 1 || got[0] != "Person bo" {
			t.Errorf("export after withdrawal: %v", got)
		}
		if r := exh.Get("/exhibitor/leads"); strings.Contains(r.Body, "Person ana") {
			t.Error("the list still shows a withdrawn attendee")
		}
		// A scan queued before the withdrawal and uploaded after: no lead.
		if res := exh.sync(leads.SyncItem{Nonce: nonce(), Token: e.token("ana")}); res[0].Outcome != lanyard.LeadWithdrawn || res[0].Name != "" {
			t.Errorf("scan after withdrawal: %+v", res[0])
		}
		hook, err := db.LeadHook(ctx, e.acme.ID)
		if err != nil {
			t.Fatal(err)
		}
		ds, _ := db.WebhookDeliveries(ctx, e.ev.ID, hook.ID, 10)
		if len(ds) == 0 || ds[0].Type != lanyard.EventLeadWithdrawn || strings.Contains(ds[0].Payload, "ana@example.com") {
			t.Errorf("deliveries: %+v", ds)
		}
		if p := ana.Get("/privacy"); !strings.Contains(p.Body, `id="withdrawn"`) || strings.Contains(p.Body, `id="withdraw-acme"`) {
			t.Errorf("privacy after withdrawal does not list acme as withdrawn")
		}
	})
}

// Leads reach the exhibitor's endpoint signed (Standard Webhooks), through
// the shared dispatcher.
func TestWebhookDelivered(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	type got struct {
		id, ts, sig string
		body        []byte
	}
	recv := make(chan got, 10)
	hookSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		recv <- got{r.Header.Get("webhook-id"), r.Header.Get("webhook-timestamp"), r.Header.Get("webhook-signature"), b}
	}))
	defer hookSrv.Close()
	c := e.signIn("acme")
	if r := c.Post("/exhibitor/leads/webhook", url.Values{"url": {hookSrv.URL + "/leads"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("webhook: %d", r.Status)
	}
	page := c.Get("/exhibitor/leads/webhook")
	hook, _ := e.db.LeadHook(context.Background(), e.acme.ID)
	if !strings.Contains(html.UnescapeString(page.Body), hook.Secret) {
		t.Error("the page does not show the signing secret")
	}
	c.sync(leads.SyncItem{Nonce: nonce(), Token: e.token("ana")})
	d := &webhook.Dispatcher{Store: e.db, Client: webhook.NewClient(true)}
	if _, err := d.Once(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case g := <-recv:
		var ts int64
		fmt.Sscan(g.ts, &ts)
		want, _ := webhook.Sign(hook.Secret, g.id, time.Unix(ts, 0), g.body)
		if g.sig != want || !strings.Contains(string(g.body), `"lead.created"`) || !strings.Contains(string(g.body), "Person ana") {
			t.Errorf("delivery: %s %s %s", g.id, g.sig, g.body)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no delivery")
	}
}

// A cell a spreadsheet would run as a formula starts with an apostrophe.
func TestWriteCSVFormula(t *testing.T) {
	var b bytes.Buffer
	l := lanyard.Lead{ID: 1, Card: lanyard.Card{Name: "=HYPERLINK(\"http://evil\")", Company: "+cmd", Phone: "-1"}, Notes: "@sum", Tags: []string{"ok"}}
	if err := leads.WriteCSV(&b, []lanyard.Lead{l}, nil); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{1, 2, 5, 9} {
		if !strings.HasPrefix(rows[1][i], "'") {
			t.Errorf("cell %d = %q, not guarded", i, rows[1][i])
		}
	}
	if rows[1][8] != "ok" {
		t.Errorf("a plain cell changed: %q", rows[1][8])
	}
}
