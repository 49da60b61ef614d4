package loader

import (
	"fmt"
	"iter"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"

	"learngraph"
)

// document is what one curriculum document says, before ids are given and
// references resolved. Every item remembers its line and its running index
// in the file (Position.Index).
type document struct {
	file      string
	title     string
	titleLine int
	number    int // phase number from the title; 0 when the title does not say
	name      string

	overview      []string
	prerequisites []prerequisite
	approach      []string
	takeaways     []string
	nextSteps     []string

	topics       []*topicDef
	concepts     []*conceptDef
	steps        []*studyStep
	crates       []*crateDef
	challenges   []*challengeDef
	paths        []*pathDef
	competencies []*textDef

	findings []learngraph.Finding
	counter  int
}

// at is where an item stands: its line, and its index among the items of
// its file.
type at struct {
	line  int
	index int
}

type topicDef struct {
	name, description, group string
	at
	id string // set by the builder
}

type conceptDef struct {
	name, description, section string
	at
	id string // set by the builder
}

type studyStep struct {
	number     int
	name, text string
	at
}

type crateDef struct {
	name, description, category string
	at
}

type challengeDef struct {
	title       string
	kind        learngraph.ChallengeKind
	description string
	solution    string
	tip         string
	section     string
	at
	id string // set by the builder
}

type pathDef struct {
	name, description string
	items             []*textDef
	at
	id string // set by the builder
}

type textDef struct {
	text string
	at
}

// prerequisite is one Prerequisites bullet: the earlier phases it names, or
// the concepts it names.
type prerequisite struct {
	text     string
	phases   []namedPhase
	concepts []string
	at
}

type namedPhase struct {
	number int
	name   string
}

// next returns where a new item on line stands.
func (d *document) next(line int) at {
	d.counter++
	return at{line: line, index: d.counter}
}

func (d *document) warn(line int, format string, args ...any) {
	d.findings = append(d.findings, learngraph.Finding{
		Kind:     learngraph.UnrecognizedContent,
		Severity: learngraph.SeverityWarning,
		Message:  fmt.Sprintf(format, args...),
		Source:   learngraph.Source{File: d.file, Line: line},
	})
}

// readDocument interprets a parsed Markdown document section by section.
func readDocument(file string, src []byte) *document {
	md, root := parseMarkdown(src)
	r := &docReader{md: md, doc: &document{file: file}}
	r.readRoot(root)
	return r.doc
}

// docReader walks the sections of one document.
type docReader struct {
	md  *markdown
	doc *document
}

// sectionKind recognises a section by its title and reads it. prose
// receives the paragraphs the section carries besides its items (nil:
// they are accepted as introductions and kept nowhere).
type sectionKind struct {
	matches func(title string) bool
	read    func(r *docReader, s *section, prose *[]string)
}

func is(titles ...string) func(string) bool {
	return func(t string) bool {
		for _, want := range titles {
			if t == want {
				return true
			}
		}
		return false
	}
}

func hasPrefix(prefixes ...string) func(string) bool {
	return func(t string) bool {
		for _, p := range prefixes {
			if strings.HasPrefix(t, p) {
				return true
			}
		}
		return false
	}
}

func contains(parts ...string) func(string) bool {
	return func(t string) bool {
		for _, p := range parts {
			if strings.Contains(t, p) {
				return true
			}
		}
		return false
	}
}

