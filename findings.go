package learngraph

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// SortFindings orders findings the way every report shows them: most
// severe first, then by kind, file, line and subjects (message last, so
// the order is total).
func SortFindings(fs []Finding) {
	slices.SortStableFunc(fs, CompareFindings)
}

// CompareFindings is the order of SortFindings.
func CompareFindings(a, b Finding) int {
	if c := cmp.Compare(severityRank(a.Severity), severityRank(b.Severity)); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Kind, b.Kind); c != 0 {
		return c
	}
	if c := cmp.Compare(a.File, b.File); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Line, b.Line); c != 0 {
		return c
	}
	if c := slices.Compare(a.Subjects, b.Subjects); c != 0 {
		return c
	}
	return cmp.Compare(a.Message, b.Message)
}

func severityRank(s Severity) int {
	switch s {
	case SeverityError:
		return 0
	case SeverityWarning:
		return 1
	case SeverityInfo:
		return 2
	}
	return 3
}

// gapFinder computes the findings that need no topological order, so that
// they can be reported even for a graph with cycles.
type gapFinder struct {
	g  *Graph
	rg *reqGraph
}

func (f gapFinder) structuralFindings() []Finding {
	var out []Finding
	out = append(out, f.orphans()...)
	out = append(out, f.untaughtPrerequisites()...)
	out = append(out, f.studyOrderViolations()...)
	out = append(out, f.thinPaths()...)
	return out
}

// orphans: concepts that neither require nor are required by anything sit
// outside every plan; the designer should connect or drop them.
func (f gapFinder) orphans() []Finding {
	var out []Finding
	for v, c := range f.rg.concepts {
		if len(f.rg.prereqs(int32(v))) > 0 || len(f.rg.dependents(int32(v))) > 0 {
			continue
		}
		out = append(out, Finding{
			Kind:     Orphan,
			Severity: SeverityWarning,
			Message:  fmt.Sprintf("%q neither requires nor is required by any concept; connect it with REQUIRES edges in the links file, or drop it", c.Name),
			Subjects: []string{c.ID},
			Source:   c.Source,
		})
	}
	return out
}

// untaughtPrerequisites: a concept something requires but no loaded
// document teaches. A warning, unless the links file says earlier phases or
// other courses teach it.
func (f gapFinder) untaughtPrerequisites() []Finding {
	var out []Finding
	for v, c := range f.rg.concepts {
		dependents := f.rg.dependents(int32(v))
		if c.Taught || len(dependents) == 0 {
			continue
		}
		deps := f.inDocumentOrder(dependents)
		subjects := []string{c.ID}
		names := make([]string, 0, 3)
		for i, d := range deps {
			subjects = append(subjects, d.ID)
			if i < 3 {
				names = append(names, fmt.Sprintf("%q", d.Name))
			}
		}
		if len(deps) > 3 {
			names = append(names, fmt.Sprintf("%d more", len(deps)-3))
		}
		finding := Finding{
			Kind:     UntaughtPrerequisite,
			Severity: SeverityWarning,
			Message: fmt.Sprintf("%q is required by %s, but no loaded document teaches it; teach it in a document or mark it taught_elsewhere in the links file",
				c.Name, joinWords(names, "and")),
			Subjects: subjects,
			Source:   c.Source,
		}
		if c.TaughtElsewhere {
			finding.Severity = SeverityInfo
			finding.Message = fmt.Sprintf("%q is taught elsewhere, not in the loaded documents; %s %s it",
				c.Name, joinWords(names, "and"), pluralVerb(len(deps), "requires", "require"))
		}
		out = append(out, finding)
	}
	return out
}

func (f gapFinder) inDocumentOrder(vs []int32) []*Concept {
	cs := make([]*Concept, len(vs))
	for i, v := range vs {
		cs[i] = f.rg.concepts[v]
	}
	slices.SortFunc(cs, compareConcepts)
	return cs
}

