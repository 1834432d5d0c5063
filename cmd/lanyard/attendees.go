package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/config"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/registration"
)

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func cmdAttendees(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "import" {
		fmt.Fprint(e.stderr, "Usage: lanyard attendees import [flags] FILE\n\nRun \"lanyard attendees import --help\" for its flags.\n")
		return errUsage
	}
	return cmdAttendeesImport(ctx, e, args[1:])
}

func cmdAttendeesImport(ctx context.Context, e *env, args []string) error {
	cfg := config.Default()
	fs := newFlagSet(e, "attendees import", "FILE", `Imports an event's attendees from where it sold its tickets: a CSV export
(pretix, Eventbrite, tito or your own sheet; columns are found by their
header names, --map names the others) or pretix's "Order data" JSON export.
One transaction: every row, or nothing if any row is refused (each refused
row is named with its field). Tickets are found again by their ID (else the
email), so a second import of the same file changes nothing; a cancelled or
expired ticket voids its attendee's badge.`)
	if err := cfg.Register(fs, e.getenv, config.OptDB|config.OptEvent|config.OptMigrate|config.OptLog); err != nil {
		return err
	}
	format := fs.String("format", "", "csv or pretix; detected from the file when empty")
	var maps, types, roles listFlag
	fs.Var(&maps, "map", "field=Column, for CSV columns not found by name (repeatable or comma-separated); fields: "+strings.Join(registration.Fields, ", "))
	fs.Var(&types, "type", `ticket kind=attendee type, e.g. "Conference ticket=full" (repeatable); kinds not given keep their name`)
	fs.Var(&roles, "role", `attendee type=role, e.g. "Exhibitor Pass=exhibitor" (repeatable); a role column wins`)
	dryRun := fs.Bool("dry-run", false, "report what the import would do, and write nothing")
	invite := fs.Bool("invite", false, "invite each attendee created, and each imported earlier with no account or pending invitation: a set-password link by mail (written to the messages table), valid 30 days")
	publicURL := fs.String("public-url", e.getenv("LANYARD_PUBLIC_URL"), "URL people reach the site at, for the invitation links (env LANYARD_PUBLIC_URL); required with --invite")
	mode := fs.String("signup-mode", "", "also set the event's sign-up mode: open (anyone signs up) or invitation (only imported attendees)")
	show := fs.Int("rows", 20, "how many rows that were not created or unchanged to list (0: all)")
	reportPath := fs.String("report", "", "write the full report as JSON to this path")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	if *invite && *publicURL == "" {
		return errors.New("--invite needs --public-url: the invitation links point there")
	}
	if *mode != "" && !lanyard.ValidSignUpMode(*mode) {
		return fmt.Errorf("--signup-mode must be open or invitation, not %q", *mode)
	}
	m, err := registration.ParseMapping(maps)
	if err != nil {
		return err
	}
	opt := registration.Options{DryRun: *dryRun, Types: map[string]string{}, Roles: map[string]lanyard.Role{}}
	for _, kv := range types {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return fmt.Errorf("--type %q is not kind=type", kv)
		}
		opt.Types[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	for _, kv := range roles {
		k, v, ok := strings.Cut(kv, "=")
		if r := lanyard.Role(strings.TrimSpace(v)); !ok || !r.Valid() {
			return fmt.Errorf("--role %q is not type=role (attendee, staff, exhibitor or organizer)", kv)
		}
		opt.Roles[strings.TrimSpace(k)] = lanyard.Role(strings.TrimSpace(v))
	}
	path := fs.Arg(0)
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	f := registration.Format(*format)
	if f == "" {
		f = registration.Detect(path, data)
	}
	db, err := openStore(ctx, &cfg, cfg.Logger(e.stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	ev, err := findEvent(ctx, db, cfg.Event)
	if err != nil {
		return err
	}
	opt.EventID = ev.ID
	if *invite {
		opt.Invite = registration.Inviter(*publicURL, ev.Name, registration.InvitationTTL, time.Now)
	}
	rep, err := registration.Import(ctx, db, strings.NewReader(string(data)), f, m, opt)
	if *reportPath != "" && (err == nil || len(rep.Rows) > 0) {
		b, _ := json.MarshalIndent(rep, "", "  ")
		if werr := os.WriteFile(*reportPath, b, 0o644); werr != nil {
			return fmt.Errorf("write report: %w", werr)
		}
	}
	printRegReport(e, path, rep, *show)
	if err != nil {
		return fmt.Errorf("%s: %s", path, lanyard.ErrorMessage(err))
	}
	if *mode != "" && !*dryRun {
		if err := db.SetSignUpMode(ctx, ev.ID, *mode); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "sign-up mode of %s: %s\n", ev.Slug, *mode)
	}
	return nil
}

func printRegReport(e *env, path string, rep registration.Report, limit int) {
	verb := "imported"
	if rep.DryRun {
		verb = "dry run, nothing written"
	}
	fmt.Fprintf(e.stdout, "%s (%s, %s): %d created, %d updated, %d unchanged, %d voided, %d skipped, %d refused\n",
		path, rep.Format, verb, rep.Created, rep.Updated, rep.Unchanged, rep.Voided, rep.Skipped, rep.Refused)
	n := 0
	for _, o := range rep.Rows {
		if o.Action == "created" || o.Action == "unchanged" {
			continue
		}
		if limit > 0 && n == limit {
			fmt.Fprintf(e.stdout, "  … and more (--rows 0 lists all, --report FILE writes them as JSON)\n")
			break
		}
		n++
		key := o.Email
		if o.ExternalID != "" {
			key = o.ExternalID + " " + o.Email
		}
		fmt.Fprintf(e.stdout, "  row %d (%s): %s: %s\n", o.Row, strings.TrimSpace(key), o.Action, o.Reason)
	}
}

var _ flag.Value = (*listFlag)(nil)
