package neo4j_test

import (
	"strings"
	"testing"

	"learngraph"
	"learngraph/neo4j"
	"learngraph/storetest"
)

// Each question costs one round trip on the happy path; a miss costs a
// second one, for did-you-mean suggestions.
func TestRoundTrips(t *testing.T) {
	s := freshStoreWith(t, quietConfig(t))
	mustLoad(t, s, storetest.Analyzed(t, storetest.Fixture()))
	snap := mustSnapshot(t, s)
	ctx := t.Context()
	tests := []struct {
		name  string
		trips int64
		ask   func() error
	}{
		{"StudyPlan", 1, func() error {
			_, err := snap.StudyPlan(ctx, "Explore Trait System", []string{"traits", "lifetimes", "Macros"})
			return err
		}},
		{"NextUp", 1, func() error { _, err := snap.NextUp(ctx, []string{"traits", "GATs"}, 5, ""); return err }},
		{"NextUp path", 1, func() error { _, err := snap.NextUp(ctx, []string{"async/await"}, 5, "web"); return err }},
		{"WhyRequired", 1, func() error {
			_, err := snap.WhyRequired(ctx, "advanced-patterns--advanced-trait-system", "traits")
			return err
		}},
		{"Related", 1, func() error {
			_, err := snap.Related(ctx, learngraph.ConceptPrerequisites, []string{"generic-associated-types", "traits", "nope"})
			return err
		}},
		{"Resolve", 1, func() error { _, err := snap.Resolve(ctx, "GATs"); return err }},
		{"Search", 1, func() error { _, err := snap.Search(ctx, "macros", 10); return err }},
		{"Crate", 1, func() error { _, err := snap.Crate(ctx, "serde_json"); return err }},
		{"Challenges", 1, func() error { _, err := snap.Challenges(ctx, "GATs", ""); return err }},
		{"Nodes", 1, func() error {
			_, err := snap.Nodes(ctx, learngraph.KindConcept, []string{"traits", "nope"})
			return err
		}},
		{"All", 1, func() error { _, err := snap.All(ctx, learngraph.KindTopic); return err }},
		{"Concepts", 1, func() error { _, err := snap.Concepts(ctx, 5, learngraph.ConceptCursor("traits")); return err }},
		{"Findings", 0, func() error { _, err := snap.Findings(ctx); return err }},
		{"Info", 0, func() error { snap.Info(); return nil }},
		{"Snapshot", 0, func() error { _, err := s.Snapshot(ctx); return err }},
		{"Resolve miss", 2, func() error {
			if _, err := snap.Resolve(ctx, "GAT"); learngraph.ErrorCode(err) != learngraph.ENOTFOUND {
				return err
			}
			return nil
		}},
		{"StudyPlan miss", 2, func() error {
			if _, err := snap.StudyPlan(ctx, "GATs", []string{"GAT"}); learngraph.ErrorCode(err) != learngraph.ENOTFOUND {
				return err
			}
			return nil
		}},
	}
	for _, tt := range tests {
		before := s.RoundTrips()
		if err := tt.ask(); err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := s.RoundTrips() - before; got != tt.trips {
			t.Errorf("%s: %d round trips, want %d", tt.name, got, tt.trips)
		}
	}
}

// The traversals run as pruning var-length expands, which visit each
// concept once, never as path enumeration, which explodes on deep graphs
// (PROFILE on the synthetic curriculum, 40 levels deep).
func TestTraversalsPrune(t *testing.T) {
	s := freshStoreWith(t, quietConfig(t))
	mustLoad(t, s, storetest.Analyzed(t, storetest.Synthetic(2000, 1)))
	gen := neo4j.Generation(mustSnapshot(t, s))
	learnables := []any{"Concept", "Topic", "DomainPath"}
	tests := []struct {
		name   string
		params map[string]any
		expand int // var-length expands the statement runs
	}{
		{"StudyPlan", map[string]any{"keys": []any{"concept-001999", "concept-000500"}, "kinds": []any{learnables, learnables}}, 2},
		{"NextUp", map[string]any{"keys": []any{"concept-001500"}, "kinds": []any{learnables}, "pathAt": int64(-1), "first": int64(5)}, 1},
		{"WhyRequired", map[string]any{"keys": []any{"concept-001999", "concept-000001"}, "kinds": []any{[]any{"Concept"}, []any{"Concept"}}}, 2},
	}
	for _, tt := range tests {
		tt.params["v"] = gen
		plan, err := s.Profile(t.Context(), neo4j.Statements[tt.name], tt.params)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		pruning := 0
		for _, op := range plan {
			op = strings.TrimSpace(op)
			if strings.HasPrefix(op, "VarLengthExpand") {
				if !strings.HasPrefix(op, "VarLengthExpand(Pruning") {
					t.Errorf("%s enumerates paths: %s", tt.name, op)
				}
				pruning++
				t.Logf("%s: %s", tt.name, op)
			}
		}
		if pruning != tt.expand {
			t.Errorf("%s: %d pruning var-length expands, want %d\n%s", tt.name, pruning, tt.expand, strings.Join(plan, "\n"))
		}
	}
}
