package console_test

import (
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/console"
	"github.com/lanyardhq/lanyard/internal/demo"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/web"
	"github.com/lanyardhq/lanyard/internal/web/webtest"
)

// BenchmarkDashboard serves the dashboard at re:Invent scale: the demo
// event (~3,000 sessions) with 65,000 attendees, 30,000 reservations made
// in the last minutes (so the per-minute counts read them all) and refusals
// among them, from a real SQLite file and engine. It reports the p99 of a
// page. Recorded in docs/PERFORMANCE.md.
func BenchmarkDashboard(b *testing.B) {
	get := dashboardAtScale(b)
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		get()
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	b.ReportMetric(p99(durations), "p99-ms")
}

// scaleOnce builds the event once per run: the benchmark function runs
// once with b.N = 1 before its real run.
var scaleOnce struct {
	sync.Once
	get func(path string) *httptest.ResponseRecorder
}

func dashboardAtScale(b *testing.B) func() *httptest.ResponseRecorder {
	get := atScale(b)
	return func() *httptest.ResponseRecorder { return get("/console/dashboard") }
}

// atScale returns a GET of a console path as the organizer, on the event
// built once.
func atScale(b *testing.B) func(path string) *httptest.ResponseRecorder {
	scaleOnce.Do(func() { scaleOnce.get = buildScale(b) })
	if scaleOnce.get == nil {
		b.Fatal("building the event failed")
	}
	return scaleOnce.get
}

func buildScale(b *testing.B) func(path string) *httptest.ResponseRecorder {
	ctx := context.Background()
	began := time.Now()
	gen := demo.Generate(demo.Options{Seed: 1, Attendees: 65_000, StartDate: demo.StartAfter(time.Now())})
	// Kept for the whole run (not b.TempDir, which the first run removes).
	dir, err := os.MkdirTemp("", "lanyard-bench")
	if err != nil {
		b.Fatal(err)
	}
	db, err := store.Open(ctx, dir+"/bench.db")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := db.ImportCatalog(ctx, gen.Catalog); err != nil {
		b.Fatal(err)
	}
	ev, err := db.FindEventBySlug(ctx, gen.Catalog.Event.Slug)
	if err != nil {
		b.Fatal(err)
	}
	people := make([]*lanyard.Attendee, len(gen.Attendees))
	var organizer *lanyard.Attendee
	for i := range gen.Attendees {
		people[i] = &gen.Attendees[i]
	}
	if err := db.CreateAttendees(ctx, ev.ID, people); err != nil {
		b.Fatal(err)
	}
	for _, a := range people {
		if a.Role == lanyard.RoleOrganizer {
			organizer = a
			break
		}
	}
	if err := db.SetPassword(ctx, organizer.ID, webtest.PasswordHash()); err != nil {
		b.Fatal(err)
	}
	cat, err := catalog.Load(ctx, db, ev)
	if err != nil {
		b.Fatal(err)
	}
	eng, err := reserve.Open(ctx, db, cat, reserve.Options{})
	if err != nil {
		b.Fatal(err)
	}
	s := lanyard.DefaultReservationSettings()
	s.FairSeconds = 0
	if err := eng.SetSettings(ctx, s); err != nil {
		b.Fatal(err)
	}
	for _, typ := range lanyard.SessionTypes {
		if _, err := eng.AddWindow(ctx, 0, "", lanyard.Window{SessionType: typ, Opens: time.Now().Add(-time.Hour), Closes: time.Now().AddDate(1, 0, 0)}); err != nil {
			b.Fatal(err)
		}
	}
	var codes []string
	for _, s := range cat.Sessions() {
		if s.Reservable && s.Scheduled() {
			codes = append(codes, s.Code)
		}
	}
	// 30,000 attendees reserve a session each, skewed to a few popular ones
	// so some fill and refuse: 256 at a time, as a rush's group commits.
	b.Logf("event loaded in %s", time.Since(began).Round(time.Millisecond))
	var wg sync.WaitGroup
	var next atomic.Int64
	for range 256 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= 30_000 {
					return
				}
				code := codes[rand.IntN(len(codes))]
				if i%3 == 0 {
					code = codes[i%20]
				}
				eng.Reserve(ctx, people[i].ID, []string{code}, false, "")
			}
		}()
	}
	wg.Wait()
	b.Logf("30,000 reservations in %s", time.Since(began).Round(time.Millisecond))
	scaleReports(b, db, eng, ev.ID, people, codes)

	var cur atomic.Pointer[catalog.Catalog]
	cur.Store(cat)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	pages := &web.Handler{Catalog: &cur, Engine: eng, Store: db, Sessions: web.NewSessions(store.SessionStore{DB: db}), Hasher: auth.NewHasher(2), Log: log}
	mux := http.NewServeMux()
	rt := &route.Table{Mux: mux}
	pages.Routes(rt)
	shell, err := console.NewShell(pages)
	if err != nil {
		b.Fatal(err)
	}
	now := func() time.Time {
		if t := reportNow.Load(); t != nil {
			return *t
		}
		return time.Now()
	}
	(&console.Handler{Shell: shell, Catalog: &cur, Engine: eng, Store: db, Log: log, Now: now}).Routes(rt)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/signin", strings.NewReader(url.Values{"email": {organizer.Email}, "password": {webtest.Password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	mux.ServeHTTP(rec, req)
	cookies := rec.Result().Cookies()
	if rec.Code != http.StatusSeeOther || len(cookies) == 0 {
		b.Fatalf("sign in: %d", rec.Code)
	}
	get := func(path string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", path, nil)
		for _, c := range cookies {
			r.AddCookie(c)
		}
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		return w
	}
	if w := get("/console/dashboard"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `id="demand"`) || strings.Contains(w.Body.String(), `id="refusals-none"`) {
		b.Fatalf("dashboard: %d, without demand or refusals", w.Code)
	}
	return get
}
