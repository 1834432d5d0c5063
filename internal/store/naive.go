package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// The naive design most web apps use, kept as the baseline the ledger is
// measured against (`lanyard serve --engine naive`, BenchmarkRush): one
// transaction per request, the seat count guarded by a conditional UPDATE.
// It shares the ledger's tables, so the same overbooking checks read both.

// NaiveOutcome is what a naive reservation did.
type NaiveOutcome int

// The outcomes of ReserveNaive.
const (
	NaiveReserved NaiveOutcome = iota
	NaiveAlready               // the attendee already holds the session
	NaiveFull
)

// ReserveNaive reserves a seat in one transaction: check the attendee's
// seat, UPDATE … SET taken = taken + 1 WHERE taken < reservable, INSERT.
// It checks no other rule.
func (d *DB) ReserveNaive(ctx context.Context, sessionID, attendeeID int64) (NaiveOutcome, error) {
	out := NaiveFull
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		// Two concurrent requests of one attendee can both pass this check;
		// the primary key then refuses the second insert, and the
		// transaction, with its seat count, rolls back.
		var held int
		if err := d.queryRow(ctx, tx, "SELECT COUNT(*) FROM reservations WHERE session_id = ? AND attendee_id = ?",
			sessionID, attendeeID).Scan(&held); err != nil {
			return fmt.Errorf("store: naive reserve: %w", err)
		}
		if held > 0 {
			out = NaiveAlready
			return nil
		}
		res, err := d.exec(ctx, tx, "UPDATE session_seats SET taken = taken + 1 WHERE session_id = ? AND taken < reservable", sessionID)
		if err != nil {
			return fmt.Errorf("store: naive reserve: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		if _, err := d.exec(ctx, tx, "INSERT INTO reservations (session_id, attendee_id, batch_id) VALUES (?, ?, 0)",
			sessionID, attendeeID); err != nil {
			return fmt.Errorf("store: naive reserve: %w", mapError(err, "That reservation"))
		}
		out = NaiveReserved
		return nil
	})
	if lanyard.ErrorCode(err) == lanyard.ECONFLICT {
		return NaiveAlready, nil
	}
	return out, err
}

// CancelNaive gives a seat back in one transaction; false if it was not held.
func (d *DB) CancelNaive(ctx context.Context, sessionID, attendeeID int64) (bool, error) {
	ok := false
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		res, err := d.exec(ctx, tx, "DELETE FROM reservations WHERE session_id = ? AND attendee_id = ?", sessionID, attendeeID)
		if err != nil {
			return fmt.Errorf("store: naive cancel: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		if _, err := d.exec(ctx, tx, "UPDATE session_seats SET taken = taken - 1 WHERE session_id = ?", sessionID); err != nil {
			return fmt.Errorf("store: naive cancel: %w", err)
		}
		ok = true
		return nil
	})
	return ok, err
}

// JoinWaitlistNaive appends the attendee to a session's waitlist and
// returns their position; joining again returns the same position.
func (d *DB) JoinWaitlistNaive(ctx context.Context, sessionID, attendeeID int64) (int, error) {
	var pos int
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := d.exec(ctx, tx, `INSERT INTO waitlist (session_id, attendee_id, seq)
			SELECT ?, ?, COALESCE(MAX(seq), 0) + 1 FROM waitlist WHERE session_id = ?
			ON CONFLICT (session_id, attendee_id) DO NOTHING`, sessionID, attendeeID, sessionID); err != nil {
			return fmt.Errorf("store: naive waitlist: %w", err)
		}
		return d.queryRow(ctx, tx, `SELECT COUNT(*) FROM waitlist w WHERE w.session_id = ?
			AND w.seq <= (SELECT seq FROM waitlist WHERE session_id = ? AND attendee_id = ?)`, sessionID, sessionID, attendeeID).Scan(&pos)
	})
	return pos, err
}

// LeaveWaitlistNaive removes the attendee from a waitlist; false if absent.
func (d *DB) LeaveWaitlistNaive(ctx context.Context, sessionID, attendeeID int64) (bool, error) {
	res, err := d.exec(ctx, d.db, "DELETE FROM waitlist WHERE session_id = ? AND attendee_id = ?", sessionID, attendeeID)
	if err != nil {
		return false, fmt.Errorf("store: naive leave waitlist: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// SeatsNaive reads a session's counts from the database.
func (d *DB) SeatsNaive(ctx context.Context, sessionID int64) (reservable, taken, waiting int, err error) {
	err = d.queryRow(ctx, d.db, `SELECT reservable, taken, (SELECT COUNT(*) FROM waitlist WHERE session_id = ?)
		FROM session_seats WHERE session_id = ?`, sessionID, sessionID).Scan(&reservable, &taken, &waiting)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("store: naive seats: %w", err)
	}
	return reservable, taken, waiting, nil
}

// HeldNaive returns the sessions an attendee holds.
func (d *DB) HeldNaive(ctx context.Context, attendeeID int64) ([]int64, error) {
	rows, err := d.query(ctx, d.db, "SELECT session_id FROM reservations WHERE attendee_id = ?", attendeeID)
	if err != nil {
		return nil, fmt.Errorf("store: naive agenda: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: naive agenda: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Overbooked counts the event's sessions holding more reservations than
// reservable seats, or whose seat count disagrees with their reservations.
// Load tests read it after a rush, for both designs.
func (d *DB) Overbooked(ctx context.Context, eventID int64) (int, error) {
	var n int
	err := d.queryRow(ctx, d.db, `SELECT COUNT(*) FROM session_seats ss JOIN sessions s ON s.id = ss.session_id
		WHERE s.event_id = ? AND (ss.taken > ss.reservable
			OR (SELECT COUNT(*) FROM reservations r WHERE r.session_id = ss.session_id) > ss.reservable
			OR (SELECT COUNT(*) FROM reservations r WHERE r.session_id = ss.session_id) <> ss.taken)`, eventID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: overbooked: %w", err)
	}
	return n, nil
}
