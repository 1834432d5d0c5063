package rush

import (
	"sync"
	"sync/atomic"
	"time"
)

// Paced runs n requests from workers clients at once, as devices at a
// show do (doors, booths): each worker sends one request every pace, the
// workers' first requests spread over the first period so they do not
// arrive together; with pace 0 each sends again as soon as it has its
// answer, which finds the server's throughput. do sends request i from
// worker w. Paced returns each request's latency, by i, and the first
// error, after which the workers stop.
func Paced(workers, n int, pace time.Duration, do func(w, i int) error) ([]time.Duration, error) {
	lat := make([]time.Duration, n)
	var (
		next    atomic.Int64
		wg      sync.WaitGroup
		errOnce sync.Once
		first   error
		failed  atomic.Bool
	)
	for w := range workers {
		wg.Go(func() {
			tick := time.Now().Add(pace * time.Duration(w) / time.Duration(workers))
			for !failed.Load() {
				if pace > 0 {
					time.Sleep(time.Until(tick))
					tick = tick.Add(pace)
				}
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				t0 := time.Now()
				if err := do(w, i); err != nil {
					errOnce.Do(func() { first = err })
					failed.Store(true)
					return
				}
				lat[i] = time.Since(t0)
			}
		})
	}
	wg.Wait()
	return lat, first
}

// Quantile returns the p-quantile of ds in milliseconds (sorting ds): the
// figure benchmarks report as p50-ms and p99-ms.
func Quantile(ds []time.Duration, p float64) float64 { return percentile(ds, p) }
