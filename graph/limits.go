package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"learngraph"
)

// codeForbidden is the code of an operation this server is configured not
// to run: anything but a trusted document in trusted-documents mode, and
// introspection when it is off.
const codeForbidden = "FORBIDDEN"

// limits decides, after parsing and validation and before anything
// resolves, whether an operation may run: trusted documents and
// introspection first, then depth, aliases, every `first`, and
// complexity. Each check walks the operation once, and each fragment once
// however often it is spread, so a document cannot make the checks
// themselves expensive.
type limits struct {
	maxDepth, maxAliases, maxFirst, maxComplexity int

	introspection bool // __schema and __type may run
	trusted       bool // only trusted documents (and introspection) run
	schema        *ast.Schema
}

var _ graphql.OperationContextMutator = (*limits)(nil)

func (*limits) ExtensionName() string                          { return "Limits" }
func (*limits) Validate(schema graphql.ExecutableSchema) error { return nil }

func (l *limits) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	op := opCtx.Operation
	if op == nil {
		return nil
	}
	if l.trusted && !isTrusted(opCtx) && !introspectionOnly(op.SelectionSet, map[string]bool{}) {
		return forbidden(op.Position, "this server runs only its trusted documents: send the sha256Hash of one in extensions.persistedQuery")
	}
	if !l.introspection && usesIntrospection(op.SelectionSet, map[string]bool{}) {
		return forbidden(op.Position, "introspection is disabled on this server")
	}
	if d := depth(op.SelectionSet, map[string]int{}); d > l.maxDepth {
		return limitError(op.Position, l.maxDepth, "query depth %d exceeds the limit of %d", d, l.maxDepth)
	}
	if n := aliases(op.SelectionSet, map[string]int{}); n > l.maxAliases {
		return limitError(op.Position, l.maxAliases, "%d aliases exceed the limit of %d per operation", n, l.maxAliases)
	}
	if err := checkFirst(op.SelectionSet, opCtx.Variables, l.maxFirst, map[string]bool{}); err != nil {
		return err
	}
	c := complexity(l.schema, op, opCtx.Variables, l.maxFirst)
	outcomeFrom(ctx).setComplexity(c)
	if c > l.maxComplexity {
		return limitError(op.Position, l.maxComplexity, "query complexity %d exceeds the limit of %d", c, l.maxComplexity)
	}
	return nil
}

// limitError is a LIMIT_EXCEEDED error for a request refused before it
// runs; the message names the limit, extensions.limit gives its value.
func limitError(pos *ast.Position, limit int, format string, args ...any) *gqlerror.Error {
	return codedError(pos, string(learngraph.ELIMIT), map[string]any{"limit": limit}, format, args...)
}

// timeoutError says the request ran out of its time; the limit is in
// milliseconds.
func timeoutError(d time.Duration) *gqlerror.Error {
	return limitError(nil, int(d.Milliseconds()), "the request took longer than the limit of %s", d)
}

func forbidden(pos *ast.Position, message string) *gqlerror.Error {
	return codedError(pos, codeForbidden, nil, "%s", message)
}

// codedError is an error of our own making with its code (and any other
// extensions) set, which the presenter passes on as it is.
func codedError(pos *ast.Position, code string, ext map[string]any, format string, args ...any) *gqlerror.Error {
	err := &gqlerror.Error{
		Message:    fmt.Sprintf(format, args...),
		Extensions: map[string]any{"code": code},
	}
	for k, v := range ext {
		err.Extensions[k] = v
	}
	if pos != nil {
		err.Locations = []gqlerror.Location{{Line: pos.Line, Column: pos.Column}}
	}
	return err
}

// isIntrospection says whether a field reads the schema rather than the
// curriculum.
func isIntrospection(name string) bool { return name == "__schema" || name == "__type" }

// depth returns how deeply the fields of set nest. An introspection field
// counts as one level: what is below it is the schema, priced exactly by
// complexity, and GraphiQL's own introspection query nests type
// references a dozen levels deep.
func depth(set ast.SelectionSet, fragments map[string]int) int {
	deepest := 0
	for _, sel := range set {
		d := 0
		switch sel := sel.(type) {
		case *ast.Field:
			d = 1
			if !isIntrospection(sel.Name) {
				d += depth(sel.SelectionSet, fragments)
			}
		case *ast.InlineFragment:
			d = depth(sel.SelectionSet, fragments)
		case *ast.FragmentSpread:
			if sel.Definition == nil {
				continue
			}
			var ok bool
			if d, ok = fragments[sel.Name]; !ok {
				d = depth(sel.Definition.SelectionSet, fragments)
				fragments[sel.Name] = d
			}
		}
		deepest = max(deepest, d)
	}
	return deepest
}

