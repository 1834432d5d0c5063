// Package rush simulates the opening of reservations against a running
// lanyard over real HTTP: many attendees, each with a wishlist drawn from
// the event's skewed popularity, reserve down their lists at once from a
// pool of keep-alive clients, falling back to waitlists, retrying 429s.
// It measures what a rush does to the server and to the attendees.
package rush

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

// Token is one attendee's API token, as demo writes them to tokens.csv.
type Token struct {
	Email, Token string
}

// Options configure a rush.
type Options struct {
	// Targets are the base URLs of the servers (several nodes of one
	// cluster); attendees are spread over them in turn.
	Targets   []string
	Tokens    []Token
	Attendees int // how many attendees rush (at most len(Tokens))
	Wishlist  int // sessions per attendee
	Clients   int // concurrent HTTP clients
	Seed      uint64
	// Popularity weighs the sessions by code when drawing wishlists; nil
	// weighs them by capacity.
	Popularity map[string]float64
	// Progress, if set, is called about ten times a second with the
	// attendees done and the requests sent so far.
	Progress func(attendees, requests int)
}

// Session is what the rush knows of a session.
type Session struct {
	Code        string `json:"code"`
	Type        string `json:"type"`
	Capacity    int    `json:"capacity"`
	RepeatGroup string `json:"repeat_group"`
	Reservable  bool   `json:"reservable"`
	Start       string `json:"start"`
}

// Report is what a rush measured.
type Report struct {
	Targets           []string       `json:"targets"`
	Label             string         `json:"label,omitempty"`
	Attendees         int            `json:"attendees"`
	Wishlist          int            `json:"wishlist"`
	Clients           int            `json:"clients"`
	Requests          int            `json:"requests"`
	Seconds           float64        `json:"seconds"`
	RequestsPerSecond float64        `json:"requests_per_second"`
	P50ms             float64        `json:"p50_ms"`
	P95ms             float64        `json:"p95_ms"`
	P99ms             float64        `json:"p99_ms"`
	Maxms             float64        `json:"max_ms"`
	Outcomes          map[string]int `json:"outcomes"`
	// Errors are requests that got no answer of the API's shape: transport
	// failures and 5xx. Rule refusals are outcomes, not errors.
	Errors  int `json:"errors"`
	Retries int `json:"retries_429"`
	// FirstChoiceShare is the share of attendees who got their first choice;
	// TopFiveShare those who got at least 3 of their top 5.
	FirstChoiceShare float64 `json:"first_choice_share"`
	TopFiveShare     float64 `json:"three_of_top5_share"`
	// Gini measures how unequally seats went to attendees (0: equal).
	Gini float64 `json:"gini"`
	// OverbookedSessions is read from the database by the caller; -1 when not checked.
	OverbookedSessions int     `json:"overbooked_sessions"`
	Timeline           []Point `json:"timeline"`
}

// Point is one second of the rush.
type Point struct {
	Second   int     `json:"second"`
	Requests int     `json:"requests"`
	P50ms    float64 `json:"p50_ms"`
	P99ms    float64 `json:"p99_ms"`
}

// sample is one request's timing.
type sample struct {
	at  time.Duration // since the start
	lat time.Duration
}

// Run performs a rush and returns its report.
func Run(ctx context.Context, opt Options) (*Report, error) {
	if opt.Attendees <= 0 || opt.Attendees > len(opt.Tokens) {
		opt.Attendees = len(opt.Tokens)
	}
	if opt.Attendees == 0 {
		return nil, errors.New("rush: no tokens")
	}
	if len(opt.Targets) == 0 {
		return nil, errors.New("rush: no target")
	}
	opt.Clients = max(opt.Clients, 1)
	opt.Wishlist = max(opt.Wishlist, 1)
	tr := &http.Transport{MaxIdleConns: opt.Clients, MaxIdleConnsPerHost: opt.Clients, IdleConnTimeout: time.Minute}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}

	sessions, err := Sessions(ctx, client, opt.Targets[0])
	if err != nil {
		return nil, err
	}
	lists := Wishlists(sessions, opt.Popularity, opt.Attendees, opt.Wishlist, opt.Seed)

	// The rush's own requests go through fasthttp: the load generator
	// shares the machine with the server, and net/http's client costs
	// about twice the CPU per request.
	fast := &fasthttp.Client{MaxConnsPerHost: opt.Clients, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second,
		MaxIdleConnDuration: time.Minute, NoDefaultUserAgentHeader: true}
	r := &runner{client: fast, outcomes: map[string]int{}}
	won := make([][]bool, opt.Attendees) // per attendee, per rank: reserved?
	work := make(chan int)
	var done atomic.Int64
	var wg sync.WaitGroup
	r.start = time.Now()
	for range opt.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var local []sample
			for a := range work {
				won[a] = r.attendee(ctx, opt.Targets[a%len(opt.Targets)], opt.Tokens[a].Token, lists[a], &local)
				done.Add(1)
			}
			r.mu.Lock()
			r.samples = append(r.samples, local...)
			r.mu.Unlock()
		}()
	}
	stopProgress := make(chan struct{})
	if opt.Progress != nil {
		go func() {
			t := time.NewTicker(100 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-t.C:
					opt.Progress(int(done.Load()), int(r.requests.Load()))
				case <-stopProgress:
					return
				}
			}
		}()
	}
