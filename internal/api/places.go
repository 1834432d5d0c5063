package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/respond"
	"github.com/lanyardhq/lanyard/internal/route"
)

// Places (issue 13): lounges, the expo entrance and parties, their doors'
// entries and exits, and the entitlements that gate them.

// PlaceStore is what the place routes need of the database.
type PlaceStore interface {
	Places(ctx context.Context, eventID int64) ([]lanyard.Place, error)
	Certification(ctx context.Context, eventID, attendeeID int64) (lanyard.Certification, error)
	SubmitCertification(ctx context.Context, eventID, attendeeID int64, number string, now time.Time) (lanyard.Certification, error)
	Certifications(ctx context.Context, eventID int64, state string, limit int) ([]lanyard.Certification, error)
	ResolveCertified(ctx context.Context, eventID int64, values []string) ([]lanyard.CertDecision, []string, error)
	ResolveInvites(ctx context.Context, eventID int64, emails []string) ([]lanyard.Invite, error)
}

// maxImport bounds the values of one certified-list or invite import.
const maxImport = 2000

// placeRoutes registers the place routes when the engine has reserve.Places.
func (h *Handler) placeRoutes(t *route.Table) {
	if !reserve.Has[reserve.Places](h.Engine) {
		return
	}
	handle := func(pattern string, fn http.HandlerFunc) { t.HandleFunc(pattern, route.Any, fn) }
	ledger := func(pattern string, fn http.HandlerFunc) { t.HandleFunc(pattern, route.Ledger, fn) }
	ledger("GET /api/v1/places", h.auth(attendee, h.listPlaces))
	handle("GET /api/v1/places/{code}/occupancy", h.auth(public, h.getOccupancy))
	ledger("POST /api/v1/door/places/{code}/enter", h.auth(staff, h.placeDoor(reserve.Places.Enter)))
	ledger("POST /api/v1/door/places/{code}/exit", h.auth(staff, h.placeDoor(reserve.Places.Exit)))
	handle("GET /api/v1/me/certification", h.auth(attendee, h.placeStore(h.getCertification)))
	handle("PUT /api/v1/me/certification", h.auth(attendee, h.placeStore(h.limited(h.putCertification))))
	ledger("PUT /api/v1/admin/places/{code}", h.auth(organizer, h.audited("place", nil, h.putPlace)))
	handle("GET /api/v1/admin/certifications", h.auth(organizer, h.placeStore(h.listCertifications)))
	ledger("POST /api/v1/admin/certifications/import", h.auth(organizer, h.placeStore(h.audited("certified_import", nil, h.importCertified))))
	ledger("POST /api/v1/admin/certifications/{id}", h.auth(organizer, h.placeStore(h.audited("certification", nil, h.decideCertification))))
	ledger("POST /api/v1/admin/invites/{list}", h.auth(organizer, h.placeStore(h.audited("invites", nil, h.invite))))
}

// placeStore answers 503 where no PlaceStore was given.
func (h *Handler) placeStore(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.Places == nil {
			h.error(w, r, lanyard.Errorf(lanyard.EUNAVAILABLE, "Places are not available on this server."))
			return
		}
		next(w, r)
	}
}

func (h *Handler) places(r *http.Request) reserve.Places { return h.engine(r).(reserve.Places) }

// occupancies gives places' counts on any node: a cluster node's (which
// follows NOTIFY), else the engine's.
func (h *Handler) occupancies() reserve.Occupancies {
	if o, ok := h.counts().(reserve.Occupancies); ok {
		return o
	}
	o, _ := h.Engine.(reserve.Occupancies)
	return o
}

// placeJSON is a place as an attendee sees it.
type placeJSON struct {
	lanyard.PlaceView
	MayEnter bool `json:"may_enter"`
	Open     bool `json:"open"`
}

func (h *Handler) listPlaces(w http.ResponseWriter, r *http.Request) {
	e := h.places(r)
	list, err := e.PlaceList(r.Context())
	if err != nil {
		h.error(w, r, err)
		return
	}
	ents, err := e.Entitlements(r.Context(), caller(r.Context()).ID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	now := time.Now()
	out := make([]placeJSON, 0, len(list))
	for _, p := range list {
		may := p.Entitlement == ""
		for _, k := range ents {
			may = may || k == p.Entitlement
		}
		out = append(out, placeJSON{PlaceView: p, MayEnter: may, Open: p.OpenAt(now)})
	}
	respond.JSON(w, http.StatusOK, map[string][]placeJSON{"places": out})
}

func (h *Handler) getOccupancy(w http.ResponseWriter, r *http.Request) {
	occ := h.occupancies()
	if occ == nil {
		h.error(w, r, lanyard.Errorf(lanyard.ENOTFOUND, "No places here."))
		return
	}
	o, err := occ.Occupancy(r.PathValue("code"))
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, o)
}

