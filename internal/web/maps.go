package web

// The venue maps: a venue's floor plans with a room highlighted (the
// session page and the agenda link here), the list of venues, and the
// shuttle routes with the next departures. Plans are served only as
// images, with headers that forbid script (floorplan.ServeHeaders).

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/klauspost/compress/gzhttp"

	"github.com/lanyardhq/lanyard/internal/floorplan"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/shuttle"
)

// MapStore is what the map pages read; the pages exist when Store has it.
type MapStore interface {
	VenuePlans(ctx context.Context, eventID int64, venue string) ([]lanyard.VenuePlan, error)
	PlanData(ctx context.Context, eventID, planID int64) (format string, data []byte, version int64, err error)
	ShuttleRoutes(ctx context.Context, eventID int64) ([]lanyard.ShuttleRoute, error)
}

// mapRoutes registers the map pages: public like the catalog, any node.
func (h *Handler) mapRoutes(t *route.Table) {
	ms, ok := h.Store.(MapStore)
	if !ok {
		return
	}
	page := func(pattern string, fn http.HandlerFunc) { t.Handle(pattern, route.Any, h.wrap(fn)) }
	page("GET /map", func(w http.ResponseWriter, r *http.Request) { h.mapsPage(w, r, ms) })
	page("GET /map/{venue}", func(w http.ResponseWriter, r *http.Request) { h.venueMapPage(w, r, ms) })
	// The same for everyone, no session: what an offline app caches.
	t.Handle("GET /map/data.json", route.Any, gzhttp.GzipHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.mapData(w, r, ms) })))
	// No session and no gzip wrapper: an image, the same for everyone.
	t.HandleFunc("GET /map/plans/{id}", route.Any, func(w http.ResponseWriter, r *http.Request) { ServePlan(w, r, ms, h.Catalog.Load().Event.ID) })
}

// ServePlan writes plan {id} of the event as an image: its own type, a
// policy that forbids script and loading anything, nosniff. The console
// shows plans through this same route.
func ServePlan(w http.ResponseWriter, r *http.Request, ms MapStore, eventID int64) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	format, data, version, err := ms.PlanData(r.Context(), eventID, id)
	if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	for k, v := range floorplan.ServeHeaders {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", lanyard.PlanContentType(format))
	// The page asks for ?v=version: a new upload is a new URL.
	if r.URL.Query().Get("v") == strconv.FormatInt(version, 10) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("ETag", `"`+strconv.FormatInt(version, 36)+`"`)
	if r.Header.Get("If-None-Match") == `"`+strconv.FormatInt(version, 36)+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}

// mapVenue is a venue on the list of maps.
type mapVenue struct {
	Code, Name string
	Plans      int
}

// mapRoute is a shuttle route as the pages list it.
type mapRoute struct {
	Name  string
	Every int
	Stops []mapStop
	Days  []string // "Mon, Nov 30 · 7:00 AM – 9:00 PM"
}

type mapStop struct {
	Code, Name string
	Ride       int // minutes from the stop before
}

func (h *Handler) mapsPage(w http.ResponseWriter, r *http.Request, ms MapStore) {
	p := h.newPage(r, "maps.title")
	c := h.Catalog.Load()
	plans, err := ms.VenuePlans(r.Context(), c.Event.ID, "")
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	count := map[string]int{}
	for _, pl := range plans {
		count[pl.Venue]++
	}
	routes, err := h.mapRoutesList(r.Context(), ms, p)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var venues []mapVenue
	for _, v := range c.Venues {
		venues = append(venues, mapVenue{Code: v.Code, Name: v.Name, Plans: count[v.Code]})
	}
	p.Data = struct {
		Venues []mapVenue
		Routes []mapRoute
	}{venues, routes}
	h.render(w, r, http.StatusOK, "maps", p)
}

// mapRoutesList reads the routes in the words of the page.
func (h *Handler) mapRoutesList(ctx context.Context, ms MapStore, p *page) ([]mapRoute, error) {
	rs, err := ms.ShuttleRoutes(ctx, p.Event.ID)
	if err != nil {
		return nil, err
	}
	out := make([]mapRoute, 0, len(rs))
	for _, r := range rs {
		mr := mapRoute{Name: r.Name, Every: r.Every}
		for _, s := range r.Stops {
			mr.Stops = append(mr.Stops, mapStop{Code: s.Venue, Name: p.VenueName(s.Venue), Ride: s.RideMinutes})
		}
		for _, d := range r.Days {
			day, err := time.ParseInLocation(time.DateOnly, d.Date, p.Venue)
			if err != nil {
				continue
			}
			first, _ := time.ParseInLocation("2006-01-02 15:04", d.Date+" "+d.First, p.Venue)
			last, _ := time.ParseInLocation("2006-01-02 15:04", d.Date+" "+d.Last, p.Venue)
			mr.Days = append(mr.Days, p.translator.Day(day)+" · "+p.translator.Clock(first)+" – "+p.translator.Clock(last))
		}
		out = append(out, mr)
	}
	return out, nil
}

