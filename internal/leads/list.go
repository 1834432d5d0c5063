package leads

import (
	"encoding/csv"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
)

// leadRow is a lead with its answers in the questions' order, for pages.
type leadRow struct {
	lanyard.Lead
	Answers []answerView
}

type answerView struct {
	Q      lanyard.LeadQuestion
	Values []string
}

func rows(leads []lanyard.Lead, qs []lanyard.LeadQuestion) []leadRow {
	out := make([]leadRow, len(leads))
	for i, l := range leads {
		out[i].Lead = l
		for _, q := range qs {
			out[i].Answers = append(out[i].Answers, answerView{Q: q, Values: l.Answers[q.ID]})
		}
	}
	return out
}

func (h *Handler) listPage(w http.ResponseWriter, r *http.Request) {
	x := exhibitorOf(r)
	ctx := r.Context()
	all, err := h.Store.Leads(ctx, h.event().ID, x.ID, store.LeadFilter{})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	qs, err := h.Store.LeadQuestions(ctx, x.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	f := store.LeadFilter{Tag: strings.TrimSpace(r.URL.Query().Get("tag")), Q: strings.TrimSpace(r.URL.Query().Get("q"))}
	var tags []string
	var shown []lanyard.Lead
	for _, l := range all {
		for _, t := range l.Tags {
			if !slices.Contains(tags, t) {
				tags = append(tags, t)
			}
		}
		if f.Tag != "" && !slices.Contains(l.Tags, f.Tag) {
			continue
		}
		if q := strings.ToLower(f.Q); q != "" && !strings.Contains(strings.ToLower(l.Card.Name), q) && !strings.Contains(strings.ToLower(l.Card.Company), q) {
			continue
		}
		shown = append(shown, l)
	}
	slices.Sort(tags)
	h.render(w, r, http.StatusOK, "list", "leads.list.title", struct {
		Exhibitor lanyard.Exhibitor
		Leads     []leadRow
		Total     int
		Tags      []string
		Filter    store.LeadFilter
		Questions []lanyard.LeadQuestion
	}{x, rows(shown, qs), len(all), tags, f, qs})
}

// leadID reads {id}; a bad one is not found.
func leadID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

type leadForm struct {
	Lead      leadRow
	Exhibitor lanyard.Exhibitor
	Tags      string
	Errors    map[string]string
	Error     string
}

func (h *Handler) leadPage(w http.ResponseWriter, r *http.Request) {
	id, ok := leadID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	h.showLead(w, r, id, http.StatusOK, nil)
}

func (h *Handler) showLead(w http.ResponseWriter, r *http.Request, id int64, status int, form *leadForm) {
	x := exhibitorOf(r)
	l, err := h.Store.Lead(r.Context(), h.event().ID, x.ID, id)
	if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	qs, err := h.Store.LeadQuestions(r.Context(), x.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if form == nil {
		form = &leadForm{Tags: strings.Join(l.Tags, ", ")}
	}
	form.Lead, form.Exhibitor = rows([]lanyard.Lead{l}, qs)[0], x
	h.render(w, r, status, "lead", "leads.lead.title", form)
}

func (h *Handler) saveLead(w http.ResponseWriter, r *http.Request) {
	id, ok := leadID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	x := exhibitorOf(r)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, id, lanyard.Errorf(lanyard.EINVALID, "The form cannot be read."), r.PostFormValue("tags"))
		return
	}
	qs, err := h.Store.LeadQuestions(r.Context(), x.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var u lanyard.LeadUpdate
	rating, err := strconv.Atoi(r.PostFormValue("rating"))
	if err != nil {
		h.fail(w, r, id, &lanyard.Error{Code: lanyard.EINVALID, Field: "rating", Message: h.Shell.T(r, "leads.lead.rating_invalid")}, r.PostFormValue("tags"))
		return
	}
	notes := r.PostFormValue("notes")
	u.Rating, u.Notes = &rating, &notes
	tags, err := lanyard.ParseLeadTags(r.PostFormValue("tags"))
	if err != nil {
		h.fail(w, r, id, err, r.PostFormValue("tags"))
		return
	}
	u.Tags = &tags
	u.Answers = map[int64][]string{}
	for _, q := range qs {
		u.Answers[q.ID] = r.PostForm["q"+strconv.FormatInt(q.ID, 10)]
	}
	err = h.Store.LeadUpdate(r.Context(), h.event().ID, x.ID, id, u)
	switch {
	case lanyard.ErrorCode(err) == lanyard.ENOTFOUND:
		h.notFound(w, r)
		return
	case lanyard.ErrorCode(err) == lanyard.EINVALID:
		h.fail(w, r, id, err, r.PostFormValue("tags"))
		return
	case err != nil:
		h.serverError(w, r, err)
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "leads.lead.saved"))
	http.Redirect(w, r, "/exhibitor/leads/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// fail shows the lead's form again with the error, 422, nothing saved.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, id int64, err error, tags string) {
	w.Header().Set("X-Lanyard-Code", lanyard.ErrorCode(err))
	f := &leadForm{Tags: tags, Errors: map[string]string{}}
	if field := lanyard.ErrorField(err); field != "" {
		f.Errors[field] = lanyard.ErrorMessage(err)
	}
	f.Error = lanyard.ErrorMessage(err)
	h.showLead(w, r, id, http.StatusUnprocessableEntity, f)
}

// exportCSV writes the exhibitor's leads as CSV: the cards as the consent
// and cap allow now, what the exhibitor wrote, one column per question.
func (h *Handler) exportCSV(w http.ResponseWriter, r *http.Request) {
	x := exhibitorOf(r)
	leads, err := h.Store.Leads(r.Context(), h.event().ID, x.ID, store.LeadFilter{Tag: r.URL.Query().Get("tag")})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	qs, err := h.Store.LeadQuestions(r.Context(), x.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	name := strings.Map(func(r rune) rune { // a safe file name whatever the code
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return -1
	}, x.Code)
	w.Header().Set("Content-Disposition", `attachment; filename="leads-`+name+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	WriteCSV(w, leads, qs)
}

// WriteCSV writes leads as CSV with a header row: id, name, company,
// title, email, phone, linkedin, rating, tags (separated by "; "), notes,
// scanned_at (RFC 3339, UTC), then one column per question (a multiple
// choice's values separated by "; "). A cell that a spreadsheet would run
// as a formula starts with an apostrophe.
func WriteCSV(w interface{ Write([]byte) (int, error) }, leads []lanyard.Lead, qs []lanyard.LeadQuestion) error {
	cw := csv.NewWriter(w)
	head := []string{"id", "name", "company", "title", "email", "phone", "linkedin", "rating", "tags", "notes", "scanned_at"}
	for _, q := range qs {
		head = append(head, q.Prompt)
	}
	if err := cw.Write(cells(head)); err != nil {
		return err
	}
	for _, l := range leads {
		row := []string{strconv.FormatInt(l.ID, 10), l.Card.Name, l.Card.Company, l.Card.Title, l.Card.Email, l.Card.Phone, l.Card.LinkedIn,
			strconv.Itoa(l.Rating), strings.Join(l.Tags, "; "), l.Notes, l.ScannedAt.UTC().Format(time.RFC3339)}
		for _, q := range qs {
			row = append(row, strings.Join(l.Answers[q.ID], "; "))
		}
		if err := cw.Write(cells(row)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// cells guards a row against formula injection (OWASP's CSV injection).
func cells(row []string) []string {
	for i, c := range row {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			row[i] = "'" + c
		}
	}
	return row
}
