package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

func TestSignUp(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	e.attendee("Taken Person", "taken@example.com")
	count := func() int {
		t.Helper()
		n, err := e.db.CountAttendees(ctx, e.ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	good := url.Values{"name": {"Ann Example"}, "email": {"ann@example.com"}, "company": {"Acme & Co"},
		"home_zone": {"Asia/Seoul"}, "password": {testPassword}}
	with := func(k, v string) url.Values {
		f := url.Values{}
		for k, vs := range good {
			f[k] = vs
		}
		f.Set(k, v)
		return f
	}

	for _, tt := range []struct {
		name  string
		form  url.Values
		field string
		msg   string
	}{
		{"taken email", with("email", " TAKEN@example.com "), "email", "An account with this email already exists. Sign in, or reset your password."},
		{"malformed email", with("email", "ann at example"), "email", "This is not an email address, e.g. name@example.com."},
		{"no email", with("email", ""), "email", "Enter your email address."},
		{"short password", with("password", "short"), "password", "Use at least 10 characters."},
		{"common password", with("password", "1234567890"), "password", "This password is too easy to guess; choose another."},
		{"password has email", with("password", "ann@example.com1"), "password", "Don't use your email address in your password."},
		{"bad time zone", with("home_zone", "Mars/Olympus_Mons"), "home_zone", "Unknown time zone Mars/Olympus_Mons. Type a city such as Seoul, a zone such as Asia/Seoul, or an abbreviation such as KST."},
		{"no name", with("name", " "), "name", "Enter your name."},
		{"name of invalid UTF-8", with("name", "Ann \xff"), "name", "Remove the control or text-direction characters from this."},
		{"name with a NUL", with("name", "Ann\x00"), "name", "Remove the control or text-direction characters from this."},
		{"name with a bidi override", with("name", "\u202eAnn"), "name", "Remove the control or text-direction characters from this."},
		{"name of a zero-width space", with("name", "\u200b"), "name", "Use at least one visible character."},
		{"name too long", with("name", strings.Repeat("n", 201)), "name", "This is too long."},
		{"company with a NUL", with("company", "Acme\x00"), "company", "Remove the control or text-direction characters from this."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := count()
			c := e.client()
			r := c.post("/signup", tt.form)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422\n%s", r.status, r.text())
			}
			errs := fieldErrors(r.body)
			if got := errs[tt.field]; got != tt.msg || len(errs) != 1 {
				t.Fatalf("field errors %q, want only %s: %q", errs, tt.field, tt.msg)
			}
			// The message is tied to its field for screen readers.
			if !strings.Contains(r.body, `aria-describedby="`+tt.field+`-error"`) {
				t.Errorf("field %s is not described by its error", tt.field)
			}
			// What was typed comes back, but never the password.
			for _, k := range []string{"name", "email", "company", "home_zone"} {
				// (html/template writes a NUL as U+FFFD.)
				if got, want := inputValue(r.body, k), strings.ReplaceAll(strings.TrimSpace(tt.form.Get(k)), "\x00", "\uFFFD"); got != want {
					t.Errorf("field %s shows %q, want %q", k, got, want)
				}
			}
			if pw := tt.form.Get("password"); strings.Contains(r.body, pw) {
				t.Errorf("the page shows the password %q", pw)
			}
			if got := count(); got != before {
				t.Errorf("attendees: %d, want %d", got, before)
			}
			if c.cookie("lanyard_session") != "" {
				if r := c.get("/agenda"); r.status != http.StatusSeeOther {
					t.Errorf("signed in after a refused sign-up: /agenda gives %d", r.status)
				}
			}
		})
	}

	t.Run("success", func(t *testing.T) {
		before := count()
		c := e.client()
		r := c.post("/signup", good)
		if r.status != http.StatusSeeOther || r.location() != "/" {
			t.Fatalf("sign up: %d to %q\n%s", r.status, r.location(), r.text())
		}
		if got := flash(c.get("/").body); got != "Welcome, Ann Example! We sent a confirmation link to ann@example.com: follow it to reserve seats." {
			t.Errorf("flash %q", got)
		}
		if r := c.get("/agenda"); r.status != http.StatusOK {
			t.Fatalf("/agenda after sign-up: %d", r.status)
		}
		if got := count(); got != before+1 {
			t.Errorf("attendees: %d, want %d", got, before+1)
		}
		a, err := e.db.FindAttendeeByEmail(ctx, e.ev.ID, "ann@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if a.Name != "Ann Example" || a.Company != "Acme & Co" || a.HomeZone != "Asia/Seoul" || a.Role != lanyard.RoleAttendee {
			t.Errorf("created %+v", a)
		}
		// The same email again is taken now.
		if r := e.client().post("/signup", good); r.status != http.StatusUnprocessableEntity || fieldErrors(r.body)["email"] == "" {
			t.Errorf("second sign-up: %d %q", r.status, fieldErrors(r.body))
		}
	})
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	signin := func(c *client, email, pw, next string) *resp {
		return c.post("/signin", url.Values{"email": {email}, "password": {pw}, "next": {next}})
	}
	t.Run("passwords", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		e.attendee("Bo", "bo@example.com")
		c := e.client()
		wrong := signin(c, "bo@example.com", "not the password", "")
		unknown := signin(c, "nobody@example.com", testPassword, "")
		for _, r := range []*resp{wrong, unknown} {
			if r.status != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401", r.status)
			}
		}
		// An unknown email is told apart from a wrong password by nothing.
		if got, want := byID(unknown.body, "signin-error"), byID(wrong.body, "signin-error"); got != want || want != "The email or password is wrong." {
			t.Errorf("unknown email says %q, wrong password %q", got, want)
		}
		if got := inputValue(wrong.body, "email"); got != "bo@example.com" {
			t.Errorf("email field %q", got)
		}
		if r := c.get("/agenda"); r.status != http.StatusSeeOther {
			t.Fatalf("signed in after wrong passwords: %d", r.status)
		}
		r := signin(c, " BO@example.com ", testPassword, "/agenda")
		if r.status != http.StatusSeeOther || r.location() != "/agenda" {
			t.Fatalf("right password: %d to %q\n%s", r.status, r.location(), r.text())
		}
		if r := c.get("/agenda"); r.status != http.StatusOK || !strings.Contains(r.body, `id="signout"`) {
			t.Fatalf("/agenda after sign-in: %d", r.status)
		}
	})

	t.Run("rate limit", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		e.attendee("Cy", "cy@example.com")
		c := e.client()
		for i := range 5 {
			if r := signin(c, "cy@example.com", "guess number "+string(rune('a'+i)), ""); r.status != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d, want 401", i+1, r.status)
			}
		}
		// The sixth is refused before the password is looked at, right or not.
		r := signin(c, "cy@example.com", testPassword, "")
		if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
			t.Fatalf("sixth attempt: %d, Retry-After %q", r.status, r.header.Get("Retry-After"))
		}
		if got := byID(r.body, "signin-error"); got != "Too many attempts. Wait a minute and try again." {
			t.Errorf("message %q", got)
		}
		if r := c.get("/agenda"); r.status != http.StatusSeeOther {
			t.Fatalf("signed in despite the limit: %d", r.status)
		}
	})

	// next only ever leads to a page of this site; the whole table of
	// addresses is in TestRedirectsStayLocal, which hashes no password.
	t.Run("next", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		e.attendee("Di", "di@example.com")
		for _, tt := range []struct{ next, want string }{
			{"/sessions/A-R1?x=1", "/sessions/A-R1?x=1"},
			{"https://evil.example", "/"},
			{"//evil.example", "/"},
			{"/\t/evil.example", "/"},
		} {
			// The form carries next on, already checked.
			form := e.client().get("/signin?next=" + url.QueryEscape(tt.next))
			if got := regexp.MustCompile(`name="next" value="([^"]*)"`).FindStringSubmatch(form.body); got == nil || html.UnescapeString(got[1]) != tt.want {
				t.Errorf("next=%q: the form carries %q, want %q", tt.next, got, tt.want)
			}
			r := signin(e.client(), "di@example.com", testPassword, tt.next)
			if r.status != http.StatusSeeOther || r.location() != tt.want {
				t.Errorf("next=%q: %d to %q, want %q", tt.next, r.status, r.location(), tt.want)
			}
		}
	})
}

