// Package door serves the door app: the pages door staff (and organizers)
// turn a phone or tablet into a badge scanner with. A scan answers with a
// verdict (admit, admit walk-up, send to overflow, deny with the reason)
// in the staff member's language; offline, the device verifies badges
// against the door's data, which the server signs with Ed25519, queues its
// scans and syncs them idempotently; conflicts found at sync are kept for a
// supervisor. It shares the web app's layout, translations, sign-in session
// and CSRF protection through web.Shell, like internal/console.
//
// Every route checks the role on every request: attendees and exhibitors
// get 403.
package door

import (
	"context"
	"crypto/ed25519"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/gzhttp"

	"github.com/lanyardhq/lanyard/internal/badge"
	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/respond"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/web"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed locales/*.json
var localeFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Store is what the door app reads and writes beyond the engine.
// *store.DB implements it.
type Store interface {
	DoorAttendee(ctx context.Context, id int64) (*lanyard.Attendee, int, error)
	SearchAttendees(ctx context.Context, eventID int64, q string, offset, limit int) ([]*lanyard.Attendee, bool, error)
	DoorKey(ctx context.Context, eventID int64) (ed25519.PrivateKey, error)
	BadgeVersions(ctx context.Context, eventID int64) ([]store.BadgeVersion, error)
	BadgeFingerprint(ctx context.Context, eventID int64) (string, error)
	SessionReservations(ctx context.Context, sessionID int64) ([]store.DoorPerson, error)
	SessionAdmissions(ctx context.Context, sessionID int64) ([]int64, error)
	OverflowRooms(ctx context.Context, sessionID int64) ([]store.OverflowRoom, error)
	RecordDoorScan(ctx context.Context, s store.DoorScan) (bool, error)
	RecordDoorScans(ctx context.Context, scans []store.DoorScan) error
	DoorScanned(ctx context.Context, eventID int64, door, verdict, room string, attendee int64) ([]int64, error)
	DoorStats(ctx context.Context, eventID int64, door string, since time.Time) ([]store.DoorStat, error)
	AddDoorConflict(ctx context.Context, c store.DoorConflict) (bool, error)
	DoorConflicts(ctx context.Context, eventID int64, door string, limit int) ([]store.DoorConflict, error)
}

// PlaceStore is the places' side of the store (lounges, expo, parties),
// which another change adds; the door lists and scans places only when
// the Handler has one and the engine has the reserve.Places role.
type PlaceStore interface {
	Places(ctx context.Context, eventID int64) ([]lanyard.Place, error)
}

// Handler serves the door app of one event.
type Handler struct {
	Shell   *web.Shell
	Catalog *atomic.Pointer[catalog.Catalog]
	// Engine serves the door's commands on one node; nil on a cluster
	// node, where each ledger request's context carries the engine.
	Engine reserve.Seats
	Store  Store
	// Places, when set, lists the places with a door (see PlaceStore).
	Places PlaceStore
	Badges *badge.Service
	Log    *slog.Logger
	// Now is the clock of the door picker and the stats; time.Now when nil.
	Now func() time.Time

	records   atomic.Pointer[chan store.DoorScan] // Run's writer, when it runs
	badgeRecs badgeCache                          // the door data's badge records, while they hold
}

// NewShell returns the web app's shell with the door's templates, and
// merges the door's messages into the translations.
func NewShell(pages *web.Handler) (*web.Shell, error) {
	return pages.RoleShell("door", templateFiles, localeFiles, template.FuncMap{})
}

// Routes registers the door app on t. Routes that call the engine are
// route.Ledger (served by the lease holder); the rest any node serves.
func (h *Handler) Routes(t *route.Table) {
	// The app's files hold no data: the manifest is fetched without
	// cookies, and the service worker must be served from /door/ to
	// control the app's pages.
	t.Handle("GET /door/static/{name}", route.Any, gzhttp.GzipHandler(http.HandlerFunc(h.serveStatic)))
	t.Handle("GET /door/sw.js", route.Any, gzhttp.GzipHandler(http.HandlerFunc(h.serveWorker)))
	t.Handle("GET /door/manifest.webmanifest", route.Any, http.HandlerFunc(h.serveManifest))
	h.handle(t, "GET /door", route.Any, staffOnly, h.pickPage)
	h.handle(t, "GET /door/app", route.Any, staffOnly, h.appPage)
	h.handle(t, "GET /door/api/search", route.Any, staffOnly, h.search)
	h.handle(t, "GET /door/stats", route.Any, staffOnly, h.statsPage)
	h.handle(t, "GET /door/conflicts", route.Any, organizersOnly, h.conflictsPage)
	if reserve.Has[reserve.Door](h.Engine) {
		h.handle(t, "POST /door/api/scan", route.Ledger, staffOnly, h.scanAPI)
		h.handle(t, "POST /door/api/sync", route.Ledger, staffOnly, h.syncAPI)
		h.handle(t, "GET /door/api/data", route.Ledger, staffOnly, h.dataAPI)
		h.handle(t, "GET /door/api/count", route.Ledger, staffOnly, h.countAPI)
	}
}

type access int

const (
	staffOnly access = iota
	organizersOnly
)

func (a access) allows(role lanyard.Role) bool {
	switch role {
	case lanyard.RoleOrganizer:
		return true
	case lanyard.RoleStaff:
		return a == staffOnly
	}
	return false
}

// handle registers fn for pattern behind the sign-in session, CSRF
// protection and the role check, which runs on every request.
func (h *Handler) handle(t *route.Table, pattern string, need route.Need, a access, fn http.HandlerFunc) {
	api := strings.Contains(pattern, "/door/api/")
	t.Handle(pattern, need, h.Shell.Wrap(func(w http.ResponseWriter, r *http.Request) {
		u := h.Shell.User(r)
		switch {
		case u == nil && api:
			h.apiError(w, r, lanyard.Errorf(lanyard.EUNAUTHORIZED, "Sign in as door staff first."))
		case u == nil && r.Method == http.MethodGet:
			http.Redirect(w, r, h.Shell.SignInURL(r), http.StatusSeeOther)
		case u == nil:
			h.Shell.Error(w, r, http.StatusUnauthorized, nil, "error.signin_needed")
		case !a.allows(u.Role) && api:
			h.apiError(w, r, lanyard.Errorf(lanyard.EFORBIDDEN, "Only door staff and organizers may use the door app."))
		case !a.allows(u.Role):
			w.Header().Set("X-Lanyard-Code", "forbidden")
			h.Shell.Error(w, r, http.StatusForbidden, nil, "door.forbidden")
		default:
			fn(w, r)
		}
	}))
}

// apiError writes err as the API's JSON error, in English for the code's
// reader; the app shows its own words for known codes.
func (h *Handler) apiError(w http.ResponseWriter, r *http.Request, err error) {
	respond.Error(w, r, h.log(), err)
}

func (h *Handler) log() *slog.Logger {
	if h.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return h.Log
}

// engine returns the engine that serves r. Only ledger routes call it.
func (h *Handler) engine(r *http.Request) reserve.Seats {
	return reserve.ForRequest(r.Context(), h.Engine, r.Pattern)
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Handler) cat() *catalog.Catalog { return h.Catalog.Load() }

func (h *Handler) event() *lanyard.Event { return h.cat().Event }

// nav is the header's links: the door app's pages the role may use.
func (h *Handler) nav(r *http.Request) []web.NavItem {
	u := h.Shell.User(r)
	items := []web.NavItem{{Href: "/door", Label: h.Shell.T(r, "door.nav.pick"), Current: r.URL.Path == "/door"}}
	if u != nil && u.Role == lanyard.RoleOrganizer {
		items = append(items, web.NavItem{Href: "/door/conflicts", Label: h.Shell.T(r, "door.nav.conflicts"), Current: r.URL.Path == "/door/conflicts"})
	}
	return append(items, web.NavItem{Href: "/console", Label: h.Shell.T(r, "door.nav.console")})
}

// render writes a door page inside the shared layout.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name, titleID string, data any) {
	p := h.Shell.Page(r, titleID, h.nav(r), data)
	h.Shell.Render(w, r, status, name, p)
}
