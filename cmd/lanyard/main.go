// Command lanyard is the conference attendee platform: one binary with
// subcommands to serve it, run a demo, import catalogs and migrate the
// database. Run "lanyard help" for the list.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // every attendee's home zone is validated; don't depend on the host's zone files
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
