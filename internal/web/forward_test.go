package web

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestNeedsEngine(t *testing.T) {
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
		{"POST", "/reserve/X", true, true},
		{"POST", "/favorites", true, true},
		{"POST", "/favorites/reserve", true, true},
		{"GET", "/calendar/secret.ics", false, true},
		{"GET", "/live/seats", true, false},
		{"GET", "/static/app.css", true, false},
		{"POST", "/signin", false, false},
		{"GET", "/settings", true, false},
		{"GET", "/schedule.xml", false, false},
	} {
		r := httptest.NewRequest(tc.method, tc.path, nil)
		if tc.signedIn {
			r.Header.Set("Cookie", SessionCookie+"=x")
		}
		if got := NeedsEngine(r); got != tc.want {
			t.Errorf("%s %s signed in %v: %v; want %v", tc.method, tc.path, tc.signedIn, got, tc.want)
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
