package reserve

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Settings returns the event's reservation settings.
func (e *Engine) Settings(ctx context.Context) (lanyard.ReservationSettings, error) {
	var out lanyard.ReservationSettings
	err := e.read(ctx, func(st *state) { out = st.settings })
	return out, err
}

// SetSettings replaces the event's reservation settings.
func (e *Engine) SetSettings(ctx context.Context, s lanyard.ReservationSettings) error {
	_, err := e.UpdateSettings(ctx, func(cur *lanyard.ReservationSettings) error {
		*cur = s
		return nil
	})
	return err
}

// UpdateSettings changes the settings with patch, in the loop, so that two
// partial updates cannot overwrite each other, and returns the result.
func (e *Engine) UpdateSettings(ctx context.Context, patch func(*lanyard.ReservationSettings) error) (lanyard.ReservationSettings, error) {
	return as[lanyard.ReservationSettings](e.do(ctx, 0, "", "", func(b *builder) (any, error) {
		s := b.st.settings
		if err := patch(&s); err != nil {
			return nil, err
		}
		if err := s.Validate(); err != nil {
			return nil, err
		}
		b.st.settings = s
		b.b.Settings = &SettingsRow{Exists: true, ChangesClose: s.ChangesCloseMinutes, Release: s.ReleaseMinutes, Fair: s.FairSeconds,
			MaxRes: s.MaxReservations, MaxDay: s.MaxPerDay, MaxWaits: s.MaxWaitlists, TravelBlocks: s.TravelBlocks, DoorOpens: s.DoorOpensMinutes,
			LineOpens: s.LineOpensMinutes, Call: s.CallMinutes}
		b.log(0, "settings", -1, lanyard.OutcomeSettings, fmt.Sprintf("%+v", s))
		return s, nil
	}))
}

// Holdbacks returns the walk-up holdback percentage of each session type that has one.
func (e *Engine) Holdbacks(ctx context.Context) (map[lanyard.SessionType]int, error) {
	out := map[lanyard.SessionType]int{}
	err := e.read(ctx, func(st *state) {
		for t, p := range st.holdback {
			out[t] = p
		}
	})
	return out, err
}

// SetHoldback sets the percentage of a session type's capacity held back
// for the walk-up line. Seats already reserved stay reserved; seats freed
// by a lower holdback go to the waitlists first.
func (e *Engine) SetHoldback(ctx context.Context, t lanyard.SessionType, percent int) error {
	if !t.Valid() {
		return lanyard.Errorf(lanyard.EINVALID, "Unknown session type %q.", t)
	}
	if percent < 0 || percent > 100 {
		return lanyard.Errorf(lanyard.EINVALID, "A holdback is a percentage between 0 and 100.")
	}
	_, err := e.do(ctx, 0, "", "", func(b *builder) (any, error) {
		st := b.st
		st.holdback[t] = percent
		b.b.Holdback = map[string]int{string(t): percent}
		b.log(0, "holdback", -1, lanyard.OutcomeSettings, fmt.Sprintf("%s=%d%%", t, percent))
		for i := range st.seats {
			s := &st.seats[i]
			if s.s.Type != t {
				continue
			}
			if n := st.computeReservable(int32(i)); n != s.reservable {
				s.reservable = n
				b.hit[int32(i)] = true
				b.promote(int32(i))
			}
		}
		return nil, nil
	})
	return err
}

// Windows returns every reservation window, by opening.
func (e *Engine) Windows(ctx context.Context) ([]lanyard.Window, error) {
	var out []lanyard.Window
	err := e.read(ctx, func(st *state) {
		for _, w := range st.windows {
			out = append(out, st.windowOut(w))
		}
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Opens.Before(out[j].Opens) })
	return out, err
}

func (st *state) windowOut(w *window) lanyard.Window {
	lw := lanyard.Window{ID: w.id, SessionType: w.typ, Opens: w.opens, Closes: w.closes, Draft: w.draft}
	if w.session >= 0 {
		lw.Session = st.seats[w.session].s.Code
	}
	return lw
}

