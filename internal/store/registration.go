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

// Registration is one ticket read from the shop's export, checked by the
// importer (internal/registration).
type Registration struct {
	Row        int    // where it was in the file (CSV line; pretix position), for the report
	ExternalID string // the ticket's key in the shop; "" finds the attendee by email
	Name       string
	Email      string // normalised
	Company    string
	JobTitle   string
	HomeZone   string
	Role       lanyard.Role // "" keeps an existing attendee's, attendee for a new one
	Type       string       // the attendee type (ticket kind): "full", "speaker"
	Country    string
	// Canceled is a cancelled or expired ticket: its attendee's badge is voided.
	Canceled bool
}

// What an import did with one registration.
const (
	RegCreated   = "created"
	RegUpdated   = "updated"
	RegUnchanged = "unchanged"
	RegVoided    = "voided"
	RegSkipped   = "skipped"
	RegRefused   = "refused" // an error: the whole import is rolled back
)

// RegOutcome is what an import did with one registration, and why.
type RegOutcome struct {
	Row        int    `json:"row"`
	ExternalID string `json:"external_id,omitempty"`
	Email      string `json:"email"`
	Action     string `json:"action"`
	Reason     string `json:"reason,omitempty"`
	AttendeeID int64  `json:"attendee_id,omitempty"`
}

// Inviter makes the invitation of a newly created attendee: a set-password
// link (purpose LinkInvitation) and its message.
type Inviter func(a *lanyard.Attendee) (Link, error)

// ErrRolledBack is returned by ApplyRegistrations when it wrote nothing:
// a dry run, or a refused registration.
var ErrRolledBack = errors.New("store: registrations rolled back")

type regAttendee struct {
	id                                                   int64
	ext, email, name, company, job, zone, role, typ, cty string
	canceled                                             bool
}

// ApplyRegistrations creates, updates and voids the event's attendees from
// an import, in one transaction, and reports what it did with each
// registration, in order. A registration is found by its ExternalID, else
// by email (an attendee found by email without an ExternalID takes the
// registration's). Every created attendee is invited by invite, if not nil,
// in the same transaction. If any registration is refused, or dryRun is
// set, the transaction is rolled back and the error is ErrRolledBack: the
// outcomes then say what would have happened.
func (d *DB) ApplyRegistrations(ctx context.Context, eventID int64, regs []Registration, invite Inviter, dryRun bool) ([]RegOutcome, error) {
	out := make([]RegOutcome, 0, len(regs))
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		byExt, byEmail, err := d.regAttendees(ctx, tx, eventID)
		if err != nil {
			return err
		}
		reached, ids := map[int64]bool{}, make(map[int64]*regAttendee, len(byEmail))
		for _, a := range byEmail {
			ids[a.id] = a
		}
		if invite != nil {
			if reached, err = d.reachedAttendees(ctx, tx, eventID); err != nil {
				return err
			}
		}
		refused := false
		for _, r := range regs {
			o, err := d.applyRegistration(ctx, tx, eventID, r, byExt, byEmail, invite)
			if err != nil {
				return err
			}
			// An attendee imported earlier without an invitation, with no
			// account, gets one now; one with a pending invitation does not
			// get a second.
			if invite != nil && o.AttendeeID != 0 && !reached[o.AttendeeID] && (o.Action == RegUpdated || o.Action == RegUnchanged) && ids[o.AttendeeID] != nil && !ids[o.AttendeeID].canceled {
				if err := d.inviteExisting(ctx, tx, eventID, o.AttendeeID, invite); err != nil {
					return err
				}
				o.Reason = strings.TrimPrefix(o.Reason+"; invited", "; ")
			}
			if o.AttendeeID != 0 {
				reached[o.AttendeeID] = true
			}
			refused = refused || o.Action == RegRefused
			out = append(out, o)
		}
		if refused || dryRun {
			return ErrRolledBack
		}
		return nil
	})
	return out, err
}

// reachedAttendees returns the event's attendees who need no invitation:
// those with an account, and those with an unused, unexpired one.
func (d *DB) reachedAttendees(ctx context.Context, tx *sql.Tx, eventID int64) (map[int64]bool, error) {
	rows, err := d.query(ctx, tx, `SELECT c.attendee_id FROM accounts c JOIN attendees a ON a.id = c.attendee_id WHERE a.event_id = ?
		UNION SELECT p.attendee_id FROM password_resets p JOIN attendees a ON a.id = p.attendee_id
			WHERE a.event_id = ? AND p.purpose = 'invitation' AND p.used_at IS NULL AND p.expires_at > ?`, eventID, eventID, d.Now().UTC())
	if err != nil {
		return nil, fmt.Errorf("store: invited attendees: %w", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: invited attendees: %w", err)
		}
		out[id] = true
	}
	return out, rows.Err()
}

