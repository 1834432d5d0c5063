package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Mail is a message claimed for delivery, with what the sender needs that
// the row leaves to delivery time: the address and language of its attendee.
type Mail struct {
	lanyard.Message
	To       string // the address: the row's recipient, else the attendee's email
	Name     string // the attendee's name; "" for mail to an address alone
	Language string // the row's language, else the account's, else ""
}

// ClaimMail leases up to limit pending mail messages due at now: each one's
// next attempt moves to now+lease and its attempts count up, in one
// transaction, so no other claim (another node's dispatcher) takes it until
// the lease lapses. A sender that dies mid-send leaves the message to be
// claimed again when it does. On PostgreSQL concurrent claims skip each
// other's locked rows (FOR UPDATE SKIP LOCKED) rather than wait; SQLite has
// one writer, so claims are serial anyway.
func (d *DB) ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Mail, error) {
	now = now.UTC()
	lock := ""
	if d.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	// Nothing due, the usual answer: say so without taking the write lock,
	// which SQLite's one writer (the ledger's group commit) needs.
	if due, err := d.anyDue(ctx, "messages", now); err != nil || !due {
		return nil, err
	}
	var out []Mail
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := d.query(ctx, tx, `UPDATE messages SET next_attempt_at = ?, attempts = attempts + 1
			WHERE id IN (SELECT id FROM messages WHERE state = 'pending' AND next_attempt_at <= ?
				ORDER BY next_attempt_at, id LIMIT ?`+lock+`)
			RETURNING id`, now.Add(lease), now, limit)
		if err != nil {
			return err
		}
		var ids []any
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		list := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
		// A reminder (lanyard.ReminderKinds) is written for mail, days
		// before it is due; the attendee's choice applies now. One they want
		// in the app (the default, with mail) is written again as a new
		// message with their channels, so it is the newest in the app and
		// the live counts see it; its mail, if chosen, goes at the next claim.
		rewritten, err := d.rewriteReminders(ctx, tx, list, ids, now)
		if err != nil {
			return err
		}
		if len(rewritten) > 0 {
			kept := ids[:0]
			for _, id := range ids {
				if !rewritten[id.(int64)] {
					kept = append(kept, id)
				}
			}
			if ids = kept; len(ids) == 0 {
				return nil
			}
			list = strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
		}
		// Mail of a kind the attendee turned off by mail (the engine's batch
		// writes both channels and never reads preferences) becomes a
		// message for the app alone, which is sent when written.
		off, err := tx.QueryContext(ctx, d.dialect.rebind(`UPDATE messages SET by_mail = ?, state = 'sent', sent_at = ?, next_attempt_at = NULL
			WHERE id IN (`+list+`) AND in_app AND EXISTS (SELECT 1 FROM message_preferences p
				WHERE p.attendee_id = messages.attendee_id AND p.kind = messages.kind AND NOT p.by_mail)
			RETURNING id`), append([]any{false, now}, ids...)...)
		if err != nil {
			return err
		}
		skip := map[int64]bool{}
		for off.Next() {
			var id int64
			if err := off.Scan(&id); err != nil {
				off.Close()
				return err
			}
			skip[id] = true
		}
		off.Close()
		if err := off.Err(); err != nil {
			return err
		}
		if len(skip) > 0 {
			kept := ids[:0]
			for _, id := range ids {
				if !skip[id.(int64)] {
					kept = append(kept, id)
				}
			}
			if ids = kept; len(ids) == 0 {
				return nil
			}
		}
		// Unprepared: the list's length varies with every claim.
		out, err = d.selectMail(ctx, tx, `m.id IN (`+strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")+`) ORDER BY m.id`, ids...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim mail: %w", err)
	}
	return out, nil
}

