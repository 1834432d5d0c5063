package reserve

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Swag (issue 14): exhibitors' limited items and booth events with a
// capacity, claimed by scanning an attendee's badge. Claims are engine
// commands for the reasons seats are: one writer decides against the
// stock and who has claimed, a claim is answered only once its batch has
// committed, and a retry with the same key gets the first answer. The
// store is the second line: swag_claims' primary key allows one claim per
// attendee per item, and swag_items.claimed moves by the claims the same
// transaction inserts, under CHECK (claimed <= stock).

var _ Swag = (*Engine)(nil)

// Swag is the role of exhibitors' limited swag and booth events. A
// refusal comes back in the result and as the error, with its code
// (out_of_stock, already_claimed).
type Swag interface {
	// SwagPut creates an item (ID 0) or changes one (its stock, name,
	// start). caller is the staff member or organizer; exhibitor, when not
	// 0, must be the item's (an exhibitor changes only its own). Returns
	// EINVALID for a bad item or a stock below the claims made.
	SwagPut(ctx context.Context, caller, exhibitor int64, idemKey string, it lanyard.SwagItem) (lanyard.SwagItem, error)
	// SwagClaim gives attendee one of item. exhibitor, when not 0, must be
	// the item's (ENOTFOUND otherwise): booth staff claim only their own.
	SwagClaim(ctx context.Context, caller, exhibitor, attendee, item int64, idemKey string) (lanyard.SwagClaimResult, error)
	// SwagRetire retires an item: no more claims (swag_retired), the
	// claims made stay. exhibitor, when not 0, must be the item's
	// (EFORBIDDEN otherwise). Retiring twice answers the item again.
	SwagRetire(ctx context.Context, caller, exhibitor, item int64, idemKey string) (lanyard.SwagItem, error)
	// SwagItems returns an exhibitor's items (0: every item) with their
	// counts, by ID.
	SwagItems(ctx context.Context, exhibitor int64) ([]lanyard.SwagView, error)
	// SwagClaimed returns the items attendee has claimed, by ID.
	SwagClaimed(ctx context.Context, attendee int64) ([]int64, error)
	// SwagStock returns an item's count as of the last commit, without
	// the loop. Returns ENOTFOUND for an unknown item.
	SwagStock(item int64) (lanyard.SwagStock, error)
}

// swagItem is the live state of one item.
type swagItem struct {
	it      lanyard.SwagItem
	claimed map[int64]bool
}

func (s *swagItem) stock() lanyard.SwagStock {
	return lanyard.StockOf(s.it.ID, s.it.Stock, len(s.claimed))
}

// SwagSnap is a stored item with its stored claim count.
type SwagSnap struct {
	Item    lanyard.SwagItem
	Claimed int
}

// SwagClaimRow is one acknowledged claim; Seq is its log row's.
type SwagClaimRow struct {
	Seq        int64
	ItemID     int64
	AttendeeID int64
	StaffID    int64
}

// SwagDelta moves an item's stored claim count.
type SwagDelta struct {
	ItemID int64
	Delta  int
}

// loadSwag fills the state's items and claims from a snapshot.
func (st *state) loadSwag(snap *Snapshot) error {
	st.swag = make(map[int64]*swagItem, len(snap.SwagItems))
	for _, s := range snap.SwagItems {
		st.swag[s.Item.ID] = &swagItem{it: s.Item, claimed: map[int64]bool{}}
		st.swagNext = max(st.swagNext, s.Item.ID)
	}
	for _, c := range snap.SwagClaims {
		s, ok := st.swag[c.ItemID]
		if !ok {
			return fmt.Errorf("reserve: stored state has a claim of swag item %d, which does not exist", c.ItemID)
		}
		s.claimed[c.AttendeeID] = true
	}
	for _, s := range snap.SwagItems {
		if n := len(st.swag[s.Item.ID].claimed); n != s.Claimed {
			return fmt.Errorf("reserve: swag item %d: its row says %d claimed, its claim rows say %d", s.Item.ID, s.Claimed, n)
		}
	}
	return nil
}

// swagEmpty reports whether the batch writes nothing of swag.
func (b *Batch) swagEmpty() bool {
	return len(b.SwagItems) == 0 && len(b.SwagClaims) == 0
}

// touchSwag notes an item whose count the batch publishes.
func (b *builder) touchSwag(id int64) {
	if b.swag == nil {
		b.swag = map[int64]int{}
	}
	b.swag[id] += 0
}

