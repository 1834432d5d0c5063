package console

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// form is one form's typed values and the problem with each field, so a
// refused form comes back as the organizer filled it in.
type form struct {
	Values map[string]string
	Errors map[string]string
	Error  string
}

func newForm() *form { return &form{Values: map[string]string{}, Errors: map[string]string{}} }

func (f *form) ok() bool { return len(f.Errors) == 0 && f.Error == "" }

// V is a field's value as typed.
func (f *form) V(name string) string { return f.Values[name] }

// setupData is the reservations setup page: the current settings and a
// form for each part, the submitted one with its values and errors.
type setupData struct {
	Settings  lanyard.ReservationSettings
	Holdbacks []holdbackRow
	Windows   []lanyard.Window
	Waves     []lanyard.Wave
	Types     []lanyard.SessionType
	Loc       *time.Location
	Forms     map[string]*form // by form name: settings, holdbacks, window, wave, overflow
	// Key makes a form submitted twice add one window or wave.
	Key string
}

type holdbackRow struct {
	Type    lanyard.SessionType
	Percent int
}

// Local formats an instant for a datetime-local field in the venue's zone.
func (d *setupData) Local(t time.Time) string { return t.In(d.Loc).Format(localLayout) }

// Form returns the named form (empty when another was submitted).
func (d *setupData) Form(name string) *form {
	if f, ok := d.Forms[name]; ok {
		return f
	}
	return newForm()
}

const localLayout = "2006-01-02T15:04"

func (h *Handler) setupPage(w http.ResponseWriter, r *http.Request) {
	h.renderSetup(w, r, http.StatusOK, "", nil)
}

// renderSetup shows the setup page, with the submitted form's values and
// errors when one was refused.
func (h *Handler) renderSetup(w http.ResponseWriter, r *http.Request, status int, name string, f *form) {
	d, err := h.setupData(r.Context(), r)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	if f != nil {
		d.Forms[name] = f
		if k := f.V("key"); k != "" {
			d.Key = k // the same key again: a resubmission after a fix is still one command
		}
	}
	h.render(w, r, status, "setup", "console.setup.title", d)
}

