package picture_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"learngraph"
	"learngraph/inmem"
	"learngraph/picture"
	"learngraph/storetest"
)

// gatsPlan is the seed's study plan for GATs, in plan order.
var gatsPlan = []string{"ownership", "generics", "traits", "lifetimes", "associated-types", "generic-associated-types"}

func conceptKeys(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = "concept-" + id
	}
	return out
}

func TestGATsPlan(t *testing.T) {
	c := seedCurriculum(t)
	p, err := picture.FromCurriculum(c, picture.Scope{Goal: "GATs"}, picture.Options{})
	if err != nil {
		t.Fatalf("FromCurriculum: %v", err)
	}
	outputs := writeAll(t, p)
	want := conceptKeys(gatsPlan)
	slices.Sort(want)

	tests := []struct {
		format string
		read   func(t *testing.T, text string) drawn
	}{
		{"dot", func(_ *testing.T, text string) drawn { return readDOT(text) }},
		{"mermaid", func(_ *testing.T, text string) drawn { return readMermaid(text) }},
		{"svg", func(t *testing.T, text string) drawn { d, _ := readSVG(t, text); return d }},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			d := tt.read(t, outputs[tt.format])
			if got := slices.Sorted(maps.Keys(d.nodes)); !slices.Equal(got, want) {
				t.Errorf("nodes %v, want one per plan step %v\n%s", got, want, d.text)
			}
			if got := d.nodes["concept-generic-associated-types"]; !slices.Equal(got, []string{"goal"}) {
				t.Errorf("goal marked %v, want [goal]", got)
			}
			if got := d.nodes["concept-ownership"]; !slices.Equal(got, []string{"untaught"}) {
				t.Errorf("ownership marked %v, want [untaught] (no loaded document teaches it)", got)
			}
			if _, ok := d.edges["concept-lifetimes->concept-generic-associated-types"]; !ok {
				t.Errorf("no edge from lifetimes to GATs (prerequisite first): %v", slices.Sorted(maps.Keys(d.edges)))
			}
		})
	}

	t.Run("Ranks", func(t *testing.T) {
		ranks := regexp.MustCompile(`(?m)^\t\{ rank=same;(.*) \}$`).FindAllStringSubmatch(outputs["dot"], -1)
		var got []string
		for _, r := range ranks {
			got = append(got, strings.TrimSpace(r[1]))
		}
		want := []string{
			`"concept-ownership"; "concept-generics"; "concept-traits";`,
			`"concept-lifetimes"; "concept-associated-types";`,
			`"concept-generic-associated-types";`,
		}
		if !slices.Equal(got, want) {
			t.Errorf("ranks\n%q\nwant\n%q", got, want)
		}
	})

	t.Run("SVGNodes", func(t *testing.T) {
		_, nodes := readSVG(t, outputs["svg"])
		names := map[string]string{}
		for _, cc := range c.Concepts {
			names["concept-"+cc.ID] = cc.Name
		}
		count := 0
		for _, n := range nodes {
			if !strings.HasPrefix(n.id, "concept-") {
				continue
			}
			count++
			if n.classes[0] != "node" || !slices.Contains(n.classes, "concept") {
				t.Errorf("%s has classes %v, want node concept ...", n.id, n.classes)
			}
			if n.tooltip != names[n.id] {
				t.Errorf("%s tooltip %q, want the concept name %q", n.id, n.tooltip, names[n.id])
			}
		}
		if count != len(gatsPlan) {
			t.Errorf("%d concept <g class=\"node\"> in the SVG, want %d", count, len(gatsPlan))
		}
	})
}

