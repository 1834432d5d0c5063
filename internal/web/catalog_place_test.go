package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/web"
)

// row returns the catalog or favorites row of a session.
func row(body, code string) string {
	return regexp.MustCompile(`(?s)<li class="time[^"]*" data-session="` + regexp.QuoteMeta(code) + `"[^>]*>.*?</li>`).FindString(body)
}

// TestReserveKeepsPlace: a reservation from the catalog comes back to the
// same search at the reserved row, and says what happened there.
func TestReserveKeepsPlace(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.attendee("Lee", "lee@example.com")
	lee := e.signIn("lee@example.com")

	page := lee.get("/?venue=mgm&page=1")
	m := regexp.MustCompile(`action="/reserve/B"[^>]*>\s*<input type="hidden" name="key" value="([^"]+)"><input type="hidden" name="back" value="([^"]+)"`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("no reserve form for B:\n%s", row(page.body, "B"))
	}
	back := html.UnescapeString(m[2])
	if want := "/?venue=mgm&page=1#t-B"; back != want {
		t.Fatalf("the form comes back to %q, want %q", back, want)
	}
	r := lee.post("/reserve/B", url.Values{"key": {m[1]}, "back": {back}})
	if r.status != http.StatusSeeOther || r.location() != back {
		t.Fatalf("reserve: %d to %q, want 303 to %q", r.status, r.location(), back)
	}
	after := lee.get("/?venue=mgm&page=1")
	b := row(after.body, "B")
	if !strings.Contains(b, `id="t-B"`) || !strings.Contains(b, `id="flash"`) || !strings.Contains(b, "B · Scaling databases: Reserved") {
		t.Errorf("the row does not say what happened:\n%s", b)
	}
	main := after.body[strings.Index(after.body, "<main"):strings.Index(after.body, `id="search"`)]
	if strings.Contains(main, `class="flash`) {
		t.Errorf("the message is shown at the top too:\n%s", main)
	}

	// The search-as-you-type fragment's forms come back to the page, not to
	// the fragment.
	frag := lee.get("/?venue=mgm&fragment=1")
	if strings.Contains(frag.body, "fragment=1") || !strings.Contains(frag.body, `name="back" value="/?venue=mgm#t-A-R2"`) {
		t.Errorf("fragment forms come back to the fragment:\n%.2000s", frag.body)
	}

	// A message about a row not on the page is shown at the top.
	r = lee.post("/reserve/D", url.Values{"back": {"/?venue=venetian#t-D"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("reserve D: %d", r.status)
	}
	if got := flash(lee.get("/?venue=venetian").body); !strings.Contains(got, "D · Hands-on machine learning") {
		t.Errorf("top flash %q, want D's outcome", got)
	}
}

// TestCatalogClash: a row that overlaps a held session says which, has no
// Reserve that would fail, and offers the repeat that fits.
func TestCatalogClash(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.attendee("Lee", "lee@example.com")
	e.reserve(a.ID, "O") // MGM 10:30–11:00 on day 1: overlaps A-R1
	lee := e.signIn("lee@example.com")

	r := lee.get("/?q=serverless")
	r1 := row(r.body, "A-R1")
	if strings.Contains(r1, `data-reserve="A-R1"`) {
		t.Errorf("A-R1 clashes but offers Reserve:\n%s", r1)
	}
	clash := byID(r1, "clash-A-R1")
	if !strings.Contains(clash, "Overlaps O · Event sourcing in practice, which you hold") {
		t.Errorf("clash text %q", clash)
	}
	if !strings.Contains(r1, `data-reserve="A-R2">Reserve A-R2`) {
		t.Errorf("the repeat that fits is not offered:\n%s", r1)
	}
	if r2 := row(r.body, "A-R2"); !strings.Contains(r2, `data-reserve="A-R2">Reserve</button>`) || strings.Contains(r2, "clash-") {
		t.Errorf("A-R2 fits and is offered as usual:\n%s", r2)
	}
	// A trip too short is a warning: Reserve stays, and the row says why.
	lee2 := e.attendee("Mo", "mo@example.com")
	e.reserve(lee2.ID, "A-R1")
	mo := e.signIn("mo@example.com")
	b := row(mo.get("/?venue=mgm").body, "B")
	if !strings.Contains(b, `data-reserve="B"`) || !strings.Contains(byID(b, "clash-B"), "Only 10 minutes from A-R1 · Building serverless APIs at Venetian, which you hold; the trip takes 25.") {
		t.Errorf("travel clash:\n%s", b)
	}
	// In Korean.
	mo.header.Set("Accept-Language", "ko")
	if got := byID(row(mo.get("/?venue=mgm").body, "B"), "clash-B"); !strings.Contains(got, "이동에 25분") {
		t.Errorf("Korean clash text %q", got)
	}
}

// facetCounts reads the count shown beside each facet value.
func facetCounts(body string) map[string]string {
	out := map[string]string{}
	for _, m := range regexp.MustCompile(`<span class="n" data-count="([^"]+)">(\d+)</span>`).FindAllStringSubmatch(body, -1) {
		out[m[1]] = m[2]
	}
	return out
}

func TestCatalogFacets(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	anon := e.client()
	taker := e.attendee("Taker", "taker@example.com")
	e.reserve(taker.ID, "A-R1") // 9 seats left; E, later the same day, has 10

	// Counts are drill-sideways: a venue's count ignores the venue choice
	// but honours the others (level 200: A-R1, A-R2, O).
	got := facetCounts(anon.get("/?venue=mgm&level=200").body)
	for k, want := range map[string]string{"venue:mgm": "2", "venue:venetian": "1", "venue:annex": "0",
		"level:200": "2", "level:300": "2", "level:100": "0", "day:2026-12-01": "1", "day:2026-12-02": "1", "topic:serverless": "1"} {
		if got[k] != want {
			t.Errorf("count %s = %q, want %s", k, got[k], want)
		}
	}
	// Counts follow the seat and fit choices too: C (one seat) is full.
	other := e.attendee("Full", "full@example.com")
	e.reserve(other.ID, "C")
	if got := facetCounts(anon.get("/?type=chalk-talk&seats=open").body); got["type:chalk-talk"] != "0" || got["venue:venetian"] != "0" {
		t.Errorf("with seats left only, the full chalk talk still counts: %v", got)
	}
	if got := facetCounts(anon.get("/?type=chalk-talk").body); got["type:chalk-talk"] != "1" {
		t.Errorf("chalk talks %q, want 1", got["type:chalk-talk"])
	}
	for _, tt := range []struct {
		name, query string
		want        []string
	}{
		{"two venues", "venue=mgm&venue=venetian&level=300", []string{"B", "D"}},
		{"two levels", "level=300&level=400", []string{"B", "C", "D"}},
		{"two venues and two days", "venue=mgm&venue=annex&day=2026-12-02&day=2026-12-01", []string{"O", "B", "A-R2"}},
		{"topic in the text search", "q=containers", []string{"C"}},
		{"synonym", "q=k8s", []string{"C"}},
		{"sort by title", "level=300&sort=title", []string{"D", "B"}},
		{"sort by time", "venue=venetian&day=2026-12-01&sort=time", []string{"K1", "A-R1", "E", "C"}},
		{"sort by seats left", "venue=venetian&day=2026-12-01&sort=seats", []string{"K1", "E", "A-R1", "C"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := resultCodes(t, anon.get("/?"+tt.query)); !slices.Equal(got, tt.want) {
				t.Errorf("/?%s shows %v, want %v", tt.query, got, tt.want)
			}
		})
	}
	r := anon.get("/?venue=mgm&venue=annex&sort=title")
	for _, want := range []string{`name="venue" value="mgm" checked>`, `name="venue" value="annex" checked>`, `<option value="title" selected>`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the form lacks %s", want)
		}
	}
	if next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(r.body); next == nil ||
		!strings.Contains(html.UnescapeString(next[1]), "venue=mgm&venue=annex") && !strings.Contains(html.UnescapeString(next[1]), "venue=annex&venue=mgm") {
		t.Errorf("the next page loses a venue: %v", next)
	}
	if r := anon.get("/?sort=popularity"); r.status != http.StatusBadRequest || !strings.Contains(byID(r.body, "search-error"), "sort must be") {
		t.Errorf("bad sort: %d %q", r.status, byID(r.body, "search-error"))
	}
}

// TestEventHeader: the home page says what, when and where, with the same
// counts the demo's banner prints (web.Counts).
func TestEventHeader(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.client().get("/")
	head := r.body[strings.Index(r.body, `id="event-head"`):]
	head = head[:strings.Index(head, "</header>")]
	contents, times := web.Counts(e.cat.Sessions())
	for _, want := range []string{"<h1>Test Conf</h1>", "Tue, Dec 1 – Thu, Dec 3, 2026", "3 venues: Annex, MGM Grand, Venetian"} {
		if !strings.Contains(head, want) {
			t.Errorf("header lacks %q:\n%s", want, head)
		}
	}
	if got, want := byID(r.body, "event-counts"), "47 sessions (48 times)."; !strings.HasPrefix(got, want) || contents != 47 || times != 48 {
		t.Errorf("header counts %q (Counts %d, %d), want %q", got, contents, times, want)
	}
	if got := byID(r.body, "result-count"); got != "47 sessions (48 times)" {
		t.Errorf("the unfiltered result count %q disagrees with the header", got)
	}
	ko := e.client()
	ko.header.Set("Accept-Language", "ko")
	if head := byID(ko.get("/").body, "event-head"); head == "" {
		t.Error("no header in Korean")
	} else if b := ko.get("/").body; !strings.Contains(b, "2026년 12월 1일 (화) – 12월 3일 (목)") || !strings.Contains(b, "장소 3곳") {
		t.Error("Korean header lacks its dates or venues")
	}
}

func TestNotFoundPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, tt := range []struct{ lang, path, title, msg string }{
		{"en", "/nope/deeper", "Page not found", "There is no page at /nope/deeper."},
		{"ko", "/nope", "페이지를 찾을 수 없습니다", "/nope 주소에는 페이지가 없습니다."},
	} {
		c := e.client()
		c.header.Set("Accept-Language", tt.lang)
		r := c.get(tt.path)
		if r.status != http.StatusNotFound || r.header.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Fatalf("%s: %d %s", tt.path, r.status, r.header.Get("Content-Type"))
		}
		if !strings.Contains(r.body, "<h1>"+tt.title+"</h1>") || !strings.HasPrefix(byID(r.body, "error-message"), tt.msg) ||
			!strings.Contains(r.body, `<a href="/" class="button" id="error-back">`) || !strings.Contains(r.body, `lang="`+tt.lang+`"`) {
			t.Errorf("%s in %s:\n%s", tt.path, tt.lang, r.text())
		}
	}
	// A path with markup is shown as text.
	if r := e.client().get("/%3Cscript%3E"); strings.Contains(r.body, "<script>") {
		t.Error("the path is not escaped")
	}
	// Known pages still answer.
	if r := e.client().get("/signin"); r.status != http.StatusOK {
		t.Errorf("/signin: %d", r.status)
	}
}

