package demo_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/demo"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

func TestGenerate_Deterministic(t *testing.T) {
	a := demo.Generate(demo.Options{Seed: 1})
	b := demo.Generate(demo.Options{Seed: 1})
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two events from seed 1 differ")
	}
	if c := demo.Generate(demo.Options{Seed: 2}); reflect.DeepEqual(a.Catalog, c.Catalog) || reflect.DeepEqual(a.Attendees, c.Attendees) {
		t.Fatal("seeds 1 and 2 give the same catalog or attendees")
	}
	// The catalog of a seed must not change with the number of attendees,
	// so a small test event and a 65,000-person rush see the same sessions.
	if d := demo.Generate(demo.Options{Seed: 1, Attendees: 10}); !reflect.DeepEqual(a.Catalog, d.Catalog) || !reflect.DeepEqual(a.Popularity, d.Popularity) {
		t.Fatal("the catalog changes with the number of attendees")
	}
}

func TestGenerate_Event(t *testing.T) {
	ev := demo.Generate(demo.Options{Seed: 1}).Catalog.Event
	want := lanyard.Event{Slug: "reinvent-demo", Name: "re:Invent (demo)", TimeZone: "America/Los_Angeles", StartDate: "2026-11-30", Days: 5}
	if ev != want {
		t.Fatalf("Event=%+v, want %+v", ev, want)
	}
	if err := ev.Validate(); err != nil {
		t.Fatal(err)
	}
	if got, want := demo.Generate(demo.Options{StartDate: "2027-11-29"}).Catalog.Event.StartDate, "2027-11-29"; got != want {
		t.Fatalf("StartDate=%q, want %q", got, want)
	}
}

func TestStartAfter(t *testing.T) {
	tests := []struct {
		name, now, want string
	}{
		{"four weeks from a Friday", "2026-12-04T15:00:00Z", "2027-01-04"},
		{"a Monday four weeks ahead is taken", "2026-11-02T00:00:00Z", "2026-11-30"},
		{"late on a Sunday", "2026-11-01T23:59:00Z", "2026-11-30"},
		{"across a year and a leap day", "2028-02-01T12:00:00Z", "2028-03-06"},
		{"a zone behind UTC counts in UTC", "2026-11-01T20:00:00-08:00", "2026-11-30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now, err := time.Parse(time.RFC3339, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			got := demo.StartAfter(now)
			if got != tt.want {
				t.Fatalf("StartAfter(%s)=%s, want %s", tt.now, got, tt.want)
			}
			d, _ := time.Parse(time.DateOnly, got)
			if d.Weekday() != time.Monday || d.Sub(now) < 27*24*time.Hour {
				t.Fatalf("StartAfter(%s)=%s: not a Monday four weeks ahead", tt.now, got)
			}
		})
	}
}

func TestGenerate_Venues(t *testing.T) {
	cat := demo.Generate(demo.Options{Seed: 1}).Catalog
	var codes []string
	for _, v := range cat.Venues {
		codes = append(codes, v.Code)
		if len(v.Rooms) < 10 {
			t.Errorf("venue %s has %d rooms, want at least 10", v.Code, len(v.Rooms))
		}
		names := map[string]bool{}
		for _, r := range v.Rooms {
			if names[r.Name] {
				t.Errorf("venue %s has two rooms named %q", v.Code, r.Name)
			}
			names[r.Name] = true
			if r.Capacity < 40 {
				t.Errorf("room %s, %s has %d seats, want at least 40", v.Code, r.Name, r.Capacity)
			}
		}
	}
	if got, want := codes, []string{"venetian", "wynn", "encore", "caesars-forum", "mgm", "mandalay"}; !slices.Equal(got, want) {
		t.Fatalf("venues=%q, want %q", got, want)
	}
}

