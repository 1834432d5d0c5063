package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// consoleLogins reads the organizer's and the staff member's emails from
// the demo's banner.
func consoleLogins(t *testing.T, banner string) (organizer, staff string) {
	t.Helper()
	m := regexp.MustCompile(`Console\s+\S+/console as the organizer (\S+) or staff (\S+), same password`).FindStringSubmatch(banner)
	if m == nil {
		t.Fatalf("the banner names no console sign-in:\n%s", banner)
	}
	return m[1], m[2]
}

// TestBrowserConsole is an organizer's first visit to the console: they
// sign in with the demo's printed account, land on the dashboard, add a
// keynote's second-chance wave through the form, find an attendee and
// replace their lost badge; in English and Korean, at a desktop's, a
// tablet's and a 360 px phone's width. With LANYARD_SCREENSHOTS=dir it
// saves each view there.
func TestBrowserConsole(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium; skipped with -short")
	}
	ctx := newBrowser(t)
	dir := t.TempDir()
	base, stdout := startCmd(t, "demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "demo.db"), "--attendees", "12", "--log-level", "warn")
	organizer, _ := consoleLogins(t, stdout.String())
	tokens := readTokens(t, filepath.Join(dir, "tokens.csv"))
	var victim string // an attendee whose badge is lost
	for email := range tokens {
		if strings.HasPrefix(email, "organizer") || strings.HasPrefix(email, "staff") || strings.HasPrefix(email, "exhibitor") {
			continue
		}
		victim = email
		break
	}
	var keynotes struct {
		Sessions []agendaSession
	}
	getJSON(t, base+"/api/v1/sessions?type=keynote&limit=50", "", 200, &keynotes)
	var key agendaSession
	for _, s := range keynotes.Sessions {
		if !s.Start.IsZero() && s.Reservable {
			key = s
			break
		}
	}
	if key.Code == "" {
		t.Fatal("the demo has no scheduled keynote")
	}
	vegas, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	shots := os.Getenv("LANYARD_SCREENSHOTS")

	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			loc, _ := chromedp.Run(ctx, chromedp.Location())
			body, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
			t.Fatalf("%s: %v\nat %s:\n%.2000s", what, err, loc, body)
		}
	}
	text := func(id string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID(id)))
		if err != nil {
			t.Fatalf("text of #%s: %v", id, err)
		}
		return strings.TrimSpace(v)
	}
	// fits checks the page at width: nothing wider than the screen, every
	// field named; and saves a screenshot.
	fits := func(name string, width int64) {
		t.Helper()
		do("resize", chromedp.EmulateViewport(width, 900), chromedp.Sleep(150*time.Millisecond))
		over, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if over > 0 {
			t.Errorf("%s at %d px: the page is %d px wider than the screen", name, width, over)
		}
		bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](unlabelled))
		if err != nil {
			t.Fatal(err)
		}
		if len(bad) > 0 {
			t.Errorf("%s: unnamed for a screen reader: %v", name, bad)
		}
		if shots == "" {
			return
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	widths := map[string]int64{"desktop": 1280, "tablet": 800, "phone": 360}

	do("sign in as the organizer",
		chromedp.Navigate(base+"/signin"),
		chromedp.WaitVisible(chromedp.ID("signin-form")),
		chromedp.SendKeys(chromedp.ID("email"), organizer),
		chromedp.SendKeys(chromedp.ID("password"), demoPassword),
		chromedp.Click(chromedp.ID("signin-submit")),
		chromedp.WaitVisible(chromedp.ID("dashboard")),
		chromedp.WaitVisible(chromedp.ID("fill")),
	)
	if got, want := text("tile-requests"), "requests per second"; !strings.Contains(got, want) {
		t.Errorf("requests tile %q", got)
	}
	for _, w := range []string{"desktop", "tablet", "phone"} {
		fits("console-dashboard-en-"+w, widths[w])
	}

	// A second chance for the keynote: 5 seats the day before it starts.
	at := key.Start.In(vegas).AddDate(0, 0, -1).Format("2006-01-02T15:04")
	do("add a wave",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/console/setup"),
		chromedp.WaitVisible(chromedp.ID("wave-form")),
		chromedp.SendKeys(chromedp.ID("wave_session"), key.Code),
		chromedp.SendKeys(chromedp.ID("wave_seats"), "5"),
		chromedp.SetValue(chromedp.ID("wave_at"), at),
		chromedp.Click(chromedp.ID("wave-add")),
		chromedp.WaitVisible(chromedp.ID("flash")),
	)
	if got := text("flash"); got != "Wave added." {
		t.Errorf("after adding a wave: %q", got)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#wave-list tr[data-session="`+key.Code+`"]').length`)); n < 1 {
		t.Error("the wave list lacks the new wave")
	}
	for _, w := range []string{"desktop", "phone"} {
		fits("console-setup-en-"+w, widths[w])
	}

	// The attendee lost their badge.
	do("find the attendee",
		chromedp.Navigate(base+"/console/attendees"),
		chromedp.WaitVisible(chromedp.ID("attendee-search")),
		chromedp.SendKeys(chromedp.ID("q"), victim),
		chromedp.Click(chromedp.ID("search-submit")),
		chromedp.WaitVisible(chromedp.ID("attendee-results")),
	)
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#attendee-results a").href`))
	if err != nil {
		t.Fatal(err)
	}
	do("open the attendee", chromedp.Sleep(300*time.Millisecond), chromedp.Navigate(href), chromedp.WaitVisible(chromedp.ID("replace-badge")))
	fits("console-attendee-en-phone", widths["phone"])
	do("replace the badge",
		chromedp.EmulateViewport(800, 900),
		chromedp.Click(chromedp.ID("replace-badge")),
		chromedp.WaitVisible(chromedp.ID("flash")),
	)
	if got := text("flash"); !strings.HasPrefix(got, "Badge replaced") || !strings.Contains(got, "version 2") {
		t.Errorf("after replacing the badge: %q", got)
	}
	fits("console-attendee-en-tablet", widths["tablet"])

	// The same in Korean.
	do("switch to Korean",
		chromedp.Click(chromedp.ID("lang-switch")),
		chromedp.Sleep(500*time.Millisecond),
		poll(`document.documentElement.lang === "ko"`),
		chromedp.WaitVisible(chromedp.ID("replace-badge")),
	)
	if got := text("replace-badge"); got != "배지 무효화 후 재발급" {
		t.Errorf("Korean button %q", got)
	}
	fits("console-attendee-ko-phone", widths["phone"])
	do("Korean dashboard", chromedp.Navigate(base+"/console/dashboard"), chromedp.WaitVisible(chromedp.ID("fill")))
	if got, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1"))); strings.TrimSpace(got) != "대시보드" {
		t.Errorf("Korean dashboard title %q", got)
	}
	for _, w := range []string{"desktop", "tablet", "phone"} {
		fits("console-dashboard-ko-"+w, widths[w])
	}
	do("Korean setup", chromedp.Navigate(base+"/console/setup"), chromedp.WaitVisible(chromedp.ID("wave-form")),
		chromedp.SendKeys(chromedp.ID("wave_session"), key.Code),
		chromedp.SendKeys(chromedp.ID("wave_seats"), "0"),
		chromedp.SetValue(chromedp.ID("wave_at"), at),
		chromedp.Click(chromedp.ID("wave-add")),
		chromedp.WaitVisible(chromedp.ID("wave_seats-error")),
	)
	if got := text("wave_seats-error"); got != "웨이브는 최소 한 좌석을 공개해야 합니다." {
		t.Errorf("Korean field error %q", got)
	}
	for _, w := range []string{"desktop", "phone"} {
		fits("console-setup-ko-"+w, widths[w])
	}
}
