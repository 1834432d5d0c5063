// Package mail sends rendered mail over SMTP (STARTTLS or implicit TLS)
// through go-mail, and tells a temporary failure from a permanent one.
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/textproto"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
	gosmtp "github.com/wneessen/go-mail/smtp"
)

// Mail is one rendered mail to send.
type Mail struct {
	MessageID   string // without angle brackets; stable per message row
	To          string
	Subject     string
	Text        string
	HTML        string // "" sends text alone
	Unsubscribe string // a List-Unsubscribe URL (announcements); "" for none
}

// Config is where and how to send: parsed from an smtp:// or smtps:// URL.
type Config struct {
	Host     string
	Port     int
	Username string
	Password string
	// ImplicitTLS: smtps:// (TLS from the first byte, port 465); otherwise
	// STARTTLS is required (smtp://), unless Insecure.
	ImplicitTLS bool
	// Insecure allows plain SMTP without TLS (?tls=none): for a local relay
	// and tests only.
	Insecure  bool
	From      string
	Timeout   time.Duration
	TLSConfig *tls.Config // nil: the system's roots
}

// ParseURL parses smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465
// (implicit TLS). Query: from=address (default noreply@host), tls=none
// (plain, local relays only).
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Config{}, fmt.Errorf("mail: smtp url: %w", err)
	}
	c := Config{Host: u.Hostname(), Timeout: 30 * time.Second}
	switch u.Scheme {
	case "smtp":
		c.Port = 587
	case "smtps":
		c.Port, c.ImplicitTLS = 465, true
	default:
		return Config{}, fmt.Errorf("mail: smtp url must start with smtp:// or smtps://, not %q", u.Scheme+"://")
	}
	if c.Host == "" {
		return Config{}, fmt.Errorf("mail: smtp url has no host")
	}
	if p := u.Port(); p != "" {
		if c.Port, err = strconv.Atoi(p); err != nil || c.Port < 1 || c.Port > 65535 {
			return Config{}, fmt.Errorf("mail: smtp url port %q is not a port number", p)
		}
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	q := u.Query()
	c.From = q.Get("from")
	if c.From == "" {
		c.From = "noreply@" + c.Host
	}
	switch q.Get("tls") {
	case "":
	case "none":
		if c.ImplicitTLS {
			return Config{}, fmt.Errorf("mail: smtps:// with tls=none makes no sense; use smtp://")
		}
		c.Insecure = true
	default:
		return Config{}, fmt.Errorf("mail: smtp url tls=%q: the only choice is tls=none", q.Get("tls"))
	}
	return c, nil
}

// Redacted returns the URL without its password, for logs.
func (c Config) Redacted() string {
	scheme := "smtp"
	if c.ImplicitTLS {
		scheme = "smtps"
	}
	user := ""
	if c.Username != "" {
		user = c.Username + ":xxxxx@"
	}
	return fmt.Sprintf("%s://%s%s:%d", scheme, user, c.Host, c.Port)
}

// Conn is one SMTP connection, reused for many mails. Not safe for
// concurrent use: each sender goroutine has its own.
type Conn struct {
	cfg    Config
	client *gomail.Client
	smtp   *gosmtp.Client // the open connection; nil when closed
	used   time.Time      // when it last carried a mail
}

// NewConn returns a connection to cfg's server, dialled on first Send.
func NewConn(cfg Config) (*Conn, error) {
	opts := []gomail.Option{gomail.WithPort(cfg.Port), gomail.WithTimeout(cfg.Timeout)}
	switch {
	case cfg.ImplicitTLS:
		opts = append(opts, gomail.WithSSL())
	case cfg.Insecure:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if cfg.TLSConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(cfg.TLSConfig))
	}
	if cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	c, err := gomail.NewClient(cfg.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("mail: client: %w", err)
	}
	return &Conn{cfg: cfg, client: c}, nil
}

// Send sends m, dialling first if the connection is not open. Any error
// closes the connection (the next Send dials again) and is an *Error that
// says whether trying later may succeed.
//
// A kept connection can die while idle: its own deadline (cfg.Timeout
// after its last command) or the server's idle limit ends it. One idle
// past half the timeout is closed before sending, and one found dead
// before anything was handed over is dialled again at once: otherwise
// every sender's first mail after a quiet spell would wait out a retry.
func (c *Conn) Send(ctx context.Context, m Mail) error {
	msg, err := c.build(m)
	if err != nil {
		return &Error{Permanent: true, Err: err}
	}
	if c.smtp != nil && time.Since(c.used) > c.cfg.Timeout/2 {
		c.Close()
	}
	reused := c.smtp != nil
	if err := c.dial(ctx); err != nil {
		return err
	}
	err = c.client.SendWithSMTPClient(c.smtp, msg)
	if err != nil && reused && connLost(err) {
		c.Close()
		if err := c.dial(ctx); err != nil {
			return err
		}
		err = c.client.SendWithSMTPClient(c.smtp, msg)
	}
	if err != nil {
		c.Close()
		return classify(fmt.Errorf("mail: send to %s: %w", m.To, err))
	}
	c.used = time.Now()
	return nil
}

func (c *Conn) dial(ctx context.Context) error {
	if c.smtp != nil {
		return nil
	}
	s, err := c.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return classify(fmt.Errorf("mail: dial %s:%d: %w", c.cfg.Host, c.cfg.Port, err))
	}
	c.smtp = s
	return nil
}

// connLost reports whether err is go-mail's check of the connection
// failing: the mail was not handed over, so sending again cannot make a
// duplicate.
func connLost(err error) bool {
	var se *gomail.SendError
	return errors.As(err, &se) && se.Reason == gomail.ErrConnCheck
}

// Close ends the connection, if open. A connection that cannot say QUIT
// (the server is gone) is closed without it, so its socket is released.
func (c *Conn) Close() error {
	s := c.smtp
	if s == nil {
		return nil
	}
	c.smtp = nil
	if err := c.client.CloseWithSMTPClient(s); err != nil {
		_ = s.Close()
		return fmt.Errorf("mail: close: %w", err)
	}
	return nil
}

func (c *Conn) build(m Mail) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.From(c.cfg.From); err != nil {
		return nil, fmt.Errorf("mail: from %q: %w", c.cfg.From, err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("mail: to %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDate()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	if m.Unsubscribe != "" {
		msg.SetGenHeader(gomail.HeaderListUnsubscribe, "<"+m.Unsubscribe+">")
	}
	return msg, nil
}

// Error is a failed send. Permanent: the server refused for good (5xx) or
// the mail cannot be built; otherwise (4xx, timeouts, refused connections)
// trying later may succeed.
type Error struct {
	Permanent bool
	Code      int // the SMTP reply code, 0 when none
	Err       error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// classify makes err an *Error: permanent only on a 5xx reply.
func classify(err error) *Error {
	e := &Error{Err: err}
	var se *gomail.SendError
	if errors.As(err, &se) {
		e.Code = se.ErrorCode()
	}
	var te *textproto.Error
	if e.Code == 0 && errors.As(err, &te) {
		e.Code = te.Code
	}
	e.Permanent = e.Code >= 500 && e.Code < 600
	return e
}
