package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/message"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
	"github.com/lanyardhq/lanyard/internal/web/webtest"
)

// changeForm is session A's change form as the page fills it (10:00–11:00
// on day 1 in the Venetian's Ten), with edits.
func changeForm(edits map[string]string) url.Values {
	v := url.Values{"start": {"2026-12-01T10:00"}, "end": {"2026-12-01T11:00"}, "room": {"venetian/Ten"}, "capacity": {"0"},
		"type": {"session"}, "title": {"Serverless APIs"}, "abstract": {""}, "speakers": {""}, "over": {"keep"}, "key": {"k1"}}
	for k, x := range edits {
		v.Set(k, x)
	}
	return v
}

// An organizer moves a session: the preview names the attendee the move
// makes clash, and changes nothing; saving moves it for the engine and the
// pages, writes the attendee a message and a schedule version, and the
// public changelog shows it in both languages.
func TestSessionChangePreviewAndSave(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		who := e.people[lanyard.RoleAttendee]
		if _, err := e.eng.Reserve(ctx, who.ID, []string{"A", "K1"}, false, ""); err != nil {
			t.Fatal(err)
		}
		org := e.signIn(lanyard.RoleOrganizer)
		if r := org.Get("/console/sessions?q=serverless"); r.Status != http.StatusOK || !strings.Contains(r.Body, `data-session="A"`) || strings.Contains(r.Body, `data-session="C"`) {
			t.Errorf("sessions list: %d, want A and not C", r.Status)
		}
		if r := org.Get("/console/sessions/A"); r.Status != http.StatusOK || !strings.Contains(r.Body, `value="2026-12-01T10:00"`) {
			t.Fatalf("change page: %d", r.Status)
		}
		if body := e.client().Get("/schedule.xml").Body; !strings.Contains(body, "<version>1</version>") {
			t.Errorf("schedule.xml before a change lacks version 1")
		}
		move := changeForm(map[string]string{"start": "2026-12-01T08:30", "end": "2026-12-01T09:30"})
		r := org.Post("/console/sessions/A/preview", move)
		if r.Status != http.StatusOK {
			t.Fatalf("preview: %d\n%s", r.Status, r.Body)
		}
		for _, want := range []string{`data-attendee="` + itoa(who.ID) + `" data-reason="clash"`, who.Name, "K1", `id="session-save"`} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("preview lacks %q", want)
			}
		}
		if s, _ := e.h.Catalog.Load().Session("A"); !s.Start.Equal(at(1, 10)) {
			t.Errorf("a preview moved A to %v", s.Start)
		}

		r = org.Post("/console/sessions/A", move)
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/console/sessions/A" {
			t.Fatalf("save: %d %s\n%s", r.Status, r.Header.Get("Location"), r.Body)
		}
		if s, _ := e.h.Catalog.Load().Session("A"); !s.Start.Equal(at(1, 8).Add(30 * time.Minute)) {
			t.Errorf("the pages' catalog has A at %v", s.Start)
		}
		msgs, err := db.Messages(ctx, e.ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		var p message.ChangedParams
		if len(msgs) != 1 || msgs[0].Kind != lanyard.KindSessionChanged || message.Decode(msgs[0].Params, &p) != nil ||
			p.Code != "A" || !p.OldStart.Equal(at(1, 10)) {
			t.Fatalf("messages %+v", msgs)
		}
		entries, err := db.FindAudit(ctx, e.ev.ID, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || entries[0].Action != "session_change" || entries[0].Session != "A" {
			t.Errorf("audit %+v", entries)
		}
		// The attendee reads it among their notifications.
		att := e.signIn(lanyard.RoleAttendee)
		if r := att.Get("/notifications"); r.Status != http.StatusOK || !strings.Contains(r.Body, "Serverless APIs") {
			t.Errorf("notifications: %d, no change of A", r.Status)
		}

		// The exports name the new version (their cache follows the catalog).
		if body := e.client().Get("/schedule.xml").Body; !strings.Contains(body, "<version>2</version>") || !strings.Contains(body, "<start>08:30</start>") {
			t.Errorf("schedule.xml after the change lacks version 2 or A at 08:30")
		}
		if body := e.client().Get("/schedule.json").Body; !regexp.MustCompile(`"version":\s*"2"`).MatchString(body) {
			t.Errorf("schedule.json after the change lacks version 2")
		}
		for lang, want := range map[string]string{"en": "Schedule version 2", "ko": "일정 버전 2"} {
			c := e.client()
			c.Lang = lang
			r := c.Get("/changelog")
			if r.Status != http.StatusOK || byID(r.Body, "schedule-version") != want || !strings.Contains(r.Body, `data-session="A"`) {
				t.Errorf("%s changelog: %d %q, want %q and A", lang, r.Status, byID(r.Body, "schedule-version"), want)
			}
		}
	})
}

