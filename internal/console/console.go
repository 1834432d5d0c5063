// Package console serves the organizer console: the web pages organizers
// (everything) and staff (the parts meant for them) run the event from, and
// for exhibitors a page of their own. It shares the attendee app's layout,
// translations, sign-in session and CSRF protection through web.Shell, and
// keeps its own templates (templates/) and messages (locales/).
//
// Every route declares who may use it (an Access); the role is checked on
// every request, so an attendee never reaches a console page or action.
package console

import (
	"embed"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/web"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed locales/*.json
var localeFiles embed.FS

// Access says who may use a console route.
type Access int

const (
	// Members: anyone but an attendee (organizers, staff, exhibitors).
	Members Access = iota
	// Staff: organizers and staff.
	Staff
	// Organizers only.
	Organizers
)

// Allows reports whether role may use a route of access a.
func (a Access) Allows(role lanyard.Role) bool {
	switch role {
	case lanyard.RoleOrganizer:
		return true
	case lanyard.RoleStaff:
		return a <= Staff
	case lanyard.RoleExhibitor:
		return a == Members
	}
	return false
}

// Route is a console route and who may use it.
type Route struct {
	Pattern string
	Access  Access
}

// Store is what the console reads and writes beyond the engine.
type Store interface {
	DashboardStore
	AuditStore
	AttendeeStore
	CommandStore
	ReportStore
	AnnouncementStore
	SessionStore
	WebhookStore
	MailStore
	ImportStore
	RatingStore
	PlaceStore // === places (issue 13)
}

// Handler serves the console of one event.
type Handler struct {
	Shell   *web.Shell
	Catalog *atomic.Pointer[catalog.Catalog]
	// Engine serves the organizer's commands on one node; nil on a cluster
	// node, where each ledger request's context carries the engine.
	Engine reserve.Ledger
	// Counts gives live seat counts on any node; Engine's when nil.
	Counts reserve.Counts
	Store  Store
	Log    *slog.Logger
	// Requests, when set, counts the server's requests for the dashboard's
	// requests per second.
	Requests func() int64
	// Now is the clock of the dashboard's recent minutes; time.Now when nil.
	Now func() time.Time
	// MaxUpload bounds an attendee import's file; 64 MB when 0.
	MaxUpload int64

	routes   []Route
	table    *route.Table            // the server's route table, shared with the other apps
	pages    atomic.Pointer[pageSet] // GET patterns of the table, for the nav
	rate     *rateMeter
	activity activity
	imports  pendingImports // previewed catalog re-imports
}

// NewShell returns the web app's shell with the console's templates, and
// merges the console's messages into the translations.
func NewShell(pages *web.Handler) (*web.Shell, error) {
	return pages.RoleShell("console", templateFiles, localeFiles, template.FuncMap{
		"list": func(s ...string) []string { return s },
		// orCode is a code's words, or the code itself when it has none
		// (a command a newer engine logs): never the message ID.
		"orCode": func(words, id, code string) string {
			if words == id {
				return code
			}
			return words
		},
		"setting": func(s lanyard.ReservationSettings, name string) string {
			// The line's 0 means its default: the form shows what applies.
			s.LineOpensMinutes, s.CallMinutes = s.LineOpens(), s.Call()
			for _, fd := range settingsFields {
				if fd.name == name {
					return strconv.Itoa(*fd.ptr(&s))
				}
			}
			return ""
		},
		"travelValue": func(s lanyard.ReservationSettings) string {
			if s.TravelBlocks {
				return "refuse"
			}
			return "warn"
		},
	})
}

// Routes registers the console on t. Each page says who may use it and
// whether it calls the engine (route.Ledger: served by the lease holder).
func (h *Handler) Routes(t *route.Table) {
	h.rate = newRateMeter(h.Requests)
	h.table = t
	h.handle(t, "GET /console", route.Any, Members, h.home)
	h.handle(t, "GET /console/dashboard", route.Any, Staff, h.dashboard)
	h.handle(t, "GET /console/live", route.Any, Staff, h.dashboardFragment)
	// The engine's settings: served by the lease holder. The naive
	// baseline has no organizer role, so it has no setup pages.
	if h.Engine != nil || t.Forward != nil {
		h.handle(t, "GET /console/setup", route.Ledger, Organizers, h.setupPage)
		h.handle(t, "POST /console/setup/settings", route.Ledger, Organizers, h.saveSettings)
		h.handle(t, "POST /console/setup/holdbacks", route.Ledger, Organizers, h.saveHoldbacks)
		h.handle(t, "POST /console/setup/windows", route.Ledger, Organizers, h.addWindow)
		h.handle(t, "POST /console/setup/waves", route.Ledger, Organizers, h.addWave)
		h.handle(t, "POST /console/setup/overflow", route.Ledger, Organizers, h.addOverflow)
		// One attendee's page shows their agenda (the engine's); its forms
		// show it again when refused.
		h.handle(t, "GET /console/attendees/{id}", route.Ledger, Staff, h.attendeePage)
		h.handle(t, "POST /console/attendees/{id}/role", route.Ledger, Organizers, h.changeRole)
		h.handle(t, "POST /console/attendees/{id}/entitlements", route.Ledger, Organizers, h.grantEntitlement)
		h.handle(t, "POST /console/attendees/{id}/badge", route.Ledger, Staff, h.replaceBadge)
		// A session change previews and saves through the engine, which
		// holds the session's times, room and capacity for its rules.
		h.handle(t, "POST /console/sessions/{code}/preview", route.Ledger, Organizers, h.previewSession)
		h.handle(t, "POST /console/sessions/{code}", route.Ledger, Organizers, h.saveSession)
		h.handle(t, "POST /console/sessions/{code}/repeat", route.Ledger, Organizers, h.addRepeat)
		h.handle(t, "POST /console/catalog/reimport", route.Ledger, Organizers, h.previewReimport)
		h.handle(t, "POST /console/catalog/reimport/apply", route.Ledger, Organizers, h.applyReimport)
		// An import that cancels tickets gives back their seats.
		h.handle(t, "POST /console/import/{id}", route.Ledger, Organizers, h.applyImport)
	} else {
		h.handle(t, "POST /console/import/{id}", route.Any, Organizers, h.applyImport)
	}
	h.handle(t, "GET /console/sessions", route.Any, Organizers, h.sessionsPage)
	h.handle(t, "GET /console/sessions/{code}", route.Any, Organizers, h.sessionPage)
	h.handle(t, "GET /console/catalog/reimport", route.Any, Organizers, h.reimportPage)
	h.handle(t, "GET /console/attendees", route.Any, Staff, h.attendeesPage)
	h.handle(t, "GET /console/photos", route.Any, Staff, h.photosPage)
	h.handle(t, "GET /console/import", route.Any, Organizers, h.importPage)
	h.handle(t, "POST /console/import", route.Any, Organizers, h.upload)
	h.handle(t, "POST /console/import/signup-mode", route.Any, Organizers, h.setSignUpMode)
	h.handle(t, "GET /console/import/{id}", route.Any, Organizers, h.preview)
	h.handle(t, "GET /console/audit", route.Any, Organizers, h.auditPage)
	// Reports read the engine's memory (seat counts; the waitlisted
	// attendees' agendas for repeats): served by the lease holder.
	need := route.Any
	if h.Engine != nil || t.Forward != nil {
		need = route.Ledger
	}
	h.handle(t, "GET /console/reports", need, Staff, h.reportsPage)
	for _, rp := range reports {
		h.handle(t, "GET /console/reports/"+rp.ID+".csv", need, rp.Access, h.reportCSV(rp))
	}
	h.handle(t, "GET /console/announcements", route.Any, Organizers, h.announcementsPage)
	h.handle(t, "POST /console/announcements", route.Any, Organizers, h.announce)
	// The schedule's changelog is public: no sign-in, no role.
	t.Handle("GET /changelog", route.Any, h.Shell.Wrap(h.changelogPage))
	h.handle(t, "GET /console/webhooks", route.Any, Organizers, h.webhooksPage)
	h.handle(t, "POST /console/webhooks", route.Any, Organizers, h.addWebhook)
	h.handle(t, "GET /console/webhooks/{id}", route.Any, Organizers, h.webhookPage)
	h.handle(t, "POST /console/webhooks/{id}", route.Any, Organizers, h.saveWebhook)
	h.handle(t, "POST /console/webhooks/{id}/test", route.Any, Organizers, h.testWebhook)
	h.handle(t, "POST /console/webhooks/{id}/redeliver", route.Any, Organizers, h.redeliverWebhook)
	h.handle(t, "GET /console/mail", route.Any, Organizers, h.mailPage)
	h.handle(t, "POST /console/mail/{id}/retry", route.Any, Organizers, h.retryMail)
	// Venue maps and shuttles (maps.go).
	h.mapRoutes(t)
	h.placeRoutes(t) // === places (issue 13): places.go
	// Unknown console paths: the not-found page, still behind the role check.
	h.handle(t, "/console/", route.Any, Members, h.notFound)
}

// ConsoleRoutes returns the console's routes with who may use each, in
// the order registered.
func (h *Handler) ConsoleRoutes() []Route { return h.routes }

// handle registers fn for pattern behind the sign-in session, CSRF
// protection and the role check of access.
func (h *Handler) handle(t *route.Table, pattern string, need route.Need, access Access, fn http.HandlerFunc) {
	h.routes = append(h.routes, Route{pattern, access})
	t.Handle(pattern, need, h.Shell.Wrap(h.require(access, fn)))
}

// require runs next only for a signed-in person whose role access allows:
// anyone else is sent to sign in (a page) or refused (a form post), and a
// signed-in person of another role gets a 403 page in their language.
func (h *Handler) require(access Access, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u := h.Shell.User(r)
		switch {
		case u == nil && r.Method == http.MethodGet:
			http.Redirect(w, r, h.Shell.SignInURL(r), http.StatusSeeOther)
		case u == nil:
			h.Shell.Error(w, r, http.StatusUnauthorized, nil, "error.signin_needed")
		case !access.Allows(u.Role):
			w.Header().Set("X-Lanyard-Code", "forbidden")
			h.Shell.Error(w, r, http.StatusForbidden, h.nav(r, u), "console.forbidden")
		default:
			next(w, r)
		}
	}
}

