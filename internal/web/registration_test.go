package web_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/registration"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// mailedPath returns the path of the link in the newest message of kind
// written to email: what the mail carries.
func (e *env) mailedPath(kind, email string) string {
	e.t.Helper()
	msgs, err := e.db.Messages(context.Background(), e.ev.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	link := ""
	for _, m := range msgs {
		if m.Kind == kind && m.Recipient == email {
			if !m.Mail || m.App {
				e.t.Errorf("%s message goes by mail %v, in the app %v; want by mail only", kind, m.Mail, m.App)
			}
			link = m.Params["link"]
		}
	}
	if link == "" {
		e.t.Fatalf("no %s message to %s", kind, email)
	}
	u, err := url.Parse(link)
	if err != nil {
		e.t.Fatal(err)
	}
	return u.Path
}

// importInvited imports testdata's custom.csv, inviting each attendee.
func (e *env) importInvited() {
	e.t.Helper()
	f, err := os.Open("../registration/testdata/custom.csv")
	if err != nil {
		e.t.Fatal(err)
	}
	defer f.Close()
	opt := registration.Options{EventID: e.ev.ID, Invite: registration.Inviter(e.srv.URL, e.ev.Name, registration.InvitationTTL, time.Now)}
	if _, err := registration.Import(context.Background(), e.db, f, registration.FormatCSV, registration.Mapping{"name": "Teilnehmer"}, opt); err != nil {
		e.t.Fatal(err)
	}
}

func TestInvitationSetsPasswordAndSignsIn(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnvOn(t, db, nil)
		e.importInvited()
		path := e.mailedPath(lanyard.KindInvitation, "linus@example.org")
		if !strings.HasPrefix(path, "/invite/") {
			t.Fatalf("invitation link %q", path)
		}
		c := e.client()
		r := c.get(path)
		if r.status != http.StatusOK || !strings.Contains(r.body, "<h1>Set your password</h1>") {
			t.Fatalf("invitation page: %d\n%s", r.status, r.text())
		}
		const pw = "penguin-kernel-1991"
		r = c.post(path, url.Values{"password": {pw}})
		if r.status != http.StatusSeeOther || r.location() != "/" {
			t.Fatalf("set password: %d to %q\n%s", r.status, r.location(), r.text())
		}
		home := c.get("/").body
		if got := flash(home); !strings.Contains(got, "signed in") {
			t.Errorf("flash %q", got)
		}
		// The link came by mail: the address is proven, no banner.
		if strings.Contains(home, `id="verify-banner"`) {
			t.Error("an invited attendee who set a password is asked to confirm the email")
		}
		// The link works once.
		if r := e.client().post(path, url.Values{"password": {"another-long-password"}}); r.status != http.StatusBadRequest {
			t.Errorf("second use of the invitation: %d, want 400", r.status)
		}
		// Signed out, the new password signs in.
		c2 := e.client()
		if r := c2.post("/signin", url.Values{"email": {"linus@example.org"}, "password": {pw}}); r.status != http.StatusSeeOther {
			t.Fatalf("sign in with the invitation's password: %d\n%s", r.status, r.text())
		}
		if r := c2.get("/agenda"); r.status != http.StatusOK {
			t.Errorf("/agenda after sign-in: %d", r.status)
		}
	})
}

func TestInvitationOnlyRefusesSignUp(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnvOn(t, db, nil)
		e.importInvited()
		if err := db.SetSignUpMode(context.Background(), e.ev.ID, lanyard.SignUpInvitation); err != nil {
			t.Fatal(err)
		}
		before, _ := db.CountAttendees(context.Background(), e.ev.ID)
		for _, tt := range []struct {
			lang, email, want string
		}{
			{"en", "stranger@example.com", "This event is by invitation only, so sign-up is closed."},
			{"ko", "stranger@example.com", "이 행사는 초대받은 분만 참가할 수 있어 가입이 닫혀 있습니다."},
			// Listed or not, the same answer: the page does not tell who is registered.
			{"en", "linus@example.org", "This event is by invitation only, so sign-up is closed."},
		} {
			c := e.client()
			c.header.Set("Accept-Language", tt.lang)
			if r := c.get("/signup"); !strings.Contains(r.body, tt.want) || strings.Contains(r.body, `id="signup-form"`) {
				t.Errorf("%s: the sign-up page shows the form or not %q", tt.lang, tt.want)
			}
			r := c.post("/signup", url.Values{"name": {"Some One"}, "email": {tt.email}, "password": {"a long enough passphrase"}})
			if r.status != http.StatusForbidden || !strings.Contains(r.body, tt.want) {
				t.Errorf("%s %s: sign-up answers %d, want 403 with %q\n%s", tt.lang, tt.email, r.status, tt.want, r.text())
			}
		}
		if after, _ := db.CountAttendees(context.Background(), e.ev.ID); after != before {
			t.Errorf("attendees %d after refused sign-ups, want %d", after, before)
		}
		// Open again, anyone signs up.
		if err := db.SetSignUpMode(context.Background(), e.ev.ID, lanyard.SignUpOpen); err != nil {
			t.Fatal(err)
		}
		r := e.client().post("/signup", url.Values{"name": {"Some One"}, "email": {"stranger@example.com"}, "password": {"a long enough passphrase"}})
		if r.status != http.StatusSeeOther {
			t.Errorf("open sign-up: %d", r.status)
		}
	})
}