// finishSwag turns the batch's claims into count deltas and the touched
// items' counts, in item order (the statements' lock order stays the same).
func (b *builder) finishSwag() {
	if b.swag == nil {
		return
	}
	ids := make([]int64, 0, len(b.swag))
	for id := range b.swag {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if d := b.swag[id]; d != 0 {
			b.b.SwagClaimed = append(b.b.SwagClaimed, SwagDelta{id, d})
		}
		b.b.SwagStock = append(b.b.SwagStock, b.st.swag[id].stock())
	}
}

func (st *state) swagItem(id int64, exhibitor int64) (*swagItem, error) {
	s, ok := st.swag[id]
	if !ok || exhibitor != 0 && s.it.ExhibitorID != exhibitor {
		return nil, lanyard.Errorf(lanyard.ENOTFOUND, "No swag item %d.", id)
	}
	return s, nil
}

// claimSwag gives attendee one of s unless they have one or none is left.
func (b *builder) claimSwag(caller, attendee int64, s *swagItem) lanyard.SwagClaimResult {
	item := strconv.FormatInt(s.it.ID, 10)
	res := lanyard.SwagClaimResult{Item: s.it.ID, AttendeeID: attendee}
	var err *lanyard.Error
	switch {
	case s.it.Retired:
		err = lanyard.Errorf(lanyard.ESwagRetired, "%s was retired: it takes no more claims.", s.it.Name)
	case s.claimed[attendee]:
		err = lanyard.Errorf(lanyard.ESwagClaimed, "Already claimed: one %s per attendee.", s.it.Name)
	case len(s.claimed) >= s.it.Stock:
		if s.it.Kind == lanyard.SwagEvent {
			err = lanyard.Errorf(lanyard.ESwagOutOfStock, "%s is full (%d seats).", s.it.Name, s.it.Stock)
		} else {
			err = lanyard.Errorf(lanyard.ESwagOutOfStock, "No %s left (%d given).", s.it.Name, len(s.claimed))
		}
	}
	if err != nil {
		b.log(attendee, "swag_claim", -1, lanyard.OutcomeRefused, "item="+item+" "+err.Code)
		res.Outcome, res.Error, res.Left = lanyard.OutcomeRefused, err, s.stock().Left
		return res
	}
	s.claimed[attendee] = true
	b.touchSwag(s.it.ID)
	b.swag[s.it.ID]++
	b.log(attendee, "swag_claim", -1, lanyard.OutcomeClaimed, "item="+item)
	b.b.SwagClaims = append(b.b.SwagClaims, SwagClaimRow{Seq: b.st.seq, ItemID: s.it.ID, AttendeeID: attendee, StaffID: caller})
	res.Outcome, res.Left = lanyard.OutcomeClaimed, s.stock().Left
	return res
}

// SwagClaim gives attendee one of item: already_claimed and out_of_stock
// refuse. caller is the staff member whose idemKey makes a retried scan
// answer the same.
func (e *Engine) SwagClaim(ctx context.Context, caller, exhibitor, attendee, item int64, idemKey string) (lanyard.SwagClaimResult, error) {
	if attendee <= 0 {
		return lanyard.SwagClaimResult{}, lanyard.Errorf(lanyard.EINVALID, "A claim names an attendee.")
	}
	r, err := as[lanyard.SwagClaimResult](e.do(ctx, caller, idemKey, request("swag_claim", exhibitor, attendee, item), func(b *builder) (any, error) {
		s, err := b.st.swagItem(item, exhibitor)
		if err != nil {
			return nil, err
		}
		return b.claimSwag(caller, attendee, s), nil
	}))
	if err == nil && r.Error != nil {
		err = r.Error
	}
	return r, err
}

