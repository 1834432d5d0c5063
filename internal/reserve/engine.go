package reserve

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// MaxBatch bounds how many commands share one transaction, so one commit
// stays short even when a rush queues tens of thousands.
const MaxBatch = 4096

// MaxSessionsPerRequest is how many sessions one reserve request may name
// (as the AWS Events API allows).
const MaxSessionsPerRequest = 10

// errBatchFailed answers the commands of a batch whose commit failed (the
// cause is logged): nothing of them was written, so a retry is safe.
var errBatchFailed = lanyard.Errorf(lanyard.EUNAVAILABLE, "Your request could not be saved and was not applied; try again in a moment.")

// ErrClosed is returned by commands sent after Close.
var ErrClosed = lanyard.Errorf(lanyard.EUNAVAILABLE, "The reservation engine is shutting down; try again in a moment.")

// Engine is the one writer of an event's seats. Create it with Open; it is
// safe for concurrent use.
type Engine struct {
	store   Store
	eventID int64
	fence   *Fence
	log     *slog.Logger
	// Now returns the current time; tests replace it before Open.
	now func() time.Time

	cmds   chan *command
	done   chan struct{}
	exited chan struct{} // closed when the loop has answered its last command
	closed atomic.Bool
	wg     sync.WaitGroup

	// counts are published after each commit for lock-free reads of seats left.
	mu     sync.RWMutex
	counts map[string]lanyard.SeatCount
	occ    map[string]lanyard.Occupancy // === places (issue 13): places' counts, as counts
	// === swag (issue 14): items' counts, as counts
	swagStock map[int64]lanyard.SwagStock

	// st is owned by the loop goroutine.
	st *state
}

// Options configure an Engine.
type Options struct {
	Log *slog.Logger
	// Now returns the current time (time.Now when nil).
	Now func() time.Time
	// Tick is how often timed work (waves, fair draws, seat releases) is
	// checked; 0 means every second, negative never (tests call Tick).
	Tick time.Duration
	// Fence, when set, is checked by every batch: the engine of a node
	// that lost the event's lease can never write.
	Fence *Fence
}

// Open rebuilds the event's seat state from the store and starts the engine.
func Open(ctx context.Context, st Store, cat *catalog.Catalog, opt Options) (*Engine, error) {
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	e := &Engine{
		store:   st,
		eventID: cat.Event.ID,
		fence:   opt.Fence,
		log:     opt.Log,
		now:     opt.Now,
		cmds:    make(chan *command, MaxBatch),
		done:    make(chan struct{}),
		exited:  make(chan struct{}),
	}
	snap, err := e.store.LoadLedger(ctx, e.eventID)
	if err != nil {
		return nil, fmt.Errorf("reserve: load: %w", err)
	}
	if e.st, err = newState(cat, snap, e.now()); err != nil {
		return nil, err
	}
	// Seat rows are written for sessions imported since the last start, and
	// reservable counts follow capacity changes.
	if err := e.syncSeats(ctx, snap.Seats); err != nil {
		return nil, err
	}
	e.publish()
	e.wg.Add(1)
	go e.loop(opt.Tick)
	return e, nil
}

func (e *Engine) load(ctx context.Context, cat *catalog.Catalog) (*state, error) {
	snap, err := e.store.LoadLedger(ctx, e.eventID)
	if err != nil {
		return nil, fmt.Errorf("reserve: load: %w", err)
	}
	return newState(cat, snap, e.now())
}

// syncSeats writes seat rows whose stored reservable count differs from the
// one the current catalog and settings give; seats are the rows as loaded.
func (e *Engine) syncSeats(ctx context.Context, seats []SeatRow) error {
	stored := make(map[int64]SeatRow, len(seats))
	for _, r := range seats {
		stored[r.SessionID] = r
	}
	b := newBuilder(e.st, e.eventID, e.now())
	var missing []int64
	for i := range e.st.seats {
		s := &e.st.seats[i]
		r, ok := stored[s.s.ID]
		switch {
		case !ok:
			missing = append(missing, s.s.ID)
			b.hit[int32(i)] = true
		case r.Taken != s.taken:
			return fmt.Errorf("reserve: session %s: seat row says %d taken, reservations say %d", s.s.Code, r.Taken, s.taken)
		case r.Reservable != s.reservable:
			b.hit[int32(i)] = true
		}
	}
	if len(b.hit) == 0 {
		return nil
	}
	batch := b.finish()
	batch.Fence = e.fence
	batch.NewSeats = missing
	// A new seat row starts at 0 taken; the reservations it counts, if any, come with it.
	for k := range batch.Seats {
		if _, had := stored[batch.Seats[k].SessionID]; !had {
			batch.Seats[k].TakenDelta = e.st.seats[e.st.byID[batch.Seats[k].SessionID]].taken
		}
	}
	if err := e.store.CommitBatch(ctx, batch); err != nil {
		return fmt.Errorf("reserve: sync seats: %w", err)
	}
	e.st.batch = batch.ID
	return nil
}

