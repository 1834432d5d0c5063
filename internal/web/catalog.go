package web

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/plan"
)

// groupsPerPage bounds a catalog page: 25 contents keep it small and fast
// to render (the template is most of a page's server time) while a phone
// scrolls it easily.
const groupsPerPage = 25

// derived is what the pages compute once per catalog: facet values, the
// repeats of each content, and the fixed happenings (keynotes, the expo,
// parties) an agenda shows.
type derived struct {
	from    *catalog.Catalog
	days    []string // civil dates
	topics  []string
	repeats map[string][]*lanyard.Session // by repeat group, by start
	markers []*lanyard.Session
	venueIx map[string]int // colour index per venue

	groupOf   map[string]int // session code → its content's index
	groupKeys []string       // by index: the repeat group, or "\x00"+code for a single session

	// heads caches each content's rendered heading, abstract and
	// speakers by language and group: the catalog's bulk, the same for
	// everyone, and costly to escape on every request.
	heads sync.Map // headKey → template.HTML
}

type headKey struct{ lang, group string }

func (h *Handler) derive() *derived {
	c := h.Catalog.Load()
	if d := h.derived.Load(); d != nil && d.from == c {
		return d
	}
	d := &derived{from: c, repeats: map[string][]*lanyard.Session{}, venueIx: map[string]int{}, groupOf: map[string]int{}}
	byKey := map[string]int{}
	d.days, _ = c.Event.DayDates()
	topics := map[string]bool{}
	for _, s := range c.Sessions() {
		for _, t := range s.Topics {
			topics[t] = true
		}
		if s.RepeatGroup != "" {
			d.repeats[s.RepeatGroup] = append(d.repeats[s.RepeatGroup], s)
		}
		if isMarker(s) {
			d.markers = append(d.markers, s)
		}
		key := s.RepeatGroup
		if key == "" {
			key = "\x00" + s.Code
		}
		gi, ok := byKey[key]
		if !ok {
			gi = len(d.groupKeys)
			byKey[key] = gi
			d.groupKeys = append(d.groupKeys, key)
		}
		d.groupOf[s.Code] = gi
	}
	for t := range topics {
		d.topics = append(d.topics, t)
	}
	slices.Sort(d.topics)
	for i, v := range c.Venues {
		d.venueIx[v.Code] = i % 8
	}
	h.derived.Store(d)
	return d
}

// happeningSeats is the size from which a walk-in session is a happening
// for everyone (the expo, a party) rather than a meetup.
const happeningSeats = 2000

// isMarker reports whether s is a fixed happening every agenda shows:
// keynotes, and walk-in gatherings big enough for everyone (the expo
// opening, parties). Catalogs have no field for this; size tells.
func isMarker(s *lanyard.Session) bool {
	return s.Scheduled() && (s.Type == lanyard.TypeKeynote ||
		(!s.Reservable && s.Type == lanyard.TypeOther && s.Capacity >= happeningSeats))
}

// group is one content with each of its times.
type group struct {
	key   string
	Link  string // the content's page: its first session in catalog order, the same for every search
	First *lanyard.Session
	Head  template.HTML // see derived.heads
	Times []*slot
}

// slot is one time of a session, with its live seats and the viewer's state.
type slot struct {
	P        *page
	Key      string // idempotency key of the page's forms
	S        *lanyard.Session
	Seats    lanyard.SeatCount
	Held     bool // the viewer holds a seat
	Waiting  int  // the viewer's waitlist place, 0 if not on it
	Favorite bool
	Fits     bool // fits the viewer's agenda
}

// newSlot makes the slot of s for the viewer v, with its live seat count.
func (h *Handler) newSlot(p *page, v viewer, s *lanyard.Session, key string) *slot {
	sl := &slot{P: p, Key: key, S: s, Held: v.held[s.Code], Waiting: v.waiting[s.Code], Favorite: v.favs[s.Code]}
	sl.Seats, _ = h.Engine.Seats(s.Code)
	return sl
}

// When is the slot's start in the viewer's zones.
func (s *slot) When() clocks { return s.P.When(s.S.Start) }

// SeatText says how many seats are left, or how long the waitlist is.
func (s *slot) SeatText() string {
	if s.Full() {
		return s.P.T("seats.full", "Wait", s.Seats.WaitlistLength)
	}
	return s.P.T("seats.left", "Count", s.Seats.SeatsLeft)
}

// Iso is the slot's start for <time datetime="">.
func (s *slot) Iso() string { return s.S.Start.UTC().Format(time.RFC3339) }