// TestScopes checks each selection against the embedded store's answers
// to the same question.
func TestScopes(t *testing.T) {
	c := seedCurriculum(t)
	snap, err := inmem.New(c).Snapshot(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	planOf := func(goal string, known ...string) []string {
		plan, err := snap.StudyPlan(t.Context(), goal, known)
		if err != nil {
			t.Fatalf("StudyPlan(%q): %v", goal, err)
		}
		var ids []string
		for _, s := range plan.Steps {
			ids = append(ids, s.Concept.ID)
		}
		return ids
	}
	related := func(r learngraph.Relation, id string) []string {
		lists, err := snap.Related(t.Context(), r, []string{id})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, n := range lists[0] {
			ids = append(ids, n.Node.Ref().ID)
		}
		return ids
	}
	paths, err := snap.All(t.Context(), learngraph.KindPath)
	if err != nil || len(paths) == 0 {
		t.Fatalf("seed paths: %v, %v", paths, err)
	}
	path := paths[0].(*learngraph.DomainPath)
	pathConcepts := related(learngraph.PathConcepts, path.ID)
	for _, topic := range related(learngraph.PathTopics, path.ID) {
		pathConcepts = append(pathConcepts, related(learngraph.TopicConcepts, topic)...)
	}
	var all []string
	for _, cc := range c.Concepts {
		all = append(all, cc.ID)
	}

	tests := []struct {
		name   string
		scope  picture.Scope
		want   []string // concept ids, any order
		ranked bool
		title  string
	}{
		{"GoalByID", picture.Scope{Goal: "generic-associated-types"}, gatsPlan, true, "Study plan for concept Generic Associated Types: 6 steps"},
		{"GoalKnowing", picture.Scope{Goal: "GATs", Known: []string{"traits"}}, planOf("GATs", "traits"), true, ", knowing traits"},
		{"TopicGoal", picture.Scope{Goal: "Macros"}, planOf("Macros"), true, "Study plan for topic Macros"},
		{"Topic", picture.Scope{Topic: "macros"}, related(learngraph.TopicConcepts, "macros"), false, "Topic Macros: 4 concepts"},
		{"Path", picture.Scope{Path: path.Name}, pathConcepts, false, "Domain path " + path.Name},
		{"Whole", picture.Scope{}, all, false, fmt.Sprintf("Curriculum: %d concepts", len(all))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := picture.FromCurriculum(c, tt.scope, picture.Options{})
			if err != nil {
				t.Fatalf("FromCurriculum: %v", err)
			}
			var got []string
			for _, n := range p.Nodes {
				if n.Kind != learngraph.KindConcept || n.Key != "concept-"+n.ID {
					t.Errorf("node %+v is not a concept keyed by its id", n)
				}
				got = append(got, n.ID)
			}
			slices.Sort(got)
			want := slices.Compact(slices.Sorted(slices.Values(tt.want)))
			if len(want) == 0 || !slices.Equal(got, want) {
				t.Errorf("concepts %v, want %v", got, want)
			}
			if p.Ranked != tt.ranked {
				t.Errorf("Ranked %v, want %v", p.Ranked, tt.ranked)
			}
			if !strings.Contains(p.Title, tt.title) {
				t.Errorf("title %q does not contain %q", p.Title, tt.title)
			}
			// Every requisite link between two drawn concepts is an
			// edge, prerequisite first.
			drawn := map[string]bool{}
			for _, id := range got {
				drawn[id] = true
			}
			wantEdges := map[string]bool{}
			for _, l := range c.Links {
				if l.Rel.IsRequisite() && drawn[l.From.ID] && drawn[l.To.ID] {
					wantEdges["concept-"+l.To.ID+"->concept-"+l.From.ID] = true
				}
			}
			gotEdges := map[string]bool{}
			for _, e := range p.Edges {
				gotEdges[e.From+"->"+e.To] = true
			}
			if !maps.Equal(gotEdges, wantEdges) {
				t.Errorf("edges %v, want %v", slices.Sorted(maps.Keys(gotEdges)), slices.Sorted(maps.Keys(wantEdges)))
			}
		})
	}
}