feed:
	for a := range opt.Attendees {
		select {
		case work <- a:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	close(stopProgress)
	elapsed := time.Since(r.start)
	if opt.Progress != nil {
		opt.Progress(int(done.Load()), int(r.requests.Load()))
	}
	return r.report(opt, elapsed, won), ctx.Err()
}

type runner struct {
	client   *fasthttp.Client
	start    time.Time
	requests atomic.Int64

	mu       sync.Mutex
	outcomes map[string]int
	errors   int
	retries  int
	samples  []sample
}

// attendee reserves down one wishlist, waitlisting full sessions, and
// reports which ranks were won.
func (r *runner) attendee(ctx context.Context, target, token string, list []string, local *[]sample) []bool {
	won := make([]bool, len(list))
	auth := "Bearer " + token
	for rank, code := range list {
		body, _ := json.Marshal(reserveBody{Sessions: []string{code}})
		out := r.call(ctx, target, auth, "POST", "/api/v1/reservations", body, local)
		if out == "session_full" {
			out = r.call(ctx, target, auth, "POST", "/api/v1/waitlist/"+url.PathEscape(code), nil, local)
		}
		won[rank] = out == "reserved"
	}
	return won
}

// call sends one request, retrying 429s with backoff, and returns its outcome:
// the result's outcome, or its error code.
type reserveBody struct {
	Sessions []string `json:"sessions"`
}

func (r *runner) call(ctx context.Context, target, auth, method, path string, data []byte, local *[]sample) string {
	backoff := 50 * time.Millisecond
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	for ctx.Err() == nil {
		req.Reset()
		req.SetRequestURI(target + path)
		req.Header.SetMethod(method)
		req.Header.Set("Authorization", auth)
		req.Header.SetContentType("application/json")
		req.SetBody(data)
		t := time.Now()
		err := r.client.Do(req, resp)
		lat := time.Since(t)
		r.requests.Add(1)
		*local = append(*local, sample{at: t.Sub(r.start), lat: lat})
		if err != nil {
			r.count("", true, false)
			return "error"
		}
		if resp.StatusCode() == http.StatusTooManyRequests {
			r.count("", false, true)
			time.Sleep(backoff + time.Duration(rand.Int64N(int64(backoff))))
			backoff = min(2*backoff, 2*time.Second)
			continue
		}
		out := outcome(resp.StatusCode(), resp.Body())
		r.count(out, out == "error", false)
		return out
	}
	return "cancelled"
}

func (r *runner) count(out string, failed, retried bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case retried:
		r.retries++
	case failed:
		r.errors++
	default:
		r.outcomes[out]++
	}
}

// outcome reads a response: a result list, one result, or an error body.
// It scans for the keys instead of decoding into structs: the load
// generator shares the cores with the server, and every microsecond it
// spends is one the server does not get. A result's outcome comes before
// its error and warnings (lanyard.SeatResult's field order), so the first
// "outcome" is the first result's; a refusal's code is in its "error"; a
// warning's code is never read. Keys inside JSON strings are escaped, so a
// message cannot fake one.
func outcome(status int, raw []byte) string {
	if status >= 500 || !json.Valid(raw) {
		return "error"
	}
	out, ok := stringAfter(raw, `"outcome":"`)
	if ok && out != lanyard.OutcomeRefused {
		return out
	}
	if code, ok := stringAfter(raw, `"error":{"code":"`); ok {
		return code
	}
	return "error"
}

// stringAfter returns the JSON string value that follows key in raw.
func stringAfter(raw []byte, key string) (string, bool) {
	i := bytes.Index(raw, []byte(key))
	if i < 0 {
		return "", false
	}
	rest := raw[i+len(key):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return "", false
	}
	return string(rest[:j]), true
}

