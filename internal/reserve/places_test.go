package reserve_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

func putPlace(t testing.TB, e *reserve.Engine, p lanyard.Place) {
	t.Helper()
	if _, err := e.PutPlace(context.Background(), 0, "", p); err != nil {
		t.Fatalf("put place %s: %v", p.Code, err)
	}
}

// TestPlaceRules walks one attendee through each refusal of a place's door.
func TestPlaceRules(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 5)
		e := f.open(t, nil)
		staff := f.people[4]
		now := f.clock.Now()
		putPlace(t, e, lanyard.Place{Code: "cert", Name: "Certification lounge", Kind: lanyard.PlaceLounge, Capacity: 2, Entitlement: lanyard.EntitlementCertified})
		putPlace(t, e, lanyard.Place{Code: "expo", Name: "Expo", Kind: lanyard.PlaceExpo, Opens: now.Add(time.Hour)})
		putPlace(t, e, lanyard.Place{Code: "party", Name: "Party", Kind: lanyard.PlaceParty, Closes: now.Add(-time.Minute)})
		putPlace(t, e, lanyard.Place{Code: "vip", Name: "Partner", Kind: lanyard.PlaceLounge, Entitlement: lanyard.InviteKey("acme")})
		a, b, c, d := f.people[0], f.people[1], f.people[2], f.people[3]
		if _, err := e.Certify(ctx, 9, "", []lanyard.CertDecision{{AttendeeID: a, Verified: true}, {AttendeeID: b, Verified: true}, {AttendeeID: c, Verified: true}}); err != nil {
			t.Fatal(err)
		}
		invites, err := db.ResolveInvites(ctx, f.cat.Event.ID, []string{"P0@t.example.com", "nobody@x.example.com"})
		if err != nil {
			t.Fatal(err)
		}
		if invites[0].AttendeeID != a || invites[1].AttendeeID != 0 {
			t.Fatalf("resolved invites %+v", invites)
		}
		if _, err := e.Invite(ctx, 9, "", "acme", invites, false); err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			name      string
			in        bool
			who       int64
			place     string
			want      string
			wantCount int
		}{
			{"not certified", true, d, "cert", lanyard.ENotEntitled, 0},
			{"certified", true, a, "cert", lanyard.OutcomeEntered, 1},
			{"twice", true, a, "cert", lanyard.EAlreadyInside, 1},
			{"second", true, b, "cert", lanyard.OutcomeEntered, 2},
			{"full", true, c, "cert", lanyard.EPlaceFull, 2},
			{"one leaves", false, a, "cert", lanyard.OutcomeExited, 1},
			{"room again", true, c, "cert", lanyard.OutcomeEntered, 2},
			{"not yet open", true, a, "expo", lanyard.EDoorNotOpen, 0},
			{"closed", true, a, "party", lanyard.EDoorClosed, 0},
			{"invited", true, a, "vip", lanyard.OutcomeEntered, 1},
			{"not invited", true, b, "vip", lanyard.ENotEntitled, 1},
			{"exit not inside", false, b, "vip", lanyard.OutcomeExited, 1},
			{"unknown place", true, a, "nope", lanyard.ENOTFOUND, -1},
		}
		for _, s := range steps {
			var r lanyard.SeatResult
			var err error
			if s.in {
				r, err = e.Enter(ctx, 9, s.who, s.place, "")
			} else {
				r, err = e.Exit(ctx, 9, s.who, s.place, "")
			}
			got := r.Outcome
			if err != nil {
				got = lanyard.ErrorCode(err)
			}
			if got != s.want {
				t.Errorf("%s: got %s (%v), want %s", s.name, got, err, s.want)
			}
			if s.wantCount >= 0 {
				o, err := e.Occupancy(s.place)
				if err != nil || o.Inside != s.wantCount {
					t.Errorf("%s: occupancy %+v, %v; want %d inside", s.name, o, err, s.wantCount)
				}
			}
		}
		if o, _ := e.Occupancy("cert"); !o.Full {
			t.Errorf("cert lounge %+v, want full", o)
		}
		// A rejection takes the entitlement away; whoever is inside stays.
		if _, err := e.Certify(ctx, 9, "", []lanyard.CertDecision{{AttendeeID: b, Verified: false}}); err != nil {
			t.Fatal(err)
		}
		e.Exit(ctx, 9, b, "cert", "")
		if _, err := e.Enter(ctx, 9, b, "cert", ""); lanyard.ErrorCode(err) != lanyard.ENotEntitled {
			t.Errorf("after rejection: %v, want not_entitled", err)
		}
		// A retried scan with its key answers the same, and enters once.
		r1, err1 := e.Enter(ctx, staff, d, "expo", "k1")
		f.clock.Add(2 * time.Hour)
		r2, err2 := e.Enter(ctx, staff, d, "expo", "k1")
		if codeOf(err1) != lanyard.EDoorNotOpen || codeOf(err2) != lanyard.EDoorNotOpen || r1.Outcome != r2.Outcome {
			t.Errorf("retry: %v/%v, %v/%v", r1, err1, r2, err2)
		}
		if _, err := e.Enter(ctx, staff, d, "expo", "k2"); err != nil {
			t.Errorf("expo open: %v", err)
		}
		// A reload rebuilds who is inside and the entitlements.
		e.Close()
		e2 := f.open(t, nil)
		in, err := e2.Inside(ctx, "cert")
		if err != nil || !slices.Equal(in, sorted([]int64{c})) {
			t.Errorf("after reload cert inside %v, %v; want [%d]", in, err, c)
		}
		ents, _ := e2.Entitlements(ctx, a)
		if !slices.Equal(ents, []string{"certified", "invite:acme"}) {
			t.Errorf("entitlements after reload %v", ents)
		}
		if ents, _ := e2.Entitlements(ctx, b); len(ents) != 0 {
			t.Errorf("rejected attendee keeps %v", ents)
		}
		if who, _ := e2.EntitledTo(ctx, lanyard.EntitlementCertified); !slices.Equal(who, sorted([]int64{a, c})) {
			t.Errorf("certified after reload: %v, want %d and %d", who, a, c)
		}
		if o, _ := e2.Occupancy("expo"); o.Inside != 1 {
			t.Errorf("expo after reload %+v", o)
		}
		if _, err := e2.PutPlace(ctx, 0, "", lanyard.Place{Code: "x", Name: "X", Kind: lanyard.PlaceParty, Venue: "atlantis"}); lanyard.ErrorField(err) != "venue" {
			t.Errorf("unknown venue: %v", err)
		}
		// A party's door and another place never share a code, either way.
		for _, p := range []lanyard.Place{
			{Code: "party", Name: "A lounge over the party", Kind: lanyard.PlaceLounge},
			{Code: "cert", Name: "A party over the lounge", Kind: lanyard.PlaceParty},
		} {
			if _, err := e2.PutPlace(ctx, 0, "", p); lanyard.ErrorCode(err) != lanyard.ECONFLICT || lanyard.ErrorField(err) != "code" {
				t.Errorf("%s: %v, want conflict on code", p.Name, err)
			}
		}
		list, err := db.Places(ctx, f.cat.Event.ID)
		if err != nil || len(list) != 4 || list[0].Code != "cert" || list[0].Entitlement != "certified" || list[1].Opens.IsZero() {
			t.Errorf("store places %+v, %v", list, err)
		}
	})
}

