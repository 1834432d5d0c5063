package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Leads (migration 00160): exhibitors' badge scans at their booths, what
// they add to each, their qualifying questions, the attendees'
// withdrawals, and each exhibitor's own webhook endpoint. A lead's card is
// built on every read through lanyard.CardOf with the attendee's current
// consent and the organizer's current cap: nothing here returns more.

// LeadScanInput is one badge scan at a booth.
type LeadScanInput struct {
	EventID     int64
	ExhibitorID int64
	AttendeeID  int64
	// Version is the scanned badge's version; -1 skips the check (a lead
	// added from a typed code the caller checked itself).
	Version   int
	Nonce     string
	ScannedBy int64
	ScannedAt time.Time
}

// LeadScanResult is the answer to a scan.
type LeadScanResult struct {
	LeadID  int64
	Outcome string // lanyard.LeadCreated, LeadExists or LeadWithdrawn
	Name    string // the attendee's name (always on a card); "" when withdrawn
}

// LeadScan records a scan: the first scan of an attendee makes the lead
// (and its lead.created webhook, in the same transaction); the same scan
// (nonce) again answers the same, a new scan of the same attendee answers
// LeadExists, and nothing changes either way; an attendee who withdrew
// from this exhibitor gets no lead (LeadWithdrawn). An attendee of another
// event, or a badge since replaced, is ENOTFOUND.
func (d *DB) LeadScan(ctx context.Context, in LeadScanInput) (LeadScanResult, error) {
	var res LeadScanResult
	now := d.Now().UTC()
	at := in.ScannedAt.UTC()
	if at.IsZero() || at.After(now) {
		at = now
	}
	err := d.inWriteTx(ctx, func(tx *sql.Tx) error {
		var ev int64
		var version int
		var name string
		err := d.queryRow(ctx, tx, `SELECT event_id, badge_version, name FROM attendees WHERE id = ? AND canceled_at IS NULL`, in.AttendeeID).Scan(&ev, &version, &name)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && ev != in.EventID) {
			return lanyard.Errorf(lanyard.ENOTFOUND, "Nobody is registered with this badge.")
		}
		if err != nil {
			return err
		}
		if in.Version >= 0 && version != in.Version {
			return lanyard.Errorf(lanyard.ENOTFOUND, "This badge was replaced by a newer one.")
		}
		err = d.queryRow(ctx, tx, `INSERT INTO leads (event_id, exhibitor_id, attendee_id, scanned_by, nonce, scanned_at, created_at, updated_at)
			SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM lead_withdrawals WHERE exhibitor_id = ? AND attendee_id = ?)
			ON CONFLICT (exhibitor_id, attendee_id) DO NOTHING RETURNING id`,
			in.EventID, in.ExhibitorID, in.AttendeeID, nullInt(in.ScannedBy), in.Nonce, at, now, now, in.ExhibitorID, in.AttendeeID).Scan(&res.LeadID)
		if err == nil {
			res.Outcome, res.Name = lanyard.LeadCreated, name
			return d.leadHook(ctx, tx, in.EventID, in.ExhibitorID, res.LeadID, lanyard.EventLeadCreated, now)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var nonce string
		err = d.queryRow(ctx, tx, `SELECT id, nonce FROM leads WHERE exhibitor_id = ? AND attendee_id = ?`, in.ExhibitorID, in.AttendeeID).Scan(&res.LeadID, &nonce)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			res.LeadID, res.Outcome = 0, lanyard.LeadWithdrawn
			return nil // no name: the exhibitor holds nothing of them
		case err != nil:
			return err
		case nonce == in.Nonce:
			res.Outcome = lanyard.LeadCreated
		default:
			res.Outcome = lanyard.LeadExists
		}
		res.Name = name
		return nil
	})
	if err != nil {
		return LeadScanResult{}, fmt.Errorf("store: lead scan: %w", err)
	}
	return res, nil
}

// LeadFilter narrows an exhibitor's leads.
type LeadFilter struct {
	Tag string // only leads with this tag
	Q   string // name or company contains (through the card: a hidden company does not match)
	// Since keeps the leads created or changed at or after it (zero: all),
	// for a CRM's incremental pull (GET /api/v1/exhibitor/leads?since=).
	Since time.Time
}

