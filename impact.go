package learngraph

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
)

// ImpactListLimit is how many plan changes and how many metric changes an
// ImpactReport lists; its counts say how many there are in all.
const ImpactListLimit = 20

// Change is a set of edits to the requisite edges of a curriculum, to try
// before publishing them. Removals apply before additions, so one change
// can replace an edge: remove it and add it back with another relationship.
type Change struct {
	Add    []EdgeEdit
	Remove []EdgeEdit
}

// EdgeEdit names one requisite edge: From requires To.
type EdgeEdit struct {
	From, To string // refs: a concept's id, name or alias
	Reason   string // why, for an added edge; may be empty
	// Rel is REQUIRES when empty, or a co-requisite. A removal with an
	// empty Rel removes whichever requisite edge joins the two.
	Rel Rel
}

// ImpactReport says what a change does to a curriculum: the findings it
// adds and clears, the study plans it changes and the metrics that move
// most. Every list has a fixed order, so equal inputs give equal reports.
//
// Concepts in the report are the base curriculum's, whose Metrics are the
// values before the change; a concept that only the edited curriculum has
// is a copy of the edited one with its Metrics computed (unless the edit
// closes a cycle).
type ImpactReport struct {
	// EdgesAdded and EdgesRemoved are the requisite edges the change adds
	// and removes, between concept ids; a removed edge keeps the Source
	// it was stated at, an edge from CompareCurricula the Source in its
	// own curriculum.
	EdgesAdded, EdgesRemoved []Link
	// ConceptsAdded and ConceptsRemoved are the concepts only the edited
	// or only the base curriculum has (CompareCurricula), in document
	// order.
	ConceptsAdded, ConceptsRemoved []*Concept
	// FindingsAdded and FindingsCleared compare the findings before and
	// after by kind, subjects and message, in SortFindings order. A change
	// that closes a cycle adds its CYCLE finding, the cycle's path in
	// Subjects.
	FindingsAdded, FindingsCleared []Finding
	// ClosesCycle is true when the edited curriculum has a REQUIRES
	// cycle. Study plans, metrics and redundant edges are undefined on a
	// cyclic graph, so the plan and metric changes are then empty and
	// REDUNDANT_EDGE findings are left out of the comparison.
	ClosesCycle bool
	// PlanChanges are the first ImpactListLimit concepts whose study
	// plan (OrderPlan towards the concept, nothing known) changes, most
	// changed steps first, then in document order; PlanChangeCount is how
	// many there are in all.
	PlanChanges     []PlanChange
	PlanChangeCount int
	// MetricChanges are the first ImpactListLimit concepts whose metrics
	// change, by the size of the change in complexity, then in blocking
	// factor, delay factor and centrality, then in document order;
	// MetricChangeCount is how many there are in all.
	MetricChanges     []MetricChange
	MetricChangeCount int
	// Totals are the curriculum's totals before and after; nil when the
	// change closes a cycle.
	Totals *TotalsChange
}

// TotalsChange is how the curriculum's totals change.
type TotalsChange struct {
	Before, After Totals
}

// PlanChange is how the study plan towards one concept changes.
type PlanChange struct {
	Goal *Concept
	// Added are the steps the plan gains, in the order of the new plan;
	// Removed the steps it loses, in the order of the old one.
	Added, Removed []*Concept
	// Moved are steps of both plans that change layer, in the order of
	// the new plan.
	Moved []LayerChange
}

// Steps is how many steps of the plan change: added, removed or moved.
func (p PlanChange) Steps() int { return len(p.Added) + len(p.Removed) + len(p.Moved) }

// LayerChange is a plan step that moves from one layer to another.
type LayerChange struct {
	Concept       *Concept
	Before, After int
}

// MetricChange is how one concept's metrics change.
type MetricChange struct {
	Concept       *Concept
	Before, After Metrics
}

// Delta is After minus Before, measure by measure.
func (m MetricChange) Delta() Metrics {
	return Metrics{
		BlockingFactor: m.After.BlockingFactor - m.Before.BlockingFactor,
		DelayFactor:    m.After.DelayFactor - m.Before.DelayFactor,
		Centrality:     m.After.Centrality - m.Before.Centrality,
		Complexity:     m.After.Complexity - m.Before.Complexity,
	}
}

