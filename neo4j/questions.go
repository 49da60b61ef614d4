package neo4j

import (
	"context"
	"fmt"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"learngraph"
)

func (s *snapshot) Challenges(ctx context.Context, concept string, kind learngraph.ChallengeKind) ([]*learngraph.Challenge, error) {
	switch kind {
	case "", learngraph.Project, learngraph.Capstone, learngraph.Pitfall:
	default:
		return nil, learngraph.Errorf(learngraph.EINVALID, "unknown challenge kind %q", kind)
	}
	var candidates []learngraph.Node
	if concept == "" {
		all, err := s.All(ctx, learngraph.KindChallenge)
		if err != nil {
			return nil, err
		}
		candidates = all
	} else {
		kinds := []learngraph.Kind{learngraph.KindConcept, learngraph.KindTopic}
		q := &refQuery{}
		q.add(concept, kinds...)
		records, err := s.query(ctx, cypherChallenges, q.params(nil))
		if err != nil {
			return nil, err
		}
		rec, err := single(records)
		if err != nil {
			return nil, translate(err)
		}
		refs, err := decodeRefs(rec, 1)
		if err != nil {
			return nil, translate(err)
		}
		if _, err := s.resolve(ctx, concept, kinds, refs[0]); err != nil {
			return nil, err
		}
		lists, err := value[[]any](rec, "challenges")
		if err != nil {
			return nil, translate(err)
		}
		for _, l := range lists {
			nodes, err := list[neo4j.Node](l, "challenges")
			if err != nil {
				return nil, translate(err)
			}
			for _, n := range nodes {
				ch, err := decodeItem(learngraph.KindChallenge, n.Props)
				if err != nil {
					return nil, translate(err)
				}
				candidates = append(candidates, ch)
			}
		}
		slices.SortFunc(candidates, learngraph.CompareNodes)
	}
	out := []*learngraph.Challenge{}
	for _, n := range candidates {
		if ch := n.(*learngraph.Challenge); kind == "" || ch.Kind == kind {
			out = append(out, ch)
		}
	}
	return out, nil
}

func (s *snapshot) StudyPlan(ctx context.Context, goal string, known []string) (*learngraph.StudyPlan, error) {
	q := &refQuery{}
	q.add(goal)
	for _, ref := range known {
		q.add(ref)
	}
	records, err := s.query(ctx, cypherStudyPlan, q.params(nil))
	if err != nil {
		return nil, err
	}
	rec, err := single(records)
	if err != nil {
		return nil, translate(err)
	}
	refs, err := decodeRefs(rec, len(q.refs))
	if err != nil {
		return nil, translate(err)
	}
	var goalNode learngraph.Node
	for i, ref := range q.refs {
		n, err := s.resolve(ctx, ref, q.kinds[i], refs[i])
		if err != nil {
			return nil, err
		}
		if i == 0 {
			goalNode = n
		}
	}
	concepts, err := recordConcepts(rec, "plan")
	if err != nil {
		return nil, translate(err)
	}
	planEdges, err := recordEdges(rec, "planEdges")
	if err != nil {
		return nil, translate(err)
	}
	closure, err := recordStrings(rec, "closure")
	if err != nil {
		return nil, translate(err)
	}
	// The whole known closure stands for what is known: no edge of the
	// view leaves it (the plan's edges leave plan concepts), so OrderPlan
	// finds exactly this closure again.
	steps := learngraph.OrderPlan(learngraph.NewSubgraph(concepts, planEdges), refs[0].concepts, closure)
	if steps == nil {
		steps = []learngraph.PlanStep{}
	}
	return &learngraph.StudyPlan{Goal: goalNode, Steps: steps}, nil
}

