package reserve_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// BenchmarkPlaceScans measures entries and exits at places from 200 doors
// at once (each door a goroutine scanning one attendee in, then out), on
// SQLite with synchronous=FULL: scans/s and the p99 of one scan.
func BenchmarkPlaceScans(b *testing.B) {
	ctx := context.Background()
	const doors = 200
	f := newFixture(b, storetest.OpenSQLite(b), doors)
	e := f.open(b, nil)
	for _, code := range []string{"lounge", "expo", "party"} {
		if _, err := e.PutPlace(ctx, 0, "", lanyard.Place{Code: code, Name: code, Kind: lanyard.PlaceLounge, Capacity: 150}); err != nil {
			b.Fatal(err)
		}
	}
	places := []string{"lounge", "expo", "party"}
	var mu sync.Mutex
	var lat []time.Duration
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	per := max(b.N/doors, 1)
	for d := range doors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			who, place := f.people[d], places[d%len(places)]
			mine := make([]time.Duration, 0, per)
			for n := range per {
				t0 := time.Now()
				var err error
				if n%2 == 0 {
					_, err = e.Enter(ctx, 0, who, place, "")
				} else {
					_, err = e.Exit(ctx, 0, who, place, "")
				}
				if err != nil && lanyard.ErrorCode(err) != lanyard.EPlaceFull {
					b.Error(err)
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	el := time.Since(start)
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(len(lat))/el.Seconds(), "scans/s")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
}
