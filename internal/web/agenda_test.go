package web_test

import (
	"context"
	"html"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"
)

func TestReserveCancelSwitchLeave(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.attendee("Ria", "ria@example.com")
	other := e.attendee("Sam", "sam@example.com")
	c := e.signIn("ria@example.com")
	state := func(wantHeld, wantWaiting []string) {
		t.Helper()
		held, waiting := e.agendaOf(a.ID)
		if !slices.Equal(held, wantHeld) || !slices.Equal(waiting, wantWaiting) {
			t.Fatalf("held %v waiting %v, want %v and %v", held, waiting, wantHeld, wantWaiting)
		}
	}

	// From the catalog, back to the same search.
	back := "/?q=serverless&day=2026-12-01"
	if got := c.postOK("/reserve/A-R1", url.Values{"back": {back}, "key": {"k1"}}, back); got != "A-R1 · Building serverless APIs: Reserved" {
		t.Errorf("flash %q", got)
	}
	state([]string{"A-R1"}, nil)
	// The same form again is answered as the first.
	c.postOK("/reserve/A-R1", url.Values{"back": {back}, "key": {"k1"}}, back)
	state([]string{"A-R1"}, nil)
	// Refusals come back as the flash, in words.
	if got := c.postOK("/reserve/O", url.Values{"back": {"/"}}, "/"); got != "O · Event sourcing in practice: It overlaps a session you have reserved." {
		t.Errorf("overlap flash %q", got)
	}
	if got := c.postOK("/reserve/A-R2", url.Values{"back": {"/"}}, "/"); got != "A-R2 · Building serverless APIs: You already hold another time of this session; switch instead." {
		t.Errorf("repeat flash %q", got)
	}
	// B is 10 minutes from A-R1 by a 25-minute shuttle: reserved, with a warning.
	if got := c.postOK("/reserve/B", url.Values{"back": {"/"}}, "/"); !strings.HasPrefix(got, "B · Scaling databases: Reserved") ||
		!strings.Contains(got, "Only 10 min to get from A-R1 “Building serverless APIs” at Venetian to B “Scaling databases” at MGM Grand: the trip takes 25 min by shuttle.") {
		t.Errorf("travel flash %q", got)
	}
	state([]string{"A-R1", "B"}, nil)

	// A full session: refused without waitlist=1, waitlisted with it.
	e.reserve(other.ID, "C")
	if got := c.postOK("/reserve/C", url.Values{"back": {"/"}}, "/"); got != "C · Kubernetes whiteboard: The session is full." {
		t.Errorf("full flash %q", got)
	}
	if got := c.postOK("/reserve/C", url.Values{"back": {"/"}, "waitlist": {"1"}}, "/"); got != "C · Kubernetes whiteboard: Full: you are #1 on the waitlist" {
		t.Errorf("waitlist flash %q", got)
	}
	state([]string{"A-R1", "B"}, []string{"C"})
	if r := c.post("/reserve/NOPE", nil); r.status != http.StatusNotFound {
		t.Errorf("reserve an unknown session: %d", r.status)
	}

	// On the agenda: leave the waitlist, switch to the other time, cancel.
	ag := c.get("/agenda")
	for _, want := range []string{`data-leave="C"`, `data-cancel="A-R1"`, `data-cancel="B"`, `data-switch="A-R1"`, `<option value="A-R2">`, "Waitlist #1"} {
		if !strings.Contains(ag.body, want) {
			t.Errorf("agenda lacks %s", want)
		}
	}
	if strings.Contains(ag.body, `data-switch="B"`) || strings.Contains(ag.body, `data-cancel="C"`) {
		t.Error("agenda offers a switch without repeats, or cancelling a waitlist")
	}
	if got := c.postOK("/agenda/leave/C", url.Values{"key": {ag.key()}}, "/agenda"); got != "C · Kubernetes whiteboard: Left the waitlist" {
		t.Errorf("leave flash %q", got)
	}
	state([]string{"A-R1", "B"}, nil)
	if got := c.postOK("/agenda/switch/A-R1", url.Values{"to": {"B"}}, "/agenda"); got != "A-R1 · Building serverless APIs: Choose another time of the same session." {
		t.Errorf("switch to another content: flash %q", got)
	}
	if got := c.postOK("/agenda/switch/A-R1", url.Values{"to": {"A-R2"}, "key": {ag.key()}}, "/agenda"); got != "A-R2 · Building serverless APIs: Reserved" {
		t.Errorf("switch flash %q", got)
	}
	state([]string{"A-R2", "B"}, nil)
	if got := c.postOK("/agenda/cancel/B", url.Values{"key": {ag.key()}}, "/agenda"); got != "B · Scaling databases: Cancelled" {
		t.Errorf("cancel flash %q", got)
	}
	state([]string{"A-R2"}, nil)
	if got := c.postOK("/agenda/cancel/B", nil, "/agenda"); got != "B · Scaling databases: You do not hold a seat in this session." {
		t.Errorf("cancel again: flash %q", got)
	}
	if r := c.post("/agenda/cancel/NOPE", nil); r.status != http.StatusNotFound {
		t.Errorf("cancel an unknown session: %d", r.status)
	}
	// The seat given back is free again.
	if s, _ := e.eng.Seats("B"); s.SeatsLeft != 20 {
		t.Errorf("B has %d seats left, want 20", s.SeatsLeft)
	}
}

