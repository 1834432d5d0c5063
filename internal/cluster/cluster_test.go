package cluster

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

func mustEvent(t *testing.T, db *store.DB) (*catalog.Catalog, int64) {
	t.Helper()
	ctx := context.Background()
	start := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Hour)
	c := &lanyard.Catalog{
		Event:  lanyard.Event{Slug: "fence", Name: "Fence", TimeZone: "UTC", StartDate: start.Format(time.DateOnly), Days: 3},
		Venues: []lanyard.Venue{{Code: "v", Name: "V", Rooms: []lanyard.Room{{Name: "R", Capacity: 5}}}},
		Sessions: []lanyard.Session{{Code: "S", Title: "S", Type: lanyard.TypeSession, Venue: "v", Room: "R",
			Start: start, End: start.Add(time.Hour), Reservable: true}},
	}
	if _, err := db.ImportCatalog(ctx, c); err != nil {
		t.Fatal(err)
	}
	people := []*lanyard.Attendee{{Name: "A", Email: "a@example.com"}}
	if err := db.CreateAttendees(ctx, c.Event.ID, people); err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Load(ctx, db, &c.Event)
	if err != nil {
		t.Fatal(err)
	}
	return cat, people[0].ID
}

// A node that lost the lease can never write: its engine's next batch is
// refused by the epoch check, and nothing of it is stored.
func TestFencing(t *testing.T) {
	ctx := context.Background()
	db := storetest.OpenPostgres(t)
	cat, attendee := mustEvent(t, db)
	ev := cat.Event.ID

	a, err := db.AcquireLease(ctx, ev, "node-a", "http://a", time.Minute)
	if err != nil || a.Holder != "node-a" || a.Epoch != 1 {
		t.Fatalf("first lease: %+v %v", a, err)
	}
	if b, _ := db.AcquireLease(ctx, ev, "node-b", "http://b", time.Minute); b.Holder != "node-a" {
		t.Fatalf("node-b took a live lease: %+v", b)
	}
	engineA, err := reserve.Open(ctx, db, cat, reserve.Options{Tick: -1, Fence: &reserve.Fence{Holder: "node-a", Epoch: a.Epoch}})
	if err != nil {
		t.Fatal(err)
	}
	defer engineA.Close()
	if _, err := engineA.AddWindow(ctx, 0, "", lanyard.Window{SessionType: lanyard.TypeSession, Opens: time.Now().Add(-time.Hour), Closes: time.Now().Add(time.Hour)}); err != nil {
		t.Fatalf("the holder cannot write: %v", err)
	}

	// node-a stalls past its lease; node-b takes it over.
	if err := db.ReleaseLease(ctx, ev, "node-a"); err != nil {
		t.Fatal(err)
	}
	b, err := db.AcquireLease(ctx, ev, "node-b", "http://b", time.Minute)
	if err != nil || b.Holder != "node-b" || b.Epoch != 2 {
		t.Fatalf("takeover: %+v %v", b, err)
	}
	// The batch fails on the fence (store.ErrLeaseLost, logged); the caller
	// is told to retry, which Forward does against the new holder.
	_, err = engineA.Reserve(ctx, attendee, []string{"S"}, false, "")
	if lanyard.ErrorCode(err) != lanyard.EUNAVAILABLE {
		t.Fatalf("the old holder's write: err=%v, want EUNAVAILABLE", err)
	}
	snap, _ := db.LoadLedger(ctx, ev)
	if len(snap.Reservations) != 0 {
		t.Fatalf("the fenced batch left %d reservations", len(snap.Reservations))
	}
	// The new holder rebuilds and writes.
	engineB, err := reserve.Open(ctx, db, cat, reserve.Options{Tick: -1, Fence: &reserve.Fence{Holder: "node-b", Epoch: b.Epoch}})
	if err != nil {
		t.Fatal(err)
	}
	defer engineB.Close()
	rs, err := engineB.Reserve(ctx, attendee, []string{"S"}, false, "")
	if err != nil || rs[0].Outcome != lanyard.OutcomeReserved {
		t.Fatalf("the new holder's write: %+v %v", rs, err)
	}
	// And node-a renewing finds the lease gone.
	if l, _ := db.AcquireLease(ctx, ev, "node-a", "http://a", time.Minute); l.Holder != "node-b" {
		t.Fatalf("node-a got the lease back from a live holder: %+v", l)
	}
}

