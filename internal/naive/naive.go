// Package naive serves the reservation API on the design most web apps use
// (one database transaction per request, the seat count guarded by a
// conditional UPDATE), so that `lanyard rush` can run the same workload
// against it and against the ledger in one sitting.
//
// It checks capacity and nothing else: no windows, overlaps, repeat groups
// or limits. It implements reserve.Seats, the attendee commands a rush is
// made of, and no other role: the API and the pages register no organizer,
// door, switch or wishlist routes for it.
package naive

import (
	"context"
	"slices"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
)

// Engine implements reserve.Seats with one transaction per request.
type Engine struct {
	DB      *store.DB
	Catalog *catalog.Catalog
}

var _ reserve.Seats = (*Engine)(nil)

func (e *Engine) session(code string) (*lanyard.Session, error) { return e.Catalog.Session(code) }

// Reserve reserves each session in its own transaction.
func (e *Engine) Reserve(ctx context.Context, attendee int64, codes []string, waitlist bool, _ string) ([]lanyard.SeatResult, error) {
	if len(codes) == 0 || len(codes) > reserve.MaxSessionsPerRequest {
		return nil, lanyard.Errorf(lanyard.EINVALID, "Name between 1 and %d sessions.", reserve.MaxSessionsPerRequest)
	}
	out := make([]lanyard.SeatResult, 0, len(codes))
	for _, code := range codes {
		s, err := e.session(code)
		if err != nil {
			out = append(out, lanyard.SeatResult{Session: code, Outcome: lanyard.OutcomeRefused, Error: lanyard.Errorf(lanyard.ENOTFOUND, "No session %q.", code)})
			continue
		}
		res, err := e.DB.ReserveNaive(ctx, s.ID, attendee)
		if err != nil {
			return nil, err
		}
		switch {
		case res == store.NaiveReserved:
			out = append(out, lanyard.SeatResult{Session: code, Outcome: lanyard.OutcomeReserved})
		case res == store.NaiveAlready:
			out = append(out, lanyard.SeatResult{Session: code, Outcome: lanyard.OutcomeReserved, Already: true})
		case waitlist:
			pos, err := e.DB.JoinWaitlistNaive(ctx, s.ID, attendee)
			if err != nil {
				return nil, err
			}
			out = append(out, lanyard.SeatResult{Session: code, Outcome: lanyard.OutcomeWaitlisted, Position: pos})
		default:
			out = append(out, lanyard.SeatResult{Session: code, Outcome: lanyard.OutcomeRefused,
				Error: lanyard.Errorf(lanyard.ESessionFull, "%s is full. Join its waitlist to get the next free seat.", code)})
		}
	}
	return out, nil
}

// Cancel gives a seat back. The naive design promotes nobody.
func (e *Engine) Cancel(ctx context.Context, attendee int64, code, _ string) (lanyard.SeatResult, error) {
	s, err := e.session(code)
	if err != nil {
		return lanyard.SeatResult{}, err
	}
	ok, err := e.DB.CancelNaive(ctx, s.ID, attendee)
	if err != nil {
		return lanyard.SeatResult{}, err
	}
	if !ok {
		return lanyard.SeatResult{}, lanyard.Errorf(lanyard.ENotReserved, "You hold no reservation for %s.", code)
	}
	return lanyard.SeatResult{Session: code, Outcome: lanyard.OutcomeCancelled}, nil
}

// JoinWaitlist reserves a free seat, or joins the waitlist.
func (e *Engine) JoinWaitlist(ctx context.Context, attendee int64, code, key string) (lanyard.SeatResult, error) {
	rs, err := e.Reserve(ctx, attendee, []string{code}, true, key)
	if err != nil {
		return lanyard.SeatResult{}, err
	}
	if rs[0].Error != nil {
		return rs[0], rs[0].Error
	}
	return rs[0], nil
}

// LeaveWaitlist leaves a waitlist.
func (e *Engine) LeaveWaitlist(ctx context.Context, attendee int64, code, _ string) (lanyard.SeatResult, error) {
	s, err := e.session(code)
	if err != nil {
		return lanyard.SeatResult{}, err
	}
	ok, err := e.DB.LeaveWaitlistNaive(ctx, s.ID, attendee)
	if err != nil {
		return lanyard.SeatResult{}, err
	}
	if !ok {
		return lanyard.SeatResult{}, lanyard.Errorf(lanyard.ENOTFOUND, "You are not on the waitlist for %s.", code)
	}
	return lanyard.SeatResult{Session: code, Outcome: lanyard.OutcomeLeftWaitlist}, nil
}

// Agenda lists the attendee's reservations (no waitlists, no warnings).
func (e *Engine) Agenda(ctx context.Context, attendee int64) (*lanyard.Agenda, error) {
	ids, err := e.DB.HeldNaive(ctx, attendee)
	if err != nil {
		return nil, err
	}
	ag := &lanyard.Agenda{Reservations: []lanyard.AgendaItem{}, Waitlists: []lanyard.WaitItem{}, Warnings: []lanyard.Warning{}}
	for _, s := range e.Catalog.Sessions() {
		if slices.Contains(ids, s.ID) {
			ag.Reservations = append(ag.Reservations, lanyard.AgendaItem{Session: s.Code, Title: s.Title, Venue: s.Venue, Room: s.Room, Start: s.Start, End: s.End})
		}
	}
	return ag, nil
}

// Seats reads a session's counts from the database, on every call.
func (e *Engine) Seats(code string) (lanyard.SeatCount, error) {
	s, err := e.session(code)
	if err != nil {
		return lanyard.SeatCount{}, err
	}
	reservable, taken, waiting, err := e.DB.SeatsNaive(context.Background(), s.ID)
	if err != nil {
		return lanyard.SeatCount{}, err
	}
	return lanyard.SeatCount{Capacity: s.Capacity, Reservable: reservable, Taken: taken, SeatsLeft: max(reservable-taken, 0), WaitlistLength: waiting}, nil
}
