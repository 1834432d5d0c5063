package rush

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/demo"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
)

// Allocation is how fairly a window's opening shared the seats out.
type Allocation struct {
	Mode             string  `json:"mode"` // fcfs or draft
	Attendees        int     `json:"attendees"`
	Wishlist         int     `json:"wishlist"`
	SeatsWon         int     `json:"seats_won"`
	FirstChoiceShare float64 `json:"first_choice_share"`
	TopFiveShare     float64 `json:"three_of_top5_share"`
	Gini             float64 `json:"gini"`
	Seconds          float64 `json:"seconds"`
}

// CompareDraft opens the demo's reservations twice on the same wishlists,
// in fresh SQLite databases under dir: first come, first served (attendees
// reserve down their lists as fast as their connections let them, so some
// get all their requests in before others' first arrives), then by the
// preference draft. It measures the outcome for attendees, not speed.
func CompareDraft(ctx context.Context, dir string, attendees, wishlist int, seed int64) ([]Allocation, error) {
	gen := demo.Generate(demo.Options{Seed: seed, Attendees: attendees})
	var out []Allocation
	for _, mode := range []string{"fcfs", "draft"} {
		a, err := allocate(ctx, filepath.Join(dir, mode+".db"), gen, mode, attendees, wishlist, seed)
		if err != nil {
			return nil, fmt.Errorf("rush: %s: %w", mode, err)
		}
		out = append(out, *a)
	}
	return out, nil
}

func allocate(ctx context.Context, path string, gen *demo.Event, mode string, n, k int, seed int64) (*Allocation, error) {
	start := time.Now()
	db, err := store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	c := *gen.Catalog
	if _, err := db.ImportCatalog(ctx, &c); err != nil {
		return nil, err
	}
	var people []*lanyard.Attendee
	for i := range gen.Attendees {
		if gen.Attendees[i].Role == lanyard.RoleAttendee && len(people) < n {
			a := gen.Attendees[i]
			people = append(people, &a)
		}
	}
	if err := db.CreateAttendees(ctx, c.Event.ID, people); err != nil {
		return nil, err
	}
	cat, err := catalog.Load(ctx, db, &c.Event)
	if err != nil {
		return nil, err
	}
	var mu sync.Mutex
	// The clock stands demo.LeadTime before the event, whatever the day:
	// the same seed gives the same outcome.
	day1, err := time.Parse(time.DateOnly, c.Event.StartDate)
	if err != nil {
		return nil, err
	}
	now := day1.Add(-demo.LeadTime)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	e, err := reserve.Open(ctx, db, cat, reserve.Options{Now: clock, Tick: -1})
	if err != nil {
		return nil, err
	}
	defer e.Close()
	settings := lanyard.DefaultReservationSettings()
	settings.FairSeconds = 0 // literal first come, first served, to compare with
	if err := e.SetSettings(ctx, settings); err != nil {
		return nil, err
	}
	opens := now.Add(time.Minute)
	for _, t := range lanyard.SessionTypes {
		w := lanyard.Window{SessionType: t, Opens: opens, Closes: opens.Add(30 * 24 * time.Hour), Draft: mode == "draft"}
		if _, err := e.AddWindow(ctx, 0, "", w); err != nil {
			return nil, err
		}
	}
	var list []Session
	for _, s := range cat.Sessions() {
		rs := Session{Code: s.Code, Capacity: s.Capacity, RepeatGroup: s.RepeatGroup, Reservable: s.Reservable}
		if s.Scheduled() {
			rs.Start = s.Start.Format(time.RFC3339) // as the API writes it
		}
		list = append(list, rs)
	}
	lists := Wishlists(list, gen.Popularity, len(people), k, uint64(seed))
	won := make([][]bool, len(people))
	for a := range won {
		won[a] = make([]bool, len(lists[a]))
	}
	rank := func(a int, code string) int {
		for r, c := range lists[a] {
			if c == code {
				return r
			}
		}
		return -1
	}

	if mode == "draft" {
		if err := parallel(len(people), func(a int) error {
			_, err := e.SetWishlist(ctx, people[a].ID, lists[a], "")
			return err
		}); err != nil {
			return nil, err
		}
		mu.Lock()
		now = opens
		mu.Unlock()
		if err := e.Tick(ctx); err != nil {
			return nil, err
		}
	} else {
		mu.Lock()
		now = opens
		mu.Unlock()
		// Each attendee's requests arrive one connection round trip apart,
		// from 20 ms (a script next door) to seconds (hotel Wi-Fi).
		type req struct {
			at   time.Duration
			a, r int
		}
		rng := rand.New(rand.NewPCG(uint64(seed), 0xfc))
		var reqs []req
		for a := range people {
			rtt := time.Duration(math.Exp(rng.NormFloat64()*0.8+math.Log(300)) * float64(time.Millisecond))
			for r := range lists[a] {
				reqs = append(reqs, req{at: time.Duration(r+1) * rtt, a: a, r: r})
			}
		}
		sort.Slice(reqs, func(i, j int) bool { return reqs[i].at < reqs[j].at })
		// Requests within one 10 ms slice race each other; slices follow in order.
		for lo := 0; lo < len(reqs); {
			hi := lo
			for hi < len(reqs) && reqs[hi].at < reqs[lo].at+10*time.Millisecond {
				hi++
			}
			slice := reqs[lo:hi]
			if err := parallel(len(slice), func(i int) error {
				q := slice[i]
				_, err := e.Reserve(ctx, people[q.a].ID, []string{lists[q.a][q.r]}, false, "")
				return err
			}); err != nil {
				return nil, err
			}
			lo = hi
		}
	}
	for a, p := range people {
		ag, err := e.Agenda(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		for _, it := range ag.Reservations {
			if r := rank(a, it.Session); r >= 0 {
				won[a][r] = true
			}
		}
	}
	first, top5, gini := shares(won)
	seats := 0
	for _, w := range won {
		for _, ok := range w {
			if ok {
				seats++
			}
		}
	}
	return &Allocation{Mode: mode, Attendees: len(people), Wishlist: k, SeatsWon: seats, FirstChoiceShare: first,
		TopFiveShare: top5, Gini: gini, Seconds: time.Since(start).Seconds()}, nil
}

// parallel runs fn(0…n-1) on 256 goroutines and returns the first error.
func parallel(n int, fn func(i int) error) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	next := make(chan int)
	for range min(n, 256) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return first
}
