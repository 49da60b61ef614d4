package learngraph_test

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"learngraph"
)

func mustAnalyze(t *testing.T, g *learngraph.Graph) *learngraph.Curriculum {
	t.Helper()
	c, err := learngraph.Analyze(g)
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	return c
}

// The example of CurricularAnalytics' documentation: courses A..H, edges
// A→C, B→C, C→E, D→F and D→C (prerequisite → dependent), G and H alone.
func TestAnalyzeCurricularAnalyticsExample(t *testing.T) {
	g := graphOf([]string{"a", "b", "c", "d", "e", "f", "g", "h"}, "c>a", "c>b", "e>c", "f>d", "c>d")
	mustAnalyze(t, g)

	wantBlocking := []int{2, 2, 1, 3, 0, 0, 0, 0}
	wantDelay := []int{3, 3, 3, 3, 3, 2, 1, 1}
	wantCentrality := []float64{0, 0, 9, 0, 0, 0, 0, 0}
	for i, c := range g.Concepts {
		want := learngraph.Metrics{
			BlockingFactor: wantBlocking[i],
			DelayFactor:    wantDelay[i],
			Centrality:     wantCentrality[i],
			Complexity:     wantBlocking[i] + wantDelay[i],
		}
		if c.Metrics != want {
			t.Errorf("%s: metrics %+v, want %+v", c.ID, c.Metrics, want)
		}
	}
}

// Metrics, by brute force on small random DAGs: reachability by search,
// delay and centrality by enumerating every source-to-sink path.
func TestMetricsMatchBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 40 {
		g := randomDAG(rng, 3+rng.IntN(12), 0.1+rng.Float64()*0.4)
		mustAnalyze(t, g)
		want := bruteMetrics(g)
		for _, c := range g.Concepts {
			if c.Metrics != want[c.ID] {
				t.Fatalf("round %d, %s: metrics %+v, want %+v", round, c.ID, c.Metrics, want[c.ID])
			}
		}
	}
}

func bruteMetrics(g *learngraph.Graph) map[string]learngraph.Metrics {
	pre := prereqMap(g)
	dep := map[string][]string{}
	for from, tos := range pre {
		for _, to := range tos {
			dep[to] = append(dep[to], from)
		}
	}
	var paths [][]string // every source-to-sink path, prerequisite first
	var walk func(path []string)
	walk = func(path []string) {
		last := path[len(path)-1]
		if len(dep[last]) == 0 {
			paths = append(paths, slices.Clone(path))
			return
		}
		for _, d := range dep[last] {
			walk(append(path, d))
		}
	}
	for _, c := range g.Concepts {
		if len(pre[c.ID]) == 0 {
			walk([]string{c.ID})
		}
	}
	out := map[string]learngraph.Metrics{}
	for _, c := range g.Concepts {
		var m learngraph.Metrics
		reached := map[string]bool{}
		var reach func(string)
		reach = func(id string) {
			for _, d := range dep[id] {
				if !reached[d] {
					reached[d] = true
					reach(d)
				}
			}
		}
		reach(c.ID)
		m.BlockingFactor = len(reached)
		isEnd := len(pre[c.ID]) == 0 || len(dep[c.ID]) == 0
		for _, p := range paths {
			if slices.Contains(p, c.ID) {
				m.DelayFactor = max(m.DelayFactor, len(p))
				if !isEnd {
					m.Centrality += float64(len(p))
				}
			}
		}
		m.Complexity = m.BlockingFactor + m.DelayFactor
		out[c.ID] = m
	}
	return out
}

