package inmem_test

import (
	"reflect"
	"slices"
	"testing"

	"learngraph"
	"learngraph/inmem"
	"learngraph/storetest"
)

// A snapshot keeps recent next-up rankings: asked again, in any order of
// known, with repeats, or after many other questions have pushed it out,
// it answers exactly what a fresh snapshot computes.
func TestNextUpCachedAnswersMatchFresh(t *testing.T) {
	c := storetest.Analyzed(t, storetest.Synthetic(120, 1))
	ids := make([]string, len(c.Concepts))
	for i, k := range c.Concepts {
		ids[i] = k.ID
	}
	fresh := func(known []string, first int) []learngraph.Recommendation {
		snap, err := inmem.New(c).Snapshot(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		recs, err := snap.NextUp(t.Context(), known, first, "")
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	snap, err := inmem.New(c).Snapshot(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	type question struct {
		known []string
		first int
	}
	var questions []question
	// More distinct questions than the cache holds, so some are evicted
	// and asked again.
	for i := range 300 {
		known := []string{ids[i%len(ids)], ids[(i*7)%len(ids)]}
		questions = append(questions, question{known, 1 + i%5})
	}
	for round := range 2 {
		for _, q := range questions {
			known := slices.Clone(q.known)
			if round == 1 {
				slices.Reverse(known)
				known = append(known, known[0]) // a repeat changes nothing
			}
			got, err := snap.NextUp(t.Context(), known, q.first, "")
			if err != nil {
				t.Fatal(err)
			}
			if want := fresh(q.known, q.first); !reflect.DeepEqual(got, want) {
				t.Fatalf("round %d, known %v first %d: cached answer %v, want %v", round, known, q.first, got, want)
			}
		}
	}
	// A caller that changes its answer does not change the next one.
	q := questions[0]
	got, _ := snap.NextUp(t.Context(), q.known, q.first, "")
	for i := range got {
		got[i] = learngraph.Recommendation{}
	}
	again, _ := snap.NextUp(t.Context(), q.known, q.first, "")
	if want := fresh(q.known, q.first); !reflect.DeepEqual(again, want) {
		t.Errorf("after the caller cleared its copy: %v, want %v", again, want)
	}
}
