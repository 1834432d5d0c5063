package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

var _ scs.CtxStore = store.SessionStore{}

// mustSignUp creates an attendee with a web account.
func mustSignUp(tb testing.TB, db *store.DB, eventID int64, name, email, hash string) *lanyard.Attendee {
	tb.Helper()
	a := &lanyard.Attendee{Name: name, Email: email}
	if err := db.SignUp(context.Background(), eventID, a, hash); err != nil {
		tb.Fatalf("sign up %s: %v", email, err)
	}
	return a
}

// mustCreateAttendee registers an attendee without a web account.
func mustCreateAttendee(tb testing.TB, db *store.DB, eventID int64, name, email string) *lanyard.Attendee {
	tb.Helper()
	a := &lanyard.Attendee{Name: name, Email: email}
	if err := db.CreateAttendees(context.Background(), eventID, []*lanyard.Attendee{a}); err != nil {
		tb.Fatalf("create attendee %s: %v", email, err)
	}
	return a
}

// fixedClock makes db's clock read the returned time, which the test may move.
func fixedClock(db *store.DB) *time.Time {
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	return &now
}

func TestSignUp(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		mustCreateAttendee(t, db, ev.ID, "Imported", "imported@example.com")

		a := &lanyard.Attendee{Name: "Ada", Email: " Ada@Example.com ", HomeZone: "Asia/Seoul"}
		if err := db.SignUp(ctx, ev.ID, a, "hash-1"); err != nil {
			t.Fatal(err)
		}
		if a.ID == 0 || a.EventID != ev.ID || a.CreatedAt.IsZero() {
			t.Fatalf("attendee not filled in: %+v", a)
		}
		if got, want := a.Role, lanyard.RoleAttendee; got != want {
			t.Fatalf("role=%q, want %q", got, want)
		}
		found, err := db.FindAttendeeByEmail(ctx, ev.ID, "ada@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := found.ID, a.ID; got != want {
			t.Fatalf("found attendee %d, want %d", got, want)
		}
		acc, err := db.Account(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !acc.PasswordChangedAt.Equal(a.CreatedAt.Truncate(time.Microsecond)) && !acc.PasswordChangedAt.Equal(a.CreatedAt) {
			t.Errorf("password changed at %v; want the sign-up time %v", acc.PasswordChangedAt, a.CreatedAt)
		}
		// SignUp vouches for the address: the account is verified at once.
		if !acc.Verified() {
			t.Errorf("account made by SignUp is unverified")
		}
		acc.PasswordChangedAt, acc.EmailVerifiedAt = time.Time{}, time.Time{}
		want := lanyard.Account{AttendeeID: a.ID, PasswordHash: "hash-1", ZonePrimary: lanyard.ZonePrimaryVenue}
		if *acc != want {
			t.Fatalf("account=%+v, want %+v", *acc, want)
		}

		for _, tt := range []struct {
			name, email string
			code        string
		}{
			{"email of an account", "ADA@example.com", lanyard.ECONFLICT},
			{"email of an attendee without account", "imported@example.com", lanyard.ECONFLICT},
			{"not an email", "nope", lanyard.EINVALID},
		} {
			t.Run(tt.name, func(t *testing.T) {
				before, _ := db.CountAttendees(ctx, ev.ID)
				err := db.SignUp(ctx, ev.ID, &lanyard.Attendee{Name: "Again", Email: tt.email}, "hash-2")
				if got := lanyard.ErrorCode(err); got != tt.code {
					t.Fatalf("err=%v, want %s", err, tt.code)
				}
				if tt.code == lanyard.ECONFLICT {
					if got, want := lanyard.ErrorMessage(err), "An account with that email already exists."; got != want {
						t.Fatalf("message %q, want %q", got, want)
					}
				}
				if after, _ := db.CountAttendees(ctx, ev.ID); after != before {
					t.Fatalf("%d attendees after a refused sign-up, want %d", after, before)
				}
			})
		}
		imported, err := db.FindAttendeeByEmail(ctx, ev.ID, "imported@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Account(ctx, imported.ID); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Fatalf("refused sign-up created an account: err=%v", err)
		}
		if acc, _ := db.Account(ctx, a.ID); acc.PasswordHash != "hash-1" {
			t.Fatalf("refused sign-up changed the password to %q", acc.PasswordHash)
		}
	})
}

