package registration_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/message"
	"github.com/lanyardhq/lanyard/internal/registration"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

func newEvent(t *testing.T, db *store.DB) int64 {
	t.Helper()
	c := &lanyard.Catalog{Event: lanyard.Event{Slug: "devconf-26", Name: "DevConf Seoul 2026", TimeZone: "Asia/Seoul", StartDate: "2026-11-30", Days: 2}}
	if _, err := db.ImportCatalog(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c.Event.ID
}

func importFile(t *testing.T, db *store.DB, path string, f registration.Format, m registration.Mapping, opt registration.Options) (registration.Report, error) {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	return registration.Import(context.Background(), db, fh, f, m, opt)
}

// counts is a report's tally, for comparing.
type counts struct{ Created, Updated, Unchanged, Voided, Skipped, Refused int }

func tally(r registration.Report) counts {
	return counts{r.Created, r.Updated, r.Unchanged, r.Voided, r.Skipped, r.Refused}
}

func TestImportCSVDetectsEventbriteAndIsIdempotent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := newEvent(t, db)
		opt := registration.Options{EventID: ev, Roles: map[string]lanyard.Role{"Exhibitor Pass": lanyard.RoleExhibitor}}
		rep, err := importFile(t, db, "testdata/eventbrite.csv", registration.FormatCSV, nil, opt)
		if err != nil {
			t.Fatalf("import: %v (%+v)", err, rep.Rows)
		}
		// Alan is "Not Attending" and was never imported: skipped.
		if got, want := tally(rep), (counts{Created: 4, Skipped: 1}); got != want {
			t.Fatalf("first import = %+v, want %+v (%+v)", got, want, rep.Rows)
		}
		kim, err := db.FindAttendeeByEmail(ctx, ev, "minjun.kim@example.kr")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := kim.Name, "김민준"; got != want {
			t.Errorf("Korean name = %q, want %q (family name first, no space)", got, want)
		}
		grace, err := db.FindAttendeeByEmail(ctx, ev, "grace@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := grace.Role, lanyard.RoleExhibitor; got != want {
			t.Errorf("exhibitor pass role = %q, want %q", got, want)
		}
		reg, err := db.AttendeeRegistration(ctx, grace.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := reg.ExternalID, "3399004"; got != want {
			t.Errorf("ticket id = %q, want the Attendee # %q", got, want)
		}
		if got, want := reg.Type, "Exhibitor Pass"; got != want {
			t.Errorf("type = %q, want %q", got, want)
		}

		rep, err = importFile(t, db, "testdata/eventbrite.csv", registration.FormatCSV, nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := tally(rep), (counts{Unchanged: 4, Skipped: 1}); got != want {
			t.Fatalf("second import = %+v, want %+v (%+v)", got, want, rep.Rows)
		}
	})
}

func TestImportCSVWithMapping(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := newEvent(t, db)
		m, err := registration.ParseMapping([]string{"email=E-mail,name=Teilnehmer", "company=Firma", "role=Rolle", "home_zone=Zeitzone", "ticket_id=Ticket"})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := importFile(t, db, "testdata/custom.csv", registration.FormatCSV, m, registration.Options{EventID: ev})
		if err != nil {
			t.Fatalf("import: %v", err)
		}
		if got, want := rep.Created, 2; got != want {
			t.Fatalf("created %d, want %d", got, want)
		}
		a, err := db.FindAttendeeByEmail(ctx, ev, "margaret@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if a.Company != "MIT" || a.Role != lanyard.RoleOrganizer || a.HomeZone != "America/New_York" {
			t.Errorf("attendee = %+v; want company MIT, organizer, America/New_York", a)
		}
		// Without the mapping the columns cannot be found: the error says which flag helps.
		_, err = importFile(t, db, "testdata/custom.csv", registration.FormatCSV, registration.Mapping{"email": "E-mail"}, registration.Options{EventID: ev})
		if got := lanyard.ErrorMessage(err); !strings.Contains(got, "--map name=") {
			t.Errorf("error without a name mapping = %q; want it to name --map name=", got)
		}
		if _, err := registration.ParseMapping([]string{"shoe_size=Size"}); lanyard.ErrorCode(err) != lanyard.EINVALID {
			t.Errorf("unknown field mapping: err = %v, want EINVALID", err)
		}
	})
}

func TestImportCSVRefusesBadRowsAndWritesNothing(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := newEvent(t, db)
		rep, err := importFile(t, db, "testdata/bad.csv", registration.FormatCSV, nil, registration.Options{EventID: ev})
		if got, want := lanyard.ErrorCode(err), lanyard.EINVALID; got != want {
			t.Fatalf("error code %q, want %q (%v)", got, want, err)
		}
		want := map[int]string{3: "field email", 4: "field name", 5: "field status"}
		for _, o := range rep.Rows {
			if o.Action != "refused" {
				continue
			}
			if w, ok := want[o.Row]; !ok || !strings.HasPrefix(o.Reason, w) {
				t.Errorf("row %d refused: %q; want %q", o.Row, o.Reason, w)
			}
			delete(want, o.Row)
		}
		if len(want) > 0 {
			t.Errorf("rows not refused: %v (%+v)", want, rep.Rows)
		}
		// All or nothing: the good row was not written.
		if n, _ := db.CountAttendees(ctx, ev); n != 0 {
			t.Errorf("%d attendees after a refused import, want 0", n)
		}
	})
}

