package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/lanyardhq/lanyard/internal/demo"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
)

// TestDemoContacts: the demo attendee (the first attendee, whose account
// the banner prints) has six contacts at every stage, two of them made by
// the other's scan, and a pending follow-up reminder for each follow-up date.
func TestDemoContacts(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "demo.db")
	if code, _, stderr := runCmd(t, "demo", "--db", dbPath, "--attendees", "40", "--serve=false", "--tokens", filepath.Join(dir, "tokens.csv")); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ev, err := db.FindEventBySlug(ctx, demo.Slug)
	if err != nil {
		t.Fatal(err)
	}
	people, err := db.ListAttendees(ctx, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	var me *lanyard.Attendee
	for _, a := range people {
		if a.Role == lanyard.RoleAttendee {
			me = a
			break
		}
	}
	cs, err := db.Contacts(ctx, me.ID)
	if err != nil {
		t.Fatal(err)
	}
	stages, theyScanned, withFollowUp := map[string]int{}, 0, 0
	for _, c := range cs {
		stages[c.Stage]++
		if !c.Scanned {
			theyScanned++
		}
		if c.FollowUp != "" {
			withFollowUp++
		}
		if c.Where.Kind != lanyard.WhereSession || c.Card.Name == "" {
			t.Errorf("contact %+v: no session or name", c)
		}
	}
	if len(cs) != 6 || len(stages) != 4 || theyScanned != 2 || withFollowUp != 3 {
		t.Fatalf("demo contacts: %d, stages %v, %d made by the other, %d with a follow-up date", len(cs), stages, theyScanned, withFollowUp)
	}
	msgs, err := db.Messages(ctx, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	reminders := 0
	for _, m := range msgs {
		if m.Kind == lanyard.KindContactFollowUp && m.State == lanyard.MessagePending && m.AttendeeID == me.ID {
			reminders++
		}
	}
	if reminders != 3 {
		t.Fatalf("%d follow-up reminders pending, want 3", reminders)
	}
}
