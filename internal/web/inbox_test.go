package web_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// promote gives waiter the one seat of C: holder reserves it, waiter waits,
// holder cancels, and the engine promotes waiter (a waitlist_promoted
// message, by mail and in the app, written with the batch).
func (e *env) promote(holder, waiter int64) {
	e.t.Helper()
	ctx := context.Background()
	e.reserve(holder, "C")
	if r, err := e.eng.JoinWaitlist(ctx, waiter, "C", ""); err != nil || r.Outcome != lanyard.OutcomeWaitlisted {
		e.t.Fatalf("join waitlist: %+v, %v", r, err)
	}
	if _, err := e.eng.Cancel(ctx, holder, "C", ""); err != nil {
		e.t.Fatal(err)
	}
}

var unreadRe = regexp.MustCompile(`<span class="unread" id="unread-count" data-live="/live/inbox"( hidden)?><span aria-hidden="true">(\d+)</span>`)

// unreadIn returns the header's unread count, or -1 when it is hidden.
func unreadIn(t *testing.T, body string) int {
	t.Helper()
	m := unreadRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no unread count in the header:\n%.2000s", body)
	}
	if m[1] != "" {
		return -1
	}
	n := 0
	for _, c := range m[2] {
		n = n*10 + int(c-'0')
	}
	return n
}

func TestInboxPage(t *testing.T) {
	e := newEnv(t)
	ada := e.attendee("Ada", "ada@example.com")
	bo := e.attendee("Bo", "bo@example.com")
	e.promote(ada.ID, bo.ID)
	ca, cb := e.signIn("ada@example.com"), e.signIn("bo@example.com")

	if got, want := unreadIn(t, cb.get("/agenda").body), 1; got != want {
		t.Errorf("Bo's header count=%d, want %d", got, want)
	}
	if got, want := unreadIn(t, ca.get("/agenda").body), -1; got != want {
		t.Errorf("Ada's header count=%d, want hidden (%d)", got, want)
	}

	// Ada never sees Bo's notification.
	if r := ca.get("/notifications"); r.status != http.StatusOK || !strings.Contains(r.body, `id="inbox-empty"`) || strings.Contains(r.body, "Kubernetes") {
		t.Errorf("Ada's notifications: %d\n%s", r.status, r.text())
	}
	// Nor does viewing hers mark Bo's read.
	if got, want := unreadIn(t, cb.get("/agenda").body), 1; got != want {
		t.Errorf("Bo's count after Ada viewed hers=%d, want %d", got, want)
	}

	// Bo's page lists it as new, with its link, then marks it read.
	r := cb.get("/notifications")
	if r.status != http.StatusOK {
		t.Fatalf("GET /notifications: %d\n%s", r.status, r.text())
	}
	for _, want := range []string{`class="notice unread-notice"`, `<a href="/agenda">A waitlist gave you a seat in C Kubernetes whiteboard</a>`, "<time datetime="} {
		if !strings.Contains(r.body, want) {
			t.Errorf("Bo's notifications lack %q:\n%s", want, r.text())
		}
	}
	if got, want := unreadIn(t, r.body), -1; got != want {
		t.Errorf("count on the notifications page=%d, want hidden: viewing marks read", got)
	}
	// In Korean, read now.
	cb.setCookie("lang", "ko")
	r = cb.get("/notifications")
	for _, want := range []string{"대기자 명단에서 C Kubernetes whiteboard 좌석이 확보되었습니다", `<html lang="ko">`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("Korean notifications lack %q:\n%s", want, r.text())
		}
	}
	if strings.Contains(r.body, "unread-notice") {
		t.Errorf("a read notification is still marked new:\n%s", r.text())
	}

	// No URL shows Bo's to Ada: the page takes no attendee, and paging
	// from any ID lists only her own.
	for _, path := range []string{"/notifications?before=999999", "/notifications?attendee=" + fmt.Sprint(bo.ID)} {
		if r := ca.get(path); strings.Contains(r.body, "Kubernetes") {
			t.Errorf("Ada sees Bo's notification at %s", path)
		}
	}

	// Bad paging and anonymous visitors.
	if r := cb.get("/notifications?before=x"); r.status != http.StatusBadRequest {
		t.Errorf("?before=x: %d, want 400", r.status)
	}
	if r := e.client().get("/notifications"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/signin") {
		t.Errorf("anonymous GET /notifications: %d to %q, want 303 to /signin", r.status, r.location())
	}
	if r := e.client().post("/settings/notifications", url.Values{"notify_announcement": {"mail"}}); r.status != http.StatusUnauthorized {
		t.Errorf("anonymous POST /settings/notifications: %d, want 401", r.status)
	}
}

func TestInboxPaging(t *testing.T) {
	e := newEnv(t)
	ada := e.attendee("Ada", "ada@example.com")
	bo := e.attendee("Bo", "bo@example.com")
	for range 25 {
		e.promote(ada.ID, bo.ID)
		if _, err := e.eng.Cancel(context.Background(), bo.ID, "C", ""); err != nil {
			t.Fatal(err)
		}
	}
	cb := e.signIn("bo@example.com")
	if got, want := unreadIn(t, cb.get("/agenda").body), 25; got != want {
		t.Errorf("count=%d, want %d", got, want)
	}
	r := cb.get("/notifications")
	if got, want := strings.Count(r.body, `<li id="n`), 20; got != want {
		t.Errorf("%d on the first page, want %d", got, want)
	}
	older := regexp.MustCompile(`href="(/notifications\?before=\d+)" id="older"`).FindStringSubmatch(r.body)
	if older == nil {
		t.Fatalf("no link to older notifications:\n%s", r.text())
	}
	r = cb.get(older[1])
	if got, want := strings.Count(r.body, `<li id="n`), 5; got != want {
		t.Errorf("%d on the second page, want %d", got, want)
	}
	if strings.Contains(r.body, `id="older"`) {
		t.Errorf("the last page links to older ones")
	}
}

