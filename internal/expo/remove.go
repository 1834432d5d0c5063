package expo

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
)

// Removing an exhibitor (issue 14 follow-up): an organizer opens the
// confirmation page (/console/exhibitors/{id}/remove), which says what
// goes — the booth from the directory, the map and attendees' favorites
// and route; the staff accounts' exhibitor role; the leads, deleted per
// the consent promise of /privacy — and confirms. The store does it in
// one transaction (store.ExhibitorRemove).

type removeData struct {
	Booth store.ExpoBooth
	Will  store.ExhibitorRemoval
	Swag  int // items still claimable, retired by the removal
	Error string
}

func (h *Handler) consoleRemovePage(w http.ResponseWriter, r *http.Request) {
	b, ok := h.exhibitorOf(w, r)
	if !ok {
		return
	}
	h.renderRemove(w, r, http.StatusOK, b, "")
}

func (h *Handler) renderRemove(w http.ResponseWriter, r *http.Request, status int, b store.ExpoBooth, msgID string) {
	will, err := h.Store.ExhibitorRemovalPreview(r.Context(), h.event().ID, b.ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	d := removeData{Booth: b, Will: will, Swag: h.liveSwag(r, b)}
	if msgID != "" {
		d.Error = h.Shell.T(r, msgID)
	}
	p := h.Shell.Page(r, "expo.remove.title", h.nav(r), d)
	h.Shell.Render(w, r, status, "console_remove", p)
}

// consoleRemove removes the exhibitor once the organizer confirmed by
// typing its code: a typo or a missing confirmation changes nothing.
func (h *Handler) consoleRemove(w http.ResponseWriter, r *http.Request) {
	b, ok := h.exhibitorOf(w, r)
	if !ok {
		return
	}
	if r.PostFormValue("confirm_code") != b.Code {
		w.Header().Set(codeHeader, "confirm_needed")
		h.renderRemove(w, r, http.StatusUnprocessableEntity, b, "expo.remove.confirm_wrong")
		return
	}
	if err := h.retireSwag(r, b); err != nil {
		h.Log.Warn("expo: retire a removed exhibitor's swag", "exhibitor", b.Code, "err", err)
		h.Shell.Flash(r, "error", h.Shell.T(r, "expo.remove.swag_failed"))
		http.Redirect(w, r, "/console/exhibitors/"+strconv.FormatInt(b.ID, 10)+"/remove", http.StatusSeeOther)
		return
	}
	done, err := h.Store.ExhibitorRemove(r.Context(), h.event().ID, b.ID, lanyard.AuditEntry{ActorID: h.Shell.User(r).ID, Action: "exhibitor_remove"})
	if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
		h.refuse(w, r, http.StatusNotFound, lanyard.ENOTFOUND, "expo.booth.not_found", "Code", strconv.FormatInt(b.ID, 10))
		return
	}
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "expo.remove.done", "Name", b.Name, "Leads", done.Leads, "Staff", done.Staff))
	http.Redirect(w, r, "/console/exhibitors", http.StatusSeeOther)
}

// retireSwag retires every item of b's swag in the engine before b is
// removed, so nobody claims a departed booth's stock (claims made stay).
// Retiring is idempotent, so a removal tried again after a failure here
// retires the rest.
func (h *Handler) retireSwag(r *http.Request, b store.ExpoBooth) error {
	sw, ok := h.swag(r)
	if !ok {
		return nil
	}
	items, err := sw.SwagItems(r.Context(), b.ID)
	if err != nil {
		return fmt.Errorf("swag items: %w", err)
	}
	for _, it := range items {
		if it.Retired {
			continue
		}
		key := fmt.Sprintf("exhibitor-remove:%d:%d", b.ID, it.ID)
		if _, err := sw.SwagRetire(r.Context(), h.Shell.User(r).ID, 0, it.ID, key); err != nil {
			return fmt.Errorf("retire %d: %w", it.ID, err)
		}
	}
	return nil
}

// liveSwag counts b's swag items that still take claims (0 without an
// engine, or when the engine cannot say: the page only informs).
func (h *Handler) liveSwag(r *http.Request, b store.ExpoBooth) int {
	sw, ok := h.swag(r)
	if !ok {
		return 0
	}
	items, err := sw.SwagItems(r.Context(), b.ID)
	if err != nil {
		return 0
	}
	n := 0
	for _, it := range items {
		if !it.Retired {
			n++
		}
	}
	return n
}

// swag returns the engine's swag role for r: the cluster node's engine
// the request carries (the remove is a ledger route), else the one node's.
// false: no engine (the pages' tests without one).
func (h *Handler) swag(r *http.Request) (reserve.Swag, bool) {
	var e reserve.Seats = h.Engine
	if l := reserve.FromContext(r.Context()); l != nil {
		e = l
	}
	if e == nil {
		return nil, false
	}
	sw, ok := e.(reserve.Swag)
	return sw, ok
}
