package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestAPIEdges sends what the OpenAPI document rules out and checks each is
// refused with its status and code, by a real client over loopback.
func TestAPIEdges(t *testing.T) {
	dir := t.TempDir()
	base, _ := startCmd(t, "demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "demo.db"), "--attendees", "5", "--log-level", "warn")
	tokens := readTokens(t, filepath.Join(dir, "tokens.csv"))
	alice := tokens["attendee00001@demo.lanyard.dev"]

	type apiError struct {
		Error struct{ Code, Message, Field string }
	}
	for _, tt := range []struct {
		name, method, path, body string
		status                   int
		code, field              string
	}{
		{"limit 0", "GET", "/api/v1/sessions?limit=0", "", 400, "invalid", "limit"},
		{"limit over 500", "GET", "/api/v1/sessions?limit=501", "", 400, "invalid", "limit"},
		{"negative offset", "GET", "/api/v1/sessions?offset=-1", "", 400, "invalid", "offset"},
		{"wishlist null", "PUT", "/api/v1/me/wishlist", "null", 400, "invalid", ""},
		{"wishlist without sessions", "PUT", "/api/v1/me/wishlist", "{}", 400, "invalid", "sessions"},
		{"wishlist sessions null", "PUT", "/api/v1/me/wishlist", `{"sessions": null}`, 400, "invalid", "sessions"},
		{"reservations null", "POST", "/api/v1/reservations", "null", 400, "invalid", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var e apiError
			var body any
			if tt.body != "" {
				body = json.RawMessage(tt.body)
			}
			call(t, tt.method, base+tt.path, alice, body, nil, tt.status, &e)
			if e.Error.Code != tt.code || e.Error.Field != tt.field || e.Error.Message == "" {
				t.Errorf("error %+v, want code %q field %q and a message", e.Error, tt.code, tt.field)
			}
		})
	}
	// An empty list still clears the wishlist.
	call(t, "PUT", base+"/api/v1/me/wishlist", alice, json.RawMessage(`{"sessions": []}`), nil, 200, nil)

	// 12 MB from a client that, like most, sends its whole request before
	// it reads the answer: it must be able to send it all, then read the
	// 413. (Go's own client reads an early answer, so it would not notice a
	// connection closed under it.) Several on one connection: it stays
	// usable.
	big := append([]byte(`{"sessions": ["`), bytes.Repeat([]byte("x"), 12<<20)...)
	big = append(big, `"]}`...)
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rd := bufio.NewReader(conn)
	for i, tc := range []struct{ path, typ, code string }{
		{"/api/v1/me/wishlist", "application/json", "body_too_large"},
		{"/api/v1/me/wishlist", "application/json", "body_too_large"},
		{"/api/v1/me/photo", "image/jpeg", "photo_too_large"},
	} {
		head := fmt.Sprintf("PUT %s HTTP/1.1\r\nHost: lanyard\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n", tc.path, alice, tc.typ, len(big))
		conn.SetDeadline(time.Now().Add(time.Minute))
		if _, err := conn.Write(append([]byte(head), big...)); err != nil {
			t.Fatalf("sending 12 MB, try %d: %v", i+1, err)
		}
		resp, err := http.ReadResponse(rd, nil)
		if err != nil {
			t.Fatalf("reading the answer to 12 MB, try %d: %v", i+1, err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var e apiError
		if resp.StatusCode != http.StatusRequestEntityTooLarge || json.Unmarshal(data, &e) != nil || e.Error.Code != tc.code {
			t.Fatalf("12 MB body to %s: %d %s, want 413 %s", tc.path, resp.StatusCode, data, tc.code)
		}
	}
	// Without a Content-Length (chunked) the size is found while reading.
	req, _ := http.NewRequest("PUT", base+"/api/v1/me/wishlist", io.MultiReader(bytes.NewReader(big)))
	req.Header.Set("Authorization", "Bearer "+alice)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("chunked 12 MB body: %v", err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(data), "body_too_large") {
		t.Fatalf("chunked 12 MB body: %d %s, want 413 body_too_large", resp.StatusCode, data)
	}
}
