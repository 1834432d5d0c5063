package reserve

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// seat is the live state of one session.
type seat struct {
	s   *lanyard.Session
	day string // civil date in the event's zone

	reservable int             // seats reservable now (capacity − holdback − withheld waves, never below taken)
	taken      int             // active reservations
	waitlist   []waiter        // in seq order
	waitSeqs   map[int64]int64 // attendee → seq, for the lookups a rush makes on long waitlists
	released   bool            // unclaimed reserved seats went to the walk-up line

	checkedIn int // reserved attendees admitted at the door
	walkups   int // walk-up attendees admitted
	overflow  []overflowRoom

	// === line: the walk-up line (line.go) ===
	line *walkLine // nil until someone joins
}

type waiter struct {
	attendee int64
	seq      int64
}

type overflowRoom struct {
	id       int64
	name     string
	capacity int
	admitted int
}

// person is one attendee's reservations, waitlists and admissions.
type person struct {
	held     []int32 // seat indexes
	waits    []int32
	admitted []int32
	lines    []int32 // === line: sessions whose walk-up line they are or were in (line.go)
}

// window is a reservation window in memory.
type window struct {
	id      int64
	typ     lanyard.SessionType
	session int32 // -1: by type
	opens   time.Time
	closes  time.Time
	pooled  []*command // requests of the fair-opening pool, until it is drawn
	drawn   bool
	draft   bool // open by a snake draft over the wishlists
}

// wave withholds seats until at.
type wave struct {
	id       int64
	session  int32
	seats    int
	at       time.Time
	released bool
	announce bool
}

type idemKey struct {
	attendee int64
	key      string
}

type idemAnswer struct {
	request  string
	response string
}

// state is everything the engine decides on.
type state struct {
	cat      *catalog.Catalog
	seats    []seat
	byCode   map[string]int32
	byID     map[int64]int32
	people   map[int64]*person
	settings lanyard.ReservationSettings
	holdback map[lanyard.SessionType]int
	windows  []*window
	waves    []*wave
	idem     map[idemKey]idemAnswer
	wishlist map[int64][]int32 // attendee → ranked sessions, best first
	seq      int64             // last audit log seq
	batch    int64             // last batch id

	// === places (issue 13): places.go ===
	places   map[string]*place         // by code
	entitled map[int64]map[string]bool // attendee → entitlement keys held
	derived  map[string]*derivedKey    // === party doors: derived.go ===

	// === swag (issue 14): swag.go ===
	swag     map[int64]*swagItem // by item ID
	swagNext int64               // the last item ID given
}

func (st *state) person(id int64) *person {
	p := st.people[id]
	if p == nil {
		p = &person{}
		st.people[id] = p
	}
	return p
}

