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

// Meetups (migration 00190): attendee-made meetups and their RSVPs. The
// cap is kept by the database: each RSVP runs in one transaction that
// holds the meetup's row (SQLite: the write lock taken at BEGIN; PostgreSQL:
// SELECT … FOR UPDATE), and triggers count the going rows into
// meetups.going, whose CHECK (going <= cap) refuses an RSVP past the cap
// even if this code were wrong. A reminder is a message written in the
// RSVP's transaction, due MeetupReminderBefore the start, and deleted in
// the transaction of leaving while it is still unsent.

// MeetupRecipient is who a meetup message goes to, read in the change's
// transaction.
type MeetupRecipient struct {
	ID       int64
	Name     string
	Language string // the account's language, "" if none
	HomeZone string
}

// MeetupWords words a meetup message of kind (lanyard.KindMeetupReminder
// or KindMeetupPromoted) for one recipient; the store calls it inside the
// transaction and fills in the event, the recipient, the kind and the
// times. Nil writes no messages.
type MeetupWords func(m lanyard.Meetup, to MeetupRecipient, kind string) (subject, body string)

const meetupCols = `m.id, m.event_id, m.organizer_id, m.title, m.description, m.language, m.topic, m.place_kind, m.venue, m.place,
	COALESCE(m.lat, 0), COALESCE(m.lng, 0), m.starts_at, m.ends_at, m.cap, m.going, m.hidden, m.created_at,
	(SELECT COUNT(*) FROM meetup_rsvps w WHERE w.meetup_id = m.id AND w.status = 'waitlist'),
	(SELECT COUNT(*) FROM meetup_reports p WHERE p.meetup_id = m.id), m.canceled_at IS NOT NULL`

func scanMeetup(r interface{ Scan(...any) error }) (lanyard.Meetup, error) {
	var m lanyard.Meetup
	err := r.Scan(&m.ID, &m.EventID, &m.OrganizerID, &m.Title, &m.Description, &m.Language, &m.Topic, &m.PlaceKind, &m.Venue, &m.Place,
		&m.Lat, &m.Lng, &m.Start, &m.End, &m.Cap, &m.Going, &m.Hidden, &m.CreatedAt, &m.Waiting, &m.Reports, &m.Canceled)
	m.Start, m.End, m.CreatedAt = m.Start.UTC(), m.End.UTC(), m.CreatedAt.UTC()
	return m, err
}

// MeetupsPerOrganizer is how many meetups one attendee may start: enough
// for a community's week, not for spam.
const MeetupsPerOrganizer = 10

