// Lanyard CSV is lanyard's own spreadsheet format (RFC 4180, UTF-8, an
// optional byte-order mark). A file holds one kind of record, told apart by
// its header row; columns may come in any order, and * marks required ones:
//
//	sessions: code*,title*,abstract,type*,level,topics,speakers,venue,room,start,end,capacity,repeat_group,reservable
//	rooms:    venue*,venue_name,room*,capacity*
//	travel:   from*,to*,walk_minutes*,shuttle_minutes*
//
// In sessions, type is one of lanyard.SessionTypes ("chalk-talk"); level is
// 100–400 or empty; topics are separated by ";"; speakers are
// "Name|Job title|Company" separated by ";"; start and end are RFC 3339
// times, both empty for an unscheduled session; capacity overrides the
// room's when not empty; reservable is true or false, empty meaning true.
// venue is a venue code, room a room name in it; they are resolved against
// the rooms the store has. In rooms, venue is the venue code and venue_name
// its name (the code when empty). In travel, from and to are venue codes and
// the minutes are whole numbers, empty meaning unknown.
//
// The format is strict like lanyard JSON: one problem rejects the file.

package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// csvKind is one of the three kinds of lanyard CSV file.
type csvKind struct {
	name     string
	columns  []string
	required []string
}

var csvKinds = []csvKind{
	{
		name:     "sessions",
		columns:  []string{"code", "title", "abstract", "type", "level", "topics", "speakers", "venue", "room", "start", "end", "capacity", "repeat_group", "reservable"},
		required: []string{"code", "title", "type"},
	},
	{
		name:     "rooms",
		columns:  []string{"venue", "venue_name", "room", "capacity"},
		required: []string{"venue", "room", "capacity"},
	},
	{
		name:     "travel",
		columns:  []string{"from", "to", "walk_minutes", "shuttle_minutes"},
		required: []string{"from", "to", "walk_minutes", "shuttle_minutes"},
	},
}

// csvRow is one data row with its header.
type csvRow struct {
	line   int
	fields []string
	cols   map[string]int
}

// get returns the named column's value, trimmed; "" when the header lacks it.
func (r csvRow) get(col string) string {
	if i, ok := r.cols[col]; ok && i < len(r.fields) {
		return strings.TrimSpace(r.fields[i])
	}
	return ""
}

// readLanyardCSV reads one lanyard CSV file: sessions, rooms or travel
// times. The catalog's Event is empty: CSV has no place for it, and the
// caller supplies it. It is strict: any problem rejects the file, and every
// problem is reported, naming the line and the column.
func readLanyardCSV(data []byte, rep *Report) (*lanyard.Catalog, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, reject(FormatLanyardCSV, "file", "", "is empty; it needs a header row")
	}
	if err != nil {
		return nil, &Error{Format: FormatLanyardCSV, Problems: []Problem{csvParseProblem(err)}}
	}
	kind, cols, problems := csvHeader(header)
	if len(problems) > 0 {
		return nil, &Error{Format: FormatLanyardCSV, Problems: problems}
	}

	b := csvBuilder{kind: kind.name, codes: map[string]int{}, rooms: map[[2]string]int{}, pairs: map[[2]string]int{}, venueAt: map[string]int{}}
	for {
		fields, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			b.problems = append(b.problems, csvParseProblem(err))
			if errors.Is(err, csv.ErrFieldCount) {
				continue // the reader stays in step; later rows are still checked
			}
			break
		}
		line, _ := r.FieldPos(0)
		b.add(csvRow{line: line, fields: fields, cols: cols})
	}
	if kind.name == "sessions" {
		rep.Records = b.rows
	}
	if len(b.problems) > 0 {
		return nil, &Error{Format: FormatLanyardCSV, Problems: b.problems}
	}
	return &b.cat, nil
}

