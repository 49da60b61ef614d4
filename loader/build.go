package loader

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"learngraph"
)

// builder assembles one graph from the documents (in load order) and the
// links files. It works in passes, so that every reference sees every
// definition whatever file it stands in:
//
//  1. definitions of the documents: phases, topics, key concepts, crates,
//     challenges, paths, competencies; then the CA files' phases, terms,
//     courses and requisites (ca_build.go);
//  2. declarations of the links files: concepts declared by name, aliases;
//  3. references of the documents: path items, prerequisites, the headings
//     concepts and challenges stand under, the study order;
//  4. references of the links files: amendments and links.
type builder struct {
	g       *learngraph.Graph
	fileIdx map[string]int
	idx     *index

	phases     map[int]*learngraph.Phase
	topics     map[string]*learngraph.Topic
	concepts   map[string]*learngraph.Concept
	crates     map[string]*learngraph.Crate
	challenges map[string]*learngraph.Challenge
	paths      map[string]*learngraph.DomainPath
	comps      map[string]*learngraph.Competency

	declared map[string]learngraph.Source // concepts declared with name: in a links file
	links    map[linkKey]learngraph.Source

	problems []learngraph.Finding
	warnings []learngraph.Finding
}

type linkKey struct {
	rel      learngraph.Rel
	from, to learngraph.NodeRef
}

func newBuilder(files []string) *builder {
	b := &builder{
		g:          &learngraph.Graph{Documents: files},
		fileIdx:    map[string]int{},
		idx:        newIndex(),
		phases:     map[int]*learngraph.Phase{},
		topics:     map[string]*learngraph.Topic{},
		concepts:   map[string]*learngraph.Concept{},
		crates:     map[string]*learngraph.Crate{},
		challenges: map[string]*learngraph.Challenge{},
		paths:      map[string]*learngraph.DomainPath{},
		comps:      map[string]*learngraph.Competency{},
		declared:   map[string]learngraph.Source{},
		links:      map[linkKey]learngraph.Source{},
	}
	for i, f := range files {
		b.fileIdx[f] = i
	}
	return b
}

// build runs the passes over documents already in load order.
func build(docs []*document, cas []*caFile, links []*linksFile, files []string) *builder {
	b := newBuilder(files)
	b.addPhases(docs)
	for _, d := range docs {
		b.addTopics(d)
	}
	for _, d := range docs {
		b.addConcepts(d)
	}
	for _, d := range docs {
		b.addCrates(d)
		b.addChallenges(d)
		b.addPaths(d)
		b.addCompetencies(d)
	}
	for _, cf := range cas {
		b.addCA(cf)
	}
	for _, lf := range links {
		b.declare(lf)
	}
	// Path items first: a prerequisite that a path teaches is then that
	// taught concept, whichever section comes first.
	for _, d := range docs {
		b.addPathItems(d)
	}
	for _, d := range docs {
		b.addAssumptions(d)
		b.headingTopics(d)
	}
	b.studyOrder(docs, links)
	for _, lf := range links {
		b.applyLinks(lf)
	}
	b.addCovers()
	b.finish()
	return b
}

// ----- findings -----

func (b *builder) problem(kind learngraph.FindingKind, file string, line int, subjects []string, format string, args ...any) {
	b.problems = append(b.problems, learngraph.Finding{
		Kind: kind, Severity: learngraph.SeverityError, Message: fmt.Sprintf(format, args...),
		Subjects: subjects, Source: learngraph.Source{File: file, Line: line},
	})
}

func (b *builder) warn(kind learngraph.FindingKind, file string, line int, format string, args ...any) {
	b.warnings = append(b.warnings, learngraph.Finding{
		Kind: kind, Severity: learngraph.SeverityWarning, Message: fmt.Sprintf(format, args...),
		Source: learngraph.Source{File: file, Line: line},
	})
}

// ----- positions and links -----

func (b *builder) pos(d *document, a at) learngraph.Position {
	return learngraph.Position{Phase: d.number, File: b.fileIdx[d.file], Index: a.index}
}

func src(file string, line int) learngraph.Source { return learngraph.Source{File: file, Line: line} }

