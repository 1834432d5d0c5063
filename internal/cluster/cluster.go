// Package cluster runs lanyard on several nodes sharing one PostgreSQL:
// exactly one node at a time holds an event's ledger lease and runs its
// reservation engine; the others forward seat commands to it over HTTP and
// learn seat counts from PostgreSQL NOTIFY. When the holder dies its lease
// expires and another node takes it, rebuilding the engine from the
// database; forwarders retry meanwhile, idempotently.
package cluster

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
)

// Lease timing: a holder renews every Renew and its lease lasts TTL, so a
// dead holder is replaced within TTL + Renew.
const (
	TTL   = 3 * time.Second
	Renew = time.Second
)

// Node is one lanyard process of a cluster, for one event.
type Node struct {
	DB      *store.DB
	Catalog *catalog.Catalog
	Log     *slog.Logger
	// URL is where other nodes reach this one.
	URL string
	// ID names this node in the lease; a random one when empty.
	ID string
	// OnCatalog, if set, is given the catalog read afresh each time the
	// node takes the lease: organizers' changes since the node started
	// (docs/ARCHITECTURE.md "Catalog changes"), for the node's pages.
	OnCatalog func(*catalog.Catalog)

	mu     sync.RWMutex
	engine *reserve.Engine // while this node holds the lease
	lease  store.Lease
	// until is when this node's hold on the lease ends unless renewed
	// (measured from before the renewal was sent, so it errs early).
	until   time.Time
	counts  map[string]lanyard.SeatCount // seat counts heard from the holder
	occ     map[string]lanyard.Occupancy // === places (issue 13): places' counts heard from the holder
	started chan struct{}                // closed after the first lease attempt
	stopped chan struct{}                // closed when run has given the lease up

	relayOnce   sync.Once
	relayClient *http.Client // relays ledger requests to the holder
}

