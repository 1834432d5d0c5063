package web

import (
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/language"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Shell is the small part of the web app that other page packages (the
// organizer console) share: the layout, the translations, the sign-in
// session and the same CSRF protection. It renders their own templates
// inside the attendee app's layout, so every page looks and behaves alike.
type Shell struct {
	h     *Handler
	pages map[string]*template.Template
}

// NavItem is one link of a section's navigation, shown in the header in
// place of the attendee app's.
type NavItem struct {
	Href, Label string
	Current     bool
}

// ExhibitorNav is the header's links on every exhibitor page (/exhibitor/…),
// whichever package serves it, so booth staff see one menu.
func (s *Shell) ExhibitorNav(r *http.Request) []NavItem {
	t := translatorFor(pickLanguage(r))
	path := r.URL.Path
	var items []NavItem
	for _, l := range [...]struct{ href, id string }{
		{"/exhibitor", "nav.exhibitor.booth"},
		{"/exhibitor/leads/scan", "nav.exhibitor.scan"},
		{"/exhibitor/leads", "nav.exhibitor.leads"},
		{"/exhibitor/questions", "nav.exhibitor.questions"},
		{"/exhibitor/swag", "nav.exhibitor.swag"},
		{"/exhibitor/leads/webhook", "nav.exhibitor.webhook"},
		{"/", "nav.exhibitor.app"},
	} {
		current := path == l.href
		if l.href == "/exhibitor/leads" && strings.HasPrefix(path, "/exhibitor/leads/") && path != "/exhibitor/leads/scan" && path != "/exhibitor/leads/webhook" {
			current = true // one lead's page
		}
		items = append(items, NavItem{Href: l.href, Label: t.T(l.id), Current: current})
	}
	return items
}

// ShellPage is what a shell template gets: T, Lang, Day, Clock (the
// translator's), Title, User, Path, Flash and the page's own Data.
type ShellPage = page

// Shell returns the shell of h's pages, with the templates of pages (every
// *.html in it but partials.html, each defining "content", parsed over the
// layout; partials.html, if present, shared by them). funcs are added to
// the web app's template functions.
func (h *Handler) Shell(pages fs.FS, funcs template.FuncMap) (*Shell, error) {
	h.init()
	s := &Shell{h: h, pages: map[string]*template.Template{}}
	base, err := template.New("").Funcs(templateFuncs()).Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, fmt.Errorf("web: shell layout: %w", err)
	}
	if _, err := fs.Stat(pages, "partials.html"); err == nil {
		if base, err = base.ParseFS(pages, "partials.html"); err != nil {
			return nil, fmt.Errorf("web: shell partials: %w", err)
		}
	}
	names, err := fs.Glob(pages, "*.html")
	if err != nil {
		return nil, fmt.Errorf("web: shell pages: %w", err)
	}
	for _, n := range names {
		if n == "partials.html" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(pages, n)
		if err != nil {
			return nil, fmt.Errorf("web: shell page %s: %w", n, err)
		}
		s.pages[strings.TrimSuffix(n, ".html")] = t
	}
	return s, nil
}

// Wrap gives fn what every page of the web app has: the sign-in session
// loaded and saved, the signed-in person identified (Shell.User), and
// cross-origin form posts refused.
func (s *Shell) Wrap(fn http.HandlerFunc) http.Handler {
	return s.h.wrap(fn)
}

// User returns the signed-in person, or nil.
func (s *Shell) User(r *http.Request) *lanyard.Attendee { return user(r) }

// Event is the event the pages serve.
func (s *Shell) Event() *lanyard.Event { return s.h.Catalog.Load().Event }

// Lang is the language to answer r in ("en", "ko").
func (s *Shell) Lang(r *http.Request) string { return pickLanguage(r) }

// T translates id into r's language (args as name, value pairs).
func (s *Shell) T(r *http.Request, id string, args ...any) string {
	return translatorFor(pickLanguage(r)).T(id, args...)
}

// DateTime writes tm (already in the zone to show) as a date and a time of
// day in r's language, as the app's pages do: "Mon, Jan 4, 4:30 PM" or
// "1월 4일 (월) 오후 4:30".
func (s *Shell) DateTime(r *http.Request, tm time.Time) string {
	t := translatorFor(pickLanguage(r))
	return t.DateDay(tm) + " " + t.Clock(tm)
}

