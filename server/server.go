// Package server is the HTTP edge of learngraph: the GraphiQL playground,
// the GraphQL endpoint with its limits, CORS and rate limit, health and
// readiness probes, Prometheus metrics, and request logging. It reads
// through learngraph.Store only and never imports a backend.
package server

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"learngraph"
	"learngraph/graph"
	"learngraph/server/playground"
	"learngraph/server/widget"
)

// Config sets the limits and policies of the HTTP edge. The zero value
// gives the defaults: 1 MiB bodies, no CORS, no rate limit, and the
// GraphQL handler's own defaults (graph.DefaultOptions).
type Config struct {
	// MaxBodyBytes caps a request body; default 1 MiB. gqlgen sets no
	// limit of its own.
	MaxBodyBytes int64
	// GraphQL tunes the GraphQL handler (limits, timeout, introspection,
	// persisted queries, trusted documents, caching). Its Logger defaults
	// to the server's logger.
	GraphQL graph.Options
	// CORSOrigins are the origins (scheme://host[:port], as ParseOrigins
	// returns them) whose pages may call /graphql from a browser; "*"
	// allows any. None by default. Credentials are never allowed.
	CORSOrigins []string
	// RateLimit is how many /graphql and /graph.svg requests per second
	// (together) one client may make, a token bucket per client address;
	// 0 (the default) turns the limit off.
	RateLimit float64
	// RateBurst is how many requests a client may make at once; default
	// twice RateLimit, at least 1.
	RateBurst int
	// RateLimitClients is how many clients the rate limit remembers, the
	// least recently seen forgotten first; default 10000.
	RateLimitClients int
	// TrustProxy takes the client address for the rate limit from the
	// last X-Forwarded-For entry, which the proxy in front appends. Set it
	// only behind such a proxy: otherwise any client can pick its address.
	TrustProxy bool
	// PictureCacheBytes bounds the SVGs /graph.svg keeps, at most 64
	// pictures, so a picture is laid out once per curriculum version;
	// default 32 MiB, a negative size turns the cache off.
	PictureCacheBytes int
}

func (c Config) withDefaults() Config {
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 1 << 20
	}
	if c.RateLimit > 0 && c.RateBurst <= 0 {
		c.RateBurst = max(1, int(math.Ceil(2*c.RateLimit)))
	}
	if c.RateLimitClients <= 0 {
		c.RateLimitClients = 10000
	}
	return c
}

// New returns the HTTP handler of the service over store:
//
//	GET  /          the GraphiQL playground, served from the binary
//	GET  /playground/...   its scripts, styles and licences
//	GET  /widget.js the <learngraph-next-up> widget other sites embed
//	GET  /graph.svg a picture of the curriculum or a part of it (see pictures)
//	GET, POST, OPTIONS /graphql   the GraphQL endpoint
//	GET  /healthz   200 while the process is up
//	GET  /readyz    200 with the served version when the store answers, else 503
//	GET  /metrics   Prometheus metrics
//
// Every response carries an X-Request-Id (the client's, when it sends a
// plausible one), and every request is logged with slog under that id.
func New(cfg Config, store learngraph.Store, logger *slog.Logger) http.Handler {
	cfg = cfg.withDefaults()
	if logger == nil {
		logger = slog.Default()
	}
	// Everything logged while serving a request carries its id.
	logger = slog.New(requestIDHandler{logger.Handler()})
	if cfg.GraphQL.Logger == nil {
		cfg.GraphQL.Logger = logger
	}

	m := newMetrics(store)
	gql := graph.NewHandler(instrument(store, m), cfg.GraphQL)
	var endpoint http.Handler = limitBody(gql, cfg.MaxBodyBytes)
	var pictures http.Handler = newPictures(cfg, instrument(store, m), m.registry, logger)
	if cfg.RateLimit > 0 {
		// One bucket per client for both: a layout costs more than most
		// queries, so pictures must not be a way around the limit.
		limiter := newRateLimiter(cfg.RateLimit, cfg.RateBurst, cfg.RateLimitClients, cfg.TrustProxy)
		endpoint = limiter.wrap(endpoint)
		pictures = limiter.wrap(pictures)
	}
	endpoint = m.meter(endpoint)
	endpoint = newCORS(cfg.CORSOrigins).wrap(endpoint)

	mux := http.NewServeMux()
	pg := playground.New("learngraph", "/graphql")
	mux.Handle("GET /{$}", pg.Page())
	mux.Handle("GET "+playground.AssetPath, pg.Assets())
	mux.Handle("GET "+widget.Path, widget.Handler())
	mux.Handle("GET "+PicturePath, pictures)
	// GET also answers HEAD; any other method gets 405 with an Allow header.
	mux.Handle("GET /graphql", endpoint)
	mux.Handle("POST /graphql", endpoint)
	mux.Handle("OPTIONS /graphql", endpoint)
	mux.HandleFunc("GET /healthz", healthz)
	mux.Handle("GET /readyz", readyz(store))
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelError),
	}))
	return withRequestID(logRequests(logger, mux))
}

