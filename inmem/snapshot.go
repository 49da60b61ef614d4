package inmem

import (
	"context"
	"slices"

	"learngraph"
)

func (s *snapshot) Info() learngraph.CurriculumInfo {
	info := s.info
	info.Documents = slices.Clone(info.Documents)
	info.Counts = slices.Clone(info.Counts)
	return info
}

// Local says that every read is in memory: batching keys saves nothing.
func (s *snapshot) Local() bool { return true }

var _ learngraph.LocalSnapshot = (*snapshot)(nil)

func (s *snapshot) Resolve(_ context.Context, ref string, kinds ...learngraph.Kind) (learngraph.Node, error) {
	for _, k := range kinds {
		if !learngraph.ValidKind(k) {
			return nil, learngraph.Errorf(learngraph.EINVALID, "unknown kind %q", k)
		}
	}
	found, err := s.resolver.Resolve(ref, kinds...)
	if err != nil {
		return nil, err
	}
	return s.nodes[found], nil
}

func (s *snapshot) Nodes(_ context.Context, kind learngraph.Kind, ids []string) ([]learngraph.Node, error) {
	if !learngraph.ValidKind(kind) {
		return nil, learngraph.Errorf(learngraph.EINVALID, "unknown kind %q", kind)
	}
	out := make([]learngraph.Node, len(ids))
	for i, id := range ids {
		out[i] = s.nodes[learngraph.NodeRef{Kind: kind, ID: id}]
	}
	return out, nil
}

func (s *snapshot) All(_ context.Context, kind learngraph.Kind) ([]learngraph.Node, error) {
	if !learngraph.ValidKind(kind) {
		return nil, learngraph.Errorf(learngraph.EINVALID, "unknown kind %q", kind)
	}
	return slices.Clone(s.ordered[kind]), nil
}

func (s *snapshot) Concepts(_ context.Context, first int, after string) (learngraph.ConceptPage, error) {
	if first < 0 {
		return learngraph.ConceptPage{}, learngraph.Errorf(learngraph.EINVALID, "first must not be negative")
	}
	start := 0
	if after != "" {
		id, err := learngraph.ParseConceptCursor(after)
		if err != nil {
			return learngraph.ConceptPage{}, err
		}
		at, ok := s.conceptAt[id]
		if !ok {
			return learngraph.ConceptPage{}, learngraph.Errorf(learngraph.EINVALID, "invalid cursor %q: its concept is not in this version of the curriculum", after)
		}
		start = at + 1
	}
	end := min(len(s.concepts), start+first)
	page := learngraph.ConceptPage{
		Concepts: slices.Clone(s.concepts[start:end]),
		HasNext:  end < len(s.concepts),
		Total:    len(s.concepts),
	}
	if end > start {
		page.EndCursor = learngraph.ConceptCursor(s.concepts[end-1].ID)
	}
	return page, nil
}

func (s *snapshot) Crate(_ context.Context, name string) (*learngraph.Crate, error) {
	found, err := s.resolver.Resolve(name, learngraph.KindCrate)
	if err != nil {
		return nil, err
	}
	return s.nodes[found].(*learngraph.Crate), nil
}

func (s *snapshot) Related(_ context.Context, relation learngraph.Relation, from []string) ([][]learngraph.Neighbor, error) {
	if int(relation) < 0 || int(relation) >= len(s.related) {
		return nil, learngraph.Errorf(learngraph.EINVALID, "unknown relation %d", relation)
	}
	out := make([][]learngraph.Neighbor, len(from))
	for i, id := range from {
		out[i] = slices.Clone(s.related[relation][id])
	}
	return out, nil
}

func (s *snapshot) Challenges(_ context.Context, concept string, kind learngraph.ChallengeKind) ([]*learngraph.Challenge, error) {
	switch kind {
	case "", learngraph.Project, learngraph.Capstone, learngraph.Pitfall:
	default:
		return nil, learngraph.Errorf(learngraph.EINVALID, "unknown challenge kind %q", kind)
	}
	candidates := s.ordered[learngraph.KindChallenge]
	if concept != "" {
		found, err := s.resolver.Resolve(concept, learngraph.KindConcept, learngraph.KindTopic)
		if err != nil {
			return nil, err
		}
		relation := learngraph.ConceptChallenges
		if found.Kind == learngraph.KindTopic {
			relation = learngraph.TopicChallenges
		}
		candidates = nil
		for _, n := range s.related[relation][found.ID] {
			candidates = append(candidates, n.Node)
		}
	}
	out := []*learngraph.Challenge{}
	for _, n := range candidates {
		if ch := n.(*learngraph.Challenge); kind == "" || ch.Kind == kind {
			out = append(out, ch)
		}
	}
	return out, nil
}

