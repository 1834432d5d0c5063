package registration

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Mapping maps an attendee field (see Fields) to the CSV column holding
// it, by header. Fields left out are detected from the header's names.
type Mapping map[string]string

// Fields lists the fields a CSV column can fill.
var Fields = []string{"email", "name", "given_name", "family_name", "company", "job_title", "country", "type", "role", "home_zone", "ticket_id", "status"}

// headerNames are the headers each field is detected by, best first:
// lanyard's own, then pretix, Eventbrite and tito exports'. Compared
// lowercased with spaces trimmed.
var headerNames = map[string][]string{
	"email":       {"email", "e-mail", "email address", "e-mail address", "attendee email", "attendee e-mail", "ticket email", "order email"},
	"name":        {"name", "full name", "attendee name", "ticket full name", "ticket name"},
	"given_name":  {"given_name", "given name", "first name", "firstname", "attendee name: given name", "ticket first name"},
	"family_name": {"family_name", "family name", "last name", "lastname", "surname", "attendee name: family name", "ticket last name"},
	"company":     {"company", "organization", "organisation", "company name", "ticket company name", "attendee company"},
	"job_title":   {"job_title", "job title", "title", "position", "ticket job title"},
	"country":     {"country", "attendee country", "ticket country", "country code"},
	"type":        {"type", "attendee type", "ticket type", "ticket", "product", "item", "ticket release", "release"},
	"role":        {"role"},
	"home_zone":   {"home_zone", "home zone", "time zone", "timezone", "home time zone"},
	"ticket_id":   {"ticket_id", "ticket id", "attendee #", "ticket reference", "ticket code", "order_id", "order id", "order code", "order #", "id", "reference"},
	"status":      {"status", "attendee status", "ticket status", "order status", "ticket state", "payment status"},
}

// ParseMapping reads "field=Column" pairs (the --map flag's), each a
// separate string or comma-separated in one.
func ParseMapping(pairs []string) (Mapping, error) {
	m := Mapping{}
	for _, p := range pairs {
		for _, kv := range strings.Split(p, ",") {
			if strings.TrimSpace(kv) == "" {
				continue
			}
			k, v, ok := strings.Cut(kv, "=")
			k = strings.ToLower(strings.TrimSpace(k))
			if !ok || k == "" || strings.TrimSpace(v) == "" {
				return nil, &lanyard.Error{Code: lanyard.EINVALID, Field: "map", Message: fmt.Sprintf("Mapping %q is not field=Column.", kv)}
			}
			if _, known := headerNames[k]; !known {
				return nil, &lanyard.Error{Code: lanyard.EINVALID, Field: "map", Message: fmt.Sprintf("Unknown field %q in the mapping: use one of %s.", k, strings.Join(Fields, ", "))}
			}
			m[k] = strings.TrimSpace(v)
		}
	}
	return m, nil
}

func normHeader(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(strings.TrimPrefix(s, "\ufeff"))), " ")
}

// columns finds each field's column index from the header and the
// mapping, and checks the file has what an attendee needs.
func columns(header []string, m Mapping) (map[string]int, error) {
	cols, err := matchColumns(header, m)
	if err != nil {
		return nil, err
	}
	return cols, requireColumns(header, cols)
}

// matchColumns maps fields to column indexes: mapped ones first, then the
// rest detected by their header's name.
func matchColumns(header []string, m Mapping) (map[string]int, error) {
	idx := map[string]int{}
	for i, h := range header {
		if _, dup := idx[normHeader(h)]; !dup {
			idx[normHeader(h)] = i
		}
	}
	cols := map[string]int{}
	used := map[int]bool{}
	// Mapped fields first: they win over detection.
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		i, ok := idx[normHeader(m[k])]
		if !ok {
			return nil, &lanyard.Error{Code: lanyard.EINVALID, Field: "map", Message: fmt.Sprintf("The mapping names column %q for %s, but the header has no such column (it has: %s).", m[k], k, strings.Join(header, ", "))}
		}
		cols[k], used[i] = i, true
	}
	for _, f := range Fields {
		if _, ok := cols[f]; ok {
			continue
		}
		for _, name := range headerNames[f] {
			if i, ok := idx[name]; ok && !used[i] {
				cols[f], used[i] = i, true
				break
			}
		}
	}
	return cols, nil
}

