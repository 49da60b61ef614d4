package picture_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"learngraph"
	"learngraph/loader"
	"learngraph/picture"
	"learngraph/seeds"
)

// seedCurriculum loads and analyses the bundled curriculum.
func seedCurriculum(t testing.TB) *learngraph.Curriculum {
	t.Helper()
	g, err := loader.Load(seeds.FS)
	if err != nil {
		t.Fatalf("load seeds: %v", err)
	}
	c, err := learngraph.Analyze(g)
	if err != nil {
		t.Fatalf("Analyze seeds: %v", err)
	}
	return c
}

// sharedRenderer is one Renderer for the whole test binary, as a process
// should have; tests that need a fresh one make their own.
var sharedRenderer = sync.OnceValues(func() (*picture.Renderer, error) {
	return picture.NewRenderer(context.Background())
})

func renderer(t testing.TB) *picture.Renderer {
	t.Helper()
	r, err := sharedRenderer()
	if err != nil {
		t.Fatalf("NewRenderer: %v", err)
	}
	return r
}

// drawn is what a test reads back from one output format: the concept
// nodes by id with their mark classes, and the edges by "from->to" node
// keys with theirs.
type drawn struct {
	nodes map[string][]string // key → classes (marks only, sorted)
	edges map[string][]string // "from->to" → classes (marks only, sorted)
	text  string
}

func writeAll(t *testing.T, p *picture.Picture) map[string]string {
	t.Helper()
	var dot, mermaid, svg bytes.Buffer
	if err := p.WriteDOT(&dot); err != nil {
		t.Fatalf("WriteDOT: %v", err)
	}
	if err := p.WriteMermaid(&mermaid); err != nil {
		t.Fatalf("WriteMermaid: %v", err)
	}
	if err := renderer(t).SVG(t.Context(), p, &svg); err != nil {
		t.Fatalf("SVG: %v\nDOT:\n%s", err, dot.String())
	}
	return map[string]string{"dot": dot.String(), "mermaid": mermaid.String(), "svg": svg.String()}
}

var (
	dotNode = regexp.MustCompile(`(?m)^\t"((?:concept|topic|phase|no)-[^"]*)" \[id="[^"]*", class="([^"]*)"`)
	dotEdge = regexp.MustCompile(`(?m)^\t"([^"]*)" -> "([^"]*)" \[class="([^"]*)"`)
	mmNode  = regexp.MustCompile(`(?m)^\t((?:concept|topic|phase|no)_\w+)\[`)
	mmClass = regexp.MustCompile(`(?m)^\tclass ((?:concept|topic|phase|no)_\w+) (\w+)$`)
	mmEdge  = regexp.MustCompile(`(?m)^\t(\w+) (-->|-\.->|==>)(?:\|"[^"]*"\|)? (\w+)$`)
	mmStyle = regexp.MustCompile(`(?m)^\tlinkStyle (\d+) (.*)$`)
)

// markClasses keeps the classes that name marks.
func markClasses(classes []string) []string {
	var out []string
	for _, c := range classes {
		switch c {
		case "goal", "untaught", "orphan", "cycle", "redundant", "co":
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

func readDOT(text string) drawn {
	d := drawn{nodes: map[string][]string{}, edges: map[string][]string{}, text: text}
	for _, m := range dotNode.FindAllStringSubmatch(text, -1) {
		d.nodes[m[1]] = markClasses(strings.Fields(m[2]))
	}
	for _, m := range dotEdge.FindAllStringSubmatch(text, -1) {
		d.edges[m[1]+"->"+m[2]] = markClasses(strings.Fields(m[3]))
	}
	return d
}

// readMermaid maps Mermaid ids back to keys by the rule the writer
// follows for keys of letters, digits and '-'.
func readMermaid(text string) drawn {
	d := drawn{nodes: map[string][]string{}, edges: map[string][]string{}, text: text}
	unkey := func(id string) string {
		if strings.HasPrefix(id, "no_") {
			return strings.Replace(id, "_", "-", 1)
		}
		kind, rest, _ := strings.Cut(id, "_")
		return kind + "-" + strings.ReplaceAll(rest, "_", "-")
	}
	for _, m := range mmNode.FindAllStringSubmatch(text, -1) {
		d.nodes[unkey(m[1])] = []string{}
	}
	for _, m := range mmClass.FindAllStringSubmatch(text, -1) {
		k := unkey(m[1])
		d.nodes[k] = markClasses(append(d.nodes[k], m[2]))
	}
	styles := map[string]string{}
	for _, m := range mmStyle.FindAllStringSubmatch(text, -1) {
		styles[m[1]] = m[2]
	}
	for i, m := range mmEdge.FindAllStringSubmatch(text, -1) {
		if strings.HasPrefix(m[1], "legend") {
			continue
		}
		var marks []string
		style := styles[strconv.Itoa(i)]
		switch {
		case m[2] == "==>" || strings.Contains(style, "#d62728"):
			marks = append(marks, "cycle")
		}
		if m[2] == "-.->" {
			marks = append(marks, "co")
		}
		if strings.Contains(style, "dasharray") {
			marks = append(marks, "redundant")
		}
		d.edges[unkey(m[1])+"->"+unkey(m[3])] = markClasses(marks)
	}
	return d
}

// svgNode is one <g class="node ..."> of an SVG.
type svgNode struct {
	id, tooltip string
	classes     []string
	texts       []string // the <text> lines of its label
}

// readSVG decodes an SVG strictly as XML and returns its node and edge
// groups.
func readSVG(t *testing.T, text string) (drawn, []svgNode) {
	t.Helper()
	d := drawn{nodes: map[string][]string{}, edges: map[string][]string{}, text: text}
	var nodes []svgNode
	dec := xml.NewDecoder(strings.NewReader(text))
	dec.Strict = true
	type open struct {
		kind    string // "node", "edge" or ""
		node    int    // index in nodes
		classes []string
		title   bool
		text    bool
	}
	var stack []open
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, text)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			o := open{node: -1}
			if len(stack) > 0 {
				o.node = stack[len(stack)-1].node
				o.kind = stack[len(stack)-1].kind
			}
			attr := func(local string) string {
				for _, a := range tok.Attr {
					if a.Name.Local == local {
						return a.Value
					}
				}
				return ""
			}
			switch tok.Name.Local {
			case "g":
				classes := strings.Fields(attr("class"))
				switch {
				case slices.Contains(classes, "node"):
					o.kind, o.classes = "node", classes
					nodes = append(nodes, svgNode{id: attr("id"), classes: classes})
					o.node = len(nodes) - 1
				case slices.Contains(classes, "edge"):
					o.kind, o.classes = "edge", classes
				}
			case "a":
				if o.kind == "node" && o.node >= 0 {
					nodes[o.node].tooltip = attr("title")
				}
			case "text":
				o.text = true
				if o.kind == "node" && o.node >= 0 {
					nodes[o.node].texts = append(nodes[o.node].texts, "")
				}
			case "title":
				o.title = true
				if len(stack) > 0 {
					o.classes = stack[len(stack)-1].classes
				}
			}
			stack = append(stack, o)
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			if top := stack[len(stack)-1]; top.text && top.kind == "node" && top.node >= 0 {
				texts := nodes[top.node].texts
				texts[len(texts)-1] += string(tok)
			}
			if top := stack[len(stack)-1]; top.title && top.kind == "edge" && !slices.Contains(top.classes, "legend") {
				d.edges[string(tok)] = markClasses(top.classes)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	for _, n := range nodes {
		if !slices.Contains(n.classes, "legend") {
			d.nodes[n.id] = markClasses(n.classes)
		}
	}
	return d, nodes
}
