package main

import (
	"context"
	"fmt"

	"github.com/lanyardhq/lanyard/internal/config"
	"github.com/lanyardhq/lanyard/internal/store"
)

func cmdMigrate(ctx context.Context, e *env, args []string) error {
	cfg := config.Default()
	fs := newFlagSet(e, "migrate", "", "Applies every pending database migration, one transaction per file, and reports the schema version.")
	if err := cfg.Register(fs, e.getenv, config.OptDB); err != nil {
		return err
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	cur, _, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "applied %d migrations; %s schema at version %d\n", n, db.Dialect(), cur)
	return nil
}
