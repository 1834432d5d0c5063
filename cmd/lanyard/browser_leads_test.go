package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/lanyardhq/lanyard/internal/badge"
	"github.com/lanyardhq/lanyard/internal/demo"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
)

// writeQRSequence writes a Y4M video (5 fps, looped by Chromium's fake
// camera) showing each token's QR code for two seconds, then a second of
// nothing: badges held up to a booth's phone one after another.
func writeQRSequence(t *testing.T, path string, tokens []string) {
	t.Helper()
	const w, h, fps = 480, 640, 5
	blank := bytes.Repeat([]byte{235}, w*h)
	chroma := bytes.Repeat([]byte{128}, w*h/2)
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "YUV4MPEG2 W%d H%d F%d:1 Ip A1:1 C420jpeg\n", w, h, fps)
	frames := func(y []byte, n int) {
		for range n {
			buf.WriteString("FRAME\n")
			buf.Write(y)
			buf.Write(chroma)
		}
	}
	for _, tok := range tokens {
		q, err := qrcode.New(tok, qrcode.Medium)
		if err != nil {
			t.Fatal(err)
		}
		img := q.Image(360)
		y := bytes.Clone(blank)
		x0, y0 := (w-360)/2, (h-360)/2
		for py := range 360 {
			for px := range 360 {
				if color.GrayModel.Convert(img.At(img.Bounds().Min.X+px, img.Bounds().Min.Y+py)).(color.Gray).Y < 128 {
					y[(y0+py)*w+x0+px] = 16
				}
			}
		}
		frames(y, 2*fps)
		frames(blank, fps)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserLeads is an exhibitor's day at the booth and one attendee's
// change of mind: the exhibitor scans three badges with the phone's camera
// (Chromium's fake camera), the first with no network (queued on the
// device, uploaded when it returns), rates and tags the three, exports
// CSV; then one of them withdraws consent on /privacy and is gone from the
// exhibitor's list and export.
func TestBrowserLeads(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "demo.db")
	base, _ := startCmd(t, "demo", "--addr", "127.0.0.1:0", "--db", dbPath, "--attendees", "40", "--log-level", "warn")
	ctx := context.Background()
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ev, err := db.FindEventBySlug(ctx, demo.Slug)
	if err != nil {
		t.Fatal(err)
	}
	people, err := db.ListAttendees(ctx, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The demo's exhibitor account with a company (and the demo's leads),
	// and three attendees it has not scanned yet.
	var staff *lanyard.Attendee
	var company lanyard.Exhibitor
	for _, a := range people {
		if a.Role != lanyard.RoleExhibitor {
			continue
		}
		if x, err := db.ExhibitorOf(ctx, ev.ID, a.ID); err == nil {
			staff, company = a, x
			break
		}
	}
	if staff == nil {
		t.Fatal("the demo has no exhibitor account with a company")
	}
	if err := setDemoPassword(ctx, db, ev.ID, staff.Email); err != nil {
		t.Fatal(err)
	}
	held, err := db.Leads(ctx, ev.ID, company.ID, store.LeadFilter{})
	if err != nil || len(held) == 0 {
		t.Fatalf("the demo's leads: %d %v", len(held), err)
	}
	badges := &badge.Service{DB: db, Event: ev}
	var visitors []*lanyard.Attendee
	var tokens []string
	for _, a := range people[10:] {
		if a.Role != lanyard.RoleAttendee || slices.ContainsFunc(held, func(l lanyard.Lead) bool { return l.AttendeeID == a.ID }) {
			continue
		}
		tok, _, err := badges.Token(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		visitors, tokens = append(visitors, a), append(tokens, tok)
		if len(visitors) == 3 {
			break
		}
	}
	video := filepath.Join(dir, "badges.y4m")
	writeQRSequence(t, video, tokens)

	b := newTab(t, newCameraBrowser(t, video, 480, 900), base)
	b.signIn(staff.Email, demoPassword, chromedp.WaitVisible(chromedp.ID("signout")))
	// The camera starts off (as the staff member left it), the page loads,
	// then the network goes.
	b.do("the scanner, camera off",
		chromedp.Navigate(base+"/exhibitor/leads"),
		void(chromedp.Evaluate[bool](`localStorage.setItem("leads-camera", "off"); true`)),
		chromedp.Navigate(base+"/exhibitor/leads/scan"),
		poll(`document.getElementById("leads-scan").dataset.ready === "1"`),
		// Opened online: its service worker is installed before the network goes.
		void(chromedp.Poll[bool](`document.getElementById("leads-scan").dataset.worker === "1"`, chromedp.WithPollingTimeout(2*time.Minute))),
	)
	b.accessible("lead scanner")
	b.do("offline: the camera reads a badge, queued on the device",
		setOffline(true),
		poll(`document.getElementById("net").dataset.state === "offline"`),
		chromedp.Click(chromedp.ID("leads-camera")),
		poll(`Number(document.getElementById("leads-queue").dataset.n) >= 1`),
		chromedp.Click(chromedp.ID("leads-camera")),
		poll(`document.getElementById("leads-scan").dataset.camera === "off"`),
	)
	b.capture("leads-offline", 480, 900)
	if n, _ := db.Leads(ctx, ev.ID, company.ID, store.LeadFilter{}); len(n) != len(held) {
		t.Errorf("offline, the server has %d leads, want still %d", len(n), len(held))
	}
	t.Logf("camera decoder: %s", b.eval(`document.getElementById("leads-scan").dataset.decoder`))
	b.do("online: the queue uploads, then the camera reads the others",
		setOffline(false),
		poll(`document.getElementById("leads-queue").dataset.n === "0" && document.querySelector('#leads-recent li[data-state="created"]') !== null`),
		chromedp.Click(chromedp.ID("leads-camera")),
		poll(`new Set([...document.querySelectorAll('#leads-recent li[data-state="created"]')].map(li => li.dataset.lead)).size >= 3`),
		chromedp.Click(chromedp.ID("leads-camera")),
	)
	b.capture("leads-scanned", 480, 900)
	// Reopened with no network, the scanner comes from its service worker's
	// cache and still queues; the scan uploads when the network returns.
	b.do("the service worker keeps the scanner", poll(`document.getElementById("leads-scan").dataset.worker === "1"`),
		poll(`caches.keys().then(k => k.includes("lanyard-leads-1"))`))
	waitCached := `caches.open("lanyard-leads-1").then(c => c.keys()).then(k => k.length)`
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		n, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](waitCached, chromedp.EvalAwaitPromise))
		if n >= 5 {
			break
		}
	}
	b.do("reopen offline",
		setOffline(true),
		chromedp.Navigate(base+"/exhibitor/leads/scan"),
		poll(`document.getElementById("leads-scan") && document.getElementById("leads-scan").dataset.ready === "1"`),
		void(chromedp.Evaluate[bool](`window.leadsScan(`+strconv.Quote(tokens[0])+`); true`)),
		poll(`document.getElementById("leads-queue").dataset.n === "1"`),
		setOffline(false),
		poll(`document.getElementById("leads-queue").dataset.n === "0" && document.querySelector('#leads-recent li[data-state="exists"]') !== null`),
	)
	leads, err := db.Leads(ctx, ev.ID, company.ID, store.LeadFilter{})
	if err != nil || len(leads) != len(held)+3 {
		t.Fatalf("after scanning: %d leads (%v), want %d", len(leads), err, len(held)+3)
	}
	ids := map[int64]int64{} // attendee → lead
	for _, l := range leads {
		ids[l.AttendeeID] = l.ID
	}
	// Rate and tag the three on their pages.
	for i, v := range visitors {
		id, ok := ids[v.ID]
		if !ok {
			t.Fatalf("no lead for %s", v.Name)
		}
		tags := []string{"hot, java", "cold", "hot"}[i]
		b.do("rate and tag "+v.Name,
			chromedp.Navigate(fmt.Sprintf("%s/exhibitor/leads/%d", base, id)),
			chromedp.WaitVisible(chromedp.ID("lead-form")),
			chromedp.Click(chromedp.ID(fmt.Sprintf("rating-%d", 5-i))),
			chromedp.SendKeys(chromedp.ID("tags"), tags),
			chromedp.SendKeys(chromedp.ID("notes"), "Met at the booth"),
			chromedp.Click(chromedp.ID("lead-save")),
			chromedp.WaitVisible(chromedp.ID("flash")),
		)
	}
	b.do("the list, filtered by tag",
		chromedp.Navigate(base+"/exhibitor/leads?tag=hot"),
		chromedp.WaitVisible(chromedp.ID("leads-table")),
	)
	b.accessible("leads list")
	b.shoot("leads-list", 1280)
	exportCSV := func() map[string][]string {
		t.Helper()
		href := b.eval(`document.getElementById("export-csv") ? "/exhibitor/leads.csv" : ""`)
		if href == "" {
			t.Fatal("no export link")
		}
		body, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`fetch("/exhibitor/leads.csv").then(r => r.text())`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatalf("csv %q: %v", body, err)
		}
		out := map[string][]string{}
		for _, r := range rows[1:] {
			out[r[1]] = r
		}
		return out
	}
	b.do("back to all leads", chromedp.Navigate(base+"/exhibitor/leads"), chromedp.WaitVisible(chromedp.ID("export-csv")))
	rows := exportCSV()
	for i, v := range visitors {
		r, ok := rows[v.Name]
		wantTags := []string{"hot; java", "cold", "hot"}[i]
		if !ok || r[7] != fmt.Sprint(5-i) || r[8] != wantTags || r[9] != "Met at the booth" {
			t.Errorf("csv row of %s: %v, want rating %d tags %q", v.Name, r, 5-i, wantTags)
		}
	}
	if len(rows) != len(held)+3 {
		t.Errorf("csv has %d leads, want %d", len(rows), len(held)+3)
	}

	// The second visitor changes their mind.
	quitter := visitors[1]
	if err := setDemoPassword(ctx, db, ev.ID, quitter.Email); err != nil {
		t.Fatal(err)
	}
	b.do("sign out", chromedp.EmulateViewport(1280, 900), chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.CSS(`a[href^="/signin"]`)))
	b.signIn(quitter.Email, demoPassword, chromedp.WaitVisible(chromedp.ID("signout")))
	b.do("settings: the sharing section", chromedp.Navigate(base+"/settings"), chromedp.WaitVisible(chromedp.ID("sharing")))
	b.shoot("settings-sharing", 390)
	b.do("privacy", chromedp.Navigate(base+"/privacy"), chromedp.WaitVisible(chromedp.ID("withdraw-"+company.Code)))
	b.accessible("privacy")
	b.shoot("privacy", 390)
	b.do("withdraw", chromedp.Click(chromedp.ID("withdraw-"+company.Code)), chromedp.WaitVisible(chromedp.ID("withdrawn")))
	if got := b.text("#flash"); !regexp.MustCompile(`(?i)withdrawn`).MatchString(got) {
		t.Errorf("flash after withdrawing: %q", got)
	}
	b.do("sign out", chromedp.EmulateViewport(1280, 900), chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.CSS(`a[href^="/signin"]`)))
	b.signIn(staff.Email, demoPassword, chromedp.WaitVisible(chromedp.ID("signout")))
	b.do("the list after", chromedp.Navigate(base+"/exhibitor/leads"), chromedp.WaitVisible(chromedp.ID("export-csv")))
	if strings.Contains(b.text("#main"), quitter.Name) {
		t.Errorf("the list still shows %s", quitter.Name)
	}
	rows = exportCSV()
	if _, ok := rows[quitter.Name]; ok || len(rows) != len(held)+2 {
		t.Errorf("after the withdrawal the export has %d rows, %s in it: %v", len(rows), quitter.Name, ok)
	}
}
