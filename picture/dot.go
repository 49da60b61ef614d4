package picture

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode"

	"learngraph"
)

// WriteDOT writes p as a Graphviz digraph, laid out top to bottom. Every
// node has a stable id ("concept-<id>", "topic-<id>", "phase-<id>") and a
// class naming its kind and marks ("concept untaught"), which Graphviz
// copies onto the SVG <g> elements; a tooltip gives its full name. A plan
// puts each layer on a rank of its own. The legend is a cluster of sample
// nodes and edges; the title and any fold note are the graph's label.
func (p *Picture) WriteDOT(w io.Writer) error {
	b := bufio.NewWriter(w)
	label := p.Title
	if p.Note != "" {
		label += "\n" + p.Note
	}
	fmt.Fprintf(b, "digraph %s {\n", dotText("learngraph"))
	fmt.Fprintf(b, "\tgraph [rankdir=TB, labelloc=t, fontname=\"Helvetica\", fontsize=16, nodesep=0.3, ranksep=0.45, label=%s];\n", dotText(label))
	fmt.Fprintf(b, "\tnode [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", color=\"#444444\", fontname=\"Helvetica\", fontsize=12];\n")
	fmt.Fprintf(b, "\tedge [color=\"#555555\", arrowsize=0.7, fontname=\"Helvetica\", fontsize=10];\n")

	for _, n := range p.Nodes {
		class := strings.TrimSpace(kindClass(n.Kind) + " " + n.Marks.Classes())
		label, tooltip := n.Name, n.Name
		if n.Kind != learngraph.KindConcept {
			label = fmt.Sprintf("%s\n%s", n.Name, countOf(n.Concepts, "concept"))
			tooltip = fmt.Sprintf("%s: %s", n.Name, countOf(n.Concepts, "concept"))
		}
		fmt.Fprintf(b, "\t%s [id=%s, class=%s, label=%s, tooltip=%s%s];\n",
			dotText(n.Key), dotText(n.Key), dotText(class), dotText(label), dotTooltip(tooltip), nodeStyle(n.Marks))
	}
	if p.Ranked {
		writeRanks(b, p)
	}
	for _, e := range p.Edges {
		class := strings.TrimSpace("requisite " + e.Marks.Classes())
		label := ""
		if p.Fold != nil {
			label = thousands(e.Links)
		}
		if e.Marks.Has(CoRequisite) {
			label = strings.TrimSpace(label + " co")
		}
		attrs := fmt.Sprintf("class=%s%s", dotText(class), edgeStyle(e.Marks))
		if label != "" {
			attrs += ", label=" + dotText(label)
		}
		fmt.Fprintf(b, "\t%s -> %s [%s];\n", dotText(e.From), dotText(e.To), attrs)
	}
	writeDOTLegend(b, legend(p))
	fmt.Fprintf(b, "}\n")
	return b.Flush()
}

// writeRanks puts the nodes of each plan layer on one rank.
func writeRanks(b *bufio.Writer, p *Picture) {
	var layers [][]string
	for _, n := range p.Nodes {
		for len(layers) <= n.Layer {
			layers = append(layers, nil)
		}
		layers[n.Layer] = append(layers[n.Layer], n.Key)
	}
	for _, keys := range layers {
		if len(keys) == 0 {
			continue
		}
		fmt.Fprintf(b, "\t{ rank=same;")
		for _, k := range keys {
			fmt.Fprintf(b, " %s;", dotText(k))
		}
		fmt.Fprintf(b, " }\n")
	}
}

