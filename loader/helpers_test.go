package loader_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"learngraph"
	"learngraph/loader"
)

const seedDoc = "rust-phase-4-advanced.md"

// readFile returns the bytes of a file the tests use, failing the test when
// it is missing.
func readFile(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// seedFS is the seed document (read from the seeds directory, so the test
// cannot drift from it) with the tests' own small links file, plus extra
// files.
func seedFS(tb testing.TB, extra map[string]string) fstest.MapFS {
	tb.Helper()
	fsys := fstest.MapFS{
		seedDoc:      {Data: readFile(tb, "../seeds/"+seedDoc)},
		"links.yaml": {Data: readFile(tb, "testdata/seed/links.yaml")},
	}
	for name, text := range extra {
		if text == "" {
			delete(fsys, name)
			continue
		}
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return fsys
}

// mustLoad loads fsys and fails the test with every problem when it does
// not form a graph.
func mustLoad(tb testing.TB, fsys fs.FS) *learngraph.Graph {
	tb.Helper()
	g, err := loader.Load(fsys)
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	if err := checkGraph(g); err != nil {
		tb.Fatal(err)
	}
	return g
}

// loadProblems loads fsys and returns the CurriculumError it must fail
// with.
func loadProblems(tb testing.TB, fsys fs.FS) *learngraph.CurriculumError {
	tb.Helper()
	g, err := loader.Load(fsys)
	if err == nil {
		tb.Fatalf("Load succeeded with %d concepts; want a CurriculumError", len(g.Concepts))
	}
	ce, ok := errors.AsType[*learngraph.CurriculumError](err)
	if !ok {
		tb.Fatalf("Load error is %T (%v), want *learngraph.CurriculumError", err, err)
	}
	if len(ce.Problems) == 0 {
		tb.Fatal("CurriculumError without problems")
	}
	return ce
}

func byID[T learngraph.Node](tb testing.TB, nodes []T, id string) T {
	tb.Helper()
	for _, n := range nodes {
		if n.Ref().ID == id {
			return n
		}
	}
	tb.Fatalf("no %T with id %q", *new(T), id)
	var zero T
	return zero
}

func hasNode[T learngraph.Node](nodes []T, id string) bool {
	for _, n := range nodes {
		if n.Ref().ID == id {
			return true
		}
	}
	return false
}

// findLink returns the link rel from → to, if there is one.
func findLink(g *learngraph.Graph, rel learngraph.Rel, from, to learngraph.NodeRef) (learngraph.Link, bool) {
	for _, l := range g.Links {
		if l.Rel == rel && l.From == from && l.To == to {
			return l, true
		}
	}
	return learngraph.Link{}, false
}

func concept(id string) learngraph.NodeRef {
	return learngraph.NodeRef{Kind: learngraph.KindConcept, ID: id}
}

func topic(id string) learngraph.NodeRef {
	return learngraph.NodeRef{Kind: learngraph.KindTopic, ID: id}
}

func phase(id string) learngraph.NodeRef {
	return learngraph.NodeRef{Kind: learngraph.KindPhase, ID: id}
}

// checkGraph states what every loaded graph must satisfy: ids non-empty
// and unique per kind, every link between existing nodes, every list in
// document order.
func checkGraph(g *learngraph.Graph) error {
	if g == nil {
		return errors.New("nil graph without error")
	}
	exists := map[learngraph.NodeRef]bool{}
	for _, kind := range learngraph.Kinds {
		var prev learngraph.Node
		for _, n := range learngraph.GraphNodes(g, kind) {
			ref := n.Ref()
			if ref.ID == "" || strings.TrimSpace(ref.ID) != ref.ID {
				return fmt.Errorf("%s with bad id %q", kind, ref.ID)
			}
			if exists[ref] {
				return fmt.Errorf("%s %q defined twice", kind, ref.ID)
			}
			exists[ref] = true
			if kind != learngraph.KindPhase && prev != nil && prev.Order().Compare(n.Order()) > 0 {
				return fmt.Errorf("%s %q sorts before %q", kind, n.Ref().ID, prev.Ref().ID)
			}
			prev = n
		}
	}
	for _, l := range g.Links {
		if !exists[l.From] || !exists[l.To] {
			return fmt.Errorf("link %s %v → %v to a node that does not exist", l.Rel, l.From, l.To)
		}
		if l.Rel == learngraph.Requires && l.Reason == "" {
			return fmt.Errorf("REQUIRES %v → %v without a reason", l.From, l.To)
		}
	}
	for _, c := range g.Concepts {
		if c.Topic != "" && !exists[topic(c.Topic)] {
			return fmt.Errorf("concept %q has unknown topic %q", c.ID, c.Topic)
		}
		if c.Phase != "" && !exists[phase(c.Phase)] {
			return fmt.Errorf("concept %q has unknown phase %q", c.ID, c.Phase)
		}
	}
	if len(g.Version) != 64 {
		return fmt.Errorf("version %q is not a hex SHA-256", g.Version)
	}
	return nil
}
