package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// segmentWhere returns the condition on attendees a that selects seg, and
// its arguments. Each is one indexed lookup: a session's reservations or
// waitlist by primary key prefix, or the attendees of the event.
func segmentWhere(eventID int64, seg lanyard.Segment) (string, []any, error) {
	switch seg.Kind {
	case lanyard.SegmentAll:
		return "1 = 1", nil, nil
	case lanyard.SegmentReserved, lanyard.SegmentWaitlisted:
		table := "reservations"
		if seg.Kind == lanyard.SegmentWaitlisted {
			table = "waitlist"
		}
		return `a.id IN (SELECT x.attendee_id FROM ` + table + ` x JOIN sessions s ON s.id = x.session_id
			WHERE s.event_id = ? AND s.code = ?)`, []any{eventID, seg.Value}, nil
	case lanyard.SegmentType:
		return "a.attendee_type = ?", []any{seg.Value}, nil
	case lanyard.SegmentRole:
		return "a.role = ?", []any{seg.Value}, nil
	case lanyard.SegmentVenue:
		return `a.id IN (SELECT x.attendee_id FROM reservations x JOIN sessions s ON s.id = x.session_id
			JOIN rooms ro ON ro.id = s.room_id JOIN venues v ON v.id = ro.venue_id
			WHERE s.event_id = ? AND v.code = ? AND s.starts_at >= ? AND s.starts_at < ?)`,
			[]any{eventID, seg.Value, seg.From.UTC(), seg.To.UTC()}, nil
	}
	return "", nil, lanyard.Errorf(lanyard.EINVALID, "Unknown segment %q.", seg.Kind)
}

// CountSegment returns how many attendees seg selects (those with a
// cancelled ticket are left out, as when sending).
func (d *DB) CountSegment(ctx context.Context, eventID int64, seg lanyard.Segment) (int, error) {
	where, args, err := segmentWhere(eventID, seg)
	if err != nil {
		return 0, err
	}
	var n int
	err = d.queryRow(ctx, d.db, `SELECT COUNT(*) FROM attendees a WHERE a.event_id = ? AND a.canceled_at IS NULL AND `+where,
		append([]any{eventID}, args...)...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count segment %s: %w", seg.Kind, err)
	}
	return n, nil
}

// recipient is an attendee of a segment with the channels they chose for
// announcements (message_preferences; no row means both).
type recipient struct {
	id        int64
	mail, app bool
}

