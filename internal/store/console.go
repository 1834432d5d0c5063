package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// ActivitySince returns the reservations and refusals the reservation log
// holds after sequence number afterSeq, counted by minute (of their
// batch's instant), outcome and rule; with afterSeq 0, those since since.
// It reads only the new rows (by primary key, or by the batch index for
// the first call), so a dashboard that keeps the counts and asks for what
// is new costs the same at the rush's peak as before it.
func (d *DB) ActivitySince(ctx context.Context, eventID, afterSeq int64, since time.Time) (*lanyard.ActivityDelta, error) {
	out := &lanyard.ActivityDelta{LastSeq: afterSeq}
	if err := d.queryRow(ctx, d.db, "SELECT COALESCE(MAX(seq), 0) FROM reservation_log WHERE event_id = ?", eventID).Scan(&out.LastSeq); err != nil {
		return nil, fmt.Errorf("store: activity: %w", err)
	}
	if out.LastSeq <= afterSeq {
		out.LastSeq = afterSeq
		return out, nil
	}
	// The log is read by its primary key (a range of sequence numbers),
	// the batches' instants after: a join would walk the log per batch.
	q := `SELECT batch_id, outcome, detail, COUNT(*) FROM reservation_log WHERE event_id = ? AND seq > ? AND seq <= ? AND outcome IN (?, ?)
		GROUP BY batch_id, outcome, detail`
	args := []any{eventID, afterSeq, out.LastSeq, lanyard.OutcomeReserved, lanyard.OutcomeRefused}
	if afterSeq == 0 {
		seq, ok, err := d.seqSince(ctx, eventID, since, out.LastSeq)
		if err != nil {
			return nil, fmt.Errorf("store: activity: %w", err)
		}
		if !ok {
			return out, nil
		}
		args[1] = seq - 1
	}
	var rows []lanyard.ActivityCount
	var batches []int64
	minBatch := int64(-1)
	rs, err := d.query(ctx, d.db, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: activity: %w", err)
	}
	for rs.Next() {
		var c lanyard.ActivityCount
		var batch int64
		if err := rs.Scan(&batch, &c.Outcome, &c.Detail, &c.N); err != nil {
			rs.Close()
			return nil, fmt.Errorf("store: activity: %w", err)
		}
		rows = append(rows, c)
		batches = append(batches, batch)
		if minBatch < 0 || batch < minBatch {
			minBatch = batch
		}
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("store: activity: %w", err)
	}
	if len(rows) == 0 {
		return out, nil
	}
	at := map[int64]time.Time{}
	bs, err := d.query(ctx, d.db, "SELECT id, at FROM reservation_batches WHERE event_id = ? AND id >= ?", eventID, minBatch)
	if err != nil {
		return nil, fmt.Errorf("store: activity: %w", err)
	}
	for bs.Next() {
		var id int64
		var t time.Time
		if err := bs.Scan(&id, &t); err != nil {
			bs.Close()
			return nil, fmt.Errorf("store: activity: %w", err)
		}
		at[id] = t.UTC().Truncate(time.Minute)
	}
	bs.Close()
	if err := bs.Err(); err != nil {
		return nil, fmt.Errorf("store: activity: %w", err)
	}
	for i := range rows {
		rows[i].Minute = at[batches[i]]
	}
	out.Counts = rows
	return out, nil
}

