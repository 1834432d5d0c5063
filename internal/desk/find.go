package desk

import (
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Staff search for the person in front of them; they never browse the
// list of everyone. A query is at least minQuery characters and shows at
// most maxResults people, with no next page: a longer name narrows it.
const (
	minQuery   = 3
	maxResults = 10
	// maxCode bounds what a scan or a wedge may type: a badge token is 35
	// characters, a link carrying one a few dozen more.
	maxCode = 300
)

type findData struct {
	Q, Code  string
	Error    string // about the search
	CodeErr  string // about the scanned code
	Results  []*lanyard.Attendee
	Searched bool
	More     bool // more than maxResults matched
	Replaced *replacedBadge
	Min, Max int
}

// replacedBadge is a scanned badge that a reprint voided: its holder, so
// staff can take the old badge back and look at the new one.
type replacedBadge struct {
	A                *lanyard.Attendee
	Version, Current int
}

// findPage is the desk's start: the scan field (camera or wedge) and the
// name search.
func (h *Handler) findPage(w http.ResponseWriter, r *http.Request) {
	d := &findData{Q: strings.TrimSpace(r.URL.Query().Get("q")), Min: minQuery, Max: maxResults}
	status := http.StatusOK
	switch n := utf8.RuneCountInString(d.Q); {
	case d.Q == "":
	case n < minQuery || n > 100:
		d.Error = h.Shell.T(r, "desk.find.query_short", "Min", minQuery)
		status = http.StatusUnprocessableEntity
		w.Header().Set(codeHeader, lanyard.EINVALID)
	default:
		res, more, err := h.Store.SearchAttendees(r.Context(), h.event().ID, d.Q, 0, maxResults)
		if err != nil {
			h.Shell.ServerError(w, r, err)
			return
		}
		d.Results, d.More, d.Searched = res, more, true
	}
	h.render(w, r, status, "find", "desk.find.title", d)
}

// tokenIn finds a badge token in what was scanned: the QR's text itself,
// or a link that carries one.
var tokenIn = regexp.MustCompile(`LY1[A-Z2-7]{20,60}`)

// find opens the desk page of the person a scanned code names: a badge
// token (the printed badge, or the badge QR on the attendee's phone) or an
// email address typed at the desk.
func (h *Handler) find(w http.ResponseWriter, r *http.Request) {
	code := strings.TrimSpace(r.URL.Query().Get("code"))
	d := &findData{Code: code, Min: minQuery, Max: maxResults}
	fail := func(status int, errCode, id string, args ...any) {
		w.Header().Set(codeHeader, errCode)
		d.CodeErr = h.Shell.T(r, id, args...)
		h.render(w, r, status, "find", "desk.find.title", d)
	}
	ctx := r.Context()
	switch {
	case code == "":
		fail(http.StatusBadRequest, lanyard.EINVALID, "desk.find.code_empty")
		return
	case len(code) > maxCode:
		fail(http.StatusBadRequest, lanyard.EBadgeInvalid, "desk.find.code_unknown")
		return
	case strings.Contains(code, "@") && !strings.ContainsAny(code, " /"):
		a, err := h.Store.FindAttendeeByEmail(ctx, h.event().ID, code)
		switch {
		case lanyard.ErrorCode(err) == lanyard.ENOTFOUND || lanyard.ErrorCode(err) == lanyard.EINVALID:
			fail(http.StatusNotFound, lanyard.ENOTFOUND, "desk.find.email_unknown")
		case err != nil:
			h.Shell.ServerError(w, r, err)
		default:
			http.Redirect(w, r, attendeePath(a.ID), http.StatusSeeOther)
		}
		return
	}
	tok := tokenIn.FindString(strings.ToUpper(code))
	if tok == "" {
		fail(http.StatusBadRequest, lanyard.EBadgeInvalid, "desk.find.code_unknown")
		return
	}
	c, err := h.Badges.Claims(ctx, tok)
	switch {
	case lanyard.ErrorCode(err) == lanyard.EBadgeInvalid:
		fail(http.StatusBadRequest, lanyard.EBadgeInvalid, "desk.find.code_invalid")
		return
	case err != nil:
		h.Shell.ServerError(w, r, err)
		return
	}
	a, err := h.Store.FindAttendeeByID(ctx, c.AttendeeID)
	switch {
	case lanyard.ErrorCode(err) == lanyard.ENOTFOUND || (err == nil && (a.EventID != h.event().ID || c.EventID != a.EventID)):
		fail(http.StatusNotFound, lanyard.ENOTFOUND, "desk.find.code_other_event")
		return
	case err != nil:
		h.Shell.ServerError(w, r, err)
		return
	}
	st, err := h.Store.DeskBadge(ctx, a.ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	if int(c.Version) != st.Version {
		// A voided badge: say so and whose it is, rather than open their
		// page as if it were good.
		d.Replaced = &replacedBadge{A: a, Version: int(c.Version), Current: st.Version}
		fail(http.StatusConflict, lanyard.EBadgeReplaced, "desk.find.code_replaced", "Version", int(c.Version), "Current", st.Version)
		return
	}
	http.Redirect(w, r, attendeePath(a.ID), http.StatusSeeOther)
}
