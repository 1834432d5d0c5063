package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/api"
	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/contacts"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/limit"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// writeBurst is each attendee's writes before 429 in these tests.
const writeBurst = 40

// peopleEnv is an event with attendees, two exhibitors with a staff
// member each, an organizer, their tokens, and the API on loopback.
type peopleEnv struct {
	t      *testing.T
	db     *store.DB
	ev     *lanyard.Event
	srv    *httptest.Server
	people map[string]*lanyard.Attendee
	tokens map[string]string
	acme   lanyard.Exhibitor
	globex lanyard.Exhibitor
	clock  *atomic.Pointer[time.Time]
	start  time.Time
}

func newPeopleEnv(t *testing.T, db *store.DB) *peopleEnv {
	t.Helper()
	ctx := context.Background()
	e := &peopleEnv{t: t, db: db, people: map[string]*lanyard.Attendee{}, tokens: map[string]string{}, clock: &atomic.Pointer[time.Time]{}}
	t0 := time.Now().UTC().Truncate(time.Second)
	e.clock.Store(&t0)
	db.Now = func() time.Time { return *e.clock.Load() }
	e.start = t0.Add(48 * time.Hour).Truncate(24 * time.Hour)
	c := &lanyard.Catalog{
		Event:  lanyard.Event{Slug: "people", Name: "People", TimeZone: "UTC", StartDate: e.start.Format(time.DateOnly), Days: 3},
		Venues: []lanyard.Venue{{Code: "v", Name: "V", Rooms: []lanyard.Room{{Name: "R", Capacity: 5}}}},
		Sessions: []lanyard.Session{
			{Code: "S", Title: "S", Type: lanyard.TypeSession, Venue: "v", Room: "R", Start: e.start.Add(9 * time.Hour), End: e.start.Add(10 * time.Hour), Reservable: true},
		},
	}
	if _, err := db.ImportCatalog(ctx, c); err != nil {
		t.Fatal(err)
	}
	e.ev = &c.Event
	roles := map[string]lanyard.Role{"ann": lanyard.RoleAttendee, "bob": lanyard.RoleAttendee, "cat": lanyard.RoleAttendee,
		"xa": lanyard.RoleExhibitor, "xg": lanyard.RoleExhibitor, "org": lanyard.RoleOrganizer, "door": lanyard.RoleStaff}
	var toks []store.Token
	for name, role := range roles {
		a := &lanyard.Attendee{Name: strings.ToUpper(name[:1]) + name[1:], Email: name + "@example.com", Company: name + " Co", JobTitle: "Engineer", Role: role}
		if err := db.CreateAttendees(ctx, c.Event.ID, []*lanyard.Attendee{a}); err != nil {
			t.Fatal(err)
		}
		e.people[name] = a
		tok, hash := auth.NewToken()
		e.tokens[name] = tok
		toks = append(toks, store.Token{AttendeeID: a.ID, Hash: hash, Name: "t"})
	}
	if err := db.CreateTokens(ctx, toks); err != nil {
		t.Fatal(err)
	}
	var err error
	if e.acme, err = db.PutExhibitor(ctx, c.Event.ID, lanyard.Exhibitor{Code: "acme", Name: "Acme"}); err != nil {
		t.Fatal(err)
	}
	if e.globex, err = db.PutExhibitor(ctx, c.Event.ID, lanyard.Exhibitor{Code: "globex", Name: "Globex"}); err != nil {
		t.Fatal(err)
	}
	for x, who := range map[int64]string{e.acme.ID: "xa", e.globex.ID: "xg"} {
		if err := db.SetExhibitorStaff(ctx, x, e.people[who].ID); err != nil {
			t.Fatal(err)
		}
	}
	cat, err := catalog.Load(ctx, db, &c.Event)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := reserve.Open(ctx, db, cat, reserve.Options{Tick: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(eng.Close)
	var cur atomic.Pointer[catalog.Catalog]
	cur.Store(cat)
	tab := &route.Table{Mux: http.NewServeMux()}
	(&api.Handler{Catalog: &cur, Engine: eng, Ident: db, Log: slog.New(slog.DiscardHandler), PublicURL: "https://people.example",
		Leads: db, Contacts: db, Meetups: db, Parties: db, Limiter: limit.New[int64](0.0001, writeBurst, 1000)}).Routes(tab)
	e.srv = httptest.NewServer(tab.Mux)
	t.Cleanup(e.srv.Close)
	return e
}

// do sends a request as who ("" for no token) and returns the status and body.
func (e *peopleEnv) do(who, method, path, body string) (int, string) {
	e.t.Helper()
	return e.doKey(who, method, path, body, "")
}

// doKey is do with an Idempotency-Key, if key is not empty.
func (e *peopleEnv) doKey(who, method, path, body, key string) (int, string) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[who])
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// want checks a status and, for an error, its code and that it has a message.
func (e *peopleEnv) want(what string, code int, body string, wantStatus int, wantIn ...string) {
	e.t.Helper()
	ok := code == wantStatus
	for _, s := range wantIn {
		ok = ok && strings.Contains(body, s)
	}
	if code >= 400 {
		var er struct {
			Error struct{ Code, Message string }
		}
		ok = ok && json.Unmarshal([]byte(body), &er) == nil && er.Error.Code != "" && er.Error.Message != ""
	}
	if !ok {
		e.t.Errorf("%s: %d %s; want %d with %q", what, code, body, wantStatus, wantIn)
	}
}

func (e *peopleEnv) decode(body string, v any) {
	e.t.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		e.t.Fatalf("%v: %s", err, body)
	}
}

