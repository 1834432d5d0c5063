package console

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/webhook"
)

// WebhookStore keeps webhook endpoints and their delivery log.
type WebhookStore interface {
	CreateWebhookEndpoint(ctx context.Context, e *lanyard.WebhookEndpoint) error
	UpdateWebhookEndpoint(ctx context.Context, e *lanyard.WebhookEndpoint) error
	WebhookEndpoints(ctx context.Context, eventID int64) ([]lanyard.WebhookEndpoint, error)
	WebhookEndpoint(ctx context.Context, eventID, id int64) (lanyard.WebhookEndpoint, error)
	WebhookDeliveries(ctx context.Context, eventID, endpointID int64, limit int) ([]lanyard.WebhookDelivery, error)
	WebhookAttempts(ctx context.Context, eventID, deliveryID int64) ([]lanyard.WebhookAttempt, error)
	EnqueueWebhook(ctx context.Context, endpointID int64, typ, msgID string, data any) (int64, error)
	Redeliver(ctx context.Context, eventID, deliveryID int64) error
}

var _ WebhookStore = (*store.DB)(nil)

// webhooksData is the webhooks page: the endpoints and the form to add one.
type webhooksData struct {
	Endpoints []lanyard.WebhookEndpoint
	Events    []string
	Form      *form
	Chosen    []string // the form's events
}

// webhookData is one endpoint's page: its form, secret, deliveries and,
// when one is opened, that delivery's log.
type webhookData struct {
	E          lanyard.WebhookEndpoint
	Events     []string
	Form       *form
	Chosen     []string
	Deliveries []lanyard.WebhookDelivery
	Open       *lanyard.WebhookDelivery
	Attempts   []lanyard.WebhookAttempt
}

func (d webhooksData) Has(e string) bool { return slices.Contains(d.Chosen, e) }
func (d webhookData) Has(e string) bool  { return slices.Contains(d.Chosen, e) }

func (h *Handler) webhooksPage(w http.ResponseWriter, r *http.Request) {
	h.renderWebhooks(w, r, http.StatusOK, newForm(), nil)
}

func (h *Handler) renderWebhooks(w http.ResponseWriter, r *http.Request, status int, f *form, chosen []string) {
	es, err := h.Store.WebhookEndpoints(r.Context(), h.event().ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.render(w, r, status, "webhooks", "console.webhooks.title", webhooksData{Endpoints: es, Events: lanyard.WebhookEvents, Form: f, Chosen: chosen})
}

// endpointForm reads the endpoint fields of a posted form into e, and the
// refusal, if any, into f beside its field.
func (h *Handler) endpointForm(r *http.Request, e *lanyard.WebhookEndpoint, f *form) bool {
	r.ParseForm()
	e.URL = strings.TrimSpace(r.PostFormValue("url"))
	e.Description = strings.TrimSpace(r.PostFormValue("description"))
	e.Events = r.PostForm["events"]
	f.Values["url"], f.Values["description"] = e.URL, e.Description
	if err := store.CheckWebhookEndpoint(e); err != nil {
		field := lanyard.ErrorField(err)
		f.Errors[field] = h.Shell.T(r, "console.webhooks.invalid_"+field)
		return false
	}
	return true
}

func (h *Handler) addWebhook(w http.ResponseWriter, r *http.Request) {
	f := newForm()
	e := lanyard.WebhookEndpoint{EventID: h.event().ID, Secret: webhook.NewSecret()}
	if !h.endpointForm(r, &e, f) {
		h.renderWebhooks(w, r, http.StatusUnprocessableEntity, f, e.Events)
		return
	}
	if err := h.Store.CreateWebhookEndpoint(r.Context(), &e); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.audit(r, "webhook_created", 0, "", e.URL)
	h.Shell.Flash(r, "ok", h.Shell.T(r, "console.webhooks.created"))
	http.Redirect(w, r, "/console/webhooks/"+strconv.FormatInt(e.ID, 10)+"#secret", http.StatusSeeOther)
}

// endpoint returns the endpoint named by the path, or writes 404.
func (h *Handler) endpoint(w http.ResponseWriter, r *http.Request) *lanyard.WebhookEndpoint {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return nil
	}
	e, err := h.Store.WebhookEndpoint(r.Context(), h.event().ID, id)
	if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
		h.notFound(w, r)
		return nil
	}
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return nil
	}
	return &e
}

