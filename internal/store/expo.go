package store

// The expo floor (migration 00151): the hall's map, each booth's hours and
// mark on it, booth events, and attendees' favorite booths and booth
// events. Exhibitors themselves are expo_base.go's.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// ExpoBooth is an exhibitor with its booth's hours and mark on the map.
type ExpoBooth struct {
	lanyard.Exhibitor
	Hours  string
	Marked bool // X, Y, W, H mean something
	X, Y   float64
	W, H   float64 // 0 × 0: a point
}

// ExpoEvent is a talk, giveaway or demo at a booth.
type ExpoEvent struct {
	ID          int64
	ExhibitorID int64
	Kind        string // ExpoTalk, ExpoGiveaway, ExpoDemo
	Title       string
	Description string
	Starts      time.Time
	Ends        time.Time
	// Filled on reads: the exhibitor's code, name and booth number.
	Code, Exhibitor, Booth string
}

// Kinds of booth event.
const (
	ExpoTalk     = "talk"
	ExpoGiveaway = "giveaway"
	ExpoDemo     = "demo"
)

// ExpoMap is the expo hall's map, without its bytes.
type ExpoMap struct {
	Format                    string
	MinX, MinY, Width, Height float64
	Version                   int64 // changes with each upload
}

const expoBoothCols = `x.id, x.code, x.name, x.booth, x.description, x.categories, x.website,
	COALESCE(b.hours, ''), COALESCE(b.marked, FALSE), COALESCE(b.x, 0), COALESCE(b.y, 0), COALESCE(b.w, 0), COALESCE(b.h, 0)`

func scanExpoBooth(r interface{ Scan(...any) error }) (ExpoBooth, error) {
	var b ExpoBooth
	var cats string
	err := r.Scan(&b.ID, &b.Code, &b.Name, &b.Booth, &b.Description, &cats, &b.Website, &b.Hours, &b.Marked, &b.X, &b.Y, &b.W, &b.H)
	b.Categories = splitList(cats)
	return b, err
}

// ExpoBooths lists the event's exhibitors with their booths, by name.
func (d *DB) ExpoBooths(ctx context.Context, eventID int64) ([]ExpoBooth, error) {
	var out []ExpoBooth
	err := d.scanAll(ctx, `SELECT `+expoBoothCols+` FROM exhibitors x LEFT JOIN expo_booths b ON b.exhibitor_id = x.id
		WHERE x.event_id = ? AND x.removed_at IS NULL ORDER BY x.name, x.id`, []any{eventID}, func(r *sql.Rows) error {
		b, err := scanExpoBooth(r)
		out = append(out, b)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: expo booths: %w", err)
	}
	return out, nil
}

// ExpoBooth returns the event's exhibitor by code with its booth, or ENOTFOUND.
func (d *DB) ExpoBooth(ctx context.Context, eventID int64, code string) (ExpoBooth, error) {
	b, err := scanExpoBooth(d.queryRow(ctx, d.db, `SELECT `+expoBoothCols+` FROM exhibitors x LEFT JOIN expo_booths b ON b.exhibitor_id = x.id
		WHERE x.event_id = ? AND x.code = ? AND x.removed_at IS NULL`, eventID, code))
	if errors.Is(err, sql.ErrNoRows) {
		err = lanyard.Errorf(lanyard.ENOTFOUND, "No exhibitor %q.", code)
	}
	if err != nil {
		return b, fmt.Errorf("store: expo booth %q: %w", code, err)
	}
	return b, nil
}

// ExpoSetHours sets a booth's opening hours.
func (d *DB) ExpoSetHours(ctx context.Context, exhibitorID int64, hours string) error {
	_, err := d.exec(ctx, d.db, `INSERT INTO expo_booths (exhibitor_id, hours) VALUES (?, ?)
		ON CONFLICT (exhibitor_id) DO UPDATE SET hours = excluded.hours`, exhibitorID, hours)
	if err != nil {
		return fmt.Errorf("store: booth hours %d: %w", exhibitorID, err)
	}
	return nil
}

// ExpoMarkBooth puts the booth on the map (marked false takes it off).
// Returns ENOTFOUND if the exhibitor is not the event's.
func (d *DB) ExpoMarkBooth(ctx context.Context, eventID, exhibitorID int64, marked bool, x, y, w, h float64) error {
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var one int
		err := d.queryRow(ctx, tx, `SELECT 1 FROM exhibitors WHERE id = ? AND event_id = ?`, exhibitorID, eventID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return lanyard.Errorf(lanyard.ENOTFOUND, "No exhibitor %d.", exhibitorID)
		}
		if err != nil {
			return err
		}
		_, err = d.exec(ctx, tx, `INSERT INTO expo_booths (exhibitor_id, marked, x, y, w, h) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (exhibitor_id) DO UPDATE SET marked = excluded.marked, x = excluded.x, y = excluded.y, w = excluded.w, h = excluded.h`,
			exhibitorID, marked, x, y, w, h)
		return mapError(err, "A booth mark")
	})
	if err != nil {
		return fmt.Errorf("store: mark booth %d: %w", exhibitorID, err)
	}
	return nil
}

