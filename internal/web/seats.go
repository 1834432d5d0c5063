package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// maxWatched bounds the sessions one page may watch.
const maxWatched = 400

// seatFeed pushes seat counts to open pages. One goroutine reads every
// session's count once a tick and hands the changes to the subscribers,
// so the cost does not grow with the number of open pages; the engine
// (local, or another node's counts via NOTIFY) is the source.
type seatFeed struct {
	catalog *atomic.Pointer[catalog.Catalog]
	engine  interface {
		Seats(code string) (lanyard.SeatCount, error)
	}

	mu     sync.Mutex
	subs   map[chan map[string]seatView]struct{}
	closed bool
}

// seatView is what a page shows of a session's seats.
type seatView struct {
	Left int `json:"left"`
	Wait int `json:"wait"`
}

func newSeatFeed(c *atomic.Pointer[catalog.Catalog], e interface {
	Seats(string) (lanyard.SeatCount, error)
}) *seatFeed {
	return &seatFeed{catalog: c, engine: e, subs: map[chan map[string]seatView]struct{}{}}
}

func (f *seatFeed) run(ctx context.Context, tick time.Duration) {
	t := time.NewTicker(tick)
	defer t.Stop()
	last := map[string]seatView{}
	for {
		select {
		case <-ctx.Done():
			f.mu.Lock()
			f.closed = true
			for ch := range f.subs {
				close(ch)
				delete(f.subs, ch)
			}
			f.mu.Unlock()
			return
		case <-t.C:
		}
		changed := map[string]seatView{}
		for _, s := range f.catalog.Load().Sessions() {
			if !s.Reservable {
				continue
			}
			c, err := f.engine.Seats(s.Code)
			if err != nil {
				continue
			}
			v := seatView{Left: c.SeatsLeft, Wait: c.WaitlistLength}
			if old, ok := last[s.Code]; !ok || old != v {
				last[s.Code] = v
				changed[s.Code] = v
			}
		}
		if len(changed) == 0 {
			continue
		}
		f.mu.Lock()
		for ch := range f.subs {
			select {
			case ch <- changed:
			default:
				// A page that cannot keep up is dropped; its script
				// reconnects and starts from fresh counts.
				close(ch)
				delete(f.subs, ch)
			}
		}
		f.mu.Unlock()
	}
}

func (f *seatFeed) subscribe() (chan map[string]seatView, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil, false
	}
	ch := make(chan map[string]seatView, 4)
	f.subs[ch] = struct{}{}
	return ch, true
}

func (f *seatFeed) unsubscribe(ch chan map[string]seatView) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.subs[ch]; ok {
		delete(f.subs, ch)
		close(ch)
	}
}

// seatEvents streams seat counts of the sessions named in ?codes= as
// server-sent events: the current counts at once, then each change.
func (h *Handler) seatEvents(w http.ResponseWriter, r *http.Request) {
	c := h.Catalog.Load()
	watch := map[string]bool{}
	for code := range strings.SplitSeq(r.URL.Query().Get("codes"), ",") {
		if _, err := c.Session(code); err == nil {
			watch[code] = true
		}
		if len(watch) > maxWatched {
			http.Error(w, fmt.Sprintf("Watch at most %d sessions.", maxWatched), http.StatusBadRequest)
			return
		}
	}
	ch, ok := h.seats.subscribe()
	if !ok {
		http.Error(w, "Shutting down.", http.StatusServiceUnavailable)
		return
	}
	defer h.seats.unsubscribe(ch)
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no") // proxies must not hold events back

	send := func(counts map[string]seatView) error {
		b, _ := json.Marshal(counts)
		if _, err := fmt.Fprintf(w, "event: seats\ndata: %s\n\n", b); err != nil {
			return err
		}
		return rc.Flush()
	}
	now := map[string]seatView{}
	for code := range watch {
		if s, err := h.counts().Seats(code); err == nil {
			now[code] = seatView{Left: s.SeatsLeft, Wait: s.WaitlistLength}
		}
	}
	// retry: tells EventSource how soon to reconnect after a drop.
	fmt.Fprint(w, "retry: 2000\n\n")
	if err := send(now); err != nil {
		return
	}
	keepAlive := time.NewTicker(20 * time.Second)
	defer keepAlive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-keepAlive.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		case changed, ok := <-ch:
			if !ok {
				return // shutting down, or too slow
			}
			mine := map[string]seatView{}
			for code, v := range changed {
				if watch[code] {
					mine[code] = v
				}
			}
			if len(mine) > 0 && send(mine) != nil {
				return
			}
		}
	}
}