// Bad input is refused with 422 and the field's error, and changes nothing.
func TestSessionChangeRefusesBadInput(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		org := e.signIn(lanyard.RoleOrganizer)
		tests := []struct {
			edit  map[string]string
			field string
		}{
			{map[string]string{"end": "2026-12-01T09:00"}, "end"},
			{map[string]string{"start": "tomorrow"}, "start"},
			{map[string]string{"room": "venetian/Attic"}, "room"},
			{map[string]string{"capacity": "-3"}, "capacity"},
			{map[string]string{"type": "party"}, "type"},
			{map[string]string{"title": " "}, "title"},
			{map[string]string{"over": "drop"}, "over"},
			{map[string]string{"speakers": "a, b, c, d"}, "speakers"},
		}
		for _, tt := range tests {
			for _, path := range []string{"/console/sessions/A/preview", "/console/sessions/A"} {
				r := org.Post(path, changeForm(tt.edit))
				if r.Status != http.StatusUnprocessableEntity || byID(r.Body, tt.field+"-error") == "" {
					t.Errorf("%s %v: %d, want 422 with a %s error", path, tt.edit, r.Status, tt.field)
				}
			}
		}
		if r := org.Post("/console/sessions/NOPE", changeForm(nil)); r.Status != http.StatusNotFound {
			t.Errorf("unknown session: %d, want 404", r.Status)
		}
		if v, _ := db.ScheduleVersion(ctx, e.ev.ID); v != 1 {
			t.Errorf("schedule version %d, want 1", v)
		}
		if s, _ := e.h.Catalog.Load().Session("A"); !s.Start.Equal(at(1, 10)) || s.Room != "Ten" {
			t.Errorf("A changed: %+v", s)
		}
	})
}

// Lowering a capacity with "move to the waitlist" moves the latest
// reservation and keeps the counts right.
func TestSessionChangeLowersCapacity(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		first, last := e.people[lanyard.RoleStaff], e.people[lanyard.RoleAttendee]
		for _, a := range []*lanyard.Attendee{first, last} {
			if _, err := e.eng.Reserve(ctx, a.ID, []string{"C"}, false, ""); err != nil {
				t.Fatal(err)
			}
		}
		org := e.signIn(lanyard.RoleOrganizer)
		f := url.Values{"start": {"2026-12-02T10:00"}, "end": {"2026-12-02T11:00"}, "room": {"venetian/Two"}, "capacity": {"1"},
			"type": {"chalk-talk"}, "title": {"Whiteboard"}, "over": {"waitlist"}, "key": {"k2"}}
		r := org.Post("/console/sessions/C/preview", f)
		if r.Status != http.StatusOK || !strings.Contains(r.Body, `data-attendee="`+itoa(last.ID)+`" data-reason="over"`) ||
			strings.Contains(r.Body, `data-attendee="`+itoa(first.ID)+`" data-reason="over"`) || byID(r.Body, "preview-over") == "" {
			t.Fatalf("preview: %d, want the latest reservation over\n%s", r.Status, r.Body)
		}
		if r := org.Post("/console/sessions/C", f); r.Status != http.StatusSeeOther {
			t.Fatalf("save: %d", r.Status)
		}
		c, err := e.eng.Seats("C")
		if err != nil {
			t.Fatal(err)
		}
		if c.Taken != 1 || c.WaitlistLength != 1 || c.Capacity != 1 {
			t.Errorf("counts %+v, want 1 taken, 1 waiting, capacity 1", c)
		}
		a, _ := e.eng.Agenda(ctx, last.ID)
		if len(a.Reservations) != 0 || len(a.Waitlists) != 1 {
			t.Errorf("latest holder's agenda %+v, want waitlisted", a)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// An organizer adds a repeat: it is a session of the group at once, for the
// pages and the engine; a bad time is refused with 422 and adds nothing.
func TestSessionAddRepeat(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		org := e.signIn(lanyard.RoleOrganizer)
		bad := url.Values{"repeat_start": {"2026-12-02T15:00"}, "repeat_end": {"2026-12-02T14:00"}, "repeat_room": {"venetian/Hall"}, "key": {"r1"}}
		if r := org.Post("/console/sessions/A/repeat", bad); r.Status != http.StatusUnprocessableEntity || byID(r.Body, "repeat_end-error") == "" {
			t.Errorf("bad repeat: %d, want 422 with an end error", r.Status)
		}
		if _, err := e.h.Catalog.Load().Session("A-R2"); err == nil {
			t.Fatal("a refused repeat was added")
		}
		ok := url.Values{"repeat_start": {"2026-12-02T14:00"}, "repeat_end": {"2026-12-02T15:00"}, "repeat_room": {"venetian/Hall"}, "key": {"r2"}}
		r := org.Post("/console/sessions/A/repeat", ok)
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/console/sessions/A-R2" {
			t.Fatalf("add repeat: %d %q", r.Status, r.Header.Get("Location"))
		}
		s, err := e.h.Catalog.Load().Session("A-R2")
		if err != nil || s.RepeatGroup != "A" || s.Capacity != 100 || !s.Start.Equal(at(2, 14)) {
			t.Fatalf("A-R2 %+v %v", s, err)
		}
		if c, err := e.eng.Seats("A-R2"); err != nil || c.Reservable != 100 {
			t.Errorf("A-R2 seats %+v %v", c, err)
		}
		if r := org.Get("/console/sessions/A-R2"); r.Status != http.StatusOK {
			t.Errorf("A-R2 page: %d", r.Status)
		}
		if r := e.client().Get("/changelog"); !strings.Contains(r.Body, `data-session="A-R2"`) {
			t.Error("the changelog lacks the new repeat")
		}
	})
}