func TestImportPretixVoidsCancelledAndUpdatesNames(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := newEvent(t, db)
		opt := registration.Options{EventID: ev, Types: map[string]string{"Conference ticket": "full", "Speaker ticket": "speaker"}}

		// A dry run reports what would happen and writes nothing.
		dry := opt
		dry.DryRun = true
		rep, err := importFile(t, db, "testdata/pretix.json", registration.FormatPretix, nil, dry)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := tally(rep), (counts{Created: 4, Skipped: 3}); got != want {
			t.Fatalf("dry run = %+v, want %+v (%+v)", got, want, rep.Rows)
		}
		if n, _ := db.CountAttendees(ctx, ev); n != 0 {
			t.Fatalf("%d attendees after a dry run, want 0", n)
		}

		// Paid: Jane, 박지우, Hank, Homer. Skipped: the add-on, the pending order, the expired one.
		rep, err = importFile(t, db, "testdata/pretix.json", registration.FormatPretix, nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := tally(rep), (counts{Created: 4, Skipped: 3}); got != want {
			t.Fatalf("first import = %+v, want %+v (%+v)", got, want, rep.Rows)
		}
		jiwoo, err := db.FindAttendeeByEmail(ctx, ev, "jiwoo@example.kr")
		if err != nil {
			t.Fatalf("the order's email stands in for a missing attendee_email: %v", err)
		}
		if got, want := jiwoo.Name, "박지우"; got != want {
			t.Errorf("name from parts = %q, want %q", got, want)
		}
		if reg, _ := db.AttendeeRegistration(ctx, jiwoo.ID); reg.Type != "speaker" || reg.ExternalID != "D3E4F-1" || reg.Country != "KR" {
			t.Errorf("registration = %+v; want type speaker, ticket D3E4F-1, country KR", reg)
		}
		hank, err := db.FindAttendeeByEmail(ctx, ev, "hank@globex.example")
		if err != nil {
			t.Fatal(err)
		}
		before, err := db.BadgeState(ctx, hank.ID)
		if err != nil {
			t.Fatal(err)
		}

		// Later: Hank and Homer's order cancelled, Jane's name corrected.
		rep, err = importFile(t, db, "testdata/pretix-later.json", registration.FormatPretix, nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := tally(rep), (counts{Updated: 1, Unchanged: 1, Voided: 2, Skipped: 3}); got != want {
			t.Fatalf("later import = %+v, want %+v (%+v)", got, want, rep.Rows)
		}
		after, err := db.BadgeState(ctx, hank.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := after.Version, before.Version+1; got != want {
			t.Errorf("badge version after cancellation = %d, want %d (voided)", got, want)
		}
		jane, err := db.FindAttendeeByEmail(ctx, ev, "jane@acme.example")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := jane.Name, "Jane Doe-Smith"; got != want {
			t.Errorf("updated name = %q, want %q", got, want)
		}

		// Again: nothing to do, and the badge is not voided twice.
		rep, err = importFile(t, db, "testdata/pretix-later.json", registration.FormatPretix, nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := tally(rep), (counts{Unchanged: 4, Skipped: 3}); got != want {
			t.Fatalf("repeated import = %+v, want %+v (%+v)", got, want, rep.Rows)
		}
		if again, _ := db.BadgeState(ctx, hank.ID); again.Version != after.Version {
			t.Errorf("badge version %d after a repeated import, want %d", again.Version, after.Version)
		}
	})
}

func TestImportInvitesCreatedAttendees(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := newEvent(t, db)
		opt := registration.Options{EventID: ev, Invite: registration.Inviter("https://conf.example/", "DevConf", registration.InvitationTTL, time.Now)}
		if _, err := importFile(t, db, "testdata/custom.csv", registration.FormatCSV, registration.Mapping{"email": "E-mail", "name": "Teilnehmer", "ticket_id": "Ticket"}, opt); err != nil {
			t.Fatal(err)
		}
		msgs, err := db.Messages(ctx, ev)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(msgs), 2; got != want {
			t.Fatalf("%d messages, want %d invitations", got, want)
		}
		m := msgs[0]
		if m.Kind != lanyard.KindInvitation || !m.Mail || m.App || !strings.HasPrefix(m.Params["link"], "https://conf.example/invite/") {
			t.Errorf("invitation = %+v; want kind invitation by mail with a set-password link", m)
		}
		// Delivery renders it in either language, with the link in the words.
		for _, lang := range []string{"en", "ko"} {
			out, err := message.Render(m, lang)
			if err != nil || !strings.Contains(out.Text, m.Params["link"]) {
				t.Errorf("render %s: %v; text %q lacks the link", lang, err, out.Text)
			}
		}
		// A second import creates no one and invites no one again.
		if _, err := importFile(t, db, "testdata/custom.csv", registration.FormatCSV, registration.Mapping{"email": "E-mail", "name": "Teilnehmer", "ticket_id": "Ticket"}, opt); err != nil {
			t.Fatal(err)
		}
		if msgs, _ := db.Messages(ctx, ev); len(msgs) != 2 {
			t.Errorf("%d messages after re-import, want still 2", len(msgs))
		}
	})
}

