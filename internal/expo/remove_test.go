package expo_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// TestRemoveExhibitor: only organizers reach the confirmation or remove
// (403 + code for others); a wrong confirmation changes nothing; the
// confirmation page says the leads are deleted; then the booth is gone
// from the directory, the map and favorites, its staff are attendees who
// cannot reach /exhibitor, its leads are deleted with lead.withdrawn to
// its webhook, its swag is retired in the engine (the one node's, or the
// one a cluster node's request carries), and its code is free again. On
// both databases.
func TestRemoveExhibitor(t *testing.T) {
	for _, node := range []struct {
		name    string
		cluster bool
	}{{"one node", false}, {"cluster node", true}} {
		t.Run(node.name, func(t *testing.T) { testRemoveExhibitor(t, node.cluster) })
	}
}

func testRemoveExhibitor(t *testing.T, clusterNode bool) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnvOn(t, db, clusterNode)
		att := e.signIn("attendee")
		if r := att.Post("/expo/acme/favorite", url.Values{"on": {"1"}}); r.Status >= 400 {
			t.Fatalf("favorite: %d", r.Status)
		}
		hook, err := db.LeadHookPut(ctx, e.ev.ID, e.acme.ID, "https://crm.acme.example/hook", "whsec_c2VjcmV0c2VjcmV0c2VjcmV0")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.LeadScan(ctx, store.LeadScanInput{EventID: e.ev.ID, ExhibitorID: e.acme.ID, AttendeeID: e.people["attendee"].ID, Version: -1, Nonce: "n1",
			ScannedBy: e.people["exhibitor"].ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.LeadScan(ctx, store.LeadScanInput{EventID: e.ev.ID, ExhibitorID: e.bolt.ID, AttendeeID: e.people["attendee"].ID, Version: -1, Nonce: "n2",
			ScannedBy: e.people["exhibitor2"].ID}); err != nil {
			t.Fatal(err)
		}
		// Its swag: one item with a claim made, one untouched, and another
		// exhibitor's item that stays.
		mug, err := e.engine.SwagPut(ctx, 0, 0, "", lanyard.SwagItem{ExhibitorID: e.acme.ID, Name: "Mug", Stock: 5})
		if err != nil {
			t.Fatal(err)
		}
		tee, err := e.engine.SwagPut(ctx, 0, 0, "", lanyard.SwagItem{ExhibitorID: e.acme.ID, Name: "T-shirt", Stock: 5})
		if err != nil {
			t.Fatal(err)
		}
		pin, err := e.engine.SwagPut(ctx, 0, 0, "", lanyard.SwagItem{ExhibitorID: e.bolt.ID, Name: "Pin", Stock: 5})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.engine.SwagClaim(ctx, 0, 0, e.people["attendee"].ID, mug.ID, ""); err != nil {
			t.Fatal(err)
		}
		// Its parties stay, listed on the confirmation for the organizers
		// who run them from then on; a cancelled one and Bolt's are not.
		for _, p := range []lanyard.Party{
			{Code: "acmenight", Title: "Acme night", ExhibitorID: e.acme.ID},
			{Code: "acmeold", Title: "Acme brunch", ExhibitorID: e.acme.ID},
			{Code: "boltdinner", Title: "Bolt dinner", ExhibitorID: e.bolt.ID},
		} {
			p.Kind, p.Capacity, p.Starts = lanyard.KindParty, 20, time.Now().Add(72*time.Hour)
			if _, err := db.PartyPut(ctx, e.ev.ID, p); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.PartyCancel(ctx, e.ev.ID, "acmeold", time.Now(), func(lanyard.Party, string, string) (map[string]string, error) {
			return map[string]string{}, nil
		}); err != nil {
			t.Fatal(err)
		}
		page := fmt.Sprintf("/console/exhibitors/%d/remove", e.acme.ID)
		for _, who := range []string{"attendee", "exhibitor", "exhibitor2", "staff"} {
			c := e.signIn(who)
			if r := c.Get(page); r.Status != http.StatusForbidden || r.Code() != lanyard.EFORBIDDEN {
				t.Errorf("%s GET remove: %d %q", who, r.Status, r.Code())
			}
			if r := c.Post(page, url.Values{"confirm_code": {"acme"}}); r.Status != http.StatusForbidden || r.Code() != lanyard.EFORBIDDEN {
				t.Errorf("%s POST remove: %d %q", who, r.Status, r.Code())
			}
		}
		if r := e.client().Post(page, url.Values{"confirm_code": {"acme"}}); r.Status != http.StatusUnauthorized {
			t.Errorf("anonymous remove: %d", r.Status)
		}
		org := e.signIn("organizer")
		r := org.Get(page)
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "Its leads (1) are deleted") || !strings.Contains(r.Body, "Staff accounts (1) lose") ||
			!strings.Contains(r.Body, "Its swag items (2) are retired") || !strings.Contains(r.Body, "(1) are deleted: they leave their routes.") {
			t.Fatalf("confirmation page: %d\n%s", r.Status, r.Body)
		}
		if !strings.Contains(r.Body, `id="remove-parties"`) || !strings.Contains(r.Body, `<a href="/parties/acmenight">Acme night</a>`) ||
			strings.Contains(r.Body, "Acme brunch") || strings.Contains(r.Body, "Bolt dinner") {
			t.Errorf("the confirmation's parties:\n%s", r.Body)
		}
		// Bolt's booth nobody saved: no line counting "(0)" favorites.
		if r := org.Get(fmt.Sprintf("/console/exhibitors/%d/remove", e.bolt.ID)); r.Status != http.StatusOK || strings.Contains(r.Body, `id="remove-favorites"`) || !strings.Contains(r.Body, `id="remove-staff"`) {
			t.Errorf("Bolt's confirmation page: %d\n%s", r.Status, r.Body)
		}
		for _, bad := range []url.Values{{}, {"confirm_code": {"bolt"}}, {"confirm_code": {"ACME"}}} {
			if r := org.Post(page, bad); r.Status != http.StatusUnprocessableEntity || r.Code() != "confirm_needed" {
				t.Errorf("confirm %v: %d %q", bad, r.Status, r.Code())
			}
		}
		if r := org.Post("/console/exhibitors/9999/remove", url.Values{"confirm_code": {"x"}}); r.Status != http.StatusNotFound {
			t.Errorf("remove of none: %d", r.Status)
		}
		if leads, _ := db.Leads(ctx, e.ev.ID, e.acme.ID, store.LeadFilter{}); len(leads) != 1 {
			t.Fatalf("a refused remove deleted leads: %d", len(leads))
		}
		if items, _ := e.engine.SwagItems(ctx, e.acme.ID); len(items) != 2 || items[0].Retired || items[1].Retired {
			t.Fatalf("a refused remove retired swag: %+v", items)
		}
		if r := e.signIn("exhibitor").Get("/exhibitor"); r.Status != http.StatusOK {
			t.Fatalf("staff before the remove: %d", r.Status)
		}

		if r := org.Post(page, url.Values{"confirm_code": {"acme"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("remove: %d %s", r.Status, r.Body)
		}
		if r := org.Get("/console/exhibitors"); !strings.Contains(r.Body, "Acme Cloud is removed: its leads (1) are deleted and its staff accounts (1) are attendees again.") {
			t.Errorf("the flash after the remove:\n%s", r.Body)
		}
		if leads, _ := db.Leads(ctx, e.ev.ID, e.acme.ID, store.LeadFilter{}); len(leads) != 0 {
			t.Fatalf("leads left: %d", len(leads))
		}
		if p, err := db.Party(ctx, e.ev.ID, "acmenight"); err != nil || p.Cancelled() {
			t.Errorf("its party after the remove: %+v %v; want it still on", p, err)
		}
		if leads, _ := db.Leads(ctx, e.ev.ID, e.bolt.ID, store.LeadFilter{}); len(leads) != 1 {
			t.Fatalf("another exhibitor's leads went: %d", len(leads))
		}
		// Its swag takes no more claims; the claim made stays; another
		// exhibitor's swag is untouched.
		for _, it := range []lanyard.SwagItem{mug, tee} {
			if _, err := e.engine.SwagClaim(ctx, 0, 0, e.people["staff"].ID, it.ID, ""); lanyard.ErrorCode(err) != lanyard.ESwagRetired {
				t.Errorf("claim of the removed exhibitor's %s: %v, want %s", it.Name, err, lanyard.ESwagRetired)
			}
		}
		if items, _ := e.engine.SwagItems(ctx, e.acme.ID); len(items) != 2 || items[0].Claimed != 1 {
			t.Errorf("the removed exhibitor's swag: %+v, want the mug's claim kept", items)
		}
		if _, err := e.engine.SwagClaim(ctx, 0, 0, e.people["staff"].ID, pin.ID, ""); err != nil {
			t.Errorf("claim of another exhibitor's item: %v", err)
		}
		ds, err := db.WebhookDeliveries(ctx, e.ev.ID, hook.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		withdrawn := 0
		for _, d := range ds {
			switch {
			case d.Type == lanyard.EventLeadWithdrawn:
				withdrawn++
			case d.Payload != "{}" || d.State == lanyard.MessagePending:
				t.Errorf("an earlier delivery keeps the lead: %s %s %s", d.Type, d.State, d.Payload)
			}
		}
		if withdrawn != 1 {
			t.Errorf("lead.withdrawn deliveries: %d", withdrawn)
		}
		a, err := db.FindAttendeeByID(ctx, e.people["exhibitor"].ID)
		if err != nil || a.Role != lanyard.RoleAttendee {
			t.Fatalf("staff role after the remove: %v %v", a, err)
		}
		ex := e.signIn("exhibitor")
		if r := ex.Get("/exhibitor"); r.Status != http.StatusForbidden {
			t.Errorf("former staff reach /exhibitor: %d", r.Status)
		}
		if r := att.Get("/expo"); strings.Contains(r.Body, `href="/expo/acme"`) || !strings.Contains(r.Body, `href="/expo/bolt"`) {
			t.Errorf("the directory still lists the removed booth")
		}
		if r := att.Get("/expo/acme"); r.Status != http.StatusNotFound {
			t.Errorf("booth page after the remove: %d", r.Status)
		}
		if favs, _ := db.ExpoFavoriteBooths(ctx, e.ev.ID, e.people["attendee"].ID); len(favs) != 0 {
			t.Errorf("favorites left: %v", favs)
		}
		if r := att.Post("/expo/acme/favorite", url.Values{"on": {"1"}}); r.Status != http.StatusNotFound {
			t.Errorf("favorite of a removed booth: %d", r.Status)
		}
		if r := org.Get(page); r.Status != http.StatusNotFound {
			t.Errorf("remove page of a removed exhibitor: %d", r.Status)
		}
		// The code is free again.
		if _, err := db.PutExhibitor(ctx, e.ev.ID, lanyard.Exhibitor{Code: "acme", Name: "Acme Again"}); err != nil {
			t.Fatalf("the code is not free: %v", err)
		}
	})
}
