package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// resultCodes returns the session codes of a catalog page's results.
func resultCodes(t *testing.T, r *resp) []string {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d\n%s", r.status, r.text())
	}
	i := strings.Index(r.body, `id="results"`)
	if i < 0 {
		i = 0 // a fragment is the results alone
	}
	return codes(r.body[i:])
}

func TestCatalogSearch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.attendee("Lee", "lee@example.com")
	other := e.attendee("Mo", "mo@example.com")
	e.reserve(other.ID, "C") // C's one seat is gone
	e.reserve(a.ID, "A-R1")
	anon := e.client()
	lee := e.signIn("lee@example.com")

	for _, tt := range []struct {
		name  string
		query string
		c     *client
		want  []string
	}{
		{"text", "q=kubernetes", anon, []string{"C"}},
		{"text prefix, any field", "q=databa", anon, []string{"B"}},
		{"text, every word", "q=serverless+building", anon, []string{"A-R1", "A-R2"}},
		{"no match", "q=zzzzzz", anon, nil},
		{"day", "day=2026-12-02", anon, []string{"A-R2"}},
		{"venue", "venue=mgm", anon, []string{"O", "B", "A-R2", "D"}},
		{"type", "type=chalk-talk", anon, []string{"C"}},
		{"type shows walk-ins", "type=other", anon, []string{"EXPO"}},
		{"level", "level=300", anon, []string{"B", "D"}},
		{"topic", "topic=Databases", anon, []string{"B"}},
		{"facets together", "venue=venetian&day=2026-12-01&level=100", anon, []string{"K1", "E"}},
		{"seats left", "venue=venetian&seats=open", anon, []string{"K1", "A-R1", "E"}},
		// Lee holds A-R1 (Venetian, 10–11 on day 1): O overlaps it and B is
		// 10 minutes away by a 25-minute shuttle; A-R2 and D are other days.
		{"fits my agenda", "venue=mgm&fits=1", lee, []string{"A-R2", "D"}},
		{"fits keeps what is held", "venue=venetian&day=2026-12-01&fits=1", lee, []string{"K1", "A-R1", "E", "C"}},
		{"fits needs a sign-in", "venue=mgm&fits=1", anon, []string{"O", "B", "A-R2", "D"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := resultCodes(t, tt.c.get("/?"+tt.query))
			if !slices.Equal(got, tt.want) {
				t.Fatalf("/?%s shows %v, want %v", tt.query, got, tt.want)
			}
		})
	}

	t.Run("search box keeps the query", func(t *testing.T) {
		r := anon.get("/?q=" + url.QueryEscape(`"kuber<`) + "&venue=mgm&level=300")
		if !strings.Contains(r.body, `value="&#34;kuber&lt;"`) || !strings.Contains(r.body, `name="venue" value="mgm" checked>`) ||
			!strings.Contains(r.body, `name="level" value="300" checked>`) {
			t.Fatalf("the form does not show the search:\n%s", r.text())
		}
	})

	t.Run("repeats grouped", func(t *testing.T) {
		r := anon.get("/?q=serverless")
		if got := byID(r.body, "result-count"); got != "1 session (2 times)" {
			t.Errorf("count %q", got)
		}
		groups := strings.Split(r.body, `<li class="group">`)[1:]
		if len(groups) != 1 {
			t.Fatalf("%d groups, want 1", len(groups))
		}
		if got := codes(groups[0]); !slices.Equal(got, []string{"A-R1", "A-R2"}) {
			t.Fatalf("the group lists %v, want both times", got)
		}
		if strings.Count(groups[0], "<h2>") != 1 {
			t.Error("the content is shown more than once")
		}
	})

	t.Run("seat state", func(t *testing.T) {
		r := lee.get("/?venue=venetian&day=2026-12-01")
		for _, want := range []string{`data-seats="C">Full · 0 waiting`, `data-seats="E">10 seats left`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("page lacks %s", want)
			}
		}
		if strings.Contains(r.body, "Walk-in") {
			t.Error("the expo's hours are browsed")
		}
		held := regexp.MustCompile(`(?s)<li class="time held" data-session="A-R1"[^>]*>.*?</li>`).FindString(r.body)
		if !strings.Contains(held, "Reserved") {
			t.Errorf("A-R1 is not shown as reserved:\n%s", held)
		}
		if !strings.Contains(r.body, `data-reserve="C">Join waitlist`) || !strings.Contains(r.body, `data-reserve="E">Reserve`) {
			t.Error("the buttons do not match the seats")
		}
	})

	t.Run("fragment", func(t *testing.T) {
		r := anon.get("/?q=kubernetes&fragment=1")
		if r.status != http.StatusOK || strings.Contains(r.body, "<html") || strings.Contains(r.body, `id="search"`) {
			t.Fatalf("fragment is a whole page: %d\n%.500s", r.status, r.body)
		}
		if got := resultCodes(t, r); !slices.Equal(got, []string{"C"}) || byID(r.body, "result-count") != "1 session (1 times)" {
			t.Fatalf("fragment shows %v", got)
		}
	})

	for _, q := range []string{"level=150", "level=abc", "level=0"} {
		t.Run("bad "+q, func(t *testing.T) {
			for _, frag := range []string{"", "&fragment=1"} {
				r := anon.get("/?" + q + frag)
				if r.status != http.StatusBadRequest {
					t.Fatalf("/?%s%s: %d, want 400", q, frag, r.status)
				}
				if got := byID(r.body, "search-error"); got != "level must be 100, 200, 300 or 400." {
					t.Fatalf("/?%s%s says %q", q, frag, got)
				}
			}
		})
	}
	for _, q := range []string{"day=tomorrow", "type=party"} {
		t.Run("bad "+q, func(t *testing.T) {
			r := anon.get("/?" + q)
			if r.status != http.StatusBadRequest || byID(r.body, "search-error") == "" {
				t.Fatalf("/?%s: %d, message %q", q, r.status, byID(r.body, "search-error"))
			}
		})
	}
}

func TestCatalogPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	// K1, A (two times), B, O, E, C, D and the fillers; the expo is not browsed.
	const groups = 7 + fillers
	first := c.get("/")
	if got, want := byID(first.body, "result-count"), "47 sessions (48 times)"; got != want {
		t.Fatalf("count %q, want %q", got, want)
	}
	perPage := strings.Count(first.body, `<li class="group">`)
	if perPage < 2 || perPage >= groups {
		t.Fatalf("%d groups on the first page of %d", perPage, groups)
	}
	pages := (groups + perPage - 1) / perPage
	nextRe := regexp.MustCompile(`<a href="([^"]+)" rel="next">`)
	// Walk the pages by their links: each content once, every one shown.
	seen := map[string]int{}
	r := first
	var last []string
	for n := 1; ; n++ {
		if !strings.Contains(r.body, fmt.Sprintf("Page %d of %d", n, pages)) {
			t.Fatalf("page %d does not say so:\n%s", n, r.text())
		}
		if got := strings.Contains(r.body, `rel="prev"`); got != (n > 1) {
			t.Errorf("page %d: prev link %v", n, got)
		}
		last = resultCodes(t, r)
		for _, code := range last {
			if p, ok := seen[code]; ok {
				t.Errorf("%s is on pages %d and %d", code, p, n)
			}
			seen[code] = n
		}
		next := nextRe.FindStringSubmatch(r.body)
		if next == nil {
			if n != pages {
				t.Fatalf("no next link on page %d of %d", n, pages)
			}
			break
		}
		if n == pages {
			t.Fatalf("a next link on the last page")
		}
		r = c.get(html.UnescapeString(next[1]))
	}
	if len(seen) != groups+1 {
		t.Errorf("%d sessions on all pages, want %d", len(seen), groups+1)
	}
	// A page past the end shows the last; the query stays in the links, the
	// fragment flag does not.
	if got := resultCodes(t, c.get("/?page=99")); !slices.Equal(got, last) {
		t.Errorf("page 99 shows %v, want the last page %v", got, last)
	}
	r = c.get("/?level=100&page=2&fragment=1")
	if prev := regexp.MustCompile(`<a href="([^"]+)" rel="prev">`).FindStringSubmatch(r.body); prev == nil ||
		!strings.Contains(prev[1], "level=100") || strings.Contains(prev[1], "fragment") {
		t.Errorf("prev link of a filtered fragment: %q", prev)
	}
}

func TestSessionPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.attendee("Nia", "nia@example.com")
	e.reserve(a.ID, "A-R2")
	anon := e.client()
	r := anon.get("/sessions/A-R1")
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	for _, want := range []string{
		"<title>Building serverless APIs · Test Conf</title>",
		"All about building serverless apis.",
		"Ten, Venetian",
		"10 seats left",
		"Other times",
		`<a href="/sessions/A-R2">A-R2</a>`,
		"Sign in to reserve a seat",
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(r.body, "data-reserve=") {
		t.Error("a reserve button for someone not signed in")
	}
	nia := e.signIn("nia@example.com")
	r = nia.get("/sessions/A-R1")
	other := regexp.MustCompile(`(?s)<li class="time held" data-session="A-R2">.*?</li>`).FindString(r.body)
	if !strings.Contains(other, "Reserved") || !strings.Contains(other, "9 seats left") {
		t.Errorf("the other time does not show the reserved seat:\n%s", other)
	}
	if !strings.Contains(r.body, `data-reserve="A-R1"`) {
		t.Error("no reserve button when signed in")
	}

	// A count of one reads as one, in a message with one form for every count.
	if r := anon.get("/sessions/C"); !strings.Contains(r.body, "(1 in the room)") || !strings.Contains(r.body, "1 seat left") {
		t.Errorf("C's seats:\n%s", r.text())
	}

	for _, code := range []string{"NOPE", "a-r1"} {
		r := anon.get("/sessions/" + code)
		want := "There is no session " + code + ". It may have been renamed or removed; search the catalog for it."
		if r.status != http.StatusNotFound || byID(r.body, "error-message") != want || !strings.Contains(r.body, `name="q" value="`+code+`"`) {
			t.Errorf("%s: %d %q, want 404 %q and a search for it", code, r.status, byID(r.body, "error-message"), want)
		}
	}
}
