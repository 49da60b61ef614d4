package graph_test

import (
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"learngraph/graph"
)

// contract is the Query type of the product brief's API contract, word for
// word. The schema may add fields, never change these.
const contract = `
type Query {
  concept(ref: String!): Concept
  concepts(first: Int = 50, after: String): ConceptConnection!
  topics: [Topic!]!
  search(text: String!, first: Int = 10): [SearchHit!]!
  studyPlan(goal: String!, known: [String!] = []): StudyPlan!
  nextUp(known: [String!]!, first: Int = 5, path: String): [Recommendation!]!
  whyRequired(goal: String!, prerequisite: String!): [PlanStep!]
  domainPaths: [DomainPath!]!
  domainPath(ref: String!): DomainPath
  crates(category: String): [Crate!]!
  crate(name: String!): Crate
  challenges(concept: String, kind: ChallengeKind): [Challenge!]!
  phases: [Phase!]!
  gaps: GapReport!
  curriculum: CurriculumInfo!
}`

func schema() *ast.Schema {
	return graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}}).Schema()
}

// TestContract checks every root field of the contract: same arguments,
// types, defaults and result type. A field may take more arguments than
// the contract names, if they are optional (paging: first, after), so
// every query the contract allows still runs unchanged.
func TestContract(t *testing.T) {
	doc, err := parser.ParseSchema(&ast.Source{Input: contract})
	if err != nil {
		t.Fatal(err)
	}
	query := schema().Query
	for _, want := range doc.Definitions.ForName("Query").Fields {
		t.Run(want.Name, func(t *testing.T) {
			got := query.Fields.ForName(want.Name)
			if got == nil {
				t.Fatal("missing")
			}
			if got.Type.String() != want.Type.String() {
				t.Errorf("type %s, want %s", got.Type, want.Type)
			}
			for _, ga := range got.Arguments {
				if want.Arguments.ForName(ga.Name) == nil && ga.Type.NonNull && ga.DefaultValue == nil {
					t.Errorf("argument %s is not in the contract and is required", ga.Name)
				}
			}
			for _, wa := range want.Arguments {
				ga := got.Arguments.ForName(wa.Name)
				if ga == nil {
					t.Errorf("argument %s missing", wa.Name)
					continue
				}
				if ga.Type.String() != wa.Type.String() {
					t.Errorf("argument %s: type %s, want %s", wa.Name, ga.Type, wa.Type)
				}
				if valueString(ga.DefaultValue) != valueString(wa.DefaultValue) {
					t.Errorf("argument %s: default %s, want %s", wa.Name, valueString(ga.DefaultValue), valueString(wa.DefaultValue))
				}
			}
		})
	}
}

func valueString(v *ast.Value) string {
	if v == nil {
		return "<none>"
	}
	return v.String()
}

// TestDescriptions checks that every type, field, argument and enum value
// of the schema is described: the playground is the API's documentation.
func TestDescriptions(t *testing.T) {
	builtin := map[string]bool{"String": true, "Int": true, "Float": true, "Boolean": true, "ID": true}
	for name, def := range schema().Types {
		if strings.HasPrefix(name, "__") || builtin[name] {
			continue
		}
		if strings.TrimSpace(def.Description) == "" {
			t.Errorf("type %s has no description", name)
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			if strings.TrimSpace(f.Description) == "" {
				t.Errorf("field %s.%s has no description", name, f.Name)
			}
			for _, a := range f.Arguments {
				if strings.TrimSpace(a.Description) == "" {
					t.Errorf("argument %s.%s(%s) has no description", name, f.Name, a.Name)
				}
			}
		}
		for _, v := range def.EnumValues {
			if strings.TrimSpace(v.Description) == "" {
				t.Errorf("enum value %s.%s has no description", name, v.Name)
			}
		}
	}
}

// TestListsTakeFirst checks that every list field that follows a
// relationship takes `first`, so a complexity limit can price it.
func TestListsTakeFirst(t *testing.T) {
	// Lists that cannot grow with the curriculum, or that the contract
	// fixes without `first`.
	exempt := map[string]bool{
		"Query.phases":        true, // one per document
		"Query.whyRequired":   true, // one shortest chain
		"Phase.buildsOn":      true, // the earlier phases of a series
		"PlanStep.requiredBy": true, // bounded by the plan
		"StudyPlan.steps":     true, // the plan itself
	}
	s := schema()
	for name, def := range s.Types {
		if def.Kind != ast.Object || strings.HasPrefix(name, "__") {
			continue
		}
		for _, f := range def.Fields {
			key := name + "." + f.Name
			if f.Type.Elem == nil || exempt[key] {
				continue
			}
			elem := s.Types[f.Type.Elem.Name()]
			if elem == nil || (elem.Kind != ast.Object && elem.Kind != ast.Union && elem.Kind != ast.Interface) {
				continue // lists of text
			}
			switch name {
			case "ConceptConnection", "GapReport", "CurriculumInfo", "Impact", "PlanChange", "Totals":
				continue // a page, a report, a summary: bounded by what they hold
			}
			if f.Arguments.ForName("first") == nil {
				t.Errorf("%s lists %s without `first`", key, elem.Name)
			}
		}
	}
}
