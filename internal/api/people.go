package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/contacts"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/meetup"
	"github.com/lanyardhq/lanyard/internal/party"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/respond"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/web"
)

// People (issue 14 follow-up): an attendee's app reads their own contacts
// and changes their notes, tags, stage and follow-up date; finds meetups
// and parties and answers them. Every route is the caller's own: no
// request names another attendee. Validation, the reminder, the meetup
// cap and waitlist and the party's door are the packages' own (contacts,
// meetup, party); these handlers only read JSON and write it.

// ContactStore is what the contact routes need. *store.DB implements it.
type ContactStore interface {
	Contacts(ctx context.Context, ownerID int64) ([]lanyard.Contact, error)
	Contact(ctx context.Context, ownerID, id int64) (lanyard.Contact, error)
	contacts.Updater
}

func (h *Handler) peopleRoutes(t *route.Table) {
	handle := func(pattern string, fn http.HandlerFunc) { t.HandleFunc(pattern, route.Any, fn) }
	ledger := func(pattern string, fn http.HandlerFunc) { t.HandleFunc(pattern, route.Ledger, fn) }
	handle("GET /api/v1/me/contacts", h.auth(attendee, h.contactStore(h.listContacts)))
	handle("GET /api/v1/me/contacts/{id}", h.auth(attendee, h.contactStore(h.getContact)))
	handle("PATCH /api/v1/me/contacts/{id}", h.auth(attendee, h.limited(h.contactStore(h.patchContact))))
	handle("GET /api/v1/meetups", h.auth(attendee, h.meetupStore(h.listMeetups)))
	handle("POST /api/v1/meetups", h.auth(attendee, h.limited(h.ticketValid(h.meetupStore(h.createMeetup)))))
	handle("GET /api/v1/meetups/{id}", h.auth(attendee, h.meetupStore(h.getMeetup)))
	handle("POST /api/v1/meetups/{id}/rsvp", h.auth(attendee, h.limited(h.ticketValid(h.meetupStore(h.rsvpMeetup)))))
	handle("DELETE /api/v1/meetups/{id}/rsvp", h.auth(attendee, h.limited(h.meetupStore(h.leaveMeetup))))
	handle("GET /api/v1/parties", h.auth(attendee, h.partyStore(h.listParties)))
	// An answer grants the party's door (reserve.Places): the engine's holder.
	ledger("POST /api/v1/parties/{code}/rsvp", h.auth(attendee, h.limited(h.ticketValid(h.partyStore(h.rsvpParty)))))
	ledger("DELETE /api/v1/parties/{code}/rsvp", h.auth(attendee, h.limited(h.partyStore(h.leaveParty))))
	// Organizers put the event's parties, as /parties' form does, with
	// their door places: only an engine with places has the route.
	if reserve.Has[reserve.Places](h.Engine) {
		ledger("PUT /api/v1/admin/parties/{code}", h.auth(organizer, h.partyStore(h.audited("party", nil, h.putParty))))
	}
}

// unavailable answers 503 where the store was not given.
func (h *Handler) unavailable(ok bool, what string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !ok {
			h.error(w, r, lanyard.Errorf(lanyard.EUNAVAILABLE, "%s are not available on this server.", what))
			return
		}
		next(w, r)
	}
}

func (h *Handler) contactStore(next http.HandlerFunc) http.HandlerFunc {
	return h.unavailable(h.Contacts != nil, "Contacts", next)
}
func (h *Handler) meetupStore(next http.HandlerFunc) http.HandlerFunc {
	return h.unavailable(h.Meetups != nil, "Meetups", next)
}
func (h *Handler) partyStore(next http.HandlerFunc) http.HandlerFunc {
	return h.unavailable(h.Parties != nil, "Parties", next)
}

// pathID reads {id}; anything but a positive integer is not found.
func pathID(r *http.Request, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, lanyard.Errorf(lanyard.ENOTFOUND, "No %s %q.", what, r.PathValue("id"))
	}
	return id, nil
}

// contactOut never writes null for tags.
func contactOut(c lanyard.Contact) lanyard.Contact {
	if c.Tags == nil {
		c.Tags = []string{}
	}
	return c
}

