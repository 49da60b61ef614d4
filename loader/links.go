package loader

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"learngraph"
)

// linksFile is what one curated links file declares. Every ref keeps the
// line it was written on, so a dangling one is reported with file:line.
type linksFile struct {
	file         string
	concepts     []*conceptDecl
	topics       []*topicDecl
	studyOrder   []*stepDecl
	paths        []*pathDecl
	challenges   []*challengeDecl
	competencies []*competencyDecl
	problems     []learngraph.Finding
	// broken is set when the file could not be parsed at all; the graph
	// is then not built, so its refs do not turn into a flood of
	// dangling-reference errors elsewhere.
	broken bool
}

// ref is a reference as written in the links file, with its line.
type ref struct {
	text string
	line int
}

type conceptDecl struct {
	line            int
	index           int
	name, ref       ref // exactly one is set: name declares, ref amends
	aliases         []ref
	description     *string
	topic           ref
	taughtElsewhere *bool
	requires        []requirement
	uses            []ref
	id              string // the concept it declares or amends, once known
}

type requirement struct {
	ref    ref
	reason string
}

type topicDecl struct {
	id          string // the topic, once resolved
	ref         ref
	aliases     []ref
	description *string
	uses        []ref
	concepts    []ref
}

type stepDecl struct {
	file   string
	step   ref
	topics []ref
	used   bool
}

type pathDecl struct {
	id          string // the path, once resolved
	ref         ref
	aliases     []ref
	description *string
	topics      []ref
	concepts    []ref
	crates      []ref
	challenges  []ref
}

type challengeDecl struct {
	ref       ref
	practices []ref
	uses      []ref
}

type competencyDecl struct {
	ref      ref
	assesses []ref
}

// readLinks parses a links file. Structural problems (malformed YAML,
// unknown keys, wrong shapes, missing reasons) are collected in
// lf.problems; what could be read is kept.
func readLinks(file string, src []byte) *linksFile {
	lf := &linksFile{file: file}
	root, err := decodeSingle(src)
	if err != nil {
		line, msg := yamlError(err)
		lf.problem(line, learngraph.InvalidDocument, "malformed YAML: %s", msg)
		lf.broken = true
		return lf
	}
	if root == nil || root.Kind == 0 || (root.Kind == yaml.ScalarNode && root.Tag == "!!null") {
		lf.problem(1, learngraph.InvalidDocument, "empty links file: write at least \"version: 1\"")
		lf.broken = true
		return lf
	}
	d := &yamlReader{lf: lf}
	d.mapping(root, "links file", fields{
		"version":      d.version,
		"concepts":     d.list(d.concept),
		"topics":       d.list(d.topic),
		"study_order":  d.list(d.step),
		"paths":        d.list(d.path),
		"challenges":   d.list(d.challenge),
		"competencies": d.list(d.competency),
	})
	return lf
}

