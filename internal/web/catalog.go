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

	contents, times int // see Counts
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
	d.contents, d.times = Counts(c.Sessions())
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

	// Why it does not fit, when it does not: the held session it overlaps
	// (no seat can be reserved then) or the one too far away to reach in
	// time (a warning); and a repeat that fits, to offer instead.
	Clash       *lanyard.Session
	ClashTravel bool
	Gap, Need   int // minutes between the two, and the trip's
	Instead     *slot
}

// Anchor is the id of the slot's row, for a form to come back to.
func (s *slot) Anchor() string { return "t-" + s.S.Code }

// Back is where a form in the slot's row returns: the same page, at the row.
func (s *slot) Back() string { return s.P.Path + "#" + url.PathEscape(s.Anchor()) }

// Overlap reports whether the slot cannot be reserved for a clash.
func (s *slot) Overlap() bool { return s.Clash != nil && !s.ClashTravel }

// FlashHere reports whether the page's message is about this slot, to be
// shown in its row rather than at the top.
func (s *slot) FlashHere() bool { return s.P.Flash != "" && s.P.FlashCode == s.S.Code }

// newSlot makes the slot of s for the viewer v, with its live seat count.
func (h *Handler) newSlot(p *page, v viewer, s *lanyard.Session, key string) *slot {
	sl := &slot{P: p, Key: key, S: s, Held: v.held[s.Code], Waiting: v.waiting[s.Code], Favorite: v.favs[s.Code]}
	sl.Seats, _ = h.counts().Seats(s.Code)
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
	Sort     string // "", "time", "title", "seats"
	Sorts    []string
	Facets   []facet
	Groups   []*group
	Total    int // contents matching
	Sessions int // sessions matching
	Page     int
	Pages    int
	Key      string
	Codes    string // the sessions on the page, for live seats
	PrevURL  string
	NextURL  string
	Error    string
	Head     eventHead
}

// eventHead is the catalog's header: what the event is, when and where.
type eventHead struct {
	Name            string
	From, To        string // first and last day
	Year            int
	Venues          string
	VenueCount      int
	Contents, Times int // what the catalog lists with no filter, as Counts
}

// Counts returns what the catalog lists with no filter: its sessions
// (contents: a talk and its repeats count once) and the times they are
// held. The expo's hours and parties are on every agenda and not listed.
// The home page's header and the demo's banner both say these.
func Counts(sessions []*lanyard.Session) (contents, times int) {
	seen := map[string]bool{}
	for _, s := range sessions {
		if isMarker(s) && s.Type != lanyard.TypeKeynote {
			continue
		}
		times++
		key := s.RepeatGroup
		if key == "" {
			key = "\x00" + s.Code
		}
		if !seen[key] {
			seen[key] = true
			contents++
		}
	}
	return contents, times
}

func (h *Handler) eventHead(p *page, dv *derived) eventHead {
	c := dv.from
	e := eventHead{Name: c.Event.Name, VenueCount: len(c.Venues), Contents: dv.contents, Times: dv.times}
	if len(dv.days) > 0 {
		first, err1 := time.ParseInLocation(time.DateOnly, dv.days[0], c.Loc)
		last, err2 := time.ParseInLocation(time.DateOnly, dv.days[len(dv.days)-1], c.Loc)
		if err1 == nil && err2 == nil {
			e.From, e.To, e.Year = p.Day(first), p.Day(last), last.Year()
		}
	}
	names := make([]string, len(c.Venues))
	for i, v := range c.Venues {
		names[i] = v.Name
	}
	e.Venues = strings.Join(names, ", ")
	return e
}

// facet is one filter of the catalog with its values, each with how many
// sessions choosing it would show.
type facet struct {
	Name   string // the query parameter
	Label  string
	Values []facetValue
	Chosen int
}

type facetValue struct {
	Value, Label string
	Count        int
	On           bool
}

// sortSeats orders by seats left, most first: the live count is the web
// app's, so the catalog package sorts by time and the page re-sorts.
const sortSeats = "seats"

func (h *Handler) catalogPage(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "catalog.title")
	fragment := r.URL.Query().Get("fragment") == "1"
	if fragment {
		// Forms in the results come back to the page, not to the fragment.
		q := r.URL.Query()
		q.Del("fragment")
		p.Path = "/"
		if len(q) > 0 {
			p.Path += "?" + q.Encode()
		}
	}
	d, status := h.searchCatalog(r, p)
	p.Data = d
	if fragment {
		// Search as you type swaps the results only.
		h.renderBlock(w, r, status, "catalog", "results", p)
		return
	}
	h.render(w, r, status, "catalog", p)
}

