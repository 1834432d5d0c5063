package route_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/lanyardhq/lanyard/internal/route"
)

// Forward wraps exactly the requests that need the ledger: every request
// of a Ledger route, those of a LedgerIf route that meet its condition,
// none of an Any route.
func TestForwardFollowsNeed(t *testing.T) {
	tab := &route.Table{Mux: http.NewServeMux(), Forward: func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "forwarded") })
	}}
	local := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "local") })
	signedIn := func(r *http.Request) bool { return r.Header.Get("Cookie") != "" }
	tab.Handle("GET /any", route.Any, local)
	tab.Handle("POST /seat", route.Ledger, local)
	tab.Handle("GET /page", route.LedgerIf(signedIn), local)

	for _, tc := range []struct {
		method, path, cookie, want string
	}{
		{"GET", "/any", "", "local"},
		{"GET", "/any", "s=1", "local"},
		{"POST", "/seat", "", "forwarded"},
		{"GET", "/page", "", "local"},
		{"GET", "/page", "s=1", "forwarded"},
	} {
		r := httptest.NewRequest(tc.method, tc.path, nil)
		if tc.cookie != "" {
			r.Header.Set("Cookie", tc.cookie)
		}
		w := httptest.NewRecorder()
		tab.Mux.ServeHTTP(w, r)
		if got := w.Body.String(); got != tc.want {
			t.Errorf("%s %s cookie %q: %q; want %q", tc.method, tc.path, tc.cookie, got, tc.want)
		}
	}
	if got, want := len(tab.Routes()), 3; got != want {
		t.Fatalf("%d routes recorded, want %d", got, want)
	}
	// Without Forward (one node) every route is served here.
	one := &route.Table{Mux: http.NewServeMux()}
	one.Handle("POST /seat", route.Ledger, local)
	w := httptest.NewRecorder()
	one.Mux.ServeHTTP(w, httptest.NewRequest("POST", "/seat", nil))
	if got, want := w.Body.String(), "local"; got != want {
		t.Errorf("one node: %q; want %q", got, want)
	}
}
