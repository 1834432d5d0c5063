package main

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lanyard attendees import: a CSV with a mapping, invitations, the sign-up
// mode; a second run creates no one.
func TestAttendeesImportCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "att.db")
	if code, out, stderr := runCmd(t, "import", "--db", db, sharedData(t, "schedules/fosdem-2026.schedule.xml")); code != 0 {
		t.Fatalf("catalog import: exit %d, %s %s", code, out, stderr)
	}
	csv := "../../internal/registration/testdata/custom.csv"
	args := []string{"attendees", "import", "--db", db, "--map", "email=E-mail,name=Teilnehmer", "--map", "ticket_id=Ticket",
		"--invite", "--public-url", "https://fosdem.example", "--signup-mode", "invitation", csv}
	code, out, stderr := runCmd(t, args...)
	if code != 0 || !strings.Contains(out, "2 created, 0 updated") || !strings.Contains(out, "sign-up mode of") {
		t.Fatalf("first import: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	code, out, _ = runCmd(t, args...)
	if code != 0 || !strings.Contains(out, "0 created, 0 updated, 2 unchanged") {
		t.Fatalf("second import: exit %d\n%s", code, out)
	}
	code, out, stderr = runCmd(t, "attendees", "import", "--db", db, "../../internal/registration/testdata/bad.csv")
	if code != 1 || !strings.Contains(out, "row 3 (not-an-email): refused: field email") || !strings.Contains(stderr, "nothing was imported") {
		t.Fatalf("bad file: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	if code, _, stderr := runCmd(t, "attendees", "import", "--db", db, "--invite", csv); code != 1 || !strings.Contains(stderr, "--public-url") {
		t.Errorf("--invite without --public-url: exit %d, %s", code, stderr)
	}
}

// postFile posts a file as multipart to url with the given form fields.
func postFile(t *testing.T, url, token, path string, fields map[string]string) (int, map[string]any) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", filepath.Base(path))
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", url, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v map[string]any
	json.NewDecoder(resp.Body).Decode(&v)
	return resp.StatusCode, v
}

func TestAttendeesImportAPI(t *testing.T) {
	db := filepath.Join(t.TempDir(), "api.db")
	if code, out, stderr := runCmd(t, "import", "--db", db, sharedData(t, "schedules/fosdem-2026.schedule.xml")); code != 0 {
		t.Fatalf("catalog import: exit %d, %s %s", code, out, stderr)
	}
	if code, out, stderr := runCmd(t, "attendees", "import", "--db", db, "--map", "name=Teilnehmer,role=Rolle", "../../internal/registration/testdata/custom.csv"); code != 0 {
		t.Fatalf("attendees import: exit %d, %s %s", code, out, stderr)
	}
	_, orgTok, _ := runCmd(t, "token", "create", "--db", db, "--email", "margaret@example.org")
	_, attTok, _ := runCmd(t, "token", "create", "--db", db, "--email", "linus@example.org")
	orgTok, attTok = strings.TrimSpace(orgTok), strings.TrimSpace(attTok)
	base, _ := startCmd(t, "serve", "--db", db, "--addr", "127.0.0.1:0", "--log-level", "warn", "--public-url", "https://fosdem.example")
	url := base + "/api/v1/admin/attendees/import"
	pretix := "../../internal/registration/testdata/pretix.json"

	if code, _ := postFile(t, url, attTok, pretix, nil); code != http.StatusForbidden {
		t.Errorf("attendee's import: status %d, want 403", code)
	}
	code, v := postFile(t, url, orgTok, pretix, map[string]string{"dry_run": "1"})
	rep, _ := v["report"].(map[string]any)
	if code != 200 || rep["created"] != 4.0 || rep["dry_run"] != true {
		t.Fatalf("dry run: status %d, %v", code, v)
	}
	code, v = postFile(t, url, orgTok, pretix, map[string]string{"invite": "true"})
	rep, _ = v["report"].(map[string]any)
	if code != 200 || rep["created"] != 4.0 {
		t.Fatalf("import after the dry run: status %d, %v; want 4 created (the dry run wrote nothing)", code, v)
	}
	code, v = postFile(t, url, orgTok, "../../internal/registration/testdata/bad.csv", nil)
	rep, _ = v["report"].(map[string]any)
	errBody, _ := v["error"].(map[string]any)
	if code != http.StatusUnprocessableEntity || rep["refused"] != 3.0 || errBody["code"] != "invalid" {
		t.Fatalf("bad CSV: status %d, %v; want 422 with 3 refused rows", code, v)
	}
	code, v = postFile(t, url, orgTok, pretix, map[string]string{"map": "shoe=Size"})
	if errBody, _ := v["error"].(map[string]any); code != 400 || errBody["field"] != "map" {
		t.Errorf("bad mapping: status %d, %v; want 400 on field map", code, v)
	}

	req, _ := http.NewRequest("PUT", base+"/api/v1/admin/signup-mode", strings.NewReader(`{"signup_mode":"invitation"}`))
	req.Header.Set("Authorization", "Bearer "+orgTok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var mode struct {
		SignUpMode string `json:"signup_mode"`
	}
	getJSON(t, base+"/api/v1/admin/signup-mode", orgTok, 200, &mode)
	if resp.StatusCode != 200 || mode.SignUpMode != "invitation" {
		t.Errorf("sign-up mode: PUT %d, GET %q; want 200 and invitation", resp.StatusCode, mode.SignUpMode)
	}
}
