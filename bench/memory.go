package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"learngraph"
	"learngraph/inmem"
	"learngraph/storetest"
)

// The server's memory is measured in a process of its own, started for
// each size and store, so what earlier sizes (and the harness's own
// copies) left in the heap and in RSS does not count: the harness runs
// itself with -child, and the child prints a ProcessMemory as JSON.

// measureChild runs the harness as a child that serves size concepts from
// store ("inmem" or "neo4j") and returns what it measured.
func measureChild(ctx context.Context, o *options, store string, size int, goals []Goal, path string, sources []string, env []string) (*ProcessMemory, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(goals))
	for i, g := range goals {
		ids[i] = g.ID
	}
	cmd := exec.CommandContext(ctx, self, "-child", store, "-sizes", strconv.Itoa(size),
		"-seed", strconv.FormatInt(o.seed, 10), "-goals", strings.Join(ids, ","), "-path", path,
		"-sources", strings.Join(sources[:min(len(sources), 3)], ","))
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("memory of a %s server: %w", store, err)
	}
	var m ProcessMemory
	if err := json.Unmarshal(out, &m); err != nil {
		return nil, fmt.Errorf("memory of a %s server: %w: %q", store, err, out)
	}
	return &m, nil
}

// runChild is the child: it builds the store a server would serve from,
// asks each question once (so what serving allocates on first use is
// there too), then measures itself.
func runChild(ctx context.Context, o *options, stdout io.Writer) error {
	if len(o.sizes) != 1 {
		return fmt.Errorf("-child needs one size")
	}
	goals := []Goal{}
	for _, id := range strings.Split(o.goals, ",") {
		goals = append(goals, Goal{ID: id})
	}
	var m ProcessMemory
	var store learngraph.Store
	switch o.child {
	case "inmem":
		start := time.Now()
		g := storetest.Synthetic(o.sizes[0], o.seed)
		m.GenerateMs = ms(time.Since(start))
		start = time.Now()
		c, err := learngraph.Analyze(g)
		if err != nil {
			return err
		}
		m.AnalyzeMs = ms(time.Since(start))
		start = time.Now()
		store = inmem.New(c)
		m.NewMs = ms(time.Since(start))
	case "neo4j":
		db := &neo4jServer{uri: os.Getenv("NEO4J_URI")}
		s, err := db.open(ctx)
		if err != nil {
			return err
		}
		defer s.Close(context.WithoutCancel(ctx))
		store = s
	default:
		return fmt.Errorf("-child %q: want inmem or neo4j", o.child)
	}
	for _, q := range questions(goals, o.path, strings.Split(o.sources, ",")) {
		if _, err := askStore(store, q)(ctx, 0); err != nil {
			return fmt.Errorf("%s: %w", q.query, err)
		}
	}
	runtime.GC()
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	m.HeapInuse, m.HeapAlloc = int64(stats.HeapInuse), int64(stats.HeapAlloc)
	// Return freed pages now rather than when the scavenger gets to them,
	// so RSS is what a long-running server settles at.
	debug.FreeOSMemory()
	m.RSS = procField("/proc/self/status", "VmRSS") << 10
	m.PeakRSS = procField("/proc/self/status", "VmHWM") << 10
	runtime.KeepAlive(store)
	return json.NewEncoder(stdout).Encode(m)
}
