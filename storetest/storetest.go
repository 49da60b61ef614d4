// Package storetest is the contract every learngraph.Store fulfils, as one
// test suite run against each implementation (the embedded store and
// Neo4j), so both give identical answers. It also generates synthetic
// curricula for benchmarks and large-graph tests.
//
// The suite knows stores only through learngraph.Store: it builds its own
// curricula as Go values (Fixture), analyses them, hands each to the
// store under test, and asserts exact answers.
package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"learngraph"
)

// Opener opens the store under test, serving c (already analysed: metrics
// and findings are set). It may return a nil Replacer when the store
// cannot switch curricula; the suite then skips what needs one. Cleanup
// belongs in t.Cleanup.
type Opener func(t *testing.T, c *learngraph.Curriculum) (learngraph.Store, Replacer)

// Replacer makes the store serve c from now on, the way a new load would
// (the embedded store swaps its index; a Neo4j store loads c as a new
// version and waits until the store has switched to it). It returns once
// new snapshots answer from c.
type Replacer func(t *testing.T, c *learngraph.Curriculum)

// Run runs the conformance suite against the store open returns.
func Run(t *testing.T, open Opener) {
	c := Analyzed(t, Fixture())
	store, _ := open(t, c)
	snap, err := store.Snapshot(t.Context())
	if err != nil {
		t.Fatalf("Snapshot: %v", err)
	}
	f := &fixture{snap: snap, curriculum: c}

	t.Run("Info", f.testInfo)
	t.Run("Resolve", f.testResolve)
	t.Run("ResolveErrors", f.testResolveErrors)
	t.Run("SpecialCharacters", f.testSpecialCharacters)
	t.Run("Nodes", f.testNodes)
	t.Run("All", f.testAll)
	t.Run("Metrics", f.testMetrics)
	t.Run("Concepts", f.testConcepts)
	t.Run("Crate", f.testCrate)
	t.Run("Related", f.testRelated)
	t.Run("Challenges", f.testChallenges)
	t.Run("StudyPlan", f.testStudyPlan)
	t.Run("NextUp", f.testNextUp)
	t.Run("WhyRequired", f.testWhyRequired)
	t.Run("Search", f.testSearch)
	t.Run("Findings", f.testFindings)
	t.Run("Whole", f.testWhole)
	t.Run("Versions", func(t *testing.T) { testVersions(t, open) })
	t.Run("CoRequisites", func(t *testing.T) { testCoRequisites(t, open) })
}

// Analyzed runs learngraph.Analyze on g and gives the curriculum the
// fixed load time FixtureLoadedAt, failing t if g is invalid.
func Analyzed(t testing.TB, g *learngraph.Graph) *learngraph.Curriculum {
	t.Helper()
	c, err := learngraph.Analyze(g)
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	c.LoadedAt = FixtureLoadedAt
	return c
}

// fixture is the snapshot under test with the curriculum it serves.
type fixture struct {
	snap       learngraph.Snapshot
	curriculum *learngraph.Curriculum
}

// refs names nodes as "Kind:id" ("<nil>" for a missing one), the form the
// suite compares answers in.
func refs(nodes []learngraph.Node) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		if n == nil || isNilNode(n) {
			out[i] = "<nil>"
			continue
		}
		out[i] = string(n.Ref().Kind) + ":" + n.Ref().ID
	}
	return out
}

// isNilNode catches a typed nil pointer inside the Node interface.
func isNilNode(n learngraph.Node) bool {
	switch n := n.(type) {
	case *learngraph.Concept:
		return n == nil
	case *learngraph.Topic:
		return n == nil
	case *learngraph.DomainPath:
		return n == nil
	case *learngraph.Crate:
		return n == nil
	case *learngraph.Challenge:
		return n == nil
	case *learngraph.Phase:
		return n == nil
	case *learngraph.Competency:
		return n == nil
	}
	return false
}

func conceptIDs(cs []*learngraph.Concept) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

// describe prints a node with every field, nil and empty lists alike, so
// that a store must round-trip all of a node's data to compare equal.
func describe(n learngraph.Node) string {
	if n == nil || isNilNode(n) {
		return "<nil>"
	}
	return fmt.Sprintf("%T%+v", n, n)
}

// wantError fails t unless err is a *learngraph.Error with code and, when
// given, exactly these suggestions, candidates and message.
type wantError struct {
	code        learngraph.Code
	message     string // "" = not checked
	suggestions []string
	candidates  []string
}

func (w wantError) check(t *testing.T, what string, err error) {
	t.Helper()
	var e *learngraph.Error
	if !errors.As(err, &e) {
		t.Errorf("%s: error %v, want a %s *learngraph.Error", what, err, w.code)
		return
	}
	if e.Code != w.code {
		t.Errorf("%s: code %s (%v), want %s", what, e.Code, err, w.code)
	}
	if w.message != "" && e.Message != w.message {
		t.Errorf("%s: message\n got %q\nwant %q", what, e.Message, w.message)
	}
	if w.code == learngraph.ENOTFOUND && !slices.Equal(e.Suggestions, w.suggestions) {
		t.Errorf("%s: suggestions %q, want %q", what, e.Suggestions, w.suggestions)
	}
	if w.code == learngraph.EAMBIGUOUS && !slices.Equal(e.Candidates, w.candidates) {
		t.Errorf("%s: candidates %q, want %q", what, e.Candidates, w.candidates)
	}
}

func notFound(message string, suggestions ...string) wantError {
	return wantError{code: learngraph.ENOTFOUND, message: message, suggestions: suggestions}
}

var badInput = wantError{code: learngraph.EINVALID}

// advancedPatterns is the AMBIGUOUS error of the name two concepts share.
var advancedPatterns = wantError{
	code:       learngraph.EAMBIGUOUS,
	message:    `"Advanced Patterns" names 2 concepts (advanced-patterns--advanced-trait-system, advanced-patterns--macros-and-metaprogramming); use an id`,
	candidates: []string{"advanced-patterns--advanced-trait-system", "advanced-patterns--macros-and-metaprogramming"},
}

func formatScore(s float64) string { return fmt.Sprintf("%.2f", s) }
