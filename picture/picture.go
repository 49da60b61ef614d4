// Package picture draws parts of a curriculum graph: a goal's study plan,
// a domain path, a topic or the whole curriculum, with the gap findings
// marked on the concepts and edges they concern and a legend that explains
// the marks.
//
// Select picks what to draw into a Picture; WriteDOT and WriteMermaid turn
// it into Graphviz or Mermaid text, and a Renderer lays it out as SVG in
// process. Edges point from a prerequisite to what requires it, so a
// picture reads top to bottom in study order.
package picture

import (
	"fmt"
	"strings"

	"learngraph"
)

// DefaultMaxNodes is how many concepts a picture draws one by one before
// it folds them into topics or phases: beyond a few hundred nodes a
// layered drawing is too slow to lay out and too dense to read.
const DefaultMaxNodes = 300

// Scope says which part of the curriculum to draw. At most one of Goal,
// Path and Topic may be set; with none, the whole curriculum is drawn.
// Refs are ids, names or aliases, resolved as the stores resolve them.
type Scope struct {
	// Goal draws the study plan towards a concept, topic or path, one
	// rank per plan layer.
	Goal string
	// Known lists what the learner knows already (concepts, topics or
	// paths); the plan leaves it and everything it requires out. Only
	// with Goal.
	Known []string
	// Path draws a domain path's concepts, those of its topics included.
	Path string
	// Topic draws the concepts a topic covers.
	Topic string
}

// Options tune a picture.
type Options struct {
	// MaxNodes is the most concepts drawn one by one; above it the
	// picture folds them into topics, or into phases when the topics are
	// too many too. Zero means DefaultMaxNodes.
	MaxNodes int
}

// Picture is the part of a curriculum to draw, with its marks, ready to
// be written in any format.
type Picture struct {
	Title string
	// Note is shown with the title: what was folded, or why there is
	// nothing to draw.
	Note  string
	Nodes []Node // in drawing order: plan order, or document order
	Edges []Edge
	// Ranked says that Node.Layer holds the plan's layers, to be drawn as
	// ranks, prerequisites on top.
	Ranked bool
	// Fold says what was folded into groups; nil when every concept is
	// drawn.
	Fold *Fold
}

// Node is a concept, or a group of concepts (a topic or a phase) in a
// folded picture.
type Node struct {
	// Key identifies the node in the picture and in its output: DOT node
	// name, SVG id ("concept-<id>", "topic-<id>", "phase-<id>"; "no-topic"
	// and "no-phase" for the concepts without one).
	Key  string
	Kind learngraph.Kind // KindConcept, KindTopic or KindPhase
	ID   string          // the concept, topic or phase id; empty for "no-topic" and "no-phase"
	Name string
	// Layer is the node's plan layer when the picture is Ranked.
	Layer int
	// Concepts is how many concepts a group stands for; 1 for a concept.
	Concepts int
	Marks    Marks
}

// Edge joins a prerequisite to a concept that requires it, or, in a folded
// picture, one group to another.
type Edge struct {
	From string // key of the prerequisite (studied first)
	To   string // key of the node that requires it
	// Links is how many requisite links the edge stands for; 1 between
	// concepts.
	Links int
	Marks Marks
}

// Mark is one thing a picture points out on a node or an edge. Each has
// its own style in every format and an entry in the legend.
type Mark uint8

// The marks, in the order the legend lists them.
const (
	// Goal marks the goal's own concepts in a study plan.
	Goal Mark = 1 << iota
	// Untaught marks a concept something requires that no loaded document
	// teaches (finding UNTAUGHT_PREREQUISITE).
	Untaught
	// Orphan marks a concept that neither requires nor is required by
	// anything (finding ORPHAN).
	Orphan
	// Cycle marks the edges of a requisite cycle (finding CYCLE), and, in
	// a folded picture, a group with a cycle inside.
	Cycle
	// Redundant marks a REQUIRES edge that a longer path implies (finding
	// REDUNDANT_EDGE).
	Redundant
	// CoRequisite marks a co-requisite edge (COREQUIRES or
	// STRICTLY_COREQUIRES): both ends may be studied together. Between
	// folded groups, only when every link it stands for is one.
	CoRequisite
)

// allMarks lists the marks in legend order.
func allMarks() []Mark { return []Mark{Goal, Untaught, Orphan, Cycle, Redundant, CoRequisite} }

// Class is the mark's CSS class in SVG and Mermaid output.
func (m Mark) Class() string {
	switch m {
	case Goal:
		return "goal"
	case Untaught:
		return "untaught"
	case Orphan:
		return "orphan"
	case Cycle:
		return "cycle"
	case Redundant:
		return "redundant"
	case CoRequisite:
		return "co"
	}
	return ""
}

// Marks is a set of marks.
type Marks uint8

// Has reports whether m is in the set.
func (ms Marks) Has(m Mark) bool { return ms&Marks(m) != 0 }

// With returns the set with m added.
func (ms Marks) With(m Mark) Marks { return ms | Marks(m) }

// List returns the marks of the set in legend order.
func (ms Marks) List() []Mark {
	var out []Mark
	for _, m := range allMarks() {
		if ms.Has(m) {
			out = append(out, m)
		}
	}
	return out
}

// Classes returns the class names of the marks, space-separated, as SVG
// and CSS want them.
func (ms Marks) Classes() string {
	var names []string
	for _, m := range ms.List() {
		names = append(names, m.Class())
	}
	return strings.Join(names, " ")
}

// Fold says what a folded picture folded.
type Fold struct {
	Concepts int             // concepts the picture stands for
	By       learngraph.Kind // KindTopic or KindPhase
	Groups   int             // topics or phases drawn, not counting Ungrouped
	// Ungrouped is how many concepts had no topic (or phase); they are
	// drawn as one group of their own.
	Ungrouped int
	Limit     int // the MaxNodes the concepts exceeded
}

// String is the note a folded picture shows: "1,234 concepts folded into
// 57 topics (more than 300 to draw one by one)".
func (f Fold) String() string {
	noun := "topic"
	if f.By == learngraph.KindPhase {
		noun = "phase"
	}
	s := fmt.Sprintf("%s folded into %s", countOf(f.Concepts, "concept"), countOf(f.Groups, noun))
	if f.Ungrouped > 0 {
		s += fmt.Sprintf(" and one group of %s without a %s", countOf(f.Ungrouped, "concept"), noun)
	}
	return s + fmt.Sprintf(" (more than %s to draw one by one)", thousands(f.Limit))
}

// countOf writes "1 concept", "1,234 concepts".
func countOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return thousands(n) + " " + noun + "s"
}

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
