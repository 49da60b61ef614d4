package picture

import (
	"fmt"
	"slices"

	"learngraph"
)

// fold replaces p's concepts by the topics that cover them, or by their
// phases when the topics are more than limit or most concepts have no
// topic, and joins the groups by one edge per direction that counts the
// links between them. Concepts without a topic (or phase) form one group
// of their own. A group carries the marks of its concepts, and Cycle when
// a cycle runs inside it (its edges vanish in the group).
func (s *selector) fold(p *Picture, limit int) error {
	concepts := make([]*learngraph.Concept, len(p.Nodes))
	for i, n := range p.Nodes {
		concepts[i] = s.concepts[n.ID]
	}
	by, groupOf, ungrouped, err := chooseGrouping(concepts, limit)
	if err != nil {
		return err
	}

	groups, at := s.groupNodes(by, concepts, groupOf)
	groupAt := make([]int, len(p.Nodes)) // node index → index in groups
	for i, n := range p.Nodes {
		g := at[groupOf(concepts[i])]
		groupAt[i] = g
		groups[g].Concepts++
		groups[g].Marks |= n.Marks
	}

	type pair struct{ from, to int }
	joined := map[pair]*Edge{}
	var order []pair
	for i, e := range p.Edges {
		from, to := groupAt[s.edges[i].from], groupAt[s.edges[i].to]
		if from == to {
			if e.Marks.Has(Cycle) {
				groups[from].Marks = groups[from].Marks.With(Cycle)
			}
			continue
		}
		pr := pair{from, to}
		j := joined[pr]
		if j == nil {
			// Redundant and CoRequisite hold for a joined edge only if
			// they hold for every link it stands for; Cycle if for any.
			j = &Edge{From: groups[from].Key, To: groups[to].Key, Marks: e.Marks}
			joined[pr] = j
			order = append(order, pr)
		} else {
			both := j.Marks & e.Marks
			j.Marks = both | ((j.Marks | e.Marks) & Marks(Cycle))
		}
		j.Links += e.Links
	}
	slices.SortFunc(order, func(a, b pair) int {
		if a.from != b.from {
			return a.from - b.from
		}
		return a.to - b.to
	})

	fold := &Fold{Concepts: len(p.Nodes), By: by, Groups: len(groups), Ungrouped: ungrouped, Limit: limit}
	if ungrouped > 0 {
		fold.Groups--
	}
	p.Nodes = groups
	p.Edges = make([]Edge, len(order))
	for i, pr := range order {
		p.Edges[i] = *joined[pr]
	}
	p.Ranked = false
	p.Fold = fold
	s.at, s.edges = nil, nil // they indexed the concepts, gone now
	if p.Note != "" {
		p.Note += "; "
	}
	p.Note += fold.String()
	return nil
}

// chooseGrouping decides what to fold concepts into: topics when they fit
// within limit and most concepts have one, else phases when they fit.
// It returns the kind of group, how to find a concept's group id ("" for
// none) and how many concepts have none.
func chooseGrouping(concepts []*learngraph.Concept, limit int) (learngraph.Kind, func(*learngraph.Concept) string, int, error) {
	topicOf := func(c *learngraph.Concept) string { return c.Topic }
	phaseOf := func(c *learngraph.Concept) string { return c.Phase }
	groupCount := func(of func(*learngraph.Concept) string) (groups, ungrouped int) {
		seen := map[string]bool{}
		for _, c := range concepts {
			id := of(c)
			if id == "" {
				ungrouped++
			} else if !seen[id] {
				seen[id] = true
			}
		}
		groups = len(seen)
		if ungrouped > 0 {
			groups++
		}
		return groups, ungrouped
	}
	topics, noTopic := groupCount(topicOf)
	if topics <= limit && 2*noTopic <= len(concepts) {
		return learngraph.KindTopic, topicOf, noTopic, nil
	}
	phases, noPhase := groupCount(phaseOf)
	if phases <= limit {
		return learngraph.KindPhase, phaseOf, noPhase, nil
	}
	e := learngraph.Errorf(learngraph.ELIMIT, "%s are more than the node limit of %d, and still %d groups when folded into phases; raise the limit to at least %d",
		countOf(len(concepts), "concept"), limit, phases, phases)
	e.Limit = limit
	return "", nil, 0, e
}

// groupNodes returns the group nodes for the concepts, in document order of
// the topics or phases and the group of concepts without one last, and
// where each group id went.
func (s *selector) groupNodes(by learngraph.Kind, concepts []*learngraph.Concept, groupOf func(*learngraph.Concept) string) ([]Node, map[string]int) {
	wanted := map[string]bool{}
	for _, c := range concepts {
		wanted[groupOf(c)] = true
	}
	var groups []Node
	at := map[string]int{}
	add := func(n Node) {
		at[n.ID] = len(groups)
		groups = append(groups, n)
	}
	known := learngraph.GraphNodes(s.g, by)
	slices.SortStableFunc(known, learngraph.CompareNodes)
	for _, n := range known {
		id := n.Ref().ID
		if !wanted[id] || id == "" {
			continue
		}
		if _, dup := at[id]; dup {
			continue
		}
		add(Node{Key: key(by, id), Kind: by, ID: id, Name: groupName(n)})
	}
	// A concept may name a topic or phase the graph does not hold (a
	// broken graph): draw it under its id, after the known ones.
	var strays []string
	for id := range wanted {
		if _, ok := at[id]; !ok && id != "" {
			strays = append(strays, id)
		}
	}
	slices.Sort(strays)
	for _, id := range strays {
		add(Node{Key: key(by, id), Kind: by, ID: id, Name: id})
	}
	if wanted[""] {
		noun := kindNoun(by)
		add(Node{Key: "no-" + noun, Kind: by, Name: fmt.Sprintf("No %s", noun)})
	}
	return groups, at
}

// groupName is how a group is labelled: a topic's name, or "Phase 4:
// Advanced" (a phase's whole title line is too long for a box).
func groupName(n learngraph.Node) string {
	if ph, ok := n.(*learngraph.Phase); ok && ph.Number > 0 && ph.Name != "" {
		return fmt.Sprintf("Phase %d: %s", ph.Number, ph.Name)
	}
	return learngraph.DisplayName(n)
}
