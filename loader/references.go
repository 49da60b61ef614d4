package loader

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"learngraph"
)

// The builder's passes 2 to 4: everything that resolves a reference.

// ----- pass 2: links-file declarations -----

// declare creates the concepts a links file declares by name and registers
// the aliases it gives, so that the documents' references (pass 3) can use
// them.
func (b *builder) declare(lf *linksFile) {
	for _, c := range lf.concepts {
		if c.name.text != "" {
			b.declareConcept(lf, c)
		} else if n, ok := b.idx.lookupOne(c.ref.text, learngraph.KindConcept); ok {
			c.id = n.ID // else it may name a concept pass 3 creates; pass 4 tries again
		}
		if c.id != "" {
			b.addAliases(learngraph.KindConcept, c.id, c.aliases, lf.file)
		}
	}
	for _, t := range lf.topics {
		if n, ok := b.resolveRef(t.ref, lf.file, learngraph.KindTopic); ok {
			t.id = n.ID
			b.addAliases(learngraph.KindTopic, t.id, t.aliases, lf.file)
		}
	}
	for _, p := range lf.paths {
		if n, ok := b.resolveRef(p.ref, lf.file, learngraph.KindPath); ok {
			p.id = n.ID
			b.addAliases(learngraph.KindPath, p.id, p.aliases, lf.file)
		}
	}
}

// declareConcept creates a concept the links file declares, or, when a
// document already lists that name, treats the declaration as an amendment
// (the series rule: one name, one concept).
func (b *builder) declareConcept(lf *linksFile, c *conceptDecl) {
	id := learngraph.Slug(c.name.text)
	if id == "" {
		b.problem(learngraph.InvalidDocument, lf.file, c.name.line, nil, "concept name %q has no letters or digits to make an id of", c.name.text)
		return
	}
	if first, dup := b.declared[id]; dup {
		b.problem(learngraph.DuplicateDefinition, lf.file, c.name.line, []string{id},
			"concept %q is declared twice (first at %s); merge the two entries", c.name.text, where(first))
		return
	}
	b.declared[id] = src(lf.file, c.name.line)
	c.id = id
	if b.concepts[id] != nil {
		return
	}
	b.addConcept(&learngraph.Concept{
		ID: id, Name: c.name.text,
		Pos:    learngraph.Position{File: b.fileIdx[lf.file], Index: c.index},
		Source: src(lf.file, c.line),
	})
}

// addAliases makes a node answer to more names. An alias another node of
// the kind already answers to is an error: it would make both ambiguous.
func (b *builder) addAliases(kind learngraph.Kind, id string, aliases []ref, file string) {
	node := learngraph.NodeRef{Kind: kind, ID: id}
	for _, a := range aliases {
		switch m := b.idx.lookup(a.text, kind); {
		case len(m) == 1 && m[0] == node:
			continue // already its id, name or alias
		case len(m) > 0:
			others := make([]string, len(m))
			for i, o := range m {
				others[i] = o.ID
			}
			b.problem(learngraph.DuplicateDefinition, file, a.line, append([]string{id}, others...),
				"alias %q of %s %q already names %s; one name cannot mean two things",
				a.text, kindNoun(kind), id, strings.Join(others, ", "))
			continue
		}
		b.idx.alias(node, a.text)
		switch kind {
		case learngraph.KindConcept:
			b.concepts[id].Aliases = append(b.concepts[id].Aliases, a.text)
		case learngraph.KindTopic:
			b.topics[id].Aliases = append(b.topics[id].Aliases, a.text)
		case learngraph.KindPath:
			b.paths[id].Aliases = append(b.paths[id].Aliases, a.text)
		}
	}
}

func candidates(err error) []string {
	if e, ok := errors.AsType[*learngraph.Error](err); ok {
		return e.Candidates
	}
	return nil
}

func kindNoun(k learngraph.Kind) string {
	switch k {
	case learngraph.KindPath:
		return "domain path"
	case learngraph.KindCompetency:
		return "competency"
	}
	return strings.ToLower(string(k))
}

// ----- resolving -----

// resolveRef resolves a links-file ref among kinds, recording a dangling
// or ambiguous one as an error at its line.
func (b *builder) resolveRef(r ref, file string, kinds ...learngraph.Kind) (learngraph.NodeRef, bool) {
	return b.resolveAt(r.text, src(file, r.line), kinds...)
}