// healthz says the process is up; it touches nothing else, so an
// orchestrator never restarts a server only because its store is down.
func healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz says whether the store can serve: a snapshot can be taken. The
// version tells a deployment which curriculum is live.
func readyz(store learngraph.Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		snap, err := store.Snapshot(ctx)
		if err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{
				"status": "unavailable",
				"error":  learngraph.ErrorMessage(err),
			})
			return
		}
		info := snap.Info()
		writeJSON(w, http.StatusOK, map[string]any{
			"status":   "ready",
			"version":  info.Version,
			"loadedAt": info.LoadedAt,
		})
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client went away; nothing to do
}

// limitBody refuses a body over max bytes: up front with 413 when the
// client declares its length, else by cutting the read short, which the
// GraphQL handler answers with 413 too.
func limitBody(h http.Handler, max int64) http.Handler {
	capped := http.MaxBytesHandler(h, max)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			graph.WriteError(w, r, http.StatusRequestEntityTooLarge, graph.BodyTooLarge(max))
			return
		}
		capped.ServeHTTP(w, r)
	})
}

// logRequests logs one line per request, with the GraphQL operation's
// name and error codes when there are any. Probes and scrapes log at
// debug level: they arrive every few seconds and say nothing new.
func logRequests(logger *slog.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ctx, outcome := graph.Observe(r.Context())
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r.WithContext(ctx))
		level := slog.LevelInfo
		switch r.URL.Path {
		case "/healthz", "/readyz", "/metrics":
			level = slog.LevelDebug
		}
		attrs := []slog.Attr{
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.status),
			slog.Int64("bytes", rec.bytes),
			slog.Duration("duration", time.Since(start)),
			slog.String("remote", r.RemoteAddr),
		}
		if name := outcome.Name(); name != "" {
			attrs = append(attrs, slog.String("operation", truncate(name, 100)))
		}
		if codes := outcome.Codes(); len(codes) > 0 {
			attrs = append(attrs, slog.Any("errors", codes))
		}
		if v := outcome.Version(); v != "" {
			attrs = append(attrs, slog.String("version", v))
		}
		if outcome.Cached() {
			attrs = append(attrs, slog.Bool("cached", true))
		}
		logger.LogAttrs(ctx, level, "http request", attrs...)
	})
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// statusRecorder remembers what a handler wrote, for the log line and
// the metrics.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wrote = true
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer
// (flushing, deadlines).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// ParseOrigins checks and normalises CORS origins as a browser sends them
// in an Origin header: scheme://host[:port], lower case, no path, no
// trailing slash. "*" stands for any origin.
func ParseOrigins(list []string) ([]string, error) {
	var out []string
	for _, o := range list {
		norm, err := normaliseOrigin(o)
		if err != nil {
			return nil, fmt.Errorf("CORS origin %q: %w", o, err)
		}
		if norm != "" {
			out = append(out, norm)
		}
	}
	return out, nil
}
