package web

import "testing"

// The header's People link shows the visitor is on one of its pages.
func TestInHub(t *testing.T) {
	for path, want := range map[string]bool{
		"/connect": true, "/contacts": true, "/contacts/scan?at=booth:acme": true, "/meetups/3": true,
		"/expo": true, "/expo/acme": true, "/parties/gala": true, "/passport": true,
		"/agenda": false, "/": false, "/expose": false, "/contactsx": false,
	} {
		if got := inHub(path); got != want {
			t.Errorf("inHub(%q) = %v", path, got)
		}
	}
}
