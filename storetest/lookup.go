package storetest

import (
	"slices"
	"testing"

	"learngraph"
)

func (f *fixture) testInfo(t *testing.T) {
	info := f.snap.Info()
	if info.Version != FixtureVersion {
		t.Errorf("Version %q, want %q", info.Version, FixtureVersion)
	}
	if !info.LoadedAt.Equal(FixtureLoadedAt) {
		t.Errorf("LoadedAt %v, want %v", info.LoadedAt, FixtureLoadedAt)
	}
	if want := []string{fixtureDoc, fixtureLinks}; !slices.Equal(info.Documents, want) {
		t.Errorf("Documents %q, want %q", info.Documents, want)
	}
	want := []learngraph.KindCount{
		{Kind: learngraph.KindConcept, Count: 15},
		{Kind: learngraph.KindTopic, Count: 4},
		{Kind: learngraph.KindPath, Count: 2},
		{Kind: learngraph.KindCrate, Count: 7},
		{Kind: learngraph.KindChallenge, Count: 4},
		{Kind: learngraph.KindPhase, Count: 2},
		{Kind: learngraph.KindCompetency, Count: 2},
	}
	if !slices.Equal(info.Counts, want) {
		t.Errorf("Counts %v, want %v", info.Counts, want)
	}
}

func (f *fixture) testResolve(t *testing.T) {
	const (
		concept = learngraph.KindConcept
		topic   = learngraph.KindTopic
		path    = learngraph.KindPath
		crate   = learngraph.KindCrate
		phase   = learngraph.KindPhase
		chall   = learngraph.KindChallenge
		comp    = learngraph.KindCompetency
	)
	tests := []struct {
		ref   string
		kinds []learngraph.Kind
		want  string
	}{
		{"generic-associated-types", nil, "Concept:generic-associated-types"},
		{"Generic Associated Types", nil, "Concept:generic-associated-types"},
		{"GATs", nil, "Concept:generic-associated-types"},
		{"gats", nil, "Concept:generic-associated-types"},
		{"GENERIC ASSOCIATED TYPES", nil, "Concept:generic-associated-types"},
		{"  HRTBs ", nil, "Concept:higher-ranked-trait-bounds"},
		{"zero-cost-abstractions", nil, "Concept:zero-cost-abstractions"}, // a concept wins over a topic
		{"Zero-Cost Abstractions", nil, "Concept:zero-cost-abstractions"},
		{"zero-cost-abstractions", []learngraph.Kind{topic}, "Topic:zero-cost-abstractions"},
		{"zero-cost-abstractions", []learngraph.Kind{topic, concept}, "Topic:zero-cost-abstractions"}, // the order asked for
		{"Macros", nil, "Topic:macros"},
		{"explore trait system", nil, "Topic:advanced-trait-usage"},
		{"Advanced Trait System", nil, "Topic:advanced-trait-usage"},
		{"web development", nil, "Topic:web-development"},
		{"web", nil, "DomainPath:web-development-path"},
		{"Blockchain Development Path", nil, "DomainPath:blockchain-development-path"},
		{"advanced-patterns--macros-and-metaprogramming", nil, "Concept:advanced-patterns--macros-and-metaprogramming"},
		{"async/await", nil, "Concept:async-await"},
		{"async-await", []learngraph.Kind{concept}, "Concept:async-await"},
		{"tokio", []learngraph.Kind{crate}, "Crate:tokio"},
		{"serde_json", []learngraph.Kind{crate}, "Crate:serde-json"},
		{"INK!", []learngraph.Kind{crate}, "Crate:ink"},
		{"phase-4", []learngraph.Kind{phase}, "Phase:phase-4"},
		{"advanced beginner", []learngraph.Kind{phase}, "Phase:phase-3"},
		{"Phase 4: Advanced (Months 6-12)", []learngraph.Kind{phase}, "Phase:phase-4"},
		{"async complexity", []learngraph.Kind{chall}, "Challenge:async-complexity"},
		{"can-write-declarative-and-procedural-macros", []learngraph.Kind{comp}, "Competency:can-write-declarative-and-procedural-macros"},
		{"Masters advanced trait usage including HRTBs and GATs", []learngraph.Kind{comp}, "Competency:masters-advanced-trait-usage-including-hrtbs-and-gats"},
		{"Web Development", []learngraph.Kind{crate, topic}, "Topic:web-development"}, // a category is not a crate
	}
	for _, tt := range tests {
		n, err := f.snap.Resolve(t.Context(), tt.ref, tt.kinds...)
		if err != nil {
			t.Errorf("Resolve(%q, %v): %v", tt.ref, tt.kinds, err)
			continue
		}
		if got := refs([]learngraph.Node{n})[0]; got != tt.want {
			t.Errorf("Resolve(%q, %v) = %s, want %s", tt.ref, tt.kinds, got, tt.want)
		}
	}
}

