package reserve

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// MaxWishlist bounds a ranked wishlist.
const MaxWishlist = 30

// governs reports whether w is the window session i is reserved under: its
// own windows if it has any, else its type's.
func (st *state) governs(w *window, i int32) bool {
	if w.session >= 0 {
		return w.session == i
	}
	for _, o := range st.windows {
		if o.session == i {
			return false
		}
	}
	return w.typ == st.seats[i].s.Type
}

// draft opens windows ws by a snake draft: the attendees with a wishlist
// naming their sessions, in a random order from a logged seed, each round
// (forward, then backward) get the highest-ranked session still open that
// fits their agenda, until a round gives nobody anything. First come,
// first served follows.
func (b *builder) draft(ws []*window) {
	st := b.st
	drafted := func(i int32) bool {
		return slices.ContainsFunc(ws, func(w *window) bool { return st.governs(w, i) })
	}
	var entrants []int64
	for a, list := range st.wishlist {
		if slices.ContainsFunc(list, drafted) {
			entrants = append(entrants, a)
		}
	}
	slices.Sort(entrants) // map order is random; the seed alone must decide
	seed := rand.Uint64()
	r := rand.New(rand.NewPCG(seed, uint64(ws[0].id)))
	r.Shuffle(len(entrants), func(x, y int) { entrants[x], entrants[y] = entrants[y], entrants[x] })
	ids := make([]int64, len(ws))
	for k, w := range ws {
		ids[k] = w.id
	}
	b.b.Drafted = ids
	b.log(0, "draft", -1, "drawn", fmt.Sprintf("windows=%v entrants=%d seed=%d", ids, len(entrants), seed))
	next := make(map[int64]int, len(entrants)) // next rank to try, per attendee
	for round := 1; len(entrants) > 0; round++ {
		got := make(map[int64]bool, len(entrants))
		for k := range entrants {
			if round%2 == 0 { // snake: every other round runs backwards
				k = len(entrants) - 1 - k
			}
			a := entrants[k]
			got[a] = b.pick(a, drafted, next, round)
		}
		// Whoever got nothing this round has nothing left they can get.
		entrants = slices.DeleteFunc(entrants, func(a int64) bool { return !got[a] })
	}
}

// pick gives attendee a their best remaining drafted wish, if any fits.
func (b *builder) pick(a int64, drafted func(int32) bool, next map[int64]int, round int) bool {
	st := b.st
	list := st.wishlist[a]
	for next[a] < len(list) {
		i := list[next[a]]
		next[a]++
		s := &st.seats[i]
		if !drafted(i) || st.person(a).holds(i) || s.taken >= s.reservable || !s.s.Reservable ||
			st.changesOpen(i, b.now) != nil || st.fits(a, i, -1) != nil ||
			(st.settings.TravelBlocks && len(st.travel(a, i, -1)) > 0) {
			continue
		}
		b.take(a, i)
		b.log(a, "draft", i, lanyard.OutcomeReserved, fmt.Sprintf("round=%d rank=%d", round, next[a]))
		return true
	}
	return false
}

// SetWishlist replaces an attendee's ranked wishlist (best first), which a
// window opening by draft allocates from.
func (e *Engine) SetWishlist(ctx context.Context, attendee int64, codes []string, idemKey string) ([]string, error) {
	if len(codes) > MaxWishlist {
		return nil, lanyard.Errorf(lanyard.EINVALID, "A wishlist ranks at most %d sessions.", MaxWishlist)
	}
	for k, c := range codes {
		if slices.Contains(codes[:k], c) {
			return nil, lanyard.Errorf(lanyard.EINVALID, "Session %s is ranked twice.", c)
		}
	}
	return as[[]string](e.do(ctx, attendee, idemKey, request("wishlist", codes), func(b *builder) (any, error) {
		st := b.st
		list := make([]int32, len(codes))
		ids := make([]int64, len(codes))
		for k, c := range codes {
			i, err := st.session(c)
			if err != nil {
				return nil, err
			}
			list[k], ids[k] = i, st.seats[i].s.ID
		}
		st.wishlist[attendee] = list
		b.b.Wishlists = append(b.b.Wishlists, Wishlist{AttendeeID: attendee, SessionIDs: ids})
		b.log(attendee, "wishlist", -1, lanyard.OutcomeSettings, fmt.Sprint(len(codes)))
		return slices.Clone(codes), nil
	}))
}

// Wishlist returns an attendee's ranked wishlist.
func (e *Engine) Wishlist(ctx context.Context, attendee int64) ([]string, error) {
	out := []string{}
	err := e.read(ctx, func(st *state) {
		for _, i := range st.wishlist[attendee] {
			out = append(out, st.seats[i].s.Code)
		}
	})
	return out, err
}
