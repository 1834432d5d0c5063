package console_test

import (
	"bytes"
	"context"
	"encoding/json"

	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/floorplan"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
	"github.com/lanyardhq/lanyard/internal/web/webtest"
)

// uploadPlan posts a file as the plan form's "file", named name.
func (c *client) uploadPlan(path, filename string, data []byte, fields map[string]string) *webtest.Resp {
	c.TB.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		c.TB.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return c.Send("POST", path, mw.FormDataContentType(), &body)
}

const hostileSVG = `<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 400 200" onload="window.pwned=1">
<script>document.title="pwned";window.pwned=1</script>
<foreignObject width="10" height="10"><iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:window.pwned=1"></iframe></foreignObject>
<a xlink:href="javascript:window.pwned=1"><rect x="10" y="10" width="100" height="60" fill="#cde"/></a>
<rect x="200" y="10" width="100" height="60" fill="#edc" onclick="window.pwned=1"/>
<text x="20" y="40">Ten</text>
</svg>`

// An organizer uploads plans: a hostile SVG is stored cleaned, and the
// wrong things are refused with their status and code; staff, exhibitors
// and attendees cannot upload at all.
func TestPlanUpload(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	org := e.signIn(lanyard.RoleOrganizer)
	img := image.NewGray(image.Rect(0, 0, 64, 32))
	var pngData bytes.Buffer
	png.Encode(&pngData, img)
	tests := []struct {
		name, file string
		data       []byte
		status     int
		code       string
	}{
		{"svg", "level2.svg", []byte(hostileSVG), http.StatusSeeOther, ""},
		{"png named .svg", "plan.svg", pngData.Bytes(), http.StatusSeeOther, ""},
		{"too big", "huge.svg", append([]byte("<svg>"), make([]byte, floorplan.MaxBytes+10)...), http.StatusRequestEntityTooLarge, lanyard.EPlanTooLarge},
		{"pdf", "plan.svg", []byte("%PDF-1.7\n1 0 obj\n"), http.StatusUnsupportedMediaType, lanyard.EPlanUnsupported},
		{"html", "plan.svg", []byte("<html><script>alert(1)</script></html>"), http.StatusUnsupportedMediaType, lanyard.EPlanUnsupported},
		{"xxe", "plan.svg", []byte(`<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>&x;</text></svg>`), http.StatusBadRequest, lanyard.EPlanInvalid},
		{"empty", "plan.svg", nil, http.StatusBadRequest, lanyard.EINVALID},
	}
	for _, tt := range tests {
		r := org.uploadPlan("/console/maps/venetian", tt.file, tt.data, map[string]string{"name": tt.name})
		if r.Status != tt.status || r.Code() != tt.code {
			t.Errorf("%s: %d %q, want %d %q", tt.name, r.Status, r.Code(), tt.status, tt.code)
		}
		if tt.code != "" && byID(r.Body, "file-error") == "" {
			t.Errorf("%s: no message beside the field", tt.name)
		}
	}
	for _, role := range []lanyard.Role{lanyard.RoleAttendee, lanyard.RoleExhibitor, lanyard.RoleStaff} {
		r := e.signIn(role).uploadPlan("/console/maps/venetian", "x.svg", []byte(hostileSVG), nil)
		if r.Status != http.StatusForbidden || r.Code() != "forbidden" {
			t.Errorf("%s uploads: %d, want 403", role, r.Status)
		}
	}
	if r := org.uploadPlan("/console/maps/bellagio", "x.svg", []byte(hostileSVG), nil); r.Status != http.StatusNotFound {
		t.Errorf("a venue the event lacks: %d", r.Status)
	}
	plans, err := e.db.VenuePlans(context.Background(), e.ev.ID, "venetian")
	if err != nil || len(plans) != 2 {
		t.Fatalf("%d plans stored, want 2 (%v)", len(plans), err)
	}
	if plans[0].Format != lanyard.PlanSVG || plans[1].Format != lanyard.PlanPNG || plans[1].Width != 64 {
		t.Errorf("stored %+v", plans)
	}
	_, data, _, _ := e.db.PlanData(context.Background(), e.ev.ID, plans[0].ID)
	for _, bad := range []string{"script", "pwned", "onload", "onclick", "foreignObject", "javascript"} {
		if strings.Contains(string(data), bad) {
			t.Errorf("the stored SVG has %q:\n%s", bad, data)
		}
	}
}