func TestSelectErrors(t *testing.T) {
	c := seedCurriculum(t)
	tests := []struct {
		name    string
		scope   picture.Scope
		opts    picture.Options
		code    learngraph.Code
		message string
		suggest string
	}{
		{"UnknownGoal", picture.Scope{Goal: "GATz"}, picture.Options{}, learngraph.ENOTFOUND, `no concept, topic or path "GATz"`, "GAT"},
		{"UnknownKnown", picture.Scope{Goal: "GATs", Known: []string{"trait"}}, picture.Options{}, learngraph.ENOTFOUND, `"trait"`, "traits"},
		{"UnknownTopic", picture.Scope{Topic: "Macro"}, picture.Options{}, learngraph.ENOTFOUND, `no topic "Macro"`, "Macros"},
		{"UnknownPath", picture.Scope{Path: "nowhere at all"}, picture.Options{}, learngraph.ENOTFOUND, `no path "nowhere at all"`, ""},
		{"TopicIsNoPath", picture.Scope{Path: "macros"}, picture.Options{}, learngraph.ENOTFOUND, `no path "macros"`, ""},
		{"TwoScopes", picture.Scope{Goal: "GATs", Topic: "macros"}, picture.Options{}, learngraph.EINVALID, "not several", ""},
		{"KnownWithoutGoal", picture.Scope{Known: []string{"traits"}}, picture.Options{}, learngraph.EINVALID, "give a goal", ""},
		{"NegativeLimit", picture.Scope{}, picture.Options{MaxNodes: -1}, learngraph.EINVALID, "must be positive", ""},
		{"LimitBelowPhases", picture.Scope{}, picture.Options{MaxNodes: 1}, learngraph.ELIMIT, "raise the limit to at least", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := picture.FromCurriculum(c, tt.scope, tt.opts)
			if err == nil {
				t.Fatalf("no error; picture %q with %d nodes", p.Title, len(p.Nodes))
			}
			if got := learngraph.ErrorCode(err); got != tt.code {
				t.Errorf("code %s, want %s (%v)", got, tt.code, err)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error %q does not contain %q", err, tt.message)
			}
			if tt.suggest != "" {
				e, _ := errors.AsType[*learngraph.Error](err)
				if e == nil || !slices.Contains(e.Suggestions, tt.suggest) {
					t.Errorf("suggestions of %v do not hold %q", err, tt.suggest)
				}
			}
		})
	}
}

// concept returns a concept for hand-made graphs; taught unless told.
func concept(id string, i int, taught bool) *learngraph.Concept {
	return &learngraph.Concept{ID: id, Name: strings.ToUpper(id), Taught: taught,
		Pos: learngraph.Position{Phase: 1, Index: i}, Source: learngraph.Source{File: "doc.md", Line: 1 + i}}
}

// link states that from requires (or co-requires) to.
func link(rel learngraph.Rel, from, to string) learngraph.Link {
	return learngraph.Link{Rel: rel, Reason: from + " needs " + to,
		From: learngraph.NodeRef{Kind: learngraph.KindConcept, ID: from},
		To:   learngraph.NodeRef{Kind: learngraph.KindConcept, ID: to}}
}

// analyzed returns g with its findings, whether or not it passes Analyze,
// the way a checker gets them.
func analyzed(t *testing.T, g *learngraph.Graph) []learngraph.Finding {
	t.Helper()
	c, err := learngraph.Analyze(g)
	if err == nil {
		return c.Findings
	}
	ce, ok := errors.AsType[*learngraph.CurriculumError](err)
	if !ok {
		t.Fatalf("Analyze: %v", err)
	}
	return append(slices.Clone(ce.Problems), ce.Warnings...)
}

