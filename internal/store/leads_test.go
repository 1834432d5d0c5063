package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

type leadFixture struct {
	db     *store.DB
	ev     *lanyard.Event
	acme   lanyard.Exhibitor
	globex lanyard.Exhibitor
	staff  *lanyard.Attendee
	people []*lanyard.Attendee
}

func newLeadFixture(t *testing.T, db *store.DB) *leadFixture {
	t.Helper()
	ctx := context.Background()
	ev := mustImport(t, db, testCatalog())
	f := &leadFixture{db: db, ev: ev}
	var err error
	if f.acme, err = db.PutExhibitor(ctx, ev.ID, lanyard.Exhibitor{Code: "acme", Name: "Acme"}); err != nil {
		t.Fatal(err)
	}
	if f.globex, err = db.PutExhibitor(ctx, ev.ID, lanyard.Exhibitor{Code: "globex", Name: "Globex"}); err != nil {
		t.Fatal(err)
	}
	f.staff = mustCreateAttendee(t, db, ev.ID, "Booth Staff", "staff@acme.example")
	for i := range 4 {
		a := &lanyard.Attendee{Name: fmt.Sprintf("Person %d", i), Email: fmt.Sprintf("p%d@example.com", i), Company: fmt.Sprintf("Co %d", i), JobTitle: "Engineer"}
		if err := db.CreateAttendees(ctx, ev.ID, []*lanyard.Attendee{a}); err != nil {
			t.Fatal(err)
		}
		f.people = append(f.people, a)
	}
	return f
}

func (f *leadFixture) scan(t *testing.T, x lanyard.Exhibitor, a *lanyard.Attendee, nonce string) store.LeadScanResult {
	t.Helper()
	r, err := f.db.LeadScan(context.Background(), store.LeadScanInput{EventID: f.ev.ID, ExhibitorID: x.ID, AttendeeID: a.ID, Version: -1,
		Nonce: nonce, ScannedBy: f.staff.ID, ScannedAt: time.Now().Add(-time.Minute)})
	if err != nil {
		t.Fatalf("scan %s: %v", nonce, err)
	}
	return r
}

// The first upload of a scan makes the lead; the same scan again answers
// the same and a new scan of the same attendee changes nothing; another
// exhibitor's leads are its own.
func TestLeadScanIdempotent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newLeadFixture(t, db)
		ctx := context.Background()
		first := f.scan(t, f.acme, f.people[0], "n1")
		if first.Outcome != lanyard.LeadCreated || first.LeadID == 0 {
			t.Fatalf("first scan: %+v", first)
		}
		if again := f.scan(t, f.acme, f.people[0], "n1"); again != first {
			t.Errorf("the same scan again: %+v, want %+v", again, first)
		}
		if other := f.scan(t, f.acme, f.people[0], "n2"); other.Outcome != lanyard.LeadExists || other.LeadID != first.LeadID {
			t.Errorf("a second scan of the same attendee: %+v", other)
		}
		f.scan(t, f.globex, f.people[0], "n1") // the same nonce at another booth is another scan
		f.scan(t, f.acme, f.people[1], "n3")
		acme, err := db.Leads(ctx, f.ev.ID, f.acme.ID, store.LeadFilter{})
		if err != nil || len(acme) != 2 {
			t.Fatalf("acme's leads: %d, %v", len(acme), err)
		}
		globex, _ := db.Leads(ctx, f.ev.ID, f.globex.ID, store.LeadFilter{})
		if len(globex) != 1 {
			t.Errorf("globex's leads: %d", len(globex))
		}
		if _, err := db.Lead(ctx, f.ev.ID, f.globex.ID, first.LeadID); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("another exhibitor's lead: %v, want ENOTFOUND", err)
		}
		// A replaced badge, and someone of no event, make no lead.
		if _, err := db.ReplaceBadge(ctx, f.people[2].ID); err != nil {
			t.Fatal(err)
		}
		_, err = db.LeadScan(ctx, store.LeadScanInput{EventID: f.ev.ID, ExhibitorID: f.acme.ID, AttendeeID: f.people[2].ID, Version: 1, Nonce: "n4"})
		if lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("a replaced badge: %v, want ENOTFOUND", err)
		}
		_, err = db.LeadScan(ctx, store.LeadScanInput{EventID: f.ev.ID, ExhibitorID: f.acme.ID, AttendeeID: 99999, Version: -1, Nonce: "n5"})
		if lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("nobody: %v, want ENOTFOUND", err)
		}
	})
}