// requireColumns checks an email and a name column were found.
func requireColumns(header []string, cols map[string]int) error {
	if _, ok := cols["email"]; !ok {
		return &lanyard.Error{Code: lanyard.EINVALID, Field: "map", Message: fmt.Sprintf("No email column found in the header (%s): name it with --map email=Column.", strings.Join(header, ", "))}
	}
	_, name := cols["name"]
	_, given := cols["given_name"]
	_, family := cols["family_name"]
	if !name && !given && !family {
		return &lanyard.Error{Code: lanyard.EINVALID, Field: "map", Message: fmt.Sprintf("No name column found in the header (%s): name it with --map name=Column (or given_name= and family_name=).", strings.Join(header, ", "))}
	}
	return nil
}

// Header reads a CSV file's header and returns it with the column each
// field takes (by m, else detected from the names), for an organizer to
// see and change the mapping. err says what the mapping still lacks (no
// email column) or names a mapped column the header does not have; the
// header comes back either way when it could be read.
func Header(data []byte, m Mapping) (header []string, cols map[string]int, err error) {
	cr := newCSVReader(string(data))
	header, err = cr.Read()
	if err != nil {
		return nil, nil, lanyard.Errorf(lanyard.EINVALID, "The CSV header cannot be read: %v.", err)
	}
	cols, err = matchColumns(header, m)
	if err != nil {
		cols, _ = matchColumns(header, nil)
		return header, cols, err
	}
	return header, cols, requireColumns(header, cols)
}

// newCSVReader reads comma- or semicolon-separated text (whichever the
// first line has more of), rows of any length.
func newCSVReader(text string) *csv.Reader {
	cr := csv.NewReader(strings.NewReader(text))
	first, _, _ := strings.Cut(text, "\n")
	if strings.Count(first, ";") > strings.Count(first, ",") {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	return cr
}

// parseCSV reads a CSV export (comma or semicolon separated, with a header
// row) into rows, by the columns m names or detects. Each row carries its
// line number.
func parseCSV(r io.Reader, m Mapping) ([]row, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFile+1))
	if err != nil {
		return nil, fmt.Errorf("registration: read csv: %w", err)
	}
	if len(data) > maxFile {
		return nil, lanyard.Errorf(lanyard.EINVALID, "The file is larger than %d MB.", maxFile>>20)
	}
	cr := newCSVReader(string(data))
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, lanyard.Errorf(lanyard.EINVALID, "The CSV file is empty: it needs a header row and a row per attendee.")
	}
	if err != nil {
		return nil, lanyard.Errorf(lanyard.EINVALID, "The CSV header cannot be read: %v.", err)
	}
	cols, err := columns(header, m)
	if err != nil {
		return nil, err
	}
	// pretix's CSV numbers positions within an order: the ticket is the
	// order code and the position, as in its JSON ("A1B2C-1").
	posCol := -1
	if _, mapped := m["ticket_id"]; !mapped {
		for i, h := range header {
			if normHeader(h) == "position id" {
				if c, ok := cols["ticket_id"]; ok && normHeader(header[c]) == "order code" {
					posCol = i
				}
			}
		}
	}
	var rows []row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, lanyard.Errorf(lanyard.EINVALID, "The CSV file cannot be read: %v.", err)
		}
		line, _ := cr.FieldPos(0)
		get := func(f string) string {
			if i, ok := cols[f]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue // a blank line at the end of a sheet
		}
		ext := get("ticket_id")
		if posCol >= 0 && posCol < len(rec) && ext != "" && rec[posCol] != "" {
			ext += "-" + rec[posCol]
		}
		rows = append(rows, row{line: line, ext: ext, email: get("email"), name: get("name"), given: get("given_name"),
			family: get("family_name"), company: get("company"), job: get("job_title"), country: get("country"), typ: get("type"),
			role: get("role"), zone: get("home_zone"), status: get("status")})
		if len(rows) > maxRows {
			return nil, lanyard.Errorf(lanyard.EINVALID, "The file has more than %d rows.", maxRows)
		}
	}
	return rows, nil
}

// Limits of one import: well above the largest conference's list.
const (
	maxFile = 64 << 20
	maxRows = 200000
)
