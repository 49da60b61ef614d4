package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"learngraph"
	"learngraph/loader"
	"learngraph/storetest"
)

// The designer mode times what a curriculum designer runs on a large
// curriculum: the learngraph binary's check and graph commands on
// synthetic curricula written as CurricularAnalytics CSV, each command a
// process of its own as on the designer's machine, so process start
// (go-graphviz compiles its WebAssembly module when the binary starts),
// reading the CSV, Analyze and the picture's layout all count. Its
// baselines, in the same run: learngraph help (process start alone) and
// learngraph check on the bundled seed curriculum.

// caFileName is the file a synthetic curriculum directory holds.
const caFileName = "curriculum.csv"

// writeCADir writes the synthetic curriculum of n concepts as
// dir/curriculum.csv, creating dir.
func writeCADir(dir string, n int, seed int64) error {
	return writeGraphCA(dir, storetest.Synthetic(n, seed))
}

// writeGraphCA writes g as dir/curriculum.csv, creating dir.
func writeGraphCA(dir string, g *learngraph.Graph) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, caFileName))
	if err != nil {
		return err
	}
	if err := loader.WriteCA(f, g); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", f.Name(), err)
	}
	return f.Close()
}

// runWriteCA is -write-ca: one size, written to o.writeCA.
func runWriteCA(o *options, stdout io.Writer) error {
	if len(o.sizes) != 1 {
		return fmt.Errorf("-write-ca writes one curriculum: give one size (-sizes 100k), not %d", len(o.sizes))
	}
	if err := writeCADir(o.writeCA, o.sizes[0], o.seed); err != nil {
		return err
	}
	_, err := fmt.Fprintf(stdout, "wrote %s: %s synthetic concepts, seed %d\n", filepath.Join(o.writeCA, caFileName), count(o.sizes[0]), o.seed)
	return err
}

// DesignerReport is what one designer run measured.
type DesignerReport struct {
	Date    string  `json:"date"`
	Machine Machine `json:"machine"`
	Go      string  `json:"go"`
	Seed    int64   `json:"seed"`
	Runs    int     `json:"runs"`
	Timeout string  `json:"timeout"`
	// Baseline is learngraph help and learngraph check on the seed
	// curriculum, measured before the sizes.
	Baseline []CommandTiming `json:"baseline"`
	Sizes    []DesignerSize  `json:"sizes"`
}

// DesignerSize is what one curriculum size measured.
type DesignerSize struct {
	Concepts int   `json:"concepts"`
	Requires int   `json:"requires"` // REQUIRES edges, as read back from the CSV
	CSVBytes int64 `json:"csvBytes"`
	// Goal is the concept the first --goal pictures are drawn for: the
	// last concept of the deepest level, with its transitive
	// prerequisites (so many that the picture is folded). Drawn is the
	// goal of the second ones: the concept whose prerequisites are
	// closest to drawnPrereqs, drawn concept by concept.
	Goal         string `json:"goal"`
	GoalPrereqs  int    `json:"goalPrereqs"`
	Drawn        string `json:"drawn"`
	DrawnPrereqs int    `json:"drawnPrereqs"`
	// Added is the REQUIRES edge the edited copy has in addition.
	Added string `json:"added"`
	// Steps are in-process medians of what the commands do first.
	Steps    Steps           `json:"steps"`
	Commands []CommandTiming `json:"commands"`
	Noise    *Noise          `json:"noise,omitempty"`
}

// Steps are the parts of a check measured in the harness's own process,
// medians of the runs: so the commands' times can be split into reading
// the CSV and analysing it.
type Steps struct {
	WriteMs   float64 `json:"writeMs"`   // storetest.Synthetic and loader.WriteCA to a file
	LoadMs    float64 `json:"loadMs"`    // loader.Load of the directory
	AnalyzeMs float64 `json:"analyzeMs"` // learngraph.Analyze of what it read
}

// CommandTiming is one command line timed runs times.
type CommandTiming struct {
	Name string   `json:"name"`
	Args []string `json:"args"`
	// Runs are the runs made; after a run that timed out no more are.
	Runs []CommandRun `json:"runs"`
	// The medians of the runs that finished.
	WallMs    float64 `json:"wallMs"`
	CPUMs     float64 `json:"cpuMs"`
	PeakRSSKB int64   `json:"peakRSSKiB"` // the largest of the runs
	TimedOut  bool    `json:"timedOut,omitempty"`
	// ExitCode is the first run's; Failed says some run exited otherwise
	// than 0.
	ExitCode    int    `json:"exitCode"`
	Failed      bool   `json:"failed,omitempty"`
	OutputBytes int64  `json:"outputBytes,omitempty"` // of the file it wrote, when it writes one
	Stderr      string `json:"stderr,omitempty"`      // the first run's, cut short
}

