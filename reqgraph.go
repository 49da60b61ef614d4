package learngraph

import (
	"cmp"
	"slices"
)

// reqGraph is the requisite graph of a whole curriculum (REQUIRES and
// co-requisite edges alike, as CurricularAnalytics counts them) over dense
// vertex numbers, the form the graph-wide algorithms (cycles, metrics,
// redundant edges) work on. Vertex i is g.Concepts[i]; edges are deduplicated, and
// edges to unknown concepts are left out (validation reports them).
type reqGraph struct {
	concepts []*Concept
	index    map[string]int32
	edges    []reqEdge // sorted by (from, to)

	// Compressed adjacency: the prerequisites of v are
	// preTo[preStart[v]:preStart[v+1]], the edges of those positions are
	// edges[preStart[v]:...] (same order); the dependents of v are
	// depFrom[depStart[v]:depStart[v+1]].
	preStart, preTo   []int32
	depStart, depFrom []int32
}

// reqEdge is one REQUIRES edge: from requires to.
type reqEdge struct {
	from, to int32
	link     *Link
}

func newReqGraph(g *Graph) *reqGraph {
	rg := &reqGraph{concepts: g.Concepts, index: make(map[string]int32, len(g.Concepts))}
	for i, c := range g.Concepts {
		if _, dup := rg.index[c.ID]; !dup {
			rg.index[c.ID] = int32(i)
		}
	}
	isRequires := func(l *Link) bool {
		return l.Rel.IsRequisite() && l.From.Kind == KindConcept && l.To.Kind == KindConcept
	}
	count := 0
	for i := range g.Links {
		if isRequires(&g.Links[i]) {
			count++
		}
	}
	rg.edges = make([]reqEdge, 0, count)
	for i := range g.Links {
		l := &g.Links[i]
		if !isRequires(l) {
			continue
		}
		from, okFrom := rg.index[l.From.ID]
		to, okTo := rg.index[l.To.ID]
		if okFrom && okTo {
			rg.edges = append(rg.edges, reqEdge{from, to, l})
		}
	}
	// Stable sort keeps the first statement of a duplicated edge, the one
	// whose source findings should point at.
	slices.SortStableFunc(rg.edges, func(a, b reqEdge) int {
		if c := cmp.Compare(a.from, b.from); c != 0 {
			return c
		}
		return cmp.Compare(a.to, b.to)
	})
	rg.edges = slices.CompactFunc(rg.edges, func(a, b reqEdge) bool { return a.from == b.from && a.to == b.to })
	rg.buildAdjacency()
	return rg
}

func (rg *reqGraph) buildAdjacency() {
	n := len(rg.concepts)
	rg.preStart = make([]int32, n+1)
	rg.depStart = make([]int32, n+1)
	for _, e := range rg.edges {
		rg.preStart[e.from+1]++
		rg.depStart[e.to+1]++
	}
	for v := range n {
		rg.preStart[v+1] += rg.preStart[v]
		rg.depStart[v+1] += rg.depStart[v]
	}
	rg.preTo = make([]int32, len(rg.edges))
	rg.depFrom = make([]int32, len(rg.edges))
	fill := slices.Clone(rg.depStart[:n])
	for i, e := range rg.edges {
		rg.preTo[i] = e.to // edges are sorted by from: position i is in from's range
		rg.depFrom[fill[e.to]] = e.from
		fill[e.to]++
	}
}

func (rg *reqGraph) size() int { return len(rg.concepts) }

// prereqs returns the vertices v requires.
func (rg *reqGraph) prereqs(v int32) []int32 { return rg.preTo[rg.preStart[v]:rg.preStart[v+1]] }

// prereqEdges returns the edges leaving v, parallel to prereqs(v).
func (rg *reqGraph) prereqEdges(v int32) []reqEdge { return rg.edges[rg.preStart[v]:rg.preStart[v+1]] }

// dependents returns the vertices that require v.
func (rg *reqGraph) dependents(v int32) []int32 { return rg.depFrom[rg.depStart[v]:rg.depStart[v+1]] }

// topoOrder returns the vertices with every prerequisite before its
// dependents (Kahn's algorithm), and false if cycles keep some vertices
// out of the order.
func (rg *reqGraph) topoOrder() ([]int32, bool) {
	n := rg.size()
	missing := make([]int32, n) // prerequisites not yet placed
	order := make([]int32, 0, n)
	for v := range n {
		missing[v] = int32(len(rg.prereqs(int32(v))))
		if missing[v] == 0 {
			order = append(order, int32(v))
		}
	}
	for head := 0; head < len(order); head++ {
		for _, d := range rg.dependents(order[head]) {
			missing[d]--
			if missing[d] == 0 {
				order = append(order, d)
			}
		}
	}
	return order, len(order) == n
}

// hasEdge reports whether from requires to directly.
func (rg *reqGraph) hasEdge(from, to int32) bool {
	_, found := slices.BinarySearch(rg.prereqs(from), to)
	return found
}