// Impact reports what change would do to base, computed on a copy: base
// and its concepts are left as they are.
//
// Refs resolve among concepts as stores resolve them (id, then name or
// alias). Returns NOT_FOUND, with suggestions, for a ref that names no
// concept; AMBIGUOUS for a name two concepts share; BAD_USER_INPUT for an
// empty ref, a relationship that is not a requisite, the removal of an
// edge that does not exist and the addition of one that does. A change
// that closes a cycle is no error: the report has the CYCLE finding and
// ClosesCycle set.
func Impact(base *Curriculum, change Change) (*ImpactReport, error) {
	if base == nil || base.Graph == nil {
		return nil, Errorf(EINVALID, "no curriculum to change")
	}
	edited, added, removed, err := applyChange(base.Graph, change)
	if err != nil {
		return nil, err
	}
	report, err := compareEdited(base, edited, slices.Concat(added, removed))
	if err != nil {
		// base analysed, and the edits join known concepts: only a
		// cycle can keep the copy from analysing, and that is a report.
		return nil, &Error{Code: EINTERNAL, Message: "the changed curriculum does not analyse", Err: err}
	}
	report.EdgesAdded, report.EdgesRemoved = added, removed
	return report, nil
}

// CompareCurricula reports the impact of going from published to edited,
// two loads of a curriculum: the requisite edges added and removed (by
// concept ids and relationship), the concepts added and removed, and then
// the same report as Impact. It works on a copy: neither argument
// changes. edited may have REQUIRES cycles (ClosesCycle); any other
// problem that keeps it from analysing returns BAD_USER_INPUT wrapping
// the *CurriculumError.
func CompareCurricula(published *Curriculum, edited *Graph) (*ImpactReport, error) {
	if published == nil || published.Graph == nil || edited == nil {
		return nil, Errorf(EINVALID, "compare needs a published curriculum and an edited graph")
	}
	added, removed := requisiteDiff(published.Graph, edited)
	analysed := copyForAnalysis(edited, edited.Links)
	report, err := compareEdited(published, analysed, slices.Concat(added, removed))
	if err != nil {
		return nil, err
	}
	report.EdgesAdded, report.EdgesRemoved = added, removed
	report.ConceptsAdded = conceptsMissing(analysed.Concepts, published.Graph)
	report.ConceptsRemoved = conceptsMissing(published.Concepts, edited)
	return report, nil
}

// ----- applying a change -----

