package console_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// The organizer uploads a CSV whose email column has an unusual name:
// the page shows the columns it found and that email is missing; mapping
// it shows the dry run; importing with invitations creates the attendees
// and their invitations, audited, and the upload is gone.
func TestImportPage(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		c := e.signIn(lanyard.RoleOrganizer)
		csv := "Ticket,Full name,Contact,Company\nT1,Bo Lee,bo@example.com,Acme\nT2,Cy Park,cy@example.com,Initech\n"
		r := c.upload("/console/import", "tickets.csv", []byte(csv))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", r.Status, byID(r.Body, "file-error"))
		}
		preview := r.Header.Get("Location")
		r = c.Get(preview)
		if r.Status != http.StatusUnprocessableEntity || byID(r.Body, "map-error") == "" {
			t.Fatalf("preview without an email column: %d, map error %q; want 422 and the problem said", r.Status, byID(r.Body, "map-error"))
		}
		if !strings.Contains(r.Body, `<option value="name" selected>`) {
			t.Errorf("the detected name column is not shown selected")
		}
		// Contact is column 2: map it to email.
		mapped := preview + "?" + url.Values{"c0": {"ticket_id"}, "c1": {"name"}, "c2": {"email"}, "c3": {"company"}}.Encode()
		r = c.Get(mapped)
		if r.Status != http.StatusOK || byID(r.Body, "count-created") != "2 new attendees" {
			t.Fatalf("mapped preview: %d, created %q", r.Status, byID(r.Body, "count-created"))
		}
		if n, _, _ := db.SearchAttendees(ctx, e.ev.ID, "example.com", 0, 100); len(n) != 4 {
			t.Fatalf("a dry run wrote attendees: %d people", len(n))
		}
		r = c.Post(preview, url.Values{"c0": {"ticket_id"}, "c1": {"name"}, "c2": {"email"}, "c3": {"company"}, "invite": {"1"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("apply: %d %s", r.Status, byID(r.Body, "import-error"))
		}
		bo, err := db.FindAttendeeByEmail(ctx, e.ev.ID, "bo@example.com")
		if err != nil || bo.Company != "Acme" {
			t.Fatalf("bo after import: %+v, %v", bo, err)
		}
		msgs, _ := db.MessagesTo(ctx, bo.ID, 10)
		if len(msgs) != 1 || msgs[0].Kind != lanyard.KindInvitation {
			t.Errorf("bo's messages %+v; want the invitation", msgs)
		}
		if r := c.Get("/console/import"); !strings.Contains(r.Body, "Imported: 2 new") {
			t.Errorf("no word of the import after it")
		}
		if r := c.Get(preview); r.Status != http.StatusNotFound {
			t.Errorf("the applied upload: %d, want 404", r.Status)
		}
		entries, _ := db.FindAudit(ctx, e.ev.ID, store.AuditFilter{})
		if len(entries) != 1 || entries[0].Action != "attendee_import" || !strings.Contains(entries[0].Detail, "2 created") {
			t.Errorf("audit %+v; want the import", entries)
		}
	})
}

