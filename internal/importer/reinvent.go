package importer

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// reinventZone is where re:Invent runs; its scrapes write naive Las Vegas times.
const reinventZone = "America/Los_Angeles"

// reinventRecord is one session of the 2018/2019 attendee-portal scrapes.
// Fields the importer does not use (id, day, repeat, repeats, end) are left out.
type reinventRecord struct {
	Abbr     string  `json:"abbr"`
	Title    string  `json:"title"`
	Abstract string  `json:"abstract"`
	Type     string  `json:"type"`
	Level    string  `json:"level"`
	Track    string  `json:"track"`
	Hotel    string  `json:"hotel"`
	Rooms    string  `json:"rooms"`
	Times    string  `json:"times"`
	Start    string  `json:"start"`
	RepeatID *string `json:"repeatId"` // nil in 2018, which has no such field
}

// readReinvent reads a re:Invent 2018 or 2019 portal scrape. The times
// string is the one trusted source of when a session runs; rooms the one
// trusted source of where.
func readReinvent(data []byte, opt Options, rep *Report) (*lanyard.Catalog, error) {
	elems, err := jsonObjects(FormatReinvent, data)
	if err != nil {
		return nil, err
	}
	zone := cmp.Or(opt.TimeZone, reinventZone)
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, reject(FormatReinvent, "options", "time_zone", "unknown time zone %q", zone)
	}
	rep.Records = len(elems)
	recs := make([]reinventRecord, len(elems))
	decodeErrs := make([]error, len(elems))
	for i, e := range elems {
		decodeErrs[i] = json.Unmarshal(e, &recs[i])
	}
	year := opt.Year
	switch {
	case year < 0 || year > 9999:
		return nil, reject(FormatReinvent, "options", "year", "year %d is out of range", year)
	case year == 0:
		if year = reinventYear(recs); year == 0 {
			return nil, reject(FormatReinvent, "file", "start", "cannot tell the event's year: no record has a start date; give the year option")
		}
	}

	b := reinventBuilder{loc: loc, year: year, hotels: reinventHotels(recs), first: map[string]int{}}
	for i := range recs {
		name := recordName("", i+1, recs[i].Abbr)
		if err := decodeErrs[i]; err != nil {
			rep.skip(name, jsonErrField(err), "cannot read the record: %s", jsonErrReason(err))
			continue
		}
		b.add(i+1, name, &recs[i], rep)
	}
	b.clearLoneRepeats()

	ev, err := b.event(rep)
	if err != nil {
		return nil, err
	}
	cat := &lanyard.Catalog{Event: ev, Venues: b.venueList(), Sessions: b.sessions}
	cleanVenues(rep, cat.Venues)
	if n := roomCount(cat.Venues); n > 0 {
		rep.doubt("file", "rooms", "the format has no room capacities; every room (%d) imports with capacity 0", n)
	}
	return cat, nil
}

// reinventBuilder accumulates the catalog record by record.
type reinventBuilder struct {
	loc      *time.Location
	year     int
	hotels   map[string]bool // hotel names seen in the file
	first    map[string]int  // code → position of the record imported with it
	sessions []lanyard.Session
	venues   map[string]*lanyard.Venue
	rooms    map[[2]string]bool // venue code, room name
}

// add imports one record, or skips it. Doubts are collected apart and kept
// only when the record is imported, so a skipped record reports one reason.
func (b *reinventBuilder) add(pos int, name string, r *reinventRecord, rep *Report) {
	code, title := safeCode(rep, name, "abbr", oneLine(r.Abbr)), cleanTitle(r.Title)
	if !admit(rep, name, "abbr", code, title, b.first) {
		return
	}
	var d Report
	s := lanyard.Session{
		Code:     code,
		Title:    title,
		Abstract: strings.TrimSpace(normalizeSpaces(r.Abstract)),
		Level:    sessionLevel(r.Level, name, &d),
	}
	if track := strings.TrimSpace(normalizeSpaces(r.Track)); track != "" {
		s.Topics = []string{track}
	}
	s.Type, s.Reservable = reinventType(r.Type, name, &d)
	s.RepeatGroup = reinventRepeatGroup(r.RepeatID, code)
	venue, venueName, room := b.place(r, name, &d)
	s.Venue, s.Room = venue, room
	b.schedule(&s, r, name, &d)

	if p := cleanFields(&d, name, s.TextFields()); p != nil {
		rep.skip(name, p.Field, "%s", p.Reason)
		return
	}
	if err := s.Validate(); err != nil {
		rep.skip(name, "", "%s", lanyard.ErrorMessage(err))
		return
	}
	rep.Problems = append(rep.Problems, d.Problems...)
	b.first[code] = pos
	b.sessions = append(b.sessions, s)
	if s.Venue != "" {
		b.addRoom(s.Venue, venueName, s.Room)
	}
}