func TestSetPassword(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		a := mustCreateAttendee(t, db, ev.ID, "Imported", "imported@example.com")
		if _, err := db.Account(ctx, a.ID); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Fatalf("account before any: err=%v, want ENOTFOUND", err)
		}
		for _, hash := range []string{"first", "second"} { // creates, then updates
			if err := db.SetPassword(ctx, a.ID, hash); err != nil {
				t.Fatal(err)
			}
			acc, err := db.Account(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := acc.PasswordHash, hash; got != want {
				t.Fatalf("hash=%q, want %q", got, want)
			}
		}
		if err := db.SetPassword(ctx, 999999, "x"); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Fatalf("unknown attendee: err=%v, want ENOTFOUND", err)
		}
	})
}

func TestPasswordReset(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := fixedClock(db)
		ev := mustImport(t, db, testCatalog())
		a := mustSignUp(t, db, ev.ID, "Ada", "ada@example.com", "old")
		b := mustCreateAttendee(t, db, ev.ID, "Imported", "imported@example.com")
		hashOf := func(token string) []byte { h := sha256.Sum256([]byte(token)); return h[:] }
		reset := func(attendee *lanyard.Attendee, token string) {
			t.Helper()
			msg := lanyard.Message{EventID: ev.ID, AttendeeID: attendee.ID, Kind: "password_reset", Mail: true,
				Recipient: attendee.Email, Subject: "Reset", Body: "Open /reset/" + token}
			if err := db.CreatePasswordReset(ctx, attendee.ID, hashOf(token), now.Add(time.Hour), msg); err != nil {
				t.Fatal(err)
			}
		}
		const invalid = "This reset link is not valid any more; ask for a new one."
		consume := func(token, hash string, wantID int64, wantErr string) {
			t.Helper()
			// Check agrees with Consume, and changes nothing.
			if err := db.CheckPasswordReset(ctx, hashOf(token)); (err == nil) != (wantErr == "") {
				t.Fatalf("check %s: err=%v, want error %v", token, err, wantErr != "")
			}
			id, err := db.ConsumePasswordReset(ctx, hashOf(token), hash)
			if wantErr != "" {
				if lanyard.ErrorCode(err) != lanyard.EINVALID || lanyard.ErrorMessage(err) != wantErr {
					t.Fatalf("consume %s: err=%v, want EINVALID %q", token, err, wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("consume %s: %v", token, err)
			}
			if id != wantID {
				t.Fatalf("consume %s: attendee %d, want %d", token, id, wantID)
			}
		}
		password := func(id int64) string {
			t.Helper()
			acc, err := db.Account(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return acc.PasswordHash
		}

		reset(a, "t1")
		consume("t1", "new", a.ID, "")
		if got, want := password(a.ID), "new"; got != want {
			t.Fatalf("password %q, want %q", got, want)
		}
		consume("t1", "again", 0, invalid) // used
		consume("nope", "again", 0, invalid)

		// A demo attendee claims their registration: the reset creates the account.
		reset(b, "t2")
		consume("t2", "claimed", b.ID, "")
		if got, want := password(b.ID), "claimed"; got != want {
			t.Fatalf("password %q, want %q", got, want)
		}

		// Expired.
		reset(a, "t3")
		*now = now.Add(time.Hour)
		consume("t3", "late", 0, invalid)
		if got, want := password(a.ID), "new"; got != want {
			t.Fatalf("expired reset changed the password to %q", got)
		}

		// Using one link kills the attendee's older ones.
		reset(a, "t4")
		reset(a, "t5")
		consume("t5", "newer", a.ID, "")
		consume("t4", "older", 0, invalid)

		if err := db.CreatePasswordReset(ctx, 999999, hashOf("t6"), now.Add(time.Hour), lanyard.Message{EventID: ev.ID}); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Fatalf("reset of unknown attendee: err=%v, want ENOTFOUND", err)
		}
		if err := db.CreatePasswordReset(ctx, a.ID, hashOf("t5"), now.Add(time.Hour), lanyard.Message{EventID: ev.ID}); lanyard.ErrorCode(err) != lanyard.ECONFLICT {
			t.Fatalf("reset with a stored hash: err=%v, want ECONFLICT", err)
		}

		out, err := db.Messages(ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		var bodies []string
		for _, m := range out {
			bodies = append(bodies, m.Body)
		}
		if got, want := len(out), 5; got != want { // t1 t2 t3 t4 t5; the refused ones wrote nothing
			t.Fatalf("%d messages %q, want %d", got, bodies, want)
		}
		first := out[0]
		if first.ID == 0 || first.EventID != ev.ID || first.AttendeeID != a.ID || first.Kind != "password_reset" ||
			first.Recipient != "ada@example.com" || first.Subject != "Reset" || first.Body != "Open /reset/t1" ||
			!first.CreatedAt.Equal(now.Add(-time.Hour)) || !first.Mail || first.App || first.State != lanyard.MessagePending ||
			!first.NextAttemptAt.Equal(first.CreatedAt) {
			t.Fatalf("first message %+v", first)
		}
		if got, want := out[4].Body, "Open /reset/t5"; got != want { // newest last
			t.Fatalf("last message %q, want %q", got, want)
		}
	})
}

func TestPasswordResetConcurrent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		a := mustSignUp(t, db, ev.ID, "Ada", "ada@example.com", "old")
		hash := sha256.Sum256([]byte("token"))
		if err := db.CreatePasswordReset(ctx, a.ID, hash[:], time.Now().Add(time.Hour), lanyard.Message{EventID: ev.ID}); err != nil {
			t.Fatal(err)
		}
		const n = 8
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				_, errs[i] = db.ConsumePasswordReset(ctx, hash[:], "new")
			})
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case lanyard.ErrorCode(err) != lanyard.EINVALID:
				t.Fatalf("consume: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d of %d concurrent consumes succeeded, want 1", ok, n)
		}
	})
}

