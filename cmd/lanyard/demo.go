package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/config"
	"github.com/lanyardhq/lanyard/internal/demo"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/web"
)

func cmdDemo(ctx context.Context, e *env, args []string) error {
	cfg := config.Default()
	cfg.DB = "lanyard-demo.db"
	fs := newFlagSet(e, "demo", "", `Generates a re:Invent-scale event (6 venues, 5 days, ~3,000 sessions, attendees
with API tokens) into a fresh database and serves it. The event is the same
for the same --seed; tokens are new each time. It starts on the first Monday
at least four weeks from today (--start-date to choose), with reservations
open now. One token per attendee is
written to a CSV file (email,token) beside the database, for load tests.`)
	if err := cfg.Register(fs, e.getenv, config.OptAddr|config.OptDB|config.OptLog|config.OptEngine|config.OptMail); err != nil {
		return err
	}
	seed := fs.Int64("seed", 1, "seed of the generated event")
	attendees := fs.Int("attendees", demo.DefaultAttendees, "number of attendees to generate (65000 is re:Invent's size)")
	tokensPath := fs.String("tokens", "", "where to write email,token for every attendee (default: tokens.csv beside the SQLite file, or in the current directory)")
	startDate := fs.String("start-date", "", "first of the event's five days, YYYY-MM-DD (default: the first Monday at least four weeks from today, so the whole event is ahead)")
	doorNow := fs.Bool("door-now", false, "add two sessions around now (DOOR-101, DOOR-102) whose doors are open, for trying the door app at /door")
	serve := fs.Bool("serve", true, "serve the event once generated; false only writes the database and tokens")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	if *attendees < 1 || *attendees > 1_000_000 {
		return fmt.Errorf("--attendees must be between 1 and 1000000, not %d", *attendees)
	}
	if *startDate == "" {
		*startDate = demo.StartAfter(time.Now())
	} else if err := checkStartDate(*startDate, time.Now()); err != nil {
		return err
	}
	if *tokensPath == "" {
		*tokensPath = "tokens.csv"
		if store.ParseDSN(cfg.DB) == store.SQLite {
			*tokensPath = filepath.Join(filepath.Dir(cfg.DB), "tokens.csv")
		}
	}
	log := cfg.Logger(e.stderr)
	start := time.Now()
	cfg.Mailbox = true
	cfg.Migrate = true // the demo makes its own database, PostgreSQL included

	gen := demo.Generate(demo.Options{Seed: *seed, Attendees: *attendees, StartDate: *startDate})
	if *doorNow {
		addDoorSessions(gen.Catalog, start)
	}
	db, err := freshDemoDB(ctx, &cfg, log, gen.Catalog.Event.Slug)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ImportCatalog(ctx, gen.Catalog); err != nil {
		return err
	}
	ev := &gen.Catalog.Event
	if err := seedMaps(ctx, db, ev); err != nil {
		return err
	}
	people := make([]*lanyard.Attendee, len(gen.Attendees))
	for i := range gen.Attendees {
		people[i] = &gen.Attendees[i]
	}
	if err := db.CreateAttendees(ctx, ev.ID, people); err != nil {
		return err
	}
	sample, organizer, err := writeTokens(ctx, db, people, *tokensPath)
	if err != nil {
		return err
	}
	exhibitor := sample.exhibitor
	if err := openReservations(ctx, db, ev, start); err != nil {
		return err
	}
	if err := openPlaces(ctx, db, ev, people, sample.email, start); err != nil { // === places (issue 13): demo_places.go
		return err
	}
	if err := seedParties(ctx, db, ev, people, sample.email, start); err != nil { // === parties (issue 14): demo_party.go
		return err
	}
	if err := setDemoPassword(ctx, db, ev.ID, sample.email); err != nil {
		return err
	}
	if err := seedMeetups(ctx, db, ev, people, sample.email); err != nil { // meetups (issue 14): demo_meetups.go
		return err
	}
	if err := seedContacts(ctx, db, ev, gen.Catalog.Sessions, people, sample.email); err != nil { // === contacts (issue 14): demo_contacts.go
		return err
	}
	if *doorNow {
		if err := reserveDoorSessions(ctx, db, ev, start, people, sample.email); err != nil {
			return err
		}
	}
	// The first organizer and staff member sign in to the console.
	console := map[lanyard.Role]string{}
	for _, a := range people {
		if (a.Role == lanyard.RoleOrganizer || a.Role == lanyard.RoleStaff) && console[a.Role] == "" {
			console[a.Role] = a.Email
			if err := setDemoPassword(ctx, db, ev.ID, a.Email); err != nil {
				return err
			}
		}
	}
	exhibitorAccount, err := seedExpo(ctx, db, ev, people, sample.email) // === expo (issue 14): demo_expo.go
	if err != nil {
		return err
	}
	if err := openSwag(ctx, db, ev, people, sample.email, start); err != nil { // === swag (issue 14): demo_swag.go, after the expo's exhibitors
		return err
	}
	// === leads (issue 14): a company and a few leads for the first exhibitor account (internal/demo/leads.go)
	if exhibitor, err := demo.SeedLeads(ctx, db, ev, people, sample.email, start); err != nil {
		return err
	} else if exhibitor != "" {
		if err := setDemoPassword(ctx, db, ev.ID, exhibitor); err != nil {
			return err
		}
	}
	log.Info("demo event generated", "sessions", len(gen.Catalog.Sessions), "attendees", len(people), "took", time.Since(start).Round(time.Millisecond))
	if !*serve {
		fmt.Fprintf(e.stdout, "demo event written to %s (%d sessions, %d attendees); tokens in %s\n", cfg.DB, len(gen.Catalog.Sessions), len(people), *tokensPath)
		return nil
	}
	listed := make([]*lanyard.Session, len(gen.Catalog.Sessions))
	for i := range gen.Catalog.Sessions {
		listed[i] = &gen.Catalog.Sessions[i]
	}
	// The same counts, in the same words, as the catalog page's header.
	contents, times := web.Counts(listed)
	return serveEvent(ctx, e, &cfg, log, db, ev, func(url string) {
		fmt.Fprintf(e.stdout, `
Demo ready in %s: %s, %d sessions (%d times), %d attendees.

  Open        %s/
  Sign in     %s with the password %s (or sign up)
  Console     %s/console as the organizer %s or staff %s, same password
  Maps        %s/map  (venue floor plans, shuttle routes)
  On site     %s/now (now and next), /lines (walk-up lines), /lounges; the badge desk at %s/desk (staff)
  Search      %s/api/v1/sessions?q=serverless&day=%s
  OpenAPI     %s/api/v1/openapi.json
  Schedule    %s/schedule.xml  (for Giggity, ConfClerk, FOSDEM apps)

  Attendee token   %s  (%s)
  Organizer token  %s
  All tokens       %s

  Try: curl -H "Authorization: Bearer %s" %s/api/v1/me

`, time.Since(start).Round(time.Millisecond), ev.Name, contents, times, len(people),
			url, sample.email, demoPassword, url, console[lanyard.RoleOrganizer], console[lanyard.RoleStaff], url, url, url, url, ev.StartDate, url, url, sample.token, sample.email, organizer, *tokensPath, sample.token, url)
		if exhibitor != nil {
			fmt.Fprintf(e.stdout, "  Leads       curl -H \"Authorization: Bearer %s\" %s/api/v1/exhibitor/leads  (%s's company)\n\n", exhibitor.token, url, exhibitor.email)
		}
		if *doorNow {
			fmt.Fprintf(e.stdout, "  Door app    %s/door as the staff %s, same password: DOOR-101 and DOOR-102 are open now;\n              scan %s's badge QR from %s/photo on another screen\n\n", url, console[lanyard.RoleStaff], sample.email, url)
		} else {
			fmt.Fprintf(e.stdout, "  Door app    %s/door as the staff %s (no door is open this far ahead: run the demo with --door-now)\n\n", url, console[lanyard.RoleStaff])
		}
		if cfg.SMTPURL == "" {
			fmt.Fprintf(e.stdout, "  Mailbox     %s/mailbox  (mail is kept here, not sent: no --smtp-url)\n\n", url)
		}
		// The expo and the people (issue 14), every page of it at /connect;
		// the parties line is the banner's last (tests wait for it).
		fmt.Fprintf(e.stdout, "  Expo        %s/expo (exhibitors, booths on the map, booth events); every page of it at %s/connect\n  Exhibitor   %s/exhibitor as %s, same password; to capture a lead without a camera, type\n              an attendee's code (under the QR at %s/contacts/qr) into %s/exhibitor/leads/scan\n\n", url, url, url, exhibitorAccount, url, url)
		fmt.Fprintf(e.stdout, "  Swag        a booth's swag and its stock, live, at %s/swag/<exhibitor code> (from its booth page); the booth\n              passport at %s/passport, its prizes at %s/passport/desk (staff)\n\n", url, url, url)
		fmt.Fprintf(e.stdout, "  Contacts    %s/contacts as %s (met at sessions, follow-ups); %s/contacts/qr to be scanned, %s/contacts/scan to scan\n\n", url, sample.email, url, url)
		fmt.Fprintf(e.stdout, "  Meetups     %s/meetups (a Korean speakers' meetup among them; the sample attendee goes to one), people to meet at %s/people\n\n", url, url)
		fmt.Fprintf(e.stdout, "  Parties     %s/parties: the seated dinner, with %s's table, at %s/parties/%s\n              (organizers seat it again and print its table cards there), and a party to RSVP to\n\n", url, sample.email, url, demoDinner)
	})
}

