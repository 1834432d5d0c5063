// Package catalog serves an event's session catalog from memory: lookups by
// code and full-text search with filters, fast enough to run on every
// keystroke of a search box (a few thousand sessions; see BenchmarkSearch).
//
// A Catalog is built once from the store and never changed; to reflect a new
// import, build a new one and swap it in.
package catalog

import (
	"context"
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// DefaultLimit and MaxLimit bound a page of search results.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// Catalog is an immutable, indexed view of one event's catalog. It is safe
// for concurrent use.
type Catalog struct {
	Event  *lanyard.Event
	Venues []lanyard.Venue
	Travel []lanyard.TravelTime
	Loc    *time.Location

	travel     map[[2]string]lanyard.TravelTime
	venueNames map[string]string

	sessions []*lanyard.Session // by start, unscheduled last, then code
	byCode   map[string]int
	days     []string // civil date of each session in the event's zone; "" if unscheduled
	topics   [][]string

	// The full-text index: a sorted vocabulary, and for each word the set of
	// sessions whose text contains it (bitsets over session positions).
	// titleWords marks positions where the word is in the code or title, for ranking.
	vocab      []string
	postings   []bitset
	titleWords []bitset
}

// New indexes sessions (in any order) of ev.
func New(ev *lanyard.Event, venues []lanyard.Venue, travel []lanyard.TravelTime, sessions []*lanyard.Session) (*Catalog, error) {
	loc, err := ev.Location()
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	c := &Catalog{Event: ev, Venues: venues, Travel: travel, Loc: loc, sessions: slices.Clone(sessions)}
	slices.SortStableFunc(c.sessions, func(a, b *lanyard.Session) int {
		switch {
		case a.Scheduled() != b.Scheduled():
			if a.Scheduled() {
				return -1
			}
			return 1
		case !a.Start.Equal(b.Start):
			return a.Start.Compare(b.Start)
		}
		return strings.Compare(a.Code, b.Code)
	})
	c.travel = make(map[[2]string]lanyard.TravelTime, len(travel))
	for _, t := range travel {
		c.travel[[2]string{t.From, t.To}] = t
	}
	c.venueNames = make(map[string]string, len(venues))
	for _, v := range venues {
		c.venueNames[v.Code] = v.Name
	}
	n := len(c.sessions)
	c.byCode = make(map[string]int, n)
	c.days = make([]string, n)
	c.topics = make([][]string, n)
	words := map[string][2]bitset{} // word → [any field, code or title]
	add := func(text string, i int, title bool) {
		for _, w := range tokenize(text) {
			p, ok := words[w]
			if !ok {
				p = [2]bitset{newBitset(n), newBitset(n)}
				words[w] = p
			}
			p[0].set(i)
			if title {
				p[1].set(i)
			}
		}
	}
	for i, s := range c.sessions {
		c.byCode[s.Code] = i
		if s.Scheduled() {
			c.days[i] = s.Start.In(loc).Format(time.DateOnly)
		}
		for _, t := range s.Topics {
			c.topics[i] = append(c.topics[i], strings.ToLower(t))
			// A topic names what the session is about, as its title does:
			// "serverless" must find every session of the Serverless topic.
			add(t, i, true)
		}
		add(s.Code, i, true)
		add(s.Title, i, true)
		add(s.Abstract, i, false)
		for _, sp := range s.Speakers {
			add(sp.Name, i, false)
			add(sp.Company, i, false)
		}
	}
	c.vocab = make([]string, 0, len(words))
	for w := range words {
		c.vocab = append(c.vocab, w)
	}
	sort.Strings(c.vocab)
	c.postings = make([]bitset, len(c.vocab))
	c.titleWords = make([]bitset, len(c.vocab))
	for i, w := range c.vocab {
		c.postings[i], c.titleWords[i] = words[w][0], words[w][1]
	}
	return c, nil
}

// Len returns the number of sessions.
func (c *Catalog) Len() int { return len(c.sessions) }

// Sessions returns every session in catalog order. The slice must not be changed.
func (c *Catalog) Sessions() []*lanyard.Session { return c.sessions }

// Session returns the session with the given code.
// Returns ENOTFOUND if there is none.
func (c *Catalog) Session(code string) (*lanyard.Session, error) {
	i, ok := c.byCode[code]
	if !ok {
		return nil, lanyard.Errorf(lanyard.ENOTFOUND, "No session %q.", code)
	}
	return c.sessions[i], nil
}

// TravelTime returns the time to get from one venue to another, and false
// when the matrix has no entry for the pair.
func (c *Catalog) TravelTime(from, to string) (lanyard.TravelTime, bool) {
	t, ok := c.travel[[2]string{from, to}]
	return t, ok
}

// Room returns a room by venue code and room name.
func (c *Catalog) Room(venue, room string) (lanyard.Room, bool) {
	for _, v := range c.Venues {
		if v.Code != venue {
			continue
		}
		for _, r := range v.Rooms {
			if r.Name == room {
				return r, true
			}
		}
	}
	return lanyard.Room{}, false
}

// VenueName returns a venue's name, or its code when the venue is unknown.
func (c *Catalog) VenueName(code string) string {
	if n, ok := c.venueNames[code]; ok {
		return n
	}
	return code
}

// Day returns the civil date of a session in the event's zone, or "" if unscheduled.
func (c *Catalog) Day(s *lanyard.Session) string {
	if !s.Scheduled() {
		return ""
	}
	return s.Start.In(c.Loc).Format(time.DateOnly)
}

// Search returns one page of the sessions matching f, and how many match in
// all. Every word of f.Query must match the start of a word in the session's
// code, title, topics, abstract or speakers ("kuber" finds "Kubernetes";
// "채널" finds "채널과"), or be a word of the event's vocabulary whose
// synonym the session holds ("k8s" finds "Kubernetes"). The order is f.Sort.
// Returns EINVALID for a bad filter value.
func (c *Catalog) Search(f lanyard.SessionFilter) ([]*lanyard.Session, int, error) {
	hits, err := c.match(&f)
	if err != nil {
		return nil, 0, err
	}
	total := len(hits)
	lo := min(f.Offset, total)
	hi := min(lo+f.Limit, total)
	page := make([]*lanyard.Session, 0, hi-lo)
	for _, i := range hits[lo:hi] {
		page = append(page, c.sessions[i])
	}
	return page, total, nil
}

// SearchAll returns every session matching f, in Search's order; f's
// Offset and Limit are ignored. The web catalog groups the whole match
// into contents before it pages.
func (c *Catalog) SearchAll(f lanyard.SessionFilter) ([]*lanyard.Session, error) {
	f.Offset, f.Limit = 0, 0
	hits, err := c.match(&f)
	if err != nil {
		return nil, err
	}
	out := make([]*lanyard.Session, len(hits))
	for k, i := range hits {
		out[k] = c.sessions[i]
	}
	return out, nil
}

// Facets counts, for each value of each facet, the sessions that match the
// query and every other facet of f, and that keep accepts (nil keeps all):
// the count a value would show if it were added to its facet's choices. A
// value of a facet with no choice counts what choosing it alone would find.
type Facets struct {
	Days   map[string]int
	Venues map[string]int
	Types  map[lanyard.SessionType]int
	Levels map[int]int
	Topics map[string]int // by lowercased topic
}

// The facets, as bits of the set of facets a session fails.
const (
	facetDay = 1 << iota
	facetVenue
	facetType
	facetLevel
	facetTopic
)

// Facets counts f's facet values ("drill sideways": each facet is counted
// without its own choices). Returns EINVALID for a bad filter value.
func (c *Catalog) Facets(f lanyard.SessionFilter, keep func(*lanyard.Session) bool) (Facets, error) {
	out := Facets{Days: map[string]int{}, Venues: map[string]int{}, Types: map[lanyard.SessionType]int{},
		Levels: map[int]int{}, Topics: map[string]int{}}
	if err := c.validate(&f); err != nil {
		return out, err
	}
	match, _, any := c.query(f.Query)
	topics := lower(f.Topics)
	for i, s := range c.sessions {
		if any && !match.has(i) {
			continue
		}
		fails := c.fails(&f, topics, i)
		if fails&(fails-1) != 0 {
			continue // fails two facets: no single change would show it
		}
		if keep != nil && !keep(s) {
			continue
		}
		if fails == 0 || fails == facetDay {
			if c.days[i] != "" {
				out.Days[c.days[i]]++
			}
		}
		if (fails == 0 || fails == facetVenue) && s.Venue != "" {
			out.Venues[s.Venue]++
		}
		if fails == 0 || fails == facetType {
			out.Types[s.Type]++
		}
		if (fails == 0 || fails == facetLevel) && s.Level != 0 {
			out.Levels[s.Level]++
		}
		if fails == 0 || fails == facetTopic {
			for _, t := range c.topics[i] {
				out.Topics[t]++
			}
		}
	}
	return out, nil
}

// fails returns the set of f's facets session i does not match.
func (c *Catalog) fails(f *lanyard.SessionFilter, topics []string, i int) int {
	s := c.sessions[i]
	fails := 0
	if len(f.Days) > 0 && !slices.Contains(f.Days, c.days[i]) {
		fails |= facetDay
	}
	if len(f.Venues) > 0 && !slices.Contains(f.Venues, s.Venue) {
		fails |= facetVenue
	}
	if len(f.Types) > 0 && !slices.Contains(f.Types, s.Type) {
		fails |= facetType
	}
	if len(f.Levels) > 0 && !slices.Contains(f.Levels, s.Level) {
		fails |= facetLevel
	}
	if len(topics) > 0 && !slices.ContainsFunc(c.topics[i], func(t string) bool { return slices.Contains(topics, t) }) {
		fails |= facetTopic
	}
	return fails
}

// passes reports whether session i matches every facet of f: fails(…) == 0,
// stopping at the first facet it fails (the search's hot loop).
func (c *Catalog) passes(f *lanyard.SessionFilter, topics []string, i int) bool {
	s := c.sessions[i]
	return (len(f.Days) == 0 || slices.Contains(f.Days, c.days[i])) &&
		(len(f.Venues) == 0 || slices.Contains(f.Venues, s.Venue)) &&
		(len(f.Types) == 0 || slices.Contains(f.Types, s.Type)) &&
		(len(f.Levels) == 0 || slices.Contains(f.Levels, s.Level)) &&
		(len(topics) == 0 || slices.ContainsFunc(c.topics[i], func(t string) bool { return slices.Contains(topics, t) }))
}

func lower(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToLower(s)
	}
	return out
}