// MeetupCreate stores a new meetup (validated by the caller) with its
// organizer going, and the organizer's reminder. It returns the meetup as
// stored, or meetup_limit when the organizer started MeetupsPerOrganizer.
// With m.Key, the organizer's earlier meetup of that key is returned
// instead when it has the same fields, and idempotency_key_reused is
// returned when it has not.
func (d *DB) MeetupCreate(ctx context.Context, m lanyard.Meetup, words MeetupWords) (lanyard.Meetup, error) {
	now := d.Now().UTC()
	var lat, lng sql.NullFloat64
	if m.PlaceKind == lanyard.MeetupPin {
		lat, lng = sql.NullFloat64{Float64: m.Lat, Valid: true}, sql.NullFloat64{Float64: m.Lng, Valid: true}
	}
	key, replayed := m.Key, false
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if d.dialect == Postgres { // one organizer's creations in turn, so the count holds
			if _, err := d.exec(ctx, tx, `SELECT id FROM attendees WHERE id = ? FOR UPDATE`, m.OrganizerID); err != nil {
				return err
			}
		}
		if m.Key != "" {
			was, err := scanMeetup(d.queryRow(ctx, tx, `SELECT `+meetupCols+` FROM meetups m WHERE m.organizer_id = ? AND m.create_key = ?`, m.OrganizerID, m.Key))
			switch {
			case err == nil && sameMeetup(was, m):
				m, replayed = was, true
				return nil
			case err == nil:
				return lanyard.Errorf(lanyard.EKeyReused, "This Idempotency-Key started meetup %d, with other fields: use a new key for a new meetup.", was.ID)
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
		}
		var started int
		if err := d.queryRow(ctx, tx, `SELECT COUNT(*) FROM meetups WHERE event_id = ? AND organizer_id = ?`, m.EventID, m.OrganizerID).Scan(&started); err != nil {
			return err
		}
		if started >= MeetupsPerOrganizer {
			return lanyard.Errorf(lanyard.EMeetupLimit, "You started %d meetups: that is the most one person may start.", started)
		}
		err := d.queryRow(ctx, tx, `INSERT INTO meetups (event_id, organizer_id, title, description, language, topic, place_kind, venue, place,
			lat, lng, starts_at, ends_at, cap, created_at, create_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			m.EventID, m.OrganizerID, m.Title, m.Description, m.Language, m.Topic, m.PlaceKind, m.Venue, m.Place,
			lat, lng, m.Start.UTC(), m.End.UTC(), m.Cap, now, nullString(m.Key)).Scan(&m.ID)
		if err != nil {
			return mapError(err, "That meetup")
		}
		if _, err := d.exec(ctx, tx, `INSERT INTO meetup_rsvps (meetup_id, attendee_id, status, seq, created_at) VALUES (?, ?, 'going', 1, ?)`,
			m.ID, m.OrganizerID, now); err != nil {
			return err
		}
		m.Going, m.CreatedAt = 1, now
		return d.meetupMessage(ctx, tx, m, m.OrganizerID, lanyard.KindMeetupReminder, words)
	})
	if err != nil {
		return lanyard.Meetup{}, fmt.Errorf("store: create meetup %q: %w", m.Title, err)
	}
	if replayed {
		m.Key = key
	}
	return m, nil
}

// sameMeetup reports whether stored meetup a was made from the same
// fields as new meetup b (both validated), to the database's microsecond.
func sameMeetup(a, b lanyard.Meetup) bool {
	at := func(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
	pin := b.PlaceKind != lanyard.MeetupPin || (a.Lat == b.Lat && a.Lng == b.Lng)
	return a.EventID == b.EventID && a.Title == b.Title && a.Description == b.Description && a.Language == b.Language &&
		a.Topic == b.Topic && a.PlaceKind == b.PlaceKind && a.Venue == b.Venue && a.Place == b.Place && pin &&
		at(a.Start).Equal(at(b.Start)) && at(a.End).Equal(at(b.End)) && a.Cap == b.Cap
}

// Meetup returns the event's meetup by ID (hidden ones too), or ENOTFOUND.
func (d *DB) Meetup(ctx context.Context, eventID, id int64) (lanyard.Meetup, error) {
	m, err := scanMeetup(d.queryRow(ctx, d.db, `SELECT `+meetupCols+` FROM meetups m WHERE m.id = ? AND m.event_id = ?`, id, eventID))
	if errors.Is(err, sql.ErrNoRows) {
		err = lanyard.Errorf(lanyard.ENOTFOUND, "No meetup %d.", id)
	}
	if err != nil {
		return m, fmt.Errorf("store: meetup %d: %w", id, err)
	}
	return m, nil
}

// Meetups lists the event's meetups that f selects, by start.
func (d *DB) Meetups(ctx context.Context, eventID int64, f lanyard.MeetupFilter) ([]lanyard.Meetup, error) {
	q := `SELECT ` + meetupCols + ` FROM meetups m WHERE m.event_id = ?`
	args := []any{eventID}
	if !f.Hidden {
		q += ` AND NOT m.hidden AND m.canceled_at IS NULL`
	}
	if f.Language != "" {
		q += ` AND m.language = ?`
		args = append(args, f.Language)
	}
	if t := strings.TrimSpace(f.Topic); t != "" {
		like := "%" + likeEscaper.Replace(strings.ToLower(t)) + "%"
		q += ` AND (LOWER(m.topic) LIKE ? ESCAPE '\' OR LOWER(m.title) LIKE ? ESCAPE '\')`
		args = append(args, like, like)
	}
	if !f.From.IsZero() {
		q += ` AND m.starts_at >= ?`
		args = append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		q += ` AND m.starts_at < ?`
		args = append(args, f.To.UTC())
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 200
	}
	q += fmt.Sprintf(` ORDER BY m.starts_at, m.id LIMIT %d`, limit)
	var out []lanyard.Meetup
	err := d.scanAll(ctx, q, args, func(r *sql.Rows) error {
		m, err := scanMeetup(r)
		out = append(out, m)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: meetups: %w", err)
	}
	return out, nil
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// MeetupRSVPOf returns attendee's RSVP to the meetup, or ENOTFOUND.
func (d *DB) MeetupRSVPOf(ctx context.Context, meetupID, attendeeID int64) (lanyard.RSVP, error) {
	return d.rsvpOf(ctx, d.db, meetupID, attendeeID)
}

func (d *DB) rsvpOf(ctx context.Context, q querier, meetupID, attendeeID int64) (lanyard.RSVP, error) {
	r := lanyard.RSVP{MeetupID: meetupID, AttendeeID: attendeeID}
	err := d.queryRow(ctx, q, `SELECT r.status, CASE WHEN r.status = 'waitlist'
		THEN (SELECT COUNT(*) FROM meetup_rsvps w WHERE w.meetup_id = r.meetup_id AND w.status = 'waitlist' AND w.seq <= r.seq) ELSE 0 END
		FROM meetup_rsvps r WHERE r.meetup_id = ? AND r.attendee_id = ?`, meetupID, attendeeID).Scan(&r.Status, &r.Position)
	if errors.Is(err, sql.ErrNoRows) {
		return r, lanyard.Errorf(lanyard.ENOTFOUND, "No RSVP.")
	}
	if err != nil {
		return r, fmt.Errorf("store: rsvp %d/%d: %w", meetupID, attendeeID, err)
	}
	return r, nil
}

// lockMeetup reads the meetup in tx and holds its row until tx ends.
func (d *DB) lockMeetup(ctx context.Context, tx *sql.Tx, eventID, id int64) (lanyard.Meetup, error) {
	q := `SELECT ` + meetupCols + ` FROM meetups m WHERE m.id = ? AND m.event_id = ?`
	if d.dialect == Postgres {
		q += ` FOR UPDATE OF m`
	}
	m, err := scanMeetup(d.queryRow(ctx, tx, q, id, eventID))
	if errors.Is(err, sql.ErrNoRows) {
		return m, lanyard.Errorf(lanyard.ENOTFOUND, "No meetup %d.", id)
	}
	return m, err
}

// MeetupRSVP answers yes for attendee: going while places are left, else
// the waitlist. Going writes the reminder in the same transaction. An
// attendee who already answered gets their RSVP back with already true.
// Returns ENOTFOUND for no such meetup, meetup_hidden (403) for a hidden
// one and meetup_started (409) once it began.
func (d *DB) MeetupRSVP(ctx context.Context, eventID, meetupID, attendeeID int64, words MeetupWords) (r lanyard.RSVP, already bool, err error) {
	now := d.Now().UTC()
	err = d.inWriteTx(ctx, func(tx *sql.Tx) error {
		m, err := d.lockMeetup(ctx, tx, eventID, meetupID)
		if err != nil {
			return err
		}
		if r, err = d.rsvpOf(ctx, tx, meetupID, attendeeID); err == nil {
			already = true
			return nil
		} else if lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			return err
		}
		switch {
		case m.Hidden:
			return lanyard.Errorf(lanyard.EMeetupHidden, "The organizers hid this meetup.")
		case m.Canceled:
			return lanyard.Errorf(lanyard.EMeetupCanceled, "This meetup was cancelled.")
		case !m.Start.After(now):
			return lanyard.Errorf(lanyard.EMeetupStarted, "This meetup has started.")
		}
		var seq int64
		if err := d.queryRow(ctx, tx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM meetup_rsvps WHERE meetup_id = ?`, meetupID).Scan(&seq); err != nil {
			return err
		}
		status := lanyard.RSVPWaitlist
		if m.Going < m.Cap {
			status = lanyard.RSVPGoing
		}
		if _, err := d.exec(ctx, tx, `INSERT INTO meetup_rsvps (meetup_id, attendee_id, status, seq, created_at) VALUES (?, ?, ?, ?, ?)`,
			meetupID, attendeeID, status, seq, now); err != nil {
			return mapError(err, "That RSVP")
		}
		if status == lanyard.RSVPGoing {
			if err := d.meetupMessage(ctx, tx, m, attendeeID, lanyard.KindMeetupReminder, words); err != nil {
				return err
			}
		}
		r, err = d.rsvpOf(ctx, tx, meetupID, attendeeID)
		return err
	})
	if err != nil {
		return r, false, fmt.Errorf("store: rsvp meetup %d: %w", meetupID, err)
	}
	return r, already, nil
}

// MeetupLeave takes back attendee's RSVP. Their unsent reminder goes with
// it; a place they leave before the start goes to the first on the
// waitlist, whose reminder and a note of the promotion are written in the
// same transaction. It returns who was promoted (0 for none). Leaving
// without an RSVP is ENOTFOUND.
func (d *DB) MeetupLeave(ctx context.Context, eventID, meetupID, attendeeID int64, words MeetupWords) (promoted int64, err error) {
	now := d.Now().UTC()
	err = d.inWriteTx(ctx, func(tx *sql.Tx) error {
		m, err := d.lockMeetup(ctx, tx, eventID, meetupID)
		if err != nil {
			return err
		}
		r, err := d.rsvpOf(ctx, tx, meetupID, attendeeID)
		if err != nil {
			return err
		}
		if _, err := d.exec(ctx, tx, `DELETE FROM meetup_rsvps WHERE meetup_id = ? AND attendee_id = ?`, meetupID, attendeeID); err != nil {
			return err
		}
		if _, err := d.exec(ctx, tx, `DELETE FROM messages WHERE event_id = ? AND dedupe_key = ? AND state = 'pending'`,
			eventID, reminderKey(meetupID, attendeeID)); err != nil {
			return err
		}
		if r.Status != lanyard.RSVPGoing || !m.Start.After(now) || m.Hidden || m.Canceled {
			return nil
		}
		err = d.queryRow(ctx, tx, `SELECT attendee_id FROM meetup_rsvps WHERE meetup_id = ? AND status = 'waitlist' ORDER BY seq LIMIT 1`, meetupID).Scan(&promoted)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := d.exec(ctx, tx, `UPDATE meetup_rsvps SET status = 'going' WHERE meetup_id = ? AND attendee_id = ?`, meetupID, promoted); err != nil {
			return err
		}
		if err := d.meetupMessage(ctx, tx, m, promoted, lanyard.KindMeetupPromoted, words); err != nil {
			return err
		}
		return d.meetupMessage(ctx, tx, m, promoted, lanyard.KindMeetupReminder, words)
	})
	if err != nil {
		return 0, fmt.Errorf("store: leave meetup %d: %w", meetupID, err)
	}
	return promoted, nil
}

func reminderKey(meetupID, attendeeID int64) string {
	return fmt.Sprintf("meetup:%d:reminder:%d", meetupID, attendeeID)
}

// meetupMessage writes one meetup message to attendee in tx: a reminder
// by mail, due MeetupReminderBefore the start (at once if that is past),
// deduplicated per meetup and attendee; a promotion by mail and in the
// app, at once.
func (d *DB) meetupMessage(ctx context.Context, tx *sql.Tx, m lanyard.Meetup, attendeeID int64, kind string, words MeetupWords) error {
	if words == nil {
		return nil
	}
	to := MeetupRecipient{ID: attendeeID}
	if err := d.queryRow(ctx, tx, `SELECT a.name, a.home_zone, COALESCE(ac.language, '') FROM attendees a
		LEFT JOIN accounts ac ON ac.attendee_id = a.id WHERE a.id = ?`, attendeeID).Scan(&to.Name, &to.HomeZone, &to.Language); err != nil {
		return fmt.Errorf("store: meetup recipient %d: %w", attendeeID, err)
	}
	subject, body := words(m, to, kind)
	now := d.Now().UTC()
	msg := lanyard.Message{EventID: m.EventID, AttendeeID: attendeeID, Kind: kind, Mail: true, Language: to.Language,
		Subject: subject, Body: body, CreatedAt: now}
	due := now
	if kind == lanyard.KindMeetupReminder {
		msg.DedupeKey = reminderKey(m.ID, attendeeID)
		if at := m.Start.Add(-lanyard.MeetupReminderBefore); at.After(now) {
			due = at
		}
	} else {
		msg.App = true
	}
	row := messageRow(msg)
	row[14] = due // next_attempt_at: messageColumns' 15th
	err := d.insertRows(ctx, tx, "messages", messageColumns, "ON CONFLICT DO NOTHING", 1, func(int) []any { return row })
	if err != nil {
		return fmt.Errorf("store: meetup message %s to %d: %w", kind, attendeeID, err)
	}
	return nil
}

// MyMeetup is one of an attendee's meetups with their answer.
type MyMeetup struct {
	lanyard.Meetup
	RSVP lanyard.RSVP
}

// MeetupsOf lists the meetups attendee answered (going or waiting), by start.
func (d *DB) MeetupsOf(ctx context.Context, eventID, attendeeID int64) ([]MyMeetup, error) {
	var out []MyMeetup
	err := d.scanAll(ctx, `SELECT `+meetupCols+`, r.status, CASE WHEN r.status = 'waitlist'
		THEN (SELECT COUNT(*) FROM meetup_rsvps w WHERE w.meetup_id = r.meetup_id AND w.status = 'waitlist' AND w.seq <= r.seq) ELSE 0 END
		FROM meetup_rsvps r JOIN meetups m ON m.id = r.meetup_id WHERE r.attendee_id = ? AND m.event_id = ? ORDER BY m.starts_at, m.id`,
		[]any{attendeeID, eventID}, func(rows *sql.Rows) error {
			var x MyMeetup
			err := rows.Scan(&x.ID, &x.EventID, &x.OrganizerID, &x.Title, &x.Description, &x.Language, &x.Topic, &x.PlaceKind, &x.Venue, &x.Place,
				&x.Lat, &x.Lng, &x.Start, &x.End, &x.Cap, &x.Going, &x.Hidden, &x.CreatedAt, &x.Waiting, &x.Reports, &x.Canceled, &x.RSVP.Status, &x.RSVP.Position)
			x.Start, x.End, x.CreatedAt = x.Start.UTC(), x.End.UTC(), x.CreatedAt.UTC()
			x.RSVP.MeetupID, x.RSVP.AttendeeID = x.ID, attendeeID
			out = append(out, x)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("store: meetups of %d: %w", attendeeID, err)
	}
	return out, nil
}

// MeetupHide hides (or shows again) a meetup, with the organizer's audit
// entry in the same transaction. Hidden meetups leave the list and take
// no RSVP; those who answered keep it.
func (d *DB) MeetupHide(ctx context.Context, eventID, id int64, hidden bool, audit lanyard.AuditEntry) error {
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		res, err := d.exec(ctx, tx, `UPDATE meetups SET hidden = ? WHERE id = ? AND event_id = ?`, hidden, id, eventID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return lanyard.Errorf(lanyard.ENOTFOUND, "No meetup %d.", id)
		}
		return d.addAudit(ctx, tx, eventID, audit)
	})
	if err != nil {
		return fmt.Errorf("store: hide meetup %d: %w", id, err)
	}
	return nil
}

// MeetupReport records attendee's report of a meetup (a second report by
// the same attendee replaces the reason).
func (d *DB) MeetupReport(ctx context.Context, eventID, id, attendeeID int64, reason string) error {
	res, err := d.exec(ctx, d.db, `INSERT INTO meetup_reports (meetup_id, attendee_id, reason, created_at)
		SELECT id, ?, ?, ? FROM meetups WHERE id = ? AND event_id = ?
		ON CONFLICT (meetup_id, attendee_id) DO UPDATE SET reason = excluded.reason`, attendeeID, reason, d.Now().UTC(), id, eventID)
	if err == nil {
		if n, _ := res.RowsAffected(); n == 0 {
			err = lanyard.Errorf(lanyard.ENOTFOUND, "No meetup %d.", id)
		}
	}
	if err != nil {
		return fmt.Errorf("store: report meetup %d: %w", id, err)
	}
	return nil
}

// MeetupReportReason is one report, for the console.
type MeetupReportReason struct {
	AttendeeID int64
	Name       string
	Reason     string
	At         time.Time
}

// MeetupReports lists a meetup's reports, newest first.
func (d *DB) MeetupReports(ctx context.Context, id int64) ([]MeetupReportReason, error) {
	var out []MeetupReportReason
	err := d.scanAll(ctx, `SELECT p.attendee_id, a.name, p.reason, p.created_at FROM meetup_reports p JOIN attendees a ON a.id = p.attendee_id
		WHERE p.meetup_id = ? ORDER BY p.created_at DESC, p.attendee_id`, []any{id}, func(r *sql.Rows) error {
		var x MeetupReportReason
		err := r.Scan(&x.AttendeeID, &x.Name, &x.Reason, &x.At)
		x.At = x.At.UTC()
		out = append(out, x)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: meetup %d reports: %w", id, err)
	}
	return out, nil
}
