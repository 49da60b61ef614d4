package picture_test

import (
	"reflect"
	"testing"

	"learngraph"
	"learngraph/inmem"
	"learngraph/picture"
)

// A plan a store answered draws exactly as the same goal selected from
// the curriculum: the API draws its answers, the command plans again, and
// both must show the same picture.
func TestFromPlanMatchesSelect(t *testing.T) {
	c := seedCurriculum(t)
	snap, err := inmem.New(c).Snapshot(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		goal  string
		known []string
	}{
		{"GATs", nil},
		{"Procedural Macros", []string{"traits"}},
		{"web", nil},
	} {
		plan, err := snap.StudyPlan(t.Context(), tc.goal, tc.known)
		if err != nil {
			t.Fatalf("StudyPlan(%q): %v", tc.goal, err)
		}
		fromPlan, err := picture.FromPlan(c, plan, picture.Options{})
		if err != nil {
			t.Fatalf("FromPlan(%q): %v", tc.goal, err)
		}
		selected, err := picture.FromCurriculum(c, picture.Scope{Goal: tc.goal, Known: tc.known}, picture.Options{})
		if err != nil {
			t.Fatalf("Select(%q): %v", tc.goal, err)
		}
		selected.Title = fromPlan.Title // Select also names what is known
		if !reflect.DeepEqual(fromPlan, selected) {
			t.Errorf("%s: FromPlan\n%+v\nSelect\n%+v", tc.goal, fromPlan, selected)
		}
		if len(fromPlan.Nodes) != len(plan.Steps) {
			t.Errorf("%s: %d nodes for %d steps", tc.goal, len(fromPlan.Nodes), len(plan.Steps))
		}
	}
	if _, err := picture.FromPlan(c, &learngraph.StudyPlan{}, picture.Options{}); learngraph.ErrorCode(err) != learngraph.EINVALID {
		t.Errorf("a plan without a goal: %v", err)
	}
}
