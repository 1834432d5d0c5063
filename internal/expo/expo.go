// Package expo serves the expo floor: the exhibitor directory (/expo) with
// search and category facets, each booth's page (/expo/{code}) with its
// place on the hall's map and its booth events, the attendee's favorite
// booths as a walking route on the map (/expo/route), booth events on
// their agenda (web.Handler.AgendaSources, agenda.go), the home of exhibitor staff
// (/exhibitor: their booth's details and events) and the organizers'
// console pages (/console/exhibitors: exhibitors, their staff accounts,
// the map and each booth's mark on it).
//
// It shares the attendee app's layout, translations, sign-in session and
// CSRF protection through web.Shell, as internal/desk does, and keeps its
// own templates, messages and static files. Every request checks who may
// do it: anyone reads the directory, a signed-in person favorites, only an
// exhibitor's own staff (store.ExhibitorOf) edit its booth, only
// organizers use the console pages. The map is served as an image only,
// with floorplan.ServeHeaders, an SVG sanitized on upload.
package expo

import (
	"context"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
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

// Store is what the expo pages read and write (*store.DB).
type Store interface {
	PutExhibitor(ctx context.Context, eventID int64, x lanyard.Exhibitor) (lanyard.Exhibitor, error)
	Exhibitor(ctx context.Context, eventID, id int64) (lanyard.Exhibitor, error)
	ExhibitorOf(ctx context.Context, eventID, attendeeID int64) (lanyard.Exhibitor, error)
	SetExhibitorStaff(ctx context.Context, exhibitorID, attendeeID int64) error
	ExpoBooths(ctx context.Context, eventID int64) ([]store.ExpoBooth, error)
	ExpoBooth(ctx context.Context, eventID int64, code string) (store.ExpoBooth, error)
	ExpoSetHours(ctx context.Context, exhibitorID int64, hours string) error
	ExpoMarkBooth(ctx context.Context, eventID, exhibitorID int64, marked bool, x, y, w, h float64) error
	ExpoSaveMap(ctx context.Context, eventID int64, format string, data []byte, minX, minY, width, height float64) error
	ExpoMap(ctx context.Context, eventID int64) (store.ExpoMap, error)
	ExpoMapData(ctx context.Context, eventID int64) (format string, data []byte, version int64, err error)
	ExpoPutEvent(ctx context.Context, eventID int64, e store.ExpoEvent) (int64, error)
	ExpoDeleteEvent(ctx context.Context, exhibitorID, id int64) error
	ExpoEvents(ctx context.Context, eventID, exhibitorID int64) ([]store.ExpoEvent, error)
	ExpoFavoriteEvents(ctx context.Context, eventID, attendeeID int64) ([]store.ExpoEvent, error)
	Places(ctx context.Context, eventID int64) ([]lanyard.Place, error)
	ExpoFavoriteBooths(ctx context.Context, eventID, attendeeID int64) ([]int64, error)
	ExpoFavoriteBooth(ctx context.Context, eventID, attendeeID, exhibitorID int64, on bool) error
	ExpoFavoriteEvent(ctx context.Context, eventID, attendeeID, boothEventID int64, on bool) error
	ExpoStaff(ctx context.Context, exhibitorID int64) ([]*lanyard.Attendee, error)
	ExpoRemoveStaff(ctx context.Context, exhibitorID, attendeeID int64) error
	FindAttendeeByEmail(ctx context.Context, eventID int64, email string) (*lanyard.Attendee, error)
	FindAttendeeByID(ctx context.Context, id int64) (*lanyard.Attendee, error)
	CreateAttendees(ctx context.Context, eventID int64, as []*lanyard.Attendee) error
	SetRole(ctx context.Context, attendeeID int64, role lanyard.Role, audit lanyard.AuditEntry) error
	AddAudit(ctx context.Context, eventID int64, e lanyard.AuditEntry) error
	ExhibitorRemovalPreview(ctx context.Context, eventID, id int64) (store.ExhibitorRemoval, error)
	ExhibitorRemove(ctx context.Context, eventID, id int64, audit lanyard.AuditEntry) (store.ExhibitorRemoval, error)
}

var _ Store = (*store.DB)(nil)

// Handler serves the expo pages of one event. Nothing here calls the
// reservation engine, so every route is route.Any.
type Handler struct {
	Shell   *web.Shell
	Catalog *atomic.Pointer[catalog.Catalog]
	Store   Store
	Log     *slog.Logger
	// Engine retires a removed exhibitor's swag (reserve.Swag); nil: no
	// engine (tests of the pages alone), and nothing to retire.
	Engine reserve.Seats
}

// NewShell returns the web app's shell with the expo's templates, and
// merges the expo's messages into the translations.
func NewShell(pages *web.Handler) (*web.Shell, error) {
	return pages.RoleShell("expo", templateFiles, localeFiles, template.FuncMap{"expoStatic": staticURL, "list": func(s ...string) []string { return s }})
}

// Routes registers the expo's pages on t.
func (h *Handler) Routes(t *route.Table) {
	t.Handle("GET /expo/static/{name}", route.Any, assets)
	// No session: an image, the same for everyone (the policy forbids script).
	t.HandleFunc("GET /expo/map.img", route.Any, h.serveMap)
	page := func(pattern string, fn http.HandlerFunc) { t.Handle(pattern, route.Any, h.Shell.Wrap(fn)) }
	// Anyone: the directory and booth pages, like the catalog.
	page("GET /expo", h.directory)
	page("GET /expo/{code}", h.boothPage)
	// Signed in: favorites and the walking route.
	page("GET /expo/route", h.signedIn(h.routePage))
	page("POST /expo/{code}/favorite", h.signedIn(h.favoriteBooth))
	page("POST /expo/events/{id}/favorite", h.signedIn(h.favoriteEvent))
	// An exhibitor's own staff.
	page("GET /exhibitor", h.staff(h.home))
	page("POST /exhibitor/details", h.staff(h.saveDetails))
	page("POST /exhibitor/events", h.staff(h.saveEvent))
	page("POST /exhibitor/events/{id}/delete", h.staff(h.deleteEvent))
	// Organizers.
	page("GET /console/exhibitors", h.organizer(h.consoleList))
	page("POST /console/exhibitors", h.organizer(h.consoleCreate))
	page("POST /console/exhibitors/map", h.organizer(h.consoleMap))
	page("GET /console/exhibitors/{id}", h.organizer(h.consoleExhibitor))
	page("POST /console/exhibitors/{id}", h.organizer(h.consoleUpdate))
	page("POST /console/exhibitors/{id}/mark", h.organizer(h.consoleMark))
	page("POST /console/exhibitors/{id}/staff", h.organizer(h.consoleAddStaff))
	page("POST /console/exhibitors/{id}/staff/{attendee}/remove", h.organizer(h.consoleRemoveStaff))
	// Served by the lease holder: the confirmation counts the exhibitor's
	// swag in the engine, and removing retires it there first.
	t.Handle("GET /console/exhibitors/{id}/remove", route.Ledger, h.Shell.Wrap(h.organizer(h.consoleRemovePage)))
	t.Handle("POST /console/exhibitors/{id}/remove", route.Ledger, h.Shell.Wrap(h.organizer(h.consoleRemove)))
}

// codeHeader carries a refusal's machine-readable code, as the console's does.
const codeHeader = "X-Lanyard-Code"

// gate runs next when ok(u) for the signed-in person u: anyone else is sent
// to sign in (a page) or refused (a form post, 401), and a signed-in
// person who may not gets a 403 page in their language.
func (h *Handler) gate(ok func(*lanyard.Attendee) bool, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u := h.Shell.User(r)
		switch {
		case u == nil && r.Method == http.MethodGet:
			http.Redirect(w, r, h.Shell.SignInURL(r), http.StatusSeeOther)
		case u == nil:
			h.refuse(w, r, http.StatusUnauthorized, lanyard.EUNAUTHORIZED, "error.signin_needed")
		case !ok(u):
			h.refuse(w, r, http.StatusForbidden, lanyard.EFORBIDDEN, "expo.forbidden")
		default:
			next(w, r)
		}
	}
}

