package learngraph_test

import (
	"cmp"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"learngraph"
)

func pick(rng *rand.Rand, g *learngraph.Graph, k int) []string {
	var ids []string
	for range k {
		ids = append(ids, g.Concepts[rng.IntN(len(g.Concepts))].ID)
	}
	return ids
}

func conceptByID(g *learngraph.Graph) map[string]*learngraph.Concept {
	m := map[string]*learngraph.Concept{}
	for _, c := range g.Concepts {
		m[c.ID] = c
	}
	return m
}

func reasonOf(g *learngraph.Graph, from, to string) string {
	for _, l := range g.Links {
		if l.Rel == learngraph.Requires && l.From.ID == from && l.To.ID == to {
			return l.Reason
		}
	}
	return ""
}

// shuffled returns a view of g with concepts and edges in another order.
func shuffled(rng *rand.Rand, g *learngraph.Graph) learngraph.RequiresView {
	concepts, links := slices.Clone(g.Concepts), slices.Clone(g.Links)
	rng.Shuffle(len(concepts), func(i, j int) { concepts[i], concepts[j] = concepts[j], concepts[i] })
	rng.Shuffle(len(links), func(i, j int) { links[i], links[j] = links[j], links[i] })
	return learngraph.NewSubgraph(concepts, links)
}

// Plan validity as a property over random DAGs.
func TestOrderPlanProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for round := range 300 {
		g := randomDAG(rng, 2+rng.IntN(25), rng.Float64()*0.3)
		mustAnalyze(t, g)
		pre := prereqMap(g)
		byID := conceptByID(g)
		goals, known := pick(rng, g, 1+rng.IntN(3)), pick(rng, g, rng.IntN(4))

		steps := learngraph.OrderPlan(learngraph.NewSubgraph(g.Concepts, g.Links), goals, known)

		knownClosure := closureOf(pre, known...)
		want := map[string]bool{}
		for id := range closureOf(pre, goals...) {
			if !knownClosure[id] {
				want[id] = true
			}
		}
		at := map[string]int{}
		for i, s := range steps {
			at[s.Concept.ID] = i
		}
		if len(at) != len(steps) || len(steps) != len(want) {
			t.Fatalf("round %d: %d steps (%d distinct), want %d", round, len(steps), len(at), len(want))
		}
		for i, s := range steps {
			id := s.Concept.ID
			if !want[id] {
				t.Fatalf("round %d: step %s is known or not needed", round, id)
			}
			if s.Goal != slices.Contains(goals, id) {
				t.Fatalf("round %d: %s Goal = %v", round, id, s.Goal)
			}
			wantLayer := 0
			for _, p := range pre[id] {
				if j, in := at[p]; in {
					if j >= i {
						t.Fatalf("round %d: %s (step %d) before its prerequisite %s (step %d)", round, id, i, p, j)
					}
					wantLayer = max(wantLayer, steps[j].Layer+1)
				}
			}
			if s.Layer != wantLayer {
				t.Fatalf("round %d: %s layer %d, want %d", round, id, s.Layer, wantLayer)
			}
			if i > 0 {
				prev := steps[i-1]
				order := cmp.Or(cmp.Compare(prev.Layer, s.Layer), prev.Concept.Pos.Compare(s.Concept.Pos), cmp.Compare(prev.Concept.ID, id))
				if order >= 0 {
					t.Fatalf("round %d: %s before %s breaks (layer, position, id) order", round, prev.Concept.ID, id)
				}
			}
			var requiredBy []string
			for _, later := range steps[i+1:] {
				if slices.Contains(pre[later.Concept.ID], id) {
					requiredBy = append(requiredBy, later.Concept.ID)
				}
			}
			if !slices.Equal(s.RequiredBy, requiredBy) {
				t.Fatalf("round %d: %s RequiredBy %v, want %v", round, id, s.RequiredBy, requiredBy)
			}
			wantReason := ""
			if !s.Goal && len(requiredBy) > 0 {
				wantReason = byID[requiredBy[0]].Name + ": " + reasonOf(g, requiredBy[0], id)
			}
			if s.Reason != wantReason {
				t.Fatalf("round %d: %s reason %q, want %q", round, id, s.Reason, wantReason)
			}
		}

		for range 3 {
			if again := learngraph.OrderPlan(shuffled(rng, g), goals, known); !reflect.DeepEqual(again, steps) {
				t.Fatalf("round %d: shuffled input gives another plan", round)
			}
		}
	}
}

