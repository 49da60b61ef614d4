package graph

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vikstrous/dataloadgen"

	"learngraph"
)

// operation is what one GraphQL operation reads through: one snapshot of
// the store, pinned on first use, and the loaders bound to it. Every
// resolver of the operation shares it, so a reload in the middle of a
// response never mixes two versions, and the n items of a list cost one
// store call per relationship, not n.
type operation struct {
	store    learngraph.Store
	wait     time.Duration
	maxFirst int
	// pinned is the snapshot the transport took before the operation
	// (a GET, whose ETag names its version); nil to take one on first use.
	pinned learngraph.Snapshot

	once sync.Once
	snap learngraph.Snapshot
	err  error
	// local is set when snap answers from memory (learngraph.IsLocal):
	// the loaders' batch window would only add its wait to every field
	// level, so each key is asked for as it comes.
	local bool

	mu      sync.Mutex
	related map[learngraph.Relation]*dataloadgen.Loader[string, []learngraph.Neighbor]
	nodes   map[learngraph.Kind]*dataloadgen.Loader[string, learngraph.Node]
}

type operationKey struct{}

// pinSnapshot is the operation middleware that gives each operation its
// own operation state.
//
// The snapshot itself is taken when the first resolver asks for it, which
// is at the start of execution: pinning it lazily keeps introspection (the
// playground's schema docs) working while the store is down, and costs a
// query nothing more than one Store.Snapshot call. A GET brings the
// snapshot its ETag was computed from (withPinnedSnapshot), so the answer
// and its ETag always name the same version.
func pinSnapshot(store learngraph.Store, wait time.Duration, maxFirst int) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		op := &operation{
			store:    store,
			wait:     wait,
			maxFirst: maxFirst,
			related:  map[learngraph.Relation]*dataloadgen.Loader[string, []learngraph.Neighbor]{},
			nodes:    map[learngraph.Kind]*dataloadgen.Loader[string, learngraph.Node]{},
		}
		op.pinned, _ = ctx.Value(pinnedKey{}).(learngraph.Snapshot)
		return next(context.WithValue(ctx, operationKey{}, op))
	}
}

type pinnedKey struct{}

// withPinnedSnapshot makes the operation run in ctx read snap.
func withPinnedSnapshot(ctx context.Context, snap learngraph.Snapshot) context.Context {
	return context.WithValue(ctx, pinnedKey{}, snap)
}

func operationFrom(ctx context.Context) (*operation, error) {
	op, ok := ctx.Value(operationKey{}).(*operation)
	if !ok {
		// Only a schema executed without NewHandler's middleware gets
		// here: a wiring bug, not a client error.
		return nil, fmt.Errorf("graph: no operation in context; build the handler with NewHandler")
	}
	return op, nil
}

// snapshot returns the operation's snapshot, taking it on first use.
func snapshot(ctx context.Context) (learngraph.Snapshot, error) {
	op, err := operationFrom(ctx)
	if err != nil {
		return nil, err
	}
	op.once.Do(func() {
		if op.pinned != nil {
			op.snap = op.pinned
		} else {
			op.snap, op.err = op.store.Snapshot(ctx)
		}
		if op.err == nil && op.snap == nil {
			op.err = fmt.Errorf("graph: store returned no snapshot and no error")
		}
		if op.err == nil {
			op.local = learngraph.IsLocal(op.snap)
			outcomeFrom(ctx).setSnapshot(op.snap)
		}
	})
	return op.snap, op.err
}

// related returns the neighbours of id over rel. Calls made while a batch
// is open are answered by one Snapshot.Related call.
func related(ctx context.Context, rel learngraph.Relation, id string) ([]learngraph.Neighbor, error) {
	snap, err := snapshot(ctx)
	if err != nil {
		return nil, err
	}
	op, _ := operationFrom(ctx) // snapshot succeeded, so op is there
	if op.local {
		lists, err := snap.Related(ctx, rel, []string{id})
		if err == nil && len(lists) != 1 {
			err = fmt.Errorf("graph: Related(%d) returned %d lists for 1 id", rel, len(lists))
		}
		if err != nil {
			return nil, err
		}
		return lists[0], nil
	}
	op.mu.Lock()
	l, ok := op.related[rel]
	if !ok {
		l = dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([][]learngraph.Neighbor, []error) {
			lists, err := snap.Related(ctx, rel, ids)
			if err == nil && len(lists) != len(ids) {
				err = fmt.Errorf("graph: Related(%d) returned %d lists for %d ids", rel, len(lists), len(ids))
			}
			if err != nil {
				return nil, []error{err}
			}
			return lists, nil
		}, dataloadgen.WithWait(op.wait))
		op.related[rel] = l
	}
	op.mu.Unlock()
	return l.Load(ctx, id)
}

// loadNode returns the node of kind with id, nil when there is none.
func loadNode(ctx context.Context, kind learngraph.Kind, id string) (learngraph.Node, error) {
	if snap, ok := localSnapshot(ctx); ok {
		nodes, err := snapNodes(ctx, snap, kind, []string{id})
		if err != nil {
			return nil, err
		}
		return nodes[0], nil
	}
	l, err := nodeLoader(ctx, kind)
	if err != nil {
		return nil, err
	}
	return l.Load(ctx, id)
}

// loadNodes returns the nodes of kind with ids, in order, nil for unknown
// ids.
func loadNodes(ctx context.Context, kind learngraph.Kind, ids []string) ([]learngraph.Node, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	if snap, ok := localSnapshot(ctx); ok {
		return snapNodes(ctx, snap, kind, ids)
	}
	l, err := nodeLoader(ctx, kind)
	if err != nil {
		return nil, err
	}
	return l.LoadAll(ctx, ids)
}

// localSnapshot returns the operation's snapshot when it answers from
// memory, so the caller reads it directly instead of through a loader.
// Any failure to take the snapshot is left to the loader path to report.
func localSnapshot(ctx context.Context) (learngraph.Snapshot, bool) {
	snap, err := snapshot(ctx)
	if err != nil {
		return nil, false
	}
	op, _ := operationFrom(ctx)
	return snap, op.local
}

// snapNodes calls snap.Nodes and checks it answers one node per id.
func snapNodes(ctx context.Context, snap learngraph.Snapshot, kind learngraph.Kind, ids []string) ([]learngraph.Node, error) {
	nodes, err := snap.Nodes(ctx, kind, ids)
	if err == nil && len(nodes) != len(ids) {
		err = fmt.Errorf("graph: Nodes(%s) returned %d nodes for %d ids", kind, len(nodes), len(ids))
	}
	if err != nil {
		return nil, err
	}
	return nodes, nil
}

func nodeLoader(ctx context.Context, kind learngraph.Kind) (*dataloadgen.Loader[string, learngraph.Node], error) {
	snap, err := snapshot(ctx)
	if err != nil {
		return nil, err
	}
	op, _ := operationFrom(ctx)
	op.mu.Lock()
	defer op.mu.Unlock()
	l, ok := op.nodes[kind]
	if !ok {
		l = dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([]learngraph.Node, []error) {
			nodes, err := snapNodes(ctx, snap, kind, ids)
			if err != nil {
				return nil, []error{err}
			}
			return nodes, nil
		}, dataloadgen.WithWait(op.wait))
		op.nodes[kind] = l
	}
	return l, nil
}
