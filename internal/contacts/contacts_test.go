package contacts_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
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

	"github.com/emersion/go-vcard"

	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/badge"
	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/contacts"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
	"github.com/lanyardhq/lanyard/internal/web"
	"github.com/lanyardhq/lanyard/internal/web/webtest"
)

// env is the web app and the contact pages over TLS on a fresh database,
// with three attendees.
type env struct {
	t      testing.TB
	db     *store.DB
	st     *testStore
	cat    *catalog.Catalog
	ev     *lanyard.Event
	badges *badge.Service
	srv    *httptest.Server
	people map[string]*lanyard.Attendee
	now    time.Time
}

func newEnv(t testing.TB, db *store.DB) *env {
	t.Helper()
	now := time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC)
	lc := &lanyard.Catalog{
		Event:  lanyard.Event{Slug: "contacts-conf", Name: "Contacts Conf", TimeZone: "America/Los_Angeles", StartDate: "2026-12-01", Days: 2},
		Venues: []lanyard.Venue{{Code: "v", Name: "Venue", Rooms: []lanyard.Room{{Name: "Hall", Capacity: 100}}}},
		Sessions: []lanyard.Session{
			{Code: "GO101", Title: "Go at scale", Type: lanyard.TypeSession, Venue: "v", Room: "Hall", Start: now.Add(-30 * time.Minute), End: now.Add(30 * time.Minute), Reservable: true},
			{Code: "GO201", Title: "Later", Type: lanyard.TypeSession, Venue: "v", Room: "Hall", Start: now.Add(time.Hour), End: now.Add(2 * time.Hour), Reservable: true},
		},
	}
	ev, cur := webtest.Import(t, db, lc)
	cat := cur.Load()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	badges := &badge.Service{DB: db, Event: ev}
	pages := &web.Handler{Catalog: cur, Store: db, Sessions: web.NewSessions(store.SessionStore{DB: db}), Hasher: auth.NewHasher(2), Badges: badges, Log: log}
	mux := http.NewServeMux()
	rt := &route.Table{Mux: mux}
	pages.Routes(rt)
	shell, err := contacts.NewShell(pages)
	if err != nil {
		t.Fatal(err)
	}
	st := &testStore{DB: db, reserved: map[int64][]int64{}}
	(&contacts.Handler{Shell: shell, Catalog: cur, Store: st, Badges: badges, Log: log, Now: func() time.Time { return now }}).Routes(rt)
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	e := &env{t: t, db: db, st: st, cat: cat, ev: ev, badges: badges, srv: srv, people: map[string]*lanyard.Attendee{}, now: now}
	for _, name := range []string{"Ada", "Bo", "Cy"} {
		a := &lanyard.Attendee{Name: name, Email: strings.ToLower(name) + "@example.com", Company: name + " Corp", JobTitle: "Engineer", Role: lanyard.RoleAttendee}
		webtest.SignUp(t, db, ev.ID, a)
		e.people[name] = a
	}
	return e
}

// testStore is the database, with the sessions each attendee holds a seat
// in given by the test (the engine writes them otherwise; the store's own
// query is tested in internal/store).
type testStore struct {
	*store.DB
	mu       sync.Mutex
	reserved map[int64][]int64
}

