package cluster

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/api"
	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/badge"
	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/console"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
	"github.com/lanyardhq/lanyard/internal/web"
)

// routesOf registers the API and the pages on a table whose ledger routes
// n forwards, wired as serve wires a cluster node: no fixed engine, n's
// seat counts.
func routesOf(n *Node, db *store.DB) *route.Table {
	var cur atomic.Pointer[catalog.Catalog]
	cur.Store(n.Catalog)
	badges := &badge.Service{DB: db, Event: n.Catalog.Event}
	tab := &route.Table{Mux: http.NewServeMux(), Forward: n.Forward}
	(&api.Handler{Catalog: &cur, Counts: n, Ident: db, Log: n.Log, Badges: badges, Swag: db}).Routes(tab) // === swag (issue 14): Swag
	pages := &web.Handler{Catalog: &cur, Counts: n, Store: db, Sessions: web.NewSessions(store.SessionStore{DB: db}),
		Hasher: auth.NewHasher(1), Badges: badges, Log: n.Log}
	pages.Routes(tab)
	// The organizer console: its setup and attendee pages use the engine.
	shell, err := console.NewShell(pages)
	if err != nil {
		panic(err)
	}
	(&console.Handler{Shell: shell, Catalog: &cur, Counts: n, Store: db, Log: n.Log}).Routes(tab)
	return tab
}

// requestFor makes a request that matches pattern ("POST /a/{code}"; a
// pattern without a method is sent as GET).
func requestFor(pattern string) *http.Request {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = http.MethodGet, pattern
	}
	if strings.HasSuffix(path, "/") {
		path += "x" // a subtree ("/" catches every other path): a path only it matches
	}
	path = strings.ReplaceAll(path, "{$}", "")
	for {
		i := strings.Index(path, "{")
		if i < 0 {
			break
		}
		j := strings.Index(path[i:], "}")
		path = path[:i] + "x" + path[i+j+1:]
	}
	return httptest.NewRequest(method, path, nil)
}

// Every route registered as needing the ledger, sent to a node that does
// not hold the lease, reaches the holder: the test walks the route table,
// so a route added tomorrow is covered. Pages any node serves stay here:
// an anonymous visitor's catalog page is not forwarded.
func TestForwardFollowsRegistration(t *testing.T) {
	db := storetest.OpenSQLite(t)
	cat, _ := mustEvent(t, db)
	var mu sync.Mutex
	var reached []*http.Request
	holder := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		reached = append(reached, r)
		mu.Unlock()
		io.WriteString(w, "from the holder")
	}))
	defer holder.Close()
	n := &Node{DB: db, Catalog: cat, Log: slog.New(slog.DiscardHandler), counts: map[string]lanyard.SeatCount{}}
	n.lease = store.Lease{Holder: "other", URL: holder.URL, Epoch: 1}
	tab := routesOf(n, db)

	forwarded, consoleForwarded := 0, false
	for _, rt := range tab.Routes() {
		r := requestFor(rt.Pattern)
		r.Header.Set("Cookie", web.SessionCookie+"=x") // signed in: pages with seats need the holder
		if !rt.Need.Ledger(r) {
			continue
		}
		forwarded++
		consoleForwarded = consoleForwarded || strings.HasPrefix(r.URL.Path, "/console/")
		w := httptest.NewRecorder()
		tab.Mux.ServeHTTP(w, r)
		if got, want := w.Body.String(), "from the holder"; w.Code != http.StatusOK || got != want {
			t.Errorf("%s: %d %q; want 200 %q", rt.Pattern, w.Code, got, want)
			continue
		}
		mu.Lock()
		last := reached[len(reached)-1]
		mu.Unlock()
		if got, want := last.Method+" "+last.URL.Path, r.Method+" "+r.URL.Path; got != want {
			t.Errorf("%s: the holder got %s; want %s", rt.Pattern, got, want)
		}
		if key := last.Header.Get("Idempotency-Key"); r.Method != http.MethodGet && !strings.HasPrefix(key, "fwd-") {
			t.Errorf("%s: forwarded with Idempotency-Key %q; want one added", rt.Pattern, key)
		}
	}
	// Seat commands, organizer and door routes, the attendee's pages.
	if forwarded < 30 {
		t.Fatalf("%d ledger routes forwarded; the table should hold every seat route", forwarded)
	}
	if !consoleForwarded {
		t.Errorf("no console route was forwarded; the console's setup pages use the engine")
	}

	mu.Lock()
	before := len(reached)
	mu.Unlock()
	for _, path := range []string{"/", "/sessions/S", "/api/v1/sessions", "/api/v1/event"} {
		w := httptest.NewRecorder()
		tab.Mux.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != http.StatusOK || strings.Contains(w.Body.String(), "from the holder") {
			t.Errorf("anonymous GET %s: %d %.80q; want 200 served here", path, w.Code, w.Body.String())
		}
	}
	mu.Lock()
	after := len(reached)
	mu.Unlock()
	if after != before {
		t.Errorf("anonymous requests reached the holder %d times; want 0", after-before)
	}
}