// TestPlaceValidate refuses bad places with the field named.
func TestPlaceValidate(t *testing.T) {
	now := time.Now()
	for _, tt := range []struct {
		name  string
		p     lanyard.Place
		field string
	}{
		{"ok", lanyard.Place{Code: "a", Name: "A", Kind: lanyard.PlaceLounge}, ""},
		{"code", lanyard.Place{Code: "../x", Name: "A", Kind: lanyard.PlaceLounge}, "code"},
		{"name", lanyard.Place{Code: "a", Name: " ", Kind: lanyard.PlaceLounge}, "name"},
		{"kind", lanyard.Place{Code: "a", Name: "A", Kind: "bar"}, "kind"},
		{"capacity", lanyard.Place{Code: "a", Name: "A", Kind: lanyard.PlaceParty, Capacity: -1}, "capacity"},
		{"hours", lanyard.Place{Code: "a", Name: "A", Kind: lanyard.PlaceParty, Opens: now, Closes: now}, "closes"},
		{"entitlement", lanyard.Place{Code: "a", Name: "A", Kind: lanyard.PlaceLounge, Entitlement: "vip"}, "entitlement"},
		{"invite list", lanyard.Place{Code: "a", Name: "A", Kind: lanyard.PlaceLounge, Entitlement: "invite:a b"}, "entitlement"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			var field string
			if le, ok := err.(*lanyard.Error); ok {
				field = le.Field
			}
			if field != tt.field || (tt.field == "") != (err == nil) {
				t.Errorf("Validate = %v, want field %q", err, tt.field)
			}
		})
	}
}

