package neo4j

import (
	"context"
	"fmt"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"learngraph"
)

// snapshot answers from one version (generation gen) of the curriculum:
// every statement it sends filters on v = gen. Its info and findings were
// read with the version, once.
type snapshot struct {
	store    *Store
	gen      int64
	info     learngraph.CurriculumInfo
	findings []learngraph.Finding
}

var _ learngraph.Snapshot = (*snapshot)(nil)

// query runs a read statement of this snapshot's version.
func (s *snapshot) query(ctx context.Context, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	if params == nil {
		params = map[string]any{}
	}
	params["v"] = s.gen
	return s.store.read(ctx, cypher, params)
}

func (s *snapshot) Info() learngraph.CurriculumInfo {
	info := s.info
	info.Documents = slices.Clone(info.Documents)
	info.Counts = slices.Clone(info.Counts)
	return info
}

func (s *snapshot) Findings(context.Context) ([]learngraph.Finding, error) {
	return slices.Clone(s.findings), nil
}

func (s *snapshot) count(kind learngraph.Kind) int {
	for _, c := range s.info.Counts {
		if c.Kind == kind {
			return c.Count
		}
	}
	return 0
}

func (s *snapshot) Nodes(ctx context.Context, kind learngraph.Kind, ids []string) ([]learngraph.Node, error) {
	label, err := labelOf(kind)
	if err != nil {
		return nil, err
	}
	out := make([]learngraph.Node, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	records, err := s.query(ctx, cypherNodes(label), map[string]any{"ids": anySlice(ids)})
	if err != nil {
		return nil, err
	}
	found := make(map[string]learngraph.Node, len(records))
	for _, rec := range records {
		n, err := recordNode(rec, "n", kind)
		if err != nil {
			return nil, translate(err)
		}
		found[n.Ref().ID] = n
	}
	for i, id := range ids {
		out[i] = found[id]
	}
	return out, nil
}

func (s *snapshot) All(ctx context.Context, kind learngraph.Kind) ([]learngraph.Node, error) {
	label, err := labelOf(kind)
	if err != nil {
		return nil, err
	}
	records, err := s.query(ctx, cypherAll(label), nil)
	if err != nil {
		return nil, err
	}
	out := make([]learngraph.Node, 0, len(records))
	for _, rec := range records {
		n, err := recordNode(rec, "n", kind)
		if err != nil {
			return nil, translate(err)
		}
		out = append(out, n)
	}
	slices.SortFunc(out, learngraph.CompareNodes)
	return out, nil
}

func (s *snapshot) Concepts(ctx context.Context, first int, after string) (learngraph.ConceptPage, error) {
	if first < 0 {
		return learngraph.ConceptPage{}, learngraph.Errorf(learngraph.EINVALID, "first must not be negative")
	}
	afterID := ""
	if after != "" {
		id, err := learngraph.ParseConceptCursor(after)
		if err != nil {
			return learngraph.ConceptPage{}, err
		}
		afterID = id
	}
	// One more than asked for says whether there is a next page.
	records, err := s.query(ctx, cypherConcepts, map[string]any{"after": afterID, "limit": first + 1})
	if err != nil {
		return learngraph.ConceptPage{}, err
	}
	rec, err := single(records)
	if err != nil {
		return learngraph.ConceptPage{}, translate(err)
	}
	found, err := value[bool](rec, "found")
	if err != nil {
		return learngraph.ConceptPage{}, translate(err)
	}
	if after != "" && !found {
		return learngraph.ConceptPage{}, learngraph.Errorf(learngraph.EINVALID, "invalid cursor %q: its concept is not in this version of the curriculum", after)
	}
	page, err := recordConcepts(rec, "page")
	if err != nil {
		return learngraph.ConceptPage{}, translate(err)
	}
	out := learngraph.ConceptPage{Total: s.count(learngraph.KindConcept), HasNext: len(page) > first}
	out.Concepts = page[:min(first, len(page))]
	if len(out.Concepts) > 0 {
		out.EndCursor = learngraph.ConceptCursor(out.Concepts[len(out.Concepts)-1].ID)
	}
	return out, nil
}

func (s *snapshot) Related(ctx context.Context, relation learngraph.Relation, from []string) ([][]learngraph.Neighbor, error) {
	if int(relation) < 0 || int(relation) >= len(learngraph.Relations()) {
		return nil, learngraph.Errorf(learngraph.EINVALID, "unknown relation %d", relation)
	}
	cypher, err := cypherRelated(relation)
	if err != nil {
		return nil, translate(err)
	}
	out := make([][]learngraph.Neighbor, len(from))
	for i := range out {
		out[i] = []learngraph.Neighbor{}
	}
	if len(from) == 0 {
		return out, nil
	}
	records, err := s.query(ctx, cypher, map[string]any{"ids": anySlice(from)})
	if err != nil {
		return nil, err
	}
	for _, rec := range records {
		i, err1 := value[int64](rec, "i")
		reason, err2 := value[string](rec, "reason")
		n, err3 := recordNode(rec, "b", relation.Spec().To)
		if err := firstError(err1, err2, err3); err != nil {
			return nil, translate(err)
		}
		if i < 0 || int(i) >= len(out) {
			return nil, translate(fmt.Errorf("related: row %d out of range", i))
		}
		out[i] = append(out[i], learngraph.Neighbor{Node: n, Reason: reason})
	}
	for i := range out {
		slices.SortStableFunc(out[i], func(a, b learngraph.Neighbor) int { return learngraph.CompareNodes(a.Node, b.Node) })
	}
	return out, nil
}

func (s *snapshot) Search(ctx context.Context, text string, first int) ([]learngraph.SearchHit, error) {
	if first < 0 {
		return nil, learngraph.Errorf(learngraph.EINVALID, "first must not be negative")
	}
	needles := searchNeedles(text)
	if len(needles) == 0 || first == 0 {
		return []learngraph.SearchHit{}, nil
	}
	records, err := s.query(ctx, cypherSearch, map[string]any{"needle": needles[0], "more": anySlice(needles[1:])})
	if err != nil {
		return nil, err
	}
	items := make([]learngraph.SearchItem, 0, len(records))
	for _, rec := range records {
		n, err := recordAnyNode(rec, "n")
		if err != nil {
			return nil, translate(err)
		}
		if item, ok := learngraph.SearchItemOf(n); ok {
			items = append(items, item)
		}
	}
	hits := learngraph.RankSearch(text, items)
	if len(hits) > first {
		hits = hits[:first]
	}
	if hits == nil {
		hits = []learngraph.SearchHit{}
	}
	return hits, nil
}

// recordNode decodes the node at key of rec as a node of kind.
func recordNode(rec *neo4j.Record, key string, kind learngraph.Kind) (learngraph.Node, error) {
	n, err := value[neo4j.Node](rec, key)
	if err != nil {
		return nil, err
	}
	return decodeItem(kind, n.Props)
}

// recordAnyNode decodes the node at key of rec, its kind told by its
// labels.
func recordAnyNode(rec *neo4j.Record, key string) (learngraph.Node, error) {
	n, err := value[neo4j.Node](rec, key)
	if err != nil {
		return nil, err
	}
	return decodeNode(n)
}

// decodeNode decodes a stored item node, its kind told by its labels.
func decodeNode(n neo4j.Node) (learngraph.Node, error) {
	for _, l := range n.Labels {
		if kind, ok := kindOfLabel(l); ok {
			return decodeItem(kind, n.Props)
		}
	}
	return nil, fmt.Errorf("node with labels %v is no curriculum item", n.Labels)
}

// recordConcepts decodes the list of concept nodes at key of rec.
func recordConcepts(rec *neo4j.Record, key string) ([]*learngraph.Concept, error) {
	raw, err := value[[]any](rec, key)
	if err != nil {
		return nil, err
	}
	return conceptsOf(raw, key)
}

// conceptsOf decodes a list of concept nodes.
func conceptsOf(raw any, what string) ([]*learngraph.Concept, error) {
	nodes, err := list[neo4j.Node](raw, what)
	if err != nil {
		return nil, err
	}
	out := make([]*learngraph.Concept, len(nodes))
	for i, n := range nodes {
		c, err := decodeItem(learngraph.KindConcept, n.Props)
		if err != nil {
			return nil, err
		}
		out[i] = c.(*learngraph.Concept)
	}
	return out, nil
}

// anySlice converts a list for the driver, which takes []any.
func anySlice[T any](items []T) []any {
	out := make([]any, len(items))
	for i, item := range items {
		out[i] = item
	}
	return out
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
