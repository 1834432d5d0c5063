// Package web serves lanyard's pages for people: the attendee web app
// (accounts, the catalog, favorites, reservations, the agenda and its
// calendar feed, in English and Korean) and the schedule exports that
// offline schedule apps read (/schedule.xml, /schedule.json).
//
// Pages are rendered on the server and work without JavaScript; a little
// script adds search as you type and live seat counts.
package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/klauspost/compress/gzhttp"

	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/limit"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/respond"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/schedule"
	"github.com/lanyardhq/lanyard/internal/store"
)

//go:embed templates static
var files embed.FS

// Store is what the pages keep in the database beyond the engine's seats.
type Store interface {
	FindAttendeeByID(ctx context.Context, id int64) (*lanyard.Attendee, error)
	FindAttendeeByEmail(ctx context.Context, eventID int64, email string) (*lanyard.Attendee, error)
	SignUp(ctx context.Context, eventID int64, a *lanyard.Attendee, passwordHash string) error
	// Register is SignUp for the sign-up page: the account stays unverified
	// until the link v carries is followed (VerifyEmail).
	Register(ctx context.Context, eventID int64, a *lanyard.Attendee, passwordHash string, v store.Link) error
	VerifyEmail(ctx context.Context, tokenHash []byte) (int64, error)
	CreateLink(ctx context.Context, attendeeID int64, purpose string, l store.Link) error
	SignUpMode(ctx context.Context, eventID int64) (string, error)
	Account(ctx context.Context, attendeeID int64) (*lanyard.Account, error)
	SetPassword(ctx context.Context, attendeeID int64, hash string) error
	SetPreferences(ctx context.Context, attendeeID int64, language, zonePrimary, homeZone string) error
	CreatePasswordReset(ctx context.Context, attendeeID int64, tokenHash []byte, expires time.Time, msg lanyard.Message) error
	// CheckPasswordReset returns EINVALID unless the reset is unused and unexpired.
	CheckPasswordReset(ctx context.Context, tokenHash []byte) error
	ConsumePasswordReset(ctx context.Context, tokenHash []byte, newPasswordHash string) (int64, error)
	SetCalendarToken(ctx context.Context, attendeeID int64, token string) error
	FindAttendeeByCalendarToken(ctx context.Context, token string) (*lanyard.Attendee, error)
	// ScheduleVersion is the schedule's version the exports name: 1 as
	// imported, one more for each saved change (docs/ARCHITECTURE.md
	// "Catalog changes").
	ScheduleVersion(ctx context.Context, eventID int64) (int, error)
	Inbox
	Ratings
}

// Handler serves the pages of one event.
type Handler struct {
	Catalog *atomic.Pointer[catalog.Catalog]
	// Engine serves the seat commands when one engine serves every request:
	// the ledger on one node, or the naive baseline, whose lack of
	// reserve.Plans leaves the favorites and switch routes out. Nil on a
	// cluster node: there the context of each ledger request carries the
	// engine of the lease the node holds (reserve.NewContext).
	Engine reserve.Seats
	// Counts gives live seat counts on any node; Engine's when nil.
	Counts   reserve.Counts
	Store    Store
	Sessions *scs.SessionManager
	Hasher   *auth.Hasher
	Badges   Badges
	Log      *slog.Logger
	// TrustedProxies are the addresses of reverse proxies (TLS in front of
	// lanyard) whose X-Forwarded-For is believed, for per-client limits.
	TrustedProxies []netip.Prefix
	// BaseURL is where people reach the server ("https://lanyard.example");
	// links in emails and calendar feeds use it.
	BaseURL string
	// Now is the clock of "now and next"; nil is the wall clock.
	Now func() time.Time
	// AgendaSources add other features' entries to the agenda (issue 14:
	// meetups, parties, favorite booth events), drawn with their trips like
	// held sessions and listed by "now and next" (agenda_extra.go).
	AgendaSources []AgendaSource
	// SettingsSections are more sections of the settings page, each
	// rendered by its feature's package for the request (issue 14: the
	// sharing choices, internal/leads). Set before serving.
	SettingsSections []func(r *http.Request) template.HTML

	once       sync.Once
	pages      map[string]*template.Template
	static     map[string]staticFile
	staticURLs map[string]string    // name → /static/name?v=version
	logins     *limit.Keyed[string] // failed sign-ins by email
	fails      *limit.Keyed[string] // failed sign-ins by client address
	hashing    *limit.Keyed[string] // sign-ups and new passwords by client address: each costs a password hash
	resets     *limit.Keyed[string] // reset emails by email
	derived    atomic.Pointer[derived]
	seats      *seatFeed
	inbox      *inboxFeed
	csrf       *http.CrossOriginProtection

	mu      sync.Mutex
	exports map[string]export // by format, for the catalog they were made from

	// The compiled shuttle routes of "now and next" (now_shuttle.go).
	shuttleMu sync.Mutex
	shuttles  *shuttleCache

	swMu sync.Mutex
	sw   []byte // the service worker's script (offline.go), made once
}