// placeAck is an acknowledged entry or exit.
type placeAck struct {
	place    string
	attendee int64
	in       bool
}

// TestRandomPlaces drives places with random entries and exits from many
// goroutines, at random capacities, while entitlements and capacities
// change; then it replays the log through a sequential model (no entry
// past the capacity of that moment, no entry without the entitlement, no
// second entry without an exit), and checks that the store, the engine
// and a rebuilt engine agree with it and hold every acknowledged scan.
func TestRandomPlaces(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const workers, perWorker, people = 12, 200, 30
		f := newFixture(t, db, people)
		e := f.open(t, nil)
		seed := rand.Uint64()
		t.Logf("seed %d", seed)
		r0 := rand.New(rand.NewPCG(seed, 99))
		places := []lanyard.Place{
			{Code: "cert", Name: "Cert", Kind: lanyard.PlaceLounge, Capacity: 1 + r0.IntN(6), Entitlement: lanyard.EntitlementCertified},
			{Code: "vip", Name: "VIP", Kind: lanyard.PlaceLounge, Capacity: 1 + r0.IntN(6), Entitlement: lanyard.InviteKey("vip")},
			{Code: "expo", Name: "Expo", Kind: lanyard.PlaceExpo, Capacity: 1 + r0.IntN(12)},
			{Code: "party", Name: "Party", Kind: lanyard.PlaceParty}, // no limit
		}
		for _, p := range places {
			putPlace(t, e, p)
		}
		var mu sync.Mutex
		var acks []placeAck
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(seed, uint64(w)))
				for range perWorker {
					k := r.IntN(people)
					who := f.people[k]
					p := places[r.IntN(len(places))]
					var res lanyard.SeatResult
					var err error
					switch op := r.IntN(100); {
					case op < 50:
						res, err = e.Enter(ctx, 0, who, p.Code, "")
					case op < 85:
						res, err = e.Exit(ctx, 0, who, p.Code, "")
					case op < 92:
						_, err = e.Certify(ctx, 0, "", []lanyard.CertDecision{{AttendeeID: who, Verified: r.IntN(3) > 0}})
					case op < 97:
						_, err = e.Invite(ctx, 0, "", "vip", []lanyard.Invite{{Email: fmt.Sprintf("p%d@t.example.com", k), AttendeeID: who}}, r.IntN(3) == 0)
					default:
						p.Capacity = r.IntN(8)
						_, err = e.PutPlace(ctx, 0, "", p)
					}
					if err != nil {
						switch lanyard.ErrorCode(err) {
						case lanyard.ENotEntitled, lanyard.EPlaceFull, lanyard.EAlreadyInside:
							continue
						}
						t.Errorf("command failed: %v", err)
						return
					}
					if (res.Outcome == lanyard.OutcomeEntered || res.Outcome == lanyard.OutcomeExited) && !res.Already {
						mu.Lock()
						acks = append(acks, placeAck{res.Session, who, res.Outcome == lanyard.OutcomeEntered})
						mu.Unlock()
					}
				}
			}()
		}
		// Readers watch the published counts while the writers run.
		stop := make(chan struct{})
		var readers sync.WaitGroup
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				for _, p := range places {
					if o, err := e.Occupancy(p.Code); err != nil || o.Inside < 0 {
						t.Errorf("occupancy %+v, %v", o, err)
						return
					}
				}
			}
		}()
		wg.Wait()
		close(stop)
		readers.Wait()

		log, err := db.ReservationLog(ctx, f.cat.Event.ID)
		if err != nil {
			t.Fatal(err)
		}
		m := replayPlaces(t, log)
		// Every acknowledged scan is stored, as often as acknowledged, and no other.
		scans, err := db.PlaceScans(ctx, f.cat.Event.ID)
		if err != nil {
			t.Fatal(err)
		}
		stored := map[placeAck]int{}
		for _, s := range scans {
			stored[placeAck{s.Place, s.AttendeeID, s.In}]++
		}
		for _, a := range acks {
			stored[a]--
		}
		for k, n := range stored {
			if n != 0 {
				t.Errorf("%+v: %d more stored scans than acknowledged", k, n)
			}
		}
		// The engine, a rebuilt engine, and the model agree on who is inside.
		e.Close()
		e2 := f.open(t, nil)
		for _, p := range places {
			want := sorted(keys(m.inside[p.Code]))
			for name, eng := range map[string]*reserve.Engine{"rebuilt": e2} {
				got, err := eng.Inside(ctx, p.Code)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s: %s engine inside %v, replay %v", p.Code, name, got, want)
				}
			}
			o, _ := e2.Occupancy(p.Code)
			if o.Inside != len(want) || o.Capacity != m.capacity[p.Code] {
				t.Errorf("%s: occupancy %+v, replay %d inside at capacity %d", p.Code, o, len(want), m.capacity[p.Code])
			}
		}
		for _, who := range f.people {
			got, _ := e2.Entitlements(ctx, who)
			var want []string
			for _, k := range []string{"certified", "invite:vip"} {
				if m.entitled[who][k] {
					want = append(want, k)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("attendee %d: rebuilt entitlements %v, replay %v", who, got, want)
			}
		}
		t.Logf("%d scans acknowledged, %d log rows, %d refused entries", len(acks), len(log), m.refused)
	})
}

