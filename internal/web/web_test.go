package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
)

func testHandler(t *testing.T) (*Handler, *atomic.Pointer[catalog.Catalog]) {
	t.Helper()
	ev := &lanyard.Event{ID: 1, Slug: "conf-2026", Name: "Conf <2026>", TimeZone: "Europe/Berlin", StartDate: "2026-03-02", Days: 2}
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	sessions := []*lanyard.Session{{ID: 1, Code: "T1", Title: "Talk", Type: lanyard.TypeSession, Venue: "main", Room: "A",
		Start: start, End: start.Add(time.Hour), Reservable: true}}
	venues := []lanyard.Venue{{Code: "main", Name: "Main", Rooms: []lanyard.Room{{Name: "A", Capacity: 100}}}}
	c, err := catalog.New(ev, venues, nil, sessions)
	if err != nil {
		t.Fatal(err)
	}
	var cur atomic.Pointer[catalog.Catalog]
	cur.Store(c)
	return &Handler{Catalog: &cur, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, &cur
}

func TestPages(t *testing.T) {
	h, cur := testHandler(t)
	mux := http.NewServeMux()
	h.Routes(mux)
	get := func(path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest("GET", "http://example.org"+path, nil))
		return w
	}
	home := get("/")
	if home.Code != 200 || !strings.Contains(home.Body.String(), "Conf &lt;2026&gt;") {
		t.Fatalf("home: %d, event name not shown escaped:\n%.500s", home.Code, home.Body)
	}
	for _, tt := range []struct{ path, ctype, has string }{
		{"/schedule.xml", "application/xml", "<title>Talk</title>"},
		{"/schedule.json", "application/json", `"title": "Talk"`},
	} {
		a, b := get(tt.path), get(tt.path)
		if a.Code != 200 || !strings.HasPrefix(a.Header().Get("Content-Type"), tt.ctype) {
			t.Fatalf("%s: %d %s", tt.path, a.Code, a.Header().Get("Content-Type"))
		}
		if a.Body.String() != b.Body.String() {
			t.Fatalf("%s: two requests gave different bytes", tt.path)
		}
		if !strings.Contains(strings.ReplaceAll(a.Body.String(), `":"`, `": "`), tt.has) {
			t.Fatalf("%s lacks %s:\n%.800s", tt.path, tt.has, a.Body)
		}
	}
	// A new catalog replaces the cached export.
	next, _ := catalog.New(cur.Load().Event, cur.Load().Venues, nil, nil)
	cur.Store(next)
	if body := get("/schedule.xml").Body.String(); strings.Contains(body, "<title>Talk</title>") {
		t.Fatal("the export was not rebuilt for the new catalog")
	}
	if get("/nope").Code != 404 {
		t.Fatal("unknown page is not 404")
	}
}
