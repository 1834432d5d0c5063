// Package api serves lanyard's JSON API under /api/v1, as described by the
// OpenAPI document it also serves (openapi.json).
package api

import (
	"context"
	_ "embed"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"sync/atomic"

	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/limit"
	"github.com/lanyardhq/lanyard/internal/meetup"
	"github.com/lanyardhq/lanyard/internal/party"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/respond"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/web"
)

//go:embed openapi.json
var openAPI []byte

// Identities resolves API tokens to attendees.
type Identities interface {
	// FindAttendeeByTokenHash returns EUNAUTHORIZED for an unknown hash.
	FindAttendeeByTokenHash(ctx context.Context, hash []byte) (*lanyard.Attendee, error)
	// FindAttendeeByID returns ENOTFOUND for an unknown attendee.
	FindAttendeeByID(ctx context.Context, id int64) (*lanyard.Attendee, error)
}

// Handler serves the API of one event.
type Handler struct {
	// Catalog is the current catalog; swapped whole when it changes.
	Catalog *atomic.Pointer[catalog.Catalog]
	// Engine serves the seat commands when one engine serves every request:
	// the ledger on one node, or the naive baseline. Only the routes of the
	// roles it has are registered (reserve.Plans, reserve.Organizer,
	// reserve.Door). Nil on a cluster node: there the context of each
	// ledger request carries the engine of the lease the node holds
	// (reserve.NewContext), which has every role.
	Engine reserve.Seats
	// Counts gives live seat counts on any node; Engine's when nil.
	Counts reserve.Counts
	Ident  Identities
	Log    *slog.Logger
	// Limiter bounds each attendee's write rate; nil means no limit.
	Limiter *limit.Keyed[int64]
	// Badges handles photos and badges.
	Badges Badges
	// Registrations imports attendees and keeps the sign-up mode.
	Registrations Registrations
	// Audit records organizers' and staff's admin actions; nil records none.
	Audit Auditor
	// PublicURL is where people reach the site, for invitation links; ""
	// refuses imports that invite.
	PublicURL string
	// Webhooks keeps webhook endpoints; nil answers 503.
	Webhooks Webhooks
	// Ratings keeps session ratings; nil answers 503.
	Ratings Ratings
	// Places keeps places' entitlements (issue 13); nil registers no place routes.
	Places PlaceStore
	// Swag reads swag items and exhibitors (issue 14); nil answers 503.
	Swag SwagStore
	// Leads reads an exhibitor's leads for its CRM; nil answers 503.
	Leads LeadStore
	// Contacts, Meetups and Parties are the attendee's own contacts,
	// meetups and parties (people.go); nil answers 503.
	Contacts ContactStore
	Meetups  meetup.Store
	Parties  party.Store
	// AgendaSources are the other features' entries on the agenda page
	// (meetups, parties, booth events), which GET /api/v1/me/agenda lists
	// as its extras; set before the server starts.
	AgendaSources []web.AgendaSource
}

// access is who may call a route.
type access int

const (
	public    access = iota // anyone; a token, if sent, must be valid
	attendee                // any valid token
	staff                   // door staff and organizers
	scanner                 // who scans badges: staff, exhibitors and organizers
	organizer               // organizers only
)