// key returns the idempotency key of a page's forms.
func (r *resp) key() string {
	m := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(r.body)
	if m == nil {
		return ""
	}
	return m[1]
}

func TestAgendaPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.attendee("Tao", "tao@example.com")
	other := e.attendee("Uma", "uma@example.com")
	c := e.signIn("tao@example.com")
	if r := c.get("/agenda"); r.status != http.StatusOK || !strings.Contains(r.body, `id="agenda-empty"`) {
		t.Fatalf("empty agenda: %d", r.status)
	}
	e.reserve(other.ID, "C")
	e.reserve(a.ID, "A-R1", "B", "E", "D")
	if _, err := e.eng.Reserve(context.Background(), a.ID, []string{"C"}, true, ""); err != nil {
		t.Fatal(err)
	}

	r := c.get("/agenda")
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	if strings.Contains(r.body, `id="agenda-empty"`) {
		t.Error("the agenda says it is empty")
	}
	day1 := section(r.body, "d-2026-12-01")
	if day1 == "" || !strings.Contains(day1, "Tue, Dec 1") {
		t.Fatalf("no first day:\n%s", r.text())
	}
	// A-R1 (Venetian, to 11:00) then B (MGM, 11:10): 10 minutes for a
	// 25-minute shuttle. B (to 12:00) then E (Venetian, 13:00): enough.
	for _, want := range []string{
		"Not enough time: 25 min shuttle to MGM Grand, only 10 min free",
		"25 min shuttle to Venetian · 60 min free",
		"Only 10 min to get from A-R1 “Building serverless APIs” at Venetian to B “Scaling databases” at MGM Grand: the trip takes 25 min by shuttle.",
	} {
		if got := strings.Count(html.UnescapeString(day1), want); got != 1 {
			t.Errorf("day 1 says %q %d times, want once", want, got)
		}
	}
	if !regexp.MustCompile(`class="trip short[^"]*"[^>]*>.*Not enough time`).MatchString(day1) {
		t.Error("the short trip is not marked short")
	}
	// The warning offers the repeat that clears the trip: A-R2, a day later.
	if !strings.Contains(day1, `action="/agenda/switch/A-R1"`) || !strings.Contains(day1, `data-fix="A-R1:A-R2"`) ||
		!strings.Contains(day1, "Switch A-R1 to A-R2, Wed 10:00–11:00 AM PST") {
		t.Errorf("the travel warning offers no switch to A-R2:\n%s", warnings(day1))
	}
	// Keynotes and the expo are on every agenda, unreserved; the waitlist is
	// shown with its place.
	if got, want := codes(day1), []string{"K1", "A-R1", "B", "E", "C", "EXPO"}; !slices.Equal(got, want) {
		t.Errorf("day 1 shows %v, want %v", got, want)
	}
	for _, code := range []string{"K1", "EXPO"} {
		if !regexp.MustCompile(`class="item v\d marker" data-session="` + code + `"`).MatchString(day1) {
			t.Errorf("%s is not a marker", code)
		}
		if strings.Contains(day1, `data-cancel="`+code+`"`) {
			t.Errorf("%s can be cancelled", code)
		}
	}
	if !regexp.MustCompile(`class="item v\d waitlisted" data-session="C"`).MatchString(day1) || !strings.Contains(day1, "Waitlist #1") {
		t.Error("C is not shown as waitlisted")
	}
	// One list per day: each entry is drawn once, with its actions.
	for _, code := range []string{"A-R1", "B", "E", "C"} {
		if got := strings.Count(day1, `data-session="`+code+`"`); got != 1 {
			t.Errorf("%s is drawn %d times", code, got)
		}
	}
	if !strings.Contains(day1, `data-cancel="A-R1"`) || !strings.Contains(day1, `data-leave="C"`) {
		t.Error("the entries lack their actions")
	}
	day3 := section(r.body, "d-2026-12-03")
	if got := codes(day3); !slices.Equal(got, []string{"D"}) {
		t.Errorf("day 3 shows %v, want [D]", got)
	}
	if strings.Contains(r.body, `id="d-2026-12-02"`) {
		t.Error("a day with nothing on it is shown")
	}
}