// On the holder a ledger route runs here, with the engine of the lease
// handed to the handler in the request's context: no handler keeps an
// engine of its own, which would outlive a change of lease.
func TestHolderServesWithItsEngine(t *testing.T) {
	ctx := context.Background()
	db := storetest.OpenSQLite(t)
	cat, attendee := mustEvent(t, db)
	e, err := reserve.Open(ctx, db, cat, reserve.Options{Tick: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if _, err := e.AddWindow(ctx, 0, "", lanyard.Window{SessionType: lanyard.TypeSession, Opens: time.Now().Add(-time.Hour), Closes: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	token, hash := auth.NewToken()
	if err := db.CreateTokens(ctx, []store.Token{{AttendeeID: attendee, Hash: hash, Name: "test"}}); err != nil {
		t.Fatal(err)
	}
	n := &Node{DB: db, Catalog: cat, Log: slog.New(slog.DiscardHandler), ID: "me", engine: e, until: time.Now().Add(time.Hour)}
	n.lease = store.Lease{Holder: "me", URL: "http://127.0.0.1:1", Epoch: 1} // unreachable: nothing may be relayed
	tab := routesOf(n, db)

	r := httptest.NewRequest("POST", "/api/v1/reservations", strings.NewReader(`{"sessions":["S"]}`))
	r.Header.Set("Authorization", "Bearer "+token)
	w := httptest.NewRecorder()
	tab.Mux.ServeHTTP(w, r)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"reserved"`) {
		t.Fatalf("reserve on the holder: %d %s", w.Code, w.Body.String())
	}
	if c, _ := n.Seats("S"); c.Taken != 1 {
		t.Fatalf("seats taken after the reservation: %d; want 1", c.Taken)
	}
}

// A route any node serves must not need the engine: on a node without the
// lease there is none. Every such route, sent with a signed-in attendee's
// cookie to a node that holds no engine, is answered here without a
// server error (a handler that reached for the engine would panic).
func TestAnyNodeRoutesNeedNoEngine(t *testing.T) {
	ctx := context.Background()
	db := storetest.OpenSQLite(t)
	cat, _ := mustEvent(t, db)
	hash, err := auth.NewHasher(1).Hash(ctx, "a long enough passphrase")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SignUp(ctx, cat.Event.ID, &lanyard.Attendee{Name: "Bo", Email: "bo@example.com", HomeZone: "Asia/Seoul"}, hash); err != nil {
		t.Fatal(err)
	}
	holder := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("%s %s reached the holder", r.Method, r.URL.Path)
	}))
	defer holder.Close()
	n := &Node{DB: db, Catalog: cat, Log: slog.New(slog.DiscardHandler), counts: map[string]lanyard.SeatCount{}}
	n.lease = store.Lease{Holder: "other", URL: holder.URL, Epoch: 1}
	tab := routesOf(n, db)

	signIn := httptest.NewRequest("POST", "/signin", strings.NewReader("email=bo%40example.com&password=a+long+enough+passphrase"))
	signIn.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	tab.Mux.ServeHTTP(w, signIn)
	cookie := ""
	for _, c := range w.Result().Cookies() {
		if c.Name == web.SessionCookie {
			cookie = c.Name + "=" + c.Value
		}
	}
	if w.Code != http.StatusSeeOther || cookie == "" {
		t.Fatalf("sign-in: %d, cookie %q", w.Code, cookie)
	}

	served := 0
	for _, rt := range tab.Routes() {
		r := requestFor(rt.Pattern)
		r.Header.Set("Cookie", cookie)
		if rt.Need.Ledger(r) || rt.Pattern == "POST /signout" { // signing out would end the test's session
			continue
		}
		served++
		rctx, cancel := context.WithTimeout(r.Context(), 200*time.Millisecond) // live seats streams until cancelled
		w := httptest.NewRecorder()
		func() {
			defer cancel()
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("%s panicked on a node without the engine: %v", rt.Pattern, p)
				}
			}()
			tab.Mux.ServeHTTP(w, r.WithContext(rctx))
		}()
		if w.Code >= 500 {
			t.Errorf("%s: %d on a node without the engine: %.200s", rt.Pattern, w.Code, w.Body.String())
		}
	}
	if served < 20 {
		t.Fatalf("%d any-node routes tried; the table should hold more", served)
	}
}
