package reserve

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Places (issue 13): rooms with a door that are not sessions — lounges,
// the expo entrance, parties. Entries and exits are engine commands like
// seats: one writer decides who is inside against the capacity, the
// opening hours and the entitlements it holds, and a batch makes them
// durable (place_inside, place_scans, places.inside with a checked update
// as the second line). Entitlement changes from the console (a
// certification verified or rejected, an import, an invite list) are
// engine commands too, so the engine decides on what is committed.

var _ Places = (*Engine)(nil)

// place is the live state of one place.
type place struct {
	p      lanyard.Place
	inside map[int64]bool
}

func (pl *place) occupancy() lanyard.Occupancy {
	n := len(pl.inside)
	return lanyard.Occupancy{Place: pl.p.Code, Inside: n, Capacity: pl.p.Capacity, Full: pl.p.Capacity > 0 && n >= pl.p.Capacity}
}

// PlaceSnap is a stored place with its stored inside count.
type PlaceSnap struct {
	Place  lanyard.Place
	Inside int
}

// PlaceRow names an attendee inside a place.
type PlaceRow struct {
	Place      string
	AttendeeID int64
}

// PlaceDelta moves a place's stored inside count. The store refuses a rise
// that would pass the capacity.
type PlaceDelta struct {
	Place string
	Delta int
}

// ScanRow is one acknowledged entry (In) or exit; Seq is its log row's.
type ScanRow struct {
	Seq        int64
	Place      string
	AttendeeID int64
	StaffID    int64
	In         bool
}

// CertRow sets an attendee's certification state (verified or rejected);
// an empty Number keeps the stored one.
type CertRow struct {
	AttendeeID int64
	Number     string
	State      string
	Source     string
	By         int64
}

// InviteRow adds an email to an invite list, or removes it.
type InviteRow struct {
	List   string
	Email  string
	Remove bool
}

// GrantRow is an entitlement an organizer granted an attendee by name
// (the console's attendee page): the entitlements table.
type GrantRow struct {
	AttendeeID int64
	Key        string
	By         int64
}

// EntitlementRow is an entitlement an attendee holds, as LoadLedger derives
// it (a verified certification, an invite matching their email).
type EntitlementRow struct {
	AttendeeID int64
	Key        string
}

// placeBuilder is a batch's place effects, for net rows: an attendee who
// enters and leaves within one batch writes no inside row (the scans keep both).
type placeBuilder struct {
	inside map[PlaceRow]bool // touched → inside when the batch began
	hit    map[string]bool
}

func (b *builder) places() *placeBuilder {
	if b.pl == nil {
		b.pl = &placeBuilder{inside: map[PlaceRow]bool{}, hit: map[string]bool{}}
	}
	return b.pl
}

func (b *builder) touchPlace(pl *place, attendee int64) {
	pb := b.places()
	k := PlaceRow{pl.p.Code, attendee}
	if _, ok := pb.inside[k]; !ok {
		pb.inside[k] = pl.inside[attendee]
	}
	pb.hit[pl.p.Code] = true
}

// finishPlaces turns the batch's place effects into net rows and counts.
func (b *builder) finishPlaces() {
	if b.pl == nil {
		return
	}
	delta := map[string]int{}
	keys := make([]PlaceRow, 0, len(b.pl.inside))
	for k := range b.pl.inside {
		keys = append(keys, k)
	}
	// A stable order keeps the statements' row order (and so lock order) the same.
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].Place != keys[j].Place {
			return keys[i].Place < keys[j].Place
		}
		return keys[i].AttendeeID < keys[j].AttendeeID
	})
	for _, k := range keys {
		was := b.pl.inside[k]
		now := b.st.places[k.Place].inside[k.AttendeeID]
		switch {
		case now && !was:
			b.b.PlaceIn = append(b.b.PlaceIn, k)
			delta[k.Place]++
		case was && !now:
			b.b.PlaceOut = append(b.b.PlaceOut, k)
			delta[k.Place]--
		}
	}
	codes := make([]string, 0, len(b.pl.hit))
	for c := range b.pl.hit {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		if d := delta[c]; d != 0 {
			b.b.PlaceInside = append(b.b.PlaceInside, PlaceDelta{c, d})
		}
		b.b.Occupancy = append(b.b.Occupancy, b.st.places[c].occupancy())
	}
}

