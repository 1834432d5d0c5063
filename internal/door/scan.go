package door

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/respond"
	"github.com/lanyardhq/lanyard/internal/store"
)

// Verdicts a scan answers with.
const (
	VerdictAdmit       = "admit"        // a reserved seat (or, at a place, entry)
	VerdictAdmitWalkup = "admit_walkup" // a walk-up seat
	VerdictOverflow    = "overflow"     // go to another room (an overflow room, or the main room)
	VerdictDeny        = "deny"         // refused: Code says why
	VerdictExit        = "exit"         // left a place
)

// codeOtherSession is the door's code beside the engine's (lanyard's
// on-site codes and the door rules): not reserved here, no walk-up seats,
// and holding another session at this time.
const codeOtherSession = "other_session"

// ScanRequest is one scan, from the app or a sync.
type ScanRequest struct {
	Door       string    `json:"door"`
	Token      string    `json:"token,omitempty"`
	AttendeeID int64     `json:"attendee_id,omitempty"`
	Nonce      string    `json:"nonce"`
	Mode       string    `json:"mode,omitempty"` // "in" (default) or "out" (places)
	ScannedAt  time.Time `json:"scanned_at,omitzero"`
	// Verdict is what the device showed offline (sync only).
	Verdict string `json:"verdict,omitempty"`
}

// Verdict is the answer to a scan, shown full screen.
type Verdict struct {
	Verdict     string `json:"verdict"`
	Code        string `json:"code,omitempty"`
	Message     string `json:"message"`
	Name        string `json:"name,omitempty"`
	AttendeeID  int64  `json:"attendee_id,omitempty"`
	SeatsLeft   int    `json:"seats_left"`
	Inside      int    `json:"inside"`
	Room        string `json:"room,omitempty"`
	WalkMinutes int    `json:"walk_minutes,omitempty"` // -1: unknown
	// Kind is how an admitted attendee got in: reserved, walkup, overflow.
	Kind string `json:"kind,omitempty"`
}

// nonceRE is a nonce's shape: the app makes 128 random bits in base64url.
var nonceRE = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)

// maxToken bounds a token before it is parsed (badge tokens are 35
// characters; a wedge scanner may add a line end, which is trimmed).
const maxToken = 128

func (req *ScanRequest) check() error {
	switch {
	case !nonceRE.MatchString(req.Nonce):
		return &lanyard.Error{Code: lanyard.EINVALID, Field: "nonce", Message: "Send a nonce of 8 to 64 letters, digits, - or _."}
	case req.Token == "" && req.AttendeeID <= 0:
		return &lanyard.Error{Code: lanyard.EINVALID, Field: "token", Message: "Send the badge's token or an attendee_id."}
	case req.Token != "" && req.AttendeeID != 0:
		return &lanyard.Error{Code: lanyard.EINVALID, Field: "token", Message: "Send either a token or an attendee_id, not both."}
	case len(req.Token) > maxToken:
		return lanyard.Errorf(lanyard.EBadgeInvalid, "This is not a valid badge: it was altered, or not made here.")
	case req.Mode != "" && req.Mode != "in" && req.Mode != "out":
		return &lanyard.Error{Code: lanyard.EINVALID, Field: "mode", Message: `Mode is "in" or "out".`}
	}
	return nil
}

// scan applies one scan through the request's engine and records it.
// Bad input (a token that is not a badge, an unknown door) is an error;
// a refusal is a deny verdict.
func (h *Handler) scan(ctx context.Context, r *http.Request, staff *lanyard.Attendee, req ScanRequest, offline bool) (Verdict, error) {
	if err := req.check(); err != nil {
		return Verdict{}, err
	}
	d, err := h.parseDoor(ctx, req.Door)
	if err != nil {
		return Verdict{}, err
	}
	if req.Mode == "out" && d.Kind != kindPlace {
		return Verdict{}, &lanyard.Error{Code: lanyard.EINVALID, Field: "mode", Message: "Only a place's door scans people out."}
	}
	at := req.ScannedAt
	if at.IsZero() || at.After(h.now().Add(time.Minute)) {
		at = h.now()
	}
	v, err := h.decide(ctx, r, staff, d, &req)
	if err != nil {
		return Verdict{}, err
	}
	err = h.record(ctx, store.DoorScan{EventID: h.event().ID, StaffID: staff.ID, Nonce: req.Nonce, Door: d.ID,
		AttendeeID: v.AttendeeID, Verdict: v.Verdict, Code: v.Code, Room: v.Room, Offline: offline, ScannedAt: at}, offline)
	return v, err
}

