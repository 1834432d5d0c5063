package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/lanyardhq/lanyard/internal/contacts"
	"github.com/lanyardhq/lanyard/internal/demo"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
)

// seedContacts gives the demo attendee (sample) contacts made at the first
// day's sessions, with notes, tags, stages and follow-up reminders, as if
// they had scanned badges and kept up with them (demo.Contacts).
func seedContacts(ctx context.Context, db *store.DB, ev *lanyard.Event, sessions []lanyard.Session, people []*lanyard.Attendee, sample string) error {
	var me *lanyard.Attendee
	var others []*lanyard.Attendee
	for _, a := range people {
		switch {
		case a.Email == sample:
			me = a
		case a.Role == lanyard.RoleAttendee && len(others) < 6:
			others = append(others, a)
		}
	}
	if me == nil {
		return nil
	}
	var first []lanyard.Session
	for _, s := range sessions {
		if !s.Start.IsZero() && s.Start.In(time.UTC).Format(time.DateOnly) <= ev.StartDate {
			first = append(first, s)
		}
	}
	if len(first) == 0 {
		first = slices.Clone(sessions)
	}
	slices.SortFunc(first, func(a, b lanyard.Session) int { return a.Start.Compare(b.Start) })
	for i, p := range demo.Contacts(others, len(first)) {
		o, s := others[p.Other], first[p.Session]
		if err := db.PutSharing(ctx, p.Sharing); err != nil {
			return err
		}
		scan := store.ContactScan{EventID: ev.ID, ScannerID: me.ID, OtherID: o.ID, Nonce: fmt.Sprintf("demo-contact-%d", i), TwoWay: true,
			Where: lanyard.ContactWhere{Kind: lanyard.WhereSession, Ref: s.Code, Label: s.Code + " · " + s.Title}, At: s.Start.Add(10 * time.Minute)}
		if p.TheyScan {
			scan.ScannerID, scan.OtherID = o.ID, me.ID
		}
		if _, err := db.ContactExchange(ctx, scan); err != nil {
			return err
		}
		mine, err := db.Contacts(ctx, me.ID)
		if err != nil {
			return err
		}
		j := slices.IndexFunc(mine, func(c lanyard.Contact) bool { return c.Card.AttendeeID == o.ID })
		if j < 0 {
			continue
		}
		u := lanyard.ContactUpdate{Notes: p.Notes, Tags: p.Tags, Stage: p.Stage}
		var reminder *lanyard.Message
		if p.FollowUp {
			start, _ := time.Parse(time.DateOnly, ev.StartDate)
			u.FollowUp = start.AddDate(0, 0, ev.Days).Format(time.DateOnly)
			reminder = &lanyard.Message{Language: "en", Subject: "Follow up with " + o.Name,
				Body:          fmt.Sprintf("You planned to follow up today with %s, whom you met at %s.\n\nYour notes and their card: /contacts/%d\n", o.Name, scan.Where.Label, mine[j].ID),
				NextAttemptAt: contacts.ReminderDue(ev, u.FollowUp)}
		}
		if err := u.Validate(); err != nil {
			return err
		}
		if err := db.ContactUpdate(ctx, me.ID, mine[j].ID, u, reminder); err != nil {
			return err
		}
	}
	return nil
}
