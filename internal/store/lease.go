package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
)

// ErrLeaseLost fails a batch whose node no longer holds the event's lease.
var ErrLeaseLost = errors.New("the ledger lease of this event is held by another node")

// Lease is who holds an event's ledger lease.
type Lease struct {
	Holder string
	URL    string
	Epoch  int64
}

// AcquireLease takes the event's ledger lease for holder, or renews it,
// for ttl, and returns the lease as it now stands: holder's if it was free,
// expired or already holder's. The epoch grows whenever the holder changes.
// Expiry uses the database's clock, so nodes' clocks need not agree.
// PostgreSQL only.
func (d *DB) AcquireLease(ctx context.Context, eventID int64, holder, url string, ttl time.Duration) (Lease, error) {
	if d.dialect != Postgres {
		return Lease{}, errors.New("store: leases need PostgreSQL")
	}
	var l Lease
	err := d.pool.QueryRow(ctx, `INSERT INTO ledger_leases (event_id, holder, url, epoch, expires_at)
		VALUES ($1, $2, $3, 1, now() + $4 * interval '1 millisecond')
		ON CONFLICT (event_id) DO UPDATE SET holder = excluded.holder, url = excluded.url,
			epoch = CASE WHEN ledger_leases.holder = excluded.holder THEN ledger_leases.epoch ELSE ledger_leases.epoch + 1 END,
			expires_at = excluded.expires_at
		WHERE ledger_leases.holder = excluded.holder OR ledger_leases.expires_at < now()
		RETURNING holder, url, epoch`, eventID, holder, url, ttl.Milliseconds()).Scan(&l.Holder, &l.URL, &l.Epoch)
	if errors.Is(err, pgx.ErrNoRows) {
		err = d.pool.QueryRow(ctx, `SELECT holder, url, epoch FROM ledger_leases WHERE event_id = $1`, eventID).Scan(&l.Holder, &l.URL, &l.Epoch)
	}
	if err != nil {
		return Lease{}, fmt.Errorf("store: lease: %w", err)
	}
	return l, nil
}

// FindLease returns the event's lease as it stands, expired or not.
// Returns ENOTFOUND when no node has taken it yet.
func (d *DB) FindLease(ctx context.Context, eventID int64) (Lease, error) {
	var l Lease
	err := d.queryRow(ctx, d.db, `SELECT holder, url, epoch FROM ledger_leases WHERE event_id = ?`, eventID).Scan(&l.Holder, &l.URL, &l.Epoch)
	if errors.Is(err, sql.ErrNoRows) {
		return l, lanyard.Errorf(lanyard.ENOTFOUND, "No node holds the lease of event %d.", eventID)
	}
	if err != nil {
		return l, fmt.Errorf("store: find lease: %w", err)
	}
	return l, nil
}

// ReleaseLease gives the lease up at once (a clean shutdown), so another
// node need not wait for it to expire.
func (d *DB) ReleaseLease(ctx context.Context, eventID int64, holder string) error {
	if d.dialect != Postgres {
		return nil
	}
	_, err := d.pool.Exec(ctx, `UPDATE ledger_leases SET expires_at = now() - interval '1 second' WHERE event_id = $1 AND holder = $2`, eventID, holder)
	return err
}

// SeatCounts reads every session's live counts from the database, for a
// node that does not hold the ledger.
func (d *DB) SeatCounts(ctx context.Context, eventID int64) (map[string]lanyard.SeatCount, error) {
	rows, err := d.query(ctx, d.db, `SELECT s.code, COALESCE(r.capacity, 0), s.capacity_override, ss.reservable, ss.taken,
		(SELECT COUNT(*) FROM waitlist w WHERE w.session_id = s.id)
		FROM sessions s JOIN session_seats ss ON ss.session_id = s.id LEFT JOIN rooms r ON r.id = s.room_id
		WHERE s.event_id = ?`, eventID)
	if err != nil {
		return nil, fmt.Errorf("store: seat counts: %w", err)
	}
	defer rows.Close()
	out := map[string]lanyard.SeatCount{}
	for rows.Next() {
		var code string
		var c lanyard.SeatCount
		var override int
		if err := rows.Scan(&code, &c.Capacity, &override, &c.Reservable, &c.Taken, &c.WaitlistLength); err != nil {
			return nil, fmt.Errorf("store: seat counts: %w", err)
		}
		if override > 0 {
			c.Capacity = override
		}
		c.SeatsLeft = max(c.Reservable-c.Taken, 0)
		out[code] = c
	}
	return out, rows.Err()
}

// seatChannel is the PostgreSQL channel that carries seat counts to every node.
const seatChannel = "lanyard_seats"

// SeatNotice is one batch's seat counts as sent to other nodes.
type SeatNotice struct {
	Event  int64              `json:"e"`
	Counts []reserve.CountRow `json:"c"`
	// Catalog says the batch changed sessions (an organizer moved one or
	// added a repeat): other nodes read the catalog afresh for their pages.
	Catalog bool `json:"cat,omitempty"`
	// Places are places' counts (issue 13), as Counts are seats'.
	Places []lanyard.Occupancy `json:"p,omitempty"`
}

// notices splits a batch's counts into NOTIFY payloads under PostgreSQL's
// 8,000-byte limit, and adds one that says the catalog changed when the
// batch changed sessions.
func notices(b *reserve.Batch) []string {
	var out []string
	for start := 0; start < len(b.Counts); {
		end := min(start+40, len(b.Counts)) // ~150 bytes a count
		p, _ := json.Marshal(SeatNotice{Event: b.EventID, Counts: b.Counts[start:end]})
		out = append(out, string(p))
		start = end
	}
	// === places (issue 13) ===
	for start := 0; start < len(b.Occupancy); {
		end := min(start+80, len(b.Occupancy)) // ~70 bytes a count
		p, _ := json.Marshal(SeatNotice{Event: b.EventID, Places: b.Occupancy[start:end]})
		out = append(out, string(p))
		start = end
	}
	if len(b.Sessions) > 0 {
		p, _ := json.Marshal(SeatNotice{Event: b.EventID, Catalog: true})
		out = append(out, string(p))
	}
	return out
}

// ListenSeats calls fn with every batch's seat counts committed by any node,
// until ctx is done. listening is called once LISTEN is in place: counts
// read from then on miss no notice. PostgreSQL only.
func (d *DB) ListenSeats(ctx context.Context, listening func(), fn func(SeatNotice)) error {
	if d.dialect != Postgres {
		return errors.New("store: seat notices need PostgreSQL")
	}
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("store: listen: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "LISTEN "+seatChannel); err != nil {
		return fmt.Errorf("store: listen: %w", err)
	}
	listening()
	for {
		n, err := conn.Conn().WaitForNotification(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("store: listen: %w", err)
		}
		var notice SeatNotice
		if json.Unmarshal([]byte(n.Payload), &notice) == nil {
			fn(notice)
		}
	}
}
