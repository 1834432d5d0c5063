package leads

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/respond"
	"github.com/lanyardhq/lanyard/internal/store"
)

// MaxSync is the most scans one upload carries (the shared scanner sends
// batches of at most this many).
const MaxSync = 500

// maxSyncBody bounds an upload's body: 500 scans of about 150 bytes.
const maxSyncBody = 256 << 10

// SyncItem is one scan as the device queued it.
type SyncItem struct {
	Nonce     string `json:"nonce"`
	Token     string `json:"token"`
	ScannedAt string `json:"scanned_at,omitempty"` // RFC 3339, the device's clock
}

// SyncResult is the server's answer for one scan. The device removes
// every scan answered, with an outcome or an error; a scan sent again
// (same nonce) gets the same answer.
type SyncResult struct {
	Nonce   string         `json:"nonce"`
	Outcome string         `json:"outcome,omitempty"` // created, exists, withdrawn
	LeadID  int64          `json:"lead_id,omitempty"`
	Name    string         `json:"name,omitempty"`
	Error   *lanyard.Error `json:"error,omitempty"`
}

var nonceRE = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)

func (h *Handler) scanPage(w http.ResponseWriter, r *http.Request) {
	x := exhibitorOf(r)
	h.render(w, r, http.StatusOK, "scan", "leads.scan.title", struct {
		Exhibitor    lanyard.Exhibitor
		ScanJS, JSQR string
		QueueName    string
		Words        map[string]string // JSON in the page (a string would be encoded as one JSON string)
	}{x, h.Shell.StaticURL("scan.js"), h.Shell.StaticURL("jsQR.js"), fmt.Sprintf("lanyard-leads-%d", x.ID), h.words(r)})
}

// words are the scan page's messages for its script, in the visitor's language.
func (h *Handler) words(r *http.Request) map[string]string {
	m := map[string]string{}
	for _, k := range []string{"created", "exists", "withdrawn", "error", "queued", "synced", "offline", "online",
		"camera_start", "camera_stop", "camera_none", "camera_denied", "open"} {
		m[k] = h.Shell.T(r, "leads.scan.js."+k)
	}
	return m
}

// syncAPI takes scans from the device: each is answered on its own, so
// one bad badge does not hold back the rest; an internal error answers
// 500 and the device keeps everything to send again (idempotent by nonce).
func (h *Handler) syncAPI(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Scans []SyncItem `json:"scans"`
	}
	if err := decode(r, &body, maxSyncBody); err != nil {
		respond.Error(w, r, h.log(), err)
		return
	}
	if len(body.Scans) == 0 || len(body.Scans) > MaxSync {
		respond.Error(w, r, h.log(), &lanyard.Error{Code: lanyard.EINVALID, Field: "scans", Message: fmt.Sprintf("Send between 1 and %d scans.", MaxSync)})
		return
	}
	x, staff := exhibitorOf(r), h.Shell.User(r)
	out := make([]SyncResult, 0, len(body.Scans))
	for _, it := range body.Scans {
		res, err := h.scanOne(r, x, staff, it)
		if err != nil {
			if respond.Status(lanyard.ErrorCode(err)) >= 500 {
				respond.Error(w, r, h.log(), err)
				return
			}
			res.Error = &lanyard.Error{Code: lanyard.ErrorCode(err), Message: lanyard.ErrorMessage(err), Field: lanyard.ErrorField(err)}
		}
		out = append(out, res)
	}
	respond.JSON(w, http.StatusOK, struct {
		Results []SyncResult `json:"results"`
	}{out})
}

func (h *Handler) scanOne(r *http.Request, x lanyard.Exhibitor, staff *lanyard.Attendee, it SyncItem) (SyncResult, error) {
	res := SyncResult{Nonce: it.Nonce}
	if !nonceRE.MatchString(it.Nonce) {
		return res, &lanyard.Error{Code: lanyard.EINVALID, Field: "nonce", Message: "A scan's nonce is 8 to 64 letters, digits, - or _."}
	}
	token := strings.ToUpper(strings.TrimSpace(it.Token))
	if token == "" || len(token) > 64 {
		return res, &lanyard.Error{Code: lanyard.EINVALID, Field: "token", Message: "A scan carries the badge's code (at most 64 characters)."}
	}
	ctx := r.Context()
	c, err := h.Badges.Claims(ctx, token)
	if err != nil {
		return res, err
	}
	ev := h.event().ID
	if c.EventID != ev {
		return res, lanyard.Errorf(lanyard.EBadgeInvalid, "This badge is for another event.")
	}
	at := h.now()
	if it.ScannedAt != "" {
		t, err := time.Parse(time.RFC3339Nano, it.ScannedAt)
		if err != nil {
			return res, &lanyard.Error{Code: lanyard.EINVALID, Field: "scanned_at", Message: "scanned_at is an RFC 3339 time."}
		}
		at = t
	}
	sr, err := h.Store.LeadScan(ctx, store.LeadScanInput{EventID: ev, ExhibitorID: x.ID, AttendeeID: c.AttendeeID, Version: int(c.Version),
		Nonce: it.Nonce, ScannedBy: staff.ID, ScannedAt: at})
	if err != nil {
		return res, err
	}
	res.Outcome, res.LeadID, res.Name = sr.Outcome, sr.LeadID, sr.Name
	return res, nil
}

// decode reads a JSON body of at most limit bytes, unknown fields refused.
func decode(r *http.Request, v any, limit int64) error {
	data, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return lanyard.Errorf(lanyard.EINVALID, "The body cannot be read.")
	}
	if int64(len(data)) > limit {
		return lanyard.Errorf(lanyard.EBodyTooLarge, "The body is larger than %d bytes.", limit)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syntax *json.SyntaxError
		switch {
		case errors.Is(err, io.EOF):
			return lanyard.Errorf(lanyard.EINVALID, "The request needs a JSON body.")
		case errors.As(err, &syntax):
			return lanyard.Errorf(lanyard.EINVALID, "The body is not valid JSON (at byte %d).", syntax.Offset)
		}
		return lanyard.Errorf(lanyard.EINVALID, "The body cannot be read: %s.", err.Error())
	}
	return nil
}
