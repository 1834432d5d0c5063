package catalog_test

import (
	"slices"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/demo"
	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// BenchmarkSearch searches the demo's ~3,000 sessions with a text query and
// two filters, the shape of a catalog page with facets, and reports the
// latency percentiles across a mix of queries.
func BenchmarkSearch(b *testing.B) {
	gen := demo.Generate(demo.Options{Seed: 1, Attendees: 1})
	sessions := make([]*lanyard.Session, len(gen.Catalog.Sessions))
	for i := range gen.Catalog.Sessions {
		sessions[i] = &gen.Catalog.Sessions[i]
	}
	c, err := catalog.New(&gen.Catalog.Event, gen.Catalog.Venues, gen.Catalog.Travel, sessions)
	if err != nil {
		b.Fatal(err)
	}
	days, _ := gen.Catalog.Event.DayDates()
	queries := []string{"serverless", "data", "secur", "kubernetes containers", "gen ai", "a", "김", "architect"}
	filters := make([]lanyard.SessionFilter, 0, len(queries)*len(days))
	for i, q := range queries {
		for j, d := range days {
			f := lanyard.SessionFilter{Query: q, Days: []string{d}, Limit: 50}
			if (i+j)%2 == 0 {
				f.Types = []lanyard.SessionType{lanyard.TypeSession}
			} else {
				f.Levels = []int{300}
			}
			filters = append(filters, f)
		}
	}
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		t := time.Now()
		if _, _, err := c.Search(filters[i%len(filters)]); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1e3, "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds())/1e3, "p99-µs")
}
