package cluster

import (
	"context"

	"github.com/lanyardhq/lanyard/internal/api"
	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Engine returns the api.Engine of this node: its own engine's methods while
// it holds the lease, and an "unavailable" error otherwise (Forward sends
// those requests to the holder before they get here). Seats works on every
// node.
func (n *Node) Engine() api.Engine { return facade{n} }

type facade struct{ n *Node }

var _ api.Engine = facade{}

// errUnavailable answers when the lease is changing hands; Forward retries it.
var errUnavailable = lanyard.Errorf(lanyard.EUNAVAILABLE, "The reservation service is changing hands; try again in a moment.")

func (f facade) SetWishlist(ctx context.Context, attendee int64, codes []string, idemKey string) ([]string, error) {
	e := f.n.Local()
	if e == nil {
		return nil, errUnavailable
	}
	return e.SetWishlist(ctx, attendee, codes, idemKey)
}

func (f facade) Wishlist(ctx context.Context, attendee int64) ([]string, error) {
	e := f.n.Local()
	if e == nil {
		return nil, errUnavailable
	}
	return e.Wishlist(ctx, attendee)
}

func (f facade) UpdateSettings(ctx context.Context, patch func(*lanyard.ReservationSettings) error) (lanyard.ReservationSettings, error) {
	e := f.n.Local()
	if e == nil {
		return lanyard.ReservationSettings{}, errUnavailable
	}
	return e.UpdateSettings(ctx, patch)
}

func (f facade) Seats(code string) (lanyard.SeatCount, error) { return f.n.Seats(code) }

func (f facade) Reserve(ctx context.Context, attendee int64, codes []string, waitlist bool, idemKey string) ([]lanyard.SeatResult, error) {
	e := f.n.Local()
	if e == nil {
		return nil, errUnavailable
	}
	return e.Reserve(ctx, attendee, codes, waitlist, idemKey)
}

func (f facade) Cancel(ctx context.Context, attendee int64, code, idemKey string) (lanyard.SeatResult, error) {
	e := f.n.Local()
	if e == nil {
		return lanyard.SeatResult{}, errUnavailable
	}
	return e.Cancel(ctx, attendee, code, idemKey)
}

func (f facade) Switch(ctx context.Context, attendee int64, from, to, idemKey string) ([]lanyard.SeatResult, error) {
	e := f.n.Local()
	if e == nil {
		return nil, errUnavailable
	}
	return e.Switch(ctx, attendee, from, to, idemKey)
}

func (f facade) JoinWaitlist(ctx context.Context, attendee int64, code, idemKey string) (lanyard.SeatResult, error) {
	e := f.n.Local()
	if e == nil {
		return lanyard.SeatResult{}, errUnavailable
	}
	return e.JoinWaitlist(ctx, attendee, code, idemKey)
}

func (f facade) LeaveWaitlist(ctx context.Context, attendee int64, code, idemKey string) (lanyard.SeatResult, error) {
	e := f.n.Local()
	if e == nil {
		return lanyard.SeatResult{}, errUnavailable
	}
	return e.LeaveWaitlist(ctx, attendee, code, idemKey)
}

func (f facade) Agenda(ctx context.Context, attendee int64) (*lanyard.Agenda, error) {
	e := f.n.Local()
	if e == nil {
		return nil, errUnavailable
	}
	return e.Agenda(ctx, attendee)
}

func (f facade) Settings(ctx context.Context) (lanyard.ReservationSettings, error) {
	e := f.n.Local()
	if e == nil {
		return lanyard.ReservationSettings{}, errUnavailable
	}
	return e.Settings(ctx)
}

func (f facade) SetSettings(ctx context.Context, s lanyard.ReservationSettings) error {
	e := f.n.Local()
	if e == nil {
		return errUnavailable
	}
	return e.SetSettings(ctx, s)
}

func (f facade) Holdbacks(ctx context.Context) (map[lanyard.SessionType]int, error) {
	e := f.n.Local()
	if e == nil {
		return nil, errUnavailable
	}
	return e.Holdbacks(ctx)
}

func (f facade) SetHoldback(ctx context.Context, t lanyard.SessionType, percent int) error {
	e := f.n.Local()
	if e == nil {
		return errUnavailable
	}
	return e.SetHoldback(ctx, t, percent)
}

func (f facade) Windows(ctx context.Context) ([]lanyard.Window, error) {
	e := f.n.Local()
	if e == nil {
		return nil, errUnavailable
	}
	return e.Windows(ctx)
}

func (f facade) AddWindow(ctx context.Context, caller int64, idemKey string, w lanyard.Window) (lanyard.Window, error) {
	e := f.n.Local()
	if e == nil {
		return lanyard.Window{}, errUnavailable
	}
	return e.AddWindow(ctx, caller, idemKey, w)
}

func (f facade) Waves(ctx context.Context) ([]lanyard.Wave, error) {
	e := f.n.Local()
	if e == nil {
		return nil, errUnavailable
	}
	return e.Waves(ctx)
}

func (f facade) AddWave(ctx context.Context, caller int64, idemKey string, w lanyard.Wave) (lanyard.Wave, error) {
	e := f.n.Local()
	if e == nil {
		return lanyard.Wave{}, errUnavailable
	}
	return e.AddWave(ctx, caller, idemKey, w)
}

func (f facade) AddOverflow(ctx context.Context, code, venue, room string) error {
	e := f.n.Local()
	if e == nil {
		return errUnavailable
	}
	return e.AddOverflow(ctx, code, venue, room)
}

func (f facade) CheckIn(ctx context.Context, caller, attendee int64, code, idemKey string) (lanyard.SeatResult, error) {
	e := f.n.Local()
	if e == nil {
		return lanyard.SeatResult{}, errUnavailable
	}
	return e.CheckIn(ctx, caller, attendee, code, idemKey)
}

func (f facade) AdmitWalkup(ctx context.Context, caller, attendee int64, code, idemKey string) (lanyard.SeatResult, error) {
	e := f.n.Local()
	if e == nil {
		return lanyard.SeatResult{}, errUnavailable
	}
	return e.AdmitWalkup(ctx, caller, attendee, code, idemKey)
}

func (f facade) ReleaseUnclaimed(ctx context.Context, caller int64, code, idemKey string) (lanyard.SeatResult, error) {
	e := f.n.Local()
	if e == nil {
		return lanyard.SeatResult{}, errUnavailable
	}
	return e.ReleaseUnclaimed(ctx, caller, code, idemKey)
}
