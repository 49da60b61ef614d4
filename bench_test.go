package learngraph_test

import (
	"testing"

	"learngraph"
	"learngraph/storetest"
)

// BenchmarkAnalyze measures the graph-wide pass (validation, cycles,
// metrics, redundant edges, findings) on a synthetic curriculum of 100k
// concepts and about 500k REQUIRES edges, 40 levels deep.
func BenchmarkAnalyze(b *testing.B) {
	g := storetest.Synthetic(100_000, 1)
	edges := 0
	for _, l := range g.Links {
		if l.Rel == learngraph.Requires {
			edges++
		}
	}
	for b.Loop() {
		if _, err := learngraph.Analyze(g); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(g.Concepts)), "concepts")
	b.ReportMetric(float64(edges), "edges")
}

func synthetic(n int) *learngraph.Graph { return storetest.Synthetic(n, 1) }