// upload posts a file to path as a browser's multipart form does.
func (c *client) upload(path, name string, data []byte) *webtest.Resp {
	c.TB.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		c.TB.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return c.Send("POST", path, mw.FormDataContentType(), &buf)
}

// A re-imported catalog is previewed (added, changed, removed, whom it
// concerns) and changes nothing until confirmed; confirming applies it
// through the engine; a file that is not a catalog is refused with 422.
func TestCatalogReimport(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		who := e.people[lanyard.RoleAttendee]
		if _, err := e.eng.Reserve(ctx, who.ID, []string{"A", "C"}, false, ""); err != nil {
			t.Fatal(err)
		}
		c := testCatalog()
		c.Sessions[1].Start, c.Sessions[1].End = at(1, 14), at(1, 15) // A moves
		c.Sessions[2] = lanyard.Session{Code: "N1", Title: "New talk", Type: lanyard.TypeSession, Topics: []string{"t"}, Venue: "venetian", Room: "Ten",
			Start: at(3, 9), End: at(3, 10), Reservable: true} // C is gone, N1 is new
		file, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		org := e.signIn(lanyard.RoleOrganizer)
		if r := org.upload("/console/catalog/reimport", "bad.json", []byte("{not json")); r.Status != http.StatusUnprocessableEntity || byID(r.Body, "file-error") == "" {
			t.Errorf("bad file: %d, want 422 with a file error", r.Status)
		}
		if r := org.upload("/console/catalog/reimport", "huge.json", make([]byte, 33<<20)); r.Status != http.StatusRequestEntityTooLarge || byID(r.Body, "file-error") == "" {
			t.Errorf("a 33 MiB file: %d, want 413 with a file error", r.Status)
		}
		r := org.upload("/console/catalog/reimport", "catalog.json", file)
		if r.Status != http.StatusOK {
			t.Fatalf("preview: %d\n%s", r.Status, r.Body)
		}
		for _, want := range []string{`<li data-session="N1">`, `<li data-session="A">`, `<li data-session="C">`} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("preview lacks %s", want)
			}
		}
		if strings.Contains(r.Body, `data-session="K1"`) {
			t.Error("the preview lists K1, which the file leaves as it is")
		}
		if !strings.Contains(byID(r.Body, "reimport-counts"), "attendees concerned: 1") {
			t.Errorf("counts %q", byID(r.Body, "reimport-counts"))
		}
		if _, err := e.h.Catalog.Load().Session("N1"); err == nil {
			t.Fatal("a preview added N1")
		}
		token := regexp.MustCompile(`name="token" value="([^"]+)"`).FindStringSubmatch(r.Body)
		if token == nil {
			t.Fatal("no confirm form")
		}
		r = org.Post("/console/catalog/reimport/apply", url.Values{"token": {token[1]}, "over": {"keep"}, "cancel_removed": {"1"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("apply: %d\n%s", r.Status, r.Body)
		}
		cat := e.h.Catalog.Load()
		if s, err := cat.Session("A"); err != nil || !s.Start.Equal(at(1, 14)) {
			t.Errorf("A after apply %+v %v", s, err)
		}
		if s, err := cat.Session("C"); err != nil || !s.Cancelled {
			t.Errorf("C after apply %+v %v, want cancelled", s, err)
		}
		if body := e.client().Get("/schedule.xml").Body; strings.Contains(body, "<title>Whiteboard</title>") || !strings.Contains(body, "<title>Serverless APIs</title>") ||
			!strings.Contains(body, "<version>4</version>") {
			t.Error("schedule.xml lists the cancelled C, lacks A, or lacks version 4")
		}
		// The attendee app says so, in both languages.
		for lang, want := range map[string]string{"en": "Cancelled", "ko": "취소됨"} {
			c := e.client()
			c.Lang = lang
			if r := c.Get("/sessions/C"); !regexp.MustCompile(`data-seats-cancelled="C">` + want + `<`).MatchString(r.Body) {
				t.Errorf("%s session page of C: %d, not marked cancelled", lang, r.Status)
			}
		}
		if _, err := e.eng.Seats("N1"); err != nil {
			t.Errorf("N1 not in the engine: %v", err)
		}
		a, _ := e.eng.Agenda(ctx, who.ID)
		if len(a.Reservations) != 1 {
			t.Errorf("the attendee holds %+v, want A only", a.Reservations)
		}
		if v, _ := db.ScheduleVersion(ctx, e.ev.ID); v != 4 {
			t.Errorf("schedule version %d, want 4 (A, N1, C)", v)
		}
		// The same preview cannot be applied twice.
		if r := org.Post("/console/catalog/reimport/apply", url.Values{"token": {token[1]}, "over": {"keep"}}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("applied twice: %d, want 422", r.Status)
		}
	})
}
