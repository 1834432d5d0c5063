package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/registration"
	"github.com/lanyardhq/lanyard/internal/respond"
	"github.com/lanyardhq/lanyard/internal/store"
)

// Registrations is what the organizer's registration routes keep in the
// database; *store.DB implements it.
type Registrations interface {
	registration.Store
	SignUpMode(ctx context.Context, eventID int64) (string, error)
	SetSignUpMode(ctx context.Context, eventID int64, mode string) error
}

// registrations answers 503 when the handler was built without a store
// for registrations, rather than failing on a nil interface.
func (h *Handler) registrations(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.Registrations == nil {
			h.error(w, r, lanyard.Errorf(lanyard.EUNAVAILABLE, "Registrations are not available on this server."))
			return
		}
		next(w, r)
	}
}

// maxImportBody bounds an import upload: a 65,000-attendee CSV is ~10 MB.
const maxImportBody = 64 << 20

// importReport is the answer to an import: the report, and the error that
// kept it from being written, if any.
type importReport struct {
	Report registration.Report `json:"report"`
	Error  *lanyard.Error      `json:"error,omitempty"`
}

// importer returns the import handler; with cancel (the route is served by
// the engine's holder) a cancelled ticket's seats are given back.
func (h *Handler) importer(cancel bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { h.importAttendees(w, r, cancel) }
}

// importAttendees imports attendees from an uploaded file (multipart field
// "file"), with the form fields format, map, type, role (repeatable
// "key=value"), dry_run and invite. Refused rows answer 422 with the
// report naming each, and nothing written.
func (h *Handler) importAttendees(w http.ResponseWriter, r *http.Request, cancel bool) {
	r.Body = http.MaxBytesReader(w, r.Body, maxImportBody)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.error(w, r, &lanyard.Error{Code: lanyard.EINVALID, Field: "file", Message: "The file is larger than 64 MB."})
			return
		}
		h.error(w, r, &lanyard.Error{Code: lanyard.EINVALID, Field: "file", Message: "Send the file as multipart/form-data, in the field \"file\"."})
		return
	}
	fh, hdr, err := r.FormFile("file")
	if err != nil {
		h.error(w, r, &lanyard.Error{Code: lanyard.EINVALID, Field: "file", Message: "No file: send it in the multipart field \"file\"."})
		return
	}
	defer fh.Close()
	m, err := registration.ParseMapping(r.MultipartForm.Value["map"])
	if err != nil {
		h.error(w, r, err)
		return
	}
	ev := h.Catalog.Load().Event
	opt := registration.Options{EventID: ev.ID, DryRun: formBool(r, "dry_run"), Types: map[string]string{}, Roles: map[string]lanyard.Role{}}
	for _, kv := range r.MultipartForm.Value["type"] {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			h.error(w, r, &lanyard.Error{Code: lanyard.EINVALID, Field: "type", Message: "A type mapping is \"ticket kind=attendee type\"."})
			return
		}
		opt.Types[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	for _, kv := range r.MultipartForm.Value["role"] {
		k, v, ok := strings.Cut(kv, "=")
		role := lanyard.Role(strings.TrimSpace(v))
		if !ok || !role.Valid() {
			h.error(w, r, &lanyard.Error{Code: lanyard.EINVALID, Field: "role", Message: "A role mapping is \"attendee type=role\", the role one of attendee, staff, exhibitor, organizer."})
			return
		}
		opt.Roles[strings.TrimSpace(k)] = role
	}
	if formBool(r, "invite") {
		if h.PublicURL == "" {
			h.error(w, r, &lanyard.Error{Code: lanyard.EINVALID, Field: "invite", Message: "Invitations need the server's public URL (--public-url)."})
			return
		}
		opt.Invite = registration.Inviter(h.PublicURL, ev.Name, registration.InvitationTTL, time.Now)
	}
	f := registration.Format(r.FormValue("format"))
	if f == "" {
		head := make([]byte, 64)
		n, _ := fh.ReadAt(head, 0)
		f = registration.Detect(hdr.Filename, head[:n])
	}
	rep, err := registration.Import(r.Context(), h.Registrations, fh, f, m, opt)
	if err != nil && lanyard.ErrorCode(err) == lanyard.EINVALID {
		le := &lanyard.Error{Code: lanyard.EINVALID, Message: lanyard.ErrorMessage(err), Field: lanyard.ErrorField(err)}
		respond.JSON(w, http.StatusUnprocessableEntity, importReport{Report: rep, Error: le})
		return
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	if cancel && rep.Written() {
		h.cancelTickets(r, rep.Rows)
	}
	respond.JSON(w, http.StatusOK, importReport{Report: rep})
}

// cancelTickets gives back, through the engine, the seats and waitlist
// places of each attendee whose ticket the import cancelled; the
// idempotency key is the request's, per attendee, so a retried import
// gives back nothing twice. A failure is logged: the import is done, and
// the cancelled attendee takes no new seat anyway.
func (h *Handler) cancelTickets(r *http.Request, rows []store.RegOutcome) {
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		key = strconv.FormatInt(time.Now().UnixNano(), 36)
	}
	for _, o := range rows {
		if o.Action != store.RegVoided || o.AttendeeID == 0 {
			continue
		}
		k := "ticket-cancel-" + key + "-" + strconv.FormatInt(o.AttendeeID, 10)
		if _, err := h.organizer(r).CancelTicket(r.Context(), caller(r.Context()).ID, o.AttendeeID, k); err != nil {
			h.Log.ErrorContext(r.Context(), "cancelled ticket's seats not given back", "attendee", o.AttendeeID, "err", err)
		}
	}
}

func formBool(r *http.Request, key string) bool {
	switch strings.ToLower(r.FormValue(key)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

type signUpMode struct {
	SignUpMode string `json:"signup_mode"`
}

func (h *Handler) getSignUpMode(w http.ResponseWriter, r *http.Request) {
	m, err := h.Registrations.SignUpMode(r.Context(), h.Catalog.Load().Event.ID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, signUpMode{m})
}

func (h *Handler) putSignUpMode(w http.ResponseWriter, r *http.Request) {
	var body signUpMode
	if err := decode(r, &body); err != nil {
		h.error(w, r, err)
		return
	}
	if err := h.Registrations.SetSignUpMode(r.Context(), h.Catalog.Load().Event.ID, body.SignUpMode); err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, body)
}
