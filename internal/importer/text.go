package importer

import (
	"strings"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Lenient formats hold their text to lanyard's rule (lanyard.TextRule) by
// cleaning it: a record whose field had control or bidi override characters,
// invalid UTF-8 or too many characters is imported cleaned, with a doubt in
// the report; a record whose field cannot be cleaned (a title with nothing
// visible) is skipped. Strict formats refuse such a file instead, naming the
// record and the field (sessionIssues, venueIndex.add, eventIssues).

// cleanFields cleans each field in place, reporting each change to rep as
// a doubt against record. When a field cannot be cleaned it stops and
// returns the problem, for the caller to skip the record with.
func cleanFields(rep *Report, record string, fields []lanyard.TextField) *Problem {
	for _, f := range fields {
		clean, ok := lanyard.CleanText(*f.Value, f.Rule)
		if ok && clean == *f.Value {
			continue
		}
		why := lanyard.ErrorMessage(lanyard.CheckText(f.Name, *f.Value, f.Rule))
		if !ok {
			return &Problem{Record: record, Field: f.Name, Reason: why, Skipped: true}
		}
		*f.Value = clean
		why = strings.TrimSuffix(strings.TrimSuffix(why, "; remove it."), ".")
		rep.doubt(record, f.Name, "%s; imported cleaned (invalid bytes marked U+FFFD, control and bidi override characters removed, cut to %d characters)", why, f.Rule.Max)
	}
	return nil
}

// cleanLabel returns value cleaned by rule, reporting a change against
// record, or "" when it cannot be cleaned.
func cleanLabel(rep *Report, record, field, value string, rule lanyard.TextRule) string {
	if p := cleanFields(rep, record, []lanyard.TextField{{Name: field, Value: &value, Rule: rule}}); p != nil {
		rep.doubt(record, field, "%s; left out", p.Reason)
		return ""
	}
	return value
}

// cleanVenues cleans venue and room names, dropping a room whose name
// cannot be cleaned (its sessions were skipped for the same reason).
func cleanVenues(rep *Report, vs []lanyard.Venue) {
	for i := range vs {
		v := &vs[i]
		if _, ok := lanyard.CleanText(v.Name, lanyard.RuleLabel); !ok {
			v.Name = v.Code
		}
		rooms := v.Rooms[:0]
		for _, r := range v.Rooms {
			if c, ok := lanyard.CleanText(r.Name, lanyard.RuleLabel); ok {
				r.Name = c
				rooms = append(rooms, r)
			}
		}
		v.Rooms = rooms
		_ = cleanFields(rep, "venue "+v.Code, []lanyard.TextField{{Name: "name", Value: &v.Name, Rule: lanyard.RuleLabel}}) // cannot fail: checked above
	}
}

// safeCode returns code if it is a valid session code, and otherwise one
// derived from it (lanyard.CleanCode), reporting the change; "" when
// nothing of it is usable.
func safeCode(rep *Report, record, field, code string) string {
	if code == "" || len(code) > lanyard.MaxCodeLen || lanyard.CheckCode(code) == nil {
		return code // empty and too long are reported by admit
	}
	safe := lanyard.CleanCode(code)
	if safe != "" {
		rep.doubt(record, field, "%q is not a safe session code (letters, digits, '-', '_', '.'); imported as %q", code, safe)
	}
	return safe
}