func (b *builder) resolveAt(text string, at learngraph.Source, kinds ...learngraph.Kind) (learngraph.NodeRef, bool) {
	if strings.TrimSpace(text) == "" {
		return learngraph.NodeRef{}, false // reported where it was read
	}
	n, err := b.idx.resolve(text, kinds...)
	if err == nil {
		return n, true
	}
	kind := learngraph.DanglingReference
	var subjects []string
	if learngraph.ErrorCode(err) == learngraph.EAMBIGUOUS {
		kind = learngraph.AmbiguousReference
		subjects = candidates(err)
	}
	b.problem(kind, at.File, at.Line, subjects, "%s", learngraph.ErrorMessage(err))
	return learngraph.NodeRef{}, false
}

// conceptNamed resolves a name a document uses as a concept (a
// prerequisite, a path item), creating the concept with create when nothing
// answers to it. An ambiguous name is an error at its line.
func (b *builder) conceptNamed(name string, at learngraph.Source, create func(id string) *learngraph.Concept) (*learngraph.Concept, bool) {
	switch m := b.idx.lookup(name, learngraph.KindConcept); len(m) {
	case 0:
	case 1:
		return b.concepts[m[0].ID], true
	default:
		b.resolveAt(name, at, learngraph.KindConcept) // reports the ambiguity
		return nil, false
	}
	id := learngraph.Slug(name)
	if id == "" {
		return nil, false
	}
	if c := b.concepts[id]; c != nil {
		return c, true // "Async Await" for "async/await": one slug, one concept
	}
	c := create(id)
	b.addConcept(c)
	return c, true
}

// ----- pass 3: document references -----

// addPathItems makes each item of a domain path a concept of it: an
// existing concept of that name, else a new one the path teaches.
func (b *builder) addPathItems(d *document) {
	for _, p := range d.paths {
		if p.id == "" {
			continue
		}
		path := b.paths[p.id]
		for _, it := range p.items {
			c, ok := b.conceptNamed(it.text, src(d.file, it.line), func(id string) *learngraph.Concept {
				return &learngraph.Concept{
					ID: id, Name: it.text, Section: p.name, Phase: phaseID(d.number), Taught: true,
					Pos: b.pos(d, it.at), Source: src(d.file, it.line),
				}
			})
			if ok {
				b.link(learngraph.Includes, path.Ref(), c.Ref(), "", src(d.file, it.line))
			}
		}
	}
}

// addAssumptions turns the concepts a phase's prerequisites name into
// ASSUMES links, creating the ones no document teaches (Taught false,
// no phase).
func (b *builder) addAssumptions(d *document) {
	phase := b.phases[d.number]
	for _, pr := range d.prerequisites {
		for _, name := range pr.concepts {
			c, ok := b.conceptNamed(name, src(d.file, pr.line), func(id string) *learngraph.Concept {
				return &learngraph.Concept{
					ID: id, Name: name,
					Pos:    learngraph.Position{File: b.fileIdx[d.file], Index: pr.index},
					Source: src(d.file, pr.line),
				}
			})
			if ok {
				b.link(learngraph.Assumes, phase.Ref(), c.Ref(), "", src(d.file, pr.line))
			}
		}
	}
}

// headingTopics gives key concepts and challenges the topic their heading
// names (through the links file's aliases). A heading that names no topic
// leaves them without one; that is not an error.
func (b *builder) headingTopics(d *document) {
	for _, def := range d.concepts {
		if def.id == "" || def.section == "" {
			continue
		}
		if c := b.concepts[def.id]; c.Topic == "" {
			c.Topic = b.headingTopic(def.section)
		}
	}
	for _, def := range d.challenges {
		if def.id == "" || def.section == "" {
			continue
		}
		c := b.challenges[def.id]
		if c.Topic = b.headingTopic(def.section); c.Topic != "" {
			b.link(learngraph.Practices, c.Ref(), learngraph.NodeRef{Kind: learngraph.KindTopic, ID: c.Topic}, "", c.Source)
		}
	}
}

// headingTopic returns the topic a heading names, or "". A heading may add
// a word to the topic's name: "Web Development Projects" belongs to "Web
// Development".
func (b *builder) headingTopic(heading string) string {
	candidates := []string{heading}
	for _, suffix := range []string{" projects", " project", " specialization", " specialisation", " path"} {
		if strings.HasSuffix(strings.ToLower(heading), suffix) {
			candidates = append(candidates, heading[:len(heading)-len(suffix)])
		}
	}
	for _, c := range candidates {
		if n, ok := b.idx.lookupOne(c, learngraph.KindTopic); ok {
			return n.ID
		}
	}
	return ""
}

