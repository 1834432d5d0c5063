package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Upload is a file kept for the console's attendee import.
type Upload struct {
	ID        int64
	EventID   int64
	ActorID   int64
	Filename  string
	Format    string
	Data      []byte
	CreatedAt time.Time
}

// uploadTTL is how long an upload waits to be applied.
const uploadTTL = 24 * time.Hour

// SaveUpload keeps an uploaded import file and returns its ID; uploads
// older than a day go in the same transaction.
func (d *DB) SaveUpload(ctx context.Context, u Upload) (int64, error) {
	now := d.Now().UTC()
	var id int64
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := d.exec(ctx, tx, `DELETE FROM import_uploads WHERE created_at < ?`, now.Add(-uploadTTL)); err != nil {
			return err
		}
		return d.queryRow(ctx, tx, `INSERT INTO import_uploads (event_id, actor_id, filename, format, data, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, u.EventID, nullID(u.ActorID), u.Filename, u.Format, u.Data, now).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("store: save upload: %w", err)
	}
	return id, nil
}

// Upload returns an event's kept upload, or ENOTFOUND (never saved,
// applied, or expired).
func (d *DB) Upload(ctx context.Context, eventID, id int64) (Upload, error) {
	u := Upload{ID: id, EventID: eventID}
	var actor sql.Null[int64]
	err := d.queryRow(ctx, d.db, `SELECT actor_id, filename, format, data, created_at FROM import_uploads WHERE id = ? AND event_id = ? AND created_at >= ?`,
		id, eventID, d.Now().UTC().Add(-uploadTTL)).Scan(&actor, &u.Filename, &u.Format, &u.Data, &u.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Upload{}, lanyard.Errorf(lanyard.ENOTFOUND, "That upload is gone: it was applied, or is more than a day old. Upload the file again.")
	}
	if err != nil {
		return Upload{}, fmt.Errorf("store: upload %d: %w", id, err)
	}
	u.ActorID, u.CreatedAt = actor.V, u.CreatedAt.UTC()
	return u, nil
}

// DeleteUpload removes a kept upload (it was applied).
func (d *DB) DeleteUpload(ctx context.Context, eventID, id int64) error {
	if _, err := d.exec(ctx, d.db, `DELETE FROM import_uploads WHERE id = ? AND event_id = ?`, id, eventID); err != nil {
		return fmt.Errorf("store: delete upload %d: %w", id, err)
	}
	return nil
}
