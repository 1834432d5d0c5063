package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserLounges drives the places' pages in Chromium against the demo:
// a newcomer enters a certification number on the settings page; an
// organizer finds it in the console's queue and verifies it; the newcomer's
// lounges page then lists the certification lounge, whose count follows a
// door's scan without a reload. Each page is checked at desktop and phone
// widths (nothing wider than the screen, every field named).
func TestBrowserLounges(t *testing.T) {
	dir := t.TempDir()
	base, _ := startCmd(t, "demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "demo.db"), "--attendees", "20", "--log-level", "warn")
	tokens := readTokens(t, filepath.Join(dir, "tokens.csv"))
	ctx := newBrowser(t)
	b := newTab(t, ctx, base)

	// A lounge open now, for the live count.
	call(t, "PUT", base+"/api/v1/admin/places/quiet-room", tokens["organizer@demo.lanyard.dev"],
		map[string]any{"name": "Quiet Room", "kind": "lounge", "capacity": 1, "entitlement": "certified"}, nil, 200, nil)

	b.signUp("Nam Ji-won", "jiwon@example.com", "Asia/Seoul", "a long enough password")
	b.do("enter a validation number",
		chromedp.Navigate(base+"/settings#certification"),
		chromedp.WaitVisible(chromedp.ID("cert_number")),
		chromedp.SendKeys(chromedp.ID("cert_number"), "aws-jiwon-2026"),
		chromedp.Click(chromedp.ID("cert-submit")),
		chromedp.WaitVisible(chromedp.ID("cert-state")),
	)
	if got := b.text("#cert-state"); !strings.Contains(got, "AWS-JIWON-2026") {
		t.Fatalf("certification state: %q", got)
	}
	b.shoot("settings-certification", 390)
	b.do("lounges before", chromedp.Navigate(base+"/lounges"), chromedp.WaitVisible(chromedp.ID("lounges")))
	if strings.Contains(b.eval(`(document.getElementById("my-places")||{textContent:""}).textContent`), "Certification Lounge") {
		t.Fatal("a pending number opened the certification lounge")
	}

	// The organizer verifies it in the console (another profile's cookies: a second browser).
	org := newTab(t, newBrowser(t), base)
	org.signIn("organizer@demo.lanyard.dev", demoPassword, chromedp.WaitVisible(chromedp.ID("signout")))
	org.do("the queue", chromedp.Navigate(base+"/console/certifications"), chromedp.WaitVisible(chromedp.ID("cert-list")))
	org.shoot("console-certifications", 1280)
	org.shoot("console-certifications-phone", 390)
	org.do("verify",
		chromedp.Click(chromedp.CSS(`#cert-list tr:has(code) td form button.verify`)), // the oldest first: a demo attendee
		chromedp.WaitVisible(chromedp.ID("flash")),
	)
	org.do("find the newcomer", chromedp.Navigate(base+"/console/certifications"), chromedp.WaitVisible(chromedp.ID("cert-list")))
	id := org.eval(`[...document.querySelectorAll("#cert-list tr")].find(r => r.textContent.includes("AWS-JIWON-2026")).dataset.attendee`)
	org.do("verify the newcomer",
		chromedp.Click(chromedp.CSS(`#cert-list tr[data-attendee="`+id+`"] button.verify`)),
		chromedp.WaitVisible(chromedp.ID("flash")),
	)
	org.do("places", chromedp.Navigate(base+"/console/places"), chromedp.WaitVisible(chromedp.ID("place-list")))
	org.shoot("console-places", 1280)

	b.do("lounges after", chromedp.Navigate(base+"/lounges"), chromedp.WaitVisible(chromedp.ID("my-places")))
	if mine := b.text("#my-places"); !strings.Contains(mine, "Certification Lounge") || !strings.Contains(mine, "Quiet Room") {
		t.Fatalf("my places after verification: %q", mine)
	}
	if full := b.eval(`getComputedStyle(document.querySelector('[data-live-place="quiet-room"] [data-full]')).display`); full != "none" {
		t.Fatalf("an empty Quiet Room shows full (display %s)", full)
	}
	// A door scans someone into the Quiet Room: the page shows it full.
	staff := tokens["staff01@demo.lanyard.dev"]
	var me struct{ ID int64 }
	getJSON(t, base+"/api/v1/me", tokens["attendee00001@demo.lanyard.dev"], 200, &me)
	call(t, "POST", base+"/api/v1/door/places/quiet-room/enter", staff, map[string]int64{"attendee_id": me.ID}, nil, 200, nil)
	b.do("the count follows",
		void(chromedp.Evaluate[bool](`document.dispatchEvent(new Event("visibilitychange")), true`)),
		poll(`getComputedStyle(document.querySelector('[data-live-place="quiet-room"] [data-full]')).display != "none"`),
	)
	b.shoot("lounges", 1280)
	b.shoot("lounges-phone", 390)
}
