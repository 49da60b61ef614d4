package loader_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"learngraph/loader"
)

func BenchmarkLoadSeed(b *testing.B) {
	fsys := seedFS(b, nil)
	for b.Loop() {
		if _, err := loader.Load(fsys); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadLarge loads a synthetic curriculum of 50,000 key concepts
// in 500 sections and a links file with a prerequisite chain over them, so
// a quadratic step in the loader shows.
func BenchmarkLoadLarge(b *testing.B) {
	fsys := largeFS(500, 100)
	b.ResetTimer()
	for b.Loop() {
		if _, err := loader.Load(fsys); err != nil {
			b.Fatal(err)
		}
	}
}

func largeFS(sections, perSection int) fstest.MapFS {
	var doc, links strings.Builder
	doc.WriteString("# Phase 1: Large\n\n## Key Concepts Covered\n")
	links.WriteString("version: 1\nconcepts:\n")
	for s := range sections {
		fmt.Fprintf(&doc, "\n### Section %d\n", s)
		for c := range perSection {
			fmt.Fprintf(&doc, "- **Concept %d-%d**: description %d\n", s, c, c)
			if c > 0 {
				fmt.Fprintf(&links, "  - ref: Concept %d-%d\n    aliases: [C%d.%d]\n    requires:\n      - ref: concept-%d-%d\n        reason: the one before.\n", s, c, s, c, s, c-1)
			}
		}
	}
	return fstest.MapFS{"large.md": {Data: []byte(doc.String())}, "links.yaml": {Data: []byte(links.String())}}
}