// section is one entry of the console's navigation.
type section struct {
	href, label string
	access      Access
}

// sections are the console's navigation, in order. A new page with a
// place in the header adds its entry here.
var sections = []section{
	{"/console/dashboard", "console.nav.dashboard", Staff},
	{"/console/setup", "console.nav.setup", Organizers},
	{"/console/sessions", "console.nav.sessions", Organizers},
	{"/console/attendees", "console.nav.attendees", Staff},
	{"/console/import", "console.nav.import", Organizers},
	{"/console/photos", "console.nav.photos", Staff},
	{"/console/reports", "console.nav.reports", Staff},
	{"/console/announcements", "console.nav.announcements", Organizers},
	{"/console/audit", "console.nav.audit", Organizers},
	{"/console/webhooks", "console.nav.webhooks", Organizers},
	{"/console/mail", "console.nav.mail", Organizers},
	{"/console/maps", "console.nav.maps", Organizers},
	{"/console/exhibitors", "console.nav.exhibitors", Organizers}, // === expo (issue 14): internal/expo
	// === places (issue 13) ===
	{"/console/places", "console.nav.places", Staff},
	{"/console/certifications", "console.nav.certifications", Organizers},
	{"/console/meetups", "console.nav.meetups", Staff}, // issue 14: internal/meetup
	// === leads (issue 14): what exhibitors see (internal/leads) ===
	{"/console/leads", "console.nav.leads", Organizers},
	// The other staff apps on the same route table: the door (internal/door)
	// and the badge desk (internal/desk). Linked when registered there.
	{"/door", "console.nav.door", Staff},
	{"/desk", "console.nav.desk", Staff},
	// === parties (issue 14): internal/party, its own words ===
	{"/parties", "party.nav.console", Organizers},
}