func (h *Handler) setupData(ctx context.Context, r *http.Request) (*setupData, error) {
	e := h.engine(r)
	d := &setupData{Types: lanyard.SessionTypes, Loc: h.Catalog.Load().Loc, Forms: map[string]*form{}, Key: newKey()}
	var err error
	if d.Settings, err = e.Settings(ctx); err != nil {
		return nil, err
	}
	hb, err := e.Holdbacks(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range lanyard.SessionTypes {
		d.Holdbacks = append(d.Holdbacks, holdbackRow{t, hb[t]})
	}
	if d.Windows, err = e.Windows(ctx); err != nil {
		return nil, err
	}
	if d.Waves, err = e.Waves(ctx); err != nil {
		return nil, err
	}
	return d, nil
}

// settingsFields are the settings form's number fields, each with where it
// goes in the settings and, when set, the message naming its range (the
// generic out-of-range message otherwise).
var settingsFields = []struct {
	name     string
	ptr      func(*lanyard.ReservationSettings) *int
	rangeMsg string
}{
	{"changes_close_minutes", func(s *lanyard.ReservationSettings) *int { return &s.ChangesCloseMinutes }, ""},
	{"release_minutes", func(s *lanyard.ReservationSettings) *int { return &s.ReleaseMinutes }, ""},
	{"fair_seconds", func(s *lanyard.ReservationSettings) *int { return &s.FairSeconds }, ""},
	{"max_reservations", func(s *lanyard.ReservationSettings) *int { return &s.MaxReservations }, ""},
	{"max_per_day", func(s *lanyard.ReservationSettings) *int { return &s.MaxPerDay }, ""},
	{"max_waitlists", func(s *lanyard.ReservationSettings) *int { return &s.MaxWaitlists }, ""},
	{"door_opens_minutes", func(s *lanyard.ReservationSettings) *int { return &s.DoorOpensMinutes }, ""},
	// The walk-up line's window and call (reserve/line.go); 0 is the default.
	{"line_opens_minutes", func(s *lanyard.ReservationSettings) *int { return &s.LineOpensMinutes }, "console.setup.line_opens_range"},
	{"call_minutes", func(s *lanyard.ReservationSettings) *int { return &s.CallMinutes }, "console.setup.call_range"},
}

// saveSettings replaces the reservation rules: the change cutoff, limits,
// the travel rule, the door window and the walk-up line's window and call.
// Every field is checked before anything is saved, each against the
// engine's own rule.
func (h *Handler) saveSettings(w http.ResponseWriter, r *http.Request) {
	f := newForm()
	var s lanyard.ReservationSettings
	for _, fd := range settingsFields {
		v := strings.TrimSpace(r.PostFormValue(fd.name))
		f.Values[fd.name] = v
		n, err := strconv.Atoi(v)
		if err != nil {
			f.Errors[fd.name] = h.Shell.T(r, "console.form.whole_number")
			continue
		}
		// The field alone on valid settings: Validate's refusal is this field's.
		one := lanyard.DefaultReservationSettings()
		*fd.ptr(&one) = n
		if one.Validate() != nil {
			msg := "console.setup.out_of_range"
			if fd.rangeMsg != "" {
				msg = fd.rangeMsg
			}
			f.Errors[fd.name] = h.Shell.T(r, msg)
			continue
		}
		*fd.ptr(&s) = n
	}
	travel := r.PostFormValue("travel")
	f.Values["travel"] = travel
	switch travel {
	case "warn", "refuse":
		s.TravelBlocks = travel == "refuse"
	default:
		f.Errors["travel"] = h.Shell.T(r, "console.setup.travel_choose")
	}
	if !f.ok() {
		h.renderSetup(w, r, http.StatusUnprocessableEntity, "settings", f)
		return
	}
	if err := h.engine(r).SetSettings(r.Context(), s); err != nil {
		h.refused(w, r, "settings", f, err)
		return
	}
	h.audit(r, "settings", 0, "", fmt.Sprintf("changes_close=%d release=%d fair=%d max=%d per_day=%d waitlists=%d door=%d line=%d call=%d travel=%s",
		s.ChangesCloseMinutes, s.ReleaseMinutes, s.FairSeconds, s.MaxReservations, s.MaxPerDay, s.MaxWaitlists, s.DoorOpensMinutes,
		s.LineOpensMinutes, s.CallMinutes, travel))
	h.done(w, r, "console.setup.saved", "#settings")
}

// saveHoldbacks sets every type's walk-up holdback; all are checked first.
func (h *Handler) saveHoldbacks(w http.ResponseWriter, r *http.Request) {
	f := newForm()
	set := map[lanyard.SessionType]int{}
	for _, t := range lanyard.SessionTypes {
		name := "holdback_" + string(t)
		v := strings.TrimSpace(r.PostFormValue(name))
		f.Values[name] = v
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 100 {
			f.Errors[name] = h.Shell.T(r, "console.setup.percent")
			continue
		}
		set[t] = n
	}
	if !f.ok() {
		h.renderSetup(w, r, http.StatusUnprocessableEntity, "holdbacks", f)
		return
	}
	e := h.engine(r)
	for _, t := range lanyard.SessionTypes {
		if err := e.SetHoldback(r.Context(), t, set[t]); err != nil {
			h.refused(w, r, "holdbacks", f, err)
			return
		}
	}
	h.audit(r, "holdbacks", 0, "", fmt.Sprint(set))
	h.done(w, r, "console.setup.saved", "#holdbacks")
}

// addWindow opens reservations for a type or one session, by first come
// or by a draft over the wishlists.
func (h *Handler) addWindow(w http.ResponseWriter, r *http.Request) {
	f := newForm()
	for _, k := range []string{"window_type", "window_session", "window_opens", "window_closes", "window_draft", "key"} {
		f.Values[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	win := lanyard.Window{SessionType: lanyard.SessionType(f.V("window_type")), Session: strings.ToUpper(f.V("window_session")), Draft: f.V("window_draft") != ""}
	if (win.SessionType == "") == (win.Session == "") {
		f.Errors["window_type"] = h.Shell.T(r, "console.setup.type_or_session")
	}
	if win.Session != "" {
		if _, err := h.Catalog.Load().Session(win.Session); err != nil {
			f.Errors["window_session"] = h.Shell.T(r, "console.setup.unknown_session", "Code", win.Session)
		}
	}
	win.Opens = h.localTime(r, f, "window_opens")
	win.Closes = h.localTime(r, f, "window_closes")
	if f.Errors["window_opens"] == "" && f.Errors["window_closes"] == "" && !win.Closes.After(win.Opens) {
		f.Errors["window_closes"] = h.Shell.T(r, "console.setup.closes_after")
	}
	if !f.ok() {
		h.renderSetup(w, r, http.StatusUnprocessableEntity, "window", f)
		return
	}
	out, err := h.engine(r).AddWindow(r.Context(), h.actor(r), f.V("key"), win)
	if err != nil {
		h.refused(w, r, "window", f, err)
		return
	}
	h.audit(r, "window", 0, out.Session, fmt.Sprintf("window=%d type=%s draft=%v", out.ID, out.SessionType, out.Draft))
	h.done(w, r, "console.setup.window_added", "#windows")
}

// addWave withholds seats of a session until an instant: the keynote
// second chance. At the instant they go to the waitlist first.
func (h *Handler) addWave(w http.ResponseWriter, r *http.Request) {
	f := newForm()
	for _, k := range []string{"wave_session", "wave_seats", "wave_at", "wave_announce", "key"} {
		f.Values[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	// Announce: at the release, those the waitlist could not seat are
	// told by mail and in the app that seats are open (the second chance).
	wave := lanyard.Wave{Session: strings.ToUpper(f.V("wave_session")), Announce: f.V("wave_announce") != ""}
	if wave.Session == "" {
		f.Errors["wave_session"] = h.Shell.T(r, "console.setup.session_required")
	} else if _, err := h.Catalog.Load().Session(wave.Session); err != nil {
		f.Errors["wave_session"] = h.Shell.T(r, "console.setup.unknown_session", "Code", wave.Session)
	}
	if n, err := strconv.Atoi(f.V("wave_seats")); err != nil || n < 1 {
		f.Errors["wave_seats"] = h.Shell.T(r, "console.setup.seats_positive")
	} else {
		wave.Seats = n
	}
	wave.At = h.localTime(r, f, "wave_at")
	if !f.ok() {
		h.renderSetup(w, r, http.StatusUnprocessableEntity, "wave", f)
		return
	}
	out, err := h.engine(r).AddWave(r.Context(), h.actor(r), f.V("key"), wave)
	if err != nil {
		h.refused(w, r, "wave", f, err)
		return
	}
	h.audit(r, "wave", 0, out.Session, fmt.Sprintf("wave=%d seats=%d at=%s announce=%t", out.ID, out.Seats, out.At.Format(time.RFC3339), out.Announce))
	h.done(w, r, "console.setup.wave_added", "#waves")
}

// addOverflow gives a session an overflow room.
func (h *Handler) addOverflow(w http.ResponseWriter, r *http.Request) {
	f := newForm()
	for _, k := range []string{"overflow_session", "overflow_room"} {
		f.Values[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	code := strings.ToUpper(f.V("overflow_session"))
	if _, err := h.Catalog.Load().Session(code); err != nil || code == "" {
		f.Errors["overflow_session"] = h.Shell.T(r, "console.setup.unknown_session", "Code", code)
	}
	venue, room, ok := strings.Cut(f.V("overflow_room"), "/")
	if !ok || venue == "" || room == "" {
		f.Errors["overflow_room"] = h.Shell.T(r, "console.setup.room_format")
	} else if _, found := h.Catalog.Load().Room(venue, room); !found {
		f.Errors["overflow_room"] = h.Shell.T(r, "console.setup.unknown_room")
	}
	if !f.ok() {
		h.renderSetup(w, r, http.StatusUnprocessableEntity, "overflow", f)
		return
	}
	if err := h.engine(r).AddOverflow(r.Context(), code, venue, room); err != nil {
		h.refused(w, r, "overflow", f, err)
		return
	}
	h.audit(r, "overflow", 0, code, venue+"/"+room)
	h.done(w, r, "console.setup.overflow_added", "#overflow")
}

// localTime reads a datetime-local field in the venue's zone.
func (h *Handler) localTime(r *http.Request, f *form, name string) time.Time {
	t, err := time.ParseInLocation(localLayout, f.V(name), h.Catalog.Load().Loc)
	if err != nil {
		f.Errors[name] = h.Shell.T(r, "console.form.datetime")
		return time.Time{}
	}
	return t.UTC()
}

// refused shows the engine's refusal of a form (a domain error's message)
// above it, or the error page for anything else.
func (h *Handler) refused(w http.ResponseWriter, r *http.Request, name string, f *form, err error) {
	if c := lanyard.ErrorCode(err); c != lanyard.EINVALID && c != lanyard.ENOTFOUND && c != lanyard.ECONFLICT {
		h.Shell.ServerError(w, r, err)
		return
	}
	f.Error = lanyard.ErrorMessage(err)
	h.renderSetup(w, r, http.StatusUnprocessableEntity, name, f)
}

// done redirects back to the setup page with a flash.
func (h *Handler) done(w http.ResponseWriter, r *http.Request, msgID, anchor string) {
	h.Shell.Flash(r, "ok", h.Shell.T(r, msgID))
	http.Redirect(w, r, "/console/setup"+anchor, http.StatusSeeOther)
}

// newKey returns a random idempotency key for a form.
func newKey() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}