func TestFindingMarks(t *testing.T) {
	R, Co, Strict := learngraph.Requires, learngraph.CoRequires, learngraph.StrictlyCoRequires
	tests := []struct {
		name   string
		graph  *learngraph.Graph
		nodes  map[string][]string // key → mark classes; every drawn concept
		edges  map[string][]string // "from->to" → mark classes; every drawn edge
		legend []string            // legend entry ids
	}{
		{
			// a requires b requires a: Analyze refuses the graph, and
			// the picture still shows it, cycle in red. It leaves out a
			// link to a concept that does not exist.
			name: "Cycle",
			graph: &learngraph.Graph{
				Concepts: []*learngraph.Concept{concept("a", 0, true), concept("b", 1, true), concept("c", 2, true)},
				Links:    []learngraph.Link{link(R, "a", "b"), link(R, "b", "a"), link(R, "c", "a"), link(R, "c", "ghost")},
			},
			nodes:  map[string][]string{"concept-a": nil, "concept-b": nil, "concept-c": nil},
			edges:  map[string][]string{"concept-b->concept-a": {"cycle"}, "concept-a->concept-b": {"cycle"}, "concept-a->concept-c": nil},
			legend: []string{"legend-edge-requires", "legend-edge-cycle"},
		},
		{
			name: "Gaps",
			graph: &learngraph.Graph{
				Concepts: []*learngraph.Concept{concept("a", 0, true), concept("b", 1, true), concept("c", 2, true),
					concept("orphan", 3, true), concept("untaught", 4, false)},
				// a requires b requires c, and a requires c directly too:
				// the direct edge is redundant.
				Links: []learngraph.Link{link(R, "a", "b"), link(R, "b", "c"), link(R, "a", "c"), link(R, "c", "untaught")},
			},
			nodes: map[string][]string{"concept-a": nil, "concept-b": nil, "concept-c": nil,
				"concept-orphan": {"orphan"}, "concept-untaught": {"untaught"}},
			edges: map[string][]string{"concept-b->concept-a": nil, "concept-c->concept-b": nil,
				"concept-c->concept-a": {"redundant"}, "concept-untaught->concept-c": nil},
			legend: []string{"legend-node-untaught", "legend-node-orphan", "legend-edge-requires", "legend-edge-redundant"},
		},
		{
			name: "CoRequisites",
			graph: &learngraph.Graph{
				Concepts: []*learngraph.Concept{concept("a", 0, true), concept("b", 1, true), concept("c", 2, true)},
				Links:    []learngraph.Link{link(Co, "a", "b"), link(Strict, "c", "b")},
			},
			nodes:  map[string][]string{"concept-a": nil, "concept-b": nil, "concept-c": nil},
			edges:  map[string][]string{"concept-b->concept-a": {"co"}, "concept-b->concept-c": {"co"}},
			legend: []string{"legend-edge-co"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			findings := analyzed(t, tt.graph)
			p, err := picture.Select(tt.graph, findings, picture.Scope{}, picture.Options{})
			if err != nil {
				t.Fatalf("Select: %v", err)
			}
			outputs := writeAll(t, p)
			svg, svgNodes := readSVG(t, outputs["svg"])
			for format, d := range map[string]drawn{"dot": readDOT(outputs["dot"]), "mermaid": readMermaid(outputs["mermaid"]), "svg": svg} {
				if !maps.EqualFunc(d.nodes, tt.nodes, slices.Equal) {
					t.Errorf("%s: nodes %v, want %v\n%s", format, d.nodes, tt.nodes, d.text)
				}
				if !maps.EqualFunc(d.edges, tt.edges, slices.Equal) {
					t.Errorf("%s: edges %v, want %v\n%s", format, d.edges, tt.edges, d.text)
				}
			}
			// The legend explains exactly the styles in use.
			var legend []string
			for _, n := range svgNodes {
				if strings.HasPrefix(n.id, "legend-node-") || (strings.HasPrefix(n.id, "legend-edge-") && !strings.HasSuffix(n.id, "-from")) {
					legend = append(legend, n.id)
				}
			}
			if !slices.Equal(legend, tt.legend) {
				t.Errorf("svg legend %v, want %v", legend, tt.legend)
			}
			for _, id := range tt.legend {
				if !strings.Contains(outputs["dot"], `"`+id+`"`) {
					t.Errorf("dot has no legend entry %s", id)
				}
				if !strings.Contains(outputs["mermaid"], strings.ReplaceAll(id, "-", "_")+"[") {
					t.Errorf("mermaid has no legend entry %s", id)
				}
			}
		})
	}
}

