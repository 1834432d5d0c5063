package webtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
)

// Password is the password of everyone SignUp creates.
const Password = "correct horse battery"

// PasswordHash is Password hashed at the cheapest cost, computed once per
// test binary.
var PasswordHash = sync.OnceValue(func() string {
	h, err := auth.NewHasher(1).Hash(context.Background(), Password)
	if err != nil {
		panic(err)
	}
	return h
})

// SignUp creates a in the event with Password, filling in a.ID.
func SignUp(tb testing.TB, db *store.DB, eventID int64, a *lanyard.Attendee) {
	tb.Helper()
	if err := db.SignUp(context.Background(), eventID, a, PasswordHash()); err != nil {
		tb.Fatalf("sign up %s: %v", a.Email, err)
	}
}

// Client is one browser: its own cookie jar, trusting the test server's
// certificate, returning redirects instead of following them.
type Client struct {
	TB   testing.TB   // the test a failed request fails
	URL  string       // the server's base URL
	HTTP *http.Client // for requests the helpers do not cover
	Lang string       // sent as Accept-Language when not empty
}

// NewClient returns a signed-out client of srv.
func NewClient(tb testing.TB, srv *httptest.Server) *Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		tb.Fatal(err)
	}
	return &Client{TB: tb, URL: srv.URL, HTTP: &http.Client{
		Transport: srv.Client().Transport, Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// SignIn posts the sign-in form and fails the test unless it redirects
// (303), which is how the app says the session cookie is set.
func (c *Client) SignIn(email, password string) {
	c.TB.Helper()
	if r := c.Post("/signin", url.Values{"email": {email}, "password": {password}}); r.Status != http.StatusSeeOther {
		c.TB.Fatalf("sign in as %s: %d", email, r.Status)
	}
}

// Resp is a response read whole.
type Resp struct {
	Status int
	Header http.Header
	Body   string
}

// Code is the response's X-Lanyard-Code, the error code a refusal carries.
func (r *Resp) Code() string { return r.Header.Get("X-Lanyard-Code") }

// Expect fails the test unless r has the status and, when code is not
// empty, the X-Lanyard-Code.
func (r *Resp) Expect(tb testing.TB, status int, code string) {
	tb.Helper()
	if r.Status != status {
		tb.Fatalf("status %d, want %d (%s): %.300s", r.Status, status, r.Code(), r.Body)
	}
	if code != "" && r.Code() != code {
		tb.Fatalf("code %q, want %q", r.Code(), code)
	}
}

// Do sends req with c's cookies and Lang and reads the response.
func (c *Client) Do(req *http.Request) *Resp {
	c.TB.Helper()
	if c.Lang != "" {
		req.Header.Set("Accept-Language", c.Lang)
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.TB.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.TB.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	return &Resp{Status: res.StatusCode, Header: res.Header, Body: string(b)}
}

// Send sends a request for path on the server, with the Content-Type if
// not empty.
func (c *Client) Send(method, path, contentType string, body io.Reader) *Resp {
	c.TB.Helper()
	req, err := http.NewRequest(method, c.URL+path, body)
	if err != nil {
		c.TB.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return c.Do(req)
}

// Get gets path.
func (c *Client) Get(path string) *Resp {
	c.TB.Helper()
	return c.Send("GET", path, "", nil)
}

// Post posts form to path, URL-encoded.
func (c *Client) Post(path string, form url.Values) *Resp {
	c.TB.Helper()
	return c.Send("POST", path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

// PostJSON posts v to path as JSON.
func (c *Client) PostJSON(path string, v any) *Resp {
	c.TB.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		c.TB.Fatal(err)
	}
	return c.Send("POST", path, "application/json", bytes.NewReader(b))
}

// Import imports lc into db and returns its event and its catalog loaded
// as a server holds it (the pointer a handler's Catalog field takes).
func Import(tb testing.TB, db *store.DB, lc *lanyard.Catalog) (*lanyard.Event, *atomic.Pointer[catalog.Catalog]) {
	tb.Helper()
	ctx := context.Background()
	if _, err := db.ImportCatalog(ctx, lc); err != nil {
		tb.Fatal(err)
	}
	ev, err := db.FindEventBySlug(ctx, lc.Event.Slug)
	if err != nil {
		tb.Fatal(err)
	}
	cat, err := catalog.Load(ctx, db, ev)
	if err != nil {
		tb.Fatal(err)
	}
	var cur atomic.Pointer[catalog.Catalog]
	cur.Store(cat)
	return ev, &cur
}
