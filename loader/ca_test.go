package loader_test

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"learngraph"
)

// caHeader is the header block and column row the small CA test files
// share; their courses start on line 8.
const caHeader = `Curriculum,Test
Institution,ACME
Degree Type,BS
System Type,semester
CIP,11.0701
Courses
Course ID,Course Name,Prefix,Number,Prerequisites,Corequisites,Strict-Corequisites,Credit Hours,Institution,Canonical Name,
`

// requisite is one requisite link as the tests state it.
type requisite struct {
	rel      learngraph.Rel
	from, to string
	line     int
}

// requisites returns g's requisite links between concepts, in link order.
func requisites(g *learngraph.Graph) []requisite {
	var out []requisite
	for _, l := range g.Links {
		switch l.Rel {
		case learngraph.Requires, learngraph.CoRequires, learngraph.StrictlyCoRequires:
			out = append(out, requisite{l.Rel, l.From.ID, l.To.ID, l.Line})
		}
	}
	return out
}

const (
	pre    = learngraph.Requires
	co     = learngraph.CoRequires
	strict = learngraph.StrictlyCoRequires
)

// TestLoadCAFixtures loads CA's two published test curricula, each a
// directory holding one CSV file and nothing else.
func TestLoadCAFixtures(t *testing.T) {
	for _, tc := range []struct {
		dir   string
		name  string
		ids   []string
		links []requisite
	}{
		{
			dir: "seven", name: "Seven-Course Test Curriculum",
			ids: []string{"a", "b", "c", "d", "e", "f", "g"},
			links: []requisite{
				{co, "b", "a", 9},
				{pre, "c", "a", 10},
				{pre, "d", "b", 11},
				{co, "d", "c", 11},
				{pre, "e", "c", 12},
				{pre, "f", "d", 13},
				{pre, "f", "g", 13},
				{co, "g", "d", 14},
			},
		},
		{
			dir: "eight", name: "Eight-Course Test Curriculum",
			ids: []string{"a", "b", "c", "d", "e", "f", "g", "h"},
			links: []requisite{
				{pre, "c", "a", 10},
				{pre, "c", "b", 10},
				{co, "c", "d", 10},
				{pre, "e", "c", 12},
				{pre, "f", "d", 13},
			},
		},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			g := mustLoad(t, os.DirFS("testdata/ca/"+tc.dir))
			if got := ids(g.Concepts); !slices.Equal(got, tc.ids) {
				t.Errorf("concepts %q, want %q", got, tc.ids)
			}
			if got := requisites(g); !slices.Equal(got, tc.links) {
				t.Errorf("requisites\n%v\nwant\n%v", got, tc.links)
			}
			if len(g.Phases) != 1 || g.Phases[0].ID != "phase-1" || g.Phases[0].Name != tc.name {
				t.Errorf("phases %v, want phase-1 named %q", g.Phases, tc.name)
			}
			if !slices.Equal(g.Documents, []string{"curriculum.csv"}) {
				t.Errorf("documents %q", g.Documents)
			}
			for i, c := range g.Concepts {
				caID := string(rune('1' + i))
				if c.Name != strings.ToUpper(c.ID) || !c.Taught || c.Phase != "phase-1" || c.Description != "3 credit hours" ||
					!slices.Equal(c.Aliases, []string{caID}) || c.File != "curriculum.csv" || c.Line != 8+i {
					t.Errorf("concept %+v", c)
				}
			}
			for _, l := range g.Links {
				if want := map[learngraph.Rel]string{pre: "CA prerequisite", co: "CA co-requisite"}[l.Rel]; l.Reason != want {
					t.Errorf("%s %s → %s reason %q, want %q", l.Rel, l.From.ID, l.To.ID, l.Reason, want)
				}
			}
			if len(g.Warnings) != 0 {
				t.Errorf("warnings: %v", g.Warnings)
			}
		})
	}
}

