package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Without --smtp-url, serve says mail is not sent and has no mailbox
// page; the demo keeps mail in a local mailbox where a newcomer follows
// their reset link.
func TestMailWithoutSMTP(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	base, stdout := startCmd(t, "demo", "--db", db, "--attendees", "5", "--addr", "127.0.0.1:0", "--tokens", filepath.Join(dir, "tokens.csv"))
	if !strings.Contains(stdout.String(), base+"/mailbox") {
		t.Errorf("the demo banner does not point to the mailbox:\n%s", stdout.String())
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest("POST", base+"/reset", strings.NewReader(url.Values{"email": {"attendee00001@demo.lanyard.dev"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if resp, err := client.Do(req); err != nil || resp.StatusCode >= 400 {
		t.Fatalf("POST /reset: %v %v", resp, err)
	}
	get := func(u string) (int, string) {
		resp, err := client.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, list := get(base + "/mailbox?to=attendee00001@demo.lanyard.dev")
	open := regexp.MustCompile(`href="(/mailbox/\d+)\?`).FindStringSubmatch(list)
	if code != 200 || open == nil {
		t.Fatalf("GET /mailbox: %d, no mail to the attendee:\n%s", code, list)
	}
	_, mail := get(base + open[1])
	link := regexp.MustCompile(`<a href="(http://[^"]+/reset/[^"]+)">`).FindStringSubmatch(mail)
	if link == nil {
		t.Fatalf("the reset mail has no clickable reset link:\n%s", mail)
	}
	if code, _ := get(link[1]); code != 200 {
		t.Errorf("following the reset link: %d, want the new-password form", code)
	}
}

func TestServeWithoutSMTPWarns(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "serve.db")
	if code, _, stderr := runCmd(t, "demo", "--db", db, "--attendees", "5", "--serve=false", "--tokens", filepath.Join(dir, "tokens.csv")); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, noEnv, &stdout, &stderr)
	}()
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(30 * time.Second)
	var m []string
	for m == nil && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		m = urlRE.FindStringSubmatch(stdout.String())
	}
	if m == nil {
		t.Fatalf("serve did not start: %s", stderr.String())
	}
	if !strings.Contains(stderr.String(), "mail is not being sent") {
		t.Errorf("serve without --smtp-url did not say mail is not sent; log:\n%s", stderr.String())
	}
	resp, err := http.Get(m[1] + "/mailbox")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /mailbox on serve: %d, want 404 (it shows everyone's mail)", resp.StatusCode)
	}
}
