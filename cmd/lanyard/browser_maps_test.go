package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// hostilePlan is a floor plan an attacker might upload: every way an SVG
// has of running script, around two drawn rooms.
const hostilePlan = `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 600 300" onload="window.pwned='onload';document.title='pwned'">
  <script>window.pwned = 'script'; document.title = 'pwned';</script>
  <script xlink:href="data:text/javascript,window.pwned='src'"></script>
  <foreignObject width="600" height="300"><iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:parent.pwned='iframe'"></iframe></foreignObject>
  <rect x="0" y="0" width="600" height="300" fill="#f7f3e8"/>
  <a xlink:href="javascript:window.pwned='link'"><rect x="40" y="20" width="240" height="150" fill="#dfe9f5" stroke="#345"/></a>
  <rect x="320" y="20" width="240" height="150" fill="#f5e3df" stroke="#543" onmouseover="window.pwned='hover'"/>
  <image href="http://127.0.0.1:1/track.png" width="1" height="1"/>
  <text x="160" y="100" text-anchor="middle" font-size="20">West hall</text>
  <text x="440" y="100" text-anchor="middle" font-size="20">East hall</text>
</svg>`

// TestBrowserMaps: an organizer uploads a hostile SVG floor plan in the
// console and marks a session's room on it by clicking; an attendee
// follows the session page's map link and sees the plan with the room
// highlighted, and no script of the plan ever ran, in the console, on the
// map, or with the plan opened on its own. With LANYARD_SCREENSHOTS=dir
// it saves the views there.
func TestBrowserMaps(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium; skipped with -short")
	}
	ctx := newBrowser(t)
	dir := t.TempDir()
	base, stdout := startCmd(t, "demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "demo.db"), "--attendees", "12", "--log-level", "warn")
	organizer, _ := consoleLogins(t, stdout.String())
	m := regexp.MustCompile(`Sign in\s+(\S+) with the password`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("the banner names no attendee:\n%s", stdout.String())
	}
	attendee := m[1]
	var list struct {
		Sessions []struct{ Code, Venue, Room string }
	}
	getJSON(t, base+"/api/v1/sessions?venue=venetian&type=chalk-talk&limit=5", "", 200, &list)
	if len(list.Sessions) == 0 || list.Sessions[0].Room == "" {
		t.Fatal("the demo has no chalk talk in the Venetian")
	}
	s := list.Sessions[0]
	file := filepath.Join(dir, "level3.svg")
	if err := os.WriteFile(file, []byte(hostilePlan), 0o644); err != nil {
		t.Fatal(err)
	}
	br := newTab(t, ctx, base)
	// untouched fails if any of the plan's script ran in this page.
	untouched := func(where string) {
		t.Helper()
		if got := br.eval(`String(window.pwned) + " " + document.title`); !strings.HasPrefix(got, "undefined") || strings.Contains(got, "pwned") {
			t.Errorf("%s: the plan's script ran: %q", where, got)
		}
	}

	// The organizer uploads the plan: it lands on the page to mark rooms.
	br.signIn(organizer, demoPassword, chromedp.WaitVisible(chromedp.ID("dashboard")))
	br.do("maps", chromedp.Navigate(base+"/console/maps"), chromedp.WaitVisible(chromedp.CSS(`#map-venues tr[data-venue="venetian"]`)))
	br.do("upload",
		chromedp.Click(chromedp.CSS(`#map-venues tr[data-venue="venetian"] a`)),
		chromedp.WaitVisible(chromedp.ID("plan-upload")),
		chromedp.SendKeys(chromedp.ID("plan-name"), "Level 3 (uploaded)"),
		chromedp.SetUploadFiles(chromedp.ID("plan-file"), []string{file}),
		chromedp.Click(chromedp.ID("plan-submit")),
		chromedp.WaitVisible(chromedp.ID("plan-edit")),
		poll(`document.getElementById("plan-img").complete && document.getElementById("plan-img").naturalWidth > 0`),
	)
	planID := br.eval(`document.getElementById("plan-edit").dataset.plan`)
	if _, err := strconv.Atoi(planID); err != nil {
		t.Fatalf("plan id %q", planID)
	}
	untouched("console plan page")

	// Mark the session's room as a rectangle: two clicks on the plan.
	br.do("pick room", poll(`(() => {
		const sel = document.getElementById("mark-room");
		const opt = [...sel.options].find(o => o.textContent.trim() === `+strconv.Quote(s.Room)+`);
		if (!opt) return false;
		sel.value = opt.value;
		document.getElementById("plan-frame").scrollIntoView();
		return true;
	})()`), chromedp.Click(chromedp.ID("shape-rect")))
	rect, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => { const r = document.getElementById("plan-frame").getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`))
	if err != nil || len(rect) != 4 || rect[2] == 0 {
		t.Fatalf("plan frame: %v %v", rect, err)
	}
	// West hall: (40, 20) to (280, 170) of 600 × 300.
	br.do("click the corners",
		chromedp.MouseClickXY(rect[0]+rect[2]*40/600, rect[1]+rect[3]*20/300),
		chromedp.MouseClickXY(rect[0]+rect[2]*280/600, rect[1]+rect[3]*170/300),
		poll(`document.getElementById("mark-w").value !== ""`),
	)
	x, _ := strconv.ParseFloat(br.eval(`document.getElementById("mark-x").value`), 64)
	w, _ := strconv.ParseFloat(br.eval(`document.getElementById("mark-w").value`), 64)
	if x < 36 || x > 44 || w < 232 || w > 248 {
		t.Errorf("the clicks gave x=%v w=%v, want about 40 and 240", x, w)
	}
	br.shoot("maps-console-mark", 1280)
	br.do("save mark", chromedp.Click(chromedp.ID("mark-submit")), chromedp.WaitVisible(chromedp.ID("flash")),
		chromedp.WaitVisible(chromedp.CSS(`#marks tr[data-room="`+s.Room+`"]`)))
	untouched("console after marking")
	br.do("shuttles", chromedp.Navigate(base+"/console/shuttles"), chromedp.WaitVisible(chromedp.CSS(`#routes tr[data-route]`)))
	if n := br.eval(`String(document.querySelectorAll("#routes tr[data-route]").length)`); n != "7" {
		t.Errorf("the demo has %s shuttle routes, want 7", n)
	}
	br.shoot("maps-console-shuttles", 1280)
	br.do("sign out", chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.CSS(`.tools a[href^="/signin"]`)))

	// The attendee follows the session's map link.
	br.signIn(attendee, demoPassword, chromedp.WaitVisible(chromedp.ID("result-count")))
	br.do("session", chromedp.Navigate(base+"/sessions/"+s.Code), chromedp.WaitVisible(chromedp.ID("session-map")))
	br.do("map",
		chromedp.Click(chromedp.ID("session-map")),
		chromedp.WaitVisible(chromedp.ID("venue-map")),
		poll(`[...document.querySelectorAll(".plan-img")].every(i => i.complete && i.naturalWidth > 0)`),
	)
	if got := br.text("#map-room"); !strings.Contains(got, s.Room) {
		t.Errorf("the map says %q", got)
	}
	fig := `figure[data-plan="` + planID + `"]`
	lit := br.eval(`(() => { const m = document.querySelector('` + fig + ` .mark.lit'); return m ? m.dataset.room + " " + m.getAttribute("x") + " " + getComputedStyle(m).fill : "none"; })()`)
	if !strings.HasPrefix(lit, s.Room+" ") || !strings.Contains(lit, "rgba(245, 158, 11") {
		t.Errorf("the uploaded plan's lit mark: %q", lit)
	}
	// The highlight sits on the drawn West hall: its middle is inside it.
	inside := br.eval(`(() => {
		const f = document.querySelector('` + fig + ` .plan-frame').getBoundingClientRect();
		const m = document.querySelector('` + fig + ` .mark.lit').getBoundingClientRect();
		const cx = (m.left + m.width / 2 - f.left) / f.width * 600, cy = (m.top + m.height / 2 - f.top) / f.height * 300;
		return String(cx > 40 && cx < 280 && cy > 20 && cy < 170);
	})()`)
	if inside != "true" {
		t.Error("the highlighted rectangle is not on the West hall")
	}
	untouched("attendee map")
	// What the server sends for the plan: no script, and a policy against it.
	served, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
		const r = await fetch(document.querySelector('`+fig+` .plan-img').src);
		return r.headers.get("content-type") + "|" + r.headers.get("content-security-policy") + "|" + r.headers.get("x-content-type-options") + "|" + await r.text();
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("fetch the plan: %v", err)
	}
	parts := strings.SplitN(served, "|", 4)
	if len(parts) != 4 || parts[0] != "image/svg+xml" || parts[1] != "default-src 'none'; style-src 'unsafe-inline'; sandbox" || parts[2] != "nosniff" {
		t.Errorf("served plan headers: %.200q", served)
	}
	for _, bad := range []string{"<script", "pwned", "onload", "onmouseover", "foreignObject", "javascript:", "127.0.0.1:1"} {
		if strings.Contains(served, bad) {
			t.Errorf("the served plan has %q", bad)
		}
	}
	if !strings.Contains(served, "West hall") {
		t.Error("the served plan lost its drawing")
	}
	br.shoot("maps-attendee-phone", 390)
	br.capture("maps-attendee-desktop", 1280, 900)
	mapURL := br.eval(`location.href`)
	br.do("in Korean", chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="ko"]`)),
		chromedp.Navigate(mapURL), chromedp.WaitVisible(chromedp.ID("map-room")))
	if got := br.text("#map-room"); !strings.Contains(got, s.Room+" 위치가 표시") {
		t.Errorf("the map in Korean says %q", got)
	}
	if got := br.text("#departures-title"); !strings.Contains(got, "다음 셔틀") {
		t.Errorf("departures title in Korean: %q", got)
	}
	br.shoot("maps-attendee-ko-phone", 390)
	untouched("attendee map in Korean")
	// The plan opened on its own, as a document: still nothing runs.
	br.do("plan alone", chromedp.Navigate(base+"/map/plans/"+planID), chromedp.Sleep(300e6))
	untouched("plan opened alone")
	// And the list of venues and routes.
	br.do("maps list", chromedp.Navigate(base+"/map"), chromedp.WaitVisible(chromedp.ID("venue-list")), chromedp.WaitVisible(chromedp.CSS(".route")))
	br.shoot("maps-list-phone", 390)
}