// Close stops the engine after the commands already queued are answered.
func (e *Engine) Close() {
	if e.closed.Swap(true) {
		return
	}
	close(e.done)
	e.wg.Wait()
}

// command is one request to the loop.
type command struct {
	kind     string
	attendee int64
	codes    []string
	waitlist bool
	idemKey  string
	idemReq  string
	// fn runs every other command against the state, recording its effects
	// in the builder, and returns the command's answer.
	fn    func(b *builder) (any, error)
	reply chan reply
}

// reply is a command's answer. A replayed idempotent answer arrives as the
// json.RawMessage stored with the first one; as decodes either.
type reply struct {
	value any
	err   error
}

// as returns a command's answer as a T.
func as[T any](v any, err error) (T, error) {
	var t T
	if err != nil {
		return t, err
	}
	switch x := v.(type) {
	case nil:
		return t, nil
	case T:
		return x, nil
	case json.RawMessage:
		if err := json.Unmarshal(x, &t); err != nil {
			return t, fmt.Errorf("reserve: stored answer: %w", err)
		}
		return t, nil
	}
	return t, fmt.Errorf("reserve: answer is a %T, not a %T", v, t)
}

// send queues a command and waits for its answer.
func (e *Engine) send(ctx context.Context, c *command) (any, error) {
	if e.closed.Load() {
		return nil, ErrClosed
	}
	c.reply = make(chan reply, 1)
	select {
	case e.cmds <- c:
	case <-e.done:
		return nil, ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	// Once queued, the command is applied whatever the caller does; wait for
	// the answer so that a caller never mistakes a committed command for a lost one.
	select {
	case r := <-c.reply:
		return r.value, r.err
	case <-e.exited:
		// The loop answers before it exits, so an answer is either here
		// now or the command was queued after the loop's last look.
		select {
		case r := <-c.reply:
			return r.value, r.err
		default:
			return nil, ErrClosed
		}
	}
}

func (e *Engine) loop(tick time.Duration) {
	defer e.wg.Done()
	defer close(e.exited)
	// Requests still waiting in fair pools were never applied: tell them.
	defer func() {
		for _, w := range e.st.windows {
			for _, c := range w.pooled {
				c.reply <- reply{err: ErrClosed}
			}
			w.pooled = nil
		}
	}()
	if tick == 0 {
		tick = time.Second
	}
	var ticker <-chan time.Time
	if tick > 0 {
		t := time.NewTicker(tick)
		defer t.Stop()
		ticker = t.C
	}
	// The loop pipelines: while one batch commits, the next is applied in
	// memory. The next batch's answers wait for its own commit, which comes
	// after the first's; if the first fails, the state is rebuilt and the
	// next fails too, since it may rest on the first's effects.
	var inflight *pending
	for {
		var first *command
		timed := false
		var committed <-chan error
		if inflight != nil {
			committed = inflight.done
		}
		select {
		case first = <-e.cmds:
		case <-ticker:
			timed = true
		case err := <-committed:
			e.settle(inflight, err)
			inflight = nil
			continue
		case <-e.done:
			if inflight != nil {
				e.settle(inflight, <-inflight.done)
			}
			for { // answer what is queued, then stop
				select {
				case c := <-e.cmds:
					p := e.begin()
					e.add(p, c)
					e.seal(p, false)
					e.commit(p)
					e.settle(p, <-p.done)
				default:
					return
				}
			}
		}
		p := e.begin()
		if first != nil {
			e.add(p, first)
		}
	drain:
		for len(p.cmds) < MaxBatch {
			select {
			case c := <-e.cmds:
				e.add(p, c)
			default:
				break drain
			}
		}
		if inflight == nil {
			e.seal(p, timed)
			e.commit(p)
			inflight = p
			continue
		}
		// This batch cannot commit before the one in flight: until that is
		// done, keep applying what arrives. The batch grows with the load,
		// at no cost in latency, and applying overlaps committing.
		prev := inflight
		inflight = nil
		var err error
	gather:
		for {
			if len(p.cmds) >= MaxBatch {
				err = <-prev.done
				break
			}
			select {
			case c := <-e.cmds:
				e.add(p, c)
			case err = <-prev.done:
				break gather
			}
		}
		e.seal(p, timed)
		if err != nil {
			e.settle(prev, err)
			e.answer(p, errBatchFailed)
			continue
		}
		// Start the next commit before answering the last batch's
		// callers, so the database never waits on the answering.
		e.commit(p)
		inflight = p
		e.settle(prev, nil)
	}
}

// pending is a batch applied in memory whose commit has not been settled.
type pending struct {
	b       *builder
	timed   bool // do the timed work when sealing
	batch   *Batch
	cmds    []*command
	answers []reply
	pooled  []bool // commands held in a fair pool, answered when it is drawn
	drawn   []drawnCommand
	done    chan error
}

// begin starts a batch. Pools whose fair seconds are over are drawn before
// anything else, so no later request overtakes them.
func (e *Engine) begin() *pending {
	now := e.now()
	b := newBuilder(e.st, e.eventID, now)
	return &pending{b: b, drawn: e.draw(b, now), cmds: make([]*command, 0, 64), done: make(chan error, 1)}
}

// add applies one command to the state, into p.
func (e *Engine) add(p *pending, c *command) {
	p.cmds = append(p.cmds, c)
	var r reply
	pooled := false
	switch {
	case c.kind == "tick":
		p.timed = true
	case c.kind == "reserve" && e.pool(c, p.b.now):
		pooled = true
	default:
		r = e.apply(p.b, c)
	}
	p.answers = append(p.answers, r)
	p.pooled = append(p.pooled, pooled)
}

// seal does the timed work (if due) and turns p's effects into its batch.
func (e *Engine) seal(p *pending, timed bool) {
	b := p.b
	if timed || p.timed {
		e.due(b, b.now)
	}
	p.batch = b.finish()
	if !p.batch.empty() {
		e.st.batch = p.batch.ID
	}
	p.batch.Fence = e.fence
	p.batch.Counts = make([]CountRow, 0, len(b.hit))
	for i := range b.hit {
		p.batch.Counts = append(p.batch.Counts, CountRow{e.st.seats[i].s.Code, e.st.count(i)})
	}
}

// commit writes p's batch in the background; p.done receives the outcome.
func (e *Engine) commit(p *pending) {
	if p.batch.empty() {
		p.done <- nil
		return
	}
	go func() {
		start := time.Now()
		err := e.store.CommitBatch(context.Background(), p.batch)
		e.log.Debug("batch committed", "batch", p.batch.ID, "commands", len(p.cmds), "took", time.Since(start), "err", err)
		p.done <- err
	}()
}

// settle answers p's commands once its commit is known. A failed commit
// rebuilds the state from the store, which undoes exactly the batch.
func (e *Engine) settle(p *pending, err error) {
	if err != nil {
		e.log.Error("batch failed; rebuilding seat state from the store", "batch", p.batch.ID, "commands", len(p.cmds), "err", err)
		e.recover()
		e.answer(p, errBatchFailed)
		return
	}
	e.mu.Lock()
	for _, c := range p.batch.Counts {
		e.counts[c.Code] = c.Count
	}
	for _, o := range p.batch.Occupancy { // === places (issue 13)
		e.occ[o.Place] = o
	}
	for _, s := range p.batch.SwagStock { // === swag (issue 14)
		e.swagStock[s.Item] = s
	}
	e.mu.Unlock()
	e.answer(p, nil)
}

// answer replies to every command of p, with fail instead if it is set.
func (e *Engine) answer(p *pending, fail error) {
	for _, d := range p.drawn {
		if fail != nil {
			d.answer = reply{err: fail}
		}
		d.reply <- d.answer
	}
	for k, c := range p.cmds {
		if p.pooled[k] {
			continue
		}
		if fail != nil {
			p.answers[k] = reply{err: fail}
		}
		c.reply <- p.answers[k]
	}
}

// recover rebuilds the state from the store after a failed commit: the
// store holds exactly what was committed, so this undoes the batch.
func (e *Engine) recover() {
	st, err := e.load(context.Background(), e.st.cat)
	if err != nil {
		// Keep the old state; the next commit will fail its checks or succeed.
		e.log.Error("rebuild failed", "err", err)
		return
	}
	// Requests waiting in fair pools were never applied: they keep
	// waiting, unless their window came with the failed batch.
	for _, w := range e.st.windows {
		k := slices.IndexFunc(st.windows, func(n *window) bool { return n.id == w.id })
		if k < 0 {
			for _, c := range w.pooled {
				c.reply <- reply{err: errBatchFailed}
			}
			continue
		}
		st.windows[k].pooled = w.pooled
		if !w.draft { // a draft window's drawn comes from the store: a failed draft runs again
			st.windows[k].drawn = w.drawn
		}
	}
	e.st = st
	e.publish()
}

// apply runs one command against the state, with its idempotency key.
func (e *Engine) apply(b *builder, c *command) reply {
	st := b.st
	var key idemKey
	if c.idemKey != "" {
		key = idemKey{c.attendee, c.idemKey}
		if prev, ok := st.idem[key]; ok {
			if prev.request != c.idemReq {
				return reply{err: lanyard.Errorf(lanyard.EINVALID, "The Idempotency-Key %q was already used for a different request.", c.idemKey)}
			}
			return reply{value: json.RawMessage(prev.response)}
		}
	}
	var r reply
	if c.kind == "reserve" {
		results := make([]lanyard.SeatResult, 0, len(c.codes))
		for _, code := range c.codes {
			i, ok := st.byCode[code]
			if !ok {
				results = append(results, refused(code, lanyard.Errorf(lanyard.ENOTFOUND, "No session %q.", code)))
				continue
			}
			results = append(results, b.reserve(c.attendee, i, c.waitlist))
		}
		r.value = results
	} else {
		r.value, r.err = c.fn(b)
	}
	if c.idemKey != "" && r.err == nil {
		resp, err := json.Marshal(r.value)
		if err != nil {
			return reply{err: fmt.Errorf("reserve: answer: %w", err)}
		}
		st.idem[key] = idemAnswer{c.idemReq, string(resp)}
		b.b.Idem = append(b.b.Idem, IdemRow{AttendeeID: c.attendee, Key: c.idemKey, Request: c.idemReq, Response: string(resp)})
	}
	return r
}

// pool holds a reserve request back when it arrives in the first seconds
// of a window, to be drawn in random order with the others of that moment.
func (e *Engine) pool(c *command, now time.Time) bool {
	fair := time.Duration(e.st.settings.FairSeconds) * time.Second
	if fair == 0 {
		return false
	}
	for _, code := range c.codes {
		i, ok := e.st.byCode[code]
		if !ok {
			continue
		}
		w, err := e.st.openWindow(i, now)
		if err != nil || w.drawn || !now.Before(w.opens.Add(fair)) {
			continue
		}
		w.pooled = append(w.pooled, c)
		return true
	}
	return false
}

// drawnCommand is a pooled command answered with the batch that drew it.
type drawnCommand struct {
	reply  chan reply
	answer reply
}

// draw applies the requests pooled in the first seconds of each window
// whose fair interval is over, in a random order from a logged seed.
func (e *Engine) draw(b *builder, now time.Time) []drawnCommand {
	st := b.st
	var drawn []drawnCommand
	fair := time.Duration(st.settings.FairSeconds) * time.Second
	// Draft windows opening together are drafted together: an attendee's
	// wishes across session types compete for one agenda.
	var drafts []*window
	for _, w := range st.windows {
		if w.draft && !w.drawn && !now.Before(w.opens.Add(fair)) {
			drafts = append(drafts, w)
		}
	}
	if len(drafts) > 0 {
		b.draft(drafts)
	}
	for _, w := range st.windows {
		if w.drawn || now.Before(w.opens.Add(fair)) {
			continue
		}
		w.drawn = true
		if len(w.pooled) == 0 {
			continue
		}
		seed := rand.Uint64()
		r := rand.New(rand.NewPCG(seed, uint64(w.id)))
		r.Shuffle(len(w.pooled), func(x, y int) { w.pooled[x], w.pooled[y] = w.pooled[y], w.pooled[x] })
		b.log(0, "fair_draw", -1, "drawn", fmt.Sprintf("window=%d requests=%d seed=%d", w.id, len(w.pooled), seed))
		for _, c := range w.pooled {
			drawn = append(drawn, drawnCommand{c.reply, e.apply(b, c)})
		}
		w.pooled = nil
	}
	return drawn
}

// due does the timed work whose instant has come: waves released, and
// unclaimed reserved seats released to the walk-up line.
func (e *Engine) due(b *builder, now time.Time) {
	st := b.st
	for _, w := range st.waves {
		if w.released || now.Before(w.at) {
			continue
		}
		w.released = true
		b.b.Waves = append(b.b.Waves, WaveRow{ID: w.id, SessionID: st.seats[w.session].s.ID, Seats: w.seats, At: w.at, Released: true, Announce: w.announce})
		st.seats[w.session].reservable = st.computeReservable(w.session)
		b.hit[w.session] = true
		b.log(0, "wave", w.session, lanyard.OutcomeReleased, fmt.Sprintf("wave=%d seats=%d", w.id, w.seats))
		// Those it seats hear "you're in" (message.WaveParams.Reserved).
		b.promoteAs(w.session, lanyard.KindWaveReleased, map[string]string{"reserved": "true", "seats": strconv.Itoa(w.seats)})
		if w.announce {
			// The second chance reaches those it could not seat too: the
			// seats left after the waitlist are open to everyone.
			s := &st.seats[w.session]
			for _, wt := range s.waitlist {
				b.b.Messages = append(b.b.Messages, Message{AttendeeID: wt.attendee, Kind: lanyard.KindWaveReleased, SessionID: s.s.ID,
					Params: map[string]string{"code": s.s.Code, "title": s.s.Title, "seats": strconv.Itoa(w.seats)}})
			}
		}
	}
	release := time.Duration(st.settings.ReleaseMinutes) * time.Minute
	for i := range st.seats {
		s := &st.seats[i]
		if s.released || !s.s.Scheduled() || !s.s.Reservable || now.Before(s.s.Start.Add(-release)) {
			continue
		}
		b.releaseUnclaimed(int32(i))
	}
	// === line: lapsed calls expire and the next in line are called ===
	for i := range st.seats {
		if st.seats[i].line != nil {
			b.lineDue(int32(i))
		}
	}
}

// publish copies every session's seat counts for readers.
func (e *Engine) publish() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.counts = make(map[string]lanyard.SeatCount, len(e.st.seats))
	for i := range e.st.seats {
		e.counts[e.st.seats[i].s.Code] = e.st.count(int32(i))
	}
	e.publishPlaces() // === places (issue 13)
	e.publishSwag()   // === swag (issue 14)
}