func TestGenerate_Travel(t *testing.T) {
	cat := demo.Generate(demo.Options{Seed: 1}).Catalog
	seen := map[[2]string]lanyard.TravelTime{}
	for _, tt := range cat.Travel {
		k := [2]string{tt.From, tt.To}
		if _, ok := seen[k]; ok {
			t.Errorf("travel %s→%s listed twice", tt.From, tt.To)
		}
		seen[k] = tt
		if tt.From == tt.To {
			t.Errorf("travel lists venue %s to itself", tt.From)
		}
		if tt.WalkMinutes <= 0 || tt.ShuttleMinutes < 15 || tt.ShuttleMinutes > 35 {
			t.Errorf("travel %s→%s = walk %d, shuttle %d; want walk > 0, shuttle 15–35", tt.From, tt.To, tt.WalkMinutes, tt.ShuttleMinutes)
		}
	}
	for _, a := range cat.Venues {
		for _, b := range cat.Venues {
			if _, ok := seen[[2]string{a.Code, b.Code}]; a.Code != b.Code && !ok {
				t.Errorf("travel %s→%s missing", a.Code, b.Code)
			}
		}
	}
	for _, tc := range []struct {
		from, to       string
		minWalk, maxWk int
	}{
		{"venetian", "wynn", 10, 15},
		{"venetian", "mgm", 35, 45},
		{"venetian", "mandalay", 55, 90},
		{"wynn", "mandalay", 55, 90},
	} {
		if got := seen[[2]string{tc.from, tc.to}].WalkMinutes; got < tc.minWalk || got > tc.maxWk {
			t.Errorf("walk %s→%s = %d min, want %d–%d", tc.from, tc.to, got, tc.minWalk, tc.maxWk)
		}
	}
}

func TestGenerate_SessionMix(t *testing.T) {
	sessions := demo.Generate(demo.Options{Seed: 1}).Catalog.Sessions
	if n := len(sessions); n < 2700 || n > 3300 {
		t.Fatalf("%d sessions, want 2,700–3,300", n)
	}
	byType := map[lanyard.SessionType]int{}
	for _, s := range sessions {
		byType[s.Type]++
	}
	for _, tc := range []struct {
		typ      lanyard.SessionType
		min, max float64 // share of all sessions
	}{
		{lanyard.TypeSession, 0.27, 0.33},
		{lanyard.TypeChalk, 0.22, 0.28},
		{lanyard.TypeBuilders, 0.22, 0.28},
		{lanyard.TypeWorkshop, 0.13, 0.17},
		{lanyard.TypeOther, 0.005, 0.04},
	} {
		if got := float64(byType[tc.typ]) / float64(len(sessions)); got < tc.min || got > tc.max {
			t.Errorf("%s share = %.3f, want %.3f–%.3f", tc.typ, got, tc.min, tc.max)
		}
	}
	if n := byType[lanyard.TypeKeynote]; n < 4 || n > 5 {
		t.Errorf("%d keynotes, want 4–5", n)
	}
}

func TestGenerate_SessionShape(t *testing.T) {
	cat := demo.Generate(demo.Options{Seed: 1}).Catalog
	loc, err := cat.Event.Location()
	if err != nil {
		t.Fatal(err)
	}
	dates, err := cat.Event.DayDates()
	if err != nil {
		t.Fatal(err)
	}
	rooms := map[[2]string]int{}
	for _, v := range cat.Venues {
		for _, r := range v.Rooms {
			rooms[[2]string{v.Code, r.Name}] = r.Capacity
		}
	}
	for _, s := range cat.Sessions {
		if err := s.Validate(); err != nil {
			t.Fatal(err)
		}
		seats, ok := rooms[[2]string{s.Venue, s.Room}]
		if !ok {
			t.Fatalf("%s: room %s, %q is not in the catalog", s.Code, s.Venue, s.Room)
		}
		if s.Capacity != seats || s.CapacityOverride != 0 {
			t.Errorf("%s: Capacity=%d, override %d; want the room's %d, no override", s.Code, s.Capacity, s.CapacityOverride, seats)
		}
		start, end := s.Start.In(loc), s.End.In(loc)
		if !slices.Contains(dates, start.Format(time.DateOnly)) || start.Format(time.DateOnly) != end.Format(time.DateOnly) {
			t.Errorf("%s: runs %s–%s, not within one day of the event", s.Code, start, end)
		}
		if _, ok := happenings[s.Code]; ok {
			continue // checked by TestGenerate_Happenings
		}
		if s.Level < 100 || s.Level > 400 {
			t.Errorf("%s: Level=%d, want 100–400", s.Code, s.Level)
		}
		if n := len(s.Speakers); n < 1 || n > 3 {
			t.Errorf("%s: %d speakers, want 1–3", s.Code, n)
		}
		if len(s.Topics) == 0 || len(s.Abstract) < 80 {
			t.Errorf("%s: no topics, or an abstract shorter than 80 bytes: %q", s.Code, s.Abstract)
		}
		if !s.Reservable && s.Type != lanyard.TypeOther {
			t.Errorf("%s: a %s must be reservable", s.Code, s.Type)
		}
		if start.Hour() < 8 || end.Hour()*60+end.Minute() > 19*60 || start.Minute()%30 != 0 || start.Second() != 0 {
			t.Errorf("%s: runs %s–%s local, want on the half hour within 08:00–19:00", s.Code, start.Format(time.Kitchen), end.Format(time.Kitchen))
		}
	}
}

