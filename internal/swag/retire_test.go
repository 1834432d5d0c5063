package swag_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// TestRetire: only the item's exhibitor retires it (another exhibitor's
// staff 403 + code, attendees 403, bad input 4xx and nothing changes);
// then claims are refused with swag_retired, the claim made stays on the
// exhibitor's page, and the item leaves the booth's page and live stock.
func TestRetire(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		x := e.signIn("exhibitor")
		if r := x.Post("/exhibitor/swag/items", url.Values{"kind": {"item"}, "name": {"Socks"}, "stock": {"5"}, "nonce": {"n1"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("add item: %d", r.Status)
		}
		socks := e.item("Socks", 5)
		if r := x.Post("/exhibitor/swag/claim", url.Values{"item": {fmt.Sprint(socks.ID)}, "code": {e.token("a")}}); r.Status != http.StatusOK {
			t.Fatalf("claim: %d", r.Status)
		}
		path := fmt.Sprintf("/exhibitor/swag/items/%d/retire", socks.ID)
		for _, c := range []struct {
			name   string
			who    string
			path   string
			form   url.Values
			status int
			code   string
		}{
			{"attendee", "a", path, url.Values{"confirm": {"1"}}, http.StatusForbidden, lanyard.EFORBIDDEN},
			{"another exhibitor", "exhibitor2", path, url.Values{"confirm": {"1"}}, http.StatusForbidden, lanyard.EFORBIDDEN},
			{"unconfirmed", "exhibitor", path, url.Values{}, http.StatusUnprocessableEntity, lanyard.EINVALID},
			{"no such item", "exhibitor", "/exhibitor/swag/items/999/retire", url.Values{"confirm": {"1"}}, http.StatusNotFound, lanyard.ENOTFOUND},
			{"not a number", "exhibitor", "/exhibitor/swag/items/x/retire", url.Values{"confirm": {"1"}}, http.StatusNotFound, lanyard.ENOTFOUND},
		} {
			if r := e.signIn(c.who).Post(c.path, c.form); r.Status != c.status || r.Code() != c.code {
				t.Errorf("%s: %d %q, want %d %q", c.name, r.Status, r.Code(), c.status, c.code)
			}
			if it := e.item("Socks", 5); it.Retired {
				t.Fatalf("%s retired the item", c.name)
			}
		}
		if r := x.Post(path, url.Values{"confirm": {"1"}, "nonce": {"r1"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("retire: %d %s", r.Status, r.Body)
		}
		if !e.item("Socks", 5).Retired {
			t.Fatal("not retired")
		}
		r := x.Post("/exhibitor/swag/claim", url.Values{"item": {fmt.Sprint(socks.ID)}, "code": {e.token("b")}})
		if r.Status != http.StatusConflict || r.Code() != lanyard.ESwagRetired {
			t.Fatalf("claim after retire: %d %q", r.Status, r.Code())
		}
		page := x.Get("/exhibitor/swag")
		if !strings.Contains(page.Body, fmt.Sprintf(`data-retired="%d"`, socks.ID)) || !strings.Contains(page.Body, "1 / 5") {
			t.Errorf("the exhibitor's page lost the retired item or its claim")
		}
		booth := e.signIn("a").Get("/swag/acme")
		if booth.Status != http.StatusOK || strings.Contains(booth.Body, "Socks") {
			t.Errorf("the booth page still lists a retired item: %d", booth.Status)
		}
		if stock := e.client().Get("/swag/acme/stock"); stock.Status != http.StatusOK || strings.Contains(stock.Body, fmt.Sprintf(`"item":%d`, socks.ID)) {
			t.Errorf("live stock lists a retired item: %s", stock.Body)
		}

		// A booth event is closed, in those words, not retired like a thing.
		if r := x.Post("/exhibitor/swag/items", url.Values{"kind": {"event"}, "name": {"Demo"}, "stock": {"3"}, "starts": {"2030-01-02T16:00"}, "nonce": {"n2"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("add event: %d %s", r.Status, r.Body)
		}
		demo := e.item("Demo", 3)
		row := func() string {
			body := x.Get("/exhibitor/swag").Body
			i := strings.Index(body, fmt.Sprintf(`<tr data-item="%d"`, demo.ID))
			if i < 0 {
				t.Fatalf("no row for the event")
			}
			// The item's row, then its row of forms (while open).
			rest := body[i:]
			if j := strings.Index(rest, "</tbody>"); j >= 0 {
				rest = rest[:j]
			}
			if j := strings.Index(rest[1:], "<tr data-item="); j >= 0 {
				rest = rest[:j+1]
			}
			return rest
		}
		if got := row(); !strings.Contains(got, "Close this event") || strings.Contains(got, "Retire this item") {
			t.Errorf("the event's row offers %q", got)
		}
		if r := x.Post(fmt.Sprintf("/exhibitor/swag/items/%d/retire", demo.ID), url.Values{"confirm": {"1"}, "nonce": {"r2"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("close event: %d %s", r.Status, r.Body)
		}
		if page := x.Get("/exhibitor/swag").Body; !strings.Contains(page, "“Demo” is closed") {
			t.Errorf("no flash for the closed event")
		}
		if got := row(); !strings.Contains(got, fmt.Sprintf(`data-retired="%d">Closed<`, demo.ID)) {
			t.Errorf("the closed event's row: %q", got)
		}
	})
}
