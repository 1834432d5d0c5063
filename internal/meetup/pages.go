package meetup

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/web"
)

// row is a meetup as the list and its page show it.
type row struct {
	lanyard.Meetup
	Where    string
	Language string // its name in the page's language
	Mine     *lanyard.RSVP
}

type listData struct {
	Lang, Topic, Day string
	Languages        []option
	Days             []option
	Topics           []string
	Rows             []row
	Mine             []row
}

type option struct {
	Value, Label string
	Selected     bool
}

// eventDays are the event's days as dates in the venue's zone.
func eventDays(c *catalog.Catalog) []time.Time {
	start, err := time.ParseInLocation("2006-01-02", c.Event.StartDate, c.Loc)
	if err != nil {
		return nil
	}
	var out []time.Time
	for i := range max(c.Event.Days, 1) {
		out = append(out, start.AddDate(0, 0, i))
	}
	return out
}

func (h *Handler) languageName(r *http.Request, code string) string {
	return h.Shell.T(r, "meetup.lang."+code)
}

func (h *Handler) rowOf(r *http.Request, c *catalog.Catalog, m lanyard.Meetup) row {
	return row{Meetup: m, Where: placeText(c, m), Language: h.languageName(r, m.Language)}
}

func (h *Handler) listPage(w http.ResponseWriter, r *http.Request) {
	c := h.Catalog.Load()
	pg := h.Shell.Page(r, "meetup.list.title", h.nav(r), nil)
	q := r.URL.Query()
	d := listData{Lang: q.Get("lang"), Topic: strings.TrimSpace(q.Get("topic")), Day: q.Get("day")}
	for _, l := range lanyard.MeetupLanguages {
		d.Languages = append(d.Languages, option{Value: l, Label: h.languageName(r, l), Selected: l == d.Lang})
	}
	for _, day := range eventDays(c) {
		v := day.Format("2006-01-02")
		d.Days = append(d.Days, option{Value: v, Label: pg.Day(day), Selected: v == d.Day})
	}
	f, err := ParseFilter(c, d.Lang, d.Topic, d.Day, h.now())
	switch lanyard.ErrorField(err) {
	case "":
	case "topic":
		h.refuse(w, r, http.StatusBadRequest, lanyard.EINVALID, "meetup.error.topic_long")
		return
	case "language":
		h.refuse(w, r, http.StatusBadRequest, lanyard.EINVALID, "meetup.error.language")
		return
	default: // a day not of the event: the page lists every day, as before
		f, _ = ParseFilter(c, d.Lang, d.Topic, "", h.now())
	}
	list, err := h.Store.Meetups(r.Context(), h.event().ID, f)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	u := h.Shell.User(r)
	mine, err := h.Store.MeetupsOf(r.Context(), h.event().ID, u.ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	answered := map[int64]*lanyard.RSVP{}
	for i := range mine {
		answered[mine[i].ID] = &mine[i].RSVP
		if !mine[i].Hidden && mine[i].End.After(h.now()) {
			rw := h.rowOf(r, c, mine[i].Meetup)
			rw.Mine = &mine[i].RSVP
			d.Mine = append(d.Mine, rw)
		}
	}
	for _, m := range list {
		rw := h.rowOf(r, c, m)
		rw.Mine = answered[m.ID]
		d.Rows = append(d.Rows, rw)
	}
	d.Topics = topicsOf(c)
	pg.Data = d
	h.Shell.Render(w, r, http.StatusOK, "list", pg)
}

func validLanguage(l string) bool {
	for _, x := range lanyard.MeetupLanguages {
		if x == l {
			return true
		}
	}
	return false
}

// topicsOf are the catalog's topics, offered as suggestions.
func topicsOf(c *catalog.Catalog) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range c.Sessions() {
		for _, t := range s.Topics {
			if !seen[t] && len(out) < 200 {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// form is the new-meetup form, as typed.
type form struct {
	Title, Description, Language, Topic string
	PlaceKind, Room, Venue, Place       string
	Lat, Lng, Start, Minutes, Cap       string
	// Key is the new-meetup form's own: a form posted twice (a double
	// click, a retry on a bad connection) starts one meetup.
	Key    string
	Errors map[string]string
}

type newData struct {
	F         form
	Languages []option
	Rooms     []option
	Venues    []option
	Durations []option
	Topics    []string
	MinStart  string
	// The edit form's (edit.go): the same form, posted to Action.
	Edit      bool
	Action    string
	ID        int64
	Going     int
	CanCancel bool
}

func (h *Handler) newData(r *http.Request, f form) newData {
	c := h.Catalog.Load()
	d := newData{F: f, Topics: topicsOf(c), MinStart: h.now().In(c.Loc).Format("2006-01-02T15:04")}
	for _, l := range lanyard.MeetupLanguages {
		d.Languages = append(d.Languages, option{Value: l, Label: h.languageName(r, l), Selected: l == f.Language})
	}
	for _, v := range c.Venues {
		d.Venues = append(d.Venues, option{Value: v.Code, Label: v.Name, Selected: v.Code == f.Venue})
		for _, rm := range v.Rooms {
			val := v.Code + "|" + rm.Name
			d.Rooms = append(d.Rooms, option{Value: val, Label: rm.Name + " · " + v.Name, Selected: val == f.Room})
		}
	}
	for _, m := range []int{30, 60, 90, 120, 180, 240} {
		v := strconv.Itoa(m)
		d.Durations = append(d.Durations, option{Value: v, Label: h.Shell.T(r, "meetup.minutes", "Minutes", m), Selected: v == f.Minutes})
	}
	return d
}

func (h *Handler) newPage(w http.ResponseWriter, r *http.Request) {
	f := form{Language: h.Shell.Lang(r), PlaceKind: lanyard.MeetupBar, Minutes: "90", Cap: "12", Key: rand.Text()}
	h.render(w, r, http.StatusOK, "new", "meetup.new.title", h.newData(r, f))
}

// parseForm reads the new-meetup form into a meetup; field errors come
// back in f.Errors, in the visitor's language.
func (h *Handler) parseForm(r *http.Request) (lanyard.Meetup, form, error) {
	c := h.Catalog.Load()
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	f := form{Title: v("title"), Description: v("description"), Language: v("language"), Topic: v("topic"), PlaceKind: v("place_kind"),
		Room: v("room"), Venue: v("venue"), Place: v("place"), Lat: v("lat"), Lng: v("lng"), Start: v("start"), Minutes: v("minutes"), Cap: v("cap"),
		Key: v("key"), Errors: map[string]string{}}
	if len(f.Key) > 64 {
		f.Key = ""
	}
	u := h.Shell.User(r)
	m := lanyard.Meetup{EventID: h.event().ID, OrganizerID: u.ID, Title: f.Title, Description: f.Description, Language: f.Language,
		Topic: f.Topic, PlaceKind: f.PlaceKind, Venue: f.Venue, Place: f.Place}
	fail := func(field, id string, args ...any) (lanyard.Meetup, form, error) {
		f.Errors[field] = h.Shell.T(r, id, args...)
		e := lanyard.Errorf(lanyard.EINVALID, "%s", f.Errors[field])
		e.Field = field
		return m, f, e
	}
	switch m.PlaceKind {
	case lanyard.MeetupRoom:
		venue, room, ok := strings.Cut(f.Room, "|")
		if !ok {
			return fail("room", "meetup.error.room")
		}
		m.Venue, m.Place = venue, room
	case lanyard.MeetupBar, lanyard.MeetupPin:
		if m.PlaceKind == lanyard.MeetupPin {
			lat, err1 := strconv.ParseFloat(f.Lat, 64)
			lng, err2 := strconv.ParseFloat(f.Lng, 64)
			if err1 != nil || err2 != nil {
				return fail("lat", "meetup.error.pin")
			}
			m.Lat, m.Lng = lat, lng
		}
	}
	start, err := time.ParseInLocation("2006-01-02T15:04", f.Start, c.Loc)
	if err != nil {
		return fail("start", "meetup.error.start")
	}
	minutes, err := strconv.Atoi(f.Minutes)
	if err != nil {
		return fail("minutes", "meetup.error.minutes")
	}
	if m.Cap, err = strconv.Atoi(f.Cap); err != nil {
		return fail("cap", "meetup.error.cap")
	}
	m.Start, m.End = start.UTC(), start.Add(time.Duration(minutes)*time.Minute).UTC()
	if err := CheckPlace(c, m); err != nil {
		if m.PlaceKind == lanyard.MeetupRoom {
			return fail("room", "meetup.error.room")
		}
		return fail("venue", "meetup.error.venue")
	}
	if err := m.Validate(h.now()); err != nil {
		field := lanyard.ErrorField(err)
		id := map[string]string{"title": "meetup.error.title", "topic": "meetup.error.topic", "description": "meetup.error.description",
			"language": "meetup.error.language", "venue": "meetup.error.venue", "place": "meetup.error.place", "lat": "meetup.error.pin",
			"place_kind": "meetup.error.place_kind", "start": "meetup.error.start", "minutes": "meetup.error.minutes", "cap": "meetup.error.cap"}[field]
		if id == "" {
			return m, f, err
		}
		if field == "place" && m.PlaceKind == lanyard.MeetupRoom {
			field = "room"
		}
		return fail(field, id)
	}
	return m, f, nil
}

func hasVenue(c *catalog.Catalog, code string) bool {
	for _, v := range c.Venues {
		if v.Code == code {
			return true
		}
	}
	return false
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	m, f, err := h.parseForm(r)
	if err != nil {
		w.Header().Set(codeHeader, lanyard.EINVALID)
		if wantsJSON(r) {
			writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": map[string]string{"code": lanyard.EINVALID, "field": lanyard.ErrorField(err), "message": err.Error()}})
			return
		}
		h.render(w, r, http.StatusUnprocessableEntity, "new", "meetup.new.title", h.newData(r, f))
		return
	}
	if f.Key != "" {
		// The fields are part of the key: a form taken back and changed
		// starts another meetup, and only a repeat finds the first.
		sum := sha256.Sum256(fmt.Appendf(nil, "%q %q %q %q %q %q %q %g %g %d %d %d", m.Title, m.Description, m.Language, m.Topic,
			m.PlaceKind, m.Venue, m.Place, m.Lat, m.Lng, m.Start.Unix(), m.End.Unix(), m.Cap))
		m.Key = "form:" + f.Key + ":" + hex.EncodeToString(sum[:8])
	}
	m, err = h.Store.MeetupCreate(r.Context(), m, h.words)
	if lanyard.ErrorCode(err) == lanyard.EMeetupLimit {
		h.refuse(w, r, http.StatusTooManyRequests, lanyard.EMeetupLimit, "meetup.error.limit", "Count", store.MeetupsPerOrganizer)
		return
	}
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	if wantsJSON(r) {
		writeJSON(w, http.StatusCreated, map[string]any{"id": m.ID})
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "meetup.created"))
	http.Redirect(w, r, meetupPath(m.ID), http.StatusSeeOther)
}

type showData struct {
	row
	Organizer  string
	Mine       *lanyard.RSVP
	Organizing bool
	Started    bool
	MapLink    string
	PinLink    string
	Moderator  bool
	CanCancel  bool
}

func (h *Handler) showPage(w http.ResponseWriter, r *http.Request) {
	m, ok := h.meetup(w, r)
	if !ok {
		return
	}
	u := h.Shell.User(r)
	if !Visible(u, m) {
		h.refuse(w, r, http.StatusNotFound, lanyard.ENOTFOUND, "meetup.not_found")
		return
	}
	c := h.Catalog.Load()
	d := showData{row: h.rowOf(r, c, m), Organizing: m.OrganizerID == u.ID, Started: !m.Start.After(h.now()), Moderator: Moderates(u.Role)}
	d.CanCancel = mayCancel(u, m) && !m.Canceled && !d.Started
	if a, err := h.Store.FindAttendeeByID(r.Context(), m.OrganizerID); err == nil {
		d.Organizer = a.Name
	}
	rs, err := h.Store.MeetupRSVPOf(r.Context(), m.ID, u.ID)
	switch {
	case err == nil:
		d.Mine = &rs
	case lanyard.ErrorCode(err) != lanyard.ENOTFOUND:
		h.Shell.ServerError(w, r, err)
		return
	}
	if m.Venue != "" {
		d.MapLink = "/map/" + url.PathEscape(m.Venue)
		if m.PlaceKind == lanyard.MeetupRoom {
			d.MapLink += "?room=" + url.QueryEscape(m.Place)
		}
	}
	if m.PlaceKind == lanyard.MeetupPin {
		d.PinLink = "https://www.openstreetmap.org/?mlat=" + strconv.FormatFloat(m.Lat, 'f', 6, 64) + "&mlon=" + strconv.FormatFloat(m.Lng, 'f', 6, 64) + "#map=18/" +
			strconv.FormatFloat(m.Lat, 'f', 6, 64) + "/" + strconv.FormatFloat(m.Lng, 'f', 6, 64)
	}
	h.render(w, r, http.StatusOK, "show", "meetup.show.title", d)
}

// outcome answers an RSVP or a leave: JSON to a script, else a flash and
// back to the meetup's page.
func (h *Handler) outcome(w http.ResponseWriter, r *http.Request, m lanyard.Meetup, v map[string]any, flashID string, args ...any) {
	if wantsJSON(r) {
		writeJSON(w, http.StatusOK, v)
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, flashID, args...))
	http.Redirect(w, r, meetupPath(m.ID), http.StatusSeeOther)
}

// storeRefusal answers a store refusal with its status, or a server error.
func (h *Handler) storeRefusal(w http.ResponseWriter, r *http.Request, err error) {
	switch code := lanyard.ErrorCode(err); code {
	case lanyard.ENOTFOUND:
		h.refuse(w, r, http.StatusNotFound, code, "meetup.not_found")
	case lanyard.EMeetupHidden:
		h.refuse(w, r, http.StatusForbidden, code, "meetup.error.hidden")
	case lanyard.EMeetupStarted:
		h.refuse(w, r, http.StatusConflict, code, "meetup.error.started")
	case lanyard.EMeetupCanceled:
		h.refuse(w, r, http.StatusConflict, code, "meetup.error.canceled_meetup")
	case lanyard.EMeetupNotYours:
		h.refuse(w, r, http.StatusForbidden, code, "meetup.error.not_yours")
	default:
		h.Shell.ServerError(w, r, err)
	}
}

func (h *Handler) rsvp(w http.ResponseWriter, r *http.Request) {
	m, ok := h.meetup(w, r)
	if !ok {
		return
	}
	rs, already, err := Join(r.Context(), h.Store, h.words, h.Shell.User(r), m)
	if lanyard.ErrorCode(err) == lanyard.ETicketCanceled {
		h.refuse(w, r, http.StatusForbidden, lanyard.ETicketCanceled, "meetup.error.canceled")
		return
	}
	if err != nil {
		h.storeRefusal(w, r, err)
		return
	}
	v := map[string]any{"status": rs.Status, "position": rs.Position, "already": already}
	if rs.Status == lanyard.RSVPGoing {
		h.outcome(w, r, m, v, "meetup.rsvp.going")
	} else {
		h.outcome(w, r, m, v, "meetup.rsvp.waiting", "Position", rs.Position)
	}
}

func (h *Handler) leave(w http.ResponseWriter, r *http.Request) {
	m, ok := h.meetup(w, r)
	if !ok {
		return
	}
	promoted, err := Leave(r.Context(), h.Store, h.words, h.Shell.User(r), m)
	if err != nil {
		h.storeRefusal(w, r, err)
		return
	}
	h.outcome(w, r, m, map[string]any{"left": true, "promoted": promoted}, "meetup.left")
}

func (h *Handler) report(w http.ResponseWriter, r *http.Request) {
	m, ok := h.meetup(w, r)
	if !ok {
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if n := utf8.RuneCountInString(reason); n < 3 || n > 500 || !utf8.ValidString(reason) {
		h.refuse(w, r, http.StatusUnprocessableEntity, lanyard.EINVALID, "meetup.error.reason")
		return
	}
	if err := h.Store.MeetupReport(r.Context(), h.event().ID, m.ID, h.Shell.User(r).ID, reason); err != nil {
		h.storeRefusal(w, r, err)
		return
	}
	h.outcome(w, r, m, map[string]any{"reported": true}, "meetup.reported")
}

type consoleRow struct {
	row
	Organizer string
	Reasons   []store.MeetupReportReason
}

func (h *Handler) consolePage(w http.ResponseWriter, r *http.Request) {
	c := h.Catalog.Load()
	list, err := h.Store.Meetups(r.Context(), h.event().ID, lanyard.MeetupFilter{Hidden: true, Limit: 1000})
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	var rows []consoleRow
	for _, m := range list {
		cr := consoleRow{row: h.rowOf(r, c, m)}
		if a, err := h.Store.FindAttendeeByID(r.Context(), m.OrganizerID); err == nil {
			cr.Organizer = a.Name + " <" + a.Email + ">"
		}
		if m.Reports > 0 {
			if cr.Reasons, err = h.Store.MeetupReports(r.Context(), m.ID); err != nil {
				h.Shell.ServerError(w, r, err)
				return
			}
		}
		rows = append(rows, cr)
	}
	// Reported first, then by start.
	reported := rows[:0:0]
	var rest []consoleRow
	for _, cr := range rows {
		if cr.Reports > 0 {
			reported = append(reported, cr)
		} else {
			rest = append(rest, cr)
		}
	}
	h.render(w, r, http.StatusOK, "console", "meetup.console.title", append(reported, rest...))
}

func (h *Handler) hide(w http.ResponseWriter, r *http.Request) {
	m, ok := h.meetup(w, r)
	if !ok {
		return
	}
	hidden := r.PostFormValue("hidden") == "1"
	action := "meetup.unhide"
	if hidden {
		action = "meetup.hide"
	}
	u := h.Shell.User(r)
	audit := lanyard.AuditEntry{At: h.now().UTC(), ActorID: u.ID, Action: action, AttendeeID: m.OrganizerID, Detail: m.Title}
	if err := h.Store.MeetupHide(r.Context(), h.event().ID, m.ID, hidden, audit); err != nil {
		h.storeRefusal(w, r, err)
		return
	}
	if wantsJSON(r) {
		writeJSON(w, http.StatusOK, map[string]any{"hidden": hidden})
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "meetup.console."+strings.TrimPrefix(action, "meetup.")+"_done", "Title", m.Title))
	http.Redirect(w, r, "/console/meetups", http.StatusSeeOther)
}

// AgendaEntries are the meetups attendee goes to, for web.Handler's
// AgendaSources: each a held entry with its venue and place, so the
// agenda draws the trip to it like a session's.
func (h *Handler) AgendaEntries(ctx context.Context, attendeeID int64, lang string) ([]web.AgendaExtra, error) {
	mine, err := h.Store.MeetupsOf(ctx, h.event().ID, attendeeID)
	if err != nil {
		return nil, err
	}
	var out []web.AgendaExtra
	for _, m := range mine {
		if m.RSVP.Status != lanyard.RSVPGoing || m.Hidden || m.Canceled {
			continue
		}
		s := &lanyard.Session{Code: "MEETUP-" + strconv.FormatInt(m.ID, 10), Title: m.Title, Venue: m.Venue, Room: m.Place,
			Start: m.Start, End: m.End, Capacity: m.Cap, Topics: []string{m.Topic}}
		out = append(out, web.AgendaExtra{Session: s, Kind: "meetup", Link: meetupPath(m.ID), Label: web.Translate(lang, "meetup.agenda.going")})
	}
	return out, nil
}
