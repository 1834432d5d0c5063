package api

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/respond"
)

// Badges is what the API needs for photos and badges (badge.Service).
type Badges interface {
	// UploadPhoto processes and stores an attendee's photo; a refused
	// upload stores nothing.
	UploadPhoto(ctx context.Context, attendeeID int64, r io.Reader) (*lanyard.Photo, error)
	Photo(ctx context.Context, attendeeID int64) (*lanyard.Photo, error)
	// Token returns the signed token an attendee's badge carries.
	Token(ctx context.Context, a *lanyard.Attendee) (string, lanyard.BadgeState, error)
	// WriteBadge writes an attendee's badge as a one-page PDF.
	WriteBadge(ctx context.Context, w io.Writer, a *lanyard.Attendee) error
	// Verify returns the attendee a badge token names, or EINVALID/ENOTFOUND.
	Verify(ctx context.Context, token string) (*lanyard.Attendee, error)
	// WriteAll writes every badge of the event, sorted by family name, into
	// files of at most perFile badges that create makes.
	WriteAll(ctx context.Context, eventID int64, perFile int, create func(part int) (io.WriteCloser, error), progress func(done, total int)) (int, error)
	PhotoReport(ctx context.Context, eventID int64) (any, error)
	MarkPickedUp(ctx context.Context, attendeeID int64) (lanyard.BadgeState, error)
	// ReplaceBadge voids a lost badge: its code stops verifying.
	ReplaceBadge(ctx context.Context, attendeeID int64) (lanyard.BadgeState, error)
}

// maxPhotoBody bounds an upload's body: the photo's 10 MB and a multipart
// envelope.
const maxPhotoBody = 10<<20 + 64<<10

// putPhoto takes the image as the body, or as the "photo" part of a
// multipart form.
func (h *Handler) putPhoto(w http.ResponseWriter, r *http.Request) {
	body := http.MaxBytesReader(w, r.Body, maxPhotoBody)
	var img io.Reader = body
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		mr, err := r.MultipartReader()
		if err != nil {
			h.error(w, r, lanyard.Errorf(lanyard.EINVALID, "The multipart body cannot be read: %s.", err))
			return
		}
		for {
			part, err := mr.NextPart()
			if err != nil {
				h.error(w, r, lanyard.Errorf(lanyard.EINVALID, "Send the image in a form field named \"photo\"."))
				return
			}
			if part.FormName() == "photo" {
				img = part
				break
			}
		}
	}
	p, err := h.Badges.UploadPhoto(r.Context(), caller(r.Context()).ID, img)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		err = lanyard.Errorf(lanyard.EPhotoTooLarge, "The photo is larger than 10 MB; send a smaller one.")
	}
	if lanyard.ErrorCode(err) == lanyard.EPhotoTooLarge {
		// Let the client finish sending, so it reads the 413 (see maxDrain).
		io.CopyN(io.Discard, r.Body, maxDrain)
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, p)
}

func (h *Handler) getPhoto(w http.ResponseWriter, r *http.Request) {
	p, err := h.Badges.Photo(r.Context(), caller(r.Context()).ID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Header().Set("Content-Length", strconv.Itoa(len(p.JPEG)))
	w.Write(p.JPEG)
}

// getBadgeToken answers the text of the caller's badge QR code, so an app
// can show it on the phone's screen.
func (h *Handler) getBadgeToken(w http.ResponseWriter, r *http.Request) {
	tok, st, err := h.Badges.Token(r.Context(), caller(r.Context()))
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, struct {
		Token string `json:"token"`
		lanyard.BadgeState
	}{tok, st})
}

func (h *Handler) getBadge(w http.ResponseWriter, r *http.Request) {
	h.download(w, r, "application/pdf", "badge.pdf", func(wr io.Writer) error { return h.Badges.WriteBadge(r.Context(), wr, caller(r.Context())) })
}

