package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// catalogFile is a lanyard.Catalog as read: each element stays raw so that a
// problem in one is reported against it and the others are still checked.
type catalogFile struct {
	Event    json.RawMessage   `json:"event"`
	Venues   []json.RawMessage `json:"venues"`
	Travel   []json.RawMessage `json:"travel_times"`
	Sessions []json.RawMessage `json:"sessions"`
}

// sessionFile reads start and end as text, so that a bad time is reported
// against its field; the outer fields shadow the embedded ones.
type sessionFile struct {
	lanyard.Session
	Start string `json:"start"`
	End   string `json:"end"`
}

// readLanyardJSON reads lanyard's own format, a lanyard.Catalog as JSON. It
// is strict: any problem rejects the file, and every problem is reported.
// Session.Capacity is read as given; the store derives the effective one.
func readLanyardJSON(data []byte, rep *Report) (*lanyard.Catalog, error) {
	var file catalogFile
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, jsonReject(FormatLanyardJSON, data, err, "a catalog object")
	}
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return nil, reject(FormatLanyardJSON, "file", "", "is null, not a catalog object")
	}
	rep.Records = len(file.Sessions)
	var (
		c   checker
		cat lanyard.Catalog
		idx = venueIndex{}
	)
	c.add("file", unknownFields(data, reflect.TypeFor[catalogFile]())...)

	if len(file.Event) == 0 {
		c.add("event", issue("", "the catalog has no event"))
	} else if issues, ok := decodeChecked(file.Event, &cat.Event); ok {
		c.add("event", appendNew(issues, eventIssues(&cat.Event)...)...)
	} else {
		c.add("event", issues...)
	}

	for i, raw := range file.Venues {
		var v lanyard.Venue
		issues, ok := decodeChecked(raw, &v)
		if ok {
			issues = appendNew(issues, idx.add(&v, i+1)...)
			cat.Venues = append(cat.Venues, v)
		}
		c.add(recordName("venue", i+1, v.Code), issues...)
	}

	pairs := map[[2]string]int{}
	for i, raw := range file.Travel {
		var t lanyard.TravelTime
		issues, ok := decodeChecked(raw, &t)
		if ok {
			issues = appendNew(issues, travelIssues(t, idx)...)
			if prev, dup := pairs[[2]string{t.From, t.To}]; dup {
				issues = append(issues, issue("to", "%s to %s is also travel time #%d", t.From, t.To, prev))
			} else {
				pairs[[2]string{t.From, t.To}] = i + 1
			}
			cat.Travel = append(cat.Travel, t)
		}
		c.add(recordName("travel time", i+1, strings.Trim(t.From+"-"+t.To, "-")), issues...)
	}

	codes := map[string]int{}
	for i, raw := range file.Sessions {
		var sf sessionFile
		issues, ok := decodeChecked(raw, &sf)
		name := recordName("session", i+1, sf.Code)
		if !ok {
			c.add(name, issues...)
			continue
		}
		s := sf.Session
		var err error
		if s.Start, err = parseInstant(sf.Start); err != nil {
			issues = append(issues, issue("start", "%s", err.Error()))
		}
		if s.End, err = parseInstant(sf.End); err != nil {
			issues = append(issues, issue("end", "%s", err.Error()))
		}
		issues = appendNew(issues, sessionIssues(&s)...)
		if prev, dup := codes[s.Code]; dup && s.Code != "" {
			issues = append(issues, issue("code", "code %s is also session #%d's", s.Code, prev))
		} else {
			codes[s.Code] = i + 1
		}
		issues = append(issues, idx.placeIssues(&s)...)
		if s.Capacity < 0 {
			issues = append(issues, issue("capacity", "must not be negative"))
		}
		c.add(name, issues...)
		cat.Sessions = append(cat.Sessions, s)
	}
	if len(c.problems) > 0 {
		return nil, &Error{Format: FormatLanyardJSON, Problems: c.problems}
	}
	return &cat, nil
}

// recordName names a record by kind, 1-based position and key ("session #3 ARC301").
func recordName(kind string, pos int, key string) string {
	return strings.TrimSpace(fmt.Sprintf("%s #%d %s", kind, pos, oneLine(key)))
}

// fieldIssue is a problem with one field of a record not yet named.
type fieldIssue struct{ field, reason string }

func issue(field, format string, args ...any) fieldIssue {
	return fieldIssue{field, fmt.Sprintf(format, args...)}
}

