package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/chromedp/chromedp"

	"github.com/lanyardhq/lanyard/internal/testenv"
)

// newBrowser starts a headless Chromium for one test, with a fresh profile.
// Without Chromium the test is skipped locally and fails in CI.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return startBrowser(t, chromedp.WindowSize(1280, 900))
}

// newCameraBrowser is newBrowser with a camera that plays video (Y4M or
// MJPEG, looped) and the permission to use it, at width × height.
func newCameraBrowser(t *testing.T, video string, width, height int) context.Context {
	t.Helper()
	return startBrowser(t,
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-fake-ui-for-media-stream", true), // allow the camera without asking
		chromedp.Flag("use-file-for-fake-video-capture", video),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.WindowSize(width, height),
	)
}

// startBrowser starts Chromium with the flags every test needs and extra.
func startBrowser(t *testing.T, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	// Found on PATH (Debian's is /usr/bin/chromium, which .ci/run installs),
	// so a run with a narrowed PATH sees it missing.
	chromiumPath := testenv.LookPath(t, "chromium", "apt-get install chromium fonts-nanum")
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(opts, extra...)...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 5*time.Minute) // a guard against a hang, not a speed
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// tab is a test's browser tab on the app at base: its steps fail with the
// page's text, and each view it shoots is checked before it is saved.
type tab struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string // LANYARD_SCREENSHOTS: where views are saved, "" for none
}

func newTab(t *testing.T, ctx context.Context, base string) *tab {
	return &tab{t: t, ctx: ctx, base: base, shots: os.Getenv("LANYARD_SCREENSHOTS")}
}

// do runs steps, failing with where the page is and what it says.
func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		loc, _ := chromedp.Run(b.ctx, chromedp.Location())
		body, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS("body")))
		b.t.Fatalf("%s: %v\nat %s:\n%.2000s", what, err, loc, body)
	}
}

// text is the trimmed text of the element sel; it waits for the element.
func (b *tab) text(sel string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(v)
}

// shoot checks the page at width: nothing wider than the screen, every
// field named; and saves a full-page screenshot when LANYARD_SCREENSHOTS
// is set.
func (b *tab) shoot(name string, width int64) {
	b.t.Helper()
	b.do("resize", chromedp.EmulateViewport(width, 900), chromedp.Sleep(150*time.Millisecond))
	over, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
	if err != nil {
		b.t.Fatalf("%s: width: %v", name, err)
	}
	if over > 0 {
		b.t.Errorf("%s at %d px: the page is %d px wider than the screen", name, width, over)
	}
	bad, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](unlabelled))
	if err != nil {
		b.t.Fatalf("%s: labels: %v", name, err)
	}
	if len(bad) > 0 {
		b.t.Errorf("%s: unnamed for a screen reader: %v", name, bad)
	}
	if b.shots == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.shots, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// signUp makes an account on the sign-up page, at home in zone, and waits
// for the welcome.
func (b *tab) signUp(name, email, zone, password string) {
	b.t.Helper()
	b.do("sign up as "+email,
		chromedp.Navigate(b.base+"/signup"),
		chromedp.WaitVisible(chromedp.ID("signup-form")),
		chromedp.SendKeys(chromedp.ID("name"), name),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SetValue(chromedp.ID("home_zone"), zone),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.ID("signup-submit")),
		chromedp.WaitVisible(chromedp.ID("flash")),
	)
}

// eval is the string a JavaScript expression gives.
func (b *tab) eval(js string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.t.Fatalf("%s: %v", js, err)
	}
	return v
}

// accessible fails for each thing on the page a screen reader could not
// name.
func (b *tab) accessible(page string) {
	b.t.Helper()
	bad, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](unlabelled))
	if err != nil {
		b.t.Fatal(err)
	}
	for _, el := range bad {
		b.t.Errorf("%s: %s has no name for screen readers", page, el)
	}
}

// capture saves the screen at width × height when LANYARD_SCREENSHOTS is
// set, and goes back to the desktop's size.
func (b *tab) capture(name string, width, height int64) {
	b.t.Helper()
	if b.shots == "" {
		return
	}
	b.do("resize", chromedp.EmulateViewport(width, height))
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.shots, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.do("resize back", chromedp.EmulateViewport(1280, 900))
}

// signIn signs in on the sign-in page, then runs then (what shows that
// it worked, or where to go next).
func (b *tab) signIn(email, password string, then ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	b.do("sign in as "+email, append([]chromedp.Action[chromedp.Void]{
		chromedp.Navigate(b.base + "/signin"),
		chromedp.WaitVisible(chromedp.ID("signin-form")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.ID("signin-submit")),
	}, then...)...)
}