type export struct {
	from *catalog.Catalog
	body []byte
}

// NewSessions returns the session manager for sign-in: sessions kept in
// store for two weeks (a conference week and the follow-up), in a Secure,
// HttpOnly, SameSite=Lax cookie. No idle timeout: scs would then write the
// session back on every request, a database write per page view that would
// compete with the reservation engine's commits during a rush.
func NewSessions(store scs.Store) *scs.SessionManager {
	s := scs.New()
	s.Store = store
	s.Lifetime = 14 * 24 * time.Hour
	s.Cookie.Name = SessionCookie
	s.Cookie.HttpOnly = true
	s.Cookie.Secure = true // browsers treat http://localhost as secure too
	s.Cookie.SameSite = http.SameSiteLaxMode
	s.Cookie.Persist = true
	return s
}

func (h *Handler) init() {
	h.once.Do(func() {
		h.pages = parsePages()
		h.static = loadStatic()
		h.staticURLs = map[string]string{}
		for name, f := range h.static {
			h.staticURLs[name] = "/static/" + name + "?v=" + f.version
		}
		h.logins = limit.New[string](5.0/60, 5, 100_000)
		// Generous per address: a conference's Wi-Fi puts many people
		// behind one address.
		h.fails = limit.New[string](30.0/60, 30, 100_000)
		h.hashing = limit.New[string](60.0/60, 60, 100_000)
		h.resets = limit.New[string](3.0/3600, 3, 100_000)
		h.csrf = http.NewCrossOriginProtection()
		h.seats = newSeatFeed(h.Catalog, h.counts())
		h.inbox = newInboxFeed(h.Store, h.Log)
		if h.Hasher == nil {
			h.Hasher = auth.NewHasher(2)
		}
	})
}

// Run pushes live seat counts and unread counts to open pages until ctx
// is done.
func (h *Handler) Run(ctx context.Context) {
	h.init()
	go h.inbox.run(ctx, time.Second)
	h.seats.run(ctx, time.Second)
}

