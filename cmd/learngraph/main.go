// Command learngraph serves a curriculum as a prerequisite graph over
// GraphQL, and checks curriculum documents before they are published.
//
//	learngraph serve [--addr HOST:PORT] [--seeds DIR] [flags]
//	learngraph check [DIR] [--format text|json|github] [--json] [--html FILE] [--against DIR]
//	learngraph load [DIR]
//	learngraph export [DIR] [--format ca-csv] [-o FILE]
//	learngraph graph [DIR] [--goal REF | --path REF | --topic REF] [--format svg|dot|mermaid] [-o FILE]
//
// This is the only package that builds concrete services (loader, store,
// server) and wires them together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"learngraph"
	"learngraph/seeds"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := &Main{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Seeds: seeds.FS}
	code := m.Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK       = 0
	exitFailure  = 1 // the curriculum has errors, or the server failed
	exitUsage    = 2 // bad command line
	defaultAddr  = "127.0.0.1:8080"
	defaultSeeds = "seeds"
)

// Main is the program with its environment made explicit, so tests run
// it in process with their own streams, environment and curriculum.
type Main struct {
	Stdout, Stderr io.Writer
	// Getenv reads the environment; os.Getenv in the binary.
	Getenv func(string) string
	// Seeds is the embedded curriculum serve uses when no directory is
	// given.
	Seeds fs.FS
	// OnListen, when set, is called once serve listens, with the address
	// it listens on and the store it serves from (tests use both).
	OnListen func(addr string, store learngraph.Store)
}

const usage = `learngraph serves a curriculum as a prerequisite graph over GraphQL.

Usage:
  learngraph serve [--addr HOST:PORT] [--seeds DIR] [flags]
      Serve the API (playground at /, endpoint at /graphql, /healthz, /readyz,
      /metrics). Without --seeds it serves the embedded curriculum. SIGHUP
      reloads DIR; SIGINT or SIGTERM stop the server gracefully. With
      NEO4J_URI set it serves what was loaded into Neo4j instead (--seeds is
      not used) and switches to a new load within seconds. Its other flags
      set the request limits, CORS, caching, persisted queries and the rate
      limit: learngraph serve -h lists them.
  learngraph check [DIR] [--format text|json|github] [--json] [--html FILE]
                   [--against DIR]
      Validate the documents in DIR (default seeds) and print the gap report
      with the curriculum's totals; github prints annotations for a pull
      request. --html also writes a self-contained report page; --against
      reports what going from the other directory to DIR changes (findings,
      study plans, metrics). Exits 0 when there is no ERROR finding, 1 when
      there is, 2 on bad usage.
  learngraph load [DIR]
      Validate the documents in DIR (default seeds) and write them into the
      Neo4j at NEO4J_URI as a new version, which servers switch to at once.
      Loading the version already there changes nothing. Exits 0 when
      loaded (or unchanged), 1 when the documents or Neo4j fail, 2 on bad
      usage.
  learngraph export [DIR] [--format ca-csv] [-o FILE]
      Write the curriculum in DIR (default seeds) as a CurricularAnalytics
      curriculum CSV, to FILE or standard output. Exits 0 when written, 1
      when the documents have errors or FILE cannot be written, 2 on bad
      usage.
  learngraph graph [DIR] [--goal REF [--known REF,...] | --path REF | --topic REF]
                   [--format svg|dot|mermaid] [-o FILE] [--max-nodes N]
      Draw the curriculum in DIR (default seeds), a goal's study plan, a
      domain path or a topic, with the gap findings marked and a legend, as
      SVG (default), Graphviz DOT or Mermaid, to FILE or standard output.
      Above N concepts (default 300) it draws topics or phases instead.
      Exits 0 when drawn, 1 when the documents form no graph or FILE cannot
      be written, 2 on bad usage or an unknown ref.
  learngraph help
      Print this help.

Environment (a flag wins over its variable):
  LEARNGRAPH_ADDR       serve --addr (default 127.0.0.1:8080)
  LEARNGRAPH_SEEDS      serve --seeds, and check's, export's and graph's DIR (default seeds)
  LEARNGRAPH_FORMAT     check --format (default text)
  LEARNGRAPH_LOG_LEVEL  debug, info, warn or error (default info)
  LEARNGRAPH_MAX_BODY, LEARNGRAPH_MAX_TOKENS, LEARNGRAPH_MAX_DEPTH,
  LEARNGRAPH_MAX_ALIASES, LEARNGRAPH_MAX_COMPLEXITY, LEARNGRAPH_MAX_FIRST,
  LEARNGRAPH_TIMEOUT, LEARNGRAPH_INTROSPECTION, LEARNGRAPH_APQ_CACHE,
  LEARNGRAPH_TRUSTED_DOCUMENTS, LEARNGRAPH_CACHE_MAX_AGE,
  LEARNGRAPH_CORS_ORIGINS, LEARNGRAPH_RATE_LIMIT, LEARNGRAPH_RATE_BURST,
  LEARNGRAPH_TRUST_PROXY
                        serve's flags of the same names (serve -h)
  NEO4J_URI             Neo4j to load into and serve from (bolt:// or neo4j://)
  NEO4J_USERNAME        Neo4j user (leave unset for a server without auth)
  NEO4J_PASSWORD        Neo4j password
  NEO4J_DATABASE        Neo4j database (default: the server's default)
`

