package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
)

// Parties and dinners (migration 00200). The capacity is the database's
// to hold: an RSVP raises parties.going through a checked update in the
// RSVP's transaction, and a CHECK refuses going above capacity whatever
// writes it.

const partyCols = `id, code, title, kind, COALESCE(exhibitor_id, 0), location, starts_at, invite_only, capacity, going, table_size, seated_at, cancelled_at`

func scanParty(r interface{ Scan(...any) error }) (lanyard.Party, error) {
	var p lanyard.Party
	var seated, cancelled sql.NullTime
	err := r.Scan(&p.ID, &p.Code, &p.Title, &p.Kind, &p.ExhibitorID, &p.Location, &p.Starts, &p.InviteOnly, &p.Capacity, &p.Going, &p.TableSize, &seated, &cancelled)
	p.Starts = p.Starts.UTC()
	if seated.Valid {
		p.SeatedAt = seated.Time.UTC()
	}
	if cancelled.Valid {
		p.CancelledAt = cancelled.Time.UTC()
	}
	return p, err
}

// PartyPut creates the party (p.ID 0) or updates it by ID, and returns it
// as stored. A code already taken is ECONFLICT; a capacity below those
// going is ECONFLICT too (nobody is put out).
func (d *DB) PartyPut(ctx context.Context, eventID int64, p lanyard.Party) (lanyard.Party, error) {
	var err error
	if p.ID == 0 {
		err = d.queryRow(ctx, d.db, `INSERT INTO parties (event_id, code, title, kind, exhibitor_id, location, starts_at, invite_only, capacity, table_size, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, eventID, p.Code, p.Title, p.Kind, nullID(p.ExhibitorID), p.Location, p.Starts.UTC(),
			p.InviteOnly, p.Capacity, p.TableSize, d.Now().UTC()).Scan(&p.ID)
		err = mapError(err, fmt.Sprintf("A party with the code %q", p.Code))
	} else {
		var going int
		err = d.inTx(ctx, func(tx *sql.Tx) error {
			if err := d.queryRow(ctx, tx, `SELECT going FROM parties WHERE id = ? AND event_id = ?`, p.ID, eventID).Scan(&going); errors.Is(err, sql.ErrNoRows) {
				return lanyard.Errorf(lanyard.ENOTFOUND, "No party %d.", p.ID)
			} else if err != nil {
				return err
			}
			if p.Capacity < going {
				return &lanyard.Error{Code: lanyard.ECONFLICT, Field: "capacity", Message: fmt.Sprintf("%d guests are going: the capacity cannot be lower.", going)}
			}
			_, err := d.exec(ctx, tx, `UPDATE parties SET code = ?, title = ?, kind = ?, location = ?, starts_at = ?, invite_only = ?, capacity = ?, table_size = ?
				WHERE id = ? AND event_id = ?`, p.Code, p.Title, p.Kind, p.Location, p.Starts.UTC(), p.InviteOnly, p.Capacity, p.TableSize, p.ID, eventID)
			return mapError(err, fmt.Sprintf("A party with the code %q", p.Code))
		})
	}
	if err != nil {
		return lanyard.Party{}, fmt.Errorf("store: put party %q: %w", p.Code, err)
	}
	return d.Party(ctx, eventID, p.Code)
}

// Party returns the event's party by code, or ENOTFOUND.
func (d *DB) Party(ctx context.Context, eventID int64, code string) (lanyard.Party, error) {
	p, err := scanParty(d.queryRow(ctx, d.db, `SELECT `+partyCols+` FROM parties WHERE event_id = ? AND code = ?`, eventID, code))
	if errors.Is(err, sql.ErrNoRows) {
		err = lanyard.Errorf(lanyard.ENOTFOUND, "No party %q.", code)
	}
	if err != nil {
		return p, fmt.Errorf("store: party %q: %w", code, err)
	}
	return p, nil
}

// Parties lists the event's parties by start time; cancelled ones are left out.
func (d *DB) Parties(ctx context.Context, eventID int64) ([]lanyard.Party, error) {
	var out []lanyard.Party
	err := d.scanAll(ctx, `SELECT `+partyCols+` FROM parties WHERE event_id = ? AND cancelled_at IS NULL ORDER BY starts_at, code`, []any{eventID}, func(r *sql.Rows) error {
		p, err := scanParty(r)
		out = append(out, p)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: parties: %w", err)
	}
	return out, nil
}

// PartyInvitesSet replaces an invite-only party's list of emails.
func (d *DB) PartyInvitesSet(ctx context.Context, partyID int64, emails []string) error {
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := d.exec(ctx, tx, `DELETE FROM party_invites WHERE party_id = ?`, partyID); err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, e := range emails {
			e = strings.ToLower(strings.TrimSpace(e))
			if e == "" || seen[e] {
				continue
			}
			seen[e] = true
			if _, err := d.exec(ctx, tx, `INSERT INTO party_invites (party_id, email) VALUES (?, ?)`, partyID, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: party %d invites: %w", partyID, err)
	}
	return nil
}

// PartyInvites returns an invite-only party's list, sorted.
func (d *DB) PartyInvites(ctx context.Context, partyID int64) ([]string, error) {
	var out []string
	err := d.scanAll(ctx, `SELECT email FROM party_invites WHERE party_id = ? ORDER BY email`, []any{partyID}, func(r *sql.Rows) error {
		var e string
		out = append(out, e)
		return r.Scan(&out[len(out)-1])
	})
	if err != nil {
		return nil, fmt.Errorf("store: party %d invites: %w", partyID, err)
	}
	return out, nil
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

func splitIDs(s string) []int64 {
	var out []int64
	for _, f := range splitList(s) {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// PartyRSVPPut records an RSVP, or updates an attendee's answers if they
// already said yes, and reports whether it was new. See PartyAnswer.
func (d *DB) PartyRSVPPut(ctx context.Context, partyID int64, r lanyard.PartyRSVP) (bool, error) {
	created, _, err := d.PartyAnswer(ctx, partyID, r)
	return created, err
}

// PartyRSVPCancel removes an attendee's RSVP (and their seat) and reports
// whether there was one. See PartyLeave.
func (d *DB) PartyRSVPCancel(ctx context.Context, partyID, attendeeID int64) (bool, error) {
	gone, _, err := d.PartyLeave(ctx, partyID, attendeeID)
	return gone, err
}

// doorSeq raises a party's door_seq as the transaction's first write, and
// returns it: the row lock orders the party's RSVP changes as they commit,
// and the statements after it see every change committed before. A
// cancelled party is EPartyCancelled, an unknown one ENOTFOUND.
func (d *DB) doorSeq(ctx context.Context, tx *sql.Tx, partyID int64) (int64, error) {
	var seq int64
	err := d.queryRow(ctx, tx, `UPDATE parties SET door_seq = door_seq + 1 WHERE id = ? AND cancelled_at IS NULL RETURNING door_seq`, partyID).Scan(&seq)
	if !errors.Is(err, sql.ErrNoRows) {
		return seq, err
	}
	var n int
	if err := d.queryRow(ctx, tx, `SELECT COUNT(*) FROM parties WHERE id = ?`, partyID).Scan(&n); err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, lanyard.Errorf(lanyard.ENOTFOUND, "No party %d.", partyID)
	}
	return 0, lanyard.Errorf(lanyard.EPartyCancelled, "This party was cancelled by its host.")
}

// PartyAnswer records an RSVP, or updates an attendee's answers if they
// already said yes, and reports whether it was new and the change's door
// sequence number (for reserve.EntitlementSync: the door entry it grants
// is derived from this row). An invite-only party refuses (EFORBIDDEN) an
// attendee whose email is not on its list; a full one refuses a new guest
// with EPartyFull, in the same transaction that would have counted them; a
// cancelled one refuses with EPartyCancelled.
func (d *DB) PartyAnswer(ctx context.Context, partyID int64, r lanyard.PartyRSVP) (bool, int64, error) {
	created := false
	var seq int64
	err := d.inWriteTx(ctx, func(tx *sql.Tx) error {
		var err error
		if seq, err = d.doorSeq(ctx, tx, partyID); err != nil {
			return err
		}
		var inviteOnly, invited bool
		err = d.queryRow(ctx, tx, `SELECT p.invite_only, EXISTS (SELECT 1 FROM party_invites i JOIN attendees a ON a.id = ? AND lower(a.email) = i.email WHERE i.party_id = p.id)
			FROM parties p WHERE p.id = ?`, r.AttendeeID, partyID).Scan(&inviteOnly, &invited)
		if err != nil {
			return err
		}
		if inviteOnly && !invited {
			return lanyard.Errorf(lanyard.EFORBIDDEN, "This party is by invitation, and you are not on its list.")
		}
		res, err := d.exec(ctx, tx, `UPDATE party_rsvps SET dietary = ?, languages = ?, seat_with = ? WHERE party_id = ? AND attendee_id = ?`,
			r.Dietary, strings.Join(r.Languages, ","), joinIDs(r.SeatWith), partyID, r.AttendeeID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return nil
		}
		res, err = d.exec(ctx, tx, `UPDATE parties SET going = going + 1 WHERE id = ? AND going < capacity`, partyID)
		if err != nil {
			return mapError(err, "An RSVP")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &lanyard.Error{Code: lanyard.EPartyFull, Message: "This party is full."}
		}
		created = true
		_, err = d.exec(ctx, tx, `INSERT INTO party_rsvps (party_id, attendee_id, dietary, languages, seat_with, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			partyID, r.AttendeeID, r.Dietary, strings.Join(r.Languages, ","), joinIDs(r.SeatWith), d.Now().UTC())
		return mapError(err, "An RSVP")
	})
	if err != nil {
		return false, 0, fmt.Errorf("store: rsvp party %d: %w", partyID, err)
	}
	return created, seq, nil
}