// csvHeader finds the kind of file whose columns the header matches best,
// and reports unknown, repeated and missing columns.
func csvHeader(header []string) (csvKind, map[string]int, []Problem) {
	cols := map[string]int{}
	for i, h := range header {
		if _, dup := cols[strings.TrimSpace(h)]; !dup {
			cols[strings.TrimSpace(h)] = i
		}
	}
	var kind csvKind
	best := 0.0
	for _, k := range csvKinds {
		n := 0
		for _, c := range k.columns {
			if _, ok := cols[c]; ok {
				n++
			}
		}
		if score := float64(n) / float64(len(k.columns)); score > best {
			kind, best = k, score
		}
	}
	if best == 0 {
		var want []string
		for _, k := range csvKinds {
			want = append(want, fmt.Sprintf("%s (%s)", k.name, strings.Join(k.columns, ",")))
		}
		return kind, nil, []Problem{{Record: "line 1", Reason: fmt.Sprintf("the header is none of lanyard's: %s", strings.Join(want, "; ")), Skipped: true}}
	}

	var c checker
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		switch {
		case h == "":
			c.add("line 1", issue("", "column %d has no name", i+1))
		case seen[h]:
			c.add("line 1", issue(h, "column appears twice"))
		case !slices.Contains(kind.columns, h):
			c.add("line 1", issue(h, "unknown column for a %s file; its columns are %s", kind.name, strings.Join(kind.columns, ",")))
		}
		seen[h] = true
	}
	for _, req := range kind.required {
		if !seen[req] {
			c.add("line 1", issue(req, "required column missing from the %s header", kind.name))
		}
	}
	return kind, cols, c.problems
}

// csvParseProblem names the line of a CSV syntax error.
func csvParseProblem(err error) Problem {
	if pe, ok := errors.AsType[*csv.ParseError](err); ok {
		return Problem{Record: fmt.Sprintf("line %d", pe.StartLine), Reason: fmt.Sprintf("%s (line %d, column %d)", pe.Err.Error(), pe.Line, pe.Column), Skipped: true}
	}
	return Problem{Record: "file", Reason: err.Error(), Skipped: true}
}

// csvBuilder turns rows into the catalog and collects their problems.
type csvBuilder struct {
	kind     string
	cat      lanyard.Catalog
	problems []Problem
	rows     int
	codes    map[string]int    // session code → line
	rooms    map[[2]string]int // venue, room → line
	venueAt  map[string]int    // venue code → index in cat.Venues
	pairs    map[[2]string]int // from, to → line
}

func (b *csvBuilder) add(row csvRow) {
	b.rows++
	var key string
	var issues []fieldIssue
	switch b.kind {
	case "sessions":
		key = row.get("code")
		issues = b.session(row)
	case "rooms":
		key = row.get("venue")
		issues = b.room(row)
	case "travel":
		key = strings.Trim(row.get("from")+"-"+row.get("to"), "-")
		issues = b.travel(row)
	}
	name := safeRecord(strings.TrimSpace(fmt.Sprintf("line %d %s", row.line, key)))
	for _, is := range issues {
		b.problems = append(b.problems, Problem{Record: name, Field: is.field, Reason: is.reason, Skipped: true})
	}
}

func (b *csvBuilder) session(row csvRow) []fieldIssue {
	s := lanyard.Session{
		Code:        row.get("code"),
		Title:       row.get("title"),
		Abstract:    row.get("abstract"),
		Type:        lanyard.SessionType(row.get("type")),
		Topics:      splitList(row.get("topics")),
		Venue:       row.get("venue"),
		Room:        row.get("room"),
		RepeatGroup: row.get("repeat_group"),
		Reservable:  true,
	}
	var issues []fieldIssue
	var err error
	if s.Level, err = csvInt(row, "level"); err != nil {
		issues = append(issues, issue("level", "%s", err.Error()))
	}
	if s.CapacityOverride, err = csvInt(row, "capacity"); err != nil {
		issues = append(issues, issue("capacity", "%s", err.Error()))
	}
	s.Speakers, issues = parseSpeakers(row.get("speakers"), issues)
	if s.Start, err = parseInstant(row.get("start")); err != nil {
		issues = append(issues, issue("start", "%s", err.Error()))
	}
	if s.End, err = parseInstant(row.get("end")); err != nil {
		issues = append(issues, issue("end", "%s", err.Error()))
	}
	if v := row.get("reservable"); v != "" {
		if s.Reservable, err = strconv.ParseBool(v); err != nil {
			issues = append(issues, issue("reservable", "%q is not true or false", v))
		}
	}
	for _, is := range sessionIssues(&s) {
		if is.field == "capacity_override" {
			is.field = "capacity" // the column's name
		}
		if i := strings.IndexByte(is.field, '['); i > 0 {
			is.field = is.field[:i] // "speakers[1].name" is in the column speakers
		}
		issues = appendNew(issues, is)
	}
	if prev, dup := b.codes[s.Code]; dup && s.Code != "" {
		issues = append(issues, issue("code", "code %s is also on line %d", s.Code, prev))
	} else {
		b.codes[s.Code] = row.line
	}
	b.cat.Sessions = append(b.cat.Sessions, s)
	return issues
}

