package loader

import "learngraph"

// index is the loader's view of learngraph.Resolver: the same keys and
// rules as the stores use, so a ref resolves identically at load time and
// at query time. The loader asks many questions that are expected to miss
// (is this alias free? does this name exist yet?), so those go through
// Resolver.Lookup, which computes no did-you-mean suggestions.
type index struct {
	res *learngraph.Resolver
}

func newIndex() *index { return &index{res: learngraph.NewResolver()} }

// add makes n resolvable by its id and names.
func (x *index) add(n learngraph.Node) { x.res.Add(n) }

// alias makes node resolvable by one more name.
func (x *index) alias(node learngraph.NodeRef, alias string) { x.res.AddKeys(node, "", alias) }

// lookup returns what ref names among kinds: one node, several (an
// ambiguous name), or none.
func (x *index) lookup(ref string, kinds ...learngraph.Kind) []learngraph.NodeRef {
	return x.res.Lookup(ref, kinds...)
}

// lookupOne returns the node ref names, if exactly one.
func (x *index) lookupOne(ref string, kinds ...learngraph.Kind) (learngraph.NodeRef, bool) {
	if m := x.lookup(ref, kinds...); len(m) == 1 {
		return m[0], true
	}
	return learngraph.NodeRef{}, false
}

// resolve is lookupOne with the Resolver's NOT_FOUND (with suggestions)
// or AMBIGUOUS error when it fails.
func (x *index) resolve(ref string, kinds ...learngraph.Kind) (learngraph.NodeRef, error) {
	if n, ok := x.lookupOne(ref, kinds...); ok {
		return n, nil
	}
	return x.res.Resolve(ref, kinds...)
}
