package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// An upload is kept for its event, bytes intact, until deleted or a day old.
func TestUploads(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		data := []byte("email,name\nann@example.com,Ann\n\x00\xff")
		id, err := db.SaveUpload(ctx, store.Upload{EventID: ev.ID, Filename: "a.csv", Format: "csv", Data: data})
		if err != nil {
			t.Fatal(err)
		}
		u, err := db.Upload(ctx, ev.ID, id)
		if err != nil || !bytes.Equal(u.Data, data) || u.Filename != "a.csv" || u.Format != "csv" {
			t.Fatalf("upload %+v, %v; want the bytes saved", u, err)
		}
		if _, err := db.Upload(ctx, ev.ID+1, id); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("another event's upload: %v; want ENOTFOUND", err)
		}
		if err := db.DeleteUpload(ctx, ev.ID, id); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Upload(ctx, ev.ID, id); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("deleted upload: %v; want ENOTFOUND", err)
		}
		old, _ := db.SaveUpload(ctx, store.Upload{EventID: ev.ID, Filename: "b.csv", Format: "csv", Data: data})
		now := db.Now
		defer func() { db.Now = now }()
		db.Now = func() time.Time { return now().Add(25 * time.Hour) }
		if _, err := db.Upload(ctx, ev.ID, old); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("a day-old upload: %v; want ENOTFOUND", err)
		}
	})
}

// MarkEmailVerified verifies an account once, and says when there is none.
func TestMarkEmailVerified(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		a := &lanyard.Attendee{Name: "Ann", Email: "ann@example.com"}
		b := &lanyard.Attendee{Name: "Bo", Email: "bo@example.com"}
		if err := db.CreateAttendees(ctx, ev.ID, []*lanyard.Attendee{a, b}); err != nil {
			t.Fatal(err)
		}
		if err := db.SetPassword(ctx, a.ID, "hash"); err != nil {
			t.Fatal(err)
		}
		if acc, _ := db.Account(ctx, a.ID); acc.Verified() {
			t.Fatal("verified before it was marked")
		}
		if err := db.MarkEmailVerified(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if acc, _ := db.Account(ctx, a.ID); !acc.Verified() {
			t.Error("not verified after it was marked")
		}
		if err := db.MarkEmailVerified(ctx, b.ID); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("no account: %v; want ENOTFOUND", err)
		}
	})
}