// sectionKinds lists the sections a document may have, matched against
// the normalised title, first match wins. Containers (Learning Approach,
// Assessment and Next Steps) look their subsections up in the same list, so
// a sibling document may put Hands-On Projects at either level. (A function,
// not a variable: the readers refer back to it.)
func sectionKinds() []sectionKind {
	return []sectionKind{
		{is("overview", "introduction"), (*docReader).readOverview},
		{is("learning path", "learning paths", "topics"), (*docReader).readTopics},
		{hasPrefix("key concepts", "core concepts", "concepts"), (*docReader).readConcepts},
		{is("prerequisites", "prerequisite"), (*docReader).readPrerequisites},
		{contains("study order"), (*docReader).readStudyOrder},
		{is("learning approach"), (*docReader).readContainer},
		{hasPrefix("assessment"), (*docReader).readContainer},
		{is("hands-on projects", "projects", "practice projects", "practical projects", "project ideas"), (*docReader).readProjects},
		{hasPrefix("capstone"), (*docReader).readCapstones},
		{hasPrefix("tools and crates", "crates", "tools and libraries", "libraries"), (*docReader).readCrates},
		{is("common challenges and solutions", "common challenges", "challenges and solutions", "common pitfalls", "pitfalls"), (*docReader).readPitfalls},
		{contains("competency checklist", "competencies", "checklist"), (*docReader).readCompetencies},
		{contains("domain paths", "specialization paths", "specialisation paths"), (*docReader).readPaths},
		{hasPrefix("key takeaways", "takeaways"), (*docReader).readTakeaways},
		{hasPrefix("preparing for", "next steps"), (*docReader).readNextSteps},
		// Code samples and directory trees: known, carry no graph item.
		{is("file structure", "best practices", "file structure and best practices"), func(*docReader, *section, *[]string) {}},
	}
}

// sectionTitleRe strips a leading number ("1. ") from section titles before
// they are matched.
var sectionTitleRe = regexp.MustCompile(`^\d+[.)]\s+`)

func kindOf(title string) (sectionKind, bool) {
	t := sectionTitleRe.ReplaceAllString(norm(title), "")
	t = strings.TrimSuffix(t, ":")
	for _, k := range sectionKinds() {
		if k.matches(t) {
			return k, true
		}
	}
	return sectionKind{}, false
}

// readRoot reads the title and every top-level section. The first level-1
// heading is the title; the sections under it, beside it, or under the
// document when it has no title are the top-level sections.
func (r *docReader) readRoot(root *section) {
	r.readIntro(root.blocks, &r.doc.overview)
	for _, s := range root.subs {
		if s.level == 1 && r.doc.titleLine == 0 {
			r.readTitle(s)
			r.readIntro(s.blocks, &r.doc.overview)
			r.readSections(s.subs, nil)
			continue
		}
		// Later level-1 headings are sections like the "##" ones: some
		// documents write every section that way.
		r.readSections([]*section{s}, nil)
	}
}

var phaseTitleRe = regexp.MustCompile(`(?i)^phase\s+(\d{1,6})\s*(?:[:.\-–—]\s*(.*))?$`)

// readTitle reads "Phase N: Name (extra)". A title of another shape keeps
// number 0; the builder numbers such documents after the highest phase.
func (r *docReader) readTitle(s *section) {
	d := r.doc
	d.title, d.titleLine = s.title, s.line
	m := phaseTitleRe.FindStringSubmatch(s.title)
	if m == nil {
		d.name = s.title
		return
	}
	n, _ := strconv.Atoi(m[1])
	if n < 1 {
		d.name = s.title
		return
	}
	d.number = n
	d.name = strings.TrimSpace(stripParenthetical(m[2]))
	if d.name == "" {
		d.name = "Phase " + m[1]
	}
}

// stripParenthetical removes a trailing "(Months 6-12)".
func stripParenthetical(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, ")") {
		if i := strings.LastIndex(s, "("); i > 0 {
			return strings.TrimSpace(s[:i])
		}
	}
	return s
}

// readSections dispatches each section to the reader its title names and
// warns about sections it does not know.
func (r *docReader) readSections(secs []*section, prose *[]string) {
	for _, s := range secs {
		k, ok := kindOf(s.title)
		if !ok {
			r.doc.warn(s.line, "unrecognised section %q: its content is not part of the graph", s.title)
			continue
		}
		k.read(r, s, prose)
	}
}

