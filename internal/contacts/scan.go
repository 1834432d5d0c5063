package contacts

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lanyardhq/lanyard/internal/badge"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/respond"
	"github.com/lanyardhq/lanyard/internal/store"
)

// MaxSync is how many queued scans one sync request may carry.
const MaxSync = 500

// maxSyncBody bounds a sync request's body.
const maxSyncBody = MaxSync * 1200

// nonceRE is a nonce's shape: the app makes 128 random bits in base64url.
var nonceRE = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)

// atRE is where a scan page was opened for: "booth:acme", "meetup:12".
var atRE = regexp.MustCompile(`^(booth|meetup):[A-Za-z0-9_-]{1,40}$`)

// Scan is one scan, from the scan page's form or a phone's queue.
type Scan struct {
	Nonce string `json:"nonce"`
	// Code is what the camera or the field read: a badge token or a
	// personal QR's link.
	Code string `json:"code"`
	// At is where the page was opened for ("booth:acme", "meetup:12"),
	// and Label the meetup's title the page showed; "" finds the session
	// on the scanner's agenda at ScannedAt.
	At        string    `json:"at,omitempty"`
	Label     string    `json:"label,omitempty"`
	ScannedAt time.Time `json:"scanned_at,omitzero"`
}

// ScanResult is the answer to one scan.
type ScanResult struct {
	Nonce     string         `json:"nonce"`
	ContactID int64          `json:"contact_id,omitempty"`
	Name      string         `json:"name,omitempty"`
	New       bool           `json:"new,omitempty"`
	Error     *lanyard.Error `json:"error,omitempty"`
}

// exchange verifies the scan's code and records the exchange. Bad input
// (a code that is no badge, one's own code) is a lanyard.Error.
func (h *Handler) exchange(r *http.Request, me *lanyard.Attendee, s Scan) (store.ContactScanResult, *lanyard.Attendee, error) {
	ctx := r.Context()
	if !nonceRE.MatchString(s.Nonce) {
		return store.ContactScanResult{}, nil, &lanyard.Error{Code: lanyard.EINVALID, Field: "nonce", Message: "Send a nonce of 8 to 64 letters, digits, - or _."}
	}
	tok, err := ParseCode(s.Code)
	if err != nil {
		return store.ContactScanResult{}, nil, err
	}
	other, err := h.Badges.Verify(ctx, tok)
	if err != nil {
		if c := lanyard.ErrorCode(err); c == lanyard.ENOTFOUND || c == lanyard.EBadgeInvalid || c == lanyard.EINVALID {
			return store.ContactScanResult{}, nil, &lanyard.Error{Code: lanyard.EINVALID, Field: "code", Message: "This is not a badge or a contact QR code of this event."}
		}
		return store.ContactScanResult{}, nil, err
	}
	if other.EventID != me.EventID {
		return store.ContactScanResult{}, nil, &lanyard.Error{Code: lanyard.EINVALID, Field: "code", Message: "This is not a badge or a contact QR code of this event."}
	}
	if other.ID == me.ID {
		return store.ContactScanResult{}, nil, &lanyard.Error{Code: lanyard.EINVALID, Field: "code", Message: "This is your own code: scan someone else's badge or QR."}
	}
	at := s.ScannedAt
	if now := h.now(); at.IsZero() || at.After(now.Add(time.Minute)) || at.Before(now.AddDate(0, -1, 0)) {
		at = now
	}
	where, err := h.where(r, me, s.At, s.Label, at)
	if err != nil {
		return store.ContactScanResult{}, nil, err
	}
	sh, err := h.Store.Sharing(ctx, other.ID)
	if err != nil {
		return store.ContactScanResult{}, nil, err
	}
	res, err := h.Store.ContactExchange(ctx, store.ContactScan{EventID: me.EventID, ScannerID: me.ID, OtherID: other.ID, Nonce: s.Nonce,
		Where: where, At: at, TwoWay: sh.Exchange != lanyard.ExchangeOneWay})
	return res, other, err
}

