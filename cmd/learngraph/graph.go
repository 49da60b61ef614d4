package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"

	"learngraph"
	"learngraph/picture"
)

// graphSynopsis is the command line of graph, for its usage line.
const graphSynopsis = "[DIR] [--goal REF [--known REF,...] | --path REF | --topic REF] [--format svg|dot|mermaid] [-o FILE] [--max-nodes N]"

// graph draws part of the curriculum of a directory (the whole of it, a
// goal's study plan, a domain path or a topic) with the gap findings
// marked, as SVG, Graphviz DOT or Mermaid.
func (m *Main) graph(ctx context.Context, args []string) int {
	fset := m.newFlagSet("graph", graphSynopsis)
	var scope picture.Scope
	fset.StringVar(&scope.Goal, "goal", "", "draw the study plan towards `REF`, a concept, topic or path (id, name or alias)")
	fset.Func("known", "with --goal: what the learner knows already, comma-separated `REFS` (repeatable)", func(v string) error {
		for ref := range strings.SplitSeq(v, ",") {
			if ref = strings.TrimSpace(ref); ref != "" {
				scope.Known = append(scope.Known, ref)
			}
		}
		return nil
	})
	fset.StringVar(&scope.Path, "path", "", "draw the concepts of the domain path `REF`, those of its topics included")
	fset.StringVar(&scope.Topic, "topic", "", "draw the concepts the topic `REF` covers")
	format := fset.String("format", "svg", "output `format`: svg, dot or mermaid")
	out := fset.String("o", "", "write to `FILE` instead of standard output")
	maxNodes := fset.Int("max-nodes", picture.DefaultMaxNodes, "above `N` concepts, draw their topics (or phases) instead")
	positional, code, ok := parseArgs(fset, args)
	if !ok {
		return code
	}
	switch *format {
	case "svg", "dot", "mermaid":
	default:
		fmt.Fprintf(m.Stderr, "learngraph graph: unknown format %q: want svg, dot or mermaid\n", *format)
		return exitUsage
	}
	if *maxNodes < 1 {
		fmt.Fprintf(m.Stderr, "learngraph graph: --max-nodes must be at least 1, got %d\n", *maxNodes)
		return exitUsage
	}
	dir, ok := m.curriculumDir("graph", positional)
	if !ok {
		return exitUsage
	}

	g, c, err := load(os.DirFS(dir))
	var findings []learngraph.Finding
	switch {
	case err == nil:
		findings = c.Findings
	case g != nil && findingsIn(err) != nil:
		// Analysis refused a graph that loaded: draw it with its
		// problems marked, which is what a picture of it is for.
		findings = findingsIn(err)
		fmt.Fprintf(m.Stderr, "learngraph graph: %s has errors (learngraph check %s lists them); drawing it as it is\n", dir, dir)
	default:
		fmt.Fprintf(m.Stderr, "learngraph graph: %s does not form a graph to draw (learngraph check %s says more):\n", dir, dir)
		if findingsIn(err) == nil {
			fmt.Fprintf(m.Stderr, "  %v\n", err)
		}
		for _, f := range findingsIn(err) {
			if f.Severity == learngraph.SeverityError {
				fmt.Fprintf(m.Stderr, "  %s\n", located(f, dir))
			}
		}
		return exitFailure
	}

	p, err := picture.Select(g, findings, scope, picture.Options{MaxNodes: *maxNodes})
	if err != nil {
		// An unknown or ambiguous ref, flags that do not go together, or
		// a node limit too low: all the command line's doing.
		if learngraph.ErrorCode(err) == learngraph.EINTERNAL {
			fmt.Fprintf(m.Stderr, "learngraph graph: %v\n", err)
			return exitFailure
		}
		fmt.Fprintf(m.Stderr, "learngraph graph: %s\n", learngraph.ErrorMessage(err))
		return exitUsage
	}

	// Written whole before any byte goes out, so a failure leaves no
	// half-written file.
	var buf bytes.Buffer
	switch *format {
	case "dot":
		err = p.WriteDOT(&buf)
	case "mermaid":
		err = p.WriteMermaid(&buf)
	default:
		err = m.renderSVG(ctx, p, &buf)
	}
	if err != nil {
		fmt.Fprintf(m.Stderr, "learngraph graph: %v\n", err)
		return exitFailure
	}
	if *out == "" {
		if _, err := m.Stdout.Write(buf.Bytes()); err != nil {
			fmt.Fprintf(m.Stderr, "learngraph graph: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintf(m.Stderr, "learngraph graph: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(m.Stderr, "learngraph graph: wrote %s (%s) to %s\n", p.Title, *format, *out)
	if p.Note != "" {
		fmt.Fprintf(m.Stderr, "learngraph graph: %s\n", p.Note)
	}
	return exitOK
}

// renderSVG lays p out with the in-process Graphviz.
func (m *Main) renderSVG(ctx context.Context, p *picture.Picture, buf *bytes.Buffer) error {
	r, err := picture.NewRenderer(ctx)
	if err != nil {
		return err
	}
	defer r.Close()
	return r.SVG(ctx, p, buf)
}
