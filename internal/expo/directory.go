package expo

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/floorplan"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/web"
)

// facet is one category with how many exhibitors of the search have it.
type facet struct {
	Name    string
	Count   int
	Checked bool
}

type directoryData struct {
	Q          string
	Facets     []facet
	Booths     []store.ExpoBooth
	Total      int
	Favorites  map[int64]bool
	HasMap     bool
	SignedIn   bool
	Categories []string // the chosen ones
}

// matches reports whether b matches every word of q (name, booth number,
// description or a category, case-insensitively).
func matches(b store.ExpoBooth, words []string) bool {
	hay := strings.ToLower(b.Name + " " + b.Booth + " " + b.Code + " " + b.Description + " " + strings.Join(b.Categories, " "))
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// directory is /expo: search as words over name, booth, description and
// categories; categories as checkbox facets (?cat=AI&cat=Storage, any of
// them), each with its count among the search's matches.
func (h *Handler) directory(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(q) > 200 {
		h.refuse(w, r, http.StatusBadRequest, "query_too_long", "expo.directory.too_long")
		return
	}
	cats := r.URL.Query()["cat"]
	booths, err := h.Store.ExpoBooths(ctx, h.event().ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	words := strings.Fields(strings.ToLower(q))
	count := map[string]int{}
	var found []store.ExpoBooth
	for _, b := range booths {
		if !matches(b, words) {
			continue
		}
		for _, c := range b.Categories {
			count[c]++
		}
		if len(cats) == 0 || slices.ContainsFunc(b.Categories, func(c string) bool { return slices.Contains(cats, c) }) {
			found = append(found, b)
		}
	}
	d := directoryData{Q: q, Booths: found, Total: len(booths), Categories: cats, Favorites: map[int64]bool{}}
	for _, b := range booths { // every category of the event, so a facet never vanishes
		for _, c := range b.Categories {
			if !slices.ContainsFunc(d.Facets, func(f facet) bool { return f.Name == c }) {
				d.Facets = append(d.Facets, facet{Name: c, Count: count[c], Checked: slices.Contains(cats, c)})
			}
		}
	}
	slices.SortFunc(d.Facets, func(a, b facet) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	if u := h.Shell.User(r); u != nil {
		d.SignedIn = true
		ids, err := h.Store.ExpoFavoriteBooths(ctx, h.event().ID, u.ID)
		if err != nil {
			h.Shell.ServerError(w, r, err)
			return
		}
		for _, id := range ids {
			d.Favorites[id] = true
		}
	}
	_, err = h.Store.ExpoMap(ctx, h.event().ID)
	d.HasMap = err == nil
	h.render(w, r, http.StatusOK, "directory", "expo.directory.title", d)
}

// boothMark is a booth drawn over the map.
type boothMark struct {
	Code, Label, Name string
	X, Y, W, H        float64
	CX, CY            float64 // the middle: where a walk goes
	Point, Lit        bool
	Stop              int // its number on the walk, 0 if not on it
}

// mapView is the map with booths drawn over it by the page (never in the plan).
type mapView struct {
	Src                 string
	MinX, MinY, W, H, R float64
	Marks               []boothMark
	Route               string // an SVG polyline's points: the walk
	Entrance            Point
}

// mapOf builds the map's view with every marked booth, lit ones marked;
// nil without a map.
func (h *Handler) mapOf(ctx context.Context, booths []store.ExpoBooth, lit func(store.ExpoBooth) bool) (*mapView, error) {
	m, err := h.Store.ExpoMap(ctx, h.event().ID)
	if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	v := &mapView{Src: "/expo/map.img?v=" + strconv.FormatInt(m.Version, 10), MinX: m.MinX, MinY: m.MinY, W: m.Width, H: m.Height,
		R: max(m.Width, m.Height) / 100, Entrance: Point{m.MinX + m.Width/2, m.MinY + m.Height}}
	for _, b := range booths {
		if !b.Marked {
			continue
		}
		v.Marks = append(v.Marks, boothMark{Code: b.Code, Label: b.Booth, Name: b.Name, X: b.X, Y: b.Y, W: b.W, H: b.H,
			CX: b.X + b.W/2, CY: b.Y + b.H/2, Point: b.W == 0 || b.H == 0, Lit: lit != nil && lit(b)})
	}
	return v, nil
}

// boothEvent is a booth event as the pages show it.
type boothEvent struct {
	store.ExpoEvent
	Favorite bool
	FirstDay bool // a giveaway on the event's first day: "first day only"
}

type boothData struct {
	Booth    store.ExpoBooth
	Events   []boothEvent
	Favorite bool
	SignedIn bool
	Map      *mapView
}

// firstDay reports whether e is a giveaway on the event's first day
// (venue time): what the pages mark "first day only", for people who walk
// the booths early for the scarce swag.
func (h *Handler) firstDay(e store.ExpoEvent) bool {
	c := h.Catalog.Load()
	return e.Kind == store.ExpoGiveaway && e.Starts.In(c.Loc).Format(time.DateOnly) == c.Event.StartDate
}

func (h *Handler) boothPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ev := h.event()
	b, err := h.Store.ExpoBooth(ctx, ev.ID, r.PathValue("code"))
	if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
		h.refuse(w, r, http.StatusNotFound, lanyard.ENOTFOUND, "expo.booth.not_found", "Code", r.PathValue("code"))
		return
	}
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	d := boothData{Booth: b}
	events, err := h.Store.ExpoEvents(ctx, ev.ID, b.ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	favEvents := map[int64]bool{}
	if u := h.Shell.User(r); u != nil {
		d.SignedIn = true
		ids, err := h.Store.ExpoFavoriteBooths(ctx, ev.ID, u.ID)
		if err != nil {
			h.Shell.ServerError(w, r, err)
			return
		}
		d.Favorite = slices.Contains(ids, b.ID)
		fav, err := h.Store.ExpoFavoriteEvents(ctx, ev.ID, u.ID)
		if err != nil {
			h.Shell.ServerError(w, r, err)
			return
		}
		for _, e := range fav {
			favEvents[e.ID] = true
		}
	}
	for _, e := range events {
		d.Events = append(d.Events, boothEvent{ExpoEvent: e, Favorite: favEvents[e.ID], FirstDay: h.firstDay(e)})
	}
	booths, err := h.Store.ExpoBooths(ctx, ev.ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	if d.Map, err = h.mapOf(ctx, booths, func(o store.ExpoBooth) bool { return o.ID == b.ID }); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	p := h.Shell.Page(r, "expo.booth.title", nil, d)
	p.Title = b.Name
	h.Shell.Render(w, r, http.StatusOK, "booth", p)
}

// back is where a favorite's form returns: the form's own page if local.
func back(r *http.Request, fallback string) string {
	if n := r.PostFormValue("next"); n != "" {
		return web.LocalPath(n)
	}
	return fallback
}

// on reads a favorite form's "on": "1" adds, "0" removes.
func on(r *http.Request) (bool, bool) {
	switch r.PostFormValue("on") {
	case "1":
		return true, true
	case "0":
		return false, true
	}
	return false, false
}

func (h *Handler) favoriteBooth(w http.ResponseWriter, r *http.Request) {
	ev := h.event()
	want, ok := on(r)
	if !ok {
		h.refuse(w, r, http.StatusBadRequest, "invalid_on", "expo.favorite.invalid")
		return
	}
	b, err := h.Store.ExpoBooth(r.Context(), ev.ID, r.PathValue("code"))
	if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
		h.refuse(w, r, http.StatusNotFound, lanyard.ENOTFOUND, "expo.booth.not_found", "Code", r.PathValue("code"))
		return
	}
	if err == nil {
		err = h.Store.ExpoFavoriteBooth(r.Context(), ev.ID, h.Shell.User(r).ID, b.ID, want)
	}
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	msg := "expo.favorite.booth_off"
	if want {
		msg = "expo.favorite.booth_on"
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, msg, "Name", b.Name))
	http.Redirect(w, r, back(r, "/expo/"+b.Code), http.StatusSeeOther)
}

func (h *Handler) favoriteEvent(w http.ResponseWriter, r *http.Request) {
	want, ok := on(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if !ok || err != nil || id <= 0 {
		h.refuse(w, r, http.StatusBadRequest, "invalid_on", "expo.favorite.invalid")
		return
	}
	err = h.Store.ExpoFavoriteEvent(r.Context(), h.event().ID, h.Shell.User(r).ID, id, want)
	if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
		h.refuse(w, r, http.StatusNotFound, lanyard.ENOTFOUND, "expo.event.not_found")
		return
	}
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	msg := "expo.favorite.event_off"
	if want {
		msg = "expo.favorite.event_on"
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, msg))
	http.Redirect(w, r, back(r, "/agenda"), http.StatusSeeOther)
}

