package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"learngraph"
)

// againstFlag is check's --against: the directory of the published
// curriculum that the checked one would replace.
type againstFlag struct{ dir string }

func addAgainstFlag(fset *flag.FlagSet) *againstFlag {
	a := &againstFlag{}
	fset.StringVar(&a.dir, "against", "", "also print the impact of going from the published curriculum in `DIR` to this one: edges, findings, study plans and metrics that change")
	return a
}

// usable says whether --against names a directory, on stderr when it
// does not.
func (a *againstFlag) usable(m *Main) bool {
	if a.dir == "" {
		return true
	}
	if st, err := os.Stat(a.dir); err != nil || !st.IsDir() {
		fmt.Fprintf(m.Stderr, "learngraph check: --against %s is not a directory\n", a.dir)
		return false
	}
	return true
}

// impactSection is what --against adds to check's output.
type impactSection struct {
	published, edited string                   // the two directories
	report            *learngraph.ImpactReport // nil when not computed
	// cycles are the edited curriculum's CYCLE errors when they keep it
	// from loading at all: the change closes them.
	cycles  []learngraph.Finding
	problem string // why there is no report
	failed  bool   // the published curriculum does not load
	// labels name concepts by id: their names, with the id when two
	// concepts share a name.
	labels map[string]string
}

// impact compares the curriculum checked in dir (edited, with the error
// its load gave) with the published one. Nil without --against.
func (a *againstFlag) impact(dir string, edited *learngraph.Graph, loadErr error) *impactSection {
	if a.dir == "" {
		return nil
	}
	s := &impactSection{published: a.dir, edited: dir}
	published, pub, err := load(os.DirFS(a.dir))
	if err != nil {
		s.failed = true
		s.problem = fmt.Sprintf("the published curriculum in %s does not load; learngraph check %s says why", a.dir, a.dir)
		return s
	}
	s.labels = conceptLabels(published, edited)
	if edited == nil {
		// The loader refuses a graph with a cycle, so a change that
		// closes one shows only as the load's CYCLE errors.
		problems := findingsIn(loadErr)
		for _, f := range problems {
			switch {
			case f.Kind == learngraph.Cycle:
				s.cycles = append(s.cycles, located(f, dir))
			case f.Severity == learngraph.SeverityError:
				s.cycles = nil
				s.problem = dir + " does not load; fix the errors above first"
				return s
			}
		}
		if len(s.cycles) == 0 {
			s.problem = dir + " does not load; fix the errors above first"
		} else {
			s.problem = "edges, study plans and metrics are not compared while " + dir + " has a cycle"
		}
		return s
	}
	report, err := learngraph.CompareCurricula(pub, edited)
	if err != nil {
		s.problem = learngraph.ErrorMessage(err)
		return s
	}
	for i, f := range report.FindingsAdded {
		report.FindingsAdded[i] = located(f, dir)
	}
	for i, f := range report.FindingsCleared {
		report.FindingsCleared[i] = located(f, a.dir)
	}
	for i := range report.EdgesAdded {
		report.EdgesAdded[i].Source = locatedSource(report.EdgesAdded[i].Source, dir)
	}
	for i := range report.EdgesRemoved {
		report.EdgesRemoved[i].Source = locatedSource(report.EdgesRemoved[i].Source, a.dir)
	}
	s.report = report
	return s
}

func locatedSource(src learngraph.Source, dir string) learngraph.Source {
	return located(learngraph.Finding{Source: src}, dir).Source
}

// failedToCompare says whether the comparison failed for want of a
// published curriculum, which makes check fail.
func (s *impactSection) failedToCompare() bool { return s != nil && s.failed }

// maxListed is how many concepts one line of the text output names.
const maxListed = 8