// Plans are served as images with headers that forbid script, whoever asks.
func TestPlanServedHeaders(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	org := e.signIn(lanyard.RoleOrganizer)
	r := org.uploadPlan("/console/maps/venetian", "l2.svg", []byte(hostileSVG), map[string]string{"name": "Level 2"})
	id := strings.TrimPrefix(r.Header.Get("Location"), "/console/plans/")
	if _, err := strconv.Atoi(id); err != nil {
		t.Fatalf("after upload: %d to %q", r.Status, r.Header.Get("Location"))
	}
	got := e.client().Get("/map/plans/" + id)
	want := map[string]string{
		"Content-Type":            "image/svg+xml",
		"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
		"X-Content-Type-Options":  "nosniff",
	}
	if got.Status != http.StatusOK {
		t.Fatalf("plan: %d", got.Status)
	}
	for k, v := range want {
		if got.Header.Get(k) != v {
			t.Errorf("%s: %q, want %q", k, got.Header.Get(k), v)
		}
	}
	if !strings.HasPrefix(got.Body, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200"`) || strings.Contains(got.Body, "script") {
		t.Errorf("served:\n%s", got.Body)
	}
	if r := e.client().Get("/map/plans/999"); r.Status != http.StatusNotFound {
		t.Errorf("no such plan: %d", r.Status)
	}
	if r := e.client().Get("/map/plans/x"); r.Status != http.StatusNotFound {
		t.Errorf("not a plan id: %d", r.Status)
	}
}

// An organizer marks rooms on a plan, as a point or a rectangle inside
// it; the attendee's venue map highlights the room asked for.
func TestMarkRoomAndMap(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		org := e.signIn(lanyard.RoleOrganizer)
		r := org.uploadPlan("/console/maps/venetian", "l2.svg", []byte(hostileSVG), map[string]string{"name": "Level 2"})
		plan := r.Header.Get("Location")
		page := org.Get(plan)
		if page.Status != http.StatusOK || !strings.Contains(page.Body, `viewBox="0 0 400 200"`) {
			t.Fatalf("plan page: %d", page.Status)
		}
		room := func(name string) string {
			m := regexp.MustCompile(`<option value="(\d+)"[^>]*>` + name + `\b`).FindStringSubmatch(page.Body)
			if m == nil {
				t.Fatalf("no room %s on the form", name)
			}
			return m[1]
		}
		tests := []struct {
			name   string
			form   url.Values
			status int
		}{
			{"rectangle", url.Values{"room": {room("Ten")}, "x": {"10"}, "y": {"10"}, "w": {"100"}, "h": {"60"}}, http.StatusSeeOther},
			{"point", url.Values{"room": {room("Hall")}, "x": {"250"}, "y": {"40"}}, http.StatusSeeOther},
			{"outside", url.Values{"room": {room("Two")}, "x": {"401"}, "y": {"10"}}, http.StatusBadRequest},
			{"rectangle past the edge", url.Values{"room": {room("Two")}, "x": {"390"}, "y": {"10"}, "w": {"20"}, "h": {"5"}}, http.StatusBadRequest},
			{"not a number", url.Values{"room": {room("Two")}, "x": {"NaN"}, "y": {"10"}}, http.StatusBadRequest},
			{"no room", url.Values{"x": {"1"}, "y": {"1"}}, http.StatusBadRequest},
			{"another event's room", url.Values{"room": {"999999"}, "x": {"1"}, "y": {"1"}}, http.StatusNotFound},
		}
		for _, tt := range tests {
			if r := org.Post(plan+"/rooms", tt.form); r.Status != tt.status {
				t.Errorf("%s: %d, want %d", tt.name, r.Status, tt.status)
			}
		}
		if r := e.signIn(lanyard.RoleAttendee).Post(plan+"/rooms", url.Values{"room": {room("Two")}, "x": {"1"}, "y": {"1"}}); r.Status != http.StatusForbidden {
			t.Errorf("an attendee marks a room: %d", r.Status)
		}
		// The attendee's map, in English and Korean, with Ten lit.
		c := e.signIn(lanyard.RoleAttendee)
		m := c.Get("/map/venetian?room=Ten")
		if m.Status != http.StatusOK {
			t.Fatalf("map: %d", m.Status)
		}
		for _, want := range []string{`<rect class="mark lit" data-room="Ten" x="10" y="10" width="100" height="60">`,
			`<circle class="mark" data-room="Hall" cx="250" cy="40"`, `<img class="plan-img" src="/map/plans/`} {
			if !strings.Contains(m.Body, want) {
				t.Errorf("the map lacks %s", want)
			}
		}
		if got := byID(m.Body, "map-room"); !strings.Contains(got, "Ten is highlighted") {
			t.Errorf("map-room: %q", got)
		}
		if got := byID(c.Get("/map/venetian?room=Two").Body, "map-room-missing"); !strings.Contains(got, "not marked") {
			t.Errorf("an unmarked room: %q", got)
		}
		c.Lang = "ko"
		if got := byID(c.Get("/map/venetian?room=Ten").Body, "map-room"); !strings.Contains(got, "Ten 위치가 표시") {
			t.Errorf("in Korean: %q", got)
		}
		if r := c.Get("/map/nowhere"); r.Status != http.StatusNotFound {
			t.Errorf("no such venue: %d", r.Status)
		}
		// The same as JSON, for an offline app.
		var data struct {
			TimeZone string `json:"time_zone"`
			Venues   []struct {
				Code  string
				Plans []struct {
					Src   string
					Width float64
					Rooms []struct{ Room string }
				}
			}
		}
		if r := e.client().Get("/map/data.json"); r.Status != http.StatusOK || json.Unmarshal([]byte(r.Body), &data) != nil {
			t.Fatalf("data.json: %d %s", r.Status, r.Body)
		}
		if data.TimeZone != "America/Los_Angeles" || len(data.Venues) != 1 || len(data.Venues[0].Plans) != 1 ||
			data.Venues[0].Plans[0].Width != 400 || len(data.Venues[0].Plans[0].Rooms) != 2 || !strings.HasPrefix(data.Venues[0].Plans[0].Src, "/map/plans/") {
			t.Errorf("data.json: %+v", data)
		}
		// The session page links its room's map.
		if s := e.client().Get("/sessions/A"); !strings.Contains(s.Body, `href="/map/venetian?room=Ten"`) {
			t.Errorf("the session page has no map link")
		}
		// So does the agenda, for a reserved session.
		if _, err := e.eng.Reserve(context.Background(), e.people[lanyard.RoleAttendee].ID, []string{"A"}, false, ""); err != nil {
			t.Fatal(err)
		}
		c.Lang = ""
		if a := c.Get("/agenda"); !strings.Contains(a.Body, `href="/map/venetian?room=Ten" class="map-link"`) {
			t.Errorf("the agenda has no map link: %d", a.Status)
		}
		// Removing a mark.
		if r := org.Post(plan+"/rooms", url.Values{"room": {room("Ten")}, "action": {"remove"}}); r.Status != http.StatusSeeOther {
			t.Errorf("remove: %d", r.Status)
		}
		if strings.Contains(c.Get("/map/venetian?room=Ten").Body, `data-room="Ten"`) {
			t.Error("the removed mark is still drawn")
		}
	})
}

