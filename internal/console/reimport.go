package console

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/lanyardhq/lanyard/internal/importer"
	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// maxCatalogUpload bounds a re-imported catalog file: a 3,000-session catalog is
// a few MiB; the body is cut off past this, before it is read whole.
const maxCatalogUpload = 32 << 20

// pendingTTL is how long a previewed re-import waits for its confirmation.
const pendingTTL = 30 * time.Minute

// reimportPlan is what a re-imported file would do: each session added,
// changed (with its preview) or removed from the catalog.
type reimportPlan struct {
	Token   string
	Added   []lanyard.Session
	Changed []plannedChange
	Removed []plannedChange
	// Skipped are sessions of the file the catalog cannot take (a room it
	// lacks); they are left out.
	Skipped []string
	People  int // attendees the whole plan concerns
	at      time.Time
}

type plannedChange struct {
	Change  lanyard.SessionChange
	Preview lanyard.ChangePreview
}

// Empty reports whether the file changes nothing.
func (p *reimportPlan) Empty() bool {
	return len(p.Added) == 0 && len(p.Changed) == 0 && len(p.Removed) == 0
}

// pendingImports keeps previewed re-imports until confirmed; one node's
// memory is enough, as the lease holder serves both steps.
type pendingImports struct {
	mu    sync.Mutex
	plans map[string]*reimportPlan
}

func (p *pendingImports) put(plan *reimportPlan) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.plans == nil {
		p.plans = map[string]*reimportPlan{}
	}
	for k, v := range p.plans {
		if time.Since(v.at) > pendingTTL {
			delete(p.plans, k)
		}
	}
	p.plans[plan.Token] = plan
}

func (p *pendingImports) take(token string) *reimportPlan {
	p.mu.Lock()
	defer p.mu.Unlock()
	plan := p.plans[token]
	delete(p.plans, token)
	if plan != nil && time.Since(plan.at) > pendingTTL {
		return nil
	}
	return plan
}

type reimportData struct {
	Form *form
	Plan *reimportPlan
}

func (h *Handler) reimportPage(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "reimport", "console.reimport.title", &reimportData{Form: newForm()})
}

// previewReimport reads an uploaded catalog file and shows what applying
// it would add, change and remove, and whom that concerns; nothing changes.
func (h *Handler) previewReimport(w http.ResponseWriter, r *http.Request) {
	f := newForm()
	fail := func(status int, msg string) {
		f.Errors["file"] = msg
		h.render(w, r, status, "reimport", "console.reimport.title", &reimportData{Form: f})
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxCatalogUpload)
	file, _, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail(http.StatusRequestEntityTooLarge, h.Shell.T(r, "console.reimport.too_big", "MiB", maxCatalogUpload>>20))
			return
		}
		fail(http.StatusUnprocessableEntity, h.Shell.T(r, "console.reimport.choose_file"))
		return
	}
	defer file.Close()
	cat := h.Catalog.Load()
	in, _, err := importer.Read(file, importer.FormatAuto, importer.Options{TimeZone: cat.Event.TimeZone})
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail(http.StatusRequestEntityTooLarge, h.Shell.T(r, "console.reimport.too_big", "MiB", maxCatalogUpload>>20))
			return
		}
		if lanyard.ErrorCode(err) == lanyard.EINVALID {
			fail(http.StatusUnprocessableEntity, lanyard.ErrorMessage(err))
			return
		}
		h.Shell.ServerError(w, r, err)
		return
	}
	plan := &reimportPlan{Token: newKey(), at: time.Now()}
	e := h.engine(r)
	people := map[int64]bool{}
	seen := map[string]bool{}
	for _, n := range in.Sessions {
		seen[n.Code] = true
		if n.Room != "" {
			if _, ok := cat.Room(n.Venue, n.Room); !ok {
				plan.Skipped = append(plan.Skipped, n.Code)
				continue
			}
		}
		old, err := cat.Session(n.Code)
		if err != nil {
			if n.Room == "" { // a new session needs a room to hold seats in
				plan.Skipped = append(plan.Skipped, n.Code)
				continue
			}
			plan.Added = append(plan.Added, n)
			continue
		}
		if old.Cancelled {
			continue
		}
		if same(old, &n) {
			continue // most of a re-import: no engine read, no query
		}
		ch := lanyard.SessionChange{Session: *old}
		s := &ch.Session
		s.Title, s.Abstract, s.Type, s.Speakers = n.Title, n.Abstract, n.Type, n.Speakers
		s.Start, s.End, s.Venue, s.Room, s.CapacityOverride = n.Start, n.End, n.Venue, n.Room, n.CapacityOverride
		if ch.Latest, err = h.Store.SessionHolders(r.Context(), old.ID); err != nil {
			h.Shell.ServerError(w, r, err)
			return
		}
		p, err := e.PreviewChange(r.Context(), ch)
		if err != nil {
			plan.Skipped = append(plan.Skipped, n.Code)
			continue
		}
		if len(p.Changes) > 0 {
			plan.Changed = append(plan.Changed, plannedChange{ch, p})
			for _, a := range p.Affected {
				people[a.Attendee] = true
			}
		}
	}
	for _, old := range cat.Sessions() {
		if seen[old.Code] || old.Cancelled {
			continue
		}
		ch := lanyard.SessionChange{Session: *old, Cancel: true}
		p, err := e.PreviewChange(r.Context(), ch)
		if err != nil {
			h.Shell.ServerError(w, r, err)
			return
		}
		plan.Removed = append(plan.Removed, plannedChange{ch, p})
		for _, a := range p.Affected {
			people[a.Attendee] = true
		}
	}
	plan.People = len(people)
	h.imports.put(plan)
	h.render(w, r, http.StatusOK, "reimport", "console.reimport.title", &reimportData{Form: f, Plan: plan})
}

