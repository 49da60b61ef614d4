package main

import (
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// gatsSteps are the concept ids of the seed's study plan for GATs.
var gatsSteps = []string{"ownership", "generics", "traits", "lifetimes", "associated-types", "generic-associated-types"}

// drawnConcepts returns the ids of the concept nodes an output of graph
// draws: in the order it draws them for text formats, sorted for SVG,
// whose order is Graphviz's.
func drawnConcepts(t *testing.T, format, out string) []string {
	t.Helper()
	var ids []string
	switch format {
	case "dot":
		for _, m := range regexp.MustCompile(`(?m)^\t"concept-([^"]+)" \[`).FindAllStringSubmatch(out, -1) {
			ids = append(ids, m[1])
		}
	case "mermaid":
		for _, m := range regexp.MustCompile(`(?m)^\tconcept_(\w+)\[`).FindAllStringSubmatch(out, -1) {
			ids = append(ids, strings.ReplaceAll(m[1], "_", "-"))
		}
	case "svg":
		dec := xml.NewDecoder(strings.NewReader(out))
		for {
			tok, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("SVG is not well-formed XML: %v", err)
			}
			el, ok := tok.(xml.StartElement)
			if !ok || el.Name.Local != "g" {
				continue
			}
			var id, class string
			for _, a := range el.Attr {
				switch a.Name.Local {
				case "id":
					id = a.Value
				case "class":
					class = a.Value
				}
			}
			if strings.HasPrefix(class, "node concept") && strings.HasPrefix(id, "concept-") {
				ids = append(ids, strings.TrimPrefix(id, "concept-"))
			}
		}
		slices.Sort(ids)
	}
	return ids
}

