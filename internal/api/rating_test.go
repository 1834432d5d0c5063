package api_test

import (
	"context"
	"encoding/json"
	"io"
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

// GET and PUT /api/v1/me/ratings/{code}: refused before check-in, one
// rating per attendee and session that a second PUT replaces, another
// attendee's never read or changed, bad input refused with the field.
func TestRatingsAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		start := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Hour)
		c := &lanyard.Catalog{
			Event:  lanyard.Event{Slug: "rated", Name: "Rated", TimeZone: "UTC", StartDate: start.Format(time.DateOnly), Days: 3},
			Venues: []lanyard.Venue{{Code: "v", Name: "V", Rooms: []lanyard.Room{{Name: "R", Capacity: 5}}}},
			Sessions: []lanyard.Session{
				{Code: "S", Title: "S", Type: lanyard.TypeSession, Venue: "v", Room: "R", Start: start, End: start.Add(time.Hour), Reservable: true},
				{Code: "T", Title: "T", Type: lanyard.TypeSession, Venue: "v", Room: "R", Start: start.Add(2 * time.Hour), End: start.Add(3 * time.Hour), Reservable: true},
			},
		}
		if _, err := db.ImportCatalog(ctx, c); err != nil {
			t.Fatal(err)
		}
		ann := &lanyard.Attendee{Name: "Ann", Email: "ann@example.com"}
		bob := &lanyard.Attendee{Name: "Bob", Email: "bob@example.com"}
		if err := db.CreateAttendees(ctx, c.Event.ID, []*lanyard.Attendee{ann, bob}); err != nil {
			t.Fatal(err)
		}
		annToken, annHash := auth.NewToken()
		bobToken, bobHash := auth.NewToken()
		if err := db.CreateTokens(ctx, []store.Token{{AttendeeID: ann.ID, Hash: annHash, Name: "t"}, {AttendeeID: bob.ID, Hash: bobHash, Name: "t"}}); err != nil {
			t.Fatal(err)
		}
		var now atomic.Pointer[time.Time]
		t0 := time.Now()
		now.Store(&t0)
		cat, _ := catalog.Load(ctx, db, &c.Event)
		eng, err := reserve.Open(ctx, db, cat, reserve.Options{Tick: -1, Now: func() time.Time { return *now.Load() }})
		if err != nil {
			t.Fatal(err)
		}
		defer eng.Close()
		if _, err := eng.AddWindow(ctx, 0, "", lanyard.Window{SessionType: lanyard.TypeSession, Opens: t0.Add(-time.Hour), Closes: start}); err != nil {
			t.Fatal(err)
		}
		for _, a := range []*lanyard.Attendee{ann, bob} {
			if rs, err := eng.Reserve(ctx, a.ID, []string{"S", "T"}, false, ""); err != nil || rs[0].Outcome != lanyard.OutcomeReserved {
				t.Fatalf("reserve: %+v, %v", rs, err)
			}
		}
		var cur atomic.Pointer[catalog.Catalog]
		cur.Store(cat)
		tab := &route.Table{Mux: http.NewServeMux()}
		(&api.Handler{Catalog: &cur, Engine: eng, Ident: db, Log: slog.New(slog.DiscardHandler), Ratings: db}).Routes(tab)
		srv := httptest.NewServer(tab.Mux)
		defer srv.Close()
		do := func(token, method, path, body string) (int, string) {
			req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			req.Header.Set("Content-Type", "application/json")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return res.StatusCode, string(b)
		}
		expect := func(what string, code int, body string, wantCode int, wantIn string) {
			t.Helper()
			if code != wantCode || !strings.Contains(body, wantIn) {
				t.Errorf("%s: %d %s; want %d with %s", what, code, body, wantCode, wantIn)
			}
		}

		code, body := do(annToken, "PUT", "/api/v1/me/ratings/S", `{"score": 4}`)
		expect("PUT before check-in", code, body, http.StatusForbidden, `"not_checked_in"`)
		code, body = do(annToken, "GET", "/api/v1/me/ratings/S", ``)
		expect("GET before any rating", code, body, http.StatusNotFound, `"not_found"`)

		door := start.Add(-20 * time.Minute) // the door is open, the release not yet due
		now.Store(&door)
		if res, err := eng.CheckIn(ctx, 0, ann.ID, "S", ""); err != nil || res.Outcome != lanyard.OutcomeCheckedIn {
			t.Fatalf("check in: %+v %v", res, err)
		}
		code, body = do(annToken, "PUT", "/api/v1/me/ratings/S", `{"score": 4}`)
		expect("PUT after check-in", code, body, http.StatusOK, `"score":4`)
		code, body = do(annToken, "PUT", "/api/v1/me/ratings/S", `{"score": 2, "comment": "Good, but\nrushed."}`)
		expect("PUT again", code, body, http.StatusOK, `"score":2`)
		code, body = do(annToken, "GET", "/api/v1/me/ratings/S", ``)
		var got lanyard.Rating
		if err := json.Unmarshal([]byte(body), &got); err != nil || code != 200 || got.Score != 2 || got.Comment != "Good, but\nrushed." || got.Session != "S" {
			t.Errorf("GET after two PUTs: %d %s", code, body)
		}

		// Bob: not checked in, so refused; his GET never shows Ann's.
		code, body = do(bobToken, "GET", "/api/v1/me/ratings/S", ``)
		expect("Bob's GET", code, body, http.StatusNotFound, `"not_found"`)
		code, body = do(bobToken, "PUT", "/api/v1/me/ratings/S", `{"score": 1}`)
		expect("Bob's PUT", code, body, http.StatusForbidden, `"not_checked_in"`)

		for _, tt := range []struct{ name, path, body, code, field string }{
			{"score 0", "/api/v1/me/ratings/S", `{"score": 0}`, "invalid", `"field":"score"`},
			{"score 6", "/api/v1/me/ratings/S", `{"score": 6}`, "invalid", `"field":"score"`},
			{"no score", "/api/v1/me/ratings/S", `{"comment": "hi"}`, "invalid", `"field":"score"`},
			{"score as text", "/api/v1/me/ratings/S", `{"score": "5"}`, "invalid", ``},
			{"unknown field", "/api/v1/me/ratings/S", `{"score": 5, "attendee_id": 2}`, "invalid", ``},
			{"bidi in comment", "/api/v1/me/ratings/S", `{"score": 5, "comment": "a\u202eb"}`, "invalid", `"field":"comment"`},
			{"null", "/api/v1/me/ratings/S", `null`, "invalid", ``},
			{"unknown session", "/api/v1/me/ratings/NOPE", `{"score": 5}`, "not_found", ``},
			{"not checked in", "/api/v1/me/ratings/T", `{"score": 5}`, "not_checked_in", ``},
		} {
			code, body := do(annToken, "PUT", tt.path, tt.body)
			if code < 400 || !strings.Contains(body, `"`+tt.code+`"`) || !strings.Contains(body, tt.field) {
				t.Errorf("%s: %d %s; want %s %s", tt.name, code, body, tt.code, tt.field)
			}
		}
		sess, _ := cat.Session("S")
		if r, err := db.RatingOf(ctx, ann.ID, sess.ID); err != nil || r.Score != 2 {
			t.Errorf("Ann's rating after refusals: %+v %v", r, err)
		}
		// The report reads the same rows on both dialects.
		rep, err := db.RatingReport(ctx, c.Event.ID)
		if err != nil {
			t.Fatal(err)
		}
		if sr := rep["S"]; len(rep) != 1 || sr == nil || sr.Count != 1 || sr.Sum != 2 || sr.ByScore != [5]int{0, 1, 0, 0, 0} ||
			len(sr.Comments) != 1 || sr.Comments[0].Comment != "Good, but\nrushed." {
			t.Errorf("report = %+v", rep)
		}
		k1, err1 := db.RatingLinkKey(ctx, c.Event.ID)
		k2, err2 := db.RatingLinkKey(ctx, c.Event.ID)
		if err1 != nil || err2 != nil || len(k1) != 32 || string(k1) != string(k2) {
			t.Errorf("link key: %x %v, %x %v", k1, err1, k2, err2)
		}
		code, body = do("", "GET", "/api/v1/me/ratings/S", ``)
		expect("anonymous", code, body, http.StatusUnauthorized, `"unauthorized"`)
	})
}
