package door

import (
	"net/http"
	"regexp"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/respond"
	"github.com/lanyardhq/lanyard/internal/store"
)

// MaxSync is how many queued scans one sync request may carry; the app
// sends a longer queue in several requests.
const MaxSync = 500

// Conflict kinds: an offline admission the engine refused at sync.
const (
	ConflictTwoDoors    = "two_doors"    // the badge was admitted at another door (or device) first
	ConflictWalkupsOver = "walkups_over" // more walk-ups admitted offline than the room had seats
	ConflictRefused     = "refused"      // refused for another reason (door closed, badge replaced since)
)

// SyncItem is one queued scan: the request and what the device showed.
type SyncItem struct {
	ScanRequest
	// Code is the device's reason for a deny.
	Code string `json:"code,omitempty"`
}

// SyncResult is the server's answer to one queued scan.
type SyncResult struct {
	Nonce    string         `json:"nonce"`
	Verdict  *Verdict       `json:"verdict,omitempty"`
	Conflict string         `json:"conflict,omitempty"`
	Error    *lanyard.Error `json:"error,omitempty"`
}

var codeRE = regexp.MustCompile(`^[a-z_]{0,40}$`)

// syncAPI is POST /door/api/sync: the scans a device made offline. Each
// admission goes through the engine with its nonce as the key, so a
// repeated sync (the answer lost on the way back) changes nothing; a scan
// the device denied is only recorded (the door turned them away: the
// server never admits them behind its back). An admission the engine
// refuses is a conflict for a supervisor, never forced through.
func (h *Handler) syncAPI(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Scans []SyncItem `json:"scans"`
	}
	if err := decode(r, &body, maxSyncBody); err != nil {
		h.apiError(w, r, err)
		return
	}
	if len(body.Scans) == 0 || len(body.Scans) > MaxSync {
		h.apiError(w, r, &lanyard.Error{Code: lanyard.EINVALID, Field: "scans", Message: "Send between 1 and 500 scans."})
		return
	}
	ctx := r.Context()
	staff := h.Shell.User(r)
	out := make([]SyncResult, 0, len(body.Scans))
	for _, it := range body.Scans {
		res := SyncResult{Nonce: it.Nonce}
		v, conflict, err := h.syncOne(r, staff, it)
		if err != nil {
			if lanyard.ErrorCode(err) == lanyard.EINTERNAL || respond.Status(lanyard.ErrorCode(err)) >= 500 {
				h.apiError(w, r, err) // nothing after this one is applied; the app retries the rest
				return
			}
			res.Error = &lanyard.Error{Code: lanyard.ErrorCode(err), Message: lanyard.ErrorMessage(err), Field: lanyard.ErrorField(err)}
		} else {
			res.Verdict, res.Conflict = &v, conflict
		}
		out = append(out, res)
		if ctx.Err() != nil {
			break
		}
	}
	respond.JSON(w, http.StatusOK, struct {
		Results []SyncResult `json:"results"`
	}{out})
}

func (h *Handler) syncOne(r *http.Request, staff *lanyard.Attendee, it SyncItem) (Verdict, string, error) {
	ctx := r.Context()
	switch it.Verdict {
	case VerdictAdmit, VerdictAdmitWalkup, VerdictOverflow, VerdictExit:
	case VerdictDeny:
		if err := it.check(); err != nil {
			return Verdict{}, "", err
		}
		if !codeRE.MatchString(it.Code) {
			return Verdict{}, "", &lanyard.Error{Code: lanyard.EINVALID, Field: "code", Message: "A deny's code is at most 40 letters a–z or _."}
		}
		d, err := h.parseDoor(ctx, it.Door)
		if err != nil {
			return Verdict{}, "", err
		}
		v := Verdict{Verdict: VerdictDeny, Code: it.Code}
		if a, _, err := h.attendee(ctx, &it.ScanRequest); err == nil {
			v.AttendeeID, v.Name = a.ID, a.Name
		}
		_, err = h.Store.RecordDoorScan(ctx, store.DoorScan{EventID: h.event().ID, StaffID: staff.ID, Nonce: it.Nonce, Door: d.ID,
			AttendeeID: v.AttendeeID, Verdict: VerdictDeny, Code: it.Code, Offline: true, ScannedAt: h.scannedAt(it.ScannedAt)})
		return v, "", err
	default:
		return Verdict{}, "", &lanyard.Error{Code: lanyard.EINVALID, Field: "verdict", Message: "Say what the device showed: admit, admit_walkup, overflow, exit or deny."}
	}
	v, err := h.scan(ctx, r, staff, it.ScanRequest, true)
	if err != nil {
		return v, "", err
	}
	if v.Verdict != VerdictDeny {
		return v, "", nil
	}
	kind := ConflictRefused
	switch {
	case v.Code == lanyard.EAlreadyInside:
		kind = ConflictTwoDoors
	case it.Verdict == VerdictAdmitWalkup && (v.Code == lanyard.EWalkupFull || v.Code == lanyard.ESessionFull || v.Code == codeOtherSession):
		// other_session comes only from a full room.
		kind = ConflictWalkupsOver
	}
	_, err = h.Store.AddDoorConflict(ctx, store.DoorConflict{EventID: h.event().ID, StaffID: staff.ID, Nonce: it.Nonce, Door: it.Door,
		AttendeeID: v.AttendeeID, Kind: kind, DeviceVerdict: it.Verdict, Code: v.Code, Message: v.Message, ScannedAt: h.scannedAt(it.ScannedAt)})
	return v, kind, err
}

func (h *Handler) scannedAt(t time.Time) time.Time {
	if t.IsZero() || t.After(h.now().Add(time.Minute)) {
		return h.now()
	}
	return t
}