// placeDoor answers a staff member's entry or exit scan at a place.
func (h *Handler) placeDoor(do func(e reserve.Places, ctx context.Context, caller, attendee int64, code, key string) (lanyard.SeatResult, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body doorBody
		key, err := writeBody(r, &body)
		if err == nil {
			var a *lanyard.Attendee
			a, err = h.Ident.FindAttendeeByID(r.Context(), body.AttendeeID)
			if err == nil && a.EventID != h.Catalog.Load().Event.ID {
				err = lanyard.Errorf(lanyard.ENOTFOUND, "No attendee %d.", body.AttendeeID)
			}
		}
		if err != nil {
			h.error(w, r, err)
			return
		}
		res, err := do(h.places(r), r.Context(), caller(r.Context()).ID, body.AttendeeID, r.PathValue("code"), key)
		h.seatResult(w, r, res, err)
	}
}

func (h *Handler) getCertification(w http.ResponseWriter, r *http.Request) {
	c, err := h.Places.Certification(r.Context(), h.Catalog.Load().Event.ID, caller(r.Context()).ID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, c)
}

// putCertification records the caller's own validation number, pending an
// organizer's decision: no one can certify themselves.
func (h *Handler) putCertification(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Number string `json:"number"`
	}
	if err := decode(r, &body); err != nil {
		h.error(w, r, err)
		return
	}
	c, err := h.Places.SubmitCertification(r.Context(), h.Catalog.Load().Event.ID, caller(r.Context()).ID, body.Number, time.Now())
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, c)
}

func (h *Handler) putPlace(w http.ResponseWriter, r *http.Request) {
	var p lanyard.Place
	key, err := writeBody(r, &p)
	if err == nil && p.Code != "" && p.Code != r.PathValue("code") {
		err = &lanyard.Error{Code: lanyard.EINVALID, Field: "code", Message: "The body's code differs from the path's."}
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	p.Code = r.PathValue("code")
	out, err := h.places(r).PutPlace(r.Context(), caller(r.Context()).ID, key, p)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, out)
}

func (h *Handler) listCertifications(w http.ResponseWriter, r *http.Request) {
	state := r.URL.Query().Get("state")
	switch state {
	case "", lanyard.CertPending, lanyard.CertVerified, lanyard.CertRejected:
	default:
		h.error(w, r, &lanyard.Error{Code: lanyard.EINVALID, Field: "state", Message: "state is pending, verified or rejected."})
		return
	}
	list, err := h.Places.Certifications(r.Context(), h.Catalog.Load().Event.ID, state, 1000)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, map[string][]lanyard.Certification{"certifications": nonNil(list)})
}

// decideCertification verifies or rejects an attendee's certification. An
// organizer cannot decide their own.
func (h *Handler) decideCertification(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Verified bool `json:"verified"`
	}
	key, err := writeBody(r, &body)
	if err != nil {
		h.error(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	ev := h.Catalog.Load().Event.ID
	me := caller(r.Context()).ID
	if id == me {
		h.error(w, r, lanyard.Errorf(lanyard.EFORBIDDEN, "Another organizer must decide your own certification."))
		return
	}
	if _, err := h.Places.Certification(r.Context(), ev, id); err != nil {
		h.error(w, r, err)
		return
	}
	if _, err := h.places(r).Certify(r.Context(), me, key, []lanyard.CertDecision{{AttendeeID: id, Verified: body.Verified}}); err != nil {
		h.error(w, r, err)
		return
	}
	c, err := h.Places.Certification(r.Context(), ev, id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, c)
}

type importResult struct {
	Matched   int      `json:"matched"`
	Changed   int      `json:"changed"`
	Unmatched []string `json:"unmatched"`
}

// importCertified verifies the certifications of those a list names, by
// email or validation number.
func (h *Handler) importCertified(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Values []string `json:"values"`
	}
	key, err := writeBody(r, &body)
	if err == nil && (len(body.Values) == 0 || len(body.Values) > maxImport) {
		err = &lanyard.Error{Code: lanyard.EINVALID, Field: "values", Message: "Send 1 to " + strconv.Itoa(maxImport) + " emails or validation numbers."}
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	ds, unmatched, err := h.Places.ResolveCertified(r.Context(), h.Catalog.Load().Event.ID, body.Values)
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := importResult{Matched: len(ds), Unmatched: nonNil(unmatched)}
	if len(ds) > 0 {
		if out.Changed, err = h.places(r).Certify(r.Context(), caller(r.Context()).ID, key, ds); err != nil {
			h.error(w, r, err)
			return
		}
	}
	respond.JSON(w, http.StatusOK, out)
}

// invite adds emails to an invite list, or removes them.
func (h *Handler) invite(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Emails []string `json:"emails"`
		Remove bool     `json:"remove"`
	}
	key, err := writeBody(r, &body)
	if err == nil && (len(body.Emails) == 0 || len(body.Emails) > maxImport) {
		err = &lanyard.Error{Code: lanyard.EINVALID, Field: "emails", Message: "Send 1 to " + strconv.Itoa(maxImport) + " emails."}
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	invites, err := h.Places.ResolveInvites(r.Context(), h.Catalog.Load().Event.ID, body.Emails)
	if err != nil {
		h.error(w, r, err)
		return
	}
	n, err := h.places(r).Invite(r.Context(), caller(r.Context()).ID, key, r.PathValue("list"), invites, body.Remove)
	if err != nil {
		h.error(w, r, err)
		return
	}
	matched := 0
	for _, in := range invites {
		if in.AttendeeID != 0 {
			matched++
		}
	}
	respond.JSON(w, http.StatusOK, map[string]int{"emails": len(invites), "registered": matched, "changed": n})
}
