package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
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
	br := newTab(t, ctx, base)

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

	br.signIn(organizer, demoPassword,
		chromedp.WaitVisible(chromedp.ID("dashboard")),
		chromedp.Navigate(base+"/console/webhooks"),
		chromedp.WaitVisible(chromedp.ID("endpoint-form")),
	)
	// A refused address comes back beside the field.
	br.do("a bad address",
		chromedp.SetValue(chromedp.ID("url"), "ftp://example.com"),
		chromedp.Click(chromedp.CSS(`input[value="reservation.created"]`)),
		chromedp.Click(chromedp.ID("endpoint-add")),
		chromedp.WaitVisible(chromedp.ID("url-error")),
	)
	br.shoot("console-webhooks-error-en-phone", 360)
	br.do("add an endpoint",
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
	br.do("send a test event", chromedp.Click(chromedp.ID("send-test")), chromedp.WaitVisible(chromedp.ID("flash")))
	deadline := time.Now().Add(time.Minute)
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
	br.do("the delivery is delivered", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#delivery-list tr[data-state="sent"]`)),
		chromedp.Click(chromedp.CSS(`#delivery-list a`)), chromedp.WaitVisible(chromedp.ID("attempt-log")))
	if log, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("attempt-log"))); !strings.Contains(log, "200") || !strings.Contains(log, "thanks") {
		t.Errorf("delivery log %q", log)
	}
	br.shoot("console-webhook-en-desktop", 1280)
	br.shoot("console-webhook-en-phone", 360)
	br.do("Korean", chromedp.Click(chromedp.ID("lang-switch")), chromedp.Sleep(500*time.Millisecond),
		poll(`document.documentElement.lang === "ko"`), chromedp.WaitVisible(chromedp.ID("send-test")))
	if got, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("send-test"))); strings.TrimSpace(got) != "테스트 이벤트 보내기" {
		t.Errorf("Korean button %q", got)
	}
	br.shoot("console-webhook-ko-phone", 360)
	br.do("Korean list", chromedp.Navigate(base+"/console/webhooks"), chromedp.WaitVisible(chromedp.ID("endpoint-list")))
	br.shoot("console-webhooks-ko-desktop", 1280)
	br.shoot("console-webhooks-ko-phone", 360)
}
