package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
)

// hookTTL bounds how long a node trusts its cached subscriptions: an
// endpoint added on another node is seen within it. A change on this node
// is seen at once (invalidate).
const hookTTL = 5 * time.Second

// hookCache holds each event's subscriptions (event type → endpoint IDs),
// so a batch that nobody subscribed to costs no statement at all.
type hookCache struct {
	mu  sync.Mutex
	m   map[int64]hookSet
	off bool // tests of a schema before 00020
}

type hookSet struct {
	at   time.Time
	subs map[string][]int64
}

func (c *hookCache) invalidate(eventID int64) {
	c.mu.Lock()
	delete(c.m, eventID)
	c.mu.Unlock()
}

// hookSubs returns an event's enabled subscriptions, from the cache when fresh.
func (d *DB) hookSubs(ctx context.Context, eventID int64) (map[string][]int64, error) {
	now := time.Now()
	d.hooks.mu.Lock()
	s, ok := d.hooks.m[eventID]
	off := d.hooks.off
	d.hooks.mu.Unlock()
	if off {
		return nil, nil
	}
	if ok && now.Sub(s.at) < hookTTL {
		return s.subs, nil
	}
	rows, err := d.query(ctx, d.db, `SELECT id, events FROM webhook_endpoints WHERE event_id = ? AND enabled ORDER BY id`, eventID)
	if err != nil && ok {
		// A refresh that fails keeps the last set rather than failing
		// the batch: at worst an endpoint changed on another node is
		// seen a little later.
		return s.subs, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: webhook subscriptions: %w", err)
	}
	defer rows.Close()
	subs := map[string][]int64{}
	for rows.Next() {
		var id int64
		var events string
		if err := rows.Scan(&id, &events); err != nil {
			return nil, fmt.Errorf("store: webhook subscriptions: %w", err)
		}
		var list []string
		if err := json.Unmarshal([]byte(events), &list); err != nil {
			return nil, fmt.Errorf("store: webhook %d events: %w", id, err)
		}
		for _, e := range list {
			subs[e] = append(subs[e], id)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: webhook subscriptions: %w", err)
	}
	d.hooks.mu.Lock()
	if d.hooks.m == nil {
		d.hooks.m = map[int64]hookSet{}
	}
	d.hooks.m[eventID] = hookSet{at: now, subs: subs}
	d.hooks.mu.Unlock()
	return subs, nil
}

// hookRow is a delivery row to write: one event for one endpoint.
type hookRow struct {
	endpoint int64
	msgID    string
	typ      string
	payload  string // "" for an engine event: built from the log when delivered
	logEvent int64  // the reservation_log row of an engine event
	logSeq   int64
}

// hookPayload is the JSON body every delivery posts.
type hookPayload struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      any       `json:"data"`
}

// HookLogData is the data of an event the engine's log emits.
type HookLogData struct {
	EventID    int64  `json:"event_id"`
	Seq        int64  `json:"seq"`
	BatchID    int64  `json:"batch_id"`
	AttendeeID int64  `json:"attendee_id,omitempty"`
	SessionID  int64  `json:"session_id,omitempty"`
	Session    string `json:"session,omitempty"` // the session's code
	Command    string `json:"command"`
	Outcome    string `json:"outcome"`
	Detail     string `json:"detail,omitempty"`
}

// HookAttendeeData is the data of attendee.created.
type HookAttendeeData struct {
	EventID    int64  `json:"event_id"`
	AttendeeID int64  `json:"attendee_id"`
	Name       string `json:"name"`
	Email      string `json:"email"`
	Role       string `json:"role"`
}

func hookRows(subs map[string][]int64, typ, msgID string, at time.Time, data any) ([]hookRow, error) {
	ids := subs[typ]
	if len(ids) == 0 {
		return nil, nil
	}
	body, err := json.Marshal(hookPayload{Type: typ, Timestamp: at.UTC(), Data: data})
	if err != nil {
		return nil, fmt.Errorf("store: webhook payload: %w", err)
	}
	out := make([]hookRow, len(ids))
	for i, id := range ids {
		out[i] = hookRow{endpoint: id, msgID: msgID, typ: typ, payload: string(body)}
	}
	return out, nil
}

