package console

// Venue maps and shuttles in the console: organizers upload floor plans
// per venue (floorplan.Read decides the type by content and sanitizes an
// SVG), mark rooms on them by clicking, and enter shuttle routes (by form
// or a JSON import of the whole timetable).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/floorplan"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/shuttle"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/web"
)

// MapStore is what the maps and shuttles pages keep; the pages exist when
// the console's Store has it.
type MapStore interface {
	web.MapStore
	SavePlan(ctx context.Context, eventID int64, p store.NewPlan) (int64, error)
	Plan(ctx context.Context, eventID, planID int64) (lanyard.VenuePlan, error)
	DeletePlan(ctx context.Context, eventID, planID int64) error
	MarkRoom(ctx context.Context, eventID, planID int64, m lanyard.PlanRoom) error
	UnmarkRoom(ctx context.Context, eventID, planID, roomID int64) error
	SaveShuttleRoute(ctx context.Context, eventID int64, r lanyard.ShuttleRoute) (int64, error)
	ReplaceShuttleRoutes(ctx context.Context, eventID int64, rs []lanyard.ShuttleRoute) error
	DeleteShuttleRoute(ctx context.Context, eventID, id int64) error
}

// planStatus is the status of a refused plan, by its code.
var planStatus = map[string]int{
	lanyard.EPlanTooLarge:    http.StatusRequestEntityTooLarge,
	lanyard.EPlanUnsupported: http.StatusUnsupportedMediaType,
	lanyard.EPlanInvalid:     http.StatusBadRequest,
}

func (h *Handler) mapRoutes(t *route.Table) {
	ms, ok := h.Store.(MapStore)
	if !ok {
		return
	}
	with := func(fn func(http.ResponseWriter, *http.Request, MapStore)) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { fn(w, r, ms) }
	}
	h.handle(t, "GET /console/maps", route.Any, Organizers, with(h.mapsPage))
	h.handle(t, "GET /console/maps/{venue}", route.Any, Organizers, with(h.venuePlansPage))
	h.handle(t, "POST /console/maps/{venue}", route.Any, Organizers, with(h.uploadPlan))
	h.handle(t, "GET /console/plans/{id}", route.Any, Organizers, with(h.planPage))
	h.handle(t, "POST /console/plans/{id}/rooms", route.Any, Organizers, with(h.markRoom))
	h.handle(t, "POST /console/plans/{id}/delete", route.Any, Organizers, with(h.deletePlan))
	h.handle(t, "GET /console/shuttles", route.Any, Organizers, with(h.shuttlesPage))
	h.handle(t, "POST /console/shuttles", route.Any, Organizers, with(h.saveShuttle))
	h.handle(t, "POST /console/shuttles/import", route.Any, Organizers, with(h.importShuttles))
	h.handle(t, "POST /console/shuttles/{id}/delete", route.Any, Organizers, with(h.deleteShuttle))
}

// venue returns the event's venue of code, or nil.
func (h *Handler) venue(code string) *lanyard.Venue {
	c := h.Catalog.Load()
	for i := range c.Venues {
		if c.Venues[i].Code == code {
			return &c.Venues[i]
		}
	}
	return nil
}

// refuse sets a refused form's machine-readable code; the caller writes
// the page again with the status and the message.
func (h *Handler) refuse(w http.ResponseWriter, code string) {
	w.Header().Set("X-Lanyard-Code", code)
}

type mapsVenue struct {
	Code, Name   string
	Rooms, Plans int
	Marked       int
}

func (h *Handler) mapsPage(w http.ResponseWriter, r *http.Request, ms MapStore) {
	plans, err := ms.VenuePlans(r.Context(), h.event().ID, "")
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	var venues []mapsVenue
	for _, v := range h.Catalog.Load().Venues {
		mv := mapsVenue{Code: v.Code, Name: v.Name, Rooms: len(v.Rooms)}
		marked := map[int64]bool{}
		for _, p := range plans {
			if p.Venue == v.Code {
				mv.Plans++
				for _, m := range p.Rooms {
					marked[m.RoomID] = true
				}
			}
		}
		mv.Marked = len(marked)
		venues = append(venues, mv)
	}
	h.render(w, r, http.StatusOK, "maps", "console.maps.title", struct{ Venues []mapsVenue }{venues})
}

