// Package config holds lanyard's settings: built from defaults, then
// LANYARD_* environment variables, then command-line flags, then checked by
// Validate. There is no global: callers pass a Config along.
package config

import (
	"flag"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/mail"
)

// Config is the configuration of one lanyard process.
type Config struct {
	Addr      string     // listen address
	DB        string     // SQLite file path or postgres:// URL
	Event     string     // event slug; empty picks the only event
	Migrate   bool       // apply pending migrations on PostgreSQL at start
	LogLevel  slog.Level // debug, info, warn, error
	LogFormat string     // text or json
	Engine    string     // reservation engine: ledger, or naive (the baseline for load tests)
	Advertise string     // URL other nodes reach this one at; derived from Addr when empty
	PublicURL string     // URL people reach the site at, for links in emails and feeds; derived from Addr when empty
	Proxies   string     // comma-separated addresses or CIDR prefixes of trusted reverse proxies
	DebugAddr string     // where to serve /debug/pprof; off when empty
	// SMTPURL is where mail goes: smtp://user:pass@host:587 (STARTTLS) or
	// smtps://user:pass@host:465 (implicit TLS); "" keeps mail in the
	// database (the demo's mailbox).
	SMTPURL  string
	MailRate float64 // mails per second at most; 0 for no limit
	// MailLease is how long a claimed mail is held by the node sending
	// it; after a crash, its unsent claims wait this long. Env only
	// (LANYARD_MAIL_LEASE, a Go duration); 0 for the default (2 min).
	MailLease time.Duration
	// WebhookAllowPrivate lets webhooks reach loopback, link-local and
	// private addresses (a receiver on the same machine or network); off,
	// they are refused at dial time.
	WebhookAllowPrivate bool
	// Mailbox serves the local mailbox page (/mailbox) when SMTPURL is
	// empty; the demo sets it. Never a flag: the page shows everyone's mail.
	Mailbox bool
}

// Default returns the defaults: port 8080, the SQLite file ./lanyard.db.
func Default() Config {
	return Config{Addr: ":8080", DB: "lanyard.db", LogLevel: slog.LevelInfo, LogFormat: "text", Engine: "ledger", MailRate: 50}
}

