package inmem

import (
	"slices"

	"learngraph"
)

// snapshot is one curriculum with every index the queries need, built once
// in newSnapshot and read-only afterwards, so any number of requests can
// share it without locks.
type snapshot struct {
	curriculum *learngraph.Curriculum
	info       learngraph.CurriculumInfo

	nodes     map[learngraph.NodeRef]learngraph.Node
	ordered   map[learngraph.Kind][]learngraph.Node // every node of a kind, in document order
	concepts  []*learngraph.Concept                 // in document order, for paging
	conceptAt map[string]int                        // concept id → index in concepts

	resolver *learngraph.Resolver
	requires *learngraph.Subgraph               // the whole REQUIRES graph, as the ordering functions read it
	sources  []string                           // concepts that require nothing, in document order
	related  []map[string][]learngraph.Neighbor // by Relation, then from-id; lists in document order
	search   []learngraph.SearchItem

	rankings rankCache // recent next-up answers of this snapshot
}

func newSnapshot(c *learngraph.Curriculum) *snapshot {
	s := &snapshot{
		curriculum: c,
		nodes:      map[learngraph.NodeRef]learngraph.Node{},
		ordered:    map[learngraph.Kind][]learngraph.Node{},
		conceptAt:  map[string]int{},
		resolver:   learngraph.IndexGraph(c.Graph),
		requires:   learngraph.NewSubgraph(c.Concepts, c.Links),
	}
	s.indexNodes()
	s.indexRelations()
	s.info = learngraph.CurriculumInfo{
		Version:   c.Version,
		LoadedAt:  c.LoadedAt,
		Documents: slices.Clone(c.Documents),
	}
	for _, kind := range learngraph.Kinds {
		s.info.Counts = append(s.info.Counts, learngraph.KindCount{Kind: kind, Count: len(s.ordered[kind])})
	}
	return s
}

func (s *snapshot) indexNodes() {
	for _, kind := range learngraph.Kinds {
		nodes := learngraph.GraphNodes(s.curriculum.Graph, kind)
		slices.SortStableFunc(nodes, learngraph.CompareNodes)
		s.ordered[kind] = nodes
		for _, n := range nodes {
			s.nodes[n.Ref()] = n
			if item, ok := learngraph.SearchItemOf(n); ok {
				s.search = append(s.search, item)
			}
		}
	}
	for i, n := range s.ordered[learngraph.KindConcept] {
		c := n.(*learngraph.Concept)
		s.concepts = append(s.concepts, c)
		s.conceptAt[c.ID] = i
		if len(s.requires.Prerequisites(c.ID)) == 0 {
			s.sources = append(s.sources, c.ID)
		}
	}
}

// indexRelations builds, for every Relation, each node's neighbours in
// document order, once each.
func (s *snapshot) indexRelations() {
	relations := learngraph.Relations()
	s.related = make([]map[string][]learngraph.Neighbor, len(relations))
	links := s.curriculum.Links
	byRel := map[learngraph.Rel][]int32{} // link indexes; links are large to copy
	for i, l := range links {
		byRel[l.Rel] = append(byRel[l.Rel], int32(i))
	}
	for _, r := range relations {
		spec := r.Spec()
		adjacent := map[string][]learngraph.Neighbor{}
		for _, i := range byRel[spec.Rel] {
			l := &links[i]
			from, to := l.From, l.To
			if spec.Reverse {
				from, to = to, from
			}
			if from.Kind != spec.From || to.Kind != spec.To {
				continue
			}
			if n := s.nodes[to]; n != nil {
				adjacent[from.ID] = append(adjacent[from.ID], learngraph.Neighbor{Node: n, Reason: l.Reason})
			}
		}
		for id, list := range adjacent {
			slices.SortStableFunc(list, func(a, b learngraph.Neighbor) int { return learngraph.CompareNodes(a.Node, b.Node) })
			adjacent[id] = slices.CompactFunc(list, func(a, b learngraph.Neighbor) bool { return a.Node == b.Node })
		}
		s.related[r] = adjacent
	}
}

// neighbors returns the ids of from's neighbours over r, in document order.
func (s *snapshot) neighborIDs(r learngraph.Relation, from string) []string {
	var ids []string
	for _, n := range s.related[r][from] {
		ids = append(ids, n.Node.Ref().ID)
	}
	return ids
}