// query returns the sessions matching every word of q, and those matching
// every word in a strong field (code, title, topics); any is false when q
// has no words (everything matches).
func (c *Catalog) query(q string) (match, title bitset, any bool) {
	terms := tokenize(q)
	for k, t := range terms {
		m, inTitle := c.prefix(t)
		for _, phrase := range expand(t) {
			if pm, pt := c.phrase(phrase); pm != nil {
				m.or(pm)
				inTitle.or(pt)
			}
		}
		if k == 0 {
			match, title = m, inTitle
			continue
		}
		match.and(m)
		title.and(inTitle)
	}
	return match, title, len(terms) > 0
}

// match returns the positions of the sessions matching f in f's order,
// after checking f (and setting its default Limit).
func (c *Catalog) match(f *lanyard.SessionFilter) ([]int, error) {
	if err := c.validate(f); err != nil {
		return nil, err
	}
	match, title, any := c.query(f.Query)
	topics := lower(f.Topics)
	// By relevance, sessions with the words in their code, title or topics
	// come first; both groups keep the catalog order.
	hits, rest := make([]int, 0, 64), make([]int, 0, 64)
	visit := func(i int) {
		if !c.passes(f, topics, i) {
			return
		}
		if !any || f.Sort != lanyard.SortRelevance || title.has(i) {
			hits = append(hits, i)
		} else {
			rest = append(rest, i)
		}
	}
	if any {
		match.each(visit) // only the sessions with every word, in catalog order
	} else {
		for i := range c.sessions {
			visit(i)
		}
	}
	hits = append(hits, rest...)
	if f.Sort == lanyard.SortTitle {
		slices.SortStableFunc(hits, func(a, b int) int {
			return strings.Compare(strings.ToLower(c.sessions[a].Title), strings.ToLower(c.sessions[b].Title))
		})
	}
	return hits, nil
}

