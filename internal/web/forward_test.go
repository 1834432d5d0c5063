package web

import (
	"net/http/httptest"
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