// attendee resolves the scan's badge or attendee_id. A token that is not
// a badge of this event is EBadgeInvalid (400); a badge a reprint voided
// comes back with replaced set.
func (h *Handler) attendee(ctx context.Context, req *ScanRequest) (a *lanyard.Attendee, replaced bool, err error) {
	id := req.AttendeeID
	version := -1
	if req.Token != "" {
		c, err := h.Badges.Claims(ctx, req.Token)
		if err != nil {
			return nil, false, err
		}
		if c.EventID != h.event().ID {
			return nil, false, lanyard.Errorf(lanyard.EBadgeInvalid, "This badge is for another event.")
		}
		id, version = c.AttendeeID, int(c.Version)
	}
	a, current, err := h.Store.DoorAttendee(ctx, id)
	if lanyard.ErrorCode(err) == lanyard.ENOTFOUND || err == nil && a.EventID != h.event().ID {
		return nil, false, lanyard.Errorf(lanyard.ENOTFOUND, "Nobody is registered with this badge.")
	}
	if err != nil {
		return nil, false, err
	}
	return a, version >= 0 && current != version, nil
}

// decide resolves the attendee and asks the engine.
func (h *Handler) decide(ctx context.Context, r *http.Request, staff *lanyard.Attendee, d *doorRef, req *ScanRequest) (Verdict, error) {
	a, replaced, err := h.attendee(ctx, req)
	if err != nil {
		return Verdict{}, err
	}
	v := Verdict{Name: a.Name, AttendeeID: a.ID, WalkMinutes: 0}
	e := h.engine(r)
	if replaced {
		v.Verdict, v.Code = VerdictDeny, lanyard.EBadgeReplaced
		v.Message = h.Shell.T(r, "door.verdict.badge_replaced")
		h.fillCount(ctx, e, d, &v)
		return v, nil
	}
	// The nonce is the engine's idempotency key, under the staff member
	// (the engine keeps keys per caller): a retried or synced scan gets
	// the first answer and never admits twice.
	key := "door:" + req.Nonce
	var res lanyard.SeatResult
	var state *reserve.DoorState
	switch d.Kind {
	case kindPlace:
		pl, ok := e.(reserve.Places)
		if !ok {
			return Verdict{}, lanyard.Errorf(lanyard.ENOTFOUND, "This server's engine has no places.")
		}
		if req.Mode == "out" {
			res, err = pl.Exit(ctx, staff.ID, a.ID, d.Place, key)
		} else {
			res, err = pl.Enter(ctx, staff.ID, a.ID, d.Place, key)
		}
	default:
		dr, ok := e.(reserve.Door)
		if !ok {
			return Verdict{}, lanyard.Errorf(lanyard.ENOTFOUND, "This server's engine has no doors.")
		}
		// The check-in and the room's count in one trip through the loop.
		var ans reserve.DoorAnswer
		ans, err = dr.DoorCheckIn(ctx, staff.ID, a.ID, d.Session.Code, key)
		res, state = ans.Result, &ans.State
	}
	if err != nil && res.Error == nil {
		return Verdict{}, err
	}
	h.verdict(ctx, r, e, d, a, res, &v)
	if state != nil {
		c := countOf(d, *state)
		v.Inside, v.SeatsLeft = c.Inside, c.SeatsLeft
	} else {
		h.fillCount(ctx, e, d, &v)
	}
	if v.Verdict == VerdictAdmitWalkup {
		v.Message = h.Shell.T(r, "door.verdict.admit_walkup", "Left", v.SeatsLeft)
	}
	return v, nil
}

