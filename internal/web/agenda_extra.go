package web

import (
	"context"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/ical"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/plan"
)

// AgendaExtra is an entry another feature puts on an attendee's agenda
// (issue 14: the meetups they go to). Session carries its title, time,
// venue and place (Room), so the agenda draws it and the trip to it like
// a held session; Link is its own page, which replaces the session's
// actions (cancel, switch, rate) on the agenda.
type AgendaExtra struct {
	Session *lanyard.Session
	Kind    string // what it is, for the API: "meetup", "party", "booth_event"
	Link    string
	Label   string // a badge beside it ("Meetup · going")
	// Undo, if set, is a button on the agenda that takes the entry off
	// there (a booth event's favorite), instead of on its own page.
	Undo *AgendaUndo
}

// AgendaUndo is a form the agenda posts to Action with Fields (among
// them the field that brings the visitor back to /agenda); its button
// reads Label.
type AgendaUndo struct {
	Action, Label string
	Fields        map[string]string
}

// AgendaSource lists an attendee's AgendaExtra entries, labelled in lang.
type AgendaSource func(ctx context.Context, attendeeID int64, lang string) ([]AgendaExtra, error)

// Translate returns message id in lang ("en", "ko"), filled from args as
// name, value pairs: for words written outside a request (a reminder).
func Translate(lang, id string, args ...any) string { return translatorFor(lang).T(id, args...) }

// Span writes start to end in lang with the date, as a session's page
// does ("Tue, Dec 8, 6:00–7:30 PM PST"), then in home when its offset
// differs, after " · ": for times in words written outside a request.
func Span(lang string, start, end time.Time, venue, home *time.Location) string {
	c := translatorFor(lang).Span(start, end, venue, home, true)
	if c.Secondary == "" {
		return c.Primary
	}
	return c.Primary + " · " + c.Secondary
}

// agendaExtras adds the extra sources' entries to entries as held
// entries, and returns the links and labels by session code.
func (h *Handler) agendaExtras(ctx context.Context, attendeeID int64, lang string, entries []plan.Entry) ([]plan.Entry, map[string]AgendaExtra, error) {
	links := map[string]AgendaExtra{}
	for _, src := range h.AgendaSources {
		extra, err := src(ctx, attendeeID, lang)
		if err != nil {
			return entries, links, err
		}
		for _, x := range extra {
			entries = append(entries, plan.Entry{Session: x.Session})
			links[x.Session.Code] = x
		}
	}
	return entries, links, nil
}

// calendarExtras are the extra entries as calendar events, for the
// agenda's .ics download and the private feed.
func (h *Handler) calendarExtras(ctx context.Context, attendeeID int64, site string, c *catalog.Catalog) ([]ical.Event, error) {
	var out []ical.Event
	for _, src := range h.AgendaSources {
		extra, err := src(ctx, attendeeID, "en")
		if err != nil {
			return nil, err
		}
		for _, x := range extra {
			s := x.Session
			out = append(out, ical.Event{UID: s.Code + "@" + c.Event.Slug + ".lanyard", Summary: s.Title,
				Location: strings.TrimSuffix(s.Room+", "+c.VenueName(s.Venue), ", "), URL: site + x.Link,
				Start: s.Start, End: s.End, Status: "CONFIRMED"})
		}
	}
	return out, nil
}
