package importer

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// This file reads the frab/pentabarf schedule.xml and holds the mapping that
// voc.go shares. frab wrote both formats and they carry the same fields, so
// each reader only decodes its syntax into a schedule; buildSchedule turns
// that into a catalog, with the same rules for both.

// schedule is a decoded schedule.xml or schedule.json, before any
// interpretation: every value is the text the file gave.
type schedule struct {
	generator string // name of the software that wrote the file ("lanyard", "frab")
	acronym   string
	title     string
	venue     string // FOSDEM names its venue; most files do not
	zone      string // time_zone_name
	start     string // conference start: a date or a date-time
	end       string
	days      string // number of days
	dayList   []scheduleDay
}

// scheduleDay is one day of the schedule with the events of each room.
type scheduleDay struct {
	date  string // civil date ("2016-12-27")
	start string // when the day starts, a date-time with offset; may be empty
	rooms []scheduleRoom
}

type scheduleRoom struct {
	name   string
	events []scheduleEvent
}

// scheduleEvent is one event record, format-neutral.
type scheduleEvent struct {
	id, slug, url         string
	title, typ, track     string
	abstract, description string
	date, start, duration string
	persons               []string
	// bad, when set, is why the record could not be decoded; it is skipped.
	bad *Problem
}

// readFrabXML reads a frab/pentabarf schedule.xml (pretalx, frab, FOSDEM).
func readFrabXML(data []byte, opt Options, rep *Report) (*lanyard.Catalog, error) {
	var doc struct {
		XMLName   xml.Name
		Generator struct {
			Name string `xml:"name,attr"`
		} `xml:"generator"`
		Conference *struct {
			Acronym      string `xml:"acronym"`
			Title        string `xml:"title"`
			Venue        string `xml:"venue"`
			Start        string `xml:"start"`
			End          string `xml:"end"`
			Days         string `xml:"days"`
			TimeZoneName string `xml:"time_zone_name"`
		} `xml:"conference"`
		Days []struct {
			Date  string `xml:"date,attr"`
			Start string `xml:"start,attr"`
			Rooms []struct {
				Name   string `xml:"name,attr"`
				Events []struct {
					ID          string   `xml:"id,attr"`
					Date        string   `xml:"date"`
					Start       string   `xml:"start"`
					Duration    string   `xml:"duration"`
					Slug        string   `xml:"slug"`
					URL         string   `xml:"url"`
					Title       string   `xml:"title"`
					Type        string   `xml:"type"`
					Track       string   `xml:"track"`
					Abstract    string   `xml:"abstract"`
					Description string   `xml:"description"`
					Persons     []string `xml:"persons>person"`
				} `xml:"event"`
			} `xml:"room"`
		} `xml:"day"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		if se, ok := errors.AsType[*xml.SyntaxError](err); ok {
			return nil, reject(FormatFrabXML, fmt.Sprintf("line %d", se.Line), "", "not well-formed XML: %s", se.Msg)
		}
		return nil, reject(FormatFrabXML, "file", "", "cannot read as XML: %s", err.Error())
	}
	switch {
	case doc.XMLName.Local != "schedule":
		return nil, reject(FormatFrabXML, "file", "schedule", "the root element is <%s>, not <schedule>", doc.XMLName.Local)
	case doc.Conference == nil:
		return nil, reject(FormatFrabXML, "file", "conference", "no <conference> element")
	case len(doc.Days) == 0:
		return nil, reject(FormatFrabXML, "file", "day", "no <day> elements")
	}
	c := doc.Conference
	s := &schedule{
		generator: doc.Generator.Name,
		acronym:   c.Acronym,
		title:     c.Title,
		venue:     c.Venue,
		zone:      c.TimeZoneName,
		start:     c.Start,
		end:       c.End,
		days:      c.Days,
	}
	for _, d := range doc.Days {
		day := scheduleDay{date: d.Date, start: d.Start}
		for _, r := range d.Rooms {
			room := scheduleRoom{name: r.Name}
			for _, e := range r.Events {
				room.events = append(room.events, scheduleEvent{
					id: e.ID, slug: e.Slug, url: e.URL,
					title: e.Title, typ: e.Type, track: e.Track,
					abstract: e.Abstract, description: e.Description,
					date: e.Date, start: e.Start, duration: e.Duration,
					persons: e.Persons,
				})
			}
			day.rooms = append(day.rooms, room)
		}
		s.dayList = append(s.dayList, day)
	}
	return buildSchedule(FormatFrabXML, s, opt, rep)
}

// frabTypes maps frab type names that lanyard.ParseSessionType does not know
// but whose meaning is plain: FOSDEM files every talk as "devroom" or
// "maintrack" after the kind of room it is in.
var frabTypes = map[string]lanyard.SessionType{
	"devroom":   lanyard.TypeSession,
	"maintrack": lanyard.TypeSession,
}

// buildSchedule turns a decoded schedule into a catalog: one venue whose
// rooms are the schedule's rooms, and a session per event. Records it cannot
// trust are skipped and reported; the rest import.
func buildSchedule(f Format, s *schedule, opt Options, rep *Report) (*lanyard.Catalog, error) {
	loc, err := scheduleZone(f, s, opt, rep)
	if err != nil {
		return nil, err
	}
	ev := lanyard.Event{Name: clean(s.title), TimeZone: loc.String()}
	ev.Slug = slugify(s.acronym)
	venueCode := ev.Slug
	if ev.Slug == "" {
		ev.Slug = slugify(s.title)
		venueCode = "main"
		rep.doubt("conference", "acronym", "no acronym; the event slug %q was made from the title", ev.Slug)
	}
	if ev.Slug == "" {
		return nil, reject(f, "conference", "acronym", "neither an acronym nor a title to name the event by")
	}
	if ev.Name == "" {
		ev.Name = clean(s.acronym)
		rep.doubt("conference", "title", "no title; the event is named after its acronym %q", ev.Name)
	}
	venue := lanyard.Venue{Code: venueCode, Name: clean(s.venue)}
	if venue.Name == "" {
		venue.Name = ev.Name
	}

	b := sessionBuilder{
		rep:   rep,
		loc:   loc,
		venue: venueCode,
		own:   clean(s.generator) == "lanyard",
		used:  map[string]bool{},
		rooms: map[string]bool{},
	}
	var sessions []lanyard.Session
	for _, day := range s.dayList {
		for _, room := range day.rooms {
			name := clean(room.name)
			if name != "" {
				name = cleanLabel(rep, "room "+name, "name", name, lanyard.RuleLabel)
			}
			if name != "" && !b.rooms[name] {
				b.rooms[name] = true
				venue.Rooms = append(venue.Rooms, lanyard.Room{Name: name})
			}
			for _, e := range room.events {
				if ss, ok := b.session(&e, &day, name); ok {
					sessions = append(sessions, ss)
				}
			}
		}
	}
	for _, t := range b.unknownTypes {
		n := fmt.Sprintf("%d records", t.count)
		if t.count == 1 {
			n = "1 record"
		}
		rep.doubt(t.first, "type", "unknown type %q on %s; imported as %s", t.name, n, lanyard.TypeOther)
	}
	if len(venue.Rooms) > 0 {
		rep.doubt("rooms", "capacity", "the format has no room capacities; %d rooms imported with capacity 0", len(venue.Rooms))
	}

	if p := cleanFields(rep, "conference", []lanyard.TextField{{Name: "title", Value: &ev.Name, Rule: lanyard.RuleTitle}}); p != nil {
		return nil, reject(f, p.Record, p.Field, "%s", p.Reason)
	}
	cleanVenues(rep, []lanyard.Venue{venue})
	ev.StartDate, ev.Days, err = scheduleDates(f, s, sessions, loc, rep)
	if err != nil {
		return nil, err
	}
	if err := ev.Validate(); err != nil {
		return nil, reject(f, "conference", "", "%s", lanyard.ErrorMessage(err))
	}
	if sessions == nil {
		sessions = []lanyard.Session{}
	}
	return &lanyard.Catalog{Event: ev, Venues: []lanyard.Venue{venue}, Travel: []lanyard.TravelTime{}, Sessions: sessions}, nil
}

// sessionBuilder turns event records into sessions, one at a time, and
// remembers what it must report once for the whole file.
type sessionBuilder struct {
	rep   *Report
	loc   *time.Location
	venue string
	// own is set for lanyard's own exports, which carry the session code as
	// the last segment of each event's URL and abstracts as plain text.
	own          bool
	pos          int
	used         map[string]bool // codes taken
	rooms        map[string]bool
	unknownTypes []unknownType
}

type unknownType struct {
	name, first string
	count       int
}

// session maps one event record. It reports, and returns false for, a
// record it skips.
func (b *sessionBuilder) session(e *scheduleEvent, day *scheduleDay, room string) (lanyard.Session, bool) {
	b.pos++
	b.rep.Records++
	record := fmt.Sprintf("#%d", b.pos)
	if slug := clean(e.slug); slug != "" {
		record += " " + slug
	} else if id := clean(e.id); id != "" {
		record += " id " + id
	}
	if e.bad != nil {
		b.rep.skip(record, e.bad.Field, "%s", e.bad.Reason)
		return lanyard.Session{}, false
	}
	if clean(e.title) == "" {
		b.rep.skip(record, "title", "no title")
		return lanyard.Session{}, false
	}
	code, why := b.code(e, record)
	if code == "" {
		b.rep.skip(record, "slug", "%s", why)
		return lanyard.Session{}, false
	}
	start, end, field, err := eventTimes(e, day, b.loc)
	if err != nil {
		b.rep.skip(record, field, "%s", err.Error())
		return lanyard.Session{}, false
	}
	s := lanyard.Session{
		Code:       code,
		Title:      clean(e.title),
		Abstract:   b.text(e.abstract, e.description),
		Type:       b.sessionType(clean(e.typ), record),
		Topics:     []string{},
		Speakers:   []lanyard.Speaker{},
		Start:      start,
		End:        end,
		Reservable: true,
	}
	if room != "" {
		s.Venue, s.Room = b.venue, room
	}
	if t := clean(e.track); t != "" {
		s.Topics = append(s.Topics, t)
	}
	for _, p := range e.persons {
		if p = clean(p); p != "" {
			s.Speakers = append(s.Speakers, lanyard.Speaker{Name: p})
		}
	}
	if p := cleanFields(b.rep, record, s.TextFields()); p != nil {
		b.rep.skip(record, p.Field, "%s", p.Reason)
		return lanyard.Session{}, false
	}
	if err := s.Validate(); err != nil {
		b.rep.skip(record, "", "%s", lanyard.ErrorMessage(err))
		return lanyard.Session{}, false
	}
	b.used[code] = true
	return s, true
}

// text makes the abstract from a record's abstract and description. Others'
// may be HTML; lanyard's own are plain text, which may well mention "<b>".
func (b *sessionBuilder) text(abstract, description string) string {
	if b.own {
		return joinText(strings.TrimSpace(abstract), strings.TrimSpace(description))
	}
	return joinText(plainText(abstract), plainText(description))
}

// code picks the session's code, or says why there is none.
//
// frab's slug is the event's stable, readable key (its URLs and recording
// file names use it), so it is the code when it fits lanyard's 64
// characters. Longer slugs (156 of FOSDEM 2026's 883) and slug-less records
// fall back to "E" and the numeric id, which frab and pretalx keep stable
// too.
// lanyard's own exports say the code itself in the URL, so that an export
// imports again with the codes it came from.
//
// A candidate outside the safe alphabet (lanyard.CheckCode) gives the code
// lanyard.CleanCode derives from it, and a doubt in the report.
func (b *sessionBuilder) code(e *scheduleEvent, record string) (string, string) {
	var candidates []string
	if b.own {
		candidates = append(candidates, urlCode(clean(e.url)))
	}
	candidates = append(candidates, clean(e.slug))
	if id := clean(e.id); id != "" {
		candidates = append(candidates, "E"+id)
	}
	taken := ""
	for _, c := range candidates {
		safe := c
		if c != "" && len(c) <= lanyard.MaxCodeLen && lanyard.CheckCode(c) != nil {
			safe = lanyard.CleanCode(c)
		}
		switch {
		case safe == "" || len(c) > lanyard.MaxCodeLen: // unusable; try the next
		case b.used[safe]:
			taken = safe
		default:
			if safe != c {
				b.rep.doubt(record, "slug", "%q is not a safe session code (letters, digits, '-', '_', '.'); imported as %q", c, safe)
			}
			return safe, ""
		}
	}
	if taken != "" {
		return "", fmt.Sprintf("code %q is already taken by an earlier record", taken)
	}
	return "", "neither a slug of at most 64 characters nor an id to use as the code"
}

// urlCode returns the session code in a lanyard session URL
// (".../sessions/ARC301-R1"), or "".
func urlCode(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	dir, last, ok := cutLast(u.EscapedPath(), "/")
	if !ok || !strings.HasSuffix(dir, "/sessions") {
		return ""
	}
	code, err := url.PathUnescape(last)
	if err != nil {
		return ""
	}
	return code
}

// cutLast slices s around the last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// sessionType maps a frab type, noting an unknown one once per name rather
// than once per record: a file uses a handful of types thousands of times.
func (b *sessionBuilder) sessionType(name, record string) lanyard.SessionType {
	if t, ok := frabTypes[strings.ToLower(name)]; ok {
		return t
	}
	t, ok := lanyard.ParseSessionType(name)
	if ok || name == "" {
		return t
	}
	for i := range b.unknownTypes {
		if b.unknownTypes[i].name == name {
			b.unknownTypes[i].count++
			return t
		}
	}
	b.unknownTypes = append(b.unknownTypes, unknownType{name: name, first: record, count: 1})
	return t
}

// eventTimes returns when an event runs, in UTC. The date element (a
// date-time with offset) says it exactly; without it the start clock time is
// read on the day's date in the event's zone. It returns the field at fault
// when the times cannot be read.
func eventTimes(e *scheduleEvent, day *scheduleDay, loc *time.Location) (start, end time.Time, field string, err error) {
	switch date := clean(e.date); {
	case date != "":
		if start, err = parseDateTime(date, loc); err != nil {
			return start, end, "date", fmt.Errorf("date %q is not a date and time", date)
		}
	case clean(e.start) != "":
		d, dateErr := time.Parse(time.DateOnly, clean(day.date))
		c, ok := parseClock(clean(e.start))
		if dateErr != nil || !ok || c[0] > 23 {
			return start, end, "start", fmt.Errorf("no date, and start %q on day %q is not a time", e.start, day.date)
		}
		start = time.Date(d.Year(), d.Month(), d.Day(), c[0], c[1], c[2], 0, loc)
		// Days run past midnight (a 00:15 talk closes the night before):
		// a clock time before the day began is on the next calendar day.
		if dayStart, err := parseDateTime(clean(day.start), loc); err == nil && start.Before(dayStart) {
			start = start.AddDate(0, 0, 1)
		}
	default:
		return start, end, "date", errors.New("no date and no start time")
	}
	d, err := parseDuration(clean(e.duration))
	if err != nil {
		return start, end, "duration", err
	}
	return start.UTC(), start.Add(d).UTC(), "", nil
}

// parseDateTime reads an RFC 3339 date-time, or one without an offset as a
// wall clock in loc.
func parseDateTime(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02T15:04Z07:00", s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date and time", s)
}

// parseDuration reads frab's "HH:MM" or "HH:MM:SS"; the duration must be
// positive, since a session has to end after it starts.
func parseDuration(s string) (time.Duration, error) {
	c, ok := parseClock(s)
	if !ok {
		return 0, fmt.Errorf("duration %q is not HH:MM", s)
	}
	d := time.Duration(c[0])*time.Hour + time.Duration(c[1])*time.Minute + time.Duration(c[2])*time.Second
	if d <= 0 {
		return 0, fmt.Errorf("duration %q is not positive", s)
	}
	return d, nil
}

// parseClock reads "H:MM" or "H:MM:SS" into hours, minutes and seconds.
func parseClock(s string) ([3]int, bool) {
	var c [3]int
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return c, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || (i > 0 && (n > 59 || len(p) != 2)) {
			return c, false
		}
		c[i] = n
	}
	return c, true
}

// scheduleZone decides the event's time zone: the file's time_zone_name,
// else the caller's, else a guess from the offsets the file's times carry.
func scheduleZone(f Format, s *schedule, opt Options, rep *Report) (*time.Location, error) {
	if name := clean(s.zone); name != "" {
		if loc, err := lanyard.LoadZone(name); err == nil {
			return loc, nil
		}
		rep.doubt("conference", "time_zone_name", "unknown time zone %q; the zone was chosen as if none were named", name)
	}
	if opt.TimeZone != "" {
		loc, err := lanyard.LoadZone(opt.TimeZone)
		if err != nil {
			return nil, reject(f, "options", "time zone", "unknown time zone %q", opt.TimeZone)
		}
		return loc, nil
	}
	offset, ok := firstOffset(s)
	switch {
	case ok && offset == 3600:
		// +01:00 in files without a zone name is, in practice, the
		// Chaos Communication Congress and other German events.
		rep.doubt("conference", "time_zone_name", "no time zone named; times carry offset +01:00, so Europe/Berlin was assumed (name the zone to override)")
		return lanyard.LoadZone("Europe/Berlin")
	case ok:
		// Formatting a time in a fixed zone is the simplest way to spell ±hh:mm.
		rep.doubt("conference", "time_zone_name", "no time zone named; times carry offset %s, but UTC was assumed, so day dates may be off (name the zone to override)", time.Unix(0, 0).In(time.FixedZone("", offset)).Format("-07:00"))
	default:
		rep.doubt("conference", "time_zone_name", "no time zone named and no offsets to guess from; UTC was assumed (name the zone to override)")
	}
	return time.UTC, nil
}

// firstOffset returns the UTC offset, in seconds, of the first time in the
// file that carries one.
func firstOffset(s *schedule) (int, bool) {
	for _, d := range s.dayList {
		if t, err := time.Parse(time.RFC3339, clean(d.start)); err == nil {
			_, off := t.Zone()
			return off, true
		}
		for _, r := range d.rooms {
			for _, e := range r.events {
				if t, err := time.Parse(time.RFC3339, clean(e.date)); err == nil {
					_, off := t.Zone()
					return off, true
				}
			}
		}
	}
	return 0, false
}

// scheduleDates returns the event's first day and how many days it spans:
// from the conference's start, end and day count, else from the day
// elements, else from the sessions.
func scheduleDates(f Format, s *schedule, sessions []lanyard.Session, loc *time.Location, rep *Report) (string, int, error) {
	date := func(v string) (time.Time, bool) {
		v = clean(v)
		if len(v) < 10 {
			return time.Time{}, false
		}
		t, err := time.Parse(time.DateOnly, v[:10])
		return t, err == nil
	}
	first, ok := date(s.start)
	if !ok && len(s.dayList) > 0 {
		first, ok = date(s.dayList[0].date)
	}
	if !ok && len(sessions) > 0 {
		earliest := sessions[0].Start
		for _, ss := range sessions {
			if ss.Start.Before(earliest) {
				earliest = ss.Start
			}
		}
		first, ok = date(earliest.In(loc).Format(time.DateOnly))
		rep.doubt("conference", "start", "no start date; the first session's date %s was used", first.Format(time.DateOnly))
	}
	if !ok {
		return "", 0, reject(f, "conference", "start", "no start date, no dated day and no session to date the event by")
	}
	days, err := strconv.Atoi(clean(s.days))
	if err != nil || days < 1 {
		if last, ok := date(s.end); ok && !last.Before(first) {
			days = int(last.Sub(first).Hours()/24) + 1
		} else {
			days = max(1, len(s.dayList))
		}
	}
	if days > 60 {
		rep.doubt("conference", "days", "%d days is more than lanyard's 60; the event was cut to 60", days)
		days = 60
	}
	return first.Format(time.DateOnly), days, nil
}

// slugify makes an event slug: lowercase letters and digits, with one hyphen
// for each run of anything else.
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(clean(s)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	return b.String()
}

// clean trims a value and folds its runs of white space (titles in real
// files carry newlines and tabs).
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

// joinText joins the abstract and the description as paragraphs, once when
// they say the same.
func joinText(abstract, description string) string {
	switch {
	case description == "" || description == abstract:
		return abstract
	case abstract == "":
		return description
	}
	return abstract + "\n\n" + description
}

// htmlTag finds something that looks like an HTML tag.
var htmlTag = regexp.MustCompile(`</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>`)

// plainText turns an abstract into plain text with paragraphs. FOSDEM's
// abstracts are HTML; others (33C3, pretalx) are plain text or Markdown, which
// an HTML parser would damage ("a<b" opens a tag), so only text that has a
// tag in it is parsed as HTML. Entities are unescaped either way.
func plainText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if !htmlTag.MatchString(s) {
		return strings.TrimSpace(html.UnescapeString(s))
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	hidden, pre := 0, 0 // depth inside <script>/<style> and <pre>
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken: // io.EOF: the tokenizer reads a string and cannot fail otherwise
			return tidyText(b.String())
		case html.TextToken:
			if hidden > 0 {
				continue
			}
			t := string(z.Text())
			if pre == 0 {
				t = foldSpace(t)
			}
			b.WriteString(t)
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			open := 1
			if tt == html.EndTagToken {
				open = -1
			}
			switch string(name) {
			case "script", "style":
				if tt != html.SelfClosingTagToken {
					hidden = max(0, hidden+open)
				}
			case "pre":
				pre = max(0, pre+open)
				b.WriteString("\n\n")
			case "br":
				b.WriteString("\n")
			case "li":
				if open > 0 {
					b.WriteString("\n- ")
				}
			case "p", "div", "hr", "ul", "ol", "dl", "table", "tr", "blockquote",
				"h1", "h2", "h3", "h4", "h5", "h6":
				b.WriteString("\n\n")
			}
		}
	}
}

// foldSpace folds runs of white space to one space, as HTML renders them.
// Only ASCII white space folds: a no-break space is meant.
func foldSpace(s string) string {
	const space = " \t\n\r\f"
	f := strings.Join(strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(space, r) }), " ")
	switch {
	case f == "" && s != "":
		return " "
	case f == "":
		return ""
	}
	if strings.TrimLeft(s, space) != s {
		f = " " + f
	}
	if strings.TrimRight(s, space) != s {
		f += " "
	}
	return f
}

// tidyText trims every line and leaves at most one blank line between
// paragraphs.
func tidyText(s string) string {
	var out []string
	blank := false
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			blank = len(out) > 0
			continue
		}
		if blank {
			out = append(out, "")
			blank = false
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}
