package console

import (
	"context"
	"net/http"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// AuditStore records and finds organizer actions.
type AuditStore interface {
	AddAudit(ctx context.Context, eventID int64, e lanyard.AuditEntry) error
}

// actor is the signed-in organizer or staff member.
func (h *Handler) actor(r *http.Request) int64 {
	if u := h.Shell.User(r); u != nil {
		return u.ID
	}
	return 0
}

// audit records an action done through the engine, after it committed:
// the engine's own log has the command, this entry who gave it. A failure
// is logged, not shown: the action itself is done.
func (h *Handler) audit(r *http.Request, action string, attendee int64, session, detail string) {
	err := h.Store.AddAudit(r.Context(), h.event().ID, lanyard.AuditEntry{ActorID: h.actor(r), Action: action, AttendeeID: attendee, Session: session, Detail: detail,
		Key: r.PostFormValue("key")})
	if err != nil {
		h.Log.ErrorContext(r.Context(), "audit entry not written", "action", action, "err", err)
	}
}
