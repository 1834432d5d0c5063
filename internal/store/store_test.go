package store_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

func testCatalog() *lanyard.Catalog {
	start := time.Date(2026, 12, 1, 17, 0, 0, 0, time.UTC)
	return &lanyard.Catalog{
		Event: lanyard.Event{Slug: "test-2026", Name: "Test conf", TimeZone: "America/Los_Angeles", StartDate: "2026-11-30", Days: 5},
		Venues: []lanyard.Venue{
			{Code: "venetian", Name: "Venetian", Rooms: []lanyard.Room{{Name: "Hall A", Capacity: 10000}, {Name: "San Polo 3501", Capacity: 60}}},
			{Code: "mgm", Name: "MGM Grand", Rooms: []lanyard.Room{{Name: "Room 101", Capacity: 200}}},
		},
		Travel: []lanyard.TravelTime{
			{From: "venetian", To: "mgm", WalkMinutes: 40, ShuttleMinutes: 25},
			{From: "mgm", To: "venetian", WalkMinutes: 40, ShuttleMinutes: 30},
		},
		Sessions: []lanyard.Session{
			{Code: "KEY001", Title: "Keynote", Abstract: "Big news.", Type: lanyard.TypeKeynote, Level: 100,
				Topics: []string{"General"}, Speakers: []lanyard.Speaker{{Name: "김지현", JobTitle: "CEO", Company: "Example"}},
				Venue: "venetian", Room: "Hall A", Start: start, End: start.Add(2 * time.Hour), Reservable: true},
			{Code: "ARC301-R1", Title: "Resilient things", Type: lanyard.TypeChalk, Level: 300,
				Venue: "venetian", Room: "San Polo 3501", Start: start.Add(3 * time.Hour), End: start.Add(4 * time.Hour),
				RepeatGroup: "ARC301", Reservable: true, CapacityOverride: 50},
			{Code: "ARC301-R2", Title: "Resilient things", Type: lanyard.TypeChalk, Level: 300,
				Venue: "mgm", Room: "Room 101", Start: start.Add(24 * time.Hour), End: start.Add(25 * time.Hour),
				RepeatGroup: "ARC301", Reservable: true},
			{Code: "DEV100", Title: "Unscheduled", Type: lanyard.TypeSession},
		},
	}
}

func mustImport(tb testing.TB, db *store.DB, c *lanyard.Catalog) *lanyard.Event {
	tb.Helper()
	if _, err := db.ImportCatalog(context.Background(), c); err != nil {
		tb.Fatalf("import: %v", err)
	}
	return &c.Event
}

func TestImportCatalogRoundTrip(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := testCatalog()
		st, err := db.ImportCatalog(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := *st, (store.ImportStats{Venues: 2, Rooms: 3, TravelTimes: 2, Sessions: 4}); got != want {
			t.Fatalf("stats=%+v, want %+v", got, want)
		}
		ev, err := db.FindEventBySlug(ctx, "test-2026")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := ev.TimeZone, "America/Los_Angeles"; got != want {
			t.Fatalf("zone=%q, want %q", got, want)
		}
		sessions, err := db.FindSessions(ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(sessions), 4; got != want {
			t.Fatalf("%d sessions, want %d", got, want)
		}
		byCode := map[string]*lanyard.Session{}
		for _, s := range sessions {
			byCode[s.Code] = s
		}
		key := byCode["KEY001"]
		if !key.Start.Equal(c.Sessions[0].Start) || !key.End.Equal(c.Sessions[0].End) {
			t.Fatalf("keynote times %v–%v, want %v–%v", key.Start, key.End, c.Sessions[0].Start, c.Sessions[0].End)
		}
		if got, want := key.Start.Location(), time.UTC; got != want {
			t.Fatalf("start location %v, want UTC", got)
		}
		if got, want := key.Speakers, c.Sessions[0].Speakers; !reflect.DeepEqual(got, want) {
			t.Fatalf("speakers=%v, want %v", got, want)
		}
		if got, want := key.Capacity, 10000; got != want {
			t.Fatalf("keynote capacity=%d, want room's %d", got, want)
		}
		if got, want := byCode["ARC301-R1"].Capacity, 50; got != want {
			t.Fatalf("override capacity=%d, want %d", got, want)
		}
		if got, want := byCode["ARC301-R2"].Venue, "mgm"; got != want {
			t.Fatalf("venue=%q, want %q", got, want)
		}
		un := byCode["DEV100"]
		if un.Scheduled() || un.Venue != "" || un.Topics == nil || un.Speakers == nil {
			t.Fatalf("unscheduled session read back as %+v", un)
		}
		if got, want := sessions[len(sessions)-1].Code, "DEV100"; got != want {
			t.Fatalf("last session %s, want unscheduled %s last", got, want)
		}
		venues, travel, err := db.FindVenues(ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(venues), 2; got != want {
			t.Fatalf("%d venues, want %d", got, want)
		}
		if got, want := venues[0].Code, "mgm"; got != want { // ordered by name: MGM Grand < Venetian
			t.Fatalf("first venue %q, want %q", got, want)
		}
		if got, want := len(venues[1].Rooms), 2; got != want {
			t.Fatalf("venetian has %d rooms, want %d", got, want)
		}
		if got, want := len(travel), 2; got != want {
			t.Fatalf("%d travel times, want %d", got, want)
		}
		one, err := db.FindSessionByCode(ctx, ev.ID, "ARC301-R1")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := one.RepeatGroup, "ARC301"; got != want {
			t.Fatalf("repeat group %q, want %q", got, want)
		}
		if _, err := db.FindSessionByCode(ctx, ev.ID, "NOPE"); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Fatalf("missing session: err=%v, want ENOTFOUND", err)
		}
	})
}