// checkStartDate refuses a --start-date that is not a date, not a Monday
// (the demo's keynotes fall Tuesday to Thursday), or so early that the
// event is over: its reservations could not open.
func checkStartDate(date string, now time.Time) error {
	d, err := time.Parse(time.DateOnly, date)
	switch {
	case err != nil:
		return fmt.Errorf("--start-date must be a date such as 2027-11-29, not %q", date)
	case d.Weekday() != time.Monday:
		return fmt.Errorf("--start-date must be a Monday, as the demo's week runs Monday to Friday; %s is a %s", date, d.Weekday())
	case d.AddDate(0, 0, 5).Before(now):
		return fmt.Errorf("--start-date %s makes an event that is over; choose a Monday ahead, or leave it out for one four weeks from today", date)
	}
	return nil
}

// demoPassword is the web password of the sample attendee and of the
// console's organizer and staff member: the demo is for
// trying things out, never for real people.
const demoPassword = "vegas-demo-2026"

// setDemoPassword lets the sample attendee sign in to the web app.
func setDemoPassword(ctx context.Context, db *store.DB, eventID int64, email string) error {
	a, err := db.FindAttendeeByEmail(ctx, eventID, email)
	if err != nil {
		return err
	}
	hash, err := auth.NewHasher(1).Hash(ctx, demoPassword)
	if err != nil {
		return err
	}
	if err := db.SetPassword(ctx, a.ID, hash); err != nil {
		return err
	}
	// The printed accounts sign in and reserve at once: no mailbox to
	// confirm a made-up address from.
	return db.MarkEmailVerified(ctx, a.ID)
}