func TestLoadCADegreePlan(t *testing.T) {
	g := mustLoad(t, os.DirFS("testdata/ca/plan"))
	if len(g.Warnings) != 0 {
		t.Errorf("warnings: %v", g.Warnings)
	}
	p := byID(t, g.Phases, "phase-1")
	if p.Name != "Four-Term Plan" || p.Line != 2 ||
		p.Overview != `CurricularAnalytics curriculum "Underwater Basket Weaving", degree plan "Four-Term Plan": institution ACME State University, degree type BS, semester system, CIP 50.0712.` {
		t.Errorf("phase %+v", p)
	}
	for _, tc := range []struct {
		id, name, desc, topic, section string
		aliases                        []string
		line                           int
	}{
		{"bw-101", "Introduction to Baskets", `BW 101, 3 credit hours, canonical name "Baskets I"`, "term-1", "Courses", []string{"1", "BW 101"}, 9},
		{"pe-115", "Swimming", `PE 115, 3 credit hours, canonical name "Physical Education"`, "term-1", "Courses", []string{"2", "PE 115"}, 10},
		{"bw-111", "Basic Basket Forms", "BW 111, 3 credit hours", "term-2", "Courses", []string{"3", "BW 111"}, 11},
		{"bw-111l", "Basic Basket Forms Lab", "BW 111L, 1 credit hour", "term-2", "Courses", []string{"4", "BW 111L"}, 12},
		{"bw-110", "Basic Underwater Basketweaving", `BW 110, 3 credit hours, canonical name "Baskets II"`, "term-3", "Courses", []string{"5", "BW 110"}, 13},
		{"bw-201", "Advanced Underwater Basketweaving", `BW 201, 3 credit hours, canonical name "Baskets III"`, "term-4", "Courses", []string{"6", "BW 201"}, 14},
		{"bw-290", "Basket Design Seminar", "BW 290, 1.5 credit hours", "term-4", "Additional Courses", []string{"7", "BW 290"}, 17},
	} {
		c := byID(t, g.Concepts, tc.id)
		if c.Name != tc.name || c.Description != tc.desc || c.Topic != tc.topic || c.Section != tc.section ||
			!slices.Equal(c.Aliases, tc.aliases) || c.Line != tc.line || c.Phase != "phase-1" || !c.Taught {
			t.Errorf("concept %+v\nwant %+v", c, tc)
		}
		if _, ok := findLink(g, learngraph.Covers, topic(tc.topic), concept(tc.id)); !ok {
			t.Errorf("no COVERS %s → %s", tc.topic, tc.id)
		}
	}
	if got := ids(g.Concepts); len(got) != 7 {
		t.Errorf("concepts %q, want 7", got)
	}
	wantLinks := []requisite{
		{pre, "bw-111", "bw-101", 11},
		{strict, "bw-111l", "bw-111", 12},
		{pre, "bw-110", "bw-101", 13},
		{pre, "bw-110", "bw-111", 13},
		{co, "bw-110", "pe-115", 13},
		{pre, "bw-201", "bw-110", 14},
		{pre, "bw-290", "bw-201", 17},
	}
	if got := requisites(g); !slices.Equal(got, wantLinks) {
		t.Errorf("requisites\n%v\nwant\n%v", got, wantLinks)
	}
	if got := ids(g.Topics); !slices.Equal(got, []string{"term-1", "term-2", "term-3", "term-4"}) {
		t.Errorf("topics %q", got)
	}
	for i, tp := range g.Topics {
		if tp.StudyStep != i+1 || tp.Name != "Term "+string(rune('1'+i)) || tp.Phase != "phase-1" || tp.Group != "Four-Term Plan" {
			t.Errorf("topic %+v", tp)
		}
		if _, ok := findLink(g, learngraph.PartOf, topic(tp.ID), phase("phase-1")); !ok {
			t.Errorf("no PART_OF %s → phase-1", tp.ID)
		}
		if i > 0 {
			if _, ok := findLink(g, learngraph.Follows, topic(tp.ID), topic(g.Topics[i-1].ID)); !ok {
				t.Errorf("no FOLLOWS %s → %s", tp.ID, g.Topics[i-1].ID)
			}
		}
	}
	// Refs resolve by Course ID, by "PREFIX NUMBER" and by name.
	res := learngraph.IndexGraph(g)
	for ref, want := range map[string]string{"5": "bw-110", "bw 111l": "bw-111l", "Swimming": "pe-115"} {
		if n, err := res.Resolve(ref); err != nil || n.ID != want {
			t.Errorf("Resolve(%q) = %v, %v; want %s", ref, n, err, want)
		}
	}
}