func TestGenerate_TypeRules(t *testing.T) {
	cat := demo.Generate(demo.Options{Seed: 1}).Catalog
	loc, err := cat.Event.Location()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		typ                  lanyard.SessionType
		minSeats, maxSeats   int
		minMinutes, maxMinus int
	}{
		{lanyard.TypeKeynote, 10000, 100000, 120, 150},
		{lanyard.TypeSession, 150, 1200, 60, 60},
		{lanyard.TypeChalk, 40, 80, 60, 60},
		{lanyard.TypeWorkshop, 70, 150, 120, 120},
		{lanyard.TypeBuilders, 45, 55, 60, 60},
		{lanyard.TypeOther, 40, 1200, 30, 120},
	} {
		t.Run(string(tc.typ), func(t *testing.T) {
			n := 0
			for _, s := range cat.Sessions {
				if _, ok := happenings[s.Code]; s.Type != tc.typ || ok {
					continue
				}
				n++
				if s.Capacity < tc.minSeats || s.Capacity > tc.maxSeats {
					t.Errorf("%s: %d seats, want %d–%d", s.Code, s.Capacity, tc.minSeats, tc.maxSeats)
				}
				if m := int(s.Duration().Minutes()); m < tc.minMinutes || m > tc.maxMinus {
					t.Errorf("%s: %d minutes, want %d–%d", s.Code, m, tc.minMinutes, tc.maxMinus)
				}
				if s.Type == lanyard.TypeKeynote {
					start := s.Start.In(loc)
					if wd := start.Weekday(); wd < time.Tuesday || wd > time.Thursday || start.Hour() >= 12 {
						t.Errorf("%s: starts %s, want a Tuesday–Thursday morning", s.Code, start.Format(time.RFC1123))
					}
				}
			}
			if n == 0 {
				t.Fatal("no sessions of this type")
			}
		})
	}
}

// codeRE is the shape of real re:Invent codes: track, level digit, two
// digits, and a run number for repeats. Keynotes are KEY001 to KEY005.
var codeRE = regexp.MustCompile(`^([A-Z]{3})([0-9])([0-9]{2})(-R[1-4])?$`)

func TestGenerate_Codes(t *testing.T) {
	cat := demo.Generate(demo.Options{Seed: 1}).Catalog
	loc, err := cat.Event.Location()
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	groups := map[string][]lanyard.Session{}
	for _, s := range cat.Sessions {
		if codes[s.Code] {
			t.Errorf("code %s used twice", s.Code)
		}
		codes[s.Code] = true
		m := codeRE.FindStringSubmatch(s.Code)
		if m == nil {
			t.Errorf("code %q does not look like ARC301 or ARC301-R1", s.Code)
			continue
		}
		if s.Type != lanyard.TypeKeynote && m[2] != fmt.Sprint(s.Level/100) {
			t.Errorf("%s: level digit disagrees with Level %d", s.Code, s.Level)
		}
		switch {
		case m[4] == "" && s.RepeatGroup != "":
			t.Errorf("%s: not a repeat but RepeatGroup=%q", s.Code, s.RepeatGroup)
		case m[4] != "" && s.RepeatGroup != strings.TrimSuffix(s.Code, m[4]):
			t.Errorf("%s: RepeatGroup=%q, want %q", s.Code, s.RepeatGroup, strings.TrimSuffix(s.Code, m[4]))
		}
		if s.RepeatGroup != "" {
			groups[s.RepeatGroup] = append(groups[s.RepeatGroup], s)
		}
	}
	if len(groups) < 300 {
		t.Errorf("%d repeat groups, want many", len(groups))
	}
	for g, runs := range groups {
		if len(runs) < 2 || len(runs) > 4 {
			t.Errorf("repeat group %s has %d runs, want 2–4", g, len(runs))
		}
		days := map[string]bool{}
		for i, s := range runs {
			if s.Title != runs[0].Title || s.Type != runs[0].Type || !reflect.DeepEqual(s.Speakers, runs[0].Speakers) {
				t.Errorf("repeat group %s: %s and %s differ in content", g, runs[0].Code, s.Code)
			}
			if want := fmt.Sprintf("%s-R%d", g, i+1); !codes[want] {
				t.Errorf("repeat group %s has no %s", g, want)
			}
			days[s.Start.In(loc).Format(time.DateOnly)] = true
		}
		if len(days) != len(runs) {
			t.Errorf("repeat group %s runs twice on one day", g)
		}
	}
}