// Routes entered by form or imported are listed for attendees, with the
// next departures on a venue's map; bad input is refused and changes
// nothing.
func TestShuttleConsole(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	ctx := context.Background()
	// A second venue to ride to.
	lc := testCatalog()
	lc.Venues = append(lc.Venues, lanyard.Venue{Code: "wynn", Name: "Wynn", Rooms: []lanyard.Room{{Name: "Latour 1", Capacity: 300}}})
	if _, err := e.db.ImportCatalog(ctx, lc); err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Load(ctx, e.db, e.ev)
	if err != nil {
		t.Fatal(err)
	}
	e.h.Catalog.Store(cat)
	org := e.signIn(lanyard.RoleOrganizer)
	bad := []struct {
		name string
		form url.Values
	}{
		{"unknown venue", url.Values{"name": {"N"}, "stops": {"venetian\nbellagio 5"}, "every": {"15"}, "first": {"07:00"}, "last": {"21:00"}}},
		{"no ride time", url.Values{"name": {"N"}, "stops": {"venetian\nwynn"}, "every": {"15"}, "first": {"07:00"}, "last": {"21:00"}}},
		{"never", url.Values{"name": {"N"}, "stops": {"venetian\nwynn 8"}, "every": {"0"}, "first": {"07:00"}, "last": {"21:00"}}},
		{"bad time", url.Values{"name": {"N"}, "stops": {"venetian\nwynn 8"}, "every": {"15"}, "first": {"7am"}, "last": {"21:00"}}},
	}
	for _, tt := range bad {
		if r := org.Post("/console/shuttles", tt.form); r.Status != http.StatusBadRequest || r.Code() != lanyard.EINVALID {
			t.Errorf("%s: %d %q", tt.name, r.Status, r.Code())
		}
	}
	if r := org.Post("/console/shuttles", url.Values{"name": {"North"}, "stops": {"venetian\nwynn 8\nvenetian 10"}, "every": {"15"}, "first": {"07:00"}, "last": {"21:00"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("add route: %d %s", r.Status, byID(r.Body, "stops-error"))
	}
	if r := org.Post("/console/shuttles", url.Values{"name": {"North"}, "stops": {"wynn\nvenetian 8"}, "every": {"15"}, "first": {"07:00"}, "last": {"21:00"}}); r.Status != http.StatusConflict || byID(r.Body, "name-error") == "" {
		t.Errorf("a second route named North: %d", r.Status)
	}
	rs, _ := e.db.ShuttleRoutes(ctx, e.ev.ID)
	if len(rs) != 1 || len(rs[0].Days) != 3 || rs[0].Stops[1].RideMinutes != 8 {
		t.Fatalf("stored %+v", rs)
	}
	// Changing it: the form comes filled; saving with one day unchecked.
	edit := org.Get("/console/shuttles?edit=" + strconv.FormatInt(rs[0].ID, 10))
	if !strings.Contains(edit.Body, "venetian\nwynn 8\nvenetian 10</textarea>") || !strings.Contains(edit.Body, `name="id" value="`+strconv.FormatInt(rs[0].ID, 10)+`"`) {
		t.Errorf("the edit form is not filled:\n%s", edit.Body)
	}
	if r := org.Post("/console/shuttles", url.Values{"id": {strconv.FormatInt(rs[0].ID, 10)}, "name": {"North"}, "stops": {"venetian\nwynn 9\nvenetian 10"},
		"every": {"12"}, "first": {"07:30"}, "last": {"20:00"}, "day": {"2026-12-01", "2026-12-02"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("change route: %d", r.Status)
	}
	if rs, _ := e.db.ShuttleRoutes(ctx, e.ev.ID); len(rs) != 1 || rs[0].Every != 12 || len(rs[0].Days) != 2 || rs[0].Stops[1].RideMinutes != 9 || rs[0].Days[0].First != "07:30" {
		t.Errorf("changed %+v", rs)
	}
	// A broken timetable changes nothing.
	if r := org.Post("/console/shuttles/import", url.Values{"timetable": {`[{"name": "X", "every_minutes": 10, "stops": [{"venue": "venetian"}], "days": []}]`}}); r.Status != http.StatusBadRequest {
		t.Errorf("bad import: %d", r.Status)
	}
	if r := org.Post("/console/shuttles/import", url.Values{"timetable": {`{"not": "a list"}`}}); r.Status != http.StatusBadRequest {
		t.Errorf("not a list: %d", r.Status)
	}
	if rs, _ := e.db.ShuttleRoutes(ctx, e.ev.ID); len(rs) != 1 {
		t.Errorf("a refused import changed the routes: %+v", rs)
	}
	timetable := `[{"name": "Loop", "every_minutes": 20, "stops": [{"venue": "wynn"}, {"venue": "venetian", "ride_minutes": 9}],
		"days": [{"date": "2026-12-01", "first": "07:00", "last": "21:00"}, {"date": "2099-12-01", "first": "07:00", "last": "21:00"}]}]`
	if r := org.Post("/console/shuttles/import", url.Values{"timetable": {timetable}}); r.Status != http.StatusSeeOther {
		t.Fatalf("import: %d", r.Status)
	}
	c := e.client()
	list := c.Get("/map")
	if !strings.Contains(list.Body, `data-route="Loop"`) || strings.Contains(list.Body, `data-route="North"`) {
		t.Errorf("the routes page after the import:\n%s", list.Body)
	}
	// The next departure from Wynn is on 1 Dec 2099 (the test's only day ahead).
	m := c.Get("/map/wynn")
	if !strings.Contains(m.Body, `<li><time datetime="2099-12-01T15:00:00Z">Tue, Dec 1 7:00 AM</time> <strong>Loop</strong> → Venetian 7:09 AM</li>`) {
		t.Errorf("departures from Wynn:\n%s", m.Body)
	}
	// The same timetable as CSV replaces it.
	csv := "route,every_minutes,stops,date,first,last\nCSV loop,15,wynn; venetian 9,2099-12-01,08:00,20:00\n"
	if r := org.Post("/console/shuttles/import", url.Values{"timetable": {csv}}); r.Status != http.StatusSeeOther {
		t.Fatalf("CSV import: %d %s", r.Status, byID(r.Body, "timetable-error"))
	}
	if rs, _ := e.db.ShuttleRoutes(ctx, e.ev.ID); len(rs) != 1 || rs[0].Name != "CSV loop" || rs[0].Stops[1].RideMinutes != 9 {
		t.Errorf("after the CSV import: %+v", rs)
	}

}