// Env returns the value of LANYARD_<name>, or the contents of the file named
// by LANYARD_<name>_FILE (for secrets such as a database URL with a password).
func Env(getenv func(string) string, name string) (string, error) {
	if v := getenv("LANYARD_" + name); v != "" {
		return v, nil
	}
	if path := getenv("LANYARD_" + name + "_FILE"); path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return "", fmt.Errorf("config: LANYARD_%s_FILE: %w", name, err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	return "", nil
}

// Option names the settings a subcommand takes.
type Option int

// The options a subcommand can register.
const (
	OptAddr Option = 1 << iota
	OptDB
	OptEvent
	OptMigrate
	OptLog
	OptEngine
	OptMail
)

// Register applies the environment to c and then registers the chosen
// settings as flags on fs, so that flags override the environment and
// --help shows the effective defaults.
func (c *Config) Register(fs *flag.FlagSet, getenv func(string) string, opts Option) error {
	env := func(name string, dst *string) error {
		v, err := Env(getenv, name)
		if err == nil && v != "" {
			*dst = v
		}
		return err
	}
	for _, e := range []struct {
		name string
		dst  *string
	}{{"ADDR", &c.Addr}, {"DB", &c.DB}, {"EVENT", &c.Event}, {"LOG_FORMAT", &c.LogFormat}, {"ENGINE", &c.Engine}, {"ADVERTISE", &c.Advertise}, {"PUBLIC_URL", &c.PublicURL}, {"TRUSTED_PROXIES", &c.Proxies}, {"SMTP_URL", &c.SMTPURL}} {
		if err := env(e.name, e.dst); err != nil {
			return err
		}
	}
	if v := getenv("LANYARD_LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			return fmt.Errorf("config: LANYARD_LOG_LEVEL: %w", err)
		}
	}
	if v := getenv("LANYARD_MAIL_RATE"); v != "" {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return fmt.Errorf("config: LANYARD_MAIL_RATE %q is not a number of mails per second", v)
		}
		c.MailRate = r
	}
	if v := getenv("LANYARD_MAIL_LEASE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("config: LANYARD_MAIL_LEASE %q is not a duration such as 2m", v)
		}
		c.MailLease = d
	}
	if v := getenv("LANYARD_WEBHOOK_ALLOW_PRIVATE"); v == "1" || v == "true" {
		c.WebhookAllowPrivate = true
	}
	if v := getenv("LANYARD_MIGRATE"); v == "1" || v == "true" {
		c.Migrate = true
	}
	if opts&OptAddr != 0 {
		fs.StringVar(&c.Addr, "addr", c.Addr, "address to listen on, host:port (env LANYARD_ADDR)")
		fs.StringVar(&c.DebugAddr, "debug-addr", c.DebugAddr, "serve Go's /debug/pprof profiles on this separate address, e.g. 127.0.0.1:6060; off when empty")
		fs.StringVar(&c.Advertise, "advertise", c.Advertise, "URL other nodes forward seat commands to, when several share a PostgreSQL (default: http:// and the listen address) (env LANYARD_ADVERTISE)")
		fs.StringVar(&c.Proxies, "trusted-proxies", c.Proxies, "addresses or CIDR prefixes of reverse proxies in front of lanyard, comma-separated (10.0.0.0/8,127.0.0.1); their X-Forwarded-For names the client for sign-in limits (env LANYARD_TRUSTED_PROXIES)")
		fs.StringVar(&c.PublicURL, "public-url", c.PublicURL, "URL people reach the site at (https://events.example.com), for links in emails, calendar feeds and schedule exports; never taken from a request's Host header (default: http:// and the listen address) (env LANYARD_PUBLIC_URL)")
	}
	if opts&OptDB != 0 {
		fs.StringVar(&c.DB, "db", c.DB, "database: a SQLite file path, or a postgres:// URL (env LANYARD_DB or LANYARD_DB_FILE)")
	}
	if opts&OptEvent != 0 {
		fs.StringVar(&c.Event, "event", c.Event, "event slug; may be left empty when the database holds one event (env LANYARD_EVENT)")
	}
	if opts&OptMigrate != 0 {
		fs.BoolVar(&c.Migrate, "migrate", c.Migrate, "apply pending database migrations at start; SQLite always migrates (env LANYARD_MIGRATE)")
	}
	if opts&OptLog != 0 {
		fs.TextVar(&c.LogLevel, "log-level", c.LogLevel, "log level: debug, info, warn or error (env LANYARD_LOG_LEVEL)")
		fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format: text or json (env LANYARD_LOG_FORMAT)")
	}
	if opts&OptEngine != 0 {
		fs.StringVar(&c.Engine, "engine", c.Engine, "reservation engine: ledger (one writer, group commit), or naive (one transaction per request, the baseline for load tests) (env LANYARD_ENGINE)")
	}
	if opts&OptMail != 0 {
		fs.StringVar(&c.SMTPURL, "smtp-url", c.SMTPURL, "where to send mail: smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465 (implicit TLS); ?from=address sets the sender; empty keeps mail in the database (env LANYARD_SMTP_URL or LANYARD_SMTP_URL_FILE)")
		fs.Float64Var(&c.MailRate, "mail-rate", c.MailRate, "mails sent per second at most, over all connections; 0 for no limit (env LANYARD_MAIL_RATE)")
		fs.BoolVar(&c.WebhookAllowPrivate, "webhook-allow-private", c.WebhookAllowPrivate, "let webhooks reach loopback, link-local and private addresses; off, they are refused (env LANYARD_WEBHOOK_ALLOW_PRIVATE)")
	}
	return nil
}

// Validate reports the first setting that cannot work.
func (c *Config) Validate() error {
	switch {
	case c.DB == "":
		return fmt.Errorf("config: --db is empty: give a SQLite file path or a postgres:// URL")
	case c.Addr == "":
		return fmt.Errorf("config: --addr is empty: give host:port, such as :8080")
	case c.LogFormat != "text" && c.LogFormat != "json":
		return fmt.Errorf("config: --log-format must be text or json, not %q", c.LogFormat)
	case c.Engine != "ledger" && c.Engine != "naive":
		return fmt.Errorf("config: --engine must be ledger or naive, not %q", c.Engine)
	case c.PublicURL != "" && !strings.HasPrefix(c.PublicURL, "https://") && !strings.HasPrefix(c.PublicURL, "http://"):
		return fmt.Errorf("config: --public-url must start with https:// or http://, not %q", c.PublicURL)
	}
	if c.MailRate < 0 {
		return fmt.Errorf("config: --mail-rate must be 0 or more mails per second, not %v", c.MailRate)
	}
	if c.SMTPURL != "" {
		if _, err := mail.ParseURL(c.SMTPURL); err != nil {
			return fmt.Errorf("config: --smtp-url: %w", err)
		}
	}
	_, err := c.TrustedProxies()
	return err
}

// TrustedProxies parses Proxies: each entry an address (one host) or a
// CIDR prefix.
func (c *Config) TrustedProxies() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(c.Proxies, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("config: --trusted-proxies: %q is neither an address nor a CIDR prefix", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// Logger returns a slog logger writing to w in the configured format.
func (c *Config) Logger(w interface{ Write([]byte) (int, error) }) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
