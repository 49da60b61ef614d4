package picture

// legendEntry is one line of a legend: a node or edge style and what it
// means.
type legendEntry struct {
	mark   Mark // 0 for the plain requisite edge
	onEdge bool
	text   string
}

// name is the entry's key in the output: "legend-node-untaught",
// "legend-edge-co", "legend-edge-requires" for the plain edge.
func (e legendEntry) name() string {
	class := e.mark.Class()
	if e.mark == 0 {
		class = "requires"
	}
	if e.onEdge {
		return "legend-edge-" + class
	}
	return "legend-node-" + class
}

// legend lists the styles p uses, and only those, in a fixed order: a
// legend that explains styles absent from the picture makes readers hunt
// for them. The plain edge is explained whenever one is drawn, since
// its direction is the one thing every picture needs read right; a
// picture whose edges are all co-requisites explains direction in the
// co-requisite entry instead.
func legend(p *Picture) []legendEntry {
	var nodeMarks, edgeMarks Marks
	plain := false // an edge drawn in the requisite style: cycles and redundant edges vary it, co-requisites do not
	for _, n := range p.Nodes {
		nodeMarks |= n.Marks
	}
	for _, e := range p.Edges {
		edgeMarks |= e.Marks
		plain = plain || !e.Marks.Has(CoRequisite)
	}
	folded := p.Fold != nil
	var out []legendEntry
	if nodeMarks.Has(Goal) {
		text := "goal of the plan"
		if folded {
			text = "holds a goal of the plan"
		}
		out = append(out, legendEntry{mark: Goal, text: text})
	}
	if nodeMarks.Has(Untaught) {
		text := "untaught prerequisite: required, but no loaded document teaches it"
		if folded {
			text = "holds an untaught prerequisite"
		}
		out = append(out, legendEntry{mark: Untaught, text: text})
	}
	if nodeMarks.Has(Orphan) {
		text := "orphan: neither requires nor is required by anything"
		if folded {
			text = "holds an orphan concept"
		}
		out = append(out, legendEntry{mark: Orphan, text: text})
	}
	if nodeMarks.Has(Cycle) {
		out = append(out, legendEntry{mark: Cycle, text: "a requisite cycle runs inside"})
	}
	if plain {
		text := "A → B: B requires A (study A first)"
		if folded {
			text = "A → B: concepts of B require concepts of A (the number counts the links)"
		}
		out = append(out, legendEntry{onEdge: true, text: text})
	}
	if edgeMarks.Has(Cycle) {
		out = append(out, legendEntry{mark: Cycle, onEdge: true, text: "cycle: requisite edges that lead in a circle"})
	}
	if edgeMarks.Has(Redundant) {
		out = append(out, legendEntry{mark: Redundant, onEdge: true, text: "redundant: implied by a longer path; can go"})
	}
	if edgeMarks.Has(CoRequisite) {
		out = append(out, legendEntry{mark: CoRequisite, onEdge: true, text: "co-requisite: B may be studied together with A"})
	}
	return out
}
