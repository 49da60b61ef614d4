package learngraph_test

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"learngraph"
	"learngraph/loader"
	"learngraph/seeds"
	"learngraph/storetest"
)

// impactSummary is an ImpactReport in words, so that tests state whole
// reports exactly and failures read well.
type impactSummary struct {
	EdgesAdded, EdgesRemoved       []string // "from>to REL"
	ConceptsAdded, ConceptsRemoved []string
	FindingsAdded, FindingsCleared []string // "KIND [subjects]: message"
	ClosesCycle                    bool
	Plans                          []string // "goal: +added -removed ~moved before>after"
	PlanCount                      int
	Metrics                        []string // "id: blocking b>a delay b>a centrality b>a complexity b>a"
	MetricCount                    int
}

func summarize(r *learngraph.ImpactReport) impactSummary {
	s := impactSummary{ClosesCycle: r.ClosesCycle, PlanCount: r.PlanChangeCount, MetricCount: r.MetricChangeCount}
	for _, l := range r.EdgesAdded {
		s.EdgesAdded = append(s.EdgesAdded, edgeWords(l))
	}
	for _, l := range r.EdgesRemoved {
		s.EdgesRemoved = append(s.EdgesRemoved, edgeWords(l))
	}
	s.ConceptsAdded = conceptIDs(r.ConceptsAdded)
	s.ConceptsRemoved = conceptIDs(r.ConceptsRemoved)
	for _, f := range r.FindingsAdded {
		s.FindingsAdded = append(s.FindingsAdded, findingWords(f))
	}
	for _, f := range r.FindingsCleared {
		s.FindingsCleared = append(s.FindingsCleared, findingWords(f))
	}
	for _, p := range r.PlanChanges {
		s.Plans = append(s.Plans, planWords(p))
	}
	for _, m := range r.MetricChanges {
		s.Metrics = append(s.Metrics, metricWords(m))
	}
	return s
}

func edgeWords(l learngraph.Link) string { return fmt.Sprintf("%s>%s %s", l.From.ID, l.To.ID, l.Rel) }

func findingWords(f learngraph.Finding) string {
	return fmt.Sprintf("%s %v: %s", f.Kind, f.Subjects, f.Message)
}

func conceptIDs(cs []*learngraph.Concept) []string {
	var ids []string
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	return ids
}

func planWords(p learngraph.PlanChange) string {
	words := []string{p.Goal.ID + ":"}
	for _, c := range p.Added {
		words = append(words, "+"+c.ID)
	}
	for _, c := range p.Removed {
		words = append(words, "-"+c.ID)
	}
	for _, m := range p.Moved {
		words = append(words, fmt.Sprintf("~%s %d>%d", m.Concept.ID, m.Before, m.After))
	}
	return strings.Join(words, " ")
}

func metricWords(m learngraph.MetricChange) string {
	return fmt.Sprintf("%s: blocking %d>%d delay %d>%d centrality %g>%g complexity %d>%d", m.Concept.ID,
		m.Before.BlockingFactor, m.After.BlockingFactor, m.Before.DelayFactor, m.After.DelayFactor,
		m.Before.Centrality, m.After.Centrality, m.Before.Complexity, m.After.Complexity)
}

func diffSummaries(t *testing.T, got, want impactSummary) {
	t.Helper()
	g, w := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := range g.NumField() {
		if !reflect.DeepEqual(g.Field(i).Interface(), w.Field(i).Interface()) {
			t.Errorf("%s:\n got %#v\nwant %#v", g.Type().Field(i).Name, g.Field(i).Interface(), w.Field(i).Interface())
		}
	}
}

