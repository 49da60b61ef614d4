package main

import (
	"testing"
	"time"

	"learngraph"
	"learngraph/inmem"
	"learngraph/storetest"
)

// These test the harness's own logic; the measurements themselves are
// not tests (see README.md).

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"1k", 1000, true},
		{" 20K ", 20_000, true},
		{"100000", 100_000, true},
		{"0", 0, false},
		{"-1k", 0, false},
		{"k", 0, false},
		{"1m", 0, false},
	}
	for _, tt := range tests {
		got, err := parseSize(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestPercentile(t *testing.T) {
	var hundred []time.Duration
	for i := 1; i <= 100; i++ {
		hundred = append(hundred, time.Duration(i))
	}
	tests := []struct {
		sorted []time.Duration
		q      float64
		want   time.Duration
	}{
		{hundred, 0.50, 50},
		{hundred, 0.99, 99},
		{hundred[:20], 0.99, 20}, // with 20 samples, p99 is the largest
		{hundred[:1], 0.50, 1},
		{hundred[:2], 0.50, 1},
	}
	for _, tt := range tests {
		if got := percentile(tt.sorted, tt.q); got != tt.want {
			t.Errorf("percentile(%d samples, %v) = %v, want %v", len(tt.sorted), tt.q, got, tt.want)
		}
	}
}

// pickGoals finds, for each target, a concept whose prerequisite count is
// exact and closest to the target, smaller id on ties.
func TestPickGoals(t *testing.T) {
	c, err := learngraph.Analyze(storetest.Synthetic(1000, 1))
	if err != nil {
		t.Fatal(err)
	}
	snap, err := inmem.New(c).Snapshot(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	prereqs := map[string]int{} // the truth: a plan holds the goal and its prerequisites
	for _, concept := range c.Concepts {
		plan, err := snap.StudyPlan(t.Context(), concept.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		prereqs[concept.ID] = len(plan.Steps) - 1
	}
	targets := []int{0, 10, 100, 1000}
	for i, g := range pickGoals(c, targets) {
		if g.Target != targets[i] || g.Prereqs != prereqs[g.ID] {
			t.Errorf("goal %+v for %d: %s has %d prerequisites", g, targets[i], g.ID, prereqs[g.ID])
		}
		for id, n := range prereqs {
			d, best := abs(n-targets[i]), abs(g.Prereqs-targets[i])
			if d < best || (d == best && id < g.ID) {
				t.Errorf("goal for %d is %s (%d); %s (%d) is closer", targets[i], g.ID, g.Prereqs, id, n)
				break
			}
		}
	}
}

func TestSourceSets(t *testing.T) {
	for _, n := range []int{0, 1, 2, 25, 100} {
		var sources []string
		for i := range n {
			sources = append(sources, string(rune('a'+i%26))+string(rune('a'+i/26)))
		}
		sets := sourceSets(sources)
		seen := map[string]bool{}
		for _, s := range sets {
			key := ""
			for _, id := range s {
				key += id + " "
			}
			if seen[key] || len(s) < 2 || len(s) > 3 {
				t.Fatalf("%d sources: set %v repeated or of the wrong size", n, s)
			}
			seen[key] = true
		}
		// Enough sets for two measurements of 220 calls each, when
		// there are sources enough to make them.
		if want := min(2000, n*(n-1)/2+n*(n-1)*(n-2)/6); len(sets) != want {
			t.Errorf("%d sources: %d sets, want %d", n, len(sets), want)
		}
	}
}

func TestCount(t *testing.T) {
	for in, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 12345: "12,345", 1234567: "1,234,567", -1234: "-1,234"} {
		if got := count(in); got != want {
			t.Errorf("count(%d) = %q, want %q", in, got, want)
		}
	}
}
