package main

import (
	"io/fs"

	"learngraph"
	"learngraph/loader"
)

// load reads the documents in fsys and analyses them. The graph comes back
// whenever the documents could be read, even when analysis refuses them,
// so check can still say what was loaded.
func load(fsys fs.FS) (*learngraph.Graph, *learngraph.Curriculum, error) {
	g, err := loader.Load(fsys)
	if err != nil {
		return g, nil, err
	}
	c, err := learngraph.Analyze(g)
	return g, c, err
}

// counts returns the number of nodes of each kind, in the order of
// learngraph.Kinds.
func counts(g *learngraph.Graph) []learngraph.KindCount {
	out := make([]learngraph.KindCount, 0, len(learngraph.Kinds))
	for _, k := range learngraph.Kinds {
		n := 0
		if g != nil {
			n = len(learngraph.GraphNodes(g, k))
		}
		out = append(out, learngraph.KindCount{Kind: k, Count: n})
	}
	return out
}
