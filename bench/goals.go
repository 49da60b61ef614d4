package main

import (
	"slices"

	"learngraph"
)

// graphStats counts what a curriculum holds.
func graphStats(c *learngraph.Curriculum) GraphStats {
	s := GraphStats{
		Concepts: len(c.Concepts), Relationships: len(c.Links), Topics: len(c.Topics),
		Crates: len(c.Crates), Challenges: len(c.Challenges), Paths: len(c.Paths),
	}
	for _, l := range c.Links {
		if l.Rel == learngraph.Requires {
			s.Requires++
		}
	}
	for _, concept := range c.Concepts {
		s.Depth = max(s.Depth, concept.Metrics.DelayFactor)
	}
	return s
}

// pickGoals returns, for each target, the concept whose number of
// transitive prerequisites is closest to it, ties going to the smaller id,
// so every run on the same curriculum asks about the same goals.
//
// Counting every concept's closure exactly would cost O(n²) on 100k
// concepts; counting stops at twice the largest target instead, and a
// concept that requires one whose count stopped is skipped (its closure is
// a superset), which leaves only the shallow part of the graph to count.
func pickGoals(c *learngraph.Curriculum, targets []int) []Goal {
	n := len(c.Concepts)
	index := make(map[string]int32, n)
	for i, concept := range c.Concepts {
		index[concept.ID] = int32(i)
	}
	prereqs := make([][]int32, n)
	dependents := make([][]int32, n)
	for _, l := range c.Links {
		if l.Rel != learngraph.Requires {
			continue
		}
		from, ok1 := index[l.From.ID]
		to, ok2 := index[l.To.ID]
		if ok1 && ok2 {
			prereqs[from] = append(prereqs[from], to)
			dependents[to] = append(dependents[to], from)
		}
	}
	limit := 2 * slices.Max(targets)

	// Kahn's order: every concept after its prerequisites, so whether a
	// prerequisite's count stopped is known before the concept is counted.
	missing := make([]int, n)
	var order []int32
	for i := range n {
		if missing[i] = len(prereqs[i]); missing[i] == 0 {
			order = append(order, int32(i))
		}
	}
	for head := 0; head < len(order); head++ {
		for _, d := range dependents[order[head]] {
			if missing[d]--; missing[d] == 0 {
				order = append(order, d)
			}
		}
	}

	counts := make([]int, n) // -1: more than limit
	mark := make([]int32, n) // the stamp of the count that visited it
	var stamp int32
	var stack []int32
	for _, v := range order {
		if slices.ContainsFunc(prereqs[v], func(p int32) bool { return counts[p] < 0 }) {
			counts[v] = -1
			continue
		}
		stamp++
		mark[v] = stamp
		stack = append(stack[:0], prereqs[v]...)
		for len(stack) > 0 && counts[v] >= 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if mark[p] == stamp {
				continue
			}
			mark[p] = stamp
			if counts[v]++; counts[v] > limit {
				counts[v] = -1
			}
			stack = append(stack, prereqs[p]...)
		}
	}

	goals := make([]Goal, len(targets))
	for t, target := range targets {
		best := -1
		for i, count := range counts {
			if count < 0 {
				continue
			}
			if best < 0 {
				best = i
				continue
			}
			d, bestD := abs(count-target), abs(counts[best]-target)
			if d < bestD || (d == bestD && c.Concepts[i].ID < c.Concepts[best].ID) {
				best = i
			}
		}
		goals[t] = Goal{Target: target, ID: c.Concepts[best].ID, Prereqs: counts[best]}
	}
	return goals
}

func abs(x int) int { return max(x, -x) }