// applyChange resolves change against g and returns a copy of g with it
// applied, the links it added and the links of g it removed.
func applyChange(g *Graph, change Change) (edited *Graph, added, removed []Link, err error) {
	resolveRef := conceptResolver(g, change)
	type pair struct{ from, to string }
	resolve := func(verb string, e EdgeEdit) (pair, Rel, error) {
		rel := e.Rel
		if rel == "" {
			rel = Requires
		}
		what := fmt.Sprintf("%s %q %s %q", verb, e.From, rel, e.To)
		if !rel.IsRequisite() {
			return pair{}, "", Errorf(EINVALID, "%s: %s is not a requisite relationship; use %s, %s or %s", what, rel, Requires, CoRequires, StrictlyCoRequires)
		}
		var ends [2]string
		for i, ref := range []string{e.From, e.To} {
			id, err := resolveRef(ref)
			if err != nil {
				return pair{}, "", prefixError(what, err)
			}
			ends[i] = id
		}
		return pair{ends[0], ends[1]}, rel, nil
	}

	// Resolve everything first, so the existing edges are found in one
	// pass over the links, however large the graph.
	type edit struct {
		verb string
		p    pair
		rel  Rel
		e    EdgeEdit
	}
	var edits []edit
	named := map[pair]bool{}
	for _, list := range []struct {
		verb  string
		edits []EdgeEdit
	}{{"remove", change.Remove}, {"add", change.Add}} {
		for _, e := range list.edits {
			p, rel, err := resolve(list.verb, e)
			if err != nil {
				return nil, nil, nil, err
			}
			edits = append(edits, edit{list.verb, p, rel, e})
			named[p] = true
		}
	}
	existing := map[pair][]int{} // the requisite links of named pairs, by index in g.Links
	for i, l := range g.Links {
		if isConceptRequisite(l) {
			if p := (pair{l.From.ID, l.To.ID}); named[p] {
				existing[p] = append(existing[p], i)
			}
		}
	}

	dropped := map[int]bool{}
	addedTo := map[pair]bool{}
	for _, ed := range edits {
		what := fmt.Sprintf("%s %q %s %q", ed.verb, ed.e.From, ed.rel, ed.e.To)
		var live []int // links of the pair still there
		for _, i := range existing[ed.p] {
			if !dropped[i] {
				live = append(live, i)
			}
		}
		if ed.verb == "remove" {
			if len(live) == 0 {
				return nil, nil, nil, Errorf(EINVALID, "%s: %q does not require %q; there is no such edge to remove", what, ed.p.from, ed.p.to)
			}
			if ed.e.Rel != "" {
				// Only the edges of that relationship go.
				if matching := slices.DeleteFunc(slices.Clone(live), func(i int) bool { return g.Links[i].Rel != ed.e.Rel }); len(matching) > 0 {
					live = matching
				} else {
					return nil, nil, nil, Errorf(EINVALID, "%s: the edge from %q to %q is %s, not %s", what, ed.p.from, ed.p.to, g.Links[live[0]].Rel, ed.e.Rel)
				}
			}
			for _, i := range live {
				dropped[i] = true
			}
			removed = append(removed, g.Links[live[0]])
			continue
		}
		if len(live) > 0 || addedTo[ed.p] {
			return nil, nil, nil, Errorf(EINVALID, "%s: %q already requires %q; remove that edge first to replace it", what, ed.p.from, ed.p.to)
		}
		addedTo[ed.p] = true
		added = append(added, Link{
			Rel:    ed.rel,
			From:   NodeRef{Kind: KindConcept, ID: ed.p.from},
			To:     NodeRef{Kind: KindConcept, ID: ed.p.to},
			Reason: ed.e.Reason,
		})
	}

	links := make([]Link, 0, len(g.Links)-len(dropped)+len(added))
	for i, l := range g.Links {
		if !dropped[i] {
			links = append(links, l)
		}
	}
	return copyForAnalysis(g, append(links, added...)), added, removed, nil
}

// conceptResolver returns a function that resolves the refs of change
// among g's concepts as a Resolver does. Refs that are ids, the usual
// case, are found in one pass over the concepts; the Resolver, whose index
// of every name and alias costs far more on a large graph, is built only
// for the others.
func conceptResolver(g *Graph, change Change) func(ref string) (string, error) {
	key := func(ref string) string { return strings.ToLower(strings.TrimSpace(ref)) }
	byID := map[string]string{} // key of a ref → id of the first concept it is the id of
	for _, e := range slices.Concat(change.Add, change.Remove) {
		byID[key(e.From)], byID[key(e.To)] = "", ""
	}
	for _, c := range g.Concepts {
		if id, wanted := byID[strings.ToLower(c.ID)]; wanted && id == "" {
			byID[strings.ToLower(c.ID)] = c.ID
		}
	}
	var resolver *Resolver
	return func(ref string) (string, error) {
		if id := byID[key(ref)]; id != "" {
			return id, nil
		}
		if resolver == nil {
			resolver = NewResolver()
			for _, c := range g.Concepts {
				resolver.Add(c)
			}
		}
		node, err := resolver.Resolve(ref, KindConcept)
		return node.ID, err
	}
}

// prefixError says which edit a resolution error is about, keeping its
// code, suggestions and candidates.
func prefixError(what string, err error) error {
	e, ok := errors.AsType[*Error](err)
	if !ok {
		return fmt.Errorf("%s: %w", what, err)
	}
	out := *e
	out.Message = what + ": " + e.Message
	return &out
}

// copyForAnalysis returns a copy of g, with links, that Analyze may
// write into: its concepts are copies, as Analyze sets their Metrics; the
// links and the other nodes are shared, as Analyze only reads them.
func copyForAnalysis(g *Graph, links []Link) *Graph {
	cp := *g
	cp.Concepts = make([]*Concept, len(g.Concepts))
	for i, c := range g.Concepts {
		c := *c
		cp.Concepts[i] = &c
	}
	cp.Links = links
	return &cp
}

// isConceptRequisite reports whether l is a requisite edge between two
// concepts.
func isConceptRequisite(l Link) bool {
	return l.Rel.IsRequisite() && l.From.Kind == KindConcept && l.To.Kind == KindConcept
}

