package console

import (
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/store"
)

// Places (issue 13): the organizer's pages for lounges, the expo entrance
// and parties (list, create, edit, live counts), the certification
// verification queue, and the imports of the certified list and of
// partner lounges' invite lists. Every change goes through the engine, so
// the doors decide on what is committed.

// PlaceStore is what the place pages read beyond the engine.
type PlaceStore interface {
	Places(ctx context.Context, eventID int64) ([]lanyard.Place, error)
	Certifications(ctx context.Context, eventID int64, state string, limit int) ([]lanyard.Certification, error)
	Certification(ctx context.Context, eventID, attendeeID int64) (lanyard.Certification, error)
	ResolveCertified(ctx context.Context, eventID int64, values []string) ([]lanyard.CertDecision, []string, error)
	ResolveInvites(ctx context.Context, eventID int64, emails []string) ([]lanyard.Invite, error)
	Invites(ctx context.Context, eventID int64, list string) ([]lanyard.Invite, error)
}

var _ PlaceStore = (*store.DB)(nil)

// maxListUpload bounds an uploaded list of the certified or of invites.
const maxListUpload = 1 << 20

// placeRoutes registers the place pages; the engine's routes only where
// there is one (the naive baseline has none).
func (h *Handler) placeRoutes(t *route.Table) {
	if h.Engine == nil && t.Forward == nil {
		return
	}
	h.handle(t, "GET /console/places", route.Ledger, Staff, h.placesPage)
	h.handle(t, "POST /console/places", route.Ledger, Organizers, h.savePlace)
	h.handle(t, "GET /console/places/{code}", route.Ledger, Staff, h.placePage)
	h.handle(t, "POST /console/places/{code}/invites", route.Ledger, Organizers, h.saveInvites)
	h.handle(t, "GET /console/certifications", route.Any, Organizers, h.certificationsPage)
	h.handle(t, "POST /console/certifications/import", route.Ledger, Organizers, h.importCertified)
	h.handle(t, "POST /console/certifications/{id}", route.Ledger, Organizers, h.decideCertification)
}

func (h *Handler) placeEngine(r *http.Request) reserve.Places { return h.engine(r) }

// placesData is the places page: every place with its live count, and the
// form to add one (or, on a place's page, to edit it).
type placesData struct {
	Places  []lanyard.PlaceView
	Form    *form
	Kinds   []lanyard.PlaceKind
	Venues  []lanyard.Venue
	Place   *lanyard.PlaceView // the place's own page
	List    string             // its invite list, if any
	Invites []lanyard.Invite
	Manage  bool // the viewer may change places (an organizer)
}

func (h *Handler) placesPage(w http.ResponseWriter, r *http.Request) {
	h.renderPlaces(w, r, http.StatusOK, newForm())
}

func (h *Handler) renderPlaces(w http.ResponseWriter, r *http.Request, status int, f *form) {
	list, err := h.placeEngine(r).PlaceList(r.Context())
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	if f.Values["kind"] == "" {
		f.Values["kind"] = string(lanyard.PlaceLounge)
	}
	h.render(w, r, status, "places", "console.places.title", placesData{Places: list, Form: f, Kinds: placeKinds, Venues: h.Catalog.Load().Venues,
		Manage: h.Shell.User(r).Role == lanyard.RoleOrganizer})
}

var placeKinds = []lanyard.PlaceKind{lanyard.PlaceLounge, lanyard.PlaceExpo, lanyard.PlaceParty}

func (h *Handler) placePage(w http.ResponseWriter, r *http.Request) {
	h.renderPlace(w, r, http.StatusOK, nil)
}

// renderPlace shows one place: its form filled in (or f as posted), its
// count and its invite list.
func (h *Handler) renderPlace(w http.ResponseWriter, r *http.Request, status int, f *form) {
	code := r.PathValue("code")
	list, err := h.placeEngine(r).PlaceList(r.Context())
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	var pv *lanyard.PlaceView
	for i := range list {
		if list[i].Code == code {
			pv = &list[i]
		}
	}
	if pv == nil {
		h.notFound(w, r)
		return
	}
	if f == nil {
		f = h.placeForm(&pv.Place)
	}
	d := placesData{Place: pv, Form: f, Kinds: placeKinds, Venues: h.Catalog.Load().Venues, Manage: h.Shell.User(r).Role == lanyard.RoleOrganizer}
	if l, ok := lanyard.InviteList(pv.Entitlement); ok {
		d.List = l
		if d.Invites, err = h.Store.Invites(r.Context(), h.event().ID, l); err != nil {
			h.Shell.ServerError(w, r, err)
			return
		}
	}
	h.render(w, r, status, "place", "console.places.one_title", d)
}

