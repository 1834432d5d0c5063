package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Ratings of sessions (migration 00130). A rating exists only for an
// attendee the door admitted to the session: PutRating checks the
// admissions row in the same transaction, so no caller can skip the rule.

// PutRating writes or replaces attendee's rating of session (by ID) and
// returns it as stored. r must be valid (Rating.Validate). Returns
// ENotCheckedIn when the attendee was not admitted to the session.
func (d *DB) PutRating(ctx context.Context, attendeeID, sessionID int64, r lanyard.Rating) (lanyard.Rating, error) {
	r.UpdatedAt = d.Now().UTC()
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var one int
		err := d.queryRow(ctx, tx, `SELECT 1 FROM admissions WHERE session_id = ? AND attendee_id = ?`, sessionID, attendeeID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return lanyard.Errorf(lanyard.ENotCheckedIn, "Only people who checked in to %s at its door can rate it.", r.Session)
		}
		if err != nil {
			return err
		}
		_, err = d.exec(ctx, tx, `INSERT INTO session_ratings (session_id, attendee_id, score, comment, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (session_id, attendee_id) DO UPDATE SET score = excluded.score, comment = excluded.comment, updated_at = excluded.updated_at`,
			sessionID, attendeeID, r.Score, r.Comment, r.UpdatedAt)
		return err
	})
	if err != nil {
		return lanyard.Rating{}, fmt.Errorf("store: rate session %d: %w", sessionID, err)
	}
	return r, nil
}

// Admitted reports whether the door admitted attendee to session (by ID):
// checked in with a reservation, as a walk-up or to an overflow room. One
// primary-key read of admissions.
func (d *DB) Admitted(ctx context.Context, attendeeID, sessionID int64) (bool, error) {
	var one int
	err := d.queryRow(ctx, d.db, `SELECT 1 FROM admissions WHERE session_id = ? AND attendee_id = ?`, sessionID, attendeeID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: admitted to session %d: %w", sessionID, err)
	}
	return true, nil
}

// RatingOf returns attendee's rating of session (by ID), or ENOTFOUND.
func (d *DB) RatingOf(ctx context.Context, attendeeID, sessionID int64) (lanyard.Rating, error) {
	var r lanyard.Rating
	err := d.queryRow(ctx, d.db, `SELECT s.code, r.score, r.comment, r.updated_at FROM session_ratings r JOIN sessions s ON s.id = r.session_id
		WHERE r.session_id = ? AND r.attendee_id = ?`, sessionID, attendeeID).Scan(&r.Session, &r.Score, &r.Comment, &r.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return lanyard.Rating{}, lanyard.Errorf(lanyard.ENOTFOUND, "No rating of this session yet.")
	}
	if err != nil {
		return lanyard.Rating{}, fmt.Errorf("store: rating of session %d: %w", sessionID, err)
	}
	r.UpdatedAt = r.UpdatedAt.UTC()
	return r, nil
}

// RatingsBy returns every rating attendee gave, by session code.
func (d *DB) RatingsBy(ctx context.Context, attendeeID int64) (map[string]lanyard.Rating, error) {
	rows, err := d.query(ctx, d.db, `SELECT s.code, r.score, r.comment, r.updated_at FROM session_ratings r JOIN sessions s ON s.id = r.session_id
		WHERE r.attendee_id = ?`, attendeeID)
	if err != nil {
		return nil, fmt.Errorf("store: ratings by %d: %w", attendeeID, err)
	}
	defer rows.Close()
	out := map[string]lanyard.Rating{}
	for rows.Next() {
		var r lanyard.Rating
		if err := rows.Scan(&r.Session, &r.Score, &r.Comment, &r.UpdatedAt); err != nil {
			return nil, fmt.Errorf("store: ratings by %d: %w", attendeeID, err)
		}
		r.UpdatedAt = r.UpdatedAt.UTC()
		out[r.Session] = r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: ratings by %d: %w", attendeeID, err)
	}
	return out, nil
}

// RatingReport sums up the ratings of an event's sessions, by session
// code (sessions without ratings are absent), with every comment, newest
// first, and never who gave it.
func (d *DB) RatingReport(ctx context.Context, eventID int64) (map[string]*lanyard.SessionRatings, error) {
	return d.ratingReport(ctx, `s.event_id = ?`, eventID)
}

// SessionRatings sums up one session's ratings (by ID), as RatingReport.
func (d *DB) SessionRatings(ctx context.Context, sessionID int64) (lanyard.SessionRatings, error) {
	m, err := d.ratingReport(ctx, `s.id = ?`, sessionID)
	if err != nil {
		return lanyard.SessionRatings{}, err
	}
	for _, sr := range m {
		return *sr, nil
	}
	return lanyard.SessionRatings{}, nil
}

func (d *DB) ratingReport(ctx context.Context, where string, arg int64) (map[string]*lanyard.SessionRatings, error) {
	rows, err := d.query(ctx, d.db, `SELECT s.code, r.score, r.comment, r.updated_at FROM session_ratings r JOIN sessions s ON s.id = r.session_id
		WHERE `+where+` ORDER BY r.updated_at DESC, r.attendee_id`, arg)
	if err != nil {
		return nil, fmt.Errorf("store: rating report: %w", err)
	}
	defer rows.Close()
	out := map[string]*lanyard.SessionRatings{}
	for rows.Next() {
		var code, comment string
		var score int
		var rc lanyard.RatingComment
		if err := rows.Scan(&code, &score, &comment, &rc.At); err != nil {
			return nil, fmt.Errorf("store: rating report: %w", err)
		}
		sr := out[code]
		if sr == nil {
			sr = &lanyard.SessionRatings{Session: code}
			out[code] = sr
		}
		sr.Count++
		sr.Sum += score
		if score >= 1 && score <= 5 {
			sr.ByScore[score-1]++
		}
		if comment != "" {
			rc.Score, rc.Comment, rc.At = score, comment, rc.At.UTC()
			sr.Comments = append(sr.Comments, rc)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: rating report: %w", err)
	}
	return out, nil
}

// RatingLinkKey returns the event's key for signing speakers' result
// links, made (256 random bits) on first use.
func (d *DB) RatingLinkKey(ctx context.Context, eventID int64) ([]byte, error) {
	var key []byte
	err := d.queryRow(ctx, d.db, `SELECT secret FROM rating_link_keys WHERE event_id = ?`, eventID).Scan(&key)
	if err == nil {
		return key, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: rating link key: %w", err)
	}
	fresh := make([]byte, 32)
	rand.Read(fresh)
	// Two nodes may make one at once: the first insert wins, both read it.
	if _, err := d.exec(ctx, d.db, `INSERT INTO rating_link_keys (event_id, secret) VALUES (?, ?) ON CONFLICT (event_id) DO NOTHING`, eventID, fresh); err != nil {
		return nil, fmt.Errorf("store: rating link key: %w", err)
	}
	if err := d.queryRow(ctx, d.db, `SELECT secret FROM rating_link_keys WHERE event_id = ?`, eventID).Scan(&key); err != nil {
		return nil, fmt.Errorf("store: rating link key: %w", err)
	}
	return key, nil
}
