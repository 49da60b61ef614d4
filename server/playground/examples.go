package playground

// Example is a question the playground offers a click away.
type Example struct {
	// Title is the question, as a learner would ask it.
	Title string `json:"title"`
	// Query answers it; its comment lines say how to read the answer.
	Query string `json:"query"`
}

// Examples returns the questions of the README's "Ask it", in its order.
// The first one is the query the playground opens with. A test keeps them
// the same as the README's, whose own test runs them against the seed.
func Examples() []Example {
	return []Example{
		{
			Title: "What do I study before GATs?",
			Query: `# What do I study before GATs,
# in order?
#
# Steps come by layer (layer 0 needs
# nothing still unknown; the steps of
# one layer can be studied in
# parallel), then in document order.
# The plan ends with the goal itself.
{
  studyPlan(goal: "GATs") {
    goal { name }
    steps {
      layer
      reason
      isGoal
      concept { name crates { name } }
    }
  }
}
`,
		},
		{
			Title: "Which crates belong to the blockchain path?",
			Query: `# Which crates belong to the
# blockchain path?
{
  domainPath(ref: "blockchain") {
    name
    crates { name category }
  }
}
`,
		},
		{
			Title: "I know ownership, lifetimes, traits and async/await: what next?",
			Query: `# I know ownership, lifetimes,
# traits and async/await: what next?
#
# Concepts whose prerequisites are
# all known; those that unlock the
# most come first.
{
  nextUp(known: ["ownership", "lifetimes", "traits", "async/await"]) {
    concept { name }
    reason
    unlocks { name }
    crates { name }
  }
}
`,
		},
		{
			Title: "Why are lifetimes required for GATs?",
			Query: `# Why are lifetimes required for
# GATs?
#
# The shortest chain of prerequisites
# from GATs down to lifetimes, with
# the reason for each link.
{
  whyRequired(goal: "GATs", prerequisite: "lifetimes") {
    layer
    reason
    concept { name }
  }
}
`,
		},
		{
			Title: "Where is the curriculum broken or thin?",
			Query: `# Where is the curriculum broken
# or thin?
{
  gaps {
    errorCount
    warningCount
    infoCount
    findings { severity kind message subjects file line }
  }
}
`,
		},
		{
			Title: "What would an edit of the curriculum change?",
			Query: `# What would an edit change?
#
# Computed on a copy: the served
# curriculum stays as it is.
{
  impact(add: [{from: "Associated Types", to: "Closures", reason: "Iterator-like traits take closures."}]) {
    findingsAdded { kind message }
    planChanges { goal { name } added { name } moved { concept { name } before after } }
    planChangeCount
    metricChanges { concept { name } delta { blockingFactor complexity } }
    totals { before { complexity } after { complexity } }
  }
}
`,
		},
	}
}
