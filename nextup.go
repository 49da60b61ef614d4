package learngraph

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// RankNextUp returns up to first recommendations among candidates for a
// learner who knows the concepts known (first < 0: all of them).
//
// A candidate is ready when it is not in the known closure (known and
// all it requires) and every prerequisite is. A co-requisite counts as a
// prerequisite here: of two concepts to study together, the one the
// other needs comes first, and the other once it is known. Ready candidates come by
// blocking factor, highest first, then document position, then id. Each
// recommendation lists the dependents it unlocks (those whose every
// prerequisite is in the closure or is the candidate itself), in document
// order, and says why in one sentence.
//
// candidates may hold more than the ready concepts (the store's cheap
// superset: every concept, or those of a path); the view must hold the
// known closure, the candidates, their dependents and the dependents'
// prerequisites.
func RankNextUp(v RequiresView, known, candidates []string, first int) []Recommendation {
	closure := KnownClosure(v, known)
	var ready []*Concept
	seen := map[string]bool{}
	for _, id := range candidates {
		if seen[id] || closure[id] {
			continue
		}
		seen[id] = true
		if c := v.Concept(id); c != nil && allIn(v.Prerequisites(id), closure, "") {
			ready = append(ready, c)
		}
	}
	slices.SortFunc(ready, func(a, b *Concept) int {
		if c := cmp.Compare(b.Metrics.BlockingFactor, a.Metrics.BlockingFactor); c != 0 {
			return c
		}
		return compareConcepts(a, b)
	})
	if first >= 0 && len(ready) > first {
		ready = ready[:first]
	}

	recs := make([]Recommendation, len(ready))
	for i, c := range ready {
		unlocks := unlockedBy(v, c.ID, closure)
		recs[i] = Recommendation{
			Concept: c,
			Unlocks: unlocks,
			Reason:  nextUpReason(conceptsOf(v, v.Prerequisites(c.ID)), unlocks, c.Metrics.BlockingFactor),
		}
	}
	return recs
}

// allIn reports whether every edge leads into set or to also.
func allIn(edges []Edge, set map[string]bool, also string) bool {
	for _, e := range edges {
		if !set[e.ID] && e.ID != also {
			return false
		}
	}
	return true
}

// unlockedBy returns the dependents of id that become ready once id is
// known on top of closure, in document order.
func unlockedBy(v RequiresView, id string, closure map[string]bool) []*Concept {
	var out []*Concept
	for _, d := range conceptsOf(v, v.Dependents(id)) {
		if !closure[d.ID] && allIn(v.Prerequisites(d.ID), closure, id) {
			out = append(out, d)
		}
	}
	return out
}

// conceptsOf returns the concepts at the other end of edges, once each, in
// document order; concepts missing from the view are left out.
func conceptsOf(v RequiresView, edges []Edge) []*Concept {
	var out []*Concept
	for _, e := range edges {
		if c := v.Concept(e.ID); c != nil && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	SortConcepts(out)
	return out
}

// nextUpReason says in one sentence why a concept is recommended:
// "Its prerequisites (ownership, traits) are known; unlocks Procedural
// Macros; 7 concepts depend on it."
func nextUpReason(prereqs, unlocks []*Concept, blocking int) string {
	var parts []string
	switch len(prereqs) {
	case 0:
		parts = append(parts, "Needs no prerequisites")
	case 1:
		parts = append(parts, fmt.Sprintf("Its prerequisite (%s) is known", prereqs[0].Name))
	default:
		parts = append(parts, fmt.Sprintf("Its prerequisites (%s) are known", strings.Join(names(prereqs), ", ")))
	}
	if len(unlocks) > 0 {
		shown := names(unlocks[:min(3, len(unlocks))])
		if len(unlocks) > 3 {
			shown = append(shown, fmt.Sprintf("%d more", len(unlocks)-3))
		}
		parts = append(parts, "unlocks "+joinWords(shown, "and"))
	}
	switch {
	case blocking == 1:
		parts = append(parts, "1 concept depends on it")
	case blocking > 1:
		parts = append(parts, fmt.Sprintf("%d concepts depend on it", blocking))
	}
	return strings.Join(parts, "; ") + "."
}

func names(cs []*Concept) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name
	}
	return out
}
