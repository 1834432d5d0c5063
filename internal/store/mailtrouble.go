package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// MailTrouble returns an event's mail in trouble, newest first, from offset,
// at most limit, and whether there are more: with state failed the messages
// given up on; with state pending those retrying (a failed attempt and
// another to come).
func (d *DB) MailTrouble(ctx context.Context, eventID int64, state lanyard.MessageState, offset, limit int) ([]Mail, bool, error) {
	cond := `m.event_id = ? AND m.by_mail AND m.state = 'failed'`
	if state == lanyard.MessagePending {
		cond = `m.event_id = ? AND m.by_mail AND m.state = 'pending' AND m.last_error <> ''`
	}
	out, err := d.selectMail(ctx, d.db, cond+` ORDER BY m.id DESC LIMIT ? OFFSET ?`, eventID, limit+1, offset)
	if err != nil {
		return nil, false, fmt.Errorf("store: mail in trouble: %w", err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}

// RetryMail sends a failed mail message again: pending, due at now, its
// attempts counted afresh (the organizer fixed the cause; it deserves the
// whole backoff), its last error kept until it is sent. The audit entry is
// written in the same transaction, naming the message's attendee. A message that is not failed (sent
// meanwhile, already retried) is EINVALID; one of another event ENOTFOUND.
func (d *DB) RetryMail(ctx context.Context, eventID, id int64, now time.Time, audit lanyard.AuditEntry) error {
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var state string
		var attendee int64
		err := tx.QueryRowContext(ctx, d.dialect.rebind(`SELECT state, COALESCE(attendee_id, 0) FROM messages WHERE id = ? AND event_id = ? AND by_mail`),
			id, eventID).Scan(&state, &attendee)
		if err == sql.ErrNoRows {
			return lanyard.Errorf(lanyard.ENOTFOUND, "There is no such mail.")
		}
		if err != nil {
			return err
		}
		if lanyard.MessageState(state) != lanyard.MessageFailed {
			return lanyard.Errorf(lanyard.EINVALID, "This mail has not failed: it is %s.", state)
		}
		if _, err := d.exec(ctx, tx, `UPDATE messages SET state = 'pending', next_attempt_at = ?, attempts = 0
			WHERE id = ? AND state = 'failed'`, now.UTC(), id); err != nil {
			return err
		}
		audit.AttendeeID = attendee // the message's, whatever the caller said
		return d.addAudit(ctx, tx, eventID, audit)
	})
	if err != nil {
		return fmt.Errorf("store: retry mail %d: %w", id, err)
	}
	return nil
}
