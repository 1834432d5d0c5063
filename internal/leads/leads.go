// Package leads serves lead capture with the attendee's consent (issue 14):
// exhibitor staff scan badges at their booth (/exhibitor/leads/scan: the
// shared scanner's camera, handheld scanner and offline queue, uploaded
// idempotently by nonce), rate, note, tag and qualify their leads
// (/exhibitor/leads, /exhibitor/questions), export them as CSV and receive
// them by signed webhook at their own endpoint. Attendees choose what a
// scan shares (a section of /settings), see every exhibitor holding their
// card and withdraw it (/privacy); organizers cap what exhibitors may ever
// see (/console/leads). A lead's card is always read through
// lanyard.CardOf with the current consent and cap (the store builds it).
//
// Every request is authorized: exhibitor pages need the exhibitor role and
// the company the account staffs (store.ExhibitorOf), and only ever touch
// that company's leads; /privacy and the sharing choices are the signed-in
// attendee's own; the cap is the organizers'.
package leads

import (
	"context"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/lanyardhq/lanyard/internal/badge"
	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/respond"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/web"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed fragments/*.tmpl
var fragmentFiles embed.FS

//go:embed locales/*.json
var localeFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Store is what lead capture reads and writes. *store.DB implements it.
type Store interface {
	ExhibitorOf(ctx context.Context, eventID, attendeeID int64) (lanyard.Exhibitor, error)
	Sharing(ctx context.Context, attendeeID int64) (lanyard.Sharing, error)
	PutSharing(ctx context.Context, s lanyard.Sharing) error
	ExhibitorFields(ctx context.Context, eventID int64) ([]string, error)
	PutExhibitorFields(ctx context.Context, eventID int64, fields []string) error

	LeadScan(ctx context.Context, in store.LeadScanInput) (store.LeadScanResult, error)
	Leads(ctx context.Context, eventID, exhibitorID int64, f store.LeadFilter) ([]lanyard.Lead, error)
	Lead(ctx context.Context, eventID, exhibitorID, leadID int64) (lanyard.Lead, error)
	LeadUpdate(ctx context.Context, eventID, exhibitorID, leadID int64, u lanyard.LeadUpdate) error
	LeadHolders(ctx context.Context, eventID, attendeeID int64) ([]store.LeadHolder, error)
	LeadWithdraw(ctx context.Context, eventID, attendeeID, exhibitorID int64) error
	LeadQuestions(ctx context.Context, exhibitorID int64) ([]lanyard.LeadQuestion, error)
	LeadQuestionPut(ctx context.Context, q lanyard.LeadQuestion) (lanyard.LeadQuestion, error)
	LeadQuestionDelete(ctx context.Context, exhibitorID, id int64) error
	LeadHook(ctx context.Context, exhibitorID int64) (lanyard.WebhookEndpoint, error)
	LeadHookPut(ctx context.Context, eventID, exhibitorID int64, rawURL, secret string) (lanyard.WebhookEndpoint, error)
	LeadHookDisable(ctx context.Context, exhibitorID int64) error
}

var _ Store = (*store.DB)(nil)

// Handler serves lead capture for one event.
type Handler struct {
	Shell   *web.Shell
	Catalog *atomic.Pointer[catalog.Catalog]
	Store   Store
	Badges  *badge.Service
	Log     *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time

	fragments *template.Template
}

// NewShell returns the web app's shell with lead capture's templates, and
// merges its messages into the translations.
func NewShell(pages *web.Handler) (*web.Shell, error) {
	return pages.RoleShell("leads", templateFiles, localeFiles, template.FuncMap{"leadsStatic": staticURL, "stars": stars,
		"ints": func(v ...int) []int { return v }, "strs": func(v ...string) []string { return v }})
}

// Routes registers lead capture on t. Nothing here calls the engine: any
// node serves every route.
func (h *Handler) Routes(t *route.Table) {
	h.fragments = template.Must(template.ParseFS(fragmentFiles, "fragments/*.tmpl"))
	t.Handle("GET /leads/static/{name}", route.Any, assets)
	// The scanner's service worker: no data in it, served from its scope.
	t.Handle("GET /exhibitor/leads/sw.js", route.Any, http.HandlerFunc(serveWorker))
	// Exhibitor staff: their own company's leads only.
	h.exhibitor(t, "GET /exhibitor/leads", h.listPage)
	h.exhibitor(t, "GET /exhibitor/leads.csv", h.exportCSV)
	h.exhibitor(t, "GET /exhibitor/leads/scan", h.scanPage)
	h.exhibitor(t, "POST /exhibitor/leads/sync", h.syncAPI)
	h.exhibitor(t, "GET /exhibitor/leads/webhook", h.webhookPage)
	h.exhibitor(t, "POST /exhibitor/leads/webhook", h.saveWebhook)
	h.exhibitor(t, "GET /exhibitor/leads/{id}", h.leadPage)
	h.exhibitor(t, "POST /exhibitor/leads/{id}", h.saveLead)
	h.exhibitor(t, "GET /exhibitor/questions", h.questionsPage)
	h.exhibitor(t, "POST /exhibitor/questions", h.saveQuestion)
	h.exhibitor(t, "POST /exhibitor/questions/{id}/delete", h.deleteQuestion)
	// The attendee's own: what they share, who holds it.
	h.signedIn(t, "GET /privacy", h.privacyPage)
	h.signedIn(t, "POST /privacy/withdraw", h.withdraw)
	h.signedIn(t, "POST /settings/sharing", h.saveSharing)
	// Organizers: the cap on what exhibitors see.
	h.organizer(t, "GET /console/leads", h.capPage)
	h.organizer(t, "POST /console/leads", h.saveCap)
}

// ctxKey carries the exhibitor of an exhibitor request.
type ctxKey struct{}

// exhibitorOf is the company the request's account staffs (set by exhibitor).
func exhibitorOf(r *http.Request) lanyard.Exhibitor {
	x, _ := r.Context().Value(ctxKey{}).(lanyard.Exhibitor)
	return x
}

func isAPI(r *http.Request) bool {
	return r.URL.Path == "/exhibitor/leads/sync"
}

// exhibitor registers fn behind the sign-in session, CSRF protection, the
// exhibitor role and the company the account staffs, checked on every
// request.
func (h *Handler) exhibitor(t *route.Table, pattern string, fn http.HandlerFunc) {
	t.Handle(pattern, route.Any, h.Shell.Wrap(func(w http.ResponseWriter, r *http.Request) {
		u := h.Shell.User(r)
		if !h.signedInOr401(w, r, u) {
			return
		}
		if u.Role != lanyard.RoleExhibitor {
			h.forbidden(w, r, "leads.forbidden", "Only exhibitor staff capture leads.")
			return
		}
		x, err := h.Store.ExhibitorOf(r.Context(), h.event().ID, u.ID)
		if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
			h.forbidden(w, r, "leads.no_company", "This account staffs no exhibitor.")
			return
		}
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		fn(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, x)))
	}))
}

// signedIn registers fn for any signed-in person.
func (h *Handler) signedIn(t *route.Table, pattern string, fn http.HandlerFunc) {
	t.Handle(pattern, route.Any, h.Shell.Wrap(func(w http.ResponseWriter, r *http.Request) {
		if h.signedInOr401(w, r, h.Shell.User(r)) {
			fn(w, r)
		}
	}))
}

// organizer registers fn for organizers.
func (h *Handler) organizer(t *route.Table, pattern string, fn http.HandlerFunc) {
	t.Handle(pattern, route.Any, h.Shell.Wrap(func(w http.ResponseWriter, r *http.Request) {
		u := h.Shell.User(r)
		if !h.signedInOr401(w, r, u) {
			return
		}
		if u.Role != lanyard.RoleOrganizer {
			h.forbidden(w, r, "leads.cap.forbidden", "Only organizers set what exhibitors see.")
			return
		}
		fn(w, r)
	}))
}

func (h *Handler) signedInOr401(w http.ResponseWriter, r *http.Request, u *lanyard.Attendee) bool {
	switch {
	case u != nil:
		return true
	case isAPI(r):
		respond.Error(w, r, h.log(), lanyard.Errorf(lanyard.EUNAUTHORIZED, "Sign in first."))
	case r.Method == http.MethodGet:
		http.Redirect(w, r, h.Shell.SignInURL(r), http.StatusSeeOther)
	default:
		w.Header().Set("X-Lanyard-Code", lanyard.EUNAUTHORIZED)
		h.Shell.Error(w, r, http.StatusUnauthorized, nil, "error.signin_needed")
	}
	return false
}

func (h *Handler) forbidden(w http.ResponseWriter, r *http.Request, id, msg string) {
	if isAPI(r) {
		respond.Error(w, r, h.log(), lanyard.Errorf(lanyard.EFORBIDDEN, "%s", msg))
		return
	}
	w.Header().Set("X-Lanyard-Code", lanyard.EFORBIDDEN)
	h.Shell.Error(w, r, http.StatusForbidden, nil, id)
}

func (h *Handler) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if isAPI(r) {
		respond.Error(w, r, h.log(), err)
		return
	}
	h.Shell.ServerError(w, r, err)
}

// notFound answers a missing (or another company's) lead or question.
func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Lanyard-Code", lanyard.ENOTFOUND)
	h.Shell.Error(w, r, http.StatusNotFound, h.nav(r), "leads.not_found")
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

// zone is the event's time zone, for the times pages show.
func (h *Handler) zone() *time.Location {
	if loc, err := time.LoadLocation(h.event().TimeZone); err == nil {
		return loc
	}
	return time.UTC
}

// nav is the header's links: an exhibitor's lead pages, or nothing extra.
func (h *Handler) nav(r *http.Request) []web.NavItem {
	u := h.Shell.User(r)
	if u == nil || u.Role != lanyard.RoleExhibitor {
		return nil
	}
	return h.Shell.ExhibitorNav(r)
}

// render writes one of the package's pages inside the shared layout.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name, titleID string, data any) {
	p := h.Shell.Page(r, titleID, h.nav(r), data)
	h.Shell.Render(w, r, status, name, p)
}

// stars is a rating as text: "★★★☆☆", or "–" for none.
func stars(n int) string {
	if n <= 0 {
		return "–"
	}
	out := ""
	for i := 1; i <= 5; i++ {
		if i <= n {
			out += "★"
		} else {
			out += "☆"
		}
	}
	return out
}

// code is err's domain code, "" for no error.
func code(err error) string {
	if err == nil {
		return ""
	}
	return lanyard.ErrorCode(err)
}