// Start begins taking or following the lease, and listening for seat
// counts, until ctx is done; then the node gives the lease up (Wait waits
// for that). It returns once the node knows who holds the lease.
func (n *Node) Start(ctx context.Context) error {
	if n.ID == "" {
		b := make([]byte, 6)
		rand.Read(b)
		n.ID = hex.EncodeToString(b)
	}
	n.started, n.stopped = make(chan struct{}), make(chan struct{})
	counts, err := n.DB.SeatCounts(ctx, n.Catalog.Event.ID)
	if err != nil {
		return err
	}
	occ, err := n.DB.Occupancies(ctx, n.Catalog.Event.ID)
	if err != nil {
		return err
	}
	n.mu.Lock()
	n.counts = counts
	n.occ = occ
	n.mu.Unlock()
	go n.listen(ctx)
	go n.run(ctx)
	select {
	case <-n.started:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Wait blocks until a stopped node has given its lease up.
func (n *Node) Wait() { <-n.stopped }

func (n *Node) run(ctx context.Context) {
	defer close(n.stopped)
	t := time.NewTicker(Renew)
	defer t.Stop()
	first := true
	for {
		n.step(ctx)
		if first {
			close(n.started)
			first = false
		}
		select {
		case <-ctx.Done():
			n.stepDown()
			n.DB.ReleaseLease(context.WithoutCancel(ctx), n.Catalog.Event.ID, n.ID)
			return
		case <-t.C:
		}
	}
}

// step renews or takes the lease, starting or stopping the engine.
func (n *Node) step(ctx context.Context) {
	sent := time.Now()
	l, err := n.DB.AcquireLease(ctx, n.Catalog.Event.ID, n.ID, n.URL, TTL)
	if err != nil {
		if ctx.Err() == nil {
			n.Log.Warn("lease check failed", "err", err)
		}
		return // the fence keeps a stale engine from writing; try again next tick
	}
	mine := l.Holder == n.ID
	n.mu.Lock()
	prev := n.lease
	n.lease = l
	if mine {
		n.until = sent.Add(TTL)
	}
	running := n.engine != nil
	n.mu.Unlock()
	switch {
	case mine && (!running || prev.Epoch != l.Epoch):
		n.stepDown()
		// The catalog as stored now: the last holder may have changed
		// sessions or added some, which the engine's rows name.
		cat, err := catalog.Load(ctx, n.DB, n.Catalog.Event)
		if err != nil {
			n.Log.Error("took the lease but could not read the catalog", "epoch", l.Epoch, "err", err)
			return
		}
		e, err := reserve.Open(ctx, n.DB, cat, reserve.Options{Log: n.Log, Fence: &reserve.Fence{Holder: n.ID, Epoch: l.Epoch}})
		if err != nil {
			n.Log.Error("took the lease but could not start the engine", "epoch", l.Epoch, "err", err)
			return
		}
		n.mu.Lock()
		n.engine = e
		n.mu.Unlock()
		if n.OnCatalog != nil {
			n.OnCatalog(cat)
		}
		n.Log.Info("holding the ledger lease", "event", n.Catalog.Event.Slug, "epoch", l.Epoch)
	case !mine && running:
		n.stepDown()
		n.Log.Info("lost the ledger lease", "holder", l.Holder, "epoch", l.Epoch)
	}
}

func (n *Node) stepDown() {
	n.mu.Lock()
	e := n.engine
	n.engine = nil
	n.mu.Unlock()
	if e != nil {
		e.Close()
	}
}

// listen keeps the seat counts current from the holder's notices.
func (n *Node) listen(ctx context.Context) {
	for ctx.Err() == nil {
		// Read the counts once listening, on every (re)connect, so that no
		// batch committed in between goes unseen.
		reload := func() {
			counts, err := n.DB.SeatCounts(ctx, n.Catalog.Event.ID)
			if err != nil {
				n.Log.Warn("seat counts not reloaded", "err", err)
				return
			}
			occ, err := n.DB.Occupancies(ctx, n.Catalog.Event.ID)
			if err != nil {
				n.Log.Warn("place counts not reloaded", "err", err)
				return
			}
			n.mu.Lock()
			n.counts = counts
			n.occ = occ
			n.mu.Unlock()
		}
		err := n.DB.ListenSeats(ctx, reload, func(s store.SeatNotice) {
			if s.Event != n.Catalog.Event.ID {
				return
			}
			if s.Catalog {
				n.catalogChanged(ctx)
			}
			n.mu.Lock()
			for _, c := range s.Counts {
				n.counts[c.Code] = c.Count
			}
			for _, o := range s.Places {
				n.occ[o.Place] = o
			}
			n.mu.Unlock()
		})
		if err != nil && ctx.Err() == nil {
			n.Log.Warn("seat notices interrupted; listening again", "err", err)
			time.Sleep(time.Second)
		}
	}
}

// catalogChanged reads the catalog afresh after the holder changed
// sessions, so this node's pages show what its engine-less reads would
// otherwise show stale until it takes the lease or restarts. The holder
// itself has the new catalog already (the change swapped it).
func (n *Node) catalogChanged(ctx context.Context) {
	if n.OnCatalog == nil || n.Local() != nil {
		return
	}
	cat, err := catalog.Load(ctx, n.DB, n.Catalog.Event)
	if err != nil {
		n.Log.Warn("the catalog changed but could not be read", "err", err)
		return
	}
	n.OnCatalog(cat)
}

// Local returns this node's engine while it surely holds the lease, or
// nil. Past the lease's known end without a renewal (the database out of
// reach), the engine's memory may be stale: another node may have taken
// over. Its writes would be fenced anyway; this keeps its reads honest too.
func (n *Node) Local() *reserve.Engine {
	n.mu.RLock()
	defer n.mu.RUnlock()
	if time.Now().After(n.until) {
		return nil
	}
	return n.engine
}

// Leader returns the URL of the lease holder, and whether it is this node.
func (n *Node) Leader() (url string, self bool) {
	self = n.Local() != nil
	n.mu.RLock()
	defer n.mu.RUnlock()
	return n.lease.URL, self
}

var _ reserve.Counts = (*Node)(nil)

// Seats returns a session's seat counts: the engine's on the holder, the
// last notice's elsewhere.
func (n *Node) Seats(code string) (lanyard.SeatCount, error) {
	if e := n.Local(); e != nil {
		return e.Seats(code)
	}
	n.mu.RLock()
	c, ok := n.counts[code]
	n.mu.RUnlock()
	if !ok {
		return c, lanyard.Errorf(lanyard.ENOTFOUND, "No session %q.", code)
	}
	return c, nil
}

var _ reserve.Occupancies = (*Node)(nil)

// Occupancy returns a place's count (issue 13): the engine's on the
// holder, the last notice's elsewhere, as Seats does for seats.
func (n *Node) Occupancy(place string) (lanyard.Occupancy, error) {
	if e := n.Local(); e != nil {
		return e.Occupancy(place)
	}
	n.mu.RLock()
	o, ok := n.occ[place]
	n.mu.RUnlock()
	if !ok {
		return o, lanyard.Errorf(lanyard.ENOTFOUND, "No place %q.", place)
	}
	return o, nil
}