func TestImportCatalogUpdates(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		c := testCatalog()
		c.Sessions = c.Sessions[:1]
		c.Sessions[0].Title = "Keynote, renamed"
		c.Venues[0].Rooms[0].Capacity = 12000
		mustImport(t, db, c)
		if got, want := c.Event.ID, ev.ID; got != want {
			t.Fatalf("reimport made event %d, want same event %d", got, want)
		}
		sessions, err := db.FindSessions(ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(sessions), 4; got != want {
			t.Fatalf("%d sessions after partial reimport, want %d (nothing deleted)", got, want)
		}
		s, _ := db.FindSessionByCode(ctx, ev.ID, "KEY001")
		if got, want := s.Title, "Keynote, renamed"; got != want {
			t.Fatalf("title=%q, want %q", got, want)
		}
		if got, want := s.Capacity, 12000; got != want {
			t.Fatalf("capacity=%d, want %d", got, want)
		}
	})
}

func TestImportCatalogRejects(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(c *lanyard.Catalog)
	}{
		{"unknown room", func(c *lanyard.Catalog) { c.Sessions[3].Venue, c.Sessions[3].Room = "mgm", "Nowhere" }},
		{"duplicate code", func(c *lanyard.Catalog) { c.Sessions[2].Code = c.Sessions[1].Code }},
		{"bad level", func(c *lanyard.Catalog) { c.Sessions[1].Level = 250 }},
		{"end before start", func(c *lanyard.Catalog) { c.Sessions[0].End = c.Sessions[0].Start.Add(-time.Minute) }},
		{"travel to unknown venue", func(c *lanyard.Catalog) { c.Travel[0].To = "wynn" }},
		{"bad zone", func(c *lanyard.Catalog) { c.Event.TimeZone = "Mars/Olympus" }},
		{"negative capacity", func(c *lanyard.Catalog) { c.Venues[1].Rooms[0].Capacity = -1 }},
	}
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c := testCatalog()
				c.Event.Slug = "reject-" + time.Now().Format("150405.000000000")
				tt.mutate(c)
				_, err := db.ImportCatalog(ctx, c)
				if got, want := lanyard.ErrorCode(err), lanyard.EINVALID; got != want {
					t.Fatalf("err=%v (code %s), want %s", err, got, want)
				}
				// One transaction: not even the event may remain.
				if _, err := db.FindEventBySlug(ctx, c.Event.Slug); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
					t.Fatalf("event left behind after a rejected import: %v", err)
				}
			})
		}
	})
}

func TestAttendeesAndTokens(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		people := []*lanyard.Attendee{
			{Name: "Ada", Email: " Ada@Example.com ", HomeZone: "Asia/Seoul", Certifications: []string{"SAA"}},
			{Name: "Organizer", Email: "org@example.com", Role: lanyard.RoleOrganizer},
		}
		if err := db.CreateAttendees(ctx, ev.ID, people); err != nil {
			t.Fatal(err)
		}
		if people[0].ID == 0 || people[1].ID == 0 || people[0].ID == people[1].ID {
			t.Fatalf("ids not set: %d, %d", people[0].ID, people[1].ID)
		}
		a, err := db.FindAttendeeByEmail(ctx, ev.ID, "ADA@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := a.Email, "ada@example.com"; got != want {
			t.Fatalf("email=%q, want %q", got, want)
		}
		if got, want := a.Role, lanyard.RoleAttendee; got != want {
			t.Fatalf("role=%q, want %q", got, want)
		}
		if got, want := a.Certifications, []string{"SAA"}; !reflect.DeepEqual(got, want) {
			t.Fatalf("certs=%v, want %v", got, want)
		}
		// A duplicate email anywhere in a batch fails the whole batch.
		err = db.CreateAttendees(ctx, ev.ID, []*lanyard.Attendee{{Name: "New", Email: "new@example.com"}, {Name: "Ada again", Email: "ada@example.com"}})
		if got, want := lanyard.ErrorCode(err), lanyard.ECONFLICT; got != want {
			t.Fatalf("duplicate email: err=%v, want %s", err, want)
		}
		if _, err := db.FindAttendeeByEmail(ctx, ev.ID, "new@example.com"); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Fatalf("half a batch was saved: %v", err)
		}
		if n, _ := db.CountAttendees(ctx, ev.ID); n != 2 {
			t.Fatalf("count=%d, want 2", n)
		}
		err = db.CreateAttendees(ctx, ev.ID, []*lanyard.Attendee{{Name: "Bad", Email: "not an email"}})
		if got, want := lanyard.ErrorCode(err), lanyard.EINVALID; got != want {
			t.Fatalf("bad email: err=%v, want %s", err, want)
		}

		hash := []byte("0123456789abcdef0123456789abcdef")
		if err := db.CreateTokens(ctx, []store.Token{{AttendeeID: people[1].ID, Hash: hash, Name: "cli"}}); err != nil {
			t.Fatal(err)
		}
		owner, err := db.FindAttendeeByTokenHash(ctx, hash)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := owner.ID, people[1].ID; got != want {
			t.Fatalf("token owner %d, want %d", got, want)
		}
		if _, err := db.FindAttendeeByTokenHash(ctx, []byte("wrong")); lanyard.ErrorCode(err) != lanyard.EUNAUTHORIZED {
			t.Fatalf("wrong token: err=%v, want EUNAUTHORIZED", err)
		}
	})
}

