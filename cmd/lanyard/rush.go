package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/lanyardhq/lanyard/internal/demo"
	"github.com/lanyardhq/lanyard/internal/rush"
	"github.com/lanyardhq/lanyard/internal/store"
)

type rushFlags struct {
	target, tokens, out, db, event, label string
	attendees, wishlist, clients          int
	seed                                  int64
}

func cmdRush(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "rush", "", `Simulates the opening of reservations against a running lanyard over real
HTTP: attendees (tokens from tokens.csv) each reserve down a wishlist drawn
from the event's popularity, fall back to waitlists when full, and retry
429s. Shows progress, then reports requests/s, latency percentiles, outcomes
per code, the share of attendees who got their first choice (and 3 of their
top 5), and an overbooking check read from the database. Writes DIR/report.json
and DIR/latency.svg. With --compare it makes the demo itself and rushes the
ledger and the naive engine in turn, then a server that answers without
doing anything through the same net/http stack: about the most a server like
lanyard's could reach on this machine.`)
	var f rushFlags
	fs.StringVar(&f.target, "target", "http://localhost:8080", "base URL of the lanyard to rush; several nodes of one cluster comma-separated")
	fs.StringVar(&f.tokens, "tokens", "tokens.csv", "email,token file, as lanyard demo writes it")
	fs.IntVar(&f.attendees, "attendees", 65000, "how many attendees rush (at most one per token)")
	fs.IntVar(&f.wishlist, "wishlist", 15, "sessions on each attendee's wishlist")
	fs.IntVar(&f.clients, "clients", 256, "concurrent keep-alive HTTP clients")
	fs.StringVar(&f.out, "out", "rush-report", "folder for report.json and latency.svg")
	fs.StringVar(&f.db, "db", "lanyard-demo.db", "database to check for overbooking after the rush (SQLite path or postgres:// URL; skipped if absent)")
	fs.StringVar(&f.event, "event", "", "event slug for the overbooking check (default: the only event)")
	fs.Int64Var(&f.seed, "seed", 1, "seed of the wishlists (and of the demo, which gives the popularity)")
	fs.StringVar(&f.label, "label", "", "name of this run in the report")
	compare := fs.Bool("compare", false, "make the demo (--attendees of them) and rush the ledger, then the naive engine, on it; then a server that does nothing (the loopback floor)")
	cpuprofile := fs.String("cpuprofile", "", "write the load generator's CPU profile to this file (go tool pprof reads it); with --compare it holds the servers too")
	draft := fs.Bool("draft", false, "compare opening by preference draft with first come, first served on the same wishlists (in-process, on fresh demo databases)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if f.attendees < 1 || f.wishlist < 1 || f.clients < 1 {
		return errors.New("--attendees, --wishlist and --clients must be at least 1")
	}
	if err := os.MkdirAll(f.out, 0o755); err != nil {
		return err
	}
	tuneGC(e.getenv)
	if *cpuprofile != "" {
		out, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer out.Close()
		if err := pprof.StartCPUProfile(out); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if *compare {
		return rushCompare(ctx, e, f)
	}
	if *draft {
		return rushDraft(ctx, e, f)
	}
	rep, err := rushOnce(ctx, e, f)
	if err != nil {
		return err
	}
	printReport(e, rep)
	return nil
}

