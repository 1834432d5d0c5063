package seating

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// genSpec describes a generated guest list.
type genSpec struct {
	guests, companies, topics int
	tables                    []int
	korean, both, japanese    float64 // shares of guests speaking only Korean, both, Japanese+English
	pairs                     int     // seat-me-with pairs
	trios                     int     // seat-me-with groups of three
}

// generate makes a guest list like a conference's: company sizes skewed
// (a few big sponsors, many small ones), interests drawn from popular and
// niche topics, a Korean-speaking minority, a few seat-me-with groups.
func generate(s genSpec, seed uint64) Problem {
	rng := rand.New(rand.NewPCG(seed, 1))
	var pr Problem
	pr.Tables = s.tables
	for i := 0; i < s.guests; i++ {
		// Company: Zipf-like, so company 0 is large.
		c := int(float64(s.companies) * rng.Float64() * rng.Float64())
		g := Guest{ID: int64(1000 + i), Company: fmt.Sprintf("co%02d", c)}
		switch r := rng.Float64(); {
		case r < s.korean:
			g.Languages = []string{"ko"}
		case r < s.korean+s.both:
			g.Languages = []string{"en", "ko"}
		case r < s.korean+s.both+s.japanese:
			g.Languages = []string{"ja", "en"}
		default:
			g.Languages = []string{"en"}
		}
		k := min(2+rng.IntN(4), s.topics)
		for len(g.Interests) < k {
			t := int(float64(s.topics) * rng.Float64() * rng.Float64() * 1.3)
			if t >= s.topics {
				t = rng.IntN(s.topics)
			}
			name := fmt.Sprintf("topic%02d", t)
			if !slices.Contains(g.Interests, name) {
				g.Interests = append(g.Interests, name)
			}
		}
		pr.Guests = append(pr.Guests, g)
	}
	// Requests between English speakers (every generated guest but the
	// Korean-only speaks English): guests i asks for j.
	english := func(i int) bool { return slices.Contains(pr.Guests[i].Languages, "en") }
	used := map[int]bool{}
	pick := func() int {
		for try := 0; ; try++ {
			if try > 100*len(pr.Guests) {
				return rng.IntN(len(pr.Guests))
			}
			i := rng.IntN(len(pr.Guests))
			if !used[i] && english(i) {
				used[i] = true
				return i
			}
		}
	}
	for k := 0; k < s.pairs; k++ {
		a, b := pick(), pick()
		pr.Guests[a].With = append(pr.Guests[a].With, pr.Guests[b].ID)
	}
	for k := 0; k < s.trios; k++ {
		a, b, c := pick(), pick(), pick()
		pr.Guests[a].With = append(pr.Guests[a].With, pr.Guests[b].ID)
		pr.Guests[c].With = append(pr.Guests[c].With, pr.Guests[b].ID)
	}
	return pr
}

func tables(n, size int) []int {
	t := make([]int, n)
	for i := range t {
		t[i] = size
	}
	return t
}

var lists = []struct {
	name string
	spec genSpec
}{
	{"400 guests, 60 companies, tables of 10", genSpec{guests: 400, companies: 60, topics: 40, tables: tables(40, 10), korean: 0.08, both: 0.12, pairs: 20, trios: 3}},
	{"150 guests, 25 companies, tables of 8 and 12, three languages", genSpec{guests: 150, companies: 25, topics: 25, tables: append(tables(8, 8), tables(8, 12)...), korean: 0.1, both: 0.1, japanese: 0.15, pairs: 10, trios: 4}},
	{"1000 guests, 120 companies, tables of 10 with room", genSpec{guests: 1000, companies: 120, topics: 80, tables: tables(110, 10), korean: 0.05, both: 0.15, pairs: 50, trios: 10}},
}

// TestSeatBeatsRandom: on three generated guest lists the optimizer's plan
// holds every hard constraint and beats random seating (which also holds
// them) on the share of same-table pairs from different companies who
// share an interest, and on the worst table — against each of five random
// plans.
func TestSeatBeatsRandom(t *testing.T) {
	for _, l := range lists {
		t.Run(l.name, func(t *testing.T) {
			pr := generate(l.spec, 7)
			plan, err := Seat(pr, 42, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := Check(pr, plan); err != nil {
				t.Fatalf("Seat broke a hard constraint: %v", err)
			}
			got := Score(pr, plan)
			for s := uint64(1); s <= 5; s++ {
				rp, err := Random(pr, s)
				if err != nil {
					t.Fatal(err)
				}
				if err := Check(pr, rp); err != nil {
					t.Fatalf("Random broke a hard constraint: %v", err)
				}
				base := Score(pr, rp)
				if s == 1 {
					t.Logf("seat:   share %.3f worst %.3f same-company pairs %d", got.Share, got.WorstTable, got.SameCo)
					t.Logf("random: share %.3f worst %.3f same-company pairs %d", base.Share, base.WorstTable, base.SameCo)
				}
				if got.Share <= base.Share {
					t.Errorf("random seed %d: share %.3f, random %.3f", s, got.Share, base.Share)
				}
				if got.WorstTable <= base.WorstTable {
					t.Errorf("random seed %d: worst table %.3f, random %.3f", s, got.WorstTable, base.WorstTable)
				}
				if got.SameCo >= base.SameCo {
					t.Errorf("random seed %d: same-company pairs %d, random %d", s, got.SameCo, base.SameCo)
				}
			}
		})
	}
}

// TestSeatDeterministic: the same problem and seed give the same plan; a
// different seed may give another, which also holds.
func TestSeatDeterministic(t *testing.T) {
	pr := generate(lists[0].spec, 3)
	a, err := Seat(pr, 9, Options{Iterations: 50000})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Seat(pr, 9, Options{Iterations: 50000})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Table, b.Table) {
		t.Fatal("same seed, different plans")
	}
	c, err := Seat(pr, 10, Options{Iterations: 50000})
	if err != nil {
		t.Fatal(err)
	}
	if err := Check(pr, c); err != nil {
		t.Fatal(err)
	}
}

