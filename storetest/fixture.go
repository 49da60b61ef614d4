package storetest

import (
	"time"

	"learngraph"
)

// The documents of the fixture curriculum.
const (
	fixtureDoc   = "rust-phase-4-advanced.md"
	fixtureLinks = "links.yaml"
)

// FixtureVersion is the Version of Fixture's graph.
const FixtureVersion = "fixture-1"

// FixtureLoadedAt is the load time Run gives the fixture curriculum.
var FixtureLoadedAt = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// SpecialName is a concept name full of what breaks careless quoting:
// quotes, backticks, braces and Cypher keywords. It must come back intact.
const SpecialName = "`impl Trait` in \"return\" {position}; MATCH (n) DETACH DELETE n"

// SpecialID is the id of the concept named SpecialName.
const SpecialID = "impl-trait-in-return-position-match-n-detach-delete-n"

// Fixture returns the small hand-written curriculum the conformance suite
// asserts exact answers on, modelled on the seed document: two phases (one
// known only by name), four topics in a study order, fifteen concepts
// (some taught elsewhere, some untaught, two sharing the name "Advanced
// Patterns", one sharing its id with a topic, one named SpecialName),
// seven crates (libp2p in two categories), challenges of every kind, two
// domain paths, two competencies and every kind of link. Each call builds
// fresh values, since Analyze writes metrics into the concepts.
//
// Its REQUIRES edges (dependent → prerequisite):
//
//	procedural-macros → declarative-macros, traits
//	advanced-patterns--macros-and-metaprogramming → procedural-macros
//	associated-types → traits
//	generic-associated-types → associated-types, lifetimes, traits
//	advanced-patterns--advanced-trait-system → higher-ranked-trait-bounds, generic-associated-types
//	higher-ranked-trait-bounds → lifetimes, traits
//	declarative-macros → zero-cost-abstractions → traits
//	rest-apis → web-frameworks → async-await
func Fixture() *learngraph.Graph {
	g := &learngraph.Graph{
		Documents: []string{fixtureDoc, fixtureLinks},
		Version:   FixtureVersion,
		Warnings: []learngraph.Finding{{
			Kind: learngraph.UnrecognizedContent, Severity: learngraph.SeverityWarning,
			Message: `section "Community Resources" is not understood; it was skipped`,
			Source:  docAt(120),
		}},
	}
	g.Phases = fixturePhases()
	g.Topics = fixtureTopics()
	g.Concepts = fixtureConcepts()
	g.Crates = fixtureCrates()
	g.Challenges = fixtureChallenges()
	g.Paths = fixturePaths()
	g.Competencies = fixtureCompetencies()
	g.Links = fixtureLinksList()
	return g
}

func docAt(line int) learngraph.Source   { return learngraph.Source{File: fixtureDoc, Line: line} }
func linksAt(line int) learngraph.Source { return learngraph.Source{File: fixtureLinks, Line: line} }
func inDoc(index int) learngraph.Position {
	return learngraph.Position{Phase: 4, File: 0, Index: index}
}

func fixturePhases() []*learngraph.Phase {
	return []*learngraph.Phase{
		{ID: "phase-4", Number: 4, Name: "Advanced", Title: "Phase 4: Advanced (Months 6-12)",
			Overview: "This phase focuses on advanced Rust concepts, ecosystem mastery, and specialized domain knowledge.",
			Prerequisites: []string{
				"Completed Phase 1-3 (Foundation, Intermediate, Advanced Beginner)",
				"Solid understanding of traits, lifetimes and async/await",
			},
			Approach:  "Build projects; read the source of popular crates.",
			Takeaways: []string{"Macros: code that writes code", "Traits: the heart of abstraction"},
			NextSteps: []string{"Contribute to open source projects"},
			Pos:       inDoc(0), Source: docAt(1)},
		{ID: "phase-3", Number: 3, Name: "Advanced Beginner", Pos: learngraph.Position{Phase: 3}},
	}
}