// GET /api/v1/exhibitor/leads[/{id}]: exhibitor staff read their own
// company's leads only, with the consent-filtered card, answers, notes and
// tags; since pulls what changed; a withdrawn lead never appears.
func TestLeadsAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newPeopleEnv(t, db)
		ctx := context.Background()
		// Ann shares her email but not her company; the cap allows both.
		if err := db.PutSharing(ctx, lanyard.Sharing{AttendeeID: e.people["ann"].ID, Fields: []string{lanyard.FieldEmail}, Exchange: lanyard.ExchangeTwoWay}); err != nil {
			t.Fatal(err)
		}
		if err := db.PutExhibitorFields(ctx, e.ev.ID, []string{lanyard.FieldEmail, lanyard.FieldCompany}); err != nil {
			t.Fatal(err)
		}
		q, err := db.LeadQuestionPut(ctx, lanyard.LeadQuestion{ExhibitorID: e.acme.ID, Kind: lanyard.LeadQuestionSingle, Prompt: "Budget?", Choices: []string{"small", "big"}})
		if err != nil {
			t.Fatal(err)
		}
		lead := map[string]int64{}
		for i, s := range []struct {
			x   lanyard.Exhibitor
			who string
		}{{e.acme, "ann"}, {e.acme, "bob"}, {e.globex, "cat"}} {
			r, err := db.LeadScan(ctx, store.LeadScanInput{EventID: e.ev.ID, ExhibitorID: s.x.ID, AttendeeID: e.people[s.who].ID, Version: -1,
				Nonce: fmt.Sprint("n", i), ScannedBy: e.people["xa"].ID, ScannedAt: db.Now()})
			if err != nil {
				t.Fatal(err)
			}
			lead[s.who] = r.LeadID
		}
		rating, notes, tags := 4, "Wants a demo", []string{"hot"}
		if err := db.LeadUpdate(ctx, e.ev.ID, e.acme.ID, lead["ann"], lanyard.LeadUpdate{Rating: &rating, Notes: &notes, Tags: &tags,
			Answers: map[int64][]string{q.ID: {"big"}}}); err != nil {
			t.Fatal(err)
		}

		code, body := e.do("xa", "GET", "/api/v1/exhibitor/leads", "")
		var list struct {
			Leads []struct {
				ID      int64        `json:"id"`
				Rating  int          `json:"rating"`
				Notes   string       `json:"notes"`
				Tags    []string     `json:"tags"`
				Card    lanyard.Card `json:"card"`
				Created time.Time    `json:"created_at"`
				Answers []struct {
					QuestionID int64    `json:"question_id"`
					Prompt     string   `json:"prompt"`
					Values     []string `json:"values"`
				} `json:"answers"`
			} `json:"leads"`
			Withdrawn []store.LeadWithdrawal `json:"withdrawn"`
			Until     time.Time              `json:"until"`
		}
		e.want("Acme's leads", code, body, 200)
		e.decode(body, &list)
		if len(list.Leads) != 2 || list.Until.IsZero() || len(list.Withdrawn) != 0 {
			t.Fatalf("Acme's leads: %s", body)
		}
		for _, l := range list.Leads {
			switch l.Card.AttendeeID {
			case e.people["ann"].ID:
				if l.Card.Email != "ann@example.com" || l.Card.Company != "" || l.Rating != 4 || l.Notes != notes || len(l.Tags) != 1 ||
					len(l.Answers) != 1 || l.Answers[0].Prompt != "Budget?" || l.Answers[0].Values[0] != "big" || l.Created.IsZero() {
					t.Errorf("Ann's lead: %+v", l)
				}
			case e.people["bob"].ID:
				if l.Tags == nil || l.Answers == nil {
					t.Errorf("Bob's lead has null lists: %s", body)
				}
			default:
				t.Errorf("Acme sees another company's lead: %+v", l)
			}
		}
		code, body = e.do("xg", "GET", "/api/v1/exhibitor/leads", "")
		if e.want("Globex's leads", code, body, 200); strings.Contains(body, "ann@example.com") || !strings.Contains(body, `"name":"Cat"`) {
			t.Errorf("Globex's leads: %s", body)
		}
		code, body = e.do("xa", "GET", fmt.Sprint("/api/v1/exhibitor/leads/", lead["ann"]), "")
		e.want("Acme's lead of Ann", code, body, 200, `"notes":"Wants a demo"`)
		code, body = e.do("xa", "GET", fmt.Sprint("/api/v1/exhibitor/leads/", lead["cat"]), "")
		e.want("Acme reads Globex's lead", code, body, 404, `"not_found"`)

		// Incremental pull: only what changed since.
		later := e.start.Add(-time.Hour)
		if later.Before(db.Now()) {
			t.Fatal("the event starts too soon for this test")
		}
		e.clock.Store(&later)
		bobNotes := "Call back"
		if err := db.LeadUpdate(ctx, e.ev.ID, e.acme.ID, lead["bob"], lanyard.LeadUpdate{Notes: &bobNotes}); err != nil {
			t.Fatal(err)
		}
		since := later.Add(-time.Minute).Format(time.RFC3339)
		code, body = e.do("xa", "GET", "/api/v1/exhibitor/leads?since="+url.QueryEscape(since), "")
		e.want("since", code, body, 200)
		e.decode(body, &list)
		if len(list.Leads) != 1 || list.Leads[0].ID != lead["bob"] || list.Leads[0].Notes != bobNotes {
			t.Errorf("since %s: %s", since, body)
		}

		// Ann withdraws: her lead is gone from every answer, and the pull
		// says so for the CRM to delete its copy.
		if err := db.LeadWithdraw(ctx, e.ev.ID, e.people["ann"].ID, e.acme.ID); err != nil {
			t.Fatal(err)
		}
		code, body = e.do("xa", "GET", "/api/v1/exhibitor/leads?since="+url.QueryEscape(since), "")
		e.decode(body, &list)
		if code != 200 || strings.Contains(body, "ann@example.com") || len(list.Withdrawn) != 1 || list.Withdrawn[0].AttendeeID != e.people["ann"].ID {
			t.Errorf("after a withdrawal: %d %s", code, body)
		}
		code, body = e.do("xa", "GET", "/api/v1/exhibitor/leads", "")
		if e.want("after a withdrawal, all", code, body, 200); strings.Contains(body, "ann@example.com") {
			t.Errorf("a withdrawn lead is listed: %s", body)
		}
		code, body = e.do("xa", "GET", fmt.Sprint("/api/v1/exhibitor/leads/", lead["ann"]), "")
		e.want("a withdrawn lead", code, body, 404, `"not_found"`)

		for _, tt := range []struct {
			name, who, path string
			status          int
			code            string
		}{
			{"no token", "", "/api/v1/exhibitor/leads", 401, "unauthorized"},
			{"attendee", "ann", "/api/v1/exhibitor/leads", 403, "Only exhibitor staff read leads"},
			{"door staff", "door", "/api/v1/exhibitor/leads", 403, "forbidden"},
			{"organizer", "org", "/api/v1/exhibitor/leads", 403, "forbidden"},
			{"organizer, one lead", "org", fmt.Sprint("/api/v1/exhibitor/leads/", lead["bob"]), 403, "forbidden"},
			{"bad since", "xa", "/api/v1/exhibitor/leads?since=yesterday", 400, `"field":"since"`},
			{"empty since", "xa", "/api/v1/exhibitor/leads?since=", 400, `"field":"since"`},
			{"unknown parameter", "xa", "/api/v1/exhibitor/leads?limit=5", 400, `"field":"limit"`},
			{"bad id", "xa", "/api/v1/exhibitor/leads/abc", 404, "not_found"},
		} {
			code, body := e.do(tt.who, "GET", tt.path, "")
			e.want(tt.name, code, body, tt.status, tt.code)
		}
	})
}