func TestFavoritesVenueAndClashes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.attendee("Lee", "lee@example.com")
	e.reserve(a.ID, "A-R1")
	if _, err := e.eng.SetWishlist(context.Background(), a.ID, []string{"B", "O", "E", "D"}, ""); err != nil {
		t.Fatal(err)
	}
	c := e.signIn("lee@example.com")
	r := c.get("/favorites")
	if b := row(r.body, "B"); !strings.Contains(b, "Twenty, MGM Grand") {
		t.Errorf("favorite B lacks its room and venue:\n%s", b)
	}
	if got := byID(r.body, "clash-O"); !strings.Contains(got, "Overlaps A-R1 · Building serverless APIs, which you hold") {
		t.Errorf("O's clash %q", got)
	}
	// B starts after O ends: no clash (the short trip is the agenda's warning).
	if got := byID(r.body, "clash-B"); got != "" {
		t.Errorf("B clashes with nothing, says %q", got)
	}
	// The warning comes before the button.
	warn, button := strings.Index(r.body, `id="favorites-clashes"`), strings.Index(r.body, `id="reserve-favorites"`)
	if warn < 0 || warn > button || !strings.Contains(byID(r.body, "favorites-clashes"), "1 favorite clashes") {
		t.Errorf("the clash summary is missing or after the button: %d, %d", warn, button)
	}

	// Two favorites at the same time name each other.
	b := e.attendee("Mo", "mo@example.com")
	if _, err := e.eng.SetWishlist(context.Background(), b.ID, []string{"A-R1", "O"}, ""); err != nil {
		t.Fatal(err)
	}
	mo := e.signIn("mo@example.com")
	r = mo.get("/favorites")
	if got := byID(r.body, "clash-O"); !strings.Contains(got, "Overlaps your favorite A-R1 · Building serverless APIs") {
		t.Errorf("O's clash %q", got)
	}
	if got := byID(r.body, "clash-A-R1"); !strings.Contains(got, "Overlaps your favorite O · Event sourcing in practice") {
		t.Errorf("A-R1's clash %q", got)
	}
	mo.header.Set("Accept-Language", "ko")
	if got := byID(mo.get("/favorites").body, "clash-O"); !strings.Contains(got, "즐겨찾기 A-R1") {
		t.Errorf("Korean clash %q", got)
	}
}