// placesEmpty reports whether the batch writes nothing of places.
func (b *Batch) placesEmpty() bool {
	return len(b.Places) == 0 && len(b.Certs) == 0 && len(b.Invites) == 0 && len(b.Grants) == 0 && len(b.PlaceIn) == 0 && len(b.PlaceOut) == 0
}

// loadPlaces fills the state's places and entitlements from a snapshot.
func (st *state) loadPlaces(snap *Snapshot) error {
	st.places = make(map[string]*place, len(snap.Places))
	st.entitled = map[int64]map[string]bool{}
	for _, p := range snap.Places {
		st.places[p.Place.Code] = &place{p: p.Place, inside: map[int64]bool{}}
	}
	for _, r := range snap.PlaceInside {
		pl, ok := st.places[r.Place]
		if !ok {
			return fmt.Errorf("reserve: stored state has attendee %d inside place %q, which does not exist", r.AttendeeID, r.Place)
		}
		pl.inside[r.AttendeeID] = true
	}
	for _, p := range snap.Places {
		if n := len(st.places[p.Place.Code].inside); n != p.Inside {
			return fmt.Errorf("reserve: place %s: its row says %d inside, its inside rows say %d", p.Place.Code, p.Inside, n)
		}
	}
	for _, r := range snap.Entitlements {
		st.entitle(r.AttendeeID, r.Key, true)
	}
	return nil
}

func (st *state) entitle(attendee int64, key string, on bool) {
	m := st.entitled[attendee]
	if on {
		if m == nil {
			m = map[string]bool{}
			st.entitled[attendee] = m
		}
		m[key] = true
		return
	}
	delete(m, key)
	if len(m) == 0 {
		delete(st.entitled, attendee)
	}
}

// mayEnter reports whether attendee holds the entitlement key ("" is anyone).
func (st *state) mayEnter(attendee int64, key string) bool {
	return key == "" || st.entitled[attendee][key]
}

func (st *state) place(code string) (*place, error) {
	pl, ok := st.places[code]
	if !ok {
		return nil, lanyard.Errorf(lanyard.ENOTFOUND, "No place %q.", code)
	}
	return pl, nil
}

// enter admits attendee into pl if its door is open, they are entitled,
// not inside already, and it is not full.
func (b *builder) enter(caller, attendee int64, pl *place) lanyard.SeatResult {
	st := b.st
	p := &pl.p
	var err *lanyard.Error
	switch {
	case !p.Opens.IsZero() && b.now.Before(p.Opens):
		err = lanyard.Errorf(lanyard.EDoorNotOpen, "%s opens at %s.", p.Name, st.local(p.Opens))
	case !p.Closes.IsZero() && !b.now.Before(p.Closes):
		err = lanyard.Errorf(lanyard.EDoorClosed, "%s closed at %s.", p.Name, st.local(p.Closes))
	case !st.mayEnter(attendee, p.Entitlement):
		err = lanyard.Errorf(lanyard.ENotEntitled, "%s is for %s only.", p.Name, entitlementWords(p.Entitlement))
	case pl.inside[attendee]:
		err = lanyard.Errorf(lanyard.EAlreadyInside, "Already inside %s: scan them out first.", p.Name)
	case p.Capacity > 0 && len(pl.inside) >= p.Capacity:
		err = lanyard.Errorf(lanyard.EPlaceFull, "%s is full (%d inside).", p.Name, len(pl.inside))
	}
	if err != nil {
		b.log(attendee, "enter", -1, lanyard.OutcomeRefused, "place="+p.Code+" "+err.Code)
		return lanyard.SeatResult{Session: p.Code, Outcome: lanyard.OutcomeRefused, Room: p.Room, Error: err}
	}
	b.touchPlace(pl, attendee)
	pl.inside[attendee] = true
	b.log(attendee, "enter", -1, lanyard.OutcomeEntered, "place="+p.Code)
	b.b.Scans = append(b.b.Scans, ScanRow{Seq: st.seq, Place: p.Code, AttendeeID: attendee, StaffID: caller, In: true})
	return lanyard.SeatResult{Session: p.Code, Outcome: lanyard.OutcomeEntered, Room: p.Room}
}