func (st *state) count(i int32) lanyard.SeatCount {
	s := &st.seats[i]
	return lanyard.SeatCount{Capacity: s.s.Capacity, Reservable: s.reservable, Taken: s.taken, SeatsLeft: s.seatsLeft(), WaitlistLength: len(s.waitlist)}
}

// Seats returns a session's seat counts as of the last commit.
// Returns ENOTFOUND for an unknown code.
func (e *Engine) Seats(code string) (lanyard.SeatCount, error) {
	e.mu.RLock()
	c, ok := e.counts[code]
	e.mu.RUnlock()
	if !ok {
		return c, lanyard.Errorf(lanyard.ENOTFOUND, "No session %q.", code)
	}
	return c, nil
}

// Reserve reserves seats in up to MaxSessionsPerRequest sessions, with a
// result per session: one refusal does not undo the others. With waitlist,
// a full session puts the attendee on its waitlist instead of refusing.
// A retry with the same idemKey gets the first answer.
func (e *Engine) Reserve(ctx context.Context, attendee int64, codes []string, waitlist bool, idemKey string) ([]lanyard.SeatResult, error) {
	if len(codes) == 0 || len(codes) > MaxSessionsPerRequest {
		return nil, lanyard.Errorf(lanyard.EINVALID, "Name between 1 and %d sessions.", MaxSessionsPerRequest)
	}
	for k, c := range codes {
		if slices.Contains(codes[:k], c) {
			return nil, lanyard.Errorf(lanyard.EINVALID, "Session %s is named twice.", c)
		}
	}
	c := &command{kind: "reserve", attendee: attendee, codes: codes, waitlist: waitlist, idemKey: idemKey}
	if idemKey != "" {
		c.idemReq = request("reserve", codes, waitlist)
	}
	return as[[]lanyard.SeatResult](e.send(ctx, c))
}