func phaseID(n int) string { return fmt.Sprintf("phase-%d", n) }

// link adds a relationship once; a REQUIRES edge stated twice is worth a
// warning, other repeats (a heading and the links file saying the same)
// are not.
func (b *builder) link(rel learngraph.Rel, from, to learngraph.NodeRef, reason string, at learngraph.Source) {
	key := linkKey{rel, from, to}
	if first, dup := b.links[key]; dup {
		if rel == learngraph.Requires {
			b.warn(learngraph.DuplicateDefinition, at.File, at.Line,
				"%s requires %s twice (first at %s); the repeat is ignored", from.ID, to.ID, where(first))
		}
		return
	}
	b.links[key] = at
	b.g.Links = append(b.g.Links, learngraph.Link{Rel: rel, From: from, To: to, Reason: reason, Source: at})
}

func where(s learngraph.Source) string {
	if s.Line > 0 {
		return fmt.Sprintf("%s:%d", s.File, s.Line)
	}
	return s.File
}

// ----- ids -----

// named is a definition as blockIDs sees it.
type named struct {
	name, section string
	line          int
}

// blockIDs gives the definitions of one document their ids: the slug of
// the name, or slug--section-slug when the document lists the name under
// two different sections (two meanings). The same name twice under one
// section is a true duplicate: an error, and an empty id.
func (b *builder) blockIDs(file, what string, defs []named) []string {
	sections := map[string]map[string]bool{}
	for _, d := range defs {
		s := learngraph.Slug(d.name)
		if sections[s] == nil {
			sections[s] = map[string]bool{}
		}
		sections[s][norm(d.section)] = true
	}
	ids := make([]string, len(defs))
	first := map[string]named{}
	for i, d := range defs {
		s := learngraph.Slug(d.name)
		if s == "" {
			b.warn(learngraph.UnrecognizedContent, file, d.line, "%s %q has no letters or digits to make an id of; it is left out", what, d.name)
			continue
		}
		id := s
		if len(sections[s]) > 1 {
			if sec := learngraph.Slug(d.section); sec != "" {
				id = s + "--" + sec
			}
		}
		if f, dup := first[id]; dup {
			b.problem(learngraph.DuplicateDefinition, file, d.line, []string{id},
				"%s %q is listed twice%s (first at line %d); remove one, or move it under another heading if it means something else",
				what, d.name, under(d.section), f.line)
			continue
		}
		first[id] = d
		ids[i] = id
	}
	return ids
}

func under(section string) string {
	if section == "" {
		return " in one block"
	}
	return fmt.Sprintf(" under %q", section)
}

// ----- pass 1: document definitions -----

// addPhases creates a phase per document (documents of one phase number
// share it) and the earlier phases their prerequisites name.
func (b *builder) addPhases(docs []*document) {
	for _, d := range docs {
		p := b.phases[d.number]
		if p == nil {
			p = &learngraph.Phase{
				ID: phaseID(d.number), Number: d.number, Name: d.name, Title: d.title,
				Pos: b.pos(d, at{}), Source: src(d.file, d.titleLine),
			}
			b.addPhase(p)
		}
		p.Overview = joinText(p.Overview, d.overview)
		p.Approach = joinText(p.Approach, d.approach)
		for _, pr := range d.prerequisites {
			p.Prerequisites = append(p.Prerequisites, pr.text)
		}
		p.Takeaways = append(p.Takeaways, d.takeaways...)
		p.NextSteps = append(p.NextSteps, d.nextSteps...)
	}
	for _, d := range docs {
		for _, pr := range d.prerequisites {
			for _, np := range pr.phases {
				b.buildsOn(d, pr, np)
			}
		}
	}
}

func (b *builder) addPhase(p *learngraph.Phase) {
	b.phases[p.Number] = p
	b.g.Phases = append(b.g.Phases, p)
	b.idx.add(p)
}

