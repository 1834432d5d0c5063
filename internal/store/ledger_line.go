package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lanyardhq/lanyard/internal/reserve"
)

// The walk-up line's rows (issue 13): an engine batch upserts the rows it
// changed whole and deletes those of attendees who left a line.

// loadLine reads an event's walk-up line rows in seq order (the lines' order).
func (d *DB) loadLine(ctx context.Context, eventID int64, snap *reserve.Snapshot) error {
	rows, err := d.query(ctx, d.db, `SELECT l.session_id, l.attendee_id, l.seq, l.state, l.called_until FROM walkup_line l
		JOIN sessions s ON s.id = l.session_id WHERE s.event_id = ? ORDER BY l.seq`, eventID)
	if err != nil {
		return fmt.Errorf("store: load ledger walk-up lines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r reserve.LineRow
		var until sql.NullTime
		if err := rows.Scan(&r.SessionID, &r.AttendeeID, &r.Seq, &r.State, &until); err != nil {
			return fmt.Errorf("store: load ledger walk-up lines: %w", err)
		}
		if until.Valid {
			r.CalledUntil = until.Time.UTC()
		}
		snap.Line = append(snap.Line, r)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: load ledger walk-up lines: %w", err)
	}
	return nil
}

// commitLine writes a batch's line rows on SQLite, in the batch's transaction.
func (d *DB) commitLine(ctx context.Context, tx *sql.Tx, b *reserve.Batch) error {
	if err := d.deleteKeys(ctx, tx, "walkup_line", b.LineDel); err != nil {
		return err
	}
	return d.insertRows(ctx, tx, "walkup_line", []string{"session_id", "attendee_id", "seq", "state", "called_until"},
		"ON CONFLICT (session_id, attendee_id) DO UPDATE SET seq = excluded.seq, state = excluded.state, called_until = excluded.called_until",
		len(b.Line), func(i int) []any {
			r := b.Line[i]
			return []any{r.SessionID, r.AttendeeID, r.Seq, r.State, nullTime(r.CalledUntil)}
		})
}

// queueLine queues a batch's line rows on PostgreSQL: one statement each
// for the deletes and the upserts, rows as arrays.
func queueLine(b *reserve.Batch, queue func(what string, rows int64, sql string, args ...any)) {
	if n := len(b.LineDel); n > 0 {
		s, a := keyArrays(b.LineDel)
		queue("leave walk-up lines", int64(n), `DELETE FROM walkup_line WHERE (session_id, attendee_id) IN
			(SELECT * FROM unnest($1::bigint[], $2::bigint[]))`, s, a)
	}
	if n := len(b.Line); n > 0 {
		s, a, seq, state := make([]int64, n), make([]int64, n), make([]int64, n), make([]string, n)
		until := make([]*time.Time, n)
		for i, r := range b.Line {
			s[i], a[i], seq[i], state[i] = r.SessionID, r.AttendeeID, r.Seq, r.State
			if !r.CalledUntil.IsZero() {
				t := r.CalledUntil.UTC()
				until[i] = &t
			}
		}
		queue("walk-up lines", int64(n), `INSERT INTO walkup_line (session_id, attendee_id, seq, state, called_until)
			SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::timestamptz[])
			ON CONFLICT (session_id, attendee_id) DO UPDATE SET seq = excluded.seq, state = excluded.state, called_until = excluded.called_until`,
			s, a, seq, state, until)
	}
}
