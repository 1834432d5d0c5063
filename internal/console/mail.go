package console

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
)

// MailStore is what the mail page reads and changes: mail the server
// refused for good or is still retrying, and a retry of a failed one.
type MailStore interface {
	MailTrouble(ctx context.Context, eventID int64, state lanyard.MessageState, offset, limit int) ([]store.Mail, bool, error)
	RetryMail(ctx context.Context, eventID, id int64, now time.Time, audit lanyard.AuditEntry) error
}

// mailList is one list of the mail page, paged on its own.
type mailList struct {
	Mail       []store.Mail
	Prev, Next int // offsets, or -1
}

type mailData struct {
	Failed, Retrying mailList
	from             map[string]int
}

// PageURL is the page with list name moved to offset, the other kept.
func (d *mailData) PageURL(name string, offset int) string {
	v := map[string]int{"failed": d.from["failed"], "retrying": d.from["retrying"]}
	v[name] = offset
	return "/console/mail?failed=" + strconv.Itoa(v["failed"]) + "&retrying=" + strconv.Itoa(v["retrying"])
}

func (h *Handler) mailPage(w http.ResponseWriter, r *http.Request) {
	d := &mailData{from: map[string]int{}}
	for name, state := range map[string]lanyard.MessageState{"failed": lanyard.MessageFailed, "retrying": lanyard.MessagePending} {
		from, _ := strconv.Atoi(r.URL.Query().Get(name))
		from = max(from, 0)
		d.from[name] = from
		mail, more, err := h.Store.MailTrouble(r.Context(), h.event().ID, state, from, pageSize)
		if err != nil {
			h.Shell.ServerError(w, r, err)
			return
		}
		l := mailList{Mail: mail, Prev: -1, Next: -1}
		if from > 0 {
			l.Prev = max(from-pageSize, 0)
		}
		if more {
			l.Next = from + pageSize
		}
		if name == "failed" {
			d.Failed = l
		} else {
			d.Retrying = l
		}
	}
	h.render(w, r, http.StatusOK, "mail", "console.mail.title", d)
}

// retryMail sends a failed mail again at once. A mail no longer failed
// (retried by someone else, or sent) is said so, not an error page.
func (h *Handler) retryMail(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.Shell.Error(w, r, http.StatusNotFound, h.nav(r, h.Shell.User(r)), "console.mail.not_found")
		return
	}
	audit := lanyard.AuditEntry{ActorID: h.actor(r), Action: "mail_retry", Detail: "#" + strconv.FormatInt(id, 10), Key: r.PostFormValue("key")}
	err = h.Store.RetryMail(r.Context(), h.event().ID, id, h.now(), audit)
	switch code := lanyard.ErrorCode(err); {
	case err == nil:
		h.Shell.Flash(r, "ok", h.Shell.T(r, "console.mail.retried"))
	case code == lanyard.EINVALID:
		h.Shell.Flash(r, "error", h.Shell.T(r, "console.mail.not_failed"))
	case code == lanyard.ENOTFOUND:
		w.Header().Set("X-Lanyard-Code", lanyard.ENOTFOUND)
		h.Shell.Error(w, r, http.StatusNotFound, h.nav(r, h.Shell.User(r)), "console.mail.not_found")
		return
	default:
		h.Shell.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, "/console/mail", http.StatusSeeOther)
}
