package loader

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"learngraph"
)

// CurricularAnalytics (CA) curriculum and degree-plan files (*.csv) load
// beside the Markdown documents.
//
// A CA file starts with a header block of Key,Value rows (Curriculum,
// Institution, Degree Type, System Type, CIP; degree plans add Degree
// Plan), then a row "Courses", a header row naming the columns (Course ID,
// Course Name, Prefix, Number, Prerequisites, Corequisites,
// Strict-Corequisites, Credit Hours, Institution, Canonical Name and, in
// degree plans, Term; in any order, case, spacing or hyphenation) and one
// row per course. "Additional Courses" sections are read the same way;
// CA's learning-outcome sections are skipped with a warning. Requisite
// cells list Course IDs separated by commas or semicolons. Cell text has
// its whitespace runs collapsed to one space.
//
// How a file maps to the graph:
//   - The file is a phase, numbered after the highest phase the Markdown
//     documents number or name (CA files in file-name order), named by its
//     Degree Plan, else its Curriculum; the other header values go into
//     the phase's overview.
//   - Each course is a taught concept of that phase. Its id is the slug of
//     "Prefix Number" when either is given, else of the Course Name, else
//     "course-" and the Course ID; when several courses of one file get the
//     same slug, each gets "--" and its Course ID appended. It answers to
//     its Course ID and to "PREFIX NUMBER" as aliases (a Course ID that
//     several CA files use is then an ambiguous ref). Its description
//     holds the prefix, number, credit hours and canonical name, in the
//     form courseDetails writes, so WriteCA can write them back.
//   - A course another file (Markdown or CA) already defines under the
//     same id is that concept, as one name is one concept across Markdown
//     documents: it keeps its first definition and gains the aliases.
//   - Prerequisites become REQUIRES links (course → prerequisite),
//     Corequisites COREQUIRES, Strict-Corequisites STRICTLY_COREQUIRES. A
//     link another file already states is not repeated.
//   - Each Term of a degree plan is a topic "Term N" of the plan's phase
//     whose study step is N; it covers the term's courses and FOLLOWS the
//     term before. The gap report's study-order check then flags a course
//     whose requisite the plan schedules in a later term.

// The CA sections that list courses (matched case-insensitively), and the
// CA sections this loader skips, lowercased: learning outcomes carry no
// courses or requisites.
var (
	caCourseSections  = []string{"Courses", "Additional Courses"}
	caSkippedSections = []string{"learning outcomes", "curriculum learning outcomes", "course learning outcomes"}
)

// The header-block keys, lowercased.
const (
	caKeyCurriculum  = "curriculum"
	caKeyDegreePlan  = "degree plan"
	caKeyInstitution = "institution"
	caKeyDegreeType  = "degree type"
	caKeySystemType  = "system type"
	caKeyCIP         = "cip"
)

var caHeaderKeys = []string{caKeyCurriculum, caKeyDegreePlan, caKeyInstitution, caKeyDegreeType, caKeySystemType, caKeyCIP}

// caColumn is a column of a course section, as CA names it.
type caColumn string

// The course columns, in the order CA writes them.
const (
	colID        caColumn = "Course ID"
	colName      caColumn = "Course Name"
	colPrefix    caColumn = "Prefix"
	colNumber    caColumn = "Number"
	colPrereqs   caColumn = "Prerequisites"
	colCoreqs    caColumn = "Corequisites"
	colStrict    caColumn = "Strict-Corequisites"
	colCredits   caColumn = "Credit Hours"
	colInstitute caColumn = "Institution"
	colCanonical caColumn = "Canonical Name"
	colTerm      caColumn = "Term"
)

var caColumns = []caColumn{colID, colName, colPrefix, colNumber, colPrereqs, colCoreqs, colStrict, colCredits, colInstitute, colCanonical, colTerm}

// caRequisiteColumns pairs each requisite column with the relationship it
// states.
var caRequisiteColumns = []struct {
	col caColumn
	rel learngraph.Rel
}{
	{colPrereqs, learngraph.Requires},
	{colCoreqs, learngraph.CoRequires},
	{colStrict, learngraph.StrictlyCoRequires},
}

