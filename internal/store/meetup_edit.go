package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Editing and cancelling meetups (migration 00230). Both run in one
// transaction that holds the meetup's row, like an RSVP, so the cap and
// the going count cannot move under them; the CHECK (going <= cap) of
// 00190 refuses a lowered cap below those going even if this code let it
// through. The messages they cause — the change or the cancel to everyone
// going or waitlisted, the reminders moved or dropped — are rows written
// in that same transaction.

// reminderPrefix is the dedupe_key prefix of a meetup's reminders.
func reminderPrefix(meetupID int64) string {
	return fmt.Sprintf("meetup:%d:reminder:", meetupID)
}

// MeetupEdit changes meetup m.ID (validated by the caller) as its starter
// actor asks: title, description, language, topic, place, time and cap.
// A cap below those going is cap_below_going (field "cap"); a raised cap
// promotes the waitlist in order. A new time or place moves the unsent
// reminders (they are written again, due before the new start, in the new
// words) and tells everyone going or waitlisted but actor. Returns
// ENOTFOUND, meetup_not_yours (someone else's), meetup_canceled and
// meetup_started.
func (d *DB) MeetupEdit(ctx context.Context, actorID int64, m lanyard.Meetup, words MeetupWords) (lanyard.Meetup, error) {
	now := d.Now().UTC()
	var out lanyard.Meetup
	err := d.inWriteTx(ctx, func(tx *sql.Tx) error {
		old, err := d.lockMeetup(ctx, tx, m.EventID, m.ID)
		if err != nil {
			return err
		}
		switch {
		case old.OrganizerID != actorID:
			return lanyard.Errorf(lanyard.EMeetupNotYours, "Only the person who started this meetup may edit it.")
		case old.Canceled:
			return lanyard.Errorf(lanyard.EMeetupCanceled, "This meetup was cancelled.")
		case !old.Start.After(now):
			return lanyard.Errorf(lanyard.EMeetupStarted, "This meetup has started.")
		case m.Cap < old.Going:
			e := lanyard.Errorf(lanyard.EMeetupCapBelowGoing, "%d people are going already: the cap cannot be less.", old.Going)
			e.Field = "cap"
			return e
		}
		var lat, lng sql.NullFloat64
		if m.PlaceKind == lanyard.MeetupPin {
			lat, lng = sql.NullFloat64{Float64: m.Lat, Valid: true}, sql.NullFloat64{Float64: m.Lng, Valid: true}
		}
		if _, err := d.exec(ctx, tx, `UPDATE meetups SET title = ?, description = ?, language = ?, topic = ?, place_kind = ?, venue = ?, place = ?,
			lat = ?, lng = ?, starts_at = ?, ends_at = ?, cap = ? WHERE id = ? AND event_id = ?`,
			m.Title, m.Description, m.Language, m.Topic, m.PlaceKind, m.Venue, m.Place, lat, lng, m.Start.UTC(), m.End.UTC(), m.Cap, m.ID, m.EventID); err != nil {
			return mapError(err, "That meetup")
		}
		if out, err = d.lockMeetup(ctx, tx, m.EventID, m.ID); err != nil {
			return err
		}
		// A raised cap gives its places to the waitlist, first come first.
		if free := out.Cap - out.Going; free > 0 && out.Waiting > 0 {
			waiting, err := d.meetupAnswered(ctx, tx, m.ID, lanyard.RSVPWaitlist)
			if err != nil {
				return err
			}
			for _, a := range waiting[:min(free, len(waiting))] {
				if _, err := d.exec(ctx, tx, `UPDATE meetup_rsvps SET status = 'going' WHERE meetup_id = ? AND attendee_id = ?`, m.ID, a); err != nil {
					return err
				}
				if err := d.meetupMessage(ctx, tx, out, a, lanyard.KindMeetupPromoted, words); err != nil {
					return err
				}
				if err := d.meetupMessage(ctx, tx, out, a, lanyard.KindMeetupReminder, words); err != nil {
					return err
				}
			}
			if out, err = d.lockMeetup(ctx, tx, m.EventID, m.ID); err != nil {
				return err
			}
		}
		moved := !old.Start.Equal(out.Start) || !old.End.Equal(out.End)
		placed := old.PlaceKind != out.PlaceKind || old.Venue != out.Venue || old.Place != out.Place || old.Lat != out.Lat || old.Lng != out.Lng
		if !moved && !placed {
			return nil
		}
		if err := d.rearmReminders(ctx, tx, out, words); err != nil {
			return err
		}
		return d.meetupTellAll(ctx, tx, out, actorID, lanyard.KindMeetupChanged, words)
	})
	if err != nil {
		return lanyard.Meetup{}, fmt.Errorf("store: edit meetup %d: %w", m.ID, err)
	}
	return out, nil
}