// freshDemoDB opens an empty database for the demo. A SQLite file is
// recreated, but only if it holds nothing or only an earlier demo, so a
// mistaken --db never wipes real data. On PostgreSQL the earlier demo event
// is deleted.
func freshDemoDB(ctx context.Context, cfg *config.Config, log *slog.Logger, slug string) (*store.DB, error) {
	if store.ParseDSN(cfg.DB) == store.SQLite {
		if _, err := os.Stat(cfg.DB); err == nil {
			if err := checkOnlyDemo(ctx, cfg, log, slug); err != nil {
				return nil, err
			}
			for _, suffix := range []string{"", "-wal", "-shm"} {
				if err := os.Remove(cfg.DB + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
					return nil, fmt.Errorf("remove old demo database: %w", err)
				}
			}
		}
		return openStore(ctx, cfg, log)
	}
	db, err := openStore(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	if err := db.DeleteEvent(ctx, slug); err != nil && lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
		db.Close()
		return nil, err
	}
	return db, nil
}

func checkOnlyDemo(ctx context.Context, cfg *config.Config, log *slog.Logger, slug string) error {
	db, err := openStore(ctx, cfg, log)
	if err != nil {
		return fmt.Errorf("%s exists and is not a lanyard database; choose another --db: %w", cfg.DB, err)
	}
	defer db.Close()
	events, err := db.FindEvents(ctx)
	if err != nil {
		return err
	}
	for _, ev := range events {
		if ev.Slug != slug {
			return fmt.Errorf("%s holds event %q, not only the demo; choose another --db", cfg.DB, ev.Slug)
		}
	}
	return nil
}