// warnings returns the text of a day's warnings list.
func warnings(day string) string {
	i := strings.Index(day, `<ul class="warnings">`)
	if i < 0 {
		return ""
	}
	j := strings.Index(day[i:], "</ul>")
	return html.UnescapeString(day[i : i+j])
}

// section returns the day's <section> of the agenda page.
func section(body, id string) string {
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], "</section>")
	if j < 0 {
		return body[i:]
	}
	return body[i : i+j]
}

// parseICS parses a calendar and returns its events by UID.
func parseICS(t *testing.T, r *resp) map[string]*ics.VEvent {
	t.Helper()
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("calendar: %d %s\n%s", r.status, r.header.Get("Content-Type"), r.body)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(r.body))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, r.body)
	}
	out := map[string]*ics.VEvent{}
	for _, ev := range cal.Events() {
		out[ev.Id()] = ev
	}
	return out
}

func TestAgendaICS(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.attendee("Vic", "vic@example.com")
	other := e.attendee("Wu", "wu@example.com")
	e.reserve(other.ID, "C")
	e.reserve(a.ID, "A-R1", "D")
	if _, err := e.eng.Reserve(context.Background(), a.ID, []string{"C"}, true, ""); err != nil {
		t.Fatal(err)
	}
	c := e.signIn("vic@example.com")
	r := c.get("/agenda.ics")
	if disp, params, err := mime.ParseMediaType(r.header.Get("Content-Disposition")); err != nil || disp != "attachment" || params["filename"] != "test-conf-agenda.ics" {
		t.Errorf("Content-Disposition %q", r.header.Get("Content-Disposition"))
	}
	evs := parseICS(t, r)
	if len(evs) != 3 {
		t.Fatalf("%d events, want A-R1, D and C", len(evs))
	}
	for _, tt := range []struct{ uid, start, end, status, summary string }{
		{"A-R1@test-conf.lanyard", "20261201T100000", "20261201T110000", "CONFIRMED", "A-R1 · Building serverless APIs"},
		{"D@test-conf.lanyard", "20261203T090000", "20261203T110000", "CONFIRMED", "D · Hands-on machine learning"},
		{"C@test-conf.lanyard", "20261201T140000", "20261201T150000", "TENTATIVE", "C · Kubernetes whiteboard"},
	} {
		ev := evs[tt.uid]
		if ev == nil {
			t.Errorf("no event %s", tt.uid)
			continue
		}
		for _, p := range []struct {
			prop ics.ComponentProperty
			want string
		}{{ics.ComponentPropertyDtStart, tt.start}, {ics.ComponentPropertyDtEnd, tt.end}} {
			v := ev.GetProperty(p.prop)
			if v == nil || v.Value != p.want || !slices.Equal(v.ICalParameters["TZID"], []string{"America/Los_Angeles"}) {
				t.Errorf("%s %s: %+v, want %s with TZID=America/Los_Angeles", tt.uid, p.prop, v, p.want)
			}
		}
		if v := ev.GetProperty(ics.ComponentPropertyStatus); v == nil || v.Value != tt.status {
			t.Errorf("%s status %+v, want %s", tt.uid, v, tt.status)
		}
		if v := ev.GetProperty(ics.ComponentPropertySummary); v == nil || v.Value != tt.summary {
			t.Errorf("%s summary %+v", tt.uid, v)
		}
		if v := ev.GetProperty(ics.ComponentPropertyUrl); v == nil || !strings.HasPrefix(v.Value, e.srv.URL+"/sessions/") {
			t.Errorf("%s URL %+v", tt.uid, v)
		}
	}
	if !strings.Contains(r.body, "BEGIN:VTIMEZONE") || !strings.Contains(r.body, "TZID:America/Los_Angeles") {
		t.Error("no VTIMEZONE for the venue's zone")
	}
}

