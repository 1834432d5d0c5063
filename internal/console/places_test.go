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
		r := org.post("/console/places", bad)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="`+tt.field+`-error"`) {
			t.Errorf("%s: %d, no error beside %s", tt.name, r.status, tt.field)
		}
	}
	if list, _ := e.eng.PlaceList(ctx); len(list) != 0 {
		t.Fatalf("refused forms saved %+v", list)
	}
	if r := staff.post("/console/places", form); r.status != http.StatusForbidden {
		t.Errorf("staff creating a place: %d", r.status)
	}
	if r := org.post("/console/places", form); r.status != http.StatusSeeOther || r.header.Get("Location") != "/console/places/vip" {
		t.Fatalf("create: %d %s", r.status, r.header.Get("Location"))
	}
	// Editing keeps the code whatever the form says.
	edit := url.Values{"editing": {"vip"}, "code": {"other"}, "name": {"Partner lounge"}, "kind": {"lounge"}, "capacity": {"3"}, "entitlement": {"invite:acme"}}
	if r := org.post("/console/places", edit); r.status != http.StatusSeeOther {
		t.Fatalf("edit: %d", r.status)
	}
	list, _ := e.eng.PlaceList(ctx)
	if len(list) != 1 || list[0].Code != "vip" || list[0].Capacity != 3 {
		t.Fatalf("places %+v", list)
	}
	if r := staff.get("/console/places"); r.status != 200 || !strings.Contains(r.body, `data-place="vip"`) || strings.Contains(r.body, `id="place-form"`) {
		t.Errorf("staff's list: %d", r.status)
	}
	if r := att.get("/console/places"); r.status != http.StatusForbidden {
		t.Errorf("attendee's list: %d", r.status)
	}

	// The invite list: the attendee gains the entitlement at once.
	a := e.people[lanyard.RoleAttendee]
	if r := staff.post("/console/places/vip/invites", url.Values{"emails": {a.Email}}); r.status != http.StatusForbidden {
		t.Errorf("staff inviting: %d", r.status)
	}
	r := org.post("/console/places/vip/invites", url.Values{"emails": {strings.ToUpper(a.Email) + "\nguest@elsewhere.example.com"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("invite: %d %s", r.status, r.body)
	}
	if ents, _ := e.eng.Entitlements(ctx, a.ID); !slices.Equal(ents, []string{"invite:acme"}) {
		t.Fatalf("invited attendee holds %v", ents)
	}
	if r := org.get("/console/places/vip"); !strings.Contains(r.body, "guest@elsewhere.example.com") || !strings.Contains(r.body, strings.ToLower(a.Email)) {
		t.Errorf("the list does not show both emails")
	}
	if r := org.post("/console/places/vip/invites", url.Values{"emails": {a.Email}, "remove": {"1"}}); r.status != http.StatusSeeOther {
		t.Fatalf("uninvite: %d", r.status)
	}
	if ents, _ := e.eng.Entitlements(ctx, a.ID); len(ents) != 0 {
		t.Fatalf("uninvited attendee holds %v", ents)
	}
	if r := org.post("/console/places/vip/invites", url.Values{"emails": {""}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("empty invite: %d", r.status)
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
	page := org.get("/console/certifications")
	if page.status != 200 || !strings.Contains(page.body, `data-attendee="`+strconv.FormatInt(a.ID, 10)+`"`) || !strings.Contains(page.body, "AWS-1234") {
		t.Fatalf("queue: %d", page.status)
	}
	decide := "/console/certifications/" + strconv.FormatInt(a.ID, 10)
	for name, c := range map[string]*client{"the attendee": att, "staff": staff} {
		if r := c.post(decide, url.Values{"decision": {"verify"}}); r.status != http.StatusForbidden {
			t.Errorf("%s verifying: %d", name, r.status)
		}
	}
	if r := org.post("/console/certifications/"+strconv.FormatInt(o.ID, 10), url.Values{"decision": {"verify"}}); r.status != http.StatusForbidden {
		t.Errorf("an organizer verifying their own: %d", r.status)
	}
	if r := org.post("/console/certifications/"+strconv.FormatInt(s.ID, 10), url.Values{"decision": {"verify"}}); r.status != http.StatusNotFound {
		t.Errorf("verifying one never entered: %d", r.status)
	}
	if ents, _ := e.eng.Entitlements(ctx, a.ID); len(ents) != 0 {
		t.Fatalf("refused decisions granted %v", ents)
	}
	if r := org.post(decide, url.Values{"decision": {"verify"}}); r.status != http.StatusSeeOther {
		t.Fatalf("verify: %d", r.status)
	}
	if ents, _ := e.eng.Entitlements(ctx, a.ID); !slices.Equal(ents, []string{"certified"}) {
		t.Fatalf("verified attendee holds %v", ents)
	}
	if c, _ := e.db.Certification(ctx, e.ev.ID, a.ID); c.State != lanyard.CertVerified {
		t.Errorf("stored %+v", c)
	}
	if r := staff.get("/console/attendees/" + strconv.FormatInt(a.ID, 10)); !strings.Contains(r.body, `id="attendee-cert" data-state="verified"`) {
		t.Errorf("the attendee's console page does not show the verified certification")
	}
	if r := org.post(decide, url.Values{"decision": {"reject"}}); r.status != http.StatusSeeOther {
		t.Fatalf("reject: %d", r.status)
	}
	if ents, _ := e.eng.Entitlements(ctx, a.ID); len(ents) != 0 {
		t.Fatalf("rejected attendee holds %v", ents)
	}
	// The import: the staff member by email (a CSV with a header), the
	// attendee by the number they entered; one value matches no one.
	r := org.upload("/console/certifications/import", "certified.csv", []byte("email\n"+s.Email+"\naws-1234\nnobody@example.com\n"))
	if r.status != 200 || !strings.Contains(byID(r.body, "import-done"), "2") || !strings.Contains(r.body, "nobody@example.com") {
		t.Fatalf("import: %d %s", r.status, byID(r.body, "import-done"))
	}
	for _, id := range []int64{a.ID, s.ID} {
		if ents, _ := e.eng.Entitlements(ctx, id); !slices.Equal(ents, []string{"certified"}) {
			t.Errorf("attendee %d after import holds %v", id, ents)
		}
	}
	if r := staff.upload("/console/certifications/import", "certified.csv", []byte(o.Email)); r.status != http.StatusForbidden {
		t.Errorf("staff importing: %d", r.status)
	}
}
