package api

import (
	"context"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
)

// Engine is the reservation engine the API drives: the ledger
// (reserve.Engine), or the naive one-transaction-per-request baseline that
// `lanyard serve --engine naive` runs for comparison.
type Engine interface {
	Reserve(ctx context.Context, attendee int64, codes []string, waitlist bool, idemKey string) ([]lanyard.SeatResult, error)
	Cancel(ctx context.Context, attendee int64, code, idemKey string) (lanyard.SeatResult, error)
	Switch(ctx context.Context, attendee int64, from, to, idemKey string) ([]lanyard.SeatResult, error)
	JoinWaitlist(ctx context.Context, attendee int64, code, idemKey string) (lanyard.SeatResult, error)
	LeaveWaitlist(ctx context.Context, attendee int64, code, idemKey string) (lanyard.SeatResult, error)
	Agenda(ctx context.Context, attendee int64) (*lanyard.Agenda, error)
	SetWishlist(ctx context.Context, attendee int64, codes []string, idemKey string) ([]string, error)
	Wishlist(ctx context.Context, attendee int64) ([]string, error)
	// Seats returns a session's live counts; ENOTFOUND for an unknown code.
	Seats(code string) (lanyard.SeatCount, error)

	Settings(ctx context.Context) (lanyard.ReservationSettings, error)
	SetSettings(ctx context.Context, s lanyard.ReservationSettings) error
	UpdateSettings(ctx context.Context, patch func(*lanyard.ReservationSettings) error) (lanyard.ReservationSettings, error)
	Holdbacks(ctx context.Context) (map[lanyard.SessionType]int, error)
	SetHoldback(ctx context.Context, t lanyard.SessionType, percent int) error
	Windows(ctx context.Context) ([]lanyard.Window, error)
	AddWindow(ctx context.Context, caller int64, idemKey string, w lanyard.Window) (lanyard.Window, error)
	Waves(ctx context.Context) ([]lanyard.Wave, error)
	AddWave(ctx context.Context, caller int64, idemKey string, w lanyard.Wave) (lanyard.Wave, error)
	AddOverflow(ctx context.Context, code, venue, room string) error

	CheckIn(ctx context.Context, caller, attendee int64, code, idemKey string) (lanyard.SeatResult, error)
	AdmitWalkup(ctx context.Context, caller, attendee int64, code, idemKey string) (lanyard.SeatResult, error)
	ReleaseUnclaimed(ctx context.Context, caller int64, code, idemKey string) (lanyard.SeatResult, error)
}

var _ Engine = (*reserve.Engine)(nil)
