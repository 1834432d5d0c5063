package cluster

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// A place's count reaches a node without the lease as seat counts do: the
// batch's NOTIFY brings it, and a place created meanwhile is known too.
func TestOccupancyReachesOtherNodes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := storetest.OpenPostgres(t)
	cat, a := mustEvent(t, db)
	e, err := reserve.Open(ctx, db, cat, reserve.Options{Tick: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	node := &Node{DB: db, Catalog: cat, Log: slog.New(slog.DiscardHandler), ID: "b", URL: "http://b"}
	go node.listen(ctx)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		node.mu.RLock()
		listening := node.occ != nil
		node.mu.RUnlock()
		if listening {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the node never listened")
		}
	}
	if _, err := node.Occupancy("lounge"); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
		t.Fatalf("unknown place: %v", err)
	}
	if _, err := e.PutPlace(ctx, 0, "", lanyard.Place{Code: "lounge", Name: "Lounge", Kind: lanyard.PlaceLounge, Capacity: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Enter(ctx, 0, a, "lounge", ""); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		o, err := node.Occupancy("lounge")
		if err == nil && o.Inside == 1 && o.Full {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the node's count: %+v, %v", o, err)
		}
	}
}