// readContainer reads a section that only groups others (Learning
// Approach, Assessment and Next Steps): its own prose is the phase's
// approach; its subsections are read by their titles.
func (r *docReader) readContainer(s *section, _ *[]string) {
	r.readIntro(s.blocks, &r.doc.approach)
	r.readSections(s.subs, &r.doc.approach)
}

// readIntro keeps paragraphs and list items of a section's own blocks as
// text lines in prose (or accepts them, when prose is nil), and warns about
// blocks that are not text.
func (r *docReader) readIntro(blocks []ast.Node, prose *[]string) {
	for _, b := range blocks {
		switch b := b.(type) {
		case *ast.Paragraph, *ast.TextBlock:
			if prose != nil {
				*prose = append(*prose, r.md.rawText(b))
			}
		case *ast.Blockquote:
			r.readIntro(children(b), prose)
		case *ast.List:
			for _, it := range r.md.items(b) {
				r.warnOdd(it)
				if prose != nil {
					*prose = append(*prose, it.text)
					*prose = append(*prose, it.lines()...)
				}
			}
		default:
			r.warnBlock(b)
		}
	}
}

func children(n ast.Node) []ast.Node {
	var out []ast.Node
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		out = append(out, c)
	}
	return out
}

// warnBlock warns about a block the loader does not read (a code block in
// a list section, raw HTML), unless it carries nothing.
func (r *docReader) warnBlock(b ast.Node) {
	if ignorable(b) {
		return
	}
	r.doc.warn(r.md.lineOf(b), "%s not understood here: its content is not part of the graph", blockName(b))
}

func (r *docReader) warnOdd(it item) {
	for _, b := range it.odd {
		r.warnBlock(b)
	}
}

func blockName(b ast.Node) string {
	switch b.(type) {
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		return "code block"
	case *ast.HTMLBlock:
		return "HTML block"
	case *ast.List:
		return "list"
	case *ast.Paragraph, *ast.TextBlock:
		return "paragraph"
	}
	return strings.ToLower(b.Kind().String())
}

// listItems yields the items of every list among blocks, in document
// order; paragraphs met on the way go to prose as they come, anything else
// is warned about.
func (r *docReader) listItems(blocks []ast.Node, prose *[]string) iter.Seq[item] {
	return func(yield func(item) bool) {
		for _, b := range blocks {
			switch b := b.(type) {
			case *ast.List:
				for _, it := range r.md.items(b) {
					r.warnOdd(it)
					if !yield(it) {
						return
					}
				}
			case *ast.Paragraph, *ast.TextBlock, *ast.Blockquote:
				r.readIntro([]ast.Node{b}, prose)
			default:
				r.warnBlock(b)
			}
		}
	}
}

// ----- prose sections -----

func (r *docReader) readOverview(s *section, _ *[]string) {
	r.readProse(s, &r.doc.overview)
}

// readProse keeps all text of s and its subsections in lines.
func (r *docReader) readProse(s *section, lines *[]string) {
	r.readIntro(s.blocks, lines)
	for _, sub := range s.subs {
		*lines = append(*lines, sub.title)
		r.readProse(sub, lines)
	}
}

func (r *docReader) readTakeaways(s *section, _ *[]string) {
	r.readLabelled(s, &r.doc.takeaways)
}

func (r *docReader) readNextSteps(s *section, _ *[]string) {
	r.readLabelled(s, &r.doc.nextSteps)
}

// readLabelled keeps items as "Name: text" (or their text when they have no
// bold label) and paragraphs as they are.
func (r *docReader) readLabelled(s *section, lines *[]string) {
	for it := range r.listItems(s.blocks, lines) {
		line := it.text
		if label, rest, ok := splitLabel(it.text); ok {
			line = label
			if rest != "" {
				line += ": " + rest
			}
		}
		*lines = append(*lines, line)
		*lines = append(*lines, it.lines()...)
	}
	for _, sub := range s.subs {
		*lines = append(*lines, sub.title)
		r.readLabelled(sub, lines)
	}
}

