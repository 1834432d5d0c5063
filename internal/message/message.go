package message

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strings"
	"text/template"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

//go:embed templates
var files embed.FS

// Languages are the languages every kind is written in; the first is the
// fallback for any other.
var Languages = []string{"en", "ko"}

// Rendered is a message in words.
type Rendered struct {
	Subject string // the mail's subject
	Text    string // the mail's plain text
	HTML    string // the mail's HTML, a whole document with inline styles
	Line    string // the one-line summary the app's notifications show
	Link    string // where the message leads (a path, or a URL with a base)
	// Unsubscribe is the link for a List-Unsubscribe header; "" for kinds
	// that are not bulk mail (only announcements have one).
	Unsubscribe string
}

// Renderer renders messages with links made absolute from BaseURL, the
// configured public URL ("https://lanyard.example"); "" keeps site paths
// as paths, which is what the app wants.
type Renderer struct {
	BaseURL string
}

// Render renders m in lang with site paths kept as paths: what the app's
// notifications page shows. Mail uses Renderer{BaseURL}.Render.
func Render(m lanyard.Message, lang string) (Rendered, error) {
	return Renderer{}.Render(m, lang)
}

// data is what every template gets; each kind fills its part.
type data struct {
	Lang, Event, Name string
	Code, Title       string
	When, OldWhen     string
	Room, OldRoom     string
	Seats             int
	Reserved          bool
	Change            Change
	Repeats           []repeatView
	Link              string
	Expires           string
	Until             string // a walk-up call's end, as a clock time in the venue's zone
	Host              string // a party's hosting exhibitor
	Minutes           int
	Subject, Body     string
	Paragraphs        []paragraph // Body for HTML
	Settings          string      // the settings page, to choose channels
	Unsubscribe       string
}

type repeatView struct{ Code, When, Room, Link string }

// paragraph is a block of a body: text, or a line that is a link alone.
type paragraph struct{ Text, URL string }

// Render renders m in lang ("en", "ko"; anything else is English). A
// message rendered when written (no Template) keeps its subject and body.
// Returns EINVALID for an unknown kind or params that do not decode.
func (r Renderer) Render(m lanyard.Message, lang string) (Rendered, error) {
	if lang != "ko" {
		lang = "en"
	}
	d := data{Lang: lang, Event: m.Params["event"], Settings: r.link("/settings#notifications")}
	kind := m.Template
	if kind == "" {
		// Rendered when written (a password reset): the words are the row's.
		d.Subject, d.Body, d.Paragraphs = m.Subject, m.Body, paragraphs(m.Body)
		d.Link = firstURL(d.Paragraphs)
		html, err := r.html("written", lang, d)
		if err != nil {
			return Rendered{}, err
		}
		return Rendered{Subject: m.Subject, Text: m.Body, HTML: html, Line: m.Subject, Link: d.Link}, nil
	}
	if err := r.fill(&d, m, kind, lang); err != nil {
		return Rendered{}, fmt.Errorf("message: render %s %d: %w", kind, m.ID, err)
	}
	t, ok := texts[kind+"."+lang]
	if !ok {
		return Rendered{}, lanyard.Errorf(lanyard.EINVALID, "No template for messages of kind %q.", kind)
	}
	var out Rendered
	for _, part := range []struct {
		name string
		dst  *string
	}{{"subject", &out.Subject}, {"line", &out.Line}, {"text", &out.Text}} {
		var b bytes.Buffer
		if err := t.ExecuteTemplate(&b, part.name, d); err != nil {
			return Rendered{}, fmt.Errorf("message: render %s %s: %w", kind, part.name, err)
		}
		*part.dst = strings.TrimSpace(b.String())
	}
	// Subjects and lines are one line, whatever the params held.
	out.Subject, out.Line = oneLine(out.Subject), oneLine(out.Line)
	out.Text += "\n"
	html, err := r.html(kind, lang, d)
	if err != nil {
		return Rendered{}, err
	}
	out.HTML, out.Link, out.Unsubscribe = html, d.Link, d.Unsubscribe
	return out, nil
}

