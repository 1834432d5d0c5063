package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// SessionHolders returns the attendees holding a reservation for a session,
// the most recent reservation first (by the batch that made it), for the
// engine's choice of whom a lowered capacity moves.
func (d *DB) SessionHolders(ctx context.Context, sessionID int64) ([]int64, error) {
	rows, err := d.query(ctx, d.db, `SELECT attendee_id FROM reservations WHERE session_id = ?
		ORDER BY batch_id DESC, attendee_id DESC`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("store: session holders: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: session holders: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// ScheduleChanges returns the schedule's changelog, newest version first.
func (d *DB) ScheduleChanges(ctx context.Context, eventID int64) ([]lanyard.ScheduleChange, error) {
	rows, err := d.query(ctx, d.db, `SELECT version, at, change FROM schedule_changes WHERE event_id = ? ORDER BY version DESC`, eventID)
	if err != nil {
		return nil, fmt.Errorf("store: schedule changes: %w", err)
	}
	defer rows.Close()
	var out []lanyard.ScheduleChange
	for rows.Next() {
		var (
			c    lanyard.ScheduleChange
			text string
		)
		var v int
		var at = &c.At
		if err := rows.Scan(&v, at, &text); err != nil {
			return nil, fmt.Errorf("store: schedule changes: %w", err)
		}
		if err := json.Unmarshal([]byte(text), &c); err != nil {
			return nil, fmt.Errorf("store: schedule change %d: %w", v, err)
		}
		c.Version, c.At = v+1, c.At.UTC() // version 1 is the imported catalog
		out = append(out, c)
	}
	return out, rows.Err()
}

// ScheduleVersion returns the schedule's version: 1 for the imported
// catalog, one more for each saved change.
func (d *DB) ScheduleVersion(ctx context.Context, eventID int64) (int, error) {
	var n int
	if err := d.queryRow(ctx, d.db, `SELECT COALESCE(MAX(version), 0) FROM schedule_changes WHERE event_id = ?`, eventID).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: schedule version: %w", err)
	}
	return n + 1, nil
}

// CreateSession inserts a new session of the event (a repeat an organizer
// adds) and sets s.ID. The engine takes it in with reserve's AddSession,
// which writes its seat row and schedule version; a session whose second
// step failed is read, with a seat row, at the next start.
func (d *DB) CreateSession(ctx context.Context, eventID int64, s *lanyard.Session) error {
	if s.RoomID == 0 && s.Room != "" {
		if err := d.queryRow(ctx, d.db, `SELECT r.id FROM rooms r JOIN venues v ON v.id = r.venue_id
			WHERE v.event_id = ? AND v.code = ? AND r.name = ?`, eventID, s.Venue, s.Room).Scan(&s.RoomID); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return lanyard.Errorf(lanyard.ENOTFOUND, "No room %q in venue %q.", s.Room, s.Venue)
			}
			return fmt.Errorf("store: create session %s: %w", s.Code, err)
		}
	}
	topics, _ := json.Marshal(nonNil(s.Topics))
	speakers, _ := json.Marshal(nonNil(s.Speakers))
	err := d.queryRow(ctx, d.db, `INSERT INTO sessions (event_id, code, title, abstract, type, level, topics, speakers, room_id,
		starts_at, ends_at, capacity_override, repeat_group, reservable) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		eventID, s.Code, s.Title, s.Abstract, string(s.Type), s.Level, string(topics), string(speakers), nullInt(s.RoomID),
		nullTime(s.Start), nullTime(s.End), s.CapacityOverride, s.RepeatGroup, s.Reservable).Scan(&s.ID)
	if err != nil {
		return fmt.Errorf("store: create session %s: %w", s.Code, mapError(err, "Session "+s.Code))
	}
	return nil
}
