package graph_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestImpact asks what one real edit of the seed's links file would do,
// over GraphQL: Associated Types would require Closures.
func TestImpact(t *testing.T) {
	h := newHandler(seedStore(t), nil, 0)
	const q = `query($add: [EdgeInput!], $remove: [EdgeInput!]) {
  impact(add: $add, remove: $remove) {
    edgesAdded { from { id } to { id } kind reason source { file line } }
    edgesRemoved { from { id } to { id } kind source { file line } }
    findingsAdded { kind subjects }
    findingsCleared { kind subjects }
    closesCycle
    planChanges { goal { id } added { id } removed { id } moved { concept { id } before after } steps }
    planChangeCount
    metricChanges { concept { id } delta { blockingFactor complexity } }
    metricChangeCount
    totals { before { conceptCount complexity longestChain { id } } after { conceptCount complexity } }
  }
}`
	type impact struct {
		EdgesAdded []struct {
			From, To struct{ ID string }
			Kind     string
			Reason   string
			Source   *struct{ File string }
		}
		EdgesRemoved []struct {
			From, To struct{ ID string }
			Kind     string
			Source   *struct {
				File string
				Line int
			}
		}
		FindingsAdded []struct {
			Kind     string
			Subjects []string
		}
		FindingsCleared []struct {
			Kind     string
			Subjects []string
		}
		ClosesCycle bool
		PlanChanges []struct {
			Goal    struct{ ID string }
			Added   []struct{ ID string }
			Removed []struct{ ID string }
			Steps   int
		}
		PlanChangeCount   int
		MetricChangeCount int
		Totals            *struct {
			Before, After struct {
				ConceptCount, Complexity int
				LongestChain             []struct{ ID string }
			}
		}
	}
	run := func(t *testing.T, vars map[string]any) impact {
		t.Helper()
		resp := post(t, h, q, vars)
		if len(resp.Errors) > 0 {
			t.Fatalf("errors: %+v", resp.Errors)
		}
		var data struct{ Impact impact }
		mustUnmarshal(t, resp.Data, &data)
		return data.Impact
	}

	t.Run("AddEdge", func(t *testing.T) {
		got := run(t, map[string]any{"add": []map[string]any{{"from": "Associated Types", "to": "closures", "reason": "Iterator-like traits take closures."}}})
		if len(got.EdgesAdded) != 1 || got.EdgesAdded[0].From.ID != "associated-types" || got.EdgesAdded[0].To.ID != "closures" ||
			got.EdgesAdded[0].Kind != "REQUIRES" || got.EdgesAdded[0].Reason != "Iterator-like traits take closures." || got.EdgesAdded[0].Source != nil {
			t.Errorf("edges added %+v", got.EdgesAdded)
		}
		var plans []string
		for _, p := range got.PlanChanges {
			var added []string
			for _, a := range p.Added {
				added = append(added, a.ID)
			}
			plans = append(plans, fmt.Sprintf("%s +%v (%d)", p.Goal.ID, added, p.Steps))
		}
		want := []string{
			"advanced-patterns--advanced-trait-system +[ownership closures] (4)",
			"associated-types +[ownership closures] (3)",
			"hardware-abstraction-layers +[closures] (3)",
			"generic-associated-types +[closures] (3)",
		}
		if strings.Join(plans, "\n") != strings.Join(want, "\n") || got.PlanChangeCount != 4 || got.ClosesCycle {
			t.Errorf("plan changes (%d):\n%s\nwant:\n%s", got.PlanChangeCount, strings.Join(plans, "\n"), strings.Join(want, "\n"))
		}
		redundant := false
		for _, f := range got.FindingsAdded {
			redundant = redundant || (f.Kind == "REDUNDANT_EDGE" && strings.Join(f.Subjects, ",") == "associated-types,traits,closures")
		}
		if !redundant {
			t.Errorf("findings added %+v: want Associated Types → traits redundant through Closures", got.FindingsAdded)
		}
		if got.Totals == nil || got.Totals.Before.ConceptCount != 74 || got.Totals.After.Complexity <= got.Totals.Before.Complexity ||
			len(got.Totals.Before.LongestChain) == 0 {
			t.Errorf("totals %+v", got.Totals)
		}
	})
	t.Run("RemoveEdge", func(t *testing.T) {
		got := run(t, map[string]any{"remove": []map[string]any{{"from": "GATs", "to": "lifetimes"}}})
		if len(got.EdgesRemoved) != 1 || got.EdgesRemoved[0].Source == nil ||
			got.EdgesRemoved[0].Source.File != "links.yaml" || got.EdgesRemoved[0].Source.Line != 238 {
			t.Errorf("edges removed %+v, want the edge stated at links.yaml:238", got.EdgesRemoved)
		}
		if got.PlanChangeCount != 1 || got.PlanChanges[0].Goal.ID != "generic-associated-types" || len(got.PlanChanges[0].Removed) != 2 {
			t.Errorf("plan changes %+v", got.PlanChanges)
		}
	})
	t.Run("ClosesCycle", func(t *testing.T) {
		got := run(t, map[string]any{"add": []map[string]any{{"from": "lifetimes", "to": "GATs"}}})
		if !got.ClosesCycle || len(got.FindingsAdded) != 1 || got.FindingsAdded[0].Kind != "CYCLE" ||
			strings.Join(got.FindingsAdded[0].Subjects, ",") != "generic-associated-types,lifetimes" ||
			got.PlanChanges == nil || len(got.PlanChanges) != 0 || got.Totals != nil {
			t.Errorf("closing a cycle: %+v", got)
		}
	})
	t.Run("ServedCurriculumUnchanged", func(t *testing.T) {
		before := post(t, h, `{ studyPlan(goal: "GATs") { steps { concept { id } layer } } gaps { infoCount } }`, nil)
		run(t, map[string]any{"add": []map[string]any{{"from": "lifetimes", "to": "GATs"}}, "remove": []map[string]any{{"from": "GATs", "to": "generics"}}})
		after := post(t, h, `{ studyPlan(goal: "GATs") { steps { concept { id } layer } } gaps { infoCount } }`, nil)
		if string(before.Data) != string(after.Data) {
			t.Errorf("the served curriculum changed:\n%s\n%s", before.Data, after.Data)
		}
	})
	t.Run("Errors", func(t *testing.T) {
		many := make([]map[string]any, 101)
		for i := range many {
			many[i] = map[string]any{"from": "GATs", "to": "traits"}
		}
		for _, tc := range []struct {
			name string
			vars map[string]any
			code string
		}{
			{"UnknownRef", map[string]any{"add": []map[string]any{{"from": "GATz", "to": "traits"}}}, "NOT_FOUND"},
			{"MissingEdge", map[string]any{"remove": []map[string]any{{"from": "traits", "to": "GATs"}}}, "BAD_USER_INPUT"},
			{"TooManyEdits", map[string]any{"add": many}, "LIMIT_EXCEEDED"},
			{"LongReason", map[string]any{"add": []map[string]any{{"from": "GATs", "to": "closures", "reason": strings.Repeat("x", 1001)}}}, "LIMIT_EXCEEDED"},
		} {
			resp := post(t, h, q, tc.vars)
			if e := onlyError(t, resp); e.Extensions["code"] != tc.code {
				t.Errorf("%s: error %+v, want %s", tc.name, e, tc.code)
			}
		}
	})
}

