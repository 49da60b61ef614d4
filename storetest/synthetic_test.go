package storetest_test

import (
	"reflect"
	"testing"

	"learngraph"
	"learngraph/storetest"
)

func TestSynthetic(t *testing.T) {
	g := storetest.Synthetic(5000, 7)
	if !reflect.DeepEqual(g, storetest.Synthetic(5000, 7)) {
		t.Fatal("the same n and seed give different graphs")
	}
	c, err := learngraph.Analyze(g)
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	edges, kinds := 0, map[learngraph.ChallengeKind]bool{}
	for _, l := range g.Links {
		if l.Rel == learngraph.Requires {
			edges++
		}
	}
	for _, ch := range g.Challenges {
		kinds[ch.Kind] = true
	}
	depth := 0
	for _, concept := range c.Concepts {
		depth = max(depth, concept.Metrics.DelayFactor)
	}
	if len(g.Concepts) != 5000 || edges < 4*5000 || edges > 5*5000 {
		t.Errorf("%d concepts, %d edges; want 5000 and about five edges each", len(g.Concepts), edges)
	}
	if depth < 30 {
		t.Errorf("longest chain %d, want ≥ 30", depth)
	}
	if len(g.Topics) == 0 || len(g.Crates) == 0 || len(g.Paths) == 0 || len(g.Competencies) == 0 || len(kinds) != 3 {
		t.Errorf("%d topics, %d crates, %d paths, %d competencies, challenge kinds %v: want some of each",
			len(g.Topics), len(g.Crates), len(g.Paths), len(g.Competencies), kinds)
	}
	included := map[string]map[learngraph.Kind]int{}
	for _, l := range g.Links {
		if l.Rel == learngraph.Includes {
			if included[l.From.ID] == nil {
				included[l.From.ID] = map[learngraph.Kind]int{}
			}
			included[l.From.ID][l.To.Kind]++
		}
	}
	for _, p := range g.Paths {
		if got := included[p.ID]; got[learngraph.KindCrate] != 5 || got[learngraph.KindChallenge] == 0 || got[learngraph.KindConcept] == 0 {
			t.Errorf("path %s includes %v; want concepts, challenges and five crates", p.ID, got)
		}
	}
	for _, n := range []int{0, 1, 10, 39} {
		if _, err := learngraph.Analyze(storetest.Synthetic(n, 1)); err != nil {
			t.Errorf("Synthetic(%d): %v", n, err)
		}
	}
}
