package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/lanyardhq/lanyard/internal/web"
)

// A versioned URL is cached for a year, any other revalidated; the type
// follows the extension; unknown names are 404.
func TestAssets(t *testing.T) {
	a := web.NewAssets(fstest.MapFS{
		"static/app.js":       {Data: []byte("console.log(1)")},
		"static/x.css":        {Data: []byte("p{}")},
		"static/icons/a.png":  {Data: []byte("\x89PNG")},
		"static/LICENSE.data": {Data: []byte("MIT")},
	}, "static", "/p/static/")
	mux := http.NewServeMux()
	mux.Handle("GET /p/static/{name...}", a)
	for _, tc := range []struct {
		url, status, ctype, cache string
	}{
		{a.URL("app.js"), "200", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"},
		{"/p/static/app.js?v=old", "200", "text/javascript; charset=utf-8", "no-cache"},
		{a.URL("x.css"), "200", "text/css; charset=utf-8", "public, max-age=31536000, immutable"},
		{a.URL("icons/a.png"), "200", "image/png", "public, max-age=31536000, immutable"},
		{a.URL("LICENSE.data"), "200", "application/octet-stream", "public, max-age=31536000, immutable"},
		{"/p/static/missing.js", "404", "", ""},
	} {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest("GET", tc.url, nil))
		if got := w.Result().Status; !strings.HasPrefix(got, tc.status) {
			t.Errorf("%s: status %s, want %s", tc.url, got, tc.status)
			continue
		}
		if tc.status != "200" {
			continue
		}
		if h := w.Header(); h.Get("Content-Type") != tc.ctype || h.Get("Cache-Control") != tc.cache || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: headers %v", tc.url, h)
		}
	}
	if u := a.URL("missing.js"); u != "/p/static/missing.js" {
		t.Errorf("URL of a missing file = %q", u)
	}
	if len(a.URLs()) != 4 {
		t.Errorf("URLs = %v", a.URLs())
	}
}
