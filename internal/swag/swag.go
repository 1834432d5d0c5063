// Package swag serves limited swag and booth events (issue 14): the
// exhibitor's page (/exhibitor/swag: items, stock, claim by scanning a
// badge), the attendee's page of a booth's swag with live stock
// (/swag/{exhibitorCode}), and the booth passport (/passport: an
// attendee's progress; booth staff stamp it by scanning; the info desk
// hands the prize, once, at /passport/desk; organizers set it up at
// /passport/setup).
//
// Claims and items are engine commands (reserve.Swag): the lease holder
// decides, so no more claims than the stock and one per attendee hold
// across nodes. Pages read counts from the store (committed), on any node.
// The passport's stamps and prize are store rows whose keys make each
// happen once; they never call the engine.
//
// It shares the web app's layout, translations, sign-in session and CSRF
// protection through web.Shell, like internal/desk. Every route checks the
// role (and for exhibitors, their company through ExhibitorOf) on every
// request.
package swag

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"html/template"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

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

// Store is what the swag pages read and write. *store.DB implements it.
type Store interface {
	ExhibitorOf(ctx context.Context, eventID, attendeeID int64) (lanyard.Exhibitor, error)
	Exhibitors(ctx context.Context, eventID int64) ([]lanyard.Exhibitor, error)
	SwagExhibitorByCode(ctx context.Context, eventID int64, code string) (lanyard.Exhibitor, error)
	SwagItemsOf(ctx context.Context, eventID, exhibitorID int64) ([]lanyard.SwagView, error)
	SwagClaimedBy(ctx context.Context, eventID, attendeeID, exhibitorID int64) ([]int64, error)
	SwagRecentClaims(ctx context.Context, eventID, itemID int64, limit int) ([]store.SwagClaimRecord, error)
	Passport(ctx context.Context, eventID int64) (lanyard.Passport, error)
	PassportPut(ctx context.Context, eventID int64, p lanyard.Passport) error
	PassportStamp(ctx context.Context, eventID, attendeeID, exhibitorID, staffID int64, at time.Time) (bool, error)
	PassportProgressOf(ctx context.Context, eventID, attendeeID int64) (lanyard.PassportProgress, error)
	PassportHandPrize(ctx context.Context, eventID, attendeeID, staffID int64, at time.Time) error
}

// Badges checks a scanned badge: its signature and that no reprint voided
// it (badge.Service.Verify).
type Badges interface {
	Verify(ctx context.Context, token string) (*lanyard.Attendee, error)
}

// Handler serves the swag pages of one event.
type Handler struct {
	Shell   *web.Shell
	Catalog *atomic.Pointer[catalog.Catalog]
	// Engine serves claims on one node; nil on a cluster node, where each
	// ledger request's context carries the engine.
	Engine reserve.Seats
	Store  Store
	Badges Badges
	Log    *slog.Logger
	// Now is the clock of stamps and prizes; time.Now when nil.
	Now func() time.Time
}

// NewShell returns the web app's shell with the swag templates, and merges
// the swag messages into the translations.
func NewShell(pages *web.Handler) (*web.Shell, error) {
	return pages.RoleShell("swag", templateFiles, localeFiles, template.FuncMap{"swagStatic": staticURL})
}

// access is who may use a route.
type access int

const (
	signedIn   access = iota // anyone signed in
	exhibitor                // exhibitor staff of a company (ExhibitorOf)
	deskStaff                // staff and organizers (the info desk)
	organizers               // organizers only
)

func (a access) allows(role lanyard.Role) bool {
	switch a {
	case exhibitor:
		return role == lanyard.RoleExhibitor
	case deskStaff:
		return role == lanyard.RoleStaff || role == lanyard.RoleOrganizer
	case organizers:
		return role == lanyard.RoleOrganizer
	}
	return true
}

