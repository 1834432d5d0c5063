package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// ExhibitorRemoval is what removing an exhibitor took away, for the
// organizer's confirmation and the audit log.
type ExhibitorRemoval struct {
	Leads     int // lead rows deleted (their answers with them)
	Staff     int // accounts that lost the exhibitor role
	Favorites int // attendees' favorites of its booth and booth events
	// Parties it hosts that are not cancelled (the preview's only): they
	// stay with their guests, run by the organizers from then on, who see
	// them listed before they confirm.
	Parties []HostedParty
}

// HostedParty names a party on the removal's confirmation page.
type HostedParty struct {
	Code, Title string
	Going       int
}

// ExhibitorRemovalPreview counts what ExhibitorRemove would take away, for
// the confirmation page. Returns ENOTFOUND for no such (or a removed)
// exhibitor.
func (d *DB) ExhibitorRemovalPreview(ctx context.Context, eventID, id int64) (ExhibitorRemoval, error) {
	var out ExhibitorRemoval
	err := d.queryRow(ctx, d.db, `SELECT
		(SELECT COUNT(*) FROM leads WHERE exhibitor_id = x.id),
		(SELECT COUNT(*) FROM exhibitor_staff WHERE exhibitor_id = x.id),
		(SELECT COUNT(*) FROM booth_favorites WHERE exhibitor_id = x.id) +
		(SELECT COUNT(*) FROM booth_event_favorites f JOIN booth_events e ON e.id = f.booth_event_id WHERE e.exhibitor_id = x.id)
		FROM exhibitors x WHERE x.id = ? AND x.event_id = ? AND x.removed_at IS NULL`, id, eventID).Scan(&out.Leads, &out.Staff, &out.Favorites)
	if errors.Is(err, sql.ErrNoRows) {
		return out, lanyard.Errorf(lanyard.ENOTFOUND, "No exhibitor %d.", id)
	}
	if err != nil {
		return out, fmt.Errorf("store: exhibitor %d removal preview: %w", id, err)
	}
	err = d.scanIn(ctx, d.db, `SELECT code, title, going FROM parties WHERE event_id = ? AND exhibitor_id = ? AND cancelled_at IS NULL
		ORDER BY starts_at, code`, []any{eventID, id}, func(rows *sql.Rows) error {
		var p HostedParty
		err := rows.Scan(&p.Code, &p.Title, &p.Going)
		out.Parties = append(out.Parties, p)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("store: exhibitor %d parties: %w", id, err)
	}
	return out, nil
}

// ExhibitorRemove removes an exhibitor from the event (migration 00232),
// in one transaction: it leaves the directory, the map and every reader
// that names live exhibitors (removed_at); its leads are deleted — the
// consent promise of /privacy: what a booth scan shared goes when the
// exhibitor does — each as a withdrawal: lead.withdrawn to its webhook,
// the earlier deliveries' bodies blanked and the pending ones not sent;
// its staff lose the
// exhibitor role (back to attendee) and their link to it; attendees'
// favorites of its booth and booth events go, so their route and agenda
// drop it. Its code is freed for a new exhibitor. The row stays for the
// swag ledger, parties and the audit log. Returns ENOTFOUND for no such
// (or an already removed) exhibitor.
func (d *DB) ExhibitorRemove(ctx context.Context, eventID, id int64, audit lanyard.AuditEntry) (ExhibitorRemoval, error) {
	now := d.Now().UTC()
	var out ExhibitorRemoval
	count := func(res sql.Result) int {
		n, _ := res.RowsAffected()
		return int(n)
	}
	err := d.inWriteTx(ctx, func(tx *sql.Tx) error {
		q := `SELECT code FROM exhibitors WHERE id = ? AND event_id = ? AND removed_at IS NULL`
		if d.dialect == Postgres {
			q += ` FOR UPDATE` // a second remove, or a staff add, waits for this one
		}
		var code string
		if err := d.queryRow(ctx, tx, q, id, eventID).Scan(&code); errors.Is(err, sql.ErrNoRows) {
			return lanyard.Errorf(lanyard.ENOTFOUND, "No exhibitor %d.", id)
		} else if err != nil {
			return err
		}
		// Leads, as a withdrawal of each (LeadWithdraw): the exhibitor's
		// endpoint is told lead.withdrawn, so its systems drop them too;
		// the earlier deliveries' bodies are blanked and the pending ones
		// not sent; then the rows go.
		leads, err := d.scanIDs(ctx, tx, `SELECT id FROM leads WHERE exhibitor_id = ? AND event_id = ? ORDER BY id`, id, eventID)
		if err != nil {
			return err
		}
		for _, l := range leads {
			if err := d.leadHook(ctx, tx, eventID, id, l, lanyard.EventLeadWithdrawn, now); err != nil {
				return fmt.Errorf("lead %d withdrawn hook: %w", l, err)
			}
		}
		if _, err := d.exec(ctx, tx, `UPDATE webhook_deliveries SET payload = '{}',
				state = CASE WHEN state = 'pending' THEN 'failed' ELSE state END,
				last_error = CASE WHEN state = 'pending' THEN 'exhibitor removed' ELSE last_error END,
				next_attempt_at = CASE WHEN state = 'pending' THEN NULL ELSE next_attempt_at END
			WHERE endpoint_id IN (SELECT endpoint_id FROM lead_hooks WHERE exhibitor_id = ?) AND msg_id LIKE 'msg\_lead\_%' ESCAPE '\'
				AND msg_id NOT LIKE '%\_withdrawn' ESCAPE '\'`, id); err != nil {
			return fmt.Errorf("blank lead deliveries: %w", err)
		}
		res, err := d.exec(ctx, tx, `DELETE FROM leads WHERE exhibitor_id = ? AND event_id = ?`, id, eventID)
		if err != nil {
			return fmt.Errorf("delete leads: %w", err)
		}
		out.Leads = count(res)
		// Staff: back to attendees (only those whose role is still
		// exhibitor: an organizer's account keeps its role).
		staff, err := d.scanIDs(ctx, tx, `SELECT attendee_id FROM exhibitor_staff WHERE exhibitor_id = ? ORDER BY attendee_id`, id)
		if err != nil {
			return err
		}
		for _, a := range staff {
			res, err := d.exec(ctx, tx, `UPDATE attendees SET role = 'attendee' WHERE id = ? AND role = 'exhibitor'`, a)
			if err != nil {
				return fmt.Errorf("role of staff %d: %w", a, err)
			}
			if count(res) == 1 {
				out.Staff++
				if err := d.addAudit(ctx, tx, eventID, lanyard.AuditEntry{At: now, ActorID: audit.ActorID, Action: "role", AttendeeID: a,
					Detail: "exhibitor → attendee (" + code + " removed)"}); err != nil {
					return err
				}
			}
		}
		if _, err := d.exec(ctx, tx, `DELETE FROM exhibitor_staff WHERE exhibitor_id = ?`, id); err != nil {
			return err
		}
		// Attendees' favorites: their route and agenda drop the booth.
		if res, err = d.exec(ctx, tx, `DELETE FROM booth_favorites WHERE exhibitor_id = ?`, id); err != nil {
			return err
		}
		out.Favorites = count(res)
		if res, err = d.exec(ctx, tx, `DELETE FROM booth_event_favorites WHERE booth_event_id IN (SELECT id FROM booth_events WHERE exhibitor_id = ?)`, id); err != nil {
			return err
		}
		out.Favorites += count(res)
		if _, err := d.exec(ctx, tx, `DELETE FROM expo_booths WHERE exhibitor_id = ?`, id); err != nil {
			return err
		}
		// The code goes free (UNIQUE (event_id, code)); "~" is not a
		// character a code may hold, so no new one meets it.
		if _, err := d.exec(ctx, tx, `UPDATE exhibitors SET removed_at = ?, code = code || '~' || ? WHERE id = ?`, now, strconv.FormatInt(id, 10), id); err != nil {
			return err
		}
		audit.At = now
		audit.Detail = fmt.Sprintf("%s: %d leads deleted, %d staff back to attendee, %d favorites", code, out.Leads, out.Staff, out.Favorites)
		return d.addAudit(ctx, tx, eventID, audit)
	})
	if err != nil {
		return out, fmt.Errorf("store: remove exhibitor %d: %w", id, err)
	}
	d.hooks.invalidate(eventID)
	return out, nil
}

// scanIDs reads one integer column in tx.
func (d *DB) scanIDs(ctx context.Context, tx *sql.Tx, q string, args ...any) ([]int64, error) {
	var out []int64
	err := d.scanTx(ctx, tx, q, args, func(r *sql.Rows) error {
		var id int64
		err := r.Scan(&id)
		out = append(out, id)
		return err
	})
	return out, err
}