// MailSent records that the SMTP server accepted messages ids, in one
// commit. It is written right after acceptance: a crash before it is the
// only way a message is sent twice, with the same Message-ID.
func (d *DB) MailSent(ctx context.Context, ids []int64, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, 0, len(ids)+1)
	args = append(args, at.UTC())
	for _, id := range ids {
		args = append(args, id)
	}
	// Unprepared: the list's length varies.
	_, err := d.db.ExecContext(ctx, d.dialect.rebind(`UPDATE messages SET state = 'sent', sent_at = ?, next_attempt_at = NULL, last_error = ''
		WHERE id IN (`+strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")+`) AND state = 'pending'`), args...)
	if err != nil {
		return fmt.Errorf("store: %d mails sent: %w", len(ids), err)
	}
	return nil
}

// MailRetry records a temporary failure of message id and when to try again.
func (d *DB) MailRetry(ctx context.Context, id int64, reason string, next time.Time) error {
	_, err := d.exec(ctx, d.db, `UPDATE messages SET next_attempt_at = ?, last_error = ?
		WHERE id = ? AND state = 'pending'`, next.UTC(), reason, id)
	if err != nil {
		return fmt.Errorf("store: mail %d retry: %w", id, err)
	}
	return nil
}

// MailFailed records that message id will not be delivered (a permanent
// refusal, or too many attempts), and why, for the organizer.
func (d *DB) MailFailed(ctx context.Context, id int64, reason string) error {
	_, err := d.exec(ctx, d.db, `UPDATE messages SET state = 'failed', next_attempt_at = NULL, last_error = ?
		WHERE id = ? AND state = 'pending'`, reason, id)
	if err != nil {
		return fmt.Errorf("store: mail %d failed: %w", id, err)
	}
	return nil
}

// MailCounts returns how many of an event's mail messages are pending, sent
// and failed: the mail queue at a glance.
func (d *DB) MailCounts(ctx context.Context, eventID int64) (map[lanyard.MessageState]int, error) {
	rows, err := d.query(ctx, d.db, `SELECT state, COUNT(*) FROM messages WHERE event_id = ? AND by_mail GROUP BY state`, eventID)
	if err != nil {
		return nil, fmt.Errorf("store: mail counts: %w", err)
	}
	defer rows.Close()
	out := map[lanyard.MessageState]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, fmt.Errorf("store: mail counts: %w", err)
		}
		out[lanyard.MessageState(s)] = n
	}
	return out, rows.Err()
}

// selectMail reads mail messages with their attendee's address, name and
// language, where cond holds (on messages m, attendees a).
func (d *DB) selectMail(ctx context.Context, q querier, cond string, args ...any) ([]Mail, error) {
	sel, err := q.QueryContext(ctx, d.dialect.rebind(`SELECT m.id, m.event_id, COALESCE(m.attendee_id, 0), COALESCE(m.session_id, 0), m.kind, m.by_mail, m.in_app,
		m.recipient, m.language, m.template, m.params, m.subject, m.body, COALESCE(m.dedupe_key, ''), m.state, m.attempts, m.last_error, m.created_at, m.sent_at,
		COALESCE(a.email, ''), COALESCE(a.name, ''), COALESCE(ac.language, '')
		FROM messages m LEFT JOIN attendees a ON a.id = m.attendee_id LEFT JOIN accounts ac ON ac.attendee_id = m.attendee_id
		WHERE `+cond), args...)
	if err != nil {
		return nil, err
	}
	defer sel.Close()
	var out []Mail
	for sel.Next() {
		var m Mail
		var params, state, email, accountLang string
		var sent sql.Null[time.Time]
		if err := sel.Scan(&m.ID, &m.EventID, &m.AttendeeID, &m.SessionID, &m.Kind, &m.Mail, &m.App,
			&m.Recipient, &m.Message.Language, &m.Template, &params, &m.Subject, &m.Body, &m.DedupeKey, &state, &m.Attempts, &m.LastError, &m.CreatedAt, &sent,
			&email, &m.Name, &accountLang); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(params), &m.Params); err != nil {
			return nil, fmt.Errorf("message %d params: %w", m.ID, err)
		}
		m.State, m.CreatedAt, m.SentAt = lanyard.MessageState(state), m.CreatedAt.UTC(), sent.V.UTC()
		m.To, m.Language = m.Recipient, m.Message.Language
		if m.To == "" {
			m.To = email
		}
		if m.Language == "" {
			m.Language = accountLang
		}
		out = append(out, m)
	}
	return out, sel.Err()
}