// studyOrder resolves each document's Recommended Study Order: a step
// names its topics through a study_order entry of the links file, or by
// being a topic's name or alias. Topics get their step number; each topic
// of a step FOLLOWS each topic of the step before.
func (b *builder) studyOrder(docs []*document, links []*linksFile) {
	entries := map[string]*stepDecl{}
	for _, lf := range links {
		for _, s := range lf.studyOrder {
			key := norm(s.step.text)
			if first, dup := entries[key]; dup {
				b.problem(learngraph.DuplicateDefinition, lf.file, s.step.line, nil,
					"study_order: step %q is listed twice (first at %s:%d)", s.step.text, first.file, first.step.line)
				continue
			}
			entries[key] = s
		}
	}
	var stepNames []learngraph.SuggestKey
	for _, d := range docs {
		var prev []string
		for _, st := range d.steps {
			stepNames = append(stepNames, learngraph.SuggestKey{Text: st.name, Node: learngraph.NodeRef{ID: st.name}})
			ids := b.stepTopics(d, st, entries[norm(st.name)])
			for _, id := range ids {
				if t := b.topics[id]; t.StudyStep == 0 {
					t.StudyStep = st.number
				}
				for _, p := range prev {
					if p != id {
						b.link(learngraph.Follows, learngraph.NodeRef{Kind: learngraph.KindTopic, ID: id},
							learngraph.NodeRef{Kind: learngraph.KindTopic, ID: p}, "", src(d.file, st.line))
					}
				}
			}
			if len(ids) > 0 {
				prev = ids
			}
		}
	}
	for _, lf := range links {
		for _, s := range lf.studyOrder {
			if !s.used && entries[norm(s.step.text)] == s {
				b.problem(learngraph.DanglingReference, lf.file, s.step.line, nil,
					"study_order: no document has a study step %q%s", s.step.text, suggestion(s.step.text, stepNames))
			}
		}
	}
}

func (b *builder) stepTopics(d *document, st *studyStep, entry *stepDecl) []string {
	var ids []string
	if entry != nil {
		entry.used = true
		for _, r := range entry.topics {
			if n, ok := b.resolveRef(r, entry.file, learngraph.KindTopic); ok && !slices.Contains(ids, n.ID) {
				ids = append(ids, n.ID)
			}
		}
		return ids
	}
	if n, ok := b.idx.lookupOne(st.name, learngraph.KindTopic); ok {
		return []string{n.ID}
	}
	b.warn(learngraph.UnrecognizedContent, d.file, st.line,
		"study step %q names no topic: give a topic the alias %q, or list the step's topics under study_order in the links file", st.name, st.name)
	return nil
}

func suggestion(text string, keys []learngraph.SuggestKey) string {
	s := learngraph.Suggest(text, keys)
	if len(s) == 0 {
		return ""
	}
	quoted := make([]string, len(s))
	for i, x := range s {
		quoted[i] = fmt.Sprintf("%q", x)
	}
	return "; did you mean " + strings.Join(quoted, " or ") + "?"
}

// ----- pass 4: links-file references -----

func (b *builder) applyLinks(lf *linksFile) {
	for _, c := range lf.concepts {
		b.amendConcept(lf, c)
	}
	for _, t := range lf.topics {
		b.amendTopic(lf, t)
	}
	for _, p := range lf.paths {
		b.amendPath(lf, p)
	}
	for _, c := range lf.challenges {
		b.amendChallenge(lf, c)
	}
	for _, c := range lf.competencies {
		b.amendCompetency(lf, c)
	}
}

func (b *builder) amendConcept(lf *linksFile, decl *conceptDecl) {
	if decl.id == "" {
		if decl.name.text != "" {
			return // a declaration already reported
		}
		n, ok := b.resolveRef(decl.ref, lf.file, learngraph.KindConcept)
		if !ok {
			return
		}
		decl.id = n.ID
		b.addAliases(learngraph.KindConcept, decl.id, decl.aliases, lf.file)
	}
	c := b.concepts[decl.id]
	if decl.description != nil {
		c.Description = *decl.description
	}
	if decl.taughtElsewhere != nil {
		c.TaughtElsewhere = *decl.taughtElsewhere
	}
	if decl.topic.text != "" {
		b.setTopic(lf, c, decl.topic)
	}
	for _, r := range decl.requires {
		if to, ok := b.prerequisite(lf, r.ref); ok {
			b.link(learngraph.Requires, c.Ref(), to, r.reason, src(lf.file, r.ref.line))
		}
	}
	b.uses(lf, c.Ref(), decl.uses)
}