// columnKey is how header names are matched: case, spaces, hyphens and
// underscores do not count ("Strict Corequisites", "course_id").
func columnKey(name string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '_' {
			return -1
		}
		return r
	}, strings.ToLower(name))
}

// caFile is what one CA file says, before ids are given.
type caFile struct {
	file       string
	curriculum string // the Curriculum value, or the file name when it has none
	plan       string // the Degree Plan value; empty for a curriculum
	nameLine   int    // line of the Curriculum (or Degree Plan) row
	header     map[string]string
	courses    []*caCourse
	number     int // phase number, given by numberCA

	problems []learngraph.Finding
	warnings []learngraph.Finding
	// broken is set when the file cannot be read as a CA file at all
	// (malformed CSV, no Courses section); the graph is then not built.
	broken bool
}

// caCourse is one course row.
type caCourse struct {
	line    int
	index   int    // running index among the file's courses (Position.Index)
	section string // "Courses" or "Additional Courses"
	id      string // the Course ID
	name    string
	details courseDetails
	term    int // 0 when the row names none
	// cells are the requisite cells as written, resolved into reqs once
	// every row is read.
	cells []caCell
	reqs  []caRequisite
	// skip marks a row that makes no concept: no name, or an id an
	// earlier row already uses. It is reported where it was read.
	skip bool
}

type caCell struct {
	col  caColumn
	rel  learngraph.Rel
	text string
	line int
}

// caRequisite is one resolved entry of a requisite cell.
type caRequisite struct {
	rel  learngraph.Rel
	to   *caCourse
	line int
}

func (c *caCourse) label() string { return fmt.Sprintf("course %s (%q)", c.id, c.name) }

// caRow is one CSV record with the line of each cell.
type caRow struct {
	cells []string
	lines []int
}

func (r caRow) line() int { return r.lines[0] }

// cell returns cell i with its whitespace runs collapsed, "" past the end.
func (r caRow) cell(i int) string {
	if i < 0 || i >= len(r.cells) {
		return ""
	}
	return clean(r.cells[i])
}

func (r caRow) cellLine(i int) int {
	if i < 0 || i >= len(r.lines) {
		return r.line()
	}
	return r.lines[i]
}

// blankFrom says whether every cell from i on is empty.
func (r caRow) blankFrom(i int) bool {
	for j := i; j < len(r.cells); j++ {
		if r.cell(j) != "" {
			return false
		}
	}
	return true
}

func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

func (cf *caFile) problem(kind learngraph.FindingKind, line int, subjects []string, format string, args ...any) {
	cf.problems = append(cf.problems, learngraph.Finding{
		Kind: kind, Severity: learngraph.SeverityError, Message: fmt.Sprintf(format, args...),
		Subjects: subjects, Source: src(cf.file, line),
	})
}

func (cf *caFile) warn(kind learngraph.FindingKind, line int, format string, args ...any) {
	cf.warnings = append(cf.warnings, learngraph.Finding{
		Kind: kind, Severity: learngraph.SeverityWarning, Message: fmt.Sprintf(format, args...),
		Source: src(cf.file, line),
	})
}