// TestLoadCAStudyOrder: a degree plan that schedules a requisite in a
// later term is flagged by the gap report's study-order check.
func TestLoadCAStudyOrder(t *testing.T) {
	g := mustLoad(t, files("plan.csv", caPlanHeader+
		"1,Calculus I,MATH,1110,,,,4,,,2,\n"+
		"2,Calculus II,MATH,1120,1,,,4,,,1,\n"))
	c, err := learngraph.Analyze(g)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range c.Findings {
		if f.Kind == learngraph.StudyOrderViolation {
			got = append(got, f.String())
		}
	}
	want := []string{`plan.csv:6: WARNING STUDY_ORDER_VIOLATION: "Calculus II" (Term 1, study step 1) requires "Calculus I", which the Recommended Study Order teaches later (Term 2, step 2); reorder the steps or drop the edge`}
	if !slices.Equal(got, want) {
		t.Errorf("study-order findings\n%q\nwant\n%q", got, want)
	}
}

const caPlanHeader = `Curriculum,Test
Degree Plan,Plan
Courses
Course ID,Course Name,Prefix,Number,Prerequisites,Corequisites,Strict-Corequisites,Credit Hours,Institution,Canonical Name,Term,
`

// TestLoadCAColumns: columns are found by name, in any order, case and
// hyphenation; requisite lists take commas or semicolons and spaces.
func TestLoadCAColumns(t *testing.T) {
	g := mustLoad(t, files("x.csv", "curriculum,Shuffled\ncourses\n"+
		"credit hours,STRICT COREQUISITES,course name,course_id,prerequisites,Corequisites\n"+
		"3,,Alpha,10,,\n"+
		"3,,Beta,20,,\n"+
		"4,\" 10 ; 20 \",Gamma,30,\"10, 20\",\n"))
	want := []requisite{
		{pre, "gamma", "alpha", 6}, {pre, "gamma", "beta", 6},
		{strict, "gamma", "alpha", 6}, {strict, "gamma", "beta", 6},
	}
	if got := requisites(g); !slices.Equal(got, want) {
		t.Errorf("requisites\n%v\nwant\n%v", got, want)
	}
	if c := byID(t, g.Concepts, "gamma"); c.Description != "4 credit hours" || !slices.Equal(c.Aliases, []string{"30"}) {
		t.Errorf("gamma %+v", c)
	}
}

// TestLoadCAIDs: a course's id comes from Prefix and Number, else its
// name, else its Course ID; courses of one file that would share an id
// each get their Course ID appended.
func TestLoadCAIDs(t *testing.T) {
	g := mustLoad(t, files("x.csv", caHeader+
		"1,Calculus I,MATH,1110,,,,4,,,\n"+
		"2,Seminar,,,,,,1,,,\n"+
		"3,Seminar,,,,,,1,,,\n"+
		"4,???,,,,,,1,,,\n"+
		"5,Lab,,201L,,,,1,,,\n"))
	if got, want := ids(g.Concepts), []string{"math-1110", "seminar--2", "seminar--3", "course-4", "201l"}; !slices.Equal(got, want) {
		t.Errorf("ids %q, want %q", got, want)
	}
}

