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
//   - errors gqlgen raises itself (parse, validation, arguments) keep their
//     message and code;
//   - anything else is logged and masked as INTERNAL, "Internal error.",
//     as is a domain error with code INTERNAL.
func ErrorPresenter(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
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