// feedURL returns the agenda page's calendar subscription address, or "".
func feedURL(c *client) string {
	r := c.get("/agenda")
	m := regexp.MustCompile(`id="feed-url" readonly value="([^"]+)"`).FindStringSubmatch(r.body)
	if m == nil {
		return ""
	}
	return m[1]
}

// getURL fetches an absolute URL of the server without cookies.
func (e *env) getURL(raw string) *resp {
	e.t.Helper()
	u, err := url.Parse(raw)
	if err != nil || u.Scheme+"://"+u.Host != e.srv.URL {
		e.t.Fatalf("%q is not an address of the server %s", raw, e.srv.URL)
	}
	return e.client().get(u.RequestURI())
}

func TestCalendarFeed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.attendee("Xia", "xia@example.com")
	e.reserve(a.ID, "E")
	c := e.signIn("xia@example.com")
	if feedURL(c) != "" {
		t.Fatal("a feed before one was created")
	}
	if got := c.postOK("/agenda/feed", url.Values{"action": {"create"}}, "/agenda#calendar"); got != "Your new calendar address is ready." {
		t.Errorf("flash %q", got)
	}
	first := feedURL(c)
	if !regexp.MustCompile(`^https://[^/]+/calendar/[A-Za-z0-9_-]{32}\.ics$`).MatchString(first) {
		t.Fatalf("feed URL %q", first)
	}
	// The feed is read without cookies, as a calendar app does.
	evs := parseICS(t, e.getURL(first))
	if len(evs) != 1 || evs["E@test-conf.lanyard"] == nil {
		t.Fatalf("feed events %v", evs)
	}
	// It follows the agenda.
	e.reserve(a.ID, "D")
	if evs := parseICS(t, e.getURL(first)); len(evs) != 2 {
		t.Fatalf("feed after reserving D: %d events", len(evs))
	}

	// Replaced: the old address is dead, the new one works.
	c.postOK("/agenda/feed", url.Values{"action": {"create"}}, "/agenda#calendar")
	second := feedURL(c)
	if second == "" || second == first {
		t.Fatalf("rotated feed %q (was %q)", second, first)
	}
	if r := e.getURL(first); r.status != http.StatusNotFound {
		t.Errorf("old feed after rotating: %d", r.status)
	}
	parseICS(t, e.getURL(second))

	// Turned off: no address works.
	if got := c.postOK("/agenda/feed", url.Values{"action": {"revoke"}}, "/agenda#calendar"); got != "The calendar address is turned off." {
		t.Errorf("flash %q", got)
	}
	if feedURL(c) != "" {
		t.Error("the page still shows a feed")
	}
	for _, u := range []string{first, second} {
		if r := e.getURL(u); r.status != http.StatusNotFound {
			t.Errorf("%s after turning off: %d", u, r.status)
		}
	}
	for _, path := range []string{"/calendar/", "/calendar/.ics", "/calendar/nonsense.ics", "/calendar/%00.ics"} {
		if r := e.client().get(path); r.status != http.StatusNotFound {
			t.Errorf("%s: %d", path, r.status)
		}
	}
	if r := c.post("/agenda/feed", url.Values{"action": {"share"}}); r.status != http.StatusBadRequest {
		t.Errorf("unknown feed action: %d", r.status)
	}
}

