// Package seating assigns dinner guests to tables so that people meet
// people they do not know yet: each company is spread across tables, guests
// who share an interest sit together, every table has a language all of its
// guests speak, and "seat me with" requests are honoured.
//
// Table sizes, seat-me-with requests and a shared language per table are
// hard constraints: Seat never returns a plan that breaks one (Check
// verifies a plan). Mixing is the objective, improved by simulated
// annealing from a feasible start. The result depends only on the problem
// and the seed.
package seating

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"sort"
)

// Guest is one person to seat.
type Guest struct {
	ID        int64
	Company   string   // "" counts as a company of one
	Languages []string // at least one
	Interests []string // sessions, topics, booths: anything two people may share
	With      []int64  // "seat me with": IDs of other guests; unknown IDs are ignored
}

// Problem is a guest list and the tables' sizes.
type Problem struct {
	Guests []Guest
	Tables []int // seats per table
}

// Plan is a seating: Table[i] is the index in Problem.Tables of the table of
// Problem.Guests[i].
type Plan struct {
	Table []int
}

// Options tune the search; the zero value is the default.
type Options struct {
	// Iterations of the annealing; 0 means 1,000 per guest (at least 20,000).
	Iterations int
}

// Errors returned by Seat for a problem no plan can satisfy.
var (
	ErrNoSeats        = errors.New("seating: more guests than seats")
	ErrGroupTooLarge  = errors.New("seating: a seat-me-with group is larger than every table")
	ErrNoLanguage     = errors.New("seating: a seat-me-with group shares no language")
	ErrLanguageTables = errors.New("seating: the guests do not fit the tables with a shared language at each")
	ErrTooManyLangs   = errors.New("seating: more than 64 languages")
	ErrBadGuest       = errors.New("seating: a guest has no language or a duplicate ID")
)

// Measure is how well a plan mixes people.
type Measure struct {
	Pairs      int     // pairs of guests at the same table
	Mixed      int     // of which: from different companies and sharing an interest
	SameCo     int     // of which: from the same company
	Share      float64 // Mixed / Pairs
	WorstTable float64 // the lowest Mixed/Pairs of a table with at least two guests
}

// prepared is the problem in indexes: languages as bit masks, interests as
// a pairwise bit matrix, companies as numbers, requests as units.
type prepared struct {
	n      int
	lang   []uint64 // per guest
	nlangs int
	co     []int32
	share  []uint64 // n*words bit matrix: guests i and j share an interest
	words  int
	unit   []int32   // guest → unit
	units  [][]int32 // unit → guests
	umask  []uint64  // unit → languages all its guests speak
	caps   []int
}

func (p *prepared) shares(i, j int) bool {
	return p.share[i*p.words+j>>6]&(1<<(uint(j)&63)) != 0
}

// good reports whether i and j make a new connection worth a seat: other
// companies, a shared interest.
func (p *prepared) good(i, j int) bool { return p.co[i] != p.co[j] && p.shares(i, j) }