// Attendees imported without invitations get one on a later import with
// Invite, once: an account or a pending invitation needs no other.
func TestImportInvitesEarlierAttendeesOnce(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := newEvent(t, db)
		m := registration.Mapping{"name": "Teilnehmer", "ticket_id": "Ticket"}
		if _, err := importFile(t, db, "testdata/custom.csv", registration.FormatCSV, m, registration.Options{EventID: ev}); err != nil {
			t.Fatal(err)
		}
		opt := registration.Options{EventID: ev, Invite: registration.Inviter("https://conf.example", "DevConf", registration.InvitationTTL, time.Now)}
		for i := 0; i < 2; i++ {
			rep, err := importFile(t, db, "testdata/custom.csv", registration.FormatCSV, m, opt)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := rep.Unchanged, 2; got != want {
				t.Fatalf("run %d: %d unchanged, want %d", i, got, want)
			}
		}
		msgs, err := db.Messages(ctx, ev)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(msgs), 2; got != want {
			t.Errorf("%d invitations after two inviting imports, want %d (one each)", got, want)
		}
	})
}

// pretix's CSV: the ticket is the order code and position number, so two
// tickets of one order are two attendees.
func TestImportPretixCSVPositions(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := newEvent(t, db)
		rep, err := importFile(t, db, "testdata/pretix-positions.csv", registration.FormatCSV, nil, registration.Options{EventID: ev})
		if err != nil {
			t.Fatalf("import: %v (%+v)", err, rep.Rows)
		}
		if got, want := tally(rep), (counts{Created: 2, Skipped: 2}); got != want {
			t.Fatalf("import = %+v, want %+v (%+v)", got, want, rep.Rows)
		}
		john, err := db.FindAttendeeByEmail(ctx, ev, "john@acme.example")
		if err != nil {
			t.Fatal(err)
		}
		if reg, _ := db.AttendeeRegistration(ctx, john.ID); reg.ExternalID != "A1B2C-2" || john.Name != "John Roe" {
			t.Errorf("john: ticket %q, name %q; want A1B2C-2, John Roe", reg.ExternalID, john.Name)
		}
	})
}

// Rows sharing an order-level ID would overwrite each other: refused.
func TestImportRefusesSharedTicketIDs(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ev := newEvent(t, db)
		rep, err := importFile(t, db, "testdata/orders-only.csv", registration.FormatCSV, nil, registration.Options{EventID: ev})
		if lanyard.ErrorCode(err) != lanyard.EINVALID || rep.Refused != 1 {
			t.Fatalf("err %v, refused %d; want EINVALID and 1 (%+v)", err, rep.Refused, rep.Rows)
		}
		if o := rep.Rows[1]; o.Row != 3 || !strings.Contains(o.Reason, "also the ID of row 2") {
			t.Errorf("refusal %+v", o)
		}
	})
}

// A new ticket whose email belongs to another ticket's attendee is refused,
// naming the field, and nothing is written.
func TestImportRefusesEmailOfAnotherTicket(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := newEvent(t, db)
		opt := registration.Options{EventID: ev}
		if _, err := registration.Import(ctx, db, strings.NewReader("ticket_id,email,name\nT1,ann@example.com,Ann\n"), registration.FormatCSV, nil, opt); err != nil {
			t.Fatal(err)
		}
		rep, err := registration.Import(ctx, db, strings.NewReader("ticket_id,email,name\nT3,new@example.com,New\nT2,ann@example.com,Ann Again\n"), registration.FormatCSV, nil, opt)
		if lanyard.ErrorCode(err) != lanyard.EINVALID || rep.Refused != 1 {
			t.Fatalf("err %v, %+v; want one refused row", err, rep.Rows)
		}
		if o := rep.Rows[1]; o.Row != 3 || !strings.HasPrefix(o.Reason, "field email: ann@example.com already belongs to ticket T1") {
			t.Errorf("refusal %+v", o)
		}
		if n, _ := db.CountAttendees(ctx, ev); n != 1 {
			t.Errorf("%d attendees, want 1: the refused import wrote its good row", n)
		}
	})
}