// setTopic makes t the topic that teaches c: c is taught, in t's phase
// unless a document teaches it earlier.
func (b *builder) setTopic(lf *linksFile, c *learngraph.Concept, t ref) {
	n, ok := b.resolveRef(t, lf.file, learngraph.KindTopic)
	if !ok {
		return
	}
	topic := b.topics[n.ID]
	c.Topic, c.Taught = topic.ID, true
	if c.Phase == "" {
		c.Phase = topic.Phase
		c.Pos.Phase = topic.Pos.Phase
	}
}

// prerequisite resolves a requires: ref. REQUIRES links concepts only, so
// a ref that names a crate, topic or path says so instead of "not found".
func (b *builder) prerequisite(lf *linksFile, r ref) (learngraph.NodeRef, bool) {
	if len(b.idx.lookup(r.text, learngraph.KindConcept)) == 0 {
		if other, ok := b.idx.lookupOne(r.text, learngraph.KindCrate, learngraph.KindTopic, learngraph.KindPath); ok {
			hint := "name one of its concepts"
			if other.Kind == learngraph.KindCrate {
				hint = "list crates under uses:"
			}
			b.problem(learngraph.DanglingReference, lf.file, r.line, []string{other.ID},
				"requires %q: that is a %s, not a concept; REQUIRES links a concept to a prerequisite concept (%s)",
				r.text, kindNoun(other.Kind), hint)
			return learngraph.NodeRef{}, false
		}
	}
	return b.resolveRef(r, lf.file, learngraph.KindConcept)
}

func (b *builder) uses(lf *linksFile, from learngraph.NodeRef, crates []ref) {
	for _, r := range crates {
		if to, ok := b.resolveRef(r, lf.file, learngraph.KindCrate); ok {
			b.link(learngraph.Uses, from, to, "", src(lf.file, r.line))
		}
	}
}

// linkAll links from to each ref, resolved among kinds.
func (b *builder) linkAll(lf *linksFile, rel learngraph.Rel, from learngraph.NodeRef, refs []ref, kinds ...learngraph.Kind) {
	for _, r := range refs {
		if to, ok := b.resolveRef(r, lf.file, kinds...); ok {
			b.link(rel, from, to, "", src(lf.file, r.line))
		}
	}
}

func (b *builder) amendTopic(lf *linksFile, decl *topicDecl) {
	if decl.id == "" {
		return
	}
	t := b.topics[decl.id]
	if decl.description != nil {
		t.Description = *decl.description
	}
	b.uses(lf, t.Ref(), decl.uses)
	for _, r := range decl.concepts {
		if n, ok := b.resolveRef(r, lf.file, learngraph.KindConcept); ok {
			if c := b.concepts[n.ID]; c.Topic == "" {
				c.Topic = t.ID
			}
			b.link(learngraph.Covers, t.Ref(), n, "", src(lf.file, r.line))
		}
	}
}

func (b *builder) amendPath(lf *linksFile, decl *pathDecl) {
	if decl.id == "" {
		return
	}
	p := b.paths[decl.id]
	if decl.description != nil {
		p.Description = *decl.description
	}
	from := p.Ref()
	b.linkAll(lf, learngraph.Includes, from, decl.topics, learngraph.KindTopic)
	b.linkAll(lf, learngraph.Includes, from, decl.concepts, learngraph.KindConcept)
	b.linkAll(lf, learngraph.Includes, from, decl.crates, learngraph.KindCrate)
	b.linkAll(lf, learngraph.Includes, from, decl.challenges, learngraph.KindChallenge)
}

func (b *builder) amendChallenge(lf *linksFile, decl *challengeDecl) {
	n, ok := b.resolveRef(decl.ref, lf.file, learngraph.KindChallenge)
	if !ok {
		return
	}
	b.linkAll(lf, learngraph.Practices, n, decl.practices, learngraph.KindConcept, learngraph.KindTopic)
	b.uses(lf, n, decl.uses)
}

func (b *builder) amendCompetency(lf *linksFile, decl *competencyDecl) {
	n, ok := b.resolveRef(decl.ref, lf.file, learngraph.KindCompetency)
	if !ok {
		return
	}
	b.linkAll(lf, learngraph.Assesses, n, decl.assesses, learngraph.KindConcept, learngraph.KindTopic)
}
