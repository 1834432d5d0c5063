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
	"github.com/lanyardhq/lanyard/internal/respond"
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
	Engine  Engine
	Ident   Identities
	Log     *slog.Logger
	// Limiter bounds each attendee's write rate; nil means no limit.
	Limiter *limit.Keyed[int64]
	// Badges handles photos and badges.
	Badges Badges
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

// Routes registers every API route on mux and returns their patterns (the
// OpenAPI test checks each is documented).
func (h *Handler) Routes(mux *http.ServeMux) []string {
	var patterns []string
	handle := func(pattern string, fn http.HandlerFunc) {
		patterns = append(patterns, pattern)
		mux.HandleFunc(pattern, fn)
	}
	handle("GET /api/v1/openapi.json", h.openAPI)
	handle("GET /api/v1/event", h.auth(public, h.getEvent))
	handle("GET /api/v1/sessions", h.auth(public, h.listSessions))
	handle("GET /api/v1/sessions/{code}", h.auth(public, h.getSession))
	handle("GET /api/v1/venues", h.auth(public, h.listVenues))
	handle("GET /api/v1/me", h.auth(attendee, h.getMe))
	handle("GET /api/v1/me/agenda", h.auth(attendee, h.getAgenda))
	handle("GET /api/v1/me/wishlist", h.auth(attendee, h.getWishlist))
	handle("PUT /api/v1/me/wishlist", h.auth(attendee, h.limited(h.putWishlist)))

	handle("POST /api/v1/reservations", h.auth(attendee, h.limited(h.createReservations)))
	handle("POST /api/v1/reservations/switch", h.auth(attendee, h.limited(h.switchReservation)))
	handle("DELETE /api/v1/reservations/{code}", h.auth(attendee, h.limited(h.seatCommand(Engine.Cancel))))
	handle("POST /api/v1/waitlist/{code}", h.auth(attendee, h.limited(h.seatCommand(Engine.JoinWaitlist))))
	handle("DELETE /api/v1/waitlist/{code}", h.auth(attendee, h.limited(h.seatCommand(Engine.LeaveWaitlist))))

	handle("GET /api/v1/admin/settings", h.auth(organizer, h.getSettings))
	handle("PUT /api/v1/admin/settings", h.auth(organizer, h.putSettings))
	handle("GET /api/v1/admin/holdbacks", h.auth(organizer, h.getHoldbacks))
	handle("PUT /api/v1/admin/holdbacks/{type}", h.auth(organizer, h.putHoldback))
	handle("GET /api/v1/admin/windows", h.auth(organizer, list(h, "windows", Engine.Windows)))
	handle("POST /api/v1/admin/windows", h.auth(organizer, create(h, func(w *lanyard.Window) { w.ID = 0 }, Engine.AddWindow)))
	handle("GET /api/v1/admin/waves", h.auth(organizer, list(h, "waves", Engine.Waves)))
	handle("POST /api/v1/admin/waves", h.auth(organizer, create(h, func(w *lanyard.Wave) { w.ID, w.Released = 0, false }, Engine.AddWave)))
	handle("POST /api/v1/admin/sessions/{code}/overflow", h.auth(organizer, h.addOverflow))

	handle("POST /api/v1/door/{code}/checkin", h.auth(staff, h.door(func(h *Handler, r *http.Request, who int64, code, key string) (lanyard.SeatResult, error) {
		return h.Engine.CheckIn(r.Context(), caller(r.Context()).ID, who, code, key)
	})))
	handle("POST /api/v1/door/{code}/walkup", h.auth(staff, h.door(func(h *Handler, r *http.Request, who int64, code, key string) (lanyard.SeatResult, error) {
		return h.Engine.AdmitWalkup(r.Context(), caller(r.Context()).ID, who, code, key)
	})))
	handle("POST /api/v1/door/{code}/release", h.auth(staff, h.releaseUnclaimed))

	handle("PUT /api/v1/me/photo", h.auth(attendee, h.limited(h.putPhoto)))
	handle("GET /api/v1/me/photo", h.auth(attendee, h.getPhoto))
	handle("GET /api/v1/me/badge", h.auth(attendee, h.getBadgeToken))
	handle("GET /api/v1/me/badge.pdf", h.auth(attendee, h.getBadge))
	handle("POST /api/v1/badges/verify", h.auth(scanner, h.verifyBadge))
	handle("GET /api/v1/admin/photos", h.auth(organizer, h.getPhotoReport))
	handle("GET /api/v1/admin/badges.zip", h.auth(organizer, h.getAllBadges))
	handle("POST /api/v1/admin/badges/{id}/pickup", h.auth(staff, h.pickUpBadge))
	handle("POST /api/v1/admin/badges/{id}/replace", h.auth(staff, h.replaceBadge))

	mux.HandleFunc("/api/v1/", h.notFound)
	return patterns
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
