package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/lanyardhq/lanyard/internal/route/routetest"

	"github.com/lanyardhq/lanyard/internal/naive"
	"github.com/lanyardhq/lanyard/internal/route"
)

// Every route is in the OpenAPI document, and the document names no route
// that does not exist.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	t0 := &route.Table{Mux: http.NewServeMux()}
	(&Handler{}).Routes(t0)
	routes := t0.Patterns()
	slices.Sort(documented)
	slices.Sort(routes)
	if !slices.Equal(documented, routes) {
		t.Fatalf("routes and OpenAPI paths differ:\nroutes     %v\ndocumented %v", routes, documented)
	}
}

// An engine registers the routes of the roles it has: the naive baseline
// (reserve.Seats only) gets no organizer, door, switch or wishlist route,
// so those answer 404 instead of "unsupported".
func TestRoutesFollowRoles(t *testing.T) {
	tab := &route.Table{Mux: http.NewServeMux()}
	(&Handler{Engine: &naive.Engine{}}).Routes(tab)
	pats := tab.Patterns()
	for _, p := range pats {
		if strings.Contains(p, "/door/") || strings.Contains(p, "/wishlist") || strings.HasSuffix(p, "/switch") ||
			(strings.Contains(p, "/admin/") && !strings.Contains(p, "/admin/badges") && !strings.Contains(p, "/admin/photos") &&
				!strings.Contains(p, "/admin/attendees") && !strings.Contains(p, "/admin/signup-mode") && !strings.Contains(p, "/admin/webhooks")) {
			t.Errorf("%s registered for the naive engine", p)
		}
	}
	for _, p := range []string{"POST /api/v1/reservations", "DELETE /api/v1/reservations/{code}", "GET /api/v1/me/agenda"} {
		if !slices.Contains(pats, p) {
			t.Errorf("%s not registered for the naive engine", p)
		}
	}
	w := httptest.NewRecorder()
	tab.Mux.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/admin/settings", nil))
	if got, want := w.Code, http.StatusNotFound; got != want {
		t.Errorf("GET /api/v1/admin/settings on the naive engine: %d; want %d", got, want)
	}
}

// Handlers take the engine from the request, never from the Engine field.
func TestHandlersTakeEngineFromRequest(t *testing.T) {
	routetest.EngineFieldCalls(t, ".")
}
