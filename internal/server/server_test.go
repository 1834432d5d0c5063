package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestProbesMetricsAndRecovery(t *testing.T) {
	ready := errors.New("database down")
	s := New(quiet(), func(context.Context) error { return ready })
	s.Mux().HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) { panic("bug") })
	s.Mux().HandleFunc("GET /hello", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hi") })
	var order []string
	s.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			order = append(order, "mw")
			next.ServeHTTP(w, r)
		})
	})
	h := s.Handler()
	get := func(path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		return w
	}
	tests := []struct {
		path   string
		status int
		body   string
	}{
		{"/healthz", 200, "ok"},
		{"/readyz", 503, "not ready"},
		{"/hello", 200, "hi"},
		{"/boom", 500, `"code":"internal"`},
	}
	for _, tt := range tests {
		w := get(tt.path)
		if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.body) {
			t.Errorf("GET %s: %d %q, want %d containing %q", tt.path, w.Code, w.Body, tt.status, tt.body)
		}
	}
	ready = nil
	if w := get("/readyz"); w.Code != 200 {
		t.Errorf("ready database: /readyz %d", w.Code)
	}
	if len(order) != len(tests)+1 {
		t.Errorf("middleware ran %d times for %d requests", len(order), len(tests)+1)
	}
	m := get("/metrics").Body.String()
	for _, want := range []string{
		`lanyard_http_request_duration_seconds_count{code="200",method="GET",route="GET /hello"} 1`,
		`lanyard_http_request_duration_seconds_count{code="500",method="GET",route="GET /boom"} 1`,
		"go_goroutines",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// Serve stops on cancel, after letting a request in flight finish.
func TestGracefulShutdown(t *testing.T) {
	s := New(quiet(), nil)
	started := make(chan struct{})
	s.Mux().HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(300 * time.Millisecond)
		io.WriteString(w, "done")
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, l) }()
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + l.Addr().String() + "/slow")
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- string(b)
	}()
	<-started
	cancel()
	if body := <-got; body != "done" {
		t.Fatalf("request in flight got %q, want it finished", body)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
}
