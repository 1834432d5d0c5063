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
// code, title, abstract or speakers ("kuber" finds "Kubernetes"; "채널" finds
// "채널과"); sessions with the words in their code or title come first, then
// the catalog order. Returns EINVALID for a bad filter value.
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

// match returns the positions of the sessions matching f, title matches
// first, after checking f (and setting its default Limit).
func (c *Catalog) match(f *lanyard.SessionFilter) ([]int, error) {
	if err := c.validate(f); err != nil {
		return nil, err
	}
	var match, title bitset
	terms := tokenize(f.Query)
	for k, t := range terms {
		any, inTitle := c.prefix(t)
		if k == 0 {
			match, title = any, inTitle
			continue
		}
		match.and(any)
		title.and(inTitle)
	}
	topic := strings.ToLower(f.Topic)
	// Sessions with the words in their code or title come first; both
	// groups keep the catalog order.
	hits, rest := make([]int, 0, 64), make([]int, 0, 64)
	for i, s := range c.sessions {
		if len(terms) > 0 && !match.has(i) {
			continue
		}
		if (f.Day != "" && c.days[i] != f.Day) ||
			(f.Venue != "" && s.Venue != f.Venue) ||
			(f.Type != "" && s.Type != f.Type) ||
			(f.Level != 0 && s.Level != f.Level) ||
			(topic != "" && !slices.Contains(c.topics[i], topic)) {
			continue
		}
		if len(terms) == 0 || title.has(i) {
			hits = append(hits, i)
		} else {
			rest = append(rest, i)
		}
	}
	hits = append(hits, rest...)
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
	if f.Type != "" && !f.Type.Valid() {
		return lanyard.Errorf(lanyard.EINVALID, "Unknown session type %q; use one of %v.", f.Type, lanyard.SessionTypes)
	}
	if f.Level != 0 && (f.Level < 100 || f.Level > 400 || f.Level%100 != 0) {
		return lanyard.Errorf(lanyard.EINVALID, "level must be 100, 200, 300 or 400.")
	}
	if f.Day != "" {
		if _, err := time.Parse(time.DateOnly, f.Day); err != nil {
			return lanyard.Errorf(lanyard.EINVALID, "day must be a date such as %s.", c.Event.StartDate)
		}
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
