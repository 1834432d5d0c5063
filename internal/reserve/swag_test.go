package reserve_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// exhibitor makes an exhibitor of the fixture's event.
func (f *fixture) exhibitor(t testing.TB, code string) int64 {
	t.Helper()
	x, err := f.db.PutExhibitor(context.Background(), f.cat.Event.ID, lanyard.Exhibitor{Code: code, Name: "Exhibitor " + code})
	if err != nil {
		t.Fatal(err)
	}
	return x.ID
}

func putSwag(t testing.TB, e *reserve.Engine, it lanyard.SwagItem) lanyard.SwagItem {
	t.Helper()
	it, err := e.SwagPut(context.Background(), 0, 0, "", it)
	if err != nil {
		t.Fatalf("put swag %s: %v", it.Name, err)
	}
	return it
}

func swagCode(r lanyard.SwagClaimResult, err error) string {
	if r.Error != nil {
		return r.Error.Code
	}
	if err != nil {
		return lanyard.ErrorCode(err)
	}
	return r.Outcome
}

// TestSwagRules walks claims through each rule, and the state through a
// reload.
func TestSwagRules(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 5)
		acme, other := f.exhibitor(t, "acme"), f.exhibitor(t, "other")
		e := f.open(t, nil)
		socks := putSwag(t, e, lanyard.SwagItem{ExhibitorID: acme, Name: "Socks", Stock: 2})
		talk := putSwag(t, e, lanyard.SwagItem{ExhibitorID: acme, Kind: lanyard.SwagEvent, Name: "Booth talk", Stock: 1, Starts: at(1, 16, 0)})
		if socks.ID == talk.ID || socks.ID == 0 {
			t.Fatalf("item IDs %d, %d", socks.ID, talk.ID)
		}
		a, b, c := f.people[0], f.people[1], f.people[2]
		staff := f.people[4]
		steps := []struct {
			name      string
			exhibitor int64
			who, item int64
			key       string
			want      string
			left      int
		}{
			{"first claim", acme, a, socks.ID, "", lanyard.OutcomeClaimed, 1},
			{"same attendee again", acme, a, socks.ID, "", lanyard.ESwagClaimed, 1},
			{"another booth's staff", other, b, socks.ID, "", lanyard.ENOTFOUND, 0},
			{"unknown item", acme, b, 999, "", lanyard.ENOTFOUND, 0},
			{"last one, with a key", acme, b, socks.ID, "k1", lanyard.OutcomeClaimed, 0},
			{"retry of the key", acme, b, socks.ID, "k1", lanyard.OutcomeClaimed, 0},
			{"none left", 0, c, socks.ID, "", lanyard.ESwagOutOfStock, 0},
			{"event seat", acme, c, talk.ID, "", lanyard.OutcomeClaimed, 0},
			{"event full", acme, a, talk.ID, "", lanyard.ESwagOutOfStock, 0},
		}
		for _, s := range steps {
			r, err := e.SwagClaim(ctx, staff, s.exhibitor, s.who, s.item, s.key)
			if got := swagCode(r, err); got != s.want || (err == nil) != (s.want == lanyard.OutcomeClaimed) {
				t.Fatalf("%s: %s (%v), want %s", s.name, got, err, s.want)
			}
			if s.want != lanyard.ENOTFOUND && r.Left != s.left {
				t.Fatalf("%s: left %d, want %d", s.name, r.Left, s.left)
			}
		}
		if _, err := e.SwagClaim(ctx, staff, acme, b, socks.ID, "k1x"); codeOf(err) != lanyard.ESwagClaimed {
			t.Fatalf("a new key for a claimed item: %v", err)
		}
		if _, err := e.SwagClaim(ctx, staff, acme, c, talk.ID, "k1"); codeOf(err) != lanyard.EINVALID {
			t.Fatalf("a key reused for another claim: %v", err)
		}
		// The stock never goes below the claims; an exhibitor edits only its own.
		socks.Stock = 1
		if _, err := e.SwagPut(ctx, staff, acme, "", socks); codeOf(err) != lanyard.EINVALID {
			t.Fatalf("stock below the claims: %v", err)
		}
		socks.Stock = 3
		if _, err := e.SwagPut(ctx, staff, other, "", socks); codeOf(err) != lanyard.EFORBIDDEN {
			t.Fatalf("another exhibitor's item: %v", err)
		}
		if _, err := e.SwagPut(ctx, staff, acme, "", socks); err != nil {
			t.Fatal(err)
		}
		if r, err := e.SwagClaim(ctx, staff, acme, c, socks.ID, ""); err != nil || r.Left != 0 {
			t.Fatalf("claim after the stock rose: %+v %v", r, err)
		}
		if s, err := e.SwagStock(socks.ID); err != nil || s != lanyard.StockOf(socks.ID, 3, 3) {
			t.Fatalf("published stock %+v %v", s, err)
		}
		before, _ := e.SwagItems(ctx, acme)
		mine, _ := e.SwagClaimed(ctx, c)
		// A reload finds the same state, and the store agrees.
		e.Close()
		e2 := f.open(t, nil)
		after, err := e2.SwagItems(ctx, acme)
		if err != nil || !slices.Equal(before, after) || len(after) != 2 {
			t.Fatalf("after reload %+v (%v), before %+v", after, err, before)
		}
		if got, _ := e2.SwagClaimed(ctx, c); !slices.Equal(got, mine) || !slices.Equal(got, []int64{socks.ID, talk.ID}) {
			t.Fatalf("c's claims after reload %v, before %v", got, mine)
		}
		stored, err := db.SwagItemsOf(ctx, f.cat.Event.ID, acme)
		if err != nil || !slices.Equal(stored, after) {
			t.Fatalf("store %+v (%v), engine %+v", stored, err, after)
		}
		if r, err := e2.SwagClaim(ctx, staff, acme, b, socks.ID, "k1"); err != nil || r.Outcome != lanyard.OutcomeClaimed {
			t.Fatalf("the retried key after a reload: %+v %v", r, err)
		}
		if _, err := e2.SwagClaim(ctx, staff, acme, a, socks.ID, ""); codeOf(err) != lanyard.ESwagClaimed {
			t.Fatalf("a claimed again after reload: %v", err)
		}
	})
}

