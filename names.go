package learngraph

// NodeKeys returns what a ref can match for n: its id, and the names it is
// known by (name or title or text, then aliases). Resolution treats an id
// match as stronger than a name match.
func NodeKeys(n Node) (id string, names []string) {
	switch n := n.(type) {
	case *Concept:
		return n.ID, append([]string{n.Name}, n.Aliases...)
	case *Topic:
		return n.ID, append([]string{n.Name}, n.Aliases...)
	case *DomainPath:
		return n.ID, append([]string{n.Name}, n.Aliases...)
	case *Crate:
		return n.ID, []string{n.Name}
	case *Challenge:
		return n.ID, []string{n.Title}
	case *Phase:
		return n.ID, []string{n.Name, n.Title}
	case *Competency:
		return n.ID, []string{n.Text}
	}
	return "", nil
}

// DisplayName is how messages and reasons name a node: its name, title or
// text as the curriculum writes it.
func DisplayName(n Node) string {
	switch n := n.(type) {
	case *Concept:
		return n.Name
	case *Topic:
		return n.Name
	case *DomainPath:
		return n.Name
	case *Crate:
		return n.Name
	case *Challenge:
		return n.Title
	case *Phase:
		if n.Title != "" {
			return n.Title
		}
		return n.Name
	case *Competency:
		return n.Text
	}
	return ""
}

// GraphNodes returns every node of g of kind, in the graph's order.
func GraphNodes(g *Graph, kind Kind) []Node {
	switch kind {
	case KindConcept:
		return asNodes(g.Concepts)
	case KindTopic:
		return asNodes(g.Topics)
	case KindPath:
		return asNodes(g.Paths)
	case KindCrate:
		return asNodes(g.Crates)
	case KindChallenge:
		return asNodes(g.Challenges)
	case KindPhase:
		return asNodes(g.Phases)
	case KindCompetency:
		return asNodes(g.Competencies)
	}
	return nil
}

func asNodes[T Node](items []T) []Node {
	nodes := make([]Node, len(items))
	for i, item := range items {
		nodes[i] = item
	}
	return nodes
}

// kindRank is a kind's place in Kinds, for ties between kinds.
func kindRank(k Kind) int {
	for i, kk := range Kinds {
		if kk == k {
			return i
		}
	}
	return len(Kinds)
}

// ValidKind reports whether k is one of Kinds.
func ValidKind(k Kind) bool { return kindRank(k) < len(Kinds) }

// kindNoun is how messages name a kind, singular and plural.
func kindNoun(k Kind, plural bool) string {
	nouns := map[Kind][2]string{
		KindConcept:    {"concept", "concepts"},
		KindTopic:      {"topic", "topics"},
		KindPath:       {"path", "paths"},
		KindCrate:      {"crate", "crates"},
		KindChallenge:  {"challenge", "challenges"},
		KindPhase:      {"phase", "phases"},
		KindCompetency: {"competency", "competencies"},
	}
	n, ok := nouns[k]
	if !ok {
		return string(k)
	}
	if plural {
		return n[1]
	}
	return n[0]
}

// joinWords joins items as English does: "a", "a or b", "a, b or c".
func joinWords(items []string, conjunction string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	out := ""
	for i, item := range items[:len(items)-1] {
		if i > 0 {
			out += ", "
		}
		out += item
	}
	return out + " " + conjunction + " " + items[len(items)-1]
}
