package inmem_test

import (
	"testing"

	"learngraph"
	"learngraph/inmem"
	"learngraph/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, c *learngraph.Curriculum) (learngraph.Store, storetest.Replacer) {
		s := inmem.New(c)
		return s, func(t *testing.T, c *learngraph.Curriculum) { s.Replace(c) }
	})
}

func TestEmptyStoreIsUnavailable(t *testing.T) {
	for _, s := range []*inmem.Store{inmem.New(nil), func() *inmem.Store {
		s := inmem.New(storetest.Analyzed(t, storetest.Fixture()))
		s.Replace(nil)
		return s
	}()} {
		if _, err := s.Snapshot(t.Context()); learngraph.ErrorCode(err) != learngraph.EUNAVAILABLE {
			t.Errorf("Snapshot of an empty store: %v, want UNAVAILABLE", err)
		}
	}
}

// Readers racing a writer each see one whole version: a snapshot's counts
// always match its version, however often the store switches.
func TestReplaceWhileReading(t *testing.T) {
	small := storetest.Analyzed(t, storetest.Synthetic(100, 1))
	large := storetest.Analyzed(t, storetest.Synthetic(300, 2))
	totals := map[string]int{small.Version: 100, large.Version: 300}
	s := inmem.New(small)

	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 200 {
			if i%2 == 0 {
				s.Replace(large)
			} else {
				s.Replace(small)
			}
		}
	}()
	for reading := true; reading; {
		select {
		case <-done:
			reading = false
		default:
		}
		snap, err := s.Snapshot(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		page, err := snap.Concepts(t.Context(), 1, "")
		if err != nil {
			t.Fatal(err)
		}
		if want := totals[snap.Info().Version]; page.Total != want {
			t.Fatalf("version %s answers with %d concepts, want %d", snap.Info().Version, page.Total, want)
		}
	}
}

// The queries of a recommendation widget on a large curriculum.
func BenchmarkQueries(b *testing.B) {
	s := inmem.New(storetest.Analyzed(b, storetest.Synthetic(100_000, 1)))
	snap, err := s.Snapshot(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	known := []string{"concept-000000", "concept-002600", "concept-005100"}
	b.Run("NextUp", func(b *testing.B) {
		for b.Loop() {
			if _, err := snap.NextUp(b.Context(), known, 5, ""); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("StudyPlan", func(b *testing.B) {
		for b.Loop() {
			if _, err := snap.StudyPlan(b.Context(), "concept-010000", known); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("WhyRequired", func(b *testing.B) {
		for b.Loop() {
			if _, err := snap.WhyRequired(b.Context(), "concept-099999", "concept-000001"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Search", func(b *testing.B) {
		for b.Loop() {
			if _, err := snap.Search(b.Context(), "concept 4242", 10); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("New", func(b *testing.B) {
		c := storetest.Analyzed(b, storetest.Synthetic(100_000, 1))
		for b.Loop() {
			inmem.New(c)
		}
	})
}