// Every form that returns somewhere (next, back) only leads to a page of
// this site. Browsers drop tabs and newlines from a URL and read a
// backslash as a slash, so those must not open a way out either.
func TestRedirectsStayLocal(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.attendee("Ed", "ed@example.com")
	signedIn := e.signIn("ed@example.com")
	for _, tt := range []struct{ back, want string }{
		{"/agenda", "/agenda"},
		{"/?q=serverless&day=2026-12-01", "/?q=serverless&day=2026-12-01"},
		{"", "/"},
		{"https://evil.example/", "/"},
		{"//evil.example", "/"},
		{"///evil.example", "/"},
		{"/\\evil.example", "/"},
		{"/\t/evil.example", "/"},
		{"/\n/evil.example", "/"},
		{"/\t\\evil.example", "/"},
		{"evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"/./\\evil.example", "/"},
		{"/.//evil.example", "/evil.example"}, // cleaned by http.Redirect: a local path
		{"/a/..//evil.example", "/evil.example"},
		{"/sessions/KEY001?back=//x", "/sessions/KEY001?back=//x"},
	} {
		for _, form := range []struct {
			c    *client
			path string
			f    url.Values
		}{
			{e.client(), "/language", url.Values{"lang": {"en"}, "back": {tt.back}}},
			{signedIn, "/favorites", url.Values{"code": {"D"}, "action": {"add"}, "back": {tt.back}}},
			{signedIn, "/zone", url.Values{"back": {tt.back}}},
		} {
			r := form.c.post(form.path, form.f)
			if r.status != http.StatusSeeOther || r.location() != tt.want {
				t.Errorf("POST %s back=%q: %d to %q, want %q", form.path, tt.back, r.status, r.location(), tt.want)
			}
		}
	}
}

func TestSignOut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.attendee("Fay", "fay@example.com")
	c := e.signIn("fay@example.com")
	token := c.cookie("lanyard_session")
	if token == "" {
		t.Fatal("no session cookie after signing in")
	}
	// The cookie alone is the sign-in: another browser holding it is signed in.
	other := e.client()
	other.setCookie("lanyard_session", token)
	if r := other.get("/agenda"); r.status != http.StatusOK {
		t.Fatalf("/agenda with the session cookie: %d", r.status)
	}

	if r := c.post("/signout", nil); r.status != http.StatusSeeOther || r.location() != "/" {
		t.Fatalf("sign out: %d to %q", r.status, r.location())
	}
	if r := c.get("/agenda"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/signin") {
		t.Fatalf("/agenda after signing out: %d to %q", r.status, r.location())
	}
	// The old cookie is worth nothing anywhere.
	stale := e.client()
	stale.setCookie("lanyard_session", token)
	if r := stale.get("/agenda"); r.status != http.StatusSeeOther {
		t.Fatalf("/agenda with the old cookie: %d", r.status)
	}
	if r := stale.post("/reserve/D", nil); r.status != http.StatusUnauthorized {
		t.Fatalf("reserve with the old cookie: %d", r.status)
	}
}