// Routes registers the swag pages on t. Claims and item changes are
// route.Ledger (the lease holder's engine decides); everything else is
// served by any node from the store.
func (h *Handler) Routes(t *route.Table) {
	t.Handle("GET /swag-static/{name}", route.Any, assets)
	t.Handle("GET /swag/{code}/stock", route.Any, h.Shell.Wrap(h.stockJSON))
	h.handle(t, "GET /swag/{code}", route.Any, signedIn, h.boothPage)
	h.handle(t, "GET /passport", route.Any, signedIn, h.passportPage)
	h.handle(t, "GET /passport/setup", route.Any, organizers, h.setupPage)
	h.handle(t, "POST /passport/setup", route.Any, organizers, h.setupSave)
	h.handle(t, "GET /passport/desk", route.Any, deskStaff, h.deskPage)
	h.handle(t, "POST /passport/desk", route.Any, deskStaff, h.deskHand)
	h.handle(t, "GET /exhibitor/swag", route.Any, exhibitor, h.exhibitorPage)
	h.handle(t, "POST /exhibitor/swag/stamp", route.Any, exhibitor, h.stamp)
	if reserve.Has[reserve.Swag](h.Engine) {
		h.handle(t, "POST /exhibitor/swag/items", route.Ledger, exhibitor, h.saveItem)
		h.handle(t, "POST /exhibitor/swag/items/{id}/retire", route.Ledger, exhibitor, h.retireItem)
		h.handle(t, "POST /exhibitor/swag/claim", route.Ledger, exhibitor, h.claimForm)
		h.handle(t, "POST /exhibitor/swag/api/claim", route.Ledger, exhibitor, h.claimAPI)
		h.handle(t, "POST /exhibitor/swag/api/sync", route.Ledger, exhibitor, h.syncAPI)
	}
}

// handle registers fn behind the sign-in session, CSRF protection and the
// role check, on every request.
func (h *Handler) handle(t *route.Table, pattern string, need route.Need, a access, fn http.HandlerFunc) {
	api := strings.Contains(pattern, "/api/")
	t.Handle(pattern, need, h.Shell.Wrap(func(w http.ResponseWriter, r *http.Request) {
		u := h.Shell.User(r)
		switch {
		case u == nil && api:
			respond.Error(w, r, h.log(), lanyard.Errorf(lanyard.EUNAUTHORIZED, "Sign in as booth staff first."))
		case u == nil && r.Method == http.MethodGet:
			http.Redirect(w, r, h.Shell.SignInURL(r), http.StatusSeeOther)
		case u == nil:
			w.Header().Set(codeHeader, lanyard.EUNAUTHORIZED)
			h.Shell.Error(w, r, http.StatusUnauthorized, nil, "error.signin_needed")
		case !a.allows(u.Role) && api:
			respond.Error(w, r, h.log(), lanyard.Errorf(lanyard.EFORBIDDEN, "Only an exhibitor's staff may hand out its swag."))
		case !a.allows(u.Role):
			w.Header().Set(codeHeader, lanyard.EFORBIDDEN)
			h.Shell.Error(w, r, http.StatusForbidden, nil, "swag.forbidden")
		default:
			fn(w, r)
		}
	}))
}

// codeHeader carries a refusal's machine-readable code on a page.
const codeHeader = "X-Lanyard-Code"

func (h *Handler) log() *slog.Logger {
	if h.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return h.Log
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Handler) event() *lanyard.Event { return h.Catalog.Load().Event }

// engine returns the engine that serves r. Only ledger routes call it.
func (h *Handler) engine(r *http.Request) reserve.Swag {
	return reserve.ForRequest(r.Context(), h.Engine, r.Pattern).(reserve.Swag)
}

