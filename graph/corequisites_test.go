package graph_test

import (
	"encoding/json"
	"testing"

	"learngraph/inmem"
	"learngraph/storetest"
)

// Co-requisites come back as their own kind, strict or not, apart from
// prerequisites, and plans put a concept in the layer of its
// co-requisites.
func TestCorequisites(t *testing.T) {
	h := newHandler(inmem.New(storetest.Analyzed(t, storetest.CoRequisiteFixture())), nil, 0)
	resp := post(t, h, `{
  d: concept(ref: "d") { prerequisites { id } corequisites { concept { id } reason strict } }
  g: concept(ref: "g") { corequisites(first: 1) { concept { id } strict } }
  studyPlan(goal: "g") { steps { concept { id } layer } }
}`, nil)
	if len(resp.Errors) > 0 {
		t.Fatalf("errors: %+v", resp.Errors)
	}
	want := `{"d":{"prerequisites":[{"id":"b"}],"corequisites":[{"concept":{"id":"c"},"reason":"d with or after c","strict":false}]},` +
		`"g":{"corequisites":[{"concept":{"id":"d"},"strict":true}]},` +
		`"studyPlan":{"steps":[{"concept":{"id":"a"},"layer":0},{"concept":{"id":"b"},"layer":0},{"concept":{"id":"c"},"layer":1},{"concept":{"id":"d"},"layer":1},{"concept":{"id":"g"},"layer":1}]}}`
	var got, exp any
	mustUnmarshal(t, resp.Data, &got)
	mustUnmarshal(t, []byte(want), &exp)
	gotJSON, _ := json.Marshal(got)
	expJSON, _ := json.Marshal(exp)
	if string(gotJSON) != string(expJSON) {
		t.Errorf("got  %s\nwant %s", gotJSON, expJSON)
	}
}
