// Package report writes the findings and metrics of a curriculum as one
// self-contained HTML page for curriculum designers: counts, findings by
// severity with file:line, curriculum totals, a sortable table of concept
// metrics and, when one is given, a picture of the whole graph.
//
// The page fetches nothing: styles and the sorting script are inline, and
// its Content-Security-Policy forbids every other source, so it can be
// opened from a CI artifact or a mail attachment as it is. Every text from
// the documents goes through html/template; the picture is inlined only
// after SafeSVG has checked it.
package report

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"

	"learngraph"
)

// DefaultMaxRows is how many rows the metrics table, and each severity's
// list of findings, shows when Input.MaxRows is 0: enough to see what
// matters most, few enough that a browser opens the page at once even for
// a curriculum of 100,000 concepts.
const DefaultMaxRows = 2000

// Input is what a report shows.
type Input struct {
	// Curriculum is the analysed curriculum, whose concepts carry metrics.
	// Nil when the documents did not pass validation: the page then shows
	// counts and findings, and says why it has no metrics.
	Curriculum *learngraph.Curriculum
	// Version identifies the documents (the hash the loader computes).
	Version string
	// Documents are the paths of the input files as the reader should see
	// them (relative to where the check ran).
	Documents []string
	// Counts are the number of nodes of each kind.
	Counts []learngraph.KindCount
	// Findings are every finding of validation and of the gap report, in
	// the order to show them within a severity.
	Findings []learngraph.Finding
	// Picture is an SVG drawing of the whole graph, or nil when none was
	// made. WriteHTML refuses one that SafeSVG refuses.
	Picture []byte
	// NoPicture says, in a sentence or two, why Picture is nil (the
	// documents have errors, the layout timed out); the page shows it in
	// the picture's place. Empty, the page says only that no picture was
	// made.
	NoPicture string
	// MaxRows caps the metrics table (concepts of highest complexity
	// first) and each severity's list of findings; 0 means
	// DefaultMaxRows, a negative value means no cap.
	MaxRows int
}

//go:embed report.html.tmpl
var pageTemplate string

// sortScript makes the metrics table sortable by its headers. It is kept
// apart from the template so that html/template inserts it as written
// (the template would strip its comments) and so that its hash, which the
// page's Content-Security-Policy names, is of exactly these bytes.
//
//go:embed sort.js
var sortScript string

