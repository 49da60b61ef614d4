package learngraph_test

import (
	"errors"
	"os"
	"slices"
	"testing"

	"learngraph"
	"learngraph/loader"
)

// The two test curricula CurricularAnalytics publishes, with the metrics
// its published definitions give. Edges are written dependent first:
// "b~a" is "A→B co" in CA's notation (A is a co-requisite of B), "c>a" is
// "A→C pre". CA counts co-requisites in every metric, as we do.
//
// Where this differs from CA's own test suite, on purpose: CA's suite
// expects C's delay factor to be 4 (complexity 8) in the first curriculum
// and C's centrality to be 3 in the second. Its code keeps one longest
// path per destination vertex while it walks the graph, so it misses
// paths its definitions count. The definitions say: the delay factor of
// C is the number of vertices on the longest path through C, which is
// A→C→D→G→F, 5 vertices; the centrality of C is the sum of the lengths of
// all source-to-sink paths through C, which in the second curriculum are
// A→C→E, B→C→E and D→C→E, 3 vertices each, 9 in all. We follow the
// definitions.
func TestCurricularAnalyticsPublishedCurricula(t *testing.T) {
	tests := []caCurriculum{
		{
			name:       "seven courses",
			csvDir:     "loader/testdata/ca/seven",
			ids:        []string{"a", "b", "c", "d", "e", "f", "g"},
			edges:      []string{"b~a", "c>a", "d>b", "d~c", "e>c", "f>d", "g~d", "f>g"},
			blocking:   []int{6, 3, 4, 2, 0, 0, 1},
			delay:      []int{5, 5, 5, 5, 3, 5, 5},
			centrality: []float64{0, 9, 12, 18, 0, 0, 10},
			complexity: []int{11, 8, 9, 7, 3, 5, 6},
			chain:      []string{"a", "b", "d", "g", "f"},
		},
		{
			name:       "eight courses",
			csvDir:     "loader/testdata/ca/eight",
			ids:        []string{"a", "b", "c", "d", "e", "f", "g", "h"},
			edges:      []string{"c>a", "c>b", "c~d", "e>c", "f>d"},
			blocking:   []int{2, 2, 1, 3, 0, 0, 0, 0},
			delay:      []int{3, 3, 3, 3, 3, 2, 1, 1},
			centrality: []float64{0, 0, 9, 0, 0, 0, 0, 0},
			complexity: []int{5, 5, 4, 6, 3, 2, 1, 1},
			chain:      []string{"a", "c", "e"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustAnalyze(t, graphOf(tt.ids, tt.edges...))
			tt.check(t, c)
		})
		// The same curricula as CurricularAnalytics CSV files, as a
		// designer brings them, through the loader.
		t.Run(tt.name+" from CSV", func(t *testing.T) {
			g, err := loader.Load(os.DirFS(tt.csvDir))
			if err != nil {
				t.Fatalf("load %s: %v", tt.csvDir, err)
			}
			c := mustAnalyze(t, g)
			// Courses A, B, … load as concepts a, b, …, in file order.
			slices.SortFunc(c.Concepts, func(a, b *learngraph.Concept) int { return learngraph.CompareNodes(a, b) })
			for i, concept := range c.Concepts {
				if concept.ID != tt.ids[i] {
					t.Fatalf("concept %d is %q, want %q", i, concept.ID, tt.ids[i])
				}
			}
			tt.check(t, c)
		})
	}
}

type caCurriculum struct {
	name       string
	csvDir     string
	ids        []string
	edges      []string
	blocking   []int
	delay      []int
	centrality []float64
	complexity []int
	chain      []string
}

func (tt caCurriculum) check(t *testing.T, c *learngraph.Curriculum) {
	t.Helper()
	var want learngraph.Totals
	want.Concepts = len(tt.ids)
	for i, concept := range c.Concepts {
		m := learngraph.Metrics{
			BlockingFactor: tt.blocking[i],
			DelayFactor:    tt.delay[i],
			Centrality:     tt.centrality[i],
			Complexity:     tt.complexity[i],
		}
		if concept.Metrics != m {
			t.Errorf("%s: metrics %+v, want %+v", concept.ID, concept.Metrics, m)
		}
		want.BlockingFactor += m.BlockingFactor
		want.DelayFactor += m.DelayFactor
		want.Centrality += m.Centrality
		want.Complexity += m.Complexity
	}
	want.LongestChain = tt.chain
	got := learngraph.CurriculumTotals(c)
	if got.Concepts != want.Concepts || got.BlockingFactor != want.BlockingFactor || got.DelayFactor != want.DelayFactor ||
		got.Centrality != want.Centrality || got.Complexity != want.Complexity || !slices.Equal(got.LongestChain, want.LongestChain) {
		t.Errorf("totals %+v, want %+v", got, want)
	}
}

// A co-requisite is counted like a prerequisite by the cycle check too:
// two courses that each need the other are a cycle, whatever the kind.
func TestCoRequisiteCycle(t *testing.T) {
	_, err := learngraph.Analyze(graphOf([]string{"a", "b"}, "a~b", "b>a"))
	var ce *learngraph.CurriculumError
	if !errors.As(err, &ce) || len(ce.Problems) != 1 || ce.Problems[0].Kind != learngraph.Cycle {
		t.Fatalf("Analyze: %v, want one CYCLE problem", err)
	}
}

// A co-requisite is never reported as a redundant edge: "study together"
// is not implied by a chain of prerequisites.
func TestCoRequisiteNotRedundant(t *testing.T) {
	c := mustAnalyze(t, graphOf([]string{"a", "b", "c"}, "c>b", "b>a", "c~a"))
	for _, f := range c.Findings {
		if f.Kind == learngraph.RedundantEdge {
			t.Errorf("finding %v", f)
		}
	}
	c = mustAnalyze(t, graphOf([]string{"a", "b", "c"}, "c>b", "b>a", "c>a"))
	n := 0
	for _, f := range c.Findings {
		if f.Kind == learngraph.RedundantEdge {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d REDUNDANT_EDGE findings for a redundant prerequisite, want 1", n)
	}
}

// Plans let a concept share a layer with its co-requisites, and put it
// after its prerequisites; next-up recommends the co-requisite first.
func TestCoRequisitePlanAndNextUp(t *testing.T) {
	// goal co-requires lab; lab requires basics; goal strictly co-requires
	// notes, which requires nothing.
	c := mustAnalyze(t, graphOf([]string{"basics", "lab", "notes", "goal"}, "lab>basics", "goal~lab", "goal=notes"))
	v := learngraph.NewSubgraph(c.Concepts, c.Links)
	steps := learngraph.OrderPlan(v, []string{"goal"}, nil)
	var got []string
	for _, s := range steps {
		got = append(got, s.Concept.ID+":"+string(rune('0'+s.Layer)))
	}
	if want := []string{"basics:0", "notes:0", "lab:1", "goal:1"}; !slices.Equal(got, want) {
		t.Errorf("plan %v, want %v", got, want)
	}

	recs := learngraph.RankNextUp(v, []string{"basics"}, []string{"basics", "lab", "notes", "goal"}, -1)
	var ready []string
	for _, r := range recs {
		ready = append(ready, r.Concept.ID)
	}
	slices.Sort(ready)
	if want := []string{"lab", "notes"}; !slices.Equal(ready, want) {
		t.Errorf("next up after basics: %v, want %v (goal waits for its co-requisites)", ready, want)
	}
}