// Page starts a page titled by the message titleID, with nav shown in the
// header; Data is the caller's.
func (s *Shell) Page(r *http.Request, titleID string, nav []NavItem, data any) *ShellPage {
	p := s.h.newPage(r, titleID)
	p.Nav = nav
	p.Data = data
	return p
}

// Render writes the page name (one of the shell's templates) with status.
func (s *Shell) Render(w http.ResponseWriter, r *http.Request, status int, name string, p *ShellPage) {
	t, ok := s.pages[name]
	if !ok {
		panic("web: no shell page " + name)
	}
	s.h.execute(w, r, status, name, t, "layout", p)
}

// RenderBlock writes one block of the page name alone: a fragment a
// script swaps into the page.
func (s *Shell) RenderBlock(w http.ResponseWriter, r *http.Request, status int, name, block string, p *ShellPage) {
	t, ok := s.pages[name]
	if !ok {
		panic("web: no shell page " + name)
	}
	s.h.execute(w, r, status, name, t, block, p)
}

// Error writes the web app's error page with status and the message id,
// in the visitor's language, with nav in the header.
func (s *Shell) Error(w http.ResponseWriter, r *http.Request, status int, nav []NavItem, id string, args ...any) {
	p := s.h.newPage(r, "error.title")
	p.Nav = nav
	p.Data = errorData{Message: p.T(id, args...)}
	s.h.render(w, r, status, "error", p)
}

// ServerError logs err and shows the error page (a domain error's own message).
func (s *Shell) ServerError(w http.ResponseWriter, r *http.Request, err error) {
	s.h.serverError(w, r, err)
}

// Flash keeps a message ("ok" or "error") for the next page.
func (s *Shell) Flash(r *http.Request, kind, text string) { s.h.flash(r, kind, text) }

// SignInURL is the sign-in page that comes back to r's page afterwards.
func (s *Shell) SignInURL(r *http.Request) string {
	return "/signin?next=" + url.QueryEscape(r.URL.RequestURI())
}

// LocalPath returns p if it is a path on this site, else "/".
func LocalPath(p string) string { return localPath(p) }

// AddMessages merges a message file (go-i18n JSON, named by its language:
// "en.json", "ko.json") into the pages' translations. Call it before
// serving, from the package that owns the messages.
func AddMessages(fsys fs.FS, path string) error {
	lang := strings.TrimSuffix(path[strings.LastIndex(path, "/")+1:], ".json")
	if _, err := language.Parse(lang); err != nil {
		return fmt.Errorf("web: messages %s: %w", path, err)
	}
	if _, err := bundle.LoadMessageFileFS(fsys, path); err != nil {
		return fmt.Errorf("web: messages %s: %w", path, err)
	}
	return nil
}

// SiteURL is the address for links that leave the page (an invitation's
// set-password link): the configured public URL.
func (s *Shell) SiteURL(r *http.Request) string { return s.h.siteURL(r) }

// StaticURL is the versioned URL of one of the web app's static files
// (scan.js and jsQR.js, the scanner every scanning page shares), or "".
func (s *Shell) StaticURL(name string) string { return s.h.staticURLs[name] }

// messagesAdded remembers the message files merged, by their file system:
// tests build many servers, and a package's messages go in once.
var messagesAdded = struct {
	sync.Mutex
	fs map[fs.FS]bool
}{fs: map[fs.FS]bool{}}

// RoleShell is the shell of a role's package (door, desk, expo, …): its
// templates (templates/*.html of templates) over the web app's layout, and
// its messages (locales/en.json and locales/ko.json of locales) merged into
// the translations once, however often it is called. name prefixes errors.
func (h *Handler) RoleShell(name string, templates, locales fs.FS, funcs template.FuncMap) (*Shell, error) {
	messagesAdded.Lock()
	if !messagesAdded.fs[locales] {
		for _, lang := range []string{"en", "ko"} {
			if err := AddMessages(locales, "locales/"+lang+".json"); err != nil {
				messagesAdded.Unlock()
				return nil, fmt.Errorf("%s: %w", name, err)
			}
		}
		messagesAdded.fs[locales] = true
	}
	messagesAdded.Unlock()
	sub, err := fs.Sub(templates, "templates")
	if err != nil {
		return nil, fmt.Errorf("%s: templates: %w", name, err)
	}
	return h.Shell(sub, funcs)
}
