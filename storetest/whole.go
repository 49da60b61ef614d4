package storetest

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"learngraph"
)

// testWhole checks that a snapshot hands out the whole curriculum it was
// given: every node as it was, every relationship (requisites with where
// they were stated; a relationship stated twice may come back once per
// distinct reason), and the findings.
func (f *fixture) testWhole(t *testing.T) {
	got, err := f.snap.Curriculum(t.Context())
	if err != nil {
		t.Fatalf("Curriculum: %v", err)
	}
	want := f.curriculum
	if got.Version != want.Version || !slices.Equal(got.Documents, want.Documents) || !got.LoadedAt.Equal(want.LoadedAt) {
		t.Errorf("version %q documents %q loaded %v, want %q %q %v",
			got.Version, got.Documents, got.LoadedAt, want.Version, want.Documents, want.LoadedAt)
	}
	for _, kind := range learngraph.Kinds {
		g, w := learngraph.GraphNodes(got.Graph, kind), learngraph.GraphNodes(want.Graph, kind)
		slices.SortFunc(g, learngraph.CompareNodes) // in any order
		slices.SortFunc(w, learngraph.CompareNodes)
		if len(g) != len(w) {
			t.Errorf("%s: %d nodes, want %d", kind, len(g), len(w))
			continue
		}
		for i := range g {
			if !reflect.DeepEqual(g[i], w[i]) {
				t.Errorf("%s %d:\n got %+v\nwant %+v", kind, i, g[i], w[i])
			}
		}
	}
	if a, b := linkSet(got.Links), linkSet(want.Links); !reflect.DeepEqual(a, b) {
		for k := range b {
			if !a[k] {
				t.Errorf("missing link %s", k)
			}
		}
		for k := range a {
			if !b[k] {
				t.Errorf("extra link %s", k)
			}
		}
	}
	var warnings []learngraph.Finding
	for _, f := range want.Findings {
		if f.Kind.FromDocuments() {
			warnings = append(warnings, f)
		}
	}
	if gotW := slices.Clone(got.Warnings); len(gotW) != len(warnings) || !reflect.DeepEqual(sortedFindings(gotW), sortedFindings(warnings)) {
		t.Errorf("warnings\n got %+v\nwant %+v", got.Warnings, warnings)
	}
	if !reflect.DeepEqual(got.Findings, want.Findings) {
		t.Errorf("findings\n got %+v\nwant %+v", got.Findings, want.Findings)
	}
	// What an edit would do is computed from the whole curriculum, so it
	// must come out the same from the read-back as from what was loaded.
	change := learngraph.Change{
		Add:    []learngraph.EdgeEdit{{From: "closures", To: "traits", Reason: "Closures implement the Fn traits."}},
		Remove: []learngraph.EdgeEdit{{From: "GATs", To: "lifetimes"}},
	}
	fromStore, err := learngraph.Impact(got, change)
	if err != nil {
		t.Fatalf("Impact over the store's curriculum: %v", err)
	}
	fromLoaded, err := learngraph.Impact(want, change)
	if err != nil {
		t.Fatalf("Impact over the loaded curriculum: %v", err)
	}
	if !reflect.DeepEqual(fromStore, fromLoaded) {
		t.Errorf("impact over the store's curriculum\n%+v\nover the loaded one\n%+v", fromStore, fromLoaded)
	}
	if fromStore.PlanChangeCount == 0 || len(fromStore.EdgesRemoved) != 1 {
		t.Errorf("the edit changes no plan, or removes %d edges: %+v", len(fromStore.EdgesRemoved), fromStore)
	}

	again, err := f.snap.Curriculum(t.Context())
	if err != nil || !reflect.DeepEqual(again, got) {
		t.Errorf("a second call gave another curriculum: %v", err)
	}
}

// linkSet names each distinct link; requisites with where they were
// stated, since findings about an edge point there.
func linkSet(links []learngraph.Link) map[string]bool {
	set := map[string]bool{}
	for _, l := range links {
		key := fmt.Sprintf("%s %s:%s -> %s:%s %q", l.Rel, l.From.Kind, l.From.ID, l.To.Kind, l.To.ID, l.Reason)
		if l.Rel.IsRequisite() {
			key += fmt.Sprintf(" at %s:%d", l.Source.File, l.Source.Line)
		}
		set[key] = true
	}
	return set
}

func sortedFindings(fs []learngraph.Finding) []learngraph.Finding {
	learngraph.SortFindings(fs)
	return fs
}