// TestAgendaMarkerSeat: a keynote that takes reservations says whether the
// attendee holds a seat and offers one; the expo says none is needed. Issue
// 11 found a keynote whose reservation was refused drawn as if it were held.
func TestAgendaMarkerSeat(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.attendee("Vic", "vic@example.com")
	e.reserve(a.ID, "A-R1")
	c := e.signIn("vic@example.com")

	day1 := section(c.get("/agenda").body, "d-2026-12-01")
	k1 := item(day1, "K1")
	for _, want := range []string{`data-seat="none"`, "No seat reserved", `action="/reserve/K1"`, `name="back" value="/agenda"`, `data-reserve="K1"`} {
		if !strings.Contains(k1, want) {
			t.Errorf("the unreserved keynote lacks %s:\n%s", want, k1)
		}
	}
	if strings.Contains(k1, `data-cancel="K1"`) {
		t.Error("the unreserved keynote offers a cancel")
	}
	expo := item(day1, "EXPO")
	if !strings.Contains(expo, `data-seat="walkin"`) || !strings.Contains(expo, "Walk in: no seat needed") || strings.Contains(expo, "data-reserve") {
		t.Errorf("the expo does not say it needs no seat:\n%s", expo)
	}

	// The keynote's own form reserves it; then it says so.
	key := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(k1)
	if key == nil {
		t.Fatal("the keynote has no form to reserve it")
	}
	if got := c.postOK("/reserve/K1", url.Values{"key": {key[1]}, "back": {"/agenda"}}, "/agenda"); !strings.Contains(got, "Reserved") {
		t.Fatalf("reserving the keynote: %q", got)
	}
	k1 = item(section(c.get("/agenda").body, "d-2026-12-01"), "K1")
	if !strings.Contains(k1, `data-seat="held"`) || !strings.Contains(k1, "You have a seat") || !strings.Contains(k1, `data-cancel="K1"`) ||
		strings.Contains(k1, "data-reserve") {
		t.Errorf("the reserved keynote:\n%s", k1)
	}
}

// item returns an agenda entry's <li>.
func item(day, code string) string {
	m := regexp.MustCompile(`(?s)<li class="item[^"]*" data-session="` + regexp.QuoteMeta(code) + `".*?</li>`).FindString(day)
	return m
}

// TestAgendaFix: the switch a travel warning offers clears it.
func TestAgendaFix(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.attendee("Wen", "wen@example.com")
	e.reserve(a.ID, "A-R1", "B")
	c := e.signIn("wen@example.com")
	r := c.get("/agenda")
	if !strings.Contains(warnings(section(r.body, "d-2026-12-01")), "Only 10 min") {
		t.Fatalf("no travel warning:\n%s", r.text())
	}
	c.postOK("/agenda/switch/A-R1", url.Values{"key": {r.key()}, "to": {"A-R2"}}, "/agenda")
	if held, _ := e.agendaOf(a.ID); !slices.Equal(held, []string{"A-R2", "B"}) {
		t.Fatalf("held %v after the fix", held)
	}
	if w := warnings(section(c.get("/agenda").body, "d-2026-12-01")); w != "" {
		t.Errorf("warnings after the fix: %q", w)
	}
}

