package main

import (
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
	br := newTab(t, ctx, base)
	widths := map[string]int64{"desktop": 1280, "tablet": 800, "phone": 360}

	br.signIn(organizer, demoPassword,
		chromedp.WaitVisible(chromedp.ID("dashboard")),
		chromedp.WaitVisible(chromedp.ID("fill")),
	)
	if got, want := br.text("#tile-requests"), "requests per second"; !strings.Contains(got, want) {
		t.Errorf("requests tile %q", got)
	}
	for _, w := range []string{"desktop", "tablet", "phone"} {
		br.shoot("console-dashboard-en-"+w, widths[w])
	}

	// A second chance for the keynote: 5 seats the day before it starts.
	at := key.Start.In(vegas).AddDate(0, 0, -1).Format("2006-01-02T15:04")
	br.do("add a wave",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/console/setup"),
		chromedp.WaitVisible(chromedp.ID("wave-form")),
		chromedp.SendKeys(chromedp.ID("wave_session"), key.Code),
		chromedp.SendKeys(chromedp.ID("wave_seats"), "5"),
		chromedp.SetValue(chromedp.ID("wave_at"), at),
		chromedp.Click(chromedp.ID("wave-add")),
		chromedp.WaitVisible(chromedp.ID("flash")),
	)
	if got := br.text("#flash"); got != "Wave added." {
		t.Errorf("after adding a wave: %q", got)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#wave-list tr[data-session="`+key.Code+`"]').length`)); n < 1 {
		t.Error("the wave list lacks the new wave")
	}
	for _, w := range []string{"desktop", "phone"} {
		br.shoot("console-setup-en-"+w, widths[w])
	}

	// The attendee lost their badge.
	br.do("find the attendee",
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
	br.do("open the attendee", chromedp.Sleep(300*time.Millisecond), chromedp.Navigate(href), chromedp.WaitVisible(chromedp.ID("replace-badge")))
	br.shoot("console-attendee-en-phone", widths["phone"])
	br.do("replace the badge",
		chromedp.EmulateViewport(800, 900),
		chromedp.Click(chromedp.ID("replace-badge")),
		chromedp.WaitVisible(chromedp.ID("flash")),
	)
	if got := br.text("#flash"); !strings.HasPrefix(got, "Badge replaced") || !strings.Contains(got, "version 2") {
		t.Errorf("after replacing the badge: %q", got)
	}
	br.shoot("console-attendee-en-tablet", widths["tablet"])

	// The same in Korean.
	br.do("switch to Korean",
		chromedp.Click(chromedp.ID("lang-switch")),
		chromedp.Sleep(500*time.Millisecond),
		poll(`document.documentElement.lang === "ko"`),
		chromedp.WaitVisible(chromedp.ID("replace-badge")),
	)
	if got := br.text("#replace-badge"); got != "명찰 무효화 후 재발급" {
		t.Errorf("Korean button %q", got)
	}
	br.shoot("console-attendee-ko-phone", widths["phone"])
	br.do("Korean dashboard", chromedp.Navigate(base+"/console/dashboard"), chromedp.WaitVisible(chromedp.ID("fill")))
	if got, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1"))); strings.TrimSpace(got) != "대시보드" {
		t.Errorf("Korean dashboard title %q", got)
	}
	for _, w := range []string{"desktop", "tablet", "phone"} {
		br.shoot("console-dashboard-ko-"+w, widths[w])
	}
	br.do("Korean setup", chromedp.Navigate(base+"/console/setup"), chromedp.WaitVisible(chromedp.ID("wave-form")),
		chromedp.SendKeys(chromedp.ID("wave_session"), key.Code),
		chromedp.SendKeys(chromedp.ID("wave_seats"), "0"),
		chromedp.SetValue(chromedp.ID("wave_at"), at),
		chromedp.Click(chromedp.ID("wave-add")),
		chromedp.WaitVisible(chromedp.ID("wave_seats-error")),
	)
	if got := br.text("#wave_seats-error"); got != "웨이브는 최소 한 좌석을 공개해야 합니다." {
		t.Errorf("Korean field error %q", got)
	}
	for _, w := range []string{"desktop", "phone"} {
		br.shoot("console-setup-ko-"+w, widths[w])
	}
}
