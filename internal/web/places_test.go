package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// The lounges page lists the places an attendee may enter, with their
// counts and a full state, and the others with what they need; the
// settings page takes the certification's number, which waits for an
// organizer and then opens the certification lounge.
func TestLoungesAndCertification(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ann := e.attendee("Ann", "ann@example.com")
	bob := e.attendee("Bob", "bob@example.com")
	for _, p := range []lanyard.Place{
		{Code: "cert", Name: "Certification Lounge", Kind: lanyard.PlaceLounge, Venue: "venetian", Room: "Ten", Capacity: 1, Entitlement: lanyard.EntitlementCertified},
		{Code: "expo", Name: "Expo Hall", Kind: lanyard.PlaceExpo, Capacity: 500},
	} {
		if _, err := e.eng.PutPlace(ctx, 0, "", p); err != nil {
			t.Fatal(err)
		}
	}
	c := e.signIn(ann.Email)
	r := c.get("/lounges")
	if r.status != 200 || !strings.Contains(byID(r.body, "my-places"), "Expo Hall") || !strings.Contains(byID(r.body, "other-places"), "Certification Lounge") {
		t.Fatalf("lounges before: %d\n%s", r.status, r.text())
	}
	if r := e.client().get("/lounges"); r.status != http.StatusSeeOther {
		t.Errorf("anonymous lounges: %d", r.status)
	}

	// A bad number is refused beside its field; a good one waits.
	r = c.post("/settings/certification", url.Values{"number": {"x"}})
	if r.status != http.StatusUnprocessableEntity || byID(r.body, "cert-error") == "" {
		t.Fatalf("bad number: %d", r.status)
	}
	if _, err := e.db.Certification(ctx, e.ev.ID, ann.ID); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
		t.Fatalf("a refused number was stored: %v", err)
	}
	if r := c.post("/settings/certification", url.Values{"number": {"aws-ann-42"}}); r.status != http.StatusSeeOther {
		t.Fatalf("number: %d", r.status)
	}
	if r := c.get("/settings"); !strings.Contains(r.body, `data-state="pending"`) || !strings.Contains(r.body, "AWS-ANN-42") {
		t.Fatalf("settings after: %s", byID(r.body, "cert-state"))
	}
	// Still not entitled until an organizer verifies it (the engine's command).
	if r := c.get("/lounges"); strings.Contains(byID(r.body, "my-places"), "Certification Lounge") {
		t.Fatal("a pending number opened the lounge")
	}
	if _, err := e.eng.Certify(ctx, 0, "", []lanyard.CertDecision{{AttendeeID: ann.ID, Verified: true}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.eng.Certify(ctx, 0, "", []lanyard.CertDecision{{AttendeeID: bob.ID, Verified: true}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.eng.Enter(ctx, 0, bob.ID, "cert", ""); err != nil {
		t.Fatal(err)
	}
	r = c.get("/lounges")
	mine := byID(r.body, "my-places")
	if !strings.Contains(mine, "Certification Lounge") || !strings.Contains(r.body, `class="place full" data-place="cert"`) {
		t.Fatalf("lounges after verification:\n%s", r.text())
	}
	// Verified: the attendee cannot change it.
	if r := c.post("/settings/certification", url.Values{"number": {"OTHER-1"}}); r.status != http.StatusUnprocessableEntity || byID(r.body, "cert-error") == "" {
		t.Errorf("changing a verified number: %d", r.status)
	}
}

// A full session with an overflow room says where it is and how far.
func TestSessionOverflowRooms(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if err := e.eng.AddOverflow(ctx, "C", "venetian", "Ten"); err != nil {
		t.Fatal(err)
	}
	if err := e.eng.AddOverflow(ctx, "C", "mgm", "Twenty"); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	if r := c.get("/sessions/C"); strings.Contains(r.body, `id="overflow"`) {
		t.Fatal("overflow rooms shown while seats are left")
	}
	ann := e.attendee("Ann", "ann@example.com")
	e.reserve(ann.ID, "C")
	r := c.get("/sessions/C")
	ov := byID(r.body, "overflow")
	if !strings.Contains(r.body, `id="overflow"`) || !strings.Contains(r.body, "a short walk") || !strings.Contains(r.body, "40-minute walk or 25 minutes by shuttle") {
		t.Fatalf("overflow section: %q\n%s", ov, r.text())
	}
}
