package auth

import (
	"context"
	"sync"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// TokenStore resolves token hashes to attendees.
type TokenStore interface {
	// FindAttendeeByTokenHash returns EUNAUTHORIZED for an unknown hash.
	FindAttendeeByTokenHash(ctx context.Context, hash []byte) (*lanyard.Attendee, error)
}

// Cache remembers recent token lookups for a short while, so that a rush of
// API calls does not cost a database query each. A revoked token keeps
// working until its entry expires; the TTL bounds that.
type Cache struct {
	Store TokenStore
	TTL   time.Duration
	// Max bounds the entries; when full, the cache starts over.
	Max int
	Now func() time.Time

	mu      sync.Mutex
	entries map[[32]byte]cached
}

type cached struct {
	a       *lanyard.Attendee
	expires time.Time
}

// FindAttendeeByTokenHash answers from the cache or the store. Unknown
// tokens are not cached, so a token created a moment ago works at once.
func (c *Cache) FindAttendeeByTokenHash(ctx context.Context, hash []byte) (*lanyard.Attendee, error) {
	var key [32]byte
	copy(key[:], hash)
	now := c.Now()
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.a, nil
	}
	a, err := c.Store.FindAttendeeByTokenHash(ctx, hash)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.entries == nil || len(c.entries) >= c.Max {
		c.entries = make(map[[32]byte]cached, min(c.Max, 1024))
	}
	c.entries[key] = cached{a, now.Add(c.TTL)}
	c.mu.Unlock()
	return a, nil
}

// Fill replaces the cache's entries with every token's owner, each valid
// for TTL: refilled more often than TTL (see serve), every known token is
// answered from memory, even at the first request of a rush, and a revoked
// token stops working at the next refill.
func (c *Cache) Fill(owners map[[32]byte]*lanyard.Attendee) {
	exp := c.Now().Add(c.TTL)
	entries := make(map[[32]byte]cached, len(owners))
	for k, a := range owners {
		entries[k] = cached{a, exp}
	}
	c.mu.Lock()
	c.entries = entries
	c.mu.Unlock()
}
