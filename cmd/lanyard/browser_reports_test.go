package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserReports: the organizer opens the reports (charts drawn, a CSV
// link that downloads CSV), then writes an announcement to one session's
// reserved attendees, previews it in both languages and sends it; the
// attendee who holds a seat there finds it on their notifications page in
// English and Korean, at a desktop's width and a 360 px phone's. With
// LANYARD_SCREENSHOTS=dir it saves each view there.
func TestBrowserReports(t *testing.T) {
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
	token := readTokens(t, filepath.Join(dir, "tokens.csv"))[attendee]
	br := newTab(t, ctx, base)

	// The attendee holds a seat in a session.
	var code string
	for offset := 0; code == ""; offset += 200 {
		var page struct{ Sessions []agendaSession }
		getJSON(t, fmt.Sprintf("%s/api/v1/sessions?limit=200&offset=%d", base, offset), "", 200, &page)
		if len(page.Sessions) == 0 {
			t.Fatal("the demo has no session the attendee can reserve")
		}
		for _, c := range page.Sessions {
			if !c.Reservable || c.Start.IsZero() || c.SeatsLeft < 1 {
				continue
			}
			var rs struct{ Results []seatResult }
			call(t, "POST", base+"/api/v1/reservations", token, map[string]any{"sessions": []string{c.Code}},
				map[string]string{"Idempotency-Key": "reports-" + c.Code}, 200, &rs)
			if len(rs.Results) == 1 && rs.Results[0].Outcome == "reserved" {
				code = c.Code
				break
			}
		}
	}

	// part saves the screen at the element id, at width: a full page at
	// a phone's width is too tall to look at.
	part := func(name, id string, width int64) {
		t.Helper()
		if br.shots == "" {
			return
		}
		br.do("scroll to "+id, chromedp.EmulateViewport(width, 800), chromedp.ScrollIntoView(chromedp.ID(id)), chromedp.Sleep(150*time.Millisecond))
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(br.shots, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	br.signIn(organizer, demoPassword,
		chromedp.WaitVisible(chromedp.ID("dashboard")),
	)
	br.do("open the reports", chromedp.Navigate(base+"/console/reports"), chromedp.WaitVisible(chromedp.ID("chart-demand")))
	// Charts drawn with a size, each with its title.
	charts, err := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("svg.chart")].filter(s => s.getBoundingClientRect().height > 20 && s.querySelector("title").textContent).length`))
	if err != nil || charts < 4 {
		t.Errorf("%d charts visible (%v), want at least 4", charts, err)
	}
	// The CSV link downloads CSV: fetched as the link would be.
	csv, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
		const a = document.getElementById("csv-demand");
		const r = await fetch(a.href, {credentials: "same-origin"});
		return r.headers.get("Content-Type") + "|" + r.headers.get("Content-Disposition") + "|" + (await r.text()).split("\n")[0];
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if want := `text/csv; charset=utf-8|attachment; filename="`; !strings.HasPrefix(csv, want) || !strings.HasSuffix(csv, "|session,title,type,day,venue,reserved,waitlisted,seats,percent") {
		t.Errorf("demand CSV: %q", csv)
	}
	br.shoot("reports-en-desktop", 1280)
	br.shoot("reports-en-phone", 360)
	part("reports-en-phone-fill", "report-fill-type", 360)
	part("reports-en-phone-demand", "report-demand", 360)

	// An announcement to the session's reserved attendees.
	br.do("write an announcement",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/console/announcements"),
		chromedp.WaitVisible(chromedp.ID("announce-form")),
		chromedp.Click(chromedp.ID("segment-reserved")),
		chromedp.SendKeys(chromedp.ID("session"), code),
		chromedp.SendKeys(chromedp.ID("subject_en"), "Bring a laptop"),
		chromedp.SendKeys(chromedp.ID("body_en"), "The session "+code+" is hands-on: bring a charged laptop."),
		chromedp.SendKeys(chromedp.ID("subject_ko"), "노트북을 가져오세요"),
		chromedp.SendKeys(chromedp.ID("body_ko"), code+" 세션은 실습입니다. 충전된 노트북을 가져오세요."),
		chromedp.Click(chromedp.ID("announce-preview")),
		chromedp.WaitVisible(chromedp.ID("preview-ko")),
	)
	if got := br.text("#preview-en"); !strings.Contains(got, "Bring a laptop") || !strings.Contains(got, "bring a charged laptop") {
		t.Errorf("English preview: %q", got)
	}
	if got := br.text("#preview-ko"); !strings.Contains(got, "노트북을 가져오세요") || !strings.Contains(got, "충전된 노트북") {
		t.Errorf("Korean preview: %q", got)
	}
	if got, want := br.text("#recipients"), "Recipients now: 1"; got != want {
		t.Errorf("recipients %q, want %q", got, want)
	}
	br.shoot("announce-preview-en-desktop", 1280)
	br.shoot("announce-preview-en-phone", 360)
	part("announce-preview-en-phone-top", "announce-form", 360)
	part("announce-preview-en-phone-preview", "preview", 360)
	br.do("send", chromedp.EmulateViewport(1280, 900), chromedp.Click(chromedp.ID("announce-send")), chromedp.WaitVisible(chromedp.ID("flash")))
	if got, want := br.text("#flash"), "Announcement sent. Recipients: 1."; got != want {
		t.Errorf("after sending: %q, want %q", got, want)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#past-announcements tr[data-state="sent"]').length`)); n != 1 {
		t.Errorf("%d sent announcements listed, want 1", n)
	}
	br.do("Korean console", chromedp.Click(chromedp.ID("lang-switch")), chromedp.Sleep(500*time.Millisecond), poll(`document.documentElement.lang === "ko"`))
	br.do("Korean reports", chromedp.Navigate(base+"/console/reports"), chromedp.WaitVisible(chromedp.ID("chart-demand")))
	br.shoot("reports-ko-desktop", 1280)
	br.shoot("reports-ko-phone", 360)
	part("reports-ko-phone-venue", "report-fill-venue", 360)
	br.do("Korean announcements", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/console/announcements"), chromedp.WaitVisible(chromedp.ID("past-announcements")))
	br.shoot("announce-ko-phone", 360)
	part("announce-ko-phone-list", "past-announcements", 360)
	br.do("sign out", chromedp.EmulateViewport(1280, 900), chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.CSS(`a[href^="/signin"]`)))

	// The attendee reads it.
	br.signIn(attendee, demoPassword,
		chromedp.WaitVisible(chromedp.ID("signout")), // signed in, before going on
		chromedp.Navigate(base+"/notifications"),
		chromedp.WaitVisible(chromedp.ID("notices")),
	)
	if got := br.text("#notices"); !strings.Contains(got, "노트북을 가져오세요") || !strings.Contains(got, "충전된 노트북") {
		t.Errorf("Korean notifications: %q", got)
	}
	br.shoot("announce-attendee-ko-desktop", 1280)
	br.shoot("announce-attendee-ko-phone", 360)
	part("announce-attendee-ko-phone-top", "notices", 360)
	br.do("English", chromedp.EmulateViewport(1280, 900), chromedp.Click(chromedp.ID("lang-switch")), chromedp.Sleep(500*time.Millisecond),
		poll(`document.documentElement.lang === "en"`), chromedp.Navigate(base+"/notifications"), chromedp.WaitVisible(chromedp.ID("notices")))
	if got := br.text("#notices"); !strings.Contains(got, "Bring a laptop") || !strings.Contains(got, "bring a charged laptop") {
		t.Errorf("English notifications: %q", got)
	}
	br.shoot("announce-attendee-en-desktop", 1280)
	br.shoot("announce-attendee-en-phone", 360)
}
