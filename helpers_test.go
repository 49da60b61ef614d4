package learngraph_test

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"learngraph"
)

// graphOf builds a graph of concepts named by ids (in document order) and
// requisite edges written "a>b" (a requires b), "a~b" (a co-requires b)
// or "a=b" (a strictly co-requires b).
func graphOf(ids []string, edges ...string) *learngraph.Graph {
	g := &learngraph.Graph{Version: "test"}
	for i, id := range ids {
		g.Concepts = append(g.Concepts, &learngraph.Concept{
			ID: id, Name: strings.ToUpper(id[:1]) + id[1:], Taught: true,
			Pos:    learngraph.Position{Phase: 1, Index: i},
			Source: learngraph.Source{File: "doc.md", Line: 10 + i},
		})
	}
	for i, e := range edges {
		at := strings.IndexAny(e, ">~=")
		if at < 0 {
			panic("edge without >, ~ or =: " + e)
		}
		from, to := e[:at], e[at+1:]
		l := requires(from, to, fmt.Sprintf("%s needs %s.", from, to), 100+i)
		switch e[at] {
		case '~':
			l.Rel = learngraph.CoRequires
		case '=':
			l.Rel = learngraph.StrictlyCoRequires
		}
		g.Links = append(g.Links, l)
	}
	return g
}

func requires(from, to, reason string, line int) learngraph.Link {
	return learngraph.Link{
		Rel:    learngraph.Requires,
		From:   learngraph.NodeRef{Kind: learngraph.KindConcept, ID: from},
		To:     learngraph.NodeRef{Kind: learngraph.KindConcept, ID: to},
		Reason: reason,
		Source: learngraph.Source{File: "links.yaml", Line: line},
	}
}

// randomDAG returns a graph of n concepts whose edges only go from a
// concept to one with a smaller hidden rank, so it is acyclic; ids and
// positions are shuffled independently of the rank so that neither hints
// at the order.
func randomDAG(rng *rand.Rand, n int, density float64) *learngraph.Graph {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("c%03d", i)
	}
	rng.Shuffle(n, func(i, j int) { ids[i], ids[j] = ids[j], ids[i] }) // ids[rank]
	g := &learngraph.Graph{Version: "random"}
	positions := rng.Perm(n)
	for rank, id := range ids {
		g.Concepts = append(g.Concepts, &learngraph.Concept{
			ID: id, Name: "Concept " + id, Taught: true,
			Pos: learngraph.Position{Phase: 1 + positions[rank]%3, Index: positions[rank]},
		})
	}
	for u := range n {
		for v := range u {
			if rng.Float64() < density {
				g.Links = append(g.Links, requires(ids[u], ids[v], fmt.Sprintf("%s builds on %s.", ids[u], ids[v]), len(g.Links)+1))
			}
		}
	}
	rng.Shuffle(len(g.Concepts), func(i, j int) { g.Concepts[i], g.Concepts[j] = g.Concepts[j], g.Concepts[i] })
	rng.Shuffle(len(g.Links), func(i, j int) { g.Links[i], g.Links[j] = g.Links[j], g.Links[i] })
	return g
}

// prereqMap returns, per concept id, the ids it requires directly.
func prereqMap(g *learngraph.Graph) map[string][]string {
	m := map[string][]string{}
	for _, l := range g.Links {
		if l.Rel == learngraph.Requires {
			m[l.From.ID] = append(m[l.From.ID], l.To.ID)
		}
	}
	return m
}

// closureOf returns ids and everything they require, by brute force.
func closureOf(pre map[string][]string, ids ...string) map[string]bool {
	seen := map[string]bool{}
	var visit func(string)
	visit = func(id string) {
		if seen[id] {
			return
		}
		seen[id] = true
		for _, p := range pre[id] {
			visit(p)
		}
	}
	for _, id := range ids {
		visit(id)
	}
	return seen
}
