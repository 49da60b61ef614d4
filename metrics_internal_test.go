package learngraph

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// The blocked bitset pass must not depend on how targets are cut into
// blocks or shared among workers.
func TestReachabilityIndependentOfBlocks(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for round := range 10 {
		n := 150 + rng.IntN(200)
		g := &Graph{}
		for i := range n {
			g.Concepts = append(g.Concepts, &Concept{ID: fmt.Sprintf("c%04d", i)})
		}
		for u := range n {
			for range rng.IntN(6) {
				v := rng.IntN(u + 1)
				if v != u {
					g.Links = append(g.Links, Link{Rel: Requires, From: g.Concepts[u].Ref(), To: g.Concepts[v].Ref()})
				}
			}
		}
		rg := newReqGraph(g)
		order, ok := rg.topoOrder()
		if !ok {
			t.Fatal("random graph has a cycle")
		}
		d := newDAG(rg, order)
		wantBlocking, wantVia := d.reachabilityIn(blockBits(n, 1), 1)
		for _, width := range []int{64, 128, 192} {
			for _, workers := range []int{1, 2, 3} {
				blocking, via := d.reachabilityIn(width, workers)
				if !reflect.DeepEqual(blocking, wantBlocking) || !reflect.DeepEqual(via, wantVia) {
					t.Fatalf("round %d, width %d, %d workers: results differ from one block", round, width, workers)
				}
			}
		}
	}
}

func TestBlockBits(t *testing.T) {
	tests := []struct{ n, workers, want int }{
		{1, 1, 64},
		{100, 1, 128},
		{5000, 2, 5056},
		{100_000, 1, 2624},
		{100_000, 2, 1280},
		{10_000_000, 1, 64},
	}
	for _, tt := range tests {
		if got := blockBits(tt.n, tt.workers); got != tt.want {
			t.Errorf("blockBits(%d, %d) = %d, want %d", tt.n, tt.workers, got, tt.want)
		}
	}
}