// batchHooks turns a batch's log into delivery rows for the subscribed
// endpoints. It costs nothing when nobody subscribed to any event, and
// little when someone did: a row names its log row, and the JSON body is
// built when it is delivered (logPayloads).
func (d *DB) batchHooks(ctx context.Context, b *reserve.Batch) ([]hookRow, error) {
	subs, err := d.hookSubs(ctx, b.EventID)
	if err != nil || len(subs) == 0 {
		return nil, err
	}
	var out []hookRow
	prefix := "msg_" + strconv.FormatInt(b.EventID, 10) + "_"
	for _, l := range b.Log {
		typ, ok := lanyard.WebhookEventFor(l.Command, l.Outcome)
		if !ok {
			continue
		}
		for _, id := range subs[typ] {
			out = append(out, hookRow{endpoint: id, msgID: prefix + strconv.FormatInt(l.Seq, 10), typ: typ, logEvent: b.EventID, logSeq: l.Seq})
		}
	}
	return out, nil
}

// logPayloads fills in the JSON body of engine events (payload "") from
// their reservation_log rows, the batch's instant and the session's code:
// the same body on every attempt.
func (d *DB) logPayloads(ctx context.Context, q querier, ds []*lanyard.WebhookDelivery, refs [][2]int64) error {
	byEvent := map[int64][]int{}
	for i, r := range refs {
		if ds[i].Payload == "" && r[1] != 0 {
			byEvent[r[0]] = append(byEvent[r[0]], i)
		}
	}
	for ev, idx := range byEvent {
		args := []any{ev}
		for _, i := range idx {
			args = append(args, refs[i][1])
		}
		// Unprepared: the list's length varies.
		rows, err := q.QueryContext(ctx, d.dialect.rebind(`SELECT l.seq, l.batch_id, COALESCE(l.attendee_id, 0), l.command, COALESCE(l.session_id, 0),
			l.outcome, l.detail, b.at, COALESCE(s.code, '')
			FROM reservation_log l JOIN reservation_batches b ON b.event_id = l.event_id AND b.id = l.batch_id
			LEFT JOIN sessions s ON s.id = l.session_id
			WHERE l.event_id = ? AND l.seq IN (`+repeatJoin("?", len(idx), ",")+`)`), args...)
		if err != nil {
			return fmt.Errorf("store: webhook payloads: %w", err)
		}
		body := map[int64]HookLogData{}
		at := map[int64]time.Time{}
		for rows.Next() {
			h := HookLogData{EventID: ev}
			var t time.Time
			if err := rows.Scan(&h.Seq, &h.BatchID, &h.AttendeeID, &h.Command, &h.SessionID, &h.Outcome, &h.Detail, &t, &h.Session); err != nil {
				rows.Close()
				return fmt.Errorf("store: webhook payloads: %w", err)
			}
			body[h.Seq], at[h.Seq] = h, t
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: webhook payloads: %w", err)
		}
		for _, i := range idx {
			seq := refs[i][1]
			h, ok := body[seq]
			if !ok {
				return fmt.Errorf("store: webhook payload: no log row %d of event %d", seq, ev)
			}
			b, err := json.Marshal(hookPayload{Type: ds[i].Type, Timestamp: at[seq].UTC(), Data: h})
			if err != nil {
				return fmt.Errorf("store: webhook payload: %w", err)
			}
			ds[i].Payload = string(b)
		}
	}
	return nil
}

var hookColumns = []string{"endpoint_id", "msg_id", "type", "payload", "log_event_id", "log_seq", "state", "attempts", "next_attempt_at", "created_at"}

// insertHooks writes delivery rows in tx, due at once.
func (d *DB) insertHooks(ctx context.Context, tx *sql.Tx, rows []hookRow, at time.Time) error {
	return d.insertRows(ctx, tx, "webhook_deliveries", hookColumns, "", len(rows), func(i int) []any {
		r := rows[i]
		return []any{r.endpoint, r.msgID, r.typ, r.payload, nullInt(r.logEvent), nullInt(r.logSeq), "pending", 0, at.UTC(), at.UTC()}
	})
}

// attendeeHooks writes attendee.created for a new attendee in tx, if any
// endpoint of the event wants it.
func (d *DB) attendeeHooks(ctx context.Context, tx *sql.Tx, a *lanyard.Attendee) error {
	subs, err := d.hookSubs(ctx, a.EventID)
	if err != nil || len(subs[lanyard.EventAttendeeCreated]) == 0 {
		return err
	}
	at := d.Now().UTC()
	rows, err := hookRows(subs, lanyard.EventAttendeeCreated, "msg_attendee_"+strconv.FormatInt(a.ID, 10), at,
		HookAttendeeData{EventID: a.EventID, AttendeeID: a.ID, Name: a.Name, Email: a.Email, Role: string(a.Role)})
	if err != nil {
		return err
	}
	return d.insertHooks(ctx, tx, rows, at)
}

