// Package registration imports the attendees of an event from where it sold
// its tickets: a CSV export with a column mapping (pretix, Eventbrite, tito
// and hand-made sheets) or pretix's order data JSON. An import creates,
// updates and voids attendees in one transaction, keyed by the ticket's ID
// (else the email), so importing the same file twice changes nothing.
package registration

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"strings"
	"unicode"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
)

// Format is the kind of file imported.
type Format string

// The formats.
const (
	FormatCSV    Format = "csv"
	FormatPretix Format = "pretix" // pretix's "Order data" JSON export, or its REST orders list
)

// Formats lists the formats, for flags and errors.
var Formats = []Format{FormatCSV, FormatPretix}

// Store is what an import writes through; *store.DB implements it.
type Store interface {
	ApplyRegistrations(ctx context.Context, eventID int64, regs []store.Registration, invite store.Inviter, dryRun bool) ([]store.RegOutcome, error)
}

var _ Store = (*store.DB)(nil)

// Options tune an import.
type Options struct {
	EventID int64
	// DryRun reports what the import would do and writes nothing.
	DryRun bool
	// Invite, if set, invites each created attendee, and each imported
	// earlier with no account and no pending invitation (a set-password
	// link and its message), in the import's transaction. See Inviter.
	Invite store.Inviter
	// Types maps a ticket's kind as the shop names it (a pretix item, a CSV
	// ticket type) to the attendee type; kinds not in it keep their name.
	Types map[string]string
	// Roles maps an attendee type to a role (exhibitor pass → exhibitor);
	// a role column wins. Types not in it are attendees.
	Roles map[string]lanyard.Role
}

// Report says what an import did (or would do, in a dry run) with each
// row: created, updated, unchanged, voided, skipped or refused, and why.
type Report struct {
	Format    Format             `json:"format"`
	DryRun    bool               `json:"dry_run"`
	Created   int                `json:"created"`
	Updated   int                `json:"updated"`
	Unchanged int                `json:"unchanged"`
	Voided    int                `json:"voided"`
	Skipped   int                `json:"skipped"`
	Refused   int                `json:"refused"`
	Rows      []store.RegOutcome `json:"rows"`
}

// Written reports whether the import changed the database.
func (r *Report) Written() bool {
	return !r.DryRun && r.Refused == 0 && r.Created+r.Updated+r.Voided > 0
}

func (r *Report) add(o store.RegOutcome) {
	switch o.Action {
	case store.RegCreated:
		r.Created++
	case store.RegUpdated:
		r.Updated++
	case store.RegUnchanged:
		r.Unchanged++
	case store.RegVoided:
		r.Voided++
	case store.RegSkipped:
		r.Skipped++
	case store.RegRefused:
		r.Refused++
	}
	r.Rows = append(r.Rows, o)
}

// row is one ticket as read, before it is checked.
type row struct {
	line                                   int
	ext, email, name, given, family        string
	company, job, country, typ, role, zone string
	status                                 string // as written; "" is valid
	pending, canceled                      bool   // decided by the format (pretix)
	skipWhy                                string // the format skips it
}

