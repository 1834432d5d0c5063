package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// Exhibitors keep their fields and unique codes; staff belong to one
// exhibitor; sharing has defaults until chosen; the organizer's cap too.
func TestExpoBase(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		x, err := db.PutExhibitor(ctx, ev.ID, lanyard.Exhibitor{Code: "acme", Name: "Acme", Booth: "1204", Categories: []string{"AI", "Storage"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.PutExhibitor(ctx, ev.ID, lanyard.Exhibitor{Code: "acme", Name: "Other"}); lanyard.ErrorCode(err) != lanyard.ECONFLICT {
			t.Errorf("a taken code: %v, want conflict", err)
		}
		got, err := db.Exhibitor(ctx, ev.ID, x.ID)
		if err != nil || !slices.Equal(got.Categories, []string{"AI", "Storage"}) || got.Booth != "1204" {
			t.Errorf("exhibitor = %+v, %v", got, err)
		}
		a := mustCreateAttendee(t, db, ev.ID, "Booth Staff", "staff@acme.example")
		if _, err := db.ExhibitorOf(ctx, ev.ID, a.ID); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("no company yet: %v", err)
		}
		if err := db.SetExhibitorStaff(ctx, x.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		if of, err := db.ExhibitorOf(ctx, ev.ID, a.ID); err != nil || of.ID != x.ID {
			t.Errorf("ExhibitorOf = %+v, %v", of, err)
		}
		s, err := db.Sharing(ctx, a.ID)
		if err != nil || !slices.Equal(s.Fields, lanyard.DefaultShared) || s.Exchange != lanyard.ExchangeTwoWay || s.MeetOptIn {
			t.Errorf("default sharing = %+v, %v", s, err)
		}
		s = lanyard.Sharing{AttendeeID: a.ID, Fields: []string{"email", "company"}, Phone: "+82 10 1234 5678", Exchange: lanyard.ExchangeOneWay, MeetOptIn: true}
		if err := s.Validate(); err != nil {
			t.Fatal(err)
		}
		if err := db.PutSharing(ctx, s); err != nil {
			t.Fatal(err)
		}
		back, err := db.Sharing(ctx, a.ID)
		if err != nil || !slices.Equal(back.Fields, []string{"company", "email"}) || back.Phone != s.Phone || back.Exchange != lanyard.ExchangeOneWay || !back.MeetOptIn {
			t.Errorf("sharing = %+v, %v", back, err)
		}
		if f, err := db.ExhibitorFields(ctx, ev.ID); err != nil || !slices.Equal(f, lanyard.DefaultShared) {
			t.Errorf("default cap = %v, %v", f, err)
		}
		if err := db.PutExhibitorFields(ctx, ev.ID, []string{"company", "email"}); err != nil {
			t.Fatal(err)
		}
		f, _ := db.ExhibitorFields(ctx, ev.ID)
		a.Company = "Acme"
		c := lanyard.CardOf(a, back, f)
		if c.Email != a.Email || c.Company != "Acme" || c.Phone != "" {
			t.Errorf("card under the cap = %+v", c)
		}
	})
}
