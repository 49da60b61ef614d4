// Package inmem is the embedded store: it serves a curriculum from memory,
// indexed once per load, and swaps in a new one atomically.
package inmem

import (
	"context"
	"sync/atomic"

	"learngraph"
)

// Store serves the curriculum it was last given. Readers never block and
// never see a half-built index: each curriculum is indexed into an
// immutable snapshot before it is published.
type Store struct {
	current atomic.Pointer[snapshot]
}

var _ learngraph.Store = (*Store)(nil)

// New returns a store serving c (nothing, if c is nil). The store reads c
// and its nodes from then on: the caller must not change them.
func New(c *learngraph.Curriculum) *Store {
	s := &Store{}
	s.Replace(c)
	return s
}

// Replace makes the store serve c from now on; snapshots taken before keep
// answering from the curriculum they were taken from. A nil c leaves the
// store with nothing to serve. The caller must not change c afterwards.
func (s *Store) Replace(c *learngraph.Curriculum) {
	if c == nil {
		s.current.Store(nil)
		return
	}
	s.current.Store(newSnapshot(c))
}

// Snapshot implements learngraph.Store. Returns UNAVAILABLE when the store
// holds no curriculum.
func (s *Store) Snapshot(ctx context.Context) (learngraph.Snapshot, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	snap := s.current.Load()
	if snap == nil {
		return nil, learngraph.Errorf(learngraph.EUNAVAILABLE, "no curriculum is loaded")
	}
	return snap, nil
}