func (s *testStore) ContactReservedSessions(ctx context.Context, attendeeID int64) ([]int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reserved[attendeeID], nil
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

func (c *client) sync(scans ...contacts.Scan) (int, []contacts.ScanResult) {
	c.TB.Helper()
	b, _ := json.Marshal(map[string]any{"scans": scans})
	r := c.Send("POST", "/contacts/api/sync", "application/json", bytes.NewReader(b))
	var out struct {
		Results []contacts.ScanResult `json:"results"`
	}
	json.Unmarshal([]byte(r.Body), &out)
	return r.Status, out.Results
}

// token is the badge token of name's badge.
func (e *env) token(name string) string {
	e.t.Helper()
	tok, _, err := e.badges.Token(context.Background(), e.people[name])
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

func (e *env) contacts(name string) []lanyard.Contact {
	e.t.Helper()
	cs, err := e.db.Contacts(context.Background(), e.people[name].ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return cs
}

var locationID = regexp.MustCompile(`^/contacts/(\d+)$`)

// scanForm adds code as a contact through the page's form and returns the contact's ID.
func (c *client) scanForm(code string, extra url.Values) int64 {
	c.TB.Helper()
	form := url.Values{"nonce": {"form-" + strconv.FormatInt(time.Now().UnixNano(), 36)}, "code": {code}}
	for k, v := range extra {
		form[k] = v
	}
	r := c.Post("/contacts/scan", form)
	m := locationID.FindStringSubmatch(r.Header.Get("Location"))
	if r.Status != http.StatusSeeOther || m == nil {
		c.TB.Fatalf("scan: %d %q %s", r.Status, r.Header.Get("Location"), r.Body)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func TestExchangeTwoWayOnlySharedFields(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		// Bo shares his company and a phone, not his email or title.
		if err := db.PutSharing(ctx, lanyard.Sharing{AttendeeID: e.people["Bo"].ID, Fields: []string{lanyard.FieldCompany, lanyard.FieldPhone}, Phone: "+1 555 0100", Exchange: lanyard.ExchangeTwoWay}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PutExhibitor(ctx, e.ev.ID, lanyard.Exhibitor{Code: "acme", Name: "Acme", Booth: "1204"}); err != nil {
			t.Fatal(err)
		}
		ada, bo := e.signIn("Ada"), e.signIn("Bo")
		// Ada scans Bo's personal QR (the link) at Acme's booth.
		qr := bo.Get("/contacts/qr")
		link := regexp.MustCompile(`data-link="([^"]+)"`).FindStringSubmatch(qr.Body)
		if qr.Status != http.StatusOK || link == nil || !strings.Contains(link[1], url.QueryEscape(e.token("Bo"))) {
			t.Fatalf("Bo's QR page: %d, link %v", qr.Status, link)
		}
		if png := bo.Get("/contacts/qr.png"); png.Status != http.StatusOK || !strings.HasPrefix(png.Body, "\x89PNG") {
			t.Fatalf("qr.png: %d", png.Status)
		}
		// Opened from the link (a phone's camera app): the page says whose code it is, and adds nobody yet.
		u, _ := url.Parse(strings.ReplaceAll(link[1], "&amp;", "&"))
		if r := ada.Get(u.RequestURI()); r.Status != http.StatusOK || !strings.Contains(r.Body, `id="scan-who"><strong>Add Bo to your contacts?`) {
			t.Fatalf("scan page from the link: %d", r.Status)
		}
		if got := len(e.contacts("Ada")); got != 0 {
			t.Fatalf("opening the link added %d contacts", got)
		}
		id := ada.scanForm(strings.ReplaceAll(link[1], "&amp;", "&"), url.Values{"at": {"booth:acme"}})
		page := ada.Get("/contacts/" + strconv.FormatInt(id, 10))
		if page.Status != http.StatusOK || !strings.Contains(page.Body, "1 555 0100") || !strings.Contains(page.Body, "Bo Corp") || !strings.Contains(page.Body, "Acme · 1204") {
			t.Fatalf("Ada's contact page: %d %s", page.Status, page.Body)
		}
		if strings.Contains(page.Body, "bo@example.com") || strings.Contains(page.Body, "Engineer") {
			t.Fatalf("Ada sees what Bo did not share")
		}
		// The vCard carries the same, read back with go-vcard.
		vr := ada.Get("/contacts/vcf/" + strconv.FormatInt(id, 10))
		if vr.Status != http.StatusOK || !strings.HasPrefix(vr.Header.Get("Content-Type"), "text/vcard") {
			t.Fatalf("vcf: %d %s", vr.Status, vr.Header.Get("Content-Type"))
		}
		card, err := vcard.NewDecoder(strings.NewReader(vr.Body)).Decode()
		if err != nil {
			t.Fatal(err)
		}
		if card.Value(vcard.FieldVersion) != "4.0" || card.PreferredValue(vcard.FieldFormattedName) != "Bo" || card.Value(vcard.FieldOrganization) != "Bo Corp" ||
			card.Value(vcard.FieldTelephone) != "+1 555 0100" || card.Value(vcard.FieldEmail) != "" || card.Value(vcard.FieldTitle) != "" {
			t.Fatalf("vcard %q", vr.Body)
		}
		// Two-way: Bo has Ada's card, with Ada's defaults (company, title).
		bos := e.contacts("Bo")
		if len(bos) != 1 || bos[0].Card.Name != "Ada" || bos[0].Card.Company != "Ada Corp" || bos[0].Card.Email != "" || bos[0].Scanned {
			t.Fatalf("Bo's contacts: %+v", bos)
		}
		all := bo.Get("/contacts/export.vcf")
		cards := 0
		dec := vcard.NewDecoder(strings.NewReader(all.Body))
		for {
			c, err := dec.Decode()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			cards++
			if c.PreferredValue(vcard.FieldFormattedName) != "Ada" || c.Value(vcard.FieldTitle) != "Engineer" {
				t.Fatalf("Bo's export: %q", all.Body)
			}
		}
		if cards != 1 {
			t.Fatalf("Bo's export has %d cards", cards)
		}
		// Scanning Bo again keeps one contact.
		if again := ada.scanForm(e.token("Bo"), nil); again != id {
			t.Fatalf("second scan made contact %d, want %d", again, id)
		}
		if got := len(e.contacts("Ada")); got != 1 {
			t.Fatalf("Ada has %d contacts", got)
		}
	})
}

func TestExchangeOneWayAndSyncIdempotent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		if err := db.PutSharing(context.Background(), lanyard.Sharing{AttendeeID: e.people["Cy"].ID, Fields: lanyard.DefaultShared, Exchange: lanyard.ExchangeOneWay}); err != nil {
			t.Fatal(err)
		}
		ada := e.signIn("Ada")
		scans := []contacts.Scan{
			{Nonce: "offline-0001", Code: e.token("Cy"), ScannedAt: e.now.Add(-time.Hour)},
			{Nonce: "offline-0002", Code: "LY1NOTABADGEATALLXX"},
			{Nonce: "offline-0003", Code: e.token("Ada")},
			{Nonce: "bad", Code: e.token("Bo")},
			{Nonce: "offline-0004", Code: e.token("Bo"), At: "meetup:7", Label: "Go  Korea  번개"},
		}
		status, first := ada.sync(scans...)
		if status != http.StatusOK || len(first) != len(scans) {
			t.Fatalf("sync: %d %+v", status, first)
		}
		for i, want := range []string{"", lanyard.EINVALID, lanyard.EINVALID, lanyard.EINVALID, ""} {
			got := ""
			if first[i].Error != nil {
				got = first[i].Error.Code
			}
			if got != want || first[i].Nonce != scans[i].Nonce {
				t.Fatalf("result %d: %+v, want error %q", i, first[i], want)
			}
		}
		if !first[0].New || first[0].Name != "Cy" || first[0].ContactID == 0 {
			t.Fatalf("first result: %+v", first[0])
		}
		// The same queue again (the answer was lost): same contacts, nothing new.
		_, second := ada.sync(scans...)
		if second[0].ContactID != first[0].ContactID || second[0].New || second[4].ContactID != first[4].ContactID {
			t.Fatalf("repeat: %+v, first %+v", second, first)
		}
		cs := e.contacts("Ada")
		if len(cs) != 2 {
			t.Fatalf("Ada has %d contacts, want 2", len(cs))
		}
		for _, c := range cs {
			switch c.Card.Name {
			case "Cy":
				if !c.MetAt.Equal(e.now.Add(-time.Hour)) {
					t.Errorf("Cy met at %v, want the offline scan's time", c.MetAt)
				}
			case "Bo":
				if c.Where != (lanyard.ContactWhere{Kind: lanyard.WhereMeetup, Ref: "7", Label: "Go Korea 번개"}) {
					t.Errorf("Bo met at %+v", c.Where)
				}
			}
		}
		// One-way: Cy did not get Ada's card; two-way Bo did.
		if got := len(e.contacts("Cy")); got != 0 {
			t.Fatalf("one-way Cy has %d contacts", got)
		}
		if got := len(e.contacts("Bo")); got != 1 {
			t.Fatalf("Bo has %d contacts", got)
		}
		// A batch too big or empty is refused whole.
		if status, _ := ada.sync(); status != http.StatusBadRequest {
			t.Fatalf("empty sync: %d", status)
		}
	})
}

func TestContactsAuthorization(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ada, cy := e.signIn("Ada"), e.signIn("Cy")
		id := ada.scanForm(e.token("Bo"), nil)
		p := "/contacts/" + strconv.FormatInt(id, 10)
		// Cy never reads or changes Ada's contact.
		for _, r := range []*webtest.Resp{cy.Get(p), cy.Get("/contacts/vcf/" + strconv.FormatInt(id, 10)), cy.Post(p, url.Values{"notes": {"mine now"}, "stage": {"applied"}})} {
			if r.Status != http.StatusNotFound || r.Code() != lanyard.ENOTFOUND {
				t.Fatalf("Cy on Ada's contact: %d %q", r.Status, r.Code())
			}
		}
		for _, path := range []string{"/contacts", "/contacts/export.vcf", "/contacts/export.csv"} {
			if r := cy.Get(path); strings.Contains(r.Body, "Bo Corp") {
				t.Fatalf("Cy's %s shows Ada's contact", path)
			}
		}
		c, _ := db.Contact(context.Background(), e.people["Ada"].ID, id)
		if c.Notes != "" || c.Stage != lanyard.StageMet {
			t.Fatalf("Cy changed Ada's contact: %+v", c)
		}
		// Signed out: sent to sign in, or refused.
		anon := e.client()
		if r := anon.Get("/contacts"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/signin") {
			t.Fatalf("anonymous /contacts: %d %q", r.Status, r.Header.Get("Location"))
		}
		if status, _ := anon.sync(contacts.Scan{Nonce: "anon-0001", Code: e.token("Bo")}); status != http.StatusUnauthorized {
			t.Fatalf("anonymous sync: %d", status)
		}
		if r := anon.Post("/contacts/scan", url.Values{"nonce": {"anon-0002"}, "code": {e.token("Bo")}}); r.Status != http.StatusUnauthorized {
			t.Fatalf("anonymous scan: %d", r.Status)
		}
		// A cross-site form post is refused.
		req, _ := http.NewRequest("POST", e.srv.URL+p, strings.NewReader("notes=x"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		res, err := ada.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("cross-site post: %d", res.StatusCode)
		}
		// A bad code on the form: 400, the code, nothing added.
		if r := ada.Post("/contacts/scan", url.Values{"nonce": {"form-bad-1"}, "code": {"hello"}}); r.Status != http.StatusBadRequest || r.Code() != lanyard.EINVALID || !strings.Contains(r.Body, `id="scan-error"`) {
			t.Fatalf("bad code: %d %q", r.Status, r.Code())
		}
		if r := ada.Get("/contacts/999999"); r.Status != http.StatusNotFound {
			t.Fatalf("missing contact: %d", r.Status)
		}
		// Cy cannot remove it; Ada can, and Bo keeps his record of her.
		if r := cy.Post(p+"/delete", nil); r.Status != http.StatusNotFound {
			t.Fatalf("Cy removes Ada's contact: %d", r.Status)
		}
		if r := ada.Post(p+"/delete", nil); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/contacts" {
			t.Fatalf("Ada removes her contact: %d %q", r.Status, r.Header.Get("Location"))
		}
		if r := ada.Get(p); r.Status != http.StatusNotFound {
			t.Fatalf("a removed contact: %d", r.Status)
		}
		if got := len(e.contacts("Bo")); got != 1 {
			t.Fatalf("Bo has %d contacts after Ada removed hers", got)
		}
	})
}

