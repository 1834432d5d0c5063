package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/api"
	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/badge"
	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// The walk-up line's routes: an attendee joins, reads and leaves their
// line; only door staff add someone; bad input and strangers change
// nothing, each with its status and code.
func TestLineRoutes(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		start := time.Date(2026, 12, 3, 17, 0, 0, 0, time.UTC)
		c := &lanyard.Catalog{
			Event:  lanyard.Event{Slug: "lineapi", Name: "Line API", TimeZone: "UTC", StartDate: start.Format(time.DateOnly), Days: 1},
			Venues: []lanyard.Venue{{Code: "v", Name: "V", Rooms: []lanyard.Room{{Name: "R", Capacity: 5}}}},
			Sessions: []lanyard.Session{{Code: "S", Title: "S", Type: lanyard.TypeSession, Venue: "v", Room: "R",
				Start: start, End: start.Add(time.Hour), Reservable: true}},
		}
		if _, err := db.ImportCatalog(ctx, c); err != nil {
			t.Fatal(err)
		}
		ann := &lanyard.Attendee{Name: "Ann", Email: "ann@example.com"}
		bo := &lanyard.Attendee{Name: "Bo", Email: "bo@example.com"}
		carl := &lanyard.Attendee{Name: "Carl", Email: "carl@example.com"}
		door := &lanyard.Attendee{Name: "Door", Email: "door@example.com", Role: lanyard.RoleStaff}
		people := []*lanyard.Attendee{ann, bo, carl, door}
		if err := db.CreateAttendees(ctx, c.Event.ID, people); err != nil {
			t.Fatal(err)
		}
		tokens := map[*lanyard.Attendee]string{}
		for _, p := range people {
			tok, hash := auth.NewToken()
			if err := db.CreateTokens(ctx, []store.Token{{AttendeeID: p.ID, Hash: hash, Name: "test"}}); err != nil {
				t.Fatal(err)
			}
			tokens[p] = tok
		}
		cat, err := catalog.Load(ctx, db, &c.Event)
		if err != nil {
			t.Fatal(err)
		}
		now := start.Add(-25 * time.Minute) // the line and the door are open
		eng, err := reserve.Open(ctx, db, cat, reserve.Options{Tick: -1, Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		defer eng.Close()
		if err := eng.SetHoldback(ctx, lanyard.TypeSession, 100); err != nil { // full to reservations
			t.Fatal(err)
		}
		var cur atomic.Pointer[catalog.Catalog]
		cur.Store(cat)
		tab := &route.Table{Mux: http.NewServeMux()}
		(&api.Handler{Catalog: &cur, Engine: eng, Ident: db, Log: slog.New(slog.DiscardHandler), Badges: &badge.Service{DB: db, Event: &c.Event},
			Registrations: db, Audit: db}).Routes(tab)
		srv := httptest.NewServer(tab.Mux)
		defer srv.Close()

		type answer struct {
			status int
			code   string
			line   lanyard.LineStatus
			lines  []lanyard.LineStatus
		}
		send := func(who *lanyard.Attendee, method, path, key, body string) answer {
			t.Helper()
			req, _ := http.NewRequest(method, srv.URL+path, bytes.NewReader([]byte(body)))
			if who != nil {
				req.Header.Set("Authorization", "Bearer "+tokens[who])
			}
			req.Header.Set("Content-Type", "application/json")
			if key != "" {
				req.Header.Set("Idempotency-Key", key)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var v struct {
				lanyard.LineStatus
				Lines []lanyard.LineStatus
				Error struct{ Code string }
			}
			if err := json.NewDecoder(res.Body).Decode(&v); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			return answer{res.StatusCode, v.Error.Code, v.LineStatus, v.Lines}
		}
		staffBody := func(a *lanyard.Attendee) string { return `{"attendee_id":` + itoa(a.ID) + `}` }
		for _, c := range []struct {
			name         string
			who          *lanyard.Attendee
			method, path string
			key, body    string
			status       int
			code         string // error code, or the outcome
			place        int
		}{
			{"join", ann, "POST", "/api/v1/sessions/S/line", "j1", "", 200, "in_line", 1},
			{"join again", ann, "POST", "/api/v1/sessions/S/line", "j2", "", 200, "in_line", 1},
			{"retry", ann, "POST", "/api/v1/sessions/S/line", "j1", "", 200, "in_line", 1},
			{"unknown session", ann, "POST", "/api/v1/sessions/NOPE/line", "j3", "", 404, lanyard.ENOTFOUND, 0},
			{"no token", nil, "POST", "/api/v1/sessions/S/line", "j4", "", 401, lanyard.EUNAUTHORIZED, 0},
			{"an attendee adds", ann, "POST", "/api/v1/door/S/line", "a1", staffBody(bo), 403, lanyard.EFORBIDDEN, 0},
			{"staff add", door, "POST", "/api/v1/door/S/line", "a2", staffBody(bo), 200, "in_line", 2},
			{"staff add nobody", door, "POST", "/api/v1/door/S/line", "a3", `{"attendee_id":999999}`, 404, lanyard.ENOTFOUND, 0},
			{"staff add garbage", door, "POST", "/api/v1/door/S/line", "a4", `{"attendee_id":`, 400, lanyard.EINVALID, 0},
			{"walk-up overtaking", door, "POST", "/api/v1/door/S/walkup", "w1", staffBody(carl), 409, lanyard.ENotCalled, 0},
			{"leave", ann, "DELETE", "/api/v1/sessions/S/line", "l1", "", 200, "left_line", 0},
			{"leave again", ann, "DELETE", "/api/v1/sessions/S/line", "l2", "", 404, lanyard.ENOTFOUND, 0},
		} {
			a := send(c.who, c.method, c.path, c.key, c.body)
			got := a.code
			if a.status == 200 {
				got = a.line.Outcome
			}
			if a.status != c.status || got != c.code || a.line.Position != c.place {
				t.Errorf("%s: %d %s place %d; want %d %s place %d", c.name, a.status, got, a.line.Position, c.status, c.code, c.place)
			}
		}
		if a := send(bo, "GET", "/api/v1/me/lines", "", ""); a.status != 200 || len(a.lines) != 1 || a.lines[0].Position != 1 || a.lines[0].Session != "S" {
			t.Errorf("Bo's lines: %d %+v", a.status, a.lines)
		}
		if a := send(ann, "GET", "/api/v1/me/lines", "", ""); a.status != 200 || a.lines == nil || len(a.lines) != 0 {
			t.Errorf("Ann's lines after leaving: %d %+v", a.status, a.lines)
		}
	})
}
