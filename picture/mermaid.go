package picture

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"

	"learngraph"
)

// WriteMermaid writes p as a Mermaid flowchart (top to bottom) with the
// title in the front matter, any note as a node of its own, a classDef per
// node mark and a linkStyle per marked edge, and the legend as a subgraph.
// Node ids are the keys made safe for Mermaid ("concept_gats"). Mermaid has
// no ranks, so a plan's layers follow from its edges alone.
func (p *Picture) WriteMermaid(w io.Writer) error {
	b := bufio.NewWriter(w)
	title, _ := json.Marshal(strings.Join(strings.Fields(p.Title), " ")) // a JSON string is a YAML double-quoted scalar
	fmt.Fprintf(b, "---\ntitle: %s\n---\nflowchart TB\n", title)

	ids := mermaidIDs{used: map[string]bool{}, of: map[string]string{}}
	if p.Note != "" {
		fmt.Fprintf(b, "\t%s[%s]:::note\n", ids.id("picture-note"), mermaidText(p.Note))
	}
	var classes []string // "class <id> <mark>" lines, written after the classDefs
	for _, n := range p.Nodes {
		id := ids.id(n.Key)
		label := n.Name
		if n.Kind != learngraph.KindConcept {
			label = fmt.Sprintf("%s\n%s", n.Name, countOf(n.Concepts, "concept"))
		}
		fmt.Fprintf(b, "\t%s[%s]\n", id, mermaidText(label))
		for _, m := range n.Marks.List() {
			classes = append(classes, fmt.Sprintf("class %s %s", id, m.Class()))
		}
	}
	link := 0 // Mermaid numbers links in the order they are written
	var linkStyles []string
	for _, e := range p.Edges {
		label := ""
		if p.Fold != nil {
			label = thousands(e.Links)
		}
		if e.Marks.Has(CoRequisite) {
			label = strings.TrimSpace(label + " co")
		}
		fmt.Fprintf(b, "\t%s %s %s\n", ids.id(e.From), mermaidArrow(e.Marks, label), ids.id(e.To))
		if style := mermaidLinkStyle(e.Marks); style != "" {
			linkStyles = append(linkStyles, fmt.Sprintf("linkStyle %d %s", link, style))
		}
		link++
	}

	entries := legend(p)
	if len(entries) > 0 {
		fmt.Fprintf(b, "\tsubgraph legend[\"Legend\"]\n\t\tdirection TB\n")
		for _, e := range entries {
			name := e.name()
			if !e.onEdge {
				id := ids.id(name)
				fmt.Fprintf(b, "\t\t%s[%s]\n", id, mermaidText(e.text))
				classes = append(classes, fmt.Sprintf("class %s %s", id, e.mark.Class()))
				continue
			}
			from, to := ids.id(name+"-from"), ids.id(name)
			fmt.Fprintf(b, "\t\t%s((\" \")) %s %s[%s]:::legendText\n", from, mermaidArrow(Marks(e.mark), ""), to, mermaidText(e.text))
			if style := mermaidLinkStyle(Marks(e.mark)); style != "" {
				linkStyles = append(linkStyles, fmt.Sprintf("linkStyle %d %s", link, style))
			}
			link++
		}
		fmt.Fprintf(b, "\tend\n")
	}

	fmt.Fprintf(b, "\tclassDef goal fill:#dbe8ff,stroke:#1f4e9c,stroke-width:3px\n")
	fmt.Fprintf(b, "\tclassDef untaught fill:#fff1c2,stroke:#b26b00,stroke-dasharray:5 3\n")
	fmt.Fprintf(b, "\tclassDef orphan fill:#eeeeee,stroke:#888888,color:#555555,stroke-dasharray:2 2\n")
	fmt.Fprintf(b, "\tclassDef cycle stroke:#d62728,stroke-width:2px\n")
	fmt.Fprintf(b, "\tclassDef note fill:#ffffff,stroke:#bbbbbb,color:#333333\n")
	fmt.Fprintf(b, "\tclassDef legendText fill:none,stroke:none\n")
	for _, c := range classes {
		fmt.Fprintf(b, "\t%s\n", c)
	}
	for _, s := range linkStyles {
		fmt.Fprintf(b, "\t%s\n", s)
	}
	return b.Flush()
}

// mermaidArrow is the link between two ids: dotted for a co-requisite,
// thick for a cycle, with the label if there is one.
func mermaidArrow(ms Marks, label string) string {
	arrow := "-->"
	switch {
	case ms.Has(CoRequisite):
		arrow = "-.->"
	case ms.Has(Cycle):
		arrow = "==>"
	}
	if label == "" {
		return arrow
	}
	return arrow + "|" + mermaidText(label) + "|"
}

// mermaidLinkStyle colours and dashes what the arrow alone cannot show.
func mermaidLinkStyle(ms Marks) string {
	switch {
	case ms.Has(Cycle):
		return "stroke:#d62728,stroke-width:3px"
	case ms.Has(Redundant):
		return "stroke:#999999,stroke-dasharray:6 4"
	case ms.Has(CoRequisite):
		return "stroke:#1f77b4"
	}
	return ""
}

// mermaidIDs gives each key a Mermaid node id: the key with every
// character but letters, digits and '_' replaced by '_', and a number
// added should two keys meet.
type mermaidIDs struct {
	used map[string]bool
	of   map[string]string
}

func (m mermaidIDs) id(key string) string {
	if id, ok := m.of[key]; ok {
		return id
	}
	base := strings.Map(func(r rune) rune {
		if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_') {
			return r
		}
		return '_'
	}, key)
	id := base
	for n := 2; m.used[id]; n++ {
		id = fmt.Sprintf("%s_%d", base, n)
	}
	m.used[id] = true
	m.of[key] = id
	return id
}

// mermaidText quotes s as a Mermaid label. Mermaid reads #name; and
// #number; as entities inside quotes, so '"' becomes #quot; and every
// ASCII character that could start markup, a markdown string or a
// statement (<, >, &, #, `, {, }, [, ], |, ;, %) becomes #number;, as
// does any symbol outside ASCII. Letters and digits of any script stay
// as written. Newlines become <br> line breaks; control characters are
// dropped.
func mermaidText(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString("<br>")
		case r == '\t':
			b.WriteByte(' ')
		case !printable(r):
		case r == '"':
			b.WriteString("#quot;")
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(" .,:-_()/'?!+=*", r)):
			b.WriteRune(r)
		case r >= 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)):
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, "#%d;", r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