func prepare(pr Problem) (*prepared, error) {
	n := len(pr.Guests)
	p := &prepared{n: n, caps: pr.Tables, words: (n + 63) / 64}
	seats, maxCap := 0, 0
	for _, c := range pr.Tables {
		seats += max(c, 0)
		maxCap = max(maxCap, c)
	}
	if n > seats {
		return nil, ErrNoSeats
	}
	index := make(map[int64]int, n)
	langs := map[string]int{}
	companies := map[string]int32{}
	interests := map[string]int{}
	p.lang = make([]uint64, n)
	p.co = make([]int32, n)
	var held [][]int // guest → interest indexes
	for i, g := range pr.Guests {
		if _, dup := index[g.ID]; dup || len(g.Languages) == 0 {
			return nil, fmt.Errorf("%w (guest %d)", ErrBadGuest, g.ID)
		}
		index[g.ID] = i
		for _, l := range g.Languages {
			k, ok := langs[l]
			if !ok {
				k = len(langs)
				if k >= 64 {
					return nil, ErrTooManyLangs
				}
				langs[l] = k
			}
			p.lang[i] |= 1 << uint(k)
		}
		if g.Company == "" {
			p.co[i] = int32(-1 - i) // a company of one
		} else {
			c, ok := companies[g.Company]
			if !ok {
				c = int32(len(companies))
				companies[g.Company] = c
			}
			p.co[i] = c
		}
		var mine []int
		for _, s := range g.Interests {
			k, ok := interests[s]
			if !ok {
				k = len(interests)
				interests[s] = k
			}
			mine = append(mine, k)
		}
		held = append(held, mine)
	}
	p.nlangs = len(langs)
	// Pairwise shares through an inverted index: interest → guests.
	p.share = make([]uint64, n*p.words)
	byInterest := make([][]int, len(interests))
	for i, ks := range held {
		for _, k := range ks {
			if l := byInterest[k]; len(l) == 0 || l[len(l)-1] != i {
				byInterest[k] = append(byInterest[k], i)
			}
		}
	}
	for _, gs := range byInterest {
		for _, i := range gs {
			row := p.share[i*p.words : (i+1)*p.words]
			for _, j := range gs {
				if j != i {
					row[j>>6] |= 1 << (uint(j) & 63)
				}
			}
		}
	}
	// Units: union-find over seat-me-with requests.
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for i, g := range pr.Guests {
		for _, w := range g.With {
			if j, ok := index[w]; ok {
				a, b := find(i), find(j)
				if a != b {
					parent[max(a, b)] = min(a, b)
				}
			}
		}
	}
	p.unit = make([]int32, n)
	rootUnit := make([]int32, n)
	for i := range rootUnit {
		rootUnit[i] = -1
	}
	for i := 0; i < n; i++ {
		r := find(i)
		if rootUnit[r] < 0 {
			rootUnit[r] = int32(len(p.units))
			p.units = append(p.units, nil)
			p.umask = append(p.umask, ^uint64(0))
		}
		u := rootUnit[r]
		p.unit[i] = u
		p.units[u] = append(p.units[u], int32(i))
		p.umask[u] &= p.lang[i]
	}
	for u, gs := range p.units {
		if len(gs) > maxCap {
			return nil, fmt.Errorf("%w (guest %d with %d others)", ErrGroupTooLarge, pr.Guests[gs[0]].ID, len(gs)-1)
		}
		if p.umask[u] == 0 {
			return nil, fmt.Errorf("%w (guest %d)", ErrNoLanguage, pr.Guests[gs[0]].ID)
		}
	}
	return p, nil
}

// state is a plan being improved: tables' members, counts and scores.
type state struct {
	p       *prepared
	table   []int     // guest → table
	members [][]int32 // table → guests
	opened  []int     // tables in use, in the order opened
	isOpen  []bool
	cnt     [][]int32 // table → language → guests speaking it
	mixed   []int     // table → good pairs
	same    []int     // table → same-company pairs
}

// construct places units greedily: the most constrained first (fewest
// languages, then largest), into an open table that shares a language and
// has room, else into the largest table not yet opened. rng breaks ties,
// so Random is this with nothing after it.
func construct(p *prepared, rng *rand.Rand) (*state, error) {
	st := &state{p: p, table: make([]int, p.n), members: make([][]int32, len(p.caps)),
		isOpen: make([]bool, len(p.caps)), cnt: make([][]int32, len(p.caps)),
		mixed: make([]int, len(p.caps)), same: make([]int, len(p.caps))}
	for t := range st.cnt {
		st.cnt[t] = make([]int32, p.nlangs)
	}
	order := make([]int, len(p.units))
	for i := range order {
		order[i] = i
	}
	rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	sort.SliceStable(order, func(a, b int) bool {
		ua, ub := order[a], order[b]
		la, lb := bits.OnesCount64(p.umask[ua]), bits.OnesCount64(p.umask[ub])
		if la != lb {
			return la < lb
		}
		return len(p.units[ua]) > len(p.units[ub])
	})
	closed := make([]int, len(p.caps))
	for i := range closed {
		closed[i] = i
	}
	sort.SliceStable(closed, func(a, b int) bool { return p.caps[closed[a]] > p.caps[closed[b]] })
	var fits []int
	for _, u := range order {
		size := len(p.units[u])
		fits = fits[:0]
		for _, t := range st.opened {
			if p.caps[t]-len(st.members[t]) >= size && st.tableMask(t)&p.umask[u] != 0 {
				fits = append(fits, t)
			}
		}
		var t int
		if len(fits) > 0 {
			t = fits[rng.IntN(len(fits))]
		} else {
			found := false
			for k, c := range closed {
				if p.caps[c] >= size {
					t, found = c, true
					closed = slices.Delete(closed, k, k+1)
					break
				}
			}
			if !found {
				return nil, ErrLanguageTables
			}
			st.isOpen[t] = true
			st.opened = append(st.opened, t)
		}
		for _, g := range p.units[u] {
			st.add(int(g), t)
		}
	}
	return st, nil
}