func TestGenerate_NoDoubleBooking(t *testing.T) {
	for _, seed := range []int64{1, 2, 3, 42, -7} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			sessions := demo.Generate(demo.Options{Seed: seed}).Catalog.Sessions
			byRoom := map[[2]string][]lanyard.Session{}
			for _, s := range sessions {
				k := [2]string{s.Venue, s.Room}
				byRoom[k] = append(byRoom[k], s)
			}
			for k, list := range byRoom {
				// Catalog.Sessions is sorted by start, so neighbours suffice.
				for i := 1; i < len(list); i++ {
					if list[i-1].Overlaps(&list[i]) {
						t.Errorf("%s, %s: %s and %s overlap", k[0], k[1], list[i-1].Code, list[i].Code)
					}
				}
			}
			// Every seed must place all sessions: none are dropped for want of rooms.
			if n := len(sessions); n < 2700 {
				t.Errorf("%d sessions, want at least 2,700", n)
			}
		})
	}
}

// happenings are the expo's hours and the parties, which the generator
// places by hand: the day (0 is Monday) and the local times of each.
var happenings = map[string]struct {
	title       string
	day         int
	from, to    string // "15:04" on the event's clocks
	venue, room string
}{
	"EXP001": {"Expo opening reception", 0, "16:00", "19:00", "venetian", "Level 2, Expo Hall"},
	"EXP002": {"Expo", 1, "10:00", "18:00", "venetian", "Level 2, Expo Hall"},
	"EXP003": {"Expo", 2, "10:00", "18:00", "venetian", "Level 2, Expo Hall"},
	"EXP004": {"Expo (last day)", 3, "10:00", "16:00", "venetian", "Level 2, Expo Hall"},
	"PTY001": {"Pub crawl", 2, "17:30", "19:30", "mgm", "Level 1, Casino Bars"},
	"PTY002": {"re:Play party", 3, "19:00", "23:00", "mgm", "re:Play, Grand Garden Arena"},
}

