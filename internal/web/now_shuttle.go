package web

import (
	"context"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/shuttle"
)

// The shuttle timetables "now and next" names a bus from. The routes are
// compiled once per catalog and then at most every shuttleTTL: organizers
// edit them in the console, a separate handler, and the page refreshes
// every minute anyway, so a minute-old timetable is as fresh as the page.

// shuttleTTL is how long compiled routes are used before being read again.
const shuttleTTL = time.Minute

// shuttleCache is the compiled routes of one catalog (one event, one zone).
type shuttleCache struct {
	cat    *catalog.Catalog
	loaded time.Time // wall clock, not the page's clock
	routes []shuttle.Route
}

// shuttleRoutes returns the event's compiled routes; nil when the store
// keeps none (no MapStore) or the event has none. A route that does not
// compile is left out with a warning: the page keeps the travel matrix's
// words rather than failing.
func (h *Handler) shuttleRoutes(ctx context.Context, c *catalog.Catalog) ([]shuttle.Route, error) {
	ms, ok := h.Store.(MapStore)
	if !ok {
		return nil, nil
	}
	h.shuttleMu.Lock()
	defer h.shuttleMu.Unlock()
	if sc := h.shuttles; sc != nil && sc.cat == c && time.Since(sc.loaded) < shuttleTTL {
		return sc.routes, nil
	}
	rs, err := ms.ShuttleRoutes(ctx, c.Event.ID)
	if err != nil {
		return nil, err
	}
	compiled, err := shuttle.Compile(rs, c.Loc)
	if err != nil {
		h.Log.Warn("now and next: shuttle routes do not compile", "event", c.Event.ID, "err", err)
		compiled = nil
	}
	h.shuttles = &shuttleCache{cat: c, loaded: time.Now(), routes: compiled}
	return compiled, nil
}

// serves reports whether any route carries riders from venue from to
// venue to, on any day: only then is "no shuttle arrives in time" news.
func serves(routes []shuttle.Route, from, to string) bool {
	_, _, _, ok := shuttle.Next(routes, from, to, time.Time{})
	return ok
}

// Both is the time in the primary zone, then the other in brackets when
// the attendee has one: a bus's departure written in a sentence.
func (c clocks) Both() string {
	if c.Secondary == "" {
		return c.Primary
	}
	return c.Primary + " (" + c.Secondary + ")"
}
