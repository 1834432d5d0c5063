package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The walk-up line on a phone: a full session's page offers its line, the
// attendee joins and sees their place and chance; door staff release the
// seats and the open My lines page turns, without a reload, into "You're
// called: go to Small by …" with a countdown. Nothing is wider than a
// phone's screen. With LANYARD_SCREENSHOTS=dir it saves the views.
func TestBrowserWalkupLine(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium; skipped with -short")
	}
	ctx := newBrowser(t)
	dbPath := filepath.Join(t.TempDir(), "line.db")
	ev := newLineEvent(t, dbPath) // LC1 starts in 20 minutes in a room of 4
	base, _ := startCmd(t, "serve", "--db", dbPath, "--addr", "127.0.0.1:0", "--log-level", "warn")
	if st, code := lineReq("PUT", base+"/api/v1/admin/holdbacks/session", ev.organizer, "", map[string]any{"percent": 100}, nil); st != 200 {
		t.Fatalf("holdback: %d %s", st, code)
	}
	// Three are in line already: the attendee's place is 4, the last seat.
	for k := range 3 {
		if st, code := lineReq("POST", base+"/api/v1/sessions/LC1/line", ev.tokens[k], "", nil, nil); st != 200 {
			t.Fatalf("join: %d %s", st, code)
		}
	}

	br := newTab(t, ctx, base)
	br.do("phone", chromedp.EmulateViewport(375, 800))
	br.signUp("Kim Min-ji", "minji@example.com", "Asia/Seoul", "sturdy-lantern-41")
	verifyByMail(t, ctx, dbPath, "minji@example.com")
	br.do("open the full session",
		chromedp.Navigate(base+"/sessions/LC1"),
		chromedp.WaitVisible(chromedp.ID("line-join")),
	)
	br.shoot("line-offer-phone", 375)
	br.do("join the line",
		chromedp.Click(chromedp.ID("line-join")),
		chromedp.WaitVisible(chromedp.CSS(`[data-line="LC1"][data-outcome="in_line"]`)),
	)
	if got := br.text(`[data-line="LC1"] .place`); got != "Place 4 in line" {
		t.Errorf("place: %q", got)
	}
	if got := br.text("#flash"); !strings.Contains(got, "place 4") {
		t.Errorf("flash after joining: %q", got)
	}
	br.accessible("my lines")
	br.shoot("line-waiting-phone", 375)

	// Door staff release: the page, left open, shows the call by itself.
	if st, code := lineReq("POST", base+"/api/v1/door/LC1/release", ev.staff, "", nil, nil); st != 200 {
		t.Fatalf("release: %d %s", st, code)
	}
	start := time.Now()
	br.do("the call arrives",
		poll(`!!document.querySelector('[data-line="LC1"][data-outcome="called"]')`),
		poll(`/\d+:\d\d/.test(document.querySelector(".countdown").textContent)`),
	)
	t.Logf("the call showed %v after the release", time.Since(start).Round(100*time.Millisecond))
	if got := br.text(".line-called strong"); !strings.HasPrefix(got, "You're called: go to Small by") {
		t.Errorf("the call says %q", got)
	}
	br.shoot("line-called-phone", 375)
}
