package storetest

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"learngraph"
)

func (f *fixture) testChallenges(t *testing.T) {
	const (
		dsl   = "build-a-domain-specific-language-dsl"
		chain = "build-a-simple-blockchain-with-proof-of-work"
	)
	tests := []struct {
		concept string
		kind    learngraph.ChallengeKind
		want    []string
	}{
		{"", "", []string{dsl, chain, "async-complexity", "trait-system-complexity"}},
		{"", learngraph.Pitfall, []string{"async-complexity", "trait-system-complexity"}},
		{"", learngraph.Capstone, []string{chain}},
		{"GATs", "", []string{"trait-system-complexity"}},
		{"Explore Trait System", "", []string{"trait-system-complexity"}}, // a topic
		{"zero-cost-abstractions", "", []string{chain}},                   // the concept, not the topic
		{"Macros", "", []string{dsl}},
		{"declarative macros", learngraph.Project, []string{dsl}},
		{"declarative macros", learngraph.Capstone, []string{}},
		{"closures", "", []string{}},
	}
	for _, tt := range tests {
		got, err := f.snap.Challenges(t.Context(), tt.concept, tt.kind)
		if err != nil {
			t.Errorf("Challenges(%q, %q): %v", tt.concept, tt.kind, err)
			continue
		}
		var ids []string
		for _, c := range got {
			ids = append(ids, c.ID)
		}
		if !slices.Equal(ids, tt.want) && !(len(ids) == 0 && len(tt.want) == 0) {
			t.Errorf("Challenges(%q, %q) = %q, want %q", tt.concept, tt.kind, ids, tt.want)
		}
	}
	c, err := f.snap.Challenges(t.Context(), "async/await", "")
	if err != nil || len(c) != 0 {
		t.Errorf("Challenges(async/await) = %v, %v; want none", c, err)
	}

	_, err = f.snap.Challenges(t.Context(), "Advanced Patterns", "")
	advancedPatterns.check(t, "Challenges(Advanced Patterns)", err)
	_, err = f.snap.Challenges(t.Context(), "GAT", "")
	notFound(`no concept or topic "GAT"; did you mean "GATs"?`, "GATs").check(t, "Challenges(GAT)", err)
	_, err = f.snap.Challenges(t.Context(), "", "QUIZ")
	badInput.check(t, "Challenges(kind QUIZ)", err)
}

// step is how the suite writes an expected plan or chain step.
type step struct {
	ID         string
	Layer      int
	Goal       bool
	Reason     string
	RequiredBy []string
}

func stepsOf(steps []learngraph.PlanStep) []step {
	out := []step{}
	for _, s := range steps {
		st := step{ID: s.Concept.ID, Layer: s.Layer, Goal: s.Goal, Reason: s.Reason}
		if len(s.RequiredBy) > 0 {
			st.RequiredBy = s.RequiredBy
		}
		out = append(out, st)
	}
	return out
}