// values returns a repeated query parameter without empty values.
func values(q url.Values, name string) []string {
	var out []string
	for _, v := range q[name] {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func (h *Handler) searchCatalog(r *http.Request, p *page) (*catalogData, int) {
	c := h.Catalog.Load()
	dv := h.derive()
	q := r.URL.Query()
	d := &catalogData{Key: newKey(), Page: 1, Sorts: []string{"", lanyard.SortTime, lanyard.SortTitle, sortSeats}, Head: h.eventHead(p, dv)}
	f := lanyard.SessionFilter{Query: strings.TrimSpace(q.Get("q")), Days: values(q, "day"), Venues: values(q, "venue"),
		Topics: values(q, "topic")}
	for _, t := range values(q, "type") {
		f.Types = append(f.Types, lanyard.SessionType(t))
	}
	for _, lv := range values(q, "level") {
		n, _ := strconv.Atoi(lv)
		if n == 0 {
			n = -1 // refused below, with the catalog's message
		}
		f.Levels = append(f.Levels, n)
	}
	d.Sort = q.Get("sort")
	f.Sort = d.Sort
	if d.Sort == sortSeats {
		f.Sort = lanyard.SortTime
	}
	d.Filter = f
	d.Seats = q.Get("seats")
	d.Fits = q.Get("fits") == "1" && p.User != nil
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		d.Page = n
	}
	v := h.viewerState(r, p)
	keep := func(s *lanyard.Session) bool { return h.browsable(c, d, v, s) }

	// The whole match, then grouped: a page holds contents, not sessions.
	matches, err := c.SearchAll(f)
	var counts catalog.Facets
	if err == nil {
		counts, err = c.Facets(f, keep)
	}
	d.Facets = h.facets(p, dv, d, counts)
	if err != nil {
		d.Error = lanyard.ErrorMessage(err)
		return d, http.StatusBadRequest
	}
	if d.Sort == sortSeats {
		// Read each count once: a sort compares each session many times.
		left := make(map[*lanyard.Session]int, len(matches))
		for _, s := range matches {
			left[s] = -1 << 30 // walk-in: no seats to count, last
			if s.Reservable {
				n, _ := h.counts().Seats(s.Code)
				left[s] = n.SeatsLeft
			}
		}
		slices.SortStableFunc(matches, func(a, b *lanyard.Session) int { return left[b] - left[a] })
	}

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
	flashShown := false
	for _, g := range d.Groups {
		if d.Sort != sortSeats {
			slices.SortStableFunc(g.Times, func(a, b *slot) int { return a.S.Start.Compare(b.S.Start) })
		}
		g.Head = h.head(p, dv, g)
		for _, t := range g.Times {
			if d.Seats != "open" {
				t.Seats, _ = h.counts().Seats(t.S.Code)
			}
			if p.User != nil && t.S.Scheduled() && !d.Fits {
				t.Fits = t.Held || plan.Fits(c.Loc, t.S, v.sessions, c.TravelTime)
			}
			if !t.Fits && t.S.Reservable && !t.Held {
				h.explainClash(p, dv, v, t)
			}
			if t.S.Reservable {
				codes = append(codes, t.S.Code)
			}
			flashShown = flashShown || t.FlashHere()
		}
	}
	p.FlashInline = flashShown // else its row is not on this page: the top shows it
	d.Codes = strings.Join(codes, ",")
	if d.Page > 1 {
		d.PrevURL = pageURL(q, d.Page-1)
	}
	if d.Page < d.Pages {
		d.NextURL = pageURL(q, d.Page+1)
	}
	return d, http.StatusOK
}

// browsable reports whether s is listed under d's seat and fit choices,
// as group lists it; facet counts count the same sessions.
func (h *Handler) browsable(c *catalog.Catalog, d *catalogData, v viewer, s *lanyard.Session) bool {
	if isMarker(s) && s.Type != lanyard.TypeKeynote && d.Filter.Query == "" && len(d.Filter.Types) == 0 {
		return false // the expo's hours are not something to browse
	}
	if d.Seats == "open" {
		seats, _ := h.counts().Seats(s.Code)
		if !s.Reservable || seats.SeatsLeft <= 0 {
			return false
		}
	}
	return !d.Fits || v.held[s.Code] || plan.Fits(c.Loc, s, v.sessions, c.TravelTime)
}

// facets lists the catalog's filters with their counts and choices.
func (h *Handler) facets(p *page, dv *derived, d *catalogData, n catalog.Facets) []facet {
	c := dv.from
	f := d.Filter
	out := make([]facet, 0, 5)
	add := func(name, label string, vals []facetValue) {
		fc := facet{Name: name, Label: p.T(label), Values: vals}
		for _, v := range vals {
			if v.On {
				fc.Chosen++
			}
		}
		out = append(out, fc)
	}
	var vals []facetValue
	for _, day := range dv.days {
		label := day
		if tm, err := time.ParseInLocation(time.DateOnly, day, c.Loc); err == nil {
			label = p.Day(tm)
		}
		vals = append(vals, facetValue{day, label, n.Days[day], slices.Contains(f.Days, day)})
	}
	add("day", "facet.day", vals)
	vals = nil
	for _, v := range c.Venues {
		vals = append(vals, facetValue{v.Code, v.Name, n.Venues[v.Code], slices.Contains(f.Venues, v.Code)})
	}
	add("venue", "facet.venue", vals)
	vals = nil
	for _, t := range lanyard.SessionTypes {
		vals = append(vals, facetValue{string(t), p.T("type." + string(t)), n.Types[t], slices.Contains(f.Types, t)})
	}
	add("type", "facet.type", vals)
	vals = nil
	for _, l := range []int{100, 200, 300, 400} {
		vals = append(vals, facetValue{strconv.Itoa(l), strconv.Itoa(l), n.Levels[l], slices.Contains(f.Levels, l)})
	}
	add("level", "facet.level", vals)
	vals = nil
	for _, t := range dv.topics {
		on := slices.ContainsFunc(f.Topics, func(x string) bool { return strings.EqualFold(x, t) })
		vals = append(vals, facetValue{t, t, n.Topics[strings.ToLower(t)], on})
	}
	add("topic", "facet.topic", vals)
	return out
}

// explainClash says which held session t clashes with, and finds a repeat
// of t that fits the agenda, to offer instead.
func (h *Handler) explainClash(p *page, dv *derived, v viewer, t *slot) {
	c := dv.from
	s := t.S
	for _, o := range v.sessions {
		if o.Code != s.Code && s.Overlaps(o) {
			t.Clash = o
			break
		}
	}
	if t.Clash == nil {
		// Too little time to travel to or from a neighbour the same day.
		for _, o := range v.sessions {
			if o.Code == s.Code || !o.Scheduled() || c.Day(o) != c.Day(s) || o.Venue == s.Venue {
				continue
			}
			a, b := o, s
			if s.Start.Before(o.Start) {
				a, b = s, o
			}
			tt, ok := c.TravelTime(a.Venue, b.Venue)
			if !ok {
				continue
			}
			need, _ := tt.Fastest()
			if gap := int(b.Start.Sub(a.End) / time.Minute); gap < need {
				t.Clash, t.ClashTravel, t.Gap, t.Need = o, true, gap, need
				break
			}
		}
	}
	if s.RepeatGroup == "" {
		return
	}
	for _, o := range dv.repeats[s.RepeatGroup] {
		if o.Code == s.Code || !o.Reservable || !plan.Fits(c.Loc, o, v.sessions, c.TravelTime) {
			continue
		}
		alt := h.newSlot(p, v, o, t.Key)
		if alt.Full() && t.Instead != nil {
			continue
		}
		t.Instead = alt
		if !alt.Full() {
			return
		}
	}
}

// group returns the groups of matches on page n, and how many groups and
// sessions pass the filters in all.
func (h *Handler) group(p *page, dv *derived, v viewer, d *catalogData, matches []*lanyard.Session, n int) (shown []*group, groups, sessions int) {
	c := dv.from
	lo, hi := (n-1)*groupsPerPage, n*groupsPerPage
	order := make([]int32, len(dv.groupKeys)) // 1 + the group's place in the results; 0: not seen
	for _, s := range matches {
		if !h.browsable(c, d, v, s) {
			continue
		}
		// Seats are read here only when they filter; for the page shown,
		// in searchCatalog.
		var seats lanyard.SeatCount
		if d.Seats == "open" {
			seats, _ = h.counts().Seats(s.Code)
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
	// Overflow are a full session's overflow rooms and the way there (places.go).
	Overflow []overflowView
	// Rate is the rating form, for a session the viewer checked in to (rate.go).
	Rate *rateForm
	Line *lineOffer // === line: its walk-up line, for a full session (line.go)
}

func (h *Handler) sessionPage(w http.ResponseWriter, r *http.Request) {
	c := h.Catalog.Load()
	s, err := c.Session(r.PathValue("code"))
	if err != nil {
		p := h.newPage(r, "error.not_found_title")
		code := r.PathValue("code")
		p.Data = errorData{Message: p.T("error.no_session_code", "Code", code), Search: code}
		h.render(w, r, http.StatusNotFound, "error", p)
		return
	}
	p := h.newPage(r, "catalog.title")
	p.Title = s.Title
	v := h.viewerState(r, p)
	key := newKey()
	mk := func(s *lanyard.Session) *slot { return h.newSlot(p, v, s, key) }
	d := sessionData{S: mk(s), Venue: c.VenueName(s.Venue), Key: key}
	d.Overflow = h.overflowRooms(r, c, s, d.S.Seats)   // === places (issue 13)
	d.Line = h.offerLine(r, p, s, v.held[s.Code], key) // === line
	if s.RepeatGroup != "" {
		for _, o := range h.derive().repeats[s.RepeatGroup] {
			if o.Code != s.Code {
				d.Repeats = append(d.Repeats, mk(o))
			}
		}
	}
	if d.Rate, err = h.rateFormFor(r, s); err != nil {
		h.serverError(w, r, err)
		return
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
	if ag, err := h.engine(r).Agenda(r.Context(), p.User.ID); err == nil {
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
	if pl := h.plans(r); pl != nil { // the naive baseline keeps no favorites
		if list, err := pl.Wishlist(r.Context(), p.User.ID); err == nil {
			v.wishlist = list
			for _, code := range list {
				v.favs[code] = true
			}
		}
	}
	return v
}
