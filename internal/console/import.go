package console

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/registration"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
)

// ImportStore is what the attendee import page reads and writes: the
// upload kept between its steps, the import itself and the sign-up mode.
type ImportStore interface {
	registration.Store
	SaveUpload(ctx context.Context, u store.Upload) (int64, error)
	Upload(ctx context.Context, eventID, id int64) (store.Upload, error)
	DeleteUpload(ctx context.Context, eventID, id int64) error
	SignUpMode(ctx context.Context, eventID int64) (string, error)
	SetSignUpMode(ctx context.Context, eventID int64, mode string) error
}

// maxUpload bounds an import file, as the API does: a 65,000-attendee
// CSV is about 10 MB. Handler.MaxUpload may lower it.
const maxUpload = 64 << 20

func (h *Handler) maxUpload() int64 {
	if h.MaxUpload > 0 {
		return h.MaxUpload
	}
	return maxUpload
}

// importData is the import page: the upload form and the sign-up mode,
// or one upload's column mapping and dry run.
type importData struct {
	Mode   string
	Form   *form
	Upload *store.Upload
	// CSV only: each header column and the field it fills ("" none).
	Columns []importColumn
	Fields  []string
	// MapError says what the mapping lacks; Error why the file cannot be
	// imported as it is.
	MapError, Error string
	Report          *registration.Report
	Rows            []store.RegOutcome // this page of the rows that change or are refused
	Prev, Next      int
	mapping         url.Values
}

type importColumn struct {
	Index int
	Name  string
	Field string
}

// Hidden is the mapping, for the apply form.
func (d *importData) Hidden() map[string]string {
	out := map[string]string{}
	for k := range d.mapping {
		out[k] = d.mapping.Get(k)
	}
	return out
}

// PageURL is this preview at offset, with the mapping kept.
func (d *importData) PageURL(offset int) string {
	v := url.Values{}
	for k, vs := range d.mapping {
		v[k] = vs
	}
	v.Set("from", strconv.Itoa(offset))
	return "/console/import/" + strconv.FormatInt(d.Upload.ID, 10) + "?" + v.Encode()
}

func (h *Handler) importPage(w http.ResponseWriter, r *http.Request) {
	h.renderImport(w, r, http.StatusOK, newForm())
}

