package graph

import (
	"context"
	"slices"
	"sync"

	"learngraph"
)

// OtherOperation is the metrics label of every operation that is neither
// a trusted document nor a persisted query the handler agreed to name:
// clients choose operation names, and a label set they can grow without
// bound would grow the metrics without bound too.
const OtherOperation = "other"

// Outcome is what the GraphQL handler learned about one request, for the
// HTTP edge that logs and meters it: which operation ran, which error
// codes the response carries, and which curriculum version answered.
// Its methods are safe for concurrent use, since resolvers report errors
// from many goroutines.
type Outcome struct {
	mu         sync.Mutex
	label      string
	name       string
	codes      []string
	snap       learngraph.Snapshot // read the version only when asked
	complexity int
	cached     bool
}

type outcomeKey struct{}

// Observe returns a context that carries a fresh Outcome for one request,
// and the Outcome. The handler fills it in; read it after the handler
// returns.
func Observe(ctx context.Context) (context.Context, *Outcome) {
	o := &Outcome{label: OtherOperation}
	return context.WithValue(ctx, outcomeKey{}, o), o
}

// OutcomeOf returns the Outcome that Observe put in ctx, nil when there is
// none.
func OutcomeOf(ctx context.Context) *Outcome { return outcomeFrom(ctx) }

// outcomeFrom returns the Outcome of the request ctx belongs to, nil when
// nobody observes it. Every method of a nil *Outcome does nothing, so
// callers need not check.
func outcomeFrom(ctx context.Context) *Outcome {
	o, _ := ctx.Value(outcomeKey{}).(*Outcome)
	return o
}

// Operation returns the metrics label of the operation: the name of a
// trusted document's or a persisted query's operation, else
// OtherOperation.
func (o *Outcome) Operation() string {
	if o == nil {
		return OtherOperation
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.label
}

// Name returns the operation name the request ran, whatever it is (for
// logs, not for labels); "" when no operation ran or it has no name.
func (o *Outcome) Name() string {
	if o == nil {
		return ""
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.name
}

// Codes returns the extensions.code of each error of the response, in the
// order they were raised.
func (o *Outcome) Codes() []string {
	if o == nil {
		return nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.codes)
}

// Version returns the curriculum version the answer was read from, ""
// when it read none (introspection, a refused request, a store that is
// down).
func (o *Outcome) Version() string {
	if o == nil {
		return ""
	}
	o.mu.Lock()
	snap := o.snap
	o.mu.Unlock()
	if snap == nil {
		return ""
	}
	return snap.Info().Version
}

// Complexity returns the computed complexity of the operation, 0 when it
// was not computed.
func (o *Outcome) Complexity() int {
	if o == nil {
		return 0
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.complexity
}

func (o *Outcome) setOperation(label, name string) {
	if o == nil {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.label, o.name = label, name
}

func (o *Outcome) addCode(code string) {
	if o == nil {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.codes = append(o.codes, code)
}

func (o *Outcome) setSnapshot(snap learngraph.Snapshot) {
	if o == nil {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.snap = snap
}

func (o *Outcome) setComplexity(n int) {
	if o == nil {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.complexity = n
}

// Cached says whether the answer was a stored one, sent again without
// running the operation.
func (o *Outcome) Cached() bool {
	if o == nil {
		return false
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.cached
}

// answer returns body, an answer in media, with what o learned while it
// ran, to be stored and replayed.
func (o *Outcome) answer(body []byte, media string) *cachedAnswer {
	a := &cachedAnswer{body: body, media: media, label: OtherOperation}
	if o == nil {
		return a
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	a.label, a.name, a.codes, a.complexity = o.label, o.name, slices.Clone(o.codes), o.complexity
	return a
}

// replay makes o read as if the operation that produced a had run again.
func (o *Outcome) replay(a *cachedAnswer) {
	if o == nil {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.label, o.name, o.codes, o.complexity = a.label, a.name, slices.Clone(a.codes), a.complexity
	o.cached = true
}
