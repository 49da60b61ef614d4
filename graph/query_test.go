package graph_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
)

// TestQuery asks every root field of the schema against the seed
// curriculum and compares the answer with what the documents and the links
// file say. Expected values come from seeds/rust-phase-4-advanced.md and
// seeds/links.yaml, not from the server.
func TestQuery(t *testing.T) {
	h := newHandler(seedStore(t), nil, 0)
	tests := []struct {
		name  string
		query string
		want  string // the data, as JSON
	}{
		// concept(ref): case-insensitive by id, name or alias; null when unknown.
		{"ConceptByAlias", `{ concept(ref: "GATs") { id name description taught taughtElsewhere aliases section topic { id } phase { id } } }`,
			`{"concept": {"id": "generic-associated-types", "name": "Generic Associated Types",
			  "description": "Associated types with generic parameters of their own, lifetimes included, as in lending iterators.",
			  "taught": true, "taughtElsewhere": false, "aliases": ["GATs", "GAT"], "section": null,
			  "topic": {"id": "advanced-trait-usage"}, "phase": {"id": "phase-4"}}}`},
		{"ConceptByLowercaseAlias", `{ concept(ref: "gats") { id } }`, `{"concept": {"id": "generic-associated-types"}}`},
		{"ConceptByName", `{ concept(ref: "Generic Associated Types") { id } }`, `{"concept": {"id": "generic-associated-types"}}`},
		{"ConceptByUppercaseID", `{ concept(ref: "GENERIC-ASSOCIATED-TYPES") { id } }`, `{"concept": {"id": "generic-associated-types"}}`},
		{"ConceptUnknown", `{ concept(ref: "Macroz") { id } }`, `{"concept": null}`},
		{"ConceptKeyConcept", `{ concept(ref: "declarative macros") { id section topic { id } source { file line } } }`,
			`{"concept": {"id": "declarative-macros", "section": "Macros and Metaprogramming", "topic": {"id": "macros"},
			  "source": {"file": "rust-phase-4-advanced.md", "line": 45}}}`},
		{"ConceptPrerequisitesWithReasons", `{ concept(ref: "lifetimes") { taughtElsewhere prerequisites { id } requirements { concept { id } reason } } }`,
			`{"concept": {"taughtElsewhere": true, "prerequisites": [{"id": "ownership"}], "requirements": [{"concept": {"id": "ownership"},
			  "reason": "A lifetime is the span for which a borrow is valid, so it presupposes references and borrowing."}]}}`},
		{"ConceptDependents", `{ concept(ref: "Associated Types") { dependents { id } first: dependents(first: 1) { id } } }`,
			`{"concept": {"dependents": [{"id": "advanced-patterns--advanced-trait-system"}, {"id": "generic-associated-types"}],
			  "first": [{"id": "advanced-patterns--advanced-trait-system"}]}}`},
		{"ConceptCrates", `{ concept(ref: "Proc Macros") { crates { name } } }`,
			`{"concept": {"crates": [{"name": "proc-macro2"}, {"name": "quote"}, {"name": "syn"}]}}`},
		{"ConceptChallengesAndCompetencies", `{ concept(ref: "GATs") { challenges { id kind } competencies { text } paths { id } } }`,
			`{"concept": {"challenges": [{"id": "trait-system-complexity", "kind": "PITFALL"}],
			  "competencies": [{"text": "Masters advanced trait usage including HRTBs and GATs"}], "paths": []}}`},
		{"ConceptMetrics", `{ concept(ref: "GATs") { metrics { blockingFactor delayFactor centrality complexity } } }`,
			// A sink (nothing requires it) at the end of 3-concept chains
			// (ownership → lifetimes → GATs, traits → associated types → GATs).
			`{"concept": {"metrics": {"blockingFactor": 0, "delayFactor": 3, "centrality": 0, "complexity": 3}}}`},

		{"Topics", `{ topics { id } }`,
			`{"topics": [{"id": "macros"}, {"id": "advanced-async-patterns"}, {"id": "zero-cost-abstractions"}, {"id": "advanced-trait-usage"},
			  {"id": "popular-crates"}, {"id": "project-organization"}, {"id": "web-development"}, {"id": "systems-programming"},
			  {"id": "game-development"}, {"id": "blockchain-development"}, {"id": "network-programming"}]}`},

		// whyRequired: GATs require lifetimes directly (links.yaml).
		{"WhyRequiredDirect", `{ whyRequired(goal: "GATs", prerequisite: "lifetimes") { concept { id } reason layer requiredBy { id } isGoal } }`,
			`{"whyRequired": [
			  {"concept": {"id": "generic-associated-types"}, "reason": null, "layer": 0, "requiredBy": [], "isGoal": false},
			  {"concept": {"id": "lifetimes"}, "reason": "Lending iterators return items that borrow from the iterator, which needs a lifetime parameter on the associated type.", "layer": 1, "requiredBy": [], "isGoal": false}]}`},
		{"WhyRequiredChain", `{ whyRequired(goal: "gats", prerequisite: "Ownership") { concept { id } layer } }`,
			`{"whyRequired": [{"concept": {"id": "generic-associated-types"}, "layer": 0}, {"concept": {"id": "lifetimes"}, "layer": 1}, {"concept": {"id": "ownership"}, "layer": 2}]}`},
		{"WhyRequiredNone", `{ whyRequired(goal: "lifetimes", prerequisite: "GATs") { concept { id } } }`, `{"whyRequired": null}`},

		{"DomainPaths", `{ domainPaths { id name } }`,
			`{"domainPaths": [{"id": "web-development-path", "name": "Web Development Path"}, {"id": "systems-programming-path", "name": "Systems Programming Path"},
			  {"id": "game-development-path", "name": "Game Development Path"}, {"id": "blockchain-development-path", "name": "Blockchain Development Path"},
			  {"id": "data-engineering-path", "name": "Data Engineering Path"}]}`},
		// links.yaml: Blockchain Development Path crates [substrate, ink, sha2, ed25519-dalek, libp2p],
		// listed in document order (libp2p is first listed under HTTP and Networking).
		{"DomainPathCrates", `{ domainPath(ref: "blockchain") { id aliases crates { name } } }`,
			`{"domainPath": {"id": "blockchain-development-path", "aliases": ["blockchain"],
			  "crates": [{"name": "libp2p"}, {"name": "substrate"}, {"name": "ink!"}, {"name": "sha2"}, {"name": "ed25519-dalek"}]}}`},
		{"DomainPathContents", `{ domainPath(ref: "Game Development Path") { topics { id } concepts { id } challenges { id } } }`,
			`{"domainPath": {"topics": [{"id": "game-development"}],
			  "concepts": [{"id": "game-engines-bevy-amethyst"}, {"id": "graphics-programming-wgpu-vulkan"}, {"id": "physics-simulations"},
			    {"id": "audio-processing"}, {"id": "entity-component-system"}],
			  "challenges": [{"id": "2d-platformer-game-with-physics"}, {"id": "3d-scene-renderer-with-lighting"}, {"id": "multiplayer-game-with-networking"},
			    {"id": "entity-component-system-architecture"}, {"id": "game-engine"}]}}`},
		{"DomainPathUnknown", `{ domainPath(ref: "cooking") { id } }`, `{"domainPath": null}`},

		{"CratesByCategory", `{ crates(category: "blockchain and crypto") { name } }`,
			`{"crates": [{"name": "libp2p"}, {"name": "substrate"}, {"name": "ink!"}, {"name": "sha2"}, {"name": "ed25519-dalek"}]}`},
		{"CrateByName", `{ crate(name: "serde_json") { id name category categories description } }`,
			`{"crate": {"id": "serde-json", "name": "serde_json", "category": "Serialization and Data", "categories": ["Serialization and Data"],
			  "description": "Format-specific serializers"}}`},
		{"CrateByID", `{ crate(name: "SERDE-JSON") { name } }`, `{"crate": {"name": "serde_json"}}`},
		{"CrateTwoCategories", `{ crate(name: "libp2p") { category categories paths { id } } }`,
			`{"crate": {"category": "HTTP and Networking", "categories": ["HTTP and Networking", "Blockchain and Crypto"],
			  "paths": [{"id": "blockchain-development-path"}]}}`},
		{"CrateUnknown", `{ crate(name: "left-pad") { name } }`, `{"crate": null}`},

		{"ChallengesByConceptAndKind", `{ challenges(concept: "Procedural Macros", kind: PROJECT) { id } }`,
			`{"challenges": [{"id": "build-a-domain-specific-language-dsl"}, {"id": "create-custom-derive-macros-for-serialization"},
			  {"id": "implement-compile-time-validation-macros"}]}`},
		{"ChallengesCapstones", `{ challenges(kind: CAPSTONE) { title } }`,
			`{"challenges": [{"title": "Distributed Web Crawler"}, {"title": "Real-time Analytics Platform"}, {"title": "Microservices Platform"},
			  {"title": "Game Engine"}, {"title": "Blockchain Implementation"}]}`},
		{"Challenge", `{ challenge(id: "async-complexity") { title kind description solution tip topic { id } crates { name } } }`,
			`{"challenge": {"title": "Async Complexity", "kind": "PITFALL", "description": "Complex lifetime management in async code",
			  "solution": "Use owned data and message passing patterns", "tip": "Prefer channels over shared state with locks",
			  "topic": {"id": "advanced-async-patterns"}, "crates": [{"name": "tokio"}]}}`},
		{"ChallengeUnknown", `{ challenge(id: "nope") { id } }`, `{"challenge": null}`},

		{"Phases", `{ phases { id number name title buildsOn { id } } }`,
			`{"phases": [{"id": "phase-1", "number": 1, "name": "Foundation", "title": null, "buildsOn": []},
			  {"id": "phase-2", "number": 2, "name": "Intermediate", "title": null, "buildsOn": []},
			  {"id": "phase-3", "number": 3, "name": "Advanced Beginner", "title": null, "buildsOn": []},
			  {"id": "phase-4", "number": 4, "name": "Advanced", "title": "Phase 4: Advanced (Months 6-12)",
			   "buildsOn": [{"id": "phase-1"}, {"id": "phase-2"}, {"id": "phase-3"}]}]}`},
		{"PhaseByName", `{ phase(ref: "advanced") { id prerequisites competencies(first: 2) { text } } }`,
			`{"phase": {"id": "phase-4", "prerequisites": ["Completed Phase 1-3 (Foundation, Intermediate, Advanced Beginner)",
			  "Solid understanding of ownership, lifetimes, and concurrency", "Experience with traits, generics, and error handling",
			  "Familiarity with async/await and basic Tokio usage"],
			  "competencies": [{"text": "Can write complex declarative and procedural macros"}, {"text": "Understands advanced async patterns and can implement actors"}]}}`},

		{"LearnableTopic", `{ learnable(ref: "Macros") { __typename id } }`, `{"learnable": {"__typename": "Topic", "id": "macros"}}`},
		{"LearnablePath", `{ learnable(ref: "WEB") { __typename id } }`, `{"learnable": {"__typename": "DomainPath", "id": "web-development-path"}}`},
		{"LearnableConcept", `{ learnable(ref: "GAT") { __typename id } }`, `{"learnable": {"__typename": "Concept", "id": "generic-associated-types"}}`},
		{"TopicByAlias", `{ topic(ref: "Explore Trait System") { id name group studyStep follows { id } } }`,
			`{"topic": {"id": "advanced-trait-usage", "name": "Advanced Trait Usage", "group": "Advanced Concepts", "studyStep": 4,
			  "follows": [{"id": "zero-cost-abstractions"}]}}`},
		{"TopicConcepts", `{ topic(ref: "advanced-trait-usage") { concepts { id } } }`,
			`{"topic": {"concepts": [{"id": "associated-types"}, {"id": "higher-ranked-trait-bounds"}, {"id": "trait-objects"},
			  {"id": "advanced-patterns--advanced-trait-system"}, {"id": "trait-coherence"}, {"id": "generic-associated-types"}]}}`},

		{"Competencies", `{ competencies { id } }`,
			`{"competencies": [{"id": "can-write-complex-declarative-and-procedural-macros"}, {"id": "understands-advanced-async-patterns-and-can-implement-actors"},
			  {"id": "can-profile-and-optimize-rust-code-for-performance"}, {"id": "masters-advanced-trait-usage-including-hrtbs-and-gats"},
			  {"id": "integrates-popular-ecosystem-crates-effectively"}, {"id": "can-build-full-stack-web-applications-in-chosen-domain"}]}`},

		{"Curriculum", `{ curriculum { documents counts { kind count } } }`,
			// 31 Key Concepts + 8 Prerequisites + 20 path items + 15 concepts declared in links.yaml;
			// 35 projects + 5 capstones + 5 pitfalls; phases 1-3 known by name.
			`{"curriculum": {"documents": ["rust-phase-4-advanced.md", "links.yaml"],
			  "counts": [{"kind": "Concept", "count": 74}, {"kind": "Topic", "count": 11}, {"kind": "DomainPath", "count": 5},
			    {"kind": "Crate", "count": 42}, {"kind": "Challenge", "count": 45}, {"kind": "Phase", "count": 4}, {"kind": "Competency", "count": 6}]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := post(t, h, tt.query, nil)
			if len(resp.Errors) > 0 {
				t.Fatalf("errors: %+v", resp.Errors)
			}
			assertJSON(t, resp.Data, tt.want)
		})
	}
}

// assertJSON compares two JSON documents structurally.
func assertJSON(t *testing.T, got json.RawMessage, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("got invalid JSON %s: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want invalid JSON %s: %v", want, err)
	}
	if !reflect.DeepEqual(g, w) {
		gi, _ := json.MarshalIndent(g, "", "  ")
		wi, _ := json.MarshalIndent(w, "", "  ")
		t.Errorf("got\n%s\nwant\n%s", gi, wi)
	}
}

// TestStudyPlan checks the plan for GATs: everything it requires
// (associated types, lifetimes, generics, and what those require), each
// step after all of its prerequisites, ordered by layer, the goal last.
func TestStudyPlan(t *testing.T) {
	c := newClient(t)
	type step struct {
		Concept struct {
			ID            string
			Prerequisites []struct{ ID string }
		}
		Reason     *string
		Layer      int
		IsGoal     bool
		RequiredBy []struct{ ID string }
	}
	var resp struct {
		StudyPlan struct {
			Goal struct {
				Typename string `json:"__typename"`
				ID       string
			}
			Steps []step
		}
	}
	c.MustPost(`{ studyPlan(goal: "GATs") { goal { __typename id }
		steps { concept { id prerequisites { id } } reason layer isGoal requiredBy { id } } } }`, &resp)
	plan := resp.StudyPlan
	if plan.Goal.Typename != "Concept" || plan.Goal.ID != "generic-associated-types" {
		t.Errorf("goal = %+v", plan.Goal)
	}
	// links.yaml: GATs require associated types, lifetimes and generics;
	// associated types require traits; lifetimes require ownership.
	wantLayers := map[string]int{
		"ownership": 0, "traits": 0, "generics": 0,
		"lifetimes": 1, "associated-types": 1,
		"generic-associated-types": 2,
	}
	var ids []string
	seen := map[string]bool{}
	for i, s := range plan.Steps {
		ids = append(ids, s.Concept.ID)
		want, ok := wantLayers[s.Concept.ID]
		if !ok {
			t.Errorf("step %d: %s is not needed for GATs", i, s.Concept.ID)
		} else if s.Layer != want {
			t.Errorf("step %s: layer %d, want %d", s.Concept.ID, s.Layer, want)
		}
		for _, p := range s.Concept.Prerequisites {
			if !seen[p.ID] {
				t.Errorf("step %s comes before its prerequisite %s", s.Concept.ID, p.ID)
			}
		}
		if i > 0 && s.Layer < plan.Steps[i-1].Layer {
			t.Errorf("step %s (layer %d) after a step of layer %d", s.Concept.ID, s.Layer, plan.Steps[i-1].Layer)
		}
		if got, want := s.IsGoal, s.Concept.ID == "generic-associated-types"; got != want {
			t.Errorf("step %s: isGoal %v, want %v", s.Concept.ID, got, want)
		}
		if !s.IsGoal && (s.Reason == nil || *s.Reason == "") {
			t.Errorf("step %s has no reason", s.Concept.ID)
		}
		if !s.IsGoal && len(s.RequiredBy) == 0 {
			t.Errorf("step %s is required by nothing in the plan", s.Concept.ID)
		}
		seen[s.Concept.ID] = true
	}
	// Same layer: document order (the Prerequisites bullets, taught
	// elsewhere, come before this phase's key concepts), then id.
	want := []string{"ownership", "generics", "traits", "lifetimes", "associated-types", "generic-associated-types"}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("steps = %v, want %v", ids, want)
	}

	t.Run("Known", func(t *testing.T) {
		var resp struct {
			StudyPlan struct {
				Steps []struct{ Concept struct{ ID string } }
			}
		}
		// Knowing lifetimes implies knowing ownership.
		c.MustPost(`{ studyPlan(goal: "generic associated types", known: ["Lifetimes", "traits"]) { steps { concept { id } } } }`, &resp)
		var ids []string
		for _, s := range resp.StudyPlan.Steps {
			ids = append(ids, s.Concept.ID)
		}
		if want := []string{"generics", "associated-types", "generic-associated-types"}; !reflect.DeepEqual(ids, want) {
			t.Errorf("steps = %v, want %v", ids, want)
		}
	})
}

// TestNextUp checks recommendations for a learner who knows what the
// phase's prerequisites name: concepts whose prerequisites are all known
// (directly or through what the known concepts require), by blocking
// factor.
func TestNextUp(t *testing.T) {
	c := newClient(t)
	var resp struct {
		NextUp []struct {
			Concept struct {
				ID            string
				Prerequisites []struct{ ID string }
				Metrics       struct{ BlockingFactor int }
			}
			Unlocks []struct{ ID string }
			Reason  string
			Crates  []struct{ Name string }
		}
	}
	c.MustPost(`{ nextUp(known: ["ownership", "lifetimes", "traits", "async/await"]) {
		concept { id prerequisites { id } metrics { blockingFactor } } unlocks { id } reason crates { name } } }`, &resp)

	// What the four known concepts imply (links.yaml): async/await requires
	// concurrency (Send and Sync → Threads → Closures; Smart Pointers).
	known := map[string]bool{
		"ownership": true, "lifetimes": true, "traits": true, "async-await": true,
		"concurrency": true, "send-and-sync": true, "smart-pointers": true, "threads": true, "closures": true,
	}
	var ids []string
	for i, r := range resp.NextUp {
		ids = append(ids, r.Concept.ID)
		if known[r.Concept.ID] {
			t.Errorf("%s is already known", r.Concept.ID)
		}
		for _, p := range r.Concept.Prerequisites {
			if !known[p.ID] {
				t.Errorf("%s is not ready: %s is not known", r.Concept.ID, p.ID)
			}
		}
		if i > 0 && r.Concept.Metrics.BlockingFactor > resp.NextUp[i-1].Concept.Metrics.BlockingFactor {
			t.Errorf("%s ranks below a concept with a smaller blocking factor", r.Concept.ID)
		}
		if r.Reason == "" {
			t.Errorf("%s has no reason", r.Concept.ID)
		}
	}
	// The ready concepts with the largest blocking factors: structs and
	// enums (everything built on pattern matching and memory layout),
	// basic Tokio usage, generics, modules and crates, iterators.
	want := []string{"structs-and-enums", "basic-tokio-usage", "generics", "modules-and-crates", "iterators"}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("nextUp = %v, want %v", ids, want)
	}
	if len(resp.NextUp) > 1 {
		tokio := resp.NextUp[1]
		if len(tokio.Crates) != 1 || tokio.Crates[0].Name != "tokio" {
			t.Errorf("basic Tokio usage crates = %v, want [tokio]", tokio.Crates)
		}
	}

	t.Run("Path", func(t *testing.T) {
		var resp struct {
			NextUp []struct{ Concept struct{ ID string } }
		}
		c.MustPost(`{ nextUp(known: ["traits"], path: "blockchain", first: 10) { concept { id } } }`, &resp)
		// The only concept of the blockchain path whose prerequisites
		// are all known is Cryptographic Primitives (requires traits).
		if len(resp.NextUp) != 1 || resp.NextUp[0].Concept.ID != "cryptographic-primitives" {
			t.Errorf("nextUp on the blockchain path = %+v, want [cryptographic-primitives]", resp.NextUp)
		}
	})
}

// TestConcepts pages through every concept, by endCursor and by an edge
// cursor.
func TestConcepts(t *testing.T) {
	c := newClient(t)
	type page struct {
		Concepts struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage bool
				EndCursor   *string
			}
			Edges []struct {
				Cursor string
				Node   struct{ ID string }
			}
			Nodes []struct{ ID string }
		}
	}
	const q = `query($first: Int, $after: String) { concepts(first: $first, after: $after) {
		totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } nodes { id } } }`

	var all []string
	seen := map[string]bool{}
	var after any
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		var p page
		c.MustPost(q, &p, client.Var("first", 30), client.Var("after", after))
		cc := p.Concepts
		if cc.TotalCount != 74 {
			t.Errorf("totalCount = %d, want 74", cc.TotalCount)
		}
		if len(cc.Edges) != len(cc.Nodes) {
			t.Fatalf("%d edges but %d nodes", len(cc.Edges), len(cc.Nodes))
		}
		for i, e := range cc.Edges {
			if e.Node.ID != cc.Nodes[i].ID {
				t.Errorf("edge %d is %s, node %d is %s", i, e.Node.ID, i, cc.Nodes[i].ID)
			}
			if seen[e.Node.ID] {
				t.Errorf("%s on two pages", e.Node.ID)
			}
			seen[e.Node.ID] = true
			all = append(all, e.Node.ID)
		}
		if n := len(cc.Edges); n > 0 && (cc.PageInfo.EndCursor == nil || *cc.PageInfo.EndCursor != cc.Edges[n-1].Cursor) {
			t.Errorf("endCursor %v is not the last edge's cursor %q", cc.PageInfo.EndCursor, cc.Edges[n-1].Cursor)
		}
		if !cc.PageInfo.HasNextPage {
			break
		}
		after = *cc.PageInfo.EndCursor
	}
	if len(all) != 74 {
		t.Errorf("paged through %d concepts, want 74", len(all))
	}

	t.Run("EdgeCursor", func(t *testing.T) {
		var first, next page
		c.MustPost(q, &first, client.Var("first", 5), client.Var("after", nil))
		// Continue after the second edge: the page starts at the third.
		c.MustPost(q, &next, client.Var("first", 2), client.Var("after", first.Concepts.Edges[1].Cursor))
		got := []string{next.Concepts.Nodes[0].ID, next.Concepts.Nodes[1].ID}
		want := []string{first.Concepts.Nodes[2].ID, first.Concepts.Nodes[3].ID}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("after edge 1: %v, want %v", got, want)
		}
	})
}

// TestSearch checks that an exact alias ranks first.
func TestSearch(t *testing.T) {
	c := newClient(t)
	var resp struct {
		Search []struct {
			Score float64
			Item  struct {
				Typename string `json:"__typename"`
				ID       string
			}
		}
	}
	c.MustPost(`{ search(text: "GATs", first: 3) { score item { __typename
		... on Concept { id } ... on Topic { id } ... on Crate { id } ... on Challenge { id } ... on DomainPath { id } } } }`, &resp)
	if len(resp.Search) == 0 || len(resp.Search) > 3 {
		t.Fatalf("got %d hits, want 1 to 3", len(resp.Search))
	}
	if top := resp.Search[0].Item; top.Typename != "Concept" || top.ID != "generic-associated-types" {
		t.Errorf("top hit = %+v, want the concept generic-associated-types", top)
	}
	for i := 1; i < len(resp.Search); i++ {
		if resp.Search[i].Score > resp.Search[i-1].Score {
			t.Errorf("hit %d scores above hit %d", i, i-1)
		}
	}

	t.Run("Crate", func(t *testing.T) {
		var resp struct {
			Search []struct {
				Item struct {
					Typename string `json:"__typename"`
					Name     string
				}
			}
		}
		c.MustPost(`{ search(text: "tokio", first: 1) { item { __typename ... on Crate { name } ... on Concept { name } } } }`, &resp)
		if len(resp.Search) != 1 || resp.Search[0].Item.Typename != "Crate" || resp.Search[0].Item.Name != "tokio" {
			t.Errorf("search tokio = %+v, want the crate tokio first", resp.Search)
		}
	})
}

// TestGaps checks the gap report of the seed: no errors (it serves), and
// the phase's prerequisites, which the links file marks as taught
// elsewhere, are INFO findings with a place in a file.
func TestGaps(t *testing.T) {
	c := newClient(t)
	var resp struct {
		Gaps struct {
			ErrorCount   int
			WarningCount int
			InfoCount    int
			Findings     []struct {
				Kind     string
				Severity string
				Message  string
				Subjects []string
				File     *string
				Line     *int
			}
			Untaught []struct {
				Severity string
				Subjects []string
			}
			Errors []struct{ Kind string }
		}
	}
	c.MustPost(`{ gaps { errorCount warningCount infoCount findings { kind severity message subjects file line }
		untaught: findings(kind: UNTAUGHT_PREREQUISITE) { severity subjects }
		errors: findings(severity: ERROR) { kind } } }`, &resp)
	g := resp.Gaps
	if g.ErrorCount != 0 || len(g.Errors) != 0 {
		t.Errorf("errorCount = %d, errors = %v; the seed must serve", g.ErrorCount, g.Errors)
	}
	if got := g.ErrorCount + g.WarningCount + g.InfoCount; got != len(g.Findings) {
		t.Errorf("counts add up to %d, but there are %d findings", got, len(g.Findings))
	}
	untaught := map[string]bool{}
	for _, f := range g.Untaught {
		if f.Severity != "INFO" {
			t.Errorf("untaught prerequisite %v is %s; the links file marks it taught elsewhere", f.Subjects, f.Severity)
		}
		// The first subject is the prerequisite, the others require it.
		if len(f.Subjects) > 0 {
			untaught[f.Subjects[0]] = true
		}
	}
	for _, id := range []string{"ownership", "lifetimes", "traits", "generics", "async-await", "closures"} {
		if !untaught[id] {
			t.Errorf("no UNTAUGHT_PREREQUISITE finding for %s", id)
		}
	}
	for _, f := range g.Findings {
		if f.Message == "" || f.Kind == "" {
			t.Errorf("empty finding %+v", f)
		}
		if f.File != nil && (*f.File == "" || f.Line == nil || *f.Line < 1) {
			t.Errorf("finding %q has file %v but line %v", f.Message, f.File, f.Line)
		}
	}
}

// TestCompetencies checks what a competency assesses (links.yaml).
func TestCompetencies(t *testing.T) {
	c := newClient(t)
	var resp struct {
		Competencies []struct {
			Text     string
			Concepts []struct{ ID string }
			Topics   []struct{ ID string }
		}
	}
	c.MustPost(`{ competencies { text concepts { id } topics { id } } }`, &resp)
	for _, comp := range resp.Competencies {
		if !strings.Contains(comp.Text, "GATs") {
			continue
		}
		var ids []string
		for _, c := range comp.Concepts {
			ids = append(ids, c.ID)
		}
		want := []string{"associated-types", "higher-ranked-trait-bounds", "trait-objects", "trait-coherence", "generic-associated-types"}
		if !reflect.DeepEqual(ids, want) {
			t.Errorf("assesses concepts %v, want %v", ids, want)
		}
		if len(comp.Topics) != 1 || comp.Topics[0].ID != "advanced-trait-usage" {
			t.Errorf("assesses topics %v, want [advanced-trait-usage]", comp.Topics)
		}
		return
	}
	t.Error("no competency mentions GATs")
}

// TestCrates checks the full crate list: Tools and Crates Introduced
// names 43 crates, libp2p under two headings: 42 crates, each once.
func TestCrates(t *testing.T) {
	c := newClient(t)
	var resp struct {
		Crates []struct{ ID, Name, Category string }
	}
	c.MustPost(`{ crates { id name category } }`, &resp)
	if len(resp.Crates) != 42 {
		t.Errorf("%d crates, want 42", len(resp.Crates))
	}
	seen := map[string]bool{}
	for _, cr := range resp.Crates {
		if seen[cr.ID] {
			t.Errorf("crate %s listed twice", cr.ID)
		}
		seen[cr.ID] = true
		if cr.Category == "" {
			t.Errorf("crate %s has no category", cr.Name)
		}
	}
	if len(resp.Crates) > 0 && (resp.Crates[0].Name != "proc-macro2" || resp.Crates[len(resp.Crates)-1].Name != "cargo-deny") {
		t.Errorf("crates run from %s to %s, want proc-macro2 to cargo-deny (document order)", resp.Crates[0].Name, resp.Crates[len(resp.Crates)-1].Name)
	}
}
