package store_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

func TestPhotos(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		ada := mustCreateAttendee(t, db, ev.ID, "Ada Lovelace", "ada@example.com")
		bob := mustCreateAttendee(t, db, ev.ID, "Bob Dark", "bob@example.com")
		cy := mustCreateAttendee(t, db, ev.ID, "Cy None", "cy@example.com")

		if _, err := db.Photo(ctx, ada.ID); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Fatalf("photo before upload: %v; want not found", err)
		}
		good := &lanyard.Photo{AttendeeID: ada.ID, JPEG: []byte("jpeg-1"), Format: "png", Width: 1200, Height: 1600, Checks: nil}
		dark := &lanyard.Photo{AttendeeID: bob.ID, JPEG: []byte("jpeg-2"), Format: "jpeg", Width: 600, Height: 800, Flagged: true,
			Checks: []lanyard.PhotoCheck{{Code: "too_dark", Value: 31, Limit: 70, Message: "Too dark."}}}
		for _, p := range []*lanyard.Photo{good, dark} {
			if err := db.SavePhoto(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.Photo(ctx, bob.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.JPEG, dark.JPEG) || !got.Flagged || len(got.Checks) != 1 || got.Checks[0].Value != 31 {
			t.Errorf("photo read back: %+v", got)
		}
		// A new upload replaces the old one.
		good.JPEG = []byte("jpeg-3")
		if err := db.SavePhoto(ctx, good); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Photo(ctx, ada.ID); string(got.JPEG) != "jpeg-3" {
			t.Errorf("replaced photo reads %q", got.JPEG)
		}
		if err := db.SavePhoto(ctx, &lanyard.Photo{AttendeeID: 999999, JPEG: []byte("x"), Format: "jpeg"}); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("photo of an unknown attendee: %v; want not found", err)
		}

		report, err := db.PhotoReport(ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64]string{bob.ID: "flagged", cy.ID: "missing"}
		if len(report) != len(want) {
			t.Fatalf("report %+v; want %v", report, want)
		}
		for _, s := range report {
			if want[s.AttendeeID] != s.Status {
				t.Errorf("%s is %s; want %s", s.Name, s.Status, want[s.AttendeeID])
			}
			if s.Status == "flagged" && (len(s.Checks) != 1 || s.Checks[0].Code != "too_dark") {
				t.Errorf("flagged photo's checks: %+v", s.Checks)
			}
		}
	})
}

func TestBadgeKeysAndPickup(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		a := mustCreateAttendee(t, db, ev.ID, "Ada Lovelace", "ada@example.com")

		keys, err := db.BadgeKeys(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) != 1 || keys[0].ID != 1 || len(keys[0].Secret) != 32 {
			t.Fatalf("first keys: %+v", keys)
		}
		again, _ := db.BadgeKeys(ctx)
		if len(again) != 1 || !bytes.Equal(again[0].Secret, keys[0].Secret) {
			t.Fatalf("a second read made another key: %+v", again)
		}
		k2, err := db.RotateBadgeKey(ctx)
		if err != nil {
			t.Fatal(err)
		}
		keys, _ = db.BadgeKeys(ctx)
		if len(keys) != 2 || keys[0].ID != k2.ID || keys[1].ID != 1 || bytes.Equal(keys[0].Secret, keys[1].Secret) {
			t.Fatalf("after rotation, newest first: %+v", keys)
		}

		st, err := db.BadgeState(ctx, a.ID)
		if err != nil || st.Version != 1 || st.PickedUpAt != nil {
			t.Fatalf("new badge state %+v, %v", st, err)
		}
		first, err := db.MarkPickedUp(ctx, a.ID)
		if err != nil || first.PickedUpAt == nil {
			t.Fatalf("pick up: %+v, %v", first, err)
		}
		second, _ := db.MarkPickedUp(ctx, a.ID)
		if !second.PickedUpAt.Equal(*first.PickedUpAt) {
			t.Errorf("a second pick-up moved the time from %v to %v", first.PickedUpAt, second.PickedUpAt)
		}
		if _, err := db.MarkPickedUp(ctx, 999999); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("pick up for nobody: %v", err)
		}
		rep, err := db.ReplaceBadge(ctx, a.ID)
		if err != nil || rep.Version != 2 || rep.PickedUpAt != nil {
			t.Errorf("replaced badge: %+v, %v; want version 2, not picked up", rep, err)
		}
		if _, err := db.ReplaceBadge(ctx, 999999); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("replace for nobody: %v", err)
		}
		all, err := db.ListAttendees(ctx, ev.ID)
		if err != nil || len(all) != 1 || all[0].ID != a.ID {
			t.Errorf("list attendees: %v, %v", all, err)
		}
	})
}

func TestTokenAttendees(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		ada := mustCreateAttendee(t, db, ev.ID, "Ada Lovelace", "ada@example.com")
		bob := mustCreateAttendee(t, db, ev.ID, "Bob", "bob@example.com")
		h1, h2, h3 := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32), bytes.Repeat([]byte{3}, 32)
		if err := db.CreateTokens(ctx, []store.Token{{AttendeeID: ada.ID, Hash: h1, Name: "cli"}, {AttendeeID: ada.ID, Hash: h2, Name: "app"},
			{AttendeeID: bob.ID, Hash: h3, Name: "cli"}}); err != nil {
			t.Fatal(err)
		}
		owners, err := db.TokenAttendees(ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		key := func(h []byte) (k [32]byte) { copy(k[:], h); return k }
		if len(owners) != 3 || owners[key(h1)].ID != ada.ID || owners[key(h2)].ID != ada.ID || owners[key(h3)].Email != "bob@example.com" {
			t.Errorf("owners: %+v", owners)
		}
		if other, _ := db.TokenAttendees(ctx, ev.ID+1000); len(other) != 0 {
			t.Errorf("another event's tokens: %d", len(other))
		}
	})
}
