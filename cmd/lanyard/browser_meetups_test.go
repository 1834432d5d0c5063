package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserMeetups drives meetups in Chromium against the demo: a
// newcomer starts a Korean speakers' meetup at a bar in another venue
// after a session the sample attendee holds; the sample attendee finds it
// by language, RSVPs, and sees it on their agenda with the trip to it from
// that session, like a session's. The organizers' console lists it.
func TestBrowserMeetups(t *testing.T) {
	dir := t.TempDir()
	base, _ := startCmd(t, "demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "demo.db"), "--attendees", "20", "--log-level", "warn")
	tokens := readTokens(t, filepath.Join(dir, "tokens.csv"))
	sample := "attendee00001@demo.lanyard.dev"

	// A session on the fourth day, and a venue a walk or a ride away from it.
	var all []demoSession
	for offset := 0; ; offset += 500 {
		var page struct {
			Total    int
			Sessions []demoSession
		}
		getJSON(t, fmt.Sprintf("%s/api/v1/sessions?limit=500&offset=%d", base, offset), "", 200, &page)
		all = append(all, page.Sessions...)
		if len(all) >= page.Total || len(page.Sessions) == 0 {
			break
		}
	}
	var venues struct {
		Venues []struct{ Code, Name string }
		Travel []struct {
			From, To string
			Walk     int `json:"walk_minutes"`
			Shuttle  int `json:"shuttle_minutes"`
		} `json:"travel_times"`
	}
	getJSON(t, base+"/api/v1/venues", "", 200, &venues)
	var days []string
	for _, s := range all {
		if s.Day != "" && (len(days) == 0 || days[len(days)-1] < s.Day) {
			days = append(days, s.Day)
		}
	}
	var held demoSession
	var to, toName string
	for _, s := range all {
		if held.Code != "" || len(days) < 4 || s.Day != days[3] || !s.Reservable || s.SeatsLeft < 5 || s.End.IsZero() || s.End.In(mustZone(t)).Hour() >= 20 {
			continue
		}
		for _, tr := range venues.Travel {
			if tr.From == s.Venue && tr.To != s.Venue && tr.Walk > 0 && tr.Walk < 30 {
				held, to = s, tr.To
				break
			}
		}
	}
	if held.Code == "" {
		t.Fatal("the demo has no session with a venue a short walk away on its fourth day")
	}
	for _, v := range venues.Venues {
		if v.Code == to {
			toName = v.Name
		}
	}
	call(t, "POST", base+"/api/v1/reservations", tokens[sample], map[string]any{"sessions": []string{held.Code}}, nil, 200, nil)
	start := held.End.Add(45 * time.Minute).In(mustZone(t))

	// The newcomer starts the meetup.
	org := newTab(t, newBrowser(t), base)
	org.signUp("Park Seo-yeon", "seoyeon@example.com", "Asia/Seoul", "a long enough password")
	org.do("start a meetup",
		chromedp.Navigate(base+"/meetups/new"),
		chromedp.WaitVisible(chromedp.ID("meetup-form")),
	)
	org.shoot("meetup-new", 390)
	org.do("fill the form",
		chromedp.SendKeys(chromedp.ID("title"), "한국어 사용자 번개"),
		chromedp.SetValue(chromedp.ID("language"), "ko"),
		chromedp.SendKeys(chromedp.ID("topic"), "AWS Korea User Group"),
		chromedp.Click(chromedp.ID("kind-bar")),
		chromedp.SetValue(chromedp.ID("venue"), to),
		chromedp.SendKeys(chromedp.ID("place"), "Lobby bar"),
		chromedp.SetValue(chromedp.ID("start"), start.Format("2006-01-02T15:04")),
		chromedp.SetValue(chromedp.ID("minutes"), "60"),
		chromedp.SetValue(chromedp.ID("cap"), "5"),
		chromedp.Click(chromedp.ID("meetup-create")),
		chromedp.WaitVisible(chromedp.ID("meetup-title")),
	)
	if got := org.text("#rsvp-state"); !strings.Contains(got, "going") {
		t.Fatalf("the organizer's state: %q", got)
	}
	id := org.eval(`document.getElementById("meetup").dataset.meetup`)
	org.shoot("meetup-page", 1280)

	// The sample attendee finds it by language and RSVPs.
	b := newTab(t, newBrowser(t), base)
	b.signIn(sample, demoPassword, chromedp.WaitVisible(chromedp.ID("signout")))
	b.do("find Korean meetups",
		chromedp.Navigate(base+"/meetups"),
		chromedp.WaitVisible(chromedp.ID("meetup-filter")),
		chromedp.SetValue(chromedp.ID("f-lang"), "ko"),
		void(chromedp.Evaluate[bool](`document.body.dataset.before = "1", true`)), // the unfiltered page, to wait past
		chromedp.Click(chromedp.ID("meetup-find")),
		chromedp.WaitVisible(chromedp.CSS(`body:not([data-before]) #meetup-list [data-meetup="`+id+`"]`)),
	)
	if list := b.text("#meetup-list"); strings.Contains(list, "Serverless builders") {
		t.Fatalf("the Korean filter lists an English meetup: %q", list)
	}
	b.shoot("meetups", 390)
	b.shoot("meetups-wide", 1280)
	b.do("RSVP",
		chromedp.Click(chromedp.CSS(`#meetup-list [data-meetup="`+id+`"] h3 a`)),
		chromedp.WaitVisible(chromedp.ID("meetup-rsvp-button")),
		chromedp.Click(chromedp.ID("meetup-rsvp-button")),
		chromedp.WaitVisible(chromedp.ID("rsvp-state")),
	)
	if got := b.text("#meetup-seats"); !strings.HasPrefix(got, "2 of 5") {
		t.Fatalf("seats after the RSVP: %q", got)
	}
	b.do("the agenda",
		chromedp.Click(chromedp.ID("to-agenda")),
		chromedp.WaitVisible(chromedp.CSS(`li[data-session="MEETUP-`+id+`"]`)),
	)
	item := b.text(`li[data-session="MEETUP-` + id + `"]`)
	if !strings.Contains(item, "한국어 사용자 번개") || !strings.Contains(item, "Lobby bar, "+toName) {
		t.Fatalf("the agenda's meetup: %q", item)
	}
	// The trip from the held session to the meetup, worded like a session's.
	trip := b.eval(`(() => { const m = document.querySelector('li[data-session="MEETUP-` + id + `"]');
		let p = m.previousElementSibling; while (p && !p.classList.contains("trip")) p = p.previousElementSibling;
		return p ? p.textContent : ""; })()`)
	if !strings.Contains(trip, "to "+toName) || !strings.Contains(trip, "45 min free") {
		t.Fatalf("no trip to the meetup on the agenda: %q", trip)
	}
	// The calendar download has it too.
	cal, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`fetch("/agenda.ics").then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil || !strings.Contains(cal, "UID:MEETUP-"+id+"@") || !strings.Contains(cal, "SUMMARY:한국어 사용자 번개") {
		t.Fatalf("agenda.ics without the meetup (%v):\n%.1500s", err, cal)
	}
	b.shoot("agenda-meetup", 1280)
	b.shoot("agenda-meetup-phone", 390)

	// The organizers see it in the console.
	staff := newTab(t, newBrowser(t), base)
	staff.signIn("organizer@demo.lanyard.dev", demoPassword, chromedp.WaitVisible(chromedp.ID("signout")))
	staff.do("console", chromedp.Navigate(base+"/console/meetups"), chromedp.WaitVisible(chromedp.ID("meetup-console")))
	if row := staff.text(`#meetup-console tr[data-meetup="` + id + `"]`); !strings.Contains(row, "2/5") {
		t.Fatalf("console row: %q", row)
	}
	staff.shoot("console-meetups", 1280)
	staff.shoot("console-meetups-phone", 390)

	// The starter moves it to another bar, then cancels it (phone width).
	org.do("edit",
		chromedp.Navigate(base+"/meetups/"+id),
		chromedp.WaitVisible(chromedp.ID("meetup-edit")),
		chromedp.Click(chromedp.ID("meetup-edit")),
		chromedp.WaitVisible(chromedp.ID("meetup-save")),
	)
	org.shoot("meetup-edit-phone", 390)
	org.do("move it",
		chromedp.SetValue(chromedp.ID("place"), "Roof bar"),
		chromedp.Click(chromedp.ID("meetup-save")),
		chromedp.WaitVisible(chromedp.ID("meetup-title")),
	)
	if got := org.text("#meetup-where"); !strings.Contains(got, "Roof bar") {
		t.Fatalf("after the edit: %q", got)
	}
	org.do("open the cancel",
		chromedp.Click(chromedp.CSS(".meetup-cancel summary")),
		chromedp.WaitVisible(chromedp.ID("meetup-cancel-"+id)),
	)
	org.shoot("meetup-cancel-phone", 390)
	org.do("cancel it",
		chromedp.Click(chromedp.ID("cancel-confirm-"+id)),
		chromedp.Click(chromedp.ID("meetup-cancel-"+id)),
		chromedp.WaitVisible(chromedp.ID("meetup-canceled")),
	)
	b.do("the guest's agenda drops it", chromedp.Navigate(base+"/agenda"), chromedp.WaitVisible(chromedp.ID("signout")))
	if n := b.eval(`String(document.querySelectorAll('li[data-session="MEETUP-` + id + `"]').length)`); n != "0" {
		t.Fatalf("a cancelled meetup on the agenda: %s", n)
	}
}

func mustZone(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