// CommandRun is one run of a command.
type CommandRun struct {
	WallMs   float64 `json:"wallMs"`
	CPUMs    float64 `json:"cpuMs"` // user + system
	MaxRSSKB int64   `json:"maxRSSKiB"`
	ExitCode int     `json:"exitCode"`
	TimedOut bool    `json:"timedOut,omitempty"`
}

// drawnPrereqs is about the largest study plan learngraph graph draws
// concept by concept rather than folded (above 300 concepts, by default):
// what laying a picture out costs at most.
const drawnPrereqs = 250

// designerCommand is a command line to time, and the file it writes.
type designerCommand struct {
	name   string
	args   []string
	output string
	// coldCache runs it with an empty temporary directory of its own,
	// where go-graphviz finds no WebAssembly it compiled before: the
	// first run of the binary on a machine.
	coldCache bool
}

// runDesigner is -designer.
func runDesigner(ctx context.Context, o *options, stdout io.Writer, log *slog.Logger) error {
	if o.runs < 1 || o.timeout <= 0 {
		return errors.New("-runs and -timeout must be positive")
	}
	root, err := moduleRoot(ctx)
	if err != nil {
		return err
	}
	work := o.designerDir
	if work == "" {
		if work, err = os.MkdirTemp("", "learngraph-designer-"); err != nil {
			return err
		}
		defer os.RemoveAll(work)
	} else if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	bin := filepath.Join(work, "learngraph")
	log.Info("building learngraph", slog.String("binary", bin))
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/learngraph")
	build.Dir, build.Stdout, build.Stderr = root, os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("go build ./cmd/learngraph: %w", err)
	}

	report := &DesignerReport{
		Date: time.Now().UTC().Format(time.DateOnly), Machine: describeMachine(), Go: goVersion(),
		Seed: o.seed, Runs: o.runs, Timeout: o.timeout.String(),
	}
	baseline := []designerCommand{
		{name: "help", args: []string{"help"}},
		{name: "help, first run on the machine (empty go-graphviz cache)", args: []string{"help"}, coldCache: true},
		{name: "check (seed curriculum)", args: []string{"check", filepath.Join(root, "seeds")}},
	}
	for _, c := range baseline {
		t, err := timeCommand(ctx, o, bin, work, c, log)
		if err != nil {
			return err
		}
		report.Baseline = append(report.Baseline, *t)
	}
	for _, n := range o.sizes {
		log.Info("size", slog.Int("concepts", n))
		s, err := designerSize(ctx, o, bin, filepath.Join(work, strconv.Itoa(n)), n, log)
		if err != nil {
			return fmt.Errorf("%d concepts: %w", n, err)
		}
		report.Sizes = append(report.Sizes, *s)
	}
	if err := writeDesignerMarkdown(stdout, report); err != nil {
		return err
	}
	if o.jsonPath != "" {
		b, err := json.MarshalIndent(report, "", "  ")
		if err != nil {
			return err
		}
		return os.WriteFile(o.jsonPath, append(b, '\n'), 0o644)
	}
	return nil
}

