package learngraph

import (
	"cmp"
	"math/bits"
	"runtime"
	"slices"
	"sync"
)

// dag is an acyclic REQUIRES graph relabelled in topological order:
// label 0 needs nothing, and every edge runs from a smaller label (the
// prerequisite) to a larger one (the dependent). Reachability then only
// ever looks forward, which the blocked bitset pass exploits.
type dag struct {
	rg    *reqGraph
	orig  []int32 // label → vertex of rg
	label []int32 // vertex of rg → label

	depStart, deps []int32 // dependents of each label, ascending
	preStart, pres []int32 // prerequisites of each label, ascending
	preEdge        []int32 // parallel to pres: the edge's index in rg.edges
}

func newDAG(rg *reqGraph, order []int32) *dag {
	n := rg.size()
	d := &dag{rg: rg, orig: order, label: make([]int32, n)}
	for l, v := range order {
		d.label[v] = int32(l)
	}
	d.preStart = make([]int32, n+1)
	d.depStart = make([]int32, n+1)
	for _, e := range rg.edges {
		d.preStart[d.label[e.from]+1]++
		d.depStart[d.label[e.to]+1]++
	}
	for l := range n {
		d.preStart[l+1] += d.preStart[l]
		d.depStart[l+1] += d.depStart[l]
	}
	d.pres = make([]int32, len(rg.edges))
	d.preEdge = make([]int32, len(rg.edges))
	d.deps = make([]int32, len(rg.edges))
	for l, v := range order {
		at := d.preStart[l]
		first := rg.preStart[v]
		for i, p := range rg.prereqs(v) {
			d.pres[at+int32(i)] = d.label[p]
			d.preEdge[at+int32(i)] = first + int32(i)
		}
		// Sort this label's prerequisites ascending, carrying edge indexes.
		end := d.preStart[l+1]
		sortPairs(d.pres[at:end], d.preEdge[at:end])
	}
	// Walking labels in order fills every dependents list ascending.
	depFill := slices.Clone(d.depStart[:n])
	for l := range n {
		for _, p := range d.prereqs(int32(l)) {
			d.deps[depFill[p]] = int32(l)
			depFill[p]++
		}
	}
	return d
}

// sortPairs sorts keys ascending and applies the same permutation to vals.
func sortPairs(keys, vals []int32) {
	type pair struct{ k, v int32 }
	pairs := make([]pair, len(keys))
	for i := range keys {
		pairs[i] = pair{keys[i], vals[i]}
	}
	slices.SortFunc(pairs, func(a, b pair) int { return cmp.Compare(a.k, b.k) })
	for i, p := range pairs {
		keys[i], vals[i] = p.k, p.v
	}
}

func (d *dag) size() int                  { return len(d.orig) }
func (d *dag) dependents(l int32) []int32 { return d.deps[d.depStart[l]:d.depStart[l+1]] }
func (d *dag) prereqs(l int32) []int32    { return d.pres[d.preStart[l]:d.preStart[l+1]] }

// metricsResult holds what the graph-wide pass computes, by rg vertex.
type metricsResult struct {
	metrics []Metrics
	// redundantVia maps the index (in rg.edges) of each redundant edge to
	// the first hop of the longer path that implies it.
	redundantVia map[int32]int32
}

// computeMetrics computes CurricularAnalytics' measures for every concept
// and finds redundant edges. Delay and centrality come from dynamic
// programming over the topological order; blocking factor and redundancy
// from reachability bitsets.
func computeMetrics(d *dag) metricsResult {
	n := d.size()
	blocking, via := d.reachability()
	delay := d.delayFactors()
	centrality := d.centralities()
	out := metricsResult{metrics: make([]Metrics, n), redundantVia: via}
	for l := range n {
		v := d.orig[l]
		out.metrics[v] = Metrics{
			BlockingFactor: int(blocking[l]),
			DelayFactor:    int(delay[l]),
			Centrality:     centrality[l],
			Complexity:     int(blocking[l]) + int(delay[l]),
		}
	}
	return out
}

// delayFactors returns, per label, the number of vertices on the longest
// path through it: the longest path ending there plus the longest starting
// there, counting the vertex once.
func (d *dag) delayFactors() []int32 {
	n := d.size()
	in := make([]int32, n)  // vertices on the longest path ending at l
	out := make([]int32, n) // vertices on the longest path starting at l
	for l := range int32(n) {
		in[l] = 1
		for _, p := range d.prereqs(l) {
			in[l] = max(in[l], in[p]+1)
		}
	}
	for l := int32(n) - 1; l >= 0; l-- {
		out[l] = 1
		for _, s := range d.dependents(l) {
			out[l] = max(out[l], out[s]+1)
		}
	}
	for l := range in {
		in[l] += out[l] - 1
	}
	return in
}

