package storetest

import (
	"testing"

	"learngraph"
)

// secondVersion is the fixture after an edit: closures dropped, const
// generics added.
func secondVersion() *learngraph.Graph {
	g := Fixture()
	g.Version = "fixture-2"
	g.Concepts = g.Concepts[:len(g.Concepts)-1] // closures, last in the slice
	g.Concepts = append(g.Concepts, &learngraph.Concept{
		ID: "const-generics", Name: "Const Generics", Description: "Generic over values, not only types.",
		Taught: true, Phase: "phase-4", Topic: "advanced-trait-usage",
		Pos: learngraph.Position{Phase: 4, File: 1, Index: 4}, Source: linksAt(14),
	}, &learngraph.Concept{
		ID: "typestate", Name: "Typestate", Description: "States as types.",
		Taught: true, Phase: "phase-4", Pos: learngraph.Position{Phase: 4, File: 1, Index: 5}, Source: linksAt(16),
	})
	g.Links = append(g.Links, learngraph.Link{
		Rel: learngraph.Requires, From: ref(learngraph.KindConcept, "const-generics"), To: ref(learngraph.KindConcept, "traits"),
		Reason: "Const parameters appear in trait impls.", Source: linksAt(15),
	})
	return g
}

// A snapshot answers from the version it was taken from, even after the
// store switched to another; new snapshots answer from the new one.
func testVersions(t *testing.T, open Opener) {
	store, replace := open(t, Analyzed(t, Fixture()))
	if replace == nil {
		t.Skip("the store cannot switch curricula")
	}
	ctx := t.Context()
	before, err := store.Snapshot(ctx)
	if err != nil {
		t.Fatalf("Snapshot: %v", err)
	}
	replace(t, Analyzed(t, secondVersion()))
	after, err := store.Snapshot(ctx)
	if err != nil {
		t.Fatalf("Snapshot after replace: %v", err)
	}

	if v := before.Info().Version; v != FixtureVersion {
		t.Errorf("old snapshot: version %q, want %q", v, FixtureVersion)
	}
	if v := after.Info().Version; v != "fixture-2" {
		t.Errorf("new snapshot: version %q, want fixture-2", v)
	}
	if _, err := before.Resolve(ctx, "closures"); err != nil {
		t.Errorf("old snapshot lost closures: %v", err)
	}
	if _, err := before.Resolve(ctx, "Const Generics"); learngraph.ErrorCode(err) != learngraph.ENOTFOUND {
		t.Errorf("old snapshot resolves Const Generics: %v", err)
	}
	if _, err := after.Resolve(ctx, "closures"); learngraph.ErrorCode(err) != learngraph.ENOTFOUND {
		t.Errorf("new snapshot still resolves closures: %v", err)
	}
	if n, err := after.Resolve(ctx, "Const Generics"); err != nil || n.Ref().ID != "const-generics" {
		t.Errorf("new snapshot: Resolve(Const Generics) = %v, %v", n, err)
	}

	for _, tc := range []struct {
		snap  learngraph.Snapshot
		total int
		deps  []string
	}{
		{before, 15, []string{"procedural-macros", "associated-types", "zero-cost-abstractions", "generic-associated-types", "higher-ranked-trait-bounds"}},
		{after, 16, []string{"procedural-macros", "associated-types", "zero-cost-abstractions", "generic-associated-types", "higher-ranked-trait-bounds", "const-generics"}},
	} {
		page, err := tc.snap.Concepts(ctx, 1, "")
		if err != nil || page.Total != tc.total {
			t.Errorf("version %s: Total %d, %v; want %d", tc.snap.Info().Version, page.Total, err, tc.total)
		}
		lists, err := tc.snap.Related(ctx, learngraph.ConceptDependents, []string{"traits"})
		if err != nil {
			t.Fatalf("Related: %v", err)
		}
		var got []string
		for _, n := range lists[0] {
			got = append(got, n.Node.Ref().ID)
		}
		if len(got) != len(tc.deps) {
			t.Errorf("version %s: dependents of traits %q, want %q", tc.snap.Info().Version, got, tc.deps)
		}
		recs, err := tc.snap.NextUp(ctx, nil, 1, "")
		if err != nil || len(recs) != 1 || recs[0].Concept.Metrics.BlockingFactor != len(tc.deps)+3 {
			t.Errorf("version %s: NextUp = %+v, %v; want traits with its version's blocking factor", tc.snap.Info().Version, recs, err)
		}
	}
	findings, err := after.Findings(ctx)
	if err != nil || len(findings) == 0 || findings[0].Subjects[0] != "typestate" {
		t.Errorf("new snapshot: first finding %v, %v; want typestate's orphan warning", findings, err)
	}
}