// request describes a command for idempotency: a key may only be reused
// for the same request.
func request(op string, args ...any) string {
	b, _ := json.Marshal(append([]any{op}, args...))
	return string(b)
}

// do sends a command that runs fn in the loop. caller and idemKey identify
// the request for idempotency; idemReq describes it.
func (e *Engine) do(ctx context.Context, caller int64, idemKey, idemReq string, fn func(b *builder) (any, error)) (any, error) {
	return e.send(ctx, &command{kind: "fn", attendee: caller, idemKey: idemKey, idemReq: idemReq, fn: fn})
}

// read runs fn against the state as of the last commit.
func (e *Engine) read(ctx context.Context, fn func(st *state)) error {
	_, err := e.do(ctx, 0, "", "", func(b *builder) (any, error) {
		fn(b.st)
		return nil, nil
	})
	return err
}

// session looks a code up, in the loop.
func (st *state) session(code string) (int32, error) {
	i, ok := st.byCode[code]
	if !ok {
		return 0, lanyard.Errorf(lanyard.ENOTFOUND, "No session %q.", code)
	}
	return i, nil
}

// one runs a command on one session; a refusal comes back both in the
// result and as the error.
func (e *Engine) one(ctx context.Context, caller int64, idemKey, req, code string, fn func(b *builder, i int32) lanyard.SeatResult) (lanyard.SeatResult, error) {
	r, err := as[lanyard.SeatResult](e.do(ctx, caller, idemKey, req, func(b *builder) (any, error) {
		i, err := b.st.session(code)
		if err != nil {
			return nil, err
		}
		return fn(b, i), nil
	}))
	if err == nil && r.Error != nil {
		err = r.Error
	}
	return r, err
}

