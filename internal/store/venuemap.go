package store

// Venue maps: floor plans, the rooms marked on them, and shuttle routes
// (migration 00140). The plan's bytes are read only when served.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// NewPlan is an accepted upload to store as a venue's floor plan.
type NewPlan struct {
	Venue  string // venue code
	Name   string
	Format string
	Data   []byte
	MinX   float64
	MinY   float64
	Width  float64
	Height float64
}

// SavePlan stores a floor plan for one of the event's venues and returns
// its ID. Returns ENOTFOUND if the event has no such venue.
func (d *DB) SavePlan(ctx context.Context, eventID int64, p NewPlan) (int64, error) {
	var id int64
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var venueID int64
		err := d.queryRow(ctx, tx, `SELECT id FROM venues WHERE event_id = ? AND code = ?`, eventID, p.Venue).Scan(&venueID)
		if errors.Is(err, sql.ErrNoRows) {
			return lanyard.Errorf(lanyard.ENOTFOUND, "No venue %q.", p.Venue)
		}
		if err != nil {
			return err
		}
		return mapError(d.queryRow(ctx, tx, `INSERT INTO venue_plans (event_id, venue_id, name, format, data, min_x, min_y, width, height, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, eventID, venueID, p.Name, p.Format, p.Data, p.MinX, p.MinY, p.Width, p.Height, d.Now().UTC()).Scan(&id), "A plan")
	})
	if err != nil {
		return 0, fmt.Errorf("store: save plan: %w", err)
	}
	return id, nil
}

// VenuePlans returns the plans of a venue (all the event's venues when
// venue is ""), oldest first, with their marked rooms and without their
// bytes.
func (d *DB) VenuePlans(ctx context.Context, eventID int64, venue string) ([]lanyard.VenuePlan, error) {
	rows, err := d.query(ctx, d.db, `SELECT p.id, p.venue_id, v.code, p.name, p.format, p.min_x, p.min_y, p.width, p.height, p.created_at
		FROM venue_plans p JOIN venues v ON v.id = p.venue_id
		WHERE p.event_id = ? AND (? = '' OR v.code = ?) ORDER BY p.id`, eventID, venue, venue)
	if err != nil {
		return nil, fmt.Errorf("store: venue plans: %w", err)
	}
	var plans []lanyard.VenuePlan
	byID := map[int64]int{}
	for rows.Next() {
		var p lanyard.VenuePlan
		if err := rows.Scan(&p.ID, &p.VenueID, &p.Venue, &p.Name, &p.Format, &p.MinX, &p.MinY, &p.Width, &p.Height, &p.CreatedAt); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: venue plans: %w", err)
		}
		p.CreatedAt = p.CreatedAt.UTC()
		p.Version = p.CreatedAt.UnixMilli()
		p.Rooms = []lanyard.PlanRoom{}
		byID[p.ID] = len(plans)
		plans = append(plans, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: venue plans: %w", err)
	}
	if len(plans) == 0 {
		return plans, nil
	}
	marks, err := d.query(ctx, d.db, `SELECT m.plan_id, m.room_id, r.name, m.x, m.y, m.w, m.h
		FROM plan_rooms m JOIN venue_plans p ON p.id = m.plan_id JOIN rooms r ON r.id = m.room_id JOIN venues v ON v.id = p.venue_id
		WHERE p.event_id = ? AND (? = '' OR v.code = ?) ORDER BY m.plan_id, r.name`, eventID, venue, venue)
	if err != nil {
		return nil, fmt.Errorf("store: plan rooms: %w", err)
	}
	defer marks.Close()
	for marks.Next() {
		var planID int64
		var m lanyard.PlanRoom
		if err := marks.Scan(&planID, &m.RoomID, &m.Room, &m.X, &m.Y, &m.W, &m.H); err != nil {
			return nil, fmt.Errorf("store: plan rooms: %w", err)
		}
		if i, ok := byID[planID]; ok {
			plans[i].Rooms = append(plans[i].Rooms, m)
		}
	}
	return plans, marks.Err()
}

// Plan returns one of the event's plans with its marked rooms, or ENOTFOUND.
func (d *DB) Plan(ctx context.Context, eventID, planID int64) (lanyard.VenuePlan, error) {
	var venue string
	err := d.queryRow(ctx, d.db, `SELECT v.code FROM venue_plans p JOIN venues v ON v.id = p.venue_id WHERE p.id = ? AND p.event_id = ?`, planID, eventID).Scan(&venue)
	if errors.Is(err, sql.ErrNoRows) {
		return lanyard.VenuePlan{}, lanyard.Errorf(lanyard.ENOTFOUND, "No such plan.")
	}
	if err != nil {
		return lanyard.VenuePlan{}, fmt.Errorf("store: plan %d: %w", planID, err)
	}
	plans, err := d.VenuePlans(ctx, eventID, venue)
	if err != nil {
		return lanyard.VenuePlan{}, err
	}
	for _, p := range plans {
		if p.ID == planID {
			return p, nil
		}
	}
	return lanyard.VenuePlan{}, lanyard.Errorf(lanyard.ENOTFOUND, "No such plan.")
}

// PlanData returns a plan's format, bytes and version, or ENOTFOUND.
func (d *DB) PlanData(ctx context.Context, eventID, planID int64) (format string, data []byte, version int64, err error) {
	var created sql.NullTime
	err = d.queryRow(ctx, d.db, `SELECT format, data, created_at FROM venue_plans WHERE id = ? AND event_id = ?`, planID, eventID).Scan(&format, &data, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, 0, lanyard.Errorf(lanyard.ENOTFOUND, "No such plan.")
	}
	if err != nil {
		return "", nil, 0, fmt.Errorf("store: plan data %d: %w", planID, err)
	}
	return format, data, created.Time.UTC().UnixMilli(), nil
}

// DeletePlan removes a plan and its marks. Returns ENOTFOUND if the event
// has no such plan.
func (d *DB) DeletePlan(ctx context.Context, eventID, planID int64) error {
	res, err := d.exec(ctx, d.db, `DELETE FROM venue_plans WHERE id = ? AND event_id = ?`, planID, eventID)
	if err != nil {
		return fmt.Errorf("store: delete plan %d: %w", planID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return lanyard.Errorf(lanyard.ENOTFOUND, "No such plan.")
	}
	return nil
}

// MarkRoom puts a room on a plan (again: the new mark replaces the old).
// Returns ENOTFOUND if the plan is not the event's, or the room is not in
// the plan's venue.
func (d *DB) MarkRoom(ctx context.Context, eventID, planID int64, m lanyard.PlanRoom) error {
	return d.MarkRooms(ctx, eventID, planID, []lanyard.PlanRoom{m})
}

// MarkRooms is MarkRoom for several rooms, in one transaction: all of them
// or none.
func (d *DB) MarkRooms(ctx context.Context, eventID, planID int64, ms []lanyard.PlanRoom) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		for _, m := range ms {
			var ok int
			err := d.queryRow(ctx, tx, `SELECT 1 FROM venue_plans p JOIN rooms r ON r.venue_id = p.venue_id
				WHERE p.id = ? AND p.event_id = ? AND r.id = ?`, planID, eventID, m.RoomID).Scan(&ok)
			if errors.Is(err, sql.ErrNoRows) {
				return lanyard.Errorf(lanyard.ENOTFOUND, "That room is not in this plan's venue.")
			}
			if err != nil {
				return fmt.Errorf("store: mark room: %w", err)
			}
			_, err = d.exec(ctx, tx, `INSERT INTO plan_rooms (plan_id, room_id, x, y, w, h) VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (plan_id, room_id) DO UPDATE SET x = excluded.x, y = excluded.y, w = excluded.w, h = excluded.h`,
				planID, m.RoomID, m.X, m.Y, max(m.W, 0), max(m.H, 0))
			if err != nil {
				return fmt.Errorf("store: mark room: %w", mapError(err, "A mark"))
			}
		}
		return nil
	})
}

// UnmarkRoom takes a room off a plan; nothing if it was not on it.
func (d *DB) UnmarkRoom(ctx context.Context, eventID, planID, roomID int64) error {
	_, err := d.exec(ctx, d.db, `DELETE FROM plan_rooms WHERE room_id = ? AND plan_id IN (SELECT id FROM venue_plans WHERE id = ? AND event_id = ?)`, roomID, planID, eventID)
	if err != nil {
		return fmt.Errorf("store: unmark room: %w", err)
	}
	return nil
}

// ShuttleRoutes returns the event's shuttle routes by name.
func (d *DB) ShuttleRoutes(ctx context.Context, eventID int64) ([]lanyard.ShuttleRoute, error) {
	rows, err := d.query(ctx, d.db, `SELECT id, name, every_minutes, stops, days FROM shuttle_routes WHERE event_id = ? ORDER BY name`, eventID)
	if err != nil {
		return nil, fmt.Errorf("store: shuttle routes: %w", err)
	}
	defer rows.Close()
	out := []lanyard.ShuttleRoute{}
	for rows.Next() {
		var r lanyard.ShuttleRoute
		var stops, days string
		if err := rows.Scan(&r.ID, &r.Name, &r.Every, &stops, &days); err != nil {
			return nil, fmt.Errorf("store: shuttle routes: %w", err)
		}
		if err := json.Unmarshal([]byte(stops), &r.Stops); err != nil {
			return nil, fmt.Errorf("store: shuttle route %d stops: %w", r.ID, err)
		}
		if err := json.Unmarshal([]byte(days), &r.Days); err != nil {
			return nil, fmt.Errorf("store: shuttle route %d days: %w", r.ID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SaveShuttleRoute adds a route (ID 0) or replaces one, and returns its
// ID. The caller validates it (shuttle.Validate). Returns ECONFLICT if
// another route has its name, ENOTFOUND if the route to replace is gone.
func (d *DB) SaveShuttleRoute(ctx context.Context, eventID int64, r lanyard.ShuttleRoute) (int64, error) {
	var id int64
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = d.saveShuttleRoute(ctx, tx, eventID, r)
		return err
	})
	return id, err
}

func (d *DB) saveShuttleRoute(ctx context.Context, tx *sql.Tx, eventID int64, r lanyard.ShuttleRoute) (int64, error) {
	stops, err := json.Marshal(r.Stops)
	if err != nil {
		return 0, fmt.Errorf("store: shuttle route: %w", err)
	}
	days, err := json.Marshal(r.Days)
	if err != nil {
		return 0, fmt.Errorf("store: shuttle route: %w", err)
	}
	if r.ID == 0 {
		var id int64
		err := d.queryRow(ctx, tx, `INSERT INTO shuttle_routes (event_id, name, every_minutes, stops, days) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			eventID, r.Name, r.Every, string(stops), string(days)).Scan(&id)
		if err != nil {
			return 0, fmt.Errorf("store: add shuttle route: %w", mapError(err, "A route named "+r.Name))
		}
		return id, nil
	}
	res, err := d.exec(ctx, tx, `UPDATE shuttle_routes SET name = ?, every_minutes = ?, stops = ?, days = ? WHERE id = ? AND event_id = ?`,
		r.Name, r.Every, string(stops), string(days), r.ID, eventID)
	if err != nil {
		return 0, fmt.Errorf("store: save shuttle route: %w", mapError(err, "A route named "+r.Name))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, lanyard.Errorf(lanyard.ENOTFOUND, "No such route.")
	}
	return r.ID, nil
}

// ReplaceShuttleRoutes makes rs the event's routes, in one transaction
// (an import of the whole timetable).
func (d *DB) ReplaceShuttleRoutes(ctx context.Context, eventID int64, rs []lanyard.ShuttleRoute) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := d.exec(ctx, tx, `DELETE FROM shuttle_routes WHERE event_id = ?`, eventID); err != nil {
			return fmt.Errorf("store: replace shuttle routes: %w", err)
		}
		for _, r := range rs {
			r.ID = 0
			if _, err := d.saveShuttleRoute(ctx, tx, eventID, r); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteShuttleRoute removes a route. Returns ENOTFOUND if there is none.
func (d *DB) DeleteShuttleRoute(ctx context.Context, eventID, id int64) error {
	res, err := d.exec(ctx, d.db, `DELETE FROM shuttle_routes WHERE id = ? AND event_id = ?`, id, eventID)
	if err != nil {
		return fmt.Errorf("store: delete shuttle route %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return lanyard.Errorf(lanyard.ENOTFOUND, "No such route.")
	}
	return nil
}