// admit reports whether a record can become a session: it needs a code that
// fits and that no earlier session has, and a title. It skips it otherwise.
func admit(rep *Report, name, codeField, code, title string, first map[string]int) bool {
	switch prev, dup := first[code]; {
	case code == "":
		rep.skip(name, codeField, "no session code")
	case len(code) > lanyard.MaxCodeLen:
		rep.skip(name, codeField, "code is longer than %d characters", lanyard.MaxCodeLen)
	case dup:
		rep.skip(name, codeField, "code %s is also record #%d's; the first (#%d) is kept", code, prev, prev)
	case title == "":
		rep.skip(name, "title", "no title")
	default:
		return true
	}
	return false
}

// reinventType maps the scrape's type. Overflow rooms stream a session
// running elsewhere and are not reserved.
func reinventType(raw, name string, d *Report) (lanyard.SessionType, bool) {
	raw = strings.TrimSpace(normalizeSpaces(raw))
	if strings.EqualFold(raw, "Overflow") {
		return lanyard.TypeOther, false
	}
	return sessionType(raw, name, d), true
}

// sessionType maps a catalog's type name, doubting one lanyard does not know.
func sessionType(raw, name string, d *Report) lanyard.SessionType {
	t, ok := lanyard.ParseSessionType(raw)
	switch {
	case raw == "":
		d.doubt(name, "type", "no type given; imported as %s", t)
	case !ok:
		d.doubt(name, "type", "unknown type %q; imported as %s", raw, t)
	}
	return t
}

// repeatCode matches a repeat's code ("DEV303-R1", "DEV303-R") and captures the shared part.
var repeatCode = regexp.MustCompile(`^(.+)-R\d*$`)

// reinventRepeatGroup names the repeats of one content: the repeatId without
// its "-R" ("AIM331-R" → "AIM331"). 2018 has no repeatId; its codes carry the
// same marker. Overflow ids ("SEC205-ROFA") form no group: overflow rooms
// are not reserved, so they are no alternative to book.
func reinventRepeatGroup(repeatID *string, code string) string {
	if repeatID == nil {
		if m := repeatCode.FindStringSubmatch(code); m != nil {
			return m[1]
		}
		return ""
	}
	id := strings.TrimSpace(*repeatID)
	if base, ok := strings.CutSuffix(id, "-R"); ok {
		return base
	}
	return ""
}

// clearLoneRepeats empties groups with one session left: it repeats nothing.
func (b *reinventBuilder) clearLoneRepeats() {
	n := map[string]int{}
	for _, s := range b.sessions {
		n[s.RepeatGroup]++
	}
	for i := range b.sessions {
		if n[b.sessions[i].RepeatGroup] < 2 {
			b.sessions[i].RepeatGroup = ""
		}
	}
}

// place finds the venue (code and name) and the room. rooms is right where
// hotel disagrees with it; hotel is only a fallback when rooms is empty.
func (b *reinventBuilder) place(r *reinventRecord, name string, d *Report) (code, venueName, room string) {
	hotel := strings.TrimSpace(normalizeSpaces(r.Hotel))
	known := hotel != "" && !strings.EqualFold(hotel, "unknown")
	venueName, room = splitRooms(normalizeSpaces(r.Rooms), b.hotels)
	switch {
	case venueName == "" && known:
		d.doubt(name, "rooms", "no room given; venue taken from hotel %q", hotel)
		venueName = hotel
	case venueName == "":
		d.doubt(name, "rooms", "no room or hotel given; imported without a venue")
		return "", "", ""
	case known && !strings.EqualFold(hotel, venueName):
		d.doubt(name, "hotel", "hotel %q disagrees with rooms %q; venue %q taken from rooms", hotel, strings.TrimSpace(r.Rooms), venueName)
	}
	if code = venueSlug(venueName); code == "" {
		d.doubt(name, "rooms", "venue %q has no letters or digits to name it by; imported without a venue", venueName)
		return "", "", ""
	}
	return code, venueName, room
}

