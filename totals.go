package learngraph

import "slices"

// Totals are CurricularAnalytics' whole-curriculum measures: the sums of
// the per-concept metrics (the sum of complexities is what CA calls the
// curriculum's structural complexity), and the longest requisite chain.
type Totals struct {
	Concepts       int
	BlockingFactor int
	DelayFactor    int
	Centrality     float64
	Complexity     int
	// LongestChain is a longest chain of requisites (REQUIRES and
	// co-requisite edges), as concept ids from the first prerequisite to
	// the last dependent; its length is the largest delay factor. Among
	// chains of that length it is the one that ends, and at each step
	// goes back, to the concept first in document order.
	LongestChain []string
}

// CurriculumTotals computes c's totals. The per-concept metrics come from
// Analyze; the chain is found here, in one pass over the requisite graph
// in topological order.
func CurriculumTotals(c *Curriculum) Totals { return totalsWith(c, newReqGraph(c.Graph)) }

// totalsWith is CurriculumTotals over rg, c's requisite graph, for callers
// that have built it already.
func totalsWith(c *Curriculum, rg *reqGraph) Totals {
	t := Totals{Concepts: len(c.Concepts)}
	for _, concept := range c.Concepts {
		t.BlockingFactor += concept.Metrics.BlockingFactor
		t.DelayFactor += concept.Metrics.DelayFactor
		t.Centrality += concept.Metrics.Centrality
		t.Complexity += concept.Metrics.Complexity
	}
	t.LongestChain = longestChain(rg)
	return t
}

// longestChain returns a longest path of rg as concept ids, prerequisite
// first; nil for a graph without concepts or with a cycle (Analyze
// refuses those).
func longestChain(rg *reqGraph) []string {
	order, ok := rg.topoOrder()
	if !ok || len(order) == 0 {
		return nil
	}
	// ending[v]: vertices on the longest chain that ends at v.
	ending := make([]int32, rg.size())
	for _, v := range order {
		ending[v] = 1
		for _, p := range rg.prereqs(v) {
			ending[v] = max(ending[v], ending[p]+1)
		}
	}
	earlier := func(a, b int32) bool { return compareConcepts(rg.concepts[a], rg.concepts[b]) < 0 }
	last := order[0]
	for _, v := range order {
		if ending[v] > ending[last] || (ending[v] == ending[last] && earlier(v, last)) {
			last = v
		}
	}
	chain := []string{rg.concepts[last].ID}
	for v := last; ending[v] > 1; {
		next := int32(-1)
		for _, p := range rg.prereqs(v) {
			if ending[p] == ending[v]-1 && (next < 0 || earlier(p, next)) {
				next = p
			}
		}
		v = next
		chain = append(chain, rg.concepts[v].ID)
	}
	slices.Reverse(chain)
	return chain
}
