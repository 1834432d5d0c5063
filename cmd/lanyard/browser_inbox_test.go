package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserInbox: an attendee waits for a full session with the agenda
// open; when the organizer frees seats and the waitlist promotes them, the
// header's unread count rises without a reload, and the notifications page
// says so in English and Korean, at a desktop's width and a 360 px
// phone's. With LANYARD_SCREENSHOTS=dir it saves each view there.
func TestBrowserInbox(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium; skipped with -short")
	}
	ctx := newBrowser(t)
	dir := t.TempDir()
	base, _ := startCmd(t, "demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "demo.db"), "--attendees", "12", "--log-level", "warn")
	tokens := readTokens(t, filepath.Join(dir, "tokens.csv"))
	holder, organizer := tokens["attendee00002@demo.lanyard.dev"], tokens["organizer@demo.lanyard.dev"]
	shots := os.Getenv("LANYARD_SCREENSHOTS")

	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			loc, _ := chromedp.Run(ctx, chromedp.Location())
			body, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
			t.Fatalf("%s: %v\nat %s:\n%.2000s", what, err, loc, body)
		}
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return v
	}
	shoot := func(name string, width int64) {
		t.Helper()
		do("resize", chromedp.EmulateViewport(width, 900), chromedp.Sleep(150*time.Millisecond))
		// Nothing wider than the screen: no sideways scrolling on a phone.
		if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || int64(w) > width {
			t.Errorf("%s: the page is %d px wide at %d px (%v)", name, w, width, err)
		}
		if shots == "" {
			return
		}
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// A reservable session the holder can reserve, of a type whose
	// holdback the organizer will raise to fill it.
	var s struct {
		Code, Title, Type string
	}
	for offset := 0; s.Code == ""; offset += 200 {
		var page struct {
			Total    int
			Sessions []agendaSession
		}
		getJSON(t, fmt.Sprintf("%s/api/v1/sessions?limit=200&offset=%d", base, offset), "", 200, &page)
		if len(page.Sessions) == 0 {
			t.Fatal("the demo has no session the holder can reserve")
		}
		for _, c := range page.Sessions {
			if !c.Reservable || c.Type == "keynote" || c.Start.IsZero() || c.SeatsLeft < 2 {
				continue
			}
			var rs struct{ Results []seatResult }
			call(t, "POST", base+"/api/v1/reservations", holder, map[string]any{"sessions": []string{c.Code}},
				map[string]string{"Idempotency-Key": "inbox-" + c.Code}, 200, &rs)
			if len(rs.Results) == 1 && rs.Results[0].Outcome == "reserved" {
				s.Code, s.Title, s.Type = c.Code, c.Title, c.Type
				break
			}
		}
	}
	holdback := func(percent int) {
		t.Helper()
		call(t, "PUT", base+"/api/v1/admin/holdbacks/"+s.Type, organizer, map[string]int{"percent": percent}, nil, 200, nil)
	}
	holdback(100) // no seats beyond the holder's: the session is full

	do("sign up",
		chromedp.Navigate(base+"/signup"),
		chromedp.WaitVisible(chromedp.ID("signup-form")),
		chromedp.SendKeys(chromedp.ID("name"), "Kim Min-ji"),
		chromedp.SendKeys(chromedp.ID("email"), "minji@example.com"),
		chromedp.SetValue(chromedp.ID("home_zone"), "Asia/Seoul"),
		chromedp.SendKeys(chromedp.ID("password"), "sturdy-lantern-41"),
		chromedp.Click(chromedp.ID("signup-submit")),
		chromedp.WaitVisible(chromedp.ID("flash")),
	)
	// A new account reserves and waits only once its address is confirmed.
	verifyByMail(t, ctx, filepath.Join(dir, "demo.db"), "minji@example.com")
	do("join the waitlist",
		chromedp.Navigate(base+"/sessions/"+s.Code),
		chromedp.WaitVisible(chromedp.CSS(`[data-reserve="`+s.Code+`"]`)),
		chromedp.Click(chromedp.CSS(`[data-reserve="`+s.Code+`"]`)),
		chromedp.WaitVisible(chromedp.ID("flash")),
	)
	do("open the agenda", chromedp.Navigate(base+"/agenda"), chromedp.WaitVisible(chromedp.ID("nav-inbox")))
	if hidden, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("unread-count").hidden`)); !hidden {
		t.Errorf("the unread count shows before any notification: %q", text("#unread-count"))
	}
	// Mark the page: a reload would lose the mark.
	do("mark", void(chromedp.Evaluate[bool](`window.noReload = true`)), chromedp.Sleep(1500*time.Millisecond))

	holdback(0) // seats again: the waitlist is served, Min-ji first
	do("the count rises live",
		poll(`!document.getElementById("unread-count").hidden && document.querySelector("#unread-count [aria-hidden]").textContent === "1"`))
	if v, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.noReload === true`)); !v {
		t.Error("the page reloaded to show the count")
	}
	shoot("inbox-header-en-desktop", 1280)
	shoot("inbox-header-en-phone", 360)

	do("open notifications", chromedp.EmulateViewport(1280, 900), chromedp.Click(chromedp.ID("nav-inbox")), chromedp.WaitVisible(chromedp.ID("notices")))
	if got, want := text("#notices"), "A waitlist gave you a seat in "+s.Code; !strings.Contains(got, want) {
		t.Errorf("notifications say %q, want %q", got, want)
	}
	if got := text("#notices"); !strings.Contains(got, "KST") {
		t.Errorf("notifications give no home time (Seoul): %q", got)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(".unread-notice").length`)); n != 1 {
		t.Errorf("%d notifications marked new, want 1", n)
	}
	if bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](unlabelled)); err != nil || len(bad) > 0 {
		t.Errorf("unlabelled on the notifications page: %v %v", bad, err)
	}
	shoot("inbox-en-desktop", 1280)
	shoot("inbox-en-phone", 360)
	// Viewed: the count is gone on the next page.
	do("count cleared", chromedp.Navigate(base+"/agenda"), chromedp.WaitVisible(chromedp.ID("nav-inbox")))
	if hidden, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("unread-count").hidden`)); !hidden {
		t.Errorf("the count still shows after the notifications were viewed: %q", text("#unread-count"))
	}

	do("Korean", chromedp.EmulateViewport(1280, 900), chromedp.Click(chromedp.ID("lang-switch")), chromedp.Sleep(time.Second))
	do("Korean notifications", chromedp.Navigate(base+"/notifications"), chromedp.WaitVisible(chromedp.ID("notices")))
	if got, want := text("#notices"), "대기자 명단에서 "+s.Code; !strings.Contains(got, want) {
		t.Errorf("Korean notifications say %q, want %q", got, want)
	}
	if got, want := text("#nav-inbox"), "알림"; !strings.Contains(got, want) {
		t.Errorf("Korean header link %q, want %q", got, want)
	}
	shoot("inbox-ko-desktop", 1280)
	shoot("inbox-ko-phone", 360)

	do("settings", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/settings#notifications"), chromedp.WaitVisible(chromedp.ID("notifications")))
	shoot("inbox-settings-ko-phone", 360)
}