// writeImpact prints the section for people, after check's own report.
func writeImpact(w io.Writer, s *impactSection) {
	if s == nil {
		return
	}
	fmt.Fprintf(w, "\nImpact of going from %s to %s:\n", s.published, s.edited)
	switch {
	case s.cycles != nil:
		fmt.Fprintf(w, "  The change closes a REQUIRES cycle; study plans and metrics are undefined until it is broken:\n")
		for _, f := range s.cycles {
			fmt.Fprintf(w, "    %s\n", f)
		}
		return
	case s.report == nil:
		fmt.Fprintf(w, "  not computed: %s\n", s.problem)
		return
	}
	r := s.report
	if len(r.EdgesAdded)+len(r.EdgesRemoved)+len(r.ConceptsAdded)+len(r.ConceptsRemoved)+len(r.FindingsAdded)+len(r.FindingsCleared) == 0 && r.PlanChangeCount+r.MetricChangeCount == 0 {
		fmt.Fprintf(w, "  no requisite edge, concept, finding, study plan or metric changes\n")
		return
	}
	if len(r.EdgesAdded)+len(r.EdgesRemoved) > 0 {
		fmt.Fprintf(w, "  Requisite edges: %d added, %d removed\n", len(r.EdgesAdded), len(r.EdgesRemoved))
		for _, l := range r.EdgesAdded {
			fmt.Fprintf(w, "    + %s\n", s.edge(l))
		}
		for _, l := range r.EdgesRemoved {
			fmt.Fprintf(w, "    - %s\n", s.edge(l))
		}
	}
	if len(r.ConceptsAdded)+len(r.ConceptsRemoved) > 0 {
		fmt.Fprintf(w, "  Concepts: %d added, %d removed\n", len(r.ConceptsAdded), len(r.ConceptsRemoved))
		if len(r.ConceptsAdded) > 0 {
			fmt.Fprintf(w, "    + %s\n", s.conceptList(r.ConceptsAdded))
		}
		if len(r.ConceptsRemoved) > 0 {
			fmt.Fprintf(w, "    - %s\n", s.conceptList(r.ConceptsRemoved))
		}
	}
	for _, group := range []struct {
		title    string
		findings []learngraph.Finding
	}{{"Findings added", r.FindingsAdded}, {"Findings cleared", r.FindingsCleared}} {
		if len(group.findings) == 0 {
			continue
		}
		fmt.Fprintf(w, "  %s (%d):\n", group.title, len(group.findings))
		for _, f := range group.findings {
			fmt.Fprintf(w, "    %s\n", f)
		}
	}
	if r.ClosesCycle {
		fmt.Fprintf(w, "  The change closes a REQUIRES cycle; study plans and metrics are undefined until it is broken.\n")
		return
	}
	if r.PlanChangeCount > 0 {
		fmt.Fprintf(w, "  Study plans that change (%s):\n", shownOf(len(r.PlanChanges), r.PlanChangeCount))
		for _, p := range r.PlanChanges {
			var parts []string
			if len(p.Added) > 0 {
				parts = append(parts, "gains "+s.conceptList(p.Added))
			}
			if len(p.Removed) > 0 {
				parts = append(parts, "loses "+s.conceptList(p.Removed))
			}
			if len(p.Moved) > 0 {
				moved := make([]string, 0, min(maxListed, len(p.Moved)))
				for _, m := range p.Moved[:min(maxListed, len(p.Moved))] {
					moved = append(moved, fmt.Sprintf("%s %d→%d", s.name(m.Concept.ID), m.Before, m.After))
				}
				parts = append(parts, "moves "+andMore(moved, len(p.Moved))+" (layers)")
			}
			fmt.Fprintf(w, "    %s: %s\n", s.name(p.Goal.ID), strings.Join(parts, "; "))
		}
	}
	if r.MetricChangeCount > 0 {
		fmt.Fprintf(w, "  Largest metric changes (%s):\n", shownOf(len(r.MetricChanges), r.MetricChangeCount))
		for _, m := range r.MetricChanges {
			fmt.Fprintf(w, "    %s: complexity %s, blocking %s, delay %s, centrality %s\n", s.name(m.Concept.ID),
				valueChange(m.Before.Complexity, m.After.Complexity), valueChange(m.Before.BlockingFactor, m.After.BlockingFactor),
				valueChange(m.Before.DelayFactor, m.After.DelayFactor), valueChange(m.Before.Centrality, m.After.Centrality))
		}
	}
	if t := r.Totals; t != nil && !sameTotals(t.Before, t.After) {
		fmt.Fprintf(w, "  Totals: complexity %s, blocking %s, delay %s, centrality %s, longest chain %s concepts\n",
			valueChange(t.Before.Complexity, t.After.Complexity), valueChange(t.Before.BlockingFactor, t.After.BlockingFactor),
			valueChange(t.Before.DelayFactor, t.After.DelayFactor), valueChange(t.Before.Centrality, t.After.Centrality),
			valueChange(len(t.Before.LongestChain), len(t.After.LongestChain)))
	}
}