func (h *Handler) renderImport(w http.ResponseWriter, r *http.Request, status int, f *form) {
	mode, err := h.Store.SignUpMode(r.Context(), h.event().ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.render(w, r, status, "import", "console.import.title", &importData{Mode: mode, Form: f})
}

// upload keeps the organizer's file and shows its dry run. The file must
// be text (a CSV or pretix's JSON) of at most 64 MB; anything else is
// refused beside the field, and nothing is kept.
func (h *Handler) upload(w http.ResponseWriter, r *http.Request) {
	f := newForm()
	limit := h.maxUpload()
	r.Body = http.MaxBytesReader(w, r.Body, limit+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			f.Errors["file"] = h.Shell.T(r, "console.import.too_big", "MB", limit>>20)
			h.renderImport(w, r, http.StatusRequestEntityTooLarge, f)
			return
		}
		f.Errors["file"] = h.Shell.T(r, "console.import.no_file")
		h.renderImport(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	defer r.MultipartForm.RemoveAll()
	file, hdr, err := r.FormFile("file")
	if err != nil {
		f.Errors["file"] = h.Shell.T(r, "console.import.no_file")
		h.renderImport(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, limit+1))
	switch {
	case err != nil:
		h.Shell.ServerError(w, r, fmt.Errorf("console: read upload: %w", err))
		return
	case int64(len(data)) > limit:
		f.Errors["file"] = h.Shell.T(r, "console.import.too_big", "MB", limit>>20)
		h.renderImport(w, r, http.StatusRequestEntityTooLarge, f)
		return
	case len(bytes.TrimSpace(data)) == 0:
		f.Errors["file"] = h.Shell.T(r, "console.import.empty")
		h.renderImport(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	format, ok := importFormat(hdr.Filename, data)
	if !ok {
		f.Errors["file"] = h.Shell.T(r, "console.import.wrong_type")
		w.Header().Set("X-Lanyard-Code", "unsupported_type")
		h.renderImport(w, r, http.StatusUnsupportedMediaType, f)
		return
	}
	id, err := h.Store.SaveUpload(r.Context(), store.Upload{EventID: h.event().ID, ActorID: h.actor(r), Filename: hdr.Filename, Format: string(format), Data: data})
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, "/console/import/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// importFormat decides a file's format by its name and first bytes, and
// whether it is one lanyard imports: UTF-8 text, a .csv/.txt/.json name or
// none, JSON starting as JSON. A spreadsheet (.xlsx), a PDF or an image is not.
func importFormat(name string, data []byte) (registration.Format, bool) {
	head := data[:min(len(data), 4096)]
	text := head
	for i := 0; i < 3 && len(head) < len(data) && !utf8.Valid(text); i++ {
		text = text[:len(text)-1] // a character cut at the end of the head
	}
	if !utf8.Valid(text) || bytes.IndexByte(text, 0) >= 0 {
		return "", false
	}
	ext := strings.ToLower(name)
	if i := strings.LastIndexByte(ext, '.'); i >= 0 {
		ext = ext[i:]
	} else {
		ext = ""
	}
	switch ext {
	case "", ".csv", ".txt", ".json":
	default:
		return "", false
	}
	f := registration.Detect(name, head)
	if f == registration.FormatPretix {
		t := bytes.TrimLeft(head, " \t\r\n\ufeff")
		if len(t) == 0 || (t[0] != '{' && t[0] != '[') {
			return "", false
		}
	}
	return f, true
}

// mappingOf reads the column selects (c0, c1, … naming a field) into a
// mapping; nil when the form has none (detect everything).
func mappingOf(q url.Values, header []string) (registration.Mapping, url.Values) {
	m, kept := registration.Mapping{}, url.Values{}
	for i, name := range header {
		k := "c" + strconv.Itoa(i)
		if !q.Has(k) {
			continue
		}
		kept.Set(k, q.Get(k))
		if f := q.Get(k); f != "" && validField(f) {
			m[f] = name
		}
	}
	if len(kept) == 0 {
		return nil, kept
	}
	return m, kept
}

func validField(f string) bool {
	for _, x := range registration.Fields {
		if x == f {
			return true
		}
	}
	return false
}

// loadUpload reads the {id} upload; it answers 404 itself.
func (h *Handler) loadUpload(w http.ResponseWriter, r *http.Request) *store.Upload {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.Shell.Error(w, r, http.StatusNotFound, h.nav(r, h.Shell.User(r)), "console.import.gone")
		return nil
	}
	u, err := h.Store.Upload(r.Context(), h.event().ID, id)
	switch {
	case err == nil:
		return &u
	case lanyard.ErrorCode(err) == lanyard.ENOTFOUND:
		h.Shell.Error(w, r, http.StatusNotFound, h.nav(r, h.Shell.User(r)), "console.import.gone")
	default:
		h.Shell.ServerError(w, r, err)
	}
	return nil
}

// importRun reads the upload's mapping from q and runs the import: a dry
// run, or for real with invitations when invite is set.
func (h *Handler) importRun(r *http.Request, u *store.Upload, q url.Values, dry, invite bool) (*importData, error) {
	d := &importData{Upload: u, Fields: registration.Fields, Prev: -1, Next: -1}
	var m registration.Mapping
	if u.Format == string(registration.FormatCSV) {
		header, _, _ := registration.Header(u.Data, nil)
		m, d.mapping = mappingOf(q, header)
		header, cols, err := registration.Header(u.Data, m)
		if err != nil {
			d.MapError = lanyard.ErrorMessage(err)
		}
		byIndex := map[int]string{}
		for f, i := range cols {
			byIndex[i] = f
		}
		for i, name := range header {
			d.Columns = append(d.Columns, importColumn{Index: i, Name: name, Field: byIndex[i]})
		}
		if d.MapError != "" {
			return d, nil
		}
	}
	opt := registration.Options{EventID: h.event().ID, DryRun: dry}
	if invite {
		opt.Invite = registration.Inviter(h.Shell.SiteURL(r), h.event().Name, registration.InvitationTTL, time.Now)
	}
	rep, err := registration.Import(r.Context(), h.Store, bytes.NewReader(u.Data), registration.Format(u.Format), m, opt)
	if err != nil && lanyard.ErrorCode(err) != lanyard.EINVALID {
		return nil, err
	}
	if err != nil && len(rep.Rows) == 0 {
		d.Error = lanyard.ErrorMessage(err)
		return d, nil
	}
	d.Report = &rep
	var changes []store.RegOutcome
	for _, o := range rep.Rows {
		if o.Action != store.RegUnchanged {
			changes = append(changes, o)
		}
	}
	from, _ := strconv.Atoi(q.Get("from"))
	from = min(max(from, 0), max(len(changes)-1, 0))
	d.Rows = changes[from:min(from+pageSize, len(changes))]
	if from > 0 {
		d.Prev = max(from-pageSize, 0)
	}
	if from+pageSize < len(changes) {
		d.Next = from + pageSize
	}
	return d, err
}

// preview shows an upload's mapping and what importing it would do.
func (h *Handler) preview(w http.ResponseWriter, r *http.Request) {
	u := h.loadUpload(w, r)
	if u == nil {
		return
	}
	d, err := h.importRun(r, u, r.URL.Query(), true, false)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	status := http.StatusOK
	if d.MapError != "" || d.Error != "" {
		status = http.StatusUnprocessableEntity
	}
	h.render(w, r, status, "import", "console.import.title", d)
}

// applyImport imports the upload with the mapping of the form, inviting
// if asked. Refused rows write nothing and show the preview again.
func (h *Handler) applyImport(w http.ResponseWriter, r *http.Request) {
	u := h.loadUpload(w, r)
	if u == nil {
		return
	}
	r.ParseForm() // an unreadable form leaves the mapping to detection
	invite := r.PostForm.Get("invite") != ""
	d, err := h.importRun(r, u, r.PostForm, false, invite)
	if err != nil && lanyard.ErrorCode(err) != lanyard.EINVALID {
		h.Shell.ServerError(w, r, err)
		return
	}
	if err != nil || d.MapError != "" || d.Error != "" {
		if d.Error == "" && d.MapError == "" {
			d.Error = h.Shell.T(r, "console.import.refused", "Count", d.Report.Refused)
		}
		h.render(w, r, http.StatusUnprocessableEntity, "import", "console.import.title", d)
		return
	}
	if err := h.Store.DeleteUpload(r.Context(), h.event().ID, u.ID); err != nil {
		h.Log.ErrorContext(r.Context(), "import upload not deleted", "upload", u.ID, "err", err)
	}
	rep := d.Report
	released := h.cancelTickets(r, u.ID, rep.Rows)
	detail := fmt.Sprintf("%s: %d created, %d updated, %d voided, %d seats given back", u.Filename, rep.Created, rep.Updated, rep.Voided, released)
	if invite {
		detail += " (invite)"
	}
	h.audit(r, "attendee_import", 0, "", detail)
	h.Shell.Flash(r, "ok", h.Shell.T(r, "console.import.done", "Created", rep.Created, "Updated", rep.Updated, "Voided", rep.Voided, "Unchanged", rep.Unchanged))
	http.Redirect(w, r, "/console/import", http.StatusSeeOther)
}

// cancelTickets gives back, through the engine, the seats and waitlist
// places of every attendee whose ticket the import cancelled, so their
// seats go to the waitlists now rather than to no one. It returns how many
// it gave back. A failure is logged: the import is done, and the app and
// the API refuse those attendees new seats anyway.
func (h *Handler) cancelTickets(r *http.Request, upload int64, rows []store.RegOutcome) int {
	var n int
	for _, o := range rows {
		if o.Action != store.RegVoided || o.AttendeeID == 0 {
			continue
		}
		e := reserve.FromContext(r.Context())
		if e == nil && h.Engine == nil {
			return n // no engine on this server (the naive baseline)
		}
		if e == nil {
			e = h.Engine
		}
		key := fmt.Sprintf("ticket-cancel-%d-%d", upload, o.AttendeeID)
		rs, err := e.CancelTicket(r.Context(), h.actor(r), o.AttendeeID, key)
		if err != nil {
			h.Log.ErrorContext(r.Context(), "cancelled ticket's seats not given back", "attendee", o.AttendeeID, "err", err)
			continue
		}
		n += len(rs)
	}
	return n
}

// setSignUpMode sets who may create an account: anyone, or only the
// imported attendees.
func (h *Handler) setSignUpMode(w http.ResponseWriter, r *http.Request) {
	mode := r.PostFormValue("mode")
	if !lanyard.ValidSignUpMode(mode) {
		f := newForm()
		f.Errors["mode"] = h.Shell.T(r, "console.import.mode_unknown")
		h.renderImport(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err := h.Store.SetSignUpMode(r.Context(), h.event().ID, mode); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.audit(r, "signup_mode", 0, "", mode)
	h.Shell.Flash(r, "ok", h.Shell.T(r, "console.import.mode_saved"))
	http.Redirect(w, r, "/console/import", http.StatusSeeOther)
}
