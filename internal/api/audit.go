package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Auditor records who did an organizer's or staff member's action;
// *store.DB implements it. The engine's log has the commands themselves.
type Auditor interface {
	AddAudit(ctx context.Context, eventID int64, e lanyard.AuditEntry) error
}

// statusWriter remembers the status a handler answered with.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// audited runs next and, when it succeeded (the command committed),
// records action with the token's attendee as actor, the path's session
// code or attendee ID, and detail's words for the request. A dry run
// changed nothing and is not recorded; an entry that cannot be written is
// logged, since the action itself is done. Wrap inside auth, so the
// caller is known.
func (h *Handler) audited(action string, detail func(r *http.Request, body []byte) string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body []byte
		if detail == nil {
			detail = jsonDetail
		}
		if r.Body != nil && !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
			// The JSON body is the detail: read it (bounded as the
			// handlers bound it) and hand the handler the same bytes.
			body, _ = io.ReadAll(io.LimitReader(r.Body, maxBody+1))
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		sw := &statusWriter{ResponseWriter: w}
		next(sw, r)
		if h.Audit == nil || sw.status < 200 || sw.status > 299 || formBool(r, "dry_run") {
			return
		}
		e := lanyard.AuditEntry{Action: action, Session: r.PathValue("code"), Key: r.Header.Get("Idempotency-Key")}
		if a := caller(r.Context()); a != nil {
			e.ActorID = a.ID
		}
		if id, err := strconv.ParseInt(r.PathValue("id"), 10, 64); err == nil {
			e.AttendeeID = id
		}
		e.Detail = detail(r, body)
		if err := h.Audit.AddAudit(context.WithoutCancel(r.Context()), h.Catalog.Load().Event.ID, e); err != nil {
			h.Log.ErrorContext(r.Context(), "audit entry not written", "action", action, "err", err)
		}
	}
}

// maxDetail bounds an audit entry's detail.
const maxDetail = 500

// jsonDetail is a request's JSON body on one line, cut at maxDetail.
func jsonDetail(_ *http.Request, b []byte) string {
	var buf bytes.Buffer
	if json.Compact(&buf, b) != nil {
		return ""
	}
	s := buf.String()
	if len(s) > maxDetail {
		s = strings.ToValidUTF8(s[:maxDetail], "") + "…"
	}
	return s
}

// holdbackDetail names the session type and the body.
func holdbackDetail(r *http.Request, b []byte) string {
	return r.PathValue("type") + " " + jsonDetail(r, b)
}

// importDetail names the imported file and whether it invited.
func importDetail(r *http.Request, _ []byte) string {
	d := ""
	if _, hdr, err := r.FormFile("file"); err == nil {
		d = hdr.Filename
	}
	if formBool(r, "invite") {
		d += " (invite)"
	}
	return d
}

// ticketValid refuses seat-taking to a caller whose ticket was cancelled:
// they may still read their agenda, cancel and leave waitlists. (A token
// cached before the cancellation may pass for up to the cache's minute;
// the import gives back their seats through the engine either way.)
func (h *Handler) ticketValid(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if a := caller(r.Context()); a != nil && a.Canceled {
			h.error(w, r, lanyard.Errorf(lanyard.ETicketCanceled, "Your ticket was cancelled: you cannot reserve seats or join waitlists."))
			return
		}
		next(w, r)
	}
}