// ExpoSaveMap stores the expo hall's map (replacing the one before; the
// marks stay, in the new map's coordinates).
func (d *DB) ExpoSaveMap(ctx context.Context, eventID int64, format string, data []byte, minX, minY, width, height float64) error {
	_, err := d.exec(ctx, d.db, `INSERT INTO expo_maps (event_id, format, data, min_x, min_y, width, height, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (event_id) DO UPDATE SET format = excluded.format, data = excluded.data, min_x = excluded.min_x, min_y = excluded.min_y,
			width = excluded.width, height = excluded.height, created_at = excluded.created_at`,
		eventID, format, data, minX, minY, width, height, d.Now().UTC())
	if err = mapError(err, "A map"); err != nil {
		return fmt.Errorf("store: save expo map: %w", err)
	}
	return nil
}

// ExpoMap returns the expo hall's map without its bytes, or ENOTFOUND.
func (d *DB) ExpoMap(ctx context.Context, eventID int64) (ExpoMap, error) {
	var m ExpoMap
	var at time.Time
	err := d.queryRow(ctx, d.db, `SELECT format, min_x, min_y, width, height, created_at FROM expo_maps WHERE event_id = ?`, eventID).
		Scan(&m.Format, &m.MinX, &m.MinY, &m.Width, &m.Height, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return m, lanyard.Errorf(lanyard.ENOTFOUND, "The expo has no map yet.")
	}
	if err != nil {
		return m, fmt.Errorf("store: expo map: %w", err)
	}
	m.Version = at.UTC().UnixMilli()
	return m, nil
}

// ExpoMapData returns the map's format, bytes and version, or ENOTFOUND.
func (d *DB) ExpoMapData(ctx context.Context, eventID int64) (format string, data []byte, version int64, err error) {
	var at time.Time
	err = d.queryRow(ctx, d.db, `SELECT format, data, created_at FROM expo_maps WHERE event_id = ?`, eventID).Scan(&format, &data, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, 0, lanyard.Errorf(lanyard.ENOTFOUND, "The expo has no map yet.")
	}
	if err != nil {
		return "", nil, 0, fmt.Errorf("store: expo map data: %w", err)
	}
	return format, data, at.UTC().UnixMilli(), nil
}

const expoEventCols = `e.id, e.exhibitor_id, e.kind, e.title, e.description, e.starts_at, e.ends_at, x.code, x.name, x.booth`

func scanExpoEvent(r interface{ Scan(...any) error }) (ExpoEvent, error) {
	var e ExpoEvent
	err := r.Scan(&e.ID, &e.ExhibitorID, &e.Kind, &e.Title, &e.Description, &e.Starts, &e.Ends, &e.Code, &e.Exhibitor, &e.Booth)
	e.Starts, e.Ends = e.Starts.UTC(), e.Ends.UTC()
	return e, err
}

