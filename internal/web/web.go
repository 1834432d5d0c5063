// Package web serves lanyard's pages for people and the schedule exports
// that offline schedule apps read (/schedule.xml, /schedule.json).
package web

import (
	"bytes"
	"embed"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/respond"
	"github.com/lanyardhq/lanyard/internal/schedule"
)

//go:embed templates
var templates embed.FS

var pages = template.Must(template.ParseFS(templates, "templates/*.html"))

// Handler serves the pages of one event.
type Handler struct {
	Catalog *atomic.Pointer[catalog.Catalog]
	Log     *slog.Logger

	mu      sync.Mutex
	exports map[string]export // by format, for the catalog they were made from
}

type export struct {
	from *catalog.Catalog
	body []byte
}

// Routes registers the pages on mux.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", h.home)
	mux.HandleFunc("GET /schedule.xml", h.schedule("xml", "application/xml; charset=utf-8", schedule.WriteXML))
	mux.HandleFunc("GET /schedule.json", h.schedule("json", "application/json; charset=utf-8", schedule.WriteJSON))
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	c := h.Catalog.Load()
	var buf bytes.Buffer
	err := pages.ExecuteTemplate(&buf, "home.html", struct {
		Event    *lanyard.Event
		Sessions int
		Venues   []lanyard.Venue
	}{c.Event, c.Len(), c.Venues})
	if err != nil {
		respond.Error(w, r, h.Log, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(buf.Bytes())
}

// schedule serves an export of the current catalog, made once per catalog:
// schedule apps poll these files, and the catalog only changes on import.
func (h *Handler) schedule(format, contentType string, write func(io.Writer, *lanyard.Catalog, schedule.Options) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := h.Catalog.Load()
		h.mu.Lock()
		ex, ok := h.exports[format]
		h.mu.Unlock()
		if !ok || ex.from != c {
			var buf bytes.Buffer
			opt := schedule.Options{BaseURL: baseURL(r), Version: strconv.Itoa(c.Len())}
			if err := write(&buf, snapshot(c), opt); err != nil {
				respond.Error(w, r, h.Log, err)
				return
			}
			ex = export{from: c, body: buf.Bytes()}
			h.mu.Lock()
			if h.exports == nil {
				h.exports = map[string]export{}
			}
			h.exports[format] = ex
			h.mu.Unlock()
		}
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Cache-Control", "public, max-age=300")
		w.Write(ex.body)
	}
}

// snapshot copies the indexed catalog into the plain shape exporters take.
func snapshot(c *catalog.Catalog) *lanyard.Catalog {
	out := &lanyard.Catalog{Event: *c.Event, Venues: c.Venues, Travel: c.Travel}
	out.Sessions = make([]lanyard.Session, 0, c.Len())
	for _, s := range c.Sessions() {
		out.Sessions = append(out.Sessions, *s)
	}
	return out
}

func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
