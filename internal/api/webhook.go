package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/respond"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/webhook"
)

// Webhooks keeps webhook endpoints and their deliveries.
type Webhooks interface {
	CreateWebhookEndpoint(ctx context.Context, e *lanyard.WebhookEndpoint) error
	UpdateWebhookEndpoint(ctx context.Context, e *lanyard.WebhookEndpoint) error
	WebhookEndpoints(ctx context.Context, eventID int64) ([]lanyard.WebhookEndpoint, error)
	WebhookEndpoint(ctx context.Context, eventID, id int64) (lanyard.WebhookEndpoint, error)
	WebhookDeliveries(ctx context.Context, eventID, endpointID int64, limit int) ([]lanyard.WebhookDelivery, error)
	EnqueueWebhook(ctx context.Context, endpointID int64, typ, msgID string, data any) (int64, error)
	Redeliver(ctx context.Context, eventID, deliveryID int64) error
}

var _ Webhooks = (*store.DB)(nil)

// endpointJSON is an endpoint in the API.
type endpointJSON struct {
	ID             int64     `json:"id"`
	URL            string    `json:"url"`
	Description    string    `json:"description"`
	Events         []string  `json:"events"`
	Secret         string    `json:"secret"`
	Enabled        bool      `json:"enabled"`
	DisabledReason string    `json:"disabled_reason,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
}

func toEndpointJSON(e lanyard.WebhookEndpoint) endpointJSON {
	return endpointJSON{e.ID, e.URL, e.Description, e.Events, e.Secret, e.Enabled, e.DisabledReason, e.CreatedAt}
}

// endpointBody is what a client sends to create or change an endpoint.
type endpointBody struct {
	URL         string   `json:"url"`
	Description string   `json:"description"`
	Events      []string `json:"events"`
	Enabled     *bool    `json:"enabled"`
}

type deliveryJSON struct {
	ID         int64     `json:"id"`
	MsgID      string    `json:"webhook_id"`
	Type       string    `json:"type"`
	State      string    `json:"state"`
	Attempts   int       `json:"attempts"`
	LastStatus int       `json:"last_status"`
	LastError  string    `json:"last_error,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// webhooks answers 503 without a webhook store.
func (h *Handler) webhooks(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.Webhooks == nil {
			h.error(w, r, lanyard.Errorf(lanyard.EUNAVAILABLE, "Webhooks are not available on this server."))
			return
		}
		next(w, r)
	}
}

func (h *Handler) listWebhooks(w http.ResponseWriter, r *http.Request) {
	es, err := h.Webhooks.WebhookEndpoints(r.Context(), h.Catalog.Load().Event.ID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := make([]endpointJSON, len(es))
	for i, e := range es {
		out[i] = toEndpointJSON(e)
	}
	respond.JSON(w, http.StatusOK, map[string]any{"endpoints": out})
}

func (h *Handler) createWebhook(w http.ResponseWriter, r *http.Request) {
	var body endpointBody
	if err := decode(r, &body); err != nil {
		h.error(w, r, err)
		return
	}
	e := lanyard.WebhookEndpoint{EventID: h.Catalog.Load().Event.ID, URL: body.URL, Description: body.Description, Events: body.Events, Secret: webhook.NewSecret()}
	if err := h.Webhooks.CreateWebhookEndpoint(r.Context(), &e); err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusCreated, toEndpointJSON(e))
}

// endpoint returns the endpoint of the path's {id}, or answers 404.
func (h *Handler) endpoint(w http.ResponseWriter, r *http.Request) *lanyard.WebhookEndpoint {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.error(w, r, lanyard.Errorf(lanyard.ENOTFOUND, "There is no such webhook endpoint."))
		return nil
	}
	e, err := h.Webhooks.WebhookEndpoint(r.Context(), h.Catalog.Load().Event.ID, id)
	if err != nil {
		h.error(w, r, err)
		return nil
	}
	return &e
}

func (h *Handler) putWebhook(w http.ResponseWriter, r *http.Request) {
	e := h.endpoint(w, r)
	if e == nil {
		return
	}
	var body endpointBody
	if err := decode(r, &body); err != nil {
		h.error(w, r, err)
		return
	}
	e.URL, e.Description, e.Events = body.URL, body.Description, body.Events
	if body.Enabled != nil {
		e.Enabled = *body.Enabled
	}
	if err := h.Webhooks.UpdateWebhookEndpoint(r.Context(), e); err != nil {
		h.error(w, r, err)
		return
	}
	if e.Enabled {
		e.DisabledReason = ""
	}
	respond.JSON(w, http.StatusOK, toEndpointJSON(*e))
}

func (h *Handler) listDeliveries(w http.ResponseWriter, r *http.Request) {
	e := h.endpoint(w, r)
	if e == nil {
		return
	}
	ds, err := h.Webhooks.WebhookDeliveries(r.Context(), e.EventID, e.ID, 100)
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := make([]deliveryJSON, len(ds))
	for i, d := range ds {
		out[i] = deliveryJSON{d.ID, d.MsgID, d.Type, string(d.State), d.Attempts, d.LastStatus, d.LastError, d.CreatedAt}
	}
	respond.JSON(w, http.StatusOK, map[string]any{"deliveries": out})
}

func (h *Handler) testWebhook(w http.ResponseWriter, r *http.Request) {
	e := h.endpoint(w, r)
	if e == nil {
		return
	}
	id, err := webhook.SendTest(r.Context(), h.Webhooks, *e)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusAccepted, map[string]any{"delivery": id})
}

func (h *Handler) redeliver(w http.ResponseWriter, r *http.Request) {
	e := h.endpoint(w, r)
	if e == nil {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("delivery"), 10, 64)
	if err != nil {
		h.error(w, r, lanyard.Errorf(lanyard.ENOTFOUND, "There is no such delivery."))
		return
	}
	if err := h.Webhooks.Redeliver(r.Context(), e.EventID, id); err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusAccepted, map[string]any{"delivery": id})
}