// verdict turns the engine's result into what the door shows.
func (h *Handler) verdict(ctx context.Context, r *http.Request, e reserve.Seats, d *doorRef, a *lanyard.Attendee, res lanyard.SeatResult, v *Verdict) {
	t := func(id string, args ...any) string { return h.Shell.T(r, id, args...) }
	switch {
	case res.Error != nil:
		v.Verdict, v.Code = VerdictDeny, res.Error.Code
		switch res.Error.Code {
		case lanyard.EWalkupFull, lanyard.ESessionFull:
			// Not reserved here: perhaps reserved elsewhere at this time.
			if other := h.otherSession(ctx, e, d, a.ID); other != "" {
				v.Code = codeOtherSession
				v.Message = t("door.verdict.other_session", "Session", other)
				return
			}
			v.Message = t("door.verdict.no_seats")
		case lanyard.EDoorNotOpen:
			v.Message = t("door.verdict.door_not_open", "Time", h.clock(d.Session.Start.Add(-time.Duration(h.doorOpens(ctx, e))*time.Minute)))
		case lanyard.EDoorClosed:
			v.Message = t("door.verdict.door_closed", "Time", h.clock(d.Session.End))
		case lanyard.ENotEntitled, lanyard.EPlaceFull, lanyard.EAlreadyInside, lanyard.EBadgeReplaced:
			v.Message = t("door.verdict." + res.Error.Code)
		default:
			v.Message = res.Error.Message
		}
	case res.Already && d.Kind == kindOverflow && h.sentHere(ctx, d, a.ID):
		// Their session's door sent them to this room: let them in, once.
		v.Verdict, v.Kind, v.Message = VerdictAdmit, "overflow", t("door.verdict.admit_overflow")
	case res.Already && res.Outcome != lanyard.OutcomeExited:
		v.Verdict, v.Code, v.Message = VerdictDeny, lanyard.EAlreadyInside, t("door.verdict.already_inside")
	case res.Outcome == lanyard.OutcomeExited:
		v.Verdict, v.Message = VerdictExit, t("door.verdict.exit")
	case res.Outcome == lanyard.OutcomeEntered:
		v.Verdict, v.Kind, v.Message = VerdictAdmit, "place", t("door.verdict.enter")
	case res.Outcome == lanyard.OutcomeOverflow && d.Kind == kindOverflow && res.Room == d.Room:
		v.Verdict, v.Kind, v.Message = VerdictAdmit, "overflow", t("door.verdict.admit_overflow")
	case res.Outcome == lanyard.OutcomeOverflow:
		v.Verdict, v.Kind, v.Room = VerdictOverflow, "overflow", res.Room
		v.WalkMinutes = h.walkMinutes(d.Venue, h.overflowVenue(ctx, d, res.Room))
		v.Message = h.overflowWords(r, v.Room, v.WalkMinutes)
	case d.Kind == kindOverflow:
		// Admitted to the main room from an overflow door: send them there.
		v.Verdict, v.Room = VerdictOverflow, d.Session.Room
		v.Kind = "reserved"
		if res.Outcome == lanyard.OutcomeWalkup {
			v.Kind = "walkup"
		}
		v.WalkMinutes = h.walkMinutes(d.Venue, d.Session.Venue)
		v.Message = h.overflowWords(r, v.Room, v.WalkMinutes)
	case res.Outcome == lanyard.OutcomeWalkup:
		v.Verdict, v.Kind = VerdictAdmitWalkup, "walkup"
	default:
		v.Verdict, v.Kind, v.Message = VerdictAdmit, "reserved", t("door.verdict.admit")
	}
}

// sentHere reports whether the session's door sent attendee to overflow
// door d's room and this door has not admitted them yet.
func (h *Handler) sentHere(ctx context.Context, d *doorRef, attendee int64) bool {
	ev := h.event().ID
	sent, err := h.Store.DoorScanned(ctx, ev, kindSession+":"+d.Session.Code, VerdictOverflow, d.Room, attendee)
	if err != nil || len(sent) == 0 {
		return false
	}
	in, err := h.Store.DoorScanned(ctx, ev, d.ID, VerdictAdmit, "", attendee)
	return err == nil && len(in) == 0
}

func (h *Handler) overflowWords(r *http.Request, room string, minutes int) string {
	if minutes < 0 {
		return h.Shell.T(r, "door.verdict.overflow_unknown", "Room", room)
	}
	return h.Shell.T(r, "door.verdict.overflow", "Room", room, "Minutes", minutes)
}

// overflowVenue is the venue of a session's overflow room named room.
func (h *Handler) overflowVenue(ctx context.Context, d *doorRef, room string) string {
	rooms, err := h.Store.OverflowRooms(ctx, d.Session.ID)
	if err == nil {
		for _, o := range rooms {
			if o.Room == room {
				return o.Venue
			}
		}
	}
	return d.Session.Venue
}

// otherSession names a session the attendee holds that overlaps this
// door's session, or "".
func (h *Handler) otherSession(ctx context.Context, e reserve.Seats, d *doorRef, attendee int64) string {
	if d.Session == nil {
		return ""
	}
	ag, err := e.Agenda(ctx, attendee)
	if err != nil {
		return ""
	}
	for _, it := range ag.Reservations {
		if it.Session != d.Session.Code && it.Start.Before(d.Session.End) && d.Session.Start.Before(it.End) {
			return it.Session + " · " + it.Room
		}
	}
	return ""
}

// doorOpens is the minutes before a start the door opens.
func (h *Handler) doorOpens(ctx context.Context, e reserve.Seats) int {
	return h.settings(ctx, e).DoorOpensMinutes
}