// exit records attendee leaving pl. Leaving a place one is not inside
// changes nothing (an exit scanned twice, an entry missed): Already.
func (b *builder) exit(caller, attendee int64, pl *place) lanyard.SeatResult {
	p := &pl.p
	if !pl.inside[attendee] {
		b.log(attendee, "exit", -1, lanyard.OutcomeExited, "place="+p.Code+" not_inside")
		return lanyard.SeatResult{Session: p.Code, Outcome: lanyard.OutcomeExited, Room: p.Room, Already: true}
	}
	b.touchPlace(pl, attendee)
	delete(pl.inside, attendee)
	b.log(attendee, "exit", -1, lanyard.OutcomeExited, "place="+p.Code)
	b.b.Scans = append(b.b.Scans, ScanRow{Seq: b.st.seq, Place: p.Code, AttendeeID: attendee, StaffID: caller})
	return lanyard.SeatResult{Session: p.Code, Outcome: lanyard.OutcomeExited, Room: p.Room}
}

func entitlementWords(key string) string {
	if list, ok := lanyard.InviteList(key); ok {
		return "guests on the " + list + " invite list"
	}
	if key == lanyard.EntitlementCertified {
		return "attendees with a verified certification"
	}
	return key
}

// placeCmd runs a command on one place; a refusal comes back both in the
// result and as the error.
func (e *Engine) placeCmd(ctx context.Context, caller int64, idemKey, req, code string, fn func(b *builder, pl *place) lanyard.SeatResult) (lanyard.SeatResult, error) {
	r, err := as[lanyard.SeatResult](e.do(ctx, caller, idemKey, req, func(b *builder) (any, error) {
		pl, err := b.st.place(code)
		if err != nil {
			return nil, err
		}
		return fn(b, pl), nil
	}))
	if err == nil && r.Error != nil {
		err = r.Error
	}
	return r, err
}

// Enter admits attendee into place: door_not_open, door_closed,
// not_entitled, already_inside and place_full refuse. caller is the staff
// member, whose idemKey makes a retried scan answer the same.
func (e *Engine) Enter(ctx context.Context, caller, attendee int64, code, idemKey string) (lanyard.SeatResult, error) {
	return e.placeCmd(ctx, caller, idemKey, request("enter", attendee, code), code, func(b *builder, pl *place) lanyard.SeatResult {
		return b.enter(caller, attendee, pl)
	})
}

// Exit records attendee leaving place.
func (e *Engine) Exit(ctx context.Context, caller, attendee int64, code, idemKey string) (lanyard.SeatResult, error) {
	return e.placeCmd(ctx, caller, idemKey, request("exit", attendee, code), code, func(b *builder, pl *place) lanyard.SeatResult {
		return b.exit(caller, attendee, pl)
	})
}

// Occupancy returns a place's count as of the last commit, without the
// loop. Returns ENOTFOUND for an unknown place.
func (e *Engine) Occupancy(code string) (lanyard.Occupancy, error) {
	e.mu.RLock()
	o, ok := e.occ[code]
	e.mu.RUnlock()
	if !ok {
		return o, lanyard.Errorf(lanyard.ENOTFOUND, "No place %q.", code)
	}
	return o, nil
}