// download streams a file made by write, as an attachment named name, or
// a JSON error if write fails before anything was sent.
func (h *Handler) download(w http.ResponseWriter, r *http.Request, contentType, name string, write func(io.Writer) error) {
	cw := &countingWriter{w: w, before: func() {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
		w.Header().Set("Cache-Control", "private, no-cache")
	}}
	if err := write(cw); err != nil {
		if cw.n == 0 {
			h.error(w, r, err)
			return
		}
		// Too late for a status: cut the response so the client sees a broken download.
		h.Log.ErrorContext(r.Context(), "download failed midway", "file", name, "err", err)
		panic(http.ErrAbortHandler)
	}
}

type countingWriter struct {
	w      io.Writer
	n      int64
	before func()
}

func (c *countingWriter) Write(b []byte) (int, error) {
	if c.n == 0 && c.before != nil {
		c.before()
	}
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

// verifyBadge answers who a scanned badge belongs to, with the fields a
// badge shows anyway: never an email.
func (h *Handler) verifyBadge(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Token string `json:"token"`
	}
	if err := decode(r, &body); err != nil {
		h.error(w, r, err)
		return
	}
	if body.Token == "" || len(body.Token) > 200 {
		h.error(w, r, lanyard.Errorf(lanyard.EBadgeInvalid, "token must be the text of a badge's QR code."))
		return
	}
	a, err := h.Badges.Verify(r.Context(), body.Token)
	if err != nil {
		h.error(w, r, err)
		return
	}
	if a.EventID != h.Catalog.Load().Event.ID {
		h.error(w, r, lanyard.Errorf(lanyard.ENOTFOUND, "This badge is for another event."))
		return
	}
	respond.JSON(w, http.StatusOK, struct {
		AttendeeID int64        `json:"attendee_id"`
		Name       string       `json:"name"`
		Company    string       `json:"company,omitempty"`
		Type       lanyard.Role `json:"type"`
	}{a.ID, a.Name, a.Company, a.Role})
}

func (h *Handler) getPhotoReport(w http.ResponseWriter, r *http.Request) {
	rep, err := h.Badges.PhotoReport(r.Context(), h.Catalog.Load().Event.ID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, map[string]any{"attendees": rep})
}

// badgesPerPart is the size of each PDF in the all-badges ZIP: with photos,
// about 50 MB of PDF and half the memory of a 1,000-badge file (see
// docs/PERFORMANCE.md).
const badgesPerPart = 500

// getAllBadges streams a ZIP of PDFs of every badge, sorted by family name,
// 500 a file; the download grows as they are made, which is its progress.
func (h *Handler) getAllBadges(w http.ResponseWriter, r *http.Request) {
	ev := h.Catalog.Load().Event
	h.download(w, r, "application/zip", ev.Slug+"-badges.zip", func(wr io.Writer) error {
		zw := zip.NewWriter(wr)
		_, err := h.Badges.WriteAll(r.Context(), ev.ID, badgesPerPart, func(part int) (io.WriteCloser, error) {
			// Stored, not deflated: the PDFs' images are compressed already.
			f, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("%s-badges-%03d.pdf", ev.Slug, part+1), Method: zip.Store,
				Modified: time.Now()})
			return nopCloser{f}, err
		}, nil)
		if err != nil {
			return err
		}
		return zw.Close()
	})
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

func (h *Handler) pickUpBadge(w http.ResponseWriter, r *http.Request) {
	h.badgeDesk(w, r, h.Badges.MarkPickedUp)
}

func (h *Handler) replaceBadge(w http.ResponseWriter, r *http.Request) {
	h.badgeDesk(w, r, h.Badges.ReplaceBadge)
}

// badgeDesk runs a registration-desk action on the attendee named in the
// path, who must be of this event.
func (h *Handler) badgeDesk(w http.ResponseWriter, r *http.Request, do func(context.Context, int64) (lanyard.BadgeState, error)) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.error(w, r, lanyard.Errorf(lanyard.EINVALID, "The attendee ID must be a positive number."))
		return
	}
	a, err := h.Ident.FindAttendeeByID(r.Context(), id)
	if err == nil && a.EventID != h.Catalog.Load().Event.ID {
		err = lanyard.Errorf(lanyard.ENOTFOUND, "No attendee %d.", id)
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	st, err := do(r.Context(), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, st)
}
