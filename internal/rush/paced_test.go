package rush_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/rush"
)

func TestPaced(t *testing.T) {
	tests := []struct {
		name    string
		workers int
		n       int
		pace    time.Duration
	}{
		{"saturated", 4, 100, 0},
		{"paced", 5, 20, 20 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			seen := map[int]int{}
			start := time.Now()
			lat, err := rush.Paced(tt.workers, tt.n, tt.pace, func(w, i int) error {
				mu.Lock()
				seen[i]++
				mu.Unlock()
				time.Sleep(time.Millisecond)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(seen) != tt.n || len(lat) != tt.n {
				t.Fatalf("%d requests sent, %d latencies; want %d", len(seen), len(lat), tt.n)
			}
			for i, c := range seen {
				if c != 1 {
					t.Errorf("request %d sent %d times", i, c)
				}
			}
			for i, l := range lat {
				if l < time.Millisecond {
					t.Errorf("request %d took %v, less than its 1 ms", i, l)
				}
			}
			// Each worker sends n/workers requests, one a period: the run
			// lasts at least (n/workers - 1) periods.
			if min := tt.pace * time.Duration(tt.n/tt.workers-1); time.Since(start) < min {
				t.Errorf("%d requests at one per %v from %d workers took %v, less than %v", tt.n, tt.pace, tt.workers, time.Since(start), min)
			}
		})
	}
}

func TestPacedStopsOnError(t *testing.T) {
	boom := errors.New("boom")
	var mu sync.Mutex
	sent := 0
	_, err := rush.Paced(2, 1000, 0, func(w, i int) error {
		mu.Lock()
		sent++
		mu.Unlock()
		if i == 10 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if sent >= 1000 {
		t.Errorf("all %d requests were sent after the error", sent)
	}
}

func TestQuantile(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	for _, tt := range []struct{ p, want float64 }{{0.5, 50}, {0.99, 99}, {1, 100}} {
		if got := rush.Quantile(ds, tt.p); got != tt.want {
			t.Errorf("Quantile(%v) = %v ms, want %v", tt.p, got, tt.want)
		}
	}
}
