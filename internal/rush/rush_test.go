package rush

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/respond"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
)

func TestGini(t *testing.T) {
	tests := []struct {
		xs   []float64
		want float64
	}{
		{[]float64{3, 3, 3, 3}, 0},
		{[]float64{0, 0, 0, 4}, 0.75},
		{[]float64{1, 2, 3, 4}, 0.25},
		{nil, 0},
		{[]float64{0, 0}, 0},
	}
	for _, tt := range tests {
		if got := Gini(tt.xs); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("Gini(%v)=%v, want %v", tt.xs, got, tt.want)
		}
	}
}

func TestWishlists(t *testing.T) {
	sessions := []Session{
		{Code: "A-R1", RepeatGroup: "A", Reservable: true, Start: "x", Capacity: 10},
		{Code: "A-R2", RepeatGroup: "A", Reservable: true, Start: "x", Capacity: 10},
		{Code: "B", Reservable: true, Start: "x", Capacity: 10},
		{Code: "C", Reservable: true, Start: "x", Capacity: 10},
		{Code: "N", Reservable: false, Start: "x", Capacity: 1000},
		{Code: "U", Reservable: true, Capacity: 1000}, // unscheduled
	}
	a := Wishlists(sessions, nil, 50, 3, 9)
	b := Wishlists(sessions, nil, 50, 3, 9)
	for i := range a {
		if !slices.Equal(a[i], b[i]) {
			t.Fatal("the same seed drew different wishlists")
		}
		if len(a[i]) != 3 {
			t.Fatalf("list %v, want 3 sessions", a[i])
		}
		if slices.Contains(a[i], "A-R1") && slices.Contains(a[i], "A-R2") {
			t.Fatalf("list %v holds two repeats of A", a[i])
		}
		if slices.Contains(a[i], "N") || slices.Contains(a[i], "U") {
			t.Fatalf("list %v holds a session that cannot be reserved", a[i])
		}
	}
	pop := map[string]float64{"B": 1} // only B has demand
	for _, l := range Wishlists(sessions, pop, 10, 3, 1) {
		if !slices.Equal(l, []string{"B"}) {
			t.Fatalf("with all demand on B, list %v", l)
		}
	}
}

func TestOutcome(t *testing.T) {
	tests := []struct {
		status int
		body   string
		want   string
	}{
		{200, `{"results":[{"session":"A","outcome":"reserved"}]}`, "reserved"},
		{200, `{"results":[{"session":"A","outcome":"refused","error":{"code":"session_full","message":"x"}}]}`, "session_full"},
		{200, `{"session":"A","outcome":"waitlisted","position":3}`, "waitlisted"},
		{409, `{"error":{"code":"limit_reached","message":"x"}}`, "limit_reached"},
		{502, `bad gateway`, "error"},
		{200, `not json`, "error"},
		{409, `{"error":{"code":"time_conflict","message":"the key \"error\":{\"code\":\"fake\" in a message"}}`, "time_conflict"},
		{200, `{"results":[]}`, "error"},
	}
	for _, tt := range tests {
		if got := outcome(tt.status, []byte(tt.body)); got != tt.want {
			t.Errorf("outcome(%d, %s)=%q, want %q", tt.status, tt.body, got, tt.want)
		}
	}
}

// TestOutcomeOfServerBodies reads bodies written the way the API writes
// them (respond.JSON, respond.Error), so a change of field names or order
// there shows here.
func TestOutcomeOfServerBodies(t *testing.T) {
	body := func(write func(w http.ResponseWriter)) []byte {
		rec := httptest.NewRecorder()
		write(rec)
		return rec.Body.Bytes()
	}
	results := func(rs ...lanyard.SeatResult) []byte {
		return body(func(w http.ResponseWriter) {
			respond.JSON(w, 200, struct {
				Results []lanyard.SeatResult `json:"results"`
			}{rs})
		})
	}
	travel := []lanyard.Warning{{Code: lanyard.ETravelTime, Message: "10 min between A and B."}}
	for _, tc := range []struct {
		name string
		raw  []byte
		want string
	}{
		{"reserved", results(lanyard.SeatResult{Session: "A", Outcome: lanyard.OutcomeReserved}), "reserved"},
		{"reserved with a travel warning", results(lanyard.SeatResult{Session: "A", Outcome: lanyard.OutcomeReserved, Warnings: travel}), "reserved"},
		{"refused", results(lanyard.SeatResult{Session: "A", Outcome: lanyard.OutcomeRefused,
			Error: lanyard.Errorf(lanyard.ESessionFull, "Full."), Warnings: travel}), "session_full"},
		{"waitlisted", body(func(w http.ResponseWriter) {
			respond.JSON(w, 200, lanyard.SeatResult{Session: "A", Outcome: lanyard.OutcomeWaitlisted, Position: 4})
		}), "waitlisted"},
		{"error body", body(func(w http.ResponseWriter) {
			respond.Error(w, httptest.NewRequest("POST", "/", nil), slog.New(slog.DiscardHandler), lanyard.Errorf(lanyard.ELimitReached, "Ten is the limit."))
		}), "limit_reached"},
	} {
		if got := outcome(200, tc.raw); got != tc.want {
			t.Errorf("%s: outcome(%s) = %q; want %q", tc.name, tc.raw, got, tc.want)
		}
	}
}

func TestWriteSVG(t *testing.T) {
	r := &Report{Label: "ledger <x>", RequestsPerSecond: 1000, P50ms: 2, P99ms: 30,
		Timeline: []Point{{0, 900, 1.5, 20}, {1, 1100, 2.5, 40}}}
	var b bytes.Buffer
	if err := r.WriteSVG(&b); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		XMLName  xml.Name
		Polyline []struct {
			Points string `xml:"points,attr"`
		} `xml:"polyline"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("not well-formed XML: %v", err)
	}
	if doc.XMLName.Local != "svg" || len(doc.Polyline) != 3 {
		t.Fatalf("svg with %d lines, want 3 (requests, p50, p99)", len(doc.Polyline))
	}
}

// TestRunAgainstFloor rushes the floor over real HTTP: the catalog is read
// across pages, every attendee makes every wish, and every request counts.
func TestRunAgainstFloor(t *testing.T) {
	var sessions []Session
	for i := range 1203 { // more than two of the client's 500-session pages
		sessions = append(sessions, Session{Code: fmt.Sprintf("S%04d", i), Type: "session", Capacity: 100,
			Reservable: true, Start: "2027-01-04T17:00:00Z"})
	}
	srv := httptest.NewServer(Floor("floor-test", sessions))
	defer srv.Close()

	got, err := Sessions(context.Background(), srv.Client(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(sessions) || got[1202].Code != "S1202" {
		t.Fatalf("read %d sessions, want the %d served, in order", len(got), len(sessions))
	}
	// Paging past the end, or by a limit near the largest int, stays in bounds.
	for _, q := range []string{"limit=9223372036854775807&offset=1", "offset=5000&limit=10", "offset=-3"} {
		resp, err := srv.Client().Get(srv.URL + "/api/v1/sessions?" + q)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("sessions?%s: %d", q, resp.StatusCode)
		}
	}
	tokens := []Token{{"a@x", "lyd_a"}, {"b@x", "lyd_b"}, {"c@x", "lyd_c"}}
	rep, err := Run(context.Background(), Options{Targets: []string{srv.URL}, Tokens: tokens, Wishlist: 4, Clients: 2, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Requests != 12 || rep.Outcomes["reserved"] != 12 || rep.Errors != 0 || rep.FirstChoiceShare != 1 {
		t.Fatalf("report %+v: want 12 requests, all reserved", rep)
	}
}