// rushOnce rushes f.target and writes the report and chart to f.out.
func rushOnce(ctx context.Context, e *env, f rushFlags) (*rush.Report, error) {
	tokens, err := readTokenFile(f.tokens)
	if err != nil {
		return nil, err
	}
	n := min(f.attendees, len(tokens))
	var pop map[string]float64
	targets := strings.Split(f.target, ",")
	if slug, err := eventSlug(ctx, targets[0]); err == nil && slug == demo.Slug {
		pop = demo.Generate(demo.Options{Seed: f.seed, Attendees: 1}).Popularity
	}
	bar := progressbar.NewOptions(n, progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetDescription("rush"),
		progressbar.OptionShowCount(), progressbar.OptionSetItsString("attendees"), progressbar.OptionShowIts(),
		progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
	start := time.Now()
	rep, err := rush.Run(ctx, rush.Options{
		Targets: targets, Tokens: tokens, Attendees: n, Wishlist: f.wishlist, Clients: f.clients,
		Seed: uint64(f.seed), Popularity: pop,
		Progress: func(done, requests int) {
			bar.Describe(fmt.Sprintf("rush: %.0f requests/s", float64(requests)/time.Since(start).Seconds()))
			bar.Set(done)
		},
	})
	bar.Finish()
	if err != nil {
		return nil, err
	}
	rep.Label = f.label
	rep.OverbookedSessions = overbooked(ctx, f.db, f.event)
	if err := writeReport(f.out, rep); err != nil {
		return nil, err
	}
	return rep, nil
}

func eventSlug(ctx context.Context, target string) (string, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", target+"/api/v1/event", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var ev struct{ Slug string }
	err = json.NewDecoder(resp.Body).Decode(&ev)
	return ev.Slug, err
}

// overbooked counts overbooked sessions in the database, or -1 when it
// cannot be read.
func overbooked(ctx context.Context, dsn, slug string) int {
	if store.ParseDSN(dsn) == store.SQLite {
		if _, err := os.Stat(dsn); err != nil {
			return -1
		}
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return -1
	}
	defer db.Close()
	ev, err := findEvent(ctx, db, slug)
	if err != nil {
		return -1
	}
	n, err := db.Overbooked(ctx, ev.ID)
	if err != nil {
		return -1
	}
	return n
}

func readTokenFile(path string) ([]rush.Token, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("tokens: %w (lanyard demo writes tokens.csv)", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("tokens %s: %w", path, err)
	}
	var out []rush.Token
	for i, r := range rows {
		if i == 0 && len(r) > 0 && r[0] == "email" {
			continue
		}
		if len(r) != 2 || !strings.HasPrefix(r[1], "lyd_") {
			return nil, fmt.Errorf("tokens %s line %d: want email,token", path, i+1)
		}
		out = append(out, rush.Token{Email: r[0], Token: r[1]})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("tokens %s: no tokens", path)
	}
	return out, nil
}

func writeReport(dir string, rep *rush.Report) error {
	name := "report"
	if rep.Label != "" {
		name += "-" + rep.Label
	}
	b, _ := json.MarshalIndent(rep, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, name+".json"), b, 0o644); err != nil {
		return err
	}
	svg, err := os.Create(filepath.Join(dir, strings.Replace(name, "report", "latency", 1)+".svg"))
	if err != nil {
		return err
	}
	defer svg.Close()
	return rep.WriteSVG(svg)
}

func printReport(e *env, r *rush.Report) {
	label := r.Label
	if label == "" {
		label = strings.Join(r.Targets, ", ")
	}
	fmt.Fprintf(e.stdout, "%s: %d attendees × %d wishes, %d clients\n", label, r.Attendees, r.Wishlist, r.Clients)
	fmt.Fprintf(e.stdout, "  %d requests in %.1fs: %.0f requests/s\n", r.Requests, r.Seconds, r.RequestsPerSecond)
	fmt.Fprintf(e.stdout, "  latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms\n", r.P50ms, r.P95ms, r.P99ms, r.Maxms)
	fmt.Fprintf(e.stdout, "  outcomes: %s; errors %d; 429 retries %d\n", formatCounts(r.Outcomes), r.Errors, r.Retries)
	fmt.Fprintf(e.stdout, "  first choice %.1f%%, 3 of top 5 %.1f%%, Gini of seats %.3f\n", 100*r.FirstChoiceShare, 100*r.TopFiveShare, r.Gini)
	switch r.OverbookedSessions {
	case -1:
		fmt.Fprintln(e.stdout, "  overbooking: not checked (no --db)")
	default:
		fmt.Fprintf(e.stdout, "  overbooked sessions: %d\n", r.OverbookedSessions)
	}
}

func formatCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

var serveURL = regexp.MustCompile(`serving .* at (http://\S+)`)