type contactJSON struct {
	ID       int64        `json:"id"`
	Card     lanyard.Card `json:"card"`
	Notes    string       `json:"notes"`
	Tags     []string     `json:"tags"`
	Stage    string       `json:"stage"`
	FollowUp string       `json:"follow_up"`
}

// GET and PATCH /api/v1/me/contacts[/{id}]: an attendee reads and changes
// only their own contacts, with the page's validation and reminder.
func TestContactsAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newPeopleEnv(t, db)
		ctx := context.Background()
		if err := db.PutSharing(ctx, lanyard.Sharing{AttendeeID: e.people["bob"].ID, Fields: []string{lanyard.FieldEmail}, Exchange: lanyard.ExchangeTwoWay}); err != nil {
			t.Fatal(err)
		}
		res, err := db.ContactExchange(ctx, store.ContactScan{EventID: e.ev.ID, ScannerID: e.people["ann"].ID, OtherID: e.people["bob"].ID, Nonce: "x1",
			At: db.Now(), TwoWay: true, Where: lanyard.ContactWhere{Kind: lanyard.WhereBooth, Ref: "acme", Label: "Acme"}})
		if err != nil {
			t.Fatal(err)
		}
		annsBob := res.ContactID
		bobs, err := db.Contacts(ctx, e.people["bob"].ID)
		if err != nil || len(bobs) != 1 {
			t.Fatalf("Bob's contacts: %+v %v", bobs, err)
		}
		bobsAnn := bobs[0].ID

		code, body := e.do("ann", "GET", "/api/v1/me/contacts", "")
		var list struct{ Contacts []contactJSON }
		e.want("Ann's contacts", code, body, 200)
		e.decode(body, &list)
		if len(list.Contacts) != 1 || list.Contacts[0].ID != annsBob || list.Contacts[0].Card.Email != "bob@example.com" ||
			list.Contacts[0].Card.Company != "" || list.Contacts[0].Tags == nil || list.Contacts[0].Stage != lanyard.StageMet {
			t.Errorf("Ann's contacts: %s", body)
		}
		code, body = e.do("cat", "GET", "/api/v1/me/contacts", "")
		e.want("Cat's contacts", code, body, 200, `"contacts":[]`)

		// Another attendee's contact: never read, never changed.
		code, body = e.do("ann", "GET", fmt.Sprint("/api/v1/me/contacts/", bobsAnn), "")
		e.want("Ann reads Bob's contact", code, body, 404, `"not_found"`)
		code, body = e.do("ann", "PATCH", fmt.Sprint("/api/v1/me/contacts/", bobsAnn), `{"notes":"mine now"}`)
		e.want("Ann changes Bob's contact", code, body, 404, `"not_found"`)
		if c, _ := db.Contact(ctx, e.people["bob"].ID, bobsAnn); c.Notes != "" {
			t.Errorf("Bob's contact changed by Ann: %+v", c)
		}

		followUp := e.start.AddDate(0, 0, 5).Format(time.DateOnly)
		path := fmt.Sprint("/api/v1/me/contacts/", annsBob)
		code, body = e.do("ann", "PATCH", path, `{"notes":" Met at the booth ","tags":["Hiring","hiring"," k8s "],"stage":"in_talks","follow_up":"`+followUp+`"}`)
		var got contactJSON
		e.want("Ann's PATCH", code, body, 200)
		e.decode(body, &got)
		if got.Notes != "Met at the booth" || strings.Join(got.Tags, ",") != "hiring,k8s" || got.Stage != lanyard.StageInTalks || got.FollowUp != followUp {
			t.Errorf("after PATCH: %s", body)
		}
		// Fields left out keep their values.
		code, body = e.do("ann", "PATCH", path, `{"stage":"followed_up"}`)
		e.decode(body, &got)
		if code != 200 || got.Notes != "Met at the booth" || got.Stage != lanyard.StageFollowedUp || got.FollowUp != followUp {
			t.Errorf("partial PATCH: %d %s", code, body)
		}
		msgs, err := db.Messages(ctx, e.ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		var reminders []lanyard.Message
		for _, m := range msgs {
			if m.Kind == lanyard.KindContactFollowUp && m.AttendeeID == e.people["ann"].ID && m.State == lanyard.MessagePending {
				reminders = append(reminders, m)
			}
		}
		if len(reminders) != 1 || reminders[0].Language != "en" || !reminders[0].NextAttemptAt.Equal(contacts.ReminderDue(e.ev, followUp)) {
			t.Errorf("follow-up reminders: %+v, want 1 due on %s", reminders, followUp)
		}
		for _, tt := range []struct{ name, body, code, field string }{
			{"bad stage", `{"stage":"married"}`, "invalid", "stage"},
			{"bad date", `{"follow_up":"next week"}`, "invalid", "follow_up"},
			{"eleven tags", `{"tags":["a","b","c","d","e","f","g","h","i","j","k"]}`, "invalid", "tags"},
			{"tag with comma", `{"tags":["a,b"]}`, "invalid", "tags"},
			{"long notes", `{"notes":"` + strings.Repeat("x", 4001) + `"}`, "invalid", "notes"},
			{"tags as text", `{"tags":"a"}`, "invalid", ""},
			{"unknown field", `{"owner_id":2}`, "invalid", ""},
			{"null", `null`, "invalid", ""},
			{"no body", ``, "invalid", ""},
		} {
			code, body := e.do("ann", "PATCH", path, tt.body)
			e.want(tt.name, code, body, 400, `"`+tt.code+`"`, fieldOf(tt.field))
		}
		if c, _ := db.Contact(ctx, e.people["ann"].ID, annsBob); c.Notes != "Met at the booth" || c.Stage != lanyard.StageFollowedUp || len(c.Tags) != 2 {
			t.Errorf("refused PATCHes changed the contact: %+v", c)
		}
		code, body = e.do("", "GET", "/api/v1/me/contacts", "")
		e.want("no token", code, body, 401, `"unauthorized"`)
		// Writes are rate-limited per attendee, reads are not.
		for i := range writeBurst {
			if code, body := e.do("bob", "PATCH", fmt.Sprint("/api/v1/me/contacts/", bobsAnn), fmt.Sprintf(`{"notes":"n%d"}`, i)); code != 200 {
				t.Fatalf("Bob's write %d: %d %s", i, code, body)
			}
		}
		code, body = e.do("bob", "PATCH", fmt.Sprint("/api/v1/me/contacts/", bobsAnn), `{"notes":"one too many"}`)
		e.want("past the rate", code, body, 429, `"too_many_requests"`)
		code, body = e.do("bob", "GET", fmt.Sprint("/api/v1/me/contacts/", bobsAnn), "")
		e.want("a read past the rate", code, body, 200, fmt.Sprintf(`"notes":"n%d"`, writeBurst-1))
		code, body = e.do("ann", "GET", "/api/v1/me/contacts/x", "")
		e.want("bad id", code, body, 404, `"not_found"`)
	})
}