func TestGenerate_Happenings(t *testing.T) {
	for _, opt := range []demo.Options{{Seed: 1}, {Seed: 7, StartDate: "2027-11-29"}} {
		t.Run(fmt.Sprint(opt.Seed), func(t *testing.T) {
			cat := demo.Generate(opt).Catalog
			loc, err := cat.Event.Location()
			if err != nil {
				t.Fatal(err)
			}
			dates, err := cat.Event.DayDates()
			if err != nil {
				t.Fatal(err)
			}
			seats := map[[2]string]int{}
			for _, v := range cat.Venues {
				for _, r := range v.Rooms {
					seats[[2]string{v.Code, r.Name}] = r.Capacity
				}
			}
			stages := map[[2]string]bool{}
			for _, h := range happenings {
				stages[[2]string{h.venue, h.room}] = true
			}
			found := map[string]bool{}
			for _, s := range cat.Sessions {
				h, ok := happenings[s.Code]
				if !ok {
					// The stages host the happenings and nothing else.
					if stages[[2]string{s.Venue, s.Room}] {
						t.Errorf("%s runs in %s, %s, a stage of the happenings", s.Code, s.Venue, s.Room)
					}
					continue
				}
				found[s.Code] = true
				if err := s.Validate(); err != nil {
					t.Fatal(err)
				}
				start, end := s.Start.In(loc), s.End.In(loc)
				if got, want := start.Format(time.DateOnly), dates[h.day]; got != want {
					t.Errorf("%s: on %s, want %s (day %d)", s.Code, got, want, h.day)
				}
				if got, want := end.Format(time.DateOnly), dates[h.day]; got != want {
					t.Errorf("%s: ends on %s, want %s", s.Code, got, want)
				}
				if got, want := start.Weekday(), time.Monday+time.Weekday(h.day); got != want {
					t.Errorf("%s: on a %s, want a %s", s.Code, got, want)
				}
				if got, want := start.Format("15:04")+"–"+end.Format("15:04"), h.from+"–"+h.to; got != want {
					t.Errorf("%s: runs %s local, want %s", s.Code, got, want)
				}
				if s.Title != h.title || s.Type != lanyard.TypeOther || s.Reservable || s.Level != 0 || s.RepeatGroup != "" {
					t.Errorf("%s: %q, type %s, reservable %v, level %d, repeat group %q; want %q, other, not reservable, no level, no repeats",
						s.Code, s.Title, s.Type, s.Reservable, s.Level, s.RepeatGroup, h.title)
				}
				if s.Venue != h.venue || s.Room != h.room {
					t.Errorf("%s: in %s, %s; want %s, %s", s.Code, s.Venue, s.Room, h.venue, h.room)
				}
				if got, ok := seats[[2]string{s.Venue, s.Room}]; !ok || s.Capacity != got || got < 5000 {
					t.Errorf("%s: Capacity=%d, room's %d (in catalog: %v); want the room's, at least 5,000", s.Code, s.Capacity, got, ok)
				}
				if len(s.Abstract) < 80 || s.Topics == nil || s.Speakers == nil {
					t.Errorf("%s: abstract %q, topics %v, speakers %v; want an abstract of 80 bytes or more and empty, non-nil lists", s.Code, s.Abstract, s.Topics, s.Speakers)
				}
			}
			for code := range happenings {
				if !found[code] {
					t.Errorf("no %s", code)
				}
			}
		})
	}
}

// The happenings leave the rest of a seed's event as it was: their rooms come
// after the drawn ones and they draw nothing from the random stream. want is
// the digest of seed 1's sessions, popularity and rooms as they were before
// the happenings were added; a change to the generator that is meant to
// change the event must update it.
func TestGenerate_HappeningsDrawNothing(t *testing.T) {
	const want = "60f0497156f57942"
	e := demo.Generate(demo.Options{Seed: 1})
	h := sha256.New()
	n := 0
	for _, s := range e.Catalog.Sessions {
		if _, ok := happenings[s.Code]; ok {
			continue
		}
		n++
		fmt.Fprintf(h, "%s|%s|%s|%s|%d|%q|%s|%s|%s|%s|%d|%s|%t|%v\n", s.Code, s.Title, s.Abstract, s.Type, s.Level, s.Topics,
			s.Venue, s.Room, s.Start.Format(time.RFC3339), s.End.Format(time.RFC3339), s.Capacity, s.RepeatGroup, s.Reservable, e.Popularity[s.Code])
		for _, sp := range s.Speakers {
			fmt.Fprintf(h, "%s|%s|%s\n", sp.Name, sp.JobTitle, sp.Company)
		}
	}
	for _, v := range e.Catalog.Venues {
		stage := false
		for _, r := range v.Rooms {
			if isStage(v.Code, r.Name) {
				stage = true
				continue
			}
			if stage {
				t.Errorf("%s: room %q comes after a stage; stages go last", v.Code, r.Name)
			}
			fmt.Fprintf(h, "%s|%s|%s|%d\n", v.Code, v.Name, r.Name, r.Capacity)
		}
	}
	if n != 2961 || len(e.Popularity) != 2961 {
		t.Errorf("%d sessions and %d shares of popularity besides the happenings, want 2961 of each", n, len(e.Popularity))
	}
	if got := fmt.Sprintf("%x", h.Sum(nil))[:16]; got != want {
		t.Errorf("digest of seed 1's event besides the happenings = %s, want %s", got, want)
	}
}

