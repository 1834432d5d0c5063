package leads

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/webhook"
)

type questionsData struct {
	Exhibitor lanyard.Exhibitor
	Questions []lanyard.LeadQuestion
	Form      lanyard.LeadQuestion
	Choices   string
	Errors    map[string]string
}

func (h *Handler) questionsPage(w http.ResponseWriter, r *http.Request) {
	h.showQuestions(w, r, http.StatusOK, &questionsData{Form: lanyard.LeadQuestion{Kind: lanyard.LeadQuestionText}})
}

func (h *Handler) showQuestions(w http.ResponseWriter, r *http.Request, status int, d *questionsData) {
	x := exhibitorOf(r)
	qs, err := h.Store.LeadQuestions(r.Context(), x.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d.Exhibitor, d.Questions = x, qs
	h.render(w, r, status, "questions", "leads.questions.title", d)
}

// saveQuestion adds a question, or changes one (form field id).
func (h *Handler) saveQuestion(w http.ResponseWriter, r *http.Request) {
	x := exhibitorOf(r)
	q := lanyard.LeadQuestion{ExhibitorID: x.ID, Kind: r.PostFormValue("kind"), Prompt: r.PostFormValue("prompt"),
		Choices: strings.Split(r.PostFormValue("choices"), "\n")}
	if s := r.PostFormValue("id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			h.notFound(w, r)
			return
		}
		q.ID = id
	}
	_, err := h.Store.LeadQuestionPut(r.Context(), q)
	switch code(err) {
	case "":
		h.Shell.Flash(r, "ok", h.Shell.T(r, "leads.questions.saved"))
		http.Redirect(w, r, "/exhibitor/questions", http.StatusSeeOther)
	case lanyard.ENOTFOUND:
		h.notFound(w, r)
	case lanyard.EINVALID, lanyard.ECONFLICT:
		w.Header().Set("X-Lanyard-Code", lanyard.ErrorCode(err))
		field := lanyard.ErrorField(err)
		if field == "" {
			field = "prompt"
		}
		h.showQuestions(w, r, http.StatusUnprocessableEntity, &questionsData{Form: q, Choices: r.PostFormValue("choices"),
			Errors: map[string]string{field: lanyard.ErrorMessage(err)}})
	default:
		h.serverError(w, r, err)
	}
}

func (h *Handler) deleteQuestion(w http.ResponseWriter, r *http.Request) {
	id, ok := leadID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	err := h.Store.LeadQuestionDelete(r.Context(), exhibitorOf(r).ID, id)
	switch code(err) {
	case "":
		h.Shell.Flash(r, "ok", h.Shell.T(r, "leads.questions.deleted"))
		http.Redirect(w, r, "/exhibitor/questions", http.StatusSeeOther)
	case lanyard.ENOTFOUND:
		h.notFound(w, r)
	default:
		h.serverError(w, r, err)
	}
}

type webhookData struct {
	Exhibitor lanyard.Exhibitor
	Endpoint  *lanyard.WebhookEndpoint
	URL       string
	Error     string
}

// webhookPage shows the exhibitor's own endpoint and its signing secret
// (theirs to keep: lead bodies carry cards).
func (h *Handler) webhookPage(w http.ResponseWriter, r *http.Request) {
	h.showWebhook(w, r, http.StatusOK, &webhookData{})
}

func (h *Handler) showWebhook(w http.ResponseWriter, r *http.Request, status int, d *webhookData) {
	x := exhibitorOf(r)
	e, err := h.Store.LeadHook(r.Context(), x.ID)
	switch code(err) {
	case "":
		d.Endpoint = &e
		if d.URL == "" {
			d.URL = e.URL
		}
	case lanyard.ENOTFOUND:
	default:
		h.serverError(w, r, err)
		return
	}
	d.Exhibitor = x
	h.render(w, r, status, "webhook", "leads.webhook.title", d)
}

func (h *Handler) saveWebhook(w http.ResponseWriter, r *http.Request) {
	x := exhibitorOf(r)
	if r.PostFormValue("action") == "disable" {
		if err := h.Store.LeadHookDisable(r.Context(), x.ID); err != nil {
			h.serverError(w, r, err)
			return
		}
		h.Shell.Flash(r, "ok", h.Shell.T(r, "leads.webhook.disabled"))
		http.Redirect(w, r, "/exhibitor/leads/webhook", http.StatusSeeOther)
		return
	}
	u := strings.TrimSpace(r.PostFormValue("url"))
	_, err := h.Store.LeadHookPut(r.Context(), h.event().ID, x.ID, u, webhook.NewSecret())
	switch code(err) {
	case "":
		h.Shell.Flash(r, "ok", h.Shell.T(r, "leads.webhook.saved"))
		http.Redirect(w, r, "/exhibitor/leads/webhook", http.StatusSeeOther)
	case lanyard.EINVALID:
		w.Header().Set("X-Lanyard-Code", lanyard.EINVALID)
		h.showWebhook(w, r, http.StatusUnprocessableEntity, &webhookData{URL: u, Error: h.Shell.T(r, "leads.webhook.url_invalid")})
	default:
		h.serverError(w, r, err)
	}
}
