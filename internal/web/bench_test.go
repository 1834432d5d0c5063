package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/demo"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
	"github.com/lanyardhq/lanyard/internal/web"
)

// demoScale serves the demo event (~3,000 sessions, 2,000 attendees) from a
// real SQLite file and engine, with one signed-in attendee holding a few
// seats, and returns the handler and that attendee's session cookie.
func demoScale(b testing.TB) (http.Handler, *http.Cookie) {
	b.Helper()
	ctx := context.Background()
	gen := demo.Generate(demo.Options{Seed: 1})
	db := storetest.OpenSQLite(b)
	if _, err := db.ImportCatalog(ctx, gen.Catalog); err != nil {
		b.Fatal(err)
	}
	ev, err := db.FindEventBySlug(ctx, gen.Catalog.Event.Slug)
	if err != nil {
		b.Fatal(err)
	}
	people := make([]*lanyard.Attendee, len(gen.Attendees))
	for i := range gen.Attendees {
		people[i] = &gen.Attendees[i]
	}
	if err := db.CreateAttendees(ctx, ev.ID, people); err != nil {
		b.Fatal(err)
	}
	cat, err := catalog.Load(ctx, db, ev)
	if err != nil {
		b.Fatal(err)
	}
	// The engine's clock stands demo.LeadTime before the event, whatever day
	// the benchmark runs: on a past event the attendee's seats would be
	// refused and the pages lighter than a real one's.
	first, err := time.Parse(time.DateOnly, ev.StartDate)
	if err != nil {
		b.Fatal(err)
	}
	now := first.Add(-demo.LeadTime)
	eng, err := reserve.Open(ctx, db, cat, reserve.Options{Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(eng.Close)
	for _, typ := range lanyard.SessionTypes {
		w := lanyard.Window{SessionType: typ, Opens: now.Add(-time.Hour), Closes: now.AddDate(1, 0, 0)}
		if _, err := eng.AddWindow(ctx, 0, "", w); err != nil {
			b.Fatal(err)
		}
	}
	var cur atomic.Pointer[catalog.Catalog]
	cur.Store(cat)
	h := &web.Handler{Catalog: &cur, Engine: eng, Store: db, Sessions: web.NewSessions(store.SessionStore{DB: db}),
		Hasher: auth.NewHasher(2), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	mux := http.NewServeMux()
	h.Routes(&route.Table{Mux: mux})

	a := &lanyard.Attendee{Name: "Bench Mark", Email: "bench@example.com", HomeZone: "Asia/Seoul"}
	hash, _ := auth.NewHasher(1).Hash(ctx, "bench-password-1")
	if err := db.SignUp(ctx, ev.ID, a, hash); err != nil {
		b.Fatal(err)
	}
	// Six seats one after another, as an attendee's agenda holds them.
	var held []string
	var free time.Time
	groups := map[string]bool{}
	for _, s := range cat.Sessions() { // in start order
		if len(held) == 6 || !s.Reservable || !s.Scheduled() || s.Start.Before(free) || groups[s.RepeatGroup] {
			continue
		}
		held = append(held, s.Code)
		free = s.End.Add(30 * time.Minute) // time to walk or ride to the next
		if s.RepeatGroup != "" {
			groups[s.RepeatGroup] = true
		}
	}
	if len(held) != 6 {
		b.Fatalf("found %d sessions one after another, want 6", len(held))
	}
	rs, err := eng.Reserve(ctx, a.ID, held, true, "")
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range rs {
		if r.Outcome == lanyard.OutcomeRefused {
			b.Fatalf("the bench attendee's %s was refused: %v", r.Session, r.Error)
		}
	}
	form := url.Values{"email": {a.Email}, "password": {"bench-password-1"}}
	req := httptest.NewRequest("POST", "/signin", bytes.NewBufferString(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	var cookie *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == "lanyard_session" {
			cookie = c
		}
	}
	if cookie == nil {
		b.Fatalf("sign-in set no session cookie: %d %s", rec.Code, rec.Body)
	}
	return mux, cookie
}

// BenchmarkPages measures the server time of the catalog page and of a
// search as you type, anonymous and signed in, at demo scale; it reports
// p50 and p99 per request. The target is p99 under 10 ms.
func BenchmarkPages(b *testing.B) {
	h, cookie := demoScale(b)
	for _, bc := range []struct {
		name, path string
		signedIn   bool
	}{
		{"catalog", "/", false},
		{"catalog-signed-in", "/", true},
		{"search", "/?q=serverless&fragment=1", false},
		{"search-signed-in-fits", "/?q=data&fits=1&fragment=1", true},
		{"search-facets", "/?type=workshop&level=300&day=2026-12-01&fragment=1", false},
		{"session", "/sessions/KEY001", true},
		{"agenda", "/agenda", true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			times := make([]time.Duration, 0, b.N)
			for b.Loop() {
				req := httptest.NewRequest("GET", bc.path, nil)
				if bc.signedIn {
					req.AddCookie(cookie)
				}
				rec := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(rec, req)
				times = append(times, time.Since(start))
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s: %d", bc.path, rec.Code)
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// TestCatalogPageWeight checks what a first visit to the catalog
// transfers, compressed as browsers ask: the page, its stylesheet and its
// script. The target is under 150 KB.
func TestCatalogPageWeight(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo event")
	}
	h, cookie := demoScale(t)
	for _, signedIn := range []bool{false, true} {
		get := func(path string) (wire, raw int, body []byte) {
			req := httptest.NewRequest("GET", path, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			if signedIn {
				req.AddCookie(cookie)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s: %d", path, rec.Code)
			}
			wire = rec.Body.Len()
			body = rec.Body.Bytes()
			if rec.Header().Get("Content-Encoding") == "gzip" {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				body, _ = io.ReadAll(zr)
			}
			return wire, len(body), body
		}
		wire, raw, page := get("/")
		total := wire
		for _, m := range regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`).FindAllSubmatch(page, -1) {
			w, _, _ := get(string(m[1]))
			total += w
		}
		t.Logf("signed in %v: catalog page %d B (%d B uncompressed), with its CSS and JS %d B transferred", signedIn, wire, raw, total)
		if total >= 150_000 {
			t.Errorf("first load transfers %d B; the target is under 150 KB", total)
		}
	}
}
