package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/respond"
	"github.com/lanyardhq/lanyard/internal/web"
)

// maxBody bounds request bodies: the largest valid one is a few hundred bytes.
const maxBody = 64 << 10

// maxDrain is how much of a body over maxBody is read and thrown away
// before the 413 is sent. A client sends its whole body before it reads
// the answer; had the server closed the connection while it was still
// sending, it would see a broken pipe instead of the 413. A larger body
// still gets the 413, on a connection then closed.
const maxDrain = 16 << 20

// decode reads a JSON body strictly: unknown fields and trailing data are
// refused, and so is a body that is null rather than an object. A body over
// maxBody is refused with EBodyTooLarge (413).
func decode(r *http.Request, v any) error {
	if r.ContentLength > maxBody {
		return tooLarge(r)
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return lanyard.Errorf(lanyard.EINVALID, "The body cannot be read: %s.", err.Error())
	}
	if len(data) > maxBody {
		return tooLarge(r)
	}
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return lanyard.Errorf(lanyard.EINVALID, "The body is null; send a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syntax *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return lanyard.Errorf(lanyard.EINVALID, "The request needs a JSON body.")
		case errors.As(err, &syntax):
			return lanyard.Errorf(lanyard.EINVALID, "The body is not valid JSON (at byte %d).", syntax.Offset)
		case errors.As(err, &typ):
			return lanyard.Errorf(lanyard.EINVALID, "Field %q must be a %s.", typ.Field, typ.Type)
		}
		return lanyard.Errorf(lanyard.EINVALID, "The body cannot be read: %s.", err.Error())
	}
	if dec.More() {
		return lanyard.Errorf(lanyard.EINVALID, "The body holds more than one JSON value.")
	}
	return nil
}

// tooLarge drains what the client is still sending, up to maxDrain, so
// that it can read the EBodyTooLarge answer. A client that waits for 100
// Continue has sent nothing yet and is answered at once.
func tooLarge(r *http.Request) error {
	if !strings.EqualFold(r.Header.Get("Expect"), "100-continue") {
		io.CopyN(io.Discard, r.Body, maxDrain) // a read error ends the drain; the answer is the same
	}
	return lanyard.Errorf(lanyard.EBodyTooLarge, "The body is larger than %d KiB.", maxBody>>10)
}

// idemKey returns the request's Idempotency-Key, checked for size.
func idemKey(r *http.Request) (string, error) {
	k := r.Header.Get("Idempotency-Key")
	if len(k) > 200 {
		return "", lanyard.Errorf(lanyard.EINVALID, "The Idempotency-Key header is longer than 200 characters.")
	}
	return k, nil
}

// writeBody reads a write request: its Idempotency-Key and its JSON body.
func writeBody(r *http.Request, v any) (key string, err error) {
	if key, err = idemKey(r); err != nil {
		return "", err
	}
	return key, decode(r, v)
}

type resultsJSON struct {
	Results []lanyard.SeatResult `json:"results"`
}

func (h *Handler) createReservations(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Sessions []string `json:"sessions"`
		Waitlist bool     `json:"waitlist"`
	}
	key, err := writeBody(r, &body)
	if err != nil {
		h.error(w, r, err)
		return
	}
	rs, err := h.engine(r).Reserve(r.Context(), caller(r.Context()).ID, body.Sessions, body.Waitlist, key)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, resultsJSON{rs})
}

// seatResult answers a one-session command: the result, or its refusal as an error.
func (h *Handler) seatResult(w http.ResponseWriter, r *http.Request, res lanyard.SeatResult, err error) {
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, res)
}

// seatCommand answers a command of the caller on the session in the path
// (cancel, join or leave a waitlist), with the request's Idempotency-Key.
func (h *Handler) seatCommand(do func(e reserve.Seats, ctx context.Context, attendee int64, code, key string) (lanyard.SeatResult, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key, err := idemKey(r)
		if err != nil {
			h.error(w, r, err)
			return
		}
		res, err := do(h.engine(r), r.Context(), caller(r.Context()).ID, r.PathValue("code"), key)
		h.seatResult(w, r, res, err)
	}
}

func (h *Handler) switchReservation(w http.ResponseWriter, r *http.Request) {
	var body struct{ From, To string }
	key, err := writeBody(r, &body)
	if err == nil && (body.From == "" || body.To == "") {
		err = lanyard.Errorf(lanyard.EINVALID, `Give both "from" and "to" session codes.`)
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	rs, err := h.plans(r).Switch(r.Context(), caller(r.Context()).ID, body.From, body.To, key)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, resultsJSON{rs})
}

type wishlistJSON struct {
	Sessions []string `json:"sessions"`
}

func (h *Handler) getWishlist(w http.ResponseWriter, r *http.Request) {
	list, err := h.plans(r).Wishlist(r.Context(), caller(r.Context()).ID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, wishlistJSON{list})
}

func (h *Handler) putWishlist(w http.ResponseWriter, r *http.Request) {
	var body wishlistJSON
	key, err := writeBody(r, &body)
	if err == nil && body.Sessions == nil {
		// Absent or null: not an empty list, which clears the wishlist.
		err = &lanyard.Error{Code: lanyard.EINVALID, Field: "sessions", Message: `Give "sessions", a list of session codes (best first); [] clears the wishlist.`}
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	list, err := h.plans(r).SetWishlist(r.Context(), caller(r.Context()).ID, body.Sessions, key)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, wishlistJSON{list})
}

func (h *Handler) getAgenda(w http.ResponseWriter, r *http.Request) {
	a := caller(r.Context())
	ag, err := h.engine(r).Agenda(r.Context(), a.ID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	extras, err := h.agendaExtras(r, a.ID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, struct {
		*lanyard.Agenda
		Extras   []agendaExtra `json:"extras"`
		TimeZone string        `json:"time_zone"`
		HomeZone string        `json:"home_zone,omitempty"`
	}{ag, extras, h.Catalog.Load().Event.TimeZone, a.HomeZone})
}

// agendaExtra is an entry of another feature on the agenda: a meetup one
// goes to, a party one answered, a favorited booth event.
type agendaExtra struct {
	Kind  string    `json:"kind"`
	Code  string    `json:"code"`
	Title string    `json:"title"`
	Label string    `json:"label"` // as the agenda page's badge, in the Accept-Language
	Venue string    `json:"venue,omitempty"`
	Room  string    `json:"room,omitempty"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	URL   string    `json:"url"` // its page
}

// agendaExtras lists attendee's entries from h.AgendaSources, by start,
// labelled in the language the pages would answer the request in.
func (h *Handler) agendaExtras(r *http.Request, attendee int64) ([]agendaExtra, error) {
	lang := web.Language(r)
	out := []agendaExtra{}
	for _, src := range h.AgendaSources {
		list, err := src(r.Context(), attendee, lang)
		if err != nil {
			return nil, fmt.Errorf("api: agenda extras: %w", err)
		}
		for _, x := range list {
			s := x.Session
			out = append(out, agendaExtra{Kind: x.Kind, Code: s.Code, Title: s.Title, Label: x.Label, Venue: s.Venue, Room: s.Room,
				Start: s.Start.UTC(), End: s.End.UTC(), URL: strings.TrimSuffix(h.PublicURL, "/") + x.Link})
		}
	}
	slices.SortStableFunc(out, func(a, b agendaExtra) int { return a.Start.Compare(b.Start) })
	return out, nil
}
