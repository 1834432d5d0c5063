package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// DeskBadge is what the badge desk knows of an attendee's badge: its
// version and pick-up (lanyard.BadgeState), and the desk's own record of
// prints and of who handed it over.
type DeskBadge struct {
	lanyard.BadgeState
	// Prints counts the badges printed at the desk, every version.
	Prints    int
	PrintedAt *time.Time
	PrintedBy int64 // 0 when unknown
	// PickedUpBy is the staff member who handed the badge over; 0 when
	// it is not picked up, or was marked through the API.
	PickedUpBy int64
}

// Reprints is how many times the badge was voided and issued again.
func (b DeskBadge) Reprints() int { return max(b.Version-1, 0) }

// DeskBadge returns the desk's view of an attendee's badge. ENOTFOUND for
// an unknown attendee.
func (d *DB) DeskBadge(ctx context.Context, attendeeID int64) (DeskBadge, error) {
	return d.deskBadge(ctx, d.db, attendeeID)
}

func (d *DB) deskBadge(ctx context.Context, q querier, attendeeID int64) (DeskBadge, error) {
	var b DeskBadge
	var picked, printed sql.NullTime
	var prints, printedBy, pickedBy sql.Null[int64]
	err := d.queryRow(ctx, q, `SELECT a.badge_version, a.badge_picked_up_at, k.prints, k.printed_at, k.printed_by, k.picked_up_by
		FROM attendees a LEFT JOIN badge_desk k ON k.attendee_id = a.id WHERE a.id = ?`, attendeeID).
		Scan(&b.Version, &picked, &prints, &printed, &printedBy, &pickedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return b, lanyard.Errorf(lanyard.ENOTFOUND, "No attendee %d.", attendeeID)
	}
	if err != nil {
		return b, fmt.Errorf("store: desk badge %d: %w", attendeeID, err)
	}
	if picked.Valid {
		t := picked.Time.UTC()
		b.PickedUpAt = &t
		b.PickedUpBy = pickedBy.V
	}
	if printed.Valid {
		t := printed.Time.UTC()
		b.PrintedAt = &t
	}
	b.Prints, b.PrintedBy = int(prints.V), printedBy.V
	return b, nil
}

// RecordBadgePrint records a badge printed at the desk by actor, with its
// audit entry, in one transaction. With void set it is a reprint: the
// badge's version is bumped (the old badge's code stops verifying) and its
// pick-up cleared, but only if the version is still seen, the one the
// desk showed: a second click, or another desk's reprint, does not void
// the badge just printed (ECONFLICT). Returns ENOTFOUND for an unknown
// attendee.
func (d *DB) RecordBadgePrint(ctx context.Context, attendeeID, actor int64, void bool, seen int, audit lanyard.AuditEntry) (DeskBadge, error) {
	var out DeskBadge
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var eventID int64
		var version int
		err := d.queryRow(ctx, tx, "SELECT event_id, badge_version FROM attendees WHERE id = ?", attendeeID).Scan(&eventID, &version)
		if errors.Is(err, sql.ErrNoRows) {
			return lanyard.Errorf(lanyard.ENOTFOUND, "No attendee %d.", attendeeID)
		}
		if err != nil {
			return fmt.Errorf("store: print badge %d: %w", attendeeID, err)
		}
		if void {
			if version != seen {
				return lanyard.Errorf(lanyard.ECONFLICT, "This badge was reprinted meanwhile (it is now version %d); look at it again before voiding it.", version)
			}
			res, err := d.exec(ctx, tx, "UPDATE attendees SET badge_version = badge_version + 1, badge_picked_up_at = NULL WHERE id = ? AND badge_version = ?", attendeeID, seen)
			if err != nil {
				return fmt.Errorf("store: void badge %d: %w", attendeeID, err)
			}
			if n, err := res.RowsAffected(); err == nil && n != 1 {
				return lanyard.Errorf(lanyard.ECONFLICT, "This badge was reprinted meanwhile; look at it again before voiding it.")
			}
		}
		now := d.Now().UTC()
		_, err = d.exec(ctx, tx, `INSERT INTO badge_desk (attendee_id, prints, printed_at, printed_by) VALUES (?, 1, ?, ?)
			ON CONFLICT (attendee_id) DO UPDATE SET prints = badge_desk.prints + 1, printed_at = excluded.printed_at,
			printed_by = excluded.printed_by, picked_up_by = CASE WHEN ? THEN NULL ELSE badge_desk.picked_up_by END`,
			attendeeID, now, nullID(actor), void)
		if err != nil {
			return fmt.Errorf("store: print badge %d: %w", attendeeID, err)
		}
		audit.AttendeeID, audit.ActorID = attendeeID, actor
		if err := d.addAudit(ctx, tx, eventID, audit); err != nil {
			return err
		}
		out, err = d.deskBadge(ctx, tx, attendeeID)
		return err
	})
	return out, err
}

// MarkPickedUpBy records that actor handed the attendee their badge, with
// its audit entry, in one transaction. A badge picked up already keeps its
// first time and who, and writes no entry; picked reports whether this call
// marked it. Returns ENOTFOUND for an unknown attendee.
func (d *DB) MarkPickedUpBy(ctx context.Context, attendeeID, actor int64, audit lanyard.AuditEntry) (b DeskBadge, picked bool, err error) {
	err = d.inTx(ctx, func(tx *sql.Tx) error {
		var eventID int64
		now := d.Now().UTC()
		err := d.queryRow(ctx, tx, "UPDATE attendees SET badge_picked_up_at = ? WHERE id = ? AND badge_picked_up_at IS NULL RETURNING event_id", now, attendeeID).Scan(&eventID)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			b, err = d.deskBadge(ctx, tx, attendeeID) // ENOTFOUND, or picked up already
			return err
		case err != nil:
			return fmt.Errorf("store: pick up badge %d: %w", attendeeID, err)
		}
		_, err = d.exec(ctx, tx, `INSERT INTO badge_desk (attendee_id, picked_up_by) VALUES (?, ?)
			ON CONFLICT (attendee_id) DO UPDATE SET picked_up_by = excluded.picked_up_by`, attendeeID, nullID(actor))
		if err != nil {
			return fmt.Errorf("store: pick up badge %d: %w", attendeeID, err)
		}
		audit.AttendeeID, audit.ActorID = attendeeID, actor
		if err := d.addAudit(ctx, tx, eventID, audit); err != nil {
			return err
		}
		picked = true
		b, err = d.deskBadge(ctx, tx, attendeeID)
		return err
	})
	return b, picked, err
}
