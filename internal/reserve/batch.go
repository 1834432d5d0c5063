package reserve

import (
	"context"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Store is what the engine needs of the database.
type Store interface {
	// LoadLedger reads everything the engine's state is rebuilt from.
	LoadLedger(ctx context.Context, eventID int64) (*Snapshot, error)
	// CommitBatch writes one batch in one transaction, or nothing.
	CommitBatch(ctx context.Context, b *Batch) error
}

// Snapshot is the durable reservation state of an event.
type Snapshot struct {
	Settings     SettingsRow
	Holdbacks    map[string]int // session type → percent
	Windows      []WindowRow
	Waves        []WaveRow
	Seats        []SeatRow
	Reservations []KeyRow
	Waitlist     []WaitRow // in seq order
	Wishlists    []KeyRow  // (session, attendee) in each attendee's rank order
	Admissions   []AdmitRow
	Overflow     []OverflowRow
	Idempotency  []IdemRow
	// === places (issue 13): places.go ===
	Places       []PlaceSnap
	PlaceInside  []PlaceRow
	Entitlements []EntitlementRow
	DerivedKeys  []KeySeq  // === party doors: derived.go (their holders are in Entitlements)
	Line         []LineRow // === line: walk-up line rows, in seq order
	LastSeq      int64
	LastBatch    int64

	// === swag (issue 14): swag.go ===
	SwagItems  []SwagSnap
	SwagClaims []SwagClaimRow
}

// SettingsRow mirrors lanyard.ReservationSettings; Exists is false for an
// event no organizer configured.
type SettingsRow struct {
	Exists                                                bool
	ChangesClose, Release, Fair, MaxRes, MaxDay, MaxWaits int
	TravelBlocks                                          bool
	DoorOpens                                             int
	LineOpens, Call                                       int // === line: 0 means the default
}

// WindowRow is a stored reservation window; SessionID 0 means by type.
type WindowRow struct {
	ID          int64
	SessionType string
	SessionID   int64
	Opens       time.Time
	Closes      time.Time
	Draft       bool
	Drafted     bool // the draft has run
}

// WaveRow is a stored wave.
type WaveRow struct {
	ID        int64
	SessionID int64
	Seats     int
	At        time.Time
	Released  bool
	Announce  bool
}

// SeatRow is a session's stored seat counts.
type SeatRow struct {
	SessionID  int64
	Reservable int
	Taken      int
	Released   bool
}

// KeyRow names an attendee's row for a session.
type KeyRow struct {
	SessionID  int64
	AttendeeID int64
}

// WaitRow is a waitlist entry.
type WaitRow struct {
	SessionID  int64
	AttendeeID int64
	Seq        int64
}

// AdmitRow is a door admission.
type AdmitRow struct {
	SessionID  int64
	AttendeeID int64
	Kind       string // reserved, walkup, overflow
}

// OverflowRow is an overflow room of a session.
type OverflowRow struct {
	SessionID int64
	RoomID    int64
	Room      string
	Capacity  int
}

// === line: the walk-up line (line.go) ===

// LineRow is an attendee's place in a session's walk-up line: waiting
// (Seq is their join's log seq, the line's order), called (until
// CalledUntil), expired or admitted.
type LineRow struct {
	SessionID   int64
	AttendeeID  int64
	Seq         int64
	State       string
	CalledUntil time.Time // zero unless called
}

// === end line ===

// IdemRow is a stored answer to an idempotent request.
type IdemRow struct {
	AttendeeID int64
	Key        string
	Request    string
	Response   string
}

// LogRow is one audit log entry.
type LogRow struct {
	BatchID    int64 // set when read back; a batch's rows carry the batch's ID
	Seq        int64
	AttendeeID int64 // 0 for commands of no attendee (a wave, a draw)
	Command    string
	SessionID  int64 // 0 when the command names no single session
	Outcome    string
	Detail     string
}

// Message is a message to an attendee, written with the batch (so a
// rolled-back command sends nothing), by mail and in the app. The engine
// renders no text: Kind is also the template delivery renders, in the
// attendee's language, with Params.
type Message struct {
	AttendeeID int64
	Kind       string
	SessionID  int64
	Params     map[string]string
}

// Fence names the lease a node holds for an event. A batch carrying one
// commits only while the lease still has that holder and epoch.
type Fence struct {
	Holder string
	Epoch  int64
}

// CountRow is a session's seat counts after a batch, for other nodes.
type CountRow struct {
	Code  string
	Count lanyard.SeatCount
}

// Batch is the durable effect of a run of commands: net row changes (a
// reservation made and cancelled within one batch writes nothing), seat
// counts, and the audit log of every command.
type Batch struct {
	EventID int64
	ID      int64
	At      time.Time
	Fence   *Fence // nil on a single node
	// Counts are the touched sessions' counts once the batch commits; a
	// store shared by several nodes tells them (PostgreSQL NOTIFY).
	Counts []CountRow

	Insert   []KeyRow // new active reservations
	Cancel   []KeyRow // active reservations cancelled
	WaitAdd  []WaitRow
	WaitDel  []KeyRow
	Admit    []AdmitRow
	NewSeats []int64 // sessions whose seat row is created (at 0) before Seats apply
	Seats    []SeatDelta
	Log      []LogRow
	Messages []Message
	Idem     []IdemRow
	Settings *SettingsRow
	Holdback map[string]int
	Windows  []WindowRow // new windows
	Waves    []WaveRow   // new waves, or released ones (Released set)
	Overflow []OverflowRow
	// Wishlists replace attendees' ranked wishlists whole.
	Wishlists []Wishlist
	// Drafted names the windows whose draft this batch ran.
	Drafted []int64
	// Sessions are sessions an organizer changed, written whole.
	Sessions []lanyard.Session
	// Schedule are the changelog entries of those changes, each a new
	// schedule version (the store numbers them).
	Schedule []lanyard.ScheduleChange

	// === places (issue 13): places.go ===
	// Places are places created or changed, written whole (by code).
	Places []lanyard.Place
	// PlaceIn and PlaceOut are net rows of place_inside; PlaceInside moves
	// the places' inside counts by as much.
	PlaceIn, PlaceOut []PlaceRow
	PlaceInside       []PlaceDelta
	// Scans are every entry and exit, for the history.
	Scans   []ScanRow
	Certs   []CertRow
	Invites []InviteRow
	Grants  []GrantRow
	// Occupancy are the touched places' counts once the batch commits
	// (other nodes hear them with the seat counts).
	Occupancy []lanyard.Occupancy
	// === line: walk-up line rows written whole (upserted) and deleted ===
	Line    []LineRow
	LineDel []KeyRow

	// === swag (issue 14): swag.go ===
	// SwagItems are items created or changed, written whole (by ID).
	SwagItems []lanyard.SwagItem
	// SwagClaims are the batch's claims; SwagClaimed moves the items'
	// claim counts by as many.
	SwagClaims  []SwagClaimRow
	SwagClaimed []SwagDelta
	// SwagStock are the touched items' counts once the batch commits.
	SwagStock []lanyard.SwagStock
}

// Wishlist is an attendee's ranked sessions.
type Wishlist struct {
	AttendeeID int64
	SessionIDs []int64 // best first
}

// SeatDelta changes a session's seat row: taken moves by TakenDelta (the
// net reservations written in the same batch), reservable and released are
// set. Missing rows are created.
type SeatDelta struct {
	SessionID  int64
	TakenDelta int
	Reservable int
	Released   bool
}

// empty reports whether the batch writes nothing.
func (b *Batch) empty() bool {
	return len(b.Log) == 0 && len(b.Seats) == 0 && b.Settings == nil && len(b.Windows) == 0 &&
		len(b.Waves) == 0 && len(b.Holdback) == 0 && len(b.Overflow) == 0 && len(b.Wishlists) == 0 &&
		len(b.Idem) == 0 && len(b.Drafted) == 0 && len(b.Sessions) == 0 && // an answer kept for retries must survive a restart
		b.placesEmpty() && len(b.Line) == 0 && len(b.LineDel) == 0 && b.swagEmpty()
}
