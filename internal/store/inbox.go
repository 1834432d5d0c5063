package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// appHidden is true for a message row m whose kind its attendee turned off
// in the app: the engine's batch writes both channels on the hot path, and
// the preference applies when the app shows messages.
const appHidden = `EXISTS (SELECT 1 FROM message_preferences p WHERE p.attendee_id = m.attendee_id AND p.kind = m.kind AND NOT p.in_app)`

// Notifications returns up to limit of an attendee's messages in the app,
// newest first, older than the message before (0: the newest). Kinds the
// attendee turned off in the app are left out.
func (d *DB) Notifications(ctx context.Context, attendeeID, before int64, limit int) ([]lanyard.Message, error) {
	if before <= 0 {
		before = 1<<63 - 1
	}
	rows, err := d.query(ctx, d.db, `SELECT m.id, m.event_id, COALESCE(m.session_id, 0), m.kind, m.by_mail, m.language, m.template, m.params,
		m.subject, m.body, m.created_at, m.read_at
		FROM messages m WHERE m.attendee_id = ? AND m.in_app AND m.id < ? AND NOT `+appHidden+`
		ORDER BY m.id DESC LIMIT ?`, attendeeID, before, limit)
	if err != nil {
		return nil, fmt.Errorf("store: notifications of %d: %w", attendeeID, err)
	}
	defer rows.Close()
	var out []lanyard.Message
	for rows.Next() {
		m := lanyard.Message{AttendeeID: attendeeID, App: true}
		var params string
		var read sql.Null[time.Time]
		if err := rows.Scan(&m.ID, &m.EventID, &m.SessionID, &m.Kind, &m.Mail, &m.Language, &m.Template, &params,
			&m.Subject, &m.Body, &m.CreatedAt, &read); err != nil {
			return nil, fmt.Errorf("store: notifications of %d: %w", attendeeID, err)
		}
		if err := json.Unmarshal([]byte(params), &m.Params); err != nil {
			return nil, fmt.Errorf("store: message %d params: %w", m.ID, err)
		}
		m.CreatedAt, m.ReadAt = m.CreatedAt.UTC(), read.V.UTC()
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: notifications of %d: %w", attendeeID, err)
	}
	return out, nil
}

// UnreadCount returns how many of an attendee's messages in the app are
// unread: one count over the index of unread entries (messages_unread).
func (d *DB) UnreadCount(ctx context.Context, attendeeID int64) (int, error) {
	var n int
	err := d.queryRow(ctx, d.db, `SELECT COUNT(*) FROM messages m WHERE m.attendee_id = ? AND m.in_app AND m.read_at IS NULL AND NOT `+appHidden,
		attendeeID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: unread count of %d: %w", attendeeID, err)
	}
	return n, nil
}

