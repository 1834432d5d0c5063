package meetup

import (
	"context"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
)

// What the pages and the JSON API (internal/api, /api/v1/meetups) share:
// the list's filter, the place check, starting a meetup, the RSVP and the
// leave, with the same store calls and so the same database-kept cap,
// waitlist and per-starter limit.

// Wording returns the words of meetup messages (the reminder and the
// promotion note) for an event whose links start at baseURL.
func Wording(cat *atomic.Pointer[catalog.Catalog], baseURL string) store.MeetupWords {
	return (&Handler{Catalog: cat, BaseURL: baseURL}).words
}

// ParseFilter checks the list's filters: lang one of
// lanyard.MeetupLanguages ("" any), topic at most 60 characters, day one
// of the event's days as 2006-01-02 in the venue's zone ("" any). Only
// meetups that have not started by now are listed. Returns EINVALID with
// the field ("language", "topic", "day").
func ParseFilter(c *catalog.Catalog, lang, topic, day string, now time.Time) (lanyard.MeetupFilter, error) {
	f := lanyard.MeetupFilter{Language: lang, Topic: topic, From: now}
	if utf8.RuneCountInString(topic) > 60 || !utf8.ValidString(topic) {
		return f, &lanyard.Error{Code: lanyard.EINVALID, Field: "topic", Message: "A topic is at most 60 characters."}
	}
	if lang != "" && !validLanguage(lang) {
		return f, &lanyard.Error{Code: lanyard.EINVALID, Field: "language", Message: "Choose a language from the list."}
	}
	if day == "" {
		return f, nil
	}
	for _, d := range eventDays(c) {
		if d.Format(time.DateOnly) == day {
			f.From, f.To = d, d.AddDate(0, 0, 1)
			if f.From.Before(now) {
				f.From = now
			}
			return f, nil
		}
	}
	return f, &lanyard.Error{Code: lanyard.EINVALID, Field: "day", Message: "The day must be one of the event's days, as YYYY-MM-DD."}
}

// Visible reports whether a may see meetup m: hidden ones only to those
// who moderate.
func Visible(a *lanyard.Attendee, m lanyard.Meetup) bool {
	return !m.Hidden || Moderates(a.Role)
}

// CheckPlace checks m's place against the catalog: a room is one of a
// venue's rooms, and a bar's or a pin's venue, when given, is one of the
// event's. Returns EINVALID naming the field ("place", "venue").
func CheckPlace(c *catalog.Catalog, m lanyard.Meetup) error {
	switch {
	case m.PlaceKind == lanyard.MeetupRoom:
		if _, ok := c.Room(m.Venue, m.Place); !ok {
			return &lanyard.Error{Code: lanyard.EINVALID, Field: "place", Message: "Choose one of the venue's rooms."}
		}
	case m.Venue != "" && !hasVenue(c, m.Venue):
		return &lanyard.Error{Code: lanyard.EINVALID, Field: "venue", Message: "Choose one of the event's venues."}
	}
	return nil
}

// Create starts meetup m for a: its fields are checked (the catalog's
// places, lanyard.Meetup.Validate at now), then stored with a going and
// a's reminder. Returns ETicketCanceled for a cancelled ticket, EINVALID
// naming the field, and the store's EMeetupLimit.
func Create(ctx context.Context, st Store, words store.MeetupWords, c *catalog.Catalog, a *lanyard.Attendee, m lanyard.Meetup, now time.Time) (lanyard.Meetup, error) {
	if a.Canceled {
		return m, lanyard.Errorf(lanyard.ETicketCanceled, "Your ticket was cancelled.")
	}
	m.EventID, m.OrganizerID = c.Event.ID, a.ID
	if err := m.Validate(now); err != nil {
		return m, err
	}
	if err := CheckPlace(c, m); err != nil {
		return m, err
	}
	return st.MeetupCreate(ctx, m, words)
}

// Join answers yes for a to meetup m: going while there is room, else on
// the waitlist (the store keeps the cap), with the reminder written in
// the same transaction. already is true when a had answered before.
// Returns ETicketCanceled for a cancelled ticket, and the store's
// EMeetupHidden, EMeetupStarted.
func Join(ctx context.Context, st Store, words store.MeetupWords, a *lanyard.Attendee, m lanyard.Meetup) (rs lanyard.RSVP, already bool, err error) {
	if a.Canceled {
		return rs, false, lanyard.Errorf(lanyard.ETicketCanceled, "Your ticket was cancelled.")
	}
	return st.MeetupRSVP(ctx, m.EventID, m.ID, a.ID, words)
}

// Leave takes a's answer back (and its reminder); the first on the
// waitlist, if any, is promoted and told. It reports whether someone was.
func Leave(ctx context.Context, st Store, words store.MeetupWords, a *lanyard.Attendee, m lanyard.Meetup) (bool, error) {
	promoted, err := st.MeetupLeave(ctx, m.EventID, m.ID, a.ID, words)
	return promoted != 0, err
}