// ExpoPutEvent creates a booth event (e.ID 0) or updates it, in either
// case only as one of exhibitor e.ExhibitorID's: an ID of another
// exhibitor's event is ENOTFOUND. Returns the event's ID.
func (d *DB) ExpoPutEvent(ctx context.Context, eventID int64, e ExpoEvent) (int64, error) {
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var one int
		err := d.queryRow(ctx, tx, `SELECT 1 FROM exhibitors WHERE id = ? AND event_id = ?`, e.ExhibitorID, eventID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return lanyard.Errorf(lanyard.ENOTFOUND, "No exhibitor %d.", e.ExhibitorID)
		}
		if err != nil {
			return err
		}
		if e.ID == 0 {
			return mapError(d.queryRow(ctx, tx, `INSERT INTO booth_events (exhibitor_id, kind, title, description, starts_at, ends_at)
				VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, e.ExhibitorID, e.Kind, e.Title, e.Description, e.Starts.UTC(), e.Ends.UTC()).Scan(&e.ID), "A booth event")
		}
		res, err := d.exec(ctx, tx, `UPDATE booth_events SET kind = ?, title = ?, description = ?, starts_at = ?, ends_at = ?
			WHERE id = ? AND exhibitor_id = ?`, e.Kind, e.Title, e.Description, e.Starts.UTC(), e.Ends.UTC(), e.ID, e.ExhibitorID)
		if err != nil {
			return mapError(err, "A booth event")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return lanyard.Errorf(lanyard.ENOTFOUND, "No booth event %d.", e.ID)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: put booth event: %w", err)
	}
	return e.ID, nil
}

// ExpoDeleteEvent deletes one of the exhibitor's booth events, or ENOTFOUND.
func (d *DB) ExpoDeleteEvent(ctx context.Context, exhibitorID, id int64) error {
	res, err := d.exec(ctx, d.db, `DELETE FROM booth_events WHERE id = ? AND exhibitor_id = ?`, id, exhibitorID)
	if err != nil {
		return fmt.Errorf("store: delete booth event %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return lanyard.Errorf(lanyard.ENOTFOUND, "No booth event %d.", id)
	}
	return nil
}

// ExpoEvents lists booth events by start: the exhibitor's, or the whole
// event's when exhibitorID is 0.
func (d *DB) ExpoEvents(ctx context.Context, eventID, exhibitorID int64) ([]ExpoEvent, error) {
	var out []ExpoEvent
	err := d.scanAll(ctx, `SELECT `+expoEventCols+` FROM booth_events e JOIN exhibitors x ON x.id = e.exhibitor_id
		WHERE x.event_id = ? AND x.removed_at IS NULL AND (? = 0 OR x.id = ?) ORDER BY e.starts_at, e.id`, []any{eventID, exhibitorID, exhibitorID}, func(r *sql.Rows) error {
		e, err := scanExpoEvent(r)
		out = append(out, e)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: booth events: %w", err)
	}
	return out, nil
}

// ExpoFavoriteEvents lists the booth events the attendee favorited, by start:
// what their agenda shows.
func (d *DB) ExpoFavoriteEvents(ctx context.Context, eventID, attendeeID int64) ([]ExpoEvent, error) {
	var out []ExpoEvent
	err := d.scanAll(ctx, `SELECT `+expoEventCols+` FROM booth_event_favorites f JOIN booth_events e ON e.id = f.booth_event_id
		JOIN exhibitors x ON x.id = e.exhibitor_id
		WHERE f.attendee_id = ? AND x.event_id = ? AND x.removed_at IS NULL ORDER BY e.starts_at, e.id`, []any{attendeeID, eventID}, func(r *sql.Rows) error {
		e, err := scanExpoEvent(r)
		out = append(out, e)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: favorite booth events: %w", err)
	}
	return out, nil
}

// ExpoFavoriteBooths lists the IDs of the exhibitors whose booths the
// attendee favorited.
func (d *DB) ExpoFavoriteBooths(ctx context.Context, eventID, attendeeID int64) ([]int64, error) {
	var out []int64
	err := d.scanAll(ctx, `SELECT f.exhibitor_id FROM booth_favorites f JOIN exhibitors x ON x.id = f.exhibitor_id
		WHERE f.attendee_id = ? AND x.event_id = ? AND x.removed_at IS NULL ORDER BY f.exhibitor_id`, []any{attendeeID, eventID}, func(r *sql.Rows) error {
		var id int64
		out = append(out, id)
		return r.Scan(&out[len(out)-1])
	})
	if err != nil {
		return nil, fmt.Errorf("store: favorite booths: %w", err)
	}
	return out, nil
}

// ExpoFavoriteBooth adds (on) or removes the attendee's favorite booth;
// doing it twice is doing it once. Returns ENOTFOUND if the exhibitor is
// not the event's.
func (d *DB) ExpoFavoriteBooth(ctx context.Context, eventID, attendeeID, exhibitorID int64, on bool) error {
	var err error
	if on {
		var res sql.Result
		res, err = d.exec(ctx, d.db, `INSERT INTO booth_favorites (attendee_id, exhibitor_id)
			SELECT ?, id FROM exhibitors WHERE id = ? AND event_id = ? AND removed_at IS NULL ON CONFLICT DO NOTHING`, attendeeID, exhibitorID, eventID)
		if err == nil {
			if n, _ := res.RowsAffected(); n == 0 {
				err = d.expoExists(ctx, `SELECT 1 FROM exhibitors WHERE id = ? AND event_id = ? AND removed_at IS NULL`, exhibitorID, eventID)
			}
		}
	} else {
		_, err = d.exec(ctx, d.db, `DELETE FROM booth_favorites WHERE attendee_id = ? AND exhibitor_id = ?`, attendeeID, exhibitorID)
	}
	if err != nil {
		return fmt.Errorf("store: favorite booth %d: %w", exhibitorID, err)
	}
	return nil
}

// ExpoFavoriteEvent adds (on) or removes the attendee's favorite booth
// event. Returns ENOTFOUND if the booth event is not the event's.
func (d *DB) ExpoFavoriteEvent(ctx context.Context, eventID, attendeeID, boothEventID int64, on bool) error {
	const exists = `SELECT 1 FROM booth_events e JOIN exhibitors x ON x.id = e.exhibitor_id WHERE e.id = ? AND x.event_id = ? AND x.removed_at IS NULL`
	var err error
	if on {
		var res sql.Result
		res, err = d.exec(ctx, d.db, `INSERT INTO booth_event_favorites (attendee_id, booth_event_id)
			SELECT ?, e.id FROM booth_events e JOIN exhibitors x ON x.id = e.exhibitor_id WHERE e.id = ? AND x.event_id = ? AND x.removed_at IS NULL
			ON CONFLICT DO NOTHING`, attendeeID, boothEventID, eventID)
		if err == nil {
			if n, _ := res.RowsAffected(); n == 0 {
				err = d.expoExists(ctx, exists, boothEventID, eventID)
			}
		}
	} else {
		_, err = d.exec(ctx, d.db, `DELETE FROM booth_event_favorites WHERE attendee_id = ? AND booth_event_id = ?`, attendeeID, boothEventID)
	}
	if err != nil {
		return fmt.Errorf("store: favorite booth event %d: %w", boothEventID, err)
	}
	return nil
}

// expoExists is nil if q finds a row, else ENOTFOUND.
func (d *DB) expoExists(ctx context.Context, q string, args ...any) error {
	var one int
	err := d.queryRow(ctx, d.db, q, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return lanyard.Errorf(lanyard.ENOTFOUND, "No such booth or booth event.")
	}
	return err
}

// ExpoStaff lists the exhibitor's staff accounts by name.
func (d *DB) ExpoStaff(ctx context.Context, exhibitorID int64) ([]*lanyard.Attendee, error) {
	var out []*lanyard.Attendee
	err := d.scanAll(ctx, `SELECT a.id, a.name, a.email, a.role FROM exhibitor_staff s JOIN attendees a ON a.id = s.attendee_id
		WHERE s.exhibitor_id = ? ORDER BY a.name, a.id`, []any{exhibitorID}, func(r *sql.Rows) error {
		a := &lanyard.Attendee{}
		out = append(out, a)
		return r.Scan(&a.ID, &a.Name, &a.Email, &a.Role)
	})
	if err != nil {
		return nil, fmt.Errorf("store: exhibitor staff %d: %w", exhibitorID, err)
	}
	return out, nil
}

// ExpoRemoveStaff takes attendee off the exhibitor's staff. Returns
// ENOTFOUND if they were not on it. The caller changes their role.
func (d *DB) ExpoRemoveStaff(ctx context.Context, exhibitorID, attendeeID int64) error {
	res, err := d.exec(ctx, d.db, `DELETE FROM exhibitor_staff WHERE exhibitor_id = ? AND attendee_id = ?`, exhibitorID, attendeeID)
	if err != nil {
		return fmt.Errorf("store: remove staff %d: %w", attendeeID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return lanyard.Errorf(lanyard.ENOTFOUND, "Not on this exhibitor's staff.")
	}
	return nil
}