// A node taking the lease reads the catalog as stored, not as it was when
// the node started: the last holder may have added a session (whose seat
// row the engine would not know) or moved one.
func TestLeaseTakerReadsChangedCatalog(t *testing.T) {
	ctx := context.Background()
	db := storetest.OpenPostgres(t)
	stale, _ := mustEvent(t, db)
	e, err := reserve.Open(ctx, db, stale, reserve.Options{Tick: -1})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := stale.Session("S")
	n := lanyard.Session{Code: "S-R2", Title: "S", Type: lanyard.TypeSession, Venue: "v", Room: "R",
		Start: s.Start.Add(24 * time.Hour), End: s.End.Add(24 * time.Hour), Reservable: true}
	if err := db.CreateSession(ctx, stale.Event.ID, &n); err != nil {
		t.Fatal(err)
	}
	if _, err := e.AddSession(ctx, 0, "", "S", n); err != nil {
		t.Fatal(err)
	}
	e.Close()
	var got *catalog.Catalog
	node := &Node{DB: db, Catalog: stale, Log: slog.New(slog.DiscardHandler), ID: "b", URL: "http://b", OnCatalog: func(c *catalog.Catalog) { got = c }}
	node.step(ctx)
	defer node.stepDown()
	if node.engine == nil {
		t.Fatal("the node took the lease but started no engine")
	}
	if _, err := node.engine.Seats("S-R2"); err != nil {
		t.Errorf("the engine lacks the added session: %v", err)
	}
	if got == nil {
		t.Fatal("the node's pages were given no catalog")
	}
	if _, err := got.Session("S-R2"); err != nil {
		t.Errorf("the pages' catalog lacks the added session: %v", err)
	}
}

// A node without the lease reads the catalog afresh when the holder
// changes sessions (its pages show the change at once, not at its next
// takeover or restart); a batch of seats alone does not make it read.
func TestCatalogChangeReachesOtherNodes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := storetest.OpenPostgres(t)
	cat, a := mustEvent(t, db)
	e, err := reserve.Open(ctx, db, cat, reserve.Options{Tick: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	got := make(chan *catalog.Catalog, 4)
	node := &Node{DB: db, Catalog: cat, Log: slog.New(slog.DiscardHandler), ID: "b", URL: "http://b", OnCatalog: func(c *catalog.Catalog) { got <- c }}
	go node.listen(ctx)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		node.mu.RLock()
		listening := node.counts != nil
		node.mu.RUnlock()
		if listening {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the node never listened")
		}
	}
	if _, err := e.Reserve(ctx, a, []string{"S"}, false, ""); err != nil {
		t.Fatal(err)
	}
	s, _ := cat.Session("S")
	n := lanyard.Session{Code: "S-R2", Title: "S", Type: lanyard.TypeSession, Venue: "v", Room: "R",
		Start: s.Start.Add(24 * time.Hour), End: s.End.Add(24 * time.Hour), Reservable: true}
	if err := db.CreateSession(ctx, cat.Event.ID, &n); err != nil {
		t.Fatal(err)
	}
	if _, err := e.AddSession(ctx, 0, "", "S", n); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-got:
		if _, err := c.Session("S-R2"); err != nil {
			t.Errorf("the catalog read after the change lacks the new repeat: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the node never read the changed catalog")
	}
	select {
	case <-got:
		t.Error("the node read the catalog more than once: the reservation alone made it read")
	case <-time.After(200 * time.Millisecond):
	}
}
