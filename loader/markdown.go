package loader

import (
	"bytes"
	"regexp"
	"sort"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// section is a heading and what stands under it: the blocks before its
// first subheading, then its subsections. The document itself is the
// section of level 0.
type section struct {
	level  int
	title  string // heading text without inline markup
	line   int
	blocks []ast.Node
	subs   []*section
}

// markdown is a parsed document: its source, for segment values, and
// where each line starts, for line numbers.
type markdown struct {
	src        []byte
	lineStarts []int
}

// parseMarkdown parses src with goldmark and arranges its top-level blocks
// into sections by heading level.
func parseMarkdown(src []byte) (*markdown, *section) {
	md := &markdown{src: src, lineStarts: lineStarts(src)}
	doc := goldmark.New().Parser().Parse(text.NewReader(src))
	root := &section{line: 1}
	stack := []*section{root}
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok {
			top := stack[len(stack)-1]
			top.blocks = append(top.blocks, n)
			continue
		}
		for len(stack) > 1 && stack[len(stack)-1].level >= h.Level {
			stack = stack[:len(stack)-1]
		}
		s := &section{level: h.Level, title: md.inlineText(h), line: md.lineOf(h)}
		parent := stack[len(stack)-1]
		parent.subs = append(parent.subs, s)
		stack = append(stack, s)
	}
	return md, root
}

func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineAt returns the 1-based line of byte offset off.
func (md *markdown) lineAt(off int) int {
	return sort.Search(len(md.lineStarts), func(i int) bool { return md.lineStarts[i] > off })
}

// lineOf returns the 1-based line where n starts, 0 when goldmark recorded
// no position for it or anything inside it (an empty fenced block, say).
func (md *markdown) lineOf(n ast.Node) int {
	if p := n.Pos(); p >= 0 {
		return md.lineAt(p)
	}
	if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
		return md.lineAt(n.Lines().At(0).Start)
	}
	if t, ok := n.(*ast.Text); ok {
		return md.lineAt(t.Segment.Start)
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if l := md.lineOf(c); l > 0 {
			return l
		}
	}
	return 0
}

// rawText returns the inline Markdown of a paragraph-like block as written,
// its lines joined by single spaces. Descriptions keep their code spans and
// links; names are cleaned with plain.
func (md *markdown) rawText(n ast.Node) string {
	lines := n.Lines()
	parts := make([]string, 0, lines.Len())
	for i := range lines.Len() {
		seg := lines.At(i)
		if p := strings.TrimSpace(string(seg.Value(md.src))); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " ")
}

// inlineText returns the text of n's inline children without markup: code
// spans keep their content, links their label.
func (md *markdown) inlineText(n ast.Node) string {
	var b bytes.Buffer
	md.appendInline(&b, n)
	return strings.Join(strings.Fields(b.String()), " ")
}

func (md *markdown) appendInline(b *bytes.Buffer, n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(md.src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.AutoLink:
			b.Write(c.URL(md.src))
		case *ast.RawHTML:
			// Inline HTML carries no text a name could use.
		default:
			md.appendInline(b, c)
		}
	}
}

// item is one list item: the text of its first paragraph, the paragraphs
// after it, and its nested items.
type item struct {
	text   string // inline Markdown as written
	line   int
	number int // the item's number in an ordered list; 0 in a bullet list
	more   []string
	subs   []item
	// odd are blocks inside the item that are neither paragraphs nor
	// lists (code, HTML); callers warn about them.
	odd []ast.Node
}

// items returns the items of list l.
func (md *markdown) items(l *ast.List) []item {
	var out []item
	number := l.Start
	for c := l.FirstChild(); c != nil; c = c.NextSibling() {
		li, ok := c.(*ast.ListItem)
		if !ok {
			continue
		}
		it := md.item(li)
		if l.IsOrdered() {
			it.number = number
			number++
		}
		out = append(out, it)
	}
	return out
}

func (md *markdown) item(li *ast.ListItem) item {
	it := item{line: md.lineOf(li)}
	first := true
	for c := li.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.TextBlock, *ast.Paragraph:
			if first {
				it.text = md.rawText(c)
				if l := md.lineOf(c); l > 0 {
					it.line = l
				}
			} else if t := md.rawText(c); t != "" {
				it.more = append(it.more, t)
			}
		case *ast.List:
			it.subs = append(it.subs, md.items(c)...)
		default:
			if !ignorable(c) {
				it.odd = append(it.odd, c)
			}
		}
		first = false
	}
	return it
}

// lines flattens an item's further paragraphs and nested items into
// description lines, nested items indented by their depth.
func (it item) lines() []string {
	out := append([]string(nil), it.more...)
	for _, s := range it.subs {
		out = append(out, subLines(s, "")...)
	}
	return out
}

func subLines(it item, indent string) []string {
	out := []string{indent + "- " + it.text}
	for _, m := range it.more {
		out = append(out, indent+"  "+m)
	}
	for _, s := range it.subs {
		out = append(out, subLines(s, indent+"  ")...)
	}
	return out
}

// ignorable reports blocks that carry no content: thematic breaks, HTML
// comments and link reference definitions.
func ignorable(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.ThematicBreak, *ast.LinkReferenceDefinition:
		return true
	case *ast.HTMLBlock:
		return n.HTMLBlockType == ast.HTMLBlockType2 // <!-- comment -->
	}
	return false
}

var (
	// labelRe splits "**Name**: text", "**Name:** text", "__Name__ - text".
	labelRe = regexp.MustCompile(`^(?:\*\*|__)(.+?)(?:\*\*|__)(.*)$`)
	// plainLabelRe splits "Name: text" and "Name - text" in items without bold.
	plainLabelRe = regexp.MustCompile(`^(.+?)(?::\s+|\s+[-–—]\s+)(.*)$`)
	mdLinkRe     = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
)

// splitLabel splits an item's text into a bold label and the text after it.
// ok is false when the text does not start with a bold label.
func splitLabel(s string) (label, rest string, ok bool) {
	m := labelRe.FindStringSubmatch(s)
	if m == nil {
		return "", s, false
	}
	label = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(m[1]), ":"))
	rest = strings.TrimSpace(m[2])
	for _, sep := range []string{":", "-", "–", "—"} {
		if r, found := strings.CutPrefix(rest, sep); found {
			rest = strings.TrimSpace(r)
			break
		}
	}
	return plain(label), rest, true
}

// splitName splits an item into a name and a description: a bold label
// when there is one, otherwise "Name: text" or "Name - text", otherwise the
// whole text is the name.
func splitName(s string) (name, desc string) {
	if label, rest, ok := splitLabel(s); ok {
		return label, rest
	}
	if m := plainLabelRe.FindStringSubmatch(s); m != nil {
		return plain(m[1]), strings.TrimSpace(m[2])
	}
	return plain(s), ""
}

// plain removes inline markup from a name: emphasis markers, backticks,
// link targets.
func plain(s string) string {
	s = mdLinkRe.ReplaceAllString(s, "$1")
	s = strings.NewReplacer("**", "", "__", "", "`", "").Replace(s)
	s = strings.Trim(s, "* ")
	return strings.Join(strings.Fields(s), " ")
}

// norm is the form names are compared in: lower case, single spaces.
func norm(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}
