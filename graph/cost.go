package graph

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// unboundedListWeight is how many items a list without `first` counts for
// (StudyPlan.steps, PlanStep.requiredBy, Phase.buildsOn, …): the schema's
// default page of a nested list.
const unboundedListWeight = defaultFirst

// complexity returns the cost of op: every field costs 1 plus the cost of
// its selection, and a list's selection counts once per item it may
// return. That is its `first` (the schema's default, capped at maxFirst,
// when the query leaves it out); a connection's `first` sizes its edges
// and nodes; a list without `first` counts unboundedListWeight items.
//
// Introspection is priced exactly: what __schema and __type return depends
// on the schema only, so their selections are counted against the schema
// itself, once per (selection, type) pair. GraphiQL's introspection query
// then costs what it returns, while a query that nests fields { type {
// fields … } } costs the thousands of entries it would really produce.
//
// gqlgen's complexity walker is not used: it skips __schema altogether and
// walks a fragment again each time it is spread, so a chain of fragments
// each spread twice makes the walk itself exponential. This one counts a
// fragment once per list weight it is spread under.
func complexity(schema *ast.Schema, op *ast.OperationDefinition, vars map[string]any, maxFirst int) int {
	w := &costWalker{
		schema:    schema,
		vars:      vars,
		maxFirst:  maxFirst,
		fragments: map[fragmentKey]int{},
		intro:     &introPricer{schema: schema, memo: map[introKey]int{}},
	}
	return w.selectionSet(op.SelectionSet, 0)
}

type costWalker struct {
	schema    *ast.Schema
	vars      map[string]any
	maxFirst  int
	fragments map[fragmentKey]int
	intro     *introPricer
}

// fragmentKey memoises a fragment's cost: it depends only on the list
// weight a connection hands down to it.
type fragmentKey struct {
	name      string
	inherited int
}

// selectionSet returns the cost of set; inherited is the `first` of the
// connection set belongs to, which sizes its lists (0 for none).
func (w *costWalker) selectionSet(set ast.SelectionSet, inherited int) int {
	total := 0
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			total = satAdd(total, w.field(sel, inherited))
		case *ast.InlineFragment:
			total = satAdd(total, w.selectionSet(sel.SelectionSet, inherited))
		case *ast.FragmentSpread:
			if sel.Definition == nil {
				continue
			}
			key := fragmentKey{sel.Name, inherited}
			c, ok := w.fragments[key]
			if !ok {
				c = w.selectionSet(sel.Definition.SelectionSet, inherited)
				w.fragments[key] = c
			}
			total = satAdd(total, c)
		}
	}
	return total
}

func (w *costWalker) field(f *ast.Field, inherited int) int {
	switch f.Name {
	case "__schema":
		return satAdd(1, w.intro.selectionSet(f.SelectionSet, introValue{kind: introSchema, id: "S"}))
	case "__type":
		name, _ := f.ArgumentMap(w.vars)["name"].(string)
		def := w.schema.Types[name]
		if def == nil {
			return 1 // null
		}
		return satAdd(1, w.intro.selectionSet(f.SelectionSet, namedType(def)))
	}
	if f.Definition == nil {
		return 1
	}
	first, hasFirst := w.first(f)
	isList := f.Definition.Type.Elem != nil
	weight, handDown := 1, 0
	switch {
	case isList && hasFirst:
		weight = first
	case isList && inherited > 0:
		weight = inherited
	case isList:
		weight = unboundedListWeight
	case hasFirst:
		handDown = first // a connection: its lists hold `first` items
	}
	return satAdd(1, satMul(weight, w.selectionSet(f.SelectionSet, handDown)))
}

// first returns the `first` a field will use, and whether it takes one.
func (w *costWalker) first(f *ast.Field) (int, bool) {
	def := f.Definition.Arguments.ForName("first")
	if def == nil {
		return 0, false
	}
	if arg := f.Arguments.ForName("first"); arg != nil {
		if v, err := arg.Value.Value(w.vars); err == nil && v != nil {
			if n, ok := asInt(v); ok && n >= 1 {
				return int(min(n, int64(w.maxFirst))), true
			}
		}
	}
	if def.DefaultValue != nil {
		if v, err := def.DefaultValue.Value(nil); err == nil {
			if n, ok := asInt(v); ok && n >= 1 {
				return int(min(n, int64(w.maxFirst))), true
			}
		}
	}
	return w.maxFirst, true
}

// introPricer counts what an introspection selection returns, against
// the schema. Costs are memoised per (field, value), so the count takes
// time in proportion to the query times the schema, never to the answer.
type introPricer struct {
	schema *ast.Schema
	memo   map[introKey]int
}

type introKind int

const (
	introSchema introKind = iota
	introType
	introField
	introInput
	introEnum
	introDirective
)

