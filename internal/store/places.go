package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
)

// Places (issue 13): lounges, the expo entrance, parties, their in-and-out
// rows and the entitlements that gate them. The engine writes them in its
// batches (CommitBatch); attendees' certification numbers are written here
// directly (a pending number grants nothing until an organizer's decision,
// an engine command, verifies it).

const placeColumns = "code, name, kind, venue, room, capacity, entitlement, opens_at, closes_at"

func scanPlace(rows interface{ Scan(...any) error }, p *lanyard.Place, extra ...any) error {
	var opens, closes sql.NullTime
	var kind string
	dest := append([]any{&p.ID, &p.Code, &p.Name, &kind, &p.Venue, &p.Room, &p.Capacity, &p.Entitlement, &opens, &closes}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	p.Kind = lanyard.PlaceKind(kind)
	if opens.Valid {
		p.Opens = opens.Time.UTC()
	}
	if closes.Valid {
		p.Closes = closes.Time.UTC()
	}
	return nil
}

// Places returns an event's places by code (for the door app's list and
// pages that need no live count).
func (d *DB) Places(ctx context.Context, eventID int64) ([]lanyard.Place, error) {
	rows, err := d.query(ctx, d.db, "SELECT id, "+placeColumns+" FROM places WHERE event_id = ? ORDER BY code", eventID)
	if err != nil {
		return nil, fmt.Errorf("store: places: %w", err)
	}
	defer rows.Close()
	out := []lanyard.Place{}
	for rows.Next() {
		var p lanyard.Place
		if err := scanPlace(rows, &p); err != nil {
			return nil, fmt.Errorf("store: places: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Occupancies returns every place's count as committed, for a node that
// holds no engine (it then follows the NOTIFY of each batch).
func (d *DB) Occupancies(ctx context.Context, eventID int64) (map[string]lanyard.Occupancy, error) {
	rows, err := d.query(ctx, d.db, "SELECT code, inside, capacity FROM places WHERE event_id = ?", eventID)
	if err != nil {
		return nil, fmt.Errorf("store: occupancies: %w", err)
	}
	defer rows.Close()
	out := map[string]lanyard.Occupancy{}
	for rows.Next() {
		var o lanyard.Occupancy
		if err := rows.Scan(&o.Place, &o.Inside, &o.Capacity); err != nil {
			return nil, fmt.Errorf("store: occupancies: %w", err)
		}
		o.Full = o.Capacity > 0 && o.Inside >= o.Capacity
		out[o.Place] = o
	}
	return out, rows.Err()
}

// loadPlaces adds places, who is inside and the entitlements to a snapshot.
// Entitlements are derived: a verified certification is "certified", an
// invite whose email an attendee of the event registered with is
// "invite:<list>".
func (d *DB) loadPlaces(ctx context.Context, eventID int64, snap *reserve.Snapshot) error {
	rows, err := d.query(ctx, d.db, "SELECT id, "+placeColumns+", inside FROM places WHERE event_id = ? ORDER BY code", eventID)
	if err != nil {
		return fmt.Errorf("store: load places: %w", err)
	}
	for rows.Next() {
		var p reserve.PlaceSnap
		if err := scanPlace(rows, &p.Place, &p.Inside); err != nil {
			rows.Close()
			return fmt.Errorf("store: load places: %w", err)
		}
		snap.Places = append(snap.Places, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: load places: %w", err)
	}
	if err := d.scanAll(ctx, "SELECT place, attendee_id FROM place_inside WHERE event_id = ?", []any{eventID}, func(r *sql.Rows) error {
		var x reserve.PlaceRow
		err := r.Scan(&x.Place, &x.AttendeeID)
		snap.PlaceInside = append(snap.PlaceInside, x)
		return err
	}); err != nil {
		return fmt.Errorf("store: load inside: %w", err)
	}
	return d.scanAll(ctx, `SELECT attendee_id, 'certified' FROM certifications WHERE event_id = ? AND state = 'verified'
		UNION ALL SELECT a.id, 'invite:' || i.list FROM place_invites i JOIN attendees a ON a.event_id = i.event_id AND LOWER(a.email) = i.email
		WHERE i.event_id = ?
		UNION ALL SELECT e.attendee_id, e.name FROM entitlements e JOIN attendees a ON a.id = e.attendee_id WHERE a.event_id = ?`, []any{eventID, eventID, eventID}, func(r *sql.Rows) error {
		var x reserve.EntitlementRow
		err := r.Scan(&x.AttendeeID, &x.Key)
		snap.Entitlements = append(snap.Entitlements, x)
		return err
	})
}

// scanAll runs a query and calls row for each row.
func (d *DB) scanAll(ctx context.Context, q string, args []any, row func(*sql.Rows) error) error {
	return d.scanIn(ctx, d.db, q, args, row)
}

// scanIn runs a query on qr (the database or a transaction) and calls row
// for each row.
func (d *DB) scanIn(ctx context.Context, qr querier, q string, args []any, row func(*sql.Rows) error) error {
	rows, err := d.query(ctx, qr, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// commitPlaces writes a batch's place rows on SQLite, inside its transaction.
func (d *DB) commitPlaces(ctx context.Context, tx *sql.Tx, b *reserve.Batch, at time.Time) error {
	// New places first (the inside rows name them), their settings last:
	// the counts are checked against the capacity the place had at some
	// moment of the batch (see batchCapacity).
	for _, p := range b.Places {
		if _, err := d.exec(ctx, tx, placeInsert+" ON CONFLICT (event_id, code) DO NOTHING",
			b.EventID, p.Code, p.Name, string(p.Kind), p.Venue, p.Room, p.Capacity, p.Entitlement, nullTime(p.Opens), nullTime(p.Closes)); err != nil {
			return fmt.Errorf("store: save place %s: %w", p.Code, mapError(err, "The place"))
		}
	}
	for _, k := range b.PlaceOut {
		res, err := d.exec(ctx, tx, "DELETE FROM place_inside WHERE event_id = ? AND place = ? AND attendee_id = ?", b.EventID, k.Place, k.AttendeeID)
		if err != nil {
			return fmt.Errorf("store: exit: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("store: exit %s: %d rows, want 1: the ledger and the store disagree", k.Place, n)
		}
	}
	if err := d.insertRows(ctx, tx, "place_inside", []string{"event_id", "place", "attendee_id", "batch_id"}, "", len(b.PlaceIn), func(i int) []any {
		return []any{b.EventID, b.PlaceIn[i].Place, b.PlaceIn[i].AttendeeID, b.ID}
	}); err != nil {
		return mapError(err, "That entry")
	}
	for _, c := range b.PlaceInside {
		// The second line: a rise past the capacity touches no row.
		bc := batchCapacity(b, c.Place)
		res, err := d.exec(ctx, tx, placeCountUpdate, c.Delta, b.EventID, c.Place, c.Delta, bc, c.Delta, bc, bc)
		if err != nil {
			return fmt.Errorf("store: place count: %w", mapError(err, "The place's count"))
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("store: place %s: inside %+d refused (past capacity): the ledger and the store disagree", c.Place, c.Delta)
		}
	}
	for _, p := range b.Places {
		if _, err := d.exec(ctx, tx, placeUpdate,
			p.Name, string(p.Kind), p.Venue, p.Room, p.Capacity, p.Entitlement, nullTime(p.Opens), nullTime(p.Closes), b.EventID, p.Code); err != nil {
			return fmt.Errorf("store: save place %s: %w", p.Code, mapError(err, "The place"))
		}
	}
	if err := d.insertRows(ctx, tx, "place_scans", []string{"event_id", "seq", "place", "attendee_id", "dir", "staff_id", "batch_id", "at"}, "", len(b.Scans), func(i int) []any {
		s := b.Scans[i]
		return []any{b.EventID, s.Seq, s.Place, s.AttendeeID, scanDir(s.In), nullInt(s.StaffID), b.ID, at}
	}); err != nil {
		return err
	}
	for _, c := range b.Certs {
		if _, err := d.exec(ctx, tx, certUpsert, c.AttendeeID, b.EventID, c.Number, c.State, at, at, nullInt(c.By), c.Source); err != nil {
			return fmt.Errorf("store: save certification: %w", err)
		}
	}
	for _, in := range b.Invites {
		q := "INSERT INTO place_invites (event_id, list, email) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
		if in.Remove {
			q = "DELETE FROM place_invites WHERE event_id = ? AND list = ? AND email = ?"
		}
		if _, err := d.exec(ctx, tx, q, b.EventID, in.List, in.Email); err != nil {
			return fmt.Errorf("store: save invite: %w", err)
		}
	}
	for _, g := range b.Grants {
		if _, err := d.exec(ctx, tx, grantInsert, g.AttendeeID, g.Key, at, nullInt(g.By)); err != nil {
			return fmt.Errorf("store: grant %s: %w", g.Key, err)
		}
	}
	return nil
}

const (
	placeInsert = `INSERT INTO places (event_id, ` + placeColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	placeUpdate = `UPDATE places SET name = ?, kind = ?, venue = ?, room = ?, capacity = ?, entitlement = ?,
		opens_at = ?, closes_at = ? WHERE event_id = ? AND code = ?`
	// placeCountUpdate moves inside by a delta; a rise must stay within
	// the larger of the stored capacity and the batch's (-1: none, 0: no
	// limit), or no row changes.
	placeCountUpdate = `UPDATE places SET inside = inside + ? WHERE event_id = ? AND code = ?
		AND (? <= 0 OR capacity = 0 OR ? = 0 OR inside + ? <= CASE WHEN capacity > ? THEN capacity ELSE ? END)`
)

// batchCapacity is the largest capacity a batch gives a place: -1 when it
// changes none, 0 when one of its versions has no limit. An entry happens
// only below the capacity of its moment, so whatever the order of a
// batch's entries and capacity changes, inside ends within the larger of
// the stored capacity and this.
func batchCapacity(b *reserve.Batch, code string) int {
	c := -1
	for _, p := range b.Places {
		if p.Code != code {
			continue
		}
		if p.Capacity == 0 {
			return 0
		}
		c = max(c, p.Capacity)
	}
	return c
}

// certUpsert sets a certification's decision; an empty number keeps the
// one the attendee entered. The row is created for an attendee who
// entered none (an import by email, a decision made on the spot).
const certUpsert = `INSERT INTO certifications (attendee_id, event_id, number, state, submitted_at, decided_at, decided_by, source)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (attendee_id) DO UPDATE SET state = excluded.state, decided_at = excluded.decided_at,
	decided_by = excluded.decided_by, source = excluded.source,
	number = CASE WHEN excluded.number = '' THEN certifications.number ELSE excluded.number END`

const grantInsert = "INSERT INTO entitlements (attendee_id, name, granted_at, granted_by) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING"

func scanDir(in bool) string {
	if in {
		return "in"
	}
	return "out"
}

// queuePlaces queues a batch's place rows in the PostgreSQL pipeline.
func queuePlaces(queue func(what string, rows int64, sql string, args ...any), b *reserve.Batch, at time.Time) {
	for _, p := range b.Places { // as commitPlaces: new places first, settings last
		queue("place", -1, rebindPostgres(placeInsert+" ON CONFLICT (event_id, code) DO NOTHING"),
			b.EventID, p.Code, p.Name, string(p.Kind), p.Venue, p.Room, p.Capacity, p.Entitlement, nullTime(p.Opens), nullTime(p.Closes))
	}
	if n := len(b.PlaceOut); n > 0 {
		pl, a := placeArrays(b.PlaceOut)
		queue("exits", int64(n), `DELETE FROM place_inside WHERE event_id = $1 AND (place, attendee_id) IN
			(SELECT * FROM unnest($2::text[], $3::bigint[]))`, b.EventID, pl, a)
	}
	if n := len(b.PlaceIn); n > 0 {
		pl, a := placeArrays(b.PlaceIn)
		queue("entries", int64(n), `INSERT INTO place_inside (event_id, place, attendee_id, batch_id)
			SELECT $1, p, a, $4 FROM unnest($2::text[], $3::bigint[]) AS t(p, a)`, b.EventID, pl, a, b.ID)
	}
	for _, c := range b.PlaceInside {
		// The second line: a rise past the capacity touches no row.
		bc := batchCapacity(b, c.Place)
		queue("place "+c.Place+" inside (past capacity?)", 1, rebindPostgres(placeCountUpdate), c.Delta, b.EventID, c.Place, c.Delta, bc, c.Delta, bc, bc)
	}
	for _, p := range b.Places {
		queue("place", 1, rebindPostgres(placeUpdate),
			p.Name, string(p.Kind), p.Venue, p.Room, p.Capacity, p.Entitlement, nullTime(p.Opens), nullTime(p.Closes), b.EventID, p.Code)
	}
	if n := len(b.Scans); n > 0 {
		seq, pl, a, dir, staff := make([]int64, n), make([]string, n), make([]int64, n), make([]string, n), make([]int64, n)
		for i, s := range b.Scans {
			seq[i], pl[i], a[i], dir[i], staff[i] = s.Seq, s.Place, s.AttendeeID, scanDir(s.In), s.StaffID
		}
		queue("scans", int64(n), `INSERT INTO place_scans (event_id, seq, place, attendee_id, dir, staff_id, batch_id, at)
			SELECT $1, q, p, a, d, NULLIF(s, 0), $7, $8 FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::bigint[]) AS t(q, p, a, d, s)`,
			b.EventID, seq, pl, a, dir, staff, b.ID, at)
	}
	for _, c := range b.Certs {
		queue("certification", 1, rebindPostgres(certUpsert), c.AttendeeID, b.EventID, c.Number, c.State, at, at, nullInt(c.By), c.Source)
	}
	for _, in := range b.Invites {
		q := "INSERT INTO place_invites (event_id, list, email) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
		if in.Remove {
			q = "DELETE FROM place_invites WHERE event_id = $1 AND list = $2 AND email = $3"
		}
		queue("invite", -1, q, b.EventID, in.List, in.Email)
	}
	for _, g := range b.Grants {
		queue("grant", -1, rebindPostgres(grantInsert), g.AttendeeID, g.Key, at, nullInt(g.By))
	}
}

func placeArrays(rows []reserve.PlaceRow) ([]string, []int64) {
	pl, a := make([]string, len(rows)), make([]int64, len(rows))
	for i, r := range rows {
		pl[i], a[i] = r.Place, r.AttendeeID
	}
	return pl, a
}

// rebindPostgres numbers a query's ? placeholders $1, $2, ….
func rebindPostgres(q string) string { return Postgres.rebind(q) }

// SubmitCertification records the validation number an attendee entered,
// pending an organizer's decision. A verified certification cannot be
// changed by its attendee (ECONFLICT); a rejected one can be entered again.
func (d *DB) SubmitCertification(ctx context.Context, eventID, attendeeID int64, number string, now time.Time) (lanyard.Certification, error) {
	number, err := lanyard.CleanCertNumber(number)
	if err != nil {
		return lanyard.Certification{}, err
	}
	res, err := d.exec(ctx, d.db, `INSERT INTO certifications (attendee_id, event_id, number, state, submitted_at, source)
		VALUES (?, ?, ?, 'pending', ?, 'attendee')
		ON CONFLICT (attendee_id) DO UPDATE SET number = excluded.number, state = 'pending', submitted_at = excluded.submitted_at,
		decided_at = NULL, decided_by = NULL, source = 'attendee' WHERE certifications.state <> 'verified'`,
		attendeeID, eventID, number, now.UTC())
	if err != nil {
		return lanyard.Certification{}, fmt.Errorf("store: submit certification: %w", mapError(err, "The certification"))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return lanyard.Certification{}, lanyard.Errorf(lanyard.ECONFLICT, "Your certification is verified already; ask the organizers to change it.")
	}
	return d.Certification(ctx, eventID, attendeeID)
}

const certSelect = `SELECT c.attendee_id, a.name, a.email, c.number, c.state, c.source, c.submitted_at, c.decided_at
	FROM certifications c JOIN attendees a ON a.id = c.attendee_id`

func scanCert(r interface{ Scan(...any) error }) (lanyard.Certification, error) {
	var c lanyard.Certification
	var decided sql.NullTime
	if err := r.Scan(&c.AttendeeID, &c.Name, &c.Email, &c.Number, &c.State, &c.Source, &c.SubmittedAt, &decided); err != nil {
		return c, err
	}
	c.SubmittedAt = c.SubmittedAt.UTC()
	if decided.Valid {
		c.DecidedAt = decided.Time.UTC()
	}
	return c, nil
}

// Certification returns an attendee's certification. Returns ENOTFOUND if
// they entered none.
func (d *DB) Certification(ctx context.Context, eventID, attendeeID int64) (lanyard.Certification, error) {
	c, err := scanCert(d.queryRow(ctx, d.db, certSelect+" WHERE c.event_id = ? AND c.attendee_id = ?", eventID, attendeeID))
	if err == sql.ErrNoRows {
		return c, lanyard.Errorf(lanyard.ENOTFOUND, "No certification entered.")
	}
	if err != nil {
		return c, fmt.Errorf("store: certification: %w", err)
	}
	return c, nil
}

// Certifications returns an event's certifications in a state ("" for
// all), oldest submission first, at most limit.
func (d *DB) Certifications(ctx context.Context, eventID int64, state string, limit int) ([]lanyard.Certification, error) {
	q, args := certSelect+" WHERE c.event_id = ?", []any{eventID}
	if state != "" {
		q += " AND c.state = ?"
		args = append(args, state)
	}
	q += " ORDER BY c.submitted_at, c.attendee_id LIMIT ?"
	args = append(args, limit)
	var out []lanyard.Certification
	err := d.scanAll(ctx, q, args, func(r *sql.Rows) error {
		c, err := scanCert(r)
		out = append(out, c)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: certifications: %w", err)
	}
	return out, nil
}

// ResolveCertified matches an import's values (emails or validation
// numbers) to the event's attendees: an email to the attendee registered
// with it, a number to the attendee who entered it. It returns a verified
// decision per match and the values that match no one.
func (d *DB) ResolveCertified(ctx context.Context, eventID int64, values []string) ([]lanyard.CertDecision, []string, error) {
	var out []lanyard.CertDecision
	var unmatched []string
	seen := map[int64]bool{}
	for _, v := range values {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		var id int64
		var number string
		var err error
		if strings.Contains(v, "@") {
			err = d.queryRow(ctx, d.db, "SELECT id FROM attendees WHERE event_id = ? AND LOWER(email) = ?", eventID, strings.ToLower(v)).Scan(&id)
		} else {
			number, err = lanyard.CleanCertNumber(v)
			if err == nil {
				err = d.queryRow(ctx, d.db, "SELECT attendee_id FROM certifications WHERE event_id = ? AND number = ? ORDER BY attendee_id LIMIT 1", eventID, number).Scan(&id)
			}
		}
		switch {
		case err == sql.ErrNoRows || lanyard.ErrorCode(err) == lanyard.EINVALID:
			unmatched = append(unmatched, v)
			continue
		case err != nil:
			return nil, nil, fmt.Errorf("store: resolve certified: %w", err)
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, lanyard.CertDecision{AttendeeID: id, Verified: true, Number: number, Source: "import"})
		}
	}
	return out, unmatched, nil
}

// ResolveInvites matches emails to the event's attendees; an email no one
// registered with keeps AttendeeID 0 (the invite waits for them).
func (d *DB) ResolveInvites(ctx context.Context, eventID int64, emails []string) ([]lanyard.Invite, error) {
	out := make([]lanyard.Invite, 0, len(emails))
	seen := map[string]bool{}
	for _, e := range emails {
		e = strings.ToLower(strings.TrimSpace(e))
		if e == "" || seen[e] {
			continue
		}
		seen[e] = true
		in := lanyard.Invite{Email: e}
		err := d.queryRow(ctx, d.db, "SELECT id FROM attendees WHERE event_id = ? AND LOWER(email) = ?", eventID, e).Scan(&in.AttendeeID)
		if err != nil && err != sql.ErrNoRows {
			return nil, fmt.Errorf("store: resolve invites: %w", err)
		}
		out = append(out, in)
	}
	return out, nil
}

// Invites returns an invite list's emails with the attendees registered
// with them, by email.
func (d *DB) Invites(ctx context.Context, eventID int64, list string) ([]lanyard.Invite, error) {
	var out []lanyard.Invite
	err := d.scanAll(ctx, `SELECT i.email, COALESCE(a.id, 0) FROM place_invites i
		LEFT JOIN attendees a ON a.event_id = i.event_id AND LOWER(a.email) = i.email
		WHERE i.event_id = ? AND i.list = ? ORDER BY i.email`, []any{eventID, list}, func(r *sql.Rows) error {
		var in lanyard.Invite
		err := r.Scan(&in.Email, &in.AttendeeID)
		out = append(out, in)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: invites: %w", err)
	}
	return out, nil
}

// PlaceScan is one stored entry or exit.
type PlaceScan struct {
	Seq        int64
	Place      string
	AttendeeID int64
	In         bool
}

// PlaceScans returns an event's entries and exits in log order.
func (d *DB) PlaceScans(ctx context.Context, eventID int64) ([]PlaceScan, error) {
	var out []PlaceScan
	err := d.scanAll(ctx, "SELECT seq, place, attendee_id, dir FROM place_scans WHERE event_id = ? ORDER BY seq", []any{eventID}, func(r *sql.Rows) error {
		var s PlaceScan
		var dir string
		err := r.Scan(&s.Seq, &s.Place, &s.AttendeeID, &dir)
		s.In = dir == "in"
		out = append(out, s)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: place scans: %w", err)
	}
	return out, nil
}

// OverflowRoom is an overflow room of a session, where its venue is.
type OverflowRoom struct {
	Venue    string
	Room     string
	Capacity int
}

// OverflowRooms returns a session's overflow rooms, by venue and room.
func (d *DB) OverflowRooms(ctx context.Context, sessionID int64) ([]OverflowRoom, error) {
	var out []OverflowRoom
	err := d.scanAll(ctx, `SELECT v.code, r.name, r.capacity FROM overflow_rooms o JOIN rooms r ON r.id = o.room_id
		JOIN venues v ON v.id = r.venue_id WHERE o.session_id = ? ORDER BY v.code, r.name`, []any{sessionID}, func(rows *sql.Rows) error {
		var o OverflowRoom
		err := rows.Scan(&o.Venue, &o.Room, &o.Capacity)
		out = append(out, o)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: overflow rooms: %w", err)
	}
	return out, nil
}
