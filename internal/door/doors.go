package door

import (
	"context"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Door kinds, the first part of a door ID.
const (
	kindSession  = "s" // s:CODE, a session's room
	kindOverflow = "o" // o:CODE:ROOM, an overflow room of a session
	kindPlace    = "p" // p:CODE, a lounge, the expo, a party
)

// doorRef is a parsed door ID.
type doorRef struct {
	ID      string
	Kind    string
	Session *lanyard.Session // s and o
	Room    string           // o: the overflow room; s: the session's room
	Venue   string           // venue code of Room
	Place   string           // p: the place's code
	// p: who may enter ("" anyone with a badge) and when.
	Entitlement   string
	Opens, Closes time.Time
}

// maxDoorID bounds a door ID: a 64-character code and a 200-character room.
const maxDoorID = 280

// parseDoor resolves a door ID against the catalog: ENOTFOUND for a
// session it does not have, EINVALID for an ID of no known shape.
func (h *Handler) parseDoor(ctx context.Context, id string) (*doorRef, error) {
	bad := func() error {
		return &lanyard.Error{Code: lanyard.EINVALID, Field: "door",
			Message: `Name a door as "s:CODE" (a session's room), "o:CODE:ROOM" (an overflow room) or "p:CODE" (a place).`}
	}
	if id == "" || len(id) > maxDoorID {
		return nil, bad()
	}
	kind, rest, ok := strings.Cut(id, ":")
	if !ok || rest == "" {
		return nil, bad()
	}
	d := &doorRef{ID: id, Kind: kind}
	switch kind {
	case kindSession, kindOverflow:
		code, room := rest, ""
		if kind == kindOverflow {
			if code, room, ok = strings.Cut(rest, ":"); !ok || room == "" {
				return nil, bad()
			}
		}
		s, err := h.cat().Session(code)
		if err != nil {
			return nil, err
		}
		d.Session, d.Room, d.Venue = s, s.Room, s.Venue
		if kind == kindOverflow {
			rooms, err := h.Store.OverflowRooms(ctx, s.ID)
			if err != nil {
				return nil, err
			}
			found := false
			for _, o := range rooms {
				if o.Room == room {
					d.Room, d.Venue, found = o.Room, o.Venue, true
				}
			}
			if !found {
				return nil, lanyard.Errorf(lanyard.ENOTFOUND, "%s has no overflow room %q.", s.Code, room)
			}
		}
	case kindPlace:
		if lanyard.CheckCode(rest) != nil {
			return nil, bad()
		}
		d.Place = rest
		if h.Places == nil {
			return nil, lanyard.Errorf(lanyard.ENOTFOUND, "This server has no places with doors yet.")
		}
		places, err := h.Places.Places(ctx, h.event().ID)
		if err != nil {
			return nil, err
		}
		found := false
		for _, p := range places {
			if p.Code == rest {
				d.Room, d.Venue, found = p.Name, p.Venue, true
				d.Entitlement, d.Opens, d.Closes = p.Entitlement, p.Opens, p.Closes
			}
		}
		if !found {
			return nil, lanyard.Errorf(lanyard.ENOTFOUND, "No place %q.", rest)
		}
	default:
		return nil, bad()
	}
	return d, nil
}

// walkMinutes is the walk from one venue to another by the event's travel
// data: 0 within a venue, -1 when the data has no entry.
func (h *Handler) walkMinutes(from, to string) int {
	if from == to {
		return 0
	}
	t, ok := h.cat().TravelTime(from, to)
	if !ok || t.WalkMinutes == 0 {
		return -1
	}
	return t.WalkMinutes
}
