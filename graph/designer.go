package graph

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"unicode/utf8"

	"learngraph"
	"learngraph/picture"
)

// maxEdits bounds the edges one impact question adds or removes: each is
// resolved, and the whole curriculum is analysed again once per question.
const maxEdits = 100

// heavyWork bounds the impact questions computed at once. Each analyses
// the whole curriculum again (about 0.7 s for 100,000 concepts) and does
// not stop half way, so without a bound a burst of them would starve
// every other request of CPU.
type heavyWork chan struct{}

func newHeavyWork() heavyWork { return make(heavyWork, max(1, runtime.GOMAXPROCS(0)/2)) }

// do runs f once a slot is free, or returns ctx's error if the request
// ends first.
func (h heavyWork) do(ctx context.Context, f func() error) error {
	select {
	case h <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-h }()
	if err := ctx.Err(); err != nil {
		return err
	}
	return f()
}

// impact answers Query.impact over the snapshot's whole curriculum.
func (r *Resolver) impact(ctx context.Context, add, remove []*learngraph.EdgeEdit) (*learngraph.ImpactReport, error) {
	change := learngraph.Change{}
	for _, list := range []struct {
		edits []*learngraph.EdgeEdit
		to    *[]learngraph.EdgeEdit
		what  string
	}{{add, &change.Add, "add"}, {remove, &change.Remove, "remove"}} {
		if len(list.edits) > maxEdits {
			return nil, &learngraph.Error{
				Code:    learngraph.ELIMIT,
				Message: fmt.Sprintf("%s lists at most %d edges, got %d", list.what, maxEdits, len(list.edits)),
				Limit:   maxEdits,
			}
		}
		for _, e := range list.edits {
			if n := utf8.RuneCountInString(e.Reason); n > maxReasonRunes {
				return nil, &learngraph.Error{
					Code:    learngraph.ELIMIT,
					Message: fmt.Sprintf("a reason is at most %d characters, got %d", maxReasonRunes, n),
					Limit:   maxReasonRunes,
				}
			}
			*list.to = append(*list.to, *e)
		}
	}
	snap, err := snapshot(ctx)
	if err != nil {
		return nil, err
	}
	c, err := snap.Curriculum(ctx)
	if err != nil {
		return nil, err
	}
	var report *learngraph.ImpactReport
	err = r.heavy.do(ctx, func() error {
		report, err = learngraph.Impact(c, change)
		return err
	})
	return report, err
}

// planMermaid draws plan, as the snapshot answered it, as Mermaid.
func planMermaid(ctx context.Context, plan *learngraph.StudyPlan) (string, error) {
	c, err := wholeCurriculum(ctx)
	if err != nil {
		return "", err
	}
	p, err := picture.FromPlan(c, plan, picture.Options{})
	if err != nil {
		return "", err
	}
	return mermaidOf(p)
}

// pathMermaid draws a domain path's concepts as Mermaid.
func pathMermaid(ctx context.Context, path *learngraph.DomainPath) (string, error) {
	c, err := wholeCurriculum(ctx)
	if err != nil {
		return "", err
	}
	p, err := picture.FromCurriculum(c, picture.Scope{Path: path.ID}, picture.Options{})
	if err != nil {
		return "", err
	}
	return mermaidOf(p)
}

func wholeCurriculum(ctx context.Context) (*learngraph.Curriculum, error) {
	snap, err := snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return snap.Curriculum(ctx)
}

func mermaidOf(p *picture.Picture) (string, error) {
	var b strings.Builder
	if err := p.WriteMermaid(&b); err != nil {
		return "", err
	}
	return b.String(), nil
}

// conceptOf returns the concept at one end of a requisite link, through
// the operation's loader.
func conceptOf(ctx context.Context, ref learngraph.NodeRef) (*learngraph.Concept, error) {
	c, err := nodeByID[*learngraph.Concept](ctx, learngraph.KindConcept, ref.ID)
	if err == nil && c == nil {
		err = fmt.Errorf("requisite edge to %s %q, which the curriculum does not hold", ref.Kind, ref.ID)
	}
	return c, err
}