// appendNew appends the issues whose field has none yet, so that a field
// that failed to decode is not reported again for the zero it was left at.
func appendNew(issues []fieldIssue, more ...fieldIssue) []fieldIssue {
	for _, m := range more {
		if !slices.ContainsFunc(issues, func(is fieldIssue) bool { return is.field == m.field }) {
			issues = append(issues, m)
		}
	}
	return issues
}

// checker collects the problems of a strict file; every one rejects it.
type checker struct{ problems []Problem }

func (c *checker) add(record string, issues ...fieldIssue) {
	record = safeRecord(record)
	for _, is := range issues {
		c.problems = append(c.problems, Problem{Record: record, Field: is.field, Reason: is.reason, Skipped: true})
	}
}

// decodeChecked reads one element strictly into v. It reports unknown
// fields by their path and wrongly typed values by their field, and whether
// v was filled enough to be checked further.
func decodeChecked(raw json.RawMessage, v any) ([]fieldIssue, bool) {
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return []fieldIssue{issue("", "is null, not an object")}, false
	}
	issues := unknownFields(raw, reflect.TypeOf(v).Elem())
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if typ, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		// encoding/json fills the other fields before it reports the first
		// bad one. Its path names an embedded struct ("Session.level"),
		// which the JSON does not have.
		field := typ.Field
		for f := range reflect.TypeOf(v).Elem().Fields() {
			if f.Anonymous {
				field = strings.TrimPrefix(field, f.Name+".")
			}
		}
		return append(issues, issue(field, "%s", jsonErrReason(err))), true
	}
	if err != nil && len(issues) == 0 {
		return []fieldIssue{issue("", "%s", err.Error())}, false
	}
	// An unknown-field error, named above; the known fields are filled.
	return issues, true
}

// unknownFields lists the keys of the JSON object raw, and of the objects
// nested in it, that type t has no field for, as paths ("speakers[1].bio").
// Keys must match the json tags exactly: encoding/json would also accept
// "Code" for "code", which a strict format should not.
func unknownFields(raw json.RawMessage, t reflect.Type) []fieldIssue {
	var out []fieldIssue
	for _, p := range unknownPaths(raw, t) {
		out = append(out, issue(p, "unknown field"))
	}
	return out
}

func unknownPaths(raw json.RawMessage, t reflect.Type) []string {
	var obj map[string]json.RawMessage
	if t.Kind() != reflect.Struct || json.Unmarshal(raw, &obj) != nil {
		return nil // not an object: decoding reports that
	}
	known := jsonFields(t)
	var out []string
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		ft, ok := known[k]
		switch {
		case !ok:
			out = append(out, k)
		case ft.Kind() == reflect.Struct && ft != timeType:
			for _, p := range unknownPaths(obj[k], ft) {
				out = append(out, k+"."+p)
			}
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			var elems []json.RawMessage
			if json.Unmarshal(obj[k], &elems) == nil {
				for i, e := range elems {
					for _, p := range unknownPaths(e, ft.Elem()) {
						out = append(out, fmt.Sprintf("%s[%d].%s", k, i, p))
					}
				}
			}
		}
	}
	return out
}

var timeType = reflect.TypeFor[time.Time]()

// jsonFields maps the JSON names of a struct's fields to their types.
// Fields of an embedded struct count unless an outer field has their name.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	known := map[string]reflect.Type{}
	var embedded []reflect.Type
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct:
			embedded = append(embedded, f.Type)
		case !f.IsExported() || name == "-":
		case name == "":
			known[f.Name] = f.Type
		default:
			known[name] = f.Type
		}
	}
	for _, e := range embedded {
		for k, ft := range jsonFields(e) {
			if _, shadowed := known[k]; !shadowed {
				known[k] = ft
			}
		}
	}
	return known
}

// parseInstant reads an RFC 3339 time as a UTC instant; empty is zero.
func parseInstant(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time such as 2019-12-04T16:00:00-08:00", s)
	}
	return t.UTC(), nil
}