func (f *fixture) testResolveErrors(t *testing.T) {
	tests := []struct {
		ref   string
		kinds []learngraph.Kind
		want  wantError
	}{
		{"GAT", nil, notFound(`no concept, topic or path "GAT"; did you mean "GATs"?`, "GATs")},
		{"GAT", []learngraph.Kind{learngraph.KindConcept}, notFound(`no concept "GAT"; did you mean "GATs"?`, "GATs")},
		{"Procedural Macro", nil, notFound(`no concept, topic or path "Procedural Macro"; did you mean "Procedural Macros"?`, "Procedural Macros")},
		{"web dev", nil, notFound(`no concept, topic or path "web dev"; did you mean "Web Development" or "Web Development Path"?`,
			"Web Development", "Web Development Path")},
		{"closure", nil, notFound(`no concept, topic or path "closure"; did you mean "Closures"?`, "Closures")},
		{"tokio", nil, notFound(`no concept, topic or path "tokio"`)},
		{"qwertyuiop", nil, notFound(`no concept, topic or path "qwertyuiop"`)},
		{"tokyo", []learngraph.Kind{learngraph.KindCrate}, notFound(`no crate "tokyo"; did you mean "tokio"?`, "tokio")},
		{"Advanced Patterns", nil, advancedPatterns},
		{"Advanced Patterns", []learngraph.Kind{learngraph.KindConcept}, advancedPatterns},
		{"", nil, badInput},
		{"GATs", []learngraph.Kind{"Spaceship"}, badInput},
	}
	for _, tt := range tests {
		n, err := f.snap.Resolve(t.Context(), tt.ref, tt.kinds...)
		if err == nil {
			t.Errorf("Resolve(%q, %v) = %v, want error %s", tt.ref, tt.kinds, refs([]learngraph.Node{n}), tt.want.code)
			continue
		}
		tt.want.check(t, "Resolve("+tt.ref+")", err)
	}
}

// Text that breaks careless quoting (in Cypher, JSON, logs) comes back
// exactly as written, and finds its node.
func (f *fixture) testSpecialCharacters(t *testing.T) {
	want := f.node(learngraph.KindConcept, SpecialID)
	for _, ref := range []string{SpecialName, SpecialID, "'; DROP TABLE concepts; --"} {
		n, err := f.snap.Resolve(t.Context(), ref)
		if err != nil {
			t.Errorf("Resolve(%q): %v", ref, err)
			continue
		}
		if got := describe(n); got != describe(want) {
			t.Errorf("Resolve(%q)\n got %s\nwant %s", ref, got, describe(want))
		}
	}
	hits, err := f.snap.Search(t.Context(), `"return" {position}`, 5)
	if err != nil || len(hits) != 1 || hits[0].Node.Ref().ID != SpecialID {
		t.Errorf("Search for quoted words = %v, %v; want the special concept only", hits, err)
	}
}

// node returns the fixture's own node of kind with id.
func (f *fixture) node(kind learngraph.Kind, id string) learngraph.Node {
	for _, n := range learngraph.GraphNodes(f.curriculum.Graph, kind) {
		if n.Ref().ID == id {
			return n
		}
	}
	return nil
}

