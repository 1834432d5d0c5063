package web

import (
	"net/http"
	"strings"
)

// The "Expo & people" hub (issue 14): one header link for everything about
// meeting people and places, so the header fits a laptop and a phone.
// Each entry's pages live in their own package (expo, leads' /privacy,
// contacts, meetup, party, swag); this page only links them.

// connectLink is one entry of the hub.
type connectLink struct {
	ID, Href, Title, Intro string
}

// connectLinks lists the hub's entries in the order an attendee meets
// them: the expo floor, people, gatherings, then their data.
var connectLinks = []struct{ id, href string }{
	{"expo", "/expo"},
	{"passport", "/passport"},
	{"contacts", "/contacts"},
	{"people", "/people"},
	{"meetups", "/meetups"},
	{"parties", "/parties"},
	{"lounges", "/lounges"},
	{"privacy", "/privacy"},
}

// inHub reports whether path (with its query) is the hub or one of the
// pages it links, or below one.
func inHub(path string) bool {
	path, _, _ = strings.Cut(path, "?")
	if path == "/connect" {
		return true
	}
	for _, l := range connectLinks {
		if path == l.href || strings.HasPrefix(path, l.href+"/") {
			return true
		}
	}
	return false
}

// connectPage is GET /connect.
func (h *Handler) connectPage(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "connect.title")
	links := make([]connectLink, 0, len(connectLinks))
	for _, l := range connectLinks {
		links = append(links, connectLink{ID: "connect-" + l.id, Href: l.href,
			Title: p.T("connect." + l.id + ".title"), Intro: p.T("connect." + l.id + ".intro")})
	}
	p.Data = links
	h.render(w, r, http.StatusOK, "connect", p)
}