// Routes registers every API route on t (the OpenAPI test checks each is
// documented). A route whose handler calls the engine is registered with
// ledger, any other with handle: on a cluster node ledger routes are
// served by the lease holder.
func (h *Handler) Routes(t *route.Table) {
	handle := func(pattern string, fn http.HandlerFunc) { t.HandleFunc(pattern, route.Any, fn) }
	ledger := func(pattern string, fn http.HandlerFunc) { t.HandleFunc(pattern, route.Ledger, fn) }
	plans, organizes, door := reserve.Has[reserve.Plans](h.Engine), reserve.Has[reserve.Organizer](h.Engine), reserve.Has[reserve.Door](h.Engine)
	handle("GET /api/v1/openapi.json", h.openAPI)
	handle("GET /api/v1/event", h.auth(public, h.getEvent))
	handle("GET /api/v1/sessions", h.auth(public, h.listSessions))
	handle("GET /api/v1/sessions/{code}", h.auth(public, h.getSession))
	handle("GET /api/v1/venues", h.auth(public, h.listVenues))
	handle("GET /api/v1/me", h.auth(attendee, h.getMe))
	ledger("GET /api/v1/me/agenda", h.auth(attendee, h.getAgenda))
	if plans {
		ledger("GET /api/v1/me/wishlist", h.auth(attendee, h.getWishlist))
		ledger("PUT /api/v1/me/wishlist", h.auth(attendee, h.limited(h.putWishlist)))
	}

	ledger("POST /api/v1/reservations", h.auth(attendee, h.limited(h.ticketValid(h.createReservations))))
	if plans {
		ledger("POST /api/v1/reservations/switch", h.auth(attendee, h.limited(h.ticketValid(h.switchReservation))))
	}
	ledger("DELETE /api/v1/reservations/{code}", h.auth(attendee, h.limited(h.seatCommand(reserve.Seats.Cancel))))
	ledger("POST /api/v1/waitlist/{code}", h.auth(attendee, h.limited(h.ticketValid(h.seatCommand(reserve.Seats.JoinWaitlist)))))
	ledger("DELETE /api/v1/waitlist/{code}", h.auth(attendee, h.limited(h.seatCommand(reserve.Seats.LeaveWaitlist))))

	if organizes {
		ledger("GET /api/v1/admin/settings", h.auth(organizer, h.getSettings))
		ledger("PUT /api/v1/admin/settings", h.auth(organizer, h.audited("settings", nil, h.putSettings)))
		ledger("GET /api/v1/admin/holdbacks", h.auth(organizer, h.getHoldbacks))
		ledger("PUT /api/v1/admin/holdbacks/{type}", h.auth(organizer, h.audited("holdbacks", holdbackDetail, h.putHoldback)))
		ledger("GET /api/v1/admin/windows", h.auth(organizer, list(h, "windows", reserve.Organizer.Windows)))
		ledger("POST /api/v1/admin/windows", h.auth(organizer, h.audited("window", nil, create(h, func(w *lanyard.Window) { w.ID = 0 }, reserve.Organizer.AddWindow))))
		ledger("GET /api/v1/admin/waves", h.auth(organizer, list(h, "waves", reserve.Organizer.Waves)))
		ledger("POST /api/v1/admin/waves", h.auth(organizer, h.audited("wave", nil, create(h, func(w *lanyard.Wave) { w.ID, w.Released = 0, false }, reserve.Organizer.AddWave))))
		ledger("POST /api/v1/admin/sessions/{code}/overflow", h.auth(organizer, h.audited("overflow", nil, h.addOverflow)))
	}

	if door {
		ledger("POST /api/v1/door/{code}/checkin", h.auth(staff, h.door(reserve.Door.CheckIn)))
		ledger("POST /api/v1/door/{code}/walkup", h.auth(staff, h.door(reserve.Door.AdmitWalkup)))
		ledger("POST /api/v1/door/{code}/release", h.auth(staff, h.releaseUnclaimed))
	}

	// === line: the walk-up line (line.go) ===
	if reserve.Has[reserve.Line](h.Engine) {
		ledger("POST /api/v1/sessions/{code}/line", h.auth(attendee, h.limited(h.ticketValid(h.lineCommand(reserve.Line.JoinLine)))))
		ledger("DELETE /api/v1/sessions/{code}/line", h.auth(attendee, h.limited(h.lineCommand(reserve.Line.LeaveLine))))
		ledger("GET /api/v1/me/lines", h.auth(attendee, h.getLines))
		ledger("POST /api/v1/door/{code}/line", h.auth(staff, h.addToLine))
	}

	handle("PUT /api/v1/me/photo", h.auth(attendee, h.limited(h.putPhoto)))
	handle("GET /api/v1/me/photo", h.auth(attendee, h.getPhoto))
	handle("GET /api/v1/me/badge", h.auth(attendee, h.getBadgeToken))
	handle("GET /api/v1/me/badge.pdf", h.auth(attendee, h.getBadge))
	// Ratings are rows of the store, checked against the admissions there: any node.
	handle("GET /api/v1/me/ratings/{code}", h.auth(attendee, h.ratings(h.getRating)))
	handle("PUT /api/v1/me/ratings/{code}", h.auth(attendee, h.limited(h.ratings(h.putRating))))
	handle("POST /api/v1/badges/verify", h.auth(scanner, h.verifyBadge))
	handle("GET /api/v1/admin/photos", h.auth(organizer, h.getPhotoReport))
	handle("GET /api/v1/admin/badges.zip", h.auth(organizer, h.getAllBadges))
	handle("POST /api/v1/admin/badges/{id}/pickup", h.auth(staff, h.audited("badge_pickup", nil, h.pickUpBadge)))
	handle("POST /api/v1/admin/badges/{id}/replace", h.auth(staff, h.audited("badge_replaced", nil, h.replaceBadge)))
	// Served by the engine's holder where there is one: an import that
	// cancels tickets gives their seats back.
	importRoute, cancel := handle, false
	if organizes {
		importRoute, cancel = ledger, true
	}
	importRoute("POST /api/v1/admin/attendees/import", h.auth(organizer, h.registrations(h.audited("attendee_import", importDetail, h.importer(cancel)))))
	// The sign-up mode writes no seats: any node.
	handle("GET /api/v1/admin/signup-mode", h.auth(organizer, h.registrations(h.getSignUpMode)))
	handle("PUT /api/v1/admin/signup-mode", h.auth(organizer, h.registrations(h.audited("signup_mode", nil, h.putSignUpMode))))
	// Webhook endpoints are rows of the store, not seats: any node.
	handle("GET /api/v1/admin/webhooks", h.auth(organizer, h.webhooks(h.listWebhooks)))
	handle("POST /api/v1/admin/webhooks", h.auth(organizer, h.webhooks(h.createWebhook)))
	handle("PUT /api/v1/admin/webhooks/{id}", h.auth(organizer, h.webhooks(h.putWebhook)))
	handle("GET /api/v1/admin/webhooks/{id}/deliveries", h.auth(organizer, h.webhooks(h.listDeliveries)))
	handle("POST /api/v1/admin/webhooks/{id}/test", h.auth(organizer, h.webhooks(h.testWebhook)))
	handle("POST /api/v1/admin/webhooks/{id}/deliveries/{delivery}/redeliver", h.auth(organizer, h.webhooks(h.redeliver)))

	h.placeRoutes(t)  // === places (issue 13): places.go
	h.swagRoutes(t)   // === swag (issue 14): swag.go
	h.leadRoutes(t)   // === leads for CRMs (issue 14 follow-up): lead.go
	h.peopleRoutes(t) // === contacts, meetups, parties (issue 14 follow-up): people.go

	t.Mux.HandleFunc("/api/v1/", h.notFound)
}