// WriteHTML writes the report page for in to w. Nothing is written when
// the picture is refused (EINVALID) or the page cannot be built.
func WriteHTML(w io.Writer, in Input) error {
	p, err := newPage(in)
	if err != nil {
		return err
	}
	// Parsed per call: a parsed template is mutable state, and a report is
	// written once per run.
	tmpl, err := template.New("report").Parse(pageTemplate)
	if err != nil {
		return fmt.Errorf("report template: %w", err)
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, p); err != nil {
		return fmt.Errorf("report template: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// page is what the template reads: every value already formatted, so the
// template only places and escapes them.
type page struct {
	Version   string
	Documents []string
	Summary   string
	Counts    []countRow
	Groups    []findingGroup
	Analysed  bool
	Totals    []totalRow
	Rows      []conceptRow
	Concepts  int    // all concepts, shown or not
	LeftOut   string // "" when every concept is shown
	Picture   template.HTML
	NoPicture string
	Script    template.JS
	// ScriptHash is the CSP source for Script, "sha256-…".
	ScriptHash string
}

type countRow struct {
	Kind  learngraph.Kind
	Count string
}

type findingGroup struct {
	Severity learngraph.Severity
	ID       string // findings-error, findings-warning, …
	Title    string // "Errors (2)"
	Findings []findingRow
	LeftOut  string
}

type findingRow struct {
	Kind    learngraph.FindingKind
	Message string
	Place   string // file:line, file, or "" when unknown
}

type totalRow struct {
	Name, Value, Note string
}

type conceptRow struct {
	Name, ID                                string
	Blocking, Delay, Centrality, Complexity string // as shown
	// The sort keys, unformatted.
	BlockingKey, DelayKey, CentralityKey, ComplexityKey string
	Topic                                               string
	Phase                                               string
	PhaseKey                                            int
}

func newPage(in Input) (page, error) {
	p := page{
		Version:    in.Version,
		Documents:  in.Documents,
		NoPicture:  in.NoPicture,
		Script:     template.JS(sortScript),
		ScriptHash: scriptHash(sortScript),
	}
	if len(in.Picture) > 0 {
		svg, err := SafeSVG(in.Picture)
		if err != nil {
			return page{}, err
		}
		// SafeSVG wrote this markup itself from checked parts.
		p.Picture = template.HTML(svg)
	}
	limit := in.MaxRows
	if limit == 0 {
		limit = DefaultMaxRows
	}
	for _, c := range in.Counts {
		p.Counts = append(p.Counts, countRow{Kind: c.Kind, Count: thousands(c.Count)})
	}
	p.Groups, p.Summary = groupFindings(in.Findings, limit)
	if in.Curriculum != nil && in.Curriculum.Graph != nil {
		p.Analysed = true
		p.Concepts = len(in.Curriculum.Concepts)
		p.Totals = totals(in.Curriculum)
		p.Rows, p.LeftOut = conceptRows(in.Curriculum.Graph, limit)
	}
	return p, nil
}

// scriptHash is the Content-Security-Policy source that allows exactly
// this inline script and no other, so even markup that slipped into the
// page could not run code.
func scriptHash(script string) string {
	sum := sha256.Sum256([]byte(script))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// severityOrder is the order of the finding groups; a severity outside it
// gets a group after them, so no finding is lost.
var severityOrder = []learngraph.Severity{learngraph.SeverityError, learngraph.SeverityWarning, learngraph.SeverityInfo}

func groupFindings(findings []learngraph.Finding, limit int) ([]findingGroup, string) {
	bySeverity := map[learngraph.Severity][]learngraph.Finding{}
	order := slices.Clone(severityOrder)
	for _, f := range findings {
		if _, seen := bySeverity[f.Severity]; !seen && !slices.Contains(order, f.Severity) {
			order = append(order, f.Severity)
		}
		bySeverity[f.Severity] = append(bySeverity[f.Severity], f)
	}
	var groups []findingGroup
	for _, sev := range order {
		all := bySeverity[sev]
		g := findingGroup{
			Severity: sev,
			ID:       "findings-" + strings.ToLower(string(sev)),
			Title:    fmt.Sprintf("%s (%s)", severityTitle(sev), thousands(len(all))),
		}
		shown := all
		if limit > 0 && len(shown) > limit {
			shown = shown[:limit]
			g.LeftOut = fmt.Sprintf("%s more %s not shown.", thousands(len(all)-limit), strings.ToLower(plural(len(all)-limit, severityNoun(sev))))
		}
		for _, f := range shown {
			g.Findings = append(g.Findings, findingRow{Kind: f.Kind, Message: f.Message, Place: place(f.Source)})
		}
		groups = append(groups, g)
	}
	summary := fmt.Sprintf("%s, %s, %s",
		countOf(len(bySeverity[learngraph.SeverityError]), "error"),
		countOf(len(bySeverity[learngraph.SeverityWarning]), "warning"),
		countOf(len(bySeverity[learngraph.SeverityInfo]), "info"))
	return groups, summary
}

func severityTitle(s learngraph.Severity) string {
	switch s {
	case learngraph.SeverityError:
		return "Errors"
	case learngraph.SeverityWarning:
		return "Warnings"
	case learngraph.SeverityInfo:
		return "Infos"
	}
	return string(s)
}

func severityNoun(s learngraph.Severity) string {
	switch s {
	case learngraph.SeverityError:
		return "error"
	case learngraph.SeverityWarning:
		return "warning"
	case learngraph.SeverityInfo:
		return "info"
	}
	return string(s) + " finding"
}

// place writes where a finding was written the way compilers do:
// file:line, the file alone when the line is unknown.
func place(s learngraph.Source) string {
	if s.File == "" {
		return ""
	}
	if s.Line > 0 {
		return s.File + ":" + strconv.Itoa(s.Line)
	}
	return s.File
}

// totals lays out the domain's curriculum totals, with the longest chain
// written out by name.
func totals(c *learngraph.Curriculum) []totalRow {
	t := learngraph.CurriculumTotals(c)
	return []totalRow{
		{"Concepts", thousands(t.Concepts), ""},
		{"Total complexity", thousands(t.Complexity), "sum of every concept's complexity (blocking + delay)"},
		{"Total blocking factor", thousands(t.BlockingFactor), ""},
		{"Total delay factor", thousands(t.DelayFactor), ""},
		{"Total centrality", formatFloat(t.Centrality), ""},
		{"Longest prerequisite chain", thousands(len(t.LongestChain)), chain(c.Concepts, t.LongestChain)},
	}
}

// chainEnds is how many concepts a long chain shows at each end: a chain
// through thousands of concepts would otherwise fill the page.
const chainEnds = 10

// chain writes a chain of concept ids as names, prerequisite first,
// eliding the middle of a long one.
func chain(concepts []*learngraph.Concept, ids []string) string {
	names := make(map[string]string, len(concepts))
	for _, c := range concepts {
		if _, dup := names[c.ID]; !dup {
			names[c.ID] = c.Name
		}
	}
	parts := make([]string, 0, min(len(ids), 2*chainEnds+1))
	for i, id := range ids {
		if len(ids) > 2*chainEnds+1 && i == chainEnds {
			parts = append(parts, fmt.Sprintf("… %s more …", thousands(len(ids)-2*chainEnds)))
		}
		if len(ids) > 2*chainEnds+1 && i >= chainEnds && i < len(ids)-chainEnds {
			continue
		}
		name := names[id]
		if name == "" {
			name = id
		}
		parts = append(parts, name)
	}
	return strings.Join(parts, " → ")
}

// conceptRows returns the table rows, most complex concept first, capped
// at limit, and the note on what was left out.
func conceptRows(g *learngraph.Graph, limit int) ([]conceptRow, string) {
	concepts := slices.Clone(g.Concepts)
	slices.SortFunc(concepts, func(a, b *learngraph.Concept) int {
		if c := cmp.Compare(b.Metrics.Complexity, a.Metrics.Complexity); c != 0 {
			return c
		}
		if c := a.Pos.Compare(b.Pos); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	leftOut := ""
	if limit > 0 && len(concepts) > limit {
		leftOut = fmt.Sprintf("The table shows the %s concepts of highest complexity; %s more of lower complexity are left out.",
			thousands(limit), thousands(len(concepts)-limit))
		concepts = concepts[:limit]
	}
	topics := map[string]string{}
	for _, t := range g.Topics {
		topics[t.ID] = t.Name
	}
	phases := map[string]*learngraph.Phase{}
	for _, ph := range g.Phases {
		phases[ph.ID] = ph
	}
	rows := make([]conceptRow, 0, len(concepts))
	for _, c := range concepts {
		m := c.Metrics
		row := conceptRow{
			Name: c.Name, ID: c.ID,
			Blocking: thousands(m.BlockingFactor), BlockingKey: strconv.Itoa(m.BlockingFactor),
			Delay: thousands(m.DelayFactor), DelayKey: strconv.Itoa(m.DelayFactor),
			Centrality: formatFloat(m.Centrality), CentralityKey: strconv.FormatFloat(m.Centrality, 'g', -1, 64),
			Complexity: thousands(m.Complexity), ComplexityKey: strconv.Itoa(m.Complexity),
			Topic: c.Topic,
		}
		if name, ok := topics[c.Topic]; ok {
			row.Topic = name
		}
		if ph, ok := phases[c.Phase]; ok {
			row.Phase, row.PhaseKey = phaseName(ph), ph.Number
		} else {
			row.Phase = c.Phase
		}
		rows = append(rows, row)
	}
	return rows, leftOut
}

func phaseName(p *learngraph.Phase) string {
	switch {
	case p.Number > 0 && p.Name != "":
		return fmt.Sprintf("Phase %d: %s", p.Number, p.Name)
	case p.Name != "":
		return p.Name
	}
	return p.ID
}

// thousands writes n with a comma every three digits, as people read
// large counts.
func thousands(n int) string {
	s := strconv.Itoa(n)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return sign + b.String()
}

// formatFloat writes a centrality: whole numbers (the usual case, exact up
// to 2^53) with thousands separators, anything else as Go formats it.
func formatFloat(f float64) string {
	if f == float64(int64(f)) && f < 1<<53 && f > -(1<<53) {
		return thousands(int(f))
	}
	return strconv.FormatFloat(f, 'g', 6, 64)
}

func countOf(n int, noun string) string { return thousands(n) + " " + plural(n, noun) }

func plural(n int, noun string) string {
	if n == 1 {
		return noun
	}
	return noun + "s"
}
