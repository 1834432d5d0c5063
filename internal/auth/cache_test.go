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
