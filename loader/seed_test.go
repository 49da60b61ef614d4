package loader_test

import (
	"os"
	"slices"
	"testing"

	"learngraph"
	"learngraph/loader"
)

// keyConceptSections are the ### headings of the seed's Key Concepts
// Covered, with how many concepts each lists.
var keyConceptSections = map[string]int{
	"Macros and Metaprogramming":     4,
	"Advanced Async Programming":     5,
	"Performance Optimization":       5,
	"Advanced Trait System":          5,
	"Ecosystem Mastery":              5,
	"Web Development Specialization": 7,
}

func TestLoadSeed(t *testing.T) {
	g := mustLoad(t, seedFS(t, nil))

	t.Run("Counts", func(t *testing.T) {
		perSection := map[string]int{}
		for _, c := range g.Concepts {
			if _, ok := keyConceptSections[c.Section]; ok {
				perSection[c.Section]++
			}
		}
		for section, want := range keyConceptSections {
			if got := perSection[section]; got != want {
				t.Errorf("key concepts under %q = %d, want %d", section, got, want)
			}
		}
		kinds := map[learngraph.ChallengeKind]int{}
		for _, c := range g.Challenges {
			kinds[c.Kind]++
		}
		for _, tc := range []struct {
			what      string
			got, want int
		}{
			{"topics", len(g.Topics), 11},
			// 31 key concepts + 8 named by Prerequisites + 20 domain path
			// items + GATs, declared by the links file.
			{"concepts", len(g.Concepts), 60},
			// 43 crate names in the document, libp2p twice.
			{"crates", len(g.Crates), 42},
			{"projects", kinds[learngraph.Project], 35},
			{"capstones", kinds[learngraph.Capstone], 5},
			{"pitfalls", kinds[learngraph.Pitfall], 5},
			{"paths", len(g.Paths), 5},
			{"competencies", len(g.Competencies), 6},
			{"phases", len(g.Phases), 4},
			{"warnings", len(g.Warnings), 0},
		} {
			if tc.got != tc.want {
				t.Errorf("%s = %d, want %d", tc.what, tc.got, tc.want)
			}
		}
		for _, w := range g.Warnings {
			t.Errorf("unexpected warning: %v", w)
		}
	})

	t.Run("Phases", func(t *testing.T) {
		p4 := byID(t, g.Phases, "phase-4")
		if p4.Number != 4 || p4.Name != "Advanced" || p4.Title != "Phase 4: Advanced (Months 6-12)" {
			t.Errorf("phase-4 = %d %q %q", p4.Number, p4.Name, p4.Title)
		}
		if p4.File != seedDoc || p4.Line != 1 {
			t.Errorf("phase-4 source = %s:%d", p4.File, p4.Line)
		}
		if want := "This phase focuses on advanced Rust concepts"; len(p4.Overview) < len(want) || p4.Overview[:len(want)] != want {
			t.Errorf("overview = %q", p4.Overview)
		}
		if len(p4.Prerequisites) != 4 || p4.Prerequisites[0] != "Completed Phase 1-3 (Foundation, Intermediate, Advanced Beginner)" {
			t.Errorf("prerequisites = %q", p4.Prerequisites)
		}
		if len(p4.Takeaways) != 8 || p4.Takeaways[0] != "Macro Mastery: Metaprogramming opens powerful abstraction possibilities" {
			t.Errorf("takeaways = %q", p4.Takeaways)
		}
		if len(p4.NextSteps) != 5 || p4.NextSteps[3] != "Mentor Others: Help newcomers learn Rust" {
			t.Errorf("next steps = %q", p4.NextSteps)
		}
		if p4.Approach != "Each section includes practical examples and projects:" {
			t.Errorf("approach = %q", p4.Approach)
		}
		for i, name := range []string{"Foundation", "Intermediate", "Advanced Beginner"} {
			id := phaseIDOf(i + 1)
			p := byID(t, g.Phases, id)
			if p.Name != name || p.Title != "" || p.Number != i+1 {
				t.Errorf("%s = %d %q %q, want %q known only by name", id, p.Number, p.Name, p.Title, name)
			}
			if _, ok := findLink(g, learngraph.BuildsOn, phase("phase-4"), phase(id)); !ok {
				t.Errorf("phase-4 does not BUILD_ON %s", id)
			}
		}
		if ids := ids(g.Phases); !slices.Equal(ids, []string{"phase-1", "phase-2", "phase-3", "phase-4"}) {
			t.Errorf("phases = %v", ids)
		}
	})

	t.Run("Topics", func(t *testing.T) {
		for _, tc := range []struct {
			id, group, desc string
			line, step      int
		}{
			{"macros", "Advanced Concepts", "Declarative and procedural metaprogramming", 9, 1},
			{"advanced-trait-usage", "Advanced Concepts", "Associated types, HRTBs, and complex trait relationships", 12, 4},
			{"project-organization", "Ecosystem Mastery", "Cargo workspaces and advanced project structure", 16, 5},
			{"network-programming", "Specialized Domains", "Protocol implementation and distributed systems", 23, 6},
		} {
			tp := byID(t, g.Topics, tc.id)
			if tp.Group != tc.group || tp.Description != tc.desc || tp.Line != tc.line || tp.StudyStep != tc.step || tp.Phase != "phase-4" {
				t.Errorf("topic %s = group %q desc %q line %d step %d phase %q", tc.id, tp.Group, tp.Description, tp.Line, tp.StudyStep, tp.Phase)
			}
			if _, ok := findLink(g, learngraph.PartOf, topic(tc.id), phase("phase-4")); !ok {
				t.Errorf("topic %s is not PART_OF phase-4", tc.id)
			}
		}
		pc := byID(t, g.Topics, "popular-crates")
		if pc.Description != "The crates most Rust services depend on." {
			t.Errorf("popular-crates description = %q", pc.Description)
		}
		if c := byID(t, g.Concepts, "serialization"); c.Topic != "popular-crates" {
			t.Errorf("serialization topic = %q, want popular-crates from the links file", c.Topic)
		}
		if _, ok := findLink(g, learngraph.Covers, pc.Ref(), concept("http-clients")); !ok {
			t.Error("popular-crates does not COVER http-clients")
		}
		if got := byID(t, g.Topics, "advanced-trait-usage").Aliases; !slices.Contains(got, "Explore Trait System") {
			t.Errorf("advanced-trait-usage aliases = %q", got)
		}
		// Step 5 names two topics through study_order; each FOLLOWS step 4.
		for _, id := range []string{"popular-crates", "project-organization"} {
			if _, ok := findLink(g, learngraph.Follows, topic(id), topic("advanced-trait-usage")); !ok {
				t.Errorf("%s does not FOLLOW advanced-trait-usage", id)
			}
		}
		if _, ok := findLink(g, learngraph.Follows, topic("advanced-async-patterns"), topic("macros")); !ok {
			t.Error("advanced-async-patterns does not FOLLOW macros")
		}
	})

	t.Run("Concepts", func(t *testing.T) {
		for _, tc := range []struct {
			id, name, desc, section, topic string
			line                           int
		}{
			{"declarative-macros", "Declarative Macros", "Pattern matching and code generation with `macro_rules!`", "Macros and Metaprogramming", "macros", 45},
			{"advanced-patterns--macros-and-metaprogramming", "Advanced Patterns", "State machines, DSLs, and compile-time validation", "Macros and Metaprogramming", "macros", 47},
			{"advanced-patterns--advanced-trait-system", "Advanced Patterns", "Phantom types, sealed traits, type-level programming", "Advanced Trait System", "advanced-trait-usage", 68},
			{"higher-ranked-trait-bounds", "Higher-Ranked Trait Bounds", "Working with any lifetime", "Advanced Trait System", "advanced-trait-usage", 66},
			{"zero-cost-abstractions", "Zero-Cost Abstractions", "High-level code with no runtime overhead", "Performance Optimization", "zero-cost-abstractions", 58},
			{"project-organization", "Project Organization", "Workspaces, publishing, and documentation", "Ecosystem Mastery", "", 76},
			{"deployment", "Deployment", "Containerization and production configuration", "Web Development Specialization", "web-development", 85},
		} {
			c := byID(t, g.Concepts, tc.id)
			if c.Name != tc.name || c.Description != tc.desc || c.Section != tc.section || c.Topic != tc.topic || c.Line != tc.line || c.File != seedDoc {
				t.Errorf("concept %s = %q %q section %q topic %q at %s:%d", tc.id, c.Name, c.Description, c.Section, c.Topic, c.File, c.Line)
			}
			if !c.Taught || c.Phase != "phase-4" || c.Pos.Phase != 4 || c.Pos.File != 0 {
				t.Errorf("concept %s taught %v phase %q pos %v", tc.id, c.Taught, c.Phase, c.Pos)
			}
			if tc.topic != "" {
				if _, ok := findLink(g, learngraph.Covers, topic(tc.topic), concept(tc.id)); !ok {
					t.Errorf("%s does not COVER %s", tc.topic, tc.id)
				}
			}
		}
		if hasNode(g.Concepts, "advanced-patterns") {
			t.Error("bare advanced-patterns exists next to the two split ids")
		}
	})

	t.Run("Prerequisites", func(t *testing.T) {
		for _, name := range []string{"ownership", "lifetimes", "concurrency", "traits", "generics", "error handling", "async/await", "basic Tokio usage"} {
			id := learngraph.Slug(name)
			c := byID(t, g.Concepts, id)
			if c.Name != name || c.Taught || c.Phase != "" || c.Pos.Phase != 0 || c.File != seedDoc {
				t.Errorf("prerequisite %s = %q taught %v phase %q pos %v file %s", id, c.Name, c.Taught, c.Phase, c.Pos, c.File)
			}
			if _, ok := findLink(g, learngraph.Assumes, phase("phase-4"), concept(id)); !ok {
				t.Errorf("phase-4 does not ASSUME %s", id)
			}
		}
		if c := byID(t, g.Concepts, "ownership"); !c.TaughtElsewhere || c.Description != "Every value has one owner; moves and borrows follow from it." || c.Line != 89 {
			t.Errorf("ownership = elsewhere %v %q line %d", c.TaughtElsewhere, c.Description, c.Line)
		}
	})

	t.Run("Crates", func(t *testing.T) {
		for _, tc := range []struct {
			id, name, category, desc string
			line                     int
		}{
			{"proc-macro2", "proc-macro2", "Core Language", "Procedural macro development", 164},
			{"syn", "syn", "Core Language", "Procedural macro development", 164},
			{"tokio", "tokio", "Core Language", "Async runtime and utilities", 165},
			{"serde-json", "serde_json", "Serialization and Data", "Format-specific serializers", 183},
			{"ink", "ink!", "Blockchain and Crypto", "Smart contract language", 207},
			{"cargo-deny", "cargo-deny", "Build and Deployment", "Dependency management policies", 220},
		} {
			c := byID(t, g.Crates, tc.id)
			if c.Name != tc.name || c.Category != tc.category || c.Description != tc.desc || c.Line != tc.line {
				t.Errorf("crate %s = %q %q %q line %d", tc.id, c.Name, c.Category, c.Description, c.Line)
			}
		}
		libp2p := byID(t, g.Crates, "libp2p")
		if libp2p.Category != "HTTP and Networking" || !slices.Equal(libp2p.Categories, []string{"HTTP and Networking", "Blockchain and Crypto"}) {
			t.Errorf("libp2p = %q %q", libp2p.Category, libp2p.Categories)
		}
		if _, ok := findLink(g, learngraph.Uses, concept("procedural-macros"), learngraph.NodeRef{Kind: learngraph.KindCrate, ID: "syn"}); !ok {
			t.Error("procedural-macros does not USE syn")
		}
	})

	t.Run("Challenges", func(t *testing.T) {
		for _, tc := range []struct {
			id, title                string
			kind                     learngraph.ChallengeKind
			desc, solution, tip, sec string
			topic                    string
			line                     int
		}{
			{"build-a-domain-specific-language-dsl", "Build a domain-specific language (DSL)", learngraph.Project, "", "", "", "Macro Projects", "macros", 107},
			{"build-a-distributed-task-queue-system", "Build a distributed task queue system", learngraph.Project, "", "", "", "Async Projects", "advanced-async-patterns", 112},
			{"p2p-file-sharing-system", "P2P file sharing system", learngraph.Project, "", "", "", "Network Programming Projects", "network-programming", 157},
			{"distributed-web-crawler", "Distributed Web Crawler", learngraph.Capstone, "Async, concurrent, with rate limiting and storage", "", "", "Capstone Project Ideas", "", 367},
			{"macro-development", "Macro Development", learngraph.Pitfall, "Complex syntax and error messages", "Start simple, use `cargo expand` for debugging", "Test macros extensively with edge cases", "Macro Development", "macros", 224},
			{"ecosystem-integration", "Ecosystem Integration", learngraph.Pitfall, "Version conflicts and feature flag management", "Use workspace dependencies and careful feature selection", "Keep dependencies minimal and well-documented", "Ecosystem Integration", "", 244},
		} {
			c := byID(t, g.Challenges, tc.id)
			if c.Title != tc.title || c.Kind != tc.kind || c.Description != tc.desc || c.Solution != tc.solution || c.Tip != tc.tip || c.Section != tc.sec || c.Topic != tc.topic || c.Line != tc.line || c.Phase != "phase-4" {
				t.Errorf("challenge %s = %q %s %q %q %q section %q topic %q line %d", tc.id, c.Title, c.Kind, c.Description, c.Solution, c.Tip, c.Section, c.Topic, c.Line)
			}
			if tc.topic != "" {
				if _, ok := findLink(g, learngraph.Practices, learngraph.NodeRef{Kind: learngraph.KindChallenge, ID: tc.id}, topic(tc.topic)); !ok {
					t.Errorf("%s does not PRACTISE %s", tc.id, tc.topic)
				}
			}
		}
		dsl := learngraph.NodeRef{Kind: learngraph.KindChallenge, ID: "build-a-domain-specific-language-dsl"}
		if _, ok := findLink(g, learngraph.Practices, dsl, concept("procedural-macros")); !ok {
			t.Error("the DSL project does not PRACTISE procedural-macros")
		}
	})

	t.Run("PathsAndCompetencies", func(t *testing.T) {
		bc := byID(t, g.Paths, "blockchain-development-path")
		if bc.Name != "Blockchain Development Path" || bc.Line != 402 || !slices.Equal(bc.Aliases, []string{"blockchain"}) ||
			bc.Description != "Cryptocurrencies, smart contracts and the networking under them." {
			t.Errorf("path = %q line %d aliases %q %q", bc.Name, bc.Line, bc.Aliases, bc.Description)
		}
		p2p := byID(t, g.Concepts, "p2p-networking")
		if p2p.Name != "P2P networking" || !p2p.Taught || p2p.Section != "Blockchain Development Path" || p2p.Line != 406 {
			t.Errorf("path item = %q taught %v section %q line %d", p2p.Name, p2p.Taught, p2p.Section, p2p.Line)
		}
		for _, to := range []learngraph.NodeRef{concept("p2p-networking"), topic("blockchain-development"), {Kind: learngraph.KindCrate, ID: "ink"}} {
			if _, ok := findLink(g, learngraph.Includes, bc.Ref(), to); !ok {
				t.Errorf("blockchain path does not INCLUDE %v", to)
			}
		}
		gats := byID(t, g.Competencies, "masters-advanced-trait-usage-including-hrtbs-and-gats")
		if gats.Text != "Masters advanced trait usage including HRTBs and GATs" || gats.Line != 362 || gats.Phase != "phase-4" {
			t.Errorf("competency = %q line %d phase %q", gats.Text, gats.Line, gats.Phase)
		}
		if _, ok := findLink(g, learngraph.Assesses, gats.Ref(), concept("generic-associated-types")); !ok {
			t.Error("competency does not ASSESS generic-associated-types (by its alias GATs)")
		}
	})

	t.Run("LinksFile", func(t *testing.T) {
		gat := byID(t, g.Concepts, "generic-associated-types")
		if !gat.Taught || gat.Phase != "phase-4" || gat.Topic != "advanced-trait-usage" || !slices.Equal(gat.Aliases, []string{"GATs", "GAT"}) || gat.File != "links.yaml" || gat.Line != 6 {
			t.Errorf("GATs = taught %v phase %q topic %q aliases %q at %s:%d", gat.Taught, gat.Phase, gat.Topic, gat.Aliases, gat.File, gat.Line)
		}
		if gat.Pos != (learngraph.Position{Phase: 4, File: 1, Index: 1}) {
			t.Errorf("GATs position = %+v", gat.Pos)
		}
		l, ok := findLink(g, learngraph.Requires, gat.Ref(), concept("associated-types"))
		if !ok || l.Reason != "A GAT is an associated type that takes generic parameters." || l.File != "links.yaml" || l.Line != 11 {
			t.Errorf("GATs REQUIRES associated-types = %v %+v", ok, l)
		}
		if !slices.Equal(g.Documents, []string{seedDoc, "links.yaml"}) {
			t.Errorf("documents = %q", g.Documents)
		}
	})
}