func TestSetPreferences(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		a := mustSignUp(t, db, ev.ID, "Ada", "ada@example.com", "hash")
		noAccount := mustCreateAttendee(t, db, ev.ID, "Imported", "imported@example.com")
		type prefs struct{ language, primary, home string }
		for _, tt := range []struct {
			name     string
			attendee int64
			set      prefs
			code     string // "" for success
			want     prefs  // afterwards
		}{
			{"home zone", a.ID, prefs{"ko", "home", "Asia/Seoul"}, "", prefs{"ko", "home", "Asia/Seoul"}},
			{"bad primary", a.ID, prefs{"en", "mars", ""}, lanyard.EINVALID, prefs{"ko", "home", "Asia/Seoul"}},
			{"bad home zone", a.ID, prefs{"en", "venue", "Mars/Olympus"}, lanyard.EINVALID, prefs{"ko", "home", "Asia/Seoul"}},
			{"no home zone", a.ID, prefs{"", "venue", ""}, "", prefs{"", "venue", ""}},
			{"no account", noAccount.ID, prefs{"en", "venue", "Europe/Berlin"}, lanyard.ENOTFOUND, prefs{}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				err := db.SetPreferences(ctx, tt.attendee, tt.set.language, tt.set.primary, tt.set.home)
				if tt.code == "" && err != nil {
					t.Fatal(err)
				}
				if tt.code != "" && lanyard.ErrorCode(err) != tt.code {
					t.Fatalf("err=%v, want %s", err, tt.code)
				}
				at, err := db.FindAttendeeByID(ctx, tt.attendee)
				if err != nil {
					t.Fatal(err)
				}
				got := prefs{home: at.HomeZone}
				if acc, err := db.Account(ctx, tt.attendee); err == nil {
					got.language, got.primary = acc.Language, acc.ZonePrimary
				}
				if got != tt.want {
					t.Fatalf("preferences %+v, want %+v", got, tt.want)
				}
			})
		}
	})
}