func TestHostileNames(t *testing.T) {
	names := []string{
		`Quote " and \ backslash \n \N`,
		"back`tick` **bold** _em_",
		"{braces} [brackets] (parens) |pipe| ;semi",
		"<script>alert(1)</script>",
		"two\nlines\r\nand\ttab",
		"&amp; &bogus; #quot; %%{init: {}}%%",
		"ctrl\x01\x1f\x7fchars and \uFFFE",
		"end",
		"-->|x| other ==> node",
		"ünïcödé → arrows ✓",
	}
	ids := []string{"quote", "back-tick", "braces", "script", "lines", "entities", `we"ird\id`, "end", "arrow", "unicode"}
	g := &learngraph.Graph{}
	for i, name := range names {
		c := concept(ids[i], i, true)
		c.Name = name
		g.Concepts = append(g.Concepts, c)
		if i > 0 {
			g.Links = append(g.Links, link(learngraph.Requires, ids[i], ids[i-1]))
		}
	}
	p, err := picture.Select(g, analyzed(t, g), picture.Scope{}, picture.Options{})
	if err != nil {
		t.Fatalf("Select: %v", err)
	}
	outputs := writeAll(t, p)

	t.Run("svg", func(t *testing.T) {
		svg := outputs["svg"]
		if strings.Contains(strings.ToLower(svg), "<script") {
			t.Errorf("SVG holds a raw <script>:\n%s", svg)
		}
		_, nodes := readSVG(t, svg) // fails on XML that is not well-formed
		// What a tooltip should show: the name without the characters
		// XML cannot carry, a tab as a space.
		clean := func(s string) string {
			return strings.Map(func(r rune) rune {
				switch {
				case r == '\t':
					return ' '
				case r == '\n':
					return r
				case r < 0x20 || r == 0x7f || r == 0xFFFE:
					return -1
				}
				return r
			}, s)
		}
		tooltips, labels := map[string]bool{}, map[string]bool{}
		for _, n := range nodes {
			if strings.HasPrefix(n.id, "concept-") {
				tooltips[n.tooltip] = true
				labels[strings.Join(n.texts, "\n")] = true
			}
		}
		for _, name := range names {
			if !tooltips[clean(name)] {
				t.Errorf("no node has the tooltip %q; tooltips %q", clean(name), slices.Sorted(maps.Keys(tooltips)))
			}
			if !labels[clean(name)] {
				t.Errorf("no node is labelled %q; labels %q", clean(name), slices.Sorted(maps.Keys(labels)))
			}
		}
		if len(nodes) < len(names) {
			t.Errorf("%d nodes in the SVG, want at least %d", len(nodes), len(names))
		}
	})
	t.Run("dot", func(t *testing.T) {
		d := readDOT(outputs["dot"])
		if len(d.nodes) != len(names) || len(d.edges) != len(names)-1 {
			t.Errorf("%d nodes and %d edges, want %d and %d:\n%s", len(d.nodes), len(d.edges), len(names), len(names)-1, outputs["dot"])
		}
		if !strings.Contains(outputs["dot"], `"concept-we_22ird_5cid"`) {
			t.Errorf("the id with a quote and a backslash is not encoded in its key:\n%s", outputs["dot"])
		}
		if !strings.Contains(outputs["dot"], `label="Quote \" and \\ backslash \\n \\N"`) {
			t.Errorf("quote and backslashes not escaped:\n%s", outputs["dot"])
		}
	})
	t.Run("mermaid", func(t *testing.T) {
		text := outputs["mermaid"]
		label := regexp.MustCompile(`\["(.*?)"\]`)
		count := 0
		for _, line := range strings.Split(text, "\n") {
			m := label.FindStringSubmatch(line)
			if m == nil || !strings.HasPrefix(strings.TrimSpace(line), "concept_") {
				continue
			}
			count++
			inner := strings.ReplaceAll(m[1], "<br>", "")
			inner = regexp.MustCompile(`#(quot|\d+);`).ReplaceAllString(inner, "")
			if strings.ContainsAny(inner, "\"`<>{}[]|;&%#\x01\x7f") {
				t.Errorf("label %q holds a character Mermaid would read as markup", m[1])
			}
		}
		if count != len(names) {
			t.Errorf("%d concept node lines, want %d:\n%s", count, len(names), text)
		}
		if !strings.Contains(text, `concept_end["end"]`) || !strings.Contains(text, `#quot;`) || !strings.Contains(text, "#60;script#62;") {
			t.Errorf("ids or entities not as expected:\n%s", text)
		}
	})
}