// TestLoadCAWithMarkdown: CA files load beside Markdown documents and a
// links file, as phases after the documents'; a course a document already
// teaches is that concept; links files refer to courses like to any
// concept.
func TestLoadCAWithMarkdown(t *testing.T) {
	g := mustLoad(t, files(
		"a.md", smallDoc,
		"b.csv", caHeader+
			"1,Calculus I,MATH,1110,,,,4,,,\n"+
			"2,Generics,,,1,,,3,,,\n",
		"c.csv", caHeader+
			"1,Calculus I,MATH,1110,,,,4,,,\n"+
			"2,Calculus II,MATH,1120,1,,,4,,,\n",
		"links.yaml", "version: 1\nconcepts:\n  - ref: Associated Types\n    requires:\n      - ref: math 1120\n        reason: Integrals first.\n",
	))
	if want := []string{"a.md", "b.csv", "c.csv", "links.yaml"}; !slices.Equal(g.Documents, want) {
		t.Errorf("documents %q, want %q", g.Documents, want)
	}
	if got, want := ids(g.Phases), []string{"phase-1", "phase-2", "phase-3"}; !slices.Equal(got, want) {
		t.Errorf("phases %q, want %q", got, want)
	}
	generics := byID(t, g.Concepts, "generics")
	if generics.Phase != "phase-1" || generics.File != "a.md" || generics.Description != "type parameters" || !slices.Equal(generics.Aliases, []string{"2"}) {
		t.Errorf("generics %+v", generics)
	}
	calculus := byID(t, g.Concepts, "math-1110")
	if calculus.Phase != "phase-2" || calculus.File != "b.csv" || calculus.Pos != (learngraph.Position{Phase: 2, File: 1, Index: 0}) ||
		!slices.Equal(calculus.Aliases, []string{"1", "MATH 1110"}) {
		t.Errorf("math-1110 %+v", calculus)
	}
	want := []requisite{
		{pre, "generics", "math-1110", 9},
		{pre, "math-1120", "math-1110", 9},
		{pre, "associated-types", "math-1120", 5},
	}
	if got := requisites(g); !slices.Equal(got, want) {
		t.Errorf("requisites\n%v\nwant\n%v", got, want)
	}
	// The same prerequisite in two files is one link, stated once, and no
	// warning; a Course ID two files use names two concepts.
	if len(g.Warnings) != 0 {
		t.Errorf("warnings: %v", g.Warnings)
	}
	_, err := learngraph.IndexGraph(g).Resolve("2")
	if learngraph.ErrorCode(err) != learngraph.EAMBIGUOUS {
		t.Errorf("Resolve(2) error %v, want AMBIGUOUS", err)
	}
}

func TestLoadCAVersion(t *testing.T) {
	seven := readFile(t, "testdata/ca/seven/curriculum.csv")
	v1 := mustLoad(t, fstest.MapFS{"c.csv": {Data: seven}}).Version
	v2 := mustLoad(t, fstest.MapFS{"c.csv": {Data: seven}}).Version
	changed := bytes.Replace(seven, []byte("Seven-Course"), []byte("Seven Course"), 1)
	v3 := mustLoad(t, fstest.MapFS{"c.csv": {Data: changed}}).Version
	if v1 != v2 || v1 == v3 {
		t.Errorf("versions %s %s %s: want the first two equal, the third different", v1, v2, v3)
	}
}

