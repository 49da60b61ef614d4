package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"learngraph"
)

// internalMessage is all a client learns about an unexpected error.
const internalMessage = "Internal error."

// ErrorPresenter returns the presenter that turns every error of a
// response into what the client sees:
//
//   - a *learngraph.Error keeps its client message, with extensions.code
//     and, by code, suggestions (NOT_FOUND), candidates (AMBIGUOUS) or
//     limit (LIMIT_EXCEEDED);
//   - when the request ran out of its time (Options.Timeout), a store
//     error or a context error becomes LIMIT_EXCEEDED naming the timeout,
//     with the limit in milliseconds;
//   - errors gqlgen raises itself (parse, validation, arguments) and the
//     handler's own refusals (limits, persisted queries, the transport)
//     keep their message and code;
//   - anything else is logged and masked as INTERNAL, "Internal error.",
//     as is a domain error with code INTERNAL.
//
// Each code is recorded in the request's Outcome, for the metrics.
func ErrorPresenter(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := present(ctx, logger, err)
		code, _ := gqlErr.Extensions["code"].(string)
		outcomeFrom(ctx).addCode(code)
		return gqlErr
	}
}

func present(ctx context.Context, logger *slog.Logger, err error) *gqlerror.Error {
	gqlErr := graphql.DefaultErrorPresenter(ctx, err)
	if d, ok := timedOut(ctx); ok && causedByTimeout(err) {
		logger.WarnContext(ctx, "graphql request timed out",
			slog.String("path", gqlErr.Path.String()),
			slog.Duration("timeout", d),
			slog.Any("err", err))
		out := timeoutError(d)
		out.Path = gqlErr.Path
		return out
	}
	if errors.Is(ctx.Err(), context.Canceled) && causedByTimeout(err) {
		// The client went away: nobody reads this, and nothing failed.
		out := codedError(nil, string(learngraph.EUNAVAILABLE), nil, "the request was cancelled")
		out.Path = gqlErr.Path
		return out
	}
	if domain, ok := errors.AsType[*learngraph.Error](err); ok && domain.Code != learngraph.EINTERNAL {
		gqlErr.Message = domain.Message
		gqlErr.Extensions = domainExtensions(domain)
		return gqlErr
	}
	if own, ok := errors.AsType[*gqlerror.Error](err); ok && own.Err == nil {
		// gqlgen's and gqlparser's own errors wrap nothing: their
		// text is written for clients.
		if _, hasCode := own.Extensions["code"]; !hasCode {
			if own.Extensions == nil {
				own.Extensions = map[string]any{}
			}
			own.Extensions["code"] = string(learngraph.EINVALID)
		}
		return own
	}
	if !errors.Is(err, errLogged) {
		logger.ErrorContext(ctx, "graphql internal error",
			slog.String("path", gqlErr.Path.String()),
			slog.Any("err", err))
	}
	return &gqlerror.Error{
		Message:    internalMessage,
		Path:       gqlErr.Path,
		Locations:  gqlErr.Locations,
		Extensions: map[string]any{"code": string(learngraph.EINTERNAL)},
	}
}

// causedByTimeout says whether err is what a store or resolver returns
// when its context ends: a context error, or a store's UNAVAILABLE or
// INTERNAL (Neo4j reports a cancelled query as unavailable). An answer
// such as NOT_FOUND stays what it is.
func causedByTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return true
	}
	if own, ok := errors.AsType[*gqlerror.Error](err); ok && own.Err == nil {
		return false // a refusal of our own or gqlgen's, not a failure
	}
	code := learngraph.ErrorCode(err)
	return code == learngraph.EUNAVAILABLE || code == learngraph.EINTERNAL
}

func domainExtensions(e *learngraph.Error) map[string]any {
	ext := map[string]any{"code": string(e.Code)}
	switch e.Code {
	case learngraph.ENOTFOUND:
		ext["suggestions"] = nonNil(e.Suggestions)
	case learngraph.EAMBIGUOUS:
		ext["candidates"] = nonNil(e.Candidates)
	case learngraph.ELIMIT:
		ext["limit"] = e.Limit
	}
	return ext
}

// nonNil makes an empty list read as [] rather than null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// errLogged marks an error that was logged where it happened (a recovered
// panic, with its stack), so the presenter does not log it twice.
var errLogged = errors.New("already logged")

// Recover returns the panic handler: it logs the panic with its stack and
// answers INTERNAL, so one bad resolver never takes the process down.
func Recover(logger *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, v any) error {
		logger.ErrorContext(ctx, "graphql panic",
			slog.String("path", graphql.GetPath(ctx).String()),
			slog.Any("panic", v),
			slog.String("stack", string(debug.Stack())))
		return fmt.Errorf("panic: %v: %w", v, errLogged)
	}
}