// introValue is one value introspection returns: the schema, a type
// (named or a list/non-null wrapper), a field, an input value, an enum
// value or a directive.
type introValue struct {
	kind  introKind
	id    string                   // identifies the value, for the memo
	typ   *ast.Type                // introType: the type reference
	def   *ast.Definition          // introType: the named type (nil for a wrapper)
	field *ast.FieldDefinition     // introField, introInput (input object field)
	arg   *ast.ArgumentDefinition  // introInput (argument)
	dir   *ast.DirectiveDefinition // introDirective
}

type introKey struct {
	field *ast.Field
	id    string
}

func namedType(def *ast.Definition) introValue {
	return introValue{kind: introType, id: "T" + def.Name, def: def}
}

func (p *introPricer) typeRef(t *ast.Type) introValue {
	if t.NonNull || t.Elem != nil {
		return introValue{kind: introType, id: "T" + t.String(), typ: t}
	}
	if def := p.schema.Types[t.NamedType]; def != nil {
		return namedType(def)
	}
	return introValue{kind: introEnum, id: "E"} // an unknown type: a leaf
}

func (p *introPricer) selectionSet(set ast.SelectionSet, v introValue) int {
	total := 0
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			total = satAdd(total, p.field(sel, v))
		case *ast.InlineFragment:
			total = satAdd(total, p.selectionSet(sel.SelectionSet, v))
		case *ast.FragmentSpread:
			if sel.Definition != nil {
				total = satAdd(total, p.selectionSet(sel.Definition.SelectionSet, v))
			}
		}
	}
	return total
}

func (p *introPricer) field(f *ast.Field, v introValue) int {
	key := introKey{f, v.id}
	if c, ok := p.memo[key]; ok {
		return c
	}
	c := 1
	if len(f.SelectionSet) > 0 {
		for _, child := range p.children(f.Name, v) {
			c = satAdd(c, p.selectionSet(f.SelectionSet, child))
		}
	}
	p.memo[key] = c
	return c
}

// children returns what field name of v resolves to, one value per list
// item; nothing for scalars and nulls.
func (p *introPricer) children(name string, v introValue) []introValue {
	s := p.schema
	var out []introValue
	switch v.kind {
	case introSchema:
		switch name {
		case "types":
			for _, def := range s.Types {
				out = append(out, namedType(def))
			}
		case "queryType", "mutationType", "subscriptionType":
			root := map[string]*ast.Definition{"queryType": s.Query, "mutationType": s.Mutation, "subscriptionType": s.Subscription}[name]
			if root != nil {
				out = append(out, namedType(root))
			}
		case "directives":
			for _, d := range s.Directives {
				out = append(out, introValue{kind: introDirective, id: "D" + d.Name, dir: d})
			}
		}
	case introType:
		if v.def == nil { // a wrapper: only ofType leads anywhere
			if name == "ofType" {
				inner := *v.typ
				if inner.NonNull {
					inner.NonNull = false
				} else {
					inner = *v.typ.Elem
				}
				out = append(out, p.typeRef(&inner))
			}
			return out
		}
		def := v.def
		switch name {
		case "fields":
			if def.Kind == ast.Object || def.Kind == ast.Interface {
				for _, f := range def.Fields {
					if !strings.HasPrefix(f.Name, "__") {
						out = append(out, introValue{kind: introField, id: "F" + def.Name + "." + f.Name, field: f})
					}
				}
			}
		case "inputFields":
			if def.Kind == ast.InputObject {
				for _, f := range def.Fields {
					out = append(out, introValue{kind: introInput, id: "I" + def.Name + "." + f.Name, field: f})
				}
			}
		case "interfaces":
			for _, name := range def.Interfaces {
				if i := s.Types[name]; i != nil {
					out = append(out, namedType(i))
				}
			}
		case "possibleTypes":
			if def.Kind == ast.Interface || def.Kind == ast.Union {
				for _, t := range s.GetPossibleTypes(def) {
					out = append(out, namedType(t))
				}
			}
		case "enumValues":
			for range def.EnumValues {
				out = append(out, introValue{kind: introEnum, id: "E"})
			}
		}
	case introField:
		switch name {
		case "args":
			for _, a := range v.field.Arguments {
				out = append(out, introValue{kind: introInput, id: "A" + v.id + "." + a.Name, arg: a})
			}
		case "type":
			out = append(out, p.typeRef(v.field.Type))
		}
	case introInput:
		if name == "type" {
			if v.arg != nil {
				out = append(out, p.typeRef(v.arg.Type))
			} else {
				out = append(out, p.typeRef(v.field.Type))
			}
		}
	case introDirective:
		if name == "args" {
			for _, a := range v.dir.Arguments {
				out = append(out, introValue{kind: introInput, id: "A" + v.id + "." + a.Name, arg: a})
			}
		}
	}
	return out
}
