package limit

import (
	"sync"
	"testing"
	"time"
)

func TestKeyed(t *testing.T) {
	l := New[string](1.0/60, 3, 100) // 3 at once, then one a minute
	for i := range 3 {
		if _, ok := l.Allow("a"); !ok {
			t.Fatalf("request %d of a burst of 3 refused", i+1)
		}
	}
	if l.Blocked("b") {
		t.Fatal("a key never seen is blocked")
	}
	if !l.Blocked("a") {
		t.Fatal("an empty bucket is not blocked")
	}
	wait, ok := l.Allow("a")
	if ok {
		t.Fatal("a fourth request in the burst was allowed")
	}
	if wait < 50*time.Second || wait > 60*time.Second {
		t.Fatalf("wait %v, want about a minute", wait)
	}
	if !l.Blocked("a") {
		t.Fatal("a refusal gave a token back")
	}
	if _, ok := l.Allow("b"); !ok {
		t.Fatal("one key's flood refused another key")
	}
}

func TestKeyedForgetsPastMax(t *testing.T) {
	l := New[int64](1.0/60, 1, 3)
	for k := range int64(3) {
		l.Allow(k)
	}
	if !l.Blocked(0) {
		t.Fatal("key 0 should have spent its only token")
	}
	l.Allow(99) // a fourth key: all are forgotten
	if l.Blocked(0) || len(l.buckets) != 1 {
		t.Fatalf("past max: %d buckets, key 0 blocked %v; want a fresh start", len(l.buckets), l.Blocked(0))
	}
}

// TestKeyedForgetsIdleFirst: past max, refilled buckets go and a drained
// one stays, so a flood of keys that rest cannot reset anyone's limit.
func TestKeyedForgetsIdleFirst(t *testing.T) {
	now := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
	l := New[string](1, 10, 3) // ten at once, one a second
	l.now = func() time.Time { return now }
	for range 10 {
		l.Allow("target") // drained: ten seconds to refill
	}
	l.Allow("x") // one short: refilled in a second
	l.Allow("y")
	now = now.Add(2 * time.Second)
	l.Allow("z") // the fourth key
	if _, ok := l.buckets["target"]; !ok || len(l.buckets) != 2 {
		t.Fatalf("buckets %v: want target and z, the refilled x and y forgotten", keys(l.buckets))
	}
	if got := l.buckets["target"].TokensAt(now); got < 1.99 || got > 2.01 {
		t.Fatalf("target holds %.2f tokens, want the 2 refilled since it was drained", got)
	}
}

func keys[K comparable, V any](m map[K]V) []K {
	var out []K
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestKeyedConcurrent: however many goroutines ask at once, one key never
// gets more than its burst.
func TestKeyedConcurrent(t *testing.T) {
	l := New[string](1.0/3600, 10, 1000)
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, ok := l.Allow("k"); ok {
				mu.Lock()
				allowed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if allowed != 10 {
		t.Fatalf("%d of 50 allowed, want the burst of 10", allowed)
	}
}