// requisiteDiff returns the requisite edges only after has and those only
// before has, by ends and relationship, each in its graph's link order.
func requisiteDiff(before, after *Graph) (added, removed []Link) {
	type key struct {
		from, to string
		rel      Rel
	}
	keys := func(g *Graph) map[key]bool {
		m := map[key]bool{}
		for _, l := range g.Links {
			if isConceptRequisite(l) {
				m[key{l.From.ID, l.To.ID, l.Rel}] = true
			}
		}
		return m
	}
	only := func(g *Graph, other map[key]bool) []Link {
		var out []Link
		seen := map[key]bool{}
		for _, l := range g.Links {
			k := key{l.From.ID, l.To.ID, l.Rel}
			if isConceptRequisite(l) && !other[k] && !seen[k] {
				seen[k] = true
				out = append(out, l)
			}
		}
		return out
	}
	return only(after, keys(before)), only(before, keys(after))
}

// conceptsMissing returns the concepts of cs that other does not have, in
// document order.
func conceptsMissing(cs []*Concept, other *Graph) []*Concept {
	has := make(map[string]bool, len(other.Concepts))
	for _, c := range other.Concepts {
		has[c.ID] = true
	}
	var out []*Concept
	for _, c := range cs {
		if !has[c.ID] {
			out = append(out, c)
		}
	}
	SortConcepts(out)
	return out
}

// ----- comparing -----

// compareEdited analyses edited, a private copy, and compares it with
// base: findings, plans, metrics. changed are the requisite edges that
// differ between the two. It returns an error only when edited has
// problems other than cycles.
func compareEdited(base *Curriculum, edited *Graph, changed []Link) (*ImpactReport, error) {
	report := &ImpactReport{}
	after, err := Analyze(edited)
	if err != nil {
		ce, ok := errors.AsType[*CurriculumError](err)
		if !ok {
			return nil, err
		}
		others := 0
		for _, p := range ce.Problems {
			if p.Kind != Cycle {
				others++
			}
		}
		if others > 0 {
			return nil, &Error{Code: EINVALID, Message: fmt.Sprintf("the edited curriculum has %d %s besides cycles; fix them first", others, pluralVerb(others, "error", "errors")), Err: ce}
		}
		report.ClosesCycle = true
		// Redundant edges need a topological order, so the cyclic side
		// has none; leaving them out of both sides keeps them from
		// looking cleared.
		var before []Finding
		for _, f := range base.Findings {
			if f.Kind != RedundantEdge {
				before = append(before, f)
			}
		}
		report.FindingsAdded, report.FindingsCleared = diffFindings(before, append(slices.Clone(ce.Problems), ce.Warnings...))
		return report, nil
	}
	report.FindingsAdded, report.FindingsCleared = diffFindings(base.Findings, after.Findings)

	plans := newPlanComparison(base.Graph, after.Graph, changed)
	report.PlanChanges, report.PlanChangeCount = plans.changes(ImpactListLimit)
	report.MetricChanges, report.MetricChangeCount = metricChanges(base.Graph, after.Graph, ImpactListLimit)
	report.Totals = &TotalsChange{Before: totalsWith(base, plans.before.rg), After: totalsWith(after, plans.after.rg)}
	return report, nil
}

// diffFindings returns the findings only after has and those only before
// has, as multisets keyed by kind, subjects and message (not source: an
// edit moves lines).
func diffFindings(before, after []Finding) (added, cleared []Finding) {
	key := func(f Finding) string {
		return string(f.Kind) + "\x00" + strings.Join(f.Subjects, "\x1f") + "\x00" + f.Message
	}
	only := func(fs, other []Finding) []Finding {
		left := map[string]int{}
		for _, f := range other {
			left[key(f)]++
		}
		var out []Finding
		for _, f := range fs {
			if k := key(f); left[k] > 0 {
				left[k]--
			} else {
				out = append(out, f)
			}
		}
		SortFindings(out)
		return out
	}
	return only(after, before), only(before, after)
}

