package loader_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"testing"
	"testing/fstest"

	"learngraph"
	"learngraph/loader"
	"learngraph/seeds"
)

func TestWriteCA(t *testing.T) {
	for _, tc := range []struct {
		dir, want string
	}{
		{"eight", `Curriculum,Eight-Course Test Curriculum
Institution,
Degree Type,
System Type,semester
CIP,
Courses
Course ID,Course Name,Prefix,Number,Prerequisites,Corequisites,Strict-Corequisites,Credit Hours,Institution,Canonical Name
1,A,,,,,,3,,
2,B,,,,,,3,,
3,C,,,"1,2",4,,3,,
4,D,,,,,,3,,
5,E,,,3,,,3,,
6,F,,,4,,,3,,
7,G,,,,,,3,,
8,H,,,,,,3,,
`},
		{"plan", `Curriculum,Four-Term Plan
Institution,
Degree Type,
System Type,semester
CIP,
Courses
Course ID,Course Name,Prefix,Number,Prerequisites,Corequisites,Strict-Corequisites,Credit Hours,Institution,Canonical Name
1,Introduction to Baskets,BW,101,,,,3,,Baskets I
2,Swimming,PE,115,,,,3,,Physical Education
3,Basic Basket Forms,BW,111,1,,,3,,
4,Basic Basket Forms Lab,BW,111L,,,3,1,,
5,Basic Underwater Basketweaving,BW,110,"1,3",2,,3,,Baskets II
6,Advanced Underwater Basketweaving,BW,201,5,,,3,,Baskets III
7,Basket Design Seminar,BW,290,6,,,1.5,,
`},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			var out bytes.Buffer
			if err := loader.WriteCA(&out, mustLoad(t, os.DirFS("testdata/ca/"+tc.dir))); err != nil {
				t.Fatal(err)
			}
			if got := out.String(); got != tc.want {
				t.Errorf("WriteCA wrote\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// TestWriteCAMarkdown: a Markdown curriculum exports with its phase's name,
// no prefixes or numbers, and 1 credit hour a course.
func TestWriteCAMarkdown(t *testing.T) {
	g := mustLoad(t, files("a.md", smallDoc, "links.yaml",
		"version: 1\nconcepts:\n  - ref: Procedural Macros\n    requires:\n      - ref: Declarative Macros\n        reason: Simpler first.\n      - ref: Generics\n        reason: Generic code.\n"))
	var out bytes.Buffer
	if err := loader.WriteCA(&out, g); err != nil {
		t.Fatal(err)
	}
	want := `Curriculum,Basics
Institution,
Degree Type,
System Type,semester
CIP,
Courses
Course ID,Course Name,Prefix,Number,Prerequisites,Corequisites,Strict-Corequisites,Credit Hours,Institution,Canonical Name
1,Declarative Macros,,,,,,1,,
2,Procedural Macros,,,"1,4",,,1,,
3,Associated Types,,,,,,1,,
4,Generics,,,,,,1,,
`
	if got := out.String(); got != want {
		t.Errorf("WriteCA wrote\n%s\nwant\n%s", got, want)
	}
}

// TestWriteCARoundTrip: reading what WriteCA writes gives the same
// concepts, in the same order, with the same names and requisites.
func TestWriteCARoundTrip(t *testing.T) {
	seedGraph, err := loader.Load(seeds.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		g    *learngraph.Graph
		// renamed are the concepts whose id the CA format cannot carry,
		// with the id they come back as.
		renamed map[string]string
	}{
		{name: "Seeds", g: seedGraph, renamed: map[string]string{
			"advanced-patterns--macros-and-metaprogramming": "advanced-patterns--" + caIDOf(seedGraph, "advanced-patterns--macros-and-metaprogramming"),
			"advanced-patterns--advanced-trait-system":      "advanced-patterns--" + caIDOf(seedGraph, "advanced-patterns--advanced-trait-system"),
		}},
		{name: "Seven", g: mustLoad(t, os.DirFS("testdata/ca/seven"))},
		{name: "Eight", g: mustLoad(t, os.DirFS("testdata/ca/eight"))},
		{name: "DegreePlan", g: mustLoad(t, os.DirFS("testdata/ca/plan"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			back := roundTrip(t, tc.g)
			if err := sameCourses(tc.g, back); err != nil {
				t.Fatal(err)
			}
			for i, c := range tc.g.Concepts {
				want := c.ID
				if id, ok := tc.renamed[c.ID]; ok {
					want = id
				}
				if got := back.Concepts[i]; got.ID != want {
					t.Errorf("concept %d: id %q, want %q", i+1, got.ID, want)
				}
				// Course details survive: the description is rebuilt from them.
				if c.File == "curriculum.csv" || c.File == "degree-plan.csv" {
					if got := back.Concepts[i].Description; got != c.Description {
						t.Errorf("%s: description %q, want %q", c.ID, got, c.Description)
					}
				}
			}
			if len(requisites(tc.g)) == 0 {
				t.Error("the curriculum has no requisites to carry")
			}
		})
	}
}

// caIDOf is the Course ID WriteCA gives concept id: its place in g.
func caIDOf(g *learngraph.Graph, id string) string {
	for i, c := range g.Concepts {
		if c.ID == id {
			return fmt.Sprint(i + 1)
		}
	}
	return "missing"
}

// roundTrip writes g as CA and loads it back.
func roundTrip(tb testing.TB, g *learngraph.Graph) *learngraph.Graph {
	tb.Helper()
	var out bytes.Buffer
	if err := loader.WriteCA(&out, g); err != nil {
		tb.Fatal(err)
	}
	back, err := loader.Load(fstest.MapFS{"curriculum.csv": {Data: out.Bytes()}})
	if err != nil {
		tb.Fatalf("loading what WriteCA wrote: %v\n%s", err, out.String())
	}
	return back
}

// sameCourses compares two graphs as CA sees them: the concepts in order
// by name, and the requisite links between the concepts at the same
// places.
func sameCourses(want, got *learngraph.Graph) error {
	if len(got.Concepts) != len(want.Concepts) {
		return fmt.Errorf("%d concepts, want %d", len(got.Concepts), len(want.Concepts))
	}
	for i, c := range want.Concepts {
		if got.Concepts[i].Name != c.Name {
			return fmt.Errorf("concept %d: name %q, want %q", i+1, got.Concepts[i].Name, c.Name)
		}
	}
	if g, w := indexedRequisites(got), indexedRequisites(want); !slices.Equal(g, w) {
		return fmt.Errorf("requisites\n%v\nwant\n%v", g, w)
	}
	return nil
}

// indexedRequisites are g's requisites between the concepts' places in
// g.Concepts, sorted.
func indexedRequisites(g *learngraph.Graph) []string {
	place := map[string]int{}
	for i, c := range g.Concepts {
		place[c.ID] = i + 1
	}
	var out []string
	for _, r := range requisites(g) {
		out = append(out, fmt.Sprintf("%d %s %d", place[r.from], r.rel, place[r.to]))
	}
	slices.Sort(out)
	return out
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteCAError(t *testing.T) {
	err := loader.WriteCA(failingWriter{}, mustLoad(t, os.DirFS("testdata/ca/seven")))
	if err == nil || err.Error() != "disk full" {
		t.Errorf("error %v, want disk full", err)
	}
}
