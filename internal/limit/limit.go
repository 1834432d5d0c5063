// Package limit gives each key (an attendee, an email, a client address)
// its own token bucket, so one client flooding a route gets refused instead
// of slowing everyone down.
package limit

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Keyed is a token bucket per key. Buckets are made on a key's first use.
// Past max keys the buckets that have refilled are forgotten (a full bucket
// is the same as a new one, so nothing is lost); only if too few have, as
// under a flood of distinct keys, are all forgotten at once. So a flood
// cannot grow it without bound, and it takes one that keeps most of max
// buckets in use to reset anyone's.
type Keyed[K comparable] struct {
	rate  rate.Limit
	burst int
	max   int
	now   func() time.Time // time.Now; tests move it

	mu      sync.Mutex
	buckets map[K]*rate.Limiter
}

// New allows each key perSecond tokens on average (more than zero) and
// burst at once, and keeps at most max keys.
func New[K comparable](perSecond float64, burst, max int) *Keyed[K] {
	return &Keyed[K]{rate: rate.Limit(perSecond), burst: burst, max: max, now: time.Now, buckets: map[K]*rate.Limiter{}}
}

// Allow takes a token from key's bucket. When there is none it reports how
// long until there will be one, for a Retry-After header.
func (l *Keyed[K]) Allow(key K) (wait time.Duration, ok bool) {
	now := l.now()
	l.mu.Lock()
	b, found := l.buckets[key]
	if !found {
		if len(l.buckets) >= l.max {
			l.forgetIdle(now)
		}
		b = rate.NewLimiter(l.rate, l.burst) // full
		l.buckets[key] = b
	}
	l.mu.Unlock()
	if b.AllowN(now, 1) {
		return 0, true
	}
	// Read, not reserved: a reservation, even cancelled, would dip the
	// bucket for callers refused at the same moment and overstate their wait.
	missing := 1 - b.TokensAt(now)
	return time.Duration(missing / float64(l.rate) * float64(time.Second)), false
}

// Blocked reports whether key's bucket is empty, without taking from it or
// making one: a caller that spends only on failures asks this first.
func (l *Keyed[K]) Blocked(key K) bool {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	return ok && b.TokensAt(now) < 1
}

// forgetIdle drops the buckets that have refilled; if that frees less than
// a quarter of max, it drops them all, so that sweeps stay one per max/4
// new keys however the buckets drain. l.mu is held.
func (l *Keyed[K]) forgetIdle(now time.Time) {
	for k, b := range l.buckets {
		if b.TokensAt(now) >= float64(l.burst) {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) > l.max-max(l.max/4, 1) {
		clear(l.buckets)
	}
}
