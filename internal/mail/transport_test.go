package mail_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/lanyardhq/lanyard/internal/mail"
	"github.com/lanyardhq/lanyard/internal/mail/mailtest"
)

// selfSigned returns a server TLS config for 127.0.0.1 and a client one
// that trusts it.
func selfSigned(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}},
		&tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
}

// Mail goes over STARTTLS (smtp://) and implicit TLS (smtps://) with the
// URL's credentials, as text and HTML, with its Message-ID; wrong
// credentials are a permanent failure.
func TestSendOverTLS(t *testing.T) {
	serverTLS, clientTLS := selfSigned(t)
	for _, tt := range []struct {
		scheme   string
		implicit bool
		pass     string
		wantErr  bool
	}{
		{"smtp", false, "s3cret", false},
		{"smtps", true, "s3cret", false},
		{"smtp", false, "wrong", true},
	} {
		t.Run(tt.scheme+"/"+tt.pass, func(t *testing.T) {
			srv := mailtest.StartWith(t, mailtest.Options{TLS: serverTLS, Implicit: tt.implicit, User: "lanyard", Password: "s3cret"})
			cfg, err := mail.ParseURL(tt.scheme + "://lanyard:" + url.QueryEscape(tt.pass) + "@" + srv.Addr + "?from=events@example.com")
			if err != nil {
				t.Fatal(err)
			}
			cfg.TLSConfig, cfg.Timeout = clientTLS, 5*time.Second
			conn, err := mail.NewConn(cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			err = conn.Send(context.Background(), mail.Mail{MessageID: "m7@events.example.com", To: "ada@example.com",
				Subject: "좌석이 열렸습니다", Text: "plain words", HTML: "<p>html words</p>"})
			if tt.wantErr {
				var me *mail.Error
				if !errors.As(err, &me) || !me.Permanent {
					t.Fatalf("Send with a wrong password = %v, want a permanent *mail.Error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := srv.Received()
			if len(got) != 1 {
				t.Fatalf("%d mails received, want 1", len(got))
			}
			raw := string(got[0].Raw)
			if got[0].MessageID != "<m7@events.example.com>" || got[0].To != "ada@example.com" ||
				!strings.Contains(raw, "text/plain") || !strings.Contains(raw, "text/html") || !strings.Contains(raw, "multipart/alternative") {
				t.Errorf("received %+v\n%s", got[0], raw)
			}
		})
	}
}

// smtp:// refuses to send in the clear when the server offers no STARTTLS.
func TestSTARTTLSRequired(t *testing.T) {
	srv := mailtest.Start(t)
	cfg, _ := mail.ParseURL("smtp://" + srv.Addr)
	cfg.Timeout = 5 * time.Second
	conn, _ := mail.NewConn(cfg)
	if err := conn.Send(context.Background(), mail.Mail{MessageID: "m1@x", To: "a@example.com", Subject: "s", Text: "t"}); err == nil {
		t.Fatal("sent without TLS to a server offering no STARTTLS")
	}
	if n := srv.Count(); n != 0 {
		t.Errorf("%d mails received in the clear", n)
	}
}

// A refusal before DATA's acceptance is temporary for 4xx and permanent for 5xx.
func TestClassify(t *testing.T) {
	for _, code := range []int{421, 451, 550, 554} {
		srv := mailtest.Start(t)
		srv.Refuse = func(int, string) *smtp.SMTPError { return &smtp.SMTPError{Code: code, Message: "no"} }
		cfg, _ := mail.ParseURL(srv.URL())
		conn, _ := mail.NewConn(cfg)
		err := conn.Send(context.Background(), mail.Mail{MessageID: "m1@x", To: "a@example.com", Subject: "s", Text: "t"})
		var me *mail.Error
		if !errors.As(err, &me) || me.Permanent != (code >= 500) || me.Code != code {
			t.Errorf("reply %d: %#v, want code %d permanent=%v", code, err, code, code >= 500)
		}
		conn.Close()
	}
	// Nobody listening: temporary.
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	cfg, _ := mail.ParseURL("smtp://" + addr + "?tls=none")
	cfg.Timeout = time.Second
	conn, _ := mail.NewConn(cfg)
	var me *mail.Error
	if err := conn.Send(context.Background(), mail.Mail{MessageID: "m1@x", To: "a@example.com", Subject: "s", Text: "t"}); !errors.As(err, &me) || me.Permanent {
		t.Errorf("connection refused: %v, want a temporary *mail.Error", err)
	}
	// A server that never answers: a timeout, temporary.
	silent, _ := net.Listen("tcp", "127.0.0.1:0")
	defer silent.Close()
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	cfg, _ = mail.ParseURL("smtp://" + silent.Addr().String() + "?tls=none")
	cfg.Timeout = 200 * time.Millisecond
	conn, _ = mail.NewConn(cfg)
	start := time.Now()
	if err := conn.Send(context.Background(), mail.Mail{MessageID: "m1@x", To: "a@example.com", Subject: "s", Text: "t"}); !errors.As(err, &me) || me.Permanent {
		t.Errorf("silent server: %v, want a temporary *mail.Error", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the timeout took %v", d)
	}
}

// A kept connection that died while idle, by the server's idle limit or
// by its own deadline, must not fail the next mail: the mail has not
// been handed over, so the connection is dialled again at once.
func TestSendAfterIdle(t *testing.T) {
	tests := []struct {
		name          string
		serverIdle    time.Duration // the server drops connections idle this long
		clientTimeout time.Duration
		pause         time.Duration
	}{
		{"server drops idle connection", 100 * time.Millisecond, 10 * time.Second, 500 * time.Millisecond},
		{"own deadline passed", 0, 300 * time.Millisecond, 500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := mailtest.StartWith(t, mailtest.Options{IdleTimeout: tt.serverIdle})
			cfg, err := mail.ParseURL(srv.URL())
			if err != nil {
				t.Fatal(err)
			}
			cfg.Timeout = tt.clientTimeout
			conn, err := mail.NewConn(cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			for i := range 3 {
				m := mail.Mail{MessageID: fmt.Sprintf("m%d@x", i), To: "a@example.com", Subject: "s", Text: "t"}
				if err := conn.Send(context.Background(), m); err != nil {
					t.Fatalf("mail %d after a pause of %v: %v", i+1, tt.pause, err)
				}
				time.Sleep(tt.pause)
			}
			if n := srv.Count(); n != 3 {
				t.Errorf("the server has %d mails, want 3", n)
			}
		})
	}
}
