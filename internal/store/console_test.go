package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// The reservation log has no index but its key, so the console turns
// instants into sequence ranges by a binary search: commands of the batches
// committed in [From, To), newest first, and the dashboard's activity since
// an instant, for every boundary (before the first batch, between, after
// the last).
func TestCommandsByTime(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		a := mustCreateAttendee(t, db, ev.ID, "Ada", "ada@example.com")
		base := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
		seq := int64(0)
		// Batches 1..5, one minute apart, with i refusals each (batch 3 with none).
		for i := int64(1); i <= 5; i++ {
			b := &reserve.Batch{EventID: ev.ID, ID: i, At: base.Add(time.Duration(i) * time.Minute)}
			n := i
			if i == 3 {
				n = 0
			}
			for k := int64(0); k < n; k++ {
				seq++
				b.Log = append(b.Log, reserve.LogRow{Seq: seq, AttendeeID: a.ID, Command: "reserve", Outcome: lanyard.OutcomeRefused, Detail: "session_full"})
			}
			if err := db.CommitBatch(ctx, b); err != nil {
				t.Fatal(err)
			}
		}
		count := func(from, to time.Time) int {
			t.Helper()
			cmds, err := db.FindCommands(ctx, ev.ID, store.CommandFilter{AttendeeID: a.ID, From: from, To: to, Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			for i := 1; i < len(cmds); i++ {
				if cmds[i].Seq >= cmds[i-1].Seq {
					t.Fatalf("commands not newest first: %d after %d", cmds[i].Seq, cmds[i-1].Seq)
				}
			}
			return len(cmds)
		}
		at := func(m int) time.Time { return base.Add(time.Duration(m) * time.Minute) }
		for _, tc := range []struct {
			name     string
			from, to time.Time
			want     int
		}{
			{"all", time.Time{}, time.Time{}, 1 + 2 + 4 + 5},
			{"from before the first", at(0), time.Time{}, 12},
			{"from the second", at(2), time.Time{}, 2 + 4 + 5},
			{"from the empty third", at(3), time.Time{}, 4 + 5},
			{"from between", at(2).Add(30 * time.Second), time.Time{}, 4 + 5},
			{"from after the last", at(6), time.Time{}, 0},
			{"to the third", time.Time{}, at(3), 1 + 2},
			{"second to fifth", at(2), at(5), 2 + 4},
			{"to before the first", time.Time{}, at(0), 0},
		} {
			if got := count(tc.from, tc.to); got != tc.want {
				t.Errorf("%s: %d commands, want %d", tc.name, got, tc.want)
			}
		}
		d, err := db.ActivitySince(ctx, ev.ID, 0, at(4))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, c := range d.Counts {
			n += c.N
		}
		if got, want := n, 4+5; got != want {
			t.Errorf("activity since the fourth batch counts %d commands, want %d", got, want)
		}
	})
}

// BenchmarkFindCommands measures the audit page's search by attendee on a
// log of 500,000 commands (a rush of 65,000 attendees writes about that
// many): the log has no attendee index, so a search walks it from the
// newest row until it has a page.
func BenchmarkFindCommands(b *testing.B) {
	ctx := context.Background()
	db := storetest.OpenSQLite(b)
	ev := mustImport(b, db, testCatalog())
	a := mustCreateAttendee(b, db, ev.ID, "Ada", "ada@example.com")
	const rows, perBatch = 500_000, 4096
	seq := int64(0)
	for id := int64(1); seq < rows; id++ {
		bt := &reserve.Batch{EventID: ev.ID, ID: id, At: time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC).Add(time.Duration(id) * time.Second)}
		for k := 0; k < perBatch && seq < rows; k++ {
			seq++
			who := int64(1_000_000 + seq%65_000) // others
			if seq%50_000 == 0 {
				who = a.ID // Ada: ten commands, spread over the log
			}
			bt.Log = append(bt.Log, reserve.LogRow{Seq: seq, AttendeeID: who, Command: "reserve", Outcome: lanyard.OutcomeReserved})
		}
		if err := db.CommitBatch(ctx, bt); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		cmds, err := db.FindCommands(ctx, ev.ID, store.CommandFilter{AttendeeID: a.ID, Limit: 50})
		if err != nil || len(cmds) != 10 {
			b.Fatalf("%d commands (%v), want 10", len(cmds), err)
		}
	}
}