// nav is the header's links for the signed-in person.
func (h *Handler) nav(r *http.Request) []web.NavItem {
	u := h.Shell.User(r)
	switch {
	case strings.HasPrefix(r.URL.Path, "/exhibitor/"):
		return h.Shell.ExhibitorNav(r)
	case u == nil || !(deskStaff.allows(u.Role) || u.Role == lanyard.RoleOrganizer):
		return nil // the attendee app's own links (Expo & people is current)
	}
	var items []web.NavItem
	add := func(href, id string) {
		items = append(items, web.NavItem{Href: href, Label: h.Shell.T(r, id), Current: r.URL.Path == href})
	}
	if u.Role == lanyard.RoleOrganizer {
		add("/console", "swag.nav.console")
	}
	add("/passport", "swag.nav.passport")
	if u != nil && deskStaff.allows(u.Role) {
		add("/passport/desk", "swag.nav.desk")
	}
	if u != nil && u.Role == lanyard.RoleOrganizer {
		add("/passport/setup", "swag.nav.setup")
	}
	return append(items, web.NavItem{Href: "/", Label: h.Shell.T(r, "swag.nav.app")})
}

// render writes a swag page with status.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name, titleID string, data any) {
	p := h.Shell.Page(r, titleID, h.nav(r), data)
	h.Shell.Render(w, r, status, name, p)
}

// refuse shows the error page with status, the code in codeHeader and the
// message id in the visitor's language.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, status int, code, id string, args ...any) {
	w.Header().Set(codeHeader, code)
	h.Shell.Error(w, r, status, h.nav(r), id, args...)
}

// myExhibitor is the company the signed-in exhibitor staffs; it answers
// 403 itself when there is none.
func (h *Handler) myExhibitor(w http.ResponseWriter, r *http.Request, api bool) (lanyard.Exhibitor, bool) {
	x, err := h.Store.ExhibitorOf(r.Context(), h.event().ID, h.Shell.User(r).ID)
	switch {
	case lanyard.ErrorCode(err) == lanyard.ENOTFOUND && api:
		respond.Error(w, r, h.log(), lanyard.Errorf(lanyard.EFORBIDDEN, "This account staffs no exhibitor."))
	case lanyard.ErrorCode(err) == lanyard.ENOTFOUND:
		h.refuse(w, r, http.StatusForbidden, lanyard.EFORBIDDEN, "swag.no_exhibitor")
	case err != nil && api:
		respond.Error(w, r, h.log(), err)
	case err != nil:
		h.Shell.ServerError(w, r, err)
	default:
		return x, true
	}
	return x, false
}

// tokenIn finds a badge token in what was scanned: the QR's text itself,
// or a link that carries one (as the desk reads it).
var tokenIn = regexp.MustCompile(`LY1[A-Z2-7]{20,60}`)

// maxCode bounds what a scan or a wedge may type.
const maxCode = 300

// scanned resolves a scanned code to the attendee of this event whose
// current badge it is: EINVALID for an empty code, EBadgeInvalid for
// anything that is not a badge of ours, ENOTFOUND for a badge nobody holds
// now (a reprint voided it).
func (h *Handler) scanned(ctx context.Context, code string) (*lanyard.Attendee, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return nil, &lanyard.Error{Code: lanyard.EINVALID, Field: "code", Message: "Scan a badge first."}
	}
	tok := ""
	if len(code) <= maxCode {
		tok = tokenIn.FindString(strings.ToUpper(code))
	}
	if tok == "" {
		return nil, &lanyard.Error{Code: lanyard.EBadgeInvalid, Field: "code", Message: "That is not a badge of this event."}
	}
	a, err := h.Badges.Verify(ctx, tok)
	if err != nil {
		return nil, err
	}
	if a.EventID != h.event().ID {
		return nil, lanyard.Errorf(lanyard.EBadgeInvalid, "This badge is for another event.")
	}
	return a, nil
}

// nonce makes a form's one-time key, so a resent form claims nothing twice.
func nonce() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// assets are the package's static files, served at /swag-static/.
var assets = web.NewAssets(staticFiles, "static", "/swag-static/")

// staticURL is an asset's versioned URL, for the templates.
func staticURL(name string) string { return assets.URL(name) }