// where finds where a scan happened: the booth or meetup the page was
// opened for, else the session the scanner holds a seat in at that time.
func (h *Handler) where(r *http.Request, me *lanyard.Attendee, at, label string, when time.Time) (lanyard.ContactWhere, error) {
	if at != "" {
		if !atRE.MatchString(at) {
			return lanyard.ContactWhere{}, &lanyard.Error{Code: lanyard.EINVALID, Field: "at", Message: `Where is "booth:CODE" or "meetup:ID".`}
		}
		kind, ref, _ := strings.Cut(at, ":")
		if kind == lanyard.WhereBooth {
			xs, err := h.Store.Exhibitors(r.Context(), me.EventID)
			if err != nil {
				return lanyard.ContactWhere{}, err
			}
			i := slices.IndexFunc(xs, func(x lanyard.Exhibitor) bool { return x.Code == ref })
			if i < 0 {
				return lanyard.ContactWhere{}, &lanyard.Error{Code: lanyard.EINVALID, Field: "at", Message: "There is no such booth."}
			}
			label = xs[i].Name
			if xs[i].Booth != "" {
				label += " · " + xs[i].Booth
			}
			return lanyard.ContactWhere{Kind: kind, Ref: ref, Label: label}, nil
		}
		label = strings.Join(strings.Fields(label), " ")
		if !utf8.ValidString(label) || utf8.RuneCountInString(label) > 80 {
			return lanyard.ContactWhere{}, &lanyard.Error{Code: lanyard.EINVALID, Field: "label", Message: "A meetup's title is at most 80 characters."}
		}
		return lanyard.ContactWhere{Kind: kind, Ref: ref, Label: label}, nil
	}
	ids, err := h.Store.ContactReservedSessions(r.Context(), me.ID)
	if err != nil || len(ids) == 0 {
		return lanyard.ContactWhere{}, err
	}
	for _, s := range h.Catalog.Load().Sessions() {
		if !s.Start.IsZero() && !when.Before(s.Start) && when.Before(s.End) && slices.Contains(ids, s.ID) {
			return lanyard.ContactWhere{Kind: lanyard.WhereSession, Ref: s.Code, Label: s.Code + " · " + s.Title}, nil
		}
	}
	return lanyard.ContactWhere{}, nil
}

// scanData is the scan page's.
type scanData struct {
	Code, At, Label, Nonce string
	Error                  string
	Who                    string            // the name a prefilled code names
	Sync                   string            // the sync API, for the offline queue
	Static                 map[string]string // the shared scanner's URLs: scan.js, jsQR.js
}

// scanner is the shared scanner's versioned URLs.
func (h *Handler) scanner() map[string]string {
	return map[string]string{"scan.js": h.Shell.StaticURL("scan.js"), "jsQR.js": h.Shell.StaticURL("jsQR.js")}
}

// scanPage is GET /contacts/scan: a field for the code (a wedge scanner
// types into it), the camera where the shared scanner is served, and the
// offline queue. A personal QR's link opens it with the code filled in;
// the person confirms (a GET changes nothing).
func (h *Handler) scanPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := scanData{Code: q.Get("code"), At: q.Get("at"), Label: q.Get("label"), Nonce: newNonce(), Sync: "/contacts/api/sync", Static: h.scanner()}
	if d.At != "" && !atRE.MatchString(d.At) {
		d.At = ""
	}
	// A personal QR opened by the phone's camera app: say whose it is
	// before the person confirms (a two-way exchange gives them one's card).
	if d.Code != "" {
		if tok, err := ParseCode(d.Code); err == nil {
			if a, err := h.Badges.Verify(r.Context(), tok); err == nil && a.EventID == h.Shell.User(r).EventID && a.ID != h.Shell.User(r).ID {
				d.Who = a.Name
			}
		}
	}
	h.render(w, r, http.StatusOK, "scan", "contacts.scan.title", d)
}

