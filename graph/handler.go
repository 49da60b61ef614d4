package graph

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"learngraph"
)

// Options tune the GraphQL handler. A zero field takes its default (see
// DefaultOptions); every limit is always on.
type Options struct {
	// Logger receives internal errors and recovered panics; slog.Default()
	// when nil.
	Logger *slog.Logger
	// QueryCacheSize is how many parsed and validated queries to keep.
	QueryCacheSize int
	// ParserTokenLimit caps the tokens of one query, so a huge query is
	// refused before it is parsed.
	ParserTokenLimit int
	// MaxDepth caps how deeply fields nest. Introspection fields
	// (__schema, __type) are not counted: complexity prices them exactly.
	MaxDepth int
	// MaxAliases caps the aliased fields of one operation, fragments
	// included, so one request cannot ask the same question many times.
	MaxAliases int
	// MaxComplexity caps the cost of one operation: one per field, a list
	// field's selection counted as many times as its `first` allows (see
	// complexity). The default lets a page of 100 concepts carry their
	// prerequisites and the prerequisites' crates at the schema's default
	// of 50 each (about 265,000), and refuses one more level of nesting.
	MaxComplexity int
	// MaxFirst is the largest `first` any list accepts; an omitted first
	// takes the schema's default, capped at MaxFirst.
	MaxFirst int
	// Timeout bounds the work of one request; a request that runs out of
	// time answers LIMIT_EXCEEDED.
	Timeout time.Duration
	// DisableIntrospection refuses __schema and __type (the playground
	// needs them, so they are on by default).
	DisableIntrospection bool
	// PersistedQueryCacheSize is how many automatic persisted queries
	// (hash → query) to remember, least recently used first out.
	PersistedQueryCacheSize int
	// TrustedDocuments, when set, are the only operations that run; the
	// automatic persisted queries are off then (a client could otherwise
	// register any query), and only introspection runs besides them.
	TrustedDocuments *TrustedDocuments
	// CacheMaxAge is the max-age of a successful GET answer.
	CacheMaxAge time.Duration
	// AnswerCacheBytes bounds the answers of successful GET requests kept
	// by their ETag and served again without running the operation (see
	// answerCache); 0 takes the default, a negative size turns it off.
	AnswerCacheBytes int
	// BatchWait is how long a loader collects keys before it calls the
	// store. Sibling resolvers of one list start within microseconds of
	// each other, so a short window catches them all.
	BatchWait time.Duration
}

// DefaultOptions returns the defaults the zero Options stand for.
func DefaultOptions() Options {
	return Options{
		QueryCacheSize:          1000,
		ParserTokenLimit:        10000,
		MaxDepth:                10,
		MaxAliases:              15,
		MaxComplexity:           300000,
		MaxFirst:                100,
		Timeout:                 10 * time.Second,
		PersistedQueryCacheSize: 1000,
		CacheMaxAge:             60 * time.Second,
		AnswerCacheBytes:        8 << 20,
		BatchWait:               time.Millisecond,
	}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	positive := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	positive(&o.QueryCacheSize, d.QueryCacheSize)
	positive(&o.ParserTokenLimit, d.ParserTokenLimit)
	positive(&o.MaxDepth, d.MaxDepth)
	positive(&o.MaxAliases, d.MaxAliases)
	positive(&o.MaxComplexity, d.MaxComplexity)
	positive(&o.MaxFirst, d.MaxFirst)
	positive(&o.PersistedQueryCacheSize, d.PersistedQueryCacheSize)
	if o.Timeout <= 0 {
		o.Timeout = d.Timeout
	}
	if o.AnswerCacheBytes == 0 {
		o.AnswerCacheBytes = d.AnswerCacheBytes
	}
	if o.CacheMaxAge <= 0 {
		o.CacheMaxAge = d.CacheMaxAge
	}
	if o.BatchWait <= 0 {
		o.BatchWait = d.BatchWait
	}
	return o
}