func fixtureTopics() []*learngraph.Topic {
	return []*learngraph.Topic{
		{ID: "web-development", Name: "Web Development", Description: "Modern web frameworks (Axum, Actix) and full-stack development",
			Group: "Specialized Domains", Phase: "phase-4", Pos: inDoc(13), Source: docAt(13)},
		{ID: "macros", Name: "Macros", Description: "Declarative and procedural metaprogramming",
			Group: "Advanced Concepts", Phase: "phase-4", StudyStep: 2, Pos: inDoc(10), Source: docAt(8)},
		{ID: "advanced-trait-usage", Name: "Advanced Trait Usage", Description: "Associated types, HRTBs, and complex trait relationships",
			Group: "Advanced Concepts", Phase: "phase-4", Aliases: []string{"Advanced Trait System", "Explore Trait System"},
			StudyStep: 1, Pos: inDoc(11), Source: docAt(9)},
		{ID: "zero-cost-abstractions", Name: "Zero-Cost Abstractions", Description: "Performance optimization techniques",
			Group: "Advanced Concepts", Phase: "phase-4", StudyStep: 3, Pos: inDoc(12), Source: docAt(10)},
	}
}

func fixtureConcepts() []*learngraph.Concept {
	taught := func(c *learngraph.Concept) *learngraph.Concept {
		c.Taught, c.Phase = true, "phase-4"
		return c
	}
	return []*learngraph.Concept{
		{ID: "traits", Name: "traits", Description: "Shared behaviour, declared once and implemented per type.",
			TaughtElsewhere: true, Pos: inDoc(1), Source: docAt(5)},
		{ID: "lifetimes", Name: "lifetimes", Description: "How long references stay valid.",
			TaughtElsewhere: true, Pos: inDoc(2), Source: docAt(5)},
		{ID: "async-await", Name: "async/await", Pos: inDoc(3), Source: docAt(5)},
		taught(&learngraph.Concept{ID: "declarative-macros", Name: "Declarative Macros",
			Description: "Pattern matching and code generation with `macro_rules!`",
			Section:     "Macros and Metaprogramming", Topic: "macros", Pos: inDoc(20), Source: docAt(40)}),
		taught(&learngraph.Concept{ID: "procedural-macros", Name: "Procedural Macros", Aliases: []string{"proc macros"},
			Description: "Function-like, derive, and attribute macros",
			Section:     "Macros and Metaprogramming", Topic: "macros", Pos: inDoc(21), Source: docAt(41)}),
		taught(&learngraph.Concept{ID: "advanced-patterns--macros-and-metaprogramming", Name: "Advanced Patterns",
			Description: "State machines, DSLs, and compile-time validation",
			Section:     "Macros and Metaprogramming", Topic: "macros", Pos: inDoc(22), Source: docAt(42)}),
		taught(&learngraph.Concept{ID: "associated-types", Name: "Associated Types",
			Description: "Types declared inside a trait and chosen by each implementation.",
			Section:     "Advanced Trait System", Topic: "advanced-trait-usage", Pos: inDoc(23), Source: docAt(45)}),
		taught(&learngraph.Concept{ID: "advanced-patterns--advanced-trait-system", Name: "Advanced Patterns",
			Description: "Type-level programming and sealed traits",
			Section:     "Advanced Trait System", Topic: "advanced-trait-usage", Pos: inDoc(24), Source: docAt(46)}),
		taught(&learngraph.Concept{ID: "zero-cost-abstractions", Name: "Zero-Cost Abstractions",
			Description: "High-level code with no runtime overhead",
			Section:     "Performance Optimization", Topic: "zero-cost-abstractions", Pos: inDoc(25), Source: docAt(49)}),
		taught(&learngraph.Concept{ID: "web-frameworks", Name: "Web Frameworks",
			Description: "Routing, extractors and middleware in Axum and Actix",
			Section:     "Web Development", Topic: "web-development", Pos: inDoc(26), Source: docAt(52)}),
		taught(&learngraph.Concept{ID: "rest-apis", Name: "REST APIs", Description: "Resources, verbs and status codes",
			Section: "Web Development Path", Pos: inDoc(60), Source: docAt(90)}),
		taught(&learngraph.Concept{ID: SpecialID, Name: SpecialName, Aliases: []string{"'; DROP TABLE concepts; --"},
			Description: "Quotes ' \" and backticks ` survive, as do {braces}, $params, \\backslashes, // comments and CALL db.labels() YIELD label RETURN label",
			Pos:         inDoc(61), Source: docAt(95)}),
		taught(&learngraph.Concept{ID: "generic-associated-types", Name: "Generic Associated Types", Aliases: []string{"GATs"},
			Description: "Associated types with generic parameters of their own, lifetimes included.",
			Topic:       "advanced-trait-usage", Pos: learngraph.Position{Phase: 4, File: 1, Index: 1}, Source: linksAt(3)}),
		taught(&learngraph.Concept{ID: "higher-ranked-trait-bounds", Name: "Higher-Ranked Trait Bounds", Aliases: []string{"HRTBs"},
			Description: "Trait bounds that hold for every lifetime: for<'a>.",
			Topic:       "advanced-trait-usage", Pos: learngraph.Position{Phase: 4, File: 1, Index: 2}, Source: linksAt(8)}),
		{ID: "closures", Name: "Closures", Description: "Anonymous functions that capture their environment.",
			TaughtElsewhere: true, Pos: learngraph.Position{Phase: 0, File: 1, Index: 3}, Source: linksAt(12)},
	}
}

