package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
)

// Swag (issue 14): exhibitors' limited items and booth events, and the
// booth passport. The engine writes items and claims in its batches
// (CommitBatch); the pages read them here on any node. The passport's
// stamps and prizes are rows written here directly: their primary keys
// make a stamp count once and the prize go once.

const swagItemCols = "id, exhibitor_id, kind, name, stock, starts_at, retired"

func scanSwagItem(r interface{ Scan(...any) error }, it *lanyard.SwagItem, extra ...any) error {
	var starts sql.NullTime
	var kind string
	if err := r.Scan(append([]any{&it.ID, &it.ExhibitorID, &kind, &it.Name, &it.Stock, &starts, &it.Retired}, extra...)...); err != nil {
		return err
	}
	it.Kind = lanyard.SwagKind(kind)
	if starts.Valid {
		it.Starts = starts.Time.UTC()
	}
	return nil
}

// loadSwag adds the swag items and claims to a snapshot.
func (d *DB) loadSwag(ctx context.Context, eventID int64, snap *reserve.Snapshot) error {
	if err := d.scanAll(ctx, "SELECT "+swagItemCols+", claimed FROM swag_items WHERE event_id = ? ORDER BY id", []any{eventID}, func(r *sql.Rows) error {
		var s reserve.SwagSnap
		err := scanSwagItem(r, &s.Item, &s.Claimed)
		snap.SwagItems = append(snap.SwagItems, s)
		return err
	}); err != nil {
		return fmt.Errorf("store: load swag items: %w", err)
	}
	if err := d.scanAll(ctx, "SELECT seq, item_id, attendee_id, COALESCE(staff_id, 0) FROM swag_claims WHERE event_id = ?", []any{eventID}, func(r *sql.Rows) error {
		var c reserve.SwagClaimRow
		err := r.Scan(&c.Seq, &c.ItemID, &c.AttendeeID, &c.StaffID)
		snap.SwagClaims = append(snap.SwagClaims, c)
		return err
	}); err != nil {
		return fmt.Errorf("store: load swag claims: %w", err)
	}
	return nil
}

const (
	swagItemUpsert = `INSERT INTO swag_items (event_id, id, exhibitor_id, kind, name, stock, starts_at, retired) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (event_id, id) DO UPDATE SET kind = excluded.kind, name = excluded.name, stock = excluded.stock, starts_at = excluded.starts_at,
		retired = excluded.retired`
	// swagClaimedUpdate is the second line: claimed moves by the claims
	// inserted, and a rise past the stock touches no row (the CHECK
	// refuses it too).
	swagClaimedUpdate = `UPDATE swag_items SET claimed = claimed + ? WHERE event_id = ? AND id = ? AND claimed + ? <= stock`
)

// commitSwag writes a batch's swag rows on SQLite, in its transaction:
// items first (claims name them, and a stock raised in the batch holds
// its claims), then the claims, then the counts.
func (d *DB) commitSwag(ctx context.Context, tx *sql.Tx, b *reserve.Batch, at time.Time) error {
	for _, it := range b.SwagItems {
		if _, err := d.exec(ctx, tx, swagItemUpsert, b.EventID, it.ID, it.ExhibitorID, string(it.Kind), it.Name, it.Stock, nullTime(it.Starts), it.Retired); err != nil {
			return fmt.Errorf("store: save swag item %d: %w", it.ID, mapError(err, "The swag item"))
		}
	}
	if err := d.insertRows(ctx, tx, "swag_claims", []string{"event_id", "item_id", "attendee_id", "seq", "staff_id", "batch_id", "at"}, "", len(b.SwagClaims), func(i int) []any {
		c := b.SwagClaims[i]
		return []any{b.EventID, c.ItemID, c.AttendeeID, c.Seq, nullInt(c.StaffID), b.ID, at}
	}); err != nil {
		return mapError(err, "That claim")
	}
	for _, c := range b.SwagClaimed {
		res, err := d.exec(ctx, tx, swagClaimedUpdate, c.Delta, b.EventID, c.ItemID, c.Delta)
		if err != nil {
			return fmt.Errorf("store: swag count: %w", mapError(err, "The swag count"))
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("store: swag item %d: claimed %+d refused (past the stock): the ledger and the store disagree", c.ItemID, c.Delta)
		}
	}
	return nil
}

