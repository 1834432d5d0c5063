package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestFavorites(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.attendee("Ola", "ola@example.com")
	c := e.signIn("ola@example.com")
	edit := func(action, code string) {
		t.Helper()
		r := c.post("/favorites", url.Values{"action": {action}, "code": {code}, "back": {"/favorites"}, "key": {"k-" + action + code}})
		if r.status != http.StatusSeeOther || r.location() != "/favorites" {
			t.Fatalf("%s %s: %d to %q\n%s", action, code, r.status, r.location(), r.text())
		}
	}
	// The page lists the favorites in the engine's order.
	check := func(want ...string) {
		t.Helper()
		if got := e.wishlist(a.ID); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("wishlist %v, want %v", got, want)
		}
		r := c.get("/favorites")
		if got := codes(r.body); !slices.Equal(got, want) {
			t.Fatalf("the page lists %v, the engine %v", got, want)
		}
	}

	if r := c.get("/favorites"); r.status != http.StatusOK || !strings.Contains(r.body, `id="favorites-empty"`) {
		t.Fatalf("empty favorites: %d", r.status)
	}
	for _, code := range []string{"B", "C", "D"} {
		edit("add", code)
	}
	check("B", "C", "D")
	edit("add", "C") // already there: nothing moves
	check("B", "C", "D")
	edit("up", "D")
	check("B", "D", "C")
	edit("up", "B") // first already
	check("B", "D", "C")
	edit("down", "B")
	check("D", "B", "C")
	edit("down", "C") // last already
	check("D", "B", "C")
	edit("remove", "D")
	check("B", "C")
	edit("remove", "D") // gone already
	check("B", "C")

	// The catalog stars favorites and offers to remove them.
	r := c.get("/?q=databases")
	if !strings.Contains(r.body, `value="remove" class="fav on" aria-pressed="true" data-fav="B"`) {
		t.Errorf("B is not starred in the catalog")
	}
	if r := c.get("/?q=machine"); !strings.Contains(r.body, `value="add" class="fav" aria-pressed="false" data-fav="D"`) {
		t.Errorf("D is starred in the catalog")
	}

	for _, tt := range []struct {
		name string
		form url.Values
	}{
		{"unknown action", url.Values{"action": {"promote"}, "code": {"B"}}},
		{"unknown session", url.Values{"action": {"add"}, "code": {"NOPE"}}},
		{"no session", url.Values{"action": {"add"}}},
	} {
		if r := c.post("/favorites", tt.form); r.status != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", tt.name, r.status)
		}
	}
	check("B", "C")
}

// "Reserve my favorites" reserves each, best first, joins the waitlist of
// the full ones and says what happened to each.
func TestReserveFavorites(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.attendee("Pia", "pia@example.com")
	other := e.attendee("Quinn", "quinn@example.com")
	e.reserve(other.ID, "C") // full
	c := e.signIn("pia@example.com")
	c.postOK("/reserve/A-R1", url.Values{"back": {"/agenda"}}, "/agenda")
	for _, code := range []string{"A-R1", "E", "C", "O", "EXPO"} {
		c.post("/favorites", url.Values{"action": {"add"}, "code": {code}})
	}
	if got := e.wishlist(a.ID); !slices.Equal(got, []string{"A-R1", "E", "C", "O", "EXPO"}) {
		t.Fatalf("wishlist %v", got)
	}
	r := c.post("/favorites/reserve", url.Values{"key": {"fav-1"}})
	if r.status != http.StatusOK {
		t.Fatalf("reserve favorites: %d\n%s", r.status, r.text())
	}
	re := regexp.MustCompile(`(?s)<li class="outcome (\w+)" data-session="([^"]+)">.*?<span class="badge \w+">([^<]*)</span>`)
	var got [][3]string
	for _, m := range re.FindAllStringSubmatch(r.body, -1) {
		got = append(got, [3]string{m[2], m[1], m[3]})
	}
	want := [][3]string{
		{"A-R1", "ok", "Already reserved"},
		{"E", "ok", "Reserved"},
		{"C", "wait", "Full: you are #1 on the waitlist"},
		{"O", "refused", "It overlaps a session you have reserved."},
		{"EXPO", "refused", "This session takes walk-ins only."},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("outcomes\n got %q\nwant %q", got, want)
	}
	held, waiting := e.agendaOf(a.ID)
	if !slices.Equal(held, []string{"A-R1", "E"}) || !slices.Equal(waiting, []string{"C"}) {
		t.Fatalf("held %v, waiting %v", held, waiting)
	}
	// The same form sent twice is done once.
	again := c.post("/favorites/reserve", url.Values{"key": {"fav-1"}})
	if again.status != http.StatusOK || !strings.Contains(again.body, "Full: you are #1 on the waitlist") {
		t.Fatalf("the form sent again: %d", again.status)
	}
	// The favorites page shows what is held and waited for.
	fav := c.get("/favorites")
	for code, badge := range map[string]string{"E": "Reserved", "C": "Waitlist #1"} {
		li := regexp.MustCompile(`(?s)data-session="` + code + `"[^>]*>.*?</li>`).FindString(fav.body)
		if !strings.Contains(li, badge) {
			t.Errorf("favorite %s lacks %q:\n%s", code, badge, li)
		}
	}
}
