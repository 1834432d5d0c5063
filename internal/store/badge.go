package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// SavePhoto stores (or replaces) an attendee's processed badge photo.
// Returns ENOTFOUND for an unknown attendee.
func (d *DB) SavePhoto(ctx context.Context, p *lanyard.Photo) error {
	checks, err := json.Marshal(nonNil(p.Checks))
	if err != nil {
		return fmt.Errorf("store: save photo: %w", err)
	}
	p.UpdatedAt = d.Now().UTC()
	_, err = d.exec(ctx, d.db, `INSERT INTO photos (attendee_id, jpeg, format, width, height, checks, flagged, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (attendee_id) DO UPDATE SET jpeg = excluded.jpeg, format = excluded.format, width = excluded.width,
			height = excluded.height, checks = excluded.checks, flagged = excluded.flagged, updated_at = excluded.updated_at`,
		p.AttendeeID, p.JPEG, p.Format, p.Width, p.Height, string(checks), p.Flagged, p.UpdatedAt)
	if err != nil {
		if lanyard.ErrorCode(mapError(err, "photo")) == lanyard.EINVALID { // the attendee's foreign key
			return lanyard.Errorf(lanyard.ENOTFOUND, "No attendee %d.", p.AttendeeID)
		}
		return fmt.Errorf("store: save photo: %w", err)
	}
	return nil
}

// Photo returns an attendee's badge photo. Returns ENOTFOUND if there is none.
func (d *DB) Photo(ctx context.Context, attendeeID int64) (*lanyard.Photo, error) {
	p := &lanyard.Photo{AttendeeID: attendeeID}
	var checks string
	err := d.queryRow(ctx, d.db, "SELECT jpeg, format, width, height, checks, flagged, updated_at FROM photos WHERE attendee_id = ?", attendeeID).
		Scan(&p.JPEG, &p.Format, &p.Width, &p.Height, &checks, &p.Flagged, &p.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lanyard.Errorf(lanyard.ENOTFOUND, "No photo uploaded yet.")
	}
	if err != nil {
		return nil, fmt.Errorf("store: photo %d: %w", attendeeID, err)
	}
	p.UpdatedAt = p.UpdatedAt.UTC()
	if err := json.Unmarshal([]byte(checks), &p.Checks); err != nil {
		return nil, fmt.Errorf("store: photo %d checks: %w", attendeeID, err)
	}
	return p, nil
}

// PhotoStatus is an attendee whose badge photo needs the organizer's eye.
type PhotoStatus struct {
	AttendeeID int64                `json:"attendee_id"`
	Name       string               `json:"name"`
	Email      string               `json:"email"`
	Status     string               `json:"status"` // missing or flagged
	Checks     []lanyard.PhotoCheck `json:"checks,omitempty"`
}

