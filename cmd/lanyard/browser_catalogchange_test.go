package main

import (
	"fmt"
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

	br := newTab(t, ctx, base)
	start, end := s.Start.In(vegas).Add(2*time.Hour), s.End.In(vegas).Add(2*time.Hour)
	br.signIn(organizer, demoPassword,
		chromedp.WaitVisible(chromedp.ID("dashboard")),
	)
	br.do("find the session",
		chromedp.Navigate(base+"/console/sessions?q="+s.Code),
		chromedp.WaitVisible(chromedp.ID("session-list")),
	)
	br.shoot("catalogchange-list-en-phone", 360)
	br.do("preview the move",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/console/sessions/"+s.Code),
		chromedp.WaitVisible(chromedp.ID("session-form")),
		chromedp.SetValue(chromedp.ID("start"), start.Format("2006-01-02T15:04")),
		chromedp.SetValue(chromedp.ID("end"), end.Format("2006-01-02T15:04")),
		chromedp.Click(chromedp.ID("session-preview")),
		chromedp.WaitVisible(chromedp.ID("change-preview")),
	)
	if got := br.text("#affected"); !strings.Contains(got, holderEmail) {
		t.Errorf("the preview does not name the holder: %q", got)
	}
	br.shoot("catalogchange-preview-en-desktop", 1280)
	br.shoot("catalogchange-preview-en-phone", 360)
	br.do("save",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Click(chromedp.ID("session-save")),
		chromedp.WaitVisible(chromedp.ID("flash")),
	)
	if got := br.text("#flash"); !strings.Contains(got, "Saved") {
		t.Errorf("after saving: %q", got)
	}
	br.do("Korean", chromedp.Click(chromedp.ID("lang-switch")), chromedp.Sleep(500*time.Millisecond), poll(`document.documentElement.lang === "ko"`))
	br.do("Korean preview",
		chromedp.Navigate(base+"/console/sessions/"+s.Code),
		chromedp.WaitVisible(chromedp.ID("session-form")),
		chromedp.SetValue(chromedp.ID("capacity"), "1"),
		chromedp.Click(chromedp.ID("session-preview")),
		chromedp.WaitVisible(chromedp.ID("change-preview")),
	)
	if got := br.text("#preview-title"); got != "저장하기 전에" {
		t.Errorf("Korean preview title %q", got)
	}
	br.shoot("catalogchange-preview-ko-desktop", 1280)
	br.shoot("catalogchange-preview-ko-phone", 360)
	br.do("Korean re-import page", chromedp.Navigate(base+"/console/catalog/reimport"), chromedp.WaitVisible(chromedp.ID("reimport-form")))
	br.shoot("catalogchange-reimport-ko-phone", 360)
	br.do("Korean changelog", chromedp.Navigate(base+"/changelog"), chromedp.WaitVisible(chromedp.ID("changelog")))
	if got := br.text("#schedule-version"); got != "일정 버전 2" {
		t.Errorf("Korean changelog version %q", got)
	}
	br.shoot("catalogchange-changelog-ko-phone", 360)

	// The holder signs in (after the organizer signs out) and reads that it moved.
	br.do("sign out", chromedp.EmulateViewport(1280, 900), chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.CSS(`a[href^="/signin"]`)))
	br.signIn(holderEmail, demoPassword,
		chromedp.WaitVisible(chromedp.ID("signout")), // signed in, before going on
		chromedp.Navigate(base+"/notifications"),
		chromedp.WaitVisible(chromedp.ID("notices")),
	)
	if ko, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.lang === "ko"`)); ko {
		br.do("English", chromedp.Click(chromedp.ID("lang-switch")), chromedp.Sleep(500*time.Millisecond),
			chromedp.Navigate(base+"/notifications"), chromedp.WaitVisible(chromedp.ID("notices")))
	}
	if got, want := br.text("#notices"), s.Code+" "+s.Title+" moved"; !strings.Contains(got, want) {
		t.Errorf("notifications say %q, want %q", got, want)
	}
	br.shoot("catalogchange-notice-en-desktop", 1280)
	br.shoot("catalogchange-notice-en-phone", 360)
	br.do("Korean notifications", chromedp.EmulateViewport(1280, 900), chromedp.Click(chromedp.ID("lang-switch")), chromedp.Sleep(500*time.Millisecond),
		chromedp.Navigate(base+"/notifications"), chromedp.WaitVisible(chromedp.ID("notices")))
	if got := br.text("#notices"); !strings.Contains(got, "변경되었습니다") {
		t.Errorf("Korean notifications say %q", got)
	}
	br.shoot("catalogchange-notice-ko-desktop", 1280)
	br.shoot("catalogchange-notice-ko-phone", 360)
}