// readCA parses a CA file. Problems and warnings are collected in cf, all
// of them, with the line (and column name) they concern; what could be
// read is kept.
func readCA(file string, text []byte) *caFile {
	cf := &caFile{file: file, header: map[string]string{}}
	rows, err := caRows(text)
	if err != nil {
		line, msg := 1, err.Error()
		if pe, ok := errors.AsType[*csv.ParseError](err); ok {
			// The record's first line: where an unclosed quote opens.
			line, msg = pe.StartLine, fmt.Sprintf("%v (column %d)", pe.Err, pe.Column)
			if pe.Line != pe.StartLine {
				msg = fmt.Sprintf("%v in the row starting here (noticed at line %d, column %d)", pe.Err, pe.Line, pe.Column)
			}
		}
		cf.problem(learngraph.InvalidDocument, line, nil, "malformed CSV: %s", msg)
		cf.broken = true
		return cf
	}
	r := caReader{cf: cf, byID: map[string]*caCourse{}}
	for _, row := range rows {
		r.row(row)
	}
	if !r.sawCourses {
		cf.problem(learngraph.InvalidDocument, 1, nil,
			"no %q section: a CurricularAnalytics CSV lists its courses after a row %q and a header row naming the columns (%s, %s, …)",
			caCourseSections[0], caCourseSections[0], colID, colName)
		cf.broken = true
		return cf
	}
	r.endSection()
	r.finishHeader()
	r.resolveRequisites()
	return cf
}

// caRows reads every record of text with the line of each cell. Rows of
// any length are accepted (CA writes trailing commas); quotes must be
// well formed.
func caRows(text []byte) ([]caRow, error) {
	cr := csv.NewReader(bytes.NewReader(text))
	cr.FieldsPerRecord = -1
	var rows []caRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		row := caRow{cells: rec, lines: make([]int, len(rec))}
		for i := range rec {
			row.lines[i], _ = cr.FieldPos(i)
		}
		rows = append(rows, row)
	}
}

// caReader walks the rows of one file: the header block, then sections.
type caReader struct {
	cf         *caFile
	headerLine map[string]int // key → line of its row, for duplicates
	sawCourses bool

	// The current section: its title and line, and its columns once its
	// header row is read (nil before; an empty map when the header row
	// was unusable, so the section's rows are skipped).
	section        string
	sectionLine    int
	columns        map[caColumn]int
	sectionCourses int
	skipping       bool // inside a section this loader does not read

	byID map[string]*caCourse
}

func (r *caReader) row(row caRow) {
	if row.blankFrom(0) {
		return
	}
	first := row.cell(0)
	if row.blankFrom(1) {
		if i := slices.IndexFunc(caCourseSections, func(s string) bool { return strings.EqualFold(s, first) }); i >= 0 {
			r.startSection(caCourseSections[i], row.line())
			return
		}
		if slices.Contains(caSkippedSections, strings.ToLower(first)) {
			r.cf.warn(learngraph.UnrecognizedContent, row.line(), "section %q is not read: its rows are skipped", first)
			r.endSection()
			r.section, r.skipping = "", true
			return
		}
	}
	switch {
	case r.skipping:
	case !r.sawCourses:
		r.headerRow(row)
	case r.columns == nil:
		r.columnsRow(row)
	case len(r.columns) > 0:
		r.courseRow(row)
	}
}

func (r *caReader) startSection(title string, line int) {
	r.endSection()
	r.sawCourses, r.skipping = true, false
	r.section, r.sectionLine, r.columns, r.sectionCourses = title, line, nil, 0
}

// endSection warns about a course section that lists no courses.
func (r *caReader) endSection() {
	switch {
	case r.section == "":
	case r.columns == nil:
		r.cf.warn(learngraph.UnrecognizedContent, r.sectionLine, "section %q has no header row and lists no courses", r.section)
	case len(r.columns) > 0 && r.sectionCourses == 0:
		r.cf.warn(learngraph.UnrecognizedContent, r.sectionLine, "section %q lists no courses", r.section)
	}
}

// headerRow reads one Key,Value row of the header block.
func (r *caReader) headerRow(row caRow) {
	cf := r.cf
	key, value := row.cell(0), row.cell(1)
	if key == "" {
		cf.warn(learngraph.UnrecognizedContent, row.line(), "header row without a key in its first cell is ignored")
		return
	}
	lower := strings.ToLower(key)
	if !slices.Contains(caHeaderKeys, lower) {
		cf.warn(learngraph.UnrecognizedContent, row.line(),
			"unknown header row %q is ignored; the header block holds Curriculum, Degree Plan, Institution, Degree Type, System Type and CIP, then a row %q",
			key, caCourseSections[0])
		return
	}
	if r.headerLine == nil {
		r.headerLine = map[string]int{}
	}
	if first, dup := r.headerLine[lower]; dup {
		cf.problem(learngraph.DuplicateDefinition, row.line(), nil, "header row %q is given twice (first at line %d); remove one", key, first)
		return
	}
	r.headerLine[lower] = row.line()
	if !row.blankFrom(2) {
		cf.warn(learngraph.UnrecognizedContent, row.line(), "header row %q has cells after its value; they are ignored", key)
	}
	cf.header[lower] = value
}

