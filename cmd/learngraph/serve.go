package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"learngraph"
	"learngraph/inmem"
	"learngraph/server"
)

// shutdownTimeout is how long requests in flight get to finish once the
// server is asked to stop.
const shutdownTimeout = 10 * time.Second

// serve serves the API until ctx is cancelled (SIGINT, SIGTERM).
func (m *Main) serve(ctx context.Context, args []string) int {
	fset := m.newFlagSet("serve", "[--addr HOST:PORT] [--seeds DIR]")
	addr := fset.String("addr", m.env("LEARNGRAPH_ADDR", defaultAddr), "listen on `HOST:PORT` (env LEARNGRAPH_ADDR)")
	dir := fset.String("seeds", m.env("LEARNGRAPH_SEEDS", ""), "serve the curriculum in `DIR` instead of the embedded one (env LEARNGRAPH_SEEDS)")
	positional, code, ok := parseArgs(fset, args)
	if !ok {
		return code
	}
	if len(positional) > 0 {
		fmt.Fprintf(m.Stderr, "learngraph serve: unexpected arguments %q\n", positional)
		fset.Usage()
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
		return m.listenAndServe(ctx, logger, *addr, store, "Neo4j at "+m.Getenv("NEO4J_URI"))
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
	return m.listenAndServe(ctx, logger, *addr, store, src.name)
}

// listenAndServe serves the API from store on addr until ctx is
// cancelled, then shuts down gracefully.
func (m *Main) listenAndServe(ctx context.Context, logger *slog.Logger, addr string, store learngraph.Store, source string) int {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(m.Stderr, "learngraph serve: %v\n", err)
		return exitFailure
	}
	srv := &http.Server{
		Handler:           server.New(server.Config{}, store, logger),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
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