// placeForm is a place's form values.
func (h *Handler) placeForm(p *lanyard.Place) *form {
	f := newForm()
	loc := h.Catalog.Load().Loc
	f.Values = map[string]string{"code": p.Code, "name": p.Name, "kind": string(p.Kind), "venue": p.Venue, "room": p.Room,
		"capacity": strconv.Itoa(p.Capacity), "entitlement": p.Entitlement}
	if !p.Opens.IsZero() {
		f.Values["opens"] = p.Opens.In(loc).Format(localLayout)
	}
	if !p.Closes.IsZero() {
		f.Values["closes"] = p.Closes.In(loc).Format(localLayout)
	}
	return f
}

// savePlace creates or changes a place from the form.
func (h *Handler) savePlace(w http.ResponseWriter, r *http.Request) {
	f := newForm()
	for _, k := range []string{"code", "name", "kind", "venue", "room", "capacity", "entitlement", "opens", "closes", "editing"} {
		f.Values[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	back := func(status int) {
		if f.Values["editing"] != "" {
			r.SetPathValue("code", f.Values["editing"])
			h.renderPlace(w, r, status, f)
			return
		}
		h.renderPlaces(w, r, status, f)
	}
	p := lanyard.Place{Code: f.V("code"), Name: f.V("name"), Kind: lanyard.PlaceKind(f.V("kind")), Venue: f.V("venue"), Room: f.V("room"), Entitlement: f.V("entitlement")}
	if f.V("editing") != "" {
		p.Code = f.V("editing") // a place's code is its identity: the doors and lists name it
	}
	if n, err := strconv.Atoi(f.V("capacity")); err == nil || f.V("capacity") == "" {
		p.Capacity = n
	} else {
		f.Errors["capacity"] = h.Shell.T(r, "console.places.invalid_capacity")
	}
	if f.V("opens") != "" {
		p.Opens = h.localTime(r, f, "opens")
	}
	if f.V("closes") != "" {
		p.Closes = h.localTime(r, f, "closes")
	}
	if p.Venue != "" && !h.hasVenue(p.Venue) {
		f.Errors["venue"] = h.Shell.T(r, "console.places.invalid_venue")
	}
	if f.ok() {
		if err := p.Validate(); err != nil {
			f.Errors[lanyard.ErrorField(err)] = h.Shell.T(r, "console.places.invalid_"+lanyard.ErrorField(err))
		}
	}
	if !f.ok() {
		back(http.StatusUnprocessableEntity)
		return
	}
	saved, err := h.placeEngine(r).PutPlace(r.Context(), h.actor(r), r.PostFormValue("key"), p)
	if err != nil {
		if c := lanyard.ErrorCode(err); c == lanyard.EINVALID {
			f.Error = lanyard.ErrorMessage(err)
			back(http.StatusUnprocessableEntity)
			return
		}
		h.Shell.ServerError(w, r, err)
		return
	}
	h.audit(r, "place", 0, "", saved.Code)
	h.Shell.Flash(r, "ok", h.Shell.T(r, "console.places.saved", "Name", saved.Name))
	http.Redirect(w, r, "/console/places/"+saved.Code, http.StatusSeeOther)
}

func (h *Handler) hasVenue(code string) bool {
	for _, v := range h.Catalog.Load().Venues {
		if v.Code == code {
			return true
		}
	}
	return false
}

// listValues reads a posted list: the textarea's lines and an uploaded CSV
// file's cells, each trimmed, without a header's names.
func listValues(r *http.Request, field string) ([]string, error) {
	var out []string
	add := func(cells ...string) {
		for _, c := range cells {
			c = strings.TrimSpace(c)
			switch strings.ToLower(c) {
			case "", "email", "emails", "number", "validation_number", "validation number":
				continue
			}
			out = append(out, c)
		}
	}
	for _, line := range strings.FieldsFunc(r.PostFormValue(field), func(r rune) bool { return r == '\n' || r == ',' || r == ';' }) {
		add(line)
	}
	file, _, err := r.FormFile("file")
	if err == nil {
		defer file.Close()
		cr := csv.NewReader(io.LimitReader(file, maxListUpload))
		cr.FieldsPerRecord = -1
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, lanyard.Errorf(lanyard.EINVALID, "The file is not CSV: %s.", err.Error())
			}
			add(rec...)
		}
	}
	return out, nil
}