func (s *snapshot) NextUp(ctx context.Context, known []string, first int, path string) ([]learngraph.Recommendation, error) {
	if first < 0 {
		return nil, learngraph.Errorf(learngraph.EINVALID, "first must not be negative")
	}
	q := &refQuery{}
	for _, ref := range known {
		q.add(ref)
	}
	pathAt := -1
	if path != "" {
		pathAt = len(q.refs)
		q.add(path, learngraph.KindPath)
	}
	records, err := s.query(ctx, cypherNextUp, q.params(map[string]any{"pathAt": int64(pathAt), "first": int64(first)}))
	if err != nil {
		return nil, err
	}
	rec, err := single(records)
	if err != nil {
		return nil, translate(err)
	}
	refs, err := decodeRefs(rec, len(q.refs))
	if err != nil {
		return nil, translate(err)
	}
	for i, ref := range q.refs {
		if _, err := s.resolve(ctx, ref, q.kinds[i], refs[i]); err != nil {
			return nil, err
		}
	}
	top, err := recordConcepts(rec, "top")
	if err != nil {
		return nil, translate(err)
	}
	concepts := slices.Clone(top)
	for _, key := range []string{"prerequisites", "dependents"} {
		lists, err := value[[]any](rec, key)
		if err != nil {
			return nil, translate(err)
		}
		for _, l := range lists {
			cs, err := conceptsOf(l, key)
			if err != nil {
				return nil, translate(err)
			}
			concepts = append(concepts, cs...)
		}
	}
	var links []learngraph.Link
	for _, key := range []string{"topEdges", "dependentEdges"} {
		edges, err := recordEdges(rec, key)
		if err != nil {
			return nil, translate(err)
		}
		links = append(links, edges...)
	}
	candidates := make([]string, len(top))
	for i, c := range top {
		candidates[i] = c.ID
	}
	closure, err := recordStrings(rec, "closure")
	if err != nil {
		return nil, translate(err)
	}
	// The whole known closure stands for what is known: no edge of the
	// view leaves it (the candidates and their dependents are outside
	// it), so RankNextUp finds exactly this closure again.
	recs := learngraph.RankNextUp(learngraph.NewSubgraph(concepts, links), closure, candidates, first)
	if recs == nil {
		recs = []learngraph.Recommendation{}
	}
	return recs, nil
}

func (s *snapshot) WhyRequired(ctx context.Context, goal, prerequisite string) ([]learngraph.PlanStep, error) {
	q := &refQuery{}
	q.add(goal, learngraph.KindConcept)
	q.add(prerequisite, learngraph.KindConcept)
	records, err := s.query(ctx, cypherWhyRequired, q.params(nil))
	if err != nil {
		return nil, err
	}
	rec, err := single(records)
	if err != nil {
		return nil, translate(err)
	}
	refs, err := decodeRefs(rec, 2)
	if err != nil {
		return nil, translate(err)
	}
	var ids [2]string
	for i, ref := range q.refs {
		n, err := s.resolve(ctx, ref, q.kinds[i], refs[i])
		if err != nil {
			return nil, err
		}
		ids[i] = n.Ref().ID
	}
	concepts, err := recordConcepts(rec, "between")
	if err != nil {
		return nil, translate(err)
	}
	edges, err := recordEdges(rec, "edges")
	if err != nil {
		return nil, translate(err)
	}
	return learngraph.WhyChain(learngraph.NewSubgraph(concepts, edges), ids[0], ids[1]), nil
}

// recordStrings decodes a column that holds a list of strings.
func recordStrings(rec *neo4j.Record, key string) ([]string, error) {
	raw, err := value[[]any](rec, key)
	if err != nil {
		return nil, err
	}
	return list[string](raw, key)
}

// recordEdges decodes a column of requisite edges, a list (or a list of
// lists) of [from, to], [from, to, reason] or [from, to, reason, type]
// lists, into links for learngraph.NewSubgraph. Without a type an edge
// is a REQUIRES edge.
func recordEdges(rec *neo4j.Record, key string) ([]learngraph.Link, error) {
	raw, err := value[[]any](rec, key)
	if err != nil {
		return nil, err
	}
	var links []learngraph.Link
	var add func(v any) error
	add = func(v any) error {
		items, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s: want a list, got %T", key, v)
		}
		if len(items) == 0 {
			return nil // a node with no edges
		}
		if _, isEdge := items[0].(string); !isEdge {
			for _, item := range items {
				if err := add(item); err != nil {
					return err
				}
			}
			return nil
		}
		if len(items) < 2 || len(items) > 4 {
			return fmt.Errorf("%s: want [from, to, reason?, type?], got %d items", key, len(items))
		}
		from, ok1 := items[0].(string)
		to, ok2 := items[1].(string)
		reason := ""
		ok3 := true
		if len(items) >= 3 && items[2] != nil {
			reason, ok3 = items[2].(string)
		}
		rel := learngraph.Requires
		if len(items) == 4 {
			typ, _ := items[3].(string)
			r, ok := relOfType(typ)
			if !ok || !r.IsRequisite() {
				return fmt.Errorf("%s: %v is not a requisite relationship", key, items[3])
			}
			rel = r
		}
		if !ok1 || !ok2 || !ok3 {
			return fmt.Errorf("%s: want strings, got %v", key, items)
		}
		links = append(links, learngraph.Link{
			Rel:    rel,
			From:   learngraph.NodeRef{Kind: learngraph.KindConcept, ID: from},
			To:     learngraph.NodeRef{Kind: learngraph.KindConcept, ID: to},
			Reason: reason,
		})
		return nil
	}
	for _, item := range raw {
		if err := add(item); err != nil {
			return nil, err
		}
	}
	return links, nil
}
