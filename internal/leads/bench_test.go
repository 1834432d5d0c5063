package leads_test

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
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/leads"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/rush"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
	"github.com/lanyardhq/lanyard/internal/web"
	"github.com/lanyardhq/lanyard/internal/web/webtest"
)

// BenchmarkScan500Booths measures a lead scan's upload through the server
// (session, the exhibitor check, the badge's signature, the lead's
// transaction) over loopback HTTPS (keep-alive), with 500 booths scanning
// at once, each its own exhibitor with its own staff session, on SQLite
// (synchronous=FULL). Every scan is a new lead. It reports the p50 and p99
// latency of an upload of one scan.
//
// Paced: each booth scans a badge every two seconds (a busy booth), 250
// scans/s in all. Saturated: each booth uploads again as soon as it has its
// answer, which finds the server's throughput.
//
//	go test ./internal/leads -run '^$' -bench Scan500Booths -benchtime 5000x
func BenchmarkScan500Booths(b *testing.B) {
	b.Run("paced", func(b *testing.B) { benchScan(b, 2*time.Second) })
	b.Run("saturated", func(b *testing.B) { benchScan(b, 0) })
}

func benchScan(b *testing.B, pace time.Duration) {
	const booths = 500
	ctx := context.Background()
	db := storetest.OpenSQLite(b)
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	lc := &lanyard.Catalog{
		Event:  lanyard.Event{Slug: "bench-expo", Name: "Bench Expo", TimeZone: "America/Los_Angeles", StartDate: "2026-12-01", Days: 2},
		Venues: []lanyard.Venue{{Code: "hall", Name: "Hall", Rooms: []lanyard.Room{{Name: "Expo", Capacity: 1000}}}},
		Sessions: []lanyard.Session{{Code: "K1", Title: "Keynote", Type: lanyard.TypeSession, Topics: []string{"t"}, Venue: "hall", Room: "Expo",
			Start: start, End: start.Add(time.Hour)}},
	}
	if _, err := db.ImportCatalog(ctx, lc); err != nil {
		b.Fatal(err)
	}
	ev, err := db.FindEventBySlug(ctx, lc.Event.Slug)
	if err != nil {
		b.Fatal(err)
	}
	people := make([]*lanyard.Attendee, b.N+booths)
	for i := range people {
		people[i] = &lanyard.Attendee{Name: fmt.Sprintf("Attendee %06d", i), Email: fmt.Sprintf("a%06d@example.com", i), Company: "Co", Role: lanyard.RoleAttendee}
	}
	if err := db.CreateAttendees(ctx, ev.ID, people); err != nil {
		b.Fatal(err)
	}
	cat, err := catalog.Load(ctx, db, ev)
	if err != nil {
		b.Fatal(err)
	}
	var cur atomic.Pointer[catalog.Catalog]
	cur.Store(cat)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	badges := &badge.Service{DB: db, Event: ev}
	pages := &web.Handler{Catalog: &cur, Store: db, Sessions: web.NewSessions(store.SessionStore{DB: db}), Hasher: auth.NewHasher(4), Log: log, Badges: badges}
	mux := http.NewServeMux()
	rt := &route.Table{Mux: mux}
	pages.Routes(rt)
	shell, err := leads.NewShell(pages)
	if err != nil {
		b.Fatal(err)
	}
	(&leads.Handler{Shell: shell, Catalog: &cur, Store: db, Badges: badges, Log: log}).Routes(rt)
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
	tr.MaxIdleConnsPerHost = booths
	// 500 exhibitors, each with one staff member signed in on its own device.
	clients := make([]*http.Client, booths)
	var wg sync.WaitGroup
	for d := range booths {
		x, err := db.PutExhibitor(ctx, ev.ID, lanyard.Exhibitor{Code: fmt.Sprintf("x%03d", d), Name: fmt.Sprintf("Exhibitor %03d", d)})
		if err != nil {
			b.Fatal(err)
		}
		staff := &lanyard.Attendee{Name: "Booth staff", Email: fmt.Sprintf("staff%03d@example.com", d), Role: lanyard.RoleExhibitor}
		webtest.SignUp(b, db, ev.ID, staff)
		if err := db.SetExhibitorStaff(ctx, x.ID, staff.ID); err != nil {
			b.Fatal(err)
		}
		jar, _ := cookiejar.New(nil)
		clients[d] = &http.Client{Transport: tr, Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	sem := make(chan struct{}, 8)
	for d := range booths {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			res, err := clients[d].PostForm(srv.URL+"/signin", url.Values{"email": {fmt.Sprintf("staff%03d@example.com", d)}, "password": {webtest.Password}})
			if err != nil || res.StatusCode != http.StatusSeeOther {
				b.Errorf("sign in: %v %v", res, err)
				return
			}
			res.Body.Close()
		})
	}
	wg.Wait()
	post := func(d int, body string) error {
		res, err := clients[d].Post(srv.URL+"/exhibitor/leads/sync", "application/json", strings.NewReader(body))
		if err != nil {
			return err
		}
		data, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(string(data), `"created"`) {
			return fmt.Errorf("scan: %d %s", res.StatusCode, data)
		}
		return nil
	}
	scan := func(i int) string {
		return fmt.Sprintf(`{"scans":[{"nonce":"bench-%08d","token":%q}]}`, i, tokens[i])
	}
	for d := range booths { // warm each booth's connection
		wg.Go(func() {
			if err := post(d, scan(b.N+d)); err != nil {
				b.Error(err)
			}
		})
	}
	wg.Wait()
	b.ResetTimer()
	lat, err := rush.Paced(booths, b.N, pace, func(w, i int) error { return post(w, scan(i)) })
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	q := func(p float64) float64 { return rush.Quantile(lat, p) }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "scans/s")
}
