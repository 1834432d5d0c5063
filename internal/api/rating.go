package api

import (
	"context"
	"net/http"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/respond"
)

// Ratings keeps session ratings (store.DB, migration 00130): one per
// attendee and session, written only for an attendee the door admitted.
type Ratings interface {
	// PutRating returns ENotCheckedIn unless the door admitted the attendee.
	PutRating(ctx context.Context, attendeeID, sessionID int64, r lanyard.Rating) (lanyard.Rating, error)
	// RatingOf returns ENOTFOUND when the attendee has not rated the session.
	RatingOf(ctx context.Context, attendeeID, sessionID int64) (lanyard.Rating, error)
}

// ratings answers 503 without a ratings store, and finds the session
// named in the path (404 for an unknown code).
func (h *Handler) ratings(next func(w http.ResponseWriter, r *http.Request, s *lanyard.Session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.Ratings == nil {
			h.error(w, r, lanyard.Errorf(lanyard.EUNAVAILABLE, "Ratings are not available on this server."))
			return
		}
		s, err := h.Catalog.Load().Session(r.PathValue("code"))
		if err != nil {
			h.error(w, r, err)
			return
		}
		next(w, r, s)
	}
}

// getRating returns the caller's own rating of a session: there is no
// way to name another attendee's.
func (h *Handler) getRating(w http.ResponseWriter, r *http.Request, s *lanyard.Session) {
	rt, err := h.Ratings.RatingOf(r.Context(), caller(r.Context()).ID, s.ID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, rt)
}

// putRating sets or replaces the caller's rating of a session they
// checked in to.
func (h *Handler) putRating(w http.ResponseWriter, r *http.Request, s *lanyard.Session) {
	var body struct {
		Score   *int   `json:"score"`
		Comment string `json:"comment"`
	}
	if err := decode(r, &body); err != nil {
		h.error(w, r, err)
		return
	}
	if body.Score == nil {
		h.error(w, r, &lanyard.Error{Code: lanyard.EINVALID, Field: "score", Message: "Send a score from 1 to 5."})
		return
	}
	rt := lanyard.Rating{Session: s.Code, Score: *body.Score, Comment: body.Comment}
	if err := rt.Validate(); err != nil {
		h.error(w, r, err)
		return
	}
	rt, err := h.Ratings.PutRating(r.Context(), caller(r.Context()).ID, s.ID, rt)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, rt)
}
