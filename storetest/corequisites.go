package storetest

import (
	"reflect"
	"testing"

	"learngraph"
)

// CoRequisiteFixture is the first test curriculum CurricularAnalytics
// publishes, seven courses A..G with prerequisites and co-requisites: A→B
// co, A→C pre, B→D pre, C→D co, C→E pre, D→F pre, D→G co, G→F pre (A→B co:
// B co-requires A). D→G is a strict co-requisite here, so both kinds are
// stored.
func CoRequisiteFixture() *learngraph.Graph {
	g := &learngraph.Graph{Version: "corequisites", Documents: []string{"courses.csv"}}
	for i, id := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		g.Concepts = append(g.Concepts, &learngraph.Concept{
			ID: id, Name: "Course " + string(rune('A'+i)), Taught: true,
			Pos:    learngraph.Position{Phase: 1, Index: i},
			Source: learngraph.Source{File: "courses.csv", Line: 8 + i},
		})
	}
	link := func(rel learngraph.Rel, from, to string, line int) learngraph.Link {
		return learngraph.Link{
			Rel: rel, From: ref(learngraph.KindConcept, from), To: ref(learngraph.KindConcept, to),
			Reason: from + " with or after " + to, Source: learngraph.Source{File: "courses.csv", Line: line},
		}
	}
	g.Links = []learngraph.Link{
		link(learngraph.CoRequires, "b", "a", 9),
		link(learngraph.Requires, "c", "a", 10),
		link(learngraph.Requires, "d", "b", 11),
		link(learngraph.CoRequires, "d", "c", 11),
		link(learngraph.Requires, "e", "c", 12),
		link(learngraph.Requires, "f", "d", 13),
		link(learngraph.Requires, "f", "g", 13),
		link(learngraph.StrictlyCoRequires, "g", "d", 14),
	}
	return g
}

// testCoRequisites checks a curriculum with co-requisites: the metrics
// count them as CurricularAnalytics does, plans put co-requisites in the
// same layer, next-up and why-chains follow them, and the prerequisites
// relation keeps to REQUIRES edges.
func testCoRequisites(t *testing.T, open Opener) {
	c := Analyzed(t, CoRequisiteFixture())
	store, _ := open(t, c)
	ctx := t.Context()
	snap, err := store.Snapshot(ctx)
	if err != nil {
		t.Fatalf("Snapshot: %v", err)
	}

	t.Run("Metrics", func(t *testing.T) {
		want := map[string]learngraph.Metrics{
			"a": {BlockingFactor: 6, DelayFactor: 5, Centrality: 0, Complexity: 11},
			"b": {BlockingFactor: 3, DelayFactor: 5, Centrality: 9, Complexity: 8},
			"c": {BlockingFactor: 4, DelayFactor: 5, Centrality: 12, Complexity: 9},
			"d": {BlockingFactor: 2, DelayFactor: 5, Centrality: 18, Complexity: 7},
			"e": {BlockingFactor: 0, DelayFactor: 3, Centrality: 0, Complexity: 3},
			"f": {BlockingFactor: 0, DelayFactor: 5, Centrality: 0, Complexity: 5},
			"g": {BlockingFactor: 1, DelayFactor: 5, Centrality: 10, Complexity: 6},
		}
		for id, m := range want {
			n, err := snap.Resolve(ctx, id, learngraph.KindConcept)
			if err != nil {
				t.Fatalf("Resolve %s: %v", id, err)
			}
			if got := n.(*learngraph.Concept).Metrics; got != m {
				t.Errorf("%s: metrics %+v, want %+v", id, got, m)
			}
		}
	})
	t.Run("StudyPlan", func(t *testing.T) {
		plan, err := snap.StudyPlan(ctx, "Course F", nil)
		if err != nil {
			t.Fatalf("StudyPlan: %v", err)
		}
		want := []step{
			{"a", 0, false, "Course B: b with or after a", []string{"b", "c"}},
			{"b", 0, false, "Course D: d with or after b", []string{"d"}},
			{"c", 1, false, "Course D: d with or after c", []string{"d"}},
			{"d", 1, false, "Course G: g with or after d", []string{"g", "f"}},
			{"g", 1, false, "Course F: f with or after g", []string{"f"}},
			{"f", 2, true, "", nil},
		}
		if got := stepsOf(plan.Steps); !reflect.DeepEqual(got, want) {
			t.Errorf("plan\n got %+v\nwant %+v", got, want)
		}
	})
	t.Run("NextUp", func(t *testing.T) {
		recs, err := snap.NextUp(ctx, []string{"Course A"}, 5, "")
		if err != nil {
			t.Fatalf("NextUp: %v", err)
		}
		want := []rec{
			{"c", []string{"e"}, "Its prerequisite (Course A) is known; unlocks Course E; 4 concepts depend on it."},
			{"b", nil, "Its prerequisite (Course A) is known; 3 concepts depend on it."},
		}
		if got := recsOf(recs); !reflect.DeepEqual(got, want) {
			t.Errorf("next up\n got %+v\nwant %+v", got, want)
		}
	})
	t.Run("WhyRequired", func(t *testing.T) {
		chain, err := snap.WhyRequired(ctx, "f", "a")
		if err != nil {
			t.Fatalf("WhyRequired: %v", err)
		}
		want := []step{
			{ID: "f"},
			{ID: "d", Layer: 1, Reason: "f with or after d"},
			{ID: "b", Layer: 2, Reason: "d with or after b"},
			{ID: "a", Layer: 3, Reason: "b with or after a"},
		}
		if got := stepsOf(chain); !reflect.DeepEqual(got, want) {
			t.Errorf("chain\n got %+v\nwant %+v", got, want)
		}
	})
	t.Run("CorequisitesByKind", func(t *testing.T) {
		for _, tc := range []struct {
			relation learngraph.Relation
			want     [][]string
		}{
			{learngraph.ConceptCorequisites, [][]string{{"c|d with or after c"}, {}, {"a|b with or after a"}}},
			{learngraph.ConceptStrictCorequisites, [][]string{{}, {"d|g with or after d"}, {}}},
		} {
			got, err := snap.Related(ctx, tc.relation, []string{"d", "g", "b"})
			if err != nil {
				t.Fatalf("Related: %v", err)
			}
			for i := range got {
				if s := neighbourStrings(got[i]); !reflect.DeepEqual(s, tc.want[i]) {
					t.Errorf("%v of %s: %q, want %q", tc.relation.Spec().Rel, []string{"d", "g", "b"}[i], s, tc.want[i])
				}
			}
		}
	})
	t.Run("PrerequisitesAreRequiresOnly", func(t *testing.T) {
		got, err := snap.Related(ctx, learngraph.ConceptPrerequisites, []string{"d", "g"})
		if err != nil {
			t.Fatalf("Related: %v", err)
		}
		want := [][]string{{"b|d with or after b"}, {}}
		for i := range got {
			if s := neighbourStrings(got[i]); !reflect.DeepEqual(s, want[i]) {
				t.Errorf("prerequisites of %s: %q, want %q", []string{"d", "g"}[i], s, want[i])
			}
		}
	})
}