// saveInvites adds the posted emails to the place's invite list, or removes them.
func (h *Handler) saveInvites(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxListUpload+64<<10)
	code := r.PathValue("code")
	list, err := h.placeEngine(r).PlaceList(r.Context())
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	var name string
	for _, p := range list {
		if p.Code == code {
			name, _ = lanyard.InviteList(p.Entitlement)
		}
	}
	if name == "" {
		h.notFound(w, r)
		return
	}
	emails, err := listValues(r, "emails")
	f := newForm()
	switch {
	case err != nil:
		f.Error = lanyard.ErrorMessage(err)
	case len(emails) == 0 || len(emails) > 2000:
		f.Error = h.Shell.T(r, "console.places.invites_count")
	}
	var invites []lanyard.Invite
	if f.ok() {
		if invites, err = h.Store.ResolveInvites(r.Context(), h.event().ID, emails); err != nil {
			h.Shell.ServerError(w, r, err)
			return
		}
	}
	remove := r.PostFormValue("remove") != ""
	if f.ok() {
		if _, err = h.placeEngine(r).Invite(r.Context(), h.actor(r), r.PostFormValue("key"), name, invites, remove); err != nil {
			if lanyard.ErrorCode(err) != lanyard.EINVALID {
				h.Shell.ServerError(w, r, err)
				return
			}
			f.Error = lanyard.ErrorMessage(err)
		}
	}
	if !f.ok() {
		p, _ := h.placeByCode(r, code)
		pf := h.placeForm(&p)
		pf.Error = f.Error
		h.renderPlace(w, r, http.StatusUnprocessableEntity, pf)
		return
	}
	registered := 0
	for _, in := range invites {
		if in.AttendeeID != 0 {
			registered++
		}
	}
	msg := "console.places.invited"
	if remove {
		msg = "console.places.uninvited"
	}
	h.audit(r, "invites", 0, "", name+": "+strconv.Itoa(len(invites)))
	h.Shell.Flash(r, "ok", h.Shell.T(r, msg, "Count", len(invites), "Registered", registered))
	http.Redirect(w, r, "/console/places/"+code+"#invites", http.StatusSeeOther)
}

func (h *Handler) placeByCode(r *http.Request, code string) (lanyard.Place, bool) {
	list, _ := h.placeEngine(r).PlaceList(r.Context())
	for _, p := range list {
		if p.Code == code {
			return p.Place, true
		}
	}
	return lanyard.Place{}, false
}

// certsData is the verification queue.
type certsData struct {
	State     string
	Certs     []lanyard.Certification
	Form      *form
	Unmatched []string
	Done      string // what an import did, shown with the values it could not match
}

func (h *Handler) certificationsPage(w http.ResponseWriter, r *http.Request) {
	h.renderCerts(w, r, http.StatusOK, newForm(), nil)
}

func (h *Handler) renderCerts(w http.ResponseWriter, r *http.Request, status int, f *form, unmatched []string, done ...string) {
	state := r.URL.Query().Get("state")
	switch state {
	case lanyard.CertVerified, lanyard.CertRejected:
	default:
		state = lanyard.CertPending
	}
	list, err := h.Store.Certifications(r.Context(), h.event().ID, state, 500)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.render(w, r, status, "certifications", "console.certs.title", certsData{State: state, Certs: list, Form: f, Unmatched: unmatched, Done: strings.Join(done, "")})
}

// decideCertification verifies or rejects one attendee's certification.
// An organizer cannot decide their own.
func (h *Handler) decideCertification(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	if id == h.actor(r) {
		w.Header().Set("X-Lanyard-Code", "forbidden")
		h.Shell.Error(w, r, http.StatusForbidden, h.nav(r, h.Shell.User(r)), "console.certs.own")
		return
	}
	c, err := h.Store.Certification(r.Context(), h.event().ID, id)
	if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	verified := r.PostFormValue("decision") == "verify"
	if _, err := h.placeEngine(r).Certify(r.Context(), h.actor(r), r.PostFormValue("key"), []lanyard.CertDecision{{AttendeeID: id, Verified: verified}}); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	msg, action := "console.certs.rejected_one", "certification_rejected"
	if verified {
		msg, action = "console.certs.verified_one", "certification_verified"
	}
	h.audit(r, action, id, "", c.Number)
	h.Shell.Flash(r, "ok", h.Shell.T(r, msg, "Name", c.Name))
	http.Redirect(w, r, "/console/certifications", http.StatusSeeOther)
}

// importCertified verifies the certifications a list of the certified names.
func (h *Handler) importCertified(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxListUpload+64<<10)
	values, err := listValues(r, "values")
	f := newForm()
	switch {
	case err != nil:
		f.Error = lanyard.ErrorMessage(err)
	case len(values) == 0 || len(values) > 2000:
		f.Error = h.Shell.T(r, "console.certs.import_count")
	}
	if !f.ok() {
		h.renderCerts(w, r, http.StatusUnprocessableEntity, f, nil)
		return
	}
	ds, unmatched, err := h.Store.ResolveCertified(r.Context(), h.event().ID, values)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	changed := 0
	if len(ds) > 0 {
		if changed, err = h.placeEngine(r).Certify(r.Context(), h.actor(r), r.PostFormValue("key"), ds); err != nil {
			h.Shell.ServerError(w, r, err)
			return
		}
	}
	h.audit(r, "certified_import", 0, "", strconv.Itoa(len(ds))+" matched")
	done := h.Shell.T(r, "console.certs.imported", "Matched", len(ds), "Changed", changed, "Unmatched", len(unmatched))
	if len(unmatched) > 0 {
		// Shown on the page itself: a flash cannot hold the list.
		h.renderCerts(w, r, http.StatusOK, f, unmatched, done)
		return
	}
	h.Shell.Flash(r, "ok", done)
	http.Redirect(w, r, "/console/certifications", http.StatusSeeOther)
}