// Mailbox returns an event's mail, newest first, at most limit; to, if
// set, keeps only mail to that address. For the demo's mailbox page.
func (d *DB) Mailbox(ctx context.Context, eventID int64, to string, limit int) ([]Mail, error) {
	cond, args := `m.event_id = ? AND m.by_mail`, []any{eventID}
	if to != "" {
		cond += ` AND (m.recipient = ? OR (m.recipient = '' AND a.email = ?))`
		args = append(args, to, to)
	}
	out, err := d.selectMail(ctx, d.db, cond+` ORDER BY m.id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: mailbox: %w", err)
	}
	return out, nil
}

// MailMessage returns one of an event's mail messages, or ENOTFOUND.
func (d *DB) MailMessage(ctx context.Context, eventID, id int64) (Mail, error) {
	out, err := d.selectMail(ctx, d.db, `m.event_id = ? AND m.id = ? AND m.by_mail`, eventID, id)
	if err != nil {
		return Mail{}, fmt.Errorf("store: mail %d: %w", id, err)
	}
	if len(out) == 0 {
		return Mail{}, lanyard.Errorf(lanyard.ENOTFOUND, "There is no such mail.")
	}
	return out[0], nil
}

// anyDue reports whether table (messages, webhook_deliveries) has a pending
// row due at now: a read, on the partial index of pending rows.
func (d *DB) anyDue(ctx context.Context, table string, now time.Time) (bool, error) {
	var due bool
	err := d.queryRow(ctx, d.db, `SELECT EXISTS (SELECT 1 FROM `+table+` WHERE state = 'pending' AND next_attempt_at <= ?)`, now).Scan(&due)
	if err != nil {
		return false, fmt.Errorf("store: anything due in %s: %w", table, err)
	}
	return due, nil
}

// rewriteReminders replaces the claimed reminders among ids (list is
// their placeholders), as written (for mail alone), whose attendee did not turn them off in the app with
// a new message created now, for the app and, unless turned off, by mail
// (due now), with the same dedupe key. It returns the IDs replaced.
func (d *DB) rewriteReminders(ctx context.Context, tx *sql.Tx, list string, ids []any, now time.Time) (map[int64]bool, error) {
	reminders := `kind IN ('` + strings.Join(lanyard.ReminderKinds, `', '`) + `')`
	rows, err := tx.QueryContext(ctx, d.dialect.rebind(`SELECT m.id, m.event_id, m.attendee_id, COALESCE(m.session_id, 0), m.kind, m.recipient, m.language,
			m.subject, m.body, COALESCE(m.dedupe_key, ''), COALESCE(p.by_mail, TRUE)
		FROM messages m LEFT JOIN message_preferences p ON p.attendee_id = m.attendee_id AND p.kind = m.kind
		WHERE m.id IN (`+list+`) AND m.attendee_id IS NOT NULL AND m.`+reminders+` AND NOT m.in_app AND COALESCE(p.in_app, TRUE)`), ids...)
	if err != nil {
		return nil, err
	}
	var again []lanyard.Message
	done := map[int64]bool{}
	for rows.Next() {
		var id int64
		m := lanyard.Message{App: true, CreatedAt: now}
		if err := rows.Scan(&id, &m.EventID, &m.AttendeeID, &m.SessionID, &m.Kind, &m.Recipient, &m.Language, &m.Subject, &m.Body, &m.DedupeKey, &m.Mail); err != nil {
			rows.Close()
			return nil, err
		}
		done[id] = true
		again = append(again, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(again) == 0 {
		return nil, err
	}
	var del []any
	for id := range done {
		del = append(del, id)
	}
	if _, err := tx.ExecContext(ctx, d.dialect.rebind(`DELETE FROM messages WHERE id IN (`+strings.TrimSuffix(strings.Repeat("?,", len(del)), ",")+`)`), del...); err != nil {
		return nil, err
	}
	if err := d.insertRows(ctx, tx, "messages", messageColumns, "", len(again), func(i int) []any { return messageRow(again[i]) }); err != nil {
		return nil, err
	}
	return done, nil
}