// eventIssues checks an event field by field; Event.Validate stops at the first.
func eventIssues(e *lanyard.Event) []fieldIssue {
	var out []fieldIssue
	if strings.TrimSpace(e.Slug) == "" {
		out = append(out, issue("slug", "is required"))
	}
	if strings.TrimSpace(e.Name) == "" {
		out = append(out, issue("name", "is required"))
	} else {
		out = append(out, textIssues([]lanyard.TextField{{Name: "name", Value: &e.Name, Rule: lanyard.RuleTitle}})...)
	}
	if e.Days < 1 || e.Days > 60 {
		out = append(out, issue("days", "must be between 1 and 60, not %d", e.Days))
	}
	if _, err := time.LoadLocation(e.TimeZone); err != nil || e.TimeZone == "" {
		out = append(out, issue("time_zone", "%q is not an IANA time zone", e.TimeZone))
	}
	if _, err := time.Parse(time.DateOnly, e.StartDate); err != nil {
		out = append(out, issue("start_date", "%q is not a date (YYYY-MM-DD)", e.StartDate))
	}
	if err := e.Validate(); err != nil && len(out) == 0 {
		out = append(out, issue("", "%s", lanyard.ErrorMessage(err)))
	}
	return out
}

// sessionIssues checks a session field by field, naming fields by their
// JSON names; Session.Validate stops at the first problem and names none.
func sessionIssues(s *lanyard.Session) []fieldIssue {
	var out []fieldIssue
	switch code := strings.TrimSpace(s.Code); {
	case code == "":
		out = append(out, issue("code", "is required"))
	case len(s.Code) > lanyard.MaxCodeLen:
		out = append(out, issue("code", "is longer than %d characters", lanyard.MaxCodeLen))
	case lanyard.CheckCode(s.Code) != nil:
		out = append(out, issue("code", "%q may hold only letters A–Z, digits, '-', '_' and '.', starting with a letter or digit", s.Code))
	}
	if strings.TrimSpace(s.Title) == "" {
		out = append(out, issue("title", "is required"))
	}
	out = append(out, textIssues(s.TextFields())...)
	if !s.Type.Valid() {
		out = append(out, issue("type", "%q is not one of %v", s.Type, lanyard.SessionTypes))
	}
	if s.Level != 0 && (s.Level < 100 || s.Level > 400 || s.Level%100 != 0) {
		out = append(out, issue("level", "must be 100, 200, 300 or 400 (or empty), not %d", s.Level))
	}
	switch {
	case s.Start.IsZero() && !s.End.IsZero():
		out = append(out, issue("start", "is empty but end is set; give both or neither"))
	case !s.Start.IsZero() && s.End.IsZero():
		out = append(out, issue("end", "is empty but start is set; give both or neither"))
	case s.Scheduled() && !s.End.After(s.Start):
		out = append(out, issue("end", "%s is not after start %s", s.End.Format(time.RFC3339), s.Start.Format(time.RFC3339)))
	}
	if s.CapacityOverride < 0 {
		out = append(out, issue("capacity_override", "must not be negative"))
	}
	if s.Room != "" && s.Venue == "" {
		out = append(out, issue("venue", "is required when a room is given"))
	}
	if err := s.Validate(); err != nil && len(out) == 0 {
		out = append(out, issue("", "%s", lanyard.ErrorMessage(err)))
	}
	return out
}

// textIssues checks text fields by lanyard's rule, one issue per field.
// An empty field is left to the "is required" checks.
func textIssues(fields []lanyard.TextField) []fieldIssue {
	var out []fieldIssue
	for _, f := range fields {
		if strings.TrimSpace(*f.Value) == "" {
			continue
		}
		if err := lanyard.CheckText(f.Name, *f.Value, f.Rule); err != nil {
			out = append(out, issue(f.Name, "%s", lanyard.ErrorMessage(err)))
		}
	}
	return out
}

// venueIndex knows the venues read so far: their positions and room names.
type venueIndex map[string]*venueEntry

type venueEntry struct {
	pos   int
	rooms map[string]bool
}