// poll polls a JavaScript condition until it holds.
func poll(cond string) chromedp.Action[chromedp.Void] {
	return void(chromedp.Poll[bool](cond))
}

// void drops an action's value, for a list of steps.
func void[T any](a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := a(ctx, t)
		return chromedp.Void{}, err
	}
}

// unlabelled lists what a screen reader could not name on the page: form
// fields without a label, buttons and links without text, images without
// alt text, and a page without a language.
const unlabelled = `(() => {
  const bad = [];
  if (!document.documentElement.lang) bad.push("html without lang");
  for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
    const named = (el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]')) || el.closest("label") ||
      el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
    if (!named) bad.push("field " + (el.id || el.name));
  }
  for (const el of document.querySelectorAll("button, a[href]")) {
    if (el.closest("[aria-hidden=true]")) continue;
    if (!(el.textContent.trim() || el.getAttribute("aria-label") || el.getAttribute("title"))) bad.push("control " + el.outerHTML.slice(0, 80));
  }
  for (const el of document.querySelectorAll("img")) if (!el.hasAttribute("alt")) bad.push("img " + el.src);
  return bad;
})()`

// demoSession is a session as the API lists it.
type demoSession struct {
	Code, Title, Venue, Day string
	Start, End              time.Time
	RepeatGroup             string `json:"repeat_group"`
	Reservable              bool
	SeatsLeft               int `json:"seats_left"`
}

// travelPair finds two reservable sessions on one day, A then B, in venues
// too far apart for the gap between them, B being one of several repeats:
// the agenda must warn about the trip, and B can be switched.
func travelPair(t *testing.T, base string) (a, b demoSession) {
	t.Helper()
	var all []demoSession
	for offset := 0; ; offset += 500 {
		var page struct {
			Total    int
			Sessions []demoSession
		}
		getJSON(t, fmt.Sprintf("%s/api/v1/sessions?limit=500&offset=%d", base, offset), "", 200, &page)
		all = append(all, page.Sessions...)
		if len(all) >= page.Total || len(page.Sessions) == 0 {
			break
		}
	}
	var venues struct {
		Travel []struct {
			From, To string
			Walk     int `json:"walk_minutes"`
			Shuttle  int `json:"shuttle_minutes"`
		} `json:"travel_times"`
	}
	getJSON(t, base+"/api/v1/venues", "", 200, &venues)
	need := map[[2]string]int{}
	for _, tr := range venues.Travel {
		best := tr.Walk
		if best == 0 || (tr.Shuttle > 0 && tr.Shuttle < best) {
			best = tr.Shuttle
		}
		need[[2]string{tr.From, tr.To}] = best
	}
	repeats := map[string]int{}
	for _, s := range all {
		if s.RepeatGroup != "" {
			repeats[s.RepeatGroup]++
		}
	}
	ok := func(s demoSession) bool { return s.Reservable && s.SeatsLeft > 5 && !s.Start.IsZero() }
	for _, x := range all {
		if !ok(x) || x.RepeatGroup == "" {
			continue
		}
		for _, y := range all {
			gap := y.Start.Sub(x.End)
			if !ok(y) || y.Day != x.Day || y.RepeatGroup == "" || repeats[y.RepeatGroup] < 2 || y.RepeatGroup == x.RepeatGroup ||
				gap < 0 || gap > 30*time.Minute || x.Venue == y.Venue {
				continue
			}
			if n := need[[2]string{x.Venue, y.Venue}]; n > 0 && time.Duration(n)*time.Minute > gap {
				return x, y
			}
		}
	}
	t.Fatal("the demo has no two sessions with too little travel time between them")
	return
}

