package web_test

import (
	"database/sql"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// A session code with characters a URL gives meaning to, as a database
// filled before codes had a safe alphabet may hold, still round-trips
// through the agenda's cancel form: every URL path escapes the code.
func TestOddCodeRoundTrips(t *testing.T) {
	t.Parallel()
	const odd = "../../a b/c?d#e"
	path := filepath.Join(t.TempDir(), "lanyard.db")
	db := storetest.Open(t, path)
	e := newEnvOn(t, db, func() {
		raw, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		if _, err := raw.Exec("UPDATE sessions SET code = ? WHERE code = 'B'", odd); err != nil {
			t.Fatal(err)
		}
	})
	a := e.attendee("Ria", "ria@example.com")
	e.reserve(a.ID, odd)
	c := e.signIn("ria@example.com")
	ag := c.get("/agenda")
	esc := url.PathEscape(odd)
	for _, want := range []string{`action="/agenda/cancel/` + esc + `"`, `href="/sessions/` + esc + `"`} {
		if !strings.Contains(ag.body, want) {
			t.Errorf("agenda has no %s", want)
		}
	}
	if r := c.get("/sessions/" + esc); r.status != http.StatusOK || !strings.Contains(r.body, "Scaling databases") {
		t.Errorf("session page of %q: %d", odd, r.status)
	}
	if got := c.postOK("/agenda/cancel/"+esc, url.Values{"key": {ag.key()}}, "/agenda"); !strings.HasSuffix(got, "Cancelled") {
		t.Errorf("cancel flash %q", got)
	}
	if held, _ := e.agendaOf(a.ID); slices.Contains(held, odd) {
		t.Errorf("still held: %v", held)
	}
}