type placeModel struct {
	inside   map[string]map[int64]bool
	capacity map[string]int
	key      map[string]string
	entitled map[int64]map[string]bool
	refused  int
}

// replayPlaces applies the log's place commands in order to a model,
// checking each against it.
func replayPlaces(t *testing.T, log []reserve.LogRow) *placeModel {
	t.Helper()
	m := &placeModel{inside: map[string]map[int64]bool{}, capacity: map[string]int{}, key: map[string]string{}, entitled: map[int64]map[string]bool{}}
	field := func(detail, name string) string {
		for _, f := range strings.Fields(detail) {
			if v, ok := strings.CutPrefix(f, name+"="); ok {
				return v
			}
		}
		return ""
	}
	ent := func(who int64, k string, on bool) {
		if m.entitled[who] == nil {
			m.entitled[who] = map[string]bool{}
		}
		m.entitled[who][k] = on
	}
	for _, l := range log {
		fail := func(why string) { t.Fatalf("log seq %d %+v: %s", l.Seq, l, why) }
		pl := field(l.Detail, "place")
		who := l.AttendeeID
		switch l.Command {
		case "place":
			m.capacity[pl], _ = strconv.Atoi(field(l.Detail, "capacity"))
			m.key[pl] = field(l.Detail, "entitlement")
			if m.inside[pl] == nil {
				m.inside[pl] = map[int64]bool{}
			}
		case "certify":
			ent(who, "certified", strings.HasPrefix(l.Detail, "verified"))
		case "invite":
			ent(who, "invite:"+field(l.Detail, "list"), strings.HasPrefix(l.Detail, "invited"))
		case "enter":
			in, cp, k := m.inside[pl], m.capacity[pl], m.key[pl]
			var want string
			switch {
			case k != "" && !m.entitled[who][k]:
				want = lanyard.ENotEntitled
			case in[who]:
				want = lanyard.EAlreadyInside
			case cp > 0 && len(in) >= cp:
				want = lanyard.EPlaceFull
			}
			if l.Outcome == lanyard.OutcomeRefused {
				m.refused++
				if !strings.HasSuffix(l.Detail, " "+want) {
					fail("refused, the model says " + want)
				}
				continue
			}
			if want != "" {
				fail("entered, the model refuses: " + want)
			}
			in[who] = true
			if cp > 0 && len(in) > cp {
				fail(fmt.Sprintf("%d inside, capacity %d", len(in), cp))
			}
		case "exit":
			if strings.HasSuffix(l.Detail, "not_inside") {
				if m.inside[pl][who] {
					fail("exit refused as not inside, but inside")
				}
				continue
			}
			if !m.inside[pl][who] {
				fail("exited without being inside")
			}
			delete(m.inside[pl], who)
		}
	}
	return m
}