// splitRooms splits "Aria, Level 1 West, Bristlecone 2" into the venue
// ("Aria") and the room (the rest). 2018 names the Aria's wings ("Aria West,
// Level 3, Starvine 3") where hotel says "Aria": a first part that starts
// with a known hotel name is that hotel, and the wing goes to the room.
func splitRooms(rooms string, hotels map[string]bool) (venue, room string) {
	first, rest, _ := strings.Cut(rooms, ",")
	first, rest = strings.TrimSpace(first), strings.TrimSpace(rest)
	if hotels[first] {
		return first, rest
	}
	// The longest hotel name that ends at a space wins.
	for i := strings.LastIndexByte(first, ' '); i > 0; i = strings.LastIndexByte(first[:i], ' ') {
		if h := first[:i]; hotels[h] {
			wing := strings.TrimSpace(first[i:])
			if rest == "" {
				return h, wing
			}
			return h, wing + ", " + rest
		}
	}
	return first, rest
}

// reinventHotels collects the hotel names the file uses.
func reinventHotels(recs []reinventRecord) map[string]bool {
	hs := map[string]bool{}
	for _, r := range recs {
		if h := strings.TrimSpace(normalizeSpaces(r.Hotel)); h != "" && !strings.EqualFold(h, "unknown") {
			hs[h] = true
		}
	}
	return hs
}

// schedule sets Start and End from the times string; a record without a
// readable one stays unscheduled with a doubt. The start field is only
// checked against it: start is missing on most 2019 records, midnight on
// some, and the scrape date on 2018 records without a time.
func (b *reinventBuilder) schedule(s *lanyard.Session, r *reinventRecord, name string, d *Report) {
	start, end, stated, err := parseReinventTimes(normalizeSpaces(r.Times), b.year, b.loc)
	if err != nil {
		if st := strings.TrimSpace(r.Start); st != "" {
			d.doubt(name, "times", "%s; start %q is not trusted; imported unscheduled", err.Error(), st)
		} else {
			d.doubt(name, "times", "%s; imported unscheduled", err.Error())
		}
		return
	}
	if start.Weekday() != stated {
		d.doubt(name, "times", "%q: %s is a %s, not a %s; is the year %d right?", strings.TrimSpace(r.Times), start.Format("Jan 2 2006"), start.Weekday(), stated, b.year)
	}
	if st, ok := reinventStart(r.Start, b.loc); ok && !st.Equal(start) {
		d.doubt(name, "start", "start %q disagrees with times %q; times used", r.Start, strings.TrimSpace(r.Times))
	}
	s.Start, s.End = start.UTC(), end.UTC()
}

// reinventStart reads a start field: UTC with a Z in 2018, naive local time in 2019.
func reinventStart(s string, loc *time.Location) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04:05", s, loc); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// reinventTimesPattern finds "Wednesday, Dec 4, 4:00 PM - 5:00 PM" anywhere
// in the string: the portal glues page text in front ("This session is
// full") and a dash behind.
var reinventTimesPattern = regexp.MustCompile(`(?i)(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s*(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2}),\s*(\d{1,2}):(\d{2})\s*(AM|PM)\s*[-–—]\s*(\d{1,2}):(\d{2})\s*(AM|PM)`)