func TestOrderPlanExample(t *testing.T) {
	// b and c both need a; d needs b and c; the goal is d, a is known.
	g := graphOf([]string{"a", "b", "c", "d", "e"}, "b>a", "c>a", "d>c", "d>b", "c>e")
	mustAnalyze(t, g)
	steps := learngraph.OrderPlan(learngraph.NewSubgraph(g.Concepts, g.Links), []string{"d"}, []string{"a"})
	type row struct {
		id, reason string
		layer      int
		requiredBy []string
		goal       bool
	}
	var got []row
	for _, s := range steps {
		got = append(got, row{s.Concept.ID, s.Reason, s.Layer, s.RequiredBy, s.Goal})
	}
	want := []row{
		{"b", "D: d needs b.", 0, []string{"d"}, false},
		{"e", "C: c needs e.", 0, []string{"c"}, false},
		{"c", "D: d needs c.", 1, []string{"d"}, false},
		{"d", "", 2, nil, true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("plan\n got %+v\nwant %+v", got, want)
	}
	if steps := learngraph.OrderPlan(learngraph.NewSubgraph(g.Concepts, g.Links), []string{"b"}, []string{"d"}); len(steps) != 0 {
		t.Errorf("plan for a known goal: %v, want none", steps)
	}
}

func TestRankNextUpProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for round := range 200 {
		g := randomDAG(rng, 2+rng.IntN(25), rng.Float64()*0.3)
		mustAnalyze(t, g)
		pre := prereqMap(g)
		known := pick(rng, g, rng.IntN(5))
		closure := closureOf(pre, known...)
		var all []string
		for _, c := range g.Concepts {
			all = append(all, c.ID)
		}
		recs := learngraph.RankNextUp(learngraph.NewSubgraph(g.Concepts, g.Links), known, all, -1)

		var want []*learngraph.Concept
		for _, c := range g.Concepts {
			if closure[c.ID] {
				continue
			}
			ready := true
			for _, p := range pre[c.ID] {
				ready = ready && closure[p]
			}
			if ready {
				want = append(want, c)
			}
		}
		slices.SortFunc(want, func(a, b *learngraph.Concept) int {
			return cmp.Or(cmp.Compare(b.Metrics.BlockingFactor, a.Metrics.BlockingFactor), a.Pos.Compare(b.Pos), cmp.Compare(a.ID, b.ID))
		})
		if len(recs) != len(want) {
			t.Fatalf("round %d: %d recommendations, want %d", round, len(recs), len(want))
		}
		for i, r := range recs {
			if r.Concept != want[i] {
				t.Fatalf("round %d: recommendation %d is %s, want %s", round, i, r.Concept.ID, want[i].ID)
			}
			var unlocks []*learngraph.Concept
			for _, c := range g.Concepts {
				if !slices.Contains(pre[c.ID], r.Concept.ID) {
					continue
				}
				ok := true
				for _, p := range pre[c.ID] {
					ok = ok && (closure[p] || p == r.Concept.ID)
				}
				if ok {
					unlocks = append(unlocks, c)
				}
			}
			learngraph.SortConcepts(unlocks)
			if !slices.Equal(r.Unlocks, unlocks) {
				t.Fatalf("round %d: %s unlocks %d concepts, want %d", round, r.Concept.ID, len(r.Unlocks), len(unlocks))
			}
		}
		if again := learngraph.RankNextUp(shuffled(rng, g), known, all, -1); !reflect.DeepEqual(again, recs) {
			t.Fatalf("round %d: shuffled input ranks differently", round)
		}
		if firstTwo := learngraph.RankNextUp(learngraph.NewSubgraph(g.Concepts, g.Links), known, all, 2); len(recs) >= 2 && !reflect.DeepEqual(firstTwo, recs[:2]) {
			t.Fatalf("round %d: first=2 is not the head of the ranking", round)
		}
	}
}

