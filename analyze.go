package learngraph

import (
	"fmt"
	"time"
)

// Analyze validates g and computes what a curriculum carries once per
// load: the Metrics of every concept (written into g's concepts) and the
// gap findings, sorted by SortFindings, the loader's warnings among them.
//
// It refuses a graph that cannot be served: duplicate ids, links to nodes
// that do not exist, REQUIRES cycles and loader findings of severity ERROR
// come back as a *CurriculumError whose Problems name each one; its
// Warnings then carry the findings that could still be computed, so a
// checker can show everything at once.
func Analyze(g *Graph) (*Curriculum, error) {
	if g == nil {
		return nil, Errorf(EINVALID, "no graph to analyze")
	}
	problems, warnings := splitBySeverity(g.Warnings)
	problems = append(problems, duplicateIDs(g)...)
	problems = append(problems, danglingLinks(g)...)

	rg := newReqGraph(g)
	gaps := gapFinder{g: g, rg: rg}
	findings := append(warnings, gaps.structuralFindings()...)

	problems = append(problems, rg.cycleFindings()...)
	if len(problems) > 0 {
		SortFindings(problems)
		SortFindings(findings)
		return nil, &CurriculumError{Problems: problems, Warnings: findings}
	}

	order, _ := rg.topoOrder()
	result := computeMetrics(newDAG(rg, order))
	for v, c := range rg.concepts {
		c.Metrics = result.metrics[v]
	}
	findings = append(findings, gaps.redundantEdges(result.redundantVia)...)
	SortFindings(findings)
	return &Curriculum{Graph: g, Findings: findings, LoadedAt: time.Now().UTC()}, nil
}

func splitBySeverity(fs []Finding) (errs, others []Finding) {
	for _, f := range fs {
		if f.Severity == SeverityError {
			errs = append(errs, f)
		} else {
			others = append(others, f)
		}
	}
	return errs, others
}

// duplicateIDs: ids must be unique within a kind, or refs, links and
// cursors become ambiguous.
func duplicateIDs(g *Graph) []Finding {
	var out []Finding
	for _, kind := range Kinds {
		seen := map[string]bool{}
		for _, n := range GraphNodes(g, kind) {
			id := n.Ref().ID
			if !seen[id] {
				seen[id] = true
				continue
			}
			out = append(out, Finding{
				Kind:     DuplicateDefinition,
				Severity: SeverityError,
				Message:  fmt.Sprintf("two %s have the id %q; rename one of them", kindNoun(kind, true), id),
				Subjects: []string{id},
				Source:   sourceOf(n),
			})
		}
	}
	return out
}

// danglingLinks: every link must join two nodes of the graph.
func danglingLinks(g *Graph) []Finding {
	exists := map[NodeRef]bool{}
	for _, kind := range Kinds {
		for _, n := range GraphNodes(g, kind) {
			exists[n.Ref()] = true
		}
	}
	var out []Finding
	for _, l := range g.Links {
		for _, end := range []NodeRef{l.From, l.To} {
			if exists[end] {
				continue
			}
			out = append(out, Finding{
				Kind:     DanglingReference,
				Severity: SeverityError,
				Message:  fmt.Sprintf("%s link from %s %q to %s %q: no %s has the id %q", l.Rel, kindNoun(l.From.Kind, false), l.From.ID, kindNoun(l.To.Kind, false), l.To.ID, kindNoun(end.Kind, false), end.ID),
				Subjects: []string{l.From.ID, l.To.ID},
				Source:   l.Source,
			})
		}
	}
	return out
}

// sourceOf returns where a node was written.
func sourceOf(n Node) Source {
	switch n := n.(type) {
	case *Concept:
		return n.Source
	case *Topic:
		return n.Source
	case *DomainPath:
		return n.Source
	case *Crate:
		return n.Source
	case *Challenge:
		return n.Source
	case *Phase:
		return n.Source
	case *Competency:
		return n.Source
	}
	return Source{}
}