func TestUnverifiedCannotReserve(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnvOn(t, db, nil)
		c := e.client()
		r := c.post("/signup", url.Values{"name": {"Ann Example"}, "email": {"ann@example.com"}, "password": {"a long enough passphrase"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("sign up: %d\n%s", r.status, r.text())
		}
		a, err := db.FindAttendeeByEmail(context.Background(), e.ev.ID, "ann@example.com")
		if err != nil {
			t.Fatal(err)
		}
		home := c.get("/").body
		if !strings.Contains(byID(home, "verify-banner"), "not reserve seats") {
			t.Errorf("no banner saying an unverified account cannot reserve")
		}
		c.header.Set("Accept-Language", "ko")
		if !strings.Contains(byID(c.get("/").body, "verify-banner"), "좌석 예약은 할 수 없습니다") {
			t.Errorf("no Korean banner")
		}
		c.header.Del("Accept-Language")

		r = c.post("/reserve/D", url.Values{"back": {"/sessions/D"}})
		if r.status != http.StatusSeeOther || r.location() != "/sessions/D" {
			t.Fatalf("reserve unverified: %d to %q", r.status, r.location())
		}
		if got := flash(c.get("/sessions/D").body); !strings.Contains(got, "Confirm your email address before reserving") {
			t.Errorf("flash after an unverified reserve: %q", got)
		}
		if held, _ := e.agendaOf(a.ID); len(held) != 0 {
			t.Fatalf("unverified attendee holds %v", held)
		}

		path := e.mailedPath(lanyard.KindEmailVerification, "ann@example.com")
		if r := c.get(path); r.status != http.StatusSeeOther {
			t.Fatalf("verification link: %d\n%s", r.status, r.text())
		}
		if got := flash(c.get("/").body); !strings.Contains(got, "confirmed") {
			t.Errorf("flash after verification %q", got)
		}
		if r := c.get(path); r.status != http.StatusBadRequest {
			t.Errorf("second use of the verification link: %d, want 400", r.status)
		}
		c.post("/reserve/D", url.Values{"back": {"/sessions/D"}})
		if held, _ := e.agendaOf(a.ID); len(held) != 1 || held[0] != "D" {
			t.Errorf("verified attendee holds %v, want [D]", held)
		}
	})
}

// Asking for the link again writes a new verification message.
func TestResendVerification(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.post("/signup", url.Values{"name": {"Ann Example"}, "email": {"ann@example.com"}, "password": {"a long enough passphrase"}})
	first := e.mailedPath(lanyard.KindEmailVerification, "ann@example.com")
	if r := c.post("/verify", url.Values{"back": {"/agenda"}}); r.status != http.StatusSeeOther || r.location() != "/agenda" {
		t.Fatalf("resend: %d to %q", r.status, r.location())
	}
	second := e.mailedPath(lanyard.KindEmailVerification, "ann@example.com")
	if second == first {
		t.Fatalf("no new link written")
	}
	if r := c.get(second); r.status != http.StatusSeeOther {
		t.Errorf("the new link: %d", r.status)
	}
}

// In the catalog, where reserving swaps the session's row in place, the
// refusal shows in that row.
func TestUnverifiedRefusalInCatalogRow(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.post("/signup", url.Values{"name": {"Ann Example"}, "email": {"ann@example.com"}, "password": {"a long enough passphrase"}})
	r := c.post("/reserve/D", url.Values{"back": {"/#t-D"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("reserve: %d", r.status)
	}
	if row := row(c.get("/").body, "D"); !strings.Contains(row, "Confirm your email address before reserving") {
		t.Errorf("row t-D does not show the refusal:\n%.800s", row)
	}
}