// Run runs the command line args (without the program name) and returns
// the exit code.
func (m *Main) Run(ctx context.Context, args []string) int {
	if m.Getenv == nil {
		m.Getenv = os.Getenv
	}
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return exitUsage
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		return m.serve(ctx, rest)
	case "check":
		return m.check(ctx, rest)
	case "load":
		return m.load(ctx, rest)
	case "export":
		return m.export(rest)
	case "graph":
		return m.graph(ctx, rest)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(m.Stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(m.Stderr, "learngraph: unknown command %q\n\n%s", cmd, usage)
		return exitUsage
	}
}

// env returns the value of the environment variable name, or def.
func (m *Main) env(name, def string) string {
	if v := m.Getenv(name); v != "" {
		return v
	}
	return def
}

// newFlagSet returns a flag set that reports to m.Stderr and lets Run
// choose the exit code.
func (m *Main) newFlagSet(name, synopsis string) *flag.FlagSet {
	fset := flag.NewFlagSet(name, flag.ContinueOnError)
	fset.SetOutput(m.Stderr)
	fset.Usage = func() {
		fmt.Fprintf(fset.Output(), "Usage: learngraph %s %s\n\nFlags:\n", name, synopsis)
		fset.PrintDefaults()
	}
	return fset
}

// parseArgs parses flags that may come before or after the positional
// arguments ("check seeds --json" and "check --json seeds" both work). It
// returns the positional arguments, or the exit code to stop with.
func parseArgs(fset *flag.FlagSet, args []string) ([]string, int, bool) {
	var positional []string
	for {
		if err := fset.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK, false
			}
			return nil, exitUsage, false
		}
		args = fset.Args()
		if len(args) == 0 {
			return positional, 0, true
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// newLogger returns a text logger on stderr at LEARNGRAPH_LOG_LEVEL.
func (m *Main) newLogger() (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(m.env("LEARNGRAPH_LOG_LEVEL", "info"))); err != nil {
		return nil, fmt.Errorf("LEARNGRAPH_LOG_LEVEL: %w", err)
	}
	return slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: level})), nil
}

// findingsIn returns the findings an error from loading or analysing a
// curriculum carries, nil when it is not a *CurriculumError.
func findingsIn(err error) []learngraph.Finding {
	var ce *learngraph.CurriculumError
	if !errors.As(err, &ce) {
		return nil
	}
	out := append([]learngraph.Finding(nil), ce.Problems...)
	return append(out, ce.Warnings...)
}

// located prefixes a finding's file with the directory it was read from,
// so file:line points at the file from where the command was run.
func located(f learngraph.Finding, dir string) learngraph.Finding {
	if f.File != "" && dir != "" {
		f.File = filepath.Join(dir, filepath.FromSlash(f.File))
	}
	return f
}

// curriculumDir returns the curriculum directory a command works on: its
// one positional argument, else LEARNGRAPH_SEEDS, else the bundled seeds.
// It reports a second argument or a path that is not a directory, and
// returns false then.
func (m *Main) curriculumDir(command string, positional []string) (string, bool) {
	dir := m.env("LEARNGRAPH_SEEDS", defaultSeeds)
	switch len(positional) {
	case 0:
	case 1:
		dir = positional[0]
	default:
		fmt.Fprintf(m.Stderr, "learngraph %s: one directory at most, got %q\n", command, positional)
		return "", false
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		fmt.Fprintf(m.Stderr, "learngraph %s: %s is not a directory\n", command, dir)
		return "", false
	}
	return dir, true
}