// Import reads a file of format f and applies it to the event: see
// Options. m maps fields to CSV columns (nil detects them from the header;
// unused for pretix). It returns the report, and an error when nothing was
// written because of a problem: an unreadable file (EINVALID, nothing in
// the report), or refused rows (EINVALID; the report names each row and
// field). A dry run's report comes with a nil error.
func Import(ctx context.Context, st Store, r io.Reader, f Format, m Mapping, opt Options) (Report, error) {
	rep := Report{Format: f, DryRun: opt.DryRun}
	var rows []row
	var err error
	switch f {
	case FormatCSV:
		rows, err = parseCSV(r, m)
	case FormatPretix:
		rows, err = parsePretix(r)
	default:
		return rep, &lanyard.Error{Code: lanyard.EINVALID, Field: "format", Message: fmt.Sprintf("Unknown import format %q: use one of %v.", f, Formats)}
	}
	if err != nil {
		return rep, err
	}
	var regs []store.Registration
	var early []store.RegOutcome // skipped and refused before the store
	seen := map[string]int{}     // ticket ID → its first row
	for _, rw := range rows {
		reg, o := check(rw, opt)
		if o == nil && reg.ExternalID != "" {
			// Two rows with one ID would be one attendee, the second
			// overwriting the first: an order's ID, not a ticket's.
			if first, dup := seen[reg.ExternalID]; dup {
				o = &store.RegOutcome{Row: rw.line, ExternalID: reg.ExternalID, Email: reg.Email, Action: store.RegRefused,
					Reason: fmt.Sprintf("field ticket_id: %q is also the ID of row %d; map a column unique to each ticket (--map ticket_id=Column)", reg.ExternalID, first)}
			} else {
				seen[reg.ExternalID] = rw.line
			}
		}
		if o != nil {
			early = append(early, *o)
			continue
		}
		regs = append(regs, reg)
	}
	refused := false
	for _, o := range early {
		refused = refused || o.Action == store.RegRefused
	}
	var outs []store.RegOutcome
	if len(regs) > 0 {
		// With refused rows the store still runs, in a rolled-back
		// transaction, so the report says what the others would do.
		outs, err = st.ApplyRegistrations(ctx, opt.EventID, regs, opt.Invite, opt.DryRun || refused)
		if err != nil && !errors.Is(err, store.ErrRolledBack) {
			return rep, fmt.Errorf("registration: import: %w", err)
		}
	}
	// The report in file order.
	i, j := 0, 0
	for i < len(early) || j < len(outs) {
		if j == len(outs) || (i < len(early) && early[i].Row < outs[j].Row) {
			rep.add(early[i])
			i++
		} else {
			rep.add(outs[j])
			j++
		}
	}
	if rep.Refused > 0 {
		first := ""
		for _, o := range rep.Rows {
			if o.Action == store.RegRefused {
				first = fmt.Sprintf("row %d: %s", o.Row, o.Reason)
				break
			}
		}
		return rep, lanyard.Errorf(lanyard.EINVALID, "%d of %d rows refused, so nothing was imported; first %s", rep.Refused, len(rows), first)
	}
	return rep, nil
}