// /api/v1/meetups: list with the page's filters, RSVP up to the cap and
// then the waitlist (the store's), leave with promotion; hidden ones only
// to organizers.
func TestMeetupsAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newPeopleEnv(t, db)
		ctx := context.Background()
		start := e.start.Add(18 * time.Hour)
		m, err := db.MeetupCreate(ctx, lanyard.Meetup{EventID: e.ev.ID, OrganizerID: e.people["cat"].ID, Title: "Gophers", Language: "en", Topic: "Go",
			PlaceKind: lanyard.MeetupBar, Venue: "v", Place: "Bar", Start: start, End: start.Add(time.Hour), Cap: 2}, nil)
		if err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprint("/api/v1/meetups/", m.ID)
		day := e.start.Format(time.DateOnly)
		for _, tt := range []struct {
			query string
			n     int
		}{{"", 1}, {"?language=en", 1}, {"?language=ko", 0}, {"?topic=go", 1}, {"?topic=rust", 0}, {"?day=" + day, 1}, {"?day=" + e.start.AddDate(0, 0, 1).Format(time.DateOnly), 0}} {
			code, body := e.do("ann", "GET", "/api/v1/meetups"+tt.query, "")
			var list struct{ Meetups []json.RawMessage }
			e.decode(body, &list)
			if code != 200 || len(list.Meetups) != tt.n {
				t.Errorf("GET /api/v1/meetups%s: %d %s; want %d", tt.query, code, body, tt.n)
			}
		}
		for _, tt := range []struct{ name, query, field string }{
			{"language", "?language=xx", "language"},
			{"topic", "?topic=" + strings.Repeat("t", 61), "topic"},
			{"day not of the event", "?day=2001-01-01", "day"},
			{"day not a date", "?day=monday", "day"},
			{"unknown", "?lang=en", "lang"},
		} {
			code, body := e.do("ann", "GET", "/api/v1/meetups"+tt.query, "")
			e.want(tt.name, code, body, 400, `"invalid"`, `"field":"`+tt.field+`"`)
		}

		// Cap 2: Cat (the organizer) and Ann go, Bob waits; Ann leaves and Bob goes.
		code, body := e.do("ann", "POST", path+"/rsvp", "")
		e.want("Ann's RSVP", code, body, 200, `"status":"going"`, `"already":false`)
		code, body = e.do("ann", "POST", path+"/rsvp", "")
		e.want("Ann's RSVP again", code, body, 200, `"already":true`)
		code, body = e.do("bob", "POST", path+"/rsvp", "")
		e.want("Bob's RSVP", code, body, 200, `"status":"waitlist"`, `"position":1`)
		code, body = e.do("bob", "GET", path, "")
		e.want("Bob's view", code, body, 200, `"going":2`, `"waiting":1`, `"rsvp":{"status":"waitlist","position":1}`)
		code, body = e.do("ann", "DELETE", path+"/rsvp", "")
		e.want("Ann leaves", code, body, 200, `"promoted":true`)
		code, body = e.do("bob", "GET", path, "")
		e.want("Bob promoted", code, body, 200, `"going":2`, `"rsvp":{"status":"going"}`)
		code, body = e.do("ann", "DELETE", path+"/rsvp", "")
		e.want("Ann leaves again: done already", code, body, 200, `"left":false`, `"promoted":false`)
		if got, err := db.Meetup(ctx, e.ev.ID, m.ID); err != nil || got.Going != 2 || got.Waiting != 0 {
			t.Errorf("meetup after: %+v %v", got, err)
		}

		code, body = e.do("ann", "POST", "/api/v1/meetups/999999/rsvp", "")
		e.want("unknown meetup", code, body, 404, `"not_found"`)
		code, body = e.do("", "GET", "/api/v1/meetups", "")
		e.want("no token", code, body, 401, `"unauthorized"`)

		// Hidden: gone for attendees, shown to organizers, no RSVP.
		if err := db.MeetupHide(ctx, e.ev.ID, m.ID, true, lanyard.AuditEntry{ActorID: e.people["org"].ID, Action: "meetup_hide"}); err != nil {
			t.Fatal(err)
		}
		code, body = e.do("ann", "GET", path, "")
		e.want("hidden, attendee", code, body, 404, `"not_found"`)
		code, body = e.do("ann", "POST", path+"/rsvp", "")
		e.want("hidden, RSVP", code, body, 404, `"not_found"`)
		code, body = e.do("org", "GET", path, "")
		e.want("hidden, organizer", code, body, 200, `"title":"Gophers"`)
	})
}

