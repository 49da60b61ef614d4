package loader_test

import (
	"slices"
	"strings"
	"testing"

	"learngraph"
)

// shapesDoc writes the same kinds of item in the other shapes sibling
// documents use.
const shapesDoc = `# Phase 2 - Intermediate

Intro text under the title.

## Prerequisites
- Completed Phases 1 and 0 (Foundation)
- Basic knowledge of the standard library
- Rust basics:
  - variables
  - functions and modules
- Completed Phase one

## Learning Path
1. Collections - Vec, HashMap and friends
2. **Error Handling**: Result and ?

## Key Concepts Covered
- **Vectors:** growable arrays
- __Hash Maps__ - key/value storage
- Slices
- **Strings**: UTF-8 text
  - String versus &str
  - Formatting

## Tools and Crates Introduced
- anyhow, thiserror - Error handling helpers
- **` + "`itertools`" + `**: More iterator adaptors
- just some words here - not crates

## Capstone Project Ideas
1. **Word Counter**: Count words in files

### 2. Inventory Tracker
Track items in a warehouse.

## Competency Checklist
- [x] Uses Vec and HashMap
- [ ] Handles errors with Result
  - [ ] Writes custom error types

## Specialized Domain Paths
- **CLI Path**: command-line tools
  - argument parsing

## Key Takeaways
- Collections are everywhere
`

func TestLoadShapes(t *testing.T) {
	g := mustLoad(t, files("intermediate.md", strings.ReplaceAll("\ufeff"+shapesDoc, "\n", "\r\n")))

	t.Run("Phase", func(t *testing.T) {
		p := byID(t, g.Phases, "phase-2")
		if p.Name != "Intermediate" || p.Overview != "Intro text under the title." {
			t.Errorf("phase-2 = %q, overview %q", p.Name, p.Overview)
		}
		if f := byID(t, g.Phases, "phase-1"); f.Name != "Foundation" {
			t.Errorf("phase-1 name = %q", f.Name)
		}
		if _, ok := findLink(g, learngraph.BuildsOn, phase("phase-2"), phase("phase-1")); !ok {
			t.Error("phase-2 does not BUILD_ON phase-1")
		}
		if hasNode(g.Phases, "phase-0") {
			t.Error("phase 0 was created")
		}
		if want := []string{"Collections are everywhere"}; !slices.Equal(p.Takeaways, want) {
			t.Errorf("takeaways = %q", p.Takeaways)
		}
	})

	t.Run("Prerequisites", func(t *testing.T) {
		for _, id := range []string{"the-standard-library", "variables", "functions", "modules"} {
			if _, ok := findLink(g, learngraph.Assumes, phase("phase-2"), concept(id)); !ok {
				t.Errorf("phase-2 does not ASSUME %s", id)
			}
		}
		if hasNode(g.Concepts, "rust-basics") {
			t.Error(`"Rust basics:" over a nested list became a concept`)
		}
		// "Completed Phase one" is about phases but has no number: a warning.
		found := false
		for _, w := range g.Warnings {
			found = found || (w.Line == 11 && strings.Contains(w.Message, "names no phase number"))
		}
		if !found {
			t.Errorf("no warning for \"Completed Phase one\" in %v", g.Warnings)
		}
	})

	t.Run("Items", func(t *testing.T) {
		for _, tc := range []struct{ id, name, desc string }{
			{"collections", "Collections", "Vec, HashMap and friends"},
			{"error-handling", "Error Handling", "Result and ?"},
		} {
			if tp := byID(t, g.Topics, tc.id); tp.Name != tc.name || tp.Description != tc.desc {
				t.Errorf("topic %s = %q %q", tc.id, tp.Name, tp.Description)
			}
		}
		for _, tc := range []struct{ id, name, desc string }{
			{"vectors", "Vectors", "growable arrays"},
			{"hash-maps", "Hash Maps", "key/value storage"},
			{"slices", "Slices", ""},
			{"strings", "Strings", "UTF-8 text\n- String versus &str\n- Formatting"},
		} {
			if c := byID(t, g.Concepts, tc.id); c.Name != tc.name || c.Description != tc.desc || c.Section != "" {
				t.Errorf("concept %s = %q %q section %q", tc.id, c.Name, c.Description, c.Section)
			}
		}
		for _, tc := range []struct{ id, desc string }{
			{"anyhow", "Error handling helpers"},
			{"thiserror", "Error handling helpers"},
			{"itertools", "More iterator adaptors"},
		} {
			if c := byID(t, g.Crates, tc.id); c.Description != tc.desc {
				t.Errorf("crate %s = %q", tc.id, c.Description)
			}
		}
		if len(g.Crates) != 3 {
			t.Errorf("crates = %v", ids(g.Crates))
		}
		for _, tc := range []struct{ id, desc string }{
			{"inventory-tracker", "Track items in a warehouse."},
			{"word-counter", "Count words in files"},
		} {
			if c := byID(t, g.Challenges, tc.id); c.Kind != learngraph.Capstone || c.Description != tc.desc {
				t.Errorf("capstone %s = %s %q", tc.id, c.Kind, c.Description)
			}
		}
		if got := ids(g.Competencies); !slices.Equal(got, []string{"uses-vec-and-hashmap", "handles-errors-with-result", "writes-custom-error-types"}) {
			t.Errorf("competencies = %q", got)
		}
		cli := byID(t, g.Paths, "cli-path")
		if cli.Description != "command-line tools" {
			t.Errorf("cli path = %q", cli.Description)
		}
		if _, ok := findLink(g, learngraph.Includes, cli.Ref(), concept("argument-parsing")); !ok {
			t.Error("cli path does not INCLUDE argument-parsing")
		}
	})

	t.Run("Warnings", func(t *testing.T) {
		var lines []int
		for _, w := range g.Warnings {
			lines = append(lines, w.Line)
		}
		// "Completed Phase one" and the crate item of plain words.
		if want := []int{11, 28}; !slices.Equal(lines, want) {
			t.Errorf("warnings at lines %v, want %v: %v", lines, want, g.Warnings)
		}
	})
}
