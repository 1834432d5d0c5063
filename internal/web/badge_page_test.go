package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestBadgePage: the page previews the printed badge, names the attendee
// beside the phone's QR code, and says one thing about each upload.
func TestBadgePage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.attendee("Hana Kim", "hana@example.com")
	c := e.signIn("hana@example.com")

	r := c.get("/photo")
	preview := r.body[strings.Index(r.body, `id="badge-preview"`):]
	preview = preview[:strings.Index(preview, "</figure>")]
	for _, want := range []string{`<div class="bp-band">Test Conf</div>`, `<p class="bp-name">Hana Kim</p>`, `<p class="bp-type">Attendee</p>`,
		`class="bp-initials"`, `HK</span>`, `src="/badge.png"`} {
		if !strings.Contains(preview, want) {
			t.Errorf("preview lacks %s:\n%s", want, preview)
		}
	}
	if got := byID(r.body, "qr-name"); got != "Hana Kim" {
		t.Errorf("name beside the QR code %q", got)
	}

	// A dark photo is saved with a problem: one message, not green and red.
	up := c.upload("dark.jpg", jpegOf(t, 600, 800, 10, 40))
	if up.status != http.StatusSeeOther {
		t.Fatalf("upload: %d", up.status)
	}
	page := c.get("/photo")
	if f := flash(page.body); f != "" {
		t.Errorf("a flagged photo also shows %q", f)
	}
	if strings.Contains(page.body, `id="photo-ok"`) || !strings.Contains(page.body, `id="photo-flagged"`) ||
		!strings.Contains(page.body, "Photo saved, but it may not print well:") || !strings.Contains(page.body, "Too dark: brightness") {
		t.Errorf("flagged photo page:\n%s", page.text())
	}
	if !strings.Contains(page.body, `id="photo-img"`) {
		t.Error("the preview does not show the photo")
	}

	// A refused upload shows its own problem only, not the stored photo's.
	bad := c.upload("notes.txt", []byte("just text"))
	if bad.status != http.StatusUnsupportedMediaType {
		t.Fatalf("refused upload: %d", bad.status)
	}
	if !strings.Contains(byID(bad.body, "photo-error"), "not a JPEG, PNG or WebP") {
		t.Errorf("refusal %q", byID(bad.body, "photo-error"))
	}
	if strings.Contains(bad.body, "Too dark") || strings.Contains(bad.body, `id="photo-checks"`) {
		t.Error("a refused upload shows the stored photo's old warnings")
	}
	if byID(bad.body, "photo-kept") == "" {
		t.Error("the page does not say the old photo is kept")
	}

	// A good photo is called good, once, in green.
	if up := c.upload("good.jpg", jpegOf(t, 900, 1200, 60, 170)); up.status != http.StatusSeeOther {
		t.Fatalf("good upload: %d", up.status)
	}
	page = c.get("/photo")
	if flash(page.body) != "Photo saved." || byID(page.body, "photo-ok") == "" || strings.Contains(page.body, `id="photo-flagged"`) {
		t.Errorf("good photo page: flash %q\n%s", flash(page.body), page.text())
	}

	// In Korean.
	c.header.Set("Accept-Language", "ko")
	if ko := c.get("/photo"); !strings.Contains(ko.body, "인쇄될 명찰") {
		t.Error("the preview is not titled in Korean")
	}
}
