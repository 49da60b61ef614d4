package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"learngraph"
	"learngraph/internal/browsertest"
	"learngraph/picture"
)

// The designers' browser tests open what check --html and the picture
// package make in a real headless Chromium, as a curriculum designer
// opens them, and look at what a person sees there. Like the playground's
// browser test they need LEARNGRAPH_CHROMIUM (and skip without it, unless
// LEARNGRAPH_REQUIRE_BROWSER=1); their screenshots go to
// LEARNGRAPH_ARTIFACTS, or to learngraph-test-artifacts in the temporary
// directory, and the log says where.

// designerTimeout bounds each scenario: Chromium starts in about a second
// and the pages are local files.
const designerTimeout = 60 * time.Second

// fileURL is the file:// URL of a local file.
func fileURL(t *testing.T, file string) string {
	t.Helper()
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
}

// pageWatch records what the browser says is wrong with a page: console
// errors and refusals of its Content-Security-Policy.
type pageWatch struct {
	mu       sync.Mutex
	problems []string
}

func (w *pageWatch) add(s string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.problems = append(w.problems, s)
}

func (w *pageWatch) list() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.problems)
}

// watch starts recording console errors and policy violations on the
// browser's tab; it must run before the page loads.
func watch(t *testing.T, ctx context.Context) *pageWatch {
	t.Helper()
	w := &pageWatch{}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " refused " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});`,
	}); err != nil {
		t.Fatal(err)
	}
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				w.add(string(m.Type) + ": " + m.Text)
			}
		}
	}()
	return w
}

// clean fails t for whatever the page's console or policy reported.
func (w *pageWatch) clean(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__cspViolations || []`))
	if err != nil {
		t.Fatalf("%s: reading policy violations: %v", where, err)
	}
	for _, v := range violations {
		t.Errorf("%s: the page's Content-Security-Policy refused %s", where, v)
	}
	for _, p := range w.list() {
		t.Errorf("%s: the browser console says %s", where, p)
	}
}

// shownFinding is a row of the report's findings as the page shows it.
type shownFinding struct {
	Kind, Message, Place string
	Visible              bool
}

// metricsView is the metrics table as the page shows it.
type metricsView struct {
	Rows       int
	First      string   // the first row's name
	Complexity []string // the complexity column, top to bottom
	Sorted     string   // aria-sort of the Complexity heading
}

const readMetrics = `(function () {
  var rows = Array.from(document.querySelectorAll("#metrics tbody tr"));
  var heads = Array.from(document.querySelectorAll("#metrics thead th"));
  var col = heads.findIndex(function (th) { return th.textContent.trim() === "Complexity"; });
  return {
    Rows: rows.length,
    First: rows.length ? rows[0].cells[0].innerText : "",
    Complexity: rows.map(function (r) { return r.cells[col].innerText; }),
    Sorted: col < 0 ? "" : (heads[col].getAttribute("aria-sort") || "")
  };
})()`

