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
		r := org.post("/console/webhooks", url.Values{"url": {"ftp://example.com"}, "events": {"reservation.created"}})
		if r.status != http.StatusUnprocessableEntity || byID(r.body, "url-error") == "" {
			t.Fatalf("bad url: %d, url-error %q", r.status, byID(r.body, "url-error"))
		}
		r = org.post("/console/webhooks", url.Values{"url": {"https://hooks.example.com/x"}})
		if r.status != http.StatusUnprocessableEntity || byID(r.body, "events-error") == "" {
			t.Fatalf("no events: %d, events-error %q", r.status, byID(r.body, "events-error"))
		}
		if es, _ := db.WebhookEndpoints(ctx, e.ev.ID); len(es) != 0 {
			t.Fatalf("refused forms saved %d endpoints", len(es))
		}

		r = org.post("/console/webhooks", url.Values{"url": {"https://hooks.example.com/x"}, "description": {"CRM"},
			"events": {"reservation.created", "attendee.created"}})
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/console/webhooks/") {
			t.Fatalf("add: %d to %q", r.status, r.header.Get("Location"))
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
		page := org.get(path)
		// (html/template writes "+" as "&#43;")
		if got := html.UnescapeString(byID(page.body, "secret-value")); page.status != http.StatusOK || got != ep.Secret || !strings.HasPrefix(ep.Secret, "whsec_") {
			t.Fatalf("endpoint page: %d, secret %q, want %q", page.status, got, ep.Secret)
		}

		// Send a test event: a delivery of webhook.test.
		if r := org.post(path+"/test", url.Values{}); r.status != http.StatusSeeOther {
			t.Fatalf("test: %d", r.status)
		}
		ds, _ := db.WebhookDeliveries(ctx, e.ev.ID, ep.ID, 10)
		if len(ds) != 1 || ds[0].Type != lanyard.EventTest {
			t.Fatalf("deliveries after test=%+v", ds)
		}
		if r := org.post(path+"/redeliver", url.Values{"delivery": {itoa(ds[0].ID)}}); r.status != http.StatusSeeOther {
			t.Fatalf("redeliver: %d", r.status)
		}
		if r := org.post(path+"/redeliver", url.Values{"delivery": {"999999"}}); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("redeliver of nothing: %d, want 422", r.status)
		}
		page = org.get(path + "?delivery=" + itoa(ds[0].ID))
		if !strings.Contains(page.body, `id="payload"`) || !strings.Contains(page.body, "webhook.test") {
			t.Fatal("the delivery's payload is not shown")
		}

		// Disable it: the engine's events stop.
		r = org.post(path, url.Values{"url": {ep.URL}, "events": {"reservation.created"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("save: %d", r.status)
		}
		if got, _ := db.WebhookEndpoint(ctx, e.ev.ID, ep.ID); got.Enabled {
			t.Fatal("endpoint still enabled")
		}
		if got := e.signIn(lanyard.RoleOrganizer).get("/console/webhooks/999999"); got.status != http.StatusNotFound {
			t.Fatalf("unknown endpoint: %d, want 404", got.status)
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
		ko.lang = "ko"
		if got := ko.get("/console/webhooks"); !strings.Contains(got.body, "엔드포인트 추가") {
			t.Fatal("the Korean page has no Korean")
		}
	})
}
