package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// pocketCatalog is a small event happening today in Las Vegas: P1 at the
// Venetian in 20 minutes (its door already open), P2 at MGM after it, a
// 25-minute shuttle or a 40-minute walk away.
func pocketCatalog(t *testing.T, dir string, now time.Time) string {
	t.Helper()
	la, _ := time.LoadLocation("America/Los_Angeles")
	now = now.In(la).Truncate(time.Minute)
	p1 := now.Add(20 * time.Minute)
	p2 := p1.Add(90 * time.Minute)
	sess := func(code, title, venue, room string, start time.Time, minutes int) map[string]any {
		return map[string]any{"code": code, "title": title, "type": "session", "venue": venue, "room": room, "reservable": true,
			"start": start.Format(time.RFC3339), "end": start.Add(time.Duration(minutes) * time.Minute).Format(time.RFC3339)}
	}
	c := map[string]any{
		"event": map[string]any{"slug": "pocket", "name": "Pocket Conf", "time_zone": "America/Los_Angeles",
			"start_date": now.AddDate(0, 0, -1).Format(time.DateOnly), "days": 3},
		"venues": []map[string]any{
			{"code": "venetian", "name": "Venetian", "rooms": []map[string]any{{"name": "Palazzo B", "capacity": 50}}},
			{"code": "mgm", "name": "MGM Grand", "rooms": []map[string]any{{"name": "Room 112", "capacity": 50}}},
		},
		"travel_times": []map[string]any{
			{"from": "venetian", "to": "mgm", "walk_minutes": 40, "shuttle_minutes": 25},
			{"from": "mgm", "to": "venetian", "walk_minutes": 40, "shuttle_minutes": 25},
		},
		"sessions": []map[string]any{
			sess("P1", "Serverless at scale", "venetian", "Palazzo B", p1, 60),
			sess("P2", "Databases in practice", "mgm", "Room 112", p2, 45),
		},
	}
	b, _ := json.Marshal(c)
	path := filepath.Join(dir, "pocket.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// offline cuts the tab and its service worker off the network, as
// DevTools' "Offline" does, or gives the network back.
func (b *tab) offline(off bool) {
	b.t.Helper()
	yes := true
	if _, err := chromedp.Call(b.ctx, network.Enable, network.EnableParams{}); err != nil {
		b.t.Fatalf("network.enable: %v", err)
	}
	if _, err := chromedp.Call(b.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		EmulateOfflineServiceWorker: &yes,
		MatchedNetworkConditions:    []*network.Conditions{{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}},
	}); err != nil {
		b.t.Fatalf("emulate offline=%v: %v", off, err)
	}
	if _, err := chromedp.Call(b.ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		b.t.Fatalf("network state offline=%v: %v", off, err)
	}
}

// startServe starts serve like startCmd, with a stop of its own: the
// test cuts the network by stopping the server as well as by DevTools'
// emulation, since Chromium applies the emulation to the page and not to
// its service worker's own fetches (puppeteer/puppeteer#2469), and the
// worker is what must find the network gone.
func startServe(t *testing.T, args ...string) (base string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr lockedBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, args, noEnv, &stdout, &stderr) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("%v exited %d after shutdown; stderr:\n%s", args, code, stderr.String())
			}
		case <-time.After(30 * time.Second):
			t.Errorf("%v did not shut down", args)
		}
	}
	t.Cleanup(stop)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if m := urlRE.FindStringSubmatch(stdout.String()); m != nil {
			return m[1], stop
		}
		select {
		case code := <-done:
			t.Fatalf("%v exited %d before serving; stderr:\n%s", args, code, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("%v never served; stderr:\n%s", args, stderr.String())
	return "", nil
}

// keptPages is true once the service worker keeps the attendee's agenda,
// "now and next", badge page and QR code.
const keptPages = `(() => {
  (async () => {
    let n = 0;
    for (const k of await caches.keys()) {
      const c = await caches.open(k);
      for (const p of ["/agenda", "/now", "/photo", "/badge.png"]) if (await c.match(p)) n++;
    }
    window.__kept = n;
  })();
  return (window.__kept || 0) >= 4;
})()`

// noKeptPages is true once the service worker keeps none of those pages.
const noKeptPages = `(() => {
  (async () => {
    let n = 0;
    for (const k of await caches.keys()) {
      const c = await caches.open(k);
      for (const p of ["/agenda", "/now", "/photo", "/badge.png", "/photo.jpg"]) if (await c.match(p)) n++;
    }
    window.__kept = n;
  })();
  return window.__kept === 0;
})()`

// TestBrowserPocket: an attendee with two sessions today opens "now and
// next" on a phone (where to be, the shuttle, when to leave, in venue and
// home time), loses the network and reloads: the agenda, "now and next"
// and the badge still show, marked as the copy they are. Back online,
// door staff check them in and they rate the session in one tap.
func TestBrowserPocket(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium; skipped with -short")
	}
	ctx := newBrowser(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "pocket.db")
	if code, out, stderr := runCmd(t, "import", "--db", db, pocketCatalog(t, dir, time.Now())); code != 0 {
		t.Fatalf("import: %d %s %s", code, out, stderr)
	}
	people := filepath.Join(dir, "people.csv")
	os.WriteFile(people, []byte("email,name,role\norg@pocket.example,Olga Organizer,organizer\nstaff@pocket.example,Sam Staff,staff\n"), 0o644)
	if code, out, stderr := runCmd(t, "attendees", "import", "--db", db, "--signup-mode", "open", people); code != 0 {
		t.Fatalf("attendees import: %d %s %s", code, out, stderr)
	}
	token := func(email string) string {
		t.Helper()
		code, out, stderr := runCmd(t, "token", "create", "--db", db, "--email", email)
		if code != 0 {
			t.Fatalf("token for %s: %s", email, stderr)
		}
		return strings.TrimSpace(out)
	}
	org, staff := token("org@pocket.example"), token("staff@pocket.example")
	base, stop := startServe(t, "serve", "--db", db, "--addr", "127.0.0.1:0", "--log-level", "warn")
	// Reservations open now and stay open until five minutes before a start.
	call(t, "PUT", base+"/api/v1/admin/settings", org, map[string]int{"changes_close_minutes": 5}, nil, 200, nil)
	call(t, "POST", base+"/api/v1/admin/windows", org, map[string]any{"session_type": "session",
		"opens": time.Now().Add(-time.Hour).UTC(), "closes": time.Now().Add(12 * time.Hour).UTC()}, nil, 201, nil)

	br := newTab(t, ctx, base)
	br.signUp("Kim Min-ji", "minji@pocket.example", "Asia/Seoul", "sturdy-lantern-41")
	me := token("minji@pocket.example")
	call(t, "POST", base+"/api/v1/reservations", me, map[string]any{"sessions": []string{"P1", "P2"}}, nil, 200, nil)
	var who struct{ ID int64 }
	getJSON(t, base+"/api/v1/me", me, 200, &who)
	// She starts a meetup at a bar back at the Venetian, half an hour
	// after P2 ends at MGM: "now and next" lists it third, with the bus.
	var p2 demoSession
	getJSON(t, base+"/api/v1/sessions/P2", "", 200, &p2)
	br.do("start a meetup",
		chromedp.Navigate(base+"/meetups/new"),
		chromedp.WaitVisible(chromedp.ID("meetup-form")),
		chromedp.SendKeys(chromedp.ID("title"), "Korean speakers' meetup"),
		chromedp.SetValue(chromedp.ID("language"), "ko"),
		chromedp.SendKeys(chromedp.ID("topic"), "AWSKRUG"),
		chromedp.Click(chromedp.ID("kind-bar")),
		chromedp.SetValue(chromedp.ID("venue"), "venetian"),
		chromedp.SendKeys(chromedp.ID("place"), "Bar X"),
		chromedp.SetValue(chromedp.ID("start"), p2.End.Add(30*time.Minute).In(mustZone(t)).Format("2006-01-02T15:04")),
		chromedp.SetValue(chromedp.ID("minutes"), "60"),
		chromedp.SetValue(chromedp.ID("cap"), "10"),
		chromedp.Click(chromedp.ID("meetup-create")),
		chromedp.WaitVisible(chromedp.ID("meetup-title")),
	)
	meetup := "MEETUP-" + br.eval(`document.getElementById("meetup").dataset.meetup`)
	// Now and next, on a phone.
	br.do("open now and next", chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/now"), chromedp.WaitVisible(chromedp.ID("now-next-2")))
	if got := br.eval(`[0, 1, 2].map(i => document.getElementById("now-next-" + i).dataset.session).join()`); got != "P1,P2,"+meetup {
		t.Fatalf("next stops = %s, want P1,P2,%s", got, meetup)
	}
	if got := br.text("#now-next-2"); !strings.Contains(got, "Korean speakers' meetup") || !strings.Contains(got, "Bar X, Venetian") ||
		!strings.Contains(got, "Meetup · going") || !strings.Contains(got, "Shuttle from MGM Grand: 25 min") || !strings.Contains(got, "Leave by") {
		t.Errorf("the meetup in now and next: %q", got)
	}
	trip := br.text("#now-next-1 .trip-how")
	leave := br.text("#leave-by-1")
	if trip != "Shuttle from Venetian: 25 min" || !strings.Contains(leave, "Leave by") || !strings.Contains(leave, "PST") || !strings.Contains(leave, "KST") {
		t.Errorf("the trip to P2 says %q, %q; want the shuttle and a time to leave in both zones", trip, leave)
	}
	br.shoot("pocket-now-en", 390)
	// The worker keeps the attendee's pages; then the network goes.
	br.do("service worker keeps the pages", poll(`!!navigator.serviceWorker && !!navigator.serviceWorker.controller`),
		chromedp.Navigate(base+"/agenda"), chromedp.WaitVisible(chromedp.ID("now")), poll(keptPages))
	br.offline(true)
	stop()
	br.eval(`fetch("/api/v1/event").then(() => window.__net = "online", () => window.__net = "offline"), ""`)
	br.do("the page is offline", poll(`window.__net === "offline"`))
	for _, pg := range []struct{ path, shows, shot string }{
		{"/agenda", `[data-session="P2"]`, "pocket-offline-agenda-en"},
		{"/now", "#now-next-1", "pocket-offline-now-en"},
		{"/photo", "#badge-qr", "pocket-offline-badge-en"},
	} {
		br.do("reload "+pg.path+" offline", chromedp.Navigate(base+pg.path), chromedp.WaitVisible(chromedp.CSS(pg.shows)),
			chromedp.WaitVisible(chromedp.ID("offline-note")))
		if note := br.text("#offline-note"); !strings.HasPrefix(note, "Offline: as of") || !strings.Contains(note, "PST") {
			t.Errorf("%s offline note = %q", pg.path, note)
		}
		br.shoot(pg.shot, 390)
	}
	br.do("the badge's QR code shows", poll(`document.getElementById("badge-qr").complete && document.getElementById("badge-qr").naturalWidth > 0`))
	br.offline(false)
	_, stop = startServe(t, "serve", "--db", db, "--addr", strings.TrimPrefix(base, "http://"), "--log-level", "warn")

	// At the door: staff check her in; the agenda offers the rating.
	var door struct{ Outcome string }
	call(t, "POST", base+"/api/v1/door/P1/checkin", staff, map[string]int64{"attendee_id": who.ID}, nil, 200, &door)
	if door.Outcome != "checked_in" {
		t.Fatalf("check-in: %+v", door)
	}
	br.do("rate P1",
		chromedp.Navigate(base+"/agenda"), chromedp.WaitVisible(chromedp.ID("r-P1")),
		chromedp.Click(chromedp.CSS("#r-P1 summary")),
		chromedp.SendKeys(chromedp.ID("comment-P1"), "Clear and practical."),
		chromedp.Click(chromedp.CSS(`#r-P1 button[data-score="4"]`)),
		chromedp.WaitVisible(chromedp.ID("flash")))
	if got := br.text("#flash"); !strings.Contains(got, "you rated P1 4 of 5") {
		t.Errorf("flash after rating = %q", got)
	}
	if got := br.eval(`document.querySelector('#r-P1 button[aria-pressed="true"]').dataset.score`); got != "4" {
		t.Errorf("the chosen star is %s, want 4", got)
	}
	br.shoot("pocket-rated-en", 390)
	var rating struct {
		Score   int
		Comment string
	}
	getJSON(t, base+"/api/v1/me/ratings/P1", me, 200, &rating)
	if rating.Score != 4 || rating.Comment != "Clear and practical." {
		t.Errorf("stored rating = %+v", rating)
	}

	// Signing out drops every kept page: the next person on this phone
	// finds none of hers.
	br.do("pages kept before sign-out", poll(keptPages))
	br.do("sign out", chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.CSS(`a[href^="/signin"]`)),
		poll(`(() => { window.__kept = undefined; return true; })()`), poll(noKeptPages))
	br.signIn("minji@pocket.example", "sturdy-lantern-41", chromedp.WaitVisible(chromedp.ID("signout")))

	// In Korean.
	br.do("switch to Korean", chromedp.Navigate(base+"/now"), chromedp.WaitVisible(chromedp.ID("lang-switch")),
		chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="ko"] #now-next-1`)))
	if got := br.text("#now-next-1 .trip-how"); got != "Venetian에서 셔틀로 25분" {
		t.Errorf("Korean trip = %q", got)
	}
	if got := br.text("#now-next-2"); !strings.Contains(got, "밋업 · 참석") || !strings.Contains(got, "MGM Grand에서 셔틀로 25분") {
		t.Errorf("the Korean meetup stop: %q", got)
	}
	br.shoot("pocket-now-ko", 390)
	br.do("agenda in Korean", chromedp.Navigate(base+"/agenda"), chromedp.WaitVisible(chromedp.ID("r-P1")))
	br.shoot("pocket-rated-ko", 390)
	br.do("badge in Korean", chromedp.Navigate(base+"/photo"), chromedp.WaitVisible(chromedp.ID("badge-qr")))
	br.offline(true)
	stop()
	br.do("offline in Korean", chromedp.Navigate(base+"/photo"), chromedp.WaitVisible(chromedp.ID("offline-note")))
	if note := br.text("#offline-note"); !strings.HasPrefix(note, "오프라인:") {
		t.Errorf("Korean offline note = %q", note)
	}
	br.shoot("pocket-offline-badge-ko", 390)
	br.offline(false)
}