func (r *runner) report(opt Options, elapsed time.Duration, won [][]bool) *Report {
	rep := &Report{Targets: opt.Targets, Attendees: opt.Attendees, Wishlist: opt.Wishlist, Clients: opt.Clients,
		Requests: len(r.samples), Seconds: elapsed.Seconds(), Outcomes: r.outcomes, Errors: r.errors, Retries: r.retries,
		OverbookedSessions: -1}
	rep.RequestsPerSecond = float64(rep.Requests) / elapsed.Seconds()
	lat := make([]time.Duration, len(r.samples))
	for i, s := range r.samples {
		lat[i] = s.lat
	}
	rep.P50ms, rep.P95ms, rep.P99ms, rep.Maxms = percentile(lat, 0.50), percentile(lat, 0.95), percentile(lat, 0.99), percentile(lat, 1)
	rep.FirstChoiceShare, rep.TopFiveShare, rep.Gini = shares(won)
	// The timeline, one point per second.
	buckets := map[int][]time.Duration{}
	for _, s := range r.samples {
		sec := int(s.at / time.Second)
		buckets[sec] = append(buckets[sec], s.lat)
	}
	secs := make([]int, 0, len(buckets))
	for s := range buckets {
		secs = append(secs, s)
	}
	sort.Ints(secs)
	for _, s := range secs {
		b := buckets[s]
		rep.Timeline = append(rep.Timeline, Point{Second: s, Requests: len(b), P50ms: percentile(b, 0.5), P99ms: percentile(b, 0.99)})
	}
	return rep
}

// shares reads attendees' outcomes (per attendee, per wishlist rank: won?):
// the share who got their first choice, the share who got at least 3 of
// their top 5, and the Gini coefficient of seats won.
func shares(won [][]bool) (first, top5, gini float64) {
	if len(won) == 0 {
		return 0, 0, 0
	}
	seats := make([]float64, len(won))
	for a, w := range won {
		if len(w) > 0 && w[0] {
			first++
		}
		n := 0
		for k, ok := range w {
			if ok {
				seats[a]++
				if k < 5 {
					n++
				}
			}
		}
		if n >= min(3, len(w)) {
			top5++
		}
	}
	return first / float64(len(won)), top5 / float64(len(won)), Gini(seats)
}

// percentile returns the p-quantile of ds in milliseconds (sorting ds).
func percentile(ds []time.Duration, p float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	i := min(int(math.Ceil(p*float64(len(ds))))-1, len(ds)-1)
	return float64(ds[max(i, 0)].Microseconds()) / 1000
}

// Gini is the Gini coefficient of xs: 0 when all are equal, towards 1 when
// one holds everything.
func Gini(xs []float64) float64 {
	n := len(xs)
	if n == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	var sum, weighted float64
	for i, x := range s {
		sum += x
		weighted += float64(i+1) * x
	}
	if sum == 0 {
		return 0
	}
	return (2*weighted)/(float64(n)*sum) - float64(n+1)/float64(n)
}

// Sessions reads the whole catalog from the server.
func Sessions(ctx context.Context, client *http.Client, target string) ([]Session, error) {
	var all []Session
	for offset := 0; ; offset += 500 {
		req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/api/v1/sessions?limit=500&offset=%d", target, offset), nil)
		resp, err := client.Do(req)
		if err != nil {
			return nil, fmt.Errorf("rush: read the catalog: %w", err)
		}
		var page struct {
			Total    int
			Sessions []Session
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			return nil, fmt.Errorf("rush: read the catalog: status %d: %v", resp.StatusCode, err)
		}
		all = append(all, page.Sessions...)
		if len(all) >= page.Total || len(page.Sessions) == 0 {
			return all, nil
		}
	}
}

// Wishlists draws n wishlists of k sessions each, by popularity (capacity
// when popularity is nil), without two repeats of one content in a list.
// The same seed gives the same lists.
func Wishlists(sessions []Session, popularity map[string]float64, n, k int, seed uint64) [][]string {
	var pool []Session
	var weight []float64
	for _, s := range sessions {
		if !s.Reservable || s.Start == "" {
			continue
		}
		w := float64(s.Capacity)
		if popularity != nil {
			w = popularity[s.Code]
		}
		if w > 0 {
			pool = append(pool, s)
			weight = append(weight, w)
		}
	}
	cdf := make([]float64, len(weight))
	sum := 0.0
	for i, w := range weight {
		sum += w
		cdf[i] = sum
	}
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	lists := make([][]string, n)
	k = min(k, len(pool))
	for a := range lists {
		seen := map[string]bool{}
		for tries := 0; len(lists[a]) < k && tries < 50*k; tries++ {
			s := pool[sort.SearchFloat64s(cdf, r.Float64()*sum)]
			group := s.RepeatGroup
			if group == "" {
				group = s.Code
			}
			if seen[group] {
				continue
			}
			seen[group] = true
			lists[a] = append(lists[a], s.Code)
		}
	}
	return lists
}
