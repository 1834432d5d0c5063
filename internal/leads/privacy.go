package leads

import (
	"bytes"
	"html/template"
	"net/http"
	"slices"
	"strconv"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/web"
)

// fieldView is one card field as a checkbox.
type fieldView struct {
	Name    string
	Checked bool
	// Capped: the organizer lets no exhibitor see it (contacts still may).
	Capped bool
}

// sharingData is the sharing section's data; T translates in the
// request's language.
type sharingData struct {
	r      *http.Request
	h      *Handler
	S      lanyard.Sharing
	Fields []fieldView
	Errors map[string]string
}

// T translates id for the section's template.
func (d sharingData) T(id string, args ...any) string { return d.h.Shell.T(d.r, id, args...) }

func (h *Handler) sharingData(r *http.Request, s lanyard.Sharing, errs map[string]string) (sharingData, error) {
	capFields, err := h.Store.ExhibitorFields(r.Context(), h.event().ID)
	if err != nil {
		return sharingData{}, err
	}
	d := sharingData{r: r, h: h, S: s, Errors: errs}
	for _, f := range lanyard.CardFields {
		d.Fields = append(d.Fields, fieldView{Name: f, Checked: s.Shares(f), Capped: !slices.Contains(capFields, f)})
	}
	return d, nil
}

// SettingsSection renders the signed-in attendee's sharing choices as a
// section of /settings (web.Handler.SettingsSections); it posts to
// /settings/sharing.
func (h *Handler) SettingsSection(r *http.Request) template.HTML {
	u := h.Shell.User(r)
	if u == nil {
		return ""
	}
	s, err := h.Store.Sharing(r.Context(), u.ID)
	if err != nil {
		h.log().ErrorContext(r.Context(), "sharing section", "err", err)
		return ""
	}
	return h.section(r, s, nil)
}

func (h *Handler) section(r *http.Request, s lanyard.Sharing, errs map[string]string) template.HTML {
	d, err := h.sharingData(r, s, errs)
	if err != nil {
		h.log().ErrorContext(r.Context(), "sharing section", "err", err)
		return ""
	}
	var b bytes.Buffer
	if err := h.fragments.ExecuteTemplate(&b, "sharing.tmpl", d); err != nil {
		h.log().ErrorContext(r.Context(), "sharing section", "err", err)
		return ""
	}
	return template.HTML(b.String()) // executed by html/template: escaped
}

// saveSharing stores the attendee's choices. Bad input answers 422 with
// the section and the error, and nothing changes.
func (h *Handler) saveSharing(w http.ResponseWriter, r *http.Request) {
	u := h.Shell.User(r)
	if err := r.ParseForm(); err != nil {
		w.Header().Set("X-Lanyard-Code", lanyard.EINVALID)
		h.Shell.Error(w, r, http.StatusBadRequest, nil, "leads.sharing.unreadable")
		return
	}
	s := lanyard.Sharing{AttendeeID: u.ID, Fields: r.PostForm["field"], Phone: r.PostFormValue("phone"), LinkedIn: r.PostFormValue("linkedin"),
		Exchange: r.PostFormValue("exchange"), MeetOptIn: r.PostFormValue("meet_opt_in") == "on"}
	if err := s.Validate(); err != nil {
		w.Header().Set("X-Lanyard-Code", lanyard.ErrorCode(err))
		h.render(w, r, http.StatusUnprocessableEntity, "sharing", "leads.sharing.title", struct{ Section template.HTML }{
			h.section(r, s, map[string]string{lanyard.ErrorField(err): lanyard.ErrorMessage(err)})})
		return
	}
	if err := h.Store.PutSharing(r.Context(), s); err != nil {
		h.serverError(w, r, err)
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "leads.sharing.saved"))
	http.Redirect(w, r, "/settings#sharing", http.StatusSeeOther)
}

