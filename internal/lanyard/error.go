package lanyard

import (
	"errors"
	"fmt"
)

// Error codes shared by every adapter. The HTTP layer maps each to one status.
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ETOOMANY      = "too_many_requests"
	EUNAVAILABLE  = "unavailable" // for now: retry in a moment
	EINTERNAL     = "internal"

	// EBodyTooLarge refuses a request body over the size its route takes.
	EBodyTooLarge = "body_too_large"
	// EKeyReused refuses a request whose Idempotency-Key an earlier,
	// different request of the same caller used (400, as the engine's
	// invalid for a reused key).
	EKeyReused = "idempotency_key_reused"
)

// Error is a domain error whose Message is safe to show a person.
type Error struct {
	// Code is a stable machine-readable code, one of the E* constants or a
	// more specific one (such as "session_full") that maps to the same status.
	Code string `json:"code"`
	// Message is shown to users as it is.
	Message string `json:"message"`
	// Field names the input field at fault ("name", "title"), when one is.
	Field string `json:"field,omitempty"`
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("lanyard: %s: %s", e.Code, e.Message)
}

// Is lets errors.Is match two domain errors by code, so that a wrapped
// Errorf("... %w", ErrNotFound-like) value matches its sentinel.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && (t.Message == "" || t.Message == e.Message)
}

// Errorf returns a domain error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err if it is (or wraps) a domain error, and
// EINTERNAL otherwise.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorField returns the field named by err if it is (or wraps) a domain
// error that names one, and "" otherwise.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// ErrorMessage returns the message of err if it is (or wraps) a domain error,
// and a generic message otherwise, so internal details never reach a user.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
