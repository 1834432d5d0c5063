package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserCatalogChange: an organizer moves a session an attendee holds
// two hours later from the console; the preview names the attendee before
// anything is saved; on save the attendee's notifications say it moved, in
// English and Korean, at a desktop's width and a 360 px phone's. With
// LANYARD_SCREENSHOTS=dir it saves each view there.
func TestBrowserCatalogChange(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium; skipped with -short")
	}
	ctx := newBrowser(t)
	dir := t.TempDir()
	base, stdout := startCmd(t, "demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "demo.db"), "--attendees", "12", "--log-level", "warn")
	organizer, _ := consoleLogins(t, stdout.String())
	tokens := readTokens(t, filepath.Join(dir, "tokens.csv"))
	// The banner's sample attendee, the one attendee with a web password.
	m := regexp.MustCompile(`Sign in\s+\S+ with the password`).FindString(stdout.String())
	m2 := regexp.MustCompile(`Attendee token\s+(\S+)\s+\((\S+)\)`).FindStringSubmatch(stdout.String())
	if m == "" || m2 == nil {
		t.Fatalf("the banner names no sample attendee:\n%s", stdout.String())
	}
	holderEmail := m2[2]
	holder := tokens[holderEmail]
	shots := os.Getenv("LANYARD_SCREENSHOTS")
	vegas, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}

	// A session the holder reserves.
	var s agendaSession
	for offset := 0; s.Code == ""; offset += 200 {
		var page struct{ Sessions []agendaSession }
		getJSON(t, fmt.Sprintf("%s/api/v1/sessions?limit=200&offset=%d", base, offset), "", 200, &page)
		if len(page.Sessions) == 0 {
			t.Fatal("the demo has no session the holder can reserve")
		}
		for _, c := range page.Sessions {
			if !c.Reservable || c.Type == "keynote" || c.Start.IsZero() || c.SeatsLeft < 2 || c.Start.In(vegas).Hour() > 15 {
				continue
			}
			var rs struct{ Results []seatResult }
			call(t, "POST", base+"/api/v1/reservations", holder, map[string]any{"sessions": []string{c.Code}},
				map[string]string{"Idempotency-Key": "change-" + c.Code}, 200, &rs)
			if len(rs.Results) == 1 && rs.Results[0].Outcome == "reserved" {
				s = c
				break
			}
		}
	}

	run := func(ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			loc, _ := chromedp.Run(ctx, chromedp.Location())
			body, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
			t.Fatalf("%s: %v\nat %s:\n%.2000s", what, err, loc, body)
		}
	}
	text := func(ctx context.Context, sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.TrimSpace(v)
	}
	shoot := func(ctx context.Context, name string, width int64) {
		t.Helper()
		run(ctx, "resize", chromedp.EmulateViewport(width, 900), chromedp.Sleep(150*time.Millisecond))
		if over, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`)); err != nil || over > 0 {
			t.Errorf("%s: the page is %d px wider than the screen at %d px (%v)", name, over, width, err)
		}
		if bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](unlabelled)); err != nil || len(bad) > 0 {
			t.Errorf("%s: unnamed for a screen reader: %v %v", name, bad, err)
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

	start, end := s.Start.In(vegas).Add(2*time.Hour), s.End.In(vegas).Add(2*time.Hour)
	run(ctx, "sign in as the organizer",
		chromedp.Navigate(base+"/signin"),
		chromedp.WaitVisible(chromedp.ID("signin-form")),
		chromedp.SendKeys(chromedp.ID("email"), organizer),
		chromedp.SendKeys(chromedp.ID("password"), demoPassword),
		chromedp.Click(chromedp.ID("signin-submit")),
		chromedp.WaitVisible(chromedp.ID("dashboard")),
	)
	run(ctx, "find the session",
		chromedp.Navigate(base+"/console/sessions?q="+s.Code),
		chromedp.WaitVisible(chromedp.ID("session-list")),
	)
	shoot(ctx, "catalogchange-list-en-phone", 360)
	run(ctx, "preview the move",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/console/sessions/"+s.Code),
		chromedp.WaitVisible(chromedp.ID("session-form")),
		chromedp.SetValue(chromedp.ID("start"), start.Format("2006-01-02T15:04")),
		chromedp.SetValue(chromedp.ID("end"), end.Format("2006-01-02T15:04")),
		chromedp.Click(chromedp.ID("session-preview")),
		chromedp.WaitVisible(chromedp.ID("change-preview")),
	)
	if got := text(ctx, "#affected"); !strings.Contains(got, holderEmail) {
		t.Errorf("the preview does not name the holder: %q", got)
	}
	shoot(ctx, "catalogchange-preview-en-desktop", 1280)
	shoot(ctx, "catalogchange-preview-en-phone", 360)
	run(ctx, "save",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Click(chromedp.ID("session-save")),
		chromedp.WaitVisible(chromedp.ID("flash")),
	)
	if got := text(ctx, "#flash"); !strings.Contains(got, "Saved") {
		t.Errorf("after saving: %q", got)
	}
	run(ctx, "Korean", chromedp.Click(chromedp.ID("lang-switch")), chromedp.Sleep(500*time.Millisecond), poll(`document.documentElement.lang === "ko"`))
	run(ctx, "Korean preview",
		chromedp.Navigate(base+"/console/sessions/"+s.Code),
		chromedp.WaitVisible(chromedp.ID("session-form")),
		chromedp.SetValue(chromedp.ID("capacity"), "1"),
		chromedp.Click(chromedp.ID("session-preview")),
		chromedp.WaitVisible(chromedp.ID("change-preview")),
	)
	if got := text(ctx, "#preview-title"); got != "저장하기 전에" {
		t.Errorf("Korean preview title %q", got)
	}
	shoot(ctx, "catalogchange-preview-ko-desktop", 1280)
	shoot(ctx, "catalogchange-preview-ko-phone", 360)
	run(ctx, "Korean re-import page", chromedp.Navigate(base+"/console/catalog/reimport"), chromedp.WaitVisible(chromedp.ID("reimport-form")))
	shoot(ctx, "catalogchange-reimport-ko-phone", 360)
	run(ctx, "Korean changelog", chromedp.Navigate(base+"/changelog"), chromedp.WaitVisible(chromedp.ID("changelog")))
	if got := text(ctx, "#schedule-version"); got != "일정 버전 2" {
		t.Errorf("Korean changelog version %q", got)
	}
	shoot(ctx, "catalogchange-changelog-ko-phone", 360)

	// The holder signs in (after the organizer signs out) and reads that it moved.
	actx := ctx
	run(actx, "sign out", chromedp.EmulateViewport(1280, 900), chromedp.Click(chromedp.ID("signout")), chromedp.Sleep(500*time.Millisecond))
	run(actx, "sign in as the holder",
		chromedp.Navigate(base+"/signin"),
		chromedp.WaitVisible(chromedp.ID("signin-form")),
		chromedp.SendKeys(chromedp.ID("email"), holderEmail),
		chromedp.SendKeys(chromedp.ID("password"), demoPassword),
		chromedp.Click(chromedp.ID("signin-submit")),
		chromedp.Sleep(500*time.Millisecond),
		chromedp.Navigate(base+"/notifications"),
		chromedp.WaitVisible(chromedp.ID("notices")),
	)
	if ko, _ := chromedp.Run(actx, chromedp.Evaluate[bool](`document.documentElement.lang === "ko"`)); ko {
		run(actx, "English", chromedp.Click(chromedp.ID("lang-switch")), chromedp.Sleep(500*time.Millisecond),
			chromedp.Navigate(base+"/notifications"), chromedp.WaitVisible(chromedp.ID("notices")))
	}
	if got, want := text(actx, "#notices"), s.Code+" "+s.Title+" moved"; !strings.Contains(got, want) {
		t.Errorf("notifications say %q, want %q", got, want)
	}
	shoot(actx, "catalogchange-notice-en-desktop", 1280)
	shoot(actx, "catalogchange-notice-en-phone", 360)
	run(actx, "Korean notifications", chromedp.EmulateViewport(1280, 900), chromedp.Click(chromedp.ID("lang-switch")), chromedp.Sleep(500*time.Millisecond),
		chromedp.Navigate(base+"/notifications"), chromedp.WaitVisible(chromedp.ID("notices")))
	if got := text(actx, "#notices"); !strings.Contains(got, "변경되었습니다") {
		t.Errorf("Korean notifications say %q", got)
	}
	shoot(actx, "catalogchange-notice-ko-desktop", 1280)
	shoot(actx, "catalogchange-notice-ko-phone", 360)
}
