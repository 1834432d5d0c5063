package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Activity returns the reservations made per minute and the refusals by
// rule over the minutes minutes up to now, and the mail queue by state. It
// reads only the log of those minutes (two indexes of migration 00040).
func (d *DB) Activity(ctx context.Context, eventID int64, now time.Time, minutes int) (*lanyard.Activity, error) {
	since := now.UTC().Truncate(time.Minute).Add(-time.Duration(minutes-1) * time.Minute)
	out := &lanyard.Activity{Since: since, PerMinute: make([]int, minutes), Refusals: map[string]int{}, Mail: map[lanyard.MessageState]int{}}
	rows, err := d.query(ctx, d.db, `SELECT b.at, l.outcome, l.detail, COUNT(*)
		FROM reservation_batches b JOIN reservation_log l ON l.event_id = b.event_id AND l.batch_id = b.id
		WHERE b.event_id = ? AND b.at >= ? AND l.outcome IN (?, ?)
		GROUP BY b.id, b.at, l.outcome, l.detail`, eventID, since, lanyard.OutcomeReserved, lanyard.OutcomeRefused)
	if err != nil {
		return nil, fmt.Errorf("store: activity: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var at time.Time
		var outcome, detail string
		var n int
		if err := rows.Scan(&at, &outcome, &detail, &n); err != nil {
			return nil, fmt.Errorf("store: activity: %w", err)
		}
		if outcome == lanyard.OutcomeRefused {
			out.Refusals[detail] += n
			continue
		}
		if i := int(at.Sub(since) / time.Minute); i >= 0 && i < minutes {
			out.PerMinute[i] += n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: activity: %w", err)
	}
	mrows, err := d.query(ctx, d.db, "SELECT state, COUNT(*) FROM messages WHERE event_id = ? AND by_mail GROUP BY state", eventID)
	if err != nil {
		return nil, fmt.Errorf("store: mail queue: %w", err)
	}
	defer mrows.Close()
	for mrows.Next() {
		var state string
		var n int
		if err := mrows.Scan(&state, &n); err != nil {
			return nil, fmt.Errorf("store: mail queue: %w", err)
		}
		out.Mail[lanyard.MessageState(state)] = n
	}
	if err := mrows.Err(); err != nil {
		return nil, fmt.Errorf("store: mail queue: %w", err)
	}
	return out, nil
}

// AddAudit records an organizer's or staff member's action. An entry with
// the Key of one already written by the same actor is the same action sent
// twice, and is not written again.
func (d *DB) AddAudit(ctx context.Context, eventID int64, e lanyard.AuditEntry) error {
	return d.addAudit(ctx, d.db, eventID, e)
}

func (d *DB) addAudit(ctx context.Context, q querier, eventID int64, e lanyard.AuditEntry) error {
	if e.At.IsZero() {
		e.At = d.Now()
	}
	var key sql.Null[string]
	if e.Key != "" {
		key = sql.Null[string]{V: e.Key, Valid: true}
	}
	_, err := d.exec(ctx, q, `INSERT INTO audit_log (event_id, at, actor_id, action, attendee_id, session_code, detail, idem_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`,
		eventID, e.At.UTC(), nullID(e.ActorID), e.Action, nullID(e.AttendeeID), e.Session, e.Detail, key)
	if err != nil {
		return fmt.Errorf("store: add audit %s: %w", e.Action, err)
	}
	return nil
}

func nullID(id int64) sql.Null[int64] { return sql.Null[int64]{V: id, Valid: id != 0} }

// AuditFilter selects audit entries; zero fields match everything.
type AuditFilter struct {
	ActorID, AttendeeID int64
	Session             string
	From, To            time.Time
	// Before pages back: entries with a smaller ID. Limit caps the page.
	Before int64
	Limit  int
}

// FindAudit returns audit entries matching f, newest first.
func (d *DB) FindAudit(ctx context.Context, eventID int64, f AuditFilter) ([]lanyard.AuditEntry, error) {
	q := "SELECT id, at, COALESCE(actor_id, 0), action, COALESCE(attendee_id, 0), session_code, detail FROM audit_log WHERE event_id = ?"
	args := []any{eventID}
	if f.ActorID != 0 {
		q += " AND actor_id = ?"
		args = append(args, f.ActorID)
	}
	if f.AttendeeID != 0 {
		q += " AND attendee_id = ?"
		args = append(args, f.AttendeeID)
	}
	if f.Session != "" {
		q += " AND session_code = ?"
		args = append(args, f.Session)
	}
	if !f.From.IsZero() {
		q += " AND at >= ?"
		args = append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		q += " AND at < ?"
		args = append(args, f.To.UTC())
	}
	if f.Before != 0 {
		q += " AND id < ?"
		args = append(args, f.Before)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	q += fmt.Sprintf(" ORDER BY id DESC LIMIT %d", f.Limit)
	rows, err := d.query(ctx, d.db, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: find audit: %w", err)
	}
	defer rows.Close()
	var out []lanyard.AuditEntry
	for rows.Next() {
		var e lanyard.AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.ActorID, &e.Action, &e.AttendeeID, &e.Session, &e.Detail); err != nil {
			return nil, fmt.Errorf("store: find audit: %w", err)
		}
		e.At = e.At.UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: find audit: %w", err)
	}
	return out, nil
}
