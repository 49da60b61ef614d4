package loader_test

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"learngraph"
	"learngraph/loader"
)

// smallDoc is a tidy phase document the problem cases break one way each.
const smallDoc = `# Phase 1: Basics

## Key Concepts Covered

### Macros
- **Declarative Macros**: macro_rules!
- **Procedural Macros**: derive and attribute macros

### Traits
- **Associated Types**: type Item
- **Generics**: type parameters

## Tools and Crates Introduced

### Core
- ` + "`tokio`" + ` - runtime
`

// want describes one expected problem.
type want struct {
	kind     learngraph.FindingKind
	file     string
	line     int
	contains []string
	subjects []string // when set, the finding's subjects must equal these
}

func files(kv ...string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := 0; i+1 < len(kv); i += 2 {
		fsys[kv[i]] = &fstest.MapFile{Data: []byte(kv[i+1])}
	}
	return fsys
}

func TestLoadProblems(t *testing.T) {
	for _, tc := range []struct {
		name string
		fsys fstest.MapFS
		want []want
	}{
		{
			name: "InvalidUTF8",
			fsys: files("a.md", "# Phase 1: A\n\n## Overview\nbad \xff byte\n"),
			want: []want{{learngraph.InvalidDocument, "a.md", 4, []string{"not valid UTF-8", "0xff"}, nil}},
		},
		{
			name: "Binary",
			fsys: files("a.md", "# Phase 1: A\n\x00\x01\x02"),
			want: []want{{learngraph.InvalidDocument, "a.md", 2, []string{"binary file"}, nil}},
		},
		{
			name: "EmptyDocument",
			fsys: files("a.md", " \n\n\t\n"),
			want: []want{{learngraph.InvalidDocument, "a.md", 0, []string{"empty file"}, nil}},
		},
		{
			name: "EmptyLinksFile",
			fsys: files("a.md", smallDoc, "links.yaml", "# only a comment\n"),
			want: []want{{learngraph.InvalidDocument, "links.yaml", 1, []string{"empty links file"}, nil}},
		},
		{
			name: "NoDocuments",
			fsys: files("links.yaml", "version: 1\n"),
			want: []want{{learngraph.InvalidDocument, "", 0, []string{"no curriculum documents"}, nil}},
		},
		{
			name: "DuplicateKeyConcept",
			fsys: files("a.md", strings.Replace(smallDoc, "- **Procedural Macros**", "- **Declarative Macros**: again\n- **Procedural Macros**", 1)),
			want: []want{{learngraph.DuplicateDefinition, "a.md", 7, []string{`"Declarative Macros" is listed twice under "Macros" (first at line 6)`}, []string{"declarative-macros"}}},
		},
		{
			name: "DuplicateCrate",
			fsys: files("a.md", smallDoc+"- `tokio` - again\n"),
			want: []want{{learngraph.DuplicateDefinition, "a.md", 17, []string{`crate "tokio" is listed twice under "Core" (first at line 16)`}, nil}},
		},
		{
			name: "DanglingRefWithSuggestion",
			fsys: files("a.md", smallDoc, "links.yaml", `version: 1
concepts:
  - ref: Procedural Macros
    requires:
      - ref: Declarative Macro
        reason: macro_rules! first.
      - ref: Asociated Types
        reason: a typo.
`),
			want: []want{
				{learngraph.DanglingReference, "links.yaml", 5, []string{`no concept "Declarative Macro"; did you mean "Declarative Macros"?`}, nil},
				{learngraph.DanglingReference, "links.yaml", 7, []string{`no concept "Asociated Types"; did you mean "Associated Types"?`}, nil},
			},
		},
		{
			name: "DanglingTopicAndCrate",
			fsys: files("a.md", smallDoc, "links.yaml", "version: 1\nconcepts:\n  - ref: generics\n    topic: Trait Things\n    uses: [tokyo]\n"),
			want: []want{
				{learngraph.DanglingReference, "links.yaml", 4, []string{`no topic "Trait Things"`}, nil},
				{learngraph.DanglingReference, "links.yaml", 5, []string{`no crate "tokyo"; did you mean "tokio"?`}, nil},
			},
		},
		{
			name: "AmbiguousRef",
			fsys: seedFS(t, map[string]string{"links.yaml": `version: 1
concepts:
  - ref: Generics
    requires:
      - ref: Advanced Patterns
        reason: which one?
`}),
			want: []want{{learngraph.AmbiguousReference, "links.yaml", 5,
				[]string{`"Advanced Patterns" names 2 concepts`, "advanced-patterns--advanced-trait-system", "advanced-patterns--macros-and-metaprogramming"},
				[]string{"advanced-patterns--advanced-trait-system", "advanced-patterns--macros-and-metaprogramming"}}},
		},
		{
			name: "MissingReason",
			fsys: files("a.md", smallDoc, "links.yaml", `version: 1
concepts:
  - ref: Procedural Macros
    requires:
      - ref: Declarative Macros
      - Generics
      - ref: Associated Types
        reason: ""
`),
			want: []want{
				{learngraph.InvalidDocument, "links.yaml", 5, []string{`missing reason for "Declarative Macros"`}, nil},
				{learngraph.InvalidDocument, "links.yaml", 6, []string{`missing reason for "Generics"`}, nil},
				{learngraph.InvalidDocument, "links.yaml", 8, []string{"reason: empty"}, nil},
			},
		},
		{
			name: "MultiLineReason",
			fsys: files("a.md", smallDoc, "links.yaml", "version: 1\nconcepts:\n  - ref: Procedural Macros\n    requires:\n      - ref: Declarative Macros\n        reason: |\n          one\n          two\n"),
			want: []want{{learngraph.InvalidDocument, "links.yaml", 6, []string{"must be one line"}, nil}},
		},
		{
			name: "UnknownKeys",
			fsys: files("a.md", smallDoc, "links.yaml", `version: 1
concepts:
  - ref: Procedural Macros
    requries:
      - ref: Declarative Macros
        reason: first.
    aliasses: [proc macros]
topicz: []
`),
			want: []want{
				{learngraph.InvalidDocument, "links.yaml", 4, []string{`concept: unknown key "requries"; did you mean "requires"?`}, nil},
				{learngraph.InvalidDocument, "links.yaml", 7, []string{`unknown key "aliasses"; did you mean "aliases"?`}, nil},
				{learngraph.InvalidDocument, "links.yaml", 8, []string{`links file: unknown key "topicz"; did you mean "topics"?`}, nil},
			},
		},
		{
			name: "MalformedYAML",
			fsys: files("a.md", smallDoc, "links.yaml", "version: 1\nconcepts:\n  - ref: [unclosed\n"),
			want: []want{{learngraph.InvalidDocument, "links.yaml", 3, []string{"malformed YAML: did not find expected ',' or ']'"}, nil}},
		},
		{
			name: "MalformedYAMLTab",
			fsys: files("a.md", smallDoc, "links.yaml", "version: 1\nconcepts:\n\t- ref: a\n"),
			want: []want{{learngraph.InvalidDocument, "links.yaml", 3, []string{"malformed YAML: found character that cannot start any token"}, nil}},
		},
		{
			name: "WrongShapes",
			fsys: files("a.md", smallDoc, "links.yaml", "version: 2\nconcepts:\n  ref: generics\ntopics:\n  - ref: x\n    aliases: {a: b}\npaths:\n  - ref: [p]\nchallenges:\n  - just text\n"),
			want: []want{
				{learngraph.InvalidDocument, "links.yaml", 1, []string{"version 1"}, nil},
				{learngraph.InvalidDocument, "links.yaml", 3, []string{"concepts: expected a list"}, nil},
				{learngraph.InvalidDocument, "links.yaml", 6, []string{"aliases: expected a list of refs"}, nil},
				{learngraph.DanglingReference, "links.yaml", 5, []string{`no topic "x"`}, nil},
				{learngraph.InvalidDocument, "links.yaml", 8, []string{"ref: expected a text, found a list"}, nil},
				{learngraph.InvalidDocument, "links.yaml", 8, []string{"path: missing ref:"}, nil},
				{learngraph.InvalidDocument, "links.yaml", 10, []string{`challenge: expected a mapping of keys to values, found "just text"`}, nil},
			},
		},
		{
			name: "NotABoolean",
			fsys: files("a.md", smallDoc, "links.yaml", "version: 1\nconcepts:\n  - ref: generics\n    taught_elsewhere: maybe\n"),
			want: []want{{learngraph.InvalidDocument, "links.yaml", 4, []string{`taught_elsewhere: expected true or false, found "maybe"`}, nil}},
		},
		{
			name: "NameAndRef",
			fsys: files("a.md", smallDoc, "links.yaml", "version: 1\nconcepts:\n  - name: A\n    ref: B\n  - description: nothing to name\n"),
			want: []want{
				{learngraph.InvalidDocument, "links.yaml", 3, []string{"not both"}, nil},
				{learngraph.InvalidDocument, "links.yaml", 5, []string{"missing name:"}, nil},
			},
		},
		{
			name: "YAMLAlias",
			fsys: files("a.md", smallDoc, "links.yaml", "version: 1\nconcepts:\n  - &c\n    ref: generics\n  - *c\n"),
			want: []want{{learngraph.InvalidDocument, "links.yaml", 5, []string{"aliases (*name) are not supported"}, nil}},
		},
		{
			name: "DeclaredTwice",
			fsys: files("a.md", smallDoc, "links.yaml", "version: 1\nconcepts:\n  - name: Closures\n  - name: closures\n"),
			want: []want{{learngraph.DuplicateDefinition, "links.yaml", 4, []string{`concept "closures" is declared twice (first at links.yaml:3)`}, nil}},
		},
		{
			name: "AliasNamesAnother",
			fsys: files("a.md", smallDoc, "links.yaml", "version: 1\nconcepts:\n  - ref: Generics\n    aliases: [Associated Types]\n"),
			want: []want{{learngraph.DuplicateDefinition, "links.yaml", 4, []string{`alias "Associated Types" of concept "generics" already names associated-types`}, nil}},
		},
		{
			name: "RequiresCycle",
			fsys: files("a.md", smallDoc, "links.yaml", `version: 1
concepts:
  - ref: Declarative Macros
    requires:
      - ref: Procedural Macros
        reason: one.
  - ref: Procedural Macros
    requires:
      - ref: Generics
        reason: two.
  - ref: Generics
    requires:
      - ref: declarative-macros
        reason: three.
`),
			want: []want{{learngraph.Cycle, "links.yaml", 5,
				[]string{`"Declarative Macros" → "Procedural Macros" → "Generics" → "Declarative Macros"`},
				[]string{"declarative-macros", "procedural-macros", "generics"}}},
		},
		{
			name: "RequiresItself",
			fsys: files("a.md", smallDoc, "links.yaml", "version: 1\nconcepts:\n  - ref: Generics\n    requires:\n      - ref: generics\n        reason: loops.\n"),
			want: []want{{learngraph.Cycle, "links.yaml", 5, []string{"requires itself"}, []string{"generics"}}},
		},
		{
			name: "RequiresCrate",
			fsys: files("a.md", smallDoc, "links.yaml", "version: 1\nconcepts:\n  - ref: Generics\n    requires:\n      - ref: tokio\n        reason: runtime.\n"),
			want: []want{{learngraph.DanglingReference, "links.yaml", 5, []string{`requires "tokio": that is a crate, not a concept`, "uses:"}, []string{"tokio"}}},
		},
		{
			name: "StudyOrderStepMissing",
			fsys: seedFS(t, map[string]string{"links.yaml": "version: 1\nstudy_order:\n  - step: Ecosystem Integrashun\n    topics: [Popular Crates]\n"}),
			want: []want{{learngraph.DanglingReference, "links.yaml", 3, []string{`no document has a study step "Ecosystem Integrashun"; did you mean "Ecosystem Integration"?`}, nil}},
		},
		{
			name: "AmbiguousPrerequisiteInDocument",
			fsys: seedFS(t, map[string]string{seedDoc: strings.Replace(string(readFile(t, "../seeds/"+seedDoc)),
				"- Familiarity with async/await", "- Familiarity with advanced patterns, async/await", 1)}),
			want: []want{{learngraph.AmbiguousReference, seedDoc, 91, []string{`"advanced patterns" names 2 concepts`}, nil}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ce := loadProblems(t, tc.fsys)
			for _, w := range tc.want {
				if !hasProblem(ce.Problems, w) {
					t.Errorf("missing problem %s at %s:%d containing %q; got:\n%v", w.kind, w.file, w.line, w.contains, ce)
				}
			}
			if len(ce.Problems) != len(tc.want) {
				t.Errorf("got %d problems, want %d:\n%v", len(ce.Problems), len(tc.want), ce)
			}
			for _, p := range ce.Problems {
				if p.Severity != learngraph.SeverityError {
					t.Errorf("problem with severity %s: %v", p.Severity, p)
				}
			}
		})
	}
}