// rushCompare makes the demo for each engine in turn, serves it in this
// process and rushes it; then rushes a server that does nothing (the
// loopback floor, rush.Floor) with the same wishlists. It prints all three
// and their ratios: the floor says how far a net/http server could get on
// this machine, and so about how large the ledger's lead over the naive
// design can be there.
func rushCompare(ctx context.Context, e *env, f rushFlags) error {
	work, err := os.MkdirTemp("", "lanyard-rush-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	var reps []*rush.Report
	var sessions []rush.Session
	for _, engine := range []string{"ledger", "naive"} {
		db := filepath.Join(work, engine+".db")
		tokens := filepath.Join(work, engine+"-tokens.csv")
		fmt.Fprintf(e.stderr, "making the demo for the %s engine (%d attendees)…\n", engine, f.attendees)
		if code := run(ctx, []string{"demo", "--db", db, "--tokens", tokens, "--attendees", fmt.Sprint(f.attendees),
			"--seed", fmt.Sprint(f.seed), "--serve=false", "--log-level", "error"}, e.getenv, io.Discard, e.stderr); code != 0 {
			return fmt.Errorf("demo for %s failed", engine)
		}
		sctx, stop := context.WithCancel(ctx)
		out := &lockedBuffer{}
		done := make(chan int, 1)
		go func() {
			done <- run(sctx, []string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--engine", engine, "--log-level", "error"}, e.getenv, out, e.stderr)
		}()
		target, err := waitForURL(out, done)
		if err != nil {
			stop()
			return err
		}
		if sessions == nil { // the floor serves the same catalog
			if sessions, err = rush.Sessions(ctx, http.DefaultClient, target); err != nil {
				stop()
				<-done
				return err
			}
		}
		g := f
		g.target, g.tokens, g.db, g.label = target, tokens, db, engine
		rep, err := rushOnce(ctx, e, g)
		stop()
		<-done
		if err != nil {
			return err
		}
		printReport(e, rep)
		reps = append(reps, rep)
	}
	floor, err := rushFloor(ctx, e, f, sessions, filepath.Join(work, "ledger-tokens.csv"))
	if err != nil {
		return err
	}
	ledger, naive := reps[0], reps[1]
	ratio := ledger.RequestsPerSecond / naive.RequestsPerSecond
	most := floor.RequestsPerSecond / naive.RequestsPerSecond
	share := ledger.RequestsPerSecond / floor.RequestsPerSecond
	fmt.Fprintf(e.stdout, "ledger / naive: %.1f× the requests per second; p99 %.1f ms against %.1f ms\n", ratio, ledger.P99ms, naive.P99ms)
	fmt.Fprintf(e.stdout, "floor / naive: %.1f× (about the most a net/http server could lead the naive design by on this machine); the ledger reached %.0f%% of the floor's rate\n", most, 100*share)
	b, err := json.MarshalIndent(map[string]any{"ledger": ledger, "naive": naive, "floor": floor,
		"ratio_requests_per_second": ratio, "floor_over_naive": most, "ledger_share_of_floor": share}, "", "  ")
	if err != nil { // a run that answered nothing makes a ratio infinite
		return fmt.Errorf("rush: compare.json: %w", err)
	}
	return os.WriteFile(filepath.Join(f.out, "compare.json"), b, 0o644)
}

// rushFloor rushes rush.Floor, served in this process like the engines
// before it, with the same attendees and wishlists.
func rushFloor(ctx context.Context, e *env, f rushFlags, sessions []rush.Session, tokens string) (*rush.Report, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: rush.Floor(demo.Slug, sessions), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(l)
	defer srv.Close()
	fmt.Fprintln(e.stderr, "rushing the loopback floor (a server that answers without doing anything)…")
	g := f
	g.target, g.tokens, g.db, g.label = "http://"+l.Addr().String(), tokens, "", "floor"
	rep, err := rushOnce(ctx, e, g)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(e.stdout, "floor: %d requests in %.1fs: %.0f requests/s; p99 %.1f ms\n", rep.Requests, rep.Seconds, rep.RequestsPerSecond, rep.P99ms)
	return rep, nil
}

func waitForURL(out *lockedBuffer, done <-chan int) (string, error) {
	deadline := time.After(2 * time.Minute)
	for {
		if m := serveURL.FindStringSubmatch(out.String()); m != nil {
			return m[1], nil
		}
		select {
		case code := <-done:
			return "", fmt.Errorf("serve exited with %d before listening", code)
		case <-deadline:
			return "", errors.New("serve did not start in 2 minutes")
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// rushDraft compares the draft with first come, first served.
func rushDraft(ctx context.Context, e *env, f rushFlags) error {
	work, err := os.MkdirTemp("", "lanyard-draft-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	fmt.Fprintf(e.stderr, "opening the demo twice for %d attendees with %d wishes each…\n", f.attendees, f.wishlist)
	allocs, err := rush.CompareDraft(ctx, work, f.attendees, f.wishlist, f.seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%-6s %10s %13s %16s %6s\n", "mode", "seats won", "first choice", "3 of top 5", "Gini")
	for _, a := range allocs {
		fmt.Fprintf(e.stdout, "%-6s %10d %12.1f%% %15.1f%% %6.3f\n", a.Mode, a.SeatsWon, 100*a.FirstChoiceShare, 100*a.TopFiveShare, a.Gini)
	}
	b, _ := json.MarshalIndent(allocs, "", "  ")
	return os.WriteFile(filepath.Join(f.out, "draft.json"), b, 0o644)
}