func (b *csvBuilder) room(row csvRow) []fieldIssue {
	var issues []fieldIssue
	code, name, room := row.get("venue"), row.get("venue_name"), row.get("room")
	if code == "" {
		issues = append(issues, issue("venue", "is required"))
	}
	if room == "" {
		issues = append(issues, issue("room", "is required"))
	}
	capacity, err := csvInt(row, "capacity")
	switch {
	case row.get("capacity") == "":
		issues = append(issues, issue("capacity", "is required"))
	case err != nil:
		issues = append(issues, issue("capacity", "%s", err.Error()))
	case capacity < 0:
		issues = append(issues, issue("capacity", "must not be negative"))
	}
	issues = append(issues, textIssues([]lanyard.TextField{
		{Name: "venue_name", Value: &name, Rule: lanyard.RuleLabel},
		{Name: "room", Value: &room, Rule: lanyard.RuleLabel},
	})...)
	if len(issues) > 0 {
		return issues
	}
	if prev, dup := b.rooms[[2]string{code, room}]; dup {
		return []fieldIssue{issue("room", "room %q of venue %s is also on line %d", room, code, prev)}
	}
	b.rooms[[2]string{code, room}] = row.line
	i, ok := b.venueAt[code]
	if !ok {
		i = len(b.cat.Venues)
		b.venueAt[code] = i
		b.cat.Venues = append(b.cat.Venues, lanyard.Venue{Code: code, Name: code})
	}
	v := &b.cat.Venues[i]
	switch {
	case name == "":
	case !ok || v.Name == code:
		v.Name = name
	case name != v.Name:
		issues = append(issues, issue("venue_name", "%q differs from %q, given earlier for venue %s", name, v.Name, code))
	}
	v.Rooms = append(v.Rooms, lanyard.Room{Name: room, Capacity: capacity})
	return issues
}

func (b *csvBuilder) travel(row csvRow) []fieldIssue {
	t := lanyard.TravelTime{From: row.get("from"), To: row.get("to")}
	var issues []fieldIssue
	var err error
	if t.WalkMinutes, err = csvInt(row, "walk_minutes"); err != nil {
		issues = append(issues, issue("walk_minutes", "%s", err.Error()))
	}
	if t.ShuttleMinutes, err = csvInt(row, "shuttle_minutes"); err != nil {
		issues = append(issues, issue("shuttle_minutes", "%s", err.Error()))
	}
	issues = appendNew(issues, travelIssues(t, nil)...)
	if prev, dup := b.pairs[[2]string{t.From, t.To}]; dup {
		issues = append(issues, issue("to", "%s to %s is also on line %d", t.From, t.To, prev))
	} else {
		b.pairs[[2]string{t.From, t.To}] = row.line
	}
	b.cat.Travel = append(b.cat.Travel, t)
	return issues
}

// csvInt reads a whole-number column; empty is 0.
func csvInt(row csvRow, col string) (int, error) {
	v := row.get(col)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole number", v)
	}
	return n, nil
}

// splitList splits a ";"-separated list, dropping blank items.
func splitList(s string) []string {
	var out []string
	for item := range strings.SplitSeq(s, ";") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// parseSpeakers reads "Name|Job title|Company" items separated by ";".
func parseSpeakers(s string, issues []fieldIssue) ([]lanyard.Speaker, []fieldIssue) {
	var out []lanyard.Speaker
	for i, item := range splitList(s) {
		parts := strings.Split(item, "|")
		if len(parts) > 3 {
			issues = append(issues, issue("speakers", "speaker %d %q has more than three parts (Name|Job title|Company)", i+1, item))
			continue
		}
		parts = append(parts, "", "")
		sp := lanyard.Speaker{Name: strings.TrimSpace(parts[0]), JobTitle: strings.TrimSpace(parts[1]), Company: strings.TrimSpace(parts[2])}
		if sp.Name == "" {
			issues = append(issues, issue("speakers", "speaker %d %q has no name", i+1, item))
			continue
		}
		out = append(out, sp)
	}
	return out, issues
}