// PhotoReport lists the event's attendees with no photo or a flagged one,
// by name.
func (d *DB) PhotoReport(ctx context.Context, eventID int64) ([]PhotoStatus, error) {
	rows, err := d.query(ctx, d.db, `SELECT a.id, a.name, a.email, p.flagged, p.checks
		FROM attendees a LEFT JOIN photos p ON p.attendee_id = a.id
		WHERE a.event_id = ? AND (p.attendee_id IS NULL OR p.flagged)
		ORDER BY a.name, a.id`, eventID)
	if err != nil {
		return nil, fmt.Errorf("store: photo report: %w", err)
	}
	defer rows.Close()
	out := []PhotoStatus{}
	for rows.Next() {
		var s PhotoStatus
		var flagged sql.NullBool
		var checks sql.NullString
		if err := rows.Scan(&s.AttendeeID, &s.Name, &s.Email, &flagged, &checks); err != nil {
			return nil, fmt.Errorf("store: photo report: %w", err)
		}
		s.Status = "missing"
		if flagged.Valid {
			s.Status = "flagged"
			if err := json.Unmarshal([]byte(checks.String), &s.Checks); err != nil {
				return nil, fmt.Errorf("store: photo report: %w", err)
			}
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// BadgeKeys returns the keys that verify badge tokens, newest first: the
// first signs. It creates the first key if there is none, so a fresh
// database can print badges at once.
func (d *DB) BadgeKeys(ctx context.Context) ([]lanyard.BadgeKey, error) {
	keys, err := d.badgeKeys(ctx)
	if err != nil || len(keys) > 0 {
		return keys, err
	}
	if _, err := d.RotateBadgeKey(ctx); err != nil {
		return nil, err
	}
	return d.badgeKeys(ctx)
}

func (d *DB) badgeKeys(ctx context.Context) ([]lanyard.BadgeKey, error) {
	rows, err := d.query(ctx, d.db, "SELECT id, secret, created_at FROM badge_keys WHERE retired_at IS NULL ORDER BY created_at DESC, id DESC")
	if err != nil {
		return nil, fmt.Errorf("store: badge keys: %w", err)
	}
	defer rows.Close()
	var out []lanyard.BadgeKey
	for rows.Next() {
		var k lanyard.BadgeKey
		var id int
		if err := rows.Scan(&id, &k.Secret, &k.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: badge keys: %w", err)
		}
		k.ID = uint8(id)
		out = append(out, k)
	}
	return out, rows.Err()
}

// RotateBadgeKey adds a new signing key; earlier keys still verify until
// retired. Two nodes rotating at once cannot take the same ID (the key is
// the primary key), so the loser retries with the next one.
func (d *DB) RotateBadgeKey(ctx context.Context) (lanyard.BadgeKey, error) {
	for attempt := 0; attempt < 5; attempt++ {
		var maxID sql.NullInt64
		if err := d.queryRow(ctx, d.db, "SELECT MAX(id) FROM badge_keys").Scan(&maxID); err != nil {
			return lanyard.BadgeKey{}, fmt.Errorf("store: rotate badge key: %w", err)
		}
		id := maxID.Int64 + 1
		if id > 255 {
			return lanyard.BadgeKey{}, lanyard.Errorf(lanyard.ECONFLICT, "All 255 badge key IDs are used.")
		}
		k := lanyard.BadgeKey{ID: uint8(id), Secret: make([]byte, 32), CreatedAt: d.Now().UTC()}
		rand.Read(k.Secret)
		_, err := d.exec(ctx, d.db, "INSERT INTO badge_keys (id, secret, created_at) VALUES (?, ?, ?)", id, k.Secret, k.CreatedAt)
		if err == nil {
			return k, nil
		}
		if lanyard.ErrorCode(mapError(err, "key")) != lanyard.ECONFLICT {
			return lanyard.BadgeKey{}, fmt.Errorf("store: rotate badge key: %w", err)
		}
	}
	return lanyard.BadgeKey{}, lanyard.Errorf(lanyard.EUNAVAILABLE, "Badge keys are being rotated elsewhere; try again.")
}

// BadgeState returns an attendee's badge version and pick-up time.
// Returns ENOTFOUND for an unknown attendee.
func (d *DB) BadgeState(ctx context.Context, attendeeID int64) (lanyard.BadgeState, error) {
	var s lanyard.BadgeState
	var at sql.NullTime
	err := d.queryRow(ctx, d.db, "SELECT badge_version, badge_picked_up_at FROM attendees WHERE id = ?", attendeeID).Scan(&s.Version, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return s, lanyard.Errorf(lanyard.ENOTFOUND, "No attendee %d.", attendeeID)
	}
	if err != nil {
		return s, fmt.Errorf("store: badge state %d: %w", attendeeID, err)
	}
	if at.Valid {
		t := at.Time.UTC()
		s.PickedUpAt = &t
	}
	return s, nil
}

// MarkPickedUp records that the attendee took their badge at the desk. A
// second call keeps the first time. Returns ENOTFOUND for an unknown attendee.
func (d *DB) MarkPickedUp(ctx context.Context, attendeeID int64) (lanyard.BadgeState, error) {
	_, err := d.exec(ctx, d.db, "UPDATE attendees SET badge_picked_up_at = ? WHERE id = ? AND badge_picked_up_at IS NULL", d.Now().UTC(), attendeeID)
	if err != nil {
		return lanyard.BadgeState{}, fmt.Errorf("store: pick up badge %d: %w", attendeeID, err)
	}
	return d.BadgeState(ctx, attendeeID)
}

// ReplaceBadge voids an attendee's badge (lost, or stolen) by bumping its
// version, so the old badge's code no longer verifies, and clears the
// pick-up for the new one. Returns ENOTFOUND for an unknown attendee.
func (d *DB) ReplaceBadge(ctx context.Context, attendeeID int64) (lanyard.BadgeState, error) {
	res, err := d.exec(ctx, d.db, "UPDATE attendees SET badge_version = badge_version + 1, badge_picked_up_at = NULL WHERE id = ?", attendeeID)
	if err != nil {
		return lanyard.BadgeState{}, fmt.Errorf("store: replace badge %d: %w", attendeeID, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return lanyard.BadgeState{}, lanyard.Errorf(lanyard.ENOTFOUND, "No attendee %d.", attendeeID)
	}
	return d.BadgeState(ctx, attendeeID)
}

// ListAttendees returns every attendee of the event, by ID.
func (d *DB) ListAttendees(ctx context.Context, eventID int64) ([]*lanyard.Attendee, error) {
	rows, err := d.query(ctx, d.db, attendeeSelect+" WHERE event_id = ? ORDER BY id", eventID)
	if err != nil {
		return nil, fmt.Errorf("store: list attendees: %w", err)
	}
	defer rows.Close()
	var out []*lanyard.Attendee
	for rows.Next() {
		a, err := scanAttendee(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list attendees: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
