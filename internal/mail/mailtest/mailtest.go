// Package mailtest is an in-process SMTP server over real TCP for tests
// and benchmarks (go-smtp as the server): it records what it accepts and
// can refuse on command, with 4xx or 5xx replies.
package mailtest

import (
	"bytes"
	"crypto/tls"
	"io"
	"net"
	"net/mail"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Received is one accepted mail.
type Received struct {
	From, To  string
	MessageID string // the Message-ID header, with its angle brackets
	Header    mail.Header
	Raw       []byte
}

// Server is a running SMTP server.
type Server struct {
	Addr string // host:port
	srv  *smtp.Server
	opts Options

	// Refuse, if set, is asked before accepting each mail's DATA (n counts
	// from 1 over the server's life): a non-nil *smtp.SMTPError is replied.
	Refuse func(n int, to string) *smtp.SMTPError
	// Discard keeps only counts, for benchmarks.
	Discard bool

	mu       sync.Mutex
	n        int
	received []Received
	count    int
}

// Start serves plain SMTP on a free loopback port until the test ends.
func Start(tb testing.TB) *Server { return StartWith(tb, Options{}) }

// Options configure a test server.
type Options struct {
	// TLS, if set, offers STARTTLS, or with Implicit speaks TLS from the
	// first byte (smtps).
	TLS      *tls.Config
	Implicit bool
	// User and Password, if set, are required (AUTH PLAIN) before MAIL.
	User, Password string
	// IdleTimeout, if set, drops a connection that sends nothing for that
	// long, as real servers do.
	IdleTimeout time.Duration
}

// StartWith serves with opts on a free loopback port until the test ends.
func StartWith(tb testing.TB, opts Options) *Server {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s := &Server{Addr: l.Addr().String(), opts: opts}
	s.srv = smtp.NewServer(backend{s})
	s.srv.Domain = "mailtest.invalid"
	s.srv.AllowInsecureAuth = opts.TLS == nil
	s.srv.MaxMessageBytes = 1 << 20
	s.srv.TLSConfig = opts.TLS
	s.srv.ReadTimeout = opts.IdleTimeout
	if opts.Implicit {
		l = tls.NewListener(l, opts.TLS)
	}
	go s.srv.Serve(l)
	tb.Cleanup(func() { s.srv.Close() })
	return s
}

// URL is the server's smtp:// URL, without TLS.
func (s *Server) URL() string { return "smtp://" + s.Addr + "?tls=none&from=lanyard@example.com" }

// Received returns a copy of the mail accepted so far.
func (s *Server) Received() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// Count is how many mails were accepted.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

type backend struct{ s *Server }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s        *Server
	from, to string
	authed   bool
	buf      bytes.Buffer
}

func (ss *session) AuthMechanisms() []string {
	if ss.s.opts.User == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != ss.s.opts.User || pass != ss.s.opts.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", "" }
func (ss *session) Logout() error { return nil }
func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.opts.User != "" && !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}
func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = to
	return nil
}

func (ss *session) Data(r io.Reader) error {
	ss.buf.Reset()
	if _, err := io.Copy(&ss.buf, r); err != nil {
		return err
	}
	s := ss.s
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	if s.Refuse != nil {
		if e := s.Refuse(s.n, ss.to); e != nil {
			return e
		}
	}
	s.count++
	if s.Discard {
		return nil
	}
	raw := bytes.Clone(ss.buf.Bytes())
	rec := Received{From: ss.from, To: ss.to, Raw: raw}
	if m, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		rec.Header = m.Header
		rec.MessageID = m.Header.Get("Message-Id")
	}
	s.received = append(s.received, rec)
	return nil
}