// nav is the header's links for u: the sections their role may use, the
// current one marked, and the attendee app.
func (h *Handler) nav(r *http.Request, u *lanyard.Attendee) []web.NavItem {
	if u == nil || u.Role == lanyard.RoleAttendee {
		return nil
	}
	var out []web.NavItem
	for _, s := range sections {
		if s.access.Allows(u.Role) && h.registered(s.href) {
			out = append(out, web.NavItem{Href: s.href, Label: h.Shell.T(r, s.label),
				Current: r.URL.Path == s.href || strings.HasPrefix(r.URL.Path, s.href+"/")})
		}
	}
	if u.Role == lanyard.RoleExhibitor {
		out = append(out, web.NavItem{Href: "/console", Label: h.Shell.T(r, "console.nav.exhibitor"), Current: r.URL.Path == "/console"})
	}
	return append(out, web.NavItem{Href: "/", Label: h.Shell.T(r, "console.nav.app")})
}

// pageSet is the GET patterns of the route table when it had n routes.
type pageSet struct {
	n   int
	get map[string]bool
}

// registered reports whether a GET page is registered at path, by the
// console or by another app on the same route table (the door and the
// desk register theirs after the console's). The set is rebuilt when the
// table has grown: routes are only added, all before the server serves.
func (h *Handler) registered(path string) bool {
	if h.table == nil {
		for _, rt := range h.routes {
			if rt.Pattern == "GET "+path {
				return true
			}
		}
		return false
	}
	routes := h.table.Routes()
	set := h.pages.Load()
	if set == nil || set.n != len(routes) {
		set = &pageSet{n: len(routes), get: make(map[string]bool, len(routes))}
		for _, rt := range routes {
			if p, ok := strings.CutPrefix(rt.Pattern, "GET "); ok {
				set.get[p] = true
			}
		}
		h.pages.Store(set)
	}
	return set.get[path]
}

