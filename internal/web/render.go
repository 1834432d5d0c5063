package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// page is what every template gets: the translator's methods (T, Day,
// Clock), who is signed in, and the page's own Data.
type page struct {
	*translator
	Title     string
	Event     *lanyard.Event
	User      *lanyard.Attendee
	Path      string // this page's URL, to come back to after a form
	FlashKind string // "ok" or "error"
	Flash     string
	FlashCode string // the session the flash is about, if one
	// FlashInline: a row of the page shows the flash (the catalog's), so
	// the top does not.
	FlashInline bool
	Static      map[string]string // asset name → versioned URL; shared, read only

	// Venue is the event's zone; Home the attendee's, when set and different.
	// HomeFirst shows home times first.
	Venue, Home *time.Location
	HomeFirst   bool
	// Unverified: the signed-in attendee has not confirmed their email
	// address yet, and cannot reserve (a banner says so).
	Unverified bool

	// Unread counts the signed-in attendee's unread notifications, for the
	// header.
	Unread int

	Data any
	// Nav, when set, replaces the attendee app's links in the header (the
	// console's sections, through Shell).
	Nav []NavItem

	cat *catalog.Catalog
}

// VenueName is a venue's name from its code.
func (p *page) VenueName(code string) string { return p.cat.VenueName(code) }

func (h *Handler) newPage(r *http.Request, titleID string) *page {
	c := h.Catalog.Load()
	t := translatorFor(pickLanguage(r))
	p := &page{translator: t, Title: t.T(titleID), Event: c.Event, User: user(r), Path: r.URL.RequestURI(), Venue: c.Loc, Static: h.staticURLs, cat: c}
	if p.User != nil {
		if p.User.HomeZone != "" {
			if loc, err := lanyard.LoadZone(p.User.HomeZone); err == nil && loc.String() != c.Loc.String() {
				p.Home = loc
			}
		}
		if acc := userAccount(r); p.Home != nil && acc != nil {
			p.HomeFirst = acc.ZonePrimary == lanyard.ZonePrimaryHome
		}
		p.Unread = h.unread(r, p.User.ID)
		if acc := userAccount(r); acc != nil && !acc.Verified() {
			p.Unverified = true
		}
	}
	if r.Method == http.MethodGet {
		p.FlashKind, p.Flash, p.FlashCode = h.popFlash(r)
	}
	return p
}

// When shows an instant in the primary zone and, beside it, the other.
func (p *page) When(tm time.Time) clocks {
	if p.Home == nil {
		return p.translator.When(tm, p.Venue, nil)
	}
	if p.HomeFirst {
		return p.translator.When(tm, p.Home, p.Venue)
	}
	return p.translator.When(tm, p.Venue, p.Home)
}

// zones returns the primary zone and the other one (nil when the attendee
// has no home zone apart from the venue's).
func (p *page) zones() (primary, other *time.Location) {
	switch {
	case p.Home == nil:
		return p.Venue, nil
	case p.HomeFirst:
		return p.Home, p.Venue
	}
	return p.Venue, p.Home
}

// Span shows a session's time, start to end, in the primary zone and,
// beside it, the other (translator.Span).
func (p *page) Span(start, end time.Time) clocks {
	primary, other := p.zones()
	return p.translator.Span(start, end, primary, other, false)
}

// SpanDate is Span with the date, for a session's own page.
func (p *page) SpanDate(start, end time.Time) clocks {
	primary, other := p.zones()
	return p.translator.Span(start, end, primary, other, true)
}

// Span is the slot's time in the viewer's zones (page.Span).
func (s *slot) Span() clocks { return s.P.Span(s.S.Start, s.S.End) }

// IsoTime is an instant for <time datetime="">.
func (p *page) IsoTime(tm time.Time) string { return tm.UTC().Format(time.RFC3339) }

// pages: every templates/*.html but the layout and partials is a page,
// rendered inside layout.html.
func parsePages() map[string]*template.Template {
	base := template.Must(template.New("").Funcs(templateFuncs()).ParseFS(files, "templates/layout.html", "templates/partials.html"))
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		out[name] = template.Must(template.Must(base.Clone()).ParseFS(files, n))
	}
	return out
}

// templateFuncs are the functions every template may call.
func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"add": func(a, b int) int { return a + b },
		// seg escapes a path segment ("/agenda/cancel/{{seg .Code}}"):
		// html/template keeps '/', '?' and '#' in a URL as they are.
		"seg": url.PathEscape,
		// inHub: the path is one of the pages the header's People link
		// gathers (connect.go), so the link shows where the visitor is.
		"inHub": inHub,
		// dict passes several values to a partial: dict "P" $ "S" .Session.
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, errors.New("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, errors.New("dict: keys must be strings")
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
	}
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render writes a whole page, or only its "content" block when the script
// asks for a fragment (search as you type).
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	h.renderBlock(w, r, status, name, "layout", p)
}

func (h *Handler) renderBlock(w http.ResponseWriter, r *http.Request, status int, name, block string, p any) {
	t, ok := h.pages[name]
	if !ok {
		panic("web: no page " + name)
	}
	h.execute(w, r, status, name, t, block, p)
}

func (h *Handler) execute(w http.ResponseWriter, r *http.Request, status int, name string, t *template.Template, block string, p any) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := t.ExecuteTemplate(buf, block, p); err != nil {
		h.Log.ErrorContext(r.Context(), "template failed", "page", name, "err", err)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store") // pages show who is signed in
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "same-origin")
	w.Header().Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func contentVersion(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:6])
}