// Concurrent uploads of the same scans from several devices make each lead
// once.
func TestLeadScanConcurrent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newLeadFixture(t, db)
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for d := range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i, a := range f.people {
					_, err := db.LeadScan(context.Background(), store.LeadScanInput{EventID: f.ev.ID, ExhibitorID: f.acme.ID, AttendeeID: a.ID,
						Version: -1, Nonce: fmt.Sprintf("dev%d-%d", d, i)})
					if err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		leads, err := db.Leads(context.Background(), f.ev.ID, f.acme.ID, store.LeadFilter{})
		if err != nil || len(leads) != len(f.people) {
			t.Errorf("%d leads, %v; want %d", len(leads), err, len(f.people))
		}
	})
}

// A lead's card follows the attendee's consent and the organizer's cap at
// every read; a withdrawal deletes the lead and stops later scans.
func TestLeadConsent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newLeadFixture(t, db)
		ctx := context.Background()
		p := f.people[0]
		id := f.scan(t, f.acme, p, "n1").LeadID
		card := func() lanyard.Card {
			t.Helper()
			l, err := db.Lead(ctx, f.ev.ID, f.acme.ID, id)
			if err != nil {
				t.Fatal(err)
			}
			return l.Card
		}
		if c := card(); c.Name != p.Name || c.Company != p.Company || c.Title != "Engineer" || c.Email != "" {
			t.Errorf("default card: %+v", c)
		}
		// The attendee shares email, phone; the cap allows company and email only.
		s := lanyard.Sharing{AttendeeID: p.ID, Fields: []string{"email", "phone"}, Phone: "+1 555 0100"}
		if err := s.Validate(); err != nil {
			t.Fatal(err)
		}
		if err := db.PutSharing(ctx, s); err != nil {
			t.Fatal(err)
		}
		// The cap is still the default (company, title): nothing shared is allowed.
		if c := card(); c != (lanyard.Card{AttendeeID: p.ID, Name: p.Name}) {
			t.Errorf("card with consent email+phone, cap company+title: %+v", c)
		}
		if err := db.PutExhibitorFields(ctx, f.ev.ID, []string{"company", "email"}); err != nil {
			t.Fatal(err)
		}
		if c := card(); c.Email != p.Email || c.Phone != "" || c.Company != "" {
			t.Errorf("card with cap company+email and consent email+phone: %+v", c)
		}
		holders, err := db.LeadHolders(ctx, f.ev.ID, p.ID)
		if err != nil || len(holders) != 1 || holders[0].Exhibitor.ID != f.acme.ID || !holders[0].Withdrawn.IsZero() {
			t.Fatalf("holders: %+v %v", holders, err)
		}
		if err := db.LeadWithdraw(ctx, f.ev.ID, p.ID, f.globex.ID); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("withdraw from an exhibitor holding nothing: %v", err)
		}
		if err := db.LeadWithdraw(ctx, f.ev.ID, p.ID, f.acme.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.LeadWithdraw(ctx, f.ev.ID, p.ID, f.acme.ID); err != nil {
			t.Errorf("withdraw twice: %v", err)
		}
		if _, err := db.Lead(ctx, f.ev.ID, f.acme.ID, id); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("a withdrawn lead: %v", err)
		}
		// A scan queued offline before, uploaded after: no lead.
		if r := f.scan(t, f.acme, p, "n1"); r.Outcome != lanyard.LeadWithdrawn || r.LeadID != 0 {
			t.Errorf("scan after withdrawal: %+v", r)
		}
		leads, _ := db.Leads(ctx, f.ev.ID, f.acme.ID, store.LeadFilter{})
		if len(leads) != 0 {
			t.Errorf("leads after withdrawal: %d", len(leads))
		}
		holders, _ = db.LeadHolders(ctx, f.ev.ID, p.ID)
		if len(holders) != 1 || holders[0].Withdrawn.IsZero() {
			t.Errorf("holders after withdrawal: %+v", holders)
		}
	})
}

