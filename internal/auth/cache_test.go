package auth

import (
	"context"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

type countingStore struct {
	calls int
	known map[string]*lanyard.Attendee
}

func (s *countingStore) FindAttendeeByTokenHash(_ context.Context, hash []byte) (*lanyard.Attendee, error) {
	s.calls++
	if a, ok := s.known[string(hash)]; ok {
		return a, nil
	}
	return nil, lanyard.Errorf(lanyard.EUNAUTHORIZED, "no")
}

func TestCache(t *testing.T) {
	tok, hash := NewToken()
	_ = tok
	st := &countingStore{known: map[string]*lanyard.Attendee{string(hash): {ID: 7}}}
	now := time.Unix(0, 0)
	c := &Cache{Store: st, TTL: time.Minute, Max: 2, Now: func() time.Time { return now }}
	ctx := context.Background()
	for range 3 {
		a, err := c.FindAttendeeByTokenHash(ctx, hash)
		if err != nil || a.ID != 7 {
			t.Fatalf("lookup: %v %v", a, err)
		}
	}
	if st.calls != 1 {
		t.Fatalf("%d store calls for 3 lookups, want 1", st.calls)
	}
	now = now.Add(2 * time.Minute)
	c.FindAttendeeByTokenHash(ctx, hash)
	if st.calls != 2 {
		t.Fatalf("expired entry not refreshed: %d calls", st.calls)
	}
	_, bad := NewToken()
	for range 2 {
		if _, err := c.FindAttendeeByTokenHash(ctx, bad); lanyard.ErrorCode(err) != lanyard.EUNAUTHORIZED {
			t.Fatalf("unknown token: %v", err)
		}
	}
	if st.calls != 4 {
		t.Fatalf("unknown tokens must not be cached: %d calls", st.calls)
	}
}

func TestCacheFill(t *testing.T) {
	now := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	store := &countingStore{}
	c := &Cache{Store: store, TTL: time.Minute, Max: 10, Now: func() time.Time { return now }}
	ada := &lanyard.Attendee{ID: 1, Name: "Ada"}
	var k1, k2 [32]byte
	k1[0], k2[0] = 1, 2
	c.Fill(map[[32]byte]*lanyard.Attendee{k1: ada})
	if a, err := c.FindAttendeeByTokenHash(context.Background(), k1[:]); err != nil || a != ada || store.calls != 0 {
		t.Fatalf("filled token: %v, %v after %d store calls; want Ada from memory", a, err, store.calls)
	}
	// A token missing from the fill goes to the store.
	c.FindAttendeeByTokenHash(context.Background(), k2[:])
	if store.calls != 1 {
		t.Errorf("unknown token: %d store calls; want 1", store.calls)
	}
	// A refill without k1 (revoked) drops it.
	c.Fill(map[[32]byte]*lanyard.Attendee{})
	c.FindAttendeeByTokenHash(context.Background(), k1[:])
	if store.calls != 2 {
		t.Errorf("revoked token answered from memory: %d store calls; want 2", store.calls)
	}
}
