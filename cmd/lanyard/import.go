package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"

	"github.com/lanyardhq/lanyard/internal/config"
	"github.com/lanyardhq/lanyard/internal/importer"
	"github.com/lanyardhq/lanyard/internal/lanyard"
)

func cmdImport(ctx context.Context, e *env, args []string) error {
	cfg := config.Default()
	fs := newFlagSet(e, "import", "FILE...", `Imports catalog files into the database in one transaction: all of them or
nothing. Formats: lanyard's own JSON and CSV (sessions, rooms, travel times),
frab/pentabarf schedule.xml and C3VOC schedule.json (pretalx, frab, FOSDEM),
and the re:Invent catalog JSON scrapes. Records that cannot be trusted are
skipped or imported with a doubt, and each is reported with its record,
field and reason. A file that cannot be read as its format is rejected with
every problem named, and nothing is imported.`)
	if err := cfg.Register(fs, e.getenv, config.OptDB|config.OptLog); err != nil {
		return err
	}
	format := fs.String("format", "", fmt.Sprintf("file format, detected from the content when empty: one of %v", importer.Formats))
	slug := fs.String("event", "", "event slug to import into, overriding the file's (required for CSV, which names none)")
	name := fs.String("name", "", "event name, overriding the file's")
	zone := fs.String("zone", "", "IANA time zone of the venues, for files that give naive local times (default America/Los_Angeles for re:Invent)")
	startDate := fs.String("start-date", "", "first day of the event (YYYY-MM-DD), overriding the file's; dated sessions move with it, keeping their day and local time")
	days := fs.Int("days", 0, "number of event days, overriding the file's")
	year := fs.Int("year", 0, "year of dates written without one (re:Invent), inferred when 0")
	dryRun := fs.Bool("dry-run", false, "read and check the files and report, but write nothing")
	show := fs.Int("problems", 20, "how many skipped or doubted records to list (0: all)")
	reportPath := fs.String("report", "", "write the full report of every file as JSON to this path")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	opt := importer.Options{TimeZone: *zone, Year: *year}
	var (
		merged  lanyard.Catalog
		reports = map[string]*importer.Report{}
	)
	for _, path := range fs.Args() {
		cat, rep, err := readFile(path, importer.Format(*format), opt)
		if err != nil {
			var ie *importer.Error
			if errors.As(err, &ie) {
				printProblems(e, path, ie.Problems, *show)
			}
			return fmt.Errorf("%s: %w", path, err)
		}
		reports[path] = rep
		fmt.Fprintf(e.stdout, "%s: %s, %d records, %d imported, %d skipped, %d problems\n", path, rep.Format, rep.Records, rep.Imported, rep.Skipped, len(rep.Problems))
		printProblems(e, path, rep.Problems, *show)
		if err := merge(&merged, cat); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	ev := &merged.Event
	for _, o := range []struct {
		dst *string
		v   string
	}{{&ev.Slug, *slug}, {&ev.Name, *name}, {&ev.TimeZone, *zone}} {
		if o.v != "" {
			*o.dst = o.v
		}
	}
	if *startDate != "" {
		// The sessions move with the event, or ?day= would find none of them.
		if err := importer.MoveStart(&merged, *startDate); err != nil {
			return fmt.Errorf("--start-date: %w", err)
		}
	}
	if *days != 0 {
		ev.Days = *days
	}
	if ev.Name == "" {
		ev.Name = ev.Slug
	}
	if ev.Slug == "" {
		return errors.New("the files name no event: give --event SLUG (and --zone, --start-date, --days for a new event)")
	}
	if err := ev.Validate(); err != nil {
		return fmt.Errorf("event %s: %w (set it with --zone, --start-date, --days)", ev.Slug, err)
	}
	if *reportPath != "" {
		b, _ := json.MarshalIndent(reports, "", "  ")
		if err := os.WriteFile(*reportPath, b, 0o644); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	if *dryRun {
		fmt.Fprintf(e.stdout, "dry run: %d sessions in %d venues for event %s would be imported\n", len(merged.Sessions), len(merged.Venues), ev.Slug)
		return nil
	}
	db, err := openStore(ctx, &cfg, cfg.Logger(e.stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := db.ImportCatalog(ctx, &merged)
	if err != nil {
		return fmt.Errorf("nothing imported: %w", err)
	}
	fmt.Fprintf(e.stdout, "imported into %s (%s): %d sessions, %d venues, %d rooms, %d travel times\n",
		ev.Slug, db.Dialect(), st.Sessions, st.Venues, st.Rooms, st.TravelTimes)
	return nil
}

func readFile(path string, f importer.Format, opt importer.Options) (*lanyard.Catalog, *importer.Report, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer fh.Close()
	return importer.Read(fh, f, opt)
}

// printProblems lists up to limit problems (0: all), after a count per field.
func printProblems(e *env, path string, ps []importer.Problem, limit int) {
	if len(ps) == 0 {
		return
	}
	byField := map[string]int{}
	for _, p := range ps {
		byField[p.Field]++
	}
	fields := make([]string, 0, len(byField))
	for f := range byField {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	fmt.Fprintf(e.stdout, "  problems by field:")
	for _, f := range fields {
		name := f
		if name == "" {
			name = "(record)"
		}
		fmt.Fprintf(e.stdout, " %s %d;", name, byField[f])
	}
	fmt.Fprintln(e.stdout)
	for i, p := range ps {
		if limit > 0 && i == limit {
			fmt.Fprintf(e.stdout, "  … and %d more (--problems 0 lists all, --report FILE writes them as JSON)\n", len(ps)-limit)
			break
		}
		fmt.Fprintf(e.stdout, "  %s: %s\n", path, p)
	}
}

// merge adds one file's catalog to the catalog being built, so that CSV
// rooms, travel times and sessions given as separate files import together.
func merge(dst, src *lanyard.Catalog) error {
	if src.Event.Slug != "" {
		if dst.Event.Slug != "" && dst.Event.Slug != src.Event.Slug {
			return fmt.Errorf("file is for event %q, an earlier one for %q: import them separately", src.Event.Slug, dst.Event.Slug)
		}
		dst.Event = src.Event
	}
	for _, v := range src.Venues {
		i := indexVenue(dst.Venues, v.Code)
		if i < 0 {
			dst.Venues = append(dst.Venues, v)
			continue
		}
		for _, r := range v.Rooms {
			if !hasRoom(dst.Venues[i].Rooms, r.Name) {
				dst.Venues[i].Rooms = append(dst.Venues[i].Rooms, r)
			}
		}
	}
	dst.Travel = append(dst.Travel, src.Travel...)
	dst.Sessions = append(dst.Sessions, src.Sessions...)
	return nil
}

func indexVenue(vs []lanyard.Venue, code string) int {
	for i, v := range vs {
		if v.Code == code {
			return i
		}
	}
	return -1
}

func hasRoom(rs []lanyard.Room, name string) bool {
	for _, r := range rs {
		if r.Name == name {
			return true
		}
	}
	return false
}
