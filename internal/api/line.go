package api

import (
	"context"
	"net/http"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/respond"
)

// The walk-up line (issue 13): an attendee joins and leaves a full
// session's line and reads their lines; door staff add someone standing in
// the physical line. Registered only for an engine with the Line role.

func (h *Handler) line(r *http.Request) reserve.Line { return h.engine(r).(reserve.Line) }

// lineCommand answers the caller's join or leave of the line of the
// session in the path, with the request's Idempotency-Key.
func (h *Handler) lineCommand(do func(e reserve.Line, ctx context.Context, attendee int64, code, key string) (lanyard.LineStatus, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key, err := idemKey(r)
		if err != nil {
			h.error(w, r, err)
			return
		}
		st, err := do(h.line(r), r.Context(), caller(r.Context()).ID, r.PathValue("code"), key)
		if err != nil {
			h.error(w, r, err)
			return
		}
		respond.JSON(w, http.StatusOK, st)
	}
}

func (h *Handler) getLines(w http.ResponseWriter, r *http.Request) {
	ls, err := h.line(r).Lines(r.Context(), caller(r.Context()).ID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, struct {
		Lines    []lanyard.LineStatus `json:"lines"`
		TimeZone string               `json:"time_zone"`
	}{nonNil(ls), h.Catalog.Load().Event.TimeZone})
}

// addToLine is door staff putting an attendee of this event at the end of
// the session's line.
func (h *Handler) addToLine(w http.ResponseWriter, r *http.Request) {
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
	st, err := h.line(r).AddToLine(r.Context(), caller(r.Context()).ID, body.AttendeeID, r.PathValue("code"), key)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, st)
}
