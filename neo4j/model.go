package neo4j

import (
	"fmt"

	"learngraph"
)

// The labels and relationship types Cypher text may name. Every label or
// type in a query comes from these tables, keyed by the domain's own
// constants, never from input: a Kind or Rel that is not here is refused.
var (
	labels = map[learngraph.Kind]string{
		learngraph.KindPhase:      "Phase",
		learngraph.KindTopic:      "Topic",
		learngraph.KindConcept:    "Concept",
		learngraph.KindCrate:      "Crate",
		learngraph.KindChallenge:  "Challenge",
		learngraph.KindPath:       "DomainPath",
		learngraph.KindCompetency: "Competency",
	}
	relTypes = map[learngraph.Rel]string{
		learngraph.Requires:           "REQUIRES",
		learngraph.CoRequires:         "COREQUIRES",
		learngraph.StrictlyCoRequires: "STRICTLY_COREQUIRES",
		learngraph.Covers:             "COVERS",
		learngraph.PartOf:             "PART_OF",
		learngraph.Uses:               "USES",
		learngraph.Practices:          "PRACTICES",
		learngraph.Includes:           "INCLUDES",
		learngraph.Follows:            "FOLLOWS",
		learngraph.Assesses:           "ASSESSES",
		learngraph.Assumes:            "ASSUMES",
		learngraph.BuildsOn:           "BUILDS_ON",
	}
)

// requisites is the relationship-type alternation of the requisite
// relationships (learngraph.Rel.IsRequisite), which plans, next-up and
// why-chains follow alike; TestRequisitesMatchDomain keeps it in step
// with relTypes.
const requisites = "REQUIRES|COREQUIRES|STRICTLY_COREQUIRES"

// relOfType returns the domain's Rel for a relationship type.
func relOfType(typ string) (learngraph.Rel, bool) {
	for r, t := range relTypes {
		if t == typ {
			return r, true
		}
	}
	return "", false
}

// The labels of the nodes that are not curriculum items.
const (
	// labelKey marks a name a ref can match: (:Key)-[:NAMES]->(item).
	labelKey = "Key"
	// labelCurriculum marks the one node per version that holds what the
	// version is (hash, load time, documents, counts, findings).
	labelCurriculum = "Curriculum"
	// labelSearchable marks the items search looks at, so one text index
	// covers all their kinds.
	labelSearchable = "Searchable"
)

func labelOf(k learngraph.Kind) (string, error) {
	if l, ok := labels[k]; ok {
		return l, nil
	}
	return "", learngraph.Errorf(learngraph.EINVALID, "unknown kind %q", k)
}

func kindOfLabel(label string) (learngraph.Kind, bool) {
	for k, l := range labels {
		if l == label {
			return k, true
		}
	}
	return "", false
}

// isSearchable reports whether search returns nodes of kind.
func isSearchable(k learngraph.Kind) bool {
	for _, s := range learngraph.SearchKinds {
		if s == k {
			return true
		}
	}
	return false
}

// Property names shared by every item node. Positions and sources are
// flattened into scalar properties, since Neo4j stores no nested maps.
const (
	propID       = "id"
	propPosPhase = "posPhase"
	propPosFile  = "posFile"
	propPosIndex = "posIndex"
	propSrcFile  = "srcFile"
	propSrcLine  = "srcLine"
)

// itemProps returns the properties that describe n, in the form the node
// is stored in (the loader adds v, ord, hash and search). Empty lists are
// left out: they read back as nil, which is what the curriculum holds.
func itemProps(n learngraph.Node) map[string]any {
	// Sized for a concept and what the loader adds, so the map is not
	// grown row by row on a large load.
	p := make(map[string]any, 32)
	p[propID] = n.Ref().ID
	pos := n.Order()
	p[propPosPhase], p[propPosFile], p[propPosIndex] = int64(pos.Phase), int64(pos.File), int64(pos.Index)
	setSource := func(s learngraph.Source) { p[propSrcFile], p[propSrcLine] = s.File, int64(s.Line) }
	setList := func(key string, list []string) {
		if len(list) > 0 {
			p[key] = list
		}
	}
	switch n := n.(type) {
	case *learngraph.Phase:
		setSource(n.Source)
		p["number"], p["name"], p["title"], p["overview"], p["approach"] = int64(n.Number), n.Name, n.Title, n.Overview, n.Approach
		setList("prerequisites", n.Prerequisites)
		setList("takeaways", n.Takeaways)
		setList("nextSteps", n.NextSteps)
	case *learngraph.Topic:
		setSource(n.Source)
		p["name"], p["description"], p["group"], p["phase"], p["studyStep"] = n.Name, n.Description, n.Group, n.Phase, int64(n.StudyStep)
		setList("aliases", n.Aliases)
	case *learngraph.Concept:
		setSource(n.Source)
		p["name"], p["description"], p["section"], p["topic"], p["phase"] = n.Name, n.Description, n.Section, n.Topic, n.Phase
		p["taught"], p["taughtElsewhere"] = n.Taught, n.TaughtElsewhere
		setList("aliases", n.Aliases)
		m := n.Metrics
		p["blockingFactor"], p["delayFactor"], p["centrality"], p["complexity"] = int64(m.BlockingFactor), int64(m.DelayFactor), m.Centrality, int64(m.Complexity)
	case *learngraph.Crate:
		setSource(n.Source)
		p["name"], p["category"], p["description"] = n.Name, n.Category, n.Description
		setList("categories", n.Categories)
	case *learngraph.Challenge:
		setSource(n.Source)
		p["title"], p["kind"], p["description"], p["solution"], p["tip"] = n.Title, string(n.Kind), n.Description, n.Solution, n.Tip
		p["section"], p["topic"], p["phase"] = n.Section, n.Topic, n.Phase
	case *learngraph.DomainPath:
		setSource(n.Source)
		p["name"], p["description"], p["phase"] = n.Name, n.Description, n.Phase
		setList("aliases", n.Aliases)
	case *learngraph.Competency:
		setSource(n.Source)
		p["text"], p["phase"] = n.Text, n.Phase
	}
	return p
}

