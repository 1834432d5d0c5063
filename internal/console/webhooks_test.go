package console_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

func TestWebhooksPage(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		org := e.signIn(lanyard.RoleOrganizer)

		// Refused input comes back beside its field and saves nothing.
		r := org.Post("/console/webhooks", url.Values{"url": {"ftp://example.com"}, "events": {"reservation.created"}})
		if r.Status != http.StatusUnprocessableEntity || byID(r.Body, "url-error") == "" {
			t.Fatalf("bad url: %d, url-error %q", r.Status, byID(r.Body, "url-error"))
		}
		r = org.Post("/console/webhooks", url.Values{"url": {"https://hooks.example.com/x"}})
		if r.Status != http.StatusUnprocessableEntity || byID(r.Body, "events-error") == "" {
			t.Fatalf("no events: %d, events-error %q", r.Status, byID(r.Body, "events-error"))
		}
		if es, _ := db.WebhookEndpoints(ctx, e.ev.ID); len(es) != 0 {
			t.Fatalf("refused forms saved %d endpoints", len(es))
		}

		r = org.Post("/console/webhooks", url.Values{"url": {"https://hooks.example.com/x"}, "description": {"CRM"},
			"events": {"reservation.created", "attendee.created"}})
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/console/webhooks/") {
			t.Fatalf("add: %d to %q", r.Status, r.Header.Get("Location"))
		}
		es, err := db.WebhookEndpoints(ctx, e.ev.ID)
		if err != nil || len(es) != 1 {
			t.Fatalf("endpoints=%v, %v", es, err)
		}
		ep := es[0]
		if got, want := strings.Join(ep.Events, ","), "attendee.created,reservation.created"; got != want {
			t.Fatalf("events=%s, want %s", got, want)
		}
		path := "/console/webhooks/" + itoa(ep.ID)
		page := org.Get(path)
		// (html/template writes "+" as "&#43;")
		if got := html.UnescapeString(byID(page.Body, "secret-value")); page.Status != http.StatusOK || got != ep.Secret || !strings.HasPrefix(ep.Secret, "whsec_") {
			t.Fatalf("endpoint page: %d, secret %q, want %q", page.Status, got, ep.Secret)
		}

		// Send a test event: a delivery of webhook.test.
		if r := org.Post(path+"/test", url.Values{}); r.Status != http.StatusSeeOther {
			t.Fatalf("test: %d", r.Status)
		}
		ds, _ := db.WebhookDeliveries(ctx, e.ev.ID, ep.ID, 10)
		if len(ds) != 1 || ds[0].Type != lanyard.EventTest {
			t.Fatalf("deliveries after test=%+v", ds)
		}
		if r := org.Post(path+"/redeliver", url.Values{"delivery": {itoa(ds[0].ID)}}); r.Status != http.StatusSeeOther {
			t.Fatalf("redeliver: %d", r.Status)
		}
		if r := org.Post(path+"/redeliver", url.Values{"delivery": {"999999"}}); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("redeliver of nothing: %d, want 422", r.Status)
		}
		page = org.Get(path + "?delivery=" + itoa(ds[0].ID))
		if !strings.Contains(page.Body, `id="payload"`) || !strings.Contains(page.Body, "webhook.test") {
			t.Fatal("the delivery's payload is not shown")
		}

		// Disable it: the engine's events stop.
		r = org.Post(path, url.Values{"url": {ep.URL}, "events": {"reservation.created"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("save: %d", r.Status)
		}
		if got, _ := db.WebhookEndpoint(ctx, e.ev.ID, ep.ID); got.Enabled {
			t.Fatal("endpoint still enabled")
		}
		if got := e.signIn(lanyard.RoleOrganizer).Get("/console/webhooks/999999"); got.Status != http.StatusNotFound {
			t.Fatalf("unknown endpoint: %d, want 404", got.Status)
		}
		// Each action is in the audit log, with its actor.
		audit, err := db.FindAudit(ctx, e.ev.ID, store.AuditFilter{ActorID: e.people[lanyard.RoleOrganizer].ID, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, a := range audit {
			actions = append(actions, a.Action)
		}
		if got, want := strings.Join(actions, ","), "webhook_changed,webhook_redelivered,webhook_test,webhook_created"; got != want {
			t.Fatalf("audit actions %s, want %s", got, want)
		}
		ko := e.signIn(lanyard.RoleOrganizer)
		ko.Lang = "ko"
		if got := ko.Get("/console/webhooks"); !strings.Contains(got.Body, "엔드포인트 추가") {
			t.Fatal("the Korean page has no Korean")
		}
	})
}
