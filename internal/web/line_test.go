package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// The walk-up line on the attendee's pages: a full session's page offers
// to join its line (not to the holder of a seat), My lines shows the place
// and chance, then the call in large once the seats are released, with
// the call's message counted in the header; a refusal is a message, not
// an error page; signed out, My lines asks to sign in.
func TestWalkupLinePages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	ada := e.attendee("Ada", "ada@example.com")
	bo := e.attendee("Bo", "bo@example.com")
	// The test engine's clock stands the day before: open lines a week ahead.
	if _, err := e.eng.UpdateSettings(ctx, func(s *lanyard.ReservationSettings) error { s.LineOpensMinutes = 7 * 24 * 60; return nil }); err != nil {
		t.Fatal(err)
	}
	e.reserve(ada.ID, "C") // C's one seat: it is full
	ca, cb := e.signIn("ada@example.com"), e.signIn("bo@example.com")

	if r := ca.get("/sessions/C"); strings.Contains(r.body, `id="line-join"`) {
		t.Errorf("the holder of a seat is offered the line")
	}
	page := cb.get("/sessions/C")
	if !strings.Contains(page.body, `id="line-join"`) || !strings.Contains(page.body, "Join the walk-up line") {
		t.Fatalf("a full session's page offers no line:\n%s", page.text())
	}
	if r := cb.get("/sessions/B"); strings.Contains(r.body, `id="line-join"`) {
		t.Errorf("a session with free seats offers the line")
	}
	key := regexpKey(t, page.body)
	r := cb.post("/lines/join/C", url.Values{"key": {key}, "back": {"/lines"}})
	if r.status != http.StatusSeeOther || r.location() != "/lines" {
		t.Fatalf("join: %d to %q", r.status, r.location())
	}
	lines := cb.get("/lines")
	for _, want := range []string{"walk-up line: place 1", "Place 1 in line", "chance of a seat: about 30%", `data-leave="C"`, `id="lines" data-live="/live/inbox"`} {
		if !strings.Contains(lines.body, want) {
			t.Errorf("My lines lacks %q:\n%s", want, lines.text())
		}
	}
	// Ada may not join the line of the session she holds: a message.
	r = ca.post("/lines/join/C", url.Values{"key": {"k1"}, "back": {"/lines"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("refused join: %d", r.status)
	}
	if body := ca.get("/lines").body; !strings.Contains(body, `class="flash error"`) || !strings.Contains(body, "no need to line up") {
		t.Errorf("refused join shows no reason:\n%.3000s", body)
	}

	// The release calls Bo: My lines says where to go and by when.
	if _, err := e.eng.ReleaseUnclaimed(ctx, 0, "C", ""); err != nil {
		t.Fatal(err)
	}
	called := cb.get("/lines")
	for _, want := range []string{"You&#39;re called: go to Tiny by", `data-until="`, `data-outcome="called"`} {
		if !strings.Contains(called.body, want) {
			t.Errorf("My lines after the call lacks %q:\n%s", want, called.text())
		}
	}
	if got := unreadIn(t, called.body); got != 1 {
		t.Errorf("the call's message: header count %d, want 1", got)
	}
	if s := cb.get("/sessions/C").body; !strings.Contains(s, "You&#39;re called") {
		t.Errorf("the session page does not show the call")
	}

	// In Korean.
	cb.post("/language", url.Values{"lang": {"ko"}, "back": {"/lines"}})
	if ko := cb.get("/lines").body; !strings.Contains(ko, "입장 차례입니다") || !strings.Contains(ko, "Tiny(으)로 오세요") {
		t.Errorf("Korean My lines:\n%.3000s", ko)
	}

	// Leaving gives the call up; signed out, the page asks to sign in.
	if r := cb.post("/lines/leave/C", url.Values{"key": {"k2"}, "back": {"/lines"}}); r.status != http.StatusSeeOther {
		t.Fatalf("leave: %d", r.status)
	}
	if st, err := e.eng.Lines(ctx, bo.ID); err != nil || len(st) != 0 {
		t.Errorf("Bo's lines after leaving: %+v, %v", st, err)
	}
	if r := e.client().get("/lines"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/signin") {
		t.Errorf("signed out: %d to %q, want the sign-in page", r.status, r.location())
	}
}

// regexpKey returns the idempotency key of the page's first form.
func regexpKey(t *testing.T, body string) string {
	t.Helper()
	const mark = `name="key" value="`
	i := strings.Index(body, mark)
	if i < 0 {
		t.Fatal("no key on the page")
	}
	rest := body[i+len(mark):]
	return rest[:strings.IndexByte(rest, '"')]
}