func fixtureCrates() []*learngraph.Crate {
	crate := func(id, name, category, description string, index int, more ...string) *learngraph.Crate {
		return &learngraph.Crate{ID: id, Name: name, Category: category, Categories: append([]string{category}, more...),
			Description: description, Pos: inDoc(index), Source: docAt(60 + index)}
	}
	return []*learngraph.Crate{
		crate("tokio", "tokio", "Async Runtime", "Asynchronous runtime", 70),
		crate("syn", "syn", "Metaprogramming", "Parse Rust code in procedural macros", 71),
		crate("quote", "quote", "Metaprogramming", "Turn syntax trees back into tokens", 72),
		crate("libp2p", "libp2p", "Networking", "Peer-to-peer networking", 73, "Blockchain"),
		crate("axum", "axum", "Web Development", "Ergonomic web framework", 74),
		crate("serde-json", "serde_json", "Serialization", "JSON for serde", 75),
		crate("ink", "ink!", "Blockchain", "Smart contracts in Rust", 76),
	}
}

func fixtureChallenges() []*learngraph.Challenge {
	return []*learngraph.Challenge{
		{ID: "build-a-domain-specific-language-dsl", Title: "Build a domain-specific language (DSL)", Kind: learngraph.Project,
			Section: "Macro Projects", Topic: "macros", Phase: "phase-4", Pos: inDoc(80), Source: docAt(100)},
		{ID: "build-a-simple-blockchain-with-proof-of-work", Title: "Build a simple blockchain with proof of work", Kind: learngraph.Capstone,
			Description: "A chain of blocks, mined and verified.", Section: "Capstone Project Ideas", Phase: "phase-4",
			Pos: inDoc(81), Source: docAt(104)},
		{ID: "async-complexity", Title: "Async Complexity", Kind: learngraph.Pitfall,
			Description: "Managing complex async workflows and error handling",
			Solution:    "Use structured concurrency patterns and proper error propagation",
			Tip:         "Start with simple async patterns", Section: "Async Complexity", Phase: "phase-4",
			Pos: inDoc(82), Source: docAt(107)},
		{ID: "trait-system-complexity", Title: "Trait System Complexity", Kind: learngraph.Pitfall,
			Description: "Understanding advanced trait relationships and bounds",
			Solution:    "Start with simple traits and build up", Tip: "Read the compiler's error messages closely",
			Section: "Trait System Complexity", Topic: "advanced-trait-usage", Phase: "phase-4",
			Pos: inDoc(83), Source: docAt(112)},
	}
}

func fixturePaths() []*learngraph.DomainPath {
	return []*learngraph.DomainPath{
		{ID: "blockchain-development-path", Name: "Blockchain Development Path", Aliases: []string{"blockchain"},
			Description: "Cryptocurrency and distributed ledgers.", Phase: "phase-4", Pos: inDoc(91), Source: docAt(92)},
		{ID: "web-development-path", Name: "Web Development Path", Aliases: []string{"web"},
			Description: "Build web services and full-stack applications.", Phase: "phase-4", Pos: inDoc(90), Source: docAt(88)},
	}
}

