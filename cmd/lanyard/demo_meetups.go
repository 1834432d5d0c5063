package main

import (
	"context"
	"fmt"

	"github.com/lanyardhq/lanyard/internal/demo"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
)

// seedMeetups writes the demo's meetups (issue 14, internal/demo/meetups.go):
// each started by an attendee, others RSVP (the full ones have a
// waitlist), the sample attendee goes to one and, like every third
// attendee, opted in to "people to meet". The demo writes no reminders (it
// does not know the server's address); RSVPs made in the app do.
func seedMeetups(ctx context.Context, db *store.DB, ev *lanyard.Event, people []*lanyard.Attendee, sampleEmail string) error {
	loc, err := lanyard.LoadZone(ev.TimeZone)
	if err != nil {
		return err
	}
	var attendees []*lanyard.Attendee
	var sample *lanyard.Attendee
	for _, a := range people {
		if a.Role == lanyard.RoleAttendee {
			attendees = append(attendees, a)
		}
		if a.Email == sampleEmail {
			sample = a
		}
	}
	if len(attendees) < 4 || sample == nil {
		return nil
	}
	next := 1 // attendees[0] is usually the sample: organizers and guests come after
	for i, s := range demo.Meetups(ev.StartDate, loc) {
		m := s.Meetup
		m.EventID = ev.ID
		m.OrganizerID = attendees[next%len(attendees)].ID
		next++
		if m.OrganizerID == sample.ID {
			m.OrganizerID = attendees[next%len(attendees)].ID
			next++
		}
		m, err := db.MeetupCreate(ctx, m, nil)
		if err != nil {
			return fmt.Errorf("demo meetup %d: %w", i, err)
		}
		for range s.RSVPs {
			a := attendees[next%len(attendees)]
			next++
			if a.ID == sample.ID || a.ID == m.OrganizerID {
				continue
			}
			if _, _, err := db.MeetupRSVP(ctx, ev.ID, m.ID, a.ID, nil); err != nil {
				return err
			}
		}
		if s.Sample {
			if _, _, err := db.MeetupRSVP(ctx, ev.ID, m.ID, sample.ID, nil); err != nil {
				return err
			}
		}
	}
	for i, a := range attendees {
		if i%3 == 0 || a.ID == sample.ID {
			sh := lanyard.DefaultSharing(a.ID)
			sh.MeetOptIn = true
			if err := db.PutSharing(ctx, sh); err != nil {
				return err
			}
		}
	}
	return nil
}
