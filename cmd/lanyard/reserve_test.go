package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// call sends a JSON request and decodes the JSON answer into v (if not nil).
func call(t *testing.T, method, url, token string, body any, header map[string]string, wantStatus int, v any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, val := range header {
		req.Header.Set(k, val)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != wantStatus {
		t.Fatalf("%s %s: status %d, want %d; body %s", method, url, resp.StatusCode, wantStatus, data)
	}
	if v != nil {
		if err := json.Unmarshal(data, v); err != nil {
			t.Fatalf("%s %s: %v in %s", method, url, err, data)
		}
	}
}

type seatResult struct {
	Session, Outcome string
	Already          bool
	Position         int
	Error            *struct{ Code, Message string }
	Warnings         []struct{ Code, Message string }
}

// TestReservationAPI reserves, waitlists, switches and cancels over HTTP
// against the demo, as the API's clients would.
func TestReservationAPI(t *testing.T) {
	dir := t.TempDir()
	base, _ := startCmd(t, "demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "demo.db"), "--attendees", "30", "--log-level", "warn")
	tokens := readTokens(t, filepath.Join(dir, "tokens.csv"))
	alice, bob := tokens["attendee00001@demo.lanyard.dev"], tokens["attendee00002@demo.lanyard.dev"]
	organizer, staff := tokens["organizer@demo.lanyard.dev"], tokens["staff01@demo.lanyard.dev"]
	if alice == "" || bob == "" || organizer == "" || staff == "" {
		t.Fatalf("tokens.csv lacks the demo's people: %d rows", len(tokens))
	}

	// Two repeats of one content, and a session with a few seats.
	var list struct {
		Sessions []struct {
			Code        string
			RepeatGroup string `json:"repeat_group"`
			SeatsLeft   int    `json:"seats_left"`
			Type        string
		}
	}
	getJSON(t, base+"/api/v1/sessions?type=chalk-talk&limit=500", "", 200, &list)
	groups := map[string][]string{}
	for _, s := range list.Sessions {
		if s.RepeatGroup != "" {
			groups[s.RepeatGroup] = append(groups[s.RepeatGroup], s.Code)
		}
	}
	var r1, r2 string
	for _, codes := range groups {
		if len(codes) >= 2 {
			r1, r2 = codes[0], codes[1]
			break
		}
	}
	if r1 == "" {
		t.Fatal("the demo has no repeated chalk talk")
	}

	var res struct{ Results []seatResult }
	key := map[string]string{"Idempotency-Key": "k1"}
	call(t, "POST", base+"/api/v1/reservations", alice, map[string]any{"sessions": []string{r1}}, key, 200, &res)
	if len(res.Results) != 1 || res.Results[0].Outcome != "reserved" {
		t.Fatalf("reserve: %+v", res.Results)
	}
	var one struct {
		SeatsLeft int `json:"seats_left"`
		Capacity  int
	}
	getJSON(t, base+"/api/v1/sessions/"+r1, "", 200, &one)
	before := one.SeatsLeft
	// A retry with the same key gets the same answer and no second seat.
	call(t, "POST", base+"/api/v1/reservations", alice, map[string]any{"sessions": []string{r1}}, key, 200, &res)
	getJSON(t, base+"/api/v1/sessions/"+r1, "", 200, &one)
	if one.SeatsLeft != before {
		t.Fatalf("retry changed seats left from %d to %d", before, one.SeatsLeft)
	}
	call(t, "POST", base+"/api/v1/reservations", alice, map[string]any{"sessions": []string{r2}}, nil, 200, &res)
	if res.Results[0].Error == nil || res.Results[0].Error.Code != "repeat_group_taken" {
		t.Fatalf("second repeat: %+v", res.Results[0])
	}
	call(t, "POST", base+"/api/v1/reservations/switch", alice, map[string]string{"from": r1, "to": r2}, nil, 200, &res)
	if len(res.Results) != 2 || res.Results[1].Outcome != "reserved" {
		t.Fatalf("switch: %+v", res.Results)
	}
	var agenda struct {
		Reservations []struct{ Session string }
		TimeZone     string `json:"time_zone"`
	}
	getJSON(t, base+"/api/v1/me/agenda", alice, 200, &agenda)
	if len(agenda.Reservations) != 1 || agenda.Reservations[0].Session != r2 || agenda.TimeZone != "America/Los_Angeles" {
		t.Fatalf("agenda after switch: %+v", agenda)
	}
	// Bob cannot see or cancel Alice's seat: his agenda is his own.
	getJSON(t, base+"/api/v1/me/agenda", bob, 200, &agenda)
	if len(agenda.Reservations) != 0 {
		t.Fatalf("bob sees %+v", agenda.Reservations)
	}
	var apiErr apiError
	call(t, "DELETE", base+"/api/v1/reservations/"+r2, bob, nil, nil, 404, &apiErr)
	if apiErr.Error.Code != "not_reserved" {
		t.Fatalf("bob cancelling: %+v", apiErr)
	}
	var cancel seatResult
	call(t, "DELETE", base+"/api/v1/reservations/"+r2, alice, nil, nil, 200, &cancel)
	if cancel.Outcome != "cancelled" {
		t.Fatalf("cancel: %+v", cancel)
	}

	// Bad input changes nothing and says why.
	for _, bad := range []struct {
		body   string
		status int
	}{
		{`{"sessions":[]}`, 400},
		{`{"sessions":["A","A"]}`, 400},
		{`{"sessions":"ARC"}`, 400},
		{`{"sesions":["ARC"]}`, 400},
		{`not json`, 400},
	} {
		req, _ := http.NewRequest("POST", base+"/api/v1/reservations", strings.NewReader(bad.body))
		req.Header.Set("Authorization", "Bearer "+alice)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e apiError
		json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if resp.StatusCode != bad.status || e.Error.Code != "invalid" || e.Error.Message == "" {
			t.Fatalf("%s: status %d, error %+v", bad.body, resp.StatusCode, e)
		}
	}
	call(t, "POST", base+"/api/v1/reservations", "", map[string]any{"sessions": []string{r1}}, nil, 401, nil)

	// Roles: attendees may not configure or scan; organizers and staff may.
	call(t, "GET", base+"/api/v1/admin/settings", alice, nil, nil, 403, nil)
	call(t, "POST", base+"/api/v1/door/"+r1+"/release", alice, nil, nil, 403, nil)
	var settings struct {
		MaxPerDay int `json:"max_per_day"`
	}
	call(t, "PUT", base+"/api/v1/admin/settings", organizer, map[string]int{"max_per_day": 4}, nil, 200, &settings)
	if settings.MaxPerDay != 4 {
		t.Fatalf("settings %+v", settings)
	}
	call(t, "PUT", base+"/api/v1/admin/settings", organizer, map[string]int{"max_per_day": -1}, nil, 400, nil)
	var windows struct{ Windows []struct{ ID int64 } }
	call(t, "GET", base+"/api/v1/admin/windows", organizer, nil, nil, 200, &windows)
	if len(windows.Windows) != 6 {
		t.Fatalf("demo windows: %+v", windows)
	}
	var waves struct{ Waves []struct{ Session string } }
	call(t, "GET", base+"/api/v1/admin/waves", organizer, nil, nil, 200, &waves)
	if len(waves.Waves) == 0 {
		t.Fatal("the demo's keynotes have no second-chance wave")
	}
	var me struct{ ID int64 }
	getJSON(t, base+"/api/v1/me", bob, 200, &me)
	call(t, "POST", base+"/api/v1/reservations", bob, map[string]any{"sessions": []string{r1}}, nil, 200, &res)
	// The demo runs four weeks from now: the door is not open yet (the
	// engine's tests check in inside the door's window).
	var door struct {
		Error struct{ Code, Message string }
	}
	call(t, "POST", base+"/api/v1/door/"+r1+"/checkin", staff, map[string]int64{"attendee_id": me.ID}, nil, 409, &door)
	if door.Error.Code != "door_not_open" {
		t.Fatalf("check-in four weeks early: %+v", door)
	}
	call(t, "POST", base+"/api/v1/door/"+r1+"/checkin", staff, map[string]int64{"attendee_id": 99999999}, nil, 404, nil)

	// One attendee flooding gets 429 with Retry-After.
	limited := 0
	for range 60 {
		req, _ := http.NewRequest("DELETE", base+"/api/v1/waitlist/"+r1, nil)
		req.Header.Set("Authorization", "Bearer "+tokens["attendee00003@demo.lanyard.dev"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == 429 {
			limited++
			if resp.Header.Get("Retry-After") == "" {
				t.Fatal("429 without Retry-After")
			}
		}
	}
	if limited == 0 {
		t.Fatal("60 writes in a burst were never limited")
	}
}
