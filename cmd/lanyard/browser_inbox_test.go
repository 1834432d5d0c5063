package main

import (
	"fmt"
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
	br := newTab(t, ctx, base)

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

	br.signUp("Kim Min-ji", "minji@example.com", "Asia/Seoul", "sturdy-lantern-41")
	// A new account reserves and waits only once its address is confirmed.
	verifyByMail(t, ctx, filepath.Join(dir, "demo.db"), "minji@example.com")
	br.do("join the waitlist",
		chromedp.Navigate(base+"/sessions/"+s.Code),
		chromedp.WaitVisible(chromedp.CSS(`[data-reserve="`+s.Code+`"]`)),
		chromedp.Click(chromedp.CSS(`[data-reserve="`+s.Code+`"]`)),
		chromedp.WaitVisible(chromedp.ID("flash")),
	)
	br.do("open the agenda", chromedp.Navigate(base+"/agenda"), chromedp.WaitVisible(chromedp.ID("nav-inbox")))
	if hidden, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("unread-count").hidden`)); !hidden {
		t.Errorf("the unread count shows before any notification: %q", br.text("#unread-count"))
	}
	// Mark the page: a reload would lose the mark.
	br.do("mark", void(chromedp.Evaluate[bool](`window.noReload = true`)), chromedp.Sleep(1500*time.Millisecond))

	holdback(0) // seats again: the waitlist is served, Min-ji first
	br.do("the count rises live",
		poll(`!document.getElementById("unread-count").hidden && document.querySelector("#unread-count [aria-hidden]").textContent === "1"`))
	if v, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.noReload === true`)); !v {
		t.Error("the page reloaded to show the count")
	}
	br.shoot("inbox-header-en-desktop", 1280)
	br.shoot("inbox-header-en-phone", 360)

	br.do("open notifications", chromedp.EmulateViewport(1280, 900), chromedp.Click(chromedp.ID("nav-inbox")), chromedp.WaitVisible(chromedp.ID("notices")))
	if got, want := br.text("#notices"), "A waitlist gave you a seat in "+s.Code; !strings.Contains(got, want) {
		t.Errorf("notifications say %q, want %q", got, want)
	}
	if got := br.text("#notices"); !strings.Contains(got, "KST") {
		t.Errorf("notifications give no home time (Seoul): %q", got)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(".unread-notice").length`)); n != 1 {
		t.Errorf("%d notifications marked new, want 1", n)
	}
	if bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](unlabelled)); err != nil || len(bad) > 0 {
		t.Errorf("unlabelled on the notifications page: %v %v", bad, err)
	}
	br.shoot("inbox-en-desktop", 1280)
	br.shoot("inbox-en-phone", 360)
	// Viewed: the count is gone on the next page.
	br.do("count cleared", chromedp.Navigate(base+"/agenda"), chromedp.WaitVisible(chromedp.ID("nav-inbox")))
	if hidden, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("unread-count").hidden`)); !hidden {
		t.Errorf("the count still shows after the notifications were viewed: %q", br.text("#unread-count"))
	}

	br.do("Korean", chromedp.EmulateViewport(1280, 900), chromedp.Click(chromedp.ID("lang-switch")), chromedp.Sleep(time.Second))
	br.do("Korean notifications", chromedp.Navigate(base+"/notifications"), chromedp.WaitVisible(chromedp.ID("notices")))
	if got, want := br.text("#notices"), "대기자 명단에서 "+s.Code; !strings.Contains(got, want) {
		t.Errorf("Korean notifications say %q, want %q", got, want)
	}
	if got, want := br.text("#nav-inbox"), "알림"; !strings.Contains(got, want) {
		t.Errorf("Korean header link %q, want %q", got, want)
	}
	br.shoot("inbox-ko-desktop", 1280)
	br.shoot("inbox-ko-phone", 360)

	br.do("settings", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/settings#notifications"), chromedp.WaitVisible(chromedp.ID("notifications")))
	br.shoot("inbox-settings-ko-phone", 360)
}
