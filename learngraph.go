// Package learngraph is the domain core of the learngraph service: the
// curriculum graph model, the Store contract that every backend fulfils, and
// the graph algorithms (study plans, next-up, why-required, gap findings and
// per-concept metrics).
//
// It imports only the standard library. Backends (inmem, neo4j), the loader,
// the GraphQL layer and the HTTP server all depend on it; it depends on none
// of them.
package learngraph

import (
	"cmp"
	"time"
)

// Kind names a kind of node in the curriculum graph. The values are the
// GraphQL type names and the Neo4j labels.
type Kind string

// The kinds of node.
const (
	KindPhase      Kind = "Phase"
	KindTopic      Kind = "Topic"
	KindConcept    Kind = "Concept"
	KindCrate      Kind = "Crate"
	KindChallenge  Kind = "Challenge"
	KindPath       Kind = "DomainPath"
	KindCompetency Kind = "Competency"
)

// Kinds lists every kind in a fixed order, used wherever kinds are reported
// together (counts, search ties).
var Kinds = []Kind{KindConcept, KindTopic, KindPath, KindCrate, KindChallenge, KindPhase, KindCompetency}

// Learnables are the kinds a learner can study as a goal, in the precedence
// that ref resolution gives them: a concept wins over a topic or path of the
// same name.
var Learnables = []Kind{KindConcept, KindTopic, KindPath}

// Source is where an item was written: the document path relative to the
// curriculum directory and the 1-based line. Zero for items that have no
// single place (phases known only by name).
type Source struct {
	File string
	Line int
}

// Position orders items the way a learner meets them: lower phase first,
// then the order of documents in the directory, then the order inside the
// document. Every order the API returns that is "document order" compares
// Positions, then ids.
type Position struct {
	Phase int // phase number; 0 for items with no phase (taught elsewhere)
	File  int // index of the document in load order; the links file comes after all documents
	Index int // running index of the item inside its file
}

// Compare returns -1, 0 or +1 as p sorts before, with or after q.
func (p Position) Compare(q Position) int {
	if c := cmp.Compare(p.Phase, q.Phase); c != 0 {
		return c
	}
	if c := cmp.Compare(p.File, q.File); c != 0 {
		return c
	}
	return cmp.Compare(p.Index, q.Index)
}

// NodeRef identifies a node: ids are unique within a kind, not across kinds
// (the topic and the concept "Zero-Cost Abstractions" share the id
// zero-cost-abstractions).
type NodeRef struct {
	Kind Kind
	ID   string
}

// Node is implemented by every node type of the graph.
type Node interface {
	Ref() NodeRef
	// Order is the node's document position, for sorting.
	Order() Position
}

// Phase is one phase of a series (one document, usually). Earlier phases a
// document names only in its prerequisites are phases too, known by name.
type Phase struct {
	ID            string // "phase-4"
	Number        int    // 4
	Name          string // "Advanced"
	Title         string // the document's title line, "Phase 4: Advanced (Months 6-12)"; empty when known only by name
	Overview      string
	Prerequisites []string // the Prerequisites bullets as written
	Approach      string   // Learning Approach prose that carries no graph item
	Takeaways     []string // Key Takeaways, "Name: text"
	NextSteps     []string // Preparing for the next level
	Pos           Position
	Source
}

// Topic is a Learning Path item: a unit of study that covers concepts.
type Topic struct {
	ID          string
	Name        string
	Description string
	Group       string // the Learning Path ### heading it is listed under
	Phase       string // id of its phase
	Aliases     []string
	StudyStep   int // 1-based step of the Recommended Study Order that teaches it; 0 when the order does not mention it
	Pos         Position
	Source
}

// Concept is one learnable idea: a Key Concepts bullet, a phase prerequisite,
// a domain path item or a concept declared in the links file.
type Concept struct {
	ID          string
	Name        string
	Description string
	Aliases     []string
	Section     string // the ### heading it is listed under, if any
	Topic       string // id of the topic that covers it; empty if none
	Phase       string // id of the phase that teaches it; empty if no loaded document teaches it
	// Taught is true when a loaded document teaches the concept (lists it
	// as a key concept, a path item, or the links file declares it under a
	// topic), false when documents only mention it as a prerequisite.
	Taught bool
	// TaughtElsewhere marks what earlier phases or other courses teach,
	// declared in the links file.
	TaughtElsewhere bool
	Metrics         Metrics
	Pos             Position
	Source
}

// Metrics are CurricularAnalytics' per-concept structural measures over the
// REQUIRES graph, with edges pointing from prerequisite to dependent.
type Metrics struct {
	// BlockingFactor is the number of concepts reachable from this one:
	// everything that cannot be studied until it is.
	BlockingFactor int
	// DelayFactor is the number of concepts on the longest path through it.
	DelayFactor int
	// Centrality is the sum of the vertex counts of every source-to-sink
	// path through it; 0 for sources and sinks. A float because path counts
	// grow exponentially with depth (exact up to 2^53).
	Centrality float64
	// Complexity is BlockingFactor + DelayFactor.
	Complexity int
}

