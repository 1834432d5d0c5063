package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

type placeJSON struct {
	Code        string
	Entitlement string
	MayEnter    bool `json:"may_enter"`
	Open        bool
	Occupancy   struct {
		Inside, Capacity int
		Full             bool
	}
}

type certJSON struct {
	AttendeeID int64 `json:"attendee_id"`
	Number     string
	State      string
}

// TestPlacesAPI walks the places' routes against the demo: the lounges an
// attendee may enter, a certification entered by its attendee and decided
// only by an organizer (never by the attendee, staff, or the organizer for
// themselves), the certified list's import, invite lists, and the door's
// entries and exits with their refusals and live occupancy.
func TestPlacesAPI(t *testing.T) {
	dir := t.TempDir()
	base, _ := startCmd(t, "demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "demo.db"), "--attendees", "30", "--log-level", "warn")
	tokens := readTokens(t, filepath.Join(dir, "tokens.csv"))
	alice, bob := tokens["attendee00001@demo.lanyard.dev"], tokens["attendee00002@demo.lanyard.dev"]
	// carol has no certification in the demo; dave is on no invite list.
	var carol, carolEmail, dave, daveEmail string
	for i := 3; i <= 30 && (carol == "" || dave == ""); i++ {
		email := fmt.Sprintf("attendee%05d@demo.lanyard.dev", i)
		if status, _ := get(t, base+"/api/v1/me/certification", tokens[email]); status == 404 && carol == "" {
			carol, carolEmail = tokens[email], email
			continue
		}
		var l struct{ Places []placeJSON }
		getJSON(t, base+"/api/v1/places", tokens[email], 200, &l)
		for _, p := range l.Places {
			if p.Code == "partner-lounge" && !p.MayEnter && dave == "" {
				dave, daveEmail = tokens[email], email
			}
		}
	}
	if carol == "" || dave == "" {
		t.Fatal("the demo has no attendee without a certification or an invite")
	}
	organizer, staff := tokens["organizer@demo.lanyard.dev"], tokens["staff01@demo.lanyard.dev"]
	id := func(token string) int64 {
		var me struct{ ID int64 }
		getJSON(t, base+"/api/v1/me", token, 200, &me)
		return me.ID
	}
	bobID, carolID, orgID := id(bob), id(carol), id(organizer)

	// The demo's places; the sample attendee (alice) is certified and
	// invited, and goes to the seated dinner but not (yet) to the party.
	var list struct{ Places []placeJSON }
	getJSON(t, base+"/api/v1/places", alice, 200, &list)
	may := map[string]bool{}
	for _, p := range list.Places {
		may[p.Code] = p.MayEnter
	}
	if len(list.Places) != 6 || !may["cert-lounge"] || !may["partner-lounge"] || !may["expo"] || !may["builders-dinner"] || may["community-party"] {
		t.Fatalf("alice's places: %+v", list.Places)
	}
	getJSON(t, base+"/api/v1/places", "", 401, &apiError{})

	// Bob enters his validation number; bad input changes nothing.
	var apiErr apiError
	call(t, "PUT", base+"/api/v1/me/certification", bob, map[string]string{"number": "no!"}, nil, 400, &apiErr)
	if apiErr.Error.Code != "invalid" {
		t.Fatalf("bad number: %+v", apiErr)
	}
	var cert certJSON
	call(t, "PUT", base+"/api/v1/me/certification", bob, map[string]string{"number": " abcd-1234-ef "}, nil, 200, &cert)
	if cert.State != "pending" || cert.Number != "ABCD-1234-EF" || cert.AttendeeID != bobID {
		t.Fatalf("submitted: %+v", cert)
	}
	// Only an organizer decides, and not on their own certification.
	decide := fmt.Sprintf("%s/api/v1/admin/certifications/%d", base, bobID)
	for _, tt := range []struct {
		name, token string
		status      int
	}{
		{"the attendee himself", bob, 403},
		{"another attendee", alice, 403},
		{"staff", staff, 403},
		{"no token", "", 401},
	} {
		call(t, "POST", decide, tt.token, map[string]bool{"verified": true}, nil, tt.status, &apiErr)
		if tt.status == 403 && apiErr.Error.Code != "forbidden" {
			t.Errorf("%s: %+v", tt.name, apiErr)
		}
	}
	call(t, "POST", fmt.Sprintf("%s/api/v1/admin/certifications/%d", base, orgID), organizer, map[string]bool{"verified": true}, nil, 403, &apiErr)
	call(t, "POST", fmt.Sprintf("%s/api/v1/admin/certifications/%d", base, carolID), organizer, map[string]bool{"verified": true}, nil, 404, &apiErr)
	var queue struct{ Certifications []certJSON }
	getJSON(t, base+"/api/v1/admin/certifications?state=pending", organizer, 200, &queue)
	found := false
	for _, c := range queue.Certifications {
		found = found || c.AttendeeID == bobID
	}
	if !found {
		t.Fatalf("bob is not in the queue: %+v", queue)
	}
	getJSON(t, base+"/api/v1/admin/certifications?state=pending", staff, 403, &apiErr)
	getJSON(t, base+"/api/v1/admin/certifications?state=maybe", organizer, 400, &apiErr)
	call(t, "POST", decide, organizer, map[string]bool{"verified": true}, nil, 200, &cert)
	if cert.State != "verified" {
		t.Fatalf("decided: %+v", cert)
	}
	getJSON(t, base+"/api/v1/me/certification", bob, 200, &cert)
	if cert.State != "verified" || cert.Number != "ABCD-1234-EF" {
		t.Fatalf("bob's certification: %+v", cert)
	}
	// A verified certification is not the attendee's to change.
	call(t, "PUT", base+"/api/v1/me/certification", bob, map[string]string{"number": "ZZZZ9999"}, nil, 409, &apiErr)

	// A lounge open now, with room for one.
	call(t, "PUT", base+"/api/v1/admin/places/test-lounge", staff, map[string]any{"name": "Test", "kind": "lounge", "capacity": 1, "entitlement": "certified"}, nil, 403, &apiErr)
	call(t, "PUT", base+"/api/v1/admin/places/test-lounge", organizer, map[string]any{"name": "Test", "kind": "bar"}, nil, 400, &apiErr)
	call(t, "PUT", base+"/api/v1/admin/places/test-lounge", organizer, map[string]any{"name": "Test", "kind": "lounge", "capacity": 1, "entitlement": "certified"}, nil, 200, nil)
	door := func(verb, token string, who int64, status int, code string) {
		t.Helper()
		var r struct {
			seatResult
			Error *struct{ Code, Message string }
		}
		call(t, "POST", base+"/api/v1/door/places/test-lounge/"+verb, token, map[string]int64{"attendee_id": who}, nil, status, &r)
		got := r.Outcome
		if r.Error != nil {
			got = r.Error.Code
		}
		if got != code {
			t.Fatalf("%s %d: %s, want %s", verb, who, got, code)
		}
	}
	door("enter", bob, bobID, 403, "forbidden") // an attendee is no door staff
	door("enter", staff, carolID, 403, "not_entitled")
	door("enter", staff, bobID, 200, "entered")
	door("enter", staff, bobID, 409, "already_inside")
	var occ struct {
		Inside, Capacity int
		Full             bool
	}
	getJSON(t, base+"/api/v1/places/test-lounge/occupancy", "", 200, &occ)
	if occ.Inside != 1 || !occ.Full {
		t.Fatalf("occupancy %+v", occ)
	}
	// The certified list's import verifies carol by email; unknowns come back.
	var imp struct {
		Matched, Changed int
		Unmatched        []string
	}
	call(t, "POST", base+"/api/v1/admin/certifications/import", organizer, map[string]any{"values": []string{strings.ToUpper(carolEmail), "nobody@example.com", "ZZZZ0000"}}, nil, 200, &imp)
	if imp.Matched != 1 || imp.Changed != 1 || len(imp.Unmatched) != 2 {
		t.Fatalf("import %+v", imp)
	}
	door("enter", staff, carolID, 409, "place_full")
	door("exit", staff, bobID, 200, "exited")
	door("enter", staff, carolID, 200, "entered")
	door("enter", staff, 99999999, 404, "not_found")

	// Invite lists: dave joins the partner lounge's list.
	var inv struct{ Emails, Registered, Changed int }
	call(t, "POST", base+"/api/v1/admin/invites/anycompany", organizer, map[string]any{"emails": []string{daveEmail, "guest@partner.example.com"}}, nil, 200, &inv)
	if inv.Emails != 2 || inv.Registered != 1 || inv.Changed != 1 {
		t.Fatalf("invite %+v", inv)
	}
	call(t, "POST", base+"/api/v1/admin/invites/any company", organizer, map[string]any{"emails": []string{"x@y.z"}}, nil, 400, &apiErr)
	getJSON(t, base+"/api/v1/places", dave, 200, &list)
	for _, p := range list.Places {
		if p.Code == "partner-lounge" && !p.MayEnter {
			t.Fatalf("dave may not enter the partner lounge: %+v", p)
		}
	}
}
