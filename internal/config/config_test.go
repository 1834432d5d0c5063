package config

import (
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
)

func TestRegisterPrecedence(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "db")
	os.WriteFile(secret, []byte("postgres://u:p@h/db\n"), 0o600)
	smtpSecret := filepath.Join(t.TempDir(), "smtp")
	os.WriteFile(smtpSecret, []byte("smtps://u:p@mail.example.com\n"), 0o600)
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want Config
	}{
		{"defaults", nil, nil, Default()},
		{"env", map[string]string{"LANYARD_ADDR": ":9000", "LANYARD_LOG_LEVEL": "debug"}, nil,
			Config{Addr: ":9000", DB: "lanyard.db", LogLevel: slog.LevelDebug, LogFormat: "text", Engine: "ledger", MailRate: 50}},
		{"flag beats env", map[string]string{"LANYARD_ADDR": ":9000"}, []string{"--addr", ":7000"},
			Config{Addr: ":7000", DB: "lanyard.db", LogLevel: slog.LevelInfo, LogFormat: "text", Engine: "ledger", MailRate: 50}},
		{"secret file", map[string]string{"LANYARD_DB_FILE": secret}, nil,
			Config{Addr: ":8080", DB: "postgres://u:p@h/db", LogLevel: slog.LevelInfo, LogFormat: "text", Engine: "ledger", MailRate: 50}},
		{"env var beats its file", map[string]string{"LANYARD_DB": "x.db", "LANYARD_DB_FILE": secret}, nil,
			Config{Addr: ":8080", DB: "x.db", LogLevel: slog.LevelInfo, LogFormat: "text", Engine: "ledger", MailRate: 50}},
		{"smtp url from its secret file, rate from env", map[string]string{"LANYARD_SMTP_URL_FILE": smtpSecret, "LANYARD_MAIL_RATE": "200"}, nil,
			Config{Addr: ":8080", DB: "lanyard.db", LogLevel: slog.LevelInfo, LogFormat: "text", Engine: "ledger", SMTPURL: "smtps://u:p@mail.example.com", MailRate: 200}},
		{"smtp flags", nil, []string{"--smtp-url", "smtp://h:2525", "--mail-rate", "0"},
			Config{Addr: ":8080", DB: "lanyard.db", LogLevel: slog.LevelInfo, LogFormat: "text", Engine: "ledger", SMTPURL: "smtp://h:2525"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			fs := flag.NewFlagSet("x", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			if err := c.Register(fs, func(k string) string { return tt.env[k] }, OptAddr|OptDB|OptLog|OptMail); err != nil {
				t.Fatal(err)
			}
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			if c != tt.want {
				t.Fatalf("config=%+v, want %+v", c, tt.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Config)
		ok     bool
	}{
		{"default", func(*Config) {}, true},
		{"no db", func(c *Config) { c.DB = "" }, false},
		{"no addr", func(c *Config) { c.Addr = "" }, false},
		{"bad log format", func(c *Config) { c.LogFormat = "xml" }, false},
		{"naive engine", func(c *Config) { c.Engine = "naive" }, true},
		{"unknown engine", func(c *Config) { c.Engine = "fast" }, false},
		{"smtps url", func(c *Config) { c.SMTPURL = "smtps://u:p@mail.example.com" }, true},
		{"http as smtp url", func(c *Config) { c.SMTPURL = "http://mail.example.com" }, false},
		{"negative mail rate", func(c *Config) { c.MailRate = -1 }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			tt.mutate(&c)
			if err := c.Validate(); (err == nil) != tt.ok {
				t.Fatalf("Validate()=%v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestBadEnvFile(t *testing.T) {
	c := Default()
	err := c.Register(flag.NewFlagSet("x", flag.ContinueOnError), func(k string) string {
		if k == "LANYARD_DB_FILE" {
			return "/nonexistent/secret"
		}
		return ""
	}, OptDB)
	if err == nil {
		t.Fatal("missing secret file accepted")
	}
}

func TestTrustedProxies(t *testing.T) {
	c := Config{Proxies: " 10.0.0.0/8, 127.0.0.1 ,::1"}
	ps, err := c.TrustedProxies()
	if err != nil || len(ps) != 3 || ps[0].String() != "10.0.0.0/8" || ps[1].String() != "127.0.0.1/32" || ps[2].String() != "::1/128" {
		t.Errorf("TrustedProxies = %v, %v", ps, err)
	}
	for _, bad := range []string{"10.0.0.0/33", "localhost", "1.2.3"} {
		c := Default()
		c.Proxies = bad
		if err := c.Validate(); err == nil {
			t.Errorf("Proxies %q validated", bad)
		}
	}
}
