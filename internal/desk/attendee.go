package desk

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/respond"
	"github.com/lanyardhq/lanyard/internal/store"
)

type attendeeData struct {
	A     *lanyard.Attendee
	Badge store.DeskBadge
	// Who printed the last badge and who handed it over, by name.
	PrintedBy, PickedUpBy string
	Photo                 *lanyard.Photo
	PhotoURL              string
	Checks                []string // the stored photo's, in the page's language
	// NeedVoid: a badge is out (printed here or picked up), so printing
	// again voids it.
	NeedVoid bool
	Error    string // a refused action, shown above its form
	// PrintURL is the badge just printed, which the page opens in the
	// browser's print dialog.
	PrintURL string
}

func (h *Handler) attendeePage(w http.ResponseWriter, r *http.Request) {
	a := h.attendee(w, r)
	if a == nil {
		return
	}
	h.renderAttendee(w, r, http.StatusOK, a, "")
}

func (h *Handler) renderAttendee(w http.ResponseWriter, r *http.Request, status int, a *lanyard.Attendee, errText string) {
	ctx := r.Context()
	d := &attendeeData{A: a, Error: errText}
	var err error
	if d.Badge, err = h.Store.DeskBadge(ctx, a.ID); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	d.NeedVoid = d.Badge.Prints > 0 || d.Badge.PickedUpAt != nil
	if v := r.URL.Query().Get("printed"); r.Method == http.MethodGet && v == strconv.Itoa(d.Badge.Version) && d.Badge.Prints > 0 {
		d.PrintURL = attendeePath(a.ID) + "/badge.pdf?v=" + v
	}
	if d.PrintedBy, err = h.name(r, d.Badge.PrintedBy); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	if d.PickedUpBy, err = h.name(r, d.Badge.PickedUpBy); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	switch p, err := h.Badges.Photo(ctx, a.ID); {
	case err == nil:
		d.Photo = p
		d.PhotoURL = attendeePath(a.ID) + "/photo.jpg?v=" + strconv.FormatInt(p.UpdatedAt.UnixNano(), 36)
		for _, c := range p.Checks {
			d.Checks = append(d.Checks, h.checkText(r, c))
		}
	case lanyard.ErrorCode(err) != lanyard.ENOTFOUND:
		h.Shell.ServerError(w, r, err)
		return
	}
	h.render(w, r, status, "attendee", "desk.attendee.title", d)
}

// name is a staff member's name, "" for none.
func (h *Handler) name(r *http.Request, id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	a, err := h.Store.FindAttendeeByID(r.Context(), id)
	if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
		return "#" + strconv.FormatInt(id, 10), nil
	}
	if err != nil {
		return "", err
	}
	return a.Name, nil
}

// checkText says what a photo check found, for the person at the desk.
func (h *Handler) checkText(r *http.Request, c lanyard.PhotoCheck) string {
	id := "desk.photo.check_" + c.Code
	if s := h.Shell.T(r, id, "Value", int(c.Value+0.5), "Limit", int(c.Limit+0.5)); s != id {
		return s
	}
	return c.Message
}

func (h *Handler) photoJPEG(w http.ResponseWriter, r *http.Request) {
	a := h.attendee(w, r)
	if a == nil {
		return
	}
	p, err := h.Badges.Photo(r.Context(), a.ID)
	if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
		h.refuse(w, r, http.StatusNotFound, lanyard.ENOTFOUND, "desk.photo.none")
		return
	}
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Write(p.JPEG)
}

// maxPhotoForm bounds a photo post: the photo's 10 MB and the form around it.
const maxPhotoForm = 10<<20 + 64<<10

// photoAnswer is the JSON the desk's script gets back for a capture.
type photoAnswer struct {
	URL     string       `json:"url"`
	Flagged bool         `json:"flagged"`
	Checks  []checkWords `json:"checks"`
}

