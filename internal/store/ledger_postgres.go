package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/lanyardhq/lanyard/internal/reserve"
)

// commitPostgres writes a batch on PostgreSQL in one transaction and one
// network round trip: every statement is queued in a pgx batch, and every
// multi-row statement takes its rows as arrays (unnest), so a batch of
// thousands of commands is a dozen statements with a few parameters each.
func (d *DB) commitPostgres(ctx context.Context, b *reserve.Batch, hooks []hookRow) error {
	tx, err := d.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer tx.Rollback(ctx) // a no-op after Commit

	type check struct {
		what string
		rows int64 // rows the statement must change; -1: any
	}
	var q pgx.Batch
	var checks []check
	queue := func(what string, rows int64, sql string, args ...any) {
		q.Queue(sql, args...)
		checks = append(checks, check{what, rows})
	}
	at := b.At.UTC()

	if f := b.Fence; f != nil {
		// Fencing: the row lock holds until commit, so a node taking the
		// lease over waits for this batch, and every later batch of ours fails.
		queue("lease", 1, `UPDATE ledger_leases SET epoch = epoch WHERE event_id = $1 AND holder = $2 AND epoch = $3`, b.EventID, f.Holder, f.Epoch)
	}
	if s := b.Settings; s != nil {
		queue("settings", -1, `INSERT INTO reservation_settings (event_id, changes_close_minutes, release_minutes,
			fair_seconds, max_reservations, max_per_day, max_waitlists, travel_blocks, door_opens_minutes,
			line_opens_minutes, call_minutes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (event_id) DO UPDATE SET changes_close_minutes = excluded.changes_close_minutes,
			release_minutes = excluded.release_minutes, fair_seconds = excluded.fair_seconds,
			max_reservations = excluded.max_reservations, max_per_day = excluded.max_per_day,
			max_waitlists = excluded.max_waitlists, travel_blocks = excluded.travel_blocks,
			door_opens_minutes = excluded.door_opens_minutes,
			line_opens_minutes = excluded.line_opens_minutes, call_minutes = excluded.call_minutes`,
			b.EventID, s.ChangesClose, s.Release, s.Fair, s.MaxRes, s.MaxDay, s.MaxWaits, s.TravelBlocks, s.DoorOpens, s.LineOpens, s.Call)
	}
	for t, p := range b.Holdback {
		queue("holdback", -1, `INSERT INTO holdbacks (event_id, session_type, percent) VALUES ($1, $2, $3)
			ON CONFLICT (event_id, session_type) DO UPDATE SET percent = excluded.percent`, b.EventID, t, p)
	}
	for _, w := range b.Windows {
		queue("window", -1, `INSERT INTO windows (id, event_id, session_type, session_id, opens_at, closes_at, draft) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			w.ID, b.EventID, nullString(w.SessionType), nullInt(w.SessionID), w.Opens.UTC(), w.Closes.UTC(), w.Draft)
	}
	for _, id := range b.Drafted {
		queue("draft", 1, `UPDATE windows SET drafted = TRUE WHERE event_id = $1 AND id = $2`, b.EventID, id)
	}
	for _, wl := range b.Wishlists {
		queue("wishlist", -1, `DELETE FROM wishlists WHERE attendee_id = $1`, wl.AttendeeID)
		queue("wishlist", int64(len(wl.SessionIDs)), `INSERT INTO wishlists (attendee_id, rank, session_id)
			SELECT $1, r, s FROM unnest($2::bigint[]) WITH ORDINALITY AS t(s, r)`, wl.AttendeeID, wl.SessionIDs)
	}
	for _, w := range b.Waves {
		queue("wave", -1, `INSERT INTO waves (id, event_id, session_id, seats, release_at, released, announce) VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (event_id, id) DO UPDATE SET released = excluded.released`, w.ID, b.EventID, w.SessionID, w.Seats, w.At.UTC(), w.Released, w.Announce)
	}
	for _, c := range sessionUpdates(b) {
		queue("session", 1, `UPDATE sessions SET title = $1, abstract = $2, type = $3, speakers = $4, room_id = $5,
			starts_at = $6, ends_at = $7, capacity_override = $8, reservable = $9, cancelled = $10, repeat_group = $11 WHERE event_id = $12 AND id = $13`, c...)
	}
	for _, c := range b.Schedule {
		queue("schedule version", 1, `INSERT INTO schedule_changes (event_id, version, at, change)
			SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3 FROM schedule_changes WHERE event_id = $1`, b.EventID, at, scheduleJSON(c))
	}
	for _, o := range b.Overflow {
		queue("overflow room", -1, `INSERT INTO overflow_rooms (session_id, room_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, o.SessionID, o.RoomID)
	}
	if len(b.Cancel) > 0 {
		s, a := keyArrays(b.Cancel)
		queue("cancel reservations", int64(len(b.Cancel)), `DELETE FROM reservations WHERE (session_id, attendee_id) IN
			(SELECT * FROM unnest($1::bigint[], $2::bigint[]))`, s, a)
	}
	if len(b.Insert) > 0 {
		s, a := keyArrays(b.Insert)
		queue("insert reservations", int64(len(b.Insert)), `INSERT INTO reservations (session_id, attendee_id, batch_id)
			SELECT s, a, $3 FROM unnest($1::bigint[], $2::bigint[]) AS t(s, a)`, s, a, b.ID)
	}
	if len(b.WaitDel) > 0 {
		s, a := keyArrays(b.WaitDel)
		queue("leave waitlists", int64(len(b.WaitDel)), `DELETE FROM waitlist WHERE (session_id, attendee_id) IN
			(SELECT * FROM unnest($1::bigint[], $2::bigint[]))`, s, a)
	}
	if len(b.WaitAdd) > 0 {
		s, a, seq := make([]int64, len(b.WaitAdd)), make([]int64, len(b.WaitAdd)), make([]int64, len(b.WaitAdd))
		for i, w := range b.WaitAdd {
			s[i], a[i], seq[i] = w.SessionID, w.AttendeeID, w.Seq
		}
		queue("join waitlists", int64(len(b.WaitAdd)), `INSERT INTO waitlist (session_id, attendee_id, seq)
			SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[])`, s, a, seq)
	}
	if len(b.Admit) > 0 {
		s, a, kind := make([]int64, len(b.Admit)), make([]int64, len(b.Admit)), make([]string, len(b.Admit))
		for i, r := range b.Admit {
			s[i], a[i], kind[i] = r.SessionID, r.AttendeeID, r.Kind
		}
		queue("admissions", int64(len(b.Admit)), `INSERT INTO admissions (session_id, attendee_id, kind, at)
			SELECT s, a, k, $4 FROM unnest($1::bigint[], $2::bigint[], $3::text[]) AS t(s, a, k)`, s, a, kind, at)
	}
	queueLine(b, queue) // === line
	if len(b.NewSeats) > 0 {
		queue("new seat rows", int64(len(b.NewSeats)), `INSERT INTO session_seats (session_id, reservable, taken, released)
			SELECT s, 0, 0, FALSE FROM unnest($1::bigint[]) AS t(s)`, b.NewSeats)
	}
	if len(b.Seats) > 0 {
		n := len(b.Seats)
		id, delta, reservable, released := make([]int64, n), make([]int32, n), make([]int32, n), make([]bool, n)
		for i, s := range b.Seats {
			id[i], delta[i], reservable[i], released[i] = s.SessionID, int32(s.TakenDelta), int32(s.Reservable), s.Released
		}
		queue("seat counts", int64(n), `UPDATE session_seats SET taken = session_seats.taken + v.d, reservable = v.r, released = v.rel
			FROM unnest($1::bigint[], $2::int[], $3::int[], $4::bool[]) AS v(id, d, r, rel) WHERE session_seats.session_id = v.id`,
			id, delta, reservable, released)
	}
	queuePlaces(queue, b, at) // === places (issue 13): places.go
	queueSwag(queue, b, at)   // === swag (issue 14): swag.go
	queue("batch", 1, `INSERT INTO reservation_batches (event_id, id, at) VALUES ($1, $2, $3)`, b.EventID, b.ID, at)
	if n := len(b.Log); n > 0 {
		seq, who, sid := make([]int64, n), make([]int64, n), make([]int64, n)
		cmd, outcome, detail := make([]string, n), make([]string, n), make([]string, n)
		for i, l := range b.Log {
			seq[i], who[i], sid[i], cmd[i], outcome[i], detail[i] = l.Seq, l.AttendeeID, l.SessionID, l.Command, l.Outcome, l.Detail
		}
		queue("log", int64(n), `INSERT INTO reservation_log (event_id, seq, batch_id, attendee_id, command, session_id, outcome, detail)
			SELECT $1, q, $2, NULLIF(a, 0), c, NULLIF(s, 0), o, d
			FROM unnest($3::bigint[], $4::bigint[], $5::text[], $6::bigint[], $7::text[], $8::text[]) AS t(q, a, c, s, o, d)`,
			b.EventID, b.ID, seq, who, cmd, sid, outcome, detail)
	}
	if n := len(b.Idem); n > 0 {
		a, key, req, resp := make([]int64, n), make([]string, n), make([]string, n), make([]string, n)
		for i, k := range b.Idem {
			a[i], key[i], req[i], resp[i] = k.AttendeeID, k.Key, k.Request, k.Response
		}
		queue("idempotency keys", int64(n), `INSERT INTO idempotency_keys (attendee_id, key, request, response, created_at)
			SELECT a, k, q, r, $5 FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS t(a, k, q, r)`, a, key, req, resp, at)
	}
	if n := len(b.Messages); n > 0 {
		// As batchMessage makes them: by mail and in the app, from the
		// template of their kind, mail due at once.
		a, sid, kind, params := make([]int64, n), make([]int64, n), make([]string, n), make([]string, n)
		for i, m := range b.Messages {
			a[i], sid[i], kind[i], params[i] = m.AttendeeID, m.SessionID, m.Kind, paramsJSON(m.Params)
		}
		queue("messages", int64(n), `INSERT INTO messages (event_id, attendee_id, session_id, kind, by_mail, in_app, template, params, state, next_attempt_at, created_at)
			SELECT $5, a, NULLIF(s, 0), k, TRUE, TRUE, k, p, 'pending', $6, $6
			FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS t(a, s, k, p)`, a, sid, kind, params, b.EventID, at)
	}

	if n := len(hooks); n > 0 {
		// As batchHooks makes them: engine events, whose body is built
		// from the log row when delivered.
		end, msg, typ, seq := make([]int64, n), make([]string, n), make([]string, n), make([]int64, n)
		for i, h := range hooks {
			end[i], msg[i], typ[i], seq[i] = h.endpoint, h.msgID, h.typ, h.logSeq
		}
		queue("webhook deliveries", int64(n), `INSERT INTO webhook_deliveries (endpoint_id, msg_id, type, payload, log_event_id, log_seq, state, attempts, next_attempt_at, created_at)
			SELECT e, m, t, '', $5, q, 'pending', 0, $6, $6 FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[]) AS u(e, m, t, q)`, end, msg, typ, seq, b.EventID, at)
	}

	// Other nodes learn the new seat counts when (and only if) this commits.
	for _, n := range notices(b) {
		queue("notify", -1, `SELECT pg_notify('`+seatChannel+`', $1)`, n)
	}

	res := tx.SendBatch(ctx, &q)
	for _, c := range checks {
		tag, err := res.Exec()
		if err != nil {
			res.Close()
			return fmt.Errorf("store: %s: %w", c.what, mapError(err, "The "+c.what))
		}
		if c.rows >= 0 && tag.RowsAffected() != c.rows {
			res.Close()
			if c.what == "lease" {
				return fmt.Errorf("store: %w", ErrLeaseLost)
			}
			return fmt.Errorf("store: %s: %d rows changed, want %d: the ledger and the store disagree", c.what, tag.RowsAffected(), c.rows)
		}
	}
	if err := res.Close(); err != nil {
		return fmt.Errorf("store: batch: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

func keyArrays(keys []reserve.KeyRow) (sessions, attendees []int64) {
	sessions, attendees = make([]int64, len(keys)), make([]int64, len(keys))
	for i, k := range keys {
		sessions[i], attendees[i] = k.SessionID, k.AttendeeID
	}
	return sessions, attendees
}
