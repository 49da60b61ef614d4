package learngraph_test

import (
	"reflect"
	"slices"
	"testing"

	"learngraph"
)

func TestSlug(t *testing.T) {
	tests := map[string]string{
		"Declarative Macros":              "declarative-macros",
		"async/await":                     "async-await",
		"ink!":                            "ink",
		"serde_json":                      "serde-json",
		"  Zero-Cost   Abstractions  ":    "zero-cost-abstractions",
		"Build a DSL (domain-specific)":   "build-a-dsl-domain-specific",
		"Phase 4: Advanced (Months 6-12)": "phase-4-advanced-months-6-12",
		"Ünïcode Café":                    "ünïcode-café",
		"!!!":                             "",
		"":                                "",
	}
	for in, want := range tests {
		if got := learngraph.Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func resolverGraph() *learngraph.Graph {
	concept := func(id, name string, aliases ...string) *learngraph.Concept {
		return &learngraph.Concept{ID: id, Name: name, Aliases: aliases}
	}
	return &learngraph.Graph{
		Concepts: []*learngraph.Concept{
			concept("generic-associated-types", "Generic Associated Types", "GATs"),
			concept("zero-cost-abstractions", "Zero-Cost Abstractions"),
			concept("advanced-patterns--macros", "Advanced Patterns"),
			concept("advanced-patterns--traits", "Advanced Patterns"),
			concept("declarative-macros", "Declarative Macros", "macros"),
			concept("procedural-macros", "Procedural Macros"),
		},
		Topics: []*learngraph.Topic{
			{ID: "zero-cost-abstractions", Name: "Zero-Cost Abstractions"},
			{ID: "macros", Name: "Macros"},
			{ID: "advanced-trait-usage", Name: "Advanced Trait Usage", Aliases: []string{"Explore Trait System"}},
		},
		Paths:  []*learngraph.DomainPath{{ID: "blockchain-development-path", Name: "Blockchain Development Path", Aliases: []string{"blockchain"}}},
		Crates: []*learngraph.Crate{{ID: "tokio", Name: "tokio"}, {ID: "serde-json", Name: "serde_json"}},
		Phases: []*learngraph.Phase{{ID: "phase-4", Name: "Advanced", Title: "Phase 4: Advanced (Months 6-12)"}},
	}
}

func TestResolve(t *testing.T) {
	r := learngraph.IndexGraph(resolverGraph())
	concept := func(id string) learngraph.NodeRef { return learngraph.NodeRef{Kind: learngraph.KindConcept, ID: id} }
	topic := func(id string) learngraph.NodeRef { return learngraph.NodeRef{Kind: learngraph.KindTopic, ID: id} }
	tests := []struct {
		ref   string
		kinds []learngraph.Kind
		want  learngraph.NodeRef
	}{
		{"generic-associated-types", nil, concept("generic-associated-types")},
		{"Generic Associated Types", nil, concept("generic-associated-types")},
		{"GATs", nil, concept("generic-associated-types")},
		{"  gats ", nil, concept("generic-associated-types")},
		{"GENERIC-ASSOCIATED-TYPES", nil, concept("generic-associated-types")},
		{"zero-cost-abstractions", nil, concept("zero-cost-abstractions")},                                   // a concept wins
		{"Zero-Cost Abstractions", nil, concept("zero-cost-abstractions")},                                   // by name too
		{"zero-cost-abstractions", []learngraph.Kind{learngraph.KindTopic}, topic("zero-cost-abstractions")}, // unless topics are asked for
		{"macros", nil, topic("macros")},                                                                     // an id beats a concept's alias
		{"macros", []learngraph.Kind{learngraph.KindConcept}, concept("declarative-macros")},
		{"explore trait system", nil, topic("advanced-trait-usage")},
		{"blockchain", nil, learngraph.NodeRef{Kind: learngraph.KindPath, ID: "blockchain-development-path"}},
		{"Serde_JSON", []learngraph.Kind{learngraph.KindCrate}, learngraph.NodeRef{Kind: learngraph.KindCrate, ID: "serde-json"}},
		{"serde-json", []learngraph.Kind{learngraph.KindCrate}, learngraph.NodeRef{Kind: learngraph.KindCrate, ID: "serde-json"}},
		{"advanced", []learngraph.Kind{learngraph.KindPhase}, learngraph.NodeRef{Kind: learngraph.KindPhase, ID: "phase-4"}},
		{"advanced-patterns--traits", nil, concept("advanced-patterns--traits")},
	}
	for _, tt := range tests {
		got, err := r.Resolve(tt.ref, tt.kinds...)
		if err != nil || got != tt.want {
			t.Errorf("Resolve(%q, %v) = %v, %v; want %v", tt.ref, tt.kinds, got, err, tt.want)
		}
	}
}

func TestResolveErrors(t *testing.T) {
	r := learngraph.IndexGraph(resolverGraph())
	tests := []struct {
		ref         string
		kinds       []learngraph.Kind
		code        learngraph.Code
		message     string
		suggestions []string
		candidates  []string
	}{
		{ref: "GAT", code: learngraph.ENOTFOUND, message: `no concept, topic or path "GAT"; did you mean "GATs"?`, suggestions: []string{"GATs"}},
		{ref: "GAT", kinds: []learngraph.Kind{learngraph.KindConcept}, code: learngraph.ENOTFOUND,
			message: `no concept "GAT"; did you mean "GATs"?`, suggestions: []string{"GATs"}},
		{ref: "tokyo", kinds: []learngraph.Kind{learngraph.KindCrate}, code: learngraph.ENOTFOUND,
			message: `no crate "tokyo"; did you mean "tokio"?`, suggestions: []string{"tokio"}},
		{ref: "tokio", code: learngraph.ENOTFOUND, message: `no concept, topic or path "tokio"`},
		{ref: "xyzzy", code: learngraph.ENOTFOUND, message: `no concept, topic or path "xyzzy"`},
		{ref: "Advanced Patterns", code: learngraph.EAMBIGUOUS,
			message:    `"Advanced Patterns" names 2 concepts (advanced-patterns--macros, advanced-patterns--traits); use an id`,
			candidates: []string{"advanced-patterns--macros", "advanced-patterns--traits"}},
		{ref: " ", code: learngraph.EINVALID, message: "empty ref: give an id, a name or an alias"},
	}
	for _, tt := range tests {
		_, err := r.Resolve(tt.ref, tt.kinds...)
		e, ok := err.(*learngraph.Error)
		if !ok {
			t.Errorf("Resolve(%q) error %v, want *Error", tt.ref, err)
			continue
		}
		if e.Code != tt.code || e.Message != tt.message || !slices.Equal(e.Suggestions, tt.suggestions) || !slices.Equal(e.Candidates, tt.candidates) {
			t.Errorf("Resolve(%q) = %+v\nwant code %s message %q suggestions %v candidates %v", tt.ref, e, tt.code, tt.message, tt.suggestions, tt.candidates)
		}
	}
}

func TestSuggest(t *testing.T) {
	node := func(id string) learngraph.NodeRef { return learngraph.NodeRef{Kind: learngraph.KindConcept, ID: id} }
	keys := []learngraph.SuggestKey{
		{Text: "abcd", Node: node("b-node")},
		{Text: "abce", Node: node("a-node")},
		{Text: "Procedural Macros", Node: node("procedural-macros")},
		{Text: "procedural-macros", Node: node("procedural-macros")},
		{Text: "Zero-Cost Abstractions", Node: node("zero-cost-abstractions")},
		{Text: "Zero-Cost Abstractions", Node: learngraph.NodeRef{Kind: learngraph.KindTopic, ID: "zero-cost-abstractions"}},
		{Text: "zero-cost-abstractions", Node: node("zero-cost-abstractions")},
	}
	for i := range 8 {
		keys = append(keys, learngraph.SuggestKey{Text: "item" + string(rune('a'+i)), Node: node("item-" + string(rune('h'-i)))})
	}
	tests := []struct {
		ref  string
		want []string
	}{
		{"abcx", []string{"abce", "abcd"}},                               // equal distance: by id
		{"proc", []string{"Procedural Macros"}},                          // contained; one suggestion per node
		{"procedural macro", []string{"Procedural Macros"}},              // closest key of the node
		{"zero-cost abstraction", []string{"Zero-Cost Abstractions"}},    // two nodes, one text
		{"itemz", []string{"itemh", "itemg", "itemf", "iteme", "itemd"}}, // at most five, by id
		{"qqqq", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := learngraph.Suggest(tt.ref, keys); !slices.Equal(got, tt.want) {
			t.Errorf("Suggest(%q) = %q, want %q", tt.ref, got, tt.want)
		}
	}
}

func TestRankSearch(t *testing.T) {
	nodes := []learngraph.Node{
		&learngraph.Concept{ID: "declarative-macros", Name: "Declarative Macros", Description: "Pattern matching with macro_rules"},
		&learngraph.Concept{ID: "procedural-macros", Name: "Procedural Macros", Aliases: []string{"proc macros"}},
		&learngraph.Topic{ID: "macros", Name: "Macros", Description: "Declarative and procedural metaprogramming"},
		&learngraph.Concept{ID: "zero-cost-abstractions", Name: "Zero-Cost Abstractions"},
		&learngraph.Topic{ID: "zero-cost-abstractions", Name: "Zero-Cost Abstractions"},
		&learngraph.Crate{ID: "syn", Name: "syn", Description: "Parse Rust code in procedural macros", Categories: []string{"Metaprogramming"}},
		&learngraph.Challenge{ID: "build-a-dsl", Title: "Build a DSL", Kind: learngraph.Project, Description: "Use macro_rules! to build a small language"},
		&learngraph.Challenge{ID: "async-complexity", Title: "Async Complexity", Kind: learngraph.Pitfall, Solution: "Structure tasks", Tip: "Use tokio-console"},
		&learngraph.Phase{ID: "phase-4", Name: "Macros"}, // never a search result
	}
	var items []learngraph.SearchItem
	for _, n := range nodes {
		if item, ok := learngraph.SearchItemOf(n); ok {
			items = append(items, item)
		}
	}
	type hit struct {
		kind  learngraph.Kind
		id    string
		score float64
	}
	tests := []struct {
		text string
		want []hit
	}{
		{"macros", []hit{{"Topic", "macros", 1}, {"Concept", "declarative-macros", 0.5}, {"Concept", "procedural-macros", 0.5}, {"Crate", "syn", 0.25}}},
		{"MACRO", []hit{{"Topic", "macros", 0.75}, {"Concept", "declarative-macros", 0.5}, {"Concept", "procedural-macros", 0.5},
			{"Challenge", "build-a-dsl", 0.25}, {"Crate", "syn", 0.25}}},
		{"zero-cost abstractions", []hit{{"Concept", "zero-cost-abstractions", 1}, {"Topic", "zero-cost-abstractions", 1}}},
		{"proc macros", []hit{{"Concept", "procedural-macros", 1}, {"Topic", "macros", 0.25}, {"Crate", "syn", 0.25}}},
		{"tokio console", []hit{{"Challenge", "async-complexity", 0.25}}},
		{"metaprogramming", []hit{{"Topic", "macros", 0.25}, {"Crate", "syn", 0.25}}},
		{"ru", nil}, // short words match whole words only
		{"rus", []hit{{"Crate", "syn", 0.25}}},
		{"  ", nil},
	}
	for _, tt := range tests {
		var got []hit
		for _, h := range learngraph.RankSearch(tt.text, items) {
			got = append(got, hit{h.Node.Ref().Kind, h.Node.Ref().ID, h.Score})
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("RankSearch(%q)\n got %v\nwant %v", tt.text, got, tt.want)
		}
	}
}

func TestConceptCursor(t *testing.T) {
	for _, id := range []string{"declarative-macros", "a", "advanced-patterns--macros"} {
		got, err := learngraph.ParseConceptCursor(learngraph.ConceptCursor(id))
		if err != nil || got != id {
			t.Errorf("round trip of %q = %q, %v", id, got, err)
		}
	}
	for _, bad := range []string{"", "bogus", "!!!", learngraph.ConceptCursor("")} {
		if _, err := learngraph.ParseConceptCursor(bad); learngraph.ErrorCode(err) != learngraph.EINVALID {
			t.Errorf("ParseConceptCursor(%q) error %v, want BAD_USER_INPUT", bad, err)
		}
	}
}

func TestLookup(t *testing.T) {
	r := learngraph.IndexGraph(resolverGraph())
	tests := []struct {
		ref  string
		want int
	}{
		{"GATs", 1},
		{"advanced patterns", 2},
		{"nope", 0},
		{"", 0},
	}
	for _, tt := range tests {
		if got := r.Lookup(tt.ref); len(got) != tt.want {
			t.Errorf("Lookup(%q) = %v, want %d nodes", tt.ref, got, tt.want)
		}
	}
}
