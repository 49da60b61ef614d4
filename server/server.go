// Package server is the HTTP edge of learngraph: the GraphiQL playground,
// the GraphQL endpoint with its limits, health and readiness probes, and
// request logging. It reads through learngraph.Store only and never imports
// a backend.
package server

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"learngraph"
	"learngraph/graph"
	"learngraph/server/playground"
)

// Config sets the limits of the HTTP edge. The zero value gives the
// defaults.
type Config struct {
	// MaxBodyBytes caps a request body; default 1 MiB. gqlgen sets no
	// limit of its own.
	MaxBodyBytes int64
	// RequestTimeout bounds the work of one GraphQL request; default 10s.
	RequestTimeout time.Duration
	// GraphQL tunes the GraphQL handler (query cache, token limit,
	// loader batching). Its Logger defaults to the server's logger.
	GraphQL graph.Options
}

func (c Config) withDefaults() Config {
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 1 << 20
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = 10 * time.Second
	}
	return c
}

// New returns the HTTP handler of the service over store:
//
//	GET  /          the GraphiQL playground, served from the binary
//	GET  /playground/...   its scripts, styles and licences
//	GET, POST, OPTIONS /graphql   the GraphQL endpoint
//	GET  /healthz   200 while the process is up
//	GET  /readyz    200 with the served version when the store answers, else 503
//
// Every request is logged with slog.
func New(cfg Config, store learngraph.Store, logger *slog.Logger) http.Handler {
	cfg = cfg.withDefaults()
	if logger == nil {
		logger = slog.Default()
	}
	if cfg.GraphQL.Logger == nil {
		cfg.GraphQL.Logger = logger
	}

	gql := limitBody(withTimeout(graph.NewHandler(store, cfg.GraphQL), cfg.RequestTimeout), cfg.MaxBodyBytes)

	mux := http.NewServeMux()
	pg := playground.New("learngraph", "/graphql")
	mux.Handle("GET /{$}", pg.Page())
	mux.Handle("GET "+playground.AssetPath, pg.Assets())
	// GET also answers HEAD; any other method gets 405 with an Allow header.
	mux.Handle("GET /graphql", gql)
	mux.Handle("POST /graphql", gql)
	mux.Handle("OPTIONS /graphql", gql)
	mux.HandleFunc("GET /healthz", healthz)
	mux.Handle("GET /readyz", readyz(store))
	return logRequests(logger, mux)
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
// client declares its length, else by cutting the read short (gqlgen then
// answers that the body could not be read).
func limitBody(h http.Handler, max int64) http.Handler {
	capped := http.MaxBytesHandler(h, max)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			writeJSON(w, http.StatusRequestEntityTooLarge, map[string]any{
				"errors": []map[string]any{{
					"message":    fmt.Sprintf("the request body is larger than %d bytes", max),
					"extensions": map[string]any{"code": string(learngraph.ELIMIT), "limit": max},
				}},
			})
			return
		}
		capped.ServeHTTP(w, r)
	})
}

// withTimeout bounds the context of each request, so a slow store call
// cannot hold a connection forever.
func withTimeout(h http.Handler, d time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

// logRequests logs one line per request. Probes log at debug level: they
// arrive every few seconds and say nothing new.
func logRequests(logger *slog.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		level := slog.LevelInfo
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
			level = slog.LevelDebug
		}
		logger.LogAttrs(r.Context(), level, "http request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.status),
			slog.Int64("bytes", rec.bytes),
			slog.Duration("duration", time.Since(start)),
			slog.String("remote", r.RemoteAddr))
	})
}

// statusRecorder remembers what a handler wrote, for the log line.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer
// (flushing, deadlines).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