// newState builds the state from the catalog and a stored snapshot.
func newState(cat *catalog.Catalog, snap *Snapshot, now time.Time) (*state, error) {
	sessions := cat.Sessions()
	st := &state{
		cat:      cat,
		seats:    make([]seat, len(sessions)),
		byCode:   make(map[string]int32, len(sessions)),
		byID:     make(map[int64]int32, len(sessions)),
		people:   map[int64]*person{},
		settings: lanyard.DefaultReservationSettings(),
		holdback: map[lanyard.SessionType]int{},
		idem:     make(map[idemKey]idemAnswer, len(snap.Idempotency)),
		wishlist: map[int64][]int32{},
		seq:      snap.LastSeq,
		batch:    snap.LastBatch,
	}
	if s := snap.Settings; s.Exists {
		st.settings = lanyard.ReservationSettings{ChangesCloseMinutes: s.ChangesClose, ReleaseMinutes: s.Release,
			FairSeconds: s.Fair, MaxReservations: s.MaxRes, MaxPerDay: s.MaxDay, MaxWaitlists: s.MaxWaits, TravelBlocks: s.TravelBlocks,
			DoorOpensMinutes: s.DoorOpens, LineOpensMinutes: s.LineOpens, CallMinutes: s.Call}
	}
	for t, p := range snap.Holdbacks {
		st.holdback[lanyard.SessionType(t)] = p
	}
	for i, s := range sessions {
		st.seats[i] = seat{s: s, day: cat.Day(s)}
		st.byCode[s.Code] = int32(i)
		st.byID[s.ID] = int32(i)
	}
	idx := func(sessionID int64) (int32, error) {
		i, ok := st.byID[sessionID]
		if !ok {
			return 0, fmt.Errorf("reserve: stored state names session %d, which the catalog lacks", sessionID)
		}
		return i, nil
	}
	for _, r := range snap.Seats {
		i, err := idx(r.SessionID)
		if err != nil {
			return nil, err
		}
		st.seats[i].released = r.Released
	}
	for _, w := range snap.Windows {
		win := &window{id: w.ID, typ: lanyard.SessionType(w.SessionType), session: -1, opens: w.Opens, closes: w.Closes, draft: w.Draft}
		if w.SessionID != 0 {
			i, err := idx(w.SessionID)
			if err != nil {
				return nil, err
			}
			win.session = i
		}
		// A window past its fair interval was drawn before the restart (its
		// pool died with the process, unanswered); one still ahead will be.
		fair := time.Duration(snap.Settings.Fair) * time.Second
		if !snap.Settings.Exists {
			fair = time.Duration(lanyard.DefaultReservationSettings().FairSeconds) * time.Second
		}
		win.drawn = !now.Before(w.Opens.Add(fair))
		if w.Draft {
			win.drawn = w.Drafted // a draft that never committed runs (again) at the next tick
		}
		st.windows = append(st.windows, win)
	}
	for _, w := range snap.Waves {
		i, err := idx(w.SessionID)
		if err != nil {
			return nil, err
		}
		st.waves = append(st.waves, &wave{id: w.ID, session: i, seats: w.Seats, at: w.At, released: w.Released, announce: w.Announce})
	}
	for _, r := range snap.Reservations {
		i, err := idx(r.SessionID)
		if err != nil {
			return nil, err
		}
		st.seats[i].taken++
		p := st.person(r.AttendeeID)
		p.held = append(p.held, i)
	}
	for _, w := range snap.Waitlist {
		i, err := idx(w.SessionID)
		if err != nil {
			return nil, err
		}
		st.seats[i].addWaiter(w.AttendeeID, w.Seq)
		p := st.person(w.AttendeeID)
		p.waits = append(p.waits, i)
	}
	for _, w := range snap.Wishlists {
		i, err := idx(w.SessionID)
		if err != nil {
			return nil, err
		}
		st.wishlist[w.AttendeeID] = append(st.wishlist[w.AttendeeID], i)
	}
	for _, o := range snap.Overflow {
		i, err := idx(o.SessionID)
		if err != nil {
			return nil, err
		}
		st.seats[i].overflow = append(st.seats[i].overflow, overflowRoom{id: o.RoomID, name: o.Room, capacity: o.Capacity})
	}
	for _, a := range snap.Admissions {
		i, err := idx(a.SessionID)
		if err != nil {
			return nil, err
		}
		st.admit(i, a.AttendeeID, a.Kind, "")
	}
	// === line: the walk-up lines (line.go) ===
	if err := st.loadLine(snap.Line, idx); err != nil {
		return nil, err
	}
	for _, r := range snap.Idempotency {
		st.idem[idemKey{r.AttendeeID, r.Key}] = idemAnswer{r.Request, r.Response}
	}
	for i := range st.seats {
		st.seats[i].reservable = st.computeReservable(int32(i))
	}
	// === places (issue 13): places.go ===
	if err := st.loadPlaces(snap); err != nil {
		return nil, err
	}
	st.loadDerived(snap) // === party doors: derived.go ===
	// === swag (issue 14): swag.go ===
	if err := st.loadSwag(snap); err != nil {
		return nil, err
	}
	return st, nil
}

// computeReservable is capacity less the walk-up holdback and the seats of
// waves not yet released, never below the seats already taken (an organizer
// raising the holdback does not bump anyone).
func (st *state) computeReservable(i int32) int {
	s := &st.seats[i]
	if !s.s.Reservable || !s.s.Scheduled() {
		return s.taken
	}
	n := s.s.Capacity - s.s.Capacity*st.holdback[s.s.Type]/100
	for _, w := range st.waves {
		if w.session == i && !w.released {
			n -= w.seats
		}
	}
	return max(n, s.taken, 0)
}

// admit records a door admission in memory.
func (st *state) admit(i int32, attendee int64, kind, room string) {
	s := &st.seats[i]
	switch kind {
	case kindReserved:
		s.checkedIn++
	case kindWalkup:
		s.walkups++
	case kindOverflow:
		for k := range s.overflow {
			if s.overflow[k].name == room || room == "" && s.overflow[k].admitted < s.overflow[k].capacity {
				s.overflow[k].admitted++
				break
			}
		}
	}
	p := st.person(attendee)
	p.admitted = append(p.admitted, i)
}

const (
	kindReserved = "reserved"
	kindWalkup   = "walkup"
	kindOverflow = "overflow"
)

func (p *person) holds(i int32) bool       { return slices.Contains(p.held, i) }
func (p *person) waiting(i int32) bool     { return slices.Contains(p.waits, i) }
func (p *person) wasAdmitted(i int32) bool { return slices.Contains(p.admitted, i) }

func remove(list []int32, i int32) []int32 {
	if k := slices.Index(list, i); k >= 0 {
		return slices.Delete(list, k, k+1)
	}
	return list
}

// position returns the 1-based place of attendee in the waitlist, or 0.
func (s *seat) position(attendee int64) int {
	seq, ok := s.waitSeqs[attendee]
	if !ok {
		return 0
	}
	// The waitlist is in seq order: find the place by binary search.
	return sort.Search(len(s.waitlist), func(k int) bool { return s.waitlist[k].seq >= seq }) + 1
}

// seatsLeft is how many seats can still be reserved.
func (s *seat) seatsLeft() int { return max(s.reservable-s.taken, 0) }
