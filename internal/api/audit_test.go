package api_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/api"
	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/badge"
	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// Every admin action through the API leaves an audit entry naming the
// token's attendee, once it is done: a refused one and a dry run leave none.
func TestAdminActionsAreAudited(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		start := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Hour)
		c := &lanyard.Catalog{
			Event:  lanyard.Event{Slug: "audit", Name: "Audit", TimeZone: "UTC", StartDate: start.Format(time.DateOnly), Days: 3},
			Venues: []lanyard.Venue{{Code: "v", Name: "V", Rooms: []lanyard.Room{{Name: "R", Capacity: 5}, {Name: "O", Capacity: 50}}}},
			Sessions: []lanyard.Session{{Code: "S", Title: "S", Type: lanyard.TypeSession, Venue: "v", Room: "R",
				Start: start, End: start.Add(time.Hour), Reservable: true}},
		}
		if _, err := db.ImportCatalog(ctx, c); err != nil {
			t.Fatal(err)
		}
		org := &lanyard.Attendee{Name: "Org", Email: "org@example.com", Role: lanyard.RoleOrganizer}
		ann := &lanyard.Attendee{Name: "Ann", Email: "ann@example.com"}
		if err := db.CreateAttendees(ctx, c.Event.ID, []*lanyard.Attendee{org, ann}); err != nil {
			t.Fatal(err)
		}
		token, hash := auth.NewToken()
		if err := db.CreateTokens(ctx, []store.Token{{AttendeeID: org.ID, Hash: hash, Name: "test"}}); err != nil {
			t.Fatal(err)
		}
		cat, err := catalog.Load(ctx, db, &c.Event)
		if err != nil {
			t.Fatal(err)
		}
		eng, err := reserve.Open(ctx, db, cat, reserve.Options{Tick: -1})
		if err != nil {
			t.Fatal(err)
		}
		defer eng.Close()
		var cur atomic.Pointer[catalog.Catalog]
		cur.Store(cat)
		tab := &route.Table{Mux: http.NewServeMux()}
		(&api.Handler{Catalog: &cur, Engine: eng, Ident: db, Log: slog.New(slog.DiscardHandler), Badges: &badge.Service{DB: db, Event: &c.Event},
			Registrations: db, Audit: db}).Routes(tab)
		srv := httptest.NewServer(tab.Mux)
		defer srv.Close()

		send := func(method, path, ctype string, body io.Reader) int {
			t.Helper()
			req, _ := http.NewRequest(method, srv.URL+path, body)
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", ctype)
			if method == "POST" {
				req.Header.Set("Idempotency-Key", "k-"+path)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}
		upload := func(dry bool) (string, io.Reader) {
			var b bytes.Buffer
			mw := multipart.NewWriter(&b)
			fw, _ := mw.CreateFormFile("file", "tickets.csv")
			io.WriteString(fw, "email,name,ticket\nbo@example.com,Bo,T1\n")
			if dry {
				mw.WriteField("dry_run", "true")
			}
			mw.Close()
			return mw.FormDataContentType(), &b
		}
		js := "application/json"
		opens := start.Add(-24 * time.Hour).Format(time.RFC3339)
		steps := []struct {
			method, path, body string
			want               int
			action             string // "" when no entry is due
		}{
			{"PUT", "/api/v1/admin/settings", `{"max_reservations": 12}`, 200, "settings"},
			{"PUT", "/api/v1/admin/settings", `{"no_such_setting": 1}`, 400, ""},
			{"PUT", "/api/v1/admin/holdbacks/session", `{"percent": 10}`, 200, "holdbacks"},
			{"POST", "/api/v1/admin/windows", `{"session_type": "session", "opens": "` + opens + `", "closes": "` + start.Format(time.RFC3339) + `"}`, 201, "window"},
			{"POST", "/api/v1/admin/sessions/S/overflow", `{"venue": "v", "room": "O"}`, 204, "overflow"},
			{"POST", "/api/v1/admin/badges/" + itoa(ann.ID) + "/replace", ``, 200, "badge_replaced"},
			{"POST", "/api/v1/admin/badges/" + itoa(ann.ID) + "/pickup", ``, 200, "badge_pickup"},
			{"PUT", "/api/v1/admin/signup-mode", `{"signup_mode": "invitation"}`, 200, "signup_mode"},
		}
		var want []string
		for _, s := range steps {
			if got := send(s.method, s.path, js, strings.NewReader(s.body)); got != s.want && !(s.want == 400 && got == 422) {
				t.Errorf("%s %s: %d, want %d", s.method, s.path, got, s.want)
			}
			if s.action != "" {
				want = append(want, s.action)
			}
		}
		ct, body := upload(true)
		if got := send("POST", "/api/v1/admin/attendees/import", ct, body); got != 200 {
			t.Errorf("dry-run import: %d", got)
		}
		ct, body = upload(false)
		if got := send("POST", "/api/v1/admin/attendees/import", ct, body); got != 200 {
			t.Errorf("import: %d", got)
		}
		want = append(want, "attendee_import")

		entries, err := db.FindAudit(ctx, c.Event.ID, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for i := len(entries) - 1; i >= 0; i-- { // oldest first
			e := entries[i]
			got = append(got, e.Action)
			if e.ActorID != org.ID {
				t.Errorf("%s: actor %d, want the token's attendee %d", e.Action, e.ActorID, org.ID)
			}
			switch e.Action {
			case "overflow":
				if e.Session != "S" {
					t.Errorf("overflow entry names session %q, want S", e.Session)
				}
			case "badge_replaced", "badge_pickup":
				if e.AttendeeID != ann.ID {
					t.Errorf("%s names attendee %d, want %d", e.Action, e.AttendeeID, ann.ID)
				}
			case "settings":
				if !strings.Contains(e.Detail, `"max_reservations":12`) {
					t.Errorf("settings detail %q lacks the change", e.Detail)
				}
			case "attendee_import":
				if e.Detail != "tickets.csv" {
					t.Errorf("import detail %q, want the file's name", e.Detail)
				}
			}
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("audit entries %v, want %v", got, want)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// An attendee whose ticket was cancelled is refused new seats by the API
// (403 ticket_canceled) and may still read their agenda.
func TestCanceledTicketTakesNoSeat(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		start := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Hour)
		c := &lanyard.Catalog{
			Event:  lanyard.Event{Slug: "gone", Name: "Gone", TimeZone: "UTC", StartDate: start.Format(time.DateOnly), Days: 3},
			Venues: []lanyard.Venue{{Code: "v", Name: "V", Rooms: []lanyard.Room{{Name: "R", Capacity: 5}}}},
			Sessions: []lanyard.Session{{Code: "S", Title: "S", Type: lanyard.TypeSession, Venue: "v", Room: "R",
				Start: start, End: start.Add(time.Hour), Reservable: true}},
		}
		if _, err := db.ImportCatalog(ctx, c); err != nil {
			t.Fatal(err)
		}
		org := &lanyard.Attendee{Name: "Org", Email: "org@example.com", Role: lanyard.RoleOrganizer}
		if err := db.CreateAttendees(ctx, c.Event.ID, []*lanyard.Attendee{org}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ApplyRegistrations(ctx, c.Event.ID, []store.Registration{{ExternalID: "T1", Email: "ann@example.com", Name: "Ann"}}, nil, false); err != nil {
			t.Fatal(err)
		}
		ann, err := db.FindAttendeeByEmail(ctx, c.Event.ID, "ann@example.com")
		if err != nil {
			t.Fatal(err)
		}
		token, hash := auth.NewToken()
		orgToken, orgHash := auth.NewToken()
		if err := db.CreateTokens(ctx, []store.Token{{AttendeeID: ann.ID, Hash: hash, Name: "test"}, {AttendeeID: org.ID, Hash: orgHash, Name: "test"}}); err != nil {
			t.Fatal(err)
		}
		cat, _ := catalog.Load(ctx, db, &c.Event)
		eng, err := reserve.Open(ctx, db, cat, reserve.Options{Tick: -1})
		if err != nil {
			t.Fatal(err)
		}
		defer eng.Close()
		if _, err := eng.AddWindow(ctx, 0, "", lanyard.Window{SessionType: lanyard.TypeSession, Opens: time.Now().Add(-time.Hour), Closes: start}); err != nil {
			t.Fatal(err)
		}
		if rs, err := eng.Reserve(ctx, ann.ID, []string{"S"}, false, ""); err != nil || rs[0].Outcome != lanyard.OutcomeReserved {
			t.Fatalf("ann reserves S: %+v, %v", rs, err)
		}
		var cur atomic.Pointer[catalog.Catalog]
		cur.Store(cat)
		tab := &route.Table{Mux: http.NewServeMux()}
		(&api.Handler{Catalog: &cur, Engine: eng, Ident: db, Log: slog.New(slog.DiscardHandler), Registrations: db}).Routes(tab)
		srv := httptest.NewServer(tab.Mux)
		defer srv.Close()

		// The organizer imports the ticket cancelled: ann's seat is given back.
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		fw, _ := mw.CreateFormFile("file", "cancel.csv")
		io.WriteString(fw, "ticket_id,email,name,status\nT1,ann@example.com,Ann,cancelled\n")
		mw.Close()
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/admin/attendees/import", &b)
		req.Header.Set("Authorization", "Bearer "+orgToken)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("import: %d", res.StatusCode)
		}
		if c, _ := eng.Seats("S"); c.Taken != 0 {
			t.Errorf("S after the cancelling import: %+v; want ann's seat given back", c)
		}
		do := func(method, path, body string) (int, string) {
			req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Idempotency-Key", "k-"+method+path)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return res.StatusCode, string(b)
		}
		for _, tt := range []struct{ method, path, body string }{
			{"POST", "/api/v1/reservations", `{"sessions": ["S"]}`},
			{"POST", "/api/v1/waitlist/S", ``},
		} {
			if code, body := do(tt.method, tt.path, tt.body); code != http.StatusForbidden || !strings.Contains(body, `"ticket_canceled"`) {
				t.Errorf("%s %s: %d %s; want 403 ticket_canceled", tt.method, tt.path, code, body)
			}
		}
		if code, _ := do("GET", "/api/v1/me/agenda", ""); code != http.StatusOK {
			t.Errorf("agenda: %d, want 200", code)
		}
		if ag, _ := eng.Agenda(ctx, ann.ID); len(ag.Reservations)+len(ag.Waitlists) != 0 {
			t.Errorf("a cancelled ticket holds %+v", ag)
		}
	})
}