// buildsOn links a document's phase to an earlier phase its prerequisites
// name, creating that phase (known only by name) when no document is
// loaded for it.
func (b *builder) buildsOn(d *document, pr prerequisite, np namedPhase) {
	p := b.phases[np.number]
	if p == nil {
		name := np.name
		if name == "" {
			name = fmt.Sprintf("Phase %d", np.number)
		}
		p = &learngraph.Phase{
			ID: phaseID(np.number), Number: np.number, Name: name,
			Pos: learngraph.Position{Phase: np.number, File: b.fileIdx[d.file], Index: pr.index},
		}
		b.addPhase(p)
	}
	if np.number != d.number {
		b.link(learngraph.BuildsOn, b.phases[d.number].Ref(), p.Ref(), "", src(d.file, pr.line))
	}
}

func joinText(old string, paragraphs []string) string {
	all := nonEmpty(append([]string{old}, paragraphs...)...)
	return strings.Join(all, "\n\n")
}

func (b *builder) addTopics(d *document) {
	defs := make([]named, len(d.topics))
	for i, t := range d.topics {
		defs[i] = named{t.name, t.group, t.line}
	}
	phase := b.phases[d.number]
	for i, id := range b.blockIDs(d.file, "topic", defs) {
		if id == "" {
			continue
		}
		def := d.topics[i]
		def.id = id
		t := b.topics[id]
		if t == nil {
			t = &learngraph.Topic{
				ID: id, Name: def.name, Description: def.description, Group: def.group,
				Phase: phase.ID, Pos: b.pos(d, def.at), Source: src(d.file, def.line),
			}
			b.topics[id] = t
			b.g.Topics = append(b.g.Topics, t)
			b.idx.add(t)
		}
		// A topic a later phase revisits stays one topic of its first
		// phase, and is part of both.
		b.link(learngraph.PartOf, t.Ref(), phase.Ref(), "", src(d.file, def.line))
	}
}

func (b *builder) addConcepts(d *document) {
	defs := make([]named, len(d.concepts))
	for i, c := range d.concepts {
		defs[i] = named{c.name, c.section, c.line}
	}
	for i, id := range b.blockIDs(d.file, "key concept", defs) {
		if id == "" {
			continue
		}
		def := d.concepts[i]
		def.id = id
		if c := b.concepts[id]; c != nil {
			// The series revisits it: one concept, taught where it first
			// appears (documents come in phase order).
			if c.Description == "" {
				c.Description = def.description
			}
			continue
		}
		b.addConcept(&learngraph.Concept{
			ID: id, Name: def.name, Description: def.description, Section: def.section,
			Phase: phaseID(d.number), Taught: true, Pos: b.pos(d, def.at), Source: src(d.file, def.line),
		})
	}
}

func (b *builder) addConcept(c *learngraph.Concept) {
	b.concepts[c.ID] = c
	b.g.Concepts = append(b.g.Concepts, c)
	b.idx.add(c)
}

// addCrates adds each crate once; a crate listed under several headings
// gets each as a category. The same crate twice under one heading is a
// duplicate.
func (b *builder) addCrates(d *document) {
	seen := map[[2]string]int{}
	for _, def := range d.crates {
		id := learngraph.Slug(def.name)
		if id == "" {
			b.warn(learngraph.UnrecognizedContent, d.file, def.line, "crate %q has no letters or digits to make an id of; it is left out", def.name)
			continue
		}
		key := [2]string{id, norm(def.category)}
		if first, dup := seen[key]; dup {
			b.problem(learngraph.DuplicateDefinition, d.file, def.line, []string{id},
				"crate %q is listed twice%s (first at line %d); remove one", def.name, under(def.category), first)
			continue
		}
		seen[key] = def.line
		c := b.crates[id]
		if c == nil {
			c = &learngraph.Crate{
				ID: id, Name: def.name, Category: def.category, Description: def.description,
				Pos: b.pos(d, def.at), Source: src(d.file, def.line),
			}
			b.crates[id] = c
			b.g.Crates = append(b.g.Crates, c)
			b.idx.add(c)
		}
		if def.category != "" && !slices.ContainsFunc(c.Categories, func(s string) bool { return norm(s) == norm(def.category) }) {
			c.Categories = append(c.Categories, def.category)
		}
		if c.Category == "" {
			c.Category = def.category
		}
		if c.Description == "" {
			c.Description = def.description
		}
	}
}