// aliases counts the aliased fields an operation resolves: a fragment
// counts each time it is spread, as it runs each time.
func aliases(set ast.SelectionSet, fragments map[string]int) int {
	n := 0
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			if sel.Alias != "" && sel.Alias != sel.Name {
				n = satAdd(n, 1)
			}
			n = satAdd(n, aliases(sel.SelectionSet, fragments))
		case *ast.InlineFragment:
			n = satAdd(n, aliases(sel.SelectionSet, fragments))
		case *ast.FragmentSpread:
			if sel.Definition == nil {
				continue
			}
			c, ok := fragments[sel.Name]
			if !ok {
				c = aliases(sel.Definition.SelectionSet, fragments)
				fragments[sel.Name] = c
			}
			n = satAdd(n, c)
		}
	}
	return n
}

// usesIntrospection says whether any field of set is __schema or __type.
func usesIntrospection(set ast.SelectionSet, seen map[string]bool) bool {
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			if isIntrospection(sel.Name) || usesIntrospection(sel.SelectionSet, seen) {
				return true
			}
		case *ast.InlineFragment:
			if usesIntrospection(sel.SelectionSet, seen) {
				return true
			}
		case *ast.FragmentSpread:
			if sel.Definition != nil && !seen[sel.Name] {
				seen[sel.Name] = true
				if usesIntrospection(sel.Definition.SelectionSet, seen) {
					return true
				}
			}
		}
	}
	return false
}

// introspectionOnly says whether the root fields of set read only the
// schema (__schema, __type, __typename), which is what the playground
// needs to document the API in trusted-documents mode.
func introspectionOnly(set ast.SelectionSet, seen map[string]bool) bool {
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			if !isIntrospection(sel.Name) && sel.Name != "__typename" {
				return false
			}
		case *ast.InlineFragment:
			if !introspectionOnly(sel.SelectionSet, seen) {
				return false
			}
		case *ast.FragmentSpread:
			if sel.Definition == nil {
				return false
			}
			if !seen[sel.Name] {
				seen[sel.Name] = true
				if !introspectionOnly(sel.Definition.SelectionSet, seen) {
					return false
				}
			}
		}
	}
	return true
}

// checkFirst returns an error for the first `first` argument of set out
// of range, so a query asking for too much is refused with one error
// instead of one per list item, and without doing any of its work. The
// resolvers check `first` again (limit), which keeps them safe without
// this check. A `first` does not depend on where its fragment is spread,
// so each fragment is checked once.
func checkFirst(set ast.SelectionSet, vars map[string]any, maxFirst int, seen map[string]bool) *gqlerror.Error {
	for _, sel := range set {
		var err *gqlerror.Error
		switch sel := sel.(type) {
		case *ast.Field:
			if arg := sel.Arguments.ForName("first"); arg != nil {
				err = checkFirstValue(arg, vars, maxFirst)
			}
			if err == nil {
				err = checkFirst(sel.SelectionSet, vars, maxFirst, seen)
			}
		case *ast.InlineFragment:
			err = checkFirst(sel.SelectionSet, vars, maxFirst, seen)
		case *ast.FragmentSpread:
			if sel.Definition != nil && !seen[sel.Name] {
				seen[sel.Name] = true
				err = checkFirst(sel.Definition.SelectionSet, vars, maxFirst, seen)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func checkFirstValue(arg *ast.Argument, vars map[string]any, maxFirst int) *gqlerror.Error {
	v, err := arg.Value.Value(vars)
	if err != nil || v == nil {
		return nil // null means the default; validation reports the rest
	}
	n, ok := asInt(v)
	if !ok {
		return nil
	}
	first := int(max(min(n, math.MaxInt32), math.MinInt32))
	if _, err := checkFirstArg(&first, defaultFirst, maxFirst); err != nil {
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

// tokenLimitError turns gqlparser's token limit error into ours: the
// parser reports it as a parse failure, which it is not.
func tokenLimitError(errs gqlerror.List, limit int) gqlerror.List {
	want := fmt.Sprintf("exceeded token limit of %d", limit)
	for i, e := range errs {
		if strings.TrimSpace(e.Message) == want {
			errs[i] = limitError(nil, limit, "the query has more than %d tokens, the limit", limit)
		}
	}
	return errs
}

// satAdd adds without overflowing, so a crafted document cannot wrap a
// count around to a small number.
func satAdd(a, b int) int {
	if a > math.MaxInt-b {
		return math.MaxInt
	}
	return a + b
}

// satMul multiplies non-negative numbers without overflowing.
func satMul(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a > math.MaxInt/b {
		return math.MaxInt
	}
	return a * b
}