// queueSwag queues a batch's swag rows in the PostgreSQL pipeline, in
// commitSwag's order.
func queueSwag(queue func(what string, rows int64, sql string, args ...any), b *reserve.Batch, at time.Time) {
	for _, it := range b.SwagItems {
		queue("swag item", 1, rebindPostgres(swagItemUpsert), b.EventID, it.ID, it.ExhibitorID, string(it.Kind), it.Name, it.Stock, nullTime(it.Starts), it.Retired)
	}
	if n := len(b.SwagClaims); n > 0 {
		item, who, seq, staff := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
		for i, c := range b.SwagClaims {
			item[i], who[i], seq[i], staff[i] = c.ItemID, c.AttendeeID, c.Seq, c.StaffID
		}
		queue("swag claims", int64(n), `INSERT INTO swag_claims (event_id, item_id, attendee_id, seq, staff_id, batch_id, at)
			SELECT $1, i, a, q, NULLIF(s, 0), $6, $7 FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[]) AS t(i, a, q, s)`,
			b.EventID, item, who, seq, staff, b.ID, at)
	}
	if n := len(b.SwagClaimed); n > 0 {
		item, delta := make([]int64, n), make([]int32, n)
		for i, c := range b.SwagClaimed {
			item[i], delta[i] = c.ItemID, int32(c.Delta)
		}
		// The second line: a rise past the stock touches no row.
		queue("swag counts (past the stock?)", int64(n), `UPDATE swag_items SET claimed = swag_items.claimed + v.d
			FROM unnest($2::bigint[], $3::int[]) AS v(id, d)
			WHERE swag_items.event_id = $1 AND swag_items.id = v.id AND swag_items.claimed + v.d <= swag_items.stock`, b.EventID, item, delta)
	}
}

