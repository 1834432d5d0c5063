package respond

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

func TestError(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		status     int
		code, text string
	}{
		{"not found", lanyard.Errorf(lanyard.ENOTFOUND, "No session %q.", "X"), 404, "not_found", `No session "X".`},
		{"wrapped invalid", fmt.Errorf("api: parse: %w", lanyard.Errorf(lanyard.EINVALID, "Bad level.")), 400, "invalid", "Bad level."},
		{"unauthorized", lanyard.Errorf(lanyard.EUNAUTHORIZED, "No token."), 401, "unauthorized", "No token."},
		{"internal hides detail", errors.New("pq: password=secret"), 500, "internal", "Internal error."},
		{"unknown code is internal", lanyard.Errorf("made_up", "x"), 500, "internal", "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			Error(w, httptest.NewRequest("GET", "/x", nil), slog.New(slog.NewTextHandler(io.Discard, nil)), tt.err)
			if got := w.Code; got != tt.status {
				t.Fatalf("status=%d, want %d", got, tt.status)
			}
			var body ErrorBody
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if body.Error.Code != tt.code || body.Error.Message != tt.text {
				t.Fatalf("body=%+v, want code %q message %q", body.Error, tt.code, tt.text)
			}
			if tt.status == http.StatusUnauthorized && w.Header().Get("WWW-Authenticate") == "" {
				t.Fatal("401 without WWW-Authenticate")
			}
		})
	}
}