// Crate is a Rust crate the curriculum introduces.
type Crate struct {
	ID          string // slug of the name; crates.io treats - and _ alike, so serde_json is serde-json
	Name        string // as written, "serde_json", "ink!"
	Category    string // first ### heading it is listed under
	Categories  []string
	Description string
	Pos         Position
	Source
}

// ChallengeKind says what a challenge is.
type ChallengeKind string

// The kinds of challenge.
const (
	Project  ChallengeKind = "PROJECT"  // Hands-On Projects
	Capstone ChallengeKind = "CAPSTONE" // Capstone Project Ideas
	Pitfall  ChallengeKind = "PITFALL"  // Common Challenges and Solutions
)

// Challenge is something to practise: a project, a capstone or a common
// pitfall with its solution.
type Challenge struct {
	ID          string
	Title       string
	Kind        ChallengeKind
	Description string
	Solution    string
	Tip         string
	Section     string // the heading it is listed under
	Topic       string // id of the topic it belongs to, if the heading names one
	Phase       string
	Pos         Position
	Source
}

// DomainPath is a specialisation: a set of concepts, topics, crates and
// challenges to follow after the core.
type DomainPath struct {
	ID          string
	Name        string
	Description string
	Aliases     []string
	Phase       string
	Pos         Position
	Source
}

// Competency is one item of a phase's competency checklist.
type Competency struct {
	ID    string // slug of the text
	Text  string
	Phase string
	Pos   Position
	Source
}

// Ref implements Node.
func (p *Phase) Ref() NodeRef      { return NodeRef{KindPhase, p.ID} }
func (t *Topic) Ref() NodeRef      { return NodeRef{KindTopic, t.ID} }
func (c *Concept) Ref() NodeRef    { return NodeRef{KindConcept, c.ID} }
func (c *Crate) Ref() NodeRef      { return NodeRef{KindCrate, c.ID} }
func (c *Challenge) Ref() NodeRef  { return NodeRef{KindChallenge, c.ID} }
func (p *DomainPath) Ref() NodeRef { return NodeRef{KindPath, p.ID} }
func (c *Competency) Ref() NodeRef { return NodeRef{KindCompetency, c.ID} }

// Order implements Node.
func (p *Phase) Order() Position      { return p.Pos }
func (t *Topic) Order() Position      { return t.Pos }
func (c *Concept) Order() Position    { return c.Pos }
func (c *Crate) Order() Position      { return c.Pos }
func (c *Challenge) Order() Position  { return c.Pos }
func (p *DomainPath) Order() Position { return p.Pos }
func (c *Competency) Order() Position { return c.Pos }

// Rel is a relationship type. The values are the Neo4j relationship types.
type Rel string

// The relationship types. From → To reads as the name says: a concept
// REQUIRES its prerequisite.
const (
	Requires Rel = "REQUIRES" // Concept → Concept (prerequisite), with a reason
	// CoRequires and StrictlyCoRequires are CurricularAnalytics'
	// co-requisites: From may be studied together with To, or after it
	// (a strict co-requisite: together only, as CA's input format puts
	// it). Metrics and cycle checks count them as REQUIRES edges, as CA
	// does; plans let both ends share a layer.
	CoRequires         Rel = "COREQUIRES"          // Concept → Concept, with a reason
	StrictlyCoRequires Rel = "STRICTLY_COREQUIRES" // Concept → Concept, with a reason
	Covers             Rel = "COVERS"              // Topic → Concept
	PartOf             Rel = "PART_OF"             // Topic | Competency → Phase
	Uses               Rel = "USES"                // Concept | Topic | Challenge → Crate
	Practices          Rel = "PRACTICES"           // Challenge → Concept | Topic
	Includes           Rel = "INCLUDES"            // DomainPath → Concept | Topic | Crate | Challenge
	Follows            Rel = "FOLLOWS"             // Topic → Topic it comes after in the Recommended Study Order
	Assesses           Rel = "ASSESSES"            // Competency → Concept | Topic
	Assumes            Rel = "ASSUMES"             // Phase → Concept it expects learners to know already
	BuildsOn           Rel = "BUILDS_ON"           // Phase → earlier Phase it expects completed
)

// IsRequisite says whether r is one of the requisite relationships
// between concepts: REQUIRES or a co-requisite.
func (r Rel) IsRequisite() bool {
	return r == Requires || r == CoRequires || r == StrictlyCoRequires
}

// Together says whether r lets both ends be studied together (a
// co-requisite), rather than To strictly before From.
func (r Rel) Together() bool { return r == CoRequires || r == StrictlyCoRequires }

// Link is one relationship of the graph.
type Link struct {
	Rel    Rel
	From   NodeRef
	To     NodeRef
	Reason string // why, for REQUIRES edges; may be empty otherwise
	Source        // where it was stated
}

// Graph is a curriculum as the loader builds it from documents: nodes in
// document order and the links between them.
type Graph struct {
	Documents    []string // paths of the input files, in load order
	Phases       []*Phase
	Topics       []*Topic
	Concepts     []*Concept
	Crates       []*Crate
	Challenges   []*Challenge
	Paths        []*DomainPath
	Competencies []*Competency
	Links        []Link
	// Warnings are what the loader did not understand, with file:line;
	// never fatal on their own.
	Warnings []Finding
	// Version identifies the inputs: a hash of the documents' bytes.
	Version string
}