// head returns g's rendered heading, from the cache when it is there.
func (h *Handler) head(p *page, dv *derived, g *group) template.HTML {
	k := headKey{p.Lang(), g.key}
	if v, ok := dv.heads.Load(k); ok {
		return v.(template.HTML)
	}
	var buf bytes.Buffer
	if err := h.pages["catalog"].ExecuteTemplate(&buf, "group-head", struct {
		*page
		G *group
	}{p, g}); err != nil {
		h.Log.Error("template failed", "page", "group-head", "err", err)
		return ""
	}
	out := template.HTML(buf.String())
	dv.heads.Store(k, out)
	return out
}

// Full reports whether no seat is left to reserve.
func (s *slot) Full() bool { return s.S.Reservable && s.Seats.SeatsLeft <= 0 }

type catalogData struct {
	Filter   lanyard.SessionFilter
	Seats    string // "", "open"
	Fits     bool
	Groups   []*group
	Total    int // contents matching
	Sessions int // sessions matching
	Page     int
	Pages    int
	Days     []string
	DayNames map[string]string
	Venues   []lanyard.Venue
	Types    []lanyard.SessionType
	Levels   []int
	Topics   []string
	Key      string
	Codes    string // the sessions on the page, for live seats
	PrevURL  string
	NextURL  string
	Error    string
}

func (h *Handler) catalogPage(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "catalog.title")
	d, status := h.searchCatalog(r, p)
	p.Data = d
	if r.URL.Query().Get("fragment") == "1" {
		// Search as you type swaps the results only.
		h.renderBlock(w, r, status, "catalog", "results", p)
		return
	}
	h.render(w, r, status, "catalog", p)
}

func (h *Handler) searchCatalog(r *http.Request, p *page) (*catalogData, int) {
	c := h.Catalog.Load()
	dv := h.derive()
	q := r.URL.Query()
	d := &catalogData{Days: dv.days, DayNames: map[string]string{}, Venues: c.Venues, Types: lanyard.SessionTypes,
		Levels: []int{100, 200, 300, 400}, Topics: dv.topics, Key: newKey(), Page: 1}
	for _, day := range dv.days {
		if tm, err := time.ParseInLocation(time.DateOnly, day, c.Loc); err == nil {
			d.DayNames[day] = p.Day(tm)
		}
	}
	f := lanyard.SessionFilter{Query: strings.TrimSpace(q.Get("q")), Day: q.Get("day"), Venue: q.Get("venue"),
		Type: lanyard.SessionType(q.Get("type")), Topic: q.Get("topic")}
	if lv := q.Get("level"); lv != "" {
		f.Level, _ = strconv.Atoi(lv)
		if f.Level == 0 {
			f.Level = -1 // refused below, with the catalog's message
		}
	}
	d.Filter = f
	d.Seats = q.Get("seats")
	d.Fits = q.Get("fits") == "1" && p.User != nil
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		d.Page = n
	}

	// The whole match, then grouped: a page holds contents, not sessions.
	matches, err := c.SearchAll(f)
	if err != nil {
		d.Error = lanyard.ErrorMessage(err)
		return d, http.StatusBadRequest
	}

	v := h.viewerState(r, p)

	// Group the matches by content, in order of first appearance, making
	// slots only for the groups on the page asked for: a catalog of
	// thousands must not cost thousands of allocations per request.
	groups, total, sessions := h.group(p, dv, v, d, matches, d.Page)
	pages := max(1, (total+groupsPerPage-1)/groupsPerPage)
	if d.Page > pages {
		d.Page = pages
		groups, total, sessions = h.group(p, dv, v, d, matches, d.Page)
	}
	d.Groups, d.Total, d.Sessions, d.Pages = groups, total, sessions, pages
	var codes []string
	for _, g := range d.Groups {
		slices.SortStableFunc(g.Times, func(a, b *slot) int { return a.S.Start.Compare(b.S.Start) })
		g.Head = h.head(p, dv, g)
		for _, t := range g.Times {
			if d.Seats != "open" {
				t.Seats, _ = h.Engine.Seats(t.S.Code)
			}
			if p.User != nil && t.S.Scheduled() && !d.Fits {
				t.Fits = t.Held || plan.Fits(c.Loc, t.S, v.sessions, c.TravelTime)
			}
			if t.S.Reservable {
				codes = append(codes, t.S.Code)
			}
		}
	}
	d.Codes = strings.Join(codes, ",")
	if d.Page > 1 {
		d.PrevURL = pageURL(q, d.Page-1)
	}
	if d.Page < d.Pages {
		d.NextURL = pageURL(q, d.Page+1)
	}
	return d, http.StatusOK
}