func TestCalendarToken(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		a := mustSignUp(t, db, ev.ID, "Ada", "ada@example.com", "hash")
		b := mustSignUp(t, db, ev.ID, "Bo", "bo@example.com", "hash")
		noAccount := mustCreateAttendee(t, db, ev.ID, "Imported", "imported@example.com")
		token := func(id int64) string {
			t.Helper()
			tok, err := db.CalendarToken(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
		if got := token(a.ID); got != "" {
			t.Fatalf("token before any %q, want none", got)
		}
		if got := token(noAccount.ID); got != "" {
			t.Fatalf("token of attendee without account %q, want none", got)
		}
		if err := db.SetCalendarToken(ctx, a.ID, "secret-a"); err != nil {
			t.Fatal(err)
		}
		if got, want := token(a.ID), "secret-a"; got != want {
			t.Fatalf("token %q, want %q", got, want)
		}
		if acc, _ := db.Account(ctx, a.ID); acc.CalendarToken != "secret-a" {
			t.Fatalf("account's token %q", acc.CalendarToken)
		}
		owner, err := db.FindAttendeeByCalendarToken(ctx, "secret-a")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := owner.ID, a.ID; got != want {
			t.Fatalf("owner %d, want %d", got, want)
		}
		if err := db.SetCalendarToken(ctx, b.ID, "secret-a"); lanyard.ErrorCode(err) != lanyard.ECONFLICT {
			t.Fatalf("same token twice: err=%v, want ECONFLICT", err)
		}
		if err := db.SetCalendarToken(ctx, noAccount.ID, "secret-x"); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Fatalf("token without account: err=%v, want ENOTFOUND", err)
		}
		// Revoking twice leaves two NULLs, which must not collide.
		for _, id := range []int64{a.ID, b.ID} {
			if err := db.SetCalendarToken(ctx, id, ""); err != nil {
				t.Fatal(err)
			}
		}
		if got := token(a.ID); got != "" {
			t.Fatalf("token after revoke %q, want none", got)
		}
		for _, tok := range []string{"secret-a", "", "unknown"} {
			if _, err := db.FindAttendeeByCalendarToken(ctx, tok); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
				t.Fatalf("find %q: err=%v, want ENOTFOUND", tok, err)
			}
		}
	})
}

func TestSessionStore(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := fixedClock(db)
		s := store.SessionStore{DB: db}
		find := func(token string) ([]byte, bool) {
			t.Helper()
			b, found, err := s.FindCtx(ctx, token)
			if err != nil {
				t.Fatal(err)
			}
			return b, found
		}
		if _, found := find("unknown"); found {
			t.Fatal("unknown token found")
		}
		if err := s.Commit("short", []byte("one"), now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := s.CommitCtx(ctx, "short", []byte("two"), now.Add(time.Minute)); err != nil { // overwrites
			t.Fatal(err)
		}
		if err := s.Commit("long", []byte{}, now.Add(24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if b, found := find("short"); !found || !bytes.Equal(b, []byte("two")) {
			t.Fatalf("find short = %q, %v; want %q, true", b, found, "two")
		}
		if b, found, err := s.Find("long"); err != nil || !found || len(b) != 0 {
			t.Fatalf("find long = %q, %v, %v; want empty, true", b, found, err)
		}

		*now = now.Add(time.Minute) // expiry is exclusive
		if _, found := find("short"); found {
			t.Fatal("expired session found")
		}
		n, err := db.DeleteExpiredSessions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("deleted %d expired sessions, want 1", n)
		}
		// Committing an expired token again revives it (scs renews this way).
		if err := s.Commit("short", []byte("three"), now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if b, found := find("short"); !found || string(b) != "three" {
			t.Fatalf("find renewed = %q, %v", b, found)
		}

		if err := s.Delete("long"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteCtx(ctx, "long"); err != nil { // unknown: no error
			t.Fatal(err)
		}
		if _, found := find("long"); found {
			t.Fatal("deleted session found")
		}
	})
}
