package neo4j_test

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"learngraph"
	"learngraph/inmem"
	"learngraph/neo4j"
	"learngraph/storetest"
)

// The fault tests start, kill and restart a Neo4j instance of their own
// (faults, or LEARNGRAPH_NEO4J_FAULTS_INSTANCE) through the launcher
// script at LEARNGRAPH_NEO4J_SCRIPT. Each starts the instance at most
// once more than it finds it running.

// faultInstance controls the instance the fault tests break.
type faultInstance struct {
	script, name string
}

func newFaultInstance(t *testing.T) *faultInstance {
	t.Helper()
	if testing.Short() {
		t.Skip("fault tests restart Neo4j")
	}
	script := os.Getenv("LEARNGRAPH_NEO4J_SCRIPT")
	if script == "" {
		noNeo4j(t, "LEARNGRAPH_NEO4J_SCRIPT is not set: no way to start and kill a Neo4j for the fault tests")
	}
	name := os.Getenv("LEARNGRAPH_NEO4J_FAULTS_INSTANCE")
	if name == "" {
		name = "faults"
	}
	f := &faultInstance{script: script, name: name}
	f.run(t, "start")
	return f
}

// run runs the script with a command for the instance.
func (f *faultInstance) run(t *testing.T, command string) string {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), f.script, command, f.name).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s %s: %v\n%s", f.script, command, f.name, err, out)
	}
	return strings.TrimSpace(string(out))
}

// config is how to reach the instance; it listens on the same port
// after a restart.
func (f *faultInstance) config(t *testing.T) neo4j.Config {
	t.Helper()
	return neo4j.Config{URI: f.run(t, "uri"), PollInterval: 100 * time.Millisecond, RetryTime: 2 * time.Second}
}

// open opens a store on the instance, emptied, serving the fixture.
func (f *faultInstance) open(t *testing.T) *neo4j.Store {
	t.Helper()
	s := openStore(t, f.config(t))
	if err := s.Wipe(t.Context()); err != nil {
		t.Fatalf("wipe: %v", err)
	}
	mustLoad(t, s, storetest.Analyzed(t, storetest.Fixture()))
	return s
}

// fixtureIntact fails t unless s serves the fixture and answers from it
// as before.
func fixtureIntact(t *testing.T, s learngraph.Store) {
	t.Helper()
	snap := mustSnapshot(t, s)
	if v := snap.Info().Version; v != storetest.FixtureVersion {
		t.Fatalf("serving %s, want the fixture still", v)
	}
	page, err := snap.Concepts(t.Context(), 100, "")
	if err != nil || page.Total != 15 || len(page.Concepts) != 15 {
		t.Fatalf("fixture concepts: %d of %d, %v", len(page.Concepts), page.Total, err)
	}
	want := planIDs(t, mustSnapshot(t, inmem.New(storetest.Analyzed(t, storetest.Fixture()))))
	if got := planIDs(t, snap); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("fixture plan %q, want %q", got, want)
	}
}

// checkUnavailable fails t unless err is UNAVAILABLE with a message of
// our own: no driver or Cypher text.
func checkUnavailable(t *testing.T, what string, err error) {
	t.Helper()
	if learngraph.ErrorCode(err) != learngraph.EUNAVAILABLE {
		t.Fatalf("%s: %v, want UNAVAILABLE", what, err)
	}
	msg := learngraph.ErrorMessage(err)
	for _, leak := range []string{"Neo4jError", "Neo.", "bolt", "TransactionExecutionLimit", "MATCH", "connect:", "dial"} {
		if strings.Contains(msg, leak) {
			t.Errorf("%s: message %q leaks %q", what, msg, leak)
		}
	}
}

