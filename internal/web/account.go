package web

import (
	"crypto/rand"
	"encoding/base64"
	"html/template"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/limit"
	"github.com/lanyardhq/lanyard/internal/store"
)

// form is a form's typed values and the problem with each field, so a
// refused form comes back as the person filled it in.
type form struct {
	Values map[string]string
	Errors map[string]string
	Error  string // about the whole form
	Next   string // where to go after signing in
	Zones  []zoneOption
	// InviteOnly: the event's sign-up is by invitation; the form is not shown.
	InviteOnly bool
}

func newForm() *form { return &form{Values: map[string]string{}, Errors: map[string]string{}} }

// fail records a problem with field; it reports whether the form is still valid.
func (f *form) fail(field, msg string) { f.Errors[field] = msg }
func (f *form) ok() bool               { return len(f.Errors) == 0 && f.Error == "" }

// homeZones are offered when choosing a home time zone, with a label of
// their main cities and abbreviations that the browser's list also
// searches. Anything lanyard.ResolveZone reads is accepted when typed:
// other IANA names in any case, cities, abbreviations.
var homeZones = []zoneOption{
	{"America/Los_Angeles", "Los Angeles, San Francisco, Seattle, Las Vegas · PST/PDT"},
	{"America/Denver", "Denver · MST/MDT"},
	{"America/Chicago", "Chicago, Dallas, Austin · CST/CDT"},
	{"America/New_York", "New York, Washington, Boston, Toronto · EST/EDT"},
	{"America/Sao_Paulo", "São Paulo · BRT"},
	{"Europe/London", "London, Dublin · GMT/BST"},
	{"Europe/Paris", "Paris, Madrid, Amsterdam · CET/CEST"},
	{"Europe/Berlin", "Berlin, Munich, Frankfurt · CET/CEST"},
	{"Asia/Dubai", "Dubai · GST"},
	{"Asia/Kolkata", "Mumbai, Delhi, Bengaluru · IST"},
	{"Asia/Singapore", "Singapore · SGT"},
	{"Asia/Shanghai", "Shanghai, Beijing · China"},
	{"Asia/Seoul", "Seoul, Busan · KST · 서울"},
	{"Asia/Tokyo", "Tokyo, Osaka · JST"},
	{"Australia/Sydney", "Sydney, Melbourne · AEST/AEDT"},
	{"Pacific/Auckland", "Auckland, Wellington · NZST/NZDT"},
}

// zoneOption is one choice of the time zone picker.
type zoneOption struct{ Value, Label string }

// guessZone is the home zone a sign-up form starts with before the
// browser's own (read by the script) replaces it: from the region or
// language of Accept-Language, or none (times then show in the venue's
// zone only).
func guessZone(r *http.Request) string {
	tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if len(tags) == 0 {
		return ""
	}
	region, conf := tags[0].Region()
	if conf == language.Exact {
		switch region.String() {
		case "KR":
			return "Asia/Seoul"
		case "JP":
			return "Asia/Tokyo"
		case "GB", "IE":
			return "Europe/London"
		case "DE", "AT", "CH":
			return "Europe/Berlin"
		case "FR", "ES", "IT", "NL", "BE":
			return "Europe/Paris"
		case "IN":
			return "Asia/Kolkata"
		case "SG":
			return "Asia/Singapore"
		case "AU":
			return "Australia/Sydney"
		case "BR":
			return "America/Sao_Paulo"
		}
		return "" // a country of several zones (US, CA): no guess
	}
	switch base, _ := tags[0].Base(); base.String() {
	case "ko":
		return "Asia/Seoul"
	case "ja":
		return "Asia/Tokyo"
	}
	return ""
}