// Routes registers the pages on t. A page that reads or changes the
// signed-in attendee's seats, favorites or agenda (the engine) is
// registered with ledger, any other with page: on a cluster node ledger
// pages are served by the lease holder when the request carries a sign-in
// cookie, and by any node to anonymous visitors (the catalog).
func (h *Handler) Routes(t *route.Table) {
	h.init()
	// Pages that read or write a sign-in session; CSRF-checked (no
	// cross-site form posts) and compressed.
	gz := gzhttp.GzipHandler
	wrap := h.wrap
	page := func(pattern string, fn http.HandlerFunc) { t.Handle(pattern, route.Any, wrap(fn)) }
	ledger := func(pattern string, fn http.HandlerFunc) { t.Handle(pattern, signedInLedger, wrap(fn)) }
	plans := reserve.Has[reserve.Plans](h.Engine)
	ledger("GET /{$}", h.catalogPage)
	ledger("GET /sessions/{code}", h.sessionPage)
	page("GET /signup", h.signUpForm)
	page("POST /signup", h.signUp)
	page("GET /signin", h.signInForm)
	page("POST /signin", h.signIn)
	page("POST /signout", h.signOut)
	page("GET /reset", h.blankForm("reset.title", "reset"))
	page("POST /reset", h.requestReset)
	page("GET /reset/{token}", h.newPasswordForm)
	page("POST /reset/{token}", h.setNewPassword)
	// An invitation's link: the reset mechanism, worded for a first password.
	page("GET /invite/{token}", h.newPasswordForm)
	page("POST /invite/{token}", h.setNewPassword)
	page("GET /verify/{token}", h.verifyEmail)
	page("POST /verify", h.signedIn(h.resendVerification))
	page("POST /language", h.setLanguage)
	page("GET /settings", h.signedIn(h.settingsPage))
	page("POST /settings", h.signedIn(h.saveSettings))
	page("POST /zone", h.signedIn(h.toggleZone))
	page("POST /settings/notifications", h.signedIn(h.saveNotifications))
	page("GET /notifications", h.signedIn(h.inboxPage))

	if plans {
		ledger("GET /favorites", h.signedIn(h.favoritesPage))
		ledger("POST /favorites", h.signedIn(h.editFavorites))
		ledger("POST /favorites/reserve", h.signedIn(h.verified(h.reserveFavorites)))
	}
	ledger("POST /reserve/{code}", h.signedIn(h.verified(h.reserve)))

	page("GET /photo", h.signedIn(h.photoPage))
	page("POST /photo", h.signedIn(h.uploadPhoto))
	page("GET /photo.jpg", h.signedIn(h.photoJPEG))
	page("GET /badge.pdf", h.signedIn(h.badgePDF))
	page("GET /badge.png", h.signedIn(h.badgeQR))

	ledger("GET /agenda", h.signedIn(h.agendaPage))
	ledger("POST /agenda/cancel/{code}", h.signedIn(h.cancel))
	if plans {
		ledger("POST /agenda/switch/{code}", h.signedIn(h.verified(h.switchRepeat)))
	}
	ledger("POST /agenda/leave/{code}", h.signedIn(h.leaveWaitlist))
	ledger("GET /agenda.ics", h.signedIn(h.agendaICS))
	// === line: the walk-up line (line.go) ===
	if reserve.Has[reserve.Line](h.Engine) {
		ledger("GET /lines", h.signedIn(h.linesPage))
		ledger("POST /lines/join/{code}", h.signedIn(h.verified(h.joinLine)))
		ledger("POST /lines/leave/{code}", h.signedIn(h.leaveLine))
	}
	page("POST /agenda/feed", h.signedIn(h.feedToken))
	// Venue maps and shuttles (maps.go).
	h.mapRoutes(t)
	// pocket: now and next, ratings, the offline service worker.
	ledger("GET /now", h.signedIn(h.nowPage))
	page("GET /connect", h.connectPage) // issue 14: the "Expo & people" hub
	page("POST /rate/{code}", h.signedIn(h.rate))
	page("GET /ratings/{code}", h.speakerResults)
	t.HandleFunc("GET /sw.js", route.Any, h.serviceWorker)

	// No session: the calendar feed is found by its secret, seat counts
	// and files are the same for everyone.
	t.Handle("GET /calendar/{token}", route.Ledger, gz(http.HandlerFunc(h.calendarFeed)))
	t.HandleFunc("GET /live/seats", route.Any, h.seatEvents)
	// The attendee's own unread count: the session is loaded without
	// LoadAndSave (which buffers) and without gzip (which would too).
	t.HandleFunc("GET /live/inbox", route.Any, h.liveInbox)
	t.Handle("GET /static/{name}", route.Any, gz(http.HandlerFunc(h.serveStatic)))
	t.HandleFunc("GET /schedule.xml", route.Any, h.schedule("xml", "application/xml; charset=utf-8", schedule.WriteXML))
	t.HandleFunc("GET /schedule.json", route.Any, h.schedule("json", "application/json; charset=utf-8", schedule.WriteJSON))
	h.placeRoutes(t, page, ledger) // === places (issue 13): places.go
	// Every other path: a page in the visitor's language with a way back,
	// not the mux's bare text. More specific patterns (the API's own
	// "/api/v1/" answer in JSON) win over this one.
	page("/", h.notFound)
}

// wrap gives a page the sign-in session and CSRF protection, compressed.
func (h *Handler) wrap(fn http.HandlerFunc) http.Handler {
	return gzhttp.GzipHandler(h.csrf.Handler(h.Sessions.LoadAndSave(h.identify(fn))))
}

// notFound answers a path no page has.
func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "error.not_found_title")
	p.Data = errorData{Message: p.T("error.not_found", "Link", r.URL.Path)}
	h.render(w, r, http.StatusNotFound, "error", p)
}

// SessionCookie names the sign-in cookie.
const SessionCookie = "lanyard_session"

// signedInLedger is the need of a page that shows the signed-in
// attendee's seats: the lease holder serves it when the request carries a
// sign-in cookie (valid or not: only the holder can tell what it shows),
// any node otherwise.
var signedInLedger = route.LedgerIf(func(r *http.Request) bool {
	_, err := r.Cookie(SessionCookie)
	return err == nil
})

// engine returns the engine that serves r: the one its context carries (a
// cluster node's), else Engine. Only ledger routes call it.
func (h *Handler) engine(r *http.Request) reserve.Seats {
	return reserve.ForRequest(r.Context(), h.Engine, r.Pattern)
}