func TestFindCycles(t *testing.T) {
	tests := []struct {
		name   string
		edges  []string
		want   [][]string // subjects of each CYCLE finding
		tangle bool       // a message mentions concepts beyond the named cycle
	}{
		{name: "none", edges: []string{"a>b", "b>c"}, want: nil},
		{name: "self-loop", edges: []string{"a>b", "b>b"}, want: [][]string{{"b"}}},
		{name: "two", edges: []string{"a>b", "b>a"}, want: [][]string{{"a", "b"}}},
		{name: "long", edges: []string{"c>d", "a>b", "d>e", "b>c", "e>a"}, want: [][]string{{"a", "b", "c", "d", "e"}}},
		{name: "several", edges: []string{"a>b", "b>a", "c>d", "d>e", "e>c", "x>a", "x>c"},
			want: [][]string{{"a", "b"}, {"c", "d", "e"}}},
		{name: "shortest through smallest id", edges: []string{"a>b", "b>c", "c>a", "a>c"},
			want: [][]string{{"a", "c"}}, tangle: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := graphOf([]string{"a", "b", "c", "d", "e", "x"}, tt.edges...)
			findings := learngraph.FindCycles(g)
			var got [][]string
			for _, f := range findings {
				got = append(got, f.Subjects)
				if f.Kind != learngraph.Cycle || f.Severity != learngraph.SeverityError || f.File != "links.yaml" || f.Line == 0 {
					t.Errorf("finding %+v: want a CYCLE ERROR at a links.yaml line", f)
				}
				if tt.tangle != strings.Contains(f.Message, "in all") {
					t.Errorf("message %q: tangle mention = %v, want %v", f.Message, !tt.tangle, tt.tangle)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("cycles %v, want %v", got, tt.want)
			}

			// The same answer whatever order the edges come in.
			rng := rand.New(rand.NewPCG(3, 4))
			for range 5 {
				rng.Shuffle(len(g.Links), func(i, j int) { g.Links[i], g.Links[j] = g.Links[j], g.Links[i] })
				if again := learngraph.FindCycles(g); !sameSubjects(again, findings) {
					t.Fatalf("shuffled edges give %v, want %v", again, findings)
				}
			}

			_, err := learngraph.Analyze(g)
			var ce *learngraph.CurriculumError
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Analyze: %v", err)
				}
				return
			}
			if !errors.As(err, &ce) {
				t.Fatalf("Analyze error %v, want *CurriculumError", err)
			}
			if !sameSubjects(ce.Problems, findings) {
				t.Errorf("problems %v, want %v", ce.Problems, findings)
			}
		})
	}
}

func TestFindCyclesMessage(t *testing.T) {
	g := graphOf([]string{"a", "b"}, "a>b", "b>a")
	got := learngraph.FindCycles(g)[0].Message
	want := `REQUIRES edges form a cycle: "A" → "B" → "A" (each requires the next); remove one of them`
	if got != want {
		t.Errorf("message\n got %s\nwant %s", got, want)
	}
}

func sameSubjects(a, b []learngraph.Finding) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !slices.Equal(a[i].Subjects, b[i].Subjects) || a[i].Source != b[i].Source {
			return false
		}
	}
	return true
}

func findingsOfKind(fs []learngraph.Finding, kind learngraph.FindingKind) []learngraph.Finding {
	var out []learngraph.Finding
	for _, f := range fs {
		if f.Kind == kind {
			out = append(out, f)
		}
	}
	return out
}

func TestRedundantEdges(t *testing.T) {
	// a requires b requires c, and a requires c: a→c is implied.
	// d requires a, b and c: d→b and d→c are implied by d→a.
	g := graphOf([]string{"a", "b", "c", "d"}, "a>b", "b>c", "a>c", "d>a", "d>b", "d>c")
	c := mustAnalyze(t, g)
	got := findingsOfKind(c.Findings, learngraph.RedundantEdge)
	want := []struct {
		subjects []string
		line     int
		message  string
	}{
		{[]string{"a", "c", "b"}, 102, `"A" requires "C" directly, and also through "B" (A → B → C); the direct edge is implied and can go`},
		{[]string{"d", "b", "a"}, 104, `"D" requires "B" directly, and also through "A" (D → A → B); the direct edge is implied and can go`},
		{[]string{"d", "c", "a"}, 105, `"D" requires "C" directly, and also through "A" (D → A → C); the direct edge is implied and can go`},
	}
	if len(got) != len(want) {
		t.Fatalf("redundant edges %v, want %d", got, len(want))
	}
	for i, w := range want {
		f := got[i]
		if !slices.Equal(f.Subjects, w.subjects) || f.Line != w.line || f.Message != w.message || f.Severity != learngraph.SeverityInfo {
			t.Errorf("finding %d = %+v, want subjects %v line %d message %q", i, f, w.subjects, w.line, w.message)
		}
	}
}

func TestRedundantEdgeMessageElidesLongPaths(t *testing.T) {
	g := graphOf([]string{"a", "b", "c", "d"}, "a>b", "b>c", "c>d", "a>d")
	f := findingsOfKind(mustAnalyze(t, g).Findings, learngraph.RedundantEdge)
	if len(f) != 1 || !strings.Contains(f[0].Message, "(A → B → … → D)") {
		t.Fatalf("findings %v, want one naming A → B → … → D", f)
	}
}

func TestRedundantEdgesMatchBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for round := range 40 {
		g := randomDAG(rng, 4+rng.IntN(20), 0.1+rng.Float64()*0.4)
		c := mustAnalyze(t, g)
		got := map[[2]string]string{}
		for _, f := range findingsOfKind(c.Findings, learngraph.RedundantEdge) {
			got[[2]string{f.Subjects[0], f.Subjects[1]}] = f.Subjects[2]
		}
		want := map[[2]string]string{}
		pre := prereqMap(g)
		for u, ps := range pre {
			for _, v := range ps {
				for _, w := range slices.Sorted(slices.Values(ps)) {
					if w != v && closureOf(pre, w)[v] {
						want[[2]string{u, v}] = w // smallest such hop
						break
					}
				}
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: redundant %v, want %v", round, got, want)
		}
	}
}

func TestStudyOrderViolations(t *testing.T) {
	g := graphOf([]string{"a", "b", "c", "d"}, "a>b", "a>c", "a>d", "b>d")
	g.Phases = []*learngraph.Phase{{ID: "p1", Number: 1, Name: "One"}, {ID: "p2", Number: 2, Name: "Two"}}
	g.Topics = []*learngraph.Topic{
		{ID: "t1", Name: "First", Phase: "p1", StudyStep: 1},
		{ID: "t2", Name: "Second", Phase: "p1", StudyStep: 2},
		{ID: "t3", Name: "Unordered", Phase: "p1"},
	}
	set := func(id, topic, phase string) {
		for _, c := range g.Concepts {
			if c.ID == id {
				c.Topic, c.Phase = topic, phase
			}
		}
	}
	set("a", "t1", "p1") // step 1 requires b of step 2, and c of phase 2
	set("b", "t2", "p1")
	set("c", "t1", "p2")
	set("d", "t3", "p1") // a topic the study order does not mention: no verdict
	got := findingsOfKind(mustAnalyze(t, g).Findings, learngraph.StudyOrderViolation)
	want := []learngraph.Finding{
		{Kind: learngraph.StudyOrderViolation, Severity: learngraph.SeverityWarning,
			Message:  `"A" (First, study step 1) requires "B", which the Recommended Study Order teaches later (Second, step 2); reorder the steps or drop the edge`,
			Subjects: []string{"a", "b"}, Source: learngraph.Source{File: "links.yaml", Line: 100}},
		{Kind: learngraph.StudyOrderViolation, Severity: learngraph.SeverityWarning,
			Message:  `"A" (phase 1) requires "C", which phase 2 teaches later; move one of them or drop the edge`,
			Subjects: []string{"a", "c"}, Source: learngraph.Source{File: "links.yaml", Line: 101}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("violations\n got %+v\nwant %+v", got, want)
	}
}

func TestGapFindings(t *testing.T) {
	g := graphOf([]string{"x", "y", "w", "z"}, "z>y", "z>w")
	g.Concepts[1].Taught = false                                      // y: nobody teaches it
	g.Concepts[2].Taught, g.Concepts[2].TaughtElsewhere = false, true // w: earlier phases do
	g.Paths = []*learngraph.DomainPath{
		{ID: "p1", Name: "Crates Only", Source: learngraph.Source{File: "doc.md", Line: 50}},
		{ID: "p2", Name: "Empty", Source: learngraph.Source{File: "doc.md", Line: 60}},
	}
	g.Crates = []*learngraph.Crate{{ID: "tokio", Name: "tokio"}}
	g.Links = append(g.Links, learngraph.Link{Rel: learngraph.Includes,
		From: learngraph.NodeRef{Kind: learngraph.KindPath, ID: "p1"}, To: learngraph.NodeRef{Kind: learngraph.KindCrate, ID: "tokio"}})
	g.Warnings = []learngraph.Finding{{Kind: learngraph.UnrecognizedContent, Severity: learngraph.SeverityWarning,
		Message: "unrecognised section", Source: learngraph.Source{File: "doc.md", Line: 5}}}

	type row struct {
		severity learngraph.Severity
		kind     learngraph.FindingKind
		subjects string
		line     int
	}
	var got []row
	for _, f := range mustAnalyze(t, g).Findings {
		got = append(got, row{f.Severity, f.Kind, strings.Join(f.Subjects, ","), f.Line})
	}
	want := []row{
		{learngraph.SeverityWarning, learngraph.Orphan, "x", 10},
		{learngraph.SeverityWarning, learngraph.PathWithoutChallenges, "p1", 50},
		{learngraph.SeverityWarning, learngraph.PathWithoutChallenges, "p2", 60},
		{learngraph.SeverityWarning, learngraph.PathWithoutCrates, "p2", 60},
		{learngraph.SeverityWarning, learngraph.UnrecognizedContent, "", 5},
		{learngraph.SeverityWarning, learngraph.UntaughtPrerequisite, "y,z", 11},
		{learngraph.SeverityInfo, learngraph.UntaughtPrerequisite, "w,z", 12},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("findings\n got %v\nwant %v", got, want)
	}
}

func TestAnalyzeRefusesInvalidGraphs(t *testing.T) {
	g := graphOf([]string{"a", "b", "a"}, "a>b", "b>missing")
	g.Warnings = []learngraph.Finding{
		{Kind: learngraph.DanglingReference, Severity: learngraph.SeverityError, Message: "from the loader"},
		{Kind: learngraph.UnrecognizedContent, Severity: learngraph.SeverityWarning, Message: "kept"},
	}
	_, err := learngraph.Analyze(g)
	var ce *learngraph.CurriculumError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v, want *CurriculumError", err)
	}
	var kinds []learngraph.FindingKind
	for _, p := range ce.Problems {
		kinds = append(kinds, p.Kind)
	}
	want := []learngraph.FindingKind{learngraph.DanglingReference, learngraph.DanglingReference, learngraph.DuplicateDefinition}
	if !slices.Equal(kinds, want) {
		t.Errorf("problems %v, want kinds %v", ce.Problems, want)
	}
	if len(findingsOfKind(ce.Warnings, learngraph.UnrecognizedContent)) != 1 {
		t.Errorf("warnings %v: want the loader's warning kept", ce.Warnings)
	}
	if _, err := learngraph.Analyze(nil); learngraph.ErrorCode(err) != learngraph.EINVALID {
		t.Errorf("Analyze(nil) = %v, want BAD_USER_INPUT", err)
	}
}