func TestGraph(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		args     []string
		code     int
		format   string   // the output format, to count drawn concepts
		concepts []string // the concepts drawn, in order; nil: not checked
		stdout   []string // parts stdout must contain
		absent   []string // parts stdout must not contain
		stderr   []string
	}{
		{name: "GATsDOT", args: []string{"graph", seedsDir, "--goal", "GATs", "--format", "dot"}, code: 0,
			format: "dot", concepts: gatsSteps,
			stdout: []string{`label="Study plan for concept Generic Associated Types: 6 steps"`,
				`{ rank=same; "concept-ownership"; "concept-generics"; "concept-traits"; }`,
				`"concept-lifetimes" -> "concept-generic-associated-types"`}},
		{name: "GATsMermaid", args: []string{"graph", "--format=mermaid", "--goal", "GATs", seedsDir}, code: 0,
			format: "mermaid", concepts: gatsSteps,
			stdout: []string{"flowchart TB\n", "class concept_generic_associated_types goal", "subgraph legend"}},
		{name: "GATsSVG", args: []string{"graph", seedsDir, "--goal", "GATs"}, code: 0,
			format: "svg", concepts: slices.Sorted(slices.Values(gatsSteps)),
			stdout: []string{"<svg ", `class="node concept goal"`, `class="node concept untaught"`}},
		{name: "Known", args: []string{"graph", seedsDir, "--goal", "GATs", "--known", "traits, generics", "--known", "ownership", "--format", "dot"}, code: 0,
			format: "dot", concepts: []string{"lifetimes", "associated-types", "generic-associated-types"},
			stdout: []string{"knowing traits, generics, ownership"}},
		{name: "Topic", args: []string{"graph", seedsDir, "--topic", "Macros", "--format", "dot"}, code: 0,
			format: "dot", stdout: []string{`label="Topic Macros: 4 concepts"`}},
		{name: "WholeFromEnv", env: map[string]string{"LEARNGRAPH_SEEDS": seedsDir}, args: []string{"graph", "--format", "dot"}, code: 0,
			stdout: []string{`label="Curriculum: 74 concepts"`, `"concept-ownership" [id="concept-ownership", class="concept untaught"`}},
		{name: "Folded", args: []string{"graph", seedsDir, "--format", "mermaid", "--max-nodes", "20"}, code: 0,
			format: "mermaid", concepts: []string{},
			stdout: []string{"74 concepts folded into 11 topics", "topic_macros["}},
		{name: "UnknownGoal", args: []string{"graph", seedsDir, "--goal", "GATz"}, code: 2,
			stderr: []string{`learngraph graph: no concept, topic or path "GATz"; did you mean "GAT"?`}},
		{name: "UnknownKnown", args: []string{"graph", seedsDir, "--goal", "GATs", "--known", "trait"}, code: 2,
			stderr: []string{`"trait"; did you mean`}},
		{name: "UnknownPath", args: []string{"graph", seedsDir, "--path", "Macros"}, code: 2,
			stderr: []string{`no path "Macros"`}},
		{name: "TwoScopes", args: []string{"graph", seedsDir, "--goal", "GATs", "--topic", "Macros"}, code: 2,
			stderr: []string{"draw one of a goal, a path or a topic, not several"}},
		{name: "KnownWithoutGoal", args: []string{"graph", seedsDir, "--known", "traits"}, code: 2,
			stderr: []string{"give a goal too"}},
		{name: "LimitBelowPhases", args: []string{"graph", seedsDir, "--max-nodes", "1"}, code: 2,
			stderr: []string{"raise the limit to at least"}},
		{name: "ZeroLimit", args: []string{"graph", seedsDir, "--max-nodes", "0"}, code: 2,
			stderr: []string{"--max-nodes must be at least 1"}},
		{name: "UnknownFormat", args: []string{"graph", seedsDir, "--format", "png"}, code: 2,
			stderr: []string{`unknown format "png": want svg, dot or mermaid`}},
		{name: "Broken", args: []string{"graph", "testdata/broken"}, code: 1,
			stderr: []string{"learngraph graph: testdata/broken does not form a graph to draw",
				"testdata/broken/links.yaml:5: ERROR CYCLE:"}},
		{name: "NotADirectory", args: []string{"graph", "testdata/nope"}, code: 2, stderr: []string{"testdata/nope is not a directory"}},
		{name: "TwoDirectories", args: []string{"graph", "a", "b"}, code: 2, stderr: []string{"one directory at most"}},
		{name: "Help", args: []string{"graph", "-h"}, code: 0, stderr: []string{"Usage: learngraph graph [DIR]", "-max-nodes N"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tt.env, tt.args...)
			if code != tt.code {
				t.Fatalf("exit code %d, want %d\nstderr:\n%s", code, tt.code, stderr)
			}
			if tt.concepts != nil {
				if got := drawnConcepts(t, tt.format, stdout); !slices.Equal(got, tt.concepts) {
					t.Errorf("concepts drawn %v, want %v", got, tt.concepts)
				}
			}
			for _, want := range tt.stdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout does not contain %q:\n%s", want, stdout)
				}
			}
			for _, want := range tt.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr does not contain %q:\n%s", want, stderr)
				}
			}
			if code != 0 && stdout != "" {
				t.Errorf("failed, yet wrote to stdout:\n%s", stdout)
			}
		})
	}
}

func TestGraphToFile(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "gats.svg")
		code, stdout, stderr := run(t, nil, "graph", seedsDir, "--goal", "GATs", "-o", file)
		if code != 0 || stdout != "" {
			t.Fatalf("exit code %d, stdout %q, stderr:\n%s", code, stdout, stderr)
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if got := drawnConcepts(t, "svg", string(data)); !slices.Equal(got, slices.Sorted(slices.Values(gatsSteps))) {
			t.Errorf("concepts drawn %v, want %v", got, gatsSteps)
		}
		if !strings.Contains(stderr, "wrote Study plan for concept Generic Associated Types: 6 steps (svg) to "+file) {
			t.Errorf("stderr does not say what was written:\n%s", stderr)
		}
	})
	t.Run("Unwritable", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "missing", "gats.dot")
		code, _, stderr := run(t, nil, "graph", seedsDir, "--format", "dot", "-o", file)
		if code != 1 || !strings.Contains(stderr, "no such file or directory") {
			t.Errorf("exit code %d, stderr:\n%s", code, stderr)
		}
	})
}
