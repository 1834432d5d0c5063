package schedule

import (
	"cmp"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Options carry what a catalog does not say about its export.
type Options struct {
	// BaseURL is the public root of the lanyard site ("https://conf.example").
	// Each session links to BaseURL + "/sessions/" + its code. Required: the
	// schemas want absolute http(s) URLs.
	BaseURL string
	// Version names this edition of the schedule, such as a generation time
	// or a content hash; apps show it and use it to notice a change.
	Version string
}

// dayChangeHour is when one schedule day hands over to the next. A session
// before 04:00 belongs to the night of the day before, as at a congress
// whose talks run past midnight (frab calls this day_change).
const dayChangeHour = 4

// plan is a catalog laid out the way both formats want it: days, each with
// its rooms, each with its sessions. WriteXML and WriteJSON only spell it.
type plan struct {
	acronym  string
	title    string
	zone     string
	start    string // first day ("2006-01-02")
	end      string // last day
	timeslot string // "HH:MM"
	baseURL  string
	version  string
	rooms    []planRoom // every room, in catalog order
	days     []planDay
}

type planRoom struct {
	name     string
	guid     string
	capacity int
}

type planDay struct {
	index      int // from 1
	date       string
	start, end time.Time
	rooms      []planDayRoom // every room, so each day lists the same columns
}

type planDayRoom struct {
	name   string
	guid   string
	events []planEvent
}

type planEvent struct {
	id         int64
	guid       string
	start, end time.Time // in the event's zone
	duration   string    // "HH:MM"
	room       string
	slug       string
	url        string
	title      string
	abstract   string
	typ        string
	track      string
	persons    []string
}

// Namespaces for the name-based (v5) guids of sessions and rooms.
var (
	sessionSpace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/lanyardhq/lanyard/schedule#session"))
	roomSpace    = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/lanyardhq/lanyard/schedule#room"))
)

// newPlan lays out the scheduled sessions of c. Unscheduled sessions have no
// place in a timetable and are left out.
func newPlan(c *lanyard.Catalog, opt Options) (*plan, error) {
	base, err := url.Parse(opt.BaseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, lanyard.Errorf(lanyard.EINVALID, "The base URL %q is not an absolute http(s) URL.", opt.BaseURL)
	}
	loc, err := c.Event.Location()
	if err != nil {
		return nil, err
	}
	dates, err := c.Event.DayDates()
	if err != nil {
		return nil, err
	}
	if len(dates) == 0 {
		return nil, lanyard.Errorf(lanyard.EINVALID, "Event %s has no days.", c.Event.Slug)
	}
	p := &plan{
		acronym: acronym(c.Event.Slug),
		title:   c.Event.Name,
		zone:    c.Event.TimeZone,
		start:   dates[0],
		end:     dates[len(dates)-1],
		baseURL: strings.TrimRight(opt.BaseURL, "/"),
		version: opt.Version,
	}

	// Rooms are known by their names, "Venue – Room" when there are several
	// venues (two hotels may both have a "Ballroom A"), the room alone
	// otherwise. Sessions in a room the venues do not list add it.
	venueNames := map[string]string{}
	for _, v := range c.Venues {
		venueNames[v.Code] = v.Name
	}
	roomName := func(venue, room string) string {
		switch {
		case room == "":
			return "TBA" // the formats have no event without a room
		case len(c.Venues) > 1:
			return cmp.Or(venueNames[venue], venue) + " – " + room
		}
		return room
	}
	roomIndex := map[string]int{} // name → p.rooms index
	addRoom := func(name string, capacity int) int {
		if i, ok := roomIndex[name]; ok {
			return i
		}
		guid := uuid.NewSHA1(roomSpace, []byte(c.Event.Slug+"/"+name)).String()
		p.rooms = append(p.rooms, planRoom{name: name, guid: guid, capacity: capacity})
		roomIndex[name] = len(p.rooms) - 1
		return len(p.rooms) - 1
	}
	for _, v := range c.Venues {
		for _, r := range v.Rooms {
			addRoom(roomName(v.Code, r.Name), r.Capacity)
		}
	}

	var sessions []*lanyard.Session
	for i := range c.Sessions {
		if c.Sessions[i].Scheduled() {
			sessions = append(sessions, &c.Sessions[i])
		}
	}
	roomOf := make(map[*lanyard.Session]int, len(sessions))
	for _, s := range sessions {
		roomOf[s] = addRoom(roomName(s.Venue, s.Room), 0)
	}
	slices.SortStableFunc(sessions, func(a, b *lanyard.Session) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(roomOf[a], roomOf[b]), strings.Compare(a.Code, b.Code))
	})

	for i, d := range dates {
		day, _ := time.Parse(time.DateOnly, d) // DayDates wrote it
		pd := planDay{
			index: i + 1,
			date:  d,
			start: time.Date(day.Year(), day.Month(), day.Day(), dayChangeHour, 0, 0, 0, loc),
			end:   time.Date(day.Year(), day.Month(), day.Day()+1, dayChangeHour, 0, 0, 0, loc),
		}
		for _, r := range p.rooms {
			pd.rooms = append(pd.rooms, planDayRoom{name: r.name, guid: r.guid})
		}
		p.days = append(p.days, pd)
	}

	ids := sessionIDs(sessions)
	slugs := map[string]bool{}
	step := 60 // minutes; shrinks to the coarsest grid every start and length sits on
	for i, s := range sessions {
		start, end := s.Start.In(loc), s.End.In(loc)
		minutes := int((s.Duration() + time.Minute - 1) / time.Minute) // whole minutes, rounded up
		step = gcd(gcd(step, minutes), start.Hour()*60+start.Minute())
		e := planEvent{
			id:       ids[i],
			guid:     uuid.NewSHA1(sessionSpace, []byte(c.Event.Slug+"/"+s.Code)).String(),
			start:    start,
			end:      end,
			duration: fmt.Sprintf("%02d:%02d", minutes/60, minutes%60),
			room:     p.rooms[roomOf[s]].name,
			slug:     uniqueSlug(slugs, eventSlug(p.acronym, s.Code), ids[i]),
			url:      p.baseURL + "/sessions/" + url.PathEscape(s.Code),
			title:    s.Title,
			abstract: s.Abstract,
			typ:      string(s.Type),
			persons:  []string{},
		}
		if s.Type == lanyard.TypeSession {
			e.typ = "talk" // what the schedule apps call it
		}
		if len(s.Topics) > 0 {
			e.track = s.Topics[0]
		}
		for _, sp := range s.Speakers {
			e.persons = append(e.persons, sp.Name)
		}

		d := &p.days[dayIndex(dates, start)]
		d.rooms[roomOf[s]].events = append(d.rooms[roomOf[s]].events, e)
		if start.Before(d.start) {
			d.start = start
		}
		if end.After(d.end) {
			d.end = end
		}
	}
	p.timeslot = fmt.Sprintf("%02d:%02d", step/60, step%60)
	return p, nil
}