// /api/v1/parties: the parties one may see; RSVP to an open one up to its
// capacity; invite-only ones are answered on their page.
func TestPartiesAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newPeopleEnv(t, db)
		ctx := context.Background()
		starts := e.start.Add(20 * time.Hour)
		if _, err := db.PartyPut(ctx, e.ev.ID, lanyard.Party{Code: "gala", Title: "Gala", Kind: lanyard.KindParty, Starts: starts, Capacity: 1}); err != nil {
			t.Fatal(err)
		}
		vip, err := db.PartyPut(ctx, e.ev.ID, lanyard.Party{Code: "vip", Title: "VIP", Kind: lanyard.KindParty, Starts: starts, Capacity: 5, InviteOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.PartyInvitesSet(ctx, vip.ID, []string{"bob@example.com"}); err != nil {
			t.Fatal(err)
		}
		code, body := e.do("ann", "GET", "/api/v1/parties", "")
		if e.want("Ann's parties", code, body, 200, `"code":"gala"`); strings.Contains(body, `"vip"`) {
			t.Errorf("Ann sees an invite-only party she is not invited to: %s", body)
		}
		code, body = e.do("bob", "GET", "/api/v1/parties", "")
		e.want("Bob's parties", code, body, 200, `"code":"gala"`, `"code":"vip"`)

		for _, tt := range []struct{ name, body, field string }{
			{"no languages", `{"languages":[]}`, "languages"},
			{"unknown language", `{"languages":["xx"]}`, "languages"},
			{"long dietary", `{"languages":["en"],"dietary":"` + strings.Repeat("d", 201) + `"}`, "dietary"},
			{"seat with nobody", `{"languages":["en"],"seat_with":["nobody@example.com"]}`, "seat_with"},
			{"unknown field", `{"languages":["en"],"table":1}`, ""},
			{"null", `null`, ""},
		} {
			code, body := e.do("ann", "POST", "/api/v1/parties/gala/rsvp", tt.body)
			e.want(tt.name, code, body, 400, `"invalid"`, fieldOf(tt.field))
		}
		if g, err := db.PartyGuests(ctx, mustParty(t, db, e.ev.ID, "gala").ID); err != nil || len(g) != 0 {
			t.Errorf("refused RSVPs wrote guests: %+v %v", g, err)
		}

		code, body = e.do("ann", "POST", "/api/v1/parties/gala/rsvp", `{"languages":["en","ko"],"dietary":"vegan","seat_with":["bob@example.com"]}`)
		e.want("Ann's RSVP", code, body, 200, `"attending":true`, `"going":1`)
		code, body = e.do("bob", "POST", "/api/v1/parties/gala/rsvp", `{"languages":["en"]}`)
		e.want("Bob past the capacity", code, body, 409, `"party_full"`)
		code, body = e.do("bob", "POST", "/api/v1/parties/vip/rsvp", `{"languages":["en"]}`)
		e.want("Bob, invite-only", code, body, 403, `"forbidden"`)
		code, body = e.do("ann", "POST", "/api/v1/parties/vip/rsvp", `{"languages":["en"]}`)
		e.want("Ann, not invited", code, body, 404, `"not_found"`)
		code, body = e.do("ann", "POST", "/api/v1/parties/nope/rsvp", `{"languages":["en"]}`)
		e.want("unknown party", code, body, 404, `"not_found"`)
		code, body = e.do("ann", "POST", "/api/v1/parties/nope/rsvp", "")
		e.want("unknown party, no body", code, body, 404, `"not_found"`)

		code, body = e.do("ann", "GET", "/api/v1/parties", "")
		e.want("Ann attending", code, body, 200, `"attending":true`)
		code, body = e.do("ann", "DELETE", "/api/v1/parties/gala/rsvp", "")
		e.want("Ann leaves", code, body, 200, `"left":true`)
		code, body = e.do("ann", "DELETE", "/api/v1/parties/gala/rsvp", "")
		e.want("Ann leaves again: done already", code, body, 200, `"left":false`)
		code, body = e.do("bob", "POST", "/api/v1/parties/gala/rsvp", `{"languages":["en"]}`)
		e.want("Bob after Ann left", code, body, 200, `"attending":true`)
		code, body = e.do("", "POST", "/api/v1/parties/gala/rsvp", `{"languages":["en"]}`)
		e.want("no token", code, body, 401, `"unauthorized"`)

		// A cancelled party takes no answer and keeps its guests: 409 with
		// the code, not a server error.
		if _, err := db.PartyCancel(ctx, e.ev.ID, "gala", time.Now(), func(lanyard.Party, string, string) (map[string]string, error) {
			return map[string]string{}, nil
		}); err != nil {
			t.Fatal(err)
		}
		code, body = e.do("ann", "POST", "/api/v1/parties/gala/rsvp", `{"languages":["en"]}`)
		e.want("RSVP to a cancelled party", code, body, 409, `"party_cancelled"`)
		code, body = e.do("bob", "DELETE", "/api/v1/parties/gala/rsvp", "")
		e.want("leaving a cancelled party", code, body, 409, `"party_cancelled"`)
		if g, err := db.PartyGuests(ctx, mustParty(t, db, e.ev.ID, "gala").ID); err != nil || len(g) != 1 {
			t.Errorf("the cancelled party's guests: %+v %v, want Bob's answer kept", g, err)
		}
	})
}

