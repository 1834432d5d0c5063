package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/respond"
)

// Organizer routes change how reservations work; door routes admit people.
// Each checks the caller's role.

func (h *Handler) getSettings(w http.ResponseWriter, r *http.Request) {
	s, err := h.organizer(r).Settings(r.Context())
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, s)
}

func (h *Handler) putSettings(w http.ResponseWriter, r *http.Request) {
	var body json.RawMessage
	if err := decode(r, &body); err != nil {
		h.error(w, r, err)
		return
	}
	// A partial body changes only the fields it names, merged in the engine
	// so that two organizers' changes cannot overwrite each other.
	s, err := h.organizer(r).UpdateSettings(r.Context(), func(s *lanyard.ReservationSettings) error {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(s); err != nil {
			return lanyard.Errorf(lanyard.EINVALID, "The settings cannot be read: %s.", err.Error())
		}
		return nil
	})
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, s)
}

func (h *Handler) getHoldbacks(w http.ResponseWriter, r *http.Request) {
	hb, err := h.organizer(r).Holdbacks(r.Context())
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, hb)
}

func (h *Handler) putHoldback(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Percent *int `json:"percent"`
	}
	err := decode(r, &body)
	if err == nil && body.Percent == nil {
		err = lanyard.Errorf(lanyard.EINVALID, `Give "percent", 0 to 100.`)
	}
	if err == nil {
		err = h.organizer(r).SetHoldback(r.Context(), lanyard.SessionType(r.PathValue("type")), *body.Percent)
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	h.getHoldbacks(w, r)
}

// list answers GET with what get returns, under name.
func list[T any](h *Handler, name string, get func(reserve.Organizer, context.Context) ([]T, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		items, err := get(h.organizer(r), r.Context())
		if err != nil {
			h.error(w, r, err)
			return
		}
		respond.JSON(w, http.StatusOK, map[string][]T{name: nonNil(items)})
	}
}

// create answers POST by decoding a T and passing it to add with the
// caller and the request's Idempotency-Key; fields the server sets (an ID)
// are cleared first.
func create[T any](h *Handler, clear func(*T), add func(e reserve.Organizer, ctx context.Context, caller int64, key string, v T) (T, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body T
		key, err := writeBody(r, &body)
		if err != nil {
			h.error(w, r, err)
			return
		}
		clear(&body)
		out, err := add(h.organizer(r), r.Context(), caller(r.Context()).ID, key, body)
		if err != nil {
			h.error(w, r, err)
			return
		}
		respond.JSON(w, http.StatusCreated, out)
	}
}

func (h *Handler) addOverflow(w http.ResponseWriter, r *http.Request) {
	var body struct{ Venue, Room string }
	err := decode(r, &body)
	if err == nil {
		err = h.organizer(r).AddOverflow(r.Context(), r.PathValue("code"), body.Venue, body.Room)
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// doorBody names the attendee at the door.
type doorBody struct {
	AttendeeID int64 `json:"attendee_id"`
}

func (h *Handler) door(admit func(e reserve.Door, ctx context.Context, caller, attendee int64, code, key string) (lanyard.SeatResult, error)) http.HandlerFunc {
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
		res, err := admit(h.engine(r).(reserve.Door), r.Context(), caller(r.Context()).ID, body.AttendeeID, r.PathValue("code"), key)
		h.seatResult(w, r, res, err)
	}
}

func (h *Handler) releaseUnclaimed(w http.ResponseWriter, r *http.Request) {
	key, err := idemKey(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	res, err := h.engine(r).(reserve.Door).ReleaseUnclaimed(r.Context(), caller(r.Context()).ID, r.PathValue("code"), key)
	h.seatResult(w, r, res, err)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
