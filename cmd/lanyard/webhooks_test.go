package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// An organizer registers a webhook over the API; a reservation made over
// the API reaches a receiver on loopback (allowed by
// --webhook-allow-private), signed so the reference library verifies it.
func TestWebhooksEndToEnd(t *testing.T) {
	dir := t.TempDir()
	base, _ := startCmd(t, "demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "demo.db"), "--attendees", "30",
		"--log-level", "warn", "--webhook-allow-private")
	tokens := readTokens(t, filepath.Join(dir, "tokens.csv"))
	alice, organizer := tokens["attendee00001@demo.lanyard.dev"], tokens["organizer@demo.lanyard.dev"]

	var mu sync.Mutex
	var verified []string // event types whose signature verified
	bad := 0
	var verifier *standardwebhooks.Webhook
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if verifier == nil || verifier.Verify(body, r.Header) != nil {
			bad++
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		var p struct {
			Type string
			Data struct{ Session string }
		}
		json.Unmarshal(body, &p)
		verified = append(verified, p.Type+" "+p.Data.Session)
	}))
	defer srv.Close()

	var apiErr struct{ Error struct{ Code, Field string } }
	call(t, "POST", base+"/api/v1/admin/webhooks", organizer, map[string]any{"url": "gopher://x", "events": []string{"reservation.created"}}, nil, 400, &apiErr)
	if apiErr.Error.Field != "url" {
		t.Errorf("bad url: field %q, want url", apiErr.Error.Field)
	}
	call(t, "POST", base+"/api/v1/admin/webhooks", alice, map[string]any{"url": srv.URL, "events": []string{"reservation.created"}}, nil, 403, nil)

	var ep struct {
		ID     int64
		Secret string
	}
	call(t, "POST", base+"/api/v1/admin/webhooks", organizer, map[string]any{"url": srv.URL + "/hook", "description": "test",
		"events": []string{"reservation.created", "reservation.cancelled"}}, nil, 201, &ep)
	if !strings.HasPrefix(ep.Secret, "whsec_") {
		t.Fatalf("secret %q", ep.Secret)
	}
	v, err := standardwebhooks.NewWebhook(ep.Secret)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	verifier = v
	mu.Unlock()

	var list struct{ Sessions []struct{ Code string } }
	getJSON(t, base+"/api/v1/sessions?type=chalk-talk&limit=1", "", 200, &list)
	if len(list.Sessions) == 0 {
		t.Fatal("no session")
	}
	var res struct{ Results []seatResult }
	call(t, "POST", base+"/api/v1/reservations", alice, map[string]any{"sessions": []string{list.Sessions[0].Code}}, nil, 200, &res)
	if res.Results[0].Outcome != "reserved" {
		t.Fatalf("reserve: %+v", res.Results[0])
	}
	deadline := time.Now().Add(time.Minute)
	for {
		mu.Lock()
		n := len(verified)
		mu.Unlock()
		if n > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	mu.Lock()
	got, nbad := strings.Join(verified, ","), bad
	mu.Unlock()
	if want := "reservation.created " + list.Sessions[0].Code; got != want || nbad != 0 {
		t.Fatalf("receiver verified %q (%d bad), want %q", got, nbad, want)
	}
	var ds struct {
		Deliveries []struct{ State, Type string }
	}
	getJSON(t, base+"/api/v1/admin/webhooks/"+itoa(ep.ID)+"/deliveries", organizer, 200, &ds)
	if len(ds.Deliveries) != 1 || ds.Deliveries[0].Type != "reservation.created" {
		t.Fatalf("deliveries=%+v", ds.Deliveries)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
