package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"learngraph/seeds"
)

// element is an element of a parsed report page.
type element struct {
	name     string
	attrs    map[string]string
	children []*element
	text     strings.Builder
}

// parseReport parses the page --html wrote. The page is written to read
// as XML as well as HTML, so its structure can be checked without an HTML
// parser.
func parseReport(t *testing.T, file string) (*element, string) {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("no report: %v", err)
	}
	if !bytes.HasPrefix(raw, []byte("<!DOCTYPE html>")) {
		t.Errorf("the page does not start with the HTML doctype: %.40q", raw)
	}
	d := xml.NewDecoder(bytes.NewReader(raw))
	root := &element{name: "#document"}
	stack := []*element{root}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the page does not parse: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := &element{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			top := stack[len(stack)-1]
			top.children = append(top.children, e)
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			for _, e := range stack {
				e.text.Write(tok)
			}
		}
	}
	if len(stack) != 1 {
		t.Fatalf("%d elements left open", len(stack)-1)
	}
	return root, string(raw)
}

func (e *element) find(match func(*element) bool) []*element {
	var out []*element
	if match(e) {
		out = append(out, e)
	}
	for _, c := range e.children {
		out = append(out, c.find(match)...)
	}
	return out
}

func (e *element) byID(t *testing.T, id string) *element {
	t.Helper()
	found := e.find(func(x *element) bool { return x.attrs["id"] == id })
	if len(found) != 1 {
		t.Fatalf("%d elements with id %q, want 1", len(found), id)
	}
	return found[0]
}

// rows returns the text of each body row's cells under e.
func (e *element) rows() [][]string {
	var out [][]string
	for _, tbody := range e.find(func(x *element) bool { return x.name == "tbody" }) {
		for _, tr := range tbody.find(func(x *element) bool { return x.name == "tr" }) {
			var cells []string
			for _, c := range tr.children {
				cells = append(cells, c.text.String())
			}
			out = append(out, cells)
		}
	}
	return out
}

// assertNoExternalReferences checks that the page loads nothing: no
// attribute names a URL elsewhere, and no style does.
func assertNoExternalReferences(t *testing.T, page *element, raw string) {
	t.Helper()
	for _, e := range page.find(func(*element) bool { return true }) {
		for name, value := range e.attrs {
			v := strings.ToLower(value)
			if strings.Contains(v, "http://") || strings.Contains(v, "https://") || strings.HasPrefix(v, "//") ||
				(name == "src" || name == "href") && !strings.HasPrefix(v, "#") {
				t.Errorf("<%s %s=%q> refers outside the page", e.name, name, value)
			}
		}
	}
	if regexp.MustCompile(`(?i)url\(\s*['"]?[a-z/]|@import`).MatchString(raw) {
		t.Error("the page's styles load something")
	}
}

// assertWholePicture checks the seed report's picture: the whole graph,
// one node per concept, and the legend of its marks.
func assertWholePicture(t *testing.T, page *element, raw string) {
	t.Helper()
	section := page.byID(t, "picture")
	svgs := section.find(func(e *element) bool { return e.name == "svg" })
	if len(svgs) != 1 {
		t.Fatalf("the picture section holds %d <svg> elements, want 1", len(svgs))
	}
	concepts := svgs[0].find(func(e *element) bool {
		classes := strings.Fields(e.attrs["class"])
		return e.name == "g" && slices.Contains(classes, "node") && slices.Contains(classes, "concept")
	})
	if len(concepts) != 74 {
		t.Errorf("%d concept nodes in the picture, want one for each of the 74 concepts", len(concepts))
	}
	for _, id := range []string{"concept-generic-associated-types", "legend", "legend-node-untaught"} {
		svgs[0].byID(t, id)
	}
	if strings.Contains(raw, `id="no-picture"`) {
		t.Error("the page says it has no picture next to the picture")
	}
}

