package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/lanyardhq/lanyard/internal/config"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
)

// openStore opens the configured database. SQLite, the embedded default, is
// migrated automatically; PostgreSQL is shared by several nodes and an
// operator decides when its schema changes, so a schema that is behind is
// refused unless --migrate was given.
func openStore(ctx context.Context, cfg *config.Config, log *slog.Logger) (*store.DB, error) {
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return nil, err
	}
	if db.Dialect() == store.SQLite || cfg.Migrate {
		n, err := db.Migrate(ctx)
		if err != nil {
			db.Close()
			return nil, err
		}
		if n > 0 {
			log.Info("migrated database", "dialect", db.Dialect(), "migrations", n)
		}
		return db, nil
	}
	cur, latest, err := db.SchemaVersion(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	if cur < latest {
		db.Close()
		return nil, fmt.Errorf("database schema is at version %d, this build needs %d: run \"lanyard migrate\" or pass --migrate", cur, latest)
	}
	return db, nil
}

// findEvent returns the event named by slug, or the only event when slug is empty.
func findEvent(ctx context.Context, db *store.DB, slug string) (*lanyard.Event, error) {
	if slug != "" {
		return db.FindEventBySlug(ctx, slug)
	}
	events, err := db.FindEvents(ctx)
	if err != nil {
		return nil, err
	}
	switch len(events) {
	case 0:
		return nil, fmt.Errorf("the database holds no event yet: run \"lanyard import\" or \"lanyard demo\"")
	case 1:
		return events[0], nil
	}
	slugs := make([]string, len(events))
	for i, e := range events {
		slugs[i] = e.Slug
	}
	return nil, fmt.Errorf("the database holds %d events; choose one with --event (one of %v)", len(events), slugs)
}