func mustParty(t *testing.T, db *store.DB, eventID int64, code string) lanyard.Party {
	t.Helper()
	p, err := db.Party(context.Background(), eventID, code)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// fieldOf is what an error body says of field; "" for none to check.
func fieldOf(field string) string {
	if field == "" {
		return `"message":`
	}
	return `"field":"` + field + `"`
}

// POST /api/v1/meetups starts a meetup as /meetups/new does: the starter
// goes, others see it and answer it; bad fields are 400 naming the field
// and start nothing; the per-person limit is 429.
func TestCreateMeetupAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newPeopleEnv(t, db)
		ctx := context.Background()
		start := e.start.Add(19 * time.Hour)
		body := func(change func(map[string]any)) string {
			return jsonWith(t, map[string]any{"title": "한국어 사용자 번개", "language": "ko", "topic": "AWS Korea User Group", "place_kind": "room",
				"venue": "v", "place": "R", "start": start, "end": start.Add(90 * time.Minute), "cap": 3}, change)
		}
		code, out := e.do("ann", "POST", "/api/v1/meetups", body(nil))
		e.want("Ann starts a meetup", code, out, 201, `"title":"한국어 사용자 번개"`, `"going":1`, `"rsvp":{"status":"going"}`, `"place_kind":"room"`)
		var made struct{ ID int64 }
		e.decode(out, &made)
		m, err := db.Meetup(ctx, e.ev.ID, made.ID)
		if err != nil || m.OrganizerID != e.people["ann"].ID || m.Venue != "v" || m.Place != "R" || !m.Start.Equal(start) || m.Cap != 3 {
			t.Fatalf("stored: %+v %v", m, err)
		}
		code, out = e.do("bob", "GET", fmt.Sprint("/api/v1/meetups/", made.ID), "")
		e.want("Bob sees it", code, out, 200, `"going":1`, `"rsvp":null`)
		code, out = e.do("bob", "POST", fmt.Sprint("/api/v1/meetups/", made.ID, "/rsvp"), "")
		e.want("Bob answers it", code, out, 200, `"status":"going"`)

		for _, tt := range []struct {
			name, field string
			change      func(map[string]any)
		}{
			{"short title", "title", func(v map[string]any) { v["title"] = "x" }},
			{"unknown language", "language", func(v map[string]any) { v["language"] = "xx" }},
			{"unknown room", "place", func(v map[string]any) { v["place"] = "Attic" }},
			{"unknown venue", "venue", func(v map[string]any) { v["place_kind"] = "bar"; v["venue"] = "nowhere"; v["place"] = "Rosina" }},
			{"pin without a place", "lat", func(v map[string]any) { v["place_kind"] = "pin"; delete(v, "venue") }},
			{"no such kind", "place_kind", func(v map[string]any) { v["place_kind"] = "boat" }},
			{"in the past", "start", func(v map[string]any) { v["start"] = time.Now().Add(-time.Hour); v["end"] = time.Now() }},
			{"too short", "end", func(v map[string]any) { v["end"] = start.Add(5 * time.Minute) }},
			{"cap 1", "cap", func(v map[string]any) { v["cap"] = 1 }},
			{"cap too big", "cap", func(v map[string]any) { v["cap"] = 501 }},
		} {
			code, out := e.do("cat", "POST", "/api/v1/meetups", body(tt.change))
			e.want(tt.name, code, out, 400, `"invalid"`, `"field":"`+tt.field+`"`)
		}
		for _, tt := range []struct{ name, body string }{
			{"unknown field", body(func(v map[string]any) { v["owner"] = 1 })},
			{"not JSON", "{"},
			{"null", "null"},
			{"a start that is not a time", body(func(v map[string]any) { v["start"] = "tomorrow" })},
		} {
			code, out := e.do("cat", "POST", "/api/v1/meetups", tt.body)
			e.want(tt.name, code, out, 400, `"invalid"`)
		}
		if list, err := db.MeetupsOf(ctx, e.ev.ID, e.people["cat"].ID); err != nil || len(list) != 0 {
			t.Errorf("Cat's refused meetups were stored: %d %v", len(list), err)
		}
		code, out = e.do("", "POST", "/api/v1/meetups", body(nil))
		e.want("no token", code, out, 401, `"unauthorized"`)

		// With an Idempotency-Key, a retry finds the first meetup: a chat
		// bot that lost the answer starts one, not two.
		cats := func() []store.MyMeetup {
			list, err := db.MeetupsOf(ctx, e.ev.ID, e.people["cat"].ID)
			if err != nil {
				t.Fatal(err)
			}
			return list
		}
		code, out = e.doKey("cat", "POST", "/api/v1/meetups", body(nil), "bot-42")
		e.want("Cat starts one with a key", code, out, 201, `"going":1`)
		var first struct{ ID int64 }
		e.decode(out, &first)
		code, out = e.doKey("cat", "POST", "/api/v1/meetups", body(nil), "bot-42")
		e.want("the same request again", code, out, 201, fmt.Sprintf(`"id":%d,`, first.ID), `"rsvp":{"status":"going"}`)
		code, out = e.doKey("cat", "POST", "/api/v1/meetups", body(func(v map[string]any) { v["title"] = "Another one" }), "bot-42")
		e.want("the key with other fields", code, out, 400, `"idempotency_key_reused"`)
		code, out = e.doKey("cat", "POST", "/api/v1/meetups", body(nil), strings.Repeat("k", 201))
		e.want("a key too long", code, out, 400, `"invalid"`)
		if list := cats(); len(list) != 1 || list[0].ID != first.ID {
			t.Fatalf("Cat's meetups after the retries: %+v", list)
		}
		code, out = e.doKey("bob", "POST", "/api/v1/meetups", body(nil), "bot-42")
		e.want("Bob's own key of the same name", code, out, 201)
		var bobs struct{ ID int64 }
		e.decode(out, &bobs)
		if bobs.ID == first.ID {
			t.Fatalf("Bob's request found Cat's meetup %d", first.ID)
		}
		// At the limit, a retry of a started meetup still finds it.
		for i := 1; i < store.MeetupsPerOrganizer; i++ {
			code, out := e.do("cat", "POST", "/api/v1/meetups", body(func(v map[string]any) { v["title"] = fmt.Sprint("Cat's ", i) }))
			e.want("another of Cat's", code, out, 201)
		}
		code, out = e.doKey("cat", "POST", "/api/v1/meetups", body(nil), "bot-42")
		e.want("a retry at the limit", code, out, 201, fmt.Sprintf(`"id":%d,`, first.ID))
		if n := len(cats()); n != store.MeetupsPerOrganizer {
			t.Fatalf("Cat has %d meetups, want %d", n, store.MeetupsPerOrganizer)
		}

		// One person starts at most store.MeetupsPerOrganizer.
		for i := 1; i < store.MeetupsPerOrganizer; i++ {
			code, out := e.do("ann", "POST", "/api/v1/meetups", body(func(v map[string]any) { v["title"] = fmt.Sprint("Meetup ", i) }))
			e.want("another", code, out, 201)
		}
		code, out = e.do("ann", "POST", "/api/v1/meetups", body(nil))
		e.want("past the limit", code, out, 429, `"meetup_limit"`)
	})
}

