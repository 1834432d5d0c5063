// Package respond writes HTTP responses for the JSON API and the web pages:
// JSON bodies, and domain errors mapped to status codes. The code→status
// table lives here and nowhere else.
package respond

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// statuses maps domain error codes to HTTP statuses. A code missing here is
// a bug and answers 500.
var statuses = map[string]int{
	lanyard.EINVALID:      http.StatusBadRequest,
	lanyard.ENOTFOUND:     http.StatusNotFound,
	lanyard.ECONFLICT:     http.StatusConflict,
	lanyard.EUNAUTHORIZED: http.StatusUnauthorized,
	lanyard.EKeyReused:    http.StatusBadRequest,
	lanyard.EFORBIDDEN:    http.StatusForbidden,
	lanyard.ETOOMANY:      http.StatusTooManyRequests,
	lanyard.EUNAVAILABLE:  http.StatusServiceUnavailable,
	lanyard.EINTERNAL:     http.StatusInternalServerError,
	lanyard.EBodyTooLarge: http.StatusRequestEntityTooLarge,

	lanyard.ESessionFull:      http.StatusConflict,
	lanyard.ETimeConflict:     http.StatusConflict,
	lanyard.EWindowClosed:     http.StatusConflict,
	lanyard.ERepeatGroupTaken: http.StatusConflict,
	lanyard.ELimitReached:     http.StatusConflict,
	lanyard.EChangesClosed:    http.StatusConflict,
	lanyard.ENotReservable:    http.StatusConflict,
	lanyard.ETravelTime:       http.StatusConflict,
	lanyard.ENotReserved:      http.StatusNotFound,
	lanyard.EDoorNotOpen:      http.StatusConflict,
	lanyard.EDoorClosed:       http.StatusConflict,
	lanyard.EWalkupFull:       http.StatusConflict,
	lanyard.ETicketCanceled:   http.StatusForbidden,
	// === places (issue 13) ===
	lanyard.ENotEntitled:   http.StatusForbidden,
	lanyard.EPlaceFull:     http.StatusConflict,
	lanyard.EAlreadyInside: http.StatusConflict,
	// === line: the walk-up line ===
	lanyard.ELineNotOpen:   http.StatusConflict,
	lanyard.ELineSlotTaken: http.StatusConflict,
	lanyard.ENotCalled:     http.StatusConflict,

	lanyard.EPhotoTooLarge:      http.StatusRequestEntityTooLarge,
	lanyard.EPhotoTooManyPixels: http.StatusUnprocessableEntity,
	lanyard.EPhotoUnsupported:   http.StatusUnsupportedMediaType,
	lanyard.EPhotoCorrupt:       http.StatusUnprocessableEntity,
	lanyard.EPhotoTooSmall:      http.StatusUnprocessableEntity,
	lanyard.EBadgeInvalid:       http.StatusBadRequest,

	// === pocket: ratings ===
	lanyard.ENotCheckedIn: http.StatusForbidden,

	// === the expo and the people (issue 14) ===
	lanyard.EPartyFull:      http.StatusConflict,
	lanyard.EPartyCancelled: http.StatusConflict,
	lanyard.EMeetupLimit:    http.StatusTooManyRequests,
	lanyard.EMeetupHidden:   http.StatusForbidden,
	lanyard.EMeetupStarted:  http.StatusConflict,
	// edits (issue 14 follow-up)
	lanyard.EMeetupCanceled:      http.StatusConflict,
	lanyard.EMeetupCapBelowGoing: http.StatusUnprocessableEntity,
	lanyard.EMeetupNotYours:      http.StatusForbidden,
	lanyard.ESwagRetired:         http.StatusConflict,
	lanyard.EExhibitorRemoved:    http.StatusNotFound,

	// === swag (issue 14) ===
	lanyard.ESwagOutOfStock: http.StatusConflict,
	lanyard.ESwagClaimed:    http.StatusConflict,
	lanyard.EPrizeNotEarned: http.StatusConflict,
	lanyard.EPrizeHanded:    http.StatusConflict,
}

// Status returns the HTTP status for a domain error code.
func Status(code string) int {
	if s, ok := statuses[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// ErrorBody is the JSON shape of every API error.
type ErrorBody struct {
	Error lanyard.Error `json:"error"`
}

// Error writes err as a JSON error. Internal errors are logged here, once,
// and shown to the caller only as "Internal error.".
func Error(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	code := lanyard.ErrorCode(err)
	status := Status(code)
	if status == http.StatusInternalServerError {
		log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		code = lanyard.EINTERNAL
	}
	var body ErrorBody
	body.Error.Code = code
	body.Error.Message = lanyard.ErrorMessage(err)
	body.Error.Field = lanyard.ErrorField(err)
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="lanyard"`)
	}
	JSON(w, status, body)
}

var (
	jsonType = []string{"application/json; charset=utf-8"}
	nosniff  = []string{"nosniff"}
)

// JSON writes v as a JSON response with the given status.
func JSON(w http.ResponseWriter, status int, v any) {
	// Assigned, not Set: the keys are canonical already, and every API
	// response passes here, so skipping the canonicalisation and the slice
	// allocation shows in a rush.
	h := w.Header()
	h["Content-Type"] = jsonType
	h["X-Content-Type-Options"] = nosniff
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v) // the status is sent; a failed write has no one left to tell
}