func (st *state) tableMask(t int) uint64 {
	size := int32(len(st.members[t]))
	var m uint64
	for l, c := range st.cnt[t] {
		if c == size {
			m |= 1 << uint(l)
		}
	}
	if size == 0 {
		return ^uint64(0)
	}
	return m
}

func (st *state) add(g, t int) {
	p := st.p
	for _, o := range st.members[t] {
		if p.good(g, int(o)) {
			st.mixed[t]++
		}
		if p.co[g] == p.co[o] {
			st.same[t]++
		}
	}
	st.members[t] = append(st.members[t], int32(g))
	st.table[g] = t
	for l := 0; l < p.nlangs; l++ {
		if p.lang[g]&(1<<uint(l)) != 0 {
			st.cnt[t][l]++
		}
	}
}

func (st *state) remove(g, t int) {
	p := st.p
	ms := st.members[t]
	k := slices.Index(ms, int32(g))
	ms[k] = ms[len(ms)-1]
	st.members[t] = ms[:len(ms)-1]
	for _, o := range st.members[t] {
		if p.good(g, int(o)) {
			st.mixed[t]--
		}
		if p.co[g] == p.co[o] {
			st.same[t]--
		}
	}
	for l := 0; l < p.nlangs; l++ {
		if p.lang[g]&(1<<uint(l)) != 0 {
			st.cnt[t][l]--
		}
	}
}

// value is a table's worth: its new connections with diminishing returns
// (so the search lifts the poorest tables too), less a price per pair from
// one company.
func value(mixed, same int) float64 {
	return float64(mixed) + 6*math.Sqrt(float64(mixed)) - 4*float64(same)
}

// pairs counts, between the guests of unit u and the guests of table t that
// are not in unit skip (nor in u), good and same-company pairs.
func (st *state) pairs(u int32, t int, skip int32) (good, same int) {
	p := st.p
	for _, g := range p.units[u] {
		for _, o := range st.members[t] {
			if ou := p.unit[o]; ou == u || ou == skip {
				continue
			}
			if p.good(int(g), int(o)) {
				good++
			}
			if p.co[g] == p.co[o] {
				same++
			}
		}
	}
	return
}

// langOK reports whether table t, after losing unit out (or -1) and gaining
// unit in (or -1), still has a language all of its guests speak.
func (st *state) langOK(t int, out, in int32) bool {
	p := st.p
	size := int32(len(st.members[t]))
	var mOut, mIn uint64
	var cOut, cIn []int32
	if out >= 0 {
		size -= int32(len(p.units[out]))
		cOut = st.unitCounts(out)
		mOut = 1
	}
	if in >= 0 {
		size += int32(len(p.units[in]))
		cIn = st.unitCounts(in)
		mIn = 1
	}
	if size == 0 {
		return true
	}
	for l := 0; l < p.nlangs; l++ {
		c := st.cnt[t][l]
		if mOut != 0 {
			c -= cOut[l]
		}
		if mIn != 0 {
			c += cIn[l]
		}
		if c == size {
			return true
		}
	}
	return false
}

func (st *state) unitCounts(u int32) []int32 {
	p := st.p
	c := make([]int32, p.nlangs)
	for _, g := range p.units[u] {
		for l := 0; l < p.nlangs; l++ {
			if p.lang[g]&(1<<uint(l)) != 0 {
				c[l]++
			}
		}
	}
	return c
}

// within counts good and same-company pairs inside a unit; they move with it.
func (st *state) within(u int32) (good, same int) {
	p := st.p
	gs := p.units[u]
	for a := 0; a < len(gs); a++ {
		for b := a + 1; b < len(gs); b++ {
			if p.good(int(gs[a]), int(gs[b])) {
				good++
			}
			if p.co[gs[a]] == p.co[gs[b]] {
				same++
			}
		}
	}
	return
}

