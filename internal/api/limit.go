package api

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter gives each attendee a token bucket for writes, so one client
// flooding the engine gets 429s instead of slowing everyone down.
type Limiter struct {
	rate  rate.Limit
	burst int

	mu      sync.Mutex
	buckets map[int64]*rate.Limiter
}

// NewLimiter allows each attendee perSecond writes on average and burst at once.
func NewLimiter(perSecond float64, burst int) *Limiter {
	return &Limiter{rate: rate.Limit(perSecond), burst: burst, buckets: map[int64]*rate.Limiter{}}
}

// Allow takes a token for attendee, or reports how long until one is free.
func (l *Limiter) Allow(attendee int64) (time.Duration, bool) {
	l.mu.Lock()
	b, ok := l.buckets[attendee]
	if !ok {
		b = rate.NewLimiter(l.rate, l.burst)
		l.buckets[attendee] = b
	}
	l.mu.Unlock()
	if b.Allow() {
		return 0, true
	}
	// Refused: work out when a token will be free, for Retry-After.
	res := b.Reserve()
	d := res.Delay()
	res.Cancel()
	return d, false
}