func TestFold(t *testing.T) {
	g := storetest.Synthetic(1200, 1)
	c, err := learngraph.Analyze(g)
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	unfolded, err := picture.FromCurriculum(c, picture.Scope{}, picture.Options{MaxNodes: 5000})
	if err != nil || unfolded.Fold != nil {
		t.Fatalf("unfolded picture: fold %v, %v", unfolded.Fold, err)
	}
	topicOf, phaseOf := map[string]string{}, map[string]string{}
	for _, cc := range c.Concepts {
		topicOf["concept-"+cc.ID], phaseOf["concept-"+cc.ID] = cc.Topic, cc.Phase
	}
	crossing := func(groupOf map[string]string) int {
		n := 0
		for _, e := range unfolded.Edges {
			if groupOf[e.From] != groupOf[e.To] {
				n++
			}
		}
		return n
	}

	tests := []struct {
		name      string
		limit     int
		by        learngraph.Kind
		note      string
		groupOf   map[string]string
		groupKeys []string // some keys that must be drawn
	}{
		{"Default", 0, learngraph.KindTopic, "1,200 concepts folded into 24 topics and one group of 3 concepts without a topic (more than 300 to draw one by one)",
			topicOf, []string{"topic-topic-0000", "topic-topic-0023", "no-topic"}},
		{"Phases", 20, learngraph.KindPhase, "1,200 concepts folded into 4 phases and one group of 3 concepts without a phase (more than 20 to draw one by one)",
			phaseOf, []string{"phase-phase-1", "phase-phase-4", "no-phase"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := picture.FromCurriculum(c, picture.Scope{}, picture.Options{MaxNodes: tt.limit})
			if err != nil {
				t.Fatalf("FromCurriculum: %v", err)
			}
			limit := cmpOr(tt.limit, picture.DefaultMaxNodes)
			if p.Fold == nil || p.Fold.By != tt.by || len(p.Nodes) > limit {
				t.Fatalf("fold %+v with %d nodes, want folded by %s into at most %d", p.Fold, len(p.Nodes), tt.by, limit)
			}
			concepts, links := 0, 0
			for _, n := range p.Nodes {
				concepts += n.Concepts
			}
			for _, e := range p.Edges {
				links += e.Links
			}
			if concepts != 1200 {
				t.Errorf("groups hold %d concepts, want 1200", concepts)
			}
			if want := crossing(tt.groupOf); links != want {
				t.Errorf("edges count %d links, want the %d that cross groups", links, want)
			}
			outputs := writeAll(t, p)
			svg, _ := readSVG(t, outputs["svg"])
			for format, d := range map[string]drawn{"dot": readDOT(outputs["dot"]), "mermaid": readMermaid(outputs["mermaid"]), "svg": svg} {
				if len(d.nodes) != len(p.Nodes) || len(d.nodes) > limit {
					t.Errorf("%s: %d nodes, want %d", format, len(d.nodes), len(p.Nodes))
				}
				for _, k := range tt.groupKeys {
					if _, ok := d.nodes[k]; !ok {
						t.Errorf("%s: no group %s among %v", format, k, slices.Sorted(maps.Keys(d.nodes)))
					}
				}
				if !strings.Contains(d.text, tt.note) {
					t.Errorf("%s does not say %q", format, tt.note)
				}
			}
		})
	}
}

// TestFoldPlan: a plan too big to draw is folded too, and loses its ranks.
func TestFoldPlan(t *testing.T) {
	c, err := learngraph.Analyze(storetest.Synthetic(1200, 1))
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	goal := c.Concepts[len(c.Concepts)-1]
	full, err := picture.FromCurriculum(c, picture.Scope{Goal: goal.ID}, picture.Options{MaxNodes: 5000})
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Nodes) <= 50 || !full.Ranked {
		t.Fatalf("the plan towards %s has %d steps (ranked %v); the test needs more than 50", goal.ID, len(full.Nodes), full.Ranked)
	}
	p, err := picture.FromCurriculum(c, picture.Scope{Goal: goal.ID}, picture.Options{MaxNodes: 50})
	if err != nil {
		t.Fatal(err)
	}
	if p.Fold == nil || p.Ranked || len(p.Nodes) > 50 || p.Fold.Concepts != len(full.Nodes) {
		t.Errorf("folded plan: fold %+v, ranked %v, %d nodes; want %d steps folded into at most 50 unranked groups", p.Fold, p.Ranked, len(p.Nodes), len(full.Nodes))
	}
	goals := 0
	for _, n := range p.Nodes {
		if n.Marks.Has(picture.Goal) {
			goals++
			if n.ID != goal.Topic {
				t.Errorf("group %s marked goal, want the goal's topic %s", n.ID, goal.Topic)
			}
		}
	}
	if goals != 1 {
		t.Errorf("%d groups marked goal, want 1", goals)
	}
	if want := fmt.Sprintf("Study plan for concept %s: %s steps", goal.Name, thousands(len(full.Nodes))); p.Title != want {
		t.Errorf("title %q, want %q", p.Title, want)
	}
}

