package reserve_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// Claims racing a retire: never more claims than the stock, no claim
// acknowledged after the retire was, the claims made stay, and the
// retire holds after a reload (a restart, or the next lease holder).
// Another exhibitor's staff cannot retire the item. On both databases.
func TestSwagRetireRace(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const people, stock = 60, 50
		f := newFixture(t, db, people)
		acme, other := f.exhibitor(t, "acme"), f.exhibitor(t, "other")
		e := f.open(t, nil)
		socks := putSwag(t, e, lanyard.SwagItem{ExhibitorID: acme, Name: "Socks", Stock: stock})
		if _, err := e.SwagRetire(ctx, f.people[0], other, socks.ID, ""); codeOf(err) != lanyard.EFORBIDDEN {
			t.Fatalf("another exhibitor retires: %v", err)
		}
		if _, err := e.SwagRetire(ctx, f.people[0], acme, 999, ""); codeOf(err) != lanyard.ENOTFOUND {
			t.Fatalf("retire of no item: %v", err)
		}

		var retiredAt atomic.Int64 // UnixNano when SwagRetire returned; 0 before
		type claim struct {
			ok         bool
			code       string
			start, end int64
		}
		results := make([]claim, people)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range people {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				time.Sleep(time.Duration(i) * 100 * time.Microsecond) // spread across the retire

				s := time.Now().UnixNano()
				r, err := e.SwagClaim(ctx, 0, acme, f.people[i], socks.ID, "")
				results[i] = claim{ok: err == nil && r.Outcome == lanyard.OutcomeClaimed, code: swagCode(r, err), start: s, end: time.Now().UnixNano()}
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			time.Sleep(2 * time.Millisecond)
			if _, err := e.SwagRetire(ctx, f.people[0], acme, socks.ID, "retire-1"); err != nil {
				t.Errorf("retire: %v", err)
			}
			retiredAt.Store(time.Now().UnixNano())
		}()
		close(start)
		wg.Wait()
		ack := retiredAt.Load()
		claimed := 0
		for i, c := range results {
			switch {
			case c.ok:
				claimed++
				if c.start > ack {
					t.Errorf("claim %d began after the retire was acknowledged and succeeded", i)
				}
			case c.code != lanyard.ESwagRetired && c.code != lanyard.ESwagOutOfStock:
				t.Errorf("claim %d: %s", i, c.code)
			case c.start > ack && c.code != lanyard.ESwagRetired:
				t.Errorf("claim %d after the retire: %s, want swag_retired", i, c.code)
			}
		}
		if claimed > stock {
			t.Fatalf("%d claims of a stock of %d", claimed, stock)
		}
		// After the acknowledgement, every claim is refused with the code.
		for _, who := range f.people[:5] {
			if r, err := e.SwagClaim(ctx, 0, acme, who, socks.ID, ""); swagCode(r, err) != lanyard.ESwagRetired && swagCode(r, err) != lanyard.ESwagClaimed {
				t.Fatalf("claim after the retire: %s", swagCode(r, err))
			}
		}
		if _, err := e.SwagPut(ctx, 0, acme, "", lanyard.SwagItem{ID: socks.ID, ExhibitorID: acme, Name: "Socks", Stock: stock + 5}); codeOf(err) != lanyard.ESwagRetired {
			t.Fatalf("a retired item changed: %v", err)
		}
		// The store keeps the claims and the flag; a reload refuses too.
		stored, err := db.SwagItemsOf(ctx, f.cat.Event.ID, acme)
		if err != nil || len(stored) != 1 || !stored[0].Retired || stored[0].Claimed != claimed {
			t.Fatalf("stored %+v (%v), want retired with %d claims", stored, err, claimed)
		}
		e.Close()
		e2 := f.open(t, nil)
		if r, err := e2.SwagClaim(ctx, 0, acme, f.people[people-1], socks.ID, ""); !(swagCode(r, err) == lanyard.ESwagRetired || results[people-1].ok) {
			t.Fatalf("claim after a reload: %s", swagCode(r, err))
		}
		items, err := e2.SwagItems(ctx, acme)
		if err != nil || len(items) != 1 || !items[0].Retired || items[0].Claimed != claimed {
			t.Fatalf("after reload %+v %v", items, err)
		}
		retired := 0
		for _, c := range results {
			if c.code == lanyard.ESwagRetired {
				retired++
			}
		}
		t.Logf("%d of %d claims made it before the retire (stock %d), %d refused swag_retired", claimed, people, stock, retired)
	})
}
