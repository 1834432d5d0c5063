// Package server runs lanyard's HTTP server: it mounts the API and the
// other handlers, adds logging, metrics and panic recovery, serves health
// and readiness probes, and shuts down gracefully.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
)

// Server is an HTTP server for one lanyard node.
type Server struct {
	mux      *http.ServeMux
	inner    http.Handler // mux, wrapped by Use
	log      *slog.Logger
	registry *prometheus.Registry
	latency  *prometheus.HistogramVec
	ready    func(context.Context) error

	// ShutdownTimeout bounds how long Serve waits for requests in flight.
	ShutdownTimeout time.Duration
}

// New returns a server whose readiness probe calls ready (nil: always ready).
func New(log *slog.Logger, ready func(context.Context) error) *Server {
	s := &Server{
		mux:             http.NewServeMux(),
		log:             log,
		registry:        prometheus.NewRegistry(),
		ready:           ready,
		ShutdownTimeout: 15 * time.Second,
	}
	s.inner = s.mux
	s.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "lanyard_http_request_duration_seconds",
		Help: "Time to serve an HTTP request, by route pattern, method and status code.",
		// From 100 µs (a catalog search) to 10 s (a request stuck behind a commit).
		Buckets: prometheus.ExponentialBucketsRange(0.0001, 10, 16),
	}, []string{"route", "method", "code"})
	s.registry.MustRegister(s.latency, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{}))
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	s.mux.HandleFunc("GET /readyz", s.readyz)
	return s
}

// Use wraps the router in mw, inside the metrics and recovery middleware.
func (s *Server) Use(mw func(http.Handler) http.Handler) {
	s.inner = mw(s.inner)
}

// Mux returns the router to register handlers on.
func (s *Server) Mux() *http.ServeMux { return s.mux }

// Registry returns the metrics registry, for other packages' collectors.
func (s *Server) Registry() *prometheus.Registry { return s.registry }

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := s.ready(ctx); err != nil {
			s.log.WarnContext(ctx, "not ready", "err", err)
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
	}
	fmt.Fprintln(w, "ready")
}

// Handler returns the server's handler with its middleware.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.ErrorContext(r.Context(), "panic", "method", r.Method, "path", r.URL.Path, "panic", p)
				if !rec.wrote {
					http.Error(rec, `{"error":{"code":"internal","message":"Internal error."}}`, http.StatusInternalServerError)
				}
			}
			route := r.Pattern // set by ServeMux; bounded cardinality, unlike the path
			if route == "" {
				route = "unmatched"
			}
			d := time.Since(start)
			s.latency.WithLabelValues(route, r.Method, strconv.Itoa(rec.status)).Observe(d.Seconds())
			if s.log.Enabled(r.Context(), slog.LevelDebug) { // building the attributes costs allocations
				s.log.DebugContext(r.Context(), "request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", d)
			}
		}()
		s.inner.ServeHTTP(rec, r)
	})
}

// statusRecorder remembers the status code a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer (flushes
// for server-sent events, deadlines).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Serve accepts connections on l until ctx is done, then stops accepting,
// waits up to ShutdownTimeout for requests in flight, and returns.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "timeout", s.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), s.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("server: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("server: %w", err)
	}
	return nil
}

// Requests returns how many requests the server has answered, from its
// latency histogram: the organizer console turns it into requests per
// second without scraping /metrics.
func (s *Server) Requests() int64 {
	ch := make(chan prometheus.Metric, 64)
	go func() { s.latency.Collect(ch); close(ch) }()
	var n uint64
	for m := range ch {
		var pb dto.Metric
		if m.Write(&pb) == nil && pb.Histogram != nil {
			n += pb.Histogram.GetSampleCount()
		}
	}
	return int64(n)
}
