package storetest

import (
	"slices"
	"testing"

	"learngraph"
)

// neighbour is how the suite writes an expected neighbour: "id" or
// "id|reason".
func neighbourStrings(ns []learngraph.Neighbor) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Node.Ref().ID
		if n.Reason != "" {
			out[i] += "|" + n.Reason
		}
	}
	return out
}

// Every Relation, each from a few nodes (an unknown id among them), with
// the neighbours in document order and REQUIRES reasons.
func (f *fixture) testRelated(t *testing.T) {
	const (
		dsl   = "build-a-domain-specific-language-dsl"
		chain = "build-a-simple-blockchain-with-proof-of-work"
		comp1 = "masters-advanced-trait-usage-including-hrtbs-and-gats"
		comp2 = "can-write-declarative-and-procedural-macros"
		web   = "web-development-path"
		bc    = "blockchain-development-path"
	)
	cases := map[learngraph.Relation]struct {
		from []string
		want [][]string
	}{
		learngraph.ConceptPrerequisites: {
			[]string{"generic-associated-types", "advanced-patterns--advanced-trait-system", "closures", "nope"},
			[][]string{
				{"traits|GATs are declared in traits.",
					"lifetimes|The common GAT is generic over a lifetime, as in lending iterators.",
					"associated-types|A GAT is an associated type that takes generic parameters."},
				{"generic-associated-types|Advanced trait patterns lean on GATs.",
					"higher-ranked-trait-bounds|Advanced trait patterns use higher-ranked bounds."},
				{}, {},
			}},
		// The fixture states no co-requisites; testCoRequisites has them.
		learngraph.ConceptCorequisites:       {[]string{"generic-associated-types"}, [][]string{{}}},
		learngraph.ConceptStrictCorequisites: {[]string{"generic-associated-types"}, [][]string{{}}},
		learngraph.ConceptDependents: {
			[]string{"traits", "rest-apis"},
			[][]string{
				{"procedural-macros|Derive macros implement traits.",
					"associated-types|An associated type is declared inside a trait.",
					"zero-cost-abstractions|Zero-cost abstractions are built from generic traits.",
					"generic-associated-types|GATs are declared in traits.",
					"higher-ranked-trait-bounds|An HRTB is a trait bound."},
				{},
			}},
		learngraph.ConceptCrates:       {[]string{"procedural-macros", "web-frameworks", "traits"}, [][]string{{"syn", "quote"}, {"tokio", "axum"}, {}}},
		learngraph.ConceptChallenges:   {[]string{"declarative-macros", "web-frameworks", "generic-associated-types", "zero-cost-abstractions"}, [][]string{{dsl}, {"async-complexity"}, {"trait-system-complexity"}, {chain}}},
		learngraph.ConceptPaths:        {[]string{"rest-apis", "zero-cost-abstractions", "web-frameworks"}, [][]string{{web}, {bc}, {}}},
		learngraph.ConceptCompetencies: {[]string{"generic-associated-types", "declarative-macros", "traits"}, [][]string{{comp1}, {comp2}, {}}},
		learngraph.TopicConcepts: {[]string{"macros", "advanced-trait-usage", "nope"}, [][]string{
			{"declarative-macros", "procedural-macros", "advanced-patterns--macros-and-metaprogramming"},
			{"associated-types", "advanced-patterns--advanced-trait-system", "generic-associated-types", "higher-ranked-trait-bounds"},
			{}}},
		learngraph.TopicCrates:        {[]string{"macros", "web-development", "advanced-trait-usage"}, [][]string{{"syn"}, {"axum"}, {}}},
		learngraph.TopicChallenges:    {[]string{"web-development", "advanced-trait-usage", "macros"}, [][]string{{"async-complexity"}, {"trait-system-complexity"}, {dsl}}},
		learngraph.TopicPaths:         {[]string{"web-development", "macros"}, [][]string{{web}, {}}},
		learngraph.TopicFollows:       {[]string{"macros", "zero-cost-abstractions", "advanced-trait-usage"}, [][]string{{"advanced-trait-usage"}, {"macros"}, {}}},
		learngraph.PhaseTopics:        {[]string{"phase-4", "phase-3"}, [][]string{{"macros", "advanced-trait-usage", "zero-cost-abstractions", "web-development"}, {}}},
		learngraph.PhaseCompetencies:  {[]string{"phase-4"}, [][]string{{comp1, comp2}}},
		learngraph.PhaseAssumes:       {[]string{"phase-4"}, [][]string{{"traits", "lifetimes", "async-await"}}},
		learngraph.PhaseBuildsOn:      {[]string{"phase-4", "phase-3"}, [][]string{{"phase-3"}, {}}},
		learngraph.CompetencyConcepts: {[]string{comp1, comp2}, [][]string{{"generic-associated-types", "higher-ranked-trait-bounds"}, {"declarative-macros", "procedural-macros"}}},
		learngraph.CompetencyTopics:   {[]string{comp1, comp2}, [][]string{{"advanced-trait-usage"}, {}}},
		learngraph.PathConcepts:       {[]string{web, bc}, [][]string{{"rest-apis"}, {"zero-cost-abstractions"}}},
		learngraph.PathTopics:         {[]string{web, bc}, [][]string{{"web-development"}, {}}},
		learngraph.PathCrates:         {[]string{web, bc}, [][]string{{"tokio", "axum"}, {}}},
		learngraph.PathChallenges:     {[]string{bc, web}, [][]string{{chain}, {}}},
		learngraph.CrateConcepts:      {[]string{"syn", "tokio", "ink"}, [][]string{{"procedural-macros"}, {"web-frameworks"}, {}}},
		learngraph.CrateTopics:        {[]string{"syn", "tokio"}, [][]string{{"macros"}, {}}},
		learngraph.CratePaths:         {[]string{"axum", "tokio", "syn"}, [][]string{{web}, {web}, {}}},
		learngraph.CrateChallenges:    {[]string{"syn", "libp2p", "tokio", "axum"}, [][]string{{dsl}, {chain}, {"async-complexity"}, {}}},
		learngraph.ChallengeConcepts:  {[]string{dsl, "async-complexity", "trait-system-complexity"}, [][]string{{"declarative-macros", "procedural-macros"}, {"web-frameworks"}, {"generic-associated-types"}}},
		learngraph.ChallengeCrates:    {[]string{dsl, chain, "trait-system-complexity"}, [][]string{{"syn", "quote"}, {"libp2p", "ink"}, {}}},
	}
	for _, r := range learngraph.Relations() {
		tc, ok := cases[r]
		if !ok {
			t.Errorf("relation %d (%+v) has no test case", r, r.Spec())
			continue
		}
		lists, err := f.snap.Related(t.Context(), r, tc.from)
		if err != nil {
			t.Errorf("Related(%+v): %v", r.Spec(), err)
			continue
		}
		if len(lists) != len(tc.from) {
			t.Errorf("Related(%+v, %q): %d lists, want %d", r.Spec(), tc.from, len(lists), len(tc.from))
			continue
		}
		for i, list := range lists {
			for _, n := range list {
				if n.Node.Ref().Kind != r.Spec().To {
					t.Errorf("Related(%+v) from %s: neighbour %v of the wrong kind", r.Spec(), tc.from[i], n.Node.Ref())
				}
			}
			if got := neighbourStrings(list); !slices.Equal(got, tc.want[i]) {
				t.Errorf("Related(%+v) from %s\n got %q\nwant %q", r.Spec(), tc.from[i], got, tc.want[i])
			}
		}
	}
	_, err := f.snap.Related(t.Context(), learngraph.Relation(-1), []string{"traits"})
	badInput.check(t, "Related(-1)", err)
	_, err = f.snap.Related(t.Context(), learngraph.Relation(len(learngraph.Relations())), []string{"traits"})
	badInput.check(t, "Related(past the last relation)", err)
}