// plans returns the engine's reserve.Plans, or nil if it has none.
func (h *Handler) plans(r *http.Request) reserve.Plans {
	p, _ := h.engine(r).(reserve.Plans)
	return p
}

// counts gives seat counts on any node.
func (h *Handler) counts() reserve.Counts {
	if h.Counts != nil {
		return h.Counts
	}
	return h.Engine
}

type ctxKey int

const (
	userKey ctxKey = iota
	accountKey
)

// What a sign-in session holds: the attendee's ID, and when they signed in
// (Unix nanoseconds) so a password change can void older sessions.
const (
	sessionKey    = "attendee"
	signedInAtKey = "since"
)

// identify loads the signed-in attendee and account, if any, into the
// request context. A session begun before the password last changed (a
// reset after a stolen password) is signed out.
func (h *Handler) identify(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := h.Sessions.GetInt64(r.Context(), sessionKey)
		if id != 0 {
			a, acc, err := h.account(r.Context(), id)
			since := time.Unix(0, h.Sessions.GetInt64(r.Context(), signedInAtKey))
			switch {
			case err == nil && a.EventID == h.Catalog.Load().Event.ID && !since.Before(acc.PasswordChangedAt):
				ctx := context.WithValue(r.Context(), userKey, a)
				r = r.WithContext(context.WithValue(ctx, accountKey, acc))
			case err == nil || lanyard.ErrorCode(err) == lanyard.ENOTFOUND:
				// Deleted, of another event, or from before a new password: sign out.
				h.Sessions.Remove(r.Context(), sessionKey)
			default:
				h.serverError(w, r, err)
				return
			}
		}
		next(w, r)
	}
}

func (h *Handler) account(ctx context.Context, id int64) (*lanyard.Attendee, *lanyard.Account, error) {
	a, err := h.Store.FindAttendeeByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	acc, err := h.Store.Account(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return a, acc, nil
}

// userAccount returns the signed-in attendee's account, or nil.
func userAccount(r *http.Request) *lanyard.Account {
	acc, _ := r.Context().Value(accountKey).(*lanyard.Account)
	return acc
}

// user returns the signed-in attendee, or nil.
func user(r *http.Request) *lanyard.Attendee {
	a, _ := r.Context().Value(userKey).(*lanyard.Attendee)
	return a
}

// signedIn sends people who are not signed in to the sign-in page, and
// back here afterwards.
func (h *Handler) signedIn(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if user(r) == nil {
			if r.Method != http.MethodGet {
				h.errorPage(w, r, http.StatusUnauthorized, "error.signin_needed")
				return
			}
			http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		next(w, r)
	}
}

// localPath returns p if it is a path on this site, else "/": redirects
// after a form must not send people elsewhere. Browsers drop tabs and
// newlines from a URL and read a backslash as a slash, so "/\t/evil.example"
// would lead to //evil.example: no control character passes.
func localPath(p string) string {
	// http.Redirect cleans the path ("/./x" → "/x"), so judge it cleaned;
	// a backslash anywhere is refused, since browsers read it as a slash.
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\") ||
		strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "/"
	}
	target, _, _ := strings.Cut(p, "?")
	if strings.HasPrefix(p, "//") || strings.HasPrefix(path.Clean(target), "//") {
		return "/"
	}
	return p
}

// newKey returns a random key for idempotent form posts: a form submitted
// twice carries the same key, and the engine answers the second as the first.
func newKey() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// flash messages survive one redirect.
func (h *Handler) flash(r *http.Request, kind, text string) {
	h.Sessions.Put(r.Context(), "flash", kind+"\x00"+text)
}

// flashAt is a flash about one session: the catalog shows it in the
// session's row, where the attendee is, rather than at the top.
func (h *Handler) flashAt(r *http.Request, kind, text, code string) {
	h.Sessions.Put(r.Context(), "flash", kind+"\x00"+text+"\x00"+code)
}

// WarmHeader marks the service worker's own fetches of the attendee's pages
// (pocket's sw.js), made to keep them for offline use: they leave the
// flash for the page the attendee opens next, which a background fetch
// would otherwise take.
const WarmHeader = "X-Lanyard-Warm"

func (h *Handler) popFlash(r *http.Request) (kind, text, code string) {
	if r.Header.Get(WarmHeader) != "" {
		return "", "", ""
	}
	s := h.Sessions.PopString(r.Context(), "flash")
	kind, rest, _ := strings.Cut(s, "\x00")
	text, code, _ = strings.Cut(rest, "\x00")
	return kind, text, code
}

