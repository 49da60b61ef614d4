package neo4j

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"learngraph"
)

// wholeCache keeps the last version read back whole: an edit's impact
// needs every node and edge, a designer asks several in a row, and a
// version never changes once written.
type wholeCache struct {
	mu         sync.Mutex
	gen        int64
	curriculum *learngraph.Curriculum
}

// Curriculum reads the whole version back into a curriculum: every item
// with its properties, every relationship with its reason and, for
// requisites, where it was stated, and the findings stored at load. Two
// statements (the nodes, then the relationships); the result is cached
// per version and shared, so callers must not change it.
func (s *snapshot) Curriculum(ctx context.Context) (*learngraph.Curriculum, error) {
	cache := &s.store.whole
	cache.mu.Lock()
	defer cache.mu.Unlock() // one read-back at a time: they are large
	if cache.curriculum != nil && cache.gen == s.gen {
		return cache.curriculum, nil
	}
	c, err := s.readWhole(ctx)
	if err != nil {
		return nil, err
	}
	cache.gen, cache.curriculum = s.gen, c
	return c, nil
}

func (s *snapshot) readWhole(ctx context.Context) (*learngraph.Curriculum, error) {
	g := &learngraph.Graph{Version: s.info.Version, Documents: slices.Clone(s.info.Documents)}
	records, err := s.query(ctx, cypherWholeNodes(), nil)
	if err != nil {
		return nil, err
	}
	for _, rec := range records {
		n, err := recordAnyNode(rec, "n")
		if err != nil {
			return nil, translate(err)
		}
		switch n := n.(type) {
		case *learngraph.Phase:
			g.Phases = append(g.Phases, n)
		case *learngraph.Topic:
			g.Topics = append(g.Topics, n)
		case *learngraph.Concept:
			g.Concepts = append(g.Concepts, n)
		case *learngraph.Crate:
			g.Crates = append(g.Crates, n)
		case *learngraph.Challenge:
			g.Challenges = append(g.Challenges, n)
		case *learngraph.DomainPath:
			g.Paths = append(g.Paths, n)
		case *learngraph.Competency:
			g.Competencies = append(g.Competencies, n)
		}
	}
	sortNodes(g.Phases)
	sortNodes(g.Topics)
	sortNodes(g.Concepts)
	sortNodes(g.Crates)
	sortNodes(g.Challenges)
	sortNodes(g.Paths)
	sortNodes(g.Competencies)

	records, err = s.query(ctx, cypherWholeLinks(), nil)
	if err != nil {
		return nil, err
	}
	for _, rec := range records {
		links, err := decodeWholeLink(rec)
		if err != nil {
			return nil, translate(err)
		}
		g.Links = append(g.Links, links...)
	}
	slices.SortFunc(g.Links, compareLinks)
	// The loader's warnings were stored among the findings; analysing the
	// graph again (an edit's impact) must find them where Analyze looks.
	for _, f := range s.findings {
		if f.Kind.FromDocuments() {
			g.Warnings = append(g.Warnings, f)
		}
	}
	return &learngraph.Curriculum{
		Graph:    g,
		Findings: slices.Clone(s.findings),
		LoadedAt: s.info.LoadedAt,
	}, nil
}

func sortNodes[N learngraph.Node](nodes []N) {
	slices.SortFunc(nodes, func(a, b N) int { return learngraph.CompareNodes(a, b) })
}

// compareLinks orders links where they were stated, then by type and
// ends, so a version read back lists them in one order whatever order
// Neo4j returns them in.
func compareLinks(a, b learngraph.Link) int {
	return cmp.Or(
		cmp.Compare(a.Source.File, b.Source.File), cmp.Compare(a.Source.Line, b.Source.Line),
		cmp.Compare(a.Rel, b.Rel),
		cmp.Compare(a.From.Kind, b.From.Kind), cmp.Compare(a.From.ID, b.From.ID),
		cmp.Compare(a.To.Kind, b.To.Kind), cmp.Compare(a.To.ID, b.To.ID),
		cmp.Compare(a.Reason, b.Reason),
	)
}

// cypherWholeNodes returns every item node of version $v, one UNION
// branch per label (each uses the label's index on v).
func cypherWholeNodes() string {
	var branches []string
	for _, kind := range learngraph.Kinds {
		branches = append(branches, strings.TrimSpace(cypherAll(labels[kind])))
	}
	return strings.Join(branches, "\nUNION ALL\n")
}

// cypherWholeLinks returns every relationship between item nodes of
// version $v, one UNION branch per label of the start node; the end's
// kind is read from its labels.
func cypherWholeLinks() string {
	var branches []string
	for _, kind := range learngraph.Kinds {
		branches = append(branches, fmt.Sprintf(`MATCH (a:%s)-[r]->(b)
WHERE a.v = $v AND a.id IS NOT NULL AND b.id IS NOT NULL
RETURN '%s' AS fromKind, a.id AS from, type(r) AS type, labels(b) AS toLabels, b.id AS to,
       r.reason AS reason, r.minReason AS minReason, r.%s AS file, r.%s AS line`,
			labels[kind], kind, propSrcFile, propSrcLine))
	}
	return strings.Join(branches, "\nUNION ALL\n")
}

// decodeWholeLink decodes one relationship as the links it was loaded
// from: two when a duplicate stated it with a smaller reason (minReason),
// so that plans quote the same reason the documents give them.
func decodeWholeLink(rec *neo4j.Record) ([]learngraph.Link, error) {
	get := func(key string) any { v, _ := rec.Get(key); return v }
	fromKind, _ := get("fromKind").(string)
	from, _ := get("from").(string)
	typ, _ := get("type").(string)
	to, _ := get("to").(string)
	rel, ok := relOfType(typ)
	if !ok {
		return nil, fmt.Errorf("relationship type %q is not the domain's", typ)
	}
	toLabels, err := list[string](get("toLabels"), "toLabels")
	if err != nil {
		return nil, err
	}
	toKind, found := learngraph.Kind(""), false
	for _, l := range toLabels {
		if toKind, found = kindOfLabel(l); found {
			break
		}
	}
	if !found {
		return nil, fmt.Errorf("%s %s -%s-> a node labelled %v", fromKind, from, typ, toLabels)
	}
	link := learngraph.Link{
		Rel:  rel,
		From: learngraph.NodeRef{Kind: learngraph.Kind(fromKind), ID: from},
		To:   learngraph.NodeRef{Kind: toKind, ID: to},
	}
	link.Reason, _ = get("reason").(string)
	link.Source.File, _ = get("file").(string)
	if line, ok := get("line").(int64); ok {
		link.Source.Line = int(line)
	}
	if min, ok := get("minReason").(string); ok {
		other := link
		other.Reason = min
		return []learngraph.Link{link, other}, nil
	}
	return []learngraph.Link{link}, nil
}