// fill decodes m's params for its kind into d.
func (r Renderer) fill(d *data, m lanyard.Message, kind, lang string) error {
	bad := func(err error) error {
		return &lanyard.Error{Code: lanyard.EINVALID, Message: fmt.Sprintf("The params of a %s message do not fit it: %v", kind, err)}
	}
	switch kind {
	case lanyard.KindInvitation, lanyard.KindEmailVerification:
		var p AccountParams
		if err := Decode(m.Params, &p); err != nil {
			return bad(err)
		}
		if p.Link == "" {
			return bad(fmt.Errorf("no link"))
		}
		d.Event, d.Name, d.Link = p.Event, p.Name, r.link(p.Link)
		d.Expires = when(lang, p.Expires, p.Expires, p.Zones)
	case lanyard.KindWaitlistPromoted:
		var p PromotedParams
		if err := Decode(m.Params, &p); err != nil {
			return bad(err)
		}
		d.Code, d.Title, d.Room, d.When = p.Code, p.Title, p.Room, when(lang, p.Start, p.End, p.Zones)
		d.Link = r.link("/agenda")
	case lanyard.KindWaveReleased:
		var p WaveParams
		if err := Decode(m.Params, &p); err != nil {
			return bad(err)
		}
		d.Code, d.Title, d.Seats, d.Reserved, d.When = p.Code, p.Title, p.Seats, p.Reserved, when(lang, p.Start, p.End, p.Zones)
		d.Link = r.link("/sessions/" + url.PathEscape(p.Code))
		if p.Reserved {
			d.Link = r.link("/agenda")
		}
	case lanyard.KindLineCalled:
		var p LineCalledParams
		if err := Decode(m.Params, &p); err != nil {
			return bad(err)
		}
		if p.Until.IsZero() {
			return bad(fmt.Errorf("no until"))
		}
		d.Code, d.Title, d.Room, d.Minutes = p.Code, p.Title, p.Room, p.Minutes
		d.When = when(lang, p.Start, p.End, p.Zones)
		venue, err := lanyard.LoadZone(p.VenueZone)
		if err != nil {
			venue = time.UTC
		}
		u := p.Until.In(venue)
		d.Until = clock(lang, u) + " " + zoneAbbr(u)
		d.Link = r.link("/lines")
	case lanyard.KindSessionChanged:
		var p ChangedParams
		if err := Decode(m.Params, &p); err != nil {
			return bad(err)
		}
		switch p.Change {
		case ChangeMoved, ChangeCancelled, ChangeSeatReleased, ChangeSeatWaitlisted:
		default:
			return bad(fmt.Errorf("change %q is not a session change", p.Change))
		}
		d.Code, d.Title, d.Change = p.Code, p.Title, p.Change
		d.When, d.OldWhen = when(lang, p.Start, p.End, p.Zones), when(lang, p.OldStart, p.OldEnd, p.Zones)
		d.Room, d.OldRoom = p.Room, p.OldRoom
		for _, rp := range p.Repeats {
			d.Repeats = append(d.Repeats, repeatView{Code: rp.Code, When: when(lang, rp.Start, rp.End, p.Zones), Room: rp.Room,
				Link: r.link("/sessions/" + url.PathEscape(rp.Code))})
		}
		d.Link = r.link("/agenda")
	case lanyard.KindPartyCancelled:
		var p PartyCancelledParams
		if err := Decode(m.Params, &p); err != nil {
			return bad(err)
		}
		if p.Code == "" {
			return bad(fmt.Errorf("no party code"))
		}
		d.Code, d.Title, d.Room, d.Host = p.Code, p.Title, p.Location, p.Host
		d.When = when(lang, p.Start, time.Time{}, p.Zones)
		d.Link = r.link("/parties")
	case lanyard.KindAnnouncement:
		var p AnnouncementParams
		if err := Decode(m.Params, &p); err != nil {
			return bad(err)
		}
		d.Subject, d.Body = p.SubjectEn, p.BodyEn
		if lang == "ko" && (p.SubjectKo != "" || p.BodyKo != "") || p.SubjectEn == "" && p.BodyEn == "" {
			d.Subject, d.Body = p.SubjectKo, p.BodyKo
		}
		d.Paragraphs = paragraphs(d.Body)
		d.Unsubscribe = d.Settings
		if p.Unsubscribe != "" {
			d.Unsubscribe = r.link(p.Unsubscribe)
		}
		d.Link = r.link("/notifications")
	default:
		return &lanyard.Error{Code: lanyard.EINVALID, Message: fmt.Sprintf("No template for messages of kind %q.", kind)}
	}
	return nil
}

// link makes a site path absolute from the base URL; a URL stays as it is.
func (r Renderer) link(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return p
	}
	return strings.TrimSuffix(r.BaseURL, "/") + p
}

func (r Renderer) html(kind, lang string, d data) (string, error) {
	t, ok := htmls[kind+"."+lang]
	if !ok {
		return "", lanyard.Errorf(lanyard.EINVALID, "No template for messages of kind %q.", kind)
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout", d); err != nil {
		return "", fmt.Errorf("message: render %s html: %w", kind, err)
	}
	return b.String(), nil
}

// paragraphs splits a body at blank lines; a paragraph that is a URL alone
// becomes a link.
func paragraphs(body string) []paragraph {
	var out []paragraph
	for _, p := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n\n") {
		p = strings.TrimSpace(p)
		switch {
		case p == "":
		case (strings.HasPrefix(p, "https://") || strings.HasPrefix(p, "http://")) && !strings.ContainsAny(p, " \n"):
			out = append(out, paragraph{URL: p})
		default:
			out = append(out, paragraph{Text: p})
		}
	}
	return out
}

func firstURL(ps []paragraph) string {
	for _, p := range ps {
		if p.URL != "" {
			return p.URL
		}
	}
	return ""
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// texts and htmls are the parsed templates by "kind.lang".
var texts, htmls = parseTemplates()

func parseTemplates() (map[string]*template.Template, map[string]*htmltemplate.Template) {
	texts := map[string]*template.Template{}
	htmls := map[string]*htmltemplate.Template{}
	funcs := htmltemplate.FuncMap{"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}}
	layout := htmltemplate.Must(htmltemplate.New("layout.html").Funcs(funcs).ParseFS(files, "templates/layout.html"))
	for _, kind := range append([]string{"written"}, lanyard.MessageKinds...) {
		for _, lang := range Languages {
			key := kind + "." + lang
			if b, err := files.ReadFile("templates/" + key + ".txt"); err == nil {
				texts[key] = template.Must(template.New(key).Parse(string(b)))
			}
			if b, err := files.ReadFile("templates/" + key + ".html"); err == nil {
				htmls[key] = htmltemplate.Must(htmltemplate.Must(layout.Clone()).Parse(string(b)))
			}
		}
	}
	return texts, htmls
}