// metricChanges returns the first limit concepts of before whose metrics
// differ in after, largest changes first, and how many differ in all.
func metricChanges(before, after *Graph, limit int) ([]MetricChange, int) {
	now := make(map[string]*Concept, len(after.Concepts))
	for _, c := range after.Concepts {
		now[c.ID] = c
	}
	var out []MetricChange
	for _, c := range before.Concepts {
		if a := now[c.ID]; a != nil && a.Metrics != c.Metrics {
			out = append(out, MetricChange{Concept: c, Before: c.Metrics, After: a.Metrics})
		}
	}
	slices.SortFunc(out, func(x, y MetricChange) int {
		dx, dy := x.Delta(), y.Delta()
		for _, c := range []int{
			cmp.Compare(abs(dy.Complexity), abs(dx.Complexity)),
			cmp.Compare(abs(dy.BlockingFactor), abs(dx.BlockingFactor)),
			cmp.Compare(abs(dy.DelayFactor), abs(dx.DelayFactor)),
			cmp.Compare(math.Abs(dy.Centrality), math.Abs(dx.Centrality)),
		} {
			if c != 0 {
				return c
			}
		}
		return compareConcepts(x.Concept, y.Concept)
	})
	return out[:min(limit, len(out))], len(out)
}

// ----- plan changes -----

// The study plan towards X with nothing known holds X and all it
// requires, and a step's layer depends only on what the step requires,
// which is all in the plan: so a concept has one layer in every such
// plan. Then plan(X) changes in three ways only: it gains the concepts
// that X reaches after the change but not before, loses those it reached
// before but not after, and moves the concepts of both whose layer
// changes. Two closures per concept would be quadratic on a large graph;
// instead:
//
//   - X can only gain or lose Y if X reaches the from-end F of a changed
//     edge: take the first changed edge on the path from X to Y; the
//     path up to it is in both graphs. Then F itself gains or loses Y.
//     So the candidates for X are the from-ends and what requires them;
//     the candidates for Y are what the from-ends gain or lose, and the
//     concepts whose layer changes. Together those Ys are the universe.
//   - A Y that no from-end gains or loses is, by the same argument, in
//     both closures of X or in neither: for those, one side's
//     reachability says whether X's plan moves them.
//   - Reachability from every concept into the universe comes from a
//     pass in topological order, 64 universe concepts per machine word,
//     in column blocks that bound memory as the metrics pass does.

// impactSide is one side (before or after) of a plan comparison.
type impactSide struct {
	rg     *reqGraph
	order  []int32 // topological: prerequisites first
	layers []int32 // the layer of each concept in every plan holding it
	other  []int32 // the same concept's vertex on the other side, or -1
	walk   walker
	// member is each vertex's index in the universe, or -1; reaches
	// says whether the vertex reaches a member (itself included).
	member  []int32
	reaches []bool
}

func newImpactSide(g *Graph) *impactSide {
	rg := newReqGraph(g)
	order, _ := rg.topoOrder() // both sides are analysed, so acyclic
	together := togetherEdges(g, rg)
	layers := make([]int32, rg.size())
	for _, v := range order {
		first := rg.preStart[v]
		for i, p := range rg.prereqs(v) {
			step := int32(1)
			if together[int(first)+i] {
				step = 0
			}
			layers[v] = max(layers[v], layers[p]+step)
		}
	}
	return &impactSide{rg: rg, order: order, layers: layers, walk: newWalker(rg.size())}
}

// togetherEdges marks, by index in rg.edges, the edges whose ends a plan
// may put in one layer: co-requisites that no REQUIRES edge between the
// same two concepts overrides, as OrderPlan reads them.
func togetherEdges(g *Graph, rg *reqGraph) []bool {
	together := make([]bool, len(rg.edges))
	co := map[[2]int32]int{} // rg.edges keeps one link per pair; its index
	for i, e := range rg.edges {
		if e.link.Rel.Together() {
			together[i] = true
			co[[2]int32{e.from, e.to}] = i
		}
	}
	if len(co) == 0 {
		return together
	}
	for _, l := range g.Links {
		if !isConceptRequisite(l) || l.Rel.Together() {
			continue
		}
		from, okFrom := rg.index[l.From.ID]
		to, okTo := rg.index[l.To.ID]
		if i, ok := co[[2]int32{from, to}]; ok && okFrom && okTo {
			together[i] = false
		}
	}
	return together
}