// writeDOTLegend draws the legend as a cluster with one entry per line: a
// sample node per node style, and per edge style a sample edge running
// into its explanation. Invisible edges stack the entries.
func writeDOTLegend(b *bufio.Writer, entries []legendEntry) {
	if len(entries) == 0 {
		return
	}
	fmt.Fprintf(b, "\tsubgraph \"cluster_legend\" {\n")
	fmt.Fprintf(b, "\t\tgraph [id=\"legend\", label=\"Legend\", style=\"rounded\", color=\"#bbbbbb\", fontsize=12];\n")
	var anchors []string
	for _, e := range entries {
		name := e.name()
		if !e.onEdge {
			fmt.Fprintf(b, "\t\t%s [id=%s, class=%s, label=%s, tooltip=%s%s];\n",
				dotText(name), dotText(name), dotText("legend "+e.mark.Class()), dotText(e.text), dotTooltip(e.text), nodeStyle(Marks(e.mark)))
			anchors = append(anchors, name)
			continue
		}
		from := name + "-from"
		fmt.Fprintf(b, "\t\t%s [id=%s, class=\"legend\", shape=point, width=0.06, label=\"\"];\n", dotText(from), dotText(from))
		fmt.Fprintf(b, "\t\t%s [id=%s, class=\"legend\", shape=plaintext, style=\"\", label=%s, tooltip=%s];\n",
			dotText(name), dotText(name), dotText(e.text), dotTooltip(e.text))
		fmt.Fprintf(b, "\t\t%s -> %s [class=%s, minlen=2%s];\n",
			dotText(from), dotText(name), dotText(strings.TrimSpace("legend "+e.mark.Class())), edgeStyle(Marks(e.mark)))
		fmt.Fprintf(b, "\t\t{ rank=same; %s; %s; }\n", dotText(from), dotText(name))
		anchors = append(anchors, from)
	}
	for i := 1; i < len(anchors); i++ {
		fmt.Fprintf(b, "\t\t%s -> %s [style=invis];\n", dotText(anchors[i-1]), dotText(anchors[i]))
	}
	fmt.Fprintf(b, "\t}\n")
}

// nodeStyle returns the attributes that set a node's look apart; empty
// for an unmarked node. Fill goes by the most pressing mark, the border
// too, so a node with several marks still shows each one somewhere.
func nodeStyle(ms Marks) string {
	var attrs []string
	style := "rounded,filled"
	switch {
	case ms.Has(Untaught):
		attrs = append(attrs, `fillcolor="#fff1c2"`)
		style += ",dashed"
	case ms.Has(Orphan):
		attrs = append(attrs, `fillcolor="#eeeeee"`, `fontcolor="#555555"`)
		style += ",dotted"
	case ms.Has(Goal):
		attrs = append(attrs, `fillcolor="#dbe8ff"`)
	}
	switch {
	case ms.Has(Cycle):
		attrs = append(attrs, `color="#d62728"`, "penwidth=2")
	case ms.Has(Untaught):
		attrs = append(attrs, `color="#b26b00"`)
	case ms.Has(Orphan):
		attrs = append(attrs, `color="#888888"`)
	}
	if ms.Has(Goal) {
		attrs = append(attrs, "penwidth=2.5", "peripheries=2")
		if !ms.Has(Cycle) && !ms.Has(Untaught) {
			attrs = append(attrs, `color="#1f4e9c"`)
		}
	}
	if len(attrs) == 0 {
		return ""
	}
	return fmt.Sprintf(", style=%q, %s", style, strings.Join(attrs, ", "))
}

// edgeStyle returns the attributes that set an edge's look apart.
func edgeStyle(ms Marks) string {
	var attrs []string
	switch {
	case ms.Has(CoRequisite):
		attrs = append(attrs, "style=dotted", "penwidth=1.5")
	case ms.Has(Redundant):
		attrs = append(attrs, "style=dashed")
	}
	switch {
	case ms.Has(Cycle):
		attrs = append(attrs, `color="#d62728"`, `fontcolor="#d62728"`, "penwidth=2.5")
	case ms.Has(CoRequisite):
		attrs = append(attrs, `color="#1f77b4"`, `fontcolor="#1f77b4"`)
	case ms.Has(Redundant):
		attrs = append(attrs, `color="#999999"`)
	}
	if len(attrs) == 0 {
		return ""
	}
	return ", " + strings.Join(attrs, ", ")
}

// dotText quotes s as a DOT string that Graphviz shows as written. Inside
// quotes only '"' and '\' are special to the parser, but labels are also
// escape strings (\n, \l, \N…) and may hold HTML entities, so a backslash
// is doubled and '&' written as &amp;. Newlines become \n line breaks;
// control characters, which SVG (XML) cannot carry, are dropped.
func dotText(s string) string { return dotEscape(s, `\\`) }

// dotTooltip quotes s as a DOT tooltip. Graphviz undoes backslashes in a
// tooltip twice (as an escape string, then once more when it writes the
// SVG link title), so a backslash must be written four times to survive.
func dotTooltip(s string) string { return dotEscape(s, `\\\\`) }

func dotEscape(s, backslash string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(backslash)
		case r == '&':
			b.WriteString("&amp;")
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteByte(' ')
		case !printable(r):
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// printable reports whether r may appear in any output: not a control
// character, and a character XML allows.
func printable(r rune) bool {
	return !unicode.IsControl(r) && r != 0xFFFE && r != 0xFFFF && !(r >= 0xD800 && r <= 0xDFFF)
}
