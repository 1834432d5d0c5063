package console_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// The ratings report counts each session's ratings by score, averages
// them, lists the comments without names, and links each session's
// results for its speakers; only organizers see it.
func TestRatingsReport(t *testing.T) {
	var now atomic.Pointer[time.Time]
	t0 := engineNow
	now.Store(&t0)
	e := newEnvAt(t, storetest.OpenSQLite(t), func() time.Time { return *now.Load() })
	ctx := context.Background()
	people := e.crowd("guest", 4)
	for _, a := range people[:3] {
		e.reserve(a, "A")
	}
	door := at(1, 10).Add(-15 * time.Minute)
	now.Store(&door)
	staff := e.people[lanyard.RoleStaff].ID
	for _, a := range people[:2] {
		if _, err := e.eng.CheckIn(ctx, staff, a.ID, "A", ""); err != nil {
			t.Fatal(err)
		}
	}
	released := at(1, 10).Add(-5 * time.Minute)
	now.Store(&released)
	// A walk-up was in the room too, and may rate it.
	if _, err := e.eng.AdmitWalkup(ctx, staff, people[3].ID, "A", ""); err != nil {
		t.Fatal(err)
	}
	a, _ := e.h.Catalog.Load().Session("A")
	for i, rt := range []lanyard.Rating{{Score: 5, Comment: "Great demo, line two\nof it"}, {Score: 3}, {Score: 2}, {Score: 4, Comment: "Useful"}} {
		rt.Session = "A"
		who := people[i]
		_, err := e.db.PutRating(ctx, who.ID, a.ID, rt)
		switch {
		case i == 2: // reserved but never checked in
			if lanyard.ErrorCode(err) != lanyard.ENotCheckedIn {
				t.Fatalf("a rating without check-in: %v, want not_checked_in", err)
			}
		case err != nil:
			t.Fatal(err)
		}
	}
	org := e.signIn(lanyard.RoleOrganizer)
	r := org.Get("/console/reports/ratings.csv")
	if r.Status != http.StatusOK || r.Header.Get("Content-Disposition") != `attachment; filename="test-conf-ratings.csv"` {
		t.Fatalf("ratings.csv: %d %q", r.Status, r.Header.Get("Content-Disposition"))
	}
	recs, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(recs[0], ","), "session,title,ratings,average,score_5,score_4,score_3,score_2,score_1,comments,speaker_link"; got != want {
		t.Errorf("header = %s, want %s", got, want)
	}
	if len(recs) != 2 {
		t.Fatalf("%d records, want the header and A", len(recs))
	}
	row := recs[1]
	if got, want := strings.Join(row[:9], ","), "A,Serverless APIs,3,4.00,1,1,1,0,0"; got != want {
		t.Errorf("row = %s, want %s", got, want)
	}
	comments := strings.Split(row[9], "\n4★")
	if got := row[9]; !strings.Contains(got, "5★ Great demo, line two\nof it") || !strings.Contains(got, "4★ Useful") || strings.Contains(got, "guest") {
		t.Errorf("comments = %q (%d)", got, len(comments))
	}
	link := row[10]
	if !strings.Contains(link, "/ratings/A?sig=") {
		t.Fatalf("speaker link = %q", link)
	}
	// The link works for anyone who has it, signed in or not.
	res := e.client().Get(strings.TrimPrefix(link, e.srv.URL))
	if res.Status != http.StatusOK || !strings.Contains(res.Body, "Average 4.0 of 5 from 3 ratings") || !strings.Contains(res.Body, "Useful") {
		t.Errorf("speaker page: %d\n%.1500s", res.Status, res.Body)
	}
	page := org.Get("/console/reports")
	if !strings.Contains(page.Body, `id="table-ratings"`) || !strings.Contains(page.Body, `id="csv-ratings"`) {
		t.Error("the reports page has no ratings section")
	}
	titles := wellFormedSVGs(t, page.Body)
	if !slices.Contains(titles, "Session ratings") {
		t.Errorf("no ratings chart among %v", titles)
	}
	// Staff run the doors, not the speakers' results.
	if r := e.signIn(lanyard.RoleStaff).Get("/console/reports/ratings.csv"); r.Status != http.StatusForbidden {
		t.Errorf("staff ratings.csv: %d, want 403", r.Status)
	}
	if strings.Contains(e.signIn(lanyard.RoleStaff).Get("/console/reports").Body, "table-ratings") {
		t.Error("staff see the ratings report")
	}
}