// ----- topics, concepts, study order -----

// readTopics reads Learning Path items "N. **Name** - description", grouped
// by the heading they stand under.
func (r *docReader) readTopics(s *section, prose *[]string) {
	r.readGrouped(s, "", prose, func(it item, group string) {
		name, desc := splitName(it.text)
		if name == "" {
			r.doc.warn(it.line, "learning path item %q names no topic", it.text)
			return
		}
		r.doc.topics = append(r.doc.topics, &topicDef{
			name: name, description: joinLines(desc, it.lines()), group: group, at: r.doc.next(it.line),
		})
	})
}

// readConcepts reads Key Concepts items "- **Name**: description"; the
// heading they stand under is their section.
func (r *docReader) readConcepts(s *section, prose *[]string) {
	r.readGrouped(s, "", prose, func(it item, group string) {
		name, desc := splitName(it.text)
		if name == "" {
			r.doc.warn(it.line, "key concept item %q names no concept", it.text)
			return
		}
		r.doc.concepts = append(r.doc.concepts, &conceptDef{
			name: name, description: joinLines(desc, it.lines()), section: group, at: r.doc.next(it.line),
		})
	})
}

// readGrouped calls each for every list item of s and its subsections,
// with the title of the innermost heading as group (group for the items
// directly under s).
func (r *docReader) readGrouped(s *section, group string, prose *[]string, each func(it item, group string)) {
	for it := range r.listItems(s.blocks, prose) {
		each(it, group)
	}
	for _, sub := range s.subs {
		r.readGrouped(sub, sub.title, prose, each)
	}
}

// readStudyOrder reads "N. **Step**: text".
func (r *docReader) readStudyOrder(s *section, prose *[]string) {
	n := 0
	r.readGrouped(s, "", prose, func(it item, _ string) {
		n++
		name, desc := splitName(it.text)
		if name == "" {
			r.doc.warn(it.line, "study order item %q names no step", it.text)
			return
		}
		number := it.number
		if number == 0 {
			number = n
		}
		r.doc.steps = append(r.doc.steps, &studyStep{
			number: number, name: name, text: joinLines(desc, it.lines()), at: r.doc.next(it.line),
		})
	})
}

// ----- prerequisites -----

func (r *docReader) readPrerequisites(s *section, _ *[]string) {
	// Prose is kept with the bullets, in order, but names nothing.
	var prose []string
	flush := func() {
		for _, p := range prose {
			r.doc.prerequisites = append(r.doc.prerequisites, prerequisite{text: p})
		}
		prose = prose[:0]
	}
	r.readGrouped(s, "", &prose, func(it item, _ string) {
		flush()
		r.addPrerequisite(it)
	})
	flush()
}

func (r *docReader) addPrerequisite(it item) {
	p := prerequisite{text: plain(it.text), at: r.doc.next(it.line)}
	if phases, ok := parsePhases(p.text); ok {
		p.phases = phases
		if len(phases) == 0 {
			r.doc.warn(it.line, "prerequisite %q names no phase number: write \"Completed Phase 1-3 (Name, Name, Name)\"", p.text)
		}
	} else if !(strings.HasSuffix(p.text, ":") && len(it.subs) > 0) {
		// "Rust basics:" over a nested list is a label, not a concept.
		p.concepts = prerequisiteConcepts(p.text)
	}
	r.doc.prerequisites = append(r.doc.prerequisites, p)
	for _, sub := range it.subs {
		r.addPrerequisite(sub)
	}
}

var (
	completedRe   = regexp.MustCompile(`(?i)^completed\s+phases?\b([^(]*)(?:\(([^)]*)\))?`)
	phaseNumberRe = regexp.MustCompile(`(\d{1,6})(?:\s*(?:-|–|—|to)\s*(\d{1,6}))?`)
)

