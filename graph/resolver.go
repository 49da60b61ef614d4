// Package graph is the GraphQL edge of learngraph: the gqlgen executable
// schema generated from schema.graphqls, thin resolvers over a
// learngraph.Store, the per-operation snapshot and loaders, and the error
// presenter that turns domain error codes into extensions.code.
//
// It reads through the learngraph.Store contract only and never imports a
// backend.
package graph

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"learngraph"
)

// Resolver is the root resolver. It holds nothing per request: each
// operation reads through the snapshot and loaders that the operation
// middleware installed by NewHandler puts in its context.
type Resolver struct {
	heavy heavyWork // bounds the impact questions computed at once
}

// NewResolver returns the root resolver of one handler.
func NewResolver() *Resolver { return &Resolver{heavy: newHeavyWork()} }

// GapReport is the answer to Query.gaps: the findings of one snapshot.
type GapReport struct {
	Findings []learngraph.Finding
}

// countSeverity counts the findings of severity s.
func (g *GapReport) countSeverity(s learngraph.Severity) int {
	n := 0
	for _, f := range g.Findings {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// List sizes. Every list that can grow takes `first`, so a complexity limit
// can price it and no answer is unbounded. The largest `first` is an
// option (Options.MaxFirst).
const (
	defaultFirst = 50 // the schema's default for nested lists
	// MaxKnown is the most refs a learner may send as known; /graph.svg
	// takes the same.
	MaxKnown = 500
	// MaxTextRunes is the longest search text or ref; /graph.svg takes
	// the same.
	MaxTextRunes = 200
	// maxReasonRunes is the longest reason of an edge an impact question
	// adds, as the schema says.
	maxReasonRunes = 1000
)

// limit returns how many items a list with this `first` argument
// returns. nil (an explicit null) means the default. gqlgen hands a
// resolver the schema's default when the query leaves `first` out, so a
// value over the largest first is capped here rather than refused: an
// explicit one never gets this far, the limits refuse it before the
// operation runs (checkFirst).
func limit(ctx context.Context, first *int, def int) (int, error) {
	maxFirst := maxFirstOf(ctx)
	if first != nil && *first > maxFirst {
		return maxFirst, nil
	}
	return checkFirstArg(first, def, maxFirst)
}

// maxFirstOf returns the largest `first` the operation in ctx accepts.
func maxFirstOf(ctx context.Context) int {
	if op, err := operationFrom(ctx); err == nil && op.maxFirst > 0 {
		return op.maxFirst
	}
	return DefaultOptions().MaxFirst
}

func checkFirstArg(first *int, def, maxFirst int) (int, error) {
	if first == nil {
		return min(def, maxFirst), nil
	}
	switch n := *first; {
	case n < 1:
		return 0, learngraph.Errorf(learngraph.EINVALID, "first must be between 1 and %d, got %d", maxFirst, n)
	case n > maxFirst:
		return 0, &learngraph.Error{
			Code:    learngraph.ELIMIT,
			Message: fmt.Sprintf("first must be at most %d, got %d", maxFirst, n),
			Limit:   maxFirst,
		}
	default:
		return n, nil
	}
}

// defaultPage is the schema's default `first` of the root lists.
const defaultPage = 100

// page returns up to first items of list that come after the item whose
// id is after (from the start when after is nil). The root lists page by
// id: ids are stable, and the lists have a fixed order. An after that is
// not in the list is BAD_USER_INPUT.
func page[T learngraph.Node](ctx context.Context, list []T, first *int, after *string, what string) ([]T, error) {
	n, err := limit(ctx, first, defaultPage)
	if err != nil {
		return nil, err
	}
	if after != nil {
		i := slices.IndexFunc(list, func(x T) bool { return x.Ref().ID == *after })
		if i < 0 {
			return nil, learngraph.Errorf(learngraph.EINVALID, "after: no %s with id %q in this list", what, *after)
		}
		list = list[i+1:]
	}
	return list[:min(n, len(list))], nil
}

// checkKnown bounds the known list of studyPlan and nextUp: each ref costs
// a resolution and a closure walk.
func checkKnown(known []string) error {
	if len(known) > MaxKnown {
		return &learngraph.Error{
			Code:    learngraph.ELIMIT,
			Message: fmt.Sprintf("known lists at most %d refs, got %d", MaxKnown, len(known)),
			Limit:   MaxKnown,
		}
	}
	return nil
}

// relatedNodes returns up to first neighbours of the node id over rel, as
// T, through the operation's loader for rel.
func relatedNodes[T learngraph.Node](ctx context.Context, rel learngraph.Relation, id string, first *int) ([]T, error) {
	neighbors, err := firstRelated(ctx, rel, id, first)
	if err != nil {
		return nil, err
	}
	return nodesAs[T](neighborNodes(neighbors))
}

// firstRelated returns up to first neighbours of id over rel, checking
// first against the list limits.
func firstRelated(ctx context.Context, rel learngraph.Relation, id string, first *int) ([]learngraph.Neighbor, error) {
	n, err := limit(ctx, first, defaultFirst)
	if err != nil {
		return nil, err
	}
	neighbors, err := related(ctx, rel, id)
	if err != nil {
		return nil, err
	}
	return neighbors[:min(n, len(neighbors))], nil
}

// nodeByID returns the node of kind with id through the operation's loader
// for kind; the zero T (nil) when id is empty or unknown.
func nodeByID[T learngraph.Node](ctx context.Context, kind learngraph.Kind, id string) (T, error) {
	var zero T
	if id == "" {
		return zero, nil
	}
	n, err := loadNode(ctx, kind, id)
	if err != nil || n == nil {
		return zero, err
	}
	t, ok := n.(T)
	if !ok {
		return zero, fmt.Errorf("node %s %q is a %T, want %T", kind, id, n, zero)
	}
	return t, nil
}

// nodesByID returns the nodes of kind with the given ids in their order,
// leaving out unknown ids.
func nodesByID[T learngraph.Node](ctx context.Context, kind learngraph.Kind, ids []string) ([]T, error) {
	nodes, err := loadNodes(ctx, kind, ids)
	if err != nil {
		return nil, err
	}
	return nodesAs[T](nodes)
}

// allNodes returns every node of kind from the operation's snapshot.
func allNodes[T learngraph.Node](ctx context.Context, kind learngraph.Kind) ([]T, error) {
	snap, err := snapshot(ctx)
	if err != nil {
		return nil, err
	}
	nodes, err := snap.All(ctx, kind)
	if err != nil {
		return nil, err
	}
	return nodesAs[T](nodes)
}

// resolveRef resolves ref among kinds and returns nil, nil when nothing has
// that ref: the nullable lookups (concept, domainPath, …) answer null for
// an unknown ref but still report an ambiguous one.
func resolveRef[T learngraph.Node](ctx context.Context, ref string, kinds ...learngraph.Kind) (T, error) {
	var zero T
	snap, err := snapshot(ctx)
	if err != nil {
		return zero, err
	}
	n, err := snap.Resolve(ctx, ref, kinds...)
	if learngraph.ErrorCode(err) == learngraph.ENOTFOUND {
		return zero, nil
	}
	if err != nil || n == nil {
		return zero, err
	}
	t, ok := n.(T)
	if !ok {
		return zero, fmt.Errorf("ref %q resolved to a %T, want %T", ref, n, zero)
	}
	return t, nil
}

// neighborNodes drops the reasons.
func neighborNodes(neighbors []learngraph.Neighbor) []learngraph.Node {
	nodes := make([]learngraph.Node, len(neighbors))
	for i, nb := range neighbors {
		nodes[i] = nb.Node
	}
	return nodes
}

// nodesAs converts nodes to their concrete type, leaving out nil entries.
// A node of another type is a backend bug, reported as an internal error.
func nodesAs[T learngraph.Node](nodes []learngraph.Node) ([]T, error) {
	out := make([]T, 0, len(nodes))
	for _, n := range nodes {
		if n == nil {
			continue
		}
		t, ok := n.(T)
		if !ok {
			var zero T
			return nil, fmt.Errorf("store returned a %T where a %T belongs", n, zero)
		}
		out = append(out, t)
	}
	return out, nil
}

// ptrs returns pointers to the elements of s, which gqlgen wants for lists
// of objects; the elements are shared, not copied.
func ptrs[T any](s []T) []*T {
	out := make([]*T, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	return out
}

// optional returns nil for the empty string, so optional text reads as
// null rather than "".
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// source returns where an item is written, nil when nowhere in particular.
func source(s learngraph.Source) *learngraph.Source {
	if s.File == "" {
		return nil
	}
	return &s
}

// firstOf returns at most the first n elements of s.
func firstOf[T any](ctx context.Context, s []T, first *int) ([]T, error) {
	n, err := limit(ctx, first, defaultFirst)
	if err != nil {
		return nil, err
	}
	return s[:min(n, len(s))], nil
}

// relatedEdges returns up to first neighbours of id over rel with their
// reasons.
func relatedEdges(ctx context.Context, rel learngraph.Relation, id string, first *int) ([]*learngraph.Neighbor, error) {
	neighbors, err := firstRelated(ctx, rel, id, first)
	if err != nil {
		return nil, err
	}
	return ptrs(neighbors), nil
}

// corequisites returns the first co-requisites of concept id, strict or
// not, in document order. Both relations are asked at once, so their
// loaders batch them in the same window.
func corequisites(ctx context.Context, id string, first *int) ([]*Corequisite, error) {
	n, err := limit(ctx, first, defaultFirst)
	if err != nil {
		return nil, err
	}
	var (
		wg        sync.WaitGroup
		plain     []learngraph.Neighbor
		errPlain  error
		strict    []learngraph.Neighbor
		errStrict error
	)
	wg.Go(func() { plain, errPlain = related(ctx, learngraph.ConceptCorequisites, id) })
	wg.Go(func() { strict, errStrict = related(ctx, learngraph.ConceptStrictCorequisites, id) })
	wg.Wait()
	if err := cmp.Or(errPlain, errStrict); err != nil {
		return nil, err
	}
	out := make([]*Corequisite, 0, len(plain)+len(strict))
	for _, list := range []struct {
		neighbors []learngraph.Neighbor
		strict    bool
	}{{plain, false}, {strict, true}} {
		for _, nb := range list.neighbors {
			c, ok := nb.Node.(*learngraph.Concept)
			if !ok {
				return nil, fmt.Errorf("co-requisite is a %T, want a concept", nb.Node)
			}
			out = append(out, &Corequisite{Concept: c, Reason: nb.Reason, Strict: list.strict})
		}
	}
	slices.SortStableFunc(out, func(a, b *Corequisite) int { return learngraph.CompareNodes(a.Concept, b.Concept) })
	return out[:min(n, len(out))], nil
}

// searchText validates the text of a search.
func searchText(text string) (string, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", learngraph.Errorf(learngraph.EINVALID, "search text is empty")
	}
	if n := utf8.RuneCountInString(text); n > MaxTextRunes {
		return "", &learngraph.Error{
			Code:    learngraph.ELIMIT,
			Message: fmt.Sprintf("search text is at most %d characters, got %d", MaxTextRunes, n),
			Limit:   MaxTextRunes,
		}
	}
	return text, nil
}

// cratesIn returns the crates listed under category (any of a crate's
// headings, case-insensitive), every crate when category is nil.
func cratesIn(ctx context.Context, category *string) ([]*learngraph.Crate, error) {
	crates, err := allNodes[*learngraph.Crate](ctx, learngraph.KindCrate)
	if err != nil || category == nil {
		return crates, err
	}
	want := strings.TrimSpace(*category)
	var (
		out  []*learngraph.Crate
		keys []learngraph.SuggestKey
	)
	for _, c := range crates {
		cats := c.Categories
		if len(cats) == 0 && c.Category != "" {
			cats = []string{c.Category}
		}
		matched := false
		for _, cat := range cats {
			if strings.EqualFold(cat, want) {
				matched = true
			}
			// Categories are not nodes; key them by their own text so
			// each is suggested once.
			keys = append(keys, learngraph.SuggestKey{Text: cat, Node: learngraph.NodeRef{Kind: "category", ID: strings.ToLower(cat)}})
		}
		if matched {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		suggestions := learngraph.Suggest(want, keys)
		msg := fmt.Sprintf("no crate category %q", want)
		if len(suggestions) > 0 {
			msg += fmt.Sprintf("; did you mean %q?", suggestions[0])
		}
		return nil, &learngraph.Error{Code: learngraph.ENOTFOUND, Message: msg, Suggestions: suggestions}
	}
	return out, nil
}

// deref returns *s, or "" for nil.
func deref[T any](s *T) T {
	var zero T
	if s == nil {
		return zero
	}
	return *s
}

// conceptEdges pairs each concept of a page with its cursor.
func conceptEdges(page *learngraph.ConceptPage) []*ConceptEdge {
	edges := make([]*ConceptEdge, len(page.Concepts))
	for i, c := range page.Concepts {
		edges[i] = &ConceptEdge{Cursor: learngraph.ConceptCursor(c.ID), Node: c}
	}
	return edges
}