// serverError logs err and shows a page that says something went wrong,
// or the error's own message for a domain error.
func (h *Handler) serverError(w http.ResponseWriter, r *http.Request, err error) {
	var le *lanyard.Error
	if errors.As(err, &le) {
		h.errorPageText(w, r, respond.Status(le.Code), le.Message)
		return
	}
	h.Log.ErrorContext(r.Context(), "page failed", "path", r.URL.Path, "err", err)
	h.errorPage(w, r, http.StatusInternalServerError, "error.internal")
}

func (h *Handler) errorPage(w http.ResponseWriter, r *http.Request, status int, id string) {
	h.errorPageText(w, r, status, translatorFor(pickLanguage(r)).T(id))
}

func (h *Handler) errorPageText(w http.ResponseWriter, r *http.Request, status int, msg string) {
	p := h.newPage(r, "error.title")
	p.Data = errorData{Message: msg}
	h.render(w, r, status, "error", p)
}

// errorData is what the error page shows: the message, and for an unknown
// session code a search for it.
type errorData struct {
	Message string
	Search  string // a session code to search the catalog for
}

func (h *Handler) schedule(format, contentType string, write func(io.Writer, *lanyard.Catalog, schedule.Options) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := h.Catalog.Load()
		h.mu.Lock()
		ex, ok := h.exports[format]
		h.mu.Unlock()
		if !ok || ex.from != c {
			var buf bytes.Buffer
			// The site's configured address, never the request's Host:
			// the export is cached and served to everyone.
			// Rebuilt when the catalog is swapped, as a saved change does.
			v, err := h.Store.ScheduleVersion(r.Context(), c.Event.ID)
			if err != nil {
				respond.Error(w, r, h.Log, err)
				return
			}
			opt := schedule.Options{BaseURL: h.siteURL(r), Version: strconv.Itoa(v)}
			if err := write(&buf, snapshot(c), opt); err != nil {
				respond.Error(w, r, h.Log, err)
				return
			}
			ex = export{from: c, body: buf.Bytes()}
			h.mu.Lock()
			if h.exports == nil {
				h.exports = map[string]export{}
			}
			h.exports[format] = ex
			h.mu.Unlock()
		}
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Cache-Control", "public, max-age=300")
		w.Write(ex.body)
	}
}

// snapshot copies the indexed catalog into the plain shape exporters take.
func snapshot(c *catalog.Catalog) *lanyard.Catalog {
	out := &lanyard.Catalog{Event: *c.Event, Venues: c.Venues, Travel: c.Travel}
	out.Sessions = make([]lanyard.Session, 0, c.Len())
	for _, s := range c.Sessions() {
		if s.Cancelled {
			continue // off the schedule, as pretalx does; the changelog says why
		}
		out.Sessions = append(out.Sessions, *s)
	}
	return out
}

func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// siteURL is the address for links that leave the page (emails, feeds,
// exports): the configured public URL. Only tests leave it empty; then the
// request's own address is used, which a client controls — never in serve.
func (h *Handler) siteURL(r *http.Request) string {
	if h.BaseURL != "" {
		return strings.TrimSuffix(h.BaseURL, "/")
	}
	return baseURL(r)
}

// staticFile is an embedded asset, served with a content hash in its URL
// so browsers may cache it for good.
type staticFile struct {
	body        []byte
	contentType string
	version     string
}

func loadStatic() map[string]staticFile {
	out := map[string]staticFile{}
	entries, _ := fs.ReadDir(files, "static")
	for _, e := range entries {
		b, _ := fs.ReadFile(files, "static/"+e.Name())
		ct := "application/octet-stream"
		switch {
		case strings.HasSuffix(e.Name(), ".css"):
			ct = "text/css; charset=utf-8"
		case strings.HasSuffix(e.Name(), ".js"):
			ct = "text/javascript; charset=utf-8"
		case strings.HasSuffix(e.Name(), ".svg"):
			ct = "image/svg+xml"
		case strings.HasSuffix(e.Name(), ".txt"):
			ct = "text/plain; charset=utf-8" // jsQR's licence
		}
		out[e.Name()] = staticFile{body: b, contentType: ct, version: contentVersion(b)}
	}
	return out
}

func (h *Handler) serveStatic(w http.ResponseWriter, r *http.Request) {
	f, ok := h.static[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.contentType)
	if r.URL.Query().Get("v") == f.version {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	w.Write(f.body)
}