// TestSwagSecondLine: the store refuses a batch that would claim past the
// stock or twice for one attendee, whatever the engine did.
func TestSwagSecondLine(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 3)
		acme := f.exhibitor(t, "acme")
		e := f.open(t, nil)
		it := putSwag(t, e, lanyard.SwagItem{ExhibitorID: acme, Name: "Hat", Stock: 1})
		if _, err := e.SwagClaim(ctx, 0, 0, f.people[0], it.ID, ""); err != nil {
			t.Fatal(err)
		}
		e.Close()
		snap, err := db.LoadLedger(ctx, f.cat.Event.ID)
		if err != nil {
			t.Fatal(err)
		}
		forged := []struct {
			name string
			b    reserve.Batch
		}{
			{"past the stock", reserve.Batch{SwagClaims: []reserve.SwagClaimRow{{Seq: snap.LastSeq + 1, ItemID: it.ID, AttendeeID: f.people[1]}},
				SwagClaimed: []reserve.SwagDelta{{ItemID: it.ID, Delta: 1}}}},
			{"count without rows", reserve.Batch{SwagClaimed: []reserve.SwagDelta{{ItemID: it.ID, Delta: 1}}}},
			{"twice for one attendee", reserve.Batch{SwagItems: []lanyard.SwagItem{{ID: it.ID, ExhibitorID: acme, Kind: lanyard.SwagThing, Name: "Hat", Stock: 5}},
				SwagClaims:  []reserve.SwagClaimRow{{Seq: snap.LastSeq + 1, ItemID: it.ID, AttendeeID: f.people[0]}},
				SwagClaimed: []reserve.SwagDelta{{ItemID: it.ID, Delta: 1}}}},
			{"stock below the claims", reserve.Batch{SwagItems: []lanyard.SwagItem{{ID: it.ID, ExhibitorID: acme, Kind: lanyard.SwagThing, Name: "Hat", Stock: 0}}}},
		}
		for _, fb := range forged {
			b := fb.b
			b.EventID, b.ID, b.At = f.cat.Event.ID, snap.LastBatch+1, time.Now()
			b.Log = []reserve.LogRow{{Seq: snap.LastSeq + 1, Command: "forged", Outcome: "x"}}
			if err := db.CommitBatch(ctx, &b); err == nil {
				t.Fatalf("%s: the store took it", fb.name)
			}
		}
		got, err := db.SwagItemsOf(ctx, f.cat.Event.ID, acme)
		if err != nil || len(got) != 1 || got[0].Claimed != 1 || got[0].Stock != 1 {
			t.Fatalf("after the forged batches: %+v %v", got, err)
		}
	})
}