// TestAgendaHomeFirst: with Seoul's time first, a day's heading names
// Seoul's date, with the venue's beside it; issue 11 found "Tue 3:30 AM
// KST" under "Mon, Jan 4".
func TestAgendaHomeFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.attendee("Yuna", "yuna@example.com")
	e.reserve(a.ID, "A-R1", "B")
	c := e.signIn("yuna@example.com")
	c.postOK("/settings", url.Values{"lang": {"en"}, "zone_primary": {"home"}, "home_zone": {"Asia/Seoul"}}, "/settings")
	day1 := section(c.get("/agenda").body, "d-2026-12-01")
	// Tuesday 8:00–19:00 in Las Vegas is Wednesday 1:00–12:00 in Seoul.
	if got, want := heading(day1), "Wed, Dec 2 KST · Tue, Dec 1 PST"; got != want {
		t.Errorf("heading %q, want %q", got, want)
	}
	if !strings.Contains(item(day1, "A-R1"), "Wed 3:00–4:00 AM KST") {
		t.Errorf("A-R1 is not in Seoul's time first:\n%s", item(day1, "A-R1"))
	}
	// Venue first, the heading leads with the venue's date.
	c.postOK("/zone", url.Values{"back": {"/agenda"}}, "/agenda")
	if got, want := heading(section(c.get("/agenda").body, "d-2026-12-01")), "Tue, Dec 1 PST · Wed, Dec 2 KST"; got != want {
		t.Errorf("venue first, heading %q, want %q", got, want)
	}
	// In Korean.
	c.setCookie("lang", "ko")
	c.postOK("/zone", url.Values{"back": {"/agenda"}}, "/agenda")
	if got, want := heading(section(c.get("/agenda").body, "d-2026-12-01")), "12월 2일 (수) KST · 12월 1일 (화) PST"; got != want {
		t.Errorf("Korean heading %q, want %q", got, want)
	}
}

// heading returns a day's heading as text.
func heading(day string) string {
	m := regexp.MustCompile(`(?s)<h2[^>]*>(.*?)</h2>`).FindStringSubmatch(day)
	if m == nil {
		return ""
	}
	return strings.Join(strings.Fields(html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], ""))), " ")
}

// TestOutcomeTravelWarning: reserving favorites names the two sessions,
// their venues and the trip, as the agenda does, where it said "Only 10
// minutes between A-R1 and B; the trip takes 25."
func TestOutcomeTravelWarning(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, tc := range []struct{ lang, want string }{
		{"en", "Only 10 min to get from A-R1 “Building serverless APIs” at Venetian to B “Scaling databases” at MGM Grand: the trip takes 25 min by shuttle."},
		{"ko", "A-R1 “Building serverless APIs”(Venetian)에서 B “Scaling databases”(MGM Grand)까지 10분뿐인데, 셔틀로 25분이 걸립니다."},
	} {
		email := tc.lang + "@example.com"
		e.attendee("Zoe "+tc.lang, email)
		c := e.signIn(email)
		for _, code := range []string{"A-R1", "B"} {
			c.post("/favorites", url.Values{"action": {"add"}, "code": {code}})
		}
		c.setCookie("lang", tc.lang)
		r := c.post("/favorites/reserve", url.Values{"key": {"fav-" + tc.lang}})
		if got := strings.Count(html.UnescapeString(r.body), tc.want); r.status != http.StatusOK || got != 1 {
			t.Errorf("%s: %d, the warning shows %d times, want once:\n%s", tc.lang, r.status, got, r.text())
		}
	}
}
