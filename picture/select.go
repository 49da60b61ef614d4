package picture

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"learngraph"
)

// FromCurriculum is Select over an analysed curriculum and its findings.
func FromCurriculum(c *learngraph.Curriculum, scope Scope, opts Options) (*Picture, error) {
	if c == nil {
		return nil, learngraph.Errorf(learngraph.EINVALID, "no curriculum to draw")
	}
	return Select(c.Graph, c.Findings, scope, opts)
}

// Select picks the part of g that scope names and marks findings on it.
// The findings may be a Curriculum's, or those a *learngraph.CurriculumError
// carries for a graph that Analyze refused (one with a cycle, say), so a
// broken curriculum can be drawn as well as a valid one. Findings about
// nodes or edges outside the picture are ignored; so are links to nodes
// the graph does not hold.
//
// Returns BAD_USER_INPUT when scope names more than one part, or Known
// without a Goal, or when MaxNodes is negative; NOT_FOUND (with did-you-mean
// suggestions) or AMBIGUOUS for a ref that names no node or several;
// LIMIT_EXCEEDED when the picture needs folding and even its phases are
// more than MaxNodes.
func Select(g *learngraph.Graph, findings []learngraph.Finding, scope Scope, opts Options) (*Picture, error) {
	if g == nil {
		return nil, learngraph.Errorf(learngraph.EINVALID, "no graph to draw")
	}
	limit := opts.MaxNodes
	switch {
	case limit == 0:
		limit = DefaultMaxNodes
	case limit < 0:
		return nil, learngraph.Errorf(learngraph.EINVALID, "the node limit must be positive, got %d", limit)
	}
	named := 0
	for _, ref := range []string{scope.Goal, scope.Path, scope.Topic} {
		if ref != "" {
			named++
		}
	}
	if named > 1 {
		return nil, learngraph.Errorf(learngraph.EINVALID, "draw one of a goal, a path or a topic, not several")
	}
	if len(scope.Known) > 0 && scope.Goal == "" {
		return nil, learngraph.Errorf(learngraph.EINVALID, "known concepts only shorten a goal's study plan; give a goal too")
	}

	s := newSelector(g)
	var (
		p   *Picture
		err error
	)
	switch {
	case scope.Goal != "":
		p, err = s.plan(scope.Goal, scope.Known)
	case scope.Path != "":
		p, err = s.members(scope.Path, learngraph.KindPath)
	case scope.Topic != "":
		p, err = s.members(scope.Topic, learngraph.KindTopic)
	default:
		p = s.whole()
	}
	if err != nil {
		return nil, err
	}
	s.connect(p)
	s.mark(p, findings)
	if len(p.Nodes) > limit {
		if err := s.fold(p, limit); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// FromPlan draws plan, a study plan a store answered over c, the way
// Select draws a goal's plan: one rank per layer, the goal's concepts
// marked, the requisite links among the steps and the findings on them.
// The GraphQL API draws the plan it answered rather than planning again,
// so the picture always shows the very steps of the answer.
func FromPlan(c *learngraph.Curriculum, plan *learngraph.StudyPlan, opts Options) (*Picture, error) {
	if c == nil || plan == nil || plan.Goal == nil {
		return nil, learngraph.Errorf(learngraph.EINVALID, "no plan to draw")
	}
	limit := opts.MaxNodes
	switch {
	case limit == 0:
		limit = DefaultMaxNodes
	case limit < 0:
		return nil, learngraph.Errorf(learngraph.EINVALID, "the node limit must be positive, got %d", limit)
	}
	s := newSelector(c.Graph)
	goal := plan.Goal.Ref()
	p := &Picture{
		Title:  fmt.Sprintf("Study plan for %s %s: %s", kindNoun(goal.Kind), s.name(goal), countOf(len(plan.Steps), "step")),
		Ranked: true,
	}
	for _, step := range plan.Steps {
		if s.concepts[step.Concept.ID] == nil {
			return nil, learngraph.Errorf(learngraph.EINVALID, "the plan's step %q is not a concept of the curriculum", step.Concept.ID)
		}
		n := conceptNode(s.concepts[step.Concept.ID])
		n.Layer = step.Layer
		if step.Goal {
			n.Marks = n.Marks.With(Goal)
		}
		p.Nodes = append(p.Nodes, n)
	}
	if len(plan.Steps) == 0 {
		p.Note = "nothing to study: the goal is known already, or stands for no concept"
	}
	s.connect(p)
	s.mark(p, c.Findings)
	if len(p.Nodes) > limit {
		if err := s.fold(p, limit); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// selector picks nodes out of one graph.
type selector struct {
	g        *learngraph.Graph
	concepts map[string]*learngraph.Concept // by id; the first of a duplicated id
	resolver *learngraph.Resolver           // built on the first ref, as the stores build theirs

	// Once the concepts are picked: where each went in the picture, and
	// the picture's edges by node index, parallel to Picture.Edges.
	at    map[string]int32
	edges []pairEdge
}

// pairEdge is an edge between the nodes at two indexes of the picture: from
// the prerequisite to the node that requires it.
type pairEdge struct {
	from, to int32
	together bool // every link it stands for is a co-requisite
}

func comparePairs(a, b pairEdge) int {
	if c := cmp.Compare(a.from, b.from); c != 0 {
		return c
	}
	return cmp.Compare(a.to, b.to)
}

func newSelector(g *learngraph.Graph) *selector {
	s := &selector{g: g, concepts: make(map[string]*learngraph.Concept, len(g.Concepts))}
	for _, c := range g.Concepts {
		if _, dup := s.concepts[c.ID]; !dup {
			s.concepts[c.ID] = c
		}
	}
	return s
}

// resolve finds the node ref means among kinds, the way the stores do.
func (s *selector) resolve(ref string, kinds ...learngraph.Kind) (learngraph.NodeRef, error) {
	if s.resolver == nil {
		s.resolver = learngraph.IndexGraph(s.g)
	}
	return s.resolver.Resolve(ref, kinds...)
}

// name returns how the curriculum names the node ref.
func (s *selector) name(ref learngraph.NodeRef) string {
	for _, n := range learngraph.GraphNodes(s.g, ref.Kind) {
		if n.Ref() == ref {
			return learngraph.DisplayName(n)
		}
	}
	return ref.ID
}

// conceptsOf returns the concepts a learnable stands for, in document
// order: a concept itself; the concepts a topic covers; the concepts a
// path includes and those its included topics cover. Stores expand goals
// and known refs the same way.
func (s *selector) conceptsOf(ref learngraph.NodeRef) []string {
	ids := map[string]bool{}
	topics := map[string]bool{}
	switch ref.Kind {
	case learngraph.KindConcept:
		ids[ref.ID] = true
	case learngraph.KindTopic:
		topics[ref.ID] = true
	case learngraph.KindPath:
		for _, l := range s.g.Links {
			if l.Rel != learngraph.Includes || l.From != ref {
				continue
			}
			switch l.To.Kind {
			case learngraph.KindConcept:
				ids[l.To.ID] = true
			case learngraph.KindTopic:
				topics[l.To.ID] = true
			}
		}
	}
	if len(topics) > 0 {
		for _, l := range s.g.Links {
			if l.Rel == learngraph.Covers && l.From.Kind == learngraph.KindTopic && topics[l.From.ID] && l.To.Kind == learngraph.KindConcept {
				ids[l.To.ID] = true
			}
		}
	}
	var cs []*learngraph.Concept
	for id := range ids {
		if c := s.concepts[id]; c != nil {
			cs = append(cs, c)
		}
	}
	learngraph.SortConcepts(cs)
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

// plan selects the study plan towards goal for a learner who knows known,
// one rank per plan layer.
func (s *selector) plan(goal string, known []string) (*Picture, error) {
	goalRef, err := s.resolve(goal, learngraph.Learnables...)
	if err != nil {
		return nil, err
	}
	var knownIDs, knownNames []string
	for _, k := range known {
		ref, err := s.resolve(k, learngraph.Learnables...)
		if err != nil {
			return nil, err
		}
		knownIDs = append(knownIDs, s.conceptsOf(ref)...)
		knownNames = append(knownNames, s.name(ref))
	}
	view := learngraph.NewSubgraph(s.g.Concepts, s.g.Links)
	steps := learngraph.OrderPlan(view, s.conceptsOf(goalRef), knownIDs)

	p := &Picture{
		Title:  fmt.Sprintf("Study plan for %s %s: %s", kindNoun(goalRef.Kind), s.name(goalRef), countOf(len(steps), "step")),
		Ranked: true,
	}
	if len(knownNames) > 0 {
		p.Title += ", knowing " + strings.Join(knownNames, ", ")
	}
	for _, step := range steps {
		n := conceptNode(step.Concept)
		n.Layer = step.Layer
		if step.Goal {
			n.Marks = n.Marks.With(Goal)
		}
		p.Nodes = append(p.Nodes, n)
	}
	if len(steps) == 0 {
		p.Note = "nothing to study: the goal is known already, or stands for no concept"
	}
	return p, nil
}

// members selects the concepts of a topic or a path.
func (s *selector) members(ref string, kind learngraph.Kind) (*Picture, error) {
	found, err := s.resolve(ref, kind)
	if err != nil {
		return nil, err
	}
	ids := s.conceptsOf(found)
	p := &Picture{Title: fmt.Sprintf("%s %s: %s", capitalise(kindNoun(kind)), s.name(found), countOf(len(ids), "concept"))}
	for _, id := range ids {
		p.Nodes = append(p.Nodes, conceptNode(s.concepts[id]))
	}
	if len(ids) == 0 {
		p.Note = fmt.Sprintf("the %s holds no concepts", kindNoun(kind))
	}
	return p, nil
}

// whole selects every concept, in document order.
func (s *selector) whole() *Picture {
	cs := make([]*learngraph.Concept, 0, len(s.concepts))
	for _, c := range s.g.Concepts {
		if s.concepts[c.ID] == c {
			cs = append(cs, c)
		}
	}
	learngraph.SortConcepts(cs)
	p := &Picture{Title: "Curriculum: " + countOf(len(cs), "concept"), Nodes: make([]Node, len(cs))}
	for i, c := range cs {
		p.Nodes[i] = conceptNode(c)
	}
	if len(cs) == 0 {
		p.Note = "the curriculum holds no concepts"
	}
	return p
}

func conceptNode(c *learngraph.Concept) Node {
	return Node{Key: key(learngraph.KindConcept, c.ID), Kind: learngraph.KindConcept, ID: c.ID, Name: c.Name, Concepts: 1}
}

// connect adds the requisite edges among p's concepts, one per pair of
// concepts however often the graph states it, sorted by the drawing order
// of their ends.
func (s *selector) connect(p *Picture) {
	s.at = make(map[string]int32, len(p.Nodes))
	for i, n := range p.Nodes {
		s.at[n.ID] = int32(i)
	}
	var edges []pairEdge
	for i := range s.g.Links {
		l := &s.g.Links[i]
		if !l.Rel.IsRequisite() || l.From.Kind != learngraph.KindConcept || l.To.Kind != learngraph.KindConcept {
			continue
		}
		dependent, okDep := s.at[l.From.ID]
		prerequisite, okPre := s.at[l.To.ID]
		if okDep && okPre {
			edges = append(edges, pairEdge{from: prerequisite, to: dependent, together: l.Rel.Together()})
		}
	}
	slices.SortFunc(edges, comparePairs)
	// A pair stated twice is one edge, a co-requisite only if both
	// statements are.
	out := edges[:0]
	for _, e := range edges {
		if n := len(out); n > 0 && out[n-1].from == e.from && out[n-1].to == e.to {
			out[n-1].together = out[n-1].together && e.together
			continue
		}
		out = append(out, e)
	}
	s.edges = out
	p.Edges = make([]Edge, len(out))
	for i, e := range out {
		p.Edges[i] = Edge{From: p.Nodes[e.from].Key, To: p.Nodes[e.to].Key, Links: 1}
		if e.together {
			p.Edges[i].Marks = p.Edges[i].Marks.With(CoRequisite)
		}
	}
}

// mark puts the findings on the nodes and edges of p they concern.
func (s *selector) mark(p *Picture, findings []learngraph.Finding) {
	markNode := func(id string, m Mark) {
		if i, ok := s.at[id]; ok {
			p.Nodes[i].Marks = p.Nodes[i].Marks.With(m)
		}
	}
	// markEdge marks the edge by which dependent requires prerequisite.
	markEdge := func(dependent, prerequisite string, m Mark) {
		to, okDep := s.at[dependent]
		from, okPre := s.at[prerequisite]
		if !okDep || !okPre {
			return
		}
		if i, found := slices.BinarySearchFunc(s.edges, pairEdge{from: from, to: to}, comparePairs); found {
			p.Edges[i].Marks = p.Edges[i].Marks.With(m)
		}
	}
	for _, f := range findings {
		if len(f.Subjects) == 0 {
			continue
		}
		switch f.Kind {
		case learngraph.UntaughtPrerequisite:
			markNode(f.Subjects[0], Untaught)
		case learngraph.Orphan:
			markNode(f.Subjects[0], Orphan)
		case learngraph.Cycle:
			// The subjects are the cycle's path: each requires the next,
			// and the last the first.
			for i, id := range f.Subjects {
				markEdge(id, f.Subjects[(i+1)%len(f.Subjects)], Cycle)
			}
		case learngraph.RedundantEdge:
			if len(f.Subjects) >= 2 {
				markEdge(f.Subjects[0], f.Subjects[1], Redundant)
			}
		}
	}
}

// key is a node's key: its kind and id, with every byte other than an
// ASCII letter, digit or '-' written as _xx, so keys stay unique and are
// safe as DOT names, SVG ids and CSS selectors while slugs stay as they are.
func key(kind learngraph.Kind, id string) string {
	var b strings.Builder
	b.WriteString(kindClass(kind))
	b.WriteByte('-')
	for i := 0; i < len(id); i++ {
		switch c := id[i]; {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "_%02x", c)
		}
	}
	return b.String()
}

// kindClass is a kind as keys and CSS classes name it: "concept", "path".
func kindClass(k learngraph.Kind) string {
	return strings.ToLower(strings.TrimPrefix(string(k), "Domain"))
}

func kindNoun(k learngraph.Kind) string {
	switch k {
	case learngraph.KindConcept:
		return "concept"
	case learngraph.KindTopic:
		return "topic"
	case learngraph.KindPath:
		return "domain path"
	case learngraph.KindPhase:
		return "phase"
	}
	return strings.ToLower(string(k))
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
