package expo

import (
	"net/http"
	"strconv"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
)

type homeData struct {
	Booth    store.ExpoBooth
	Events   []boothEvent
	Edit     store.ExpoEvent // the event the form edits (ID 0: a new one)
	Starts   string          // datetime-local values of the form
	Ends     string
	Error    string // a refusal's message, beside the form
	ErrField string
}

// home is /exhibitor: the staff member's booth (details and hours) and its
// events, each editable; links to leads and swag.
func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	h.renderHome(w, r, http.StatusOK, nil, nil)
}

func (h *Handler) renderHome(w http.ResponseWriter, r *http.Request, status int, edit *store.ExpoEvent, ierr *inputError) {
	ctx := r.Context()
	x := company(r)
	b, err := h.Store.ExpoBooth(ctx, h.event().ID, x.Code)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	events, err := h.Store.ExpoEvents(ctx, h.event().ID, x.ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	d := homeData{Booth: b}
	loc := h.Catalog.Load().Loc
	for _, e := range events {
		d.Events = append(d.Events, boothEvent{ExpoEvent: e, FirstDay: h.firstDay(e)})
	}
	if id, _ := strconv.ParseInt(r.URL.Query().Get("edit"), 10, 64); id > 0 && edit == nil {
		for _, e := range events {
			if e.ID == id {
				edit = &e
			}
		}
	}
	if edit != nil {
		d.Edit = *edit
		if !edit.Starts.IsZero() {
			d.Starts, d.Ends = edit.Starts.In(loc).Format("2006-01-02T15:04"), edit.Ends.In(loc).Format("2006-01-02T15:04")
		}
	} else {
		d.Edit.Kind = store.ExpoTalk
	}
	if ierr != nil {
		w.Header().Set(codeHeader, ierr.Code)
		d.Error, d.ErrField = h.Shell.T(r, ierr.MsgID), ierr.Field
	}
	h.render(w, r, status, "exhibitor", "expo.exhibitor.title", d)
}

func (h *Handler) saveDetails(w http.ResponseWriter, r *http.Request) {
	x := company(r)
	det, ierr := ParseDetails(r.PostFormValue("description"), r.PostFormValue("website"), r.PostFormValue("categories"), r.PostFormValue("hours"))
	if ierr != nil {
		h.renderHome(w, r, http.StatusUnprocessableEntity, nil, ierr)
		return
	}
	x.Description, x.Website, x.Categories = det.Description, det.Website, det.Categories
	if _, err := h.Store.PutExhibitor(r.Context(), h.event().ID, x); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	if err := h.Store.ExpoSetHours(r.Context(), x.ID, det.Hours); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "expo.exhibitor.saved"))
	http.Redirect(w, r, "/exhibitor", http.StatusSeeOther)
}

func (h *Handler) saveEvent(w http.ResponseWriter, r *http.Request) {
	x := company(r)
	c := h.Catalog.Load()
	e, ierr := ParseEvent(c.Event, c.Loc, r.PostFormValue("kind"), r.PostFormValue("title"), r.PostFormValue("description"), r.PostFormValue("starts"), r.PostFormValue("ends"))
	id, perr := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	if r.PostFormValue("id") == "" {
		id, perr = 0, nil
	}
	if perr != nil || id < 0 {
		h.refuse(w, r, http.StatusBadRequest, "invalid_id", "expo.event.not_found")
		return
	}
	e.ID, e.ExhibitorID = id, x.ID
	if ierr != nil {
		if ierr.Code == "invalid_time" {
			e.Starts, e.Ends = time.Time{}, time.Time{}
		}
		h.renderHome(w, r, http.StatusUnprocessableEntity, &e, ierr)
		return
	}
	_, err := h.Store.ExpoPutEvent(r.Context(), h.event().ID, e)
	if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
		h.refuse(w, r, http.StatusNotFound, lanyard.ENOTFOUND, "expo.event.not_found")
		return
	}
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "expo.event.saved", "Title", e.Title))
	http.Redirect(w, r, "/exhibitor#events", http.StatusSeeOther)
}

func (h *Handler) deleteEvent(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		err = h.Store.ExpoDeleteEvent(r.Context(), company(r).ID, id)
	} else {
		err = lanyard.Errorf(lanyard.ENOTFOUND, "no such event")
	}
	if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
		h.refuse(w, r, http.StatusNotFound, lanyard.ENOTFOUND, "expo.event.not_found")
		return
	}
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "expo.event.deleted"))
	http.Redirect(w, r, "/exhibitor#events", http.StatusSeeOther)
}
