package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Token is an API token as stored: its hash, never its text.
type Token struct {
	AttendeeID int64
	Hash       []byte
	Name       string // what it is for ("cli", "demo")
}

// CreateTokens stores API token hashes in one transaction.
// Returns ECONFLICT if a hash is already stored.
func (d *DB) CreateTokens(ctx context.Context, ts []Token) error {
	now := d.Now().UTC()
	return d.inTx(ctx, func(tx *sql.Tx) error {
		err := d.insertRows(ctx, tx, "api_tokens", []string{"attendee_id", "token_hash", "name", "created_at"}, "", len(ts),
			func(i int) []any { return []any{ts[i].AttendeeID, ts[i].Hash, ts[i].Name, now} })
		return mapError(err, "That token")
	})
}

// FindAttendeeByTokenHash returns the owner of an API token.
// Returns EUNAUTHORIZED if no token has that hash.
func (d *DB) FindAttendeeByTokenHash(ctx context.Context, hash []byte) (*lanyard.Attendee, error) {
	a, err := scanAttendee(d.queryRow(ctx, d.db, `SELECT a.id, a.event_id, a.name, a.email, a.company, a.job_title,
		a.home_zone, a.certifications, a.role, a.created_at, a.canceled_at IS NOT NULL
		FROM api_tokens t JOIN attendees a ON a.id = t.attendee_id WHERE t.token_hash = ?`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lanyard.Errorf(lanyard.EUNAUTHORIZED, "The API token is not valid.")
	}
	if err != nil {
		return nil, fmt.Errorf("store: find token: %w", err)
	}
	return a, nil
}

// TokenAttendees returns the owner of every API token of an event's
// attendees, by token hash, for warming a token cache before a rush.
func (d *DB) TokenAttendees(ctx context.Context, eventID int64) (map[[32]byte]*lanyard.Attendee, error) {
	rows, err := d.query(ctx, d.db, `SELECT t.token_hash, a.id, a.event_id, a.name, a.email, a.company, a.job_title,
		a.home_zone, a.certifications, a.role, a.created_at, a.canceled_at IS NOT NULL
		FROM api_tokens t JOIN attendees a ON a.id = t.attendee_id WHERE a.event_id = ?`, eventID)
	if err != nil {
		return nil, fmt.Errorf("store: token attendees: %w", err)
	}
	defer rows.Close()
	out := map[[32]byte]*lanyard.Attendee{}
	for rows.Next() {
		var hash []byte
		a, err := scanAttendee(rows, &hash)
		if err != nil {
			return nil, fmt.Errorf("store: token attendees: %w", err)
		}
		var key [32]byte
		copy(key[:], hash)
		out[key] = a
	}
	return out, rows.Err()
}
