package desk_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/badge"
	"github.com/lanyardhq/lanyard/internal/desk"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
	"github.com/lanyardhq/lanyard/internal/web"
	"github.com/lanyardhq/lanyard/internal/web/webtest"

	_ "modernc.org/sqlite"
)

// env is the web app and the desk over TLS on a fresh database, with one
// person of each role.
type env struct {
	t      *testing.T
	db     *store.DB
	ev     *lanyard.Event
	badges *badge.Service
	srv    *httptest.Server
	people map[lanyard.Role]*lanyard.Attendee
}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	lc := &lanyard.Catalog{
		Event:  lanyard.Event{Slug: "desk-conf", Name: "Desk Conf", TimeZone: "America/Los_Angeles", StartDate: "2026-12-01", Days: 2},
		Venues: []lanyard.Venue{{Code: "v", Name: "Venue", Rooms: []lanyard.Room{{Name: "Hall", Capacity: 100}}}},
	}
	ev, cur := webtest.Import(t, db, lc)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	badges := &badge.Service{DB: db, Event: ev}
	pages := &web.Handler{Catalog: cur, Store: db, Sessions: web.NewSessions(store.SessionStore{DB: db}), Hasher: auth.NewHasher(2), Badges: badges, Log: log}
	mux := http.NewServeMux()
	rt := &route.Table{Mux: mux}
	pages.Routes(rt)
	shell, err := desk.NewShell(pages)
	if err != nil {
		t.Fatal(err)
	}
	(&desk.Handler{Shell: shell, Catalog: cur, Store: db, Badges: badges, Log: log}).Routes(rt)
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	e := &env{t: t, db: db, ev: ev, badges: badges, srv: srv, people: map[lanyard.Role]*lanyard.Attendee{}}
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

// upload posts data as the photo of a multipart form, asking for JSON.
func (c *client) upload(path string, data []byte) *webtest.Resp {
	c.TB.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("photo", "desk.jpg")
	if err != nil {
		c.TB.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req, err := http.NewRequest("POST", c.URL+path, &buf)
	if err != nil {
		c.TB.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "application/json")
	return c.Do(req)
}

// byID returns the text of the element with the given id, or "".
func byID(body, id string) string {
	m := regexp.MustCompile(`(?s)id="` + regexp.QuoteMeta(id) + `"[^>]*>(.*?)</`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(m[1])
}

func path(a *lanyard.Attendee, rest string) string {
	return "/desk/attendees/" + strconv.FormatInt(a.ID, 10) + rest
}

// portrait is a w×h face-like picture: a background, a head of another
// tone, dark shoulders; level scales its brightness (1 is well lit).
func portrait(w, h int, level float64) []byte {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := 200 - 60*float64(y)/float64(h)
			dx, dy := float64(x-w/2)/(float64(w)*0.22), float64(y)-float64(h)*0.4
			dy /= float64(h) * 0.2
			switch {
			case dx*dx+dy*dy < 1:
				v = 120 + 40*dx
			case y > h*65/100 && x > w/8 && x < w*7/8:
				v = 40
			}
			l := uint8(max(0, min(255, v*level)))
			m.Set(x, y, color.RGBA{l, l, l, 255})
		}
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, m, &jpeg.Options{Quality: 90})
	return buf.Bytes()
}

