package rush

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// Floor returns a handler that answers a rush without doing any of a
// server's work: no token check, no engine, no database. Every reservation
// and waitlist request is answered "reserved" from a buffer. Rushing it
// measures what the HTTP round trip alone costs on the machine through
// net/http, load generator included: the floor under each request's cost,
// so about the most requests per second a net/http server can reach there,
// and the most a ratio between two such servers can be when both are
// rushed on the same machine. (A leaner HTTP stack could go past it; it is
// measured in its own run, and the machine's speed drifts between runs.)
//
// It serves the event's slug (GET /api/v1/event) and its catalog (GET
// /api/v1/sessions) as given, so that the rush draws the same wishlists as
// against the real server.
func Floor(slug string, sessions []Session) http.Handler {
	mux := http.NewServeMux()
	answer := []byte(`{"results":[{"session":"","outcome":"reserved","warnings":[]}]}` + "\n")
	reserved := func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Type"] = []string{"application/json"}
		w.Write(answer)
	}
	mux.HandleFunc("POST /api/v1/reservations", reserved)
	mux.HandleFunc("POST /api/v1/waitlist/{code}", reserved)
	mux.HandleFunc("GET /api/v1/event", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(struct {
			Slug string `json:"slug"`
		}{slug})
	})
	mux.HandleFunc("GET /api/v1/sessions", func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		offset = min(max(offset, 0), len(sessions))
		end := len(sessions)
		if limit > 0 && limit < end-offset {
			end = offset + limit
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(struct {
			Total    int       `json:"total"`
			Sessions []Session `json:"sessions"`
		}{len(sessions), sessions[offset:end]})
	})
	return mux
}
