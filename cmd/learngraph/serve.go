package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"learngraph"
	"learngraph/graph"
	"learngraph/inmem"
	"learngraph/server"
)

// shutdownTimeout is how long requests in flight get to finish once the
// server is asked to stop.
const shutdownTimeout = 10 * time.Second

// serve serves the API until ctx is cancelled (SIGINT, SIGTERM).
func (m *Main) serve(ctx context.Context, args []string) int {
	fset := m.newFlagSet("serve", "[--addr HOST:PORT] [--seeds DIR] [flags]")
	addr := fset.String("addr", m.env("LEARNGRAPH_ADDR", defaultAddr), "listen on `HOST:PORT` (env LEARNGRAPH_ADDR)")
	dir := fset.String("seeds", m.env("LEARNGRAPH_SEEDS", ""), "serve the curriculum in `DIR` instead of the embedded one (env LEARNGRAPH_SEEDS)")
	cfg, check := m.serveFlags(fset)
	positional, code, ok := parseArgs(fset, args)
	if !ok {
		return code
	}
	if len(positional) > 0 {
		fmt.Fprintf(m.Stderr, "learngraph serve: unexpected arguments %q\n", positional)
		fset.Usage()
		return exitUsage
	}
	if err := check(); err != nil {
		fmt.Fprintf(m.Stderr, "learngraph serve: %v\n", err)
		return exitUsage
	}
	logger, err := m.newLogger()
	if err != nil {
		fmt.Fprintf(m.Stderr, "learngraph serve: %v\n", err)
		return exitUsage
	}
	if m.Getenv("NEO4J_URI") != "" {
		if *dir != "" {
			logger.Warn("--seeds is not used: serving what was loaded into Neo4j (learngraph load DIR)", slog.String("seeds", *dir))
		}
		store, ok := m.openNeo4j(ctx, "serve")
		if !ok {
			return exitFailure
		}
		defer store.Close(context.WithoutCancel(ctx))
		return m.listenAndServe(ctx, logger, *addr, store, "Neo4j at "+m.Getenv("NEO4J_URI"), *cfg)
	}

	src := curriculumSource{fsys: m.Seeds, name: "embedded seeds"}
	if *dir != "" {
		if st, err := os.Stat(*dir); err != nil || !st.IsDir() {
			fmt.Fprintf(m.Stderr, "learngraph serve: %s is not a directory\n", *dir)
			return exitUsage
		}
		src = curriculumSource{fsys: os.DirFS(*dir), dir: *dir, name: *dir}
	}
	if src.fsys == nil {
		fmt.Fprintln(m.Stderr, "learngraph serve: no curriculum: give --seeds DIR")
		return exitUsage
	}

	c, err := src.load()
	if err != nil {
		// Refuse to start: a server must never serve a broken or cyclic
		// curriculum. Say exactly where each problem is.
		fmt.Fprintf(m.Stderr, "learngraph serve: the curriculum in %s cannot be served:\n", src.name)
		m.printProblems(err, src.dir)
		return exitFailure
	}
	store := inmem.New(c)

	// SIGHUP reloads the curriculum; stop listening for it on return, so
	// a later SIGHUP gets its default meaning again.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				reload(ctx, logger, store, src)
			}
		}
	}()
	return m.listenAndServe(ctx, logger, *addr, store, src.name, *cfg)
}

