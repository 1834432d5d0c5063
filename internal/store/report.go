package store

import (
	"context"
	"fmt"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// TypeAttendance is, for one session type, the reserved seats of sessions
// already over, how many of them checked in, and the walk-ups admitted.
type TypeAttendance struct {
	Type      lanyard.SessionType
	Reserved  int // seats held in sessions that ended before the report
	CheckedIn int // of those, checked in at the door
	Walkups   int // admitted at the door without a reservation (any session)
}

// NoShows is Reserved - CheckedIn.
func (t TypeAttendance) NoShows() int { return t.Reserved - t.CheckedIn }

// Attendance counts no-shows and walk-ups by session type: aggregated
// reads of reservations and admissions by their primary keys (no index is
// added to the engine's tables).
func (d *DB) Attendance(ctx context.Context, eventID int64, now time.Time) ([]TypeAttendance, error) {
	by := map[lanyard.SessionType]*TypeAttendance{}
	get := func(t string) *TypeAttendance {
		st := lanyard.SessionType(t)
		if by[st] == nil {
			by[st] = &TypeAttendance{Type: st}
		}
		return by[st]
	}
	rows, err := d.query(ctx, d.db, `SELECT s.type, COUNT(*), COUNT(ad.attendee_id) FROM sessions s
		JOIN reservations r ON r.session_id = s.id
		LEFT JOIN admissions ad ON ad.session_id = r.session_id AND ad.attendee_id = r.attendee_id
		WHERE s.event_id = ? AND s.ends_at <= ? GROUP BY s.type`, eventID, now.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: attendance: %w", err)
	}
	for rows.Next() {
		var t string
		var res, in int
		if err := rows.Scan(&t, &res, &in); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: attendance: %w", err)
		}
		a := get(t)
		a.Reserved, a.CheckedIn = res, in
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: attendance: %w", err)
	}
	rows, err = d.query(ctx, d.db, `SELECT s.type, COUNT(*) FROM sessions s JOIN admissions ad ON ad.session_id = s.id
		WHERE s.event_id = ? AND ad.kind = 'walkup' GROUP BY s.type`, eventID)
	if err != nil {
		return nil, fmt.Errorf("store: walk-ups: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			return nil, fmt.Errorf("store: walk-ups: %w", err)
		}
		get(t).Walkups = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: walk-ups: %w", err)
	}
	var out []TypeAttendance
	for _, t := range lanyard.SessionTypes {
		if a := by[t]; a != nil {
			out = append(out, *a)
			delete(by, t)
		}
	}
	for _, a := range by { // a type the catalog no longer lists
		out = append(out, *a)
	}
	return out, nil
}

// MailCount is the number of messages of a kind in a delivery state.
type MailCount struct {
	Kind  string
	State lanyard.MessageState
	N     int
}

// MailFailure is a message whose mail gave up.
type MailFailure struct {
	ID         int64
	Kind       string
	AttendeeID int64
	Recipient  string
	Attempts   int
	LastError  string
	At         time.Time
}

// MailReport counts the event's mailed messages by kind and state, and
// returns the latest failures (at most limit), newest first.
func (d *DB) MailReport(ctx context.Context, eventID int64, limit int) ([]MailCount, []MailFailure, error) {
	rows, err := d.query(ctx, d.db, `SELECT kind, state, COUNT(*) FROM messages WHERE event_id = ? AND by_mail GROUP BY state, kind ORDER BY kind, state`, eventID)
	if err != nil {
		return nil, nil, fmt.Errorf("store: mail report: %w", err)
	}
	var counts []MailCount
	for rows.Next() {
		var c MailCount
		var s string
		if err := rows.Scan(&c.Kind, &s, &c.N); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("store: mail report: %w", err)
		}
		c.State = lanyard.MessageState(s)
		counts = append(counts, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: mail report: %w", err)
	}
	rows, err = d.query(ctx, d.db, `SELECT id, kind, COALESCE(attendee_id, 0), recipient, attempts, last_error, created_at FROM messages
		WHERE event_id = ? AND state = 'failed' ORDER BY id DESC LIMIT ?`, eventID, limit)
	if err != nil {
		return nil, nil, fmt.Errorf("store: mail failures: %w", err)
	}
	defer rows.Close()
	var fails []MailFailure
	for rows.Next() {
		var f MailFailure
		if err := rows.Scan(&f.ID, &f.Kind, &f.AttendeeID, &f.Recipient, &f.Attempts, &f.LastError, &f.At); err != nil {
			return nil, nil, fmt.Errorf("store: mail failures: %w", err)
		}
		f.At = f.At.UTC()
		fails = append(fails, f)
	}
	return counts, fails, rows.Err()
}