func (h *Handler) signUpForm(w http.ResponseWriter, r *http.Request) {
	if user(r) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	p := h.newPage(r, "signup.title")
	f := newForm()
	f.Zones = homeZones
	f.Values["home_zone"] = guessZone(r)
	mode, err := h.Store.SignUpMode(r.Context(), p.Event.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	f.InviteOnly = mode == lanyard.SignUpInvitation
	p.Data = f
	h.render(w, r, http.StatusOK, "signup", p)
}

func (h *Handler) signUp(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "signup.title")
	t := p.translator
	f := newForm()
	f.Zones = homeZones
	// By invitation, no one signs up here, listed or not: the answer is the
	// same for both, so the page does not tell who is registered.
	mode, err := h.Store.SignUpMode(r.Context(), p.Event.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if mode == lanyard.SignUpInvitation {
		f.InviteOnly = true
		p.Data = f
		h.render(w, r, http.StatusForbidden, "signup", p)
		return
	}
	for _, k := range []string{"name", "email", "company", "home_zone"} {
		f.Values[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	pw := r.PostFormValue("password")
	a := &lanyard.Attendee{Name: f.Values["name"], Email: lanyard.NormalizeEmail(f.Values["email"]), Company: f.Values["company"],
		HomeZone: f.Values["home_zone"], Role: lanyard.RoleAttendee}
	if a.Name == "" {
		f.fail("name", t.T("form.name_required"))
	} else if msg := textProblem(t, a.Name, lanyard.RuleName); msg != "" {
		f.fail("name", msg)
	}
	if a.Email == "" {
		f.fail("email", t.T("form.email_required"))
	} else if err := (&lanyard.Attendee{Name: "x", Email: a.Email, Role: lanyard.RoleAttendee}).Validate(); err != nil {
		f.fail("email", t.T("form.email_invalid"))
	}
	if msg := textProblem(t, a.Company, lanyard.RuleLabel); a.Company != "" && msg != "" {
		f.fail("company", msg)
	}
	if a.HomeZone != "" {
		// "Seoul", "KST" and "asia/seoul" all mean Asia/Seoul: store the
		// IANA name the rest of the app reads.
		if z, err := lanyard.ResolveZone(a.HomeZone); err != nil {
			f.fail("home_zone", t.T("form.zone_invalid", "Zone", a.HomeZone))
		} else {
			a.HomeZone = z
		}
	}
	if err := auth.CheckPassword(pw, a.Email); err != nil {
		f.fail("password", passwordProblem(t, pw, err))
	}
	if f.ok() && !allowed(h.hashing, h.clientAddr(r)) {
		f.Error = t.T("signin.too_many")
	}
	if f.ok() {
		hash, err := h.Hasher.Hash(r.Context(), pw)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		err = h.Store.Register(r.Context(), p.Event.ID, a, hash, h.verificationLink(r, t, p.Event, a))
		switch {
		case lanyard.ErrorCode(err) == lanyard.ECONFLICT:
			f.fail("email", t.T("form.email_taken"))
		case lanyard.ErrorCode(err) == lanyard.EINVALID:
			f.Error = lanyard.ErrorMessage(err)
		case err != nil:
			h.serverError(w, r, err)
			return
		}
	}
	if !f.ok() {
		p.Data = f
		h.render(w, r, http.StatusUnprocessableEntity, "signup", p)
		return
	}
	if err := h.startSession(r, a); err != nil {
		h.serverError(w, r, err)
		return
	}
	h.flash(r, "ok", t.T("signup.welcome_verify", "Name", a.Name, "Email", a.Email))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// verifyTTL is how long an email verification link works.
const verifyTTL = 7 * 24 * time.Hour

// verificationLink makes the link that confirms a's address and the
// message that carries it, rendered in the page's language (the link is in
// the text and nowhere else) and with its template parameters, kind
// lanyard.KindEmailVerification.
func (h *Handler) verificationLink(r *http.Request, t *translator, ev *lanyard.Event, a *lanyard.Attendee) store.Link {
	b := make([]byte, 32)
	rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	link := h.siteURL(r) + "/verify/" + token
	days := int(verifyTTL.Hours() / 24)
	msg := lanyard.Message{EventID: ev.ID, Kind: lanyard.KindEmailVerification, Recipient: a.Email, Language: t.lang,
		Template: lanyard.KindEmailVerification, Params: map[string]string{"name": a.Name, "event": ev.Name, "link": link},
		Subject: t.T("verify.mail_subject", "Event", ev.Name),
		Body:    t.T("verify.mail_body", "Name", a.Name, "Link", link, "Days", days)}
	return store.Link{TokenHash: auth.HashToken(token), Expires: time.Now().Add(verifyTTL), Message: msg}
}

// verifyEmail follows a verification link: the account is confirmed and
// may reserve.
func (h *Handler) verifyEmail(w http.ResponseWriter, r *http.Request) {
	t := translatorFor(pickLanguage(r))
	_, err := h.Store.VerifyEmail(r.Context(), auth.HashToken(r.PathValue("token")))
	switch {
	case lanyard.ErrorCode(err) == lanyard.EINVALID:
		h.errorPage(w, r, http.StatusBadRequest, "verify.link_invalid")
		return
	case err != nil:
		h.serverError(w, r, err)
		return
	}
	h.flash(r, "ok", t.T("verify.done"))
	if user(r) == nil {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// resendVerification mails a new verification link to the signed-in
// attendee, at most as often as reset links.
func (h *Handler) resendVerification(w http.ResponseWriter, r *http.Request) {
	a, t := user(r), translatorFor(pickLanguage(r))
	if acc := userAccount(r); acc != nil && acc.Verified() {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	if allowed(h.resets, a.Email) {
		l := h.verificationLink(r, t, h.Catalog.Load().Event, a)
		if err := h.Store.CreateLink(r.Context(), a.ID, store.LinkVerify, l); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	h.flash(r, "ok", t.T("verify.resent", "Email", a.Email))
	http.Redirect(w, r, localPath(r.PostFormValue("back")), http.StatusSeeOther)
}

// verified refuses seat-taking to an attendee whose email address is not
// confirmed yet, with a way to get the link again, and to one whose ticket
// was cancelled; browsing, favorites, cancelling and leaving waitlists
// stay open.
func (h *Handler) verified(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		canceled := user(r) != nil && user(r).Canceled
		if acc := userAccount(r); canceled || (acc != nil && !acc.Verified()) {
			t := translatorFor(pickLanguage(r))
			// In the session's row when the catalog reserves in place.
			if canceled {
				h.flashAt(r, "error", t.T("ticket.canceled_needed"), r.PathValue("code"))
			} else {
				h.flashAt(r, "error", t.T("verify.needed", "Email", user(r).Email), r.PathValue("code"))
			}
			back := r.PostFormValue("back")
			if back == "" {
				back = "/"
			}
			http.Redirect(w, r, localPath(back), http.StatusSeeOther)
			return
		}
		next(w, r)
	}
}

// textProblem words lanyard's text rule's refusal of value in the page's
// language, or returns "" when value follows rule.
func textProblem(t *translator, value string, rule lanyard.TextRule) string {
	if lanyard.CheckText("text", value, rule) == nil {
		return ""
	}
	switch {
	case utf8.RuneCountInString(value) > rule.Max:
		return t.T("form.too_long")
	case lanyard.CheckText("text", value, lanyard.TextRule{Max: rule.Max, MultiLine: rule.MultiLine}) == nil:
		return t.T("form.text_invisible") // only the visible-character rule failed
	}
	return t.T("form.text_characters")
}

// passwordProblem words auth.CheckPassword's refusal in the page's language.
func passwordProblem(t *translator, pw string, err error) string {
	msg := lanyard.ErrorMessage(err)
	switch {
	case len([]rune(pw)) < auth.MinPasswordLen:
		return t.T("form.password_short", "Min", auth.MinPasswordLen)
	case len(pw) > auth.MaxPasswordLen:
		return t.T("form.password_long", "Max", auth.MaxPasswordLen)
	case strings.Contains(msg, "email"):
		return t.T("form.password_email")
	}
	return t.T("form.password_common")
}

// startSession signs a in, with a new session token so that a token set
// before signing in (session fixation) is worth nothing after.
func (h *Handler) startSession(r *http.Request, a *lanyard.Attendee) error {
	if err := h.Sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	h.Sessions.Put(r.Context(), sessionKey, a.ID)
	h.Sessions.Put(r.Context(), signedInAtKey, time.Now().UnixNano())
	return nil
}

func (h *Handler) signInForm(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "signin.title")
	f := newForm()
	f.Next = localPath(r.URL.Query().Get("next"))
	p.Data = f
	h.render(w, r, http.StatusOK, "signin", p)
}

func (h *Handler) signIn(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "signin.title")
	t := p.translator
	f := newForm()
	f.Next = localPath(r.PostFormValue("next"))
	f.Values["email"] = strings.TrimSpace(r.PostFormValue("email"))
	email := lanyard.NormalizeEmail(f.Values["email"])
	pw := r.PostFormValue("password")
	// Only failures spend: an attendee who signs in on the fifth try, or
	// a hall of people behind one address signing in, are not locked out.
	addr := h.clientAddr(r)
	if h.logins.Blocked(email) || h.fails.Blocked(addr) {
		f.Error = t.T("signin.too_many")
		p.Data = f
		w.Header().Set("Retry-After", "60")
		h.render(w, r, http.StatusTooManyRequests, "signin", p)
		return
	}
	a, acc, err := h.checkPassword(r, p.Event.ID, email, pw)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if a == nil {
		h.logins.Allow(email)
		h.fails.Allow(addr)
		f.Error = t.T("signin.wrong")
		p.Data = f
		h.render(w, r, http.StatusUnauthorized, "signin", p)
		return
	}
	if err := h.startSession(r, a); err != nil {
		h.serverError(w, r, err)
		return
	}
	// The language chosen on the account wins over the browser's, unless
	// one was chosen on this device.
	if acc.Language != "" {
		if _, err := r.Cookie(langCookie); err != nil {
			setLangCookie(w, acc.Language)
		}
	}
	http.Redirect(w, r, landing(a, f.Next), http.StatusSeeOther)
}

// landing is where a person goes after signing in: where they were going,
// else their home — the attendee app for attendees, their booth for
// exhibitors, the console for organizers and staff.
func landing(a *lanyard.Attendee, next string) string {
	if next != "/" {
		return next
	}
	switch a.Role {
	case lanyard.RoleAttendee:
		return next
	case lanyard.RoleExhibitor:
		return ExhibitorPath
	}
	return ConsolePath
}

// ConsolePath is the organizer console's home.
const ConsolePath = "/console"

// ExhibitorPath is an exhibitor's home: their booth (internal/expo).
const ExhibitorPath = "/exhibitor"

// checkPassword returns the attendee whose email and password these are,
// and their account, or nil. It takes as long for an unknown email as for a wrong password, so
// the answer's timing does not tell who has an account.
func (h *Handler) checkPassword(r *http.Request, eventID int64, email, pw string) (*lanyard.Attendee, *lanyard.Account, error) {
	hash := auth.DummyHash
	var acc *lanyard.Account
	a, err := h.Store.FindAttendeeByEmail(r.Context(), eventID, email)
	switch {
	case err == nil:
		acc, err = h.Store.Account(r.Context(), a.ID)
		switch {
		case err == nil:
			hash = acc.PasswordHash
		case lanyard.ErrorCode(err) == lanyard.ENOTFOUND:
			a = nil // registered, but never set a password: a reset link sets one
		default:
			return nil, nil, err
		}
	case lanyard.ErrorCode(err) == lanyard.ENOTFOUND:
		a = nil
	default:
		return nil, nil, err
	}
	ok, err := h.Hasher.Verify(r.Context(), pw, hash)
	if err != nil || !ok || a == nil {
		return nil, nil, err
	}
	return a, acc, nil
}

// clientAddr is the client's IP address, for rate limits.
// Behind a trusted proxy (TrustedProxies), it is the nearest address in
// X-Forwarded-For that is not itself a trusted proxy: the entries a client
// writes come first, so they are never believed.
func (h *Handler) clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !h.trusted(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if hop == "" {
			continue
		}
		if !h.trusted(hop) {
			return hop
		}
		host = hop
	}
	return host
}

func (h *Handler) trusted(addr string) bool {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	for _, p := range h.TrustedProxies {
		if p.Contains(ip.Unmap()) {
			return true
		}
	}
	return false
}

func (h *Handler) signOut(w http.ResponseWriter, r *http.Request) {
	if err := h.Sessions.Destroy(r.Context()); err != nil {
		h.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// resetTTL is how long a password reset link works.
const resetTTL = time.Hour

// blankForm serves a page whose form starts empty.
func (h *Handler) blankForm(titleID, name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := h.newPage(r, titleID)
		p.Data = newForm()
		h.render(w, r, http.StatusOK, name, p)
	}
}

// requestReset mails a reset link (a message, by mail only) if the email is
// registered, and says the same either way.
func (h *Handler) requestReset(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "reset.title")
	t := p.translator
	f := newForm()
	f.Values["email"] = strings.TrimSpace(r.PostFormValue("email"))
	email := lanyard.NormalizeEmail(f.Values["email"])
	if email == "" {
		f.fail("email", t.T("form.email_required"))
		p.Data = f
		h.render(w, r, http.StatusUnprocessableEntity, "reset", p)
		return
	}
	a, err := h.Store.FindAttendeeByEmail(r.Context(), p.Event.ID, email)
	switch {
	case err == nil && allowed(h.resets, email):
		b := make([]byte, 32)
		rand.Read(b)
		token := base64.RawURLEncoding.EncodeToString(b)
		link := h.siteURL(r) + "/reset/" + token
		// Rendered now, in the page's language: the link is in the text and
		// nowhere else (the store keeps only its hash).
		msg := lanyard.Message{EventID: p.Event.ID, AttendeeID: a.ID, Kind: lanyard.KindPasswordReset, Mail: true, Recipient: a.Email, Language: t.lang,
			Subject: t.T("reset.mail_subject", "Event", p.Event.Name),
			Body:    t.T("reset.mail_body", "Name", a.Name, "Link", link, "Minutes", int(resetTTL.Minutes()))}
		if err := h.Store.CreatePasswordReset(r.Context(), a.ID, auth.HashToken(token), time.Now().Add(resetTTL), msg); err != nil {
			h.serverError(w, r, err)
			return
		}
	case err == nil, lanyard.ErrorCode(err) == lanyard.ENOTFOUND:
		// Say nothing different: the page must not reveal who is registered.
	default:
		h.serverError(w, r, err)
		return
	}
	h.flash(r, "ok", t.T("reset.sent", "Email", email))
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// newPasswordForm asks for the new password, or says at once that the
// link has expired or was used.
func (h *Handler) newPasswordForm(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, linkTitle(r))
	f := newForm()
	status := http.StatusOK
	err := h.Store.CheckPasswordReset(r.Context(), auth.HashToken(r.PathValue("token")))
	switch {
	case lanyard.ErrorCode(err) == lanyard.EINVALID:
		f.Error, status = p.T("reset.link_invalid"), http.StatusBadRequest
	case err != nil:
		h.serverError(w, r, err)
		return
	}
	p.Data = f
	h.render(w, r, status, "newpassword", p)
}

// linkTitle titles the set-password page: an invitation's first password
// or a reset.
func linkTitle(r *http.Request) string {
	if strings.HasPrefix(r.URL.Path, "/invite/") {
		return "invite.title"
	}
	return "reset.new_title"
}

func (h *Handler) setNewPassword(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, linkTitle(r))
	t := p.translator
	f := newForm()
	pw := r.PostFormValue("password")
	if err := auth.CheckPassword(pw, ""); err != nil {
		f.fail("password", passwordProblem(t, pw, err))
		p.Data = f
		h.render(w, r, http.StatusUnprocessableEntity, "newpassword", p)
		return
	}
	// The link first: a made-up token must not cost a password hash.
	tokenHash := auth.HashToken(r.PathValue("token"))
	err := h.Store.CheckPasswordReset(r.Context(), tokenHash)
	if err == nil && !allowed(h.hashing, h.clientAddr(r)) {
		f.Error = t.T("signin.too_many")
		p.Data = f
		h.render(w, r, http.StatusTooManyRequests, "newpassword", p)
		return
	}
	var hash string
	if err == nil {
		hash, err = h.Hasher.Hash(r.Context(), pw)
	}
	if err != nil && lanyard.ErrorCode(err) != lanyard.EINVALID {
		h.serverError(w, r, err)
		return
	}
	var id int64
	if err == nil {
		id, err = h.Store.ConsumePasswordReset(r.Context(), tokenHash, hash)
	}
	if lanyard.ErrorCode(err) == lanyard.EINVALID {
		f.Error = t.T("reset.link_invalid")
		p.Data = f
		h.render(w, r, http.StatusBadRequest, "newpassword", p)
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	a, err := h.Store.FindAttendeeByID(r.Context(), id)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if err := h.startSession(r, a); err != nil {
		h.serverError(w, r, err)
		return
	}
	h.flash(r, "ok", t.T("reset.done"))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func setLangCookie(w http.ResponseWriter, lang string) {
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode})
}

// setLanguage switches the pages' language, for this browser and, when
// signed in, for the account.
func (h *Handler) setLanguage(w http.ResponseWriter, r *http.Request) {
	lang := supported(r.PostFormValue("lang"))
	if lang == "" {
		h.errorPage(w, r, http.StatusBadRequest, "error.language")
		return
	}
	setLangCookie(w, lang)
	if a := user(r); a != nil {
		if err := h.savePrefs(r, a, func(acc *lanyard.Account, _ *string) { acc.Language = lang }); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	http.Redirect(w, r, localPath(r.PostFormValue("back")), http.StatusSeeOther)
}

// savePrefs changes the signed-in attendee's preferences with edit,
// starting from the account identify loaded.
func (h *Handler) savePrefs(r *http.Request, a *lanyard.Attendee, edit func(acc *lanyard.Account, homeZone *string)) error {
	acc := *userAccount(r)
	zone := a.HomeZone
	edit(&acc, &zone)
	if acc.ZonePrimary == "" {
		acc.ZonePrimary = lanyard.ZonePrimaryVenue
	}
	return h.Store.SetPreferences(r.Context(), a.ID, acc.Language, acc.ZonePrimary, zone)
}

type settingsData struct {
	*form
	ZonePrimary string
	Lang        string
	Calendar    *calendarLinks // nil until the attendee makes a feed on the agenda page
	// Notify are the channels chosen per kind of notification (inbox.go);
	// NotifyError is about that form.
	Notify      []notifyChoice
	NotifyError string
	// Cert is the certification's validation number (places.go); nil
	// without a store that keeps them.
	Cert *certificationView
	// Sections are the other packages' sections (Handler.SettingsSections).
	Sections []template.HTML
}

// calendarLinks subscribe a calendar app to the attendee's private feed in
// one click: webcal:// for Apple Calendar and most desktop apps, and the
// add-by-URL pages of Google Calendar and Outlook.
type calendarLinks struct {
	Feed, Google, Outlook string
	// Webcal is trusted as a URL: html/template passes only http(s) and
	// mailto, and this one is made here from the site's own address.
	Webcal template.URL
}

// newCalendarLinks makes the links for the feed at feedURL (http or https).
func newCalendarLinks(feedURL, name string) *calendarLinks {
	webcal := feedURL
	if _, rest, ok := strings.Cut(feedURL, "://"); ok {
		webcal = "webcal://" + rest
	}
	return &calendarLinks{Feed: feedURL, Webcal: template.URL(webcal),
		Google:  "https://calendar.google.com/calendar/r?cid=" + url.QueryEscape(webcal),
		Outlook: "https://outlook.live.com/calendar/0/addfromweb?url=" + url.QueryEscape(feedURL) + "&name=" + url.QueryEscape(name)}
}

func (h *Handler) settingsPage(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "settings.title")
	d, err := h.settings(r, p)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	p.Data = d
	h.render(w, r, http.StatusOK, "settings", p)
}

// settings is what the settings page shows as saved.
func (h *Handler) settings(r *http.Request, p *page) (settingsData, error) {
	a := user(r)
	f := newForm()
	f.Zones = homeZones
	f.Values["home_zone"] = a.HomeZone
	d := settingsData{form: f, ZonePrimary: lanyard.ZonePrimaryVenue, Lang: p.lang}
	if p.HomeFirst {
		d.ZonePrimary = lanyard.ZonePrimaryHome
	}
	if acc := userAccount(r); acc != nil && acc.CalendarToken != "" {
		d.Calendar = newCalendarLinks(h.siteURL(r)+"/calendar/"+acc.CalendarToken+".ics", p.Event.Name)
	}
	d.Cert = h.certification(r)                  // === places (issue 13)
	for _, section := range h.SettingsSections { // === issue 14: sharing (internal/leads)
		d.Sections = append(d.Sections, section(r))
	}
	var err error
	d.Notify, err = h.notifyChoices(r, p.translator, a.ID)
	return d, err
}

func (h *Handler) saveSettings(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "settings.title")
	t := p.translator
	a := user(r)
	f := newForm()
	f.Zones = homeZones
	zone := strings.TrimSpace(r.PostFormValue("home_zone"))
	primary := r.PostFormValue("zone_primary")
	lang := supported(r.PostFormValue("lang"))
	f.Values["home_zone"] = zone
	if zone != "" {
		if z, err := lanyard.ResolveZone(zone); err != nil {
			f.fail("home_zone", t.T("form.zone_invalid", "Zone", zone))
		} else {
			zone = z
		}
	}
	if primary != lanyard.ZonePrimaryVenue && primary != lanyard.ZonePrimaryHome {
		f.fail("zone_primary", t.T("form.choose_one"))
	}
	if lang == "" {
		f.fail("lang", t.T("form.choose_one"))
	}
	if !f.ok() {
		p.Data = settingsData{form: f, ZonePrimary: primary, Lang: p.lang}
		h.render(w, r, http.StatusUnprocessableEntity, "settings", p)
		return
	}
	err := h.savePrefs(r, a, func(acc *lanyard.Account, home *string) {
		acc.Language, acc.ZonePrimary, *home = lang, primary, zone
	})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	setLangCookie(w, lang)
	h.flash(r, "ok", translatorFor(lang).T("settings.saved"))
	http.Redirect(w, r, "/settings", http.StatusSeeOther)
}

// toggleZone swaps which zone's times come first.
func (h *Handler) toggleZone(w http.ResponseWriter, r *http.Request) {
	err := h.savePrefs(r, user(r), func(acc *lanyard.Account, _ *string) {
		if acc.ZonePrimary == lanyard.ZonePrimaryHome {
			acc.ZonePrimary = lanyard.ZonePrimaryVenue
		} else {
			acc.ZonePrimary = lanyard.ZonePrimaryHome
		}
	})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, localPath(r.PostFormValue("back")), http.StatusSeeOther)
}

// allowed takes a token from key's bucket, reporting whether there was one.
func allowed(l *limit.Keyed[string], key string) bool {
	_, ok := l.Allow(key)
	return ok
}
