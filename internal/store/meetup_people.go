package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// PeopleProfile is what "people to meet" compares of one attendee: their
// card's sources, their consent, their language, the sessions they hold,
// the walk-up lines they wait in and the languages of their meetups.
type PeopleProfile struct {
	Attendee        lanyard.Attendee
	Sharing         lanyard.Sharing
	Language        string  // the account's language ("" if none)
	Sessions        []int64 // held seats, by session ID
	Lines           []int64 // walk-up lines waited in or called from
	MeetupLanguages []string
	Meetups         map[int64]string // the meetups they answered, by ID: their titles
}

// MeetupPeople is the attendee's profile and those of the others who
// opted in to "people to meet", from other companies.
type MeetupPeople struct {
	Me     PeopleProfile
	Others []PeopleProfile
}

// MeetupPeople reads the profiles "people to meet" compares: attendee's,
// and those of at most limit others of the event who opted in, are not
// cancelled and work elsewhere (another company, compared without case;
// anyone when either company is blank).
func (d *DB) MeetupPeople(ctx context.Context, eventID, attendeeID int64, limit int) (MeetupPeople, error) {
	var out MeetupPeople
	byID := map[int64]*PeopleProfile{}
	read := func(q string, args []any) error {
		return d.scanAll(ctx, q, args, func(r *sql.Rows) error {
			var p PeopleProfile
			var fields string
			var optIn bool
			if err := r.Scan(&p.Attendee.ID, &p.Attendee.Name, &p.Attendee.Company, &p.Attendee.JobTitle, &p.Language,
				&fields, &p.Sharing.Phone, &p.Sharing.LinkedIn, &p.Sharing.Exchange, &optIn); err != nil {
				return err
			}
			p.Attendee.EventID = eventID
			p.Sharing.AttendeeID, p.Sharing.MeetOptIn = p.Attendee.ID, optIn
			if fields == "-" { // no row: the defaults
				p.Sharing = lanyard.DefaultSharing(p.Attendee.ID)
			} else {
				p.Sharing.Fields = splitList(fields)
			}
			if p.Attendee.ID == attendeeID {
				out.Me = p
			} else {
				out.Others = append(out.Others, p)
			}
			return nil
		})
	}
	const cols = `a.id, a.name, a.company, a.job_title, COALESCE(ac.language, ''),
		COALESCE(s.fields, '-'), COALESCE(s.phone, ''), COALESCE(s.linkedin, ''), COALESCE(s.exchange, 'two_way'), COALESCE(s.meet_opt_in, FALSE)
		FROM attendees a LEFT JOIN accounts ac ON ac.attendee_id = a.id LEFT JOIN attendee_sharing s ON s.attendee_id = a.id`
	if err := read(`SELECT `+cols+` WHERE a.id = ? AND a.event_id = ?`, []any{attendeeID, eventID}); err != nil {
		return out, fmt.Errorf("store: people of %d: %w", attendeeID, err)
	}
	if out.Me.Attendee.ID == 0 {
		return out, lanyard.Errorf(lanyard.ENOTFOUND, "No attendee %d.", attendeeID)
	}
	company := strings.ToLower(strings.TrimSpace(out.Me.Attendee.Company))
	if limit <= 0 {
		limit = 2000
	}
	if err := read(`SELECT `+cols+` WHERE a.event_id = ? AND a.id <> ? AND s.meet_opt_in AND a.canceled_at IS NULL
		AND (? = '' OR a.company = '' OR LOWER(a.company) <> ?) ORDER BY a.id LIMIT `+fmt.Sprint(limit),
		[]any{eventID, attendeeID, company, company}); err != nil {
		return out, fmt.Errorf("store: people of %d: %w", attendeeID, err)
	}
	byID[out.Me.Attendee.ID] = &out.Me
	for i := range out.Others {
		byID[out.Others[i].Attendee.ID] = &out.Others[i]
	}
	opted := `(r.attendee_id = ? OR r.attendee_id IN (SELECT s.attendee_id FROM attendee_sharing s JOIN attendees a ON a.id = s.attendee_id
		WHERE s.meet_opt_in AND a.event_id = ?))`
	ids := func(q string, add func(p *PeopleProfile, v int64)) error {
		return d.scanAll(ctx, q, []any{attendeeID, eventID}, func(r *sql.Rows) error {
			var a, v int64
			if err := r.Scan(&a, &v); err != nil {
				return err
			}
			if p := byID[a]; p != nil {
				add(p, v)
			}
			return nil
		})
	}
	if err := ids(`SELECT r.attendee_id, r.session_id FROM reservations r WHERE `+opted, func(p *PeopleProfile, v int64) { p.Sessions = append(p.Sessions, v) }); err != nil {
		return out, fmt.Errorf("store: people's sessions: %w", err)
	}
	if err := ids(`SELECT r.attendee_id, r.session_id FROM walkup_line r WHERE r.state IN ('waiting', 'called') AND `+opted, func(p *PeopleProfile, v int64) { p.Lines = append(p.Lines, v) }); err != nil {
		return out, fmt.Errorf("store: people's lines: %w", err)
	}
	err := d.scanAll(ctx, `SELECT r.attendee_id, m.id, m.language, m.title FROM meetup_rsvps r JOIN meetups m ON m.id = r.meetup_id
		WHERE m.event_id = ? AND NOT m.hidden AND m.canceled_at IS NULL AND `+opted, []any{eventID, attendeeID, eventID}, func(r *sql.Rows) error {
		var a, id int64
		var lang, title string
		if err := r.Scan(&a, &id, &lang, &title); err != nil {
			return err
		}
		if p := byID[a]; p != nil {
			if !slices.Contains(p.MeetupLanguages, lang) {
				p.MeetupLanguages = append(p.MeetupLanguages, lang)
			}
			if p.Meetups == nil {
				p.Meetups = map[int64]string{}
			}
			p.Meetups[id] = title
		}
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("store: people's meetups: %w", err)
	}
	return out, nil
}
