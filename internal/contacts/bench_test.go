package contacts_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/lanyardhq/lanyard/internal/contacts"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// BenchmarkSync500 uploads a phone's queue of 500 scans (each of another
// attendee, two-way) through the sync API over TLS, on SQLite and
// PostgreSQL: the worst batch the app sends after a day offline.
// Reported per batch.
func BenchmarkSync500(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchSync(b, storetest.OpenSQLite(b)) })
	b.Run("postgres", func(b *testing.B) { benchSync(b, storetest.OpenPostgres(b)) })
}

func benchSync(b *testing.B, db *store.DB) {
	e := newEnv(b, db)
	ctx := context.Background()
	others := make([]string, 500)
	for i := range others {
		a := &lanyard.Attendee{Name: fmt.Sprintf("Other %d", i), Email: fmt.Sprintf("other%d@example.com", i), Role: lanyard.RoleAttendee}
		if err := db.CreateAttendees(ctx, e.ev.ID, []*lanyard.Attendee{a}); err != nil {
			b.Fatal(err)
		}
		tok, _, err := e.badges.Token(ctx, a)
		if err != nil {
			b.Fatal(err)
		}
		others[i] = tok
	}
	c := e.signIn("Ada")
	b.ResetTimer()
	for n := 0; b.Loop(); n++ {
		scans := make([]contacts.Scan, len(others))
		for i, tok := range others {
			scans[i] = contacts.Scan{Nonce: fmt.Sprintf("bench-%d-%d", n, i), Code: tok}
		}
		if status, res := c.sync(scans...); status != http.StatusOK || len(res) != len(scans) {
			b.Fatalf("sync: %d, %d results", status, len(res))
		}
	}
}
