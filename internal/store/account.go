package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// SignUp registers a for the event and creates its web account with the
// given password hash, in one transaction, and sets a's ID, event, creation
// time and (if empty) role. The email is normalised first. The account
// counts as verified: SignUp is for callers that vouch for the address
// (the demo, an organizer); the sign-up page uses Register.
// Returns EINVALID if a fails validation and ECONFLICT if the email is
// already registered for the event, with or without an account; then
// nothing is created.
func (d *DB) SignUp(ctx context.Context, eventID int64, a *lanyard.Attendee, passwordHash string) error {
	return d.signUp(ctx, eventID, a, passwordHash, nil)
}

// Link is a single-use mailed link: the SHA-256 of its token, when it
// expires, and the message carrying it (written in the same transaction).
type Link struct {
	TokenHash []byte
	Expires   time.Time
	Message   lanyard.Message
}

// Register is SignUp for a person signing up themselves: the account stays
// unverified until the verification link v (purpose verify) is followed.
// v's message is written to the new attendee in the same transaction.
func (d *DB) Register(ctx context.Context, eventID int64, a *lanyard.Attendee, passwordHash string, v Link) error {
	return d.signUp(ctx, eventID, a, passwordHash, &v)
}

func (d *DB) signUp(ctx context.Context, eventID int64, a *lanyard.Attendee, passwordHash string, verify *Link) error {
	if passwordHash == "" {
		return errors.New("store: sign up: empty password hash")
	}
	now := d.Now().UTC()
	a.Email = lanyard.NormalizeEmail(a.Email)
	a.EventID, a.CreatedAt = eventID, now
	if a.Role == "" {
		a.Role = lanyard.RoleAttendee
	}
	if err := a.Validate(); err != nil {
		return err
	}
	certs, err := json.Marshal(nonNil(a.Certifications))
	if err != nil {
		return fmt.Errorf("store: sign up: %w", err)
	}
	verified := any(now)
	if verify != nil {
		verified = nil
	}
	return d.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := d.queryRow(ctx, tx, `INSERT INTO attendees (event_id, name, email, company, job_title, home_zone, certifications, role, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			eventID, a.Name, a.Email, a.Company, a.JobTitle, a.HomeZone, string(certs), string(a.Role), now).Scan(&id)
		if err != nil {
			return fmt.Errorf("store: sign up: %w", mapError(err, "An account with that email"))
		}
		if _, err := d.exec(ctx, tx, "INSERT INTO accounts (attendee_id, password_hash, password_changed_at, updated_at, email_verified_at) VALUES (?, ?, ?, ?, ?)",
			id, passwordHash, now, now, verified); err != nil {
			return fmt.Errorf("store: sign up: %w", mapError(err, "An account with that email"))
		}
		a.ID = id
		if err := d.attendeeHooks(ctx, tx, a); err != nil {
			return err
		}
		if verify != nil {
			verify.Message.EventID = eventID
			return d.createLink(ctx, tx, id, LinkVerify, *verify)
		}
		return nil
	})
}

// The purposes of a mailed link.
const (
	LinkReset      = "reset"      // sets a new password
	LinkInvitation = "invitation" // sets an imported attendee's first password
	LinkVerify     = "verify"     // proves the account's address
)

// createLink stores a mailed link of an attendee by its token's hash and
// writes its message, by mail only (the link signs in or proves the
// address, and the app may be open on a shared screen).
func (d *DB) createLink(ctx context.Context, tx *sql.Tx, attendeeID int64, purpose string, l Link) error {
	now := d.Now().UTC()
	res, err := d.exec(ctx, tx, `INSERT INTO password_resets (token_hash, attendee_id, expires_at, created_at, purpose)
		SELECT ?, id, ?, ?, ? FROM attendees WHERE id = ?`, l.TokenHash, l.Expires.UTC(), now, purpose, attendeeID)
	if err != nil {
		return fmt.Errorf("store: create %s link: %w", purpose, mapError(err, "That link"))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return lanyard.Errorf(lanyard.ENOTFOUND, "No attendee %d.", attendeeID)
	}
	msg := l.Message
	msg.AttendeeID, msg.Mail, msg.App, msg.CreatedAt = attendeeID, true, false, now
	return d.insertMessage(ctx, tx, msg)
}

// CreateLink stores a mailed link (LinkInvitation or LinkVerify: a resend)
// of an attendee and writes its message, in one transaction.
// Returns ENOTFOUND if there is no such attendee.
func (d *DB) CreateLink(ctx context.Context, attendeeID int64, purpose string, l Link) error {
	return d.inTx(ctx, func(tx *sql.Tx) error { return d.createLink(ctx, tx, attendeeID, purpose, l) })
}

// VerifyEmail uses the verification link whose token has the given
// SHA-256 hash: it marks the link used and the attendee's account
// verified, in one transaction, and returns the attendee's ID.
// Returns EINVALID if the link is unknown, used or expired.
func (d *DB) VerifyEmail(ctx context.Context, tokenHash []byte) (attendeeID int64, err error) {
	now := d.Now().UTC()
	err = d.inTx(ctx, func(tx *sql.Tx) error {
		err := d.queryRow(ctx, tx, `UPDATE password_resets SET used_at = ?
			WHERE token_hash = ? AND purpose = 'verify' AND used_at IS NULL AND expires_at > ? RETURNING attendee_id`,
			now, tokenHash, now).Scan(&attendeeID)
		if errors.Is(err, sql.ErrNoRows) {
			return lanyard.Errorf(lanyard.EINVALID, "This confirmation link is not valid any more; ask for a new one.")
		}
		if err != nil {
			return fmt.Errorf("store: verify email: %w", err)
		}
		if _, err := d.exec(ctx, tx, "UPDATE accounts SET email_verified_at = COALESCE(email_verified_at, ?) WHERE attendee_id = ?", now, attendeeID); err != nil {
			return fmt.Errorf("store: verify email: %w", err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return attendeeID, nil
}

// SignUpMode returns the event's sign-up mode (lanyard.SignUpOpen or
// lanyard.SignUpInvitation). Returns ENOTFOUND for an unknown event.
func (d *DB) SignUpMode(ctx context.Context, eventID int64) (string, error) {
	var m string
	err := d.queryRow(ctx, d.db, "SELECT signup_mode FROM events WHERE id = ?", eventID).Scan(&m)
	if errors.Is(err, sql.ErrNoRows) {
		return "", lanyard.Errorf(lanyard.ENOTFOUND, "No event %d.", eventID)
	}
	if err != nil {
		return "", fmt.Errorf("store: sign-up mode: %w", err)
	}
	return m, nil
}

// SetSignUpMode sets the event's sign-up mode.
// Returns EINVALID for an unknown mode and ENOTFOUND for an unknown event.
func (d *DB) SetSignUpMode(ctx context.Context, eventID int64, mode string) error {
	if !lanyard.ValidSignUpMode(mode) {
		return &lanyard.Error{Code: lanyard.EINVALID, Field: "signup_mode", Message: fmt.Sprintf("Sign-up mode %q is neither open nor invitation.", mode)}
	}
	res, err := d.exec(ctx, d.db, "UPDATE events SET signup_mode = ? WHERE id = ?", mode, eventID)
	if err != nil {
		return fmt.Errorf("store: set sign-up mode: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return lanyard.Errorf(lanyard.ENOTFOUND, "No event %d.", eventID)
	}
	return nil
}

// SetPassword sets the password hash of an attendee's account, creating the
// account if the attendee had none (an imported attendee claiming their
// registration). Returns ENOTFOUND if there is no such attendee.
func (d *DB) SetPassword(ctx context.Context, attendeeID int64, hash string) error {
	n, err := d.upsertPassword(ctx, d.db, attendeeID, hash)
	if err != nil {
		return err
	}
	if n == 0 {
		return lanyard.Errorf(lanyard.ENOTFOUND, "No attendee %d.", attendeeID)
	}
	return nil
}

// MarkEmailVerified records that an account's address is known good
// without a link followed: the demo's printed accounts, whose addresses
// the demo made up. Returns ENOTFOUND for an attendee without an account.
func (d *DB) MarkEmailVerified(ctx context.Context, attendeeID int64) error {
	res, err := d.exec(ctx, d.db, "UPDATE accounts SET email_verified_at = COALESCE(email_verified_at, ?) WHERE attendee_id = ?", d.Now().UTC(), attendeeID)
	if err != nil {
		return fmt.Errorf("store: mark %d verified: %w", attendeeID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return lanyard.Errorf(lanyard.ENOTFOUND, "Attendee %d has no account.", attendeeID)
	}
	return nil
}

// upsertPassword sets an attendee's password hash, creating the account if
// needed, and reports how many rows it wrote: 0 if there is no such attendee.
func (d *DB) upsertPassword(ctx context.Context, q querier, attendeeID int64, hash string) (int64, error) {
	if hash == "" {
		return 0, errors.New("store: set password: empty password hash")
	}
	// INSERT … SELECT writes nothing for an unknown attendee, so that is told
	// apart from other errors without a foreign key violation (which would
	// abort a PostgreSQL transaction). SQLite needs the SELECT's WHERE to
	// parse the ON CONFLICT clause.
	now := d.Now().UTC()
	res, err := d.exec(ctx, q, `INSERT INTO accounts (attendee_id, password_hash, password_changed_at, updated_at)
		SELECT id, ?, ?, ? FROM attendees WHERE id = ?
		ON CONFLICT (attendee_id) DO UPDATE SET password_hash = excluded.password_hash,
			password_changed_at = excluded.password_changed_at, updated_at = excluded.updated_at`,
		hash, now, now, attendeeID)
	if err != nil {
		return 0, fmt.Errorf("store: set password of %d: %w", attendeeID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: set password of %d: %w", attendeeID, err)
	}
	return n, nil
}

// Account returns an attendee's web account.
// Returns ENOTFOUND if the attendee has none.
func (d *DB) Account(ctx context.Context, attendeeID int64) (*lanyard.Account, error) {
	var a lanyard.Account
	var verified sql.Null[time.Time]
	err := d.queryRow(ctx, d.db, `SELECT attendee_id, password_hash, password_changed_at, language, zone_primary, COALESCE(calendar_token, ''), email_verified_at
		FROM accounts WHERE attendee_id = ?`, attendeeID).
		Scan(&a.AttendeeID, &a.PasswordHash, &a.PasswordChangedAt, &a.Language, &a.ZonePrimary, &a.CalendarToken, &verified)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lanyard.Errorf(lanyard.ENOTFOUND, "No account for attendee %d.", attendeeID)
	}
	if err != nil {
		return nil, fmt.Errorf("store: account %d: %w", attendeeID, err)
	}
	a.PasswordChangedAt = a.PasswordChangedAt.UTC()
	if verified.Valid {
		a.EmailVerifiedAt = verified.V.UTC()
	}
	return &a, nil
}

// SetPreferences sets the language and the primary time zone (venue or
// home) of an attendee's account, and the attendee's home zone ("" for
// none), in one transaction.
// Returns EINVALID for an unknown primary or home zone and ENOTFOUND if the
// attendee has no account; then nothing changes.
func (d *DB) SetPreferences(ctx context.Context, attendeeID int64, language, zonePrimary, homeZone string) error {
	if zonePrimary != lanyard.ZonePrimaryVenue && zonePrimary != lanyard.ZonePrimaryHome {
		return lanyard.Errorf(lanyard.EINVALID, "Show times first in the venue's zone or in your home zone.")
	}
	if homeZone != "" {
		if _, err := lanyard.LoadZone(homeZone); err != nil {
			return lanyard.Errorf(lanyard.EINVALID, "Unknown home time zone %q.", homeZone)
		}
	}
	return d.inTx(ctx, func(tx *sql.Tx) error {
		res, err := d.exec(ctx, tx, "UPDATE accounts SET language = ?, zone_primary = ?, updated_at = ? WHERE attendee_id = ?",
			language, zonePrimary, d.Now().UTC(), attendeeID)
		if err != nil {
			return fmt.Errorf("store: set preferences of %d: %w", attendeeID, mapError(err, "That preference"))
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return lanyard.Errorf(lanyard.ENOTFOUND, "No account for attendee %d.", attendeeID)
		}
		if _, err := d.exec(ctx, tx, "UPDATE attendees SET home_zone = ? WHERE id = ?", homeZone, attendeeID); err != nil {
			return fmt.Errorf("store: set preferences of %d: %w", attendeeID, err)
		}
		return nil
	})
}

// CreatePasswordReset stores a password reset of an attendee, by the
// SHA-256 hash of its token, valid until expires, and writes msg (the mail
// carrying the link) to the attendee, in one transaction.
// Returns ENOTFOUND if there is no such attendee and ECONFLICT if the hash
// is already stored.
func (d *DB) CreatePasswordReset(ctx context.Context, attendeeID int64, tokenHash []byte, expires time.Time, msg lanyard.Message) error {
	return d.CreateLink(ctx, attendeeID, LinkReset, Link{TokenHash: tokenHash, Expires: expires, Message: msg})
}

// CheckPasswordReset returns EINVALID unless a reset with that token hash
// exists, unused and unexpired. It changes nothing: ConsumePasswordReset
// checks again, in its transaction.
func (d *DB) CheckPasswordReset(ctx context.Context, tokenHash []byte) error {
	var n int
	err := d.queryRow(ctx, d.db, "SELECT COUNT(*) FROM password_resets WHERE token_hash = ? AND purpose IN ('reset', 'invitation') AND used_at IS NULL AND expires_at > ?",
		tokenHash, d.Now().UTC()).Scan(&n)
	if err != nil {
		return fmt.Errorf("store: check password reset: %w", err)
	}
	if n == 0 {
		return lanyard.Errorf(lanyard.EINVALID, "This reset link is not valid any more; ask for a new one.")
	}
	return nil
}

// ConsumePasswordReset uses the password reset whose token has the given
// SHA-256 hash: it marks the reset and the attendee's other unused resets
// used, and sets the attendee's password hash (creating the account if
// needed), in one transaction. It returns the attendee's ID.
// Returns EINVALID if the reset is unknown, used or expired; of two
// concurrent calls with one token, exactly one succeeds.
func (d *DB) ConsumePasswordReset(ctx context.Context, tokenHash []byte, newPasswordHash string) (attendeeID int64, err error) {
	now := d.Now().UTC()
	err = d.inTx(ctx, func(tx *sql.Tx) error {
		// The used_at condition makes this the one check that counts: of two
		// concurrent updates, the second finds the row used (PostgreSQL
		// re-evaluates the condition after waiting for the first's row lock;
		// SQLite runs one writer at a time).
		err := d.queryRow(ctx, tx, `UPDATE password_resets SET used_at = ?
			WHERE token_hash = ? AND purpose IN ('reset', 'invitation') AND used_at IS NULL AND expires_at > ? RETURNING attendee_id`,
			now, tokenHash, now).Scan(&attendeeID)
		if errors.Is(err, sql.ErrNoRows) {
			return lanyard.Errorf(lanyard.EINVALID, "This reset link is not valid any more; ask for a new one.")
		}
		if err != nil {
			return fmt.Errorf("store: consume password reset: %w", err)
		}
		// Other links sent before this one die with it: whoever reset the
		// password has chosen it, and an older email should not undo that.
		if _, err := d.exec(ctx, tx, "UPDATE password_resets SET used_at = ? WHERE attendee_id = ? AND purpose IN ('reset', 'invitation') AND used_at IS NULL", now, attendeeID); err != nil {
			return fmt.Errorf("store: consume password reset: %w", err)
		}
		n, err := d.upsertPassword(ctx, tx, attendeeID, newPasswordHash)
		if err != nil {
			return err
		}
		if n == 0 { // cannot happen: the reset's attendee is there (foreign key)
			return fmt.Errorf("store: consume password reset: attendee %d missing", attendeeID)
		}
		// The link came by mail: following it proves the address.
		if _, err := d.exec(ctx, tx, "UPDATE accounts SET email_verified_at = COALESCE(email_verified_at, ?) WHERE attendee_id = ?", now, attendeeID); err != nil {
			return fmt.Errorf("store: consume password reset: %w", err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return attendeeID, nil
}

// CalendarToken returns the secret of the attendee's private calendar URL,
// or "" if there is none (or no account).
func (d *DB) CalendarToken(ctx context.Context, attendeeID int64) (string, error) {
	var token string
	err := d.queryRow(ctx, d.db, "SELECT COALESCE(calendar_token, '') FROM accounts WHERE attendee_id = ?", attendeeID).Scan(&token)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("store: calendar token of %d: %w", attendeeID, err)
	}
	return token, nil
}

// SetCalendarToken sets the secret of the attendee's private calendar URL,
// replacing any earlier one; "" revokes it.
// Returns ENOTFOUND if the attendee has no account and ECONFLICT if another
// account has that token.
func (d *DB) SetCalendarToken(ctx context.Context, attendeeID int64, token string) error {
	var v any // NULL revokes; NULLs never collide in the UNIQUE column
	if token != "" {
		v = token
	}
	res, err := d.exec(ctx, d.db, "UPDATE accounts SET calendar_token = ?, updated_at = ? WHERE attendee_id = ?", v, d.Now().UTC(), attendeeID)
	if err != nil {
		return fmt.Errorf("store: set calendar token of %d: %w", attendeeID, mapError(err, "That calendar token"))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return lanyard.Errorf(lanyard.ENOTFOUND, "No account for attendee %d.", attendeeID)
	}
	return nil
}

// FindAttendeeByCalendarToken returns the owner of a private calendar URL's
// secret. Returns ENOTFOUND if no account has that token (or it is "").
func (d *DB) FindAttendeeByCalendarToken(ctx context.Context, token string) (*lanyard.Attendee, error) {
	notFound := lanyard.Errorf(lanyard.ENOTFOUND, "This calendar link is not valid any more.")
	if token == "" {
		return nil, notFound
	}
	a, err := scanAttendee(d.queryRow(ctx, d.db, `SELECT a.id, a.event_id, a.name, a.email, a.company, a.job_title,
		a.home_zone, a.certifications, a.role, a.created_at, a.canceled_at IS NOT NULL
		FROM accounts c JOIN attendees a ON a.id = c.attendee_id WHERE c.calendar_token = ?`, token))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: find calendar token: %w", err)
	}
	return a, nil
}

// DeleteExpiredSessions deletes the web sessions that have expired and
// returns how many. Find already ignores them; this only frees the space.
func (d *DB) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	res, err := d.exec(ctx, d.db, "DELETE FROM web_sessions WHERE expiry <= ?", d.Now().UTC())
	if err != nil {
		return 0, fmt.Errorf("store: delete expired sessions: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: delete expired sessions: %w", err)
	}
	return n, nil
}

// SessionStore keeps the web app's sign-in sessions in the database, for
// github.com/alexedwards/scs/v2: it implements scs.Store and scs.CtxStore.
// Expiry is judged by DB.Now.
type SessionStore struct {
	DB *DB
}

// Find returns the data of an unexpired session; found is false for an
// unknown or expired token.
func (s SessionStore) Find(token string) (b []byte, found bool, err error) {
	return s.FindCtx(context.Background(), token)
}

// FindCtx is Find with a context.
func (s SessionStore) FindCtx(ctx context.Context, token string) (b []byte, found bool, err error) {
	d := s.DB
	err = d.queryRow(ctx, d.db, "SELECT data FROM web_sessions WHERE token = ? AND expiry > ?", token, d.Now().UTC()).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("store: find web session: %w", err)
	}
	return b, true, nil
}

// Commit stores a session's data and expiry, replacing any earlier ones.
func (s SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// CommitCtx is Commit with a context.
func (s SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	if b == nil {
		b = []byte{} // a nil slice would be NULL
	}
	d := s.DB
	_, err := d.exec(ctx, d.db, `INSERT INTO web_sessions (token, data, expiry) VALUES (?, ?, ?)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`, token, b, expiry.UTC())
	if err != nil {
		return fmt.Errorf("store: commit web session: %w", err)
	}
	return nil
}

// Delete removes a session; an unknown token is no error.
func (s SessionStore) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}

// DeleteCtx is Delete with a context.
func (s SessionStore) DeleteCtx(ctx context.Context, token string) error {
	d := s.DB
	if _, err := d.exec(ctx, d.db, "DELETE FROM web_sessions WHERE token = ?", token); err != nil {
		return fmt.Errorf("store: delete web session: %w", err)
	}
	return nil
}