// inviteExisting invites an attendee already registered.
func (d *DB) inviteExisting(ctx context.Context, tx *sql.Tx, eventID, attendeeID int64, invite Inviter) error {
	la, err := scanAttendee(d.queryRow(ctx, tx, attendeeSelect+" WHERE id = ?", attendeeID))
	if err != nil {
		return fmt.Errorf("store: invite %d: %w", attendeeID, err)
	}
	l, err := invite(la)
	if err != nil {
		return err
	}
	l.Message.EventID = eventID
	return d.createLink(ctx, tx, attendeeID, LinkInvitation, l)
}

func (d *DB) regAttendees(ctx context.Context, tx *sql.Tx, eventID int64) (byExt, byEmail map[string]*regAttendee, err error) {
	rows, err := d.query(ctx, tx, `SELECT id, COALESCE(external_id, ''), email, name, company, job_title, home_zone, role, attendee_type, country,
		canceled_at IS NOT NULL FROM attendees WHERE event_id = ?`, eventID)
	if err != nil {
		return nil, nil, fmt.Errorf("store: registrations: %w", err)
	}
	defer rows.Close()
	byExt, byEmail = map[string]*regAttendee{}, map[string]*regAttendee{}
	for rows.Next() {
		a := &regAttendee{}
		if err := rows.Scan(&a.id, &a.ext, &a.email, &a.name, &a.company, &a.job, &a.zone, &a.role, &a.typ, &a.cty, &a.canceled); err != nil {
			return nil, nil, fmt.Errorf("store: registrations: %w", err)
		}
		if a.ext != "" {
			byExt[a.ext] = a
		}
		byEmail[a.email] = a
	}
	return byExt, byEmail, rows.Err()
}

func (d *DB) applyRegistration(ctx context.Context, tx *sql.Tx, eventID int64, r Registration, byExt, byEmail map[string]*regAttendee, invite Inviter) (RegOutcome, error) {
	o := RegOutcome{Row: r.Row, ExternalID: r.ExternalID, Email: r.Email}
	var a *regAttendee
	if r.ExternalID != "" {
		a = byExt[r.ExternalID]
	}
	if a == nil {
		a = byEmail[r.Email]
		if a != nil && a.ext != "" && r.ExternalID != "" && a.ext != r.ExternalID {
			o.Action, o.Reason = RegRefused, fmt.Sprintf("field email: %s already belongs to ticket %s", r.Email, a.ext)
			return o, nil
		}
	} else if other := byEmail[r.Email]; other != nil && other != a {
		o.Action, o.Reason = RegRefused, fmt.Sprintf("field email: %s already belongs to another attendee (%d)", r.Email, other.id)
		return o, nil
	}
	now := d.Now().UTC()
	if r.Canceled {
		switch {
		case a == nil:
			o.Action, o.Reason = RegSkipped, "ticket cancelled and never imported"
		case a.canceled:
			o.Action, o.Reason, o.AttendeeID = RegUnchanged, "already cancelled", a.id
		default:
			// As a replaced badge: the old version no longer verifies.
			if _, err := d.exec(ctx, tx, `UPDATE attendees SET badge_version = badge_version + 1, badge_picked_up_at = NULL, canceled_at = ?
				WHERE id = ?`, now, a.id); err != nil {
				return o, fmt.Errorf("store: void badge of %d: %w", a.id, err)
			}
			a.canceled = true
			o.Action, o.Reason, o.AttendeeID = RegVoided, "ticket cancelled: badge voided", a.id
		}
		return o, nil
	}
	if a == nil {
		return d.createRegistration(ctx, tx, eventID, r, byExt, byEmail, invite, o)
	}
	o.AttendeeID = a.id
	role := string(r.Role)
	if role == "" {
		role = a.role
	}
	var changed []string
	for _, f := range []struct {
		name     string
		old, new string
	}{{"external_id", a.ext, r.ExternalID}, {"email", a.email, r.Email}, {"name", a.name, r.Name}, {"company", a.company, r.Company},
		{"job_title", a.job, r.JobTitle}, {"home_zone", a.zone, r.HomeZone}, {"role", a.role, role}, {"type", a.typ, r.Type}, {"country", a.cty, r.Country}} {
		if f.old != f.new && !(f.name == "external_id" && f.new == "") && !(f.name == "home_zone" && f.new == "") {
			changed = append(changed, f.name)
		}
	}
	if a.canceled {
		changed = append(changed, "ticket valid again")
	}
	if len(changed) == 0 {
		o.Action = RegUnchanged
		return o, nil
	}
	if r.ExternalID == "" {
		r.ExternalID = a.ext
	}
	if r.HomeZone == "" {
		r.HomeZone = a.zone
	}
	_, err := d.exec(ctx, tx, `UPDATE attendees SET external_id = ?, email = ?, name = ?, company = ?, job_title = ?, home_zone = ?, role = ?,
		attendee_type = ?, country = ?, canceled_at = NULL WHERE id = ?`,
		nullString(r.ExternalID), r.Email, r.Name, r.Company, r.JobTitle, r.HomeZone, role, r.Type, r.Country, a.id)
	if err != nil {
		return o, fmt.Errorf("store: update attendee %d: %w", a.id, err)
	}
	delete(byEmail, a.email)
	a.ext, a.email, a.name, a.company, a.job, a.zone, a.role, a.typ, a.cty, a.canceled = r.ExternalID, r.Email, r.Name, r.Company, r.JobTitle, r.HomeZone, role, r.Type, r.Country, false
	byEmail[a.email] = a
	if a.ext != "" {
		byExt[a.ext] = a
	}
	o.Action, o.Reason = RegUpdated, "changed: "+strings.Join(changed, ", ")
	return o, nil
}

