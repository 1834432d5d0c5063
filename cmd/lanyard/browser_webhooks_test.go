package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// TestBrowserWebhooks: an organizer adds a webhook endpoint in the
// console, reads its secret, sends a test event, and a receiver on
// loopback verifies it with the Standard Webhooks reference library; the
// delivery shows as delivered. English and Korean, desktop and a 360 px
// phone. With LANYARD_SCREENSHOTS=dir it saves each view there.
func TestBrowserWebhooks(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium; skipped with -short")
	}
	ctx := newBrowser(t)
	dir := t.TempDir()
	base, stdout := startCmd(t, "demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "demo.db"), "--attendees", "12",
		"--log-level", "warn", "--webhook-allow-private")
	organizer, _ := consoleLogins(t, stdout.String())
	shots := os.Getenv("LANYARD_SCREENSHOTS")

	var mu sync.Mutex
	var secret string
	var verified []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		v, err := standardwebhooks.NewWebhook(secret)
		if err != nil || v.Verify(body, r.Header) != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var p struct{ Type string }
		json.Unmarshal(body, &p)
		verified = append(verified, p.Type)
		io.WriteString(w, "thanks")
	}))
	defer srv.Close()

	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			body, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
			t.Fatalf("%s: %v\n%.2000s", what, err, body)
		}
	}
	view := func(name string, width int64) {
		t.Helper()
		do("resize", chromedp.EmulateViewport(width, 900), chromedp.Sleep(150*time.Millisecond))
		over, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
		if over > 0 {
			t.Errorf("%s at %d px: the page is %d px wider than the screen", name, width, over)
		}
		if bad, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](unlabelled)); len(bad) > 0 {
			t.Errorf("%s: unnamed for a screen reader: %v", name, bad)
		}
		if shots != "" {
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644)
		}
	}

	do("sign in and open webhooks",
		chromedp.Navigate(base+"/signin"),
		chromedp.WaitVisible(chromedp.ID("signin-form")),
		chromedp.SendKeys(chromedp.ID("email"), organizer),
		chromedp.SendKeys(chromedp.ID("password"), demoPassword),
		chromedp.Click(chromedp.ID("signin-submit")),
		chromedp.WaitVisible(chromedp.ID("dashboard")),
		chromedp.Navigate(base+"/console/webhooks"),
		chromedp.WaitVisible(chromedp.ID("endpoint-form")),
	)
	// A refused address comes back beside the field.
	do("a bad address",
		chromedp.SetValue(chromedp.ID("url"), "ftp://example.com"),
		chromedp.Click(chromedp.CSS(`input[value="reservation.created"]`)),
		chromedp.Click(chromedp.ID("endpoint-add")),
		chromedp.WaitVisible(chromedp.ID("url-error")),
	)
	view("console-webhooks-error-en-phone", 360)
	do("add an endpoint",
		chromedp.EmulateViewport(1280, 900),
		chromedp.SetValue(chromedp.ID("url"), srv.URL+"/hook"),
		chromedp.SendKeys(chromedp.ID("description"), "CRM sync"),
		chromedp.Click(chromedp.CSS(`input[value="attendee.created"]`)),
		chromedp.Click(chromedp.ID("endpoint-add")),
		chromedp.WaitVisible(chromedp.ID("secret")),
		chromedp.Click(chromedp.CSS("#secret summary")),
	)
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("secret-value")))
	if err != nil || !strings.HasPrefix(s, "whsec_") {
		t.Fatalf("secret %q, %v", s, err)
	}
	mu.Lock()
	secret = strings.TrimSpace(s)
	mu.Unlock()
	do("send a test event", chromedp.Click(chromedp.ID("send-test")), chromedp.WaitVisible(chromedp.ID("flash")))
	deadline := time.Now().Add(15 * time.Second)
	for {
		mu.Lock()
		ok := slices.Contains(verified, "webhook.test")
		mu.Unlock()
		if ok || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	mu.Lock()
	got := strings.Join(verified, ",")
	mu.Unlock()
	if got != "webhook.test" {
		t.Fatalf("the receiver verified %q, want webhook.test", got)
	}
	do("the delivery is delivered", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#delivery-list tr[data-state="sent"]`)),
		chromedp.Click(chromedp.CSS(`#delivery-list a`)), chromedp.WaitVisible(chromedp.ID("attempt-log")))
	if log, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("attempt-log"))); !strings.Contains(log, "200") || !strings.Contains(log, "thanks") {
		t.Errorf("delivery log %q", log)
	}
	view("console-webhook-en-desktop", 1280)
	view("console-webhook-en-phone", 360)
	do("Korean", chromedp.Click(chromedp.ID("lang-switch")), chromedp.Sleep(500*time.Millisecond),
		poll(`document.documentElement.lang === "ko"`), chromedp.WaitVisible(chromedp.ID("send-test")))
	if got, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("send-test"))); strings.TrimSpace(got) != "테스트 이벤트 보내기" {
		t.Errorf("Korean button %q", got)
	}
	view("console-webhook-ko-phone", 360)
	do("Korean list", chromedp.Navigate(base+"/console/webhooks"), chromedp.WaitVisible(chromedp.ID("endpoint-list")))
	view("console-webhooks-ko-desktop", 1280)
	view("console-webhooks-ko-phone", 360)
}
