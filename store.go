package learngraph

import "context"

// Store serves curricula to readers. The embedded store (inmem) and Neo4j
// (neo4j) implement it; the contract suite in storetest states what every
// implementation must do, and both must give identical answers.
type Store interface {
	// Snapshot returns a read-only view of the curriculum being served
	// now. Every read through one snapshot answers from the same version,
	// even if a new curriculum is loaded meanwhile, so one GraphQL request
	// never mixes two versions.
	//
	// Returns UNAVAILABLE if the store cannot be reached or holds no
	// curriculum.
	Snapshot(ctx context.Context) (Snapshot, error)
}

// Snapshot answers questions about one version of a curriculum.
//
// A ref is an id, a name or an alias, matched case-insensitively: by id
// first, then by name or alias; when kinds are given, the first kind in that
// order that matches wins (a concept wins over a topic of the same name). A
// ref that matches nothing returns NOT_FOUND with up to five suggestions,
// closest first; a name shared by two concepts returns AMBIGUOUS with both
// ids as candidates.
//
// Lists come in document order (Position, then id) unless a method says
// otherwise. Every method returns UNAVAILABLE when the backend cannot be
// reached, and INTERNAL for anything unexpected.
type Snapshot interface {
	// Curriculum returns the whole curriculum this snapshot serves, for
	// the questions that need every node and edge at once (what an edit
	// would change). It is shared and read-only: callers must not change
	// it; learngraph.Impact works on a copy.
	Curriculum(ctx context.Context) (*Curriculum, error)
	// Info says which load this snapshot serves.
	Info() CurriculumInfo

	// Resolve returns the node ref names among kinds (all kinds of
	// Learnables when kinds is empty). Returns NOT_FOUND or AMBIGUOUS.
	Resolve(ctx context.Context, ref string, kinds ...Kind) (Node, error)

	// Nodes returns the nodes of kind with the given ids, in the order of
	// ids; an unknown id gives a nil entry, not an error.
	Nodes(ctx context.Context, kind Kind, ids []string) ([]Node, error)

	// All returns every node of kind in document order. Meant for the
	// small kinds (phases, topics, paths, crates, challenges,
	// competencies); concepts are paged by Concepts.
	All(ctx context.Context, kind Kind) ([]Node, error)

	// Concepts returns up to first concepts after the cursor after ("" for
	// the start), in document order. Returns BAD_USER_INPUT for a cursor
	// it did not issue.
	Concepts(ctx context.Context, first int, after string) (ConceptPage, error)

	// Crate returns the crate with the given name or id, case-insensitive.
	// Returns NOT_FOUND with suggestions.
	Crate(ctx context.Context, name string) (*Crate, error)

	// Related returns, for each node id in from (of relation.From kind),
	// its neighbours over relation, in document order. One call answers a
	// whole batch, so a GraphQL list costs one round trip.
	Related(ctx context.Context, relation Relation, from []string) ([][]Neighbor, error)

	// Challenges returns the challenges that practise the concept (or topic)
	// concept refers to, and are of kind; both filters are optional.
	// Returns NOT_FOUND or AMBIGUOUS for an unknown concept.
	Challenges(ctx context.Context, concept string, kind ChallengeKind) ([]*Challenge, error)

	// StudyPlan returns everything to study to reach goal (a concept,
	// topic or path ref), each step after all of its prerequisites, ending
	// with the goal's own concepts. Concepts in known, and everything they
	// require, are left out. Steps are ordered by layer, then document
	// position, then id. Returns NOT_FOUND or AMBIGUOUS for goal or any
	// known ref.
	StudyPlan(ctx context.Context, goal string, known []string) (*StudyPlan, error)

	// NextUp returns up to first concepts that are not known (nor implied
	// by what is known) and whose prerequisites are all known, restricted
	// to the concepts of path when path is not empty; ordered by blocking
	// factor descending, then document position, then id.
	NextUp(ctx context.Context, known []string, first int, path string) ([]Recommendation, error)

	// WhyRequired returns the shortest chain of REQUIRES edges from goal
	// down to prerequisite, starting with goal, each later step carrying
	// the reason of the edge that leads to it; ties are broken by the
	// smaller sequence of ids. Returns nil, nil when there is no chain.
	WhyRequired(ctx context.Context, goal, prerequisite string) ([]PlanStep, error)

	// Search returns up to first concepts, topics, crates, challenges and
	// paths whose text matches, best first (see RankSearch).
	Search(ctx context.Context, text string, first int) ([]SearchHit, error)

	// Findings returns the gap report computed when the curriculum was
	// loaded: most severe first, then kind, then file and line, then
	// subjects.
	Findings(ctx context.Context) ([]Finding, error)
}

// Relation is a relationship followed in one direction, from one kind of
// node to another: what a GraphQL field such as Concept.crates navigates.
type Relation int