func (f *fixture) testStudyPlan(t *testing.T) {
	const (
		gats     = "generic-associated-types"
		hrtbs    = "higher-ranked-trait-bounds"
		macroPat = "advanced-patterns--macros-and-metaprogramming"
		traitPat = "advanced-patterns--advanced-trait-system"
	)
	tests := []struct {
		name  string
		goal  string
		known []string
		want  string // the goal, "Kind:id"
		steps []step
	}{
		{"concept", macroPat, nil, "Concept:" + macroPat, []step{
			{"traits", 0, false, "Zero-Cost Abstractions: Zero-cost abstractions are built from generic traits.", []string{"zero-cost-abstractions", "procedural-macros"}},
			{"zero-cost-abstractions", 1, false, "Declarative Macros: Macros expand to code that costs nothing at runtime.", []string{"declarative-macros"}},
			{"declarative-macros", 2, false, "Procedural Macros: Procedural macros generate what declarative macros cannot express.", []string{"procedural-macros"}},
			{"procedural-macros", 3, false, "Advanced Patterns: State machines and DSLs are built with procedural macros.", []string{macroPat}},
			{macroPat, 4, true, "", nil},
		}},
		{"known concept", "GATs", []string{"traits"}, "Concept:" + gats, []step{
			{"lifetimes", 0, false, "Generic Associated Types: The common GAT is generic over a lifetime, as in lending iterators.", []string{gats}},
			{"associated-types", 0, false, "Generic Associated Types: A GAT is an associated type that takes generic parameters.", []string{gats}},
			{gats, 1, true, "", nil},
		}},
		{"topic", "Explore Trait System", nil, "Topic:advanced-trait-usage", []step{
			{"traits", 0, false, "Associated Types: An associated type is declared inside a trait.", []string{"associated-types", hrtbs, gats}},
			{"lifetimes", 0, false, "Higher-Ranked Trait Bounds: Bounds like for<'a> quantify over lifetimes.", []string{hrtbs, gats}},
			{"associated-types", 1, true, "", []string{gats}},
			{hrtbs, 1, true, "", []string{traitPat}},
			{gats, 2, true, "", []string{traitPat}},
			{traitPat, 3, true, "", nil},
		}},
		{"path", "web", nil, "DomainPath:web-development-path", []step{
			{"async-await", 0, false, "Web Frameworks: Handlers are async functions.", []string{"web-frameworks"}},
			{"web-frameworks", 1, true, "", []string{"rest-apis"}},
			{"rest-apis", 2, true, "", nil},
		}},
		{"topic with known prerequisites", "macros", []string{"Zero-Cost Abstractions"}, "Topic:macros", []step{
			{"declarative-macros", 0, true, "", []string{"procedural-macros"}},
			{"procedural-macros", 1, true, "", []string{macroPat}},
			{macroPat, 2, true, "", nil},
		}},
		{"known topic", traitPat, []string{"Macros"}, "Concept:" + traitPat, []step{
			{"lifetimes", 0, false, "Generic Associated Types: The common GAT is generic over a lifetime, as in lending iterators.", []string{gats, hrtbs}},
			{"associated-types", 0, false, "Generic Associated Types: A GAT is an associated type that takes generic parameters.", []string{gats}},
			{gats, 1, false, "Advanced Patterns: Advanced trait patterns lean on GATs.", []string{traitPat}},
			{hrtbs, 1, false, "Advanced Patterns: Advanced trait patterns use higher-ranked bounds.", []string{traitPat}},
			{traitPat, 2, true, "", nil},
		}},
		{"everything known", "Associated Types", []string{"GATs"}, "Concept:associated-types", []step{}},
		{"goal known itself", "closures", []string{"Closures"}, "Concept:closures", []step{}},
		{"goal with nothing to require", "closures", nil, "Concept:closures", []step{{"closures", 0, true, "", nil}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := f.snap.StudyPlan(t.Context(), tt.goal, tt.known)
			if err != nil {
				t.Fatalf("StudyPlan(%q, %q): %v", tt.goal, tt.known, err)
			}
			if got := refs([]learngraph.Node{plan.Goal})[0]; got != tt.want {
				t.Errorf("goal %s, want %s", got, tt.want)
			}
			if got := stepsOf(plan.Steps); !reflect.DeepEqual(got, tt.steps) {
				t.Errorf("steps\n got %+v\nwant %+v", got, tt.steps)
			}
		})
	}

	_, err := f.snap.StudyPlan(t.Context(), "nope", nil)
	notFound(`no concept, topic or path "nope"`).check(t, "StudyPlan(nope)", err)
	_, err = f.snap.StudyPlan(t.Context(), "Advanced Patterns", nil)
	advancedPatterns.check(t, "StudyPlan(Advanced Patterns)", err)
	_, err = f.snap.StudyPlan(t.Context(), "GATs", []string{"traits", "GAT"})
	notFound(`no concept, topic or path "GAT"; did you mean "GATs"?`, "GATs").check(t, "StudyPlan known GAT", err)
}

