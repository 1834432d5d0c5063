package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/api"
	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// POST /api/v1/exhibitor/swag/{item}/retire: an organizer retires any
// item, an exhibitor only its own (403 + code for another's), an attendee
// none; after the answer every claim is refused with swag_retired.
func TestSwagRetireAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		start := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Hour)
		c := &lanyard.Catalog{
			Event:  lanyard.Event{Slug: "swagged", Name: "Swagged", TimeZone: "UTC", StartDate: start.Format(time.DateOnly), Days: 3},
			Venues: []lanyard.Venue{{Code: "v", Name: "V", Rooms: []lanyard.Room{{Name: "R", Capacity: 5}}}},
		}
		if _, err := db.ImportCatalog(ctx, c); err != nil {
			t.Fatal(err)
		}
		people := map[string]*lanyard.Attendee{}
		var list []*lanyard.Attendee
		for _, p := range []struct {
			name string
			role lanyard.Role
		}{{"org", lanyard.RoleOrganizer}, {"ex1", lanyard.RoleExhibitor}, {"ex2", lanyard.RoleExhibitor}, {"att", lanyard.RoleAttendee}} {
			a := &lanyard.Attendee{Name: p.name, Email: p.name + "@example.com", Role: p.role}
			people[p.name] = a
			list = append(list, a)
		}
		if err := db.CreateAttendees(ctx, c.Event.ID, list); err != nil {
			t.Fatal(err)
		}
		tokens := map[string]string{}
		for name, a := range people {
			tok, hash := auth.NewToken()
			if err := db.CreateTokens(ctx, []store.Token{{AttendeeID: a.ID, Hash: hash, Name: "t"}}); err != nil {
				t.Fatal(err)
			}
			tokens[name] = tok
		}
		acme, err := db.PutExhibitor(ctx, c.Event.ID, lanyard.Exhibitor{Code: "acme", Name: "Acme"})
		if err != nil {
			t.Fatal(err)
		}
		globex, err := db.PutExhibitor(ctx, c.Event.ID, lanyard.Exhibitor{Code: "globex", Name: "Globex"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetExhibitorStaff(ctx, acme.ID, people["ex1"].ID); err != nil {
			t.Fatal(err)
		}
		if err := db.SetExhibitorStaff(ctx, globex.ID, people["ex2"].ID); err != nil {
			t.Fatal(err)
		}
		cat, _ := catalog.Load(ctx, db, &c.Event)
		eng, err := reserve.Open(ctx, db, cat, reserve.Options{Tick: -1})
		if err != nil {
			t.Fatal(err)
		}
		defer eng.Close()
		socks, err := eng.SwagPut(ctx, 0, 0, "", lanyard.SwagItem{ExhibitorID: acme.ID, Name: "Socks", Stock: 10})
		if err != nil {
			t.Fatal(err)
		}
		hats, err := eng.SwagPut(ctx, 0, 0, "", lanyard.SwagItem{ExhibitorID: globex.ID, Name: "Hats", Stock: 10})
		if err != nil {
			t.Fatal(err)
		}
		var cur atomic.Pointer[catalog.Catalog]
		cur.Store(cat)
		tab := &route.Table{Mux: http.NewServeMux()}
		(&api.Handler{Catalog: &cur, Engine: eng, Ident: db, Swag: db, Log: slog.New(slog.DiscardHandler)}).Routes(tab)
		srv := httptest.NewServer(tab.Mux)
		defer srv.Close()
		do := func(who, path, body string) (int, string) {
			req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(body))
			if who != "" {
				req.Header.Set("Authorization", "Bearer "+tokens[who])
			}
			req.Header.Set("Content-Type", "application/json")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var v struct {
				Error   struct{ Code string }
				Retired bool
			}
			json.NewDecoder(res.Body).Decode(&v)
			if v.Retired {
				return res.StatusCode, "retired"
			}
			return res.StatusCode, v.Error.Code
		}
		retire := func(id int64) string { return fmt.Sprintf("/api/v1/exhibitor/swag/%d/retire", id) }
		for _, c := range []struct {
			name, who, path string
			status          int
			code            string
		}{
			{"anonymous", "", retire(socks.ID), 401, lanyard.EUNAUTHORIZED},
			{"attendee", "att", retire(socks.ID), 403, lanyard.EFORBIDDEN},
			{"another exhibitor's", "ex2", retire(socks.ID), 403, lanyard.EFORBIDDEN},
			{"no such item", "ex1", retire(999), 404, lanyard.ENOTFOUND},
			{"not a number", "ex1", "/api/v1/exhibitor/swag/x/retire", 404, lanyard.ENOTFOUND},
			{"own item", "ex1", retire(socks.ID), 200, "retired"},
			{"again", "ex1", retire(socks.ID), 200, "retired"},
			{"organizer, any item", "org", retire(hats.ID), 200, "retired"},
		} {
			if status, code := do(c.who, c.path, ""); status != c.status || code != c.code {
				t.Errorf("%s: %d %q, want %d %q", c.name, status, code, c.status, c.code)
			}
		}
		body := fmt.Sprintf(`{"attendee_id": %d}`, people["att"].ID)
		if status, code := do("ex1", fmt.Sprintf("/api/v1/exhibitor/swag/%d/claim", socks.ID), body); status != 409 || code != lanyard.ESwagRetired {
			t.Errorf("claim after retire: %d %q", status, code)
		}
	})
}