func TestDeleteEvent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		if err := db.CreateAttendees(ctx, ev.ID, []*lanyard.Attendee{{Name: "A", Email: "a@example.com"}}); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteEvent(ctx, ev.Slug); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindEventBySlug(ctx, ev.Slug); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Fatalf("event still there: %v", err)
		}
		if n, _ := db.CountAttendees(ctx, ev.ID); n != 0 {
			t.Fatalf("%d attendees left after delete", n)
		}
		if err := db.DeleteEvent(ctx, ev.Slug); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Fatalf("second delete: err=%v, want ENOTFOUND", err)
		}
		mustImport(t, db, testCatalog()) // the slug is free again
	})
}

func TestMigrateIsIdempotent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		n, err := db.Migrate(ctx) // storetest already migrated once
		if err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("second migrate applied %d migrations, want 0", n)
		}
		cur, latest, err := db.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if cur != latest || cur == 0 {
			t.Fatalf("schema version %d of %d", cur, latest)
		}
	})
}

// Both dialects must have the same migration files, so a schema change
// cannot land on one backend only.
func TestMigrationsMatch(t *testing.T) {
	names := func(dir string) []string {
		entries, err := fs.ReadDir(os.DirFS("migrations"), dir)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			out = append(out, e.Name())
		}
		return out
	}
	if got, want := names("postgres"), names("sqlite"); !reflect.DeepEqual(got, want) {
		t.Fatalf("postgres migrations %v, sqlite %v", got, want)
	}
}

func TestDuplicateConstraintMapped(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		err := db.CreateTokens(ctx, []store.Token{{AttendeeID: 999999, Hash: []byte("h"), Name: "x"}})
		var e *lanyard.Error
		if !errors.As(err, &e) || e.Code != lanyard.EINVALID {
			t.Fatalf("token for unknown attendee: err=%v, want EINVALID (foreign key)", err)
		}
		_ = ev
	})
}

// The store refuses text no caller checked: the last line before it is
// written.
func TestImportCatalogRefusesBadText(t *testing.T) {
	db := storetest.OpenSQLite(t)
	ctx := context.Background()
	base := func() *lanyard.Catalog {
		return &lanyard.Catalog{
			Event:    lanyard.Event{Slug: "txt", Name: "Text", TimeZone: "UTC", StartDate: "2026-01-01", Days: 1},
			Venues:   []lanyard.Venue{{Code: "v", Name: "V", Rooms: []lanyard.Room{{Name: "R", Capacity: 5}}}},
			Sessions: []lanyard.Session{{Code: "A1", Title: "Fine", Type: lanyard.TypeSession, Reservable: true}},
		}
	}
	for _, tt := range []struct {
		name string
		edit func(c *lanyard.Catalog)
	}{
		{"event name", func(c *lanyard.Catalog) { c.Event.Name = "Te\x00xt" }},
		{"room name", func(c *lanyard.Catalog) { c.Venues[0].Rooms[0].Name = "\u202eR" }},
		{"session title", func(c *lanyard.Catalog) { c.Sessions[0].Title = "\u200b" }},
		{"session code", func(c *lanyard.Catalog) { c.Sessions[0].Code = "../A1" }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := base()
			tt.edit(c)
			if _, err := db.ImportCatalog(ctx, c); lanyard.ErrorCode(err) != lanyard.EINVALID {
				t.Errorf("ImportCatalog = %v, want invalid", err)
			}
		})
	}
	if _, err := db.ImportCatalog(ctx, base()); err != nil {
		t.Fatalf("the same catalog with good text: %v", err)
	}
}