// check turns a row into a registration, or says why it is skipped or refused.
func check(rw row, opt Options) (store.Registration, *store.RegOutcome) {
	o := &store.RegOutcome{Row: rw.line, ExternalID: rw.ext, Email: lanyard.NormalizeEmail(rw.email)}
	refuse := func(field, msg string) (store.Registration, *store.RegOutcome) {
		o.Action, o.Reason = store.RegRefused, fmt.Sprintf("field %s: %s", field, msg)
		return store.Registration{}, o
	}
	if rw.skipWhy != "" {
		o.Action, o.Reason = store.RegSkipped, rw.skipWhy
		return store.Registration{}, o
	}
	status := strings.ToLower(strings.TrimSpace(rw.status))
	canceled, pending := rw.canceled, rw.pending
	switch status {
	case "", "p", "paid", "complete", "completed", "valid", "attending", "confirmed", "active", "checked in", "approved", "free":
	case "c", "e", "canceled", "cancelled", "expired", "refunded", "void", "voided", "not attending", "deleted", "transferred":
		canceled = true
	case "n", "pending", "placed", "awaiting payment", "unpaid", "reserved", "waiting":
		pending = true
	default:
		return refuse("status", fmt.Sprintf("unknown ticket status %q (paid, pending, cancelled or expired)", rw.status))
	}
	if pending && !canceled {
		o.Action, o.Reason = store.RegSkipped, "order not paid yet (pending)"
		return store.Registration{}, o
	}
	// Every field meets the text rule first: what follows reads it.
	for _, f := range []struct {
		name, value string
		rule        lanyard.TextRule
	}{
		{"ticket_id", rw.ext, lanyard.RuleLabel}, {"email", rw.email, lanyard.RuleLabel}, {"name", rw.name, lanyard.RuleName},
		{"given_name", rw.given, lanyard.RuleName}, {"family_name", rw.family, lanyard.RuleName}, {"company", rw.company, lanyard.RuleLabel},
		{"job_title", rw.job, lanyard.RuleLabel}, {"country", rw.country, lanyard.RuleLabel}, {"type", rw.typ, lanyard.RuleLabel},
		{"role", rw.role, lanyard.RuleLabel}, {"home_zone", rw.zone, lanyard.RuleLabel},
	} {
		if f.value == "" {
			continue
		}
		if err := lanyard.CheckText(f.name, f.value, f.rule); err != nil {
			return refuse(f.name, lanyard.ErrorMessage(err))
		}
	}
	name := strings.TrimSpace(rw.name)
	if name == "" {
		name = joinName(strings.TrimSpace(rw.given), strings.TrimSpace(rw.family))
	}
	reg := store.Registration{Row: rw.line, ExternalID: strings.TrimSpace(rw.ext), Email: o.Email, Name: name,
		Company: strings.TrimSpace(rw.company), JobTitle: strings.TrimSpace(rw.job), Country: strings.TrimSpace(rw.country), Canceled: canceled}
	if reg.Email == "" {
		if canceled && reg.ExternalID != "" {
			return reg, nil // a cancelled ticket needs only its ID
		}
		return refuse("email", "an email address is required")
	}
	if addr, err := mail.ParseAddress(reg.Email); err != nil || addr.Address != reg.Email {
		return refuse("email", fmt.Sprintf("%q is not an email address", rw.email))
	}
	if name == "" && !canceled {
		return refuse("name", "a name is required (a name column, or given and family names)")
	}
	if name != "" {
		// Given and family names each pass, but joined may be too long.
		if err := lanyard.CheckText("name", name, lanyard.RuleName); err != nil {
			return refuse("name", lanyard.ErrorMessage(err))
		}
	}
	typ := strings.TrimSpace(rw.typ)
	if t, ok := opt.Types[typ]; ok {
		typ = t
	}
	reg.Type = typ
	if z := strings.TrimSpace(rw.zone); z != "" {
		iana, err := lanyard.ResolveZone(z)
		if err != nil {
			return refuse("home_zone", fmt.Sprintf("unknown time zone %q", z))
		}
		reg.HomeZone = iana
	}
	if r := strings.ToLower(strings.TrimSpace(rw.role)); r != "" {
		reg.Role = lanyard.Role(r)
		if !reg.Role.Valid() {
			return refuse("role", fmt.Sprintf("unknown role %q (attendee, staff, exhibitor or organizer)", rw.role))
		}
	} else if role, ok := opt.Roles[typ]; ok {
		reg.Role = role
	}
	return reg, nil
}

// joinName writes a full name from its parts: family name first, without
// a space, for names in Hangul or Han ("김민준"), given name first otherwise.
func joinName(given, family string) string {
	switch {
	case given == "":
		return family
	case family == "":
		return given
	case isCJK(given) && isCJK(family):
		return family + given
	}
	return given + " " + family
}

func isCJK(s string) bool {
	for _, r := range s {
		if !unicode.In(r, unicode.Hangul, unicode.Han) {
			return false
		}
	}
	return true
}

// Detect guesses a file's format from its name and first bytes: JSON is
// pretix's, anything else CSV.
func Detect(name string, head []byte) Format {
	if strings.HasSuffix(strings.ToLower(name), ".json") {
		return FormatPretix
	}
	if t := strings.TrimLeft(string(head[:min(len(head), 64)]), " \t\r\n\ufeff"); strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
		return FormatPretix
	}
	return FormatCSV
}