// rec is how the suite writes an expected recommendation.
type rec struct {
	ID      string
	Unlocks []string
	Reason  string
}

func recsOf(rs []learngraph.Recommendation) []rec {
	out := []rec{}
	for _, r := range rs {
		x := rec{ID: r.Concept.ID, Reason: r.Reason}
		if len(r.Unlocks) > 0 {
			x.Unlocks = conceptIDs(r.Unlocks)
		}
		out = append(out, x)
	}
	return out
}

func (f *fixture) testNextUp(t *testing.T) {
	none := "Needs no prerequisites."
	tests := []struct {
		name  string
		known []string
		first int
		path  string
		want  []rec
	}{
		{"nothing known", nil, 5, "", []rec{
			{"traits", []string{"associated-types", "zero-cost-abstractions"}, "Needs no prerequisites; unlocks Associated Types and Zero-Cost Abstractions; 8 concepts depend on it."},
			{"lifetimes", nil, "Needs no prerequisites; 3 concepts depend on it."},
			{"async-await", []string{"web-frameworks"}, "Needs no prerequisites; unlocks Web Frameworks; 2 concepts depend on it."},
			{"closures", nil, none},
			{SpecialID, nil, none},
		}},
		{"first", nil, 2, "", []rec{
			{"traits", []string{"associated-types", "zero-cost-abstractions"}, "Needs no prerequisites; unlocks Associated Types and Zero-Cost Abstractions; 8 concepts depend on it."},
			{"lifetimes", nil, "Needs no prerequisites; 3 concepts depend on it."},
		}},
		{"zero", nil, 0, "", []rec{}},
		{"ties by position", []string{"traits", "Associated Types"}, 5, "", []rec{
			{"lifetimes", []string{"generic-associated-types", "higher-ranked-trait-bounds"}, "Needs no prerequisites; unlocks Generic Associated Types and Higher-Ranked Trait Bounds; 3 concepts depend on it."},
			{"zero-cost-abstractions", []string{"declarative-macros"}, "Its prerequisite (traits) is known; unlocks Declarative Macros; 3 concepts depend on it."},
			{"async-await", []string{"web-frameworks"}, "Needs no prerequisites; unlocks Web Frameworks; 2 concepts depend on it."},
			{"closures", nil, none},
			{SpecialID, nil, none},
		}},
		{"implied by what is known", []string{"GATs"}, 3, "", []rec{
			{"zero-cost-abstractions", []string{"declarative-macros"}, "Its prerequisite (traits) is known; unlocks Declarative Macros; 3 concepts depend on it."},
			{"async-await", []string{"web-frameworks"}, "Needs no prerequisites; unlocks Web Frameworks; 2 concepts depend on it."},
			{"higher-ranked-trait-bounds", []string{"advanced-patterns--advanced-trait-system"}, "Its prerequisites (traits, lifetimes) are known; unlocks Advanced Patterns; 1 concept depends on it."},
		}},
		{"path, nothing ready", nil, 5, "web", []rec{}},
		{"path", []string{"async/await"}, 5, "Web Development Path", []rec{
			{"web-frameworks", []string{"rest-apis"}, "Its prerequisite (async/await) is known; unlocks REST APIs; 1 concept depends on it."},
		}},
		{"path of concepts", []string{"traits"}, 5, "blockchain", []rec{
			{"zero-cost-abstractions", []string{"declarative-macros"}, "Its prerequisite (traits) is known; unlocks Declarative Macros; 3 concepts depend on it."},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.snap.NextUp(t.Context(), tt.known, tt.first, tt.path)
			if err != nil {
				t.Fatalf("NextUp(%q, %d, %q): %v", tt.known, tt.first, tt.path, err)
			}
			if !reflect.DeepEqual(recsOf(got), tt.want) {
				t.Errorf("NextUp(%q, %d, %q)\n got %+v\nwant %+v", tt.known, tt.first, tt.path, recsOf(got), tt.want)
			}
		})
	}
	_, err := f.snap.NextUp(t.Context(), []string{"nope"}, 5, "")
	notFound(`no concept, topic or path "nope"`).check(t, "NextUp known nope", err)
	_, err = f.snap.NextUp(t.Context(), nil, 5, "Macros")
	notFound(`no path "Macros"`).check(t, "NextUp path Macros", err)
	_, err = f.snap.NextUp(t.Context(), nil, -1, "")
	badInput.check(t, "NextUp first -1", err)
}