func hasProblem(problems []learngraph.Finding, w want) bool {
	for _, p := range problems {
		if p.Kind != w.kind || p.File != w.file || p.Line != w.line {
			continue
		}
		if w.subjects != nil && !slices.Equal(p.Subjects, w.subjects) {
			continue
		}
		all := true
		for _, s := range w.contains {
			all = all && strings.Contains(p.Message, s)
		}
		if all {
			return true
		}
	}
	return false
}

// TestLoadProblemsFormat checks the text a designer reads in CI.
func TestLoadProblemsFormat(t *testing.T) {
	_, err := loader.Load(files("a.md", smallDoc, "links.yaml", "version: 1\nconcepts:\n  - ref: Generics\n    requires:\n      - ref: Asociated Types\n        reason: typo.\n"))
	want := `links.yaml:5: ERROR DANGLING_REFERENCE: no concept "Asociated Types"; did you mean "Associated Types"?`
	if err == nil || err.Error() != want {
		t.Errorf("error =\n%v\nwant\n%s", err, want)
	}
}

// TestLoadCollectsAllProblems: problems of several files come back
// together, in load order.
func TestLoadCollectsAllProblems(t *testing.T) {
	ce := loadProblems(t, files(
		"a.md", smallDoc+"- `tokio` - again\n",
		"b.md", "# Phase 2: More\n\n## Key Concepts Covered\n- **X**: one\n- **X**: two\n",
		"links.yaml", "version: 1\nconcepts:\n  - ref: nothing-here\n",
	))
	var got []string
	for _, p := range ce.Problems {
		got = append(got, p.File)
	}
	if want := []string{"a.md", "b.md", "links.yaml"}; !slices.Equal(got, want) {
		t.Errorf("problems in files %q, want %q:\n%v", got, want, ce)
	}
}