func isStage(venue, room string) bool {
	for _, h := range happenings {
		if h.venue == venue && h.room == room {
			return true
		}
	}
	return false
}

// The engine takes no reservations, and keeps no waitlist, for a happening:
// attendees walk in.
func TestGenerate_HappeningsNotReservable(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		gen := demo.Generate(demo.Options{Seed: 1, Attendees: 1})
		if _, err := db.ImportCatalog(ctx, gen.Catalog); err != nil {
			t.Fatal(err)
		}
		ev := &gen.Catalog.Event
		people := []*lanyard.Attendee{&gen.Attendees[0]}
		if err := db.CreateAttendees(ctx, ev.ID, people); err != nil {
			t.Fatal(err)
		}
		cat, err := catalog.Load(ctx, db, ev)
		if err != nil {
			t.Fatal(err)
		}
		now := gen.Catalog.Sessions[0].Start.Add(-7 * 24 * time.Hour)
		e, err := reserve.Open(ctx, db, cat, reserve.Options{Now: func() time.Time { return now }, Tick: -1})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { e.Close() })
		settings := lanyard.DefaultReservationSettings()
		settings.FairSeconds = 0
		if err := e.SetSettings(ctx, settings); err != nil {
			t.Fatal(err)
		}
		if _, err := e.AddWindow(ctx, 0, "", lanyard.Window{SessionType: lanyard.TypeOther, Opens: now.Add(-time.Hour), Closes: now.Add(30 * 24 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		a := people[0].ID
		for code := range happenings {
			rs, err := e.Reserve(ctx, a, []string{code}, true, "")
			if err != nil {
				t.Fatal(err)
			}
			if r := rs[0]; r.Error == nil || r.Error.Code != lanyard.ENotReservable {
				t.Errorf("reserve %s: %+v, want %s", code, r, lanyard.ENotReservable)
			}
			if n, err := e.Seats(code); err != nil || n.Reservable != 0 || n.Taken != 0 || n.WaitlistLength != 0 {
				t.Errorf("seats of %s: %+v, %v; want none reservable, taken or waited for", code, n, err)
			}
		}
	})
}

func TestGenerate_SortedByStart(t *testing.T) {
	sessions := demo.Generate(demo.Options{Seed: 1}).Catalog.Sessions
	if !slices.IsSortedFunc(sessions, func(a, b lanyard.Session) int { return a.Start.Compare(b.Start) }) {
		t.Fatal("sessions are not sorted by start")
	}
}

func TestGenerate_Popularity(t *testing.T) {
	e := demo.Generate(demo.Options{Seed: 1})
	if got, want := len(e.Popularity), len(e.Catalog.Sessions)-len(happenings); got != want {
		t.Fatalf("Popularity has %d codes, want %d (all but the happenings)", got, want)
	}
	sum := 0.0
	content := map[string]float64{} // by repeat group, or code when not repeated
	var keynoteMin, otherMax float64 = 1, 0
	for _, s := range e.Catalog.Sessions {
		if _, ok := happenings[s.Code]; ok {
			if p, ok := e.Popularity[s.Code]; ok {
				t.Errorf("%s: popularity %v, want none: a happening draws no demand", s.Code, p)
			}
			continue
		}
		p, ok := e.Popularity[s.Code]
		if !ok || p <= 0 {
			t.Fatalf("%s: popularity %v, %v; want > 0", s.Code, p, ok)
		}
		sum += p
		k := s.RepeatGroup
		if k == "" {
			k = s.Code
		}
		content[k] += p
		if s.Type == lanyard.TypeKeynote {
			keynoteMin = min(keynoteMin, p)
		}
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Fatalf("popularity sums to %v, want 1", sum)
	}
	shares := make([]float64, 0, len(content))
	for k, p := range content {
		shares = append(shares, p)
		if !strings.HasPrefix(k, "KEY") {
			otherMax = max(otherMax, p)
		}
	}
	if keynoteMin <= otherMax {
		t.Errorf("least popular keynote %v ≤ most popular other content %v", keynoteMin, otherMax)
	}
	slices.Sort(shares)
	slices.Reverse(shares)
	top := 0.0
	for _, p := range shares[:len(shares)/100] {
		top += p
	}
	if top <= 0.10 {
		t.Errorf("top 1%% of contents hold %.3f of demand, want > 0.10", top)
	}
	// Repeats share their content's demand evenly.
	for _, s := range e.Catalog.Sessions {
		if s.RepeatGroup != "" && e.Popularity[s.Code] != e.Popularity[s.RepeatGroup+"-R1"] {
			t.Errorf("%s: popularity differs from %s-R1", s.Code, s.RepeatGroup)
		}
	}
}

