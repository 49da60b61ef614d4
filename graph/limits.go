package graph

import (
	"context"
	"encoding/json"
	"math"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"learngraph"
)

// firstLimit checks every `first` argument of an operation before it runs,
// so a query asking for too much is refused with one error instead of one
// error per list item, and without doing any of its work. The resolvers
// check `first` again (limit), which keeps them safe without this
// extension.
type firstLimit struct{}

var (
	_ graphql.HandlerExtension        = firstLimit{}
	_ graphql.OperationContextMutator = firstLimit{}
)

func (firstLimit) ExtensionName() string                          { return "FirstLimit" }
func (firstLimit) Validate(schema graphql.ExecutableSchema) error { return nil }

func (firstLimit) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if opCtx.Operation == nil {
		return nil
	}
	return checkFirst(opCtx.Operation.SelectionSet, opCtx.Variables)
}

// checkFirst walks a selection set, fragments included (validation has
// ruled out fragment cycles), and returns an error for the first `first`
// argument out of range.
func checkFirst(set ast.SelectionSet, vars map[string]any) *gqlerror.Error {
	for _, sel := range set {
		var err *gqlerror.Error
		switch sel := sel.(type) {
		case *ast.Field:
			if arg := sel.Arguments.ForName("first"); arg != nil {
				err = checkFirstValue(arg, vars)
			}
			if err == nil {
				err = checkFirst(sel.SelectionSet, vars)
			}
		case *ast.InlineFragment:
			err = checkFirst(sel.SelectionSet, vars)
		case *ast.FragmentSpread:
			if sel.Definition != nil {
				err = checkFirst(sel.Definition.SelectionSet, vars)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func checkFirstValue(arg *ast.Argument, vars map[string]any) *gqlerror.Error {
	v, err := arg.Value.Value(vars)
	if err != nil || v == nil {
		return nil // null means the default; validation reports the rest
	}
	n, ok := asInt(v)
	if !ok {
		return nil
	}
	first := int(max(min(n, math.MaxInt32), math.MinInt32))
	if _, err := limit(&first, defaultFirst); err != nil {
		domain := err.(*learngraph.Error)
		gqlErr := gqlerror.ErrorPosf(arg.Position, "%s", domain.Message)
		gqlErr.Extensions = domainExtensions(domain)
		return gqlErr
	}
	return nil
}

// asInt reads an Int argument as literal parsing or JSON variables give it.
func asInt(v any) (int64, bool) {
	switch v := v.(type) {
	case int:
		return int64(v), true
	case int32:
		return int64(v), true
	case int64:
		return v, true
	case float64:
		return int64(v), v == math.Trunc(v)
	case json.Number:
		n, err := v.Int64()
		return n, err == nil
	default:
		return 0, false
	}
}