// parsePhases reads "Completed Phase 1-3 (Foundation, Intermediate,
// Advanced Beginner)" (or "Phases 1 and 2", "Phase 3"): the phases it
// names, with their names in order where given. ok is false when the text
// is not about completed phases; phases is empty when it is but names no
// number the loader can read.
func parsePhases(s string) (phases []namedPhase, ok bool) {
	m := completedRe.FindStringSubmatch(s)
	if m == nil {
		return nil, false
	}
	var numbers []int
	for _, r := range phaseNumberRe.FindAllStringSubmatch(m[1], -1) {
		from, _ := strconv.Atoi(r[1])
		to := from
		if r[2] != "" {
			to, _ = strconv.Atoi(r[2])
		}
		for n := max(from, 1); n <= to && len(numbers) < 100; n++ {
			numbers = append(numbers, n)
		}
	}
	names := splitList(m[2])
	for i, n := range numbers {
		p := namedPhase{number: n}
		if i < len(names) {
			p.name = names[i]
		}
		phases = append(phases, p)
	}
	return phases, true
}

// prerequisiteConcepts reads "Solid understanding of ownership, lifetimes,
// and concurrency": the lead-in up to the last " of " or " with " before
// the list goes, the rest splits on commas and "and".
func prerequisiteConcepts(s string) []string {
	head := s
	if i := strings.Index(s, ","); i >= 0 {
		head = s[:i]
	}
	cut := -1
	for _, sep := range []string{" of ", " with "} {
		if i := strings.LastIndex(head, sep); i >= 0 && i+len(sep) > cut {
			cut = i + len(sep)
		}
	}
	if cut > 0 {
		s = s[cut:]
	}
	return splitList(strings.TrimSuffix(strings.TrimSpace(s), "."))
}

// splitList splits "a, b, and c" into its items.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		for _, p := range strings.Split(part, " and ") {
			p = strings.TrimSpace(p)
			p = strings.TrimSpace(strings.TrimPrefix(p, "and "))
			if p != "" && p != "and" {
				out = append(out, p)
			}
		}
	}
	return out
}

// ----- crates -----

// readCrates reads "- `a`, `b` - description" under category headings.
func (r *docReader) readCrates(s *section, prose *[]string) {
	r.readGrouped(s, "", prose, func(it item, category string) {
		names, desc := splitCrates(it.text)
		if len(names) == 0 {
			r.doc.warn(it.line, "crate item %q names no crate: write \"- `name` - description\"", it.text)
			return
		}
		desc = joinLines(desc, it.lines())
		for _, n := range names {
			r.doc.crates = append(r.doc.crates, &crateDef{
				name: n, description: desc, category: category, at: r.doc.next(it.line),
			})
		}
	})
}

var (
	codeSpanRe  = regexp.MustCompile("`([^`]+)`")
	crateNameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.+!-]*$`)
)

// splitCrates splits a crate item at its first " - " (or ": ") outside
// code spans: the crate names are the code spans before it (or plain
// comma-separated tokens), the description is what follows.
func splitCrates(s string) (names []string, desc string) {
	head, desc := s, ""
	if i := separatorOutsideCode(s); i >= 0 {
		head = s[:i]
		desc = strings.TrimSpace(strings.TrimLeft(s[i:], " :-–—"))
	}
	head = strings.NewReplacer("**", "", "__", "").Replace(head)
	for _, m := range codeSpanRe.FindAllStringSubmatch(head, -1) {
		if n := strings.TrimSpace(m[1]); n != "" {
			names = append(names, n)
		}
	}
	if len(names) > 0 {
		return names, desc
	}
	for _, tok := range splitList(head) {
		if !crateNameRe.MatchString(tok) {
			return nil, desc
		}
		names = append(names, tok)
	}
	return names, desc
}

func separatorOutsideCode(s string) int {
	inCode := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '`':
			inCode = !inCode
		case inCode:
		case strings.HasPrefix(s[i:], " - "), strings.HasPrefix(s[i:], " – "), strings.HasPrefix(s[i:], " — "), strings.HasPrefix(s[i:], ": "):
			return i
		}
	}
	return -1
}

