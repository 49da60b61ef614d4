package report_test

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"learngraph"
	"learngraph/loader"
	"learngraph/picture"
	"learngraph/report"
	"learngraph/seeds"
)

// renderer is one Graphviz for the test binary: each one starts a
// WebAssembly instance, and a process should have one.
var renderer = sync.OnceValues(func() (*picture.Renderer, error) {
	return picture.NewRenderer(context.Background())
})

// render draws p the way check --html does.
func render(t *testing.T, p *picture.Picture) []byte {
	t.Helper()
	r, err := renderer()
	if err != nil {
		t.Fatalf("NewRenderer: %v", err)
	}
	var svg bytes.Buffer
	if err := r.SVG(t.Context(), p, &svg); err != nil {
		t.Fatalf("SVG: %v", err)
	}
	return svg.Bytes()
}

func seedCurriculum(t *testing.T) *learngraph.Curriculum {
	t.Helper()
	g, err := loader.Load(seeds.FS)
	if err != nil {
		t.Fatal(err)
	}
	c, err := learngraph.Analyze(g)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func handConcept(id, name string, i int, taught bool) *learngraph.Concept {
	return &learngraph.Concept{ID: id, Name: name, Taught: taught, Pos: learngraph.Position{Phase: 1, Index: i}}
}

func handLink(rel learngraph.Rel, from, to string) learngraph.Link {
	return learngraph.Link{Rel: rel,
		From: learngraph.NodeRef{Kind: learngraph.KindConcept, ID: from},
		To:   learngraph.NodeRef{Kind: learngraph.KindConcept, ID: to}}
}

// marked is a graph whose picture uses every node and edge style, with
// names that are markup: a redundant edge, an untaught prerequisite, an
// orphan and co-requisites; with cycle, also a cycle, so Analyze refuses
// it and its findings come from the error (and no longer name the
// redundant edge).
func marked(t *testing.T, cycle bool) (*learngraph.Graph, []learngraph.Finding) {
	t.Helper()
	R, Co := learngraph.Requires, learngraph.CoRequires
	g := &learngraph.Graph{
		Concepts: []*learngraph.Concept{
			handConcept("a", `<script>alert("a")</script>`, 0, true),
			handConcept("b", `B & "quotes" <b>bold</b>`, 1, true),
			handConcept("c", `C\with\backslashes ]]> --> <!--`, 2, true),
			handConcept("orphan", "Orphan", 3, true),
			handConcept("untaught", "Untaught <img src=x onerror=alert(1)>", 4, false),
			handConcept("d", "D", 5, true), handConcept("e", "E", 6, true),
		},
		Links: []learngraph.Link{
			handLink(R, "a", "b"), handLink(R, "b", "c"), handLink(R, "a", "c"), handLink(R, "c", "untaught"),
			handLink(Co, "d", "e"),
		},
	}
	if cycle {
		g.Concepts = append(g.Concepts, handConcept("x", "X", 7, true), handConcept("y", "Y", 8, true))
		g.Links = append(g.Links, handLink(R, "x", "y"), handLink(R, "y", "x"))
	}
	c, err := learngraph.Analyze(g)
	if err == nil {
		return g, c.Findings
	}
	ce, ok := errors.AsType[*learngraph.CurriculumError](err)
	if !ok {
		t.Fatalf("Analyze: %v", err)
	}
	return g, append(slices.Clone(ce.Problems), ce.Warnings...)
}

var nodeGroup = regexp.MustCompile(`<g id="[^"]*" class="node[ "]`)

// TestSafeSVGAcceptsPictures runs what the picture package really draws
// through SafeSVG: the check must accept every style of it, and keep every
// node, link title and mark class.
func TestSafeSVGAcceptsPictures(t *testing.T) {
	seed := seedCurriculum(t)
	gaps, gapFindings := marked(t, false)
	cyclic, cycleFindings := marked(t, true)
	tests := []struct {
		name     string
		picture  func(t *testing.T) (*picture.Picture, error)
		contains []string // in the accepted markup
	}{
		{"WholeSeed", func(*testing.T) (*picture.Picture, error) {
			return picture.FromCurriculum(seed, picture.Scope{}, picture.Options{})
		}, []string{`id="concept-generic-associated-types"`, `class="node concept untaught"`, `id="legend"`}},
		{"GATsPlan", func(*testing.T) (*picture.Picture, error) {
			return picture.FromCurriculum(seed, picture.Scope{Goal: "GATs"}, picture.Options{})
		}, []string{`class="node concept goal"`, `xlink:title="Generic Associated Types"`}},
		{"Folded", func(*testing.T) (*picture.Picture, error) {
			return picture.FromCurriculum(seed, picture.Scope{}, picture.Options{MaxNodes: 10})
		}, []string{`class="node phase`, "folded into"}},
		{"Gaps", func(*testing.T) (*picture.Picture, error) {
			return picture.Select(gaps, gapFindings, picture.Scope{}, picture.Options{})
		}, []string{`class="edge requisite redundant"`, `class="node concept untaught"`, `class="node concept orphan"`,
			`class="edge requisite co"`, `&lt;script&gt;alert(&#34;a&#34;)&lt;/script&gt;`, `id="legend-edge-redundant"`}},
		{"Cycle", func(*testing.T) (*picture.Picture, error) {
			return picture.Select(cyclic, cycleFindings, picture.Scope{}, picture.Options{})
		}, []string{`class="edge requisite cycle"`, `id="legend-edge-cycle"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := tt.picture(t)
			if err != nil {
				t.Fatal(err)
			}
			svg := render(t, p)
			got, err := report.SafeSVG(svg)
			if err != nil {
				t.Fatalf("refused real picture output: %v", err)
			}
			checkInlinable(t, got)
			if in, out := len(nodeGroup.FindAll(svg, -1)), len(nodeGroup.FindAll(got, -1)); in == 0 || in != out {
				t.Errorf("%d node groups drawn, %d accepted", in, out)
			}
			for _, want := range tt.contains {
				if !strings.Contains(string(got), want) {
					t.Errorf("accepted markup lacks %q", want)
				}
			}
			if bytes.Contains(bytes.ToLower(got), []byte("<script")) || bytes.Contains(got, []byte("<img")) {
				t.Errorf("a name became markup:\n%s", got)
			}
		})
	}
}