// finishHeader names the file's curriculum once the header block is read.
func (r *caReader) finishHeader() {
	cf := r.cf
	cf.curriculum, cf.plan = cf.header[caKeyCurriculum], cf.header[caKeyDegreePlan]
	cf.nameLine = r.headerLine[caKeyCurriculum]
	if cf.plan != "" {
		cf.nameLine = r.headerLine[caKeyDegreePlan]
	}
	if cf.curriculum == "" {
		cf.curriculum = strings.TrimSuffix(path.Base(cf.file), path.Ext(cf.file))
		line := r.headerLine[caKeyCurriculum]
		if line == 0 {
			line = 1
		}
		cf.warn(learngraph.UnrecognizedContent, line, "no Curriculum name in the header block; the curriculum is named %q after its file", cf.curriculum)
	}
}

// columnsRow reads the header row of a course section.
func (r *caReader) columnsRow(row caRow) {
	cf := r.cf
	r.columns = map[caColumn]int{}
	var unknown []string
	for i := range row.cells {
		name := row.cell(i)
		if name == "" {
			continue
		}
		j := slices.IndexFunc(caColumns, func(c caColumn) bool { return columnKey(string(c)) == columnKey(name) })
		if j < 0 {
			unknown = append(unknown, strconv.Quote(name))
			continue
		}
		col := caColumns[j]
		if first, dup := r.columns[col]; dup {
			cf.problem(learngraph.DuplicateDefinition, row.line(), nil, "column %q is named twice (columns %d and %d)", col, first+1, i+1)
			continue
		}
		r.columns[col] = i
	}
	if len(unknown) > 0 {
		cf.warn(learngraph.UnrecognizedContent, row.line(), "column %s not read", strings.Join(unknown, ", "))
	}
	var missing []string
	for _, col := range []caColumn{colID, colName} {
		if _, ok := r.columns[col]; !ok {
			missing = append(missing, strconv.Quote(string(col)))
		}
	}
	if len(missing) > 0 {
		cf.problem(learngraph.InvalidDocument, row.line(), nil,
			"the header row of section %q (line %d) has no column %s; the section's courses cannot be read",
			r.section, r.sectionLine, strings.Join(missing, " or "))
		r.columns = map[caColumn]int{} // skip the section's rows
	}
}

// get returns the cell of col in row, and its line.
func (r *caReader) get(row caRow, col caColumn) (string, int) {
	i, ok := r.columns[col]
	if !ok {
		return "", row.line()
	}
	return row.cell(i), row.cellLine(i)
}

var (
	creditsPattern = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
	termPattern    = regexp.MustCompile(`^[0-9]+$`)
)