// SwagPut creates or changes an item. The stock may not go below the
// claims already made (nobody's claim is taken back).
func (e *Engine) SwagPut(ctx context.Context, caller, exhibitor int64, idemKey string, it lanyard.SwagItem) (lanyard.SwagItem, error) {
	if exhibitor != 0 {
		if it.ExhibitorID != 0 && it.ExhibitorID != exhibitor {
			return it, lanyard.Errorf(lanyard.EFORBIDDEN, "That item is another exhibitor's.")
		}
		it.ExhibitorID = exhibitor
	}
	if err := it.Validate(); err != nil {
		return it, err
	}
	it.Starts = it.Starts.UTC()
	it.Retired = false // SwagRetire's alone
	return as[lanyard.SwagItem](e.do(ctx, caller, idemKey, request("swag_put", exhibitor, it), func(b *builder) (any, error) {
		st := b.st
		if it.ID == 0 {
			st.swagNext++
			it.ID = st.swagNext
			st.swag[it.ID] = &swagItem{claimed: map[int64]bool{}}
		} else {
			s, err := st.swagItem(it.ID, exhibitor)
			if err != nil {
				return nil, err
			}
			if s.it.ExhibitorID != it.ExhibitorID {
				return nil, &lanyard.Error{Code: lanyard.EINVALID, Field: "exhibitor_id", Message: "An item stays with its exhibitor."}
			}
			if s.it.Retired {
				return nil, lanyard.Errorf(lanyard.ESwagRetired, "%s was retired: it cannot change.", s.it.Name)
			}
			if it.Stock < len(s.claimed) {
				return nil, &lanyard.Error{Code: lanyard.EINVALID, Field: "stock", Message: fmt.Sprintf("%d are claimed already: the stock cannot be less.", len(s.claimed))}
			}
		}
		st.swag[it.ID].it = it
		b.b.SwagItems = append(b.b.SwagItems, it)
		b.touchSwag(it.ID)
		b.log(caller, "swag_item", -1, lanyard.OutcomeSettings, fmt.Sprintf("item=%d exhibitor=%d kind=%s stock=%d", it.ID, it.ExhibitorID, it.Kind, it.Stock))
		return it, nil
	}))
}

// SwagRetire retires an item. The flag is written with the item in the
// command's batch (the store's swag_items.retired), so every later claim
// — on this node, after a restart, or on the next lease holder — is
// refused; a claim the engine applied before the retire keeps its place.
func (e *Engine) SwagRetire(ctx context.Context, caller, exhibitor, item int64, idemKey string) (lanyard.SwagItem, error) {
	return as[lanyard.SwagItem](e.do(ctx, caller, idemKey, request("swag_retire", exhibitor, item), func(b *builder) (any, error) {
		s, err := b.st.swagItem(item, 0)
		if err != nil {
			return nil, err
		}
		if exhibitor != 0 && s.it.ExhibitorID != exhibitor {
			return nil, lanyard.Errorf(lanyard.EFORBIDDEN, "That item is another exhibitor's.")
		}
		if s.it.Retired {
			return s.it, nil
		}
		s.it.Retired = true
		b.b.SwagItems = append(b.b.SwagItems, s.it)
		b.touchSwag(s.it.ID)
		b.log(caller, "swag_retire", -1, lanyard.OutcomeSettings, fmt.Sprintf("item=%d exhibitor=%d claimed=%d", s.it.ID, s.it.ExhibitorID, len(s.claimed)))
		return s.it, nil
	}))
}

// SwagItems returns an exhibitor's items (0: all) with their counts.
func (e *Engine) SwagItems(ctx context.Context, exhibitor int64) ([]lanyard.SwagView, error) {
	var out []lanyard.SwagView
	err := e.read(ctx, func(st *state) {
		for _, s := range st.swag {
			if exhibitor == 0 || s.it.ExhibitorID == exhibitor {
				out = append(out, lanyard.ViewOf(s.it, len(s.claimed)))
			}
		}
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

// SwagClaimed returns the items attendee has claimed, by ID.
func (e *Engine) SwagClaimed(ctx context.Context, attendee int64) ([]int64, error) {
	var out []int64
	err := e.read(ctx, func(st *state) {
		for id, s := range st.swag {
			if s.claimed[attendee] {
				out = append(out, id)
			}
		}
	})
	slices.Sort(out)
	return out, err
}

// SwagStock returns an item's count as of the last commit.
func (e *Engine) SwagStock(item int64) (lanyard.SwagStock, error) {
	e.mu.RLock()
	s, ok := e.swagStock[item]
	e.mu.RUnlock()
	if !ok {
		return s, lanyard.Errorf(lanyard.ENOTFOUND, "No swag item %d.", item)
	}
	return s, nil
}

// publishSwag copies every item's count for readers; e.mu is held.
func (e *Engine) publishSwag() {
	e.swagStock = make(map[int64]lanyard.SwagStock, len(e.st.swag))
	for id, s := range e.st.swag {
		e.swagStock[id] = s.stock()
	}
}