// listenAndServe serves the API from store on addr until ctx is
// cancelled, then shuts down gracefully.
func (m *Main) listenAndServe(ctx context.Context, logger *slog.Logger, addr string, store learngraph.Store, source string, cfg server.Config) int {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(m.Stderr, "learngraph serve: %v\n", err)
		return exitFailure
	}
	srv := &http.Server{
		Handler:           server.New(cfg, store, logger),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		// Longer than a request may run, so a request that times out
		// still gets its LIMIT_EXCEEDED answer.
		WriteTimeout: cfg.GraphQL.Timeout + 20*time.Second,
		IdleTimeout:  2 * time.Minute,
		ErrorLog:     slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		BaseContext:  func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	version := "none loaded"
	if snap, err := store.Snapshot(ctx); err == nil {
		version = snap.Info().Version
	}
	logger.Info("serving", slog.String("addr", "http://"+ln.Addr().String()),
		slog.String("curriculum", source), slog.String("version", version))
	if m.OnListen != nil {
		m.OnListen(ln.Addr().String(), store)
	}

	select {
	case err := <-errc:
		logger.Error("server failed", slog.Any("err", err))
		return exitFailure
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		logger.Error("shutdown", slog.Any("err", err))
		return exitFailure
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Error("server failed", slog.Any("err", err))
		return exitFailure
	}
	return exitOK
}

// curriculumSource is where serve reads its curriculum from, again on
// each reload.
type curriculumSource struct {
	fsys fs.FS
	dir  string // the directory, "" for the embedded seeds
	name string // for logs
}

func (s curriculumSource) load() (*learngraph.Curriculum, error) {
	_, c, err := load(s.fsys)
	return c, err
}

// reload builds the new curriculum completely before it replaces the one
// being served, so a request never sees half of it; requests in flight
// keep the snapshot they started with. A curriculum that fails to load
// leaves the old one in service.
func reload(ctx context.Context, logger *slog.Logger, store *inmem.Store, src curriculumSource) {
	logger.Info("reloading", slog.String("curriculum", src.name))
	c, err := src.load()
	if err != nil {
		findings := findingsIn(err)
		if findings == nil {
			logger.Error("reload failed; still serving the previous curriculum", slog.Any("err", err))
			return
		}
		logger.Error("reload failed; still serving the previous curriculum")
		for _, f := range findings {
			if f.Severity == learngraph.SeverityError {
				logger.Error("reload problem", slog.String("finding", located(f, src.dir).String()))
			}
		}
		return
	}
	old := "unknown"
	if snap, err := store.Snapshot(ctx); err == nil {
		old = snap.Info().Version
	}
	store.Replace(c)
	logger.Info("reloaded", slog.String("from", old), slog.String("to", c.Version))
}

// printProblems prints why a curriculum cannot be served: each ERROR
// finding with file:line, or the error itself.
func (m *Main) printProblems(err error, dir string) {
	findings := findingsIn(err)
	if findings == nil {
		fmt.Fprintf(m.Stderr, "  %v\n", err)
		return
	}
	for _, f := range findings {
		if f.Severity == learngraph.SeverityError {
			fmt.Fprintf(m.Stderr, "  %s\n", located(f, dir))
		}
	}
}