// TestSignUpZone: cities, abbreviations and IANA names in any case are
// stored as the IANA name; the form starts from the visitor's language.
func TestSignUpZone(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for i, tt := range []struct{ typed, want string }{
		{"Seoul", "Asia/Seoul"}, {"KST", "Asia/Seoul"}, {"asia/seoul", "Asia/Seoul"}, {"서울", "Asia/Seoul"},
		{"PDT", "America/Los_Angeles"}, {"", ""},
	} {
		email := "z" + string(rune('a'+i)) + "@example.com"
		c := e.client()
		r := c.post("/signup", url.Values{"name": {"Zed"}, "email": {email}, "home_zone": {tt.typed}, "password": {"a long enough passphrase"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("%q: %d\n%s", tt.typed, r.status, r.text())
		}
		a, err := e.db.FindAttendeeByEmail(context.Background(), e.ev.ID, email)
		if err != nil {
			t.Fatal(err)
		}
		if a.HomeZone != tt.want {
			t.Errorf("typed %q, stored %q, want %q", tt.typed, a.HomeZone, tt.want)
		}
	}
	ko := e.client()
	ko.header.Set("Accept-Language", "ko-KR,ko;q=0.9")
	form := ko.get("/signup").body
	if got := inputValue(form, "home_zone"); got != "Asia/Seoul" {
		t.Errorf("Korean visitor's zone starts as %q, want Asia/Seoul", got)
	}
	if !strings.Contains(form, `<option value="Asia/Seoul" label="Seoul, Busan · KST · 서울">`) {
		t.Error("the picker does not list Seoul with its abbreviation")
	}
	us := e.client()
	us.header.Set("Accept-Language", "en-US")
	if got := inputValue(us.get("/signup").body, "home_zone"); got != "" {
		t.Errorf("a US visitor's zone is guessed as %q; the US has several", got)
	}

	// Settings read the same way.
	e.attendee("Set", "set@example.com")
	c := e.signIn("set@example.com")
	if r := c.post("/settings", url.Values{"lang": {"en"}, "zone_primary": {"home"}, "home_zone": {"jst"}}); r.status != http.StatusSeeOther {
		t.Fatalf("settings: %d\n%s", r.status, r.text())
	}
	if got := inputValue(c.get("/settings").body, "home_zone"); got != "Asia/Tokyo" {
		t.Errorf("settings zone %q, want Asia/Tokyo", got)
	}
}

func TestCalendarLinks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.attendee("Lee", "lee@example.com")
	c := e.signIn("lee@example.com")
	if r := c.get("/settings"); byID(r.body, "cal-none") == "" {
		t.Error("no feed yet: the settings should send to the agenda to make one")
	}
	if r := c.post("/agenda/feed", url.Values{"action": {"create"}}); r.status != http.StatusSeeOther {
		t.Fatalf("feed: %d", r.status)
	}
	acc, err := e.db.Account(context.Background(), mustFind(t, e, "lee@example.com").ID)
	if err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(e.srv.URL, "https://")
	feed := e.srv.URL + "/calendar/" + acc.CalendarToken + ".ics"
	webcal := "webcal://" + host + "/calendar/" + acc.CalendarToken + ".ics"
	// The settings page and the agenda, where the feed is made, offer the same links.
	for _, page := range []string{"/settings", "/agenda"} {
		body := c.get(page).body
		links := map[string]string{}
		for _, m := range regexp.MustCompile(`href="([^"]+)" id="(cal-[a-z]+)"`).FindAllStringSubmatch(body, -1) {
			links[m[2]] = html.UnescapeString(m[1])
		}
		for id, want := range map[string]string{
			"cal-apple":   webcal,
			"cal-webcal":  webcal,
			"cal-google":  "https://calendar.google.com/calendar/r?cid=" + url.QueryEscape(webcal),
			"cal-outlook": "https://outlook.live.com/calendar/0/addfromweb?url=" + url.QueryEscape(feed) + "&name=Test+Conf",
		} {
			if links[id] != want {
				t.Errorf("%s: %s = %q, want %q", page, id, links[id], want)
			}
		}
	}
}

func mustFind(t *testing.T, e *env, email string) *lanyard.Attendee {
	t.Helper()
	a, err := e.db.FindAttendeeByEmail(context.Background(), e.ev.ID, email)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
