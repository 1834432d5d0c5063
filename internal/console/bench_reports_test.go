package console_test

import (
	"context"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
)

// scaleReports adds what the reports read to the event of buildScale:
// 5,000 more attendees who each reserve three sessions and wait for one of
// the 20 most wanted (so those are wanted more than twice over and have
// long waitlists whose agendas the repeat search reads), and an
// announcement to everyone (65,000 messages for the mail report).
func scaleReports(b *testing.B, db *store.DB, eng *reserve.Engine, eventID int64, people []*lanyard.Attendee, codes []string) {
	ctx := context.Background()
	began := time.Now()
	var wg sync.WaitGroup
	var next atomic.Int64
	for range 256 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := 30_000 + int(next.Add(1)) - 1
				if i >= 35_000 {
					return
				}
				eng.Reserve(ctx, people[i].ID, []string{codes[rand.IntN(len(codes))], codes[rand.IntN(len(codes))], codes[rand.IntN(len(codes))]}, false, "")
				eng.Reserve(ctx, people[i].ID, []string{codes[i%20]}, true, "")
			}
		}()
	}
	wg.Wait()
	sending := time.Now()
	id, err := db.AddAnnouncement(ctx, lanyard.Announcement{EventID: eventID, Segment: lanyard.SegmentAll, SubjectEn: "Welcome", BodyEn: "Hello.",
		SubjectKo: "환영합니다", BodyKo: "안녕하세요.", SendAt: time.Now()}, lanyard.AuditEntry{Action: "announcement"})
	if err != nil {
		b.Fatal(err)
	}
	if n, _, err := db.SendAnnouncement(ctx, id, time.Now(), nil); err != nil || n < 65_000 {
		b.Fatalf("announcement to everyone: %d, %v", n, err)
	}
	b.Logf("waitlists and 65,000 messages in %s (the announcement's transaction %s)", time.Since(began).Round(time.Millisecond), time.Since(sending).Round(time.Millisecond))
}

// reportNow, when set, is the clock of the console at scale: the reports
// benchmarks read the event as if it were over, so every reservation
// counts towards the no-shows.
var reportNow atomic.Pointer[time.Time]

func p99(durations []time.Duration) float64 {
	slices.Sort(durations)
	return float64(durations[len(durations)*99/100].Microseconds()) / 1000
}

// BenchmarkReports serves the organizer's reports page at re:Invent scale
// (the event of BenchmarkDashboard, plus long waitlists on the 20 most
// wanted sessions and 65,000 messages), read as if the event were over.
// It reports the p99 of a page. Recorded in docs/PERFORMANCE.md.
func BenchmarkReports(b *testing.B) {
	get := atScale(b)
	end := time.Now().AddDate(0, 1, 0)
	reportNow.Store(&end)
	defer reportNow.Store(nil)
	if w := get("/console/reports"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `add_repeat`) && !strings.Contains(w.Body.String(), `/console/sessions/`) {
		b.Fatalf("reports: %d", w.Code)
	}
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		get("/console/reports")
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	b.ReportMetric(p99(durations), "p99-ms")
}

// BenchmarkReportCSV downloads each report's CSV at scale; the slowest,
// the demand of all 3,000 sessions, must take under a second.
func BenchmarkReportCSV(b *testing.B) {
	get := atScale(b)
	end := time.Now().AddDate(0, 1, 0)
	reportNow.Store(&end)
	defer reportNow.Store(nil)
	for _, name := range []string{"demand", "repeats", "fill-venue", "attendance", "mail"} {
		b.Run(name, func(b *testing.B) {
			durations := make([]time.Duration, 0, b.N)
			for range b.N {
				start := time.Now()
				w := get("/console/reports/" + name + ".csv")
				durations = append(durations, time.Since(start))
				if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "text/csv; charset=utf-8" {
					b.Fatalf("%s.csv: %d", name, w.Code)
				}
			}
			b.ReportMetric(p99(durations), "p99-ms")
		})
	}
}
