package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"learngraph"
	"learngraph/neo4j"
)

// neo4jConfig reads the Neo4j connection from the environment, named as
// Neo4j's own tools name it.
func (m *Main) neo4jConfig() neo4j.Config {
	return neo4j.Config{
		URI:      m.Getenv("NEO4J_URI"),
		Username: m.Getenv("NEO4J_USERNAME"),
		Password: m.Getenv("NEO4J_PASSWORD"),
		Database: m.Getenv("NEO4J_DATABASE"),
	}
}

// openNeo4j connects to the Neo4j the environment names, or says in one
// line why it cannot.
func (m *Main) openNeo4j(ctx context.Context, command string) (*neo4j.Store, bool) {
	cfg := m.neo4jConfig()
	logger, err := m.newLogger()
	if err != nil {
		fmt.Fprintf(m.Stderr, "learngraph %s: %v\n", command, err)
		return nil, false
	}
	octx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	store, err := neo4j.Open(octx, cfg, logger)
	if err != nil {
		fmt.Fprintf(m.Stderr, "learngraph %s: %s (NEO4J_URI %s)\n", command, learngraph.ErrorMessage(err), cfg.URI)
		return nil, false
	}
	return store, true
}

// load validates the curriculum in a directory and writes it into Neo4j
// as the version served from then on.
func (m *Main) load(ctx context.Context, args []string) int {
	fset := m.newFlagSet("load", "[DIR]")
	positional, code, ok := parseArgs(fset, args)
	if !ok {
		return code
	}
	dir := m.env("LEARNGRAPH_SEEDS", defaultSeeds)
	switch len(positional) {
	case 0:
	case 1:
		dir = positional[0]
	default:
		fmt.Fprintf(m.Stderr, "learngraph load: one directory at most, got %q\n", positional)
		return exitUsage
	}
	if m.Getenv("NEO4J_URI") == "" {
		fmt.Fprintln(m.Stderr, "learngraph load: NEO4J_URI is not set: say which Neo4j to load into (with NEO4J_USERNAME and NEO4J_PASSWORD when it needs them)")
		return exitUsage
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		fmt.Fprintf(m.Stderr, "learngraph load: %s is not a directory\n", dir)
		return exitUsage
	}

	// Validate everything before anything is written.
	_, c, err := load(os.DirFS(dir))
	if err != nil {
		fmt.Fprintf(m.Stderr, "learngraph load: the curriculum in %s cannot be loaded:\n", dir)
		m.printProblems(err, dir)
		return exitFailure
	}

	store, ok := m.openNeo4j(ctx, "load")
	if !ok {
		return exitFailure
	}
	defer store.Close(context.WithoutCancel(ctx))
	summary, err := store.Load(ctx, c, progressPrinter(m.Stderr))
	if err != nil {
		fmt.Fprintf(m.Stderr, "learngraph load: %s\n", learngraph.ErrorMessage(err))
		return exitFailure
	}
	printSummary(m.Stdout, dir, summary)
	return exitOK
}

// progressPrinter prints how far a load has come, at most once a second,
// so a long load shows it is alive and a short one prints nothing.
func progressPrinter(w io.Writer) func(neo4j.LoadProgress) {
	start := time.Now()
	last := start
	return func(p neo4j.LoadProgress) {
		if now := time.Now(); now.Sub(last) >= time.Second {
			last = now
			if p.Stage == "cleanup" {
				fmt.Fprintf(w, "  deleting old versions: %d nodes\n", p.Done)
				return
			}
			fmt.Fprintf(w, "  %3.0f%%  %d of %d rows written (%s)\n", 100*float64(p.Done)/float64(max(1, p.Total)), p.Done, p.Total, p.Stage)
		}
	}
}

// printSummary says what a load did: counts by kind, created, updated and
// deleted nodes, and how long it took.
func printSummary(w io.Writer, dir string, s neo4j.LoadSummary) {
	if s.Unchanged {
		fmt.Fprintf(w, "unchanged: version %s already loaded from %s\n", s.Version, dir)
		return
	}
	created, updated, deleted := s.Changes()
	fmt.Fprintf(w, "loaded version %s from %s in %.1f s: %d created, %d updated, %d deleted\n",
		s.Version, dir, s.Duration.Seconds(), created, updated, deleted)
	fmt.Fprintf(w, "  %-12s %7s %8s %8s %8s\n", "kind", "count", "created", "updated", "deleted")
	for _, k := range s.Kinds {
		fmt.Fprintf(w, "  %-12s %7d %8d %8d %8d\n", k.Kind, k.Count, k.Created, k.Updated, k.Deleted)
	}
	fmt.Fprintf(w, "  %-12s %7d\n", "links", s.Links)
}