func TestGenerate_Attendees(t *testing.T) {
	const n = 5000
	people := demo.Generate(demo.Options{Seed: 1, Attendees: n}).Attendees
	emails := map[string]bool{}
	roles := map[lanyard.Role]int{}
	var seoul, america, europe, tokyo, certified, hangul int
	for _, a := range people {
		if err := a.Validate(); err != nil {
			t.Fatal(err)
		}
		if emails[a.Email] {
			t.Errorf("email %s used twice", a.Email)
		}
		emails[a.Email] = true
		roles[a.Role]++
		if a.Company == "" || a.JobTitle == "" || a.HomeZone == "" || a.CreatedAt.IsZero() {
			t.Errorf("%s: company, job title, home zone or created time missing", a.Email)
		}
		if a.Certifications == nil {
			t.Errorf("%s: Certifications is nil, want a list", a.Email)
		}
		if a.Role != lanyard.RoleAttendee {
			continue
		}
		switch z := a.HomeZone; {
		case z == "Asia/Seoul":
			seoul++
		case z == "Asia/Tokyo":
			tokyo++
		case strings.HasPrefix(z, "America/"):
			america++
		case strings.HasPrefix(z, "Europe/"):
			europe++
		}
		if len(a.Certifications) > 0 {
			certified++
		}
		if strings.ContainsFunc(a.Name, func(r rune) bool { return unicode.Is(unicode.Hangul, r) }) {
			hangul++
		}
	}
	if got, want := people[0].Email, "attendee00001@demo.lanyard.dev"; got != want {
		t.Errorf("first email %q, want %q", got, want)
	}
	if !emails["organizer@demo.lanyard.dev"] {
		t.Error("no organizer@demo.lanyard.dev")
	}
	for _, tc := range []struct {
		role     lanyard.Role
		min, max int
	}{
		{lanyard.RoleAttendee, n, n},
		{lanyard.RoleOrganizer, 1, 1},
		{lanyard.RoleStaff, 2, 50},
		{lanyard.RoleExhibitor, 2, 50},
	} {
		if got := roles[tc.role]; got < tc.min || got > tc.max {
			t.Errorf("%d people with role %s, want %d–%d", got, tc.role, tc.min, tc.max)
		}
	}
	for _, tc := range []struct {
		what     string
		got      int
		min, max float64
	}{
		{"home zone Asia/Seoul", seoul, 0.08, 0.12},
		{"home zone America/*", america, 0.55, 0.80},
		{"home zone Europe/*", europe, 0.05, 0.20},
		{"home zone Asia/Tokyo", tokyo, 0.02, 0.08},
		{"certified", certified, 0.26, 0.34},
		{"Hangul names", hangul, 0.08, 0.14},
	} {
		if share := float64(tc.got) / n; share < tc.min || share > tc.max {
			t.Errorf("%s: %.3f of attendees, want %.2f–%.2f", tc.what, share, tc.min, tc.max)
		}
	}
}

func TestGenerate_CertificationsDoNotAlias(t *testing.T) {
	people := demo.Generate(demo.Options{Seed: 1, Attendees: 200}).Attendees
	before := slices.Clone(people[1].Certifications)
	people[0].Certifications = append(people[0].Certifications, "appended")
	if got := people[1].Certifications; !slices.Equal(got, before) {
		t.Fatalf("appending to one attendee's certifications changed the next one's: %q, want %q", got, before)
	}
}

func TestGenerate_BadStartDatePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic for a bad start date")
		}
	}()
	demo.Generate(demo.Options{StartDate: "30/11/2026"})
}

func BenchmarkGenerate65k(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		demo.Generate(demo.Options{Seed: 1, Attendees: 65000})
	}
}
