package learngraph

import (
	"cmp"
	"slices"
)

// OrderPlan returns the study plan towards goals, the goal's own concept
// ids, for a learner who knows the concepts known. A concept goal is that
// concept; a topic goal, the concepts it COVERS; a path goal, the concepts
// it INCLUDES and those its included topics cover. Stores expand known
// topics and paths the same way.
//
// The plan holds the goals and everything they require, directly or not,
// except what is in the known closure (known and all it requires). Each
// step has a layer: 0 when none of its prerequisites is in the plan, else
// one more than its highest prerequisite in the plan, so every step comes
// after all of its prerequisites; a co-requisite only holds its dependent
// to the same layer or a later one, since the two may be studied together. Steps are ordered by layer, then document
// position, then id. RequiredBy lists the plan's concepts that require a
// step directly, in plan order; a step that is not a goal carries the
// reason of the first of them, as "<dependent name>: <edge reason>".
//
// The view must hold the goals, the known concepts and everything either
// requires, directly or not.
func OrderPlan(v RequiresView, goals, known []string) []PlanStep {
	closure := KnownClosure(v, known)
	isGoal := map[string]bool{}
	for _, id := range goals {
		isGoal[id] = true
	}
	members := planMembers(v, goals, closure)
	prereqs := map[string][]Edge{} // requisites inside the plan, once each
	for id := range members {
		for _, e := range v.Prerequisites(id) {
			if members[e.ID] == nil {
				continue
			}
			if i := slices.IndexFunc(prereqs[id], func(p Edge) bool { return p.ID == e.ID }); i >= 0 {
				// Stated twice, as a prerequisite and a co-requisite:
				// the prerequisite is the stronger constraint.
				prereqs[id][i].Together = prereqs[id][i].Together && e.Together
				continue
			}
			prereqs[id] = append(prereqs[id], Edge{ID: e.ID, Together: e.Together})
		}
	}
	steps := make([]PlanStep, 0, len(members))
	for id, layer := range planLayers(members, prereqs) {
		steps = append(steps, PlanStep{Concept: members[id], Layer: layer, Goal: isGoal[id]})
	}
	slices.SortFunc(steps, func(a, b PlanStep) int {
		if c := cmp.Compare(a.Layer, b.Layer); c != 0 {
			return c
		}
		return compareConcepts(a.Concept, b.Concept)
	})

	at := make(map[string]int, len(steps)) // id → index in the plan
	for i, s := range steps {
		at[s.Concept.ID] = i
	}
	requiredBy := make([][]int, len(steps))
	for i, s := range steps {
		for _, p := range prereqs[s.Concept.ID] {
			requiredBy[at[p.ID]] = append(requiredBy[at[p.ID]], i)
		}
	}
	for i := range steps {
		slices.Sort(requiredBy[i])
		for _, d := range requiredBy[i] {
			steps[i].RequiredBy = append(steps[i].RequiredBy, steps[d].Concept.ID)
		}
		if !steps[i].Goal && len(requiredBy[i]) > 0 {
			first := steps[requiredBy[i][0]].Concept
			steps[i].Reason = stepReason(first.Name, edgeReason(v, first.ID, steps[i].Concept.ID))
		}
	}
	return steps
}

// stepReason says why a plan step is there: "<dependent>: <edge reason>".
func stepReason(dependent, reason string) string {
	if reason == "" {
		return "required by " + dependent
	}
	return dependent + ": " + reason
}

// planMembers returns the goals and their transitive prerequisites that
// are neither in the known closure nor missing from the view.
func planMembers(v RequiresView, goals []string, closure map[string]bool) map[string]*Concept {
	members := map[string]*Concept{}
	stack := slices.Clone(goals)
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if closure[id] || members[id] != nil {
			continue
		}
		c := v.Concept(id)
		if c == nil {
			continue
		}
		members[id] = c
		for _, e := range v.Prerequisites(id) {
			stack = append(stack, e.ID)
		}
	}
	return members
}

// planLayers gives each member its layer by Kahn's algorithm over the
// plan's own edges: a member is placed once all its prerequisites are,
// one layer after its prerequisites and in no earlier layer than its
// co-requisites, with which it may be studied together.
func planLayers(members map[string]*Concept, prereqs map[string][]Edge) map[string]int {
	dependents := map[string][]Edge{} // p → the members that need p, and how
	waiting := map[string]int{}
	var ready []string
	for id := range members {
		waiting[id] = len(prereqs[id])
		if waiting[id] == 0 {
			ready = append(ready, id)
		}
		for _, p := range prereqs[id] {
			dependents[p.ID] = append(dependents[p.ID], Edge{ID: id, Together: p.Together})
		}
	}
	layer := make(map[string]int, len(members))
	for len(ready) > 0 {
		id := ready[len(ready)-1]
		ready = ready[:len(ready)-1]
		for _, d := range dependents[id] {
			step := 1
			if d.Together {
				step = 0
			}
			layer[d.ID] = max(layer[d.ID], layer[id]+step)
			waiting[d.ID]--
			if waiting[d.ID] == 0 {
				ready = append(ready, d.ID)
			}
		}
	}
	// Members stuck on a cycle (never in a validated curriculum) keep the
	// layer they reached, so the plan still lists them.
	for id := range members {
		if _, ok := layer[id]; !ok {
			layer[id] = 0
		}
	}
	return layer
}