func fixtureCompetencies() []*learngraph.Competency {
	return []*learngraph.Competency{
		{ID: "masters-advanced-trait-usage-including-hrtbs-and-gats", Text: "Masters advanced trait usage including HRTBs and GATs",
			Phase: "phase-4", Pos: inDoc(95), Source: docAt(130)},
		{ID: "can-write-declarative-and-procedural-macros", Text: "Can write declarative and procedural macros",
			Phase: "phase-4", Pos: inDoc(96), Source: docAt(131)},
	}
}

func ref(kind learngraph.Kind, id string) learngraph.NodeRef {
	return learngraph.NodeRef{Kind: kind, ID: id}
}

func fixtureLinksList() []learngraph.Link {
	concept := func(id string) learngraph.NodeRef { return ref(learngraph.KindConcept, id) }
	topic := func(id string) learngraph.NodeRef { return ref(learngraph.KindTopic, id) }
	crate := func(id string) learngraph.NodeRef { return ref(learngraph.KindCrate, id) }
	challenge := func(id string) learngraph.NodeRef { return ref(learngraph.KindChallenge, id) }
	path := func(id string) learngraph.NodeRef { return ref(learngraph.KindPath, id) }
	competency := func(id string) learngraph.NodeRef { return ref(learngraph.KindCompetency, id) }
	phase := func(id string) learngraph.NodeRef { return ref(learngraph.KindPhase, id) }
	req := func(from, to, reason string, line int) learngraph.Link {
		return learngraph.Link{Rel: learngraph.Requires, From: concept(from), To: concept(to), Reason: reason, Source: linksAt(line)}
	}
	link := func(rel learngraph.Rel, from, to learngraph.NodeRef) learngraph.Link {
		return learngraph.Link{Rel: rel, From: from, To: to}
	}
	const (
		dsl       = "build-a-domain-specific-language-dsl"
		chain     = "build-a-simple-blockchain-with-proof-of-work"
		gats      = "generic-associated-types"
		hrtbs     = "higher-ranked-trait-bounds"
		traitsPat = "advanced-patterns--advanced-trait-system"
		macroPat  = "advanced-patterns--macros-and-metaprogramming"
		comp1     = "masters-advanced-trait-usage-including-hrtbs-and-gats"
		comp2     = "can-write-declarative-and-procedural-macros"
	)
	// Links come in no particular order, as a store may return them: every
	// answer must be sorted by the store.
	return []learngraph.Link{
		req("procedural-macros", "traits", "Derive macros implement traits.", 21),
		req("procedural-macros", "declarative-macros", "Procedural macros generate what declarative macros cannot express.", 20),
		req(macroPat, "procedural-macros", "State machines and DSLs are built with procedural macros.", 22),
		req("associated-types", "traits", "An associated type is declared inside a trait.", 23),
		req(gats, "traits", "GATs are declared in traits.", 6),
		req(gats, "lifetimes", "The common GAT is generic over a lifetime, as in lending iterators.", 5),
		req(gats, "associated-types", "A GAT is an associated type that takes generic parameters.", 4),
		req(traitsPat, hrtbs, "Advanced trait patterns use higher-ranked bounds.", 24),
		req(traitsPat, gats, "Advanced trait patterns lean on GATs.", 25),
		req("declarative-macros", "zero-cost-abstractions", "Macros expand to code that costs nothing at runtime.", 26),
		req("zero-cost-abstractions", "traits", "Zero-cost abstractions are built from generic traits.", 27),
		req("web-frameworks", "async-await", "Handlers are async functions.", 28),
		req("rest-apis", "web-frameworks", "A REST API is served by a web framework.", 29),
		req(hrtbs, "traits", "An HRTB is a trait bound.", 10),
		req(hrtbs, "lifetimes", "Bounds like for<'a> quantify over lifetimes.", 9),

		link(learngraph.Covers, topic("advanced-trait-usage"), concept(hrtbs)),
		link(learngraph.Covers, topic("macros"), concept(macroPat)),
		link(learngraph.Covers, topic("macros"), concept("declarative-macros")),
		link(learngraph.Covers, topic("macros"), concept("procedural-macros")),
		link(learngraph.Covers, topic("advanced-trait-usage"), concept(gats)),
		link(learngraph.Covers, topic("advanced-trait-usage"), concept("associated-types")),
		link(learngraph.Covers, topic("advanced-trait-usage"), concept(traitsPat)),
		link(learngraph.Covers, topic("zero-cost-abstractions"), concept("zero-cost-abstractions")),
		link(learngraph.Covers, topic("web-development"), concept("web-frameworks")),

		link(learngraph.PartOf, topic("web-development"), phase("phase-4")),
		link(learngraph.PartOf, topic("macros"), phase("phase-4")),
		link(learngraph.PartOf, topic("zero-cost-abstractions"), phase("phase-4")),
		link(learngraph.PartOf, topic("advanced-trait-usage"), phase("phase-4")),
		link(learngraph.PartOf, competency(comp2), phase("phase-4")),
		link(learngraph.PartOf, competency(comp1), phase("phase-4")),

		link(learngraph.Uses, concept("procedural-macros"), crate("quote")),
		link(learngraph.Uses, concept("procedural-macros"), crate("syn")),
		link(learngraph.Uses, concept("web-frameworks"), crate("axum")),
		link(learngraph.Uses, concept("web-frameworks"), crate("tokio")),
		link(learngraph.Uses, topic("macros"), crate("syn")),
		link(learngraph.Uses, topic("web-development"), crate("axum")),
		link(learngraph.Uses, challenge(dsl), crate("quote")),
		link(learngraph.Uses, challenge(dsl), crate("syn")),
		link(learngraph.Uses, challenge(chain), crate("ink")),
		link(learngraph.Uses, challenge(chain), crate("libp2p")),
		link(learngraph.Uses, challenge("async-complexity"), crate("tokio")),

		link(learngraph.Practices, challenge(dsl), concept("procedural-macros")),
		link(learngraph.Practices, challenge(dsl), concept("declarative-macros")),
		link(learngraph.Practices, challenge(dsl), topic("macros")),
		link(learngraph.Practices, challenge(chain), concept("zero-cost-abstractions")),
		link(learngraph.Practices, challenge("async-complexity"), concept("web-frameworks")),
		link(learngraph.Practices, challenge("async-complexity"), topic("web-development")),
		link(learngraph.Practices, challenge("trait-system-complexity"), topic("advanced-trait-usage")),
		link(learngraph.Practices, challenge("trait-system-complexity"), concept(gats)),

		link(learngraph.Includes, path("web-development-path"), crate("axum")),
		link(learngraph.Includes, path("web-development-path"), topic("web-development")),
		link(learngraph.Includes, path("web-development-path"), concept("rest-apis")),
		link(learngraph.Includes, path("web-development-path"), crate("tokio")),
		link(learngraph.Includes, path("blockchain-development-path"), challenge(chain)),
		link(learngraph.Includes, path("blockchain-development-path"), concept("zero-cost-abstractions")),

		link(learngraph.Follows, topic("zero-cost-abstractions"), topic("macros")),
		link(learngraph.Follows, topic("macros"), topic("advanced-trait-usage")),

		link(learngraph.Assesses, competency(comp1), concept(hrtbs)),
		link(learngraph.Assesses, competency(comp1), topic("advanced-trait-usage")),
		link(learngraph.Assesses, competency(comp1), concept(gats)),
		link(learngraph.Assesses, competency(comp2), concept("procedural-macros")),
		link(learngraph.Assesses, competency(comp2), concept("declarative-macros")),

		link(learngraph.Assumes, phase("phase-4"), concept("async-await")),
		link(learngraph.Assumes, phase("phase-4"), concept("traits")),
		link(learngraph.Assumes, phase("phase-4"), concept("lifetimes")),
		link(learngraph.BuildsOn, phase("phase-4"), phase("phase-3")),
	}
}