func (d *DB) createRegistration(ctx context.Context, tx *sql.Tx, eventID int64, r Registration, byExt, byEmail map[string]*regAttendee, invite Inviter, o RegOutcome) (RegOutcome, error) {
	role := r.Role
	if role == "" {
		role = lanyard.RoleAttendee
	}
	now := d.Now().UTC()
	la := &lanyard.Attendee{EventID: eventID, Name: r.Name, Email: r.Email, Company: r.Company, JobTitle: r.JobTitle, HomeZone: r.HomeZone, Role: role, CreatedAt: now}
	if err := la.Validate(); err != nil {
		o.Action, o.Reason = RegRefused, fmt.Sprintf("field %s: %s", lanyard.ErrorField(err), lanyard.ErrorMessage(err))
		return o, nil
	}
	err := d.queryRow(ctx, tx, `INSERT INTO attendees (event_id, name, email, company, job_title, home_zone, certifications, role, created_at,
			external_id, attendee_type, country)
		VALUES (?, ?, ?, ?, ?, ?, '[]', ?, ?, ?, ?, ?) RETURNING id`,
		eventID, r.Name, r.Email, r.Company, r.JobTitle, r.HomeZone, string(role), now, nullString(r.ExternalID), r.Type, r.Country).Scan(&la.ID)
	if err != nil {
		return o, fmt.Errorf("store: create attendee %s: %w", r.Email, err)
	}
	a := &regAttendee{id: la.ID, ext: r.ExternalID, email: r.Email, name: r.Name, company: r.Company, job: r.JobTitle, zone: r.HomeZone, role: string(role), typ: r.Type, cty: r.Country}
	byEmail[a.email] = a
	if a.ext != "" {
		byExt[a.ext] = a
	}
	if err := d.attendeeHooks(ctx, tx, la); err != nil {
		return o, err
	}
	o.Action, o.AttendeeID = RegCreated, la.ID
	if invite != nil {
		l, err := invite(la)
		if err != nil {
			return o, err
		}
		l.Message.EventID = eventID
		if err := d.createLink(ctx, tx, la.ID, LinkInvitation, l); err != nil {
			return o, err
		}
		o.Reason = "invited"
	}
	return o, nil
}

// AttendeeRegistration returns what an import keeps about an attendee
// beyond lanyard.Attendee: the ticket's key, type and country, and whether
// the ticket was cancelled. Returns ENOTFOUND for an unknown attendee.
func (d *DB) AttendeeRegistration(ctx context.Context, attendeeID int64) (Registration, error) {
	var r Registration
	var canceled sql.Null[time.Time]
	var role string
	err := d.queryRow(ctx, d.db, `SELECT COALESCE(external_id, ''), email, name, company, job_title, home_zone, role, attendee_type, country, canceled_at
		FROM attendees WHERE id = ?`, attendeeID).Scan(&r.ExternalID, &r.Email, &r.Name, &r.Company, &r.JobTitle, &r.HomeZone, &role, &r.Type, &r.Country, &canceled)
	if errors.Is(err, sql.ErrNoRows) {
		return r, lanyard.Errorf(lanyard.ENOTFOUND, "No attendee %d.", attendeeID)
	}
	if err != nil {
		return r, fmt.Errorf("store: attendee registration %d: %w", attendeeID, err)
	}
	r.Role, r.Canceled = lanyard.Role(role), canceled.Valid
	return r, nil
}