// scanForm is POST /contacts/scan, the page without its script or online.
func (h *Handler) scanForm(w http.ResponseWriter, r *http.Request) {
	me := h.Shell.User(r)
	s := Scan{Nonce: r.PostFormValue("nonce"), Code: r.PostFormValue("code"), At: r.PostFormValue("at"), Label: r.PostFormValue("label")}
	res, other, err := h.exchange(r, me, s)
	if err != nil {
		var le *lanyard.Error
		if !errors.As(err, &le) || le.Code == lanyard.EINTERNAL {
			h.Shell.ServerError(w, r, err)
			return
		}
		w.Header().Set(codeHeader, le.Code)
		d := scanData{Code: s.Code, At: s.At, Label: s.Label, Nonce: newNonce(), Sync: "/contacts/api/sync", Static: h.scanner(), Error: h.Shell.T(r, "contacts.scan.bad_code")}
		if le.Field == "code" && strings.Contains(le.Message, "own code") {
			d.Error = h.Shell.T(r, "contacts.scan.own_code")
		} else if le.Field != "code" {
			d.Error = le.Message
		}
		h.render(w, r, respond.Status(le.Code), "scan", "contacts.scan.title", d)
		return
	}
	msg := "contacts.scan.added"
	if !res.New {
		msg = "contacts.scan.already"
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, msg, "Name", other.Name))
	http.Redirect(w, r, contactPath(res.ContactID), http.StatusSeeOther)
}

// syncAPI is POST /contacts/api/sync: scans a phone made (offline or
// not), {"scans": [...]}, answered {"results": [...]} one per scan in
// order. Each is idempotent by its nonce: the first upload makes the
// contact, a repeat changes nothing and answers the same contact. A scan
// refused for its input is answered with its error and the rest go on; a
// server error stops the batch (the phone keeps the rest and retries).
func (h *Handler) syncAPI(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Scans []Scan `json:"scans"`
	}
	if err := decode(r, &body); err != nil {
		respond.Error(w, r, h.log(), err)
		return
	}
	if len(body.Scans) == 0 || len(body.Scans) > MaxSync {
		respond.Error(w, r, h.log(), &lanyard.Error{Code: lanyard.EINVALID, Field: "scans", Message: "Send between 1 and 500 scans."})
		return
	}
	me := h.Shell.User(r)
	out := make([]ScanResult, 0, len(body.Scans))
	for _, s := range body.Scans {
		res, other, err := h.exchange(r, me, s)
		sr := ScanResult{Nonce: s.Nonce}
		if err != nil {
			var le *lanyard.Error
			if !errors.As(err, &le) || le.Code == lanyard.EINTERNAL {
				respond.Error(w, r, h.log(), err)
				return
			}
			sr.Error = le
		} else {
			sr.ContactID, sr.Name, sr.New = res.ContactID, other.Name, res.New
			if res.Replay && res.OtherID != other.ID {
				sr.Name = "" // the nonce named someone else the first time; its answer stands
			}
		}
		out = append(out, sr)
	}
	respond.JSON(w, http.StatusOK, struct {
		Results []ScanResult `json:"results"`
	}{out})
}

// decode reads a JSON body of at most maxSyncBody bytes.
func decode(r *http.Request, v any) error {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxSyncBody+1))
	if err != nil {
		return lanyard.Errorf(lanyard.EINVALID, "The body cannot be read.")
	}
	if len(data) > maxSyncBody {
		return lanyard.Errorf(lanyard.EBodyTooLarge, "The body is larger than %d bytes.", maxSyncBody)
	}
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(v); err != nil {
		return lanyard.Errorf(lanyard.EINVALID, "The body is not a JSON object of scans.")
	}
	return nil
}

// qrData is the personal QR page's.
type qrData struct {
	Link   string // what the QR carries
	Token  string // the badge token alone: the code to type
	Card   lanyard.Card
	OneWay bool
}

// qrPage is GET /contacts/qr: the attendee's personal QR code, what a
// scan of it shares, and whether the exchange is two-way.
func (h *Handler) qrPage(w http.ResponseWriter, r *http.Request) {
	me := h.Shell.User(r)
	tok, _, err := h.Badges.Token(r.Context(), me)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	sh, err := h.Store.Sharing(r.Context(), me.ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "qr", "contacts.qr.title", qrData{Link: QRLink(h.Shell.SiteURL(r), tok), Token: tok, Card: lanyard.CardOf(me, sh, nil), OneWay: sh.Exchange == lanyard.ExchangeOneWay})
}

// qrPNG is GET /contacts/qr.png: the personal QR code as an image.
func (h *Handler) qrPNG(w http.ResponseWriter, r *http.Request) {
	me := h.Shell.User(r)
	tok, _, err := h.Badges.Token(r.Context(), me)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	png, err := badge.QR(QRLink(h.Shell.SiteURL(r), tok))
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Write(png)
}
