package swag

import (
	"net/http"
	"slices"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/respond"
)

// The attendee's side: a booth's swag with live stock, and the passport.

type boothItem struct {
	lanyard.SwagView
	Mine bool // the signed-in attendee claimed one
}

type boothData struct {
	X     lanyard.Exhibitor
	Items []boothItem
}

// exhibitorByCode reads the {code} of the path; it answers 404 itself.
func (h *Handler) exhibitorByCode(w http.ResponseWriter, r *http.Request, api bool) (lanyard.Exhibitor, bool) {
	x, err := h.Store.SwagExhibitorByCode(r.Context(), h.event().ID, r.PathValue("code"))
	switch {
	case err == nil:
		return x, true
	case api:
		respond.Error(w, r, h.log(), err)
	case lanyard.ErrorCode(err) == lanyard.ENOTFOUND:
		h.refuse(w, r, http.StatusNotFound, lanyard.ENOTFOUND, "swag.booth.not_found")
	default:
		h.Shell.ServerError(w, r, err)
	}
	return x, false
}

// boothPage lists a booth's items and events with their stock; the page's
// script rereads the counts every few seconds.
func (h *Handler) boothPage(w http.ResponseWriter, r *http.Request) {
	x, ok := h.exhibitorByCode(w, r, false)
	if !ok {
		return
	}
	ctx := r.Context()
	items, err := h.Store.SwagItemsOf(ctx, h.event().ID, x.ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	items = live(items)
	mine, err := h.Store.SwagClaimedBy(ctx, h.event().ID, h.Shell.User(r).ID, x.ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	d := &boothData{X: x}
	for _, v := range items {
		d.Items = append(d.Items, boothItem{SwagView: v, Mine: slices.Contains(mine, v.ID)})
	}
	h.render(w, r, http.StatusOK, "booth", "swag.booth.title", d)
}

// stockJSON is a booth's live counts: {"items": [{item, stock, claimed,
// left}]}. Counts only, no names: anyone may read it, on any node.
func (h *Handler) stockJSON(w http.ResponseWriter, r *http.Request) {
	x, ok := h.exhibitorByCode(w, r, true)
	if !ok {
		return
	}
	items, err := h.Store.SwagItemsOf(r.Context(), h.event().ID, x.ID)
	if err != nil {
		respond.Error(w, r, h.log(), err)
		return
	}
	out := make([]lanyard.SwagStock, 0, len(items))
	for _, v := range live(items) {
		out = append(out, v.Count())
	}
	w.Header().Set("Cache-Control", "no-store")
	respond.JSON(w, http.StatusOK, map[string][]lanyard.SwagStock{"items": out})
}

type passportBooth struct {
	X       lanyard.Exhibitor
	Stamped bool
}

type passportData struct {
	P        lanyard.Passport
	Progress lanyard.PassportProgress
	Booths   []passportBooth
	Count    int
}

// passportPage shows the signed-in attendee's passport: the booths, which
// are stamped, and the prize.
func (h *Handler) passportPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := h.Store.Passport(ctx, h.event().ID)
	if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
		h.refuse(w, r, http.StatusNotFound, lanyard.ENOTFOUND, "swag.passport.none")
		return
	}
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	pr, err := h.Store.PassportProgressOf(ctx, h.event().ID, h.Shell.User(r).ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	xs, err := h.Store.Exhibitors(ctx, h.event().ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	d := &passportData{P: p, Progress: pr, Count: len(pr.Stamped)}
	for _, x := range xs {
		if slices.Contains(p.Booths, x.ID) {
			d.Booths = append(d.Booths, passportBooth{X: x, Stamped: slices.Contains(pr.Stamped, x.ID)})
		}
	}
	h.render(w, r, http.StatusOK, "passport", "swag.passport.title", d)
}
