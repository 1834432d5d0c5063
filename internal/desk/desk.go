// Package desk serves the registration (badge) desk: the pages organizers
// and staff use to find an arriving attendee (by the QR code of their
// badge, on paper or on their phone, scanned by the desk's camera or a
// keyboard-wedge scanner, or by a name search), take their badge photo
// with the desk's webcam with the photo checks live on screen, print the
// badge, and mark it picked up. A reprint voids the badge printed before
// it: its version is bumped, so the old QR code no longer verifies and the
// doors refuse it as replaced.
//
// It shares the attendee app's layout, translations, sign-in session and
// CSRF protection through web.Shell, as internal/console does, and keeps
// its own templates (templates/), messages (locales/) and scripts
// (static/, with jsQR vendored from npm). The role is checked on every
// request: an attendee or exhibitor never reaches a desk page or action.
package desk

import (
	"context"
	"embed"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/lanyardhq/lanyard/internal/badge"
	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
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

// Store is what the desk reads and writes.
type Store interface {
	SearchAttendees(ctx context.Context, eventID int64, q string, offset, limit int) ([]*lanyard.Attendee, bool, error)
	FindAttendeeByID(ctx context.Context, id int64) (*lanyard.Attendee, error)
	FindAttendeeByEmail(ctx context.Context, eventID int64, email string) (*lanyard.Attendee, error)
	DeskBadge(ctx context.Context, attendeeID int64) (store.DeskBadge, error)
	RecordBadgePrint(ctx context.Context, attendeeID, actor int64, void bool, seen int, audit lanyard.AuditEntry) (store.DeskBadge, error)
	MarkPickedUpBy(ctx context.Context, attendeeID, actor int64, audit lanyard.AuditEntry) (store.DeskBadge, bool, error)
	AddAudit(ctx context.Context, eventID int64, e lanyard.AuditEntry) error
}

// Badges is what the desk needs of badge.Service: the same photo store
// and checks as the attendee's own upload, the same PDF, the same tokens.
type Badges interface {
	UploadPhoto(ctx context.Context, attendeeID int64, r io.Reader) (*lanyard.Photo, error)
	Photo(ctx context.Context, attendeeID int64) (*lanyard.Photo, error)
	WriteBadge(ctx context.Context, w io.Writer, a *lanyard.Attendee) error
	Claims(ctx context.Context, token string) (badge.Claims, error)
}

// Handler serves the badge desk of one event. It never calls the
// reservation engine, so every route is route.Any.
type Handler struct {
	Shell   *web.Shell
	Catalog *atomic.Pointer[catalog.Catalog]
	Store   Store
	Badges  Badges
	Log     *slog.Logger
}

// NewShell returns the web app's shell with the desk's templates, and
// merges the desk's messages into the translations.
func NewShell(pages *web.Handler) (*web.Shell, error) {
	return pages.RoleShell("desk", templateFiles, localeFiles, template.FuncMap{"deskStatic": staticURL})
}

// Routes registers the desk on t.
func (h *Handler) Routes(t *route.Table) {
	// Scripts and styles: public like the app's own, cached by version.
	t.Handle("GET /desk/static/{name}", route.Any, assets)
	h.handle(t, "GET /desk", h.findPage)
	h.handle(t, "GET /desk/find", h.find)
	h.handle(t, "GET /desk/attendees/{id}", h.attendeePage)
	h.handle(t, "GET /desk/attendees/{id}/photo.jpg", h.photoJPEG)
	h.handle(t, "POST /desk/attendees/{id}/photo", h.uploadPhoto)
	h.handle(t, "POST /desk/attendees/{id}/print", h.print)
	h.handle(t, "GET /desk/attendees/{id}/badge.pdf", h.badgePDF)
	h.handle(t, "POST /desk/attendees/{id}/pickup", h.pickUp)
	// Unknown desk paths: the not-found page, still behind the role check.
	h.handle(t, "/desk/", h.notFound)
}

// handle registers fn for pattern behind the sign-in session, CSRF
// protection and the role check.
func (h *Handler) handle(t *route.Table, pattern string, fn http.HandlerFunc) {
	t.Handle(pattern, route.Any, h.Shell.Wrap(h.require(fn)))
}

// Allowed reports whether role may use the desk: organizers and staff.
func Allowed(role lanyard.Role) bool {
	return role == lanyard.RoleOrganizer || role == lanyard.RoleStaff
}

// require runs next only for a signed-in organizer or staff member: anyone
// else is sent to sign in (a page) or refused (a form post), and a
// signed-in person of another role gets a 403 page in their language.
func (h *Handler) require(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u := h.Shell.User(r)
		switch {
		case u == nil && r.Method == http.MethodGet:
			http.Redirect(w, r, h.Shell.SignInURL(r), http.StatusSeeOther)
		case u == nil:
			w.Header().Set(codeHeader, lanyard.EUNAUTHORIZED)
			h.Shell.Error(w, r, http.StatusUnauthorized, nil, "error.signin_needed")
		case !Allowed(u.Role):
			w.Header().Set(codeHeader, lanyard.EFORBIDDEN)
			h.Shell.Error(w, r, http.StatusForbidden, nil, "desk.forbidden")
		default:
			next(w, r)
		}
	}
}

// codeHeader carries a refusal's machine-readable code on a page, as the
// console's X-Lanyard-Code does; JSON answers carry it in their body too.
const codeHeader = "X-Lanyard-Code"

// nav is the header's links: the desk, the console, the attendee app.
func (h *Handler) nav(r *http.Request) []web.NavItem {
	return []web.NavItem{
		{Href: "/desk", Label: h.Shell.T(r, "desk.nav.desk"), Current: strings.HasPrefix(r.URL.Path, "/desk")},
		{Href: "/console", Label: h.Shell.T(r, "desk.nav.console")},
		{Href: "/", Label: h.Shell.T(r, "desk.nav.app")},
	}
}

// render writes a desk page.
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

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.refuse(w, r, http.StatusNotFound, lanyard.ENOTFOUND, "error.not_found", "Link", r.URL.Path)
}

func (h *Handler) event() *lanyard.Event { return h.Catalog.Load().Event }

// actor is the signed-in staff member or organizer.
func (h *Handler) actor(r *http.Request) int64 {
	if u := h.Shell.User(r); u != nil {
		return u.ID
	}
	return 0
}

// attendee reads the {id} of the path; it answers 404 itself when there is
// no such attendee of this event.
func (h *Handler) attendee(w http.ResponseWriter, r *http.Request) *lanyard.Attendee {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.refuse(w, r, http.StatusNotFound, lanyard.ENOTFOUND, "desk.attendee.not_found")
		return nil
	}
	a, err := h.Store.FindAttendeeByID(r.Context(), id)
	switch {
	case lanyard.ErrorCode(err) == lanyard.ENOTFOUND || (err == nil && a.EventID != h.event().ID):
		h.refuse(w, r, http.StatusNotFound, lanyard.ENOTFOUND, "desk.attendee.not_found")
		return nil
	case err != nil:
		h.Shell.ServerError(w, r, err)
		return nil
	}
	return a
}

func attendeePath(id int64) string { return "/desk/attendees/" + strconv.FormatInt(id, 10) }

// assets are the package's static files, served at /desk/static/.
var assets = web.NewAssets(staticFiles, "static", "/desk/static/")

// staticURL is an asset's versioned URL, for the templates.
func staticURL(name string) string { return assets.URL(name) }
