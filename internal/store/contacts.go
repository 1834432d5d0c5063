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

// Contact exchange (issue 14, migration 00170): attendees scanning each
// other's badges. A contact row is one side's record of the other; the
// other's card is read through their current sharing choices whenever it
// is shown or exported, so narrowing one's sharing reaches every contact
// already made.

// ContactScan is one scan of another attendee's badge or personal QR.
type ContactScan struct {
	EventID   int64
	ScannerID int64
	OtherID   int64
	// Nonce is the phone's key for the scan: a repeated upload with the
	// same nonce changes nothing.
	Nonce string
	Where lanyard.ContactWhere
	At    time.Time
	// TwoWay gives the scanned attendee the scanner's card too (their
	// sharing says two_way).
	TwoWay bool
}

// ContactScanResult is what a scan did.
type ContactScanResult struct {
	// ContactID is the scanner's contact of the other.
	ContactID int64
	// OtherID is whom the scan named (the first upload's, on a replay).
	OtherID int64
	// New: this scan made the contact; false when they already were
	// contacts or the scan was uploaded before.
	New bool
	// Replay: the nonce was uploaded before; nothing changed.
	Replay bool
}

// ContactExchange records a scan, idempotently by (scanner, nonce): the
// first upload makes the scanner's contact of the other and, if TwoWay,
// the other's contact of the scanner; a repeat returns what the first did.
// Scanning someone already in one's contacts keeps the first meeting.
// Scanning oneself is EINVALID.
func (d *DB) ContactExchange(ctx context.Context, s ContactScan) (ContactScanResult, error) {
	if s.ScannerID == s.OtherID {
		return ContactScanResult{}, lanyard.Errorf(lanyard.EINVALID, "This is your own code: scan someone else's badge or QR.")
	}
	res := ContactScanResult{OtherID: s.OtherID}
	now := d.Now().UTC()
	at := s.At.UTC()
	if at.IsZero() {
		at = now
	}
	err := d.inWriteTx(ctx, func(tx *sql.Tx) error {
		var other int64
		err := d.queryRow(ctx, tx, `INSERT INTO contact_scans (scanner_id, nonce, other_id, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (scanner_id, nonce) DO NOTHING RETURNING other_id`, s.ScannerID, s.Nonce, s.OtherID, now).Scan(&other)
		if errors.Is(err, sql.ErrNoRows) {
			// Uploaded before: answer as then, change nothing.
			res.Replay = true
			if err := d.queryRow(ctx, tx, `SELECT other_id FROM contact_scans WHERE scanner_id = ? AND nonce = ?`, s.ScannerID, s.Nonce).Scan(&res.OtherID); err != nil {
				return err
			}
			err := d.queryRow(ctx, tx, `SELECT id FROM contacts WHERE owner_id = ? AND other_id = ?`, s.ScannerID, res.OtherID).Scan(&res.ContactID)
			if errors.Is(err, sql.ErrNoRows) {
				return lanyard.Errorf(lanyard.ENOTFOUND, "You removed this contact since this scan; scan again to add it back.")
			}
			return err
		}
		if err != nil {
			return err
		}
		insert := `INSERT INTO contacts (event_id, owner_id, other_id, scanned, where_kind, where_ref, where_label, met_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (owner_id, other_id) DO NOTHING RETURNING id`
		err = d.queryRow(ctx, tx, insert, s.EventID, s.ScannerID, s.OtherID, true, s.Where.Kind, s.Where.Ref, s.Where.Label, at, now).Scan(&res.ContactID)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if err := d.queryRow(ctx, tx, `SELECT id FROM contacts WHERE owner_id = ? AND other_id = ?`, s.ScannerID, s.OtherID).Scan(&res.ContactID); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			res.New = true
		}
		if s.TwoWay {
			var id int64
			err := d.queryRow(ctx, tx, insert, s.EventID, s.OtherID, s.ScannerID, false, s.Where.Kind, s.Where.Ref, s.Where.Label, at, now).Scan(&id)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return ContactScanResult{}, fmt.Errorf("store: contact exchange %d→%d: %w", s.ScannerID, s.OtherID, mapError(err, "That contact"))
	}
	return res, nil
}

// contactSelect reads a contact with the other's card fields and sharing
// (NULL sharing: the defaults).
const contactSelect = `SELECT c.id, c.owner_id, c.other_id, c.scanned, c.where_kind, c.where_ref, c.where_label, c.met_at,
	c.notes, c.tags, c.follow_up, c.stage, c.updated_at,
	a.name, a.email, a.company, a.job_title, s.fields, COALESCE(s.phone, ''), COALESCE(s.linkedin, '')
	FROM contacts c JOIN attendees a ON a.id = c.other_id LEFT JOIN attendee_sharing s ON s.attendee_id = c.other_id`

func scanContact(r interface{ Scan(...any) error }) (lanyard.Contact, error) {
	var c lanyard.Contact
	var a lanyard.Attendee
	var tags string
	var fields sql.NullString
	sh := lanyard.Sharing{}
	err := r.Scan(&c.ID, &c.OwnerID, &a.ID, &c.Scanned, &c.Where.Kind, &c.Where.Ref, &c.Where.Label, &c.MetAt,
		&c.Notes, &tags, &c.FollowUp, &c.Stage, &c.UpdatedAt,
		&a.Name, &a.Email, &a.Company, &a.JobTitle, &fields, &sh.Phone, &sh.LinkedIn)
	if err != nil {
		return c, err
	}
	if fields.Valid {
		sh.Fields = splitList(fields.String)
	} else {
		sh = lanyard.DefaultSharing(a.ID)
	}
	// Attendees exchanging contacts see what the other chose: no cap.
	c.Card = lanyard.CardOf(&a, sh, nil)
	c.Tags = splitList(tags)
	c.MetAt, c.UpdatedAt = c.MetAt.UTC(), c.UpdatedAt.UTC()
	return c, nil
}

// Contacts lists the owner's contacts, the latest met first.
func (d *DB) Contacts(ctx context.Context, ownerID int64) ([]lanyard.Contact, error) {
	var out []lanyard.Contact
	err := d.scanAll(ctx, contactSelect+` WHERE c.owner_id = ? ORDER BY c.met_at DESC, c.id DESC`, []any{ownerID}, func(r *sql.Rows) error {
		c, err := scanContact(r)
		out = append(out, c)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: contacts of %d: %w", ownerID, err)
	}
	return out, nil
}

// Contact returns the owner's contact id; ENOTFOUND if there is none or it
// is someone else's (an attendee never reads another's contacts).
func (d *DB) Contact(ctx context.Context, ownerID, id int64) (lanyard.Contact, error) {
	c, err := scanContact(d.queryRow(ctx, d.db, contactSelect+` WHERE c.id = ? AND c.owner_id = ?`, id, ownerID))
	if errors.Is(err, sql.ErrNoRows) {
		err = lanyard.Errorf(lanyard.ENOTFOUND, "No contact %d.", id)
	}
	if err != nil {
		return c, fmt.Errorf("store: contact %d: %w", id, err)
	}
	return c, nil
}

// contactReminderKey names the reminder of a contact's follow-up date, so
// a date set again gives one mail, and a changed date replaces the
// pending one.
func contactReminderKey(id int64, date string) string {
	return fmt.Sprintf("%s:%d:%s", lanyard.KindContactFollowUp, id, date)
}

// ContactUpdate changes the owner's notes, tags, follow-up date and stage
// of contact id (u must be valid: ContactUpdate.Validate). In the same
// transaction, a reminder still pending for another date is dropped and,
// when reminder is given (the caller's words for u.FollowUp, due at
// reminder.NextAttemptAt), it is written: the change and its mail commit
// together or not at all. ENOTFOUND if the contact is not the owner's.
func (d *DB) ContactUpdate(ctx context.Context, ownerID, id int64, u lanyard.ContactUpdate, reminder *lanyard.Message) error {
	now := d.Now().UTC()
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var eventID int64
		err := d.queryRow(ctx, tx, `UPDATE contacts SET notes = ?, tags = ?, follow_up = ?, stage = ?, updated_at = ?
			WHERE id = ? AND owner_id = ? RETURNING event_id`, u.Notes, strings.Join(u.Tags, ","), u.FollowUp, u.Stage, now, id, ownerID).Scan(&eventID)
		if errors.Is(err, sql.ErrNoRows) {
			return lanyard.Errorf(lanyard.ENOTFOUND, "No contact %d.", id)
		}
		if err != nil {
			return err
		}
		keep := contactReminderKey(id, u.FollowUp)
		if _, err := d.exec(ctx, tx, `DELETE FROM messages WHERE event_id = ? AND attendee_id = ? AND kind = ? AND state = 'pending'
			AND dedupe_key LIKE ? AND dedupe_key <> ?`, eventID, ownerID, lanyard.KindContactFollowUp,
			fmt.Sprintf("%s:%d:%%", lanyard.KindContactFollowUp, id), keep); err != nil {
			return err
		}
		if reminder == nil || u.FollowUp == "" {
			return nil
		}
		m := *reminder
		m.EventID, m.AttendeeID, m.Kind, m.Mail, m.DedupeKey = eventID, ownerID, lanyard.KindContactFollowUp, true, keep
		if m.CreatedAt.IsZero() {
			m.CreatedAt = now
		}
		row := messageRow(m)
		row[14] = m.NextAttemptAt.UTC() // due on the date, not at once
		return d.insertRows(ctx, tx, "messages", messageColumns, "ON CONFLICT (event_id, dedupe_key) DO NOTHING", 1, func(int) []any { return row })
	})
	if err != nil {
		return fmt.Errorf("store: update contact %d: %w", id, err)
	}
	return nil
}

