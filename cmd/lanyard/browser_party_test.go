package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserParty drives the parties' pages in Chromium against the demo:
// the sample attendee finds their table at the seated dinner; a newcomer
// RSVPs to the dinner with a dietary need, the organizer seats the dinner
// again, and the newcomer sees their table and who sits with them. Pages
// are checked at phone width (nothing wider than the screen, every field
// named). Then the organizer cancels the community party, in Korean, at
// phone width: a confirmation page, the list without it, and its guest's
// notification.
func TestBrowserParty(t *testing.T) {
	dir := t.TempDir()
	base, stdout := startCmd(t, "demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "demo.db"), "--attendees", "20", "--log-level", "warn")
	m := regexp.MustCompile(`Sign in\s+(\S+) with the password`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("no sample attendee in the banner:\n%s", stdout.String())
	}
	sample := m[1]

	// The sample attendee is already seated at the demo's dinner.
	s := newTab(t, newBrowser(t), base)
	s.signIn(sample, demoPassword, chromedp.WaitVisible(chromedp.ID("signout")))
	s.do("parties", chromedp.Navigate(base+"/parties"), chromedp.WaitVisible(chromedp.ID("party-list")))
	if got := s.text("#my-table-builders-dinner"); !strings.HasPrefix(got, "Your table: ") {
		t.Fatalf("the sample's table on the list: %q", got)
	}
	s.do("the dinner", chromedp.Navigate(base+"/parties/builders-dinner"), chromedp.WaitVisible(chromedp.ID("party-my-table")))
	s.shoot("party-dinner-seated", 390)

	// A newcomer RSVPs.
	b := newTab(t, newBrowser(t), base)
	b.signUp("Kim Min-jun", "minjun@example.com", "Asia/Seoul", "a long enough password")
	b.do("rsvp",
		chromedp.Navigate(base+"/parties"),
		chromedp.WaitVisible(chromedp.ID("party-list")),
		chromedp.Click(chromedp.CSS(`#party-builders-dinner a`)),
		chromedp.WaitVisible(chromedp.ID("party-rsvp")),
		chromedp.Click(chromedp.CSS(`#party-rsvp input[value="ko"]`)),
		chromedp.SendKeys(chromedp.ID("party-dietary"), "no pork"),
		chromedp.Click(chromedp.ID("party-rsvp-button")),
		chromedp.WaitVisible(chromedp.ID("party-you")),
	)
	b.shoot("party-rsvp", 390)
	if b.eval(`document.getElementById("party-my-table") ? "seated" : ""`) != "" {
		t.Fatal("a newcomer has a table before seating")
	}

	// The organizer seats the dinner again.
	org := newTab(t, newBrowser(t), base)
	org.signIn("organizer@demo.lanyard.dev", demoPassword, chromedp.WaitVisible(chromedp.ID("signout")))
	org.do("seat",
		chromedp.Navigate(base+"/parties/builders-dinner"),
		chromedp.WaitVisible(chromedp.ID("party-seat")),
		chromedp.Click(chromedp.CSS(`#party-seat button`)),
		// The page after the post says so; the old page had the cards link too.
		chromedp.WaitVisible(chromedp.ID("flash")),
		chromedp.WaitVisible(chromedp.ID("party-cards")),
	)
	if got := org.text("#party-guests"); !strings.Contains(got, "Kim Min-jun") || !strings.Contains(got, "no pork") {
		t.Fatalf("the guest list: %q", got)
	}
	org.shoot("party-host", 1280)

	b.do("my table", chromedp.Navigate(base+"/parties/builders-dinner"), chromedp.WaitVisible(chromedp.ID("party-my-table")))
	if got := b.text("#party-my-table h2"); !strings.HasPrefix(got, "Your table: ") {
		t.Fatalf("the newcomer's table: %q", got)
	}
	b.shoot("party-my-table", 390)

	// The newcomer says yes to the community party too; the organizer
	// cancels it in Korean on a phone.
	b.do("rsvp party", chromedp.Navigate(base+"/parties/community-party"), chromedp.WaitVisible(chromedp.ID("party-rsvp")),
		chromedp.Click(chromedp.ID("party-rsvp-button")), chromedp.WaitVisible(chromedp.ID("party-you")))
	org.do("korean", chromedp.Navigate(base+"/parties/community-party"), chromedp.WaitVisible(chromedp.ID("party-cancel-party")),
		chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="ko"]`)))
	org.do("cancel", chromedp.Navigate(base+"/parties/community-party"), chromedp.WaitVisible(chromedp.ID("party-cancel-party")),
		chromedp.Click(chromedp.ID("party-cancel-party")), chromedp.WaitVisible(chromedp.ID("party-cancel-confirm")))
	if got := org.text("#party-cancel-effects"); !strings.Contains(got, "손님 1명") {
		t.Errorf("the confirmation in Korean: %q", got)
	}
	org.shoot("party-cancel-confirm-ko", 390)
	org.do("confirm", chromedp.Click(chromedp.ID("party-cancel-party-confirm")), chromedp.WaitVisible(chromedp.ID("party-list")), chromedp.WaitVisible(chromedp.ID("flash")))
	if org.eval(`document.getElementById("party-community-party") ? "listed" : ""`) != "" {
		t.Error("the cancelled party is still listed")
	}
	if got := org.text("#flash"); !strings.Contains(got, "취소되었습니다") {
		t.Errorf("the flash in Korean: %q", got)
	}
	org.shoot("party-cancelled-list-ko", 390)
	b.do("notified", chromedp.Navigate(base+"/notifications"), chromedp.WaitVisible(chromedp.CSS("main")))
	if got := b.text("main"); !strings.Contains(got, "Community party is cancelled by its host") {
		t.Errorf("the guest's notifications: %q", got)
	}
	b.do("cancelled page", chromedp.Navigate(base+"/parties/community-party"), chromedp.WaitVisible(chromedp.ID("party-cancelled")))
	b.shoot("party-cancelled-page", 390)
}
