package door

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/respond"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/web"
)

// doorChoice is one door on the picker.
type doorChoice struct {
	ID, Label, When string
	Open            bool
}

// pickPage is GET /door: the doors open now and soon (sessions whose door
// window is open or opens within the hour, their overflow rooms, places),
// and a field for any door by session code.
func (h *Handler) pickPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	now := h.now()
	opens := time.Duration(lanyard.DefaultReservationSettings().DoorOpensMinutes) * time.Minute
	var doors []doorChoice
	var sessions []*lanyard.Session
	for _, s := range h.cat().Sessions() {
		if s.Scheduled() && now.Before(s.End) && s.Start.Add(-opens-time.Hour).Before(now) {
			sessions = append(sessions, s)
		}
	}
	slices.SortFunc(sessions, func(a, b *lanyard.Session) int {
		return cmp.Or(a.Start.Compare(b.Start), strings.Compare(a.Code, b.Code))
	})
	if len(sessions) > 200 {
		sessions = sessions[:200]
	}
	for _, s := range sessions {
		when := h.clock(s.Start) + "–" + h.clock(s.End)
		open := !now.Before(s.Start.Add(-opens))
		doors = append(doors, doorChoice{ID: "s:" + s.Code, Label: s.Code + " · " + s.Title + " · " + h.cat().VenueName(s.Venue) + " " + s.Room, When: when, Open: open})
		rooms, err := h.Store.OverflowRooms(ctx, s.ID)
		if err != nil {
			h.Shell.ServerError(w, r, err)
			return
		}
		for _, o := range rooms {
			doors = append(doors, doorChoice{ID: "o:" + s.Code + ":" + o.Room, Label: h.Shell.T(r, "door.pick.overflow_of", "Room", o.Room, "Code", s.Code), When: when, Open: open})
		}
	}
	if h.Places != nil {
		places, err := h.Places.Places(ctx, h.event().ID)
		if err != nil {
			h.Shell.ServerError(w, r, err)
			return
		}
		for _, p := range places {
			doors = append(doors, doorChoice{ID: "p:" + p.Code, Label: p.Name, Open: true})
		}
	}
	h.render(w, r, http.StatusOK, "pick", "door.pick.title", struct {
		Doors []doorChoice
		Now   string
	}{doors, h.clock(now)})
}

// appPage is GET /door/app?door=…: the scanner. One URL for every door
// (the door is read by the script), so the service worker caches one page.
func (h *Handler) appPage(w http.ResponseWriter, r *http.Request) {
	key, err := h.publicKey(r)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	p := h.Shell.Page(r, "door.app.title", nil, struct {
		PublicKey string
		Static    map[string]string
		Staff     *lanyard.Attendee
		Event     int64
		Strings   map[string]string
	}{key, h.staticURLs(), h.Shell.User(r), h.event().ID, h.appStrings(r)})
	h.Shell.RenderBlock(w, r, http.StatusOK, "app", "app", p)
}

// appStrings are the words the script shows, in the page's language.
func (h *Handler) appStrings(r *http.Request) map[string]string {
	ids := []string{"admit", "admit_walkup", "overflow", "overflow_unknown", "no_seats", "other_session", "door_not_open", "door_closed",
		"not_entitled", "badge_replaced", "already_inside", "place_full", "badge_invalid", "not_found", "enter", "exit", "admit_overflow", "error"}
	out := map[string]string{}
	for _, id := range ids {
		// Placeholders the script fills in.
		out[id] = h.Shell.T(r, "door.verdict."+id, "Left", "{left}", "Room", "{room}", "Minutes", "{minutes}", "Session", "{session}", "Time", "{time}")
	}
	for _, id := range []string{"admit", "admit_walkup", "overflow", "deny", "exit"} {
		out["word_"+id] = h.Shell.T(r, "door.word."+id)
	}
	for _, id := range []string{"offline", "offline_short", "online", "queued", "synced", "conflicts", "pick_first", "verifying", "camera_off", "camera_on", "camera_stop", "camera_none", "inside", "seats_left", "search_min", "data_age"} {
		out[id] = h.Shell.T(r, "door.app."+id)
	}
	return out
}

// search is GET /door/api/search?q=…: at most ten attendees by name, for
// a badge left at the hotel. Three characters at least, and never a page
// further: the list of attendees cannot be browsed.
func (h *Handler) search(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len([]rune(q)) < 3 || len(q) > 200 {
		h.apiError(w, r, &lanyard.Error{Code: lanyard.EINVALID, Field: "q", Message: "Type at least 3 characters of the name."})
		return
	}
	people, _, err := h.Store.SearchAttendees(r.Context(), h.event().ID, q, 0, 10)
	if err != nil {
		h.apiError(w, r, err)
		return
	}
	type hit struct {
		ID      int64  `json:"id"`
		Name    string `json:"name"`
		Company string `json:"company,omitempty"`
	}
	out := []hit{}
	for _, a := range people {
		out = append(out, hit{a.ID, a.Name, a.Company})
	}
	respond.JSON(w, http.StatusOK, struct {
		Results []hit `json:"results"`
	}{out})
}

// statRow is one line of a door's stats.
type statRow struct {
	Label string
	Count int
}