func (h *Handler) signedIn(next http.HandlerFunc) http.HandlerFunc {
	return h.gate(func(*lanyard.Attendee) bool { return true }, next)
}

func (h *Handler) organizer(next http.HandlerFunc) http.HandlerFunc {
	return h.gate(func(u *lanyard.Attendee) bool { return u.Role == lanyard.RoleOrganizer }, next)
}

// exhibitorKey holds the company of the signed-in exhibitor staff member.
type exhibitorKey struct{}

// staff runs next for a signed-in exhibitor who staffs a company of this
// event (store.ExhibitorOf): the role alone names no company.
func (h *Handler) staff(next http.HandlerFunc) http.HandlerFunc {
	return h.gate(func(u *lanyard.Attendee) bool { return u.Role == lanyard.RoleExhibitor }, func(w http.ResponseWriter, r *http.Request) {
		x, err := h.Store.ExhibitorOf(r.Context(), h.event().ID, h.Shell.User(r).ID)
		switch {
		case lanyard.ErrorCode(err) == lanyard.ENOTFOUND:
			h.refuse(w, r, http.StatusForbidden, "no_exhibitor", "expo.exhibitor.none")
		case err != nil:
			h.Shell.ServerError(w, r, err)
		default:
			next(w, r.WithContext(context.WithValue(r.Context(), exhibitorKey{}, x)))
		}
	})
}

// company is the exhibitor the signed-in staff member works for.
func company(r *http.Request) lanyard.Exhibitor {
	return r.Context().Value(exhibitorKey{}).(lanyard.Exhibitor)
}

func (h *Handler) event() *lanyard.Event { return h.Catalog.Load().Event }

// refuse shows the error page with status, the code in codeHeader and the
// message id in the visitor's language; nothing was changed.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, status int, code, id string, args ...any) {
	w.Header().Set(codeHeader, code)
	h.Shell.Error(w, r, status, h.nav(r), id, args...)
}

// nav is nil (the attendee app's links) but for the console's and the
// exhibitor's pages.
func (h *Handler) nav(r *http.Request) []web.NavItem {
	switch {
	case strings.HasPrefix(r.URL.Path, "/console/"):
		return []web.NavItem{
			{Href: "/console", Label: h.Shell.T(r, "expo.nav.console")},
			{Href: "/console/exhibitors", Label: h.Shell.T(r, "expo.nav.exhibitors"), Current: true},
			{Href: "/expo", Label: h.Shell.T(r, "expo.nav.expo")},
		}
	case strings.HasPrefix(r.URL.Path, "/exhibitor"):
		return h.Shell.ExhibitorNav(r)
	}
	return nil
}

// render writes an expo page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name, titleID string, data any) {
	p := h.Shell.Page(r, titleID, h.nav(r), data)
	h.Shell.Render(w, r, status, name, p)
}

// assets are the package's static files, served at /expo/static/.
var assets = web.NewAssets(staticFiles, "static", "/expo/static/")

// staticURL is an asset's versioned URL, for the templates.
func staticURL(name string) string { return assets.URL(name) }
