// Command bench measures learngraph on synthetic curricula of several
// sizes, on the embedded store and on Neo4j, and prints the figures
// bench/README.md publishes: the load throughput into Neo4j and the time of
// a reload that changes nothing; studyPlan, nextUp and path-crates latency
// (p50 and p99) for goals with about 10, 100 and 1000 prerequisites; the
// embedded store's start-up time; and the server's memory with each size.
//
//	go run ./bench -sizes 1k,20k -neo4j-instance bench
//
// With -designer it times the learngraph binary's check and graph
// commands on the synthetic curricula written as CurricularAnalytics CSV
// instead (designer.go); -write-ca DIR only writes one of them.
//
// Every figure comes from one run on one machine, with its baselines (a
// single ref lookup on each store, the embedded store beside Neo4j)
// measured in the same run, so figures from different machines are
// compared by their ratios, not their absolute values.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// options are the command line.
type options struct {
	sizes      []int
	seed       int64
	stores     map[string]bool // "inmem", "neo4j"
	graphql    bool
	iterations int
	warmup     int
	maxTime    time.Duration
	jsonPath   string

	// Neo4j: either an instance scripts/neo4j manages (restarted with
	// empty databases before each size, so each load goes into a fresh
	// database) or the server NEO4J_URI names, used as it is.
	script      string
	instance    string
	heap        string
	pagecacheMB int
	keep        bool
	neo4jPID    int
	reloads     int
	batchSize   int

	// child is set in the process the harness starts to measure the
	// server's memory (see memory.go).
	child   string
	goals   string
	path    string
	sources string

	// writeCA and designer are the modes of designer.go.
	writeCA     string
	designer    bool
	runs        int
	timeout     time.Duration
	designerDir string
}

func parseOptions(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sizes := fs.String("sizes", "1k,20k", "curriculum sizes in concepts, comma-separated (1k = 1000)")
	stores := fs.String("stores", "", "stores to measure, comma-separated: inmem, neo4j (default: inmem, and neo4j when -neo4j-instance or NEO4J_URI is set)")
	fs.Int64Var(&o.seed, "seed", 1, "seed of the synthetic curricula")
	fs.BoolVar(&o.graphql, "graphql", true, "also measure each query through the GraphQL handler, in process")
	fs.IntVar(&o.iterations, "n", 200, "measured iterations per query")
	fs.IntVar(&o.warmup, "warmup", 20, "unmeasured iterations before them")
	fs.DurationVar(&o.maxTime, "max-time", 10*time.Second, "stop measuring a query after this long (at least 20 iterations are kept)")
	fs.StringVar(&o.jsonPath, "json", "", "also write every figure as JSON to this file")
	fs.StringVar(&o.script, "neo4j-script", "scripts/neo4j", "the script that manages local Neo4j instances")
	fs.StringVar(&o.instance, "neo4j-instance", "", "a scripts/neo4j instance to (re)start with empty databases before each size; its databases are deleted")
	fs.StringVar(&o.heap, "neo4j-heap", "4g", "JVM heap of that instance")
	fs.IntVar(&o.pagecacheMB, "neo4j-pagecache-mb", 2048, "page cache of that instance, MiB")
	fs.BoolVar(&o.keep, "neo4j-keep", false, "leave that instance running at the end")
	fs.IntVar(&o.neo4jPID, "neo4j-pid", 0, "process id of the Neo4j at NEO4J_URI, to report its memory")
	fs.IntVar(&o.reloads, "reloads", 3, "full reloads after the first load, whose median is reported")
	fs.IntVar(&o.batchSize, "neo4j-batch", 0, "rows per load transaction (0: the store's default)")
	fs.StringVar(&o.child, "child", "", "internal: measure a server's memory (inmem or neo4j) and print it as JSON")
	fs.StringVar(&o.goals, "goals", "", "internal: the goals the child asks about")
	fs.StringVar(&o.path, "path", "", "internal: the path the child asks about")
	fs.StringVar(&o.sources, "sources", "", "internal: concepts that require nothing, for the child's questions")
	fs.StringVar(&o.writeCA, "write-ca", "", "only write the synthetic curriculum of the one size in -sizes to `DIR`/curriculum.csv, as CurricularAnalytics CSV")
	fs.BoolVar(&o.designer, "designer", false, "time the learngraph binary's check and graph commands on each size, written as CSV, instead")
	fs.IntVar(&o.runs, "runs", 3, "with -designer: runs of each command, whose median is reported")
	fs.DurationVar(&o.timeout, "timeout", 5*time.Minute, "with -designer: a run taking longer is stopped and reported as timed out")
	fs.StringVar(&o.designerDir, "designer-dir", "", "with -designer: keep the binary, the curricula and what the commands wrote in `DIR` (default: a temporary directory, removed)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	for _, s := range strings.Split(*sizes, ",") {
		n, err := parseSize(s)
		if err != nil {
			return nil, err
		}
		o.sizes = append(o.sizes, n)
	}
	o.stores = map[string]bool{}
	if *stores == "" {
		*stores = "inmem"
		if o.instance != "" || os.Getenv("NEO4J_URI") != "" {
			*stores += ",neo4j"
		}
	}
	for _, s := range strings.Split(*stores, ",") {
		switch s = strings.TrimSpace(s); s {
		case "inmem", "neo4j":
			o.stores[s] = true
		default:
			return nil, fmt.Errorf("unknown store %q: want inmem or neo4j", s)
		}
	}
	if o.stores["neo4j"] && o.instance == "" && os.Getenv("NEO4J_URI") == "" {
		return nil, errors.New("-stores neo4j needs -neo4j-instance NAME or NEO4J_URI")
	}
	if o.iterations < 1 || o.warmup < 0 || o.maxTime <= 0 || o.reloads < 0 || o.batchSize < 0 {
		return nil, errors.New("-n must be positive, -warmup, -reloads and -neo4j-batch not negative, -max-time positive")
	}
	return o, nil
}