// The graph of the table below: b requires a, d requires c, e requires b.
// Before any change the metrics are a {2 3 0 5}, b {1 3 3 4}, c {1 2 0 3},
// d {0 2 0 2}, e {0 3 0 3} (blocking, delay, centrality, complexity), and
// plans' layers a 0, b 1, c 0, d 1, e 2.
func TestImpact(t *testing.T) {
	edit := func(from, to string) learngraph.EdgeEdit { return learngraph.EdgeEdit{From: from, To: to} }
	tests := []struct {
		name   string
		change learngraph.Change
		want   impactSummary
	}{
		{
			// b gains c and d and moves a layer up; so does e, which
			// requires b and now sits one layer higher too. c now blocks
			// d, b and e; the chain c, d, b, e is four long.
			name:   "AddEdgeByNameAndAlias",
			change: learngraph.Change{Add: []learngraph.EdgeEdit{{From: "B", To: "Delta", Reason: "b builds on d."}}},
			want: impactSummary{
				EdgesAdded: []string{"b>d REQUIRES"},
				Plans:      []string{"e: +c +d ~b 1>2 ~e 2>3", "b: +c +d ~b 1>2"},
				PlanCount:  2,
				Metrics: []string{
					"d: blocking 0>2 delay 2>4 centrality 0>4 complexity 2>6",
					"c: blocking 1>3 delay 2>4 centrality 0>0 complexity 3>7",
					"b: blocking 1>1 delay 3>4 centrality 3>7 complexity 4>5",
					"e: blocking 0>0 delay 3>4 centrality 0>0 complexity 3>4",
				},
				MetricCount: 4,
			},
		},
		{
			// e keeps only itself; a and b lose what e gave them.
			name:   "RemoveEdgeLeavesOrphan",
			change: learngraph.Change{Remove: []learngraph.EdgeEdit{edit("e", "b")}},
			want: impactSummary{
				EdgesRemoved:  []string{"e>b REQUIRES"},
				FindingsAdded: []string{`ORPHAN [e]: "E" neither requires nor is required by any concept; connect it with REQUIRES edges in the links file, or drop it`},
				Plans:         []string{"e: -a -b ~e 2>0"},
				PlanCount:     1,
				Metrics: []string{
					"b: blocking 1>0 delay 3>2 centrality 3>0 complexity 4>2",
					"a: blocking 2>1 delay 3>2 centrality 0>0 complexity 5>3",
					"e: blocking 0>0 delay 3>1 centrality 0>0 complexity 3>1",
				},
				MetricCount: 3,
			},
		},
		{
			// e already requires a through b: no plan or metric moves.
			name:   "AddRedundantEdge",
			change: learngraph.Change{Add: []learngraph.EdgeEdit{edit("e", "a")}},
			want: impactSummary{
				EdgesAdded:    []string{"e>a REQUIRES"},
				FindingsAdded: []string{`REDUNDANT_EDGE [e a b]: "E" requires "A" directly, and also through "B" (E → B → A); the direct edge is implied and can go`},
			},
		},
		{
			// A co-requisite lets e share b's layer; metrics count it as
			// CurricularAnalytics does, like the REQUIRES edge it replaces.
			name: "ReplaceWithCoRequisite",
			change: learngraph.Change{
				Remove: []learngraph.EdgeEdit{edit("e", "b")},
				Add:    []learngraph.EdgeEdit{{From: "e", To: "b", Rel: learngraph.CoRequires}},
			},
			want: impactSummary{
				EdgesAdded:   []string{"e>b COREQUIRES"},
				EdgesRemoved: []string{"e>b REQUIRES"},
				Plans:        []string{"e: ~e 2>1"},
				PlanCount:    1,
			},
		},
		{
			name:   "ClosesCycle",
			change: learngraph.Change{Add: []learngraph.EdgeEdit{edit("a", "e")}},
			want: impactSummary{
				EdgesAdded:    []string{"a>e REQUIRES"},
				FindingsAdded: []string{`CYCLE [a e b]: REQUIRES edges form a cycle: "A" → "E" → "B" → "A" (each requires the next); remove one of them`},
				ClosesCycle:   true,
			},
		},
		{
			// Removing the only redundant edge clears its finding.
			name: "SwapEdges",
			change: learngraph.Change{
				Remove: []learngraph.EdgeEdit{edit("d", "c")},
				Add:    []learngraph.EdgeEdit{edit("c", "d")},
			},
			want: impactSummary{
				EdgesAdded:   []string{"c>d REQUIRES"},
				EdgesRemoved: []string{"d>c REQUIRES"},
				Plans:        []string{"c: +d ~c 0>1", "d: -c ~d 1>0"},
				PlanCount:    2,
				Metrics: []string{
					"c: blocking 1>0 delay 2>2 centrality 0>0 complexity 3>2",
					"d: blocking 0>1 delay 2>2 centrality 0>0 complexity 2>3",
				},
				MetricCount: 2,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := graphOf([]string{"a", "b", "c", "d", "e"}, "b>a", "d>c", "e>b")
			g.Concepts[3].Aliases = []string{"Delta"}
			base := mustAnalyze(t, g)
			r, err := learngraph.Impact(base, tt.change)
			if err != nil {
				t.Fatalf("Impact: %v", err)
			}
			diffSummaries(t, summarize(r), tt.want)
			if r.ClosesCycle != (r.Totals == nil) {
				t.Errorf("closes cycle %v, totals %+v: want totals exactly when there is no cycle", r.ClosesCycle, r.Totals)
			}
		})
	}
}