// pairSides links each side's vertices to the other's, by concept id. An
// edit keeps the concepts and their order, which needs no lookups.
func pairSides(b, a *impactSide) {
	b.other, a.other = make([]int32, b.rg.size()), make([]int32, a.rg.size())
	same := len(b.other) == len(a.other)
	for v := 0; same && v < len(b.other); v++ {
		same = b.rg.concepts[v].ID == a.rg.concepts[v].ID
	}
	for _, s := range []struct{ from, to *impactSide }{{b, a}, {a, b}} {
		for v, c := range s.from.rg.concepts {
			switch w, ok := s.to.rg.index[c.ID]; {
			case same:
				s.from.other[v] = int32(v)
			case ok:
				s.from.other[v] = w
			default:
				s.from.other[v] = -1
			}
		}
	}
}

// universeItem is one concept a plan may gain, lose or move.
type universeItem struct {
	before, after int32 // its vertex on each side, or -1
	gainedOrLost  bool  // some from-end of a changed edge gains or loses it
	moved         bool  // its layer changes
}

// candidate is a concept, on both sides, whose plan may change.
type candidate struct {
	before, after int32
	steps         int
}

type planComparison struct {
	before, after *impactSide
	// universe holds the items some from-end gains or loses first, then
	// those that only move; bothSides is where the second part starts.
	universe   []universeItem
	bothSides  int
	candidates []candidate
}

// newPlanComparison prepares the comparison of the plans of before and
// after, which differ in the requisite edges changed (and in concepts
// that only one of them has, which only changed edges can join to the
// rest).
func newPlanComparison(before, after *Graph, changed []Link) *planComparison {
	pc := &planComparison{before: newImpactSide(before), after: newImpactSide(after)}
	b, a := pc.before, pc.after
	pairSides(b, a)

	var fromBefore, fromAfter []int32
	for _, l := range changed {
		fromBefore = append(fromBefore, vertexOf(b.rg, l.From.ID))
		fromAfter = append(fromAfter, vertexOf(a.rg, l.From.ID))
	}

	itemOf := make([]int32, b.rg.size()+a.rg.size()) // by before vertex, then by after vertex for the after-only
	for i := range itemOf {
		itemOf[i] = -1
	}
	add := func(vb, va int32) *universeItem {
		slot := int(vb)
		if vb < 0 {
			slot = b.rg.size() + int(va)
		}
		if itemOf[slot] < 0 {
			itemOf[slot] = int32(len(pc.universe))
			pc.universe = append(pc.universe, universeItem{before: vb, after: va})
		}
		return &pc.universe[itemOf[slot]]
	}
	reachedBefore := make([]bool, b.rg.size())
	for i := range fromBefore {
		was := b.walk.from(fromBefore[i:i+1], b.rg.prereqs, nil)
		for _, v := range was {
			reachedBefore[v] = true
		}
		for _, va := range a.walk.from(fromAfter[i:i+1], a.rg.prereqs, nil) {
			if vb := a.other[va]; vb >= 0 && reachedBefore[vb] {
				reachedBefore[vb] = false // in both: neither gained nor lost
			} else {
				add(vb, va).gainedOrLost = true
			}
		}
		for _, vb := range was {
			if reachedBefore[vb] {
				reachedBefore[vb] = false
				add(vb, b.other[vb]).gainedOrLost = true
			}
		}
	}
	for vb, va := range b.other {
		if va >= 0 && b.layers[vb] != a.layers[va] {
			add(int32(vb), va).moved = true
		}
	}
	slices.SortStableFunc(pc.universe, func(x, y universeItem) int {
		if x.gainedOrLost != y.gainedOrLost {
			if x.gainedOrLost {
				return -1
			}
			return 1
		}
		return 0
	})
	pc.bothSides = len(pc.universe)
	for i, item := range pc.universe {
		if !item.gainedOrLost {
			pc.bothSides = i
			break
		}
	}

	// Candidates: the from-ends and what requires them, on either side,
	// that both sides have.
	isCandidate := make([]bool, b.rg.size())
	for _, v := range b.walk.from(fromBefore, b.rg.dependents, nil) {
		isCandidate[v] = true
	}
	for _, v := range a.walk.from(fromAfter, a.rg.dependents, nil) {
		if vb := a.other[v]; vb >= 0 {
			isCandidate[vb] = true
		}
	}
	for vb, ok := range isCandidate {
		if va := b.other[vb]; ok && va >= 0 {
			pc.candidates = append(pc.candidates, candidate{before: int32(vb), after: va})
		}
	}

	for _, s := range []*impactSide{b, a} {
		s.member = make([]int32, s.rg.size())
		for v := range s.member {
			s.member[v] = -1
		}
	}
	for i, item := range pc.universe {
		if item.before >= 0 {
			b.member[item.before] = int32(i)
		}
		if item.after >= 0 {
			a.member[item.after] = int32(i)
		}
	}
	for _, s := range []*impactSide{b, a} {
		s.reaches = make([]bool, s.rg.size())
		for _, v := range s.order {
			reaches := s.member[v] >= 0
			for _, p := range s.rg.prereqs(v) {
				reaches = reaches || s.reaches[p]
			}
			s.reaches[v] = reaches
		}
	}
	return pc
}