func (f *fixture) testWhyRequired(t *testing.T) {
	const traitPat = "advanced-patterns--advanced-trait-system"
	tests := []struct {
		goal, prerequisite string
		want               []step
	}{
		{"advanced-patterns--macros-and-metaprogramming", "traits", []step{
			{ID: "advanced-patterns--macros-and-metaprogramming"},
			{ID: "procedural-macros", Layer: 1, Reason: "State machines and DSLs are built with procedural macros."},
			{ID: "traits", Layer: 2, Reason: "Derive macros implement traits."},
		}},
		// Through GATs or through HRTBs, both two edges long: the smaller
		// id sequence wins.
		{traitPat, "traits", []step{
			{ID: traitPat},
			{ID: "generic-associated-types", Layer: 1, Reason: "Advanced trait patterns lean on GATs."},
			{ID: "traits", Layer: 2, Reason: "GATs are declared in traits."},
		}},
		{traitPat, "lifetimes", []step{
			{ID: traitPat},
			{ID: "generic-associated-types", Layer: 1, Reason: "Advanced trait patterns lean on GATs."},
			{ID: "lifetimes", Layer: 2, Reason: "The common GAT is generic over a lifetime, as in lending iterators."},
		}},
		{"HRTBs", "traits", []step{
			{ID: "higher-ranked-trait-bounds"},
			{ID: "traits", Layer: 1, Reason: "An HRTB is a trait bound."},
		}},
		{"rest apis", "async/await", []step{
			{ID: "rest-apis"},
			{ID: "web-frameworks", Layer: 1, Reason: "A REST API is served by a web framework."},
			{ID: "async-await", Layer: 2, Reason: "Handlers are async functions."},
		}},
		{"traits", "advanced-patterns--macros-and-metaprogramming", nil}, // upwards
		{"closures", "traits", nil},
		{"GATs", "Generic Associated Types", nil},
	}
	for _, tt := range tests {
		chain, err := f.snap.WhyRequired(t.Context(), tt.goal, tt.prerequisite)
		if err != nil {
			t.Errorf("WhyRequired(%q, %q): %v", tt.goal, tt.prerequisite, err)
			continue
		}
		if tt.want == nil {
			if chain != nil {
				t.Errorf("WhyRequired(%q, %q) = %+v, want nil", tt.goal, tt.prerequisite, stepsOf(chain))
			}
			continue
		}
		if got := stepsOf(chain); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("WhyRequired(%q, %q)\n got %+v\nwant %+v", tt.goal, tt.prerequisite, got, tt.want)
		}
	}
	_, err := f.snap.WhyRequired(t.Context(), "nope", "traits")
	notFound(`no concept "nope"`).check(t, "WhyRequired(nope)", err)
	_, err = f.snap.WhyRequired(t.Context(), "GATs", "trait")
	notFound(`no concept "trait"; did you mean "traits"?`, "traits").check(t, "WhyRequired(GATs, trait)", err)
	_, err = f.snap.WhyRequired(t.Context(), "Advanced Patterns", "traits")
	advancedPatterns.check(t, "WhyRequired(Advanced Patterns)", err)
}