// ContactDelete removes the owner's contact id and its pending reminder,
// in one transaction. The other's record of the owner stays: it is theirs.
// ENOTFOUND if the contact is not the owner's.
func (d *DB) ContactDelete(ctx context.Context, ownerID, id int64) error {
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var eventID int64
		err := d.queryRow(ctx, tx, `DELETE FROM contacts WHERE id = ? AND owner_id = ? RETURNING event_id`, id, ownerID).Scan(&eventID)
		if errors.Is(err, sql.ErrNoRows) {
			return lanyard.Errorf(lanyard.ENOTFOUND, "No contact %d.", id)
		}
		if err != nil {
			return err
		}
		_, err = d.exec(ctx, tx, `DELETE FROM messages WHERE event_id = ? AND attendee_id = ? AND kind = ? AND state = 'pending' AND dedupe_key LIKE ?`,
			eventID, ownerID, lanyard.KindContactFollowUp, fmt.Sprintf("%s:%d:%%", lanyard.KindContactFollowUp, id))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: delete contact %d: %w", id, err)
	}
	return nil
}

// ContactReservedSessions returns the IDs of the sessions the attendee
// holds a seat in: the pages find the one on at a scan's time in the
// catalog, to record where two people met.
func (d *DB) ContactReservedSessions(ctx context.Context, attendeeID int64) ([]int64, error) {
	var out []int64
	err := d.scanAll(ctx, `SELECT session_id FROM reservations WHERE attendee_id = ?`, []any{attendeeID}, func(r *sql.Rows) error {
		var id int64
		out = append(out, 0)
		if err := r.Scan(&id); err != nil {
			return err
		}
		out[len(out)-1] = id
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: reserved sessions of %d: %w", attendeeID, err)
	}
	return out, nil
}