// designerSize writes the curriculum of n concepts and an edited copy of
// it under dir, and times every command on them.
func designerSize(ctx context.Context, o *options, bin, dir string, n int, log *slog.Logger) (s *DesignerSize, err error) {
	meter := startCPUMeter()
	defer func() {
		if s != nil {
			s.Noise = meter.stop()
		}
	}()
	s = &DesignerSize{Concepts: n}
	published, edited := filepath.Join(dir, "published"), filepath.Join(dir, "edited")

	var writes, loads, analyses []float64
	var g *learngraph.Graph
	var c *learngraph.Curriculum
	for range o.runs {
		start := time.Now()
		if err := writeCADir(published, n, o.seed); err != nil {
			return nil, err
		}
		writes = append(writes, ms(time.Since(start)))
		g, c = nil, nil // what the previous run read: not live while this one reads
		start = time.Now()
		if g, err = loader.Load(os.DirFS(published)); err != nil {
			return nil, fmt.Errorf("read back %s: %w", published, err)
		}
		loads = append(loads, ms(time.Since(start)))
		start = time.Now()
		if c, err = learngraph.Analyze(g); err != nil {
			return nil, fmt.Errorf("analyse %s: %w", published, err)
		}
		analyses = append(analyses, ms(time.Since(start)))
	}
	s.Steps = Steps{WriteMs: medianOf(writes), LoadMs: medianOf(loads), AnalyzeMs: medianOf(analyses)}
	if st, err := os.Stat(filepath.Join(published, caFileName)); err == nil {
		s.CSVBytes = st.Size()
	}
	for _, l := range g.Links {
		if l.Rel == learngraph.Requires {
			s.Requires++
		}
	}
	drawn := pickGoals(c, []int{drawnPrereqs})[0]
	s.Drawn, s.DrawnPrereqs = drawn.ID, drawn.Prereqs
	c = nil
	goal, prereqs, added, err := editOneEdge(g)
	if err != nil {
		return nil, err
	}
	s.Goal, s.GoalPrereqs = goal, prereqs
	s.Added = added.From.ID + " REQUIRES " + added.To.ID
	g.Links = append(g.Links, added)
	if err := writeGraphCA(edited, g); err != nil {
		return nil, err
	}
	g = nil
	log.Info("curriculum", slog.String("dir", published), slog.Int("requires", s.Requires), slog.Int64("csvBytes", s.CSVBytes),
		slog.String("goal", goal), slog.Int("goalPrereqs", prereqs), slog.String("drawn", s.Drawn),
		slog.Int("drawnPrereqs", s.DrawnPrereqs), slog.String("added", s.Added),
		slog.Float64("loadMs", s.Steps.LoadMs), slog.Float64("analyzeMs", s.Steps.AnalyzeMs))

	out := func(name string) string { return filepath.Join(dir, name) }
	commands := []designerCommand{
		{name: "check", args: []string{"check", published}},
		{name: "check --format json", args: []string{"check", published, "--format", "json"}},
		{name: "check --html", args: []string{"check", published, "--html", out("report.html")}, output: out("report.html")},
		{name: "graph --format svg (whole)", args: []string{"graph", published, "--format", "svg", "-o", out("whole.svg")}, output: out("whole.svg")},
		{name: "graph --goal DEEP --format svg", args: []string{"graph", published, "--goal", goal, "--format", "svg", "-o", out("deep.svg")}, output: out("deep.svg")},
		{name: "graph --goal DEEP --format mermaid", args: []string{"graph", published, "--goal", goal, "--format", "mermaid", "-o", out("deep.mmd")}, output: out("deep.mmd")},
		{name: "graph --goal DRAWN --format svg", args: []string{"graph", published, "--goal", s.Drawn, "--format", "svg", "-o", out("drawn.svg")}, output: out("drawn.svg")},
		{name: "graph --goal DRAWN --format mermaid", args: []string{"graph", published, "--goal", s.Drawn, "--format", "mermaid", "-o", out("drawn.mmd")}, output: out("drawn.mmd")},
		{name: "check --against (one edge added)", args: []string{"check", edited, "--against", published}},
	}
	for _, c := range commands {
		t, err := timeCommand(ctx, o, bin, dir, c, log)
		if err != nil {
			return nil, err
		}
		s.Commands = append(s.Commands, *t)
	}
	return s, nil
}

// editOneEdge picks the goal of the --goal pictures, the last concept
// of g (in the synthetic curricula, on the deepest level), counts its
// transitive prerequisites, and returns a REQUIRES edge from it to the
// first concept that is neither among them nor depends on it: an edit
// that closes no cycle and changes the goal's study plan.
func editOneEdge(g *learngraph.Graph) (goal string, prereqs int, added learngraph.Link, err error) {
	if len(g.Concepts) < 2 {
		return "", 0, added, errors.New("a curriculum of fewer than two concepts has no edge to add")
	}
	requires, dependents := map[string][]string{}, map[string][]string{}
	for _, l := range g.Links {
		if l.Rel == learngraph.Requires {
			requires[l.From.ID] = append(requires[l.From.ID], l.To.ID)
			dependents[l.To.ID] = append(dependents[l.To.ID], l.From.ID)
		}
	}
	last := g.Concepts[len(g.Concepts)-1]
	below := reach(last.ID, requires)
	above := reach(last.ID, dependents)
	for _, c := range g.Concepts {
		if c.ID != last.ID && !below[c.ID] && !above[c.ID] {
			added = learngraph.Link{
				Rel: learngraph.Requires, From: last.Ref(), To: c.Ref(),
				Reason: "Added by the benchmark: the edit whose impact check --against reports.",
			}
			return last.ID, len(below), added, nil
		}
	}
	return "", 0, added, fmt.Errorf("every concept is a prerequisite or a dependent of %s: no edge to add", last.ID)
}