// Rating, notes, tags and answers are kept; answers are checked against
// the exhibitor's own questions; filters by tag and name.
func TestLeadUpdate(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newLeadFixture(t, db)
		ctx := context.Background()
		id := f.scan(t, f.acme, f.people[0], "n1").LeadID
		f.scan(t, f.acme, f.people[1], "n2")
		budget, err := db.LeadQuestionPut(ctx, lanyard.LeadQuestion{ExhibitorID: f.acme.ID, Kind: "single", Prompt: "Budget?", Choices: []string{"<10k", "10k+", "<10k"}})
		if err != nil || !slices.Equal(budget.Choices, []string{"<10k", "10k+"}) {
			t.Fatalf("question: %+v %v", budget, err)
		}
		langs, _ := db.LeadQuestionPut(ctx, lanyard.LeadQuestion{ExhibitorID: f.acme.ID, Kind: "multiple", Prompt: "Languages", Choices: []string{"Go", "Java", "Rust"}})
		note, _ := db.LeadQuestionPut(ctx, lanyard.LeadQuestion{ExhibitorID: f.acme.ID, Kind: "text", Prompt: "Project"})
		other, _ := db.LeadQuestionPut(ctx, lanyard.LeadQuestion{ExhibitorID: f.globex.ID, Kind: "text", Prompt: "Theirs"})
		if _, err := db.LeadQuestionPut(ctx, lanyard.LeadQuestion{ExhibitorID: f.acme.ID, Kind: "single", Prompt: "One choice", Choices: []string{"a"}}); lanyard.ErrorCode(err) != lanyard.EINVALID {
			t.Errorf("a choice question with one choice: %v", err)
		}
		rating, notes, tags := 4, "  Wants a demo  ", []string{"demo", "hot"}
		err = db.LeadUpdate(ctx, f.ev.ID, f.acme.ID, id, lanyard.LeadUpdate{Rating: &rating, Notes: &notes, Tags: &tags,
			Answers: map[int64][]string{budget.ID: {"10k+"}, langs.ID: {"Rust", "Go"}, note.ID: {"Migrating"}}})
		if err != nil {
			t.Fatal(err)
		}
		l, err := db.Lead(ctx, f.ev.ID, f.acme.ID, id)
		if err != nil || l.Rating != 4 || l.Notes != "Wants a demo" || !slices.Equal(l.Tags, tags) ||
			!slices.Equal(l.Answers[langs.ID], []string{"Go", "Rust"}) || l.Answers[budget.ID][0] != "10k+" || l.Answers[note.ID][0] != "Migrating" {
			t.Errorf("lead = %+v, %v", l, err)
		}
		for name, u := range map[string]lanyard.LeadUpdate{
			"rating 6":              {Rating: ptr(6)},
			"not a choice":          {Answers: map[int64][]string{budget.ID: {"1M"}}},
			"two single":            {Answers: map[int64][]string{budget.ID: {"<10k", "10k+"}}},
			"another's question":    {Answers: map[int64][]string{other.ID: {"x"}}},
			"multiple, not a value": {Answers: map[int64][]string{langs.ID: {"Go", "Cobol"}}},
		} {
			if err := db.LeadUpdate(ctx, f.ev.ID, f.acme.ID, id, u); lanyard.ErrorCode(err) != lanyard.EINVALID {
				t.Errorf("%s: %v, want EINVALID", name, err)
			}
		}
		if err := db.LeadUpdate(ctx, f.ev.ID, f.globex.ID, id, lanyard.LeadUpdate{Rating: ptr(1)}); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("another exhibitor updates: %v", err)
		}
		if back, _ := db.Lead(ctx, f.ev.ID, f.acme.ID, id); back.Rating != 4 {
			t.Errorf("a refused update changed the rating to %d", back.Rating)
		}
		// Clearing an answer; deleting a question drops its answers.
		if err := db.LeadUpdate(ctx, f.ev.ID, f.acme.ID, id, lanyard.LeadUpdate{Answers: map[int64][]string{note.ID: nil}}); err != nil {
			t.Fatal(err)
		}
		if err := db.LeadQuestionDelete(ctx, f.acme.ID, langs.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.LeadQuestionDelete(ctx, f.globex.ID, budget.ID); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("delete another's question: %v", err)
		}
		l, _ = db.Lead(ctx, f.ev.ID, f.acme.ID, id)
		if _, ok := l.Answers[note.ID]; ok || len(l.Answers) != 1 {
			t.Errorf("answers after clearing and deleting: %v", l.Answers)
		}
		hot, _ := db.Leads(ctx, f.ev.ID, f.acme.ID, store.LeadFilter{Tag: "hot"})
		if len(hot) != 1 || hot[0].ID != id {
			t.Errorf("tag filter: %d", len(hot))
		}
		named, _ := db.Leads(ctx, f.ev.ID, f.acme.ID, store.LeadFilter{Q: "person 1"})
		if len(named) != 1 || named[0].AttendeeID != f.people[1].ID {
			t.Errorf("name filter: %+v", named)
		}
	})
}