// A pair stated both ways keeps the other relationship when one goes;
// the REQUIRES edge held the plan's layers already, so nothing else moves.
func TestImpactRemovesOneRelationship(t *testing.T) {
	base := mustAnalyze(t, graphOf([]string{"a", "b", "c"}, "b>a", "c>b", "c~b"))
	r, err := learngraph.Impact(base, learngraph.Change{Remove: []learngraph.EdgeEdit{{From: "c", To: "b", Rel: learngraph.CoRequires}}})
	if err != nil {
		t.Fatal(err)
	}
	diffSummaries(t, summarize(r), impactSummary{EdgesRemoved: []string{"c>b COREQUIRES"}})

	r, err = learngraph.Impact(base, learngraph.Change{Remove: []learngraph.EdgeEdit{{From: "c", To: "b"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := impactSummary{
		EdgesRemoved:  []string{"c>b REQUIRES"},
		FindingsAdded: []string{`ORPHAN [c]: "C" neither requires nor is required by any concept; connect it with REQUIRES edges in the links file, or drop it`},
		Plans:         []string{"c: -a -b ~c 2>0"},
		PlanCount:     1,
		Metrics: []string{
			"b: blocking 1>0 delay 3>2 centrality 3>0 complexity 4>2",
			"a: blocking 2>1 delay 3>2 centrality 0>0 complexity 5>3",
			"c: blocking 0>0 delay 3>1 centrality 0>0 complexity 3>1",
		},
		MetricCount: 3,
	}
	diffSummaries(t, summarize(r), want)
}

func TestImpactTotals(t *testing.T) {
	base := mustAnalyze(t, graphOf([]string{"a", "b", "c", "d", "e"}, "b>a", "d>c", "e>b"))
	r, err := learngraph.Impact(base, learngraph.Change{Add: []learngraph.EdgeEdit{{From: "b", To: "d"}}})
	if err != nil {
		t.Fatal(err)
	}
	// Sums of the metrics of the table's AddEdge case, before and after.
	want := learngraph.TotalsChange{
		Before: learngraph.Totals{Concepts: 5, BlockingFactor: 4, DelayFactor: 13, Centrality: 3, Complexity: 17, LongestChain: []string{"a", "b", "e"}},
		After:  learngraph.Totals{Concepts: 5, BlockingFactor: 8, DelayFactor: 19, Centrality: 11, Complexity: 27, LongestChain: []string{"c", "d", "b", "e"}},
	}
	if r.Totals == nil || !reflect.DeepEqual(*r.Totals, want) {
		t.Errorf("totals %+v, want %+v", r.Totals, want)
	}
}

func loadSeeds(t testing.TB) *learngraph.Curriculum {
	t.Helper()
	g, err := loader.Load(seeds.FS)
	if err != nil {
		t.Fatalf("load seeds: %v", err)
	}
	c, err := learngraph.Analyze(g)
	if err != nil {
		t.Fatalf("analyze seeds: %v", err)
	}
	return c
}

func TestImpactErrors(t *testing.T) {
	base := loadSeeds(t)
	add := func(from, to string) learngraph.Change {
		return learngraph.Change{Add: []learngraph.EdgeEdit{{From: from, To: to}}}
	}
	tests := []struct {
		name        string
		change      learngraph.Change
		code        learngraph.Code
		message     string // a part of it
		suggestions []string
	}{
		{name: "ErrNotFound", change: add("Lifetimez", "traits"), code: learngraph.ENOTFOUND,
			message: `add "Lifetimez" REQUIRES "traits": no concept "Lifetimez"; did you mean "lifetimes"?`, suggestions: []string{"lifetimes"}},
		{name: "ErrNotFoundTo", change: learngraph.Change{Remove: []learngraph.EdgeEdit{{From: "GATs", To: "lifetime annotation"}}}, code: learngraph.ENOTFOUND,
			message: `remove "GATs" REQUIRES "lifetime annotation": no concept "lifetime annotation"; did you mean "Lifetime Annotations"?`, suggestions: []string{"Lifetime Annotations"}},
		{name: "ErrAmbiguous", change: add("Advanced Patterns", "traits"), code: learngraph.EAMBIGUOUS,
			message: `"Advanced Patterns" names 2 concepts`},
		{name: "ErrEmptyRef", change: add(" ", "traits"), code: learngraph.EINVALID, message: "empty ref"},
		{name: "ErrNotRequisite", change: learngraph.Change{Add: []learngraph.EdgeEdit{{From: "GATs", To: "traits", Rel: learngraph.Covers}}},
			code: learngraph.EINVALID, message: "COVERS is not a requisite relationship"},
		{name: "ErrRemoveMissing", change: learngraph.Change{Remove: []learngraph.EdgeEdit{{From: "GATs", To: "Closures"}}},
			code: learngraph.EINVALID, message: `"generic-associated-types" does not require "closures"`},
		{name: "ErrRemoveTwice", change: learngraph.Change{Remove: []learngraph.EdgeEdit{{From: "GATs", To: "lifetimes"}, {From: "generic-associated-types", To: "Lifetime Annotations"}}},
			code: learngraph.EINVALID, message: `"generic-associated-types" does not require "lifetimes"`},
		{name: "ErrRemoveOtherRel", change: learngraph.Change{Remove: []learngraph.EdgeEdit{{From: "GATs", To: "lifetimes", Rel: learngraph.CoRequires}}},
			code: learngraph.EINVALID, message: "is REQUIRES, not COREQUIRES"},
		{name: "ErrAddExisting", change: add("GATs", "lifetimes"), code: learngraph.EINVALID,
			message: `"generic-associated-types" already requires "lifetimes"`},
		{name: "ErrAddTwice", change: learngraph.Change{Add: []learngraph.EdgeEdit{{From: "Associated Types", To: "Closures"}, {From: "associated-types", To: "closures", Rel: learngraph.CoRequires}}},
			code: learngraph.EINVALID, message: `"associated-types" already requires "closures"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := learngraph.Impact(base, tt.change)
			if err == nil {
				t.Fatalf("no error; report %+v", summarize(r))
			}
			if got := learngraph.ErrorCode(err); got != tt.code {
				t.Errorf("code %s, want %s (%v)", got, tt.code, err)
			}
			if msg := learngraph.ErrorMessage(err); !strings.Contains(msg, tt.message) {
				t.Errorf("message %q does not contain %q", msg, tt.message)
			}
			if tt.suggestions != nil {
				e, _ := err.(*learngraph.Error)
				if e == nil || !reflect.DeepEqual(e.Suggestions, tt.suggestions) {
					t.Errorf("error %#v, want suggestions %q", err, tt.suggestions)
				}
			}
		})
	}
	t.Run("ErrNoCurriculum", func(t *testing.T) {
		if _, err := learngraph.Impact(nil, add("a", "b")); learngraph.ErrorCode(err) != learngraph.EINVALID {
			t.Errorf("error %v, want BAD_USER_INPUT", err)
		}
	})
}

// Nothing in the seed requires GATs, so only the plan towards GATs
// changes: it reached lifetimes and ownership only through this edge
// (Associated Types requires traits, generics nothing). GATs stays in
// layer 2, one above Associated Types. Lifetimes and ownership no longer
// block GATs; the path ownership → lifetimes → GATs (3 concepts) no longer
// passes through lifetimes.
func TestImpactSeedRemoveEdge(t *testing.T) {
	base := loadSeeds(t)
	r, err := learngraph.Impact(base, learngraph.Change{Remove: []learngraph.EdgeEdit{{From: "GATs", To: "lifetimes"}}})
	if err != nil {
		t.Fatal(err)
	}
	s := summarize(r)
	want := impactSummary{
		EdgesRemoved: []string{"generic-associated-types>lifetimes REQUIRES"},
		Plans:        []string{"generic-associated-types: -ownership -lifetimes"},
		PlanCount:    1,
		MetricCount:  2,
	}
	want.FindingsAdded, want.FindingsCleared = s.FindingsAdded, s.FindingsCleared // checked below
	want.Metrics = s.Metrics
	diffSummaries(t, s, want)
	if got := r.EdgesRemoved[0].Source; got != (learngraph.Source{File: "links.yaml", Line: 238}) {
		t.Errorf("removed edge stated at %+v, want links.yaml:238", got)
	}

	deltas := map[string]learngraph.Metrics{}
	var order []string
	for _, m := range r.MetricChanges {
		deltas[m.Concept.ID] = m.Delta()
		order = append(order, m.Concept.ID)
	}
	wantDeltas := map[string]learngraph.Metrics{
		"lifetimes": {BlockingFactor: -1, Centrality: -3, Complexity: -1},
		"ownership": {BlockingFactor: -1, Complexity: -1},
	}
	if !reflect.DeepEqual(deltas, wantDeltas) || !slices.Equal(order, []string{"lifetimes", "ownership"}) {
		t.Errorf("metric changes %v in order %v, want %v in order [lifetimes ownership]", deltas, order, wantDeltas)
	}

	// One dependent fewer for lifetimes: its untaught-prerequisite note
	// counts one fewer.
	if len(r.FindingsAdded) != 1 || len(r.FindingsCleared) != 1 {
		t.Fatalf("findings added %q, cleared %q: want one each", s.FindingsAdded, s.FindingsCleared)
	}
	for _, f := range []learngraph.Finding{r.FindingsAdded[0], r.FindingsCleared[0]} {
		if f.Kind != learngraph.UntaughtPrerequisite || f.Subjects[0] != "lifetimes" {
			t.Errorf("finding %s, want lifetimes' UNTAUGHT_PREREQUISITE", f)
		}
	}
	if !strings.HasSuffix(r.FindingsCleared[0].Message, "and 2 more require it") || !strings.HasSuffix(r.FindingsAdded[0].Message, "and 1 more require it") {
		t.Errorf("cleared %q, added %q: want the count of dependents to go from 2 more to 1 more", r.FindingsCleared[0].Message, r.FindingsAdded[0].Message)
	}
	checkOneByOne(t, base, editedGraph(base.Graph, nil, r.EdgesRemoved), r)
}

// Associated Types (traits only, layer 1) now needs Closures, which needs
// ownership and traits: it gains ownership and Closures and moves to
// layer 2. What requires it moves up behind it: GATs (which already had
// ownership through lifetimes), the advanced trait system patterns and,
// through those, HALs (whose layer comes from Embedded programming).
func TestImpactSeedAddEdge(t *testing.T) {
	base := loadSeeds(t)
	r, err := learngraph.Impact(base, learngraph.Change{Add: []learngraph.EdgeEdit{{From: "Associated Types", To: "closures", Reason: "Iterator-like traits take closures."}}})
	if err != nil {
		t.Fatal(err)
	}
	s := summarize(r)
	wantPlans := []string{
		"advanced-patterns--advanced-trait-system: +ownership +closures ~associated-types 1>2 ~advanced-patterns--advanced-trait-system 2>3",
		"associated-types: +ownership +closures ~associated-types 1>2",
		"hardware-abstraction-layers: +closures ~associated-types 1>2 ~advanced-patterns--advanced-trait-system 2>3",
		"generic-associated-types: +closures ~associated-types 1>2 ~generic-associated-types 2>3",
	}
	if !slices.Equal(s.Plans, wantPlans) || s.PlanCount != 4 {
		t.Errorf("plans (%d):\n%s\nwant (4):\n%s", s.PlanCount, strings.Join(s.Plans, "\n"), strings.Join(wantPlans, "\n"))
	}
	if !slices.Equal(s.EdgesAdded, []string{"associated-types>closures REQUIRES"}) || r.EdgesAdded[0].Reason != "Iterator-like traits take closures." {
		t.Errorf("edges added %q (%+v)", s.EdgesAdded, r.EdgesAdded)
	}
	var redundant bool
	for _, f := range r.FindingsAdded {
		redundant = redundant || (f.Kind == learngraph.RedundantEdge && slices.Equal(f.Subjects, []string{"associated-types", "traits", "closures"}))
	}
	if !redundant {
		t.Errorf("findings added %q: want Associated Types → traits redundant through Closures", s.FindingsAdded)
	}
	checkOneByOne(t, base, editedGraph(base.Graph, r.EdgesAdded, nil), r)
}

func TestImpactSeedClosesCycle(t *testing.T) {
	base := loadSeeds(t)
	r, err := learngraph.Impact(base, learngraph.Change{Add: []learngraph.EdgeEdit{{From: "lifetimes", To: "GATs"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := impactSummary{
		EdgesAdded:    []string{"lifetimes>generic-associated-types REQUIRES"},
		FindingsAdded: []string{`CYCLE [generic-associated-types lifetimes]: REQUIRES edges form a cycle: "Generic Associated Types" → "lifetimes" → "Generic Associated Types" (each requires the next); remove one of them`},
		ClosesCycle:   true,
	}
	s := summarize(r)
	diffSummaries(t, s, want)
	if r.PlanChanges != nil || r.MetricChanges != nil || r.Totals != nil {
		t.Errorf("plans %v, metrics %v, totals %v: want none on a cyclic graph", r.PlanChanges, r.MetricChanges, r.Totals)
	}
}

func TestImpactLeavesBaseUnchanged(t *testing.T) {
	changes := map[string]learngraph.Change{
		"AddAndRemove": {
			Add:    []learngraph.EdgeEdit{{From: "Associated Types", To: "closures"}},
			Remove: []learngraph.EdgeEdit{{From: "GATs", To: "lifetimes"}},
		},
		"ClosesCycle": {Add: []learngraph.EdgeEdit{{From: "lifetimes", To: "GATs"}}},
	}
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			base := loadSeeds(t)
			links := slices.Clone(base.Links)
			concepts := make([]learngraph.Concept, len(base.Concepts))
			for i, c := range base.Concepts {
				concepts[i] = *c
			}
			findings := slices.Clone(base.Findings)
			pointers := slices.Clone(base.Concepts)

			if _, err := learngraph.Impact(base, change); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(base.Links, links) {
				t.Errorf("base links changed")
			}
			if !slices.Equal(base.Concepts, pointers) {
				t.Errorf("base concept list changed")
			}
			for i, c := range base.Concepts {
				if !reflect.DeepEqual(*c, concepts[i]) {
					t.Errorf("concept %s changed: %+v, was %+v", c.ID, c.Metrics, concepts[i].Metrics)
				}
			}
			if !reflect.DeepEqual(base.Findings, findings) {
				t.Errorf("base findings changed")
			}
		})
	}
}

// Impact's plan changes, by brute force: OrderPlan towards every concept,
// before and after, on random graphs with co-requisites and random edits.
func TestImpactMatchesPlansOneByOne(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	rels := []learngraph.Rel{learngraph.Requires, learngraph.Requires, learngraph.CoRequires, learngraph.StrictlyCoRequires}
	cycles := 0
	for round := range 300 {
		g := randomDAG(rng, 2+rng.IntN(14), 0.05+rng.Float64()*0.35)
		for i := range g.Links {
			g.Links[i].Rel = rels[rng.IntN(len(rels))]
		}
		base := mustAnalyze(t, g)

		var change learngraph.Change
		var removed, added []learngraph.Link
		for _, i := range rng.Perm(len(g.Links))[:min(len(g.Links), rng.IntN(3))] {
			l := g.Links[i]
			change.Remove = append(change.Remove, learngraph.EdgeEdit{From: l.From.ID, To: l.To.ID})
			removed = append(removed, l)
		}
		present := map[[2]string]bool{}
		for _, l := range g.Links {
			present[[2]string{l.From.ID, l.To.ID}] = true
		}
		for _, l := range removed {
			delete(present, [2]string{l.From.ID, l.To.ID})
		}
		for range 1 + rng.IntN(2) {
			from, to := g.Concepts[rng.IntN(len(g.Concepts))], g.Concepts[rng.IntN(len(g.Concepts))]
			if present[[2]string{from.ID, to.ID}] {
				continue
			}
			present[[2]string{from.ID, to.ID}] = true
			rel := rels[rng.IntN(len(rels))]
			change.Add = append(change.Add, learngraph.EdgeEdit{From: from.ID, To: to.ID, Rel: rel, Reason: "random"})
			added = append(added, learngraph.Link{Rel: rel, From: from.Ref(), To: to.Ref(), Reason: "random"})
		}

		r, err := learngraph.Impact(base, change)
		if err != nil {
			t.Fatalf("round %d: Impact(%+v): %v", round, change, err)
		}
		edited := editedGraph(g, added, removed)
		if found := learngraph.FindCycles(edited); found != nil {
			cycles++
			if !r.ClosesCycle || r.PlanChanges != nil || r.MetricChanges != nil {
				t.Fatalf("round %d: cycles %v, but report %+v", round, found, summarize(r))
			}
			for _, f := range found {
				if !slices.ContainsFunc(r.FindingsAdded, func(a learngraph.Finding) bool { return findingWords(a) == findingWords(f) }) {
					t.Errorf("round %d: cycle %s not among the findings added %q", round, f, summarize(r).FindingsAdded)
				}
			}
			continue
		}
		if !checkOneByOne(t, base, edited, r) {
			t.Fatalf("round %d: graph %v, change %+v", round, g.Links, change)
		}
	}
	if cycles == 0 || cycles > 200 {
		t.Errorf("%d of 300 changes closed a cycle; the random changes should try both", cycles)
	}
}

// editedGraph is g with removed taken out and added put in, its concepts
// copied so that analysing it leaves g alone.
func editedGraph(g *learngraph.Graph, added, removed []learngraph.Link) *learngraph.Graph {
	out := *g
	out.Concepts = nil
	for _, c := range g.Concepts {
		c := *c
		out.Concepts = append(out.Concepts, &c)
	}
	out.Links = nil
	for _, l := range g.Links {
		if !slices.ContainsFunc(removed, func(r learngraph.Link) bool { return r.From == l.From && r.To == l.To }) {
			out.Links = append(out.Links, l)
		}
	}
	out.Links = append(out.Links, added...)
	return &out
}

// checkOneByOne compares r's plan and metric changes with the slow way:
// OrderPlan towards every concept of base before and in edited after,
// and Analyze on edited. It reports whether they agree.
func checkOneByOne(t *testing.T, base *learngraph.Curriculum, edited *learngraph.Graph, r *learngraph.ImpactReport) bool {
	t.Helper()
	after, err := learngraph.Analyze(edited)
	if err != nil {
		t.Errorf("analyze edited: %v", err)
		return false
	}
	viewBefore := learngraph.NewSubgraph(base.Concepts, base.Links)
	viewAfter := learngraph.NewSubgraph(after.Concepts, after.Links)
	now := map[string]*learngraph.Concept{}
	for _, c := range after.Concepts {
		now[c.ID] = c
	}

	type planDiff struct {
		goal  *learngraph.Concept
		steps int
		words string
	}
	var plans []planDiff
	var metrics []learngraph.MetricChange
	for _, c := range base.Concepts {
		if now[c.ID] == nil {
			continue
		}
		if now[c.ID].Metrics != c.Metrics {
			metrics = append(metrics, learngraph.MetricChange{Concept: c, Before: c.Metrics, After: now[c.ID].Metrics})
		}
		was := learngraph.OrderPlan(viewBefore, []string{c.ID}, nil)
		is := learngraph.OrderPlan(viewAfter, []string{c.ID}, nil)
		layerWas := map[string]int{}
		for _, s := range was {
			layerWas[s.Concept.ID] = s.Layer
		}
		layerIs := map[string]int{}
		for _, s := range is {
			layerIs[s.Concept.ID] = s.Layer
		}
		change := learngraph.PlanChange{Goal: c}
		for _, s := range is {
			if l, ok := layerWas[s.Concept.ID]; !ok {
				change.Added = append(change.Added, s.Concept)
			} else if l != s.Layer {
				change.Moved = append(change.Moved, learngraph.LayerChange{Concept: s.Concept, Before: l, After: s.Layer})
			}
		}
		for _, s := range was {
			if _, ok := layerIs[s.Concept.ID]; !ok {
				change.Removed = append(change.Removed, s.Concept)
			}
		}
		if change.Steps() > 0 {
			plans = append(plans, planDiff{c, change.Steps(), planWords(change)})
		}
	}
	inDocumentOrder := func(a, b *learngraph.Concept) int {
		if c := a.Pos.Compare(b.Pos); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	}
	slices.SortFunc(plans, func(a, b planDiff) int {
		if c := cmp.Compare(b.steps, a.steps); c != 0 {
			return c
		}
		return inDocumentOrder(a.goal, b.goal)
	})
	slices.SortFunc(metrics, func(a, b learngraph.MetricChange) int {
		da, db := a.Delta(), b.Delta()
		for _, c := range []int{
			cmp.Compare(absInt(db.Complexity), absInt(da.Complexity)),
			cmp.Compare(absInt(db.BlockingFactor), absInt(da.BlockingFactor)),
			cmp.Compare(absInt(db.DelayFactor), absInt(da.DelayFactor)),
			cmp.Compare(math.Abs(db.Centrality), math.Abs(da.Centrality)),
		} {
			if c != 0 {
				return c
			}
		}
		return inDocumentOrder(a.Concept, b.Concept)
	})

	var want impactSummary
	for _, p := range plans[:min(len(plans), learngraph.ImpactListLimit)] {
		want.Plans = append(want.Plans, p.words)
	}
	for _, m := range metrics[:min(len(metrics), learngraph.ImpactListLimit)] {
		want.Metrics = append(want.Metrics, metricWords(m))
	}
	got := summarize(r)
	ok := true
	if !slices.Equal(got.Plans, want.Plans) || got.PlanCount != len(plans) {
		t.Errorf("plan changes (%d):\n%s\nwant (%d):\n%s", got.PlanCount, strings.Join(got.Plans, "\n"), len(plans), strings.Join(want.Plans, "\n"))
		ok = false
	}
	if !slices.Equal(got.Metrics, want.Metrics) || got.MetricCount != len(metrics) {
		t.Errorf("metric changes (%d):\n%s\nwant (%d):\n%s", got.MetricCount, strings.Join(got.Metrics, "\n"), len(metrics), strings.Join(want.Metrics, "\n"))
		ok = false
	}
	wantTotals := learngraph.TotalsChange{Before: learngraph.CurriculumTotals(base), After: learngraph.CurriculumTotals(after)}
	if r.Totals == nil || !reflect.DeepEqual(*r.Totals, wantTotals) {
		t.Errorf("totals %+v, want %+v", r.Totals, wantTotals)
		ok = false
	}
	return ok
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func TestImpactCompareCurricula(t *testing.T) {
	published := mustAnalyze(t, graphOf([]string{"a", "b", "c", "d", "e"}, "b>a", "d>c", "e>b"))
	t.Run("OK", func(t *testing.T) {
		// c goes (and with it d's edge to it); f comes, between d and e.
		edited := graphOf([]string{"a", "b", "d", "e", "f"}, "b>a", "e>b", "f>d", "e>f")
		before := slices.Clone(edited.Links)
		r, err := learngraph.CompareCurricula(published, edited)
		if err != nil {
			t.Fatal(err)
		}
		// d loses c and drops to layer 0; e gains d and f, and stays in
		// layer 2. d now blocks f and e, on a chain of three.
		want := impactSummary{
			EdgesAdded:      []string{"f>d REQUIRES", "e>f REQUIRES"},
			EdgesRemoved:    []string{"d>c REQUIRES"},
			ConceptsAdded:   []string{"f"},
			ConceptsRemoved: []string{"c"},
			Plans:           []string{"d: -c ~d 1>0", "e: +d +f"},
			PlanCount:       2,
			Metrics:         []string{"d: blocking 0>2 delay 2>3 centrality 0>0 complexity 2>5"},
			MetricCount:     1,
		}
		diffSummaries(t, summarize(r), want)
		f := r.ConceptsAdded[0]
		if f == edited.Concepts[4] || f != r.PlanChanges[1].Added[1] || f.Metrics != (learngraph.Metrics{BlockingFactor: 1, DelayFactor: 3, Centrality: 3, Complexity: 4}) {
			t.Errorf("new concept %p %+v: want one copy of the edited concept %p, with its metrics", f, f, edited.Concepts[4])
		}
		if r.PlanChanges[0].Goal != published.Concepts[3] {
			t.Errorf("plan goal %p, want the published concept %p", r.PlanChanges[0].Goal, published.Concepts[3])
		}
		if !reflect.DeepEqual(edited.Links, before) || edited.Concepts[2].Metrics != (learngraph.Metrics{}) {
			t.Errorf("the edited graph changed")
		}
		wantTotals := learngraph.TotalsChange{
			Before: learngraph.Totals{Concepts: 5, BlockingFactor: 4, DelayFactor: 13, Centrality: 3, Complexity: 17, LongestChain: []string{"a", "b", "e"}},
			After:  learngraph.Totals{Concepts: 5, BlockingFactor: 6, DelayFactor: 15, Centrality: 6, Complexity: 21, LongestChain: []string{"a", "b", "e"}},
		}
		if !reflect.DeepEqual(*r.Totals, wantTotals) {
			t.Errorf("totals %+v, want %+v", *r.Totals, wantTotals)
		}
	})
	t.Run("ClosesCycle", func(t *testing.T) {
		r, err := learngraph.CompareCurricula(published, graphOf([]string{"a", "b", "c", "d", "e"}, "b>a", "d>c", "e>b", "c>d"))
		if err != nil {
			t.Fatal(err)
		}
		want := impactSummary{
			EdgesAdded:    []string{"c>d REQUIRES"},
			FindingsAdded: []string{`CYCLE [c d]: REQUIRES edges form a cycle: "C" → "D" → "C" (each requires the next); remove one of them`},
			ClosesCycle:   true,
		}
		diffSummaries(t, summarize(r), want)
	})
	t.Run("ErrOtherProblems", func(t *testing.T) {
		_, err := learngraph.CompareCurricula(published, graphOf([]string{"a", "b", "c", "d", "e"}, "b>a", "d>c", "e>b", "e>nowhere"))
		if learngraph.ErrorCode(err) != learngraph.EINVALID || !strings.Contains(err.Error(), `no concept has the id "nowhere"`) {
			t.Errorf("error %v, want BAD_USER_INPUT naming the dangling reference", err)
		}
	})
}

// BenchmarkImpact measures one added edge on the synthetic curriculum of
// 100k concepts: analysing the copy, the finding and metric comparisons,
// totals and the plan comparison.
func BenchmarkImpact(b *testing.B) {
	base, err := learngraph.Analyze(storetest.Synthetic(100_000, 1))
	if err != nil {
		b.Fatal(err)
	}
	// A concept of level 30 comes to require another of its level: it
	// gains what that one requires and it lacked, and it and what
	// requires it move up a layer.
	change := learngraph.Change{Add: []learngraph.EdgeEdit{{From: "concept-075000", To: "concept-075100", Reason: "benchmark"}}}
	var r *learngraph.ImpactReport
	for b.Loop() {
		if r, err = learngraph.Impact(base, change); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(r.PlanChangeCount), "plans-changed")
	b.ReportMetric(float64(r.MetricChangeCount), "metrics-changed")
}