// render writes a console page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name, titleID string, data any) {
	p := h.Shell.Page(r, titleID, h.nav(r, h.Shell.User(r)), data)
	h.Shell.Render(w, r, status, name, p)
}

// home sends organizers and staff to the dashboard, and shows exhibitors
// what the console has for them.
func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	if h.Shell.User(r).Role != lanyard.RoleExhibitor {
		http.Redirect(w, r, "/console/dashboard", http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, "exhibitor", "console.exhibitor.title", nil)
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.Shell.Error(w, r, http.StatusNotFound, h.nav(r, h.Shell.User(r)), "error.not_found", "Link", r.URL.Path)
}

// engine returns the engine that serves r: its context's (a cluster
// node's), else Engine. Only ledger routes call it.
func (h *Handler) engine(r *http.Request) reserve.Ledger {
	if e := reserve.FromContext(r.Context()); e != nil {
		return e
	}
	if h.Engine == nil {
		panic(fmt.Sprintf("console: route %q uses the engine; register it as route.Ledger", r.Pattern))
	}
	return h.Engine
}

// counts gives seat counts on any node.
func (h *Handler) counts() reserve.Counts {
	if h.Counts != nil {
		return h.Counts
	}
	if h.Engine != nil {
		return h.Engine
	}
	return nil
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Handler) event() *lanyard.Event { return h.Catalog.Load().Event }

func urlQuery(s string) string { return url.QueryEscape(s) }

func encode(v url.Values) string { return v.Encode() }