func (f *fixture) testNodes(t *testing.T) {
	tests := []struct {
		kind learngraph.Kind
		ids  []string
		want []string
	}{
		{learngraph.KindConcept, []string{"generic-associated-types", "nope", "traits", "generic-associated-types"},
			[]string{"Concept:generic-associated-types", "<nil>", "Concept:traits", "Concept:generic-associated-types"}},
		{learngraph.KindTopic, []string{"zero-cost-abstractions", "declarative-macros"}, []string{"Topic:zero-cost-abstractions", "<nil>"}},
		{learngraph.KindCrate, []string{"serde-json", "serde_json"}, []string{"Crate:serde-json", "<nil>"}}, // ids, not names
		{learngraph.KindPhase, []string{"phase-3"}, []string{"Phase:phase-3"}},
		{learngraph.KindConcept, nil, []string{}},
	}
	for _, tt := range tests {
		nodes, err := f.snap.Nodes(t.Context(), tt.kind, tt.ids)
		if err != nil {
			t.Errorf("Nodes(%s, %q): %v", tt.kind, tt.ids, err)
			continue
		}
		if got := refs(nodes); !slices.Equal(got, tt.want) {
			t.Errorf("Nodes(%s, %q) = %q, want %q", tt.kind, tt.ids, got, tt.want)
		}
		for _, n := range nodes {
			if n != nil && !isNilNode(n) && describe(n) != describe(f.node(n.Ref().Kind, n.Ref().ID)) {
				t.Errorf("Nodes: %s\n got %s\nwant %s", n.Ref(), describe(n), describe(f.node(n.Ref().Kind, n.Ref().ID)))
			}
		}
	}
	_, err := f.snap.Nodes(t.Context(), "Spaceship", []string{"x"})
	badInput.check(t, "Nodes(Spaceship)", err)
}

// All returns every node of each kind in document order, every field
// intact.
func (f *fixture) testAll(t *testing.T) {
	want := map[learngraph.Kind][]string{
		learngraph.KindPhase: {"phase-3", "phase-4"},
		learngraph.KindTopic: {"macros", "advanced-trait-usage", "zero-cost-abstractions", "web-development"},
		learngraph.KindConcept: {"closures", "traits", "lifetimes", "async-await", "declarative-macros", "procedural-macros",
			"advanced-patterns--macros-and-metaprogramming", "associated-types", "advanced-patterns--advanced-trait-system",
			"zero-cost-abstractions", "web-frameworks", "rest-apis", SpecialID, "generic-associated-types", "higher-ranked-trait-bounds"},
		learngraph.KindCrate: {"tokio", "syn", "quote", "libp2p", "axum", "serde-json", "ink"},
		learngraph.KindChallenge: {"build-a-domain-specific-language-dsl", "build-a-simple-blockchain-with-proof-of-work",
			"async-complexity", "trait-system-complexity"},
		learngraph.KindPath: {"web-development-path", "blockchain-development-path"},
		learngraph.KindCompetency: {"masters-advanced-trait-usage-including-hrtbs-and-gats",
			"can-write-declarative-and-procedural-macros"},
	}
	for _, kind := range learngraph.Kinds {
		nodes, err := f.snap.All(t.Context(), kind)
		if err != nil {
			t.Errorf("All(%s): %v", kind, err)
			continue
		}
		var got []string
		for _, n := range nodes {
			got = append(got, n.Ref().ID)
			if n.Ref().Kind != kind {
				t.Errorf("All(%s) holds a %s", kind, n.Ref().Kind)
			}
			if describe(n) != describe(f.node(kind, n.Ref().ID)) {
				t.Errorf("All(%s): %s\n got %s\nwant %s", kind, n.Ref().ID, describe(n), describe(f.node(kind, n.Ref().ID)))
			}
		}
		if !slices.Equal(got, want[kind]) {
			t.Errorf("All(%s) = %q, want %q", kind, got, want[kind])
		}
	}
	_, err := f.snap.All(t.Context(), "Spaceship")
	badInput.check(t, "All(Spaceship)", err)
}

// The metrics computed at load time come back with every concept.
func (f *fixture) testMetrics(t *testing.T) {
	want := map[string]learngraph.Metrics{
		"closures":           {BlockingFactor: 0, DelayFactor: 1, Centrality: 0, Complexity: 1},
		"traits":             {BlockingFactor: 8, DelayFactor: 5, Centrality: 0, Complexity: 13},
		"lifetimes":          {BlockingFactor: 3, DelayFactor: 3, Centrality: 0, Complexity: 6},
		"async-await":        {BlockingFactor: 2, DelayFactor: 3, Centrality: 0, Complexity: 5},
		"declarative-macros": {BlockingFactor: 2, DelayFactor: 5, Centrality: 5, Complexity: 7},
		"procedural-macros":  {BlockingFactor: 1, DelayFactor: 5, Centrality: 8, Complexity: 6},
		"advanced-patterns--macros-and-metaprogramming": {BlockingFactor: 0, DelayFactor: 5, Centrality: 0, Complexity: 5},
		"associated-types":                         {BlockingFactor: 2, DelayFactor: 4, Centrality: 4, Complexity: 6},
		"advanced-patterns--advanced-trait-system": {BlockingFactor: 0, DelayFactor: 4, Centrality: 0, Complexity: 4},
		"zero-cost-abstractions":                   {BlockingFactor: 3, DelayFactor: 5, Centrality: 5, Complexity: 8},
		"web-frameworks":                           {BlockingFactor: 1, DelayFactor: 3, Centrality: 3, Complexity: 4},
		"rest-apis":                                {BlockingFactor: 0, DelayFactor: 3, Centrality: 0, Complexity: 3},
		SpecialID:                                  {BlockingFactor: 0, DelayFactor: 1, Centrality: 0, Complexity: 1},
		"generic-associated-types":                 {BlockingFactor: 1, DelayFactor: 4, Centrality: 10, Complexity: 5},
		"higher-ranked-trait-bounds":               {BlockingFactor: 1, DelayFactor: 3, Centrality: 6, Complexity: 4},
	}
	page, err := f.snap.Concepts(t.Context(), 100, "")
	if err != nil {
		t.Fatalf("Concepts: %v", err)
	}
	for _, c := range page.Concepts {
		if c.Metrics != want[c.ID] {
			t.Errorf("%s: metrics %+v, want %+v", c.ID, c.Metrics, want[c.ID])
		}
	}
}

