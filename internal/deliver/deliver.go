// Package deliver sends the mail of the messages table: a small durable
// dispatcher. A message row is the job: written in the transaction of what
// caused it, claimed with a lease, sent, and marked sent right after the
// SMTP server accepts it. See docs/ARCHITECTURE.md "Mail delivery".
package deliver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/mail"
	"github.com/lanyardhq/lanyard/internal/store"
)

// Store is what the dispatcher needs of the database.
type Store interface {
	ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]store.Mail, error)
	MailSent(ctx context.Context, ids []int64, at time.Time) error
	MailRetry(ctx context.Context, id int64, reason string, next time.Time) error
	MailFailed(ctx context.Context, id int64, reason string) error
}

var _ Store = (*store.DB)(nil)

// Rendered is a message in words.
type Rendered struct{ Subject, Text, HTML string }

// Renderer turns a message into words in a language ("" for the default).
// The application passes message.Render.
type Renderer func(m lanyard.Message, lang string) (Rendered, error)

// Prerendered renders messages whose subject and body were written with
// them (a password reset) as they are and, for a template, its kind and
// parameters plainly: a stand-in until the template renderer is wired.
func Prerendered(m lanyard.Message, lang string) (Rendered, error) {
	if m.Subject != "" || m.Body != "" {
		return Rendered{Subject: m.Subject, Text: m.Body}, nil
	}
	if m.Template == "" {
		return Rendered{}, fmt.Errorf("deliver: message %d has neither text nor a template", m.ID)
	}
	keys := slices.Sorted(maps.Keys(m.Params))
	var text strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&text, "%s: %s\n", k, m.Params[k])
	}
	return Rendered{Subject: strings.TrimSpace("lanyard: " + m.Template + " " + m.Params["code"]), Text: text.String()}, nil
}

// Sender sends one mail over one connection; each worker has its own.
type Sender interface {
	Send(ctx context.Context, m mail.Mail) error
	Close() error
}

// Dispatcher claims due mail and sends it with Workers connections, no
// faster than Rate.
type Dispatcher struct {
	Store  Store
	Render Renderer
	// Dial returns a new sender (an SMTP connection) for a worker.
	Dial func() (Sender, error)
	Log  *slog.Logger
	// Domain is the right side of every Message-ID ("lanyard.example.com").
	Domain string
	// Unsubscribe returns the List-Unsubscribe URL for an announcement.
	Unsubscribe func(m store.Mail) string
	Metrics     *Metrics // nil: not counted

	Workers int // parallel connections; default 8
	// Markers commit "sent" marks in parallel, each taking all the marks
	// that wait; default 1, for SQLite's one writer. PostgreSQL overlaps
	// commits and gains from more (MarkersFor).
	Markers     int
	Rate        rate.Limit    // mails per second over all workers; 0: unlimited
	Burst       int           // default Workers
	Batch       int           // rows per claim; default 256
	Lease       time.Duration // a claim's hold; default 2 min
	Poll        time.Duration // how often to look when idle; default 1 s
	MaxAttempts int           // then failed; default 12 (about a day with Backoff)
	Backoff     time.Duration // first retry delay; doubles, with jitter; default 30 s
	MaxBackoff  time.Duration // default 1 h
	Now         func() time.Time

	wake chan struct{}
	once sync.Once
}

