// Package route is the route table the API and the web pages register on.
// Each route says whether it needs the ledger (the reservation engine,
// which runs on the one node holding the event's lease), so that on a
// cluster node the forwarding of a request follows from the route it
// matches: there is no list of paths to keep beside the routes.
package route

import "net/http"

// Need says which node may serve a route.
type Need struct {
	ledger bool
	when   func(*http.Request) bool // nil: always
}

var (
	// Any is served by any node: from memory, the database, or the seat
	// counts every node keeps.
	Any = Need{}
	// Ledger is served by the lease holder: the route's handler calls the
	// engine.
	Ledger = Need{ledger: true}
)

// LedgerIf is served by the lease holder when cond holds for the request,
// and by any node otherwise: a page that shows a signed-in attendee's seats
// but, to an anonymous visitor, only the catalog.
func LedgerIf(cond func(*http.Request) bool) Need { return Need{ledger: true, when: cond} }

// Ledger reports whether r, matched to a route of this need, must be
// served by the lease holder.
func (n Need) Ledger(r *http.Request) bool { return n.ledger && (n.when == nil || n.when(r)) }

// Route is a registered pattern and what it needs.
type Route struct {
	Pattern string
	Need    Need
}

// Table registers routes on a mux and remembers them.
type Table struct {
	Mux *http.ServeMux
	// Forward wraps the handler of every route that needs the ledger, for
	// the requests that do (a cluster node: serve them here with the engine
	// of the lease it holds, or relay them to the holder). Nil serves them
	// here: one node, one engine.
	Forward func(next http.Handler) http.Handler

	routes []Route
}

// Handle registers h for pattern (a net/http ServeMux pattern).
func (t *Table) Handle(pattern string, need Need, h http.Handler) {
	t.routes = append(t.routes, Route{pattern, need})
	if need.ledger && t.Forward != nil {
		fwd := t.Forward(h)
		if need.when == nil {
			h = fwd
		} else {
			local := h
			h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if need.when(r) {
					fwd.ServeHTTP(w, r)
					return
				}
				local.ServeHTTP(w, r)
			})
		}
	}
	t.Mux.Handle(pattern, h)
}

// HandleFunc registers fn for pattern.
func (t *Table) HandleFunc(pattern string, need Need, fn http.HandlerFunc) {
	t.Handle(pattern, need, fn)
}

// Routes returns the routes registered so far, in order.
func (t *Table) Routes() []Route { return t.routes }

// Patterns returns the patterns registered so far, in order.
func (t *Table) Patterns() []string {
	out := make([]string, len(t.routes))
	for i, r := range t.routes {
		out[i] = r.Pattern
	}
	return out
}