// ----- challenges -----

var numberedTitleRe = regexp.MustCompile(`^\d+[.)]\s+(.+)$`)

func (r *docReader) readProjects(s *section, prose *[]string) {
	r.readChallenges(s, learngraph.Project, s.title, prose)
}

func (r *docReader) readCapstones(s *section, prose *[]string) {
	r.readChallenges(s, learngraph.Capstone, s.title, prose)
}

// readChallenges reads projects and capstones: each list item is one
// ("Title" or "**Title**: description", nested items describe it); a
// "### 1. Title" subsection is one, its text and items its description;
// any other subsection groups the challenges under it.
func (r *docReader) readChallenges(s *section, kind learngraph.ChallengeKind, group string, prose *[]string) {
	for it := range r.listItems(s.blocks, prose) {
		title, desc := it.text, ""
		if label, rest, ok := splitLabel(it.text); ok {
			title, desc = label, rest
		}
		r.addChallenge(&challengeDef{
			title: plain(title), kind: kind, description: joinLines(desc, it.lines()), section: group,
		}, it.line)
	}
	for _, sub := range s.subs {
		if m := numberedTitleRe.FindStringSubmatch(sub.title); m != nil {
			r.readNumberedChallenge(sub, m[1], kind, group)
			continue
		}
		r.readChallenges(sub, kind, sub.title, prose)
	}
}

// readNumberedChallenge reads "### 1. Title" with its paragraphs and
// sub-lists as description lines.
func (r *docReader) readNumberedChallenge(s *section, title string, kind learngraph.ChallengeKind, group string) {
	c := &challengeDef{title: title, kind: kind, section: group}
	var lines []string
	for it := range r.listItems(s.blocks, &lines) {
		lines = append(lines, it.text)
		lines = append(lines, it.lines()...)
	}
	for _, sub := range s.subs {
		lines = append(lines, sub.title)
		r.readProse(sub, &lines)
	}
	c.description = strings.Join(lines, "\n")
	r.addChallenge(c, s.line)
}

func (r *docReader) addChallenge(c *challengeDef, line int) {
	if c.title == "" {
		r.doc.warn(line, "challenge item has no title")
		return
	}
	c.at = r.doc.next(line)
	r.doc.challenges = append(r.doc.challenges, c)
}

// pitfallField names the field a bold label of a Challenge/Solution/Tip
// block fills, "" for other labels.
func pitfallField(label string) string {
	switch norm(label) {
	case "challenge", "problem", "issue":
		return "description"
	case "solution", "fix":
		return "solution"
	case "tip", "tips":
		return "tip"
	}
	return ""
}

// readPitfalls reads Common Challenges and Solutions in both shapes: a
// subsection whose items are labelled Challenge/Solution/Tip is one
// pitfall titled by its heading; otherwise each item "- **Name**:
// description" is one pitfall (nested Solution/Tip items fill those
// fields).
func (r *docReader) readPitfalls(s *section, prose *[]string) {
	r.readPitfallBlock(s, s.title, prose)
}

func (r *docReader) readPitfallBlock(s *section, group string, prose *[]string) {
	items := slices.Collect(r.listItems(s.blocks, prose))
	if labelledPitfall(items) {
		r.addChallenge(pitfallFrom(s.title, group, items), s.line)
	} else {
		for _, it := range items {
			r.addPitfallItem(it, group)
		}
	}
	for _, sub := range s.subs {
		r.readPitfallBlock(sub, sub.title, prose)
	}
}

func labelledPitfall(items []item) bool {
	for _, it := range items {
		if label, _, ok := splitLabel(it.text); ok && pitfallField(label) == "description" {
			return true
		}
	}
	return false
}

