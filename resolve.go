package learngraph

import (
	"fmt"
	"slices"
	"strings"
)

// Resolver finds the node a ref means: an id, a name or an alias, matched
// case-insensitively. An id beats a name; among kinds, the first kind asked
// for wins (Concept > Topic > DomainPath by default). A name that two nodes
// of the winning kind share is AMBIGUOUS; a ref that matches nothing is
// NOT_FOUND with did-you-mean suggestions.
//
// Build one per curriculum with NewResolver (or IndexGraph) and Add; it is
// safe for concurrent reads once built.
type Resolver struct {
	byID   map[string][]NodeRef // lowercased id → nodes with that id (one per kind at most)
	byName map[string][]NodeRef // lowercased name or alias → nodes known by it
	keys   []SuggestKey
}

// NewResolver returns an empty Resolver.
func NewResolver() *Resolver {
	return &Resolver{byID: map[string][]NodeRef{}, byName: map[string][]NodeRef{}}
}

// IndexGraph returns a Resolver that knows every node of g.
func IndexGraph(g *Graph) *Resolver {
	r := NewResolver()
	for _, kind := range Kinds {
		for _, n := range GraphNodes(g, kind) {
			r.Add(n)
		}
	}
	return r
}

// Add makes n resolvable by its id, names and aliases (see NodeKeys).
func (r *Resolver) Add(n Node) {
	id, names := NodeKeys(n)
	r.AddKeys(n.Ref(), id, names...)
}

// AddKeys makes node resolvable by id and by each of names; empty names
// are skipped.
func (r *Resolver) AddKeys(node NodeRef, id string, names ...string) {
	if id != "" {
		addOnce(r.byID, strings.ToLower(id), node)
		r.keys = append(r.keys, SuggestKey{Text: id, Node: node})
	}
	for _, name := range names {
		if strings.TrimSpace(name) == "" {
			continue
		}
		addOnce(r.byName, strings.ToLower(strings.TrimSpace(name)), node)
		r.keys = append(r.keys, SuggestKey{Text: name, Node: node})
	}
}

func addOnce(m map[string][]NodeRef, key string, node NodeRef) {
	if !slices.Contains(m[key], node) {
		m[key] = append(m[key], node)
	}
}

// Resolve returns the node ref means among kinds (Learnables when none are
// given). Returns BAD_USER_INPUT for an empty ref, AMBIGUOUS when a name is
// shared by several nodes of the first matching kind, NOT_FOUND with
// suggestions when nothing matches.
func (r *Resolver) Resolve(ref string, kinds ...Kind) (NodeRef, error) {
	if len(kinds) == 0 {
		kinds = Learnables
	}
	if strings.TrimSpace(ref) == "" {
		return NodeRef{}, Errorf(EINVALID, "empty ref: give an id, a name or an alias")
	}
	switch matches := r.Lookup(ref, kinds...); len(matches) {
	case 0:
		return NodeRef{}, NotFoundError(ref, kinds, r.Suggest(ref, kinds...))
	case 1:
		return matches[0], nil
	default:
		return NodeRef{}, AmbiguousError(ref, matches)
	}
}

// Lookup is Resolve without the errors, for callers that test many refs
// and need no suggestions: it returns the one node ref means, the nodes a
// shared name means (all of the first matching kind), or nothing.
func (r *Resolver) Lookup(ref string, kinds ...Kind) []NodeRef {
	if len(kinds) == 0 {
		kinds = Learnables
	}
	key := strings.ToLower(strings.TrimSpace(ref))
	if key == "" {
		return nil
	}
	for _, kind := range kinds {
		if matches := ofKind(r.byID[key], kind); len(matches) > 0 {
			return matches[:1]
		}
	}
	for _, kind := range kinds {
		if matches := ofKind(r.byName[key], kind); len(matches) > 0 {
			return matches
		}
	}
	return nil
}

// Suggest returns up to five keys of nodes of kinds (Learnables when none
// are given) that ref may have meant; see the package function Suggest.
func (r *Resolver) Suggest(ref string, kinds ...Kind) []string {
	if len(kinds) == 0 {
		kinds = Learnables
	}
	var keys []SuggestKey
	for _, k := range r.keys {
		if slices.Contains(kinds, k.Node.Kind) {
			keys = append(keys, k)
		}
	}
	return Suggest(ref, keys)
}

func ofKind(nodes []NodeRef, kind Kind) []NodeRef {
	var out []NodeRef
	for _, n := range nodes {
		if n.Kind == kind {
			out = append(out, n)
		}
	}
	return out
}

// NotFoundError is the NOT_FOUND error for a ref that names no node of
// kinds: `no concept "GAT"; did you mean "GATs"?`.
func NotFoundError(ref string, kinds []Kind, suggestions []string) *Error {
	nouns := make([]string, len(kinds))
	for i, k := range kinds {
		nouns[i] = kindNoun(k, false)
	}
	msg := fmt.Sprintf("no %s %q", joinWords(nouns, "or"), ref)
	if len(suggestions) > 0 {
		quoted := make([]string, len(suggestions))
		for i, s := range suggestions {
			quoted[i] = fmt.Sprintf("%q", s)
		}
		msg += "; did you mean " + joinWords(quoted, "or") + "?"
	}
	return &Error{Code: ENOTFOUND, Message: msg, Suggestions: suggestions}
}

// AmbiguousError is the AMBIGUOUS error for a ref that names several nodes
// of one kind; the candidates are their ids, sorted.
func AmbiguousError(ref string, nodes []NodeRef) *Error {
	ids := make([]string, len(nodes))
	for i, n := range nodes {
		ids[i] = n.ID
	}
	slices.Sort(ids)
	noun := kindNoun(nodes[0].Kind, true)
	return &Error{
		Code:       EAMBIGUOUS,
		Message:    fmt.Sprintf("%q names %d %s (%s); use an id", ref, len(ids), noun, strings.Join(ids, ", ")),
		Candidates: ids,
	}
}