// TestSeatRandomProblems: many small random problems, each either refused
// with a named error or seated within every hard constraint.
func TestSeatRandomProblems(t *testing.T) {
	for seed := uint64(0); seed < 200; seed++ {
		rng := rand.New(rand.NewPCG(seed, 2))
		n := 1 + rng.IntN(40)
		spec := genSpec{guests: n, companies: 1 + rng.IntN(8), topics: 1 + rng.IntN(10),
			tables: tables(1+rng.IntN(8), 2+rng.IntN(8)), korean: rng.Float64() * 0.3, both: rng.Float64() * 0.3,
			pairs: rng.IntN(n/4 + 1)}
		pr := generate(spec, seed)
		plan, err := Seat(pr, seed, Options{Iterations: 2000})
		if err != nil {
			if errors.Is(err, ErrNoSeats) || errors.Is(err, ErrLanguageTables) || errors.Is(err, ErrGroupTooLarge) {
				continue
			}
			t.Fatalf("seed %d: %v", seed, err)
		}
		if err := Check(pr, plan); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
	}
}

func TestSeatRefuses(t *testing.T) {
	en := []string{"en"}
	for _, tc := range []struct {
		name string
		pr   Problem
		want error
	}{
		{"more guests than seats", Problem{Guests: []Guest{{ID: 1, Languages: en}, {ID: 2, Languages: en}}, Tables: []int{1}}, ErrNoSeats},
		{"group larger than a table", Problem{Guests: []Guest{{ID: 1, Languages: en, With: []int64{2}}, {ID: 2, Languages: en, With: []int64{3}}, {ID: 3, Languages: en}}, Tables: []int{2, 2}}, ErrGroupTooLarge},
		{"group without a language", Problem{Guests: []Guest{{ID: 1, Languages: en, With: []int64{2}}, {ID: 2, Languages: []string{"ko"}}}, Tables: []int{4}}, ErrNoLanguage},
		{"no table for a language", Problem{Guests: []Guest{{ID: 1, Languages: en}, {ID: 2, Languages: []string{"ko"}}}, Tables: []int{4}}, ErrLanguageTables},
		{"no language", Problem{Guests: []Guest{{ID: 1}}, Tables: []int{4}}, ErrBadGuest},
		{"duplicate guest", Problem{Guests: []Guest{{ID: 1, Languages: en}, {ID: 1, Languages: en}}, Tables: []int{4}}, ErrBadGuest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Seat(tc.pr, 1, Options{})
			if !errors.Is(err, tc.want) {
				t.Fatalf("err=%v, want %v", err, tc.want)
			}
		})
	}
}

// TestCheckCatches: Check names each broken hard constraint.
func TestCheckCatches(t *testing.T) {
	en, ko := []string{"en"}, []string{"ko"}
	pr := Problem{Guests: []Guest{{ID: 1, Languages: en, With: []int64{2}}, {ID: 2, Languages: en}, {ID: 3, Languages: ko}}, Tables: []int{2, 2}}
	for _, tc := range []struct {
		name string
		plan []int
		ok   bool
	}{
		{"fine", []int{0, 0, 1}, true},
		{"over size", []int{0, 0, 0}, false},
		{"split request", []int{0, 1, 1}, false},
		{"no shared language", []int{1, 1, 1}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(pr, Plan{Table: tc.plan})
			if (err == nil) != tc.ok {
				t.Fatalf("Check=%v, ok want %v", err, tc.ok)
			}
		})
	}
}

// BenchmarkSeat2000: 2,000 guests from 200 companies at 200 tables of 10.
func BenchmarkSeat2000(b *testing.B) {
	pr := generate(genSpec{guests: 2000, companies: 200, topics: 120, tables: tables(200, 10), korean: 0.06, both: 0.14, pairs: 100, trios: 20}, 11)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		plan, err := Seat(pr, uint64(i), Options{})
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			m, r := Score(pr, plan), Score(pr, must(Random(pr, 1)))
			b.Logf("seat share %.3f worst %.3f; random share %.3f worst %.3f", m.Share, m.WorstTable, r.Share, r.WorstTable)
		}
	}
}

func must(p Plan, err error) Plan {
	if err != nil {
		panic(err)
	}
	return p
}
