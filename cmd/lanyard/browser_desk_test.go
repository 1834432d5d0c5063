package main

import (
	"bufio"
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	badges "github.com/lanyardhq/lanyard/internal/badge"
)

// Desk camera video: 480×640 portrait frames at 5 a second, 2 s of a
// dark room, then 8 s of a lit face-like shape; Chromium loops it.
const (
	camW, camH  = 480, 640
	camFPS      = 5
	darkFrames  = 2 * camFPS
	brightFrame = 8 * camFPS
)

// writeDeskVideo writes the desk camera's video as Y4M (4:2:0, grey).
func writeDeskVideo(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "YUV4MPEG2 W%d H%d F%d:1 Ip A1:1 C420jpeg\n", camW, camH, camFPS)
	dark, lit := make([]byte, camW*camH), make([]byte, camW*camH)
	for y := range camH {
		for x := range camW {
			i := y*camW + x
			dark[i] = 18 + byte((x+y)%7) // a dim room: mean ~21 of 255
			// Lit: a background lighter at the top, a head, dark shoulders.
			v := 205 - 60*y/camH
			dx, dy := float64(x-camW/2)/(camW*0.22), (float64(y)-camH*0.4)/(camH*0.2)
			switch {
			case dx*dx+dy*dy < 1:
				v = 140 + int(30*dx)
			case y > camH*65/100 && x > camW/8 && x < camW*7/8:
				v = 45
			}
			lit[i] = byte(v)
		}
	}
	chroma := make([]byte, camW*camH/2) // U and V planes, neutral
	for i := range chroma {
		chroma[i] = 128
	}
	for n := range darkFrames + brightFrame {
		w.WriteString("FRAME\n")
		if n < darkFrames {
			w.Write(dark)
		} else {
			w.Write(lit)
		}
		w.Write(chroma)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserDesk is a staff member at the registration desk: they sign in
// with the demo's printed account, open an arriving attendee by typing
// their badge code as a wedge scanner does, start the webcam and see the
// live check say "too dark" on the dark frames and OK on the lit ones,
// take the photo (stored and shown), print the badge and mark it picked
// up; then find someone by name, and read the desk in Korean. Desktop and
// tablet widths; with LANYARD_SCREENSHOTS=dir it saves each view there.
func TestBrowserDesk(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium; skipped with -short")
	}
	dir := t.TempDir()
	video := filepath.Join(dir, "desk.y4m")
	writeDeskVideo(t, video)
	ctx := newCameraBrowser(t, video, 1280, 900)
	base, stdout := startCmd(t, "demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "demo.db"), "--attendees", "12", "--log-level", "warn")
	_, staff := consoleLogins(t, stdout.String())
	tokens := readTokens(t, filepath.Join(dir, "tokens.csv"))
	var arriving string // an attendee's email
	for email := range tokens {
		if strings.HasPrefix(email, "attendee") {
			arriving = email
			break
		}
	}
	var badge struct{ Token string }
	call(t, "GET", base+"/api/v1/me/badge", tokens[arriving], nil, nil, 200, &badge)
	var me struct{ Name string }
	call(t, "GET", base+"/api/v1/me", tokens[arriving], nil, nil, 200, &me)

	br := newTab(t, ctx, base)
	widths := map[string]int64{"desktop": 1280, "tablet": 800}
	br.signIn(staff, demoPassword, chromedp.WaitVisible(chromedp.ID("signout")))
	br.do("open the desk", chromedp.Navigate(base+"/desk"), chromedp.WaitVisible(chromedp.ID("scan-form")))
	for _, w := range []string{"desktop", "tablet"} {
		br.shoot("desk-find-en-"+w, widths[w])
	}
	br.do("resize", chromedp.EmulateViewport(1280, 900))
	if br.eval(`document.getElementById("scan-camera").hidden ? "hidden" : "shown"`) != "shown" {
		t.Error("the camera scan button is hidden though there is a camera")
	}

	// A wedge scanner types the badge's code and Enter.
	br.do("scan by wedge",
		chromedp.Focus(chromedp.ID("code")),
		chromedp.SendKeys(chromedp.ID("code"), badge.Token+"\r"),
		chromedp.WaitVisible(chromedp.ID("desk-attendee")),
	)
	if got := br.text("#attendee-name"); got != me.Name {
		t.Fatalf("the scan opened %q, want %q", got, me.Name)
	}

	// The live check: dark frames first, then lit ones.
	br.do("start the camera",
		chromedp.Click(chromedp.ID("cam-start")),
		poll(`document.getElementById("photo-live").dataset.state === "dark"`),
	)
	if got := br.text("#photo-live"); got != "Too dark: turn on the light" {
		t.Errorf("on the dark frames the desk says %q", got)
	}
	br.shoot("desk-photo-dark-en-desktop", 1280)
	br.do("wait for light", chromedp.EmulateViewport(1280, 900), poll(`document.getElementById("photo-live").dataset.state === "ok"`))
	if got := br.text("#photo-live"); got != "OK" {
		t.Errorf("on the lit frames the desk says %q", got)
	}
	br.do("take the photo",
		chromedp.Click(chromedp.ID("cam-capture")),
		poll(`document.getElementById("photo-result").textContent !== "" && !document.getElementById("photo-result").textContent.includes("…")`),
	)
	if got := br.text("#photo-result"); got != "Photo saved on the badge." {
		t.Errorf("after the capture the desk says %q (checks: %s)", got, br.eval(`document.getElementById("photo-checks").textContent`))
	}
	br.do("stored photo", poll(`document.getElementById("photo-img") && document.getElementById("photo-img").naturalWidth === 600`))
	for _, w := range []string{"desktop", "tablet"} {
		br.shoot("desk-photo-en-"+w, widths[w])
	}
	br.do("resize", chromedp.EmulateViewport(1280, 900))

	// Print: the page comes back with the badge's PDF to print, then the
	// badge is handed over.
	br.do("print",
		chromedp.Click(chromedp.ID("print-badge")),
		chromedp.WaitVisible(chromedp.ID("print-ready")),
	)
	if got := br.text("#badge-prints"); !strings.HasPrefix(got, "1 ") {
		t.Errorf("after printing, printed here: %q", got)
	}
	if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.getElementById("badge-pdf").href).then(r => r.headers.get("Content-Type"))`, chromedp.EvalAwaitPromise)); err != nil || got != "application/pdf" {
		t.Errorf("the badge to print is %q: %v", got, err)
	}
	br.do("pick up",
		chromedp.Click(chromedp.ID("pickup")),
		chromedp.WaitVisible(chromedp.CSS("#badge-pickup .pill.ok")),
	)
	if got := br.text("#badge-pickup"); !strings.Contains(got, "Picked up") || !strings.Contains(got, "by ") {
		t.Errorf("after pick-up the badge says %q", got)
	}
	if got := br.text("#reprint-warning"); !strings.Contains(got, "voids badge version 1") {
		t.Errorf("the reprint warning says %q", got)
	}
	for _, w := range []string{"desktop", "tablet"} {
		br.shoot("desk-picked-up-en-"+w, widths[w])
	}
	br.do("resize", chromedp.EmulateViewport(1280, 900))

	// By name: the first three letters of the family name.
	fam := strings.Fields(me.Name)
	q := fam[len(fam)-1]
	if len([]rune(q)) < 3 {
		q = me.Name
	}
	br.do("search",
		chromedp.Navigate(base+"/desk"),
		chromedp.SendKeys(chromedp.ID("q"), q+"\r"),
		chromedp.WaitVisible(chromedp.ID("desk-results")),
	)
	if got := br.text("#desk-results"); !strings.Contains(got, me.Name) {
		t.Errorf("searching %q lists %q", q, got)
	}

	// In Korean: the same pages, the live check's words too.
	br.do("korean", chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="ko"]`)))
	for _, w := range []string{"desktop", "tablet"} {
		br.shoot("desk-find-ko-"+w, widths[w])
	}
	br.do("korean desk page",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Click(chromedp.CSS("#desk-results a")),
		chromedp.WaitVisible(chromedp.ID("desk-attendee")),
		chromedp.Click(chromedp.ID("cam-start")),
		poll(`["dark", "ok"].includes(document.getElementById("photo-live").dataset.state)`),
	)
	if got := br.text("#photo-live"); got != "너무 어둡습니다: 조명을 켜세요" && got != "좋습니다" {
		t.Errorf("the live check in Korean says %q", got)
	}
	for _, w := range []string{"desktop", "tablet"} {
		br.shoot("desk-photo-ko-"+w, widths[w])
	}
}

