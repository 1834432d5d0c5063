package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lanyardhq/lanyard/internal/testenv"
)

// portrait returns a synthetic, well-lit face-sized image: a gradient with
// enough contrast to pass the photo checks.
func portrait(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := uint8(60 + (x*120)/w + (y*60)/h)
			img.Set(x, y, color.RGBA{v, uint8(int(v) * 9 / 10), uint8(int(v) * 8 / 10), 255})
		}
	}
	return img
}

func encode(t *testing.T, img image.Image, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	var err error
	if format == "png" {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// send makes one API request with a raw body and returns its status and body.
func send(t *testing.T, method, url, token, contentType string, body []byte) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, url, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}

// pdfPages reads a PDF's page count and page size with poppler's pdfinfo,
// or skips (locally) when poppler-utils is missing.
func pdfPages(t *testing.T, pdf []byte) (pages int, size string) {
	t.Helper()
	pdfinfo := testenv.LookPath(t, "pdfinfo", "apt-get install poppler-utils")
	path := filepath.Join(t.TempDir(), "x.pdf")
	os.WriteFile(path, pdf, 0o644)
	out, err := exec.Command(pdfinfo, path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	if m := regexp.MustCompile(`Pages:\s+(\d+)`).FindSubmatch(out); m != nil {
		pages, _ = strconv.Atoi(string(m[1]))
	}
	if m := regexp.MustCompile(`Page size:\s+(.+)`).FindSubmatch(out); m != nil {
		size = strings.TrimSpace(string(m[1]))
	}
	return pages, size
}

// TestBadgesEndToEnd uploads photos, fetches a badge, verifies its token as
// a scanner would, and prints every badge, over HTTP against the demo and
// with `lanyard badges`.
func TestBadgesEndToEnd(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	base, _ := startCmd(t, "demo", "--addr", "127.0.0.1:0", "--db", db, "--attendees", "12", "--log-level", "warn")
	tokens := readTokens(t, filepath.Join(dir, "tokens.csv"))
	attendee, other := tokens["attendee00001@demo.lanyard.dev"], tokens["attendee00002@demo.lanyard.dev"]
	organizer, staff, exhibitor := tokens["organizer@demo.lanyard.dev"], tokens["staff01@demo.lanyard.dev"], tokens["exhibitor01@demo.lanyard.dev"]
	for name, tok := range map[string]string{"attendee": attendee, "other": other, "organizer": organizer, "staff": staff, "exhibitor": exhibitor} {
		if tok == "" {
			t.Fatalf("no %s token in tokens.csv", name)
		}
	}

	// A JPEG as the body; a PNG as a multipart part named photo.jpg.
	status, body := send(t, "PUT", base+"/api/v1/me/photo", attendee, "image/jpeg", encode(t, portrait(900, 1200), "jpeg"))
	if status != 200 {
		t.Fatalf("upload JPEG: %d %s", status, body)
	}
	var ph struct {
		Format        string
		Width, Height int
		Flagged       bool
		Checks        []struct{ Code string }
	}
	json.Unmarshal(body, &ph)
	if ph.Format != "jpeg" || ph.Width != 900 || ph.Height != 1200 || ph.Flagged {
		t.Errorf("uploaded JPEG: %+v", ph)
	}
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	part, _ := mw.CreateFormFile("photo", "photo.jpg")
	part.Write(encode(t, portrait(600, 800), "png"))
	mw.Close()
	status, body = send(t, "PUT", base+"/api/v1/me/photo", other, mw.FormDataContentType(), form.Bytes())
	json.Unmarshal(body, &ph)
	if status != 200 || ph.Format != "png" {
		t.Errorf("a PNG named photo.jpg: %d %s", status, body)
	}
	stored := func(tok string) []byte {
		status, body := send(t, "GET", base+"/api/v1/me/photo", tok, "", nil)
		if status != 200 {
			t.Fatalf("GET photo: %d %s", status, body)
		}
		return body
	}
	before := stored(attendee)
	if cfg, format, err := image.DecodeConfig(bytes.NewReader(before)); err != nil || format != "jpeg" || cfg.Width != 600 || cfg.Height != 800 {
		t.Errorf("stored photo: %v %s %+v", err, format, cfg)
	}

	// Refusals say why and store nothing.
	for _, tc := range []struct {
		name   string
		body   []byte
		status int
		code   string
	}{
		{"text", []byte("hello, this is not an image"), 415, "photo_unsupported"},
		{"over 10 MB", bytes.Repeat([]byte{0xff}, 11<<20), 413, "photo_too_large"},
		{"truncated", encode(t, portrait(600, 800), "jpeg")[:2000], 422, "photo_corrupt"},
	} {
		status, body := send(t, "PUT", base+"/api/v1/me/photo", attendee, "application/octet-stream", tc.body)
		var e apiError
		json.Unmarshal(body, &e)
		if status != tc.status || e.Error.Code != tc.code || e.Error.Message == "" {
			t.Errorf("%s: %d %s; want %d %s", tc.name, status, body, tc.status, tc.code)
		}
		if !bytes.Equal(stored(attendee), before) {
			t.Errorf("%s: the stored photo changed", tc.name)
		}
	}

	// The badge: a 4 × 6 in PDF, and the token its QR code carries.
	status, pdf := send(t, "GET", base+"/api/v1/me/badge.pdf", attendee, "", nil)
	if status != 200 || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("badge.pdf: %d %.100s", status, pdf)
	}
	var tok struct{ Token string }
	call(t, "GET", base+"/api/v1/me/badge", attendee, nil, nil, 200, &tok)
	var who struct {
		AttendeeID int64 `json:"attendee_id"`
		Name, Type string
		Email      string
	}
	for _, scanner := range []string{staff, exhibitor, organizer} {
		call(t, "POST", base+"/api/v1/badges/verify", scanner, map[string]string{"token": tok.Token}, nil, 200, &who)
		if who.Name == "" || who.Type != "attendee" || who.Email != "" {
			t.Errorf("verified badge: %+v", who)
		}
	}
	call(t, "POST", base+"/api/v1/badges/verify", other, map[string]string{"token": tok.Token}, nil, 403, nil)
	altered := []byte(tok.Token)
	altered[len(altered)-3] ^= 1
	var e apiError
	call(t, "POST", base+"/api/v1/badges/verify", staff, map[string]string{"token": string(altered)}, nil, 400, &e)
	if e.Error.Code != "badge_invalid" {
		t.Errorf("altered token: %+v", e)
	}

	// The organizer's view: who lacks a photo, pick-up, all badges.
	var report struct {
		Attendees []struct {
			AttendeeID int64 `json:"attendee_id"`
			Status     string
		}
	}
	call(t, "GET", base+"/api/v1/admin/photos", organizer, nil, nil, 200, &report)
	for _, r := range report.Attendees {
		if r.AttendeeID == who.AttendeeID {
			t.Errorf("attendee with a good photo is in the report as %s", r.Status)
		}
	}
	if len(report.Attendees) == 0 {
		t.Error("nobody lacks a photo, yet only two uploaded")
	}
	call(t, "GET", base+"/api/v1/admin/photos", attendee, nil, nil, 403, nil)
	var st struct {
		PickedUpAt string `json:"picked_up_at"`
	}
	call(t, "POST", base+"/api/v1/admin/badges/"+strconv.FormatInt(who.AttendeeID, 10)+"/pickup", staff, nil, nil, 200, &st)
	if st.PickedUpAt == "" {
		t.Error("pick-up not recorded")
	}
	call(t, "POST", base+"/api/v1/admin/badges/"+strconv.FormatInt(who.AttendeeID, 10)+"/pickup", attendee, nil, nil, 403, nil)

	// A lost badge is replaced: its code stops working, the new one works.
	var replaced struct {
		Version    int
		PickedUpAt string `json:"picked_up_at"`
	}
	call(t, "POST", base+"/api/v1/admin/badges/"+strconv.FormatInt(who.AttendeeID, 10)+"/replace", staff, nil, nil, 200, &replaced)
	if replaced.Version != 2 || replaced.PickedUpAt != "" {
		t.Errorf("replaced badge: %+v", replaced)
	}
	call(t, "POST", base+"/api/v1/badges/verify", staff, map[string]string{"token": tok.Token}, nil, 404, nil)
	var fresh struct{ Token string }
	call(t, "GET", base+"/api/v1/me/badge", attendee, nil, nil, 200, &fresh)
	if fresh.Token == tok.Token {
		t.Error("the replacement badge carries the old code")
	}
	call(t, "POST", base+"/api/v1/badges/verify", exhibitor, map[string]string{"token": fresh.Token}, nil, 200, nil)
	status, zipped := send(t, "GET", base+"/api/v1/admin/badges.zip", organizer, "", nil)
	if status != 200 {
		t.Fatalf("all badges: %d %.200s", status, zipped)
	}
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil || len(zr.File) != 1 {
		t.Fatalf("all badges ZIP: %v, %d files", err, len(zr.File))
	}
	f, _ := zr.File[0].Open()
	all, _ := io.ReadAll(f)

	// The same from the command line: one file, then numbered files of --per-file.
	out := filepath.Join(dir, "all.pdf")
	code, stdout, stderr := runCmd(t, "badges", "--db", db, "--out", out)
	if code != 0 || !strings.Contains(stdout, "badges to") {
		t.Fatalf("lanyard badges: %d\n%s\n%s", code, stdout, stderr)
	}
	file, _ := os.ReadFile(out)
	code, stdout, stderr = runCmd(t, "badges", "--db", db, "--out", filepath.Join(dir, "part.pdf"), "--per-file", "10")
	if code != 0 || !strings.Contains(stdout, "4 files") {
		t.Fatalf("lanyard badges --per-file 10: %d\n%s\n%s", code, stdout, stderr)
	}
	last, _ := os.ReadFile(filepath.Join(dir, "part-004.pdf"))

	pages, size := pdfPages(t, pdf)
	if pages != 1 || !strings.HasPrefix(size, "288 x 432 pts") {
		t.Errorf("badge.pdf: %d pages of %q; want 1 of 288 x 432 pts (4 × 6 in)", pages, size)
	}
	people := 12 + 1 + 12 + 8 // attendees, the organizer, staff and exhibitors (internal/demo)
	for name, b := range map[string][]byte{"API": all, "lanyard badges": file} {
		if n, _ := pdfPages(t, b); n != people {
			t.Errorf("%s: %d pages for %d people", name, n, people)
		}
	}
	if n, _ := pdfPages(t, last); n != people-30 {
		t.Errorf("the last of four files of ten: %d pages; want %d", n, people-30)
	}
}
