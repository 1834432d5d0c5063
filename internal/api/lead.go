package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/respond"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/store"
)

// Leads (issue 14 follow-up): an exhibitor's CRM pulls its company's leads
// as well as receiving them by webhook. The cards are built by the store
// through the attendee's current consent and the organizers' cap; a
// withdrawn lead is deleted, so it never appears, and the pull lists the
// withdrawals for the CRM to delete its copy.

// LeadStore is what the lead routes read. *store.DB implements it.
type LeadStore interface {
	ExhibitorOf(ctx context.Context, eventID, attendeeID int64) (lanyard.Exhibitor, error)
	Leads(ctx context.Context, eventID, exhibitorID int64, f store.LeadFilter) ([]lanyard.Lead, error)
	Lead(ctx context.Context, eventID, exhibitorID, leadID int64) (lanyard.Lead, error)
	LeadQuestions(ctx context.Context, exhibitorID int64) ([]lanyard.LeadQuestion, error)
	LeadWithdrawals(ctx context.Context, eventID, exhibitorID int64, since time.Time) ([]store.LeadWithdrawal, error)
}

var _ LeadStore = (*store.DB)(nil)

func (h *Handler) leadRoutes(t *route.Table) {
	handle := func(pattern string, fn http.HandlerFunc) { t.HandleFunc(pattern, route.Any, fn) }
	handle("GET /api/v1/exhibitor/leads", h.auth(attendee, h.company(h.listLeads)))
	handle("GET /api/v1/exhibitor/leads/{id}", h.auth(attendee, h.company(h.getLead)))
}

// company answers 503 without a lead store and runs next with the
// exhibitor the caller staffs: only exhibitor staff read leads, and only
// their own company's (an organizer's or door staff's token is 403).
func (h *Handler) company(next func(w http.ResponseWriter, r *http.Request, x lanyard.Exhibitor)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.Leads == nil {
			h.error(w, r, lanyard.Errorf(lanyard.EUNAVAILABLE, "Leads are not available on this server."))
			return
		}
		a := caller(r.Context())
		if a.Role != lanyard.RoleExhibitor {
			h.error(w, r, lanyard.Errorf(lanyard.EFORBIDDEN, "Only exhibitor staff read leads, each their own company's."))
			return
		}
		x, err := h.Leads.ExhibitorOf(r.Context(), h.Catalog.Load().Event.ID, a.ID)
		if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
			err = lanyard.Errorf(lanyard.EFORBIDDEN, "This account staffs no exhibitor.")
		}
		if err != nil {
			h.error(w, r, err)
			return
		}
		next(w, r, x)
	}
}

// leadJSON is a lead with its answers named by their questions.
type leadJSON struct {
	lanyard.Lead
	Answers []answerJSON `json:"answers"`
}

type answerJSON struct {
	QuestionID int64    `json:"question_id"`
	Prompt     string   `json:"prompt"`
	Kind       string   `json:"kind"`
	Values     []string `json:"values"`
}

func leadOut(l lanyard.Lead, qs []lanyard.LeadQuestion) leadJSON {
	out := leadJSON{Lead: l, Answers: []answerJSON{}}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	for _, q := range qs {
		if v, ok := l.Answers[q.ID]; ok {
			out.Answers = append(out.Answers, answerJSON{QuestionID: q.ID, Prompt: q.Prompt, Kind: q.Kind, Values: v})
		}
	}
	return out
}

type leadList struct {
	Leads     []leadJSON             `json:"leads"`
	Withdrawn []store.LeadWithdrawal `json:"withdrawn"`
	// Until is the next pull's since: a minute before this answer was read.
	Until time.Time `json:"until"`
}

// listLeads is GET /api/v1/exhibitor/leads[?since=RFC 3339]: the
// company's leads, newest first; with since, only those created or
// changed at or after it, and the withdrawals since.
func (h *Handler) listLeads(w http.ResponseWriter, r *http.Request, x lanyard.Exhibitor) {
	var f store.LeadFilter
	for k := range r.URL.Query() {
		if k != "since" {
			h.error(w, r, &lanyard.Error{Code: lanyard.EINVALID, Field: k, Message: "Unknown query parameter " + strconv.Quote(k) + "; the only one is since."})
			return
		}
	}
	if s := r.URL.Query().Get("since"); s != "" || r.URL.Query().Has("since") {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			h.error(w, r, &lanyard.Error{Code: lanyard.EINVALID, Field: "since", Message: "since must be an RFC 3339 time, such as 2026-12-01T09:00:00Z."})
			return
		}
		f.Since = t
	}
	// A minute before the read: a change committed while we read, stamped
	// a little earlier, is still in the next pull (clients upsert by id).
	until := time.Now().UTC().Add(-time.Minute)
	ctx, ev := r.Context(), h.Catalog.Load().Event.ID
	leads, err := h.Leads.Leads(ctx, ev, x.ID, f)
	if err != nil {
		h.error(w, r, err)
		return
	}
	qs, err := h.Leads.LeadQuestions(ctx, x.ID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	gone, err := h.Leads.LeadWithdrawals(ctx, ev, x.ID, f.Since)
	if err != nil {
		h.error(w, r, err)
		return
	}
	out := leadList{Leads: make([]leadJSON, len(leads)), Withdrawn: gone, Until: until}
	for i, l := range leads {
		out.Leads[i] = leadOut(l, qs)
	}
	respond.JSON(w, http.StatusOK, out)
}

// getLead is GET /api/v1/exhibitor/leads/{id}: another company's lead,
// or a withdrawn one, is not found.
func (h *Handler) getLead(w http.ResponseWriter, r *http.Request, x lanyard.Exhibitor) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.error(w, r, lanyard.Errorf(lanyard.ENOTFOUND, "No lead %q.", r.PathValue("id")))
		return
	}
	l, err := h.Leads.Lead(r.Context(), h.Catalog.Load().Event.ID, x.ID, id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	qs, err := h.Leads.LeadQuestions(r.Context(), x.ID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, leadOut(l, qs))
}