// parseReinventTimes reads a times string in loc, in the given year. It
// returns the start and end in loc and the weekday the string states, so
// that the caller can doubt a wrong year. A session ending earlier on the
// clock than it starts runs past midnight.
func parseReinventTimes(s string, year int, loc *time.Location) (start, end time.Time, stated time.Weekday, err error) {
	m := reinventTimesPattern.FindStringSubmatch(s)
	if m == nil {
		if s = strings.TrimSpace(s); s == "" {
			return start, end, 0, errors.New("no session time")
		}
		return start, end, 0, fmt.Errorf("no session time (\"Weekday, Mon D, H:MM AM - H:MM PM\") in %q", s)
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(d.String(), m[1]) {
			stated = d
		}
	}
	var month time.Month
	for mo := time.January; mo <= time.December; mo++ {
		if strings.EqualFold(mo.String()[:3], m[2]) {
			month = mo
		}
	}
	day, _ := strconv.Atoi(m[3])
	date := time.Date(year, month, day, 0, 0, 0, 0, loc)
	if date.Month() != month || date.Day() != day {
		return start, end, 0, fmt.Errorf("%s %d, %d is not a date", month, day, year)
	}
	clock := func(h, mm, ampm string) (time.Time, error) {
		hour, _ := strconv.Atoi(h)
		minute, _ := strconv.Atoi(mm)
		if hour < 1 || hour > 12 || minute > 59 {
			return time.Time{}, fmt.Errorf("%s:%s %s is not a time of day", h, mm, ampm)
		}
		hour %= 12 // 12 AM is midnight, 12 PM noon
		if strings.EqualFold(ampm, "PM") {
			hour += 12
		}
		return time.Date(year, month, day, hour, minute, 0, 0, loc), nil
	}
	if start, err = clock(m[4], m[5], m[6]); err != nil {
		return time.Time{}, time.Time{}, 0, err
	}
	if end, err = clock(m[7], m[8], m[9]); err != nil {
		return time.Time{}, time.Time{}, 0, err
	}
	switch {
	case end.Equal(start):
		return time.Time{}, time.Time{}, 0, fmt.Errorf("%q ends when it starts", m[0])
	case end.Before(start):
		end = end.AddDate(0, 0, 1)
	}
	return start, end, stated, nil
}

// reinventYear is the most common year among the start fields (ties go to
// the later year); 0 when none has one.
func reinventYear(recs []reinventRecord) int {
	count := map[int]int{}
	for _, r := range recs {
		s := strings.TrimSpace(r.Start)
		if len(s) < 5 || s[4] != '-' {
			continue
		}
		if y, err := strconv.Atoi(s[:4]); err == nil && y > 0 {
			count[y]++
		}
	}
	year, most := 0, 0
	for y, n := range count {
		if n > most || n == most && y > year {
			year, most = y, n
		}
	}
	return year
}

// event spans the dates sessions run on, in the event's zone.
func (b *reinventBuilder) event(rep *Report) (lanyard.Event, error) {
	ev := lanyard.Event{
		Slug:     fmt.Sprintf("reinvent-%d", b.year),
		Name:     fmt.Sprintf("AWS re:Invent %d", b.year),
		TimeZone: b.loc.String(),
	}
	var first, last time.Time // civil dates in the event's zone, as midnight UTC
	for _, s := range b.sessions {
		if !s.Scheduled() {
			continue
		}
		y, m, d := s.Start.In(b.loc).Date()
		day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		if first.IsZero() || day.Before(first) {
			first = day
		}
		if day.After(last) {
			last = day
		}
	}
	if first.IsZero() {
		// re:Invent runs in the week after Thanksgiving, around the start of December.
		ev.StartDate, ev.Days = fmt.Sprintf("%04d-12-01", b.year), 5
		rep.doubt("event", "start_date", "no session has a time; the event is guessed to run %d days from %s", ev.Days, ev.StartDate)
		return ev, nil
	}
	ev.StartDate = first.Format(time.DateOnly)
	ev.Days = int(last.Sub(first).Hours()/24) + 1
	if ev.Days > 60 {
		return ev, reject(FormatReinvent, "event", "times", "sessions run from %s to %s, %d days, longer than an event can; is the year or the file wrong?",
			ev.StartDate, last.Format(time.DateOnly), ev.Days)
	}
	return ev, nil
}

