package web

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"net/http"
	"slices"
)

// The attendee's day offline: a service worker (pocket/sw.js) keeps the
// signed-in attendee's own pages — the agenda, "now and next", the badge
// page and its QR code and photo — and the app's stylesheet and scripts, so
// they open between hotels without Wi-Fi. Pages go to the network first
// and fall back to the kept copy, which the page then marks "Offline: as
// of …" (pocket.js). Nothing of anyone else is ever kept: only the signed-in
// attendee's own URLs, and the copies are dropped when anyone signs in or
// out on the device. The worker is served from the root so that its scope
// covers every page.

//go:embed pocket/sw.js
var swSource []byte

// offlinePages are the paths the worker keeps: the attendee's own, each
// answered for the session's attendee only (no URL names anyone).
var offlinePages = []string{"/agenda", "/now", "/photo", "/badge.png", "/photo.jpg", "/contacts/qr", "/contacts/qr.png"} // contacts (issue 14): the personal QR

// serviceWorker serves the worker with the versioned URLs of the app's
// static files to keep; its cache's name changes with them, so a new
// release drops the old copies.
func (h *Handler) serviceWorker(w http.ResponseWriter, r *http.Request) {
	body := h.swBody()
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	// Browsers check for a new worker on navigation; never serve a stale one.
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(body)
}

func (h *Handler) swBody() []byte {
	h.swMu.Lock()
	defer h.swMu.Unlock()
	if h.sw != nil {
		return h.sw
	}
	var shell []string
	for _, u := range h.staticURLs {
		shell = append(shell, u)
	}
	slices.Sort(shell)
	shellJSON, _ := json.Marshal(shell)
	pagesJSON, _ := json.Marshal(offlinePages)
	version := contentVersion(append(append(slices.Clone(swSource), shellJSON...), pagesJSON...))
	b := bytes.ReplaceAll(swSource, []byte(`"__VERSION__"`), []byte(`"`+version+`"`))
	b = bytes.ReplaceAll(b, []byte(`["__SHELL__"]`), shellJSON)
	b = bytes.ReplaceAll(b, []byte(`["__PAGES__"]`), pagesJSON)
	h.sw = b
	return b
}
