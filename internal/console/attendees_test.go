package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// Staff search for someone and never browse everyone; results are paged.
func TestAttendeeSearch(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	ctx := context.Background()
	var many []*lanyard.Attendee
	for i := range 60 {
		many = append(many, &lanyard.Attendee{Name: fmt.Sprintf("Kim Minji %02d", i), Email: fmt.Sprintf("kim%02d@globex.example", i), Company: "Globex_50%", Role: lanyard.RoleAttendee})
	}
	if err := e.db.CreateAttendees(ctx, e.ev.ID, many); err != nil {
		t.Fatal(err)
	}
	staff := e.signIn(lanyard.RoleStaff)
	if r := staff.Get("/console/attendees"); r.Status != http.StatusOK || strings.Contains(r.Body, `id="attendee-results"`) {
		t.Errorf("staff with no query: %d, lists people", r.Status)
	}
	if r := staff.Get("/console/attendees?q=k"); r.Status != http.StatusUnprocessableEntity || byID(r.Body, "q-error") != "Type at least 2 characters." {
		t.Errorf("one letter: %d %q", r.Status, byID(r.Body, "q-error"))
	}
	r := staff.Get("/console/attendees?q=GLOBEX_50%25")
	if got := strings.Count(r.Body, "<tr data-attendee="); got != 50 {
		t.Errorf("first page: %d rows, want 50", got)
	}
	if !strings.Contains(r.Body, `id="next-page"`) || strings.Contains(r.Body, `id="prev-page"`) {
		t.Error("first page: wrong pager")
	}
	r = staff.Get("/console/attendees?q=globex_50%25&from=50")
	if got := strings.Count(r.Body, "<tr data-attendee="); got != 10 || strings.Contains(r.Body, `id="next-page"`) {
		t.Errorf("second page: %d rows", got)
	}
	// % and _ are literal: "x%" matches no one.
	if r := staff.Get("/console/attendees?q=" + url.QueryEscape("x%")); !strings.Contains(r.Body, `id="no-results"`) {
		t.Error("a % in the query matched as a wildcard")
	}
	if r := staff.Get("/console/attendees?q=person+staff"); !strings.Contains(r.Body, ">Person staff</a>") {
		t.Error("search by name failed")
	}
	// Organizers may list everyone, a page at a time.
	if r := e.signIn(lanyard.RoleOrganizer).Get("/console/attendees"); strings.Count(r.Body, "<tr data-attendee=") != 50 {
		t.Error("organizer's empty query is not a page of everyone")
	}
}

// An attendee's page; the organizer changes their role, grants an
// entitlement and replaces their badge; each is in the audit log, written
// with the change.
func TestAttendeePageActions(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		a := e.people[lanyard.RoleAttendee]
		if _, err := e.eng.Reserve(ctx, a.ID, []string{"A"}, false, ""); err != nil {
			t.Fatal(err)
		}
		org := e.signIn(lanyard.RoleOrganizer)
		path := "/console/attendees/" + strconv.FormatInt(a.ID, 10)
		r := org.Get(path)
		if r.Status != http.StatusOK || !strings.Contains(r.Body, `<tr data-session="A">`) || byID(r.Body, "photo-state") != "missing" {
			t.Fatalf("attendee page: %d\n%s", r.Status, r.Body)
		}
		if r := org.Post(path+"/role", url.Values{"role": {"staff"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("role: %d", r.Status)
		}
		if got, _ := db.FindAttendeeByID(ctx, a.ID); got.Role != lanyard.RoleStaff {
			t.Errorf("role = %s", got.Role)
		}
		if r := org.Post(path+"/role", url.Values{"role": {"king"}}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("unknown role: %d", r.Status)
		}
		self := "/console/attendees/" + strconv.FormatInt(e.people[lanyard.RoleOrganizer].ID, 10) + "/role"
		if r := org.Post(self, url.Values{"role": {"attendee"}}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("own role: %d", r.Status)
		}
		if r := org.Post(path+"/entitlements", url.Values{"entitlement": {"Certification lounge"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("grant: %d", r.Status)
		}
		if r := org.Post(path+"/entitlements", url.Values{"entitlement": {" "}}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("blank entitlement: %d", r.Status)
		}
		before, _ := db.BadgeState(ctx, a.ID)
		// Staff replace badges at the help desk.
		if r := e.signIn(lanyard.RoleStaff).Send("POST", path+"/badge", "", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("replace badge: %d", r.Status)
		}
		after, _ := db.BadgeState(ctx, a.ID)
		if after.Version != before.Version+1 {
			t.Errorf("badge version %d → %d", before.Version, after.Version)
		}
		page := org.Get(path)
		if !strings.Contains(page.Body, "<li>Certification lounge</li>") {
			t.Error("the page does not show the entitlement")
		}
		entries, err := db.FindAudit(ctx, e.ev.ID, store.AuditFilter{AttendeeID: a.ID})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, en := range entries {
			actions = append(actions, en.Action)
		}
		if got, want := strings.Join(actions, ","), "badge_replaced,entitlement,role"; got != want {
			t.Errorf("audit actions %s, want %s", got, want)
		}
		// The audit page finds them by attendee email, with the engine's commands.
		r = org.Get("/console/audit?attendee=" + url.QueryEscape(a.Email))
		if !strings.Contains(r.Body, `<tr data-action="role">`) || !strings.Contains(r.Body, "<td>Reserve</td><td>A</td>") {
			t.Errorf("audit page by attendee misses the role change or the reservation:\n%s", r.Body)
		}
		// By time: the reservation was made at the engine's noon on Nov 30.
		for q, want := range map[string]bool{"&from=2026-11-30T11:00": true, "&to=2026-11-30T11:00": false, "&from=2026-11-30T13:00": false} {
			r := org.Get("/console/audit?attendee=" + url.QueryEscape(a.Email) + q)
			if got := strings.Contains(r.Body, "<td>Reserve</td><td>A</td>"); got != want {
				t.Errorf("audit %s: shows the reservation %v, want %v", q, got, want)
			}
		}
		if r := org.Get("/console/audit?session=nope"); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("unknown session filter: %d", r.Status)
		}
	})
}

// The missing-photo list is paged.
func TestMissingPhotos(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	r := e.signIn(lanyard.RoleStaff).Get("/console/photos")
	if r.Status != http.StatusOK || strings.Count(r.Body, "<tr data-attendee=") != 4 {
		t.Errorf("photos: %d, %d rows", r.Status, strings.Count(r.Body, "<tr data-attendee="))
	}
}
