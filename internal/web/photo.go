package web

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lanyardhq/lanyard/internal/badge"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/respond"
)

// Badges is what the photo page needs of badge.Service.
type Badges interface {
	UploadPhoto(ctx context.Context, attendeeID int64, r io.Reader) (*lanyard.Photo, error)
	Photo(ctx context.Context, attendeeID int64) (*lanyard.Photo, error)
	WriteBadge(ctx context.Context, w io.Writer, a *lanyard.Attendee) error
	// QR returns the attendee's badge QR code as a PNG, to show on a phone.
	QR(ctx context.Context, a *lanyard.Attendee) ([]byte, error)
}

// maxPhotoForm bounds a photo form post: the photo's 10 MB and the form around it.
const maxPhotoForm = 10<<20 + 64<<10

type photoData struct {
	Photo  *lanyard.Photo
	Checks []string // in the page's language
	Error  string   // a refused upload's own problem; the stored photo's checks are not shown with it
	URL    string   // of the stored photo, changing with each upload

	// The badge preview, as the PDF prints it.
	Name, Company, Event string
	Type                 string // the printed type ("Attendee"), which also picks the band's colour
	Initials             string // shown when there is no photo, as the PDF does
}

// TypeClass is the CSS class of the badge's band colour.
func (d *photoData) TypeClass() string { return "type-" + strings.ToLower(d.Type) }

func (h *Handler) photoPage(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "photo.title")
	d, err := h.photoData(r, p)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	p.Data = d
	h.render(w, r, http.StatusOK, "photo", p)
}

func (h *Handler) photoData(r *http.Request, p *page) (*photoData, error) {
	a := p.User
	d := &photoData{Name: a.Name, Company: a.Company, Event: p.Event.Name, Type: badge.TypeLabel(a.Role), Initials: initials(a.Name)}
	ph, err := h.Badges.Photo(r.Context(), a.ID)
	switch {
	case err == nil:
		d.Photo = ph
		d.URL = "/photo.jpg?v=" + strconv.FormatInt(ph.UpdatedAt.UnixNano(), 36)
		for _, c := range ph.Checks {
			d.Checks = append(d.Checks, checkText(p.translator, c))
		}
	case lanyard.ErrorCode(err) != lanyard.ENOTFOUND:
		return nil, err
	}
	return d, nil
}

// checkText says what a photo check found and what to do, in the page's language.
func checkText(t *translator, c lanyard.PhotoCheck) string {
	id := "photo.check_" + c.Code
	if s := t.T(id, "Value", int(c.Value+0.5), "Limit", int(c.Limit+0.5)); s != id {
		return s
	}
	return c.Message
}

// uploadPhoto takes the photo from a multipart form; a refused photo
// re-shows the page with why, and nothing is stored.
func (h *Handler) uploadPhoto(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "photo.title")
	t := p.translator
	r.Body = http.MaxBytesReader(w, r.Body, maxPhotoForm)
	var upErr error
	var saved *lanyard.Photo
	mr, err := r.MultipartReader()
	if err != nil {
		upErr = lanyard.Errorf(lanyard.EINVALID, "%s", t.T("photo.err_form"))
	} else {
		upErr = lanyard.Errorf(lanyard.EINVALID, "%s", t.T("photo.err_none"))
		for {
			part, err := mr.NextPart()
			if err != nil {
				var tooBig *http.MaxBytesError
				if errors.As(err, &tooBig) {
					upErr = lanyard.Errorf(lanyard.EPhotoTooLarge, "too large")
				}
				break
			}
			if part.FormName() != "photo" {
				continue
			}
			// Read the part whole first: a form cut short by the size limit
			// must not look like a truncated image.
			var buf bytes.Buffer
			if _, err := io.Copy(&buf, part); err != nil {
				upErr = lanyard.Errorf(lanyard.EPhotoTooLarge, "too large")
				break
			}
			if buf.Len() == 0 {
				break
			}
			saved, upErr = h.Badges.UploadPhoto(r.Context(), p.User.ID, &buf)
			break
		}
	}
	if upErr == nil {
		// A flagged photo is saved with a problem: the page says so in one
		// message, not a green "saved" above a red warning.
		if !saved.Flagged {
			h.flash(r, "ok", t.T("photo.saved"))
		}
		http.Redirect(w, r, "/photo", http.StatusSeeOther)
		return
	}
	var le *lanyard.Error
	if !errors.As(upErr, &le) {
		h.serverError(w, r, upErr)
		return
	}
	d, err := h.photoData(r, p)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d.Checks = nil // the refusal is the problem now, not the stored photo's old checks
	d.Error = le.Message
	if s := t.T("photo.err_" + le.Code); s != "photo.err_"+le.Code {
		d.Error = s
	}
	p.Data = d
	h.render(w, r, statusFor(le.Code), "photo", p)
}

// initials are the first letters of the first and last words of a name.
func initials(name string) string {
	f := strings.Fields(name)
	if len(f) == 0 {
		return ""
	}
	first, _ := utf8.DecodeRuneInString(f[0])
	if len(f) == 1 {
		return string(first)
	}
	last, _ := utf8.DecodeRuneInString(f[len(f)-1])
	return string(first) + string(last)
}

// statusFor is the page's status for a refused upload: the code's own
// (413, 415, 422), and 422 for a form that could not be read.
func statusFor(code string) int {
	if code == lanyard.EINVALID {
		return http.StatusUnprocessableEntity
	}
	return respond.Status(code)
}

func (h *Handler) photoJPEG(w http.ResponseWriter, r *http.Request) {
	ph, err := h.Badges.Photo(r.Context(), user(r).ID)
	if err != nil {
		if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
			http.NotFound(w, r)
			return
		}
		h.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "private, max-age=86400") // the URL changes with each upload
	w.Write(ph.JPEG)
}

// badgeQR is the badge's QR code, for the door to scan from the phone's
// screen when the printed badge is not at hand.
func (h *Handler) badgeQR(w http.ResponseWriter, r *http.Request) {
	png, err := h.Badges.QR(r.Context(), user(r))
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Write(png)
}

func (h *Handler) badgePDF(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := h.Badges.WriteBadge(r.Context(), &buf, user(r)); err != nil {
		h.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="badge.pdf"`)
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Write(buf.Bytes())
}