func (h *Handler) listContacts(w http.ResponseWriter, r *http.Request) {
	cs, err := h.Contacts.Contacts(r.Context(), caller(r.Context()).ID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := make([]lanyard.Contact, len(cs))
	for i, c := range cs {
		out[i] = contactOut(c)
	}
	respond.JSON(w, http.StatusOK, map[string]any{"contacts": out})
}

// ownContact reads {id} as one of the caller's contacts: another's is not
// found, as one that does not exist.
func (h *Handler) ownContact(r *http.Request) (lanyard.Contact, error) {
	id, err := pathID(r, "contact")
	if err != nil {
		return lanyard.Contact{}, err
	}
	return h.Contacts.Contact(r.Context(), caller(r.Context()).ID, id)
}

func (h *Handler) getContact(w http.ResponseWriter, r *http.Request) {
	c, err := h.ownContact(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, contactOut(c))
}

// patchContact changes the fields sent; those left out keep their value.
// The page's validation and follow-up reminder (contacts.Save).
func (h *Handler) patchContact(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Notes    *string   `json:"notes"`
		Tags     *[]string `json:"tags"`
		Stage    *string   `json:"stage"`
		FollowUp *string   `json:"follow_up"`
	}
	err := decode(r, &body)
	var c lanyard.Contact
	if err == nil {
		c, err = h.ownContact(r)
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	u := lanyard.ContactUpdate{Notes: c.Notes, Tags: c.Tags, Stage: c.Stage, FollowUp: c.FollowUp}
	if body.Notes != nil {
		u.Notes = *body.Notes
	}
	if body.Tags != nil {
		u.Tags = *body.Tags
	}
	if body.Stage != nil {
		u.Stage = *body.Stage
	}
	if body.FollowUp != nil {
		u.FollowUp = *body.FollowUp
	}
	if err := contacts.Save(r.Context(), h.Contacts, h.Catalog.Load().Event, c, u, web.Language(r), h.PublicURL); err != nil {
		h.error(w, r, err)
		return
	}
	c, err = h.Contacts.Contact(r.Context(), c.OwnerID, c.ID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, contactOut(c))
}

// meetupFields are a meetup's own fields: what POST /api/v1/meetups
// takes, and what meetupJSON shows with the counts.
type meetupFields struct {
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Language    string    `json:"language"`
	Topic       string    `json:"topic"`
	PlaceKind   string    `json:"place_kind"`
	Venue       string    `json:"venue,omitempty"`
	Place       string    `json:"place"`
	Lat         float64   `json:"lat,omitempty"`
	Lng         float64   `json:"lng,omitempty"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	Cap         int       `json:"cap"`
}

// meetupJSON is a meetup as the API shows it, with the caller's answer.
type meetupJSON struct {
	ID int64 `json:"id"`
	meetupFields
	Going   int           `json:"going"`
	Waiting int           `json:"waiting"`
	RSVP    *meetupAnswer `json:"rsvp"`
}

type meetupAnswer struct {
	Status   string `json:"status"`
	Position int    `json:"position,omitempty"`
}

func meetupOut(m lanyard.Meetup, rs *lanyard.RSVP) meetupJSON {
	out := meetupJSON{ID: m.ID, meetupFields: meetupFields{Title: m.Title, Description: m.Description, Language: m.Language, Topic: m.Topic,
		PlaceKind: m.PlaceKind, Venue: m.Venue, Place: m.Place, Lat: m.Lat, Lng: m.Lng, Start: m.Start.UTC(), End: m.End.UTC(), Cap: m.Cap},
		Going: m.Going, Waiting: m.Waiting}
	if rs != nil {
		out.RSVP = &meetupAnswer{Status: rs.Status, Position: rs.Position}
	}
	return out
}

// listMeetups is GET /api/v1/meetups: those not started, by start, with
// the page's filters (meetup.ParseFilter).
func (h *Handler) listMeetups(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for k := range q {
		if k != "language" && k != "topic" && k != "day" {
			h.error(w, r, &lanyard.Error{Code: lanyard.EINVALID, Field: k, Message: "Unknown query parameter " + strconv.Quote(k) + "; use language, topic or day."})
			return
		}
	}
	c := h.Catalog.Load()
	f, err := meetup.ParseFilter(c, q.Get("language"), strings.TrimSpace(q.Get("topic")), q.Get("day"), time.Now())
	if err != nil {
		h.error(w, r, err)
		return
	}
	a := caller(r.Context())
	list, err := h.Meetups.Meetups(r.Context(), c.Event.ID, f)
	if err != nil {
		h.error(w, r, err)
		return
	}
	mine, err := h.Meetups.MeetupsOf(r.Context(), c.Event.ID, a.ID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	answered := map[int64]*lanyard.RSVP{}
	for i := range mine {
		answered[mine[i].ID] = &mine[i].RSVP
	}
	out := make([]meetupJSON, 0, len(list))
	for _, m := range list {
		if meetup.Visible(a, m) {
			out = append(out, meetupOut(m, answered[m.ID]))
		}
	}
	respond.JSON(w, http.StatusOK, map[string]any{"meetups": out})
}

// createMeetup is POST /api/v1/meetups: the caller starts a meetup, as on
// /meetups/new, and goes to it (meetup.Create).
func (h *Handler) createMeetup(w http.ResponseWriter, r *http.Request) {
	var in meetupFields
	key, err := writeBody(r, &in)
	if err != nil {
		h.error(w, r, err)
		return
	}
	m := lanyard.Meetup{Title: in.Title, Description: in.Description, Language: in.Language, Topic: in.Topic, PlaceKind: in.PlaceKind,
		Venue: in.Venue, Place: in.Place, Lat: in.Lat, Lng: in.Lng, Start: in.Start.UTC(), End: in.End.UTC(), Cap: in.Cap, Key: key}
	a := caller(r.Context())
	m, err = meetup.Create(r.Context(), h.Meetups, meetup.Wording(h.Catalog, h.PublicURL), h.Catalog.Load(), a, m, time.Now())
	if err != nil {
		if e := (*lanyard.Error)(nil); errors.As(err, &e) && e.Field == "minutes" {
			e.Field = "end" // the page's field; here the meetup's end
		}
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusCreated, meetupOut(m, &lanyard.RSVP{Status: lanyard.RSVPGoing}))
}

// visibleMeetup reads {id}: a hidden meetup is not found but by those
// who moderate.
func (h *Handler) visibleMeetup(r *http.Request) (lanyard.Meetup, error) {
	id, err := pathID(r, "meetup")
	if err != nil {
		return lanyard.Meetup{}, err
	}
	m, err := h.Meetups.Meetup(r.Context(), h.Catalog.Load().Event.ID, id)
	if err == nil && !meetup.Visible(caller(r.Context()), m) {
		err = lanyard.Errorf(lanyard.ENOTFOUND, "No meetup %d.", id)
	}
	return m, err
}

func (h *Handler) getMeetup(w http.ResponseWriter, r *http.Request) {
	m, err := h.visibleMeetup(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	var mine *lanyard.RSVP
	rs, err := h.Meetups.MeetupRSVPOf(r.Context(), m.ID, caller(r.Context()).ID)
	switch {
	case err == nil:
		mine = &rs
	case lanyard.ErrorCode(err) != lanyard.ENOTFOUND:
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, meetupOut(m, mine))
}

func (h *Handler) rsvpMeetup(w http.ResponseWriter, r *http.Request) {
	m, err := h.visibleMeetup(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	rs, already, err := meetup.Join(r.Context(), h.Meetups, meetup.Wording(h.Catalog, h.PublicURL), caller(r.Context()), m)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, map[string]any{"status": rs.Status, "position": rs.Position, "already": already})
}

func (h *Handler) leaveMeetup(w http.ResponseWriter, r *http.Request) {
	m, err := h.visibleMeetup(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	promoted, err := meetup.Leave(r.Context(), h.Meetups, meetup.Wording(h.Catalog, h.PublicURL), caller(r.Context()), m)
	if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
		// No answer to take back: done already, as a party's leave says
		// (a retried DELETE is not an error).
		respond.JSON(w, http.StatusOK, map[string]any{"left": false, "promoted": false})
		return
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, map[string]any{"left": true, "promoted": promoted})
}

// partyJSON is a party with the caller's answer.
type partyJSON struct {
	lanyard.Party
	Attending bool `json:"attending"`
	Table     int  `json:"table,omitempty"`
}

// listParties is GET /api/v1/parties: those the caller may see (open
// ones, invite-only ones they are invited to or host) and those they
// answered, as on /parties.
func (h *Handler) listParties(w http.ResponseWriter, r *http.Request) {
	ctx, a, ev := r.Context(), caller(r.Context()), h.Catalog.Load().Event.ID
	ps, err := h.Parties.Parties(ctx, ev)
	if err != nil {
		h.error(w, r, err)
		return
	}
	mine, err := h.Parties.PartiesOf(ctx, a.ID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := []partyJSON{}
	for _, p := range ps {
		table, going := mine[p.Code]
		if going || party.Visible(ctx, h.Parties, ev, a, p) {
			out = append(out, partyJSON{Party: p, Attending: going, Table: table})
		}
	}
	respond.JSON(w, http.StatusOK, map[string]any{"parties": out})
}

// openParty reads {code} as a party the caller may answer here: an open
// one. One they may not see is not found; an invite-only one they may see
// is answered on its page (403).
func (h *Handler) openParty(r *http.Request) (lanyard.Party, error) {
	ctx, ev := r.Context(), h.Catalog.Load().Event.ID
	p, err := h.Parties.Party(ctx, ev, r.PathValue("code"))
	switch {
	case err != nil:
		return p, err
	case !party.Visible(ctx, h.Parties, ev, caller(ctx), p):
		return p, lanyard.Errorf(lanyard.ENOTFOUND, "No party %q.", r.PathValue("code"))
	case p.InviteOnly:
		return p, lanyard.Errorf(lanyard.EFORBIDDEN, "This party is invite-only: answer it on its page.")
	}
	return p, nil
}

// doors is the engine's door role for a ledger request; nil for an
// engine without it (the naive baseline): the answer stands without a door.
func (h *Handler) doors(r *http.Request) party.Door {
	d := party.DoorOf(h.engine(r))
	if a := caller(r.Context()); a != nil {
		d.By = a.ID
	}
	return d
}

func (h *Handler) rsvpParty(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Dietary   string   `json:"dietary"`
		Languages []string `json:"languages"`
		SeatWith  []string `json:"seat_with"`
	}
	// The party first: an unknown one is 404 whatever the body says.
	p, err := h.openParty(r)
	if err == nil {
		err = decode(r, &body)
	}
	a := caller(r.Context())
	var ans lanyard.PartyRSVP
	if err == nil {
		for _, l := range body.Languages {
			if !contains(party.Languages, l) {
				err = &lanyard.Error{Code: lanyard.EINVALID, Field: "languages", Message: "Languages are among " + strings.Join(party.Languages, ", ") + "."}
			}
		}
	}
	if err == nil {
		ans, err = party.ParseRSVP(r.Context(), h.Parties, h.Catalog.Load().Event.ID, a, body.Dietary, body.Languages, body.SeatWith)
	}
	if err == nil {
		err = party.Answer(r.Context(), h.Parties, h.doors(r), h.Log, a, p, ans)
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	if p, err = h.Parties.Party(r.Context(), h.Catalog.Load().Event.ID, p.Code); err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, partyJSON{Party: p, Attending: true})
}

func (h *Handler) leaveParty(w http.ResponseWriter, r *http.Request) {
	p, err := h.openParty(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	gone, err := party.Withdraw(r.Context(), h.Parties, h.doors(r), h.Log, caller(r.Context()), p)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, map[string]any{"left": gone})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// partyFields are what an organizer sets on a party, as /parties' form.
type partyFields struct {
	Title      string            `json:"title"`
	Kind       lanyard.PartyKind `json:"kind"`
	Location   string            `json:"location"`
	Starts     time.Time         `json:"starts"`
	Capacity   int               `json:"capacity"`
	TableSize  int               `json:"table_size"`
	InviteOnly bool              `json:"invite_only"`
}

// putParty is PUT /api/v1/admin/parties/{code}: an organizer makes the
// party of that code (201, hosted by the organizers) or changes it (200;
// its kind and host stay, and a capacity below those going is 409), with
// its door (party.Put). A cancelled party is 409 party_cancelled.
func (h *Handler) putParty(w http.ResponseWriter, r *http.Request) {
	var in partyFields
	if err := decode(r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	ctx, ev := r.Context(), h.Catalog.Load().Event.ID
	p := lanyard.Party{Code: r.PathValue("code"), Title: strings.TrimSpace(in.Title), Kind: in.Kind, Location: strings.TrimSpace(in.Location),
		Starts: in.Starts.UTC(), Capacity: in.Capacity, TableSize: in.TableSize, InviteOnly: in.InviteOnly}
	status := http.StatusCreated
	old, err := h.Parties.Party(ctx, ev, p.Code)
	switch {
	case err == nil && old.Cancelled():
		h.error(w, r, lanyard.Errorf(lanyard.EPartyCancelled, "The party %q was cancelled.", p.Code))
		return
	case err == nil && old.Kind != p.Kind:
		h.error(w, r, &lanyard.Error{Code: lanyard.EINVALID, Field: "kind", Message: fmt.Sprintf("The party %q is a %s; its kind cannot change.", p.Code, old.Kind)})
		return
	case err == nil:
		p.ID, p.ExhibitorID, status = old.ID, old.ExhibitorID, http.StatusOK
	case lanyard.ErrorCode(err) != lanyard.ENOTFOUND:
		h.error(w, r, err)
		return
	}
	if err := p.Validate(); err != nil {
		h.error(w, r, err)
		return
	}
	if p, err = party.Put(ctx, h.Parties, h.doors(r), h.Log, ev, p); err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, status, p)
}