// serveFlags defines the flags that tune the HTTP edge, each defaulting
// to its LEARNGRAPH_* variable, else to the server's default. It returns
// the configuration the flags fill in, and a check to call once they are
// parsed: it reports a variable that does not parse, a value out of range,
// bad CORS origins and an unreadable trusted-documents file.
func (m *Main) serveFlags(fset *flag.FlagSet) (*server.Config, func() error) {
	d := graph.DefaultOptions()
	env := envDefaults{m: m}
	cfg := &server.Config{}
	g := &cfg.GraphQL

	fset.Int64Var(&cfg.MaxBodyBytes, "max-body", env.int64("LEARNGRAPH_MAX_BODY", 1<<20),
		"refuse request bodies over `BYTES` with 413 (env LEARNGRAPH_MAX_BODY)")
	fset.IntVar(&g.ParserTokenLimit, "max-tokens", env.int("LEARNGRAPH_MAX_TOKENS", d.ParserTokenLimit),
		"refuse queries of more than `N` tokens before parsing them (env LEARNGRAPH_MAX_TOKENS)")
	fset.IntVar(&g.MaxDepth, "max-depth", env.int("LEARNGRAPH_MAX_DEPTH", d.MaxDepth),
		"refuse queries whose fields nest deeper than `N` (env LEARNGRAPH_MAX_DEPTH)")
	fset.IntVar(&g.MaxAliases, "max-aliases", env.int("LEARNGRAPH_MAX_ALIASES", d.MaxAliases),
		"refuse operations with more than `N` aliased fields (env LEARNGRAPH_MAX_ALIASES)")
	fset.IntVar(&g.MaxComplexity, "max-complexity", env.int("LEARNGRAPH_MAX_COMPLEXITY", d.MaxComplexity),
		"refuse operations that cost more than `N`: a field costs 1, the fields under a list count first times (env LEARNGRAPH_MAX_COMPLEXITY)")
	fset.IntVar(&g.MaxFirst, "max-first", env.int("LEARNGRAPH_MAX_FIRST", d.MaxFirst),
		"the largest `N` any list's first accepts (env LEARNGRAPH_MAX_FIRST)")
	fset.DurationVar(&g.Timeout, "timeout", env.duration("LEARNGRAPH_TIMEOUT", d.Timeout),
		"answer LIMIT_EXCEEDED when a request runs longer than `DURATION` (env LEARNGRAPH_TIMEOUT)")
	introspection := fset.Bool("introspection", env.bool("LEARNGRAPH_INTROSPECTION", true),
		"answer introspection (__schema, __type), which the playground needs (env LEARNGRAPH_INTROSPECTION)")
	fset.IntVar(&g.PersistedQueryCacheSize, "apq-cache", env.int("LEARNGRAPH_APQ_CACHE", d.PersistedQueryCacheSize),
		"remember `N` automatic persisted queries, least recently used out first (env LEARNGRAPH_APQ_CACHE)")
	trusted := fset.String("trusted-documents", env.str("LEARNGRAPH_TRUSTED_DOCUMENTS", ""),
		"run only the operations in `FILE` (JSON: {\"sha256 hex\": \"document\"}) and introspection (env LEARNGRAPH_TRUSTED_DOCUMENTS)")
	fset.DurationVar(&g.CacheMaxAge, "cache-max-age", env.duration("LEARNGRAPH_CACHE_MAX_AGE", d.CacheMaxAge),
		"Cache-Control max-age of successful GET answers, a `DURATION` (env LEARNGRAPH_CACHE_MAX_AGE)")
	answerCache := fset.Int("answer-cache", env.int("LEARNGRAPH_ANSWER_CACHE", d.AnswerCacheBytes),
		"keep up to `BYTES` of successful GET answers by ETag and send them again without running the query; 0 is off (env LEARNGRAPH_ANSWER_CACHE)")
	pictureCache := fset.Int("picture-cache", env.int("LEARNGRAPH_PICTURE_CACHE", 32<<20),
		"keep up to `BYTES` of /graph.svg pictures per curriculum version (at most 64); 0 is off (env LEARNGRAPH_PICTURE_CACHE)")
	origins := fset.String("cors-origins", env.str("LEARNGRAPH_CORS_ORIGINS", ""),
		"comma-separated `ORIGINS` (https://app.example.com) whose pages may call /graphql; * for any; none by default (env LEARNGRAPH_CORS_ORIGINS)")
	fset.Float64Var(&cfg.RateLimit, "rate-limit", env.float("LEARNGRAPH_RATE_LIMIT", 0),
		"allow each client address `N` /graphql requests a second, answering 429 beyond; 0 is off (env LEARNGRAPH_RATE_LIMIT)")
	fset.IntVar(&cfg.RateBurst, "rate-burst", env.int("LEARNGRAPH_RATE_BURST", 0),
		"`N` requests a client may make at once; 0 is twice --rate-limit (env LEARNGRAPH_RATE_BURST)")
	fset.BoolVar(&cfg.TrustProxy, "trust-proxy", env.bool("LEARNGRAPH_TRUST_PROXY", false),
		"rate-limit by the last X-Forwarded-For address, for a server behind a proxy that appends it (env LEARNGRAPH_TRUST_PROXY)")

	check := func() error {
		if env.err != nil {
			return env.err
		}
		for _, v := range []struct {
			name  string
			value int64
		}{
			{"--max-body", cfg.MaxBodyBytes}, {"--max-tokens", int64(g.ParserTokenLimit)},
			{"--max-depth", int64(g.MaxDepth)}, {"--max-aliases", int64(g.MaxAliases)},
			{"--max-complexity", int64(g.MaxComplexity)}, {"--max-first", int64(g.MaxFirst)},
			{"--apq-cache", int64(g.PersistedQueryCacheSize)},
		} {
			if v.value < 1 {
				return fmt.Errorf("%s must be at least 1, got %d", v.name, v.value)
			}
		}
		switch {
		case g.Timeout <= 0:
			return fmt.Errorf("--timeout must be positive, got %s", g.Timeout)
		case g.CacheMaxAge < time.Second:
			return fmt.Errorf("--cache-max-age must be at least 1s, got %s", g.CacheMaxAge)
		case cfg.RateLimit < 0 || cfg.RateBurst < 0:
			return fmt.Errorf("--rate-limit and --rate-burst must not be negative")
		case *answerCache < 0:
			return fmt.Errorf("--answer-cache must not be negative, got %d", *answerCache)
		case *pictureCache < 0:
			return fmt.Errorf("--picture-cache must not be negative, got %d", *pictureCache)
		}
		cfg.PictureCacheBytes = *pictureCache
		if cfg.PictureCacheBytes == 0 {
			cfg.PictureCacheBytes = -1 // server.Config reads 0 as the default
		}
		g.AnswerCacheBytes = *answerCache
		if g.AnswerCacheBytes == 0 {
			g.AnswerCacheBytes = -1 // graph.Options reads 0 as the default
		}
		g.DisableIntrospection = !*introspection
		list, err := server.ParseOrigins(strings.Split(*origins, ","))
		if err != nil {
			return err
		}
		cfg.CORSOrigins = list
		if *trusted != "" {
			f, err := os.Open(*trusted)
			if err != nil {
				return fmt.Errorf("--trusted-documents: %w", err)
			}
			defer f.Close()
			if g.TrustedDocuments, err = graph.ParseTrustedDocuments(f); err != nil {
				return fmt.Errorf("--trusted-documents %s: %w", *trusted, err)
			}
		}
		return nil
	}
	return cfg, check
}

