package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// messageColumns are written for each new message, in this order.
var messageColumns = []string{"event_id", "attendee_id", "session_id", "kind", "by_mail", "in_app", "recipient", "language",
	"template", "params", "subject", "body", "dedupe_key", "state", "next_attempt_at", "created_at", "sent_at"}

// messageRow returns msg's values for messageColumns. Mail is due at once;
// a message for the app alone has nothing to deliver and is sent as written.
func messageRow(msg lanyard.Message) []any {
	at := msg.CreatedAt.UTC()
	state, due, sent := lanyard.MessagePending, any(at), any(nil)
	if !msg.Mail {
		state, due, sent = lanyard.MessageSent, nil, at
	}
	return []any{msg.EventID, nullInt(msg.AttendeeID), nullInt(msg.SessionID), msg.Kind, msg.Mail, msg.App, msg.Recipient, msg.Language,
		msg.Template, paramsJSON(msg.Params), msg.Subject, msg.Body, nullString(msg.DedupeKey), string(state), due, at, sent}
}

// paramsJSON encodes a message's template parameters as a JSON object.
func paramsJSON(p map[string]string) string {
	if len(p) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(p) // a map of strings always encodes
	return string(b)
}

// insertMessage writes one message, created at msg.CreatedAt.
// Returns EINVALID for a message without a channel or a recipient.
func (d *DB) insertMessage(ctx context.Context, tx *sql.Tx, msg lanyard.Message) error {
	err := d.insertRows(ctx, tx, "messages", messageColumns, "", 1, func(int) []any { return messageRow(msg) })
	if err != nil {
		return fmt.Errorf("store: message %s to %d %s: %w", msg.Kind, msg.AttendeeID, msg.Recipient, mapError(err, "That message"))
	}
	return nil
}

// Messages returns the event's messages, sent or not, oldest first.
func (d *DB) Messages(ctx context.Context, eventID int64) ([]lanyard.Message, error) {
	rows, err := d.query(ctx, d.db, `SELECT id, event_id, COALESCE(attendee_id, 0), COALESCE(session_id, 0), kind, by_mail, in_app,
		recipient, language, template, params, subject, body, COALESCE(dedupe_key, ''), state, attempts, last_error,
		next_attempt_at, created_at, sent_at, read_at
		FROM messages WHERE event_id = ? ORDER BY id`, eventID)
	if err != nil {
		return nil, fmt.Errorf("store: messages: %w", err)
	}
	defer rows.Close()
	var out []lanyard.Message
	for rows.Next() {
		var m lanyard.Message
		var params, state string
		var due, sent, read sql.Null[time.Time]
		if err := rows.Scan(&m.ID, &m.EventID, &m.AttendeeID, &m.SessionID, &m.Kind, &m.Mail, &m.App,
			&m.Recipient, &m.Language, &m.Template, &params, &m.Subject, &m.Body, &m.DedupeKey, &state, &m.Attempts, &m.LastError,
			&due, &m.CreatedAt, &sent, &read); err != nil {
			return nil, fmt.Errorf("store: messages: %w", err)
		}
		if err := json.Unmarshal([]byte(params), &m.Params); err != nil {
			return nil, fmt.Errorf("store: message %d params: %w", m.ID, err)
		}
		m.State = lanyard.MessageState(state)
		m.NextAttemptAt, m.CreatedAt, m.SentAt, m.ReadAt = due.V.UTC(), m.CreatedAt.UTC(), sent.V.UTC(), read.V.UTC()
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: messages: %w", err)
	}
	return out, nil
}

// AddMessages writes msgs in one transaction: an announcement to a segment,
// all or nothing. Store code that writes a message with a change calls
// insertMessage in the change's transaction instead.
func (d *DB) AddMessages(ctx context.Context, msgs []lanyard.Message) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		err := d.insertRows(ctx, tx, "messages", messageColumns, "", len(msgs), func(i int) []any { return messageRow(msgs[i]) })
		if err != nil {
			return fmt.Errorf("store: add %d messages: %w", len(msgs), mapError(err, "That message"))
		}
		return nil
	})
}
