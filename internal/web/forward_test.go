package web

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"testing"

	"github.com/lanyardhq/lanyard/internal/route/routetest"

	"github.com/lanyardhq/lanyard/internal/naive"
	"github.com/lanyardhq/lanyard/internal/route"
)

// Which page requests the lease holder must serve follows from how each
// route is registered: pages with the signed-in attendee's seats when a
// sign-in cookie comes with them, the calendar feed always, nothing else.
func TestLedgerRoutes(t *testing.T) {
	tab := &route.Table{Mux: http.NewServeMux()}
	(&Handler{Sessions: NewSessions(nil)}).Routes(tab)
	needs := map[string]route.Need{}
	for _, rt := range tab.Routes() {
		needs[rt.Pattern] = rt.Need
	}
	for _, tc := range []struct {
		method, path string
		signedIn     bool
		want         bool
	}{
		{"GET", "/", false, false},
		{"GET", "/", true, true},
		{"GET", "/sessions/KEY001", false, false},
		{"GET", "/sessions/KEY001", true, true},
		{"GET", "/agenda", true, true},
		{"GET", "/agenda.ics", true, true},
		{"POST", "/agenda/cancel/X", true, true},
		{"POST", "/agenda/switch/X", true, true},
		{"POST", "/agenda/leave/X", true, true},
		{"POST", "/reserve/X", true, true},
		{"GET", "/favorites", true, true},
		{"POST", "/favorites", true, true},
		{"POST", "/favorites/reserve", true, true},
		{"GET", "/calendar/secret.ics", false, true},
		{"GET", "/live/seats", true, false},
		{"GET", "/static/app.css", true, false},
		{"POST", "/signin", false, false},
		{"GET", "/settings", true, false},
		{"POST", "/agenda/feed", true, false}, // a new feed secret is the store's
		{"GET", "/photo", true, false},
		{"GET", "/schedule.xml", false, false},
	} {
		r := httptest.NewRequest(tc.method, tc.path, nil)
		if tc.signedIn {
			r.Header.Set("Cookie", SessionCookie+"=x")
		}
		_, pattern := tab.Mux.Handler(r)
		need, ok := needs[pattern]
		if !ok {
			t.Errorf("%s %s: no route (pattern %q)", tc.method, tc.path, pattern)
			continue
		}
		if got := need.Ledger(r); got != tc.want {
			t.Errorf("%s %s signed in %v: ledger %v; want %v", tc.method, tc.path, tc.signedIn, got, tc.want)
		}
	}
}

// An engine without reserve.Plans (the naive baseline) gets no favorites
// or switch pages, rather than pages that answer "unsupported".
func TestRoutesFollowRoles(t *testing.T) {
	tab := &route.Table{Mux: http.NewServeMux()}
	(&Handler{Engine: &naive.Engine{}, Sessions: NewSessions(nil)}).Routes(tab)
	pats := tab.Patterns()
	for _, p := range []string{"GET /favorites", "POST /favorites", "POST /favorites/reserve", "POST /agenda/switch/{code}"} {
		if slices.Contains(pats, p) {
			t.Errorf("%s registered for an engine without reserve.Plans", p)
		}
	}
	for _, p := range []string{"GET /{$}", "POST /reserve/{code}", "POST /agenda/cancel/{code}", "GET /agenda"} {
		if !slices.Contains(pats, p) {
			t.Errorf("%s not registered", p)
		}
	}
}

func TestClientAddr(t *testing.T) {
	h := &Handler{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("127.0.0.1/32")}}
	for _, tc := range []struct {
		remote string
		xff    []string
		want   string
	}{
		{"203.0.113.9:5000", nil, "203.0.113.9"},
		{"203.0.113.9:5000", []string{"1.2.3.4"}, "203.0.113.9"}, // not from a proxy: the header is ignored
		{"10.0.0.5:5000", []string{"198.51.100.7"}, "198.51.100.7"},
		{"10.0.0.5:5000", []string{"6.6.6.6, 198.51.100.7"}, "198.51.100.7"},             // the client's own entry comes first and is not believed
		{"10.0.0.5:5000", []string{"6.6.6.6", "198.51.100.7, 10.0.0.9"}, "198.51.100.7"}, // a chain of proxies
		{"10.0.0.5:5000", nil, "10.0.0.5"},
		{"[::ffff:127.0.0.1]:80", []string{"198.51.100.7"}, "198.51.100.7"},
	} {
		r := httptest.NewRequest("POST", "/signin", nil)
		r.RemoteAddr = tc.remote
		for _, v := range tc.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := h.clientAddr(r); got != tc.want {
			t.Errorf("%s %v: %q; want %q", tc.remote, tc.xff, got, tc.want)
		}
	}
}

// Handlers take the engine from the request, never from the Engine field.
func TestHandlersTakeEngineFromRequest(t *testing.T) {
	routetest.EngineFieldCalls(t, ".")
}