// PartyLeave removes an attendee's RSVP (and their seat), and reports
// whether there was one and the change's door sequence number. A
// cancelled party is EPartyCancelled: its guest list stays as it was.
func (d *DB) PartyLeave(ctx context.Context, partyID, attendeeID int64) (bool, int64, error) {
	gone := false
	var seq int64
	err := d.inWriteTx(ctx, func(tx *sql.Tx) error {
		var err error
		if seq, err = d.doorSeq(ctx, tx, partyID); err != nil {
			return err
		}
		res, err := d.exec(ctx, tx, `DELETE FROM party_rsvps WHERE party_id = ? AND attendee_id = ?`, partyID, attendeeID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		gone = true
		_, err = d.exec(ctx, tx, `UPDATE parties SET going = going - 1 WHERE id = ?`, partyID)
		return err
	})
	if err != nil {
		return false, 0, fmt.Errorf("store: cancel rsvp party %d: %w", partyID, err)
	}
	return gone, seq, nil
}

// PartyCancelled is what a host's cancel did.
type PartyCancelled struct {
	Party   lanyard.Party // as stored, with CancelledAt set
	Seq     int64         // the door sequence number of the cancel
	Notices int           // guests told
}

// PartyCancel cancels the event's party code at now: it leaves lists and
// agendas and its door admits no one (door entry is derived from the RSVPs
// of parties not cancelled). Every guest who said yes gets a
// party_cancelled message by mail and in the app, written in the same
// transaction; params gives each its template parameters. An unknown
// party is ENOTFOUND, one cancelled already EPartyCancelled; either
// changes nothing.
func (d *DB) PartyCancel(ctx context.Context, eventID int64, code string, now time.Time, params func(p lanyard.Party, venueZone, homeZone string) (map[string]string, error)) (PartyCancelled, error) {
	var out PartyCancelled
	err := d.inWriteTx(ctx, func(tx *sql.Tx) error {
		p, err := scanParty(d.queryRow(ctx, tx, `SELECT `+partyCols+` FROM parties WHERE event_id = ? AND code = ?`, eventID, code))
		if errors.Is(err, sql.ErrNoRows) {
			return lanyard.Errorf(lanyard.ENOTFOUND, "No party %q.", code)
		} else if err != nil {
			return err
		}
		if out.Seq, err = d.doorSeq(ctx, tx, p.ID); err != nil {
			return err
		}
		if _, err := d.exec(ctx, tx, `UPDATE parties SET cancelled_at = ? WHERE id = ?`, now.UTC(), p.ID); err != nil {
			return err
		}
		p.CancelledAt = now.UTC()
		out.Party = p
		var venueZone string
		if err := d.queryRow(ctx, tx, `SELECT time_zone FROM events WHERE id = ?`, eventID).Scan(&venueZone); err != nil {
			return err
		}
		type guest struct {
			id   int64
			zone string
		}
		var guests []guest
		rows, err := d.query(ctx, tx, `SELECT r.attendee_id, a.home_zone FROM party_rsvps r JOIN attendees a ON a.id = r.attendee_id
			WHERE r.party_id = ? ORDER BY r.attendee_id`, p.ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var g guest
			if err := rows.Scan(&g.id, &g.zone); err != nil {
				rows.Close()
				return err
			}
			guests = append(guests, g)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		msgs := make([]lanyard.Message, len(guests))
		for i, g := range guests {
			ps, err := params(p, venueZone, g.zone)
			if err != nil {
				return err
			}
			msgs[i] = lanyard.Message{EventID: eventID, AttendeeID: g.id, Kind: lanyard.KindPartyCancelled, Mail: true, App: true,
				Template: lanyard.KindPartyCancelled, Params: ps, DedupeKey: fmt.Sprintf("party:%d:cancelled:%d", p.ID, g.id), CreatedAt: now.UTC()}
		}
		out.Notices = len(msgs)
		return d.insertRows(ctx, tx, "messages", messageColumns, "", len(msgs), func(i int) []any { return messageRow(msgs[i]) })
	})
	if err != nil {
		return PartyCancelled{}, fmt.Errorf("store: cancel party %q: %w", code, err)
	}
	return out, nil
}

// loadPartyDoors adds the parties' door entry to a snapshot: the guests of
// every party not cancelled hold "invite:party-<code>", and each key's
// door_seq says which changes the rows hold already. One statement, so
// the rows and the sequence numbers are one moment's.
func (d *DB) loadPartyDoors(ctx context.Context, eventID int64, snap *reserve.Snapshot) error {
	seen := map[string]bool{}
	err := d.scanAll(ctx, `SELECT p.code, p.door_seq, COALESCE(r.attendee_id, 0) FROM parties p
		LEFT JOIN party_rsvps r ON r.party_id = p.id AND p.cancelled_at IS NULL WHERE p.event_id = ? ORDER BY p.code`, []any{eventID}, func(r *sql.Rows) error {
		var code string
		var seq, attendee int64
		if err := r.Scan(&code, &seq, &attendee); err != nil {
			return err
		}
		key := lanyard.InviteKey(lanyard.PartyDoorPrefix + code)
		if !seen[key] {
			seen[key] = true
			snap.DerivedKeys = append(snap.DerivedKeys, reserve.KeySeq{Key: key, Seq: seq})
		}
		if attendee != 0 {
			snap.Entitlements = append(snap.Entitlements, reserve.EntitlementRow{AttendeeID: attendee, Key: key})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: load party doors: %w", err)
	}
	return nil
}

// PartyGuest is a guest with their answers and table (0: not seated).
type PartyGuest struct {
	lanyard.PartyRSVP
	Name    string
	Email   string
	Company string
	Title   string
	Table   int
}

const partyGuestCols = `r.attendee_id, r.dietary, r.languages, r.seat_with, a.name, a.email, COALESCE(a.company, ''), COALESCE(a.job_title, ''), COALESCE(s.table_no, 0)`

func scanPartyGuest(r interface{ Scan(...any) error }, partyID int64) (PartyGuest, error) {
	var g PartyGuest
	var langs, with string
	err := r.Scan(&g.AttendeeID, &g.Dietary, &langs, &with, &g.Name, &g.Email, &g.Company, &g.Title, &g.Table)
	g.PartyID = partyID
	g.Languages = splitList(langs)
	g.SeatWith = splitIDs(with)
	return g, err
}

// PartyGuests lists a party's guests by table, then name.
func (d *DB) PartyGuests(ctx context.Context, partyID int64) ([]PartyGuest, error) {
	var out []PartyGuest
	err := d.scanAll(ctx, `SELECT `+partyGuestCols+` FROM party_rsvps r JOIN attendees a ON a.id = r.attendee_id
		LEFT JOIN party_seats s ON s.party_id = r.party_id AND s.attendee_id = r.attendee_id
		WHERE r.party_id = ? ORDER BY COALESCE(s.table_no, 0), a.name, r.attendee_id`, []any{partyID}, func(r *sql.Rows) error {
		g, err := scanPartyGuest(r, partyID)
		out = append(out, g)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: party %d guests: %w", partyID, err)
	}
	return out, nil
}

// PartyGuestOf returns one attendee's RSVP to a party, or ENOTFOUND.
func (d *DB) PartyGuestOf(ctx context.Context, partyID, attendeeID int64) (PartyGuest, error) {
	g, err := scanPartyGuest(d.queryRow(ctx, d.db, `SELECT `+partyGuestCols+` FROM party_rsvps r JOIN attendees a ON a.id = r.attendee_id
		LEFT JOIN party_seats s ON s.party_id = r.party_id AND s.attendee_id = r.attendee_id
		WHERE r.party_id = ? AND r.attendee_id = ?`, partyID, attendeeID), partyID)
	if errors.Is(err, sql.ErrNoRows) {
		err = lanyard.Errorf(lanyard.ENOTFOUND, "You have not said you are coming.")
	}
	if err != nil {
		return g, fmt.Errorf("store: party %d guest %d: %w", partyID, attendeeID, err)
	}
	return g, nil
}

// PartyInterests returns, for each guest of a party, the IDs of the
// sessions on their agenda (reservations) and their favorites (wishlist).
func (d *DB) PartyInterests(ctx context.Context, partyID int64) (map[int64][]int64, error) {
	out := map[int64][]int64{}
	err := d.scanAll(ctx, `SELECT r.attendee_id, x.session_id FROM party_rsvps r
		JOIN (SELECT attendee_id, session_id FROM reservations UNION SELECT attendee_id, session_id FROM wishlists) x ON x.attendee_id = r.attendee_id
		WHERE r.party_id = ? ORDER BY r.attendee_id, x.session_id`, []any{partyID}, func(r *sql.Rows) error {
		var a, s int64
		if err := r.Scan(&a, &s); err != nil {
			return err
		}
		out[a] = append(out[a], s)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: party %d interests: %w", partyID, err)
	}
	return out, nil
}

// PartyBoothInterests returns, for each guest of a party, the codes of
// the exhibitors whose booths they saved on the expo (booth_favorites).
func (d *DB) PartyBoothInterests(ctx context.Context, partyID int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	err := d.scanAll(ctx, `SELECT r.attendee_id, x.code FROM party_rsvps r
		JOIN booth_favorites f ON f.attendee_id = r.attendee_id JOIN exhibitors x ON x.id = f.exhibitor_id
		WHERE r.party_id = ? ORDER BY r.attendee_id, x.code`, []any{partyID}, func(r *sql.Rows) error {
		var a int64
		var code string
		if err := r.Scan(&a, &code); err != nil {
			return err
		}
		out[a] = append(out[a], code)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: party %d booth interests: %w", partyID, err)
	}
	return out, nil
}

// PartySeatsSet replaces a dinner's seating (attendee → table from 1) and
// marks it seated at now. Every guest named must have an RSVP.
func (d *DB) PartySeatsSet(ctx context.Context, partyID int64, tables map[int64]int, now time.Time) error {
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		// The party's row first, as an RSVP or a withdrawal locks it
		// (doorSeq) before the seats its cascade deletes: one lock order.
		if _, err := d.exec(ctx, tx, `UPDATE parties SET seated_at = ? WHERE id = ?`, now.UTC(), partyID); err != nil {
			return err
		}
		if _, err := d.exec(ctx, tx, `DELETE FROM party_seats WHERE party_id = ?`, partyID); err != nil {
			return err
		}
		for a, t := range tables {
			if _, err := d.exec(ctx, tx, `INSERT INTO party_seats (party_id, attendee_id, table_no) VALUES (?, ?, ?)`, partyID, a, t); err != nil {
				return mapError(err, "A seat")
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: seat party %d: %w", partyID, err)
	}
	return nil
}

// PartyMine is one of an attendee's RSVPs, with their table.
type PartyMine struct {
	Code  string
	Table int
}

// PartiesOf returns the codes of the parties attendee said yes to, with
// their table (0: not seated); cancelled parties are left out.
func (d *DB) PartiesOf(ctx context.Context, attendeeID int64) (map[string]int, error) {
	out := map[string]int{}
	err := d.scanAll(ctx, `SELECT p.code, COALESCE(s.table_no, 0) FROM party_rsvps r JOIN parties p ON p.id = r.party_id
		LEFT JOIN party_seats s ON s.party_id = r.party_id AND s.attendee_id = r.attendee_id WHERE r.attendee_id = ? AND p.cancelled_at IS NULL`, []any{attendeeID}, func(r *sql.Rows) error {
		var m PartyMine
		if err := r.Scan(&m.Code, &m.Table); err != nil {
			return err
		}
		out[m.Code] = m.Table
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: parties of %d: %w", attendeeID, err)
	}
	return out, nil
}