func TestLoadSeedVersion(t *testing.T) {
	a := mustLoad(t, seedFS(t, nil))
	b := mustLoad(t, seedFS(t, nil))
	if a.Version != b.Version {
		t.Errorf("version differs between two loads of the same files: %s, %s", a.Version, b.Version)
	}
	changed := mustLoad(t, seedFS(t, map[string]string{"links.yaml": string(readFile(t, "testdata/seed/links.yaml")) + "\n# edited\n"}))
	if changed.Version == a.Version {
		t.Error("version did not change when a file did")
	}
}

// TestLoadSeedsDirectory loads the real seeds directory: the document and
// the curated links.yaml must form a graph.
func TestLoadSeedsDirectory(t *testing.T) {
	g, err := loader.Load(os.DirFS("../seeds"))
	if err != nil {
		t.Fatalf("seeds do not load:\n%v", err)
	}
	if err := checkGraph(g); err != nil {
		t.Fatal(err)
	}
	for _, w := range g.Warnings {
		t.Logf("warning: %v", w)
	}
	if len(g.Topics) != 11 || len(g.Crates) != 42 || len(g.Challenges) != 45 {
		t.Errorf("seeds: %d topics, %d crates, %d challenges; want 11, 42, 45", len(g.Topics), len(g.Crates), len(g.Challenges))
	}
}

func phaseIDOf(n int) string { return "phase-" + string(rune('0'+n)) }

func ids[T learngraph.Node](nodes []T) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.Ref().ID
	}
	return out
}