// publishPlaces copies every place's count for readers; e.mu is held.
func (e *Engine) publishPlaces() {
	e.occ = make(map[string]lanyard.Occupancy, len(e.st.places))
	for c, pl := range e.st.places {
		e.occ[c] = pl.occupancy()
	}
}

// PlaceList returns every place with its count, by code.
func (e *Engine) PlaceList(ctx context.Context) ([]lanyard.PlaceView, error) {
	var out []lanyard.PlaceView
	err := e.read(ctx, func(st *state) {
		for _, pl := range st.places {
			out = append(out, lanyard.PlaceView{Place: pl.p, Occupancy: pl.occupancy()})
		}
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, err
}

// Inside returns the attendees inside a place now, in ID order.
func (e *Engine) Inside(ctx context.Context, code string) ([]int64, error) {
	var out []int64
	var lookup error
	err := e.read(ctx, func(st *state) {
		pl, err := st.place(code)
		if err != nil {
			lookup = err
			return
		}
		for a := range pl.inside {
			out = append(out, a)
		}
	})
	if err == nil {
		err = lookup
	}
	slices.Sort(out)
	return out, err
}

// Entitlements returns the entitlement keys attendee holds, sorted.
func (e *Engine) Entitlements(ctx context.Context, attendee int64) ([]string, error) {
	var out []string
	err := e.read(ctx, func(st *state) {
		for k := range st.entitled[attendee] {
			out = append(out, k)
		}
	})
	slices.Sort(out)
	return out, err
}

// EntitledTo returns the attendees who hold an entitlement key, in ID
// order: what a door's offline data needs to decide alone. "" (anyone)
// returns none.
func (e *Engine) EntitledTo(ctx context.Context, key string) ([]int64, error) {
	var out []int64
	err := e.read(ctx, func(st *state) {
		for a, keys := range st.entitled {
			if keys[key] {
				out = append(out, a)
			}
		}
	})
	slices.Sort(out)
	return out, err
}

// PutPlace creates a place or replaces one with the same code. Lowering
// the capacity below those inside refuses entries until enough have left;
// no one is put out.
func (e *Engine) PutPlace(ctx context.Context, caller int64, idemKey string, p lanyard.Place) (lanyard.Place, error) {
	if err := p.Validate(); err != nil {
		return p, err
	}
	p.ID = 0
	return as[lanyard.Place](e.do(ctx, caller, idemKey, request("place", p), func(b *builder) (any, error) {
		st := b.st
		if p.Venue != "" && !slices.ContainsFunc(st.cat.Venues, func(v lanyard.Venue) bool { return v.Code == p.Venue }) {
			return nil, &lanyard.Error{Code: lanyard.EINVALID, Field: "venue", Message: fmt.Sprintf("No venue %q.", p.Venue)}
		}
		pl, ok := st.places[p.Code]
		if ok && (pl.p.Kind == lanyard.PlaceParty) != (p.Kind == lanyard.PlaceParty) {
			// A party's door follows its RSVPs; a lounge or the expo its
			// own rules: one code is never both, whichever asks.
			return nil, &lanyard.Error{Code: lanyard.ECONFLICT, Field: "code",
				Message: fmt.Sprintf("The code %q is the %s %q's: a party's door and another place cannot share a code.", p.Code, pl.p.Kind, pl.p.Name)}
		}
		if !ok {
			pl = &place{inside: map[int64]bool{}}
			st.places[p.Code] = pl
		}
		p.ID = pl.p.ID
		pl.p = p
		b.b.Places = append(b.b.Places, p)
		b.places().hit[p.Code] = true
		b.log(caller, "place", -1, lanyard.OutcomeSettings, fmt.Sprintf("place=%s kind=%s capacity=%d entitlement=%s", p.Code, p.Kind, p.Capacity, p.Entitlement))
		return p, nil
	}))
}

// Certify applies organizers' decisions on certifications: verified (by
// hand or by an import) grants "certified", rejected takes it away. It
// returns how many changed the attendee's entitlement.
func (e *Engine) Certify(ctx context.Context, caller int64, idemKey string, ds []lanyard.CertDecision) (int, error) {
	for _, d := range ds {
		if d.AttendeeID <= 0 {
			return 0, lanyard.Errorf(lanyard.EINVALID, "A decision names no attendee.")
		}
	}
	return as[int](e.do(ctx, caller, idemKey, request("certify", ds), func(b *builder) (any, error) {
		st := b.st
		n := 0
		for _, d := range ds {
			state := lanyard.CertRejected
			if d.Verified {
				state = lanyard.CertVerified
			}
			if st.mayEnter(d.AttendeeID, lanyard.EntitlementCertified) != d.Verified {
				n++
			}
			st.entitle(d.AttendeeID, lanyard.EntitlementCertified, d.Verified)
			src := d.Source
			if src == "" {
				src = "organizer"
			}
			b.b.Certs = append(b.b.Certs, CertRow{AttendeeID: d.AttendeeID, Number: d.Number, State: state, Source: src, By: caller})
			b.log(d.AttendeeID, "certify", -1, lanyard.OutcomeSettings, state+" by="+strconv.FormatInt(caller, 10)+" "+src)
		}
		return n, nil
	}))
}

// Invite adds emails to a partner lounge's invite list, or with remove
// takes them off; registered attendees among them gain or lose the
// entitlement "invite:<list>" at once, others when they register and the
// engine next loads. It returns how many attendees' entitlements changed.
func (e *Engine) Invite(ctx context.Context, caller int64, idemKey, list string, invites []lanyard.Invite, remove bool) (int, error) {
	if err := lanyard.CheckEntitlement(lanyard.InviteKey(list)); err != nil {
		return 0, err
	}
	for k, in := range invites {
		invites[k].Email = strings.ToLower(strings.TrimSpace(in.Email))
		if !strings.Contains(invites[k].Email, "@") {
			return 0, lanyard.Errorf(lanyard.EINVALID, "%q is not an email address.", in.Email)
		}
	}
	key := lanyard.InviteKey(list)
	return as[int](e.do(ctx, caller, idemKey, request("invite", list, invites, remove), func(b *builder) (any, error) {
		st := b.st
		n := 0
		for _, in := range invites {
			b.b.Invites = append(b.b.Invites, InviteRow{List: list, Email: in.Email, Remove: remove})
			if in.AttendeeID == 0 {
				continue
			}
			if st.mayEnter(in.AttendeeID, key) == remove {
				n++
			}
			st.entitle(in.AttendeeID, key, !remove)
			outcome := "invited"
			if remove {
				outcome = "uninvited"
			}
			b.log(in.AttendeeID, "invite", -1, lanyard.OutcomeSettings, outcome+" list="+list)
		}
		return n, nil
	}))
}

// Grant gives an attendee an entitlement by name (the console's attendee
// page: "certified", "invite:<list>", or any other label). It reports
// whether it was new. Returns EINVALID for an empty name.
func (e *Engine) Grant(ctx context.Context, caller, attendee int64, key, idemKey string) (bool, error) {
	key = strings.TrimSpace(key)
	if key == "" || len(key) > 100 {
		return false, &lanyard.Error{Code: lanyard.EINVALID, Field: "entitlement", Message: "An entitlement is a name of 1 to 100 characters."}
	}
	return as[bool](e.do(ctx, caller, idemKey, request("grant", attendee, key), func(b *builder) (any, error) {
		if b.st.mayEnter(attendee, key) {
			return false, nil
		}
		b.st.entitle(attendee, key, true)
		b.b.Grants = append(b.b.Grants, GrantRow{AttendeeID: attendee, Key: key, By: caller})
		b.log(attendee, "grant", -1, lanyard.OutcomeSettings, "granted key="+key)
		return true, nil
	}))
}