func (s *snapshot) StudyPlan(_ context.Context, goal string, known []string) (*learngraph.StudyPlan, error) {
	found, err := s.resolver.Resolve(goal, learngraph.Learnables...)
	if err != nil {
		return nil, err
	}
	knownIDs, err := s.knownConcepts(known)
	if err != nil {
		return nil, err
	}
	steps := learngraph.OrderPlan(s.requires, s.conceptsOf(found), knownIDs)
	if steps == nil {
		steps = []learngraph.PlanStep{}
	}
	return &learngraph.StudyPlan{Goal: s.nodes[found], Steps: steps}, nil
}

func (s *snapshot) NextUp(_ context.Context, known []string, first int, path string) ([]learngraph.Recommendation, error) {
	if first < 0 {
		return nil, learngraph.Errorf(learngraph.EINVALID, "first must not be negative")
	}
	knownIDs, err := s.knownConcepts(known)
	if err != nil {
		return nil, err
	}
	var pathNode learngraph.NodeRef
	if path != "" {
		if pathNode, err = s.resolver.Resolve(path, learngraph.KindPath); err != nil {
			return nil, err
		}
	}
	key, cacheable := rankKey(knownIDs, first, pathNode.ID)
	if cacheable {
		if recs, ok := s.rankings.get(key); ok {
			return recs, nil
		}
	}
	var candidates []string
	if path != "" {
		candidates = s.conceptsOf(pathNode)
	} else {
		candidates = s.readyCandidates(knownIDs)
	}
	recs := learngraph.RankNextUp(s.requires, knownIDs, candidates, first)
	if recs == nil {
		recs = []learngraph.Recommendation{}
	}
	if cacheable {
		s.rankings.put(key, recs)
	}
	return recs, nil
}

// readyCandidates returns a cheap superset of the concepts that are ready
// for a learner: those that require nothing, and the dependents of what
// they know. Everything else has an unknown prerequisite.
func (s *snapshot) readyCandidates(known []string) []string {
	candidates := slices.Clone(s.sources)
	for id := range learngraph.KnownClosure(s.requires, known) {
		for _, e := range s.requires.Dependents(id) {
			candidates = append(candidates, e.ID)
		}
	}
	return candidates
}

func (s *snapshot) WhyRequired(_ context.Context, goal, prerequisite string) ([]learngraph.PlanStep, error) {
	g, err := s.resolver.Resolve(goal, learngraph.KindConcept)
	if err != nil {
		return nil, err
	}
	p, err := s.resolver.Resolve(prerequisite, learngraph.KindConcept)
	if err != nil {
		return nil, err
	}
	return learngraph.WhyChain(s.requires, g.ID, p.ID), nil
}

func (s *snapshot) Search(_ context.Context, text string, first int) ([]learngraph.SearchHit, error) {
	if first < 0 {
		return nil, learngraph.Errorf(learngraph.EINVALID, "first must not be negative")
	}
	hits := learngraph.RankSearch(text, s.search)
	if len(hits) > first {
		hits = hits[:first]
	}
	if hits == nil {
		hits = []learngraph.SearchHit{}
	}
	return hits, nil
}

func (s *snapshot) Findings(context.Context) ([]learngraph.Finding, error) {
	return slices.Clone(s.curriculum.Findings), nil
}

// knownConcepts resolves the refs a learner knows into concept ids: a
// topic or path stands for all of its concepts.
func (s *snapshot) knownConcepts(refs []string) ([]string, error) {
	var ids []string
	for _, ref := range refs {
		found, err := s.resolver.Resolve(ref, learngraph.Learnables...)
		if err != nil {
			return nil, err
		}
		ids = append(ids, s.conceptsOf(found)...)
	}
	return ids, nil
}

// conceptsOf returns the concepts a learnable stands for: a concept
// itself; a topic's covered concepts; a path's included concepts and the
// concepts of its included topics. In document order.
func (s *snapshot) conceptsOf(n learngraph.NodeRef) []string {
	switch n.Kind {
	case learngraph.KindConcept:
		return []string{n.ID}
	case learngraph.KindTopic:
		return s.neighborIDs(learngraph.TopicConcepts, n.ID)
	case learngraph.KindPath:
		var concepts []learngraph.Node
		for _, c := range s.related[learngraph.PathConcepts][n.ID] {
			concepts = append(concepts, c.Node)
		}
		for _, t := range s.related[learngraph.PathTopics][n.ID] {
			for _, c := range s.related[learngraph.TopicConcepts][t.Node.Ref().ID] {
				concepts = append(concepts, c.Node)
			}
		}
		slices.SortFunc(concepts, learngraph.CompareNodes)
		concepts = slices.Compact(concepts)
		ids := make([]string, len(concepts))
		for i, c := range concepts {
			ids[i] = c.Ref().ID
		}
		return ids
	}
	return nil
}

// Curriculum returns the curriculum the snapshot indexes: it is held in
// memory already, and read-only once loaded.
func (s *snapshot) Curriculum(context.Context) (*learngraph.Curriculum, error) {
	return s.curriculum, nil
}