// The store refuses, whatever the engine says, a batch that would put more
// inside a place than its capacity, and keeps nothing of it.
func TestStoreRefusesOverfullPlace(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 3)
		e := f.open(t, nil)
		putPlace(t, e, lanyard.Place{Code: "small", Name: "Small", Kind: lanyard.PlaceLounge, Capacity: 1})
		e.Close()
		snap, err := db.LoadLedger(ctx, f.cat.Event.ID)
		if err != nil {
			t.Fatal(err)
		}
		b := &reserve.Batch{EventID: f.cat.Event.ID, ID: snap.LastBatch + 1, At: f.clock.Now(),
			PlaceIn:     []reserve.PlaceRow{{Place: "small", AttendeeID: f.people[0]}, {Place: "small", AttendeeID: f.people[1]}},
			PlaceInside: []reserve.PlaceDelta{{Place: "small", Delta: 2}},
			Log:         []reserve.LogRow{{Seq: snap.LastSeq + 1, Command: "enter", Outcome: lanyard.OutcomeEntered}}}
		if err := db.CommitBatch(ctx, b); err == nil || !strings.Contains(err.Error(), "past capacity") || !strings.Contains(err.Error(), "small") {
			t.Fatalf("overfull batch: %v", err)
		}
		// One entry is within the capacity.
		b.PlaceIn = b.PlaceIn[:1]
		b.PlaceInside = []reserve.PlaceDelta{{Place: "small", Delta: 1}}
		if err := db.CommitBatch(ctx, b); err != nil {
			t.Fatal(err)
		}
		e2 := f.open(t, nil)
		if in, _ := e2.Inside(ctx, "small"); !slices.Equal(in, []int64{f.people[0]}) {
			t.Errorf("inside after the refused batch: %v", in)
		}
	})
}

// An overflow room keeps its own capacity across a reload: walk-ups sent
// there before a restart count against it after.
func TestOverflowCapacitySurvivesReload(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, 8)
		e := f.open(t, nil)
		if err := e.AddOverflow(ctx, "S", "venetian", "Overflow"); err != nil { // 3 seats
			t.Fatal(err)
		}
		f.clock.Set(at(3, 9, 0).Add(-5 * time.Minute)) // door open, seats released
		want := []string{"walkup", "walkup", "overflow", "overflow"}
		for k, w := range want {
			r, _ := e.AdmitWalkup(ctx, 0, f.people[k], "S", "")
			if got := resultCode(r); got != w || (w == "overflow" && r.Room != "Overflow") {
				t.Fatalf("walk-up %d: %s (room %q), want %s", k, got, r.Room, w)
			}
		}
		e.Close()
		e2 := f.open(t, nil)
		for k, w := range []string{"overflow", "session_full"} {
			r, _ := e2.AdmitWalkup(ctx, 0, f.people[4+k], "S", "")
			if got := resultCode(r); got != w {
				t.Fatalf("after reload, walk-up %d: %s, want %s", k, got, w)
			}
		}
	})
}