// Neo4j restarted under a serving store: questions fail with UNAVAILABLE
// while it is down (and a load cannot start), and the same store answers
// again within seconds once it is back.
func TestFaultNeo4jRestartWhileServing(t *testing.T) {
	f := newFaultInstance(t)
	s := f.open(t)
	fixtureIntact(t, s)
	snap := mustSnapshot(t, s)

	f.run(t, "kill")
	ctx := t.Context()
	_, err := snap.StudyPlan(ctx, "GATs", nil)
	checkUnavailable(t, "StudyPlan while Neo4j is down", err)
	_, err = snap.Search(ctx, "macros", 5)
	checkUnavailable(t, "Search while Neo4j is down", err)
	_, err = s.Load(ctx, edited(t), nil)
	checkUnavailable(t, "Load while Neo4j is down", err)
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := s.Snapshot(ctx)
		if err != nil {
			checkUnavailable(t, "Snapshot while Neo4j is down", err)
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Snapshot still succeeds 10 s after Neo4j died")
		}
		time.Sleep(100 * time.Millisecond)
	}

	f.run(t, "start")
	back := time.Now()
	for {
		snap, err := s.Snapshot(ctx)
		if err == nil {
			_, err = snap.StudyPlan(ctx, "GATs", nil)
		}
		if err == nil {
			t.Logf("answering again %v after Neo4j was back", time.Since(back).Round(time.Millisecond))
			break
		}
		if time.Since(back) > 30*time.Second {
			t.Fatalf("still failing 30 s after Neo4j was back: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	fixtureIntact(t, s)
}

// Neo4j killed in the middle of a load: the previous version is intact
// and served after the restart, and the load run again completes.
func TestFaultNeo4jKilledDuringLoad(t *testing.T) {
	f := newFaultInstance(t)
	cfg := f.config(t)
	cfg.BatchSize = 2000 // many small transactions, so the kill lands between them
	s := openStore(t, cfg)
	if err := s.Wipe(t.Context()); err != nil {
		t.Fatal(err)
	}
	mustLoad(t, s, storetest.Analyzed(t, storetest.Fixture()))
	large := storetest.Analyzed(t, storetest.Synthetic(10_000, 5))

	var once sync.Once
	killed := make(chan struct{})
	_, err := s.Load(t.Context(), large, func(p neo4j.LoadProgress) {
		if p.Done >= 3*cfg.BatchSize {
			once.Do(func() {
				f.run(t, "kill")
				close(killed)
			})
		}
	})
	select {
	case <-killed:
	default:
		t.Fatalf("the load ended before Neo4j was killed: %v", err)
	}
	checkUnavailable(t, "Load when Neo4j dies", err)

	f.run(t, "start")
	restarted := openStore(t, cfg) // another process, after the crash
	fixtureIntact(t, restarted)
	sum, err := restarted.Load(t.Context(), large, nil)
	if err != nil || sum.Unchanged {
		t.Fatalf("load again: %+v, %v", sum, err)
	}
	if v := mustSnapshot(t, restarted).Info().Version; v != large.Version {
		t.Errorf("serving %s after the load ran again, want %s", v, large.Version)
	}
}

// The loader process killed in the middle of a load: the previous version
// is intact and served, and running the load again completes and deletes
// what the killed one left.
func TestFaultLoaderKilled(t *testing.T) {
	f := newFaultInstance(t)
	cfg := f.config(t)
	s := openStore(t, cfg)
	if err := s.Wipe(t.Context()); err != nil {
		t.Fatal(err)
	}
	mustLoad(t, s, storetest.Analyzed(t, storetest.Fixture()))
	before := neo4j.Generation(mustSnapshot(t, s))

	bin := filepath.Join(t.TempDir(), "learngraph")
	if out, err := exec.CommandContext(t.Context(), "go", "build", "-o", bin, "learngraph/cmd/learngraph").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	docs := t.TempDir()
	writeSyntheticDocs(t, docs, 20_000, 9)
	env := append(os.Environ(), "NEO4J_URI="+cfg.URI, "NEO4J_USERNAME=", "NEO4J_PASSWORD=", "LEARNGRAPH_LOG_LEVEL=warn")

	// The loader prints progress once a second: kill it at the first line,
	// with batches written and more to come.
	load := exec.CommandContext(t.Context(), bin, "load", docs)
	load.Env = env
	stderr, err := load.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := load.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stderr)
	progressed := false
	for lines.Scan() {
		if strings.Contains(lines.Text(), "rows written") {
			progressed = true
			break
		}
		t.Logf("loader: %s", lines.Text())
	}
	if err := load.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err = load.Wait()
	var exit *exec.ExitError
	if !progressed || !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the loader was not killed in the middle of its load (progress seen: %v): %v", progressed, err)
	}
	fixtureIntact(t, s)
	orphan := before + 1 // the generation the killed load was writing
	if n, err := s.CountGeneration(t.Context(), orphan); err != nil || n == 0 {
		t.Fatalf("the killed load left %d nodes (%v); want some, or it was not killed mid-load", n, err)
	}

	rerun := exec.CommandContext(t.Context(), bin, "load", docs)
	rerun.Env = env
	out, err := rerun.CombinedOutput()
	if err != nil {
		t.Fatalf("load again: %v\n%s", err, out)
	}
	t.Logf("load again:\n%s", out)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	for mustSnapshot(t, s).Info().Counts[0].Count != 20_000 {
		if ctx.Err() != nil {
			t.Fatal("the store did not switch to the new load")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n, err := s.CountGeneration(t.Context(), orphan); err != nil || n != 0 {
		t.Errorf("what the killed load wrote is still there: %d nodes, %v", n, err)
	}
}