// TestLoadCAProblems states the exact text of each problem, with file and
// line, and that all of a file's problems come back together.
func TestLoadCAProblems(t *testing.T) {
	for _, tc := range []struct {
		name string
		fsys fstest.MapFS
		want []string
	}{
		{
			name: "EmptyFile",
			fsys: files("a.csv", "\n  \n"),
			want: []string{`a.csv: ERROR INVALID_DOCUMENT: empty file: a CurricularAnalytics CSV needs at least a "Courses" row and a header row`},
		},
		{
			name: "NoCoursesSection",
			fsys: files("a.csv", "Curriculum,Test\nInstitution,ACME\n"),
			want: []string{`a.csv:1: ERROR INVALID_DOCUMENT: no "Courses" section: a CurricularAnalytics CSV lists its courses after a row "Courses" and a header row naming the columns (Course ID, Course Name, …)`},
		},
		{
			name: "MalformedCSV",
			fsys: files("a.csv", caHeader+"1,A,,,,,,3,,,\n2,B \"quoted\",,,,,,3,,,\n"),
			want: []string{`a.csv:9: ERROR INVALID_DOCUMENT: malformed CSV: bare " in non-quoted-field (column 5)`},
		},
		{
			name: "UnclosedQuote",
			fsys: files("a.csv", caHeader+"1,A,,,\"1,,,3,,,\n2,B,,,,,,3,,,\n"),
			want: []string{`a.csv:8: ERROR INVALID_DOCUMENT: malformed CSV: extraneous or missing " in quoted-field in the row starting here (noticed at line 9, column 15)`},
		},
		{
			name: "Rows",
			fsys: files("a.csv", caHeader+
				"1,Calculus I,MATH,1110,,,,four,,,\n"+ // 8
				"2,Calculus II,MATH,1120,\"1,9\",,,4,,,\n"+ // 9
				"2,Calculus III,MATH,2110,,,,4,,,\n"+ // 10
				",Physics,,,,,,4,,,\n"+ // 11
				"4,,,,,,,4,,,\n"+ // 12
				"5,Linear Algebra,MATH,2210,1;5,,,4,,,\n"+ // 13
				"6,Topology,MATH,4410,4,,,-1,,,\n"+ // 14
				",,,,,,,3,,,\n"), // 15
			want: []string{
				`a.csv:8: ERROR INVALID_DOCUMENT: Credit Hours "four" of course 1 is not a number`,
				`a.csv:9: ERROR DANGLING_REFERENCE: Prerequisites of course 2 ("Calculus II") names course 9, which no row of this file defines (the ids are 1, 2, 4, 5, 6)`,
				`a.csv:10: ERROR DUPLICATE_DEFINITION: Course ID 2 is used twice (first at line 9 by "Calculus II"); give each course its own id`,
				`a.csv:11: ERROR INVALID_DOCUMENT: course "Physics" has no Course ID`,
				`a.csv:12: ERROR INVALID_DOCUMENT: course 4 has no Course Name`,
				`a.csv:13: ERROR CYCLE: course 5 ("Linear Algebra") lists itself in Prerequisites; a course cannot be its own requisite`,
				`a.csv:14: ERROR INVALID_DOCUMENT: Credit Hours "-1" of course 6 is not a number`,
				`a.csv:15: ERROR INVALID_DOCUMENT: course row without Course ID and Course Name`,
			},
		},
		{
			name: "Terms",
			fsys: files("a.csv", caPlanHeader+
				"1,A,,,,,,3,,,first,\n"+ // 5
				"2,B,,,,,,3,,,0,\n"+ // 6
				"3,C,,,,,,3,,,99999999999999999999,\n"), // 7
			want: []string{
				`a.csv:5: ERROR INVALID_DOCUMENT: Term "first" of course 1 is not a term number (1, 2, …)`,
				`a.csv:6: ERROR INVALID_DOCUMENT: Term "0" of course 2 is not a term number (1, 2, …)`,
				`a.csv:7: ERROR INVALID_DOCUMENT: Term "99999999999999999999" of course 3 is not a term number (1, 2, …)`,
			},
		},
		{
			name: "MultilineCell",
			// A quoted cell over two lines: the error names the line the
			// requisite cell starts on.
			fsys: files("a.csv", caHeader+"1,\"Calculus\nI\",,,,,,4,,,\n2,B,,,7,,,3,,,\n"),
			want: []string{`a.csv:10: ERROR DANGLING_REFERENCE: Prerequisites of course 2 ("B") names course 7, which no row of this file defines (the ids are 1, 2)`},
		},
		{
			name: "MissingColumns",
			fsys: files("a.csv", "Curriculum,Test\nCourses\nCourse ID,Title,Prerequisites\n1,A,\n"),
			want: []string{`a.csv:3: ERROR INVALID_DOCUMENT: the header row of section "Courses" (line 2) has no column "Course Name"; the section's courses cannot be read`},
		},
		{
			name: "DuplicateColumnAndHeaderKey",
			fsys: files("a.csv", "Curriculum,Test\ncurriculum,Again\nCourses\nCourse ID,Course Name,course id\n1,A,1\n"),
			want: []string{
				`a.csv:2: ERROR DUPLICATE_DEFINITION: header row "curriculum" is given twice (first at line 1); remove one`,
				`a.csv:4: ERROR DUPLICATE_DEFINITION: column "Course ID" is named twice (columns 1 and 3)`,
			},
		},
		{
			name: "SameIDTwiceAfterSlug",
			fsys: files("a.csv", caHeader+"1.0,Seminar,,,,,,1,,,\n1-0,Seminar,,,,,,1,,,\n"),
			want: []string{`a.csv:9: ERROR DUPLICATE_DEFINITION: course 1-0 ("Seminar") and course 1.0 ("Seminar") (line 8) make the same concept id "seminar--1-0"; give one of them another Course ID`},
		},
		{
			name: "LinksFileRefersToCourse",
			fsys: files("a.csv", caHeader+"1,Calculus I,MATH,1110,,,,4,,,\n2,Calculus II,MATH,1120,1,,,4,,,\n",
				"links.yaml", "version: 1\nconcepts:\n  - ref: Calculus II\n    requires:\n      - ref: Calculus 1\n        reason: Limits.\n"),
			want: []string{`links.yaml:5: ERROR DANGLING_REFERENCE: no concept "Calculus 1"; did you mean "Calculus I" or "Calculus II"?`},
		},
		{
			name: "ProblemsOfSeveralFiles",
			fsys: files("a.csv", caHeader+"1,A,,,2,,,3,,,\n", "b.csv", caHeader+"1,A,,,,,,x,,,\n", "c.md", "# Phase 1: X\n## Key Concepts Covered\n- **X**: one\n- **X**: two\n"),
			want: []string{
				`c.md:4: ERROR DUPLICATE_DEFINITION: key concept "X" is listed twice in one block (first at line 3); remove one, or move it under another heading if it means something else`,
				`a.csv:8: ERROR DANGLING_REFERENCE: Prerequisites of course 1 ("A") names course 2, which no row of this file defines (the ids are 1)`,
				`b.csv:8: ERROR INVALID_DOCUMENT: Credit Hours "x" of course 1 is not a number`,
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ce := loadProblems(t, tc.fsys)
			var got []string
			for _, p := range ce.Problems {
				got = append(got, p.String())
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestLoadCAWarnings: what a CA file holds that the loader does not read
// is a warning with file:line; the file still loads.
func TestLoadCAWarnings(t *testing.T) {
	g := mustLoad(t, files("a.csv", "Institution,ACME\n"+ // 1
		"Catalog Year,2024\n"+ // 2
		"Degree Type,BS,extra\n"+ // 3
		",orphan value\n"+ // 4
		"Courses\n"+ // 5
		"Course ID,Course Name,Prerequisites,Room,\n"+ // 6
		"1,A,,101,\n"+ // 7
		"2,B,\"1,1\",,,surplus\n"+ // 8
		"Additional Courses\n"+ // 9
		"Learning Outcomes\n"+ // 10
		"1,Think,\n"+ // 11
		"Additional Courses\n"+ // 12
		"Course ID,Course Name\n")) // 13
	want := []string{
		`a.csv:1: WARNING UNRECOGNIZED_CONTENT: no Curriculum name in the header block; the curriculum is named "a" after its file`,
		`a.csv:2: WARNING UNRECOGNIZED_CONTENT: unknown header row "Catalog Year" is ignored; the header block holds Curriculum, Degree Plan, Institution, Degree Type, System Type and CIP, then a row "Courses"`,
		`a.csv:3: WARNING UNRECOGNIZED_CONTENT: header row "Degree Type" has cells after its value; they are ignored`,
		`a.csv:4: WARNING UNRECOGNIZED_CONTENT: header row without a key in its first cell is ignored`,
		`a.csv:6: WARNING UNRECOGNIZED_CONTENT: column "Room" not read`,
		`a.csv:7: WARNING UNRECOGNIZED_CONTENT: cell 4 ("101") is under no column this loader reads; it is ignored`,
		`a.csv:8: WARNING UNRECOGNIZED_CONTENT: cell 6 ("surplus") is under no column this loader reads; it is ignored`,
		`a.csv:8: WARNING DUPLICATE_DEFINITION: Prerequisites of course 2 ("B") lists course 1 twice; the repeat is ignored`,
		`a.csv:9: WARNING UNRECOGNIZED_CONTENT: section "Additional Courses" has no header row and lists no courses`,
		`a.csv:10: WARNING UNRECOGNIZED_CONTENT: section "Learning Outcomes" is not read: its rows are skipped`,
		`a.csv:12: WARNING UNRECOGNIZED_CONTENT: section "Additional Courses" lists no courses`,
	}
	var got []string
	for _, w := range g.Warnings {
		got = append(got, w.String())
	}
	if !slices.Equal(got, want) {
		t.Errorf("warnings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := requisites(g); !slices.Equal(got, []requisite{{pre, "b", "a", 8}}) {
		t.Errorf("requisites %v", got)
	}
	if p := g.Phases[0]; p.Name != "a" || p.Overview != `CurricularAnalytics curriculum "a": institution ACME, degree type BS.` {
		t.Errorf("phase %+v", p)
	}
}

// TestLoadLinksAlone: links files alone are still no curriculum, with CA
// files now among what would make one.
func TestLoadLinksAlone(t *testing.T) {
	ce := loadProblems(t, files("links.yaml", "version: 1\n"))
	if got, want := ce.Error(), "ERROR INVALID_DOCUMENT: no curriculum documents (*.md, *.csv) found; links files alone make no curriculum"; got != want {
		t.Errorf("error %q, want %q", got, want)
	}
}