// TestBrowserAttendeeJourney drives the web app in Chromium as a newcomer
// would: sign up, search, filter, reserve two sessions too far apart, see
// the agenda's travel warning, switch a repeat, cancel, switch to Korean,
// download the agenda as iCal. With LANYARD_SCREENSHOTS=dir it saves the
// catalog and agenda at desktop and phone widths there (docs/screenshots).
func TestBrowserAttendeeJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium; skipped with -short")
	}
	ctx := newBrowser(t)
	dir := t.TempDir()
	base, _ := startCmd(t, "demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "demo.db"), "--attendees", "40", "--log-level", "warn")
	a, b := travelPair(t, base)
	br := newTab(t, ctx, base)

	// Sign up, from Seoul.
	br.do("open sign-up", chromedp.Navigate(base+"/signup"), chromedp.WaitVisible(chromedp.ID("signup-form")))
	br.accessible("sign-up")
	br.signUp("Kim Min-ji", "minji@example.com", "Asia/Seoul", "sturdy-lantern-41")
	if got := br.text("#flash"); !strings.Contains(got, "Welcome, Kim Min-ji") {
		t.Fatalf("after sign-up the page says %q", got)
	}
	// A new account reserves once its address is confirmed.
	verifyByMail(t, ctx, filepath.Join(dir, "demo.db"), "minji@example.com")

	// Search as you type: the results change without a page load.
	br.do("search",
		chromedp.SendKeys(chromedp.ID("q"), "serverless"),
		poll(`location.search.includes("q=serverless") && !document.querySelector("#result-count").textContent.startsWith("17")`),
	)
	titles, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".group")].map(g => g.textContent.toLowerCase())`))
	if err != nil || len(titles) == 0 {
		t.Fatalf("no results for serverless: %v", err)
	}
	for _, g := range titles {
		if !strings.Contains(g, "serverless") {
			t.Errorf("a result for serverless does not mention it: %.200s", g)
		}
	}
	// Both time zones show: the venue's first, Seoul's beside it.
	if got := br.text(".time .when"); !strings.Contains(got, "PST") || !strings.Contains(got, "KST") {
		t.Errorf("times %q do not show PST and KST", got)
	}

	// Filter by A's day: every time listed is on that day.
	br.do("filter by day",
		chromedp.Click(chromedp.CSS("#f-day summary")), // a facet is a list of choices
		chromedp.Click(chromedp.CSS(`#f-day input[value="`+a.Day+`"]`)),
		poll(`location.search.includes("day=`+a.Day+`")`),
		chromedp.Sleep(300*time.Millisecond), // the fetch that follows the URL change
		poll(`document.querySelectorAll(".time").length > 0`),
	)
	days, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".time time")].map(e => new Date(e.getAttribute("datetime")).toLocaleDateString("en-CA", {timeZone: "America/Los_Angeles"}))`))
	if err != nil || len(days) == 0 {
		t.Fatalf("no times after filtering by day: %v", err)
	}
	for _, d := range days {
		if d != a.Day {
			t.Errorf("filtered by %s, a time on %s is listed", a.Day, d)
		}
	}
	br.do("clear search", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("result-count")))
	br.accessible("catalog")
	// Keyboard: the first Tab reaches the skip link, which leads to the content.
	br.do("tab", chromedp.KeyEvent("\t"))
	if got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.className`)); got != "skip" {
		t.Errorf("the first Tab focuses %q, not the skip link", got)
	}
	br.do("skip", chromedp.KeyEvent("\r"), poll(`document.activeElement.id === "main"`))
	// The skip link's focus ring is not part of the README's picture.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.activeElement.blur(), true`)); err != nil {
		t.Fatal(err)
	}
	br.capture("catalog-desktop", 1280, 900)
	br.capture("catalog-phone", 390, 844)

	// Live seats: with A's page open, someone else reserves A through the
	// API, and the page's count changes without a reload.
	tokens := readTokens(t, filepath.Join(dir, "tokens.csv"))
	br.do("open A", chromedp.Navigate(base+"/sessions/"+a.Code), chromedp.WaitVisible(chromedp.CSS(`[data-seats="`+a.Code+`"]`)))
	before := br.text(`[data-seats="` + a.Code + `"]`)
	call(t, "POST", base+"/api/v1/reservations", tokens["attendee00002@demo.lanyard.dev"], map[string]any{"sessions": []string{a.Code}}, nil, 200, nil)
	br.do("live seats", poll(`document.querySelector('[data-seats="`+a.Code+`"]').textContent !== `+strconv.Quote(before)))
	if after := br.text(`[data-seats="` + a.Code + `"]`); !strings.Contains(after, strconv.Itoa(a.SeatsLeft-1)) {
		t.Errorf("live seats went from %q to %q; want %d left", before, after, a.SeatsLeft-1)
	}

	// Reserve A then B from their pages; B leaves too little time to travel.
	for _, s := range []demoSession{a, b} {
		br.do("reserve "+s.Code,
			chromedp.Navigate(base+"/sessions/"+s.Code),
			chromedp.Click(chromedp.CSS(`#session > .actions [data-reserve="`+s.Code+`"]`)),
			chromedp.WaitVisible(chromedp.ID("flash")),
		)
		if got := br.text("#flash"); !strings.Contains(got, s.Code) || !strings.Contains(got, "Reserved") {
			t.Fatalf("reserving %s: %q", s.Code, got)
		}
	}

	// The agenda marks the trip from A to B as too short.
	br.do("agenda", chromedp.Navigate(base+"/agenda"), chromedp.WaitVisible(chromedp.CSS(".day")))
	// A trip with no room on the grid is drawn only on a phone: read its words.
	if got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(".trip.short").textContent`)); !strings.Contains(got, "Not enough time") {
		t.Errorf("the agenda's travel gap says %q", got)
	}
	br.accessible("agenda")
	br.capture("agenda-desktop", 1280, 1300)
	br.capture("agenda-phone", 390, 844)

	// Switch B to another of its times.
	to, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("to-"+b.Code)))
	if err != nil || to == "" {
		t.Fatalf("no other time to switch %s to: %v", b.Code, err)
	}
	br.do("switch", chromedp.Click(chromedp.CSS(`[data-switch="`+b.Code+`"]`)), chromedp.WaitVisible(chromedp.ID("flash")))
	if got := br.text("#flash"); !strings.Contains(got, to) || !strings.Contains(got, "Reserved") {
		t.Fatalf("switching %s to %s: %q", b.Code, to, got)
	}
	br.do("switched", chromedp.WaitVisible(chromedp.CSS(`.item[data-session="`+to+`"]`)), chromedp.WaitNotPresent(chromedp.CSS(`.item[data-session="`+b.Code+`"]`)))

	// Cancel A.
	br.do("cancel", chromedp.Click(chromedp.CSS(`[data-cancel="`+a.Code+`"]`)), chromedp.WaitVisible(chromedp.ID("flash")),
		chromedp.WaitNotPresent(chromedp.CSS(`.item[data-session="`+a.Code+`"]`)))
	if got := br.text("#flash"); !strings.Contains(got, "Cancelled") {
		t.Errorf("cancelling %s: %q", a.Code, got)
	}

	// Download the agenda: the file parses and holds the switched session,
	// in the venue's zone.
	body, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.getElementById("ics-download").href).then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatalf("the agenda's iCal does not parse: %v\n%s", err, body)
	}
	var found bool
	for _, ev := range cal.Events() {
		if strings.HasPrefix(ev.GetProperty(ics.ComponentPropertyUniqueId).Value, to+"@") {
			found = true
			start := ev.GetProperty(ics.ComponentPropertyDtStart)
			if tz := start.ICalParameters["TZID"]; len(tz) != 1 || tz[0] != "America/Los_Angeles" {
				t.Errorf("DTSTART of %s has TZID %v", to, tz)
			}
		}
		if strings.HasPrefix(ev.GetProperty(ics.ComponentPropertyUniqueId).Value, a.Code+"@") {
			t.Errorf("the cancelled %s is still in the calendar", a.Code)
		}
	}
	if !found {
		t.Errorf("the calendar lacks %s:\n%s", to, body)
	}

	// Upload a badge photo from the photo page: a PNG named .jpg is taken
	// for what it is, and the page shows the stored photo.
	photoFile := filepath.Join(dir, "me.jpg")
	if err := os.WriteFile(photoFile, encode(t, portrait(900, 1200), "png"), 0o644); err != nil {
		t.Fatal(err)
	}
	br.do("photo",
		chromedp.Navigate(base+"/photo"),
		chromedp.WaitVisible(chromedp.ID("photo-none")),
		chromedp.SetUploadFiles(chromedp.ID("photo"), []string{photoFile}),
		chromedp.Click(chromedp.ID("photo-submit")),
		chromedp.WaitVisible(chromedp.ID("photo-img")),
		poll(`document.getElementById("photo-img").naturalWidth === 600`),
	)
	if got := br.text("#photo-ok"); !strings.Contains(got, "Looks good") {
		t.Errorf("the photo page says %q about a good photo", got)
	}
	br.accessible("photo")
	br.capture("photo-desktop", 1280, 900)

	// Switch to Korean: the choice sticks across pages.
	br.do("korean", chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="ko"]`)))
	if got := br.text("h1"); got != "명찰 사진" {
		t.Errorf("the photo page's heading in Korean is %q", got)
	}
	br.do("korean catalog", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("result-count")))
	if got := br.text("#result-count"); !strings.Contains(got, "세션") {
		t.Errorf("the catalog's count in Korean is %q", got)
	}
	br.capture("catalog-korean-phone", 390, 844)
}