const leadCols = `l.id, l.exhibitor_id, l.attendee_id, COALESCE(l.scanned_by, 0), l.nonce, l.scanned_at, l.created_at, l.updated_at,
	l.rating, l.notes, l.tags, a.name, a.email, a.company, a.job_title,
	COALESCE(s.fields, ?), COALESCE(s.phone, ''), COALESCE(s.linkedin, '')`

const leadFrom = ` FROM leads l JOIN attendees a ON a.id = l.attendee_id LEFT JOIN attendee_sharing s ON s.attendee_id = l.attendee_id`

// scanLead reads leadCols and builds the card through CardOf with the
// consent read in the same row and the cap.
func scanLead(r interface{ Scan(...any) error }, capFields []string) (lanyard.Lead, error) {
	var l lanyard.Lead
	var tags, fields string
	a := &lanyard.Attendee{}
	sh := lanyard.Sharing{}
	err := r.Scan(&l.ID, &l.ExhibitorID, &l.AttendeeID, &l.ScannedBy, &l.Nonce, &l.ScannedAt, &l.CreatedAt, &l.UpdatedAt,
		&l.Rating, &l.Notes, &tags, &a.Name, &a.Email, &a.Company, &a.JobTitle, &fields, &sh.Phone, &sh.LinkedIn)
	if err != nil {
		return l, err
	}
	a.ID, sh.AttendeeID = l.AttendeeID, l.AttendeeID
	sh.Fields = splitList(fields)
	l.ScannedAt, l.CreatedAt, l.UpdatedAt = l.ScannedAt.UTC(), l.CreatedAt.UTC(), l.UpdatedAt.UTC()
	l.Tags = splitList(tags)
	l.Card = lanyard.CardOf(a, sh, capFields)
	return l, nil
}

func defaultFields() string { return strings.Join(lanyard.DefaultShared, ",") }