// reach returns the concepts reachable from id along next, id excluded.
func reach(id string, next map[string][]string) map[string]bool {
	seen := map[string]bool{}
	stack := []string{id}
	for len(stack) > 0 {
		at := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, n := range next[at] {
			if !seen[n] && n != id {
				seen[n] = true
				stack = append(stack, n)
			}
		}
	}
	return seen
}

// timeCommand runs c o.runs times, each bounded by o.timeout; after a run
// that times out it makes no more. A cold-cache run's temporary directory
// is made in work.
func timeCommand(ctx context.Context, o *options, bin, work string, c designerCommand, log *slog.Logger) (*CommandTiming, error) {
	t := &CommandTiming{Name: c.name, Args: c.args}
	for i := range o.runs {
		var env []string
		if c.coldCache {
			tmp, err := os.MkdirTemp(work, "tmp-")
			if err != nil {
				return nil, err
			}
			defer os.RemoveAll(tmp)
			env = []string{"TMPDIR=" + tmp}
		}
		run, stderr, err := runCommand(ctx, o.timeout, bin, c.args, env)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		t.Runs = append(t.Runs, run)
		if i == 0 {
			t.ExitCode, t.Stderr = run.ExitCode, stderr
		}
		if run.ExitCode != 0 && !run.TimedOut {
			t.Failed = true
		}
		log.Info("ran", slog.String("command", c.name), slog.Int("run", i+1), slog.Float64("wallMs", run.WallMs),
			slog.Float64("cpuMs", run.CPUMs), slog.Int64("maxRSSKiB", run.MaxRSSKB), slog.Int("exit", run.ExitCode),
			slog.Bool("timedOut", run.TimedOut))
		if run.TimedOut {
			t.TimedOut = true
			break
		}
	}
	var walls, cpus []float64
	for _, r := range t.Runs {
		if r.TimedOut {
			continue
		}
		walls, cpus = append(walls, r.WallMs), append(cpus, r.CPUMs)
		t.PeakRSSKB = max(t.PeakRSSKB, r.MaxRSSKB)
	}
	t.WallMs, t.CPUMs = medianOf(walls), medianOf(cpus)
	if c.output != "" {
		if st, err := os.Stat(c.output); err == nil {
			t.OutputBytes = st.Size()
		}
	}
	if t.Failed {
		log.Warn("command failed", slog.String("command", c.name), slog.Int("exit", t.ExitCode), slog.String("stderr", t.Stderr))
	}
	return t, nil
}

// stderrKept is how much of a command's standard error a report keeps.
const stderrKept = 2000

// runCommand runs bin with args once, with env added to the harness's
// environment and its standard output discarded (as a file or a terminal
// would take it, without the harness reading it), and measures it. An
// error is a run that could not be made; a command that fails or times
// out is a run.
func runCommand(ctx context.Context, timeout time.Duration, bin string, args, env []string) (CommandRun, string, error) {
	runCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(runCtx, bin, args...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if ctx.Err() != nil {
		return CommandRun{}, "", ctx.Err()
	}
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return CommandRun{}, "", err
	}
	ps := cmd.ProcessState
	run := CommandRun{
		WallMs: ms(wall), CPUMs: ms(ps.UserTime() + ps.SystemTime()), MaxRSSKB: maxRSSKiB(ps),
		ExitCode: ps.ExitCode(), TimedOut: runCtx.Err() != nil,
	}
	text := stderr.String()
	if len(text) > stderrKept {
		text = text[:stderrKept] + "…"
	}
	return run, text, nil
}

// medianOf returns the median of vs (the mean of the two middle ones for
// an even count), 0 for none.
func medianOf(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// moduleRoot is the directory of the go.mod the harness runs in, where
// ./cmd/learngraph and seeds/ are.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("-designer runs inside the learngraph module (go run ./bench from its root)")
	}
	return filepath.Dir(gomod), nil
}

// goVersion is the version of the go command that builds the binary.
func goVersion() string {
	out, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		return "unknown Go"
	}
	return strings.TrimSpace(string(out))
}