type venuePlansData struct {
	Venue *lanyard.Venue
	Plans []lanyard.VenuePlan
	Form  *form
	MaxMB int
}

func (h *Handler) venuePlansPage(w http.ResponseWriter, r *http.Request, ms MapStore) {
	h.renderVenuePlans(w, r, ms, http.StatusOK, newForm())
}

func (h *Handler) renderVenuePlans(w http.ResponseWriter, r *http.Request, ms MapStore, status int, f *form) {
	v := h.venue(r.PathValue("venue"))
	if v == nil {
		h.notFound(w, r)
		return
	}
	plans, err := ms.VenuePlans(r.Context(), h.event().ID, v.Code)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.render(w, r, status, "mapvenue", "console.maps.title", venuePlansData{Venue: v, Plans: plans, Form: f, MaxMB: floorplan.MaxBytes >> 20})
}

// uploadPlan takes a floor plan for a venue. A refused file re-shows the
// page with why (and its code in X-Lanyard-Code); nothing is stored.
func (h *Handler) uploadPlan(w http.ResponseWriter, r *http.Request, ms MapStore) {
	v := h.venue(r.PathValue("venue"))
	if v == nil {
		h.notFound(w, r)
		return
	}
	f := newForm()
	fail := func(code, field, msg string) {
		f.Errors[field] = msg
		h.refuse(w, code)
		status := planStatus[code]
		if status == 0 {
			status = http.StatusBadRequest
		}
		h.renderVenuePlans(w, r, ms, status, f)
	}
	r.Body = http.MaxBytesReader(w, r.Body, floorplan.MaxBytes+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail(lanyard.EPlanTooLarge, "file", h.Shell.T(r, "console.maps.too_big", "MB", floorplan.MaxBytes>>20))
			return
		}
		fail(lanyard.EINVALID, "file", h.Shell.T(r, "console.maps.no_file"))
		return
	}
	defer r.MultipartForm.RemoveAll()
	f.Values["name"] = strings.TrimSpace(r.FormValue("name"))
	file, hdr, err := r.FormFile("file")
	if err != nil {
		fail(lanyard.EINVALID, "file", h.Shell.T(r, "console.maps.no_file"))
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, floorplan.MaxBytes+1))
	if err != nil {
		h.Shell.ServerError(w, r, fmt.Errorf("console: read plan: %w", err))
		return
	}
	if len(bytes.TrimSpace(data)) == 0 {
		fail(lanyard.EINVALID, "file", h.Shell.T(r, "console.maps.no_file"))
		return
	}
	p, err := floorplan.Read(data)
	if err != nil {
		var le *lanyard.Error
		if !errors.As(err, &le) {
			h.Shell.ServerError(w, r, err)
			return
		}
		fail(le.Code, "file", h.Shell.T(r, "console.maps.refused."+le.Code, "MB", floorplan.MaxBytes>>20)+" "+le.Message)
		return
	}
	name := f.Values["name"]
	if name == "" {
		name = strings.TrimSuffix(path.Base(hdr.Filename), path.Ext(hdr.Filename))
	}
	if len([]rune(name)) > 80 {
		name = string([]rune(name)[:80])
	}
	id, err := ms.SavePlan(r.Context(), h.event().ID, store.NewPlan{Venue: v.Code, Name: name, Format: p.Format, Data: p.Data,
		MinX: p.Box.MinX, MinY: p.Box.MinY, Width: p.Box.Width, Height: p.Box.Height})
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "console.maps.uploaded", "Name", name))
	http.Redirect(w, r, "/console/plans/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

type planData struct {
	Plan   lanyard.VenuePlan
	Venue  *lanyard.Venue
	Src    string
	Form   *form
	Marked map[int64]bool
	Size   float64
	// Next is the room the form offers: the one just refused, else the
	// first not yet marked.
	Next int64
}

func (h *Handler) loadPlan(w http.ResponseWriter, r *http.Request, ms MapStore) (lanyard.VenuePlan, *lanyard.Venue, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return lanyard.VenuePlan{}, nil, false
	}
	p, err := ms.Plan(r.Context(), h.event().ID, id)
	if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
		h.notFound(w, r)
		return p, nil, false
	}
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return p, nil, false
	}
	v := h.venue(p.Venue)
	if v == nil {
		h.notFound(w, r)
		return p, nil, false
	}
	return p, v, true
}

