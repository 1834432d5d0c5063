package deliver

import (
	"context"
	"html/template"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/store"
)

// MailboxStore is what the mailbox page reads.
type MailboxStore interface {
	Mailbox(ctx context.Context, eventID int64, to string, limit int) ([]store.Mail, error)
	MailMessage(ctx context.Context, eventID, id int64) (store.Mail, error)
}

var _ MailboxStore = (*store.DB)(nil)

// Mailbox is the demo's local mailbox: without SMTP, the mail lanyard
// would have sent, by recipient, so a newcomer can follow a reset link.
// It shows everyone's mail to anyone: register it only for the demo.
type Mailbox struct {
	Store   MailboxStore
	EventID int64
	Render  Renderer // nil: Prerendered
}

// Routes registers GET /mailbox and GET /mailbox/{id}.
func (h *Mailbox) Routes(t *route.Table) {
	t.HandleFunc("GET /mailbox", route.Any, h.list)
	t.HandleFunc("GET /mailbox/{id}", route.Any, h.show)
}

// mailboxText is the page's words, in English and Korean.
var mailboxText = map[string]map[string]string{
	"en": {"title": "Demo mailbox", "intro": "lanyard is not sending mail (no --smtp-url). This is the mail it would have sent, newest first.",
		"to": "To", "subject": "Subject", "state": "State", "filter": "Show mail to", "all": "Everyone", "show": "Show",
		"back": "All mail", "empty": "No mail yet.", "norender": "This mail cannot be shown yet: its template is not rendered.",
		"state_pending": "not sent", "state_sent": "sent", "state_failed": "failed"},
	"ko": {"title": "데모 메일함", "intro": "lanyard가 메일을 보내지 않습니다(--smtp-url 없음). 보냈을 메일을 최신순으로 보여 줍니다.",
		"to": "받는 사람", "subject": "제목", "state": "상태", "filter": "받는 사람으로 보기", "all": "모두", "show": "보기",
		"back": "모든 메일", "empty": "아직 메일이 없습니다.", "norender": "이 메일은 아직 표시할 수 없습니다: 템플릿이 렌더링되지 않았습니다.",
		"state_pending": "보내지 않음", "state_sent": "보냄", "state_failed": "실패"},
}

func lang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "ko" || l == "en" {
		return l
	}
	if strings.HasPrefix(r.Header.Get("Accept-Language"), "ko") {
		return "ko"
	}
	return "en"
}

var mailboxPage = template.Must(template.New("mailbox").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{index .T "title"}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;line-height:1.4}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.4rem;border-bottom:1px solid #ddd;vertical-align:top;overflow-wrap:anywhere}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f6f6;padding:1rem}
iframe{width:100%;min-height:30rem;border:1px solid #ddd}
form{margin:1rem 0}input{max-width:100%}
</style></head><body>
<h1>{{index .T "title"}}</h1>
{{if .One}}
<p><a href="/mailbox?lang={{.Lang}}">{{index .T "back"}}</a></p>
<dl><dt>{{index .T "to"}}</dt><dd>{{.One.To}}</dd><dt>{{index .T "subject"}}</dt><dd>{{.Subject}}</dd></dl>
{{if .Err}}<p>{{index .T "norender"}}</p>{{end}}
{{if .HTML}}<iframe sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation" srcdoc="{{.HTML}}" title="{{.Subject}}"></iframe>{{end}}
{{if .Text}}<pre>{{range .Text}}{{if .Link}}<a href="{{.Link}}">{{.Text}}</a>{{else}}{{.Text}}{{end}}{{end}}</pre>{{end}}
{{else}}
<p>{{index .T "intro"}}</p>
<form method="get" action="/mailbox"><label>{{index .T "filter"}} <input type="email" name="to" value="{{.To}}"></label>
<input type="hidden" name="lang" value="{{.Lang}}"> <button>{{index .T "show"}}</button> {{if .To}}<a href="/mailbox?lang={{.Lang}}">{{index .T "all"}}</a>{{end}}</form>
{{if .List}}<table><tr><th>{{index .T "to"}}</th><th>{{index .T "subject"}}</th><th>{{index .T "state"}}</th></tr>
{{range .List}}<tr><td><a href="/mailbox?to={{.To}}&amp;lang={{$.Lang}}">{{.To}}</a></td><td><a href="/mailbox/{{.ID}}?lang={{$.Lang}}">{{if .Subject}}{{.Subject}}{{else}}{{.Kind}}{{end}}</a></td><td>{{index $.T (printf "state_%s" .State)}}</td></tr>
{{end}}</table>{{else}}<p>{{index .T "empty"}}</p>{{end}}
{{end}}
</body></html>`))

func (h *Mailbox) list(w http.ResponseWriter, r *http.Request) {
	l := lang(r)
	to := strings.TrimSpace(r.URL.Query().Get("to"))
	list, err := h.Store.Mailbox(r.Context(), h.EventID, to, 500)
	if err != nil {
		http.Error(w, "The mailbox cannot be read now; try again.", http.StatusInternalServerError)
		return
	}
	h.page(w, map[string]any{"Lang": l, "T": mailboxText[l], "List": list, "To": to})
}

// segment is a run of mail text: a link or not.
type segment struct{ Text, Link string }

var urlRE = regexp.MustCompile(`https?://[^\s<>"]+`)

// linkify splits text so its http(s) URLs become links, the rest text.
func linkify(text string) []segment {
	var out []segment
	last := 0
	for _, loc := range urlRE.FindAllStringIndex(text, -1) {
		out = append(out, segment{Text: text[last:loc[0]]}, segment{Text: text[loc[0]:loc[1]], Link: text[loc[0]:loc[1]]})
		last = loc[1]
	}
	return append(out, segment{Text: text[last:]})
}

func (h *Mailbox) show(w http.ResponseWriter, r *http.Request) {
	l := lang(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.Error(w, "That is not a mail number.", http.StatusBadRequest)
		return
	}
	m, err := h.Store.MailMessage(r.Context(), h.EventID, id)
	if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
		http.Error(w, "There is no such mail.", http.StatusNotFound)
		return
	} else if err != nil {
		http.Error(w, "The mailbox cannot be read now; try again.", http.StatusInternalServerError)
		return
	}
	render := h.Render
	if render == nil {
		render = Prerendered
	}
	data := map[string]any{"Lang": l, "T": mailboxText[l], "One": m, "Subject": m.Subject}
	if rd, err := render(m.Message, m.Language); err != nil {
		data["Err"] = true
	} else {
		data["Subject"], data["HTML"], data["Text"] = rd.Subject, rd.HTML, linkify(rd.Text)
	}
	h.page(w, data)
}

func (h *Mailbox) page(w http.ResponseWriter, data map[string]any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// The mail's HTML runs in a sandboxed frame with no scripts.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; frame-src 'self'; form-action 'self'")
	w.Header().Set("Referrer-Policy", "no-referrer")
	if err := mailboxPage.Execute(w, data); err != nil {
		http.Error(w, "The mailbox page failed.", http.StatusInternalServerError)
	}
}