// vertexOf returns the vertex of the concept id, or -1.
func vertexOf(rg *reqGraph, id string) int32 {
	if v, ok := rg.index[id]; ok {
		return v
	}
	return -1
}

// impactBudgetWords bounds the memory of the reachability rows, both
// sides together, in 64-bit words.
const impactBudgetWords = 4 << 20

// changes returns the first limit plan changes and how many there are.
func (pc *planComparison) changes(limit int) ([]PlanChange, int) {
	pc.countSteps()
	var changed []candidate
	for _, c := range pc.candidates {
		if c.steps > 0 {
			changed = append(changed, c)
		}
	}
	slices.SortFunc(changed, func(x, y candidate) int {
		if c := cmp.Compare(y.steps, x.steps); c != 0 {
			return c
		}
		return compareConcepts(pc.before.rg.concepts[x.before], pc.before.rg.concepts[y.before])
	})
	out := make([]PlanChange, 0, min(limit, len(changed)))
	for _, c := range changed[:min(limit, len(changed))] {
		out = append(out, pc.detail(c))
	}
	return out, len(changed)
}

// countSteps counts, for every candidate, the universe concepts its plan
// gains, loses or moves, by reachability bitsets over the universe: on
// both sides for the items some from-end gains or loses, after the change
// only for the others.
func (pc *planComparison) countSteps() {
	if len(pc.universe) == 0 || len(pc.candidates) == 0 {
		return
	}
	b, a := pc.before, pc.after
	words := max(1, min((len(pc.universe)+63)/64, impactBudgetWords/(b.rg.size()+a.rg.size()+1)))
	rowsBefore := make([]uint64, b.rg.size()*words)
	rowsAfter := make([]uint64, a.rg.size()*words)
	gainedOrLost, moved := make([]uint64, words), make([]uint64, words)
	parts := []struct {
		lo, hi    int
		bothSides bool
	}{{0, pc.bothSides, true}, {pc.bothSides, len(pc.universe), false}}
	for _, part := range parts {
		for lo := part.lo; lo < part.hi; lo += 64 * words {
			hi := min(part.hi, lo+64*words)
			clear(gainedOrLost)
			clear(moved)
			for i := lo; i < hi; i++ {
				bit := uint64(1) << ((i - lo) % 64)
				if pc.universe[i].gainedOrLost {
					gainedOrLost[(i-lo)/64] |= bit
				}
				if pc.universe[i].moved {
					moved[(i-lo)/64] |= bit
				}
			}
			if part.bothSides {
				b.fillRows(rowsBefore, words, lo, hi)
			}
			a.fillRows(rowsAfter, words, lo, hi)
			for i, c := range pc.candidates {
				is := a.row(rowsAfter, words, c.after)
				was := is // what only moves is in both closures or in neither
				if part.bothSides {
					was = b.row(rowsBefore, words, c.before)
				}
				pc.candidates[i].steps += changedSteps(was, is, gainedOrLost, moved)
			}
		}
	}
}

// changedSteps counts the members that a plan gains or loses (marked
// gainedOrLost, reached on one side only) or moves (marked moved, reached
// on both sides). A nil row reaches nothing.
func changedSteps(was, is, gainedOrLost, moved []uint64) int {
	n := 0
	for w := range gainedOrLost {
		var then, now uint64
		if was != nil {
			then = was[w]
		}
		if is != nil {
			now = is[w]
		}
		n += bits.OnesCount64((then^now)&gainedOrLost[w]) + bits.OnesCount64(then&now&moved[w])
	}
	return n
}