// statsPage is GET /door/stats?door=…: scans per minute over the last
// hour, admitted by kind, denials by reason.
func (h *Handler) statsPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, err := h.parseDoor(ctx, r.URL.Query().Get("door"))
	if err != nil {
		h.Shell.Error(w, r, respond.Status(lanyard.ErrorCode(err)), h.nav(r), "door.stats.no_door")
		return
	}
	now := h.now()
	rows, err := h.Store.DoorStats(ctx, h.event().ID, d.ID, now.Add(-time.Hour))
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	perMinute := map[time.Time]int{}
	admitted, denied := map[string]int{}, map[string]int{}
	total := 0
	for _, s := range rows {
		perMinute[s.Minute] += s.Count
		total += s.Count
		switch {
		case s.Verdict == VerdictDeny:
			denied[s.Code] += s.Count
		case s.Verdict == VerdictAdmit && d.Kind == kindOverflow:
			admitted["admit_overflow"] += s.Count // sent here from the session's door
		case s.Verdict == VerdictAdmit && d.Kind == kindPlace:
			admitted["enter"] += s.Count
		default:
			admitted[s.Verdict] += s.Count
		}
	}
	type minute struct {
		Clock string
		Count int
		Pct   int
	}
	var minutes []minute
	peak := 1
	for _, c := range perMinute {
		peak = max(peak, c)
	}
	start := now.Add(-59 * time.Minute).UTC().Truncate(time.Minute)
	for m := start; !m.After(now); m = m.Add(time.Minute) {
		c := perMinute[m]
		minutes = append(minutes, minute{h.clock(m), c, c * 100 / peak})
	}
	list := func(m map[string]int, prefix string) []statRow {
		var out []statRow
		for k, c := range m {
			label := h.Shell.T(r, prefix+k)
			if label == prefix+k {
				label = k
			}
			out = append(out, statRow{label, c})
		}
		slices.SortFunc(out, func(a, b statRow) int { return cmp.Or(b.Count-a.Count, strings.Compare(a.Label, b.Label)) })
		return out
	}
	conflicts, err := h.Store.DoorConflicts(ctx, h.event().ID, d.ID, 500)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	u := h.Shell.User(r)
	h.render(w, r, http.StatusOK, "stats", "door.stats.title", struct {
		Door       string
		Total      int
		Minutes    []minute
		Admitted   []statRow
		Denied     []statRow
		Conflicts  int
		Supervisor bool
	}{d.ID, total, minutes, list(admitted, "door.stats.verdict."), list(denied, "door.verdict."), len(conflicts), u != nil && u.Role == lanyard.RoleOrganizer})
}

// conflictsPage is GET /door/conflicts: what syncs found, for a
// supervisor (organizers).
func (h *Handler) conflictsPage(w http.ResponseWriter, r *http.Request) {
	door := r.URL.Query().Get("door")
	if len(door) > maxDoorID {
		door = ""
	}
	list, err := h.Store.DoorConflicts(r.Context(), h.event().ID, door, 200)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	type row struct {
		store.DoorConflict
		When, KindLabel string
	}
	rows := make([]row, len(list))
	for i, c := range list {
		rows[i] = row{c, h.clock(c.ScannedAt), h.Shell.T(r, "door.conflicts.kind."+c.Kind)}
	}
	h.render(w, r, http.StatusOK, "conflicts", "door.conflicts.title", struct {
		Door string
		Rows []row
	}{door, rows})
}

// assets are the app's static files, served at /door/static/.
var assets = web.NewAssets(staticFiles, "static", "/door/static/")

// staticURLs maps each file to its versioned URL (cached for a year).
func (h *Handler) staticURLs() map[string]string {
	out := assets.URLs()
	// The shared scanner, from the web app's static files.
	for _, name := range []string{"scan.js", "jsQR.js"} {
		if u := h.Shell.StaticURL(name); u != "" {
			out[name] = u
		}
	}
	return out
}

func (h *Handler) serveStatic(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("name") == "sw.js" { // served from /door/, its scope
		http.NotFound(w, r)
		return
	}
	assets.ServeHTTP(w, r)
}

// serveWorker serves the service worker from /door/ (its scope), with the
// versions of the files it caches written in, so a new build replaces the
// cached app.
func (h *Handler) serveWorker(w http.ResponseWriter, r *http.Request) {
	f, _ := assets.Get("sw.js")
	urls := h.staticURLs()
	var list []string
	var version strings.Builder
	for _, name := range []string{"door.js", "door.css", "scan.js", "jsQR.js", "icon-192.png", "icon-512.png"} {
		if u, ok := urls[name]; ok {
			list = append(list, `"`+u+`"`)
			version.WriteString(u) // each URL carries its file's version
		}
	}
	body := strings.Replace(string(f.Body), "/*FILES*/", strings.Join(list, ","), 1)
	sum := sha256.Sum256([]byte(version.String() + f.Version))
	body = strings.Replace(body, "/*VERSION*/", hex.EncodeToString(sum[:6]), 1)
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Service-Worker-Allowed", "/door/")
	w.Write([]byte(body))
}

func (h *Handler) serveManifest(w http.ResponseWriter, r *http.Request) {
	f, _ := assets.Get("manifest.webmanifest")
	urls := h.staticURLs()
	body := strings.NewReplacer("ICON192", urls["icon-192.png"], "ICON512", urls["icon-512.png"]).Replace(string(f.Body))
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Cache-Control", "no-cache")
	w.Write([]byte(body))
}
