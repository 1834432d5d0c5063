package web

import (
	"net/http"
	"slices"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/plan"
)

// maxFavorites is how many sessions a wishlist ranks (the engine's limit).
const maxFavorites = 30

// maxPerReserve is how many sessions one engine command reserves.
const maxPerReserve = 10

// idem makes a form's idempotency key: the page's random key, the action
// and its session, so a form sent twice is done once while two different
// forms of one page stay two commands.
func idem(r *http.Request, parts ...string) string {
	k := r.PostFormValue("key")
	if len(k) > 64 {
		k = k[:64]
	}
	if k == "" {
		return "" // not idempotent, but still done once per post
	}
	for _, p := range parts {
		k += "/" + p
	}
	return k
}

type favoritesData struct {
	Slots   []*favorite
	Key     string
	Max     int
	Clashes int // favorites that overlap another favorite or a held session
}

// favorite is one row of the favorites page: the session, and what it
// overlaps, said before "reserve my favorites" refuses it.
type favorite struct {
	*slot
	ClashFav  *lanyard.Session // another favorite at the same time
	ClashHeld *lanyard.Session // a held session at the same time
}

// Row is the favorite's slot, for the partials that take one.
func (f *favorite) Row() *slot { return f.slot }

func (h *Handler) favoritesPage(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "favorites.title")
	c := h.Catalog.Load()
	v := h.viewerState(r, p)
	d := favoritesData{Key: newKey(), Max: maxFavorites}
	for _, code := range v.wishlist {
		s, err := c.Session(code)
		if err != nil {
			continue
		}
		d.Slots = append(d.Slots, &favorite{slot: h.newSlot(p, v, s, d.Key)})
	}
	for i, f := range d.Slots {
		if f.Held {
			continue
		}
		for _, o := range v.sessions {
			if o.Code != f.S.Code && f.S.Overlaps(o) {
				f.ClashHeld = o
				break
			}
		}
		for j, o := range d.Slots {
			if i != j && !o.Held && f.S.Overlaps(o.S) {
				f.ClashFav = o.S
				break
			}
		}
		if f.ClashHeld != nil || f.ClashFav != nil {
			d.Clashes++
		}
	}
	p.Data = d
	h.render(w, r, http.StatusOK, "favorites", p)
}