// NewHandler returns the GraphQL endpoint over store. It serves POST
// (application/json) and GET per the GraphQL-over-HTTP spec, and OPTIONS,
// and nothing else; see the transport for status codes, media types and
// HTTP caching. Every operation passes, before it runs, the token, depth,
// alias, `first` and complexity limits; then it reads one snapshot of the
// store through per-operation loaders, within the timeout. Automatic
// persisted queries are on unless trusted documents are set. Every error
// leaves through the error presenter.
//
// It sets no body limit: wrap it in http.MaxBytesHandler (the server
// package does); it answers a body cut short by that with 413.
func NewHandler(store learngraph.Store, opts Options) *handler.Server {
	opts = opts.withDefaults()
	es := NewExecutableSchema(Config{Resolvers: NewResolver()})
	srv := handler.New(es)
	srv.AddTransport(&httpTransport{store: store, opts: opts, generation: generation(opts), answers: newAnswerCache(opts.AnswerCacheBytes)})
	srv.AddTransport(transport.Options{AllowedMethods: []string{"GET", "POST", "OPTIONS"}})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](opts.QueryCacheSize))
	srv.SetParserTokenLimit(opts.ParserTokenLimit)
	srv.SetErrorPresenter(ErrorPresenter(opts.Logger))
	srv.SetRecoverFunc(Recover(opts.Logger))

	// Operation parameters: where the query text comes from.
	if opts.TrustedDocuments != nil {
		srv.Use(trustedDocuments{docs: opts.TrustedDocuments})
	} else {
		srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](opts.PersistedQueryCacheSize)})
	}
	// Operation context: what may run, checked after parsing and
	// validation, before anything resolves.
	if !opts.DisableIntrospection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(newOperationLabels())
	srv.Use(&limits{
		maxDepth:      opts.MaxDepth,
		maxAliases:    opts.MaxAliases,
		maxFirst:      opts.MaxFirst,
		maxComplexity: opts.MaxComplexity,
		introspection: !opts.DisableIntrospection,
		trusted:       opts.TrustedDocuments != nil,
		schema:        es.Schema(),
	})
	srv.AroundOperations(pinSnapshot(store, opts.BatchWait, opts.MaxFirst))
	srv.AroundFields(stopWhenDone)
	return srv
}

// stopWhenDone starts no resolver once the request's context has ended
// (its time is up, or the client went away): a store that does not watch
// its context, or the loaders, which do not, would otherwise keep
// resolving a whole tree nobody will read.
func stopWhenDone(ctx context.Context, next graphql.Resolver) (any, error) {
	if fc := graphql.GetFieldContext(ctx); fc != nil && fc.IsResolver {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	return next(ctx)
}

// generation identifies the options that can change an answer, so a
// server restarted with other limits never matches an ETag it issued
// before.
func generation(o Options) string {
	trusted := ""
	if o.TrustedDocuments != nil {
		trusted = o.TrustedDocuments.digest
	}
	return fmt.Sprintf("d%d a%d c%d f%d t%d i%t td%s", o.MaxDepth, o.MaxAliases, o.MaxComplexity,
		o.MaxFirst, o.ParserTokenLimit, o.DisableIntrospection, trusted)
}

// timeoutKey marks a context whose deadline is the request timeout, so
// the presenter can tell "the request ran out of time" from other
// failures.
type timeoutKey struct{}

func withRequestTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	ctx = context.WithValue(ctx, timeoutKey{}, d)
	return context.WithTimeout(ctx, d)
}

// timedOut returns the request timeout when ctx has run out of it.
func timedOut(ctx context.Context) (time.Duration, bool) {
	d, ok := ctx.Value(timeoutKey{}).(time.Duration)
	if !ok || ctx.Err() != context.DeadlineExceeded {
		return 0, false
	}
	return d, true
}

var _ graphql.HandlerExtension = (*limits)(nil)
