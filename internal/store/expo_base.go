package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// The expo's base (migration 00150): exhibitors and their staff, each
// attendee's sharing consent, and the organizer's cap on what exhibitors
// see. Leads, contacts and the expo pages build on these.

// splitList reads a comma-separated column; "" is no items.
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func scanExhibitor(r interface{ Scan(...any) error }) (lanyard.Exhibitor, error) {
	var x lanyard.Exhibitor
	var cats string
	err := r.Scan(&x.ID, &x.Code, &x.Name, &x.Booth, &x.Description, &cats, &x.Website)
	x.Categories = splitList(cats)
	return x, err
}

const exhibitorCols = `id, code, name, booth, description, categories, website`

// PutExhibitor creates the exhibitor (x.ID 0) or updates it by ID, and
// returns it as stored. A code already taken is ECONFLICT.
func (d *DB) PutExhibitor(ctx context.Context, eventID int64, x lanyard.Exhibitor) (lanyard.Exhibitor, error) {
	cats := strings.Join(x.Categories, ",")
	var err error
	if x.ID == 0 {
		err = d.queryRow(ctx, d.db, `INSERT INTO exhibitors (event_id, code, name, booth, description, categories, website, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, eventID, x.Code, x.Name, x.Booth, x.Description, cats, x.Website, d.Now().UTC()).Scan(&x.ID)
	} else {
		var res sql.Result
		res, err = d.exec(ctx, d.db, `UPDATE exhibitors SET code = ?, name = ?, booth = ?, description = ?, categories = ?, website = ?
			WHERE id = ? AND event_id = ? AND removed_at IS NULL`, x.Code, x.Name, x.Booth, x.Description, cats, x.Website, x.ID, eventID)
		if err == nil {
			if n, _ := res.RowsAffected(); n == 0 {
				err = lanyard.Errorf(lanyard.ENOTFOUND, "No exhibitor %d.", x.ID)
			}
		}
	}
	err = mapError(err, fmt.Sprintf("An exhibitor with the code %q", x.Code))
	if err != nil {
		return lanyard.Exhibitor{}, fmt.Errorf("store: put exhibitor %q: %w", x.Code, err)
	}
	return x, nil
}

// Exhibitor returns the event's exhibitor by ID, or ENOTFOUND.
func (d *DB) Exhibitor(ctx context.Context, eventID, id int64) (lanyard.Exhibitor, error) {
	x, err := scanExhibitor(d.queryRow(ctx, d.db, `SELECT `+exhibitorCols+` FROM exhibitors WHERE id = ? AND event_id = ? AND removed_at IS NULL`, id, eventID))
	if errors.Is(err, sql.ErrNoRows) {
		err = lanyard.Errorf(lanyard.ENOTFOUND, "No exhibitor %d.", id)
	}
	if err != nil {
		return x, fmt.Errorf("store: exhibitor %d: %w", id, err)
	}
	return x, nil
}

// Exhibitors lists the event's exhibitors by name.
func (d *DB) Exhibitors(ctx context.Context, eventID int64) ([]lanyard.Exhibitor, error) {
	var out []lanyard.Exhibitor
	err := d.scanAll(ctx, `SELECT `+exhibitorCols+` FROM exhibitors WHERE event_id = ? AND removed_at IS NULL ORDER BY name, id`, []any{eventID}, func(r *sql.Rows) error {
		x, err := scanExhibitor(r)
		out = append(out, x)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: exhibitors: %w", err)
	}
	return out, nil
}

// SetExhibitorStaff makes attendee one of the exhibitor's staff (moving
// them from another exhibitor if they were). The caller gives the
// attendee the exhibitor role.
func (d *DB) SetExhibitorStaff(ctx context.Context, exhibitorID, attendeeID int64) error {
	_, err := d.exec(ctx, d.db, `INSERT INTO exhibitor_staff (attendee_id, exhibitor_id) VALUES (?, ?)
		ON CONFLICT (attendee_id) DO UPDATE SET exhibitor_id = excluded.exhibitor_id`, attendeeID, exhibitorID)
	if err != nil {
		return fmt.Errorf("store: staff exhibitor %d: %w", exhibitorID, err)
	}
	return nil
}

// ExhibitorOf returns the exhibitor attendee staffs, or ENOTFOUND. Every
// exhibitor page and action asks it: the role alone names no company.
func (d *DB) ExhibitorOf(ctx context.Context, eventID, attendeeID int64) (lanyard.Exhibitor, error) {
	x, err := scanExhibitor(d.queryRow(ctx, d.db, `SELECT x.id, x.code, x.name, x.booth, x.description, x.categories, x.website
		FROM exhibitor_staff s JOIN exhibitors x ON x.id = s.exhibitor_id WHERE s.attendee_id = ? AND x.event_id = ? AND x.removed_at IS NULL`, attendeeID, eventID))
	if errors.Is(err, sql.ErrNoRows) {
		err = lanyard.Errorf(lanyard.ENOTFOUND, "This account staffs no exhibitor.")
	}
	if err != nil {
		return x, fmt.Errorf("store: exhibitor of %d: %w", attendeeID, err)
	}
	return x, nil
}

// Sharing returns the attendee's consent, or the defaults if they never chose.
func (d *DB) Sharing(ctx context.Context, attendeeID int64) (lanyard.Sharing, error) {
	s := lanyard.Sharing{AttendeeID: attendeeID}
	var fields string
	err := d.queryRow(ctx, d.db, `SELECT fields, phone, linkedin, exchange, meet_opt_in FROM attendee_sharing WHERE attendee_id = ?`, attendeeID).
		Scan(&fields, &s.Phone, &s.LinkedIn, &s.Exchange, &s.MeetOptIn)
	if errors.Is(err, sql.ErrNoRows) {
		return lanyard.DefaultSharing(attendeeID), nil
	}
	if err != nil {
		return s, fmt.Errorf("store: sharing of %d: %w", attendeeID, err)
	}
	s.Fields = splitList(fields)
	return s, nil
}

// PutSharing stores the attendee's consent; s must be valid
// (Sharing.Validate). What exhibitors already hold is limited by it when
// they read (leads are read through the consent, never copied past it).
func (d *DB) PutSharing(ctx context.Context, s lanyard.Sharing) error {
	_, err := d.exec(ctx, d.db, `INSERT INTO attendee_sharing (attendee_id, fields, phone, linkedin, exchange, meet_opt_in, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (attendee_id) DO UPDATE SET fields = excluded.fields, phone = excluded.phone, linkedin = excluded.linkedin,
			exchange = excluded.exchange, meet_opt_in = excluded.meet_opt_in, updated_at = excluded.updated_at`,
		s.AttendeeID, strings.Join(s.Fields, ","), s.Phone, s.LinkedIn, s.Exchange, s.MeetOptIn, d.Now().UTC())
	if err != nil {
		return fmt.Errorf("store: put sharing of %d: %w", s.AttendeeID, err)
	}
	return nil
}

// ExhibitorFields returns the organizer's cap: the card fields exhibitors
// may ever see (default company and title).
func (d *DB) ExhibitorFields(ctx context.Context, eventID int64) ([]string, error) {
	var fields string
	err := d.queryRow(ctx, d.db, `SELECT exhibitor_fields FROM expo_settings WHERE event_id = ?`, eventID).Scan(&fields)
	if errors.Is(err, sql.ErrNoRows) {
		return append([]string(nil), lanyard.DefaultShared...), nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: exhibitor fields: %w", err)
	}
	return splitList(fields), nil
}

// PutExhibitorFields sets the organizer's cap (a subset of lanyard.CardFields).
func (d *DB) PutExhibitorFields(ctx context.Context, eventID int64, fields []string) error {
	_, err := d.exec(ctx, d.db, `INSERT INTO expo_settings (event_id, exhibitor_fields) VALUES (?, ?)
		ON CONFLICT (event_id) DO UPDATE SET exhibitor_fields = excluded.exhibitor_fields`, eventID, strings.Join(fields, ","))
	if err != nil {
		return fmt.Errorf("store: put exhibitor fields: %w", err)
	}
	return nil
}