// fillRows sets, for every vertex that reaches the universe, the bits of
// the members in [lo, hi) that it reaches, itself included.
func (s *impactSide) fillRows(rows []uint64, words, lo, hi int) {
	for _, v := range s.order {
		if !s.reaches[v] {
			continue
		}
		row := rows[int(v)*words : (int(v)+1)*words]
		clear(row)
		if m := int(s.member[v]); m >= lo && m < hi {
			row[(m-lo)/64] |= 1 << ((m - lo) % 64)
		}
		for _, p := range s.rg.prereqs(v) {
			if !s.reaches[p] {
				continue
			}
			for w, word := range rows[int(p)*words : (int(p)+1)*words] {
				row[w] |= word
			}
		}
	}
}

// row returns v's row, or nil when v reaches no member (its row is not
// filled).
func (s *impactSide) row(rows []uint64, words int, v int32) []uint64 {
	if !s.reaches[v] {
		return nil
	}
	return rows[int(v)*words : (int(v)+1)*words]
}

// detail lists the steps of c's plan that change, from its closures on
// both sides (only through concepts that reach the universe).
func (pc *planComparison) detail(c candidate) PlanChange {
	b, a := pc.before, pc.after
	was := make([]bool, len(pc.universe))
	is := make([]bool, len(pc.universe))
	for _, v := range b.walk.from([]int32{c.before}, b.rg.prereqs, b.reaches) {
		if m := b.member[v]; m >= 0 {
			was[m] = true
		}
	}
	for _, v := range a.walk.from([]int32{c.after}, a.rg.prereqs, a.reaches) {
		if m := a.member[v]; m >= 0 {
			is[m] = true
		}
	}
	change := PlanChange{Goal: b.rg.concepts[c.before]}
	type step struct {
		concept *Concept
		layer   int32
	}
	var added, removed []step
	for i, item := range pc.universe {
		switch {
		case is[i] && !was[i] && item.gainedOrLost:
			concept := a.rg.concepts[item.after]
			if item.before >= 0 {
				concept = b.rg.concepts[item.before]
			}
			added = append(added, step{concept, a.layers[item.after]})
		case was[i] && !is[i] && item.gainedOrLost:
			removed = append(removed, step{b.rg.concepts[item.before], b.layers[item.before]})
		case was[i] && is[i] && item.moved:
			change.Moved = append(change.Moved, LayerChange{
				Concept: b.rg.concepts[item.before],
				Before:  int(b.layers[item.before]),
				After:   int(a.layers[item.after]),
			})
		}
	}
	inPlanOrder := func(x, y step) int {
		if c := cmp.Compare(x.layer, y.layer); c != 0 {
			return c
		}
		return compareConcepts(x.concept, y.concept)
	}
	slices.SortFunc(added, inPlanOrder)
	slices.SortFunc(removed, inPlanOrder)
	slices.SortFunc(change.Moved, func(x, y LayerChange) int {
		if c := cmp.Compare(x.After, y.After); c != 0 {
			return c
		}
		return compareConcepts(x.Concept, y.Concept)
	})
	for _, s := range added {
		change.Added = append(change.Added, s.concept)
	}
	for _, s := range removed {
		change.Removed = append(change.Removed, s.concept)
	}
	return change
}

// walker walks a graph of dense vertices, reusing its marks between
// walks.
type walker struct {
	seen  []bool
	stack []int32
}

func newWalker(n int) walker { return walker{seen: make([]bool, n)} }

// from returns the vertices reachable from starts (themselves included;
// negative starts are skipped) over next, through vertices that keep
// allows (all when keep is nil).
func (w *walker) from(starts []int32, next func(int32) []int32, keep []bool) []int32 {
	var out []int32
	push := func(v int32) {
		if !w.seen[v] && (keep == nil || keep[v]) {
			w.seen[v] = true
			w.stack = append(w.stack, v)
		}
	}
	for _, v := range starts {
		if v >= 0 {
			push(v)
		}
	}
	for len(w.stack) > 0 {
		v := w.stack[len(w.stack)-1]
		w.stack = w.stack[:len(w.stack)-1]
		out = append(out, v)
		for _, u := range next(v) {
			push(u)
		}
	}
	for _, v := range out {
		w.seen[v] = false
	}
	return out
}