// settings are the engine's reservation settings, or the defaults.
func (h *Handler) settings(ctx context.Context, e reserve.Seats) lanyard.ReservationSettings {
	if o, ok := e.(reserve.Organizer); ok {
		if s, err := o.Settings(ctx); err == nil {
			return s
		}
	}
	return lanyard.DefaultReservationSettings()
}

func (h *Handler) clock(t time.Time) string { return t.In(h.cat().Loc).Format("15:04") }

// fillCount sets the room's live figures: inside and walk-up seats left.
func (h *Handler) fillCount(ctx context.Context, e reserve.Seats, d *doorRef, v *Verdict) {
	c, ok := h.doorCount(ctx, e, d)
	if ok {
		v.Inside, v.SeatsLeft = c.Inside, c.SeatsLeft
	}
}

// Count is a door's live figures.
type Count struct {
	Door      string `json:"door"`
	Inside    int    `json:"inside"`
	SeatsLeft int    `json:"seats_left"` // walk-up seats left (a place: room left; -1 no limit)
	Capacity  int    `json:"capacity"`
}

func (h *Handler) doorCount(ctx context.Context, e reserve.Seats, d *doorRef) (Count, bool) {
	c := Count{Door: d.ID}
	switch d.Kind {
	case kindPlace:
		pl, ok := e.(reserve.Places)
		if !ok {
			return c, false
		}
		o, err := pl.Occupancy(d.Place)
		if err != nil {
			return c, false
		}
		c.Inside, c.Capacity, c.SeatsLeft = o.Inside, o.Capacity, -1
		if o.Capacity > 0 {
			c.SeatsLeft = max(o.Capacity-o.Inside, 0)
		}
		return c, true
	}
	ds, ok := e.(reserve.Door)
	if !ok {
		return c, false
	}
	st, err := ds.DoorState(ctx, d.Session.Code)
	if err != nil {
		return c, false
	}
	return countOf(d, st), true
}

// countOf is a session door's figures from the engine's door state: the
// room's, or an overflow room's.
func countOf(d *doorRef, st reserve.DoorState) Count {
	c := Count{Door: d.ID}
	if d.Kind == kindOverflow {
		for _, o := range st.Overflow {
			if o.Room == d.Room {
				c.Inside, c.Capacity, c.SeatsLeft = o.Admitted, o.Capacity, max(o.Capacity-o.Admitted, 0)
			}
		}
		return c
	}
	c.Inside, c.Capacity, c.SeatsLeft = st.Inside, st.Capacity, st.WalkupLeft
	return c
}

// scanAPI is POST /door/api/scan.
func (h *Handler) scanAPI(w http.ResponseWriter, r *http.Request) {
	var req ScanRequest
	if err := decode(r, &req, maxScanBody); err != nil {
		h.apiError(w, r, err)
		return
	}
	v, err := h.scan(r.Context(), r, h.Shell.User(r), req, false)
	if err != nil {
		h.apiError(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, v)
}

// countAPI is GET /door/api/count?door=…: the live figures the app polls.
func (h *Handler) countAPI(w http.ResponseWriter, r *http.Request) {
	d, err := h.parseDoor(r.Context(), r.URL.Query().Get("door"))
	if err != nil {
		h.apiError(w, r, err)
		return
	}
	c, _ := h.doorCount(r.Context(), h.engine(r), d)
	respond.JSON(w, http.StatusOK, c)
}

const (
	maxScanBody = 8 << 10
	maxSyncBody = 1 << 20
)

// decode reads a JSON body of at most limit bytes strictly: unknown
// fields, trailing data and a bare null are refused.
func decode(r *http.Request, v any, limit int64) error {
	data, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return lanyard.Errorf(lanyard.EINVALID, "The body cannot be read: %s.", err.Error())
	}
	if int64(len(data)) > limit {
		return lanyard.Errorf(lanyard.EBodyTooLarge, "The body is larger than %d bytes.", limit)
	}
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return lanyard.Errorf(lanyard.EINVALID, "The body is null; send a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syntax *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return lanyard.Errorf(lanyard.EINVALID, "The request needs a JSON body.")
		case errors.As(err, &syntax):
			return lanyard.Errorf(lanyard.EINVALID, "The body is not valid JSON (at byte %d).", syntax.Offset)
		case errors.As(err, &typ):
			return &lanyard.Error{Code: lanyard.EINVALID, Field: typ.Field, Message: fmt.Sprintf("Field %q must be a %s.", typ.Field, typ.Type)}
		}
		return lanyard.Errorf(lanyard.EINVALID, "The body cannot be read: %s.", err.Error())
	}
	if dec.More() {
		return lanyard.Errorf(lanyard.EINVALID, "The body holds more than one JSON value.")
	}
	return nil
}
