package neo4j

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"learngraph"
)

// refQuery is the refs one statement resolves, each with the kinds it may
// name, in the order the embedded store resolves them (and so reports the
// first that fails).
type refQuery struct {
	refs  []string
	kinds [][]learngraph.Kind
}

func (q *refQuery) add(ref string, kinds ...learngraph.Kind) {
	if len(kinds) == 0 {
		kinds = learngraph.Learnables
	}
	q.refs = append(q.refs, ref)
	q.kinds = append(q.kinds, kinds)
}

// params returns the statement parameters for the refs: the forms they
// are matched in, as learngraph.Resolver matches them, and their kinds.
func (q *refQuery) params(extra map[string]any) map[string]any {
	keys := make([]any, len(q.refs))
	kinds := make([]any, len(q.kinds))
	for i, ref := range q.refs {
		keys[i] = strings.ToLower(strings.TrimSpace(ref))
		kinds[i] = kindStrings(q.kinds[i])
	}
	params := map[string]any{"keys": keys, "kinds": kinds}
	for k, v := range extra {
		params[k] = v
	}
	return params
}

func kindStrings(kinds []learngraph.Kind) []any {
	out := make([]any, len(kinds))
	for i, k := range kinds {
		out[i] = string(k)
	}
	return out
}

// resolvedRef is what a statement found for one ref.
type resolvedRef struct {
	cands    []learngraph.Node // every node a key of the ref names
	picked   []string          // the id Cypher resolved the ref to (none or one)
	concepts []string          // the concepts the picked node stands for
}

// decodeRefs reads the refs column: one map per ref with i, cands,
// resolved and (when expanded) concepts.
func decodeRefs(rec *neo4j.Record, n int) ([]resolvedRef, error) {
	raw, err := value[[]any](rec, "refs")
	if err != nil {
		return nil, err
	}
	maps, err := list[map[string]any](raw, "refs")
	if err != nil {
		return nil, err
	}
	out := make([]resolvedRef, n)
	for _, m := range maps {
		i, err := field[int64](m, "i")
		if err != nil {
			return nil, err
		}
		if i < 0 || int(i) >= n {
			return nil, fmt.Errorf("refs: index %d out of range", i)
		}
		r := &out[i]
		cands, err := list[map[string]any](m["cands"], "cands")
		if err != nil {
			return nil, err
		}
		for _, c := range cands {
			kind, err := field[string](c, "kind")
			if err != nil {
				return nil, err
			}
			node, err := field[neo4j.Node](c, "node")
			if err != nil {
				return nil, err
			}
			decoded, err := decodeItem(learngraph.Kind(kind), node.Props)
			if err != nil {
				return nil, err
			}
			r.cands = append(r.cands, decoded)
		}
		if r.picked, err = list[string](m["resolved"], "resolved"); err != nil {
			return nil, err
		}
		if r.concepts, err = list[string](m["concepts"], "concepts"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// resolve gives the answer of learngraph.Resolver for ref among kinds,
// from the candidates a statement found: every node that one of ref's
// keys names is among them, so a Resolver that knows only them answers as
// one that knows the whole curriculum, except for suggestions, which a
// miss fetches (the error path's second round trip). It also checks that
// Cypher picked the same node, since the statement went on from that one.
func (s *snapshot) resolve(ctx context.Context, ref string, kinds []learngraph.Kind, found resolvedRef) (learngraph.Node, error) {
	r := learngraph.NewResolver()
	byRef := map[learngraph.NodeRef]learngraph.Node{}
	for _, n := range found.cands {
		if _, dup := byRef[n.Ref()]; !dup {
			byRef[n.Ref()] = n
			r.Add(n)
		}
	}
	node, err := r.Resolve(ref, kinds...)
	if learngraph.ErrorCode(err) == learngraph.ENOTFOUND {
		suggestions, err := s.suggest(ctx, ref, kinds)
		if err != nil {
			return nil, err
		}
		return nil, learngraph.NotFoundError(ref, kinds, suggestions)
	}
	if err != nil {
		return nil, err
	}
	if len(found.picked) != 1 || found.picked[0] != node.ID {
		return nil, translate(fmt.Errorf("ref %q: Go resolved %v, Cypher %q", ref, node, found.picked))
	}
	return byRef[node], nil
}

// suggest returns the did-you-mean suggestions for a ref that matched
// nothing, from the keys learngraph.Suggest would consider.
func (s *snapshot) suggest(ctx context.Context, ref string, kinds []learngraph.Kind) ([]string, error) {
	lower := strings.ToLower(strings.TrimSpace(ref))
	refLen := utf8.RuneCountInString(lower)
	limit := max(1, refLen/3)
	records, err := s.query(ctx, cypherSuggestKeys, map[string]any{
		"kinds": kindStrings(kinds), "ref": lower, "containing": refLen >= 3,
		"minRunes": int64(refLen - limit), "maxRunes": int64(refLen + limit),
	})
	if err != nil {
		return nil, err
	}
	keys := make([]learngraph.SuggestKey, 0, len(records))
	for _, rec := range records {
		text, err1 := value[string](rec, "text")
		kind, err2 := value[string](rec, "kind")
		id, err3 := value[string](rec, "id")
		if err := firstError(err1, err2, err3); err != nil {
			return nil, translate(err)
		}
		keys = append(keys, learngraph.SuggestKey{Text: text, Node: learngraph.NodeRef{Kind: learngraph.Kind(kind), ID: id}})
	}
	return learngraph.Suggest(ref, keys), nil
}

// checkKinds refuses kinds that are not kinds of node.
func checkKinds(kinds []learngraph.Kind) error {
	for _, k := range kinds {
		if !learngraph.ValidKind(k) {
			return learngraph.Errorf(learngraph.EINVALID, "unknown kind %q", k)
		}
	}
	return nil
}

// lookup resolves one ref among kinds in one round trip (a second on a
// miss, for suggestions).
func (s *snapshot) lookup(ctx context.Context, ref string, kinds ...learngraph.Kind) (learngraph.Node, error) {
	if len(kinds) == 0 {
		kinds = learngraph.Learnables
	}
	if strings.TrimSpace(ref) == "" {
		// The Resolver's own error, without asking Neo4j.
		_, err := learngraph.NewResolver().Resolve(ref, kinds...)
		return nil, err
	}
	q := &refQuery{}
	q.add(ref, kinds...)
	records, err := s.query(ctx, cypherLookup, q.params(nil))
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
	return s.resolve(ctx, ref, kinds, refs[0])
}

func (s *snapshot) Resolve(ctx context.Context, ref string, kinds ...learngraph.Kind) (learngraph.Node, error) {
	if err := checkKinds(kinds); err != nil {
		return nil, err
	}
	return s.lookup(ctx, ref, kinds...)
}

func (s *snapshot) Crate(ctx context.Context, name string) (*learngraph.Crate, error) {
	n, err := s.lookup(ctx, name, learngraph.KindCrate)
	if err != nil {
		return nil, err
	}
	return n.(*learngraph.Crate), nil
}