func (d *Dispatcher) defaults() {
	d.once.Do(func() {
		if d.Workers <= 0 {
			d.Workers = 8
		}
		if d.Markers <= 0 {
			d.Markers = 1
		}
		if d.Burst <= 0 {
			d.Burst = d.Workers
		}
		if d.Batch <= 0 {
			d.Batch = 256
		}
		if d.Lease <= 0 {
			d.Lease = 2 * time.Minute
		}
		if d.Poll <= 0 {
			d.Poll = time.Second
		}
		if d.MaxAttempts <= 0 {
			d.MaxAttempts = 12
		}
		if d.Backoff <= 0 {
			d.Backoff = 30 * time.Second
		}
		if d.MaxBackoff <= 0 {
			d.MaxBackoff = time.Hour
		}
		if d.Rate > 0 {
			// A claim is sent within a quarter of its lease, at the rate.
			d.Batch = max(1, min(d.Batch, int(float64(d.Rate)*d.Lease.Seconds()/4)))
		}
		if d.Now == nil {
			d.Now = time.Now
		}
		if d.Render == nil {
			d.Render = Prerendered
		}
		if d.Log == nil {
			d.Log = slog.New(slog.DiscardHandler)
		}
		if d.Domain == "" {
			d.Domain = "lanyard.invalid"
		}
		d.wake = make(chan struct{}, 1)
	})
}