func TestRankNextUpReasons(t *testing.T) {
	g := graphOf([]string{"ownership", "traits", "macros", "derive", "a", "b", "c", "d", "lone"},
		"macros>ownership", "macros>traits", "derive>macros", "a>macros", "b>macros", "c>macros", "d>macros", "d>lone")
	mustAnalyze(t, g)
	view := learngraph.NewSubgraph(g.Concepts, g.Links)
	all := []string{"ownership", "traits", "macros", "derive", "a", "b", "c", "d", "lone"}
	tests := []struct {
		known []string
		want  map[string]string
	}{
		{[]string{"ownership", "traits"}, map[string]string{
			"macros": "Its prerequisites (Ownership, Traits) are known; unlocks Derive, A, B and 1 more; 5 concepts depend on it.",
			"lone":   "Needs no prerequisites; 1 concept depends on it.",
		}},
		{[]string{"macros"}, map[string]string{
			"lone":   "Needs no prerequisites; unlocks D; 1 concept depends on it.",
			"derive": "Its prerequisite (Macros) is known.",
		}},
	}
	for _, tt := range tests {
		for _, r := range learngraph.RankNextUp(view, tt.known, all, -1) {
			if want, ok := tt.want[r.Concept.ID]; ok && r.Reason != want {
				t.Errorf("known %v, %s: reason %q, want %q", tt.known, r.Concept.ID, r.Reason, want)
			}
		}
	}
}

// WhyChain against every shortest chain, enumerated.
func TestWhyChainProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for round := range 300 {
		g := randomDAG(rng, 2+rng.IntN(15), 0.1+rng.Float64()*0.4)
		pre := prereqMap(g)
		goal, target := pick(rng, g, 1)[0], pick(rng, g, 1)[0]
		chain := learngraph.WhyChain(learngraph.NewSubgraph(g.Concepts, g.Links), goal, target)

		var best []string
		var walk func(path []string)
		walk = func(path []string) {
			last := path[len(path)-1]
			if last == target && len(path) > 1 {
				if best == nil || len(path) < len(best) || (len(path) == len(best) && slices.Compare(path, best) < 0) {
					best = slices.Clone(path)
				}
				return
			}
			for _, p := range pre[last] {
				walk(append(path, p))
			}
		}
		walk([]string{goal})

		var got []string
		for i, s := range chain {
			got = append(got, s.Concept.ID)
			wantReason := ""
			if i > 0 {
				wantReason = reasonOf(g, chain[i-1].Concept.ID, s.Concept.ID)
			}
			if s.Layer != i || s.Reason != wantReason || len(s.RequiredBy) != 0 || s.Goal {
				t.Fatalf("round %d: step %d = %+v", round, i, s)
			}
		}
		if !slices.Equal(got, best) {
			t.Fatalf("round %d: chain %v, want %v", round, got, best)
		}
		if again := learngraph.WhyChain(shuffled(rng, g), goal, target); !reflect.DeepEqual(again, chain) {
			t.Fatalf("round %d: shuffled input gives another chain", round)
		}
	}
}

func TestWhyChainTieBreak(t *testing.T) {
	// goal reaches target through m or through b in two steps each, and
	// through x in three; the edge to m is listed first.
	g := graphOf([]string{"goal", "m", "b", "x", "y", "target"},
		"goal>m", "goal>x", "goal>b", "m>target", "b>target", "x>y", "y>target")
	chain := learngraph.WhyChain(learngraph.NewSubgraph(g.Concepts, g.Links), "goal", "target")
	var ids []string
	for _, s := range chain {
		ids = append(ids, s.Concept.ID)
	}
	if want := []string{"goal", "b", "target"}; !slices.Equal(ids, want) {
		t.Errorf("chain %v, want %v", ids, want)
	}
	if chain := learngraph.WhyChain(learngraph.NewSubgraph(g.Concepts, g.Links), "target", "goal"); chain != nil {
		t.Errorf("upward chain %v, want nil", chain)
	}
	if chain := learngraph.WhyChain(learngraph.NewSubgraph(g.Concepts, g.Links), "goal", "goal"); chain != nil {
		t.Errorf("chain to itself %v, want nil", chain)
	}
}
