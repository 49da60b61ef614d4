package loader_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"learngraph"
	"learngraph/loader"
)

// FuzzReadCA feeds arbitrary bytes to the loader as a CA file. Whatever it
// reads must satisfy checkLoad; whatever loads must survive WriteCA and
// load again with the same courses and requisites.
func FuzzReadCA(f *testing.F) {
	for _, path := range []string{"testdata/ca/seven/curriculum.csv", "testdata/ca/eight/curriculum.csv", "testdata/ca/plan/degree-plan.csv"} {
		f.Add(readFile(f, path))
	}
	f.Add([]byte(caHeader + "1,A,,,\"1;2\",,,3,,,\n2,A,,,,1,,x,,,\n"))
	f.Add([]byte(caPlanHeader + "1,\"multi\nline\",MATH,1,,,,1.5,,,2,\n2,B,,,1,,,,,,1\nLearning Outcomes\nx,y\nAdditional Courses\ncourse id,course name,term\n3,C,0\n"))
	f.Add([]byte("Curriculum,\"unclosed\nCourses\n"))
	f.Fuzz(func(t *testing.T, csv []byte) {
		fsys := fstest.MapFS{"curriculum.csv": {Data: csv}}
		checkLoad(t, fsys)
		g, err := loader.Load(fsys)
		if err != nil {
			return
		}
		back := roundTrip(t, g)
		if err := sameCourses(g, back); err != nil {
			t.Fatalf("round trip: %v", err)
		}
		// Ids survive, but for those made of the Course IDs WriteCA
		// renumbers: shared slugs (name--id) and courses with neither a
		// code nor a name to make one of (course-id).
		for i, c := range g.Concepts {
			if got := back.Concepts[i].ID; got != c.ID && !strings.Contains(c.ID, "--") && learngraph.Slug(c.Name) != "" {
				t.Errorf("concept %d: id %q came back as %q", i+1, c.ID, got)
			}
		}
	})
}