// TestMermaid draws the GATs plan and a domain path over GraphQL.
func TestMermaid(t *testing.T) {
	h := newHandler(seedStore(t), nil, 0)
	resp := post(t, h, `{ studyPlan(goal: "GATs") { mermaid steps { concept { name } } } domainPath(ref: "blockchain") { mermaid concepts { name } } }`, nil)
	if len(resp.Errors) > 0 {
		t.Fatalf("errors: %+v", resp.Errors)
	}
	var data struct {
		StudyPlan struct {
			Mermaid string
			Steps   []struct{ Concept struct{ Name string } }
		}
		DomainPath struct {
			Mermaid  string
			Concepts []struct{ Name string }
		}
	}
	mustUnmarshal(t, resp.Data, &data)
	plan := data.StudyPlan.Mermaid
	if !strings.Contains(plan, "\nflowchart TB\n") || len(data.StudyPlan.Steps) != 6 {
		t.Fatalf("plan mermaid:\n%s", plan)
	}
	for _, s := range data.StudyPlan.Steps {
		if !strings.Contains(plan, s.Concept.Name) {
			t.Errorf("the plan's picture lacks %q:\n%s", s.Concept.Name, plan)
		}
	}
	if !strings.Contains(data.DomainPath.Mermaid, "\nflowchart TB\n") {
		t.Errorf("path mermaid:\n%s", data.DomainPath.Mermaid)
	}
	for _, c := range data.DomainPath.Concepts {
		if !strings.Contains(data.DomainPath.Mermaid, c.Name) {
			t.Errorf("the path's picture lacks %q", c.Name)
		}
	}
}
