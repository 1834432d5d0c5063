package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
)

var _ reserve.Store = (*DB)(nil)

// LoadLedger reads the durable reservation state of an event.
func (d *DB) LoadLedger(ctx context.Context, eventID int64) (*reserve.Snapshot, error) {
	snap := &reserve.Snapshot{Holdbacks: map[string]int{}}
	wrap := func(what string, err error) error { return fmt.Errorf("store: load ledger %s: %w", what, err) }
	// Settings.
	s := &snap.Settings
	err := d.queryRow(ctx, d.db, `SELECT changes_close_minutes, release_minutes, fair_seconds, max_reservations,
		max_per_day, max_waitlists, travel_blocks, door_opens_minutes, line_opens_minutes, call_minutes FROM reservation_settings WHERE event_id = ?`, eventID).
		Scan(&s.ChangesClose, &s.Release, &s.Fair, &s.MaxRes, &s.MaxDay, &s.MaxWaits, &s.TravelBlocks, &s.DoorOpens, &s.LineOpens, &s.Call)
	switch {
	case err == sql.ErrNoRows:
	case err != nil:
		return nil, wrap("settings", err)
	default:
		s.Exists = true
	}
	type scan struct {
		what  string
		query string
		row   func(rows *sql.Rows) error
	}
	scans := []scan{
		{"holdbacks", "SELECT session_type, percent FROM holdbacks WHERE event_id = ?", func(rows *sql.Rows) error {
			var t string
			var p int
			err := rows.Scan(&t, &p)
			snap.Holdbacks[t] = p
			return err
		}},
		{"windows", "SELECT id, COALESCE(session_type, ''), COALESCE(session_id, 0), opens_at, closes_at, draft, drafted FROM windows WHERE event_id = ? ORDER BY id", func(rows *sql.Rows) error {
			var w reserve.WindowRow
			err := rows.Scan(&w.ID, &w.SessionType, &w.SessionID, &w.Opens, &w.Closes, &w.Draft, &w.Drafted)
			w.Opens, w.Closes = w.Opens.UTC(), w.Closes.UTC()
			snap.Windows = append(snap.Windows, w)
			return err
		}},
		{"waves", `SELECT id, session_id, seats, release_at, released, announce FROM waves WHERE event_id = ? ORDER BY id`, func(rows *sql.Rows) error {
			var w reserve.WaveRow
			err := rows.Scan(&w.ID, &w.SessionID, &w.Seats, &w.At, &w.Released, &w.Announce)
			w.At = w.At.UTC()
			snap.Waves = append(snap.Waves, w)
			return err
		}},
		{"seats", `SELECT ss.session_id, ss.reservable, ss.taken, ss.released FROM session_seats ss
			JOIN sessions s ON s.id = ss.session_id WHERE s.event_id = ?`, func(rows *sql.Rows) error {
			var r reserve.SeatRow
			err := rows.Scan(&r.SessionID, &r.Reservable, &r.Taken, &r.Released)
			snap.Seats = append(snap.Seats, r)
			return err
		}},
		{"reservations", `SELECT r.session_id, r.attendee_id FROM reservations r
			JOIN sessions s ON s.id = r.session_id WHERE s.event_id = ? ORDER BY r.batch_id, r.session_id, r.attendee_id`, func(rows *sql.Rows) error {
			var r reserve.KeyRow
			err := rows.Scan(&r.SessionID, &r.AttendeeID)
			snap.Reservations = append(snap.Reservations, r)
			return err
		}},
		{"waitlist", `SELECT w.session_id, w.attendee_id, w.seq FROM waitlist w
			JOIN sessions s ON s.id = w.session_id WHERE s.event_id = ? ORDER BY w.seq`, func(rows *sql.Rows) error {
			var r reserve.WaitRow
			err := rows.Scan(&r.SessionID, &r.AttendeeID, &r.Seq)
			snap.Waitlist = append(snap.Waitlist, r)
			return err
		}},
		{"wishlists", `SELECT w.session_id, w.attendee_id FROM wishlists w
			JOIN attendees a ON a.id = w.attendee_id WHERE a.event_id = ? ORDER BY w.attendee_id, w.rank`, func(rows *sql.Rows) error {
			var r reserve.KeyRow
			err := rows.Scan(&r.SessionID, &r.AttendeeID)
			snap.Wishlists = append(snap.Wishlists, r)
			return err
		}},
		{"admissions", `SELECT a.session_id, a.attendee_id, a.kind FROM admissions a
			JOIN sessions s ON s.id = a.session_id WHERE s.event_id = ?`, func(rows *sql.Rows) error {
			var r reserve.AdmitRow
			err := rows.Scan(&r.SessionID, &r.AttendeeID, &r.Kind)
			snap.Admissions = append(snap.Admissions, r)
			return err
		}},
		{"overflow", `SELECT o.session_id, o.room_id, r.name, r.capacity FROM overflow_rooms o
			JOIN rooms r ON r.id = o.room_id JOIN sessions s ON s.id = o.session_id WHERE s.event_id = ?`, func(rows *sql.Rows) error {
			var r reserve.OverflowRow
			err := rows.Scan(&r.SessionID, &r.RoomID, &r.Room, &r.Capacity)
			snap.Overflow = append(snap.Overflow, r)
			return err
		}},
		{"idempotency keys", `SELECT k.attendee_id, k.key, k.request, k.response FROM idempotency_keys k
			JOIN attendees a ON a.id = k.attendee_id WHERE a.event_id = ?`, func(rows *sql.Rows) error {
			var r reserve.IdemRow
			err := rows.Scan(&r.AttendeeID, &r.Key, &r.Request, &r.Response)
			snap.Idempotency = append(snap.Idempotency, r)
			return err
		}},
	}
	for _, sc := range scans {
		rows, err := d.query(ctx, d.db, sc.query, eventID)
		if err != nil {
			return nil, wrap(sc.what, err)
		}
		for rows.Next() {
			if err := sc.row(rows); err != nil {
				rows.Close()
				return nil, wrap(sc.what, err)
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, wrap(sc.what, err)
		}
	}
	// === places (issue 13): places.go ===
	if err := d.loadPlaces(ctx, eventID, snap); err != nil {
		return nil, err
	}
	if err := d.loadPartyDoors(ctx, eventID, snap); err != nil { // === party doors: party.go
		return nil, err
	}
	if err := d.loadLine(ctx, eventID, snap); err != nil { // === line
		return nil, err
	}
	if err := d.loadSwag(ctx, eventID, snap); err != nil { // === swag (issue 14): swag.go
		return nil, err
	}
	err = d.queryRow(ctx, d.db, `SELECT (SELECT COALESCE(MAX(seq), 0) FROM reservation_log WHERE event_id = ?),
		(SELECT COALESCE(MAX(id), 0) FROM reservation_batches WHERE event_id = ?)`, eventID, eventID).
		Scan(&snap.LastSeq, &snap.LastBatch)
	if err != nil {
		return nil, wrap("log", err)
	}
	return snap, nil
}

// CommitBatch writes a batch of the reservation engine in one transaction.
// The schema refuses an overbooked session or a second active reservation
// of one attendee for one session; then nothing of the batch is written.
func (d *DB) CommitBatch(ctx context.Context, b *reserve.Batch) error {
	// Webhook deliveries of the batch's events, for subscribed endpoints
	// only: with none, this is a map lookup and no statement.
	hooks, err := d.batchHooks(ctx, b)
	if err != nil {
		return err
	}
	if d.dialect == Postgres {
		return d.commitPostgres(ctx, b, hooks)
	}
	return d.inTx(ctx, func(tx *sql.Tx) error {
		at := b.At.UTC()
		if s := b.Settings; s != nil {
			if _, err := d.exec(ctx, tx, `INSERT INTO reservation_settings (event_id, changes_close_minutes, release_minutes,
				fair_seconds, max_reservations, max_per_day, max_waitlists, travel_blocks, door_opens_minutes,
				line_opens_minutes, call_minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (event_id) DO UPDATE SET changes_close_minutes = excluded.changes_close_minutes,
				release_minutes = excluded.release_minutes, fair_seconds = excluded.fair_seconds,
				max_reservations = excluded.max_reservations, max_per_day = excluded.max_per_day,
				max_waitlists = excluded.max_waitlists, travel_blocks = excluded.travel_blocks,
				door_opens_minutes = excluded.door_opens_minutes,
				line_opens_minutes = excluded.line_opens_minutes, call_minutes = excluded.call_minutes`,
				b.EventID, s.ChangesClose, s.Release, s.Fair, s.MaxRes, s.MaxDay, s.MaxWaits, s.TravelBlocks, s.DoorOpens, s.LineOpens, s.Call); err != nil {
				return fmt.Errorf("store: save settings: %w", err)
			}
		}
		for t, p := range b.Holdback {
			if _, err := d.exec(ctx, tx, `INSERT INTO holdbacks (event_id, session_type, percent) VALUES (?, ?, ?)
				ON CONFLICT (event_id, session_type) DO UPDATE SET percent = excluded.percent`, b.EventID, t, p); err != nil {
				return fmt.Errorf("store: save holdback: %w", err)
			}
		}
		if err := d.insertRows(ctx, tx, "windows", []string{"id", "event_id", "session_type", "session_id", "opens_at", "closes_at", "draft"}, "",
			len(b.Windows), func(i int) []any {
				w := b.Windows[i]
				return []any{w.ID, b.EventID, nullString(w.SessionType), nullInt(w.SessionID), w.Opens.UTC(), w.Closes.UTC(), w.Draft}
			}); err != nil {
			return err
		}
		for _, id := range b.Drafted {
			if _, err := d.exec(ctx, tx, "UPDATE windows SET drafted = TRUE WHERE event_id = ? AND id = ?", b.EventID, id); err != nil {
				return fmt.Errorf("store: mark draft: %w", err)
			}
		}
		for _, wl := range b.Wishlists {
			if _, err := d.exec(ctx, tx, "DELETE FROM wishlists WHERE attendee_id = ?", wl.AttendeeID); err != nil {
				return fmt.Errorf("store: save wishlist: %w", err)
			}
			if err := d.insertRows(ctx, tx, "wishlists", []string{"attendee_id", "rank", "session_id"}, "", len(wl.SessionIDs),
				func(i int) []any { return []any{wl.AttendeeID, i + 1, wl.SessionIDs[i]} }); err != nil {
				return err
			}
		}
		if err := d.insertRows(ctx, tx, "waves", []string{"id", "event_id", "session_id", "seats", "release_at", "released", "announce"},
			"ON CONFLICT (event_id, id) DO UPDATE SET released = excluded.released", len(b.Waves), func(i int) []any {
				w := b.Waves[i]
				return []any{w.ID, b.EventID, w.SessionID, w.Seats, w.At.UTC(), w.Released, w.Announce}
			}); err != nil {
			return err
		}
		for _, c := range sessionUpdates(b) {
			if _, err := d.exec(ctx, tx, `UPDATE sessions SET title = ?, abstract = ?, type = ?, speakers = ?, room_id = ?,
				starts_at = ?, ends_at = ?, capacity_override = ?, reservable = ?, cancelled = ?, repeat_group = ? WHERE event_id = ? AND id = ?`, c...); err != nil {
				return fmt.Errorf("store: save session: %w", err)
			}
		}
		for _, c := range b.Schedule {
			if _, err := d.exec(ctx, tx, `INSERT INTO schedule_changes (event_id, version, at, change)
				SELECT ?, COALESCE(MAX(version), 0) + 1, ?, ? FROM schedule_changes WHERE event_id = ?`, b.EventID, at, scheduleJSON(c), b.EventID); err != nil {
				return fmt.Errorf("store: save schedule version: %w", err)
			}
		}
		if err := d.insertRows(ctx, tx, "overflow_rooms", []string{"session_id", "room_id"}, "ON CONFLICT DO NOTHING",
			len(b.Overflow), func(i int) []any { return []any{b.Overflow[i].SessionID, b.Overflow[i].RoomID} }); err != nil {
			return err
		}
		// A batch holds net changes: each (session, attendee) is at most once
		// in Cancel or Insert, so their order cannot trip the unique index.
		if err := d.deleteKeys(ctx, tx, "reservations", b.Cancel); err != nil {
			return err
		}
		if err := d.insertRows(ctx, tx, "reservations", []string{"session_id", "attendee_id", "batch_id"}, "",
			len(b.Insert), func(i int) []any { return []any{b.Insert[i].SessionID, b.Insert[i].AttendeeID, b.ID} }); err != nil {
			return mapError(err, "That reservation")
		}
		if err := d.deleteKeys(ctx, tx, "waitlist", b.WaitDel); err != nil {
			return err
		}
		if err := d.insertRows(ctx, tx, "waitlist", []string{"session_id", "attendee_id", "seq"}, "",
			len(b.WaitAdd), func(i int) []any { return []any{b.WaitAdd[i].SessionID, b.WaitAdd[i].AttendeeID, b.WaitAdd[i].Seq} }); err != nil {
			return err
		}
		if err := d.insertRows(ctx, tx, "admissions", []string{"session_id", "attendee_id", "kind", "at"}, "",
			len(b.Admit), func(i int) []any { return []any{b.Admit[i].SessionID, b.Admit[i].AttendeeID, b.Admit[i].Kind, at} }); err != nil {
			return err
		}
		if err := d.commitLine(ctx, tx, b); err != nil { // === line
			return err
		}
		if err := d.insertRows(ctx, tx, "session_seats", []string{"session_id", "reservable", "taken", "released"}, "",
			len(b.NewSeats), func(i int) []any { return []any{b.NewSeats[i], 0, 0, false} }); err != nil {
			return err
		}
		if err := d.saveSeats(ctx, tx, b.Seats); err != nil {
			return err
		}
		// === places (issue 13): places.go ===
		if err := d.commitPlaces(ctx, tx, b, at); err != nil {
			return err
		}
		if err := d.commitSwag(ctx, tx, b, at); err != nil { // === swag (issue 14): swag.go
			return err
		}
		if _, err := d.exec(ctx, tx, "INSERT INTO reservation_batches (event_id, id, at) VALUES (?, ?, ?)", b.EventID, b.ID, at); err != nil {
			return fmt.Errorf("store: save batch %d: %w", b.ID, err)
		}
		if err := d.insertRows(ctx, tx, "reservation_log", []string{"event_id", "seq", "batch_id", "attendee_id", "command", "session_id", "outcome", "detail"}, "",
			len(b.Log), func(i int) []any {
				l := b.Log[i]
				return []any{b.EventID, l.Seq, b.ID, nullInt(l.AttendeeID), l.Command, nullInt(l.SessionID), l.Outcome, l.Detail}
			}); err != nil {
			return err
		}
		if err := d.insertRows(ctx, tx, "idempotency_keys", []string{"attendee_id", "key", "request", "response", "created_at"}, "",
			len(b.Idem), func(i int) []any {
				k := b.Idem[i]
				return []any{k.AttendeeID, k.Key, k.Request, k.Response, at}
			}); err != nil {
			return err
		}
		if err := d.insertRows(ctx, tx, "messages", messageColumns, "", len(b.Messages), func(i int) []any {
			return messageRow(batchMessage(b.EventID, b.Messages[i], at))
		}); err != nil {
			return err
		}
		return d.insertHooks(ctx, tx, hooks, at)
	})
}

// deleteKeys deletes the rows of table whose (session_id, attendee_id) is
// in keys, in chunks.
func (d *DB) deleteKeys(ctx context.Context, tx *sql.Tx, table string, keys []reserve.KeyRow) error {
	head := "DELETE FROM " + table + " WHERE "
	for done := 0; done < len(keys); {
		size := chunkSize(len(keys)-done, 512)
		chunk := keys[done : done+size]
		done += size
		args := make([]any, 0, 2*len(chunk))
		var b strings.Builder
		b.WriteString(head)
		b.WriteString("(session_id, attendee_id) IN (")
		for i, k := range chunk {
			if i > 0 {
				b.WriteByte(',')
			}
			// Casts let PostgreSQL type the tuples' parameters.
			b.WriteString("(CAST(? AS BIGINT), CAST(? AS BIGINT))")
			args = append(args, k.SessionID, k.AttendeeID)
		}
		b.WriteByte(')')
		stmt, err := d.stmt(ctx, tx, b.String())
		if err != nil {
			return fmt.Errorf("store: prepare %s: %w", strings.Fields(head)[0], err)
		}
		res, err := stmt.ExecContext(ctx, args...)
		if err != nil {
			return fmt.Errorf("store: %s: %w", strings.Fields(head)[0], err)
		}
		if n, _ := res.RowsAffected(); n != int64(len(chunk)) {
			return fmt.Errorf("store: %s: %d rows changed, want %d: the ledger and the store disagree", strings.Fields(head)[0], n, len(chunk))
		}
	}
	return nil
}

// saveSeats applies a batch's seat changes with one UPDATE per chunk (a
// join against the batch's values, which both dialects support). The CHECK
// (taken <= reservable) refuses an overbooking here.
func (d *DB) saveSeats(ctx context.Context, tx *sql.Tx, seats []reserve.SeatDelta) error {
	for done := 0; done < len(seats); {
		size := chunkSize(len(seats)-done, 1024)
		chunk := seats[done : done+size]
		done += size
		var q strings.Builder
		q.WriteString(d.dialect.update())
		q.WriteString(`session_seats SET taken = session_seats.taken + v.column2, reservable = v.column3, released = v.column4 FROM (VALUES `)
		args := make([]any, 0, 4*len(chunk))
		for i, s := range chunk {
			if i > 0 {
				q.WriteByte(',')
			}
			// Casts type the parameters for PostgreSQL; SQLite takes them as they are.
			q.WriteString("(CAST(? AS BIGINT), CAST(? AS INTEGER), CAST(? AS INTEGER), CAST(? AS BOOLEAN))")
			args = append(args, s.SessionID, s.TakenDelta, s.Reservable, s.Released)
		}
		q.WriteString(") AS v WHERE session_seats.session_id = v.column1")
		stmt, err := d.stmt(ctx, tx, q.String())
		if err != nil {
			return fmt.Errorf("store: prepare save seats: %w", err)
		}
		res, err := stmt.ExecContext(ctx, args...)
		if err != nil {
			return fmt.Errorf("store: save seats: %w", mapError(err, "The seat count"))
		}
		if n, _ := res.RowsAffected(); n != int64(len(chunk)) {
			return fmt.Errorf("store: save seats: %d of %d sessions have no seat row: the ledger and the store disagree", int64(len(chunk))-n, len(chunk))
		}
	}
	return nil
}

// batchMessage is the message the engine's m becomes: by mail and in the
// app, rendered at delivery from the template of its kind.
func batchMessage(eventID int64, m reserve.Message, at time.Time) lanyard.Message {
	return lanyard.Message{EventID: eventID, AttendeeID: m.AttendeeID, SessionID: m.SessionID, Kind: m.Kind,
		Mail: true, App: true, Template: m.Kind, Params: m.Params, CreatedAt: at}
}

func nullInt(n int64) sql.NullInt64 { return sql.NullInt64{Int64: n, Valid: n != 0} }

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// ReservationLog returns an event's audit log in order.
func (d *DB) ReservationLog(ctx context.Context, eventID int64) ([]reserve.LogRow, error) {
	rows, err := d.query(ctx, d.db, `SELECT batch_id, seq, COALESCE(attendee_id, 0), command, COALESCE(session_id, 0), outcome, detail
		FROM reservation_log WHERE event_id = ? ORDER BY seq`, eventID)
	if err != nil {
		return nil, fmt.Errorf("store: reservation log: %w", err)
	}
	defer rows.Close()
	var out []reserve.LogRow
	for rows.Next() {
		var l reserve.LogRow
		if err := rows.Scan(&l.BatchID, &l.Seq, &l.AttendeeID, &l.Command, &l.SessionID, &l.Outcome, &l.Detail); err != nil {
			return nil, fmt.Errorf("store: reservation log: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// sessionUpdates returns the UPDATE arguments of the batch's changed sessions.
func sessionUpdates(b *reserve.Batch) [][]any {
	out := make([][]any, len(b.Sessions))
	for i, s := range b.Sessions {
		speakers, _ := json.Marshal(nonNil(s.Speakers))
		out[i] = []any{s.Title, s.Abstract, string(s.Type), string(speakers), nullInt(s.RoomID), nullTime(s.Start), nullTime(s.End),
			s.CapacityOverride, s.Reservable, s.Cancelled, s.RepeatGroup, b.EventID, s.ID}
	}
	return out
}

func scheduleJSON(c lanyard.ScheduleChange) string {
	j, _ := json.Marshal(c) // plain fields always encode
	return string(j)
}
