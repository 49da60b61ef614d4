package learngraph

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// FindCycles returns one CYCLE finding (severity ERROR) for every group of
// concepts whose REQUIRES edges lead in a circle, naming the shortest cycle
// through the group's smallest id: "a" requires "b" requires "a". The
// finding points at the source of the cycle's first edge. Nil when the
// REQUIRES graph is acyclic.
func FindCycles(g *Graph) []Finding {
	return newReqGraph(g).cycleFindings()
}

func (rg *reqGraph) cycleFindings() []Finding {
	order, acyclic := rg.topoOrder()
	if acyclic {
		return nil
	}
	// Only vertices Kahn's algorithm could not place can lie on a cycle.
	stuck := make([]bool, rg.size())
	for v := range stuck {
		stuck[v] = true
	}
	for _, v := range order {
		stuck[v] = false
	}
	var findings []Finding
	for _, component := range rg.stronglyConnected(stuck) {
		if len(component) == 1 && !slices.Contains(rg.prereqs(component[0]), component[0]) {
			continue // a vertex downstream of a cycle, not on one
		}
		findings = append(findings, rg.cycleFinding(component))
	}
	SortFindings(findings)
	return findings
}

// stronglyConnected returns the strongly connected components of the
// subgraph induced by the vertices in scope (Tarjan's algorithm, with an
// explicit stack so deep graphs cannot overflow the goroutine stack).
func (rg *reqGraph) stronglyConnected(scope []bool) [][]int32 {
	n := rg.size()
	index := make([]int32, n) // 0 = not visited; else visit number + 1
	low := make([]int32, n)
	onStack := make([]bool, n)
	var stack []int32
	var components [][]int32
	next := int32(1)

	type frame struct {
		v    int32
		edge int // next prerequisite of v to look at
	}
	for root := range n {
		if !scope[root] || index[root] != 0 {
			continue
		}
		calls := []frame{{v: int32(root)}}
		index[root], low[root] = next, next
		next++
		stack = append(stack, int32(root))
		onStack[root] = true
		for len(calls) > 0 {
			top := &calls[len(calls)-1]
			prereqs := rg.prereqs(top.v)
			if top.edge < len(prereqs) {
				w := prereqs[top.edge]
				top.edge++
				switch {
				case !scope[w]:
				case index[w] == 0:
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					calls = append(calls, frame{v: w})
				case onStack[w]:
					low[top.v] = min(low[top.v], index[w])
				}
				continue
			}
			v := top.v
			calls = calls[:len(calls)-1]
			if len(calls) > 0 {
				parent := calls[len(calls)-1].v
				low[parent] = min(low[parent], low[v])
			}
			if low[v] == index[v] {
				var component []int32
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					component = append(component, w)
					if w == v {
						break
					}
				}
				components = append(components, component)
			}
		}
	}
	return components
}

// cycleFinding names the shortest cycle through the component's smallest
// id, found by a breadth-first search that visits prerequisites in id
// order, so the answer does not depend on the order edges were given in.
func (rg *reqGraph) cycleFinding(component []int32) Finding {
	inComponent := map[int32]bool{}
	for _, v := range component {
		inComponent[v] = true
	}
	start := slices.MinFunc(component, func(a, b int32) int { return cmp.Compare(rg.concepts[a].ID, rg.concepts[b].ID) })

	parent := map[int32]int32{start: -1}
	queue := []int32{start}
	var cycle []int32
	for len(queue) > 0 && cycle == nil {
		u := queue[0]
		queue = queue[1:]
		for _, w := range rg.sortedPrereqs(u) {
			if w == start {
				cycle = rg.pathTo(u, parent)
				break
			}
			if _, seen := parent[w]; !seen && inComponent[w] {
				parent[w] = u
				queue = append(queue, w)
			}
		}
	}

	ids := make([]string, len(cycle))
	names := make([]string, len(cycle)+1)
	for i, v := range cycle {
		ids[i] = rg.concepts[v].ID
		names[i] = fmt.Sprintf("%q", rg.concepts[v].Name)
	}
	names[len(cycle)] = names[0]
	msg := fmt.Sprintf("REQUIRES edges form a cycle: %s (each requires the next); remove one of them", strings.Join(names, " → "))
	if len(cycle) == 1 {
		msg = fmt.Sprintf("%s requires itself; remove that REQUIRES edge", names[0])
	}
	if len(component) > len(cycle) {
		msg += fmt.Sprintf(" (%d concepts in all are caught in cycles with these)", len(component))
	}
	return Finding{
		Kind:     Cycle,
		Severity: SeverityError,
		Message:  msg,
		Subjects: ids,
		Source:   rg.edgeSource(cycle[0], cycle[1%len(cycle)]), // the first edge; a self-loop's own
	}
}

// pathTo returns the vertices from the search's start down to v.
func (rg *reqGraph) pathTo(v int32, parent map[int32]int32) []int32 {
	var path []int32
	for ; v != -1; v = parent[v] {
		path = append(path, v)
	}
	slices.Reverse(path)
	return path
}

// sortedPrereqs returns v's prerequisites by id.
func (rg *reqGraph) sortedPrereqs(v int32) []int32 {
	out := slices.Clone(rg.prereqs(v))
	slices.SortFunc(out, func(a, b int32) int { return cmp.Compare(rg.concepts[a].ID, rg.concepts[b].ID) })
	return out
}

// edgeSource returns where the edge from requires to was stated.
func (rg *reqGraph) edgeSource(from, to int32) Source {
	for _, e := range rg.prereqEdges(from) {
		if e.to == to {
			return e.link.Source
		}
	}
	return Source{}
}
