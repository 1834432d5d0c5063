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

// shootDay saves the agenda's day alone at width, when screenshots are
// kept: a whole demo agenda is too long a page to look at.
func (b *tab) shootDay(name, day string, width int64) {
	b.t.Helper()
	b.shoot(name, width)
	if b.shots == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.Screenshot(chromedp.ID("d-"+day)))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.shots, name+"-day.png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// TestBrowserExpo: the exhibitor the demo's banner prints signs in, lands
// on their booth's home and adds a first-day giveaway; the sample attendee
// finds the booth in the directory by a category facet, saves it and the
// giveaway, sees the giveaway on their agenda and the booth on their
// walking route on the map; an organizer adds an exhibitor in the console
// and marks its booth by clicking two corners on the map.
func TestBrowserExpo(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium; skipped with -short")
	}
	ctx := newBrowser(t)
	dir := t.TempDir()
	base, stdout := startCmd(t, "demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "demo.db"), "--attendees", "12", "--log-level", "warn")
	banner := stdout.String()
	organizer, _ := consoleLogins(t, banner)
	find := func(re string) string {
		t.Helper()
		m := regexp.MustCompile(re).FindStringSubmatch(banner)
		if m == nil {
			t.Fatalf("the banner has no %s:\n%s", re, banner)
		}
		return m[1]
	}
	attendee := find(`Sign in\s+(\S+) with the password`)
	exhibitor := find(`Exhibitor\s+\S+/exhibitor as (\S+), same password`)
	day := find(`day=(\d{4}-\d\d-\d\d)`) // the event's first day, a Monday
	br := newTab(t, ctx, base)
	// submit clicks sel, which posts a form or follows a link, and waits
	// for the next page (not the old one, which may show a flash too).
	submit := func(what, sel string) {
		t.Helper()
		br.eval(`document.body.dataset.before = "1"`)
		br.do(what, chromedp.Click(chromedp.CSS(sel)), chromedp.WaitVisible(chromedp.CSS(`body:not([data-before])`)))
	}

	// The exhibitor: their booth's home, a giveaway on the first evening.
	br.signIn(exhibitor, demoPassword, chromedp.WaitVisible(chromedp.ID("signout")))
	br.do("exhibitor home", chromedp.Navigate(base+"/exhibitor"), chromedp.WaitVisible(chromedp.ID("exhibitor-home")))
	code := br.eval(`document.getElementById("exhibitor-home").dataset.exhibitor`)
	if code == "" {
		t.Fatal("the exhibitor home names no booth")
	}
	br.shoot("expo-exhibitor", 1280)
	br.do("add a giveaway",
		chromedp.SetValue(chromedp.ID("ev-kind"), "giveaway"),
		chromedp.SendKeys(chromedp.ID("ev-title"), "Glow-in-the-dark stickers"),
		chromedp.SetValue(chromedp.ID("ev-starts"), day+"T17:00"),
		chromedp.SetValue(chromedp.ID("ev-ends"), day+"T18:00"),
	)
	submit("save the giveaway", "#event-save")
	if got := br.text("#my-events"); !strings.Contains(got, "Glow-in-the-dark stickers") || !strings.Contains(got, "First day only") {
		t.Fatalf("the exhibitor's events: %q", got)
	}
	br.do("sign out", chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.CSS(`a[href^="/signin"]`)))

	// The attendee: the directory by a facet, the booth, the giveaway.
	br.signIn(attendee, demoPassword, chromedp.WaitVisible(chromedp.ID("signout")))
	br.do("directory", chromedp.Navigate(base+"/map"), chromedp.Click(chromedp.ID("nav-expo")), chromedp.WaitVisible(chromedp.ID("expo-directory")))
	all := strings.Count(br.eval(`document.getElementById("expo-list").outerHTML`), "data-exhibitor=")
	cat := br.eval(`document.querySelector('#expo-list li[data-exhibitor="` + code + `"] .cat').textContent`)
	br.eval(`document.body.dataset.before = "1"`)
	br.do("facet", chromedp.Click(chromedp.CSS(`#expo-facets input[value="`+cat+`"]`)), chromedp.Click(chromedp.ID("expo-search-submit")),
		chromedp.WaitVisible(chromedp.CSS(`body:not([data-before])`)), chromedp.WaitVisible(chromedp.CSS(`#expo-list li[data-exhibitor="`+code+`"]`)))
	if n := strings.Count(br.eval(`document.getElementById("expo-list").outerHTML`), "data-exhibitor="); n >= all || n == 0 {
		t.Errorf("the facet %q shows %d of %d exhibitors", cat, n, all)
	}
	br.shoot("expo-directory", 1280)
	br.do("booth page", chromedp.Click(chromedp.CSS(`#expo-list li[data-exhibitor="`+code+`"] a.expo-name`)), chromedp.WaitVisible(chromedp.ID("booth-page")),
		poll(`document.getElementById("expo-map-img").complete && document.getElementById("expo-map-img").naturalWidth > 0`))
	if br.eval(`String(document.querySelectorAll('#expo-marks .mark.lit[data-booth="`+code+`"]').length)`) != "1" {
		t.Error("the booth page does not light the booth on the map")
	}
	if br.eval(`document.getElementById("booth-swag").getAttribute("href")`) != "/swag/"+code {
		t.Error("no swag link")
	}
	br.shoot("expo-booth", 1280)
	br.shoot("expo-booth-phone", 360)
	br.do("desktop", chromedp.EmulateViewport(1280, 900))
	submit("save the booth", "#fav-booth")
	id := br.eval(`[...document.querySelectorAll("#booth-events li")].find(li => li.textContent.includes("Glow-in-the-dark stickers")).dataset.boothEvent`)
	submit("save the giveaway", `button[data-fav-event="`+id+`"]`)
	// On the agenda's first day, in the expo hall, linked to the booth;
	// in the calendar download.
	item := `li.item[data-session="BOOTH-` + id + `"]`
	br.do("agenda", chromedp.Navigate(base+"/agenda"), chromedp.WaitVisible(chromedp.CSS(`#d-`+day+` `+item)))
	got := br.text(item)
	for _, want := range []string{"Glow-in-the-dark stickers · ", "Expo Hall · Booth ", ", Venetian", "Booth event · Giveaway", "5:00–6:00 PM"} {
		if !strings.Contains(got, want) {
			t.Errorf("the booth event on the agenda lacks %q: %q", want, got)
		}
	}
	if href := br.eval(`document.querySelector('` + item + ` .item-title a').getAttribute("href")`); href != "/expo/"+code {
		t.Errorf("the booth event links to %q, want /expo/%s", href, code)
	}
	cal, err := chromedp.Run(br.ctx, chromedp.Evaluate[string](`fetch("/agenda.ics").then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil || !strings.Contains(cal, "UID:BOOTH-"+id+"@") || !strings.Contains(cal, "SUMMARY:Glow-in-the-dark stickers · ") {
		t.Errorf("agenda.ics without the booth event (%v):\n%.1500s", err, cal)
	}
	br.do("to the day", chromedp.ScrollIntoView(chromedp.CSS(item)))
	br.shootDay("agenda-booth-event-en", day, 390)
	br.do("in Korean", chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="ko"] `+item)))
	if got := br.text(item); !strings.Contains(got, "부스 이벤트 · 경품") {
		t.Errorf("the Korean agenda's booth event: %q", got)
	}
	br.shootDay("agenda-booth-event-ko", day, 390)
	br.do("in English", chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] `+item)))
	// Taken off from the agenda itself, which comes back without it.
	submit("remove from the agenda", `button[data-undo="BOOTH-`+id+`"]`)
	if path := br.eval(`location.pathname`); path != "/agenda" || br.eval(`String(document.querySelectorAll('`+item+`').length)`) != "0" {
		t.Errorf("after removing the booth event from the agenda: at %s, still there: %s", path, br.eval(`String(document.querySelectorAll('`+item+`').length)`))
	}
	br.do("desktop", chromedp.EmulateViewport(1280, 900))
	br.do("route", chromedp.Navigate(base+"/expo/route"), chromedp.WaitVisible(chromedp.ID("route-stops")), chromedp.WaitVisible(chromedp.ID("walk-line")))
	stops := br.eval(`String(document.querySelectorAll("#route-stops li").length)`)
	if stops != "5" { // the demo attendee's four and this one
		t.Errorf("route stops = %s, want 5", stops)
	}
	if br.eval(`String(document.querySelectorAll('#route-stops li[data-booth="`+code+`"]').length)`) != "1" {
		t.Error("the saved booth is not on the route")
	}
	if pts := strings.Fields(br.eval(`document.getElementById("walk-line").getAttribute("points")`)); len(pts) != 6 {
		t.Errorf("the walk has %d points, want the entrance and 5 booths", len(pts))
	}
	br.shoot("expo-route", 1280)
	br.do("sign out", chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.CSS(`a[href^="/signin"]`)))

	// The organizer: a new exhibitor, its booth marked by two clicks.
	br.signIn(organizer, demoPassword, chromedp.WaitVisible(chromedp.ID("signout")))
	br.do("console exhibitors", chromedp.Navigate(base+"/console/exhibitors"), chromedp.WaitVisible(chromedp.ID("exhibitor-table")),
		chromedp.SendKeys(chromedp.ID("new-name"), "Late Signup Ltd"),
		chromedp.SendKeys(chromedp.ID("new-code"), "late-signup"),
		chromedp.SendKeys(chromedp.ID("new-booth"), "1999"),
		chromedp.Click(chromedp.ID("new-exhibitor-save")),
		chromedp.WaitVisible(chromedp.ID("console-exhibitor")),
		chromedp.ScrollIntoView(chromedp.ID("plan-frame")),
		poll(`document.getElementById("expo-map-img").complete && document.getElementById("expo-map-img").naturalWidth > 0`),
	)
	rect, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => { const r = document.getElementById("plan-frame").getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`))
	if err != nil || len(rect) != 4 || rect[2] == 0 {
		t.Fatalf("map frame: %v %v", rect, err)
	}
	br.do("click the corners",
		chromedp.MouseClickXY(rect[0]+rect[2]*0.10, rect[1]+rect[3]*0.80),
		chromedp.MouseClickXY(rect[0]+rect[2]*0.20, rect[1]+rect[3]*0.90),
		poll(`document.getElementById("mark-w").value !== ""`),
	)
	w, _ := strconv.ParseFloat(br.eval(`document.getElementById("mark-w").value`), 64)
	if w <= 0 {
		t.Fatalf("the clicks gave width %v", w)
	}
	submit("save mark", "#mark-save")
	if msg := br.eval(`(document.getElementById("expo-error") || {}).textContent || ""`); msg != "" {
		t.Fatalf("the mark was refused: %s (x %s y %s w %s h %s)", msg, br.eval(`document.getElementById("mark-x").value`), br.eval(`document.getElementById("mark-y").value`),
			br.eval(`document.getElementById("mark-w").value`), br.eval(`document.getElementById("mark-h").value`))
	}
	br.do("list", chromedp.Navigate(base+"/console/exhibitors"), chromedp.WaitVisible(chromedp.CSS(`#exhibitor-table tr[data-exhibitor="late-signup"]`)))
	if got := br.text(`#exhibitor-table tr[data-exhibitor="late-signup"] td:last-child`); got != "✓" {
		t.Errorf("the new booth is not on the map: %q", got)
	}
	br.shoot("expo-console", 1280)

	// The organizer removes it again, after the confirmation (phone width).
	br.do("remove page",
		chromedp.Click(chromedp.CSS(`#exhibitor-table tr[data-exhibitor="late-signup"] a`)),
		chromedp.WaitVisible(chromedp.ID("exhibitor-remove")),
		chromedp.Click(chromedp.ID("exhibitor-remove")),
		chromedp.WaitVisible(chromedp.ID("remove-form")),
	)
	if got := br.text("#remove-leads"); !strings.Contains(got, "deleted") {
		t.Fatalf("the confirmation does not say the leads go: %q", got)
	}
	br.shoot("expo-remove-phone", 390)
	br.do("remove",
		chromedp.SendKeys(chromedp.ID("confirm-code"), "late-signup"),
		chromedp.Click(chromedp.ID("remove-submit")),
		chromedp.WaitVisible(chromedp.ID("exhibitor-table")),
	)
	if n := br.eval(`String(document.querySelectorAll('#exhibitor-table tr[data-exhibitor="late-signup"]').length)`); n != "0" {
		t.Fatalf("the removed exhibitor is still listed: %s", n)
	}
}
