package main

import (
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/emersion/go-vcard"
)

// TestBrowserContacts is two attendees exchanging contacts at the demo:
// Bo shows his personal QR (kept on his phone for when it is offline); Ada, offline, scans it with her phone's
// camera (the shared scanner), sees the scan kept on her phone, comes
// back online and the queue syncs; a typed code that is no badge is
// refused; Bo (two-way, the default) gets Ada's card too. Each
// downloads the other's vCard, read back with go-vcard: it carries only
// what the other chose to share.
func TestBrowserContacts(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium; skipped with -short")
	}
	dir := t.TempDir()
	base, _ := startCmd(t, "demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "demo.db"), "--attendees", "40", "--log-level", "warn")
	bo := newTab(t, newBrowser(t), base)
	bo.signUp("Bo Kim", "bo@example.com", "Asia/Seoul", "sturdy-lantern-42")

	// Bo's personal QR: an image, and the link it carries.
	bo.do("open my QR", chromedp.Navigate(base+"/contacts/qr"), chromedp.WaitVisible(chromedp.ID("contacts-qr-img")),
		poll(`document.getElementById("contacts-qr-img").complete && document.getElementById("contacts-qr-img").naturalWidth > 100`))
	bo.shoot("contacts-qr", 390)
	link := bo.eval(`document.getElementById("contacts-qr-code").dataset.link`)
	if !strings.Contains(link, "/contacts/scan?code=LY1") {
		t.Fatalf("Bo's QR link is %q", link)
	}
	if got := bo.text("#contacts-qr-mode"); !strings.Contains(got, "Two-way") {
		t.Fatalf("Bo's exchange mode: %q", got)
	}

	// Bo's phone keeps his QR for when it is offline.
	quick := func(cond string) chromedp.Action[chromedp.Void] {
		return void(chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(30*time.Second)))
	}
	bo.do("a service worker runs", quick(`!!navigator.serviceWorker && !!navigator.serviceWorker.controller`))
	// The worker keeps both the page and its image (the pocket test shows
	// a kept page served with the server gone).
	bo.do("the QR is kept", chromedp.Navigate(base+"/contacts/qr"), chromedp.WaitVisible(chromedp.ID("contacts-qr-img")),
		quick(`window.__kept === true || (caches.keys().then(ks => Promise.all(ks.map(k => caches.open(k).then(c => Promise.all([c.match("/contacts/qr"), c.match("/contacts/qr.png")]))))).then(r => window.__kept = r.some(p => p[0] && p[1])), false)`))
	if got := bo.eval(`document.getElementById("contacts-qr-code").dataset.link`); got != link {
		t.Fatalf("Bo's QR offline carries %q, want %q", got, link)
	}

	// Ada's phone camera sees Bo's QR (the fake camera plays it).
	video := filepath.Join(dir, "bo-qr.mjpeg")
	writeQRVideo(t, video, link)
	ada := newTab(t, newCameraBrowser(t, video, 1280, 900), base)
	ada.signUp("Ada Lovelace", "ada@example.com", "Europe/London", "sturdy-lantern-41")
	ada.do("open the scanner", chromedp.Navigate(base+"/contacts/scan"), chromedp.WaitVisible(chromedp.ID("scan-form")),
		poll(`!document.getElementById("scan-camera").hidden`))
	ada.shoot("contacts-scan", 390)
	// Offline, she scans it with the camera: the scan waits on her phone.
	ada.do("scan offline",
		setOffline(true),
		chromedp.Click(chromedp.ID("scan-camera")),
		poll(`!document.getElementById("scan-queue").hidden && document.getElementById("scan-queue").textContent.startsWith("1 ")`),
		poll(`document.getElementById("scan-status").textContent.startsWith("Offline")`),
		chromedp.Click(chromedp.ID("scan-camera")), // off
	)
	// Back online: the queue is sent. Then a code typed by hand (a
	// handheld scanner types the same way) that is no badge is refused,
	// and nothing stays queued.
	ada.do("sync online",
		setOffline(false),
		chromedp.Navigate(base+"/contacts/scan"),
		poll(`document.getElementById("scan-queue").hidden`),
		chromedp.SendKeys(chromedp.ID("scan-code"), "NOT-A-BADGE\n"),
		poll(`document.getElementById("scan-status").textContent.includes("not a badge")`),
		poll(`document.getElementById("scan-queue").hidden`),
		chromedp.Navigate(base+"/contacts"),
		chromedp.WaitVisible(chromedp.ID("contacts-items")),
	)
	if got := ada.text("#contacts-items"); !strings.Contains(got, "Bo Kim") {
		t.Fatalf("Ada's contacts: %q", got)
	}
	ada.shoot("contacts-list", 390)
	ada.do("open Bo", chromedp.Click(chromedp.CSS("#contacts-items .contact-name")), chromedp.WaitVisible(chromedp.ID("contact-form")))
	ada.accessible("contact")
	// Ada keeps notes, a tag, a stage and a follow-up date.
	ada.do("follow up",
		chromedp.SendKeys(chromedp.ID("notes"), "Recruiting Go engineers in Seoul."),
		chromedp.SendKeys(chromedp.ID("tags"), "hiring, go"),
		chromedp.SetValue(chromedp.ID("stage"), "in_talks"),
		chromedp.SetValue(chromedp.ID("follow_up"), "2030-01-15"),
		chromedp.Click(chromedp.ID("contact-save")),
		chromedp.WaitVisible(chromedp.ID("flash")),
	)
	ada.shoot("contact", 390)

	adaCard := download(t, ada, `document.getElementById("contact-vcf").href`)
	if got := adaCard.PreferredValue(vcard.FieldFormattedName); got != "Bo Kim" {
		t.Fatalf("Ada's vCard of Bo is named %q", got)
	}
	if adaCard.Value(vcard.FieldVersion) != "4.0" || adaCard.Value(vcard.FieldEmail) != "" {
		t.Fatalf("Ada's vCard of Bo: version %q, email %q (Bo shares no email)", adaCard.Value(vcard.FieldVersion), adaCard.Value(vcard.FieldEmail))
	}
	if cats := adaCard.Categories(); strings.Join(cats, ",") != "go,hiring" || !strings.Contains(adaCard.Value(vcard.FieldNote), "Recruiting Go engineers") {
		t.Fatalf("Ada's vCard of Bo: categories %v, note %q", cats, adaCard.Value(vcard.FieldNote))
	}

	// Two-way: Bo has Ada's card, and downloads it.
	bo.do("Bo's contacts", chromedp.Navigate(base+"/contacts"), chromedp.WaitVisible(chromedp.ID("contacts-items")),
		chromedp.Click(chromedp.CSS("#contacts-items .contact-name")), chromedp.WaitVisible(chromedp.ID("contact-vcf")))
	if got := bo.text("#contact-met"); !strings.Contains(got, "They scanned you") {
		t.Fatalf("Bo's contact says %q", got)
	}
	boCard := download(t, bo, `document.getElementById("contact-vcf").href`)
	if got := boCard.PreferredValue(vcard.FieldFormattedName); got != "Ada Lovelace" || boCard.Value(vcard.FieldEmail) != "" || boCard.Value(vcard.FieldNote) == "" {
		t.Fatalf("Bo's vCard of Ada: %v", boCard)
	}
	// The whole list too, as one file.
	all := download(t, bo, `document.getElementById("export-vcf") ? document.getElementById("export-vcf").href : location.origin + "/contacts/export.vcf"`)
	if all.PreferredValue(vcard.FieldFormattedName) != "Ada Lovelace" {
		t.Fatalf("Bo's export: %v", all)
	}
}

// download fetches the link the expression gives in the tab (its
// session's cookies), and parses the one vCard it holds.
func download(t *testing.T, b *tab, hrefJS string) vcard.Card {
	t.Helper()
	body, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`fetch(`+hrefJS+`).then(r => r.ok && r.headers.get("Content-Type").startsWith("text/vcard") ? r.text() : "status " + r.status)`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	card, err := vcard.NewDecoder(strings.NewReader(body)).Decode()
	if err != nil && err != io.EOF {
		t.Fatalf("vCard %q: %v", body, err)
	}
	if card == nil {
		t.Fatalf("no vCard in %q", body)
	}
	return card
}
