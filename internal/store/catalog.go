package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// ImportStats counts what ImportCatalog wrote.
type ImportStats struct {
	Venues, Rooms, TravelTimes, Sessions int
}

// ImportCatalog writes a catalog in one transaction: the event (created, or
// updated by slug), its venues and rooms (by code and name), travel times
// and sessions (by code). Existing rows are updated, nothing is deleted.
// Either all of it is written or none of it.
//
// Returns EINVALID if the catalog fails validation or a session names a
// room that neither the catalog nor the database has.
func (d *DB) ImportCatalog(ctx context.Context, c *lanyard.Catalog) (*ImportStats, error) {
	if err := c.Event.Validate(); err != nil {
		return nil, err
	}
	if err := checkUnique(c); err != nil {
		return nil, err
	}
	for i := range c.Sessions {
		if err := c.Sessions[i].Validate(); err != nil {
			return nil, err
		}
	}
	st := &ImportStats{}
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if err := d.upsertEvent(ctx, tx, &c.Event); err != nil {
			return err
		}
		eventID := c.Event.ID
		if err := d.insertRows(ctx, tx, "venues", []string{"event_id", "code", "name"},
			"ON CONFLICT (event_id, code) DO UPDATE SET name = excluded.name",
			len(c.Venues), func(i int) []any {
				return []any{eventID, c.Venues[i].Code, c.Venues[i].Name}
			}); err != nil {
			return mapError(err, "A venue")
		}
		venueIDs, err := d.venueIDs(ctx, tx, eventID)
		if err != nil {
			return err
		}
		type roomRow struct {
			venueID int64
			room    *lanyard.Room
		}
		var rooms []roomRow
		for i := range c.Venues {
			for j := range c.Venues[i].Rooms {
				rooms = append(rooms, roomRow{venueIDs[c.Venues[i].Code], &c.Venues[i].Rooms[j]})
			}
		}
		if err := d.insertRows(ctx, tx, "rooms", []string{"venue_id", "name", "capacity"},
			"ON CONFLICT (venue_id, name) DO UPDATE SET capacity = excluded.capacity",
			len(rooms), func(i int) []any {
				return []any{rooms[i].venueID, rooms[i].room.Name, rooms[i].room.Capacity}
			}); err != nil {
			return mapError(err, "A room")
		}
		roomIDs, err := d.roomIDs(ctx, tx, eventID)
		if err != nil {
			return err
		}
		for _, t := range c.Travel {
			if venueIDs[t.From] == 0 || venueIDs[t.To] == 0 {
				return lanyard.Errorf(lanyard.EINVALID, "Travel time %s → %s names an unknown venue.", t.From, t.To)
			}
		}
		if err := d.insertRows(ctx, tx, "travel_times", []string{"from_venue_id", "to_venue_id", "walk_minutes", "shuttle_minutes"},
			"ON CONFLICT (from_venue_id, to_venue_id) DO UPDATE SET walk_minutes = excluded.walk_minutes, shuttle_minutes = excluded.shuttle_minutes",
			len(c.Travel), func(i int) []any {
				t := c.Travel[i]
				return []any{venueIDs[t.From], venueIDs[t.To], t.WalkMinutes, t.ShuttleMinutes}
			}); err != nil {
			return mapError(err, "A travel time")
		}
		rows := make([][]any, len(c.Sessions))
		for i := range c.Sessions {
			s := &c.Sessions[i]
			var roomID sql.NullInt64
			if s.Room != "" {
				id, ok := roomIDs[roomKey(s.Venue, s.Room)]
				if !ok {
					return lanyard.Errorf(lanyard.EINVALID, "Session %s names room %q in venue %q, which the catalog does not have.", s.Code, s.Room, s.Venue)
				}
				roomID = sql.NullInt64{Int64: id, Valid: true}
			}
			topics, _ := json.Marshal(nonNil(s.Topics))
			speakers, _ := json.Marshal(nonNil(s.Speakers))
			rows[i] = []any{eventID, s.Code, s.Title, s.Abstract, string(s.Type), s.Level, string(topics), string(speakers),
				roomID, nullTime(s.Start), nullTime(s.End), s.CapacityOverride, s.RepeatGroup, s.Reservable}
		}
		if err := d.insertRows(ctx, tx, "sessions",
			[]string{"event_id", "code", "title", "abstract", "type", "level", "topics", "speakers", "room_id", "starts_at", "ends_at", "capacity_override", "repeat_group", "reservable"},
			`ON CONFLICT (event_id, code) DO UPDATE SET title = excluded.title, abstract = excluded.abstract,
				type = excluded.type, level = excluded.level, topics = excluded.topics, speakers = excluded.speakers,
				room_id = excluded.room_id, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
				capacity_override = excluded.capacity_override, repeat_group = excluded.repeat_group,
				reservable = excluded.reservable`,
			len(rows), func(i int) []any { return rows[i] }); err != nil {
			return mapError(err, "A session")
		}
		*st = ImportStats{Venues: len(c.Venues), Rooms: len(rooms), TravelTimes: len(c.Travel), Sessions: len(c.Sessions)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// checkUnique refuses duplicate keys up front: PostgreSQL refuses an upsert
// that touches one row twice, and SQLite would silently keep the last.
func checkUnique(c *lanyard.Catalog) error {
	venues := map[string]bool{}
	for _, v := range c.Venues {
		if venues[v.Code] {
			return lanyard.Errorf(lanyard.EINVALID, "Venue %q appears twice.", v.Code)
		}
		venues[v.Code] = true
		if err := lanyard.CheckTextFields(v.TextFields()); err != nil {
			return lanyard.Errorf(lanyard.EINVALID, "Venue %s: %s", v.Code, lanyard.ErrorMessage(err))
		}
		rooms := map[string]bool{}
		for _, r := range v.Rooms {
			if rooms[r.Name] {
				return lanyard.Errorf(lanyard.EINVALID, "Room %q appears twice in venue %q.", r.Name, v.Code)
			}
			rooms[r.Name] = true
		}
	}
	pairs := map[[2]string]bool{}
	for _, t := range c.Travel {
		k := [2]string{t.From, t.To}
		if pairs[k] {
			return lanyard.Errorf(lanyard.EINVALID, "Travel time %s → %s appears twice.", t.From, t.To)
		}
		pairs[k] = true
	}
	codes := make(map[string]bool, len(c.Sessions))
	for _, s := range c.Sessions {
		if codes[s.Code] {
			return lanyard.Errorf(lanyard.EINVALID, "Session code %q appears twice.", s.Code)
		}
		codes[s.Code] = true
	}
	return nil
}

func roomKey(venue, room string) string { return venue + "\x00" + room }

func (d *DB) venueIDs(ctx context.Context, q querier, eventID int64) (map[string]int64, error) {
	rows, err := d.query(ctx, q, "SELECT id, code FROM venues WHERE event_id = ?", eventID)
	if err != nil {
		return nil, fmt.Errorf("store: venue ids: %w", err)
	}
	defer rows.Close()
	ids := map[string]int64{}
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, fmt.Errorf("store: venue ids: %w", err)
		}
		ids[code] = id
	}
	return ids, rows.Err()
}

