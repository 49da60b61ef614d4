package graph

import (
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"learngraph"
)

// Options tune the GraphQL handler. The zero value gives the defaults.
type Options struct {
	// Logger receives internal errors and recovered panics; slog.Default()
	// when nil.
	Logger *slog.Logger
	// QueryCacheSize is how many parsed and validated queries to keep;
	// default 1000.
	QueryCacheSize int
	// ParserTokenLimit caps the tokens of one query, so a huge query is
	// refused before it is parsed; default 10000.
	ParserTokenLimit int
	// BatchWait is how long a loader collects keys before it calls the
	// store; default 1ms. Sibling resolvers of one list start within
	// microseconds of each other, so a short window catches them all.
	BatchWait time.Duration
}

func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.QueryCacheSize <= 0 {
		o.QueryCacheSize = 1000
	}
	if o.ParserTokenLimit <= 0 {
		o.ParserTokenLimit = 10000
	}
	if o.BatchWait <= 0 {
		o.BatchWait = time.Millisecond
	}
	return o
}

// NewHandler returns the GraphQL endpoint over store: POST and GET per
// GraphQL-over-HTTP, OPTIONS, a query cache, introspection, a token limit,
// the error presenter and the panic handler, and the middleware that pins
// one snapshot per operation. It sets no body limit: wrap it in
// http.MaxBytesHandler (the server package does).
func NewHandler(store learngraph.Store, opts Options) *handler.Server {
	opts = opts.withDefaults()
	srv := handler.New(NewExecutableSchema(Config{Resolvers: &Resolver{}}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](opts.QueryCacheSize))
	srv.SetParserTokenLimit(opts.ParserTokenLimit)
	srv.Use(extension.Introspection{})
	srv.Use(firstLimit{})
	srv.SetErrorPresenter(ErrorPresenter(opts.Logger))
	srv.SetRecoverFunc(Recover(opts.Logger))
	srv.AroundOperations(pinSnapshot(store, opts.BatchWait))
	return srv
}