func (c *Catalog) validate(f *lanyard.SessionFilter) error {
	switch {
	case f.Limit == 0:
		f.Limit = DefaultLimit
	case f.Limit < 0 || f.Limit > MaxLimit:
		return lanyard.Errorf(lanyard.EINVALID, "limit must be between 1 and %d.", MaxLimit)
	}
	if f.Offset < 0 {
		return lanyard.Errorf(lanyard.EINVALID, "offset must not be negative.")
	}
	for _, t := range f.Types {
		if !t.Valid() {
			return lanyard.Errorf(lanyard.EINVALID, "Unknown session type %q; use one of %v.", t, lanyard.SessionTypes)
		}
	}
	for _, l := range f.Levels {
		if l < 100 || l > 400 || l%100 != 0 {
			return lanyard.Errorf(lanyard.EINVALID, "level must be 100, 200, 300 or 400.")
		}
	}
	for _, d := range f.Days {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return lanyard.Errorf(lanyard.EINVALID, "day must be a date such as %s.", c.Event.StartDate)
		}
	}
	switch f.Sort {
	case lanyard.SortRelevance, lanyard.SortTime, lanyard.SortTitle:
	default:
		return lanyard.Errorf(lanyard.EINVALID, "sort must be %s or %s, not %q.", lanyard.SortTime, lanyard.SortTitle, f.Sort)
	}
	if len(f.Query) > 200 {
		return lanyard.Errorf(lanyard.EINVALID, "The search text is longer than 200 characters.")
	}
	return nil
}

