package swag

import (
	"net/http"
	"strconv"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/respond"
)

// retireItem retires one of the company's items (issue 14 follow-up): an
// engine command, so no claim is acknowledged after it on any node, and
// the claims made stay recorded. The form asks for a confirmation.
func (h *Handler) retireItem(w http.ResponseWriter, r *http.Request) {
	x, ok := h.myExhibitor(w, r, false)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		w.Header().Set(codeHeader, lanyard.ENOTFOUND)
		h.Shell.Error(w, r, http.StatusNotFound, h.nav(r), "swag.retire.not_found")
		return
	}
	if r.PostFormValue("confirm") != "1" {
		w.Header().Set(codeHeader, lanyard.EINVALID)
		h.Shell.Error(w, r, http.StatusUnprocessableEntity, h.nav(r), "swag.retire.confirm_needed")
		return
	}
	it, err := h.engine(r).SwagRetire(r.Context(), h.Shell.User(r).ID, x.ID, id, "swag-retire:"+clip(r.PostFormValue("nonce")))
	switch code := lanyard.ErrorCode(err); {
	case err == nil:
	case code == lanyard.ENOTFOUND:
		w.Header().Set(codeHeader, code)
		h.Shell.Error(w, r, http.StatusNotFound, h.nav(r), "swag.retire.not_found")
		return
	case code == lanyard.EFORBIDDEN:
		w.Header().Set(codeHeader, code)
		h.Shell.Error(w, r, http.StatusForbidden, h.nav(r), "swag.retire.not_yours")
		return
	default:
		if respond.Status(code) < 500 {
			w.Header().Set(codeHeader, code)
			h.Shell.Error(w, r, respond.Status(code), h.nav(r), "swag.retire.refused")
			return
		}
		h.Shell.ServerError(w, r, err)
		return
	}
	done := "swag.retire.done"
	if it.Kind == lanyard.SwagEvent {
		done = "swag.retire.done_event"
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, done, "Name", it.Name))
	http.Redirect(w, r, "/exhibitor/swag", http.StatusSeeOther)
}

// live drops retired items: the booth's page and its live stock list
// only what may still be claimed.
func live(items []lanyard.SwagView) []lanyard.SwagView {
	out := items[:0:0]
	for _, v := range items {
		if !v.Retired {
			out = append(out, v)
		}
	}
	return out
}
