package neo4j_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"learngraph"
	"learngraph/storetest"
)

// writeSyntheticDocs writes storetest.Synthetic(n, seed) as curriculum
// documents into dir, for running the real `learngraph load` on a large
// curriculum: a phase document whose Learning Path lists the topics and
// whose Key Concepts list each topic's concepts, and a links file with
// every REQUIRES edge. Concepts are named "Concept i", so their ids are
// concept-i.
func writeSyntheticDocs(t testing.TB, dir string, n int, seed int64) {
	t.Helper()
	g := storetest.Synthetic(n, seed)
	name := map[string]string{} // concept id → name in the documents
	for _, c := range g.Concepts {
		name[c.ID] = c.Name
	}
	byTopic := map[string][]*learngraph.Concept{}
	for _, c := range g.Concepts {
		byTopic[c.Topic] = append(byTopic[c.Topic], c)
	}

	var doc strings.Builder
	fmt.Fprintf(&doc, "# Phase 1: Synthetic %d\n\n## Overview\nA synthetic curriculum of %d concepts.\n\n## Learning Path\n\n### Topics\n", seed, n)
	for i, topic := range g.Topics {
		fmt.Fprintf(&doc, "%d. **%s** - %s\n", i+1, topic.Name, topic.Description)
	}
	doc.WriteString("\n## Key Concepts Covered\n")
	for _, topic := range append(g.Topics, &learngraph.Topic{}) {
		concepts := byTopic[topic.ID]
		if len(concepts) == 0 {
			continue
		}
		heading := topic.Name
		if heading == "" {
			heading = "Foundations"
		}
		fmt.Fprintf(&doc, "\n### %s\n", heading)
		for _, c := range concepts {
			fmt.Fprintf(&doc, "- **%s**: %s\n", c.Name, c.Description)
		}
	}

	var links strings.Builder
	links.WriteString("version: 1\nconcepts:\n")
	requires := map[string][]learngraph.Link{}
	var order []string
	for _, l := range g.Links {
		if l.Rel != learngraph.Requires {
			continue
		}
		if requires[l.From.ID] == nil {
			order = append(order, l.From.ID)
		}
		requires[l.From.ID] = append(requires[l.From.ID], l)
	}
	for _, id := range order {
		fmt.Fprintf(&links, "  - ref: %s\n    requires:\n", name[id])
		for _, l := range requires[id] {
			fmt.Fprintf(&links, "      - ref: %s\n        reason: %s\n", name[l.To.ID], l.Reason)
		}
	}
	for file, text := range map[string]string{"synthetic.md": doc.String(), "links.yaml": links.String()} {
		if err := os.WriteFile(filepath.Join(dir, file), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