// decodeSingle decodes the one YAML document of src; a second document is
// an error, since the loader would otherwise ignore it.
func decodeSingle(src []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, err
	}
	var second yaml.Node
	if err := dec.Decode(&second); err == nil {
		return nil, fmt.Errorf("line %d: a links file holds one YAML document; found a second one", second.Line)
	} else if !errors.Is(err, io.EOF) {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

var yamlErrorRe = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlError splits a YAML syntax error into its line and its text. The
// parser's "did not find expected ..." errors count lines from 0 (its
// scanner's errors from 1), so they get one added.
func yamlError(err error) (line int, msg string) {
	m := yamlErrorRe.FindStringSubmatch(err.Error())
	if m == nil {
		return 0, strings.TrimPrefix(err.Error(), "yaml: ")
	}
	line, _ = strconv.Atoi(m[1])
	if strings.HasPrefix(m[2], "did not find expected") {
		line++
	}
	return line, m[2]
}

func (lf *linksFile) problem(line int, kind learngraph.FindingKind, format string, args ...any) {
	lf.problems = append(lf.problems, learngraph.Finding{
		Kind:     kind,
		Severity: learngraph.SeverityError,
		Message:  fmt.Sprintf(format, args...),
		Source:   learngraph.Source{File: lf.file, Line: line},
	})
}

// yamlReader walks yaml.Nodes, checking every key against the keys its
// mapping allows.
type yamlReader struct {
	lf      *linksFile
	entries int
}

// fields maps each allowed key of a mapping to what reads its value.
type fields map[string]func(key, value *yaml.Node)

func (d *yamlReader) invalid(n *yaml.Node, format string, args ...any) {
	d.lf.problem(n.Line, learngraph.InvalidDocument, format, args...)
}

func (d *yamlReader) invalidAt(line int, format string, args ...any) {
	d.lf.problem(line, learngraph.InvalidDocument, format, args...)
}

// mapping reads mapping n, calling the field reader of each key; unknown
// and repeated keys are errors with did-you-mean.
func (d *yamlReader) mapping(n *yaml.Node, what string, fs fields) bool {
	if !d.plainNode(n, what) {
		return false
	}
	if n.Kind != yaml.MappingNode {
		d.invalid(n, "%s: expected a mapping of keys to values, found %s", what, describe(n))
		return false
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.invalid(k, "%s: keys must be plain words, found %s", what, describe(k))
			continue
		}
		read, ok := fs[k.Value]
		if !ok {
			d.invalid(k, "%s: unknown key %q%s", what, k.Value, didYouMean(k.Value, keysOf(fs)))
			continue
		}
		if seen[k.Value] {
			d.invalid(k, "%s: key %q given twice", what, k.Value)
			continue
		}
		seen[k.Value] = true
		if d.plainNode(v, what+" "+k.Value) {
			read(k, v)
		}
	}
	return true
}

// plainNode rejects YAML aliases and merge keys: the loader would have to
// expand them, and expansion is how small files become huge ones.
func (d *yamlReader) plainNode(n *yaml.Node, what string) bool {
	if n.Kind == yaml.AliasNode {
		d.invalid(n, "%s: YAML aliases (*name) are not supported; write the value out", what)
		return false
	}
	return true
}

