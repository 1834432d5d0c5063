package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

var attendeeCols = []string{"event_id", "name", "email", "company", "job_title", "home_zone", "certifications", "role", "created_at"}

const attendeeSelect = "SELECT id, event_id, name, email, company, job_title, home_zone, certifications, role, created_at, canceled_at IS NOT NULL FROM attendees"

// scanAttendee reads attendeeSelect's columns, after the columns of
// before, if a query selects some first.
func scanAttendee(row interface{ Scan(...any) error }, before ...any) (*lanyard.Attendee, error) {
	var a lanyard.Attendee
	var certs, role string
	dest := append(before, &a.ID, &a.EventID, &a.Name, &a.Email, &a.Company, &a.JobTitle, &a.HomeZone, &certs, &role, &a.CreatedAt, &a.Canceled)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	a.Role = lanyard.Role(role)
	a.CreatedAt = a.CreatedAt.UTC()
	if err := json.Unmarshal([]byte(certs), &a.Certifications); err != nil {
		return nil, fmt.Errorf("attendee %d certifications: %w", a.ID, err)
	}
	return &a, nil
}

// CreateAttendees registers people for an event in one transaction and sets
// their IDs and creation times. Emails are normalised first.
// Returns EINVALID for a person who fails validation and ECONFLICT if an
// email is already registered; then none of them is created.
func (d *DB) CreateAttendees(ctx context.Context, eventID int64, as []*lanyard.Attendee) error {
	now := d.Now().UTC()
	for _, a := range as {
		a.Email = lanyard.NormalizeEmail(a.Email)
		a.EventID, a.CreatedAt = eventID, now
		if a.Role == "" {
			a.Role = lanyard.RoleAttendee
		}
		if err := a.Validate(); err != nil {
			return err
		}
	}
	return d.inTx(ctx, func(tx *sql.Tx) error {
		err := d.insertRows(ctx, tx, "attendees", attendeeCols, "", len(as), func(i int) []any {
			a := as[i]
			certs, _ := json.Marshal(nonNil(a.Certifications))
			return []any{eventID, a.Name, a.Email, a.Company, a.JobTitle, a.HomeZone, string(certs), string(a.Role), now}
		})
		if err != nil {
			return mapError(err, "An attendee with that email")
		}
		// Multi-row inserts return no IDs portably; read them back by email.
		ids, err := d.attendeeIDs(ctx, tx, eventID)
		if err != nil {
			return err
		}
		for _, a := range as {
			a.ID = ids[a.Email]
			if err := d.attendeeHooks(ctx, tx, a); err != nil {
				return err
			}
		}
		return nil
	})
}

func (d *DB) attendeeIDs(ctx context.Context, q querier, eventID int64) (map[string]int64, error) {
	rows, err := d.query(ctx, q, "SELECT id, email FROM attendees WHERE event_id = ?", eventID)
	if err != nil {
		return nil, fmt.Errorf("store: attendee ids: %w", err)
	}
	defer rows.Close()
	ids := map[string]int64{}
	for rows.Next() {
		var id int64
		var email string
		if err := rows.Scan(&id, &email); err != nil {
			return nil, fmt.Errorf("store: attendee ids: %w", err)
		}
		ids[email] = id
	}
	return ids, rows.Err()
}

// FindAttendeeByID returns one attendee. Returns ENOTFOUND if there is none.
func (d *DB) FindAttendeeByID(ctx context.Context, id int64) (*lanyard.Attendee, error) {
	a, err := scanAttendee(d.queryRow(ctx, d.db, attendeeSelect+" WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lanyard.Errorf(lanyard.ENOTFOUND, "No attendee %d.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("store: find attendee %d: %w", id, err)
	}
	return a, nil
}

// FindAttendeeByEmail returns the event's attendee with that email (compared
// normalised). Returns ENOTFOUND if there is none.
func (d *DB) FindAttendeeByEmail(ctx context.Context, eventID int64, email string) (*lanyard.Attendee, error) {
	email = lanyard.NormalizeEmail(email)
	a, err := scanAttendee(d.queryRow(ctx, d.db, attendeeSelect+" WHERE event_id = ? AND email = ?", eventID, email))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lanyard.Errorf(lanyard.ENOTFOUND, "No attendee with email %s.", email)
	}
	if err != nil {
		return nil, fmt.Errorf("store: find attendee %s: %w", email, err)
	}
	return a, nil
}

// CountAttendees returns how many people are registered for the event.
func (d *DB) CountAttendees(ctx context.Context, eventID int64) (int, error) {
	var n int
	if err := d.queryRow(ctx, d.db, "SELECT COUNT(*) FROM attendees WHERE event_id = ?", eventID).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count attendees: %w", err)
	}
	return n, nil
}