// rearmReminders writes the reminders of everyone going again, due before
// m's (new) start in its new words. Unsent ones are deleted first; a sent
// one keeps its row under a retired key, so a meetup moved later reminds
// again.
func (d *DB) rearmReminders(ctx context.Context, tx *sql.Tx, m lanyard.Meetup, words MeetupWords) error {
	like := likeEscaper.Replace(reminderPrefix(m.ID)) + "%"
	if _, err := d.exec(ctx, tx, `DELETE FROM messages WHERE event_id = ? AND dedupe_key LIKE ? ESCAPE '\' AND state = 'pending'`, m.EventID, like); err != nil {
		return fmt.Errorf("store: drop reminders of meetup %d: %w", m.ID, err)
	}
	if _, err := d.exec(ctx, tx, `UPDATE messages SET dedupe_key = dedupe_key || ':sent:' || CAST(id AS TEXT)
		WHERE event_id = ? AND dedupe_key LIKE ? ESCAPE '\'`, m.EventID, like); err != nil {
		return fmt.Errorf("store: retire sent reminders of meetup %d: %w", m.ID, err)
	}
	going, err := d.meetupAnswered(ctx, tx, m.ID, lanyard.RSVPGoing)
	if err != nil {
		return err
	}
	for _, a := range going {
		if err := d.meetupMessage(ctx, tx, m, a, lanyard.KindMeetupReminder, words); err != nil {
			return err
		}
	}
	return nil
}

// meetupAnswered lists who answered the meetup with status ("" any), in
// the order they answered.
func (d *DB) meetupAnswered(ctx context.Context, tx *sql.Tx, meetupID int64, status string) ([]int64, error) {
	var out []int64
	err := d.scanTx(ctx, tx, `SELECT attendee_id FROM meetup_rsvps WHERE meetup_id = ? AND (status = ? OR ? = '') ORDER BY seq`,
		[]any{meetupID, status, status}, func(r *sql.Rows) error {
			var id int64
			err := r.Scan(&id)
			out = append(out, id)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("store: rsvps of meetup %d: %w", meetupID, err)
	}
	return out, nil
}

// meetupTellAll writes a message of kind to everyone going or waitlisted
// but actor (who made the change and knows).
func (d *DB) meetupTellAll(ctx context.Context, tx *sql.Tx, m lanyard.Meetup, actorID int64, kind string, words MeetupWords) error {
	all, err := d.meetupAnswered(ctx, tx, m.ID, "")
	if err != nil {
		return err
	}
	for _, a := range all {
		if a == actorID {
			continue
		}
		if err := d.meetupMessage(ctx, tx, m, a, kind, words); err != nil {
			return err
		}
	}
	return nil
}

// MeetupCancel cancels a meetup: it leaves the list and takes no RSVP;
// the unsent reminders are dropped and everyone going or waitlisted but
// actor is told, in the same transaction. The RSVPs stay (who was going
// is still known). Only its starter may cancel, unless moderator (an
// organizer), whose audit entry is written too when not nil. Returns
// ENOTFOUND, meetup_not_yours, meetup_canceled (cancelled already) and
// meetup_started.
func (d *DB) MeetupCancel(ctx context.Context, eventID, id, actorID int64, moderator bool, audit *lanyard.AuditEntry, words MeetupWords) (lanyard.Meetup, error) {
	now := d.Now().UTC()
	var m lanyard.Meetup
	err := d.inWriteTx(ctx, func(tx *sql.Tx) error {
		var err error
		if m, err = d.lockMeetup(ctx, tx, eventID, id); err != nil {
			return err
		}
		switch {
		case !moderator && m.OrganizerID != actorID:
			return lanyard.Errorf(lanyard.EMeetupNotYours, "Only the person who started this meetup, or an organizer, may cancel it.")
		case m.Canceled:
			return lanyard.Errorf(lanyard.EMeetupCanceled, "This meetup was cancelled already.")
		case !m.Start.After(now):
			return lanyard.Errorf(lanyard.EMeetupStarted, "This meetup has started.")
		}
		if _, err := d.exec(ctx, tx, `UPDATE meetups SET canceled_at = ? WHERE id = ? AND event_id = ?`, now, id, eventID); err != nil {
			return err
		}
		m.Canceled = true
		like := likeEscaper.Replace(reminderPrefix(id)) + "%"
		if _, err := d.exec(ctx, tx, `DELETE FROM messages WHERE event_id = ? AND dedupe_key LIKE ? ESCAPE '\' AND state = 'pending'`, eventID, like); err != nil {
			return fmt.Errorf("store: drop reminders of meetup %d: %w", id, err)
		}
		if err := d.meetupTellAll(ctx, tx, m, actorID, lanyard.KindMeetupCanceled, words); err != nil {
			return err
		}
		if audit != nil {
			return d.addAudit(ctx, tx, eventID, *audit)
		}
		return nil
	})
	if err != nil {
		return lanyard.Meetup{}, fmt.Errorf("store: cancel meetup %d: %w", id, err)
	}
	return m, nil
}

// scanAll in tx: every row is read (and the rows closed) before the
// caller's next statement.
func (d *DB) scanTx(ctx context.Context, tx *sql.Tx, q string, args []any, row func(*sql.Rows) error) error {
	return d.scanIn(ctx, tx, q, args, row)
}