// addRoom records a venue and room seen on a session.
func (b *reinventBuilder) addRoom(code, name, room string) {
	if b.venues == nil {
		b.venues, b.rooms = map[string]*lanyard.Venue{}, map[[2]string]bool{}
	}
	v := b.venues[code]
	if v == nil {
		v = &lanyard.Venue{Code: code, Name: name}
		b.venues[code] = v
	}
	if room != "" && !b.rooms[[2]string{code, room}] {
		b.rooms[[2]string{code, room}] = true
		v.Rooms = append(v.Rooms, lanyard.Room{Name: room})
	}
}

// venueList returns the venues by code, each with its rooms by name.
func (b *reinventBuilder) venueList() []lanyard.Venue {
	vs := make([]lanyard.Venue, 0, len(b.venues))
	for _, v := range b.venues {
		slices.SortFunc(v.Rooms, func(a, b lanyard.Room) int { return strings.Compare(a.Name, b.Name) })
		vs = append(vs, *v)
	}
	slices.SortFunc(vs, func(a, b lanyard.Venue) int { return strings.Compare(a.Code, b.Code) })
	return vs
}

func roomCount(vs []lanyard.Venue) int {
	n := 0
	for _, v := range vs {
		n += len(v.Rooms)
	}
	return n
}

// sessionLevel maps a catalog's level ("Advanced", "300 – Advanced") to
// lanyard's 100–400 scale, doubting what does not fit.
func sessionLevel(raw, name string, d *Report) int {
	raw = strings.TrimSpace(normalizeSpaces(raw))
	if raw == "" {
		return 0
	}
	n := 0
	if digits := strings.TrimLeftFunc(raw, unicode.IsDigit); len(digits) < len(raw) {
		n, _ = strconv.Atoi(raw[:len(raw)-len(digits)])
	} else {
		n = levelWords[strings.ToLower(raw)]
	}
	switch {
	case n == 500:
		// 2025's "500 – Distinguished" is above expert; expert is the nearest lanyard has.
		d.doubt(name, "level", "level %q is above lanyard's highest (400, expert); imported as 400", raw)
		return 400
	case n < 100 || n > 400 || n%100 != 0:
		d.doubt(name, "level", "unknown level %q; left empty", raw)
		return 0
	}
	return n
}

var levelWords = map[string]int{
	"introductory": 100, "foundational": 100,
	"intermediate": 200,
	"advanced":     300,
	"expert":       400,
}

// titlePrefix matches the "[REPEAT 2]" and "[OVERFLOW]" markers the portal
// puts in front of titles; the type and repeat group carry that meaning.
var titlePrefix = regexp.MustCompile(`(?i)^(?:\s*\[\s*(?:REPEAT(?:\s*\d+)?|OVERFLOW)\s*\])+`)

// cleanTitle strips the markers and folds runs of whitespace (2018 titles
// end in tabs and newlines) into single spaces.
func cleanTitle(s string) string {
	return oneLine(titlePrefix.ReplaceAllString(normalizeSpaces(s), ""))
}

// oneLine folds all whitespace, non-ASCII spaces included, into single spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// normalizeSpaces turns non-ASCII spaces (the non-breaking spaces of
// scraped pages) into plain ones, so that trimming and matching see them.
func normalizeSpaces(s string) string {
	return strings.Map(func(r rune) rune {
		if r > unicode.MaxASCII && unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, s)
}

// venueSlug makes a venue code from its name: "MGM" → "mgm", "Aria West" → "aria-west".
func venueSlug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}

// jsonObjects splits a JSON array of objects into its elements, or rejects
// the file naming where it stops being one.
func jsonObjects(f Format, data []byte) ([]json.RawMessage, error) {
	var elems []json.RawMessage
	if err := json.Unmarshal(data, &elems); err != nil {
		return nil, jsonReject(f, data, err, "an array of session objects")
	}
	if elems == nil { // a bare null decodes without error
		return nil, reject(f, "file", "", "is null, not an array of session objects")
	}
	for i, e := range elems {
		if e = bytes.TrimLeft(e, " \t\r\n"); len(e) == 0 || e[0] != '{' {
			return nil, reject(f, fmt.Sprintf("#%d", i+1), "", "is %s, not an object; the file must be an array of session objects", jsonKind(e))
		}
	}
	return elems, nil
}
