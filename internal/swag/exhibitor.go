package swag

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/respond"
	"github.com/lanyardhq/lanyard/internal/store"
)

// The exhibitor's page: the company's items and booth events with their
// stock, a form to add or restock one, the claim form (a scanned badge
// typed by a handheld scanner or the camera) and, when the booth is on the
// passport, the stamp form.

// Verdict is what a scan at the booth or the desk answers, on the page and
// as JSON: OK with Code "claimed", "stamped" or "handed", or not OK with
// the refusal's code (already_claimed, out_of_stock, badge_invalid, …).
type Verdict struct {
	OK      bool   `json:"ok"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Name    string `json:"name,omitempty"` // the attendee's
	Item    int64  `json:"item,omitempty"`
	Left    int    `json:"left"`
	Nonce   string `json:"nonce,omitempty"`
}

type itemRow struct {
	lanyard.SwagView
	Recent []store.SwagClaimRecord
	Starts string // a booth event's start in the event's zone, as the form's value
}

type exhibitorData struct {
	X        lanyard.Exhibitor
	Items    []itemRow
	Passport *lanyard.Passport // set when this booth is on it
	Nonce    string
	Item     int64 // the item the claim form has chosen
	Verdict  *Verdict
	Stamp    *Verdict
	FormErr  string // about the item form
	Form     itemForm
}

type itemForm struct {
	ID     int64
	Kind   string
	Name   string
	Stock  string
	Starts string
}

// recentClaims is how many of an item's latest claims the page lists.
const recentClaims = 5

func (h *Handler) exhibitorData(r *http.Request, x lanyard.Exhibitor) (*exhibitorData, error) {
	ctx := r.Context()
	d := &exhibitorData{X: x, Nonce: nonce(), Form: itemForm{Kind: string(lanyard.SwagThing)}}
	items, err := h.Store.SwagItemsOf(ctx, h.event().ID, x.ID)
	if err != nil {
		return nil, err
	}
	for _, v := range items {
		rec, err := h.Store.SwagRecentClaims(ctx, h.event().ID, v.ID, recentClaims)
		if err != nil {
			return nil, err
		}
		row := itemRow{SwagView: v, Recent: rec}
		if !v.SwagItem.Starts.IsZero() {
			row.Starts = v.SwagItem.Starts.In(h.Catalog.Load().Loc).Format("2006-01-02T15:04")
		}
		d.Items = append(d.Items, row)
	}
	if id, err := strconv.ParseInt(r.FormValue("item"), 10, 64); err == nil {
		d.Item = id
	}
	p, err := h.Store.Passport(ctx, h.event().ID)
	switch {
	case lanyard.ErrorCode(err) == lanyard.ENOTFOUND:
	case err != nil:
		return nil, err
	default:
		for _, b := range p.Booths {
			if b == x.ID {
				d.Passport = &p
			}
		}
	}
	return d, nil
}

func (h *Handler) exhibitorPage(w http.ResponseWriter, r *http.Request) {
	x, ok := h.myExhibitor(w, r, false)
	if !ok {
		return
	}
	d, err := h.exhibitorData(r, x)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "exhibitor", "swag.exhibitor.title", d)
}

// saveItem adds an item or booth event, or changes one of the company's
// (its name, stock, start): an engine command.
func (h *Handler) saveItem(w http.ResponseWriter, r *http.Request) {
	x, ok := h.myExhibitor(w, r, false)
	if !ok {
		return
	}
	f := itemForm{Kind: r.FormValue("kind"), Name: r.FormValue("name"), Stock: strings.TrimSpace(r.FormValue("stock")), Starts: r.FormValue("starts")}
	f.ID, _ = strconv.ParseInt(r.FormValue("id"), 10, 64)
	it := lanyard.SwagItem{ID: f.ID, ExhibitorID: x.ID, Kind: lanyard.SwagKind(f.Kind), Name: f.Name}
	var err error
	if it.Stock, err = strconv.Atoi(f.Stock); err != nil {
		err = &lanyard.Error{Code: lanyard.EINVALID, Field: "stock", Message: "The stock is a whole number."}
	}
	if err == nil && f.Starts != "" {
		if it.Starts, err = time.ParseInLocation("2006-01-02T15:04", f.Starts, h.Catalog.Load().Loc); err != nil {
			err = &lanyard.Error{Code: lanyard.EINVALID, Field: "starts", Message: "The start is a date and time."}
		}
	}
	if err == nil {
		_, err = h.engine(r).SwagPut(r.Context(), h.Shell.User(r).ID, x.ID, "swag-item:"+clip(r.FormValue("nonce")), it)
	}
	if err != nil {
		code := lanyard.ErrorCode(err)
		if code != lanyard.EINVALID && code != lanyard.ENOTFOUND && code != lanyard.EFORBIDDEN && code != lanyard.ESwagRetired {
			h.Shell.ServerError(w, r, err)
			return
		}
		d, derr := h.exhibitorData(r, x)
		if derr != nil {
			h.Shell.ServerError(w, r, derr)
			return
		}
		d.Form, d.FormErr = f, lanyard.ErrorMessage(err)
		w.Header().Set(codeHeader, code)
		status := respond.Status(code)
		if code == lanyard.EINVALID {
			status = http.StatusUnprocessableEntity // the form's fields, as the other forms answer
		}
		h.render(w, r, status, "exhibitor", "swag.exhibitor.title", d)
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "swag.item.saved", "Name", it.Name))
	http.Redirect(w, r, "/exhibitor/swag", http.StatusSeeOther)
}

// clip bounds a client's nonce; "" means no idempotency.
func clip(s string) string {
	if len(s) > 100 {
		return s[:100]
	}
	return s
}

// claim decides one scan at the booth: the badge, then the engine.
// A refusal of a rule is a verdict; bad input is an error.
func (h *Handler) claim(r *http.Request, x lanyard.Exhibitor, item int64, code, nonce string) (Verdict, error) {
	v := Verdict{Item: item, Nonce: nonce}
	a, err := h.scanned(r.Context(), code)
	if err != nil {
		return v, err
	}
	v.Name = a.Name
	key := ""
	if nonce != "" {
		key = "swag:" + clip(nonce)
	}
	res, err := h.engine(r).SwagClaim(r.Context(), h.Shell.User(r).ID, x.ID, a.ID, item, key)
	v.Left = res.Left
	switch c := lanyard.ErrorCode(err); {
	case err == nil:
		v.OK, v.Code = true, lanyard.OutcomeClaimed
		v.Message = h.Shell.T(r, "swag.verdict.claimed", "Name", a.Name, "Left", res.Left)
	case c == lanyard.ESwagClaimed || c == lanyard.ESwagOutOfStock || c == lanyard.ESwagRetired:
		v.Code = c
		v.Message = h.Shell.T(r, "swag.verdict."+c, "Name", a.Name)
	default:
		return v, err
	}
	return v, nil
}

// claimForm is the page's claim: the verdict shows on the page, with the
// status of its outcome (409 for a refusal, 400 for a bad badge).
func (h *Handler) claimForm(w http.ResponseWriter, r *http.Request) {
	x, ok := h.myExhibitor(w, r, false)
	if !ok {
		return
	}
	item, _ := strconv.ParseInt(r.FormValue("item"), 10, 64)
	v, err := h.claim(r, x, item, r.FormValue("code"), r.FormValue("nonce"))
	status := http.StatusOK
	if err != nil {
		c := lanyard.ErrorCode(err)
		if respond.Status(c) == http.StatusInternalServerError || respond.Status(c) == http.StatusServiceUnavailable {
			h.Shell.ServerError(w, r, err)
			return
		}
		v.Code, v.Message, status = c, h.errorWords(r, err), respond.Status(c)
	} else if !v.OK {
		status = http.StatusConflict
	}
	d, err := h.exhibitorData(r, x)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	d.Verdict = &v
	if !v.OK {
		w.Header().Set(codeHeader, v.Code)
	}
	h.render(w, r, status, "exhibitor", "swag.exhibitor.title", d)
}

// errorWords says a scan's bad input in the visitor's language.
func (h *Handler) errorWords(r *http.Request, err error) string {
	switch lanyard.ErrorCode(err) {
	case lanyard.EBadgeInvalid:
		return h.Shell.T(r, "swag.verdict.badge_invalid")
	case lanyard.ENOTFOUND:
		return h.Shell.T(r, "swag.verdict.not_found")
	case lanyard.EINVALID:
		return h.Shell.T(r, "swag.verdict.empty")
	}
	return lanyard.ErrorMessage(err)
}

// ScanRequest is one scan sent by the booth's scanner (the page's script
// or lanyardScan.sync): the item, the scanned text and the device's nonce,
// which makes a resent scan answer the first time's verdict.
type ScanRequest struct {
	Item  int64  `json:"item"`
	Code  string `json:"code"`
	Token string `json:"token"` // the shared scanner's name for code
	Nonce string `json:"nonce"`
}

func (s *ScanRequest) code() string {
	if s.Code != "" {
		return s.Code
	}
	return s.Token
}

// claimAPI answers one scan as JSON: 200 with the verdict when the engine
// decided (ok or a refusal), an error status for bad input.
func (h *Handler) claimAPI(w http.ResponseWriter, r *http.Request) {
	x, ok := h.myExhibitor(w, r, true)
	if !ok {
		return
	}
	var req ScanRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10)).Decode(&req); err != nil {
		respond.Error(w, r, h.log(), lanyard.Errorf(lanyard.EINVALID, "The body is JSON: {item, code, nonce}."))
		return
	}
	v, err := h.claim(r, x, req.Item, req.code(), req.Nonce)
	if err != nil {
		respond.Error(w, r, h.log(), err)
		return
	}
	respond.JSON(w, http.StatusOK, v)
}

// maxSync is how many scans one sync may carry.
const maxSync = 500

// syncAPI takes the scans a device queued offline ({"scans": […]}) and
// answers a verdict for each, in order ({"results": […]}); a scan's nonce
// makes a repeated sync change nothing.
func (h *Handler) syncAPI(w http.ResponseWriter, r *http.Request) {
	x, ok := h.myExhibitor(w, r, true)
	if !ok {
		return
	}
	var body struct {
		Scans []ScanRequest `json:"scans"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&body); err != nil {
		respond.Error(w, r, h.log(), lanyard.Errorf(lanyard.EINVALID, `The body is JSON: {"scans": [{item, code, nonce}, …]}.`))
		return
	}
	if len(body.Scans) > maxSync {
		respond.Error(w, r, h.log(), lanyard.Errorf(lanyard.EINVALID, "At most %d scans a sync.", maxSync))
		return
	}
	out := make([]Verdict, 0, len(body.Scans))
	for _, s := range body.Scans {
		v, err := h.claim(r, x, s.Item, s.code(), s.Nonce)
		if err != nil {
			c := lanyard.ErrorCode(err)
			if respond.Status(c) >= 500 {
				respond.Error(w, r, h.log(), err) // nothing after it was tried: the device keeps the rest
				return
			}
			v.Code, v.Message = c, h.errorWords(r, err)
		}
		out = append(out, v)
	}
	respond.JSON(w, http.StatusOK, map[string][]Verdict{"results": out})
}