// TestDesignerReportInBrowser writes the seed's report with check --html
// and opens it: the findings, the sortable metrics table and the picture
// with its legend are there as a designer sees them.
func TestDesignerReportInBrowser(t *testing.T) {
	start := time.Now()
	file := filepath.Join(t.TempDir(), "report.html")
	if code, _, stderr := run(t, nil, "check", seedsDir, "--html", file); code != 0 {
		t.Fatalf("check --html: exit code %d\n%s", code, stderr)
	}
	_, out, _ := run(t, nil, "check", "--json", seedsDir)
	var want jsonReport
	if err := json.Unmarshal([]byte(out), &want); err != nil {
		t.Fatal(err)
	}

	b := browsertest.Start(t, 1400, 1000, "designer-report-failure.png")
	// The browser lives as long as the test; the scenario gets a deadline
	// of its own, so a failure can still take a screenshot.
	if err := chromedp.Do(b.Ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	ctx, cancel := context.WithTimeout(b.Ctx, designerTimeout)
	defer cancel()
	problems := watch(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate(fileURL(t, file)), chromedp.WaitVisible(chromedp.CSS("#metrics"))); err != nil {
		t.Fatalf("the report did not open: %v", err)
	}

	// The findings: every INFO finding, with the file:line to go to.
	findings, err := chromedp.Run(ctx, chromedp.Evaluate[[]shownFinding](`Array.from(document.querySelectorAll("#findings-info tbody tr")).map(function (tr) {
  var box = tr.getBoundingClientRect();
  return {Kind: tr.cells[0].innerText, Message: tr.cells[1].innerText, Place: tr.cells[2].innerText, Visible: box.width > 0 && box.height > 0};
})`))
	if err != nil {
		t.Fatalf("reading the findings: %v", err)
	}
	if len(findings) != 18 || len(want.Findings) != 18 {
		t.Errorf("the page shows %d INFO findings, check --json reports %d; want 18", len(findings), len(want.Findings))
	}
	fileLine := regexp.MustCompile(`^\S+\.(md|yaml):\d+$`)
	for i, f := range findings {
		if !f.Visible || !fileLine.MatchString(f.Place) || f.Kind == "" || f.Message == "" {
			t.Errorf("finding row %d shows %+v, want a visible kind, message and file:line", i+1, f)
		}
		if i < len(want.Findings) {
			w := want.Findings[i]
			if place := fmt.Sprintf("%s:%d", w.File, w.Line); f.Place != place || f.Message != w.Message || f.Kind != w.Kind {
				t.Errorf("finding row %d shows %s %s %q, check --json has %s %s %q", i+1, f.Place, f.Kind, f.Message, place, w.Kind, w.Message)
			}
		}
	}
	summary, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("summary").innerText`))
	if err != nil || summary != "0 errors, 0 warnings, 18 infos" {
		t.Errorf("the summary reads %q (%v)", summary, err)
	}
	b.Screenshot("designer-report.png")

	// The metrics: a row per concept, most complex first; a click on the
	// Complexity heading turns the order round, a second click back.
	before, err := chromedp.Run(ctx, chromedp.Evaluate[metricsView](readMetrics))
	if err != nil {
		t.Fatalf("reading the metrics table: %v", err)
	}
	if before.Rows != 74 || before.Sorted != "descending" {
		t.Fatalf("the metrics table shows %d rows sorted %q, want 74 sorted descending", before.Rows, before.Sorted)
	}
	if !sortedBy(t, before.Complexity, true) {
		t.Errorf("complexity is not highest first: %v", before.Complexity)
	}
	heading := `#metrics thead th:nth-child(6) button`
	if label, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("`+heading+`").innerText`)); err != nil || label != "Complexity" {
		t.Fatalf("the sixth heading is %q (%v), want Complexity", label, err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(heading))); err != nil {
		t.Fatalf("clicking the Complexity heading: %v", err)
	}
	after, err := chromedp.Run(ctx, chromedp.Evaluate[metricsView](readMetrics))
	if err != nil {
		t.Fatal(err)
	}
	if after.Rows != 74 || after.Sorted != "ascending" || !sortedBy(t, after.Complexity, false) {
		t.Errorf("after one click: %d rows sorted %q, complexity %v; want 74 rows, lowest first", after.Rows, after.Sorted, after.Complexity)
	}
	if !slices.Equal(after.Complexity, reversed(before.Complexity)) {
		t.Errorf("the complexity column did not turn round:\nbefore %v\nafter  %v", before.Complexity, after.Complexity)
	}
	if after.First == before.First || after.Complexity[0] == before.Complexity[0] {
		t.Errorf("the first row is %q (complexity %s) before and %q (%s) after the click", before.First, before.Complexity[0], after.First, after.Complexity[0])
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(heading))); err != nil {
		t.Fatal(err)
	}
	again, err := chromedp.Run(ctx, chromedp.Evaluate[metricsView](readMetrics))
	if err != nil {
		t.Fatal(err)
	}
	if again.First != before.First || again.Sorted != "descending" {
		t.Errorf("after a second click the first row is %q sorted %q, want %q descending again", again.First, again.Sorted, before.First)
	}

	// The picture: the whole graph, a node per concept, and its legend,
	// drawn where the designer scrolls to.
	type pictureView struct {
		SVGs, Nodes, Concepts int
		Width, Height         float64
		Legend                string
		NoPicture             bool
	}
	pic, err := chromedp.Run(ctx, chromedp.Evaluate[pictureView](`(function () {
  var section = document.getElementById("picture");
  var svg = section.querySelector("svg");
  var box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  // The legend is a frame (#legend) and its entries, legend-node-… and
  // legend-edge-…, which Graphviz draws beside the frame's group.
  var legend = svg && svg.querySelector("#legend") ? Array.from(svg.querySelectorAll("#legend, [id^='legend-']")) : [];
  return {
    SVGs: section.querySelectorAll("svg").length,
    Nodes: section.querySelectorAll("svg g.node").length,
    Concepts: section.querySelectorAll("svg g.node.concept").length,
    Width: box.width, Height: box.height,
    Legend: legend.map(function (e) { return e.textContent; }).join(" "),
    NoPicture: !!document.getElementById("no-picture")
  };
})()`))
	if err != nil {
		t.Fatalf("reading the picture: %v", err)
	}
	if pic.SVGs != 1 || pic.Concepts != 74 || pic.Nodes <= pic.Concepts || pic.NoPicture {
		t.Errorf("the picture section holds %d svg, %d nodes of which %d concepts (no-picture note: %v); want 1 svg and 74 concepts besides the legend's nodes",
			pic.SVGs, pic.Nodes, pic.Concepts, pic.NoPicture)
	}
	if pic.Width < 200 || pic.Height < 200 {
		t.Errorf("the picture is drawn %.0f×%.0f px", pic.Width, pic.Height)
	}
	if !strings.Contains(pic.Legend, "Legend") || !strings.Contains(pic.Legend, "untaught prerequisite") {
		t.Errorf("the legend reads %q, want it to explain the untaught mark", pic.Legend)
	}
	if err := chromedp.Do(ctx, chromedp.ScrollIntoView(chromedp.CSS("#picture"))); err != nil {
		t.Fatal(err)
	}
	b.Screenshot("designer-report-picture.png")
	problems.clean(t, ctx, "the report")
	t.Logf("report scenario took %v", time.Since(start).Round(time.Millisecond))
}

// sortedBy reports whether the shown numbers (with thousands separators)
// are in order, highest first when descending.
func sortedBy(t *testing.T, shown []string, descending bool) bool {
	t.Helper()
	var last int
	for i, s := range shown {
		n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
		if err != nil {
			t.Errorf("complexity %q is not a number", s)
			return false
		}
		if i > 0 && (descending && n > last || !descending && n < last) {
			return false
		}
		last = n
	}
	return true
}

func reversed(s []string) []string {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}

// planNode is a concept node of a picture as the browser draws it.
type planNode struct {
	ID, Class, Label, Tooltip string
	Top, Width                float64
}

const readPlanNodes = `Array.from(document.querySelectorAll("g.node.concept")).map(function (g) {
  var box = g.getBoundingClientRect();
  var a = g.querySelector("a");
  return {
    ID: g.id, Class: g.getAttribute("class"),
    Label: Array.from(g.querySelectorAll("text")).map(function (t) { return t.textContent; }).join(" "),
    Tooltip: a ? (a.getAttributeNS("http://www.w3.org/1999/xlink", "title") || "") : "",
    Top: box.top, Width: box.width
  };
})`

// TestDesignerPlanInBrowser draws the GATs study plan, as the graph
// command and the API do, and opens the SVG: a node per plan step, in
// study order from the top, and the marks of a plan with findings.
func TestDesignerPlanInBrowser(t *testing.T) {
	_, seed, err := load(os.DirFS(seedsDir))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gats := drawToFile(t, seed, picture.Scope{Goal: "GATs"}, filepath.Join(dir, "gats.svg"))
	untaught := drawToFile(t, untaughtCurriculum(t), picture.Scope{Goal: "Borrowing"}, filepath.Join(dir, "untaught.svg"))

	b := browsertest.Start(t, 1000, 800, "designer-plan-failure.png")
	if err := chromedp.Do(b.Ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	ctx, cancel := context.WithTimeout(b.Ctx, designerTimeout)
	defer cancel()
	problems := watch(t, ctx)

	// The GATs plan: one node per step, ids concept-<id>, each step below
	// what it requires, the goal last and marked.
	if err := chromedp.Do(ctx, chromedp.Navigate(fileURL(t, gats)), chromedp.WaitReady(chromedp.CSS("g.node.concept"))); err != nil {
		t.Fatalf("the GATs plan did not open: %v", err)
	}
	nodes, err := chromedp.Run(ctx, chromedp.Evaluate[[]planNode](readPlanNodes))
	if err != nil {
		t.Fatalf("reading the plan's nodes: %v", err)
	}
	steps := []string{"ownership", "generics", "traits", "lifetimes", "associated-types", "generic-associated-types"}
	byID := map[string]planNode{}
	for _, n := range nodes {
		if _, dup := byID[n.ID]; dup {
			t.Errorf("two nodes with id %s", n.ID)
		}
		byID[n.ID] = n
		if n.Width <= 0 || n.Label == "" || n.Tooltip == "" {
			t.Errorf("node %s is drawn %.0f px wide with label %q and tooltip %q", n.ID, n.Width, n.Label, n.Tooltip)
		}
	}
	if len(nodes) != len(steps) {
		t.Errorf("%d concept nodes, want one for each of the %d plan steps", len(nodes), len(steps))
	}
	for _, id := range steps {
		if _, ok := byID["concept-"+id]; !ok {
			t.Errorf("no node concept-%s", id)
		}
	}
	goal := byID["concept-generic-associated-types"]
	if !hasClass(goal.Class, picture.Goal.Class()) || goal.Tooltip != "Generic Associated Types" {
		t.Errorf("the goal's node has class %q and tooltip %q", goal.Class, goal.Tooltip)
	}
	for _, id := range steps[:len(steps)-1] {
		if n := byID["concept-"+id]; n.Top >= goal.Top {
			t.Errorf("%s is drawn at %.0f px, not above the goal at %.0f px", id, n.Top, goal.Top)
		}
	}
	// The seed teaches ownership elsewhere: the plan marks it untaught.
	if c := byID["concept-ownership"].Class; !hasClass(c, picture.Untaught.Class()) {
		t.Errorf("ownership's node has class %q, want the %s mark", c, picture.Untaught.Class())
	}
	b.Screenshot("designer-plan.png")
	problems.clean(t, ctx, "the GATs plan")

	// A plan whose prerequisite no document teaches: the node carries the
	// mark, and the legend explains it.
	if err := chromedp.Do(ctx, chromedp.Navigate(fileURL(t, untaught)), chromedp.WaitReady(chromedp.CSS("g.node.concept"))); err != nil {
		t.Fatalf("the second plan did not open: %v", err)
	}
	nodes, err = chromedp.Run(ctx, chromedp.Evaluate[[]planNode](readPlanNodes))
	if err != nil {
		t.Fatal(err)
	}
	marks := map[string]string{}
	for _, n := range nodes {
		marks[n.ID] = n.Class
	}
	if len(marks) != 2 || !hasClass(marks["concept-moves"], picture.Untaught.Class()) || hasClass(marks["concept-borrowing"], picture.Untaught.Class()) ||
		!hasClass(marks["concept-borrowing"], picture.Goal.Class()) {
		t.Errorf("the nodes' classes are %v; want moves marked %s and borrowing the goal", marks, picture.Untaught.Class())
	}
	legend, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.getElementById("legend-node-untaught") || {textContent: ""}).textContent`))
	if err != nil || !strings.Contains(legend, "untaught prerequisite") {
		t.Errorf("the legend's untaught entry reads %q (%v)", legend, err)
	}
	b.Screenshot("designer-plan-untaught.png")
	problems.clean(t, ctx, "the plan with an untaught prerequisite")
}