// group returns the groups of matches on page n, and how many groups and
// sessions pass the filters in all.
func (h *Handler) group(p *page, dv *derived, v viewer, d *catalogData, matches []*lanyard.Session, n int) (shown []*group, groups, sessions int) {
	c := dv.from
	lo, hi := (n-1)*groupsPerPage, n*groupsPerPage
	order := make([]int32, len(dv.groupKeys)) // 1 + the group's place in the results; 0: not seen
	for _, s := range matches {
		if isMarker(s) && s.Type != lanyard.TypeKeynote && d.Filter.Query == "" && d.Filter.Type == "" {
			continue // the expo's hours are not something to browse
		}
		// Seats and fit are worked out here only when they filter; for the
		// page shown, in searchCatalog.
		var seats lanyard.SeatCount
		if d.Seats == "open" {
			seats, _ = h.Engine.Seats(s.Code)
			if !s.Reservable || seats.SeatsLeft <= 0 {
				continue
			}
		}
		if d.Fits && !v.held[s.Code] && !plan.Fits(c.Loc, s, v.sessions, c.TravelTime) {
			continue
		}
		sessions++
		gi := dv.groupOf[s.Code]
		if order[gi] == 0 {
			groups++
			order[gi] = int32(groups)
			if groups > lo && groups <= hi {
				g := &group{key: dv.groupKeys[gi], First: s, Link: "/sessions/" + url.PathEscape(s.Code)}
				if rs := dv.repeats[s.RepeatGroup]; s.RepeatGroup != "" && len(rs) > 0 {
					g.Link = "/sessions/" + url.PathEscape(rs[0].Code)
				}
				shown = append(shown, g)
			}
		}
		if k := int(order[gi]) - 1; k >= lo && k < hi {
			g := shown[k-lo]
			g.Times = append(g.Times, &slot{P: p, Key: d.Key, S: s, Seats: seats, Held: v.held[s.Code], Waiting: v.waiting[s.Code],
				Favorite: v.favs[s.Code], Fits: true})
		}
	}
	return shown, groups, sessions
}

func pageURL(q url.Values, n int) string {
	v := url.Values{}
	for k, vs := range q {
		if k != "fragment" {
			v[k] = vs
		}
	}
	v.Set("page", strconv.Itoa(n))
	return "/?" + v.Encode()
}

type sessionData struct {
	S       *slot
	Venue   string
	Repeats []*slot
	Key     string
}

func (h *Handler) sessionPage(w http.ResponseWriter, r *http.Request) {
	c := h.Catalog.Load()
	s, err := c.Session(r.PathValue("code"))
	if err != nil {
		h.errorPage(w, r, http.StatusNotFound, "error.no_session")
		return
	}
	p := h.newPage(r, "catalog.title")
	p.Title = s.Title
	v := h.viewerState(r, p)
	key := newKey()
	mk := func(s *lanyard.Session) *slot { return h.newSlot(p, v, s, key) }
	d := sessionData{S: mk(s), Venue: c.VenueName(s.Venue), Key: key}
	if s.RepeatGroup != "" {
		for _, o := range h.derive().repeats[s.RepeatGroup] {
			if o.Code != s.Code {
				d.Repeats = append(d.Repeats, mk(o))
			}
		}
	}
	p.Data = d
	h.render(w, r, http.StatusOK, "session", p)
}

// viewer is what the signed-in attendee holds, waits for and favours.
type viewer struct {
	sessions []*lanyard.Session // held
	held     map[string]bool
	waiting  map[string]int
	favs     map[string]bool
	wishlist []string // the favorites, best first
}

func (h *Handler) viewerState(r *http.Request, p *page) viewer {
	v := viewer{held: map[string]bool{}, waiting: map[string]int{}, favs: map[string]bool{}}
	if p.User == nil {
		return v
	}
	if ag, err := h.Engine.Agenda(r.Context(), p.User.ID); err == nil {
		c := h.Catalog.Load()
		for _, it := range ag.Reservations {
			v.held[it.Session] = true
			if s, err := c.Session(it.Session); err == nil {
				v.sessions = append(v.sessions, s)
			}
		}
		for _, it := range ag.Waitlists {
			v.waiting[it.Session] = it.Position
		}
	}
	if list, err := h.Engine.Wishlist(r.Context(), p.User.ID); err == nil {
		v.wishlist = list
		for _, code := range list {
			v.favs[code] = true
		}
	}
	return v
}
