package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/emersion/go-smtp"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/lanyardhq/lanyard/internal/mail/mailtest"
)

// organizerJourney is the organizer's end-to-end run of the event against
// a demo that sends its mail to an in-process SMTP server. Each step is a
// method, so later steps (a session's time changed, a webhook receiver)
// append to TestBrowserOrganizerJourney.
type organizerJourney struct {
	t    *testing.T
	base string
	smtp *mailtest.Server
	dir  string
	// org is the organizer's browser; guest a second profile (its own
	// cookies) for an attendee.
	org, guest *tab
	vegas      *time.Location
	// What earlier steps found.
	organizer string
	invited   string // an imported attendee's email
	keynote   agendaSession
	// hooks receives the event's webhooks and keeps the types of those
	// whose signature the reference library verifies.
	hooks *hookReceiver
	log   *lockedBuffer // the server's log, shown when a step fails
}

// hookReceiver is a webhook endpoint on loopback that verifies each
// delivery with the Standard Webhooks reference library.
type hookReceiver struct {
	srv      *httptest.Server
	mu       sync.Mutex
	secret   string
	verified []string // event types, in arrival order
	refused  int
}

func newHookReceiver(t *testing.T) *hookReceiver {
	h := &hookReceiver{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		defer h.mu.Unlock()
		v, err := standardwebhooks.NewWebhook(h.secret)
		if err != nil || v.Verify(body, r.Header) != nil {
			h.refused++
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var p struct{ Type string }
		json.Unmarshal(body, &p)
		h.verified = append(h.verified, p.Type)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

// await waits until a verified delivery of type typ has arrived.
func (h *hookReceiver) await(t *testing.T, typ string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		h.mu.Lock()
		got, refused := slices.Clone(h.verified), h.refused
		h.mu.Unlock()
		if slices.Contains(got, typ) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no verified %s webhook within %s; verified %q, %d refused for their signature", typ, within, got, refused)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func newOrganizerJourney(t *testing.T) *organizerJourney {
	t.Helper()
	j := &organizerJourney{t: t, dir: t.TempDir(), smtp: mailtest.Start(t)}
	// One mailbox refuses its first mail for good (550): the organizer
	// sees it among the mail problems and sends it again.
	var refused atomic.Bool
	j.smtp.Refuse = func(_ int, to string) *smtp.SMTPError {
		if strings.EqualFold(to, refusedAddr) && refused.CompareAndSwap(false, true) {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "mailbox unavailable"}
		}
		return nil
	}
	// The webhook receiver is on loopback, which lanyard refuses to call
	// unless told otherwise. Info logs say when a mail is retried.
	j.base, j.log = startCmd(t, "demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(j.dir, "demo.db"), "--attendees", "12",
		"--log-level", "info", "--smtp-url", j.smtp.URL(), "--webhook-allow-private")
	j.organizer, _ = consoleLogins(t, j.log.String())
	var err error
	if j.vegas, err = time.LoadLocation("America/Los_Angeles"); err != nil {
		t.Fatal(err)
	}
	// The browser last: its five minutes start now.
	org := newBrowser(t)
	guest, cancel := chromedp.NewContext(org, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	j.org, j.guest = newTab(t, org, j.base), newTab(t, guest, j.base)
	return j
}

// refusedAddr is the imported attendee whose mailbox refuses the first
// mail.
const refusedAddr = "luis@example.es"

func jsString(s string) string { return fmt.Sprintf("%q", s) }

// mailTo waits for mail to addr whose text contains want, and returns
// its text (every text part, decoded).
func (j *organizerJourney) mailTo(addr, want string, within time.Duration) string {
	j.t.Helper()
	deadline := time.Now().Add(within)
	for {
		for _, m := range j.smtp.Received() {
			if !strings.EqualFold(m.To, addr) {
				continue
			}
			if s := mailText(j.t, m.Raw); strings.Contains(s, want) {
				return s
			}
		}
		if time.Now().After(deadline) {
			var got []string
			for _, m := range j.smtp.Received() {
				got = append(got, m.To+": "+m.Header.Get("Subject"))
			}
			j.t.Fatalf("no mail to %s saying %q within %s; the SMTP server has: %q\nthe last messages:\n%s\nthe server's log:\n%s",
				addr, want, within, got, j.lastMessages(), j.log.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// lastMessages lists the newest rows of the messages table: what was
// written, and where its delivery stands.
func (j *organizerJourney) lastMessages() string {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(j.dir, "demo.db")+"?mode=ro")
	if err != nil {
		return err.Error()
	}
	defer db.Close()
	rows, err := db.Query(`SELECT id, kind, by_mail, in_app, recipient, attendee_id, state, attempts, next_attempt_at, last_error
		FROM messages ORDER BY id DESC LIMIT 12`)
	if err != nil {
		return err.Error()
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var (
			id, attempts                   int64
			kind, to, state, next, lastErr string
			byMail, inApp                  bool
			attendee                       sql.NullInt64
		)
		var nextAt sql.NullString
		if err := rows.Scan(&id, &kind, &byMail, &inApp, &to, &attendee, &state, &attempts, &nextAt, &lastErr); err != nil {
			return err.Error()
		}
		next = nextAt.String
		fmt.Fprintf(&b, "%d %s mail=%t app=%t to=%q attendee=%d %s attempts=%d next=%s err=%q\n", id, kind, byMail, inApp, to, attendee.Int64, state, attempts, next, lastErr)
	}
	return b.String()
}

// mailText decodes a message's subject and text parts.
func mailText(t *testing.T, raw []byte) string {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read mail: %v", err)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	var out strings.Builder
	out.WriteString(subject + "\n")
	var walk func(ct string, r io.Reader)
	walk = func(ct string, r io.Reader) {
		mt, params, _ := mime.ParseMediaType(ct)
		if strings.HasPrefix(mt, "multipart/") {
			mr := multipart.NewReader(r, params["boundary"])
			for {
				p, err := mr.NextPart() // decodes quoted-printable
				if err != nil {
					return
				}
				walk(p.Header.Get("Content-Type"), p)
			}
		}
		if mt == "text/plain" || mt == "" {
			b, _ := io.ReadAll(r)
			out.Write(b)
		}
	}
	walk(m.Header.Get("Content-Type"), m.Body)
	return out.String()
}

// signIn: the organizer signs in with the demo's printed account and
// lands on the console.
func (j *organizerJourney) signIn() {
	j.t.Helper()
	j.org.signIn(j.organizer, demoPassword, chromedp.WaitVisible(chromedp.ID("dashboard")))
	if n, _ := chromedp.Run(j.org.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#verify-banner").length`)); n != 0 {
		j.t.Error("the demo's organizer is asked to confirm a made-up address")
	}
}

// importFile uploads a file on the import page, checks the dry run's new
// attendees, and imports it with invitations. shoot names the
// screenshots of the preview ("" for none).
func (j *organizerJourney) importFile(name, content string, created int, shoot string) {
	j.t.Helper()
	path := filepath.Join(j.dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		j.t.Fatal(err)
	}
	j.org.do("upload "+name,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(j.base+"/console/import"),
		chromedp.WaitVisible(chromedp.ID("upload-form")),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{path}),
		chromedp.Click(chromedp.ID("upload-submit")),
		chromedp.WaitVisible(chromedp.ID("import-counts")),
	)
	want := fmt.Sprintf("%d new attendee", created)
	if got := j.org.text("#count-created"); !strings.HasPrefix(got, want) {
		j.t.Errorf("%s: the dry run says %q, want %q", name, got, want)
	}
	if got := j.org.text("#count-refused"); got != "0 refused" {
		j.t.Errorf("%s: %q", name, got)
	}
	if shoot != "" {
		j.org.shoot(shoot+"-desktop", 1280)
		j.org.shoot(shoot+"-tablet", 800)
	}
	j.org.do("import "+name,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Click(chromedp.ID("invite")),
		chromedp.Click(chromedp.ID("apply")),
		chromedp.WaitVisible(chromedp.ID("flash")),
	)
	if got, want := j.org.text("#flash"), fmt.Sprintf("Imported: %d new", created); !strings.HasPrefix(got, want) {
		j.t.Errorf("after importing %s: %q, want %q…", name, got, want)
	}
}

// acceptInvitation: the invited attendee's mail arrives; its link sets a
// password and signs them in (in the guest browser).
func (j *organizerJourney) acceptInvitation() {
	j.t.Helper()
	body := j.mailTo(j.invited, "/invite/", 30*time.Second)
	link := regexp.MustCompile(`https?://\S+/invite/[A-Za-z0-9_-]+`).FindString(body)
	if link == "" || !strings.HasPrefix(link, j.base) {
		j.t.Fatalf("the invitation's link %q is not on %s:\n%s", link, j.base, body)
	}
	j.guest.do("follow the invitation",
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.ID("newpassword-form")),
		chromedp.SendKeys(chromedp.ID("password"), "orchid-harbour-2026"),
		chromedp.Click(chromedp.CSS("#newpassword-form button")),
		chromedp.WaitVisible(chromedp.ID("flash")),
	)
	if n, _ := chromedp.Run(j.guest.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#verify-banner").length`)); n != 0 {
		j.t.Error("the invited attendee must still verify their email: the invitation's link should prove it")
	}
}

// openWave: the organizer opens a wave on a keynote in the console: every
// seat left is held back until the next whole minute at least 40 s away,
// so the keynote is full until then.
func (j *organizerJourney) openWave() time.Time {
	j.t.Helper()
	var keynotes struct{ Sessions []agendaSession }
	getJSON(j.t, j.base+"/api/v1/sessions?type=keynote&limit=50", "", 200, &keynotes)
	for _, s := range keynotes.Sessions {
		if s.Reservable && !s.Start.IsZero() && s.SeatsLeft > 0 && s.Start.After(time.Now().Add(24*time.Hour)) {
			j.keynote = s
			break
		}
	}
	if j.keynote.Code == "" {
		j.t.Fatal("the demo has no keynote with seats")
	}
	release := time.Now().Add(40 * time.Second).Truncate(time.Minute).Add(time.Minute)
	j.org.do("open a wave",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(j.base+"/console/setup"),
		chromedp.WaitVisible(chromedp.ID("wave-form")),
		chromedp.SendKeys(chromedp.ID("wave_session"), j.keynote.Code),
		chromedp.SendKeys(chromedp.ID("wave_seats"), fmt.Sprint(j.keynote.SeatsLeft)),
		chromedp.SetValue(chromedp.ID("wave_at"), release.In(j.vegas).Format("2006-01-02T15:04")),
		chromedp.Click(chromedp.ID("wave-add")),
		chromedp.WaitVisible(chromedp.ID("flash")),
	)
	if got := j.org.text("#flash"); got != "Wave added." {
		j.t.Fatalf("after adding the wave: %q", got)
	}
	var s agendaSession
	getJSON(j.t, j.base+"/api/v1/sessions/"+j.keynote.Code, "", 200, &s)
	if s.SeatsLeft != 0 {
		j.t.Fatalf("%s has %d seats left after the wave; want it full", s.Code, s.SeatsLeft)
	}
	return release
}

// joinWaitlist: the invited attendee finds the keynote full and joins its
// waitlist, first in line.
func (j *organizerJourney) joinWaitlist() {
	j.t.Helper()
	sel := `[data-reserve="` + j.keynote.Code + `"]`
	j.guest.do("join the keynote's waitlist",
		chromedp.Navigate(j.base+"/sessions/"+j.keynote.Code),
		chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Click(chromedp.CSS(sel)),
		chromedp.WaitVisible(chromedp.ID("flash")),
	)
	if got := j.guest.text("#flash"); !strings.Contains(strings.ToLower(got), "waitlist") {
		j.t.Errorf("after joining the waitlist the page says %q", got)
	}
}

// awaitPromotion: at the wave's release the first waiter gets a seat;
// their mail arrives at the SMTP server and the notice is in their app.
func (j *organizerJourney) awaitPromotion(release time.Time) {
	j.t.Helper()
	j.mailTo(j.invited, j.keynote.Code, time.Until(release)+30*time.Second)
	j.guest.do("open notifications", chromedp.Navigate(j.base+"/notifications"), chromedp.WaitVisible(chromedp.ID("notices")))
	if got := j.guest.text("#notices"); !strings.Contains(got, j.keynote.Code) {
		j.t.Errorf("the notifications do not name %s: %q", j.keynote.Code, got)
	}
	j.guest.do("open the agenda", chromedp.Navigate(j.base+"/agenda"), chromedp.WaitVisible(chromedp.ID("main")))
	if n, _ := chromedp.Run(j.guest.ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-session="`+j.keynote.Code+`"], a[href="/sessions/`+j.keynote.Code+`"]').length`)); n == 0 {
		j.t.Errorf("the agenda does not hold %s after the promotion", j.keynote.Code)
	}
}

// mailProblems: the invitation the SMTP server refused for good shows on
// the console's mail problems page (in English and Korean, the import page
// too); the organizer sends it again, and it arrives.
func (j *organizerJourney) mailProblems() {
	j.t.Helper()
	row := `#mail-failed tr[data-message]`
	// The dispatcher marks it failed within a second or two of sending.
	for tries := 0; ; tries++ {
		j.org.do("open the mail problems", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(j.base+"/console/mail"), chromedp.WaitVisible(chromedp.ID("mail")))
		if n, _ := chromedp.Run(j.org.ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+jsString(row)+`).length`)); n > 0 {
			break
		}
		if tries == 40 {
			j.t.Fatal("the refused invitation never shows among the mail problems")
		}
		time.Sleep(500 * time.Millisecond)
	}
	got := j.org.text(row)
	for _, want := range []string{refusedAddr, "Invitation", "550"} {
		if !strings.Contains(got, want) {
			j.t.Errorf("the failed mail's row %q lacks %q", got, want)
		}
	}
	j.org.shoot("organizer-mail-en-desktop", 1280)
	j.org.shoot("organizer-mail-en-tablet", 800)

	j.org.do("switch to Korean",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Click(chromedp.ID("lang-switch")),
		chromedp.Sleep(500*time.Millisecond),
		poll(`document.documentElement.lang === "ko"`),
		chromedp.WaitVisible(chromedp.CSS(row)),
	)
	if got := j.org.text("h1"); got != "메일 문제" {
		j.t.Errorf("Korean mail title %q", got)
	}
	if got := j.org.text(row); !strings.Contains(got, "초대") {
		j.t.Errorf("the Korean row %q does not name the invitation in Korean", got)
	}
	j.org.shoot("organizer-mail-ko-desktop", 1280)
	j.org.shoot("organizer-mail-ko-tablet", 800)
	j.org.do("Korean import page", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(j.base+"/console/import"), chromedp.WaitVisible(chromedp.ID("upload-form")))
	if got := j.org.text("h1"); got != "참가자 가져오기" {
		j.t.Errorf("Korean import title %q", got)
	}
	j.org.shoot("organizer-import-ko-desktop", 1280)
	j.org.shoot("organizer-import-ko-tablet", 800)
	j.org.do("back to English", chromedp.EmulateViewport(1280, 900), chromedp.Click(chromedp.ID("lang-switch")),
		chromedp.Sleep(500*time.Millisecond), poll(`document.documentElement.lang === "en"`))

	j.org.do("retry the mail",
		chromedp.Navigate(j.base+"/console/mail"),
		chromedp.WaitVisible(chromedp.CSS(row+" button")),
		chromedp.Click(chromedp.CSS(row+" button")),
		chromedp.WaitVisible(chromedp.ID("flash")),
	)
	if got := j.org.text("#flash"); !strings.Contains(got, "sent again") {
		j.t.Errorf("after retrying: %q", got)
	}
	j.mailTo(refusedAddr, "/invite/", 20*time.Second)
}

// addWebhook: the organizer registers the receiver for promotions and
// session changes in the console and reads its secret there.
func (j *organizerJourney) addWebhook() {
	j.t.Helper()
	j.hooks = newHookReceiver(j.t)
	j.org.do("add a webhook endpoint",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(j.base+"/console/webhooks"),
		chromedp.WaitVisible(chromedp.ID("endpoint-form")),
		chromedp.SetValue(chromedp.ID("url"), j.hooks.srv.URL+"/hook"),
		chromedp.Click(chromedp.CSS(`input[value="waitlist.promoted"]`)),
		chromedp.Click(chromedp.CSS(`input[value="session.changed"]`)),
		chromedp.Click(chromedp.ID("endpoint-add")),
		chromedp.WaitVisible(chromedp.ID("secret")),
		chromedp.Click(chromedp.CSS("#secret summary")),
	)
	secret := j.org.text("#secret-value")
	if !strings.HasPrefix(secret, "whsec_") {
		j.t.Fatalf("the endpoint's secret reads %q", secret)
	}
	j.hooks.mu.Lock()
	j.hooks.secret = secret
	j.hooks.mu.Unlock()
}

// moveKeynote: the organizer moves the keynote the invited attendee now
// holds an hour later; the preview names them; on save their mail says
// so at the SMTP server, their notifications too, and the receiver gets a
// verified session.changed.
func (j *organizerJourney) moveKeynote() {
	j.t.Helper()
	start, end := j.keynote.Start.Add(time.Hour).In(j.vegas), j.keynote.End.Add(time.Hour).In(j.vegas)
	j.org.do("preview the keynote's new time",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(j.base+"/console/sessions/"+j.keynote.Code),
		chromedp.WaitVisible(chromedp.ID("session-form")),
		chromedp.SetValue(chromedp.ID("start"), start.Format("2006-01-02T15:04")),
		chromedp.SetValue(chromedp.ID("end"), end.Format("2006-01-02T15:04")),
		chromedp.Click(chromedp.ID("session-preview")),
		chromedp.WaitVisible(chromedp.ID("change-preview")),
	)
	if got := j.org.text("#affected"); !strings.Contains(got, j.invited) {
		j.t.Errorf("the preview does not name %s, who holds a seat: %q", j.invited, got)
	}
	j.org.do("save the new time", chromedp.Click(chromedp.ID("session-save")), chromedp.WaitVisible(chromedp.ID("flash")))
	if got := j.org.text("#flash"); !strings.Contains(got, "1 attendees") {
		j.t.Errorf("saving the move says %q, not that the one holder was told", got)
	}
	// The mail says what changed: was, and now at the new start (the
	// venue's clock).
	body := j.mailTo(j.invited, "Changed: "+j.keynote.Code, 90*time.Second) // a bound, not a speed: the suite may load the machine
	if now := body[strings.Index(body, "Now:")+1:]; !strings.Contains(body, "Was:") || !strings.Contains(now, start.Format("3:04")) {
		j.t.Errorf("the change's mail does not give the new time %s:\n%s", start.Format("3:04"), body)
	}
	j.guest.do("open notifications", chromedp.Navigate(j.base+"/notifications"), chromedp.WaitVisible(chromedp.ID("notices")))
	if got := j.guest.text("#notices"); strings.Count(got, j.keynote.Code) < 2 {
		j.t.Errorf("the notifications do not tell of %s's promotion and its move: %q", j.keynote.Code, got)
	}
	j.hooks.await(j.t, "session.changed", 30*time.Second)
}

// TestBrowserOrganizerJourney: the organizer signs in; imports a CSV and a
// pretix export in the console, inviting the new attendees; an invited
// attendee's mail arrives by SMTP and its link sets their password; the
// organizer opens a wave on a keynote, which is full until it releases;
// the invited attendee joins the waitlist and, at the release, is
// promoted: the mail arrives, the notice is in their app and a webhook
// receiver registered in the console gets the promotion, signed; the
// organizer moves the keynote an hour, the preview naming the attendee,
// whose mail and notifications then say so, and the receiver gets the
// change. In English,
// the console pages also in Korean, at desktop and tablet widths.
func TestBrowserOrganizerJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium; skipped with -short")
	}
	j := newOrganizerJourney(t)
	j.signIn()

	j.invited = "seoyeon.kim@example.kr"
	j.importFile("tickets.csv", "Ticket ID,Full name,Email,Company,Ticket type\n"+
		"T-1001,Kim Seo-yeon,"+j.invited+",Naver,Full conference\n"+
		"T-1002,Luis García,luis@example.es,Cabify,Full conference\n", 2, "organizer-import-en")
	pretix, err := os.ReadFile(filepath.Join("..", "..", "internal", "registration", "testdata", "pretix.json"))
	if err != nil {
		t.Fatal(err)
	}
	j.importFile("orders.json", string(pretix), 4, "")

	j.addWebhook()
	release := j.openWave()
	j.acceptInvitation()
	j.joinWaitlist()
	// While the wave waits: a refused mail, sent again.
	j.mailProblems()
	j.awaitPromotion(release)
	j.hooks.await(t, "waitlist.promoted", 30*time.Second)
	j.moveKeynote()
}