// Cancel gives back the attendee's seat; the waitlist's head that fits is promoted.
func (e *Engine) Cancel(ctx context.Context, attendee int64, code, idemKey string) (lanyard.SeatResult, error) {
	return e.one(ctx, attendee, idemKey, request("cancel", code), code, func(b *builder, i int32) lanyard.SeatResult { return b.cancel(attendee, i) })
}

// Switch trades the attendee's seat in from for a seat in to, atomically.
func (e *Engine) Switch(ctx context.Context, attendee int64, from, to, idemKey string) ([]lanyard.SeatResult, error) {
	rs, err := as[[]lanyard.SeatResult](e.do(ctx, attendee, idemKey, request("switch", from, to), func(b *builder) (any, error) {
		f, err := b.st.session(from)
		if err != nil {
			return nil, err
		}
		t, err := b.st.session(to)
		if err != nil {
			return nil, err
		}
		if f == t {
			return nil, lanyard.Errorf(lanyard.EINVALID, "Switch from and to name the same session.")
		}
		return b.switchSeat(attendee, f, t), nil
	}))
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		if r.Error != nil {
			return rs, r.Error
		}
	}
	return rs, nil
}

// JoinWaitlist reserves a seat if one is free, and joins the waitlist otherwise.
func (e *Engine) JoinWaitlist(ctx context.Context, attendee int64, code, idemKey string) (lanyard.SeatResult, error) {
	rs, err := e.Reserve(ctx, attendee, []string{code}, true, idemKey)
	if err != nil {
		return lanyard.SeatResult{}, err
	}
	if rs[0].Error != nil {
		return rs[0], rs[0].Error
	}
	return rs[0], nil
}

// LeaveWaitlist takes the attendee off a waitlist.
func (e *Engine) LeaveWaitlist(ctx context.Context, attendee int64, code, idemKey string) (lanyard.SeatResult, error) {
	return e.one(ctx, attendee, idemKey, request("leave", code), code, func(b *builder, i int32) lanyard.SeatResult { return b.leaveWaitlist(attendee, i) })
}

// Agenda returns the attendee's reservations, waitlists and travel warnings
// as of the last commit.
func (e *Engine) Agenda(ctx context.Context, attendee int64) (*lanyard.Agenda, error) {
	var out *lanyard.Agenda
	err := e.read(ctx, func(st *state) { out = st.agenda(attendee) })
	return out, err
}

// Tick does the timed work that is due now (the loop also does it every tick).
func (e *Engine) Tick(ctx context.Context) error {
	_, err := e.send(ctx, &command{kind: "tick"})
	return err
}

// PooledForTest returns how many requests wait in fair-opening pools.
// It exists for tests, which cannot otherwise see that a request is pooled
// rather than lost.
func (e *Engine) PooledForTest() int {
	n := 0
	e.read(context.Background(), func(st *state) {
		for _, w := range st.windows {
			n += len(w.pooled)
		}
	})
	return n
}