func (d *DB) roomIDs(ctx context.Context, q querier, eventID int64) (map[string]int64, error) {
	rows, err := d.query(ctx, q, `SELECT r.id, v.code, r.name FROM rooms r JOIN venues v ON v.id = r.venue_id WHERE v.event_id = ?`, eventID)
	if err != nil {
		return nil, fmt.Errorf("store: room ids: %w", err)
	}
	defer rows.Close()
	ids := map[string]int64{}
	for rows.Next() {
		var id int64
		var venue, room string
		if err := rows.Scan(&id, &venue, &room); err != nil {
			return nil, fmt.Errorf("store: room ids: %w", err)
		}
		ids[roomKey(venue, room)] = id
	}
	return ids, rows.Err()
}

// FindVenues returns the event's venues with their rooms, ordered by name,
// and its travel-time matrix.
func (d *DB) FindVenues(ctx context.Context, eventID int64) ([]lanyard.Venue, []lanyard.TravelTime, error) {
	rows, err := d.query(ctx, d.db, `SELECT v.id, v.code, v.name, r.id, r.name, r.capacity
		FROM venues v LEFT JOIN rooms r ON r.venue_id = v.id
		WHERE v.event_id = ? ORDER BY v.name, v.id, r.name`, eventID)
	if err != nil {
		return nil, nil, fmt.Errorf("store: find venues: %w", err)
	}
	defer rows.Close()
	var venues []lanyard.Venue
	for rows.Next() {
		var v lanyard.Venue
		var roomID sql.NullInt64
		var roomName sql.NullString
		var capacity sql.NullInt64
		if err := rows.Scan(&v.ID, &v.Code, &v.Name, &roomID, &roomName, &capacity); err != nil {
			return nil, nil, fmt.Errorf("store: find venues: %w", err)
		}
		if n := len(venues); n == 0 || venues[n-1].ID != v.ID {
			v.EventID = eventID
			v.Rooms = []lanyard.Room{}
			venues = append(venues, v)
		}
		if roomID.Valid {
			last := &venues[len(venues)-1]
			last.Rooms = append(last.Rooms, lanyard.Room{ID: roomID.Int64, VenueID: v.ID, Name: roomName.String, Capacity: int(capacity.Int64)})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: find venues: %w", err)
	}
	rows.Close()

	trows, err := d.query(ctx, d.db, `SELECT f.code, t.code, tt.walk_minutes, tt.shuttle_minutes
		FROM travel_times tt JOIN venues f ON f.id = tt.from_venue_id JOIN venues t ON t.id = tt.to_venue_id
		WHERE f.event_id = ? ORDER BY f.code, t.code`, eventID)
	if err != nil {
		return nil, nil, fmt.Errorf("store: find travel times: %w", err)
	}
	defer trows.Close()
	travel := []lanyard.TravelTime{}
	for trows.Next() {
		var t lanyard.TravelTime
		if err := trows.Scan(&t.From, &t.To, &t.WalkMinutes, &t.ShuttleMinutes); err != nil {
			return nil, nil, fmt.Errorf("store: find travel times: %w", err)
		}
		travel = append(travel, t)
	}
	return venues, travel, trows.Err()
}

const sessionSelect = `SELECT s.id, s.event_id, s.code, s.title, s.abstract, s.type, s.level, s.topics, s.speakers,
	s.room_id, v.code, r.name, r.capacity, s.starts_at, s.ends_at, s.capacity_override, s.repeat_group, s.reservable, s.cancelled
	FROM sessions s LEFT JOIN rooms r ON r.id = s.room_id LEFT JOIN venues v ON v.id = r.venue_id`

func scanSession(row interface{ Scan(...any) error }) (*lanyard.Session, error) {
	var (
		s                    lanyard.Session
		typ, topics, speaker string
		roomID, roomCap      sql.NullInt64
		venue, room          sql.NullString
		start, end           sql.NullTime
	)
	if err := row.Scan(&s.ID, &s.EventID, &s.Code, &s.Title, &s.Abstract, &typ, &s.Level, &topics, &speaker,
		&roomID, &venue, &room, &roomCap, &start, &end, &s.CapacityOverride, &s.RepeatGroup, &s.Reservable, &s.Cancelled); err != nil {
		return nil, err
	}
	s.Type = lanyard.SessionType(typ)
	s.RoomID, s.Venue, s.Room = roomID.Int64, venue.String, room.String
	if start.Valid && end.Valid {
		s.Start, s.End = start.Time.UTC(), end.Time.UTC()
	}
	s.Capacity = int(roomCap.Int64)
	if s.CapacityOverride > 0 {
		s.Capacity = s.CapacityOverride
	}
	if err := json.Unmarshal([]byte(topics), &s.Topics); err != nil {
		return nil, fmt.Errorf("session %s topics: %w", s.Code, err)
	}
	if err := json.Unmarshal([]byte(speaker), &s.Speakers); err != nil {
		return nil, fmt.Errorf("session %s speakers: %w", s.Code, err)
	}
	return &s, nil
}

// FindSessions returns every session of the event, ordered by start
// (unscheduled last) and code.
func (d *DB) FindSessions(ctx context.Context, eventID int64) ([]*lanyard.Session, error) {
	rows, err := d.query(ctx, d.db, sessionSelect+` WHERE s.event_id = ?
		ORDER BY CASE WHEN s.starts_at IS NULL THEN 1 ELSE 0 END, s.starts_at, s.code`, eventID)
	if err != nil {
		return nil, fmt.Errorf("store: find sessions: %w", err)
	}
	defer rows.Close()
	var out []*lanyard.Session
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, fmt.Errorf("store: find sessions: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: find sessions: %w", err)
	}
	return out, nil
}

// FindSessionByCode returns one session of the event.
// Returns ENOTFOUND if the event has no session with that code.
func (d *DB) FindSessionByCode(ctx context.Context, eventID int64, code string) (*lanyard.Session, error) {
	s, err := scanSession(d.queryRow(ctx, d.db, sessionSelect+" WHERE s.event_id = ? AND s.code = ?", eventID, code))
	if err == sql.ErrNoRows {
		return nil, lanyard.Errorf(lanyard.ENOTFOUND, "No session %q.", code)
	}
	if err != nil {
		return nil, fmt.Errorf("store: find session %q: %w", code, err)
	}
	return s, nil
}

func nullTime(t time.Time) sql.NullTime {
	if t.IsZero() {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: t.UTC(), Valid: true}
}

// nonNil makes a nil slice marshal as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
