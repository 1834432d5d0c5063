package main

import (
	"context"
	"fmt"

	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/config"
	"github.com/lanyardhq/lanyard/internal/store"
)

func cmdToken(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(e.stderr, "Usage: lanyard token create --email EMAIL [flags]   (run with --help for the flags)")
		return errUsage
	}
	cfg := config.Default()
	fs := newFlagSet(e, "token create", "", "Creates an API token for the attendee or organizer with the given email and prints it. Only its hash is stored: keep the printed token.")
	if err := cfg.Register(fs, e.getenv, config.OptDB|config.OptEvent); err != nil {
		return err
	}
	email := fs.String("email", "", "email of the attendee the token acts as (required)")
	name := fs.String("name", "cli", "what the token is for, stored with it")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *email == "" {
		fmt.Fprintln(e.stderr, "lanyard token create: --email is required")
		return errUsage
	}
	if err := cfg.Validate(); err != nil {
		return err
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
	a, err := db.FindAttendeeByEmail(ctx, ev.ID, *email)
	if err != nil {
		return err
	}
	token, hash := auth.NewToken()
	if err := db.CreateTokens(ctx, []store.Token{{AttendeeID: a.ID, Hash: hash, Name: *name}}); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, token)
	return nil
}