// PUT /api/v1/admin/parties/{code}: an organizer makes a party as the
// page's form does, its door included, and changes it; bad fields are 400
// naming the field and store nothing; others are refused.
func TestPutPartyAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newPeopleEnv(t, db)
		ctx := context.Background()
		starts := e.start.Add(20 * time.Hour)
		body := func(change func(map[string]any)) string {
			return jsonWith(t, map[string]any{"title": "Builders' night", "kind": "party", "location": "Roof", "starts": starts, "capacity": 2}, change)
		}
		code, out := e.do("org", "PUT", "/api/v1/admin/parties/night", body(nil))
		e.want("the organizer makes a party", code, out, 201, `"code":"night"`, `"capacity":2`)
		p, err := db.Party(ctx, e.ev.ID, "night")
		if err != nil || p.Title != "Builders' night" || !p.Starts.Equal(starts) || p.ExhibitorID != 0 || p.Kind != lanyard.KindParty {
			t.Fatalf("stored: %+v %v", p, err)
		}
		door := func() lanyard.Place {
			t.Helper()
			places, err := db.Places(ctx, e.ev.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, pl := range places {
				if pl.Code == "night" {
					return pl
				}
			}
			t.Fatal("the party has no door place")
			return lanyard.Place{}
		}
		if d := door(); d.Capacity != 2 || d.Kind != "party" {
			t.Errorf("door place %+v", d)
		}
		// Attendees answer it through the API, up to the capacity.
		code, out = e.do("ann", "POST", "/api/v1/parties/night/rsvp", `{"languages":["en"]}`)
		e.want("Ann answers", code, out, 200, `"attending":true`)
		code, out = e.do("bob", "POST", "/api/v1/parties/night/rsvp", `{"languages":["en"]}`)
		e.want("Bob answers", code, out, 200, `"attending":true`)

		code, out = e.do("org", "PUT", "/api/v1/admin/parties/night", body(func(v map[string]any) { v["capacity"] = 3; v["title"] = "Builders' night out" }))
		e.want("the organizer changes it", code, out, 200, `"title":"Builders' night out"`, `"capacity":3`, `"going":2`)
		if d := door(); d.Capacity != 3 || d.Name != "Builders' night out" {
			t.Errorf("door place after the change %+v", d)
		}
		code, out = e.do("org", "PUT", "/api/v1/admin/parties/night", body(func(v map[string]any) { v["capacity"] = 1 }))
		e.want("a capacity below those going", code, out, 409, `"conflict"`)

		for _, tt := range []struct {
			name, code, field string
			change            func(map[string]any)
		}{
			{"no title", "x1", "title", func(v map[string]any) { v["title"] = " " }},
			{"no such kind", "x2", "kind", func(v map[string]any) { v["kind"] = "rave" }},
			{"no start", "x3", "starts", func(v map[string]any) { delete(v, "starts") }},
			{"capacity 0", "x4", "capacity", func(v map[string]any) { v["capacity"] = 0 }},
			{"a dinner without tables", "x5", "table_size", func(v map[string]any) { v["kind"] = "dinner" }},
			{"tables at a party", "x6", "table_size", func(v map[string]any) { v["table_size"] = 8 }},
			{"a bad code", "-bad", "code", nil},
			{"a party becomes a dinner", "night", "kind", func(v map[string]any) { v["kind"] = "dinner"; v["table_size"] = 8 }},
		} {
			code, out := e.do("org", "PUT", "/api/v1/admin/parties/"+tt.code, body(tt.change))
			e.want(tt.name, code, out, 400, `"invalid"`, `"field":"`+tt.field+`"`)
		}
		// A place's code is not a party's: the party's door would take the
		// lounge over.
		code, out = e.do("org", "PUT", "/api/v1/admin/places/lounge", `{"name":"Certified lounge","kind":"lounge","capacity":40}`)
		e.want("a lounge", code, out, 200)
		code, out = e.do("org", "PUT", "/api/v1/admin/parties/lounge", body(nil))
		e.want("a party with the lounge's code", code, out, 409, `"conflict"`)
		if places, err := db.Places(ctx, e.ev.ID); err != nil || !slices.ContainsFunc(places, func(p lanyard.Place) bool { return p.Code == "lounge" && p.Kind == "lounge" && p.Capacity == 40 }) {
			t.Errorf("the lounge after the refused party: %+v %v", places, err)
		}
		code, out = e.do("org", "PUT", "/api/v1/admin/parties/x7", body(func(v map[string]any) { v["host"] = 1 }))
		e.want("an unknown field", code, out, 400, `"invalid"`)
		code, out = e.do("ann", "PUT", "/api/v1/admin/parties/x8", body(nil))
		e.want("an attendee", code, out, 403, `"forbidden"`)
		code, out = e.do("xa", "PUT", "/api/v1/admin/parties/x9", body(nil))
		e.want("an exhibitor", code, out, 403, `"forbidden"`)
		ps, err := db.Parties(ctx, e.ev.ID)
		if err != nil || len(ps) != 1 {
			t.Fatalf("parties after the refusals: %d %v", len(ps), err)
		}

		// A cancelled party is not changed.
		if _, err := db.PartyCancel(ctx, e.ev.ID, "night", time.Now(), func(lanyard.Party, string, string) (map[string]string, error) {
			return map[string]string{}, nil
		}); err != nil {
			t.Fatal(err)
		}
		code, out = e.do("org", "PUT", "/api/v1/admin/parties/night", body(nil))
		e.want("cancelled", code, out, 409, `"party_cancelled"`)
	})
}

// jsonWith is v, changed by change if it is not nil, as JSON: a valid
// body and the bad ones made from it.
func jsonWith(t *testing.T, v map[string]any, change func(map[string]any)) string {
	t.Helper()
	if change != nil {
		change(v)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