func keysOf(fs fields) []string {
	keys := make([]string, 0, len(fs))
	for k := range fs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// didYouMean suggests the closest allowed key.
func didYouMean(key string, allowed []string) string {
	keys := make([]learngraph.SuggestKey, len(allowed))
	for i, a := range allowed {
		keys[i] = learngraph.SuggestKey{Text: a, Node: learngraph.NodeRef{ID: a}}
	}
	if s := learngraph.Suggest(key, keys); len(s) > 0 {
		return fmt.Sprintf("; did you mean %q?", s[0])
	}
	return fmt.Sprintf(" (allowed: %s)", strings.Join(allowed, ", "))
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

// list returns a field reader for a list whose entries each reads.
func (d *yamlReader) list(each func(n *yaml.Node)) func(k, v *yaml.Node) {
	return func(k, v *yaml.Node) {
		if isNull(v) {
			return
		}
		if v.Kind != yaml.SequenceNode {
			d.invalid(v, "%s: expected a list, found %s", k.Value, describe(v))
			return
		}
		for _, e := range v.Content {
			if d.plainNode(e, k.Value) {
				d.entries++
				each(e)
			}
		}
	}
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// scalar reads a one-line text value; empty is an error.
func (d *yamlReader) scalar(k, v *yaml.Node) (string, bool) {
	if v.Kind != yaml.ScalarNode || isNull(v) {
		d.invalid(v, "%s: expected a text, found %s", k.Value, describe(v))
		return "", false
	}
	s := strings.TrimSpace(v.Value)
	if s == "" {
		d.invalid(v, "%s: empty", k.Value)
		return "", false
	}
	return s, true
}

func (d *yamlReader) ref(k, v *yaml.Node) ref {
	s, _ := d.scalar(k, v)
	return ref{text: s, line: v.Line}
}

// refs reads a list of refs; a single text counts as a list of one.
func (d *yamlReader) refs(k, v *yaml.Node) []ref {
	switch {
	case isNull(v):
		return nil
	case v.Kind == yaml.ScalarNode:
		return []ref{d.ref(k, v)}
	case v.Kind != yaml.SequenceNode:
		d.invalid(v, "%s: expected a list of refs, found %s", k.Value, describe(v))
		return nil
	}
	var out []ref
	for _, e := range v.Content {
		if !d.plainNode(e, k.Value) {
			continue
		}
		if e.Kind != yaml.ScalarNode || isNull(e) {
			d.invalid(e, "%s: expected a ref (an id, a name or an alias), found %s", k.Value, describe(e))
			continue
		}
		if r := d.ref(k, e); r.text != "" {
			out = append(out, r)
		}
	}
	return out
}

func (d *yamlReader) text(k, v *yaml.Node) *string {
	if isNull(v) {
		return nil
	}
	s, ok := d.scalar(k, v)
	if !ok {
		return nil
	}
	return &s
}

func (d *yamlReader) boolean(k, v *yaml.Node) *bool {
	var b bool
	if v.Kind != yaml.ScalarNode || v.Decode(&b) != nil {
		d.invalid(v, "%s: expected true or false, found %s", k.Value, describe(v))
		return nil
	}
	return &b
}

func (d *yamlReader) version(k, v *yaml.Node) {
	if v.Kind != yaml.ScalarNode || v.Value != "1" {
		d.invalid(v, "version: this loader reads links files of version 1, found %s", describe(v))
	}
}

func (d *yamlReader) concept(n *yaml.Node) {
	c := &conceptDecl{line: n.Line, index: d.entries}
	ok := d.mapping(n, "concept", fields{
		"name":             func(k, v *yaml.Node) { c.name = d.ref(k, v) },
		"ref":              func(k, v *yaml.Node) { c.ref = d.ref(k, v) },
		"aliases":          func(k, v *yaml.Node) { c.aliases = d.refs(k, v) },
		"description":      func(k, v *yaml.Node) { c.description = d.text(k, v) },
		"topic":            func(k, v *yaml.Node) { c.topic = d.ref(k, v) },
		"taught_elsewhere": func(k, v *yaml.Node) { c.taughtElsewhere = d.boolean(k, v) },
		"requires":         func(k, v *yaml.Node) { c.requires = d.requirements(k, v) },
		"uses":             func(k, v *yaml.Node) { c.uses = d.refs(k, v) },
	})
	if !ok {
		return
	}
	switch {
	case c.name.text != "" && c.ref.text != "":
		d.invalid(n, "concept: give name: to declare a concept or ref: to amend one, not both")
	case c.name.text == "" && c.ref.text == "":
		d.invalid(n, "concept: missing name: (to declare a concept) or ref: (to amend one)")
	default:
		d.lf.concepts = append(d.lf.concepts, c)
	}
}

// requirements reads requires: entries, each "ref: X" with a one-line
// "reason:". A bare ref is an error: every prerequisite says why.
func (d *yamlReader) requirements(k, v *yaml.Node) []requirement {
	if isNull(v) {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		d.invalid(v, "requires: expected a list of {ref, reason}, found %s", describe(v))
		return nil
	}
	var out []requirement
	for _, e := range v.Content {
		if !d.plainNode(e, "requires") {
			continue
		}
		if e.Kind == yaml.ScalarNode {
			d.invalid(e, "requires: missing reason for %q: write \"- ref: %s\" and \"reason: why it is needed\"", e.Value, e.Value)
			continue
		}
		var r requirement
		reasonLine, reasonGiven := e.Line, false
		if !d.mapping(e, "requires", fields{
			"ref": func(k, v *yaml.Node) { r.ref = d.ref(k, v) },
			"reason": func(k, v *yaml.Node) {
				reasonLine, reasonGiven = v.Line, true
				if s, ok := d.scalar(k, v); ok {
					r.reason = s
				}
			},
		}) {
			continue
		}
		switch {
		case r.ref.text == "":
			d.invalid(e, "requires: entry has no ref")
		case r.reason == "" && reasonGiven:
			// The empty reason is reported where it stands.
		case r.reason == "":
			d.invalid(e, "requires: missing reason for %q: say in one line why it is needed", r.ref.text)
		case strings.Contains(r.reason, "\n"):
			d.invalidAt(reasonLine, "requires: the reason for %q must be one line", r.ref.text)
		default:
			out = append(out, r)
		}
	}
	return out
}

func (d *yamlReader) topic(n *yaml.Node) {
	t := &topicDecl{}
	if d.mapping(n, "topic", fields{
		"ref":         func(k, v *yaml.Node) { t.ref = d.ref(k, v) },
		"aliases":     func(k, v *yaml.Node) { t.aliases = d.refs(k, v) },
		"description": func(k, v *yaml.Node) { t.description = d.text(k, v) },
		"uses":        func(k, v *yaml.Node) { t.uses = d.refs(k, v) },
		"concepts":    func(k, v *yaml.Node) { t.concepts = d.refs(k, v) },
	}) && d.requireRef(n, "topic", t.ref) {
		d.lf.topics = append(d.lf.topics, t)
	}
}

func (d *yamlReader) step(n *yaml.Node) {
	s := &stepDecl{file: d.lf.file}
	if !d.mapping(n, "study_order", fields{
		"step":   func(k, v *yaml.Node) { s.step = d.ref(k, v) },
		"topics": func(k, v *yaml.Node) { s.topics = d.refs(k, v) },
	}) {
		return
	}
	if s.step.text == "" {
		d.invalid(n, "study_order: entry has no step: (the step's name as the document writes it)")
		return
	}
	d.lf.studyOrder = append(d.lf.studyOrder, s)
}

func (d *yamlReader) path(n *yaml.Node) {
	p := &pathDecl{}
	if d.mapping(n, "path", fields{
		"ref":         func(k, v *yaml.Node) { p.ref = d.ref(k, v) },
		"aliases":     func(k, v *yaml.Node) { p.aliases = d.refs(k, v) },
		"description": func(k, v *yaml.Node) { p.description = d.text(k, v) },
		"topics":      func(k, v *yaml.Node) { p.topics = d.refs(k, v) },
		"concepts":    func(k, v *yaml.Node) { p.concepts = d.refs(k, v) },
		"crates":      func(k, v *yaml.Node) { p.crates = d.refs(k, v) },
		"challenges":  func(k, v *yaml.Node) { p.challenges = d.refs(k, v) },
	}) && d.requireRef(n, "path", p.ref) {
		d.lf.paths = append(d.lf.paths, p)
	}
}

func (d *yamlReader) challenge(n *yaml.Node) {
	c := &challengeDecl{}
	if d.mapping(n, "challenge", fields{
		"ref":       func(k, v *yaml.Node) { c.ref = d.ref(k, v) },
		"practices": func(k, v *yaml.Node) { c.practices = d.refs(k, v) },
		"uses":      func(k, v *yaml.Node) { c.uses = d.refs(k, v) },
	}) && d.requireRef(n, "challenge", c.ref) {
		d.lf.challenges = append(d.lf.challenges, c)
	}
}

func (d *yamlReader) competency(n *yaml.Node) {
	c := &competencyDecl{}
	if d.mapping(n, "competency", fields{
		"ref":      func(k, v *yaml.Node) { c.ref = d.ref(k, v) },
		"assesses": func(k, v *yaml.Node) { c.assesses = d.refs(k, v) },
	}) && d.requireRef(n, "competency", c.ref) {
		d.lf.competencies = append(d.lf.competencies, c)
	}
}

func (d *yamlReader) requireRef(n *yaml.Node, what string, r ref) bool {
	if r.text == "" {
		d.invalid(n, "%s: missing ref: (an id, a name or an alias)", what)
		return false
	}
	return true
}