// MailQueue counts the event's messages to be mailed, by delivery state.
func (d *DB) MailQueue(ctx context.Context, eventID int64) (map[lanyard.MessageState]int, error) {
	out := map[lanyard.MessageState]int{}
	rows, err := d.query(ctx, d.db, "SELECT state, COUNT(*) FROM messages WHERE event_id = ? AND by_mail GROUP BY state", eventID)
	if err != nil {
		return nil, fmt.Errorf("store: mail queue: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return nil, fmt.Errorf("store: mail queue: %w", err)
		}
		out[lanyard.MessageState(state)] = n
	}
	if err := rows.Err(); err != nil {
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

// SearchAttendees returns a page of the event's attendees whose name,
// email or company contains q (case-insensitive), by name, and whether
// there are more. An empty q matches everyone; limit is capped at 100.
func (d *DB) SearchAttendees(ctx context.Context, eventID int64, q string, offset, limit int) ([]*lanyard.Attendee, bool, error) {
	limit = min(max(limit, 1), 100)
	offset = max(offset, 0)
	query := attendeeSelect + " WHERE event_id = ?"
	args := []any{eventID}
	if q = strings.TrimSpace(q); q != "" {
		like := "%" + escapeLike(strings.ToLower(q)) + "%"
		query += ` AND (LOWER(name) LIKE ? ESCAPE '\' OR email LIKE ? ESCAPE '\' OR LOWER(company) LIKE ? ESCAPE '\')`
		args = append(args, like, like, like)
	}
	query += fmt.Sprintf(" ORDER BY name, id LIMIT %d OFFSET %d", limit+1, offset)
	rows, err := d.query(ctx, d.db, query, args...)
	if err != nil {
		return nil, false, fmt.Errorf("store: search attendees: %w", err)
	}
	defer rows.Close()
	var out []*lanyard.Attendee
	for rows.Next() {
		a, err := scanAttendee(rows)
		if err != nil {
			return nil, false, fmt.Errorf("store: search attendees: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("store: search attendees: %w", err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

// SetRole changes an attendee's role and records who did it, in one
// transaction. Returns EINVALID for an unknown role, ENOTFOUND for an
// unknown attendee.
func (d *DB) SetRole(ctx context.Context, attendeeID int64, role lanyard.Role, audit lanyard.AuditEntry) error {
	if !role.Valid() {
		return lanyard.Errorf(lanyard.EINVALID, "Unknown role %q.", role)
	}
	return d.inTx(ctx, func(tx *sql.Tx) error {
		var eventID int64
		err := d.queryRow(ctx, tx, "UPDATE attendees SET role = ? WHERE id = ? RETURNING event_id", string(role), attendeeID).Scan(&eventID)
		if errors.Is(err, sql.ErrNoRows) {
			return lanyard.Errorf(lanyard.ENOTFOUND, "No attendee %d.", attendeeID)
		}
		if err != nil {
			return fmt.Errorf("store: set role of %d: %w", attendeeID, err)
		}
		audit.AttendeeID = attendeeID
		return d.addAudit(ctx, tx, eventID, audit)
	})
}

// ReplaceBadgeAudited is ReplaceBadge with its audit entry written in the
// same transaction.
func (d *DB) ReplaceBadgeAudited(ctx context.Context, attendeeID int64, audit lanyard.AuditEntry) (lanyard.BadgeState, error) {
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var eventID int64
		err := d.queryRow(ctx, tx, "UPDATE attendees SET badge_version = badge_version + 1, badge_picked_up_at = NULL WHERE id = ? RETURNING event_id", attendeeID).Scan(&eventID)
		if errors.Is(err, sql.ErrNoRows) {
			return lanyard.Errorf(lanyard.ENOTFOUND, "No attendee %d.", attendeeID)
		}
		if err != nil {
			return fmt.Errorf("store: replace badge %d: %w", attendeeID, err)
		}
		audit.AttendeeID = attendeeID
		return d.addAudit(ctx, tx, eventID, audit)
	})
	if err != nil {
		return lanyard.BadgeState{}, err
	}
	return d.BadgeState(ctx, attendeeID)
}

// GrantEntitlement gives an attendee an entitlement (a lounge, a
// certification) and records who did, in one transaction; granting one
// held already changes nothing. Returns ENOTFOUND for an unknown attendee.
func (d *DB) GrantEntitlement(ctx context.Context, attendeeID int64, name string, audit lanyard.AuditEntry) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		var eventID int64
		err := d.queryRow(ctx, tx, "SELECT event_id FROM attendees WHERE id = ?", attendeeID).Scan(&eventID)
		if errors.Is(err, sql.ErrNoRows) {
			return lanyard.Errorf(lanyard.ENOTFOUND, "No attendee %d.", attendeeID)
		}
		if err != nil {
			return fmt.Errorf("store: grant %s: %w", name, err)
		}
		res, err := d.exec(ctx, tx, "INSERT INTO entitlements (attendee_id, name, granted_at, granted_by) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
			attendeeID, name, d.Now().UTC(), nullID(audit.ActorID))
		if err != nil {
			return fmt.Errorf("store: grant %s: %w", name, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		audit.AttendeeID = attendeeID
		return d.addAudit(ctx, tx, eventID, audit)
	})
}

// Entitlements returns an attendee's entitlements, by name.
func (d *DB) Entitlements(ctx context.Context, attendeeID int64) ([]string, error) {
	rows, err := d.query(ctx, d.db, "SELECT name FROM entitlements WHERE attendee_id = ? ORDER BY name", attendeeID)
	if err != nil {
		return nil, fmt.Errorf("store: entitlements: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("store: entitlements: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// MessagesTo returns the newest messages written to an attendee, newest
// first, at most limit.
func (d *DB) MessagesTo(ctx context.Context, attendeeID int64, limit int) ([]lanyard.Message, error) {
	rows, err := d.query(ctx, d.db, fmt.Sprintf(`SELECT id, kind, by_mail, in_app, subject, template, state, created_at
		FROM messages WHERE attendee_id = ? ORDER BY id DESC LIMIT %d`, min(max(limit, 1), 200)), attendeeID)
	if err != nil {
		return nil, fmt.Errorf("store: messages to %d: %w", attendeeID, err)
	}
	defer rows.Close()
	var out []lanyard.Message
	for rows.Next() {
		m := lanyard.Message{AttendeeID: attendeeID}
		var state string
		if err := rows.Scan(&m.ID, &m.Kind, &m.Mail, &m.App, &m.Subject, &m.Template, &state, &m.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: messages to %d: %w", attendeeID, err)
		}
		m.State, m.CreatedAt = lanyard.MessageState(state), m.CreatedAt.UTC()
		out = append(out, m)
	}
	return out, rows.Err()
}

// MissingPhotos returns a page of the attendees with no photo or a flagged
// one, by name, and whether there are more.
func (d *DB) MissingPhotos(ctx context.Context, eventID int64, offset, limit int) ([]PhotoStatus, bool, error) {
	limit = min(max(limit, 1), 200)
	rows, err := d.query(ctx, d.db, fmt.Sprintf(`SELECT a.id, a.name, a.email, COALESCE(p.flagged, FALSE), p.attendee_id IS NOT NULL
		FROM attendees a LEFT JOIN photos p ON p.attendee_id = a.id
		WHERE a.event_id = ? AND (p.attendee_id IS NULL OR p.flagged)
		ORDER BY a.name, a.id LIMIT %d OFFSET %d`, limit+1, max(offset, 0)), eventID)
	if err != nil {
		return nil, false, fmt.Errorf("store: missing photos: %w", err)
	}
	defer rows.Close()
	var out []PhotoStatus
	for rows.Next() {
		var s PhotoStatus
		var flagged, has bool
		if err := rows.Scan(&s.AttendeeID, &s.Name, &s.Email, &flagged, &has); err != nil {
			return nil, false, fmt.Errorf("store: missing photos: %w", err)
		}
		s.Status = "missing"
		if has {
			s.Status = "flagged"
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("store: missing photos: %w", err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}

// CommandFilter selects engine commands from the reservation log; zero
// fields match everything.
type CommandFilter struct {
	AttendeeID, SessionID int64
	From, To              time.Time
	// BeforeSeq pages back; Limit caps the page.
	BeforeSeq int64
	Limit     int
}

// Command is one row of the reservation log with its batch's instant.
type Command struct {
	Seq        int64
	At         time.Time
	AttendeeID int64
	Command    string
	SessionID  int64
	Outcome    string
	Detail     string
}

// FindCommands returns the engine's commands matching f, newest first.
// The log has no index but its primary key (it is the rush's hottest
// insert): a time range becomes a range of sequence numbers, and a search
// by attendee or session walks the log backwards from the newest until it
// has a page.
func (d *DB) FindCommands(ctx context.Context, eventID int64, f CommandFilter) ([]Command, error) {
	q := `SELECT seq, batch_id, COALESCE(attendee_id, 0), command, COALESCE(session_id, 0), outcome, detail
		FROM reservation_log WHERE event_id = ?`
	args := []any{eventID}
	if f.AttendeeID != 0 {
		q += " AND attendee_id = ?"
		args = append(args, f.AttendeeID)
	}
	if f.SessionID != 0 {
		q += " AND session_id = ?"
		args = append(args, f.SessionID)
	}
	if !f.From.IsZero() || !f.To.IsZero() {
		var last int64
		if err := d.queryRow(ctx, d.db, "SELECT COALESCE(MAX(seq), 0) FROM reservation_log WHERE event_id = ?", eventID).Scan(&last); err != nil {
			return nil, fmt.Errorf("store: find commands: %w", err)
		}
		if !f.From.IsZero() {
			seq, ok, err := d.seqSince(ctx, eventID, f.From, last)
			if err != nil {
				return nil, fmt.Errorf("store: find commands: %w", err)
			}
			if !ok {
				return nil, nil // nothing since
			}
			q += " AND seq >= ?"
			args = append(args, seq)
		}
		if !f.To.IsZero() {
			seq, ok, err := d.seqSince(ctx, eventID, f.To, last)
			if err != nil {
				return nil, fmt.Errorf("store: find commands: %w", err)
			}
			if ok {
				q += " AND seq < ?"
				args = append(args, seq)
			}
		}
	}
	if f.BeforeSeq != 0 {
		q += " AND seq < ?"
		args = append(args, f.BeforeSeq)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	q += fmt.Sprintf(" ORDER BY seq DESC LIMIT %d", f.Limit)
	rows, err := d.query(ctx, d.db, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: find commands: %w", err)
	}
	var out []Command
	var batches []int64
	for rows.Next() {
		var c Command
		var batch int64
		if err := rows.Scan(&c.Seq, &batch, &c.AttendeeID, &c.Command, &c.SessionID, &c.Outcome, &c.Detail); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: find commands: %w", err)
		}
		out = append(out, c)
		batches = append(batches, batch)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: find commands: %w", err)
	}
	at := map[int64]time.Time{}
	for i, b := range batches {
		t, ok := at[b]
		if !ok {
			if err := d.queryRow(ctx, d.db, "SELECT at FROM reservation_batches WHERE event_id = ? AND id = ?", eventID, b).Scan(&t); err != nil {
				return nil, fmt.Errorf("store: find commands: batch %d: %w", b, err)
			}
			t = t.UTC()
			at[b] = t
		}
		out[i].At = t
	}
	return out, nil
}

// seqSince returns the sequence number of the event's first logged command
// whose batch committed at or after t, and false if none did (up to last,
// the newest sequence number). Batches and sequence numbers both grow with
// time, so a binary search over the log's primary key finds it in about
// log2(last) lookups, with no index on the log beyond its key.
func (d *DB) seqSince(ctx context.Context, eventID int64, t time.Time, last int64) (int64, bool, error) {
	var first sql.Null[int64]
	if err := d.queryRow(ctx, d.db, "SELECT MIN(id) FROM reservation_batches WHERE event_id = ? AND at >= ?", eventID, t.UTC()).Scan(&first); err != nil {
		return 0, false, err
	}
	if !first.Valid {
		return 0, false, nil
	}
	// The smallest seq in [lo, hi] whose batch is at least first.
	lo, hi := int64(0), last+1
	for lo < hi {
		mid := lo + (hi-lo)/2
		var batch int64
		err := d.queryRow(ctx, d.db, "SELECT batch_id FROM reservation_log WHERE event_id = ? AND seq >= ? ORDER BY seq LIMIT 1", eventID, mid).Scan(&batch)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			hi = mid
		case err != nil:
			return 0, false, err
		case batch >= first.V:
			hi = mid
		default:
			lo = mid + 1
		}
	}
	if lo > last {
		return 0, false, nil
	}
	return lo, true, nil
}