// anneal improves st by moves (a unit to a table with room) and swaps (two
// units of one size), accepting a worse plan with a probability that falls
// to zero over the run.
func (st *state) anneal(rng *rand.Rand, iterations int) {
	p := st.p
	if len(st.opened) < 2 || len(p.units) < 2 {
		return
	}
	// Unit sizes and their within-pairs never change.
	wGood := make([]int, len(p.units))
	wSame := make([]int, len(p.units))
	for u := range p.units {
		wGood[u], wSame[u] = st.within(int32(u))
	}
	t0, t1 := 2.0, 0.02
	for it := 0; it < iterations; it++ {
		temp := t0 * math.Pow(t1/t0, float64(it)/float64(iterations))
		g := rng.IntN(p.n)
		u := p.unit[g]
		ta := st.table[g]
		tb := st.opened[rng.IntN(len(st.opened))]
		if tb == ta {
			continue
		}
		size := len(p.units[u])
		v := int32(-1)
		if p.caps[tb]-len(st.members[tb]) < size || rng.IntN(2) == 0 {
			if len(st.members[tb]) == 0 {
				continue
			}
			o := st.members[tb][rng.IntN(len(st.members[tb]))]
			v = p.unit[o]
			if len(p.units[v]) != size {
				continue
			}
		}
		if !st.langOK(ta, u, v) || !st.langOK(tb, v, u) {
			continue
		}
		// New counts of table a: lose u's pairs with a's others, gain v's.
		outGA, outSA := st.pairs(u, ta, v)
		newMA := st.mixed[ta] - outGA - wGood[u]
		newSA := st.same[ta] - outSA - wSame[u]
		outGB, outSB := 0, 0
		inGB, inSB := st.pairs(u, tb, v)
		newMB := st.mixed[tb] + inGB + wGood[u]
		newSB := st.same[tb] + inSB + wSame[u]
		if v >= 0 {
			inGA, inSA := st.pairs(v, ta, u)
			newMA += inGA + wGood[v]
			newSA += inSA + wSame[v]
			outGB, outSB = st.pairs(v, tb, u)
			newMB -= outGB + wGood[v]
			newSB -= outSB + wSame[v]
		}
		delta := value(newMA, newSA) + value(newMB, newSB) -
			value(st.mixed[ta], st.same[ta]) - value(st.mixed[tb], st.same[tb])
		if delta < 0 && rng.Float64() >= math.Exp(delta/temp) {
			continue
		}
		for _, x := range p.units[u] {
			st.remove(int(x), ta)
		}
		if v >= 0 {
			for _, x := range p.units[v] {
				st.remove(int(x), tb)
			}
			for _, x := range p.units[v] {
				st.add(int(x), ta)
			}
		}
		for _, x := range p.units[u] {
			st.add(int(x), tb)
		}
	}
}

// ratio is a table's share of pairs that are new connections; 1 for a
// table of fewer than two (it has no pair to be poor in).
func ratio(mixed, n int) float64 {
	if n < 2 {
		return 1
	}
	return float64(mixed) / float64(n*(n-1)/2)
}

// liftWorst raises the poorest table: up to rounds times, it swaps a guest
// of the table with the lowest ratio (alone in their unit) for a guest of
// another table, choosing the swap that leaves both tables best off, as
// long as both end above the poorest table's old ratio. The annealing
// optimizes the sum with a nod to fairness; this makes sure of the worst.
func (st *state) liftWorst(rounds int) {
	p := st.p
	for ; rounds > 0; rounds-- {
		worst, wr := -1, 2.0
		for _, t := range st.opened {
			if r := ratio(st.mixed[t], len(st.members[t])); r < wr {
				worst, wr = t, r
			}
		}
		if worst < 0 {
			return
		}
		bestX, bestY, best := -1, -1, wr
		nw := len(st.members[worst])
		for _, x32 := range st.members[worst] {
			x := int(x32)
			ux := p.unit[x]
			if len(p.units[ux]) != 1 {
				continue
			}
			outX, _ := st.pairs(ux, worst, -1)
			for y := 0; y < p.n; y++ {
				ty := st.table[y]
				uy := p.unit[y]
				if ty == worst || len(p.units[uy]) != 1 {
					continue
				}
				if !st.langOK(worst, ux, uy) || !st.langOK(ty, uy, ux) {
					continue
				}
				inY, _ := st.pairs(uy, worst, ux)
				mw := st.mixed[worst] - outX + inY
				if ratio(mw, nw) <= best {
					continue
				}
				outY, _ := st.pairs(uy, ty, -1)
				inX, _ := st.pairs(ux, ty, uy)
				my := st.mixed[ty] - outY + inX
				if r := min(ratio(mw, nw), ratio(my, len(st.members[ty]))); r > best {
					bestX, bestY, best = x, y, r
				}
			}
		}
		if bestX < 0 {
			return
		}
		ty := st.table[bestY]
		st.remove(bestX, worst)
		st.remove(bestY, ty)
		st.add(bestY, worst)
		st.add(bestX, ty)
	}
}

