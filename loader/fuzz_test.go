package loader_test

import (
	"errors"
	"testing"
	"testing/fstest"

	"learngraph"
	"learngraph/loader"
)

// checkLoad states what Load promises for any input: no panic, and either
// a graph that satisfies checkGraph or a CurriculumError with problems.
func checkLoad(t *testing.T, fsys fstest.MapFS) {
	g, err := loader.Load(fsys)
	if err != nil {
		ce, ok := errors.AsType[*learngraph.CurriculumError](err)
		if !ok {
			t.Fatalf("error is %T, want *learngraph.CurriculumError: %v", err, err)
		}
		if g != nil || len(ce.Problems) == 0 {
			t.Fatalf("error with graph %v or without problems: %v", g != nil, err)
		}
		return
	}
	if err := checkGraph(g); err != nil {
		t.Fatal(err)
	}
}

func FuzzLoadMarkdown(f *testing.F) {
	f.Add(readFile(f, "../seeds/"+seedDoc))
	f.Add(readFile(f, "testdata/series/"+phase3Doc))
	f.Add([]byte(smallDoc))
	f.Add([]byte("# Phase 2: X\n## Prerequisites\n- Completed Phase 1-999999 (A)\n- Experience with , and ,\n"))
	f.Add([]byte("## Key Concepts Covered\n### A\n- **X**: 1\n### B\n- **X**: 2\n## Specialized Domain Paths\n### P\n- X\n"))
	links := readFile(f, "testdata/seed/links.yaml")
	f.Fuzz(func(t *testing.T, doc []byte) {
		checkLoad(t, fstest.MapFS{"doc.md": {Data: doc}, "links.yaml": {Data: links}})
	})
}

func FuzzLoadLinks(f *testing.F) {
	f.Add(readFile(f, "testdata/seed/links.yaml"))
	f.Add([]byte("version: 1\nconcepts:\n  - &a\n    ref: x\n  - *a\n"))
	f.Add([]byte("version: 1\nconcepts:\n  - name: A\n    requires:\n      - ref: A\n        reason: self\n"))
	f.Add([]byte("version: 1\nstudy_order:\n  - step: Specialize\n    topics: [macros]\n---\nversion: 1\n"))
	doc := readFile(f, "../seeds/"+seedDoc)
	f.Fuzz(func(t *testing.T, links []byte) {
		checkLoad(t, fstest.MapFS{seedDoc: {Data: doc}, "links.yaml": {Data: links}})
	})
}
