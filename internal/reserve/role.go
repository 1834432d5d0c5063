package reserve

import (
	"context"
	"fmt"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// The engine's contract, split by who drives it. Adapters (api, web) take
// the roles they serve; an engine implements the roles it has: *Engine all
// of them, the naive baseline (internal/naive) only Seats. A route of a role
// the engine lacks is not registered, so there is no "unsupported" answer.
//
// A new engine command is a method on *Engine, added to its role here, and
// a route registered as needing the ledger (see docs/ARCHITECTURE.md).

// Counts gives live seat counts. Any node answers it: the lease holder
// from its engine, the others from the counts PostgreSQL NOTIFY brings.
type Counts interface {
	// Seats returns a session's counts as of the last commit.
	// Returns ENOTFOUND for an unknown code.
	Seats(code string) (lanyard.SeatCount, error)
}

// Seats is an attendee's seats: the commands a registration rush is made
// of, which the naive baseline also serves.
type Seats interface {
	Counts
	// Reserve reserves up to MaxSessionsPerRequest sessions, with a result
	// per session; with waitlist a full session waitlists instead.
	// Returns EINVALID for an empty or oversized list.
	Reserve(ctx context.Context, attendee int64, codes []string, waitlist bool, idemKey string) ([]lanyard.SeatResult, error)
	// Cancel gives a reserved seat back. Returns ENOTFOUND for an unknown
	// session, or the rule's code (not_reserved, changes_closed).
	Cancel(ctx context.Context, attendee int64, code, idemKey string) (lanyard.SeatResult, error)
	// JoinWaitlist reserves a free seat or joins the session's waitlist.
	JoinWaitlist(ctx context.Context, attendee int64, code, idemKey string) (lanyard.SeatResult, error)
	// LeaveWaitlist leaves a waitlist. Returns ENOTFOUND if not on it.
	LeaveWaitlist(ctx context.Context, attendee int64, code, idemKey string) (lanyard.SeatResult, error)
	// Agenda returns the attendee's reservations, waitlists and warnings.
	Agenda(ctx context.Context, attendee int64) (*lanyard.Agenda, error)
}

// Plans is the rest of an attendee's planning: switching between repeats
// in one step, and the ranked wishlist the preference draft reads.
type Plans interface {
	// Switch moves a reservation to another session atomically.
	Switch(ctx context.Context, attendee int64, from, to, idemKey string) ([]lanyard.SeatResult, error)
	// SetWishlist replaces the attendee's ranked wishlist and returns it.
	// Returns EINVALID for an unknown or repeated code or too long a list.
	SetWishlist(ctx context.Context, attendee int64, codes []string, idemKey string) ([]string, error)
	// Wishlist returns the attendee's ranked wishlist, best first.
	Wishlist(ctx context.Context, attendee int64) ([]string, error)
}

// Organizer is the organizer's settings of the reservations: rules,
// holdbacks, windows, waves and overflow rooms.
type Organizer interface {
	// Settings returns the event's reservation settings.
	Settings(ctx context.Context) (lanyard.ReservationSettings, error)
	// SetSettings replaces them. Returns EINVALID for settings out of range.
	SetSettings(ctx context.Context, s lanyard.ReservationSettings) error
	// UpdateSettings applies patch to the current settings in the engine's
	// loop, so two organizers' edits do not overwrite each other.
	UpdateSettings(ctx context.Context, patch func(*lanyard.ReservationSettings) error) (lanyard.ReservationSettings, error)
	// Holdbacks returns the walk-up holdback percentage per session type.
	Holdbacks(ctx context.Context) (map[lanyard.SessionType]int, error)
	// SetHoldback sets a type's holdback. Returns EINVALID for an unknown
	// type or a percentage outside 0–100.
	SetHoldback(ctx context.Context, t lanyard.SessionType, percent int) error
	// Windows returns every reservation window, by opening.
	Windows(ctx context.Context) ([]lanyard.Window, error)
	// AddWindow adds a reservation window and returns it with its ID.
	// Returns EINVALID unless it names exactly one of a type and a
	// session and closes after it opens; ENOTFOUND for an unknown session.
	AddWindow(ctx context.Context, caller int64, idemKey string, w lanyard.Window) (lanyard.Window, error)
	// Waves returns every wave, by release instant.
	Waves(ctx context.Context) ([]lanyard.Wave, error)
	// AddWave withholds seats of a session until an instant.
	AddWave(ctx context.Context, caller int64, idemKey string, w lanyard.Wave) (lanyard.Wave, error)
	// AddOverflow gives a session an overflow room. Returns ENOTFOUND for
	// an unknown session or room, EINVALID for the session's own room.
	AddOverflow(ctx context.Context, code, venue, room string) error
	// PreviewChange tells what a session change would do and whom it
	// concerns, changing nothing.
	PreviewChange(ctx context.Context, ch lanyard.SessionChange) (lanyard.ChangePreview, error)
	// ChangeSession saves a session change (time, room, capacity, type,
	// text, or cancellation) with its messages and schedule version.
	ChangeSession(ctx context.Context, caller int64, idemKey string, ch lanyard.SessionChange) (ChangeResult, error)
	// AddSession takes in a session store.CreateSession created (a new
	// repeat of from), with its seats and schedule version.
	AddSession(ctx context.Context, caller int64, idemKey, from string, s lanyard.Session) (ChangeResult, error)
	// CancelTicket gives back the seats and waitlist places of an attendee
	// whose ticket was cancelled (a registration import voided it).
	CancelTicket(ctx context.Context, caller, attendee int64, idemKey string) ([]lanyard.SeatResult, error)
}

// Door is what door staff do at a room: check in a reserved attendee,
// admit a walk-up, release unclaimed seats to the walk-up line. caller is
// the staff member, whose idemKey makes a retried scan answer the same; a
// refusal comes back in the result and as the error, with its rule's code.
type Door interface {
	// CheckIn admits an attendee who holds a reservation.
	CheckIn(ctx context.Context, caller, attendee int64, code, idemKey string) (lanyard.SeatResult, error)
	// AdmitWalkup admits an attendee from the walk-up line.
	AdmitWalkup(ctx context.Context, caller, attendee int64, code, idemKey string) (lanyard.SeatResult, error)
	// ReleaseUnclaimed sends a session's unclaimed reserved seats to the
	// walk-up line now, before the automatic release.
	ReleaseUnclaimed(ctx context.Context, caller int64, code, idemKey string) (lanyard.SeatResult, error)
	// DoorCheckIn is CheckIn with the room's count after it, from one
	// command: the door app shows both (internal/door).
	DoorCheckIn(ctx context.Context, caller, attendee int64, code, idemKey string) (DoorAnswer, error)
	// DoorState returns a session's door count as of the last commit.
	DoorState(ctx context.Context, code string) (DoorState, error)
}

// Ledger is every role: what the ledger (*Engine) serves.
type Ledger interface {
	Seats
	Plans
	Organizer
	Door
	Places
	Line
	Swag // === swag (issue 14): swag.go
}

var (
	_ Seats     = (*Engine)(nil)
	_ Plans     = (*Engine)(nil)
	_ Organizer = (*Engine)(nil)
	_ Door      = (*Engine)(nil)
	_ Line      = (*Engine)(nil)
	_ Ledger    = (*Engine)(nil)
)

type ctxKey struct{}

// NewContext returns ctx carrying e, the engine that serves the request:
// a cluster node serves each ledger request with the engine of the lease
// it holds at that moment, which changes when the lease does.
func NewContext(ctx context.Context, e Ledger) context.Context {
	return context.WithValue(ctx, ctxKey{}, e)
}

// FromContext returns the engine NewContext put in ctx, or nil.
func FromContext(ctx context.Context) Ledger {
	e, _ := ctx.Value(ctxKey{}).(Ledger)
	return e
}

// Has reports whether engine e has role R. Nil stands for the engine a
// cluster node gives each request (a whole Ledger), which has every role.
func Has[R any](e Seats) bool {
	if e == nil {
		return true
	}
	_, ok := e.(R)
	return ok
}

// ForRequest returns the engine that serves a request with ctx: the one
// the context carries (a cluster node's), else fallback (one node's). A
// route that calls the engine on a node holding none was registered as
// served by any node: it panics, naming the route's pattern, so the test
// that walks the route table says which to register as needing the ledger.
func ForRequest(ctx context.Context, fallback Seats, pattern string) Seats {
	if e := FromContext(ctx); e != nil {
		return e
	}
	if fallback == nil {
		panic(fmt.Sprintf("reserve: route %q uses the engine; register it as needing the ledger", pattern))
	}
	return fallback
}

// Line is a session's walk-up line on the attendee's phone (issue 13): an
// attendee joins a full session's line from LineOpensMinutes before its
// start; at the release, unclaimed and walk-up seats are called in order,
// each call lasting CallMinutes; door staff add someone standing in the
// physical line by scanning their badge. A called attendee is admitted by
// Door.CheckIn. *Engine implements it once the line lands.
type Line interface {
	JoinLine(ctx context.Context, attendee int64, code, idemKey string) (lanyard.LineStatus, error)
	LeaveLine(ctx context.Context, attendee int64, code, idemKey string) (lanyard.LineStatus, error)
	// Lines returns the attendee's walk-up lines, with place and chance.
	Lines(ctx context.Context, attendee int64) ([]lanyard.LineStatus, error)
	// AddToLine puts an attendee standing in the physical line at the end
	// of the session's line; caller is the staff member.
	AddToLine(ctx context.Context, caller, attendee int64, code, idemKey string) (lanyard.LineStatus, error)
}

// Places is the doors of places that are not sessions (issue 13): lounges,
// the expo entrance, parties, with in-and-out scans, a capacity and an
// entitlement. A refusal comes back in the result and as the error.
type Places interface {
	// Enter admits attendee into place: ENotEntitled, EPlaceFull,
	// EAlreadyInside refuse.
	Enter(ctx context.Context, caller, attendee int64, place, idemKey string) (lanyard.SeatResult, error)
	// Exit records attendee leaving place.
	Exit(ctx context.Context, caller, attendee int64, place, idemKey string) (lanyard.SeatResult, error)
	// Occupancy returns a place's live count. Any node may answer.
	Occupancy(place string) (lanyard.Occupancy, error)
	// PlaceList returns every place with its count, by code.
	PlaceList(ctx context.Context) ([]lanyard.PlaceView, error)
	// Inside returns who is inside a place now. Returns ENOTFOUND for an
	// unknown place.
	Inside(ctx context.Context, place string) ([]int64, error)
	// Entitlements returns the entitlement keys an attendee holds.
	Entitlements(ctx context.Context, attendee int64) ([]string, error)
	// EntitledTo returns who holds an entitlement key (a door's offline data).
	EntitledTo(ctx context.Context, key string) ([]int64, error)
	// PutPlace creates or replaces a place (by code). Returns EINVALID for
	// a place Place.Validate refuses.
	PutPlace(ctx context.Context, caller int64, idemKey string, p lanyard.Place) (lanyard.Place, error)
	// Certify verifies or rejects certifications (the "certified"
	// entitlement).
	Certify(ctx context.Context, caller int64, idemKey string, ds []lanyard.CertDecision) (int, error)
	// Invite adds emails to an invite list (or removes them), granting or
	// taking "invite:<list>". Returns EINVALID for a bad list name or email.
	Invite(ctx context.Context, caller int64, idemKey, list string, invites []lanyard.Invite, remove bool) (int, error)
	// Grant gives an attendee an entitlement by name and reports whether
	// it was new.
	Grant(ctx context.Context, caller, attendee int64, key, idemKey string) (bool, error)
}

// Occupancies gives places' live counts on any node: the holder's engine,
// elsewhere the counts NOTIFY brings (cluster.Node), like Counts.
type Occupancies interface {
	Occupancy(place string) (lanyard.Occupancy, error)
}