// untaughtCurriculum is a curriculum of two concepts: Borrowing, taught,
// requires Moves, which no document teaches.
func untaughtCurriculum(t *testing.T) *learngraph.Curriculum {
	t.Helper()
	g := &learngraph.Graph{
		Concepts: []*learngraph.Concept{
			{ID: "borrowing", Name: "Borrowing", Taught: true, Pos: learngraph.Position{Phase: 1, Index: 0}},
			{ID: "moves", Name: "Moves", Pos: learngraph.Position{Phase: 1, Index: 1}},
		},
		Links: []learngraph.Link{{Rel: learngraph.Requires,
			From: learngraph.NodeRef{Kind: learngraph.KindConcept, ID: "borrowing"},
			To:   learngraph.NodeRef{Kind: learngraph.KindConcept, ID: "moves"}}},
	}
	c, err := learngraph.Analyze(g)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(c.Findings, func(f learngraph.Finding) bool { return f.Kind == learngraph.UntaughtPrerequisite }) {
		t.Fatalf("no UNTAUGHT_PREREQUISITE finding: %v", c.Findings)
	}
	return c
}

// drawToFile renders the part of c that scope names as SVG into file.
func drawToFile(t *testing.T, c *learngraph.Curriculum, scope picture.Scope, file string) string {
	t.Helper()
	p, err := picture.FromCurriculum(c, scope, picture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := picture.NewRenderer(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var svg bytes.Buffer
	if err := r.SVG(t.Context(), p, &svg); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, svg.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func hasClass(classes, class string) bool { return slices.Contains(strings.Fields(classes), class) }
