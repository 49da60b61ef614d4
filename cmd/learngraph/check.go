package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"learngraph"
)

// check validates the documents of a directory and prints what is wrong:
// first what the documents themselves get wrong (parse problems, dangling
// references, cycles, unrecognised content), then the gap report of a
// curriculum that loads.
func (m *Main) check(ctx context.Context, args []string) int {
	fset := m.newFlagSet("check", "[DIR] [--format text|json|github] [--json] [--html FILE] [--against DIR]")
	format := fset.String("format", m.env("LEARNGRAPH_FORMAT", "text"), "output `format`: text, json or github (env LEARNGRAPH_FORMAT)")
	asJSON := fset.Bool("json", false, "same as --format json")
	html := addHTMLFlags(fset)
	against := addAgainstFlag(fset)
	positional, code, ok := parseArgs(fset, args)
	if !ok {
		return code
	}
	if *asJSON {
		*format = "json"
	}
	switch *format {
	case "text", "json", "github":
	default:
		fmt.Fprintf(m.Stderr, "learngraph check: unknown format %q: want text, json or github\n", *format)
		return exitUsage
	}
	dir, ok := m.curriculumDir("check", positional)
	if !ok {
		return exitUsage
	}
	if !against.usable(m) {
		return exitUsage
	}

	g, c, err := load(os.DirFS(dir))
	rep := report{Version: "", Documents: []string{}, Counts: counts(g)}
	if g != nil {
		rep.Version = g.Version
		rep.Documents = append(rep.Documents, g.Documents...)
	}
	switch {
	case err == nil:
		rep.findings = c.Findings
		totals := learngraph.CurriculumTotals(c)
		rep.totals = &totals
		rep.longestChain = chainNames(c.Concepts, totals.LongestChain, chainEnds)
	case findingsIn(err) != nil:
		rep.findings = findingsIn(err)
	default:
		// Not a curriculum problem with findings: an unreadable
		// directory, say. Report it as one finding so CI sees it.
		rep.findings = []learngraph.Finding{{
			Kind:     learngraph.InvalidDocument,
			Severity: learngraph.SeverityError,
			Message:  err.Error(),
		}}
	}
	for i := range rep.findings {
		rep.findings[i] = located(rep.findings[i], dir)
	}
	for i := range rep.Documents {
		rep.Documents[i] = located(learngraph.Finding{Source: learngraph.Source{File: rep.Documents[i]}}, dir).File
	}
	validation, gaps := split(rep.findings)
	rep.impact = against.impact(dir, g, err)

	switch *format {
	case "json":
		rep.write(m.Stdout)
	case "github":
		writeGitHub(m.Stdout, rep.findings)
	default:
		writeText(m.Stdout, dir, rep, validation, gaps)
		writeImpact(m.Stdout, rep.impact)
	}
	if !html.write(ctx, m, rep, c) {
		return exitFailure
	}
	if rep.count(learngraph.SeverityError) > 0 || rep.impact.failedToCompare() {
		return exitFailure
	}
	return exitOK
}

// split separates what the documents get wrong (they cannot be read,
// refer to nothing, form a cycle, hold what the loader did not
// understand) from the gap report over a graph that holds together.
func split(findings []learngraph.Finding) (validation, gaps []learngraph.Finding) {
	for _, f := range findings {
		switch f.Kind {
		case learngraph.InvalidDocument, learngraph.DuplicateDefinition, learngraph.DanglingReference,
			learngraph.AmbiguousReference, learngraph.Cycle, learngraph.UnrecognizedContent:
			validation = append(validation, f)
		default:
			gaps = append(gaps, f)
		}
	}
	return validation, gaps
}

// report is what check --json prints.
type report struct {
	Version   string                 `json:"version"`
	Documents []string               `json:"documents"`
	Counts    []learngraph.KindCount `json:"-"`
	findings  []learngraph.Finding
	// totals are the curriculum's totals, nil when it did not analyse;
	// longestChain is their chain by name, as the text output shows it.
	totals       *learngraph.Totals
	longestChain string
	impact       *impactSection // --against
}

func (r report) count(s learngraph.Severity) int {
	n := 0
	for _, f := range r.findings {
		if f.Severity == s {
			n++
		}
	}
	return n
}

type jsonFinding struct {
	Kind     learngraph.FindingKind `json:"kind"`
	Severity learngraph.Severity    `json:"severity"`
	Message  string                 `json:"message"`
	Subjects []string               `json:"subjects"`
	File     string                 `json:"file,omitempty"`
	Line     int                    `json:"line,omitempty"`
}

type jsonCount struct {
	Kind  learngraph.Kind `json:"kind"`
	Count int             `json:"count"`
}