// Signing in replaces the session token, so one planted before (session
// fixation) is not signed in afterwards.
func TestSignInRenewsToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.attendee("Gil", "gil@example.com")
	c := e.client()
	c.postOK("/reset", url.Values{"email": {"nobody@example.com"}}, "/signin") // a flash starts a session
	before := c.cookie("lanyard_session")
	if before == "" {
		t.Fatal("no session before signing in")
	}
	c.post("/signin", url.Values{"email": {"gil@example.com"}, "password": {testPassword}})
	after := c.cookie("lanyard_session")
	if after == "" || after == before {
		t.Fatalf("session token %q before signing in, %q after", before, after)
	}
	planted := e.client()
	planted.setCookie("lanyard_session", before)
	if r := planted.get("/agenda"); r.status != http.StatusSeeOther {
		t.Fatalf("the token from before signing in is signed in: %d", r.status)
	}
}

func TestPasswordReset(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.attendee("Hana Kim", "hana@example.com")
	messages := func() []lanyard.Message {
		t.Helper()
		msgs, err := e.db.Messages(ctx, e.ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		return msgs
	}

	// A browser signed in with the old password, say a stolen one.
	before := e.signIn("hana@example.com")
	if r := before.get("/agenda"); r.status != http.StatusOK {
		t.Fatalf("/agenda before the reset: %d", r.status)
	}

	c := e.client()
	if r := c.get("/reset"); r.status != http.StatusOK || !strings.Contains(r.body, `id="reset-form"`) {
		t.Fatalf("GET /reset: %d", r.status)
	}
	if r := c.post("/reset", url.Values{"email": {" "}}); r.status != http.StatusUnprocessableEntity || fieldErrors(r.body)["email"] != "Enter your email address." {
		t.Fatalf("empty email: %d %q", r.status, fieldErrors(r.body))
	}
	known := c.postOK("/reset", url.Values{"email": {"Hana@Example.com"}}, "/signin")
	msgs := messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if m.Kind != "password_reset" || m.Recipient != "hana@example.com" || m.AttendeeID != a.ID || !strings.Contains(m.Subject, "Test Conf") ||
		!m.Mail || m.App || m.Language != "en" {
		t.Errorf("message %+v", m)
	}
	link := regexp.MustCompile(`(https://\S+)/reset/([A-Za-z0-9_-]{20,})`).FindStringSubmatch(m.Body)
	if link == nil || link[1] != e.srv.URL {
		t.Fatalf("no reset link to this site in:\n%s", m.Body)
	}
	path := "/reset/" + link[2]

	// An unknown email gets the same answer and no message.
	unknown := e.client().postOK("/reset", url.Values{"email": {"nobody@example.com"}}, "/signin")
	if strings.ReplaceAll(unknown, "nobody@example.com", "X") != strings.ReplaceAll(known, "hana@example.com", "X") || known == "" {
		t.Errorf("known email says %q, unknown %q", known, unknown)
	}
	if n := len(messages()); n != 1 {
		t.Fatalf("%d messages after an unknown email, want 1", n)
	}

	// The link sets a password once, and signs in.
	r := c.get(path)
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="newpassword-form"`) {
		t.Fatalf("GET the link: %d", r.status)
	}
	if r := c.post(path, url.Values{"password": {"short"}}); r.status != http.StatusUnprocessableEntity || fieldErrors(r.body)["password"] != "Use at least 10 characters." {
		t.Fatalf("weak new password: %d %q", r.status, fieldErrors(r.body))
	}
	const newPassword = "a brand new passphrase"
	if got := c.postOK(path, url.Values{"password": {newPassword}}, "/"); got != "Your password is saved and you are signed in." {
		t.Errorf("flash %q", got)
	}
	if r := c.get("/agenda"); r.status != http.StatusOK {
		t.Fatalf("/agenda after the reset: %d", r.status)
	}
	// The reset signed out the browser that had the old password.
	if r := before.get("/agenda"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/signin") {
		t.Errorf("the old session after the reset: %d %s; want a redirect to sign in", r.status, r.location())
	}
	r = e.client().post(path, url.Values{"password": {"another new passphrase"}})
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "This link has expired or was used already.") {
		t.Fatalf("the link used again: %d\n%s", r.status, r.text())
	}

	// Three links an hour per email; a fourth request says the same and
	// sends nothing.
	for i := range 3 {
		if got := e.client().postOK("/reset", url.Values{"email": {"hana@example.com"}}, "/signin"); got != known {
			t.Fatalf("request %d says %q", i+2, got)
		}
	}
	if n := len(messages()); n != 3 {
		t.Fatalf("%d messages after four requests, want 3", n)
	}

	signin := func(pw string) int {
		return e.client().post("/signin", url.Values{"email": {"hana@example.com"}, "password": {pw}}).status
	}
	if got := signin(testPassword); got != http.StatusUnauthorized {
		t.Errorf("the old password: %d, want 401", got)
	}
	if got := signin(newPassword); got != http.StatusSeeOther {
		t.Errorf("the new password: %d, want 303", got)
	}
}

// Cross-site form posts are refused; same-origin ones and those from
// programs (no Origin, no Sec-Fetch-Site) pass.
func TestCrossOriginPostsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.attendee("Ivo", "ivo@example.com")
	c := e.signIn("ivo@example.com")
	for _, h := range [][]string{
		{"Origin", "https://evil.example"},
		{"Sec-Fetch-Site", "cross-site"},
		{"Sec-Fetch-Site", "same-site"},
	} {
		for _, path := range []string{"/reserve/D", "/signout", "/signin", "/signup", "/language", "/agenda/feed"} {
			form := url.Values{"email": {"ivo@example.com"}, "password": {testPassword}, "lang": {"ko"}, "action": {"create"}}
			if r := c.post(path, form, h...); r.status != http.StatusForbidden {
				t.Errorf("POST %s with %s: %s: %d, want 403", path, h[0], h[1], r.status)
			}
		}
	}
	if held, _ := e.agendaOf(a.ID); len(held) != 0 {
		t.Fatalf("a cross-site post reserved %v", held)
	}
	if r := c.get("/agenda"); r.status != http.StatusOK || strings.Contains(r.body, `id="feed-url"`) {
		t.Fatalf("after cross-site posts: /agenda %d, or a feed was created", r.status)
	}
	// The same site's own pages post.
	for _, h := range [][]string{{"Origin", e.srv.URL}, {"Sec-Fetch-Site", "same-origin"}, {}} {
		if r := c.post("/reserve/D", url.Values{"back": {"/agenda"}}, h...); r.status != http.StatusSeeOther {
			t.Errorf("same-origin post with %v: %d", h, r.status)
		}
	}
	if held, _ := e.agendaOf(a.ID); len(held) != 1 || held[0] != "D" {
		t.Fatalf("held %v, want [D]", held)
	}
}

func TestLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.attendee("Jin", "jin@example.com")
	korean := func(r *resp) bool {
		return strings.Contains(r.body, `<html lang="ko">`) && strings.Contains(r.body, "세션 목록")
	}

	for _, tt := range []struct {
		accept string
		ko     bool
	}{
		{"ko", true},
		{"ko-KR,ko;q=0.9,en-US;q=0.8", true},
		{"en-US,en;q=0.9", false},
		{"fr-FR", false},
		{"", false},
	} {
		c := e.client()
		c.header.Set("Accept-Language", tt.accept)
		r := c.get("/")
		if korean(r) != tt.ko {
			t.Errorf("Accept-Language %q: Korean %v, want %v", tt.accept, korean(r), tt.ko)
		}
		if !tt.ko && (!strings.Contains(r.body, `<html lang="en">`) || !strings.Contains(r.body, "Catalog")) {
			t.Errorf("Accept-Language %q: not English", tt.accept)
		}
	}

	// Chosen on a page, a language is remembered over the browser's.
	c := e.client()
	c.header.Set("Accept-Language", "en")
	if r := c.post("/language", url.Values{"lang": {"ko"}, "back": {"/sessions/D"}}); r.status != http.StatusSeeOther || r.location() != "/sessions/D" {
		t.Fatalf("switch: %d to %q", r.status, r.location())
	}
	if got := c.cookie("lang"); got != "ko" {
		t.Fatalf("lang cookie %q", got)
	}
	if r := c.get("/"); !korean(r) {
		t.Fatal("not Korean after switching")
	}
	if r := c.post("/language", url.Values{"lang": {"xx"}}); r.status != http.StatusBadRequest {
		t.Fatalf("unknown language: %d", r.status)
	}

	// Signed in, the choice is saved on the account and follows the
	// attendee to a new browser.
	signedIn := e.signIn("jin@example.com")
	signedIn.postOK("/language", url.Values{"lang": {"ko"}, "back": {"/agenda"}}, "/agenda")
	if acc, err := e.db.Account(ctx, a.ID); err != nil || acc.Language != "ko" {
		t.Fatalf("account language: %+v %v", acc, err)
	}
	fresh := e.signIn("jin@example.com")
	if r := fresh.get("/"); !korean(r) {
		t.Fatal("a new browser is not Korean after signing in")
	}
	// A language chosen on the device wins over the account's.
	device := e.client()
	device.setCookie("lang", "en")
	device.post("/signin", url.Values{"email": {"jin@example.com"}, "password": {testPassword}})
	if r := device.get("/agenda"); r.status != http.StatusOK || korean(r) || !strings.Contains(r.body, "My agenda") {
		t.Fatalf("the device's language lost: %d", r.status)
	}
}

func TestSettings(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.attendee("Kai", "kai@example.com")
	c := e.signIn("kai@example.com")
	saved := func() (*lanyard.Account, *lanyard.Attendee) {
		t.Helper()
		acc, err := e.db.Account(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		at, err := e.db.FindAttendeeByID(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		return acc, at
	}
	if r := c.get("/settings"); r.status != http.StatusOK || !strings.Contains(r.body, `value="en" checked`) || !strings.Contains(r.body, `value="venue" checked`) {
		t.Fatalf("GET /settings: %d\n%s", r.status, r.text())
	}
	acc0, at0 := saved()

	for _, tt := range []struct {
		name  string
		form  url.Values
		field string
		msg   string
	}{
		{"bad zone", url.Values{"lang": {"ko"}, "zone_primary": {"home"}, "home_zone": {"Mars/Olympus_Mons"}}, "home_zone", "Unknown time zone Mars/Olympus_Mons. Type a city such as Seoul, a zone such as Asia/Seoul, or an abbreviation such as KST."},
		{"bad primary", url.Values{"lang": {"ko"}, "zone_primary": {"moon"}, "home_zone": {"Asia/Seoul"}}, "zone_primary", "Choose one."},
		{"bad language", url.Values{"lang": {"xx"}, "zone_primary": {"home"}, "home_zone": {"Asia/Seoul"}}, "lang", "Choose one."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := c.post("/settings", tt.form)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.status)
			}
			if errs := fieldErrors(r.body); errs[tt.field] != tt.msg || len(errs) != 1 {
				t.Errorf("field errors %q, want %s: %q", errs, tt.field, tt.msg)
			}
			if got := inputValue(r.body, "home_zone"); got != tt.form.Get("home_zone") {
				t.Errorf("home zone field %q", got)
			}
			if acc, at := saved(); *acc != *acc0 || at.HomeZone != at0.HomeZone {
				t.Errorf("saved despite the error: %+v %q", acc, at.HomeZone)
			}
			if c.cookie("lang") != "" {
				t.Errorf("language cookie set despite the error")
			}
		})
	}

	if got := c.postOK("/settings", url.Values{"lang": {"en"}, "zone_primary": {"home"}, "home_zone": {"Asia/Seoul"}}, "/settings"); got != "Settings saved." {
		t.Errorf("flash %q", got)
	}
	acc, at := saved()
	if acc.Language != "en" || acc.ZonePrimary != lanyard.ZonePrimaryHome || at.HomeZone != "Asia/Seoul" {
		t.Fatalf("saved %+v, home zone %q", acc, at.HomeZone)
	}
	// Times now come in Seoul time first, then the venue's.
	r := c.get("/sessions/A-R1")
	if !strings.Contains(r.body, `<span class="primary">Wed, Dec 2, 3:00–4:00 AM KST</span> <span class="secondary">· Tue, Dec 1, 10:00–11:00 AM PST</span>`) {
		t.Fatalf("session page times, home first:\n%s", r.text())
	}
	if r := c.post("/zone", url.Values{"back": {"/sessions/A-R1"}}); r.status != http.StatusSeeOther || r.location() != "/sessions/A-R1" {
		t.Fatalf("toggle zone: %d to %q", r.status, r.location())
	}
	if acc, _ := saved(); acc.ZonePrimary != lanyard.ZonePrimaryVenue {
		t.Fatalf("zone after the toggle: %q", acc.ZonePrimary)
	}
	r = c.get("/sessions/A-R1")
	if !strings.Contains(r.body, `<span class="primary">Tue, Dec 1, 10:00–11:00 AM PST</span> <span class="secondary">· Wed, Dec 2, 3:00–4:00 AM KST</span>`) {
		t.Fatalf("session page times, venue first:\n%s", r.text())
	}
}

// TestLinksIgnoreHost: a request's Host header, which the client writes,
// never reaches a link in an email or a cached export.
func TestLinksIgnoreHost(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.attendee("Hana Kim", "hana@example.com")
	c := e.client()
	req, _ := http.NewRequest("POST", e.srv.URL+"/reset", strings.NewReader(url.Values{"email": {"hana@example.com"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Host = "evil.example"
	if r := c.do(req); r.status != http.StatusSeeOther {
		t.Fatalf("reset: %d", r.status)
	}
	msgs, err := e.db.Messages(context.Background(), e.ev.ID)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("outbox: %v, %d messages", err, len(msgs))
	}
	if strings.Contains(msgs[0].Body, "evil.example") || !strings.Contains(msgs[0].Body, e.srv.URL+"/reset/") {
		t.Errorf("the reset link follows the Host header:\n%s", msgs[0].Body)
	}
	req, _ = http.NewRequest("GET", e.srv.URL+"/schedule.xml", nil)
	req.Host = "evil.example"
	c.do(req)
	if body := c.get("/schedule.xml").body; strings.Contains(body, "evil.example") {
		t.Error("a spoofed Host poisoned the cached schedule export")
	}
}

// TestSuccessfulSignInsAreNotLimited: only failures spend the sign-in
// limit, so people sharing one address (a conference's Wi-Fi) or signing
// in on several devices are never locked out by succeeding.
func TestSuccessfulSignInsAreNotLimited(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.attendee("Ed", "ed@example.com")
	for i := range 8 {
		if r := e.client().post("/signin", url.Values{"email": {"ed@example.com"}, "password": {testPassword}}); r.status != http.StatusSeeOther {
			t.Fatalf("sign-in %d: %d", i+1, r.status)
		}
	}
	// A made-up reset token is refused as such, on sight and on submit.
	if r := e.client().get("/reset/made-up-token"); r.status != http.StatusBadRequest || !strings.Contains(r.body, "This link has expired or was used already.") {
		t.Errorf("GET a made-up reset link: %d", r.status)
	}
	r := e.client().post("/reset/made-up-token", url.Values{"password": {"a brand new passphrase"}})
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "This link has expired or was used already.") {
		t.Errorf("made-up reset token: %d", r.status)
	}
}