// privacyPage lists every exhibitor holding the attendee's card, with
// Withdraw, the ones they withdrew from, and their card as exhibitors see
// it now.
func (h *Handler) privacyPage(w http.ResponseWriter, r *http.Request) {
	u := h.Shell.User(r)
	ctx := r.Context()
	holders, err := h.Store.LeadHolders(ctx, h.event().ID, u.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	s, err := h.Store.Sharing(ctx, u.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	capFields, err := h.Store.ExhibitorFields(ctx, h.event().ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d := struct {
		Holding, Withdrawn []holderView
		Card               lanyard.Card
	}{Card: lanyard.CardOf(u, s, capFields)}
	for _, x := range holders {
		if x.Withdrawn.IsZero() {
			d.Holding = append(d.Holding, holderView{x.Exhibitor, h.Shell.T(r, "leads.privacy.since", "Time", h.Shell.DateTime(r, x.Since.In(h.zone())))})
		} else {
			d.Withdrawn = append(d.Withdrawn, holderView{x.Exhibitor, h.Shell.T(r, "leads.privacy.withdrawn_at", "Time", h.Shell.DateTime(r, x.Withdrawn.In(h.zone())))})
		}
	}
	h.render(w, r, http.StatusOK, "privacy", "leads.privacy.title", d)
}

type holderView struct {
	Exhibitor lanyard.Exhibitor
	When      string
}

// withdraw takes the attendee's card back from one exhibitor.
func (h *Handler) withdraw(w http.ResponseWriter, r *http.Request) {
	u := h.Shell.User(r)
	id, err := strconv.ParseInt(r.PostFormValue("exhibitor"), 10, 64)
	if err != nil || id <= 0 {
		w.Header().Set("X-Lanyard-Code", lanyard.EINVALID)
		h.Shell.Error(w, r, http.StatusBadRequest, nil, "leads.privacy.bad_exhibitor")
		return
	}
	err = h.Store.LeadWithdraw(r.Context(), h.event().ID, u.ID, id)
	switch code(err) {
	case "":
		h.Shell.Flash(r, "ok", h.Shell.T(r, "leads.privacy.done"))
		http.Redirect(w, r, "/privacy", http.StatusSeeOther)
	case lanyard.ENOTFOUND:
		w.Header().Set("X-Lanyard-Code", lanyard.ENOTFOUND)
		h.Shell.Error(w, r, http.StatusNotFound, nil, "leads.privacy.not_holding")
	default:
		h.serverError(w, r, err)
	}
}

// capPage is the organizer's cap on the card fields exhibitors may see.
func (h *Handler) capPage(w http.ResponseWriter, r *http.Request) {
	fields, err := h.Store.ExhibitorFields(r.Context(), h.event().ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.showCap(w, r, http.StatusOK, fields, "")
}

func (h *Handler) showCap(w http.ResponseWriter, r *http.Request, status int, fields []string, msg string) {
	var views []fieldView
	for _, f := range lanyard.CardFields {
		views = append(views, fieldView{Name: f, Checked: slices.Contains(fields, f)})
	}
	p := h.Shell.Page(r, "leads.cap.title", []web.NavItem{
		{Href: "/console", Label: h.Shell.T(r, "leads.cap.console")},
		{Href: "/console/leads", Label: h.Shell.T(r, "leads.cap.title"), Current: true},
	}, struct {
		Fields []fieldView
		Error  string
	}{views, msg})
	h.Shell.Render(w, r, status, "cap", p)
}

func (h *Handler) saveCap(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		w.Header().Set("X-Lanyard-Code", lanyard.EINVALID)
		h.showCap(w, r, http.StatusBadRequest, nil, h.Shell.T(r, "leads.cap.unknown"))
		return
	}
	var fields []string
	for _, f := range r.PostForm["field"] {
		if !slices.Contains(lanyard.CardFields, f) {
			w.Header().Set("X-Lanyard-Code", lanyard.EINVALID)
			h.showCap(w, r, http.StatusUnprocessableEntity, r.PostForm["field"], h.Shell.T(r, "leads.cap.unknown"))
			return
		}
	}
	for _, f := range lanyard.CardFields { // canonical order, each once
		if slices.Contains(r.PostForm["field"], f) {
			fields = append(fields, f)
		}
	}
	if err := h.Store.PutExhibitorFields(r.Context(), h.event().ID, fields); err != nil {
		h.serverError(w, r, err)
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "leads.cap.saved"))
	http.Redirect(w, r, "/console/leads", http.StatusSeeOther)
}
