package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/realdata"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

func noEnv(string) string { return "" }

// runCmd runs a command to completion and returns its exit code and output.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr lockedBuffer
	code := run(context.Background(), args, noEnv, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

var urlRE = regexp.MustCompile(`serving .* at (http://\S+)`)

// startCmd starts a serving command and returns its base URL. The command
// is stopped, and must exit 0, when the test ends.
func startCmd(t *testing.T, args ...string) (string, *lockedBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr lockedBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, args, noEnv, &stdout, &stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("%v exited %d after shutdown; stderr:\n%s", args, code, stderr.String())
			}
		case <-time.After(20 * time.Second):
			t.Errorf("%v did not shut down", args)
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		// The demo prints its banner (sign-ins, tokens) after it serves;
		// its parties line is always there and comes last.
		if m := urlRE.FindStringSubmatch(stdout.String()); m != nil && (args[0] != "demo" || strings.Contains(stdout.String(), "  Parties ")) {
			return m[1], &stdout
		}
		select {
		case code := <-done:
			t.Fatalf("%v exited %d before serving; stderr:\n%s", args, code, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("%v never served; stdout:\n%s\nstderr:\n%s", args, stdout.String(), stderr.String())
	return "", nil
}

func get(t *testing.T, url, token string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

func getJSON(t *testing.T, url, token string, wantStatus int, v any) {
	t.Helper()
	status, body := get(t, url, token)
	if status != wantStatus {
		t.Fatalf("GET %s: status %d, want %d; body %s", url, status, wantStatus, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v in %s", url, err, body)
	}
}

func readTokens(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows[1:] {
		out[r[0]] = r[1]
	}
	return out
}

type apiError struct {
	Error struct{ Code, Message string } `json:"error"`
}

// TestDemoEndToEnd runs "lanyard demo" on a free port and uses it as a
// client would: the README's first command, in miniature.
func TestDemoEndToEnd(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "demo.db")
	base, stdout := startCmd(t, "demo", "--addr", "127.0.0.1:0", "--db", dbPath, "--attendees", "40", "--log-level", "warn")
	tokens := readTokens(t, filepath.Join(dir, "tokens.csv"))
	if got, want := len(tokens), 40; got < want {
		t.Fatalf("%d tokens, want at least %d", got, want)
	}
	if !strings.Contains(stdout.String(), "Organizer token") {
		t.Fatalf("banner lacks the organizer token:\n%s", stdout.String())
	}
	// The printed organizer and staff sign in to the web and land on the console.
	organizer, staff := consoleLogins(t, stdout.String())
	for _, email := range []string{organizer, staff} {
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := c.PostForm(base+"/signin", url.Values{"email": {email}, "password": {demoPassword}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/console" {
			t.Fatalf("%s signs in: %d to %q, want the console", email, res.StatusCode, res.Header.Get("Location"))
		}
	}
	// The demo is an event still ahead, whatever day the test runs.
	var ev struct {
		StartDate string `json:"start_date"`
	}
	getJSON(t, base+"/api/v1/event", "", 200, &ev)
	if first, err := time.Parse(time.DateOnly, ev.StartDate); err != nil || time.Until(first) < 26*24*time.Hour || first.Weekday() != time.Monday {
		t.Fatalf("demo starts %q: want a Monday about four weeks ahead (%v)", ev.StartDate, err)
	}

	var list struct {
		Total    int
		Sessions []struct {
			Code, Title, Type, Day, Venue string
			StartLocal                    string `json:"start_local"`
		}
	}
	getJSON(t, base+"/api/v1/sessions?limit=5", "", 200, &list)
	if list.Total < 2500 || len(list.Sessions) != 5 {
		t.Fatalf("catalog: total %d, page %d; want ~3000 and 5", list.Total, len(list.Sessions))
	}
	getJSON(t, base+"/api/v1/sessions?type=keynote&limit=500", "", 200, &list)
	if list.Total == 0 {
		t.Fatal("no keynotes")
	}
	for _, s := range list.Sessions {
		if s.Type != "keynote" || !strings.HasSuffix(s.StartLocal, "-08:00") {
			t.Fatalf("keynote filter returned %+v (local start should carry PST's -08:00)", s)
		}
	}
	code := list.Sessions[0].Code
	var one struct{ Code string }
	getJSON(t, base+"/api/v1/sessions/"+code, "", 200, &one)
	if one.Code != code {
		t.Fatalf("session %s came back as %s", code, one.Code)
	}

	var e apiError
	getJSON(t, base+"/api/v1/sessions/NOPE-1", "", 404, &e)
	if e.Error.Code != "not_found" || e.Error.Message == "" {
		t.Fatalf("404 body %+v", e)
	}
	getJSON(t, base+"/api/v1/sessions?level=abc", "", 400, &e)
	if e.Error.Code != "invalid" {
		t.Fatalf("bad level: %+v", e)
	}
	getJSON(t, base+"/api/v1/me", "", 401, &e)
	getJSON(t, base+"/api/v1/me", "lyd_wrong", 401, &e)
	getJSON(t, base+"/api/v1/sessions", "lyd_wrong", 401, &e) // a wrong token is refused even where none is needed

	var me struct{ Email, Role string }
	for email, token := range tokens {
		getJSON(t, base+"/api/v1/me", token, 200, &me)
		if me.Email != email {
			t.Fatalf("token of %s answers as %s", email, me.Email)
		}
		break
	}
	var venues struct {
		Venues      []struct{ Code string }
		TravelTimes []struct{ From, To string } `json:"travel_times"`
	}
	getJSON(t, base+"/api/v1/venues", "", 200, &venues)
	if len(venues.Venues) != 6 || len(venues.TravelTimes) != 30 {
		t.Fatalf("%d venues and %d travel times, want 6 and 30", len(venues.Venues), len(venues.TravelTimes))
	}
	var doc struct{ OpenAPI string }
	getJSON(t, base+"/api/v1/openapi.json", "", 200, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	for _, path := range []string{"/healthz", "/readyz", "/", "/schedule.xml", "/schedule.json"} {
		if status, body := get(t, base+path, ""); status != 200 {
			t.Fatalf("GET %s: %d %s", path, status, body)
		}
	}
	status, body := get(t, base+"/metrics", "")
	if status != 200 || !strings.Contains(string(body), `lanyard_http_request_duration_seconds_bucket{code="200",method="GET",route="GET /api/v1/sessions"`) {
		t.Fatalf("metrics lack the request histogram by route:\n%.2000s", body)
	}
}

// A second "lanyard demo" on the same file starts fresh; a file holding
// another event is never wiped.
func TestDemoRefusesForeignDatabase(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "real.db")
	if code, _, stderr := runCmd(t, "demo", "--db", dbPath, "--attendees", "5", "--serve=false"); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCmd(t, "demo", "--db", dbPath, "--attendees", "5", "--serve=false"); code != 0 {
		t.Fatalf("second demo on its own file: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCmd(t, "import", "--db", dbPath, "--event", "fosdem", sharedData(t, "schedules/fosdem-2026.schedule.xml")); code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	code, _, stderr := runCmd(t, "demo", "--db", dbPath, "--attendees", "5", "--serve=false")
	if code != 1 || !strings.Contains(stderr, "not only the demo") {
		t.Fatalf("demo over a real database: exit %d, stderr %q", code, stderr)
	}
}

func sharedData(t *testing.T, name string) string {
	t.Helper()
	return realdata.Path(t, name)
}

func TestImportRealFiles(t *testing.T) {
	files := []struct {
		name, slug string
		sessions   string // the count the import prints
	}{
		{"reinvent2019_gplassard_sessions.json", "reinvent-2019", ""},
		{"reinvent2018_gplassard_sessions.json", "reinvent-2018", ""},
		{"reinvent2025_manu-mishra_sessions.json", "reinvent-2025", ""},
		{"schedules/fosdem-2026.schedule.xml", "", ""},
		{"schedules/ccc-33c3.frab.schedule.xml", "", ""},
		{"schedules/ccc-33c3.frab.schedule.json", "", ""},
		{"schedules/voc-schedule__json_examples_pretalx-democon.json", "", ""},
	}
	for _, f := range files {
		t.Run(filepath.Base(f.name), func(t *testing.T) {
			t.Parallel()
			db := filepath.Join(t.TempDir(), "import.db")
			code, stdout, stderr := runCmd(t, "import", "--db", db, sharedData(t, f.name))
			if code != 0 {
				t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
			}
			if !strings.Contains(stdout, "imported into ") {
				t.Fatalf("no import summary:\n%s", stdout)
			}
			if f.slug != "" && !strings.Contains(stdout, "imported into "+f.slug) {
				t.Fatalf("want event %s:\n%s", f.slug, stdout)
			}
		})
	}
}

// --start-date moves a dated schedule's sessions with the event: 33C3 ran
// from 2016-12-27; moved to 2027-03-01, its first day's talks are there.
func TestImportStartDateMovesSessions(t *testing.T) {
	db := filepath.Join(t.TempDir(), "moved.db")
	if code, out, stderr := runCmd(t, "import", "--db", db, "--start-date", "2027-03-01", sharedData(t, "schedules/ccc-33c3.frab.schedule.json")); code != 0 {
		t.Fatalf("import: exit %d, %s %s", code, out, stderr)
	}
	base, _ := startCmd(t, "serve", "--db", db, "--addr", "127.0.0.1:0", "--log-level", "warn")
	var all, first, old struct{ Total int }
	getJSON(t, base+"/api/v1/sessions", "", 200, &all)
	getJSON(t, base+"/api/v1/sessions?day=2027-03-01", "", 200, &first)
	getJSON(t, base+"/api/v1/sessions?day=2016-12-27", "", 200, &old)
	if first.Total == 0 || first.Total >= all.Total || old.Total != 0 {
		t.Fatalf("sessions: %d in all, %d on 2027-03-01, %d on 2016-12-27; want some, not all, and none", all.Total, first.Total, old.Total)
	}
}

func TestImportBrokenFileImportsNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	broken := filepath.Join(dir, "broken.json")
	// Valid records, then a syntax error: nothing may be imported.
	os.WriteFile(broken, []byte(`[{"abbr":"ARC301-R1","title":"A","type":"Session","times":"Monday, Dec 2, 10:00 AM - 11:00 AM"},{"abbr":`), 0o644)
	code, stdout, stderr := runCmd(t, "import", "--db", db, broken)
	if code != 1 || !strings.Contains(stderr, "nothing imported") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, _, stderr = runCmd(t, "serve", "--db", db, "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(stderr, "no event") {
		t.Fatalf("serve after a failed import: exit %d, stderr %q", code, stderr)
	}
}

// The same product runs on PostgreSQL: migrate, import, serve.
func TestServePostgres(t *testing.T) {
	url := storetest.PostgresURL(t)
	if code, out, stderr := runCmd(t, "serve", "--db", url, "--addr", "127.0.0.1:0"); code != 1 || !strings.Contains(stderr, "lanyard migrate") {
		t.Fatalf("serve on an unmigrated PostgreSQL: exit %d, %s %s", code, out, stderr)
	}
	if code, out, stderr := runCmd(t, "migrate", "--db", url); code != 0 || !strings.Contains(out, "postgres schema at version") {
		t.Fatalf("migrate: exit %d, %s %s", code, out, stderr)
	}
	if code, out, stderr := runCmd(t, "import", "--db", url, sharedData(t, "schedules/ccc-33c3.frab.schedule.json")); code != 0 {
		t.Fatalf("import: exit %d, %s %s", code, out, stderr)
	}
	base, _ := startCmd(t, "serve", "--db", url, "--addr", "127.0.0.1:0", "--log-level", "warn")
	var list struct{ Total int }
	getJSON(t, base+"/api/v1/sessions", "", 200, &list)
	if list.Total != 150 {
		t.Fatalf("33C3 on PostgreSQL: %d sessions, want 150", list.Total)
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
	}{
		{nil, 2},
		{[]string{"help"}, 0},
		{[]string{"nope"}, 2},
		{[]string{"serve", "--help"}, 0},
		{[]string{"serve", "--bogus"}, 2},
		{[]string{"import"}, 2},
		{[]string{"token"}, 2},
		{[]string{"token", "create"}, 2},
		{[]string{"demo", "--attendees", "0", "--serve=false"}, 1},
		{[]string{"demo", "--start-date", "30/11/2027", "--serve=false"}, 1},
		{[]string{"demo", "--start-date", "2027-12-01", "--serve=false"}, 1}, // a Wednesday
		{[]string{"demo", "--start-date", "2020-01-06", "--serve=false"}, 1}, // over
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			if code, _, _ := runCmd(t, tt.args...); code != tt.code {
				t.Fatalf("exit %d, want %d", code, tt.code)
			}
		})
	}
}

func TestTokenCreate(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	if code, _, stderr := runCmd(t, "demo", "--db", db, "--attendees", "3", "--serve=false"); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	code, out, stderr := runCmd(t, "token", "create", "--db", db, "--email", "ATTENDEE00002@demo.lanyard.dev")
	if code != 0 {
		t.Fatalf("token create: exit %d: %s", code, stderr)
	}
	token := strings.TrimSpace(out)
	if !strings.HasPrefix(token, "lyd_") {
		t.Fatalf("token %q", token)
	}
	if code, _, stderr := runCmd(t, "token", "create", "--db", db, "--email", "nobody@example.com"); code != 1 || !strings.Contains(stderr, "No attendee") {
		t.Fatalf("token for an unknown email: exit %d, %s", code, stderr)
	}
	base, _ := startCmd(t, "serve", "--db", db, "--addr", "127.0.0.1:0", "--log-level", "warn")
	var me struct{ Email string }
	getJSON(t, base+"/api/v1/me", token, 200, &me)
	if me.Email != "attendee00002@demo.lanyard.dev" {
		t.Fatalf("token acts as %q", me.Email)
	}
}