type routeData struct {
	Map      *mapView
	Stops    []boothMark // in walking order
	Unmarked []store.ExpoBooth
	Events   []boothEvent
}

// routePage is /expo/route: the attendee's favorite booths in a walking
// order from the hall's entrance, drawn on the map, and their favorite
// booth events.
func (h *Handler) routePage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ev := h.event()
	u := h.Shell.User(r)
	ids, err := h.Store.ExpoFavoriteBooths(ctx, ev.ID, u.ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	booths, err := h.Store.ExpoBooths(ctx, ev.ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	fav := func(b store.ExpoBooth) bool { return slices.Contains(ids, b.ID) }
	var d routeData
	if d.Map, err = h.mapOf(ctx, booths, fav); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	var marks []boothMark
	for _, b := range booths {
		if !fav(b) {
			continue
		}
		if !b.Marked || d.Map == nil {
			d.Unmarked = append(d.Unmarked, b)
		}
	}
	if d.Map != nil {
		var pts []Point
		for _, m := range d.Map.Marks {
			if m.Lit {
				marks = append(marks, m)
				pts = append(pts, Point{m.CX, m.CY})
			}
		}
		order := Walk(d.Map.Entrance, pts)
		line := []string{pointStr(d.Map.Entrance)}
		for n, i := range order {
			m := marks[i]
			m.Stop = n + 1
			d.Stops = append(d.Stops, m)
			line = append(line, pointStr(Point{m.CX, m.CY}))
			for k := range d.Map.Marks {
				if d.Map.Marks[k].Code == m.Code {
					d.Map.Marks[k].Stop = n + 1
				}
			}
		}
		if len(order) > 0 {
			d.Map.Route = strings.Join(line, " ")
		}
	}
	fe, err := h.Store.ExpoFavoriteEvents(ctx, ev.ID, u.ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	for _, e := range fe {
		d.Events = append(d.Events, boothEvent{ExpoEvent: e, Favorite: true, FirstDay: h.firstDay(e)})
	}
	h.render(w, r, http.StatusOK, "route", "expo.route.title", d)
}

func pointStr(p Point) string {
	return strconv.FormatFloat(p.X, 'f', 2, 64) + "," + strconv.FormatFloat(p.Y, 'f', 2, 64)
}

// serveMap writes the expo map as an image: its own type, a policy that
// forbids script and loading anything, nosniff (floorplan.ServeHeaders).
func (h *Handler) serveMap(w http.ResponseWriter, r *http.Request) {
	format, data, version, err := h.Store.ExpoMapData(r.Context(), h.event().ID)
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
	etag := `"` + strconv.FormatInt(version, 36) + `"`
	if r.URL.Query().Get("v") == strconv.FormatInt(version, 10) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}