// add checks a venue and its rooms and records them.
func (idx venueIndex) add(v *lanyard.Venue, pos int) []fieldIssue {
	var out []fieldIssue
	switch prev, dup := idx[v.Code]; {
	case strings.TrimSpace(v.Code) == "":
		out = append(out, issue("code", "is required"))
	case dup:
		out = append(out, issue("code", "venue %s is also venue #%d", v.Code, prev.pos))
	default:
		idx[v.Code] = &venueEntry{pos: pos, rooms: map[string]bool{}}
	}
	if strings.TrimSpace(v.Name) == "" {
		out = append(out, issue("name", "is required"))
	}
	out = appendNew(out, textIssues(v.TextFields())...)
	seen := map[string]int{}
	for j, r := range v.Rooms {
		switch prev, dup := seen[r.Name]; {
		case strings.TrimSpace(r.Name) == "":
			out = append(out, issue(fmt.Sprintf("rooms[%d].name", j), "is required"))
		case dup:
			out = append(out, issue(fmt.Sprintf("rooms[%d].name", j), "room %q is also rooms[%d]", r.Name, prev))
		default:
			seen[r.Name] = j
			if e := idx[v.Code]; e != nil && e.pos == pos {
				e.rooms[r.Name] = true
			}
		}
		if r.Capacity < 0 {
			out = append(out, issue(fmt.Sprintf("rooms[%d].capacity", j), "must not be negative"))
		}
	}
	return out
}

// placeIssues checks that a session's venue and room are in the catalog.
func (idx venueIndex) placeIssues(s *lanyard.Session) []fieldIssue {
	if s.Venue == "" {
		return nil
	}
	e := idx[s.Venue]
	switch {
	case e == nil:
		return []fieldIssue{issue("venue", "unknown venue %q; the catalog has %s", s.Venue, idx.codes())}
	case s.Room != "" && !e.rooms[s.Room]:
		return []fieldIssue{issue("room", "venue %s has no room %q", s.Venue, s.Room)}
	}
	return nil
}

func (idx venueIndex) codes() string {
	if len(idx) == 0 {
		return "no venues"
	}
	return strings.Join(slices.Sorted(maps.Keys(idx)), ", ")
}

// travelIssues checks one travel time. idx is nil when the venues are not
// in the same file (lanyard CSV), and then codes are not checked.
func travelIssues(t lanyard.TravelTime, idx venueIndex) []fieldIssue {
	var out []fieldIssue
	for _, v := range []struct{ field, code string }{{"from", t.From}, {"to", t.To}} {
		switch {
		case strings.TrimSpace(v.code) == "":
			out = append(out, issue(v.field, "is required"))
		case idx != nil && idx[v.code] == nil:
			out = append(out, issue(v.field, "unknown venue %q; the catalog has %s", v.code, idx.codes()))
		}
	}
	if t.WalkMinutes < 0 {
		out = append(out, issue("walk_minutes", "must not be negative"))
	}
	if t.ShuttleMinutes < 0 {
		out = append(out, issue("shuttle_minutes", "must not be negative"))
	}
	return out
}

// jsonReject turns a failed top-level decode into a rejection naming the
// line and column (and byte offset) where the file went wrong.
func jsonReject(f Format, data []byte, err error, want string) *Error {
	if syn, ok := errors.AsType[*json.SyntaxError](err); ok {
		line, col := lineCol(data, syn.Offset)
		return reject(f, "file", "", "invalid JSON at line %d, column %d (byte %d): %s", line, col, syn.Offset, syn.Error())
	}
	if typ, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		line, col := lineCol(data, typ.Offset)
		return reject(f, "file", typ.Field, "JSON %s at line %d, column %d (byte %d) where the file must have %s", typ.Value, line, col, typ.Offset, want)
	}
	return reject(f, "file", "", "invalid JSON: %s", err.Error())
}

// lineCol gives the 1-based line and column of the last byte encoding/json
// read before it failed: its offsets count the bytes read, that one included.
func lineCol(data []byte, offset int64) (line, col int) {
	i := int(min(max(offset-1, 0), int64(len(data))))
	before := data[:i]
	return bytes.Count(before, []byte("\n")) + 1, i - bytes.LastIndexByte(before, '\n')
}

// jsonKind names the kind of a raw JSON value for messages.
func jsonKind(raw []byte) string {
	if len(raw) == 0 {
		return "empty"
	}
	switch raw[0] {
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	}
	return "a number"
}

// jsonErrField names the field a record's decode error is in, if it says.
func jsonErrField(err error) string {
	if typ, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		return typ.Field
	}
	return ""
}

// jsonErrReason says what was wrong with a record, without byte offsets
// (which count from the record, not the file).
func jsonErrReason(err error) string {
	if typ, ok := errors.AsType[*json.UnmarshalTypeError](err); ok && typ.Type != nil {
		return fmt.Sprintf("JSON %s where %s belongs", typ.Value, jsonTypeName(typ.Type.Kind().String()))
	}
	return err.Error()
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	case "bool":
		return "a boolean"
	}
	return "a number"
}
