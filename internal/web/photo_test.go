package web_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// upload posts a file as the photo form does.
func (c *client) upload(name string, data []byte, header ...string) *resp {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, _ := mw.CreateFormFile("photo", name)
	part.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.e.srv.URL+"/photo", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return c.do(req)
}

func jpegOf(t *testing.T, w, h int, light, spread int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := uint8(min(255, light+(x*spread*3/4)/w+(y*spread/4)/h))
			img.Set(x, y, color.RGBA{v, v, uint8(int(v) * 9 / 10), 255})
		}
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
	return buf.Bytes()
}

func TestPhotoPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.attendee("Hana Kim", "hana@example.com")
	e.attendee("Other", "other@example.com")
	c := e.signIn("hana@example.com")

	if r := e.client().get("/photo"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/signin") {
		t.Errorf("signed out: %d %s", r.status, r.location())
	}
	if r := c.get("/photo"); r.status != http.StatusOK || byID(r.body, "photo-none") == "" {
		t.Fatalf("no photo yet: %d", r.status)
	}
	if r := c.get("/photo.jpg"); r.status != http.StatusNotFound {
		t.Errorf("photo.jpg before upload: %d", r.status)
	}

	// A dark photo is stored but flagged, with the measured value, in Korean too.
	r := c.upload("dark.jpg", jpegOf(t, 600, 800, 10, 40))
	if r.status != http.StatusSeeOther || r.location() != "/photo" {
		t.Fatalf("upload: %d %s\n%s", r.status, r.location(), r.text())
	}
	page := c.get("/photo")
	if checks := byID(page.body, "photo-checks"); !strings.Contains(checks, "Too dark: brightness") {
		t.Errorf("checks of a dark photo: %q", checks)
	}
	c.header.Set("Accept-Language", "ko")
	if checks := byID(c.get("/photo").body, "photo-checks"); !strings.Contains(checks, "너무 어둡습니다") {
		t.Errorf("checks in Korean: %q", checks)
	}
	c.header.Del("Accept-Language")

	// A good one replaces it.
	if r := c.upload("good.jpg", jpegOf(t, 900, 1200, 60, 170)); r.status != http.StatusSeeOther {
		t.Fatalf("good upload: %d\n%s", r.status, r.text())
	}
	if ok := byID(c.get("/photo").body, "photo-ok"); ok == "" {
		t.Error("a good photo is not called good")
	}
	img := c.get("/photo.jpg")
	if cfg, format, err := image.DecodeConfig(strings.NewReader(img.body)); err != nil || format != "jpeg" || cfg.Width != 600 || cfg.Height != 800 {
		t.Errorf("stored photo: %v %s %+v", err, format, cfg)
	}

	// Refused uploads keep the stored photo and say why next to the form.
	for _, tc := range []struct {
		name   string
		data   []byte
		status int
		says   string
	}{
		{"notes.txt", []byte("just text"), http.StatusUnsupportedMediaType, "not a JPEG, PNG or WebP"},
		{"cut.jpg", jpegOf(t, 600, 800, 60, 170)[:1500], http.StatusUnprocessableEntity, "damaged or cut short"},
		{"empty.jpg", nil, http.StatusUnprocessableEntity, "Choose a photo first."},
	} {
		r := c.upload(tc.name, tc.data)
		if r.status != tc.status || !strings.Contains(byID(r.body, "photo-error"), tc.says) {
			t.Errorf("%s: %d %q; want %d saying %q", tc.name, r.status, byID(r.body, "photo-error"), tc.status, tc.says)
		}
	}
	if again := c.get("/photo.jpg"); again.body != img.body {
		t.Error("a refused upload changed the stored photo")
	}
	if r := c.upload("big.jpg", bytes.Repeat([]byte{0xff}, 11<<20)); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("11 MB: %d", r.status)
	}
	// Cross-site uploads are refused.
	if r := c.upload("good.jpg", jpegOf(t, 600, 800, 60, 170), "Sec-Fetch-Site", "cross-site"); r.status != http.StatusForbidden {
		t.Errorf("cross-site upload: %d", r.status)
	}

	// The badge's QR code for the phone's screen.
	if qr := c.get("/badge.png"); qr.status != http.StatusOK || !strings.HasPrefix(qr.body, "\x89PNG") {
		t.Errorf("badge.png: %d", qr.status)
	}

	// The badge, and nobody else's photo.
	if pdf := c.get("/badge.pdf"); pdf.status != http.StatusOK || !strings.HasPrefix(pdf.body, "%PDF-") {
		t.Errorf("badge.pdf: %d %.20q", pdf.status, pdf.body)
	}
	if r := e.signIn("other@example.com").get("/photo.jpg"); r.status != http.StatusNotFound {
		t.Errorf("another attendee's /photo.jpg: %d; want 404 (they have none)", r.status)
	}
}
