package cluster

import (
	"net/http/httptest"
	"testing"
)

func TestNeedsEngine(t *testing.T) {
	for _, tc := range []struct {
		method, path string
		want         bool
	}{
		{"POST", "/api/v1/reservations", true},
		{"DELETE", "/api/v1/reservations/X", true},
		{"GET", "/api/v1/me/agenda", true},
		{"GET", "/api/v1/admin/windows", true},
		{"GET", "/api/v1/sessions", false},
		{"PUT", "/api/v1/me/photo", false},
		{"GET", "/api/v1/me/badge.pdf", false},
		{"POST", "/api/v1/badges/verify", false},
		{"GET", "/api/v1/admin/badges.zip", false},
		{"POST", "/api/v1/admin/badges/7/pickup", false},
		{"GET", "/api/v1/admin/photos", false},
		{"GET", "/calendar/secret.ics", true},
		{"GET", "/static/app.css", false},
	} {
		if got := needsEngine(httptest.NewRequest(tc.method, tc.path, nil)); got != tc.want {
			t.Errorf("%s %s: %v; want %v", tc.method, tc.path, got, tc.want)
		}
	}
}
