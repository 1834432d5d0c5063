package web

import (
	"context"
	"net/http"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/store"
)

// Places (issue 13), the attendee's side: the lounges page (places they
// may enter, with live counts and a "full" state), the certification's
// validation number on the settings page, and where a full session's
// overflow rooms are, and how far.

// PlaceStore is what the attendee's place pages need of the database. The
// handler finds it on Store by a type assertion, so a store without it
// serves no certification form (and the rest of the app as before).
type PlaceStore interface {
	Certification(ctx context.Context, eventID, attendeeID int64) (lanyard.Certification, error)
	SubmitCertification(ctx context.Context, eventID, attendeeID int64, number string, now time.Time) (lanyard.Certification, error)
	OverflowRooms(ctx context.Context, sessionID int64) ([]store.OverflowRoom, error)
}

func (h *Handler) placeStore() PlaceStore {
	ps, _ := h.Store.(PlaceStore)
	return ps
}

// placeRoutes registers the lounges page (the engine's entitlements and
// counts: served by the lease holder) and the certification form.
func (h *Handler) placeRoutes(t *route.Table, page, ledger func(string, http.HandlerFunc)) {
	if reserve.Has[reserve.Places](h.Engine) {
		ledger("GET /lounges", h.signedIn(h.loungesPage))
	}
	page("POST /settings/certification", h.signedIn(h.saveCertification))
}

// loungeView is one place on the lounges page.
type loungeView struct {
	lanyard.PlaceView
	MayEnter bool
	Open     bool
	Venue    string
}

type loungesData struct {
	Mine, Others []loungeView
	Certified    bool
}

func (h *Handler) loungesPage(w http.ResponseWriter, r *http.Request) {
	e, _ := h.engine(r).(reserve.Places)
	p := h.newPage(r, "lounges.title")
	list, err := e.PlaceList(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	ents, err := e.Entitlements(r.Context(), p.User.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	held := map[string]bool{}
	for _, k := range ents {
		held[k] = true
	}
	c := h.Catalog.Load()
	now := time.Now()
	var d loungesData
	d.Certified = held[lanyard.EntitlementCertified]
	for _, pl := range list {
		v := loungeView{PlaceView: pl, MayEnter: pl.Entitlement == "" || held[pl.Entitlement], Open: pl.OpenAt(now)}
		if pl.Venue != "" {
			v.Venue = c.VenueName(pl.Venue)
		}
		if v.MayEnter {
			d.Mine = append(d.Mine, v)
		} else {
			d.Others = append(d.Others, v)
		}
	}
	p.Data = d
	h.render(w, r, http.StatusOK, "lounges", p)
}

// certificationView is the settings page's certification part.
type certificationView struct {
	Cert   *lanyard.Certification
	Number string
	Error  string
}

// certification loads the attendee's certification for the settings page.
func (h *Handler) certification(r *http.Request) *certificationView {
	ps := h.placeStore()
	if ps == nil {
		return nil
	}
	v := &certificationView{}
	c, err := ps.Certification(r.Context(), h.Catalog.Load().Event.ID, user(r).ID)
	if err == nil {
		v.Cert = &c
		v.Number = c.Number
	}
	return v
}

// saveCertification records the validation number the attendee entered,
// pending an organizer's decision.
func (h *Handler) saveCertification(w http.ResponseWriter, r *http.Request) {
	ps := h.placeStore()
	if ps == nil {
		h.notFound(w, r)
		return
	}
	t := translatorFor(pickLanguage(r))
	_, err := ps.SubmitCertification(r.Context(), h.Catalog.Load().Event.ID, user(r).ID, r.PostFormValue("number"), time.Now())
	if err != nil {
		code := lanyard.ErrorCode(err)
		if code != lanyard.EINVALID && code != lanyard.ECONFLICT {
			h.serverError(w, r, err)
			return
		}
		p := h.newPage(r, "settings.title")
		d, derr := h.settings(r, p)
		if derr != nil {
			h.serverError(w, r, derr)
			return
		}
		d.Cert.Number = r.PostFormValue("number")
		d.Cert.Error = t.T("settings.cert_invalid")
		if code == lanyard.ECONFLICT {
			d.Cert.Error = t.T("settings.cert_locked")
		}
		p.Data = d
		h.render(w, r, http.StatusUnprocessableEntity, "settings", p)
		return
	}
	h.flash(r, "ok", t.T("settings.cert_saved"))
	http.Redirect(w, r, "/settings#certification", http.StatusSeeOther)
}

// overflowView is one overflow room of a full session: where, and how far
// from the session's own room.
type overflowView struct {
	Room, Venue string
	SameVenue   bool
	Walk        int // minutes on foot between the venues
	Shuttle     int // minutes by shuttle, 0 when none runs
}

// overflowRooms returns a full session's overflow rooms with the way
// there, or nil for a session with seats left or no overflow room.
func (h *Handler) overflowRooms(r *http.Request, c *catalog.Catalog, s *lanyard.Session, seats lanyard.SeatCount) []overflowView {
	ps := h.placeStore()
	if ps == nil || seats.SeatsLeft > 0 || s.ID == 0 {
		return nil
	}
	rooms, err := ps.OverflowRooms(r.Context(), s.ID)
	if err != nil {
		h.Log.WarnContext(r.Context(), "overflow rooms not shown", "session", s.Code, "err", err)
		return nil
	}
	out := make([]overflowView, 0, len(rooms))
	for _, o := range rooms {
		v := overflowView{Room: o.Room, Venue: c.VenueName(o.Venue), SameVenue: o.Venue == s.Venue}
		if !v.SameVenue {
			if tt, ok := c.TravelTime(s.Venue, o.Venue); ok {
				v.Walk, v.Shuttle = tt.WalkMinutes, tt.ShuttleMinutes
			}
		}
		out = append(out, v)
	}
	return out
}
