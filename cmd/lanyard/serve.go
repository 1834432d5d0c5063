package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"

	"github.com/lanyardhq/lanyard/internal/api"
	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/badge"
	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/cluster"
	"github.com/lanyardhq/lanyard/internal/config"
	"github.com/lanyardhq/lanyard/internal/console"
	"github.com/lanyardhq/lanyard/internal/contacts"
	"github.com/lanyardhq/lanyard/internal/deliver"
	"github.com/lanyardhq/lanyard/internal/desk"
	"github.com/lanyardhq/lanyard/internal/door"
	"github.com/lanyardhq/lanyard/internal/expo"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/leads"
	"github.com/lanyardhq/lanyard/internal/limit"
	"github.com/lanyardhq/lanyard/internal/mail"
	"github.com/lanyardhq/lanyard/internal/meetup"
	"github.com/lanyardhq/lanyard/internal/message"
	"github.com/lanyardhq/lanyard/internal/naive"
	"github.com/lanyardhq/lanyard/internal/party"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/route"
	"github.com/lanyardhq/lanyard/internal/server"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/swag"
	"github.com/lanyardhq/lanyard/internal/web"
	"github.com/lanyardhq/lanyard/internal/webhook"
)

func cmdServe(ctx context.Context, e *env, args []string) error {
	cfg := config.Default()
	fs := newFlagSet(e, "serve", "", "Serves one event's web app and JSON API (/api/v1), schedule exports, /metrics, /healthz and /readyz.")
	if err := cfg.Register(fs, e.getenv, config.OptAddr|config.OptDB|config.OptEvent|config.OptMigrate|config.OptLog|config.OptEngine|config.OptMail); err != nil {
		return err
	}
	mode := fs.String("signup-mode", "", "set the event's sign-up mode first: open (anyone signs up) or invitation (only imported attendees); kept when empty")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	if *mode != "" && !lanyard.ValidSignUpMode(*mode) {
		return fmt.Errorf("--signup-mode must be open or invitation, not %q", *mode)
	}
	log := cfg.Logger(e.stderr)
	db, err := openStore(ctx, &cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	ev, err := findEvent(ctx, db, cfg.Event)
	if err != nil {
		return err
	}
	if *mode != "" {
		if err := db.SetSignUpMode(ctx, ev.ID, *mode); err != nil {
			return err
		}
	}
	return serveEvent(ctx, e, &cfg, log, db, ev, nil)
}

// serveEvent loads the event's catalog into memory and serves it until ctx
// is done. banner, if set, is printed once the server listens.
func serveEvent(ctx context.Context, e *env, cfg *config.Config, log *slog.Logger, db *store.DB, ev *lanyard.Event, banner func(url string)) error {
	start := time.Now()
	tuneGC(e.getenv)
	cat, err := catalog.Load(ctx, db, ev)
	if err != nil {
		return err
	}
	var current atomic.Pointer[catalog.Catalog]
	current.Store(cat)
	l, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer l.Close()
	url := "http://" + displayAddr(l.Addr())
	public := strings.TrimSuffix(cfg.PublicURL, "/")
	if public == "" {
		public = url
	}
	if cfg.Advertise != "" {
		url = cfg.Advertise
	}

	if cfg.DebugAddr != "" {
		// Profiles on their own listener, never on the public address.
		go func() { log.Warn("debug listener stopped", "err", http.ListenAndServe(cfg.DebugAddr, debugMux())) }()
	}
	srv := server.New(log, db.Ping)
	// One engine for every request, or (cluster) nil with the node's
	// engine handed to each ledger route's request and its seat counts.
	var engine reserve.Seats
	var counts reserve.Counts
	routes := &route.Table{Mux: srv.Mux()}
	switch {
	case cfg.Engine == "naive":
		// The ledger writes the seat rows once; the baseline takes over.
		ledger, err := reserve.Open(ctx, db, cat, reserve.Options{Log: log})
		if err != nil {
			return err
		}
		ledger.Close()
		engine = &naive.Engine{DB: db, Catalog: cat}
		log.Warn("serving reservations with the naive engine, the baseline for load tests")
	case db.Dialect() == store.Postgres:
		// Several nodes may share the database: one holds the event's lease
		// and runs the engine, the others forward to it.
		node := &cluster.Node{DB: db, Catalog: cat, Log: log, URL: url, OnCatalog: current.Store}
		nctx, stop := context.WithCancel(context.WithoutCancel(ctx))
		if err := node.Start(nctx); err != nil {
			stop()
			return err
		}
		defer node.Wait() // the lease is released for the next holder at once
		defer stop()      // after the server has drained its requests
		counts = node
		routes.Forward = node.Forward
	default:
		ledger, err := reserve.Open(ctx, db, cat, reserve.Options{Log: log})
		if err != nil {
			return err
		}
		defer ledger.Close() // after the server has drained its requests
		engine = ledger
	}
	ident := &identities{DB: db, tokens: &auth.Cache{Store: db, TTL: time.Minute, Max: 200_000, Now: time.Now}}
	badges := &badge.Service{DB: db, Event: ev}
	apiHandler := &api.Handler{Catalog: &current, Engine: engine, Counts: counts, Ident: ident, Log: log, Limiter: limit.New[int64](writesPerSecond, writeBurst, maxLimited),
		Badges: badges, Registrations: db, Audit: db, PublicURL: public, Webhooks: db,
		Ratings: db, Places: db, Swag: db, Leads: db, Contacts: db, Meetups: db, Parties: db}
	apiHandler.Routes(routes)
	proxies, err := cfg.TrustedProxies()
	if err != nil {
		return err
	}
	pages := &web.Handler{TrustedProxies: proxies, Catalog: &current, Engine: engine, Counts: counts, Store: db, Sessions: web.NewSessions(store.SessionStore{DB: db}),
		Hasher: auth.NewHasher(2), Badges: badges, Log: log, BaseURL: public}
	pages.Routes(routes)
	shell, err := console.NewShell(pages)
	if err != nil {
		return err
	}
	org, _ := engine.(reserve.Ledger) // nil on a cluster node (each ledger request carries it) and for the naive baseline
	con := &console.Handler{Shell: shell, Catalog: &current, Engine: org, Counts: counts, Store: db, Log: log, Requests: srv.Requests}
	con.Routes(routes)
	// The badge desk: staff and organizers, the same session and layout.
	deskShell, err := desk.NewShell(pages)
	if err != nil {
		return err
	}
	(&desk.Handler{Shell: deskShell, Catalog: &current, Store: db, Badges: badges, Log: log}).Routes(routes)
	// The door app for staff (issue 13): its own templates over the same shell.
	doorShell, err := door.NewShell(pages)
	if err != nil {
		return err
	}
	doors := &door.Handler{Shell: doorShell, Catalog: &current, Engine: engine, Store: db, Places: db, Badges: badges, Log: log}
	doors.Routes(routes)
	// Parties and dinners (issue 14): RSVP, door entry, seating, table cards.
	partyShell, err := party.NewShell(pages)
	if err != nil {
		return err
	}
	parties := &party.Handler{Shell: partyShell, Catalog: &current, Store: db, Engine: engine, Log: log}
	parties.Routes(routes)
	pages.AgendaSources = append(pages.AgendaSources, parties.AgendaEntries)
	// The expo (issue 14): directory, booth pages, the exhibitor's home,
	// /console/exhibitors; favorite booth events on the agenda.
	expoShell, err := expo.NewShell(pages)
	if err != nil {
		return err
	}
	expoPages := &expo.Handler{Shell: expoShell, Catalog: &current, Store: db, Log: log, Engine: engine}
	expoPages.Routes(routes)
	pages.AgendaSources = append(pages.AgendaSources, expoPages.AgendaEntries)
	// === swag (issue 14): limited swag, booth events and the booth passport (internal/swag)
	swagShell, err := swag.NewShell(pages)
	if err != nil {
		return err
	}
	(&swag.Handler{Shell: swagShell, Catalog: &current, Engine: engine, Store: db, Badges: badges, Log: log}).Routes(routes)
	// Meetups and people to meet (issue 14): their own templates over the
	// same shell; the meetups one goes to are on their agenda.
	meetupShell, err := meetup.NewShell(pages)
	if err != nil {
		return err
	}
	meetups := &meetup.Handler{Shell: meetupShell, Catalog: &current, Store: db, Log: log, BaseURL: public}
	meetups.Routes(routes)
	pages.AgendaSources = append(pages.AgendaSources, meetups.AgendaEntries)
	// Contact exchange and My contacts (issue 14): its own templates over the same shell.
	contactShell, err := contacts.NewShell(pages)
	if err != nil {
		return err
	}
	(&contacts.Handler{Shell: contactShell, Catalog: &current, Store: db, Badges: badges, Log: log}).Routes(routes)
	// Lead capture with consent (issue 14): exhibitors' booth scans, the
	// attendee's sharing choices on /settings and /privacy, the organizer's cap.
	leadsShell, err := leads.NewShell(pages)
	if err != nil {
		return err
	}
	leadPages := &leads.Handler{Shell: leadsShell, Catalog: &current, Store: db, Badges: badges, Log: log}
	leadPages.Routes(routes)
	pages.SettingsSections = append(pages.SettingsSections, leadPages.SettingsSection)
	apiHandler.AgendaSources = pages.AgendaSources // the same entries in GET /api/v1/me/agenda
	lctx, stopLive := context.WithCancel(ctx)
	defer stopLive()
	// Scheduled announcements: every node looks; the store's claim sends each once.
	go con.RunAnnouncements(lctx, announceTick)
	go pages.Run(lctx) // live seat counts; stops with the server, so open pages let it drain
	go doors.Run(lctx) // the door scans' rows for the stats, written in batches
	go sweepSessions(lctx, db, log)
	go warmTokens(lctx, db, ev.ID, ident.tokens, log)
	if err := startMail(lctx, cfg, log, db, ev, public, routes, srv.Registry(), mailWords(&current, public)); err != nil {
		return err
	}
	// Webhooks: every node runs a dispatcher; claims skip each other's rows.
	go (&webhook.Dispatcher{Store: db, Client: webhook.NewClient(cfg.WebhookAllowPrivate), Log: log}).Run(lctx)

	log.Info("serving", "event", ev.Slug, "sessions", cat.Len(), "url", url, "db", db.Dialect(), "engine", cfg.Engine, "load", time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(e.stdout, "lanyard: serving %s at %s\n", ev.Name, url)
	if banner != nil {
		banner(public)
	}
	return srv.Serve(ctx, l)
}

// warmTokens keeps every API token's owner in the cache, refilled twice a
// TTL: at a registration opening tens of thousands of attendees arrive at
// once, and a database lookup each would compete with the commits.
func warmTokens(ctx context.Context, db *store.DB, eventID int64, cache *auth.Cache, log *slog.Logger) {
	t := time.NewTicker(cache.TTL / 2)
	defer t.Stop()
	for {
		if owners, err := db.TokenAttendees(ctx, eventID); err != nil {
			if ctx.Err() == nil {
				log.Warn("token cache not refilled", "err", err)
			}
		} else if len(owners) <= cache.Max {
			cache.Fill(owners)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// sweepSessions deletes expired sign-in sessions every hour.
func sweepSessions(ctx context.Context, db *store.DB, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := db.DeleteExpiredSessions(ctx); err != nil && ctx.Err() == nil {
			log.Warn("expired sessions not deleted", "err", err)
		} else if n > 0 {
			log.Debug("expired sessions deleted", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func debugMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// identities answers token lookups from a short-lived cache: during a rush
// every request carries a token, and a database query each would compete
// with the reservation commits.
type identities struct {
	*store.DB
	tokens *auth.Cache
}

func (i *identities) FindAttendeeByTokenHash(ctx context.Context, hash []byte) (*lanyard.Attendee, error) {
	return i.tokens.FindAttendeeByTokenHash(ctx, hash)
}

// An attendee may send this many seat writes per second, and this many at
// once: far above what a person clicks, far below a flooding script. Only
// a valid token gets a bucket, so the bound on buckets is far above any
// event's number of attendees and is reached only by a bug.
const (
	writesPerSecond = 10
	writeBurst      = 30
	maxLimited      = 1_000_000
)

// announceTick is how often the server looks for scheduled announcements
// that are due: a scheduled announcement leaves within this of its time.
const announceTick = 15 * time.Second

// displayAddr turns a listener address into one a browser can open:
// an unspecified host (":8080") becomes localhost.
func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || tcp.IP.IsUnspecified() {
		if ok {
			return fmt.Sprintf("localhost:%d", tcp.Port)
		}
		return a.String()
	}
	return tcp.String()
}

// mailWords renders mail with internal/message, links absolute from
// public. The engine writes a promotion with the session's code and title
// alone; the time, room and the event's zone come from the catalog here.
func mailWords(cat *atomic.Pointer[catalog.Catalog], public string) deliver.Renderer {
	r := message.Renderer{BaseURL: public}
	return func(m lanyard.Message, lang string) (deliver.Rendered, error) {
		c := cat.Load()
		if s, err := c.Session(m.Params["code"]); err == nil {
			m = message.WithSession(m, s.Start, s.End, strings.TrimPrefix(s.Room+", "+c.VenueName(s.Venue), ", "))
		}
		m = message.WithZones(m, message.Zones{VenueZone: c.Event.TimeZone})
		out, err := r.Render(m, lang)
		return deliver.Rendered{Subject: out.Subject, Text: out.Text, HTML: out.HTML}, err
	}
}

// startMail sends the messages table's mail over SMTP, or, without
// --smtp-url, says that mail is not being sent and (the demo) serves the
// local mailbox instead. Every node runs a dispatcher: claims skip each
// other's rows, so each message is sent by one node.
func startMail(ctx context.Context, cfg *config.Config, log *slog.Logger, db *store.DB, ev *lanyard.Event, public string, routes *route.Table, reg prometheus.Registerer, words deliver.Renderer) error {
	if cfg.SMTPURL == "" {
		if cfg.Mailbox {
			(&deliver.Mailbox{Store: db, EventID: ev.ID, Render: words}).Routes(routes)
			log.Warn("mail is not being sent (no --smtp-url); read it in the demo mailbox", "mailbox", public+"/mailbox")
		} else {
			log.Warn("mail is not being sent (no --smtp-url): messages stay in the database, pending, until it is set")
		}
		return nil
	}
	mc, err := mail.ParseURL(cfg.SMTPURL)
	if err != nil {
		return err
	}
	domain := "lanyard.invalid"
	if u, err := url.Parse(public); err == nil && u.Hostname() != "" {
		domain = u.Hostname()
	}
	d := &deliver.Dispatcher{Store: db, Render: words, Dial: deliver.SMTP(mc), Log: log, Domain: domain, Rate: rate.Limit(cfg.MailRate), Lease: cfg.MailLease, Markers: deliver.MarkersFor(db.Dialect()),
		Unsubscribe: func(store.Mail) string { return public + "/settings" }, Metrics: deliver.NewMetrics(reg)}
	go d.Run(ctx)
	log.Info("sending mail", "smtp", mc.Redacted(), "rate", cfg.MailRate)
	return nil
}
