// Package loader builds the curriculum graph from a directory of curriculum
// Markdown documents (*.md), CurricularAnalytics curriculum and degree-plan
// files (*.csv, read as ca.go describes) and curated links files (*.yaml,
// *.yml). WriteCA writes any graph back out as a CurricularAnalytics
// curriculum.
//
// Documents are parsed with goldmark and read section by section, by the
// titles of their "##" sections (Learning Path, Key Concepts Covered, Tools
// and Crates Introduced, Hands-On Projects, …); containers such as Learning
// Approach may hold the others at any level, so documents of a series can
// differ in shape. What a document says that the loader does not
// understand (an unknown section, a code block in a list section, an item
// with no name) becomes a warning with file:line in Graph.Warnings: never
// silently dropped, never fatal on its own. Introductory paragraphs of
// item sections are accepted as prose; under Learning Approach they become
// the phase's approach text.
//
// Series rules:
//   - Documents load in phase order (the number of their "# Phase N: Name"
//     title), then by file name; links files come after all documents.
//   - A document whose title is not "Phase N: Name" (or that has no title)
//     gets a warning and the phase number after the highest one any
//     document names (in its title or its prerequisites), in file-name
//     order; its phase is named by its title, else its file name.
//   - One name is one concept across documents, taught where it first
//     appears. Inside one document, one name under two different "###"
//     sections is two concepts, id slug--section-slug; the same name twice
//     under one heading is a DUPLICATE_DEFINITION error.
//   - A crate under several headings is one crate with several categories;
//     a topic, path or crate a later document lists again is the same one.
//   - Challenges and competencies are per phase: when a later phase repeats
//     a title, its id gets the phase's id as suffix
//     (build-a-cli-tool--phase-4).
//
// A links file (YAML, version 1) states what prose only implies. Its
// top-level keys are concepts (entries with name: to declare a concept or
// ref: to amend one; aliases, description, topic, taught_elsewhere,
// requires: [{ref, reason}], uses), topics (ref, aliases, description,
// uses, concepts), study_order (step, topics), paths (ref, aliases,
// description, topics, concepts, crates, challenges), challenges (ref,
// practices, uses) and competencies (ref, assesses). Unknown keys, refs
// that resolve to nothing (with did-you-mean) or to two concepts, and
// requirements without a one-line reason are errors with file:line.
// Refs resolve as learngraph.Resolver resolves them: id, then name or
// alias, case-insensitively, a concept before a topic or path.
//
// Everything that keeps the inputs from forming a graph is collected and
// returned together in one *learngraph.CurriculumError.
package loader

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"learngraph"
)

// Load reads every curriculum document (*.md), CurricularAnalytics file
// (*.csv) and links file (*.yaml, *.yml) at the top of fsys, and builds one
// graph. Markdown documents, CA files or both make a curriculum; links
// files alone do not.
//
// Problems that keep the documents from forming a graph (unreadable,
// invalid UTF-8, binary or empty files, malformed YAML or CSV, duplicate
// definitions, dangling or ambiguous refs, missing reasons, REQUIRES
// cycles) are all collected and returned together as
// *learngraph.CurriculumError, with File and Line, warnings alongside.
// Warnings (unrecognised content) go to Graph.Warnings. Graph.Version is
// the hex SHA-256 over the sorted file names and their bytes.
func Load(fsys fs.FS) (*learngraph.Graph, error) {
	inputs, problems := readInputs(fsys)
	if len(inputs) == 0 && len(problems) == 0 {
		problems = append(problems, invalid("", 0, "no curriculum documents (*.md, *.csv) found"))
	}

	var docs []*document
	var cas []*caFile
	var links []*linksFile
	var warnings []learngraph.Finding
	broken := len(problems) > 0
	for _, in := range inputs {
		switch in.format {
		case formatMarkdown:
			docs = append(docs, readDocument(in.name, in.text))
		case formatCA:
			cf := readCA(in.name, in.text)
			problems = append(problems, cf.problems...)
			warnings = append(warnings, cf.warnings...)
			broken = broken || cf.broken
			cas = append(cas, cf)
		default:
			lf := readLinks(in.name, in.text)
			problems = append(problems, lf.problems...)
			broken = broken || lf.broken
			links = append(links, lf)
		}
	}
	if len(docs) == 0 && len(cas) == 0 && !broken {
		problems = append(problems, invalid("", 0, "no curriculum documents (*.md, *.csv) found; links files alone make no curriculum"))
		broken = true
	}
	warnings = append(warnings, numberDocuments(docs)...)
	slices.SortStableFunc(docs, func(a, b *document) int { return cmp.Compare(a.number, b.number) })
	for _, d := range docs {
		warnings = append(warnings, d.findings...)
	}
	numberCA(docs, cas)

	files := loadOrder(docs, cas, links)
	if !broken {
		b := build(docs, cas, links, files)
		problems = append(problems, b.problems...)
		warnings = append(warnings, b.warnings...)
		if len(problems) == 0 {
			g := b.g
			g.Warnings = sortFindings(warnings, files)
			g.Version = version(inputs)
			return g, nil
		}
	}
	return nil, &learngraph.CurriculumError{
		Problems: sortFindings(problems, files),
		Warnings: sortFindings(warnings, files),
	}
}

