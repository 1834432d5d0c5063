package main

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserSwag drives the swag pages in Chromium against the demo: an
// exhibitor hands a signed book (stock 5) to attendees by scanning their
// badges with a handheld scanner (typed into the field, then Enter), sees a
// second scan refused, scans one while offline (kept on the device, synced
// when the network returns); an attendee's booth page follows the stock
// without a reload; the passport page shows its booths. Each page is
// checked at desktop and phone widths.
func TestBrowserSwag(t *testing.T) {
	dir := t.TempDir()
	base, _ := startCmd(t, "demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "demo.db"), "--attendees", "20", "--log-level", "warn")
	tokens := readTokens(t, filepath.Join(dir, "tokens.csv"))
	badge := func(email string) string {
		var b struct{ Token string }
		getJSON(t, base+"/api/v1/me/badge", tokens[email], 200, &b)
		if b.Token == "" {
			t.Fatalf("no badge token for %s", email)
		}
		return b.Token
	}
	// A fresh item of the exhibitor's company, made with its API token.
	var made struct{ ID int64 }
	call(t, "POST", base+"/api/v1/exhibitor/swag", tokens["exhibitor01@demo.lanyard.dev"], map[string]any{"name": "Signed book", "stock": 5}, nil, 201, &made)
	var people []string
	for i := 20; i >= 1 && len(people) < 3; i-- {
		people = append(people, fmt.Sprintf("attendee%05d@demo.lanyard.dev", i))
	}

	x := newTab(t, newBrowser(t), base)
	x.signIn("exhibitor01@demo.lanyard.dev", demoPassword, chromedp.WaitVisible(chromedp.ID("signout")))
	x.do("the exhibitor's page", chromedp.Navigate(base+"/exhibitor/swag"), chromedp.WaitVisible(chromedp.ID("claim-form")),
		poll(`document.getElementById("swag-exhibitor").dataset.ready == "1"`))
	code := strings.TrimPrefix(x.text("#booth-link"), "/swag/")
	item := strconv.FormatInt(made.ID, 10)
	x.do("choose the book", chromedp.SetValue(chromedp.ID("claim-item"), item))
	var before struct{ Claimed, Left int }
	getJSON(t, base+"/api/v1/swag/"+item, "", 200, &before)

	// An attendee watches the booth's stock.
	a := newTab(t, newBrowser(t), base)
	a.signUp("Kim Min-jun", "minjun@example.com", "Asia/Seoul", "a long enough password")
	a.do("the booth's swag", chromedp.Navigate(base+"/swag/"+code), chromedp.WaitVisible(chromedp.ID("swag-list")))
	left := func() int {
		n, _ := strconv.Atoi(a.text(`#swag-list li[data-item="` + item + `"] .left`))
		return n
	}
	if left() != before.Left {
		t.Fatalf("the booth page shows %d left, the API %d", left(), before.Left)
	}

	scanned := func(tok, want string) {
		t.Helper()
		x.do("scan for "+want, chromedp.SendKeys(chromedp.ID("claim-code"), tok+"\r"))
		if _, err := chromedp.Run(x.ctx, chromedp.Poll[bool](`document.getElementById("swag-live").dataset.code == "`+want+`"`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			t.Fatalf("scan for %s: %v; the page says %q (%s)", want, err, x.text("#swag-live"), x.eval(`document.getElementById("swag-live").dataset.code`))
		}
	}
	scanned(badge(people[0]), "claimed")
	scanned(badge(people[1]), "claimed")
	scanned(badge(people[0]), "already_claimed")
	if opt := x.eval(`document.querySelector('#claim-item option[value="` + item + `"]').textContent`); opt != "Signed book — 3 of 5 left" {
		t.Fatalf("the picker says %q", opt)
	}
	a.do("the stock follows without a reload",
		void(chromedp.Evaluate[bool](`document.dispatchEvent(new Event("visibilitychange")), true`)),
		poll(`document.querySelector('#swag-list li[data-item="`+item+`"] .left').textContent == "`+strconv.Itoa(before.Left-2)+`"`))
	x.shoot("exhibitor-swag", 1280)
	x.shoot("exhibitor-swag-phone", 390)

	// Offline: the scan waits on the device, then syncs.
	x.do("offline", setOffline(true))
	scanned(badge(people[2]), "queued")
	if q := x.text("#swag-queued"); !strings.Contains(q, "1") {
		t.Fatalf("queued: %q", q)
	}
	var mid struct{ Claimed int }
	getJSON(t, base+"/api/v1/swag/"+item, "", 200, &mid)
	if mid.Claimed != before.Claimed+2 {
		t.Fatalf("claimed %d while offline, want %d", mid.Claimed, before.Claimed+2)
	}
	x.do("back online",
		setOffline(false),
		void(chromedp.Evaluate[bool](`window.dispatchEvent(new Event("online")), true`)),
		poll(`document.getElementById("swag-live").dataset.code == "synced"`),
		poll(`document.getElementById("swag-queued").hidden`))
	var after struct{ Claimed int }
	getJSON(t, base+"/api/v1/swag/"+item, "", 200, &after)
	if after.Claimed != before.Claimed+3 {
		t.Fatalf("claimed %d after the sync, want %d", after.Claimed, before.Claimed+3)
	}

	a.shoot("booth-swag", 1280)
	a.shoot("booth-swag-phone", 390)
	a.do("the passport", chromedp.Navigate(base+"/passport"), chromedp.WaitVisible(chromedp.ID("passport-booths")))
	if got := a.text("#passport-progress"); !strings.HasPrefix(got, "0 of") {
		t.Fatalf("a newcomer's passport: %q", got)
	}
	a.shoot("passport", 1280)
	a.shoot("passport-phone", 390)

	// The exhibitor retires the book (phone width): the claims stay on its
	// page, the booth's page no longer lists it.
	x.do("retire",
		chromedp.EmulateViewport(390, 900),
		chromedp.Navigate(base+"/exhibitor/swag"),
		chromedp.WaitReady(chromedp.ID("retire-"+item)),
		chromedp.Click(chromedp.CSS(`#swag-items details:has(#retire-`+item+`) summary`)),
		chromedp.WaitVisible(chromedp.ID("retire-"+item)),
		chromedp.Click(chromedp.CSS(`#retire-`+item+` input[name=confirm]`)),
		chromedp.Click(chromedp.CSS(`#retire-`+item+` button`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-retired="`+item+`"]`)),
	)
	if opt := x.eval(`String(document.querySelectorAll('#claim-item option[value="` + item + `"]').length)`); opt != "0" {
		t.Fatalf("a retired item is still offered for claims")
	}
	x.shoot("exhibitor-swag-retired-phone", 390)
	var gone struct {
		Claimed int
		Retired bool
	}
	getJSON(t, base+"/api/v1/swag/"+item, "", 200, &gone)
	if !gone.Retired || gone.Claimed != after.Claimed {
		t.Fatalf("after the retire: %+v, want retired with %d claims", gone, after.Claimed)
	}
}