type checkWords struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// uploadPhoto stores the desk camera's capture (or a chosen file) as the
// attendee's badge photo, through the same processing and checks as the
// attendee's own upload: format by content, size limits, orientation, the
// 3:4 crop, brightness and contrast. A refusal stores nothing and says why
// in the desk's language. The script asks for JSON; a plain form post is
// sent back to the page.
func (h *Handler) uploadPhoto(w http.ResponseWriter, r *http.Request) {
	a := h.attendee(w, r)
	if a == nil {
		return
	}
	wantJSON := r.Header.Get("Accept") == "application/json"
	r.Body = http.MaxBytesReader(w, r.Body, maxPhotoForm)
	saved, err := h.readPhoto(r, a.ID)
	if err != nil {
		var le *lanyard.Error
		if !errors.As(err, &le) {
			h.Shell.ServerError(w, r, err)
			return
		}
		msg := h.Shell.T(r, "desk.photo.err_"+le.Code)
		if msg == "desk.photo.err_"+le.Code {
			msg = le.Message
		}
		if wantJSON {
			respond.JSON(w, respond.Status(le.Code), respond.ErrorBody{Error: lanyard.Error{Code: le.Code, Message: msg}})
			return
		}
		w.Header().Set(codeHeader, le.Code)
		h.renderAttendee(w, r, respond.Status(le.Code), a, msg)
		return
	}
	h.audit(r, "badge_photo", a.ID, "")
	ans := photoAnswer{URL: attendeePath(a.ID) + "/photo.jpg?v=" + strconv.FormatInt(saved.UpdatedAt.UnixNano(), 36), Flagged: saved.Flagged, Checks: []checkWords{}}
	for _, c := range saved.Checks {
		ans.Checks = append(ans.Checks, checkWords{Code: c.Code, Message: h.checkText(r, c)})
	}
	if wantJSON {
		respond.JSON(w, http.StatusOK, ans)
		return
	}
	if !saved.Flagged {
		h.Shell.Flash(r, "ok", h.Shell.T(r, "desk.photo.saved"))
	}
	http.Redirect(w, r, attendeePath(a.ID)+"#photo", http.StatusSeeOther)
}

// readPhoto finds the "photo" part of a multipart form and stores it.
func (h *Handler) readPhoto(r *http.Request, attendeeID int64) (*lanyard.Photo, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, lanyard.Errorf(lanyard.EINVALID, "not a multipart form")
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return nil, lanyard.Errorf(lanyard.EPhotoTooLarge, "too large")
			}
			return nil, lanyard.Errorf(lanyard.EINVALID, "no photo in the form")
		}
		if part.FormName() != "photo" {
			continue
		}
		// Read the part whole first: a form cut short by the size limit
		// must not look like a truncated image.
		var buf bytes.Buffer
		if _, err := io.Copy(&buf, part); err != nil {
			return nil, lanyard.Errorf(lanyard.EPhotoTooLarge, "too large")
		}
		if buf.Len() == 0 {
			return nil, lanyard.Errorf(lanyard.EINVALID, "empty photo")
		}
		return h.Badges.UploadPhoto(r.Context(), attendeeID, &buf)
	}
}

// audit records a desk action in the console's audit log. A failure is
// logged, not shown: the action itself is done.
func (h *Handler) audit(r *http.Request, action string, attendee int64, detail string) {
	err := h.Store.AddAudit(r.Context(), h.event().ID, lanyard.AuditEntry{ActorID: h.actor(r), Action: action, AttendeeID: attendee, Detail: detail})
	if err != nil {
		h.Log.ErrorContext(r.Context(), "audit entry not written", "action", action, "err", err)
	}
}