// openReservations sets the demo up so everything can be tried at once:
// windows for every session type open now and close at the event's end;
// a walk-up holdback per type; and keynotes in a first wave, with a third of
// their seats released two days later (the keynote "second chance").
func openReservations(ctx context.Context, db *store.DB, ev *lanyard.Event, now time.Time) error {
	cat, err := catalog.Load(ctx, db, ev)
	if err != nil {
		return err
	}
	e, err := reserve.Open(ctx, db, cat, reserve.Options{Tick: -1})
	if err != nil {
		return err
	}
	defer e.Close()
	for t, p := range map[lanyard.SessionType]int{lanyard.TypeKeynote: 10, lanyard.TypeSession: 10, lanyard.TypeChalk: 20} {
		if err := e.SetHoldback(ctx, t, p); err != nil {
			return err
		}
	}
	days, _ := ev.DayDates()
	end, err := time.ParseInLocation(time.DateOnly, days[len(days)-1], cat.Loc)
	if err != nil {
		return err
	}
	for _, t := range lanyard.SessionTypes {
		w := lanyard.Window{SessionType: t, Opens: now.Add(-time.Minute), Closes: end.AddDate(0, 0, 1)}
		if _, err := e.AddWindow(ctx, 0, "", w); err != nil {
			return err
		}
	}
	for _, s := range cat.Sessions() {
		if s.Type != lanyard.TypeKeynote || !s.Scheduled() {
			continue
		}
		seats, _ := e.Seats(s.Code)
		wave := lanyard.Wave{Session: s.Code, Seats: seats.Reservable / 3, At: now.Add(48 * time.Hour)}
		if wave.At.After(s.Start) || wave.Seats == 0 {
			continue
		}
		if _, err := e.AddWave(ctx, 0, "", wave); err != nil {
			return err
		}
	}
	return nil
}

type sampleToken struct {
	email, token string
	// exhibitor is an exhibitor staff member's, for the leads API.
	exhibitor *sampleToken
}

// writeTokens creates one API token per person, stores their hashes and
// writes email,token lines to path. It returns a sample attendee's token and
// the organizer's.
func writeTokens(ctx context.Context, db *store.DB, people []*lanyard.Attendee, path string) (sample sampleToken, organizer string, err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600) // the file holds secrets
	if err != nil {
		return sample, "", fmt.Errorf("tokens file: %w", err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	w.WriteString("email,token\n")
	rows := make([]store.Token, len(people))
	for i, a := range people {
		token, hash := auth.NewToken()
		rows[i] = store.Token{AttendeeID: a.ID, Hash: hash, Name: "demo"}
		fmt.Fprintf(w, "%s,%s\n", a.Email, token)
		switch {
		case a.Role == lanyard.RoleOrganizer && organizer == "":
			organizer = token
		case a.Role == lanyard.RoleAttendee && sample.token == "":
			sample.email, sample.token = a.Email, token
		case a.Role == lanyard.RoleExhibitor && sample.exhibitor == nil:
			sample.exhibitor = &sampleToken{email: a.Email, token: token}
		}
	}
	if err := w.Flush(); err != nil {
		return sample, "", fmt.Errorf("tokens file: %w", err)
	}
	if err := db.CreateTokens(ctx, rows); err != nil {
		return sample, "", err
	}
	return sample, organizer, f.Close()
}