// compareConcepts is document order: Position, then id.
func compareConcepts(a, b *Concept) int {
	if c := a.Pos.Compare(b.Pos); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// studyOrderViolations: C requires P, but P is taught in a later phase
// than C, or the Recommended Study Order puts P's topic after C's topic. A
// learner following the order meets C before they can understand it.
func (f gapFinder) studyOrderViolations() []Finding {
	phases := map[string]*Phase{}
	for _, p := range f.g.Phases {
		phases[p.ID] = p
	}
	topics := map[string]*Topic{}
	for _, t := range f.g.Topics {
		topics[t.ID] = t
	}
	var out []Finding
	for _, e := range f.rg.edges {
		c, p := f.rg.concepts[e.from], f.rg.concepts[e.to]
		if msg := studyOrderProblem(c, p, phases, topics); msg != "" {
			out = append(out, Finding{
				Kind:     StudyOrderViolation,
				Severity: SeverityWarning,
				Message:  msg,
				Subjects: []string{c.ID, p.ID},
				Source:   e.link.Source,
			})
		}
	}
	return out
}

func studyOrderProblem(c, p *Concept, phases map[string]*Phase, topics map[string]*Topic) string {
	cPhase, pPhase := phases[c.Phase], phases[p.Phase]
	if cPhase != nil && pPhase != nil && pPhase.Number > cPhase.Number {
		return fmt.Sprintf("%q (phase %d) requires %q, which phase %d teaches later; move one of them or drop the edge",
			c.Name, cPhase.Number, p.Name, pPhase.Number)
	}
	cTopic, pTopic := topics[c.Topic], topics[p.Topic]
	if cTopic == nil || pTopic == nil || cTopic == pTopic || cTopic.StudyStep == 0 || pTopic.StudyStep == 0 {
		return ""
	}
	if pTopic.StudyStep > cTopic.StudyStep {
		return fmt.Sprintf("%q (%s, study step %d) requires %q, which the Recommended Study Order teaches later (%s, step %d); reorder the steps or drop the edge",
			c.Name, cTopic.Name, cTopic.StudyStep, p.Name, pTopic.Name, pTopic.StudyStep)
	}
	return ""
}

// thinPaths: a domain path with nothing to install or nothing to build
// leaves a learner with theory only.
func (f gapFinder) thinPaths() []Finding {
	has := map[NodeRef]map[Kind]bool{}
	for _, l := range f.g.Links {
		if l.Rel == Includes && l.From.Kind == KindPath {
			if has[l.From] == nil {
				has[l.From] = map[Kind]bool{}
			}
			has[l.From][l.To.Kind] = true
		}
	}
	var out []Finding
	for _, p := range f.g.Paths {
		includes := has[p.Ref()]
		if !includes[KindCrate] {
			out = append(out, Finding{
				Kind:     PathWithoutCrates,
				Severity: SeverityWarning,
				Message:  fmt.Sprintf("path %q includes no crates; list the crates it uses under its crates in the links file", p.Name),
				Subjects: []string{p.ID},
				Source:   p.Source,
			})
		}
		if !includes[KindChallenge] {
			out = append(out, Finding{
				Kind:     PathWithoutChallenges,
				Severity: SeverityWarning,
				Message:  fmt.Sprintf("path %q includes no challenges; list projects or capstones under its challenges in the links file", p.Name),
				Subjects: []string{p.ID},
				Source:   p.Source,
			})
		}
	}
	return out
}

// redundantEdges turns the metrics pass's redundant edges into findings.
func (f gapFinder) redundantEdges(via map[int32]int32) []Finding {
	var out []Finding
	for e, hop := range via {
		edge := f.rg.edges[e]
		if edge.link.Rel != Requires {
			// A co-requisite says "study together", which no longer
			// chain of prerequisites implies.
			continue
		}
		c, p, h := f.rg.concepts[edge.from], f.rg.concepts[edge.to], f.rg.concepts[hop]
		path := []string{c.Name, h.Name, p.Name}
		if !f.rg.hasEdge(hop, edge.to) {
			path = []string{c.Name, h.Name, "…", p.Name}
		}
		out = append(out, Finding{
			Kind:     RedundantEdge,
			Severity: SeverityInfo,
			Message: fmt.Sprintf("%q requires %q directly, and also through %q (%s); the direct edge is implied and can go",
				c.Name, p.Name, h.Name, strings.Join(path, " → ")),
			Subjects: []string{c.ID, p.ID, h.ID},
			Source:   edge.link.Source,
		})
	}
	return out
}

func pluralVerb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
