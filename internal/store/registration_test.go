package store_test

import (
	"context"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

func hashOf(s string) []byte { h := sha256.Sum256([]byte(s)); return h[:] }

// A link is good for its purpose only: a verification link sets no
// password, a reset link verifies (it came by mail) and sets one.
func TestLinksKeepTheirPurpose(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		a := &lanyard.Attendee{Name: "Ann", Email: "ann@example.com"}
		verify := store.Link{TokenHash: hashOf("v1"), Expires: time.Now().Add(time.Hour),
			Message: lanyard.Message{Kind: lanyard.KindEmailVerification, Recipient: "ann@example.com", Subject: "s", Body: "b"}}
		if err := db.Register(ctx, ev.ID, a, "hash-1", verify); err != nil {
			t.Fatal(err)
		}
		acc, err := db.Account(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if acc.Verified() {
			t.Fatal("a registered account is verified before its link is followed")
		}
		msgs, err := db.Messages(ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 1 || msgs[0].Kind != lanyard.KindEmailVerification || msgs[0].AttendeeID != a.ID {
			t.Fatalf("messages %+v; want the verification, in the sign-up's transaction", msgs)
		}
		// The verification token is not a reset token.
		if err := db.CheckPasswordReset(ctx, hashOf("v1")); lanyard.ErrorCode(err) != lanyard.EINVALID {
			t.Errorf("verification token accepted as a reset: %v", err)
		}
		if _, err := db.ConsumePasswordReset(ctx, hashOf("v1"), "hash-2"); lanyard.ErrorCode(err) != lanyard.EINVALID {
			t.Errorf("verification token set a password: %v", err)
		}
		// A reset token does not verify through VerifyEmail…
		if err := db.CreatePasswordReset(ctx, a.ID, hashOf("r1"), time.Now().Add(time.Hour), lanyard.Message{EventID: ev.ID, Kind: "password_reset", Subject: "s", Body: "b"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.VerifyEmail(ctx, hashOf("r1")); lanyard.ErrorCode(err) != lanyard.EINVALID {
			t.Errorf("reset token accepted as verification: %v", err)
		}
		// …but using it proves the address.
		if _, err := db.ConsumePasswordReset(ctx, hashOf("r1"), "hash-3"); err != nil {
			t.Fatal(err)
		}
		if acc, _ := db.Account(ctx, a.ID); !acc.Verified() {
			t.Error("account unverified after a mailed reset link was used")
		}
		// The verification link still works once, and only once.
		if id, err := db.VerifyEmail(ctx, hashOf("v1")); err != nil || id != a.ID {
			t.Fatalf("verify: %d, %v", id, err)
		}
		if _, err := db.VerifyEmail(ctx, hashOf("v1")); lanyard.ErrorCode(err) != lanyard.EINVALID {
			t.Errorf("second verification: %v, want EINVALID", err)
		}
	})
}

func TestSignUpMode(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		if m, err := db.SignUpMode(ctx, ev.ID); err != nil || m != lanyard.SignUpOpen {
			t.Fatalf("default mode %q, %v; want open", m, err)
		}
		if err := db.SetSignUpMode(ctx, ev.ID, lanyard.SignUpInvitation); err != nil {
			t.Fatal(err)
		}
		// A catalog re-import keeps the mode.
		mustImport(t, db, testCatalog())
		if m, _ := db.SignUpMode(ctx, ev.ID); m != lanyard.SignUpInvitation {
			t.Errorf("mode after catalog re-import %q, want invitation", m)
		}
		if err := db.SetSignUpMode(ctx, ev.ID, "closed"); lanyard.ErrorCode(err) != lanyard.EINVALID {
			t.Errorf("unknown mode: %v, want EINVALID", err)
		}
		if err := db.SetSignUpMode(ctx, 9999, lanyard.SignUpOpen); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("unknown event: %v, want ENOTFOUND", err)
		}
	})
}