// CheckWebhookEndpoint validates an endpoint as an organizer entered it:
// an absolute http(s) URL, at least one known event, a short description.
// Returns EINVALID naming the field.
func CheckWebhookEndpoint(e *lanyard.WebhookEndpoint) error {
	u, err := url.Parse(strings.TrimSpace(e.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(e.URL) > 2000 {
		return &lanyard.Error{Code: lanyard.EINVALID, Field: "url", Message: "Enter an http:// or https:// address."}
	}
	e.URL = u.String()
	if len(e.Events) == 0 {
		return &lanyard.Error{Code: lanyard.EINVALID, Field: "events", Message: "Choose at least one event."}
	}
	for _, t := range e.Events {
		if !lanyard.ValidWebhookEvent(t) {
			return &lanyard.Error{Code: lanyard.EINVALID, Field: "events", Message: fmt.Sprintf("There is no event %q.", t)}
		}
	}
	// A sorted copy: the caller's slice may be shared (lanyard.WebhookEvents).
	e.Events = slices.Compact(slices.Sorted(slices.Values(e.Events)))
	if err := lanyard.CheckText("description", e.Description, lanyard.TextRule{Max: 200}); err != nil {
		return err
	}
	return nil
}

// CreateWebhookEndpoint registers an endpoint; e.Secret must be set (the
// webhook package makes one). Returns EINVALID for a bad URL or events.
func (d *DB) CreateWebhookEndpoint(ctx context.Context, e *lanyard.WebhookEndpoint) error {
	if err := CheckWebhookEndpoint(e); err != nil {
		return err
	}
	if !strings.HasPrefix(e.Secret, "whsec_") {
		return fmt.Errorf("store: create webhook: no secret")
	}
	events, _ := json.Marshal(e.Events)
	now := d.Now().UTC()
	e.CreatedAt, e.UpdatedAt, e.Enabled = now, now, true
	err := d.queryRow(ctx, d.db, `INSERT INTO webhook_endpoints (event_id, url, description, events, secret, enabled, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, TRUE, ?, ?) RETURNING id`, e.EventID, e.URL, e.Description, string(events), e.Secret, now, now).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("store: create webhook: %w", err)
	}
	d.hooks.invalidate(e.EventID)
	return nil
}

// UpdateWebhookEndpoint saves an endpoint's URL, description, events and
// whether it is enabled (re-enabling clears the reason it stopped).
// Returns ENOTFOUND or EINVALID.
func (d *DB) UpdateWebhookEndpoint(ctx context.Context, e *lanyard.WebhookEndpoint) error {
	if err := CheckWebhookEndpoint(e); err != nil {
		return err
	}
	events, _ := json.Marshal(e.Events)
	res, err := d.exec(ctx, d.db, `UPDATE webhook_endpoints SET url = ?, description = ?, events = ?, enabled = ?,
		disabled_reason = CASE WHEN ? THEN '' ELSE disabled_reason END, updated_at = ? WHERE event_id = ? AND id = ?`,
		e.URL, e.Description, string(events), e.Enabled, e.Enabled, d.Now().UTC(), e.EventID, e.ID)
	if err != nil {
		return fmt.Errorf("store: update webhook %d: %w", e.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return lanyard.Errorf(lanyard.ENOTFOUND, "There is no such webhook endpoint.")
	}
	d.hooks.invalidate(e.EventID)
	return nil
}

// DisableWebhookEndpoint stops deliveries to an endpoint, saying why ("410
// Gone"); its pending deliveries fail.
func (d *DB) DisableWebhookEndpoint(ctx context.Context, id int64, reason string) error {
	var eventID int64
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if err := d.queryRow(ctx, tx, `UPDATE webhook_endpoints SET enabled = FALSE, disabled_reason = ?, updated_at = ? WHERE id = ? RETURNING event_id`,
			reason, d.Now().UTC(), id).Scan(&eventID); err != nil {
			return err
		}
		_, err := d.exec(ctx, tx, `UPDATE webhook_deliveries SET state = 'failed', next_attempt_at = NULL, last_error = ?
			WHERE endpoint_id = ? AND state = 'pending'`, "endpoint disabled: "+reason, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: disable webhook %d: %w", id, err)
	}
	d.hooks.invalidate(eventID)
	return nil
}

const endpointColumns = `id, event_id, url, description, events, secret, enabled, disabled_reason, created_at, updated_at`

func scanEndpoint(row interface{ Scan(...any) error }) (lanyard.WebhookEndpoint, error) {
	var e lanyard.WebhookEndpoint
	var events string
	if err := row.Scan(&e.ID, &e.EventID, &e.URL, &e.Description, &events, &e.Secret, &e.Enabled, &e.DisabledReason, &e.CreatedAt, &e.UpdatedAt); err != nil {
		return e, err
	}
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	return e, json.Unmarshal([]byte(events), &e.Events)
}

// WebhookEndpoints returns an event's endpoints, oldest first.
func (d *DB) WebhookEndpoints(ctx context.Context, eventID int64) ([]lanyard.WebhookEndpoint, error) {
	rows, err := d.query(ctx, d.db, `SELECT `+endpointColumns+` FROM webhook_endpoints WHERE event_id = ?
		AND id NOT IN (SELECT endpoint_id FROM lead_hooks) ORDER BY id`, eventID) // exhibitors' own endpoints are theirs (leads.go)
	if err != nil {
		return nil, fmt.Errorf("store: webhooks: %w", err)
	}
	defer rows.Close()
	var out []lanyard.WebhookEndpoint
	for rows.Next() {
		e, err := scanEndpoint(rows)
		if err != nil {
			return nil, fmt.Errorf("store: webhooks: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// WebhookEndpoint returns one of an event's endpoints, or ENOTFOUND.
func (d *DB) WebhookEndpoint(ctx context.Context, eventID, id int64) (lanyard.WebhookEndpoint, error) {
	e, err := scanEndpoint(d.queryRow(ctx, d.db, `SELECT `+endpointColumns+` FROM webhook_endpoints WHERE event_id = ? AND id = ?
		AND id NOT IN (SELECT endpoint_id FROM lead_hooks)`, eventID, id))
	if err == sql.ErrNoRows {
		return e, lanyard.Errorf(lanyard.ENOTFOUND, "There is no such webhook endpoint.")
	}
	if err != nil {
		return e, fmt.Errorf("store: webhook %d: %w", id, err)
	}
	return e, nil
}

// EnqueueWebhook writes one delivery to one endpoint outside any change:
// "send a test event". Returns the delivery's ID.
func (d *DB) EnqueueWebhook(ctx context.Context, endpointID int64, typ, msgID string, data any) (int64, error) {
	at := d.Now().UTC()
	rows, err := hookRows(map[string][]int64{typ: {endpointID}}, typ, msgID, at, data)
	if err != nil {
		return 0, err
	}
	var id int64
	err = d.queryRow(ctx, d.db, `INSERT INTO webhook_deliveries (endpoint_id, msg_id, type, payload, state, attempts, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, 'pending', 0, ?, ?) RETURNING id`, endpointID, msgID, typ, rows[0].payload, at, at).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: enqueue webhook: %w", err)
	}
	return id, nil
}

// WebhookJob is a claimed delivery with where and how to send it.
type WebhookJob struct {
	lanyard.WebhookDelivery
	URL    string
	Secret string
}

// ClaimWebhooks leases up to limit due deliveries of enabled endpoints, as
// ClaimMail does for mail: next_attempt_at moves to now+lease and attempts
// count up in one transaction; on PostgreSQL concurrent claims skip each
// other's rows (FOR UPDATE SKIP LOCKED), so each delivery goes to one node.
func (d *DB) ClaimWebhooks(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]WebhookJob, error) {
	now = now.UTC()
	lock := ""
	if d.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	if due, err := d.anyDue(ctx, "webhook_deliveries", now); err != nil || !due {
		return nil, err // nothing due: no write lock taken
	}
	var out []WebhookJob
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := d.query(ctx, tx, `UPDATE webhook_deliveries SET next_attempt_at = ?, attempts = attempts + 1
			WHERE id IN (SELECT id FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= ?
				ORDER BY next_attempt_at, id LIMIT ?`+lock+`)
			RETURNING id, endpoint_id, msg_id, type, payload, COALESCE(log_event_id, 0), COALESCE(log_seq, 0), attempts, created_at`, now.Add(lease), now, limit)
		if err != nil {
			return err
		}
		var refs [][2]int64
		for rows.Next() {
			var j WebhookJob
			var ref [2]int64
			if err := rows.Scan(&j.ID, &j.EndpointID, &j.MsgID, &j.Type, &j.Payload, &ref[0], &ref[1], &j.Attempts, &j.CreatedAt); err != nil {
				rows.Close()
				return err
			}
			j.State, j.CreatedAt = lanyard.MessagePending, j.CreatedAt.UTC()
			out = append(out, j)
			refs = append(refs, ref)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		ptrs := make([]*lanyard.WebhookDelivery, len(out))
		for i := range out {
			ptrs[i] = &out[i].WebhookDelivery
		}
		if err := d.logPayloads(ctx, tx, ptrs, refs); err != nil {
			return err
		}
		ends := map[int64][2]string{}
		for i := range out {
			e, ok := ends[out[i].EndpointID]
			if !ok {
				var enabled bool
				if err := d.queryRow(ctx, tx, `SELECT url, secret, enabled FROM webhook_endpoints WHERE id = ?`, out[i].EndpointID).
					Scan(&e[0], &e[1], &enabled); err != nil {
					return err
				}
				if !enabled {
					e = [2]string{}
				}
				ends[out[i].EndpointID] = e
			}
			out[i].URL, out[i].Secret = e[0], e[1]
		}
		// A delivery to an endpoint disabled since it was written fails.
		kept := out[:0]
		for _, j := range out {
			if j.URL == "" {
				if _, err := d.exec(ctx, tx, `UPDATE webhook_deliveries SET state = 'failed', next_attempt_at = NULL, last_error = 'endpoint disabled' WHERE id = ?`, j.ID); err != nil {
					return err
				}
				continue
			}
			kept = append(kept, j)
		}
		out = kept
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim webhooks: %w", err)
	}
	return out, nil
}

// WebhookResult is the outcome of one attempt: the log entry, and the
// delivery's new state (pending again at Next, sent, or failed).
type WebhookResult struct {
	Attempt lanyard.WebhookAttempt
	State   lanyard.MessageState
	Next    time.Time
}

// WebhooksAttempted records attempts in the delivery log and their
// deliveries' new states, all in one transaction (one commit for many
// deliveries: SQLite has one writer).
func (d *DB) WebhooksAttempted(ctx context.Context, rs []WebhookResult) error {
	if len(rs) == 0 {
		return nil
	}
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if err := d.insertRows(ctx, tx, "webhook_attempts", []string{"delivery_id", "at", "status", "latency_ms", "response", "error"}, "",
			len(rs), func(i int) []any {
				a := rs[i].Attempt
				return []any{a.DeliveryID, a.At.UTC(), a.Status, a.Latency.Milliseconds(), a.Response, a.Error}
			}); err != nil {
			return err
		}
		// One UPDATE per chunk, joined to the outcomes' values (as
		// saveSeats does): an UPDATE each would be a round trip each.
		ts := "?"
		if d.dialect == Postgres {
			ts = "CAST(? AS TIMESTAMPTZ)" // SQLite keeps times as text; a cast there would mangle them
		}
		tuple := "(CAST(? AS BIGINT), CAST(? AS TEXT), " + ts + ", " + ts + ", CAST(? AS INTEGER), CAST(? AS TEXT))"
		for done := 0; done < len(rs); {
			size := chunkSize(len(rs)-done, 256)
			chunk := rs[done : done+size]
			done += size
			args := make([]any, 0, 6*len(chunk))
			for _, r := range chunk {
				var nextAt, sentAt sql.Null[time.Time]
				switch r.State {
				case lanyard.MessagePending:
					nextAt = sql.Null[time.Time]{V: r.Next.UTC(), Valid: true}
				case lanyard.MessageSent:
					sentAt = sql.Null[time.Time]{V: r.Attempt.At.UTC(), Valid: true}
				}
				args = append(args, r.Attempt.DeliveryID, string(r.State), nextAt, sentAt, r.Attempt.Status, r.Attempt.Error)
			}
			stmt, err := d.stmt(ctx, tx, `UPDATE webhook_deliveries SET state = v.column2, next_attempt_at = v.column3,
				sent_at = COALESCE(v.column4, webhook_deliveries.sent_at), last_status = v.column5, last_error = v.column6
				FROM (VALUES `+repeatJoin(tuple, size, ",")+`) AS v WHERE webhook_deliveries.id = v.column1`)
			if err != nil {
				return err
			}
			if _, err := stmt.ExecContext(ctx, args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: %d webhook attempts: %w", len(rs), err)
	}
	return nil
}

// Redeliver sends one of an event's deliveries again, now, whatever its
// state: the organizer's button. Returns ENOTFOUND.
func (d *DB) Redeliver(ctx context.Context, eventID, deliveryID int64) error {
	res, err := d.exec(ctx, d.db, `UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?, last_error = ''
		WHERE id = ? AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE event_id = ?)`, d.Now().UTC(), deliveryID, eventID)
	if err != nil {
		return fmt.Errorf("store: redeliver %d: %w", deliveryID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return lanyard.Errorf(lanyard.ENOTFOUND, "There is no such delivery.")
	}
	return nil
}

// WebhookDeliveries returns an endpoint's deliveries, newest first, at most limit.
func (d *DB) WebhookDeliveries(ctx context.Context, eventID, endpointID int64, limit int) ([]lanyard.WebhookDelivery, error) {
	rows, err := d.query(ctx, d.db, `SELECT w.id, w.endpoint_id, w.msg_id, w.type, w.payload, w.state, w.attempts, w.last_status, w.last_error,
		w.created_at, w.sent_at, w.next_attempt_at, COALESCE(w.log_event_id, 0), COALESCE(w.log_seq, 0)
		FROM webhook_deliveries w JOIN webhook_endpoints e ON e.id = w.endpoint_id
		WHERE e.event_id = ? AND w.endpoint_id = ? ORDER BY w.id DESC LIMIT ?`, eventID, endpointID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: webhook deliveries: %w", err)
	}
	defer rows.Close()
	var out []lanyard.WebhookDelivery
	var refs [][2]int64
	for rows.Next() {
		var w lanyard.WebhookDelivery
		var state string
		var sent, next sql.Null[time.Time]
		var ref [2]int64
		if err := rows.Scan(&w.ID, &w.EndpointID, &w.MsgID, &w.Type, &w.Payload, &state, &w.Attempts, &w.LastStatus, &w.LastError,
			&w.CreatedAt, &sent, &next, &ref[0], &ref[1]); err != nil {
			return nil, fmt.Errorf("store: webhook deliveries: %w", err)
		}
		w.State, w.CreatedAt, w.SentAt, w.NextAt = lanyard.MessageState(state), w.CreatedAt.UTC(), sent.V.UTC(), next.V.UTC()
		out = append(out, w)
		refs = append(refs, ref)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: webhook deliveries: %w", err)
	}
	rows.Close()
	ptrs := make([]*lanyard.WebhookDelivery, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	if err := d.logPayloads(ctx, d.db, ptrs, refs); err != nil {
		return nil, err
	}
	return out, nil
}

// WebhookAttempts returns the delivery log of one of an event's
// deliveries, newest first.
func (d *DB) WebhookAttempts(ctx context.Context, eventID, deliveryID int64) ([]lanyard.WebhookAttempt, error) {
	rows, err := d.query(ctx, d.db, `SELECT a.id, a.delivery_id, a.at, a.status, a.latency_ms, a.response, a.error
		FROM webhook_attempts a JOIN webhook_deliveries w ON w.id = a.delivery_id JOIN webhook_endpoints e ON e.id = w.endpoint_id
		WHERE e.event_id = ? AND a.delivery_id = ? ORDER BY a.id DESC`, eventID, deliveryID)
	if err != nil {
		return nil, fmt.Errorf("store: webhook attempts: %w", err)
	}
	defer rows.Close()
	var out []lanyard.WebhookAttempt
	for rows.Next() {
		var a lanyard.WebhookAttempt
		var ms int64
		if err := rows.Scan(&a.ID, &a.DeliveryID, &a.At, &a.Status, &ms, &a.Response, &a.Error); err != nil {
			return nil, fmt.Errorf("store: webhook attempts: %w", err)
		}
		a.At, a.Latency = a.At.UTC(), time.Duration(ms)*time.Millisecond
		out = append(out, a)
	}
	return out, rows.Err()
}

// SweepWebhooks deletes the delivery log older than before, and the
// deliveries written before it that are no longer pending. Returns how
// many rows went.
func (d *DB) SweepWebhooks(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		res, err := d.exec(ctx, tx, `DELETE FROM webhook_attempts WHERE at < ?`, before.UTC())
		if err != nil {
			return err
		}
		a, _ := res.RowsAffected()
		res, err = d.exec(ctx, tx, `DELETE FROM webhook_deliveries WHERE created_at < ? AND state <> 'pending'`, before.UTC())
		if err != nil {
			return err
		}
		b, _ := res.RowsAffected()
		n = a + b
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: sweep webhooks: %w", err)
	}
	return n, nil
}
