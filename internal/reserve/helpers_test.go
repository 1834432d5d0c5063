package reserve_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// day1 is 2026-12-01 in Las Vegas; at(h, m) is a local time on it.
var loc, _ = time.LoadLocation("America/Los_Angeles")

func at(day, h, m int) time.Time { return time.Date(2026, 12, day, h, m, 0, 0, loc).UTC() }

// fixture is a small event: sessions chosen to exercise every rule.
type fixture struct {
	db     *store.DB
	cat    *catalog.Catalog
	slug   string
	people []int64 // attendee IDs
	clock  *clock
}

func testCatalog() *lanyard.Catalog {
	s := func(code, group string, typ lanyard.SessionType, venue, room string, start, end time.Time) lanyard.Session {
		return lanyard.Session{Code: code, Title: "Title of " + code, Type: typ, Level: 200, Venue: venue, Room: room,
			Start: start, End: end, RepeatGroup: group, Reservable: true}
	}
	c := &lanyard.Catalog{
		Event: lanyard.Event{Slug: "t", Name: "T", TimeZone: "America/Los_Angeles", StartDate: "2026-11-30", Days: 5},
		Venues: []lanyard.Venue{
			{Code: "venetian", Name: "Venetian", Rooms: []lanyard.Room{{Name: "Ten", Capacity: 10}, {Name: "Hall", Capacity: 100}, {Name: "Two", Capacity: 2}, {Name: "Overflow", Capacity: 3}}},
			{Code: "mgm", Name: "MGM Grand", Rooms: []lanyard.Room{{Name: "Ten", Capacity: 10}, {Name: "Twenty", Capacity: 20}}},
		},
		Travel: []lanyard.TravelTime{{From: "venetian", To: "mgm", WalkMinutes: 40, ShuttleMinutes: 25}, {From: "mgm", To: "venetian", WalkMinutes: 40, ShuttleMinutes: 25}},
		Sessions: []lanyard.Session{
			s("A-R1", "A", lanyard.TypeSession, "venetian", "Ten", at(1, 10, 0), at(1, 11, 0)),
			s("A-R2", "A", lanyard.TypeSession, "mgm", "Ten", at(2, 10, 0), at(2, 11, 0)),
			s("B", "", lanyard.TypeSession, "mgm", "Twenty", at(1, 10, 30), at(1, 11, 30)),
			s("C", "", lanyard.TypeSession, "mgm", "Twenty", at(1, 11, 10), at(1, 12, 0)),
			s("D", "", lanyard.TypeSession, "venetian", "Ten", at(1, 14, 0), at(1, 15, 0)),
			s("E", "", lanyard.TypeSession, "venetian", "Ten", at(1, 16, 0), at(1, 17, 0)),
			s("K", "", lanyard.TypeKeynote, "venetian", "Hall", at(2, 8, 0), at(2, 9, 30)),
			s("S", "", lanyard.TypeChalk, "venetian", "Two", at(3, 9, 0), at(3, 10, 0)),
			s("S2", "", lanyard.TypeChalk, "venetian", "Two", at(3, 11, 0), at(3, 12, 0)),
			s("N", "", lanyard.TypeOther, "venetian", "Hall", at(3, 13, 0), at(3, 14, 0)),
			s("T", "", lanyard.TypeSession, "mgm", "Twenty", at(3, 9, 30), at(3, 10, 30)),
		},
	}
	c.Sessions[9].Reservable = false
	return c
}

// newFixture imports the test catalog and n attendees into db.
func newFixture(t testing.TB, db *store.DB, n int) *fixture {
	return newFixtureSlug(t, db, "t", n)
}

func newFixtureSlug(t testing.TB, db *store.DB, slug string, n int) *fixture {
	t.Helper()
	ctx := context.Background()
	c := testCatalog()
	c.Event.Slug = slug
	if _, err := db.ImportCatalog(ctx, c); err != nil {
		t.Fatal(err)
	}
	people := make([]*lanyard.Attendee, n)
	for i := range people {
		people[i] = &lanyard.Attendee{Name: fmt.Sprint("P", i), Email: fmt.Sprintf("p%d@%s.example.com", i, slug)}
	}
	if err := db.CreateAttendees(ctx, c.Event.ID, people); err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, slug: slug, clock: &clock{t: at(1, 8, 0).Add(-24 * time.Hour)}}
	for _, p := range people {
		f.people = append(f.people, p.ID)
	}
	f.cat = f.loadCatalog(t)
	return f
}

func (f *fixture) loadCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	ctx := context.Background()
	ev, err := f.db.FindEventBySlug(ctx, f.slug)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Load(ctx, f.db, ev)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// open starts an engine on the fixture with every type's window open and
// no fair pooling, unless the test changes them.
func (f *fixture) open(t testing.TB, st reserve.Store) *reserve.Engine {
	t.Helper()
	if st == nil {
		st = f.db
	}
	e, err := reserve.Open(context.Background(), st, f.cat, reserve.Options{Now: f.clock.Now, Tick: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	return e
}

func (f *fixture) openWindows(t testing.TB, e *reserve.Engine) {
	t.Helper()
	ctx := context.Background()
	s := lanyard.DefaultReservationSettings()
	s.FairSeconds = 0
	if err := e.SetSettings(ctx, s); err != nil {
		t.Fatal(err)
	}
	for _, typ := range lanyard.SessionTypes {
		if _, err := e.AddWindow(ctx, 0, "", lanyard.Window{SessionType: typ, Opens: f.clock.Now().Add(-time.Hour), Closes: at(5, 0, 0)}); err != nil {
			t.Fatal(err)
		}
	}
}

func codeOf(err error) string {
	if err == nil {
		return ""
	}
	return lanyard.ErrorCode(err)
}

func resultCode(r lanyard.SeatResult) string {
	if r.Error != nil {
		return r.Error.Code
	}
	return r.Outcome
}