// Only organizers and staff reach the desk, on every route; an attendee
// or exhibitor is refused with 403 and a code, and changes nothing.
func TestAuthorization(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	a := e.people[lanyard.RoleAttendee]
	self := path(a, "")
	routes := []struct {
		method, path string
		form         url.Values
	}{
		{"GET", "/desk", nil},
		{"GET", "/desk?q=person", nil},
		{"GET", "/desk/find?code=attendee@example.com", nil},
		{"GET", self, nil},
		{"GET", self + "/photo.jpg", nil},
		{"GET", self + "/badge.pdf", nil},
		{"POST", self + "/print", url.Values{"version": {"1"}}},
		{"POST", self + "/pickup", url.Values{}},
		{"POST", self + "/photo", url.Values{}},
		{"GET", "/desk/nothing", nil},
	}
	for _, role := range []lanyard.Role{lanyard.RoleAttendee, lanyard.RoleExhibitor} {
		c := e.signIn(role)
		for _, rt := range routes {
			r := c.Send(rt.method, rt.path, "application/x-www-form-urlencoded", strings.NewReader(rt.form.Encode()))
			if r.Status != http.StatusForbidden || r.Code() != lanyard.EFORBIDDEN {
				t.Errorf("%s: %s %s = %d %q, want 403 forbidden", role, rt.method, rt.path, r.Status, r.Code())
			}
		}
	}
	anon := e.client()
	for _, rt := range routes {
		r := anon.Send(rt.method, rt.path, "application/x-www-form-urlencoded", strings.NewReader(rt.form.Encode()))
		want := http.StatusSeeOther
		if rt.method == "POST" {
			want = http.StatusUnauthorized
		}
		if r.Status != want || (want == http.StatusSeeOther && !strings.HasPrefix(r.Header.Get("Location"), "/signin")) {
			t.Errorf("signed out: %s %s = %d %s, want %d", rt.method, rt.path, r.Status, r.Header.Get("Location"), want)
		}
	}
	// Nothing changed: not printed, not picked up, no photo.
	st, err := e.db.DeskBadge(context.Background(), a.ID)
	if err != nil || st.Version != 1 || st.Prints != 0 || st.PickedUpAt != nil {
		t.Errorf("after refused actions: %+v %v", st, err)
	}
	for _, role := range []lanyard.Role{lanyard.RoleStaff, lanyard.RoleOrganizer} {
		if r := e.signIn(role).Get(self); r.Status != http.StatusOK || byID(r.Body, "attendee-name") != a.Name {
			t.Errorf("%s: desk page %d", role, r.Status)
		}
	}
}

// Staff find people by a search of at least 3 characters, at most 10
// shown, never the whole list.
func TestSearch(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	var many []*lanyard.Attendee
	for i := range 12 {
		many = append(many, &lanyard.Attendee{Name: fmt.Sprintf("Lee Jiwoo %02d", i), Email: fmt.Sprintf("lee%02d@example.com", i), Role: lanyard.RoleAttendee})
	}
	if err := e.db.CreateAttendees(context.Background(), e.ev.ID, many); err != nil {
		t.Fatal(err)
	}
	staff := e.signIn(lanyard.RoleStaff)
	tests := []struct {
		q      string
		status int
		rows   int
		more   bool
		errID  string
	}{
		{"", 200, 0, false, ""},
		{"le", 422, 0, false, "q-error"},
		{"   ", 200, 0, false, ""},
		{"lee jiwoo", 200, 10, true, ""},
		{"jiwoo 1", 200, 2, false, ""},
		{"nobody here", 200, 0, false, ""},
		{strings.Repeat("x", 101), 422, 0, false, "q-error"},
	}
	for _, tt := range tests {
		r := staff.Get("/desk?q=" + url.QueryEscape(tt.q))
		if r.Status != tt.status {
			t.Errorf("q=%q: %d, want %d", tt.q, r.Status, tt.status)
		}
		if got := strings.Count(r.Body, "<li data-attendee="); got != tt.rows {
			t.Errorf("q=%q: %d rows, want %d", tt.q, got, tt.rows)
		}
		if got := strings.Contains(r.Body, `id="more-results"`); got != tt.more {
			t.Errorf("q=%q: more=%v", tt.q, got)
		}
		if tt.errID != "" && byID(r.Body, tt.errID) == "" {
			t.Errorf("q=%q: no %s", tt.q, tt.errID)
		}
		if strings.Contains(r.Body, "next-page") || strings.Contains(r.Body, "from=") {
			t.Errorf("q=%q: the desk pages through results", tt.q)
		}
	}
}