// Seat returns a plan that holds every hard constraint and mixes people as
// well as the search finds, the same plan for the same problem and seed.
func Seat(pr Problem, seed uint64, opt Options) (Plan, error) {
	p, err := prepare(pr)
	if err != nil {
		return Plan{}, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x5ea7))
	st, err := construct(p, rng)
	if err != nil {
		return Plan{}, err
	}
	iters := opt.Iterations
	if iters == 0 {
		iters = max(1000*p.n, 20000)
	}
	st.anneal(rng, iters)
	st.liftWorst(4 * len(st.opened))
	return Plan{Table: st.table}, nil
}

// Random returns a random plan that holds the hard constraints (units in a
// random order into random tables that fit): the baseline Seat is measured
// against.
func Random(pr Problem, seed uint64) (Plan, error) {
	p, err := prepare(pr)
	if err != nil {
		return Plan{}, err
	}
	st, err := construct(p, rand.New(rand.NewPCG(seed, 0x7a11)))
	if err != nil {
		return Plan{}, err
	}
	return Plan{Table: st.table}, nil
}

// Check returns an error naming the first hard constraint plan breaks: a
// table over its size, a seat-me-with request split, or a table without a
// language all its guests speak.
func Check(pr Problem, plan Plan) error {
	if len(plan.Table) != len(pr.Guests) {
		return fmt.Errorf("seating: plan has %d guests, problem %d", len(plan.Table), len(pr.Guests))
	}
	size := make([]int, len(pr.Tables))
	index := map[int64]int{}
	for i, g := range pr.Guests {
		index[g.ID] = i
		t := plan.Table[i]
		if t < 0 || t >= len(pr.Tables) {
			return fmt.Errorf("seating: guest %d at no table", g.ID)
		}
		size[t]++
	}
	for t, s := range size {
		if s > pr.Tables[t] {
			return fmt.Errorf("seating: table %d has %d guests for %d seats", t, s, pr.Tables[t])
		}
	}
	for i, g := range pr.Guests {
		for _, w := range g.With {
			if j, ok := index[w]; ok && plan.Table[j] != plan.Table[i] {
				return fmt.Errorf("seating: guest %d asked to sit with %d, tables %d and %d", g.ID, w, plan.Table[i], plan.Table[j])
			}
		}
	}
	common := make([]map[string]int, len(pr.Tables))
	for i, g := range pr.Guests {
		t := plan.Table[i]
		if common[t] == nil {
			common[t] = map[string]int{}
		}
		for _, l := range uniq(g.Languages) {
			common[t][l]++
		}
	}
	for t, m := range common {
		if m == nil {
			continue
		}
		ok := false
		for _, c := range m {
			if c == size[t] {
				ok = true
			}
		}
		if !ok {
			return fmt.Errorf("seating: table %d has no language all its %d guests speak", t, size[t])
		}
	}
	return nil
}

func uniq(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

// Score measures how well plan mixes people.
func Score(pr Problem, plan Plan) Measure {
	var m Measure
	byTable := make([][]int, len(pr.Tables))
	for i, t := range plan.Table {
		if t >= 0 && t < len(byTable) {
			byTable[t] = append(byTable[t], i)
		}
	}
	m.WorstTable = 1
	seen := false
	for _, gs := range byTable {
		pairs, mixed := 0, 0
		for a := 0; a < len(gs); a++ {
			for b := a + 1; b < len(gs); b++ {
				x, y := pr.Guests[gs[a]], pr.Guests[gs[b]]
				pairs++
				sameCo := x.Company != "" && x.Company == y.Company
				if sameCo {
					m.SameCo++
				} else if shareAny(x.Interests, y.Interests) {
					mixed++
				}
			}
		}
		m.Pairs += pairs
		m.Mixed += mixed
		if pairs > 0 {
			seen = true
			m.WorstTable = min(m.WorstTable, float64(mixed)/float64(pairs))
		}
	}
	if m.Pairs > 0 {
		m.Share = float64(m.Mixed) / float64(m.Pairs)
	}
	if !seen {
		m.WorstTable = 0
	}
	return m
}

func shareAny(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}