func TestContactFollowUp(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		ada := e.signIn("Ada")
		id := ada.scanForm(e.token("Bo"), nil)
		p := "/contacts/" + strconv.FormatInt(id, 10)
		// Bad input: 400 with the code, and nothing changes.
		for _, form := range []url.Values{
			{"stage": {"hired"}},
			{"follow_up": {"next week"}},
			{"tags": {strings.Repeat("x", 31)}},
		} {
			if r := ada.Post(p, form); r.Status != http.StatusBadRequest || r.Code() != lanyard.EINVALID {
				t.Fatalf("%v: %d %q", form, r.Status, r.Code())
			}
		}
		// A date during the event: the reminder goes the morning after it.
		r := ada.Post(p, url.Values{"notes": {"=HYPERLINK(\"x\")"}, "tags": {"Hiring, go"}, "stage": {"in_talks"}, "follow_up": {"2026-12-01"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", r.Status, r.Body)
		}
		c, _ := db.Contact(ctx, e.people["Ada"].ID, id)
		if c.Stage != lanyard.StageInTalks || c.FollowUp != "2026-12-01" || strings.Join(c.Tags, ",") != "go,hiring" {
			t.Fatalf("saved %+v", c)
		}
		msgs, _ := db.Messages(ctx, e.ev.ID)
		var rem []lanyard.Message
		for _, m := range msgs {
			if m.Kind == lanyard.KindContactFollowUp {
				rem = append(rem, m)
			}
		}
		// 2026-12-03 09:00 in Los Angeles (the event runs 1–2 December).
		want := time.Date(2026, 12, 3, 17, 0, 0, 0, time.UTC)
		if len(rem) != 1 || !rem[0].NextAttemptAt.Equal(want) || rem[0].AttendeeID != e.people["Ada"].ID || !strings.Contains(rem[0].Body, "Bo") || !strings.Contains(rem[0].Body, p) {
			t.Fatalf("reminders %+v, want one due %v", rem, want)
		}
		if got := contacts.ReminderDue(e.ev, "2027-01-10"); !got.Equal(time.Date(2027, 1, 10, 17, 0, 0, 0, time.UTC)) {
			t.Fatalf("due after the event: %v", got)
		}
		// The list filters by tag and stage; the CSV keeps formulas inert.
		if l := ada.Get("/contacts?tag=hiring&stage=in_talks"); !strings.Contains(l.Body, `data-contact="`+strconv.FormatInt(id, 10)+`"`) {
			t.Fatalf("filtered list misses the contact")
		}
		if l := ada.Get("/contacts?stage=applied"); strings.Contains(l.Body, `data-contact="`) {
			t.Fatalf("stage filter keeps the contact")
		}
		rows, err := csv.NewReader(strings.NewReader(ada.Get("/contacts/export.csv").Body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[0][0] != "name" || rows[1][0] != "Bo" || rows[1][11] != `'=HYPERLINK("x")` || rows[1][10] != "go;hiring" {
			t.Fatalf("csv %q", rows)
		}
	})
}

// TestExchangeWhereSession: a scan records the session the scanner holds a
// seat in at the time; none at that time records nowhere.
func TestExchangeWhereSession(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		for _, code := range []string{"GO101", "GO201"} {
			s, err := e.cat.Session(code)
			if err != nil {
				t.Fatal(err)
			}
			e.st.reserved[e.people["Ada"].ID] = append(e.st.reserved[e.people["Ada"].ID], s.ID)
		}
		ada := e.signIn("Ada")
		_, res := ada.sync(
			contacts.Scan{Nonce: "where-0001", Code: e.token("Bo")},                                       // now: GO101
			contacts.Scan{Nonce: "where-0002", Code: e.token("Cy"), ScannedAt: e.now.Add(-2 * time.Hour)}, // before any
		)
		if len(res) != 2 || res[0].Error != nil || res[1].Error != nil {
			t.Fatalf("sync: %+v", res)
		}
		for _, c := range e.contacts("Ada") {
			want := lanyard.ContactWhere{}
			if c.Card.Name == "Bo" {
				want = lanyard.ContactWhere{Kind: lanyard.WhereSession, Ref: "GO101", Label: "GO101 · Go at scale"}
			}
			if c.Where != want {
				t.Errorf("%s: where %+v, want %+v", c.Card.Name, c.Where, want)
			}
		}
		// Bo's side of the two-way exchange records the same place.
		if bos := e.contacts("Bo"); len(bos) != 1 || bos[0].Where.Ref != "GO101" {
			t.Fatalf("Bo's contacts: %+v", bos)
		}
	})
}

// TestContactsKorean: the pages and the reminder speak the reader's language.
func TestContactsKorean(t *testing.T) {
	db := storetest.OpenSQLite(t)
	e := newEnv(t, db)
	ada := e.signIn("Ada")
	ada.Lang = "ko"
	id := ada.scanForm(e.token("Bo"), nil)
	p := "/contacts/" + strconv.FormatInt(id, 10)
	for path, want := range map[string]string{"/contacts": "내 연락처", p: "후속 연락일", "/contacts/scan": "연락처 스캔", "/contacts/qr": "내 연락처 QR"} {
		if r := ada.Get(path); r.Status != http.StatusOK || !strings.Contains(r.Body, want) {
			t.Errorf("%s in Korean: %d, missing %q", path, r.Status, want)
		}
	}
	if r := ada.Post(p, url.Values{"stage": {"met"}, "follow_up": {"2027-01-05"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d", r.Status)
	}
	msgs, _ := db.Messages(context.Background(), e.ev.ID)
	if len(msgs) == 0 || msgs[len(msgs)-1].Subject != "Bo 님에게 후속 연락하기" || msgs[len(msgs)-1].Language != "ko" {
		t.Fatalf("reminder %+v", msgs)
	}
}