func TestSortFindings(t *testing.T) {
	fs := []learngraph.Finding{
		{Severity: learngraph.SeverityInfo, Kind: learngraph.RedundantEdge},
		{Severity: learngraph.SeverityWarning, Kind: learngraph.Orphan, Source: learngraph.Source{File: "b.md", Line: 1}},
		{Severity: learngraph.SeverityWarning, Kind: learngraph.Orphan, Source: learngraph.Source{File: "a.md", Line: 9}},
		{Severity: learngraph.SeverityWarning, Kind: learngraph.Orphan, Source: learngraph.Source{File: "a.md", Line: 2}, Subjects: []string{"z"}},
		{Severity: learngraph.SeverityWarning, Kind: learngraph.Orphan, Source: learngraph.Source{File: "a.md", Line: 2}, Subjects: []string{"y"}},
		{Severity: learngraph.SeverityError, Kind: learngraph.Cycle},
		{Severity: learngraph.SeverityWarning, Kind: learngraph.PathWithoutCrates},
	}
	learngraph.SortFindings(fs)
	var got []string
	for _, f := range fs {
		got = append(got, string(f.Severity)+" "+string(f.Kind)+" "+f.File+" "+strings.Join(f.Subjects, ","))
	}
	want := []string{
		"ERROR CYCLE  ",
		"WARNING ORPHAN a.md y",
		"WARNING ORPHAN a.md z",
		"WARNING ORPHAN a.md ",
		"WARNING ORPHAN b.md ",
		"WARNING PATH_WITHOUT_CRATES  ",
		"INFO REDUNDANT_EDGE  ",
	}
	if !slices.Equal(got, want) {
		t.Errorf("order\n got %q\nwant %q", got, want)
	}
}

// A synthetic curriculum deep enough to overflow int64 path counts still
// analyses, with depth-sized delay factors.
func TestAnalyzeLargeSynthetic(t *testing.T) {
	if testing.Short() {
		t.Skip("large graph")
	}
	g := synthetic(20_000)
	c := mustAnalyze(t, g)
	maxDelay := 0
	for _, concept := range c.Concepts {
		maxDelay = max(maxDelay, concept.Metrics.DelayFactor)
	}
	if maxDelay < 30 {
		t.Errorf("longest chain %d, want ≥ 30", maxDelay)
	}
	if n := len(findingsOfKind(c.Findings, learngraph.Cycle)); n != 0 {
		t.Errorf("%d cycles in a DAG", n)
	}
}
