package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Ratings are what the pages keep of session ratings (store.DB, migration
// 00130). The store writes a rating only for an attendee admitted to the
// session, whatever the caller checked.
type Ratings interface {
	// PutRating returns ENotCheckedIn unless the door admitted the attendee.
	PutRating(ctx context.Context, attendeeID, sessionID int64, r lanyard.Rating) (lanyard.Rating, error)
	RatingsBy(ctx context.Context, attendeeID int64) (map[string]lanyard.Rating, error)
	SessionRatings(ctx context.Context, sessionID int64) (lanyard.SessionRatings, error)
	RatingLinkKey(ctx context.Context, eventID int64) ([]byte, error)
	// Admitted reports whether the door admitted the attendee to the session.
	Admitted(ctx context.Context, attendeeID, sessionID int64) (bool, error)
}

// ratingSigBytes is the length of a results link's signature: 128 bits,
// unguessable, short enough for a link in a mail.
const ratingSigBytes = 16

// RatingsSig signs a session's results link (/ratings/{code}?sig=…) with
// the event's key (Ratings.RatingLinkKey): whoever has the link reads that
// session's results, and no other's.
func RatingsSig(key []byte, eventID int64, code string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("ratings\x00" + strconv.FormatInt(eventID, 10) + "\x00" + code))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:ratingSigBytes])
}

// rate saves the signed-in attendee's rating of a session they checked in
// to: a score from 1 to 5 and an optional comment. Sent again, it
// replaces the rating.
func (h *Handler) rate(w http.ResponseWriter, r *http.Request) {
	t := translatorFor(pickLanguage(r))
	s, err := h.Catalog.Load().Session(r.PathValue("code"))
	if err != nil {
		h.errorPage(w, r, http.StatusNotFound, "error.no_session")
		return
	}
	score, err := strconv.Atoi(r.PostFormValue("score"))
	if err != nil {
		score = 0 // refused below with the field named
	}
	rt := lanyard.Rating{Session: s.Code, Score: score, Comment: r.PostFormValue("comment")}
	back := localPath(r.PostFormValue("back"))
	if r.PostFormValue("back") == "" {
		back = "/agenda"
	}
	err = rt.Validate()
	if err == nil {
		_, err = h.Store.PutRating(r.Context(), user(r).ID, s.ID, rt)
	}
	var le *lanyard.Error
	switch {
	case err == nil:
		h.flashAt(r, "ok", t.T("rate.saved", "Code", s.Code, "Value", rt.Score), s.Code)
	case errors.As(err, &le) && le.Code == lanyard.ENotCheckedIn:
		// The page would not offer the form: a stale page or a hand-made post.
		w.Header().Set("X-Lanyard-Code", le.Code)
		h.errorPage(w, r, http.StatusForbidden, "rate.not_checked_in")
		return
	case errors.As(err, &le) && le.Code == lanyard.EINVALID:
		w.Header().Set("X-Lanyard-Code", le.Code)
		id := "rate.bad_score"
		if le.Field == "comment" {
			id = "rate.bad_comment"
		}
		h.errorPage(w, r, http.StatusBadRequest, id)
		return
	default:
		h.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, back+"#r-"+s.Code, http.StatusSeeOther)
}

// ratable marks the agenda's entries the attendee checked in to, with
// their rating if they gave one.
func (h *Handler) ratable(r *http.Request, d *agendaData, ag *lanyard.Agenda) error {
	checked := map[string]bool{}
	for _, it := range ag.Reservations {
		if it.CheckedIn {
			checked[it.Session] = true
		}
	}
	if len(checked) == 0 {
		return nil
	}
	mine, err := h.Store.RatingsBy(r.Context(), user(r).ID)
	if err != nil {
		return err
	}
	for i := range d.Days {
		for _, row := range d.Days[i].Rows {
			if it := row.Item; it != nil && checked[it.S.Code] {
				it.CheckedIn = true
				if rt, ok := mine[it.S.Code]; ok {
					it.Rating = &rt
				}
			}
		}
	}
	return nil
}

// rateForm is the rating form of a session's own page.
type rateForm struct {
	Rating *lanyard.Rating
	Back   string
}

// rateFormFor returns the form for s when the door admitted the
// signed-in attendee to it (with a reservation or as a walk-up: the
// store's admissions, one key read), with their rating if any; nil
// otherwise, and without asking before the session's door can have opened.
func (h *Handler) rateFormFor(r *http.Request, s *lanyard.Session) (*rateForm, error) {
	a := user(r)
	if a == nil || !s.Scheduled() || h.now().Before(s.Start.Add(-2*time.Hour)) {
		return nil, nil
	}
	in, err := h.Store.Admitted(r.Context(), a.ID, s.ID)
	if err != nil || !in {
		return nil, err
	}
	f := &rateForm{Back: "/sessions/" + url.PathEscape(s.Code)}
	mine, err := h.Store.RatingsBy(r.Context(), a.ID)
	if err != nil {
		return nil, err
	}
	if rt, ok := mine[s.Code]; ok {
		f.Rating = &rt
	}
	return f, nil
}

// ratingsResults is a session's results page for its speakers.
type ratingsResults struct {
	S       *lanyard.Session
	R       lanyard.SessionRatings
	Average string
	Bars    []ratingBar
}

type ratingBar struct {
	Score, Count, Percent int
}

// speakerResults shows one session's ratings to whoever has its signed
// link (RatingsSig): the organizer copies it from the ratings report and
// sends it to the speakers. Scores and comments, never who gave them.
func (h *Handler) speakerResults(w http.ResponseWriter, r *http.Request) {
	c := h.Catalog.Load()
	s, err := c.Session(r.PathValue("code"))
	if err != nil {
		h.errorPage(w, r, http.StatusNotFound, "rate.bad_link")
		return
	}
	key, err := h.Store.RatingLinkKey(r.Context(), c.Event.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	want := RatingsSig(key, c.Event.ID, s.Code)
	if !hmac.Equal([]byte(r.URL.Query().Get("sig")), []byte(want)) {
		// The same answer as an unknown code: a wrong link learns nothing.
		h.errorPage(w, r, http.StatusNotFound, "rate.bad_link")
		return
	}
	sr, err := h.Store.SessionRatings(r.Context(), s.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	p := h.newPage(r, "rate.results_title")
	d := ratingsResults{S: s, R: sr, Average: strconv.FormatFloat(sr.Average(), 'f', 1, 64)}
	for score := 5; score >= 1; score-- {
		n := sr.ByScore[score-1]
		pct := 0
		if sr.Count > 0 {
			pct = n * 100 / sr.Count
		}
		d.Bars = append(d.Bars, ratingBar{Score: score, Count: n, Percent: pct})
	}
	p.Data = d
	w.Header().Set("X-Robots-Tag", "noindex")
	h.render(w, r, http.StatusOK, "ratings", p)
}