func (f *fixture) testSearch(t *testing.T) {
	tests := []struct {
		text  string
		first int
		want  []string // "Kind:id score"
	}{
		{"GATs", 10, []string{"Concept:generic-associated-types 1"}},
		{"macros", 10, []string{"Topic:macros 1", "Concept:declarative-macros 0.5", "Concept:procedural-macros 0.5", "Crate:syn 0.25"}},
		{"macros", 2, []string{"Topic:macros 1", "Concept:declarative-macros 0.5"}},
		{"zero-cost abstractions", 10, []string{"Concept:zero-cost-abstractions 1", "Topic:zero-cost-abstractions 1"}},
		{"WEB", 10, []string{"DomainPath:web-development-path 1", "Topic:web-development 0.75", "Concept:web-frameworks 0.75", "Crate:axum 0.25"}},
		{"serde_json", 10, []string{"Crate:serde-json 1"}},
		{"structured concurrency", 10, []string{"Challenge:async-complexity 0.25"}},
		{"blockchain", 10, []string{"DomainPath:blockchain-development-path 1", "Challenge:build-a-simple-blockchain-with-proof-of-work 0.5",
			"Crate:ink 0.25", "Crate:libp2p 0.25"}},
		{"nothing matches this", 10, []string{}},
		{"", 10, []string{}},
		{"macros", 0, []string{}},
	}
	for _, tt := range tests {
		hits, err := f.snap.Search(t.Context(), tt.text, tt.first)
		if err != nil {
			t.Errorf("Search(%q, %d): %v", tt.text, tt.first, err)
			continue
		}
		got := []string{}
		for _, h := range hits {
			got = append(got, refs([]learngraph.Node{h.Node})[0]+" "+strings.TrimRight(strings.TrimRight(formatScore(h.Score), "0"), "."))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Search(%q, %d)\n got %q\nwant %q", tt.text, tt.first, got, tt.want)
		}
	}
	_, err := f.snap.Search(t.Context(), "macros", -1)
	badInput.check(t, "Search first -1", err)
}

func (f *fixture) testFindings(t *testing.T) {
	const (
		doc   = fixtureDoc
		links = fixtureLinks
	)
	type row struct {
		Severity learngraph.Severity
		Kind     learngraph.FindingKind
		Subjects string
		File     string
		Line     int
	}
	want := []row{
		{"WARNING", "ORPHAN", "closures", links, 12},
		{"WARNING", "ORPHAN", SpecialID, doc, 95},
		{"WARNING", "PATH_WITHOUT_CHALLENGES", "web-development-path", doc, 88},
		{"WARNING", "PATH_WITHOUT_CRATES", "blockchain-development-path", doc, 92},
		{"WARNING", "STUDY_ORDER_VIOLATION", "declarative-macros zero-cost-abstractions", links, 26},
		{"WARNING", "UNRECOGNIZED_CONTENT", "", doc, 120},
		{"WARNING", "UNTAUGHT_PREREQUISITE", "async-await web-frameworks", doc, 5},
		{"INFO", "REDUNDANT_EDGE", "generic-associated-types traits associated-types", links, 6},
		{"INFO", "REDUNDANT_EDGE", "procedural-macros traits declarative-macros", links, 21},
		{"INFO", "UNTAUGHT_PREREQUISITE", "lifetimes generic-associated-types higher-ranked-trait-bounds", doc, 5},
		{"INFO", "UNTAUGHT_PREREQUISITE", "traits procedural-macros associated-types zero-cost-abstractions generic-associated-types higher-ranked-trait-bounds", doc, 5},
	}
	findings, err := f.snap.Findings(t.Context())
	if err != nil {
		t.Fatalf("Findings: %v", err)
	}
	var got []row
	for _, x := range findings {
		got = append(got, row{x.Severity, x.Kind, strings.Join(x.Subjects, " "), x.File, x.Line})
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("findings\n got %+v\nwant %+v", got, want)
	}
	// The messages are the ones computed at load time, unchanged.
	if len(findings) == len(f.curriculum.Findings) {
		for i, x := range findings {
			if x.Message != f.curriculum.Findings[i].Message {
				t.Errorf("finding %d message\n got %q\nwant %q", i, x.Message, f.curriculum.Findings[i].Message)
			}
		}
	}
}