// A scanned code opens the person's page: a badge token (printed, or on
// their phone, or in a link), an email; anything else is refused with a
// code, and a voided badge says it was replaced.
func TestFindByCode(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	ctx := context.Background()
	a := e.people[lanyard.RoleAttendee]
	tok, _, err := e.badges.Token(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	altered := tok[:len(tok)-2] + map[bool]string{true: "AA", false: "BB"}[!strings.HasSuffix(tok, "AA")]
	staff := e.signIn(lanyard.RoleStaff)
	check := func(code string, status int, errCode string) *webtest.Resp {
		t.Helper()
		r := staff.Get("/desk/find?code=" + url.QueryEscape(code))
		if r.Status != status || r.Code() != errCode {
			t.Errorf("code %q: %d %q, want %d %q", code, r.Status, r.Code(), status, errCode)
		}
		if status == http.StatusSeeOther && r.Header.Get("Location") != path(a, "") {
			t.Errorf("code %q: to %s", code, r.Header.Get("Location"))
		}
		return r
	}
	check(tok, http.StatusSeeOther, "")
	check(strings.ToLower(tok), http.StatusSeeOther, "")                          // a wedge with caps lock the wrong way
	check("https://desk-conf.example/b?t="+tok, http.StatusSeeOther, "")          // a link that carries the token
	check("ATTENDEE@example.com", http.StatusSeeOther, "")                        // typed
	check("", http.StatusBadRequest, lanyard.EINVALID)                            // empty
	check("hello", http.StatusBadRequest, lanyard.EBadgeInvalid)                  // not a code
	check(strings.Repeat("A", 400), http.StatusBadRequest, lanyard.EBadgeInvalid) // too long
	if r := check(altered, http.StatusBadRequest, lanyard.EBadgeInvalid); byID(r.Body, "code-error") == "" {
		t.Error("altered token: no message")
	}
	check("nobody@example.com", http.StatusNotFound, lanyard.ENOTFOUND)
	// A badge since reprinted: refused as replaced, naming its holder.
	if _, err := e.db.ReplaceBadge(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	r := check(tok, http.StatusConflict, lanyard.EBadgeReplaced)
	if !strings.Contains(byID(r.Body, "code-error"), "version 1") || !strings.Contains(r.Body, `href="`+path(a, "")+`" id="replaced-link"`) {
		t.Errorf("replaced badge: %s / %s", byID(r.Body, "code-error"), byID(r.Body, "replaced-holder"))
	}
	// Korean staff read it in Korean.
	staff.Lang = "ko"
	if r := check(tok, http.StatusConflict, lanyard.EBadgeReplaced); !strings.Contains(byID(r.Body, "code-error"), "교체") {
		t.Errorf("in Korean: %q", byID(r.Body, "code-error"))
	}
}

// Printing records the print; printing again is a reprint that must be
// confirmed, voids the old badge (its token is refused, the new one
// verifies) and is in the audit log; a stale or bad form changes nothing.
func TestPrintAndReprint(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		a := e.people[lanyard.RoleAttendee]
		staff := e.signIn(lanyard.RoleStaff)
		state := func() store.DeskBadge {
			t.Helper()
			st, err := db.DeskBadge(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			return st
		}
		old, _, err := e.badges.Token(ctx, a)
		if err != nil {
			t.Fatal(err)
		}

		// Bad input changes nothing.
		for _, v := range []string{"", "x", "0", "-1"} {
			if r := staff.Post(path(a, "/print"), url.Values{"version": {v}}); r.Status != http.StatusBadRequest || r.Code() != lanyard.EINVALID {
				t.Errorf("version %q: %d %s", v, r.Status, r.Code())
			}
		}
		if r := staff.Post("/desk/attendees/999999/print", url.Values{"version": {"1"}}); r.Status != http.StatusNotFound {
			t.Errorf("unknown attendee: %d", r.Status)
		}
		if st := state(); st.Prints != 0 || st.Version != 1 {
			t.Fatalf("after bad input: %+v", st)
		}

		// The first print: no void.
		r := staff.Post(path(a, "/print"), url.Values{"version": {"1"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != path(a, "?printed=1#badge") {
			t.Fatalf("print: %d %s", r.Status, r.Header.Get("Location"))
		}
		if st := state(); st.Prints != 1 || st.Version != 1 || st.PrintedBy != e.people[lanyard.RoleStaff].ID || st.PrintedAt == nil {
			t.Errorf("after print: %+v", st)
		}
		if _, err := e.badges.Verify(ctx, old); err != nil {
			t.Errorf("the first badge does not verify: %v", err)
		}
		// The page it lands on opens the new badge's PDF.
		if page := staff.Get(path(a, "?printed=1")); !strings.Contains(page.Body, `src="`+path(a, "/badge.pdf?v=1")+`"`) {
			t.Errorf("the page after printing does not open the PDF: %s", byID(page.Body, "print-ready"))
		}
		pdf := staff.Get(path(a, "/badge.pdf?v=1"))
		if pdf.Status != 200 || pdf.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.Body, "%PDF-") {
			t.Errorf("badge.pdf: %d %s", pdf.Status, pdf.Header.Get("Content-Type"))
		}

		// The page warns before a reprint; a reprint not confirmed is refused.
		page := staff.Get(path(a, ""))
		if !strings.Contains(byID(page.Body, "reprint-warning"), "voids badge version 1") || byID(page.Body, "badge-reprints") != "0" {
			t.Errorf("page before reprint: warning %q reprints %q", byID(page.Body, "reprint-warning"), byID(page.Body, "badge-reprints"))
		}
		if r := staff.Post(path(a, "/print"), url.Values{"version": {"1"}}); r.Status != http.StatusConflict || r.Code() != "reprint_unconfirmed" {
			t.Errorf("unconfirmed reprint: %d %s", r.Status, r.Code())
		}
		if st := state(); st.Version != 1 || st.Prints != 1 {
			t.Errorf("after an unconfirmed reprint: %+v", st)
		}

		// The reprint voids version 1.
		if r := staff.Post(path(a, "/print"), url.Values{"version": {"1"}, "void": {"1"}}); r.Status != http.StatusSeeOther || r.Header.Get("Location") != path(a, "?printed=2#badge") {
			t.Fatalf("reprint: %d %s", r.Status, r.Header.Get("Location"))
		}
		if st := state(); st.Version != 2 || st.Prints != 2 || st.Reprints() != 1 {
			t.Errorf("after reprint: %+v", st)
		}
		_, err = e.badges.Verify(ctx, old)
		if err == nil || !strings.Contains(lanyard.ErrorMessage(err), "replaced") {
			t.Errorf("the voided badge: %v, want refused as replaced", err)
		}
		fresh, _, err := e.badges.Token(ctx, a)
		if err != nil || fresh == old {
			t.Fatalf("new token %q %v", fresh, err)
		}
		if got, err := e.badges.Verify(ctx, fresh); err != nil || got.ID != a.ID {
			t.Errorf("the new badge: %v %v", got, err)
		}
		// The same form sent twice (a double click) does not void the new badge.
		if r := staff.Post(path(a, "/print"), url.Values{"version": {"1"}, "void": {"1"}}); r.Status != http.StatusConflict || r.Code() != lanyard.ECONFLICT {
			t.Errorf("stale reprint: %d %s", r.Status, r.Code())
		}
		if st := state(); st.Version != 2 {
			t.Errorf("a stale reprint voided the new badge: %+v", st)
		}
		if page := staff.Get(path(a, "")); byID(page.Body, "badge-reprints") != "1" || byID(page.Body, "badge-version") != "2" {
			t.Errorf("page after reprint: version %q reprints %q", byID(page.Body, "badge-version"), byID(page.Body, "badge-reprints"))
		}
		entries, err := db.FindAudit(ctx, e.ev.ID, store.AuditFilter{AttendeeID: a.ID})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, en := range entries {
			actions = append(actions, en.Action+":"+en.Detail)
			if en.ActorID != e.people[lanyard.RoleStaff].ID {
				t.Errorf("audit %s by %d", en.Action, en.ActorID)
			}
		}
		if got, want := strings.Join(actions, ","), "badge_reprinted:v1 → v2,badge_printed:v1"; got != want {
			t.Errorf("audit %s, want %s", got, want)
		}
	})
}

// Pick-up records who and when, once; a reprint clears it for the new badge.
func TestPickUp(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		a := e.people[lanyard.RoleAttendee]
		org := e.signIn(lanyard.RoleOrganizer)
		if r := org.Post(path(a, "/pickup"), url.Values{}); r.Status != http.StatusSeeOther {
			t.Fatalf("pick up: %d", r.Status)
		}
		st, err := db.DeskBadge(ctx, a.ID)
		if err != nil || st.PickedUpAt == nil || st.PickedUpBy != e.people[lanyard.RoleOrganizer].ID {
			t.Fatalf("after pick-up: %+v %v", st, err)
		}
		first := *st.PickedUpAt
		// Another desk marks it again: the first time and who stay.
		if r := e.signIn(lanyard.RoleStaff).Post(path(a, "/pickup"), url.Values{}); r.Status != http.StatusSeeOther {
			t.Fatalf("second pick up: %d", r.Status)
		}
		st, _ = db.DeskBadge(ctx, a.ID)
		if !st.PickedUpAt.Equal(first) || st.PickedUpBy != e.people[lanyard.RoleOrganizer].ID {
			t.Errorf("second pick-up changed it: %+v", st)
		}
		entries, _ := db.FindAudit(ctx, e.ev.ID, store.AuditFilter{AttendeeID: a.ID})
		if len(entries) != 1 || entries[0].Action != "badge_pickup" {
			t.Errorf("audit: %+v", entries)
		}
		page := org.Get(path(a, ""))
		if !strings.Contains(page.Body, "Person organizer") || strings.Contains(page.Body, `id="pickup"`) {
			t.Errorf("page after pick-up: %s", byID(page.Body, "badge-pickup"))
		}
		// A picked-up badge is out: printing again voids it, and the new one
		// is not picked up.
		if r := org.Post(path(a, "/print"), url.Values{"version": {"1"}}); r.Status != http.StatusConflict {
			t.Errorf("print of a picked-up badge without confirming: %d", r.Status)
		}
		if r := org.Post(path(a, "/print"), url.Values{"version": {"1"}, "void": {"1"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("reprint: %d", r.Status)
		}
		st, _ = db.DeskBadge(ctx, a.ID)
		if st.Version != 2 || st.PickedUpAt != nil || st.PickedUpBy != 0 {
			t.Errorf("after reprint: %+v", st)
		}
	})
}

// The desk's capture goes through the attendee upload's processing and
// checks and is stored as their badge photo; a refusal stores nothing and
// says why in the desk's language.
func TestPhotoUpload(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	ctx := context.Background()
	a := e.people[lanyard.RoleAttendee]
	staff := e.signIn(lanyard.RoleStaff)

	var ans struct {
		URL     string
		Flagged bool
		Checks  []struct{ Code, Message string }
		Error   *lanyard.Error
	}
	decode := func(r *webtest.Resp) {
		t.Helper()
		ans.Checks, ans.Error = nil, nil
		if err := json.Unmarshal([]byte(r.Body), &ans); err != nil {
			t.Fatalf("%d %s: %v", r.Status, r.Body, err)
		}
	}
	// A good capture: stored, no checks, served back.
	r := staff.upload(path(a, "/photo"), portrait(720, 960, 1))
	decode(r)
	if r.Status != 200 || ans.Flagged || len(ans.Checks) != 0 || !strings.HasPrefix(ans.URL, path(a, "/photo.jpg?v=")) {
		t.Fatalf("good photo: %d %+v", r.Status, ans)
	}
	p, err := e.badges.Photo(ctx, a.ID)
	if err != nil || p.Flagged {
		t.Fatalf("stored: %+v %v", p, err)
	}
	if img := staff.Get(ans.URL); img.Status != 200 || img.Header.Get("Content-Type") != "image/jpeg" || !bytes.Equal([]byte(img.Body), p.JPEG) {
		t.Errorf("photo.jpg: %d %s", img.Status, img.Header.Get("Content-Type"))
	}

	// A dark one is stored, flagged, and says so in Korean for a Korean desk.
	staff.Lang = "ko"
	decode(staff.upload(path(a, "/photo"), portrait(720, 960, 0.25)))
	if !ans.Flagged || len(ans.Checks) != 1 || ans.Checks[0].Code != "too_dark" || !strings.Contains(ans.Checks[0].Message, "조명") {
		t.Errorf("dark photo: %+v", ans)
	}

	// Refusals: nothing stored, a code and a message in the desk's language.
	before, _ := e.badges.Photo(ctx, a.ID)
	staff.Lang = "en"
	tests := []struct {
		name   string
		data   []byte
		status int
		code   string
		words  string
	}{
		{"pdf", []byte("%PDF-1.4 not a photo"), http.StatusUnsupportedMediaType, lanyard.EPhotoUnsupported, "not a JPEG"},
		{"truncated", portrait(720, 960, 1)[:500], http.StatusUnprocessableEntity, lanyard.EPhotoCorrupt, "damaged"},
		{"tiny", portrait(90, 120, 1), http.StatusUnprocessableEntity, lanyard.EPhotoTooSmall, "too small"},
		{"empty", nil, http.StatusBadRequest, lanyard.EINVALID, "No photo"},
	}
	for _, tt := range tests {
		r := staff.upload(path(a, "/photo"), tt.data)
		decode(r)
		if r.Status != tt.status || ans.Error == nil || ans.Error.Code != tt.code || !strings.Contains(ans.Error.Message, tt.words) {
			t.Errorf("%s: %d %+v", tt.name, r.Status, ans.Error)
		}
	}
	if after, _ := e.badges.Photo(ctx, a.ID); !bytes.Equal(after.JPEG, before.JPEG) {
		t.Error("a refused photo replaced the stored one")
	}
	// A plain form post (no script) is sent back to the page.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("photo", "x.png")
	fw.Write([]byte("GIF89a"))
	mw.Close()
	if r := staff.Send("POST", path(a, "/photo"), mw.FormDataContentType(), &buf); r.Status != http.StatusUnsupportedMediaType || byID(r.Body, "desk-error") == "" {
		t.Errorf("form post of a GIF: %d %q", r.Status, byID(r.Body, "desk-error"))
	}
	entries, _ := e.db.FindAudit(ctx, e.ev.ID, store.AuditFilter{AttendeeID: a.ID})
	if len(entries) != 2 || entries[0].Action != "badge_photo" {
		t.Errorf("audit: %+v", entries)
	}
}

// The desk's scripts are served, versioned, with the shared scanner's;
// jsQR ships with its licence.
func TestStatic(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	page := e.signIn(lanyard.RoleStaff).Get("/desk")
	m := regexp.MustCompile(`src="(/desk/static/desk\.js\?v=[0-9a-f]+)"`).FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("the desk page loads no desk.js:\n%s", page.Body)
	}
	c := e.client()
	if r := c.Get(m[1]); r.Status != 200 || !strings.Contains(r.Header.Get("Cache-Control"), "immutable") || !strings.Contains(r.Body, "BarcodeDetector") {
		t.Errorf("desk.js: %d %s", r.Status, r.Header.Get("Cache-Control"))
	}
	// The shared scanner and jsQR, with its licence, are the web app's.
	if !regexp.MustCompile(`src="/static/scan\.js\?v=[0-9a-f]+" data-jsqr="/static/jsQR\.js\?v=[0-9a-f]+"`).MatchString(page.Body) {
		t.Errorf("the desk page loads no shared scanner:\n%s", page.Body)
	}
	if r := c.Get("/static/jsQR.LICENSE.txt"); r.Status != 200 || !strings.Contains(r.Body, "Apache License") {
		t.Errorf("jsQR licence: %d", r.Status)
	}
	if r := c.Get("/desk/static/nope.js"); r.Status != 404 {
		t.Errorf("unknown file: %d", r.Status)
	}
}

// A cancelled ticket gets no badge: printing is refused, nothing recorded.
func TestPrintCanceled(t *testing.T) {
	file := filepath.Join(t.TempDir(), "desk.db")
	e := newEnv(t, storetest.Open(t, file))
	a := e.people[lanyard.RoleAttendee]
	raw, err := sql.Open("sqlite", file)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("UPDATE attendees SET canceled_at = CURRENT_TIMESTAMP WHERE id = ?", a.ID); err != nil {
		t.Fatal(err)
	}
	staff := e.signIn(lanyard.RoleStaff)
	if r := staff.Get(path(a, "")); byID(r.Body, "attendee-canceled") == "" {
		t.Error("the page does not say the ticket is cancelled")
	}
	r := staff.Post(path(a, "/print"), url.Values{"version": {"1"}})
	if r.Status != http.StatusForbidden || r.Code() != lanyard.ETicketCanceled || byID(r.Body, "desk-error") == "" {
		t.Errorf("print for a cancelled ticket: %d %s", r.Status, r.Code())
	}
	if st, _ := e.db.DeskBadge(context.Background(), a.ID); st.Prints != 0 {
		t.Errorf("recorded: %+v", st)
	}
}