// dayIndex returns the day a session starting at t (in the event's zone)
// belongs to, counting the hours before dayChangeHour to the day before.
// Sessions outside the event's days go to the first or the last day rather
// than disappear.
func dayIndex(dates []string, t time.Time) int {
	if t.Hour() < dayChangeHour {
		t = t.AddDate(0, 0, -1)
	}
	i, found := slices.BinarySearch(dates, t.Format(time.DateOnly))
	switch {
	case found:
		return i
	case i == 0:
		return 0
	}
	return len(dates) - 1
}

// sessionIDs numbers the sessions: their database IDs when every one has a
// distinct one, else their positions from 1. Mixing the two could give two
// sessions one id, which the formats forbid.
func sessionIDs(sessions []*lanyard.Session) []int64 {
	ids := make([]int64, len(sessions))
	seen := map[int64]bool{}
	for i, s := range sessions {
		if s.ID <= 0 || seen[s.ID] {
			for i := range ids {
				ids[i] = int64(i + 1)
			}
			return ids
		}
		seen[s.ID] = true
		ids[i] = s.ID
	}
	return ids
}

var (
	// slugPatterns are what the JSON schema and the XSD require of an
	// event slug.
	slugPatterns = []*regexp.Regexp{
		regexp.MustCompile(`^[a-z0-9_-]+[a-z0-9]$`),           // JSON schema
		regexp.MustCompile(`^[a-z0-9_]{4,}-[a-z0-9\-_]{4,}$`), // XSD voc-slug-new
	}
	// zonePattern is the JSON schema's time_zone_name pattern, which not
	// every IANA name meets ("Etc/GMT+5"); such a zone is left out.
	zonePattern = regexp.MustCompile(`^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$`)
)

// acronym makes the schedule acronym from an event slug: lowercase letters,
// digits and underscores, at least four ("fosdem-2026" gives "fosdem_2026").
func acronym(slug string) string {
	a := strings.ReplaceAll(lowerSafe(slug, '_'), "-", "_")
	if len(a) < 4 {
		a += strings.Repeat("_", 4-len(a))
	}
	return a
}

// eventSlug makes a session's slug: the code itself when it is already a
// valid slug once lowercased, else the code behind the acronym. The slug
// only has to be valid and unique; the code travels in the URL.
func eventSlug(acronym, code string) string {
	s := strings.TrimRight(lowerSafe(code, '_'), "-_")
	if validSlug(s) {
		return s
	}
	if len(s) < 4 {
		s = strings.TrimRight("session-"+s, "-_")
	}
	return acronym + "-" + s
}

// uniqueSlug returns slug, or slug with the session id when another
// session has it already (codes "A.1" and "a_1" both make "…-a_1").
func uniqueSlug(taken map[string]bool, slug string, id int64) string {
	s := slug
	for n := 1; taken[s]; n++ {
		s = slug + "-" + strconv.FormatInt(id, 10)
		if n > 1 {
			s += "-" + strconv.Itoa(n)
		}
	}
	taken[s] = true
	return s
}

func validSlug(s string) bool {
	for _, p := range slugPatterns {
		if !p.MatchString(s) {
			return false
		}
	}
	return true
}

// lowerSafe lowercases s and replaces everything but ASCII letters,
// digits, '-' and '_' with repl.
func lowerSafe(s string, repl rune) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return repl
	}, s)
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
