// Package api serves lanyard's JSON API under /api/v1, as described by the
// OpenAPI document it also serves (openapi.json).
package api

import (
	"context"
	_ "embed"
	"log/slog"
	"net/http"
	"sync/atomic"

	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/respond"
)

//go:embed openapi.json
var openAPI []byte

// Identities resolves API tokens to attendees.
type Identities interface {
	// FindAttendeeByTokenHash returns EUNAUTHORIZED for an unknown hash.
	FindAttendeeByTokenHash(ctx context.Context, hash []byte) (*lanyard.Attendee, error)
}

// Handler serves the API of one event.
type Handler struct {
	// Catalog is the current catalog; swapped whole when it changes.
	Catalog *atomic.Pointer[catalog.Catalog]
	Ident   Identities
	Log     *slog.Logger
}

// Routes registers every API route on mux.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/openapi.json", h.openAPI)
	mux.HandleFunc("GET /api/v1/event", h.authed(h.getEvent, false))
	mux.HandleFunc("GET /api/v1/sessions", h.authed(h.listSessions, false))
	mux.HandleFunc("GET /api/v1/sessions/{code}", h.authed(h.getSession, false))
	mux.HandleFunc("GET /api/v1/venues", h.authed(h.listVenues, false))
	mux.HandleFunc("GET /api/v1/me", h.authed(h.getMe, true))
	mux.HandleFunc("/api/v1/", h.notFound)
}

type ctxKey struct{}

// caller returns the attendee who made the request, or nil if anonymous.
func caller(ctx context.Context) *lanyard.Attendee {
	a, _ := ctx.Value(ctxKey{}).(*lanyard.Attendee)
	return a
}

// authed resolves the bearer token, if any. A token that is present but
// wrong is refused even on public routes, so a client with a broken token
// learns at once. required routes refuse anonymous callers too.
func (h *Handler) authed(next http.HandlerFunc, required bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("Authorization")
		if header == "" {
			if required {
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
		next(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, a)))
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
