package registration

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// pretix's "Order data" JSON export wraps the event, its items and orders
// in {"event": {...}}; its REST API lists orders as {"results": [...]}.
// Both are read. Order status: n pending, p paid, e expired, c canceled.
type pretixFile struct {
	Event   *pretixEvent  `json:"event"`
	Items   []pretixItem  `json:"items"`
	Orders  []pretixOrder `json:"orders"`
	Results []pretixOrder `json:"results"`
}

type pretixEvent struct {
	Items  []pretixItem  `json:"items"`
	Orders []pretixOrder `json:"orders"`
}

type pretixItem struct {
	ID   int64           `json:"id"`
	Name json.RawMessage `json:"name"` // a string or {"en": "...", "ko": "..."}
}

type pretixOrder struct {
	Code      string           `json:"code"`
	Status    string           `json:"status"`
	Email     string           `json:"email"`
	User      string           `json:"user"` // the export's name for the buyer's email
	Positions []pretixPosition `json:"positions"`
}

type pretixPosition struct {
	ID                int64           `json:"id"`
	PositionID        int64           `json:"positionid"`
	Item              json.RawMessage `json:"item"` // the item's ID, or its name
	AttendeeName      string          `json:"attendee_name"`
	AttendeeNameParts map[string]any  `json:"attendee_name_parts"`
	AttendeeEmail     *string         `json:"attendee_email"`
	Company           string          `json:"company"`
	Country           string          `json:"country"`
	AddonTo           *int64          `json:"addon_to"`
	Canceled          bool            `json:"canceled"`
}

// text reads a pretix i18n string: a plain string, or the English of a
// {"lang": "..."} object (else its first language, by code).
func text(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var m map[string]string
	if json.Unmarshal(raw, &m) != nil || len(m) == 0 {
		return ""
	}
	if s, ok := m["en"]; ok {
		return s
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return m[keys[0]]
}

// parsePretix reads pretix's order data JSON into rows, one per order
// position (ticket): the ticket's ID is the order code and position number
// ("ABC12-1"), its type the item's name. Add-on positions are not people.
func parsePretix(r io.Reader) ([]row, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFile+1))
	if err != nil {
		return nil, fmt.Errorf("registration: read pretix: %w", err)
	}
	if len(data) > maxFile {
		return nil, lanyard.Errorf(lanyard.EINVALID, "The file is larger than %d MB.", maxFile>>20)
	}
	var f pretixFile
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&f); err != nil {
		return nil, lanyard.Errorf(lanyard.EINVALID, "The file is not pretix order data JSON: %v.", err)
	}
	items, orders := f.Items, append(f.Orders, f.Results...)
	if f.Event != nil {
		items, orders = append(items, f.Event.Items...), append(orders, f.Event.Orders...)
	}
	if orders == nil {
		return nil, lanyard.Errorf(lanyard.EINVALID, `The file has no orders: expected pretix's order data export ({"event": {"orders": [...]}}).`)
	}
	names := map[string]string{}
	for _, it := range items {
		names[strconv.FormatInt(it.ID, 10)] = text(it.Name)
	}
	var rows []row
	n := 0
	for _, o := range orders {
		for _, p := range o.Positions {
			n++
			pos := p.PositionID
			if pos == 0 {
				pos = p.ID
			}
			rw := row{line: n, ext: fmt.Sprintf("%s-%d", o.Code, pos), name: p.AttendeeName, company: p.Company, country: p.Country}
			if o.Code == "" {
				rw.ext = ""
			}
			if p.AttendeeEmail != nil && strings.TrimSpace(*p.AttendeeEmail) != "" {
				rw.email = *p.AttendeeEmail
			} else if o.Email != "" {
				rw.email = o.Email
			} else {
				rw.email = o.User
			}
			if rw.name == "" {
				rw.given, rw.family = nameParts(p.AttendeeNameParts)
			}
			item := text(p.Item)
			if item == "" {
				item = strings.TrimSpace(string(p.Item))
			}
			if name, ok := names[item]; ok {
				item = name
			}
			rw.typ = item
			switch o.Status {
			case "p":
			case "n":
				rw.pending = true
			case "e", "c":
				rw.canceled = true
			default:
				rw.status = o.Status // check refuses it by name
			}
			if p.Canceled {
				rw.canceled = true
			}
			if p.AddonTo != nil {
				rw.skipWhy = fmt.Sprintf("add-on to position %d of order %s, not a ticket", *p.AddonTo, o.Code)
			}
			rows = append(rows, rw)
			if len(rows) > maxRows {
				return nil, lanyard.Errorf(lanyard.EINVALID, "The file has more than %d positions.", maxRows)
			}
		}
	}
	return rows, nil
}

// nameParts reads pretix's attendee_name_parts: given_name and
// family_name, or full_name, whatever the naming scheme.
func nameParts(parts map[string]any) (given, family string) {
	s := func(k string) string {
		v, _ := parts[k].(string)
		return v
	}
	if g, f := s("given_name"), s("family_name"); g != "" || f != "" {
		return g, f
	}
	if full := s("full_name"); full != "" {
		return full, ""
	}
	return s("calling_name"), ""
}
