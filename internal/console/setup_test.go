package console_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// fieldErrors returns the message shown under each form field.
func fieldErrors(body string) map[string]string {
	out := map[string]string{}
	for _, part := range strings.Split(body, `<p class="field-error" id="`)[1:] {
		id, rest, _ := strings.Cut(part, `-error">`)
		msg, _, _ := strings.Cut(rest, "</p>")
		out[id] = msg
	}
	return out
}

// A wave made through the form is the engine's, and the audit log says who.
func TestSetupAddsWave(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.signIn(lanyard.RoleOrganizer)
		page := c.Get("/console/setup")
		if page.Status != http.StatusOK {
			t.Fatalf("setup: %d", page.Status)
		}
		r := c.Post("/console/setup/waves", url.Values{"wave_session": {"k1"}, "wave_seats": {"20"}, "wave_at": {"2026-11-30T15:00"}, "wave_announce": {"1"}, "key": {"k-1"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/console/setup#waves" {
			t.Fatalf("add wave: %d to %q\n%s", r.Status, r.Header.Get("Location"), r.Body)
		}
		// Submitted twice (a double click): one wave.
		c.Post("/console/setup/waves", url.Values{"wave_session": {"K1"}, "wave_seats": {"20"}, "wave_at": {"2026-11-30T15:00"}, "key": {"k-1"}})
		waves, err := e.eng.Waves(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(waves) != 1 || waves[0].Session != "K1" || waves[0].Seats != 20 || !waves[0].At.Equal(time.Date(2026, 11, 30, 15, 0, 0, 0, vegas)) || !waves[0].Announce {
			t.Errorf("waves = %+v", waves)
		}
		if got := c.Get("/console/setup"); !strings.Contains(got.Body, `data-session="K1"`) || !strings.Contains(got.Body, "Wave added.") {
			t.Error("the setup page does not list the wave or say it was added")
		}
		entries, err := db.FindAudit(context.Background(), e.ev.ID, store.AuditFilter{Session: "K1"})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || entries[0].Action != "wave" || entries[0].ActorID != e.people[lanyard.RoleOrganizer].ID {
			t.Errorf("audit = %+v", entries)
		}
	})
}

// Bad input comes back beside its field, in the visitor's language, and
// nothing is saved.
func TestSetupRefusesBadInput(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	ctx := context.Background()
	c := e.signIn(lanyard.RoleOrganizer)
	before, _ := e.eng.Settings(ctx)
	tests := []struct {
		name, path string
		form       url.Values
		want       map[string]string
	}{
		{"settings", "/console/setup/settings", url.Values{"changes_close_minutes": {"-5"}, "release_minutes": {"10"}, "fair_seconds": {"x"},
			"max_reservations": {"0"}, "max_per_day": {"0"}, "max_waitlists": {"3"}, "door_opens_minutes": {"30"}, "travel": {"refuse"}},
			map[string]string{"changes_close_minutes": "This value is out of range.", "fair_seconds": "Enter a whole number."}},
		{"holdbacks", "/console/setup/holdbacks", url.Values{"holdback_keynote": {"150"}, "holdback_session": {"10"}, "holdback_chalk-talk": {"1"},
			"holdback_workshop": {"1"}, "holdback_builders-session": {"1"}, "holdback_other": {"1"}},
			map[string]string{"holdback_keynote": "Enter a percentage from 0 to 100."}},
		{"wave", "/console/setup/waves", url.Values{"wave_session": {"NOPE"}, "wave_seats": {"0"}, "wave_at": {"soon"}},
			map[string]string{"wave_session": "No session has the code NOPE.", "wave_seats": "A wave releases at least one seat.", "wave_at": "Enter a date and time."}},
		{"window", "/console/setup/windows", url.Values{"window_type": {"keynote"}, "window_session": {"A"}, "window_opens": {"2026-11-30T10:00"}, "window_closes": {"2026-11-30T09:00"}},
			map[string]string{"window_type": "Choose a session type or enter one session, not both.", "window_closes": "The window must close after it opens."}},
		{"overflow", "/console/setup/overflow", url.Values{"overflow_session": {"K1"}, "overflow_room": {"Hall"}},
			map[string]string{"overflow_room": "Write the room as venue/room, for example venetian/Hall."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Post(tt.path, tt.form)
			if r.Status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.Status)
			}
			got := fieldErrors(r.Body)
			for k, want := range tt.want {
				if got[k] != want {
					t.Errorf("%s error %q, want %q (all: %v)", k, got[k], want, got)
				}
			}
		})
	}
	after, _ := e.eng.Settings(ctx)
	hb, _ := e.eng.Holdbacks(ctx)
	waves, _ := e.eng.Waves(ctx)
	wins, _ := e.eng.Windows(ctx)
	if after != before || hb[lanyard.TypeSession] != 0 || len(waves) != 0 || len(wins) != len(lanyard.SessionTypes) {
		t.Errorf("a refused form changed something: settings %+v → %+v, holdbacks %v, waves %v, %d windows", before, after, hb, waves, len(wins))
	}
	c.Lang = "ko"
	r := c.Post("/console/setup/waves", url.Values{"wave_session": {"K1"}, "wave_seats": {"0"}, "wave_at": {"2026-11-30T15:00"}})
	if got, want := fieldErrors(r.Body)["wave_seats"], "웨이브는 최소 한 좌석을 공개해야 합니다."; got != want {
		t.Errorf("Korean: %q, want %q", got, want)
	}
}

