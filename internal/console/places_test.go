package console_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// Places are organizers' to create and change; staff see them and their
// counts; attendees reach none of it. Bad input is refused beside its
// field and changes nothing.
func TestPlacesPages(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	ctx := context.Background()
	org, staff, att := e.signIn(lanyard.RoleOrganizer), e.signIn(lanyard.RoleStaff), e.signIn(lanyard.RoleAttendee)
	form := url.Values{"code": {"vip"}, "name": {"Partner lounge"}, "kind": {"lounge"}, "capacity": {"2"}, "entitlement": {"invite:acme"}, "opens": {""}, "closes": {""}}
	for _, tt := range []struct {
		name   string
		change func(url.Values)
		field  string
	}{
		{"capacity", func(v url.Values) { v.Set("capacity", "many") }, "capacity"},
		{"kind", func(v url.Values) { v.Set("kind", "bar") }, "kind"},
		{"entitlement", func(v url.Values) { v.Set("entitlement", "gold") }, "entitlement"},
		{"code", func(v url.Values) { v.Set("code", "../x") }, "code"},
		{"venue", func(v url.Values) { v.Set("venue", "nowhere") }, "venue"},
	} {
		bad := url.Values{}
		for k, v := range form {
			bad[k] = slices.Clone(v)
		}
		tt.change(bad)
		r := org.Post("/console/places", bad)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="`+tt.field+`-error"`) {
			t.Errorf("%s: %d, no error beside %s", tt.name, r.Status, tt.field)
		}
	}
	if list, _ := e.eng.PlaceList(ctx); len(list) != 0 {
		t.Fatalf("refused forms saved %+v", list)
	}
	if r := staff.Post("/console/places", form); r.Status != http.StatusForbidden {
		t.Errorf("staff creating a place: %d", r.Status)
	}
	if r := org.Post("/console/places", form); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/console/places/vip" {
		t.Fatalf("create: %d %s", r.Status, r.Header.Get("Location"))
	}
	// Editing keeps the code whatever the form says.
	edit := url.Values{"editing": {"vip"}, "code": {"other"}, "name": {"Partner lounge"}, "kind": {"lounge"}, "capacity": {"3"}, "entitlement": {"invite:acme"}}
	if r := org.Post("/console/places", edit); r.Status != http.StatusSeeOther {
		t.Fatalf("edit: %d", r.Status)
	}
	list, _ := e.eng.PlaceList(ctx)
	if len(list) != 1 || list[0].Code != "vip" || list[0].Capacity != 3 {
		t.Fatalf("places %+v", list)
	}
	if r := staff.Get("/console/places"); r.Status != 200 || !strings.Contains(r.Body, `data-place="vip"`) || strings.Contains(r.Body, `id="place-form"`) {
		t.Errorf("staff's list: %d", r.Status)
	}
	if r := att.Get("/console/places"); r.Status != http.StatusForbidden {
		t.Errorf("attendee's list: %d", r.Status)
	}

	// The invite list: the attendee gains the entitlement at once.
	a := e.people[lanyard.RoleAttendee]
	if r := staff.Post("/console/places/vip/invites", url.Values{"emails": {a.Email}}); r.Status != http.StatusForbidden {
		t.Errorf("staff inviting: %d", r.Status)
	}
	r := org.Post("/console/places/vip/invites", url.Values{"emails": {strings.ToUpper(a.Email) + "\nguest@elsewhere.example.com"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("invite: %d %s", r.Status, r.Body)
	}
	if ents, _ := e.eng.Entitlements(ctx, a.ID); !slices.Equal(ents, []string{"invite:acme"}) {
		t.Fatalf("invited attendee holds %v", ents)
	}
	if r := org.Get("/console/places/vip"); !strings.Contains(r.Body, "guest@elsewhere.example.com") || !strings.Contains(r.Body, strings.ToLower(a.Email)) {
		t.Errorf("the list does not show both emails")
	}
	if r := org.Post("/console/places/vip/invites", url.Values{"emails": {a.Email}, "remove": {"1"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("uninvite: %d", r.Status)
	}
	if ents, _ := e.eng.Entitlements(ctx, a.ID); len(ents) != 0 {
		t.Fatalf("uninvited attendee holds %v", ents)
	}
	if r := org.Post("/console/places/vip/invites", url.Values{"emails": {""}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("empty invite: %d", r.Status)
	}
}

// The verification queue: an attendee's number waits for an organizer;
// no attendee or staff member decides, nor an organizer their own; an
// import of the certified verifies matches by email or number.
func TestCertificationQueue(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	ctx := context.Background()
	org, staff, att := e.signIn(lanyard.RoleOrganizer), e.signIn(lanyard.RoleStaff), e.signIn(lanyard.RoleAttendee)
	a, o, s := e.people[lanyard.RoleAttendee], e.people[lanyard.RoleOrganizer], e.people[lanyard.RoleStaff]
	if _, err := e.db.SubmitCertification(ctx, e.ev.ID, a.ID, "AWS-1234", engineNow); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.SubmitCertification(ctx, e.ev.ID, o.ID, "ORG-9999", engineNow); err != nil {
		t.Fatal(err)
	}
	page := org.Get("/console/certifications")
	if page.Status != 200 || !strings.Contains(page.Body, `data-attendee="`+strconv.FormatInt(a.ID, 10)+`"`) || !strings.Contains(page.Body, "AWS-1234") {
		t.Fatalf("queue: %d", page.Status)
	}
	decide := "/console/certifications/" + strconv.FormatInt(a.ID, 10)
	for name, c := range map[string]*client{"the attendee": att, "staff": staff} {
		if r := c.Post(decide, url.Values{"decision": {"verify"}}); r.Status != http.StatusForbidden {
			t.Errorf("%s verifying: %d", name, r.Status)
		}
	}
	if r := org.Post("/console/certifications/"+strconv.FormatInt(o.ID, 10), url.Values{"decision": {"verify"}}); r.Status != http.StatusForbidden {
		t.Errorf("an organizer verifying their own: %d", r.Status)
	}
	if r := org.Post("/console/certifications/"+strconv.FormatInt(s.ID, 10), url.Values{"decision": {"verify"}}); r.Status != http.StatusNotFound {
		t.Errorf("verifying one never entered: %d", r.Status)
	}
	if ents, _ := e.eng.Entitlements(ctx, a.ID); len(ents) != 0 {
		t.Fatalf("refused decisions granted %v", ents)
	}
	if r := org.Post(decide, url.Values{"decision": {"verify"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("verify: %d", r.Status)
	}
	if ents, _ := e.eng.Entitlements(ctx, a.ID); !slices.Equal(ents, []string{"certified"}) {
		t.Fatalf("verified attendee holds %v", ents)
	}
	if c, _ := e.db.Certification(ctx, e.ev.ID, a.ID); c.State != lanyard.CertVerified {
		t.Errorf("stored %+v", c)
	}
	if r := staff.Get("/console/attendees/" + strconv.FormatInt(a.ID, 10)); !strings.Contains(r.Body, `id="attendee-cert" data-state="verified"`) {
		t.Errorf("the attendee's console page does not show the verified certification")
	}
	if r := org.Post(decide, url.Values{"decision": {"reject"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("reject: %d", r.Status)
	}
	if ents, _ := e.eng.Entitlements(ctx, a.ID); len(ents) != 0 {
		t.Fatalf("rejected attendee holds %v", ents)
	}
	// The import: the staff member by email (a CSV with a header), the
	// attendee by the number they entered; one value matches no one.
	r := org.upload("/console/certifications/import", "certified.csv", []byte("email\n"+s.Email+"\naws-1234\nnobody@example.com\n"))
	if r.Status != 200 || !strings.Contains(byID(r.Body, "import-done"), "2") || !strings.Contains(r.Body, "nobody@example.com") {
		t.Fatalf("import: %d %s", r.Status, byID(r.Body, "import-done"))
	}
	for _, id := range []int64{a.ID, s.ID} {
		if ents, _ := e.eng.Entitlements(ctx, id); !slices.Equal(ents, []string{"certified"}) {
			t.Errorf("attendee %d after import holds %v", id, ents)
		}
	}
	if r := staff.upload("/console/certifications/import", "certified.csv", []byte(o.Email)); r.Status != http.StatusForbidden {
		t.Errorf("staff importing: %d", r.Status)
	}
}