// The relations the API navigates.
const (
	ConceptPrerequisites      Relation = iota // Concept -REQUIRES-> Concept, with reasons
	ConceptDependents                         // Concept <-REQUIRES- Concept, with reasons
	ConceptCrates                             // Concept -USES-> Crate
	ConceptChallenges                         // Concept <-PRACTICES- Challenge
	ConceptPaths                              // Concept <-INCLUDES- DomainPath
	ConceptCompetencies                       // Concept <-ASSESSES- Competency
	TopicConcepts                             // Topic -COVERS-> Concept
	TopicCrates                               // Topic -USES-> Crate
	TopicChallenges                           // Topic <-PRACTICES- Challenge
	TopicPaths                                // Topic <-INCLUDES- DomainPath
	TopicFollows                              // Topic -FOLLOWS-> Topic (the step before it)
	PhaseTopics                               // Phase <-PART_OF- Topic
	PhaseCompetencies                         // Phase <-PART_OF- Competency
	PhaseAssumes                              // Phase -ASSUMES-> Concept
	PhaseBuildsOn                             // Phase -BUILDS_ON-> Phase
	CompetencyConcepts                        // Competency -ASSESSES-> Concept
	CompetencyTopics                          // Competency -ASSESSES-> Topic
	PathConcepts                              // DomainPath -INCLUDES-> Concept
	PathTopics                                // DomainPath -INCLUDES-> Topic
	PathCrates                                // DomainPath -INCLUDES-> Crate
	PathChallenges                            // DomainPath -INCLUDES-> Challenge
	CrateConcepts                             // Crate <-USES- Concept
	CrateTopics                               // Crate <-USES- Topic
	CratePaths                                // Crate <-INCLUDES- DomainPath
	CrateChallenges                           // Crate <-USES- Challenge
	ChallengeConcepts                         // Challenge -PRACTICES-> Concept
	ChallengeCrates                           // Challenge -USES-> Crate
	ConceptCorequisites                       // Concept -COREQUIRES-> Concept, with reasons
	ConceptStrictCorequisites                 // Concept -STRICTLY_COREQUIRES-> Concept, with reasons
	relationCount
)

// RelationSpec says what a Relation follows.
type RelationSpec struct {
	Rel     Rel
	From    Kind
	To      Kind
	Reverse bool // follow Rel from its To end back to its From end
}

var relationSpecs = [relationCount]RelationSpec{
	ConceptPrerequisites: {Requires, KindConcept, KindConcept, false},
	ConceptDependents:    {Requires, KindConcept, KindConcept, true},
	ConceptCrates:        {Uses, KindConcept, KindCrate, false},
	ConceptChallenges:    {Practices, KindConcept, KindChallenge, true},
	ConceptPaths:         {Includes, KindConcept, KindPath, true},
	ConceptCompetencies:  {Assesses, KindConcept, KindCompetency, true},
	TopicConcepts:        {Covers, KindTopic, KindConcept, false},
	TopicCrates:          {Uses, KindTopic, KindCrate, false},
	TopicChallenges:      {Practices, KindTopic, KindChallenge, true},
	TopicPaths:           {Includes, KindTopic, KindPath, true},
	TopicFollows:         {Follows, KindTopic, KindTopic, false},
	PhaseTopics:          {PartOf, KindPhase, KindTopic, true},
	PhaseCompetencies:    {PartOf, KindPhase, KindCompetency, true},
	PhaseAssumes:         {Assumes, KindPhase, KindConcept, false},
	PhaseBuildsOn:        {BuildsOn, KindPhase, KindPhase, false},
	CompetencyConcepts:   {Assesses, KindCompetency, KindConcept, false},
	CompetencyTopics:     {Assesses, KindCompetency, KindTopic, false},
	PathConcepts:         {Includes, KindPath, KindConcept, false},
	PathTopics:           {Includes, KindPath, KindTopic, false},
	PathCrates:           {Includes, KindPath, KindCrate, false},
	PathChallenges:       {Includes, KindPath, KindChallenge, false},
	CrateConcepts:        {Uses, KindCrate, KindConcept, true},
	CrateTopics:          {Uses, KindCrate, KindTopic, true},
	CratePaths:           {Includes, KindCrate, KindPath, true},
	CrateChallenges:      {Uses, KindCrate, KindChallenge, true},
	ChallengeConcepts:    {Practices, KindChallenge, KindConcept, false},
	ChallengeCrates:      {Uses, KindChallenge, KindCrate, false},

	ConceptCorequisites:       {CoRequires, KindConcept, KindConcept, false},
	ConceptStrictCorequisites: {StrictlyCoRequires, KindConcept, KindConcept, false},
}

// Spec returns what r follows.
func (r Relation) Spec() RelationSpec { return relationSpecs[r] }

// Relations lists every Relation, for suites that test them all.
func Relations() []Relation {
	rs := make([]Relation, relationCount)
	for i := range rs {
		rs[i] = Relation(i)
	}
	return rs
}