// prefix returns the union of the postings of every word starting with t.
func (c *Catalog) prefix(t string) (any, title bitset) {
	n := len(c.sessions)
	any, title = newBitset(n), newBitset(n)
	for i := sort.SearchStrings(c.vocab, t); i < len(c.vocab) && strings.HasPrefix(c.vocab[i], t); i++ {
		any.or(c.postings[i])
		title.or(c.titleWords[i])
	}
	return any, title
}

// phrase returns the sessions holding every word of a synonym phrase, each
// word whole ("ai" of "generative ai" must not match "aims"), or nil when
// a word is not in the catalog at all.
func (c *Catalog) phrase(words []string) (any, title bitset) {
	at := make([]int, len(words))
	for k, w := range words {
		i := sort.SearchStrings(c.vocab, w)
		if i == len(c.vocab) || c.vocab[i] != w {
			return nil, nil
		}
		at[k] = i
	}
	any, title = slices.Clone(c.postings[at[0]]), slices.Clone(c.titleWords[at[0]])
	for _, i := range at[1:] {
		any.and(c.postings[i])
		title.and(c.titleWords[i])
	}
	return any, title
}

// tokenize lowercases text and splits it into words of letters and digits.
// Scripts without spaces between words are left whole; prefix search covers
// Korean particles glued to a word.
func tokenize(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// bitset is a set of session positions.
type bitset []uint64

func newBitset(n int) bitset    { return make(bitset, (n+63)/64) }
func (b bitset) set(i int)      { b[i/64] |= 1 << (i % 64) }
func (b bitset) has(i int) bool { return b[i/64]&(1<<(i%64)) != 0 }
func (b bitset) or(o bitset) {
	for i := range b {
		b[i] |= o[i]
	}
}

// each calls fn with every position in b, in increasing order.
func (b bitset) each(fn func(int)) {
	for w, word := range b {
		for word != 0 {
			fn(w*64 + bits.TrailingZeros64(word))
			word &= word - 1
		}
	}
}

func (b bitset) and(o bitset) {
	for i := range b {
		b[i] &= o[i]
	}
}

// Source is where Load reads an event's catalog from (*store.DB).
type Source interface {
	FindVenues(ctx context.Context, eventID int64) ([]lanyard.Venue, []lanyard.TravelTime, error)
	FindSessions(ctx context.Context, eventID int64) ([]*lanyard.Session, error)
}

// Load reads ev's venues, travel times and sessions from src and indexes them.
func Load(ctx context.Context, src Source, ev *lanyard.Event) (*Catalog, error) {
	venues, travel, err := src.FindVenues(ctx, ev.ID)
	if err != nil {
		return nil, fmt.Errorf("catalog: load %s: %w", ev.Slug, err)
	}
	sessions, err := src.FindSessions(ctx, ev.ID)
	if err != nil {
		return nil, fmt.Errorf("catalog: load %s: %w", ev.Slug, err)
	}
	return New(ev, venues, travel, sessions)
}