// input is one file Load reads.
type input struct {
	name   string
	format inputFormat
	raw    []byte // as read, for the version
	text   []byte // without a byte-order mark
}

// inputFormat is what kind of file an input is, by its extension.
type inputFormat int

const (
	formatMarkdown inputFormat = iota // *.md: a curriculum document
	formatLinks                       // *.yaml, *.yml: a links file
	formatCA                          // *.csv: a CurricularAnalytics curriculum or degree plan
)

var formats = map[string]inputFormat{".md": formatMarkdown, ".yaml": formatLinks, ".yml": formatLinks, ".csv": formatCA}

// readInputs reads the documents and links files at the top of fsys, in
// name order, rejecting files that cannot be text.
func readInputs(fsys fs.FS) ([]input, []learngraph.Finding) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, []learngraph.Finding{invalid("", 0, "cannot list the curriculum directory: %v", err)}
	}
	var inputs []input
	var problems []learngraph.Finding
	for _, e := range entries {
		name := e.Name()
		format, known := formats[strings.ToLower(path.Ext(name))]
		if e.IsDir() || strings.HasPrefix(name, ".") || !known {
			continue
		}
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			problems = append(problems, invalid(name, 0, "cannot read: %v", err))
			continue
		}
		if p, ok := checkText(name, raw); !ok {
			problems = append(problems, p)
			continue
		}
		inputs = append(inputs, input{name: name, format: format, raw: raw, text: stripBOM(raw)})
	}
	return inputs, problems
}

func invalid(file string, line int, format string, args ...any) learngraph.Finding {
	return learngraph.Finding{
		Kind: learngraph.InvalidDocument, Severity: learngraph.SeverityError,
		Message: fmt.Sprintf(format, args...), Source: learngraph.Source{File: file, Line: line},
	}
}

// numberDocuments gives documents without a "Phase N" title the numbers
// after the highest phase any document names, in file-name order.
func numberDocuments(docs []*document) []learngraph.Finding {
	highest := 0
	for _, d := range docs {
		highest = max(highest, d.number)
		for _, p := range d.prerequisites {
			for _, np := range p.phases {
				highest = max(highest, np.number)
			}
		}
	}
	var warnings []learngraph.Finding
	for _, d := range docs {
		if d.number != 0 {
			continue
		}
		highest++
		d.number = highest
		line, what := d.titleLine, fmt.Sprintf("title %q", d.title)
		if d.titleLine == 0 {
			line, what = 1, "no \"# Phase N: Name\" title"
			d.name = strings.TrimSuffix(d.file, path.Ext(d.file))
		}
		warnings = append(warnings, learngraph.Finding{
			Kind: learngraph.UnrecognizedContent, Severity: learngraph.SeverityWarning,
			Message: fmt.Sprintf("%s does not say \"Phase N: Name\"; the document is loaded as phase %d, after the highest phase named",
				capitalise(what), highest),
			Source: learngraph.Source{File: d.file, Line: line},
		})
	}
	return warnings
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// loadOrder is the documents in load order, then the CA files, then the
// links files.
func loadOrder(docs []*document, cas []*caFile, links []*linksFile) []string {
	files := make([]string, 0, len(docs)+len(cas)+len(links))
	for _, d := range docs {
		files = append(files, d.file)
	}
	for _, cf := range cas {
		files = append(files, cf.file)
	}
	for _, lf := range links {
		files = append(files, lf.file)
	}
	return files
}

// version hashes every input's name and bytes, in name order (the order
// ReadDir gives), each length-prefixed so no two inputs hash alike.
func version(inputs []input) string {
	h := sha256.New()
	for _, in := range inputs {
		fmt.Fprintf(h, "%s\x00%d\x00", in.name, len(in.raw))
		h.Write(in.raw)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// sortFindings orders findings by file in load order, then line; findings
// without a file come last.
func sortFindings(fs []learngraph.Finding, files []string) []learngraph.Finding {
	rank := func(f learngraph.Finding) int {
		if i := slices.Index(files, f.File); i >= 0 {
			return i
		}
		return len(files)
	}
	slices.SortStableFunc(fs, func(a, b learngraph.Finding) int {
		if c := cmp.Compare(rank(a), rank(b)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.File, b.File); c != 0 {
			return c // files that never made it into the load order
		}
		return cmp.Compare(a.Line, b.Line)
	})
	return fs
}