// stamp stamps the scanned attendee's passport at this booth.
func (h *Handler) stamp(w http.ResponseWriter, r *http.Request) {
	x, ok := h.myExhibitor(w, r, false)
	if !ok {
		return
	}
	v := Verdict{}
	status := http.StatusOK
	a, err := h.scanned(r.Context(), r.FormValue("code"))
	var added bool
	if err == nil {
		v.Name = a.Name
		added, err = h.Store.PassportStamp(r.Context(), h.event().ID, a.ID, x.ID, h.Shell.User(r).ID, h.now())
	}
	switch c := lanyard.ErrorCode(err); {
	case err == nil:
		v.OK, v.Code = true, "stamped"
		v.Message = h.Shell.T(r, "swag.verdict.stamped", "Name", a.Name)
		if !added {
			v.Message = h.Shell.T(r, "swag.verdict.stamped_before", "Name", a.Name)
		}
	case c == lanyard.EBadgeInvalid || c == lanyard.ENOTFOUND || c == lanyard.EINVALID:
		v.Code, v.Message, status = c, h.errorWords(r, err), respond.Status(c)
		if c == lanyard.EINVALID && a != nil {
			v.Message = h.Shell.T(r, "swag.verdict.not_on_passport")
		}
		w.Header().Set(codeHeader, c)
	default:
		h.Shell.ServerError(w, r, err)
		return
	}
	d, err := h.exhibitorData(r, x)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	d.Stamp = &v
	h.render(w, r, status, "exhibitor", "swag.exhibitor.title", d)
}
