package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
)

func TestPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	home := c.get("/")
	if home.status != http.StatusOK || !strings.Contains(home.body, "<title>Catalog · Test Conf</title>") {
		t.Fatalf("home: %d\n%s", home.status, home.text())
	}
	for _, h := range []string{"X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
		if home.header.Get(h) == "" {
			t.Errorf("home lacks the %s header", h)
		}
	}
	if got := home.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("home Cache-Control %q", got)
	}
	for _, tt := range []struct{ path, ctype, has string }{
		{"/schedule.xml", "application/xml", "<title>Hands-on machine learning</title>"},
		{"/schedule.json", "application/json", `"title": "Hands-on machine learning"`},
	} {
		a, b := c.get(tt.path), c.get(tt.path)
		if a.status != http.StatusOK || !strings.HasPrefix(a.header.Get("Content-Type"), tt.ctype) {
			t.Fatalf("%s: %d %s", tt.path, a.status, a.header.Get("Content-Type"))
		}
		if a.body != b.body {
			t.Fatalf("%s: two requests gave different bytes", tt.path)
		}
		if !strings.Contains(strings.ReplaceAll(a.body, `":"`, `": "`), tt.has) {
			t.Fatalf("%s lacks %s:\n%.800s", tt.path, tt.has, a.body)
		}
	}
	// A new catalog replaces the pages' event and the cached export; names
	// are escaped.
	cur := e.h.Catalog.Load()
	ev := *cur.Event
	ev.Name = "Conf <2026>"
	next, err := catalog.New(&ev, cur.Venues, nil, []*lanyard.Session{})
	if err != nil {
		t.Fatal(err)
	}
	e.h.Catalog.Store(next)
	if body := c.get("/schedule.xml").body; strings.Contains(body, "Hands-on machine learning") {
		t.Fatal("the export was not rebuilt for the new catalog")
	}
	if body := c.get("/").body; !strings.Contains(body, "Conf &lt;2026&gt;") || strings.Contains(body, "Conf <2026>") {
		t.Fatal("the event name is not shown escaped")
	}
	if c.get("/nope").status != http.StatusNotFound {
		t.Fatal("unknown page is not 404")
	}
	// Static files carry a version; with it they are cached for good.
	css := c.get("/static/app.css")
	if css.status != http.StatusOK || !strings.HasPrefix(css.header.Get("Content-Type"), "text/css") || css.header.Get("Cache-Control") != "" {
		t.Fatalf("app.css: %d %q %q", css.status, css.header.Get("Content-Type"), css.header.Get("Cache-Control"))
	}
	i := strings.Index(home.body, `href="/static/app.css?v=`)
	if i < 0 {
		t.Fatal("the page does not link a versioned app.css")
	}
	link := home.body[i+len(`href="`):]
	link = link[:strings.Index(link, `"`)]
	if got := c.get(link).header.Get("Cache-Control"); !strings.Contains(got, "immutable") {
		t.Errorf("%s Cache-Control %q", link, got)
	}
	if c.get("/static/nope.css").status != http.StatusNotFound {
		t.Error("unknown static file is not 404")
	}
}