// Curriculum is a Graph that passed validation, with the graph-wide results
// computed once per load: metrics on every concept and the gap findings.
type Curriculum struct {
	*Graph
	Findings []Finding
	LoadedAt time.Time
}

// CurriculumInfo says which load an answer comes from.
type CurriculumInfo struct {
	Version   string
	LoadedAt  time.Time
	Documents []string
	Counts    []KindCount // one per kind, in the order of Kinds
}

// KindCount is the number of nodes of one kind.
type KindCount struct {
	Kind  Kind
	Count int
}

// FindingKind classifies a finding of the gap report or of validation.
type FindingKind string

// The kinds of finding. The first group comes from validating documents;
// the second from analysing a valid graph.
const (
	InvalidDocument       FindingKind = "INVALID_DOCUMENT"        // unreadable, not UTF-8, empty, malformed YAML (ERROR)
	DuplicateDefinition   FindingKind = "DUPLICATE_DEFINITION"    // the same item twice in one block (ERROR)
	DanglingReference     FindingKind = "DANGLING_REFERENCE"      // a ref that resolves to nothing (ERROR)
	AmbiguousReference    FindingKind = "AMBIGUOUS_REFERENCE"     // a ref that names two concepts (ERROR)
	Cycle                 FindingKind = "CYCLE"                   // REQUIRES edges that form a cycle (ERROR)
	UnrecognizedContent   FindingKind = "UNRECOGNIZED_CONTENT"    // a section or line the loader did not understand (WARNING)
	Orphan                FindingKind = "ORPHAN"                  // a concept neither required by nor requiring anything (WARNING)
	RedundantEdge         FindingKind = "REDUNDANT_EDGE"          // a REQUIRES edge implied by others (INFO)
	StudyOrderViolation   FindingKind = "STUDY_ORDER_VIOLATION"   // required earlier than the study order teaches it (WARNING)
	UntaughtPrerequisite  FindingKind = "UNTAUGHT_PREREQUISITE"   // required, but no loaded document teaches it (WARNING; INFO if taught elsewhere)
	PathWithoutCrates     FindingKind = "PATH_WITHOUT_CRATES"     // (WARNING)
	PathWithoutChallenges FindingKind = "PATH_WITHOUT_CHALLENGES" // (WARNING)
)

// FromDocuments says whether findings of kind k come from validating the
// documents (the loader's warnings among them) rather than from analysing
// a valid graph: a curriculum keeps both in its Findings, and a store
// that hands a curriculum back whole returns the first group as its
// graph's Warnings.
func (k FindingKind) FromDocuments() bool {
	switch k {
	case InvalidDocument, DuplicateDefinition, DanglingReference, AmbiguousReference, Cycle, UnrecognizedContent:
		return true
	}
	return false
}

// Severity ranks findings.
type Severity string

// The severities, most severe first.
const (
	SeverityError   Severity = "ERROR"
	SeverityWarning Severity = "WARNING"
	SeverityInfo    Severity = "INFO"
)

// Finding is one problem in a curriculum, with where it was written when
// that is known.
type Finding struct {
	Kind     FindingKind
	Severity Severity
	Message  string
	Subjects []string // ids of the nodes concerned, in a meaningful order (a cycle's path)
	Source
}

// StudyPlan is what to study, in order, to reach a goal.
type StudyPlan struct {
	Goal  Node // *Concept, *Topic or *DomainPath
	Steps []PlanStep
}

// PlanStep is one concept of a plan or of a why-required chain.
type PlanStep struct {
	Concept *Concept
	// Reason says why the step is there: for a plan, the reason of the
	// REQUIRES edge from the first later step that needs it; for a chain,
	// the reason of the edge from the previous step. Empty for goals.
	Reason string
	// RequiredBy lists the ids of the plan's concepts that require this
	// one directly, in plan order. Empty in why-required chains.
	RequiredBy []string
	// Layer is 0 for steps whose prerequisites are all known; otherwise one
	// more than the highest layer among its prerequisites in the plan.
	// Steps of one layer can be studied in parallel. In a why-required
	// chain it is the distance from the goal.
	Layer int
	// Goal marks the goal's own concepts, which end the plan.
	Goal bool
}

// Recommendation is a concept that is ready to study.
type Recommendation struct {
	Concept *Concept
	// Unlocks lists the concepts that become ready once this one is known,
	// in document order.
	Unlocks []*Concept
	Reason  string
}

// SearchHit is one result of a search.
type SearchHit struct {
	Score float64
	Node  Node
}

// ConceptPage is one page of the concept list, in document order.
type ConceptPage struct {
	Concepts  []*Concept
	EndCursor string // cursor of the last concept; pass it as after
	HasNext   bool
	Total     int
}

// Neighbor is a node reached over one relationship, with the relationship's
// reason where it has one.
type Neighbor struct {
	Node   Node
	Reason string
}