// addChallenges gives challenges ids like concepts; a title another
// document already used gets the phase's id as suffix, since a project
// of phase 3 and one of phase 4 are two projects.
func (b *builder) addChallenges(d *document) {
	defs := make([]named, len(d.challenges))
	for i, c := range d.challenges {
		defs[i] = named{c.title, c.section, c.line}
	}
	phase := b.phases[d.number]
	for i, id := range b.blockIDs(d.file, "challenge", defs) {
		if id == "" {
			continue
		}
		def := d.challenges[i]
		if _, taken := b.challenges[id]; taken {
			id += "--" + phase.ID
			if other, still := b.challenges[id]; still {
				b.problem(learngraph.DuplicateDefinition, d.file, def.line, []string{id},
					"challenge %q of %s is already defined at %s", def.title, phase.ID, where(other.Source))
				continue
			}
		}
		def.id = id
		c := &learngraph.Challenge{
			ID: id, Title: def.title, Kind: def.kind, Description: def.description,
			Solution: def.solution, Tip: def.tip, Section: def.section, Phase: phase.ID,
			Pos: b.pos(d, def.at), Source: src(d.file, def.line),
		}
		b.challenges[id] = c
		b.g.Challenges = append(b.g.Challenges, c)
		b.idx.add(c)
	}
}

func (b *builder) addPaths(d *document) {
	defs := make([]named, len(d.paths))
	for i, p := range d.paths {
		defs[i] = named{p.name, "", p.line}
	}
	for i, id := range b.blockIDs(d.file, "domain path", defs) {
		if id == "" {
			continue
		}
		def := d.paths[i]
		def.id = id
		if p := b.paths[id]; p != nil {
			if p.Description == "" {
				p.Description = def.description
			}
			continue
		}
		p := &learngraph.DomainPath{
			ID: id, Name: def.name, Description: def.description, Phase: phaseID(d.number),
			Pos: b.pos(d, def.at), Source: src(d.file, def.line),
		}
		b.paths[id] = p
		b.g.Paths = append(b.g.Paths, p)
		b.idx.add(p)
	}
}

func (b *builder) addCompetencies(d *document) {
	defs := make([]named, len(d.competencies))
	for i, c := range d.competencies {
		defs[i] = named{c.text, "", c.line}
	}
	phase := b.phases[d.number]
	for i, id := range b.blockIDs(d.file, "competency", defs) {
		if id == "" {
			continue
		}
		def := d.competencies[i]
		if _, taken := b.comps[id]; taken {
			id += "--" + phase.ID
			if _, still := b.comps[id]; still {
				continue // the same checklist twice for one phase: one competency
			}
		}
		c := &learngraph.Competency{ID: id, Text: def.text, Phase: phase.ID, Pos: b.pos(d, def.at), Source: src(d.file, def.line)}
		b.comps[id] = c
		b.g.Competencies = append(b.g.Competencies, c)
		b.idx.add(c)
		b.link(learngraph.PartOf, c.Ref(), phase.Ref(), "", src(d.file, def.line))
	}
}

// ----- finishing -----

// addCovers links each concept's topic to it, once the headings and the
// links file have had their say.
func (b *builder) addCovers() {
	for _, c := range b.g.Concepts {
		if c.Topic != "" {
			b.link(learngraph.Covers, learngraph.NodeRef{Kind: learngraph.KindTopic, ID: c.Topic}, c.Ref(), "", c.Source)
		}
	}
}

// finish puts every list in document order and checks REQUIRES for
// cycles.
func (b *builder) finish() {
	g := b.g
	slices.SortFunc(g.Phases, func(p, q *learngraph.Phase) int { return cmp.Compare(p.Number, q.Number) })
	sortNodes(g.Topics)
	sortNodes(g.Concepts)
	sortNodes(g.Crates)
	sortNodes(g.Challenges)
	sortNodes(g.Paths)
	sortNodes(g.Competencies)
	b.problems = append(b.problems, learngraph.FindCycles(g)...)
}

func sortNodes[T learngraph.Node](nodes []T) {
	slices.SortStableFunc(nodes, func(a, b T) int {
		if c := a.Order().Compare(b.Order()); c != 0 {
			return c
		}
		return cmp.Compare(a.Ref().ID, b.Ref().ID)
	})
}