// edge writes a requisite edge with its concepts' names and where it is
// stated.
func (s *impactSection) edge(l learngraph.Link) string {
	out := fmt.Sprintf("%s %s %s", s.name(l.From.ID), l.Rel, s.name(l.To.ID))
	if l.File != "" {
		out += fmt.Sprintf(" (%s:%d)", l.File, l.Line)
	}
	return out
}

// conceptLabels returns what the text output calls each concept of the
// graphs: its name, quoted, and its id too when concepts share the name
// (as the seed's two "Advanced Patterns" do).
func conceptLabels(graphs ...*learngraph.Graph) map[string]string {
	names := map[string]string{}
	for _, g := range graphs {
		if g != nil {
			for _, c := range g.Concepts {
				names[c.ID] = c.Name
			}
		}
	}
	shared := map[string]int{}
	for _, name := range names {
		shared[strings.ToLower(name)]++
	}
	labels := make(map[string]string, len(names))
	for id, name := range names {
		labels[id] = fmt.Sprintf("%q", name)
		if shared[strings.ToLower(name)] > 1 {
			labels[id] = fmt.Sprintf("%q (%s)", name, id)
		}
	}
	return labels
}

func (s *impactSection) name(id string) string {
	if label := s.labels[id]; label != "" {
		return label
	}
	return fmt.Sprintf("%q", id)
}

func (s *impactSection) conceptList(cs []*learngraph.Concept) string {
	names := make([]string, 0, min(maxListed, len(cs)))
	for _, c := range cs[:min(maxListed, len(cs))] {
		names = append(names, s.name(c.ID))
	}
	return andMore(names, len(cs))
}

// andMore joins the first items of a list of total and says how many
// more there are.
func andMore(items []string, total int) string {
	out := strings.Join(items, ", ")
	if total > len(items) {
		out += fmt.Sprintf(" and %d more", total-len(items))
	}
	return out
}

// shownOf says "3" when all are shown, "20 of 57" otherwise.
func shownOf(shown, total int) string {
	if shown == total {
		return fmt.Sprint(total)
	}
	return fmt.Sprintf("%d of %d", shown, total)
}

// valueChange writes "3→5 (+2)", or "4" when the value stays.
func valueChange[T int | float64](before, after T) string {
	if before == after {
		return fmt.Sprint(before)
	}
	sign := "+"
	if after < before {
		sign = ""
	}
	return fmt.Sprintf("%v→%v (%s%v)", before, after, sign, after-before)
}

func sameTotals(a, b learngraph.Totals) bool {
	return a.Concepts == b.Concepts && a.BlockingFactor == b.BlockingFactor && a.DelayFactor == b.DelayFactor &&
		a.Centrality == b.Centrality && a.Complexity == b.Complexity && len(a.LongestChain) == len(b.LongestChain)
}

// jsonImpact is the "impact" object of check --json.
type jsonImpact struct {
	Against           string             `json:"against"`
	Error             string             `json:"error,omitempty"`
	ClosesCycle       bool               `json:"closesCycle"`
	EdgesAdded        []jsonEdge         `json:"edgesAdded"`
	EdgesRemoved      []jsonEdge         `json:"edgesRemoved"`
	ConceptsAdded     []string           `json:"conceptsAdded"`
	ConceptsRemoved   []string           `json:"conceptsRemoved"`
	FindingsAdded     []jsonFinding      `json:"findingsAdded"`
	FindingsCleared   []jsonFinding      `json:"findingsCleared"`
	PlanChanges       []jsonPlanChange   `json:"planChanges"`
	PlanChangeCount   int                `json:"planChangeCount"`
	MetricChanges     []jsonMetricChange `json:"metricChanges"`
	MetricChangeCount int                `json:"metricChangeCount"`
	Totals            *jsonTotalsChange  `json:"totals,omitempty"`
}

type jsonEdge struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Rel    string `json:"rel"`
	Reason string `json:"reason,omitempty"`
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
}

type jsonPlanChange struct {
	Concept string            `json:"concept"`
	Added   []string          `json:"added"`
	Removed []string          `json:"removed"`
	Moved   []jsonLayerChange `json:"moved"`
}

type jsonLayerChange struct {
	Concept string `json:"concept"`
	Before  int    `json:"before"`
	After   int    `json:"after"`
}

