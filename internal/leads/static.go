package leads

import (
	"net/http"

	"github.com/lanyardhq/lanyard/internal/web"
)

// assets are the package's static files, served at /leads/static/.
var assets = web.NewAssets(staticFiles, "static", "/leads/static/")

// staticURL is an asset's versioned URL, for the templates.
func staticURL(name string) string { return assets.URL(name) }

// serveWorker serves static/sw.js from /exhibitor/leads/, the scope it
// controls; never cached, so a new release replaces it.
func serveWorker(w http.ResponseWriter, r *http.Request) {
	f, _ := assets.Get("sw.js")
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(f.Body)
}