// Wake makes the dispatcher look for due mail now rather than at its next
// poll: call it after committing messages.
func (d *Dispatcher) Wake() {
	d.defaults()
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// MessageID is the Message-ID of message id: the same on every attempt, so
// a mail sent twice (a crash between acceptance and marking) folds into one
// in mail clients.
func MessageID(id int64, domain string) string {
	return "m" + strconv.FormatInt(id, 10) + "@" + domain
}

// Run claims and sends until ctx is done.
func (d *Dispatcher) Run(ctx context.Context) error {
	d.defaults()
	lim := rate.NewLimiter(rate.Inf, 0)
	if d.Rate > 0 {
		lim = rate.NewLimiter(d.Rate, d.Burst)
	}
	jobs := make(chan store.Mail, d.Batch)
	marks := make(chan sentMark, d.Workers)
	var wg, marker sync.WaitGroup
	var inflight sync.WaitGroup
	for range d.Markers {
		marker.Go(func() { d.markSent(marks) })
	}
	for range d.Workers {
		wg.Go(func() { d.work(ctx, jobs, marks, lim, &inflight) })
	}
	defer func() {
		close(jobs)
		wg.Wait()
		close(marks)
		marker.Wait()
	}()
	for {
		ms, err := d.Store.ClaimMail(ctx, d.Now(), d.Lease, d.Batch)
		if err != nil && ctx.Err() == nil {
			d.Log.Warn("mail: claim", "err", err)
		}
		for _, m := range ms {
			inflight.Add(1)
			select {
			case jobs <- m:
			case <-ctx.Done():
				inflight.Done()
				return nil // claimed ones are sent again when their lease lapses
			}
		}
		if len(ms) == d.Batch {
			// More may be due: claim again once this batch is handed out,
			// but not so far ahead that leases lapse while queued.
			inflight.Wait()
			continue
		}
		inflight.Wait()
		select {
		case <-ctx.Done():
			return nil
		case <-d.wake:
		case <-time.After(d.Poll):
		}
	}
}

// sentMark asks the marker to record message id sent; done gets the result.
type sentMark struct {
	id   int64
	done chan error
}

// markSent records accepted mail sent, group-committing the marks that
// arrive together: on SQLite every commit holds the one writer the
// reservation engine also needs, and waits for the disk. Each worker
// waits for its mark before sending more, so a crash leaves at most one
// accepted, unmarked mail per connection.
func (d *Dispatcher) markSent(marks <-chan sentMark) {
	var batch []sentMark
	ids := make([]int64, 0, d.Workers)
	for m := range marks {
		batch, ids = append(batch[:0], m), append(ids[:0], m.id)
	more:
		for len(batch) < cap(ids) {
			select {
			case m, ok := <-marks:
				if !ok {
					break more
				}
				batch, ids = append(batch, m), append(ids, m.id)
			default:
				break more
			}
		}
		err := d.Store.MailSent(context.Background(), ids, d.Now())
		for _, m := range batch {
			m.done <- err
		}
	}
}

func (d *Dispatcher) work(ctx context.Context, jobs <-chan store.Mail, marks chan<- sentMark, lim *rate.Limiter, inflight *sync.WaitGroup) {
	done := make(chan error, 1)
	var conn Sender
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for m := range jobs {
		if conn == nil {
			c, err := d.Dial()
			if err != nil {
				d.retry(ctx, m, err)
				inflight.Done()
				continue
			}
			conn = c
		}
		if err := lim.Wait(ctx); err != nil {
			inflight.Done()
			continue // stopping: the lease lapses and it is sent later
		}
		if d.send(ctx, conn, m) {
			// Marked at once, whatever ctx says: the server has the mail,
			// and a second send would be a duplicate.
			marks <- sentMark{m.ID, done}
			if err := <-done; err != nil {
				d.Log.Error("mail: accepted but not marked sent; it may be sent again", "message", m.ID, "err", err)
			}
			d.Metrics.add("sent")
		}
		inflight.Done()
	}
}

// send sends m and reports whether the server accepted it; failures are
// recorded here.
func (d *Dispatcher) send(ctx context.Context, conn Sender, m store.Mail) bool {
	r, err := d.Render(m.Message, m.Language)
	if err != nil {
		d.fail(ctx, m, fmt.Sprintf("render: %v", err))
		return false
	}
	if m.To == "" {
		d.fail(ctx, m, "no address")
		return false
	}
	out := mail.Mail{MessageID: MessageID(m.ID, d.Domain), To: m.To, Subject: r.Subject, Text: r.Text, HTML: r.HTML}
	if m.Kind == lanyard.KindAnnouncement && d.Unsubscribe != nil {
		out.Unsubscribe = d.Unsubscribe(m)
	}
	err = conn.Send(ctx, out)
	if err == nil {
		return true
	}
	var me *mail.Error
	if errors.As(err, &me) && me.Permanent {
		d.fail(ctx, m, err.Error())
		return false
	}
	d.retry(ctx, m, err)
	return false
}

func (d *Dispatcher) retry(ctx context.Context, m store.Mail, cause error) {
	if m.Attempts >= d.MaxAttempts {
		d.fail(ctx, m, fmt.Sprintf("gave up after %d attempts: %v", m.Attempts, cause))
		return
	}
	d.Metrics.add("retry")
	next := d.Now().Add(Backoff(m.Attempts, d.Backoff, d.MaxBackoff))
	if err := d.Store.MailRetry(context.WithoutCancel(ctx), m.ID, cause.Error(), next); err != nil {
		d.Log.Warn("mail: record retry", "message", m.ID, "err", err)
	}
	d.Log.Info("mail: will retry", "message", m.ID, "attempt", m.Attempts, "at", next, "err", cause)
}

func (d *Dispatcher) fail(ctx context.Context, m store.Mail, reason string) {
	d.Metrics.add("failed")
	if err := d.Store.MailFailed(context.WithoutCancel(ctx), m.ID, reason); err != nil {
		d.Log.Warn("mail: record failure", "message", m.ID, "err", err)
	}
	d.Log.Warn("mail: not delivered", "message", m.ID, "kind", m.Kind, "to", m.To, "err", reason)
}

// Backoff is the wait before retry number attempt (1 for the first):
// base doubling each time, capped at max, with full jitter over its upper
// half so that mail refused together is not retried together.
func Backoff(attempt int, base, max time.Duration) time.Duration {
	d := base
	for i := 1; i < attempt && d < max; i++ {
		d *= 2
	}
	d = min(d, max)
	return d/2 + rand.N(d/2+1)
}

// MarkersFor is the number of markers that suits a database: measured in
// docs/PERFORMANCE.md "Mail delivery".
func MarkersFor(dialect store.Dialect) int {
	if dialect == store.Postgres {
		return 4
	}
	return 1
}

// SMTP returns a Dial that opens connections to cfg's server.
func SMTP(cfg mail.Config) func() (Sender, error) {
	return func() (Sender, error) {
		c, err := mail.NewConn(cfg)
		if err != nil {
			return nil, err
		}
		return c, nil
	}
}
