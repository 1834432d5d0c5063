package contacts

import (
	"context"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
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

// Store is what the contact pages read and write.
type Store interface {
	ContactExchange(ctx context.Context, s store.ContactScan) (store.ContactScanResult, error)
	Contacts(ctx context.Context, ownerID int64) ([]lanyard.Contact, error)
	Contact(ctx context.Context, ownerID, id int64) (lanyard.Contact, error)
	ContactUpdate(ctx context.Context, ownerID, id int64, u lanyard.ContactUpdate, reminder *lanyard.Message) error
	ContactDelete(ctx context.Context, ownerID, id int64) error
	ContactReservedSessions(ctx context.Context, attendeeID int64) ([]int64, error)
	Sharing(ctx context.Context, attendeeID int64) (lanyard.Sharing, error)
	Exhibitors(ctx context.Context, eventID int64) ([]lanyard.Exhibitor, error)
}

// Badges is what the pages need of badge.Service: the signed token a
// personal QR carries, and the attendee a scanned token names.
type Badges interface {
	Token(ctx context.Context, a *lanyard.Attendee) (string, lanyard.BadgeState, error)
	Verify(ctx context.Context, token string) (*lanyard.Attendee, error)
}

// Handler serves contact exchange and My contacts for one event. It never
// calls the reservation engine, so every route is route.Any.
type Handler struct {
	Shell   *web.Shell
	Catalog *atomic.Pointer[catalog.Catalog]
	Store   Store
	Badges  Badges
	Log     *slog.Logger
	// Now is the clock; nil is the wall clock.
	Now func() time.Time
}

// NewShell returns the web app's shell with the contact pages' templates,
// and merges their messages into the translations.
func NewShell(pages *web.Handler) (*web.Shell, error) {
	return pages.RoleShell("contacts", templateFiles, localeFiles, template.FuncMap{"contactsStatic": staticURL})
}

// Routes registers the contact pages on t.
func (h *Handler) Routes(t *route.Table) {
	t.Handle("GET /contacts/static/{name}", route.Any, assets)
	h.handle(t, "GET /contacts", h.listPage)
	h.handle(t, "GET /contacts/qr", h.qrPage)
	h.handle(t, "GET /contacts/qr.png", h.qrPNG)
	h.handle(t, "GET /contacts/scan", h.scanPage)
	h.handle(t, "POST /contacts/scan", h.scanForm)
	h.handle(t, "POST /contacts/api/sync", h.syncAPI)
	h.handle(t, "GET /contacts/export.vcf", h.exportVCard)
	h.handle(t, "GET /contacts/export.csv", h.exportCSV)
	h.handle(t, "GET /contacts/{id}", h.contactPage)
	h.handle(t, "POST /contacts/{id}", h.update)
	h.handle(t, "POST /contacts/{id}/delete", h.remove)
	h.handle(t, "GET /contacts/vcf/{id}", h.contactVCard)
	h.handle(t, "/contacts/", h.notFound)
}

// handle registers fn behind the sign-in session, CSRF protection and the
// sign-in check.
func (h *Handler) handle(t *route.Table, pattern string, fn http.HandlerFunc) {
	t.Handle(pattern, route.Any, h.Shell.Wrap(h.require(fn)))
}

// codeHeader carries a refusal's machine-readable code on a page; JSON
// answers carry it in their body.
const codeHeader = "X-Lanyard-Code"

// require runs next only for a signed-in person: anyone else is sent to
// sign in (a page) or refused (a post).
func (h *Handler) require(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		switch u := h.Shell.User(r); {
		case u == nil && r.Method == http.MethodGet:
			http.Redirect(w, r, h.Shell.SignInURL(r), http.StatusSeeOther)
		case u == nil && r.URL.Path == "/contacts/api/sync":
			respond.Error(w, r, h.log(), lanyard.Errorf(lanyard.EUNAUTHORIZED, "Sign in to sync your scans."))
		case u == nil:
			w.Header().Set(codeHeader, lanyard.EUNAUTHORIZED)
			h.Shell.Error(w, r, http.StatusUnauthorized, nil, "error.signin_needed")
		default:
			next(w, r)
		}
	}
}

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

// zone is the venue's time zone, where times are shown.
func (h *Handler) zone() *time.Location {
	if loc, err := h.event().Location(); err == nil {
		return loc
	}
	return time.UTC
}

// render writes a contact page in the attendee app's layout.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name, titleID string, data any) {
	h.Shell.Render(w, r, status, name, h.Shell.Page(r, titleID, nil, data))
}

// refuse shows the error page with status, the code in codeHeader and the
// message id in the visitor's language.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, status int, code, id string, args ...any) {
	w.Header().Set(codeHeader, code)
	h.Shell.Error(w, r, status, nil, id, args...)
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.refuse(w, r, http.StatusNotFound, lanyard.ENOTFOUND, "error.not_found", "Link", r.URL.Path)
}

// contact reads the {id} of the path as one of the signed-in person's
// contacts; it answers 404 itself when it is not theirs.
func (h *Handler) contact(w http.ResponseWriter, r *http.Request) (lanyard.Contact, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.refuse(w, r, http.StatusNotFound, lanyard.ENOTFOUND, "contacts.not_found")
		return lanyard.Contact{}, false
	}
	c, err := h.Store.Contact(r.Context(), h.Shell.User(r).ID, id)
	switch {
	case lanyard.ErrorCode(err) == lanyard.ENOTFOUND:
		h.refuse(w, r, http.StatusNotFound, lanyard.ENOTFOUND, "contacts.not_found")
		return c, false
	case err != nil:
		h.Shell.ServerError(w, r, err)
		return c, false
	}
	return c, true
}

func contactPath(id int64) string { return "/contacts/" + strconv.FormatInt(id, 10) }

// assets are the package's static files, served at /contacts/static/.
var assets = web.NewAssets(staticFiles, "static", "/contacts/static/")

// staticURL is an asset's versioned URL, for the templates.
func staticURL(name string) string { return assets.URL(name) }