// AddWindow adds a reservation window and returns it with its ID. Until the
// first window of a session (or its type) opens, it cannot be reserved.
func (e *Engine) AddWindow(ctx context.Context, caller int64, idemKey string, w lanyard.Window) (lanyard.Window, error) {
	if err := w.Validate(); err != nil {
		return w, err
	}
	return as[lanyard.Window](e.do(ctx, caller, idemKey, request("window", w), func(b *builder) (any, error) {
		st := b.st
		win := &window{id: st.nextID(), typ: w.SessionType, session: -1, opens: w.Opens.UTC(), closes: w.Closes.UTC(), draft: w.Draft}
		row := WindowRow{ID: win.id, SessionType: string(w.SessionType), Opens: win.opens, Closes: win.closes, Draft: w.Draft}
		if w.Session != "" {
			i, err := st.session(w.Session)
			if err != nil {
				return nil, err
			}
			win.session, win.typ = i, ""
			row.SessionID, row.SessionType = st.seats[i].s.ID, ""
		}
		// A window already past its fair interval has nothing to draw; a
		// draft needs a window that has not opened yet.
		win.drawn = !b.now.Before(win.opens.Add(time.Duration(st.settings.FairSeconds) * time.Second))
		if w.Draft && !b.now.Before(win.opens) {
			return nil, lanyard.Errorf(lanyard.EINVALID, "A window opening by draft must open in the future.")
		}
		st.windows = append(st.windows, win)
		b.b.Windows = append(b.b.Windows, row)
		out := st.windowOut(win)
		b.log(0, "window", win.session, lanyard.OutcomeSettings, fmt.Sprintf("window=%d type=%s %s–%s", out.ID, out.SessionType,
			out.Opens.Format(time.RFC3339), out.Closes.Format(time.RFC3339)))
		return out, nil
	}))
}

// AddWave withholds seats of a session until an instant; then they go to
// its waitlist first, in order, and then to everyone.
func (e *Engine) AddWave(ctx context.Context, caller int64, idemKey string, w lanyard.Wave) (lanyard.Wave, error) {
	if err := w.Validate(); err != nil {
		return w, err
	}
	return as[lanyard.Wave](e.do(ctx, caller, idemKey, request("wave", w), func(b *builder) (any, error) {
		st := b.st
		i, err := st.session(w.Session)
		if err != nil {
			return nil, err
		}
		if !w.At.After(b.now) {
			return nil, lanyard.Errorf(lanyard.EINVALID, "A wave's release instant must be in the future.")
		}
		wv := &wave{id: st.nextID(), session: i, seats: w.Seats, at: w.At.UTC(), announce: w.Announce}
		st.waves = append(st.waves, wv)
		b.b.Waves = append(b.b.Waves, WaveRow{ID: wv.id, SessionID: st.seats[i].s.ID, Seats: wv.seats, At: wv.at, Announce: wv.announce})
		st.seats[i].reservable = st.computeReservable(i)
		b.hit[i] = true
		b.log(0, "wave", i, lanyard.OutcomeSettings, fmt.Sprintf("wave=%d seats=%d at=%s", wv.id, wv.seats, wv.at.Format(time.RFC3339)))
		return lanyard.Wave{ID: wv.id, Session: w.Session, Seats: wv.seats, At: wv.at, Announce: wv.announce}, nil
	}))
}