// thousands writes n as the pictures do, 1,234.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// TestFoldMarks: a cycle inside a topic marks the topic; one between
// topics marks the joined edge, which counts both links.
func TestFoldMarks(t *testing.T) {
	g := &learngraph.Graph{Topics: []*learngraph.Topic{
		{ID: "t1", Name: "One", Pos: learngraph.Position{Index: 0}},
		{ID: "t2", Name: "Two", Pos: learngraph.Position{Index: 1}},
	}}
	for i, id := range []string{"a", "b", "c", "d"} {
		c := concept(id, i, true)
		c.Topic = map[bool]string{true: "t1", false: "t2"}[i < 2]
		g.Concepts = append(g.Concepts, c)
	}
	R := learngraph.Requires
	g.Links = []learngraph.Link{link(R, "a", "b"), link(R, "b", "a"), link(R, "c", "a"), link(R, "d", "b"), link(R, "c", "d")}
	p, err := picture.Select(g, analyzed(t, g), picture.Scope{}, picture.Options{MaxNodes: 3})
	if err != nil {
		t.Fatalf("Select: %v", err)
	}
	if len(p.Nodes) != 2 || !p.Nodes[0].Marks.Has(picture.Cycle) || p.Nodes[1].Marks.Has(picture.Cycle) {
		t.Errorf("nodes %+v, want t1 marked as holding a cycle, t2 not", p.Nodes)
	}
	if len(p.Edges) != 1 || p.Edges[0].From != "topic-t1" || p.Edges[0].To != "topic-t2" || p.Edges[0].Links != 2 {
		t.Errorf("edges %+v, want one t1 → t2 for two links", p.Edges)
	}
	if !strings.Contains(p.Note, "4 concepts folded into 2 topics (more than 3") {
		t.Errorf("note %q", p.Note)
	}
}

func TestRenderer(t *testing.T) {
	c := seedCurriculum(t)
	p, err := picture.FromCurriculum(c, picture.Scope{Goal: "GATs"}, picture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := renderer(t)

	t.Run("Concurrent", func(t *testing.T) {
		var wg sync.WaitGroup
		svgs := make([][]byte, 6)
		errs := make([]error, len(svgs))
		for i := range svgs {
			wg.Go(func() {
				var buf bytes.Buffer
				errs[i] = r.SVG(t.Context(), p, &buf)
				svgs[i] = buf.Bytes()
			})
		}
		wg.Wait()
		for i := range svgs {
			if errs[i] != nil {
				t.Fatalf("render %d: %v", i, errs[i])
			}
			if !bytes.Equal(svgs[i], svgs[0]) {
				t.Errorf("render %d differs from render 0", i)
			}
		}
	})
	t.Run("Cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		var buf bytes.Buffer
		err := r.SVG(ctx, p, &buf)
		if !errors.Is(err, context.Canceled) || buf.Len() != 0 {
			t.Errorf("error %v with %d bytes written, want context.Canceled and nothing", err, buf.Len())
		}
	})
}

// BenchmarkWholeGraph draws the whole synthetic curriculum of 100,000
// concepts: selection and folding, then each format.
func BenchmarkWholeGraph(b *testing.B) {
	c, err := learngraph.Analyze(storetest.Synthetic(100_000, 1))
	if err != nil {
		b.Fatal(err)
	}
	r, err := picture.NewRenderer(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	p, err := picture.FromCurriculum(c, picture.Scope{}, picture.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d nodes, %d edges: %s", len(p.Nodes), len(p.Edges), p.Note)

	b.Run("Select", func(b *testing.B) {
		for b.Loop() {
			if _, err := picture.FromCurriculum(c, picture.Scope{}, picture.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("DOT", func(b *testing.B) {
		for b.Loop() {
			if err := p.WriteDOT(&bytes.Buffer{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Mermaid", func(b *testing.B) {
		for b.Loop() {
			if err := p.WriteMermaid(&bytes.Buffer{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("SVG", func(b *testing.B) {
		for b.Loop() {
			if err := r.SVG(b.Context(), p, &bytes.Buffer{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Plan", func(b *testing.B) {
		goal := c.Concepts[len(c.Concepts)-1].ID
		for b.Loop() {
			if _, err := picture.FromCurriculum(c, picture.Scope{Goal: goal}, picture.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestEmpty: a picture with nothing to draw still renders, and says why.
func TestEmpty(t *testing.T) {
	g := &learngraph.Graph{
		Concepts: []*learngraph.Concept{concept("a", 0, true)},
		Topics:   []*learngraph.Topic{{ID: "empty", Name: "Empty"}},
	}
	p, err := picture.Select(g, nil, picture.Scope{Topic: "Empty"}, picture.Options{})
	if err != nil {
		t.Fatalf("Select: %v", err)
	}
	if len(p.Nodes) != 0 || p.Note != "the topic holds no concepts" {
		t.Errorf("nodes %v, note %q", p.Nodes, p.Note)
	}
	for format, text := range writeAll(t, p) {
		if !strings.Contains(text, "the topic holds no concepts") {
			t.Errorf("%s does not say why it is empty:\n%s", format, text)
		}
	}
}
