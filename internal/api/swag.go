package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/respond"
	"github.com/lanyardhq/lanyard/internal/route"
)

// Swag (issue 14): exhibitors' limited items and booth events, claimed by
// scanning a badge. Creating an item and claiming one are engine commands
// (reserve.Swag, served by the lease holder); an item's stock is read from
// the store on any node.

// SwagStore is what the swag routes need of the database.
type SwagStore interface {
	ExhibitorOf(ctx context.Context, eventID, attendeeID int64) (lanyard.Exhibitor, error)
	SwagItem(ctx context.Context, eventID, itemID int64) (lanyard.SwagView, error)
}

// swagRoutes registers the swag routes when the engine has reserve.Swag.
func (h *Handler) swagRoutes(t *route.Table) {
	if !reserve.Has[reserve.Swag](h.Engine) {
		return
	}
	ledger := func(pattern string, fn http.HandlerFunc) { t.HandleFunc(pattern, route.Ledger, fn) }
	t.HandleFunc("GET /api/v1/swag/{item}", route.Any, h.auth(public, h.swagStore(h.getSwagItem)))
	ledger("POST /api/v1/exhibitor/swag", h.auth(scanner, h.swagStore(h.createSwagItem)))
	ledger("POST /api/v1/exhibitor/swag/{item}/claim", h.auth(scanner, h.swagStore(h.claimSwag)))
	ledger("POST /api/v1/exhibitor/swag/{item}/retire", h.auth(scanner, h.swagStore(h.retireSwag)))
}

// retireSwag retires an item (issue 14 follow-up): an exhibitor's own, or
// any for an organizer. Claims after it are refused (swag_retired); the
// claims made stay. Another exhibitor's item is 403.
func (h *Handler) retireSwag(w http.ResponseWriter, r *http.Request) {
	key, err := idemKey(r) // no body: the path names the item
	var booth int64
	if err == nil {
		booth, err = h.booth(r)
	}
	item, perr := strconv.ParseInt(r.PathValue("item"), 10, 64)
	if err == nil && (perr != nil || item <= 0) {
		err = lanyard.Errorf(lanyard.ENOTFOUND, "No swag item %q.", r.PathValue("item"))
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	it, err := h.engine(r).(reserve.Swag).SwagRetire(r.Context(), caller(r.Context()).ID, booth, item, key)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, it)
}

// swagStore answers 503 where no SwagStore was given.
func (h *Handler) swagStore(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.Swag == nil {
			h.error(w, r, lanyard.Errorf(lanyard.EUNAVAILABLE, "Swag is not available on this server."))
			return
		}
		next(w, r)
	}
}

// booth returns the exhibitor whose items the caller may handle: an
// exhibitor's own company, or 0 (any) for an organizer. Door staff hand
// no swag.
func (h *Handler) booth(r *http.Request) (int64, error) {
	a := caller(r.Context())
	switch a.Role {
	case lanyard.RoleOrganizer:
		return 0, nil
	case lanyard.RoleExhibitor:
		x, err := h.Swag.ExhibitorOf(r.Context(), h.Catalog.Load().Event.ID, a.ID)
		if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
			return 0, lanyard.Errorf(lanyard.EFORBIDDEN, "This account staffs no exhibitor.")
		}
		return x.ID, err
	}
	return 0, lanyard.Errorf(lanyard.EFORBIDDEN, "Only exhibitors and organizers hand out swag.")
}

func (h *Handler) getSwagItem(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("item"), 10, 64)
	if err != nil || id <= 0 {
		h.error(w, r, lanyard.Errorf(lanyard.ENOTFOUND, "No swag item %q.", r.PathValue("item")))
		return
	}
	v, err := h.Swag.SwagItem(r.Context(), h.Catalog.Load().Event.ID, id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, v)
}

func (h *Handler) createSwagItem(w http.ResponseWriter, r *http.Request) {
	var it lanyard.SwagItem
	key, err := writeBody(r, &it)
	var booth int64
	if err == nil {
		booth, err = h.booth(r)
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	it.ID = 0
	out, err := h.engine(r).(reserve.Swag).SwagPut(r.Context(), caller(r.Context()).ID, booth, key, it)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusCreated, out)
}

func (h *Handler) claimSwag(w http.ResponseWriter, r *http.Request) {
	var body doorBody
	key, err := writeBody(r, &body)
	var booth int64
	if err == nil {
		booth, err = h.booth(r)
	}
	if err == nil {
		var a *lanyard.Attendee
		a, err = h.Ident.FindAttendeeByID(r.Context(), body.AttendeeID)
		if err == nil && a.EventID != h.Catalog.Load().Event.ID {
			err = lanyard.Errorf(lanyard.ENOTFOUND, "No attendee %d.", body.AttendeeID)
		}
	}
	item, perr := strconv.ParseInt(r.PathValue("item"), 10, 64)
	if err == nil && (perr != nil || item <= 0) {
		err = lanyard.Errorf(lanyard.ENOTFOUND, "No swag item %q.", r.PathValue("item"))
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	res, err := h.engine(r).(reserve.Swag).SwagClaim(r.Context(), caller(r.Context()).ID, booth, body.AttendeeID, item, key)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, res)
}