// editFavorites adds, removes or moves one favorite. The order is the
// ranking a window opened by draft allocates from.
func (h *Handler) editFavorites(w http.ResponseWriter, r *http.Request) {
	a := user(r)
	t := translatorFor(pickLanguage(r))
	code, action := r.PostFormValue("code"), r.PostFormValue("action")
	back := localPath(r.PostFormValue("back"))
	if _, err := h.Catalog.Load().Session(code); err != nil {
		h.errorPage(w, r, http.StatusBadRequest, "error.no_session")
		return
	}
	list, err := h.plans(r).Wishlist(r.Context(), a.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	i := slices.Index(list, code)
	switch action {
	case "add":
		if i < 0 {
			if len(list) >= maxFavorites {
				h.flash(r, "error", t.T("favorites.full", "Max", maxFavorites))
				http.Redirect(w, r, back, http.StatusSeeOther)
				return
			}
			list = append(list, code)
		}
	case "remove":
		if i >= 0 {
			list = slices.Delete(list, i, i+1)
		}
	case "up":
		if i > 0 {
			list[i-1], list[i] = list[i], list[i-1]
		}
	case "down":
		if i >= 0 && i < len(list)-1 {
			list[i+1], list[i] = list[i], list[i+1]
		}
	default:
		h.errorPage(w, r, http.StatusBadRequest, "error.bad_action")
		return
	}
	if _, err := h.plans(r).SetWishlist(r.Context(), a.ID, list, idem(r, "wishlist", action, code)); err != nil {
		h.flash(r, "error", lanyard.ErrorMessage(err))
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// outcome is one line of a reservation's answer, ready to show.
type outcome struct {
	S       *lanyard.Session
	Kind    string // ok, wait, refused
	Text    string
	Warning []string
}

type outcomesData struct {
	Outcomes []outcome
}

// describe words a seat result in the page's language.
func describe(t *translator, c *catalog.Catalog, s *lanyard.Session, r lanyard.SeatResult) outcome {
	o := outcome{S: s}
	switch {
	case r.Error != nil:
		o.Kind = "refused"
		o.Text = refusal(t, r.Error)
	case r.Outcome == lanyard.OutcomeWaitlisted:
		o.Kind = "wait"
		o.Text = t.T("outcome.waitlisted", "Position", r.Position)
	case r.Outcome == lanyard.OutcomeReserved && r.Already:
		o.Kind = "ok"
		o.Text = t.T("outcome.already")
	case r.Outcome == lanyard.OutcomeReserved:
		o.Kind = "ok"
		o.Text = t.T("outcome.reserved")
	case r.Outcome == lanyard.OutcomeCancelled:
		o.Kind = "ok"
		o.Text = t.T("outcome.cancelled")
	case r.Outcome == lanyard.OutcomeLeftWaitlist:
		o.Kind = "ok"
		o.Text = t.T("outcome.left_waitlist")
	default:
		o.Kind = "ok"
		o.Text = r.Outcome
	}
	for _, w := range r.Warnings {
		o.Warning = append(o.Warning, seatWarning(t, c, w))
	}
	return o
}

// seatWarning words the engine's warning; a travel warning is said as the
// agenda says it (travelWarning), the sessions and venues named.
func seatWarning(t *translator, c *catalog.Catalog, w lanyard.Warning) string {
	if w.Code != lanyard.ETravelTime {
		return w.Message
	}
	from, err1 := c.Session(w.From)
	to, err2 := c.Session(w.To)
	if err1 != nil || err2 != nil {
		return w.Message
	}
	mode := plan.ModeShuttle
	if tt, ok := c.TravelTime(from.Venue, to.Venue); ok {
		if _, walk := tt.Fastest(); walk {
			mode = plan.ModeWalk
		}
	}
	return travelWarning(t, c, from, to, w.GapMinute, w.NeedMinute, mode)
}

// refusal words the engine's refusal; an unknown code keeps its English message.
func refusal(t *translator, e *lanyard.Error) string {
	if msg := t.T("refusal." + e.Code); msg != "refusal."+e.Code {
		return msg
	}
	return e.Message
}

// reserveFavorites reserves every favorite not yet held, best first,
// joining the waitlist of the full ones, and shows what happened to each.
func (h *Handler) reserveFavorites(w http.ResponseWriter, r *http.Request) {
	a := user(r)
	p := h.newPage(r, "favorites.results_title")
	c := h.Catalog.Load()
	list, err := h.plans(r).Wishlist(r.Context(), a.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var d outcomesData
	for lo := 0; lo < len(list); lo += maxPerReserve {
		chunk := list[lo:min(lo+maxPerReserve, len(list))]
		rs, err := h.engine(r).Reserve(r.Context(), a.ID, chunk, true, idem(r, "favorites", chunk[0]))
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		for _, res := range rs {
			s, err := c.Session(res.Session)
			if err != nil {
				continue
			}
			d.Outcomes = append(d.Outcomes, describe(p.translator, c, s, res))
		}
	}
	p.Data = d
	h.render(w, r, http.StatusOK, "outcomes", p)
}

// reserve reserves one session, or joins its waitlist.
func (h *Handler) reserve(w http.ResponseWriter, r *http.Request) {
	a := user(r)
	t := translatorFor(pickLanguage(r))
	s, err := h.Catalog.Load().Session(r.PathValue("code"))
	if err != nil {
		h.errorPage(w, r, http.StatusNotFound, "error.no_session")
		return
	}
	waitlist := r.PostFormValue("waitlist") == "1"
	rs, err := h.engine(r).Reserve(r.Context(), a.ID, []string{s.Code}, waitlist, idem(r, "reserve", s.Code))
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.flashOutcome(r, t, s, rs[0])
	http.Redirect(w, r, localPath(r.PostFormValue("back")), http.StatusSeeOther)
}

func (h *Handler) flashOutcome(r *http.Request, t *translator, s *lanyard.Session, res lanyard.SeatResult) {
	o := describe(t, h.Catalog.Load(), s, res)
	kind := "ok"
	if o.Kind == "refused" {
		kind = "error"
	}
	text := s.Code + " · " + s.Title + ": " + o.Text
	for _, w := range o.Warning {
		text += " · " + w
	}
	h.flashAt(r, kind, text, s.Code)
}