func (h *Handler) planPage(w http.ResponseWriter, r *http.Request, ms MapStore) {
	h.renderPlan(w, r, ms, http.StatusOK, newForm())
}

func (h *Handler) renderPlan(w http.ResponseWriter, r *http.Request, ms MapStore, status int, f *form) {
	p, v, ok := h.loadPlan(w, r, ms)
	if !ok {
		return
	}
	marked := map[int64]bool{}
	for _, m := range p.Rooms {
		marked[m.RoomID] = true
	}
	next, _ := strconv.ParseInt(f.Values["room"], 10, 64)
	for i := 0; next == 0 && i < len(v.Rooms); i++ {
		if !marked[v.Rooms[i].ID] {
			next = v.Rooms[i].ID
		}
	}
	h.render(w, r, status, "mapplan", "console.maps.plan_title", planData{Plan: p, Venue: v, Form: f, Marked: marked, Size: p.Width / 60, Next: next,
		Src: "/map/plans/" + strconv.FormatInt(p.ID, 10) + "?v=" + strconv.FormatInt(p.Version, 10)})
}

// markRoom puts a room on the plan (action "mark", the default) or takes
// it off ("remove"). Coordinates are the plan's, inside its box.
func (h *Handler) markRoom(w http.ResponseWriter, r *http.Request, ms MapStore) {
	p, _, ok := h.loadPlan(w, r, ms)
	if !ok {
		return
	}
	f := newForm()
	for _, k := range []string{"room", "x", "y", "w", "h", "action"} {
		f.Values[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	roomID, err := strconv.ParseInt(f.Values["room"], 10, 64)
	if err != nil {
		f.Errors["room"] = h.Shell.T(r, "console.maps.pick_room")
		h.refuse(w, lanyard.EINVALID)
		h.renderPlan(w, r, ms, http.StatusBadRequest, f)
		return
	}
	if f.Values["action"] == "remove" {
		if err := ms.UnmarkRoom(r.Context(), h.event().ID, p.ID, roomID); err != nil {
			h.Shell.ServerError(w, r, err)
			return
		}
		http.Redirect(w, r, "/console/plans/"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
		return
	}
	num := func(k string, lo, hi float64) float64 {
		s := f.Values[k]
		if s == "" && (k == "w" || k == "h") {
			return 0
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || v < lo-1e-9 || v > hi+1e-9 {
			f.Errors[k] = h.Shell.T(r, "console.maps.bad_coord")
		}
		return v
	}
	m := lanyard.PlanRoom{RoomID: roomID}
	m.X = num("x", p.MinX, p.MinX+p.Width)
	m.Y = num("y", p.MinY, p.MinY+p.Height)
	m.W = num("w", 0, p.MinX+p.Width-m.X)
	m.H = num("h", 0, p.MinY+p.Height-m.Y)
	if !f.ok() {
		h.refuse(w, lanyard.EINVALID)
		h.renderPlan(w, r, ms, http.StatusBadRequest, f)
		return
	}
	if m.W == 0 || m.H == 0 {
		m.W, m.H = 0, 0 // a point
	}
	if err := ms.MarkRoom(r.Context(), h.event().ID, p.ID, m); err != nil {
		if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
			f.Errors["room"] = h.Shell.T(r, "console.maps.pick_room")
			h.refuse(w, lanyard.ENOTFOUND)
			h.renderPlan(w, r, ms, http.StatusNotFound, f)
			return
		}
		h.Shell.ServerError(w, r, err)
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "console.maps.marked"))
	http.Redirect(w, r, "/console/plans/"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
}

func (h *Handler) deletePlan(w http.ResponseWriter, r *http.Request, ms MapStore) {
	p, v, ok := h.loadPlan(w, r, ms)
	if !ok {
		return
	}
	if err := ms.DeletePlan(r.Context(), h.event().ID, p.ID); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "console.maps.deleted", "Name", p.Name))
	http.Redirect(w, r, "/console/maps/"+v.Code, http.StatusSeeOther)
}

type shuttlesData struct {
	Routes []lanyard.ShuttleRoute
	Venues []lanyard.Venue
	Days   []string
	Form   *form
}

func (h *Handler) shuttlesPage(w http.ResponseWriter, r *http.Request, ms MapStore) {
	f := newForm()
	f.Values["every"], f.Values["first"], f.Values["last"] = "15", "07:00", "21:00"
	// ?edit=ID fills the form with a route to change (its first day's
	// hours; saving gives them to every day checked).
	if id, err := strconv.ParseInt(r.URL.Query().Get("edit"), 10, 64); err == nil {
		rs, err := ms.ShuttleRoutes(r.Context(), h.event().ID)
		if err != nil {
			h.Shell.ServerError(w, r, err)
			return
		}
		for _, rt := range rs {
			if rt.ID != id {
				continue
			}
			var stops []string
			for i, s := range rt.Stops {
				if i == 0 {
					stops = append(stops, s.Venue)
				} else {
					stops = append(stops, s.Venue+" "+strconv.Itoa(s.RideMinutes))
				}
			}
			f.Values["id"], f.Values["name"], f.Values["every"] = strconv.FormatInt(rt.ID, 10), rt.Name, strconv.Itoa(rt.Every)
			f.Values["stops"] = strings.Join(stops, "\n")
			f.Values["first"], f.Values["last"] = rt.Days[0].First, rt.Days[0].Last
			for _, d := range rt.Days {
				f.Values["day:"+d.Date] = "on"
			}
		}
	}
	h.renderShuttles(w, r, ms, http.StatusOK, f)
}

func (h *Handler) renderShuttles(w http.ResponseWriter, r *http.Request, ms MapStore, status int, f *form) {
	rs, err := ms.ShuttleRoutes(r.Context(), h.event().ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.render(w, r, status, "shuttles", "console.shuttles.title", shuttlesData{Routes: rs, Venues: h.Catalog.Load().Venues, Days: h.eventDays(), Form: f})
}

// eventDays are the event's dates, YYYY-MM-DD.
func (h *Handler) eventDays() []string {
	ev := h.event()
	start, err := time.Parse(time.DateOnly, ev.StartDate)
	if err != nil {
		return nil
	}
	var out []string
	for i := 0; i < ev.Days; i++ {
		out = append(out, start.AddDate(0, 0, i).Format(time.DateOnly))
	}
	return out
}

// parseStops reads a route's stops, one a line: a venue code and, after
// the first, the minutes of the ride from the stop before ("wynn 8").
func parseStops(text string) ([]lanyard.ShuttleStop, error) {
	var out []lanyard.ShuttleStop
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(strings.ReplaceAll(line, ",", " "))
		if len(f) == 0 {
			continue
		}
		s := lanyard.ShuttleStop{Venue: f[0]}
		if len(f) > 1 {
			n, err := strconv.Atoi(f[len(f)-1])
			if err != nil {
				return nil, fmt.Errorf("%q: the minutes are not a number", line)
			}
			s.RideMinutes = n
		}
		out = append(out, s)
	}
	return out, nil
}

// checkVenues refuses a route that names a venue the event lacks.
func (h *Handler) checkVenues(r lanyard.ShuttleRoute) error {
	for _, s := range r.Stops {
		if h.venue(s.Venue) == nil {
			e := lanyard.Errorf(lanyard.EINVALID, "The event has no venue %q.", s.Venue)
			e.Field = "stops"
			return e
		}
	}
	return nil
}

func (h *Handler) saveShuttle(w http.ResponseWriter, r *http.Request, ms MapStore) {
	f := newForm()
	for _, k := range []string{"id", "name", "every", "stops", "first", "last"} {
		f.Values[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	rt := lanyard.ShuttleRoute{Name: f.Values["name"]}
	rt.ID, _ = strconv.ParseInt(f.Values["id"], 10, 64)
	rt.Every, _ = strconv.Atoi(f.Values["every"])
	stops, err := parseStops(f.Values["stops"])
	if err != nil {
		f.Errors["stops"] = err.Error()
	}
	rt.Stops = stops
	days := r.PostForm["day"]
	if len(days) == 0 {
		days = h.eventDays()
	}
	for _, d := range days {
		f.Values["day:"+d] = "on"
	}
	for _, d := range days {
		rt.Days = append(rt.Days, lanyard.ShuttleDay{Date: d, First: f.Values["first"], Last: f.Values["last"]})
	}
	if f.ok() {
		err = shuttle.Validate(rt)
		if err == nil {
			err = h.checkVenues(rt)
		}
		if err == nil {
			_, err = ms.SaveShuttleRoute(r.Context(), h.event().ID, rt)
		}
		if err != nil {
			var le *lanyard.Error
			if !errors.As(err, &le) {
				h.Shell.ServerError(w, r, err)
				return
			}
			field := le.Field
			if field == "" || field == "days" {
				field = "name"
				if le.Field == "days" {
					field = "first"
				}
			}
			f.Errors[field] = le.Message
		}
	}
	if !f.ok() {
		code, status := lanyard.EINVALID, http.StatusBadRequest
		if lanyard.ErrorCode(err) == lanyard.ECONFLICT {
			code, status = lanyard.ECONFLICT, http.StatusConflict // the name is another route's
		}
		h.refuse(w, code)
		h.renderShuttles(w, r, ms, status, f)
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "console.shuttles.saved", "Name", rt.Name))
	http.Redirect(w, r, "/console/shuttles", http.StatusSeeOther)
}

// importShuttles replaces every route with a timetable: JSON, an array
// of routes as the API would write them ({"name", "every_minutes",
// "stops": [{"venue", "ride_minutes"}], "days": [{"date", "first",
// "last"}]}), or CSV (shuttle.ParseCSV). All of it or none of it.
func (h *Handler) importShuttles(w http.ResponseWriter, r *http.Request, ms MapStore) {
	f := newForm()
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	text := r.PostFormValue("timetable")
	f.Values["timetable"] = text
	var rs []lanyard.ShuttleRoute
	var err error
	if strings.HasPrefix(strings.TrimSpace(text), "[") || strings.HasPrefix(strings.TrimSpace(text), "{") {
		dec := json.NewDecoder(strings.NewReader(text))
		dec.DisallowUnknownFields()
		if err = dec.Decode(&rs); err != nil {
			err = lanyard.Errorf(lanyard.EINVALID, "The timetable is not a JSON list of routes: %s.", err.Error())
		}
	} else {
		rs, err = shuttle.ParseCSV(strings.NewReader(text))
	}
	names := map[string]bool{}
	for i := 0; err == nil && i < len(rs); i++ {
		if err = shuttle.Validate(rs[i]); err == nil {
			err = h.checkVenues(rs[i])
		}
		if err == nil && names[rs[i].Name] {
			err = lanyard.Errorf(lanyard.EINVALID, "Two routes are named %q.", rs[i].Name)
		}
		names[rs[i].Name] = true
		if err != nil {
			err = lanyard.Errorf(lanyard.EINVALID, "Route %d (%s): %s", i+1, rs[i].Name, lanyard.ErrorMessage(err))
		}
	}
	if err == nil {
		err = ms.ReplaceShuttleRoutes(r.Context(), h.event().ID, rs)
	}
	if err != nil {
		if lanyard.ErrorCode(err) == lanyard.EINTERNAL {
			h.Shell.ServerError(w, r, err)
			return
		}
		f.Errors["timetable"] = lanyard.ErrorMessage(err)
		h.refuse(w, lanyard.EINVALID)
		h.renderShuttles(w, r, ms, http.StatusBadRequest, f)
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "console.shuttles.imported", "Count", len(rs)))
	http.Redirect(w, r, "/console/shuttles", http.StatusSeeOther)
}

func (h *Handler) deleteShuttle(w http.ResponseWriter, r *http.Request, ms MapStore) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		err = ms.DeleteShuttleRoute(r.Context(), h.event().ID, id)
	}
	if err != nil && lanyard.ErrorCode(err) != lanyard.EINTERNAL {
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, "/console/shuttles", http.StatusSeeOther)
}