func TestCheckHTML(t *testing.T) {
	for _, format := range []string{"text", "json", "github"} {
		t.Run("Seeds/"+format, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "report.html")
			code, stdout, stderr := run(t, nil, "check", seedsDir, "--format", format, "--html", file)
			if code != 0 {
				t.Fatalf("exit code %d\nstderr:\n%s", code, stderr)
			}
			// The usual output is still there.
			if format == "json" && !json.Valid([]byte(stdout)) {
				t.Errorf("--html spoiled the JSON output:\n%s", stdout)
			}
			if format == "text" && !strings.Contains(stdout, "0 errors") {
				t.Errorf("--html spoiled the text output:\n%s", stdout)
			}
			page, raw := parseReport(t, file)
			assertNoExternalReferences(t, page, raw)

			// Every finding check --json reports is there with its
			// file:line.
			_, out, _ := run(t, nil, "check", "--json", seedsDir)
			var r jsonReport
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatal(err)
			}
			findings := page.byID(t, "findings").text.String()
			for _, f := range r.Findings {
				where := fmt.Sprintf("%s:%d", f.File, f.Line)
				if !strings.Contains(findings, where) || !strings.Contains(findings, f.Message) {
					t.Errorf("finding %s %q is not in the findings section", where, f.Message)
				}
			}
			if n := len(page.byID(t, "findings-info").rows()); n != len(r.Findings) {
				t.Errorf("%d INFO rows, want %d", n, len(r.Findings))
			}
			if got := page.byID(t, "version").text.String(); got != r.Version {
				t.Errorf("version %q, want %q", got, r.Version)
			}

			counts := map[string]string{}
			for _, row := range page.byID(t, "counts").rows() {
				counts[row[0]] = row[1]
			}
			for _, c := range r.Counts {
				if counts[c.Kind] != fmt.Sprint(c.Count) {
					t.Errorf("%s count %q, want %d", c.Kind, counts[c.Kind], c.Count)
				}
			}
			metrics := page.byID(t, "metrics")
			if n := len(metrics.rows()); n != 74 {
				t.Errorf("%d metrics rows, want one for each of the 74 concepts", n)
			}
			if !strings.Contains(raw, `data-sort="number"`) {
				t.Error("the metrics table has no sortable headers")
			}
			assertWholePicture(t, page, raw)
		})
	}
	t.Run("RowLimit", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "report.html")
		if code, _, stderr := run(t, nil, "check", seedsDir, "--html", file, "--html-rows", "10"); code != 0 {
			t.Fatalf("exit code %d\n%s", code, stderr)
		}
		page, _ := parseReport(t, file)
		if n := len(page.byID(t, "metrics").rows()); n != 10 {
			t.Errorf("%d rows, want 10", n)
		}
		if got := page.byID(t, "metrics-left-out").text.String(); !strings.Contains(got, "64 more") {
			t.Errorf("left-out note %q", got)
		}
	})
	t.Run("EveryRow", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "report.html")
		if code, _, stderr := run(t, nil, "check", seedsDir, "--html", file, "--html-rows=0"); code != 0 {
			t.Fatalf("exit code %d\n%s", code, stderr)
		}
		page, _ := parseReport(t, file)
		if n := len(page.byID(t, "metrics").rows()); n != 74 {
			t.Errorf("%d rows, want 74", n)
		}
	})
	t.Run("Broken", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "report.html")
		code, _, _ := run(t, nil, "check", "testdata/broken", "--html", file)
		if code != 1 {
			t.Errorf("exit code %d, want 1", code)
		}
		page, raw := parseReport(t, file)
		assertNoExternalReferences(t, page, raw)
		errs := page.byID(t, "findings-error").text.String()
		for _, want := range []string{"testdata/broken/links.yaml:5", "testdata/broken/links.yaml:11", "CYCLE", "DANGLING_REFERENCE"} {
			if !strings.Contains(errs, want) {
				t.Errorf("errors section lacks %q:\n%s", want, errs)
			}
		}
		if strings.Contains(raw, `id="metrics"`) {
			t.Error("a metrics table for a curriculum that did not pass validation")
		}
		if got := page.byID(t, "concepts").text.String(); !strings.Contains(got, "No metrics") {
			t.Errorf("concepts section says %q", got)
		}
		if got := page.byID(t, "no-picture").text.String(); !strings.Contains(got, "drawn only for a curriculum without errors") {
			t.Errorf("picture section says %q", got)
		}
		if strings.Contains(raw, "<svg") {
			t.Error("a picture of a curriculum that did not pass validation")
		}
	})
	t.Run("PictureFails", func(t *testing.T) {
		// Graphviz never gets its turn when the context has ended: the
		// page says why it has no picture, and check's answer stands.
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		file := filepath.Join(t.TempDir(), "report.html")
		var stdout, stderr bytes.Buffer
		m := &Main{Stdout: &stdout, Stderr: &stderr, Getenv: envFunc(nil), Seeds: seeds.FS}
		if code := m.Run(ctx, []string{"check", seedsDir, "--html", file}); code != 0 {
			t.Errorf("exit code %d, want 0: a missing picture does not fail check\n%s", code, stderr.String())
		}
		page, raw := parseReport(t, file)
		got := page.byID(t, "no-picture").text.String()
		if !strings.HasPrefix(got, "The picture could not be made: ") || !strings.Contains(got, "context canceled") {
			t.Errorf("picture section says %q", got)
		}
		if strings.Contains(raw, "<svg") {
			t.Error("a picture after all")
		}
		if n := len(page.byID(t, "metrics").rows()); n != 74 {
			t.Errorf("%d metrics rows, want 74: the rest of the page is still there", n)
		}
		if !strings.Contains(stderr.String(), "learngraph check: --html: the report has no picture: ") {
			t.Errorf("stderr does not say the picture is missing: %q", stderr.String())
		}
		if !strings.Contains(stdout.String(), "0 errors") {
			t.Errorf("the normal output is missing:\n%s", stdout.String())
		}
	})
	t.Run("PictureTimesOut", func(t *testing.T) {
		_, c, err := load(os.DirFS(seedsDir))
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "report.html")
		var stderr bytes.Buffer
		h := &htmlOutput{file: file, rows: 10, pictureTimeout: time.Nanosecond}
		if !h.write(t.Context(), &Main{Stderr: &stderr}, report{Version: c.Version}, c) {
			t.Fatalf("no page: %s", stderr.String())
		}
		page, _ := parseReport(t, file)
		if got, want := page.byID(t, "no-picture").text.String(), "The picture could not be made: laying it out took longer than 1ns."; got != want {
			t.Errorf("picture section says %q, want %q", got, want)
		}
	})
	t.Run("CannotWrite", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "missing", "report.html")
		code, stdout, stderr := run(t, nil, "check", seedsDir, "--html", file)
		if code != 1 {
			t.Errorf("exit code %d, want 1", code)
		}
		if !strings.Contains(stderr, "learngraph check: --html: cannot write the report") || !strings.Contains(stderr, file) {
			t.Errorf("stderr %q does not say which file could not be written", stderr)
		}
		if !strings.Contains(stdout, "0 errors") {
			t.Errorf("the normal output is missing:\n%s", stdout)
		}
	})
	t.Run("NegativeRows", func(t *testing.T) {
		code, _, stderr := run(t, nil, "check", seedsDir, "--html", filepath.Join(t.TempDir(), "r.html"), "--html-rows", "-5")
		if code != 2 || !strings.Contains(stderr, "want a number of rows") {
			t.Errorf("exit code %d, stderr %q; want 2 and the reason", code, stderr)
		}
	})
	t.Run("Help", func(t *testing.T) {
		_, _, stderr := run(t, nil, "check", "-h")
		if !strings.Contains(stderr, "--html FILE") || !strings.Contains(stderr, "-html-rows N") {
			t.Errorf("help does not show the --html flags:\n%s", stderr)
		}
	})
}