func (r report) write(w io.Writer) {
	out := struct {
		Version   string         `json:"version"`
		Documents []string       `json:"documents"`
		Counts    []jsonCount    `json:"counts"`
		Findings  []jsonFinding  `json:"findings"`
		Summary   map[string]int `json:"summary"`
		Totals    *jsonTotals    `json:"totals,omitempty"`
		Impact    *jsonImpact    `json:"impact,omitempty"`
	}{
		Version:   r.Version,
		Documents: r.Documents,
		Counts:    make([]jsonCount, len(r.Counts)),
		Findings:  make([]jsonFinding, len(r.findings)),
		Summary: map[string]int{
			"errors":   r.count(learngraph.SeverityError),
			"warnings": r.count(learngraph.SeverityWarning),
			"infos":    r.count(learngraph.SeverityInfo),
		},
		Impact: r.impact.json(),
	}
	if r.totals != nil {
		t := toJSONTotals(*r.totals)
		out.Totals = &t
	}
	for i, c := range r.Counts {
		out.Counts[i] = jsonCount{c.Kind, c.Count}
	}
	for i, f := range r.findings {
		subjects := f.Subjects
		if subjects == nil {
			subjects = []string{}
		}
		out.Findings[i] = jsonFinding{f.Kind, f.Severity, f.Message, subjects, f.File, f.Line}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(out) // stdout closed: nothing better to do
}

// writeText prints the findings for people: the documents' problems with
// file:line, then the gap report grouped by severity, then a summary line.
func writeText(w io.Writer, dir string, r report, validation, gaps []learngraph.Finding) {
	if r.Version != "" {
		fmt.Fprintf(w, "%s: %d documents, version %s\n", dir, len(r.Documents), r.Version)
		var parts []string
		for _, c := range r.Counts {
			parts = append(parts, fmt.Sprintf("%d %s", c.Count, c.Kind))
		}
		fmt.Fprintf(w, "  %s\n", strings.Join(parts, ", "))
	}
	if t := r.totals; t != nil {
		// Centrality in full: %v would switch to an exponent at a
		// million, which a large curriculum's sum passes.
		fmt.Fprintf(w, "  Totals: complexity %d, blocking %d, delay %d, centrality %s\n",
			t.Complexity, t.BlockingFactor, t.DelayFactor, strconv.FormatFloat(t.Centrality, 'f', -1, 64))
		if len(t.LongestChain) > 0 {
			fmt.Fprintf(w, "  Longest chain (%s): %s\n", plural(len(t.LongestChain), "concept"), r.longestChain)
		}
	}
	if len(validation) > 0 {
		fmt.Fprintf(w, "\nDocuments:\n")
		for _, f := range validation {
			fmt.Fprintf(w, "  %s\n", f)
		}
	}
	if len(gaps) > 0 {
		fmt.Fprintf(w, "\nGap report:\n")
		for _, sev := range []learngraph.Severity{learngraph.SeverityError, learngraph.SeverityWarning, learngraph.SeverityInfo} {
			var group []learngraph.Finding
			for _, f := range gaps {
				if f.Severity == sev {
					group = append(group, f)
				}
			}
			if len(group) == 0 {
				continue
			}
			fmt.Fprintf(w, "  %s (%d)\n", sev, len(group))
			for _, f := range group {
				// The group names the severity; say it once.
				place := ""
				if f.File != "" {
					place = f.File + ":"
					if f.Line > 0 {
						place += fmt.Sprintf("%d:", f.Line)
					}
					place += " "
				}
				fmt.Fprintf(w, "    %s%s: %s\n", place, f.Kind, f.Message)
			}
		}
	}
	fmt.Fprintf(w, "\n%s, %s, %s\n",
		plural(r.count(learngraph.SeverityError), "error"),
		plural(r.count(learngraph.SeverityWarning), "warning"),
		plural(r.count(learngraph.SeverityInfo), "info"))
}

// chainEnds is how many concepts the text output shows at each end of
// the longest chain: enough to see where it starts and ends, on one line.
const chainEnds = 6

// chainNames writes a chain of concept ids by name, prerequisite first,
// joined by arrows; a chain of more than 2*ends+1 concepts shows its
// first and last ends and how many it leaves out between.
func chainNames(concepts []*learngraph.Concept, ids []string, ends int) string {
	names := make(map[string]string, len(concepts))
	for _, c := range concepts {
		if _, dup := names[c.ID]; !dup {
			names[c.ID] = c.Name
		}
	}
	name := func(id string) string {
		if n := names[id]; n != "" {
			return n
		}
		return id
	}
	var parts []string
	if len(ids) <= 2*ends+1 {
		for _, id := range ids {
			parts = append(parts, name(id))
		}
		return strings.Join(parts, " → ")
	}
	for _, id := range ids[:ends] {
		parts = append(parts, name(id))
	}
	parts = append(parts, fmt.Sprintf("… %d more …", len(ids)-2*ends))
	for _, id := range ids[len(ids)-ends:] {
		parts = append(parts, name(id))
	}
	return strings.Join(parts, " → ")
}

// plural writes "1 error", "2 errors".
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// writeGitHub prints workflow commands, so GitHub Actions annotates the
// lines of a pull request.
func writeGitHub(w io.Writer, findings []learngraph.Finding) {
	for _, f := range findings {
		level := map[learngraph.Severity]string{
			learngraph.SeverityError:   "error",
			learngraph.SeverityWarning: "warning",
		}[f.Severity]
		if level == "" {
			level = "notice"
		}
		var props []string
		if f.File != "" {
			props = append(props, "file="+escapeProperty(f.File))
			if f.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", f.Line))
			}
		}
		props = append(props, "title="+escapeProperty(string(f.Kind)))
		fmt.Fprintf(w, "::%s %s::%s\n", level, strings.Join(props, ","), escapeData(f.Message))
	}
}

// escapeData and escapeProperty follow GitHub's workflow command encoding.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
