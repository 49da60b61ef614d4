package learngraph

import (
	"cmp"
	"slices"
)

// RequiresView is the part of the REQUIRES graph that one question (a
// study plan, next-up, why-required) needs. The embedded store answers
// from its whole-graph index; a database store fetches the part in one
// round trip into a Subgraph. Either way, OrderPlan, RankNextUp and
// WhyChain then order the answer in Go, so both stores give identical
// answers.
//
// The edges of a concept may come in any order: the functions sort
// whatever they depend on.
type RequiresView interface {
	// Concept returns the concept with the id, or nil if it is not in
	// the view.
	Concept(id string) *Concept
	// Prerequisites returns the requisite edges leaving id: what it
	// requires (REQUIRES) or is to be studied with (co-requisites).
	Prerequisites(id string) []Edge
	// Dependents returns the requisite edges arriving at id: what
	// requires it.
	Dependents(id string) []Edge
}

// Edge is a requisite edge (REQUIRES or a co-requisite) seen from one of
// its ends: the concept at the other end, and the edge's reason.
type Edge struct {
	ID     string
	Reason string
	// Together marks a co-requisite: the ends may be studied together,
	// so a plan may put them in one layer.
	Together bool
}

// Subgraph is a RequiresView over concepts and the requisite links
// (REQUIRES and co-requisites) fetched for one question. Other links are
// ignored.
type Subgraph struct {
	concepts   map[string]*Concept
	prereqs    map[string][]Edge
	dependents map[string][]Edge
}

// NewSubgraph indexes concepts and the requisite links among them.
func NewSubgraph(concepts []*Concept, links []Link) *Subgraph {
	s := &Subgraph{
		concepts:   make(map[string]*Concept, len(concepts)),
		prereqs:    map[string][]Edge{},
		dependents: map[string][]Edge{},
	}
	for _, c := range concepts {
		s.concepts[c.ID] = c
	}
	for _, l := range links {
		if !l.Rel.IsRequisite() || l.From.Kind != KindConcept || l.To.Kind != KindConcept {
			continue
		}
		together := l.Rel.Together()
		s.prereqs[l.From.ID] = append(s.prereqs[l.From.ID], Edge{ID: l.To.ID, Reason: l.Reason, Together: together})
		s.dependents[l.To.ID] = append(s.dependents[l.To.ID], Edge{ID: l.From.ID, Reason: l.Reason, Together: together})
	}
	return s
}

func (s *Subgraph) Concept(id string) *Concept     { return s.concepts[id] }
func (s *Subgraph) Prerequisites(id string) []Edge { return s.prereqs[id] }
func (s *Subgraph) Dependents(id string) []Edge    { return s.dependents[id] }

// KnownClosure returns the concepts of known and everything they require,
// directly or not: what a learner who knows them need not study.
func KnownClosure(v RequiresView, known []string) map[string]bool {
	closure := make(map[string]bool, len(known))
	stack := slices.Clone(known)
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if closure[id] {
			continue
		}
		closure[id] = true
		for _, e := range v.Prerequisites(id) {
			if !closure[e.ID] {
				stack = append(stack, e.ID)
			}
		}
	}
	return closure
}

// edgeReason returns the reason of the REQUIRES edge from requires to, the
// smallest if the view repeats the edge.
func edgeReason(v RequiresView, from, to string) string {
	reason, found := "", false
	for _, e := range v.Prerequisites(from) {
		if e.ID == to && (!found || e.Reason < reason) {
			reason, found = e.Reason, true
		}
	}
	return reason
}

// SortConcepts sorts concepts into document order: Position, then id.
func SortConcepts(cs []*Concept) { slices.SortFunc(cs, compareConcepts) }

// CompareNodes is document order for any nodes: Position, then id, then
// kind.
func CompareNodes(a, b Node) int {
	if c := a.Order().Compare(b.Order()); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Ref().ID, b.Ref().ID); c != 0 {
		return c
	}
	return cmp.Compare(kindRank(a.Ref().Kind), kindRank(b.Ref().Kind))
}
