package lanyard

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Limited swag and booth events with a capacity (issue 14): an exhibitor's
// item with a stock, or a booth event with seats, claimed by scanning an
// attendee's badge. At most one claim per attendee per item, never more
// claims than the stock: the reservation engine decides (reserve.Swag) and
// the store holds the same two rules as its second line.

// Swag refusal codes.
const (
	// ESwagOutOfStock refuses a claim of an item whose stock is gone (or a
	// booth event that is full): 409.
	ESwagOutOfStock = "out_of_stock"
	// ESwagClaimed refuses a second claim of one item by one attendee: 409.
	ESwagClaimed = "already_claimed"
	// EPrizeNotEarned refuses the passport's prize to an attendee with too
	// few stamps: 409.
	EPrizeNotEarned = "prize_not_earned"
	// EPrizeHanded refuses the passport's prize a second time: 409.
	EPrizeHanded = "prize_handed"
)

// OutcomeClaimed is the log outcome of an acknowledged swag claim.
const OutcomeClaimed = "claimed"

// SwagKind is what is claimed: a thing handed over, or a seat at a booth
// event (a talk, a first-day-only giveaway).
type SwagKind string

// Swag kinds.
const (
	SwagThing SwagKind = "item"
	SwagEvent SwagKind = "event"
)

// MaxSwagStock bounds an item's stock.
const MaxSwagStock = 1_000_000

// SwagItem is an exhibitor's limited item or booth event. ID is numbered
// by the engine (0 creates one).
type SwagItem struct {
	ID          int64    `json:"id"`
	ExhibitorID int64    `json:"exhibitor_id"`
	Kind        SwagKind `json:"kind"`
	Name        string   `json:"name"`
	// Stock is how many may be claimed in all (a booth event's capacity).
	Stock int `json:"stock"`
	// Starts is a booth event's start; zero for a thing.
	Starts time.Time `json:"starts_at,omitzero"`
	// Retired items take no more claims and leave the booth's live
	// stock; the claims made stay (reserve.Swag's SwagRetire).
	Retired bool `json:"retired,omitempty"`
}

// Validate checks an item's fields; the engine checks the exhibitor and
// that the stock is never below the claims already made.
func (it *SwagItem) Validate() error {
	it.Name = strings.TrimSpace(it.Name)
	if it.Kind == "" {
		it.Kind = SwagThing
	}
	switch {
	case it.ExhibitorID <= 0:
		return &Error{Code: EINVALID, Field: "exhibitor_id", Message: "An item belongs to an exhibitor."}
	case it.Kind != SwagThing && it.Kind != SwagEvent:
		return &Error{Code: EINVALID, Field: "kind", Message: `The kind is "item" or "event".`}
	case it.Name == "" || utf8.RuneCountInString(it.Name) > 100:
		return &Error{Code: EINVALID, Field: "name", Message: "A name of 1 to 100 characters."}
	case it.Stock < 0 || it.Stock > MaxSwagStock:
		return &Error{Code: EINVALID, Field: "stock", Message: "The stock is between 0 and 1,000,000."}
	}
	return nil
}

// SwagStock is an item's live count.
type SwagStock struct {
	Item    int64 `json:"item"`
	Stock   int   `json:"stock"`
	Claimed int   `json:"claimed"`
	Left    int   `json:"left"`
}

// StockOf makes an item's count.
func StockOf(item int64, stock, claimed int) SwagStock {
	return SwagStock{Item: item, Stock: stock, Claimed: claimed, Left: max(stock-claimed, 0)}
}

// SwagView is an item with its count.
type SwagView struct {
	SwagItem
	Claimed int `json:"claimed"`
	Left    int `json:"left"`
}

// ViewOf makes an item's view from its claims.
func ViewOf(it SwagItem, claimed int) SwagView {
	return SwagView{SwagItem: it, Claimed: claimed, Left: max(it.Stock-claimed, 0)}
}

// Count is the view's count.
func (v SwagView) Count() SwagStock { return StockOf(v.ID, v.Stock, v.Claimed) }

// SwagClaimResult answers a claim: claimed, or refused with the rule's
// error; Left is the stock left after it.
type SwagClaimResult struct {
	Item       int64  `json:"item"`
	AttendeeID int64  `json:"attendee_id"`
	Outcome    string `json:"outcome"`
	Left       int    `json:"left"`
	Error      *Error `json:"error,omitempty"`
}

// Passport is the event's booth passport: visit Needed booths of the
// list (stamped by each booth's staff scanning the attendee's badge), then
// the info desk hands the Prize, once.
type Passport struct {
	Name   string  `json:"name"`
	Prize  string  `json:"prize"`
	Needed int     `json:"needed"`
	Booths []int64 `json:"booths"` // exhibitor IDs
}

// Validate checks a passport.
func (p *Passport) Validate() error {
	p.Name, p.Prize = strings.TrimSpace(p.Name), strings.TrimSpace(p.Prize)
	switch {
	case p.Name == "" || utf8.RuneCountInString(p.Name) > 100:
		return &Error{Code: EINVALID, Field: "name", Message: "A name of 1 to 100 characters."}
	case p.Prize == "" || utf8.RuneCountInString(p.Prize) > 200:
		return &Error{Code: EINVALID, Field: "prize", Message: "A prize of 1 to 200 characters."}
	case len(p.Booths) == 0 || len(p.Booths) > 500:
		return &Error{Code: EINVALID, Field: "booths", Message: "A passport lists 1 to 500 booths."}
	case p.Needed < 1 || p.Needed > len(p.Booths):
		return &Error{Code: EINVALID, Field: "needed", Message: "Booths needed is between 1 and the booths listed."}
	}
	return nil
}

// PassportProgress is an attendee's passport: the listed booths stamped,
// whether the prize is earned and whether it was handed.
type PassportProgress struct {
	Stamped []int64   `json:"stamped"` // exhibitor IDs, in stamp order
	Needed  int       `json:"needed"`
	Earned  bool      `json:"earned"`
	Handed  bool      `json:"handed"`
	At      time.Time `json:"handed_at,omitzero"`
}
