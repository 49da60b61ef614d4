package main

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"time"

	"learngraph"
	"learngraph/inmem"
	"learngraph/neo4j"
	"learngraph/storetest"
)

// goalTargets are the prerequisite counts goals are picked for.
var goalTargets = []int{10, 100, 1000}

// benchSize measures one curriculum size on every store asked for.
func benchSize(ctx context.Context, o *options, n int, db *neo4jServer, log *slog.Logger) (r *SizeReport, err error) {
	meter := startCPUMeter()
	if db != nil && db.instance == "" && db.pid != 0 {
		meter.watchNeo4j(db.pid, false)
	}
	defer func() {
		if r != nil {
			r.Noise = meter.stop()
		}
	}()
	c, err := learngraph.Analyze(storetest.Synthetic(n, o.seed))
	if err != nil {
		return nil, err
	}
	// The embedded store is built whichever stores are measured: Neo4j's
	// answers are checked against its answers before they are timed.
	embedded := inmem.New(c)
	r = &SizeReport{Concepts: n, Graph: graphStats(c), Goals: pickGoals(c, goalTargets)}
	first := c.Paths[0]
	for _, p := range c.Paths[1:] {
		if learngraph.CompareNodes(p, first) < 0 {
			first = p
		}
	}
	r.Path = first.ID
	log.Info("curriculum", slog.Int("concepts", r.Graph.Concepts), slog.Int("requires", r.Graph.Requires),
		slog.Int("depth", r.Graph.Depth), slog.Any("goals", r.Goals), slog.String("path", r.Path))
	var sources []string // in document order, as questions wants them
	requires := map[string]bool{}
	for _, l := range c.Links {
		if l.Rel == learngraph.Requires {
			requires[l.From.ID] = true
		}
	}
	for _, concept := range c.Concepts {
		if !requires[concept.ID] {
			sources = append(sources, concept.ID)
		}
	}
	qs := questions(r.Goals, r.Path, sources)

	if o.stores["inmem"] {
		if err := r.measureStore(ctx, o, embedded, storeEmbedded, storeEmbeddedHTTP, qs, log); err != nil {
			return nil, err
		}
		if r.Embedded, err = measureChild(ctx, o, "inmem", n, r.Goals, r.Path, sources, nil); err != nil {
			return nil, err
		}
	}

	if !o.stores["neo4j"] {
		return r, nil
	}
	// Neo4j's answers are checked against these. Neither the embedded
	// store nor the curriculum is used after the load, so the collection
	// here frees them: a Neo4j-backed server does not hold them, and the
	// timings should not pay for collecting them.
	want, err := answers(ctx, embedded, qs)
	if err != nil {
		return nil, err
	}
	if r.Load, err = loadNeo4j(ctx, o, c, db, meter, log); err != nil {
		return nil, err
	}
	runtime.GC()

	store, err := db.open(ctx)
	if err != nil {
		return nil, err
	}
	defer store.Close(context.WithoutCancel(ctx))
	got, err := answers(ctx, store, qs)
	if err != nil {
		return nil, err
	}
	for i, q := range qs {
		if got[i] != want[i] {
			return nil, fmt.Errorf("%s %s: Neo4j answers differently from the embedded store\n got %.1000s\nwant %.1000s", q.query, q.goal.ID, got[i], want[i])
		}
	}
	if err := r.measureStore(ctx, o, store, storeNeo4j, storeNeo4jHTTP, qs, log); err != nil {
		return nil, err
	}
	if r.Neo4jClient, err = measureChild(ctx, o, "neo4j", n, r.Goals, r.Path, sources, []string{"NEO4J_URI=" + db.uri}); err != nil {
		return nil, err
	}
	r.Load.Neo4jRSS = db.rss()
	return r, nil
}

