package swag

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/respond"
)

// The passport's organizer setup and the info desk that hands the prize.

type setupData struct {
	P          lanyard.Passport
	Exhibitors []lanyard.Exhibitor
	Error      string
	Field      string
}

func (d *setupData) Listed(id int64) bool { return slices.Contains(d.P.Booths, id) }

func (h *Handler) setupData(r *http.Request, p lanyard.Passport) (*setupData, error) {
	xs, err := h.Store.Exhibitors(r.Context(), h.event().ID)
	return &setupData{P: p, Exhibitors: xs}, err
}

func (h *Handler) setupPage(w http.ResponseWriter, r *http.Request) {
	p, err := h.Store.Passport(r.Context(), h.event().ID)
	if err != nil && lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
		h.Shell.ServerError(w, r, err)
		return
	}
	if p.Needed == 0 {
		p.Needed = 5
	}
	d, err := h.setupData(r, p)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "setup", "swag.setup.title", d)
}

func (h *Handler) setupSave(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.refuse(w, r, http.StatusBadRequest, lanyard.EINVALID, "swag.setup.bad_form")
		return
	}
	p := lanyard.Passport{Name: r.PostForm.Get("name"), Prize: r.PostForm.Get("prize")}
	p.Needed, _ = strconv.Atoi(r.PostForm.Get("needed"))
	for _, s := range r.PostForm["booth"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err == nil && !slices.Contains(p.Booths, id) {
			p.Booths = append(p.Booths, id)
		}
	}
	err := h.Store.PassportPut(r.Context(), h.event().ID, p)
	if err != nil {
		c := lanyard.ErrorCode(err)
		if c != lanyard.EINVALID {
			h.Shell.ServerError(w, r, err)
			return
		}
		d, derr := h.setupData(r, p)
		if derr != nil {
			h.Shell.ServerError(w, r, derr)
			return
		}
		d.Error, d.Field = lanyard.ErrorMessage(err), lanyard.ErrorField(err)
		w.Header().Set(codeHeader, c)
		h.render(w, r, http.StatusUnprocessableEntity, "setup", "swag.setup.title", d)
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "swag.setup.saved"))
	http.Redirect(w, r, "/passport/setup", http.StatusSeeOther)
}

type deskData struct {
	P       *lanyard.Passport
	Verdict *Verdict
}

func (h *Handler) deskData(w http.ResponseWriter, r *http.Request) (*deskData, bool) {
	p, err := h.Store.Passport(r.Context(), h.event().ID)
	switch {
	case lanyard.ErrorCode(err) == lanyard.ENOTFOUND:
		return &deskData{}, true
	case err != nil:
		h.Shell.ServerError(w, r, err)
		return nil, false
	}
	return &deskData{P: &p}, true
}

func (h *Handler) deskPage(w http.ResponseWriter, r *http.Request) {
	d, ok := h.deskData(w, r)
	if ok {
		h.render(w, r, http.StatusOK, "desk", "swag.desk.title", d)
	}
}

// deskHand hands the prize to the scanned attendee: once, and only with
// enough stamps (the store's one statement decides, so two desks scanning
// the same badge hand one prize).
func (h *Handler) deskHand(w http.ResponseWriter, r *http.Request) {
	d, ok := h.deskData(w, r)
	if !ok {
		return
	}
	v := Verdict{}
	a, err := h.scanned(r.Context(), r.FormValue("code"))
	if err == nil {
		v.Name = a.Name
		err = h.Store.PassportHandPrize(r.Context(), h.event().ID, a.ID, h.Shell.User(r).ID, h.now())
	}
	status := http.StatusOK
	switch c := lanyard.ErrorCode(err); {
	case err == nil:
		v.OK, v.Code = true, "handed"
		v.Message = h.Shell.T(r, "swag.verdict.handed", "Name", a.Name, "Prize", d.P.Prize)
	case c == lanyard.EPrizeHanded || c == lanyard.EPrizeNotEarned:
		v.Code, v.Message, status = c, h.Shell.T(r, "swag.verdict."+c, "Name", a.Name)+" "+lanyard.ErrorMessage(err), http.StatusConflict
	case c == lanyard.ENOTFOUND && a != nil:
		v.Code, v.Message, status = c, h.Shell.T(r, "swag.passport.none"), http.StatusNotFound
	case c == lanyard.EBadgeInvalid || c == lanyard.ENOTFOUND || c == lanyard.EINVALID:
		v.Code, v.Message, status = c, h.errorWords(r, err), respond.Status(c)
	default:
		h.Shell.ServerError(w, r, err)
		return
	}
	if !v.OK {
		w.Header().Set(codeHeader, v.Code)
	}
	d.Verdict = &v
	h.render(w, r, status, "desk", "swag.desk.title", d)
}