// writePNGVideo writes a Y4M video whose frames show the QR code png, black
// on white, as a badge held up to the desk's camera.
func writePNGVideo(t *testing.T, path string, pngData []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(pngData))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	side := 360 // the code's size on screen
	y := make([]byte, camW*camH)
	for i := range y {
		y[i] = 235
	}
	x0, y0 := (camW-side)/2, (camH-side)/2
	for py := range side {
		for px := range side {
			c := color.GrayModel.Convert(img.At(b.Min.X+px*b.Dx()/side, b.Min.Y+py*b.Dy()/side)).(color.Gray)
			if c.Y < 128 {
				y[(y0+py)*camW+x0+px] = 16
			}
		}
	}
	chroma := bytes.Repeat([]byte{128}, camW*camH/2)
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "YUV4MPEG2 W%d H%d F%d:1 Ip A1:1 C420jpeg\n", camW, camH, camFPS)
	for range camFPS {
		buf.WriteString("FRAME\n")
		buf.Write(y)
		buf.Write(chroma)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserDeskScan scans an attendee's badge QR code with the desk's
// camera (Chromium's fake camera showing the code; BarcodeDetector where
// the browser has one, else the vendored jsQR) and lands on their page.
func TestBrowserDeskScan(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium; skipped with -short")
	}
	dir := t.TempDir()
	base, stdout := startCmd(t, "demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "demo.db"), "--attendees", "6", "--log-level", "warn")
	_, staff := consoleLogins(t, stdout.String())
	tokens := readTokens(t, filepath.Join(dir, "tokens.csv"))
	var arriving string
	for email := range tokens {
		if strings.HasPrefix(email, "attendee") {
			arriving = email
			break
		}
	}
	var me struct{ Name string }
	call(t, "GET", base+"/api/v1/me", tokens[arriving], nil, nil, 200, &me)
	var badge struct{ Token string }
	call(t, "GET", base+"/api/v1/me/badge", tokens[arriving], nil, nil, 200, &badge)
	qr, err := badges.QR(badge.Token)
	if err != nil {
		t.Fatal(err)
	}
	video := filepath.Join(dir, "qr.y4m")
	writePNGVideo(t, video, qr)
	ctx := newCameraBrowser(t, video, 1280, 900)
	br := newTab(t, ctx, base)
	br.signIn(staff, demoPassword, chromedp.WaitVisible(chromedp.ID("signout")))
	br.do("scan with the camera",
		chromedp.Navigate(base+"/desk"),
		chromedp.WaitVisible(chromedp.ID("scan-camera")),
		chromedp.Click(chromedp.ID("scan-camera")),
		chromedp.WaitVisible(chromedp.ID("desk-attendee")),
	)
	if got := br.text("#attendee-name"); got != me.Name {
		t.Errorf("the camera scan opened %q, want %q", got, me.Name)
	}
	// On a person's page no field has focus: a wedge scanner's keys, fast
	// and ending with Enter, are still taken as a scan. (Sent as DOM
	// events: keys sent over DevTools arrive too slowly on a loaded machine
	// to look like a scanner.)
	br.do("wedge on a person's page",
		void(chromedp.Evaluate[bool](`window.beforeWedge = true;
			for (const key of `+strconv.Quote(badge.Token)+`.split("").concat(["Enter"])) document.body.dispatchEvent(new KeyboardEvent("keydown", {key, bubbles: true}));
			true`)),
		chromedp.Sleep(time.Second),
		chromedp.WaitVisible(chromedp.ID("desk-attendee")),
	)
	if br.eval(`String(window.beforeWedge)`) != "undefined" {
		t.Error("a wedge scan on a person's page did not open the scanned badge")
	}
}