type jsonMetricChange struct {
	Concept string      `json:"concept"`
	Before  jsonMetrics `json:"before"`
	After   jsonMetrics `json:"after"`
}

type jsonMetrics struct {
	BlockingFactor int     `json:"blockingFactor"`
	DelayFactor    int     `json:"delayFactor"`
	Centrality     float64 `json:"centrality"`
	Complexity     int     `json:"complexity"`
}

type jsonTotalsChange struct {
	Before jsonTotals `json:"before"`
	After  jsonTotals `json:"after"`
}

type jsonTotals struct {
	Concepts int `json:"concepts"`
	jsonMetrics
	LongestChain []string `json:"longestChain"`
}

// json returns the section as check --json prints it; nil without
// --against.
func (s *impactSection) json() *jsonImpact {
	if s == nil {
		return nil
	}
	out := &jsonImpact{
		Against:         s.published,
		Error:           s.problem,
		ClosesCycle:     s.cycles != nil,
		EdgesAdded:      []jsonEdge{},
		EdgesRemoved:    []jsonEdge{},
		ConceptsAdded:   []string{},
		ConceptsRemoved: []string{},
		FindingsAdded:   toJSONFindings(s.cycles),
		FindingsCleared: []jsonFinding{},
		PlanChanges:     []jsonPlanChange{},
		MetricChanges:   []jsonMetricChange{},
	}
	r := s.report
	if r == nil {
		return out
	}
	out.ClosesCycle = r.ClosesCycle
	for _, l := range r.EdgesAdded {
		out.EdgesAdded = append(out.EdgesAdded, toJSONEdge(l))
	}
	for _, l := range r.EdgesRemoved {
		out.EdgesRemoved = append(out.EdgesRemoved, toJSONEdge(l))
	}
	out.ConceptsAdded = append(out.ConceptsAdded, conceptIDs(r.ConceptsAdded)...)
	out.ConceptsRemoved = append(out.ConceptsRemoved, conceptIDs(r.ConceptsRemoved)...)
	out.FindingsAdded = toJSONFindings(r.FindingsAdded)
	out.FindingsCleared = toJSONFindings(r.FindingsCleared)
	for _, p := range r.PlanChanges {
		jp := jsonPlanChange{Concept: p.Goal.ID, Added: conceptIDs(p.Added), Removed: conceptIDs(p.Removed), Moved: []jsonLayerChange{}}
		for _, m := range p.Moved {
			jp.Moved = append(jp.Moved, jsonLayerChange{m.Concept.ID, m.Before, m.After})
		}
		out.PlanChanges = append(out.PlanChanges, jp)
	}
	out.PlanChangeCount = r.PlanChangeCount
	for _, m := range r.MetricChanges {
		out.MetricChanges = append(out.MetricChanges, jsonMetricChange{m.Concept.ID, toJSONMetrics(m.Before), toJSONMetrics(m.After)})
	}
	out.MetricChangeCount = r.MetricChangeCount
	if t := r.Totals; t != nil {
		out.Totals = &jsonTotalsChange{Before: toJSONTotals(t.Before), After: toJSONTotals(t.After)}
	}
	return out
}

func toJSONEdge(l learngraph.Link) jsonEdge {
	return jsonEdge{From: l.From.ID, To: l.To.ID, Rel: string(l.Rel), Reason: l.Reason, File: l.File, Line: l.Line}
}

func toJSONFindings(fs []learngraph.Finding) []jsonFinding {
	out := make([]jsonFinding, 0, len(fs))
	for _, f := range fs {
		subjects := f.Subjects
		if subjects == nil {
			subjects = []string{}
		}
		out = append(out, jsonFinding{f.Kind, f.Severity, f.Message, subjects, f.File, f.Line})
	}
	return out
}

func toJSONMetrics(m learngraph.Metrics) jsonMetrics {
	return jsonMetrics{m.BlockingFactor, m.DelayFactor, m.Centrality, m.Complexity}
}

func toJSONTotals(t learngraph.Totals) jsonTotals {
	chain := t.LongestChain
	if chain == nil {
		chain = []string{}
	}
	return jsonTotals{
		Concepts:     t.Concepts,
		jsonMetrics:  jsonMetrics{t.BlockingFactor, t.DelayFactor, t.Centrality, t.Complexity},
		LongestChain: chain,
	}
}

func conceptIDs(cs []*learngraph.Concept) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}