// Waves returns every wave, by release instant.
func (e *Engine) Waves(ctx context.Context) ([]lanyard.Wave, error) {
	var out []lanyard.Wave
	err := e.read(ctx, func(st *state) {
		for _, w := range st.waves {
			out = append(out, lanyard.Wave{ID: w.id, Session: st.seats[w.session].s.Code, Seats: w.seats, At: w.at, Released: w.released, Announce: w.announce})
		}
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, err
}

// AddOverflow gives a session an overflow room, where walk-ups go once the
// room is full. Adding the same room again changes nothing.
func (e *Engine) AddOverflow(ctx context.Context, code, venue, room string) error {
	_, err := e.do(ctx, 0, "", "", func(b *builder) (any, error) {
		st := b.st
		i, err := st.session(code)
		if err != nil {
			return nil, err
		}
		r, ok := st.cat.Room(venue, room)
		if !ok {
			return nil, lanyard.Errorf(lanyard.ENOTFOUND, "No room %q in venue %q.", room, venue)
		}
		s := &st.seats[i]
		if r.ID == s.s.RoomID {
			return nil, lanyard.Errorf(lanyard.EINVALID, "%s cannot overflow into its own room.", code)
		}
		if slices.ContainsFunc(s.overflow, func(o overflowRoom) bool { return o.id == r.ID }) {
			return nil, nil
		}
		s.overflow = append(s.overflow, overflowRoom{id: r.ID, name: r.Name, capacity: r.Capacity})
		b.b.Overflow = append(b.b.Overflow, OverflowRow{SessionID: s.s.ID, RoomID: r.ID, Room: r.Name, Capacity: r.Capacity})
		b.log(0, "overflow", i, lanyard.OutcomeSettings, r.Name)
		return nil, nil
	})
	return err
}

// nextID returns an ID for a new window or wave. The engine is their only
// writer, so it numbers them itself and needs no round trip to learn them.
func (st *state) nextID() int64 {
	var n int64
	for _, w := range st.windows {
		n = max(n, w.id)
	}
	for _, w := range st.waves {
		n = max(n, w.id)
	}
	return n + 1
}

// CancelTicket gives back every seat an attendee whose ticket was
// cancelled holds and takes them off every waitlist, whatever the change
// cutoff: the seats go to the waitlists (promoted as on any cancel) or,
// once the doors rules apply, to the walk-up line. It returns a result per
// session; none when they held nothing. The log names each "cancel" and
// "leave_waitlist" with detail ticket_cancelled.
func (e *Engine) CancelTicket(ctx context.Context, caller, attendee int64, idemKey string) ([]lanyard.SeatResult, error) {
	return as[[]lanyard.SeatResult](e.do(ctx, caller, idemKey, request("cancel_ticket", attendee), func(b *builder) (any, error) {
		st := b.st
		p := st.person(attendee)
		out := []lanyard.SeatResult{}
		for _, i := range slices.Clone(p.waits) {
			b.dropWaiter(attendee, i)
			b.log(attendee, "leave_waitlist", i, lanyard.OutcomeLeftWaitlist, TicketCancelled)
			out = append(out, lanyard.SeatResult{Session: st.seats[i].s.Code, Outcome: lanyard.OutcomeLeftWaitlist})
		}
		// === line: their places in walk-up lines go; a call, to the next.
		for _, i := range slices.Clone(p.lines) {
			if st.seats[i].line.active(attendee) {
				b.dropFromLine(attendee, i, TicketCancelled)
				b.callLine(i)
				out = append(out, lanyard.SeatResult{Session: st.seats[i].s.Code, Outcome: lanyard.OutcomeLeftLine})
			}
		}
		held := slices.Clone(p.held)
		for _, i := range held {
			b.giveBack(attendee, i)
			b.log(attendee, "cancel", i, lanyard.OutcomeCancelled, TicketCancelled)
			out = append(out, lanyard.SeatResult{Session: st.seats[i].s.Code, Outcome: lanyard.OutcomeCancelled})
		}
		// Promote after every seat is back: a waiter may fit one only once
		// another is free of this attendee.
		for _, i := range held {
			b.promote(i)
		}
		return out, nil
	}))
}

// TicketCancelled is the log's detail of a seat given back because the
// attendee's ticket was cancelled.
const TicketCancelled = "ticket_cancelled"