// print records a badge printed at the desk; the page it sends back to
// opens the badge's PDF in the browser's print dialog. When a
// badge is out already (printed here, or picked up), printing again is a
// reprint: it voids the old badge, so the form must say it was confirmed
// (void=1) and name the version the desk showed; the page warns first.
func (h *Handler) print(w http.ResponseWriter, r *http.Request) {
	a := h.attendee(w, r)
	if a == nil {
		return
	}
	if a.Canceled {
		// A cancelled ticket gets no badge; the page says so.
		w.Header().Set(codeHeader, lanyard.ETicketCanceled)
		h.renderAttendee(w, r, http.StatusForbidden, a, h.Shell.T(r, "desk.print.canceled"))
		return
	}
	seen, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil || seen < 1 {
		w.Header().Set(codeHeader, lanyard.EINVALID)
		h.renderAttendee(w, r, http.StatusBadRequest, a, h.Shell.T(r, "desk.print.bad_version"))
		return
	}
	st, err := h.Store.DeskBadge(r.Context(), a.ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	if seen != st.Version {
		w.Header().Set(codeHeader, lanyard.ECONFLICT)
		h.renderAttendee(w, r, http.StatusConflict, a, h.Shell.T(r, "desk.print.stale", "Version", st.Version))
		return
	}
	void := st.Prints > 0 || st.PickedUpAt != nil
	if void && r.PostFormValue("void") != "1" {
		w.Header().Set(codeHeader, codeUnconfirmed)
		h.renderAttendee(w, r, http.StatusConflict, a, h.Shell.T(r, "desk.print.confirm_needed", "Version", st.Version))
		return
	}
	entry := lanyard.AuditEntry{Action: "badge_printed", Detail: "v" + strconv.Itoa(st.Version)}
	if void {
		entry = lanyard.AuditEntry{Action: "badge_reprinted", Detail: "v" + strconv.Itoa(st.Version) + " → v" + strconv.Itoa(st.Version+1)}
	}
	nb, err := h.Store.RecordBadgePrint(r.Context(), a.ID, h.actor(r), void, seen, entry)
	if lanyard.ErrorCode(err) == lanyard.ECONFLICT {
		w.Header().Set(codeHeader, lanyard.ECONFLICT)
		h.renderAttendee(w, r, http.StatusConflict, a, h.Shell.T(r, "desk.print.stale", "Version", st.Version+1))
		return
	}
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	if void {
		h.Shell.Flash(r, "ok", h.Shell.T(r, "desk.print.reprinted", "Old", st.Version, "Version", nb.Version))
	} else {
		h.Shell.Flash(r, "ok", h.Shell.T(r, "desk.print.printed", "Version", nb.Version))
	}
	// Back to the desk's page, which opens the new badge's PDF to print.
	http.Redirect(w, r, attendeePath(a.ID)+"?printed="+strconv.Itoa(nb.Version)+"#badge", http.StatusSeeOther)
}

// codeUnconfirmed refuses a reprint the form did not confirm.
const codeUnconfirmed = "reprint_unconfirmed"

// badgePDF writes the attendee's current badge, to print from the
// browser's viewer.
func (h *Handler) badgePDF(w http.ResponseWriter, r *http.Request) {
	a := h.attendee(w, r)
	if a == nil {
		return
	}
	var buf bytes.Buffer
	if err := h.Badges.WriteBadge(r.Context(), &buf, a); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="badge-`+strconv.FormatInt(a.ID, 10)+`.pdf"`)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(buf.Bytes())
}

// pickUp records that the attendee took their badge, and who handed it
// over; a second time keeps the first and says so.
func (h *Handler) pickUp(w http.ResponseWriter, r *http.Request) {
	a := h.attendee(w, r)
	if a == nil {
		return
	}
	st, picked, err := h.Store.MarkPickedUpBy(r.Context(), a.ID, h.actor(r), lanyard.AuditEntry{Action: "badge_pickup"})
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	if picked {
		h.Shell.Flash(r, "ok", h.Shell.T(r, "desk.pickup.done", "Name", a.Name))
	} else {
		h.Shell.Flash(r, "ok", h.Shell.T(r, "desk.pickup.already", "Time", st.PickedUpAt.In(h.Catalog.Load().Loc).Format(time.TimeOnly)))
	}
	http.Redirect(w, r, attendeePath(a.ID), http.StatusSeeOther)
}
