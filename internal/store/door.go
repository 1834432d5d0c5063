package store

// The door app's tables (issue 13, migration 00100): the key that signs a
// door's offline data, one row per scan, and the conflicts found at sync.

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// DoorKey returns the event's Ed25519 key for signing door data, created
// on first use. Two nodes creating it at once keep the first one written.
func (d *DB) DoorKey(ctx context.Context, eventID int64) (ed25519.PrivateKey, error) {
	var seed []byte
	err := d.queryRow(ctx, d.db, "SELECT seed FROM door_keys WHERE event_id = ?", eventID).Scan(&seed)
	if errors.Is(err, sql.ErrNoRows) {
		fresh := make([]byte, ed25519.SeedSize)
		if _, err := rand.Read(fresh); err != nil {
			return nil, fmt.Errorf("store: door key: %w", err)
		}
		if _, err := d.exec(ctx, d.db, "INSERT INTO door_keys (event_id, seed, created_at) VALUES (?, ?, ?) ON CONFLICT (event_id) DO NOTHING",
			eventID, fresh, d.Now().UTC()); err != nil {
			return nil, fmt.Errorf("store: door key: %w", err)
		}
		err = d.queryRow(ctx, d.db, "SELECT seed FROM door_keys WHERE event_id = ?", eventID).Scan(&seed)
	}
	if err != nil {
		return nil, fmt.Errorf("store: door key: %w", err)
	}
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("store: door key: seed is %d bytes", len(seed))
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// BadgeVersion is an attendee's current badge version.
type BadgeVersion struct {
	AttendeeID int64
	Version    int
}

// BadgeVersions returns every attendee's badge version, by ID.
func (d *DB) BadgeVersions(ctx context.Context, eventID int64) ([]BadgeVersion, error) {
	rows, err := d.query(ctx, d.db, "SELECT id, badge_version FROM attendees WHERE event_id = ? ORDER BY id", eventID)
	if err != nil {
		return nil, fmt.Errorf("store: badge versions: %w", err)
	}
	defer rows.Close()
	var out []BadgeVersion
	for rows.Next() {
		var b BadgeVersion
		if err := rows.Scan(&b.AttendeeID, &b.Version); err != nil {
			return nil, fmt.Errorf("store: badge versions: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// DoorPerson is an attendee as a door shows them.
type DoorPerson struct {
	ID   int64
	Name string
}

// SessionReservations returns who holds a seat in the session, by ID.
func (d *DB) SessionReservations(ctx context.Context, sessionID int64) ([]DoorPerson, error) {
	rows, err := d.query(ctx, d.db, `SELECT a.id, a.name FROM reservations r JOIN attendees a ON a.id = r.attendee_id
		WHERE r.session_id = ? ORDER BY a.id`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("store: session reservations: %w", err)
	}
	defer rows.Close()
	var out []DoorPerson
	for rows.Next() {
		var p DoorPerson
		if err := rows.Scan(&p.ID, &p.Name); err != nil {
			return nil, fmt.Errorf("store: session reservations: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SessionAdmissions returns who was admitted at the session's doors, by ID.
func (d *DB) SessionAdmissions(ctx context.Context, sessionID int64) ([]int64, error) {
	rows, err := d.query(ctx, d.db, "SELECT attendee_id FROM admissions WHERE session_id = ? ORDER BY attendee_id", sessionID)
	if err != nil {
		return nil, fmt.Errorf("store: admitted: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: admitted: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// DoorScan is one scan at a door, as recorded for the door's stats.
type DoorScan struct {
	EventID    int64
	StaffID    int64
	Nonce      string
	Door       string
	AttendeeID int64 // 0: none (a badge that did not verify)
	Verdict    string
	Code       string
	Room       string // the overflow room a scan sent them to
	Offline    bool
	ScannedAt  time.Time
}

// RecordDoorScan writes a scan once: a second write with the same staff
// member and nonce (a repeated sync) changes nothing and reports false.
func (d *DB) RecordDoorScan(ctx context.Context, s DoorScan) (bool, error) {
	res, err := d.exec(ctx, d.db, `INSERT INTO door_scans (event_id, staff_id, nonce, door, attendee_id, verdict, code, room, offline, scanned_at, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id, staff_id, nonce) DO NOTHING`,
		s.EventID, s.StaffID, s.Nonce, s.Door, nullID(s.AttendeeID), s.Verdict, s.Code, s.Room, s.Offline, s.ScannedAt.UTC(), d.Now().UTC())
	if err != nil {
		return false, fmt.Errorf("store: record door scan: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: record door scan: %w", err)
	}
	return n == 1, nil
}

// RecordDoorScans writes scans in one transaction, each once (see
// RecordDoorScan): the door app's writer gathers a busy minute's scans
// into a few commits instead of one each.
func (d *DB) RecordDoorScans(ctx context.Context, scans []DoorScan) error {
	now := d.Now().UTC()
	return d.inTx(ctx, func(tx *sql.Tx) error {
		for _, s := range scans {
			if _, err := d.exec(ctx, tx, `INSERT INTO door_scans (event_id, staff_id, nonce, door, attendee_id, verdict, code, room, offline, scanned_at, recorded_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id, staff_id, nonce) DO NOTHING`,
				s.EventID, s.StaffID, s.Nonce, s.Door, nullID(s.AttendeeID), s.Verdict, s.Code, s.Room, s.Offline, s.ScannedAt.UTC(), now); err != nil {
				return fmt.Errorf("store: record door scans: %w", err)
			}
		}
		return nil
	})
}

// DoorScanCount counts the scans recorded for the event (tests, reports).
func (d *DB) DoorScanCount(ctx context.Context, eventID int64, door string) (int, error) {
	var n int
	err := d.queryRow(ctx, d.db, "SELECT COUNT(*) FROM door_scans WHERE event_id = ? AND (door = ? OR ? = '')", eventID, door, door).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count door scans: %w", err)
	}
	return n, nil
}

// DoorStat is a count of scans by minute, verdict and code.
type DoorStat struct {
	Minute  time.Time
	Verdict string
	Code    string
	Count   int
}

// DoorStats returns the scans at door since an instant, counted by the
// minute they were made (UTC), verdict and code. The per-minute grouping
// is done here, not in SQL, so both dialects read the same rows.
func (d *DB) DoorStats(ctx context.Context, eventID int64, door string, since time.Time) ([]DoorStat, error) {
	rows, err := d.query(ctx, d.db, `SELECT scanned_at, verdict, code FROM door_scans
		WHERE event_id = ? AND door = ? AND scanned_at >= ? ORDER BY scanned_at`, eventID, door, since.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: door stats: %w", err)
	}
	defer rows.Close()
	idx := map[DoorStat]int{}
	var out []DoorStat
	for rows.Next() {
		var at time.Time
		var k DoorStat
		if err := rows.Scan(&at, &k.Verdict, &k.Code); err != nil {
			return nil, fmt.Errorf("store: door stats: %w", err)
		}
		k.Minute = at.UTC().Truncate(time.Minute)
		if i, ok := idx[k]; ok {
			out[i].Count++
			continue
		}
		idx[k] = len(out)
		k.Count = 1
		out = append(out, k)
	}
	return out, rows.Err()
}

// DoorConflict is an offline admission the engine refused at sync.
type DoorConflict struct {
	ID            int64
	EventID       int64
	StaffID       int64
	StaffName     string // filled by DoorConflicts
	Nonce         string
	Door          string
	AttendeeID    int64
	AttendeeName  string // filled by DoorConflicts
	Kind          string // two_doors, walkups_over, refused
	DeviceVerdict string
	Code          string
	Message       string
	ScannedAt     time.Time
	CreatedAt     time.Time
}

// AddDoorConflict records a conflict once per staff member and nonce; a
// repeated sync adds nothing and reports false.
func (d *DB) AddDoorConflict(ctx context.Context, c DoorConflict) (bool, error) {
	res, err := d.exec(ctx, d.db, `INSERT INTO door_conflicts (event_id, staff_id, nonce, door, attendee_id, kind, device_verdict, code, message, scanned_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id, staff_id, nonce) DO NOTHING`,
		c.EventID, c.StaffID, c.Nonce, c.Door, c.AttendeeID, c.Kind, c.DeviceVerdict, c.Code, c.Message, c.ScannedAt.UTC(), d.Now().UTC())
	if err != nil {
		return false, fmt.Errorf("store: add door conflict: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: add door conflict: %w", err)
	}
	return n == 1, nil
}

// DoorConflicts returns the event's conflicts, newest first, at most limit
// (capped at 500); door "" means every door.
func (d *DB) DoorConflicts(ctx context.Context, eventID int64, door string, limit int) ([]DoorConflict, error) {
	limit = min(max(limit, 1), 500)
	rows, err := d.query(ctx, d.db, fmt.Sprintf(`SELECT c.id, c.staff_id, COALESCE(s.name, ''), c.nonce, c.door, c.attendee_id, COALESCE(a.name, ''),
		c.kind, c.device_verdict, c.code, c.message, c.scanned_at, c.created_at
		FROM door_conflicts c LEFT JOIN attendees a ON a.id = c.attendee_id LEFT JOIN attendees s ON s.id = c.staff_id
		WHERE c.event_id = ? AND (c.door = ? OR ? = '') ORDER BY c.id DESC LIMIT %d`, limit), eventID, door, door)
	if err != nil {
		return nil, fmt.Errorf("store: door conflicts: %w", err)
	}
	defer rows.Close()
	var out []DoorConflict
	for rows.Next() {
		c := DoorConflict{EventID: eventID}
		if err := rows.Scan(&c.ID, &c.StaffID, &c.StaffName, &c.Nonce, &c.Door, &c.AttendeeID, &c.AttendeeName,
			&c.Kind, &c.DeviceVerdict, &c.Code, &c.Message, &c.ScannedAt, &c.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: door conflicts: %w", err)
		}
		c.ScannedAt, c.CreatedAt = c.ScannedAt.UTC(), c.CreatedAt.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

// DoorConflictCount counts the event's conflicts, for reports.
func (d *DB) DoorConflictCount(ctx context.Context, eventID int64) (int, error) {
	var n int
	if err := d.queryRow(ctx, d.db, "SELECT COUNT(*) FROM door_conflicts WHERE event_id = ?", eventID).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count door conflicts: %w", err)
	}
	return n, nil
}

// DoorOfflineScanCount counts the event's scans that came by sync.
func (d *DB) DoorOfflineScanCount(ctx context.Context, eventID int64) (int, error) {
	var n int
	if err := d.queryRow(ctx, d.db, "SELECT COUNT(*) FROM door_scans WHERE event_id = ? AND offline", eventID).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count offline door scans: %w", err)
	}
	return n, nil
}

// DoorAttendee returns the attendee a door scan names with their current
// badge version, in one query (a scan is on the door's critical path).
// Returns ENOTFOUND for an unknown attendee.
func (d *DB) DoorAttendee(ctx context.Context, id int64) (*lanyard.Attendee, int, error) {
	var version int
	a, err := scanAttendee(d.queryRow(ctx, d.db, "SELECT badge_version, "+strings.TrimPrefix(attendeeSelect, "SELECT ")+" WHERE id = ?", id), &version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, lanyard.Errorf(lanyard.ENOTFOUND, "No attendee %d.", id)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("store: door attendee %d: %w", id, err)
	}
	return a, version, nil
}

// DoorScanned returns who got verdict at door (for an overflow verdict, to
// room), by ID; attendee, when not 0, asks about that one attendee only.
// An overflow room's door admits those its session's door sent there.
func (d *DB) DoorScanned(ctx context.Context, eventID int64, door, verdict, room string, attendee int64) ([]int64, error) {
	rows, err := d.query(ctx, d.db, `SELECT DISTINCT attendee_id FROM door_scans WHERE event_id = ? AND door = ? AND verdict = ?
		AND room = ? AND attendee_id IS NOT NULL AND (attendee_id = ? OR ? = 0) ORDER BY attendee_id`, eventID, door, verdict, room, attendee, attendee)
	if err != nil {
		return nil, fmt.Errorf("store: door scanned: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: door scanned: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// BadgeFingerprint changes whenever an attendee is added or removed or a
// badge replaced: the count, the highest ID and the sum of versions. The
// door's data reuses its badge records while it stays the same.
func (d *DB) BadgeFingerprint(ctx context.Context, eventID int64) (string, error) {
	var n, maxID, sum int64
	if err := d.queryRow(ctx, d.db, "SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(SUM(badge_version), 0) FROM attendees WHERE event_id = ?", eventID).Scan(&n, &maxID, &sum); err != nil {
		return "", fmt.Errorf("store: badge fingerprint: %w", err)
	}
	return fmt.Sprintf("%d/%d/%d", n, maxID, sum), nil
}