// TestLoadWarnings: what the loader does not understand is a warning with
// file:line, never a problem, and the graph still loads.
func TestLoadWarnings(t *testing.T) {
	doc := smallDoc + `
## Glossary
- **Trait**: a set of methods

## Key Concepts Covered

### More
- **Lifetimes**: how long borrows live

` + "```rust\nfn main() {}\n```\n" + `
<div>raw html</div>
`
	g := mustLoad(t, files("a.md", doc))
	wantWarnings := []struct {
		line     int
		contains string
	}{
		{18, `unrecognised section "Glossary"`},
		{26, "code block not understood"},
		{30, "HTML block not understood"},
	}
	if len(g.Warnings) != len(wantWarnings) {
		t.Errorf("got %d warnings, want %d: %v", len(g.Warnings), len(wantWarnings), g.Warnings)
	}
	for _, w := range wantWarnings {
		found := false
		for _, f := range g.Warnings {
			found = found || (f.File == "a.md" && f.Line == w.line && f.Kind == learngraph.UnrecognizedContent &&
				f.Severity == learngraph.SeverityWarning && strings.Contains(f.Message, w.contains))
		}
		if !found {
			t.Errorf("no warning at a.md:%d containing %q in %v", w.line, w.contains, g.Warnings)
		}
	}
	// A second Key Concepts section still adds its concepts.
	if c := byID(t, g.Concepts, "lifetimes"); c.Section != "More" {
		t.Errorf("lifetimes section = %q", c.Section)
	}
}