// envDefaults reads flag defaults from the environment, remembering the
// first variable that does not parse.
type envDefaults struct {
	m   *Main
	err error
}

func (e *envDefaults) str(name, def string) string { return e.m.env(name, def) }

func (e *envDefaults) parse(name string, parse func(string) error) {
	v := e.m.Getenv(name)
	if v == "" {
		return
	}
	if err := parse(v); err != nil && e.err == nil {
		e.err = fmt.Errorf("%s=%q: %w", name, v, err)
	}
}

func (e *envDefaults) int(name string, def int) int {
	e.parse(name, func(s string) (err error) { def, err = strconv.Atoi(s); return err })
	return def
}

func (e *envDefaults) int64(name string, def int64) int64 {
	e.parse(name, func(s string) (err error) { def, err = strconv.ParseInt(s, 10, 64); return err })
	return def
}

func (e *envDefaults) float(name string, def float64) float64 {
	e.parse(name, func(s string) (err error) { def, err = strconv.ParseFloat(s, 64); return err })
	return def
}

func (e *envDefaults) duration(name string, def time.Duration) time.Duration {
	e.parse(name, func(s string) (err error) { def, err = time.ParseDuration(s); return err })
	return def
}

func (e *envDefaults) bool(name string, def bool) bool {
	e.parse(name, func(s string) (err error) { def, err = strconv.ParseBool(s); return err })
	return def
}