// courseRow reads one course.
func (r *caReader) courseRow(row caRow) {
	cf := r.cf
	r.sectionCourses++
	c := &caCourse{line: row.line(), index: len(cf.courses), section: r.section}
	c.id, _ = r.get(row, colID)
	c.name, _ = r.get(row, colName)
	c.details.prefix, _ = r.get(row, colPrefix)
	c.details.number, _ = r.get(row, colNumber)
	c.details.canonical, _ = r.get(row, colCanonical)
	r.extraCells(row)
	switch {
	case c.id == "" && c.name == "":
		cf.problem(learngraph.InvalidDocument, c.line, nil, "course row without %s and %s", colID, colName)
		return
	case c.id == "":
		cf.problem(learngraph.InvalidDocument, c.line, nil, "course %q has no %s", c.name, colID)
		return
	}
	if first := r.byID[c.id]; first != nil {
		cf.problem(learngraph.DuplicateDefinition, c.line, nil, "%s %s is used twice (first at line %d by %q); give each course its own id",
			colID, c.id, first.line, first.name)
		return
	}
	r.byID[c.id] = c
	cf.courses = append(cf.courses, c)
	if c.name == "" {
		cf.problem(learngraph.InvalidDocument, c.line, nil, "course %s has no %s", c.id, colName)
		c.skip = true
	}
	if text, line := r.get(row, colCredits); text != "" {
		credits, err := strconv.ParseFloat(text, 64)
		if !creditsPattern.MatchString(text) || err != nil {
			cf.problem(learngraph.InvalidDocument, line, nil, "%s %q of course %s is not a number", colCredits, text, c.id)
		} else {
			c.details.credits, c.details.hasCredits = credits, true
		}
	}
	if text, line := r.get(row, colTerm); text != "" {
		term, err := strconv.Atoi(text)
		if !termPattern.MatchString(text) || err != nil || term < 1 {
			cf.problem(learngraph.InvalidDocument, line, nil, "%s %q of course %s is not a term number (1, 2, …)", colTerm, text, c.id)
		} else {
			c.term = term
		}
	}
	for _, rc := range caRequisiteColumns {
		if i, ok := r.columns[rc.col]; ok && row.cell(i) != "" {
			c.cells = append(c.cells, caCell{col: rc.col, rel: rc.rel, text: row.cells[i], line: row.cellLine(i)})
		}
	}
}

// extraCells warns about text in cells that no read column covers.
func (r *caReader) extraCells(row caRow) {
	read := map[int]bool{}
	for _, i := range r.columns {
		read[i] = true
	}
	for i := range row.cells {
		if !read[i] && row.cell(i) != "" {
			r.cf.warn(learngraph.UnrecognizedContent, row.cellLine(i), "cell %d (%q) is under no column this loader reads; it is ignored", i+1, row.cell(i))
		}
	}
}