func (h *Handler) webhookPage(w http.ResponseWriter, r *http.Request) {
	e := h.endpoint(w, r)
	if e == nil {
		return
	}
	h.renderWebhook(w, r, http.StatusOK, e, newForm(), e.Events)
}

func (h *Handler) renderWebhook(w http.ResponseWriter, r *http.Request, status int, e *lanyard.WebhookEndpoint, f *form, chosen []string) {
	ctx := r.Context()
	ds, err := h.Store.WebhookDeliveries(ctx, h.event().ID, e.ID, 50)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	d := webhookData{E: *e, Events: lanyard.WebhookEvents, Form: f, Chosen: chosen, Deliveries: ds}
	if _, ok := f.Values["url"]; !ok {
		f.Values["url"], f.Values["description"] = e.URL, e.Description
	}
	if id, err := strconv.ParseInt(r.URL.Query().Get("delivery"), 10, 64); err == nil {
		for i := range ds {
			if ds[i].ID == id {
				d.Open = &ds[i]
			}
		}
		if d.Open != nil {
			if d.Attempts, err = h.Store.WebhookAttempts(ctx, h.event().ID, id); err != nil {
				h.Shell.ServerError(w, r, err)
				return
			}
		}
	}
	h.render(w, r, status, "webhook", "console.webhooks.endpoint_title", d)
}

func (h *Handler) saveWebhook(w http.ResponseWriter, r *http.Request) {
	e := h.endpoint(w, r)
	if e == nil {
		return
	}
	f := newForm()
	if !h.endpointForm(r, e, f) {
		h.renderWebhook(w, r, http.StatusUnprocessableEntity, e, f, e.Events)
		return
	}
	e.Enabled = r.PostFormValue("enabled") == "on"
	if err := h.Store.UpdateWebhookEndpoint(r.Context(), e); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.audit(r, "webhook_changed", 0, "", e.URL)
	h.backToWebhook(w, r, e, "console.webhooks.saved")
}

// testWebhook sends the endpoint a test event ("webhook.test"), whatever
// it subscribed to.
func (h *Handler) testWebhook(w http.ResponseWriter, r *http.Request) {
	e := h.endpoint(w, r)
	if e == nil {
		return
	}
	if _, err := webhook.SendTest(r.Context(), h.Store, *e); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.audit(r, "webhook_test", 0, "", e.URL)
	h.backToWebhook(w, r, e, "console.webhooks.test_sent")
}

func (h *Handler) redeliverWebhook(w http.ResponseWriter, r *http.Request) {
	e := h.endpoint(w, r)
	if e == nil {
		return
	}
	id, err := strconv.ParseInt(r.PostFormValue("delivery"), 10, 64)
	if err == nil {
		err = h.Store.Redeliver(r.Context(), h.event().ID, id)
	} else {
		err = lanyard.Errorf(lanyard.ENOTFOUND, "no delivery")
	}
	if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
		f := newForm()
		f.Error = h.Shell.T(r, "console.webhooks.no_delivery")
		h.renderWebhook(w, r, http.StatusUnprocessableEntity, e, f, e.Events)
		return
	}
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.audit(r, "webhook_redelivered", 0, "", e.URL+" #"+strconv.FormatInt(id, 10))
	h.backToWebhook(w, r, e, "console.webhooks.redelivered")
}

func (h *Handler) backToWebhook(w http.ResponseWriter, r *http.Request, e *lanyard.WebhookEndpoint, msgID string) {
	h.Shell.Flash(r, "ok", h.Shell.T(r, msgID))
	http.Redirect(w, r, "/console/webhooks/"+strconv.FormatInt(e.ID, 10), http.StatusSeeOther)
}
