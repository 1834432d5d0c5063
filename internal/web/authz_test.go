package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// No URL names an attendee: every page acts on whoever is signed in, so
// B never sees or changes A's agenda, favorites or feed.
func TestAttendeesSeeOnlyTheirOwn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.attendee("Ada", "ada@example.com")
	b := e.attendee("Bea", "bea@example.com")
	ca, cb := e.signIn("ada@example.com"), e.signIn("bea@example.com")

	ca.postOK("/reserve/D", url.Values{"back": {"/agenda"}}, "/agenda")
	ca.post("/favorites", url.Values{"action": {"add"}, "code": {"B"}})
	ca.post("/favorites", url.Values{"action": {"add"}, "code": {"E"}})
	ca.postOK("/agenda/feed", url.Values{"action": {"create"}}, "/agenda#calendar")
	feedA := feedURL(ca)
	cb.postOK("/reserve/E", url.Values{"back": {"/agenda"}}, "/agenda")

	// B's pages show B's things only.
	if got := codes(section(cb.get("/agenda").body, "d-2026-12-03")); len(got) != 0 {
		t.Errorf("B's agenda shows day 3: %v", got)
	}
	if r := cb.get("/agenda"); strings.Contains(r.body, `data-session="D"`) || !strings.Contains(r.body, `data-cancel="E"`) {
		t.Error("B's agenda shows A's seat, or not B's")
	}
	if r := cb.get("/favorites"); !strings.Contains(r.body, `id="favorites-empty"`) {
		t.Errorf("B's favorites show %v", codes(r.body))
	}
	if evs := parseICS(t, cb.get("/agenda.ics")); len(evs) != 1 || evs["E@test-conf.lanyard"] == nil {
		t.Errorf("B's calendar has %d events", len(evs))
	}
	if feedURL(cb) != "" {
		t.Error("B's agenda shows a feed B never made")
	}
	if r := cb.get("/?q=machine"); strings.Contains(r.body, `<li class="time held" data-session="D">`) || strings.Contains(r.body, `class="fav on"`) {
		t.Error("B's catalog shows A's seat or favorites")
	}

	// B's forms change B's things only.
	r := cb.post("/agenda/cancel/D", url.Values{"back": {"/agenda"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("B cancels D: %d", r.status)
	}
	if got := flash(cb.get("/agenda").body); got != "D · Hands-on machine learning: You do not hold a seat in this session." {
		t.Errorf("B cancelling D: flash %q", got)
	}
	cb.post("/agenda/leave/D", nil)
	cb.post("/agenda/switch/A-R1", url.Values{"to": {"A-R2"}})
	cb.post("/favorites", url.Values{"action": {"remove"}, "code": {"B"}})
	cb.post("/favorites", url.Values{"action": {"down"}, "code": {"B"}})
	cb.post("/favorites/reserve", nil)
	cb.postOK("/agenda/feed", url.Values{"action": {"revoke"}}, "/agenda#calendar")
	if held, waiting := e.agendaOf(a.ID); !slices.Equal(held, []string{"D"}) || len(waiting) != 0 {
		t.Errorf("A's agenda after B's posts: %v %v", held, waiting)
	}
	if got := e.wishlist(a.ID); !slices.Equal(got, []string{"B", "E"}) {
		t.Errorf("A's favorites after B's posts: %v", got)
	}
	if got := e.wishlist(b.ID); len(got) != 0 {
		t.Errorf("B's favorites: %v, want none", got)
	}
	parseICS(t, e.getURL(feedA)) // B's revoke left A's feed alone

	// A rotates: B, holding the old address, gets nothing.
	ca.postOK("/agenda/feed", url.Values{"action": {"create"}}, "/agenda#calendar")
	if r := cb.get(strings.TrimPrefix(feedA, e.srv.URL)); r.status != http.StatusNotFound {
		t.Errorf("A's old feed for B: %d", r.status)
	}
	if acc, err := e.db.Account(ctx, b.ID); err != nil || acc.CalendarToken != "" {
		t.Errorf("B's account: %+v %v", acc, err)
	}
}

// Signed-in forms answer 401 to everyone else; signed-in pages send them
// to sign in and back.
func TestSignedOut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	for _, path := range []string{
		"/settings", "/zone", "/favorites", "/favorites/reserve", "/reserve/D",
		"/agenda/cancel/D", "/agenda/switch/A-R1", "/agenda/leave/C", "/agenda/feed",
	} {
		r := c.post(path, url.Values{"action": {"create"}, "code": {"D"}, "to": {"A-R2"}, "lang": {"ko"}, "zone_primary": {"home"}})
		if r.status != http.StatusUnauthorized || byID(r.body, "error-message") != "Sign in first." {
			t.Errorf("POST %s: %d %q, want 401", path, r.status, byID(r.body, "error-message"))
		}
	}
	for _, path := range []string{"/settings", "/favorites", "/agenda", "/agenda.ics", "/agenda?x=1"} {
		r := c.get(path)
		if want := "/signin?next=" + url.QueryEscape(path); r.status != http.StatusSeeOther || r.location() != want {
			t.Errorf("GET %s: %d to %q, want 303 to %q", path, r.status, r.location(), want)
		}
	}
	// Pages for everyone stay open.
	for _, path := range []string{"/", "/sessions/D", "/signin", "/signup", "/reset", "/schedule.xml"} {
		if r := c.get(path); r.status != http.StatusOK {
			t.Errorf("GET %s: %d", path, r.status)
		}
	}
	// Signed in, sign-up leads home.
	e.attendee("Cat", "cat@example.com")
	if r := e.signIn("cat@example.com").get("/signup"); r.status != http.StatusSeeOther || r.location() != "/" {
		t.Errorf("sign-up page when signed in: %d to %q", r.status, r.location())
	}
}