func (f *fixture) testConcepts(t *testing.T) {
	ctx := t.Context()
	var pages [][]string
	after := ""
	for range 10 {
		page, err := f.snap.Concepts(ctx, 6, after)
		if err != nil {
			t.Fatalf("Concepts(6, %q): %v", after, err)
		}
		if page.Total != 15 {
			t.Errorf("Total %d, want 15", page.Total)
		}
		pages = append(pages, conceptIDs(page.Concepts))
		if !page.HasNext {
			break
		}
		if page.EndCursor == "" {
			t.Fatal("HasNext without an EndCursor")
		}
		after = page.EndCursor
	}
	want := [][]string{
		{"closures", "traits", "lifetimes", "async-await", "declarative-macros", "procedural-macros"},
		{"advanced-patterns--macros-and-metaprogramming", "associated-types", "advanced-patterns--advanced-trait-system",
			"zero-cost-abstractions", "web-frameworks", "rest-apis"},
		{SpecialID, "generic-associated-types", "higher-ranked-trait-bounds"},
	}
	if !slices.EqualFunc(pages, want, slices.Equal) {
		t.Errorf("pages %q, want %q", pages, want)
	}

	// A page that ends exactly at the last concept has no next page.
	page, err := f.snap.Concepts(ctx, 15, "")
	if err != nil || len(page.Concepts) != 15 || page.HasNext {
		t.Errorf("Concepts(15) = %d concepts, HasNext %v, %v; want 15, false", len(page.Concepts), page.HasNext, err)
	}
	page, err = f.snap.Concepts(ctx, 0, "")
	if err != nil || len(page.Concepts) != 0 || !page.HasNext || page.Total != 15 {
		t.Errorf("Concepts(0) = %+v, %v; want no concepts, HasNext, Total 15", page, err)
	}

	for _, bad := range []string{"bogus", "Y29uY2VwdDpub3BlCg", learngraph.ConceptCursor("no-such-concept")} {
		_, err := f.snap.Concepts(ctx, 5, bad)
		badInput.check(t, "Concepts after "+bad, err)
	}
	_, err = f.snap.Concepts(ctx, -1, "")
	badInput.check(t, "Concepts(-1)", err)
}

func (f *fixture) testCrate(t *testing.T) {
	for _, name := range []string{"serde_json", "serde-json", "SERDE_JSON", " Serde_Json "} {
		c, err := f.snap.Crate(t.Context(), name)
		if err != nil || c.ID != "serde-json" || c.Name != "serde_json" {
			t.Errorf("Crate(%q) = %+v, %v; want serde_json", name, c, err)
		}
	}
	c, err := f.snap.Crate(t.Context(), "libp2p")
	if err != nil {
		t.Fatalf("Crate(libp2p): %v", err)
	}
	if c.Category != "Networking" || !slices.Equal(c.Categories, []string{"Networking", "Blockchain"}) {
		t.Errorf("libp2p: category %q, categories %q; want Networking, [Networking Blockchain]", c.Category, c.Categories)
	}
	_, err = f.snap.Crate(t.Context(), "tokyo")
	notFound(`no crate "tokyo"; did you mean "tokio"?`, "tokio").check(t, "Crate(tokyo)", err)
	_, err = f.snap.Crate(t.Context(), "Generic Associated Types")
	notFound(`no crate "Generic Associated Types"`).check(t, "Crate(concept name)", err)
}