// MarkRead marks the attendee's unread messages in the app up to and
// including the message upTo as read, and returns how many it marked.
// Messages of other attendees never change, whatever upTo says.
func (d *DB) MarkRead(ctx context.Context, attendeeID, upTo int64) (int, error) {
	res, err := d.exec(ctx, d.db, `UPDATE messages SET read_at = ? WHERE attendee_id = ? AND in_app AND read_at IS NULL AND id <= ?`,
		d.Now().UTC(), attendeeID, upTo)
	if err != nil {
		return 0, fmt.Errorf("store: mark read for %d: %w", attendeeID, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// AppMessagesAfter returns the attendees of messages in the app written
// after the message after, each once, and the last message's ID (after,
// when there are none): what the live unread counts poll, one query for
// every open page. after < 0 returns no attendees and the newest ID.
func (d *DB) AppMessagesAfter(ctx context.Context, after int64) ([]int64, int64, error) {
	if after < 0 {
		var last int64
		if err := d.queryRow(ctx, d.db, `SELECT COALESCE(MAX(id), 0) FROM messages`).Scan(&last); err != nil {
			return nil, 0, fmt.Errorf("store: last message: %w", err)
		}
		return nil, last, nil
	}
	rows, err := d.query(ctx, d.db, `SELECT id, attendee_id FROM messages WHERE id > ? AND in_app ORDER BY id LIMIT 10000`, after)
	if err != nil {
		return nil, 0, fmt.Errorf("store: messages after %d: %w", after, err)
	}
	defer rows.Close()
	last := after
	var out []int64
	seen := map[int64]bool{} // a wave writes to thousands at once
	for rows.Next() {
		var id, a int64
		if err := rows.Scan(&id, &a); err != nil {
			return nil, 0, fmt.Errorf("store: messages after %d: %w", after, err)
		}
		last = id
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: messages after %d: %w", after, err)
	}
	return out, last, nil
}

// ConfigurableKinds are the kinds an attendee chooses channels for, in the
// order settings show them.
func ConfigurableKinds() []string { return lanyard.ChoiceKinds() }

// MessagePreferences returns the attendee's channels for every
// configurable kind; both where the attendee chose nothing.
func (d *DB) MessagePreferences(ctx context.Context, attendeeID int64) (map[string]lanyard.Channels, error) {
	out := map[string]lanyard.Channels{}
	for _, k := range ConfigurableKinds() {
		out[k] = lanyard.Channels{Mail: true, App: true}
	}
	rows, err := d.query(ctx, d.db, `SELECT kind, by_mail, in_app FROM message_preferences WHERE attendee_id = ?`, attendeeID)
	if err != nil {
		return nil, fmt.Errorf("store: message preferences of %d: %w", attendeeID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var c lanyard.Channels
		if err := rows.Scan(&k, &c.Mail, &c.App); err != nil {
			return nil, fmt.Errorf("store: message preferences of %d: %w", attendeeID, err)
		}
		if _, ok := out[k]; ok {
			out[k] = c
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: message preferences of %d: %w", attendeeID, err)
	}
	return out, nil
}

// SetMessagePreferences sets the attendee's channels for the kinds in
// prefs, in one transaction.
// Returns EINVALID, changing nothing, for a kind that is unknown or
// mail-only, or channels with neither mail nor the app; ENOTFOUND for an
// unknown attendee.
func (d *DB) SetMessagePreferences(ctx context.Context, attendeeID int64, prefs map[string]lanyard.Channels) error {
	kinds := ConfigurableKinds()
	for k, c := range prefs {
		if !slices.Contains(kinds, k) {
			return &lanyard.Error{Code: lanyard.EINVALID, Field: k, Message: fmt.Sprintf("Messages of kind %q have no choice of channel.", k)}
		}
		if !c.Mail && !c.App {
			return &lanyard.Error{Code: lanyard.EINVALID, Field: k, Message: "Choose mail, the app or both for each kind of message."}
		}
	}
	return d.inTx(ctx, func(tx *sql.Tx) error {
		for _, k := range kinds {
			c, ok := prefs[k]
			if !ok {
				continue
			}
			if _, err := d.exec(ctx, tx, `DELETE FROM message_preferences WHERE attendee_id = ? AND kind = ?`, attendeeID, k); err != nil {
				return fmt.Errorf("store: set message preferences of %d: %w", attendeeID, err)
			}
			if c.Mail && c.App {
				continue // the default: no row
			}
			if _, err := d.exec(ctx, tx, `INSERT INTO message_preferences (attendee_id, kind, by_mail, in_app) VALUES (?, ?, ?, ?)`,
				attendeeID, k, c.Mail, c.App); err != nil {
				return fmt.Errorf("store: set message preferences of %d: %w", attendeeID, mapError(err, "That attendee"))
			}
		}
		return nil
	})
}

// ChannelsFor returns the channels a message of kind to the attendee goes
// by: mail alone for mail-only kinds, else the attendee's choice (both
// when none). Writers off the hot path (announcements, session changes)
// call it to write the row with the right channels; mail delivery calls it
// (or joins message_preferences) to skip mail of rows the engine wrote
// with both.
func (d *DB) ChannelsFor(ctx context.Context, attendeeID int64, kind string) (lanyard.Channels, error) {
	return d.channelsFor(ctx, d.db, attendeeID, kind)
}

// channelsFor is ChannelsFor on q, for writers inside a transaction of
// the store.
func (d *DB) channelsFor(ctx context.Context, q querier, attendeeID int64, kind string) (lanyard.Channels, error) {
	if lanyard.MailOnly(kind) {
		return lanyard.Channels{Mail: true}, nil
	}
	c := lanyard.Channels{Mail: true, App: true}
	err := d.queryRow(ctx, q, `SELECT by_mail, in_app FROM message_preferences WHERE attendee_id = ? AND kind = ?`, attendeeID, kind).Scan(&c.Mail, &c.App)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return lanyard.Channels{}, fmt.Errorf("store: channels of %d for %s: %w", attendeeID, kind, err)
	}
	return c, nil
}