// parseSize reads "1k", "20k", "100000".
func parseSize(s string) (int, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	mult := 1
	if rest, ok := strings.CutSuffix(s, "k"); ok {
		s, mult = rest, 1000
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("bad size %q: want a number of concepts such as 1k or 20000", s)
	}
	return n * mult, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseOptions(args, stderr)
	if err != nil {
		return err
	}
	if o.child != "" {
		return runChild(ctx, o, stdout)
	}
	if o.writeCA != "" {
		return runWriteCA(o, stdout)
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if o.designer {
		return runDesigner(ctx, o, stdout, log)
	}
	report := &Report{
		Date:     time.Now().UTC().Format(time.DateOnly),
		Machine:  describeMachine(),
		Versions: Versions{Go: runtime.Version()},
		Settings: Settings{
			Seed: o.seed, Iterations: o.iterations, Warmup: o.warmup, MaxTime: o.maxTime.String(),
			Reloads: o.reloads, Neo4jBatchSize: o.batchSize, Neo4jHeap: o.heap, Neo4jPageCacheMB: o.pagecacheMB,
		},
	}
	var db *neo4jServer
	if o.stores["neo4j"] {
		db = &neo4jServer{script: o.script, instance: o.instance, heap: o.heap, pagecacheMB: o.pagecacheMB, pid: o.neo4jPID, log: log}
		if o.instance == "" {
			report.Settings.Neo4jHeap, report.Settings.Neo4jPageCacheMB = "", 0
		}
		defer func() {
			if !o.keep {
				db.stop(context.WithoutCancel(ctx))
			}
		}()
	}
	for _, n := range o.sizes {
		log.Info("size", slog.Int("concepts", n))
		sr, err := benchSize(ctx, o, n, db, log)
		if err != nil {
			return fmt.Errorf("%d concepts: %w", n, err)
		}
		report.Sizes = append(report.Sizes, *sr)
		if db != nil && report.Versions.Neo4j == "" {
			report.Versions.Neo4j = db.version
		}
	}
	if err := writeMarkdown(stdout, report); err != nil {
		return err
	}
	if o.jsonPath != "" {
		b, err := json.MarshalIndent(report, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(o.jsonPath, append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	return nil
}