// centralities returns, per label, the sum of the vertex counts of all
// source-to-sink paths through it, without enumerating paths: with nIn/lIn
// the number and total vertex count of paths from a source to v, and
// nOut/lOut those from v to a sink, every pair (a, b) of such paths joins
// into one path of len(a)+len(b)-1 vertices, which sums to
// lIn·nOut + lOut·nIn − nIn·nOut. Sources and sinks score 0.
func (d *dag) centralities() []float64 {
	n := d.size()
	nIn, lIn := make([]float64, n), make([]float64, n)
	nOut, lOut := make([]float64, n), make([]float64, n)
	for l := range int32(n) {
		if len(d.prereqs(l)) == 0 {
			nIn[l], lIn[l] = 1, 1
			continue
		}
		for _, p := range d.prereqs(l) {
			nIn[l] += nIn[p]
			lIn[l] += lIn[p] + nIn[p]
		}
	}
	for l := int32(n) - 1; l >= 0; l-- {
		if len(d.dependents(l)) == 0 {
			nOut[l], lOut[l] = 1, 1
			continue
		}
		for _, s := range d.dependents(l) {
			nOut[l] += nOut[s]
			lOut[l] += lOut[s] + nOut[s]
		}
	}
	c := make([]float64, n)
	for l := range int32(n) {
		if len(d.prereqs(l)) == 0 || len(d.dependents(l)) == 0 {
			continue
		}
		c[l] = lIn[l]*nOut[l] + lOut[l]*nIn[l] - nIn[l]*nOut[l]
	}
	return c
}

// reachBudgetBytes bounds the memory of the reachability bitsets: the
// column block shrinks as the graph grows so that n rows of one block fit.
const reachBudgetBytes = 32 << 20

// blockBits picks the number of target columns per block: as many as the
// budget allows for n rows, between 64 and 8192, a multiple of 64.
func blockBits(n, workers int) int {
	bitsPerRow := reachBudgetBytes * 8 / max(1, n*workers)
	b := max(64, min(8192, bitsPerRow)) &^ 63
	return min(b, (n+63)&^63)
}

// reachability returns, per label, how many vertices are reachable from it
// (its blocking factor), and the redundant edges. It works on column
// blocks of targets [lo, hi): for every vertex below hi, in reverse
// topological order, the set of block targets it reaches is the union of
// its dependents' sets and the dependents themselves, 64 targets per word.
// Vertices at or above hi cannot reach the block, so each block only
// touches the prefix below it. Blocks are independent and are shared out
// to one worker per CPU.
func (d *dag) reachability() ([]int32, map[int32]int32) {
	n := d.size()
	workers := max(1, min(runtime.GOMAXPROCS(0), n/4096+1))
	return d.reachabilityIn(blockBits(n, workers), workers)
}

// reachabilityIn is reachability with a given block width (a multiple of
// 64) and number of workers; tests use narrow blocks to cross boundaries.
func (d *dag) reachabilityIn(width, workers int) ([]int32, map[int32]int32) {
	n := d.size()
	var blockStarts []int
	for lo := 0; lo < n; lo += width {
		blockStarts = append(blockStarts, lo)
	}

	type partial struct {
		blocking []int32
		via      map[int32]int32
	}
	parts := make([]partial, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			p := partial{blocking: make([]int32, n), via: map[int32]int32{}}
			reach := make([]uint64, n*(width/64))
			for i := w; i < len(blockStarts); i += workers {
				lo := blockStarts[i]
				d.reachBlock(reach, lo, min(n, lo+width), width/64, p.blocking, p.via)
			}
			parts[w] = p
		})
	}
	wg.Wait()

	blocking := parts[0].blocking
	via := parts[0].via
	for _, p := range parts[1:] {
		for l, b := range p.blocking {
			blocking[l] += b
		}
		for e, hop := range p.via {
			d.keepSmallerHop(via, e, hop)
		}
	}
	return blocking, via
}

// reachBlock computes reach sets for the targets [lo, hi), adds their sizes
// to blocking and records redundant edges whose implying path ends with a
// hop into the block.
func (d *dag) reachBlock(reach []uint64, lo, hi, words int, blocking []int32, via map[int32]int32) {
	clear(reach[:hi*words])
	row := func(l int32) []uint64 { return reach[int(l)*words : (int(l)+1)*words] }
	for v := int32(hi) - 1; v >= 0; v-- {
		set := row(v)
		for _, s := range d.dependents(v) {
			if int(s) >= hi {
				break // dependents are ascending; the rest are past the block
			}
			if int(s) >= lo {
				bit := int(s) - lo
				set[bit/64] |= 1 << (bit % 64)
			}
			for i, word := range row(s) {
				set[i] |= word
			}
		}
		count := 0
		for _, word := range set {
			count += bits.OnesCount64(word)
		}
		blocking[v] += int32(count)
	}

	// Edge u→p (u requires p) is redundant when p reaches another
	// prerequisite w of u. Look at every w in the block.
	for w := int32(lo); w < int32(hi); w++ {
		bit := int(w) - lo
		for _, u := range d.dependents(w) {
			for i := d.preStart[u]; i < d.preStart[u+1]; i++ {
				p := d.pres[i]
				if p >= w {
					break // only a smaller label can reach w
				}
				if row(p)[bit/64]&(1<<(bit%64)) != 0 {
					d.keepSmallerHop(via, d.preEdge[i], d.orig[w])
				}
			}
		}
	}
}

// keepSmallerHop records hop as the first hop of the longer path implying
// edge e, unless a hop with a smaller id is already recorded: the message
// then names the same hop whatever order blocks finish in.
func (d *dag) keepSmallerHop(via map[int32]int32, e, hop int32) {
	if old, ok := via[e]; !ok || d.rg.concepts[hop].ID < d.rg.concepts[old].ID {
		via[e] = hop
	}
}