// venuePlan is one plan on a venue's map page.
type venuePlan struct {
	lanyard.VenuePlan
	Src  string // the image's URL
	Lit  *lanyard.PlanRoom
	Cx   float64 // where the highlighted room's pin goes
	Cy   float64
	Size float64 // a pin's size in plan units: 2.5% of the plan's width
}

// departure is a bus leaving the venue, in the page's words.
type departure struct {
	Route, When string
	At          time.Time
	Calls       []string // "Wynn 7:08 AM"
}

func (h *Handler) venueMapPage(w http.ResponseWriter, r *http.Request, ms MapStore) {
	c := h.Catalog.Load()
	code := r.PathValue("venue")
	var venue *lanyard.Venue
	for i := range c.Venues {
		if c.Venues[i].Code == code {
			venue = &c.Venues[i]
			break
		}
	}
	if venue == nil {
		h.notFound(w, r)
		return
	}
	p := h.newPage(r, "maps.title")
	p.Title = venue.Name
	room := r.URL.Query().Get("room")
	plans, err := ms.VenuePlans(r.Context(), c.Event.ID, code)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var out []venuePlan
	found := false
	for _, pl := range plans {
		vp := venuePlan{VenuePlan: pl, Src: "/map/plans/" + strconv.FormatInt(pl.ID, 10) + "?v=" + strconv.FormatInt(pl.Version, 10), Size: pl.Width / 40}
		for i := range pl.Rooms {
			if room != "" && pl.Rooms[i].Room == room {
				m := pl.Rooms[i]
				// The pin sits on the mark's top edge, clear of the
				// room's name drawn in its middle.
				vp.Lit, vp.Cx, vp.Cy = &m, m.X+m.W/2, m.Y
				found = true
			}
		}
		out = append(out, vp)
	}
	// The plan with the room comes first.
	for i := range out {
		if out[i].Lit != nil && i > 0 {
			lit := out[i]
			copy(out[1:i+1], out[:i])
			out[0] = lit
			break
		}
	}
	var deps []departure
	if routes, err := ms.ShuttleRoutes(r.Context(), c.Event.ID); err != nil {
		h.serverError(w, r, err)
		return
	} else if compiled, err := shuttle.Compile(routes, p.Venue); err == nil {
		for _, d := range shuttle.Departures(compiled, code, time.Now(), 8) {
			at := d.At.In(p.Venue)
			dep := departure{Route: d.Route, At: d.At, When: p.translator.Day(at) + " " + p.translator.Clock(at)}
			for _, call := range d.Calls {
				dep.Calls = append(dep.Calls, p.VenueName(call.Venue)+" "+p.translator.Clock(call.At.In(p.Venue)))
			}
			deps = append(deps, dep)
		}
	}
	p.Data = struct {
		Venue      *lanyard.Venue
		Room       string
		Found      bool
		Plans      []venuePlan
		Departures []departure
		RoomLink   func(string) string
	}{venue, room, found, out, deps, func(name string) string {
		return "/map/" + url.PathEscape(code) + "?room=" + url.QueryEscape(name)
	}}
	h.render(w, r, http.StatusOK, "map", p)
}

// mapDataVenue is a venue in /map/data.json: its plans (with each image's
// URL) and marked rooms.
type mapDataVenue struct {
	Code  string        `json:"code"`
	Name  string        `json:"name"`
	Plans []mapDataPlan `json:"plans"`
}

type mapDataPlan struct {
	lanyard.VenuePlan
	Src string `json:"src"`
}

// mapData writes every venue's plans and the shuttle routes as JSON, for
// an app that works offline (the images are at each plan's src; times of
// day are in the event's zone, given as time_zone).
func (h *Handler) mapData(w http.ResponseWriter, r *http.Request, ms MapStore) {
	c := h.Catalog.Load()
	plans, err := ms.VenuePlans(r.Context(), c.Event.ID, "")
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	routes, err := ms.ShuttleRoutes(r.Context(), c.Event.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	out := struct {
		TimeZone string                 `json:"time_zone"`
		Venues   []mapDataVenue         `json:"venues"`
		Routes   []lanyard.ShuttleRoute `json:"shuttle_routes"`
	}{TimeZone: c.Event.TimeZone, Venues: []mapDataVenue{}, Routes: routes}
	for _, v := range c.Venues {
		dv := mapDataVenue{Code: v.Code, Name: v.Name, Plans: []mapDataPlan{}}
		for _, p := range plans {
			if p.Venue == v.Code {
				dv.Plans = append(dv.Plans, mapDataPlan{p, "/map/plans/" + strconv.FormatInt(p.ID, 10) + "?v=" + strconv.FormatInt(p.Version, 10)})
			}
		}
		out.Venues = append(out.Venues, dv)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=60")
	json.NewEncoder(w).Encode(out)
}
