package expo

import (
	"context"
	"strconv"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/web"
)

// AgendaEntries are the booth events attendee favorited, for web.Handler's
// AgendaSources: each a held entry in the expo hall (the event's expo
// place: its venue and room), so the agenda draws it on the day with the
// trip to the hall and its clashes, "now and next" lists it, and the
// calendar download and feed carry it, like a meetup. It links to the
// booth's page, and its Undo takes the favorite back from the agenda.
func (h *Handler) AgendaEntries(ctx context.Context, attendeeID int64, lang string) ([]web.AgendaExtra, error) {
	ev := h.event()
	fav, err := h.Store.ExpoFavoriteEvents(ctx, ev.ID, attendeeID)
	if err != nil || len(fav) == 0 {
		return nil, err
	}
	hall, err := h.hall(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	name := hall.Room
	if name == "" {
		name = hall.Name
	}
	if name == "" {
		name = web.Translate(lang, "expo.agenda.hall")
	}
	out := make([]web.AgendaExtra, 0, len(fav))
	for _, e := range fav {
		room := name
		if e.Booth != "" {
			room += " · " + web.Translate(lang, "expo.booth.number", "Booth", e.Booth)
		}
		s := &lanyard.Session{Code: "BOOTH-" + strconv.FormatInt(e.ID, 10), Title: e.Title + " · " + e.Exhibitor, Abstract: e.Description,
			Venue: hall.Venue, Room: room, Start: e.Starts, End: e.Ends}
		out = append(out, web.AgendaExtra{Session: s, Kind: "booth_event", Link: "/expo/" + e.Code,
			Label: web.Translate(lang, "expo.agenda.label", "Kind", web.Translate(lang, "expo.kind."+e.Kind)),
			Undo: &web.AgendaUndo{Action: "/expo/events/" + strconv.FormatInt(e.ID, 10) + "/favorite", Fields: map[string]string{"on": "0", "next": "/agenda"},
				Label: web.Translate(lang, "expo.event.unfavorite")}})
	}
	return out, nil
}

// hall is where booth events happen: the event's expo place with a venue
// (the first by code), else the only venue of a one-venue event; a zero
// Place when neither is known, and the agenda then draws no trip to it.
func (h *Handler) hall(ctx context.Context, eventID int64) (lanyard.Place, error) {
	places, err := h.Store.Places(ctx, eventID)
	if err != nil {
		return lanyard.Place{}, err
	}
	for _, p := range places {
		if p.Kind == lanyard.PlaceExpo && p.Venue != "" {
			return p, nil
		}
	}
	if vs := h.Catalog.Load().Venues; len(vs) == 1 {
		return lanyard.Place{Venue: vs[0].Code}, nil
	}
	return lanyard.Place{}, nil
}
