package main

import (
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserCatalogPages drives, in Chromium, the pages issue 11 reworked:
// the sign-up time zone picker, the catalog (reserving keeps the place,
// clashes say why, facets take several values), favorites with their clash
// warning, the 404 page and the badge page — in English and Korean, on a
// desktop and on a 360 px phone (no sideways scrolling). With
// LANYARD_SCREENSHOTS=dir it saves each page there.
func TestBrowserCatalogPages(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium; skipped with -short")
	}
	ctx := newBrowser(t)
	dir := t.TempDir()
	base, _ := startCmd(t, "demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "demo.db"), "--attendees", "40", "--log-level", "warn")
	br := newTab(t, ctx, base)

	// widths checks the page at a desktop's and a phone's width: nothing
	// sticks out sideways at 360 px, and screenshots if asked.
	widths := func(name string, at ...string) {
		t.Helper()
		for _, w := range []struct {
			suffix string
			width  int64
			height int64
		}{{"desktop", 1280, 900}, {"phone", 360, 780}} {
			br.do("resize", chromedp.EmulateViewport(w.width, w.height), chromedp.Sleep(100*time.Millisecond))
			for _, sel := range at { // keep the part shown in view as the page reflows
				br.do("scroll to "+sel, void(chromedp.Evaluate[bool](`(document.querySelector(`+strconv.Quote(sel)+`).scrollIntoView({block: "center"}), true)`)))
			}
			if over := br.eval(`String(document.documentElement.scrollWidth - window.innerWidth)`); over != "0" {
				t.Errorf("%s at %d px scrolls sideways by %s px", name, w.width, over)
			}
			if br.shots != "" {
				png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
				if err != nil {
					t.Fatalf("screenshot %s: %v", name, err)
				}
				if err := os.WriteFile(filepath.Join(br.shots, name+"-"+w.suffix+".png"), png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		br.do("resize back", chromedp.EmulateViewport(1280, 900))
	}
	// The 404 page, before signing in.
	br.do("404", chromedp.Navigate(base+"/no/such/page"), chromedp.WaitVisible(chromedp.ID("error-back")))
	if got := br.text("h1"); got != "Page not found" {
		t.Errorf("404 heading %q", got)
	}
	widths("notfound-en")
	br.do("404 back", chromedp.Click(chromedp.ID("error-back")), chromedp.WaitVisible(chromedp.ID("event-head")))

	// Sign up: the picker starts from the browser's zone; a city typed in
	// lower case is taken.
	br.do("sign-up form", chromedp.Navigate(base+"/signup"), chromedp.WaitVisible(chromedp.ID("signup-form")))
	if got, want := br.eval(`document.getElementById("home_zone").value`), br.eval(`Intl.DateTimeFormat().resolvedOptions().timeZone`); got != want || got == "" {
		t.Errorf("the zone starts as %q, want the browser's %q", got, want)
	}
	if n := br.eval(`String(document.querySelectorAll("#zones option").length)`); n == "0" {
		t.Error("the zone picker offers nothing")
	}
	br.accessible("sign-up")
	widths("signup-en")
	br.do("sign up",
		chromedp.SendKeys(chromedp.ID("name"), "Park Ji-woo"),
		chromedp.SendKeys(chromedp.ID("email"), "jiwoo@example.com"),
		chromedp.SetValue(chromedp.ID("home_zone"), "seoul"),
		chromedp.SendKeys(chromedp.ID("password"), "quiet-harbour-lamp-7"),
		chromedp.Click(chromedp.ID("signup-submit")),
		chromedp.WaitVisible(chromedp.ID("event-head")),
	)
	verifyByMail(t, ctx, filepath.Join(dir, "demo.db"), "jiwoo@example.com")
	br.do("back to the catalog", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("event-head")))
	if got := br.text(".time .when"); !strings.Contains(got, "KST") {
		t.Errorf("after choosing seoul the times show %q, not KST", got)
	}

	// The home page says what the event is and counts as the banner does.
	if got := br.text("#event-counts"); !strings.Contains(got, "sessions (") {
		t.Errorf("header counts %q", got)
	}
	// "k8s" finds Kubernetes sessions.
	br.do("k8s", chromedp.SendKeys(chromedp.ID("q"), "k8s"), poll(`location.search.includes("q=k8s")`),
		poll(`document.querySelectorAll(".group").length > 0 && /kubernetes|eks/i.test(document.getElementById("results").textContent)`))

	// Two venues at once, with counts beside each.
	br.do("two venues", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("result-count")),
		chromedp.Click(chromedp.CSS("#f-venue summary")),
		chromedp.Click(chromedp.CSS(`#f-venue label:nth-of-type(1) input`)),
		poll(`(location.search.match(/venue=/g) || []).length === 1`),
		chromedp.Click(chromedp.CSS(`#f-venue label:nth-of-type(2) input`)),
		poll(`(location.search.match(/venue=/g) || []).length === 2`),
		chromedp.Sleep(300*time.Millisecond),
	)
	if got := br.text("#f-venue summary"); !strings.Contains(got, "(2)") {
		t.Errorf("the venue facet says %q, want two chosen", got)
	}
	widths("catalog-facets-en")

	// Reserve from the middle of a day's list: the page stays where it was
	// (no reload, same scroll), and the row says what happened.
	day := br.eval(`document.querySelector('#f-day input').value`)
	br.do("day list", chromedp.Navigate(base+"/?sort=time&day="+day), chromedp.WaitVisible(chromedp.ID("result-count")))
	code := br.eval(`(() => { const b = [...document.querySelectorAll("button[data-reserve]")].filter(b => !b.closest("form").querySelector("[name=waitlist]")); return b[Math.min(8, b.length - 1)].dataset.reserve })()`)
	br.do("scroll", void(chromedp.Evaluate[bool](`(() => { const r = document.getElementById("t-`+code+`"); r.scrollIntoView({block: "center"}); window.__stay = true; return true })()`)),
		chromedp.Sleep(200*time.Millisecond))
	before := br.eval(`String(Math.round(window.scrollY))`)
	br.do("reserve in place", void(chromedp.Evaluate[bool](`(document.querySelector('[data-reserve="`+code+`"]').click(), true)`)),
		poll(`!!document.querySelector("#t-`+code+` .flash")`))
	if got := br.text("#t-" + code + " .flash"); !strings.Contains(got, "Reserved") {
		t.Errorf("the row says %q after reserving", got)
	}
	if stay := br.eval(`String(window.__stay === true)`); stay != "true" {
		t.Error("reserving reloaded the page")
	}
	if after := br.eval(`String(Math.round(window.scrollY))`); after != before {
		t.Errorf("the page scrolled from %s to %s", before, after)
	}
	widths("catalog-reserved-en", "#t-"+code)
	// Sessions at the same time now say why they clash, naming it, and
	// offer no dead Reserve.
	br.do("clashes", chromedp.Navigate(base+"/?sort=time&day="+day), chromedp.WaitVisible(chromedp.ID("result-count")))
	clash := br.eval(`(() => { const c = document.querySelector(".clash"); return c ? c.textContent : "" })()`)
	if !strings.Contains(clash, code) {
		t.Errorf("no clash names %s: %q", code, clash)
	}
	if dead := br.eval(`String([...document.querySelectorAll(".time")].filter(r => r.querySelector(".clash") && /Overlaps/.test(r.querySelector(".clash").textContent) && r.querySelector(".actions [data-reserve]")).length)`); dead != "0" {
		t.Errorf("%s overlapping rows still offer Reserve", dead)
	}
	br.accessible("catalog")
	br.do("to clash", void(chromedp.Evaluate[bool](`(document.querySelector(".clash").scrollIntoView({block: "center"}), true)`)))
	widths("catalog-clash-en", ".clash")

	// Favorites: star two sessions at the same time (on the next day, clear
	// of the one held); the page shows their venues and flags the clash
	// before the button.
	day2 := br.eval(`document.querySelectorAll('#f-day input')[1].value`)
	br.do("next day", chromedp.Navigate(base+"/?sort=time&day="+day2), chromedp.WaitVisible(chromedp.ID("result-count")))
	pair := br.eval(`(() => { const rows = [...document.querySelectorAll(".time")]; for (const a of rows) for (const b of rows) {
		const ta = a.querySelector("time"), tb = b.querySelector("time");
		if (a !== b && ta && tb && ta.getAttribute("datetime") === tb.getAttribute("datetime") && a.querySelector("[data-fav]") && b.querySelector("[data-fav]") && !a.querySelector(".clash") && !b.querySelector(".clash") && !a.classList.contains("held") && !b.classList.contains("held"))
			return a.dataset.session + " " + b.dataset.session; } return "" })()`)
	codes := strings.Fields(pair)
	if len(codes) != 2 {
		t.Fatalf("no two sessions at one time on %s", day2)
	}
	for _, c := range codes {
		br.do("star "+c, void(chromedp.Evaluate[bool](`(document.querySelector('[data-fav="`+c+`"]').click(), true)`)),
			poll(`document.querySelector('[data-fav="`+c+`"]').getAttribute("aria-pressed") === "true"`))
	}
	br.do("favorites", chromedp.Navigate(base+"/favorites"), chromedp.WaitVisible(chromedp.ID("favorites-clashes")))
	if got := br.text("#clash-" + codes[1]); !strings.Contains(got, codes[0]) {
		t.Errorf("favorite %s's clash says %q, not naming %s", codes[1], got, codes[0])
	}
	if got := br.text("#t-" + codes[0] + " .where"); got == "" {
		t.Error("a favorite shows no venue")
	}
	br.accessible("favorites")
	widths("favorites-en")

	// The badge page: the preview and the name beside the phone's code.
	br.do("badge", chromedp.Navigate(base+"/photo"), chromedp.WaitVisible(chromedp.ID("badge-preview")))
	if got := br.text("#badge-preview .bp-name"); got != "Park Ji-woo" {
		t.Errorf("the preview names %q", got)
	}
	if got := br.text("#qr-name"); got != "Park Ji-woo" {
		t.Errorf("the phone's code names %q", got)
	}
	br.accessible("badge")
	widths("badge-en")
	// A dark photo is saved with a problem: one amber message, no green
	// "saved" beside it; the preview shows it.
	dark := image.NewRGBA(image.Rect(0, 0, 600, 800))
	for y := range 800 {
		for x := range 600 {
			v := uint8(8 + x*30/600 + y*10/800)
			dark.Set(x, y, color.RGBA{v, v, v, 255})
		}
	}
	darkFile := filepath.Join(dir, "dark.jpg")
	if err := os.WriteFile(darkFile, encode(t, dark, "jpeg"), 0o644); err != nil {
		t.Fatal(err)
	}
	br.do("dark photo", chromedp.SetUploadFiles(chromedp.ID("photo"), []string{darkFile}), chromedp.Click(chromedp.ID("photo-submit")),
		chromedp.WaitVisible(chromedp.ID("photo-flagged")), chromedp.WaitVisible(chromedp.CSS("#badge-preview #photo-img")))
	if n := br.eval(`String(document.querySelectorAll("#flash, #photo-ok").length)`); n != "0" {
		t.Errorf("a dark photo is also called saved or good (%s messages)", n)
	}
	widths("badge-dark-en")
	br.do("phone code", void(chromedp.Evaluate[bool](`(document.getElementById("phone-qr").scrollIntoView({block: "center"}), true)`)))
	widths("badge-phone-code-en", "#phone-qr")

	// Calendar links: once the private feed exists, settings offer webcal
	// and one-click adds.
	br.do("feed", void(chromedp.Evaluate[bool](`fetch("/agenda/feed", {method: "POST", body: new URLSearchParams({action: "create"}), credentials: "same-origin"}).then(r => r.ok)`, chromedp.EvalAwaitPromise)),
		chromedp.Navigate(base+"/settings"), chromedp.WaitVisible(chromedp.ID("cal-google")))
	if got := br.eval(`document.getElementById("cal-apple").getAttribute("href")`); !strings.HasPrefix(got, "webcal://") {
		t.Errorf("Apple Calendar link %q", got)
	}
	if got := br.eval(`document.getElementById("cal-google").getAttribute("href")`); !strings.HasPrefix(got, "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F") {
		t.Errorf("Google Calendar link %q", got)
	}
	br.do("to calendar", void(chromedp.Evaluate[bool](`(document.getElementById("calendar-add").scrollIntoView({block: "center"}), true)`)))
	widths("settings-calendar-en", "#calendar-add")
	br.do("back to badge", chromedp.Navigate(base+"/photo"), chromedp.WaitVisible(chromedp.ID("badge-preview")))

	// Korean: the same pages.
	br.do("korean", chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="ko"]`)))
	if got := br.text("#badge-preview + .badge-side h2"); got != "인쇄될 명찰" {
		t.Errorf("the preview's heading in Korean is %q", got)
	}
	widths("badge-ko")
	br.do("favorites ko", chromedp.Navigate(base+"/favorites"), chromedp.WaitVisible(chromedp.ID("favorites-clashes")))
	if got := br.text("#clash-" + codes[1]); !strings.Contains(got, "겹칩니다") {
		t.Errorf("the clash in Korean is %q", got)
	}
	widths("favorites-ko")
	br.do("catalog ko", chromedp.Navigate(base+"/?sort=time&day="+day), chromedp.WaitVisible(chromedp.ID("result-count")),
		void(chromedp.Evaluate[bool](`(document.querySelector(".clash").scrollIntoView({block: "center"}), true)`)))
	if got := br.text(".clash"); !strings.Contains(got, "겹쳐") {
		t.Errorf("the catalog's clash in Korean is %q", got)
	}
	widths("catalog-clash-ko", ".clash")
	br.do("home ko", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("event-head")))
	widths("catalog-ko")
	br.do("404 ko", chromedp.Navigate(base+"/nope"), chromedp.WaitVisible(chromedp.ID("error-back")))
	if got := br.text("h1"); got != "페이지를 찾을 수 없습니다" {
		t.Errorf("404 heading in Korean %q", got)
	}
	widths("notfound-ko")
	br.do("settings ko", chromedp.Navigate(base+"/settings"), chromedp.WaitVisible(chromedp.ID("settings-form")))
	if got := br.eval(`document.getElementById("home_zone").value`); got != "Asia/Seoul" {
		t.Errorf("the zone typed as seoul is stored as %q", got)
	}
	widths("settings-ko")
	br.do("sign out", chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("event-head")))
	br.do("sign-up ko", chromedp.Navigate(base+"/signup"), chromedp.WaitVisible(chromedp.ID("signup-form")))
	widths("signup-ko")
}
