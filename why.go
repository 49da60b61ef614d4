package learngraph

import "slices"

// WhyChain returns the shortest chain of REQUIRES edges from goal down to
// prerequisite: goal first (layer 0, no reason), then each concept the
// previous one requires, with that edge's reason and its distance from the
// goal as layer. Among shortest chains it returns the one with the smallest
// sequence of ids, whatever order the view gives edges in. Nil when goal
// does not require prerequisite, directly or not (or they are the same).
//
// The view must hold goal and everything it requires, directly or not.
func WhyChain(v RequiresView, goal, prerequisite string) []PlanStep {
	if goal == prerequisite || v.Concept(goal) == nil {
		return nil
	}
	// Breadth-first from the goal: layers[k] holds the concepts k edges
	// below it, up to the layer where the prerequisite appears.
	dist := map[string]int{goal: 0}
	layers := [][]string{{goal}}
	for found := false; !found; {
		var next []string
		for _, id := range layers[len(layers)-1] {
			for _, e := range v.Prerequisites(id) {
				if _, seen := dist[e.ID]; !seen {
					dist[e.ID] = len(layers)
					next = append(next, e.ID)
					found = found || e.ID == prerequisite
				}
			}
		}
		if len(next) == 0 {
			return nil
		}
		layers = append(layers, next)
	}

	// Walking back up from the prerequisite, mark the concepts that lie on
	// some shortest chain to it.
	onChain := map[string]bool{prerequisite: true}
	for k := len(layers) - 2; k >= 0; k-- {
		for _, id := range layers[k] {
			for _, e := range v.Prerequisites(id) {
				if dist[e.ID] == k+1 && onChain[e.ID] {
					onChain[id] = true
				}
			}
		}
	}

	// Then walk down greedily, always to the smallest id that stays on a
	// shortest chain: that gives the smallest id sequence.
	steps := []PlanStep{{Concept: v.Concept(goal)}}
	for cur := goal; cur != prerequisite; {
		var candidates []string
		for _, e := range v.Prerequisites(cur) {
			if dist[e.ID] == dist[cur]+1 && onChain[e.ID] {
				candidates = append(candidates, e.ID)
			}
		}
		next := slices.Min(candidates)
		c := v.Concept(next)
		if c == nil {
			return nil // the view lacks a concept on the chain
		}
		steps = append(steps, PlanStep{Concept: c, Reason: edgeReason(v, cur, next), Layer: dist[next]})
		cur = next
	}
	return steps
}