// loadNeo4j loads c into a fresh database: once on a Neo4j just started
// (the first load), then reloads times more, each under a version of its
// own so that each writes the whole curriculum beside the one being
// served (what a changed curriculum costs: every version is written in
// full), then once more unchanged, which writes nothing.
func loadNeo4j(ctx context.Context, o *options, c *learngraph.Curriculum, db *neo4jServer, meter *cpuMeter, log *slog.Logger) (*Load, error) {
	if err := db.fresh(ctx); err != nil {
		return nil, err
	}
	if db.instance != "" && db.pid != 0 {
		meter.watchNeo4j(db.pid, true)
	}
	cfg := db.config()
	cfg.BatchSize = o.batchSize
	store, err := neo4j.Open(ctx, cfg, nil)
	if err != nil {
		return nil, err
	}
	defer store.Close(context.WithoutCancel(ctx))
	if db.version == "" {
		if db.version, err = store.ServerAgent(ctx); err != nil {
			return nil, err
		}
	}
	requires := 0
	for _, l := range c.Links {
		if l.Rel == learngraph.Requires {
			requires++
		}
	}
	load := &Load{Requires: requires}
	version := c.Version
	for i := range 1 + o.reloads {
		if i > 0 {
			c.Version = fmt.Sprintf("%s-reload-%d", version, i)
		}
		start := time.Now()
		sum, err := store.Load(ctx, c, nil)
		wall := time.Since(start)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", c.Version, err)
		}
		if sum.Unchanged {
			return nil, fmt.Errorf("load: the database already serves %s; give the benchmark an empty one", c.Version)
		}
		run := LoadRun{
			Seconds: sum.Duration.Seconds(), WallSeconds: wall.Seconds(), Relationships: sum.Links,
			RequiresPerSec:      float64(requires) / sum.Duration.Seconds(),
			RelationshipsPerSec: float64(sum.Links) / sum.Duration.Seconds(),
		}
		log.Info("loaded", slog.String("version", c.Version), slog.Duration("took", sum.Duration.Round(time.Millisecond)),
			slog.Duration("wall", wall.Round(time.Millisecond)), slog.Float64("requiresPerSec", run.RequiresPerSec))
		if i == 0 {
			load.First = run
		} else {
			load.Reloads = append(load.Reloads, run)
		}
	}
	load.Reload = median(load.Reloads)

	start := time.Now()
	again, err := store.Load(ctx, c, nil)
	if err != nil {
		return nil, fmt.Errorf("reload: %w", err)
	}
	if !again.Unchanged {
		return nil, fmt.Errorf("reload of the same curriculum wrote it again")
	}
	load.NoopReloadMs = ms(time.Since(start))
	c.Version = version
	return load, nil
}

// median returns the run with the median duration (the lower of the two
// middle ones for an even count).
func median(runs []LoadRun) *LoadRun {
	if len(runs) == 0 {
		return nil
	}
	sorted := slices.Clone(runs)
	slices.SortFunc(sorted, func(a, b LoadRun) int { return cmp.Compare(a.Seconds, b.Seconds) })
	return &sorted[(len(sorted)-1)/2]
}

// answers asks every question of store once, for comparing stores.
func answers(ctx context.Context, store learngraph.Store, qs []question) ([]string, error) {
	out := make([]string, len(qs))
	for i, q := range qs {
		a, err := askStore(store, q)(ctx, 0)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", q.query, q.goal.ID, err)
		}
		out[i] = a.text
	}
	return out, nil
}

// measureStore times every question on store, through the Snapshot API
// and, with -graphql, through the GraphQL handler.
func (r *SizeReport) measureStore(ctx context.Context, o *options, store learngraph.Store, name, httpName string, qs []question, log *slog.Logger) error {
	for _, q := range qs {
		type way struct {
			store string
			ask   func(context.Context, int) (answer, error)
		}
		ways := []way{{name, askStore(store, q)}}
		if o.graphql {
			// Asked with other known sets than the Snapshot API was, so
			// that "nextUp, new learner" meets no ranking cached by it.
			ask := askGraphQL(store, q)
			ways = append(ways, way{httpName, func(ctx context.Context, i int) (answer, error) { return ask(ctx, i+1000) }})
		}
		for _, w := range ways {
			stats, err := measure(ctx, o, w.ask)
			if err != nil {
				return fmt.Errorf("%s %s on %s: %w", q.query, q.goal.ID, w.store, err)
			}
			l := Latency{Query: q.query, Target: q.goal.Target, Goal: q.goal.ID, Prereqs: q.goal.Prereqs, Store: w.store, Stats: stats}
			if q.query == "resolve" {
				l.Target, l.Prereqs = 0, 0
			}
			r.Latency = append(r.Latency, l)
			log.Info("measured", slog.String("query", q.query), slog.String("goal", q.goal.ID), slog.String("store", w.store),
				slog.Int("n", stats.N), slog.Float64("p50ms", stats.P50Ms), slog.Float64("p99ms", stats.P99Ms))
		}
	}
	return nil
}
