package loader

import (
	"fmt"
	"slices"
	"strings"

	"learngraph"
)

// caReasons are the reasons of the links CA requisites become.
var caReasons = map[learngraph.Rel]string{
	learngraph.Requires:           "CA prerequisite",
	learngraph.CoRequires:         "CA co-requisite",
	learngraph.StrictlyCoRequires: "CA strict co-requisite",
}

// addCA adds what a CA file defines (pass 1, after the Markdown
// documents' definitions, so a course a document already teaches is that
// concept): its phase, the topics of its terms, its courses and their
// requisite links. Requisites name Course IDs of the same file, so they
// need nothing from later passes.
func (b *builder) addCA(cf *caFile) {
	fileIdx := b.fileIdx[cf.file]
	phase := &learngraph.Phase{
		ID: phaseID(cf.number), Number: cf.number, Name: cf.phaseName(), Title: cf.phaseName(),
		Overview: cf.overview(),
		Pos:      learngraph.Position{Phase: cf.number, File: fileIdx},
		Source:   src(cf.file, cf.nameLine),
	}
	b.addPhase(phase)
	terms := b.addTerms(cf, phase)

	ids := b.courseIDs(cf)
	for _, c := range cf.courses {
		id := ids[c]
		if id == "" {
			continue
		}
		concept := b.concepts[id]
		if concept == nil {
			concept = &learngraph.Concept{
				ID: id, Name: c.name, Description: c.details.String(), Section: c.section,
				Topic: terms[c.term], Phase: phase.ID, Taught: true,
				Pos:    learngraph.Position{Phase: cf.number, File: fileIdx, Index: c.index},
				Source: src(cf.file, c.line),
			}
			b.addConcept(concept)
		} else {
			// Defined before (a Markdown document, an earlier CA file):
			// the first definition stands; this one adds what it lacks.
			if concept.Description == "" {
				concept.Description = c.details.String()
			}
			if concept.Topic == "" {
				concept.Topic = terms[c.term]
			}
		}
		b.caAlias(concept, c.id)
		b.caAlias(concept, c.details.code())
	}
	for _, c := range cf.courses {
		from := ids[c]
		if from == "" {
			continue
		}
		for _, r := range c.reqs {
			to := ids[r.to]
			key := linkKey{r.rel, conceptRef(from), conceptRef(to)}
			if _, stated := b.links[key]; stated || to == "" || to == from {
				continue // another file says the same
			}
			b.link(r.rel, conceptRef(from), conceptRef(to), caReasons[r.rel], src(cf.file, r.line))
		}
	}
}

func conceptRef(id string) learngraph.NodeRef {
	return learngraph.NodeRef{Kind: learngraph.KindConcept, ID: id}
}

// courseIDs gives the file's courses their concept ids (see the rules at
// the top of ca.go). Rows that make no concept get none.
func (b *builder) courseIDs(cf *caFile) map[*caCourse]string {
	base := map[*caCourse]string{}
	count := map[string]int{}
	for _, c := range cf.courses {
		if c.skip {
			continue
		}
		id := learngraph.Slug(c.details.code())
		if id == "" {
			id = learngraph.Slug(c.name)
		}
		if id == "" {
			id = learngraph.Slug("course " + c.id)
		}
		base[c] = id
		count[id]++
	}
	ids := map[*caCourse]string{}
	first := map[string]*caCourse{}
	for _, c := range cf.courses {
		id, ok := base[c]
		if !ok {
			continue
		}
		if count[id] > 1 {
			suffix := learngraph.Slug(c.id)
			if suffix == "" {
				suffix = fmt.Sprintf("line-%d", c.line)
			}
			id += "--" + suffix
		}
		if other, dup := first[id]; dup {
			// Two Course IDs that differ only in punctuation ("1.0", "1-0").
			b.problem(learngraph.DuplicateDefinition, cf.file, c.line, []string{id},
				"%s and %s (line %d) make the same concept id %q; give one of them another %s",
				c.label(), other.label(), other.line, id, colID)
			continue
		}
		first[id] = c
		ids[c] = id
	}
	return ids
}

// caAlias makes c answer to alias (a Course ID, a "PREFIX NUMBER" code).
// Unlike a links file's alias, one another concept already answers to is
// kept: CA files of one institution share their numbering, and a ref by
// such an id is then AMBIGUOUS, naming the candidates.
func (b *builder) caAlias(c *learngraph.Concept, alias string) {
	if alias == "" || strings.EqualFold(alias, c.ID) || strings.EqualFold(alias, c.Name) ||
		slices.ContainsFunc(c.Aliases, func(a string) bool { return strings.EqualFold(a, alias) }) {
		return
	}
	b.idx.alias(c.Ref(), alias)
	c.Aliases = append(c.Aliases, alias)
}

// addTerms makes each term of a degree plan a topic of its phase, in term
// order, and returns the topic id of each term.
func (b *builder) addTerms(cf *caFile, phase *learngraph.Phase) map[int]string {
	firstCourse := map[int]*caCourse{}
	var terms []int
	for _, c := range cf.courses {
		if c.term == 0 || c.skip {
			continue
		}
		if firstCourse[c.term] == nil {
			firstCourse[c.term] = c
			terms = append(terms, c.term)
		}
	}
	slices.Sort(terms)
	ids := map[int]string{}
	prev := ""
	for _, term := range terms {
		first := firstCourse[term]
		id := fmt.Sprintf("term-%d", term)
		if _, taken := b.topics[id]; taken {
			id += "--" + phase.ID // another plan's term, or a document's topic
		}
		if other, taken := b.topics[id]; taken {
			b.problem(learngraph.DuplicateDefinition, cf.file, first.line, []string{id},
				"term %d makes the topic id %q, which %s already uses", term, id, where(other.Source))
			continue
		}
		t := &learngraph.Topic{
			ID: id, Name: fmt.Sprintf("Term %d", term),
			Description: fmt.Sprintf("Term %d of %q.", term, cf.phaseName()),
			Group:       cf.phaseName(), Phase: phase.ID, StudyStep: term,
			Pos:    learngraph.Position{Phase: cf.number, File: b.fileIdx[cf.file], Index: first.index},
			Source: src(cf.file, first.line),
		}
		b.topics[id] = t
		b.g.Topics = append(b.g.Topics, t)
		b.idx.add(t)
		b.link(learngraph.PartOf, t.Ref(), phase.Ref(), "", t.Source)
		if prev != "" {
			b.link(learngraph.Follows, t.Ref(), learngraph.NodeRef{Kind: learngraph.KindTopic, ID: prev}, "", t.Source)
		}
		ids[term], prev = id, id
	}
	return ids
}
