package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

const eventCols = "id, slug, name, time_zone, start_date, days"

func scanEvent(row interface{ Scan(...any) error }) (*lanyard.Event, error) {
	var e lanyard.Event
	err := row.Scan(&e.ID, &e.Slug, &e.Name, &e.TimeZone, &e.StartDate, &e.Days)
	return &e, err
}

// FindEventBySlug returns the event with the given slug.
// Returns ENOTFOUND if there is none.
func (d *DB) FindEventBySlug(ctx context.Context, slug string) (*lanyard.Event, error) {
	e, err := scanEvent(d.queryRow(ctx, d.db, "SELECT "+eventCols+" FROM events WHERE slug = ?", slug))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lanyard.Errorf(lanyard.ENOTFOUND, "No event %q.", slug)
	}
	if err != nil {
		return nil, fmt.Errorf("store: find event %q: %w", slug, err)
	}
	return e, nil
}

// FindEvents returns every event, oldest first.
func (d *DB) FindEvents(ctx context.Context) ([]*lanyard.Event, error) {
	rows, err := d.query(ctx, d.db, "SELECT "+eventCols+" FROM events ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("store: find events: %w", err)
	}
	defer rows.Close()
	var out []*lanyard.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("store: find events: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: find events: %w", err)
	}
	return out, nil
}

// upsertEvent creates the event or updates its fields, keyed by slug.
func (d *DB) upsertEvent(ctx context.Context, tx *sql.Tx, e *lanyard.Event) error {
	err := d.queryRow(ctx, tx, `INSERT INTO events (slug, name, time_zone, start_date, days) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (slug) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone,
			start_date = excluded.start_date, days = excluded.days
		RETURNING id`, e.Slug, e.Name, e.TimeZone, e.StartDate, e.Days).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("store: save event %s: %w", e.Slug, mapError(err, "Event "+e.Slug))
	}
	return nil
}

// DeleteEvent removes an event and everything that belongs to it.
// Returns ENOTFOUND if there is no such event.
func (d *DB) DeleteEvent(ctx context.Context, slug string) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		// The reservation tables have no foreign keys to cascade along (see their migration).
		for _, q := range []string{
			"DELETE FROM reservation_log WHERE event_id IN (SELECT id FROM events WHERE slug = ?)",
			"DELETE FROM reservations WHERE session_id IN (SELECT s.id FROM sessions s JOIN events e ON e.id = s.event_id WHERE e.slug = ?)",
			"DELETE FROM waitlist WHERE session_id IN (SELECT s.id FROM sessions s JOIN events e ON e.id = s.event_id WHERE e.slug = ?)",
			"DELETE FROM admissions WHERE session_id IN (SELECT s.id FROM sessions s JOIN events e ON e.id = s.event_id WHERE e.slug = ?)",
			"DELETE FROM walkup_line WHERE session_id IN (SELECT s.id FROM sessions s JOIN events e ON e.id = s.event_id WHERE e.slug = ?)", // === line
		} {
			if _, err := d.exec(ctx, tx, q, slug); err != nil {
				return fmt.Errorf("store: delete event %q: %w", slug, err)
			}
		}
		res, err := d.exec(ctx, tx, "DELETE FROM events WHERE slug = ?", slug)
		if err != nil {
			return fmt.Errorf("store: delete event %q: %w", slug, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return lanyard.Errorf(lanyard.ENOTFOUND, "No event %q.", slug)
		}
		return nil
	})
}