// Leads go to the exhibitor's own endpoint, never to the organizer's
// list; a withdrawal sends lead.withdrawn and blanks what went before.
func TestLeadHooks(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newLeadFixture(t, db)
		ctx := context.Background()
		if _, err := db.LeadHookPut(ctx, f.ev.ID, f.acme.ID, "ftp://x", "whsec_AAAA"); lanyard.ErrorCode(err) != lanyard.EINVALID {
			t.Errorf("a bad URL: %v", err)
		}
		e, err := db.LeadHookPut(ctx, f.ev.ID, f.acme.ID, "https://crm.acme.example/hook", "whsec_c2VjcmV0c2VjcmV0c2VjcmV0")
		if err != nil || !e.Enabled || e.URL != "https://crm.acme.example/hook" {
			t.Fatalf("hook = %+v, %v", e, err)
		}
		if list, _ := db.WebhookEndpoints(ctx, f.ev.ID); len(list) != 0 {
			t.Errorf("the organizer's list shows the exhibitor's endpoint: %+v", list)
		}
		p := f.people[0]
		id := f.scan(t, f.acme, p, "n1").LeadID
		f.scan(t, f.acme, p, "n1") // a repeat sends nothing more
		f.scan(t, f.globex, p, "g1")
		rating := 5
		if err := db.LeadUpdate(ctx, f.ev.ID, f.acme.ID, id, lanyard.LeadUpdate{Rating: &rating}); err != nil {
			t.Fatal(err)
		}
		ds, err := db.WebhookDeliveries(ctx, f.ev.ID, e.ID, 10)
		if err != nil || len(ds) != 2 {
			t.Fatalf("deliveries: %d %v", len(ds), err)
		}
		var body struct {
			Type string
			Data store.LeadHookData
		}
		if err := json.Unmarshal([]byte(ds[1].Payload), &body); err != nil || body.Type != lanyard.EventLeadCreated || body.Data.Card == nil ||
			body.Data.Card.Name != p.Name || body.Data.Card.Email != "" || body.Data.Exhibitor != "acme" {
			t.Errorf("lead.created = %s, %v", ds[1].Payload, err)
		}
		if err := db.LeadWithdraw(ctx, f.ev.ID, p.ID, f.acme.ID); err != nil {
			t.Fatal(err)
		}
		ds, _ = db.WebhookDeliveries(ctx, f.ev.ID, e.ID, 10)
		if len(ds) != 3 || ds[0].Type != lanyard.EventLeadWithdrawn {
			t.Fatalf("after withdrawal: %+v", ds)
		}
		for _, d := range ds[1:] {
			if d.Payload != "{}" || d.State != lanyard.MessageFailed {
				t.Errorf("an earlier delivery after withdrawal: %s %s", d.State, d.Payload)
			}
		}
		body.Data = store.LeadHookData{}
		if err := json.Unmarshal([]byte(ds[0].Payload), &body); err != nil || body.Data.Card != nil || body.Data.LeadID != id {
			t.Errorf("lead.withdrawn = %s", ds[0].Payload)
		}
	})
}

func ptr[T any](v T) *T { return &v }
