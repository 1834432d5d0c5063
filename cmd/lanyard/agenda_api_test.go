package main

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestAgendaAPIExtras reads GET /api/v1/me/agenda as a phone app would:
// beside the seats, the meetups, parties and booth events on the agenda
// page, by start, with their pages' addresses and the badge's words in
// the Accept-Language; an answer given through the API shows at once, and
// nobody sees another's.
func TestAgendaAPIExtras(t *testing.T) {
	dir := t.TempDir()
	base, _ := startCmd(t, "demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "demo.db"), "--attendees", "5", "--log-level", "warn")
	tokens := readTokens(t, filepath.Join(dir, "tokens.csv"))
	alice, bob := tokens["attendee00001@demo.lanyard.dev"], tokens["attendee00002@demo.lanyard.dev"]

	type extra struct {
		Kind, Code, Title, Label, Venue, Room, URL string
		Start, End                                 time.Time
	}
	agenda := func(token, lang string) []extra {
		t.Helper()
		req, _ := http.NewRequest("GET", base+"/api/v1/me/agenda", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Accept-Language", lang)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct{ Extras []extra }
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
			t.Fatalf("agenda: %d %v", resp.StatusCode, err)
		}
		return out.Extras
	}
	var parties struct {
		Parties []struct {
			Code       string
			InviteOnly bool `json:"invite_only"`
			Attending  bool
		}
	}
	getJSON(t, base+"/api/v1/parties", alice, 200, &parties)
	open := ""
	for _, p := range parties.Parties {
		if !p.InviteOnly && !p.Attending {
			open = p.Code
		}
	}
	if open == "" {
		t.Fatalf("the demo has no open party Alice is not going to: %+v", parties)
	}
	before := agenda(alice, "en")
	call(t, "POST", base+"/api/v1/parties/"+open+"/rsvp", alice, map[string]any{"languages": []string{"en"}}, nil, 200, nil)

	got := agenda(alice, "en")
	if len(got) != len(before)+1 {
		t.Fatalf("after the RSVP, %d extras; before, %d: %+v", len(got), len(before), got)
	}
	kinds := map[string]int{}
	var party *extra
	for i, x := range got {
		kinds[x.Kind]++
		if i > 0 && x.Start.Before(got[i-1].Start) {
			t.Errorf("extras not by start: %s before %s", got[i-1].Code, x.Code)
		}
		if !x.End.After(x.Start) || x.Title == "" || x.Label == "" || !strings.HasPrefix(x.URL, base+"/") {
			t.Errorf("extra %+v", x)
		}
		if x.Code == "PARTY-"+open {
			party = &got[i]
		}
	}
	if party == nil || party.Kind != "party" || party.URL != base+"/parties/"+open {
		t.Fatalf("the party answered through the API is not on the agenda: %+v", got)
	}
	if kinds["meetup"] == 0 {
		t.Errorf("the demo's meetup Alice goes to is missing: %+v", got)
	}
	// In Korean: the same entries, the page's Korean words.
	ko := agenda(alice, "ko-KR,ko;q=0.9,en;q=0.5")
	for i, x := range ko {
		if x.Code != got[i].Code || x.Label == got[i].Label {
			t.Errorf("Korean extra %d: %s %q, English %s %q", i, x.Code, x.Label, got[i].Code, got[i].Label)
		}
	}
	for _, x := range agenda(bob, "en") {
		if x.Code == "PARTY-"+open {
			t.Errorf("Bob's agenda has Alice's party")
		}
	}
	// Taken back, gone.
	call(t, "DELETE", base+"/api/v1/parties/"+open+"/rsvp", alice, nil, nil, 200, nil)
	if after := agenda(alice, "en"); len(after) != len(before) {
		t.Errorf("after leaving, %d extras, want %d", len(after), len(before))
	}
}
