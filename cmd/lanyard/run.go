package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

const usage = `lanyard — the conference attendee platform

Usage: lanyard <command> [flags]

Commands:
  serve    serve an event's web app and JSON API
  demo     generate a re:Invent-scale demo event and serve it
  import   import a catalog file (lanyard JSON/CSV, frab schedule.xml, C3VOC schedule.json, re:Invent JSON)
  migrate  apply pending database migrations
  token    create API tokens (lanyard token create --email …)
  rush     the registration-opening load test against a running lanyard
  badges   write every attendee's badge into one print-ready PDF
  attendees import  import attendees from a ticket shop (CSV with column mapping, pretix JSON)

Run "lanyard <command> --help" for a command's flags. Every flag also has a
LANYARD_* environment variable as its default (--db: LANYARD_DB).
`

// env carries a command's process surroundings, so tests can run commands
// in-process with their own.
type env struct {
	getenv         func(string) string
	stdout, stderr io.Writer
}

// run runs one subcommand and returns the process exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	e := &env{getenv: getenv, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmds := map[string]func(context.Context, *env, []string) error{
		"serve":     cmdServe,
		"demo":      cmdDemo,
		"import":    cmdImport,
		"migrate":   cmdMigrate,
		"token":     cmdToken,
		"rush":      cmdRush,
		"badges":    cmdBadges,
		"attendees": cmdAttendees,
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	cmd, ok := cmds[name]
	if !ok {
		fmt.Fprintf(stderr, "lanyard: unknown command %q\n\n%s", name, usage)
		return 2
	}
	err := cmd(ctx, e, rest)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintf(stderr, "lanyard %s: %v\n", name, err)
	return 1
}

// errUsage marks a command-line mistake whose message was already printed.
var errUsage = errors.New("usage")

// newFlagSet returns a flag set that prints its usage with a summary line.
func newFlagSet(e *env, name, args, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet("lanyard "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: lanyard %s [flags] %s\n\n%s\n\nFlags:\n", name, args, strings.TrimSpace(summary))
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args, mapping a bad flag to errUsage (flag already printed why).
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}