// Files that are not a ticket export are refused beside the field, in the
// organizer's language, and nothing is kept.
func TestImportUploadRefused(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	e.h.MaxUpload = 1 << 20
	tests := []struct {
		name, file string
		data       []byte
		want       int
	}{
		{"png", "photo.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), http.StatusUnsupportedMediaType},
		{"xlsx", "tickets.xlsx", []byte("PK\x03\x04 not text"), http.StatusUnsupportedMediaType},
		{"json that is not", "orders.json", []byte("email,name\n"), http.StatusUnsupportedMediaType},
		{"empty", "tickets.csv", []byte("  \n"), http.StatusUnprocessableEntity},
		{"too big", "tickets.csv", bytes.Repeat([]byte("a,b\n"), (1<<20)/4+1), http.StatusRequestEntityTooLarge},
	}
	c := e.signIn(lanyard.RoleOrganizer)
	c.Lang = "ko"
	for _, tt := range tests {
		r := c.upload("/console/import", tt.file, tt.data)
		if r.Status != tt.want || byID(r.Body, "file-error") == "" {
			t.Errorf("%s: %d, error %q; want %d with the problem beside the field", tt.name, r.Status, byID(r.Body, "file-error"), tt.want)
			continue
		}
		if msg := byID(r.Body, "file-error"); !strings.Contains(msg, "파일") {
			t.Errorf("%s: error %q is not in Korean", tt.name, msg)
		}
	}
	if n, _, _ := e.db.SearchAttendees(context.Background(), e.ev.ID, "", 0, 100); len(n) != 4 {
		t.Errorf("a refused upload changed the attendees: %d", len(n))
	}
}

// The sign-up mode is set from the import page and audited; an unknown
// mode is refused and changes nothing.
func TestSignUpModeForm(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.signIn(lanyard.RoleOrganizer)
		if r := c.Post("/console/import/signup-mode", url.Values{"mode": {"everyone"}}); r.Status != http.StatusUnprocessableEntity || byID(r.Body, "mode-error") == "" {
			t.Errorf("unknown mode: %d, want 422 with the problem", r.Status)
		}
		if r := c.Post("/console/import/signup-mode", url.Values{"mode": {"invitation"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("invitation only: %d", r.Status)
		}
		if m, _ := db.SignUpMode(context.Background(), e.ev.ID); m != lanyard.SignUpInvitation {
			t.Errorf("mode %q, want invitation", m)
		}
		if r := c.Get("/console/import"); !strings.Contains(r.Body, `value="invitation" id="mode-invitation" checked`) {
			t.Errorf("the page does not show the mode set")
		}
	})
}

// An import that cancels a ticket gives back its holder's seat through the
// engine (the waiter is promoted); the attendee may sign in and is told,
// and the app refuses them a new seat.
func TestImportCancelsTicket(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		ann, staff := e.people[lanyard.RoleAttendee], e.people[lanyard.RoleStaff]
		// C is a room of two: ann and the exhibitor hold it, staff waits.
		for _, p := range []int64{ann.ID, e.people[lanyard.RoleExhibitor].ID} {
			if rs, err := e.eng.Reserve(ctx, p, []string{"C"}, false, ""); err != nil || rs[0].Outcome != lanyard.OutcomeReserved {
				t.Fatalf("reserve C: %+v, %v", rs, err)
			}
		}
		if r, err := e.eng.JoinWaitlist(ctx, staff.ID, "C", ""); err != nil || r.Outcome != lanyard.OutcomeWaitlisted {
			t.Fatalf("staff waits for C: %+v, %v", r, err)
		}
		c := e.signIn(lanyard.RoleOrganizer)
		r := c.upload("/console/import", "cancel.csv", []byte("email,name,status\n"+ann.Email+","+ann.Name+",cancelled\n"))
		preview := r.Header.Get("Location")
		if r := c.Get(preview); byID(r.Body, "count-voided") != "1 cancelled (badge voided)" {
			t.Fatalf("preview: voided %q", byID(r.Body, "count-voided"))
		}
		if r := c.Post(preview, url.Values{}); r.Status != http.StatusSeeOther {
			t.Fatalf("apply: %d", r.Status)
		}
		if ag, _ := e.eng.Agenda(ctx, ann.ID); len(ag.Reservations) != 0 {
			t.Errorf("ann still holds %+v", ag.Reservations)
		}
		if ag, _ := e.eng.Agenda(ctx, staff.ID); len(ag.Reservations) != 1 {
			t.Errorf("the waiter was not promoted into ann's seat: %+v", ag)
		}
		a := e.signIn(lanyard.RoleAttendee)
		if r := a.Get("/agenda"); byID(r.Body, "canceled-banner") == "" && !strings.Contains(r.Body, `id="canceled-banner"`) {
			t.Errorf("ann's agenda does not say the ticket was cancelled")
		}
		a.Post("/reserve/A", url.Values{"back": {"/sessions/A"}})
		if ag, _ := e.eng.Agenda(ctx, ann.ID); len(ag.Reservations) != 0 {
			t.Errorf("a cancelled ticket reserved %+v", ag.Reservations)
		}
		if r := a.Get("/sessions/A"); !strings.Contains(r.Body, "Your ticket was cancelled: you cannot reserve") {
			t.Errorf("the refusal is not said")
		}
	})
}
