package main

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"learngraph"
	"learngraph/inmem"
	"learngraph/loader"
	"learngraph/storetest"
)

// sleepEnv makes the test binary, run as a command, sleep instead of
// testing: the command timeCommand times out on.
const sleepEnv = "BENCH_TEST_SLEEP"

func TestMain(m *testing.M) {
	if d, err := time.ParseDuration(os.Getenv(sleepEnv)); err == nil {
		time.Sleep(d)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// The synthetic curriculum written as CA CSV reads back as what check
// accepts (loader.Load, then Analyze, with no ERROR finding: what
// learngraph check exits 0 on), with every concept and REQUIRES edge.
func TestWriteCA(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "curriculum")
	var out bytes.Buffer
	if err := run(t.Context(), []string{"-write-ca", dir, "-sizes", "200", "-seed", "3"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "200 synthetic concepts") {
		t.Errorf("output %q does not say what it wrote", out.String())
	}
	g, err := loader.Load(os.DirFS(dir))
	if err != nil {
		t.Fatalf("the written curriculum does not load: %v", err)
	}
	if got := g.Documents; len(got) != 1 || got[0] != caFileName {
		t.Errorf("documents %q, want [%s]", got, caFileName)
	}
	c, err := learngraph.Analyze(g)
	if err != nil {
		t.Fatalf("the written curriculum does not analyse: %v", err)
	}
	for _, f := range c.Findings {
		if f.Severity == learngraph.SeverityError {
			t.Errorf("check would fail: %s: %s", f.Kind, f.Message)
		}
	}
	want := storetest.Synthetic(200, 3)
	if got, want := len(g.Concepts), len(want.Concepts); got != want {
		t.Errorf("%d concepts read back, want %d", got, want)
	}
	if got, want := requiresEdges(g), requiresEdges(want); got != want {
		t.Errorf("%d REQUIRES edges read back, want %d", got, want)
	}
}

func TestWriteCAOneSize(t *testing.T) {
	err := run(t.Context(), []string{"-write-ca", t.TempDir(), "-sizes", "1k,20k"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "one size") {
		t.Errorf("two sizes: err = %v, want one asking for one size", err)
	}
}

func requiresEdges(g *learngraph.Graph) int {
	n := 0
	for _, l := range g.Links {
		if l.Rel == learngraph.Requires {
			n++
		}
	}
	return n
}

// The added edge closes no cycle and lengthens the goal's plan.
func TestEditOneEdge(t *testing.T) {
	for _, n := range []int{100, 200, 1000} {
		g := storetest.Synthetic(n, 1)
		goal, prereqs, added, err := editOneEdge(g)
		if err != nil {
			t.Fatalf("%d concepts: %v", n, err)
		}
		if goal != g.Concepts[n-1].ID || added.From.ID != goal || added.Rel != learngraph.Requires {
			t.Errorf("%d concepts: goal %s, added %+v; want an edge from the last concept", n, goal, added)
		}
		before := planLength(t, g, goal)
		if before != prereqs+1 {
			t.Errorf("%d concepts: %d prerequisites counted, the study plan has %d steps", n, prereqs, before)
		}
		g.Links = append(g.Links, added)
		if after := planLength(t, g, goal); after <= before {
			t.Errorf("%d concepts: the plan of %s has %d steps after the edit, %d before", n, goal, after, before)
		}
	}
	// One concept, and chains (up to 40 concepts, one per level, each
	// requiring the one before): no edge to add without a cycle or a
	// duplicate.
	for _, n := range []int{1, 2, 40} {
		if _, _, _, err := editOneEdge(storetest.Synthetic(n, 1)); err == nil {
			t.Errorf("%d concepts: no error", n)
		}
	}
}

func planLength(t *testing.T, g *learngraph.Graph, goal string) int {
	t.Helper()
	c, err := learngraph.Analyze(g)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := inmem.New(c).Snapshot(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	plan, err := snap.StudyPlan(t.Context(), goal, nil)
	if err != nil {
		t.Fatal(err)
	}
	return len(plan.Steps)
}

func TestMedianOf(t *testing.T) {
	tests := []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{5}, 5},
		{[]float64{9, 1, 5}, 5},
		{[]float64{4, 1, 3, 2}, 2.5},
	}
	for _, tt := range tests {
		if got := medianOf(tt.in); got != tt.want {
			t.Errorf("medianOf(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// A run that outlasts -timeout is stopped, reported as timed out, and not
// repeated.
func TestTimeCommandTimesOut(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(sleepEnv, "1m")
	o := &options{runs: 3, timeout: 200 * time.Millisecond}
	start := time.Now()
	got, err := timeCommand(t.Context(), o, self, t.TempDir(), designerCommand{name: "sleep"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("took %v to time out after 200ms", took)
	}
	if !got.TimedOut || len(got.Runs) != 1 || !got.Runs[0].TimedOut {
		t.Errorf("timing %+v: want one run, timed out", got)
	}
	if cells := timingCells(*got); !strings.Contains(cells, "timed out") {
		t.Errorf("table cells %q do not say timed out", cells)
	}
}

// A command that finishes is measured: its exit code, CPU and memory.
func TestTimeCommandMeasures(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(sleepEnv, "10ms")
	o := &options{runs: 2, timeout: time.Minute}
	got, err := timeCommand(t.Context(), o, self, t.TempDir(), designerCommand{name: "sleep", coldCache: true}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if got.TimedOut || got.Failed || got.ExitCode != 0 || len(got.Runs) != 2 {
		t.Fatalf("timing %+v: want two runs, exit 0", got)
	}
	if got.WallMs < 10 || got.PeakRSSKB <= 0 {
		t.Errorf("timing %+v: want at least 10 ms and some memory", got)
	}
}

// The designer mode end to end on a small curriculum: it builds the
// binary, and every command, baselines included, exits 0.
func TestDesigner(t *testing.T) {
	dir := t.TempDir()
	jsonPath := filepath.Join(dir, "designer.json")
	var out bytes.Buffer
	args := []string{"-designer", "-sizes", "200", "-runs", "1", "-timeout", "2m", "-designer-dir", dir, "-json", jsonPath}
	if err := run(t.Context(), args, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var r DesignerReport
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Baseline) != 3 || len(r.Sizes) != 1 || len(r.Sizes[0].Commands) != 9 {
		t.Fatalf("report has %d baselines, %d sizes; want 3 and 1 with 9 commands", len(r.Baseline), len(r.Sizes))
	}
	for _, c := range append(r.Baseline, r.Sizes[0].Commands...) {
		if c.ExitCode != 0 || c.Failed || c.TimedOut || c.WallMs <= 0 {
			t.Errorf("%s: exit %d, failed %v, timed out %v, %v ms; stderr %s", c.Name, c.ExitCode, c.Failed, c.TimedOut, c.WallMs, c.Stderr)
		}
		if !strings.Contains(out.String(), "| "+c.Name+" |") {
			t.Errorf("no row for %s in\n%s", c.Name, out.String())
		}
	}
	for _, name := range []string{"whole.svg", "deep.svg", "deep.mmd", "drawn.svg", "drawn.mmd", "report.html"} {
		if st, err := os.Stat(filepath.Join(dir, "200", name)); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", name, err)
		}
	}
}