// applyReimport applies a previewed re-import: each change through the
// engine (messages and a schedule version each), new sessions created and
// taken in, and removed sessions cancelled when the organizer said so.
func (h *Handler) applyReimport(w http.ResponseWriter, r *http.Request) {
	over := lanyard.OverCapacity(r.PostFormValue("over"))
	if !over.Valid() {
		f := newForm()
		f.Errors["file"] = h.Shell.T(r, "console.session.over_choose")
		h.render(w, r, http.StatusUnprocessableEntity, "reimport", "console.reimport.title", &reimportData{Form: f})
		return
	}
	plan := h.imports.take(r.PostFormValue("token"))
	if plan == nil {
		f := newForm()
		f.Errors["file"] = h.Shell.T(r, "console.reimport.expired")
		h.render(w, r, http.StatusUnprocessableEntity, "reimport", "console.reimport.title", &reimportData{Form: f})
		return
	}
	e := h.engine(r)
	ctx := r.Context()
	key := plan.Token
	apply := func(ch lanyard.SessionChange) error {
		ch.Over = over
		var err error
		if ch.Latest, err = h.Store.SessionHolders(ctx, ch.Session.ID); err != nil {
			return err
		}
		res, err := e.ChangeSession(ctx, h.actor(r), key+"-"+ch.Session.Code, ch)
		if err != nil {
			return err
		}
		h.Catalog.Store(res.Catalog)
		return nil
	}
	var changed, added, removed int
	var failed []string
	for _, c := range plan.Changed {
		if err := apply(c.Change); err != nil {
			failed = append(failed, c.Change.Session.Code+": "+lanyard.ErrorMessage(err))
			continue
		}
		changed++
	}
	for _, n := range plan.Added {
		s := n
		if err := h.Store.CreateSession(ctx, h.event().ID, &s); err != nil {
			failed = append(failed, s.Code+": "+lanyard.ErrorMessage(err))
			continue
		}
		res, err := e.AddSession(ctx, h.actor(r), key+"-"+s.Code, "", s)
		if err != nil {
			failed = append(failed, s.Code+": "+lanyard.ErrorMessage(err))
			continue
		}
		h.Catalog.Store(res.Catalog)
		added++
	}
	if r.PostFormValue("cancel_removed") != "" {
		for _, c := range plan.Removed {
			if err := apply(c.Change); err != nil {
				failed = append(failed, c.Change.Session.Code+": "+lanyard.ErrorMessage(err))
				continue
			}
			removed++
		}
	}
	h.audit(r, "catalog_reimport", 0, "", fmt.Sprintf("changed=%d added=%d cancelled=%d failed=%d", changed, added, removed, len(failed)))
	msg := h.Shell.T(r, "console.reimport.applied", "Changed", changed, "Added", added, "Removed", removed)
	if len(failed) > 0 {
		slices.Sort(failed)
		msg += " " + h.Shell.T(r, "console.reimport.failed", "List", fmt.Sprint(failed))
	}
	h.Shell.Flash(r, "ok", msg)
	http.Redirect(w, r, "/console/sessions", http.StatusSeeOther)
}

// same reports whether the file's session n leaves old as it is, in the
// fields a re-import changes.
func same(old, n *lanyard.Session) bool {
	return old.Title == n.Title && old.Abstract == n.Abstract && old.Type == n.Type && slices.Equal(old.Speakers, n.Speakers) &&
		old.Start.Equal(n.Start) && old.End.Equal(n.End) && old.Venue == n.Venue && old.Room == n.Room &&
		old.CapacityOverride == n.CapacityOverride
}
