package door_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/badge"
	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/door"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/rush"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
	"github.com/lanyardhq/lanyard/internal/web"
	"github.com/lanyardhq/lanyard/internal/web/webtest"
)

// BenchmarkScan200Doors measures a scan through the server: badge
// verification, the engine's admission and the door's count, over
// loopback HTTPS (keep-alive) with 200 doors scanning at once, each a
// different session's, on SQLite (synchronous=FULL). Every scan admits a
// different attendee (a walk-up after the release). It reports the p50
// and p99 latency of a scan.
//
// Paced: each door scans a badge every second (a busy door: one person a
// second), 200 scans/s in all. Saturated: each door scans again as soon
// as it has its answer, which finds the server's throughput; its latency
// is 200 waiting doors divided by that.
//
//	go test ./internal/door -run '^$' -bench Scan200Doors -benchtime 6000x
func BenchmarkScan200Doors(b *testing.B) {
	b.Run("paced", func(b *testing.B) { benchScan(b, time.Second) })
	b.Run("saturated", func(b *testing.B) { benchScan(b, 0) })
}

func benchScan(b *testing.B, pace time.Duration) {
	const doors = 200
	ctx := context.Background()
	db := storetest.OpenSQLite(b)
	start := at(2, 10, 0)
	lc := &lanyard.Catalog{
		Event:  lanyard.Event{Slug: "bench-conf", Name: "Bench Conf", TimeZone: "America/Los_Angeles", StartDate: "2026-12-01", Days: 3},
		Venues: []lanyard.Venue{{Code: "hall", Name: "Hall"}},
	}
	for i := range doors {
		room := fmt.Sprintf("Room %03d", i)
		lc.Venues[0].Rooms = append(lc.Venues[0].Rooms, lanyard.Room{Name: room, Capacity: 100_000})
		lc.Sessions = append(lc.Sessions, lanyard.Session{Code: fmt.Sprintf("S%03d", i), Title: "Session " + room, Type: lanyard.TypeSession,
			Topics: []string{"t"}, Venue: "hall", Room: room, Start: start, End: start.Add(time.Hour), Reservable: true})
	}
	if _, err := db.ImportCatalog(ctx, lc); err != nil {
		b.Fatal(err)
	}
	ev, err := db.FindEventBySlug(ctx, lc.Event.Slug)
	if err != nil {
		b.Fatal(err)
	}
	people := make([]*lanyard.Attendee, b.N+doors)
	for i := range people {
		people[i] = &lanyard.Attendee{Name: fmt.Sprintf("Attendee %06d", i), Email: fmt.Sprintf("a%06d@example.com", i), Role: lanyard.RoleAttendee}
	}
	if err := db.CreateAttendees(ctx, ev.ID, people); err != nil {
		b.Fatal(err)
	}
	staff := &lanyard.Attendee{Name: "Door staff", Email: "staff@example.com", Role: lanyard.RoleStaff}
	webtest.SignUp(b, db, ev.ID, staff)
	cat, err := catalog.Load(ctx, db, ev)
	if err != nil {
		b.Fatal(err)
	}
	// Five minutes before the start: the doors are open and unclaimed
	// seats released, so every scan is a walk-up admission.
	now := func() time.Time { return start.Add(-5 * time.Minute) }
	eng, err := reserve.Open(ctx, db, cat, reserve.Options{Now: now, Tick: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer eng.Close()
	var cur atomic.Pointer[catalog.Catalog]
	cur.Store(cat)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	badges := &badge.Service{DB: db, Event: ev}
	pages := &web.Handler{Catalog: &cur, Engine: eng, Store: db, Sessions: web.NewSessions(store.SessionStore{DB: db}),
		Hasher: auth.NewHasher(2), Log: log, Badges: badges}
	mux := http.NewServeMux()
	rt := &route.Table{Mux: mux}
	pages.Routes(rt)
	shell, err := door.NewShell(pages)
	if err != nil {
		b.Fatal(err)
	}
	dh := &door.Handler{Shell: shell, Catalog: &cur, Engine: eng, Store: db, Badges: badges, Log: log, Now: now}
	dh.Routes(rt)
	rctx, stopRecords := context.WithCancel(ctx)
	defer stopRecords()
	go dh.Run(rctx) // as serve runs it
	srv := httptest.NewTLSServer(mux)
	defer srv.Close()
	kr, err := badges.Keys(ctx)
	if err != nil {
		b.Fatal(err)
	}
	tokens := make([]string, len(people))
	for i, a := range people {
		tokens[i] = kr.Sign(badge.Claims{EventID: ev.ID, AttendeeID: a.ID, Version: 1})
	}
	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = doors
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Transport: tr, Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.PostForm(srv.URL+"/signin", url.Values{"email": {staff.Email}, "password": {webtest.Password}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		b.Fatalf("sign in: %v %v", res, err)
	}
	res.Body.Close()
	post := func(body string) error {
		res, err := hc.Post(srv.URL+"/door/api/scan", "application/json", strings.NewReader(body))
		if err != nil {
			return err
		}
		data, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(string(data), `"admit_walkup"`) {
			return fmt.Errorf("scan: %d %s", res.StatusCode, data)
		}
		return nil
	}
	// Warm every door's connection with one scan each.
	var wg sync.WaitGroup
	for d := range doors {
		wg.Go(func() {
			if err := post(fmt.Sprintf(`{"door":"s:S%03d","token":%q,"nonce":"warm-%06d"}`, d, tokens[b.N+d], d)); err != nil {
				b.Error(err)
			}
		})
	}
	wg.Wait()
	b.ResetTimer()
	lat, err := rush.Paced(doors, b.N, pace, func(w, i int) error {
		return post(fmt.Sprintf(`{"door":"s:S%03d","token":%q,"nonce":"bench-%08d"}`, w, tokens[i], i))
	})
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	q := func(p float64) float64 { return rush.Quantile(lat, p) }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "scans/s")
}