// TestInboxLive: the unread count streams to the attendee's own pages; a
// message to Bo reaches Bo's stream and not Ada's.
func TestInboxLive(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go e.h.Run(ctx)
	ada := e.attendee("Ada", "ada@example.com")
	bo := e.attendee("Bo", "bo@example.com")
	ca, cb := e.signIn("ada@example.com"), e.signIn("bo@example.com")

	stream := func(c *client) <-chan string {
		req, _ := http.NewRequestWithContext(ctx, "GET", e.srv.URL+"/live/inbox", nil)
		hc := *c.hc
		hc.Timeout = 0
		res, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := res.Header.Get("Content-Type"), "text/event-stream"; got != want {
			t.Fatalf("Content-Type=%q, want %q", got, want)
		}
		out := make(chan string, 16)
		go func() {
			defer res.Body.Close()
			sc := bufio.NewScanner(res.Body)
			event := ""
			for sc.Scan() {
				line := sc.Text()
				if v, ok := strings.CutPrefix(line, "event: "); ok {
					event = v
				}
				if v, ok := strings.CutPrefix(line, "data: "); ok && event == "unread" {
					out <- v
				}
			}
			close(out)
		}()
		return out
	}
	next := func(name string, ch <-chan string) string {
		t.Helper()
		select {
		case v := <-ch:
			return v
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: no unread event", name)
		}
		return ""
	}
	sa, sb := stream(ca), stream(cb)
	if got, want := next("Ada", sa), "0"; got != want {
		t.Errorf("Ada's first count=%s, want %s", got, want)
	}
	if got, want := next("Bo", sb), "0"; got != want {
		t.Errorf("Bo's first count=%s, want %s", got, want)
	}
	e.promote(ada.ID, bo.ID)
	if got, want := next("Bo", sb), "1"; got != want {
		t.Errorf("Bo's count after the promotion=%s, want %s", got, want)
	}
	select {
	case v := <-sa:
		t.Errorf("Ada's stream got %q from Bo's promotion", v)
	case <-time.After(1500 * time.Millisecond):
	}

	if r := e.client().get("/live/inbox"); r.status != http.StatusUnauthorized {
		t.Errorf("anonymous /live/inbox: %d, want 401", r.status)
	}
	forged := e.client()
	forged.setCookie("lanyard_session", "not-a-session")
	if r := forged.get("/live/inbox"); r.status != http.StatusUnauthorized {
		t.Errorf("/live/inbox with a forged cookie: %d, want 401", r.status)
	}
}

func TestNotificationChoices(t *testing.T) {
	e := newEnv(t)
	ada := e.attendee("Ada", "ada@example.com")
	bo := e.attendee("Bo", "bo@example.com")
	e.promote(ada.ID, bo.ID)
	cb := e.signIn("bo@example.com")

	r := cb.get("/settings")
	for _, want := range []string{`id="notifications"`, `name="notify_waitlist_promoted" value="both" checked`, `name="notify_announcement" value="both" checked`,
		// The reminders are a choice like the others (both by default).
		`name="notify_meetup_reminder" value="both" checked`, `name="notify_contact_followup" value="both" checked`,
		"Reminders of my meetups, 30 minutes before", "Reminders to follow up with a contact"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("settings lack %q:\n%s", want, r.text())
		}
	}
	if strings.Contains(r.body, "notify_password_reset") {
		t.Errorf("password reset mail is offered a choice")
	}

	form := url.Values{"notify_waitlist_promoted": {"mail"}, "notify_wave_released": {"app"}, "notify_session_changed": {"both"}, "notify_announcement": {"both"}, "notify_line_called": {"both"},
		"notify_meetup_reminder": {"app"}, "notify_contact_followup": {"mail"}, "notify_party_cancelled": {"both"}}
	if got, want := cb.postOK("/settings/notifications", form, "/settings#notifications"), "Notification choices saved."; got != want {
		t.Errorf("flash=%q, want %q", got, want)
	}
	r = cb.get("/settings")
	for _, want := range []string{`name="notify_waitlist_promoted" value="mail" checked`, `name="notify_wave_released" value="app" checked`,
		`name="notify_meetup_reminder" value="app" checked`, `name="notify_contact_followup" value="mail" checked`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("saved settings lack %q:\n%s", want, r.text())
		}
	}
	// Promotions by mail alone: not counted, not listed in the app.
	if got, want := unreadIn(t, r.body), -1; got != want {
		t.Errorf("count with promotions by mail only=%d, want hidden", got)
	}
	if r := cb.get("/notifications"); strings.Contains(r.body, "Kubernetes") {
		t.Errorf("a promotion chosen by mail only is listed in the app:\n%s", r.text())
	}

	// A bad choice saves nothing and says why beside the form.
	bad := url.Values{"notify_waitlist_promoted": {"both"}, "notify_wave_released": {"pigeon"}, "notify_session_changed": {"both"}, "notify_announcement": {"both"}, "notify_line_called": {"both"},
		"notify_meetup_reminder": {"both"}, "notify_contact_followup": {"both"}, "notify_party_cancelled": {"both"}}
	r = cb.post("/settings/notifications", bad)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="notify-error"`) {
		t.Errorf("bad choice: %d\n%s", r.status, r.text())
	}
	if r := cb.get("/settings"); !strings.Contains(r.body, `name="notify_waitlist_promoted" value="mail" checked`) ||
		!strings.Contains(r.body, `name="notify_meetup_reminder" value="app" checked`) {
		t.Errorf("a refused form changed the saved choices:\n%s", r.text())
	}
}
