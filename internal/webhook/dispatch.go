package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/lanyardhq/lanyard/internal/deliver"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
)

// Store is what the dispatcher needs of the database.
type Store interface {
	ClaimWebhooks(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]store.WebhookJob, error)
	WebhooksAttempted(ctx context.Context, rs []store.WebhookResult) error
	DisableWebhookEndpoint(ctx context.Context, id int64, reason string) error
	SweepWebhooks(ctx context.Context, before time.Time) (int64, error)
}

var _ Store = (*store.DB)(nil)

// Dispatcher claims due deliveries and posts them, Workers at a time. Each
// claim's outcomes are written in one commit.
type Dispatcher struct {
	Store  Store
	Client *http.Client // default NewClient(false)
	Log    *slog.Logger

	Workers    int           // parallel posts; default 32
	Batch      int           // deliveries per claim; default 256
	Lease      time.Duration // a claim's hold; default 1 min (more than Timeout)
	Poll       time.Duration // how often to look when idle; default 1 s
	Backoff    time.Duration // first retry delay, doubling with jitter; default 30 s
	MaxBackoff time.Duration // default 6 h
	GiveUp     time.Duration // after this age a delivery fails; default 3 days
	Keep       time.Duration // the delivery log's age limit; default 30 days
	Now        func() time.Time
}

func (d *Dispatcher) defaults() {
	if d.Client == nil {
		d.Client = NewClient(false)
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Workers <= 0 {
		d.Workers = 32
	}
	if d.Batch <= 0 {
		d.Batch = 256
	}
	if d.Lease <= 0 {
		d.Lease = time.Minute
	}
	if d.Poll <= 0 {
		d.Poll = time.Second
	}
	if d.Backoff <= 0 {
		d.Backoff = 30 * time.Second
	}
	if d.MaxBackoff <= 0 {
		d.MaxBackoff = 6 * time.Hour
	}
	if d.GiveUp <= 0 {
		d.GiveUp = 72 * time.Hour
	}
	if d.Keep <= 0 {
		d.Keep = 30 * 24 * time.Hour
	}
	if d.Now == nil {
		d.Now = time.Now
	}
}

// Run delivers until ctx ends, and sweeps the delivery log hourly.
func (d *Dispatcher) Run(ctx context.Context) error {
	d.defaults()
	var swept time.Time
	for {
		if now := d.Now(); now.Sub(swept) >= time.Hour {
			if n, err := d.Store.SweepWebhooks(ctx, now.Add(-d.Keep)); err != nil {
				d.Log.Error("webhook sweep", "err", err)
			} else if n > 0 {
				d.Log.Info("webhook log swept", "rows", n)
			}
			swept = now
		}
		n, err := d.Once(ctx)
		if err != nil && ctx.Err() == nil {
			d.Log.Error("webhook claim", "err", err)
		}
		if n < d.Batch || err != nil {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(d.Poll):
			}
		}
	}
}

// Once claims one batch of due deliveries, posts them and records the
// outcomes. Returns how many it claimed.
func (d *Dispatcher) Once(ctx context.Context) (int, error) {
	d.defaults()
	jobs, err := d.Store.ClaimWebhooks(ctx, d.Now(), d.Lease, d.Batch)
	if err != nil || len(jobs) == 0 {
		return 0, err
	}
	results := make([]store.WebhookResult, len(jobs))
	gone := map[int64]bool{}
	var mu sync.Mutex
	sem := make(chan struct{}, d.Workers)
	var wg sync.WaitGroup
	for i, j := range jobs {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[i] = d.post(ctx, j)
			if results[i].Attempt.Status == http.StatusGone {
				mu.Lock()
				gone[j.EndpointID] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	// Recorded even if ctx ended meanwhile: the posts happened.
	wctx := context.WithoutCancel(ctx)
	if err := d.Store.WebhooksAttempted(wctx, results); err != nil {
		return len(jobs), err
	}
	for id := range gone {
		if err := d.Store.DisableWebhookEndpoint(wctx, id, "410 Gone"); err != nil {
			return len(jobs), err
		}
	}
	return len(jobs), nil
}

// maxExcerpt bounds the response body kept in the delivery log.
const maxExcerpt = 1024

// post sends one delivery and says what becomes of it.
func (d *Dispatcher) post(ctx context.Context, j store.WebhookJob) store.WebhookResult {
	start := d.Now()
	r := store.WebhookResult{Attempt: lanyard.WebhookAttempt{DeliveryID: j.ID, At: start}}
	status, excerpt, err := d.send(ctx, j, start)
	r.Attempt.Latency = d.Now().Sub(start)
	r.Attempt.Status, r.Attempt.Response = status, excerpt
	switch {
	case err == nil && status >= 200 && status < 300:
		r.State = lanyard.MessageSent
		return r
	case status == http.StatusGone:
		r.State, r.Attempt.Error = lanyard.MessageFailed, "410 Gone: the endpoint is disabled"
		return r
	case err != nil:
		r.Attempt.Error = err.Error()
		if errors.Is(err, ErrPrivate) {
			// Configuration, not luck: retrying cannot help.
			r.State = lanyard.MessageFailed
			return r
		}
	default:
		r.Attempt.Error = "HTTP " + strconv.Itoa(status)
	}
	next := start.Add(deliver.Backoff(j.Attempts, d.Backoff, d.MaxBackoff))
	if next.Sub(j.CreatedAt) > d.GiveUp {
		r.State = lanyard.MessageFailed
		r.Attempt.Error += " (gave up after " + d.GiveUp.String() + ")"
		return r
	}
	r.State, r.Next = lanyard.MessagePending, next
	return r
}

func (d *Dispatcher) send(ctx context.Context, j store.WebhookJob, at time.Time) (int, string, error) {
	body := []byte(j.Payload)
	sig, err := Sign(j.Secret, j.MsgID, at, body)
	if err != nil {
		return 0, "", err
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, j.URL, bytes.NewReader(body))
	if err != nil {
		return 0, "", fmt.Errorf("webhook: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "lanyard-webhooks")
	req.Header.Set("webhook-id", j.MsgID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(at.Unix(), 10))
	req.Header.Set("webhook-signature", sig)
	resp, err := d.Client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxExcerpt))
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	for len(b) > 0 && !utf8.Valid(b) {
		b = b[:len(b)-1] // a rune cut at the limit
	}
	return resp.StatusCode, string(b), nil
}