// SwagItemsOf returns an exhibitor's items (0: every item of the event)
// with their committed counts, by ID: what pages show on any node.
func (d *DB) SwagItemsOf(ctx context.Context, eventID, exhibitorID int64) ([]lanyard.SwagView, error) {
	out := []lanyard.SwagView{}
	err := d.scanAll(ctx, "SELECT "+swagItemCols+", claimed FROM swag_items WHERE event_id = ? AND (exhibitor_id = ? OR ? = 0) ORDER BY id",
		[]any{eventID, exhibitorID, exhibitorID}, func(r *sql.Rows) error {
			var v lanyard.SwagView
			var claimed int
			err := scanSwagItem(r, &v.SwagItem, &claimed)
			v = lanyard.ViewOf(v.SwagItem, claimed)
			out = append(out, v)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("store: swag items: %w", err)
	}
	return out, nil
}

// SwagItem returns one item with its count, or ENOTFOUND.
func (d *DB) SwagItem(ctx context.Context, eventID, itemID int64) (lanyard.SwagView, error) {
	var v lanyard.SwagView
	var claimed int
	err := scanSwagItem(d.queryRow(ctx, d.db, "SELECT "+swagItemCols+", claimed FROM swag_items WHERE event_id = ? AND id = ?", eventID, itemID), &v.SwagItem, &claimed)
	if errors.Is(err, sql.ErrNoRows) {
		return v, lanyard.Errorf(lanyard.ENOTFOUND, "No swag item %d.", itemID)
	}
	if err != nil {
		return v, fmt.Errorf("store: swag item %d: %w", itemID, err)
	}
	v = lanyard.ViewOf(v.SwagItem, claimed)
	return v, nil
}

// SwagClaimedBy returns the items of an exhibitor (0: any) attendee has
// claimed, by ID.
func (d *DB) SwagClaimedBy(ctx context.Context, eventID, attendeeID, exhibitorID int64) ([]int64, error) {
	var out []int64
	err := d.scanAll(ctx, `SELECT c.item_id FROM swag_items i JOIN swag_claims c ON c.event_id = i.event_id AND c.item_id = i.id
		WHERE i.event_id = ? AND (i.exhibitor_id = ? OR ? = 0) AND c.attendee_id = ? ORDER BY c.item_id`,
		[]any{eventID, exhibitorID, exhibitorID, attendeeID}, func(r *sql.Rows) error {
			var id int64
			err := r.Scan(&id)
			out = append(out, id)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("store: swag claimed: %w", err)
	}
	return out, nil
}

// SwagClaimRecord is a stored claim.
type SwagClaimRecord struct {
	Seq        int64
	ItemID     int64
	AttendeeID int64
	Name       string
	At         time.Time
}

// SwagRecentClaims returns an item's latest claims with the attendees'
// names, newest first, at most limit: the booth's "just handed" list.
func (d *DB) SwagRecentClaims(ctx context.Context, eventID, itemID int64, limit int) ([]SwagClaimRecord, error) {
	var out []SwagClaimRecord
	err := d.scanAll(ctx, `SELECT c.seq, c.item_id, c.attendee_id, a.name, c.at FROM swag_claims c JOIN attendees a ON a.id = c.attendee_id
		WHERE c.event_id = ? AND c.item_id = ? ORDER BY c.seq DESC LIMIT ?`, []any{eventID, itemID, limit}, func(r *sql.Rows) error {
		var c SwagClaimRecord
		err := r.Scan(&c.Seq, &c.ItemID, &c.AttendeeID, &c.Name, &c.At)
		c.At = c.At.UTC()
		out = append(out, c)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: swag claims: %w", err)
	}
	return out, nil
}

// SwagClaimsAll returns every claim of the event in log order (tests and
// audits).
func (d *DB) SwagClaimsAll(ctx context.Context, eventID int64) ([]reserve.SwagClaimRow, error) {
	var out []reserve.SwagClaimRow
	err := d.scanAll(ctx, "SELECT seq, item_id, attendee_id, COALESCE(staff_id, 0) FROM swag_claims WHERE event_id = ? ORDER BY seq", []any{eventID}, func(r *sql.Rows) error {
		var c reserve.SwagClaimRow
		err := r.Scan(&c.Seq, &c.ItemID, &c.AttendeeID, &c.StaffID)
		out = append(out, c)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: swag claims: %w", err)
	}
	return out, nil
}

// === the booth passport ===

// PassportPut sets the event's passport (replacing the booth list). Stamps
// of booths taken off the list stay stored but no longer count.
func (d *DB) PassportPut(ctx context.Context, eventID int64, p lanyard.Passport) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return d.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := d.exec(ctx, tx, `INSERT INTO passports (event_id, name, prize, needed) VALUES (?, ?, ?, ?)
			ON CONFLICT (event_id) DO UPDATE SET name = excluded.name, prize = excluded.prize, needed = excluded.needed`,
			eventID, p.Name, p.Prize, p.Needed); err != nil {
			return fmt.Errorf("store: save passport: %w", err)
		}
		if _, err := d.exec(ctx, tx, "DELETE FROM passport_booths WHERE event_id = ?", eventID); err != nil {
			return fmt.Errorf("store: save passport: %w", err)
		}
		for _, x := range p.Booths {
			res, err := d.exec(ctx, tx, `INSERT INTO passport_booths (event_id, exhibitor_id)
				SELECT ?, id FROM exhibitors WHERE id = ? AND event_id = ? ON CONFLICT DO NOTHING`, eventID, x, eventID)
			if err != nil {
				return fmt.Errorf("store: save passport booth: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return &lanyard.Error{Code: lanyard.EINVALID, Field: "booths", Message: fmt.Sprintf("No exhibitor %d, or named twice.", x)}
			}
		}
		return nil
	})
}

// Passport returns the event's passport, or ENOTFOUND.
func (d *DB) Passport(ctx context.Context, eventID int64) (lanyard.Passport, error) {
	var p lanyard.Passport
	err := d.queryRow(ctx, d.db, "SELECT name, prize, needed FROM passports WHERE event_id = ?", eventID).Scan(&p.Name, &p.Prize, &p.Needed)
	if errors.Is(err, sql.ErrNoRows) {
		return p, lanyard.Errorf(lanyard.ENOTFOUND, "This event has no booth passport.")
	}
	if err != nil {
		return p, fmt.Errorf("store: passport: %w", err)
	}
	err = d.scanAll(ctx, `SELECT b.exhibitor_id FROM passport_booths b JOIN exhibitors x ON x.id = b.exhibitor_id
		WHERE b.event_id = ? AND x.removed_at IS NULL ORDER BY x.name, x.id`, []any{eventID}, func(r *sql.Rows) error {
		var id int64
		err := r.Scan(&id)
		p.Booths = append(p.Booths, id)
		return err
	})
	if err != nil {
		return p, fmt.Errorf("store: passport booths: %w", err)
	}
	return p, nil
}

// PassportStamp stamps attendee's passport at exhibitor's booth; it
// reports whether the stamp is new (a second scan changes nothing).
// Returns ENOTFOUND without a passport, EINVALID for a booth not on it.
func (d *DB) PassportStamp(ctx context.Context, eventID, attendeeID, exhibitorID, staffID int64, at time.Time) (bool, error) {
	res, err := d.exec(ctx, d.db, `INSERT INTO passport_stamps (event_id, attendee_id, exhibitor_id, staff_id, at)
		SELECT b.event_id, a.id, b.exhibitor_id, ?, ? FROM passport_booths b JOIN attendees a ON a.id = ? AND a.event_id = b.event_id
		WHERE b.event_id = ? AND b.exhibitor_id = ? ON CONFLICT DO NOTHING`, nullInt(staffID), at.UTC(), attendeeID, eventID, exhibitorID)
	if err != nil {
		return false, fmt.Errorf("store: stamp: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return true, nil
	}
	// Nothing inserted: stamped already, or not a stamp at all.
	var booth, person, stamped int
	err = d.queryRow(ctx, d.db, `SELECT (SELECT COUNT(*) FROM passport_booths WHERE event_id = ? AND exhibitor_id = ?),
		(SELECT COUNT(*) FROM attendees WHERE id = ? AND event_id = ?),
		(SELECT COUNT(*) FROM passport_stamps WHERE event_id = ? AND attendee_id = ? AND exhibitor_id = ?)`,
		eventID, exhibitorID, attendeeID, eventID, eventID, attendeeID, exhibitorID).Scan(&booth, &person, &stamped)
	switch {
	case err != nil:
		return false, fmt.Errorf("store: stamp: %w", err)
	case booth == 0:
		return false, lanyard.Errorf(lanyard.EINVALID, "This booth is not on the passport.")
	case person == 0:
		return false, lanyard.Errorf(lanyard.ENOTFOUND, "No attendee %d.", attendeeID)
	}
	return false, nil
}

// PassportProgressOf returns attendee's passport: the listed booths
// stamped (in stamp order), and whether the prize is earned and handed.
func (d *DB) PassportProgressOf(ctx context.Context, eventID, attendeeID int64) (lanyard.PassportProgress, error) {
	var pr lanyard.PassportProgress
	if err := d.queryRow(ctx, d.db, "SELECT needed FROM passports WHERE event_id = ?", eventID).Scan(&pr.Needed); errors.Is(err, sql.ErrNoRows) {
		return pr, lanyard.Errorf(lanyard.ENOTFOUND, "This event has no booth passport.")
	} else if err != nil {
		return pr, fmt.Errorf("store: passport progress: %w", err)
	}
	err := d.scanAll(ctx, `SELECT s.exhibitor_id FROM passport_stamps s JOIN passport_booths b ON b.event_id = s.event_id AND b.exhibitor_id = s.exhibitor_id
		WHERE s.event_id = ? AND s.attendee_id = ? ORDER BY s.at, s.exhibitor_id`, []any{eventID, attendeeID}, func(r *sql.Rows) error {
		var id int64
		err := r.Scan(&id)
		pr.Stamped = append(pr.Stamped, id)
		return err
	})
	if err != nil {
		return pr, fmt.Errorf("store: passport progress: %w", err)
	}
	pr.Earned = len(pr.Stamped) >= pr.Needed
	var at sql.NullTime
	err = d.queryRow(ctx, d.db, "SELECT at FROM passport_prizes WHERE event_id = ? AND attendee_id = ?", eventID, attendeeID).Scan(&at)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return pr, fmt.Errorf("store: passport prize: %w", err)
	default:
		pr.Handed, pr.At = true, at.Time.UTC()
	}
	return pr, nil
}

// PassportHandPrize records the prize handed to attendee: once, and only
// with enough stamps. Returns EPrizeHanded the second time (with when),
// EPrizeNotEarned with too few stamps, ENOTFOUND without a passport.
func (d *DB) PassportHandPrize(ctx context.Context, eventID, attendeeID, staffID int64, at time.Time) error {
	// One statement decides: the count of stamps and the primary key are
	// checked where the row is written, so two desks scanning at once
	// hand one prize.
	res, err := d.exec(ctx, d.db, `INSERT INTO passport_prizes (event_id, attendee_id, staff_id, at)
		SELECT p.event_id, ?, ?, ? FROM passports p WHERE p.event_id = ? AND p.needed <=
		(SELECT COUNT(*) FROM passport_stamps s JOIN passport_booths b ON b.event_id = s.event_id AND b.exhibitor_id = s.exhibitor_id
		 WHERE s.event_id = p.event_id AND s.attendee_id = ?)
		ON CONFLICT DO NOTHING`, attendeeID, nullInt(staffID), at.UTC(), eventID, attendeeID)
	if err != nil {
		return fmt.Errorf("store: hand prize: %w", mapError(err, "The prize"))
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	pr, err := d.PassportProgressOf(ctx, eventID, attendeeID)
	switch {
	case err != nil:
		return err
	case pr.Handed:
		return lanyard.Errorf(lanyard.EPrizeHanded, "The prize was handed already, at %s.", pr.At.Format("Jan 2 15:04 MST"))
	}
	return lanyard.Errorf(lanyard.EPrizeNotEarned, "%d of %d booths stamped: not yet.", len(pr.Stamped), pr.Needed)
}

// SwagExhibitorByCode returns the event's exhibitor with code, or
// ENOTFOUND (the attendee's swag page is /swag/{code}).
func (d *DB) SwagExhibitorByCode(ctx context.Context, eventID int64, code string) (lanyard.Exhibitor, error) {
	x, err := scanExhibitor(d.queryRow(ctx, d.db, `SELECT `+exhibitorCols+` FROM exhibitors WHERE event_id = ? AND code = ? AND removed_at IS NULL`, eventID, code))
	if errors.Is(err, sql.ErrNoRows) {
		err = lanyard.Errorf(lanyard.ENOTFOUND, "No exhibitor %q.", code)
	}
	if err != nil {
		return x, fmt.Errorf("store: exhibitor %q: %w", code, err)
	}
	return x, nil
}
