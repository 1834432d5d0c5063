package demo

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	// The demo must run anywhere, including containers without
	// /usr/share/zoneinfo; Generate cannot fail for want of a zone.
	_ "time/tzdata"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Defaults for the zero Options.
const (
	DefaultAttendees = 2000
	DefaultStartDate = "2026-11-30" // a Monday, as re:Invent starts
)

// LeadTime is how far ahead of today lanyard demo puts its event (see
// StartAfter), and how far before it tests and benchmarks set the engine's
// clock: far enough that every session, window and keynote wave is still
// to come for the weeks a demo database is kept and tried.
const LeadTime = 28 * 24 * time.Hour

// StartAfter returns the first Monday on or after the date LeadTime after
// now (dates in UTC), as YYYY-MM-DD. lanyard demo makes its event there, so
// that whatever day it runs, the event is one attendees are getting ready
// for: reservations open, every session ahead. (A fixed date turns the demo
// into a past event once that date goes by, and every reservation into
// "changes closed".)
func StartAfter(now time.Time) string {
	d := now.UTC().Add(LeadTime)
	d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	d = d.AddDate(0, 0, (int(time.Monday)-int(d.Weekday())+7)%7)
	return d.Format(time.DateOnly)
}

// Slug is the generated event's slug.
const Slug = "reinvent-demo"

// Fixed facts of the generated event.
const (
	name     = "re:Invent (demo)"
	timeZone = "America/Los_Angeles"
	days     = 5
	domain   = "@demo.lanyard.dev"
)

// The catalog and the people draw from separate random streams, so that the
// catalog of a seed does not change with the number of attendees.
const (
	catalogStream = 0x6c616e7961726401
	peopleStream  = 0x6c616e7961726402
)

// Options choose the event Generate makes.
type Options struct {
	// Seed picks the event: the same seed gives the same event.
	Seed int64
	// Attendees is how many people with RoleAttendee to make; zero or less
	// means DefaultAttendees.
	Attendees int
	// StartDate is the first of the five days ("2026-11-30"), a Monday so that
	// keynotes fall on Tuesday to Thursday; empty means DefaultStartDate, a
	// fixed day for tests. StartAfter gives one ahead of today.
	StartDate string
}

// Event is a generated event.
type Event struct {
	// Catalog holds the event, venues, travel times and sessions, ordered by
	// start time and then code.
	Catalog *lanyard.Catalog
	// Attendees holds Options.Attendees people with RoleAttendee first
	// ("attendee00001@demo.lanyard.dev" is index 0), then one organizer
	// ("organizer@demo.lanyard.dev"), door staff and exhibitors.
	Attendees []lanyard.Attendee
	// Popularity maps each session code to its share of all demand. Shares
	// follow a Zipf law over contents, keynotes first; the repeats of one
	// content split its share evenly. The shares sum to 1. The expo's hours
	// and the parties (EXP001…, PTY001…) take no reservations and draw no
	// demand, so they are left out.
	Popularity map[string]float64
}

// Generate makes the event opt describes. It panics if opt.StartDate is not
// a date (YYYY-MM-DD); callers taking it from a person should check it first.
func Generate(opt Options) *Event {
	if opt.Attendees <= 0 {
		opt.Attendees = DefaultAttendees
	}
	if opt.StartDate == "" {
		opt.StartDate = DefaultStartDate
	}
	start, err := time.Parse(time.DateOnly, opt.StartDate)
	if err != nil {
		panic("demo: start date " + strconv.Quote(opt.StartDate) + " is not a date (YYYY-MM-DD)")
	}
	loc, err := time.LoadLocation(timeZone)
	if err != nil {
		panic("demo: " + err.Error()) // unreachable: time/tzdata is embedded
	}

	cat := &lanyard.Catalog{
		Event: lanyard.Event{
			Slug:      Slug,
			Name:      name,
			TimeZone:  timeZone,
			StartDate: opt.StartDate,
			Days:      days,
		},
	}
	seed := uint64(opt.Seed)
	cg := &catalogGen{
		r:     rand.New(rand.NewPCG(seed, catalogStream)),
		loc:   loc,
		start: start,
	}
	cat.Venues, cg.rooms = cg.venues()
	cat.Travel = travelTimes()
	var pop map[string]float64
	cat.Sessions, pop = cg.sessions()

	pg := &peopleGen{r: rand.New(rand.NewPCG(seed, peopleStream)), start: start}
	return &Event{
		Catalog:    cat,
		Attendees:  pg.people(opt.Attendees),
		Popularity: pop,
	}
}

// choose returns one of items, each with probability proportional to its weight.
func choose[T any](r *rand.Rand, items []T, weight func(T) int) T {
	total := 0
	for _, it := range items {
		total += weight(it)
	}
	n := r.IntN(total)
	for _, it := range items {
		if n < weight(it) {
			return it
		}
		n -= weight(it)
	}
	panic("demo: choose: weights changed while choosing")
}

// pick returns an index into weights, each with probability proportional to its weight.
func pick(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	panic("demo: pick: no weights")
}

// one returns a random element of list.
func one[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// arena packs many short strings into a few large allocations: tens of
// thousands of names and emails would otherwise cost one allocation each.
// strings.Builder only ever appends, so a string cut from it stays valid
// while the builder grows.
type arena struct {
	b     strings.Builder
	start int
}

func (a *arena) grow(n int)     { a.b.Grow(n) }
func (a *arena) write(s string) { a.b.WriteString(s) }
func (a *arena) writeInt(n, width int) {
	var buf [20]byte
	d := strconv.AppendInt(buf[:0], int64(n), 10)
	for range width - len(d) {
		a.b.WriteByte('0')
	}
	a.b.Write(d)
}

// done returns everything written since the last done.
func (a *arena) done() string {
	s := a.b.String()[a.start:]
	a.start = a.b.Len()
	return s
}

// join returns the concatenation of parts.
func (a *arena) join(parts ...string) string {
	for _, p := range parts {
		a.write(p)
	}
	return a.done()
}