// Leads returns an exhibitor's leads, newest first, with their answers and
// cards (read through the current consent and cap).
func (d *DB) Leads(ctx context.Context, eventID, exhibitorID int64, f LeadFilter) ([]lanyard.Lead, error) {
	capFields, err := d.ExhibitorFields(ctx, eventID)
	if err != nil {
		return nil, err
	}
	var out []lanyard.Lead
	byID := map[int64]int{}
	where, args := ``, []any{defaultFields(), exhibitorID, eventID}
	if !f.Since.IsZero() {
		where, args = ` AND l.updated_at >= ?`, append(args, f.Since.UTC())
	}
	err = d.scanAll(ctx, `SELECT `+leadCols+leadFrom+` WHERE l.exhibitor_id = ? AND l.event_id = ?`+where+` ORDER BY l.created_at DESC, l.id DESC`,
		args, func(r *sql.Rows) error {
			l, err := scanLead(r, capFields)
			if err != nil {
				return err
			}
			if f.Tag != "" && !containsString(l.Tags, f.Tag) {
				return nil
			}
			if q := strings.ToLower(strings.TrimSpace(f.Q)); q != "" &&
				!strings.Contains(strings.ToLower(l.Card.Name), q) && !strings.Contains(strings.ToLower(l.Card.Company), q) {
				return nil
			}
			byID[l.ID] = len(out)
			out = append(out, l)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("store: leads: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	err = d.scanAll(ctx, `SELECT w.lead_id, w.question_id, w.value FROM lead_answers w JOIN leads l ON l.id = w.lead_id WHERE l.exhibitor_id = ?`,
		[]any{exhibitorID}, func(r *sql.Rows) error {
			var lead, q int64
			var v string
			if err := r.Scan(&lead, &q, &v); err != nil {
				return err
			}
			if i, ok := byID[lead]; ok {
				if out[i].Answers == nil {
					out[i].Answers = map[int64][]string{}
				}
				out[i].Answers[q] = strings.Split(v, "\n")
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("store: lead answers: %w", err)
	}
	return out, nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Lead returns one of an exhibitor's leads, or ENOTFOUND (another
// exhibitor's lead is not found either).
func (d *DB) Lead(ctx context.Context, eventID, exhibitorID, leadID int64) (lanyard.Lead, error) {
	return d.lead(ctx, d.db, eventID, exhibitorID, leadID)
}

func (d *DB) lead(ctx context.Context, q querier, eventID, exhibitorID, leadID int64) (lanyard.Lead, error) {
	capFields, err := d.ExhibitorFields(ctx, eventID)
	if err != nil {
		return lanyard.Lead{}, err
	}
	l, err := scanLead(d.queryRow(ctx, q, `SELECT `+leadCols+leadFrom+` WHERE l.id = ? AND l.exhibitor_id = ? AND l.event_id = ?`,
		defaultFields(), leadID, exhibitorID, eventID), capFields)
	if errors.Is(err, sql.ErrNoRows) {
		err = lanyard.Errorf(lanyard.ENOTFOUND, "No lead %d.", leadID)
	}
	if err != nil {
		return l, fmt.Errorf("store: lead %d: %w", leadID, err)
	}
	rows, err := d.query(ctx, q, `SELECT question_id, value FROM lead_answers WHERE lead_id = ?`, leadID)
	if err != nil {
		return l, fmt.Errorf("store: lead %d answers: %w", leadID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var qid int64
		var v string
		if err := rows.Scan(&qid, &v); err != nil {
			return l, err
		}
		if l.Answers == nil {
			l.Answers = map[int64][]string{}
		}
		l.Answers[qid] = strings.Split(v, "\n")
	}
	return l, rows.Err()
}

// LeadUpdate changes what the exhibitor wrote on a lead (u must be valid:
// LeadUpdate.Validate; answers are checked here against the exhibitor's
// questions) and writes lead.updated to the exhibitor's endpoint, in one
// transaction. Returns ENOTFOUND for another exhibitor's lead, EINVALID
// for a bad answer.
func (d *DB) LeadUpdate(ctx context.Context, eventID, exhibitorID, leadID int64, u lanyard.LeadUpdate) error {
	if err := u.Validate(); err != nil {
		return err
	}
	qs, err := d.LeadQuestions(ctx, exhibitorID)
	if err != nil {
		return err
	}
	answers := map[int64][]string{}
	for qid, vs := range u.Answers {
		var q *lanyard.LeadQuestion
		for i := range qs {
			if qs[i].ID == qid {
				q = &qs[i]
			}
		}
		if q == nil {
			return &lanyard.Error{Code: lanyard.EINVALID, Field: "q" + strconv.FormatInt(qid, 10), Message: "There is no such question."}
		}
		clean, err := q.CheckAnswer(vs)
		if err != nil {
			return err
		}
		answers[qid] = clean
	}
	now := d.Now().UTC()
	err = d.inTx(ctx, func(tx *sql.Tx) error {
		var set []string
		var args []any
		if u.Rating != nil {
			set, args = append(set, "rating = ?"), append(args, *u.Rating)
		}
		if u.Notes != nil {
			set, args = append(set, "notes = ?"), append(args, *u.Notes)
		}
		if u.Tags != nil {
			set, args = append(set, "tags = ?"), append(args, strings.Join(*u.Tags, ","))
		}
		set, args = append(set, "updated_at = ?"), append(args, now)
		args = append(args, leadID, exhibitorID, eventID)
		res, err := tx.ExecContext(ctx, d.dialect.rebind(`UPDATE leads SET `+strings.Join(set, ", ")+` WHERE id = ? AND exhibitor_id = ? AND event_id = ?`), args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return lanyard.Errorf(lanyard.ENOTFOUND, "No lead %d.", leadID)
		}
		for qid, vs := range answers {
			if len(vs) == 0 {
				if _, err := d.exec(ctx, tx, `DELETE FROM lead_answers WHERE lead_id = ? AND question_id = ?`, leadID, qid); err != nil {
					return err
				}
				continue
			}
			if _, err := d.exec(ctx, tx, `INSERT INTO lead_answers (lead_id, question_id, value) VALUES (?, ?, ?)
				ON CONFLICT (lead_id, question_id) DO UPDATE SET value = excluded.value`, leadID, qid, strings.Join(vs, "\n")); err != nil {
				return err
			}
		}
		return d.leadHook(ctx, tx, eventID, exhibitorID, leadID, lanyard.EventLeadUpdated, now)
	})
	if err != nil {
		return fmt.Errorf("store: update lead %d: %w", leadID, err)
	}
	return nil
}

// LeadHolder is an exhibitor holding an attendee's data, for their
// privacy page.
type LeadHolder struct {
	Exhibitor lanyard.Exhibitor
	Since     time.Time // when the lead was made
	// Withdrawn is when the attendee withdrew; zero while the exhibitor
	// holds the lead.
	Withdrawn time.Time
}

// LeadHolders lists the exhibitors that hold the attendee's card, then
// those they withdrew from, each by name.
func (d *DB) LeadHolders(ctx context.Context, eventID, attendeeID int64) ([]LeadHolder, error) {
	var out []LeadHolder
	for i, q := range []string{
		`SELECT x.id, x.code, x.name, x.booth, x.description, x.categories, x.website, l.created_at
			FROM leads l JOIN exhibitors x ON x.id = l.exhibitor_id WHERE l.attendee_id = ? AND l.event_id = ? ORDER BY x.name, x.id`,
		`SELECT x.id, x.code, x.name, x.booth, x.description, x.categories, x.website, w.at
			FROM lead_withdrawals w JOIN exhibitors x ON x.id = w.exhibitor_id WHERE w.attendee_id = ? AND x.event_id = ? ORDER BY x.name, x.id`,
	} {
		withdrawn := i == 1
		err := d.scanAll(ctx, q, []any{attendeeID, eventID}, func(r *sql.Rows) error {
			var h LeadHolder
			var cats string
			var at time.Time
			if err := r.Scan(&h.Exhibitor.ID, &h.Exhibitor.Code, &h.Exhibitor.Name, &h.Exhibitor.Booth, &h.Exhibitor.Description, &cats, &h.Exhibitor.Website, &at); err != nil {
				return err
			}
			h.Exhibitor.Categories = splitList(cats)
			if withdrawn {
				h.Withdrawn = at.UTC()
			} else {
				h.Since = at.UTC()
			}
			out = append(out, h)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("store: lead holders: %w", err)
		}
	}
	return out, nil
}

// LeadWithdraw takes the attendee's data back from an exhibitor: the lead
// and what the exhibitor wrote on it are deleted, no later scan makes it
// again, lead.withdrawn goes to the exhibitor's endpoint, and the bodies of
// its earlier deliveries about this lead are blanked (the pending ones are
// not sent). All in one transaction. Withdrawing again changes nothing.
// Returns ENOTFOUND if the exhibitor never held a lead of the attendee.
func (d *DB) LeadWithdraw(ctx context.Context, eventID, attendeeID, exhibitorID int64) error {
	now := d.Now().UTC()
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var leadID int64
		err := d.queryRow(ctx, tx, `SELECT id FROM leads WHERE exhibitor_id = ? AND attendee_id = ? AND event_id = ?`, exhibitorID, attendeeID, eventID).Scan(&leadID)
		if errors.Is(err, sql.ErrNoRows) {
			var n int
			if err := d.queryRow(ctx, tx, `SELECT COUNT(*) FROM lead_withdrawals WHERE exhibitor_id = ? AND attendee_id = ?`, exhibitorID, attendeeID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			return lanyard.Errorf(lanyard.ENOTFOUND, "This exhibitor holds no data of yours.")
		}
		if err != nil {
			return err
		}
		if err := d.leadHook(ctx, tx, eventID, exhibitorID, leadID, lanyard.EventLeadWithdrawn, now); err != nil {
			return err
		}
		// Earlier deliveries about this lead: the card leaves no copy in the
		// delivery log, and what was not sent yet is not sent.
		prefix := "msg_lead_" + strconv.FormatInt(leadID, 10) + "_"
		if _, err := d.exec(ctx, tx, `UPDATE webhook_deliveries SET payload = '{}',
				state = CASE WHEN state = 'pending' THEN 'failed' ELSE state END,
				last_error = CASE WHEN state = 'pending' THEN 'consent withdrawn' ELSE last_error END,
				next_attempt_at = CASE WHEN state = 'pending' THEN NULL ELSE next_attempt_at END
			WHERE endpoint_id IN (SELECT endpoint_id FROM lead_hooks WHERE exhibitor_id = ?) AND msg_id LIKE ? AND msg_id <> ?`,
			exhibitorID, prefix+"%", prefix+"withdrawn"); err != nil {
			return err
		}
		if _, err := d.exec(ctx, tx, `DELETE FROM leads WHERE id = ?`, leadID); err != nil {
			return err
		}
		_, err = d.exec(ctx, tx, `INSERT INTO lead_withdrawals (exhibitor_id, attendee_id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, exhibitorID, attendeeID, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: withdraw from exhibitor %d: %w", exhibitorID, err)
	}
	return nil
}

// LeadQuestions returns an exhibitor's qualifying questions in order.
func (d *DB) LeadQuestions(ctx context.Context, exhibitorID int64) ([]lanyard.LeadQuestion, error) {
	var out []lanyard.LeadQuestion
	err := d.scanAll(ctx, `SELECT id, exhibitor_id, position, kind, prompt, choices FROM lead_questions WHERE exhibitor_id = ? ORDER BY position, id`,
		[]any{exhibitorID}, func(r *sql.Rows) error {
			var q lanyard.LeadQuestion
			var choices string
			if err := r.Scan(&q.ID, &q.ExhibitorID, &q.Position, &q.Kind, &q.Prompt, &choices); err != nil {
				return err
			}
			if choices != "" {
				q.Choices = strings.Split(choices, "\n")
			}
			out = append(out, q)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("store: lead questions: %w", err)
	}
	return out, nil
}

// LeadQuestionPut adds a question (q.ID 0, last) or changes one of the
// exhibitor's. Changing choices leaves answers that are no longer a choice
// as they were. Returns EINVALID, ENOTFOUND, or ECONFLICT past
// lanyard.LeadMaxQuestions.
func (d *DB) LeadQuestionPut(ctx context.Context, q lanyard.LeadQuestion) (lanyard.LeadQuestion, error) {
	if err := q.Validate(); err != nil {
		return q, err
	}
	choices := strings.Join(q.Choices, "\n")
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if q.ID != 0 {
			res, err := d.exec(ctx, tx, `UPDATE lead_questions SET kind = ?, prompt = ?, choices = ? WHERE id = ? AND exhibitor_id = ?`,
				q.Kind, q.Prompt, choices, q.ID, q.ExhibitorID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return lanyard.Errorf(lanyard.ENOTFOUND, "No question %d.", q.ID)
			}
			return nil
		}
		var n, last int
		if err := d.queryRow(ctx, tx, `SELECT COUNT(*), COALESCE(MAX(position), 0) FROM lead_questions WHERE exhibitor_id = ?`, q.ExhibitorID).Scan(&n, &last); err != nil {
			return err
		}
		if n >= lanyard.LeadMaxQuestions {
			return lanyard.Errorf(lanyard.ECONFLICT, "An exhibitor has at most %d questions.", lanyard.LeadMaxQuestions)
		}
		q.Position = last + 1
		return d.queryRow(ctx, tx, `INSERT INTO lead_questions (exhibitor_id, position, kind, prompt, choices) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			q.ExhibitorID, q.Position, q.Kind, q.Prompt, choices).Scan(&q.ID)
	})
	if err != nil {
		return q, fmt.Errorf("store: put lead question: %w", err)
	}
	return q, nil
}

// LeadQuestionDelete deletes one of the exhibitor's questions and its
// answers. Returns ENOTFOUND.
func (d *DB) LeadQuestionDelete(ctx context.Context, exhibitorID, id int64) error {
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := d.exec(ctx, tx, `DELETE FROM lead_answers WHERE question_id IN (SELECT id FROM lead_questions WHERE id = ? AND exhibitor_id = ?)`, id, exhibitorID); err != nil {
			return err
		}
		res, err := d.exec(ctx, tx, `DELETE FROM lead_questions WHERE id = ? AND exhibitor_id = ?`, id, exhibitorID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return lanyard.Errorf(lanyard.ENOTFOUND, "No question %d.", id)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: delete lead question %d: %w", id, err)
	}
	return nil
}

// LeadHook returns the exhibitor's own webhook endpoint, or ENOTFOUND.
func (d *DB) LeadHook(ctx context.Context, exhibitorID int64) (lanyard.WebhookEndpoint, error) {
	e, err := scanEndpoint(d.queryRow(ctx, d.db, `SELECT e.id, e.event_id, e.url, e.description, e.events, e.secret, e.enabled, e.disabled_reason, e.created_at, e.updated_at
		FROM lead_hooks h JOIN webhook_endpoints e ON e.id = h.endpoint_id WHERE h.exhibitor_id = ?`, exhibitorID))
	if errors.Is(err, sql.ErrNoRows) {
		err = lanyard.Errorf(lanyard.ENOTFOUND, "No webhook endpoint.")
	}
	if err != nil {
		return e, fmt.Errorf("store: lead hook: %w", err)
	}
	return e, nil
}

// LeadHookPut sets the exhibitor's endpoint's address (an absolute http or
// https URL), making it with secret (webhook.NewSecret) the first time;
// setting it enables it again. Returns the endpoint, or EINVALID.
func (d *DB) LeadHookPut(ctx context.Context, eventID, exhibitorID int64, rawURL, secret string) (lanyard.WebhookEndpoint, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(rawURL) > 2000 {
		return lanyard.WebhookEndpoint{}, &lanyard.Error{Code: lanyard.EINVALID, Field: "url", Message: "Enter an http:// or https:// address."}
	}
	now := d.Now().UTC()
	err = d.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := d.queryRow(ctx, tx, `SELECT endpoint_id FROM lead_hooks WHERE exhibitor_id = ?`, exhibitorID).Scan(&id)
		if err == nil {
			_, err = d.exec(ctx, tx, `UPDATE webhook_endpoints SET url = ?, enabled = TRUE, disabled_reason = '', updated_at = ? WHERE id = ?`, u.String(), now, id)
			return err
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if !strings.HasPrefix(secret, "whsec_") {
			return fmt.Errorf("no secret")
		}
		// No subscriptions ('[]'): the organizer's event stream never goes
		// here; lead deliveries are written to it by ID.
		if err := d.queryRow(ctx, tx, `INSERT INTO webhook_endpoints (event_id, url, description, events, secret, enabled, created_at, updated_at)
			VALUES (?, ?, ?, '[]', ?, TRUE, ?, ?) RETURNING id`, eventID, u.String(), "Leads of exhibitor "+strconv.FormatInt(exhibitorID, 10), secret, now, now).Scan(&id); err != nil {
			return err
		}
		_, err = d.exec(ctx, tx, `INSERT INTO lead_hooks (exhibitor_id, endpoint_id) VALUES (?, ?)`, exhibitorID, id)
		return err
	})
	if err != nil {
		return lanyard.WebhookEndpoint{}, fmt.Errorf("store: put lead hook: %w", err)
	}
	d.hooks.invalidate(eventID)
	return d.LeadHook(ctx, exhibitorID)
}

// LeadHookDisable stops deliveries to the exhibitor's endpoint.
func (d *DB) LeadHookDisable(ctx context.Context, exhibitorID int64) error {
	_, err := d.exec(ctx, d.db, `UPDATE webhook_endpoints SET enabled = FALSE, updated_at = ? WHERE id IN (SELECT endpoint_id FROM lead_hooks WHERE exhibitor_id = ?)`,
		d.Now().UTC(), exhibitorID)
	if err != nil {
		return fmt.Errorf("store: disable lead hook: %w", err)
	}
	return nil
}

// LeadHookData is the data of a lead webhook: the lead as the exhibitor
// sees it (its card through the current consent and cap), or for
// lead.withdrawn only which lead went.
type LeadHookData struct {
	EventID    int64          `json:"event_id"`
	Exhibitor  string         `json:"exhibitor"` // its code
	LeadID     int64          `json:"lead_id"`
	AttendeeID int64          `json:"attendee_id"`
	Card       *lanyard.Card  `json:"card,omitempty"`
	Rating     int            `json:"rating,omitempty"`
	Notes      string         `json:"notes,omitempty"`
	Tags       []string       `json:"tags,omitempty"`
	Answers    map[string]any `json:"answers,omitempty"` // question prompt → value(s)
	ScannedAt  *time.Time     `json:"scanned_at,omitempty"`
}

// leadHook writes a lead webhook to the exhibitor's enabled endpoint, if
// it has one, in tx. The body is built now, through CardOf.
func (d *DB) leadHook(ctx context.Context, tx *sql.Tx, eventID, exhibitorID, leadID int64, typ string, now time.Time) error {
	var endpoint int64
	var code string
	err := d.queryRow(ctx, tx, `SELECT h.endpoint_id, x.code FROM lead_hooks h JOIN webhook_endpoints e ON e.id = h.endpoint_id
		JOIN exhibitors x ON x.id = h.exhibitor_id WHERE h.exhibitor_id = ? AND e.enabled`, exhibitorID).Scan(&endpoint, &code)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	l, err := d.lead(ctx, tx, eventID, exhibitorID, leadID)
	if err != nil {
		return err
	}
	data := LeadHookData{EventID: eventID, Exhibitor: code, LeadID: leadID, AttendeeID: l.AttendeeID}
	msgID := "msg_lead_" + strconv.FormatInt(leadID, 10) + "_"
	switch typ {
	case lanyard.EventLeadWithdrawn:
		msgID += "withdrawn"
	default:
		msgID += strings.TrimPrefix(typ, "lead.")
		if typ == lanyard.EventLeadUpdated {
			msgID += "_" + strconv.FormatInt(now.UnixNano(), 36)
		}
		card := l.Card
		at := l.ScannedAt
		data.Card, data.Rating, data.Notes, data.Tags, data.ScannedAt = &card, l.Rating, l.Notes, l.Tags, &at
		if len(l.Answers) > 0 {
			qs, err := d.leadQuestionsTx(ctx, tx, exhibitorID)
			if err != nil {
				return err
			}
			data.Answers = map[string]any{}
			for _, q := range qs {
				if vs, ok := l.Answers[q.ID]; ok {
					if q.Kind == lanyard.LeadQuestionMultiple {
						data.Answers[q.Prompt] = vs
					} else {
						data.Answers[q.Prompt] = vs[0]
					}
				}
			}
		}
	}
	body, err := json.Marshal(hookPayload{Type: typ, Timestamp: now, Data: data})
	if err != nil {
		return err
	}
	return d.insertHooks(ctx, tx, []hookRow{{endpoint: endpoint, msgID: msgID, typ: typ, payload: string(body)}}, now)
}

func (d *DB) leadQuestionsTx(ctx context.Context, tx *sql.Tx, exhibitorID int64) ([]lanyard.LeadQuestion, error) {
	rows, err := d.query(ctx, tx, `SELECT id, prompt, kind FROM lead_questions WHERE exhibitor_id = ? ORDER BY position, id`, exhibitorID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []lanyard.LeadQuestion
	for rows.Next() {
		var q lanyard.LeadQuestion
		if err := rows.Scan(&q.ID, &q.Prompt, &q.Kind); err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// LeadWithdrawal is an attendee who took their data back from an
// exhibitor, and when: a CRM that pulled the lead deletes its copy.
type LeadWithdrawal struct {
	AttendeeID int64     `json:"attendee_id"`
	At         time.Time `json:"withdrawn_at"`
}

// LeadWithdrawals returns the withdrawals from an exhibitor of the event
// at or after since (zero: all), oldest first.
func (d *DB) LeadWithdrawals(ctx context.Context, eventID, exhibitorID int64, since time.Time) ([]LeadWithdrawal, error) {
	out := []LeadWithdrawal{}
	err := d.scanAll(ctx, `SELECT w.attendee_id, w.at FROM lead_withdrawals w JOIN exhibitors x ON x.id = w.exhibitor_id
		WHERE w.exhibitor_id = ? AND x.event_id = ? AND w.at >= ? ORDER BY w.at, w.attendee_id`,
		[]any{exhibitorID, eventID, since.UTC()}, func(r *sql.Rows) error {
			var w LeadWithdrawal
			if err := r.Scan(&w.AttendeeID, &w.At); err != nil {
				return err
			}
			w.At = w.At.UTC()
			out = append(out, w)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("store: lead withdrawals of exhibitor %d: %w", exhibitorID, err)
	}
	return out, nil
}