// props reads the properties of one stored node, remembering the first
// value that is missing where it is required or has the wrong type, so a
// decoder reads every field and checks once.
type props struct {
	m   map[string]any
	err error
}

func (p *props) fail(key, want string, got any) {
	if p.err == nil {
		p.err = fmt.Errorf("property %s: want %s, got %T", key, want, got)
	}
}

// str returns a string property; a missing one is "".
func (p *props) str(key string) string {
	v, ok := p.m[key]
	if !ok || v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		p.fail(key, "string", v)
	}
	return s
}

// integer returns an integer property; a missing one is 0.
func (p *props) integer(key string) int {
	v, ok := p.m[key]
	if !ok || v == nil {
		return 0
	}
	i, ok := v.(int64)
	if !ok {
		p.fail(key, "integer", v)
	}
	return int(i)
}

func (p *props) float(key string) float64 {
	v, ok := p.m[key]
	if !ok || v == nil {
		return 0
	}
	f, ok := v.(float64)
	if !ok {
		p.fail(key, "float", v)
	}
	return f
}

func (p *props) boolean(key string) bool {
	v, ok := p.m[key]
	if !ok || v == nil {
		return false
	}
	b, ok := v.(bool)
	if !ok {
		p.fail(key, "boolean", v)
	}
	return b
}

// strings returns a list of strings; a missing one is nil.
func (p *props) strings(key string) []string {
	v, ok := p.m[key]
	if !ok || v == nil {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		p.fail(key, "list", v)
		return nil
	}
	out := make([]string, len(list))
	for i, item := range list {
		s, ok := item.(string)
		if !ok {
			p.fail(key, "list of strings", item)
		}
		out[i] = s
	}
	return out
}

// required returns a string property that every node of its kind has.
func (p *props) required(key string) string {
	if _, ok := p.m[key]; !ok && p.err == nil {
		p.err = fmt.Errorf("property %s is missing", key)
	}
	return p.str(key)
}

func (p *props) position() learngraph.Position {
	return learngraph.Position{Phase: p.integer(propPosPhase), File: p.integer(propPosFile), Index: p.integer(propPosIndex)}
}

func (p *props) source() learngraph.Source {
	return learngraph.Source{File: p.str(propSrcFile), Line: p.integer(propSrcLine)}
}

// decodeItem turns the properties of a stored node of kind back into the
// domain value itemProps encoded.
func decodeItem(kind learngraph.Kind, m map[string]any) (learngraph.Node, error) {
	p := &props{m: m}
	id := p.required(propID)
	var n learngraph.Node
	switch kind {
	case learngraph.KindPhase:
		n = &learngraph.Phase{ID: id, Number: p.integer("number"), Name: p.str("name"), Title: p.str("title"),
			Overview: p.str("overview"), Prerequisites: p.strings("prerequisites"), Approach: p.str("approach"),
			Takeaways: p.strings("takeaways"), NextSteps: p.strings("nextSteps"), Pos: p.position(), Source: p.source()}
	case learngraph.KindTopic:
		n = &learngraph.Topic{ID: id, Name: p.str("name"), Description: p.str("description"), Group: p.str("group"),
			Phase: p.str("phase"), Aliases: p.strings("aliases"), StudyStep: p.integer("studyStep"), Pos: p.position(), Source: p.source()}
	case learngraph.KindConcept:
		n = &learngraph.Concept{ID: id, Name: p.str("name"), Description: p.str("description"), Aliases: p.strings("aliases"),
			Section: p.str("section"), Topic: p.str("topic"), Phase: p.str("phase"), Taught: p.boolean("taught"),
			TaughtElsewhere: p.boolean("taughtElsewhere"),
			Metrics: learngraph.Metrics{BlockingFactor: p.integer("blockingFactor"), DelayFactor: p.integer("delayFactor"),
				Centrality: p.float("centrality"), Complexity: p.integer("complexity")},
			Pos: p.position(), Source: p.source()}
	case learngraph.KindCrate:
		n = &learngraph.Crate{ID: id, Name: p.str("name"), Category: p.str("category"), Categories: p.strings("categories"),
			Description: p.str("description"), Pos: p.position(), Source: p.source()}
	case learngraph.KindChallenge:
		n = &learngraph.Challenge{ID: id, Title: p.str("title"), Kind: learngraph.ChallengeKind(p.str("kind")),
			Description: p.str("description"), Solution: p.str("solution"), Tip: p.str("tip"), Section: p.str("section"),
			Topic: p.str("topic"), Phase: p.str("phase"), Pos: p.position(), Source: p.source()}
	case learngraph.KindPath:
		n = &learngraph.DomainPath{ID: id, Name: p.str("name"), Description: p.str("description"), Aliases: p.strings("aliases"),
			Phase: p.str("phase"), Pos: p.position(), Source: p.source()}
	case learngraph.KindCompetency:
		n = &learngraph.Competency{ID: id, Text: p.str("text"), Phase: p.str("phase"), Pos: p.position(), Source: p.source()}
	default:
		return nil, fmt.Errorf("decode: unknown kind %q", kind)
	}
	if p.err != nil {
		return nil, fmt.Errorf("decode %s %q: %w", kind, id, p.err)
	}
	return n, nil
}
