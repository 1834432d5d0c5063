package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
)

// mailedLink returns the link of the newest message of kind written to
// email in the SQLite database at dbPath: what the mail would carry.
func mailedLink(t *testing.T, dbPath, kind, email string) string {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	events, err := db.FindEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	link := ""
	for _, ev := range events {
		msgs, err := db.Messages(ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if m.Kind == kind && strings.EqualFold(m.Recipient, email) {
				link = m.Params["link"]
			}
		}
	}
	if link == "" {
		t.Fatalf("no %s message to %s", kind, email)
	}
	return link
}

// verifyByMail follows, in the browser, the email verification link
// written for email: a new account may reserve only after it.
func verifyByMail(t *testing.T, ctx context.Context, dbPath, email string) {
	t.Helper()
	link := mailedLink(t, dbPath, lanyard.KindEmailVerification, email)
	if err := chromedp.Do(ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.ID("flash"))); err != nil {
		t.Fatalf("follow %s: %v", link, err)
	}
	got, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("flash")))
	if err != nil || !strings.Contains(got, "confirmed") && !strings.Contains(got, "확인되었습니다") {
		t.Fatalf("after the verification link the page says %q (%v)", got, err)
	}
}

// The sign-up page by invitation only, in both languages; a new account's
// banner until the verification link is followed; an invitation's link
// sets the first password. With LANYARD_SCREENSHOTS=dir it saves them at
// desktop and phone widths.
func TestBrowserRegistration(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium; skipped with -short")
	}
	ctx := newBrowser(t)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "reg.db")
	if code, out, stderr := runCmd(t, "import", "--db", dbPath, sharedData(t, "schedules/fosdem-2026.schedule.xml")); code != 0 {
		t.Fatalf("catalog import: exit %d, %s %s", code, out, stderr)
	}
	base, _ := startCmd(t, "serve", "--db", dbPath, "--addr", "127.0.0.1:0", "--log-level", "warn")
	// Invitations point at the server just started.
	if code, out, stderr := runCmd(t, "attendees", "import", "--db", dbPath, "--map", "name=Teilnehmer", "--invite", "--public-url", base,
		"../../internal/registration/testdata/custom.csv"); code != 0 {
		t.Fatalf("attendees import: exit %d, %s %s", code, out, stderr)
	}
	br := newTab(t, ctx, base)
	// shoot saves the screen at a desktop's and a phone's width.
	shoot := func(name string) {
		t.Helper()
		br.capture(name+"-desktop", 1280, 800)
		br.capture(name+"-phone", 360, 800)
	}

	// Open sign-up: the account starts unverified, and the page says what that means.
	br.do("sign up",
		chromedp.Navigate(base+"/signup"),
		chromedp.WaitVisible(chromedp.ID("signup-form")),
		chromedp.SendKeys(chromedp.ID("name"), "Kim Min-ji"),
		chromedp.SendKeys(chromedp.ID("email"), "minji@example.com"),
		chromedp.SendKeys(chromedp.ID("password"), "sturdy-lantern-41"),
		chromedp.Click(chromedp.ID("signup-submit")),
		chromedp.WaitVisible(chromedp.ID("verify-banner")),
	)
	if got := br.text("#verify-banner"); !strings.Contains(got, "minji@example.com") || !strings.Contains(got, "not reserve") {
		t.Errorf("banner says %q", got)
	}
	shoot("verify-banner-en")
	br.do("korean", chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="ko"]`)), chromedp.WaitVisible(chromedp.ID("verify-banner")))
	if got := br.text("#verify-banner"); !strings.Contains(got, "좌석 예약은 할 수 없습니다") {
		t.Errorf("Korean banner says %q", got)
	}
	shoot("verify-banner-ko")
	br.do("english", chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"]`)), chromedp.WaitVisible(chromedp.ID("verify-banner")))
	verifyByMail(t, ctx, dbPath, "minji@example.com")
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#verify-banner").length`)); err != nil || n != 0 {
		t.Errorf("banner still shown after verification (%d, %v)", n, err)
	}
	br.do("sign out", chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.CSS(`a[href="/signup"]`)))

	// Invitation only: the form is gone, in both languages.
	if code, _, stderr := runCmd(t, "attendees", "import", "--db", dbPath, "--map", "name=Teilnehmer", "--signup-mode", "invitation",
		"../../internal/registration/testdata/custom.csv"); code != 0 {
		t.Fatalf("set mode: %s", stderr)
	}
	br.do("sign-up closed", chromedp.Navigate(base+"/signup"), chromedp.WaitVisible(chromedp.ID("invite-only")))
	if got := br.text("#invite-only"); !strings.Contains(got, "by invitation only") {
		t.Errorf("invitation-only page says %q", got)
	}
	shoot("signup-invite-only-en")
	br.do("korean", chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="ko"]`)), chromedp.WaitVisible(chromedp.ID("invite-only")))
	if got := br.text("#invite-only"); !strings.Contains(got, "초대받은 분만") {
		t.Errorf("Korean invitation-only page says %q", got)
	}
	shoot("signup-invite-only-ko")
	br.do("english", chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"]`)), chromedp.WaitVisible(chromedp.ID("invite-only")))

	// The invitation's link: set the first password, signed in, verified.
	link := mailedLink(t, dbPath, lanyard.KindInvitation, "linus@example.org")
	br.do("invitation", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.ID("newpassword-form")))
	if got := br.text("h1"); got != "Set your password" {
		t.Errorf("invitation page heading %q", got)
	}
	shoot("invite-en")
	br.do("set password",
		chromedp.SendKeys(chromedp.ID("password"), "penguin-kernel-1991"),
		chromedp.Click(chromedp.CSS("#newpassword-form button")),
		chromedp.WaitVisible(chromedp.ID("flash")),
	)
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#verify-banner").length`)); err != nil || n != 0 {
		t.Errorf("an invited attendee who followed the link is shown the verification banner (%d, %v)", n, err)
	}
}