// TestSwagRandomized claims one item of stock 50 from 500 attendees on
// 32 goroutines, at random, with repeats and retried keys, then checks the
// invariants: never more than the stock, never two for one attendee, every
// acknowledged claim stored and in the engine after a reload, the log's
// claims the stored ones, and the counts everywhere alike.
func TestSwagRandomized(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 32) // the scanners: idempotency keys are theirs
		acme := f.exhibitor(t, "acme")
		e := f.open(t, nil)
		const stock, people = 50, 500
		it := putSwag(t, e, lanyard.SwagItem{ExhibitorID: acme, Name: "Limited hoodie", Stock: stock})
		other := putSwag(t, e, lanyard.SwagItem{ExhibitorID: acme, Name: "Stickers", Stock: 400})
		var mu sync.Mutex
		acked := map[[2]int64]int{}
		refused := map[string]int{}
		var wg sync.WaitGroup
		for w := range 32 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(7, uint64(w)))
				for n := range 60 {
					who := int64(1_000_000 + r.IntN(people))
					item := it.ID
					if r.IntN(4) == 0 {
						item = other.ID
					}
					key := ""
					if r.IntN(3) == 0 {
						key = fmt.Sprintf("w%d-%d", w, n/2) // every other one a retry of the last
					}
					res, err := e.SwagClaim(ctx, f.people[w], acme, who, item, key)
					mu.Lock()
					switch {
					case err == nil:
						acked[[2]int64{item, who}]++
					case lanyard.ErrorCode(err) == lanyard.ESwagClaimed || lanyard.ErrorCode(err) == lanyard.ESwagOutOfStock:
						refused[lanyard.ErrorCode(err)]++
					case lanyard.ErrorCode(err) == lanyard.EINVALID && key != "":
						// a key reused by this goroutine for another attendee: refused, nothing applied
					default:
						t.Errorf("claim: %+v %v", res, err)
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if refused[lanyard.ESwagOutOfStock] == 0 || refused[lanyard.ESwagClaimed] == 0 {
			t.Fatalf("refusals %v: the run never emptied the stock or repeated an attendee", refused)
		}
		claims, err := db.SwagClaimsAll(ctx, f.cat.Event.ID)
		if err != nil {
			t.Fatal(err)
		}
		stored := map[[2]int64]bool{}
		per := map[int64]int{}
		for _, c := range claims {
			k := [2]int64{c.ItemID, c.AttendeeID}
			if stored[k] {
				t.Fatalf("attendee %d holds two of item %d", c.AttendeeID, c.ItemID)
			}
			stored[k] = true
			per[c.ItemID]++
		}
		if per[it.ID] != stock {
			t.Fatalf("%d claims of the hoodie, stock %d", per[it.ID], stock)
		}
		if per[other.ID] > 400 {
			t.Fatalf("%d stickers of 400", per[other.ID])
		}
		for k := range acked {
			if !stored[k] {
				t.Fatalf("acknowledged claim %v is not stored", k)
			}
		}
		// Retries with a key answer the first claim: acks of one
		// (item, attendee) beyond one come only from them.
		log, err := db.ReservationLog(ctx, f.cat.Event.ID)
		if err != nil {
			t.Fatal(err)
		}
		logged := 0
		for _, l := range log {
			if l.Command == "swag_claim" && l.Outcome == lanyard.OutcomeClaimed {
				logged++
			}
		}
		if logged != len(claims) {
			t.Fatalf("the log has %d claims, the store %d", logged, len(claims))
		}
		e.Close()
		e2 := f.open(t, nil)
		views, err := e2.SwagItems(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := db.SwagItemsOf(ctx, f.cat.Event.ID, 0)
		if err != nil || !slices.Equal(views, rows) {
			t.Fatalf("engine %+v, store %+v (%v)", views, rows, err)
		}
		for _, v := range views {
			if v.Claimed != per[v.ID] {
				t.Fatalf("item %d: engine %d claimed, rows %d", v.ID, v.Claimed, per[v.ID])
			}
		}
		t.Logf("%d claims stored (hoodie %d of %d), refusals %v", len(claims), per[it.ID], stock, refused)
	})
}

// BenchmarkSwagHotItem claims one hot item from 200 scanners at once, each
// claim a different attendee, on SQLite with synchronous=FULL (PostgreSQL
// with LANYARD_TEST_POSTGRES and -bench ...Postgres): claims/s, the p99 of
// one claim, and a check that the stock was never passed.
func BenchmarkSwagHotItem(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchSwag(b, storetest.OpenSQLite(b)) })
	b.Run("postgres", func(b *testing.B) { benchSwag(b, storetest.OpenPostgres(b)) })
}

func benchSwag(b *testing.B, db *store.DB) {
	ctx := context.Background()
	const scanners = 200
	f := newFixture(b, db, 1)
	acme := f.exhibitor(b, "acme")
	e := f.open(b, nil)
	stock := b.N * 9 / 10 // the last tenth is refused: out of stock
	it := putSwag(b, e, lanyard.SwagItem{ExhibitorID: acme, Name: "Hot item", Stock: stock})
	var mu sync.Mutex
	var lat []time.Duration
	claimed := 0
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for s := range scanners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := make([]time.Duration, 0, b.N/scanners+1)
			n := 0
			for who := s; who < b.N; who += scanners {
				t0 := time.Now()
				_, err := e.SwagClaim(ctx, int64(s+1), acme, int64(1_000_000+who), it.ID, "")
				switch {
				case err == nil:
					n++
				case lanyard.ErrorCode(err) != lanyard.ESwagOutOfStock:
					b.Error(err)
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			claimed += n
			mu.Unlock()
		}()
	}
	wg.Wait()
	el := time.Since(start)
	b.StopTimer()
	if claimed != stock {
		b.Fatalf("%d claimed of a stock of %d", claimed, stock)
	}
	rows, err := db.SwagItemsOf(ctx, f.cat.Event.ID, acme)
	if err != nil || rows[0].Claimed != stock {
		b.Fatalf("stored %+v %v, stock %d", rows, err, stock)
	}
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(len(lat))/el.Seconds(), "claims/s")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
}
