package expo

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

func TestWalk(t *testing.T) {
	tests := []struct {
		name string
		from Point
		pts  []Point
		want []int
	}{
		{"none", Point{0, 0}, nil, []int{}},
		{"one", Point{0, 0}, []Point{{5, 5}}, []int{0}},
		{"a line walked outwards", Point{0, 0}, []Point{{30, 0}, {10, 0}, {20, 0}}, []int{1, 2, 0}},
		// Nearest neighbour goes to (1,0), back to (-2,0), then out again.
		{"two sides", Point{0, 0}, []Point{{1, 0}, {-2, 0}, {10, 0}, {11, 0}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Walk(tc.from, tc.pts)
			if tc.want != nil && !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
				t.Errorf("Walk = %v, want %v", got, tc.want)
			}
			seen := map[int]bool{}
			for _, i := range got {
				if seen[i] || i < 0 || i >= len(tc.pts) {
					t.Fatalf("Walk = %v: not each point once", got)
				}
				seen[i] = true
			}
			if len(got) != len(tc.pts) {
				t.Fatalf("Walk = %v visits %d of %d", got, len(got), len(tc.pts))
			}
		})
	}
}

// On random halls the walk visits every booth once, is deterministic, and
// is in total under half as long as random orders of the same booths.
func TestWalkRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var walked, random float64
	for range 200 {
		n := 1 + r.IntN(30)
		pts := make([]Point, n)
		for i := range pts {
			pts[i] = Point{r.Float64() * 1000, r.Float64() * 600}
		}
		from := Point{500, 600}
		got := Walk(from, pts)
		if !slices.Equal(got, Walk(from, pts)) {
			t.Fatal("Walk is not deterministic")
		}
		sorted := slices.Sorted(slices.Values(got))
		for i := range sorted {
			if sorted[i] != i {
				t.Fatalf("Walk = %v: not a permutation", got)
			}
		}
		perm := r.Perm(n)
		walked += Length(from, pts, got)
		random += Length(from, pts, perm)
	}
	if walked > random*0.5 {
		t.Errorf("walks total %.0f, random orders %.0f: want under half", walked, random)
	}
	t.Logf("walk total %.0f vs random %.0f (%.0f%%)", walked, random, 100*walked/random)
}

func BenchmarkWalk50(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	pts := make([]Point, 50)
	for i := range pts {
		pts[i] = Point{r.Float64() * 1000, r.Float64() * 600}
	}
	for b.Loop() {
		Walk(Point{500, 600}, pts)
	}
}

// Both languages have the same keys, sorted.
func TestLocales(t *testing.T) {
	var keys [2][]string
	for i, lang := range []string{"en", "ko"} {
		b, err := os.ReadFile("locales/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(bytesReader(b))
		if _, err := dec.Token(); err != nil {
			t.Fatal(err)
		}
		for dec.More() {
			k, _ := dec.Token()
			var v string
			if err := dec.Decode(&v); err != nil {
				t.Fatal(err)
			}
			keys[i] = append(keys[i], k.(string))
		}
		if !slices.IsSorted(keys[i]) {
			t.Errorf("%s.json keys are not sorted", lang)
		}
	}
	if !slices.Equal(keys[0], keys[1]) {
		t.Error("en.json and ko.json have different keys")
	}
}

func FuzzParseEvent(f *testing.F) {
	f.Add("talk", "Lightning", "", "2026-12-01T16:00", "2026-12-01T17:00")
	f.Add("giveaway", "Socks\n", "x", "2026-12-01T25:00", "")
	f.Add("demo", "", "", "2026-12-03T23:59", "2026-12-04T00:00")
	ev := &lanyard.Event{StartDate: "2026-12-01", Days: 3}
	loc, _ := time.LoadLocation("America/Los_Angeles")
	f.Fuzz(func(t *testing.T, kind, title, desc, starts, ends string) {
		e, err := ParseEvent(ev, loc, kind, title, desc, starts, ends)
		if err != nil {
			return
		}
		if !e.Ends.After(e.Starts) || e.Title == "" || !oneLine(e.Title) || len([]rune(e.Title)) > 120 {
			t.Fatalf("accepted %+v", e)
		}
	})
}

func FuzzParseDetails(f *testing.F) {
	f.Add("desc", "https://a.example", "AI, Storage", "Mon 4–7 PM")
	f.Add("", "javascript:alert(1)", ",,,", "a\nb")
	f.Fuzz(func(t *testing.T, desc, site, cats, hours string) {
		d, err := ParseDetails(desc, site, cats, hours)
		if err != nil {
			return
		}
		if len(d.Categories) > 8 || !oneLine(d.Hours) || (d.Website != "" && !(len(d.Website) > 7 && (d.Website[:7] == "http://" || d.Website[:8] == "https://"))) {
			t.Fatalf("accepted %+v", d)
		}
		for _, c := range d.Categories {
			if c == "" || !oneLine(c) {
				t.Fatalf("category %q", c)
			}
		}
	})
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