// engine returns the engine that serves r: the one its context carries (a
// cluster node's), else Engine. Only ledger routes call it.
func (h *Handler) engine(r *http.Request) reserve.Seats {
	return reserve.ForRequest(r.Context(), h.Engine, r.Pattern)
}

// The engine's other roles; their routes exist only if it has them.
func (h *Handler) plans(r *http.Request) reserve.Plans { return h.engine(r).(reserve.Plans) }
func (h *Handler) organizer(r *http.Request) reserve.Organizer {
	return h.engine(r).(reserve.Organizer)
}

// counts gives seat counts on any node.
func (h *Handler) counts() reserve.Counts {
	if h.Counts != nil {
		return h.Counts
	}
	return h.Engine
}

type ctxKey struct{}

// caller returns the attendee who made the request, or nil if anonymous.
func caller(ctx context.Context) *lanyard.Attendee {
	a, _ := ctx.Value(ctxKey{}).(*lanyard.Attendee)
	return a
}

// auth resolves the bearer token, if any, and checks the caller may use the
// route. A token that is present but wrong is refused even on public
// routes, so a client with a broken token learns at once.
func (h *Handler) auth(need access, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("Authorization")
		if header == "" {
			if need != public {
				h.error(w, r, lanyard.Errorf(lanyard.EUNAUTHORIZED, "This needs an API token: send Authorization: Bearer <token> (lanyard token create prints one)."))
				return
			}
			next(w, r)
			return
		}
		token := auth.BearerToken(header)
		if token == "" {
			h.error(w, r, lanyard.Errorf(lanyard.EUNAUTHORIZED, "The Authorization header must be \"Bearer <token>\"."))
			return
		}
		a, err := h.Ident.FindAttendeeByTokenHash(r.Context(), auth.HashToken(token))
		if err != nil {
			h.error(w, r, err)
			return
		}
		if a.EventID != h.Catalog.Load().Event.ID {
			h.error(w, r, lanyard.Errorf(lanyard.EUNAUTHORIZED, "The API token belongs to another event."))
			return
		}
		switch {
		case need == organizer && a.Role != lanyard.RoleOrganizer:
			h.error(w, r, lanyard.Errorf(lanyard.EFORBIDDEN, "Only organizers may do this."))
			return
		case need == staff && a.Role != lanyard.RoleStaff && a.Role != lanyard.RoleOrganizer:
			h.error(w, r, lanyard.Errorf(lanyard.EFORBIDDEN, "Only door staff and organizers may do this."))
			return
		case need == scanner && a.Role == lanyard.RoleAttendee:
			h.error(w, r, lanyard.Errorf(lanyard.EFORBIDDEN, "Only staff, exhibitors and organizers may scan badges."))
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, a)))
	}
}

// limited refuses an attendee's writes beyond their rate with 429.
func (h *Handler) limited(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.Limiter != nil {
			if wait, ok := h.Limiter.Allow(caller(r.Context()).ID); !ok {
				w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
				h.error(w, r, lanyard.Errorf(lanyard.ETOOMANY, "Too many requests; slow down and retry in a moment."))
				return
			}
		}
		next(w, r)
	}
}

func (h *Handler) error(w http.ResponseWriter, r *http.Request, err error) {
	respond.Error(w, r, h.Log, err)
}

func (h *Handler) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openAPI)
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.error(w, r, lanyard.Errorf(lanyard.ENOTFOUND, "No API route %s %s; see /api/v1/openapi.json.", r.Method, r.URL.Path))
}

func (h *Handler) getMe(w http.ResponseWriter, r *http.Request) {
	respond.JSON(w, http.StatusOK, caller(r.Context()))
}