// splitIDs splits a requisite cell: Course IDs separated by commas (CA's
// fixtures) or semicolons (CA's format notes).
func splitIDs(s string) []string {
	var ids []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
		if id := clean(part); id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

// resolveRequisites turns requisite cells into links between courses of
// the file, once every Course ID is known (a row may name a later row).
func (r *caReader) resolveRequisites() {
	cf := r.cf
	for _, c := range cf.courses {
		if c.skip {
			continue
		}
		for _, cell := range c.cells {
			seen := map[string]bool{}
			for _, id := range splitIDs(cell.text) {
				if seen[id] {
					cf.warn(learngraph.DuplicateDefinition, cell.line, "%s of %s lists course %s twice; the repeat is ignored", cell.col, c.label(), id)
					continue
				}
				seen[id] = true
				to := r.byID[id]
				switch {
				case id == c.id:
					cf.problem(learngraph.Cycle, cell.line, []string{c.id}, "%s lists itself in %s; a course cannot be its own requisite", c.label(), cell.col)
				case to == nil:
					cf.problem(learngraph.DanglingReference, cell.line, nil, "%s of %s names course %s, which no row of this file defines (%s)",
						cell.col, c.label(), id, knownIDs(cf.courses))
				case !to.skip:
					c.reqs = append(c.reqs, caRequisite{rel: cell.rel, to: to, line: cell.line})
				}
			}
		}
	}
}

// knownIDs names the Course IDs a requisite may use, for a dangling one.
func knownIDs(courses []*caCourse) string {
	const most = 10
	ids := make([]string, 0, most)
	for _, c := range courses {
		if len(ids) == most {
			return "the ids are " + strings.Join(ids, ", ") + ", …"
		}
		ids = append(ids, c.id)
	}
	if len(ids) == 0 {
		return "the file defines no course"
	}
	return "the ids are " + strings.Join(ids, ", ")
}

// phaseName is the name of the phase the file becomes.
func (cf *caFile) phaseName() string {
	if cf.plan != "" {
		return cf.plan
	}
	return cf.curriculum
}

// overview says in prose what the header block says.
func (cf *caFile) overview() string {
	var b strings.Builder
	fmt.Fprintf(&b, "CurricularAnalytics curriculum %q", cf.curriculum)
	if cf.plan != "" {
		fmt.Fprintf(&b, ", degree plan %q", cf.plan)
	}
	var parts []string
	for _, kv := range []struct{ key, format string }{
		{caKeyInstitution, "institution %s"},
		{caKeyDegreeType, "degree type %s"},
		{caKeySystemType, "%s system"},
		{caKeyCIP, "CIP %s"},
	} {
		if v := cf.header[kv.key]; v != "" {
			parts = append(parts, fmt.Sprintf(kv.format, v))
		}
	}
	if len(parts) > 0 {
		b.WriteString(": " + strings.Join(parts, ", "))
	}
	b.WriteString(".")
	return b.String()
}

// numberCA gives each CA file the phase number after the highest phase the
// Markdown documents number or name, in file-name order.
func numberCA(docs []*document, cas []*caFile) {
	highest := 0
	for _, d := range docs {
		highest = max(highest, d.number)
		for _, p := range d.prerequisites {
			for _, np := range p.phases {
				highest = max(highest, np.number)
			}
		}
	}
	for i, cf := range cas {
		cf.number = highest + 1 + i
	}
}

// courseDetails are what a course row says about a course beyond its name
// and requisites. They become the concept's description, in the form
// String writes, and WriteCA reads them back from there
// (parseCourseDetails), so a curriculum read from CA and written back
// keeps its prefixes, numbers and credit hours.
type courseDetails struct {
	prefix, number string
	credits        float64
	hasCredits     bool
	canonical      string
}

// String is "MATH 1110, 4 credit hours, canonical name "Calculus I"",
// leaving out what is not known.
func (d courseDetails) String() string {
	var parts []string
	if code := d.code(); code != "" {
		parts = append(parts, code)
	}
	if d.hasCredits {
		unit := "credit hours"
		if d.credits == 1 {
			unit = "credit hour"
		}
		parts = append(parts, strconv.FormatFloat(d.credits, 'f', -1, 64)+" "+unit)
	}
	if d.canonical != "" {
		parts = append(parts, "canonical name "+strconv.Quote(d.canonical))
	}
	return strings.Join(parts, ", ")
}

// code is "PREFIX NUMBER", the course's alias.
func (d courseDetails) code() string { return strings.TrimSpace(d.prefix + " " + d.number) }

var creditsText = regexp.MustCompile(`^([0-9]+(?:\.[0-9]+)?) credit hours?$`)

// parseCourseDetails reads back what String wrote. It accepts only text
// that String writes exactly, so a description a links file rewrote is
// not mistaken for course details. The code splits at its first space: a
// prefix with spaces comes back partly in the number, which gives the
// same concept id.
func parseCourseDetails(s string) (courseDetails, bool) {
	var d courseDetails
	rest := s
	if i := strings.Index(rest, `canonical name "`); i >= 0 {
		canonical, err := strconv.Unquote(rest[i+len("canonical name "):])
		if err != nil {
			return courseDetails{}, false
		}
		d.canonical, rest = canonical, strings.TrimSuffix(rest[:i], ", ")
	}
	code, last := "", rest
	if i := strings.LastIndex(rest, ", "); i >= 0 {
		code, last = rest[:i], rest[i+len(", "):]
	}
	if m := creditsText.FindStringSubmatch(last); m != nil {
		credits, err := strconv.ParseFloat(m[1], 64)
		if err != nil {
			return courseDetails{}, false
		}
		d.credits, d.hasCredits = credits, true
	} else {
		code = rest
	}
	d.prefix, d.number, _ = strings.Cut(code, " ")
	if d.String() != s {
		return courseDetails{}, false
	}
	return d, true
}