// writeDesignerMarkdown prints the tables bench/README.md publishes.
func writeDesignerMarkdown(w io.Writer, r *DesignerReport) error {
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("Run of %s on %s, %d cores, %.0f GiB, %s; %s. Seed %d; each command run %d times (median), each run at most %s.\n\n",
		r.Date, r.Machine.CPU, r.Machine.Cores, r.Machine.MemoryGiB, r.Machine.OS, r.Go, r.Seed, r.Runs, r.Timeout)
	noises := make([]sizeNoise, len(r.Sizes))
	for i, s := range r.Sizes {
		noises[i] = sizeNoise{s.Concepts, s.Noise}
	}
	b.WriteString(noiseNote(noises))

	p("#### Curricula as CSV, and what every command does first (in the harness's process)\n\n")
	p("| concepts | REQUIRES edges | CSV | DEEP goal (prerequisites) | DRAWN goal (prerequisites) | generate + write CSV | read CSV (loader.Load) | Analyze |\n")
	p("|---:|---:|---:|---|---|---:|---:|---:|\n")
	for _, s := range r.Sizes {
		p("| %s | %s | %s | %s (%s) | %s (%s) | %s | %s | %s |\n", count(s.Concepts), count(s.Requires), sizeText(s.CSVBytes),
			s.Goal, count(s.GoalPrereqs), s.Drawn, count(s.DrawnPrereqs),
			secondsText(s.Steps.WriteMs), secondsText(s.Steps.LoadMs), secondsText(s.Steps.AnalyzeMs))
	}

	p("\n#### Commands: median wall time (range of the runs), CPU and peak RSS\n\n")
	p("Each command is a process of its own; wall time from start to exit, CPU = user + system of the process, peak RSS the largest of the runs (getrusage's ru_maxrss).\n\n")
	p("| concepts | command | wall | CPU | peak RSS | output |\n")
	p("|---:|---|---:|---:|---:|---|\n")
	for _, t := range r.Baseline {
		p("| baseline | %s |%s\n", t.Name, timingCells(t))
	}
	for _, s := range r.Sizes {
		for _, t := range s.Commands {
			p("| %s | %s |%s\n", count(s.Concepts), t.Name, timingCells(t))
		}
	}
	p("\nDEEP is the last concept of the deepest level, whose study plan is folded (too many concepts to draw one by one); DRAWN the concept whose number of prerequisites is closest to %d, drawn concept by concept. ", drawnPrereqs)
	p("check --against checks an edited copy of the curriculum, with one REQUIRES edge added, against it: ")
	for i, s := range r.Sizes {
		if i > 0 {
			p("; ")
		}
		p("%s at %s concepts", s.Added, count(s.Concepts))
	}
	p(".\n")
	_, err := w.Write(b.Bytes())
	return err
}

// timingCells are a command's cells after its name.
func timingCells(t CommandTiming) string {
	var done []CommandRun
	for _, r := range t.Runs {
		if !r.TimedOut {
			done = append(done, r)
		}
	}
	if len(done) == 0 {
		return fmt.Sprintf(" timed out | | | after %s |", durationText(t.Runs[len(t.Runs)-1].WallMs/1000))
	}
	wall := secondsText(t.WallMs)
	if len(done) > 1 {
		lo := slices.MinFunc(done, func(a, b CommandRun) int { return cmp.Compare(a.WallMs, b.WallMs) })
		hi := slices.MaxFunc(done, func(a, b CommandRun) int { return cmp.Compare(a.WallMs, b.WallMs) })
		wall += " (" + rangeText(lo.WallMs, hi.WallMs) + ")"
	}
	var notes []string
	if t.OutputBytes > 0 {
		notes = append(notes, sizeText(t.OutputBytes))
	}
	if t.Failed || t.ExitCode != 0 {
		notes = append(notes, fmt.Sprintf("**exit %d**", t.ExitCode))
	}
	if t.TimedOut {
		notes = append(notes, fmt.Sprintf("%d of %d runs, then one timed out", len(done), len(t.Runs)))
	}
	return fmt.Sprintf(" %s | %s | %s | %s |", wall, secondsText(t.CPUMs), mib(t.PeakRSSKB<<10), strings.Join(notes, "; "))
}

// secondsText writes milliseconds as ms below a second, as seconds above.
func secondsText(v float64) string {
	if v < 999.5 {
		return msText(v) + " ms"
	}
	if v < 10_000 {
		return fmt.Sprintf("%.2f s", v/1000)
	}
	return fmt.Sprintf("%.1f s", v/1000)
}

// rangeText writes a range of milliseconds in the unit of its top.
func rangeText(lo, hi float64) string {
	if hi < 999.5 {
		return msText(lo) + "–" + msText(hi)
	}
	return strings.TrimSuffix(secondsText(lo), " s") + "–" + secondsText(hi)
}

// sizeText writes a byte count in KiB below a MiB, in MiB above.
func sizeText(b int64) string {
	if b < 1<<20 {
		return fmt.Sprintf("%s KiB", count(int((b+512)>>10)))
	}
	return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
}