// pitfallFrom builds one pitfall from labelled items; items with other
// labels are kept as description lines.
func pitfallFrom(title, section string, items []item) *challengeDef {
	c := &challengeDef{title: title, kind: learngraph.Pitfall, section: section}
	var extra []string
	for _, it := range items {
		label, rest, ok := splitLabel(it.text)
		text := joinLines(rest, it.lines())
		switch field := pitfallField(label); {
		case !ok:
			extra = append(extra, joinLines(it.text, it.lines()))
		case field == "description":
			c.description = joinLines(c.description, []string{text})
		case field == "solution":
			c.solution = joinLines(c.solution, []string{text})
		case field == "tip":
			c.tip = joinLines(c.tip, []string{text})
		default:
			extra = append(extra, label+": "+text)
		}
	}
	c.description = joinLines(c.description, extra)
	return c
}

func (r *docReader) addPitfallItem(it item, group string) {
	title, desc := it.text, ""
	if label, rest, ok := splitLabel(it.text); ok {
		title, desc = label, rest
	}
	c := &challengeDef{title: plain(title), kind: learngraph.Pitfall, description: desc, section: group}
	sub := pitfallFrom(c.title, group, it.subs)
	c.description = joinLines(c.description, append(it.more, nonEmpty(sub.description)...))
	c.solution, c.tip = sub.solution, sub.tip
	r.addChallenge(c, it.line)
}

// ----- paths, competencies -----

// readPaths reads Specialized Domain Paths: each subsection is a path, its
// paragraphs the description, its items the path's concepts. Items directly
// under the section ("- **Name**: description") are paths without items.
func (r *docReader) readPaths(s *section, prose *[]string) {
	for it := range r.listItems(s.blocks, prose) {
		name, desc := splitName(it.text)
		p := &pathDef{name: name, description: desc, at: r.doc.next(it.line)}
		for _, sub := range it.subs {
			r.addPathItem(p, sub)
		}
		r.addPath(p)
	}
	for _, sub := range s.subs {
		p := &pathDef{name: sub.title, at: r.doc.next(sub.line)}
		var desc []string
		for it := range r.listItems(sub.blocks, &desc) {
			r.addPathItem(p, it)
		}
		p.description = strings.Join(desc, "\n")
		for _, deeper := range sub.subs {
			r.doc.warn(deeper.line, "subsection %q inside domain path %q not understood: its content is not part of the graph", deeper.title, sub.title)
		}
		r.addPath(p)
	}
}

func (r *docReader) addPath(p *pathDef) {
	if p.name == "" {
		r.doc.warn(p.line, "domain path has no name")
		return
	}
	r.doc.paths = append(r.doc.paths, p)
}

// addPathItem adds an item (and its nested items) as path concepts.
func (r *docReader) addPathItem(p *pathDef, it item) {
	name := plain(it.text)
	if label, _, ok := splitLabel(it.text); ok {
		name = label
	}
	if name != "" {
		p.items = append(p.items, &textDef{text: name, at: r.doc.next(it.line)})
	}
	for _, sub := range it.subs {
		r.addPathItem(p, sub)
	}
}

var checkboxRe = regexp.MustCompile(`^\[[ xX]\]\s*`)

func (r *docReader) readCompetencies(s *section, prose *[]string) {
	r.readGrouped(s, "", prose, func(it item, _ string) {
		r.addCompetency(it)
	})
}

func (r *docReader) addCompetency(it item) {
	t := plain(checkboxRe.ReplaceAllString(it.text, ""))
	if t != "" {
		r.doc.competencies = append(r.doc.competencies, &textDef{text: t, at: r.doc.next(it.line)})
	}
	for _, sub := range it.subs {
		r.addCompetency(sub)
	}
}

// joinLines joins a first line and further lines with newlines, leaving
// out empty ones.
func joinLines(first string, more []string) string {
	return strings.Join(nonEmpty(append([]string{first}, more...)...), "\n")
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
