package party_test

import (
	"context"
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

	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/party"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
	"github.com/lanyardhq/lanyard/internal/web"
	"github.com/lanyardhq/lanyard/internal/web/webtest"
)

type env struct {
	t      *testing.T
	db     *store.DB
	ev     *lanyard.Event
	eng    *reserve.Engine
	srv    *httptest.Server
	people map[string]*lanyard.Attendee
}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	ctx := context.Background()
	lc := &lanyard.Catalog{
		Event:  lanyard.Event{Slug: "party-conf", Name: "Party Conf", TimeZone: "Asia/Seoul", StartDate: "2026-12-01", Days: 2},
		Venues: []lanyard.Venue{{Code: "v", Name: "Venue", Rooms: []lanyard.Room{{Name: "Hall", Capacity: 100}}}},
	}
	if _, err := db.ImportCatalog(ctx, lc); err != nil {
		t.Fatal(err)
	}
	ev, err := db.FindEventBySlug(ctx, lc.Event.Slug)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Load(ctx, db, ev)
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
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	// "Now and next" is read an hour before the dinners (19:00 in Seoul).
	onSite := func() time.Time { return time.Date(2026, 12, 1, 18, 0, 0, 0, time.FixedZone("KST", 9*3600)) }
	pages := &web.Handler{Catalog: &cur, Engine: eng, Store: db, Sessions: web.NewSessions(store.SessionStore{DB: db}), Hasher: auth.NewHasher(2), Log: log, Now: onSite}
	mux := http.NewServeMux()
	rt := &route.Table{Mux: mux}
	pages.Routes(rt)
	shell, err := party.NewShell(pages)
	if err != nil {
		t.Fatal(err)
	}
	h := &party.Handler{Shell: shell, Catalog: &cur, Store: db, Engine: eng, Log: log}
	h.Routes(rt)
	pages.AgendaSources = append(pages.AgendaSources, h.AgendaEntries)
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	e := &env{t: t, db: db, ev: ev, eng: eng, srv: srv, people: map[string]*lanyard.Attendee{}}
	acme, err := db.PutExhibitor(ctx, ev.ID, lanyard.Exhibitor{Code: "acme", Name: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := db.PutExhibitor(ctx, ev.ID, lanyard.Exhibitor{Code: "other", Name: "Other"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		name, company string
		role          lanyard.Role
		staffs        int64
	}{
		{"ana", "Alpha", lanyard.RoleAttendee, 0}, {"bo", "Beta", lanyard.RoleAttendee, 0}, {"cy", "Gamma", lanyard.RoleAttendee, 0},
		{"di", "Delta", lanyard.RoleAttendee, 0}, {"ed", "Alpha", lanyard.RoleAttendee, 0},
		{"org", "Conf", lanyard.RoleOrganizer, 0}, {"acme", "Acme", lanyard.RoleExhibitor, acme.ID},
		{"other", "Other", lanyard.RoleExhibitor, other.ID}, {"nobody", "None", lanyard.RoleExhibitor, 0},
	} {
		a := &lanyard.Attendee{Name: "Person " + p.name, Email: p.name + "@example.com", Company: p.company, Role: p.role}
		webtest.SignUp(t, db, ev.ID, a)
		if p.staffs != 0 {
			if err := db.SetExhibitorStaff(ctx, p.staffs, a.ID); err != nil {
				t.Fatal(err)
			}
		}
		e.people[p.name] = a
	}
	return e
}

// client is one browser of the test server.
type client struct{ *webtest.Client }

func (e *env) signIn(name string) *client {
	e.t.Helper()
	c := &client{webtest.NewClient(e.t, e.srv)}
	c.SignIn(e.people[name].Email, webtest.Password)
	return c
}

func (e *env) expect(r *webtest.Resp, status int, code string) {
	e.t.Helper()
	r.Expect(e.t, status, code)
}

func dinner(code string, capacity, tableSize int) url.Values {
	return url.Values{"code": {code}, "title": {"Dinner " + code}, "kind": {"dinner"}, "starts": {"2026-12-01T19:00"},
		"location": {"Terrace"}, "capacity": {fmt.Sprint(capacity)}, "table_size": {fmt.Sprint(tableSize)}}
}

// TestParties: who may host, RSVP up to the capacity with door entry
// granted and taken through the engine, invitation lists and the
// exhibitor's own parties only, seating and the attendee's table, table
// cards for hosts only, bad input refused with nothing changed.
func TestParties(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		ana, org, acme, other, nobody := e.signIn("ana"), e.signIn("org"), e.signIn("acme"), e.signIn("other"), e.signIn("nobody")

		// Hosting: organizers and exhibitor staff; not attendees, not an
		// exhibitor account staffing no company.
		e.expect(ana.Post("/parties", dinner("gala", 4, 2)), http.StatusForbidden, lanyard.EFORBIDDEN)
		e.expect(nobody.Post("/parties", dinner("gala", 4, 2)), http.StatusForbidden, lanyard.EFORBIDDEN)
		bad := dinner("gala", 4, 2)
		bad.Set("capacity", "lots")
		e.expect(org.Post("/parties", bad), http.StatusBadRequest, lanyard.EINVALID)
		bad = dinner("gala", 4, 1)
		e.expect(org.Post("/parties", bad), http.StatusBadRequest, lanyard.EINVALID)
		if ps, _ := db.Parties(ctx, e.ev.ID); len(ps) != 0 {
			t.Fatalf("bad input created %d parties", len(ps))
		}
		e.expect(org.Post("/parties", dinner("gala", 4, 2)), http.StatusSeeOther, "")
		e.expect(org.Post("/parties", dinner("gala", 4, 2)), http.StatusConflict, lanyard.ECONFLICT)
		// The door: a place of kind party only its guests enter.
		places, _ := e.eng.PlaceList(ctx)
		if len(places) != 1 || places[0].Code != "gala" || places[0].Kind != "party" {
			t.Fatalf("places = %+v", places)
		}

		// RSVPs up to the capacity; door entry granted.
		for _, name := range []string{"ana", "bo", "cy", "di"} {
			c := ana
			if name != "ana" {
				c = e.signIn(name)
			}
			form := url.Values{"languages": {"en"}, "dietary": {"vegetarian"}}
			if name == "bo" {
				form.Set("seat_with", "cy@example.com")
			}
			e.expect(c.Post("/parties/gala/rsvp", form), http.StatusSeeOther, "")
		}
		e.expect(e.signIn("ed").Post("/parties/gala/rsvp", url.Values{"languages": {"en"}}), http.StatusConflict, lanyard.EPartyFull)
		e.expect(ana.Post("/parties/gala/rsvp", url.Values{"languages": {"en"}, "seat_with": {"nobody-here@example.com"}}), http.StatusBadRequest, lanyard.EINVALID)
		if g, _ := db.PartyGuestOf(ctx, mustParty(t, db, e, "gala").ID, e.people["ana"].ID); g.Dietary != "vegetarian" {
			t.Errorf("a refused update changed the answers: %+v", g)
		}
		keys, _ := e.eng.Entitlements(ctx, e.people["ana"].ID)
		if !slices.Contains(keys, lanyard.InviteKey(party.DoorList("gala"))) {
			t.Fatalf("ana's entitlements = %v", keys)
		}
		if _, err := e.eng.Enter(ctx, e.people["org"].ID, e.people["ana"].ID, "gala", "enter-ana"); err != nil {
			t.Errorf("ana at the door: %v", err)
		}
		if _, err := e.eng.Enter(ctx, e.people["org"].ID, e.people["ed"].ID, "gala", "enter-ed"); lanyard.ErrorCode(err) != lanyard.ENotEntitled {
			t.Errorf("ed at the door: %v, want not entitled", err)
		}

		// Seating: hosts only; then each guest sees their table.
		e.expect(ana.Post("/parties/gala/seat", url.Values{}), http.StatusForbidden, lanyard.EFORBIDDEN)
		e.expect(ana.Get("/parties/gala/cards.pdf"), http.StatusForbidden, lanyard.EFORBIDDEN)
		e.expect(org.Get("/parties/gala/cards.pdf"), http.StatusConflict, lanyard.ECONFLICT)
		e.expect(org.Post("/parties/gala/seat", url.Values{}), http.StatusSeeOther, "")
		guests, _ := db.PartyGuests(ctx, mustParty(t, db, e, "gala").ID)
		tables := map[string]int{}
		for _, g := range guests {
			tables[g.Email] = g.Table
			if g.Table < 1 || g.Table > 2 {
				t.Errorf("%s at table %d", g.Email, g.Table)
			}
		}
		if tables["bo@example.com"] != tables["cy@example.com"] {
			t.Errorf("seat-me-with not held: %v", tables)
		}
		page := ana.Get("/parties/gala")
		e.expect(page, http.StatusOK, "")
		if !strings.Contains(page.Body, `id="party-my-table"`) || !strings.Contains(page.Body, fmt.Sprintf("Your table: %d", tables["ana@example.com"])) {
			t.Errorf("ana's page shows no table: %.2000s", page.Body)
		}
		if strings.Contains(page.Body, `id="party-host"`) {
			t.Error("a guest sees the host's section")
		}
		// The dinner is on her agenda with her table, linked to its page;
		// not on the agenda of someone who did not say yes.
		agenda := ana.Get("/agenda")
		e.expect(agenda, http.StatusOK, "")
		if !strings.Contains(agenda.Body, `href="/parties/gala"`) || !strings.Contains(agenda.Body, fmt.Sprintf("Seated dinner · Your table: %d", tables["ana@example.com"])) {
			t.Errorf("ana's agenda lacks the dinner: %.3000s", agenda.Body)
		}
		if strings.Contains(agenda.Body, "Terrace, ") { // no venue to name after the place
			t.Error("the dinner's place on the agenda ends in a comma")
		}
		// On site, "now and next" has it next, in an hour, at the terrace.
		if now := ana.Get("/now").Body; !strings.Contains(now, `id="now-next-0" data-session="PARTY-gala"`) || !strings.Contains(now, `<a href="/parties/gala">Dinner gala</a>`) ||
			!strings.Contains(now, `<p class="stop-where">Terrace`) || strings.Contains(now, "Terrace, ") || !strings.Contains(now, "in 1 h") {
			t.Errorf("ana's now and next lacks the dinner: %.3000s", now)
		}
		if other := e.signIn("acme").Get("/agenda"); other.Status != http.StatusOK || strings.Contains(other.Body, `href="/parties/gala"`) {
			t.Errorf("the agenda of someone not going: %d, with the dinner: %v", other.Status, strings.Contains(other.Body, `href="/parties/gala"`))
		}
		pdf := org.Get("/parties/gala/cards.pdf")
		e.expect(pdf, http.StatusOK, "")
		if !strings.HasPrefix(pdf.Body, "%PDF") || pdf.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("cards: %q %.10q", pdf.Header.Get("Content-Type"), pdf.Body)
		}
		// Editing: host only; a capacity below those going is refused and
		// changes nothing; a larger one moves the door's capacity too.
		edit := url.Values{"title": {"Gala, moved"}, "starts": {"2026-12-01T20:00"}, "capacity": {"3"}, "table_size": {"2"}}
		e.expect(ana.Post("/parties/gala/edit", edit), http.StatusForbidden, lanyard.EFORBIDDEN)
		e.expect(org.Post("/parties/gala/edit", edit), http.StatusConflict, lanyard.ECONFLICT)
		if got := mustParty(t, db, e, "gala"); got.Capacity != 4 || got.Title != "Dinner gala" {
			t.Fatalf("a refused edit changed the party: %+v", got)
		}
		edit.Set("capacity", "6")
		edit.Set("kind", "party") // the kind stays
		e.expect(org.Post("/parties/gala/edit", edit), http.StatusSeeOther, "")
		if got := mustParty(t, db, e, "gala"); got.Capacity != 6 || got.Title != "Gala, moved" || got.Kind != lanyard.KindDinner {
			t.Fatalf("edited = %+v", got)
		}
		if occ, err := e.eng.Occupancy("gala"); err != nil || occ.Capacity != 6 {
			t.Errorf("the door's capacity: %+v %v", occ, err)
		}

		// Cancelling frees the place and takes the door.
		e.expect(ana.Post("/parties/gala/cancel", url.Values{}), http.StatusSeeOther, "")
		keys, _ = e.eng.Entitlements(ctx, e.people["ana"].ID)
		if slices.Contains(keys, lanyard.InviteKey(party.DoorList("gala"))) {
			t.Errorf("ana keeps the door after cancelling: %v", keys)
		}
		e.expect(e.signIn("ed").Post("/parties/gala/rsvp", url.Values{"languages": {"en"}}), http.StatusSeeOther, "")

		// An exhibitor's invite-only party: hidden from the uninvited and
		// from other exhibitors, who cannot touch it.
		p := url.Values{"code": {"acme-night"}, "title": {"Acme night"}, "kind": {"party"}, "starts": {"2026-12-01T21:00"}, "capacity": {"50"}, "invite_only": {"1"}}
		e.expect(acme.Post("/parties", p), http.StatusSeeOther, "")
		if got := mustParty(t, db, e, "acme-night"); got.ExhibitorID == 0 || !got.InviteOnly {
			t.Fatalf("acme-night = %+v", got)
		}
		e.expect(ana.Get("/parties/acme-night"), http.StatusNotFound, lanyard.ENOTFOUND)
		e.expect(ana.Post("/parties/acme-night/rsvp", url.Values{"languages": {"en"}}), http.StatusNotFound, lanyard.ENOTFOUND)
		e.expect(other.Post("/parties/acme-night/invites", url.Values{"emails": {"other@example.com"}}), http.StatusNotFound, lanyard.ENOTFOUND)
		if l := ana.Get("/parties"); strings.Contains(l.Body, "acme-night") {
			t.Error("the list shows an uninvited attendee an invite-only party")
		}
		e.expect(acme.Post("/parties/acme-night/invites", url.Values{"emails": {"not-an-email"}}), http.StatusBadRequest, lanyard.EINVALID)
		e.expect(acme.Post("/parties/acme-night/invites", url.Values{"emails": {"ANA@example.com\nbo@example.com"}}), http.StatusSeeOther, "")
		e.expect(ana.Post("/parties/acme-night/rsvp", url.Values{"languages": {"en", "ko"}}), http.StatusSeeOther, "")
		if l := ana.Get("/parties"); !strings.Contains(l.Body, "acme-night") {
			t.Error("the list hides an invited party")
		}
		e.expect(other.Post("/parties/gala/seat", url.Values{}), http.StatusForbidden, lanyard.EFORBIDDEN)
		if r := acme.Get("/parties/acme-night"); !strings.Contains(r.Body, `id="party-host"`) || !strings.Contains(r.Body, "Person ana") {
			t.Error("the host does not see their guests")
		}
	})
}

func mustParty(t *testing.T, db *store.DB, e *env, code string) lanyard.Party {
	t.Helper()
	p, err := db.Party(context.Background(), e.ev.ID, code)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