// Settings saved by the form reach the engine: the change cutoff, limits,
// the travel rule and the door window.
func TestSetupSavesSettings(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	c := e.signIn(lanyard.RoleOrganizer)
	r := c.Post("/console/setup/settings", url.Values{"changes_close_minutes": {"45"}, "release_minutes": {"5"}, "fair_seconds": {"0"},
		"max_reservations": {"12"}, "max_per_day": {"4"}, "max_waitlists": {"3"}, "door_opens_minutes": {"20"}, "line_opens_minutes": {"90"}, "call_minutes": {"3"}, "travel": {"refuse"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.Status, r.Body)
	}
	got, _ := e.eng.Settings(context.Background())
	want := lanyard.ReservationSettings{ChangesCloseMinutes: 45, ReleaseMinutes: 5, FairSeconds: 0, MaxReservations: 12, MaxPerDay: 4, MaxWaitlists: 3, TravelBlocks: true, DoorOpensMinutes: 20,
		LineOpensMinutes: 90, CallMinutes: 3}
	if got != want {
		t.Errorf("settings = %+v, want %+v", got, want)
	}
	page := c.Get("/console/setup")
	for _, want := range []string{`name="line_opens_minutes" type="number" inputmode="numeric" value="90"`, `name="call_minutes" type="number" inputmode="numeric" value="3"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the setup page does not show the saved value: no %s", want)
		}
	}
}

// The walk-up line's two settings: a new event's form shows their
// defaults with help, an out-of-range value is refused beside its field
// with its range, the typed values come back, and nothing is saved.
func TestSetupLineSettings(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	ctx := context.Background()
	c := e.signIn(lanyard.RoleOrganizer)
	page := c.Get("/console/setup")
	for _, want := range []string{`name="line_opens_minutes" type="number" inputmode="numeric" value="60"`, `name="call_minutes" type="number" inputmode="numeric" value="5"`,
		`id="line_opens_minutes-hint">Attendees may join a full session&#39;s walk-up line`, `id="call_minutes-hint">An attendee called from the walk-up line`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("a new event's setup page lacks %s", want)
		}
	}
	before, _ := e.eng.Settings(ctx)
	valid := func(line, call string) url.Values {
		return url.Values{"changes_close_minutes": {"45"}, "release_minutes": {"5"}, "fair_seconds": {"0"}, "max_reservations": {"12"}, "max_per_day": {"4"},
			"max_waitlists": {"3"}, "door_opens_minutes": {"20"}, "line_opens_minutes": {line}, "call_minutes": {call}, "travel": {"refuse"}}
	}
	tests := []struct {
		name, line, call string
		want             map[string]string
	}{
		{"line over a week", "10081", "5", map[string]string{"line_opens_minutes": "Enter minutes from 0 to 10080 (a week); 0 means the default, 60."}},
		{"negative line", "-1", "5", map[string]string{"line_opens_minutes": "Enter minutes from 0 to 10080 (a week); 0 means the default, 60."}},
		{"call over two hours", "60", "121", map[string]string{"call_minutes": "Enter minutes from 0 to 120; 0 means the default, 5."}},
		{"call not a number", "60", "5m", map[string]string{"call_minutes": "Enter a whole number."}},
		{"both", "99999", "-3", map[string]string{"line_opens_minutes": "Enter minutes from 0 to 10080 (a week); 0 means the default, 60.",
			"call_minutes": "Enter minutes from 0 to 120; 0 means the default, 5."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Post("/console/setup/settings", valid(tt.line, tt.call))
			if r.Status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.Status)
			}
			got := fieldErrors(r.Body)
			if len(got) != len(tt.want) {
				t.Errorf("errors %v, want %v", got, tt.want)
			}
			for k, want := range tt.want {
				if got[k] != want {
					t.Errorf("%s error %q, want %q", k, got[k], want)
				}
			}
			// The organizer's typed values come back to fix.
			for k, v := range map[string]string{"line_opens_minutes": tt.line, "call_minutes": tt.call, "door_opens_minutes": "20"} {
				if !strings.Contains(r.Body, `name="`+k+`" type="number" inputmode="numeric" value="`+v+`"`) {
					t.Errorf("%s does not keep the typed %q", k, v)
				}
			}
		})
	}
	if after, _ := e.eng.Settings(ctx); after != before {
		t.Errorf("a refused form changed the settings: %+v → %+v", before, after)
	}
	c.Lang = "ko"
	r := c.Post("/console/setup/settings", valid("60", "500"))
	if got, want := fieldErrors(r.Body)["call_minutes"], "0에서 120 사이의 분을 입력하세요. 0은 기본값 5입니다."; got != want {
		t.Errorf("Korean: %q, want %q", got, want)
	}
}

// Every console message is in English and Korean.
func TestLocalesMatch(t *testing.T) {
	keys := func(lang string) []string {
		b, err := os.ReadFile("locales/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]any{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		var out []string
		for k, v := range m {
			if s, ok := v.(string); ok && strings.TrimSpace(s) == "" {
				t.Errorf("%s: %s is empty", lang, k)
			}
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	if en, ko := keys("en"), keys("ko"); !slices.Equal(en, ko) {
		t.Errorf("en and ko differ:\nen %v\nko %v", en, ko)
	}
}