func (d *DB) segmentRecipients(ctx context.Context, q querier, eventID int64, seg lanyard.Segment) ([]recipient, error) {
	where, args, err := segmentWhere(eventID, seg)
	if err != nil {
		return nil, err
	}
	rows, err := d.query(ctx, q, `SELECT a.id, COALESCE(p.by_mail, TRUE), COALESCE(p.in_app, TRUE) FROM attendees a
		LEFT JOIN message_preferences p ON p.attendee_id = a.id AND p.kind = ?
		WHERE a.event_id = ? AND a.canceled_at IS NULL AND `+where+` ORDER BY a.id`,
		append([]any{lanyard.KindAnnouncement, eventID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("store: segment %s: %w", seg.Kind, err)
	}
	defer rows.Close()
	var out []recipient
	for rows.Next() {
		var r recipient
		if err := rows.Scan(&r.id, &r.mail, &r.app); err != nil {
			return nil, fmt.Errorf("store: segment %s: %w", seg.Kind, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: segment %s: %w", seg.Kind, err)
	}
	return out, nil
}

// AddAnnouncement records an announcement to send at a.SendAt, with its
// audit entry. A form posted twice (the same a.Key) returns the first one's
// ID. It sends nothing: SendAnnouncement does, when due.
func (d *DB) AddAnnouncement(ctx context.Context, a lanyard.Announcement, audit lanyard.AuditEntry) (int64, error) {
	if _, _, err := segmentWhere(a.EventID, lanyard.Segment{Kind: a.Segment}); err != nil {
		return 0, err
	}
	now := d.Now().UTC()
	var id int64
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if a.Key != "" {
			err := d.queryRow(ctx, tx, `SELECT id FROM announcements WHERE event_id = ? AND idem_key = ?`, a.EventID, a.Key).Scan(&id)
			if err == nil {
				return nil
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		err := d.queryRow(ctx, tx, `INSERT INTO announcements (event_id, segment, segment_value, subject_en, body_en, subject_ko, body_ko,
			send_at, created_by, created_at, idem_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			a.EventID, a.Segment, a.SegmentValue, a.SubjectEn, a.BodyEn, a.SubjectKo, a.BodyKo, a.SendAt.UTC(),
			nullInt(a.CreatedBy), now, nullString(a.Key)).Scan(&id)
		if err != nil {
			return mapError(err, "That announcement")
		}
		audit.Detail = fmt.Sprintf("%d %s %s: %s", id, a.Segment, a.SegmentValue, a.SubjectEn)
		return d.addAudit(ctx, tx, a.EventID, audit)
	})
	if err != nil {
		return 0, fmt.Errorf("store: add announcement: %w", err)
	}
	return id, nil
}

// DueAnnouncements returns the IDs of scheduled announcements due at now,
// of every event, oldest first.
func (d *DB) DueAnnouncements(ctx context.Context, now time.Time) ([]int64, error) {
	rows, err := d.query(ctx, d.db, `SELECT id FROM announcements WHERE state = 'scheduled' AND send_at <= ? ORDER BY send_at, id LIMIT 100`, now.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: due announcements: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: due announcements: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// AnnouncementDedupe is the dedupe key of announcement id's message to an
// attendee. Delivery counts read the keys' range.
func AnnouncementDedupe(id, attendee int64) string {
	return "announcement:" + strconv.FormatInt(id, 10) + ":" + strconv.FormatInt(attendee, 10)
}

// SendAnnouncement sends announcement id if it is still scheduled: in one
// transaction it claims the row (a conditional UPDATE, so of several nodes
// or a retry after a crash exactly one sends) and writes a message to each
// recipient of its segment, by the channels each chose. day gives the
// bounds of the sending day for a venue segment. It returns the number of
// recipients (of the first sending, if it was sent before) and whether
// this call sent it.
func (d *DB) SendAnnouncement(ctx context.Context, id int64, now time.Time, day func(eventID int64, at time.Time) (time.Time, time.Time)) (int, bool, error) {
	now = now.UTC()
	var n int
	var sent bool
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		res, err := d.exec(ctx, tx, `UPDATE announcements SET state = 'sent', sent_at = ? WHERE id = ? AND state = 'scheduled'`, now, id)
		if err != nil {
			return err
		}
		if k, err := res.RowsAffected(); err != nil || k == 0 {
			if err != nil {
				return err
			}
			// Sent already, by another node or an earlier call: its count.
			return d.queryRow(ctx, tx, `SELECT recipients FROM announcements WHERE id = ?`, id).Scan(&n)
		}
		a, err := d.announcement(ctx, tx, id)
		if err != nil {
			return err
		}
		seg := lanyard.Segment{Kind: a.Segment, Value: a.SegmentValue}
		if seg.Kind == lanyard.SegmentVenue && day != nil {
			seg.From, seg.To = day(a.EventID, now)
		}
		rs, err := d.segmentRecipients(ctx, tx, a.EventID, seg)
		if err != nil {
			return err
		}
		// The keys of message.AnnouncementParams (the store does not
		// import the renderer; a console test renders what is written).
		params := map[string]string{"subject_en": a.SubjectEn, "body_en": a.BodyEn, "subject_ko": a.SubjectKo, "body_ko": a.BodyKo}
		msgs := make([]lanyard.Message, len(rs))
		for i, r := range rs {
			msgs[i] = lanyard.Message{EventID: a.EventID, AttendeeID: r.id, Kind: lanyard.KindAnnouncement, Mail: r.mail, App: r.app,
				Template: lanyard.KindAnnouncement, Params: params, DedupeKey: AnnouncementDedupe(id, r.id), CreatedAt: now}
		}
		if len(msgs) > 0 {
			if err := d.insertRows(ctx, tx, "messages", messageColumns, "", len(msgs), func(i int) []any { return messageRow(msgs[i]) }); err != nil {
				return mapError(err, "That message")
			}
		}
		if _, err := d.exec(ctx, tx, `UPDATE announcements SET recipients = ? WHERE id = ?`, len(rs), id); err != nil {
			return err
		}
		n, sent = len(rs), true
		return nil
	})
	if err != nil {
		return 0, false, fmt.Errorf("store: send announcement %d: %w", id, err)
	}
	return n, sent, nil
}

const announcementColumns = `id, event_id, segment, segment_value, subject_en, body_en, subject_ko, body_ko, send_at, state, recipients,
	COALESCE(created_by, 0), created_at, sent_at`

func scanAnnouncement(s interface{ Scan(...any) error }) (lanyard.Announcement, error) {
	var a lanyard.Announcement
	var sent sql.Null[time.Time]
	err := s.Scan(&a.ID, &a.EventID, &a.Segment, &a.SegmentValue, &a.SubjectEn, &a.BodyEn, &a.SubjectKo, &a.BodyKo,
		&a.SendAt, &a.State, &a.Recipients, &a.CreatedBy, &a.CreatedAt, &sent)
	a.SendAt, a.CreatedAt, a.SentAt = a.SendAt.UTC(), a.CreatedAt.UTC(), sent.V.UTC()
	return a, err
}

func (d *DB) announcement(ctx context.Context, q querier, id int64) (lanyard.Announcement, error) {
	a, err := scanAnnouncement(d.queryRow(ctx, q, `SELECT `+announcementColumns+` FROM announcements WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, lanyard.Errorf(lanyard.ENOTFOUND, "No announcement %d.", id)
	}
	return a, err
}

// Announcements returns the event's latest announcements, newest first,
// each with its messages counted by mail state (a range of the dedupe
// index: the announcement's own messages, not the whole table).
func (d *DB) Announcements(ctx context.Context, eventID int64, limit int) ([]lanyard.Announcement, error) {
	rows, err := d.query(ctx, d.db, `SELECT `+announcementColumns+` FROM announcements WHERE event_id = ? ORDER BY id DESC LIMIT ?`, eventID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: announcements: %w", err)
	}
	var out []lanyard.Announcement
	for rows.Next() {
		a, err := scanAnnouncement(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: announcements: %w", err)
		}
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: announcements: %w", err)
	}
	for i := range out {
		if out[i].State != lanyard.AnnouncementSent {
			continue
		}
		prefix := "announcement:" + strconv.FormatInt(out[i].ID, 10) + ":"
		counts, err := d.countByState(ctx, `SELECT state, COUNT(*) FROM messages WHERE event_id = ? AND dedupe_key >= ? AND dedupe_key < ? AND by_mail GROUP BY state`,
			eventID, prefix, prefix[:len(prefix)-1]+";")
		if err != nil {
			return nil, err
		}
		out[i].Delivery = map[string]int{}
		for k, n := range counts {
			out[i].Delivery[string(k)] = n
		}
	}
	return out, nil
}

func (d *DB) countByState(ctx context.Context, query string, args ...any) (map[lanyard.MessageState]int, error) {
	rows, err := d.query(ctx, d.db, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: count messages: %w", err)
	}
	defer rows.Close()
	out := map[lanyard.MessageState]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, fmt.Errorf("store: count messages: %w", err)
		}
		out[lanyard.MessageState(s)] += n
	}
	return out, rows.Err()
}

// AttendeeTypes returns the event's distinct attendee types (from the
// ticket shop), sorted.
func (d *DB) AttendeeTypes(ctx context.Context, eventID int64) ([]string, error) {
	rows, err := d.query(ctx, d.db, `SELECT DISTINCT attendee_type FROM attendees WHERE event_id = ? AND attendee_type <> '' ORDER BY attendee_type`, eventID)
	if err != nil {
		return nil, fmt.Errorf("store: attendee types: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("store: attendee types: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
